/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/sensor/sensor.h>

G_BEGIN_DECLS

#define GST_TYPE_RAEH_FRAME_PACK (gst_raeh_frame_pack_get_type ())
G_DECLARE_FINAL_TYPE (
    GstRaehFramePack, gst_raeh_frame_pack, GST, RAEH_FRAME_PACK, GstElement);

/** Caps of encoded frames: one complete wire frame per buffer. */
#define GST_RAEH_FRAME_MEDIA_TYPE "application/x-raeh-frame"

G_END_DECLS
