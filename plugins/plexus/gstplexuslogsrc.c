/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-plexuslogsrc
 *
 * Reads a Plexus Data API logs stream (`/v1/sources/{id}/logs/stream`) and
 * outputs each event as one JSON object per buffer (`application/x-json`,
 * newline-terminated), PTS the running time of arrival, the event's own
 * timestamp in the epoch meta.
 *
 * |[
 * gst-launch-1.0 plexuslogsrc location=ws://127.0.0.1:8080 \
 *     source-id=robot-01 api-key=plx_... ! fakesink dump=true
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstplexuselements.h"
#include "gstplexuslogsrc.h"

struct _GstPlexusLogSrc
{
  GstPlexusJsonSrc parent;
};

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE (
    "src", GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS ("application/x-json"));

G_DEFINE_TYPE (GstPlexusLogSrc, gst_plexus_log_src, GST_TYPE_PLEXUS_JSON_SRC);
GST_ELEMENT_REGISTER_DEFINE (
    plexuslogsrc, "plexuslogsrc", GST_RANK_NONE, GST_TYPE_PLEXUS_LOG_SRC);

static void
gst_plexus_log_src_class_init (GstPlexusLogSrcClass *klass)
{
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstPlexusJsonSrcClass *json_class = GST_PLEXUS_JSON_SRC_CLASS (klass);

  json_class->stream = GST_PLEXUS_STREAM_LOGS;
  json_class->frame_type = GST_PLEXUS_FRAME_EVENT;
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "Plexus logs stream source", "Source/Network",
      "Reads events from a Plexus Data API logs stream as JSON objects",
      "gst-plugins-sensor");
}

static void
gst_plexus_log_src_init (GstPlexusLogSrc *self)
{}
