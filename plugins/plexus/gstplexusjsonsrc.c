/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Base class of the Plexus metrics and logs sources. The network thread
 * turns each point or event into a newline-terminated JSON buffer stamped
 * with its arrival running time and queues it; create() hands them out, or
 * for sensor/x-raw F64 output turns numeric points into single samples.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <gst/sensor/sensor.h>

#include "gstplexusjsonsrc.h"

GST_DEBUG_CATEGORY_STATIC (plexus_json_src_debug);
#define GST_CAT_DEFAULT plexus_json_src_debug

#define DEFAULT_MAX_QUEUE 1000
#define DEFAULT_MAX_QUEUE_BYTES (G_GUINT64_CONSTANT (64) << 20)

enum {
  PROP_MAX_QUEUE = GST_PLEXUS_PROP_LAST,
  PROP_MAX_QUEUE_BYTES,
};

/* the stats counters of every JSON source, since start */
enum {
  COUNTER_POINTS,
  COUNTER_PUSHED,
  COUNTER_FILTERED,
  COUNTER_NOT_NUMERIC,
  COUNTER_INCOMPLETE,
  COUNTER_NOT_PLAYING,
  N_COUNTERS,
};

static const GstSensorCounterInfo counter_info[N_COUNTERS] = {
  { "points", "points queued" },
  { "buffers-pushed", "buffers pushed downstream" },
  { "filtered", "points of metrics not asked for, skipped" },
  { "dropped-not-numeric", "points whose value is no number (sensor/x-raw)" },
  { "waiting-for-channels",
      "values held until every channel has one (sensor/x-raw)" },
  { "dropped-not-playing", "points that came while not playing" },
};

typedef struct
{
  GstPlexusSettings settings; /* object lock */
  guint max_queue;
  guint64 max_queue_bytes;

  GstSensorHandoffQueue *queue;
  GstPlexusConnection *conn;
  GstStructure *last_conn_stats; /* of the last session, object lock */
  gboolean f64;                  /* sensor/x-raw output */
  /* sensor/x-raw: one channel per metric, each the latest value */
  gchar **channels;
  gdouble *latest;
  guint64 known;            /* bit per channel that has a value */
  gboolean discont_pending; /* a gap before a skipped point */

  GMutex lock;
  GstClockTime last_pts;
  gint64 last_warn_us;
  GstSensorCounters *counters; /* COUNTER_*, since start; atomic */
} GstPlexusJsonSrcPrivate;

static GType point_meta_api;

G_DEFINE_ABSTRACT_TYPE_WITH_CODE (
    GstPlexusJsonSrc, gst_plexus_json_src, GST_TYPE_PUSH_SRC,
    G_ADD_PRIVATE (GstPlexusJsonSrc);
    GST_DEBUG_CATEGORY_INIT (plexus_json_src_debug, "plexusjsonsrc", 0,
        "Plexus metrics and logs sources"));

#define PRIV(src)                                                              \
  ((GstPlexusJsonSrcPrivate *) gst_plexus_json_src_get_instance_private (      \
      GST_PLEXUS_JSON_SRC (src)))

GstPlexusSettings *
gst_plexus_json_src_get_settings (GstPlexusJsonSrc *src)
{
  return &PRIV (src)->settings;
}

gchar **
gst_plexus_json_src_dup_metrics (GstPlexusJsonSrc *src)
{
  GstPlexusSettings *s = &PRIV (src)->settings;
  gchar **m;

  GST_OBJECT_LOCK (src);
  m = s->metrics && s->metrics[0] ? g_strdupv (s->metrics) : NULL;
  GST_OBJECT_UNLOCK (src);
  return m;
}

/* Bounded in buffers and bytes: when downstream stalls the oldest points
 * go (counted by the queue), the EOS of a 4008 always stays. */
static void
enqueue (GstPlexusJsonSrc *self, GstMiniObject *obj)
{
  gst_sensor_handoff_queue_push (PRIV (self)->queue, obj);
}

