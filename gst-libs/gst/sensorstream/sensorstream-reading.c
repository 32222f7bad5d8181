/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:sensorstream-reading
 * @title: Sensor-stream readings
 * @short_description: validating the readings posted to a sensorstream
 *   server
 *
 * A reading (POST /api/device/sensor-stream) or a batch of them
 * (.../batch) is validated field by field as the documented API does, with
 * one message per bad field for the "Validation failed" answer.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sensorstream-reading.h"

#include <gst/sensor/sensor-json.h>

#include <math.h>
#include <string.h>

/* The documented validation table. Ranges are inclusive. `pressure` has no
 * enforced range: the documented example sends 101.3 while the field table
 * says "about 900-1100 hPa", so only its type is checked. */
typedef enum {
  KIND_NUMBER,
  KIND_INTEGER,
  KIND_BOOLEAN,
} FieldKind;

typedef struct
{
  const gchar *name;
  FieldKind kind;
  guint flag; /* 0 = required */
  gboolean ranged;
  gdouble min, max;
  const gchar *range_message;
  gsize offset;
} FieldRule;

#define OFF(member) G_STRUCT_OFFSET (GstSensorStreamReading, member)

static const FieldRule rules[] = {
  { "accel_x", KIND_NUMBER, 0, TRUE, -50, 50, "Must be between -50 and 50",
      OFF (accel[0]) },
  { "accel_y", KIND_NUMBER, 0, TRUE, -50, 50, "Must be between -50 and 50",
      OFF (accel[1]) },
  { "accel_z", KIND_NUMBER, 0, TRUE, -50, 50, "Must be between -50 and 50",
      OFF (accel[2]) },
  { "gyro_x", KIND_NUMBER, 0, TRUE, -1000, 1000,
      "Must be between -1000 and 1000", OFF (gyro[0]) },
  { "gyro_y", KIND_NUMBER, 0, TRUE, -1000, 1000,
      "Must be between -1000 and 1000", OFF (gyro[1]) },
  { "gyro_z", KIND_NUMBER, 0, TRUE, -1000, 1000,
      "Must be between -1000 and 1000", OFF (gyro[2]) },
  { "uptime_ms", KIND_INTEGER, 0, TRUE, 0, 4294967295.0,
      "Must be between 0 and 4294967295", OFF (uptime_ms) },
  { "pressure", KIND_NUMBER, GST_SENSOR_STREAM_HAS_PRESSURE, FALSE, 0, 0, NULL,
      OFF (pressure) },
  { "fsr", KIND_NUMBER, GST_SENSOR_STREAM_HAS_FSR, TRUE, 0, 1,
      "Must be between 0 and 1", OFF (fsr) },
  { "heart_rate", KIND_INTEGER, GST_SENSOR_STREAM_HAS_HEART_RATE, TRUE, 40, 200,
      "Must be between 40 and 200", OFF (heart_rate) },
  { "spo2", KIND_INTEGER, GST_SENSOR_STREAM_HAS_SPO2, TRUE, 70, 100,
      "Must be between 70 and 100", OFF (spo2) },
  { "battery_level", KIND_NUMBER, GST_SENSOR_STREAM_HAS_BATTERY_LEVEL, TRUE, 0,
      100, "Must be between 0 and 100", OFF (battery_level) },
  { "wifi_connected", KIND_BOOLEAN, GST_SENSOR_STREAM_HAS_WIFI_CONNECTED, FALSE,
      0, 0, NULL, OFF (wifi_connected) },
  { "bluetooth_connected", KIND_BOOLEAN,
      GST_SENSOR_STREAM_HAS_BLUETOOTH_CONNECTED, FALSE, 0, 0, NULL,
      OFF (bluetooth_connected) },
  { "sensors_initialized", KIND_BOOLEAN,
      GST_SENSOR_STREAM_HAS_SENSORS_INITIALIZED, FALSE, 0, 0, NULL,
      OFF (sensors_initialized) },
};

#define MSG_REQUIRED "Required"
#define MSG_NUMBER "Must be a number"
#define MSG_INTEGER "Must be an integer"
#define MSG_BOOLEAN "Must be a boolean"
#define MSG_MAC "Must be a valid MAC address"
#define MSG_TIMESTAMP "Must be an ISO 8601 timestamp"

