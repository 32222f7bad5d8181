#!/usr/bin/python3
# WebSocket echo peer for the sensor WebSocket client tests (websockets 10.4).
# Binds 127.0.0.1 on a free port and prints that port on stdout, then echoes
# every text and binary message. A text message "close <code> <reason>" makes
# it close the connection with that code and reason instead.
import asyncio
import sys

import websockets


async def handler(ws, path=None):
    async for message in ws:
        if isinstance(message, str) and message.startswith('close '):
            parts = message.split(' ', 2)
            code = int(parts[1])
            reason = parts[2] if len(parts) > 2 else ''
            await ws.close(code=code, reason=reason)
            return
        await ws.send(message)


async def main():
    async with websockets.serve(handler, '127.0.0.1', 0) as server:
        port = server.sockets[0].getsockname()[1]
        print(port, flush=True)
        await asyncio.Future()


if __name__ == '__main__':
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
