/* ob-vm.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ob-vm.h"

struct _ObVm
{
  GObject parent_instance;

  char *id;
  char *name;
  char *description;
  char *status;
  char *cluster_id;
  char *cluster_name;
  char *cluster_version;
  char *cpu_arch;
  guint64 memory;
  ObBalloonState ballooning;
  gboolean next_run_configuration_exists;
  ObBalloonState next_run_ballooning;
  gboolean run_once;
  ObBalloonState run_ballooning;
  char *custom_compatibility_version;
};

G_DEFINE_FINAL_TYPE (ObVm, ob_vm, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_DESCRIPTION,
  PROP_STATUS,
  PROP_CLUSTER_ID,
  PROP_CLUSTER_NAME,
  PROP_CLUSTER_VERSION,
  PROP_CPU_ARCH,
  PROP_MEMORY,
  PROP_BALLOONING,
  PROP_NEXT_RUN_CONFIGURATION_EXISTS,
  PROP_NEXT_RUN_BALLOONING,
  PROP_RUN_ONCE,
  PROP_RUN_BALLOONING,
  PROP_CUSTOM_COMPATIBILITY_VERSION,
  PROP_EFFECTIVE_LEVEL,
  PROP_BALLOON_VERDICT,
  PROP_BALLOON_ALLOWED,
  PROP_BALLOON_REASON,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char *
ob_balloon_state_to_string (ObBalloonState state)
{
  switch (state)
    {
    case OB_BALLOON_STATE_ON:
      return "on";
    case OB_BALLOON_STATE_OFF:
      return "off";
    case OB_BALLOON_STATE_UNKNOWN:
    default:
      return "unknown";
    }
}

static void
ob_vm_finalize (GObject *object)
{
  ObVm *self = OB_VM (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->description);
  g_free (self->status);
  g_free (self->cluster_id);
  g_free (self->cluster_name);
  g_free (self->cluster_version);
  g_free (self->cpu_arch);
  g_free (self->custom_compatibility_version);

  G_OBJECT_CLASS (ob_vm_parent_class)->finalize (object);
}

static void
ob_vm_get_property (GObject    *object,
                    guint       prop_id,
                    GValue     *value,
                    GParamSpec *pspec)
{
  ObVm *self = OB_VM (object);

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
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    case PROP_CLUSTER_ID:
      g_value_set_string (value, self->cluster_id);
      break;
    case PROP_CLUSTER_NAME:
      g_value_set_string (value, self->cluster_name);
      break;
    case PROP_CLUSTER_VERSION:
      g_value_set_string (value, self->cluster_version);
      break;
    case PROP_CPU_ARCH:
      g_value_set_string (value, self->cpu_arch);
      break;
    case PROP_MEMORY:
      g_value_set_uint64 (value, self->memory);
      break;
    case PROP_BALLOONING:
      g_value_set_enum (value, self->ballooning);
      break;
    case PROP_NEXT_RUN_CONFIGURATION_EXISTS:
      g_value_set_boolean (value, self->next_run_configuration_exists);
      break;
    case PROP_NEXT_RUN_BALLOONING:
      g_value_set_enum (value, self->next_run_ballooning);
      break;
    case PROP_RUN_ONCE:
      g_value_set_boolean (value, self->run_once);
      break;
    case PROP_RUN_BALLOONING:
      g_value_set_enum (value, ob_vm_get_run_ballooning (self));
      break;
    case PROP_CUSTOM_COMPATIBILITY_VERSION:
      g_value_set_string (value, self->custom_compatibility_version);
      break;
    case PROP_EFFECTIVE_LEVEL:
      g_value_take_string (value, ob_level_to_string (ob_vm_get_effective_level (self)));
      break;
    case PROP_BALLOON_VERDICT:
      g_value_set_enum (value, ob_vm_get_balloon_verdict (self));
      break;
    case PROP_BALLOON_ALLOWED:
      g_value_set_boolean (value, ob_vm_get_balloon_allowed (self));
      break;
    case PROP_BALLOON_REASON:
      g_value_take_string (value, ob_vm_dup_balloon_reason (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
string_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL,
                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static void
ob_vm_class_init (ObVmClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ob_vm_finalize;
  object_class->get_property = ob_vm_get_property;

  properties[PROP_ID] = string_property ("id");
  properties[PROP_NAME] = string_property ("name");
  properties[PROP_DESCRIPTION] = string_property ("description");
  properties[PROP_STATUS] = string_property ("status");
  properties[PROP_CLUSTER_ID] = string_property ("cluster-id");
  properties[PROP_CLUSTER_NAME] = string_property ("cluster-name");
  properties[PROP_CLUSTER_VERSION] = string_property ("cluster-version");
  properties[PROP_CPU_ARCH] = string_property ("cpu-arch");
  properties[PROP_MEMORY] =
    g_param_spec_uint64 ("memory", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BALLOONING] =
    g_param_spec_enum ("ballooning", NULL, NULL,
                       OB_TYPE_BALLOON_STATE, OB_BALLOON_STATE_UNKNOWN,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NEXT_RUN_CONFIGURATION_EXISTS] =
    g_param_spec_boolean ("next-run-configuration-exists", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NEXT_RUN_BALLOONING] =
    g_param_spec_enum ("next-run-ballooning", NULL, NULL,
                       OB_TYPE_BALLOON_STATE, OB_BALLOON_STATE_UNKNOWN,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUN_ONCE] =
    g_param_spec_boolean ("run-once", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUN_BALLOONING] =
    g_param_spec_enum ("run-ballooning", NULL, NULL,
                       OB_TYPE_BALLOON_STATE, OB_BALLOON_STATE_UNKNOWN,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CUSTOM_COMPATIBILITY_VERSION] = string_property ("custom-compatibility-version");
  properties[PROP_EFFECTIVE_LEVEL] = string_property ("effective-level");
  properties[PROP_BALLOON_VERDICT] =
    g_param_spec_enum ("balloon-verdict", NULL, NULL,
                       OB_TYPE_BALLOON_VERDICT, OB_BALLOON_LEVEL_UNKNOWN,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BALLOON_ALLOWED] =
    g_param_spec_boolean ("balloon-allowed", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BALLOON_REASON] = string_property ("balloon-reason");

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ob_vm_init (ObVm *self)
{
  self->ballooning = OB_BALLOON_STATE_UNKNOWN;
}

ObVm *
ob_vm_new (const char *id,
           const char *name)
{
  ObVm *self;

  g_return_val_if_fail (id != NULL, NULL);

  self = g_object_new (OB_TYPE_VM, NULL);
  self->id = g_strdup (id);
  self->name = g_strdup (name);
  return self;
}

#define DEFINE_STRING_GETTER(field) \
  const char * \
  ob_vm_get_##field (ObVm *self) \
  { \
    g_return_val_if_fail (OB_IS_VM (self), NULL); \
    return self->field; \
  }

DEFINE_STRING_GETTER (id)
DEFINE_STRING_GETTER (name)
DEFINE_STRING_GETTER (description)
DEFINE_STRING_GETTER (status)
DEFINE_STRING_GETTER (cluster_id)
DEFINE_STRING_GETTER (cluster_name)
DEFINE_STRING_GETTER (cluster_version)
DEFINE_STRING_GETTER (cpu_arch)
DEFINE_STRING_GETTER (custom_compatibility_version)

guint64
ob_vm_get_memory (ObVm *self)
{
  g_return_val_if_fail (OB_IS_VM (self), 0);
  return self->memory;
}

ObBalloonState
ob_vm_get_ballooning (ObVm *self)
{
  g_return_val_if_fail (OB_IS_VM (self), OB_BALLOON_STATE_UNKNOWN);
  return self->ballooning;
}

gboolean
ob_vm_get_next_run_configuration_exists (ObVm *self)
{
  g_return_val_if_fail (OB_IS_VM (self), FALSE);
  return self->next_run_configuration_exists;
}

gboolean
ob_vm_is_down (ObVm *self)
{
  g_return_val_if_fail (OB_IS_VM (self), FALSE);
  return g_strcmp0 (self->status, "down") == 0;
}

ObLevel
ob_vm_get_effective_level (ObVm *self)
{
  g_return_val_if_fail (OB_IS_VM (self), OB_LEVEL_UNKNOWN);

  /* A custom level that does not parse falls back to the cluster's rather
   * than making the level unknown: the engine would do the same. */
  return ob_balloon_policy_effective_level (ob_level_parse (self->custom_compatibility_version),
                                            ob_level_parse (self->cluster_version));
}