/**
 * gst_sensor_stream_details_init:
 * @details: (out caller-allocates): the details
 *
 * Sets @details up empty; clear it with gst_sensor_stream_details_clear().
 */
void
gst_sensor_stream_details_init (GstSensorStreamDetails *details)
{
  details->fields = g_ptr_array_new_with_free_func (g_free);
  details->messages = g_ptr_array_new_with_free_func (g_free);
}

/**
 * gst_sensor_stream_details_clear:
 * @details: details
 *
 * Frees what @details holds.
 */
void
gst_sensor_stream_details_clear (GstSensorStreamDetails *details)
{
  g_clear_pointer (&details->fields, g_ptr_array_unref);
  g_clear_pointer (&details->messages, g_ptr_array_unref);
}

/**
 * gst_sensor_stream_details_add:
 * @details: (nullable): details, or %NULL to drop the message
 * @field: the field name
 * @message: what is wrong with it
 *
 * Adds a message, up to %GST_SENSOR_STREAM_MAX_DETAILS of them.
 */
void
gst_sensor_stream_details_add (
    GstSensorStreamDetails *details, const gchar *field, const gchar *message)
{
  if (details == NULL || details->fields == NULL)
    return;
  if (details->fields->len >= GST_SENSOR_STREAM_MAX_DETAILS)
    return;
  g_ptr_array_add (details->fields, g_strdup (field));
  g_ptr_array_add (details->messages, g_strdup (message));
}

/**
 * gst_sensor_stream_details_count:
 * @details: details
 *
 * Returns: the number of messages
 */
guint
gst_sensor_stream_details_count (const GstSensorStreamDetails *details)
{
  return details->fields ? details->fields->len : 0;
}

/**
 * gst_sensor_stream_details_lookup:
 * @details: details
 * @field: a field name
 *
 * Returns: (nullable): the first message of @field, %NULL when it has none
 */
const gchar *
gst_sensor_stream_details_lookup (
    const GstSensorStreamDetails *details, const gchar *field)
{
  guint i;

  for (i = 0; details->fields && i < details->fields->len; i++) {
    if (g_str_equal (g_ptr_array_index (details->fields, i), field))
      return g_ptr_array_index (details->messages, i);
  }
  return NULL;
}

static void
add_detail (GstSensorStreamDetails *details, const gchar *prefix,
    const gchar *field, const gchar *message)
{
  gchar *name = g_strconcat (prefix ? prefix : "", field, NULL);

  gst_sensor_stream_details_add (details, name, message);
  g_free (name);
}

/* One member's value as the checks see it, from a json-glib node or from
 * the flat-object reader below. */
typedef enum {
  VALUE_MISSING,
  VALUE_NULL,
  VALUE_INT,
  VALUE_DOUBLE,
  VALUE_BOOLEAN,
  VALUE_STRING,
  VALUE_OTHER, /* object, array */
} ValueType;

typedef struct
{
  ValueType type;
  gint64 i;
  gdouble d;
  gboolean b;
  const gchar *str; /* not NUL-terminated */
  gsize len;
} Value;

/* A JSON object of scalar members, read straight from the body. */
#define FLAT_MAX_MEMBERS 32

typedef struct
{
  const gchar *key;
  gsize key_len;
  Value value;
} FlatMember;

typedef struct
{
  FlatMember members[FLAT_MAX_MEMBERS];
  guint n;
} FlatObject;

/* The members of one reading: a json-glib object or a flat object. */
typedef struct
{
  JsonObject *json;
  const FlatObject *flat;
} Members;

static void
node_to_value (JsonNode *node, Value *v)
{
  GType type;

  memset (v, 0, sizeof (*v));
  if (node == NULL) {
    v->type = VALUE_MISSING;
    return;
  }
  if (JSON_NODE_HOLDS_NULL (node)) {
    v->type = VALUE_NULL;
    return;
  }
  if (JSON_NODE_TYPE (node) != JSON_NODE_VALUE) {
    v->type = VALUE_OTHER;
    return;
  }
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64) {
    v->type = VALUE_INT;
    v->i = json_node_get_int (node);
  } else if (type == G_TYPE_DOUBLE) {
    v->type = VALUE_DOUBLE;
    v->d = json_node_get_double (node);
  } else if (type == G_TYPE_BOOLEAN) {
    v->type = VALUE_BOOLEAN;
    v->b = json_node_get_boolean (node);
  } else if (type == G_TYPE_STRING) {
    v->type = VALUE_STRING;
    v->str = json_node_get_string (node);
    v->len = strlen (v->str);
  } else {
    v->type = VALUE_OTHER;
  }
}

