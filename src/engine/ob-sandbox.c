/* ob-sandbox.c: the engine object: properties, the thread it serves from,
 * start and stop, and the test hooks. The server itself is in
 * ob-sandbox-server.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <libxml/parser.h>
#include <string.h>
#include <sys/socket.h>

#include "ob-error.h"
#include "ob-product.h"
#include "ob-sandbox-era.h"
#include "ob-sandbox-impl.h"
#include "ob-sandbox-private.h"




G_DEFINE_FINAL_TYPE (ObSandbox, ob_sandbox, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_LISTEN_ADDRESS,
  PROP_PORT,
  PROP_DATABASE,
  PROP_SEED,
  PROP_USERS_FILE,
  PROP_TLS_CERTIFICATE,
  PROP_TLS_KEY,
  PROP_TLS_CA,
  PROP_TOKEN_LIFETIME,
  PROP_IDLE_TIMEOUT,
  PROP_MAX_CONNECTIONS,
  PROP_ENGINE_VERSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
fault_free (Fault *f)
{
  g_free (f->method);
  g_free (f->path_prefix);
  g_free (f);
}

/* ---- fault injection ---- */

/* Takes one matching fault, if any; returns TRUE and fills @out. */
gboolean
ob_sandbox_take_fault (ObSandbox  *self,
                       const char *method,
                       const char *path,
                       Fault      *out)
{
  gboolean found = FALSE;

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->faults->len; i++)
    {
      Fault *f = g_ptr_array_index (self->faults, i);

      if ((f->method != NULL && g_ascii_strcasecmp (f->method, method) != 0) ||
          (f->path_prefix != NULL && !g_str_has_prefix (path, f->path_prefix)))
        continue;
      out->status = f->status;
      out->delay_ms = f->delay_ms;
      found = TRUE;
      if (--f->remaining == 0)
        g_ptr_array_remove_index (self->faults, i);
      break;
    }
  g_mutex_unlock (&self->lock);
  return found;
}

void
ob_sandbox_inject_fault (ObSandbox  *self,
                         const char *method,
                         const char *path_prefix,
                         guint       status,
                         guint       delay_ms,
                         guint       count)
{
  Fault *f;

  g_return_if_fail (OB_IS_SANDBOX (self));
  if (count == 0)
    return;
  f = g_new0 (Fault, 1);
  f->method = g_strdup (method);
  f->path_prefix = g_strdup (path_prefix);
  f->status = status;
  f->delay_ms = delay_ms;
  f->remaining = count;
  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->faults, f);
  g_mutex_unlock (&self->lock);
}

void
ob_sandbox_clear_faults (ObSandbox *self)
{
  g_return_if_fail (OB_IS_SANDBOX (self));
  g_mutex_lock (&self->lock);
  g_ptr_array_set_size (self->faults, 0);
  g_mutex_unlock (&self->lock);
}

guint64
ob_sandbox_get_request_count (ObSandbox *self)
{
  g_return_val_if_fail (OB_IS_SANDBOX (self), 0);
  return (guint64) (guint) g_atomic_int_get (&self->request_count);
}

/* ---- the server thread ---- */

static gpointer
server_thread (gpointer data)
{
  ObSandbox *self = data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_main_context_push_thread_default (self->context);
  ok = ob_sandbox_setup_in_thread (self, &error);

  g_mutex_lock (&self->lock);
  self->start_done = TRUE;
  self->started = ok;
  if (!ok)
    self->start_error = g_steal_pointer (&error);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);

  if (ok)
    g_main_loop_run (self->loop);

  ob_sandbox_teardown_in_thread (self);
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

gboolean
ob_sandbox_start (ObSandbox  *self,
                  GError    **error)
{
  g_return_val_if_fail (OB_IS_SANDBOX (self), FALSE);
  g_return_val_if_fail (self->thread == NULL, FALSE);

  /* libxml2 wants its one-time setup on one thread before others parse. */
  xmlInitParser ();

  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->start_done = FALSE;
  self->thread = g_thread_new ("ob-sandbox", server_thread, self);

  g_mutex_lock (&self->lock);
  while (!self->start_done)
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);

  if (!self->started)
    {
      g_thread_join (g_steal_pointer (&self->thread));
      g_clear_pointer (&self->loop, g_main_loop_unref);
      g_clear_pointer (&self->context, g_main_context_unref);
      g_propagate_error (error, g_steal_pointer (&self->start_error));
      return FALSE;
    }
  return TRUE;
}

