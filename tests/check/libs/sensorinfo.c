/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * libgstsensor: formats, caps <-> info, modality table, sample conversion
 * and the epoch meta.
 */
#include <gst/check/gstcheck.h>
#include <gst/sensor/sensor.h>
#include <gst/sensor/sensor-waveform.h>
#include <gst/sensor/sensor-interpolate.h>
#include <gst/sensor/sensor-field.h>

GST_START_TEST (test_format_table)
{
  struct
  {
    const gchar *name;
    GstSensorFormat format;
    guint width;
    gboolean is_float;
  } rows[] = {
    { "S8", GST_SENSOR_FORMAT_S8, 1, FALSE },
    { "U8", GST_SENSOR_FORMAT_U8, 1, FALSE },
    { "S16LE", GST_SENSOR_FORMAT_S16LE, 2, FALSE },
    { "U16LE", GST_SENSOR_FORMAT_U16LE, 2, FALSE },
    { "S24LE", GST_SENSOR_FORMAT_S24LE, 3, FALSE },
    { "S32LE", GST_SENSOR_FORMAT_S32LE, 4, FALSE },
    { "F32LE", GST_SENSOR_FORMAT_F32LE, 4, TRUE },
    { "F64LE", GST_SENSOR_FORMAT_F64LE, 8, TRUE },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (rows); i++) {
    fail_unless_equals_int (
        gst_sensor_format_from_string (rows[i].name), rows[i].format);
    fail_unless_equals_string (
        gst_sensor_format_to_string (rows[i].format), rows[i].name);
    fail_unless_equals_int (
        gst_sensor_format_get_width (rows[i].format), rows[i].width);
    fail_unless_equals_int (
        gst_sensor_format_is_float (rows[i].format), rows[i].is_float);
  }
  fail_unless_equals_int (
      gst_sensor_format_from_string ("S16BE"), GST_SENSOR_FORMAT_UNKNOWN);
  fail_unless (gst_sensor_format_to_string (GST_SENSOR_FORMAT_UNKNOWN) == NULL);
  fail_unless_equals_int (
      gst_sensor_format_for_bit_depth (12), GST_SENSOR_FORMAT_S16LE);
  fail_unless_equals_int (
      gst_sensor_format_for_bit_depth (24), GST_SENSOR_FORMAT_S24LE);
  fail_unless_equals_int (
      gst_sensor_format_for_bit_depth (0), GST_SENSOR_FORMAT_UNKNOWN);
  fail_unless_equals_int (
      gst_sensor_format_for_bit_depth (33), GST_SENSOR_FORMAT_UNKNOWN);
}

GST_END_TEST;

/* Every getter answers NULL, 0 or FALSE for a value outside the table, the
 * same as for UNKNOWN, and int_range leaves its outputs alone then. */
GST_START_TEST (test_format_out_of_table)
{
  const GstSensorFormat bad[] = { GST_SENSOR_FORMAT_UNKNOWN,
    GST_SENSOR_FORMAT_LAST, (GstSensorFormat) (GST_SENSOR_FORMAT_LAST + 7),
    (GstSensorFormat) -1 };
  gint64 min = 11, max = 12;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    fail_unless (gst_sensor_format_to_string (bad[i]) == NULL);
    fail_unless_equals_int (gst_sensor_format_get_width (bad[i]), 0);
    fail_if (gst_sensor_format_is_float (bad[i]));
    fail_if (gst_sensor_format_is_signed (bad[i]));
    fail_if (gst_sensor_format_get_int_range (bad[i], &min, &max));
    fail_unless_equals_int64 (min, 11);
    fail_unless_equals_int64 (max, 12);
  }
  fail_if (
      gst_sensor_format_get_int_range (GST_SENSOR_FORMAT_F32LE, &min, &max));
  fail_unless (gst_sensor_format_is_signed (GST_SENSOR_FORMAT_F64LE));
  fail_if (gst_sensor_format_is_signed (GST_SENSOR_FORMAT_U16LE));
  fail_unless (
      gst_sensor_format_get_int_range (GST_SENSOR_FORMAT_S24LE, &min, &max));
  fail_unless_equals_int64 (min, -8388608);
  fail_unless_equals_int64 (max, 8388607);
  fail_unless (
      gst_sensor_format_get_int_range (GST_SENSOR_FORMAT_U8, NULL, &max));
  fail_unless_equals_int64 (max, 255);
}

