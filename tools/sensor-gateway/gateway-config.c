/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * sensor-gateway's configuration: a key file whose values may name
 * environment variables (${VAR}), read line by line so that every error
 * names the file, the line and the key.
 */
#include "gateway-config.h"

#include <gst/gst.h>
#include <string.h>

G_DEFINE_QUARK (gateway - config - error - quark, gateway_config_error)

#define DEFAULT_METRICS_ADDRESS "127.0.0.1"
#define DEFAULT_DRAIN_TIMEOUT_S 10
#define DEFAULT_DEVICE_IDLE_TIMEOUT_S 60
#define DEFAULT_RESTART_DELAY_S 1.0
#define DEFAULT_RESTART_DELAY_MAX_S 30.0

typedef struct
{
  gchar *key;
  gchar *value;
  guint line;
} Entry;

typedef struct
{
  gchar *kind; /* "gateway", "route", "pipeline" */
  gchar *name; /* NULL for [gateway] */
  guint line;
  GPtrArray *entries; /* Entry*, in file order */
} Group;

typedef struct
{
  const gchar *path;
  const gchar *const *envp;
  GPtrArray *groups;
} Parser;

static gboolean read_var_file (const Parser *p, const Group *g, const Entry *e,
    gchar **value, GError **error);

static void
entry_free (Entry *e)
{
  g_free (e->key);
  g_free (e->value);
  g_free (e);
}

static void
group_free (Group *g)
{
  g_free (g->kind);
  g_free (g->name);
  g_ptr_array_unref (g->entries);
  g_free (g);
}

static gchar *
group_label (const Group *g)
{
  return g->name ? g_strdup_printf ("[%s %s]", g->kind, g->name) :
                   g_strdup_printf ("[%s]", g->kind);
}

static void set_error (GError **error, GatewayConfigError code, const Parser *p,
    guint line, const Group *g, const gchar *key, const gchar *fmt, ...)
    G_GNUC_PRINTF (7, 8);

static void
set_error (GError **error, GatewayConfigError code, const Parser *p, guint line,
    const Group *g, const gchar *key, const gchar *fmt, ...)
{
  va_list args;
  gchar *what, *label = g ? group_label (g) : NULL;

  va_start (args, fmt);
  what = g_strdup_vprintf (fmt, args);
  va_end (args);
  if (key)
    g_set_error (error, GATEWAY_CONFIG_ERROR, code, "%s:%u: %s %s: %s", p->path,
        line, label, key, what);
  else if (label)
    g_set_error (error, GATEWAY_CONFIG_ERROR, code, "%s:%u: %s: %s", p->path,
        line, label, what);
  else
    g_set_error (
        error, GATEWAY_CONFIG_ERROR, code, "%s:%u: %s", p->path, line, what);
  g_free (what);
  g_free (label);
}

/* ${VAR} from the environment; a '$' not followed by '{' stays as it is. */
static gchar *
expand_env (const Parser *p, guint line, const Group *g, const gchar *key,
    const gchar *value, GError **error)
{
  GString *out = g_string_new (NULL);
  const gchar *s = value;

  while (*s) {
    const gchar *end, *v;
    gchar *name;

    if (s[0] != '$' || s[1] != '{') {
      g_string_append_c (out, *s++);
      continue;
    }
    end = strchr (s + 2, '}');
    if (end == NULL) {
      set_error (error, GATEWAY_CONFIG_ERROR_SYNTAX, p, line, g, key,
          "unterminated \"${\"");
      return g_string_free (out, TRUE), NULL;
    }
    name = g_strndup (s + 2, end - (s + 2));
    v = g_environ_getenv ((gchar **) p->envp, name);
    if (v == NULL) {
      set_error (error, GATEWAY_CONFIG_ERROR_UNSET, p, line, g, key,
          "environment variable %s is not set", name);
      g_free (name);
      return g_string_free (out, TRUE), NULL;
    }
    g_string_append (out, v);
    g_free (name);
    s = end + 1;
  }
  return g_string_free (out, FALSE);
}

