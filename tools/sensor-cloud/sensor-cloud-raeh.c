/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * sensor-cloud, Raeh part: /stream/ingest (handshake from a device model,
 * 4001 for a bad key, 4004 for an unknown model or a bad frame with the
 * validation reason, one session per (device_model_id, device_id)) and
 * /stream/subscribe (hr insights from the received PPG about every 2 s).
 * The record says what arrived: frames per slot and t0 continuity.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>
#include <gst/raeh/raeh.h>
#include <gst/sensornet/sensornet-ws-limit-stream.h>

#include "sensor-cloud.h"

#define DEFAULT_MODEL_ID "573fdc48-b7a8-40bb-81b7-e96df24fab6d"
#define HR_INTERVAL_MS 2000
/* A close reason must fit a control frame (125 bytes with the code). */
#define MAX_REASON 123

typedef struct
{
  gchar *id;
  GstRaehManifest *channels; /* slots without a session id */
} DeviceModel;

typedef struct
{
  guint slot_id;
  gchar *modality;
  gdouble rate;
  guint64 frames, samples, bytes;
  gint64 first_t0, last_t0, next_t0; /* ms; next = end of the last frame */
  gdouble next_t0_exact;
  guint gaps, overlaps;
  gint64 max_jump_ms;
  GArray *t0s; /* gint64, with --raeh-record-frames */
} SlotRecord;

typedef struct
{
  gint64 t0_ms;
  guint count;
  gdouble *values;
} PpgFrame;

typedef struct
{
  gchar *session_id;
  gchar *device_id;
  gchar *device_model_id;
  SoupWebsocketConnection *conn; /* NULL once closed */
  GstRaehManifest *manifest;
  GArray *slots; /* SlotRecord */
  guint64 frames_total, text_messages;
  gboolean closed;
  gint close_code;
  gchar *close_reason;
  gchar *bad_frame; /* reason of a 4004 for a frame */
  /* hr */
  const GstRaehSlot *ppg;
  GQueue ppg_frames; /* PpgFrame, t0 order */
  gboolean ppg_new;
} Session;

typedef struct
{
  GPtrArray *models;      /* DeviceModel */
  GPtrArray *sessions;    /* Session, every one ever opened */
  GHashTable *active;     /* "model\ndevice" -> Session */
  GPtrArray *subscribers; /* SoupWebsocketConnection */
  GPtrArray *insights;    /* JsonNode */
  GPtrArray *rejected;    /* JsonNode: refused connections */
  guint hr_timer;
} RaehCloud;

static gchar **opt_keys;
static gchar *opt_models;
static gdouble opt_hr_window = 8.0;
static gboolean opt_record_frames;
static RaehCloud *raeh;

static const GOptionEntry raeh_entries[] = {
  { "raeh-api-key", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_keys,
      "Accepted API key (repeatable; default: any key starting with raeh_)",
      "KEY" },
  { "raeh-device-models", 0, 0, G_OPTION_ARG_FILENAME, &opt_models,
      "JSON file of device models (default: one xyz_watch_v1 model, "
      "id " DEFAULT_MODEL_ID ", ppg_green 100 Hz + acc_3axis 50 Hz)",
      "FILE" },
  { "raeh-hr-window", 0, 0, G_OPTION_ARG_DOUBLE, &opt_hr_window,
      "Seconds of PPG the hr insight looks at (default 8)", "S" },
  { "raeh-record-frames", 0, 0, G_OPTION_ARG_NONE, &opt_record_frames,
      "Record every frame's t0 per slot", NULL },
  { NULL }
};

static void
device_model_free (DeviceModel *m)
{
  g_free (m->id);
  gst_raeh_manifest_free (m->channels);
  g_free (m);
}

static void
slot_record_clear (gpointer data)
{
  SlotRecord *r = data;

  g_free (r->modality);
  if (r->t0s)
    g_array_unref (r->t0s);
}

static void
ppg_frame_free (PpgFrame *f)
{
  g_free (f->values);
  g_free (f);
}