GST_END_TEST;

/* A property value stored into, and read back from, a struct field of the
 * C type that matches the value's fundamental type. */
GST_START_TEST (test_field_value)
{
  struct
  {
    gint i;
    guint u;
    guint64 u64;
    gdouble d;
    gboolean b;
    GstState e;
    gchar *s;
    gint64 unsupported;
  } st = { 0, 0, 0, 0, FALSE, GST_STATE_VOID_PENDING, NULL, 5 };
  GValue v = G_VALUE_INIT;

  /* 64 bits wide, all of them kept */
  g_value_init (&v, G_TYPE_UINT64);
  g_value_set_uint64 (&v, G_GUINT64_CONSTANT (0x123456789abcdef0));
  fail_unless (gst_sensor_field_set_value (&st.u64, &v));
  fail_unless_equals_uint64 (st.u64, G_GUINT64_CONSTANT (0x123456789abcdef0));
  g_value_set_uint64 (&v, 0);
  fail_unless (gst_sensor_field_get_value (&st.u64, &v));
  fail_unless_equals_uint64 (
      g_value_get_uint64 (&v), G_GUINT64_CONSTANT (0x123456789abcdef0));
  g_value_unset (&v);

  g_value_init (&v, G_TYPE_INT);
  g_value_set_int (&v, -7);
  fail_unless (gst_sensor_field_set_value (&st.i, &v));
  fail_unless_equals_int (st.i, -7);
  g_value_set_int (&v, 0);
  fail_unless (gst_sensor_field_get_value (&st.i, &v));
  fail_unless_equals_int (g_value_get_int (&v), -7);
  g_value_unset (&v);

  g_value_init (&v, G_TYPE_UINT);
  g_value_set_uint (&v, G_MAXUINT);
  fail_unless (gst_sensor_field_set_value (&st.u, &v));
  fail_unless_equals_uint64 (st.u, G_MAXUINT);
  g_value_set_uint (&v, 0);
  fail_unless (gst_sensor_field_get_value (&st.u, &v));
  fail_unless_equals_uint64 (g_value_get_uint (&v), G_MAXUINT);
  g_value_unset (&v);

  g_value_init (&v, G_TYPE_DOUBLE);
  g_value_set_double (&v, 2.5);
  fail_unless (gst_sensor_field_set_value (&st.d, &v));
  fail_unless_equals_float (st.d, 2.5);
  g_value_set_double (&v, 0);
  fail_unless (gst_sensor_field_get_value (&st.d, &v));
  fail_unless_equals_float (g_value_get_double (&v), 2.5);
  g_value_unset (&v);

  g_value_init (&v, G_TYPE_BOOLEAN);
  g_value_set_boolean (&v, TRUE);
  fail_unless (gst_sensor_field_set_value (&st.b, &v));
  fail_unless_equals_int (st.b, TRUE);
  g_value_set_boolean (&v, FALSE);
  fail_unless (gst_sensor_field_get_value (&st.b, &v));
  fail_unless (g_value_get_boolean (&v));
  g_value_unset (&v);

  g_value_init (&v, GST_TYPE_STATE);
  g_value_set_enum (&v, GST_STATE_PLAYING);
  fail_unless (gst_sensor_field_set_value (&st.e, &v));
  fail_unless_equals_int (st.e, GST_STATE_PLAYING);
  g_value_set_enum (&v, 0);
  fail_unless (gst_sensor_field_get_value (&st.e, &v));
  fail_unless_equals_int (g_value_get_enum (&v), GST_STATE_PLAYING);
  g_value_unset (&v);

  /* strings are copied in and out; the old one is freed (leak tracer) */
  g_value_init (&v, G_TYPE_STRING);
  g_value_set_string (&v, "first");
  fail_unless (gst_sensor_field_set_value (&st.s, &v));
  g_value_set_string (&v, "second");
  fail_unless (gst_sensor_field_set_value (&st.s, &v));
  g_value_unset (&v);
  fail_unless_equals_string (st.s, "second");
  g_value_init (&v, G_TYPE_STRING);
  fail_unless (gst_sensor_field_get_value (&st.s, &v));
  fail_unless (g_value_get_string (&v) != st.s);
  fail_unless_equals_string (g_value_get_string (&v), "second");
  g_value_set_string (&v, NULL);
  fail_unless (gst_sensor_field_set_value (&st.s, &v));
  fail_unless (st.s == NULL);
  g_value_unset (&v);

  /* a type it does not know is refused and the field left alone */
  g_value_init (&v, G_TYPE_INT64);
  g_value_set_int64 (&v, 9);
  fail_if (gst_sensor_field_set_value (&st.unsupported, &v));
  fail_unless_equals_int64 (st.unsupported, 5);
  fail_if (gst_sensor_field_get_value (&st.unsupported, &v));
  fail_unless_equals_int64 (g_value_get_int64 (&v), 9);
  g_value_unset (&v);
}