static Group *
parse_group_header (Parser *p, guint line, const gchar *text, GError **error)
{
  gchar **words = g_strsplit_set (text, " \t", -1);
  gchar **w;
  GPtrArray *parts = g_ptr_array_new ();
  Group *g = NULL;
  guint i;

  for (w = words; *w; w++)
    if (**w)
      g_ptr_array_add (parts, *w);
  if (parts->len == 1 && g_str_equal (parts->pdata[0], "gateway")) {
    g = g_new0 (Group, 1);
    g->kind = g_strdup ("gateway");
  } else if (parts->len == 2 &&
      (g_str_equal (parts->pdata[0], "route") ||
          g_str_equal (parts->pdata[0], "pipeline"))) {
    g = g_new0 (Group, 1);
    g->kind = g_strdup (parts->pdata[0]);
    g->name = g_strdup (parts->pdata[1]);
  } else {
    set_error (error, GATEWAY_CONFIG_ERROR_SYNTAX, p, line, NULL, NULL,
        "unknown group [%s]: expected [gateway], [route NAME] or "
        "[pipeline NAME]",
        text);
  }
  g_ptr_array_unref (parts);
  g_strfreev (words);
  if (g == NULL)
    return NULL;
  g->line = line;
  g->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  for (i = 0; i < p->groups->len; i++) {
    Group *o = p->groups->pdata[i];

    if (g_str_equal (o->kind, g->kind) && g_strcmp0 (o->name, g->name) == 0) {
      set_error (error, GATEWAY_CONFIG_ERROR_KEY, p, line, g, NULL,
          "group already defined on line %u", o->line);
      group_free (g);
      return NULL;
    }
  }
  return g;
}

static gboolean
parse_lines (Parser *p, const gchar *data, GError **error)
{
  gchar **lines = g_strsplit (data, "\n", -1);
  Group *current = NULL;
  gboolean ok = TRUE;
  guint n;

  for (n = 0; ok && lines[n]; n++) {
    guint line = n + 1;
    gchar *text = g_strstrip (lines[n]);
    gchar *eq, *key, *value;
    guint i;

    if (*text == '\0' || *text == '#')
      continue;
    if (*text == '[') {
      gsize len = strlen (text);

      if (text[len - 1] != ']') {
        set_error (error, GATEWAY_CONFIG_ERROR_SYNTAX, p, line, NULL, NULL,
            "a group header must end with ']'");
        ok = FALSE;
        break;
      }
      text[len - 1] = '\0';
      current = parse_group_header (p, line, g_strstrip (text + 1), error);
      ok = current != NULL;
      if (ok)
        g_ptr_array_add (p->groups, current);
      continue;
    }
    eq = strchr (text, '=');
    if (eq == NULL || current == NULL) {
      set_error (error, GATEWAY_CONFIG_ERROR_SYNTAX, p, line, NULL, NULL,
          current ? "expected KEY = VALUE" : "a key before the first [group]");
      ok = FALSE;
      break;
    }
    *eq = '\0';
    key = g_strstrip (text);
    for (i = 0; i < current->entries->len; i++) {
      Entry *o = current->entries->pdata[i];

      if (g_str_equal (o->key, key)) {
        set_error (error, GATEWAY_CONFIG_ERROR_KEY, p, line, current, key,
            "key already set on line %u", o->line);
        ok = FALSE;
        break;
      }
    }
    if (!ok)
      break;
    value = expand_env (p, line, current, key, g_strstrip (eq + 1), error);
    if (value == NULL) {
      ok = FALSE;
      break;
    }
    {
      Entry *e = g_new0 (Entry, 1);

      e->key = g_strdup (key);
      e->value = value;
      e->line = line;
      g_ptr_array_add (current->entries, e);
    }
  }
  g_strfreev (lines);
  return ok;
}

static gboolean
parse_uint (const Parser *p, const Group *g, const Entry *e, guint64 max,
    guint64 *out, GError **error)
{
  if (!g_ascii_string_to_unsigned (e->value, 10, 0, max, out, NULL)) {
    set_error (error, GATEWAY_CONFIG_ERROR_VALUE, p, e->line, g, e->key,
        "\"%s\" is not a whole number from 0 to %" G_GUINT64_FORMAT, e->value,
        max);
    return FALSE;
  }
  return TRUE;
}

