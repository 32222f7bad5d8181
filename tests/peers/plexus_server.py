#!/usr/bin/python3
# A Plexus Data API video stream written only with python3-websockets and
# PIL, sharing no code with this project: it checks the auth frame, sends
# init, then real JPEG files (made here with PIL, written to --jpeg-dir so a
# test can compare bytes), then closes with 4008 like the real server's
# stream timeout. Prints {"port": N} on stdout once listening.
import argparse
import asyncio
import base64
import io
import json
import os
import random
import sys
import time

import websockets
from PIL import Image, ImageDraw, ImageFilter

KEY = 'plx_0123456789abcdef0123456789abcdef'


def make_jpegs(directory, count, width, height):
    """Camera-like frames: gradients, shapes, blur and sensor noise."""
    rng = random.Random(7)
    files = []
    for i in range(count):
        img = Image.new('RGB', (width, height))
        px = img.load()
        for y in range(height):
            for x in range(width):
                px[x, y] = ((x * 255) // width, (y * 255) // height,
                            (i * 60 + x + y) % 256)
        draw = ImageDraw.Draw(img)
        for _ in range(12):
            x0, y0 = rng.randrange(width), rng.randrange(height)
            draw.ellipse([x0, y0, x0 + rng.randrange(8, 40),
                          y0 + rng.randrange(8, 40)],
                         fill=(rng.randrange(256), rng.randrange(256),
                               rng.randrange(256)))
        img = img.filter(ImageFilter.GaussianBlur(1))
        noise = Image.effect_noise((width, height), 12).convert('RGB')
        img = Image.blend(img, noise, 0.1)
        buf = io.BytesIO()
        img.save(buf, format='JPEG', quality=85)
        data = buf.getvalue()
        path = os.path.join(directory, 'frame%02d.jpg' % i)
        with open(path, 'wb') as f:
            f.write(data)
        files.append(data)
    return files


async def handler(ws, path, args, jpegs):
    parts = path.split('?')[0].split('/')
    if len(parts) != 6 or parts[4] != 'video' or parts[5] != 'stream':
        await ws.close(1008, 'unknown stream')
        return
    source_id = parts[3]
    try:
        first = await asyncio.wait_for(ws.recv(), timeout=10.0)
        msg = json.loads(first)
    except (asyncio.TimeoutError, ValueError, websockets.ConnectionClosed):
        await ws.close(4001, 'unauthorized')
        return
    if not isinstance(msg, dict) or msg.get('type') != 'auth' \
            or msg.get('api_key') != KEY:
        await ws.close(4001, 'unauthorized')
        return
    await ws.send(json.dumps({'type': 'init', 'online_sources': [
        {'source_id': source_id, 'platform': 'python',
         'cameras': [{'camera_id': 'default', 'video_type': 'rgb'}]}]}))
    for i in range(args.frames):
        data = jpegs[i % len(jpegs)]
        await ws.send(json.dumps({
            'type': 'video_frame', 'source_id': source_id,
            'camera_id': 'default',
            'frame': base64.b64encode(data).decode('ascii'),
            'width': args.width, 'height': args.height,
            'timestamp': int(time.time() * 1000)}))
        await asyncio.sleep(args.interval)
    await ws.close(4008, 'stream timeout')


async def main():
    p = argparse.ArgumentParser()
    p.add_argument('--jpeg-dir', required=True)
    p.add_argument('--frames', type=int, default=6)
    p.add_argument('--count', type=int, default=3)
    p.add_argument('--width', type=int, default=160)
    p.add_argument('--height', type=int, default=120)
    p.add_argument('--interval', type=float, default=0.03)
    args = p.parse_args()
    jpegs = make_jpegs(args.jpeg_dir, args.count, args.width, args.height)
    async with websockets.serve(lambda ws, path: handler(ws, path, args, jpegs),
                                '127.0.0.1', 0, max_size=None) as server:
        port = server.sockets[0].getsockname()[1]
        print(json.dumps({'port': port}), flush=True)
        # until the test closes our stdin
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, sys.stdin.read)


asyncio.run(main())
