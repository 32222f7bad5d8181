#!/usr/bin/python3
# sensor-gateway end to end: SmartFall devices post over HTTP (http.client),
# the gateway bridges each device to its own Raeh session on a Raeh server
# written here with python3-websockets from the public wire description, and
# /metrics is read with python3-prometheus-client's parser. None of these
# peers shares code with the project.
#
# Checks: one session per device with continuous frame times and every
# reading delivered; a device whose session is refused (4001) does not
# disturb the others; idle devices are closed with 1000 and come back;
# SIGTERM flushes, closes every session with 1000 and exits 0 within 10 s.
import asyncio
import datetime
import http.client
import json
import os
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

import websockets
from prometheus_client.parser import text_string_to_metric_families

GATEWAY = os.environ["SENSOR_GATEWAY"]
MODEL = "573fdc48-b7a8-40bb-81b7-e96df24fab6d"
SLOTS = [{"slot_id": 7, "modality_channel_id": "acc", "modality": "acc_3axis",
          "sample_rate_hz": 50, "bit_depth": 16, "num_channels": 3}]
REFUSED = "DE:AD:00:00:00:01"
FAILURES = []
LAST_BODY = {}


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL: " + what, flush=True)
    return cond


class Session:
    def __init__(self, device):
        self.device = device
        self.frames = []  # (t0 ms, sample count)
        self.close_code = None


class RaehServer:
    """Raeh /stream/ingest: JSON handshake, then binary frames
    (>BqHB header + int16 LE samples). Refuses REFUSED with 4001."""

    def __init__(self):
        self.sessions = []
        self.lock = threading.Lock()
        self.port = None
        ready = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(ready,),
                                       daemon=True)
        self.thread.start()
        ready.wait(10)

    def _run(self, ready):
        asyncio.run(self._serve(ready))

    async def _serve(self, ready):
        async with websockets.serve(self.handler, "127.0.0.1", 0) as server:
            self.port = server.sockets[0].getsockname()[1]
            ready.set()
            await asyncio.Future()

    async def handler(self, ws, path=None):
        path = path or ws.path
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(path).query))
        device = query.get("device_id", "")
        session = Session(device)
        with self.lock:
            self.sessions.append(session)
        if query.get("api_key") != "raeh_gw_key" or device == REFUSED:
            session.close_code = 4001
            await ws.close(4001, "Authentication failed")
            return
        await ws.send(json.dumps({"session_id": "s-" + device, "slots": SLOTS}))
        try:
            async for msg in ws:
                if isinstance(msg, bytes) and len(msg) >= 12:
                    slot, t0, count, _ = struct.unpack(">BqHB", msg[:12])
                    if len(msg) == 12 + count * 6 and slot == 7:
                        with self.lock:
                            session.frames.append((t0, count))
        except websockets.ConnectionClosed:
            pass
        session.close_code = ws.close_code

    def by_device(self):
        with self.lock:
            out = {}
            for s in self.sessions:
                out.setdefault(s.device, []).append(s)
            return out


class Gateway:
    def __init__(self, config_text):
        self.dir = tempfile.mkdtemp(prefix="gw-")
        self.config = os.path.join(self.dir, "gw.ini")
        with open(self.config, "w") as f:
            f.write(config_text)
        self.proc = subprocess.Popen([GATEWAY, "--config", self.config],
                                     stdout=subprocess.PIPE, text=True)
        self.ports = {}
        while "route" not in self.ports or "metrics" not in self.ports:
            line = self.proc.stdout.readline()
            if not line:
                raise SystemExit("sensor-gateway exited before announcing")
            part = json.loads(line)
            self.ports[part["part"]] = part["port"]

    def metrics(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.ports["metrics"])
        conn.request("GET", "/metrics")
        body = conn.getresponse().read().decode()
        values = {}
        for family in text_string_to_metric_families(body):
            for s in family.samples:
                key = (s.name, tuple(sorted(s.labels.items())))
                values[key] = s.value
        return values

    def get(self, path):
        conn = http.client.HTTPConnection("127.0.0.1", self.ports["metrics"])
        conn.request("GET", path)
        r = conn.getresponse()
        return r.status, r.read().decode()

    def terminate(self):
        start = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = None
        return code, time.monotonic() - start


def mac(i):
    return "02:00:00:00:00:%02X" % i


