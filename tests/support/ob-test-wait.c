/* ob-test-wait.c: waiting on the default main context in tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ob-test-wait.h"

/* The one loop every wait uses. It never blocks, so the deadline is seen
 * even when no source is ready; an idle pass sleeps 1 ms. */
static void
wait_until (ObTestDoneFunc  done,
            gpointer        data,
            const char     *what)
{
  gint64 deadline = g_get_monotonic_time () + OB_TEST_WAIT_TIMEOUT_S * G_USEC_PER_SEC;

  while (!done (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out after %d s waiting for %s", OB_TEST_WAIT_TIMEOUT_S, what);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

void
ob_test_store_result (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

static gboolean
slot_filled (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

GAsyncResult *
ob_test_wait_for_result (GAsyncResult **slot)
{
  wait_until (slot_filled, slot, "an async result");
  return *slot;
}

static gboolean
flag_set (gpointer data)
{
  return *(const gboolean *) data;
}

void
ob_test_set_flag (gboolean *flag)
{
  *flag = TRUE;
}

void
ob_test_wait_for_flag (const gboolean *flag,
                       const char     *what)
{
  wait_until (flag_set, (gpointer) flag, what);
}

void
ob_test_iterate_until (ObTestDoneFunc  done,
                       gpointer        data,
                       const char     *what)
{
  wait_until (done, data, what);
  ob_test_drain_main_context ();
}

static gboolean
not_busy (gpointer object)
{
  gboolean busy = TRUE;

  g_object_get (object, "busy", &busy, NULL);
  return !busy;
}

void
ob_test_wait_not_busy (gpointer object)
{
  wait_until (not_busy, object, "the dialog to finish");
}

void
ob_test_drain_main_context (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}
