/* test-rel-gui.c: the GTK app under network and engine faults (Xvfb, suite
 * gui).
 *
 * Faults: the Edit VM dialog saves through the fault proxy in front of an
 * in-process sandbox engine. For each fault the dialog must stay open, show
 * the error, keep the user's edit (the balloon checkbox) so it can be saved
 * again once the fault is gone, and the engine (read directly, not through
 * the proxy) must hold what the dialog said. Rows go to
 * $OB_BUILD_DIR/reliability/gui-faults.md.
 *
 * Responsiveness: a bulk "Enable balloon" over 1,000 VMs runs in the bulk
 * dialog while a 1 ms timeout on the main context records every gap between
 * its dispatches: the longest main-loop stall is measured and written to
 * $OB_BUILD_DIR/reliability/gui-responsiveness.md (goal: under 50 ms). The
 * test itself only fails above 1 s, a stall nobody could miss, so machine
 * load cannot make it flaky.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <signal.h>
#include <string.h>

#include "ob-bulk-dialog.h"
#include "ob-client.h"
#include "ob-edit-vm-dialog.h"
#include "ob-fault-proxy.h"
#include "ob-sandbox.h"
#include "ob-window.h"
#include "ob-test-engine.h"
#include "ob-test-gtk.h"
#include "ob-test-wait.h"

typedef struct
{
  ObSandbox    *sandbox;
  ObFaultProxy *proxy;
  ObClient     *client;   /* through the proxy: what the app uses */
  ObClient     *direct;   /* straight to the engine: the test's eyes */
  GPtrArray    *rows;
  guint         serial;
} Suite;

static Suite suite;

static ObVm *
new_vm (gboolean balloon)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *name = g_strdup_printf ("gui-fault-%u", ++suite.serial);
  g_autoptr(ObVm) added = NULL;

  ob_client_add_vm_async (suite.direct, name, "Default", NULL, 0,
                          balloon ? OB_BALLOON_STATE_ON : OB_BALLOON_STATE_OFF,
                          NULL, ob_test_store_result, &result);
  added = ob_client_add_vm_finish (suite.direct, ob_test_wait_for_result (&result), NULL, &error);
  g_assert_no_error (error);
  /* As the app would have it: loaded through its own client. */
  return ob_test_get_vm (suite.client, ob_vm_get_id (added));
}

static ObBalloonState
engine_balloon (ObVm *vm)
{
  g_autoptr(ObVm) now = ob_test_get_vm (suite.direct, ob_vm_get_id (vm));

  return ob_vm_get_ballooning (now);
}

static gpointer
child (gpointer    widget,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), OB_TYPE_EDIT_VM_DIALOG, name);

  g_assert_nonnull (object);
  return object;
}

typedef struct
{
  const char *path;
  const char *fault;
  const char *rule;       /* "%s" = the VM id; NULL for the conflict case */
  guint       timeout_s;  /* connection timeout during the case; 0 = 30 */
  gboolean    succeeds;   /* the save goes through despite the fault */
  gboolean    may_apply;  /* the engine may have applied it (answer lost) */
} GuiCase;

