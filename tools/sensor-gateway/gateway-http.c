/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * sensor-gateway's operations endpoint, on the main loop: it only reads
 * counters, so it never waits on a device's work.
 */
#include "gateway-http.h"

#include <gio/gio.h>
#include <libsoup/soup.h>

struct _GatewayHttp
{
  SoupServer *server;
  GatewayHttpHandlers handlers;
  gpointer user_data;
  guint port;
};

static void
reply (SoupServerMessage *msg, guint status, const gchar *type, GString *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (
      msg, type, SOUP_MEMORY_COPY, body->str, body->len);
}

static void
handler (SoupServer *server, SoupServerMessage *msg, const char *path,
    GHashTable *query, gpointer user_data)
{
  GatewayHttp *http = user_data;
  GString *body = g_string_new (NULL);

  if (soup_server_message_get_method (msg) != SOUP_METHOD_GET &&
      soup_server_message_get_method (msg) != SOUP_METHOD_HEAD) {
    soup_message_headers_append (
        soup_server_message_get_response_headers (msg), "Allow", "GET, HEAD");
    g_string_append (body, "method not allowed\n");
    reply (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "text/plain", body);
  } else if (g_str_equal (path, "/metrics")) {
    http->handlers.metrics (body, http->user_data);
    reply (
        msg, SOUP_STATUS_OK, "text/plain; version=0.0.4; charset=utf-8", body);
  } else if (g_str_equal (path, "/healthz")) {
    g_string_append (body, "ok\n");
    reply (msg, SOUP_STATUS_OK, "text/plain", body);
  } else if (g_str_equal (path, "/readyz")) {
    gboolean ready = http->handlers.ready (body, http->user_data);

    if (ready)
      g_string_assign (body, "ready\n");
    else
      g_string_append_c (body, '\n');
    reply (msg, ready ? SOUP_STATUS_OK : SOUP_STATUS_SERVICE_UNAVAILABLE,
        "text/plain", body);
  } else {
    g_string_append (body, "not found: try /metrics, /healthz, /readyz\n");
    reply (msg, SOUP_STATUS_NOT_FOUND, "text/plain", body);
  }
  g_string_free (body, TRUE);
}

GatewayHttp *
gateway_http_new (const gchar *address, guint port,
    const GatewayHttpHandlers *handlers, gpointer user_data, GError **error)
{
  GatewayHttp *http = g_new0 (GatewayHttp, 1);
  GInetAddress *inet = g_inet_address_new_from_string (address);
  GSocketAddress *sa;
  GError *err = NULL;
  GSList *uris;

  if (inet == NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "metrics-address \"%s\" is not an IP address", address);
    g_free (http);
    return NULL;
  }
  http->handlers = *handlers;
  http->user_data = user_data;
  http->server = soup_server_new ("server-header", "sensor-gateway ", NULL);
  soup_server_add_handler (http->server, NULL, handler, http, NULL);
  sa = g_inet_socket_address_new (inet, port);
  g_object_unref (inet);
  if (!soup_server_listen (http->server, sa, 0, &err)) {
    g_set_error (error, err->domain, err->code,
        "cannot serve metrics on %s port %u: %s", address, port, err->message);
    g_error_free (err);
    g_object_unref (sa);
    gateway_http_free (http);
    return NULL;
  }
  g_object_unref (sa);
  uris = soup_server_get_uris (http->server);
  http->port = uris ? (guint) g_uri_get_port (uris->data) : port;
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return http;
}

guint
gateway_http_get_port (GatewayHttp *http)
{
  return http->port;
}

void
gateway_http_free (GatewayHttp *http)
{
  if (http == NULL)
    return;
  if (http->server) {
    soup_server_disconnect (http->server);
    g_object_unref (http->server);
  }
  g_free (http);
}
