/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-plexusvideosrc
 *
 * Reads a Plexus Data API video stream (`/v1/sources/{id}/video/stream`)
 * and outputs its JPEG frames as `image/jpeg`, or decoded with TurboJPEG
 * into `video/x-raw` (I420, RGB, BGRx, GRAY8) when downstream asks for raw
 * video. Several cameras share one socket and get one src pad each
 * (`src_0`, `src_1`, ... in `camera-id` order).
 *
 * PTS is the running time at which the frame arrived; the frame's own
 * `timestamp` (Unix ms) rides in the epoch meta (`timestamp/x-unix`).
 *
 * Raw output is decoded on `decode-threads` worker threads per camera, one
 * frame each; frames still leave in arrival order, and every frame in
 * flight goes out before a caps change or an event.
 *
 * |[
 * gst-launch-1.0 plexusvideosrc location=ws://127.0.0.1:8080 \
 *     source-id=robot-01 api-key=plx_... ! video/x-raw,format=I420 ! \
 *     videoconvert ! autovideosink
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <turbojpeg.h>
#include <gst/video/video.h>
#include <gst/sensor/sensor.h>

#include "gstplexuselements.h"
#include "gstplexusvideosrc.h"
#include "gstplexusconnection.h"

GST_DEBUG_CATEGORY_STATIC (plexus_video_src_debug);
#define GST_CAT_DEFAULT plexus_video_src_debug

#define DEFAULT_CAMERA_ID "default"
#define DEFAULT_TIMEOUT 0
#define DEFAULT_CONNECT_TIMEOUT GST_SENSOR_NET_PROPS_DEFAULT_TIMEOUT
#define DEFAULT_RECONNECT_ON_TIMEOUT FALSE
#define DEFAULT_MAX_QUEUE 4
#define DEFAULT_MAX_QUEUE_BYTES (G_GUINT64_CONSTANT (64) << 20)
#define DEFAULT_DECODE_THREADS 0
#define DEFAULT_MAX_PIXELS (4096 * 4096)
#define MAX_DECODE_THREADS 16
#define AUTO_DECODE_THREADS_CAP 4

#define RAW_FORMATS "{ I420, RGB, BGRx, GRAY8 }"

enum {
  PROP_CAMERA_ID = GST_PLEXUS_PROP_LAST,
  PROP_TIMEOUT,
  PROP_CONNECT_TIMEOUT,
  PROP_RECONNECT_ON_TIMEOUT,
  PROP_MAX_QUEUE,
  PROP_DECODE_THREADS,
  PROP_MAX_QUEUE_BYTES,
  PROP_MAX_PIXELS,
};

static GstStaticPadTemplate src_template =
    GST_STATIC_PAD_TEMPLATE ("src_%u", GST_PAD_SRC, GST_PAD_SOMETIMES,
        GST_STATIC_CAPS (
            "image/jpeg, width = (int) [ 1, 65535 ], "
            "height = (int) [ 1, 65535 ], framerate = (fraction) 0/1; "
            "video/x-raw, format = (string) " RAW_FORMATS ", "
            "width = (int) [ 1, 65535 ], height = (int) [ 1, 65535 ], "
            "framerate = (fraction) 0/1, pixel-aspect-ratio = (fraction) 1/1"));

/* One frame being decoded off the streaming thread. */
typedef struct
{
  GstBuffer *jpeg;
  GstBuffer *out; /* acquired from the pool in stream order */
  gboolean ok;
  gchar *error;  /* TurboJPEG's message when !ok */
  gboolean done; /* Output.job_lock */
} DecodeJob;

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
  guint jpeg_width, jpeg_height;
  GstPlexusJpegSubsampling subsampling;
  GstVideoInfo info;
  GstBufferPool *pool;
  tjhandle tj;
  GstVideoConverter *convert; /* RGB -> I420 for non-4:2:0 JPEGs */
  GstVideoInfo tmp_info;
  GstBuffer *tmp;

  /* frame-parallel decoding: jobs go to the workers and come back out in
   * order; the streaming thread owns the FIFO, workers only set `done` */
  guint n_threads; /* fixed while the pad is active */
  GThreadPool *workers;
  GQueue jobs;        /* DecodeJob*, oldest first */
  GstBuffer *pending; /* a JPEG popped while no output buffer was free */
  GMutex job_lock;
  GCond job_cond; /* a job is done, or the data queue got an item */
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

  GMutex stats_lock;
  gint64 last_warn_us;
  guint64 frames_received;
  guint64 frames_pushed;
  guint64 dropped_base64;
  guint64 dropped_jpeg;
  guint64 dropped_size;
  guint64 dropped_decode;
  guint64 dropped_not_playing;
  guint64 unknown_camera;
  guint64 negotiations;
  guint64 oversized_frames;
  gboolean oversized_warned;
};

static GType frame_meta_api;

G_DEFINE_TYPE (GstPlexusVideoSrc, gst_plexus_video_src, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (plexusvideosrc, "plexusvideosrc",
    GST_RANK_NONE, GST_TYPE_PLEXUS_VIDEO_SRC,
    GST_DEBUG_CATEGORY_INIT (plexus_video_src_debug, "plexusvideosrc", 0,
        "Plexus video stream source"));

#define STATS_INC(src, field)                                                  \
  G_STMT_START                                                                 \
  {                                                                            \
    g_mutex_lock (&(src)->stats_lock);                                         \
    (src)->field++;                                                            \
    g_mutex_unlock (&(src)->stats_lock);                                       \
  }                                                                            \
  G_STMT_END

static void
register_frame_meta (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once)) {
    static const gchar *tags[] = { GST_META_TAG_VIDEO_STR, NULL };
    const GstMetaInfo *info = gst_meta_get_info (GST_PLEXUS_FRAME_META_NAME);

    if (!info)
      info = gst_meta_register_custom (
          GST_PLEXUS_FRAME_META_NAME, tags, NULL, NULL, NULL);
    frame_meta_api = info->api;
    g_once_init_leave (&once, 1);
  }
}

/* ---- network thread: route, decode base64, check the JPEG header ---- */

static Output *
find_output (GstPlexusVideoSrc *self, const gchar *camera_id)
{
  guint i;

  if (!self->outputs)
    return NULL;
  for (i = 0; i < self->outputs->len; i++) {
    Output *o = g_ptr_array_index (self->outputs, i);

    if (strcmp (o->camera_id, camera_id) == 0)
      return o;
  }
  return NULL;
}

/* Live video: when downstream is slower, the oldest frame goes (counted by
 * the queue); events always stay. */
static void
queue_object (Output *o, GstMiniObject *obj)
{
  gst_sensor_handoff_queue_push (o->queue, obj);
  /* the streaming thread may be waiting for a job or for more input */
  g_mutex_lock (&o->job_lock);
  g_cond_signal (&o->job_cond);
  g_mutex_unlock (&o->job_lock);
}

