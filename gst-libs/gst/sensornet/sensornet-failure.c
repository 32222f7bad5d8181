/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:sensornet-failure
 * @title: Network failures
 * @short_description: the one failure rule and connection-state message of
 *   every network element
 *
 * The one failure rule of every network element: which connection failures
 * are fatal, how each is named, and the connection-state message.
 */
#include "sensornet-failure.h"

#include <libsoup/soup.h>

/**
 * gst_sensor_net_failure_classify:
 * @info: why a connection failed or ended
 *
 * Returns: whether retrying can help. A TLS failure, an invalid URI or CA
 * file, a redirect and a 4xx answer to the upgrade (except 408 and 429) are
 * fatal; everything else (refused, reset, timeout, name resolution, 5xx, a
 * close frame) is transient, so a gateway that boots before its network
 * waits instead of failing.
 */
GstSensorNetFailureKind
gst_sensor_net_failure_classify (const GstSensorNetWsCloseInfo *info)
{
  g_return_val_if_fail (info != NULL, GST_SENSOR_NET_FAILURE_TRANSIENT);

  if (info->http_status >= 300 && info->http_status < 500 &&
      info->http_status != 408 && info->http_status != 429)
    return GST_SENSOR_NET_FAILURE_FATAL;
  if (info->error == NULL)
    return GST_SENSOR_NET_FAILURE_TRANSIENT;
  if (info->error->domain == G_TLS_ERROR || info->error->domain == G_FILE_ERROR)
    return GST_SENSOR_NET_FAILURE_FATAL;
  if (info->error->domain == G_IO_ERROR &&
      (info->error->code == G_IO_ERROR_INVALID_ARGUMENT ||
          info->error->code == G_IO_ERROR_NOT_SUPPORTED ||
          info->error->code == G_IO_ERROR_INVALID_DATA))
    return GST_SENSOR_NET_FAILURE_FATAL;
  return GST_SENSOR_NET_FAILURE_TRANSIENT;
}

/**
 * gst_sensor_net_failure_describe:
 * @info: why a connection failed or ended
 *
 * Returns: (transfer full): the real cause in a few words, e.g. "HTTP 404
 * Not Found", "Could not connect: Connection refused", "closed with code
 * 1011 \"overload\"".
 */
gchar *
gst_sensor_net_failure_describe (const GstSensorNetWsCloseInfo *info)
{
  const gchar *reason;

  g_return_val_if_fail (info != NULL, NULL);

  reason = info->close_reason ? info->close_reason : "";
  if (info->http_status != 0) {
    const gchar *phrase = soup_status_get_phrase (info->http_status);

    /* libsoup 3.2 names no 429 */
    if (g_str_equal (phrase, "Unknown Error"))
      return g_strdup_printf ("HTTP %u", info->http_status);
    return g_strdup_printf ("HTTP %u %s", info->http_status, phrase);
  }
  if (info->error != NULL)
    return g_strdup (info->error->message);
  if (info->close_code != 0)
    return g_strdup_printf (
        "closed with code %u \"%s\"", info->close_code, reason);
  return g_strdup ("closed without a close code");
}

/**
 * gst_sensor_net_failure_should_warn:
 * @consecutive_failures: failures in a row, counting from 1
 *
 * Returns: TRUE for the failures that are said as a warning: the first one,
 * then every tenth, so a long outage is visible without flooding the bus.
 */
gboolean
gst_sensor_net_failure_should_warn (guint consecutive_failures)
{
  return consecutive_failures == 1 ||
      (consecutive_failures > 0 && consecutive_failures % 10 == 0);
}

static GstStructure *
failure_details (const GstSensorNetWsCloseInfo *info)
{
  GstStructure *s = gst_structure_new ("details", "http-status", G_TYPE_UINT,
      info->http_status, "close-code", G_TYPE_UINT, (guint) info->close_code,
      "close-reason", G_TYPE_STRING,
      info->close_reason ? info->close_reason : "", NULL);

  if (info->error != NULL)
    gst_structure_set (s, "error", G_TYPE_STRING, info->error->message,
        "error-domain", G_TYPE_STRING, g_quark_to_string (info->error->domain),
        "error-code", G_TYPE_INT, info->error->code, NULL);
  return s;
}

