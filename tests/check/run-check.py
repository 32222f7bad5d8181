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
# --timeout-multiplier does (meson does not tell its tests, so
# scripts/test.sh sets both); 0 turns this script's timeout off, as
# `meson test -t 0` does meson's.
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
margin = 0.0
if args[:1] == ['--timeout']:
    full = float(args[1]) * float(
        os.environ.get('SENSOR_TEST_TIMEOUT_MULTIPLIER', '1'))
    if full > 0:
        # leave time for the backtraces, and for meson to read them
        timeout = max(full - 10, full * 0.8)
        margin = full - timeout
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


def backtraces(pid, seconds):
    gdb = shutil.which('gdb')
    if not gdb:
        sys.stdout.write('(gdb is not installed: no backtraces)\n')
        return
    try:
        subprocess.run([gdb, '-p', str(pid), '-batch', '-nx',
                        '-ex', 'set pagination off',
                        '-ex', 'thread apply all bt'],
                       stdin=subprocess.DEVNULL, timeout=seconds)
    except subprocess.TimeoutExpired:
        sys.stdout.write('(gdb took longer than %.0f s)\n' % seconds)


proc = None


def kill_test(signum=None, frame=None):
    # the test has a process group of its own: meson's kill of this script
    # would not reach it, and a hung test would run on for ever
    if proc is not None and proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
    if signum is not None:
        sys.exit(128 + signum)


signal.signal(signal.SIGTERM, kill_test)
signal.signal(signal.SIGINT, kill_test)


with tempfile.TemporaryFile() as errfile:
    start = time.monotonic()
    # its own process group, so that peers it started go with it
    proc = subprocess.Popen(args, env=dict(os.environ), stdout=subprocess.PIPE,
                            stderr=errfile, start_new_session=True)
    reader = threading.Thread(target=pass_stdout, args=(proc.stdout,),
                              daemon=True)
    reader.start()
    stopped = None
    try:
        while proc.poll() is None:
            now = time.monotonic()
            if failed_at and now - failed_at[0] > EXIT_GRACE_S:
                stopped = ('a test failed and the process did not exit '
                           'within %d s (a failed test leaves its tasks '
                           'running)' % EXIT_GRACE_S)
            elif timeout is not None and now - start > timeout:
                stopped = 'still running after %.0f s; backtraces:' % timeout
                sys.stdout.write('\nHUNG: %s %s\n'
                                 % (os.path.basename(args[0]), stopped))
                sys.stdout.flush()
                backtraces(proc.pid, max(margin - 3, 2))
            if stopped:
                break
            time.sleep(0.2)
    finally:
        kill_test()
    reader.join(timeout=5)
    errfile.seek(0)
    err = errfile.read().decode('utf-8', 'replace')

sys.stderr.write(err)
if stopped:
    sys.stderr.write('\nFAIL: %s: %s\n' % (os.path.basename(args[0]), stopped))
    sys.exit(1)
leaks = [line for line in err.splitlines()
         if 'object-alive' in line and 'GST_TRACER' in line]
if failed_at:
    # gst-check exits with the failure count, which meson would read as a
    # skip (77) or a pass (256)
    sys.exit(1)
if proc.returncode != 0:
    sys.exit(proc.returncode if proc.returncode > 0 else 1)
if leaks:
    sys.stderr.write('\nFAIL: the leaks tracer found %d object(s) alive at exit\n'
                     % len(leaks))
    sys.exit(1)
sys.exit(0)
