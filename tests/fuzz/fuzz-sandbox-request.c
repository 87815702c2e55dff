/* fuzz-sandbox-request.c: the sandbox engine's request body parsing (JSON
 * or XML into one tree) and the engine-style value readers its handlers use.
 * The first byte picks the declared content type: 'j' JSON, 'x' XML,
 * anything else none (sniffed); the rest is the body.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ob-error.h"
#include "ob-fuzz.h"
#include "ob-rest-boolean.h"
#include "ob-sandbox-repr.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  ob_fuzz_make_warnings_fatal ();
  return 0;
}

/* The paths the handlers read (PUT/POST /vms, start, templates). */
static const char *const bool_paths[] = {
  "memory_policy/ballooning", "vm/memory_policy/ballooning", "volatile", "vm/stateless",
  "async", "next_run",
};
static const char *const int_paths[] = {
  "memory", "vm/memory", "memory_policy/guaranteed", "cpu/topology/sockets",
};
static const char *const string_paths[] = {
  "name", "description", "cluster/id", "cluster/name", "template/id", "template/name",
  "vm/name", "id", "href",
};

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root_name = NULL;
  JsonObject *body;
  const char *type = NULL;

  if (size == 0)
    return 0;
  if (data[0] == 'j')
    type = "application/json";
  else if (data[0] == 'x')
    type = "application/xml";

  body = ob_repr_parse_body ((const char *) data + 1, size - 1, type, &root_name, &error);
  if (body == NULL)
    {
      g_assert (error != NULL && error->domain == OB_ERROR && error->message[0] != '\0');
      return 0;
    }

  for (guint i = 0; i < G_N_ELEMENTS (bool_paths); i++)
    {
      g_autoptr(GError) e = NULL;
      gboolean b;
      if (!ob_repr_get_bool (body, bool_paths[i], &b, &e) && e != NULL)
        g_assert (e->domain == OB_ERROR);
    }
  for (guint i = 0; i < G_N_ELEMENTS (int_paths); i++)
    {
      g_autoptr(GError) e = NULL;
      gint64 v;
      if (!ob_repr_get_int (body, int_paths[i], &v, &e) && e != NULL)
        g_assert (e->domain == OB_ERROR);
    }
  for (guint i = 0; i < G_N_ELEMENTS (string_paths); i++)
    {
      const char *s = ob_repr_get_string (body, string_paths[i]);
      gboolean b;
      if (s != NULL)
        (void) ob_rest_boolean_parse (s, &b);
      (void) ob_repr_has_member (body, string_paths[i]);
    }
  json_object_unref (body);
  return 0;
}
