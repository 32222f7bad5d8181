/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/* What the two source files of plexusvideosrc share: the element and its
 * network-thread side (gstplexusvideosrc.c), and one src pad per camera with
 * its streaming task (gstplexusvideosrc-output.c). */
#pragma once

#include <gst/video/video.h>
#include <gst/sensor/sensor.h>
#include <gst/plexus/plexus-decoder.h>
#include <gst/plexus/plexus-video.h>

#include "gstplexusvideosrc.h"
#include "gstplexusconnection.h"

G_BEGIN_DECLS

GST_DEBUG_CATEGORY_EXTERN (plexus_video_src_debug);
#define GST_CAT_DEFAULT plexus_video_src_debug

#define DEFAULT_MAX_QUEUE 4
#define AUTO_DECODE_THREADS_CAP 4

typedef struct
{
  GstPlexusVideoSrc *src;
  GstPad *pad;
  gchar *camera_id;
  GstSensorHandoffQueue *queue;

  /* streaming thread only */
  gboolean started;
  gboolean have_caps;
  gboolean raw;
  GstPlexusJpegInfo jpeg; /* of the negotiated frames */
  GstBufferPool *pool;
  GstPlexusDecoder *dec; /* frames leave it in arrival order */
  GstBuffer *pending;    /* a JPEG popped while no output buffer was free */
} Output;

struct _GstPlexusVideoSrc
{
  GstElement parent;

  GstPlexusSettings settings; /* object lock */
  gchar *camera_ids;
  guint max_queue;
  guint64 max_queue_bytes;
  guint decode_threads;
  guint64 max_pixels; /* object lock */

  GPtrArray *outputs; /* of Output*, fixed between READY and NULL */
  GstPlexusConnection *conn;
  gchar *stream_source_id;       /* source-id of the running session */
  GstStructure *last_conn_stats; /* of the last session, object lock */

  GstPlexusVideoStats stats;
};

/* gstplexusvideosrc-output.c */
Output *gst_plexus_video_output_new (
    GstPlexusVideoSrc *src, const gchar *camera_id, GstPad *pad);
void gst_plexus_video_output_free (Output *o);
void gst_plexus_video_output_queue (Output *o, GstMiniObject *obj);

G_END_DECLS