static void
add_frame_meta (
    GstBuffer *buf, const GstPlexusFrame *f, const GstPlexusJpegInfo *ji)
{
  GstCustomMeta *meta =
      gst_buffer_add_custom_meta (buf, GST_PLEXUS_FRAME_META_NAME);
  GstStructure *s = gst_custom_meta_get_structure (meta);

  gst_structure_set (s, "camera-id", G_TYPE_STRING,
      f->camera_id ? f->camera_id : DEFAULT_CAMERA_ID, "width", G_TYPE_INT,
      (gint) ji->width, "height", G_TYPE_INT, (gint) ji->height, "subsampling",
      G_TYPE_STRING, gst_plexus_jpeg_subsampling_name (ji->subsampling), NULL);
  if (f->video_type)
    gst_structure_set (s, "video-type", G_TYPE_STRING, f->video_type, NULL);
  if (f->thermal) {
    gst_structure_set (s, "sensor-width", G_TYPE_INT, f->sensor_width,
        "sensor-height", G_TYPE_INT, f->sensor_height, "temp-min",
        G_TYPE_DOUBLE, f->temp_min, "temp-max", G_TYPE_DOUBLE, f->temp_max,
        NULL);
    if (f->temps && f->temps->len > 0) {
      GBytes *temps =
          g_bytes_new (f->temps->data, f->temps->len * sizeof (gfloat));

      gst_structure_set (s, "temps", G_TYPE_BYTES, temps, NULL);
      g_bytes_unref (temps);
    }
  }
}

static void
on_frame (GstPlexusFrame *f, GstClockTime arrival, gpointer user_data)
{
  GstPlexusVideoSrc *self = user_data;
  g_autoptr (GError) error = NULL;
  GstPlexusJpegInfo ji;
  GstBuffer *buf;
  Output *o;
  gboolean warn;
  guint64 max_pixels;

  if (f->type != GST_PLEXUS_FRAME_VIDEO)
    return;
  STATS_INC (self, frames_received);
  o = find_output (self, f->camera_id ? f->camera_id : DEFAULT_CAMERA_ID);
  /* the stream is device-scoped: another device's frame is a server slip */
  if (o && f->source_id && self->stream_source_id &&
      strcmp (f->source_id, self->stream_source_id) != 0)
    o = NULL;
  if (!o) {
    STATS_INC (self, unknown_camera);
    GST_LOG_OBJECT (
        self, "frame of camera %s not asked for", GST_STR_NULL (f->camera_id));
    return;
  }
  if (!GST_CLOCK_TIME_IS_VALID (arrival)) {
    STATS_INC (self, dropped_not_playing);
    return;
  }

  buf = gst_plexus_frame_decode_jpeg (f, &ji, &error);
  if (!buf) {
    g_mutex_lock (&self->stats_lock);
    if (g_error_matches (error, GST_PLEXUS_ERROR, GST_PLEXUS_ERROR_BAD_BASE64))
      self->dropped_base64++;
    else if (g_error_matches (
                 error, GST_PLEXUS_ERROR, GST_PLEXUS_ERROR_SIZE_MISMATCH) ||
        g_error_matches (error, GST_PLEXUS_ERROR, GST_PLEXUS_ERROR_TOO_LARGE))
      self->dropped_size++;
    else
      self->dropped_jpeg++;
    warn = gst_plexus_rate_limit (&self->last_warn_us);
    g_mutex_unlock (&self->stats_lock);
    if (warn)
      GST_ELEMENT_WARNING (self, STREAM, DECODE,
          ("Dropped a corrupt frame of camera \"%s\"", o->camera_id),
          ("%s (further drops are counted in stats, warned every 5 s)",
              error->message));
    return;
  }

  /* a tiny JPEG can declare a huge frame: its header says the size, so skip
   * it before TurboJPEG allocates and decodes it */
  GST_OBJECT_LOCK (self);
  max_pixels = self->max_pixels;
  GST_OBJECT_UNLOCK (self);
  if (max_pixels > 0 && (guint64) ji.width * ji.height > max_pixels) {
    g_mutex_lock (&self->stats_lock);
    self->oversized_frames++;
    warn = !self->oversized_warned;
    self->oversized_warned = TRUE;
    g_mutex_unlock (&self->stats_lock);
    if (warn)
      GST_ELEMENT_WARNING (self, STREAM, DECODE,
          ("Skipping %ux%u frames of camera \"%s\": %" G_GUINT64_FORMAT
           " pixels is more than max-pixels (%" G_GUINT64_FORMAT ")",
              ji.width, ji.height, o->camera_id, (guint64) ji.width * ji.height,
              max_pixels),
          ("further ones are counted in stats as oversized-frames"));
    gst_buffer_unref (buf);
    return;
  }

  GST_BUFFER_PTS (buf) = arrival;
  GST_BUFFER_DTS (buf) = GST_CLOCK_TIME_NONE;
  gst_buffer_add_sensor_epoch (buf,
      f->has_timestamp ? f->epoch_ns :
                         gst_sensor_epoch_for_running_time (
                             GST_ELEMENT (self), arrival, TRUE));
  add_frame_meta (buf, f, &ji);
  queue_object (o, GST_MINI_OBJECT (buf));
}

static void
on_end (GstPlexusEnd how, gpointer user_data)
{
  GstPlexusVideoSrc *self = user_data;
  guint i;

  if (how != GST_PLEXUS_END_EOS || !self->outputs)
    return;
  for (i = 0; i < self->outputs->len; i++) {
    Output *o = g_ptr_array_index (self->outputs, i);

    queue_object (o, GST_MINI_OBJECT (gst_event_new_eos ()));
  }
}

/* ---- streaming threads: negotiate, decode, push ---- */

