/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/plexus/plexus-base64.h>
#include <gst/plexus/plexus-frame.h>
#include <gst/plexus/plexus-jpeg.h>
#include <gst/plexus/plexus-stream.h>
