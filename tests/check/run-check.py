#!/usr/bin/python3
# Runs one gst-check test binary and fails it when the GStreamer leaks tracer
# reports an object still alive at exit: the tracer only logs leaks, so the
# log is what tells.
#
# Tests run in one process (CK_FORK=no, for the leaks tracer). A test that
# fails leaves its elements and their tasks behind, and gst_deinit() at exit
# then waits for those tasks for ever: a failure would look like a timeout
# with nothing in the log. So this script
# - passes the test's stdout through as it comes (CK_LOG_FILE_NAME=- names
#   each test as it ends);
# - once the suite's summary says a test failed, gives the process a few
#   seconds to exit, then stops it and fails at once;
# - stops a test that is still running a little before meson's timeout,
#   after printing every thread's backtrace (gdb, when installed).
#
#   run-check.py [--timeout SECONDS] TEST-BINARY
# SENSOR_TEST_TIMEOUT_MULTIPLIER scales the timeout as meson's
# --timeout-multiplier does (scripts/test.sh sets both).
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

EXIT_GRACE_S = 10
SUMMARY = re.compile(r'^\d+%: Checks: \d+, Failures: (\d+), Errors: (\d+)')

args = sys.argv[1:]
timeout = None
if args[:1] == ['--timeout']:
    timeout = float(args[1]) * float(
        os.environ.get('SENSOR_TEST_TIMEOUT_MULTIPLIER', '1'))
    # leave meson time to read what this script prints
    timeout = max(timeout - 10, timeout * 0.8)
    args = args[2:]

failed_at = []


def pass_stdout(stream):
    for raw in iter(stream.readline, b''):
        line = raw.decode('utf-8', 'replace')
        sys.stdout.write(line)
        sys.stdout.flush()
        m = SUMMARY.match(line)
        if m and (int(m.group(1)) or int(m.group(2))) and not failed_at:
            failed_at.append(time.monotonic())


def backtraces(pid):
    gdb = shutil.which('gdb')
    if not gdb:
        sys.stdout.write('(gdb is not installed: no backtraces)\n')
        return
    subprocess.run([gdb, '-p', str(pid), '-batch', '-nx',
                    '-ex', 'set pagination off',
                    '-ex', 'thread apply all bt'],
                   stdin=subprocess.DEVNULL, timeout=60)


with tempfile.TemporaryFile() as errfile:
    start = time.monotonic()
    # its own process group, so that peers it started go with it
    proc = subprocess.Popen(args, env=dict(os.environ), stdout=subprocess.PIPE,
                            stderr=errfile, start_new_session=True)
    reader = threading.Thread(target=pass_stdout, args=(proc.stdout,))
    reader.start()
    stopped = None
    while proc.poll() is None:
        now = time.monotonic()
        if failed_at and now - failed_at[0] > EXIT_GRACE_S:
            stopped = ('a test failed and the process did not exit within '
                       '%d s (a failed test leaves its tasks running)'
                       % EXIT_GRACE_S)
        elif timeout is not None and now - start > timeout:
            stopped = 'still running after %.0f s; backtraces:' % timeout
            sys.stdout.write('\nHUNG: %s %s\n'
                             % (os.path.basename(args[0]), stopped))
            sys.stdout.flush()
            backtraces(proc.pid)
        if stopped:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            break
        time.sleep(0.2)
    reader.join(timeout=5)
    errfile.seek(0)
    err = errfile.read().decode('utf-8', 'replace')

sys.stderr.write(err)
if stopped:
    sys.stderr.write('\nFAIL: %s: %s\n' % (os.path.basename(args[0]), stopped))
    sys.exit(1)
leaks = [line for line in err.splitlines()
         if 'object-alive' in line and 'GST_TRACER' in line]
if proc.returncode != 0:
    sys.exit(proc.returncode if proc.returncode > 0 else 1)
if leaks:
    sys.stderr.write('\nFAIL: the leaks tracer found %d object(s) alive at exit\n'
                     % len(leaks))
    sys.exit(1)
sys.exit(0)
