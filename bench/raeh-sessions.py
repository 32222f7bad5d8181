#!/usr/bin/python3
# Raeh benchmark (b): N concurrent device sessions (default 1,000) in one
# process at real-time rates (ppg_green 100 Hz + acc_3axis 50 Hz each),
# streaming into the local sensor-cloud. Prints the bench process's CPU % of
# one core, RSS and thread count (targets: <= 30 %, <= 300 MB), the cloud's
# own CPU for reference, and checks from the cloud's record that every
# session delivered its frames.
#
# Usage: bench/raeh-sessions.py [BUILD_DIR] [N] [SECONDS]
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time

build = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build")
n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
seconds = int(sys.argv[3]) if len(sys.argv) > 3 else 20
env = dict(os.environ, GST_PLUGIN_PATH=os.path.join(build, "plugins"))

with tempfile.TemporaryDirectory() as tmp:
    record = os.path.join(tmp, "record.json")
    cloud = subprocess.Popen([os.path.join(build, "tools/sensor-cloud/sensor-cloud"),
                              "--only", "raeh", "--record", record],
                             stdout=subprocess.PIPE, text=True)
    port = json.loads(cloud.stdout.readline())["port"]
    t0 = time.monotonic()
    out = subprocess.run([os.path.join(build, "bench/raeh-sessions"),
                          "ws://127.0.0.1:%d/stream/ingest" % port, str(n), str(seconds)],
                         check=True, capture_output=True, text=True, env=env)
    wall = time.monotonic() - t0
    cloud.send_signal(signal.SIGTERM)
    cloud.wait()
    cloud_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    res = json.loads(out.stdout.strip().splitlines()[-1])
    rec = json.load(open(record))["raeh"]

sessions = rec["sessions"]
frames = [s["frames"] for s in sessions]
bad = [s for s in sessions if s.get("bad_frame")]
cont = all(sl["continuous"] for s in sessions for sl in s["slots"])
print(out.stderr.strip())
print("%d sessions, measured %.1f s after a 3 s warm-up" % (res["sessions"], res["seconds"]))
print("  bench process: %.1f %% of one core, RSS %.1f MB, %d threads" %
      (res["cpu_percent"], res["rss_mb"], res["threads"]))
print("  targets: <= 30 %% CPU (%s), <= 300 MB RSS (%s)" % (
    "met" if res["cpu_percent"] <= 30 else "MISSED",
    "met" if res["rss_mb"] <= 300 else "MISSED"))
print("  cloud received: %d sessions, %d..%d frames each, t0 continuous: %s, bad frames: %d" %
      (len(sessions), min(frames or [0]), max(frames or [0]), cont, len(bad)))
print("  (children CPU incl. the cloud over %.0f s: %.1f s)" %
      (wall, cloud_cpu.ru_utime + cloud_cpu.ru_stime))
