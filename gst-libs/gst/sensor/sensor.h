/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/sensor/sensor-prelude.h>
#include <gst/sensor/sensor-format.h>
#include <gst/sensor/sensor-info.h>
#include <gst/sensor/sensor-modality.h>
#include <gst/sensor/sensor-epoch.h>
#include <gst/sensor/sensor-convert.h>
#include <gst/sensor/sensor-secret.h>
#include <gst/sensor/sensor-field.h>
#include <gst/sensor/sensor-handoff-queue.h>
#include <gst/sensor/sensor-counters.h>
