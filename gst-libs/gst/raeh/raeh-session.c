/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:raeh-session
 * @title: GstRaehSession
 * @short_description: the /stream/ingest session policy of one device
 *
 * The session of raehsink, over the shared #GstSensorNetWsClient:
 * handshake, close policy, the time-bounded send queue, reconnection
 * bookkeeping, drain and close at EOS, counters. No GstElement here: the
 * owner turns the #GstRaehSessionCallbacks into bus messages.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <gst/sensor/sensor-counters.h>
#include <gst/sensornet/sensornet-failure.h>

#include "raeh-session.h"

GST_DEBUG_CATEGORY_STATIC (raeh_session_debug);
#define GST_CAT_DEFAULT raeh_session_debug

/* bytes handed to the client that the socket has not taken yet */
#define MAX_CLIENT_BACKLOG (32 * 1024)

typedef enum {
  CONN_IDLE,       /* not started */
  CONN_CONNECTING, /* socket not open or no handshake yet */
  CONN_READY,      /* handshake read: frames may go */
  CONN_FATAL,      /* failed for good, no more connections */
  CONN_STOPPING,   /* going down */
} ConnState;

/* One frame waiting for a session, in one allocation with its wire bytes.
 * The slot byte is written at send time from the current manifest. Once
 * handed to the client, @wire owns the frame and frees it with the last
 * reference. */
typedef struct
{
  GBytes *wire;
  const gchar *modality; /* interned */
  gint64 t0_ms;
  gint64 end_ms;
  gsize size;
  guint8 data[];
} QueuedFrame;

/* the session's counters, named as every element names them */
enum {
  COUNTER_FRAMES_SENT,
  COUNTER_BYTES_SENT,
  COUNTER_DROPPED,
  COUNTER_DROPPED_BYTES,
  COUNTER_RECONNECTS,
  COUNTER_FAILURES,
  COUNTER_OVERSIZED,
  N_COUNTERS,
};

static const GstSensorCounterInfo counter_info[N_COUNTERS] = {
  { "frames-sent", "frames handed to the connection" },
  { "bytes-sent", "their bytes" },
  { "dropped", "frames dropped by the queue, oldest first" },
  { "dropped-bytes", "their bytes" },
  { "reconnects", "reconnect attempts started" },
  { "failures", "transient connection failures" },
  { "oversized-messages", "connections closed for a message too large" },
};

struct _GstRaehSession
{
  GstRaehSessionCallbacks cb;
  gpointer user_data;

  GMutex lock;
  GCond cond;
  guint cond_waiters; /* threads in cond_wait*(): a broadcast without any
                       * is a system call for nothing */
  GstSensorNetWsClient *client;
  GMainContext *net_context;
  ConnState state;
  guint timeout_s;                /* for the handshake */
  GstClockTime max_buffer_time;   /* of the queue */
  GstRaehManifest *manifest;      /* current session, NULL between sessions */
  GstRaehManifest *last_manifest; /* for caps while reconnecting */
  GQueue queue;                   /* QueuedFrame */
  gsize queued_bytes;
  gboolean flush_scheduled;
  gboolean sending; /* a batch is out of the queue, not yet handed over */
  GSource *handshake_timer;
  gchar *last_error;      /* why the last connection attempt ended */
  guint failures_in_row;  /* transient failures; 0 after a handshake */
  gboolean closed_at_eos; /* gst_raeh_session_finish() closed it */

  /* stats */
  GstSensorCounters *counters; /* COUNTER_*, since the last start */
  guint sessions;
  gint last_close_code;
  gchar *last_close_reason;
  guint last_http_status;
};

static QueuedFrame *
queued_frame_new (const guint8 *data, gsize size)
{
  QueuedFrame *f = g_malloc (sizeof (QueuedFrame) + size);

  f->wire = NULL;
  f->size = size;
  memcpy (f->data, data, size);
  return f;
}

static void
queued_frame_free (QueuedFrame *f)
{
  if (f->wire)
    g_bytes_unref (f->wire); /* frees f */
  else
    g_free (f);
}

/* The frame's bytes for the client, without a copy. */
static GBytes *
queued_frame_get_wire (QueuedFrame *f)
{
  if (f->wire == NULL)
    f->wire = g_bytes_new_with_free_func (f->data, f->size, g_free, f);
  return f->wire;
}

static void
cond_wait_locked (GstRaehSession *s)
{
  s->cond_waiters++;
  g_cond_wait (&s->cond, &s->lock);
  s->cond_waiters--;
}

static gboolean
cond_wait_until_locked (GstRaehSession *s, gint64 end_time)
{
  gboolean signalled;

  s->cond_waiters++;
  signalled = g_cond_wait_until (&s->cond, &s->lock, end_time);
  s->cond_waiters--;
  return signalled;
}

static void
on_cancelled (GCancellable *cancellable, GstRaehSession *s)
{
  g_mutex_lock (&s->lock);
  g_cond_broadcast (&s->cond);
  g_mutex_unlock (&s->lock);
}

