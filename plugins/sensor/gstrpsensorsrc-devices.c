/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/* rpsensorsrc's devices and their pads: the device table, one pad per
 * device and group with its lane in the streaming pool, holding and
 * unavailable devices, idle expiry and the retiring of idle pads. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstrpsensorsrc-private.h"

/* A pad's GstRpSensorSrcPadData, freed with the pad. */
static GQuark
pad_data_quark (void)
{
  static gsize quark = 0;

  if (g_once_init_enter (&quark))
    g_once_init_leave (
        &quark, g_quark_from_static_string ("rpsensorsrc-pad-data"));
  return (GQuark) quark;
}

static gchar *pad_name_for (
    GstRpSensorSrc *self, const gchar *device, guint group);

GstRpSensorSrcPadData *
gst_rp_sensor_src_pad_get_data (GstPad *pad)
{
  return g_object_get_qdata (G_OBJECT (pad), pad_data_quark ());
}

static void
pad_data_free (GstRpSensorSrcPadData *pd)
{
  gst_sensor_stream_lane_unref (pd->lane);
  if (pd->pending)
    gst_buffer_list_unref (pd->pending);
  g_free (pd->device);
  g_free (pd);
}

/* Queues @obj (taken) for @pad. Never blocks: a full lane drops its
 * oldest buffer (counted by the lane). */
void
gst_rp_sensor_src_pad_enqueue (GstPad *pad, GstMiniObject *obj)
{
  gst_sensor_stream_lane_push (gst_rp_sensor_src_pad_get_data (pad)->lane, obj);
}

static void
device_entry_free (GstRpSensorSrcDevice *entry)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (entry->pads); i++)
    if (entry->pads[i])
      gst_object_unref (entry->pads[i]);
  g_free (entry);
}

GHashTable *
gst_rp_sensor_src_device_table_new (void)
{
  return g_hash_table_new_full (
      g_str_hash, g_str_equal, g_free, (GDestroyNotify) device_entry_free);
}

/* With @lock: @device has no pad left (or never had one). */
static void
forget_device (
    GstRpSensorSrc *self, GstRpSensorSrcDevice *entry, const gchar *device)
{
  self->n_devices -= entry->announced ? 1 : 0;
  g_hash_table_remove (self->held, device);
  /* frees @entry */
  g_hash_table_remove (self->devices, device);
  gst_rp_sensor_src_count (self, RP_COUNTER_DEVICES_EXPIRED);
}

/* An idle device's pad, its EOS sent: removed, and the device forgotten
 * with its last pad. */
static void
retire_pad (GstRpSensorSrc *self, GstPad *pad, GstRpSensorSrcPadData *pd)
{
  GstSensorHandoffQueueStats qs;
  GstPad *owned = NULL, *entry_pad = NULL;
  GstRpSensorSrcDevice *entry;
  gchar *name = gst_pad_get_name (pad);

  gst_sensor_stream_lane_get_stats (pd->lane, &qs);
  g_mutex_lock (&self->lock);
  /* whoever takes it from the table removes it (the state change too) */
  if (g_hash_table_steal_extended (
          self->pads, name, NULL, (gpointer *) &owned)) {
    self->retired_dropped += qs.dropped;
    self->retired_dropped_bytes += qs.dropped_bytes;
  }
  entry = pd->device ? g_hash_table_lookup (self->devices, pd->device) : NULL;
  if (owned && entry && entry->pads[pd->group] == pad) {
    entry_pad = entry->pads[pd->group];
    entry->pads[pd->group] = NULL;
    if (--entry->live == 0)
      forget_device (self, entry, pd->device);
  }
  g_mutex_unlock (&self->lock);
  g_free (name);

  if (owned) {
    GST_DEBUG_OBJECT (pad, "device idle: removing its pad");
    gst_pad_set_active (pad, FALSE);
    gst_element_remove_pad (GST_ELEMENT (self), pad);
    gst_object_unref (owned);
  }
  if (entry_pad)
    gst_object_unref (entry_pad);
}

