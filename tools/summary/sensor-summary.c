/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * sensor-summary: runs a gst-launch style pipeline for a while and prints,
 * for every sink, what reached it: buffers, samples, first and last PTS and
 * epoch time of the first sample. The demo uses it to show that sources,
 * resampling and timestamps line up.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <glib-unix.h>
#include <gst/gst.h>
#include <gst/sensor/sensor.h>

typedef struct
{
  gchar *name;
  GstSensorInfo info;
  gboolean is_sensor;
  gchar *caps;
  guint64 buffers, samples, bytes;
  GstClockTime first_pts, last_pts;
  GstClockTime first_epoch, last_epoch;
} SinkStats;

static GMainLoop *loop;
static gint exit_code;

static GstPadProbeReturn
on_data (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  SinkStats *st = user_data;

  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM) {
    GstEvent *ev = GST_PAD_PROBE_INFO_EVENT (info);

    if (GST_EVENT_TYPE (ev) == GST_EVENT_CAPS) {
      GstCaps *caps;

      gst_event_parse_caps (ev, &caps);
      g_free (st->caps);
      st->caps = gst_caps_to_string (caps);
      st->is_sensor = gst_sensor_info_from_caps (&st->info, caps);
    }
  } else if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_BUFFER) {
    GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
    GstClockTime epoch;

    st->buffers++;
    st->bytes += gst_buffer_get_size (buf);
    if (st->is_sensor && st->info.bpf > 0)
      st->samples += gst_buffer_get_size (buf) / st->info.bpf;
    if (GST_BUFFER_PTS_IS_VALID (buf)) {
      if (!GST_CLOCK_TIME_IS_VALID (st->first_pts))
        st->first_pts = GST_BUFFER_PTS (buf);
      st->last_pts = GST_BUFFER_PTS (buf);
    }
    if (gst_buffer_get_sensor_epoch (buf, &epoch)) {
      if (!GST_CLOCK_TIME_IS_VALID (st->first_epoch))
        st->first_epoch = epoch;
      st->last_epoch = epoch;
    }
  }
  return GST_PAD_PROBE_OK;
}

static gchar *
format_epoch (GstClockTime epoch)
{
  GDateTime *dt;
  gchar *s, *out;

  if (!GST_CLOCK_TIME_IS_VALID (epoch))
    return g_strdup ("-");
  dt = g_date_time_new_from_unix_utc (epoch / GST_SECOND);
  s = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  out = g_strdup_printf (
      "%s.%03uZ", s, (guint) ((epoch % GST_SECOND) / GST_MSECOND));
  g_free (s);
  g_date_time_unref (dt);
  return out;
}

