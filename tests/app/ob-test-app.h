/* ob-test-app.h: what the app's GUI tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "ob-application.h"
#include "ob-ovf-editor-window.h"
#include "ob-window.h"
#include "ob-test-tmpdir.h"
#include "ob-test-wait.h"   /* ob_test_iterate_until() and the other waits */

G_BEGIN_DECLS

/* g_test_init() and GTK: -1 to go on, else the exit status (0 after a TAP
 * skip plan without a display; 1 when OB_REQUIRE_DISPLAY=1 asks for one). */
int        ob_test_init                 (int          *argc,
                                         char       ***argv);

/* Upstream OVF fixtures in tests/data/upstream. */
#define OB_TEST_OVF_DEVICE_ERA "ovirt-engine_vmOvfData.ovf.xml"   /* 3.3, balloon Item */
#define OB_TEST_OVF_NO_BALLOON "ovirt-engine_vmOvfData2.ovf.xml"  /* ovf:version 0.9, no Item */

/* A fixture with a temporary directory, removed (after every toplevel
 * window) at teardown. */
typedef struct
{
  char *tmpdir;
} ObTestDirFixture;

void       ob_test_dir_setup            (ObTestDirFixture *fx,
                                         gconstpointer     data);
void       ob_test_dir_teardown         (ObTestDirFixture *fx,
                                         gconstpointer     data);

/* For ob_test_iterate_until(): *@data (a GtkWidget *, weak) is NULL. */
gboolean   ob_test_is_destroyed         (gpointer      data);

/* A template child of the main window; fails when missing. */
gpointer   ob_test_window_child         (ObWindow     *window,
                                         const char   *name);
/* The VM called @name in the window's model; fails when missing. */
ObVm      *ob_test_find_vm              (ObWindow     *window,
                                         const char   *name);
/* Selects the shown row of the VM called @name; FALSE when not shown. */
gboolean   ob_test_select_vm            (ObWindow     *window,
                                         const char   *name,
                                         gboolean      exclusive);

/* A template child of @widget (class @type); fails when missing. */
gpointer   ob_test_child                (gpointer      widget,
                                         GType         type,
                                         const char   *name);
/* The first toplevel of @type, or NULL. */
GtkWindow *ob_test_find_toplevel        (GType         type);
/* The modal dialog transient for @parent, or NULL. */
GtkWindow *ob_test_find_dialog_for      (GtkWindow    *parent);
/* Destroys every toplevel and runs what is pending. */
void       ob_test_destroy_toplevels    (void);

/* Activates @prompt's button labelled @label, as a click does. */
void       ob_test_click_dialog_button  (GtkWindow    *prompt,
                                         const char   *label);

/* Copies tests/data/upstream/@name into @dir as @as, with @insertion
 * after @insert_after when not NULL. Free with g_free(). */
char      *ob_test_copy_upstream        (const char   *dir,
                                         const char   *name,
                                         const char   *as,
                                         const char   *insert_after,
                                         const char   *insertion);

/* The whole file; fails the test when it cannot be read. */
GBytes    *ob_test_read_bytes           (const char   *path);

/* A new OVF editor window, presented, with @path loaded. (transfer none):
 * it belongs to GTK's toplevels. */
ObOvfEditorWindow *ob_test_open_editor  (const char   *path);

/* A registered, non-unique @app and its main window, presented. */
ObWindow  *ob_test_new_main_window      (ObApplication *app);
/* Connects @window to the in-process sandbox and waits for the list. */
void       ob_test_connect_sandbox      (ObWindow     *window);
/* Waits until @window's list has finished loading. */
void       ob_test_wait_loaded          (ObWindow     *window);

G_END_DECLS
