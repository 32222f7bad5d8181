#!/usr/bin/python3
# gst-plugins-sensor
# SPDX-License-Identifier: LGPL-2.1-or-later
"""sensor-cloud against deep JSON from a client that shares none of its code.

Before any authentication, a Plexus auth frame and a HeliOS `sensors` op
used to go straight to json-glib, which recurses once per nesting level: a
100 KB frame of brackets (plain, or behind a comment a bracket counter would
misread) ran the server out of stack. Each must now get a clean answer (the
unauthorized close, the `sensors_stream_unavailable` status) and the server
must go on serving a well-formed client.

Usage: sensorcloud_json.py SENSOR_CLOUD_BINARY
"""
import asyncio
import json
import subprocess
import sys

import websockets

PLEXUS_KEY = "plx_0123456789abcdef0123456789abcdef"
DEEP = [
    "[" * 100000,
    '{"type":"auth","api_key":' + "[" * 100000,
    '{"type":"auth",/*"*/"api_key":' + "[" * 100000,
    "'\"'" + "[" * 100000,
]


async def read_announcements(proc, parts):
    ports = {}
    while set(parts) - set(ports):
        line = await asyncio.wait_for(proc.stdout.readline(), 60)
        if not line:
            raise SystemExit("sensor-cloud exited before announcing its ports")
        info = json.loads(line)
        ports[info["part"]] = info["port"]
    return ports


async def plexus_close(port, frame):
    uri = f"ws://127.0.0.1:{port}/v1/sources/robot-1/metrics/stream"
    async with websockets.connect(uri, max_size=None) as ws:
        await ws.send(frame)
        try:
            while True:
                await asyncio.wait_for(ws.recv(), 30)
        except websockets.ConnectionClosed as e:
            return e.rcvd.code if e.rcvd else None


async def plexus_serves(port):
    uri = f"ws://127.0.0.1:{port}/v1/sources/robot-1/metrics/stream"
    async with websockets.connect(uri) as ws:
        await ws.send(json.dumps({"type": "auth", "api_key": PLEXUS_KEY}))
        msg = json.loads(await asyncio.wait_for(ws.recv(), 30))
        assert isinstance(msg, dict) and "type" in msg, msg


async def helios_answer(port, text):
    uri = f"ws://127.0.0.1:{port}/v1/ws/sensors"
    async with websockets.connect(uri, max_size=None) as ws:
        await ws.send(text)
        return json.loads(await asyncio.wait_for(ws.recv(), 30))


async def main(binary):
    proc = await asyncio.create_subprocess_exec(
        binary, "--only", "plexus,helios", "--helios-port", "0",
        stdout=subprocess.PIPE)
    try:
        ports = await read_announcements(proc, ["http", "helios"])
        for frame in DEEP:
            code = await plexus_close(ports["http"], frame)
            assert code == 4401, f"deep auth frame: close code {code}"
            assert proc.returncode is None, "sensor-cloud died"
        await plexus_serves(ports["http"])

        for text in DEEP:
            msg = await helios_answer(ports["helios"], text)
            assert msg.get("status") == "sensors_stream_unavailable", msg
            assert msg.get("reason") == \
                "invalid request: not a JSON object", msg
            assert proc.returncode is None, "sensor-cloud died"
        msg = await helios_answer(
            ports["helios"],
            json.dumps({"op": "subscribe", "kinds": ["firmware"]}))
        assert "firmware" in msg, msg
        print("ok: deep frames refused, server still serving")
    finally:
        if proc.returncode is None:
            proc.terminate()
        await proc.wait()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