static GstCaps *
caps_for_jpeg (const GstPlexusJpegInfo *ji)
{
  const gchar *order;
  g_auto (GStrv) formats = NULL;
  GstCaps *caps;
  guint i;

  /* the cheapest raw format for this JPEG first */
  if (ji->subsampling == GST_PLEXUS_JPEG_SUBSAMPLING_420)
    order = "I420,RGB,BGRx,GRAY8";
  else if (ji->subsampling == GST_PLEXUS_JPEG_SUBSAMPLING_GRAY)
    order = "GRAY8,I420,RGB,BGRx";
  else
    order = "RGB,BGRx,I420,GRAY8";
  formats = g_strsplit (order, ",", -1);
  caps = gst_caps_new_simple ("image/jpeg", "width", G_TYPE_INT, ji->width,
      "height", G_TYPE_INT, ji->height, "framerate", GST_TYPE_FRACTION, 0, 1,
      NULL);
  for (i = 0; formats[i]; i++) {
    GstStructure *raw = gst_structure_new ("video/x-raw", "format",
        G_TYPE_STRING, formats[i], "width", G_TYPE_INT, ji->width, "height",
        G_TYPE_INT, ji->height, "framerate", GST_TYPE_FRACTION, 0, 1,
        "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1, NULL);

    /* JPEG (JFIF) YCbCr is BT.601 over the full 0-255 range */
    if (strcmp (formats[i], "I420") == 0)
      gst_structure_set (raw, "colorimetry", G_TYPE_STRING, "1:4:0:0", NULL);
    gst_caps_append_structure (caps, raw);
  }
  return caps;
}

static void
release_pool (Output *o)
{
  if (o->pool) {
    gst_buffer_pool_set_active (o->pool, FALSE);
    gst_object_unref (o->pool);
    o->pool = NULL;
  }
}

/* The pool hands buffers out in the order they came back, so every
 * preallocated buffer takes turns: start with one and let the pool grow only
 * while downstream holds frames, so that a prompt sink keeps decoding into
 * the one frame that is still in the cache. */
#define POOL_MIN_BUFFERS 1

static gboolean
setup_pool (Output *o, GstCaps *caps)
{
  GstQuery *query = gst_query_new_allocation (caps, TRUE);
  GstBufferPool *pool = NULL;
  guint size = o->info.size, min = POOL_MIN_BUFFERS, max = 0;
  GstStructure *config;

  release_pool (o);
  if (gst_pad_peer_query (o->pad, query) &&
      gst_query_get_n_allocation_pools (query) > 0) {
    gst_query_parse_nth_allocation_pool (query, 0, &pool, &size, &min, &max);
  }
  gst_query_unref (query);
  if (!pool)
    pool = gst_video_buffer_pool_new ();
  config = gst_buffer_pool_get_config (pool);
  gst_buffer_pool_config_set_params (
      config, caps, MAX (size, o->info.size), min, max);
  if (!gst_buffer_pool_set_config (pool, config)) {
    /* downstream's pool wants other settings: use our own */
    gst_object_unref (pool);
    pool = gst_video_buffer_pool_new ();
    config = gst_buffer_pool_get_config (pool);
    gst_buffer_pool_config_set_params (
        config, caps, o->info.size, POOL_MIN_BUFFERS, 0);
    if (!gst_buffer_pool_set_config (pool, config)) {
      gst_object_unref (pool);
      return FALSE;
    }
  }
  if (!gst_buffer_pool_set_active (pool, TRUE)) {
    gst_object_unref (pool);
    return FALSE;
  }
  o->pool = pool;
  return TRUE;
}

static gboolean
negotiate (Output *o, const GstPlexusJpegInfo *ji)
{
  GstPlexusVideoSrc *self = o->src;
  GstCaps *ours = caps_for_jpeg (ji);
  GstCaps *peer = gst_pad_peer_query_caps (o->pad, NULL);
  GstCaps *caps =
      gst_caps_intersect_full (ours, peer, GST_CAPS_INTERSECT_FIRST);
  GstStructure *s;
  gboolean ok = TRUE;

  gst_caps_unref (ours);
  gst_caps_unref (peer);
  if (gst_caps_is_empty (caps)) {
    gst_caps_unref (caps);
    return FALSE;
  }
  caps = gst_caps_fixate (caps);
  s = gst_caps_get_structure (caps, 0);
  o->raw = gst_structure_has_name (s, "video/x-raw");
  if (o->raw) {
    ok = gst_video_info_from_caps (&o->info, caps);
    if (ok && GST_VIDEO_INFO_FORMAT (&o->info) == GST_VIDEO_FORMAT_I420 &&
        ji->subsampling != GST_PLEXUS_JPEG_SUBSAMPLING_420) {
      gst_video_info_set_format (
          &o->tmp_info, GST_VIDEO_FORMAT_RGB, ji->width, ji->height);
      o->convert = gst_video_converter_new (&o->tmp_info, &o->info, NULL);
      o->tmp = gst_buffer_new_allocate (NULL, o->tmp_info.size, NULL);
    }
  } else {
    release_pool (o);
  }
  GST_DEBUG_OBJECT (o->pad, "negotiated %" GST_PTR_FORMAT, caps);
  ok = ok && gst_pad_set_caps (o->pad, caps);
  if (ok && o->raw)
    ok = setup_pool (o, caps);
  gst_caps_unref (caps);
  if (ok) {
    o->jpeg_width = ji->width;
    o->jpeg_height = ji->height;
    o->subsampling = ji->subsampling;
    o->have_caps = TRUE;
    STATS_INC (self, negotiations);
  }
  return ok;
}

static void
clear_convert (Output *o)
{
  g_clear_pointer (&o->convert, gst_video_converter_free);
  gst_clear_buffer (&o->tmp);
}

static gboolean
decode_into (
    Output *o, tjhandle tj, const guint8 *jpeg, gsize len, GstBuffer *out)
{
  GstVideoFrame frame;
  gboolean ok = TRUE;
  int r;

  if (!gst_video_frame_map (&frame, &o->info, out, GST_MAP_WRITE))
    return FALSE;

  switch (GST_VIDEO_INFO_FORMAT (&o->info)) {
    case GST_VIDEO_FORMAT_I420:
      if (!o->convert) {
        unsigned char *planes[3];
        int strides[3], i;

        for (i = 0; i < 3; i++) {
          planes[i] = GST_VIDEO_FRAME_PLANE_DATA (&frame, i);
          strides[i] = GST_VIDEO_FRAME_PLANE_STRIDE (&frame, i);
        }
        r = tjDecompressToYUVPlanes (tj, jpeg, len, planes, o->jpeg_width,
            strides, o->jpeg_height, TJFLAG_FASTDCT);
        ok = r == 0;
      } else {
        GstVideoFrame tmp;

        if (!gst_video_frame_map (&tmp, &o->tmp_info, o->tmp, GST_MAP_WRITE)) {
          ok = FALSE;
          break;
        }
        r = tjDecompress2 (tj, jpeg, len, GST_VIDEO_FRAME_PLANE_DATA (&tmp, 0),
            o->jpeg_width, GST_VIDEO_FRAME_PLANE_STRIDE (&tmp, 0),
            o->jpeg_height, TJPF_RGB, TJFLAG_FASTDCT);
        ok = r == 0;
        if (ok)
          gst_video_converter_frame (o->convert, &tmp, &frame);
        gst_video_frame_unmap (&tmp);
      }
      break;
    case GST_VIDEO_FORMAT_RGB:
    case GST_VIDEO_FORMAT_BGRx:
    case GST_VIDEO_FORMAT_GRAY8: {
      int pf = GST_VIDEO_INFO_FORMAT (&o->info) == GST_VIDEO_FORMAT_RGB ?
          TJPF_RGB :
          GST_VIDEO_INFO_FORMAT (&o->info) == GST_VIDEO_FORMAT_BGRx ?
          TJPF_BGRX :
          TJPF_GRAY;

      r = tjDecompress2 (tj, jpeg, len, GST_VIDEO_FRAME_PLANE_DATA (&frame, 0),
          o->jpeg_width, GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0),
          o->jpeg_height, pf, TJFLAG_FASTDCT);
      ok = r == 0;
      break;
    }
    default:
      ok = FALSE;
      break;
  }
  gst_video_frame_unmap (&frame);
  if (!ok)
    GST_DEBUG_OBJECT (o->pad, "TurboJPEG: %s", tjGetErrorStr2 (tj));
  return ok;
}

