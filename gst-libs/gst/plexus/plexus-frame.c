/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:plexus-frame
 * @title: Plexus server messages
 * @short_description: parsing the JSON messages of the Plexus live-stream
 *   servers
 *
 * Parser for Plexus live-stream server messages. A video_frame carries a
 * 30-1000 KB base64 JPEG: a small scanner copies the message minus that
 * string (the "skeleton") and remembers where the base64 text is, so that
 * json-glib only parses a few hundred bytes and the JPEG is decoded straight
 * from the message into a buffer. The scanner also rewrites the NaN and
 * Infinity literals some encoders emit to null, so one bad value does not
 * cost the whole frame.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include "plexus-frame.h"

#include <gst/sensor/sensor-json.h>

#define MAX_DEPTH 64

typedef struct
{
  const gchar *start, *p, *end;
  GString *out;
  guint depth;
  guint nonfinite;
  const gchar *frame;
  gsize frame_len;
  gboolean has_frame;
  GError **error;
} Scanner;

static gboolean
scan_fail (Scanner *s, const gchar *what)
{
  if (s->error && *s->error == NULL)
    g_set_error (s->error, GST_PLEXUS_ERROR, GST_PLEXUS_ERROR_MALFORMED,
        "malformed JSON at byte %" G_GSIZE_FORMAT ": %s",
        (gsize) (s->p - s->start), what);
  return FALSE;
}

