#!/usr/bin/python3
# The baseline for bench/gateway.sh: the same job as sensor-gateway's
# SmartFall-to-Raeh route, written the obvious way in Python (aiohttp +
# websockets + struct). Per device: one Raeh session opened on its first
# post, accelerometer readings placed on the 50 Hz grid, converted to int16
# with the +-16 g full scale and sent as one frame per epoch second.
# It does less than the gateway (no fall/health score, no resampling
# between grid points, no reconnection), so it flatters the baseline.
import argparse
import asyncio
import datetime
import json
import re
import struct
import sys
import urllib.parse

import websockets
from aiohttp import web

FULL_SCALE = 156.9064
MAC = re.compile(r"^(?:SF-)?([0-9A-Fa-f]{2})[:-]?([0-9A-Fa-f]{2})[:-]?"
                 r"([0-9A-Fa-f]{2})[:-]?([0-9A-Fa-f]{2})[:-]?"
                 r"([0-9A-Fa-f]{2})[:-]?([0-9A-Fa-f]{2})$")
FIELDS = ("accel_x", "accel_y", "accel_z", "gyro_x", "gyro_y", "gyro_z")


def to_s16(v):
    return max(-32768, min(32767, round(v / FULL_SCALE * 32767)))


class Device:
    def __init__(self, gw, device_id):
        self.gw = gw
        self.id = device_id
        self.ws = None
        self.slot = None
        self.samples = {}  # epoch second -> {index: (x, y, z)}
        self.ready = asyncio.ensure_future(self.connect())

    async def connect(self):
        q = urllib.parse.urlencode({"api_key": self.gw.args.api_key,
                                    "device_id": self.id,
                                    "device_model_id": self.gw.args.model})
        self.ws = await websockets.connect(self.gw.args.raeh + "?" + q,
                                           max_size=2 ** 20)
        manifest = json.loads(await self.ws.recv())
        self.slot = next(s["slot_id"] for s in manifest["slots"]
                         if s["modality"] == "acc_3axis")

    async def add(self, readings):
        await self.ready
        for t_ms, x, y, z in readings:
            second, rest = divmod(t_ms, 1000)
            self.samples.setdefault(second, {})[rest // 20] = (x, y, z)
        # a second is complete once a later one has started
        for second in sorted(self.samples)[:-1]:
            await self.send(second)

    async def send(self, second):
        got = self.samples.pop(second)
        values = []
        last = (0, 0, 0)
        for i in range(50):
            last = got.get(i, last)
            values.extend(last)
        frame = struct.pack(">BqHB", self.slot, second * 1000, 50, 0) + \
            struct.pack("<150h", *values)
        await self.ws.send(frame)

    async def close(self):
        await self.ready
        for second in sorted(self.samples):
            await self.send(second)
        await self.ws.close(1000)


class Gateway:
    def __init__(self, args):
        self.args = args
        self.devices = {}

    def fail(self, status, error, details=None):
        body = {"success": False, "error": error}
        if details:
            body["details"] = details
        return web.json_response(body, status=status)

    async def batch(self, request):
        if request.headers.get("Authorization") != "Bearer " + self.args.token:
            return self.fail(401, "Unauthorized")
        try:
            body = json.loads(await request.read())
        except ValueError:
            return self.fail(400, "Invalid JSON")
        m = MAC.match(str(body.get("device_id", "")))
        readings = body.get("readings")
        if not m or not isinstance(readings, list) or not 1 <= len(readings) <= 100:
            return self.fail(400, "Validation failed")
        device_id = ":".join(g.upper() for g in m.groups())
        parsed = []
        for r in readings:
            if not all(isinstance(r.get(f), (int, float)) for f in FIELDS):
                return self.fail(400, "Validation failed")
            ts = r.get("client_timestamp")
            t = datetime.datetime.fromisoformat(ts.replace("Z", "+00:00"))
            parsed.append((int(t.timestamp() * 1000), to_s16(r["accel_x"]),
                           to_s16(r["accel_y"]), to_s16(r["accel_z"])))
        dev = self.devices.get(device_id)
        if dev is None:
            dev = self.devices[device_id] = Device(self, device_id)
        await dev.add(parsed)
        now = datetime.datetime.now(datetime.timezone.utc).isoformat(
            timespec="milliseconds").replace("+00:00", "Z")
        return web.json_response({"success": True, "data": {
            "deviceId": device_id, "timestamp": now, "fallDetected": False,
            "fallConfidence": 0, "healthScore": 100,
            "nextAllowedRequest": now}})

    async def shutdown(self, app):
        await asyncio.gather(*(d.close() for d in self.devices.values()),
                             return_exceptions=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--raeh", required=True)
    p.add_argument("--api-key", default="raeh_bench_key")
    p.add_argument("--model", default="573fdc48-b7a8-40bb-81b7-e96df24fab6d")
    p.add_argument("--token", default="bench-token")
    args = p.parse_args()
    gw = Gateway(args)
    app = web.Application(client_max_size=1 << 20)
    app.router.add_post("/api/device/sensor-stream/batch", gw.batch)
    app.on_shutdown.append(gw.shutdown)

    async def start():
        runner = web.AppRunner(app, handle_signals=True)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", args.port, backlog=4096)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        print(json.dumps({"part": "route", "port": port}), flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        import signal
        loop.add_signal_handler(signal.SIGTERM, stop.set)
        await stop.wait()
        await runner.cleanup()

    asyncio.run(start())
    return 0


if __name__ == "__main__":
    sys.exit(main())
