/* ob-sandbox-icons.c: GET /icons/{id}, the large and small icons a VM or
 * template references for its operating system. The sandbox has no OS
 * artwork: every icon is a 1x1 transparent PNG, with the engine's shape
 * (media_type, data in base64).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ob-sandbox-resources.h"
#include "ob-sandbox-seed.h"

/* A valid 1x1 RGBA PNG with a transparent pixel. */
#define TRANSPARENT_PNG_BASE64 \
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="

typedef struct
{
  const char *wanted;
  gboolean    found;
} IconLookup;

static gboolean
find_icon_cb (const char *os_type,
              gpointer    user_data)
{
  IconLookup *lookup = user_data;
  static const char *const sizes[] = { "/large", "/small" };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *key = g_strconcat (os_type, sizes[i], NULL);
      g_autofree char *id = ob_sandbox_seed_make_id ("icon", key);

      if (g_str_equal (id, lookup->wanted))
        lookup->found = TRUE;
    }
  return !lookup->found;
}

void
ob_icons_respond (ObSandboxRequest *req,
                  const char       *id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *href = NULL;
  IconLookup lookup = { id, FALSE };
  ObReprWriter *w;

  if (!ob_sandbox_store_foreach_os_type (req->router->store, find_icon_cb, &lookup, &error))
    {
      ob_request_internal_error (req, error);
      return;
    }
  if (!lookup.found)
    {
      ob_request_not_found (req);
      return;
    }
  href = g_strdup_printf ("%s/icons/%s", OB_SANDBOX_API_PREFIX, id);
  w = ob_repr_writer_new (req->format, 512);
  ob_repr_begin (w, "icon", href, id);
  ob_repr_string (w, "data", TRANSPARENT_PNG_BASE64);
  ob_repr_string (w, "media_type", "image/png");
  ob_repr_identity (w, href, id);
  ob_repr_end (w);
  ob_sandbox_respond_writer (req->msg, SOUP_STATUS_OK, w);
}
