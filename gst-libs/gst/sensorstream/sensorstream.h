/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The sensor-stream (SmartFall) HTTP JSON API, as documented: see
 * docs/rpsensorsrc.md for the contract this library implements.
 */
#pragma once

#include <gst/sensorstream/sensorstream-mac.h>
#include <gst/sensorstream/sensorstream-reading.h>
#include <gst/sensorstream/sensorstream-response.h>
#include <gst/sensorstream/sensorstream-ratelimit.h>
#include <gst/sensorstream/sensorstream-score.h>
