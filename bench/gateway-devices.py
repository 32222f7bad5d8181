#!/usr/bin/python3
# Simulated SmartFall devices for the gateway benchmarks: N devices, each on
# its own keep-alive HTTP connection, each posting one 50-reading batch
# (50 Hz accelerometer with client_timestamp) per second to
# /api/device/sensor-stream/batch, spread evenly over the second. Prints one
# JSON line: requests, statuses, latency percentiles, readings sent per
# device, and the generator's own CPU time.
import argparse
import asyncio
import datetime
import json
import resource
import sys
import time


def mac(i):
    return "02:%02X:%02X:%02X:%02X:%02X" % (
        (i >> 32) & 255, (i >> 24) & 255, (i >> 16) & 255, (i >> 8) & 255,
        i & 255)


def batch_template(t0_ms, second):
    """One second of readings, with DEVICE_ID_PLACEHOLDER for the device."""
    readings = []
    for k in range(50):
        t = t0_ms + second * 1000 + k * 20
        ts = datetime.datetime.fromtimestamp(t / 1000.0, datetime.timezone.utc)
        readings.append(
            '{"accel_x":%.3f,"accel_y":0.25,"accel_z":9.81,"gyro_x":1.5,'
            '"gyro_y":-2.0,"gyro_z":0.5,"uptime_ms":%d,"client_timestamp":"%s"}'
            % ((k % 10) * 0.1, 1000 + second * 1000 + k * 20,
               ts.isoformat(timespec="milliseconds").replace("+00:00", "Z")))
    return ('{"device_id":"DEVICE_ID_PLACEHOLDER","readings":[%s]}'
            % ",".join(readings)).encode()


class Load:
    def __init__(self, args):
        self.args = args
        self.latencies = []
        self.steady = []  # latencies after --steady-after seconds
        self.statuses = {}
        self.errors = 0
        self.sent = {}
        self.templates = {}
        self.t0_ms = args.t0_ms
        self.log = {}  # device -> [[wall time, status], ...] after --log-after

    def body(self, second, device):
        tpl = self.templates.get(second)
        if tpl is None:
            tpl = self.templates[second] = batch_template(self.t0_ms, second)
        return tpl.replace(b"DEVICE_ID_PLACEHOLDER", device.encode())

    async def device(self, i, start):
        a = self.args
        dev = mac(a.first_device + i)
        offset = (i % 1000) / 1000.0  # spread over the second
        reader = writer = None
        for second in range(a.seconds):
            target = start + second + offset
            now = time.monotonic()
            if target > now:
                await asyncio.sleep(target - now)
            body = self.body(second, dev)
            head = ("POST /api/device/sensor-stream/batch HTTP/1.1\r\n"
                    "Host: %s:%d\r\nContent-Type: application/json\r\n"
                    "Authorization: Bearer %s\r\nContent-Length: %d\r\n\r\n"
                    % (a.host, a.port, a.token, len(body))).encode()
            t = time.monotonic()
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection(a.host, a.port)
                writer.write(head + body)
                status_line = await reader.readline()
                length = 0
                while True:
                    line = await reader.readline()
                    if line in (b"\r\n", b""):
                        break
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                await reader.readexactly(length)
                status = int(status_line.split()[1])
            except (OSError, asyncio.IncompleteReadError, IndexError,
                    ValueError):
                status = 0
                self.errors += 1
                if writer is not None:
                    writer.close()
                reader = writer = None
            self.latencies.append(time.monotonic() - t)
            if second >= a.steady_after:
                self.steady.append(self.latencies[-1])
            if a.log_after and time.time() >= a.log_after:
                self.log.setdefault(dev, []).append(
                    [round(time.time(), 3), status])
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status == 200:
                self.sent[dev] = self.sent.get(dev, 0) + 50
        if writer is not None:
            writer.close()

    async def run(self):
        start = time.monotonic() + 0.5
        await asyncio.gather(*(self.device(i, start)
                               for i in range(self.args.devices)))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--token", default="bench-token")
    p.add_argument("--devices", type=int, default=100)
    p.add_argument("--first-device", type=int, default=0)
    p.add_argument("--seconds", type=int, default=10)
    p.add_argument("--steady-after", type=int, default=5,
                   help="seconds of start-up left out of the steady p99 "
                   "(every device's first post builds its branch)")
    p.add_argument("--log-after", type=float, default=0,
                   help="log each device's responses after this epoch time")
    p.add_argument("--t0-ms", type=int, default=0,
                   help="epoch ms of the first reading (default: next second)")
    args = p.parse_args()
    if args.t0_ms == 0:
        args.t0_ms = (int(time.time()) + 1) * 1000
    load = Load(args)
    asyncio.run(load.run())
    lat = sorted(load.latencies) or [0]
    steady = sorted(load.steady) or [0]
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({
        "requests": len(load.latencies), "statuses": load.statuses,
        "errors": load.errors,
        "p50_ms": round(lat[len(lat) // 2] * 1000, 2),
        "p99_ms": round(lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000, 2),
        "max_ms": round(lat[-1] * 1000, 2),
        "p99_steady_ms": round(
            steady[min(len(steady) - 1, int(len(steady) * 0.99))] * 1000, 2),
        "readings_sent": sum(load.sent.values()), "sent": load.sent,
        "t0_ms": args.t0_ms, "log": load.log,
        "client_cpu_s": round(usage.ru_utime + usage.ru_stime, 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
