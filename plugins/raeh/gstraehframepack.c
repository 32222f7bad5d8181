/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-raehframepack
 * @title: raehframepack
 *
 * Packs `sensor/x-raw` samples into Raeh binary frames
 * (`application/x-raeh-frame`, one complete wire frame per buffer).
 *
 * Frame windows are aligned to epoch multiples of
 * #GstRaehFramePack:frame-duration, so the frames of every modality of a device
 * cover the same windows; the first and last frame of a stream, and the frames
 * next to a gap in the input, are partial. The t0 of every frame comes from the
 * input's epoch meta plus a sample counter, so consecutive frames are
 * continuous to the millisecond; samples are never invented and gaps stay gaps.
 *
 * The input must be the signed integer format that carries the bit depth
 * downstream asks for (S16LE for 9..16 bits); put sensorresample in front to
 * convert rate and format. Input it cannot pack (float, unsigned, an
 * irregular rate) still links, and fails negotiation with one error naming
 * what upstream offers and the fix, e.g. "raehframepack takes integer
 * samples; upstream offers F32LE: add sensorresample (it converts float to
 * integer with a full scale)". The slot byte is left 0: raehsink writes the
 * slot id of the current session.
 *
 * ## Example
 * |[
 * gst-launch-1.0 sensortestsrc modality=ppg_green rate=128 ! sensorresample !
 *     raehframepack ! raehsink api-key=raeh_... device-id=demo-1 \
 *     device-model-id=573fdc48-b7a8-40bb-81b7-e96df24fab6d
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <gst/raeh/raeh.h>
#include <gst/sensor/sensor-field.h>

#include "gstraehelements.h"
#include "gstraehframepack.h"

GST_DEBUG_CATEGORY_STATIC (raeh_frame_pack_debug);
#define GST_CAT_DEFAULT raeh_frame_pack_debug

#define DEFAULT_FRAME_DURATION GST_SECOND

enum {
  PROP_0,
  PROP_FRAME_DURATION,
};

#define INT_FORMATS "{ S8, S16LE, S24LE, S32LE }"

/* What can be packed, and what caps queries offer upstream. */
static GstStaticCaps packable_caps = GST_STATIC_CAPS (
    GST_SENSOR_MEDIA_TYPE ", format = (string) " INT_FORMATS
                          ", rate = (fraction) [ 1/2147483647, 2147483647/1 ], "
                          "channels = (int) [ 1, 64 ]");

/* Any sensor/x-raw links, so that input that cannot be packed (float,
 * irregular) fails negotiation with an error saying what to put in front,
 * not at link time with "can't handle caps". */
static GstStaticPadTemplate sink_template =
    GST_STATIC_PAD_TEMPLATE ("sink", GST_PAD_SINK, GST_PAD_ALWAYS,
        GST_STATIC_CAPS (GST_SENSOR_CAPS_MAKE (GST_SENSOR_FORMATS_ALL)));

static GstStaticPadTemplate src_template =
    GST_STATIC_PAD_TEMPLATE ("src", GST_PAD_SRC, GST_PAD_ALWAYS,
        GST_STATIC_CAPS (GST_RAEH_FRAME_MEDIA_TYPE
            ", rate = (fraction) [ 1/2147483647, 2147483647/1 ], "
            "channels = (int) [ 1, 64 ], bit-depth = (int) [ 1, 32 ]"));

struct _GstRaehFramePack
{
  GstElement parent;

  GstPad *sinkpad, *srcpad;

  /* properties */
  GstClockTime frame_duration;

  /* negotiated input, stream lock */
  GstSensorInfo info;
  gboolean have_info;
  guint bit_depth;
  GstSegment segment;

  /* the current continuous run: epoch and running position of its sample
   * 0, and how many samples it has had */
  gboolean have_anchor;
  GstClockTime anchor_epoch;
  GstClockTime anchor_pts;
  guint64 n_samples;
  gboolean discont;

  /* the frame being filled: index of its first sample in the run and the
   * index at which its window ends */
  GByteArray *payload;
  guint64 frame_first;
  guint64 frame_end;
};

G_DEFINE_TYPE (GstRaehFramePack, gst_raeh_frame_pack, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE (
    raehframepack, "raehframepack", GST_RANK_NONE, GST_TYPE_RAEH_FRAME_PACK);

/* Exact time of sample @index of the run, relative to its first sample. */
static GstClockTime
sample_offset (GstRaehFramePack *self, guint64 index)
{
  return gst_util_uint64_scale (
      index, (guint64) self->info.rate_d * GST_SECOND, self->info.rate_n);
}

/* First sample index whose time is at or after @offset from the run start. */
static guint64
first_index_at (GstRaehFramePack *self, GstClockTime offset)
{
  return gst_util_uint64_scale_ceil (
      offset, self->info.rate_n, (guint64) self->info.rate_d * GST_SECOND);
}

static void
reset_run (GstRaehFramePack *self)
{
  self->have_anchor = FALSE;
  self->n_samples = 0;
  g_byte_array_set_size (self->payload, 0);
  self->frame_first = 0;
  self->frame_end = 0;
}

static GstFlowReturn
push_frame (GstRaehFramePack *self)
{
  GstRaehFrameHeader header = {
    0,
  };
  guint64 count = self->n_samples - self->frame_first;
  GstClockTime offset, epoch;
  GstBuffer *out;
  GstMapInfo map;

  if (count == 0)
    return GST_FLOW_OK;

  offset = sample_offset (self, self->frame_first);
  epoch = self->anchor_epoch + offset;
  header.slot_id = 0;
  /* nearest millisecond of the exact first-sample time */
  header.t0_epoch_ms = (gint64) ((epoch + GST_MSECOND / 2) / GST_MSECOND);
  header.sample_count = (guint16) count;
  header.flags = 0;

  out = gst_buffer_new_allocate (
      NULL, GST_RAEH_FRAME_HEADER_SIZE + self->payload->len, NULL);
  gst_buffer_map (out, &map, GST_MAP_WRITE);
  gst_raeh_frame_header_write (&header, map.data);
  memcpy (map.data + GST_RAEH_FRAME_HEADER_SIZE, self->payload->data,
      self->payload->len);
  gst_buffer_unmap (out, &map);

  if (GST_CLOCK_TIME_IS_VALID (self->anchor_pts))
    GST_BUFFER_PTS (out) = self->anchor_pts + offset;
  GST_BUFFER_DURATION (out) = sample_offset (self, self->n_samples) - offset;
  GST_BUFFER_OFFSET (out) = self->frame_first;
  GST_BUFFER_OFFSET_END (out) = self->n_samples;
  gst_buffer_add_sensor_epoch (out, epoch);
  if (self->discont) {
    GST_BUFFER_FLAG_SET (out, GST_BUFFER_FLAG_DISCONT);
    self->discont = FALSE;
  }

  GST_LOG_OBJECT (self,
      "frame t0 %" G_GINT64_FORMAT " ms, %" G_GUINT64_FORMAT " samples",
      header.t0_epoch_ms, count);
  g_byte_array_set_size (self->payload, 0);
  self->frame_first = self->n_samples;
  return gst_pad_push (self->srcpad, out);
}

/* Starts the frame holding sample n_samples: its window is the epoch
 * multiple of frame-duration that sample falls in. */
static void
start_frame (GstRaehFramePack *self)
{
  GstClockTime t = self->anchor_epoch + sample_offset (self, self->n_samples);
  GstClockTime window_end =
      (t / self->frame_duration + 1) * self->frame_duration;

  self->frame_first = self->n_samples;
  self->frame_end = first_index_at (self, window_end - self->anchor_epoch);
  self->frame_end =
      MIN (self->frame_end, self->frame_first + GST_RAEH_FRAME_MAX_SAMPLES);
  if (self->frame_end <= self->frame_first)
    self->frame_end = self->frame_first + 1;
}

static GstClockTime
buffer_epoch (GstRaehFramePack *self, GstBuffer *buf)
{
  GstClockTime epoch, rt;

  if (gst_buffer_get_sensor_epoch (buf, &epoch))
    return epoch;
  if (self->have_anchor)
    return self->anchor_epoch + sample_offset (self, self->n_samples);
  /* no epoch meta: map the running time through the pipeline's anchor */
  rt = gst_segment_to_running_time (
      &self->segment, GST_FORMAT_TIME, GST_BUFFER_PTS (buf));
  GST_WARNING_OBJECT (self,
      "input has no epoch meta, deriving t0 from the "
      "running time");
  return gst_sensor_epoch_for_running_time (
      GST_ELEMENT (self), GST_CLOCK_TIME_IS_VALID (rt) ? rt : 0, FALSE);
}

static GstFlowReturn
gst_raeh_frame_pack_chain (GstPad *pad, GstObject *parent, GstBuffer *buf)
{
  GstRaehFramePack *self = GST_RAEH_FRAME_PACK (parent);
  GstFlowReturn ret = GST_FLOW_OK;
  GstClockTime epoch;
  GstMapInfo map;
  guint64 n, done = 0;
  guint bpf;

  if (!self->have_info) {
    gst_buffer_unref (buf);
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, (NULL), ("data before caps"));
    return GST_FLOW_NOT_NEGOTIATED;
  }
  bpf = self->info.bpf;
  gst_buffer_map (buf, &map, GST_MAP_READ);
  if (map.size % bpf)
    GST_WARNING_OBJECT (self,
        "buffer of %" G_GSIZE_FORMAT " bytes is not a "
        "multiple of %u bytes per sample, dropping the rest",
        map.size, bpf);
  n = map.size / bpf;
  if (n == 0)
    goto done;

  epoch = buffer_epoch (self, buf);
  if (self->have_anchor) {
    GstClockTime expected =
        self->anchor_epoch + sample_offset (self, self->n_samples);
    GstClockTime tolerance = sample_offset (self, 1) / 2;
    GstClockTimeDiff diff = GST_CLOCK_DIFF (expected, epoch);

    if (ABS (diff) > (GstClockTimeDiff) tolerance) {
      /* a gap or an overlap: close the frame so t0 stays exact */
      GST_DEBUG_OBJECT (
          self, "discontinuity of %" GST_STIME_FORMAT, GST_STIME_ARGS (diff));
      ret = push_frame (self);
      reset_run (self);
      if (ret != GST_FLOW_OK)
        goto done;
    }
  }
  if (!self->have_anchor) {
    self->have_anchor = TRUE;
    self->anchor_epoch = epoch;
    self->anchor_pts = GST_BUFFER_PTS (buf);
    self->n_samples = 0;
    self->discont = TRUE;
    start_frame (self);
  }

  while (done < n) {
    guint64 take;

    if (self->n_samples >= self->frame_end)
      start_frame (self);
    take = MIN (n - done, self->frame_end - self->n_samples);
    g_byte_array_append (self->payload, map.data + done * bpf, take * bpf);
    done += take;
    self->n_samples += take;
    if (self->n_samples == self->frame_end) {
      ret = push_frame (self);
      if (ret != GST_FLOW_OK)
        break;
    }
  }

done:
  gst_buffer_unmap (buf, &map);
  gst_buffer_unref (buf);
  return ret;
}

/* Frame caps for @info: bit depths that ride in the format's width. */
static GstCaps *
frame_caps_for_info (const GstSensorInfo *info)
{
  guint width = gst_sensor_format_get_width (info->format);
  GstCaps *caps = gst_caps_new_simple (GST_RAEH_FRAME_MEDIA_TYPE, "rate",
      GST_TYPE_FRACTION, info->rate_n, info->rate_d, "channels", G_TYPE_INT,
      info->channels, "bit-depth", GST_TYPE_INT_RANGE,
      (gint) (width - 1) * 8 + 1, (gint) width * 8, NULL);

  if (width == 1)
    gst_caps_set_simple (caps, "bit-depth", GST_TYPE_INT_RANGE, 1, 8, NULL);
  if (info->modality)
    gst_caps_set_simple (caps, "modality", G_TYPE_STRING, info->modality, NULL);
  return caps;
}

/* Why raehframepack cannot pack @caps and what to put in front, or NULL
 * when it can. */
static gchar *
input_problem (GstCaps *caps, const GstSensorInfo *info, gboolean parsed)
{
  const gchar *format;

  if (!parsed) {
    gchar *str = gst_caps_to_string (caps);
    gchar *msg = g_strdup_printf ("raehframepack takes sensor/x-raw with a "
                                  "format, rate and channels; upstream offers "
                                  "%s",
        str);

    g_free (str);
    return msg;
  }
  format = gst_sensor_format_to_string (info->format);
  if (gst_sensor_format_is_float (info->format))
    return g_strdup_printf ("raehframepack takes integer samples; upstream "
                            "offers %s: add sensorresample (it converts float "
                            "to integer with a full scale)",
        format);
  if (!gst_sensor_format_is_signed (info->format))
    return g_strdup_printf ("raehframepack takes signed integer samples; "
                            "upstream offers %s: add sensorresample (it "
                            "converts to %s)",
        format,
        gst_sensor_format_to_string (gst_sensor_format_for_bit_depth (
            gst_sensor_format_get_width (info->format) * 8)));
  if (GST_SENSOR_INFO_IS_IRREGULAR (info))
    return g_strdup ("raehframepack takes a regular rate; upstream offers an "
                     "irregular stream (rate 0/1): add sensorresample and a "
                     "rate, e.g. sensorresample ! sensor/x-raw,rate=50/1");
  return NULL;
}

/* Returns FALSE, after one error naming both sides and the fix, when the
 * input cannot be packed or downstream refuses the frames. */
static gboolean
set_caps (GstRaehFramePack *self, GstCaps *caps)
{
  GstSensorInfo info;
  GstCaps *want, *peer, *out;
  GstStructure *s;
  gchar *problem;
  gint depth;
  guint width;

  gst_sensor_info_init (&info);
  problem =
      input_problem (caps, &info, gst_sensor_info_from_caps (&info, caps));
  if (problem) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, ("%s", problem),
        ("caps %" GST_PTR_FORMAT, caps));
    g_free (problem);
    gst_sensor_info_clear (&info);
    return FALSE;
  }
  width = gst_sensor_format_get_width (info.format);
  want = frame_caps_for_info (&info);
  peer = gst_pad_peer_query_caps (self->srcpad, want);
  if (gst_caps_is_empty (peer)) {
    GstCaps *offers = gst_pad_peer_query_caps (self->srcpad, NULL);

    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
        ("Downstream of raehframepack takes no Raeh frames of this input; "
         "it takes %" GST_PTR_FORMAT,
            offers),
        ("upstream offers %" GST_PTR_FORMAT ", packed as %" GST_PTR_FORMAT,
            caps, want));
    gst_caps_unref (offers);
    gst_caps_unref (want);
    gst_caps_unref (peer);
    gst_sensor_info_clear (&info);
    return FALSE;
  }
  gst_caps_unref (want);
  out = gst_caps_truncate (peer);
  out = gst_caps_make_writable (out);
  s = gst_caps_get_structure (out, 0);
  gst_structure_fixate_field_nearest_int (s, "bit-depth", width * 8);
  out = gst_caps_fixate (out);
  s = gst_caps_get_structure (out, 0);
  gst_structure_get_int (s, "bit-depth", &depth);

  /* downstream (raehsink) says why when it refuses: the caps event fails */
  GST_INFO_OBJECT (self, "packing %" GST_PTR_FORMAT, out);
  if (!gst_pad_push_event (self->srcpad, gst_event_new_caps (out))) {
    GST_DEBUG_OBJECT (self, "downstream refused %" GST_PTR_FORMAT, out);
    gst_caps_unref (out);
    gst_sensor_info_clear (&info);
    return FALSE;
  }
  gst_caps_unref (out);

  /* a new format closes the frame of the old one */
  if (self->have_info && !gst_sensor_info_is_equal (&self->info, &info)) {
    push_frame (self);
    reset_run (self);
  }
  gst_sensor_info_clear (&self->info);
  self->info = info;
  self->have_info = TRUE;
  self->bit_depth = depth;
  return TRUE;
}

