/* ob-sandbox-router.c: dispatch of /ovirt-engine/api to its resources,
 * the API root, and the list/get shared by clusters and templates.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "ob-product.h"
#include "ob-sandbox.h"
#include "ob-sandbox-graphics.h"
#include "ob-sandbox-mapper.h"
#include "ob-sandbox-resources.h"
#include "ob-sandbox-search.h"

/* GET of a collection (@id NULL, with ?search= and ?max=) or of one
 * entity of a cluster-like resource. */
void
ob_request_get_entities (ObSandboxRequest   *req,
                         const ObEntityKind *kind,
                         const char         *id)
{
  ObReprWriter *w = ob_repr_writer_new (req->format, 8192);
  g_autoptr(GError) error = NULL;
  ObMapperCtx c;
  gboolean ok;

  /* A list carries the balloon without All-Content only in the flag era
   * (BackendTemplatesResource populates it in the device era only for a
   * single entity). */
  ob_mapper_init (&c, w, id != NULL || req->all_content || req->router->flag_era);
  if (id == NULL)
    {
      const char *search = ob_request_query_get (req, "search");
      const char *max_text = ob_request_query_get (req, "max");
      g_autofree char *bad_term = NULL;

      if (max_text != NULL && !g_ascii_string_to_signed (max_text, 10, -1, G_MAXINT32, &c.remaining, NULL))
        {
          g_autofree char *detail = g_strdup_printf (_("Value \"%s\" isn't a valid integer."), max_text);

          ob_mapper_clear (&c);
          ob_repr_writer_free (w);
          ob_request_fault (req, SOUP_STATUS_BAD_REQUEST, OB_REASON_INVALID, detail);
          return;
        }
      if (search != NULL && !ob_search_parse_name (search, &c.name_pattern, &bad_term))
        {
          g_autofree char *why = g_strdup_printf (_("The search term '%s' is not supported."), bad_term);

          ob_mapper_clear (&c);
          ob_repr_writer_free (w);
          ob_request_refuse (req, FALSE, SOUP_STATUS_BAD_REQUEST, "search", kind->type, why);
          return;
        }
      ob_repr_begin_collection (w, kind->plural, kind->singular);
    }
  ok = kind->foreach (req->router->store, id, kind->write_cb, &c, &error);
  if (id == NULL)
    ob_repr_end_collection (w);
  ob_mapper_clear (&c);

  if (!ok)
    {
      ob_repr_writer_free (w);
      if (error != NULL)
        ob_request_internal_error (req, error);
      else
        ob_request_not_found (req);
      return;
    }
  ob_sandbox_respond_writer (req->msg, SOUP_STATUS_OK, w);
}

static void
write_root_links (ObReprWriter *w,
                  GString      *href)
{
  static const char *const collections[] = { "clusters", "templates", "vms", NULL };

  ob_repr_begin_list (w, "link");
  for (guint i = 0; collections[i]; i++)
    {
      g_autofree char *search_rel = g_strconcat (collections[i], "/search", NULL);

      g_string_printf (href, "%s/%s", OB_SANDBOX_API_PREFIX, collections[i]);
      ob_repr_link (w, href->str, collections[i]);
      g_string_printf (href, "%s/%s?search={query}", OB_SANDBOX_API_PREFIX, collections[i]);
      ob_repr_link (w, href->str, search_rel);
    }
  ob_repr_end_list (w);
}

static void
get_root (ObSandboxRequest *req)
{
  ObReprWriter *w = ob_repr_writer_new (req->format, 4096);
  gboolean xml = ob_repr_writer_get_format (w) == OB_REPR_XML;
  g_autofree char *blank_href = g_strdup_printf ("%s/templates/%s", OB_SANDBOX_API_PREFIX,
                                                 OB_SANDBOX_BLANK_TEMPLATE_ID);
  g_autoptr(GString) href = g_string_new (NULL);
  const ObSandboxEngineVersion *v = req->router->engine_version;
  g_autofree char *full_version = ob_sandbox_engine_version_to_string (v);
  gint64 total = ob_sandbox_store_count_vms (req->router->store);

  ob_repr_begin (w, "api", NULL, NULL);
  /* The engine's XML puts the links first, its JSON last. */
  if (xml)
    write_root_links (w, href);

  ob_repr_begin (w, "product_info", NULL, NULL);
  ob_repr_string (w, "instance_id", req->router->instance_id);
  ob_repr_string (w, "name", OB_SANDBOX_PRODUCT_NAME);
  ob_repr_string (w, "vendor", OB_SANDBOX_VENDOR);
  /* The engine version it plays (--engine-version): clients tell the
   * balloon's era from it. */
  ob_repr_begin (w, "version", NULL, NULL);
  ob_repr_int (w, "build", v->build);
  ob_repr_string (w, "full_version", full_version);
  ob_repr_int (w, "major", v->major);
  ob_repr_int (w, "minor", v->minor);
  ob_repr_int (w, "revision", 0);
  ob_repr_end (w);
  ob_repr_end (w);

  ob_repr_begin (w, "special_objects", NULL, NULL);
  ob_repr_ref (w, "blank_template", blank_href, OB_SANDBOX_BLANK_TEMPLATE_ID);
  ob_repr_end (w);

  ob_repr_begin (w, "summary", NULL, NULL);
  ob_repr_begin (w, "vms", NULL, NULL);
  ob_repr_int (w, "total", total);
  ob_repr_end (w);
  ob_repr_end (w);
  ob_repr_date (w, "time", g_get_real_time () / 1000);

  if (!xml)
    write_root_links (w, href);
  ob_repr_end (w);
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                OB_ENGINE_CAPABILITIES_HEADER,
                                OB_ENGINE_CAP_RUN_ONCE_BALLOON_OVERRIDE ","
                                OB_ENGINE_CAP_HOST_PAYLOAD);
  ob_sandbox_respond_writer (req->msg, SOUP_STATUS_OK, w);
}