static inline void
skip_ws (Scanner *s)
{
  while (s->p < s->end &&
      (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

/* At the opening quote; leaves p after the closing quote. */
static gboolean
find_string_end (Scanner *s, const gchar **content, gsize *len)
{
  const gchar *begin = s->p + 1;
  const gchar *q = begin;

  while (q < s->end) {
    const gchar *quote = memchr (q, '"', s->end - q);
    const gchar *b;
    gsize backslashes = 0;

    if (!quote)
      break;
    for (b = quote; b > begin && b[-1] == '\\'; b--)
      backslashes++;
    if (backslashes % 2 == 0) {
      *content = begin;
      *len = quote - begin;
      s->p = quote + 1;
      return TRUE;
    }
    q = quote + 1;
  }
  s->p = s->end;
  return scan_fail (s, "unterminated string");
}

static gboolean
copy_string (Scanner *s, const gchar **content, gsize *len)
{
  const gchar *c;
  gsize n;

  if (!find_string_end (s, &c, &n))
    return FALSE;
  g_string_append_len (s->out, c - 1, n + 2);
  if (content) {
    *content = c;
    *len = n;
  }
  return TRUE;
}

static gboolean scan_value (Scanner *s, gboolean top);

static gboolean
scan_literal (Scanner *s)
{
  const gchar *start = s->p;
  gsize n;

  while (s->p < s->end && !strchr (",]}: \t\r\n{[\"", *s->p))
    s->p++;
  n = s->p - start;
  if (n == 0)
    return scan_fail (s, "expected a value");
  if ((n == 3 && memcmp (start, "NaN", 3) == 0) ||
      (n == 8 && memcmp (start, "Infinity", 8) == 0) ||
      (n == 9 &&
          (memcmp (start, "-Infinity", 9) == 0 ||
              memcmp (start, "+Infinity", 9) == 0))) {
    g_string_append (s->out, "null");
    s->nonfinite++;
  } else {
    g_string_append_len (s->out, start, n);
  }
  return TRUE;
}

/* One member of an object: name, ':' and value. @top: the object is the
 * frame itself, whose "frame" member is cut out. */
static gboolean
scan_member (Scanner *s, gboolean top)
{
  const gchar *key;
  gsize key_len;

  skip_ws (s);
  if (s->p >= s->end || *s->p != '"')
    return scan_fail (s, "expected a member name");
  if (!copy_string (s, &key, &key_len))
    return FALSE;
  skip_ws (s);
  if (s->p >= s->end || *s->p != ':')
    return scan_fail (s, "expected ':'");
  g_string_append_c (s->out, ':');
  s->p++;
  skip_ws (s);
  if (top && key_len == 5 && memcmp (key, "frame", 5) == 0 && s->p < s->end &&
      *s->p == '"') {
    /* the base64 JPEG: remember it, leave an empty string behind */
    if (!find_string_end (s, &s->frame, &s->frame_len))
      return FALSE;
    s->has_frame = TRUE;
    g_string_append (s->out, "\"\"");
    return TRUE;
  }
  return scan_value (s, FALSE);
}

/* One element of an array. */
static gboolean
scan_element (Scanner *s, gboolean top)
{
  return scan_value (s, FALSE);
}

/* The array or object whose bracket is at s->p, each item read by @item,
 * items separated by ',', up to @close. */
static gboolean
scan_container (Scanner *s, gchar close,
    gboolean (*item) (Scanner *s, gboolean top), gboolean top)
{
  gboolean array = close == ']';

  if (++s->depth > MAX_DEPTH)
    return scan_fail (s, "nested too deeply");
  g_string_append_c (s->out, *s->p);
  s->p++;
  skip_ws (s);
  if (s->p >= s->end || *s->p != close) {
    for (;;) {
      if (!item (s, top))
        return FALSE;
      skip_ws (s);
      if (s->p >= s->end)
        return scan_fail (
            s, array ? "unterminated array" : "unterminated object");
      if (*s->p == close)
        break;
      if (*s->p != ',')
        return scan_fail (
            s, array ? "expected ',' or ']'" : "expected ',' or '}'");
      g_string_append_c (s->out, ',');
      s->p++;
    }
  }
  g_string_append_c (s->out, close);
  s->p++;
  s->depth--;
  return TRUE;
}

static gboolean
scan_value (Scanner *s, gboolean top)
{
  skip_ws (s);
  if (s->p >= s->end)
    return scan_fail (s, "expected a value");
  switch (*s->p) {
    case '{':
      return scan_container (s, '}', scan_member, top);
    case '[':
      return scan_container (s, ']', scan_element, FALSE);
    case '"':
      return copy_string (s, NULL, NULL);
    default:
      return scan_literal (s);
  }
}

/* ---- typed accessors, tolerant of wrong types ---- */

static const gchar *
member_string (JsonObject *o, const gchar *name)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n && JSON_NODE_HOLDS_VALUE (n) &&
      json_node_get_value_type (n) == G_TYPE_STRING)
    return json_node_get_string (n);
  return NULL;
}

static gboolean
node_number (JsonNode *n, gdouble *out)
{
  GType t;

  if (!n || !JSON_NODE_HOLDS_VALUE (n))
    return FALSE;
  t = json_node_get_value_type (n);
  if (t == G_TYPE_INT64)
    *out = (gdouble) json_node_get_int (n);
  else if (t == G_TYPE_DOUBLE)
    *out = json_node_get_double (n);
  else
    return FALSE;
  return isfinite (*out);
}

static gboolean
member_number (JsonObject *o, const gchar *name, gdouble *out)
{
  return node_number (json_object_get_member (o, name), out);
}

static gint
member_int (JsonObject *o, const gchar *name, gint fallback)
{
  gdouble d;

  if (member_number (o, name, &d) && d == floor (d) && d >= G_MININT &&
      d <= G_MAXINT)
    return (gint) d;
  return fallback;
}

/* ms (int or float) to epoch ns; FALSE when missing, negative or absurd */
static gboolean
member_timestamp (JsonObject *o, gdouble *ms, GstClockTime *ns)
{
  JsonNode *n = json_object_get_member (o, "timestamp");
  gdouble d;

  *ns = GST_CLOCK_TIME_NONE;
  if (!node_number (n, &d) || d < 0 || d > 1.0e13)
    return FALSE;
  *ms = d;
  if (json_node_get_value_type (n) == G_TYPE_INT64)
    *ns = (GstClockTime) json_node_get_int (n) * GST_MSECOND;
  else /* whole ms and the fraction apart: a double
        * cannot hold epoch ns exactly */
    *ns = (GstClockTime) floor (d) * GST_MSECOND +
        (GstClockTime) llround ((d - floor (d)) * 1.0e6);
  return TRUE;
}

static void
point_init (GstPlexusPoint *pt, JsonObject *o)
{
  memset (pt, 0, sizeof (*pt));
  pt->object = o;
  pt->source_id = member_string (o, "source_id");
  pt->metric = member_string (o, "metric");
  pt->klass = member_string (o, "class");
  pt->trace_id = member_string (o, "trace_id");
  pt->value = json_object_get_member (o, "value");
  pt->value_is_number = node_number (pt->value, &pt->number);
  pt->has_timestamp = member_timestamp (o, &pt->timestamp_ms, &pt->epoch_ns);
}

static void
camera_free (GstPlexusCamera *c)
{
  g_free (c->camera_id);
  g_free (c->video_type);
  g_free (c);
}

static void
online_source_free (GstPlexusOnlineSource *src)
{
  g_free (src->source_id);
  g_free (src->platform);
  g_ptr_array_unref (src->cameras);
  g_free (src);
}

static void
parse_init (GstPlexusFrame *f, JsonObject *root)
{
  JsonNode *n = json_object_get_member (root, "online_sources");
  JsonArray *arr;
  guint i, j;

  f->online_sources =
      g_ptr_array_new_with_free_func ((GDestroyNotify) online_source_free);
  if (!n || !JSON_NODE_HOLDS_ARRAY (n))
    return;
  arr = json_node_get_array (n);
  for (i = 0; i < json_array_get_length (arr); i++) {
    JsonNode *e = json_array_get_element (arr, i);
    GstPlexusOnlineSource *src;
    JsonObject *o;
    JsonNode *cams;

    if (!JSON_NODE_HOLDS_OBJECT (e))
      continue;
    o = json_node_get_object (e);
    src = g_new0 (GstPlexusOnlineSource, 1);
    src->source_id = g_strdup (member_string (o, "source_id"));
    src->platform = g_strdup (member_string (o, "platform"));
    src->cameras =
        g_ptr_array_new_with_free_func ((GDestroyNotify) camera_free);
    cams = json_object_get_member (o, "cameras");
    if (cams && JSON_NODE_HOLDS_ARRAY (cams)) {
      JsonArray *ca = json_node_get_array (cams);

      for (j = 0; j < json_array_get_length (ca); j++) {
        JsonNode *c = json_array_get_element (ca, j);
        GstPlexusCamera *cam = NULL;

        /* the gateway sends objects, the docs show plain names */
        if (JSON_NODE_HOLDS_VALUE (c) &&
            json_node_get_value_type (c) == G_TYPE_STRING) {
          cam = g_new0 (GstPlexusCamera, 1);
          cam->camera_id = g_strdup (json_node_get_string (c));
        } else if (JSON_NODE_HOLDS_OBJECT (c) &&
            member_string (json_node_get_object (c), "camera_id")) {
          JsonObject *co = json_node_get_object (c);

          cam = g_new0 (GstPlexusCamera, 1);
          cam->camera_id = g_strdup (member_string (co, "camera_id"));
          cam->video_type = g_strdup (member_string (co, "video_type"));
        }
        if (cam)
          g_ptr_array_add (src->cameras, cam);
      }
    }
    g_ptr_array_add (f->online_sources, src);
  }
}

static void
parse_video (GstPlexusFrame *f, JsonObject *root)
{
  JsonNode *temps;

  f->source_id = member_string (root, "source_id");
  f->camera_id = member_string (root, "camera_id");
  f->video_type = member_string (root, "video_type");
  f->width = MAX (member_int (root, "width", 0), 0);
  f->height = MAX (member_int (root, "height", 0), 0);
  f->has_timestamp = member_timestamp (root, &f->timestamp_ms, &f->epoch_ns);
  f->thermal = g_strcmp0 (f->video_type, "thermal") == 0;
  f->sensor_width = MAX (member_int (root, "sensor_width", 0), 0);
  f->sensor_height = MAX (member_int (root, "sensor_height", 0), 0);
  if (!member_number (root, "temp_min", &f->temp_min))
    f->temp_min = NAN;
  if (!member_number (root, "temp_max", &f->temp_max))
    f->temp_max = NAN;
  temps = json_object_get_member (root, "temps");
  if (temps && JSON_NODE_HOLDS_ARRAY (temps)) {
    JsonArray *a = json_node_get_array (temps);
    guint i, n = json_array_get_length (a);

    f->temps = g_array_sized_new (FALSE, FALSE, sizeof (gfloat), n);
    for (i = 0; i < n; i++) {
      gdouble d;
      gfloat v;

      v = node_number (json_array_get_element (a, i), &d) ? (gfloat) d : NAN;
      g_array_append_val (f->temps, v);
    }
  }
}

static const struct
{
  const gchar *name;
  GstPlexusFrameType type;
} frame_types[] = {
  { "telemetry", GST_PLEXUS_FRAME_TELEMETRY },
  { "event", GST_PLEXUS_FRAME_EVENT },
  { "init", GST_PLEXUS_FRAME_INIT },
  { "video_frame", GST_PLEXUS_FRAME_VIDEO },
  { "gateway_reconnecting", GST_PLEXUS_FRAME_GATEWAY_RECONNECTING },
  { "error", GST_PLEXUS_FRAME_ERROR },
};

/**
 * gst_plexus_frame_type_name:
 * @type: a frame type
 *
 * Returns: the `type` string of @type ("telemetry", "video_frame", ...),
 *   "unknown" for %GST_PLEXUS_FRAME_UNKNOWN
 */
const gchar *
gst_plexus_frame_type_name (GstPlexusFrameType type)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (frame_types); i++)
    if (frame_types[i].type == type)
      return frame_types[i].name;
  return "unknown";
}

