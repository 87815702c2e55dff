/* ob-client-private.h: what the ob-client-*.c files share: the instance
 * struct and the helpers more than one operation uses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ob-client.h"

G_BEGIN_DECLS

struct _ObClient
{
  GObject parent_instance;

  ObConnection *connection;
  guint page_size;
  /* id -> ObCluster, refreshed by every cluster listing: VMs only carry
   * their cluster's id. */
  GHashTable *clusters;
};

/* Cluster cache: @clusters refresh it; a VM gets its cluster from it. */
void        ob_client_remember_clusters (ObClient  *self,
                                         GPtrArray *clusters);
void        ob_client_attach_cluster    (ObClient  *self,
                                         ObVm      *vm);

char       *ob_client_escape_segment    (const char *text);
/* A write whose fate is unknown (connection lost, timeout after sending). */
gboolean    ob_client_outcome_unknown   (const GError *error);
/* "on" / "off", translated. */
const char *ob_client_on_off            (gboolean    enable);
/* OB_ERROR_REFUSED when @vm's cluster level forbids enabling. */
gboolean    ob_client_check_policy      (ObVm       *vm,
                                         GError    **error);

/* One VM by id, read individually, with its cluster. */
void        ob_client_fetch_vm_async    (ObClient            *self,
                                         const char          *id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
ObVm       *ob_client_fetch_vm_finish   (ObClient            *self,
                                         GAsyncResult        *result,
                                         GError             **error);

G_END_DECLS
