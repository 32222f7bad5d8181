/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-plexusmetricssrc
 *
 * Reads a Plexus Data API metrics stream
 * (`/v1/sources/{id}/metrics/stream`) and outputs one JSON object per
 * telemetry point as `application/x-json`. With a `metrics` list it can
 * also output irregular `sensor/x-raw` F64LE (rate 0/1, one frame per
 * buffer, one channel per listed metric in that order, each holding the
 * metric's latest value; a frame goes out for every numeric point once each
 * metric has had a value), so sensorresample can put it on a regular grid.
 * PTS is the running time of arrival; the point's own timestamp is in the
 * epoch meta.
 *
 * |[
 * gst-launch-1.0 plexusmetricssrc location=ws://127.0.0.1:8080 \
 *     source-id=robot-01 api-key=plx_... metrics=battery.percent ! \
 *     sensorresample ! sensor/x-raw,rate=1/1 ! fakesink dump=true
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/sensor/sensor.h>
#include <gst/sensor/sensor-caps.h>

#include "gstplexuselements.h"
#include "gstplexusmetricssrc.h"

enum {
  PROP_METRICS = GST_PLEXUS_PROP_LAST + 100,
};

struct _GstPlexusMetricsSrc
{
  GstPlexusJsonSrc parent;
};

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("application/x-json; " GST_SENSOR_MEDIA_TYPE
                     ", format = (string) F64LE, rate = (fraction) 0/1, "
                     "channels = (int) [ 1, 64 ], modality = (string) ANY"));

G_DEFINE_TYPE (
    GstPlexusMetricsSrc, gst_plexus_metrics_src, GST_TYPE_PLEXUS_JSON_SRC);
GST_ELEMENT_REGISTER_DEFINE (plexusmetricssrc, "plexusmetricssrc",
    GST_RANK_NONE, GST_TYPE_PLEXUS_METRICS_SRC);

static GstCaps *
gst_plexus_metrics_src_get_caps (GstBaseSrc *bsrc, GstCaps *filter)
{
  gchar **metrics =
      gst_plexus_json_src_dup_metrics (GST_PLEXUS_JSON_SRC (bsrc));
  GstCaps *caps = gst_caps_new_empty_simple ("application/x-json");
  guint n = metrics ? g_strv_length (metrics) : 0;

  /* samples need named channels: one per metric of the filter, in order */
  if (n > 0 && n <= GST_SENSOR_MAX_CHANNELS) {
    gchar *modality = g_strjoinv (",", metrics);

    gst_caps_append (caps,
        gst_caps_new_simple (GST_SENSOR_MEDIA_TYPE, "format", G_TYPE_STRING,
            "F64LE", "rate", GST_TYPE_FRACTION, 0, 1, "channels", G_TYPE_INT,
            (gint) n, "modality", G_TYPE_STRING, modality, NULL));
    g_free (modality);
  }
  g_strfreev (metrics);
  caps = gst_sensor_caps_filter (caps, filter);
  return caps;
}

static void
gst_plexus_metrics_src_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  if (prop_id == PROP_METRICS) {
    GstPlexusSettings *s =
        gst_plexus_json_src_get_settings (GST_PLEXUS_JSON_SRC (object));
    const gchar *str = g_value_get_string (value);
    g_auto (GStrv) parts = g_strsplit (str ? str : "", ",", -1);
    GPtrArray *names = g_ptr_array_new ();
    guint i;

    for (i = 0; parts[i]; i++) {
      gchar *n = g_strstrip (parts[i]);

      if (*n)
        g_ptr_array_add (names, g_strdup (n));
    }
    g_ptr_array_add (names, NULL);
    GST_OBJECT_LOCK (object);
    g_strfreev (s->metrics);
    s->metrics = (gchar **) g_ptr_array_free (names, FALSE);
    if (!s->metrics[0])
      g_clear_pointer (&s->metrics, g_strfreev);
    GST_OBJECT_UNLOCK (object);
    return;
  }
  G_OBJECT_CLASS (gst_plexus_metrics_src_parent_class)
      ->set_property (object, prop_id, value, pspec);
}

static void
gst_plexus_metrics_src_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  if (prop_id == PROP_METRICS) {
    GstPlexusSettings *s =
        gst_plexus_json_src_get_settings (GST_PLEXUS_JSON_SRC (object));

    GST_OBJECT_LOCK (object);
    g_value_take_string (
        value, s->metrics ? g_strjoinv (",", s->metrics) : NULL);
    GST_OBJECT_UNLOCK (object);
    return;
  }
  G_OBJECT_CLASS (gst_plexus_metrics_src_parent_class)
      ->get_property (object, prop_id, value, pspec);
}

static void
gst_plexus_metrics_src_class_init (GstPlexusMetricsSrcClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSrcClass *basesrc_class = GST_BASE_SRC_CLASS (klass);
  GstPlexusJsonSrcClass *json_class = GST_PLEXUS_JSON_SRC_CLASS (klass);
  GObjectClass *parent_class = g_type_class_peek_parent (klass);

  /* the shared properties are handled by the base class */
  gobject_class->set_property = gst_plexus_metrics_src_set_property;
  gobject_class->get_property = gst_plexus_metrics_src_get_property;
  (void) parent_class;

  g_object_class_install_property (gobject_class, PROP_METRICS,
      g_param_spec_string ("metrics", "Metrics",
          "Comma-separated metric names to receive (empty = all); when set, "
          "sensor/x-raw F64LE output has one channel per name",
          NULL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
              GST_PARAM_MUTABLE_READY));

  basesrc_class->get_caps = GST_DEBUG_FUNCPTR (gst_plexus_metrics_src_get_caps);
  json_class->stream = GST_PLEXUS_STREAM_METRICS;
  json_class->frame_type = GST_PLEXUS_FRAME_TELEMETRY;

  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "Plexus metrics stream source", "Source/Sensor/Network",
      "Reads telemetry points from a Plexus Data API metrics stream as JSON "
      "objects, or one numeric metric as irregular sensor samples",
      "gst-plugins-sensor");
}

static void
gst_plexus_metrics_src_init (GstPlexusMetricsSrc *self)
{}