static gboolean
metric_wanted (GstPlexusJsonSrcPrivate *priv, const gchar *metric)
{
  gchar **m;

  /* the server filters too; this also holds when a server ignores it */
  if (!priv->settings.metrics || !priv->settings.metrics[0])
    return TRUE;
  for (m = priv->settings.metrics; *m; m++)
    if (g_strcmp0 (*m, metric) == 0)
      return TRUE;
  return FALSE;
}

static void
on_frame (GstPlexusFrame *f, GstClockTime arrival, gpointer user_data)
{
  GstPlexusJsonSrc *self = user_data;
  GstPlexusJsonSrcClass *klass = GST_PLEXUS_JSON_SRC_GET_CLASS (self);
  GstPlexusJsonSrcPrivate *priv = PRIV (self);
  gdouble newest = -1;
  guint i;

  if (f->type != klass->frame_type || !f->points)
    return;
  if (!GST_CLOCK_TIME_IS_VALID (arrival)) {
    gst_sensor_counters_add (
        priv->counters, COUNTER_NOT_PLAYING, f->points->len);
    return;
  }
  for (i = 0; i < f->points->len; i++) {
    GstPlexusPoint *p = &g_array_index (f->points, GstPlexusPoint, i);

    if (p->has_timestamp && p->timestamp_ms > newest)
      newest = p->timestamp_ms;
  }

  for (i = 0; i < f->points->len; i++) {
    GstPlexusPoint *p = &g_array_index (f->points, GstPlexusPoint, i);
    gchar *line;
    GstBuffer *buf;
    GstCustomMeta *meta;
    GstStructure *s;
    GstClockTime pts = arrival;

    if (f->type == GST_PLEXUS_FRAME_TELEMETRY &&
        !metric_wanted (priv, p->metric)) {
      gst_sensor_counters_add (priv->counters, COUNTER_FILTERED, 1);
      continue;
    }
    /* several points per frame: spread them back from the arrival by
     * their own time differences, never before what was already sent */
    if (p->has_timestamp && newest > p->timestamp_ms) {
      GstClockTime back =
          (GstClockTime) ((newest - p->timestamp_ms) * GST_MSECOND);

      pts = back < arrival ? arrival - back : 0;
    }
    g_mutex_lock (&priv->lock);
    if (GST_CLOCK_TIME_IS_VALID (priv->last_pts) && pts < priv->last_pts)
      pts = priv->last_pts;
    priv->last_pts = pts;
    g_mutex_unlock (&priv->lock);
    gst_sensor_counters_add (priv->counters, COUNTER_POINTS, 1);

    line = gst_plexus_point_to_json (p);
    buf = gst_buffer_new_wrapped (line, strlen (line));
    GST_BUFFER_PTS (buf) = pts;
    gst_buffer_add_sensor_epoch (buf,
        p->has_timestamp ?
            p->epoch_ns :
            gst_sensor_epoch_for_running_time (GST_ELEMENT (self), pts, TRUE));
    meta = gst_buffer_add_custom_meta (buf, GST_PLEXUS_POINT_META_NAME);
    s = gst_custom_meta_get_structure (meta);
    if (p->metric)
      gst_structure_set (s, "metric", G_TYPE_STRING, p->metric, NULL);
    if (p->value_is_number)
      gst_structure_set (s, "number", G_TYPE_DOUBLE, p->number, NULL);
    enqueue (self, GST_MINI_OBJECT (buf));
  }
}

static void
on_end (GstPlexusEnd how, gpointer user_data)
{
  if (how == GST_PLEXUS_END_EOS)
    enqueue (user_data, GST_MINI_OBJECT (gst_event_new_eos ()));
  else
    gst_sensor_handoff_queue_set_flushing (PRIV (user_data)->queue, TRUE);
}

