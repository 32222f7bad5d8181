#!/usr/bin/python3
# Hostile WebSocket server (raw asyncio sockets, frames written by hand).
# Binds 127.0.0.1 on a free port and prints that port on stdout. Each
# connection is upgraded, then gets one binary non-FIN frame and
# continuation frames without end, ignoring the client's close, until
# [TARGET_MIB] (default 320) MiB were offered or the client drops it; then
# one JSON line: {"close": code of the client's close frame or null,
# "reason": ..., "offered": bytes}.
import asyncio
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ws_hostile_common import accept_key, flood, target_bytes  # noqa: E402

TARGET = target_bytes(sys.argv, 1)


async def handle(reader, writer):
    head = await reader.readuntil(b'\r\n\r\n')
    key = None
    for line in head.split(b'\r\n'):
        name, _, value = line.partition(b':')
        if name.strip().lower() == b'sec-websocket-key':
            key = value.strip()
    writer.write(b'HTTP/1.1 101 Switching Protocols\r\n'
                 b'Upgrade: websocket\r\nConnection: Upgrade\r\n'
                 b'Sec-WebSocket-Accept: ' + accept_key(key) + b'\r\n\r\n')
    await flood(reader, writer, False, TARGET)


async def main():
    server = await asyncio.start_server(handle, '127.0.0.1', 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == '__main__':
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
