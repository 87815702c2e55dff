/* ob-window-connect.c: the main window's connect page: URL, user and
 * password, the untrusted-certificate question, recent engines (GSettings)
 * and saved passwords (libsecret), and the local sandbox.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ob-dialog-util.h"
#include "ob-error.h"
#include "ob-window-private.h"

/* Recent engines kept in GSettings. */
#define OB_MAX_RECENT_ENGINES 8

/* libsecret: one password per (engine URL, user). */
static const SecretSchema *
ob_window_secret_schema (void)
{
  static const SecretSchema schema = {
    "io.github.ovirtballoon.OvirtBalloon.Password", SECRET_SCHEMA_NONE,
    {
      { "engine", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "NULL", 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  };

  return &schema;
}

static void
ob_window_set_connecting (ObWindow *self,
                          gboolean  connecting)
{
  GtkWidget *widget = GTK_WIDGET (self);

  ob_spinner_set_spinning (self->connect_spinner, connecting);
  gtk_widget_action_set_enabled (widget, "win.connect", !connecting);
  gtk_widget_action_set_enabled (widget, "win.connect-sandbox", !connecting);
  gtk_widget_action_set_enabled (widget, "win.trust-certificate", !connecting && self->untrusted_ca != NULL);
  gtk_widget_action_set_enabled (widget, "win.cancel-connect", connecting);

  /* The form cannot change under a login in progress. Not insensitive:
   * a focused entry made insensitive loses its focus-out. */
  {
    GtkWidget *entries[] = { GTK_WIDGET (self->url_entry), GTK_WIDGET (self->user_entry),
                             GTK_WIDGET (self->password_entry) };

    for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
      {
        gtk_editable_set_editable (GTK_EDITABLE (entries[i]), !connecting);
        /* Read-only must show, as insensitive would. */
        if (connecting)
          gtk_widget_add_css_class (entries[i], "dim-label");
        else
          gtk_widget_remove_css_class (entries[i], "dim-label");
      }
  }
  gtk_widget_set_sensitive (GTK_WIDGET (self->remember_check), !connecting);
  gtk_widget_set_sensitive (GTK_WIDGET (self->recent_list), !connecting);
}

static void
ob_window_show_connect_error (ObWindow   *self,
                              const char *message)
{
  gtk_label_set_label (self->connect_error_label, message != NULL ? message : "");
  gtk_revealer_set_reveal_child (self->connect_error_revealer, message != NULL);
}

static void
ob_window_remember_engine (ObWindow     *self,
                           ObConnection *connection)
{
  g_auto(GStrv) old = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) recent = NULL;
  const char *url = ob_connection_get_api_url (connection);
  guint n = 1;

  if (self->settings == NULL)
    return;
  old = g_settings_get_strv (self->settings, "recent-engines");
  builder = g_strv_builder_new ();

  g_strv_builder_add (builder, url);
  for (guint i = 0; old[i] != NULL && n < OB_MAX_RECENT_ENGINES; i++)
    if (g_strcmp0 (old[i], url) != 0)
      {
        g_strv_builder_add (builder, old[i]);
        n++;
      }
  recent = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-engines", (const char * const *) recent);
}

static void
ob_window_secret_stored_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* No keyring (e.g. no session bus) is not fatal: the user just types the
   * password again next time. */
  if (!secret_password_store_finish (result, &error))
    g_debug ("Could not store the password in the keyring: %s", error->message);
}

static void
ob_window_connected (ObWindow     *self,
                     ObConnection *connection,
                     gboolean      remember)
{
  const char *user = gtk_editable_get_text (GTK_EDITABLE (self->user_entry));

  g_clear_object (&self->client);
  self->client = ob_client_new (connection);
  ob_window_notify_client (self);

  if (self->sandbox == NULL)
    {
      ob_window_remember_engine (self, connection);
      if (self->settings != NULL)
        g_settings_set_string (self->settings, "last-user", user);
      if (remember)
        secret_password_store (ob_window_secret_schema (), SECRET_COLLECTION_DEFAULT,
                               _("oVirt engine password"),
                               gtk_editable_get_text (GTK_EDITABLE (self->password_entry)),
                               NULL, ob_window_secret_stored_cb, NULL,
                               "engine", ob_connection_get_api_url (connection),
                               "user", user,
                               NULL);
    }
  gtk_editable_set_text (GTK_EDITABLE (self->password_entry), "");

  ob_window_show_engine (self, connection);
  gtk_stack_set_visible_child_name (self->main_stack, "browse");
  /* Where the work is: the list (not the search entry). */
  gtk_widget_grab_focus (GTK_WIDGET (self->vm_view));
  ob_window_update_state (self);
  ob_window_reload (self);
}

