/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * GST_RAMEN_SEQ_MAX:
 *
 * The largest seq taken as real: 2^53 - 1, the largest integer a JSON number
 * holds exactly in the many readers that parse numbers as doubles (ramensrc
 * writes seq into every event line). A stream doing a million events a
 * second reaches it in 285 years; a cursor beyond it is corrupt.
 */
#define GST_RAMEN_SEQ_MAX G_GINT64_CONSTANT (9007199254740991)

/**
 * GstRamenSeqAction:
 * @GST_RAMEN_SEQ_DELIVER: the next one: push it
 * @GST_RAMEN_SEQ_DUPLICATE: seq <= last: drop and count
 * @GST_RAMEN_SEQ_GAP: live event beyond last + 1: Replay first
 * @GST_RAMEN_SEQ_DELIVER_GAP: a Replay answer beyond last + 1: the store
 *   has nothing in between, push it and count the hole
 *
 * What to do with an incoming event, given the last seq delivered.
 */
typedef enum {
  GST_RAMEN_SEQ_DELIVER,
  GST_RAMEN_SEQ_DUPLICATE,
  GST_RAMEN_SEQ_GAP,
  GST_RAMEN_SEQ_DELIVER_GAP,
} GstRamenSeqAction;

GstRamenSeqAction gst_ramen_seq_decide (
    gint64 last_seq, gint64 seq, gboolean from_replay);

G_END_DECLS