GST_END_TEST;

typedef struct
{
  guint timeout;
  gchar *name;
} FieldSettings;

/* A table over a settings struct: ids in it are moved, others left to the
 * caller. */
GST_START_TEST (test_field_table_in_struct)
{
  static const GstSensorFieldProp props[] = {
    GST_SENSOR_FIELD_PROP (3, FieldSettings, timeout),
    GST_SENSOR_FIELD_PROP (7, FieldSettings, name),
  };
  FieldSettings fs = { 0, NULL };
  GValue v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_UINT);
  g_value_set_uint (&v, 30);
  fail_unless (gst_sensor_field_set_in (&fs, props, 2, 3, &v));
  fail_unless_equals_int (fs.timeout, 30);
  fail_if (gst_sensor_field_set_in (&fs, props, 2, 4, &v));
  g_value_set_uint (&v, 0);
  fail_unless (gst_sensor_field_get_in (&fs, props, 2, 3, &v));
  fail_unless_equals_int (g_value_get_uint (&v), 30);
  g_value_unset (&v);

  g_value_init (&v, G_TYPE_STRING);
  g_value_set_string (&v, "robot-01");
  fail_unless (gst_sensor_field_set_in (&fs, props, 2, 7, &v));
  fail_unless_equals_string (fs.name, "robot-01");
  fail_if (gst_sensor_field_get_in (&fs, props, 2, 8, &v));
  g_value_unset (&v);
  g_free (fs.name);
}

GST_END_TEST;

GST_START_TEST (test_info_caps_roundtrip)
{
  GstSensorInfo info, info2;
  GstCaps *caps, *caps2;

  gst_sensor_info_init (&info);
  gst_sensor_info_init (&info2);
  caps =
      gst_caps_from_string ("sensor/x-raw, format=S16LE, rate=52/1, "
                            "channels=3, modality=acc_3axis, unit=\"m/s^2\"");
  fail_unless (gst_sensor_info_from_caps (&info, caps));
  fail_unless_equals_int (info.format, GST_SENSOR_FORMAT_S16LE);
  fail_unless_equals_int (info.rate_n, 52);
  fail_unless_equals_int (info.rate_d, 1);
  fail_unless_equals_int (info.channels, 3);
  fail_unless_equals_int (info.bpf, 6);
  fail_unless_equals_string (info.modality, "acc_3axis");
  fail_unless_equals_string (info.unit, "m/s^2");
  fail_unless_equals_uint64 (
      gst_sensor_info_samples_to_time (&info, 52), GST_SECOND);
  fail_unless_equals_uint64 (
      gst_sensor_info_time_to_samples (&info, GST_SECOND / 2), 26);

  caps2 = gst_sensor_info_to_caps (&info);
  fail_unless (gst_caps_is_equal (caps, caps2));
  fail_unless (gst_sensor_info_from_caps (&info2, caps2));
  fail_unless (gst_sensor_info_is_equal (&info, &info2));
  gst_caps_unref (caps2);
  gst_caps_unref (caps);

  /* irregular */
  caps = gst_caps_from_string ("sensor/x-raw, format=F32LE, rate=0/1, "
                               "channels=1, modality=heart_rate");
  fail_unless (gst_sensor_info_from_caps (&info, caps));
  fail_unless (GST_SENSOR_INFO_IS_IRREGULAR (&info));
  fail_unless (
      gst_sensor_info_samples_to_time (&info, 10) == GST_CLOCK_TIME_NONE);
  gst_caps_unref (caps);

  gst_sensor_info_clear (&info);
  gst_sensor_info_clear (&info2);
}

GST_END_TEST;