static gboolean
gst_plexus_json_src_start (GstBaseSrc *bsrc)
{
  GstPlexusJsonSrc *self = GST_PLEXUS_JSON_SRC (bsrc);
  GstPlexusJsonSrcPrivate *priv = PRIV (self);
  GstPlexusSettings s;

  g_mutex_lock (&priv->lock);
  priv->last_pts = GST_CLOCK_TIME_NONE;
  priv->discont_pending = FALSE;
  g_mutex_unlock (&priv->lock);
  gst_sensor_counters_reset (priv->counters);

  GST_OBJECT_LOCK (self);
  gst_plexus_settings_copy (&s, &priv->settings);
  gst_sensor_handoff_queue_set_limits (
      priv->queue, priv->max_queue, priv->max_queue_bytes);
  GST_OBJECT_UNLOCK (self);
  gst_sensor_handoff_queue_flush (priv->queue);
  gst_sensor_handoff_queue_reset_stats (priv->queue);
  gst_sensor_handoff_queue_set_flushing (priv->queue, FALSE);
  priv->conn = gst_plexus_connection_new (GST_ELEMENT (self),
      GST_PLEXUS_JSON_SRC_GET_CLASS (self)->stream, &s, on_frame, on_end, self);
  gst_plexus_settings_clear (&s);
  if (!gst_plexus_connection_start (priv->conn)) {
    gst_plexus_connection_free (priv->conn);
    priv->conn = NULL;
    return FALSE;
  }
  return TRUE;
}

static gboolean
gst_plexus_json_src_stop (GstBaseSrc *bsrc)
{
  GstPlexusJsonSrcPrivate *priv = PRIV (bsrc);
  GstPlexusConnection *conn = priv->conn;

  if (conn) {
    gst_plexus_connection_stop (conn);
    GST_OBJECT_LOCK (bsrc);
    /* keep the session's counters readable after it ended */
    g_clear_pointer (&priv->last_conn_stats, gst_structure_free);
    priv->last_conn_stats = gst_structure_new_empty ("connection");
    gst_plexus_connection_fill_stats (conn, priv->last_conn_stats);
    priv->conn = NULL;
    GST_OBJECT_UNLOCK (bsrc);
    gst_plexus_connection_free (conn);
  }
  gst_sensor_handoff_queue_set_flushing (priv->queue, TRUE);
  gst_sensor_handoff_queue_flush (priv->queue);
  return TRUE;
}

/* An application's EOS (gst-launch-1.0 -e) ends the stream after what is
 * queued, without waiting for the streaming thread. */
static gboolean
gst_plexus_json_src_send_event (GstElement *element, GstEvent *event)
{
  if (GST_EVENT_TYPE (event) == GST_EVENT_EOS &&
      gst_sensor_handoff_queue_push_eos (PRIV (element)->queue, event)) {
    gst_event_unref (event);
    return TRUE;
  }
  return GST_ELEMENT_CLASS (gst_plexus_json_src_parent_class)
      ->send_event (element, event);
}

static gboolean
gst_plexus_json_src_unlock (GstBaseSrc *bsrc)
{
  gst_sensor_handoff_queue_set_flushing (PRIV (bsrc)->queue, TRUE);
  return TRUE;
}

static gboolean
gst_plexus_json_src_unlock_stop (GstBaseSrc *bsrc)
{
  gst_sensor_handoff_queue_set_flushing (PRIV (bsrc)->queue, FALSE);
  return TRUE;
}