static void
members_get (const Members *m, const gchar *name, Value *v)
{
  gsize len;
  guint i;

  if (m->json) {
    node_to_value (json_object_get_member (m->json, name), v);
    return;
  }
  len = strlen (name);
  for (i = 0; i < m->flat->n; i++) {
    const FlatMember *fm = &m->flat->members[i];

    if (fm->key_len == len && memcmp (fm->key, name, len) == 0) {
      *v = fm->value;
      return;
    }
  }
  memset (v, 0, sizeof (*v));
  v->type = VALUE_MISSING;
}

/* JSON numbers only: json-glib keeps integers as gint64 and the rest as
 * double. Strings that look like numbers are not numbers. */
static gboolean
value_get_number (const Value *v, gdouble *value)
{
  if (v->type == VALUE_INT)
    *value = (gdouble) v->i;
  else if (v->type == VALUE_DOUBLE)
    *value = v->d;
  else
    return FALSE;
  return isfinite (*value);
}

/* A string value as a C string; longer ones are no MAC address and no
 * timestamp (both are refused past 64 bytes). */
#define VALUE_STRING_MAX 64

static gboolean
value_copy_string (const Value *v, gchar buf[VALUE_STRING_MAX + 1])
{
  if (v->type != VALUE_STRING || v->len > VALUE_STRING_MAX)
    return FALSE;
  memcpy (buf, v->str, v->len);
  buf[v->len] = '\0';
  return TRUE;
}

/**
 * gst_sensor_stream_parse_client_timestamp:
 * @iso: an ISO 8601 date-time; without a zone it is taken as UTC
 * @epoch_us: (out): Unix epoch microseconds
 *
 * Returns: %TRUE when @iso is a date-time at or after the Unix epoch
 */
gboolean
gst_sensor_stream_parse_client_timestamp (const gchar *iso, gint64 *epoch_us)
{
  GTimeZone *utc;
  GDateTime *dt;
  gint64 secs;

  if (iso == NULL || strlen (iso) > 64)
    return FALSE;
  utc = g_time_zone_new_utc ();
  dt = g_date_time_new_from_iso8601 (iso, utc);
  g_time_zone_unref (utc);
  if (dt == NULL)
    return FALSE;
  secs = g_date_time_to_unix (dt);
  if (secs >= 0)
    *epoch_us = secs * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
  g_date_time_unref (dt);
  return secs >= 0;
}

static void
store_value (const FieldRule *rule, GstSensorStreamReading *reading,
    gdouble value, gboolean bvalue)
{
  guint8 *base = (guint8 *) reading;

  switch (rule->kind) {
    case KIND_NUMBER:
      *(gdouble *) (base + rule->offset) = value;
      break;
    case KIND_INTEGER:
      if (rule->offset == OFF (uptime_ms))
        *(guint32 *) (base + rule->offset) = (guint32) value;
      else
        *(gint *) (base + rule->offset) = (gint) value;
      break;
    case KIND_BOOLEAN:
      *(gboolean *) (base + rule->offset) = bvalue;
      break;
  }
}

static gboolean
check_rule (const FieldRule *rule, const Members *members, const gchar *prefix,
    GstSensorStreamReading *reading, GstSensorStreamDetails *details)
{
  Value v;
  gdouble value = 0;
  gboolean bvalue = FALSE;

  members_get (members, rule->name, &v);
  if (v.type == VALUE_MISSING || v.type == VALUE_NULL) {
    /* documented default of optional fields: null */
    if (rule->flag != 0)
      return TRUE;
    add_detail (details, prefix, rule->name, MSG_REQUIRED);
    return FALSE;
  }

  switch (rule->kind) {
    case KIND_BOOLEAN:
      if (v.type != VALUE_BOOLEAN) {
        add_detail (details, prefix, rule->name, MSG_BOOLEAN);
        return FALSE;
      }
      bvalue = v.b;
      break;
    case KIND_INTEGER:
      if (!value_get_number (&v, &value) || value != floor (value)) {
        add_detail (details, prefix, rule->name, MSG_INTEGER);
        return FALSE;
      }
      break;
    case KIND_NUMBER:
      if (!value_get_number (&v, &value)) {
        add_detail (details, prefix, rule->name, MSG_NUMBER);
        return FALSE;
      }
      break;
  }

  if (rule->ranged && (value < rule->min || value > rule->max)) {
    add_detail (details, prefix, rule->name, rule->range_message);
    return FALSE;
  }
  store_value (rule, reading, value, bvalue);
  reading->present |= rule->flag;
  return TRUE;
}