static void
session_free (Session *s)
{
  if (s->conn)
    g_object_unref (s->conn);
  g_free (s->session_id);
  g_free (s->device_id);
  g_free (s->device_model_id);
  g_free (s->close_reason);
  g_free (s->bad_frame);
  gst_raeh_manifest_free (s->manifest);
  g_array_unref (s->slots);
  g_queue_clear_full (&s->ppg_frames, (GDestroyNotify) ppg_frame_free);
  g_free (s);
}

static DeviceModel *
default_model (void)
{
  DeviceModel *m = g_new0 (DeviceModel, 1);

  m->id = g_strdup (DEFAULT_MODEL_ID);
  m->channels = gst_raeh_manifest_new (NULL);
  gst_raeh_manifest_add_slot (m->channels, 0,
      "9f3a6c1e-0d4b-4c8e-9a51-3f1d2b7c8e01", "ppg_green", 100, 16, 1);
  gst_raeh_manifest_add_slot (m->channels, 1,
      "0b7e2d94-5a13-4f6c-8d20-6e9c1a4b3f72", "acc_3axis", 50, 16, 3);
  return m;
}

/* {"device_models": [{"id": "...", "modality_channels": [{"modality": ...,
 * "sample_rate_hz": ..., "bit_depth": ..., "num_channels": ...,
 * "slot_id": optional}]}]}. Channels are validated by the manifest parser;
 * a channel without slot_id gets its index. */
static gboolean
load_models (const gchar *path, GPtrArray *models, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonArray *arr;
  guint i;

  if (!json_parser_load_from_file (parser, path, error))
    return FALSE;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root) ||
      !json_object_has_member (json_node_get_object (root), "device_models") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (
          json_node_get_object (root), "device_models"))) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
        "%s: expected {\"device_models\": [...]}", path);
    return FALSE;
  }
  arr = json_object_get_array_member (
      json_node_get_object (root), "device_models");
  for (i = 0; i < json_array_get_length (arr); i++) {
    JsonNode *node = json_array_get_element (arr, i);
    JsonObject *obj, *wrap;
    JsonArray *chans;
    g_autoptr (JsonGenerator) gen = NULL;
    g_autoptr (JsonNode) wrap_node = NULL;
    g_autofree gchar *text = NULL;
    g_autoptr (GError) perr = NULL;
    GstRaehManifest *manifest;
    DeviceModel *m;
    guint j;

    if (!JSON_NODE_HOLDS_OBJECT (node) ||
        !json_object_has_member ((obj = json_node_get_object (node)), "id") ||
        !json_object_has_member (obj, "modality_channels") ||
        !JSON_NODE_HOLDS_ARRAY (
            json_object_get_member (obj, "modality_channels"))) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
          "%s: device_models[%u] needs \"id\" and \"modality_channels\"", path,
          i);
      return FALSE;
    }
    chans = json_object_get_array_member (obj, "modality_channels");
    for (j = 0; j < json_array_get_length (chans); j++) {
      JsonNode *c = json_array_get_element (chans, j);

      if (JSON_NODE_HOLDS_OBJECT (c) &&
          !json_object_has_member (json_node_get_object (c), "slot_id"))
        json_object_set_int_member (json_node_get_object (c), "slot_id", j);
    }
    wrap = json_object_new ();
    json_object_set_string_member (wrap, "session_id", "");
    json_object_set_array_member (wrap, "slots", json_array_ref (chans));
    wrap_node = json_node_init_object (json_node_alloc (), wrap);
    json_object_unref (wrap);
    gen = json_generator_new ();
    json_generator_set_root (gen, wrap_node);
    text = json_generator_to_data (gen, NULL);
    manifest = gst_raeh_manifest_parse (text, -1, &perr);
    if (manifest == NULL && json_array_get_length (chans) > 0) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
          "%s: device_models[%u]: %s", path, i, perr->message);
      return FALSE;
    }
    m = g_new0 (DeviceModel, 1);
    m->id = g_strdup (json_object_get_string_member (obj, "id"));
    /* a model without channels is kept: connecting to it is a 4004 */
    m->channels = manifest ? manifest : gst_raeh_manifest_new (NULL);
    g_ptr_array_add (models, m);
  }
  return TRUE;
}

