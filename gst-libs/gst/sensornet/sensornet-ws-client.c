/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:sensornet-ws-client
 * @title: GstSensorNetWsClient
 * @short_description: the reconnecting WebSocket client of every network
 *   element
 *
 * One process-wide "sensor-net" thread runs a #GMainLoop on its own
 * #GMainContext (pushed as thread-default there), shared by every client:
 * every libsoup object is created, used and released on that thread only,
 * and public functions called from other threads hand work over with
 * sources attached to that context.
 *
 * Each client makes its own TCP/TLS connection and HTTP upgrade (see "The
 * upgrade, by hand") and runs a #SoupWebsocketConnection over the
 * whole-message limit of sensornet-ws-limit-stream.c. It reconnects with
 * the backoff of its #GstSensorNetWsConfig and asks its owner, through
 * #GstSensorNetWsCallbacks, whether a closed connection is worth another.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <gio/gnetworking.h>
#include <gst/sensor/sensor-secret.h>

#include "sensornet-backoff.h"
#include "sensornet-paced-poll.h"
#include "sensornet-ws-client.h"
#include "sensornet-ws-limit-stream.h"

GST_DEBUG_CATEGORY_STATIC (sensor_ws_debug);
#define GST_CAT_DEFAULT sensor_ws_debug

/* How long stop() waits for the close handshake before dropping the socket,
 * and how long it waits in total for the network thread. */
#define DROP_TIMEOUT_MS 1000
#define STOP_WAIT_US (1200 * G_TIME_SPAN_MILLISECOND)

static void
ensure_debug_category (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    GST_DEBUG_CATEGORY_INIT (
        sensor_ws_debug, "sensorws", 0, "sensor WebSocket client");
    g_once_init_leave (&done, 1);
  }
}

/* ---------------------------------------------------------------------- */
/* The shared network thread                                               */
/* ---------------------------------------------------------------------- */

/* The network thread's state. This library is static, so every plugin that
 * links it has its own copy of the code and of its statics; the state itself
 * is process-wide, hung on the default GstRegistry (alive as long as
 * GStreamer is) and installed atomically by whichever copy comes first. */
typedef struct
{
  gsize size; /* sizeof (NetShared) of the creating copy */
  GMutex lock;
  guint refcount;
  GMainContext *context;
  GMainLoop *loop;
  GThread *thread;
  /* calls to run on the network thread in one batch, and the one source
   * that will run them: see gst_sensor_net_context_invoke_batched() */
  GMutex flush_lock;
  GArray *batched; /* of BatchedCall */
  GSource *flush_source;
  gint64 last_flush_us;
  gint n_clients; /* alive, atomic */
  /* libsoup objects not finalized yet; the exiting thread drains for them */
  gint live_objects;
} NetShared;

#define NET_SHARED_KEY "gst-sensor-net-shared-v1"

static NetShared *
net_shared (void)
{
  static NetShared *shared;
  static gsize once = 0;

  if (g_once_init_enter (&once)) {
    GObject *anchor = G_OBJECT (gst_registry_get ());
    NetShared *mine = g_new0 (NetShared, 1);

    mine->size = sizeof (NetShared);
    g_mutex_init (&mine->lock);
    g_mutex_init (&mine->flush_lock);
    if (g_object_replace_data (
            anchor, NET_SHARED_KEY, NULL, mine, NULL, NULL)) {
      shared = mine;
    } else {
      g_mutex_clear (&mine->lock);
      g_mutex_clear (&mine->flush_lock);
      g_free (mine);
      shared = g_object_get_data (anchor, NET_SHARED_KEY);
      if (shared->size != sizeof (NetShared)) {
        /* another build of this library: keep to ourselves */
        GST_WARNING ("incompatible network thread state, using a private one");
        shared = g_new0 (NetShared, 1);
        shared->size = sizeof (NetShared);
        g_mutex_init (&shared->lock);
        g_mutex_init (&shared->flush_lock);
      }
    }
    g_once_init_leave (&once, 1);
  }
  return shared;
}

static void
live_object_gone (gpointer data, GObject *where_the_object_was)
{
  NetShared *shared = data;

  g_atomic_int_dec_and_test (&shared->live_objects);
}

static void
track_live_object (gpointer object)
{
  NetShared *shared = net_shared ();

  g_atomic_int_inc (&shared->live_objects);
  g_object_weak_ref (G_OBJECT (object), live_object_gone, shared);
}

