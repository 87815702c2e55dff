/* ob-test-asan.c: AddressSanitizer defaults for the GUI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#if defined(__SANITIZE_ADDRESS__)
/* Full stacks for LeakSanitizer, so that tests/lsan.supp recognises what
 * system libraries keep on purpose: GLib's quark array (allocated under
 * _dl_init; a GTK test creates enough quarks for it to grow) and Mesa's
 * EGL state from GDK's GL probe when the display opens. Mesa has no frame
 * pointers, so the fast unwinder stops before the GDK frame. */
const char *__asan_default_options (void);

const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0:malloc_context_size=30";
}
#endif