static gboolean
parse_seconds (const Parser *p, const Group *g, const Entry *e, gdouble *out,
    GError **error)
{
  gchar *end = NULL;
  gdouble v = g_ascii_strtod (e->value, &end);

  if (end == e->value || *end != '\0' || !(v >= 0.0 && v <= 86400.0)) {
    set_error (error, GATEWAY_CONFIG_ERROR_VALUE, p, e->line, g, e->key,
        "\"%s\" is not a number of seconds from 0 to 86400", e->value);
    return FALSE;
  }
  *out = v;
  return TRUE;
}

static gboolean
unknown_key (const Parser *p, const Group *g, const Entry *e,
    const gchar *known, GError **error)
{
  set_error (error, GATEWAY_CONFIG_ERROR_KEY, p, e->line, g, e->key,
      "unknown key (known: %s)", known);
  return FALSE;
}

static gboolean
read_gateway (
    const Parser *p, const Group *g, GatewayConfig *config, GError **error)
{
  guint i;

  for (i = 0; i < g->entries->len; i++) {
    const Entry *e = g->entries->pdata[i];
    guint64 v;

    if (g_str_equal (e->key, "metrics-address")) {
      g_free (config->metrics_address);
      config->metrics_address = g_strdup (e->value);
    } else if (g_str_equal (e->key, "metrics-port")) {
      if (!parse_uint (p, g, e, 65535, &v, error))
        return FALSE;
      config->metrics_port = (gint) v;
    } else if (g_str_equal (e->key, "drain-timeout")) {
      if (!parse_uint (p, g, e, 3600, &v, error))
        return FALSE;
      config->drain_timeout_s = (guint) v;
    } else if (g_str_equal (e->key, "log-file")) {
      g_free (config->log_file);
      config->log_file = g_strdup (e->value);
    } else {
      return unknown_key (p, g, e,
          "metrics-address, metrics-port, drain-timeout, log-file", error);
    }
  }
  return TRUE;
}

/* Parses @description once; returns it (a floating ref sunk) or NULL with
 * the error naming the line and key. */
static GstElement *
check_description (const Parser *p, const Group *g, guint line,
    const gchar *key, const gchar *description, gboolean as_bin, GError **error)
{
  GError *err = NULL;
  GstElement *e;

  if (as_bin)
    e = (GstElement *) gst_parse_bin_from_description (description, TRUE, &err);
  else
    e = gst_parse_launch (description, &err);
  if (e != NULL)
    gst_object_ref_sink (e);
  if (err != NULL) {
    set_error (error, GATEWAY_CONFIG_ERROR_TEMPLATE, p, line, g, key, "%s",
        err->message);
    g_error_free (err);
    gst_clear_object (&e);
    return NULL;
  }
  return e;
}

static GstElement *
find_element (GstElement *top, const gchar *name)
{
  if (g_strcmp0 (GST_OBJECT_NAME (top), name) == 0)
    return gst_object_ref (top);
  if (GST_IS_BIN (top))
    return gst_bin_get_by_name (GST_BIN (top), name);
  return NULL;
}

static void
setting_free (GatewaySetting *s)
{
  g_free (s->element);
  g_free (s->property);
  if (s->value)
    memset (s->value, 0, strlen (s->value));
  g_free (s->value);
  g_free (s);
}

/* set.ELEMENT.PROPERTY[-file]: checked against the parsed descriptions. A
 * PROPERTY-file key whose element has no such property but has PROPERTY
 * reads the value from the file (a secret's usual home). */