static gboolean
check_device_id (const Members *members, const gchar *prefix,
    const gchar *batch_device_id, GstSensorStreamReading *reading,
    GstSensorStreamDetails *details)
{
  gchar str[VALUE_STRING_MAX + 1];
  Value v;

  /* the batch's own device_id was bad: that is reported once, not per
   * reading */
  if (batch_device_id != NULL && *batch_device_id == '\0')
    return TRUE;
  members_get (members, "device_id", &v);
  if (v.type == VALUE_MISSING || v.type == VALUE_NULL) {
    if (batch_device_id != NULL) {
      g_strlcpy (
          reading->device_id, batch_device_id, GST_SENSOR_STREAM_MAC_LEN);
      return TRUE;
    }
    add_detail (details, prefix, "device_id", MSG_REQUIRED);
    return FALSE;
  }
  if (!value_copy_string (&v, str) ||
      !gst_sensor_stream_normalize_mac (str, reading->device_id)) {
    add_detail (details, prefix, "device_id", MSG_MAC);
    return FALSE;
  }
  if (batch_device_id != NULL &&
      strcmp (batch_device_id, reading->device_id) != 0) {
    add_detail (details, prefix, "device_id", "Must match the batch device_id");
    return FALSE;
  }
  return TRUE;
}

static gboolean
check_client_timestamp (const Members *members, const gchar *prefix,
    GstSensorStreamReading *reading, GstSensorStreamDetails *details)
{
  gchar str[VALUE_STRING_MAX + 1];
  Value v;

  members_get (members, "client_timestamp", &v);
  if (v.type == VALUE_MISSING || v.type == VALUE_NULL)
    return TRUE;
  if (!value_copy_string (&v, str) ||
      !gst_sensor_stream_parse_client_timestamp (
          str, &reading->client_timestamp_us)) {
    add_detail (details, prefix, "client_timestamp", MSG_TIMESTAMP);
    return FALSE;
  }
  reading->present |= GST_SENSOR_STREAM_HAS_CLIENT_TIMESTAMP;
  return TRUE;
}

static gboolean
reading_from_members (const Members *members, const gchar *prefix,
    const gchar *batch_device_id, GstSensorStreamReading *reading,
    GstSensorStreamDetails *details)
{
  gboolean ok = TRUE;
  guint i;

  memset (reading, 0, sizeof (*reading));
  ok &= check_device_id (members, prefix, batch_device_id, reading, details);
  for (i = 0; i < G_N_ELEMENTS (rules); i++)
    ok &= check_rule (&rules[i], members, prefix, reading, details);
  ok &= check_client_timestamp (members, prefix, reading, details);
  return ok;
}

/**
 * gst_sensor_stream_reading_from_object:
 * @object: one reading as a JSON object
 * @prefix: (nullable): prepended to field names in @details, e.g.
 *   "readings[3]."
 * @batch_device_id: (nullable): the normalised device id of the batch the
 *   reading belongs to; the reading may then leave `device_id` out
 * @reading: (out): the validated reading
 * @details: (nullable): collects one message per bad field
 *
 * Checks every field of the documented table (all of them, so that one
 * answer names every problem). Unknown fields are ignored.
 *
 * Returns: %TRUE when the reading is valid
 */
gboolean
gst_sensor_stream_reading_from_object (JsonObject *object, const gchar *prefix,
    const gchar *batch_device_id, GstSensorStreamReading *reading,
    GstSensorStreamDetails *details)
{
  Members members = { object, NULL };

  return reading_from_members (
      &members, prefix, batch_device_id, reading, details);
}

/* Bodies are bounded by the element (max-body-size, at most 64 MiB) before
 * they get here; the depth is what a reading (1) and a batch (3) need, with
 * room to spare. */
static const GstSensorJsonLimits body_limits = {
  GST_SENSOR_STREAM_MAX_DEPTH,
  64 * 1024 * 1024,
};

