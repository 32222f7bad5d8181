/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/**
 * GST_HELIOS_ERROR:
 *
 * The error domain of the HeliOS library, codes from #GstHeliosError.
 */
#define GST_HELIOS_ERROR (gst_helios_error_quark ())
GQuark gst_helios_error_quark (void);

/**
 * GstHeliosError:
 * @GST_HELIOS_ERROR_UNKNOWN_CHANNEL: not a channel HeliOS serves
 * @GST_HELIOS_ERROR_BAD_STREAM_ID: streams.<id>.*: id is not a UUID
 * @GST_HELIOS_ERROR_INTERACTIVE: console.session: not a data stream
 * @GST_HELIOS_ERROR_BAD_PARAM: a parameter value is invalid
 * @GST_HELIOS_ERROR_PARSE: not JSON, or not the expected shape
 * @GST_HELIOS_ERROR_UNKNOWN_FOURCC: frames: a format we cannot map
 * @GST_HELIOS_ERROR_BAD_FORMAT: frames: width/height out of range
 *
 * Why a HeliOS channel, parameter or message was refused.
 */
typedef enum {
  GST_HELIOS_ERROR_UNKNOWN_CHANNEL,
  GST_HELIOS_ERROR_BAD_STREAM_ID,
  GST_HELIOS_ERROR_INTERACTIVE,
  GST_HELIOS_ERROR_BAD_PARAM,
  GST_HELIOS_ERROR_PARSE,
  GST_HELIOS_ERROR_UNKNOWN_FOURCC,
  GST_HELIOS_ERROR_BAD_FORMAT,
} GstHeliosError;

/**
 * GstHeliosPayload:
 * @GST_HELIOS_PAYLOAD_JSON: JSON text messages
 * @GST_HELIOS_PAYLOAD_FRAMES: text `format` + binary frame payloads
 * @GST_HELIOS_PAYLOAD_INTERACTIVE: console: needs input, no source
 *
 * What a channel sends.
 */
typedef enum {
  GST_HELIOS_PAYLOAD_JSON,
  GST_HELIOS_PAYLOAD_FRAMES,
  GST_HELIOS_PAYLOAD_INTERACTIVE,
} GstHeliosPayload;

/**
 * GstHeliosChannelId:
 * @GST_HELIOS_CHANNEL_DEVICE_TELEMETRY: device.telemetry
 * @GST_HELIOS_CHANNEL_DEVICES_UPDATES: devices.updates
 * @GST_HELIOS_CHANNEL_SENSORS_STREAM: sensors.stream
 * @GST_HELIOS_CHANNEL_IMU_STREAM: imu.stream
 * @GST_HELIOS_CHANNEL_LOGS_STREAM: logs.stream
 * @GST_HELIOS_CHANNEL_PROCESSES_STREAM: processes.stream
 * @GST_HELIOS_CHANNEL_OTA_STREAM: ota.stream
 * @GST_HELIOS_CHANNEL_CONSOLE_SESSION: console.session (interactive)
 * @GST_HELIOS_CHANNEL_UPDATES_STREAM: updates.stream
 * @GST_HELIOS_CHANNEL_STREAM_METRICS: streams.{stream_id}.metrics
 * @GST_HELIOS_CHANNEL_STREAM_FRAMES: streams.{stream_id}.frames
 * @GST_HELIOS_N_CHANNELS: the number of channels
 *
 * The HeliOS channels; gst_helios_channels() lists them in AsyncAPI order.
 */
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

/**
 * GstHeliosParamType:
 * @GST_HELIOS_PARAM_INT: an integer, clamped to its range
 * @GST_HELIOS_PARAM_BOOLEAN: true or false
 * @GST_HELIOS_PARAM_STRING: a string
 *
 * The type of a query parameter.
 */
typedef enum {
  GST_HELIOS_PARAM_INT,
  GST_HELIOS_PARAM_BOOLEAN,
  GST_HELIOS_PARAM_STRING,
} GstHeliosParamType;

/**
 * GstHeliosParam:
 * @name: query name, e.g. "interval_ms"
 * @type: its type
 * @default_int: INT and BOOLEAN (0/1)
 * @min: smallest value the server takes (INT)
 * @max: largest value the server takes (INT)
 * @default_string: (nullable): STRING: the default; %NULL = the server
 *   decides
 *
 * One query parameter of a channel path, with the server's default and clamp
 * range (integers).
 */
typedef struct
{
  const gchar *name;
  GstHeliosParamType type;
  gint default_int;
  gint min;
  gint max;
  const gchar *default_string;
} GstHeliosParam;

/**
 * GstHeliosChannel:
 * @id: its id
 * @name: AsyncAPI name: "streams.{stream_id}.frames"
 * @path: "/v1/ws/streams/{stream_id}/frames"
 * @payload: what it sends
 * @summary: one line saying what it carries
 * @n_params: the number of @params
 * @params: (array length=n_params): its query parameters
 *
 * One row of the channel table.
 */
typedef struct
{
  GstHeliosChannelId id;
  const gchar *name;
  const gchar *path;
  GstHeliosPayload payload;
  const gchar *summary;
  guint n_params;
  const GstHeliosParam *params;
} GstHeliosChannel;

const GstHeliosChannel *gst_helios_channels (guint *n_channels);

const GstHeliosChannel *gst_helios_channel_get (GstHeliosChannelId id);

const GstHeliosChannel *gst_helios_channel_lookup (
    const gchar *name, gchar **stream_id, GError **error);

const GstHeliosParam *gst_helios_channel_find_param (
    const GstHeliosChannel *channel, const gchar *name);

gboolean gst_helios_param_clamp (
    const GstHeliosParam *param, gint value, gint *clamped);

gchar *gst_helios_channel_build_path (const GstHeliosChannel *channel,
    const gchar *stream_id, const GstStructure *values, GPtrArray *ignored,
    GPtrArray *clamped);

gchar *gst_helios_sensors_subscribe_op (
    const gchar *const *kinds, gint interval_ms, GError **error);

/**
 * GST_HELIOS_SENSORS_MIN_INTERVAL_MS:
 *
 * The shortest sensors.stream interval the device takes, in milliseconds.
 */
#define GST_HELIOS_SENSORS_MIN_INTERVAL_MS 50

/**
 * GST_HELIOS_SENSORS_MAX_INTERVAL_MS:
 *
 * The longest sensors.stream interval the device takes, in milliseconds.
 */
#define GST_HELIOS_SENSORS_MAX_INTERVAL_MS 10000

/**
 * GST_HELIOS_DEFAULT_PORT:
 *
 * The port HeliOS listens on when a location names none.
 */
#define GST_HELIOS_DEFAULT_PORT 5800

G_END_DECLS