/* A cancellable wakes the waits of its own calls only. */
static gulong
watch_cancellable (GstRaehSession *s, GCancellable *cancellable)
{
  if (cancellable == NULL)
    return 0;
  return g_cancellable_connect (
      cancellable, G_CALLBACK (on_cancelled), s, NULL);
}

static gboolean
is_cancelled (GCancellable *cancellable)
{
  return cancellable && g_cancellable_is_cancelled (cancellable);
}

static void
drop_queue_locked (GstRaehSession *s)
{
  g_queue_clear_full (&s->queue, (GDestroyNotify) queued_frame_free);
  s->queued_bytes = 0;
}

/* Sources on the network thread hold a reference: one may still be queued
 * when the owner frees the session. */
static GstRaehSession *
session_ref (GstRaehSession *s)
{
  return g_atomic_rc_box_acquire (s);
}

static void
session_clear (GstRaehSession *s)
{
  g_free (s->last_error);
  g_free (s->last_close_reason);
  gst_sensor_counters_free (s->counters);
  gst_raeh_manifest_free (s->last_manifest);
  if (s->net_context)
    gst_sensor_net_context_unref (s->net_context);
  g_mutex_clear (&s->lock);
  g_cond_clear (&s->cond);
}

static void
session_unref (GstRaehSession *s)
{
  g_atomic_rc_box_release_full (s, (GDestroyNotify) session_clear);
}

/* ---- failures and state ---- */

static void
report_state (GstRaehSession *s, const gchar *state, guint attempt,
    GstClockTime delay, const gchar *reason,
    const GstSensorNetWsCloseInfo *info)
{
  if (s->cb.state)
    s->cb.state (s, state, attempt, delay, reason, info, s->user_data);
}

/* Streaming calls return FATAL from here on, before the owner hears. */
static void
set_fatal (GstRaehSession *s)
{
  g_mutex_lock (&s->lock);
  if (s->state != CONN_STOPPING)
    s->state = CONN_FATAL;
  g_cond_broadcast (&s->cond);
  g_mutex_unlock (&s->lock);
}

static void
fail (GstRaehSession *s, GstRaehSessionFailure kind, const gchar *reason,
    const GstSensorNetWsCloseInfo *info, guint failures)
{
  set_fatal (s);
  if (s->cb.failed)
    s->cb.failed (s, kind, reason, info, failures, s->user_data);
}

/* ---- sending ---- */

static void flush_queue (GstRaehSession *s);

static gboolean
flush_queue_cb (gpointer user_data)
{
  flush_queue (user_data);
  return G_SOURCE_REMOVE;
}

static void
schedule_flush_locked (GstRaehSession *s, GSource *src)
{
  s->flush_scheduled = TRUE;
  g_source_set_priority (src, G_PRIORITY_DEFAULT);
  g_source_set_callback (
      src, flush_queue_cb, session_ref (s), (GDestroyNotify) session_unref);
  g_source_attach (src, s->net_context);
  g_source_unref (src);
}

/* Sends queued frames in order. Runs on the network thread only, so order
 * is kept. Frames go in batches of up to the backlog the client may hold,
 * taken under the lock and handed over without it, because the client may
 * report a close from inside send(). Producers do not wake this thread
 * again while it runs (flush_scheduled stays set): it goes on until the
 * queue is empty under the lock. */