static gboolean
gst_raeh_frame_pack_sink_event (GstPad *pad, GstObject *parent, GstEvent *event)
{
  GstRaehFramePack *self = GST_RAEH_FRAME_PACK (parent);

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_CAPS: {
      GstCaps *caps;
      gboolean ok;

      gst_event_parse_caps (event, &caps);
      ok = set_caps (self, caps);
      gst_event_unref (event);
      return ok;
    }
    case GST_EVENT_SEGMENT:
      gst_event_copy_segment (event, &self->segment);
      break;
    case GST_EVENT_EOS:
      /* the last frame is partial */
      if (self->have_info)
        push_frame (self);
      reset_run (self);
      break;
    case GST_EVENT_FLUSH_STOP:
      reset_run (self);
      gst_segment_init (&self->segment, GST_FORMAT_TIME);
      break;
    default:
      break;
  }
  return gst_pad_event_default (pad, parent, event);
}

/* A structure of @media_type with the fields raw and frame caps both
 * carry, as @from has them: the stream, not its sample format. */
static GstStructure *
new_with_stream_fields (const gchar *media_type, const GstStructure *from)
{
  static const gchar *const names[] = { "rate", "channels", "modality" };
  GstStructure *to = gst_structure_new_empty (media_type);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++) {
    const GValue *v = gst_structure_get_value (from, names[i]);

    if (v)
      gst_structure_set_value (to, names[i], v);
  }
  return to;
}