GST_START_TEST (test_info_rejects_bad_caps)
{
  const gchar *bad[] = {
    "sensor/x-raw, format=S16BE, rate=100/1, channels=1",
    "sensor/x-raw, format=S16LE, rate=100/1, channels=0",
    "sensor/x-raw, format=S16LE, rate=100/1, channels=65",
    "sensor/x-raw, format=S16LE, channels=1",
    "sensor/x-raw, format=S16LE, rate=-1/1, channels=1",
    "audio/x-raw, format=S16LE, rate=100, channels=1",
    "sensor/x-raw, format=S16LE, rate=100/1, channels=[1, 3]",
  };
  GstSensorInfo info;
  guint i;

  gst_sensor_info_init (&info);
  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    GstCaps *caps = gst_caps_from_string (bad[i]);

    fail_unless (caps != NULL, "%s", bad[i]);
    fail_if (gst_sensor_info_from_caps (&info, caps), "accepted %s", bad[i]);
    gst_caps_unref (caps);
  }
  gst_sensor_info_clear (&info);
}

GST_END_TEST;

GST_START_TEST (test_modality_table)
{
  const GstSensorModality *m;

  m = gst_sensor_modality_lookup ("ppg_green");
  fail_unless (m != NULL);
  fail_unless_equals_int (m->rate_n, 100);
  fail_unless_equals_int (m->channels, 1);
  fail_unless_equals_int (m->format, GST_SENSOR_FORMAT_S16LE);

  m = gst_sensor_modality_lookup ("acc_3axis");
  fail_unless (m != NULL);
  fail_unless_equals_int (m->rate_n, 50);
  fail_unless_equals_int (m->channels, 3);

  fail_unless_equals_string (
      gst_sensor_modality_lookup ("pressure")->unit, "hPa");
  fail_unless_equals_string (
      gst_sensor_modality_lookup ("heart_rate")->unit, "bpm");
  fail_unless_equals_string (gst_sensor_modality_lookup ("spo2")->unit, "%");
  fail_unless (gst_sensor_modality_lookup ("gyro_3axis") != NULL);
  fail_unless (gst_sensor_modality_lookup ("fsr") != NULL);
  fail_unless (gst_sensor_modality_lookup ("battery_level") != NULL);
  fail_unless (gst_sensor_modality_lookup ("ecg_lead_ii") == NULL);
}

GST_END_TEST;

GST_START_TEST (test_modality_full_scale)
{
  static const struct
  {
    const gchar *name;
    gdouble full_scale;
  } rows[] = {
    /* +-16 g in m/s^2 and +-2000 deg/s, as MEMS parts are set up */
    { "acc_3axis", 16 * 9.80665 },
    { "gyro_3axis", 2000 },
    { "pressure", 1100 },
    { "fsr", 1 },
    { "heart_rate", 300 },
    { "spo2", 100 },
    { "battery_level", 100 },
    { "temperature", 128 },
    /* ADC counts: kept as they are */
    { "ppg_green", 0 },
    { "ppg_red", 0 },
    { "ppg_ir", 0 },
  };
  const GstSensorModality *all;
  guint i, n = 0;
  gdouble fs;

  for (i = 0; i < G_N_ELEMENTS (rows); i++) {
    fs = -1;
    fail_unless (gst_sensor_modality_get_full_scale (rows[i].name, NULL, &fs),
        "%s", rows[i].name);
    fail_unless (
        fabs (fs - rows[i].full_scale) < 1e-9, "%s: %f", rows[i].name, fs);
    fail_unless_equals_float (
        gst_sensor_modality_lookup (rows[i].name)->full_scale,
        rows[i].full_scale);
  }
  fail_unless (fabs (16 * 9.80665 - 156.9064) < 1e-9);

  /* every row of the table is decided and covered above */
  all = gst_sensor_modality_get_all (&n);
  fail_unless_equals_int (n, G_N_ELEMENTS (rows));
  for (i = 0; i < n; i++)
    fail_unless (all[i].full_scale >= 0, "%s", all[i].name);

  /* the unit of the table row, spelled out, is the same */
  fail_unless (gst_sensor_modality_get_full_scale ("acc_3axis", "m/s^2", &fs));
  fail_unless (fabs (fs - 156.9064) < 1e-9);
  /* another unit, or a modality not in the table: no scale, @fs untouched */
  fs = -1;
  fail_if (gst_sensor_modality_get_full_scale ("acc_3axis", "g", &fs));
  fail_if (gst_sensor_modality_get_full_scale ("ecg_lead_ii", NULL, &fs));
  fail_if (gst_sensor_modality_get_full_scale (NULL, NULL, &fs));
  fail_unless_equals_float (fs, -1);
  /* @full_scale may be NULL */
  fail_unless (gst_sensor_modality_get_full_scale ("spo2", "%", NULL));
}