static void
flush_queue (GstRaehSession *s)
{
  GQueue batch = G_QUEUE_INIT;
  gboolean backlog = FALSE;

  g_mutex_lock (&s->lock);
  while (s->state == CONN_READY && !g_queue_is_empty (&s->queue)) {
    GstSensorNetWsClient *client = s->client;
    gsize pending, taken = 0;
    QueuedFrame *f;

    /* Frames stay here, where a reconnect keeps them, while the client
     * still has a backlog for the socket: a dropped connection then loses
     * at most that backlog (none at real-time rates), not the queue. */
    g_mutex_unlock (&s->lock);
    pending = gst_sensor_net_ws_client_get_pending_bytes (client);
    g_mutex_lock (&s->lock);
    if (pending > MAX_CLIENT_BACKLOG) {
      backlog = TRUE;
      break;
    }
    if (s->state != CONN_READY)
      break;
    while ((f = g_queue_peek_head (&s->queue)) != NULL &&
        (taken == 0 || pending + taken + f->size <= MAX_CLIENT_BACKLOG)) {
      const GstRaehSlot *slot;

      g_queue_pop_head (&s->queue);
      s->queued_bytes -= f->size;
      slot = gst_raeh_manifest_find_modality (s->manifest, f->modality);
      if (slot == NULL) {
        /* the owner checks at caps and handshake time; cannot happen */
        gst_sensor_counters_add (s->counters, COUNTER_DROPPED, 1);
        gst_sensor_counters_add (s->counters, COUNTER_DROPPED_BYTES, f->size);
        queued_frame_free (f);
        continue;
      }
      /* only the queue holds the frame: written in place */
      f->data[0] = (guint8) slot->slot_id;
      taken += f->size;
      g_queue_push_tail (&batch, f);
    }
    /* counted before they leave: on this thread libsoup writes them inside
     * send_batch(), and the stats must not lag what the server has */
    gst_sensor_counters_add (s->counters, COUNTER_FRAMES_SENT, batch.length);
    gst_sensor_counters_add (s->counters, COUNTER_BYTES_SENT, taken);
    s->sending = TRUE;
    g_mutex_unlock (&s->lock);

    if (!g_queue_is_empty (&batch)) {
      GBytes **wires = g_new (GBytes *, batch.length);
      guint n = 0;
      GList *l;

      for (l = batch.head; l; l = l->next)
        wires[n++] = queued_frame_get_wire (l->data);
      /* all or none; on this thread libsoup has them when it returns */
      if (gst_sensor_net_ws_client_send_batch (
              client, SOUP_WEBSOCKET_DATA_BINARY, wires, n)) {
        /* the client holds the frames now */
        while ((f = g_queue_pop_head (&batch)) != NULL)
          g_bytes_unref (f->wire);
      }
      g_free (wires);
    }

    g_mutex_lock (&s->lock);
    s->sending = FALSE;
    if (!g_queue_is_empty (&batch)) {
      /* not connected after all (none went): not sent, and first in line
       * again, in order */
      gst_sensor_counters_sub (s->counters, COUNTER_FRAMES_SENT, batch.length);
      gst_sensor_counters_sub (s->counters, COUNTER_BYTES_SENT, taken);
      s->queued_bytes += taken;
      while ((f = g_queue_pop_tail (&batch)) != NULL)
        g_queue_push_head (&s->queue, f);
      break;
    }
  }
  s->flush_scheduled = FALSE;
  /* come back once the socket has taken the last one */
  if (backlog && s->net_context)
    schedule_flush_locked (s, g_timeout_source_new (1));
  /* runs once per batch: wake only a streaming thread that waits for
   * room in the queue or for the drain at EOS */
  if (s->cond_waiters > 0)
    g_cond_broadcast (&s->cond);
  g_mutex_unlock (&s->lock);
}

/* Batched with every other session's and client's flush: a wake-up of the
 * network thread per frame would poll every socket per frame. */
static void
wake_flush_locked (GstRaehSession *s)
{
  if (s->flush_scheduled || s->state != CONN_READY || s->net_context == NULL)
    return;
  s->flush_scheduled = TRUE;
  gst_sensor_net_context_invoke_batched (s->net_context, flush_queue_cb,
      session_ref (s), (GDestroyNotify) session_unref);
}

/* ---- network thread ---- */

static void
cancel_handshake_timer_locked (GstRaehSession *s)
{
  if (s->handshake_timer) {
    g_source_destroy (s->handshake_timer);
    g_source_unref (s->handshake_timer);
    s->handshake_timer = NULL;
  }
}

static gboolean
on_handshake_timeout (gpointer user_data)
{
  GstRaehSession *s = user_data;
  g_autofree gchar *msg = NULL;

  g_mutex_lock (&s->lock);
  if (s->handshake_timer == NULL || s->state != CONN_CONNECTING) {
    g_mutex_unlock (&s->lock);
    return G_SOURCE_REMOVE;
  }
  g_source_unref (s->handshake_timer);
  s->handshake_timer = NULL;
  msg =
      g_strdup_printf ("no handshake within %u s of connecting", s->timeout_s);
  g_mutex_unlock (&s->lock);

  fail (s, GST_RAEH_SESSION_FAILURE_HANDSHAKE, msg, NULL, 0);
  return G_SOURCE_REMOVE;
}

static void
on_opened (GstSensorNetWsClient *client, gpointer user_data)
{
  GstRaehSession *s = user_data;

  GST_INFO ("connected, waiting for the handshake");
  g_mutex_lock (&s->lock);
  cancel_handshake_timer_locked (s);
  if (s->timeout_s > 0 && s->state == CONN_CONNECTING) {
    s->handshake_timer = g_timeout_source_new_seconds (s->timeout_s);
    g_source_set_callback (s->handshake_timer, on_handshake_timeout,
        session_ref (s), (GDestroyNotify) session_unref);
    g_source_attach (s->handshake_timer, s->net_context);
  }
  g_mutex_unlock (&s->lock);
}