/* The sample formats of sensor/x-raw that frames of @fs's bit depths can
 * be packed from, as @rs's format field. */
static void
set_raw_formats (GstStructure *rs, const GstStructure *fs)
{
  const GValue *v;
  GValue list = G_VALUE_INIT;
  gint lo = 1, hi = 32, w;

  if ((v = gst_structure_get_value (fs, "bit-depth"))) {
    if (G_VALUE_HOLDS_INT (v)) {
      lo = hi = g_value_get_int (v);
    } else if (GST_VALUE_HOLDS_INT_RANGE (v)) {
      lo = gst_value_get_int_range_min (v);
      hi = gst_value_get_int_range_max (v);
    }
  }
  lo = CLAMP (lo, 1, 32);
  hi = CLAMP (hi, lo, 32);
  g_value_init (&list, GST_TYPE_LIST);
  for (w = (lo + 7) / 8; w <= (hi + 7) / 8; w++) {
    GValue f = G_VALUE_INIT;

    g_value_init (&f, G_TYPE_STRING);
    g_value_set_string (&f,
        gst_sensor_format_to_string (gst_sensor_format_for_bit_depth (w * 8)));
    gst_value_list_append_and_take_value (&list, &f);
  }
  if (gst_value_list_get_size (&list) == 1)
    gst_structure_set_value (rs, "format", gst_value_list_get_value (&list, 0));
  else
    gst_structure_set_value (rs, "format", &list);
  g_value_unset (&list);
}