static gboolean
read_setting (const Parser *p, const Group *g, const Entry *e,
    GstElement *const *tops, GPtrArray *settings, GError **error)
{
  const gchar *spec = e->key + 4;
  const gchar *dot = strchr (spec, '.');
  GstElement *el = NULL;
  GParamSpec *pspec;
  GatewaySetting *s;
  gchar *element, *property;
  guint i;

  if (dot == NULL || dot == spec || dot[1] == '\0') {
    set_error (error, GATEWAY_CONFIG_ERROR_KEY, p, e->line, g, e->key,
        "expected set.ELEMENT.PROPERTY");
    return FALSE;
  }
  element = g_strndup (spec, dot - spec);
  property = g_strdup (dot + 1);
  for (i = 0; el == NULL && tops[i]; i++)
    el = find_element (tops[i], element);
  if (el == NULL) {
    set_error (error, GATEWAY_CONFIG_ERROR_KEY, p, e->line, g, e->key,
        "no element named \"%s\" (name it with name=%s)", element, element);
    g_free (element);
    g_free (property);
    return FALSE;
  }
  s = g_new0 (GatewaySetting, 1);
  s->element = element;
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (el), property);
  if (pspec == NULL && g_str_has_suffix (property, "-file")) {
    property[strlen (property) - 5] = '\0';
    pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (el), property);
    if (pspec != NULL && !read_var_file (p, g, e, &s->value, error)) {
      gst_object_unref (el);
      g_free (property);
      setting_free (s);
      return FALSE;
    }
  } else if (pspec != NULL) {
    s->value = g_strdup (e->value);
  }
  s->property = property;
  if (pspec == NULL || !(pspec->flags & G_PARAM_WRITABLE)) {
    set_error (error, GATEWAY_CONFIG_ERROR_KEY, p, e->line, g, e->key,
        "%s (%s) has no writable property \"%s\"", element,
        G_OBJECT_TYPE_NAME (el), property);
    gst_object_unref (el);
    setting_free (s);
    return FALSE;
  }
  gst_object_unref (el);
  g_ptr_array_add (settings, s);
  return TRUE;
}

/**
 * gateway_settings_apply:
 * @settings: (element-type GatewaySetting): from a route or pipeline
 * @bin: a freshly built source, branch or pipeline
 *
 * Sets each setting whose element is in @bin.
 */
void
gateway_settings_apply (GPtrArray *settings, GstBin *bin)
{
  guint i;

  for (i = 0; i < settings->len; i++) {
    GatewaySetting *s = settings->pdata[i];
    GstElement *el = find_element (GST_ELEMENT (bin), s->element);

    if (el != NULL) {
      gst_util_set_object_arg (G_OBJECT (el), s->property, s->value);
      gst_object_unref (el);
    }
  }
}

static gboolean
read_var_file (const Parser *p, const Group *g, const Entry *e, gchar **value,
    GError **error)
{
  GError *err = NULL;
  gchar *contents = NULL;

  if (!g_file_get_contents (e->value, &contents, NULL, &err)) {
    set_error (error, GATEWAY_CONFIG_ERROR_FILE, p, e->line, g, e->key, "%s",
        err->message);
    g_error_free (err);
    return FALSE;
  }
  /* a secret file usually ends with one newline */
  *value = g_strchomp (contents);
  return TRUE;
}

static void
route_free (GatewayRoute *r)
{
  g_free (r->name);
  g_free (r->source);
  g_free (r->branch);
  g_hash_table_unref (r->vars);
  g_ptr_array_unref (r->settings);
  g_free (r);
}

static void
pipeline_free (GatewayPipeline *pl)
{
  g_free (pl->name);
  g_free (pl->description);
  g_ptr_array_unref (pl->settings);
  g_free (pl);
}

/* Expands {device} and {NAME}; FALSE with @bad set to the first unknown
 * name. */
static gchar *
expand_template (const GatewayRoute *route, const gchar *device, gchar **bad)
{
  GString *out = g_string_new (NULL);
  const gchar *s = route->branch;

  while (*s) {
    const gchar *end;
    gchar *name;
    const gchar *v;

    if (*s != '{' || (end = strchr (s, '}')) == NULL) {
      g_string_append_c (out, *s++);
      continue;
    }
    name = g_strndup (s + 1, end - s - 1);
    v = g_str_equal (name, "device") ? device :
                                       g_hash_table_lookup (route->vars, name);
    if (v == NULL) {
      if (bad)
        *bad = name;
      else
        g_free (name);
      return g_string_free (out, TRUE), NULL;
    }
    g_free (name);
    g_string_append (out, v);
    s = end + 1;
  }
  return g_string_free (out, FALSE);
}

/**
 * gateway_route_expand:
 * @route: a loaded route
 * @device: the device id
 *
 * Returns: (transfer full): the route's branch description for @device.
 * Templates are checked at load time, so this does not fail.
 */
gchar *
gateway_route_expand (const GatewayRoute *route, const gchar *device)
{
  return expand_template (route, device, NULL);
}