def post_batch(port, device, first, count, t0):
    readings = []
    for k in range(first, first + count):
        ts = datetime.datetime.fromtimestamp((t0 + k * 20) / 1000.0,
                                             datetime.timezone.utc)
        readings.append({
            "device_id": device, "accel_x": 0.1 * (k % 10), "accel_y": 0.2,
            "accel_z": 9.81, "gyro_x": 1, "gyro_y": 2, "gyro_z": 3,
            "uptime_ms": 1000 + k * 20,
            "client_timestamp": ts.isoformat(timespec="milliseconds")
                                  .replace("+00:00", "Z")})
    body = json.dumps({"device_id": device, "readings": readings})
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("POST", "/api/device/sensor-stream/batch", body,
                 {"Content-Type": "application/json",
                  "Authorization": "Bearer gw-token"})
    r = conn.getresponse()
    LAST_BODY[device] = r.read()
    return r.status


def stream(port, devices, first_batch, batches, t0):
    """Posts one 50-reading batch per device per second, in real time: batch
    b covers [t0 + b s, t0 + (b + 1) s) and is sent once that second has
    passed, as a device would. Returns the HTTP statuses."""
    statuses = []
    for b in range(first_batch, first_batch + batches):
        delay = (t0 + (b + 1) * 1000) / 1000.0 - time.time()
        if delay > 0:
            time.sleep(delay)
        threads = [threading.Thread(
            target=lambda d=d: statuses.append(
                (d, post_batch(port, d, b * 50, 50, t0)))) for d in devices]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    return statuses


def next_second_ms():
    return (int(time.time()) + 1) * 1000


def config(raeh_port, idle):
    # the key comes from a file and the token from the environment, both
    # set as properties: never inside a description
    branch = ("sensorresample name=accel full-scale=156.9064 ! "
              "sensor/x-raw,format=S16LE,rate=50/1 ! raehframepack ! "
              "raehsink name=raeh location=ws://127.0.0.1:%d/stream/ingest "
              "device-id={device} device-model-id={model}" % raeh_port)
    return ("[gateway]\nmetrics-port = 0\ndrain-timeout = 8\n\n"
            "[route wearables]\n"
            "source = rpsensorsrc name=src port=0 rate-limit=0\n"
            "set.src.auth-token = ${GW_TOKEN}\n"
            "branch = %s\nvar.model = %s\nset.raeh.api-key-file = %s\n"
            "device-idle-timeout = %d\n" % (branch, MODEL, KEYFILE, idle))


def wait_for(pred, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.1)
    return pred()


def test_twenty_devices(server):
    gw = Gateway(config(server.port, 60))
    port = gw.ports["route"]
    t0 = next_second_ms()
    devices = [mac(i) for i in range(20)]
    batches = 3
    answers = stream(port, devices + [REFUSED], 0, batches, t0)
    statuses = [st for d, st in answers if d != REFUSED]
    check(statuses.count(200) == len(statuses),
          "every POST of the others answered 200: %s" % sorted(set(statuses)))
    # the device whose session is refused is told to retry, not accepted
    # and lost: 503 once its branch failed
    refused = [st for d, st in answers if d == REFUSED]
    check(refused[0] == 200 and 503 in refused,
          "the refused device gets 503 after its branch failed: %s" % refused)
    check(b'"error":"Device unavailable"' in LAST_BODY[REFUSED],
          "503 body names the cause: %s" % LAST_BODY[REFUSED])

    def delivered():
        per = server.by_device()
        return all(sum(c for s in per.get(d, []) for _, c in s.frames)
                   >= 100 for d in devices)
    check(wait_for(delivered, 20), "two full frames per device within 20 s")

    m = gw.metrics()
    running = m.get(("sensor_gateway_devices",
                     (("route", "wearables"), ("state", "running"))), 0)
    check(running == 20, "20 devices running in /metrics, got %s" % running)
    errors = m.get(("sensor_gateway_device_errors_total",
                    (("route", "wearables"),)), 0)
    check(errors >= 1, "the refused device is counted: %s" % errors)
    accepted = m.get(("sensor_rpsensorsrc_accepted", (("route", "wearables"),)))
    n_ok = sum(1 for _, st in answers if st == 200)
    check(accepted == 50 * n_ok, "readings accepted: %s of %d"
          % (accepted, 50 * n_ok))
    # the template forwards accel only: the route limits the source's pads
    # to it, and every reading's gyroscope values are counted, not pushed
    skipped = m.get(("sensor_rpsensorsrc_groups_skipped",
                     (("route", "wearables"),)))
    check(skipped == 50 * n_ok, "gyroscope values skipped: %s of %d"
          % (skipped, 50 * n_ok))
    not_linked = m.get(("sensor_rpsensorsrc_not_linked",
                        (("route", "wearables"),)))
    check(not_linked == 0, "nothing pushed into an unlinked pad: %s"
          % not_linked)
    status, _ = gw.get("/readyz")
    check(status == 200, "/readyz 200 while running, got %d" % status)
    status, _ = gw.get("/healthz")
    check(status == 200, "/healthz 200, got %d" % status)

    code, took = gw.terminate()
    check(code == 0, "exit 0 after SIGTERM, got %s" % code)
    check(took <= 10, "drained within 10 s (took %.1f s)" % took)

    per = server.by_device()
    for d in devices:
        sessions = per.get(d, [])
        check(len(sessions) == 1, "%s: one session, got %d" % (d, len(sessions)))
        if not sessions:
            continue
        s = sessions[0]
        total = sum(c for _, c in s.frames)
        check(total == batches * 50, "%s: %d samples delivered of %d"
              % (d, total, batches * 50))
        times = [t for t, _ in s.frames]
        expect = [t0 + 1000 * i for i in range(len(times))]
        check(times == expect, "%s: continuous frame times %s" % (d, times[:5]))
        check(s.close_code == 1000, "%s: closed with %s" % (d, s.close_code))
    refused = per.get(REFUSED, [])
    check(len(refused) >= 1 and all(s.close_code == 4001 for s in refused),
          "the refused device was tried and refused")