static const GuiCase cases[] = {
  { "/gui-faults/closed-without-answer", "connection closed without an answer (update)",
    "close,method=PUT,path=/ovirt-engine/api/vms/%s", 0, FALSE, FALSE },
  { "/gui-faults/reset-mid-body-read", "connection reset mid-body (re-read before saving)",
    "reset,method=GET,path=/ovirt-engine/api/vms/%s", 0, FALSE, FALSE },
  { "/gui-faults/reset-mid-body-update", "connection reset mid-body (answer to the update)",
    "reset,method=PUT,path=/ovirt-engine/api/vms/%s", 0, FALSE, TRUE },
  { "/gui-faults/stall-5s-timeout-2s", "5 s stall, 2 s timeout",
    "stall,ms=5000,method=GET,path=/ovirt-engine/api/vms/%s", 2, FALSE, FALSE },
  { "/gui-faults/stall-5s-default-timeout", "5 s stall, default timeout (30 s)",
    "stall,ms=5000,method=PUT,path=/ovirt-engine/api/vms/%s", 0, TRUE, FALSE },
  { "/gui-faults/500-fault-body", "500 with a fault body (update)",
    "status,status=500,body,method=PUT", 0, FALSE, FALSE },
  { "/gui-faults/500-no-body", "500 without a body (update)",
    "status,status=500,method=PUT", 0, FALSE, FALSE },
  { "/gui-faults/502-fault-body", "502 with a fault body (update)",
    "status,status=502,body,method=PUT", 0, FALSE, FALSE },
  { "/gui-faults/502-no-body", "502 without a body (update)",
    "status,status=502,method=PUT", 0, FALSE, FALSE },
  { "/gui-faults/503-fault-body", "503 with a fault body (update)",
    "status,status=503,body,method=PUT", 0, FALSE, FALSE },
  { "/gui-faults/503-no-body", "503 without a body (update)",
    "status,status=503,method=PUT", 0, FALSE, FALSE },
  { "/gui-faults/401-expired-token", "401 on the next request (expired token)",
    "status,status=401,body,path=/ovirt-engine/api,nth=1", 0, TRUE, FALSE },
  { "/gui-faults/wrong-content-type", "HTML page (text/html) instead of JSON (re-read)",
    "html,method=GET,path=/ovirt-engine/api/vms/%s", 0, FALSE, FALSE },
  { "/gui-faults/truncated-json", "truncated JSON (re-read)",
    "truncate,method=GET,path=/ovirt-engine/api/vms/%s", 0, FALSE, FALSE },
  { "/gui-faults/changed-between-load-and-save",
    "VM changed by another client between load and save, to the user's choice (no conflict)",
    NULL, 0, TRUE, FALSE },
};

static void
add_row (const char *fault,
         const char *shown,
         const char *edit,
         const char *engine,
         const char *verdict)
{
  g_autofree char *one_line = g_strdup (shown);

  g_strdelimit (one_line, "\n|", ' ');
  g_ptr_array_add (suite.rows, g_strdup_printf ("| %s | %s | %s | %s | %s |", fault, one_line, edit, engine, verdict));
}

static void
test_gui_fault (gconstpointer data)
{
  const GuiCase *gc = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ObVm) vm = new_vm (FALSE);
  g_autoptr(ObEditVmDialog) dialog = NULL;
  g_autofree char *shown = NULL;
  GtkCheckButton *check;
  ObConnection *connection = ob_client_get_connection (suite.client);
  gboolean saved = FALSE;
  ObBalloonState after;
  const char *verdict = "ok";

  ob_connection_set_timeout (connection, gc->timeout_s ? gc->timeout_s : 30);
  dialog = g_object_ref_sink (ob_edit_vm_dialog_new (NULL, suite.client, vm));
  gtk_window_present (GTK_WINDOW (dialog));
  g_signal_connect_swapped (dialog, "saved", G_CALLBACK (ob_test_set_flag), &saved);
  check = child (dialog, "balloon_check");
  g_assert_false (gtk_check_button_get_active (check));
  gtk_check_button_set_active (check, TRUE);

  if (gc->rule != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (gc->rule, "%s", -1);
      g_autofree char *rule = g_strjoinv (ob_vm_get_id (vm), parts);
      g_assert_true (ob_fault_proxy_add_rule_spec (suite.proxy, rule, &error));
      g_assert_no_error (error);
    }
  else
    {
      /* Another administrator turns it on behind the dialog's back. */
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(ObVm) other = ob_test_get_vm (suite.direct, ob_vm_get_id (vm));
      g_autoptr(ObBalloonResult) res = NULL;

      ob_client_set_balloon_async (suite.direct, other, TRUE, OB_SET_BALLOON_NONE, NULL, ob_test_store_result, &result);
      res = ob_client_set_balloon_finish (suite.direct, ob_test_wait_for_result (&result), &error);
      g_assert_no_error (error);
    }

  gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.save", NULL);
  if (gc->succeeds)
    ob_test_wait_for_flag (&saved, "the save");
  else
    ob_test_wait_not_busy (dialog);
  ob_fault_proxy_clear_rules (suite.proxy);
  ob_connection_set_timeout (connection, 30);
  after = engine_balloon (vm);

  if (gc->succeeds)
    {
      add_row (gc->fault, "(saved)", "-", after == OB_BALLOON_STATE_ON ? "on (as saved)" : "off", "ok");
      g_assert_cmpint (after, ==, OB_BALLOON_STATE_ON);
      gtk_window_destroy (GTK_WINDOW (dialog));
      return;
    }

  /* Stays open, says what happened, keeps the edit. */
  g_assert_false (saved);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  if (gtk_revealer_get_reveal_child (child (dialog, "conflict_revealer")))
    shown = g_strdup (gtk_label_get_label (child (dialog, "conflict_label")));
  else
    {
      g_assert_true (gtk_revealer_get_reveal_child (child (dialog, "fault_revealer")));
      shown = g_strdup_printf ("%s: %s", gtk_label_get_label (child (dialog, "fault_reason_label")),
                               gtk_label_get_label (child (dialog, "fault_detail_label")));
    }
  g_test_message ("shown: %s", shown);
  g_assert_cmpuint (strlen (shown), >, 4);
  g_assert_true (gtk_check_button_get_active (check));

  if (gc->rule == NULL)
    verdict = "ok: conflict shown, nothing overwritten";
  else if (after == OB_BALLOON_STATE_ON)
    {
      /* The answer was lost after the engine took the change: the user
       * must be told the outcome is unknown, not that it failed. */
      g_assert_true (gc->may_apply);
      verdict = strstr (shown, "may") != NULL || strstr (shown, "unknown") != NULL
                ? "ok: told the change may have been applied"
                : "finding: the engine applied it but the dialog shows a plain failure";
    }
  else
    g_assert_cmpint (after, ==, OB_BALLOON_STATE_OFF);
  add_row (gc->fault, shown, "kept (checkbox still on)",
           after == OB_BALLOON_STATE_ON ? (gc->rule == NULL ? "on (the other client's value)" : "on (applied)")
                                        : "off (unchanged, as shown)",
           verdict);

  /* With the fault gone the kept edit can be saved (after a conflict or a
   * lost answer the engine already holds "on": then the dialog shows a
   * conflict, which is the honest answer). */
  if (after == OB_BALLOON_STATE_OFF)
    {
      gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.save", NULL);
      ob_test_wait_for_flag (&saved, "the second save");
      g_assert_cmpint (engine_balloon (vm), ==, OB_BALLOON_STATE_ON);
    }
  gtk_window_destroy (GTK_WINDOW (dialog));
}