/* Every body goes through the strict RFC 8259 check first, whichever
 * reader then takes it: json-glib would recurse into deep nesting and read
 * 072, 0x48, comments, single quotes or {}{} as if they were JSON. */
static JsonNode *
parse_root (const gchar *data, gsize size)
{
  return gst_sensor_json_parse (data, size, &body_limits, NULL);
}

/* ---- flat objects without json-glib ----
 *
 * A reading is one object of numbers, booleans, null and plain strings.
 * Reading that straight from the body costs a fraction of building a
 * json-glib tree (a scanner, a hash table and a node per member). Only
 * strict JSON in that shape is taken: strings without escapes or control
 * characters, integers of up to 18 digits, distinct keys, at most
 * FLAT_MAX_MEMBERS members. Anything else (nesting, escapes, duplicate
 * keys) goes to json-glib, which then decides exactly as before. The body
 * has passed gst_sensor_json_validate() by then, so syntax errors never
 * get this far. */

static const gchar *
skip_ws (const gchar *p, const gchar *end)
{
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
    p++;
  return p;
}

/* "...": the position after the closing quote, or NULL */
static const gchar *
read_plain_string (
    const gchar *p, const gchar *end, const gchar **str, gsize *len)
{
  const gchar *start;

  if (p >= end || *p != '"')
    return NULL;
  start = ++p;
  while (p < end && *p != '"') {
    if (*p == '\\' || (guchar) *p < 0x20)
      return NULL;
    p++;
  }
  if (p >= end)
    return NULL;
  *str = start;
  *len = p - start;
  return p + 1;
}

static gboolean
is_digit (const gchar *p, const gchar *end)
{
  return p < end && *p >= '0' && *p <= '9';
}

static const gchar *
read_number (const gchar *p, const gchar *end, Value *v)
{
  const gchar *start = p;
  gboolean integer = TRUE;
  gchar buf[64];
  gint digits = 0;

  if (p < end && *p == '-')
    p++;
  if (!is_digit (p, end))
    return NULL;
  if (*p == '0') {
    p++;
    digits = 1;
    if (is_digit (p, end))
      return NULL;
  } else {
    while (is_digit (p, end)) {
      p++;
      digits++;
    }
  }
  if (p < end && *p == '.') {
    integer = FALSE;
    p++;
    if (!is_digit (p, end))
      return NULL;
    while (is_digit (p, end))
      p++;
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    integer = FALSE;
    p++;
    if (p < end && (*p == '+' || *p == '-'))
      p++;
    if (!is_digit (p, end))
      return NULL;
    while (is_digit (p, end))
      p++;
  }
  if (p - start >= (gssize) sizeof (buf) || (integer && digits > 18))
    return NULL;
  memcpy (buf, start, p - start);
  buf[p - start] = '\0';
  if (integer) {
    v->type = VALUE_INT;
    v->i = g_ascii_strtoll (buf, NULL, 10);
  } else {
    v->type = VALUE_DOUBLE;
    v->d = g_ascii_strtod (buf, NULL);
  }
  return p;
}

static const gchar *
read_literal (const gchar *p, const gchar *end, const gchar *word)
{
  gsize len = strlen (word);

  if ((gsize) (end - p) < len || memcmp (p, word, len) != 0)
    return NULL;
  return p + len;
}

static const gchar *
read_scalar (const gchar *p, const gchar *end, Value *v)
{
  memset (v, 0, sizeof (*v));
  if (p >= end)
    return NULL;
  switch (*p) {
    case '"':
      v->type = VALUE_STRING;
      return read_plain_string (p, end, &v->str, &v->len);
    case 't':
      v->type = VALUE_BOOLEAN;
      v->b = TRUE;
      return read_literal (p, end, "true");
    case 'f':
      v->type = VALUE_BOOLEAN;
      return read_literal (p, end, "false");
    case 'n':
      v->type = VALUE_NULL;
      return read_literal (p, end, "null");
    default:
      return read_number (p, end, v);
  }
}

/* After an item of a list that @close ends (members of an object, items
 * of an array): the next item's start with *@more set, the position after
 * @close, or NULL when neither follows. */
static const gchar *
after_item (const gchar *p, const gchar *end, gchar close, gboolean *more)
{
  p = skip_ws (p, end);
  *more = p < end && *p == ',';
  if (*more)
    return skip_ws (p + 1, end);
  if (p < end && *p == close)
    return p + 1;
  return NULL;
}