static void
on_handshake (GstRaehSession *s, GBytes *payload)
{
  g_autoptr (GError) err = NULL;
  g_autofree gchar *mismatch = NULL;
  GstRaehManifest *m;
  gsize size;
  const gchar *data = g_bytes_get_data (payload, &size);

  m = gst_raeh_manifest_parse (data, size, &err);
  if (m == NULL) {
    fail (s, GST_RAEH_SESSION_FAILURE_HANDSHAKE, err->message, NULL, 0);
    return;
  }

  g_mutex_lock (&s->lock);
  cancel_handshake_timer_locked (s);
  if (s->state != CONN_CONNECTING) {
    g_mutex_unlock (&s->lock);
    gst_raeh_manifest_free (m);
    return;
  }
  /* streams negotiated in an earlier session must still fit; under the
   * lock, so that no caps are checked against the old manifest meanwhile */
  if (s->cb.check_manifest)
    mismatch = s->cb.check_manifest (s, m, s->user_data);
  s->sessions++;
  if (!mismatch) {
    s->failures_in_row = 0;
    s->state = CONN_READY;
  }
  gst_raeh_manifest_free (s->manifest);
  gst_raeh_manifest_free (s->last_manifest);
  s->manifest = m;
  s->last_manifest = gst_raeh_manifest_copy (m);
  g_cond_broadcast (&s->cond);
  g_mutex_unlock (&s->lock);

  GST_INFO ("session %s", m->session_id);
  if (!mismatch)
    report_state (s, "connected", 0, 0, NULL, NULL);
  /* the network thread alone replaces the manifest */
  if (s->cb.session_started)
    s->cb.session_started (s, s->last_manifest, s->user_data);
  if (mismatch) {
    fail (s, GST_RAEH_SESSION_FAILURE_MISMATCH, mismatch, NULL, 0);
    return;
  }
  flush_queue (s);
}

static void
on_message (GstSensorNetWsClient *client, SoupWebsocketDataType type,
    GBytes *payload, gpointer user_data)
{
  GstRaehSession *s = user_data;
  gboolean have_manifest;

  g_mutex_lock (&s->lock);
  have_manifest = s->manifest != NULL;
  g_mutex_unlock (&s->lock);

  if (!have_manifest) {
    if (type == SOUP_WEBSOCKET_DATA_TEXT) {
      on_handshake (s, payload);
    } else {
      g_autofree gchar *what =
          g_strdup_printf ("a binary message (%" G_GSIZE_FORMAT
                           " bytes) came before the JSON handshake",
              g_bytes_get_size (payload));

      fail (s, GST_RAEH_SESSION_FAILURE_HANDSHAKE, what, NULL, 0);
    }
    return;
  }
  /* the server sends nothing while streaming: log and go on */
  GST_WARNING ("ignoring a %s message of %" G_GSIZE_FORMAT
               " bytes from the server",
      type == SOUP_WEBSOCKET_DATA_TEXT ? "text" : "binary",
      g_bytes_get_size (payload));
}

/* Close codes 4001 and 4004 first (fatal, the server's reason verbatim),
 * then the shared rule: fatal failures end the session at once, transient
 * ones are reported with their count in a row and retried per `retries`,
 * also before the first session. */
static GstSensorNetWsCloseAction
on_closed (GstSensorNetWsClient *client, const GstSensorNetWsCloseInfo *info,
    gpointer user_data)
{
  GstRaehSession *s = user_data;
  g_autofree gchar *session_id = NULL, *cause = NULL;
  const gchar *reason = info->close_reason ? info->close_reason : "";
  gboolean had_session, stopping;
  guint failures;

  cause = gst_sensor_net_failure_describe (info);
  g_mutex_lock (&s->lock);
  if (g_error_matches (info->error, SOUP_WEBSOCKET_ERROR, 1009))
    gst_sensor_counters_add (s->counters, COUNTER_OVERSIZED, 1);
  cancel_handshake_timer_locked (s);
  had_session = s->manifest != NULL;
  if (s->manifest)
    session_id = g_strdup (s->manifest->session_id);
  g_clear_pointer (&s->manifest, gst_raeh_manifest_free);
  stopping = s->state == CONN_STOPPING || s->state == CONN_FATAL;
  if (s->state == CONN_READY)
    s->state = CONN_CONNECTING;
  if (info->close_code) {
    s->last_close_code = info->close_code;
    g_free (s->last_close_reason);
    s->last_close_reason = g_strdup (reason);
  }
  s->last_http_status = info->http_status;
  g_free (s->last_error);
  s->last_error = g_strdup (cause);
  g_mutex_unlock (&s->lock);

  GST_INFO ("connection ended: code %u reason \"%s\" http %u error %s",
      info->close_code, reason, info->http_status,
      info->error ? info->error->message : "none");
  if (stopping)
    return GST_SENSOR_NET_WS_CLOSE_STOP;

  if ((had_session || info->close_code) && s->cb.session_ended)
    s->cb.session_ended (s, session_id, info, s->user_data);

  if (info->close_code == 4001 || info->close_code == 4004) {
    fail (s,
        info->close_code == 4001 ? GST_RAEH_SESSION_FAILURE_AUTH :
                                   GST_RAEH_SESSION_FAILURE_REFUSED,
        reason, info, 0);
    goto fatal;
  }
  if (gst_sensor_net_failure_classify (info) == GST_SENSOR_NET_FAILURE_FATAL ||
      gst_sensor_net_ws_close_info_is_tls_failure (info)) {
    fail (s, GST_RAEH_SESSION_FAILURE_NETWORK, cause, info, 0);
    goto fatal;
  }

  g_mutex_lock (&s->lock);
  failures = ++s->failures_in_row;
  gst_sensor_counters_add (s->counters, COUNTER_FAILURES, 1);
  g_mutex_unlock (&s->lock);
  report_state (s, "disconnected", 0, 0, cause, info);
  if (s->cb.transient)
    s->cb.transient (s, info, failures, s->user_data);
  return GST_SENSOR_NET_WS_CLOSE_RECONNECT;

fatal:
  report_state (s, "closed", 0, 0, cause, info);
  return GST_SENSOR_NET_WS_CLOSE_STOP;
}

