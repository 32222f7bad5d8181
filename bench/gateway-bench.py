#!/usr/bin/python3
# bench/gateway.sh's driver: N simulated SmartFall devices (one 50-reading
# batch per second each) through sensor-gateway into sensor-cloud's Raeh
# endpoint, then the same load through a Python gateway doing the same job,
# in the same run. Prints CPU % of one core and RSS per 1,000 devices,
# threads, p99 POST latency, readings lost (from the cloud's record), and
# devices per core against the Python gateway.
import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchproc import announced  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TICKS = os.sysconf("SC_CLK_TCK")
MODEL = "573fdc48-b7a8-40bb-81b7-e96df24fab6d"
P99_TARGET_MS = 50



def proc_sample(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / TICKS
    rss = threads = 0
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) * 1024
            elif line.startswith("Threads:"):
                threads = int(line.split()[1])
    return cpu, rss, threads


def run_load(args, port, devices, pid):
    """Runs the devices; samples @pid's CPU over the steady part."""
    load = subprocess.Popen(
        ["/usr/bin/python3", os.path.join(ROOT, "bench", "gateway-devices.py"),
         "--port", str(port), "--devices", str(devices),
         "--seconds", str(args.seconds)], stdout=subprocess.PIPE, text=True)
    time.sleep(args.warmup)
    cpu0, _, _ = proc_sample(pid)
    t0 = time.monotonic()
    peak_rss = peak_threads = 0
    while time.monotonic() - t0 < args.seconds - args.warmup - 1:
        time.sleep(0.5)
        _, rss, threads = proc_sample(pid)
        peak_rss = max(peak_rss, rss)
        peak_threads = max(peak_threads, threads)
    cpu1, _, _ = proc_sample(pid)
    cpu_pct = 100.0 * (cpu1 - cpu0) / (time.monotonic() - t0)
    out, _ = load.communicate(timeout=args.seconds + 120)
    result = json.loads(out)
    result.update(cpu_pct=cpu_pct, rss=peak_rss, threads=peak_threads)
    return result


def start_cloud(tmp):
    record = os.path.join(tmp, "record.json")
    cloud = subprocess.Popen(
        [os.path.join(args_build(), "tools", "sensor-cloud", "sensor-cloud"),
         "--only", "raeh", "--port", "0", "--record", record],
        stdout=subprocess.PIPE, text=True)
    return cloud, announced(cloud, "http"), record


def received(cloud, record):
    cloud.send_signal(signal.SIGTERM)
    cloud.wait(60)
    with open(record) as f:
        rec = json.load(f)
    got = {}
    for s in rec.get("raeh", {}).get("sessions", []):
        for slot in s.get("slots", []):
            if slot.get("modality") == "acc_3axis":
                got[s["device_id"]] = got.get(s["device_id"], 0) + slot["samples"]
    return got


def lost(sent, got):
    return sum(max(0, n - got.get(d, 0)) for d, n in sent.items())


BUILD = None


def args_build():
    return BUILD


def bench_gateway(args, devices, tmp):
    cloud, raeh_port, record = start_cloud(tmp)
    config = os.path.join(tmp, "gw.ini")
    with open(config, "w") as f:
        f.write(
            "[gateway]\nmetrics-port = 0\ndrain-timeout = 10\n\n"
            "[route bench]\n"
            "source = rpsensorsrc name=src port=0 rate-limit=0 max-devices=0\n"
            "set.src.auth-token = bench-token\n"
            "branch = sensorresample name=accel full-scale=156.9064 ! "
            "sensor/x-raw,format=S16LE,rate=50/1 ! raehframepack ! "
            "raehsink name=raeh location=ws://127.0.0.1:%d/stream/ingest "
            "device-id={device} device-model-id=%s\n"
            "set.raeh.api-key = raeh_bench_key\n"
            "device-idle-timeout = 60\n" % (raeh_port, MODEL))
    env = dict(os.environ, GST_PLUGIN_PATH=os.path.join(BUILD, "plugins"))
    gw = subprocess.Popen(
        [os.path.join(BUILD, "tools", "sensor-gateway", "sensor-gateway"),
         "--config", config], stdout=subprocess.PIPE, text=True, env=env,
        stderr=open(os.path.join(tmp, "gateway.log"), "w"))
    port = announced(gw, "route")
    result = run_load(args, port, devices, gw.pid)
    t = time.monotonic()
    gw.send_signal(signal.SIGTERM)
    try:
        gw.wait(args.drain_wait)
    except subprocess.TimeoutExpired:
        gw.kill()  # said in the output: the drain did not finish
        gw.wait()
    result["drain_s"] = time.monotonic() - t
    result["exit"] = gw.returncode
    result["lost"] = lost(result["sent"], received(cloud, record))
    return result