/* One flat object from @p on: the position after its closing brace, or
 * NULL when it is not one. */
static const gchar *
scan_flat_object (const gchar *p, const gchar *end, FlatObject *obj)
{
  gboolean more;
  guint i;

  obj->n = 0;
  if (p >= end || *p != '{')
    return NULL;
  p = skip_ws (p + 1, end);
  if (p < end && *p == '}')
    return p + 1;

  for (;;) {
    FlatMember *m;

    if (obj->n >= FLAT_MAX_MEMBERS)
      return NULL;
    m = &obj->members[obj->n];
    p = read_plain_string (p, end, &m->key, &m->key_len);
    if (p == NULL || m->key_len == 0)
      return NULL;
    for (i = 0; i < obj->n; i++)
      if (obj->members[i].key_len == m->key_len &&
          memcmp (obj->members[i].key, m->key, m->key_len) == 0)
        return NULL;
    p = skip_ws (p, end);
    if (p >= end || *p != ':')
      return NULL;
    p = read_scalar (skip_ws (p + 1, end), end, &m->value);
    if (p == NULL)
      return NULL;
    obj->n++;
    p = after_item (p, end, '}', &more);
    if (!more)
      return p;
  }
}

static gboolean
read_flat_object (const gchar *data, gsize size, FlatObject *obj)
{
  const gchar *end = data + size;
  const gchar *p = scan_flat_object (skip_ws (data, end), end, obj);

  return p != NULL && skip_ws (p, end) == end;
}

/* A batch in the shape devices send: {"device_id": "<plain string>",
 * "readings": [<flat object>, ...]} (members in any order, 1 to 100
 * readings, nothing else). Anything else goes to json-glib, which then
 * decides (and words the errors) exactly as before. */
typedef struct
{
  const gchar *device;
  gsize device_len;
  FlatObject items[GST_SENSOR_STREAM_BATCH_MAX];
  guint n;
} FlatBatch;

static const gchar *
scan_flat_readings (const gchar *p, const gchar *end, FlatBatch *b)
{
  gboolean more;

  if (p >= end || *p != '[')
    return NULL;
  p = skip_ws (p + 1, end);
  for (;;) {
    if (b->n >= GST_SENSOR_STREAM_BATCH_MAX)
      return NULL;
    p = scan_flat_object (p, end, &b->items[b->n]);
    if (p == NULL)
      return NULL;
    b->n++;
    p = after_item (p, end, ']', &more);
    if (!more)
      return p;
  }
}

static gboolean
read_flat_batch (const gchar *data, gsize size, FlatBatch *b)
{
  const gchar *p, *end = data + size, *key;
  gboolean have_device = FALSE, have_readings = FALSE, more;
  gsize key_len;

  b->n = 0;
  p = skip_ws (data, end);
  if (p >= end || *p != '{')
    return FALSE;
  p = skip_ws (p + 1, end);
  for (;;) {
    p = read_plain_string (p, end, &key, &key_len);
    if (p == NULL)
      return FALSE;
    p = skip_ws (p, end);
    if (p >= end || *p != ':')
      return FALSE;
    p = skip_ws (p + 1, end);
    if (key_len == 9 && memcmp (key, "device_id", 9) == 0 && !have_device) {
      p = read_plain_string (p, end, &b->device, &b->device_len);
      have_device = TRUE;
    } else if (key_len == 8 && memcmp (key, "readings", 8) == 0 &&
        !have_readings) {
      p = scan_flat_readings (p, end, b);
      have_readings = TRUE;
    } else {
      return FALSE;
    }
    if (p == NULL)
      return FALSE;
    p = after_item (p, end, '}', &more);
    if (!more)
      break;
  }
  return p != NULL && have_device && have_readings && skip_ws (p, end) == end;
}

/* A request's scratch space, per thread: a batch of flat objects is too
 * large for the stack and too frequent for malloc. */
static FlatBatch *
flat_batch_scratch (void)
{
  static GPrivate scratch = G_PRIVATE_INIT (g_free);
  FlatBatch *b = g_private_get (&scratch);

  if (b == NULL) {
    b = g_new (FlatBatch, 1);
    g_private_set (&scratch, b);
  }
  return b;
}

