#!/usr/bin/python3
# bench/gateway-fleet.sh's driver: HAProxy (consistent hashing on the device
# id taken from the body) in front of three sensor-gateway processes, all
# bridging into one sensor-cloud Raeh endpoint; simulated SmartFall devices
# post through HAProxy; one gateway is killed (SIGKILL) mid-run. Prints the
# readings lost (accepted, never delivered), when HAProxy marked the gateway
# down, how long until each moved device streamed again, and how many Raeh
# sessions each device has open at the end.
import argparse
import csv
import io
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchproc import announced, free_port  # noqa: E402
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = "573fdc48-b7a8-40bb-81b7-e96df24fab6d"





HAPROXY_CFG = """
global
    maxconn 4000
defaults
    mode http
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    # a request to a gateway that is gone is sent to another one
    option redispatch
    retries 2
frontend sensor_stream
    bind 127.0.0.1:{front}
    option http-buffer-request
    default_backend gateways
frontend stats
    bind 127.0.0.1:{stats}
    stats enable
    stats uri /stats
backend gateways
    # one device, one gateway: the normalised device id from the body
    balance hash req.body,json_query('$.device_id'),lower,regsub([-:],,g)
    hash-type consistent
    option httpchk GET /readyz
    http-check expect status 200
    default-server inter 250ms fall 2 rise 2
{servers}
"""


def haproxy_down_time(stats_port, server, deadline):
    """Polls HAProxy's CSV stats until @server is DOWN; returns that time."""
    url = "http://127.0.0.1:%d/stats;csv" % stats_port
    while time.time() < deadline:
        try:
            text = urllib.request.urlopen(url, timeout=1).read().decode()
            for row in csv.DictReader(io.StringIO(text.lstrip("# "))):
                if row.get("svname") == server and \
                        row.get("status", "").startswith("DOWN"):
                    return time.time()
        except OSError:
            pass
        time.sleep(0.05)
    return None


