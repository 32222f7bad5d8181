/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * sensor-gateway: runs the routes (a device source and a branch per device)
 * and supervised pipelines of a configuration file, serves /metrics,
 * /healthz and /readyz, drains on SIGTERM and reopens its log on SIGHUP.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <glib-unix.h>
#include <gst/gst.h>
#include <stdio.h>
#include <unistd.h>

#include "gateway-config.h"
#include "gateway-http.h"
#include "gateway-router.h"
#include "gateway-stats.h"
#include "gateway-supervisor.h"

typedef struct
{
  GMainLoop *loop;
  GatewayConfig *config;
  GPtrArray *routers;     /* GatewayRouter* */
  GPtrArray *supervisors; /* GatewaySupervisor* */
  GatewayHttp *http;
  gboolean draining;
  guint pending_drains;
  FILE *log;
  GMutex log_lock;
} Gateway;

static Gateway gw;

static GLogWriterOutput
write_log (GLogLevelFlags level, const GLogField *fields, gsize n_fields,
    gpointer user_data)
{
  const gchar *domain = NULL;
  gchar *line;
  gsize i;

  if (gw.log == NULL)
    return g_log_writer_default (level, fields, n_fields, user_data);
  for (i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
      domain = fields[i].value;
  /* debug output only as G_MESSAGES_DEBUG asks, as the default writer */
  if (g_log_writer_default_would_drop (level, domain))
    return G_LOG_WRITER_HANDLED;
  line = g_log_writer_format_fields (level, fields, n_fields, FALSE);
  g_mutex_lock (&gw.log_lock);
  fprintf (gw.log, "%s\n", line);
  fflush (gw.log);
  g_mutex_unlock (&gw.log_lock);
  g_free (line);
  return G_LOG_WRITER_HANDLED;
}

static gboolean
open_log (void)
{
  FILE *f;

  if (gw.config->log_file == NULL)
    return TRUE;
  f = fopen (gw.config->log_file, "a");
  if (f == NULL) {
    g_printerr (
        "sensor-gateway: cannot open log-file %s\n", gw.config->log_file);
    return FALSE;
  }
  g_mutex_lock (&gw.log_lock);
  if (gw.log)
    fclose (gw.log);
  gw.log = f;
  g_mutex_unlock (&gw.log_lock);
  return TRUE;
}

static void
collect_metrics (GString *out, gpointer user_data)
{
  GatewayStats *stats = gateway_stats_new ();
  GString *labels = g_string_new (NULL);
  guint i;

  gateway_stats_add (stats, "sensor_gateway_up", "", 1);
  gateway_stats_add (stats, "sensor_gateway_draining", "", gw.draining);
  for (i = 0; i < gw.routers->len; i++)
    gateway_router_collect (gw.routers->pdata[i], stats);
  for (i = 0; i < gw.supervisors->len; i++) {
    GatewaySupervisor *sup = gw.supervisors->pdata[i];
    GstElement *pipeline = gateway_supervisor_ref_pipeline (sup);

    g_string_truncate (labels, 0);
    gateway_stats_append_label (
        labels, "pipeline", gateway_supervisor_get_name (sup));
    gateway_stats_add (stats, "sensor_gateway_pipeline_up", labels->str,
        gateway_supervisor_is_running (sup));
    gateway_stats_add (stats, "sensor_gateway_pipeline_restarts_total",
        labels->str, gateway_supervisor_get_restarts (sup));
    if (pipeline != NULL) {
      gateway_stats_add_bin (stats, GST_BIN (pipeline), "pipeline",
          gateway_supervisor_get_name (sup), FALSE);
      gst_object_unref (pipeline);
    }
  }
  gateway_stats_write (stats, out);
  gateway_stats_free (stats);
  g_string_free (labels, TRUE);
}

static gboolean
is_ready (GString *why, gpointer user_data)
{
  guint i;

  if (gw.draining) {
    g_string_append (why, "draining");
    return FALSE;
  }
  for (i = 0; i < gw.routers->len; i++)
    if (!gateway_router_is_running (gw.routers->pdata[i])) {
      g_string_append_printf (why, "route %s is not running",
          gateway_router_get_name (gw.routers->pdata[i]));
      return FALSE;
    }
  for (i = 0; i < gw.supervisors->len; i++)
    if (!gateway_supervisor_is_running (gw.supervisors->pdata[i])) {
      g_string_append_printf (why, "pipeline %s is not running",
          gateway_supervisor_get_name (gw.supervisors->pdata[i]));
      return FALSE;
    }
  return TRUE;
}

static void
one_drained (gpointer object, gpointer user_data)
{
  if (--gw.pending_drains == 0) {
    g_message ("drained: exiting");
    g_main_loop_quit (gw.loop);
  }
}

static gboolean
on_term (gpointer user_data)
{
  GstClockTime timeout = gw.config->drain_timeout_s * GST_SECOND;
  guint i;

  if (gw.draining)
    return G_SOURCE_CONTINUE;
  g_message ("%s: draining (at most %u s)", (const gchar *) user_data,
      gw.config->drain_timeout_s);
  gw.draining = TRUE;
  gw.pending_drains = gw.routers->len + gw.supervisors->len + 1;
  for (i = 0; i < gw.routers->len; i++)
    gateway_router_drain (
        gw.routers->pdata[i], timeout, G_CALLBACK (one_drained), NULL);
  for (i = 0; i < gw.supervisors->len; i++)
    gateway_supervisor_drain (
        gw.supervisors->pdata[i], timeout, G_CALLBACK (one_drained), NULL);
  one_drained (NULL, NULL);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_hup (gpointer user_data)
{
  if (open_log ())
    g_message ("SIGHUP: log reopened");
  return G_SOURCE_CONTINUE;
}

/* One JSON line per port, as sensor-cloud does, for scripts and tests. */
static void
announce (const gchar *part, const gchar *name, guint port)
{
  g_print (
      "{\"part\": \"%s\", \"name\": \"%s\", \"port\": %u}\n", part, name, port);
  fflush (stdout);
}

int
main (int argc, char **argv)
{
  gchar *config_path = NULL;
  gboolean check_only = FALSE;
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
        "Configuration file (routes, pipelines, [gateway])", "FILE" },
    { "check", 0, 0, G_OPTION_ARG_NONE, &check_only,
        "Check the configuration and exit", NULL },
    { NULL }
  };
  GOptionContext *ctx = g_option_context_new ("- sensor gateway");
  GatewayHttpHandlers handlers = { collect_metrics, is_ready };
  GError *err = NULL;
  guint i;

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    g_printerr ("sensor-gateway: %s\n", err->message);
    return 2;
  }
  g_option_context_free (ctx);
  if (config_path == NULL) {
    g_printerr ("sensor-gateway: --config FILE is required\n");
    return 2;
  }
  gst_init (NULL, NULL);

  gw.config = gateway_config_load (config_path, NULL, &err);
  if (gw.config == NULL) {
    g_printerr ("sensor-gateway: %s\n", err->message);
    return 2;
  }
  if (check_only) {
    g_print ("%s: %u route(s), %u pipeline(s)\n", config_path,
        gw.config->routes->len, gw.config->pipelines->len);
    gateway_config_free (gw.config);
    return 0;
  }
  g_mutex_init (&gw.log_lock);
  if (!open_log ())
    return 1;
  g_log_set_writer_func (write_log, NULL, NULL);

  gw.loop = g_main_loop_new (NULL, FALSE);
  gw.routers =
      g_ptr_array_new_with_free_func ((GDestroyNotify) gateway_router_free);
  gw.supervisors =
      g_ptr_array_new_with_free_func ((GDestroyNotify) gateway_supervisor_free);

  if (gw.config->metrics_port >= 0) {
    gw.http = gateway_http_new (gw.config->metrics_address,
        (guint) gw.config->metrics_port, &handlers, NULL, &err);
    if (gw.http == NULL) {
      g_printerr ("sensor-gateway: %s\n", err->message);
      return 1;
    }
    announce ("metrics", "metrics", gateway_http_get_port (gw.http));
  }
  for (i = 0; i < gw.config->routes->len; i++) {
    const GatewayRoute *r = gw.config->routes->pdata[i];
    GatewayRouter *router = gateway_router_new (r);

    g_ptr_array_add (gw.routers, router);
    if (!gateway_router_start (router, &err)) {
      g_printerr ("sensor-gateway: %s\n", err->message);
      g_ptr_array_unref (gw.routers);
      return 1;
    }
    announce ("route", r->name, gateway_router_get_port (router));
  }
  for (i = 0; i < gw.config->pipelines->len; i++) {
    GatewaySupervisor *sup =
        gateway_supervisor_new (gw.config->pipelines->pdata[i]);

    g_ptr_array_add (gw.supervisors, sup);
    gateway_supervisor_start (sup);
  }

  g_unix_signal_add_full (
      G_PRIORITY_HIGH, SIGTERM, on_term, (gpointer) "SIGTERM", NULL);
  g_unix_signal_add_full (
      G_PRIORITY_HIGH, SIGINT, on_term, (gpointer) "SIGINT", NULL);
  g_unix_signal_add (SIGHUP, on_hup, NULL);
  g_message ("running %u route(s) and %u pipeline(s)", gw.routers->len,
      gw.supervisors->len);
  g_main_loop_run (gw.loop);

  g_ptr_array_unref (gw.routers);
  for (i = 0; i < gw.supervisors->len; i++)
    if (gateway_supervisor_is_stuck (gw.supervisors->pdata[i])) {
      /* stopping it would block: what could be drained was */
      g_printerr ("sensor-gateway: pipeline %s did not drain (a streaming "
                  "thread is blocked); exiting without stopping it\n",
          gateway_supervisor_get_name (gw.supervisors->pdata[i]));
      _exit (1);
    }
  g_ptr_array_unref (gw.supervisors);
  gateway_http_free (gw.http);
  g_main_loop_unref (gw.loop);
  gateway_config_free (gw.config);
  g_free (config_path);
  if (gw.log)
    fclose (gw.log);
  return 0;
}