static gboolean
gst_plexus_json_src_set_caps (GstBaseSrc *bsrc, GstCaps *caps)
{
  GstPlexusJsonSrcPrivate *priv = PRIV (bsrc);

  priv->f64 = gst_structure_has_name (
      gst_caps_get_structure (caps, 0), GST_SENSOR_MEDIA_TYPE);
  g_clear_pointer (&priv->channels, g_strfreev);
  g_clear_pointer (&priv->latest, g_free);
  priv->known = 0;
  if (priv->f64) {
    gint n = 0;

    priv->channels =
        gst_plexus_json_src_dup_metrics (GST_PLEXUS_JSON_SRC (bsrc));
    gst_structure_get_int (gst_caps_get_structure (caps, 0), "channels", &n);
    if (!priv->channels || n != (gint) g_strv_length (priv->channels)) {
      GST_ERROR_OBJECT (bsrc, "channels do not match the metrics list");
      return FALSE;
    }
    priv->latest = g_new0 (gdouble, n);
  }
  GST_DEBUG_OBJECT (bsrc, "output %" GST_PTR_FORMAT, caps);
  return TRUE;
}

static GstFlowReturn
gst_plexus_json_src_create (GstPushSrc *psrc, GstBuffer **outbuf)
{
  GstPlexusJsonSrc *self = GST_PLEXUS_JSON_SRC (psrc);
  GstPlexusJsonSrcPrivate *priv = PRIV (self);

  for (;;) {
    GstMiniObject *obj;
    GstBuffer *buf;
    GstCustomMeta *meta;
    gdouble number;
    GstClockTime epoch;
    gboolean warn;

    obj = gst_sensor_handoff_queue_pop (priv->queue);
    if (!obj)
      return GST_FLOW_FLUSHING;
    if (GST_IS_EVENT (obj)) {
      gst_mini_object_unref (obj);
      return GST_FLOW_EOS;
    }
    buf = GST_BUFFER (obj);
    if (!priv->f64) {
      gst_sensor_counters_add (priv->counters, COUNTER_PUSHED, 1);
      *outbuf = buf;
      return GST_FLOW_OK;
    }

    /* a gap before points that make no sample still is a gap */
    if (GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_DISCONT))
      priv->discont_pending = TRUE;
    meta = (GstCustomMeta *) gst_buffer_get_meta (buf, point_meta_api);
    if (meta &&
        gst_structure_get_double (
            gst_custom_meta_get_structure (meta), "number", &number)) {
      const gchar *metric = gst_structure_get_string (
          gst_custom_meta_get_structure (meta), "metric");
      guint n = g_strv_length (priv->channels), k;
      GstBuffer *out;
      GstMapInfo map;

      for (k = 0; k < n; k++)
        if (g_strcmp0 (priv->channels[k], metric) == 0)
          break;
      if (k == n) {
        gst_buffer_unref (buf);
        continue;
      }
      priv->latest[k] = number;
      priv->known |= G_GUINT64_CONSTANT (1) << k;
      /* a frame needs every channel: wait for the first value of each */
      if (priv->known !=
          (n == 64 ? G_MAXUINT64 : (G_GUINT64_CONSTANT (1) << n) - 1)) {
        gst_sensor_counters_add (priv->counters, COUNTER_INCOMPLETE, 1);
        gst_buffer_unref (buf);
        continue;
      }
      out = gst_buffer_new_allocate (NULL, n * sizeof (gdouble), NULL);
      gst_buffer_map (out, &map, GST_MAP_WRITE);
      for (k = 0; k < n; k++)
        GST_WRITE_DOUBLE_LE (map.data + k * sizeof (gdouble), priv->latest[k]);
      gst_buffer_unmap (out, &map);
      GST_BUFFER_PTS (out) = GST_BUFFER_PTS (buf);
      if (gst_buffer_get_sensor_epoch (buf, &epoch))
        gst_buffer_add_sensor_epoch (out, epoch);
      if (priv->discont_pending)
        GST_BUFFER_FLAG_SET (out, GST_BUFFER_FLAG_DISCONT);
      priv->discont_pending = FALSE;
      gst_buffer_unref (buf);
      gst_sensor_counters_add (priv->counters, COUNTER_PUSHED, 1);
      *outbuf = out;
      return GST_FLOW_OK;
    }

    /* a string, bool, null (NaN) ... where a number belongs */
    gst_sensor_counters_add (priv->counters, COUNTER_NOT_NUMERIC, 1);
    g_mutex_lock (&priv->lock);
    warn = gst_plexus_rate_limit (&priv->last_warn_us);
    g_mutex_unlock (&priv->lock);
    if (warn) {
      GstMapInfo map;

      gst_buffer_map (buf, &map, GST_MAP_READ);
      GST_ELEMENT_WARNING (self, STREAM, FORMAT,
          ("Skipping a point whose value is not a finite number"),
          ("%.*s (further ones are counted in stats, warned every 5 s)",
              (int) MIN (map.size, 200), (const gchar *) map.data));
      gst_buffer_unmap (buf, &map);
    }
    gst_buffer_unref (buf);
  }
}

