# Helpers shared by the gateway benchmarks: processes that announce their
# ports as JSON lines ({"part": ..., "port": N}), and free loopback ports.
import json
import socket


def announced(proc, part):
    """Reads @proc's stdout until it announces @part; returns the port."""
    while True:
        line = proc.stdout.readline()
        if not line:
            raise SystemExit("process exited before announcing %s" % part)
        try:
            msg = json.loads(line)
        except ValueError:
            continue
        if msg.get("part") == part:
            return msg["port"]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port
