#!/usr/bin/python3
# Hostile WebSocket client (raw asyncio sockets, frames written by hand):
#   ws_hostile_client.py PORT PATH_AND_QUERY [TARGET_MIB]
# upgrades on 127.0.0.1:PORT, then sends one binary non-FIN frame and
# continuation frames without end, ignoring the server's close, until
# TARGET_MIB (default 320) MiB were offered or the server drops it; then
# prints {"close": code of the server's close frame or null, "reason": ...,
# "offered": bytes} and exits. Exit status 2 when the upgrade is refused.
import asyncio
import base64
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ws_hostile_common import accept_key, flood, target_bytes  # noqa: E402


async def main():
    port, path = int(sys.argv[1]), sys.argv[2]
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    key = base64.b64encode(os.urandom(16))
    writer.write(b'GET ' + path.encode() + b' HTTP/1.1\r\n'
                 b'Host: 127.0.0.1:' + str(port).encode() + b'\r\n'
                 b'Upgrade: websocket\r\nConnection: Upgrade\r\n'
                 b'Sec-WebSocket-Key: ' + key + b'\r\n'
                 b'Sec-WebSocket-Version: 13\r\n\r\n')
    head = await reader.readuntil(b'\r\n\r\n')
    if not head.startswith(b'HTTP/1.1 101') or accept_key(key) not in head:
        print(head.decode('latin-1').splitlines()[0], file=sys.stderr)
        sys.exit(2)
    await flood(reader, writer, True, target_bytes(sys.argv, 3))


if __name__ == '__main__':
    asyncio.run(main())