static void
pad_push_one (GstRpSensorSrc *self, GstPad *pad, GstRpSensorSrcPadData *pd,
    GstMiniObject *obj)
{
  GstFlowReturn ret;

  if (GST_IS_EVENT (obj)) {
    gboolean eos = GST_EVENT_TYPE (obj) == GST_EVENT_EOS;

    gst_pad_push_event (pad, GST_EVENT (obj));
    if (eos && pd->retire)
      retire_pad (self, pad, pd);
    return;
  }
  if (pd->failed) {
    gst_mini_object_unref (obj);
    return;
  }

  if (GST_IS_BUFFER_LIST (obj)) {
    guint n = gst_buffer_list_length (GST_BUFFER_LIST_CAST (obj));

    ret = gst_pad_push_list (pad, GST_BUFFER_LIST_CAST (obj));
    if (ret == GST_FLOW_OK)
      gst_sensor_counters_add (self->counters, RP_COUNTER_PUSHED, n);
    else if (ret == GST_FLOW_NOT_LINKED)
      gst_sensor_counters_add (self->counters, RP_COUNTER_NOT_LINKED, n);
  } else {
    ret = gst_pad_push (pad, GST_BUFFER (obj));
    if (ret == GST_FLOW_OK)
      gst_rp_sensor_src_count (self, RP_COUNTER_PUSHED);
    else if (ret == GST_FLOW_NOT_LINKED)
      gst_rp_sensor_src_count (self, RP_COUNTER_NOT_LINKED);
  }

  switch (ret) {
    case GST_FLOW_OK:
    case GST_FLOW_NOT_LINKED:
      /* a group nobody links (heart_rate of a gateway that only wants
       * accel) is not an error */
    case GST_FLOW_FLUSHING:
    case GST_FLOW_EOS:
      /* this pad is going down or done; the other pads go on */
      break;
    default:
      GST_ELEMENT_FLOW_ERROR (self, ret);
      pd->failed = TRUE;
      gst_pad_push_event (pad, gst_event_new_eos ());
      break;
  }
}

/* On a worker of the pool. A push that blocks (a stalled branch, a sink
 * in preroll) holds this worker only; the pad's lane keeps dropping its
 * own oldest buffers meanwhile. */
static void
pad_lane_func (GstMiniObject *obj, gpointer user_data)
{
  GstPad *pad = user_data;
  GstRpSensorSrcPadData *pd = gst_rp_sensor_src_pad_get_data (pad);

  pad_push_one (pd->src, pad, pd, obj);
}

/* A deactivated pad's queue flushes: a worker draining it stops at its
 * next item (and deactivation already made a push in progress return). */
static gboolean
src_activate_mode (
    GstPad *pad, GstObject *parent, GstPadMode mode, gboolean active)
{
  GstRpSensorSrcPadData *pd = gst_rp_sensor_src_pad_get_data (pad);

  if (mode != GST_PAD_MODE_PUSH)
    return FALSE;
  gst_sensor_stream_lane_set_flushing (pd->lane, !active);
  return TRUE;
}

static gboolean
src_query (GstPad *pad, GstObject *parent, GstQuery *query)
{
  if (GST_QUERY_TYPE (query) == GST_QUERY_LATENCY) {
    /* readings are timestamped when they arrive (or earlier, by their
     * client_timestamp): a live source without added latency */
    gst_query_set_latency (query, TRUE, 0, GST_CLOCK_TIME_NONE);
    return TRUE;
  }
  return gst_pad_query_default (pad, parent, query);
}

/* Creates, activates and announces one pad. Called by the server thread
 * (per-device pads) or the state change (filtered pads). */