static gboolean
read_route (
    const Parser *p, const Group *g, GatewayConfig *config, GError **error)
{
  GatewayRoute *r = g_new0 (GatewayRoute, 1);
  guint branch_line = g->line, source_line = g->line, i;
  gchar *bad = NULL, *expanded;
  GstElement *tops[3] = { NULL, NULL, NULL };
  gboolean ok;

  r->name = g_strdup (g->name);
  r->vars = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  r->settings = g_ptr_array_new_with_free_func ((GDestroyNotify) setting_free);
  r->device_idle_timeout_s = DEFAULT_DEVICE_IDLE_TIMEOUT_S;
  g_ptr_array_add (config->routes, r);

  for (i = 0; i < g->entries->len; i++) {
    const Entry *e = g->entries->pdata[i];
    guint64 v;

    if (g_str_equal (e->key, "source")) {
      r->source = g_strdup (e->value);
      source_line = e->line;
    } else if (g_str_equal (e->key, "branch")) {
      r->branch = g_strdup (e->value);
      branch_line = e->line;
    } else if (g_str_equal (e->key, "device-idle-timeout")) {
      if (!parse_uint (p, g, e, 86400, &v, error))
        return FALSE;
      r->device_idle_timeout_s = (guint) v;
    } else if (g_str_has_prefix (e->key, "var.") && e->key[4] != '\0') {
      gchar *name, *value;

      if (g_str_has_suffix (e->key, "-file")) {
        name = g_strndup (e->key + 4, strlen (e->key) - 4 - 5);
        if (!read_var_file (p, g, e, &value, error)) {
          g_free (name);
          return FALSE;
        }
      } else {
        name = g_strdup (e->key + 4);
        value = g_strdup (e->value);
      }
      g_hash_table_replace (r->vars, name, value);
    } else if (!g_str_has_prefix (e->key, "set.")) {
      return unknown_key (p, g, e,
          "source, branch, device-idle-timeout, var.NAME, "
          "var.NAME-file, set.ELEMENT.PROPERTY, set.ELEMENT.PROPERTY-file",
          error);
    }
  }
  if (r->source == NULL || r->branch == NULL) {
    set_error (error, GATEWAY_CONFIG_ERROR_KEY, p, g->line, g,
        r->source == NULL ? "source" : "branch", "missing (required)");
    return FALSE;
  }
  tops[0] =
      check_description (p, g, source_line, "source", r->source, FALSE, error);
  if (tops[0] == NULL)
    return FALSE;
  expanded = expand_template (r, "000000000000", &bad);
  if (expanded == NULL) {
    set_error (error, GATEWAY_CONFIG_ERROR_TEMPLATE, p, branch_line, g,
        "branch", "unknown name {%s} (known: {device} and var.NAME keys)", bad);
    g_free (bad);
    gst_object_unref (tops[0]);
    return FALSE;
  }
  tops[1] =
      check_description (p, g, branch_line, "branch", expanded, TRUE, error);
  g_free (expanded);
  ok = tops[1] != NULL;
  for (i = 0; ok && i < g->entries->len; i++) {
    const Entry *e = g->entries->pdata[i];

    if (g_str_has_prefix (e->key, "set."))
      ok = read_setting (p, g, e, tops, r->settings, error);
  }
  gst_object_unref (tops[0]);
  gst_clear_object (&tops[1]);
  return ok;
}

static gboolean
read_pipeline (
    const Parser *p, const Group *g, GatewayConfig *config, GError **error)
{
  GatewayPipeline *pl = g_new0 (GatewayPipeline, 1);
  guint line = g->line, i;
  GstElement *tops[2] = { NULL, NULL };
  gboolean ok;

  pl->name = g_strdup (g->name);
  pl->restart_delay_s = DEFAULT_RESTART_DELAY_S;
  pl->restart_delay_max_s = DEFAULT_RESTART_DELAY_MAX_S;
  pl->settings = g_ptr_array_new_with_free_func ((GDestroyNotify) setting_free);
  g_ptr_array_add (config->pipelines, pl);
  for (i = 0; i < g->entries->len; i++) {
    const Entry *e = g->entries->pdata[i];

    if (g_str_equal (e->key, "description")) {
      pl->description = g_strdup (e->value);
      line = e->line;
    } else if (g_str_equal (e->key, "restart-delay")) {
      if (!parse_seconds (p, g, e, &pl->restart_delay_s, error))
        return FALSE;
    } else if (g_str_equal (e->key, "restart-delay-max")) {
      if (!parse_seconds (p, g, e, &pl->restart_delay_max_s, error))
        return FALSE;
    } else if (!g_str_has_prefix (e->key, "set.")) {
      return unknown_key (p, g, e,
          "description, restart-delay, restart-delay-max, "
          "set.ELEMENT.PROPERTY, set.ELEMENT.PROPERTY-file",
          error);
    }
  }
  if (pl->description == NULL) {
    set_error (error, GATEWAY_CONFIG_ERROR_KEY, p, g->line, g, "description",
        "missing (required)");
    return FALSE;
  }
  tops[0] = check_description (
      p, g, line, "description", pl->description, FALSE, error);
  ok = tops[0] != NULL;
  for (i = 0; ok && i < g->entries->len; i++) {
    const Entry *e = g->entries->pdata[i];

    if (g_str_has_prefix (e->key, "set."))
      ok = read_setting (p, g, e, tops, pl->settings, error);
  }
  gst_clear_object (&tops[0]);
  return ok;
}