static void ob_window_open_connection (ObWindow     *self,
                                       ObConnection *connection);

static void
ob_window_fetch_ca_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(ObWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint = NULL;
  g_autoptr(GTlsCertificate) ca = ob_connection_fetch_ca_finish (OB_CONNECTION (source), result,
                                                                 &fingerprint, &error);

  ob_window_set_connecting (self, FALSE);
  if (ca == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = g_strdup_printf (_("%s\nThe engine CA could not be fetched to check it: %s"),
                                                      self->untrusted_message ? self->untrusted_message : "",
                                                      error->message);

          ob_window_show_connect_error (self, message);
        }
      return;
    }

  g_set_object (&self->untrusted_ca, ca);
  g_free (self->untrusted_fingerprint);
  self->untrusted_fingerprint = g_steal_pointer (&fingerprint);
  gtk_label_set_label (self->cert_fingerprint_label, self->untrusted_fingerprint);
  gtk_revealer_set_reveal_child (self->cert_revealer, TRUE);
  ob_window_set_connecting (self, FALSE);
}

static void
ob_window_open_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ObWindow) self = user_data;
  ObConnection *connection = OB_CONNECTION (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!ob_connection_open_finish (connection, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (g_error_matches (error, OB_ERROR, OB_ERROR_TLS_UNTRUSTED))
        {
          /* Show the engine CA's fingerprint and let the user decide;
           * the error (about the server certificate) only if that fails. */
          g_free (self->untrusted_message);
          self->untrusted_message = g_strdup (error->message);
          ob_connection_fetch_ca_async (connection, self->connect_cancellable,
                                        ob_window_fetch_ca_cb, g_object_ref (self));
          return;
        }
      message = ob_dialog_connect_error_text (error, ob_connection_get_api_url (connection));
      ob_window_set_connecting (self, FALSE);
      ob_window_show_connect_error (self, message);
      return;
    }

  ob_window_set_connecting (self, FALSE);
  ob_window_connected (self, connection,
                       gtk_check_button_get_active (self->remember_check));
  g_clear_object (&self->pending);
}

static void
ob_window_open_connection (ObWindow     *self,
                           ObConnection *connection)
{
  g_set_object (&self->pending, connection);
  g_cancellable_cancel (self->connect_cancellable);
  g_clear_object (&self->connect_cancellable);
  self->connect_cancellable = g_cancellable_new ();

  ob_window_show_connect_error (self, NULL);
  ob_window_set_connecting (self, TRUE);
  ob_connection_open_async (connection, self->connect_cancellable,
                            ob_window_open_cb, g_object_ref (self));
}

static void
ob_window_connect_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  ObWindow *self = OB_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObConnection) connection = NULL;
  const char *user = gtk_editable_get_text (GTK_EDITABLE (self->user_entry));

  if (*user == '\0')
    user = OB_SANDBOX_DEMO_USER;

  connection = ob_connection_new (gtk_editable_get_text (GTK_EDITABLE (self->url_entry)), &error);
  if (connection == NULL)
    {
      ob_window_show_connect_error (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->url_entry));
      return;
    }

  g_clear_object (&self->sandbox);
  gtk_revealer_set_reveal_child (self->cert_revealer, FALSE);
  ob_connection_set_trust_store (connection, self->trust_store);
  ob_connection_set_credentials (connection, user,
                                 gtk_editable_get_text (GTK_EDITABLE (self->password_entry)));
  ob_window_open_connection (self, connection);
}

static void
ob_window_trust_certificate_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  ObWindow *self = OB_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObConnection) connection = NULL;

  if (self->pending == NULL || self->untrusted_ca == NULL)
    return;

  /* Trust exactly the certificate whose fingerprint the user was shown. */
  if (!ob_trust_store_trust (self->trust_store,
                             ob_connection_get_engine_key (self->pending),
                             self->untrusted_ca, self->untrusted_fingerprint, &error))
    {
      ob_window_show_connect_error (self, error->message);
      return;
    }
  g_clear_object (&self->untrusted_ca);
  g_clear_pointer (&self->untrusted_fingerprint, g_free);
  gtk_revealer_set_reveal_child (self->cert_revealer, FALSE);

  connection = g_object_ref (self->pending);
  ob_window_open_connection (self, connection);
}