static gboolean
template_graphics_cb (const ObSandboxTemplateRow *t,
                      gpointer                    user_data)
{
  *(char **) user_data = g_strdup (t->graphics);
  return FALSE;
}

/* A template's console, as the VM's: what VMs made from it get. */
static void
respond_template_consoles (ObSandboxRequest *req,
                           const char       *id,
                           const char       *console)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *graphics = NULL;

  if (!ob_sandbox_store_foreach_template (req->router->store, id, template_graphics_cb, &graphics, &error))
    {
      if (error != NULL)
        ob_request_internal_error (req, error);
      else
        ob_request_not_found (req);
      return;
    }
  ob_graphics_respond_consoles (req, "template", id, graphics, NULL, console);
}

static void
route_entity (ObSandboxRequest   *req,
              char              **seg,
              guint               n,
              const ObEntityKind *kind)
{
  if (n == 1 && ob_request_is_get (req))
    ob_request_get_entities (req, kind, NULL);
  else if (n == 2 && ob_request_is_get (req))
    ob_request_get_entities (req, kind, seg[1]);
  else if (n == 2 && g_str_equal (req->method, "PUT") && kind->put != NULL)
    kind->put (req, seg[1]);
  else if ((n == 3 || n == 4) && ob_request_is_get (req) && kind == &ob_templates_kind &&
           g_str_equal (seg[2], "graphicsconsoles"))
    respond_template_consoles (req, seg[1], n == 4 ? seg[3] : NULL);
  else if (n == 3 && ob_request_is_get (req) && kind == &ob_clusters_kind &&
           g_str_equal (seg[2], "cpuprofiles"))
    {
      g_autofree char *found = kind->find (req->router->store, seg[1], NULL);

      if (found != NULL)
        ob_cpu_profiles_respond (req, found, NULL);
      else
        ob_request_not_found (req);
    }
  else if (n == 3 && ob_request_is_get (req) && g_strv_contains (kind->links, seg[2]))
    {
      g_autofree char *found = kind->find (req->router->store, seg[1], NULL);

      if (found != NULL)
        ob_request_empty_subcollection (req, seg[2]);
      else
        ob_request_not_found (req);
    }
  else if (n <= 2)
    ob_request_method_not_allowed (req, n == 2 && kind->put != NULL ? "GET, PUT" : "GET");
  else
    ob_request_not_found (req);
}

void
ob_sandbox_router_handle_api (ObSandboxRouter   *router,
                              SoupServerMessage *msg,
                              const char        *subpath)
{
  ObSandboxRequest req;
  g_auto(GStrv) seg = NULL;
  guint n = 0;

  ob_request_init (&req, router, msg);
  seg = ob_request_split_path (subpath, &n);
  ob_request_take_matrix_params (&req, seg, n);

  if (n == 0)
    {
      if (ob_request_is_get (&req))
        get_root (&req);
      else
        ob_request_method_not_allowed (&req, "GET");
    }
  else if (g_str_equal (seg[0], "vms"))
    ob_vms_route (&req, seg, n);
  else if (g_str_equal (seg[0], "clusters"))
    route_entity (&req, seg, n, &ob_clusters_kind);
  else if (g_str_equal (seg[0], "templates"))
    route_entity (&req, seg, n, &ob_templates_kind);
  else if (g_str_equal (seg[0], "cpuprofiles") && n <= 2 && ob_request_is_get (&req))
    ob_cpu_profiles_respond (&req, NULL, n == 2 ? seg[1] : NULL);
  else if (g_str_equal (seg[0], "icons") && n == 2 && ob_request_is_get (&req))
    ob_icons_respond (&req, seg[1]);
  else
    ob_request_not_found (&req);

  ob_request_clear (&req);
}