ObBalloonVerdict
ob_vm_get_balloon_verdict (ObVm *self)
{
  g_return_val_if_fail (OB_IS_VM (self), OB_BALLOON_LEVEL_UNKNOWN);
  return ob_balloon_policy_verdict (ob_vm_get_effective_level (self), self->cpu_arch);
}

gboolean
ob_vm_get_balloon_allowed (ObVm *self)
{
  g_return_val_if_fail (OB_IS_VM (self), TRUE);
  return ob_balloon_policy_allows (ob_vm_get_balloon_verdict (self));
}

char *
ob_vm_dup_balloon_reason (ObVm *self)
{
  ObBalloonVerdict verdict;

  g_return_val_if_fail (OB_IS_VM (self), NULL);

  verdict = ob_vm_get_balloon_verdict (self);
  if (ob_balloon_policy_allows (verdict))
    return NULL;
  return ob_balloon_policy_describe (verdict, ob_vm_get_effective_level (self), self->cpu_arch);
}

/* The derived properties depend on the level fields; snapshot them before
 * a change and notify those that moved. */
typedef struct
{
  char *effective_level;
  ObBalloonVerdict verdict;
  char *reason;
} Derived;

static void
derived_snapshot (ObVm    *self,
                  Derived *d)
{
  d->effective_level = ob_level_to_string (ob_vm_get_effective_level (self));
  d->verdict = ob_vm_get_balloon_verdict (self);
  d->reason = ob_vm_dup_balloon_reason (self);
}

