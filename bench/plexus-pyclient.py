#!/usr/bin/python3
# The Plexus video client a user would write in Python: websockets, json,
# base64 and PIL. Decodes N frames and prints {"fps": ..., "cpu_ms": ...}
# (CPU per frame) measured from the first frame to the last.
import asyncio
import base64
import io
import json
import sys
import time

import websockets
from PIL import Image


async def main(uri, key, frames):
    async with websockets.connect(uri, max_size=None) as ws:
        await ws.send(json.dumps({'type': 'auth', 'api_key': key}))
        n, t0, c0 = 0, None, None
        while n < frames:
            msg = json.loads(await ws.recv())
            if msg.get('type') != 'video_frame':
                continue
            img = Image.open(io.BytesIO(base64.b64decode(msg['frame'])))
            img.load()
            n += 1
            if n == 1:
                t0, c0 = time.monotonic(), time.process_time()
        t1, c1 = time.monotonic(), time.process_time()
    print(json.dumps({'fps': (n - 1) / (t1 - t0),
                      'cpu_ms': (c1 - c0) * 1000 / (n - 1)}), flush=True)


asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
