/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Embedding example: runs a pipeline that ends in an appsink, reads each
 * buffer's caps through GstSensorInfo and its Unix epoch time (the
 * `timestamp/x-unix` GstReferenceTimestampMeta) through libgstsensor, and
 * prints stats. Build against an install with
 *
 *   cc sensor-epoch-stats.c $(pkg-config --cflags --libs gstreamer-sensor-1.0
 * gstreamer-app-1.0)
 *
 * Usage: sensor-epoch-stats [PIPELINE]   (the pipeline needs an appsink named
 * "sink"; default: 2 s of 128 Hz PPG resampled to 100 Hz)
 */
#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/sensor/sensor.h>

#define DEFAULT_PIPELINE                                                       \
  "sensortestsrc modality=ppg_green rate=128 num-buffers=20 ! "                \
  "sensorresample ! sensor/x-raw,rate=100/1 ! appsink name=sink"

typedef struct
{
  guint64 buffers, samples, with_epoch;
  GstClockTime first_epoch, last_epoch;
  GstClockTime first_pts, last_pts;
  /* epoch - PTS must stay constant: one anchor per pipeline */
  gint64 min_offset, max_offset;
} Stats;

static gchar *
format_epoch (GstClockTime epoch_ns)
{
  g_autoptr (GDateTime) dt =
      g_date_time_new_from_unix_utc ((gint64) (epoch_ns / GST_SECOND));

  return g_strdup_printf ("%s.%03uZ",
      dt ? g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S") : "?",
      (guint) (epoch_ns % GST_SECOND / GST_MSECOND));
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GstSensorInfo) info = NULL;
  GstElement *pipeline, *sink;
  GstSample *sample;
  GstMessage *msg;
  Stats st = { 0, 0, 0, GST_CLOCK_TIME_NONE, GST_CLOCK_TIME_NONE,
    GST_CLOCK_TIME_NONE, GST_CLOCK_TIME_NONE, G_MAXINT64, G_MININT64 };
  int ret = 0;

  gst_init (&argc, &argv);
  pipeline = gst_parse_launch (argc > 1 ? argv[1] : DEFAULT_PIPELINE, &error);
  if (pipeline == NULL) {
    g_printerr ("pipeline: %s\n", error->message);
    return 2;
  }
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  if (sink == NULL || !GST_IS_APP_SINK (sink)) {
    g_printerr ("pipeline: needs an appsink named \"sink\"\n");
    gst_clear_object (&sink);
    gst_object_unref (pipeline);
    return 2;
  }
  gst_element_set_state (pipeline, GST_STATE_PLAYING);

  while ((sample = gst_app_sink_pull_sample (GST_APP_SINK (sink)))) {
    GstBuffer *buf = gst_sample_get_buffer (sample);
    GstClockTime epoch, pts = GST_BUFFER_PTS (buf);

    if (info == NULL) {
      info = gst_sensor_info_new_from_caps (gst_sample_get_caps (sample));
      if (info == NULL) {
        g_printerr ("not sensor/x-raw: %" GST_PTR_FORMAT "\n",
            gst_sample_get_caps (sample));
        gst_sample_unref (sample);
        ret = 1;
        break;
      }
    }
    st.buffers++;
    st.samples += gst_buffer_get_size (buf) / info->bpf;
    if (!GST_CLOCK_TIME_IS_VALID (st.first_pts))
      st.first_pts = pts;
    st.last_pts = pts;
    if (gst_buffer_get_sensor_epoch (buf, &epoch)) {
      gint64 offset = (gint64) epoch - (gint64) pts;

      st.with_epoch++;
      if (!GST_CLOCK_TIME_IS_VALID (st.first_epoch))
        st.first_epoch = epoch;
      st.last_epoch = epoch;
      st.min_offset = MIN (st.min_offset, offset);
      st.max_offset = MAX (st.max_offset, offset);
    }
    gst_sample_unref (sample);
  }

  msg = gst_bus_pop_filtered (GST_ELEMENT_BUS (pipeline), GST_MESSAGE_ERROR);
  if (msg) {
    g_autoptr (GError) err = NULL;

    gst_message_parse_error (msg, &err, NULL);
    g_printerr ("error: %s\n", err->message);
    gst_message_unref (msg);
    ret = 1;
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (pipeline);

  if (info) {
    g_print ("stream: %s %g Hz, %d channel(s), modality %s, unit %s\n",
        gst_sensor_format_to_string (info->format),
        gst_sensor_info_get_rate (info), info->channels,
        GST_STR_NULL (info->modality), GST_STR_NULL (info->unit));
  }
  g_print ("buffers: %" G_GUINT64_FORMAT ", samples: %" G_GUINT64_FORMAT
           ", with epoch meta: %" G_GUINT64_FORMAT "\n",
      st.buffers, st.samples, st.with_epoch);
  if (st.with_epoch > 0) {
    g_autofree gchar *first = format_epoch (st.first_epoch);
    g_autofree gchar *last = format_epoch (st.last_epoch);

    g_print ("epoch: %s .. %s\n", first, last);
    g_print ("pts span: %" G_GUINT64_FORMAT
             " ns, epoch span: %" G_GUINT64_FORMAT " ns\n",
        st.last_pts - st.first_pts, st.last_epoch - st.first_epoch);
    g_print ("epoch - pts: %s (spread %" G_GINT64_FORMAT " ns)\n",
        st.max_offset == st.min_offset ? "constant" : "varies",
        st.max_offset - st.min_offset);
  }
  gst_deinit ();
  return ret;
}