/**
 * gst_plexus_frame_parse:
 * @data: (array length=len): one text message
 * @len: its size in bytes
 * @max_size: the largest message accepted, in bytes; 0 = no limit
 * @error: a #GError in %GST_PLEXUS_ERROR
 *
 * Parses one text message. Unknown members are ignored and unknown frame
 * types give %GST_PLEXUS_FRAME_UNKNOWN; NaN and Infinity literals (which
 * some encoders write) count as null. A video frame's base64 text is not
 * copied: @data must outlive the frame.
 *
 * Returns: (transfer full) (nullable): the frame, or %NULL with @error set
 *   when the message is too large, not a JSON object, or a video_frame
 *   without a `frame` string
 */
GstPlexusFrame *
gst_plexus_frame_parse (
    const gchar *data, gsize len, gsize max_size, GError **error)
{
  /* the skeleton is no larger than the message, which is bounded above */
  static const GstSensorJsonLimits limits = { MAX_DEPTH, G_MAXSIZE };
  g_autoptr (GString) skel = NULL;
  g_autoptr (GError) json_error = NULL;
  JsonNode *skel_root;
  GstPlexusFrame *f;
  Scanner s = {
    0,
  };
  JsonObject *root;
  const gchar *type;
  guint i;

  if (max_size > 0 && len > max_size) {
    g_set_error (error, GST_PLEXUS_ERROR, GST_PLEXUS_ERROR_TOO_LARGE,
        "message of %" G_GSIZE_FORMAT " bytes is over the %" G_GSIZE_FORMAT
        " byte limit",
        len, max_size);
    return NULL;
  }

  skel = g_string_sized_new (MIN (len, 4096) + 16);
  s.start = s.p = data;
  s.end = data + len;
  s.out = skel;
  s.error = error;
  skip_ws (&s);
  if (s.p >= s.end || *s.p != '{') {
    scan_fail (&s, "not a JSON object");
    return NULL;
  }
  if (!scan_container (&s, '}', scan_member, TRUE))
    return NULL;
  skip_ws (&s);
  if (s.p != s.end) {
    scan_fail (&s, "trailing data after the object");
    return NULL;
  }

  /* The scanner copies literals as they are: the strict check refuses what
   * json-glib would read as something else (072, 0x48, 'x', comments). */
  skel_root =
      gst_sensor_json_parse (skel->str, skel->len, &limits, &json_error);
  if (skel_root == NULL) {
    g_set_error (error, GST_PLEXUS_ERROR, GST_PLEXUS_ERROR_MALFORMED,
        "malformed JSON: %s (without the frame)", json_error->message);
    return NULL;
  }
  json_node_seal (skel_root);

  f = g_new0 (GstPlexusFrame, 1);
  f->root = skel_root;
  f->n_nonfinite = s.nonfinite;
  f->epoch_ns = GST_CLOCK_TIME_NONE;
  f->temp_min = f->temp_max = NAN;
  root = json_node_get_object (f->root);
  type = member_string (root, "type");
  f->type_name = g_strdup (type);
  for (i = 0; type && i < G_N_ELEMENTS (frame_types); i++)
    if (strcmp (type, frame_types[i].name) == 0)
      f->type = frame_types[i].type;

  switch (f->type) {
    case GST_PLEXUS_FRAME_TELEMETRY: {
      JsonNode *pts = json_object_get_member (root, "points");

      f->points = g_array_new (FALSE, TRUE, sizeof (GstPlexusPoint));
      if (pts && JSON_NODE_HOLDS_ARRAY (pts)) {
        JsonArray *a = json_node_get_array (pts);
        guint n = json_array_get_length (a);

        for (i = 0; i < n; i++) {
          JsonNode *e = json_array_get_element (a, i);
          GstPlexusPoint pt;

          if (!JSON_NODE_HOLDS_OBJECT (e)) {
            f->n_bad_points++;
            continue;
          }
          point_init (&pt, json_node_get_object (e));
          g_array_append_val (f->points, pt);
        }
      } else if (pts) {
        f->n_bad_points++;
      }
      break;
    }
    case GST_PLEXUS_FRAME_EVENT: {
      GstPlexusPoint pt;

      f->points = g_array_new (FALSE, TRUE, sizeof (GstPlexusPoint));
      point_init (&pt, root);
      g_array_append_val (f->points, pt);
      break;
    }
    case GST_PLEXUS_FRAME_INIT:
      parse_init (f, root);
      break;
    case GST_PLEXUS_FRAME_VIDEO:
      if (!s.has_frame) {
        g_set_error (error, GST_PLEXUS_ERROR, GST_PLEXUS_ERROR_MISSING_FIELD,
            "video_frame without a `frame` string");
        gst_plexus_frame_free (f);
        return NULL;
      }
      f->frame_b64 = s.frame;
      f->frame_b64_len = s.frame_len;
      parse_video (f, root);
      break;
    case GST_PLEXUS_FRAME_GATEWAY_RECONNECTING:
      f->attempt = member_int (root, "attempt", 0);
      f->max_attempts = member_int (root, "max_attempts", 0);
      if (!member_number (root, "delay_s", &f->delay_s))
        f->delay_s = 0;
      break;
    case GST_PLEXUS_FRAME_ERROR:
      f->message = member_string (root, "message");
      break;
    case GST_PLEXUS_FRAME_UNKNOWN:
      break;
  }
  return f;
}