static gboolean
wake_up (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gpointer
net_thread_func (gpointer data)
{
  GMainLoop *loop = data;
  GMainContext *context = g_main_loop_get_context (loop);
  NetShared *shared = net_shared ();
  gint64 deadline;
  GSource *tick;

  g_main_context_push_thread_default (context);
  GST_DEBUG ("network thread running");
  g_main_loop_run (loop);

  /* Let closing sockets and cancelled operations finish so nothing is left
   * half-released when the context goes away; bounded. */
  tick = g_timeout_source_new (20);
  g_source_set_callback (tick, wake_up, NULL, NULL);
  g_source_attach (tick, context);
  deadline = g_get_monotonic_time () + 500 * G_TIME_SPAN_MILLISECOND;
  while (g_main_context_pending (context) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (context, FALSE);
  while (g_atomic_int_get (&shared->live_objects) > 0 &&
      g_get_monotonic_time () < deadline)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (tick);
  g_source_unref (tick);

  GST_DEBUG ("network thread exiting");
  g_main_context_pop_thread_default (context);
  g_main_loop_unref (loop);
  return NULL;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/**
 * gst_sensor_net_context_ref:
 *
 * Takes a reference to the shared network thread's context, starting the
 * thread (bulk-paced, see gst_sensor_net_context_set_paced_bulk()) on the
 * first one.
 * For timers and sources that must run beside the clients' callbacks.
 *
 * Returns: (transfer full): the network thread's context; give it back
 *   with gst_sensor_net_context_unref()
 */
GMainContext *
gst_sensor_net_context_ref (void)
{
  NetShared *shared;
  GMainContext *context;

  ensure_debug_category ();
  shared = net_shared ();
  g_mutex_lock (&shared->lock);
  if (shared->refcount++ == 0) {
    shared->context = g_main_context_new ();
    gst_sensor_net_context_set_paced_bulk (shared->context);
    shared->loop = g_main_loop_new (shared->context, FALSE);
    shared->thread = g_thread_new (
        "sensor-net", net_thread_func, g_main_loop_ref (shared->loop));
  }
  context = g_main_context_ref (shared->context);
  g_mutex_unlock (&shared->lock);

  return context;
}

/**
 * gst_sensor_net_context_unref:
 * @context: (transfer full): a context from gst_sensor_net_context_ref()
 *
 * Gives the reference back. The last one stops the network thread and
 * joins it (unless called on that thread, which then ends on its own once
 * the callback returns).
 */
void
gst_sensor_net_context_unref (GMainContext *context)
{
  NetShared *shared;
  GMainLoop *loop = NULL;
  GMainContext *last = NULL;
  GThread *thread = NULL;

  g_return_if_fail (context != NULL);

  shared = net_shared ();
  g_mutex_lock (&shared->lock);
  if (context == shared->context && shared->refcount > 0 &&
      --shared->refcount == 0) {
    loop = shared->loop;
    last = shared->context;
    thread = shared->thread;
    shared->loop = NULL;
    shared->context = NULL;
    shared->thread = NULL;
  }
  g_mutex_unlock (&shared->lock);

  if (loop) {
    GSource *source = g_idle_source_new ();

    /* Quit from inside the loop: a quit before g_main_loop_run() starts
     * would be lost. */
    g_source_set_callback (source, quit_loop, g_main_loop_ref (loop),
        (GDestroyNotify) g_main_loop_unref);
    g_source_attach (source, last);
    g_source_unref (source);
    /* The last reference dropped from a callback cannot join its own thread:
     * it exits on its own once the callback returns. */
    if (thread == g_thread_self ())
      g_thread_unref (thread);
    else
      g_thread_join (thread);
    g_main_loop_unref (loop);
    g_main_context_unref (last);
  }
  g_main_context_unref (context);
}

/* ---------------------------------------------------------------------- */
/* Configuration                                                           */
/* ---------------------------------------------------------------------- */

/**
 * gst_sensor_net_ws_config_init:
 * @config: (out caller-allocates): the settings to fill
 *
 * Sets every field of @config to its default (see #GstSensorNetWsConfig),
 * the strings to NULL. Anything @config held before is not freed.
 */
void
gst_sensor_net_ws_config_init (GstSensorNetWsConfig *config)
{
  g_return_if_fail (config != NULL);

  memset (config, 0, sizeof (*config));
  config->auth = GST_SENSOR_NET_WS_AUTH_NONE;
  config->timeout_s = 10;
  config->retries = -1;
  config->backoff_initial_s = 1.0;
  config->backoff_factor = 2.0;
  config->backoff_max_s = 30.0;
  config->backoff_jitter = 0.1;
  config->backoff_stable_s = 5.0;
  config->tls_strict = TRUE;
}

/**
 * gst_sensor_net_ws_config_clear:
 * @config: settings
 *
 * Frees the strings of @config and sets them to NULL; the secret is wiped
 * first. The other fields are left as they are.
 */
void
gst_sensor_net_ws_config_clear (GstSensorNetWsConfig *config)
{
  g_return_if_fail (config != NULL);

  g_clear_pointer (&config->uri, g_free);
  g_clear_pointer (&config->auth_query_name, g_free);
  /* Do not leave the key in freed heap memory. */
  gst_sensor_secret_clear (&config->secret);
  g_clear_pointer (&config->extra_headers, g_strfreev);
  g_clear_pointer (&config->protocols, g_strfreev);
  g_clear_pointer (&config->ca_file, g_free);
}

/**
 * gst_sensor_net_ws_config_copy_into:
 * @dest: settings to replace; its strings are freed first
 * @src: the settings to copy, strings included
 *
 * Makes @dest a deep copy of @src (nothing happens when they are the
 * same).
 */
void
gst_sensor_net_ws_config_copy_into (
    GstSensorNetWsConfig *dest, const GstSensorNetWsConfig *src)
{
  g_return_if_fail (dest != NULL);
  g_return_if_fail (src != NULL);

  if (dest == src)
    return;
  gst_sensor_net_ws_config_clear (dest);
  *dest = *src;
  dest->uri = g_strdup (src->uri);
  dest->auth_query_name = g_strdup (src->auth_query_name);
  dest->secret = g_strdup (src->secret);
  dest->extra_headers = g_strdupv (src->extra_headers);
  dest->protocols = g_strdupv (src->protocols);
  dest->ca_file = g_strdup (src->ca_file);
}

/* ---------------------------------------------------------------------- */
/* Client                                                                  */
/* ---------------------------------------------------------------------- */

typedef struct
{
  SoupWebsocketDataType type;
  GBytes *payload;
} OutMessage;

struct _GstSensorNetWsClient
{
  gint refcount;
  guint id;
  GstSensorNetWsConfig config;
  GstSensorNetWsCallbacks callbacks;
  gpointer user_data;
  GDestroyNotify notify;
  GMainContext *context;
  gchar *log_uri; /* config->uri without any secret */

  GMutex lock;
  GCond cond;
  /* protected by lock */
  gboolean connected;
  gboolean stopping;
  gboolean dropped; /* after stop: the socket is released */
  guint in_callback;
  GQueue outq; /* OutMessage, send order */
  gsize pending_bytes;
  gboolean flush_scheduled;
  gchar *protocol;   /* negotiated subprotocol of the last open */
  guint64 oversized; /* messages over max_message_size */

  /* network thread only */
  gboolean active; /* started, not given up, not stopped */
  GTlsDatabase *ca_db;
  GCancellable *cancellable; /* of the connect attempt in progress */
  gboolean timed_out;
  GSource *timeout_source;
  GSource *retry_source;
  GSource *pong_source;
  GSource *stable_source;
  GSource *writable_source; /* waiting for the socket to drain */
  gsize unchecked_bytes; /* handed to libsoup since the socket was writable */
  GSocket *socket;       /* the TCP socket under conn, for corking */
  SoupWebsocketConnection *conn;
  GError *conn_error;
  gint64 last_pong_us;
  GstSensorNetBackoff backoff;
};

static void connect_attempt (GstSensorNetWsClient *client);

static GstSensorNetWsClient *
client_ref (GstSensorNetWsClient *client)
{
  g_atomic_int_inc (&client->refcount);
  return client;
}

static void
out_message_free (gpointer data)
{
  OutMessage *m = data;

  g_bytes_unref (m->payload);
  g_free (m);
}

static void
client_unref (gpointer data)
{
  GstSensorNetWsClient *client = data;

  if (!g_atomic_int_dec_and_test (&client->refcount))
    return;

  /* Normally released by teardown() on the network thread already; only a
   * network thread that exited before running it leaves them here. */
  g_clear_object (&client->socket);
  g_clear_object (&client->conn);
  g_clear_object (&client->ca_db);
  g_queue_clear_full (&client->outq, out_message_free);
  g_clear_error (&client->conn_error);
  gst_sensor_net_backoff_clear (&client->backoff);
  gst_sensor_net_ws_config_clear (&client->config);
  g_free (client->log_uri);
  g_free (client->protocol);
  g_mutex_clear (&client->lock);
  g_cond_clear (&client->cond);
  g_free (client);
  g_atomic_int_add (&net_shared ()->n_clients, -1);
}

static const gchar *
auth_query_name (GstSensorNetWsClient *client)
{
  return client->config.auth_query_name && *client->config.auth_query_name ?
      client->config.auth_query_name :
      "api_key";
}

static gsize
max_message_size (GstSensorNetWsClient *client)
{
  return client->config.max_message_size ?
      client->config.max_message_size :
      GST_SENSOR_NET_WS_DEFAULT_MAX_MESSAGE_SIZE;
}

/* Drops every query parameter named @name from an encoded query. */
static gchar *
query_without (const gchar *query, const gchar *name)
{
  gchar **params, **p;
  GString *out = g_string_new (NULL);
  gsize name_len = strlen (name);

  params = g_strsplit (query, "&", -1);
  for (p = params; *p; p++) {
    if (**p == '\0')
      continue;
    if (strncmp (*p, name, name_len) == 0 &&
        ((*p)[name_len] == '=' || (*p)[name_len] == '\0'))
      continue;
    if (out->len)
      g_string_append_c (out, '&');
    g_string_append (out, *p);
  }
  g_strfreev (params);
  return g_string_free (out, out->len == 0);
}

/* The URI as it may appear in logs: no password, no auth parameter. */
static gchar *
make_log_uri (const GstSensorNetWsConfig *config, const gchar *query_name)
{
  GUri *uri, *stripped;
  gchar *query = NULL, *s;

  if (!config->uri)
    return g_strdup ("(no uri)");
  uri = g_uri_parse (config->uri, SOUP_HTTP_URI_FLAGS, NULL);
  if (!uri)
    return g_strdup ("(invalid uri)");
  if (g_uri_get_query (uri))
    query = query_without (g_uri_get_query (uri), query_name);
  stripped = g_uri_build (g_uri_get_flags (uri), g_uri_get_scheme (uri), NULL,
      g_uri_get_host (uri), g_uri_get_port (uri), g_uri_get_path (uri), query,
      NULL);
  s = g_uri_to_string (stripped);
  g_uri_unref (stripped);
  g_uri_unref (uri);
  g_free (query);
  return s;
}

/* The URI actually connected to, with the secret in the query when asked. */
static GUri *
make_connect_uri (GstSensorNetWsClient *client, GError **error)
{
  GUri *uri, *with_key;
  const gchar *query;
  gchar *name, *value, *new_query;

  if (!client->config.uri) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "No URI set");
    return NULL;
  }
  uri = g_uri_parse (client->config.uri, SOUP_HTTP_URI_FLAGS, NULL);
  if (!uri || !g_uri_get_host (uri) || !*g_uri_get_host (uri) ||
      (g_strcmp0 (g_uri_get_scheme (uri), "ws") != 0 &&
          g_strcmp0 (g_uri_get_scheme (uri), "wss") != 0 &&
          g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
          g_strcmp0 (g_uri_get_scheme (uri), "https") != 0)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "Invalid WebSocket URI %s", client->log_uri);
    g_clear_pointer (&uri, g_uri_unref);
    return NULL;
  }
  if (client->config.auth != GST_SENSOR_NET_WS_AUTH_QUERY ||
      !client->config.secret)
    return uri;

  name = g_uri_escape_string (auth_query_name (client), NULL, FALSE);
  value = g_uri_escape_string (client->config.secret, NULL, FALSE);
  query = g_uri_get_query (uri);
  if (query && *query)
    new_query = g_strdup_printf ("%s&%s=%s", query, name, value);
  else
    new_query = g_strdup_printf ("%s=%s", name, value);
  with_key = g_uri_build (g_uri_get_flags (uri), g_uri_get_scheme (uri),
      g_uri_get_userinfo (uri), g_uri_get_host (uri), g_uri_get_port (uri),
      g_uri_get_path (uri), new_query, g_uri_get_fragment (uri));
  gst_sensor_secret_wipe (value);
  gst_sensor_secret_wipe (new_query);
  g_free (name);
  g_free (value);
  g_free (new_query);
  g_uri_unref (uri);
  return with_key;
}

static gboolean
client_is_stopping (GstSensorNetWsClient *client)
{
  gboolean stopping;

  g_mutex_lock (&client->lock);
  stopping = client->stopping;
  g_mutex_unlock (&client->lock);
  return stopping;
}

/* Every callback runs between these two, so stop() can tell when the last
 * one has returned and none starts after it. */
static gboolean
callback_begin (GstSensorNetWsClient *client)
{
  gboolean ok;

  g_mutex_lock (&client->lock);
  ok = !client->stopping;
  if (ok)
    client->in_callback++;
  g_mutex_unlock (&client->lock);
  return ok;
}

static void
callback_end (GstSensorNetWsClient *client)
{
  g_mutex_lock (&client->lock);
  if (--client->in_callback == 0)
    g_cond_broadcast (&client->cond);
  g_mutex_unlock (&client->lock);
}

/* A callback that only says something happened (opened, gave_up): run it
 * if set, unless stop() has begun. */
static void
call_notification (GstSensorNetWsClient *client,
    void (*callback) (GstSensorNetWsClient *client, gpointer user_data))
{
  if (callback && callback_begin (client)) {
    callback (client, client->user_data);
    callback_end (client);
  }
}

