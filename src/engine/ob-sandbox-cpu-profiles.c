/* ob-sandbox-cpu-profiles.c: /cpuprofiles and /clusters/{id}/cpuprofiles.
 * Every cluster has the one CPU profile an engine creates with it,
 * "Default", which its VMs and templates reference as cpu_profile.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ob-sandbox-resources.h"
#include "ob-sandbox-seed.h"

typedef struct
{
  ObReprWriter *w;
  const char   *only_cluster;  /* NULL = every cluster */
  const char   *only_profile;  /* NULL = every profile */
  guint         written;
} ProfileCtx;

static gboolean
write_profile_cb (const ObSandboxClusterRow *cl,
                  gpointer                   user_data)
{
  ProfileCtx *c = user_data;
  g_autofree char *id = ob_sandbox_seed_make_id ("cpu_profile", cl->id);
  g_autofree char *href = NULL;
  g_autofree char *cluster_href = NULL;

  if ((c->only_cluster != NULL && g_strcmp0 (cl->id, c->only_cluster) != 0) ||
      (c->only_profile != NULL && g_strcmp0 (id, c->only_profile) != 0))
    return TRUE;
  href = g_strdup_printf ("%s/cpuprofiles/%s", OB_SANDBOX_API_PREFIX, id);
  cluster_href = g_strdup_printf ("%s/clusters/%s", OB_SANDBOX_API_PREFIX, cl->id);
  ob_repr_begin (c->w, "cpu_profile", href, id);
  ob_repr_string (c->w, "name", "Default");
  ob_repr_ref (c->w, "cluster", cluster_href, cl->id);
  ob_repr_identity (c->w, href, id);
  ob_repr_end (c->w);
  c->written++;
  return TRUE;
}

/* @cluster_id: only that cluster's profile (its cpuprofiles link);
 * @profile_id: one profile, not a collection. */
void
ob_cpu_profiles_respond (ObSandboxRequest *req,
                         const char       *cluster_id,
                         const char       *profile_id)
{
  g_autoptr(GError) error = NULL;
  ProfileCtx c = { ob_repr_writer_new (req->format, 1024), cluster_id, profile_id, 0 };

  if (profile_id == NULL)
    ob_repr_begin_collection (c.w, "cpu_profiles", "cpu_profile");
  if (!ob_sandbox_store_foreach_cluster (req->router->store, NULL, write_profile_cb, &c, &error) ||
      (profile_id != NULL && c.written == 0))
    {
      ob_repr_writer_free (c.w);
      if (error != NULL)
        ob_request_internal_error (req, error);
      else
        ob_request_not_found (req);
      return;
    }
  if (profile_id == NULL)
    ob_repr_end_collection (c.w);
  ob_sandbox_respond_writer (req->msg, SOUP_STATUS_OK, c.w);
}
