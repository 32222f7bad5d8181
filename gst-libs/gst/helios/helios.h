/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * HeliOS device WebSockets: channel table, message parsers, frame formats,
 * the AsyncAPI channel list and the channel session. No elements.
 */
#pragma once

#include <gst/helios/helios-channel.h>
#include <gst/helios/helios-message.h>
#include <gst/helios/helios-format.h>
#include <gst/helios/helios-asyncapi.h>
#include <gst/helios/helios-session.h>