static DeviceModel *
find_model (const gchar *id)
{
  guint i;

  for (i = 0; id && i < raeh->models->len; i++) {
    DeviceModel *m = g_ptr_array_index (raeh->models, i);

    if (g_str_equal (m->id, id))
      return m;
  }
  return NULL;
}

static gboolean
key_is_valid (const gchar *key)
{
  if (key == NULL || *key == '\0')
    return FALSE;
  if (opt_keys && opt_keys[0])
    return g_strv_contains ((const gchar *const *) opt_keys, key);
  return g_str_has_prefix (key, "raeh_") && strlen (key) > 5;
}

/* The key from ?api_key= or "Authorization: Bearer". */
static gchar *
request_key (SoupServerMessage *msg, GHashTable *params)
{
  const gchar *auth,
      *key = params ? g_hash_table_lookup (params, "api_key") : NULL;

  if (key)
    return g_strdup (key);
  auth = soup_message_headers_get_one (
      soup_server_message_get_request_headers (msg), "Authorization");
  if (auth && g_ascii_strncasecmp (auth, "Bearer ", 7) == 0)
    return g_strdup (auth + 7);
  return NULL;
}

static GHashTable *
request_params (SoupServerMessage *msg)
{
  const gchar *query = g_uri_get_query (soup_server_message_get_uri (msg));

  if (query == NULL)
    return NULL;
  return g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
}

static void
close_with (SoupWebsocketConnection *conn, gushort code, const gchar *reason)
{
  g_autofree gchar *cut = g_strndup (reason, MAX_REASON);
  const gchar *end;

  /* cut on a UTF-8 boundary */
  if (!g_utf8_validate (cut, -1, &end))
    cut[end - cut] = '\0';
  soup_websocket_connection_close (conn, code, cut);
}

static void
record_rejected (const gchar *path, gushort code, const gchar *reason)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "path", path);
  json_object_set_int_member (o, "close_code", code);
  json_object_set_string_member (o, "close_reason", reason);
  g_ptr_array_add (
      raeh->rejected, json_node_init_object (json_node_alloc (), o));
  json_object_unref (o);
}

static void
reject (SoupWebsocketConnection *conn, const gchar *path, gushort code,
    const gchar *reason)
{
  record_rejected (path, code, reason);
  close_with (conn, code, reason);
}

static void
session_add_ppg (Session *s, gint64 t0_ms, const GstRaehSlot *slot,
    const guint8 *payload, guint count)
{
  PpgFrame *f = g_new0 (PpgFrame, 1);
  gint64 horizon;
  guint i;

  f->t0_ms = t0_ms;
  f->count = count;
  f->values = g_new (gdouble, count);
  /* first channel only */
  for (i = 0; i < count; i++)
    f->values[i] = gst_raeh_frame_get_sample (
        payload, slot->bit_depth, i * slot->num_channels);
  g_queue_push_tail (&s->ppg_frames, f);
  s->ppg_new = TRUE;

  /* keep a little more than one window */
  horizon = t0_ms - (gint64) ((opt_hr_window + 4) * 1000);
  while (!g_queue_is_empty (&s->ppg_frames) &&
      ((PpgFrame *) g_queue_peek_head (&s->ppg_frames))->t0_ms < horizon)
    ppg_frame_free (g_queue_pop_head (&s->ppg_frames));
}