static void
on_reconnecting (GstSensorNetWsClient *client, guint attempt,
    GstClockTime delay, gpointer user_data)
{
  GstRaehSession *s = user_data;
  g_autofree gchar *why = NULL;

  GST_INFO ("reconnect attempt %u in %" GST_TIME_FORMAT, attempt,
      GST_TIME_ARGS (delay));
  g_mutex_lock (&s->lock);
  gst_sensor_counters_add (s->counters, COUNTER_RECONNECTS, 1);
  why = g_strdup (s->last_error);
  g_mutex_unlock (&s->lock);
  report_state (s, "reconnecting", attempt, delay, why, NULL);
}

/* `retries` ran out: a failure naming the last cause. */
static void
on_gave_up (GstSensorNetWsClient *client, gpointer user_data)
{
  GstRaehSession *s = user_data;
  GstSensorNetWsCloseInfo info = { 0, "", 0, NULL };
  g_autofree gchar *why = NULL;
  gboolean report;
  guint failures;

  g_mutex_lock (&s->lock);
  report = s->state != CONN_FATAL && s->state != CONN_STOPPING;
  why = g_strdup (s->last_error ? s->last_error : "unknown");
  failures = s->failures_in_row;
  info.http_status = s->last_http_status;
  g_mutex_unlock (&s->lock);
  if (!report)
    return;

  fail (s, GST_RAEH_SESSION_FAILURE_GAVE_UP, why, &info, failures);
  report_state (s, "closed", 0, 0, why, NULL);
}

static const GstSensorNetWsCallbacks ws_callbacks = {
  .opened = on_opened,
  .message = on_message,
  .closed = on_closed,
  .reconnecting = on_reconnecting,
  .gave_up = on_gave_up,
};

/* ---- public ---- */

/* @location as it may appear in messages: no user info, no query (the key
 * may ride in either). */
static gchar *
location_for_log (const gchar *location)
{
  GUri *uri = g_uri_parse (location, G_URI_FLAGS_NONE, NULL);
  gchar *out;

  if (uri == NULL || g_uri_get_host (uri) == NULL ||
      *g_uri_get_host (uri) == '\0') {
    g_clear_pointer (&uri, g_uri_unref);
    return g_strndup (location, strcspn (location, "?#"));
  }
  out = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL,
      g_uri_get_host (uri), g_uri_get_port (uri), g_uri_get_path (uri), NULL,
      NULL);
  g_uri_unref (uri);
  return out;
}

static gboolean
location_is_valid (const gchar *location)
{
  GUri *uri = g_uri_parse (location, G_URI_FLAGS_NONE, NULL);
  gboolean ok;

  if (uri == NULL)
    return FALSE;
  ok = (g_str_equal (g_uri_get_scheme (uri), "ws") ||
           g_str_equal (g_uri_get_scheme (uri), "wss")) &&
      g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0';
  g_uri_unref (uri);
  return ok;
}

/**
 * gst_raeh_session_ingest_uri:
 * @location: the ingest URL, ws:// or wss://
 * @device_id: (nullable): the device's per-unit id
 * @device_model_id: (nullable): its device model
 * @log_uri: (out) (transfer full): @location as it may appear in messages:
 *   no user info and no query, where a key may ride; set also on failure
 * @error: (nullable): a G_IO_ERROR_INVALID_ARGUMENT when @location is no
 *   ws:// or wss:// URL with a host
 *
 * Returns: (transfer full) (nullable): @location with the device_id and
 *   device_model_id query parameters, or %NULL
 */
gchar *
gst_raeh_session_ingest_uri (const gchar *location, const gchar *device_id,
    const gchar *device_model_id, gchar **log_uri, GError **error)
{
  g_autofree gchar *id = NULL, *model = NULL;

  *log_uri = location_for_log (location);
  if (!location_is_valid (location)) {
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "not a ws:// or wss:// URL with a host");
    return NULL;
  }
  id = g_uri_escape_string (device_id ? device_id : "", NULL, FALSE);
  model =
      g_uri_escape_string (device_model_id ? device_model_id : "", NULL, FALSE);
  return g_strdup_printf ("%s%cdevice_id=%s&device_model_id=%s", location,
      strchr (location, '?') ? '&' : '?', id, model);
}

