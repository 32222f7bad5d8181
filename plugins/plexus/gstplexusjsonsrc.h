/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/base/gstpushsrc.h>
#include <gst/plexus/plexus.h>

#include "gstplexusconnection.h"

G_BEGIN_DECLS

/* Common base of plexusmetricssrc and plexuslogsrc: one live Plexus
 * stream, one buffer per point or event. */
#define GST_TYPE_PLEXUS_JSON_SRC (gst_plexus_json_src_get_type ())
G_DECLARE_DERIVABLE_TYPE (
    GstPlexusJsonSrc, gst_plexus_json_src, GST, PLEXUS_JSON_SRC, GstPushSrc)

struct _GstPlexusJsonSrcClass
{
  GstPushSrcClass parent_class;

  GstPlexusStream stream;
  GstPlexusFrameType frame_type; /* the data frames of the stream */
};

/* The custom meta on every buffer: metric (string) and, when the value is
 * a finite number, number (double). */
#define GST_PLEXUS_POINT_META_NAME "GstPlexusPointMeta"

/* For subclasses: the settings (object lock held by the caller). */
GstPlexusSettings *gst_plexus_json_src_get_settings (GstPlexusJsonSrc *src);

/* The metrics filter, or NULL when empty. Caller frees. */
gchar **gst_plexus_json_src_dup_metrics (GstPlexusJsonSrc *src);

G_END_DECLS