static void
mark_dropped (GstSensorNetWsClient *client)
{
  g_mutex_lock (&client->lock);
  client->dropped = TRUE;
  g_cond_broadcast (&client->cond);
  g_mutex_unlock (&client->lock);
}

static void
clear_source (GSource **source)
{
  if (*source) {
    g_source_destroy (*source);
    g_source_unref (*source);
    *source = NULL;
  }
}

static GSource *
attach_timeout (guint ms, GSourceFunc func, GstSensorNetWsClient *client)
{
  GSource *source = g_timeout_source_new (ms);

  g_source_set_callback (source, func, client_ref (client), client_unref);
  g_source_attach (source, g_main_context_get_thread_default ());
  return source;
}

/* Client close codes libsoup lets us send; anything else becomes 1000.
 * 0 means a close frame without a code, which libsoup spells 1005. */
static gushort
sanitize_close_code (gushort code)
{
  if (code == 0 || code == SOUP_WEBSOCKET_CLOSE_NO_STATUS)
    return SOUP_WEBSOCKET_CLOSE_NO_STATUS;
  if ((code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1010) ||
      (code >= 3000 && code <= 4999))
    return code;
  return SOUP_WEBSOCKET_CLOSE_NORMAL;
}

/* A close frame carries at most 123 bytes of UTF-8 reason; cut on a
 * character boundary so the peer does not see a broken frame. */
static gchar *
sanitize_close_reason (const gchar *reason)
{
  gchar *valid, *end;

  if (!reason)
    return NULL;
  valid = g_utf8_make_valid (reason, -1);
  if (strlen (valid) > 123) {
    end = g_utf8_find_prev_char (valid, valid + 124);
    *end = '\0';
  }
  return valid;
}

/* libsoup rejects TEXT that is not UTF-8 with a critical; check first. NUL
 * is fine in a WebSocket text message, so validate around it. */
static gboolean
text_is_valid (GBytes *payload)
{
  gsize len, off = 0;
  const gchar *data = g_bytes_get_data (payload, &len);
  const gchar *end;

  while (off < len) {
    if (g_utf8_validate_len (data + off, len - off, &end))
      return TRUE;
    if (*end != '\0')
      return FALSE;
    off = end - data + 1;
  }
  return TRUE;
}

/* A connection on its way out: kept until the peer finishes the close
 * handshake or DROP_TIMEOUT_MS passes, then released (which closes the
 * socket). @client, when set, is told through mark_dropped(). */
typedef struct
{
  SoupWebsocketConnection *conn;
  GSource *timer;
  gulong closed_id;
  GstSensorNetWsClient *client;
} Grave;

static void
grave_finish (Grave *grave)
{
  clear_source (&grave->timer);
  g_signal_handler_disconnect (grave->conn, grave->closed_id);
  g_object_unref (grave->conn);
  if (grave->client) {
    mark_dropped (grave->client);
    client_unref (grave->client);
  }
  g_free (grave);
}

static void
grave_on_closed (SoupWebsocketConnection *conn, gpointer data)
{
  grave_finish (data);
}

static gboolean
grave_on_timeout (gpointer data)
{
  Grave *grave = data;

  g_source_unref (grave->timer);
  grave->timer = NULL;
  grave_finish (grave);
  return G_SOURCE_REMOVE;
}

static void
bury_connection (SoupWebsocketConnection *conn, gushort code,
    const gchar *reason, GstSensorNetWsClient *client)
{
  Grave *grave;

  if (soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN) {
    gchar *why = sanitize_close_reason (reason);

    soup_websocket_connection_close (conn, sanitize_close_code (code), why);
    g_free (why);
  }
  if (soup_websocket_connection_get_state (conn) ==
      SOUP_WEBSOCKET_STATE_CLOSED) {
    g_object_unref (conn);
    if (client)
      mark_dropped (client);
    return;
  }
  grave = g_new0 (Grave, 1);
  grave->conn = conn;
  grave->client = client ? client_ref (client) : NULL;
  grave->closed_id =
      g_signal_connect (conn, "closed", G_CALLBACK (grave_on_closed), grave);
  grave->timer = g_timeout_source_new (DROP_TIMEOUT_MS);
  g_source_set_callback (grave->timer, grave_on_timeout, grave, NULL);
  g_source_attach (grave->timer, g_main_context_get_thread_default ());
}

/* Takes the open connection away from @client (signals disconnected). */
static SoupWebsocketConnection *
detach_connection (GstSensorNetWsClient *client)
{
  SoupWebsocketConnection *conn = client->conn;

  client->conn = NULL;
  g_clear_object (&client->socket);
  clear_source (&client->pong_source);
  clear_source (&client->stable_source);
  clear_source (&client->writable_source);
  if (conn)
    g_signal_handlers_disconnect_by_data (conn, client);
  return conn;
}

static void
drop_queue_locked (GstSensorNetWsClient *client)
{
  g_queue_clear_full (&client->outq, out_message_free);
  g_queue_init (&client->outq);
  client->pending_bytes = 0;
}

static void
give_up (GstSensorNetWsClient *client)
{
  client->active = FALSE;
  GST_INFO ("client %u (%s): giving up", client->id, client->log_uri);
  call_notification (client, client->callbacks.gave_up);
}

static gboolean
on_retry (gpointer data)
{
  GstSensorNetWsClient *client = data;

  g_source_unref (client->retry_source);
  client->retry_source = NULL;
  if (client->active && !client_is_stopping (client))
    connect_attempt (client);
  return G_SOURCE_REMOVE;
}

/* The connection ended or never opened: ask the element, then back off and
 * retry or give up. */
static void
handle_closed (GstSensorNetWsClient *client, gushort code, const gchar *reason,
    guint http_status, const GError *error)
{
  GstSensorNetWsCloseInfo info;
  GstSensorNetWsCloseAction action = GST_SENSOR_NET_WS_CLOSE_RECONNECT;
  GstClockTime delay;
  guint ms;

  g_mutex_lock (&client->lock);
  client->connected = FALSE;
  drop_queue_locked (client);
  g_mutex_unlock (&client->lock);

  GST_INFO ("client %u (%s): closed, code %u, http status %u, error: %s",
      client->id, client->log_uri, code, http_status,
      error ? error->message : "none");

  if (!client->active)
    return;

  info.close_code = code;
  info.close_reason = reason ? reason : "";
  info.http_status = http_status;
  info.error = error;
  if (client->callbacks.closed) {
    if (!callback_begin (client))
      return;
    action = client->callbacks.closed (client, &info, client->user_data);
    callback_end (client);
  }
  if (client_is_stopping (client) || !client->active)
    return;

  if (action == GST_SENSOR_NET_WS_CLOSE_STOP) {
    give_up (client);
    return;
  }
  delay = gst_sensor_net_backoff_next (&client->backoff);
  if (delay == GST_CLOCK_TIME_NONE) {
    give_up (client);
    return;
  }
  GST_INFO ("client %u (%s): reconnect attempt %u in %" GST_TIME_FORMAT,
      client->id, client->log_uri, client->backoff.attempt,
      GST_TIME_ARGS (delay));
  if (client->callbacks.reconnecting) {
    if (!callback_begin (client))
      return;
    client->callbacks.reconnecting (
        client, client->backoff.attempt, delay, client->user_data);
    callback_end (client);
    if (client_is_stopping (client) || !client->active)
      return;
  }
  ms = (guint) MIN ((delay + GST_MSECOND - 1) / GST_MSECOND, G_MAXUINT);
  clear_source (&client->retry_source);
  client->retry_source = attach_timeout (ms, on_retry, client);
}

static void
on_ws_message (
    SoupWebsocketConnection *conn, gint type, GBytes *message, gpointer data)
{
  GstSensorNetWsClient *client = data;

  GST_LOG ("client %u: %s message of %" G_GSIZE_FORMAT " bytes", client->id,
      type == SOUP_WEBSOCKET_DATA_TEXT ? "text" : "binary",
      g_bytes_get_size (message));
  if (client->callbacks.message && callback_begin (client)) {
    /* free() may be called from another thread as soon as the callback
     * returns: keep the struct alive until this handler is done. */
    client_ref (client);
    client->callbacks.message (client, type, message, client->user_data);
    callback_end (client);
    client_unref (client);
  }
}

static void
on_ws_error (SoupWebsocketConnection *conn, GError *error, gpointer data)
{
  GstSensorNetWsClient *client = data;

  GST_DEBUG ("client %u: connection error: %s", client->id, error->message);
  if (!client->conn_error)
    client->conn_error = g_error_copy (error);
}

static void
on_ws_closed (SoupWebsocketConnection *conn, gpointer data)
{
  GstSensorNetWsClient *client = data;
  gchar *reason;
  gushort code;
  GError *error;

  client_ref (client); /* see on_ws_message() */
  code = soup_websocket_connection_get_close_code (conn);
  reason = g_strdup (soup_websocket_connection_get_close_data (conn));
  error = g_steal_pointer (&client->conn_error);
  conn = detach_connection (client);
  g_object_unref (conn);
  handle_closed (client, code, reason, 0, error);
  g_clear_error (&error);
  g_free (reason);
  client_unref (client);
}

static void
on_ws_pong (SoupWebsocketConnection *conn, GBytes *message, gpointer data)
{
  GstSensorNetWsClient *client = data;

  client->last_pong_us = g_get_monotonic_time ();
}

