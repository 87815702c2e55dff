/* ob-body-buffer.c: a response body while it is read
 *
 * A body whose length is declared and large (a 500-VM page is some MiB,
 * and a list keeps several in flight) is read into an anonymous mapping of
 * exactly that length, given back to the system when the last reference
 * to its bytes goes. Through malloc, each such block freed raises glibc's
 * mmap threshold, the next ones land in the heap and leave it grown for
 * the life of the process; and a doubling array holds up to twice the
 * body and copies it at each step. Other bodies use a growing array.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/mman.h>

#include "ob-body-buffer.h"

struct _ObBodyBuffer
{
  guint8 *map;       /* the mapping, or NULL */
  gsize map_len;
  gsize used;
  GByteArray *array; /* when not mapped */
};

typedef struct
{
  guint8 *map;
  gsize map_len;
} Mapping;

static void
mapping_free (gpointer data)
{
  Mapping *mapping = data;

  munmap (mapping->map, mapping->map_len);
  g_free (mapping);
}

ObBodyBuffer *
ob_body_buffer_new (goffset declared_length)
{
  ObBodyBuffer *self = g_new0 (ObBodyBuffer, 1);

  if (declared_length >= OB_BODY_BUFFER_MAP_MIN && (guint64) declared_length <= G_MAXSIZE)
    {
      void *map = mmap (NULL, (gsize) declared_length, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

      if (map != MAP_FAILED)
        {
          self->map = map;
          self->map_len = (gsize) declared_length;
          return self;
        }
    }
  /* The declared length (small here) sizes the array once. */
  self->array = declared_length > 0 && declared_length < OB_BODY_BUFFER_MAP_MIN
                ? g_byte_array_sized_new ((guint) declared_length)
                : g_byte_array_new ();
  return self;
}

/* A body longer than declared (libsoup's framing stops at the declared
 * length, so this is defence only) moves to an array. */
static void
ob_body_buffer_unmap (ObBodyBuffer *self)
{
  self->array = g_byte_array_sized_new ((guint) self->used);
  g_byte_array_append (self->array, self->map, (guint) self->used);
  munmap (self->map, self->map_len);
  self->map = NULL;
  self->map_len = 0;
}

void
ob_body_buffer_append (ObBodyBuffer  *self,
                       gconstpointer  data,
                       gsize          len)
{
  if (self->map != NULL && len > self->map_len - self->used)
    ob_body_buffer_unmap (self);
  if (self->map != NULL)
    {
      memcpy (self->map + self->used, data, len);
      self->used += len;
      return;
    }
  g_byte_array_append (self->array, data, (guint) len);
  self->used = self->array->len;
}

gsize
ob_body_buffer_get_size (ObBodyBuffer *self)
{
  return self->used;
}

gboolean
ob_body_buffer_is_mapped (ObBodyBuffer *self)
{
  return self->map != NULL;
}

GBytes *
ob_body_buffer_free_to_bytes (ObBodyBuffer *self)
{
  GBytes *bytes;

  if (self->map != NULL)
    {
      Mapping *mapping = g_new (Mapping, 1);

      mapping->map = g_steal_pointer (&self->map);
      mapping->map_len = self->map_len;
      bytes = g_bytes_new_with_free_func (mapping->map, self->used, mapping_free, mapping);
    }
  else
    bytes = g_byte_array_free_to_bytes (g_steal_pointer (&self->array));
  g_free (self);
  return bytes;
}

void
ob_body_buffer_free (ObBodyBuffer *self)
{
  if (self->map != NULL)
    munmap (self->map, self->map_len);
  g_clear_pointer (&self->array, g_byte_array_unref);
  g_free (self);
}