static void
derived_notify (ObVm    *self,
                Derived *d)
{
  ObBalloonVerdict verdict = ob_vm_get_balloon_verdict (self);
  g_autofree char *reason = ob_vm_dup_balloon_reason (self);
  g_autofree char *effective_level = ob_level_to_string (ob_vm_get_effective_level (self));

  if (g_strcmp0 (d->effective_level, effective_level) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EFFECTIVE_LEVEL]);
  if (verdict != d->verdict)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BALLOON_VERDICT]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BALLOON_ALLOWED]);
    }
  /* The reason text names the level, so it may change with the level
   * alone. */
  if (g_strcmp0 (d->reason, reason) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BALLOON_REASON]);
  g_free (d->effective_level);
  g_free (d->reason);
}

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

static void
set_string (ObVm       *self,
            char      **field,
            const char *value,
            guint       prop_id)
{
  if (replace_string (field, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/* Whether anything could see a notification: a VM a list is being built
 * from has nothing connected, and need not work out its derived values
 * before and after each change. */
static gboolean
has_notify_handlers (ObVm *self)
{
  return g_signal_handler_find (self, G_SIGNAL_MATCH_ID, g_signal_lookup ("notify", G_TYPE_OBJECT),
                                0, NULL, NULL, NULL) != 0;
}

static void
set_level_string (ObVm       *self,
                  char      **field,
                  const char *value,
                  guint       prop_id)
{
  Derived d;

  if (g_strcmp0 (*field, value) == 0)
    return;
  if (!has_notify_handlers (self))
    {
      replace_string (field, value);
      return;
    }
  derived_snapshot (self, &d);
  replace_string (field, value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
  derived_notify (self, &d);
}

void
ob_vm_set_name (ObVm       *self,
                const char *name)
{
  g_return_if_fail (OB_IS_VM (self));
  set_string (self, &self->name, name, PROP_NAME);
}

void
ob_vm_set_description (ObVm       *self,
                       const char *description)
{
  g_return_if_fail (OB_IS_VM (self));
  set_string (self, &self->description, description, PROP_DESCRIPTION);
}

/* A VM that is down has no run: what its last run got is forgotten. */
static void
forget_run (ObVm *self)
{
  ObBalloonState before = ob_vm_get_run_ballooning (self);

  self->run_ballooning = OB_BALLOON_STATE_UNKNOWN;
  if (before != OB_BALLOON_STATE_UNKNOWN)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUN_BALLOONING]);
}

void
ob_vm_set_status (ObVm       *self,
                  const char *status)
{
  g_return_if_fail (OB_IS_VM (self));
  if (g_strcmp0 (status, "down") == 0)
    forget_run (self);
  set_string (self, &self->status, status, PROP_STATUS);
}

void
ob_vm_set_cluster_id (ObVm       *self,
                      const char *cluster_id)
{
  g_return_if_fail (OB_IS_VM (self));
  set_string (self, &self->cluster_id, cluster_id, PROP_CLUSTER_ID);
}

void
ob_vm_set_memory (ObVm    *self,
                  guint64  memory)
{
  g_return_if_fail (OB_IS_VM (self));
  if (self->memory == memory)
    return;
  self->memory = memory;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMORY]);
}

void
ob_vm_set_ballooning (ObVm           *self,
                      ObBalloonState  state)
{
  g_return_if_fail (OB_IS_VM (self));
  if (self->ballooning == state)
    return;
  self->ballooning = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BALLOONING]);
}

void
ob_vm_set_next_run_configuration_exists (ObVm     *self,
                                         gboolean  exists)
{
  g_return_if_fail (OB_IS_VM (self));
  exists = !!exists;
  if (self->next_run_configuration_exists == exists)
    return;
  self->next_run_configuration_exists = exists;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_RUN_CONFIGURATION_EXISTS]);
}

ObBalloonState
ob_vm_get_next_run_ballooning (ObVm *self)
{
  g_return_val_if_fail (OB_IS_VM (self), OB_BALLOON_STATE_UNKNOWN);
  return self->next_run_configuration_exists ? self->next_run_ballooning : OB_BALLOON_STATE_UNKNOWN;
}

