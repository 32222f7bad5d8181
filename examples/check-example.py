#!/usr/bin/python3
# Runs one example (the C or the Python one) on a fixed pipeline and checks
# what it prints: the stream read through GstSensorInfo, buffer and sample
# counts, an epoch meta on every buffer, epoch times of today, and one
# epoch - PTS offset for the whole run (the pipeline's one anchor). A
# GStreamer leaks tracer report of an object alive at exit fails it too.
import datetime
import re
import subprocess
import sys

# 20 buffers of 128 Hz (12 samples each, 100 ms rounded down) resampled to
# 100 Hz: 1.875 s in, about 188 samples out
PIPELINE = ('sensortestsrc modality=acc_3axis rate=128 num-buffers=20 ! '
            'sensorresample ! sensor/x-raw,rate=100/1,format=F32LE ! '
            'appsink name=sink')

proc = subprocess.run(sys.argv[1:] + [PIPELINE], stdout=subprocess.PIPE,
                      stderr=subprocess.PIPE, text=True, timeout=50)
out, err = proc.stdout, proc.stderr
sys.stdout.write(out)
sys.stderr.write(err)
failures = []
if proc.returncode != 0:
    failures.append('exit status %d' % proc.returncode)
want = [
    r'^stream: F32LE 100 Hz, 3 channel\(s\), modality acc_3axis, unit m/s\^2$',
    r'^buffers: \d+, samples: 18[5-9], with epoch meta: (\d+)$',
    r'^epoch: (\S+) \.\. (\S+)$',
    r'^pts span: \d+ ns, epoch span: \d+ ns$',
    r'^epoch - pts: constant \(spread 0 ns\)$',
]
found = {}
for pattern in want:
    m = re.search(pattern, out, re.M)
    if not m:
        failures.append('no line matching %s' % pattern)
    found[pattern] = m
m = found[want[1]]
if m and not re.search(r'^buffers: %s,' % m.group(1), out, re.M):
    failures.append('not every buffer carries an epoch meta')
m = found[want[2]]
if m:
    today = datetime.datetime.now(datetime.timezone.utc)
    for stamp in m.groups():
        t = datetime.datetime.strptime(stamp, '%Y-%m-%dT%H:%M:%S.%fZ').replace(
            tzinfo=datetime.timezone.utc)
        if abs((t - today).total_seconds()) > 600:
            failures.append('epoch %s is not now (%s)' % (stamp, today))
m = re.search(r'^pts span: (\d+) ns, epoch span: (\d+) ns$', out, re.M)
if m and m.group(1) != m.group(2):
    failures.append('pts and epoch spans differ')
leaks = [l for l in err.splitlines() if 'object-alive' in l and 'GST_TRACER' in l]
if leaks:
    failures.append('the leaks tracer found %d object(s) alive at exit' % len(leaks))
for f in failures:
    print('FAIL: ' + f)
sys.exit(1 if failures else 0)
