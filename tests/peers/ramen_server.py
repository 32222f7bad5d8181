#!/usr/bin/python3
# gst-plugins-sensor
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# A RAMEN (ramen.v1) server written with grpcio, sharing none of the
# project's C code: its stubs are generated from ramen.proto at start with
# grpc_tools. It serves --events events through Replay, then --live more on
# the Subscribe stream, checks the x-app-id / x-api-key metadata, answers
# heartbeats, and prints {"part": "ramen", "port": N} and then one line per
# Ack received ("ack SEQ STATUS"). With --no-service it is a gRPC server
# that knows no RAMEN at all.
import argparse
import atexit
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from concurrent import futures

import grpc
from grpc_tools import protoc
import pkg_resources

p = argparse.ArgumentParser()
p.add_argument('--proto', required=True)
p.add_argument('--events', type=int, default=5)
p.add_argument('--live', type=int, default=5)
p.add_argument('--app-id', default='')
p.add_argument('--api-key', default='')
p.add_argument('--replay-stuck', action='store_true',
               help='Replay always answers has_more with no events')
p.add_argument('--no-service', action='store_true',
               help='serve nothing: every call is UNIMPLEMENTED')
args = p.parse_args()

gen = tempfile.mkdtemp(prefix='ramen-peer-')
atexit.register(shutil.rmtree, gen, True)
wkt = pkg_resources.resource_filename('grpc_tools', '_proto')
if protoc.main(['protoc', '-I' + os.path.dirname(os.path.abspath(args.proto)),
                '-I' + wkt, '--python_out=' + gen, '--grpc_python_out=' + gen,
                os.path.abspath(args.proto)]) != 0:
    sys.exit('protoc failed')
sys.path.insert(0, gen)
import ramen_pb2  # noqa: E402
import ramen_pb2_grpc  # noqa: E402

out_lock = threading.Lock()


def say(line):
    with out_lock:
        sys.stdout.write(line + '\n')
        sys.stdout.flush()


def event(seq, replay):
    ev = ramen_pb2.EventEnvelope(
        event_id='py-%d' % seq, seq=seq, provider='whoop',
        event_type='recovery.updated', raw_id='raw-%d' % seq,
        payload=json.dumps({'hsi_version': '1.3', 'n': seq}).encode())
    ev.created_at.FromSeconds(1767225600 + seq)
    ev.delivery.attempt = 1
    ev.delivery.is_replay = replay
    return ev


TOTAL = args.events + args.live


class Service(ramen_pb2_grpc.RAMENServiceServicer):
    def check(self, context):
        md = dict(context.invocation_metadata())
        if (md.get('x-app-id', '') != args.app_id
                or md.get('x-api-key', '') != args.api_key):
            context.abort(grpc.StatusCode.UNAUTHENTICATED, 'bad metadata')

    def Replay(self, request, context):
        self.check(context)
        if args.replay_stuck:
            return ramen_pb2.ReplayResponse(has_more=True,
                                            highest_seq=args.events)
        limit = min(request.limit or 100, 1000)
        seqs = [s for s in range(request.after_seq + 1, args.events + 1)][:limit]
        return ramen_pb2.ReplayResponse(
            events=[event(s, True) for s in seqs],
            has_more=bool(seqs) and seqs[-1] < args.events,
            highest_seq=args.events)

    def Subscribe(self, request_iterator, context):
        self.check(context)
        first = next(request_iterator)
        if first.WhichOneof('message') != 'subscribe':
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, 'subscribe first')
        sub = first.subscribe
        say('subscribe app=%s user=%s device=%s token=%s last_seq=%d '
            'providers=%s event_types=%s'
            % (sub.app_id, sub.user_id, sub.device_id, sub.token, sub.last_seq,
               ','.join(sub.providers), ','.join(sub.event_types)))
        replies = []
        cond = threading.Condition()

        def reader():
            try:
                read_all()
            except grpc.RpcError:
                pass  # the client went away

        def read_all():
            for msg in request_iterator:
                kind = msg.WhichOneof('message')
                if kind == 'ack':
                    say('ack %d %s' % (msg.ack.seq,
                                       ramen_pb2.AckStatus.Name(msg.ack.status)))
                elif kind == 'heartbeat':
                    with cond:
                        replies.append(ramen_pb2.ServerMessage(
                            heartbeat_ack=ramen_pb2.HeartbeatAck(rtt_ms=0)))
                        cond.notify()

        threading.Thread(target=reader, daemon=True).start()
        yield ramen_pb2.ServerMessage(subscribe_response=ramen_pb2.SubscribeResponse(
            connection_id='py-conn', heartbeat_interval_seconds=30,
            current_seq=args.events))
        for seq in range(sub.last_seq + 1, TOTAL + 1):
            yield ramen_pb2.ServerMessage(event=event(seq, False))
        while context.is_active():
            with cond:
                cond.wait(0.1)
                pending, replies[:] = list(replies), []
            for r in pending:
                yield r


server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
if not args.no_service:
    ramen_pb2_grpc.add_RAMENServiceServicer_to_server(Service(), server)
port = server.add_insecure_port('127.0.0.1:0')
server.start()
say(json.dumps({'part': 'ramen', 'address': '127.0.0.1', 'port': port}))
done = threading.Event()
signal.signal(signal.SIGTERM, lambda *a: done.set())
done.wait()
server.stop(0)