/**
 * gst_sensor_stream_parse_reading_json_glib:
 * @data: (array length=size): request body
 * @size: its size
 * @reading: (out): the reading
 * @details: (nullable): per-field messages when invalid
 *
 * gst_sensor_stream_parse_reading() through json-glib alone, without the
 * flat-object reader: the reference the tests hold the fast path to.
 *
 * Returns: the parse result
 */
GstSensorStreamParseResult
gst_sensor_stream_parse_reading_json_glib (const gchar *data, gsize size,
    GstSensorStreamReading *reading, GstSensorStreamDetails *details)
{
  JsonNode *root = parse_root (data, size);
  GstSensorStreamParseResult res;

  if (root == NULL)
    return GST_SENSOR_STREAM_PARSE_INVALID_JSON;
  if (!JSON_NODE_HOLDS_OBJECT (root)) {
    gst_sensor_stream_details_add (details, "body", "Must be a JSON object");
    res = GST_SENSOR_STREAM_PARSE_INVALID;
  } else if (gst_sensor_stream_reading_from_object (
                 json_node_get_object (root), NULL, NULL, reading, details)) {
    res = GST_SENSOR_STREAM_PARSE_OK;
  } else {
    res = GST_SENSOR_STREAM_PARSE_INVALID;
  }
  json_node_unref (root);
  return res;
}

/**
 * gst_sensor_stream_parse_reading:
 * @data: request body of POST /api/device/sensor-stream
 * @size: its size
 * @reading: (out): the reading
 * @details: (nullable): per-field messages when invalid
 *
 * Returns: %GST_SENSOR_STREAM_PARSE_INVALID_JSON when @data is not JSON,
 *   %GST_SENSOR_STREAM_PARSE_INVALID when it is not an object or a field is
 *   bad, else %GST_SENSOR_STREAM_PARSE_OK
 */
GstSensorStreamParseResult
gst_sensor_stream_parse_reading (const gchar *data, gsize size,
    GstSensorStreamReading *reading, GstSensorStreamDetails *details)
{
  FlatObject flat;

  if (!gst_sensor_json_validate (data, size, &body_limits, NULL, NULL))
    return GST_SENSOR_STREAM_PARSE_INVALID_JSON;
  if (read_flat_object (data, size, &flat)) {
    Members members = { NULL, &flat };

    return reading_from_members (&members, NULL, NULL, reading, details) ?
        GST_SENSOR_STREAM_PARSE_OK :
        GST_SENSOR_STREAM_PARSE_INVALID;
  }
  return gst_sensor_stream_parse_reading_json_glib (
      data, size, reading, details);
}

/**
 * gst_sensor_stream_parse_batch:
 * @data: request body of POST /api/device/sensor-stream/batch
 * @size: its size
 * @readings: (out) (transfer full): a #GArray of #GstSensorStreamReading,
 *   set only on success
 * @details: (nullable): per-field messages when invalid, named
 *   `readings[i].field`
 *
 * A batch is accepted or refused as a whole: one bad reading refuses it.
 *
 * Returns: the parse result
 */
GstSensorStreamParseResult
gst_sensor_stream_parse_batch (const gchar *data, gsize size, GArray **readings,
    GstSensorStreamDetails *details)
{
  FlatBatch *b;
  gchar device[VALUE_STRING_MAX + 1];
  gchar device_id[GST_SENSOR_STREAM_MAC_LEN];
  gboolean ok = TRUE;
  GArray *out;
  guint i;

  *readings = NULL;
  if (!gst_sensor_json_validate (data, size, &body_limits, NULL, NULL))
    return GST_SENSOR_STREAM_PARSE_INVALID_JSON;
  b = flat_batch_scratch ();
  /* a device id that is not a MAC address: json-glib words the answer */
  if (!read_flat_batch (data, size, b) || b->device_len > VALUE_STRING_MAX)
    return gst_sensor_stream_parse_batch_json_glib (
        data, size, readings, details);
  memcpy (device, b->device, b->device_len);
  device[b->device_len] = '\0';
  if (!gst_sensor_stream_normalize_mac (device, device_id))
    return gst_sensor_stream_parse_batch_json_glib (
        data, size, readings, details);

  out = g_array_sized_new (FALSE, TRUE, sizeof (GstSensorStreamReading), b->n);
  for (i = 0; i < b->n; i++) {
    Members members = { NULL, &b->items[i] };
    gchar prefix[32];
    GstSensorStreamReading r;

    g_snprintf (prefix, sizeof (prefix), "readings[%u].", i);
    if (reading_from_members (&members, prefix, device_id, &r, details))
      g_array_append_val (out, r);
    else
      ok = FALSE;
  }
  if (!ok) {
    g_array_unref (out);
    return GST_SENSOR_STREAM_PARSE_INVALID;
  }
  *readings = out;
  return GST_SENSOR_STREAM_PARSE_OK;
}

