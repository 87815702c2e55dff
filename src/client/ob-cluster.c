/* ob-cluster.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ob-cluster.h"

struct _ObCluster
{
  GObject parent_instance;

  char *id;
  char *name;
  char *version;
  char *cpu_arch;
};

G_DEFINE_FINAL_TYPE (ObCluster, ob_cluster, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_VERSION,
  PROP_CPU_ARCH,
  PROP_BALLOON_ALLOWED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ob_cluster_finalize (GObject *object)
{
  ObCluster *self = OB_CLUSTER (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->version);
  g_free (self->cpu_arch);

  G_OBJECT_CLASS (ob_cluster_parent_class)->finalize (object);
}

static void
ob_cluster_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  ObCluster *self = OB_CLUSTER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_VERSION:
      g_value_set_string (value, self->version);
      break;
    case PROP_CPU_ARCH:
      g_value_set_string (value, self->cpu_arch);
      break;
    case PROP_BALLOON_ALLOWED:
      g_value_set_boolean (value, ob_cluster_get_balloon_allowed (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ob_cluster_class_init (ObClusterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ob_cluster_finalize;
  object_class->get_property = ob_cluster_get_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VERSION] =
    g_param_spec_string ("version", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CPU_ARCH] =
    g_param_spec_string ("cpu-arch", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BALLOON_ALLOWED] =
    g_param_spec_boolean ("balloon-allowed", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ob_cluster_init (ObCluster *self)
{
}

ObCluster *
ob_cluster_new (const char *id,
                const char *name)
{
  ObCluster *self;

  g_return_val_if_fail (id != NULL, NULL);

  self = g_object_new (OB_TYPE_CLUSTER, NULL);
  self->id = g_strdup (id);
  self->name = g_strdup (name);
  return self;
}

const char *
ob_cluster_get_id (ObCluster *self)
{
  g_return_val_if_fail (OB_IS_CLUSTER (self), NULL);
  return self->id;
}

const char *
ob_cluster_get_name (ObCluster *self)
{
  g_return_val_if_fail (OB_IS_CLUSTER (self), NULL);
  return self->name;
}

const char *
ob_cluster_get_version (ObCluster *self)
{
  g_return_val_if_fail (OB_IS_CLUSTER (self), NULL);
  return self->version;
}

const char *
ob_cluster_get_cpu_arch (ObCluster *self)
{
  g_return_val_if_fail (OB_IS_CLUSTER (self), NULL);
  return self->cpu_arch;
}

ObLevel
ob_cluster_get_level (ObCluster *self)
{
  g_return_val_if_fail (OB_IS_CLUSTER (self), OB_LEVEL_UNKNOWN);
  return ob_level_parse (self->version);
}

ObBalloonVerdict
ob_cluster_get_balloon_verdict (ObCluster *self)
{
  g_return_val_if_fail (OB_IS_CLUSTER (self), OB_BALLOON_LEVEL_UNKNOWN);
  return ob_balloon_policy_verdict (ob_cluster_get_level (self), self->cpu_arch);
}

gboolean
ob_cluster_get_balloon_allowed (ObCluster *self)
{
  g_return_val_if_fail (OB_IS_CLUSTER (self), TRUE);
  return ob_balloon_policy_allows (ob_cluster_get_balloon_verdict (self));
}

/* Returns TRUE when the stored string changed. */
static gboolean
replace_string (char       **field,
                const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

void
ob_cluster_set_name (ObCluster  *self,
                     const char *name)
{
  g_return_if_fail (OB_IS_CLUSTER (self));
  if (replace_string (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

/* The level and the architecture decide "balloon-allowed": notify it too
 * when a change to either moves it. */
static void
set_policy_input (ObCluster   *self,
                  char       **field,
                  const char  *value,
                  guint        prop_id)
{
  gboolean allowed = ob_cluster_get_balloon_allowed (self);

  if (!replace_string (field, value))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
  if (allowed != ob_cluster_get_balloon_allowed (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BALLOON_ALLOWED]);
}

void
ob_cluster_set_version (ObCluster  *self,
                        const char *version)
{
  g_return_if_fail (OB_IS_CLUSTER (self));
  set_policy_input (self, &self->version, version, PROP_VERSION);
}

void
ob_cluster_set_cpu_arch (ObCluster  *self,
                         const char *cpu_arch)
{
  g_return_if_fail (OB_IS_CLUSTER (self));
  set_policy_input (self, &self->cpu_arch, cpu_arch, PROP_CPU_ARCH);
}

void
ob_cluster_update_from (ObCluster *self,
                        ObCluster *newer)
{
  g_return_if_fail (OB_IS_CLUSTER (self));
  g_return_if_fail (OB_IS_CLUSTER (newer));

  g_object_freeze_notify (G_OBJECT (self));
  ob_cluster_set_name (self, newer->name);
  ob_cluster_set_version (self, newer->version);
  ob_cluster_set_cpu_arch (self, newer->cpu_arch);
  g_object_thaw_notify (G_OBJECT (self));
}
