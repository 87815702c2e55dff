/* ob-application.c: the ovirt-balloon GtkApplication
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ob-application.h"
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
ob_application_quit_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  ObApplication *self = user_data;
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Closing each window lets editors with unsaved changes ask first. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
}

static void
ob_application_open_ovf_action (GSimpleAction *action,
                                GVariant      *parameter,
                                gpointer       user_data)
{
  ObOvfEditorWindow *window = ob_ovf_editor_window_new (GTK_APPLICATION (user_data));

  /* An empty editor window that asks for the file at once. */
  gtk_window_present (GTK_WINDOW (window));
  ob_ovf_editor_window_choose_file (window);
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