/**
 * gst_plexus_frame_parse_bytes:
 * @payload: (transfer none): one text message
 * @max_size: the largest message accepted, in bytes; 0 = no limit
 * @error: a #GError in %GST_PLEXUS_ERROR
 *
 * As gst_plexus_frame_parse(), keeping a reference to @payload so that
 * #GstPlexusFrame.frame_b64 stays valid as long as the frame.
 *
 * Returns: (transfer full) (nullable): the frame, or %NULL with @error set
 */
GstPlexusFrame *
gst_plexus_frame_parse_bytes (GBytes *payload, gsize max_size, GError **error)
{
  gsize len;
  const gchar *data = g_bytes_get_data (payload, &len);
  GstPlexusFrame *f = gst_plexus_frame_parse (data, len, max_size, error);

  if (f && f->frame_b64)
    f->payload = g_bytes_ref (payload);
  return f;
}

/**
 * gst_plexus_frame_free:
 * @frame: (transfer full) (nullable): a frame
 *
 * Frees @f and what it holds.
 */
void
gst_plexus_frame_free (GstPlexusFrame *frame)
{
  GstPlexusFrame *f = frame;

  if (!f)
    return;
  g_free (f->type_name);
  if (f->points)
    g_array_unref (f->points);
  if (f->online_sources)
    g_ptr_array_unref (f->online_sources);
  if (f->temps)
    g_array_unref (f->temps);
  if (f->root)
    json_node_unref (f->root);
  if (f->payload)
    g_bytes_unref (f->payload);
  g_free (f);
}

