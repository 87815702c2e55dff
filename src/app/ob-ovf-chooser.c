/* ob-ovf-chooser.c: choosing OVF files and OVA archives: choosers, drops
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ob-ovf-chooser.h"

static void
add_filters (GtkFileChooser *chooser)
{
  g_autoptr(GtkFileFilter) both = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  gtk_file_filter_set_name (both, _("OVF files and OVA archives"));
  gtk_file_filter_add_pattern (both, "*.ovf");
  gtk_file_filter_add_pattern (both, "*.OVF");
  gtk_file_filter_add_pattern (both, "*.ova");
  gtk_file_filter_add_pattern (both, "*.OVA");
  gtk_file_filter_add_pattern (both, "*.ovf.xml");
  gtk_file_chooser_add_filter (chooser, both);

  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (chooser, all);
}

GtkNativeDialog *
ob_ovf_chooser_new_open (GtkWindow *parent)
{
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Open OVF File or OVA Archive"), parent,
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  add_filters (GTK_FILE_CHOOSER (chooser));
  return GTK_NATIVE_DIALOG (chooser);
}

GtkNativeDialog *
ob_ovf_chooser_new_save_as (GtkWindow *parent,
                            GFile     *file)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GFile) folder = g_file_get_parent (file);
  g_autofree char *basename = g_file_get_basename (file);

  chooser = gtk_file_chooser_native_new (_("Save OVF File As"), parent,
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  add_filters (GTK_FILE_CHOOSER (chooser));
  if (folder != NULL)
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), basename);
  return GTK_NATIVE_DIALOG (chooser);
}

GtkDropTarget *
ob_ovf_drop_target_new (void)
{
  GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);

  gtk_drop_target_set_gtypes (drop, (GType[2]) { GDK_TYPE_FILE_LIST, G_TYPE_FILE }, 2);
  return drop;
}

GFile *
ob_ovf_drop_get_file (const GValue *value)
{
  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = g_value_get_boxed (value);

      return files != NULL ? files->data : NULL;
    }
  if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    return g_value_get_object (value);
  return NULL;
}
