#!/usr/bin/python3
# sensor-cloud keeps accepting after running out of file descriptors: its
# descriptor limit is lowered from outside (prlimit) just above what it has
# open, idle connections exhaust it, the server says so on stderr, and once
# they are closed and the limit restored a plain HTTP request is answered
# again. The client is raw Python sockets, sharing no code with the server.
import json
import os
import resource
import socket
import subprocess
import sys
import threading
import time

cloud = sys.argv[1]
proc = subprocess.Popen([cloud, '--only', 'none'], stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE, text=True)
lines = []


def read_stderr():
    for line in proc.stderr:
        lines.append(line.rstrip('\n'))


threading.Thread(target=read_stderr, daemon=True).start()


def wait_for(text, timeout=10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if any(text in line for line in lines):
            return True
        time.sleep(0.05)
    return False


def fail(msg):
    proc.kill()
    print('FAIL: %s\nstderr: %s' % (msg, '\n'.join(lines)))
    sys.exit(1)


try:
    announce = json.loads(proc.stdout.readline())
    port = announce['port']
    old = resource.prlimit(proc.pid, resource.RLIMIT_NOFILE)
    open_now = len(os.listdir('/proc/%d/fd' % proc.pid))
    resource.prlimit(proc.pid, resource.RLIMIT_NOFILE, (open_now + 16, old[1]))

    conns = []
    for _ in range(60):
        conns.append(socket.create_connection(('127.0.0.1', port), timeout=5))
    if not wait_for('http: not accepting connections: '):
        fail('no report of the accept error')
    if not any('Too many open files' in line for line in lines):
        fail('the report does not name the cause')

    for c in conns:
        c.close()
    resource.prlimit(proc.pid, resource.RLIMIT_NOFILE, old)
    s = socket.create_connection(('127.0.0.1', port), timeout=10)
    s.sendall(b'GET /nothing HTTP/1.1\r\nHost: 127.0.0.1\r\n'
              b'Connection: close\r\n\r\n')
    answer = b''
    while True:
        data = s.recv(4096)
        if not data:
            break
        answer += data
    s.close()
    if not answer.startswith(b'HTTP/1.1 404 '):
        fail('no answer after the descriptors came free: %r' % answer)
    if not wait_for('http: accepting connections again'):
        fail('no report of accepting again')
finally:
    proc.terminate()
    proc.wait(timeout=10)
print('1 passed, 0 failed')