GST_END_TEST;

GST_START_TEST (test_convert_int_float)
{
  const gint16 in[] = { 0, 16384, -32768, 32767 };
  gfloat f[4];
  gint16 back[4];
  const gfloat over[] = { 2.0f, -3.0f, 0.5f, NAN };
  guint64 clipped;

  /* full scale 2.0: 32767 is 2.0 */
  clipped = gst_sensor_convert_samples (GST_SENSOR_FORMAT_S16LE,
      (const guint8 *) in, GST_SENSOR_FORMAT_F32LE, (guint8 *) f, 4, 2.0);
  fail_unless_equals_uint64 (clipped, 0);
  fail_unless (fabs (f[0]) < 1e-9);
  fail_unless (fabs (f[1] - 16384 * 2.0 / 32767) < 1e-6);
  fail_unless (fabs (f[3] - 2.0) < 1e-6);

  clipped = gst_sensor_convert_samples (GST_SENSOR_FORMAT_F32LE,
      (const guint8 *) f, GST_SENSOR_FORMAT_S16LE, (guint8 *) back, 4, 2.0);
  fail_unless_equals_uint64 (clipped, 0);
  fail_unless_equals_int (back[1], 16384);
  fail_unless_equals_int (back[2], -32767 - 1);
  fail_unless_equals_int (back[3], 32767);

  /* full scale 1.0: 2.0 and -3.0 saturate, NaN becomes 0, all counted */
  clipped = gst_sensor_convert_samples (GST_SENSOR_FORMAT_F32LE,
      (const guint8 *) over, GST_SENSOR_FORMAT_S16LE, (guint8 *) back, 4, 1.0);
  fail_unless_equals_uint64 (clipped, 3);
  fail_unless_equals_int (back[0], 32767);
  fail_unless_equals_int (back[1], -32768);
  fail_unless_equals_int (back[2], 16384);
  fail_unless_equals_int (back[3], 0);

  /* no full scale: values are kept (72.4 bpm -> 72) */
  {
    const gfloat hr = 72.4f;
    gint16 code;

    fail_unless_equals_uint64 (
        gst_sensor_convert_samples (GST_SENSOR_FORMAT_F32LE,
            (const guint8 *) &hr, GST_SENSOR_FORMAT_S16LE, (guint8 *) &code, 1,
            0),
        0);
    fail_unless_equals_int (code, 72);
  }
}

GST_END_TEST;

GST_START_TEST (test_convert_s24)
{
  const guint8 in[] = { 0xff, 0xff, 0x7f, 0x00, 0x00, 0x80, 0xfe, 0xff, 0xff };
  gint32 out[3];
  guint8 back[9];

  fail_unless_equals_uint64 (
      gst_sensor_convert_samples (GST_SENSOR_FORMAT_S24LE, in,
          GST_SENSOR_FORMAT_S32LE, (guint8 *) out, 3, 0),
      0);
  fail_unless_equals_int (out[0], 8388607);
  fail_unless_equals_int (out[1], -8388608);
  fail_unless_equals_int (out[2], -2);
  fail_unless_equals_uint64 (
      gst_sensor_convert_samples (GST_SENSOR_FORMAT_S32LE, (const guint8 *) out,
          GST_SENSOR_FORMAT_S24LE, back, 3, 0),
      0);
  fail_unless (memcmp (in, back, 9) == 0);

  /* S32 -> S16 keeps values and saturates */
  {
    const gint32 wide[] = { 40000, -5, -40000 };
    gint16 narrow[3];

    fail_unless_equals_uint64 (
        gst_sensor_convert_samples (GST_SENSOR_FORMAT_S32LE,
            (const guint8 *) wide, GST_SENSOR_FORMAT_S16LE, (guint8 *) narrow,
            3, 0),
        2);
    fail_unless_equals_int (narrow[0], 32767);
    fail_unless_equals_int (narrow[1], -5);
    fail_unless_equals_int (narrow[2], -32768);
  }
}

GST_END_TEST;

/* The synthesis does not depend on how the stream is cut into calls, is
 * the same for the same seed, and writes codes at the full scale. */