def test_idle_teardown(server):
    gw = Gateway(config(server.port, 1))
    port = gw.ports["route"]
    t0 = next_second_ms()
    devices = [mac(100 + i) for i in range(2)]
    check([st for _, st in stream(port, devices, 0, 1, t0)] == [200, 200],
          "posts answered")

    def closed():
        per = server.by_device()
        return all(len(per.get(d, [])) == 1 and per[d][0].close_code == 1000
                   for d in devices)
    check(wait_for(closed, 10), "idle devices closed with 1000")
    for d in devices:
        s = server.by_device()[d][0]
        check(sum(c for _, c in s.frames) == 50,
              "%s: the idle flush delivered every reading" % d)
    m = gw.metrics()
    check(m.get(("sensor_gateway_idle_teardowns_total",
                 (("route", "wearables"),)), 0) == 2, "two idle teardowns")
    # a device that comes back gets a new session
    check([st for _, st in stream(port, devices[:1], 4, 1, t0)] == [200],
          "post again")
    check(wait_for(lambda: len(server.by_device()[devices[0]]) == 2, 10),
          "a returning device gets a new session")
    code, _ = gw.terminate()
    check(code == 0, "exit 0")


def test_bad_config():
    d = tempfile.mkdtemp(prefix="gw-bad-")
    cases = [
        ("[route r]\nsource = rpsensorsrc\nbranch = fakesink\nbogus = 1\n",
         ":4: [route r] bogus: unknown key"),
        ("[route r]\nsource = rpsensorsrc\n", ":1: [route r] branch: missing"),
        ("[route r]\nsource = rpsensorsrc\nbranch = nosuchelement\n",
         ":3: [route r] branch:"),
        ("[pipeline p]\ndescription = fakesrc ! ${GW_UNSET_VARIABLE}\n",
         ":2: [pipeline p] description: environment variable "
         "GW_UNSET_VARIABLE is not set"),
        ("[pipeline p]\ndescription = fakesrc ! fakesink name=out\n"
         "set.out.no-such-property = 1\n",
         ":3: [pipeline p] set.out.no-such-property: out (GstFakeSink) has "
         "no writable property \"no-such-property\""),
        ("[route r]\nsource = rpsensorsrc\nbranch = fakesink name={who}\n",
         ":3: [route r] branch: unknown name {who}"),
        ("[gateway]\nmetrics-port = many\n[pipeline p]\n"
         "description = fakesrc ! fakesink\n",
         ":2: [gateway] metrics-port: \"many\" is not a whole number"),
        ("[gateway\n", ":1: a group header must end with ']'"),
    ]
    for text, want in cases:
        path = os.path.join(d, "bad.ini")
        with open(path, "w") as f:
            f.write(text)
        r = subprocess.run([GATEWAY, "--config", path], capture_output=True,
                           text=True, timeout=20)
        check(r.returncode == 2, "exit 2 for %r, got %d" % (want, r.returncode))
        check(path + want in r.stderr, "error names %r: %s" % (want, r.stderr))


