/* ob-body-buffer.h: a response body while it is read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _ObBodyBuffer ObBodyBuffer;

/* Bodies declared at least this long get a mapping of their own. */
#define OB_BODY_BUFFER_MAP_MIN (256 * 1024)

/* @declared_length: the Content-Length, or -1 when there is none (or it
 * counts compressed bytes). */
ObBodyBuffer *ob_body_buffer_new           (goffset        declared_length);
void          ob_body_buffer_append        (ObBodyBuffer  *self,
                                            gconstpointer  data,
                                            gsize          len);
gsize         ob_body_buffer_get_size      (ObBodyBuffer  *self);
gboolean      ob_body_buffer_is_mapped     (ObBodyBuffer  *self);
GBytes       *ob_body_buffer_free_to_bytes (ObBodyBuffer  *self);
void          ob_body_buffer_free          (ObBodyBuffer  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObBodyBuffer, ob_body_buffer_free)

G_END_DECLS