GST_START_TEST (test_waveform_fill)
{
  GstSensorWaveformParams p = {
    .kind = GST_SENSOR_WAVEFORM_PPG,
    .heart_rate = 72,
    .ppg_amplitude = 500,
    .ppg_baseline = 2048,
    .motion_frequency = 1.8,
    .noise_level = 3,
  };
  GstSensorInfo info;
  GstSensorWaveform *a, *b;
  gint16 whole[250], parts[250];
  gint8 counter[2 * 300];

  gst_sensor_info_init (&info);
  gst_sensor_info_set_format (
      &info, GST_SENSOR_FORMAT_S16LE, 100, 1, 1, "ppg_green", "adc");
  a = gst_sensor_waveform_new (7);
  b = gst_sensor_waveform_new (7);
  gst_sensor_waveform_fill (a, &p, &info, 0, (guint8 *) whole, 250);
  gst_sensor_waveform_fill (b, &p, &info, 0, (guint8 *) parts, 33);
  gst_sensor_waveform_fill (b, &p, &info, 33, (guint8 *) (parts + 33), 217);
  fail_unless (memcmp (whole, parts, sizeof (whole)) == 0);
  /* a beat of 72 bpm at 100 Hz peaks near 2048 + 500 */
  {
    gint16 peak = 0;
    guint i;

    for (i = 0; i < 83; i++)
      peak = MAX (peak, whole[i]);
    fail_unless (peak > 2530 && peak < 2560, "%d", peak);
  }

  /* after a seek the wave goes on where the counter says */
  p.noise_level = 0;
  gst_sensor_waveform_seek (a, &p, &info, 100);
  gst_sensor_waveform_fill (a, &p, &info, 100, (guint8 *) parts, 50);
  gst_sensor_waveform_seek (b, &p, &info, 0);
  gst_sensor_waveform_fill (b, &p, &info, 0, (guint8 *) whole, 150);
  fail_unless (memcmp (whole + 100, parts, 50 * 2) == 0);

  /* accelerometer at the acc_3axis full scale: 1 g on z is 2048 codes */
  p.kind = GST_SENSOR_WAVEFORM_ACCEL;
  p.motion = 0;
  p.full_scale = 16 * 9.80665;
  gst_sensor_info_set_format (
      &info, GST_SENSOR_FORMAT_S16LE, 50, 1, 3, "acc_3axis", "m/s^2");
  gst_sensor_waveform_fill (a, &p, &info, 0, (guint8 *) whole, 2);
  fail_unless_equals_int (whole[0], 0);
  fail_unless_equals_int (whole[2], 2048);
  fail_unless_equals_int (whole[5], 2048);

  /* the counter wraps like hardware and is never scaled */
  p.kind = GST_SENSOR_WAVEFORM_COUNTER;
  gst_sensor_info_set_format (
      &info, GST_SENSOR_FORMAT_S8, 100, 1, 2, NULL, NULL);
  gst_sensor_waveform_fill (a, &p, &info, 100, (guint8 *) counter, 300);
  fail_unless_equals_int (counter[2 * 27], 127);
  fail_unless_equals_int (counter[2 * 28 + 1], -128);
  fail_unless_equals_int (counter[2 * 299], (gint8) (399 - 512));

  gst_sensor_waveform_free (a);
  gst_sensor_waveform_free (b);
  gst_sensor_waveform_free (NULL);
  gst_sensor_info_clear (&info);
}

GST_END_TEST;

/* Irregular samples to a 100 Hz grid from t0: output k is released by the
 * first input at or after t0 + k * 10 ms, linear or held, converted with
 * the full scale; the drain ends at the last input time inclusive. */