static gint64
pong_deadline_us (GstSensorNetWsClient *client)
{
  return client->last_pong_us +
      (gint64) (client->config.keepalive_interval_s +
          client->config.pong_timeout_s) *
      G_TIME_SPAN_SECOND;
}

static void schedule_pong_check (GstSensorNetWsClient *client);

/* A ping goes out every keepalive interval; when no pong came back within
 * the pong timeout after that, the peer is gone. libsoup 3.2 has no API for
 * this, so it is tracked here. */
static gboolean
on_pong_check (gpointer data)
{
  GstSensorNetWsClient *client = data;
  SoupWebsocketConnection *conn;
  GError *error;

  g_source_unref (client->pong_source);
  client->pong_source = NULL;
  if (!client->conn)
    return G_SOURCE_REMOVE;
  if (g_get_monotonic_time () < pong_deadline_us (client)) {
    schedule_pong_check (client);
    return G_SOURCE_REMOVE;
  }

  error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
      "No pong within %u s after a ping", client->config.pong_timeout_s);
  GST_WARNING (
      "client %u (%s): %s", client->id, client->log_uri, error->message);
  g_clear_error (&client->conn_error);
  conn = detach_connection (client);
  bury_connection (conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "pong timeout", NULL);
  handle_closed (client, 0, "", 0, error);
  g_error_free (error);
  return G_SOURCE_REMOVE;
}

/* In whole seconds: GLib fires every seconds timeout of the process at the
 * same moment, so a thousand sessions' checks cost one wake-up, not a
 * thousand (each of which polls every socket). */
static void
schedule_pong_check (GstSensorNetWsClient *client)
{
  gint64 wait_us = pong_deadline_us (client) - g_get_monotonic_time ();
  GSource *source;

  wait_us = MAX (wait_us, 0);
  clear_source (&client->pong_source);
  source = g_timeout_source_new_seconds (
      (guint) ((wait_us + G_TIME_SPAN_SECOND - 1) / G_TIME_SPAN_SECOND));
  g_source_set_callback (
      source, on_pong_check, client_ref (client), client_unref);
  g_source_attach (source, g_main_context_get_thread_default ());
  client->pong_source = source;
}

static gboolean
on_stable (gpointer data)
{
  GstSensorNetWsClient *client = data;

  g_source_unref (client->stable_source);
  client->stable_source = NULL;
  GST_DEBUG ("client %u: connection stable, backoff reset", client->id);
  gst_sensor_net_backoff_reset (&client->backoff);
  return G_SOURCE_REMOVE;
}

/* The peer sent a message over max_message_size (from an idle source, not
 * from inside the read): drop the connection as a pong timeout does, with
 * 1009, and report it. */
static void
on_oversized (SoupWebsocketConnection *conn, guint64 size, gpointer data)
{
  GstSensorNetWsClient *client = data;
  GError *error;
  gchar *reason;

  if (conn != client->conn)
    return;
  g_mutex_lock (&client->lock);
  client->oversized++;
  g_mutex_unlock (&client->lock);
  reason = g_strdup_printf ("Message larger than %" G_GSIZE_FORMAT " bytes",
      max_message_size (client));
  error = g_error_new (SOUP_WEBSOCKET_ERROR, SOUP_WEBSOCKET_CLOSE_TOO_BIG,
      "%s from the server (%" G_GUINT64_FORMAT " bytes and more)", reason,
      size);
  GST_WARNING (
      "client %u (%s): %s", client->id, client->log_uri, error->message);
  g_clear_error (&client->conn_error);
  conn = detach_connection (client);
  bury_connection (conn, SOUP_WEBSOCKET_CLOSE_TOO_BIG, reason, NULL);
  handle_closed (client, 0, "", 0, error);
  g_error_free (error);
  g_free (reason);
}

static void
on_opened (GstSensorNetWsClient *client, SoupWebsocketConnection *conn)
{
  const gchar *protocol;

  client->conn = conn;
  client->unchecked_bytes = 0;
  track_live_object (conn);
  g_clear_error (&client->conn_error);
  g_signal_connect (conn, "message", G_CALLBACK (on_ws_message), client);
  g_signal_connect (conn, "error", G_CALLBACK (on_ws_error), client);
  g_signal_connect (conn, "closed", G_CALLBACK (on_ws_closed), client);
  g_signal_connect (conn, "pong", G_CALLBACK (on_ws_pong), client);
  if (client->config.keepalive_interval_s) {
    soup_websocket_connection_set_keepalive_interval (
        conn, client->config.keepalive_interval_s);
    if (client->config.pong_timeout_s) {
      client->last_pong_us = g_get_monotonic_time ();
      schedule_pong_check (client);
    }
  }
  if (client->config.backoff_stable_s > 0.0)
    client->stable_source = attach_timeout (
        (guint) MIN (client->config.backoff_stable_s * 1000.0, G_MAXUINT),
        on_stable, client);
  else
    gst_sensor_net_backoff_reset (&client->backoff);

  protocol = soup_websocket_connection_get_protocol (conn);
  GST_INFO ("client %u (%s): connected%s%s", client->id, client->log_uri,
      protocol ? ", protocol " : "", protocol ? protocol : "");

  g_mutex_lock (&client->lock);
  client->connected = TRUE;
  g_free (client->protocol);
  client->protocol = g_strdup (protocol);
  g_mutex_unlock (&client->lock);

  call_notification (client, client->callbacks.opened);
}

static gboolean
on_connect_timeout (gpointer data)
{
  GstSensorNetWsClient *client = data;

  g_source_unref (client->timeout_source);
  client->timeout_source = NULL;
  client->timed_out = TRUE;
  if (client->cancellable)
    g_cancellable_cancel (client->cancellable);
  return G_SOURCE_REMOVE;
}

/* ---------------------------------------------------------------------- */
/* The upgrade, by hand                                                    */
/* ---------------------------------------------------------------------- */

/* libsoup 3.2 gives no way to put a stream of ours under the connection
 * soup_session_websocket_connect_async() makes, and the whole-message limit
 * needs one, so the client makes the TCP/TLS connection and the HTTP/1.1
 * upgrade itself (RFC 6455 section 4.1). No proxies, no extensions. */

/* The response head is read into this much memory at most. */
#define HEAD_MAX (16 * 1024)
#define WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

typedef struct
{
  GstSensorNetWsClient *client;
  GCancellable *cancellable; /* the attempt's; stale when replaced */
  GUri *uri;
  GSocketClient *sock_client;
  GSocketConnection *conn;
  gchar *key;
  gchar *request;
  guint8 *head;
  gsize head_len;
} Handshake;

/* accept-certificate on the TLS connection: the client's TLS settings. */
typedef struct
{
  guint id;
  gboolean strict;
  GTlsDatabase *ca_db;
  gchar *ca_file;
} TlsCheck;

static void
tls_check_free (gpointer data, GClosure *closure)
{
  TlsCheck *check = data;

  g_clear_object (&check->ca_db);
  g_free (check->ca_file);
  g_free (check);
}

static void
handshake_free (Handshake *hs)
{
  /* it holds the secret */
  gst_sensor_secret_clear (&hs->request);
  g_clear_object (&hs->conn);
  g_clear_object (&hs->sock_client);
  g_clear_object (&hs->cancellable);
  g_clear_pointer (&hs->uri, g_uri_unref);
  g_free (hs->key);
  g_free (hs->head);
  client_unref (hs->client);
  g_free (hs);
}

/* FALSE when stop() or a newer attempt made this one obsolete. */
static gboolean
handshake_is_current (Handshake *hs)
{
  GstSensorNetWsClient *client = hs->client;

  return !client_is_stopping (client) && client->active &&
      client->cancellable == hs->cancellable;
}

static void
handshake_failed (Handshake *hs, GError *error, guint http_status)
{
  GstSensorNetWsClient *client = hs->client;

  client_ref (client);
  clear_source (&client->timeout_source);
  g_clear_object (&client->cancellable);
  if (client->timed_out &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    g_clear_error (&error);
    g_set_error (&error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
        "No WebSocket handshake within %u s", client->config.timeout_s);
  }
  GST_WARNING ("client %u (%s): connect failed (HTTP status %u): %s",
      client->id, client->log_uri, http_status, error->message);
  handshake_free (hs);
  handle_closed (client, 0, "", http_status, error);
  g_error_free (error);
  client_unref (client);
}

static gboolean
on_accept_certificate (GTlsConnection *conn, GTlsCertificate *cert,
    GTlsCertificateFlags errors, gpointer data)
{
  TlsCheck *check = data;
  GSocketConnectable *identity;
  GTlsCertificateFlags flags;

  if (!check->strict) {
    GST_DEBUG ("client %u: accepting certificate (flags 0x%x), TLS is not "
               "strict",
        check->id, errors);
    return TRUE;
  }
  if (!check->ca_db)
    return FALSE;

  /* The system store refused it; try the extra CA bundle. */
  identity = g_tls_client_connection_get_server_identity (
      G_TLS_CLIENT_CONNECTION (conn));
  flags = g_tls_database_verify_chain (check->ca_db, cert,
      G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER, identity, NULL,
      G_TLS_DATABASE_VERIFY_NONE, NULL, NULL);
  GST_DEBUG ("client %u: certificate against %s: flags 0x%x", check->id,
      check->ca_file, flags);
  return flags == 0;
}

