/* test-sandbox-eras.c: the two engine eras of the balloon (device row up
 * to 4.4.5, the VmBase flag from 4.4.6), the upgrade between them, the
 * next-run configuration in its three spellings, and the parts of a VM a
 * console client reads (display, graphics consoles). Every era difference
 * runs on both eras.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "ob-sandbox.h"
#include "ob-sandbox-seed.h"
#include "ob-sandbox-store.h"

#define BASIC_DEMO "Basic YWRtaW5AaW50ZXJuYWw6c2FuZGJveA=="
#define FLAG_ERA   "4.5"
#define DEVICE_ERA "4.4.5"

typedef struct
{
  ObSandbox   *sandbox;
  SoupSession *session;
  gboolean     flag_era;
} Fixture;

typedef struct
{
  guint  status;
  char  *body;
} Response;

static void
response_free (Response *r)
{
  g_free (r->body);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Response, response_free)

static void
start (Fixture    *f,
       const char *version,
       const char *database)
{
  g_autoptr(GError) error = NULL;

  f->flag_era = g_str_equal (version, FLAG_ERA);
  f->sandbox = g_object_new (OB_TYPE_SANDBOX, "seed", "demo", "engine-version", version,
                             "database", database, NULL);
  g_assert_true (ob_sandbox_start (f->sandbox, &error));
  g_assert_no_error (error);
  if (f->session == NULL)
    f->session = soup_session_new ();
}

static void
stop (Fixture *f)
{
  ob_sandbox_stop (f->sandbox);
  g_clear_object (&f->sandbox);
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  memset (f, 0, sizeof *f);
  start (f, data, NULL);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  if (f->sandbox != NULL)
    stop (f);
  g_clear_object (&f->session);
}

/* @path is relative to the API base. */
static Response *
request (Fixture    *f,
         const char *method,
         const char *path,
         gboolean    json,
         const char *body)
{
  g_autofree char *url = g_strconcat (ob_sandbox_get_base_url (f->sandbox), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *h = soup_message_get_request_headers (msg);
  Response *r = g_new0 (Response, 1);
  const char *type = json ? "application/json" : "application/xml";

  g_assert_nonnull (msg);
  soup_message_headers_replace (h, "Accept", type);
  soup_message_headers_replace (h, "Authorization", BASIC_DEMO);
  if (body != NULL)
    {
      g_autoptr(GBytes) b = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, type, b);
    }
  bytes = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  r->status = soup_message_get_status (msg);
  r->body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return r;
}

static JsonNode *
parse (const Response *r)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, r->body, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static JsonNode *
get_json (Fixture    *f,
          const char *path)
{
  g_autoptr(Response) r = request (f, "GET", path, TRUE, NULL);

  if (r->status != 200)
    g_error ("GET %s: %u %s", path, r->status, r->body);
  return parse (r);
}

static const char *
str_at (JsonNode   *node,
        const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      JsonObject *o;

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        return NULL;
      o = json_node_get_object (node);
      node = json_object_has_member (o, parts[i]) ? json_object_get_member (o, parts[i]) : NULL;
    }
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  return json_node_get_string (node);
}

static JsonArray *
items (JsonNode   *root,
       const char *key)
{
  JsonObject *o = json_node_get_object (root);

  return json_object_has_member (o, key) ? json_object_get_array_member (o, key) : NULL;
}

static char *
path_of (const char *collection,
         const char *kind,
         const char *name,
         const char *suffix)
{
  g_autofree char *id = ob_sandbox_seed_make_id (kind, name);

  return g_strdup_printf ("/%s/%s%s", collection, id, suffix ? suffix : "");
}

static const char *
vm_balloon (Fixture    *f,
            const char *name,
            const char *suffix,
            JsonNode  **keep)
{
  g_autofree char *path = path_of ("vms", "vm", name, suffix);

  *keep = get_json (f, path);
  return str_at (*keep, "memory_policy/ballooning");
}

