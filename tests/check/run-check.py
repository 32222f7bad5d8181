#!/usr/bin/python3
# Runs one gst-check test binary and fails it when the GStreamer leaks tracer
# reports an object still alive at exit: the tracer only logs leaks, so the
# log is what tells.
import os
import subprocess
import sys

env = dict(os.environ)
proc = subprocess.run(sys.argv[1:], env=env, stderr=subprocess.PIPE)
err = proc.stderr.decode('utf-8', 'replace')
sys.stderr.write(err)
leaks = [line for line in err.splitlines()
         if 'object-alive' in line and 'GST_TRACER' in line]
if proc.returncode != 0:
    sys.exit(proc.returncode)
if leaks:
    sys.stderr.write('\nFAIL: the leaks tracer found %d object(s) alive at exit\n'
                     % len(leaks))
    sys.exit(1)
sys.exit(0)