/**
 * gst_raeh_session_new:
 * @callbacks: what to report; copied
 * @user_data: (closure): passed to every callback
 *
 * A session that is not connected yet; see gst_raeh_session_start().
 *
 * Returns: (transfer full): a new session; gst_raeh_session_free() it
 */
GstRaehSession *
gst_raeh_session_new (
    const GstRaehSessionCallbacks *callbacks, gpointer user_data)
{
  GstRaehSession *s = g_atomic_rc_box_new0 (GstRaehSession);

  GST_DEBUG_CATEGORY_INIT (
      raeh_session_debug, "raehsession", 0, "Raeh /stream/ingest session");
  s->cb = *callbacks;
  s->user_data = user_data;
  s->max_buffer_time = 60 * GST_SECOND;
  s->counters = gst_sensor_counters_new (counter_info, N_COUNTERS);
  g_mutex_init (&s->lock);
  g_cond_init (&s->cond);
  g_queue_init (&s->queue);
  return s;
}

/**
 * gst_raeh_session_free:
 * @session: (transfer full) (nullable): a session
 *
 * Stops @session (see gst_raeh_session_stop()) and frees it.
 */
void
gst_raeh_session_free (GstRaehSession *session)
{
  if (session == NULL)
    return;
  gst_raeh_session_stop (session);
  session_unref (session);
}

/**
 * gst_raeh_session_start:
 * @session: a stopped session
 * @config: the connection (uri with the device query, auth, retries, ...),
 *   copied; its timeout_s also bounds the wait for the handshake
 *
 * Resets the counters and starts connecting on the network thread; returns
 * at once. The first connection follows `retries` like every later one.
 * Reports the "connecting" state on the calling thread.
 */
void
gst_raeh_session_start (
    GstRaehSession *session, const GstSensorNetWsConfig *config)
{
  GstSensorNetWsClient *client;

  g_return_if_fail (session->client == NULL);

  g_mutex_lock (&session->lock);
  session->state = CONN_CONNECTING;
  session->timeout_s = config->timeout_s;
  session->sessions = 0;
  session->failures_in_row = 0;
  gst_sensor_counters_reset (session->counters);
  session->last_close_code = 0;
  session->last_http_status = 0;
  session->closed_at_eos = FALSE;
  g_clear_pointer (&session->last_close_reason, g_free);
  g_clear_pointer (&session->last_error, g_free);
  g_clear_pointer (&session->manifest, gst_raeh_manifest_free);
  g_clear_pointer (&session->last_manifest, gst_raeh_manifest_free);
  if (session->net_context == NULL)
    session->net_context = gst_sensor_net_context_ref ();
  g_mutex_unlock (&session->lock);

  report_state (session, "connecting", 0, 0, NULL, NULL);
  client = gst_sensor_net_ws_client_new (config, &ws_callbacks, session, NULL);
  g_mutex_lock (&session->lock);
  session->client = client;
  g_mutex_unlock (&session->lock);
  gst_sensor_net_ws_client_start (client);
}

/**
 * gst_raeh_session_stop:
 * @session: a session
 *
 * Closes the connection (1000 "stream ended") and waits until no callback
 * runs any more; drops the frames still queued. Reports the "closed" state
 * (reason "stopped") on the calling thread unless the session had failed
 * or was never started. Wakes every waiting call. Do not call it holding a
 * lock a callback takes.
 */
void
gst_raeh_session_stop (GstRaehSession *session)
{
  GstSensorNetWsClient *client;
  gboolean closed;

  g_mutex_lock (&session->lock);
  client = session->client;
  closed = session->state == CONN_FATAL || client == NULL;
  session->state = CONN_STOPPING;
  cancel_handshake_timer_locked (session);
  g_cond_broadcast (&session->cond);
  g_mutex_unlock (&session->lock);

  /* callbacks may still run until stop() returns */
  if (client)
    gst_sensor_net_ws_client_stop (
        client, SOUP_WEBSOCKET_CLOSE_NORMAL, "stream ended");

  g_mutex_lock (&session->lock);
  session->client = NULL;
  session->state = CONN_IDLE;
  drop_queue_locked (session);
  g_clear_pointer (&session->manifest, gst_raeh_manifest_free);
  g_mutex_unlock (&session->lock);
  if (client)
    gst_sensor_net_ws_client_free (client);
  /* a failure said "closed" already */
  if (!closed)
    report_state (session, "closed", 0, 0, "stopped", NULL);
}

/**
 * gst_raeh_session_set_max_buffer_time:
 * @session: a session
 * @max_buffer_time: data (in frame time) kept while disconnected
 *
 * Bounds the queue: connected, a push waits while the queue spans more;
 * disconnected, the oldest frames beyond it are dropped and counted.
 */