static gboolean
on_bus (GstBus *bus, GstMessage *msg, gpointer user_data)
{
  switch (GST_MESSAGE_TYPE (msg)) {
    case GST_MESSAGE_EOS:
      g_main_loop_quit (loop);
      break;
    case GST_MESSAGE_ERROR: {
      GError *err = NULL;
      gchar *dbg = NULL;

      gst_message_parse_error (msg, &err, &dbg);
      g_printerr ("ERROR from %s: %s\n%s\n", GST_OBJECT_NAME (msg->src),
          err->message, dbg ? dbg : "");
      g_clear_error (&err);
      g_free (dbg);
      exit_code = 1;
      g_main_loop_quit (loop);
      break;
    }
    case GST_MESSAGE_WARNING: {
      GError *err = NULL;

      gst_message_parse_warning (msg, &err, NULL);
      g_printerr (
          "WARNING from %s: %s\n", GST_OBJECT_NAME (msg->src), err->message);
      g_clear_error (&err);
      break;
    }
    default:
      break;
  }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_timeout (gpointer pipeline)
{
  /* stop cleanly: EOS through every source, so sinks flush what they hold */
  gst_element_send_event (pipeline, gst_event_new_eos ());
  return G_SOURCE_REMOVE;
}

static gboolean
on_signal (gpointer pipeline)
{
  return on_timeout (pipeline);
}

int
main (int argc, char **argv)
{
  gdouble duration = 0;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "duration", 'd', 0, G_OPTION_ARG_DOUBLE, &duration,
        "Send EOS after this many seconds (default: run to EOS)", "S" },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, "Print JSON lines", NULL },
    { NULL }
  };
  GOptionContext *ctx;
  GError *err = NULL;
  GstElement *pipeline;
  GstIterator *it;
  GValue item = G_VALUE_INIT;
  GPtrArray *stats = g_ptr_array_new ();
  gchar *desc;
  GstBus *bus;
  guint i;

  ctx = g_option_context_new ("PIPELINE-DESCRIPTION");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &err) || argc < 2) {
    g_printerr ("usage: sensor-summary [--duration S] PIPELINE\n%s\n",
        err ? err->message : "");
    return 2;
  }
  g_option_context_free (ctx);

  desc = g_strjoinv (" ", argv + 1);
  pipeline = gst_parse_launch (desc, &err);
  g_free (desc);
  if (pipeline == NULL) {
    g_printerr ("cannot build the pipeline: %s\n", err->message);
    return 2;
  }

  /* every element without src pads is a sink worth summarising */
  it = gst_bin_iterate_recurse (GST_BIN (pipeline));
  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    GstElement *e = g_value_get_object (&item);
    GList *l;

    if (e->numsrcpads == 0 && e->numsinkpads > 0) {
      for (l = e->sinkpads; l; l = l->next) {
        SinkStats *st = g_new0 (SinkStats, 1);

        st->name = g_strdup_printf ("%s%s%s", GST_OBJECT_NAME (e),
            e->numsinkpads > 1 ? "." : "",
            e->numsinkpads > 1 ? GST_OBJECT_NAME (l->data) : "");
        gst_sensor_info_init (&st->info);
        st->first_pts = st->last_pts = GST_CLOCK_TIME_NONE;
        st->first_epoch = st->last_epoch = GST_CLOCK_TIME_NONE;
        gst_pad_add_probe (l->data,
            GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
            on_data, st, NULL);
        g_ptr_array_add (stats, st);
      }
    }
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);

  loop = g_main_loop_new (NULL, FALSE);
  bus = gst_element_get_bus (pipeline);
  gst_bus_add_watch (bus, on_bus, NULL);
  gst_object_unref (bus);
  if (duration > 0)
    g_timeout_add ((guint) (duration * 1000), on_timeout, pipeline);
  g_unix_signal_add (SIGINT, on_signal, pipeline);

  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE) {
    g_printerr ("the pipeline does not start\n");
    exit_code = 1;
  } else {
    g_main_loop_run (loop);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);

  for (i = 0; i < stats->len; i++) {
    SinkStats *st = g_ptr_array_index (stats, i);
    gchar *first = format_epoch (st->first_epoch);
    gchar *last = format_epoch (st->last_epoch);

    if (json) {
      g_print ("{\"sink\": \"%s\", \"buffers\": %" G_GUINT64_FORMAT
               ", \"samples\": %" G_GUINT64_FORMAT
               ", \"bytes\": %" G_GUINT64_FORMAT
               ", \"first_epoch\": \"%s\", \"last_epoch\": "
               "\"%s\"}\n",
          st->name, st->buffers, st->samples, st->bytes, first, last);
    } else {
      g_print ("%-12s %s\n", st->name, st->caps ? st->caps : "(no caps)");
      g_print ("%-12s buffers %" G_GUINT64_FORMAT ", samples %" G_GUINT64_FORMAT
               ", bytes %" G_GUINT64_FORMAT "\n",
          "", st->buffers, st->samples, st->bytes);
      g_print ("%-12s pts %" GST_TIME_FORMAT " .. %" GST_TIME_FORMAT
               ", epoch of first sample %s .. %s\n",
          "", GST_TIME_ARGS (st->first_pts), GST_TIME_ARGS (st->last_pts),
          first, last);
    }
    g_free (first);
    g_free (last);
    g_free (st->name);
    g_free (st->caps);
    gst_sensor_info_clear (&st->info);
    g_free (st);
  }
  g_ptr_array_free (stats, TRUE);
  gst_object_unref (pipeline);
  g_main_loop_unref (loop);
  return exit_code;
}