def bench_python(args, devices, tmp):
    cloud, raeh_port, record = start_cloud(tmp)
    py = subprocess.Popen(
        ["/usr/bin/python3", os.path.join(ROOT, "bench", "gateway-python.py"),
         "--raeh", "ws://127.0.0.1:%d/stream/ingest" % raeh_port,
         "--api-key", "raeh_bench_key"], stdout=subprocess.PIPE, text=True)
    port = announced(py, "route")
    result = run_load(args, port, devices, py.pid)
    py.send_signal(signal.SIGTERM)
    py.wait(60)
    result["lost"] = lost(result["sent"], received(cloud, record))
    return result


def bench_http_floor(args, devices, paced):
    """The same posts answered by a bare libsoup handler (a fixed 200, no
    parsing, nothing forwarded) on a thread and GMainContext of its own like
    rpsensorsrc's server: the CPU that the HTTP server library alone costs
    at this load. With @paced, the context polls as rpsensorsrc's server
    thread does (gst_sensor_net_context_set_paced()): that one is the floor
    under sensor-gateway's number."""
    srv = subprocess.Popen(
        [os.path.join(BUILD, "bench", "rpsensorsrc-bench-server")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        env=dict(os.environ, GST_PLUGIN_PATH=os.path.join(BUILD, "plugins")))
    ports = srv.stdout.readline().split()
    port = int(ports[2] if paced else ports[0])
    result = run_load(args, port, devices, srv.pid)
    srv.stdin.close()
    srv.wait(30)
    result["lost"] = 0
    return result


def line(name, devices, r):
    per_k = 1000.0 / devices
    return ("%-16s %6d devices: CPU %6.1f %% of a core (%5.1f %% per 1,000), "
            "RSS %6.1f MB (%5.1f MB per 1,000), %4d threads, p99 %7.1f ms "
            "(%.1f ms after the first 5 s), "
            "%d of %d requests 200, readings lost %d"
            % (name, devices, r["cpu_pct"], r["cpu_pct"] * per_k,
               r["rss"] / 1e6, r["rss"] / 1e6 * per_k, r["threads"],
               r["p99_ms"], r.get("p99_steady_ms", 0),
               r["statuses"].get("200", 0), r["requests"],
               r["lost"]))


def main():
    global BUILD
    p = argparse.ArgumentParser()
    p.add_argument("build", nargs="?", default=os.path.join(ROOT, "build"))
    p.add_argument("--devices", type=int, nargs="+", default=[1000, 5000])
    p.add_argument("--python-devices", type=int, default=1000)
    p.add_argument("--seconds", type=int, default=20)
    p.add_argument("--warmup", type=float, default=5)
    p.add_argument("--drain-wait", type=float, default=30,
                   help="seconds to wait for the gateway to exit after SIGTERM")
    args = p.parse_args()
    BUILD = os.path.abspath(args.build)
    tmp = tempfile.mkdtemp(prefix="gateway-bench-")
    results = {}
    for n in args.devices:
        results[n] = bench_gateway(args, n, tmp)
        print(line("sensor-gateway", n, results[n]), "drain %.1f s, exit %s"
              % (results[n]["drain_s"], results[n]["exit"]), flush=True)
    plain = bench_http_floor(args, args.python_devices, False)
    print(line("libsoup bare", args.python_devices, plain),
          "(a fixed 200 per post: no parsing, nothing forwarded; "
          "GLib's own poll)", flush=True)
    floor = bench_http_floor(args, args.python_devices, True)
    print(line("libsoup paced", args.python_devices, floor),
          "(the same, polled as rpsensorsrc's server thread is: the floor)",
          flush=True)
    py = bench_python(args, args.python_devices, tmp)
    print(line("python gateway", args.python_devices, py), flush=True)
    # the largest run that kept up (every post answered 200, nothing lost,
    # p99 after start-up within the target); a saturated run's CPU says
    # nothing about devices per core
    kept_up = [d for d in args.devices
               if results[d]["lost"] == 0
               and results[d]["statuses"].get("200", 0) == results[d]["requests"]
               and results[d].get("p99_steady_ms", 0) <= P99_TARGET_MS]
    for d in args.devices:
        if d not in kept_up:
            print("sensor-gateway at %d devices did not keep up (readings lost, "
                  "posts refused or p99 after start-up over %d ms): saturated"
                  % (d, P99_TARGET_MS))
    n = max(kept_up) if kept_up else min(args.devices)
    ours = n / max(results[n]["cpu_pct"], 0.1)
    theirs = args.python_devices / max(py["cpu_pct"], 0.1)
    print("devices per core: sensor-gateway %.0f (at %d), python %.0f (at %d): "
          "%.1fx (target >= 5x)" % (ours * 100, n, theirs * 100,
                                    args.python_devices, ours / theirs))
    bare = args.python_devices / max(floor["cpu_pct"], 0.1)
    print("the libsoup HTTP server alone, paced (the floor, no work past the "
          "response): %.0f devices per core, %.1fx the python gateway; "
          "sensor-gateway spends %.0f %% of a core per 1,000 devices above it"
          % (bare * 100, bare / theirs,
             results[n]["cpu_pct"] * 1000.0 / n
             - floor["cpu_pct"] * 1000.0 / args.python_devices))
    return 0


if __name__ == "__main__":
    sys.exit(main())
