/* ob-application.c: the ovirt-balloon GtkApplication
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ob-application.h"
#include "ob-dialog-util.h"
#include "ob-ovf-chooser.h"
#ifdef OB_DEVELOPMENT
#include "ob-dev.h"
#endif
#include "ob-ovf-editor-window.h"
#include "ob-settings.h"
#include "ob-window.h"

struct _ObApplication
{
  GtkApplication  parent_instance;

  GSettings      *settings;
  gboolean        start_sandbox;
  char           *engine_url;
  GtkNativeDialog *open_chooser;  /* app.open-ovf's, while shown */
  GPtrArray      *quit_editors;   /* saving before quitting */
};

G_DEFINE_FINAL_TYPE (ObApplication, ob_application, GTK_TYPE_APPLICATION)

static ObWindow *
ob_application_ensure_window (ObApplication *self)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  for (GList *l = windows; l != NULL; l = l->next)
    if (OB_IS_WINDOW (l->data))
      return OB_WINDOW (l->data);

  return ob_window_new (self);
}

static void
ob_application_activate (GApplication *app)
{
  ObApplication *self = OB_APPLICATION (app);
  ObWindow *window = ob_application_ensure_window (self);

  gtk_window_present (GTK_WINDOW (window));

#ifdef OB_DEVELOPMENT
  if (ob_dev_activate (app, window, self->start_sandbox))
    {
      self->start_sandbox = FALSE;
      return;
    }
#endif
  /* One-shot start-up requests from the command line. */
  if (self->start_sandbox)
    {
      self->start_sandbox = FALSE;
      ob_window_connect_sandbox (window);
    }
  else if (self->engine_url != NULL)
    {
      g_autofree char *url = g_steal_pointer (&self->engine_url);

      ob_window_set_engine_url (window, url);
    }
}

static void
ob_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  ObApplication *self = OB_APPLICATION (app);

  for (int i = 0; i < n_files; i++)
    ob_application_open_ovf (self, files[i]);
}

static int
ob_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  ObApplication *self = OB_APPLICATION (app);
  gboolean in_process;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return 0;
    }

  self->start_sandbox = g_variant_dict_contains (options, "sandbox");
  g_variant_dict_lookup (options, "engine", "s", &self->engine_url);
  in_process = self->start_sandbox;
#ifdef OB_DEVELOPMENT
  in_process = ob_dev_handle_options (app, options) || in_process;
#endif
  /* The sandbox runs inside this process, so this instance must do the
   * work rather than forwarding to an already running one. */
  if (in_process)
    {
      GApplicationFlags flags = g_application_get_flags (app);

      g_application_set_flags (app, flags | G_APPLICATION_NON_UNIQUE);
    }

  return -1;
}