/* Decodes @job into its output buffer and stamps it with the JPEG's PTS and
 * metas; on the streaming thread or a worker. */
static void
decode_job (Output *o, tjhandle tj, DecodeJob *job)
{
  GstMapInfo map;

  if (!gst_buffer_map (job->jpeg, &map, GST_MAP_READ)) {
    job->error = g_strdup ("cannot map the JPEG");
    return;
  }
  job->ok = decode_into (o, tj, map.data, map.size, job->out);
  gst_buffer_unmap (job->jpeg, &map);
  if (job->ok)
    gst_buffer_copy_into (job->out, job->jpeg, GST_BUFFER_COPY_METADATA, 0, -1);
  else
    job->error = g_strdup (tjGetErrorStr2 (tj));
}

static void
job_free (DecodeJob *job)
{
  gst_clear_buffer (&job->jpeg);
  gst_clear_buffer (&job->out);
  g_free (job->error);
  g_free (job);
}

static void
worker_tj_free (gpointer tj)
{
  tjDestroy (tj);
}

/* each worker thread decodes with its own handle, freed when it exits */
static GPrivate worker_tj = G_PRIVATE_INIT (worker_tj_free);

static void
worker_decode (gpointer data, gpointer user_data)
{
  DecodeJob *job = data;
  Output *o = user_data;
  tjhandle tj = g_private_get (&worker_tj);

  if (!tj) {
    tj = tjInitDecompress ();
    g_private_set (&worker_tj, tj);
  }
  decode_job (o, tj, job);
  g_mutex_lock (&o->job_lock);
  job->done = TRUE;
  g_cond_signal (&o->job_cond);
  g_mutex_unlock (&o->job_lock);
}

static gboolean
job_is_done (Output *o, DecodeJob *job)
{
  gboolean done;

  g_mutex_lock (&o->job_lock);
  done = job->done;
  g_mutex_unlock (&o->job_lock);
  return done;
}

static void
wait_job (Output *o, DecodeJob *job)
{
  g_mutex_lock (&o->job_lock);
  while (!job->done)
    g_cond_wait (&o->job_cond, &o->job_lock);
  g_mutex_unlock (&o->job_lock);
}

/* Waits until the oldest job is done, or until another frame could be
 * dispatched to an idle worker. */
static void
wait_progress (Output *o)
{
  DecodeJob *head = g_queue_peek_head (&o->jobs);

  g_mutex_lock (&o->job_lock);
  while (!head->done &&
      (o->pending || o->jobs.length >= o->n_threads ||
          gst_sensor_handoff_queue_is_empty (o->queue)))
    g_cond_wait (&o->job_cond, &o->job_lock);
  g_mutex_unlock (&o->job_lock);
}

/* Stop or flush: the workers finish what they have, nothing is pushed. */
static void
discard_jobs (Output *o)
{
  DecodeJob *job;

  if (o->jobs.length > 0)
    GST_DEBUG_OBJECT (o->pad, "dropping %u frame(s) in flight", o->jobs.length);
  while ((job = g_queue_pop_head (&o->jobs))) {
    wait_job (o, job);
    job_free (job);
  }
  gst_clear_buffer (&o->pending);
}

static void
count_decode_error (Output *o, const gchar *error)
{
  GstPlexusVideoSrc *self = o->src;
  gboolean warn;

  g_mutex_lock (&self->stats_lock);
  self->dropped_decode++;
  warn = gst_plexus_rate_limit (&self->last_warn_us);
  g_mutex_unlock (&self->stats_lock);
  if (warn)
    GST_ELEMENT_WARNING (self, STREAM, DECODE,
        ("Dropped a JPEG of camera \"%s\" that does not decode", o->camera_id),
        ("%s", GST_STR_NULL (error)));
}

/* Pushes a finished job; a frame that did not decode is dropped. */
static GstFlowReturn
push_job (Output *o, DecodeJob *job)
{
  GstBuffer *out;

  if (!job->ok) {
    count_decode_error (o, job->error);
    job_free (job);
    return GST_FLOW_OK;
  }
  out = g_steal_pointer (&job->out);
  job_free (job);
  STATS_INC (o->src, frames_pushed);
  return gst_pad_push (o->pad, out);
}

/* A flow that ends this pad's stream, as opposed to a frame dropped because
 * one of several cameras is not linked. */
static gboolean
flow_stops (Output *o, GstFlowReturn ret)
{
  if (ret == GST_FLOW_OK)
    return FALSE;
  return !(ret == GST_FLOW_NOT_LINKED && o->src->outputs->len > 1);
}

/* Pushes every job in flight, in order, before caps or an event. */
static GstFlowReturn
drain_jobs (Output *o)
{
  DecodeJob *job;

  while ((job = g_queue_pop_head (&o->jobs))) {
    GstFlowReturn ret;

    wait_job (o, job);
    ret = push_job (o, job);
    if (flow_stops (o, ret))
      return ret;
  }
  return GST_FLOW_OK;
}

static void
send_stream_start (Output *o)
{
  gchar *id = gst_pad_create_stream_id_printf (
      o->pad, GST_ELEMENT (o->src), "camera/%s", o->camera_id);
  GstEvent *ev = gst_event_new_stream_start (id);

  gst_event_set_group_id (ev, gst_util_group_id_next ());
  gst_pad_push_event (o->pad, ev);
  g_free (id);
  o->started = TRUE;
}

static gboolean
start_workers (Output *o)
{
  g_autoptr (GError) error = NULL;

  if (o->workers)
    return TRUE;
  o->workers = g_thread_pool_new (worker_decode, o, o->n_threads, TRUE, &error);
  if (!o->workers) {
    GST_WARNING_OBJECT (o->pad, "no decode threads (%s), decoding here",
        error ? error->message : "?");
    o->n_threads = 1;
  }
  return o->workers != NULL;
}

static void
stop_workers (Output *o)
{
  if (o->workers) {
    g_thread_pool_free (o->workers, FALSE, TRUE);
    o->workers = NULL;
  }
}

/* Negotiates for @jpeg when needed, then pushes it (image/jpeg), decodes
 * and pushes it (one decode thread, or RGB -> I420 through the converter's
 * shared buffer), or hands it to a worker. */
