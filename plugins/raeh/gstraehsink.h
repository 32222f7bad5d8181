/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_RAEH_SINK (gst_raeh_sink_get_type ())
G_DECLARE_FINAL_TYPE (GstRaehSink, gst_raeh_sink, GST, RAEH_SINK, GstElement);

#define GST_TYPE_RAEH_SINK_PAD (gst_raeh_sink_pad_get_type ())
G_DECLARE_FINAL_TYPE (
    GstRaehSinkPad, gst_raeh_sink_pad, GST, RAEH_SINK_PAD, GstPad);

/**
 * GstRaehSinkAuth:
 * @GST_RAEH_SINK_AUTH_QUERY: `?api_key=` query parameter (the default)
 * @GST_RAEH_SINK_AUTH_HEADER: `Authorization: Bearer` header
 *
 * Where the API key goes.
 */
typedef enum {
  GST_RAEH_SINK_AUTH_QUERY,
  GST_RAEH_SINK_AUTH_HEADER,
} GstRaehSinkAuth;

#define GST_TYPE_RAEH_SINK_AUTH (gst_raeh_sink_auth_get_type ())
GType gst_raeh_sink_auth_get_type (void);

/**
 * GstRaehSinkUndeclaredModality:
 * @GST_RAEH_SINK_UNDECLARED_ERROR: caps negotiation fails with an error
 *   naming the manifest's slots (the default)
 * @GST_RAEH_SINK_UNDECLARED_SKIP: caps negotiation succeeds; the frames
 *   are dropped and counted (`undeclared-dropped`), with one warning
 *
 * What raehsink does with a modality the Raeh manifest does not declare.
 */
typedef enum {
  GST_RAEH_SINK_UNDECLARED_ERROR,
  GST_RAEH_SINK_UNDECLARED_SKIP,
} GstRaehSinkUndeclaredModality;

#define GST_TYPE_RAEH_SINK_UNDECLARED_MODALITY                                 \
  (gst_raeh_sink_undeclared_modality_get_type ())
GType gst_raeh_sink_undeclared_modality_get_type (void);

G_END_DECLS
