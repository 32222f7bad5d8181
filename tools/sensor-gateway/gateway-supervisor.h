/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

#include "gateway-config.h"

G_BEGIN_DECLS

/* One [pipeline NAME]: runs its description, restarts it with backoff
 * after an error or an end of stream, drains it on shutdown. Lives on the
 * thread-default main context of the caller of new(). */
typedef struct _GatewaySupervisor GatewaySupervisor;

GatewaySupervisor *gateway_supervisor_new (const GatewayPipeline *config);

void gateway_supervisor_start (GatewaySupervisor *sup);

/* Sends EOS and calls @done once the pipeline has ended (EOS, an error or
 * @timeout), then leaves it stopped. */
void gateway_supervisor_drain (GatewaySupervisor *sup, GstClockTime timeout,
    GCallback done, gpointer user_data);

gboolean gateway_supervisor_is_running (GatewaySupervisor *sup);

const gchar *gateway_supervisor_get_name (GatewaySupervisor *sup);

guint gateway_supervisor_get_restarts (GatewaySupervisor *sup);

/* The running pipeline (a new reference), or NULL while it is restarting. */
GstElement *gateway_supervisor_ref_pipeline (GatewaySupervisor *sup);

void gateway_supervisor_free (GatewaySupervisor *sup);

/* Sends EOS to @element from a thread of its own: a source's send_event
 * may wait for its streaming thread (caps negotiation with a sink that
 * waits for its network), which must never stall the main loop. @pending
 * counts the sends not returned yet (atomic): while one is, the element's
 * state lock is taken and stopping it would block. */
void gateway_send_eos_async (GstElement *element, gint *pending);

/* TRUE when a drain gave up on the pipeline: its EOS never returned, so it
 * cannot be stopped without blocking (the process exits instead). */
gboolean gateway_supervisor_is_stuck (GatewaySupervisor *sup);

G_END_DECLS