static void
ob_window_cancel_connect_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  ObWindow *self = OB_WINDOW (widget);

  g_cancellable_cancel (self->connect_cancellable);
  ob_window_set_connecting (self, FALSE);
}

static void
ob_window_login_demo (ObWindow   *self,
                      const char *url)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObConnection) connection = ob_connection_new (url, &error);

  if (connection == NULL)
    {
      ob_window_set_connecting (self, FALSE);
      ob_window_show_connect_error (self, error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->url_entry), ob_connection_get_api_url (connection));
  gtk_editable_set_text (GTK_EDITABLE (self->user_entry), OB_SANDBOX_DEMO_USER);
  /* The sandbox's documented demo password (docs/sandbox.md). */
  ob_connection_set_credentials (connection, OB_SANDBOX_DEMO_USER, "sandbox");
  ob_window_open_connection (self, connection);
}

static void
ob_window_sandbox_started_cb (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(ObWindow) self = user_data;
  ObSandbox *sandbox = OB_SANDBOX (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObConnection) connection = NULL;

  if (!ob_sandbox_start_finish (sandbox, result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("Could not start the sandbox engine: %s"), error->message);

      ob_window_set_connecting (self, FALSE);
      ob_window_show_connect_error (self, message);
      return;
    }
  if (sandbox != self->sandbox)
    return;
  ob_window_login_demo (self, ob_sandbox_get_base_url (sandbox));
}

/* Cancels what the connect page is doing and shows it busy. */
static void
ob_window_begin_connecting (ObWindow *self)
{
  g_clear_object (&self->sandbox);
  g_cancellable_cancel (self->connect_cancellable);
  g_clear_object (&self->connect_cancellable);
  self->connect_cancellable = g_cancellable_new ();
  ob_window_show_connect_error (self, NULL);
  ob_window_set_connecting (self, TRUE);
}

void
ob_window_connect_demo_url (ObWindow   *self,
                            const char *url)
{
  ob_window_begin_connecting (self);
  ob_window_login_demo (self, url);
}

void
ob_window_start_sandbox_with (ObWindow  *self,
                              ObSandbox *sandbox)
{
  ob_window_begin_connecting (self);
  self->sandbox = g_object_ref (sandbox);
  ob_sandbox_start_async (self->sandbox, self->connect_cancellable,
                          ob_window_sandbox_started_cb, g_object_ref (self));
}

static void
ob_window_start_sandbox (ObWindow *self)
{
  g_autoptr(ObSandbox) sandbox = ob_sandbox_new ();

  /* The demo data, in memory. */
  g_object_set (sandbox, "seed", "demo", NULL);
  ob_window_start_sandbox_with (self, sandbox);
}

static void
ob_window_first_frame_cb (GdkFrameClock *clock,
                          ObWindow      *self)
{
  g_signal_handlers_disconnect_by_func (clock, ob_window_first_frame_cb, self);
  ob_window_start_sandbox (self);
}

void
ob_window_connect_sandbox (ObWindow *self)
{
  GdkFrameClock *clock;

  g_return_if_fail (OB_IS_WINDOW (self));

  /* At start-up, show the window first: the engine's thread would compete
   * with the first frame for the CPU. */
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  if (gtk_widget_get_mapped (GTK_WIDGET (self)) && clock != NULL && !self->painted)
    {
      ob_window_set_connecting (self, TRUE);
      g_signal_connect_object (clock, "after-paint", G_CALLBACK (ob_window_first_frame_cb), self, 0);
      return;
    }
  ob_window_start_sandbox (self);
}

static void
ob_window_connect_sandbox_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  ob_window_connect_sandbox (OB_WINDOW (widget));
}

static void
ob_window_disconnect_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  ObWindow *self = OB_WINDOW (widget);

  g_cancellable_cancel (self->load_cancellable);
  if (self->client != NULL)
    ob_connection_close_async (ob_client_get_connection (self->client), NULL, NULL, NULL);
  g_clear_object (&self->client);
  g_clear_object (&self->sandbox);
  g_list_store_remove_all (self->vms);
  g_list_store_remove_all (self->templates);
  g_list_store_remove_all (self->clusters);
  ob_window_set_loading (self, FALSE);
  ob_window_show_engine (self, NULL);
  g_clear_pointer (&self->listed_search, g_free);
  gtk_stack_set_visible_child_name (self->main_stack, "connect");
  /* Hidden with its page, the Connect button stopped being the default:
   * Enter connects again. */
  gtk_window_set_default_widget (GTK_WINDOW (self), self->connect_button);
  ob_window_notify_client (self);
  ob_window_update_state (self);
}