static void
on_socket_event (GSocketClient *sc, GSocketClientEvent event,
    GSocketConnectable *connectable, GIOStream *connection, gpointer data)
{
  Handshake *hs = data;
  GstSensorNetWsClient *client = hs->client;
  TlsCheck *check;

  if (event != G_SOCKET_CLIENT_TLS_HANDSHAKING ||
      !G_IS_TLS_CLIENT_CONNECTION (connection) ||
      (client->config.tls_strict && !client->ca_db))
    return;
  check = g_new0 (TlsCheck, 1);
  check->id = client->id;
  check->strict = client->config.tls_strict;
  check->ca_db = client->ca_db ? g_object_ref (client->ca_db) : NULL;
  check->ca_file = g_strdup (client->config.ca_file);
  g_signal_connect_data (connection, "accept-certificate",
      G_CALLBACK (on_accept_certificate), check, tls_check_free, 0);
}

static gboolean
ensure_ca_db (GstSensorNetWsClient *client, GError **error)
{
  if (client->config.ca_file && !client->ca_db) {
    client->ca_db = g_tls_file_database_new (client->config.ca_file, error);
    if (!client->ca_db)
      return FALSE;
  }
  return TRUE;
}

static gboolean
uri_is_tls (GUri *uri)
{
  return g_strcmp0 (g_uri_get_scheme (uri), "wss") == 0 ||
      g_strcmp0 (g_uri_get_scheme (uri), "https") == 0;
}

/* A header value or name that would end the line early is not sent. */
static gboolean
header_is_clean (const gchar *s)
{
  return strpbrk (s, "\r\n") == NULL;
}

static gchar *
build_request (GstSensorNetWsClient *client, Handshake *hs)
{
  GUri *uri = hs->uri;
  /* sized once: a reallocation would leave a copy of the secret behind */
  GString *req = g_string_sized_new (
      4096 + (client->config.secret ? 2 * strlen (client->config.secret) : 0));
  const gchar *path = g_uri_get_path (uri), *query = g_uri_get_query (uri);
  const gchar *host = g_uri_get_host (uri);
  gint port = g_uri_get_port (uri);
  guint8 nonce[16];
  gchar **h;
  guint i;

  for (i = 0; i < sizeof (nonce); i += 4) {
    guint32 r = g_random_int ();

    memcpy (nonce + i, &r, 4);
  }
  hs->key = g_base64_encode (nonce, sizeof (nonce));

  g_string_append_printf (req, "GET %s%s%s HTTP/1.1\r\n",
      path && *path ? path : "/", query ? "?" : "", query ? query : "");
  g_string_append_printf (req, "Host: %s%s%s", strchr (host, ':') ? "[" : "",
      host, strchr (host, ':') ? "]" : "");
  if (port > 0 && port != (uri_is_tls (uri) ? 443 : 80))
    g_string_append_printf (req, ":%d", port);
  g_string_append_printf (req,
      "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n"
      "User-Agent: gst-plugins-sensor/" VERSION "\r\n",
      hs->key);
  if (client->config.protocols && client->config.protocols[0]) {
    gchar *list = g_strjoinv (", ", client->config.protocols);

    if (header_is_clean (list))
      g_string_append_printf (req, "Sec-WebSocket-Protocol: %s\r\n", list);
    g_free (list);
  }
  if (client->config.auth == GST_SENSOR_NET_WS_AUTH_HEADER &&
      client->config.secret && header_is_clean (client->config.secret))
    g_string_append_printf (
        req, "Authorization: Bearer %s\r\n", client->config.secret);
  for (h = client->config.extra_headers; h && *h; h++) {
    const gchar *colon = strchr (*h, ':');
    gchar *name, *value;

    if (!colon || colon == *h || !header_is_clean (*h)) {
      GST_WARNING ("client %u: ignoring malformed header (no \"Name:\" or a "
                   "line break)",
          client->id);
      continue;
    }
    name = g_strstrip (g_strndup (*h, colon - *h));
    value = g_strstrip (g_strdup (colon + 1));
    if (*name && !strpbrk (name, " \t"))
      g_string_append_printf (req, "%s: %s\r\n", name, value);
    g_free (name);
    g_free (value);
  }
  g_string_append (req, "\r\n");
  return g_string_free (req, FALSE);
}

static GError *
bad_handshake (const gchar *why)
{
  return g_error_new (SOUP_WEBSOCKET_ERROR, SOUP_WEBSOCKET_ERROR_BAD_HANDSHAKE,
      "Server rejected WebSocket "
      "handshake: %s",
      why);
}

/* The 101 response: checks as RFC 6455 section 4.1 asks. NULL when fine. */
static GError *
check_response (GstSensorNetWsClient *client, Handshake *hs,
    SoupMessageHeaders *headers, const gchar **protocol)
{
  const gchar *accept, *proto;
  GChecksum *sha;
  guint8 digest[20];
  gsize dlen = sizeof (digest);
  gchar *expected;
  gboolean ok;

  if (!soup_message_headers_header_equals (headers, "Upgrade", "websocket"))
    return bad_handshake ("no Upgrade: websocket");
  if (!soup_message_headers_header_contains (headers, "Connection", "upgrade"))
    return bad_handshake ("no Connection: Upgrade");
  accept = soup_message_headers_get_one (headers, "Sec-WebSocket-Accept");
  sha = g_checksum_new (G_CHECKSUM_SHA1);
  g_checksum_update (sha, (const guchar *) hs->key, -1);
  g_checksum_update (sha, (const guchar *) WS_GUID, -1);
  g_checksum_get_digest (sha, digest, &dlen);
  g_checksum_free (sha);
  expected = g_base64_encode (digest, dlen);
  ok = accept != NULL;
  if (ok) {
    gchar *trimmed = g_strstrip (g_strdup (accept));

    ok = g_str_equal (trimmed, expected);
    g_free (trimmed);
  }
  g_free (expected);
  if (!ok)
    return bad_handshake ("wrong Sec-WebSocket-Accept");
  if (soup_message_headers_get_one (headers, "Sec-WebSocket-Extensions"))
    return bad_handshake ("an extension was not offered");
  proto = soup_message_headers_get_one (headers, "Sec-WebSocket-Protocol");
  if (proto &&
      (!client->config.protocols ||
          !g_strv_contains (
              (const gchar *const *) client->config.protocols, proto)))
    return bad_handshake ("a subprotocol was not offered");
  *protocol = proto;
  return NULL;
}

/* The head is complete (@end bytes): parse, check, open. */
static void
handshake_finish (Handshake *hs, gsize end)
{
  GstSensorNetWsClient *client = hs->client;
  SoupMessageHeaders *headers =
      soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  gchar *head = g_strndup ((const gchar *) hs->head, end);
  const gchar *protocol = NULL;
  SoupWebsocketConnection *conn;
  GError *error;
  GBytes *rest;
  guint status = 0;

  if (!soup_headers_parse_response (head, end, headers, NULL, &status, NULL)) {
    error = g_error_new_literal (SOUP_WEBSOCKET_ERROR,
        SOUP_WEBSOCKET_ERROR_NOT_WEBSOCKET, "Invalid HTTP response");
    status = 0;
  } else if (status != SOUP_STATUS_SWITCHING_PROTOCOLS) {
    error = g_error_new_literal (SOUP_WEBSOCKET_ERROR,
        SOUP_WEBSOCKET_ERROR_NOT_WEBSOCKET,
        "The server did not accept the WebSocket handshake.");
  } else {
    error = check_response (client, hs, headers, &protocol);
    status = 0;
  }
  g_free (head);
  if (error) {
    soup_message_headers_unref (headers);
    handshake_failed (hs, error, status);
    return;
  }

  clear_source (&client->timeout_source);
  g_clear_object (&client->cancellable);
  g_clear_object (&client->socket);
  client->socket = g_object_ref (g_socket_connection_get_socket (hs->conn));
  /* bytes past the head are the first frames */
  rest = g_bytes_new (hs->head + end, hs->head_len - end);
  conn = gst_sensor_net_ws_connection_new (G_IO_STREAM (hs->conn), rest,
      hs->uri, SOUP_WEBSOCKET_CONNECTION_CLIENT, NULL, protocol,
      max_message_size (client), on_oversized, client_ref (client),
      client_unref);
  g_bytes_unref (rest);
  soup_message_headers_unref (headers);
  client_ref (client);
  handshake_free (hs);
  on_opened (client, conn);
  client_unref (client);
}

static void read_head (Handshake *hs);

/* The end of the head ("\r\n\r\n") at or after @from, or 0. */
static gsize
find_head_end (Handshake *hs, gsize from)
{
  gsize i;

  for (i = from; i + 4 <= hs->head_len; i++)
    if (memcmp (hs->head + i, "\r\n\r\n", 4) == 0)
      return i + 4;
  return 0;
}

