/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/**
 * GST_PLEXUS_DEFAULT_LOCATION:
 *
 * The public Data API base the elements connect to by default.
 */
#define GST_PLEXUS_DEFAULT_LOCATION "wss://api.plexus.company"

/**
 * GST_PLEXUS_AUTH_TIMEOUT_MS:
 *
 * The server waits this long for the auth frame after accepting.
 */
#define GST_PLEXUS_AUTH_TIMEOUT_MS 10000

/**
 * GST_PLEXUS_MAX_MESSAGE_SIZE:
 *
 * Largest server message the elements accept (bounded memory).
 */
#define GST_PLEXUS_MAX_MESSAGE_SIZE (8 * 1024 * 1024)

/**
 * GST_PLEXUS_API_KEY_LENGTH:
 *
 * A well-formed key: "plx_" and exactly this many characters in all.
 */
#define GST_PLEXUS_API_KEY_LENGTH 36

/**
 * GstPlexusStream:
 * @GST_PLEXUS_STREAM_METRICS: `/metrics/stream`: telemetry and events
 * @GST_PLEXUS_STREAM_LOGS: `/logs/stream`: log lines
 * @GST_PLEXUS_STREAM_VIDEO: `/video/stream`: camera frames
 *
 * The three live streams of a Plexus source.
 */
typedef enum {
  GST_PLEXUS_STREAM_METRICS,
  GST_PLEXUS_STREAM_LOGS,
  GST_PLEXUS_STREAM_VIDEO,
} GstPlexusStream;

const gchar *gst_plexus_stream_name (GstPlexusStream stream);

gchar *gst_plexus_stream_uri (const gchar *location, const gchar *source_id,
    GstPlexusStream stream, const gchar *const *metrics,
    const gchar *const *cameras, guint timeout_s, GError **error);

GBytes *gst_plexus_auth_frame_new (const gchar *api_key);

gboolean gst_plexus_api_key_is_well_formed (const gchar *api_key);

/**
 * GstPlexusCloseAction:
 * @GST_PLEXUS_CLOSE_RECONNECT: transient (1011, network loss, any other
 *   code): reconnect
 * @GST_PLEXUS_CLOSE_UNAUTHORIZED: 4001, 4401 (and the gateway's 1008):
 *   fatal
 * @GST_PLEXUS_CLOSE_PAYMENT_REQUIRED: 4002, 4402: fatal
 * @GST_PLEXUS_CLOSE_STREAM_TIMEOUT: 4008: end of stream, or reconnect when
 *   the element is asked to
 *
 * What a close code means for a client of a stream.
 */
typedef enum {
  GST_PLEXUS_CLOSE_RECONNECT,
  GST_PLEXUS_CLOSE_UNAUTHORIZED,
  GST_PLEXUS_CLOSE_PAYMENT_REQUIRED,
  GST_PLEXUS_CLOSE_STREAM_TIMEOUT,
} GstPlexusCloseAction;

/**
 * GstPlexusCloseCode:
 * @code: the WebSocket close code
 * @stream: the stream that documents it
 * @action: what it means
 * @reason: the server's reason text
 *
 * One documented close code, a row of gst_plexus_close_codes().
 */
typedef struct
{
  gushort code;
  GstPlexusStream stream;
  GstPlexusCloseAction action;
  const gchar *reason;
} GstPlexusCloseCode;

const GstPlexusCloseCode *gst_plexus_close_codes (void);

GstPlexusCloseAction gst_plexus_close_classify (
    GstPlexusStream stream, gushort code);

gushort gst_plexus_close_code_unauthorized (GstPlexusStream stream);
gushort gst_plexus_close_code_payment_required (GstPlexusStream stream);

const gchar *gst_plexus_close_action_name (GstPlexusCloseAction action);

G_END_DECLS
