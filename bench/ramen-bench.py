#!/usr/bin/python3
# gst-plugins-sensor
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Events/s from the local RAMEN server (sensor-cloud) through
# `ramensrc ! fakesink`, against a Python grpcio client doing the same work
# (Replay pages, Subscribe, dedupe by seq, Ack each event, render the JSON
# line): what a user would otherwise write. Two paths are measured: catch-up
# through Replay, and the live Subscribe stream (--ramen-no-replay makes the
# server send everything on the stream).
#
#   bench/ramen-bench.py [BUILD_DIR] [EVENTS]
#
# Each client runs with 1 event (once to make the server build that user's
# log, once to measure the startup cost) and once with EVENTS; the
# difference is the time for EVENTS - 1 events.
import json
import os
import subprocess
import sys
import time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
build = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, 'build'))
events = int(sys.argv[2]) if len(sys.argv) > 2 else 50000
proto = os.path.join(root, 'gst-libs', 'gst', 'ramen', 'ramen.proto')
cloud_bin = os.path.join(build, 'tools', 'sensor-cloud', 'sensor-cloud')

PY_CLIENT = r'''
import atexit, base64, json, os, shutil, sys, tempfile
import grpc
from grpc_tools import protoc
import pkg_resources
port, user, n, proto = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
gen = tempfile.mkdtemp()
atexit.register(shutil.rmtree, gen, True)
protoc.main(['protoc', '-I' + os.path.dirname(proto),
             '-I' + pkg_resources.resource_filename('grpc_tools', '_proto'),
             '--python_out=' + gen, '--grpc_python_out=' + gen, proto])
sys.path.insert(0, gen)
import queue
import ramen_pb2, ramen_pb2_grpc

def render(ev):
    try:
        payload = json.loads(ev.payload.decode('utf-8'))
        enc = 'json'
    except Exception:
        payload = base64.b64encode(ev.payload).decode()
        enc = 'base64'
    return json.dumps({'event_id': ev.event_id, 'seq': ev.seq,
        'provider': ev.provider, 'event_type': ev.event_type,
        'raw_id': ev.raw_id, 'payload': payload, 'payload_encoding': enc,
        'created_at': ev.created_at.ToJsonString(),
        'attempt': ev.delivery.attempt,
        'first_sent_at': ev.delivery.first_sent_at.ToJsonString(),
        'is_replay': ev.delivery.is_replay}) + '\n'

ch = grpc.insecure_channel('127.0.0.1:' + port)
stub = ramen_pb2_grpc.RAMENServiceStub(ch)
md = (('x-app-id', 'bench'), ('x-api-key', 'k'))
last = 0
out = open(os.devnull, 'w')
while last < n:
    r = stub.Replay(ramen_pb2.ReplayRequest(app_id='bench', user_id=user,
        after_seq=last, limit=1000), metadata=md)
    for ev in r.events:
        if ev.seq <= last:
            continue
        out.write(render(ev))
        last = ev.seq
        if last >= n:
            break
    if not r.has_more:
        break
if last < n:
    q = queue.Queue()
    q.put(ramen_pb2.ClientMessage(subscribe=ramen_pb2.SubscribeRequest(
        app_id='bench', user_id=user, last_seq=last)))
    def requests():
        while True:
            m = q.get()
            if m is None:
                return
            yield m
    call = stub.Subscribe(requests(), metadata=md)
    for msg in call:
        if msg.WhichOneof('message') != 'event':
            continue
        ev = msg.event
        if ev.seq <= last:
            continue
        out.write(render(ev))
        last = ev.seq
        q.put(ramen_pb2.ClientMessage(ack=ramen_pb2.Ack(seq=ev.seq,
            status=ramen_pb2.ACK_STATUS_SUCCESS)))
        if last >= n:
            break
    q.put(None)
    call.cancel()
'''


def start_cloud(extra):
    proc = subprocess.Popen([cloud_bin, '--only', 'ramen', '--port', '0',
                             '--ramen-events', str(events)] + extra,
                            stdout=subprocess.PIPE, text=True)
    for line in proc.stdout:
        msg = json.loads(line)
        if msg.get('part') == 'ramen':
            return proc, msg['port']
    raise SystemExit('sensor-cloud announced no ramen port')


def timed(cmd, env=None):
    t0 = time.monotonic()
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
    return time.monotonic() - t0


def gst_cmd(port, user, n):
    return ['gst-launch-1.0', '-q', 'ramensrc',
            'location=http://127.0.0.1:%d' % port, 'app-id=bench',
            'api-key=k', 'subject-id=' + user, 'num-buffers=%d' % n,
            '!', 'fakesink', 'sync=false']


def py_cmd(port, user, n):
    return ['/usr/bin/python3', '-c', PY_CLIENT, str(port), user, str(n), proto]


def measure(name, make_cmd, port, user, env=None):
    timed(make_cmd(port, user, 1), env)  # the server builds this user's log
    t1 = timed(make_cmd(port, user, 1), env)
    tn = timed(make_cmd(port, user, events), env)
    rate = (events - 1) / max(tn - t1, 1e-6)
    print('  %-22s %8.0f events/s  (startup %.2f s, run %.2f s)'
          % (name, rate, t1, tn))
    return rate


env = dict(os.environ)
env['GST_PLUGIN_PATH_1_0'] = os.path.join(build, 'plugins')
env['GST_REGISTRY_1_0'] = os.path.join(build, 'bench-registry.bin')

print('RAMEN: %d events, HSI snapshot payloads' % events)
ratios = []
for label, extra in (('catch-up via Replay', []),
                     ('live Subscribe stream', ['--ramen-no-replay'])):
    proc, port = start_cloud(extra)
    try:
        print(label + ':')
        c = measure('ramensrc ! fakesink', gst_cmd, port, 'gst-user', env)
        p = measure('python grpcio client', py_cmd, port, 'py-user')
        ratios.append(c / p)
        print('  ratio ramensrc / python: %.1fx' % (c / p))
    finally:
        proc.terminate()
        proc.wait()
print('RESULT ramensrc vs python grpcio: replay %.1fx, stream %.1fx (target >= 5x)'
      % tuple(ratios))
