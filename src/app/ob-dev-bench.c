/* ob-dev-bench.c: the milestones bench/app.sh reads (development build)
 *
 * With OB_BENCH=1 the app prints one line per milestone on stdout, with the
 * wall clock and the process's CPU time, both in microseconds:
 *   OB_BENCH <what> <wall-us> items <n> cpu <cpu-us>
 * for first-frame, connected, list-loaded and list-shown (the first frame
 * after the list was filled); then it scrolls the VM list by half a page
 * per frame, prints "OB_BENCH scroll frames N mean-us M max-us X cpu-us C"
 * (16.7 ms at 60 Hz means no frame was late; C is the process's CPU time
 * per frame, which the frame clock's pacing does not hide) and closes the
 * window.
 *
 * OB_SANDBOX_URL names a sandbox engine already running in another process
 * (ovirt-balloon-sandbox); OB_SANDBOX_SEED (e.g. 10000) and OB_SANDBOX_DB
 * (a database file, so later runs skip seeding) configure the in-process
 * one that --sandbox starts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sys/resource.h>

#include "ob-dev.h"
#include "ob-window-private.h"

#define OB_DEV_BENCH_KEY "ob-dev-bench"
#define OB_BENCH_SCROLL_FRAMES 120

typedef struct
{
  ObWindow *window;     /* unowned: the state lives on the window */
  guint     frames;
  gint64    last_frame;
  gint64    total;
  gint64    max;
  gint64    cpu_start;
} ObDevBench;

/* The process's user and system time, in microseconds. */
static gint64
ob_dev_bench_cpu (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (gint64) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * G_USEC_PER_SEC
         + usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
}

static void
ob_dev_bench_mark (const char *what,
                   guint       items)
{
  g_print ("OB_BENCH %s %" G_GINT64_FORMAT " items %u cpu %" G_GINT64_FORMAT "\n",
           what, g_get_real_time (), items, ob_dev_bench_cpu ());
}

static void
ob_dev_bench_first_frame_cb (GdkFrameClock *clock,
                             ObDevBench    *bench)
{
  g_signal_handlers_disconnect_by_func (clock, ob_dev_bench_first_frame_cb, bench);
  ob_dev_bench_mark ("first-frame", 0);
}

static void
ob_dev_bench_scroll_cb (GdkFrameClock *clock,
                        ObDevBench    *bench)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (bench->window->vm_view));
  gint64 now = g_get_monotonic_time ();

  if (bench->frames > 0)
    {
      gint64 delta = now - bench->last_frame;

      bench->total += delta;
      bench->max = MAX (bench->max, delta);
    }
  else
    bench->cpu_start = ob_dev_bench_cpu ();
  bench->last_frame = now;

  if (bench->frames++ == OB_BENCH_SCROLL_FRAMES)
    {
      g_signal_handlers_disconnect_by_func (clock, ob_dev_bench_scroll_cb, bench);
      g_print ("OB_BENCH scroll frames %u mean-us %" G_GINT64_FORMAT " max-us %" G_GINT64_FORMAT
               " cpu-us %" G_GINT64_FORMAT "\n",
               OB_BENCH_SCROLL_FRAMES, bench->total / OB_BENCH_SCROLL_FRAMES, bench->max,
               (ob_dev_bench_cpu () - bench->cpu_start) / OB_BENCH_SCROLL_FRAMES);
      gtk_window_close (GTK_WINDOW (bench->window));
      return;
    }
  gtk_adjustment_set_value (adjustment,
                            gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment) / 2);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
}

static void
ob_dev_bench_list_frame_cb (GdkFrameClock *clock,
                            ObDevBench    *bench)
{
  g_signal_handlers_disconnect_by_func (clock, ob_dev_bench_list_frame_cb, bench);
  ob_dev_bench_mark ("list-shown", g_list_model_get_n_items (ob_window_get_vms (bench->window)));
  g_signal_connect (clock, "after-paint", G_CALLBACK (ob_dev_bench_scroll_cb), bench);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
}

static void
ob_dev_bench_client_cb (ObWindow   *window,
                        GParamSpec *pspec,
                        ObDevBench *bench)
{
  if (ob_window_get_client (window) != NULL)
    ob_dev_bench_mark ("connected", 0);
}

static void
ob_dev_bench_loading_cb (ObWindow   *window,
                         GParamSpec *pspec,
                         ObDevBench *bench)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));

  if (ob_window_get_loading (window) || ob_window_get_client (window) == NULL || clock == NULL)
    return;
  g_signal_handlers_disconnect_by_func (window, ob_dev_bench_loading_cb, bench);
  ob_dev_bench_mark ("list-loaded", g_list_model_get_n_items (ob_window_get_vms (window)));
  g_signal_connect (clock, "after-paint", G_CALLBACK (ob_dev_bench_list_frame_cb), bench);
  gtk_widget_queue_draw (GTK_WIDGET (window->vm_view));
}

void
ob_dev_bench_attach (ObWindow *window)
{
  ObDevBench *bench;
  GdkFrameClock *clock;

  if (g_getenv ("OB_BENCH") == NULL || g_object_get_data (G_OBJECT (window), OB_DEV_BENCH_KEY) != NULL)
    return;
  bench = g_new0 (ObDevBench, 1);
  bench->window = window;
  g_object_set_data_full (G_OBJECT (window), OB_DEV_BENCH_KEY, bench, g_free);

  /* Called right after the window was presented: nothing is painted yet. */
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  if (clock != NULL)
    g_signal_connect (clock, "after-paint", G_CALLBACK (ob_dev_bench_first_frame_cb), bench);
  g_signal_connect (window, "notify::client", G_CALLBACK (ob_dev_bench_client_cb), bench);
  g_signal_connect (window, "notify::loading", G_CALLBACK (ob_dev_bench_loading_cb), bench);
}

static void
ob_dev_bench_start (ObWindow *window)
{
  const char *url = g_getenv ("OB_SANDBOX_URL");
  g_autoptr(ObSandbox) sandbox = NULL;

  if (url != NULL && *url != '\0')
    {
      ob_window_connect_demo_url (window, url);
      return;
    }
  sandbox = ob_sandbox_new ();
  g_object_set (sandbox,
                "seed", g_getenv ("OB_SANDBOX_SEED") != NULL ? g_getenv ("OB_SANDBOX_SEED") : "demo",
                "database", g_getenv ("OB_SANDBOX_DB"),
                NULL);
  ob_window_start_sandbox_with (window, sandbox);
}

static void
ob_dev_bench_start_cb (GdkFrameClock *clock,
                       ObWindow      *window)
{
  g_signal_handlers_disconnect_by_func (clock, ob_dev_bench_start_cb, window);
  ob_dev_bench_start (window);
}

gboolean
ob_dev_bench_connect (ObWindow *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));

  if (g_getenv ("OB_SANDBOX_URL") == NULL && g_getenv ("OB_SANDBOX_SEED") == NULL
      && g_getenv ("OB_SANDBOX_DB") == NULL)
    return FALSE;
  /* As --sandbox does: the first frame first, then the engine. */
  if (clock != NULL)
    g_signal_connect_object (clock, "after-paint", G_CALLBACK (ob_dev_bench_start_cb), window, 0);
  else
    ob_dev_bench_start (window);
  return TRUE;
}