static GstFlowReturn
handle_frame (Output *o, GstBuffer *jpeg)
{
  GstPlexusVideoSrc *self = o->src;
  GstCustomMeta *meta =
      (GstCustomMeta *) gst_buffer_get_meta (jpeg, frame_meta_api);
  GstPlexusJpegInfo ji = {
    0,
  };
  gboolean new_segment = !o->have_caps;
  GstBufferPoolAcquireParams dontwait = {
    .flags = GST_BUFFER_POOL_ACQUIRE_FLAG_DONTWAIT,
  };
  GstFlowReturn ret;
  DecodeJob *job;
  GstBuffer *out;

  {
    GstStructure *s = gst_custom_meta_get_structure (meta);
    const gchar *ss = gst_structure_get_string (s, "subsampling");
    gint w = 0, h = 0;

    gst_structure_get_int (s, "width", &w);
    gst_structure_get_int (s, "height", &h);
    ji.width = w;
    ji.height = h;
    for (ji.subsampling = GST_PLEXUS_JPEG_SUBSAMPLING_UNKNOWN;
         ji.subsampling <= GST_PLEXUS_JPEG_SUBSAMPLING_411; ji.subsampling++)
      if (g_strcmp0 (gst_plexus_jpeg_subsampling_name (ji.subsampling), ss) ==
          0)
        break;
  }

  if (!o->have_caps || ji.width != o->jpeg_width ||
      ji.height != o->jpeg_height || ji.subsampling != o->subsampling ||
      gst_pad_check_reconfigure (o->pad)) {
    /* the frames before this one still go out with the caps they had */
    ret = drain_jobs (o);
    if (ret != GST_FLOW_OK) {
      gst_buffer_unref (jpeg);
      return ret;
    }
    clear_convert (o);
    if (!negotiate (o, &ji)) {
      gst_buffer_unref (jpeg);
      GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, (NULL),
          ("downstream accepts neither image/jpeg nor a raw format for a "
           "%ux%u %s JPEG",
              ji.width, ji.height,
              gst_plexus_jpeg_subsampling_name (ji.subsampling)));
      return GST_FLOW_NOT_NEGOTIATED;
    }
  }
  if (new_segment) {
    GstSegment seg;

    gst_segment_init (&seg, GST_FORMAT_TIME);
    gst_pad_push_event (o->pad, gst_event_new_segment (&seg));
  }

  if (!o->raw) {
    STATS_INC (self, frames_pushed);
    return gst_pad_push (o->pad, jpeg);
  }

  /* while jobs are in flight, a pool at its maximum must not block here:
   * the buffers it waits for may be the ones being decoded */
  ret = gst_buffer_pool_acquire_buffer (
      o->pool, &out, o->jobs.length > 0 ? &dontwait : NULL);
  if (ret == GST_FLOW_EOS && o->jobs.length > 0) {
    o->pending = jpeg;
    return GST_FLOW_OK;
  }
  if (ret != GST_FLOW_OK) {
    gst_buffer_unref (jpeg);
    return ret;
  }
  job = g_new0 (DecodeJob, 1);
  job->jpeg = jpeg;
  job->out = out;
  /* the converter's buffer is shared: that path stays on this thread */
  if (o->n_threads > 1 && !o->convert && start_workers (o)) {
    g_queue_push_tail (&o->jobs, job);
    g_thread_pool_push (o->workers, job, NULL);
    return GST_FLOW_OK;
  }
  if (!o->tj)
    o->tj = tjInitDecompress ();
  decode_job (o, o->tj, job);
  return push_job (o, job);
}

/* After a push or a drain: go on, or pause the task (with an error for a
 * fatal flow). */
static void
handle_flow (Output *o, GstFlowReturn ret)
{
  if (ret == GST_FLOW_OK)
    return;
  /* with several cameras, one left unlinked does not stop the others */
  if (!flow_stops (o, ret)) {
    GST_LOG_OBJECT (o->pad, "not linked, frame dropped");
    return;
  }
  GST_DEBUG_OBJECT (o->pad, "pausing: %s", gst_flow_get_name (ret));
  gst_pad_pause_task (o->pad);
  discard_jobs (o);
  if (ret == GST_FLOW_FLUSHING)
    return;
  /* downstream is done (pngenc snapshot=true, a sink's num-buffers):
   * tell the rest of the pipeline so that it ends too */
  if (ret == GST_FLOW_EOS) {
    gst_pad_push_event (o->pad, gst_event_new_eos ());
    return;
  }
  if (ret == GST_FLOW_NOT_LINKED || ret < GST_FLOW_EOS) {
    if (ret != GST_FLOW_NOT_NEGOTIATED)
      GST_ELEMENT_FLOW_ERROR (o->src, ret);
    gst_pad_push_event (o->pad, gst_event_new_eos ());
  }
}

/* One step: push the oldest job once it is done, dispatch the next frame
 * while a worker is free, otherwise wait for one of the two. */
static void
output_loop (gpointer user_data)
{
  Output *o = user_data;
  DecodeJob *head = g_queue_peek_head (&o->jobs);
  GstMiniObject *obj;

  if (head) {
    if (job_is_done (o, head)) {
      handle_flow (o, push_job (o, g_queue_pop_head (&o->jobs)));
      return;
    }
    if (o->pending || o->jobs.length >= o->n_threads ||
        gst_sensor_handoff_queue_is_empty (o->queue)) {
      wait_progress (o);
      return;
    }
  }
  if (o->pending) {
    handle_flow (o, handle_frame (o, g_steal_pointer (&o->pending)));
    return;
  }

  obj = gst_sensor_handoff_queue_pop (o->queue);
  if (!obj) {
    gst_pad_pause_task (o->pad);
    discard_jobs (o);
    return;
  }

  if (!o->started)
    send_stream_start (o);
  if (GST_IS_EVENT (obj)) {
    GstEvent *ev = GST_EVENT (obj);
    gboolean eos = GST_EVENT_TYPE (ev) == GST_EVENT_EOS;
    GstFlowReturn ret = drain_jobs (o);

    if (ret != GST_FLOW_OK) {
      gst_event_unref (ev);
      handle_flow (o, ret);
      return;
    }
    /* an EOS before any frame still follows a segment */
    if (eos && !gst_pad_has_current_caps (o->pad)) {
      GstEvent *seg = gst_pad_get_sticky_event (o->pad, GST_EVENT_SEGMENT, 0);

      if (seg) {
        gst_event_unref (seg);
      } else {
        GstSegment segment;

        gst_segment_init (&segment, GST_FORMAT_TIME);
        gst_pad_push_event (o->pad, gst_event_new_segment (&segment));
      }
    }
    gst_pad_push_event (o->pad, ev);
    if (eos)
      gst_pad_pause_task (o->pad);
    return;
  }

  handle_flow (o, handle_frame (o, GST_BUFFER (obj)));
}