/* ---- product_info ---- */

static void
test_product_info (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonNode) root = get_json (f, "");

  g_assert_cmpstr (str_at (root, "product_info/version/major"), ==, "4");
  g_assert_cmpstr (str_at (root, "product_info/version/minor"), ==, f->flag_era ? "5" : "4");
  g_assert_cmpstr (str_at (root, "product_info/version/build"), ==, f->flag_era ? "0" : "5");
  g_assert_cmpstr (str_at (root, "product_info/version/full_version"), ==,
                   f->flag_era ? "4.5.0" : "4.4.5");
}

/* ---- lists carry the flag without All-Content only in the flag era ---- */

static void
test_vm_list (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(JsonNode) plain = get_json (f, "/vms");
  g_autoptr(JsonNode) all = get_json (f, "/vms?all_content=true");
  JsonArray *vms = items (plain, "vm");
  JsonArray *all_vms = items (all, "vm");

  g_assert_cmpuint (json_array_get_length (vms), ==, 30);
  for (guint i = 0; i < json_array_get_length (vms); i++)
    {
      JsonNode *vm = json_array_get_element (vms, i);
      JsonNode *full = json_array_get_element (all_vms, i);

      if (f->flag_era)
        g_assert_nonnull (str_at (vm, "memory_policy/ballooning"));
      else
        g_assert_null (str_at (vm, "memory_policy/ballooning"));
      g_assert_nonnull (str_at (full, "memory_policy/ballooning"));
      /* Memory is there either way. */
      g_assert_nonnull (str_at (vm, "memory_policy/guaranteed"));
    }
}

/* ---- templates ---- */

static void
test_templates (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *blank_path = g_strdup_printf ("/templates/%s", OB_SANDBOX_BLANK_TEMPLATE_ID);
  g_autofree char *rhel_path = path_of ("templates", "template", "rhel8-base", NULL);
  g_autoptr(JsonNode) list = get_json (f, "/templates");
  g_autoptr(JsonNode) blank = get_json (f, blank_path);
  JsonArray *templates = items (list, "template");

  /* Blank has had a balloon device since 2015: on in both eras. */
  g_assert_cmpstr (str_at (blank, "memory_policy/ballooning"), ==, "true");
  for (guint i = 0; i < json_array_get_length (templates); i++)
    {
      JsonNode *t = json_array_get_element (templates, i);

      if (f->flag_era)
        g_assert_nonnull (str_at (t, "memory_policy/ballooning"));
      else
        g_assert_null (str_at (t, "memory_policy/ballooning"));
    }

  {
    g_autoptr(Response) r = request (f, "PUT", rhel_path, TRUE,
                                     "{\"memory_policy\":{\"ballooning\":\"false\"}}");

    if (f->flag_era)
      {
        g_autoptr(JsonNode) t = parse (r);

        g_assert_cmpuint (r->status, ==, 200);
        g_assert_cmpstr (str_at (t, "memory_policy/ballooning"), ==, "false");
      }
    else
      {
        g_assert_cmpuint (r->status, ==, 400);
        g_assert_nonnull (strstr (r->body, "The memory balloon is not supported for templates."));
      }
  }
  {
    g_autoptr(JsonNode) t = get_json (f, rhel_path);

    g_assert_cmpstr (str_at (t, "memory_policy/ballooning"), ==, f->flag_era ? "false" : "true");
  }
  /* XML too, and back on. */
  {
    g_autoptr(Response) r = request (f, "PUT", rhel_path, FALSE,
                                     "<template><memory_policy><ballooning>true</ballooning>"
                                     "</memory_policy></template>");

    g_assert_cmpuint (r->status, ==, f->flag_era ? 200 : 400);
    if (f->flag_era)
      g_assert_nonnull (strstr (r->body, "<ballooning>true</ballooning>"));
  }
}

/* ---- the store: where each era keeps the balloon ---- */