static void
start_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GError *error = NULL;

  if (ob_sandbox_start (source_object, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
ob_sandbox_start_async (ObSandbox           *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OB_IS_SANDBOX (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ob_sandbox_start_async);
  /* Opening and seeding a large database takes a while; keep the
   * caller's main loop free. */
  g_task_run_in_thread (task, start_in_thread);
}

gboolean
ob_sandbox_start_finish (ObSandbox     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
ob_sandbox_stop (ObSandbox *self)
{
  g_return_if_fail (OB_IS_SANDBOX (self));

  if (self->thread == NULL)
    return;

  {
    GSource *source = g_idle_source_new ();

    g_source_set_callback (source, quit_loop, g_main_loop_ref (self->loop),
                           (GDestroyNotify) g_main_loop_unref);
    g_source_attach (source, self->context);
    g_source_unref (source);
  }
  g_thread_join (g_steal_pointer (&self->thread));

  g_mutex_lock (&self->lock);
  self->started = FALSE;
  g_mutex_unlock (&self->lock);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->root_url, g_free);
  self->bound_port = 0;
}

gboolean
ob_sandbox_is_running (ObSandbox *self)
{
  gboolean running;

  g_return_val_if_fail (OB_IS_SANDBOX (self), FALSE);
  g_mutex_lock (&self->lock);
  running = self->started;
  g_mutex_unlock (&self->lock);
  return running;
}

const char *
ob_sandbox_get_base_url (ObSandbox *self)
{
  g_return_val_if_fail (OB_IS_SANDBOX (self), NULL);
  return self->base_url;
}

const char *
ob_sandbox_get_root_url (ObSandbox *self)
{
  g_return_val_if_fail (OB_IS_SANDBOX (self), NULL);
  return self->root_url;
}

guint
ob_sandbox_get_port (ObSandbox *self)
{
  g_return_val_if_fail (OB_IS_SANDBOX (self), 0);
  return self->bound_port ? self->bound_port : self->port;
}

/* ---- GObject ---- */

static void
replace_str (char       **slot,
             const char  *value)
{
  char *copy = g_strdup (value);

  g_free (*slot);
  *slot = copy;
}

ObSandbox *
ob_sandbox_new (void)
{
  return g_object_new (OB_TYPE_SANDBOX, NULL);
}

static void
ob_sandbox_dispose (GObject *object)
{
  ob_sandbox_stop (OB_SANDBOX (object));
  G_OBJECT_CLASS (ob_sandbox_parent_class)->dispose (object);
}

static void
ob_sandbox_finalize (GObject *object)
{
  ObSandbox *self = OB_SANDBOX (object);

  g_free (self->listen_address);
  g_free (self->database);
  g_free (self->seed);
  g_free (self->engine_version_text);
  g_free (self->users_file);
  g_free (self->tls_certificate);
  g_free (self->tls_key);
  g_free (self->tls_ca);
  g_clear_error (&self->start_error);
  g_ptr_array_unref (self->faults);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (ob_sandbox_parent_class)->finalize (object);
}

static void
ob_sandbox_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  ObSandbox *self = OB_SANDBOX (object);

  switch (prop_id)
    {
    case PROP_LISTEN_ADDRESS: g_value_set_string (value, self->listen_address); break;
    case PROP_PORT: g_value_set_uint (value, ob_sandbox_get_port (self)); break;
    case PROP_DATABASE: g_value_set_string (value, self->database); break;
    case PROP_SEED: g_value_set_string (value, self->seed); break;
    case PROP_USERS_FILE: g_value_set_string (value, self->users_file); break;
    case PROP_TLS_CERTIFICATE: g_value_set_string (value, self->tls_certificate); break;
    case PROP_TLS_KEY: g_value_set_string (value, self->tls_key); break;
    case PROP_TLS_CA: g_value_set_string (value, self->tls_ca); break;
    case PROP_TOKEN_LIFETIME: g_value_set_uint (value, self->token_lifetime); break;
    case PROP_IDLE_TIMEOUT: g_value_set_uint (value, self->idle_timeout); break;
    case PROP_MAX_CONNECTIONS: g_value_set_uint (value, self->max_connections); break;
    case PROP_ENGINE_VERSION: g_value_set_string (value, self->engine_version_text); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ob_sandbox_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  ObSandbox *self = OB_SANDBOX (object);

  switch (prop_id)
    {
    case PROP_LISTEN_ADDRESS: replace_str (&self->listen_address, g_value_get_string (value)); break;
    case PROP_PORT: self->port = g_value_get_uint (value); break;
    case PROP_DATABASE: replace_str (&self->database, g_value_get_string (value)); break;
    case PROP_SEED: replace_str (&self->seed, g_value_get_string (value)); break;
    case PROP_USERS_FILE: replace_str (&self->users_file, g_value_get_string (value)); break;
    case PROP_TLS_CERTIFICATE: replace_str (&self->tls_certificate, g_value_get_string (value)); break;
    case PROP_TLS_KEY: replace_str (&self->tls_key, g_value_get_string (value)); break;
    case PROP_TLS_CA: replace_str (&self->tls_ca, g_value_get_string (value)); break;
    case PROP_TOKEN_LIFETIME: self->token_lifetime = g_value_get_uint (value); break;
    case PROP_IDLE_TIMEOUT: self->idle_timeout = g_value_get_uint (value); break;
    case PROP_MAX_CONNECTIONS: self->max_connections = g_value_get_uint (value); break;
    case PROP_ENGINE_VERSION: replace_str (&self->engine_version_text, g_value_get_string (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
  if (prop_id == PROP_LISTEN_ADDRESS && self->listen_address == NULL)
    self->listen_address = g_strdup ("127.0.0.1");
}

static void
ob_sandbox_class_init (ObSandboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS;

  object_class->dispose = ob_sandbox_dispose;
  object_class->finalize = ob_sandbox_finalize;
  object_class->get_property = ob_sandbox_get_property;
  object_class->set_property = ob_sandbox_set_property;

  properties[PROP_LISTEN_ADDRESS] =
    g_param_spec_string ("listen-address", NULL, NULL, "127.0.0.1", flags);
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0, flags);
  properties[PROP_DATABASE] =
    g_param_spec_string ("database", NULL, NULL, NULL, flags);
  properties[PROP_SEED] =
    g_param_spec_string ("seed", NULL, NULL, NULL, flags);
  properties[PROP_USERS_FILE] =
    g_param_spec_string ("users-file", NULL, NULL, NULL, flags);
  properties[PROP_TLS_CERTIFICATE] =
    g_param_spec_string ("tls-certificate", NULL, NULL, NULL, flags);
  properties[PROP_TLS_KEY] =
    g_param_spec_string ("tls-key", NULL, NULL, NULL, flags);
  properties[PROP_TLS_CA] =
    g_param_spec_string ("tls-ca", NULL, NULL, NULL, flags);
  properties[PROP_TOKEN_LIFETIME] =
    g_param_spec_uint ("token-lifetime", NULL, NULL, 1, G_MAXUINT32,
                       OB_SANDBOX_DEFAULT_TOKEN_LIFETIME, flags);
  properties[PROP_IDLE_TIMEOUT] =
    g_param_spec_uint ("idle-timeout", NULL, NULL, 1, G_MAXUINT32,
                       OB_SANDBOX_DEFAULT_IDLE_TIMEOUT, flags);
  properties[PROP_MAX_CONNECTIONS] =
    g_param_spec_uint ("max-connections", NULL, NULL, 1, G_MAXUINT32,
                       OB_SANDBOX_DEFAULT_MAX_CONNECTIONS, flags);
  properties[PROP_ENGINE_VERSION] =
    g_param_spec_string ("engine-version", NULL, NULL, OB_SANDBOX_ENGINE_VERSION_DEFAULT, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ob_sandbox_init (ObSandbox *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->faults = g_ptr_array_new_with_free_func ((GDestroyNotify) fault_free);
  self->listen_address = g_strdup ("127.0.0.1");
  self->token_lifetime = OB_SANDBOX_DEFAULT_TOKEN_LIFETIME;
  self->idle_timeout = OB_SANDBOX_DEFAULT_IDLE_TIMEOUT;
  self->max_connections = OB_SANDBOX_DEFAULT_MAX_CONNECTIONS;
}
