/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:plexus-jpeg
 * @title: JPEG headers
 * @short_description: what a JPEG frame header says, without decoding
 *
 * Reads the markers of a JPEG from SOI to the first SOFn, so that a frame
 * whose size disagrees with its message, or is too large, is refused before
 * any decoding.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "plexus-jpeg.h"
#include "plexus-base64.h"

/* byte by byte: the data has no alignment */
#define READ_U16_BE(p) ((guint) ((p)[0] << 8 | (p)[1]))

static gboolean
bad (GError **error, const gchar *what)
{
  g_set_error (error, GST_PLEXUS_ERROR, GST_PLEXUS_ERROR_BAD_JPEG,
      "not a JPEG: %s", what);
  return FALSE;
}

static GstPlexusJpegSubsampling
subsampling_from_factors (guint n, const guint8 *hv)
{
  guint yh, yv, i;

  if (n == 1)
    return GST_PLEXUS_JPEG_SUBSAMPLING_GRAY;
  if (n != 3)
    return GST_PLEXUS_JPEG_SUBSAMPLING_UNKNOWN;
  /* chroma must be 1x1 for the usual layouts */
  for (i = 1; i < 3; i++)
    if (hv[i] != 0x11)
      return GST_PLEXUS_JPEG_SUBSAMPLING_UNKNOWN;
  yh = hv[0] >> 4;
  yv = hv[0] & 0xf;
  if (yh == 1 && yv == 1)
    return GST_PLEXUS_JPEG_SUBSAMPLING_444;
  if (yh == 2 && yv == 1)
    return GST_PLEXUS_JPEG_SUBSAMPLING_422;
  if (yh == 2 && yv == 2)
    return GST_PLEXUS_JPEG_SUBSAMPLING_420;
  if (yh == 1 && yv == 2)
    return GST_PLEXUS_JPEG_SUBSAMPLING_440;
  if (yh == 4 && yv == 1)
    return GST_PLEXUS_JPEG_SUBSAMPLING_411;
  return GST_PLEXUS_JPEG_SUBSAMPLING_UNKNOWN;
}

/**
 * gst_plexus_jpeg_parse_header:
 * @data: (array length=len): the JPEG
 * @len: its size in bytes
 * @info: (out caller-allocates): what the frame header says
 * @error: a #GError in %GST_PLEXUS_ERROR
 *
 * Walks the markers from SOI to the first SOFn without decoding anything.
 *
 * Returns: %FALSE with %GST_PLEXUS_ERROR_BAD_JPEG when @data is not a JPEG
 *   or its header is truncated
 */
gboolean
gst_plexus_jpeg_parse_header (
    const guint8 *data, gsize len, GstPlexusJpegInfo *info, GError **error)
{
  gsize pos = 2;

  memset (info, 0, sizeof (*info));
  if (len < 4 || data[0] != 0xff || data[1] != 0xd8)
    return bad (error, "no SOI marker");

  while (pos + 4 <= len) {
    guint8 marker;
    guint seglen;

    if (data[pos] != 0xff)
      return bad (error, "garbage between markers");
    /* fill bytes */
    while (pos < len && data[pos] == 0xff)
      pos++;
    if (pos + 3 > len)
      break;
    marker = data[pos++];
    if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7))
      continue; /* standalone markers */
    if (marker == 0xd9 || marker == 0xda)
      return bad (error, "no frame header before the scan");
    seglen = READ_U16_BE (data + pos);
    if (seglen < 2 || pos + seglen > len)
      return bad (error, "truncated marker segment");

    if ((marker >= 0xc0 && marker <= 0xcf) && marker != 0xc4 &&
        marker != 0xc8 && marker != 0xcc) {
      const guint8 *s = data + pos + 2;
      guint8 hv[4] = {
        0,
      };
      guint n, i;

      if (seglen < 8)
        return bad (error, "short frame header");
      info->precision = s[0];
      info->height = READ_U16_BE (s + 1);
      info->width = READ_U16_BE (s + 3);
      n = s[5];
      if (n == 0 || seglen < 8 + 3 * n)
        return bad (error, "bad component count");
      for (i = 0; i < n && i < 4; i++)
        hv[i] = s[6 + 3 * i + 1];
      info->components = n;
      info->progressive = (marker == 0xc2 || marker == 0xc6 || marker == 0xca ||
          marker == 0xce);
      info->subsampling = subsampling_from_factors (n, hv);
      if (info->width == 0 || info->height == 0)
        return bad (error, "zero size in the frame header");
      return TRUE;
    }
    pos += seglen;
  }
  return bad (error, "truncated before the frame header");
}

/**
 * gst_plexus_jpeg_subsampling_name:
 * @s: a subsampling
 *
 * Returns: "gray", "4:2:0", ... or "unknown"
 */
const gchar *
gst_plexus_jpeg_subsampling_name (GstPlexusJpegSubsampling s)
{
  static const gchar *names[] = { "unknown", "gray", "4:4:4", "4:2:2", "4:2:0",
    "4:4:0", "4:1:1" };
  return (guint) s < G_N_ELEMENTS (names) ? names[s] : "unknown";
}