static void
on_head_read (GObject *source, GAsyncResult *res, gpointer data)
{
  Handshake *hs = data;
  GError *error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), res, &error);
  gsize before = hs->head_len, end;

  if (!handshake_is_current (hs)) {
    g_clear_error (&error);
    handshake_free (hs);
    return;
  }
  if (n < 0) {
    handshake_failed (hs, error, 0);
    return;
  }
  if (n == 0) {
    handshake_failed (hs,
        g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
            "Connection closed during the WebSocket handshake"),
        0);
    return;
  }
  hs->head_len += n;
  end = find_head_end (hs, before >= 3 ? before - 3 : 0);
  if (end) {
    handshake_finish (hs, end);
  } else if (hs->head_len == HEAD_MAX) {
    handshake_failed (hs,
        g_error_new (SOUP_WEBSOCKET_ERROR, SOUP_WEBSOCKET_ERROR_BAD_HANDSHAKE,
            "HTTP response head larger than %u bytes", HEAD_MAX),
        0);
  } else {
    read_head (hs);
  }
}

static void
read_head (Handshake *hs)
{
  g_input_stream_read_async (
      g_io_stream_get_input_stream (G_IO_STREAM (hs->conn)),
      hs->head + hs->head_len, HEAD_MAX - hs->head_len, G_PRIORITY_DEFAULT,
      hs->cancellable, on_head_read, hs);
}

static void
on_request_written (GObject *source, GAsyncResult *res, gpointer data)
{
  Handshake *hs = data;
  GError *error = NULL;
  gboolean ok = g_output_stream_write_all_finish (
      G_OUTPUT_STREAM (source), res, NULL, &error);

  gst_sensor_secret_clear (&hs->request);
  if (!handshake_is_current (hs)) {
    g_clear_error (&error);
    handshake_free (hs);
    return;
  }
  if (!ok) {
    handshake_failed (hs, error, 0);
    return;
  }
  hs->head = g_malloc (HEAD_MAX);
  read_head (hs);
}

static void
on_tcp_connected (GObject *source, GAsyncResult *res, gpointer data)
{
  Handshake *hs = data;
  GError *error = NULL;
  GSocketConnection *conn =
      g_socket_client_connect_finish (G_SOCKET_CLIENT (source), res, &error);

  g_signal_handlers_disconnect_by_data (source, hs);
  if (!handshake_is_current (hs)) {
    g_clear_object (&conn);
    g_clear_error (&error);
    handshake_free (hs);
    return;
  }
  if (!conn) {
    handshake_failed (hs, error, 0);
    return;
  }
  hs->conn = conn;
  hs->request = build_request (hs->client, hs);
  g_output_stream_write_all_async (
      g_io_stream_get_output_stream (G_IO_STREAM (conn)), hs->request,
      strlen (hs->request), G_PRIORITY_DEFAULT, hs->cancellable,
      on_request_written, hs);
}

static void
connect_attempt (GstSensorNetWsClient *client)
{
  GError *error = NULL;
  GSocketConnectable *address;
  Handshake *hs;
  GUri *uri;
  gint port;

  if (!ensure_ca_db (client, &error)) {
    GST_WARNING (
        "client %u: cannot load CA file: %s", client->id, error->message);
    handle_closed (client, 0, "", 0, error);
    g_error_free (error);
    return;
  }
  uri = make_connect_uri (client, &error);
  if (!uri) {
    handle_closed (client, 0, "", 0, error);
    g_error_free (error);
    return;
  }

  GST_DEBUG ("client %u: connecting to %s (auth %d)", client->id,
      client->log_uri, client->config.auth);
  client->cancellable = g_cancellable_new ();
  client->timed_out = FALSE;
  if (client->config.timeout_s)
    client->timeout_source = attach_timeout (
        client->config.timeout_s * 1000, on_connect_timeout, client);

  hs = g_new0 (Handshake, 1);
  hs->client = client_ref (client);
  hs->cancellable = g_object_ref (client->cancellable);
  hs->uri = uri;
  hs->sock_client = g_socket_client_new ();
  track_live_object (hs->sock_client);
  /* the hand-made upgrade speaks to the server itself: no proxy */
  g_socket_client_set_enable_proxy (hs->sock_client, FALSE);
  g_socket_client_set_tls (hs->sock_client, uri_is_tls (uri));
  g_signal_connect (hs->sock_client, "event", G_CALLBACK (on_socket_event), hs);
  port = g_uri_get_port (uri);
  address = g_network_address_new (
      g_uri_get_host (uri), port > 0 ? port : (uri_is_tls (uri) ? 443 : 80));
  g_socket_client_connect_async (
      hs->sock_client, address, hs->cancellable, on_tcp_connected, hs);
  g_object_unref (address);
}

static gboolean
do_start (gpointer data)
{
  GstSensorNetWsClient *client = data;

  if (client->active || client_is_stopping (client))
    return G_SOURCE_REMOVE;
  client->active = TRUE;
  gst_sensor_net_backoff_reset (&client->backoff);
  connect_attempt (client);
  return G_SOURCE_REMOVE;
}

typedef struct
{
  GstSensorNetWsClient *client;
  gushort code;
  gchar *reason;
} StopRequest;

/* Network thread: release everything; the socket goes to the grave so the
 * close handshake can finish (bounded). */
static void flush_queue (GstSensorNetWsClient *client);

static void
teardown (GstSensorNetWsClient *client, gushort code, const gchar *reason)
{
  SoupWebsocketConnection *conn;

  /* what close() left queued (its flush may still wait for the next
   * batch) goes out before the close frame; what the socket cannot take
   * now is dropped */
  flush_queue (client);
  g_mutex_lock (&client->lock);
  drop_queue_locked (client);
  g_mutex_unlock (&client->lock);
  client->active = FALSE;
  clear_source (&client->retry_source);
  clear_source (&client->timeout_source);
  if (client->cancellable)
    g_cancellable_cancel (client->cancellable);
  g_clear_object (&client->cancellable);
  g_clear_error (&client->conn_error);
  conn = detach_connection (client);
  g_clear_object (&client->ca_db);
  if (conn)
    bury_connection (conn, code, reason, client);
  else
    mark_dropped (client);
}

static gboolean
do_stop (gpointer data)
{
  StopRequest *req = data;

  teardown (req->client, req->code, req->reason);
  return G_SOURCE_REMOVE;
}

static void
stop_request_free (gpointer data)
{
  StopRequest *req = data;

  client_unref (req->client);
  g_free (req->reason);
  g_free (req);
}

static void flush_queue (GstSensorNetWsClient *client);

static gboolean
on_writable (GObject *stream, gpointer data)
{
  GstSensorNetWsClient *client = data;

  g_source_unref (client->writable_source);
  client->writable_source = NULL;
  client->unchecked_bytes = 0;
  flush_queue (client);
  return G_SOURCE_REMOVE;
}

/* Bytes handed to libsoup between two checks that the socket is writable.
 * A check is a poll() system call, as expensive as sending a small message,
 * so small messages are checked once per this many bytes; libsoup holds at
 * most this much (plus one message) beyond what the socket took. */
#define WRITABLE_CHECK_BYTES (16 * 1024)

/* Corked, the kernel sends only full TCP segments: several small messages
 * handed over in one go leave in a few segments instead of one segment
 * (and one trip through the loopback or network stack) each. */
static void
set_corked (GSocket *socket, gboolean corked)
{
#ifdef TCP_CORK
  g_socket_set_option (socket, IPPROTO_TCP, TCP_CORK, corked, NULL);
#endif
}

/* Hands queued messages to libsoup in order, but only while the socket can
 * take more: libsoup 3.2 would otherwise queue without bound and without
 * telling anyone, while a backlog kept here shows in get_pending_bytes().
 * A batch of messages goes out corked and is pushed out when the batch
 * ends, so nothing waits for more data. */
static void
flush_queue (GstSensorNetWsClient *client)
{
  SoupWebsocketConnection *conn = client->conn;
  GPollableOutputStream *output;
  GSocket *corked = NULL;

  if (!conn || client->writable_source)
    return;
  output = G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (
      soup_websocket_connection_get_io_stream (conn)));

  while (client->conn == conn &&
      soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN) {
    OutMessage *m;
    gboolean more;
    gsize size;

    if (client->unchecked_bytes >= WRITABLE_CHECK_BYTES) {
      if (!g_pollable_output_stream_is_writable (output)) {
        client->writable_source =
            g_pollable_output_stream_create_source (output, NULL);
        g_source_set_callback (client->writable_source,
            (GSourceFunc) on_writable, client_ref (client), client_unref);
        g_source_attach (
            client->writable_source, g_main_context_get_thread_default ());
        break;
      }
      client->unchecked_bytes = 0;
    }
    g_mutex_lock (&client->lock);
    m = g_queue_pop_head (&client->outq);
    size = m ? g_bytes_get_size (m->payload) : 0;
    client->pending_bytes -= MIN (client->pending_bytes, size);
    more = !g_queue_is_empty (&client->outq);
    g_mutex_unlock (&client->lock);
    if (!m)
      break;
    if (more && !corked && client->socket) {
      corked = g_object_ref (client->socket);
      set_corked (corked, TRUE);
    }
    client->unchecked_bytes += size;
    soup_websocket_connection_send_message (conn, m->type, m->payload);
    out_message_free (m);
  }
  /* also when the connection went inside send: its close frame must not
   * wait in the cork */
  if (corked) {
    set_corked (corked, FALSE);
    g_object_unref (corked);
  }
}

/* The network thread polls every socket on each wake-up, so a wake-up per
 * message costs O(connections) each: with thousands of sessions sending a
 * frame a second that is most of its time. Flushes are therefore batched:
 * one source runs every client's flush at most once per this interval (a
 * message that finds the thread idle longer than that goes at once). */
