/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:raeh
 * @title: Raeh
 * @short_description: the Raeh wire codec, all of it in one include
 *
 * Includes the Raeh codec headers: caps, errors, frames, the handshake
 * manifest and the heart-rate estimate. The session
 * (<gst/raeh/raeh-session.h>) is included on its own: it is built apart,
 * over the shared WebSocket client of gst/sensornet.
 */
#pragma once

#include <gst/raeh/raeh-caps.h>
#include <gst/raeh/raeh-error.h>
#include <gst/raeh/raeh-frame.h>
#include <gst/raeh/raeh-manifest.h>
#include <gst/raeh/raeh-hr.h>