static gboolean
gst_plexus_json_src_query (GstBaseSrc *bsrc, GstQuery *query)
{
  if (GST_QUERY_TYPE (query) == GST_QUERY_LATENCY) {
    /* stamped on arrival */
    gst_query_set_latency (query, TRUE, 0, GST_CLOCK_TIME_NONE);
    return TRUE;
  }
  return GST_BASE_SRC_CLASS (gst_plexus_json_src_parent_class)
      ->query (bsrc, query);
}

static GstStructure *
make_stats (GstPlexusJsonSrc *self)
{
  GstPlexusJsonSrcPrivate *priv = PRIV (self);
  GstElementFactory *factory = gst_element_get_factory (GST_ELEMENT (self));
  GstStructure *s = gst_sensor_counters_new_stats (
      priv->counters, factory ? GST_OBJECT_NAME (factory) : "plexusjsonsrc");
  GstSensorHandoffQueueStats q;

  gst_sensor_handoff_queue_get_stats (priv->queue, &q);
  gst_structure_set (s, "queued", G_TYPE_UINT, q.buffers, "queued-bytes",
      G_TYPE_UINT64, q.bytes, "dropped", G_TYPE_UINT64, q.dropped,
      "dropped-bytes", G_TYPE_UINT64, q.dropped_bytes, NULL);
  GST_OBJECT_LOCK (self);
  if (priv->conn)
    gst_plexus_connection_fill_stats (priv->conn, s);
  else
    gst_plexus_stats_merge (s, priv->last_conn_stats);
  GST_OBJECT_UNLOCK (self);
  return s;
}

static const GstSensorFieldProp plain_props[] = {
  { PROP_MAX_QUEUE, G_STRUCT_OFFSET (GstPlexusJsonSrcPrivate, max_queue) },
  { PROP_MAX_QUEUE_BYTES,
      G_STRUCT_OFFSET (GstPlexusJsonSrcPrivate, max_queue_bytes) },
};

