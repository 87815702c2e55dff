/* ob-sandbox-clusters.c: the /clusters resource (list, get; read-only).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ob-sandbox-mapper.h"
#include "ob-sandbox-resources.h"

const ObEntityKind ob_clusters_kind = {
  .plural = "clusters",
  .singular = "cluster",
  .type = "Cluster",
  .foreach = (ObForeachFunc) ob_sandbox_store_foreach_cluster,
  .write_cb = ob_mapper_write_cluster_cb,
  .links = ob_mapper_cluster_links,
  .find = ob_sandbox_store_find_cluster,
  .put = NULL,
};
