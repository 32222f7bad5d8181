/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ramen-seq.h"

GstRamenSeqAction
gst_ramen_seq_decide (gint64 last_seq, gint64 seq, gboolean from_replay)
{
  if (seq <= last_seq)
    return GST_RAMEN_SEQ_DUPLICATE;
  if (seq == last_seq + 1)
    return GST_RAMEN_SEQ_DELIVER;
  return from_replay ? GST_RAMEN_SEQ_DELIVER_GAP : GST_RAMEN_SEQ_GAP;
}
