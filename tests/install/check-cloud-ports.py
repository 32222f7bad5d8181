#!/usr/bin/python3
# sensor-cloud on a fixed port per service (--raeh-port, --plexus-port,
# --ramen-port, --helios-port), as the README's command lines use them: each
# is announced, and each answers on its port. The old --port/--only flags
# still work, and a bad port is refused with a clear message.
#
#   check-cloud-ports.py SENSOR_CLOUD PART...   (PART: the parts built)
import json
import signal
import socket
import subprocess
import sys

cloud_bin, parts = sys.argv[1], set(sys.argv[2:])
failures = []


def free_ports(n):
    socks = [socket.socket() for _ in range(n)]
    for s in socks:
        s.bind(('127.0.0.1', 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def start(args, expect):
    proc = subprocess.Popen([cloud_bin] + args, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    seen = {}
    while set(seen) != expect:
        line = proc.stdout.readline()
        if not line:
            break
        a = json.loads(line)
        seen[a['part']] = a['port']
    return proc, seen


def stop(proc, what):
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    if proc.returncode != 0:
        failures.append('%s: exit %d: %s' % (what, proc.returncode, err))


def http_status(port, path):
    with socket.create_connection(('127.0.0.1', port), timeout=10) as s:
        s.sendall(b'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'
                  % path.encode())
        return s.recv(64).split(b'\r\n')[0].decode()


raeh, plexus, ramen, helios = free_ports(4)
want = {'raeh': raeh, 'plexus': plexus, 'ramen': ramen, 'helios': helios}
want = {p: port for p, port in want.items() if p in parts}
args = []
for p, port in want.items():
    args += ['--%s-port' % p, str(port)]
print('$ sensor-cloud ' + ' '.join(args))
proc, seen = start(args, set(want) | {'http'})
print(seen)
for p, port in want.items():
    if seen.get(p) != port:
        failures.append('%s announced on %s, not %d' % (p, seen.get(p), port))
if 'raeh' in want:
    # a plain GET on the WebSocket path: an HTTP answer, not a refused connection
    status = http_status(raeh, '/stream/ingest')
    print('raeh port:', status)
    if not status.startswith('HTTP/1.1 '):
        failures.append('raeh port: %r' % status)
if 'plexus' in want:
    status = http_status(plexus, '/v1/sources/robot-01/video')
    print('plexus port:', status)
    if not status.startswith('HTTP/1.1 '):
        failures.append('plexus port: %r' % status)
for p in ('ramen', 'helios'):
    if p in want:
        socket.create_connection(('127.0.0.1', want[p]), timeout=10).close()
stop(proc, 'fixed ports')

# the existing flags: one shared port, parts picked with --only
print('$ sensor-cloud --port %d --only raeh' % raeh)
proc, seen = start(['--port', str(raeh), '--only', 'raeh'], {'http'})
if seen.get('http') != raeh:
    failures.append('--port: announced %s' % seen)
stop(proc, '--port')

bad = subprocess.run([cloud_bin, '--ramen-port', '70000'], stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE, text=True, timeout=30)
print('$ sensor-cloud --ramen-port 70000: exit %d: %s' % (bad.returncode, bad.stderr.strip()))
if bad.returncode != 2 or '--ramen-port: 70000 is not a port' not in bad.stderr:
    failures.append('bad port accepted: %d %s' % (bad.returncode, bad.stderr))

for f in failures:
    print('FAIL: ' + f)
sys.exit(1 if failures else 0)