/* Recent engines */

static void
ob_window_password_lookup_cb (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(ObWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = secret_password_lookup_finish (result, &error);

  if (password == NULL)
    {
      if (error != NULL)
        g_debug ("Keyring lookup failed: %s", error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->password_entry), password);
  gtk_check_button_set_active (self->remember_check, TRUE);
  secret_password_wipe (g_steal_pointer (&password));
}

static void
on_recent_row_activated (ObWindow      *self,
                         GtkListBoxRow *row)
{
  const char *url = g_object_get_data (G_OBJECT (row), "ob-url");

  gtk_editable_set_text (GTK_EDITABLE (self->url_entry), url);
  secret_password_lookup (ob_window_secret_schema (), NULL,
                          ob_window_password_lookup_cb, g_object_ref (self),
                          "engine", url,
                          "user", gtk_editable_get_text (GTK_EDITABLE (self->user_entry)),
                          NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->password_entry));
}

static void
ob_window_fill_recent (ObWindow *self)
{
  g_auto(GStrv) recent = NULL;
  GtkWidget *child;

  if (self->settings == NULL)
    {
      gtk_widget_set_visible (self->recent_label, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->recent_list), FALSE);
      return;
    }
  recent = g_settings_get_strv (self->settings, "recent-engines");

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))) != NULL)
    gtk_list_box_remove (self->recent_list, child);

  for (guint i = 0; recent[i] != NULL; i++)
    {
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *label = gtk_label_new (recent[i]);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
      gtk_widget_set_margin_top (label, 8);
      gtk_widget_set_margin_bottom (label, 8);
      gtk_widget_set_margin_start (label, 12);
      gtk_widget_set_margin_end (label, 12);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      g_object_set_data_full (G_OBJECT (row), "ob-url", g_strdup (recent[i]), g_free);
      gtk_list_box_append (self->recent_list, row);
    }
  gtk_widget_set_visible (self->recent_label, recent[0] != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->recent_list), recent[0] != NULL);
}

/* An error or certificate question about another address than the one
 * typed is stale. */
static void
on_url_changed (ObWindow *self)
{
  ob_window_show_connect_error (self, NULL);
  gtk_revealer_set_reveal_child (self->cert_revealer, FALSE);
  g_clear_object (&self->untrusted_ca);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.trust-certificate", FALSE);
}

void
ob_window_connect_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_recent_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_url_changed);

  gtk_widget_class_install_action (widget_class, "win.connect", NULL, ob_window_connect_action);
  gtk_widget_class_install_action (widget_class, "win.connect-sandbox", NULL, ob_window_connect_sandbox_action);
  gtk_widget_class_install_action (widget_class, "win.trust-certificate", NULL, ob_window_trust_certificate_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-connect", NULL, ob_window_cancel_connect_action);
  gtk_widget_class_install_action (widget_class, "win.disconnect", NULL, ob_window_disconnect_action);
}

void
ob_window_connect_init (ObWindow *self)
{
  g_autofree char *user = NULL;

  user = self->settings != NULL ? g_settings_get_string (self->settings, "last-user")
                                : g_strdup (OB_SANDBOX_DEMO_USER);
  gtk_editable_set_text (GTK_EDITABLE (self->user_entry), user);
  ob_window_fill_recent (self);
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::recent-engines",
                             G_CALLBACK (ob_window_fill_recent), self, G_CONNECT_SWAPPED);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.trust-certificate", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-connect", FALSE);
}

void
ob_window_set_engine_url (ObWindow   *self,
                          const char *url)
{
  g_return_if_fail (OB_IS_WINDOW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->url_entry), url != NULL ? url : "");
  /* The address is given: what is left to type is the password (or the
   * user, when none is remembered). */
  if (url != NULL && *url != '\0')
    gtk_widget_grab_focus (*gtk_editable_get_text (GTK_EDITABLE (self->user_entry)) != '\0'
                           ? GTK_WIDGET (self->password_entry) : GTK_WIDGET (self->user_entry));
}
