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

#include "gstplexuselements.h"
#include "gstplexusvideosrc-private.h"

GST_DEBUG_CATEGORY (plexus_video_src_debug);

#define DEFAULT_CAMERA_ID "default"
#define DEFAULT_TIMEOUT 0
#define DEFAULT_CONNECT_TIMEOUT GST_SENSOR_NET_PROPS_DEFAULT_TIMEOUT
#define DEFAULT_RECONNECT_ON_TIMEOUT FALSE
#define DEFAULT_MAX_QUEUE_BYTES (G_GUINT64_CONSTANT (64) << 20)
#define DEFAULT_DECODE_THREADS 0
#define DEFAULT_MAX_PIXELS (4096 * 4096)
#define MAX_DECODE_THREADS 16

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

G_DEFINE_TYPE (GstPlexusVideoSrc, gst_plexus_video_src, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (plexusvideosrc, "plexusvideosrc",
    GST_RANK_NONE, GST_TYPE_PLEXUS_VIDEO_SRC,
    GST_DEBUG_CATEGORY_INIT (plexus_video_src_debug, "plexusvideosrc", 0,
        "Plexus video stream source"));

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

static void
on_frame (GstPlexusFrame *f, GstClockTime arrival, gpointer user_data)
{
  GstPlexusVideoSrc *self = user_data;
  g_autoptr (GError) error = NULL;
  GstPlexusJpegInfo ji;
  GstBuffer *buf;
  Output *o;
  guint64 max_pixels;

  if (f->type != GST_PLEXUS_FRAME_VIDEO)
    return;
  gst_plexus_video_stats_inc (&self->stats, GST_PLEXUS_VIDEO_FRAMES_RECEIVED);
  o = find_output (self, f->camera_id ? f->camera_id : DEFAULT_CAMERA_ID);
  /* the stream is device-scoped: another device's frame is a server slip */
  if (o && f->source_id && self->stream_source_id &&
      strcmp (f->source_id, self->stream_source_id) != 0)
    o = NULL;
  if (!o) {
    gst_plexus_video_stats_inc (&self->stats, GST_PLEXUS_VIDEO_UNKNOWN_CAMERA);
    GST_LOG_OBJECT (
        self, "frame of camera %s not asked for", GST_STR_NULL (f->camera_id));
    return;
  }
  if (!GST_CLOCK_TIME_IS_VALID (arrival)) {
    gst_plexus_video_stats_inc (
        &self->stats, GST_PLEXUS_VIDEO_DROPPED_NOT_PLAYING);
    return;
  }

  buf = gst_plexus_frame_decode_jpeg (f, &ji, &error);
  if (!buf) {
    if (gst_plexus_video_stats_drop (
            &self->stats, gst_plexus_video_drop_reason (error)))
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
    if (gst_plexus_video_stats_oversized (&self->stats))
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
  gst_plexus_frame_meta_add (buf, f, &ji, DEFAULT_CAMERA_ID);
  gst_plexus_video_output_queue (o, GST_MINI_OBJECT (buf));
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

    gst_plexus_video_output_queue (o, GST_MINI_OBJECT (gst_event_new_eos ()));
  }
}

static void
create_outputs (GstPlexusVideoSrc *self)
{
  g_auto (GStrv) ids = NULL;
  GPtrArray *outputs = g_ptr_array_new ();
  guint i;

  GST_OBJECT_LOCK (self);
  ids = gst_plexus_camera_ids_split (self->camera_ids, DEFAULT_CAMERA_ID);
  self->outputs = outputs;
  GST_OBJECT_UNLOCK (self);

  for (i = 0; ids[i]; i++) {
    gchar *name = g_strdup_printf ("src_%u", i);
    Output *o = gst_plexus_video_output_new (
        self, ids[i], gst_pad_new_from_static_template (&src_template, name));

    g_free (name);
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
    gst_plexus_video_output_free (o);
  }
  g_ptr_array_unref (outputs);
}

static gboolean
start_connection (GstPlexusVideoSrc *self)
{
  GstPlexusSettings s;
  guint i;

  gst_plexus_video_stats_reset (&self->stats);

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
    gst_plexus_video_output_queue (g_ptr_array_index (self->outputs, i),
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
  GstStructure *s =
      gst_structure_new_empty ("application/x-plexusvideosrc-stats");
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
  gst_plexus_video_stats_fill (&self->stats, s);
  gst_structure_set (s, "queued", G_TYPE_UINT, sum.buffers, "queued-bytes",
      G_TYPE_UINT64, sum.bytes, "dropped", G_TYPE_UINT64, sum.dropped,
      "dropped-bytes", G_TYPE_UINT64, sum.dropped_bytes, NULL);
  GST_OBJECT_LOCK (self);
  if (self->conn)
    gst_plexus_connection_fill_stats (self->conn, s);
  else
    gst_plexus_stats_merge (s, self->last_conn_stats);
  GST_OBJECT_UNLOCK (self);
  return s;
}

/* `timeout` and connect-timeout are the settings' stream and connect
 * timeouts */
static const GstSensorFieldProp plain_props[] = {
  { PROP_TIMEOUT,
      G_STRUCT_OFFSET (GstPlexusVideoSrc, settings.stream_timeout_s) },
  { PROP_CONNECT_TIMEOUT,
      G_STRUCT_OFFSET (GstPlexusVideoSrc, settings.net.timeout) },
  { PROP_RECONNECT_ON_TIMEOUT,
      G_STRUCT_OFFSET (GstPlexusVideoSrc, settings.reconnect_on_timeout) },
  { PROP_MAX_QUEUE, G_STRUCT_OFFSET (GstPlexusVideoSrc, max_queue) },
  { PROP_MAX_QUEUE_BYTES,
      G_STRUCT_OFFSET (GstPlexusVideoSrc, max_queue_bytes) },
  { PROP_MAX_PIXELS, G_STRUCT_OFFSET (GstPlexusVideoSrc, max_pixels) },
  { PROP_DECODE_THREADS, G_STRUCT_OFFSET (GstPlexusVideoSrc, decode_threads) },
};

static void
gst_plexus_video_src_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstPlexusVideoSrc *self = GST_PLEXUS_VIDEO_SRC (object);

  GST_OBJECT_LOCK (self);
  if (prop_id == PROP_CAMERA_ID) {
    /* the pads are made from it on the way to READY */
    if (GST_STATE (self) != GST_STATE_NULL) {
      GST_WARNING_OBJECT (self, "camera-id can only change in NULL");
    } else {
      g_free (self->camera_ids);
      self->camera_ids = g_value_dup_string (value);
    }
  } else if (!gst_sensor_field_set_in (self, plain_props,
                 G_N_ELEMENTS (plain_props), prop_id, value) &&
      !gst_plexus_settings_set_property (
          &self->settings, object, prop_id, value)) {
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
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
  if (prop_id == PROP_CAMERA_ID)
    g_value_set_string (value, self->camera_ids);
  else if (!gst_sensor_field_get_in (
               self, plain_props, G_N_ELEMENTS (plain_props), prop_id, value) &&
      !gst_plexus_settings_get_property (&self->settings, prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
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
  gst_plexus_video_stats_clear (&self->stats);
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
  gst_plexus_frame_meta_api_get_type ();
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
  gst_plexus_video_stats_init (&self->stats);
  GST_OBJECT_FLAG_SET (self, GST_ELEMENT_FLAG_SOURCE);
}
