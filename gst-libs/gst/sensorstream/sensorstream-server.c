/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:sensorstream-server
 * @title: GstSensorStreamServer
 * @short_description: the sensor-stream HTTP server, on its own thread
 *
 * The server of rpsensorsrc: it answers
 * `POST /api/device/sensor-stream` and `.../batch` on a #SoupServer whose
 * connections a #GstSensorNetHttpListener accepts, on a thread and
 * #GMainContext of its own (paced, see gst_sensor_net_context_set_paced()).
 * It checks the request (route, bearer token, content type and length,
 * body, client clock window), asks its owner to admit the device,
 * rate-limits it, runs fall detection and gives every accepted reading to
 * the owner through #GstSensorStreamServerCallbacks; it posts nothing
 * itself. Requests not complete within the timeout have their connection
 * closed.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sensorstream-server.h"
#include "sensorstream-clock.h"
#include "sensorstream-ratelimit.h"
#include "sensorstream-response.h"

#include <string.h>
#include <gst/sensor/sensor-secret.h>
#include <gst/sensornet/sensornet-paced-poll.h>

#define STREAM_PATH "/api/device/sensor-stream"
#define BATCH_PATH "/api/device/sensor-stream/batch"

/**
 * gst_sensor_stream_server_error_quark:
 *
 * Returns: the #GQuark of %GST_SENSOR_STREAM_SERVER_ERROR
 */
G_DEFINE_QUARK (gst - sensor - stream - server - error - quark,
    gst_sensor_stream_server_error)

/* Slow clients: a request must be complete within `timeout` seconds, else
 * its connection is closed. Every request in flight has an entry in one
 * queue, oldest first (all share one timeout, so that is also deadline
 * order), and one source wakes at the oldest deadline: a timer source per
 * request would cost an allocation, two context locks and a check in every
 * main-loop iteration. */
typedef struct
{
  GList link; /* in server->in_flight while queued */
  GstSensorStreamServer *server;
  SoupServerMessage *msg;
  gint64 deadline;
  gboolean queued;
} InFlight;

struct _GstSensorStreamServer
{
  GstSensorStreamServerCallbacks cb;
  gpointer user_data;

  /* the server thread only, after start */
  gchar *address;
  guint port;
  gchar *token;
  guint max_body;
  guint timeout;
  guint max_connections;
  guint idle_timeout;
  guint max_clock_skew;
  guint max_reading_age;
  GstSensorStreamRateLimiter *limiter;
  GstSensorStreamFallDetector *falls;
  GQueue in_flight;
  GSource *sweep;

  GThread *thread;
  GMainContext *context;
  gint stopping; /* atomic */
  gint draining; /* atomic */
  GMutex start_lock;
  GCond start_cond;
  gboolean start_done;
  GError *start_error;
  guint16 bound_port;

  GMutex lock; /* the listener pointer, for stats */
  GstSensorNetHttpListener *listener;
  GstSensorNetHttpListenerStats last_listener_stats;

  /* atomic counters */
  guint64 requests, invalid, unauthorized, rate_limited, refused, timeouts;
};

static GQuark timeout_quark;

static void
count (guint64 *counter)
{
  __atomic_fetch_add (counter, 1, __ATOMIC_RELAXED);
}

static void
respond (SoupServerMessage *msg, guint status, gchar *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (
      msg, "application/json", SOUP_MEMORY_TAKE, body, strlen (body));
}

static void
digest (const gchar *s, gsize len, guint8 out[32])
{
  GChecksum *c = g_checksum_new (G_CHECKSUM_SHA256);
  gsize n = 32;

  g_checksum_update (c, (const guchar *) s, len);
  g_checksum_get_digest (c, out, &n);
  g_checksum_free (c);
}

/* Compares digests rather than the strings so that neither the token's
 * content nor its length shows in the time taken. */