/**
 * gst_plexus_frame_decode_jpeg:
 * @frame: a %GST_PLEXUS_FRAME_VIDEO frame
 * @info: (out caller-allocates) (optional): the JPEG header
 * @error: a #GError in %GST_PLEXUS_ERROR
 *
 * Decodes the frame's base64 straight into a new buffer and checks its JPEG
 * header against #GstPlexusFrame.width and #GstPlexusFrame.height when they
 * are given, and against %GST_PLEXUS_MAX_PIXELS.
 *
 * Returns: (transfer full) (nullable): the JPEG, or %NULL with @error set
 */
GstBuffer *
gst_plexus_frame_decode_jpeg (
    const GstPlexusFrame *frame, GstPlexusJpegInfo *info, GError **error)
{
  GstPlexusJpegInfo tmp;
  GstBuffer *buf;
  GstMapInfo map;
  gboolean ok;

  g_return_val_if_fail (frame->type == GST_PLEXUS_FRAME_VIDEO, NULL);
  if (!info)
    info = &tmp;
  buf = gst_plexus_base64_decode_to_buffer (
      frame->frame_b64, frame->frame_b64_len, error);
  if (!buf)
    return NULL;
  gst_buffer_map (buf, &map, GST_MAP_READ);
  ok = gst_plexus_jpeg_parse_header (map.data, map.size, info, error);
  gst_buffer_unmap (buf, &map);
  if (ok &&
      ((frame->width > 0 && (guint) frame->width != info->width) ||
          (frame->height > 0 && (guint) frame->height != info->height))) {
    g_set_error (error, GST_PLEXUS_ERROR, GST_PLEXUS_ERROR_SIZE_MISMATCH,
        "frame says %dx%d, its JPEG is %ux%u", frame->width, frame->height,
        info->width, info->height);
    ok = FALSE;
  }
  if (ok && (guint64) info->width * info->height > GST_PLEXUS_MAX_PIXELS) {
    /* a small JPEG can claim a huge picture; decoding it would not be */
    g_set_error (error, GST_PLEXUS_ERROR, GST_PLEXUS_ERROR_TOO_LARGE,
        "a %ux%u picture is over the %u pixel limit", info->width, info->height,
        GST_PLEXUS_MAX_PIXELS);
    ok = FALSE;
  }
  if (!ok) {
    gst_buffer_unref (buf);
    return NULL;
  }
  return buf;
}

