#!/usr/bin/python3
# A Raeh /stream/ingest server written only from the public wire description
# (it shares no code with this project): sends the JSON handshake, then
# checks every binary frame byte by byte against frames it builds itself with
# struct.pack(">BqHB", ...) + little-endian int16 samples.
#
# The stream it expects: sample k of slot "ppg_green" (100 Hz, 1 channel) has
# the value k (as int16) and the time T0 + k * 10 ms; sample k of
# "acc_3axis" (50 Hz, 3 channels) has the values 3k, 3k+1, 3k+2 and the time
# T0 + k * 20 ms. Frames must come in order, without gaps or repeats.
#
# Prints {"port": N} when listening, and a JSON summary when done; exits 0
# when every expected sample arrived in valid frames.
import argparse
import asyncio
import json
import struct
import sys
import urllib.parse

import websockets

T0 = 1700000000000
SLOTS = [
    {"slot_id": 5, "modality_channel_id": "peer-ppg", "modality": "ppg_green",
     "sample_rate_hz": 100, "bit_depth": 16, "num_channels": 1},
    {"slot_id": 9, "modality_channel_id": "peer-acc", "modality": "acc_3axis",
     "sample_rate_hz": 50, "bit_depth": 16, "num_channels": 3},
]


def expected_frame(slot, first, count):
    rate, ch = slot["sample_rate_hz"], slot["num_channels"]
    # nearest millisecond of the exact first-sample time
    t0 = T0 + (first * 1000 * 2 + rate) // (2 * rate)
    values = [((first + i) * ch + c) for i in range(count) for c in range(ch)]
    values = [((v + 32768) % 65536) - 32768 for v in values]
    return struct.pack(">BqHB", slot["slot_id"], t0, count, 0) + \
        struct.pack("<%dh" % len(values), *values)


class Peer:
    def __init__(self, args):
        self.args = args
        self.want = {"ppg_green": args.ppg_samples, "acc_3axis": args.acc_samples}
        self.got = {"ppg_green": 0, "acc_3axis": 0}
        self.frames = {"ppg_green": 0, "acc_3axis": 0}
        self.errors = []
        self.query = {}
        self.done = asyncio.Event()

    def complete(self):
        return all(self.got[m] >= self.want[m] for m in self.want)

    def check(self, data):
        if not isinstance(data, bytes):
            self.errors.append("text message from the device")
            return
        if len(data) < 12:
            self.errors.append("header too short: %d bytes" % len(data))
            return
        slot_id, t0, count, flags = struct.unpack(">BqHB", data[:12])
        slot = next((s for s in SLOTS if s["slot_id"] == slot_id), None)
        if slot is None:
            self.errors.append("slot_id %d not in manifest" % slot_id)
            return
        m = slot["modality"]
        want = expected_frame(slot, self.got[m], count)
        if data != want:
            self.errors.append(
                "frame %d of %s differs: got %s... (%d bytes), expected %s... (%d bytes)"
                % (self.frames[m], m, data[:16].hex(), len(data), want[:16].hex(), len(want)))
        self.frames[m] += 1
        self.got[m] += count

    async def handler(self, ws, path=None):
        path = path or ws.path
        self.query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(path).query))
        if self.query.get("api_key") != self.args.api_key:
            await ws.close(4001, "Authentication failed")
            return
        await ws.send(json.dumps({"session_id": "peer-session", "slots": SLOTS}))
        try:
            async for msg in ws:
                self.check(msg)
                if self.complete() or self.errors:
                    break
        except websockets.ConnectionClosed:
            pass
        self.done.set()

    async def run(self):
        async with websockets.serve(self.handler, "127.0.0.1", self.args.port) as server:
            port = server.sockets[0].getsockname()[1]
            print(json.dumps({"port": port}), flush=True)
            try:
                await asyncio.wait_for(self.done.wait(), self.args.timeout)
            except asyncio.TimeoutError:
                self.errors.append("timed out")
        summary = {"ok": not self.errors and self.complete(), "frames": self.frames,
                   "samples": self.got, "errors": self.errors[:10],
                   "device_id": self.query.get("device_id"),
                   "device_model_id": self.query.get("device_model_id")}
        print(json.dumps(summary), flush=True)
        return 0 if summary["ok"] else 1


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--api-key", default="raeh_peer")
    p.add_argument("--ppg-samples", type=int, default=350)
    p.add_argument("--acc-samples", type=int, default=175)
    p.add_argument("--timeout", type=float, default=30)
    sys.exit(asyncio.run(Peer(p.parse_args()).run()))


if __name__ == "__main__":
    main()
