/* ob-cluster.h: an oVirt cluster as the REST API shows it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "ob-balloon-policy.h"
#include "ob-compat-version.h"

G_BEGIN_DECLS

#define OB_TYPE_CLUSTER (ob_cluster_get_type ())
G_DECLARE_FINAL_TYPE (ObCluster, ob_cluster, OB, CLUSTER, GObject)

/* Read-only properties (all notify when ob_cluster_update_from() changes
 * them): "id", "name", "version" (compatibility level text such as "4.7",
 * or NULL when the engine did not send it), "cpu-arch" ("x86_64", "ppc64",
 * "s390x" or NULL), "balloon-allowed" (boolean: the policy verdict for a
 * VM without a custom level). */

ObCluster  *ob_cluster_new          (const char      *id,
                                     const char      *name);
const char *ob_cluster_get_id       (ObCluster       *self);
const char *ob_cluster_get_name     (ObCluster       *self);
const char *ob_cluster_get_version  (ObCluster       *self);
const char *ob_cluster_get_cpu_arch (ObCluster       *self);
/* The cluster's level; unknown when its version is absent or bad. */
ObLevel     ob_cluster_get_level    (ObCluster       *self);
ObBalloonVerdict ob_cluster_get_balloon_verdict (ObCluster *self);
gboolean    ob_cluster_get_balloon_allowed      (ObCluster *self);

/* Setters for the parser, the sandbox and tests; each notifies only when
 * the value changes. */
void        ob_cluster_set_name     (ObCluster       *self,
                                     const char      *name);
void        ob_cluster_set_version  (ObCluster       *self,
                                     const char      *version);
void        ob_cluster_set_cpu_arch (ObCluster       *self,
                                     const char      *cpu_arch);
void        ob_cluster_update_from  (ObCluster       *self,
                                     ObCluster       *newer);

G_END_DECLS
