#!/usr/bin/python3
# Frame writing and close-frame reading shared by the hostile WebSocket
# peers. Raw sockets only: nothing of this project and no WebSocket library.
import asyncio
import base64
import hashlib
import json
import struct

GUID = b'258EAFA5-E914-47DA-95CA-C5AB0DC85B11'
CHUNK = 60000


def accept_key(key):
    return base64.b64encode(hashlib.sha1(key + GUID).digest())


def frame(fin, opcode, payload, masked):
    n = len(payload)
    first = (0x80 if fin else 0) | opcode
    bit = 0x80 if masked else 0
    if n < 126:
        head = struct.pack('!BB', first, bit | n)
    elif n <= 0xffff:
        head = struct.pack('!BBH', first, bit | 126, n)
    else:
        head = struct.pack('!BBQ', first, bit | 127, n)
    if not masked:
        return head + payload
    # a zero key leaves the payload as it is (the peer unmasks all the same)
    return head + b'\0\0\0\0' + payload


async def read_close(reader, masked):
    """Reads frames until a close frame: (code, reason), or (None, '')."""
    try:
        while True:
            b0, b1 = await reader.readexactly(2)
            n = b1 & 0x7f
            if n == 126:
                n = struct.unpack('!H', await reader.readexactly(2))[0]
            elif n == 127:
                n = struct.unpack('!Q', await reader.readexactly(8))[0]
            key = await reader.readexactly(4) if b1 & 0x80 else b'\0\0\0\0'
            data = bytearray(await reader.readexactly(n))
            for i in range(len(data)):
                data[i] ^= key[i % 4]
            if b0 & 0x0f == 0x08:
                if len(data) >= 2:
                    code = struct.unpack('!H', bytes(data[:2]))[0]
                    return code, bytes(data[2:]).decode('utf-8', 'replace')
                return 1005, ''
    except (OSError, EOFError, ValueError):
        return None, ''


async def flood(reader, writer, masked, target):
    """One binary non-FIN frame, then continuation frames without end,
    whatever the peer says, until @target bytes or the connection drops.
    Prints {"close": code, "reason": ..., "offered": bytes}."""
    closer = asyncio.ensure_future(read_close(reader, masked))
    burst = frame(False, 0x0, b'x' * CHUNK, masked) * 16
    offered = 1024
    try:
        writer.write(frame(False, 0x2, b'x' * 1024, masked))
        while offered < target:
            writer.write(burst)
            offered += 16 * CHUNK
            await writer.drain()
    except (OSError, ConnectionError):
        pass
    try:
        code, reason = await asyncio.wait_for(closer, 10)
    except asyncio.TimeoutError:
        code, reason = None, ''
    print(json.dumps({'close': code, 'reason': reason, 'offered': offered}),
          flush=True)
    writer.close()


def target_bytes(argv, index, default_mib=320):
    mib = int(argv[index]) if len(argv) > index else default_mib
    return mib * 1024 * 1024