static void
on_ingest_message (SoupWebsocketConnection *conn, gint type, GBytes *message,
    gpointer user_data)
{
  Session *s = user_data;
  g_autoptr (GError) err = NULL;
  GstRaehFrameHeader h;
  const GstRaehSlot *slot;
  const guint8 *payload;
  SlotRecord *rec = NULL;
  gsize size;
  const guint8 *data = g_bytes_get_data (message, &size);
  guint i;

  if (type != SOUP_WEBSOCKET_DATA_BINARY) {
    /* devices only send binary frames; text is counted and ignored */
    s->text_messages++;
    return;
  }
  if (!gst_raeh_frame_parse (
          data, size, s->manifest, &h, &slot, &payload, &err)) {
    g_free (s->bad_frame);
    s->bad_frame = g_strdup (err->message);
    close_with (conn, 4004, err->message);
    return;
  }
  for (i = 0; i < s->slots->len; i++) {
    rec = &g_array_index (s->slots, SlotRecord, i);
    if (rec->slot_id == slot->slot_id)
      break;
  }
  s->frames_total++;
  rec->frames++;
  rec->samples += h.sample_count;
  rec->bytes += size;
  if (rec->frames == 1) {
    rec->first_t0 = h.t0_epoch_ms;
  } else {
    /* continuity within a millisecond of where the last frame ended */
    gint64 jump = h.t0_epoch_ms - (gint64) llround (rec->next_t0_exact);

    if (ABS (jump) > 1) {
      if (jump > 0)
        rec->gaps++;
      else
        rec->overlaps++;
      if (ABS (jump) > ABS (rec->max_jump_ms))
        rec->max_jump_ms = jump;
    }
  }
  rec->last_t0 = h.t0_epoch_ms;
  rec->next_t0_exact =
      h.t0_epoch_ms + h.sample_count * 1000.0 / slot->sample_rate_hz;
  rec->next_t0 = (gint64) llround (rec->next_t0_exact);
  if (opt_record_frames)
    g_array_append_val (rec->t0s, h.t0_epoch_ms);
  if (slot == s->ppg && h.sample_count)
    session_add_ppg (s, h.t0_epoch_ms, slot, payload, h.sample_count);
}

static void
on_ingest_closed (SoupWebsocketConnection *conn, gpointer user_data)
{
  Session *s = user_data;
  g_autofree gchar *key =
      g_strdup_printf ("%s\n%s", s->device_model_id, s->device_id);

  s->closed = TRUE;
  s->close_code = soup_websocket_connection_get_close_code (conn);
  s->close_reason = g_strdup (soup_websocket_connection_get_close_data (conn));
  if (g_hash_table_lookup (raeh->active, key) == s)
    g_hash_table_remove (raeh->active, key);
  g_signal_handlers_disconnect_by_data (conn, s);
  g_clear_object (&s->conn);
}

static void
on_ingest (SoupServer *server, SoupServerMessage *msg, const char *path,
    SoupWebsocketConnection *conn, gpointer user_data)
{
  g_autoptr (GHashTable) params = request_params (msg);
  g_autofree gchar *api_key = request_key (msg, params);
  g_autofree gchar *handshake = NULL, *key = NULL;
  const gchar *device_id, *model_id;
  DeviceModel *model;
  Session *s, *old;
  guint i;

  if (!key_is_valid (api_key)) {
    reject (conn, path, 4001,
        api_key ? "Authentication failed: invalid "
                  "api_key" :
                  "Authentication failed: api_key missing");
    return;
  }
  device_id = params ? g_hash_table_lookup (params, "device_id") : NULL;
  model_id = params ? g_hash_table_lookup (params, "device_model_id") : NULL;
  if (device_id == NULL || *device_id == '\0') {
    reject (conn, path, 4004, "device_id missing");
    return;
  }
  if (model_id == NULL || *model_id == '\0') {
    reject (conn, path, 4004, "device_model_id missing");
    return;
  }
  model = find_model (model_id);
  if (model == NULL) {
    g_autofree gchar *r =
        g_strdup_printf ("device_model_id %s not found", model_id);

    reject (conn, path, 4004, r);
    return;
  }
  if (gst_raeh_manifest_get_n_slots (model->channels) == 0) {
    g_autofree gchar *r =
        g_strdup_printf ("device model %s has no modality channels", model_id);

    reject (conn, path, 4004, r);
    return;
  }

  s = g_new0 (Session, 1);
  s->session_id = g_uuid_string_random ();
  s->device_id = g_strdup (device_id);
  s->device_model_id = g_strdup (model_id);
  s->conn = g_object_ref (conn);
  s->manifest = gst_raeh_manifest_copy (model->channels);
  g_free (s->manifest->session_id);
  s->manifest->session_id = g_strdup (s->session_id);
  s->slots = g_array_new (FALSE, TRUE, sizeof (SlotRecord));
  g_array_set_clear_func (s->slots, slot_record_clear);
  g_queue_init (&s->ppg_frames);
  for (i = 0; i < gst_raeh_manifest_get_n_slots (s->manifest); i++) {
    const GstRaehSlot *slot = gst_raeh_manifest_get_slot (s->manifest, i);
    SlotRecord rec = {
      0,
    };

    rec.slot_id = slot->slot_id;
    rec.modality = g_strdup (slot->modality);
    rec.rate = slot->sample_rate_hz;
    if (opt_record_frames)
      rec.t0s = g_array_new (FALSE, FALSE, sizeof (gint64));
    g_array_append_val (s->slots, rec);
    if (s->ppg == NULL && g_str_has_prefix (slot->modality, "ppg"))
      s->ppg = slot;
  }
  g_ptr_array_add (raeh->sessions, s);

  /* one session per (device_model_id, device_id): the newer one wins */
  key = g_strdup_printf ("%s\n%s", model_id, device_id);
  old = g_hash_table_lookup (raeh->active, key);
  g_hash_table_replace (raeh->active, g_strdup (key), s);
  if (old && old->conn)
    close_with (old->conn, SOUP_WEBSOCKET_CLOSE_NORMAL,
        "replaced by a newer session of the same device");

  g_signal_connect (conn, "message", G_CALLBACK (on_ingest_message), s);
  g_signal_connect (conn, "closed", G_CALLBACK (on_ingest_closed), s);
  handshake = gst_raeh_manifest_serialise (s->manifest);
  soup_websocket_connection_send_text (conn, handshake);
}