#define FLUSH_INTERVAL_PER_CLIENT_US 100
#define FLUSH_INTERVAL_MIN_US (2 * G_TIME_SPAN_MILLISECOND)
#define FLUSH_INTERVAL_MAX_US (100 * G_TIME_SPAN_MILLISECOND)

/* The cost of a wake-up grows with the connections (each iteration looks
 * at every connection's sources: 2.7 us each, measured at 1,000 Raeh
 * sessions), so the interval does too: 2 ms up to 20 clients, 100 ms from
 * 1,000 on, the bulk pace's cap. At 20 us per client (20 ms at 1,000) the
 * batches alone woke the thread 50 times a second, a fifth of a core. */
static gint64
flush_interval_us (NetShared *shared)
{
  gint64 n = g_atomic_int_get (&shared->n_clients);

  return CLAMP (n * FLUSH_INTERVAL_PER_CLIENT_US, FLUSH_INTERVAL_MIN_US,
      FLUSH_INTERVAL_MAX_US);
}

typedef struct
{
  GSourceFunc func;
  gpointer data;
  GDestroyNotify notify;
} BatchedCall;

static gboolean
run_batched (gpointer data)
{
  NetShared *shared = data;
  GArray *calls;
  guint i;

  g_mutex_lock (&shared->flush_lock);
  calls = shared->batched;
  shared->batched = NULL;
  g_clear_pointer (&shared->flush_source, g_source_unref);
  shared->last_flush_us = g_get_monotonic_time ();
  g_mutex_unlock (&shared->flush_lock);

  for (i = 0; calls && i < calls->len; i++) {
    BatchedCall *call = &g_array_index (calls, BatchedCall, i);

    call->func (call->data);
    if (call->notify)
      call->notify (call->data);
  }
  if (calls)
    g_array_unref (calls);
  return G_SOURCE_REMOVE;
}

static void
drop_calls (GArray *calls)
{
  guint i;

  for (i = 0; calls && i < calls->len; i++) {
    BatchedCall *call = &g_array_index (calls, BatchedCall, i);

    if (call->notify)
      call->notify (call->data);
  }
  if (calls)
    g_array_unref (calls);
}

/* The batch source is gone: after it ran (nothing to do), or with its
 * context, when the last client let the network thread go before the
 * batch ran: then its calls are dropped, and the next call starts a new
 * source on the new context instead of waiting for a dead one. */
static void
batch_source_gone (gpointer data)
{
  NetShared *shared = data;
  GArray *calls = NULL;

  g_mutex_lock (&shared->flush_lock);
  if (shared->flush_source && g_source_is_destroyed (shared->flush_source)) {
    g_clear_pointer (&shared->flush_source, g_source_unref);
    calls = g_steal_pointer (&shared->batched);
  }
  g_mutex_unlock (&shared->flush_lock);
  drop_calls (calls);
}

/**
 * gst_sensor_net_context_invoke_batched:
 * @context: the network context (from gst_sensor_net_context_ref())
 * @func: (scope notified): runs once on the network thread; its return
 *   value is ignored
 * @data: (closure): for @func
 * @notify: (nullable): frees @data after @func ran (or the call was dropped)
 *
 * Runs @func on the network thread together with every other batched call:
 * at once when the thread ran no batch for a while, else at the end of an
 * interval that grows with the number of clients. This is how per-message
 * work (a flush) reaches the thread without a wake-up per message, as each
 * wake-up polls every socket. The pending calls keep whatever @data holds;
 * keep @context referenced until @func ran.
 */
void
gst_sensor_net_context_invoke_batched (GMainContext *context, GSourceFunc func,
    gpointer data, GDestroyNotify notify)
{
  NetShared *shared = net_shared ();
  BatchedCall call = { func, data, notify };
  gint64 wait_us, interval_us = flush_interval_us (shared);

  g_return_if_fail (context != NULL && func != NULL);

  g_mutex_lock (&shared->flush_lock);
  if (shared->batched == NULL)
    shared->batched = g_array_new (FALSE, FALSE, sizeof (BatchedCall));
  g_array_append_val (shared->batched, call);
  if (shared->flush_source == NULL) {
    wait_us = shared->last_flush_us + interval_us - g_get_monotonic_time ();
    if (wait_us > 0 && wait_us <= interval_us)
      shared->flush_source =
          g_timeout_source_new ((guint) ((wait_us + 999) / 1000));
    else
      shared->flush_source = g_idle_source_new ();
    g_source_set_priority (shared->flush_source, G_PRIORITY_DEFAULT);
    g_source_set_callback (
        shared->flush_source, run_batched, shared, batch_source_gone);
    g_source_attach (shared->flush_source, context);
  }
  g_mutex_unlock (&shared->flush_lock);
}

static gboolean
do_flush (gpointer data)
{
  GstSensorNetWsClient *client = data;

  g_mutex_lock (&client->lock);
  client->flush_scheduled = FALSE;
  g_mutex_unlock (&client->lock);
  flush_queue (client);
  return G_SOURCE_REMOVE;
}

/* Takes a reference to @client until its flush has run; the client holds
 * the network context meanwhile. */
static void
schedule_flush (GstSensorNetWsClient *client)
{
  gst_sensor_net_context_invoke_batched (
      client->context, do_flush, client_ref (client), client_unref);
}

static void
invoke (GstSensorNetWsClient *client, GSourceFunc func, gpointer data,
    GDestroyNotify notify)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, data, notify);
  g_source_attach (source, client->context);
  g_source_unref (source);
}

/* Queues all of @payloads or, when not connected, none. With @now on the
 * network thread they are handed to libsoup before returning, as one corked
 * batch; otherwise a flush is scheduled there. */
static gboolean
queue_messages (GstSensorNetWsClient *client, SoupWebsocketDataType type,
    GBytes *const *payloads, guint n, gboolean now)
{
  gboolean schedule;
  guint i;

  for (i = 0; i < n; i++) {
    g_return_val_if_fail (payloads[i] != NULL, FALSE);
    if (type == SOUP_WEBSOCKET_DATA_TEXT && !text_is_valid (payloads[i])) {
      GST_WARNING (
          "client %u: refusing text message that is not UTF-8", client->id);
      return FALSE;
    }
  }
  /* a flush right here saves a trip through the main loop per batch */
  now = now && g_main_context_is_owner (client->context);

  g_mutex_lock (&client->lock);
  if (!client->connected || client->stopping) {
    g_mutex_unlock (&client->lock);
    return FALSE;
  }
  for (i = 0; i < n; i++) {
    OutMessage *m = g_new (OutMessage, 1);

    m->type = type;
    m->payload = g_bytes_ref (payloads[i]);
    g_queue_push_tail (&client->outq, m);
    client->pending_bytes += g_bytes_get_size (payloads[i]);
  }
  schedule = !now && !client->flush_scheduled;
  if (schedule)
    client->flush_scheduled = TRUE;
  g_mutex_unlock (&client->lock);

  if (now)
    flush_queue (client);
  else if (schedule)
    schedule_flush (client);
  return TRUE;
}

/**
 * gst_sensor_net_ws_close_info_is_tls_failure:
 * @info: why a connection ended
 *
 * Whether the connection failed on TLS (an untrusted or invalid
 * certificate, a refused handshake). Retrying would meet the same
 * certificate again, so elements end with an error instead of
 * reconnecting.
 *
 * Returns: %TRUE when the error of @info is in the #G_TLS_ERROR domain
 */
gboolean
gst_sensor_net_ws_close_info_is_tls_failure (
    const GstSensorNetWsCloseInfo *info)
{
  return info->error != NULL && info->error->domain == G_TLS_ERROR;
}

/**
 * gst_sensor_net_ws_client_new:
 * @config: the settings, copied
 * @callbacks: (nullable): what to tell the owner, copied; NULL for none
 * @user_data: (closure): for the callbacks
 * @notify: (nullable): frees @user_data in gst_sensor_net_ws_client_free()
 *
 * Makes a client that does not connect before
 * gst_sensor_net_ws_client_start(). Its life: new(), start(), then
 * opened, message*, closed and a backoff delay, over and over, then stop()
 * and free(); after stop() returns no callback runs any more.
 *
 * Returns: (transfer full): a new client, for
 *   gst_sensor_net_ws_client_free()
 */
GstSensorNetWsClient *
gst_sensor_net_ws_client_new (const GstSensorNetWsConfig *config,
    const GstSensorNetWsCallbacks *callbacks, gpointer user_data,
    GDestroyNotify notify)
{
  static gint next_id = 0;
  GstSensorNetWsClient *client;

  g_return_val_if_fail (config != NULL, NULL);

  ensure_debug_category ();
  client = g_new0 (GstSensorNetWsClient, 1);
  client->refcount = 1;
  client->id = (guint) g_atomic_int_add (&next_id, 1);
  gst_sensor_net_ws_config_copy_into (&client->config, config);
  if (callbacks)
    client->callbacks = *callbacks;
  client->user_data = user_data;
  client->notify = notify;
  g_mutex_init (&client->lock);
  g_cond_init (&client->cond);
  g_queue_init (&client->outq);
  client->log_uri = make_log_uri (config, auth_query_name (client));
  gst_sensor_net_backoff_init (&client->backoff, config->backoff_initial_s,
      config->backoff_factor, config->backoff_max_s, config->backoff_jitter,
      config->retries, 0);
  client->context = gst_sensor_net_context_ref ();
  g_atomic_int_inc (&net_shared ()->n_clients);
  GST_DEBUG ("client %u: created for %s", client->id, client->log_uri);
  return client;
}