static gint64
count (ObSandboxStore *store,
       const char     *sql)
{
  g_autoptr(GError) error = NULL;
  gint64 n = ob_sandbox_store_query_int (store, sql, &error);

  g_assert_no_error (error);
  return n;
}

static void
test_store_upgrade (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ob-eras-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "sandbox.db", NULL);
  g_autoptr(GError) error = NULL;
  Fixture f = { NULL, };
  gint64 devices_before, on_before;

  /* A device-era database: a balloon is a device row, so some VMs have
   * none. */
  start (&f, DEVICE_ERA, db);
  {
    g_autoptr(JsonNode) keep = NULL;

    g_assert_cmpstr (vm_balloon (&f, "ci-runner-02", NULL, &keep), ==, "false");
  }
  stop (&f);
  {
    g_autoptr(ObSandboxStore) store = ob_sandbox_store_open (db, OB_SANDBOX_STORE_DEVICE_ERA_VERSION, &error);

    g_assert_no_error (error);
    devices_before = count (store, "SELECT count(*) FROM vm_device WHERE type = 'balloon'");
    on_before = devices_before;
    g_assert_cmpint (devices_before, >, 0);
    g_assert_cmpint (devices_before, <, count (store, "SELECT count(*) FROM vm_static"));
  }

  /* The upgrade to 4.5 keeps every VM's state in balloon_enabled and gives
   * every VM and template the device, as the engine's
   * 04_04_1100_add_balloon_to_vm_static.sql does. */
  start (&f, FLAG_ERA, db);
  {
    g_autoptr(JsonNode) keep = NULL;

    g_assert_cmpstr (vm_balloon (&f, "ci-runner-02", NULL, &keep), ==, "false");
  }
  {
    g_autoptr(JsonNode) keep = NULL;

    g_assert_cmpstr (vm_balloon (&f, "ci-runner-01", NULL, &keep), ==, "true");
  }
  /* The seeded next-run configuration survives too. */
  {
    g_autoptr(JsonNode) keep = NULL;

    g_assert_cmpstr (vm_balloon (&f, "web-03", "?next_run=true", &keep), ==, "false");
  }
  stop (&f);
  {
    g_autoptr(ObSandboxStore) store = ob_sandbox_store_open (db, 0, &error);

    g_assert_no_error (error);
    g_assert_cmpint (count (store, "SELECT count(*) FROM vm_static WHERE balloon_enabled"), ==, on_before);
    g_assert_cmpint (count (store, "SELECT count(*) FROM vm_static s WHERE NOT EXISTS"
                                   " (SELECT 1 FROM vm_device d WHERE d.vm_id = s.vm_guid"
                                   " AND d.type = 'balloon')"), ==, 0);
  }

  /* No engine goes back: a 4.5 database refuses a 4.4.5 engine. */
  {
    g_autoptr(ObSandbox) old = g_object_new (OB_TYPE_SANDBOX, "engine-version", DEVICE_ERA,
                                             "database", db, NULL);

    g_assert_false (ob_sandbox_start (old, &error));
    g_assert_nonnull (error);
    g_assert_nonnull (strstr (error->message, "4.4.5"));
    g_clear_error (&error);
  }

  g_clear_object (&f.session);
  g_unlink (db);
  {
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
  }
  g_rmdir (dir);
}

/* Switching a down VM's balloon off, then listing it. */
static void
test_vm_balloon_off (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *path = path_of ("vms", "vm", "ci-runner-01", NULL);
  g_autoptr(Response) r = request (f, "PUT", path, TRUE, "{\"memory_policy\":{\"ballooning\":\"false\"}}");
  g_autoptr(JsonNode) vm = parse (r);

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (str_at (vm, "memory_policy/ballooning"), ==, "false");
  /* Listed without All-Content in the flag era only. */
  {
    g_autoptr(JsonNode) list = get_json (f, "/vms?search=name%3Dci-runner-01");
    JsonNode *first = json_array_get_element (items (list, "vm"), 0);

    if (f->flag_era)
      g_assert_cmpstr (str_at (first, "memory_policy/ballooning"), ==, "false");
    else
      g_assert_null (str_at (first, "memory_policy/ballooning"));
  }
}

