/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>
#include <gst/sensornet/sensornet-ws-client.h>
#include <gst/raeh/raeh-manifest.h>

G_BEGIN_DECLS

/**
 * GstRaehSession:
 *
 * One device's `/stream/ingest` session policy over a #GstSensorNetWsClient:
 * the handshake (the manifest, checked by the owner), the close policy
 * (4001 and 4004 fatal, everything else by the shared failure rule), the
 * time-bounded send queue (drop-oldest while disconnected), reconnection
 * bookkeeping, the drain and close at EOS, and the counters. It posts
 * nothing: it reports through #GstRaehSessionCallbacks, most of them on the
 * shared network thread.
 */
typedef struct _GstRaehSession GstRaehSession;

/**
 * GstRaehSessionFailure:
 * @GST_RAEH_SESSION_FAILURE_HANDSHAKE: the handshake was malformed, binary,
 *   or did not come within the timeout
 * @GST_RAEH_SESSION_FAILURE_MISMATCH: a new manifest does not fit the
 *   streams already negotiated
 * @GST_RAEH_SESSION_FAILURE_AUTH: closed with 4001 (API key rejected)
 * @GST_RAEH_SESSION_FAILURE_REFUSED: closed with 4004 (device model or
 *   frame refused)
 * @GST_RAEH_SESSION_FAILURE_NETWORK: a failure the shared rule calls fatal
 *   (HTTP 401/403/404, TLS, ...)
 * @GST_RAEH_SESSION_FAILURE_GAVE_UP: `retries` ran out
 *
 * Why a session ended for good.
 */
typedef enum {
  GST_RAEH_SESSION_FAILURE_HANDSHAKE,
  GST_RAEH_SESSION_FAILURE_MISMATCH,
  GST_RAEH_SESSION_FAILURE_AUTH,
  GST_RAEH_SESSION_FAILURE_REFUSED,
  GST_RAEH_SESSION_FAILURE_NETWORK,
  GST_RAEH_SESSION_FAILURE_GAVE_UP,
} GstRaehSessionFailure;

/**
 * GstRaehSessionResult:
 * @GST_RAEH_SESSION_OK: done
 * @GST_RAEH_SESSION_CANCELLED: the cancellable was cancelled
 * @GST_RAEH_SESSION_FATAL: the session failed for good
 *
 * What a call from a streaming thread came to.
 */
typedef enum {
  GST_RAEH_SESSION_OK,
  GST_RAEH_SESSION_CANCELLED,
  GST_RAEH_SESSION_FATAL,
} GstRaehSessionResult;

/**
 * GstRaehSessionCallbacks:
 * @check_manifest: (nullable): a handshake was parsed; return %NULL when
 *   the streams fit it, or a sentence why not (the session then fails with
 *   %GST_RAEH_SESSION_FAILURE_MISMATCH and frees the string). Called with
 *   the session's lock held: it may take the owner's locks but must not
 *   call back into the session.
 * @state: the connection state changed: @state is "connecting",
 *   "connected", "disconnected", "reconnecting" or "closed"; @attempt and
 * @delay for "reconnecting"; @reason why, or %NULL; @info the close, or %NULL
 * @session_started: a handshake was taken (after "connected")
 * @session_ended: a session (or an upgrade answered with a close code)
 *   ended; @session_id is %NULL when no handshake came
 * @transient: a transient failure, the @failures-th in a row; the session
 *   reconnects
 * @failed: the session ended for good: @kind, @reason (one sentence), @info
 *   the close (%NULL for handshake and mismatch failures; for
 *   %GST_RAEH_SESSION_FAILURE_GAVE_UP only its http_status is set) and
 *   @failures in a row. Streaming calls return
 *   %GST_RAEH_SESSION_FATAL from before it is called.
 * @frame_dropped: a queued frame was dropped (queue over max-buffer-time)
 *
 * What a session reports. Every member may be %NULL. Callbacks run on the
 * network thread, except the "connecting" state of
 * gst_raeh_session_start(), the "closed" state of gst_raeh_session_stop()
 * and @frame_dropped (gst_raeh_session_push()), which run on the calling
 * thread.
 */
typedef struct
{
  gchar *(*check_manifest) (GstRaehSession *session,
      const GstRaehManifest *manifest, gpointer user_data);
  void (*state) (GstRaehSession *session, const gchar *state, guint attempt,
      GstClockTime delay, const gchar *reason,
      const GstSensorNetWsCloseInfo *info, gpointer user_data);
  void (*session_started) (GstRaehSession *session,
      const GstRaehManifest *manifest, gpointer user_data);
  void (*session_ended) (GstRaehSession *session, const gchar *session_id,
      const GstSensorNetWsCloseInfo *info, gpointer user_data);
  void (*transient) (GstRaehSession *session,
      const GstSensorNetWsCloseInfo *info, guint failures, gpointer user_data);
  void (*failed) (GstRaehSession *session, GstRaehSessionFailure kind,
      const gchar *reason, const GstSensorNetWsCloseInfo *info, guint failures,
      gpointer user_data);
  void (*frame_dropped) (
      GstRaehSession *session, gint64 t0_ms, gsize size, gpointer user_data);
} GstRaehSessionCallbacks;

/**
 * GstRaehSessionManifestFunc:
 * @manifest: (nullable): the manifest of the last handshake, or %NULL
 * @user_data: data passed to gst_raeh_session_wait_manifest()
 *
 * Called by gst_raeh_session_wait_manifest() with the session's lock held,
 * so that no handshake is taken meanwhile.
 */
typedef void (*GstRaehSessionManifestFunc) (
    const GstRaehManifest *manifest, gpointer user_data);

gchar *gst_raeh_session_ingest_uri (const gchar *location,
    const gchar *device_id, const gchar *device_model_id, gchar **log_uri,
    GError **error);

GstRaehSession *gst_raeh_session_new (
    const GstRaehSessionCallbacks *callbacks, gpointer user_data);

void gst_raeh_session_free (GstRaehSession *session);

void gst_raeh_session_start (
    GstRaehSession *session, const GstSensorNetWsConfig *config);

void gst_raeh_session_stop (GstRaehSession *session);

void gst_raeh_session_set_max_buffer_time (
    GstRaehSession *session, GstClockTime max_buffer_time);

GstRaehSessionResult gst_raeh_session_push (GstRaehSession *session,
    const gchar *modality, const guint8 *frame, gsize size, gint64 t0_ms,
    gint64 end_ms, GCancellable *cancellable);

GstRaehSessionResult gst_raeh_session_wait_manifest (GstRaehSession *session,
    GCancellable *cancellable, GstRaehSessionManifestFunc func,
    gpointer user_data);

gboolean gst_raeh_session_is_fatal (GstRaehSession *session);

gboolean gst_raeh_session_finish (GstRaehSession *session, guint timeout_s);

gboolean gst_raeh_session_take_finished (GstRaehSession *session);

GstStructure *gst_raeh_session_get_stats (
    GstRaehSession *session, const gchar *name);

G_END_DECLS