static void
on_subscriber_closed (SoupWebsocketConnection *conn, gpointer user_data)
{
  g_ptr_array_remove (raeh->subscribers, conn);
}

static void
on_subscribe (SoupServer *server, SoupServerMessage *msg, const char *path,
    SoupWebsocketConnection *conn, gpointer user_data)
{
  g_autoptr (GHashTable) params = request_params (msg);
  g_autofree gchar *api_key = request_key (msg, params);

  if (!key_is_valid (api_key)) {
    reject (conn, path, 4001,
        api_key ? "Authentication failed: invalid "
                  "api_key" :
                  "Authentication failed: api_key missing");
    return;
  }
  g_ptr_array_add (raeh->subscribers, g_object_ref (conn));
  g_signal_connect (conn, "closed", G_CALLBACK (on_subscriber_closed), NULL);
  soup_websocket_connection_send_text (conn, "{\"status\": \"subscribed\"}");
}

static void
publish (JsonNode *insight)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autofree gchar *text = NULL;
  guint i;

  json_generator_set_root (gen, insight);
  text = json_generator_to_data (gen, NULL);
  for (i = 0; i < raeh->subscribers->len; i++) {
    SoupWebsocketConnection *c = g_ptr_array_index (raeh->subscribers, i);

    if (soup_websocket_connection_get_state (c) == SOUP_WEBSOCKET_STATE_OPEN)
      soup_websocket_connection_send_text (c, text);
  }
  g_ptr_array_add (raeh->insights, insight);
}

