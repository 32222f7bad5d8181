/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/sensornet/sensornet-props.h>
#include <gst/plexus/plexus.h>
#include <gst/plexus/plexus-video.h> /* gst_plexus_rate_limit */

G_BEGIN_DECLS

/* Properties every Plexus source shares, with their defaults. */
typedef struct
{
  gchar *location;
  gchar *source_id;
  gchar *api_key;         /* never logged */
  gchar **metrics;        /* metrics stream filter */
  gchar **cameras;        /* video stream */
  guint stream_timeout_s; /* video `timeout` query; 0 = server default */
  GstSensorNetProps net;  /* net.timeout is the connect timeout */
  guint data_timeout_s;   /* warn when nothing arrives this long */
  gboolean reconnect_on_timeout;
} GstPlexusSettings;

void gst_plexus_settings_init (GstPlexusSettings *s);
void gst_plexus_settings_clear (GstPlexusSettings *s);
void gst_plexus_settings_copy (
    GstPlexusSettings *dest, const GstPlexusSettings *src);

/* Property ids of the shared properties, starting at @first. */
enum {
  GST_PLEXUS_PROP_LOCATION = 1,
  GST_PLEXUS_PROP_SOURCE_ID,
  GST_PLEXUS_PROP_API_KEY,
  GST_PLEXUS_PROP_DATA_TIMEOUT,
  GST_PLEXUS_PROP_STATS,
  GST_PLEXUS_PROP_NET, /* GST_SENSOR_NET_PROPS_N ids from here */
  GST_PLEXUS_PROP_LAST = GST_PLEXUS_PROP_NET + GST_SENSOR_NET_PROPS_N
};

/* @net_flags: GST_SENSOR_NET_PROPS_FLAG_NO_TIMEOUT when the element's
 * `timeout` means something else (it then sets net.timeout itself). */
void gst_plexus_install_properties (
    GObjectClass *klass, GstSensorNetPropsFlags net_flags);
/* TRUE when @prop_id was one of the shared properties. */
gboolean gst_plexus_settings_set_property (
    GstPlexusSettings *s, GObject *object, guint prop_id, const GValue *value);
gboolean gst_plexus_settings_get_property (
    GstPlexusSettings *s, guint prop_id, GValue *value);

typedef struct _GstPlexusConnection GstPlexusConnection;

/* Called on the network thread for every parsed frame of the expected
 * kinds (telemetry, event, video_frame); @arrival is the element's running
 * time when the message arrived, or NONE when it is not playing. */
typedef void (*GstPlexusFrameFunc) (
    GstPlexusFrame *frame, GstClockTime arrival, gpointer user_data);

typedef enum {
  GST_PLEXUS_END_EOS,   /* 4008 without reconnect-on-timeout */
  GST_PLEXUS_END_ERROR, /* an error was posted */
} GstPlexusEnd;

typedef void (*GstPlexusEndFunc) (GstPlexusEnd end, gpointer user_data);

GstPlexusConnection *gst_plexus_connection_new (GstElement *element,
    GstPlexusStream stream, const GstPlexusSettings *settings,
    GstPlexusFrameFunc on_frame, GstPlexusEndFunc on_end, gpointer user_data);

/* Starts connecting; FALSE with an error posted when the settings are
 * unusable. */
gboolean gst_plexus_connection_start (GstPlexusConnection *conn);

/* No callback runs after this returns. */
void gst_plexus_connection_stop (GstPlexusConnection *conn);
void gst_plexus_connection_free (GstPlexusConnection *conn);

/* Adds the connection counters to @s. */
void gst_plexus_connection_fill_stats (
    GstPlexusConnection *conn, GstStructure *s);

/* Copies every field of @src (may be NULL) into @dest. */
void gst_plexus_stats_merge (GstStructure *dest, const GstStructure *src);

G_END_DECLS