static guint
decode_threads (GstPlexusVideoSrc *self)
{
  guint n;

  GST_OBJECT_LOCK (self);
  n = self->decode_threads;
  GST_OBJECT_UNLOCK (self);
  if (n == 0)
    n = CLAMP (g_get_num_processors (), 1, AUTO_DECODE_THREADS_CAP);
  return n;
}

static gboolean
output_activate_mode (
    GstPad *pad, GstObject *parent, GstPadMode mode, gboolean active)
{
  Output *o = gst_pad_get_element_private (pad);

  if (mode != GST_PAD_MODE_PUSH)
    return FALSE;
  if (active) {
    o->started = FALSE;
    o->have_caps = FALSE;
    o->n_threads = decode_threads (o->src);
    GST_DEBUG_OBJECT (pad, "%u decode thread(s)", o->n_threads);
    GST_OBJECT_LOCK (o->src);
    gst_sensor_handoff_queue_set_limits (
        o->queue, o->src->max_queue, o->src->max_queue_bytes);
    GST_OBJECT_UNLOCK (o->src);
    gst_sensor_handoff_queue_set_flushing (o->queue, FALSE);
    return gst_pad_start_task (pad, output_loop, o, NULL);
  }
  gst_sensor_handoff_queue_set_flushing (o->queue, TRUE);
  gst_sensor_handoff_queue_flush (o->queue);
  gst_pad_stop_task (pad);
  discard_jobs (o);
  stop_workers (o);
  release_pool (o);
  clear_convert (o);
  return TRUE;
}

static gboolean
output_query (GstPad *pad, GstObject *parent, GstQuery *query)
{
  switch (GST_QUERY_TYPE (query)) {
    case GST_QUERY_LATENCY:
      /* frames are stamped when they arrive; decoding adds little */
      gst_query_set_latency (query, TRUE, 0, GST_CLOCK_TIME_NONE);
      return TRUE;
    case GST_QUERY_SCHEDULING:
      gst_query_set_scheduling (
          query, GST_SCHEDULING_FLAG_SEQUENTIAL, 1, -1, 0);
      gst_query_add_scheduling_mode (query, GST_PAD_MODE_PUSH);
      return TRUE;
    default:
      return gst_pad_query_default (pad, parent, query);
  }
}

static void
output_free (Output *o)
{
  gst_sensor_handoff_queue_free (o->queue);
  discard_jobs (o);
  stop_workers (o);
  g_mutex_clear (&o->job_lock);
  g_cond_clear (&o->job_cond);
  release_pool (o);
  clear_convert (o);
  if (o->tj)
    tjDestroy (o->tj);
  g_free (o->camera_id);
  g_free (o);
}

static gchar **
split_cameras (const gchar *ids)
{
  g_auto (GStrv) parts =
      g_strsplit (ids && *ids ? ids : DEFAULT_CAMERA_ID, ",", -1);
  GPtrArray *out = g_ptr_array_new ();
  guint i;

  for (i = 0; parts[i]; i++) {
    gchar *id = g_strstrip (parts[i]);
    guint j;
    gboolean dup = FALSE;

    for (j = 0; j < out->len; j++)
      dup |= strcmp (g_ptr_array_index (out, j), id) == 0;
    if (*id && !dup)
      g_ptr_array_add (out, g_strdup (id));
  }
  if (out->len == 0)
    g_ptr_array_add (out, g_strdup (DEFAULT_CAMERA_ID));
  g_ptr_array_add (out, NULL);
  return (gchar **) g_ptr_array_free (out, FALSE);
}

static void
create_outputs (GstPlexusVideoSrc *self)
{
  g_auto (GStrv) ids = NULL;
  GPtrArray *outputs = g_ptr_array_new ();
  guint i;

  GST_OBJECT_LOCK (self);
  ids = split_cameras (self->camera_ids);
  self->outputs = outputs;
  GST_OBJECT_UNLOCK (self);

  for (i = 0; ids[i]; i++) {
    Output *o = g_new0 (Output, 1);
    gchar *name = g_strdup_printf ("src_%u", i);

    o->src = self;
    o->camera_id = g_strdup (ids[i]);
    g_mutex_init (&o->job_lock);
    g_cond_init (&o->job_cond);
    g_queue_init (&o->jobs);
    o->n_threads = 1;
    o->queue = gst_sensor_handoff_queue_new (DEFAULT_MAX_QUEUE, 0);
    gst_sensor_handoff_queue_set_flushing (o->queue, TRUE);
    o->pad = gst_pad_new_from_static_template (&src_template, name);
    g_free (name);
    gst_pad_set_element_private (o->pad, o);
    gst_pad_set_activatemode_function (o->pad, output_activate_mode);
    gst_pad_set_query_function (o->pad, output_query);
    gst_pad_use_fixed_caps (o->pad);
    GST_OBJECT_LOCK (self);
    g_ptr_array_add (outputs, o);
    GST_OBJECT_UNLOCK (self);
    gst_element_add_pad (GST_ELEMENT (self), o->pad);
  }
  gst_element_no_more_pads (GST_ELEMENT (self));
}

static void
remove_outputs (GstPlexusVideoSrc *self)
{
  GPtrArray *outputs;
  guint i;

  GST_OBJECT_LOCK (self);
  outputs = g_steal_pointer (&self->outputs);
  GST_OBJECT_UNLOCK (self);
  if (!outputs)
    return;
  for (i = 0; i < outputs->len; i++) {
    Output *o = g_ptr_array_index (outputs, i);

    gst_element_remove_pad (GST_ELEMENT (self), o->pad);
    output_free (o);
  }
  g_ptr_array_unref (outputs);
}

static gboolean
start_connection (GstPlexusVideoSrc *self)
{
  GstPlexusSettings s;
  guint i;

  g_mutex_lock (&self->stats_lock);
  self->frames_received = self->frames_pushed = 0;
  self->dropped_base64 = self->dropped_jpeg = self->dropped_size = 0;
  self->dropped_decode = self->dropped_not_playing = 0;
  self->unknown_camera = self->negotiations = 0;
  self->oversized_frames = 0;
  self->oversized_warned = FALSE;
  g_mutex_unlock (&self->stats_lock);

  GST_OBJECT_LOCK (self);
  gst_plexus_settings_copy (&s, &self->settings);
  GST_OBJECT_UNLOCK (self);
  g_strfreev (s.cameras);
  for (i = 0; i < self->outputs->len; i++)
    gst_sensor_handoff_queue_reset_stats (
        ((Output *) g_ptr_array_index (self->outputs, i))->queue);
  s.cameras = g_new0 (gchar *, self->outputs->len + 1);
  for (i = 0; i < self->outputs->len; i++)
    s.cameras[i] =
        g_strdup (((Output *) g_ptr_array_index (self->outputs, i))->camera_id);
  g_free (self->stream_source_id);
  self->stream_source_id = g_strdup (s.source_id);
  self->conn = gst_plexus_connection_new (
      GST_ELEMENT (self), GST_PLEXUS_STREAM_VIDEO, &s, on_frame, on_end, self);
  gst_plexus_settings_clear (&s);
  return gst_plexus_connection_start (self->conn);
}