/* The caps of the other pad that fit @caps: sensor/x-raw that can feed
 * frame caps (@to_raw), or frame caps that sensor/x-raw can be packed
 * into. */
static GstCaps *
caps_for_other_side (GstCaps *caps, gboolean to_raw)
{
  GstCaps *result = gst_caps_new_empty ();
  guint i;

  for (i = 0; i < gst_caps_get_size (caps); i++) {
    const GstStructure *from = gst_caps_get_structure (caps, i);
    GstStructure *to = new_with_stream_fields (
        to_raw ? GST_SENSOR_MEDIA_TYPE : GST_RAEH_FRAME_MEDIA_TYPE, from);

    if (to_raw)
      set_raw_formats (to, from);
    else
      gst_structure_set (to, "bit-depth", GST_TYPE_INT_RANGE, 1, 32, NULL);
    result = gst_caps_merge_structure (result, to);
  }
  return result;
}

static gboolean
gst_raeh_frame_pack_query (GstPad *pad, GstObject *parent, GstQuery *query)
{
  GstRaehFramePack *self = GST_RAEH_FRAME_PACK (parent);

  if (GST_QUERY_TYPE (query) == GST_QUERY_CAPS) {
    GstCaps *filter, *peer, *result, *tmpl;
    gboolean sink = (pad == self->sinkpad);
    GstPad *other = sink ? self->srcpad : self->sinkpad;

    gst_query_parse_caps (query, &filter);
    if (!sink && (result = gst_pad_get_current_caps (pad))) {
      /* negotiated frames stay as they are */
      peer = gst_caps_ref (result);
    } else if (gst_caps_is_any (peer = gst_pad_peer_query_caps (other, NULL))) {
      result = sink ? gst_static_caps_get (&packable_caps) :
                      gst_pad_get_pad_template_caps (pad);
    } else {
      GstCaps *conv = caps_for_other_side (peer, sink);

      tmpl = sink ? gst_static_caps_get (&packable_caps) :
                    gst_pad_get_pad_template_caps (pad);
      result = gst_caps_intersect_full (conv, tmpl, GST_CAPS_INTERSECT_FIRST);
      gst_caps_unref (conv);
      gst_caps_unref (tmpl);
    }
    gst_caps_unref (peer);
    if (filter) {
      GstCaps *tmp =
          gst_caps_intersect_full (filter, result, GST_CAPS_INTERSECT_FIRST);

      gst_caps_unref (result);
      result = tmp;
      /* Input that cannot be packed (float, another rate than the Raeh
       * manifest, ...) is let through, so that the caps event fails with
       * an error naming both sides and the fix, instead of a bare
       * not-negotiated in the source. */
      if (sink && gst_caps_is_empty (result)) {
        GstCaps *any = gst_caps_new_empty_simple (GST_SENSOR_MEDIA_TYPE);

        gst_caps_unref (result);
        result =
            gst_caps_intersect_full (filter, any, GST_CAPS_INTERSECT_FIRST);
        gst_caps_unref (any);
      }
    } else if (sink) {
      /* Unfiltered (a link check): any sensor/x-raw, last, for the same
       * reason. Filtered queries, which decide the format, never see it. */
      result = gst_caps_merge (result, gst_pad_get_pad_template_caps (pad));
    }
    gst_query_set_caps_result (query, result);
    gst_caps_unref (result);
    return TRUE;
  }
  return gst_pad_query_default (pad, parent, query);
}

