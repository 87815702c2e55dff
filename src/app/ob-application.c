/* ob-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ob-application.h"

struct _ObApplication
{
  GtkApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (ObApplication, ob_application, GTK_TYPE_APPLICATION)

static void
ob_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      window = GTK_WINDOW (gtk_application_window_new (GTK_APPLICATION (app)));
      gtk_window_set_title (window, _("oVirt Balloon"));
    }
  gtk_window_present (window);
}

static void
ob_application_class_init (ObApplicationClass *klass)
{
  G_APPLICATION_CLASS (klass)->activate = ob_application_activate;
}

static void
ob_application_init (ObApplication *self)
{
}

ObApplication *
ob_application_new (void)
{
  return g_object_new (OB_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       NULL);
}