static gboolean
token_matches (const gchar *header, const gchar *token)
{
  guint8 a[32], b[32];
  guint8 diff = 0;
  guint i;

  if (header == NULL || g_ascii_strncasecmp (header, "Bearer ", 7) != 0)
    return FALSE;
  header += 7;
  while (*header == ' ')
    header++;
  digest (header, strlen (header), a);
  digest (token, strlen (token), b);
  for (i = 0; i < 32; i++)
    diff |= a[i] ^ b[i];
  return diff == 0;
}

static void
discard_body (SoupServerMessage *msg)
{
  /* the body, if any, is read and thrown away */
  soup_message_body_set_accumulate (
      soup_server_message_get_request_body (msg), FALSE);
  soup_message_body_truncate (soup_server_message_get_request_body (msg));
}

static void
refuse (GstSensorStreamServer *self, SoupServerMessage *msg, guint status,
    const gchar *error)
{
  count (status == SOUP_STATUS_UNAUTHORIZED ? &self->unauthorized :
                                              &self->refused);
  respond (msg, status, gst_sensor_stream_error_body (error));
  discard_body (msg);
}

static void
set_header (SoupServerMessage *msg, const gchar *name, const gchar *value)
{
  soup_message_headers_replace (
      soup_server_message_get_response_headers (msg), name, value);
}

static void on_got_chunk (
    SoupServerMessage *msg, GBytes *chunk, gpointer user_data);

/* A whole response that closes its connection, written past libsoup. */
static GBytes *
raw_response (guint status, const gchar *error, const gchar *extra_headers)
{
  gchar *body = gst_sensor_stream_error_body (error);
  gchar *text = g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                                 "Content-Type: application/json\r\n"
                                 "Content-Length: %u\r\n%s"
                                 "Connection: close\r\n\r\n%s",
      status, soup_status_get_phrase (status), (guint) strlen (body),
      extra_headers ? extra_headers : "", body);

  g_free (body);
  return g_bytes_new_take (text, strlen (text));
}

/* Answers @msg at once and closes its connection, without reading the rest
 * of its body (libsoup answers only after the body). */
static void
refuse_now (GstSensorStreamServer *self, SoupServerMessage *msg, guint status,
    const gchar *error)
{
  GBytes *bytes = raw_response (status, error, NULL);
  gboolean taken;

  /* counted first: the client may read the stats as soon as it has the
   * answer */
  count (status == SOUP_STATUS_BAD_REQUEST ? &self->invalid : &self->refused);
  taken =
      gst_sensor_net_http_listener_reply_and_close (self->listener, msg, bytes);
  g_bytes_unref (bytes);
  if (taken) {
    /* libsoup dropped the message: its deadline no longer applies */
    g_object_set_qdata (G_OBJECT (msg), timeout_quark, NULL);
    return;
  }
  /* not our connection: libsoup answers after the body */
  set_header (msg, "Connection", "close");
  respond (msg, status, gst_sensor_stream_error_body (error));
  if (status != SOUP_STATUS_BAD_REQUEST)
    discard_body (msg);
}

/* Content-Length must be one decimal number, however many times it is
 * sent; libsoup would read "abc" as 0 and "-5" as a huge length and wait
 * for that body. */
static gboolean
content_length_valid (SoupMessageHeaders *headers)
{
  const gchar *list = soup_message_headers_get_list (headers, "Content-Length");
  gchar **values;
  guint64 first = 0, v;
  gboolean ok = TRUE;
  guint i;

  if (list == NULL)
    return TRUE;
  values = g_strsplit (list, ",", -1);
  for (i = 0; ok && values[i]; i++) {
    gchar *t = g_strstrip (values[i]);

    ok = *t != '\0' && strspn (t, "0123456789") == strlen (t) &&
        g_ascii_string_to_unsigned (t, 10, 0, G_MAXINT64, &v, NULL) &&
        (i == 0 || v == first);
    if (i == 0)
      first = v;
  }
  ok &= i > 0;
  g_strfreev (values);
  return ok;
}

/* Everything that can be decided from the headers, before the body is read
 * (and, with Expect: 100-continue, before it is even sent). */