/* ---- next run: ?next_run=true, ?next_run, ;next_run ---- */

static void
test_next_run_forms (Fixture       *f,
                     gconstpointer  data)
{
  /* web-03 runs with the balloon on and waits to turn it off. */
  static const struct { const char *suffix; const char *expected; } forms[] = {
    { NULL, "true" },
    { "?next_run=true", "false" },
    { "?next_run", "false" },
    { ";next_run", "false" },
    { ";next_run=true", "false" },
    { "?next_run=false", "true" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      g_autoptr(JsonNode) keep = NULL;
      const char *got = vm_balloon (f, "web-03", forms[i].suffix, &keep);

      if (g_strcmp0 (got, forms[i].expected) != 0)
        g_error ("GET web-03%s: ballooning %s, expected %s", forms[i].suffix ? forms[i].suffix : "",
                 got, forms[i].expected);
    }
  /* The matrix form on something else is still unknown. */
  {
    g_autoptr(Response) r = request (f, "GET", "/vms;next_run/nope", TRUE, NULL);

    g_assert_cmpuint (r->status, ==, 404);
  }
}

static void
test_put_next_run (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = path_of ("vms", "vm", "k8s-node-1", "?next_run=true");
  g_autoptr(Response) r = request (f, "PUT", path, TRUE,
                                   "{\"description\":\"later\",\"memory_policy\":{\"ballooning\":\"false\"}}");
  g_autoptr(JsonNode) answer = parse (r);

  /* The engine re-reads with GetVmNextRunConfiguration: the answer is the
   * configuration that waits. */
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (str_at (answer, "memory_policy/ballooning"), ==, "false");
  g_assert_cmpstr (str_at (answer, "description"), ==, "later");
  g_assert_cmpstr (str_at (answer, "next_run_configuration_exists"), ==, "true");
  {
    g_autoptr(JsonNode) keep = NULL;

    g_assert_cmpstr (vm_balloon (f, "k8s-node-1", NULL, &keep), ==, "true");
    g_assert_null (str_at (keep, "description"));
  }
  /* XML and the bare form. */
  {
    g_autofree char *bare = path_of ("vms", "vm", "k8s-node-2", "?next_run");
    g_autoptr(Response) x = request (f, "PUT", bare, FALSE,
                                     "<vm><memory_policy><ballooning>false</ballooning></memory_policy></vm>");

    g_assert_cmpuint (x->status, ==, 200);
    g_assert_nonnull (strstr (x->body, "<ballooning>false</ballooning>"));
    g_assert_nonnull (strstr (x->body, "<next_run_configuration_exists>true</next_run_configuration_exists>"));
  }
}

/* ---- what console clients read ---- */

static void
test_display (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(JsonNode) list = get_json (f, "/vms");
  JsonArray *vms = items (list, "vm");
  guint spice = 0, vnc = 0, headless = 0;

  for (guint i = 0; i < json_array_get_length (vms); i++)
    {
      JsonNode *vm = json_array_get_element (vms, i);
      const char *type = str_at (vm, "display/type");
      const char *id = str_at (vm, "id");
      g_autofree char *consoles_path = g_strdup_printf ("/vms/%s/graphicsconsoles", id);
      g_autoptr(JsonNode) consoles = get_json (f, consoles_path);
      JsonArray *gc = items (consoles, "graphics_console");

      /* Every VM has a display (monitors, ...); its type says which
       * console it has, and a headless VM has none. */
      g_assert_nonnull (str_at (vm, "display/monitors"));
      g_assert_true (str_at (vm, "description") == NULL || *str_at (vm, "description") != '\0');
      if (type == NULL)
        {
          headless++;
          g_assert_null (gc);
          continue;
        }
      g_assert_nonnull (gc);
      g_assert_cmpuint (json_array_get_length (gc), ==, 1);
      g_assert_cmpstr (str_at (json_array_get_element (gc, 0), "protocol"), ==, type);
      if (g_str_equal (type, "spice"))
        spice++;
      else if (g_str_equal (type, "vnc"))
        vnc++;
      else
        g_error ("unexpected display type %s", type);

      /* A running VM shows where its console listens. */
      if (g_str_equal (str_at (vm, "status"), "up"))
        {
          g_assert_nonnull (str_at (vm, "display/address"));
          g_assert_nonnull (str_at (vm, g_str_equal (type, "spice") ? "display/secure_port"
                                                                     : "display/port"));
        }
      else if (g_str_equal (str_at (vm, "status"), "down"))
        g_assert_null (str_at (vm, "display/address"));
    }
  g_assert_cmpuint (spice, >, 0);
  g_assert_cmpuint (vnc, >, 0);
  g_assert_cmpuint (headless, >, 0);

  /* A template's console too. */
  {
    g_autofree char *path = path_of ("templates", "template", "rhel8-base", "/graphicsconsoles");
    g_autoptr(JsonNode) consoles = get_json (f, path);
    JsonArray *gc = items (consoles, "graphics_console");
    g_autofree char *one = NULL;

    g_assert_nonnull (gc);
    g_assert_cmpuint (json_array_get_length (gc), ==, 1);
    g_assert_cmpstr (str_at (json_array_get_element (gc, 0), "protocol"), ==, "spice");
    g_assert_nonnull (str_at (json_array_get_element (gc, 0), "template/id"));
    one = path_of ("templates", "template", "rhel8-base", "/graphicsconsoles/7370696365");
    json_node_unref (get_json (f, one));
  }

  /* No empty elements in XML either. */
  {
    g_autofree char *path = path_of ("vms", "vm", "k8s-node-1", NULL);
    g_autoptr(Response) r = request (f, "GET", path, FALSE, NULL);

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_null (strstr (r->body, "<description></description>"));
    g_assert_null (strstr (r->body, "<description/>"));
    g_assert_nonnull (strstr (r->body, "rel=\"graphicsconsoles\""));
  }
}

/* The VM's cpu_profile reference leads somewhere: /cpuprofiles/{id} and
 * the cluster's cpuprofiles link; so do its icons. */
static void
test_cpu_profile (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = path_of ("vms", "vm", "k8s-node-1", NULL);
  g_autoptr(JsonNode) vm = get_json (f, path);
  const char *href = str_at (vm, "cpu_profile/href");
  const char *base = "/ovirt-engine/api";
  g_autofree char *cluster_path = g_strdup_printf ("/clusters/%s/cpuprofiles", str_at (vm, "cluster/id"));
  g_autoptr(JsonNode) profile = NULL;
  g_autoptr(JsonNode) list = NULL;
  JsonArray *profiles;

  g_assert_nonnull (href);
  g_assert_true (g_str_has_prefix (href, base));
  profile = get_json (f, href + strlen (base));
  g_assert_cmpstr (str_at (profile, "id"), ==, str_at (vm, "cpu_profile/id"));
  g_assert_cmpstr (str_at (profile, "cluster/id"), ==, str_at (vm, "cluster/id"));
  list = get_json (f, cluster_path);
  profiles = items (list, "cpu_profile");
  g_assert_nonnull (profiles);
  g_assert_cmpuint (json_array_get_length (profiles), ==, 1);
  g_assert_cmpstr (str_at (json_array_get_element (profiles, 0), "id"), ==, str_at (vm, "cpu_profile/id"));
  {
    g_autoptr(Response) r = request (f, "GET", "/cpuprofiles/nope", TRUE, NULL);

    g_assert_cmpuint (r->status, ==, 404);
  }
  /* And the icons. */
  for (guint i = 0; i < 2; i++)
    {
      const char *icon = str_at (vm, i == 0 ? "large_icon/href" : "small_icon/href");
      g_autoptr(JsonNode) got = NULL;
      g_autofree guchar *png = NULL;
      gsize length = 0;

      g_assert_nonnull (icon);
      got = get_json (f, icon + strlen (base));
      g_assert_cmpstr (str_at (got, "media_type"), ==, "image/png");
      png = g_base64_decode (str_at (got, "data"), &length);
      g_assert_cmpuint (length, >, 8);
      g_assert_cmpmem (png, 8, "\x89PNG\r\n\x1a\n", 8);
    }
  {
    g_autoptr(Response) r = request (f, "GET", "/icons/nope", TRUE, NULL);

    g_assert_cmpuint (r->status, ==, 404);
  }
}

/* What a start sends to the host with the balloon off: up to 4.4.5 no
 * device (model none); from 4.4.6 the device, and the flag in the domain
 * metadata. */
static void
test_host_payload (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *start = path_of ("vms", "vm", "ci-runner-02", "/start");
  g_autofree char *id = ob_sandbox_seed_make_id ("vm", "ci-runner-02");
  g_autofree char *payload_url = g_strdup_printf ("%s/ovirt-engine/sandbox/vms/%s/host-payload",
                                                  ob_sandbox_get_root_url (f->sandbox), id);
  g_autoptr(JsonNode) p = NULL;
  const char *device, *libvirt;

  {
    g_autoptr(Response) r = request (f, "POST", start, TRUE, "{}");

    g_assert_cmpuint (r->status, ==, 200);
  }
  {
    /* An absolute URL: the sandbox-only endpoint is outside the API. */
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", payload_url);
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonParser) parser = json_parser_new ();

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", BASIC_DEMO);
    bytes = soup_session_send_and_read (f->session, msg, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
    json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes), &error);
    g_assert_no_error (error);
    p = json_node_copy (json_parser_get_root (parser));
  }
  g_assert_cmpstr (str_at (p, "ballooning"), ==, "false");
  device = json_array_get_string_element (items (p, "vdsm_devices"), 0);
  libvirt = str_at (p, "libvirt_memballoon");
  if (f->flag_era)
    {
      g_assert_nonnull (strstr (device, "'model': 'virtio'"));
      g_assert_true (g_str_has_prefix (libvirt, "<memballoon model='virtio'>"));
      g_assert_cmpstr (str_at (p, "libvirt_metadata"), ==,
                       "<ovirt-vm:ballooningEnabled>false</ovirt-vm:ballooningEnabled>");
    }
  else
    {
      g_assert_nonnull (strstr (device, "'model': 'none'"));
      g_assert_cmpstr (libvirt, ==, "<memballoon model='none'/>");
      g_assert_null (str_at (p, "libvirt_metadata"));
    }
}

int
main (int    argc,
      char **argv)
{
  static const char *const eras[] = { FLAG_ERA, DEVICE_ERA };

  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (eras); i++)
    {
#define ADD(name, func) \
      G_STMT_START { \
        g_autofree char *p = g_strdup_printf ("/sandbox/eras/%s/" name, eras[i]); \
        g_test_add (p, Fixture, eras[i], setup, func, teardown); \
      } G_STMT_END
      ADD ("product-info", test_product_info);
      ADD ("vm-list", test_vm_list);
      ADD ("templates", test_templates);
      ADD ("vm-balloon-off", test_vm_balloon_off);
      ADD ("next-run-forms", test_next_run_forms);
      ADD ("put-next-run", test_put_next_run);
      ADD ("display", test_display);
      ADD ("references", test_cpu_profile);
      ADD ("host-payload", test_host_payload);
#undef ADD
    }
  g_test_add_func ("/sandbox/eras/upgrade", test_store_upgrade);
  return g_test_run ();
}
