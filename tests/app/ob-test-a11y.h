/* ob-test-a11y.h: find interactive widgets that have no accessible label
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* GTK 4.8 has no public getter for accessible properties; the test
 * accessible API reads them, but only when GTK runs with GTK_A11Y=test.
 * Call this before gtk_init_check(). */
void       ob_test_a11y_init            (void);

/* Walks @root and everything visible below it (hidden widgets are not exposed to
 * assistive technologies; stack pages not shown are still walked) and returns one line per buttons,
 * check button, menu button, entry, spin button, drop-down, switch, scale
 * or column view that has no accessible label: neither its own label text,
 * nor GTK_ACCESSIBLE_PROPERTY_LABEL, nor a GTK_ACCESSIBLE_RELATION_LABELLED_BY
 * pointing at a widget that has text. Empty array: all labelled. */
GPtrArray *ob_test_a11y_find_unlabeled  (GtkWidget *root);

G_END_DECLS
