/* ob-template.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ob-template.h"

struct _ObTemplate
{
  GObject parent_instance;

  char *id;
  char *name;
  char *description;
  ObBalloonState ballooning;
  char *cluster_id;
  char *cluster_name;
};

G_DEFINE_FINAL_TYPE (ObTemplate, ob_template, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_DESCRIPTION,
  PROP_BALLOONING,
  PROP_CLUSTER_ID,
  PROP_CLUSTER_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ob_template_finalize (GObject *object)
{
  ObTemplate *self = OB_TEMPLATE (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->description);
  g_free (self->cluster_id);
  g_free (self->cluster_name);

  G_OBJECT_CLASS (ob_template_parent_class)->finalize (object);
}

static void
ob_template_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  ObTemplate *self = OB_TEMPLATE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    case PROP_BALLOONING:
      g_value_set_enum (value, self->ballooning);
      break;
    case PROP_CLUSTER_ID:
      g_value_set_string (value, self->cluster_id);
      break;
    case PROP_CLUSTER_NAME:
      g_value_set_string (value, self->cluster_name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ob_template_class_init (ObTemplateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = ob_template_finalize;
  object_class->get_property = ob_template_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, flags);
  properties[PROP_BALLOONING] =
    g_param_spec_enum ("ballooning", NULL, NULL,
                       OB_TYPE_BALLOON_STATE, OB_BALLOON_STATE_UNKNOWN, flags);
  properties[PROP_CLUSTER_ID] = g_param_spec_string ("cluster-id", NULL, NULL, NULL, flags);
  properties[PROP_CLUSTER_NAME] = g_param_spec_string ("cluster-name", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ob_template_init (ObTemplate *self)
{
  self->ballooning = OB_BALLOON_STATE_UNKNOWN;
}

ObTemplate *
ob_template_new (const char *id,
                 const char *name)
{
  ObTemplate *self;

  g_return_val_if_fail (id != NULL, NULL);

  self = g_object_new (OB_TYPE_TEMPLATE, NULL);
  self->id = g_strdup (id);
  self->name = g_strdup (name);
  return self;
}

const char *
ob_template_get_id (ObTemplate *self)
{
  g_return_val_if_fail (OB_IS_TEMPLATE (self), NULL);
  return self->id;
}

const char *
ob_template_get_name (ObTemplate *self)
{
  g_return_val_if_fail (OB_IS_TEMPLATE (self), NULL);
  return self->name;
}

const char *
ob_template_get_description (ObTemplate *self)
{
  g_return_val_if_fail (OB_IS_TEMPLATE (self), NULL);
  return self->description;
}

ObBalloonState
ob_template_get_ballooning (ObTemplate *self)
{
  g_return_val_if_fail (OB_IS_TEMPLATE (self), OB_BALLOON_STATE_UNKNOWN);
  return self->ballooning;
}

const char *
ob_template_get_cluster_id (ObTemplate *self)
{
  g_return_val_if_fail (OB_IS_TEMPLATE (self), NULL);
  return self->cluster_id;
}

const char *
ob_template_get_cluster_name (ObTemplate *self)
{
  g_return_val_if_fail (OB_IS_TEMPLATE (self), NULL);
  return self->cluster_name;
}

static void
set_string (ObTemplate *self,
            char      **field,
            const char *value,
            guint       prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

void
ob_template_set_description (ObTemplate *self,
                             const char *description)
{
  g_return_if_fail (OB_IS_TEMPLATE (self));
  set_string (self, &self->description, description, PROP_DESCRIPTION);
}

void
ob_template_set_ballooning (ObTemplate     *self,
                            ObBalloonState  state)
{
  g_return_if_fail (OB_IS_TEMPLATE (self));
  if (self->ballooning == state)
    return;
  self->ballooning = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BALLOONING]);
}

void
ob_template_set_cluster_id (ObTemplate *self,
                            const char *cluster_id)
{
  g_return_if_fail (OB_IS_TEMPLATE (self));
  set_string (self, &self->cluster_id, cluster_id, PROP_CLUSTER_ID);
}

void
ob_template_set_cluster_name (ObTemplate *self,
                              const char *cluster_name)
{
  g_return_if_fail (OB_IS_TEMPLATE (self));
  set_string (self, &self->cluster_name, cluster_name, PROP_CLUSTER_NAME);
}