static void
early_handler (SoupServer *server, SoupServerMessage *msg, const char *path,
    GHashTable *query, gpointer user_data)
{
  GstSensorStreamServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const gchar *content_type;
  goffset length;

  count (&self->requests);
  if (g_atomic_int_get (&self->draining)) {
    /* a balancer moves the device elsewhere; the connection goes too */
    set_header (msg, "Retry-After", "1");
    set_header (msg, "Connection", "close");
    refuse (self, msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "Service draining");
    return;
  }
  if (strcmp (path, STREAM_PATH) != 0 && strcmp (path, BATCH_PATH) != 0) {
    refuse (self, msg, SOUP_STATUS_NOT_FOUND, "Not found");
    return;
  }
  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST) {
    set_header (msg, "Allow", "POST");
    refuse (self, msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method not allowed");
    return;
  }
  if (self->token &&
      !token_matches (soup_message_headers_get_one (headers, "Authorization"),
          self->token)) {
    set_header (msg, "WWW-Authenticate", "Bearer");
    refuse (self, msg, SOUP_STATUS_UNAUTHORIZED, "Unauthorized");
    return;
  }
  content_type = soup_message_headers_get_content_type (headers, NULL);
  if (content_type == NULL ||
      g_ascii_strcasecmp (content_type, "application/json") != 0) {
    refuse (self, msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
        "Content-Type must be application/json");
    return;
  }
  if (!content_length_valid (headers)) {
    refuse_now (self, msg, SOUP_STATUS_BAD_REQUEST, "Invalid Content-Length");
    return;
  }
  if (soup_message_headers_get_encoding (headers) !=
      SOUP_ENCODING_CONTENT_LENGTH)
    g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk), self);
  length = soup_message_headers_get_content_length (headers);
  if (soup_message_headers_get_encoding (headers) ==
          SOUP_ENCODING_CONTENT_LENGTH &&
      length > (goffset) self->max_body) {
    refuse (
        self, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "Payload too large");
    return;
  }
}

static GArray *
parse (GstSensorStreamServer *self, SoupServerMessage *msg, gboolean batch)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  GstSensorStreamDetails details;
  GstSensorStreamParseResult res;
  GArray *readings = NULL;
  GBytes *bytes;
  const gchar *data;
  gsize size;

  bytes = soup_message_body_flatten (body);
  data = g_bytes_get_data (bytes, &size);
  if (size > self->max_body) {
    g_bytes_unref (bytes);
    refuse (
        self, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "Payload too large");
    return NULL;
  }

  gst_sensor_stream_details_init (&details);
  if (batch) {
    res = gst_sensor_stream_parse_batch (data, size, &readings, &details);
  } else {
    GstSensorStreamReading r;

    res = gst_sensor_stream_parse_reading (data, size, &r, &details);
    if (res == GST_SENSOR_STREAM_PARSE_OK) {
      readings = g_array_new (FALSE, FALSE, sizeof (r));
      g_array_append_val (readings, r);
    }
  }
  g_bytes_unref (bytes);

  /* a device clock far off would hold a syncing branch (or overflow) */
  if (res == GST_SENSOR_STREAM_PARSE_OK &&
      !gst_sensor_stream_check_clock (readings, batch, g_get_real_time (),
          self->max_clock_skew, self->max_reading_age, &details)) {
    res = GST_SENSOR_STREAM_PARSE_INVALID;
    g_clear_pointer (&readings, g_array_unref);
  }

  if (res != GST_SENSOR_STREAM_PARSE_OK) {
    count (&self->invalid);
    respond (msg, SOUP_STATUS_BAD_REQUEST,
        res == GST_SENSOR_STREAM_PARSE_INVALID_JSON ?
            gst_sensor_stream_error_body ("Invalid JSON") :
            gst_sensor_stream_validation_body (&details));
  }
  gst_sensor_stream_details_clear (&details);
  return readings;
}

