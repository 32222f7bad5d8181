/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * GstRaehError:
 * @GST_RAEH_ERROR_HEADER_TOO_SHORT: a frame shorter than its 12-byte header
 * @GST_RAEH_ERROR_UNKNOWN_SLOT: a frame's slot_id is not in the manifest
 * @GST_RAEH_ERROR_PAYLOAD_SIZE: payload size does not match the header
 * @GST_RAEH_ERROR_HANDSHAKE: the handshake manifest is malformed
 *
 * Errors of the Raeh codec. Messages follow the style of the server's close
 * reasons, e.g. `payload size mismatch for slot 0 (ppg_green): got 180
 * bytes, expected 200`.
 */
typedef enum {
  GST_RAEH_ERROR_HEADER_TOO_SHORT,
  GST_RAEH_ERROR_UNKNOWN_SLOT,
  GST_RAEH_ERROR_PAYLOAD_SIZE,
  GST_RAEH_ERROR_HANDSHAKE,
} GstRaehError;

/**
 * GST_RAEH_ERROR:
 *
 * The #GQuark of #GstRaehError.
 */
#define GST_RAEH_ERROR (gst_raeh_error_quark ())
GQuark gst_raeh_error_quark (void);

G_END_DECLS
