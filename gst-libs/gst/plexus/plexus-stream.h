/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* The public Data API base the elements connect to by default. */
#define GST_PLEXUS_DEFAULT_LOCATION "wss://api.plexus.company"

/* The server waits this long for the auth frame after accepting. */
#define GST_PLEXUS_AUTH_TIMEOUT_MS 10000

/* Largest server message the elements accept (bounded memory). */
#define GST_PLEXUS_MAX_MESSAGE_SIZE (8 * 1024 * 1024)

/* A well-formed key: "plx_" and exactly this many characters in all. */
#define GST_PLEXUS_API_KEY_LENGTH 36

typedef enum {
  GST_PLEXUS_STREAM_METRICS,
  GST_PLEXUS_STREAM_LOGS,
  GST_PLEXUS_STREAM_VIDEO,
} GstPlexusStream;

const gchar *gst_plexus_stream_name (GstPlexusStream stream);

/* ws(s)://host[:port]/v1/sources/{id}/{metrics|logs|video}/stream with the
 * query parameters of that stream. @location is the API base
 * (http(s):// and ws(s):// both accepted, a trailing path is kept).
 * @metrics: metrics filter (metrics stream), joined with commas.
 * @cameras: camera_id values (video stream), one parameter each.
 * @timeout_s: video `timeout`, 0 = server default. NULL with @error when
 * @location is not a URI. */
gchar *gst_plexus_stream_uri (const gchar *location, const gchar *source_id,
    GstPlexusStream stream, const gchar *const *metrics,
    const gchar *const *cameras, guint timeout_s, GError **error);

/* {"type":"auth","api_key":"..."} */
GBytes *gst_plexus_auth_frame_new (const gchar *api_key);

/* The server's format check: starts with "plx_" and is 36 characters. */
gboolean gst_plexus_api_key_is_well_formed (const gchar *api_key);

/* What a close code means for a client of @stream. */
typedef enum {
  GST_PLEXUS_CLOSE_RECONNECT,    /* transient (1011, network loss, others) */
  GST_PLEXUS_CLOSE_UNAUTHORIZED, /* 4001/4401 (and gateway 1008): fatal */
  GST_PLEXUS_CLOSE_PAYMENT_REQUIRED, /* 4002/4402: fatal */
  GST_PLEXUS_CLOSE_STREAM_TIMEOUT,   /* 4008: EOS, or reconnect if asked */
} GstPlexusCloseAction;

typedef struct
{
  gushort code;
  GstPlexusStream stream; /* the stream that documents it */
  GstPlexusCloseAction action;
  const gchar *reason; /* the server's reason text */
} GstPlexusCloseCode;

/* The table of documented close codes, terminated by a zero code. */
const GstPlexusCloseCode *gst_plexus_close_codes (void);

/* Looks @code up; codes meant for another stream are still honoured (an
 * unauthorised close is fatal whoever sends it). */
GstPlexusCloseAction gst_plexus_close_classify (
    GstPlexusStream stream, gushort code);

/* Close codes the server uses for @stream. */
gushort gst_plexus_close_code_unauthorized (GstPlexusStream stream);
gushort gst_plexus_close_code_payment_required (GstPlexusStream stream);

const gchar *gst_plexus_close_action_name (GstPlexusCloseAction action);

G_END_DECLS