static void
ob_application_startup (GApplication *app)
{
  ObApplication *self = OB_APPLICATION (app);
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *open_accels[] = { "<Control>o", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *refresh_accels[] = { "F5", "<Control>r", NULL };
  static const char *filter_accels[] = { "<Control>f", NULL };
  static const char *search_accels[] = { "<Control>l", NULL };
  static const char *new_vm_accels[] = { "<Control>n", NULL };
  static const char *edit_accels[] = { "<Control>e", NULL };
  static const char *run_once_accels[] = { "<Control><Shift>r", NULL };
  static const char *enable_accels[] = { "<Control><Shift>b", NULL };
  static const char *disable_accels[] = { "<Control><Shift>d", NULL };

  G_APPLICATION_CLASS (ob_application_parent_class)->startup (app);

  gtk_css_provider_load_from_resource (css, "/io/github/ovirtballoon/OvirtBalloon/ui/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.open-ovf", open_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.refresh", refresh_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.filter", filter_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.server-search", search_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.new-vm", new_vm_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.edit", edit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.run-once", run_once_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.enable-balloon", enable_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.disable-balloon", disable_accels);
}

static void
ob_application_close_all (ObApplication *self)
{
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
}

/* Stops waiting for the editors saving before quitting. */
static void
ob_application_quit_abandon (ObApplication *self)
{
  g_autoptr(GPtrArray) editors = g_steal_pointer (&self->quit_editors);

  if (editors == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self, editors);
  for (guint i = 0; i < editors->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (editors, i), self);
}

/* An editor the quit waits for has gone (saved, or discarded). */
static void
ob_application_quit_window_removed (ObApplication *self,
                                    GtkWindow     *window,
                                    GPtrArray     *editors)
{
  if (!g_ptr_array_remove (editors, window))
    return;
  g_signal_handlers_disconnect_by_data (window, self);
  if (editors->len == 0)
    {
      ob_application_quit_abandon (self);
      ob_application_close_all (self);
    }
}

/* A save that ends with the window still there failed: it shows why, and
 * the quit stops there. */
static void
ob_application_quit_editor_busy (ObOvfEditorWindow *editor,
                                 GParamSpec        *pspec,
                                 ObApplication     *self)
{
  if (!ob_ovf_editor_window_get_busy (editor) && ob_ovf_editor_window_get_modified (editor))
    ob_application_quit_abandon (self);
}

static void
ob_application_quit_response_cb (GtkWindow *prompt,
                                 int        response,
                                 gpointer   user_data)
{
  ObApplication *self = user_data;
  g_autoptr(GPtrArray) editors = g_object_steal_data (G_OBJECT (prompt), "ob-editors");

  /* Still inside the prompt's "response" emission. */
  g_signal_handlers_disconnect_by_func (prompt, ob_application_quit_response_cb, user_data);
  gtk_widget_set_visible (GTK_WIDGET (prompt), FALSE);
  ob_dialog_destroy_later (prompt);

  if (response != OB_SAVE_CHANGES_DISCARD && response != OB_SAVE_CHANGES_SAVE)
    return;   /* Cancel: nothing changes. */

  /* The other windows close once the editors are gone (the list does
   * not own them: each leaves it when it leaves the application). */
  ob_application_quit_abandon (self);
  self->quit_editors = g_ptr_array_new ();
  for (guint i = 0; i < editors->len; i++)
    g_ptr_array_add (self->quit_editors, g_ptr_array_index (editors, i));
  g_signal_connect (self, "window-removed", G_CALLBACK (ob_application_quit_window_removed),
                    self->quit_editors);
  for (guint i = 0; i < editors->len; i++)
    g_signal_connect (g_ptr_array_index (editors, i), "notify::busy",
                      G_CALLBACK (ob_application_quit_editor_busy), self);
  for (guint i = 0; i < editors->len; i++)
    if (response == OB_SAVE_CHANGES_SAVE)
      ob_ovf_editor_window_save_and_close (g_ptr_array_index (editors, i));
    else
      ob_dialog_destroy_later (g_ptr_array_index (editors, i));
}

/* Asks once about every editor with unsaved changes before any window
 * closes; Cancel changes nothing. */
static void
ob_application_quit_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  ObApplication *self = user_data;
  g_autoptr(GPtrArray) editors = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *message = NULL;
  GtkWindow *prompt;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (OB_IS_OVF_EDITOR_WINDOW (l->data) && ob_ovf_editor_window_get_modified (l->data))
      g_ptr_array_add (editors, g_object_ref (l->data));

  if (editors->len == 0)
    {
      ob_application_close_all (self);
      return;
    }

  if (editors->len == 1)
    {
      g_autofree char *basename = g_file_get_basename (ob_ovf_editor_window_get_file (g_ptr_array_index (editors, 0)));

      message = g_strdup_printf (_("Save the changes to “%s” before quitting?"), basename);
    }
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Save the changes to %u file before quitting?",
                                            "Save the changes to %u files before quitting?", editors->len),
                               editors->len);
  prompt = ob_dialog_new_save_changes (gtk_application_get_active_window (GTK_APPLICATION (self)), message,
                                       _("If you do not save, the balloon changes are lost."));
  g_object_set_data_full (G_OBJECT (prompt), "ob-editors", g_steal_pointer (&editors),
                          (GDestroyNotify) g_ptr_array_unref);
  g_signal_connect (prompt, "response", G_CALLBACK (ob_application_quit_response_cb), self);
  gtk_window_present (prompt);
}