def main():
    p = argparse.ArgumentParser()
    p.add_argument("build", nargs="?", default=os.path.join(ROOT, "build"))
    p.add_argument("--devices", type=int, default=300)
    p.add_argument("--seconds", type=int, default=20)
    p.add_argument("--kill-at", type=float, default=8)
    args = p.parse_args()
    build = os.path.abspath(args.build)
    tmp = tempfile.mkdtemp(prefix="gateway-fleet-")
    procs = []
    try:
        record = os.path.join(tmp, "record.json")
        cloud = subprocess.Popen(
            [os.path.join(build, "tools", "sensor-cloud", "sensor-cloud"),
             "--only", "raeh", "--port", "0", "--record", record],
            stdout=subprocess.PIPE, text=True)
        procs.append(cloud)
        raeh_port = announced(cloud, "http")

        env = dict(os.environ, GST_PLUGIN_PATH=os.path.join(build, "plugins"))
        gateways = []
        for i in range(3):
            route, metrics = free_port(), free_port()
            cfg = os.path.join(tmp, "gw%d.ini" % i)
            with open(cfg, "w") as f:
                f.write(
                    "[gateway]\nmetrics-port = %d\ndrain-timeout = 5\n\n"
                    "[route fleet]\n"
                    "source = rpsensorsrc name=src port=%d rate-limit=0 "
                    "max-devices=0\nset.src.auth-token = bench-token\n"
                    "branch = sensorresample name=accel full-scale=156.9064 ! "
                    "sensor/x-raw,format=S16LE,rate=50/1 ! raehframepack ! "
                    "raehsink name=raeh location=ws://127.0.0.1:%d/stream/ingest "
                    "device-id={device} device-model-id=%s\n"
                    "set.raeh.api-key = raeh_bench_key\n"
                    "device-idle-timeout = 3\n" % (metrics, route, raeh_port,
                                                   MODEL))
            gw = subprocess.Popen(
                [os.path.join(build, "tools", "sensor-gateway",
                              "sensor-gateway"), "--config", cfg],
                stdout=subprocess.PIPE, text=True, env=env,
                stderr=open(os.path.join(tmp, "gw%d.log" % i), "w"))
            procs.append(gw)
            announced(gw, "route")
            gateways.append((gw, route, metrics))

        front, stats = free_port(), free_port()
        servers = "\n".join(
            "    server gw%d 127.0.0.1:%d check port %d" % (i, r, m)
            for i, (_, r, m) in enumerate(gateways))
        hcfg = os.path.join(tmp, "haproxy.cfg")
        with open(hcfg, "w") as f:
            f.write(HAPROXY_CFG.format(front=front, stats=stats,
                                       servers=servers))
        haproxy = subprocess.Popen(["haproxy", "-f", hcfg, "-db"],
                                   stdout=subprocess.DEVNULL,
                                   stderr=open(os.path.join(tmp, "haproxy.log"),
                                               "w"))
        procs.append(haproxy)
        time.sleep(1.5)  # first health checks

        start = time.time()
        kill_time = start + args.kill_at
        load = subprocess.Popen(
            ["/usr/bin/python3", os.path.join(ROOT, "bench",
                                              "gateway-devices.py"),
             "--port", str(front), "--devices", str(args.devices),
             "--seconds", str(args.seconds),
             "--log-after", str(kill_time - 2)],
            stdout=subprocess.PIPE, text=True)
        time.sleep(max(0, kill_time - time.time()))
        victim = gateways[1][0]
        victim.send_signal(signal.SIGKILL)
        killed_at = time.time()
        down_at = haproxy_down_time(stats, "gw1", killed_at + 10)
        out, _ = load.communicate(timeout=args.seconds + 120)
        result = json.loads(out)
        # the survivors drain: last partial frames sent, sessions closed 1000
        for gw, _, _ in gateways:
            if gw is not victim:
                gw.send_signal(signal.SIGTERM)
        for gw, _, _ in gateways:
            if gw is not victim:
                gw.wait(20)
        cloud.send_signal(signal.SIGTERM)
        cloud.wait(30)
        with open(record) as f:
            rec = json.load(f)
        sessions = {}
        received = {}
        for s in rec.get("raeh", {}).get("sessions", []):
            sessions.setdefault(s["device_id"], []).append(s)
            for slot in s.get("slots", []):
                if slot.get("modality") == "acc_3axis":
                    received[s["device_id"]] = \
                        received.get(s["device_id"], 0) + slot["samples"]
        sent = result["sent"]
        lost = {d: n - received.get(d, 0) for d, n in sent.items()
                if n > received.get(d, 0)}
        moved = [d for d, ss in sessions.items() if len(ss) > 1]
        # the session each device ended on is the one its gateway closed
        # with 1000 when it drained; a moved device's earlier one died with
        # the killed process
        open_per_device = [sum(1 for s in ss if s.get("close_code") == 1000)
                           for ss in sessions.values()]
        # per moved device: first accepted request after the kill
        again = []
        for d in moved:
            times = [t for t, st in result["log"].get(d, [])
                     if st == 200 and t > killed_at]
            if times:
                again.append(times[0])
        again.sort()

        print("devices %d through HAProxy to 3 gateways, one killed %.1f s "
              "into the run" % (args.devices, args.kill_at))
        print("requests %d, statuses %s, readings sent (200) %d"
              % (result["requests"], result["statuses"],
                 result["readings_sent"]))
        print("readings lost: %d, on %d devices (accepted by the killed "
              "gateway and not yet sent: at most ~2 s of data per device "
              "in its frame packers and queues)" % (sum(lost.values()),
                                                    len(lost)))
        if down_at:
            print("HAProxy marked the killed gateway down %.2f s after the "
                  "kill" % (down_at - killed_at))
        if again:
            ref = down_at or killed_at
            print("moved devices: %d; streaming again through the others: "
                  "first %.2f s, median %.2f s, last %.2f s after the "
                  "balancer noticed (target <= 2 s)"
                  % (len(moved), again[0] - ref, again[len(again) // 2] - ref,
                     again[-1] - ref))
        print("Raeh sessions per device at the end (closed 1000 by a drain): min %d, max %d "
              "(every device exactly one: %s)"
              % (min(open_per_device), max(open_per_device),
                 all(n == 1 for n in open_per_device)))
        return 0
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    sys.exit(main())