def test_port_in_use():
    import socket
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    port = busy.getsockname()[1]
    d = tempfile.mkdtemp(prefix="gw-port-")
    for text, want in [
            ("[route r]\nsource = rpsensorsrc port=%d\nbranch = fakesink "
             "name=accel\n" % port, "route r: "),
            ("[gateway]\nmetrics-port = %d\n[pipeline p]\n"
             "description = fakesrc ! fakesink\n" % port,
             "cannot serve metrics on 127.0.0.1 port %d" % port)]:
        path = os.path.join(d, "gw.ini")
        with open(path, "w") as f:
            f.write(text)
        r = subprocess.run([GATEWAY, "--config", path], capture_output=True,
                           text=True, timeout=20)
        check(r.returncode == 1, "exit 1 when port %d is in use, got %d"
              % (port, r.returncode))
        check(want in r.stderr and "in use" in r.stderr,
              "the error names the port in use: %s" % r.stderr.strip())
    busy.close()


def test_example_config():
    example = os.path.join(os.environ["SENSOR_SOURCE_ROOT"], "examples",
                           "gateway", "smartfall-to-raeh.ini")
    env = dict(os.environ, SENSOR_STREAM_PORT="3000", SENSOR_STREAM_TOKEN="t",
               METRICS_PORT="9464", RAEH_LOCATION="ws://127.0.0.1:1/x",
               RAEH_API_KEY="k", RAEH_DEVICE_MODEL_ID=MODEL)
    r = subprocess.run([GATEWAY, "--check", "--config", example], env=env,
                       capture_output=True, text=True, timeout=20)
    check(r.returncode == 0 and "1 route(s)" in r.stdout,
          "the shipped example loads: %s%s" % (r.stdout, r.stderr))
    del env["RAEH_API_KEY"]
    r = subprocess.run([GATEWAY, "--check", "--config", example], env=env,
                       capture_output=True, text=True, timeout=20)
    check(r.returncode == 2 and "RAEH_API_KEY is not set" in r.stderr,
          "an unset variable is named: %s" % r.stderr)


def test_secrets_not_logged():
    """Keys set with set.*-file / set.* never reach GStreamer's debug log,
    even at level 9 (descriptions are logged, property values set after
    parsing are not)."""
    d = tempfile.mkdtemp(prefix="gw-secret-")
    keyfile = os.path.join(d, "key")
    with open(keyfile, "w") as f:
        f.write("raeh_KEYNEVERLOGGED1\n")
    path = os.path.join(d, "gw.ini")
    with open(path, "w") as f:
        f.write("[route r]\nsource = rpsensorsrc name=src port=0\n"
                "set.src.auth-token = TOKENNEVERLOGGED2\n"
                "branch = fakesink name=accel\n"
                "[pipeline p]\ndescription = sensortestsrc num-buffers=5 ! "
                "raehframepack ! raehsink name=raeh "
                "location=ws://127.0.0.1:1/stream/ingest device-id=d "
                "device-model-id=m\nset.raeh.api-key-file = %s\n" % keyfile)
    env = dict(os.environ, GST_DEBUG="*:9")
    proc = subprocess.Popen([GATEWAY, "--config", path], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _, err = proc.communicate(timeout=3)
    except subprocess.TimeoutExpired:
        proc.kill()  # only the log matters here
        _, err = proc.communicate(timeout=20)
    check(len(err) > 100000, "a debug log was written (%d bytes)" % len(err))
    check(b"KEYNEVERLOGGED1" not in err and b"TOKENNEVERLOGGED2" not in err,
          "no secret in the GST_DEBUG=*:9 log")


def main():
    global KEYFILE
    os.environ["GW_TOKEN"] = "gw-token"
    fd, KEYFILE = tempfile.mkstemp(prefix="gw-key-")
    os.write(fd, b"raeh_gw_key\n")
    os.close(fd)
    test_bad_config()
    test_port_in_use()
    test_example_config()
    test_secrets_not_logged()
    server = RaehServer()
    test_twenty_devices(server)
    test_idle_teardown(server)
    os.unlink(KEYFILE)
    if FAILURES:
        print("%d check(s) failed" % len(FAILURES))
        return 1
    print("gateway end to end: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