static void
stop_connection (GstPlexusVideoSrc *self)
{
  GstPlexusConnection *conn = self->conn;

  if (!conn)
    return;
  gst_plexus_connection_stop (conn);
  GST_OBJECT_LOCK (self);
  /* keep the session's counters readable after it ended */
  g_clear_pointer (&self->last_conn_stats, gst_structure_free);
  self->last_conn_stats = gst_structure_new_empty ("connection");
  gst_plexus_connection_fill_stats (conn, self->last_conn_stats);
  self->conn = NULL;
  GST_OBJECT_UNLOCK (self);
  gst_plexus_connection_free (conn);
}

static GstStateChangeReturn
gst_plexus_video_src_change_state (
    GstElement *element, GstStateChange transition)
{
  GstPlexusVideoSrc *self = GST_PLEXUS_VIDEO_SRC (element);
  GstStateChangeReturn ret;

  switch (transition) {
    case GST_STATE_CHANGE_NULL_TO_READY:
      create_outputs (self);
      break;
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      if (!start_connection (self)) {
        stop_connection (self);
        return GST_STATE_CHANGE_FAILURE;
      }
      break;
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      stop_connection (self);
      break;
    default:
      break;
  }

  ret = GST_ELEMENT_CLASS (gst_plexus_video_src_parent_class)
            ->change_state (element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE) {
    if (transition == GST_STATE_CHANGE_READY_TO_PAUSED)
      stop_connection (self);
    return ret;
  }

  switch (transition) {
    case GST_STATE_CHANGE_READY_TO_PAUSED:
    case GST_STATE_CHANGE_PLAYING_TO_PAUSED:
      ret = GST_STATE_CHANGE_NO_PREROLL;
      break;
    case GST_STATE_CHANGE_READY_TO_NULL:
      remove_outputs (self);
      break;
    default:
      break;
  }
  return ret;
}

/* An application EOS (gst-launch-1.0 -e, gst_element_send_event()): each
 * camera sends what is queued and in flight, then EOS. */
static gboolean
gst_plexus_video_src_send_event (GstElement *element, GstEvent *event)
{
  GstPlexusVideoSrc *self = GST_PLEXUS_VIDEO_SRC (element);
  gboolean ret = FALSE;
  guint i;

  if (GST_EVENT_TYPE (event) != GST_EVENT_EOS)
    return GST_ELEMENT_CLASS (gst_plexus_video_src_parent_class)
        ->send_event (element, event);

  GST_INFO_OBJECT (self, "EOS asked for: draining every camera");
  GST_OBJECT_LOCK (self);
  for (i = 0; self->outputs && i < self->outputs->len; i++) {
    queue_object (g_ptr_array_index (self->outputs, i),
        GST_MINI_OBJECT (gst_event_ref (event)));
    ret = TRUE;
  }
  GST_OBJECT_UNLOCK (self);
  gst_event_unref (event);
  return ret;
}

static GstStructure *
make_stats (GstPlexusVideoSrc *self)
{
  GstStructure *s = gst_structure_new_empty ("plexus-video-stats");
  GstSensorHandoffQueueStats sum = { 0, }, q;
  guint i;

  /* the pads exist between READY and NULL: the object lock guards the
   * list's coming and going */
  GST_OBJECT_LOCK (self);
  for (i = 0; self->outputs && i < self->outputs->len; i++) {
    gst_sensor_handoff_queue_get_stats (
        ((Output *) g_ptr_array_index (self->outputs, i))->queue, &q);
    sum.buffers += q.buffers;
    sum.bytes += q.bytes;
    sum.dropped += q.dropped;
    sum.dropped_bytes += q.dropped_bytes;
  }
  GST_OBJECT_UNLOCK (self);
  g_mutex_lock (&self->stats_lock);
  gst_structure_set (s, "frames-received", G_TYPE_UINT64, self->frames_received,
      "frames-pushed", G_TYPE_UINT64, self->frames_pushed,
      "dropped-corrupt-base64", G_TYPE_UINT64, self->dropped_base64,
      "dropped-corrupt-jpeg", G_TYPE_UINT64, self->dropped_jpeg,
      "dropped-size-mismatch", G_TYPE_UINT64, self->dropped_size,
      "dropped-decode-error", G_TYPE_UINT64, self->dropped_decode, "queued",
      G_TYPE_UINT, sum.buffers, "queued-bytes", G_TYPE_UINT64, sum.bytes,
      "dropped", G_TYPE_UINT64, sum.dropped, "dropped-bytes", G_TYPE_UINT64,
      sum.dropped_bytes, "dropped-not-playing", G_TYPE_UINT64,
      self->dropped_not_playing, "unknown-camera", G_TYPE_UINT64,
      self->unknown_camera, "negotiations", G_TYPE_UINT64, self->negotiations,
      "oversized-frames", G_TYPE_UINT64, self->oversized_frames, NULL);
  g_mutex_unlock (&self->stats_lock);
  GST_OBJECT_LOCK (self);
  if (self->conn)
    gst_plexus_connection_fill_stats (self->conn, s);
  else
    gst_plexus_stats_merge (s, self->last_conn_stats);
  GST_OBJECT_UNLOCK (self);
  return s;
}