GstPad *
gst_rp_sensor_src_create_pad (
    GstRpSensorSrc *self, const gchar *name, guint group, const gchar *device)
{
  GstElementClass *klass = GST_ELEMENT_GET_CLASS (self);
  gchar *templ_name = device ?
      g_strdup_printf ("%%s_%s", gst_sensor_stream_group_get (group)->name) :
      g_strdup (gst_sensor_stream_group_get (group)->name);
  GstPadTemplate *templ =
      gst_element_class_get_pad_template (klass, templ_name);
  GstPad *pad;
  GstRpSensorSrcPadData *pd;
  GstCaps *caps;
  GstSegment segment;
  GstEvent *ev;
  gchar *stream_id;

  g_free (templ_name);
  pad = gst_pad_new_from_template (templ, name);
  pd = g_new0 (GstRpSensorSrcPadData, 1);
  pd->src = self;
  pd->group = group;
  pd->device = g_strdup (device);
  pd->discont = TRUE;
  /* the pad outlives every run of its lane: the pool is freed before
   * the pads are removed, and retire_pad() runs in the lane itself */
  pd->lane = gst_sensor_stream_lane_new (
      self->pool, self->run_queue_size, pad_lane_func, pad);
  g_object_set_qdata_full (
      G_OBJECT (pad), pad_data_quark (), pd, (GDestroyNotify) pad_data_free);
  gst_pad_set_query_function (pad, src_query);
  gst_pad_set_activatemode_function (pad, src_activate_mode);
  gst_pad_use_fixed_caps (pad);
  gst_pad_set_active (pad, TRUE);

  /* sticky events, stored now and sent ahead of the first buffer */
  stream_id = gst_pad_create_stream_id (pad, GST_ELEMENT (self), name);
  ev = gst_event_new_stream_start (stream_id);
  gst_event_set_group_id (ev, self->group_id);
  gst_event_set_stream_flags (ev, GST_STREAM_FLAG_SPARSE);
  gst_pad_push_event (pad, ev);
  g_free (stream_id);
  caps = gst_sensor_stream_group_caps (group);
  gst_pad_push_event (pad, gst_event_new_caps (caps));
  gst_caps_unref (caps);
  gst_segment_init (&segment, GST_FORMAT_TIME);
  gst_pad_push_event (pad, gst_event_new_segment (&segment));

  g_mutex_lock (&self->lock);
  /* with the lock gst_rp_sensor_src_set_device_held() takes: a hold never
   * misses a new pad */
  if (device && g_hash_table_contains (self->held, device))
    gst_sensor_stream_lane_set_paused (pd->lane, TRUE);
  g_hash_table_insert (self->pads, g_strdup (name), gst_object_ref (pad));
  g_mutex_unlock (&self->lock);

  gst_element_add_pad (GST_ELEMENT (self), pad);
  return pad;
}

static gchar *
pad_name_for (GstRpSensorSrc *self, const gchar *device, guint group)
{
  gchar *dev, *name;

  if (self->filtered)
    return g_strdup (gst_sensor_stream_group_get (group)->name);
  dev = g_strdup (device);
  g_strdelimit (dev, ":", '_');
  name =
      g_strdup_printf ("%s_%s", dev, gst_sensor_stream_group_get (group)->name);
  g_free (dev);
  return name;
}

GstRpSensorSrcDevice *
gst_rp_sensor_src_get_device (GstRpSensorSrc *self, const gchar *device)
{
  GstRpSensorSrcDevice *entry;

  g_mutex_lock (&self->lock);
  entry = g_hash_table_lookup (self->devices, device);
  if (entry == NULL) {
    entry = g_new0 (GstRpSensorSrcDevice, 1);
    g_hash_table_insert (self->devices, g_strdup (device), entry);
    /* before its pads exist, so no reading slips through */
    if (self->hold_new_devices)
      g_hash_table_add (self->held, g_strdup (device));
  }
  g_mutex_unlock (&self->lock);
  return entry;
}

/* The pad of @entry's @group (borrowed), created on first use when pads
 * are per device. */
GstPad *
gst_rp_sensor_src_get_pad (GstRpSensorSrc *self, GstRpSensorSrcDevice *entry,
    const gchar *device, guint group)
{
  if (entry->pads[group] == NULL && !self->filtered) {
    gchar *name = pad_name_for (self, device, group);
    GstPad *pad = gst_object_ref (
        gst_rp_sensor_src_create_pad (self, name, group, device));

    g_mutex_lock (&self->lock);
    entry->pads[group] = pad;
    entry->live++;
    g_mutex_unlock (&self->lock);
    g_free (name);
  }
  return entry->pads[group];
}

/* After the pads were deactivated: removes them. */
void
gst_rp_sensor_src_remove_pads (GstRpSensorSrc *self)
{
  GList *pads, *l;
  GHashTable *devices;

  g_mutex_lock (&self->lock);
  pads = g_hash_table_get_values (self->pads);
  g_list_foreach (pads, (GFunc) gst_object_ref, NULL);
  g_hash_table_remove_all (self->pads);
  self->n_devices = 0;
  devices = self->devices;
  self->devices = gst_rp_sensor_src_device_table_new ();
  g_mutex_unlock (&self->lock);
  g_hash_table_unref (devices);

  for (l = pads; l; l = l->next) {
    gst_pad_set_active (l->data, FALSE);
    gst_element_remove_pad (GST_ELEMENT (self), l->data);
  }
  g_list_free_full (pads, gst_object_unref);
}

/* With @lock: queues EOS (a copy of @eos, or a new one per pad when NULL)
 * after what each of @entry's pads holds, releasing a hold so that it
 * gets through; @retire: the pads are removed once it was sent. Returns
 * how many pads it went to. */