static void
ob_application_open_response_cb (GtkNativeDialog *chooser,
                                 int              response,
                                 ObApplication   *self)
{
  g_autoptr(GtkNativeDialog) dialog = g_steal_pointer (&self->open_chooser);
  g_autoptr(GFile) file = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    return;
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    ob_application_open_ovf (self, file);
}

/* The editor window opens once a file is chosen: cancelling leaves none. */
static void
ob_application_open_ovf_action (GSimpleAction *action,
                                GVariant      *parameter,
                                gpointer       user_data)
{
  ObApplication *self = user_data;

  if (self->open_chooser == NULL)
    {
      self->open_chooser = ob_ovf_chooser_new_open (gtk_application_get_active_window (GTK_APPLICATION (self)));
      g_signal_connect (self->open_chooser, "response", G_CALLBACK (ob_application_open_response_cb), self);
    }
  gtk_native_dialog_show (self->open_chooser);
}

static void
ob_application_about_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  ObApplication *self = user_data;
  static const char *authors[] = { "The ovirt-balloon authors", NULL };

  gtk_show_about_dialog (gtk_application_get_active_window (GTK_APPLICATION (self)),
                         "program-name", _("oVirt Balloon"),
                         "comments", _("Turn the memory balloon device of oVirt VMs on and off"),
                         "version", PACKAGE_VERSION,
                         "logo-icon-name", APP_ID,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "authors", authors,
                         NULL);
}

static const GActionEntry app_actions[] = {
  { "quit", ob_application_quit_action, NULL, NULL, NULL, { 0 } },
  { "open-ovf", ob_application_open_ovf_action, NULL, NULL, NULL, { 0 } },
  { "about", ob_application_about_action, NULL, NULL, NULL, { 0 } },
};

static void
ob_application_finalize (GObject *object)
{
  ObApplication *self = OB_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->engine_url, g_free);
  if (self->open_chooser != NULL)
    gtk_native_dialog_destroy (self->open_chooser);
  g_clear_object (&self->open_chooser);
  ob_application_quit_abandon (self);

  G_OBJECT_CLASS (ob_application_parent_class)->finalize (object);
}

static void
ob_application_class_init (ObApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = ob_application_finalize;
  app_class->activate = ob_application_activate;
  app_class->open = ob_application_open;
  app_class->startup = ob_application_startup;
  app_class->handle_local_options = ob_application_handle_local_options;
}

static void
ob_application_init (ObApplication *self)
{
  const GOptionEntry entries[] = {
    { "sandbox", 's', 0, G_OPTION_ARG_NONE, NULL,
      N_("Start the bundled sandbox engine with demo data and connect to it"), NULL },
    { "engine", 'e', 0, G_OPTION_ARG_STRING, NULL,
      N_("Prefill the engine URL of the connect view"), N_("URL") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Print the version and exit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
#ifdef OB_DEVELOPMENT
  ob_dev_add_options (G_APPLICATION (self));
#endif
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[FILE.ovf|FILE.ova…]"));
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
}

ObApplication *
ob_application_new (void)
{
  return g_object_new (OB_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/ovirtballoon/OvirtBalloon",
                       NULL);
}

GSettings *
ob_application_get_settings (ObApplication *self)
{
  g_return_val_if_fail (OB_IS_APPLICATION (self), NULL);

  if (self->settings == NULL)
    self->settings = ob_settings_new ();
  return self->settings;
}

void
ob_application_open_ovf (ObApplication *self,
                         GFile         *file)
{
  ObOvfEditorWindow *window;

  g_return_if_fail (OB_IS_APPLICATION (self));
  g_return_if_fail (file == NULL || G_IS_FILE (file));

  /* The OVF editor works without an engine: one window per file. */
  window = ob_ovf_editor_window_new (GTK_APPLICATION (self));
  if (file != NULL)
    ob_ovf_editor_window_open_file (window, file);
  gtk_window_present (GTK_WINDOW (window));
}