static void
gst_plexus_json_src_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstPlexusJsonSrcPrivate *priv = PRIV (object);

  GST_OBJECT_LOCK (object);
  if (!gst_sensor_field_set_in (
          priv, plain_props, G_N_ELEMENTS (plain_props), prop_id, value) &&
      !gst_plexus_settings_set_property (
          &priv->settings, object, prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  GST_OBJECT_UNLOCK (object);
}

static void
gst_plexus_json_src_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstPlexusJsonSrcPrivate *priv = PRIV (object);

  if (prop_id == GST_PLEXUS_PROP_STATS) {
    g_value_take_boxed (value, make_stats (GST_PLEXUS_JSON_SRC (object)));
    return;
  }
  GST_OBJECT_LOCK (object);
  if (!gst_sensor_field_get_in (
          priv, plain_props, G_N_ELEMENTS (plain_props), prop_id, value) &&
      !gst_plexus_settings_get_property (&priv->settings, prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  GST_OBJECT_UNLOCK (object);
}

static void
gst_plexus_json_src_finalize (GObject *object)
{
  GstPlexusJsonSrcPrivate *priv = PRIV (object);

  gst_plexus_settings_clear (&priv->settings);
  g_clear_pointer (&priv->last_conn_stats, gst_structure_free);
  g_clear_pointer (&priv->channels, g_strfreev);
  g_clear_pointer (&priv->latest, g_free);
  gst_sensor_handoff_queue_free (priv->queue);
  g_mutex_clear (&priv->lock);
  gst_sensor_counters_free (priv->counters);
  G_OBJECT_CLASS (gst_plexus_json_src_parent_class)->finalize (object);
}

static void
gst_plexus_json_src_class_init (GstPlexusJsonSrcClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSrcClass *basesrc_class = GST_BASE_SRC_CLASS (klass);
  GstPushSrcClass *pushsrc_class = GST_PUSH_SRC_CLASS (klass);
  static const gchar *tags[] = { NULL };
  const GstMetaInfo *info;

  gobject_class->set_property = gst_plexus_json_src_set_property;
  gobject_class->get_property = gst_plexus_json_src_get_property;
  gobject_class->finalize = gst_plexus_json_src_finalize;
  element_class->send_event =
      GST_DEBUG_FUNCPTR (gst_plexus_json_src_send_event);

  gst_plexus_install_properties (gobject_class, GST_SENSOR_NET_PROPS_FLAG_NONE);
  g_object_class_install_property (gobject_class, PROP_MAX_QUEUE,
      g_param_spec_uint ("max-queue", "Maximum queue",
          "Buffers kept while downstream is busy; the oldest is dropped "
          "beyond this",
          1, 1000000, DEFAULT_MAX_QUEUE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_MAX_QUEUE_BYTES,
      g_param_spec_uint64 ("max-queue-bytes", "Maximum queue bytes",
          "Bytes of buffers kept while downstream is busy; the oldest are "
          "dropped beyond this (counted in stats as dropped, dropped-bytes)",
          1, G_MAXUINT64, DEFAULT_MAX_QUEUE_BYTES,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_READY));

  basesrc_class->start = GST_DEBUG_FUNCPTR (gst_plexus_json_src_start);
  basesrc_class->stop = GST_DEBUG_FUNCPTR (gst_plexus_json_src_stop);
  basesrc_class->unlock = GST_DEBUG_FUNCPTR (gst_plexus_json_src_unlock);
  basesrc_class->unlock_stop =
      GST_DEBUG_FUNCPTR (gst_plexus_json_src_unlock_stop);
  basesrc_class->set_caps = GST_DEBUG_FUNCPTR (gst_plexus_json_src_set_caps);
  basesrc_class->query = GST_DEBUG_FUNCPTR (gst_plexus_json_src_query);
  pushsrc_class->create = GST_DEBUG_FUNCPTR (gst_plexus_json_src_create);

  info = gst_meta_get_info (GST_PLEXUS_POINT_META_NAME);
  if (!info)
    info = gst_meta_register_custom (
        GST_PLEXUS_POINT_META_NAME, tags, NULL, NULL, NULL);
  point_meta_api = info->api;
}

static void
gst_plexus_json_src_init (GstPlexusJsonSrc *self)
{
  GstPlexusJsonSrcPrivate *priv = PRIV (self);

  gst_plexus_settings_init (&priv->settings);
  priv->max_queue = DEFAULT_MAX_QUEUE;
  priv->max_queue_bytes = DEFAULT_MAX_QUEUE_BYTES;
  priv->queue =
      gst_sensor_handoff_queue_new (priv->max_queue, priv->max_queue_bytes);
  gst_sensor_handoff_queue_set_flushing (priv->queue, TRUE);
  g_mutex_init (&priv->lock);
  priv->counters = gst_sensor_counters_new (counter_info, N_COUNTERS);
  gst_base_src_set_live (GST_BASE_SRC (self), TRUE);
  gst_base_src_set_format (GST_BASE_SRC (self), GST_FORMAT_TIME);
}