static void
handler (SoupServer *server, SoupServerMessage *msg, const char *path,
    GHashTable *query, gpointer user_data)
{
  GstSensorStreamServer *self = user_data;
  GArray *readings;
  GstSensorStreamAdmit verdict;
  gboolean batch = strcmp (path, BATCH_PATH) == 0, fall_any = FALSE;
  gdouble confidence = 0.0;
  gint health = 100;
  gint64 retry_us = 0, next_us = 0, now_us;
  const gchar *device;
  guint i;

  readings = parse (self, msg, batch);
  if (readings == NULL)
    return;

  device = g_array_index (readings, GstSensorStreamReading, 0).device_id;
  verdict = self->cb.admit (device, self->user_data);
  if (verdict != GST_SENSOR_STREAM_ADMIT_OK) {
    static const gchar *const errors[] = { NULL, "Not streaming",
      "Too many devices", "Device restarting", "Device unavailable" };

    /* a device over the limit would not get in a second later either */
    if (verdict != GST_SENSOR_STREAM_ADMIT_TOO_MANY_DEVICES)
      set_header (msg, "Retry-After", "1");
    refuse (self, msg, SOUP_STATUS_SERVICE_UNAVAILABLE, errors[verdict]);
    g_array_unref (readings);
    return;
  }

  /* one token per request, a batch included */
  if (self->limiter &&
      !gst_sensor_stream_rate_limiter_acquire (
          self->limiter, device, &retry_us, &next_us)) {
    gint64 retry_ms = (retry_us + 999) / 1000;
    gchar secs[24];

    g_snprintf (secs, sizeof (secs), "%" G_GINT64_FORMAT,
        MAX ((retry_ms + 999) / 1000, 1));
    set_header (msg, "Retry-After", secs);
    count (&self->rate_limited);
    respond (msg, 429 /* Too Many Requests */,
        gst_sensor_stream_rate_limit_body (retry_ms));
    g_array_unref (readings);
    return;
  }

  now_us = g_get_real_time ();
  for (i = 0; i < readings->len; i++) {
    GstSensorStreamReading *r =
        &g_array_index (readings, GstSensorStreamReading, i);
    GstSensorStreamFallResult fall;

    gst_sensor_stream_fall_detector_process (self->falls, r, &fall);
    fall_any |= fall.detected;
    confidence = MAX (confidence, fall.confidence);
    health = gst_sensor_stream_health_score (r);
    self->cb.reading (r, &fall, self->user_data);
  }
  if (self->cb.readings_done)
    self->cb.readings_done (device, self->user_data);

  respond (msg, SOUP_STATUS_OK,
      gst_sensor_stream_success_body (device, now_us, fall_any, confidence,
          health, now_us + next_us, batch ? (gint) readings->len : 0));
  g_array_unref (readings);
}

/* A chunked body has no length up front: stop keeping it once it passes the
 * limit. */
static void
on_got_chunk (SoupServerMessage *msg, GBytes *chunk, gpointer user_data)
{
  GstSensorStreamServer *self = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  if (soup_server_message_get_status (msg) == 0 &&
      body->length > (goffset) self->max_body)
    refuse_now (
        self, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "Payload too large");
}

/* the message's qdata is dropped (request read or done) or it is freed */
static void
in_flight_free (InFlight *entry)
{
  if (entry->queued)
    g_queue_unlink (&entry->server->in_flight, &entry->link);
  g_slice_free (InFlight, entry);
}

static void
cancel_timeout (SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
  g_object_set_qdata (G_OBJECT (msg), timeout_quark, NULL);
}

