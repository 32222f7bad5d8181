/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "sensor-cloud.h"

G_BEGIN_DECLS

/* The keys the part knows by default: one with access, one without. */
#define SENSOR_CLOUD_PLEXUS_KEY "plx_0123456789abcdef0123456789abcdef"
#define SENSOR_CLOUD_PLEXUS_DISABLED_KEY "plx_disabled000000000000000000000000"

/* Settings of the Plexus part. The command line fills them; tests that run
 * the part in-process set them before start(). */
typedef struct
{
  gchar *key;           /* the accepted API key */
  gchar *disabled_key;  /* a known key without API access */
  gint auth_timeout_ms; /* wait for the auth frame (10000) */
  gchar *cameras;       /* online cameras, comma-separated */
  gint fps;             /* video frames per second per camera */
  gint width, height;
  gint quality;
  gchar *subsampling; /* 420, 422, 444, gray */
  gchar *jpeg_dir;    /* send these .jpg files instead */
  gint max_frames;    /* per connection and camera; 0 = no limit */
  gint metrics_interval_ms;
  gint events_interval_ms;
  gint event_bytes;        /* pad each event with a string of about this size */
  gint default_timeout_s;  /* video stream timeout without `timeout` */
  gint reconnecting_every; /* send gateway_reconnecting every N messages */
  gint corrupt_every;      /* corrupt every N-th video frame */
  gchar *corrupt_kind;     /* base64, jpeg, size or cycle */
  gint drop_every;         /* silently skip every N-th video frame */
  gint resize_every;       /* halve/restore the size every N frames */
  gint nan_every;          /* a NaN literal in every N-th telemetry */
  gint close_after;        /* close after N data messages */
  gint close_code;         /* with this code; 0 = drop the TCP link */
  gboolean silent;         /* accept auth, then never send anything */
  gint binary_every;       /* a binary message every N data messages */
  gint oversize_every;     /* a 9 MiB text message every N */
  gchar *thermal_cameras;  /* comma-separated thermal camera ids */
  gint subsampling_every;  /* next subsampling of the list every N frames */
} SensorCloudPlexusOptions;

SensorCloudPlexusOptions *sensor_cloud_plexus_options (void);

/* Back to the defaults; strings set in the options are freed. */
void sensor_cloud_plexus_options_reset (void);

/* What the part saw, for tests (thread-safe snapshot). */
typedef struct
{
  guint connections;
  guint auth_ok;
  guint auth_rejected;
  gint64 last_auth_delay_us; /* accept to auth frame */
  guint last_close_code;
  guint video_frames_sent;
  guint corrupt_frames_sent;
  guint telemetry_sent;
  guint events_sent;
  gchar *last_query; /* query string of the last stream */
} SensorCloudPlexusStats;

void sensor_cloud_plexus_get_stats (SensorCloudPlexusStats *stats);
void sensor_cloud_plexus_stats_clear (SensorCloudPlexusStats *stats);

/* The moving test pattern (RGB, smooth so JPEG keeps it within a few
 * levels): frame @n of camera @camera. */
void sensor_cloud_plexus_pattern (
    guint8 *rgb, gint stride, gint width, gint height, guint64 n, guint camera);

G_END_DECLS