static GstStateChangeReturn
gst_raeh_frame_pack_change_state (
    GstElement *element, GstStateChange transition)
{
  GstRaehFramePack *self = GST_RAEH_FRAME_PACK (element);
  GstStateChangeReturn ret;

  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED) {
    gst_segment_init (&self->segment, GST_FORMAT_TIME);
    reset_run (self);
  }
  ret = GST_ELEMENT_CLASS (gst_raeh_frame_pack_parent_class)
            ->change_state (element, transition);
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY) {
    reset_run (self);
    gst_sensor_info_clear (&self->info);
    self->have_info = FALSE;
  }
  return ret;
}

/* The plain properties: stored under the object lock, no side effect. */
static const GstSensorFieldProp plain_props[] = {
  GST_SENSOR_FIELD_PROP (PROP_FRAME_DURATION, GstRaehFramePack, frame_duration),
};

static void
gst_raeh_frame_pack_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  if (!GST_SENSOR_FIELD_SET (object, plain_props, prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
gst_raeh_frame_pack_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  if (!GST_SENSOR_FIELD_GET (object, plain_props, prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
gst_raeh_frame_pack_finalize (GObject *object)
{
  GstRaehFramePack *self = GST_RAEH_FRAME_PACK (object);

  g_byte_array_unref (self->payload);
  gst_sensor_info_clear (&self->info);
  G_OBJECT_CLASS (gst_raeh_frame_pack_parent_class)->finalize (object);
}

static void
gst_raeh_frame_pack_class_init (GstRaehFramePackClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->set_property = gst_raeh_frame_pack_set_property;
  gobject_class->get_property = gst_raeh_frame_pack_get_property;
  gobject_class->finalize = gst_raeh_frame_pack_finalize;
  element_class->change_state = gst_raeh_frame_pack_change_state;

  /**
   * GstRaehFramePack:frame-duration:
   *
   * Length of a frame window in ns. Windows start at epoch multiples of it,
   * so every modality's frames line up. A window longer than 65535 samples
   * is split.
   */
  g_object_class_install_property (gobject_class, PROP_FRAME_DURATION,
      g_param_spec_uint64 ("frame-duration", "Frame duration",
          "Length of each frame window in nanoseconds; windows are aligned "
          "to epoch multiples of it",
          GST_MSECOND, 3600 * GST_SECOND, DEFAULT_FRAME_DURATION,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_READY));

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class, "Raeh frame packer",
      "Codec/Encoder/Sensor",
      "Packs sensor samples into Raeh binary frames of a fixed, "
      "epoch-aligned duration",
      "gst-plugins-sensor");
  GST_DEBUG_CATEGORY_INIT (
      raeh_frame_pack_debug, "raehframepack", 0, "Raeh frame packer");
}

static void
gst_raeh_frame_pack_init (GstRaehFramePack *self)
{
  self->sinkpad = gst_pad_new_from_static_template (&sink_template, "sink");
  gst_pad_set_chain_function (self->sinkpad, gst_raeh_frame_pack_chain);
  gst_pad_set_event_function (self->sinkpad, gst_raeh_frame_pack_sink_event);
  gst_pad_set_query_function (self->sinkpad, gst_raeh_frame_pack_query);
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);

  self->srcpad = gst_pad_new_from_static_template (&src_template, "src");
  gst_pad_set_query_function (self->srcpad, gst_raeh_frame_pack_query);
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);

  self->frame_duration = DEFAULT_FRAME_DURATION;
  self->payload = g_byte_array_new ();
  gst_sensor_info_init (&self->info);
  gst_segment_init (&self->segment, GST_FORMAT_TIME);
}