static gboolean
sweep_dispatch (GSource *source, GSourceFunc callback, gpointer user_data)
{
  GstSensorStreamServer *self = user_data;
  gint64 now = g_get_monotonic_time ();
  GList *head;

  while ((head = self->in_flight.head) != NULL) {
    InFlight *entry = head->data;
    GSocket *sock;

    if (entry->deadline > now)
      break;
    g_queue_unlink (&self->in_flight, head);
    entry->queued = FALSE;
    g_debug ("request not complete after %u s: closing", self->timeout);
    count (&self->timeouts);
    sock = soup_server_message_get_socket (entry->msg);
    if (sock)
      g_socket_shutdown (sock, TRUE, TRUE, NULL);
    else if (self->listener)
      gst_sensor_net_http_listener_close_connection (
          self->listener, entry->msg);
  }
  head = self->in_flight.head;
  g_source_set_ready_time (
      source, head ? ((InFlight *) head->data)->deadline : -1);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs sweep_funcs = {
  NULL,
  NULL,
  sweep_dispatch,
  NULL,
  NULL,
  NULL,
};

static void
on_request_started (
    SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
  GstSensorStreamServer *self = user_data;
  InFlight *entry = g_slice_new (InFlight);

  entry->server = self;
  entry->msg = msg;
  entry->deadline =
      g_get_monotonic_time () + (gint64) self->timeout * G_USEC_PER_SEC;
  entry->queued = TRUE;
  entry->link.data = entry;
  entry->link.prev = entry->link.next = NULL;
  g_queue_push_tail_link (&self->in_flight, &entry->link);
  if (g_source_get_ready_time (self->sweep) == -1)
    g_source_set_ready_time (self->sweep, entry->deadline);
  g_object_set_qdata_full (
      G_OBJECT (msg), timeout_quark, entry, (GDestroyNotify) in_flight_free);
}

static void
on_listener_state (GstSensorNetHttpListener *listener, gboolean accepting,
    const GError *error, gpointer user_data)
{
  GstSensorStreamServer *self = user_data;

  if (self->cb.listener_state)
    self->cb.listener_state (accepting, error, self->user_data);
}

static gpointer
server_thread (gpointer user_data)
{
  GstSensorStreamServer *self = user_data;
  SoupServer *server;
  GSocketAddress *addr;
  GError *error = NULL;
  gboolean ok;

  g_main_context_push_thread_default (self->context);
  g_queue_init (&self->in_flight);
  self->sweep = g_source_new (&sweep_funcs, sizeof (GSource));
  g_source_set_callback (self->sweep, NULL, self, NULL);
  g_source_attach (self->sweep, self->context);

  server = soup_server_new ("server-header", "rpsensorsrc ", NULL);
  soup_server_add_early_handler (server, NULL, early_handler, self, NULL);
  soup_server_add_handler (server, NULL, handler, self, NULL);
  g_signal_connect (
      server, "request-started", G_CALLBACK (on_request_started), self);
  /* server-wide rather than per message: cheaper per request */
  g_signal_connect (server, "request-read", G_CALLBACK (cancel_timeout), NULL);
  g_signal_connect (
      server, "request-finished", G_CALLBACK (cancel_timeout), NULL);
  g_signal_connect (
      server, "request-aborted", G_CALLBACK (cancel_timeout), NULL);

  addr = g_inet_socket_address_new_from_string (self->address, self->port);
  if (addr == NULL) {
    g_set_error (&error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "Invalid address '%s'", self->address);
  } else {
    GstSensorNetHttpListener *listener = gst_sensor_net_http_listener_new (
        server, addr, self->max_connections, self->idle_timeout, &error);

    if (listener) {
      GBytes *refusal = raw_response (SOUP_STATUS_SERVICE_UNAVAILABLE,
          "Too many connections", "Retry-After: 1\r\n");

      gst_sensor_net_http_listener_set_refusal (listener, refusal);
      g_bytes_unref (refusal);
      gst_sensor_net_http_listener_set_state_func (
          listener, on_listener_state, self);
      self->bound_port = gst_sensor_net_http_listener_get_port (listener);
      g_mutex_lock (&self->lock);
      self->listener = listener;
      g_mutex_unlock (&self->lock);
    }
  }
  ok = self->listener != NULL;
  g_clear_object (&addr);

  g_mutex_lock (&self->start_lock);
  self->start_error = error;
  self->start_done = TRUE;
  g_cond_signal (&self->start_cond);
  g_mutex_unlock (&self->start_lock);

  /* a flag rather than a GMainLoop: a quit that comes before the loop
   * runs would be lost */
  while (ok && !g_atomic_int_get (&self->stopping))
    g_main_context_iteration (self->context, TRUE);

  if (self->listener) {
    GstSensorNetHttpListener *listener = self->listener;

    g_mutex_lock (&self->lock);
    gst_sensor_net_http_listener_get_stats (
        listener, &self->last_listener_stats);
    /* soup_server_disconnect() closes them */
    self->last_listener_stats.open = 0;
    self->listener = NULL;
    g_mutex_unlock (&self->lock);
    gst_sensor_net_http_listener_free (listener);
  }
  soup_server_disconnect (server);
  g_object_unref (server);
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_source_destroy (self->sweep);
  g_clear_pointer (&self->sweep, g_source_unref);
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

/**
 * gst_sensor_stream_is_loopback:
 * @address: an IP address or "localhost"
 *
 * Returns: whether @address is a loopback address
 */
gboolean
gst_sensor_stream_is_loopback (const gchar *address)
{
  GInetAddress *a;
  gboolean loopback;

  if (g_ascii_strcasecmp (address, "localhost") == 0)
    return TRUE;
  a = g_inet_address_new_from_string (address);
  if (a == NULL)
    return FALSE;
  loopback = g_inet_address_get_is_loopback (a);
  g_object_unref (a);
  return loopback;
}

static gint64
monotonic_clock (gpointer user_data)
{
  return g_get_monotonic_time ();
}

/**
 * gst_sensor_stream_server_new:
 * @config: what to serve
 * @callbacks: the owner's callbacks (copied); @admit and @reading are
 *   required
 * @user_data: (closure): passed to the callbacks
 * @error: (nullable): a #GST_SENSOR_STREAM_SERVER_ERROR
 *
 * Starts the server thread and binds; returns once it listens (or failed).
 *
 * Returns: (transfer full) (nullable): the running server, or NULL with
 *   @error set
 */
GstSensorStreamServer *
gst_sensor_stream_server_new (const GstSensorStreamServerConfig *config,
    const GstSensorStreamServerCallbacks *callbacks, gpointer user_data,
    GError **error)
{
  GstSensorStreamServer *self;
  const gchar *address = config->address ? config->address : "127.0.0.1";
  gboolean have_token = config->auth_token && *config->auth_token;

  g_return_val_if_fail (callbacks->admit && callbacks->reading, NULL);

  if (!have_token && !gst_sensor_stream_is_loopback (address)) {
    g_set_error (error, GST_SENSOR_STREAM_SERVER_ERROR,
        GST_SENSOR_STREAM_SERVER_ERROR_SETTINGS,
        "Refusing to listen on %s without an auth-token", address);
    return NULL;
  }
  if (timeout_quark == 0)
    timeout_quark = g_quark_from_static_string ("sensorstream-timeout");

  self = g_new0 (GstSensorStreamServer, 1);
  self->cb = *callbacks;
  self->user_data = user_data;
  self->address = g_strdup (
      g_ascii_strcasecmp (address, "localhost") == 0 ? "127.0.0.1" : address);
  self->port = config->port;
  self->token = have_token ? g_strdup (config->auth_token) : NULL;
  self->max_body = config->max_body_size;
  self->timeout = config->timeout;
  self->max_connections = config->max_connections;
  self->idle_timeout = config->idle_timeout;
  self->max_clock_skew = config->max_clock_skew;
  self->max_reading_age = config->max_reading_age;
  self->limiter = config->rate_limit > 0 ?
      gst_sensor_stream_rate_limiter_new (config->rate_limit,
          config->rate_burst,
          callbacks->clock ? callbacks->clock : monotonic_clock, user_data) :
      NULL;
  self->falls = gst_sensor_stream_fall_detector_new (config->sensitivity);
  g_mutex_init (&self->lock);
  g_mutex_init (&self->start_lock);
  g_cond_init (&self->start_cond);
  self->context = g_main_context_new ();
  /* thousands of keep-alive devices: one poll per interval, not per post */
  gst_sensor_net_context_set_paced (self->context);
  self->thread = g_thread_new ("sensorstream", server_thread, self);

  g_mutex_lock (&self->start_lock);
  while (!self->start_done)
    g_cond_wait (&self->start_cond, &self->start_lock);
  g_mutex_unlock (&self->start_lock);

  if (self->start_error) {
    g_set_error (error, GST_SENSOR_STREAM_SERVER_ERROR,
        GST_SENSOR_STREAM_SERVER_ERROR_LISTEN, "%s",
        self->start_error->message);
    gst_sensor_stream_server_free (self);
    return NULL;
  }
  return self;
}

/**
 * gst_sensor_stream_server_stop:
 * @server: a server
 *
 * Stops the server thread, closing every connection; no callback is called
 * after it returns. Its stats stay readable. Idempotent.
 */
void
gst_sensor_stream_server_stop (GstSensorStreamServer *server)
{
  if (server->thread) {
    g_atomic_int_set (&server->stopping, 1);
    g_main_context_wakeup (server->context);
    g_thread_join (server->thread);
    server->thread = NULL;
  }
}

/**
 * gst_sensor_stream_server_free:
 * @server: (transfer full): a server
 *
 * Stops @server (gst_sensor_stream_server_stop()) and frees it. Sources
 * attached to its context and not yet run are destroyed.
 */
void
gst_sensor_stream_server_free (GstSensorStreamServer *server)
{
  gst_sensor_stream_server_stop (server);
  g_main_context_unref (server->context);
  g_clear_error (&server->start_error);
  g_clear_pointer (&server->limiter, gst_sensor_stream_rate_limiter_free);
  g_clear_pointer (&server->falls, gst_sensor_stream_fall_detector_free);
  gst_sensor_secret_clear (&server->token);
  g_free (server->address);
  g_mutex_clear (&server->lock);
  g_mutex_clear (&server->start_lock);
  g_cond_clear (&server->start_cond);
  g_free (server);
}

/**
 * gst_sensor_stream_server_get_port:
 * @server: a server
 *
 * Returns: the bound TCP port
 */
guint16
gst_sensor_stream_server_get_port (GstSensorStreamServer *server)
{
  return server->bound_port;
}

/**
 * gst_sensor_stream_server_get_context:
 * @server: a server
 *
 * The context of the server thread: sources attached to it run on the
 * thread that calls the callbacks, so they need no lock against them.
 *
 * Returns: (transfer none): the server's #GMainContext
 */
GMainContext *
gst_sensor_stream_server_get_context (GstSensorStreamServer *server)
{
  return server->context;
}

/**
 * gst_sensor_stream_server_set_draining:
 * @server: a server
 * @draining: whether to refuse new requests
 *
 * While draining, every new request is answered 503
 * `{"success":false,"error":"Service draining"}` with `Retry-After: 1` and
 * `Connection: close`; readings already handed over are not affected.
 */
void
gst_sensor_stream_server_set_draining (
    GstSensorStreamServer *server, gboolean draining)
{
  g_atomic_int_set (&server->draining, draining);
}

/**
 * gst_sensor_stream_server_get_stats:
 * @server: a server
 * @stats: (out caller-allocates): filled in
 *
 * A snapshot of the counters; callable from any thread.
 */
void
gst_sensor_stream_server_get_stats (
    GstSensorStreamServer *server, GstSensorStreamServerStats *stats)
{
  stats->requests = __atomic_load_n (&server->requests, __ATOMIC_RELAXED);
  stats->invalid = __atomic_load_n (&server->invalid, __ATOMIC_RELAXED);
  stats->unauthorized =
      __atomic_load_n (&server->unauthorized, __ATOMIC_RELAXED);
  stats->rate_limited =
      __atomic_load_n (&server->rate_limited, __ATOMIC_RELAXED);
  stats->refused = __atomic_load_n (&server->refused, __ATOMIC_RELAXED);
  stats->timeouts = __atomic_load_n (&server->timeouts, __ATOMIC_RELAXED);
  g_mutex_lock (&server->lock);
  if (server->listener)
    gst_sensor_net_http_listener_get_stats (server->listener, &stats->listener);
  else
    stats->listener = server->last_listener_stats;
  g_mutex_unlock (&server->lock);
}