void
gst_raeh_session_set_max_buffer_time (
    GstRaehSession *session, GstClockTime max_buffer_time)
{
  g_mutex_lock (&session->lock);
  session->max_buffer_time = max_buffer_time;
  g_mutex_unlock (&session->lock);
}

static gboolean
queue_over_limit (GstRaehSession *s, gint64 end_ms)
{
  QueuedFrame *head = g_queue_peek_head (&s->queue);

  return head != NULL &&
      end_ms - head->t0_ms > (gint64) (s->max_buffer_time / GST_MSECOND);
}

/**
 * gst_raeh_session_push:
 * @session: a session
 * @modality: the frame's modality; its slot id is written at send time
 * @frame: (array length=size): one whole wire frame (header and payload)
 * @size: its size
 * @t0_ms: epoch time of its first sample
 * @end_ms: epoch time just after its last sample
 * @cancellable: (nullable): ends a wait for room
 *
 * Queues a copy of @frame to be sent in order. Connected, a queue over
 * max-buffer-time holds the caller back (the network is the limit);
 * disconnected, the oldest frames beyond it are dropped and counted.
 *
 * Returns: %GST_RAEH_SESSION_OK, or %GST_RAEH_SESSION_CANCELLED (the frame
 *   is not queued)
 */
GstRaehSessionResult
gst_raeh_session_push (GstRaehSession *session, const gchar *modality,
    const guint8 *frame, gsize size, gint64 t0_ms, gint64 end_ms,
    GCancellable *cancellable)
{
  QueuedFrame *f;
  gulong handler;
  GQueue dropped = G_QUEUE_INIT;

  handler = watch_cancellable (session, cancellable);
  g_mutex_lock (&session->lock);
  while (session->state == CONN_READY && !is_cancelled (cancellable) &&
      queue_over_limit (session, end_ms)) {
    wake_flush_locked (session);
    cond_wait_locked (session);
  }
  if (is_cancelled (cancellable)) {
    g_mutex_unlock (&session->lock);
    g_cancellable_disconnect (cancellable, handler);
    return GST_RAEH_SESSION_CANCELLED;
  }
  f = queued_frame_new (frame, size);
  f->modality = g_intern_string (modality);
  f->t0_ms = t0_ms;
  f->end_ms = end_ms;
  g_queue_push_tail (&session->queue, f);
  session->queued_bytes += size;
  while (g_queue_get_length (&session->queue) > 1 &&
      queue_over_limit (session, end_ms)) {
    QueuedFrame *head = g_queue_pop_head (&session->queue);

    session->queued_bytes -= head->size;
    gst_sensor_counters_add (session->counters, COUNTER_DROPPED, 1);
    gst_sensor_counters_add (
        session->counters, COUNTER_DROPPED_BYTES, head->size);
    g_queue_push_tail (&dropped, head);
  }
  wake_flush_locked (session);
  g_mutex_unlock (&session->lock);
  if (cancellable)
    g_cancellable_disconnect (cancellable, handler);

  while ((f = g_queue_pop_head (&dropped)) != NULL) {
    GST_DEBUG ("dropping frame t0 %" G_GINT64_FORMAT, f->t0_ms);
    if (session->cb.frame_dropped)
      session->cb.frame_dropped (
          session, f->t0_ms, f->size, session->user_data);
    queued_frame_free (f);
  }
  return GST_RAEH_SESSION_OK;
}

/**
 * gst_raeh_session_wait_manifest:
 * @session: a session
 * @cancellable: (nullable): ends the wait
 * @func: (scope call): called with the manifest under the session's lock
 * @user_data: (closure): for @func
 *
 * Caps come from the manifest: while the first handshake of a started
 * session is awaited (however many retries that takes), this waits for
 * it, then calls @func with the last manifest, or with %NULL when the
 * session is not started.
 *
 * Returns: %GST_RAEH_SESSION_OK when @func was called; without a manifest,
 *   %GST_RAEH_SESSION_CANCELLED or %GST_RAEH_SESSION_FATAL (@func is not
 *   called)
 */
GstRaehSessionResult
gst_raeh_session_wait_manifest (GstRaehSession *session,
    GCancellable *cancellable, GstRaehSessionManifestFunc func,
    gpointer user_data)
{
  GstRaehSessionResult ret = GST_RAEH_SESSION_OK;
  gulong handler;

  handler = watch_cancellable (session, cancellable);
  g_mutex_lock (&session->lock);
  while (session->last_manifest == NULL && session->state == CONN_CONNECTING &&
      !is_cancelled (cancellable))
    cond_wait_locked (session);
  if (session->last_manifest == NULL && is_cancelled (cancellable))
    ret = GST_RAEH_SESSION_CANCELLED;
  else if (session->last_manifest == NULL && session->state == CONN_FATAL)
    ret = GST_RAEH_SESSION_FATAL;
  else
    func (session->last_manifest, user_data);
  g_mutex_unlock (&session->lock);
  if (cancellable)
    g_cancellable_disconnect (cancellable, handler);
  return ret;
}

