/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "plexus-base64.h"

G_DEFINE_QUARK (gst - plexus - error - quark, gst_plexus_error);

/* 1 for the 64 symbols of the standard alphabet */
static const guint8 b64_symbol[256] = {
  ['A'] = 1,
  ['B'] = 1,
  ['C'] = 1,
  ['D'] = 1,
  ['E'] = 1,
  ['F'] = 1,
  ['G'] = 1,
  ['H'] = 1,
  ['I'] = 1,
  ['J'] = 1,
  ['K'] = 1,
  ['L'] = 1,
  ['M'] = 1,
  ['N'] = 1,
  ['O'] = 1,
  ['P'] = 1,
  ['Q'] = 1,
  ['R'] = 1,
  ['S'] = 1,
  ['T'] = 1,
  ['U'] = 1,
  ['V'] = 1,
  ['W'] = 1,
  ['X'] = 1,
  ['Y'] = 1,
  ['Z'] = 1,
  ['a'] = 1,
  ['b'] = 1,
  ['c'] = 1,
  ['d'] = 1,
  ['e'] = 1,
  ['f'] = 1,
  ['g'] = 1,
  ['h'] = 1,
  ['i'] = 1,
  ['j'] = 1,
  ['k'] = 1,
  ['l'] = 1,
  ['m'] = 1,
  ['n'] = 1,
  ['o'] = 1,
  ['p'] = 1,
  ['q'] = 1,
  ['r'] = 1,
  ['s'] = 1,
  ['t'] = 1,
  ['u'] = 1,
  ['v'] = 1,
  ['w'] = 1,
  ['x'] = 1,
  ['y'] = 1,
  ['z'] = 1,
  ['0'] = 1,
  ['1'] = 1,
  ['2'] = 1,
  ['3'] = 1,
  ['4'] = 1,
  ['5'] = 1,
  ['6'] = 1,
  ['7'] = 1,
  ['8'] = 1,
  ['9'] = 1,
  ['+'] = 1,
  ['/'] = 1,
};

gssize
gst_plexus_base64_validate (const gchar *text, gsize len)
{
  const guchar *p = (const guchar *) text;
  const guchar *end = p + len;
  gsize symbols = 0, pad = 0;

  /* the common case first: a run of plain symbols, 8 at a time */
  while (end - p >= 8 &&
      (b64_symbol[p[0]] & b64_symbol[p[1]] & b64_symbol[p[2]] &
          b64_symbol[p[3]] & b64_symbol[p[4]] & b64_symbol[p[5]] &
          b64_symbol[p[6]] & b64_symbol[p[7]])) {
    p += 8;
    symbols += 8;
  }
  for (; p < end; p++) {
    guchar c = *p;

    if (b64_symbol[c] && pad == 0) {
      symbols++;
    } else if (c == '\\') {
      /* JSON encoders may escape the solidus; nothing else belongs here */
      if (p + 1 >= end || p[1] != '/' || pad > 0)
        return -1;
      p++;
      symbols++;
    } else if (c == '=') {
      if (++pad > 2)
        return -1;
    } else {
      return -1;
    }
  }
  /* padded input is whole quads; unpadded input may end with 2 or 3
   * symbols, never 1 */
  if (pad > 0 && (symbols + pad) % 4 != 0)
    return -1;
  if (symbols % 4 == 1)
    return -1;
  return symbols;
}

GstBuffer *
gst_plexus_base64_decode_to_buffer (
    const gchar *text, gsize len, GError **error)
{
  GstBuffer *buf;
  GstMapInfo map;
  gssize symbols;
  gint state = 0;
  guint save = 0;
  gsize out_len, split, rest;

  symbols = gst_plexus_base64_validate (text, len);
  if (symbols <= 0) {
    g_set_error (error, GST_PLEXUS_ERROR, GST_PLEXUS_ERROR_BAD_BASE64,
        symbols == 0 ? "frame is empty" : "frame is not valid base64");
    return NULL;
  }

  buf = gst_buffer_new_allocate (NULL, (symbols / 4) * 3 + 3, NULL);
  if (!buf || !gst_buffer_map (buf, &map, GST_MAP_WRITE)) {
    g_set_error (error, GST_PLEXUS_ERROR, GST_PLEXUS_ERROR_TOO_LARGE,
        "cannot allocate %" G_GSSIZE_FORMAT " bytes", symbols);
    if (buf)
      gst_buffer_unref (buf);
    return NULL;
  }
  /* the decoder skips characters outside the alphabet, so the '\\' of an
   * escaped solidus vanishes by itself */
  rest = text[len - 1] == '=' ? 0 : symbols % 4;
  split = len;
  if (rest > 0) {
    /* g_base64_decode_step() keeps an unpadded tail to itself: decode
     * whole quads, then the tail padded by hand */
    gchar quad[4] = { '=', '=', '=', '=' };
    gsize i, k = rest;

    while (k > 0) {
      split--;
      if (text[split] != '\\')
        quad[--k] = text[split];
    }
    out_len = g_base64_decode_step (text, split, map.data, &state, &save);
    state = 0;
    save = 0;
    for (i = rest; i < 4; i++)
      quad[i] = '=';
    out_len +=
        g_base64_decode_step (quad, 4, map.data + out_len, &state, &save);
  } else {
    out_len = g_base64_decode_step (text, len, map.data, &state, &save);
  }
  gst_buffer_unmap (buf, &map);
  gst_buffer_set_size (buf, out_len);
  return buf;
}

void
gst_plexus_base64_append (GString *out, const guint8 *data, gsize len)
{
  gsize old = out->len;
  gsize n;
  gint state = 0, save = 0;

  g_string_set_size (out, old + (len / 3 + 1) * 4 + 4);
  n = g_base64_encode_step (data, len, FALSE, out->str + old, &state, &save);
  n += g_base64_encode_close (FALSE, out->str + old + n, &state, &save);
  g_string_set_size (out, old + n);
}