typedef struct
{
  gint64  start;
  gint64  last;
  gint64  max_gap;
  gint64  max_gap_at;   /* µs after the dialog was created */
  GArray *gaps;   /* gint64 µs */
} StallProbe;

static gboolean
probe_tick (gpointer user_data)
{
  StallProbe *p = user_data;
  gint64 now = g_get_monotonic_time ();

  if (p->last != 0)
    {
      gint64 gap = now - p->last;
      g_array_append_val (p->gaps, gap);
      if (gap > p->max_gap)
        {
          p->max_gap = gap;
          p->max_gap_at = p->last - p->start;
        }
    }
  p->last = now;
  return G_SOURCE_CONTINUE;
}

static gint
compare_i64 (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

static void
test_bulk_responsiveness (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) vms = NULL;
  g_autoptr(GPtrArray) chosen = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(ObBulkDialog) dialog = NULL;
  g_autoptr(GString) md = g_string_new (NULL);
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  StallProbe probe = { 0, 0, 0, 0, g_array_new (FALSE, FALSE, sizeof (gint64)) };
  guint outcomes[OB_CHANGE_N_OUTCOMES] = { 0 };
  gboolean finished = FALSE;
  GPtrArray *results;
  guint source, over50 = 0, applied = 0;
  gint64 start, elapsed;
  g_autoptr(ObSandbox) big = ob_sandbox_new ();
  g_autoptr(ObClient) client = NULL;

  g_object_set (big, "seed", "1000", NULL);
  ob_sandbox_start (big, &error);
  g_assert_no_error (error);
  client = ob_test_client_open (ob_sandbox_get_base_url (big), 30);

  ob_client_list_vms_async (client, NULL, OB_LIST_ALL_CONTENT, NULL, NULL, NULL, NULL, ob_test_store_result, &result);
  vms = ob_client_list_vms_finish (client, ob_test_wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (vms->len, >=, 1000);
  for (guint i = 0; i < 1000; i++)
    g_ptr_array_add (chosen, g_object_ref (vms->pdata[i]));

  source = g_timeout_add_full (G_PRIORITY_HIGH, 1, probe_tick, &probe, NULL);
  start = g_get_monotonic_time ();
  probe.start = start;
  dialog = g_object_ref_sink (ob_bulk_dialog_new (NULL, client, chosen, TRUE));
  gtk_window_present (GTK_WINDOW (dialog));
  g_signal_connect_swapped (dialog, "finished", G_CALLBACK (ob_test_set_flag), &finished);
  ob_bulk_dialog_start (dialog);
  ob_test_wait_for_flag (&finished, "the bulk update");
  elapsed = g_get_monotonic_time () - start;
  g_source_remove (source);

  results = ob_bulk_dialog_get_results (dialog);
  g_assert_nonnull (results);
  g_assert_cmpuint (results->len, ==, 1000);
  for (guint i = 0; i < results->len; i++)
    {
      ObBalloonResult *r = results->pdata[i];
      outcomes[r->outcome]++;
      if (r->outcome == OB_CHANGE_APPLIED || r->outcome == OB_CHANGE_NEXT_RUN || r->outcome == OB_CHANGE_UNCHANGED)
        applied++;
      else if (r->outcome == OB_CHANGE_FAILED)
        g_test_message ("%s: %s", ob_vm_get_name (r->vm), r->message);
    }

  g_array_sort (probe.gaps, compare_i64);
  for (guint i = 0; i < probe.gaps->len; i++)
    if (g_array_index (probe.gaps, gint64, i) > 50 * 1000)
      over50++;
  dir = g_build_filename (g_getenv ("OB_BUILD_DIR"), "reliability", NULL);
  path = g_build_filename (dir, "gui-responsiveness.md", NULL);
  g_string_append_printf (md,
                          "| VMs | bulk run (s) | applied / next run / unchanged / skipped / failed | main-loop dispatches | median gap ms | p99 gap ms | longest stall ms (at s) | gaps over 50 ms |\n"
                          "| --- | --- | --- | --- | --- | --- | --- | --- |\n"
                          "| 1000 | %.1f | %u / %u / %u / %u / %u | %u | %.1f | %.1f | %.1f (%.2f) | %u |\n",
                          elapsed / 1e6, outcomes[OB_CHANGE_APPLIED], outcomes[OB_CHANGE_NEXT_RUN],
                          outcomes[OB_CHANGE_UNCHANGED], outcomes[OB_CHANGE_SKIPPED], outcomes[OB_CHANGE_FAILED],
                          probe.gaps->len,
                          g_array_index (probe.gaps, gint64, probe.gaps->len / 2) / 1e3,
                          g_array_index (probe.gaps, gint64, probe.gaps->len * 99 / 100) / 1e3,
                          probe.max_gap / 1e3, probe.max_gap_at / 1e6, over50);
  g_mkdir_with_parents (dir, 0755);
  g_file_set_contents (path, md->str, (gssize) md->len, NULL);
  g_test_message ("%s", md->str);

  g_assert_cmpuint (probe.gaps->len, >, 100);
  g_assert_cmpuint (outcomes[OB_CHANGE_FAILED], ==, 0);
  g_assert_cmpuint (applied, >, 0);
  /* The 50 ms goal is reported, not asserted; one second is a hang. */
  g_assert_cmpint (probe.max_gap, <, G_USEC_PER_SEC);
  g_array_unref (probe.gaps);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static gpointer
window_child (gpointer    window,
              const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (window), OB_TYPE_WINDOW, name);

  g_assert_nonnull (object);
  return object;
}

static void
wait_for_load (ObWindow *window)
{
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  /* Connected, and the list load (which starts by itself) finished. */
  while (ob_window_get_client (window) == NULL || ob_window_get_loading (window))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for the VM list");
      g_main_context_iteration (NULL, TRUE);
    }
  /* Let the last callbacks land. */
  for (int i = 0; i < 50 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

/* The main window loads 10,000 VMs; the answer to one page is cut halfway.
 * The window shows the error, stays usable, and a refresh loads the lot. */
static void
test_big_list_aborted (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObSandbox) big = ob_sandbox_new ();
  g_autoptr(ObFaultProxy) proxy = NULL;
  g_autoptr(ObApplication) app = ob_application_new ();
  g_autoptr(ObWindow) window = NULL;
  g_autofree char *url = NULL;
  g_autofree char *log = NULL;
  g_autofree char *shown = NULL;
  guint partial, full;

  g_object_set (big, "seed", "10000", NULL);
  ob_sandbox_start (big, &error);
  g_assert_no_error (error);
  proxy = ob_fault_proxy_new (ob_sandbox_get_root_url (big), &error);
  g_assert_no_error (error);
  url = g_strconcat (ob_fault_proxy_get_url (proxy), "/ovirt-engine/api", NULL);
  /* The list comes in pages: cut the 10th answer halfway through. */
  g_assert_true (ob_fault_proxy_add_rule_spec (proxy, "abort,method=GET,path=/ovirt-engine/api/vms,nth=10", &error));

  g_application_set_flags (G_APPLICATION (app), g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);
  window = g_object_ref_sink (ob_window_new (app));
  gtk_window_present (GTK_WINDOW (window));
  gtk_editable_set_text (window_child (window, "url_entry"), url);
  gtk_editable_set_text (window_child (window, "user_entry"), OB_SANDBOX_DEMO_USER);
  gtk_editable_set_text (window_child (window, "password_entry"), "sandbox");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.connect", NULL);
  wait_for_load (window);

  log = ob_fault_proxy_dump_log (proxy);
  g_assert_true (strstr (log, "aborted halfway") != NULL);
  partial = g_list_model_get_n_items (ob_window_get_vms (window));
  g_assert_true (gtk_revealer_get_reveal_child (window_child (window, "browse_error_revealer")));
  shown = g_strdup (gtk_label_get_label (window_child (window, "browse_error_label")));
  g_test_message ("shown: %s (%u VMs in the list)", shown, partial);
  g_assert_cmpuint (strlen (shown), >, 4);

  ob_fault_proxy_clear_rules (proxy);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL);
  wait_for_load (window);
  full = g_list_model_get_n_items (ob_window_get_vms (window));
  add_row ("10,000-VM list aborted halfway (main window)", shown,
           "-", "read-only",
           partial < 10000 ? "ok: error shown; refresh then loads all" : "finding: complete list shown despite the error");
  g_assert_false (gtk_revealer_get_reveal_child (window_child (window, "browse_error_revealer")));
  g_assert_cmpuint (full, >=, 10000);
  gtk_window_destroy (GTK_WINDOW (window));
  ob_sandbox_stop (big);
}

