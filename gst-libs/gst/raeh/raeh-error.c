/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:raeh-error
 * @title: Raeh errors
 * @short_description: the error domain of the Raeh codec
 *
 * Frame and handshake parsing report a #GstRaehError in the
 * %GST_RAEH_ERROR domain.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "raeh-error.h"

/**
 * gst_raeh_error_quark:
 *
 * Returns: the #GQuark of %GST_RAEH_ERROR
 */
G_DEFINE_QUARK (gst - raeh - error - quark, gst_raeh_error);
