/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/raeh/raeh-caps.h>
#include <gst/raeh/raeh-error.h>
#include <gst/raeh/raeh-frame.h>
#include <gst/raeh/raeh-manifest.h>
#include <gst/raeh/raeh-hr.h>