/* PPG of the last window by t0 (ground truth), not by arrival. */
static void
session_hr (Session *s)
{
  gdouble rate = s->ppg->sample_rate_hz, covered = 0, gaps = 0;
  gint64 newest_end, start;
  GArray *values;
  GList *l;
  gdouble prev_end = -1;
  GstRaehHrEstimate est;
  JsonObject *o;

  if (!s->ppg_new || g_queue_is_empty (&s->ppg_frames))
    return;
  s->ppg_new = FALSE;
  {
    PpgFrame *last = g_queue_peek_tail (&s->ppg_frames);

    newest_end = last->t0_ms + (gint64) (last->count * 1000.0 / rate);
  }
  start = newest_end - (gint64) (opt_hr_window * 1000);
  values = g_array_new (FALSE, FALSE, sizeof (gdouble));
  for (l = s->ppg_frames.head; l; l = l->next) {
    PpgFrame *f = l->data;
    guint i;

    for (i = 0; i < f->count; i++) {
      gdouble t = f->t0_ms + i * 1000.0 / rate;

      if (t < start)
        continue;
      if (prev_end >= 0 && t - prev_end > 1.5 * 1000.0 / rate)
        gaps += (t - prev_end) / 1000.0;
      prev_end = t;
      g_array_append_val (values, f->values[i]);
    }
  }
  covered = values->len / rate;
  if (!gst_raeh_hr_estimate ((gdouble *) values->data, values->len, rate,
          opt_hr_window, gaps, &est)) {
    g_array_unref (values);
    return;
  }
  g_array_unref (values);
  (void) covered;

  o = json_object_new ();
  json_object_set_string_member (o, "type", "hr");
  json_object_set_double_member (o, "value", round (est.bpm * 10) / 10);
  json_object_set_string_member (o, "unit", "bpm");
  json_object_set_int_member (o, "ts", g_get_real_time () / 1000);
  json_object_set_string_member (o, "session_id", s->session_id);
  json_object_set_string_member (o, "device_id", s->device_id);
  json_object_set_double_member (
      o, "confidence", round (est.confidence * 100) / 100);
  json_object_set_string_member (
      o, "sqi_class", gst_raeh_sqi_class (est.confidence));
  publish (json_node_init_object (json_node_alloc (), o));
  json_object_unref (o);
}

static gboolean
on_hr_tick (gpointer user_data)
{
  guint i;

  for (i = 0; i < raeh->sessions->len; i++) {
    Session *s = g_ptr_array_index (raeh->sessions, i);

    if (s->ppg)
      session_hr (s);
  }
  return G_SOURCE_CONTINUE;
}

static gboolean
raeh_start (SensorCloud *cloud, GError **error)
{
  raeh = g_new0 (RaehCloud, 1);
  raeh->models =
      g_ptr_array_new_with_free_func ((GDestroyNotify) device_model_free);
  raeh->sessions =
      g_ptr_array_new_with_free_func ((GDestroyNotify) session_free);
  raeh->active = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  raeh->subscribers = g_ptr_array_new_with_free_func (g_object_unref);
  raeh->insights =
      g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  raeh->rejected =
      g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  if (opt_models) {
    if (!load_models (opt_models, raeh->models, error))
      return FALSE;
  } else {
    g_ptr_array_add (raeh->models, default_model ());
  }
  if (opt_hr_window < 2)
    opt_hr_window = 2;
  /* whole messages: the largest frame a device may send; subscribers send
   * nothing big (libsoup's default frame limit) */
  gst_sensor_net_ws_server_add_handler (cloud->http, "/stream/ingest", NULL,
      NULL,
      GST_RAEH_FRAME_HEADER_SIZE + (gsize) GST_RAEH_FRAME_MAX_SAMPLES * 4 * 64,
      on_ingest, NULL, NULL);
  gst_sensor_net_ws_server_add_handler (cloud->http, "/stream/subscribe", NULL,
      NULL, SENSOR_CLOUD_WS_MAX_MESSAGE, on_subscribe, NULL, NULL);
  raeh->hr_timer = g_timeout_add (HR_INTERVAL_MS, on_hr_tick, NULL);
  return TRUE;
}

