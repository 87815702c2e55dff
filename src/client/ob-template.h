/* ob-template.h: a template as the REST API shows it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "ob-vm.h"

G_BEGIN_DECLS

#define OB_TYPE_TEMPLATE (ob_template_get_type ())
G_DECLARE_FINAL_TYPE (ObTemplate, ob_template, OB, TEMPLATE, GObject)

/* Read-only properties: "id", "name", "description", "ballooning"
 * (ObBalloonState: UNKNOWN when the engine did not say, as device-era
 * lists do; ob_client_set_template_balloon_async() changes it on flag-era
 * engines), "cluster-id", "cluster-name" (NULL for Blank). */

ObTemplate    *ob_template_new              (const char     *id,
                                             const char     *name);
const char    *ob_template_get_id           (ObTemplate     *self);
const char    *ob_template_get_name         (ObTemplate     *self);
const char    *ob_template_get_description  (ObTemplate     *self);
ObBalloonState ob_template_get_ballooning   (ObTemplate     *self);
const char    *ob_template_get_cluster_id   (ObTemplate     *self);
const char    *ob_template_get_cluster_name (ObTemplate     *self);

void           ob_template_set_description  (ObTemplate     *self,
                                             const char     *description);
void           ob_template_set_ballooning   (ObTemplate     *self,
                                             ObBalloonState  state);
void           ob_template_set_cluster_id   (ObTemplate     *self,
                                             const char     *cluster_id);
void           ob_template_set_cluster_name (ObTemplate     *self,
                                             const char     *cluster_name);

G_END_DECLS
