#!/usr/bin/env python3
# gst-plugins-sensor
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Runs protoc-c on ramen.proto and on the google.protobuf.Timestamp it
# imports, and writes the four generated files flat into the output
# directory (meson outputs cannot live in subdirectories).
#   gen-proto.py PROTOC_C PROTO WKT_INCLUDE_DIR OUTDIR
import os
import shutil
import subprocess
import sys
import tempfile

protoc_c, proto, wkt_dir, outdir = sys.argv[1:5]
with tempfile.TemporaryDirectory() as tmp:
    subprocess.run([protoc_c, '--c_out=' + tmp,
                    '-I' + os.path.dirname(os.path.abspath(proto)),
                    '-I' + wkt_dir,
                    os.path.basename(proto),
                    'google/protobuf/timestamp.proto'], check=True)
    pairs = [(os.path.join(tmp, 'ramen.pb-c.c'), 'ramen.pb-c.c'),
             (os.path.join(tmp, 'ramen.pb-c.h'), 'ramen.pb-c.h'),
             (os.path.join(tmp, 'google', 'protobuf', 'timestamp.pb-c.c'),
              'timestamp.pb-c.c'),
             (os.path.join(tmp, 'google', 'protobuf', 'timestamp.pb-c.h'),
              'timestamp.pb-c.h')]
    for src, dst in pairs:
        with open(src) as f:
            text = f.read()
        text = text.replace('"google/protobuf/timestamp.pb-c.h"',
                            '"timestamp.pb-c.h"')
        with open(os.path.join(outdir, dst), 'w') as f:
            f.write(text)