guint
gst_rp_sensor_src_device_end (
    GstRpSensorSrcDevice *entry, GstEvent *eos, gboolean retire)
{
  guint g, n = 0;

  for (g = 0; g < GST_SENSOR_STREAM_N_GROUPS; g++) {
    GstRpSensorSrcPadData *pd;

    if (entry->pads[g] == NULL)
      continue;
    pd = gst_rp_sensor_src_pad_get_data (entry->pads[g]);
    if (retire)
      pd->retire = TRUE;
    gst_sensor_stream_lane_set_paused (pd->lane, FALSE);
    gst_rp_sensor_src_pad_enqueue (entry->pads[g],
        GST_MINI_OBJECT (eos ? gst_event_copy (eos) : gst_event_new_eos ()));
    n++;
  }
  return n;
}

/* On the server thread, every second or so: the pads of devices silent for
 * device-idle-timeout get EOS, then are removed (retire_pad()). */
gboolean
gst_rp_sensor_src_expire_devices (gpointer user_data)
{
  GstRpSensorSrc *self = user_data;
  gint64 limit = g_get_monotonic_time () -
      (gint64) self->run_device_idle_timeout * G_USEC_PER_SEC;
  GHashTableIter iter;
  gpointer key, value;
  GSList *gone = NULL;

  g_mutex_lock (&self->lock);
  if (self->eos) {
    g_mutex_unlock (&self->lock);
    return G_SOURCE_CONTINUE;
  }
  g_hash_table_iter_init (&iter, self->devices);
  while (g_hash_table_iter_next (&iter, &key, &value)) {
    GstRpSensorSrcDevice *entry = value;

    if (entry->retiring || entry->last_seen > limit)
      continue;
    if (entry->live == 0) {
      gone = g_slist_prepend (gone, g_strdup (key));
      continue;
    }
    GST_INFO_OBJECT (
        self, "device %s idle: ending its streams", (const gchar *) key);
    entry->retiring = TRUE;
    /* a held device is let go: its EOS must get through */
    g_hash_table_remove (self->held, key);
    gst_rp_sensor_src_device_end (entry, NULL, TRUE);
  }
  while (gone) {
    forget_device (
        self, g_hash_table_lookup (self->devices, gone->data), gone->data);
    g_free (gone->data);
    gone = g_slist_delete_link (gone, gone);
  }
  g_mutex_unlock (&self->lock);
  return G_SOURCE_CONTINUE;
}

void
gst_rp_sensor_src_set_device_available (
    GstRpSensorSrc *self, const gchar *device, gboolean available)
{
  gchar id[GST_SENSOR_STREAM_MAC_LEN];

  /* any documented spelling: the table is keyed by the normalised id */
  if (device == NULL || !gst_sensor_stream_normalize_mac (device, id)) {
    GST_WARNING_OBJECT (self, "set-device-available: \"%s\" is no device id",
        GST_STR_NULL (device));
    return;
  }
  g_mutex_lock (&self->lock);
  if (available)
    g_hash_table_remove (self->unavailable, id);
  else
    g_hash_table_add (self->unavailable, g_strdup (id));
  g_mutex_unlock (&self->lock);
  GST_INFO_OBJECT (self, "device %s %s", id,
      available ? "available again" : "unavailable: its posts get 503");
}

void
gst_rp_sensor_src_set_device_held (
    GstRpSensorSrc *self, const gchar *device, gboolean held)
{
  gchar id[GST_SENSOR_STREAM_MAC_LEN];
  guint i;

  if (device == NULL || !gst_sensor_stream_normalize_mac (device, id)) {
    GST_WARNING_OBJECT (
        self, "set-device-held: \"%s\" is no device id", GST_STR_NULL (device));
    return;
  }
  g_mutex_lock (&self->lock);
  if (held)
    g_hash_table_add (self->held, g_strdup (id));
  else
    g_hash_table_remove (self->held, id);
  for (i = 0; i < GST_SENSOR_STREAM_N_GROUPS; i++) {
    gchar *name = pad_name_for (self, id, i);
    GstPad *pad = g_hash_table_lookup (self->pads, name);

    if (pad)
      gst_sensor_stream_lane_set_paused (
          gst_rp_sensor_src_pad_get_data (pad)->lane, held);
    g_free (name);
  }
  g_mutex_unlock (&self->lock);
}
