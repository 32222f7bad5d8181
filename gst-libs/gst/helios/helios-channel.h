/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* Errors of the HeliOS protocol library. */
#define GST_HELIOS_ERROR (gst_helios_error_quark ())
GQuark gst_helios_error_quark (void);

typedef enum {
  GST_HELIOS_ERROR_UNKNOWN_CHANNEL, /* not a channel HeliOS serves */
  GST_HELIOS_ERROR_BAD_STREAM_ID,   /* streams.<id>.*: id is not a UUID */
  GST_HELIOS_ERROR_INTERACTIVE,     /* console.session: not a data stream */
  GST_HELIOS_ERROR_BAD_PARAM,       /* a parameter value is invalid */
  GST_HELIOS_ERROR_PARSE,           /* not JSON, or not the expected shape */
  GST_HELIOS_ERROR_UNKNOWN_FOURCC,  /* frames: a format we cannot map */
  GST_HELIOS_ERROR_BAD_FORMAT,      /* frames: width/height out of range */
} GstHeliosError;

/* What a channel sends. */
typedef enum {
  GST_HELIOS_PAYLOAD_JSON,        /* JSON text messages */
  GST_HELIOS_PAYLOAD_FRAMES,      /* text `format` + binary frame payloads */
  GST_HELIOS_PAYLOAD_INTERACTIVE, /* console: needs input, no source */
} GstHeliosPayload;

typedef enum {
  GST_HELIOS_CHANNEL_DEVICE_TELEMETRY,
  GST_HELIOS_CHANNEL_DEVICES_UPDATES,
  GST_HELIOS_CHANNEL_SENSORS_STREAM,
  GST_HELIOS_CHANNEL_IMU_STREAM,
  GST_HELIOS_CHANNEL_LOGS_STREAM,
  GST_HELIOS_CHANNEL_PROCESSES_STREAM,
  GST_HELIOS_CHANNEL_OTA_STREAM,
  GST_HELIOS_CHANNEL_CONSOLE_SESSION,
  GST_HELIOS_CHANNEL_UPDATES_STREAM,
  GST_HELIOS_CHANNEL_STREAM_METRICS,
  GST_HELIOS_CHANNEL_STREAM_FRAMES,
  GST_HELIOS_N_CHANNELS
} GstHeliosChannelId;

typedef enum {
  GST_HELIOS_PARAM_INT,
  GST_HELIOS_PARAM_BOOLEAN,
  GST_HELIOS_PARAM_STRING,
} GstHeliosParamType;

/* One query parameter of a channel path, with the server's default and
 * clamp range (integers). */
typedef struct
{
  const gchar *name; /* query name, e.g. "interval_ms" */
  GstHeliosParamType type;
  gint default_int; /* INT and BOOLEAN (0/1) */
  gint min;
  gint max;
  const gchar *default_string; /* STRING; NULL = server decides */
} GstHeliosParam;

typedef struct
{
  GstHeliosChannelId id;
  const gchar *name; /* AsyncAPI name: "streams.{stream_id}.frames" */
  const gchar *path; /* "/v1/ws/streams/{stream_id}/frames" */
  GstHeliosPayload payload;
  const gchar *summary;
  guint n_params;
  const GstHeliosParam *params;
} GstHeliosChannel;

/* The table, in AsyncAPI order; @n_channels gets its length. */
const GstHeliosChannel *gst_helios_channels (guint *n_channels);

const GstHeliosChannel *gst_helios_channel_get (GstHeliosChannelId id);

/* Resolves a user channel name ("device.telemetry",
 * "streams.<uuid>.frames") to its table row; @stream_id (if not NULL) gets
 * the UUID of streams.* channels (else NULL). The console is returned too:
 * callers that only read check the payload. */
const GstHeliosChannel *gst_helios_channel_lookup (
    const gchar *name, gchar **stream_id, GError **error);

const GstHeliosParam *gst_helios_channel_find_param (
    const GstHeliosChannel *channel, const gchar *name);

/* Clamps @value to the parameter's range; TRUE when it was already in it. */
gboolean gst_helios_param_clamp (
    const GstHeliosParam *param, gint value, gint *clamped);

/* Builds "/v1/ws/...?a=b&c=d". @values holds query values by query name
 * (gint, gboolean or string fields); fields the channel does not take are
 * ignored and their names added to @ignored (if not NULL); integers out of
 * range are clamped and "name=value->clamped" notes added to @clamped (if not
 * NULL). A NULL @values builds the bare path. */
gchar *gst_helios_channel_build_path (const GstHeliosChannel *channel,
    const gchar *stream_id, const GstStructure *values, GPtrArray *ignored,
    GPtrArray *clamped);

/* sensors.stream: the subscribe op for @kinds (imu, power, firmware,
 * lighting) at @interval_ms (0 = server default, else clamped to 50..10000).
 * NULL with GST_HELIOS_ERROR_BAD_PARAM naming an unknown or missing kind. */
gchar *gst_helios_sensors_subscribe_op (
    const gchar *const *kinds, gint interval_ms, GError **error);

#define GST_HELIOS_SENSORS_MIN_INTERVAL_MS 50
#define GST_HELIOS_SENSORS_MAX_INTERVAL_MS 10000
#define GST_HELIOS_DEFAULT_PORT 5800

G_END_DECLS