/**
 * gst_raeh_session_is_fatal:
 * @session: a session
 *
 * Returns: whether the session failed for good (no more connections until
 *   the next start)
 */
gboolean
gst_raeh_session_is_fatal (GstRaehSession *session)
{
  gboolean fatal;

  g_mutex_lock (&session->lock);
  fatal = session->state == CONN_FATAL;
  g_mutex_unlock (&session->lock);
  return fatal;
}

/**
 * gst_raeh_session_finish:
 * @session: a session
 * @timeout_s: how long the queued frames may take to go out
 *
 * The end of the stream: waits until the queued frames are handed to the
 * socket (at most @timeout_s, or until the session fails or stops), then
 * starts closing with 1000 "stream ended" without waiting, so that many
 * sessions ending together close in parallel.
 *
 * Returns: %TRUE when every frame went out
 */
gboolean
gst_raeh_session_finish (GstRaehSession *session, guint timeout_s)
{
  gint64 deadline =
      g_get_monotonic_time () + (gint64) timeout_s * G_TIME_SPAN_SECOND;
  gboolean all = TRUE;

  g_mutex_lock (&session->lock);
  /* the stream waits for this: flush now, not with the next batch */
  if (session->state == CONN_READY && session->net_context &&
      !g_queue_is_empty (&session->queue))
    schedule_flush_locked (session, g_idle_source_new ());
  while (session->state != CONN_FATAL && session->state != CONN_STOPPING &&
      session->state != CONN_IDLE) {
    GstSensorNetWsClient *client = session->client;
    gsize pending;

    /* a batch being handed over is in neither the queue nor the client */
    if (g_queue_is_empty (&session->queue) && !session->sending && client) {
      g_mutex_unlock (&session->lock);
      pending = gst_sensor_net_ws_client_get_pending_bytes (client);
      g_mutex_lock (&session->lock);
      if (pending == 0 && g_queue_is_empty (&session->queue) &&
          !session->sending)
        break;
    }
    if (!cond_wait_until_locked (session,
            MIN (deadline,
                g_get_monotonic_time () + 20 * G_TIME_SPAN_MILLISECOND)) &&
        g_get_monotonic_time () >= deadline) {
      GST_WARNING (
          "%u frames not sent at EOS", g_queue_get_length (&session->queue));
      all = FALSE;
      break;
    }
  }
  if (session->client && !session->closed_at_eos) {
    session->closed_at_eos = TRUE;
    gst_sensor_net_ws_client_close (
        session->client, SOUP_WEBSOCKET_CLOSE_NORMAL, "stream ended");
  }
  g_mutex_unlock (&session->lock);
  return all;
}

/**
 * gst_raeh_session_take_finished:
 * @session: a session
 *
 * Whether gst_raeh_session_finish() closed the connection since the last
 * call; data after that goes on a new session (stop, then start).
 *
 * Returns: %TRUE once per close at the end of the stream
 */
gboolean
gst_raeh_session_take_finished (GstRaehSession *session)
{
  gboolean finished;

  g_mutex_lock (&session->lock);
  finished = session->closed_at_eos;
  session->closed_at_eos = FALSE;
  g_mutex_unlock (&session->lock);
  return finished;
}

/**
 * gst_raeh_session_get_stats:
 * @session: a session
 * @name: the structure's name, e.g. "application/x-raehsink-stats"
 *
 * The counters since the last start, named as every element names them:
 * frames-sent, bytes-sent, dropped and dropped-bytes (dropped by the
 * queue, oldest first), queued and queued-bytes (waiting now, guint),
 * reconnects (attempts started), failures (transient, total),
 * oversized-messages (guint64 all), sessions (guint, handshakes taken),
 * connected, session-id (%NULL between sessions), last-close-code (gint)
 * and last-close-reason.
 *
 * Returns: (transfer full): a new structure
 */
GstStructure *
gst_raeh_session_get_stats (GstRaehSession *session, const gchar *name)
{
  GstStructure *s;

  g_mutex_lock (&session->lock);
  s = gst_structure_new_empty (name);
  gst_sensor_counters_fill (session->counters, s);
  gst_structure_set (s, "queued", G_TYPE_UINT,
      g_queue_get_length (&session->queue), "queued-bytes", G_TYPE_UINT,
      (guint) MIN (session->queued_bytes, G_MAXUINT), "sessions", G_TYPE_UINT,
      session->sessions, "connected", G_TYPE_BOOLEAN,
      session->state == CONN_READY, "session-id", G_TYPE_STRING,
      session->manifest ? session->manifest->session_id : NULL,
      "last-close-code", G_TYPE_INT, session->last_close_code,
      "last-close-reason", G_TYPE_STRING, session->last_close_reason, NULL);
  g_mutex_unlock (&session->lock);
  return s;
}