/**
 * gateway_config_load_data:
 * @path: the name used in error messages
 * @data: the file's text
 * @envp: (nullable): the environment for ${VAR}, or NULL for the process's
 * @error: where a #GATEWAY_CONFIG_ERROR naming the file, line and key goes
 *
 * Returns: (transfer full) (nullable): the configuration, or NULL.
 * GStreamer must be initialised: every description is parsed once.
 */
GatewayConfig *
gateway_config_load_data (const gchar *path, const gchar *data,
    const gchar *const *envp, GError **error)
{
  gchar **own_env = envp ? NULL : g_get_environ ();
  Parser p = { path, envp ? envp : (const gchar *const *) own_env,
    g_ptr_array_new_with_free_func ((GDestroyNotify) group_free) };
  GatewayConfig *config = g_new0 (GatewayConfig, 1);
  gboolean ok;
  guint i;

  config->path = g_strdup (path);
  config->metrics_address = g_strdup (DEFAULT_METRICS_ADDRESS);
  config->drain_timeout_s = DEFAULT_DRAIN_TIMEOUT_S;
  config->metrics_port = -1;
  config->routes = g_ptr_array_new_with_free_func ((GDestroyNotify) route_free);
  config->pipelines =
      g_ptr_array_new_with_free_func ((GDestroyNotify) pipeline_free);

  ok = parse_lines (&p, data, error);
  for (i = 0; ok && i < p.groups->len; i++) {
    const Group *g = p.groups->pdata[i];

    if (g_str_equal (g->kind, "gateway"))
      ok = read_gateway (&p, g, config, error);
    else if (g_str_equal (g->kind, "route"))
      ok = read_route (&p, g, config, error);
    else
      ok = read_pipeline (&p, g, config, error);
  }
  if (ok && config->routes->len == 0 && config->pipelines->len == 0) {
    g_set_error (error, GATEWAY_CONFIG_ERROR, GATEWAY_CONFIG_ERROR_KEY,
        "%s: no [route NAME] and no [pipeline NAME]: nothing to run", path);
    ok = FALSE;
  }
  g_ptr_array_unref (p.groups);
  g_strfreev (own_env);
  if (!ok) {
    gateway_config_free (config);
    return NULL;
  }
  return config;
}

/**
 * gateway_config_load:
 * @path: the configuration file
 * @envp: (nullable): the environment for ${VAR}, or NULL for the process's
 * @error: where the error goes
 *
 * Returns: (transfer full) (nullable): the configuration, or NULL.
 */
GatewayConfig *
gateway_config_load (
    const gchar *path, const gchar *const *envp, GError **error)
{
  GError *err = NULL;
  gchar *data = NULL;
  GatewayConfig *config;

  if (!g_file_get_contents (path, &data, NULL, &err)) {
    g_set_error (error, GATEWAY_CONFIG_ERROR, GATEWAY_CONFIG_ERROR_FILE,
        "%s: %s", path, err->message);
    g_error_free (err);
    return NULL;
  }
  config = gateway_config_load_data (path, data, envp, error);
  g_free (data);
  return config;
}

void
gateway_config_free (GatewayConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->path);
  g_free (config->metrics_address);
  g_free (config->log_file);
  g_ptr_array_unref (config->routes);
  g_ptr_array_unref (config->pipelines);
  g_free (config);
}