static void
write_rows (void)
{
  g_autofree char *dir = g_build_filename (g_getenv ("OB_BUILD_DIR"), "reliability", NULL);
  g_autofree char *path = g_build_filename (dir, "gui-faults.md", NULL);
  g_autoptr(GString) md = g_string_new ("| fault | what the dialog showed | the user's edit | engine state afterwards | verdict |\n"
                                        "| --- | --- | --- | --- | --- |\n");

  for (guint i = 0; i < suite.rows->len; i++)
    g_string_append_printf (md, "%s\n", (const char *) suite.rows->pdata[i]);
  g_mkdir_with_parents (dir, 0755);
  g_file_set_contents (path, md->str, (gssize) md->len, NULL);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  g_autofree char *proxied = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);
  signal (SIGPIPE, SIG_IGN);
  config = g_dir_make_tmp ("ob-test-rel-gui-XXXXXX", NULL);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  if (!ob_test_gtk_init ())
    {
      g_rmdir (config);
      return 0;
    }

  suite.rows = g_ptr_array_new_with_free_func (g_free);
  suite.sandbox = ob_sandbox_new ();
  g_object_set (suite.sandbox, "seed", "demo", NULL);
  ob_sandbox_start (suite.sandbox, &error);
  g_assert_no_error (error);
  suite.proxy = ob_fault_proxy_new (ob_sandbox_get_root_url (suite.sandbox), &error);
  g_assert_no_error (error);
  proxied = g_strconcat (ob_fault_proxy_get_url (suite.proxy), "/ovirt-engine/api", NULL);
  suite.client = ob_test_client_open (proxied, 30);
  suite.direct = ob_test_client_open (ob_sandbox_get_base_url (suite.sandbox), 30);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add_data_func (cases[i].path, &cases[i], test_gui_fault);
  g_test_add_func ("/gui-faults/10000-vm-list-aborted-halfway", test_big_list_aborted);
  g_test_add_func ("/gui-responsiveness/bulk-1000-vms", test_bulk_responsiveness);

  rc = g_test_run ();
  write_rows ();
  g_clear_object (&suite.client);
  g_clear_object (&suite.direct);
  g_clear_pointer (&suite.proxy, ob_fault_proxy_free);
  ob_sandbox_stop (suite.sandbox);
  g_clear_object (&suite.sandbox);
  g_ptr_array_unref (suite.rows);
  g_rmdir (config);
  return rc;
}
