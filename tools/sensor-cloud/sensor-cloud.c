/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * sensor-cloud: a local stand-in for the Raeh, Plexus, HeliOS and RAMEN
 * cloud endpoints, so that the demo and the tests run without the internet.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <glib-unix.h>
#include <stdio.h>

#include "sensor-cloud.h"
#include "sensor-cloud-parts.h"


static const SensorCloudPart *const parts[] = { SENSOR_CLOUD_PARTS };

/* --raeh-port, --plexus-port, --ramen-port: a fixed port per service, so
 * that documented command lines work as pasted. Raeh and Plexus are paths of
 * the shared HTTP server, which then listens on their port as well; RAMEN
 * (gRPC) opens its own. HeliOS has --helios-port in its part. 0: none (Raeh,
 * Plexus) or ephemeral (RAMEN). */
static gint fixed_ports[] = { 0, 0, 0 };
static const gchar *const fixed_port_parts[] = { "raeh", "plexus", "ramen" };

guint
sensor_cloud_get_port (SensorCloud *cloud, const gchar *part)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (fixed_port_parts); i++) {
    if (g_str_equal (part, fixed_port_parts[i]))
      return (guint) fixed_ports[i];
  }
  return 0;
}

static gboolean
part_selected (const gchar *only, const gchar *name)
{
  g_auto (GStrv) names = NULL;

  if (only == NULL)
    return TRUE;
  names = g_strsplit (only, ",", -1);
  return g_strv_contains ((const gchar *const *) names, name);
}

static gboolean
part_built (const gchar *name)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (parts); i++) {
    if (parts[i] && g_str_equal (parts[i]->name, name))
      return TRUE;
  }
  return FALSE;
}

/* Adds a listening port to the shared HTTP server. */
/* The shared HTTP server's listeners: the main port and the fixed ones. */
static GPtrArray *http_listeners;


/* Listens on @port (0: any free one); returns the bound port or 0. */
static guint
listen_http (SensorCloud *cloud, GInetAddress *inet, gint port)
{
  g_autoptr (GSocketAddress) sa = g_inet_socket_address_new (inet, port);
  g_autoptr (GError) error = NULL;
  GstSensorNetHttpListener *listener =
      sensor_cloud_listen (cloud->http, sa, "http", &error);

  if (listener == NULL) {
    g_printerr ("sensor-cloud: cannot listen on %s:%d: %s\n", cloud->address,
        port, error->message);
    return 0;
  }
  g_ptr_array_add (http_listeners, listener);
  return gst_sensor_net_http_listener_get_port (listener);
}

void
sensor_cloud_announce (SensorCloud *cloud, const gchar *part, guint port)
{
  g_print ("{\"part\": \"%s\", \"address\": \"%s\", \"port\": %u}\n", part,
      cloud->address, port);
  fflush (stdout);
}

/* Seconds a keep-alive connection may wait for its next request. */
#define SENSOR_CLOUD_IDLE_TIMEOUT 60

static void
on_listener_state (GstSensorNetHttpListener *listener, gboolean accepting,
    const GError *error, gpointer user_data)
{
  if (!accepting)
    g_printerr ("sensor-cloud: %s: not accepting connections: %s; "
                "retrying\n",
        (const gchar *) user_data, error->message);
  else
    g_printerr ("sensor-cloud: %s: accepting connections again\n",
        (const gchar *) user_data);
}

/**
 * sensor_cloud_listen:
 * @server: the server
 * @address: where
 * @part: the name in warnings
 * @error: where a bind or listen error goes
 *
 * Listens for @server through the shared listener (it survives running out
 * of descriptors, caps connections and closes idle keep-alive ones) rather
 * than soup_server_listen(), whose listener stops for good on the first
 * accept error.
 *
 * Returns: (transfer full) (nullable): the listener, freed with
 *   gst_sensor_net_http_listener_free() before the server
 */
GstSensorNetHttpListener *
sensor_cloud_listen (SoupServer *server, GSocketAddress *address,
    const gchar *part, GError **error)
{
  GstSensorNetHttpListener *listener = gst_sensor_net_http_listener_new (
      server, address, 0, SENSOR_CLOUD_IDLE_TIMEOUT, error);

  if (listener)
    gst_sensor_net_http_listener_set_state_func (
        listener, on_listener_state, (gpointer) part);
  return listener;
}

static gboolean
on_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
write_record (SensorCloud *cloud)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) error = NULL;
  guint i;

  json_builder_begin_object (builder);
  for (i = 0; i < G_N_ELEMENTS (parts); i++) {
    if (parts[i] == NULL || parts[i]->record == NULL)
      continue;
    json_builder_set_member_name (builder, parts[i]->name);
    json_builder_begin_object (builder);
    parts[i]->record (cloud, builder);
    json_builder_end_object (builder);
  }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  if (!json_generator_to_file (gen, cloud->record_path, &error))
    g_printerr ("sensor-cloud: cannot write %s: %s\n", cloud->record_path,
        error->message);
}