/**
 * gst_plexus_point_to_json:
 * @point: a point of a frame
 *
 * Returns: (transfer full): the point as one JSON object text, with a
 *   trailing newline
 */
gchar *
gst_plexus_point_to_json (const GstPlexusPoint *point)
{
  JsonNode *node = json_node_init_object (json_node_alloc (), point->object);
  gchar *text = json_to_string (node, FALSE);
  gchar *line = g_strconcat (text, "\n", NULL);

  json_node_unref (node);
  g_free (text);
  return line;
}

static void
append_json_string (GString *out, const gchar *s)
{
  g_string_append_c (out, '"');
  for (; s && *s; s++) {
    guchar c = *s;

    if (c == '"' || c == '\\')
      g_string_append_printf (out, "\\%c", c);
    else if (c < 0x20)
      g_string_append_printf (out, "\\u%04x", c);
    else
      g_string_append_c (out, c);
  }
  g_string_append_c (out, '"');
}

/**
 * gst_plexus_video_frame_build:
 * @source_id: the source
 * @camera_id: the camera
 * @width: picture width
 * @height: picture height
 * @timestamp_ms: milliseconds since the epoch
 * @jpeg: (array length=jpeg_len): the picture
 * @jpeg_len: its size in bytes
 *
 * A video_frame message as a server sends it, for servers and tests.
 *
 * Returns: (transfer full): the message text
 */
GBytes *
gst_plexus_video_frame_build (const gchar *source_id, const gchar *camera_id,
    gint width, gint height, gint64 timestamp_ms, const guint8 *jpeg,
    gsize jpeg_len)
{
  GString *out = g_string_sized_new (jpeg_len * 4 / 3 + 256);

  g_string_append (out, "{\"type\":\"video_frame\",\"source_id\":");
  append_json_string (out, source_id);
  g_string_append (out, ",\"camera_id\":");
  append_json_string (out, camera_id);
  g_string_append (out, ",\"frame\":\"");
  gst_plexus_base64_append (out, jpeg, jpeg_len);
  g_string_append_printf (out,
      "\",\"width\":%d,\"height\":%d,"
      "\"timestamp\":%" G_GINT64_FORMAT "}",
      width, height, timestamp_ms);
  return g_string_free_to_bytes (out);
}