static void
gst_plexus_video_src_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstPlexusVideoSrc *self = GST_PLEXUS_VIDEO_SRC (object);

  GST_OBJECT_LOCK (self);
  if (!gst_plexus_settings_set_property (
          &self->settings, object, prop_id, value)) {
    switch (prop_id) {
      case PROP_CAMERA_ID:
        /* the pads are made from it on the way to READY */
        if (GST_STATE (self) != GST_STATE_NULL) {
          GST_WARNING_OBJECT (self, "camera-id can only change in NULL");
          break;
        }
        g_free (self->camera_ids);
        self->camera_ids = g_value_dup_string (value);
        break;
      case PROP_TIMEOUT:
        self->settings.stream_timeout_s = g_value_get_uint (value);
        break;
      case PROP_CONNECT_TIMEOUT:
        self->settings.net.timeout = g_value_get_uint (value);
        break;
      case PROP_RECONNECT_ON_TIMEOUT:
        self->settings.reconnect_on_timeout = g_value_get_boolean (value);
        break;
      case PROP_MAX_QUEUE:
        self->max_queue = g_value_get_uint (value);
        break;
      case PROP_MAX_QUEUE_BYTES:
        self->max_queue_bytes = g_value_get_uint64 (value);
        break;
      case PROP_MAX_PIXELS:
        self->max_pixels = g_value_get_uint64 (value);
        break;
      case PROP_DECODE_THREADS:
        self->decode_threads = g_value_get_uint (value);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
        break;
    }
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_plexus_video_src_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstPlexusVideoSrc *self = GST_PLEXUS_VIDEO_SRC (object);

  if (prop_id == GST_PLEXUS_PROP_STATS) {
    g_value_take_boxed (value, make_stats (self));
    return;
  }
  GST_OBJECT_LOCK (self);
  if (!gst_plexus_settings_get_property (&self->settings, prop_id, value)) {
    switch (prop_id) {
      case PROP_CAMERA_ID:
        g_value_set_string (value, self->camera_ids);
        break;
      case PROP_TIMEOUT:
        g_value_set_uint (value, self->settings.stream_timeout_s);
        break;
      case PROP_CONNECT_TIMEOUT:
        g_value_set_uint (value, self->settings.net.timeout);
        break;
      case PROP_RECONNECT_ON_TIMEOUT:
        g_value_set_boolean (value, self->settings.reconnect_on_timeout);
        break;
      case PROP_MAX_QUEUE:
        g_value_set_uint (value, self->max_queue);
        break;
      case PROP_MAX_QUEUE_BYTES:
        g_value_set_uint64 (value, self->max_queue_bytes);
        break;
      case PROP_MAX_PIXELS:
        g_value_set_uint64 (value, self->max_pixels);
        break;
      case PROP_DECODE_THREADS:
        g_value_set_uint (value, self->decode_threads);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
        break;
    }
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_plexus_video_src_finalize (GObject *object)
{
  GstPlexusVideoSrc *self = GST_PLEXUS_VIDEO_SRC (object);

  stop_connection (self);
  remove_outputs (self);
  gst_plexus_settings_clear (&self->settings);
  g_clear_pointer (&self->last_conn_stats, gst_structure_free);
  g_free (self->stream_source_id);
  g_free (self->camera_ids);
  g_mutex_clear (&self->stats_lock);
  G_OBJECT_CLASS (gst_plexus_video_src_parent_class)->finalize (object);
}

static void
gst_plexus_video_src_class_init (GstPlexusVideoSrcClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  const GParamFlags rw =
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY;

  gobject_class->set_property = gst_plexus_video_src_set_property;
  gobject_class->get_property = gst_plexus_video_src_get_property;
  gobject_class->finalize = gst_plexus_video_src_finalize;

  /* `timeout` is the stream's wall-clock limit here; connect-timeout sets
   * the connect timeout instead */
  gst_plexus_install_properties (
      gobject_class, GST_SENSOR_NET_PROPS_FLAG_NO_TIMEOUT);
  g_object_class_install_property (gobject_class, PROP_CAMERA_ID,
      g_param_spec_string ("camera-id", "Camera ID",
          "Camera(s) to read, comma-separated; several share one socket and "
          "get one src pad each (src_0, src_1, ...); set in the NULL state",
          DEFAULT_CAMERA_ID, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_TIMEOUT,
      g_param_spec_uint ("timeout", "Stream timeout",
          "Wall-clock limit of the stream in seconds, sent as ?timeout= "
          "(0 = the server default, 600 s); the server then closes with 4008",
          0, G_MAXINT, DEFAULT_TIMEOUT, rw));
  g_object_class_install_property (gobject_class, PROP_CONNECT_TIMEOUT,
      g_param_spec_uint ("connect-timeout", "Connect timeout",
          "Seconds allowed for connecting and the WebSocket upgrade "
          "(0 = none)",
          0, 3600, DEFAULT_CONNECT_TIMEOUT, rw));
  g_object_class_install_property (gobject_class, PROP_RECONNECT_ON_TIMEOUT,
      g_param_spec_boolean ("reconnect-on-timeout", "Reconnect on timeout",
          "Reconnect when the server ends the stream with 4008 instead of "
          "ending with EOS",
          DEFAULT_RECONNECT_ON_TIMEOUT, rw));
  g_object_class_install_property (gobject_class, PROP_MAX_QUEUE,
      g_param_spec_uint ("max-queue", "Maximum queue",
          "Frames kept per camera while downstream is busy; the oldest is "
          "dropped beyond this",
          1, 1000, DEFAULT_MAX_QUEUE, rw));
  g_object_class_install_property (gobject_class, PROP_MAX_QUEUE_BYTES,
      g_param_spec_uint64 ("max-queue-bytes", "Maximum queue bytes",
          "Bytes of JPEG frames kept per camera while downstream is busy; the "
          "oldest are dropped beyond this (counted in stats as dropped, "
          "dropped-bytes)",
          1, G_MAXUINT64, DEFAULT_MAX_QUEUE_BYTES, rw));
  g_object_class_install_property (gobject_class, PROP_MAX_PIXELS,
      g_param_spec_uint64 ("max-pixels", "Maximum pixels",
          "Frames whose JPEG header declares more pixels (width x height) "
          "are skipped before decoding, counted in stats as "
          "oversized-frames and warned once (0 = no limit)",
          0, G_MAXUINT64, DEFAULT_MAX_PIXELS, rw));
  g_object_class_install_property (gobject_class, PROP_DECODE_THREADS,
      g_param_spec_uint ("decode-threads", "Decode threads",
          "Threads per camera decoding JPEG frames in parallel for raw "
          "output; frames still go out in arrival order (0 = automatic: the "
          "number of processors, at most 4; 1 = decode on the streaming "
          "thread). JPEGs that are not 4:2:0 but go out as I420 are decoded "
          "one at a time",
          0, MAX_DECODE_THREADS, DEFAULT_DECODE_THREADS, rw));

  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "Plexus video stream source", "Source/Video/Network",
      "Reads JPEG camera frames from a Plexus Data API video stream, as "
      "image/jpeg or decoded with TurboJPEG to raw video",
      "gst-plugins-sensor");
  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_plexus_video_src_change_state);
  element_class->send_event =
      GST_DEBUG_FUNCPTR (gst_plexus_video_src_send_event);
  register_frame_meta ();
}

static void
gst_plexus_video_src_init (GstPlexusVideoSrc *self)
{
  gst_plexus_settings_init (&self->settings);
  self->camera_ids = g_strdup (DEFAULT_CAMERA_ID);
  self->max_queue = DEFAULT_MAX_QUEUE;
  self->max_queue_bytes = DEFAULT_MAX_QUEUE_BYTES;
  self->max_pixels = DEFAULT_MAX_PIXELS;
  self->decode_threads = DEFAULT_DECODE_THREADS;
  g_mutex_init (&self->stats_lock);
  GST_OBJECT_FLAG_SET (self, GST_ELEMENT_FLAG_SOURCE);
}
