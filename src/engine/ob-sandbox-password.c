/* ob-sandbox-password.c: password checks off the server thread. A check
 * that needs crypt(3) pauses its request and runs on a worker thread;
 * when it is done the request is served again from the start, and this
 * time the answer is known at once (remembered, or marked wrong).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ob-sandbox-impl.h"

#define WRONG_MARK "ob-password-wrong"

typedef struct
{
  ObSandbox         *self;
  SoupServerMessage *msg;
  char              *user;
  char              *password;
  char              *hash;
  gboolean           known;
} Check;

static void
check_free (Check *c)
{
  g_object_unref (c->msg);
  g_free (c->user);
  if (c->password != NULL)
    explicit_bzero (c->password, strlen (c->password));
  g_free (c->password);
  g_free (c->hash);
  g_free (c);
}

static void
check_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Check *c = task_data;

  g_task_return_boolean (task, ob_sandbox_auth_hash_matches (c->password, c->hash, c->known));
}

static void
check_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Check *c = g_task_get_task_data (G_TASK (result));
  ObSandbox *self = c->self;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), NULL);

  self->pending_checks--;
  if (self->server == NULL)
    return;   /* stopping: the request goes with its connection */
  if (ok)
    ob_sandbox_auth_remember (self->auth, c->user, c->password);
  else
    {
      ob_sandbox_auth_record_failure (self->auth, c->user,
                                      soup_server_message_get_remote_host (c->msg));
      g_object_set_data (G_OBJECT (c->msg), WRONG_MARK, GINT_TO_POINTER (TRUE));
    }
  ob_sandbox_serve (self, c->msg);
  soup_server_message_unpause (c->msg);
}

ObPasswordResult
ob_sandbox_check_password (ObSandbox         *self,
                           SoupServerMessage *msg,
                           const char        *user,
                           const char        *password,
                           guint             *retry_after)
{
  g_autoptr(GTask) task = NULL;
  Check *c;

  *retry_after = 0;
  if (g_object_get_data (G_OBJECT (msg), WRONG_MARK) != NULL)
    {
      g_object_set_data (G_OBJECT (msg), WRONG_MARK, NULL);
      return OB_PASSWORD_WRONG;
    }
  if (ob_sandbox_auth_is_verified (self->auth, user, password))
    return OB_PASSWORD_OK;
  *retry_after = ob_sandbox_auth_retry_after (self->auth, user, soup_server_message_get_remote_host (msg));
  if (*retry_after > 0)
    return OB_PASSWORD_LIMITED;

  c = g_new0 (Check, 1);
  c->self = self;
  c->msg = g_object_ref (msg);
  c->user = g_strdup (user);
  c->password = g_strdup (password);
  c->hash = ob_sandbox_auth_get_hash (self->auth, user);
  c->known = ob_sandbox_auth_get_role (self->auth, user) != OB_SANDBOX_ROLE_NONE;
  self->pending_checks++;
  soup_server_message_pause (msg);
  task = g_task_new (NULL, NULL, check_done, NULL);
  g_task_set_task_data (task, c, (GDestroyNotify) check_free);
  g_task_run_in_thread (task, check_in_thread);
  return OB_PASSWORD_PENDING;
}
