/* fuzz-sandbox-request.c: the sandbox engine's request body parsing (JSON
 * or XML into one tree) and the engine-style value readers its handlers use.
 * The first byte picks the declared content type: 'j' JSON, 'x' XML,
 * anything else none (sniffed); the rest is the body. Checked on every
 * input: no XML DOCTYPE is ever accepted, and a name that passes the engine's
 * rule holds no control character.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ob-error.h"
#include "ob-fuzz.h"
#include "ob-wire-boolean.h"
#include "ob-sandbox-repr.h"
#include "ob-sandbox-resources.h"

#include <string.h>

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

  /* An XML request with a DOCTYPE is never accepted (no entity is
   * expanded); in JSON it is only text. */
  if (root_name != NULL)
    for (size_t i = 0; i + 9 <= size; i++)
      g_assert (memcmp (data + i, "<!DOCTYPE", 9) != 0);

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
        {
          const char *problem = ob_vm_name_problem (s);

          (void) ob_wire_boolean_parse (s, &b);
          /* A name that passes holds no control character. */
          if (problem == NULL)
            for (const char *p = s; *p != '\0'; p++)
              g_assert ((guchar) *p >= 0x20 && *p != 0x7f);
        }
      (void) ob_repr_has_member (body, string_paths[i]);
    }
  json_object_unref (body);
  return 0;
}
