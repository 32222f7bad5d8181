/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/helios/helios-channel.h>
#include <gst/sensornet/sensornet-failure.h>
#include <gst/sensornet/sensornet-ws-client.h>

G_BEGIN_DECLS

/**
 * GstHeliosSession:
 *
 * One HeliOS channel read over its own WebSocket: channel selection and
 * query parameters, the sensors subscribe op, classification of every
 * message, the close policy of the shared failure rule and the counters.
 * A plain object: it reports through #GstHeliosSessionCallbacks and posts
 * nothing on a bus.
 */
typedef struct _GstHeliosSession GstHeliosSession;

/**
 * GstHeliosSessionParams:
 * @location: the device, ws://host[:port] or wss://host[:port]
 * @channel: the channel name ("device.telemetry", "streams.UUID.frames")
 * @interval_ms: message interval; 0 = the device's default
 * @limit: processes.stream snapshot size; 0 = the device's default
 * @heartbeat_ms: updates.stream heartbeat; 0 = the device's default
 * @kinds: (nullable): sensors.stream: comma-separated kinds
 * @output: (nullable): frames: graph output to switch to
 * @restore: frames: switch back on close
 * @poll_ms: frames: device poll interval; 0 = the device's default
 * @source: (nullable): logs.stream: log source
 * @lines: logs.stream: backlog lines; -1 = the device's default
 * @follow: logs.stream: keep streaming after the backlog
 *
 * What a session is opened with. Values left at their defaults (see
 * gst_helios_session_params_init()) are not sent, so the device decides.
 */
typedef struct
{
  const gchar *location;
  const gchar *channel;
  gint interval_ms;
  gint limit;
  gint heartbeat_ms;
  const gchar *kinds;
  const gchar *output;
  gboolean restore;
  gint poll_ms;
  const gchar *source;
  gint lines;
  gboolean follow;
} GstHeliosSessionParams;

/**
 * GstHeliosSessionEnd:
 * @GST_HELIOS_SESSION_END_EOS: the device said no more will come (logs
 *   `eof`).
 * @GST_HELIOS_SESSION_END_STREAM_ERROR: the device sent something the
 *   stream cannot go on with (a frame format that maps to no caps): the
 *   error belongs after the data reported before it.
 * @GST_HELIOS_SESSION_END_LOST: the retries ran out: the error is reported
 *   at once.
 * @GST_HELIOS_SESSION_END_FATAL: a fatal transport failure, already
 *   reported through the failure callback.
 *
 * Why a session ended; it ignores every later message.
 */
typedef enum {
  GST_HELIOS_SESSION_END_EOS,
  GST_HELIOS_SESSION_END_STREAM_ERROR,
  GST_HELIOS_SESSION_END_LOST,
  GST_HELIOS_SESSION_END_FATAL,
} GstHeliosSessionEnd;

/**
 * GstHeliosSessionCallbacks:
 * @state: a connection state change: a #GST_SENSOR_NET_CONNECTION_STATE
 *   structure (transfer full) with `channel` and the state's own fields
 *   (`message` for "ready"; `close-code`, `close-reason`, `http-status`,
 *   `error` for "disconnected").
 * @data: a record (one JSON line, newline-terminated, the device's bytes)
 *   or a frame (transfer full); @discont is set on the first one after a
 *   connection opened.
 * @format: frames: the caps (transfer none) of the frames that follow,
 *   with the `format` message's @fourcc, @width and @height; only when they
 *   change.
 * @warning: the device reported an error (@error in GST_RESOURCE_ERROR,
 *   @debug quotes the message, @details transfer full); the stream goes on.
 * @failure: a connection failed or was lost; @kind says whether it will be
 *   retried, @failures counts failures in a row.
 * @end: the session is over (see #GstHeliosSessionEnd); @error, @debug and
 *   @details (transfer full) are set for STREAM_ERROR and LOST.
 *
 * Everything is called on the network thread, never with a lock of the
 * session held. Unused callbacks may be NULL.
 */
typedef struct
{
  void (*state) (
      GstHeliosSession *session, GstStructure *state, gpointer user_data);
  void (*data) (GstHeliosSession *session, GBytes *payload, gboolean discont,
      gpointer user_data);
  void (*format) (GstHeliosSession *session, const gchar *fourcc, guint width,
      guint height, GstCaps *caps, gpointer user_data);
  void (*warning) (GstHeliosSession *session, const GError *error,
      const gchar *debug, GstStructure *details, gpointer user_data);
  void (*failure) (GstHeliosSession *session, GstSensorNetFailureKind kind,
      const GstSensorNetWsCloseInfo *info, guint failures, gpointer user_data);
  void (*end) (GstHeliosSession *session, GstHeliosSessionEnd how,
      const GError *error, const gchar *debug, GstStructure *details,
      gpointer user_data);
} GstHeliosSessionCallbacks;

/**
 * GstHeliosSessionStats:
 * @connected: a socket is open
 * @messages_received: messages from the device, all kinds
 * @bytes_received: their bytes
 * @skipped_unknown: valid JSON of a type the channel never sends
 * @skipped_invalid: malformed JSON and non-objects
 * @skipped_wrong_type: binary messages on JSON channels
 * @skipped_frames: frames before any format, or of the wrong raw size
 * @device_errors: device `error` messages
 * @notices: `ready` and `heartbeat` notices
 * @reconnects: reconnect attempts started
 * @failures: transient connection failures, total
 * @oversized_messages: messages over the size limit (closed with 1009)
 * @format_changes: frame formats reported
 *
 * The session's counters since it was created.
 */
typedef struct
{
  gboolean connected;
  guint64 messages_received;
  guint64 bytes_received;
  guint64 skipped_unknown;
  guint64 skipped_invalid;
  guint64 skipped_wrong_type;
  guint64 skipped_frames;
  guint64 device_errors;
  guint64 notices;
  guint64 reconnects;
  guint64 failures;
  guint64 oversized_messages;
  guint64 format_changes;
} GstHeliosSessionStats;

void gst_helios_session_params_init (GstHeliosSessionParams *params);

GstHeliosSession *gst_helios_session_new (const GstHeliosSessionParams *params,
    const GstHeliosSessionCallbacks *callbacks, gpointer user_data,
    GDestroyNotify notify, GError **error);

void gst_helios_session_free (GstHeliosSession *session);

const GstHeliosChannel *gst_helios_session_get_channel (
    GstHeliosSession *session);

const gchar *gst_helios_session_get_uri (GstHeliosSession *session);

gchar **gst_helios_session_fetch_channels (
    GstHeliosSession *session, const GstSensorNetWsConfig *config);

void gst_helios_session_start (
    GstHeliosSession *session, const GstSensorNetWsConfig *config);

void gst_helios_session_stop (GstHeliosSession *session);

gboolean gst_helios_session_update_live (GstHeliosSession *session,
    const gchar *kinds, gint interval_ms, GError **error);

void gst_helios_session_get_stats (
    GstHeliosSession *session, GstHeliosSessionStats *stats);

void gst_helios_session_handle_opened (GstHeliosSession *session);

void gst_helios_session_handle_message (
    GstHeliosSession *session, SoupWebsocketDataType type, GBytes *payload);

GstSensorNetWsCloseAction gst_helios_session_handle_closed (
    GstHeliosSession *session, const GstSensorNetWsCloseInfo *info);

void gst_helios_session_handle_reconnecting (
    GstHeliosSession *session, guint attempt, GstClockTime delay);

void gst_helios_session_handle_gave_up (GstHeliosSession *session);

gchar *gst_helios_session_dup_open_op (GstHeliosSession *session);

G_END_DECLS