GST_START_TEST (test_interpolator)
{
  GstSensorInfo in, out;
  GstSensorInterpolator *ip;
  gfloat v;
  gint16 o[8];

  gst_sensor_info_init (&in);
  gst_sensor_info_init (&out);
  gst_sensor_info_set_format (
      &in, GST_SENSOR_FORMAT_F32LE, 0, 1, 1, NULL, NULL);
  gst_sensor_info_set_format (
      &out, GST_SENSOR_FORMAT_S16LE, 100, 1, 1, NULL, NULL);
  ip = gst_sensor_interpolator_new (
      &in, &out, GST_SENSOR_INTERPOLATE_LINEAR, 2.0);
  fail_unless (ip != NULL);
  gst_sensor_interpolator_reset (ip, 5 * GST_MSECOND);
  fail_unless_equals_uint64 (
      gst_sensor_interpolator_get_last_time (ip), GST_CLOCK_TIME_NONE);

  /* the first input releases nothing */
  v = 0;
  fail_unless_equals_uint64 (
      gst_sensor_interpolator_n_before (ip, 5 * GST_MSECOND), 0);
  gst_sensor_interpolator_push (ip, 5 * GST_MSECOND, (guint8 *) &v, NULL);
  /* 2.0 at 45 ms releases 5, 15, 25 and 35 ms: 0, 0.5, 1.0, 1.5 of 2.0 */
  v = 2.0f;
  fail_unless_equals_uint64 (
      gst_sensor_interpolator_n_before (ip, 45 * GST_MSECOND), 4);
  fail_unless_equals_uint64 (gst_sensor_interpolator_push (ip, 45 * GST_MSECOND,
                                 (guint8 *) &v, (guint8 *) o),
      0);
  fail_unless_equals_int (o[0], 0);
  fail_unless_equals_int (o[1], 8192);
  fail_unless_equals_int (o[2], 16384);
  fail_unless_equals_int (o[3], 24575);
  fail_unless_equals_uint64 (
      gst_sensor_interpolator_get_last_time (ip), 45 * GST_MSECOND);
  /* the drain holds 2.0 (32767) at 45 ms */
  fail_unless_equals_uint64 (gst_sensor_interpolator_n_drain (ip), 1);
  fail_unless_equals_uint64 (
      gst_sensor_interpolator_drain (ip, (guint8 *) o), 0);
  fail_unless_equals_int (o[0], 32767);
  fail_unless_equals_uint64 (gst_sensor_interpolator_n_drain (ip), 0);
  gst_sensor_interpolator_free (ip);

  /* hold: the earlier value until the next input; out of range clips */
  ip =
      gst_sensor_interpolator_new (&in, &out, GST_SENSOR_INTERPOLATE_HOLD, 1.0);
  v = 3.0f;
  gst_sensor_interpolator_push (ip, 0, (guint8 *) &v, NULL);
  v = 0;
  fail_unless_equals_uint64 (gst_sensor_interpolator_push (ip, 20 * GST_MSECOND,
                                 (guint8 *) &v, (guint8 *) o),
      2);
  fail_unless_equals_int (o[0], 32767);
  fail_unless_equals_int (o[1], 32767);
  gst_sensor_interpolator_free (ip);
  gst_sensor_interpolator_free (NULL);

  /* an irregular output or another channel count has no grid */
  fail_unless (gst_sensor_interpolator_new (
                   &in, &in, GST_SENSOR_INTERPOLATE_HOLD, 0) == NULL);
  gst_sensor_info_set_format (
      &out, GST_SENSOR_FORMAT_S16LE, 100, 1, 2, NULL, NULL);
  fail_unless (gst_sensor_interpolator_new (
                   &in, &out, GST_SENSOR_INTERPOLATE_HOLD, 0) == NULL);
  gst_sensor_info_clear (&in);
  gst_sensor_info_clear (&out);
}

GST_END_TEST;

GST_START_TEST (test_epoch_meta_and_anchor)
{
  GstBuffer *buf = gst_buffer_new ();
  GstClockTime epoch = 0, a, b;
  GstElement *pipeline, *e1, *e2;

  fail_if (gst_buffer_get_sensor_epoch (buf, &epoch));
  gst_buffer_add_sensor_epoch (buf, 1760000000123 * GST_MSECOND);
  fail_unless (gst_buffer_get_sensor_epoch (buf, &epoch));
  fail_unless_equals_uint64 (epoch, 1760000000123 * GST_MSECOND);
  gst_buffer_unref (buf);

  /* two elements of one pipeline share the anchor */
  pipeline = gst_pipeline_new (NULL);
  e1 = gst_element_factory_make ("identity", NULL);
  e2 = gst_element_factory_make ("identity", NULL);
  gst_bin_add_many (GST_BIN (pipeline), e1, e2, NULL);
  a = gst_sensor_epoch_for_running_time (e1, 5 * GST_SECOND, FALSE);
  g_usleep (20000);
  b = gst_sensor_epoch_for_running_time (e2, 5 * GST_SECOND, FALSE);
  fail_unless_equals_uint64 (a, b);
  b = gst_sensor_epoch_for_running_time (e2, 6 * GST_SECOND, FALSE);
  fail_unless_equals_uint64 (b - a, GST_SECOND);
  /* non-live: the first sample asked for is "now" */
  fail_unless (ABS ((gint64) a - (gint64) g_get_real_time () * 1000) <
      (gint64) GST_SECOND);
  gst_sensor_epoch_reset (e1);
  g_usleep (20000);
  b = gst_sensor_epoch_for_running_time (e2, 5 * GST_SECOND, FALSE);
  fail_unless (b > a);
  gst_object_unref (pipeline);
}