/**
 * gst_sensor_net_ws_client_start:
 * @client: a client
 *
 * Starts connecting on the network thread and returns at once. Also
 * restarts a client that gave up, from the first backoff delay. Ignored
 * after gst_sensor_net_ws_client_stop().
 */
void
gst_sensor_net_ws_client_start (GstSensorNetWsClient *client)
{
  g_return_if_fail (client != NULL);

  invoke (client, do_start, client_ref (client), client_unref);
}

/**
 * gst_sensor_net_ws_client_send:
 * @client: a client
 * @type: text or binary
 * @payload: (transfer none): the message; referenced, not copied
 *
 * Queues one message. Messages go out in the order of the calls, and are
 * dropped when the connection closes before the network thread hands them
 * to libsoup. Any thread; never blocks.
 *
 * Returns: %TRUE when the message was queued, %FALSE (and nothing queued)
 *   when not connected
 */
gboolean
gst_sensor_net_ws_client_send (
    GstSensorNetWsClient *client, SoupWebsocketDataType type, GBytes *payload)
{
  g_return_val_if_fail (client != NULL, FALSE);
  g_return_val_if_fail (payload != NULL, FALSE);

  return queue_messages (client, type, &payload, 1, FALSE);
}

/**
 * gst_sensor_net_ws_client_send_batch:
 * @client: a client
 * @type: text or binary, for all of them
 * @payloads: (array length=n_payloads) (transfer none): the messages, in
 *   order; referenced, not copied
 * @n_payloads: how many
 *
 * Queues @n_payloads messages in order, all of them or none. Called on
 * the network thread (from a source attached to the client's context), the
 * batch is handed to libsoup before this returns, corked as one, and
 * callbacks such as closed may run inside; anywhere else it is
 * gst_sensor_net_ws_client_send() for each, in one go.
 *
 * Returns: %TRUE when the messages were queued, %FALSE (none queued) when
 *   not connected
 */
gboolean
gst_sensor_net_ws_client_send_batch (GstSensorNetWsClient *client,
    SoupWebsocketDataType type, GBytes *const *payloads, guint n_payloads)
{
  g_return_val_if_fail (client != NULL, FALSE);
  g_return_val_if_fail (payloads != NULL || n_payloads == 0, FALSE);

  return queue_messages (client, type, payloads, n_payloads, TRUE);
}

/**
 * gst_sensor_net_ws_client_get_pending_bytes:
 * @client: a client
 *
 * The bytes queued by gst_sensor_net_ws_client_send() and not yet handed
 * to libsoup. Messages are handed over only while the socket can take
 * more, so this is the backlog of a slow or stalled connection (libsoup
 * itself then holds at most about one more message; its queue is not
 * visible in libsoup 3.2): use it to bound your buffering. Any thread.
 *
 * Returns: the bytes waiting; 0 after the connection closed or the client
 *   stopped
 */
gsize
gst_sensor_net_ws_client_get_pending_bytes (GstSensorNetWsClient *client)
{
  gsize pending;

  g_return_val_if_fail (client != NULL, 0);

  g_mutex_lock (&client->lock);
  pending = client->pending_bytes;
  g_mutex_unlock (&client->lock);
  return pending;
}

/**
 * gst_sensor_net_ws_client_is_connected:
 * @client: a client
 *
 * Any thread.
 *
 * Returns: %TRUE while the upgrade has succeeded and the socket is open
 */
gboolean
gst_sensor_net_ws_client_is_connected (GstSensorNetWsClient *client)
{
  gboolean connected;

  g_return_val_if_fail (client != NULL, FALSE);

  g_mutex_lock (&client->lock);
  connected = client->connected;
  g_mutex_unlock (&client->lock);
  return connected;
}

/* Marks the client stopping and asks the network thread to close; TRUE
 * when called on the network thread (nothing left to wait for). */
static gboolean
request_stop (GstSensorNetWsClient *client, gushort code, const gchar *reason,
    gboolean send_queued)
{
  gboolean first;

  g_mutex_lock (&client->lock);
  first = !client->stopping;
  client->stopping = TRUE;
  client->connected = FALSE;
  if (!send_queued)
    drop_queue_locked (client);
  g_mutex_unlock (&client->lock);

  if (first)
    GST_DEBUG (
        "client %u (%s): stop, code %u", client->id, client->log_uri, code);

  if (g_main_context_is_owner (client->context)) {
    /* On the network thread (a callback): nothing to wait for, no callback
     * of this client can start after this one. */
    if (first)
      teardown (client, code, reason);
    return TRUE;
  }

  if (first) {
    StopRequest *req = g_new0 (StopRequest, 1);

    req->client = client_ref (client);
    req->code = code;
    req->reason = g_strdup (reason);
    invoke (client, do_stop, req, stop_request_free);
  }
  return FALSE;
}

/**
 * gst_sensor_net_ws_client_close:
 * @client: a client
 * @code: the close code (as for gst_sensor_net_ws_client_stop())
 * @reason: (nullable): the close reason
 *
 * Starts closing like gst_sensor_net_ws_client_stop() and never reconnects,
 * but sends the messages already queued before the close frame (as far as
 * the socket takes them at once), and returns at once: the close handshake runs
 * on the network thread, so a thousand sessions close in parallel instead of
 * one after another. Callbacks may still run until stop() or free(), which then
 * return as soon as the connection is gone. Any thread.
 */
void
gst_sensor_net_ws_client_close (
    GstSensorNetWsClient *client, gushort code, const gchar *reason)
{
  g_return_if_fail (client != NULL);

  request_stop (client, code, reason, TRUE);
}

/**
 * gst_sensor_net_ws_client_stop:
 * @client: a client
 * @code: the close code; codes a client may not send (1005, 1006, 1011,
 *   1015, ...) become 1000, and 0 sends no code
 * @reason: (nullable): the close reason
 *
 * Closes with @code and @reason and never reconnects. Blocks until the
 * network thread has dropped the connection, at most about a second. Any
 * thread, including from inside a callback (then it does not block).
 * After it returns no callback runs any more: one already running on the
 * network thread is waited for, so do not call it while holding a lock a
 * callback takes. Idempotent; works on a client never started.
 */
void
gst_sensor_net_ws_client_stop (
    GstSensorNetWsClient *client, gushort code, const gchar *reason)
{
  gint64 deadline;

  g_return_if_fail (client != NULL);

  if (request_stop (client, code, reason, FALSE))
    return;

  g_mutex_lock (&client->lock);
  /* A callback already running finishes first: after stop() returns no
   * callback of this client is running or will run. */
  while (client->in_callback > 0)
    g_cond_wait (&client->cond, &client->lock);
  deadline = g_get_monotonic_time () + STOP_WAIT_US;
  while (!client->dropped) {
    if (!g_cond_wait_until (&client->cond, &client->lock, deadline)) {
      GST_WARNING ("client %u: network thread did not release the "
                   "connection in time",
          client->id);
      break;
    }
  }
  g_mutex_unlock (&client->lock);
}

/**
 * gst_sensor_net_ws_client_free:
 * @client: (transfer full) (nullable): a client
 *
 * Stops @client with close code 1001 if it is not stopped yet, calls the
 * notify given to gst_sensor_net_ws_client_new() and frees it.
 */
void
gst_sensor_net_ws_client_free (GstSensorNetWsClient *client)
{
  GMainContext *context;

  if (!client)
    return;

  gst_sensor_net_ws_client_stop (client, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
  if (client->notify)
    client->notify (client->user_data);
  client->notify = NULL;
  client->user_data = NULL;
  context = client->context;
  client->context = NULL;
  GST_DEBUG ("client %u: freed", client->id);
  client_unref (client);
  gst_sensor_net_context_unref (context);
}

/**
 * gst_sensor_net_ws_client_dup_protocol:
 * @client: a client
 *
 * The subprotocol the server chose from the config's protocols. Any
 * thread.
 *
 * Returns: (transfer full) (nullable): the subprotocol, for g_free(); NULL
 *   when none was chosen or when not connected
 */
gchar *
gst_sensor_net_ws_client_dup_protocol (GstSensorNetWsClient *client)
{
  gchar *protocol;

  g_return_val_if_fail (client != NULL, NULL);

  g_mutex_lock (&client->lock);
  protocol = client->connected ? g_strdup (client->protocol) : NULL;
  g_mutex_unlock (&client->lock);
  return protocol;
}

/**
 * gst_sensor_net_ws_client_get_oversized_count:
 * @client: a client
 *
 * Any thread.
 *
 * Returns: the messages from the peer that went over the config's
 *   max_message_size (each closed its connection with 1009), over the
 *   client's life
 */
guint64
gst_sensor_net_ws_client_get_oversized_count (GstSensorNetWsClient *client)
{
  guint64 count;

  g_return_val_if_fail (client != NULL, 0);

  g_mutex_lock (&client->lock);
  count = client->oversized;
  g_mutex_unlock (&client->lock);
  return count;
}
