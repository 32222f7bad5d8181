/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:plexus-base64
 * @title: Plexus base64 frames
 * @short_description: checking and decoding the base64 JPEG of a video
 *   frame without copies
 *
 * A video frame's JPEG arrives as base64 inside a JSON string. It is
 * checked in place (JSON's `\/` escape allowed) and decoded straight into
 * the memory of a new buffer. Also the error domain of the library.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "plexus-base64.h"

/**
 * gst_plexus_error_quark:
 *
 * Returns: the #GQuark of %GST_PLEXUS_ERROR
 */
G_DEFINE_QUARK (gst - plexus - error - quark, gst_plexus_error);

/* the value of each symbol of the standard alphabet; B64_BAD (a bit no
 * symbol has) for every other byte, so four lookups are checked with one OR */
#define B64_BAD 0x80
/* clang-format off */
static const guint8 b64_value[256] = {
  0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x3e, 0x80, 0x80, 0x80, 0x3f,
  0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  0x80, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e,
  0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x80, 0x80, 0x80, 0x80, 0x80,
  0x80, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28,
  0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x32, 0x33, 0x80, 0x80, 0x80, 0x80, 0x80,
  0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
  0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
};
/**
 * gst_plexus_base64_validate:
 * @text: (array length=len): JSON string content
 * @len: its size in bytes
 *
 * Checks that @text is base64: standard alphabet, '=' padding at the end
 * only, `\/` escapes allowed.
 *
 * Returns: the number of base64 symbols, or -1 when it is not base64
 */
gssize
gst_plexus_base64_validate (const gchar *text, gsize len)
{
  const guchar *p = (const guchar *) text;
  const guchar *end = p + len;
  gsize symbols = 0, pad = 0;

  /* the common case first: a run of plain symbols, 8 at a time */
  while (end - p >= 8 &&
      !((b64_value[p[0]] | b64_value[p[1]] | b64_value[p[2]] | b64_value[p[3]] |
            b64_value[p[4]] | b64_value[p[5]] | b64_value[p[6]] |
            b64_value[p[7]]) &
          B64_BAD)) {
    p += 8;
    symbols += 8;
  }
  for (; p < end; p++) {
    guchar c = *p;

    if (b64_value[c] != B64_BAD && pad == 0) {
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

/* b64_value[] shifted to each position of a quad, B64_BAD_QUAD for bytes
 * outside the alphabet */
#define B64_BAD_QUAD 0x01000000u
static guint32 b64_quad[4][256];

static gpointer
init_quad_tables (gpointer unused)
{
  guint i, k;

  for (i = 0; i < 256; i++)
    for (k = 0; k < 4; k++)
      b64_quad[k][i] = b64_value[i] == B64_BAD ?
          B64_BAD_QUAD :
          (guint32) b64_value[i] << (18 - 6 * k);
  return NULL;
}

/* 16 symbols to 12 bytes at a time with SSSE3 (on x86 CPUs that have it,
 * checked at run time): the usual nibble-table classification of the
 * standard alphabet, then multiply-add packing. A block with any other byte
 * (`=`, `\\`, garbage) is left to the scalar code, so the result is the
 * same byte for byte. */
#if (defined(__x86_64__) || defined(__i386__)) &&                              \
    (defined(__GNUC__) || defined(__clang__))
#define HAVE_SSSE3_PATH 1
#include <immintrin.h>

__attribute__ ((target ("ssse3"))) static gsize
decode_blocks_ssse3 (const guchar *p, gsize len, guint8 *o)
{
  /* a byte is in the alphabet when the two lookups share no bit */
  const __m128i lut_lo = _mm_setr_epi8 (0x15, 0x11, 0x11, 0x11, 0x11, 0x11,
      0x11, 0x11, 0x11, 0x11, 0x13, 0x1a, 0x1b, 0x1b, 0x1b, 0x1a);
  const __m128i lut_hi = _mm_setr_epi8 (0x10, 0x10, 0x01, 0x02, 0x04, 0x08,
      0x04, 0x08, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10);
  /* what to add to a symbol to get its value, by high nibble ('/' apart) */
  const __m128i lut_roll =
      _mm_setr_epi8 (0, 16, 19, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0);
  const __m128i nibble = _mm_set1_epi8 (0x0f);
  const __m128i slash = _mm_set1_epi8 ('/');
  const __m128i pack_bc = _mm_set1_epi32 (0x01400140);
  const __m128i pack_abcd = _mm_set1_epi32 (0x00011000);
  const __m128i order =
      _mm_setr_epi8 (2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1);
  gsize done = 0;

  /* 16 more symbols after each block: the 16-byte store has room */
  while (len - done >= 32) {
    __m128i in = _mm_loadu_si128 ((const __m128i *) (p + done));
    __m128i hi = _mm_and_si128 (_mm_srli_epi32 (in, 4), nibble);
    __m128i lo = _mm_and_si128 (in, nibble);
    __m128i bad = _mm_and_si128 (
        _mm_shuffle_epi8 (lut_lo, lo), _mm_shuffle_epi8 (lut_hi, hi));
    __m128i v;

    if (_mm_movemask_epi8 (_mm_cmpeq_epi8 (bad, _mm_setzero_si128 ())) !=
        0xffff)
      break;
    v = _mm_add_epi8 (in,
        _mm_shuffle_epi8 (
            lut_roll, _mm_add_epi8 (_mm_cmpeq_epi8 (in, slash), hi)));
    v = _mm_madd_epi16 (_mm_maddubs_epi16 (v, pack_bc), pack_abcd);
    _mm_storeu_si128 ((__m128i *) o, _mm_shuffle_epi8 (v, order));
    o += 12;
    done += 16;
  }
  return done;
}

static gboolean
have_ssse3 (void)
{
  static gsize once = 0;
  static gboolean have;

  if (g_once_init_enter (&once)) {
    __builtin_cpu_init ();
    have = __builtin_cpu_supports ("ssse3");
    g_once_init_leave (&once, 1);
  }
  return have;
}
#endif

/* Validates and decodes in one pass, with the rules of
 * gst_plexus_base64_validate(). Returns the number of bytes written to @out
 * (at least (len / 4) * 3 + 3 bytes), or -1 when @text is not base64;
 * @symbols receives the number of symbols. */
static gssize
decode_into (const gchar *text, gsize len, guint8 *out, gsize *symbols)
{
  const guchar *p = (const guchar *) text;
  const guchar *end = p + len;
  guint8 *o = out;
  guint32 acc = 0;
  guint n = 0, pad = 0;
  gsize quads = 0;
#ifdef HAVE_SSSE3_PATH
  gboolean simd = have_ssse3 ();
#endif

  while (p < end) {
    guint v;

    if (n == 0 && pad == 0) {
#ifdef HAVE_SSSE3_PATH
      if (simd) {
        gsize done = decode_blocks_ssse3 (p, end - p, o);

        p += done;
        o += done / 4 * 3;
        quads += done / 4;
      }
#endif
      /* the common case: whole quads of plain symbols, each looked up
       * already shifted into place; a stray byte sets B64_BAD_QUAD. The
       * 4-byte stores overlap the next quad: the caller's slack covers the
       * last one */
      while (end - p >= 8) {
        guint32 q1 = b64_quad[0][p[0]] | b64_quad[1][p[1]] | b64_quad[2][p[2]] |
            b64_quad[3][p[3]];
        guint32 q2 = b64_quad[0][p[4]] | b64_quad[1][p[5]] | b64_quad[2][p[6]] |
            b64_quad[3][p[7]];

        if ((q1 | q2) & B64_BAD_QUAD)
          break;
        q1 = GUINT32_TO_BE (q1 << 8);
        q2 = GUINT32_TO_BE (q2 << 8);
        memcpy (o, &q1, 4);
        memcpy (o + 3, &q2, 4);
        o += 6;
        p += 8;
        quads += 2;
      }
      while (end - p >= 4) {
        guint32 q = b64_quad[0][p[0]] | b64_quad[1][p[1]] | b64_quad[2][p[2]] |
            b64_quad[3][p[3]];

        if (q & B64_BAD_QUAD)
          break;
        o[0] = q >> 16;
        o[1] = q >> 8;
        o[2] = q;
        o += 3;
        p += 4;
        quads++;
      }
      if (p >= end)
        break;
    }
    v = b64_value[*p];
    if (v != B64_BAD && pad == 0) {
      p++;
    } else if (*p == '\\') {
      /* JSON encoders may escape the solidus; nothing else belongs here */
      if (end - p < 2 || p[1] != '/' || pad > 0)
        return -1;
      v = b64_value['/'];
      p += 2;
    } else if (*p == '=') {
      if (++pad > 2)
        return -1;
      p++;
      continue;
    } else {
      return -1;
    }
    acc = acc << 6 | v;
    if (++n == 4) {
      o[0] = acc >> 16;
      o[1] = acc >> 8;
      o[2] = acc;
      o += 3;
      quads++;
      n = 0;
      acc = 0;
    }
  }
  /* padded input is whole quads; unpadded input may end with 2 or 3
   * symbols, never 1 */
  if ((pad > 0 && (n + pad) % 4 != 0) || n == 1)
    return -1;
  /* the tail's leftover bits are ignored, as g_base64_decode() does */
  if (n == 2) {
    *o++ = acc >> 4;
  } else if (n == 3) {
    *o++ = acc >> 10;
    *o++ = acc >> 2;
  }
  *symbols = quads * 4 + n;
  return o - out;
}

/**
 * gst_plexus_base64_decode_to_buffer:
 * @text: (array length=len): base64 text that passed
 *   gst_plexus_base64_validate(); may contain `\/` escapes
 * @len: its size in bytes
 * @error: a #GError in %GST_PLEXUS_ERROR
 *
 * Decodes @text straight into the memory of a new buffer, with no copy in
 * between.
 *
 * Returns: (transfer full) (nullable): the bytes, or %NULL with
 *   %GST_PLEXUS_ERROR_BAD_BASE64
 */
GstBuffer *
gst_plexus_base64_decode_to_buffer (
    const gchar *text, gsize len, GError **error)
{
  GstBuffer *buf;
  GstMapInfo map;
  gssize out_len;
  gsize symbols = 0;
  static GOnce quad_once = G_ONCE_INIT;

  g_once (&quad_once, init_quad_tables, NULL);
  if (len == 0) {
    g_set_error (
        error, GST_PLEXUS_ERROR, GST_PLEXUS_ERROR_BAD_BASE64, "frame is empty");
    return NULL;
  }
  /* escapes only make the text longer than its symbols */
  buf = gst_buffer_new_allocate (NULL, (len / 4) * 3 + 3, NULL);
  if (!buf || !gst_buffer_map (buf, &map, GST_MAP_WRITE)) {
    g_set_error (error, GST_PLEXUS_ERROR, GST_PLEXUS_ERROR_TOO_LARGE,
        "cannot allocate %" G_GSIZE_FORMAT " bytes", len);
    if (buf)
      gst_buffer_unref (buf);
    return NULL;
  }
  out_len = decode_into (text, len, map.data, &symbols);
  gst_buffer_unmap (buf, &map);
  if (out_len < 0 || symbols == 0) {
    g_set_error (error, GST_PLEXUS_ERROR, GST_PLEXUS_ERROR_BAD_BASE64,
        out_len < 0 ? "frame is not valid base64" : "frame is empty");
    gst_buffer_unref (buf);
    return NULL;
  }
  gst_buffer_set_size (buf, out_len);
  return buf;
}

/**
 * gst_plexus_base64_append:
 * @out: the string to append to
 * @data: (array length=len): bytes
 * @len: their number
 *
 * Appends the base64 encoding of @data (standard alphabet, padded) to @out.
 */
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