static void
record_session (JsonBuilder *b, Session *s)
{
  guint i, j;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "session_id");
  json_builder_add_string_value (b, s->session_id);
  json_builder_set_member_name (b, "device_id");
  json_builder_add_string_value (b, s->device_id);
  json_builder_set_member_name (b, "device_model_id");
  json_builder_add_string_value (b, s->device_model_id);
  json_builder_set_member_name (b, "frames");
  json_builder_add_int_value (b, s->frames_total);
  json_builder_set_member_name (b, "text_messages");
  json_builder_add_int_value (b, s->text_messages);
  json_builder_set_member_name (b, "closed");
  json_builder_add_boolean_value (b, s->closed);
  if (s->closed) {
    json_builder_set_member_name (b, "close_code");
    json_builder_add_int_value (b, s->close_code);
    json_builder_set_member_name (b, "close_reason");
    json_builder_add_string_value (b, s->close_reason ? s->close_reason : "");
  }
  if (s->bad_frame) {
    json_builder_set_member_name (b, "bad_frame");
    json_builder_add_string_value (b, s->bad_frame);
  }
  json_builder_set_member_name (b, "slots");
  json_builder_begin_array (b);
  for (i = 0; i < s->slots->len; i++) {
    SlotRecord *r = &g_array_index (s->slots, SlotRecord, i);

    json_builder_begin_object (b);
    json_builder_set_member_name (b, "slot_id");
    json_builder_add_int_value (b, r->slot_id);
    json_builder_set_member_name (b, "modality");
    json_builder_add_string_value (b, r->modality);
    json_builder_set_member_name (b, "frames");
    json_builder_add_int_value (b, r->frames);
    json_builder_set_member_name (b, "samples");
    json_builder_add_int_value (b, r->samples);
    json_builder_set_member_name (b, "bytes");
    json_builder_add_int_value (b, r->bytes);
    if (r->frames) {
      json_builder_set_member_name (b, "first_t0_ms");
      json_builder_add_int_value (b, r->first_t0);
      json_builder_set_member_name (b, "last_t0_ms");
      json_builder_add_int_value (b, r->last_t0);
      json_builder_set_member_name (b, "end_ms");
      json_builder_add_int_value (b, r->next_t0);
    }
    json_builder_set_member_name (b, "continuous");
    json_builder_add_boolean_value (b, r->gaps == 0 && r->overlaps == 0);
    json_builder_set_member_name (b, "gaps");
    json_builder_add_int_value (b, r->gaps);
    json_builder_set_member_name (b, "overlaps");
    json_builder_add_int_value (b, r->overlaps);
    json_builder_set_member_name (b, "max_jump_ms");
    json_builder_add_int_value (b, r->max_jump_ms);
    if (r->t0s) {
      json_builder_set_member_name (b, "t0s");
      json_builder_begin_array (b);
      for (j = 0; j < r->t0s->len; j++)
        json_builder_add_int_value (b, g_array_index (r->t0s, gint64, j));
      json_builder_end_array (b);
    }
    json_builder_end_object (b);
  }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
raeh_record (SensorCloud *cloud, JsonBuilder *b)
{
  guint i;

  if (raeh == NULL)
    return;
  json_builder_set_member_name (b, "sessions");
  json_builder_begin_array (b);
  for (i = 0; i < raeh->sessions->len; i++)
    record_session (b, g_ptr_array_index (raeh->sessions, i));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "rejected");
  json_builder_begin_array (b);
  for (i = 0; i < raeh->rejected->len; i++)
    json_builder_add_value (
        b, json_node_copy (g_ptr_array_index (raeh->rejected, i)));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "insights");
  json_builder_begin_array (b);
  for (i = 0; i < raeh->insights->len; i++)
    json_builder_add_value (
        b, json_node_copy (g_ptr_array_index (raeh->insights, i)));
  json_builder_end_array (b);
}

static void
raeh_stop (SensorCloud *cloud)
{
  guint i;

  if (raeh == NULL)
    return;
  if (raeh->hr_timer)
    g_source_remove (raeh->hr_timer);
  for (i = 0; i < raeh->sessions->len; i++) {
    Session *s = g_ptr_array_index (raeh->sessions, i);

    if (s->conn)
      g_signal_handlers_disconnect_by_data (s->conn, s);
  }
  for (i = 0; i < raeh->subscribers->len; i++)
    g_signal_handlers_disconnect_by_func (
        g_ptr_array_index (raeh->subscribers, i), on_subscriber_closed, NULL);
  g_hash_table_unref (raeh->active);
  g_ptr_array_unref (raeh->sessions);
  g_ptr_array_unref (raeh->subscribers);
  g_ptr_array_unref (raeh->insights);
  g_ptr_array_unref (raeh->rejected);
  g_ptr_array_unref (raeh->models);
  g_clear_pointer (&raeh, g_free);
}

const SensorCloudPart sensor_cloud_raeh_part = {
  .name = "raeh",
  .description = "Raeh /stream/ingest and /stream/subscribe",
  .entries = raeh_entries,
  .start = raeh_start,
  .record = raeh_record,
  .stop = raeh_stop,
};
