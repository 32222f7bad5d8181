/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:ramen-seq
 * @title: RAMEN sequence numbers
 * @short_description: what to do with an event, given the last seq
 *   delivered
 *
 * seq is monotonic and gap-free per user stream, and delivery is
 * at-least-once: duplicates are dropped, a live gap is repaired with a
 * Replay first.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ramen-seq.h"

/**
 * gst_ramen_seq_decide:
 * @last_seq: the last seq delivered
 * @seq: the seq of the incoming event
 * @from_replay: the event came from a Replay page, which is the source of
 *   truth for what exists; live events must be contiguous
 *
 * Returns: what to do with the event
 */
GstRamenSeqAction
gst_ramen_seq_decide (gint64 last_seq, gint64 seq, gboolean from_replay)
{
  if (seq <= last_seq)
    return GST_RAMEN_SEQ_DUPLICATE;
  if (seq == last_seq + 1)
    return GST_RAMEN_SEQ_DELIVER;
  return from_replay ? GST_RAMEN_SEQ_DELIVER_GAP : GST_RAMEN_SEQ_GAP;
}
