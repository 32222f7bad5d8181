#!/usr/bin/python3
# gst-plugins-sensor
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Embedding example in Python (PyGObject): the same as sensor-epoch-stats.c.
# Runs a pipeline that ends in an appsink, reads each buffer's caps through
# GstSensor.SensorInfo and its Unix epoch time (the `timestamp/x-unix`
# GstReferenceTimestampMeta) through GstSensor.buffer_get_sensor_epoch(),
# and prints stats. With an install in PREFIX:
#
#   GI_TYPELIB_PATH=PREFIX/lib/x86_64-linux-gnu/girepository-1.0 \
#   LD_LIBRARY_PATH=PREFIX/lib/x86_64-linux-gnu \
#   GST_PLUGIN_PATH=PREFIX/lib/x86_64-linux-gnu/gstreamer-1.0 \
#     python3 sensor-epoch-stats.py [PIPELINE]
import sys
import time

import gi
gi.require_version('Gst', '1.0')
gi.require_version('GstSensor', '1.0')
from gi.repository import Gst, GstSensor  # noqa: E402

DEFAULT_PIPELINE = ('sensortestsrc modality=ppg_green rate=128 num-buffers=20 ! '
                    'sensorresample ! sensor/x-raw,rate=100/1 ! appsink name=sink')


def format_epoch(ns):
    return '%s.%03dZ' % (time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(ns // 10**9)),
                         ns % 10**9 // 10**6)


def main():
    Gst.init(None)
    pipeline = Gst.parse_launch(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_PIPELINE)
    sink = pipeline.get_by_name('sink')
    if sink is None or sink.get_factory().get_name() != 'appsink':
        print('pipeline: needs an appsink named "sink"', file=sys.stderr)
        return 2
    pipeline.set_state(Gst.State.PLAYING)

    info = None
    buffers = samples = 0
    pts = []
    offsets = []
    epochs = []
    ret = 0
    while True:
        sample = sink.emit('pull-sample')
        if sample is None:
            break
        buf = sample.get_buffer()
        if info is None:
            info = GstSensor.SensorInfo.new_from_caps(sample.get_caps())
            if info is None:
                print('not sensor/x-raw: %s' % sample.get_caps().to_string(),
                      file=sys.stderr)
                ret = 1
                break
        buffers += 1
        samples += buf.get_size() // info.bpf
        pts.append(buf.pts)
        ok, epoch = GstSensor.buffer_get_sensor_epoch(buf)
        if ok:
            epochs.append(epoch)
            offsets.append(epoch - buf.pts)

    msg = pipeline.get_bus().pop_filtered(Gst.MessageType.ERROR)
    if msg:
        print('error: %s' % msg.parse_error()[0].message, file=sys.stderr)
        ret = 1
    pipeline.set_state(Gst.State.NULL)

    if info:
        print('stream: %s %g Hz, %d channel(s), modality %s, unit %s' % (
            GstSensor.sensor_format_to_string(info.format), info.get_rate(),
            info.channels, info.modality or '(NULL)', info.unit or '(NULL)'))
    print('buffers: %d, samples: %d, with epoch meta: %d' % (buffers, samples, len(epochs)))
    if epochs:
        print('epoch: %s .. %s' % (format_epoch(epochs[0]), format_epoch(epochs[-1])))
        print('pts span: %d ns, epoch span: %d ns' % (pts[-1] - pts[0], epochs[-1] - epochs[0]))
        print('epoch - pts: %s (spread %d ns)' % (
            'constant' if max(offsets) == min(offsets) else 'varies',
            max(offsets) - min(offsets)))
    return ret


if __name__ == '__main__':
    sys.exit(main())