void
ob_vm_set_next_run_ballooning (ObVm           *self,
                               ObBalloonState  state)
{
  g_return_if_fail (OB_IS_VM (self));
  if (self->next_run_ballooning == state)
    return;
  self->next_run_ballooning = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_RUN_BALLOONING]);
}

gboolean
ob_vm_get_run_once (ObVm *self)
{
  g_return_val_if_fail (OB_IS_VM (self), FALSE);
  return self->run_once;
}

void
ob_vm_set_run_once (ObVm     *self,
                    gboolean  run_once)
{
  g_return_if_fail (OB_IS_VM (self));
  run_once = !!run_once;
  if (self->run_once == run_once)
    return;
  if (!run_once)
    forget_run (self);
  self->run_once = run_once;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUN_ONCE]);
}

ObBalloonState
ob_vm_get_run_ballooning (ObVm *self)
{
  g_return_val_if_fail (OB_IS_VM (self), OB_BALLOON_STATE_UNKNOWN);
  if (!self->run_once || ob_vm_is_down (self))
    return OB_BALLOON_STATE_UNKNOWN;
  return self->run_ballooning;
}

void
ob_vm_set_run_ballooning (ObVm           *self,
                          ObBalloonState  state)
{
  ObBalloonState before;

  g_return_if_fail (OB_IS_VM (self));
  before = ob_vm_get_run_ballooning (self);
  self->run_ballooning = state;
  if (ob_vm_get_run_ballooning (self) != before)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUN_BALLOONING]);
}

void
ob_vm_set_custom_compatibility_version (ObVm       *self,
                                        const char *version)
{
  g_return_if_fail (OB_IS_VM (self));
  set_level_string (self, &self->custom_compatibility_version, version,
                    PROP_CUSTOM_COMPATIBILITY_VERSION);
}

static void
set_cluster_details (ObVm       *self,
                     const char *name,
                     const char *version,
                     const char *cpu_arch)
{
  set_string (self, &self->cluster_name, name, PROP_CLUSTER_NAME);
  set_level_string (self, &self->cluster_version, version, PROP_CLUSTER_VERSION);
  set_level_string (self, &self->cpu_arch, cpu_arch, PROP_CPU_ARCH);
}

void
ob_vm_set_cluster (ObVm      *self,
                   ObCluster *cluster)
{
  g_return_if_fail (OB_IS_VM (self));
  g_return_if_fail (OB_IS_CLUSTER (cluster));

  g_object_freeze_notify (G_OBJECT (self));
  ob_vm_set_cluster_id (self, ob_cluster_get_id (cluster));
  set_cluster_details (self,
                       ob_cluster_get_name (cluster),
                       ob_cluster_get_version (cluster),
                       ob_cluster_get_cpu_arch (cluster));
  g_object_thaw_notify (G_OBJECT (self));
}

void
ob_vm_update_from (ObVm *self,
                   ObVm *newer)
{
  gboolean same_cluster;

  g_return_if_fail (OB_IS_VM (self));
  g_return_if_fail (OB_IS_VM (newer));

  same_cluster = g_strcmp0 (self->cluster_id, newer->cluster_id) == 0;

  g_object_freeze_notify (G_OBJECT (self));
  ob_vm_set_name (self, newer->name);
  ob_vm_set_description (self, newer->description);
  ob_vm_set_status (self, newer->status);
  ob_vm_set_cluster_id (self, newer->cluster_id);
  if (!same_cluster || newer->cluster_version != NULL || newer->cluster_name != NULL)
    set_cluster_details (self, newer->cluster_name, newer->cluster_version, newer->cpu_arch);
  ob_vm_set_memory (self, newer->memory);
  /* What waits for the next run is known only while nothing changed. */
  if (newer->next_run_ballooning != OB_BALLOON_STATE_UNKNOWN)
    ob_vm_set_next_run_ballooning (self, newer->next_run_ballooning);
  else if (!newer->next_run_configuration_exists ||
           (newer->ballooning != OB_BALLOON_STATE_UNKNOWN && newer->ballooning != self->ballooning) ||
           newer->next_run_configuration_exists != self->next_run_configuration_exists)
    ob_vm_set_next_run_ballooning (self, OB_BALLOON_STATE_UNKNOWN);
  if (newer->ballooning != OB_BALLOON_STATE_UNKNOWN)
    ob_vm_set_ballooning (self, newer->ballooning);
  ob_vm_set_next_run_configuration_exists (self, newer->next_run_configuration_exists);
  /* The run's balloon stays known while the same run goes on. */
  ob_vm_set_run_once (self, newer->run_once);
  if (newer->run_ballooning != OB_BALLOON_STATE_UNKNOWN)
    ob_vm_set_run_ballooning (self, newer->run_ballooning);
  ob_vm_set_custom_compatibility_version (self, newer->custom_compatibility_version);
  g_object_thaw_notify (G_OBJECT (self));
}