/**
 * gst_sensor_stream_parse_batch_json_glib:
 * @data: (array length=size): request body
 * @size: its size
 * @readings: (out) (transfer full): as for gst_sensor_stream_parse_batch()
 * @details: (nullable): per-field messages when invalid
 *
 * gst_sensor_stream_parse_batch() through json-glib alone, without the
 * flat reader: the reference the tests hold the fast path to.
 *
 * Returns: the parse result
 */
GstSensorStreamParseResult
gst_sensor_stream_parse_batch_json_glib (const gchar *data, gsize size,
    GArray **readings, GstSensorStreamDetails *details)
{
  JsonNode *root = parse_root (data, size);
  JsonObject *object;
  JsonNode *node;
  JsonArray *array = NULL;
  gchar device_id[GST_SENSOR_STREAM_MAC_LEN];
  gboolean have_device = FALSE, ok = TRUE;
  GArray *out;
  guint i, n = 0;

  *readings = NULL;
  if (root == NULL)
    return GST_SENSOR_STREAM_PARSE_INVALID_JSON;
  if (!JSON_NODE_HOLDS_OBJECT (root)) {
    gst_sensor_stream_details_add (details, "body", "Must be a JSON object");
    json_node_unref (root);
    return GST_SENSOR_STREAM_PARSE_INVALID;
  }
  object = json_node_get_object (root);

  node = json_object_get_member (object, "device_id");
  if (node == NULL || JSON_NODE_HOLDS_NULL (node)) {
    gst_sensor_stream_details_add (details, "device_id", MSG_REQUIRED);
    ok = FALSE;
  } else if (JSON_NODE_TYPE (node) != JSON_NODE_VALUE ||
      json_node_get_value_type (node) != G_TYPE_STRING ||
      !gst_sensor_stream_normalize_mac (
          json_node_get_string (node), device_id)) {
    gst_sensor_stream_details_add (details, "device_id", MSG_MAC);
    ok = FALSE;
  } else {
    have_device = TRUE;
  }

  node = json_object_get_member (object, "readings");
  if (node == NULL || JSON_NODE_HOLDS_NULL (node)) {
    gst_sensor_stream_details_add (details, "readings", MSG_REQUIRED);
    ok = FALSE;
  } else if (!JSON_NODE_HOLDS_ARRAY (node)) {
    gst_sensor_stream_details_add (details, "readings", "Must be an array");
    ok = FALSE;
  } else {
    array = json_node_get_array (node);
    n = json_array_get_length (array);
    if (n == 0 || n > GST_SENSOR_STREAM_BATCH_MAX) {
      gst_sensor_stream_details_add (
          details, "readings", "Must contain between 1 and 100 readings");
      ok = FALSE;
      array = NULL;
    }
  }

  out = g_array_sized_new (FALSE, TRUE, sizeof (GstSensorStreamReading), n);
  for (i = 0; array != NULL && i < n; i++) {
    JsonNode *item = json_array_get_element (array, i);
    gchar prefix[32];
    GstSensorStreamReading r;

    g_snprintf (prefix, sizeof (prefix), "readings[%u]", i);
    if (!JSON_NODE_HOLDS_OBJECT (item)) {
      gst_sensor_stream_details_add (details, prefix, "Must be an object");
      ok = FALSE;
      continue;
    }
    g_strlcat (prefix, ".", sizeof (prefix));
    if (gst_sensor_stream_reading_from_object (json_node_get_object (item),
            prefix, have_device ? device_id : "", &r, details))
      g_array_append_val (out, r);
    else
      ok = FALSE;
  }
  json_node_unref (root);

  if (!ok) {
    g_array_unref (out);
    return GST_SENSOR_STREAM_PARSE_INVALID;
  }
  *readings = out;
  return GST_SENSOR_STREAM_PARSE_OK;
}
