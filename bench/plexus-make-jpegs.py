#!/usr/bin/python3
# Camera-like 640x480 JPEGs at quality 85 for the Plexus benchmark: a lit
# gradient scene with textured shapes, edges and sensor noise, tuned until
# each file is 60-100 KB (flat test patterns compress far smaller and
# decode faster than camera frames).
import io
import os
import random
import sys

from PIL import Image, ImageDraw, ImageFilter

out_dir, count = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 8
W, H = 640, 480
os.makedirs(out_dir, exist_ok=True)
rng = random.Random(1)


def scene(i, noise):
    img = Image.linear_gradient('L').resize((W, H)).convert('RGB')
    img = Image.merge('RGB', (img.getchannel(0),
                              img.getchannel(0).point(lambda v: (v + 60 * i) % 256),
                              img.getchannel(0).point(lambda v: 255 - v)))
    d = ImageDraw.Draw(img)
    for _ in range(60):
        x, y = rng.randrange(W), rng.randrange(H)
        w, h = rng.randrange(10, 160), rng.randrange(10, 120)
        col = tuple(rng.randrange(256) for _ in range(3))
        if rng.random() < 0.5:
            d.rectangle([x, y, x + w, y + h], fill=col)
        else:
            d.ellipse([x, y, x + w, y + h], fill=col)
    for _ in range(200):
        d.line([rng.randrange(W), rng.randrange(H), rng.randrange(W),
                rng.randrange(H)], fill=tuple(rng.randrange(256) for _ in range(3)))
    img = img.filter(ImageFilter.GaussianBlur(0.8))
    grain = Image.effect_noise((W, H), 64).convert('RGB')
    return Image.blend(img, grain, noise)


for i in range(count):
    noise, data = 0.09, b''
    for _ in range(12):
        buf = io.BytesIO()
        scene(i, noise).save(buf, format='JPEG', quality=85)
        data = buf.getvalue()
        if len(data) < 60000:
            noise *= 1.3
        elif len(data) > 100000:
            noise /= 1.25
        else:
            break
    with open(os.path.join(out_dir, 'cam%02d.jpg' % i), 'wb') as f:
        f.write(data)
    print('%s: %d bytes' % ('cam%02d.jpg' % i, len(data)))
