/* ob-test-wait.h: waiting on the default main context in tests, with a
 * deadline so a lost callback fails the test instead of hanging it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* How long any wait below may take before the test aborts. */
#define OB_TEST_WAIT_TIMEOUT_S 60

typedef gboolean (*ObTestDoneFunc) (gpointer data);

/* A GAsyncReadyCallback: stores a reference to the result in the
 * GAsyncResult * that @user_data points to. */
void          ob_test_store_result     (GObject        *source,
                                        GAsyncResult   *result,
                                        gpointer        user_data);
/* Iterates until *@slot is set (by ob_test_store_result) and returns it;
 * the caller owns *@slot (declare it g_autoptr). */
GAsyncResult *ob_test_wait_for_result  (GAsyncResult  **slot);
/* Sets *@flag to TRUE: connect it swapped, with the flag as data. */
void          ob_test_set_flag         (gboolean       *flag);
/* Iterates until *@flag is TRUE; @what names it in the timeout message. */
void          ob_test_wait_for_flag    (const gboolean *flag,
                                        const char     *what);
/* Iterates until @done returns TRUE, then runs what is still pending. */
void          ob_test_iterate_until    (ObTestDoneFunc  done,
                                        gpointer        data,
                                        const char     *what);
/* Iterates until the object's boolean "busy" property is FALSE. */
void          ob_test_wait_not_busy    (gpointer        object);
/* Runs every source that is ready now, without blocking. */
void          ob_test_drain_main_context (void);

G_END_DECLS
