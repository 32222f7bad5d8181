/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/sensor/sensor.h>
#include <gst/raeh/raeh-caps.h>

G_BEGIN_DECLS

#define GST_TYPE_RAEH_FRAME_PACK (gst_raeh_frame_pack_get_type ())
G_DECLARE_FINAL_TYPE (
    GstRaehFramePack, gst_raeh_frame_pack, GST, RAEH_FRAME_PACK, GstElement);

G_END_DECLS