int
main (int argc, char **argv)
{
  SensorCloud cloud = {
    0,
  };
  g_autoptr (GOptionContext) ctx = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *address = NULL;
  g_autofree gchar *only = NULL;
  gint port = 0;
  guint i;
  int ret = 0;
  const GOptionEntry entries[] = {
    { "address", 'a', 0, G_OPTION_ARG_STRING, &address,
        "Listen address (default 127.0.0.1)", "ADDR" },
    { "port", 'p', 0, G_OPTION_ARG_INT, &port,
        "HTTP/WebSocket port (default 0 = ephemeral, printed)", "PORT" },
    { "record", 'r', 0, G_OPTION_ARG_FILENAME, &cloud.record_path,
        "On exit, write what was received as JSON to FILE", "FILE" },
    { "only", 0, 0, G_OPTION_ARG_STRING, &only,
        "Comma-separated parts to run (default: all)", "PARTS" },
    { "raeh-port", 0, 0, G_OPTION_ARG_INT, &fixed_ports[0],
        "Also serve HTTP/WebSocket (Raeh's /stream/...) on PORT", "PORT" },
    { "plexus-port", 0, 0, G_OPTION_ARG_INT, &fixed_ports[1],
        "Also serve HTTP/WebSocket (Plexus' /v1/sources/...) on PORT", "PORT" },
    { "ramen-port", 0, 0, G_OPTION_ARG_INT, &fixed_ports[2],
        "RAMEN gRPC port (default 0 = ephemeral, printed)", "PORT" },
    { NULL }
  };

  ctx = g_option_context_new ("- local stand-in for the sensor clouds");
  g_option_context_add_main_entries (ctx, entries, NULL);
  for (i = 0; i < G_N_ELEMENTS (parts); i++) {
    GOptionGroup *group;

    if (parts[i] == NULL || parts[i]->entries == NULL)
      continue;
    group = g_option_group_new (parts[i]->name, parts[i]->description,
        parts[i]->description, NULL, NULL);
    g_option_group_add_entries (group, parts[i]->entries);
    g_option_context_add_group (ctx, group);
  }
  if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
    g_printerr ("sensor-cloud: %s\n", error->message);
    return 2;
  }

  cloud.address = address ? address : "127.0.0.1";
  cloud.context = g_main_context_default ();
  cloud.loop = g_main_loop_new (cloud.context, FALSE);
  /* Before the first port is announced: whoever read it may stop us at once
   * and expects the record to be written. */
  g_unix_signal_add (SIGINT, on_signal, cloud.loop);
  g_unix_signal_add (SIGTERM, on_signal, cloud.loop);
  for (i = 0; i < G_N_ELEMENTS (fixed_ports); i++) {
    if (fixed_ports[i] < 0 || fixed_ports[i] > G_MAXUINT16) {
      g_printerr ("sensor-cloud: --%s-port: %d is not a port\n",
          fixed_port_parts[i], fixed_ports[i]);
      return 2;
    }
  }
  cloud.http = soup_server_new ("server-header", "sensor-cloud", NULL);
  {
    g_autoptr (GInetAddress) inet =
        g_inet_address_new_from_string (cloud.address);

    if (inet == NULL) {
      g_printerr ("sensor-cloud: not an IP address: %s\n", cloud.address);
      return 2;
    }
    guint bound;

    http_listeners = g_ptr_array_new_with_free_func (
        (GDestroyNotify) gst_sensor_net_http_listener_free);
    bound = listen_http (&cloud, inet, port);
    if (bound == 0)
      return 1;
    sensor_cloud_announce (&cloud, "http", bound);

    /* Raeh and Plexus on their fixed ports of the shared server */
    for (i = 0; i < 2; i++) {
      if (fixed_ports[i] == 0 || fixed_ports[i] == port ||
          !part_built (fixed_port_parts[i]) ||
          !part_selected (only, fixed_port_parts[i]))
        continue;
      if (!listen_http (&cloud, inet, fixed_ports[i]))
        return 1;
      sensor_cloud_announce (&cloud, fixed_port_parts[i], fixed_ports[i]);
    }
  }

  for (i = 0; i < G_N_ELEMENTS (parts); i++) {
    if (parts[i] == NULL || !part_selected (only, parts[i]->name))
      continue;
    if (parts[i]->start && !parts[i]->start (&cloud, &error)) {
      g_printerr ("sensor-cloud: %s: %s\n", parts[i]->name, error->message);
      ret = 1;
      goto done;
    }
  }

  g_main_loop_run (cloud.loop);

  if (cloud.record_path)
    write_record (&cloud);

done:
  for (i = 0; i < G_N_ELEMENTS (parts); i++) {
    if (parts[i] && parts[i]->stop)
      parts[i]->stop (&cloud);
  }
  g_clear_pointer (&http_listeners, g_ptr_array_unref);
  g_object_unref (cloud.http);
  g_main_loop_unref (cloud.loop);
  g_free (cloud.record_path);
  return ret;
}