GST_END_TEST;

static guint
count_reference_metas (GstBuffer *buf)
{
  gpointer state = NULL;
  guint n = 0;

  while (gst_buffer_iterate_meta_filtered (
      buf, &state, GST_REFERENCE_TIMESTAMP_META_API_TYPE))
    n++;
  return n;
}

GST_START_TEST (test_epoch_meta_set_find_remove)
{
  GstBuffer *buf = gst_buffer_new ();
  GstCaps *ntp = gst_caps_from_string ("timestamp/x-ntp");
  GstCaps *unix_copy = gst_caps_from_string (GST_SENSOR_EPOCH_CAPS_STRING);
  GstReferenceTimestampMeta *meta;
  GstClockTime epoch = 0;

  /* set adds once, then updates in place */
  meta = gst_buffer_set_sensor_epoch (buf, 5 * GST_SECOND);
  fail_unless (meta != NULL);
  fail_unless (gst_buffer_set_sensor_epoch (buf, 7 * GST_SECOND) == meta);
  fail_unless_equals_int (count_reference_metas (buf), 1);
  fail_unless (gst_buffer_get_sensor_epoch (buf, &epoch));
  fail_unless_equals_uint64 (epoch, 7 * GST_SECOND);
  fail_unless (gst_buffer_remove_sensor_epoch (buf));
  fail_if (gst_buffer_get_sensor_epoch (buf, NULL));
  fail_if (gst_buffer_remove_sensor_epoch (buf));

  /* another clock's reference first, then the epoch in caps that are equal
   * but not the shared object: found by content */
  gst_buffer_add_reference_timestamp_meta (
      buf, ntp, 3 * GST_SECOND, GST_CLOCK_TIME_NONE);
  fail_if (gst_buffer_get_sensor_epoch (buf, NULL));
  gst_buffer_add_reference_timestamp_meta (
      buf, unix_copy, 9 * GST_SECOND, GST_CLOCK_TIME_NONE);
  fail_unless (gst_buffer_get_sensor_epoch (buf, &epoch));
  fail_unless_equals_uint64 (epoch, 9 * GST_SECOND);
  gst_buffer_set_sensor_epoch (buf, 11 * GST_SECOND);
  fail_unless_equals_int (count_reference_metas (buf), 2);
  fail_unless (gst_buffer_get_sensor_epoch (buf, &epoch));
  fail_unless_equals_uint64 (epoch, 11 * GST_SECOND);
  /* the other reference stays */
  fail_unless (gst_buffer_remove_sensor_epoch (buf));
  fail_unless_equals_int (count_reference_metas (buf), 1);
  fail_unless_equals_uint64 (
      gst_buffer_get_reference_timestamp_meta (buf, ntp)->timestamp,
      3 * GST_SECOND);

  gst_caps_unref (ntp);
  gst_caps_unref (unix_copy);
  gst_buffer_unref (buf);
}

GST_END_TEST;

static Suite *
sensorinfo_suite (void)
{
  Suite *s = suite_create ("sensorinfo");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_format_table);
  tcase_add_test (tc, test_format_out_of_table);
  tcase_add_test (tc, test_field_value);
  tcase_add_test (tc, test_field_table_in_struct);
  tcase_add_test (tc, test_info_caps_roundtrip);
  tcase_add_test (tc, test_info_rejects_bad_caps);
  tcase_add_test (tc, test_modality_table);
  tcase_add_test (tc, test_modality_full_scale);
  tcase_add_test (tc, test_convert_int_float);
  tcase_add_test (tc, test_convert_s24);
  tcase_add_test (tc, test_waveform_fill);
  tcase_add_test (tc, test_interpolator);
  tcase_add_test (tc, test_epoch_meta_and_anchor);
  tcase_add_test (tc, test_epoch_meta_set_find_remove);
  return s;
}

GST_CHECK_MAIN (sensorinfo);