static gint
fatal_error_code (const GstSensorNetWsCloseInfo *info)
{
  if (info->http_status == 401 || info->http_status == 403)
    return GST_RESOURCE_ERROR_NOT_AUTHORIZED;
  if (info->http_status == 404 || info->http_status == 410)
    return GST_RESOURCE_ERROR_NOT_FOUND;
  if (info->error != NULL &&
      (info->error->domain == G_FILE_ERROR ||
          g_error_matches (
              info->error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT) ||
          g_error_matches (info->error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED)))
    return GST_RESOURCE_ERROR_SETTINGS;
  return GST_RESOURCE_ERROR_OPEN_READ_WRITE;
}

/**
 * gst_sensor_net_post_fatal:
 * @element: the element that failed
 * @info: why
 * @uri: the location, without secrets
 *
 * Posts the element error for a fatal failure: the text names the location
 * and the real cause, the details carry `http-status`, `close-code`,
 * `close-reason` and, for a network error, `error`, `error-domain` and
 * `error-code`.
 */
void
gst_sensor_net_post_fatal (
    GstElement *element, const GstSensorNetWsCloseInfo *info, const gchar *uri)
{
  gchar *cause = gst_sensor_net_failure_describe (info);
  gchar *text = g_strdup_printf ("Could not connect to %s: %s", uri, cause);

  gst_element_message_full_with_details (element, GST_MESSAGE_ERROR,
      GST_RESOURCE_ERROR, fatal_error_code (info), text,
      g_strdup ("fatal: retrying would get the same answer"), __FILE__,
      GST_FUNCTION, __LINE__, failure_details (info));
  g_free (cause);
}

/**
 * gst_sensor_net_post_transient:
 * @element: the element whose connection failed
 * @info: why
 * @uri: the location, without secrets
 * @consecutive_failures: failures in a row, from 1
 *
 * Posts a warning naming the cause on the first failure and every tenth
 * after it (see gst_sensor_net_failure_should_warn()); the others are only
 * logged.
 */
void
gst_sensor_net_post_transient (GstElement *element,
    const GstSensorNetWsCloseInfo *info, const gchar *uri,
    guint consecutive_failures)
{
  gchar *cause = gst_sensor_net_failure_describe (info);
  GstStructure *details;

  if (!gst_sensor_net_failure_should_warn (consecutive_failures)) {
    GST_INFO_OBJECT (element, "connection to %s failed (%u in a row): %s", uri,
        consecutive_failures, cause);
    g_free (cause);
    return;
  }
  details = failure_details (info);
  gst_structure_set (
      details, "failures", G_TYPE_UINT, consecutive_failures, NULL);
  gst_element_message_full_with_details (element, GST_MESSAGE_WARNING,
      GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_READ_WRITE,
      g_strdup_printf ("Connection to %s failed: %s; retrying", uri, cause),
      g_strdup_printf ("%u failure(s) in a row", consecutive_failures),
      __FILE__, GST_FUNCTION, __LINE__, details);
  g_free (cause);
}

/**
 * gst_sensor_net_connection_state_new:
 * @state: "connecting", "connected", "disconnected", "reconnecting" or
 *   "closed"
 * @uri: (nullable): the location, without secrets
 * @attempt: the retry attempt, or 0
 * @delay: nanoseconds before that attempt, or 0
 * @reason: (nullable): why, or NULL
 *
 * Returns: (transfer full): a #GST_SENSOR_NET_CONNECTION_STATE structure;
 * add element-specific fields, then post it with
 * gst_sensor_net_post_connection_state().
 */
GstStructure *
gst_sensor_net_connection_state_new (const gchar *state, const gchar *uri,
    guint attempt, GstClockTime delay, const gchar *reason)
{
  return gst_structure_new (GST_SENSOR_NET_CONNECTION_STATE, "state",
      G_TYPE_STRING, state, "uri", G_TYPE_STRING, uri ? uri : "", "attempt",
      G_TYPE_UINT, attempt, "delay", G_TYPE_UINT64, (guint64) delay, "reason",
      G_TYPE_STRING, reason ? reason : "", NULL);
}

/**
 * gst_sensor_net_post_connection_state:
 * @element: the element
 * @state: (transfer full): from gst_sensor_net_connection_state_new()
 *
 * Posts @state as an element message (any thread).
 */
void
gst_sensor_net_post_connection_state (GstElement *element, GstStructure *state)
{
  GST_INFO_OBJECT (
      element, "connection %s", gst_structure_get_string (state, "state"));
  gst_element_post_message (
      element, gst_message_new_element (GST_OBJECT (element), state));
}
