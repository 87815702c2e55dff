/* ob-vm-list-scan.c
 *
 * Strict JSON (RFC 8259) in one pass. Each VM's members are read into raw
 * values (kind and text), then turned into an ObVmWire by the same rules
 * ob-rest-json applies to tree nodes: null or a value of the wrong kind
 * counts as absent; booleans and numbers may be strings. Every decline
 * returns FALSE up the chain and the caller falls back to the tree.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ob-json-depth.h"
#include "ob-rest-json.h"
#include "ob-vm-json-private.h"
#include "ob-vm-list-scan.h"
#include "ob-wire-boolean.h"

typedef struct
{
  const guchar *p;
  const guchar *end;
  GString *text;   /* decoded strings of the VM being read, NUL-separated */
} Scan;

typedef enum
{
  RAW_ABSENT,
  RAW_NULL,
  RAW_STRING,
  RAW_INT,
  RAW_BOOL,
  RAW_OTHER,       /* object, array, or a number with a fraction */
} RawKind;

typedef struct
{
  RawKind kind;
  gsize text;      /* RAW_STRING: offset in Scan.text */
  gint64 integer;
  gboolean boolean;
} Raw;

/* Integers longer than this are declined: json-glib's own reading of them
 * (overflow, rounding) is not worth copying. */
#define SCAN_MAX_INT_DIGITS 18

static inline void
skip_ws (Scan *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t'))
    s->p++;
}

static inline gboolean
at (Scan  *s,
    guchar c)
{
  return s->p < s->end && *s->p == c;
}

static gboolean
eat (Scan  *s,
     guchar c)
{
  skip_ws (s);
  if (!at (s, c))
    return FALSE;
  s->p++;
  return TRUE;
}

static gboolean
read_hex4 (const guchar *p,
           const guchar *end,
           gunichar     *out)
{
  gunichar u = 0;

  if (end - p < 4)
    return FALSE;
  for (int i = 0; i < 4; i++)
    {
      int v = g_ascii_xdigit_value (p[i]);

      if (v < 0)
        return FALSE;
      u = u * 16 + (gunichar) v;
    }
  *out = u;
  return TRUE;
}

/* \uXXXX at @p (just after the backslash and 'u'), with its low surrogate
 * if it is a high one. Returns the position after it, or NULL. NUL and
 * lone surrogates are declined. */
static const guchar *
read_unicode_escape (const guchar *p,
                     const guchar *end,
                     gunichar     *out)
{
  gunichar u, low;

  if (!read_hex4 (p, end, &u) || u == 0 || (u >= 0xDC00 && u <= 0xDFFF))
    return NULL;
  p += 4;
  if (u >= 0xD800 && u <= 0xDBFF)
    {
      if (end - p < 6 || p[0] != '\\' || p[1] != 'u' || !read_hex4 (p + 2, end, &low) ||
          low < 0xDC00 || low > 0xDFFF)
        return NULL;
      p += 6;
      u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
    }
  *out = u;
  return p;
}

/* The string at s->p (its opening quote). With @text_out, its decoded
 * text is appended to s->text and its offset stored. */
static gboolean
scan_string (Scan  *s,
             gsize *text_out)
{
  const guchar *p = s->p + 1;
  gboolean keep = text_out != NULL;

  if (keep)
    *text_out = s->text->len;
  for (;;)
    {
      const guchar *run = p;
      gboolean high = FALSE;
      char c;

      while (p < s->end && *p >= 0x20 && *p != '"' && *p != '\\')
        {
          high |= *p >= 0x80;
          p++;
        }
      /* Runs end at ASCII, so no multi-byte character is cut. */
      if (high && !g_utf8_validate ((const char *) run, p - run, NULL))
        return FALSE;
      if (keep)
        g_string_append_len (s->text, (const char *) run, p - run);
      if (p >= s->end || *p < 0x20)
        return FALSE;
      if (*p == '"')
        {
          s->p = p + 1;
          if (keep)
            g_string_append_c (s->text, '\0');
          return TRUE;
        }
      if (++p >= s->end)
        return FALSE;
      switch (*p)
        {
        case '"':
        case '\\':
        case '/':
          c = (char) *p;
          break;
        case 'b':
          c = '\b';
          break;
        case 'f':
          c = '\f';
          break;
        case 'n':
          c = '\n';
          break;
        case 'r':
          c = '\r';
          break;
        case 't':
          c = '\t';
          break;
        case 'u':
          {
            gunichar u;
            char utf8[6];

            p = read_unicode_escape (p + 1, s->end, &u);
            if (p == NULL)
              return FALSE;
            if (keep)
              g_string_append_len (s->text, utf8, g_unichar_to_utf8 (u, utf8));
            continue;
          }
        default:
          return FALSE;
        }
      if (keep)
        g_string_append_c (s->text, c);
      p++;
    }
}

static gboolean
scan_number (Scan *s,
             Raw  *v)
{
  const guchar *p = s->p;
  gboolean negative = FALSE;
  gint64 value = 0;
  guint digits = 0;

  v->kind = RAW_INT;
  if (p < s->end && *p == '-')
    {
      negative = TRUE;
      p++;
    }
  if (p >= s->end || !g_ascii_isdigit (*p))
    return FALSE;
  if (*p == '0')
    {
      p++;
      if (p < s->end && g_ascii_isdigit (*p))
        return FALSE;
    }
  else
    while (p < s->end && g_ascii_isdigit (*p))
      {
        if (++digits > SCAN_MAX_INT_DIGITS)
          return FALSE;
        value = value * 10 + (*p++ - '0');
      }
  if (p < s->end && *p == '.')
    {
      p++;
      if (p >= s->end || !g_ascii_isdigit (*p))
        return FALSE;
      while (p < s->end && g_ascii_isdigit (*p))
        p++;
      v->kind = RAW_OTHER;
    }
  if (p < s->end && (*p == 'e' || *p == 'E'))
    return FALSE;
  v->integer = negative ? -value : value;
  s->p = p;
  return TRUE;
}

static gboolean
scan_word (Scan       *s,
           const char *word)
{
  gsize n = strlen (word);

  if ((gsize) (s->end - s->p) < n || memcmp (s->p, word, n) != 0)
    return FALSE;
  s->p += n;
  return TRUE;
}

static gboolean
scan_scalar (Scan *s,
             Raw  *v,
             gboolean keep)
{
  switch (*s->p)
    {
    case '"':
      v->kind = RAW_STRING;
      return scan_string (s, keep ? &v->text : NULL);
    case 't':
      v->kind = RAW_BOOL;
      v->boolean = TRUE;
      return scan_word (s, "true");
    case 'f':
      v->kind = RAW_BOOL;
      v->boolean = FALSE;
      return scan_word (s, "false");
    case 'n':
      v->kind = RAW_NULL;
      return scan_word (s, "null");
    default:
      return scan_number (s, v);
    }
}

/* The object or array at s->p, validated and passed over. Iterative: the
 * nesting is bounded by the depth check every body passed before. */
static gboolean
skip_container (Scan *s)
{
  guchar closers[OB_JSON_MAX_DEPTH];
  guint depth = 0;
  gboolean opened;
  Raw ignored;

  closers[depth++] = *s->p == '{' ? '}' : ']';
  s->p++;
  opened = TRUE;
  for (;;)
    {
      skip_ws (s);
      if (s->p >= s->end)
        return FALSE;
      if (opened && *s->p == closers[depth - 1])
        {
          s->p++;
          if (--depth == 0)
            return TRUE;
        }
      else
        {
          if (closers[depth - 1] == '}')
            {
              if (*s->p != '"' || !scan_string (s, NULL) || !eat (s, ':'))
                return FALSE;
              skip_ws (s);
              if (s->p >= s->end)
                return FALSE;
            }
          if (*s->p == '{' || *s->p == '[')
            {
              if (depth == G_N_ELEMENTS (closers))
                return FALSE;
              closers[depth++] = *s->p == '{' ? '}' : ']';
              s->p++;
              opened = TRUE;
              continue;
            }
          if (!scan_scalar (s, &ignored, FALSE))
            return FALSE;
        }
      /* After a value: a comma, or closers. */
      for (;;)
        {
          skip_ws (s);
          if (at (s, ','))
            {
              s->p++;
              opened = FALSE;
              break;
            }
          if (!at (s, closers[depth - 1]))
            return FALSE;
          s->p++;
          if (--depth == 0)
            return TRUE;
        }
    }
}

/* Any value; @v (may be NULL) gets its kind and, with @keep, its text. */
static gboolean
scan_value (Scan    *s,
            Raw     *v,
            gboolean keep)
{
  Raw ignored;

  if (v == NULL)
    v = &ignored;
  skip_ws (s);
  if (s->p >= s->end)
    return FALSE;
  if (*s->p == '{' || *s->p == '[')
    {
      v->kind = RAW_OTHER;
      return skip_container (s);
    }
  return scan_scalar (s, v, keep);
}

static gboolean
next_is_object (Scan *s)
{
  skip_ws (s);
  return at (s, '{');
}

/* Objects: @member is called with each name (unescaped: a name with an
 * escape is declined) and reads the value. */
typedef gboolean (*MemberFunc) (Scan         *s,
                                const guchar *name,
                                gsize         len,
                                gpointer      data);

static gboolean
scan_object (Scan       *s,
             MemberFunc  member,
             gpointer    data)
{
  if (!eat (s, '{'))
    return FALSE;
  skip_ws (s);
  if (at (s, '}'))
    {
      s->p++;
      return TRUE;
    }
  for (;;)
    {
      const guchar *name;
      gsize len;

      skip_ws (s);
      if (!at (s, '"'))
        return FALSE;
      name = s->p + 1;
      if (!scan_string (s, NULL))
        return FALSE;
      len = (gsize) (s->p - 1 - name);
      if (memchr (name, '\\', len) != NULL)
        return FALSE;
      if (!eat (s, ':') || !member (s, name, len, data))
        return FALSE;
      skip_ws (s);
      if (at (s, ','))
        {
          s->p++;
          continue;
        }
      return eat (s, '}');
    }
}

static inline gboolean
name_is (const guchar *name,
         gsize         len,
         const char   *want)
{
  return strlen (want) == len && memcmp (name, want, len) == 0;
}

/* Members that matter, each read once: a second one is declined (which
 * one json-glib keeps is its business). */
static inline gboolean
first_time (guint *seen,
            guint  bit)
{
  if (*seen & bit)
    return FALSE;
  *seen |= bit;
  return TRUE;
}

/* A small object of which one or two members matter: {"major": ...,
 * "minor": ...}, {"ballooning": ...}, {"architecture": ...}. */
typedef struct
{
  const char *names[2];   /* the second may be NULL */
  gboolean object;
  guint seen;
  Raw values[2];
} FieldsScan;

static gboolean
fields_member (Scan         *s,
               const guchar *name,
               gsize         len,
               gpointer      data)
{
  FieldsScan *f = data;

  for (guint i = 0; i < G_N_ELEMENTS (f->names) && f->names[i] != NULL; i++)
    if (name_is (name, len, f->names[i]))
      return first_time (&f->seen, 1u << i) && scan_value (s, &f->values[i], TRUE);
  return scan_value (s, NULL, FALSE);
}

/* Anything but an object reads as absent, as ob_rest_json_get_object()
 * has it. */
static gboolean
scan_fields (Scan       *s,
             FieldsScan *f)
{
  if (!next_is_object (s))
    return scan_value (s, NULL, FALSE);
  f->object = TRUE;
  return scan_object (s, fields_member, f);
}

typedef struct
{
  gboolean object;
  guint seen;
  Raw id;
  Raw name;
  FieldsScan version;
  FieldsScan cpu;
} ClusterScan;

enum
{
  CLUSTER_ID = 1 << 0,
  CLUSTER_NAME = 1 << 1,
  CLUSTER_VERSION = 1 << 2,
  CLUSTER_CPU = 1 << 3,
};

static gboolean
cluster_member (Scan         *s,
                const guchar *name,
                gsize         len,
                gpointer      data)
{
  ClusterScan *c = data;

  if (name_is (name, len, "id"))
    return first_time (&c->seen, CLUSTER_ID) && scan_value (s, &c->id, TRUE);
  if (name_is (name, len, "name"))
    return first_time (&c->seen, CLUSTER_NAME) && scan_value (s, &c->name, TRUE);
  if (name_is (name, len, "version"))
    return first_time (&c->seen, CLUSTER_VERSION) && scan_fields (s, &c->version);
  if (name_is (name, len, "cpu"))
    return first_time (&c->seen, CLUSTER_CPU) && scan_fields (s, &c->cpu);
  return scan_value (s, NULL, FALSE);
}

typedef struct
{
  guint seen;
  Raw id;
  Raw name;
  Raw description;
  Raw status;
  Raw memory;
  Raw next_run;
  Raw run_once;
  FieldsScan policy;
  FieldsScan custom;
  ClusterScan cluster;
} VmScan;

enum
{
  VM_ID = 1 << 0,
  VM_NAME = 1 << 1,
  VM_DESCRIPTION = 1 << 2,
  VM_STATUS = 1 << 3,
  VM_MEMORY = 1 << 4,
  VM_NEXT_RUN = 1 << 5,
  VM_POLICY = 1 << 6,
  VM_CUSTOM = 1 << 7,
  VM_CLUSTER = 1 << 8,
  VM_RUN_ONCE = 1 << 9,
};

static gboolean
vm_scalar (Scan  *s,
           guint *seen,
           guint  bit,
           Raw   *v)
{
  return first_time (seen, bit) && scan_value (s, v, TRUE);
}

static gboolean
vm_member (Scan         *s,
           const guchar *name,
           gsize         len,
           gpointer      data)
{
  VmScan *vm = data;

  if (name_is (name, len, "id"))
    return vm_scalar (s, &vm->seen, VM_ID, &vm->id);
  if (name_is (name, len, "name"))
    return vm_scalar (s, &vm->seen, VM_NAME, &vm->name);
  if (name_is (name, len, "description"))
    return vm_scalar (s, &vm->seen, VM_DESCRIPTION, &vm->description);
  if (name_is (name, len, "status"))
    return vm_scalar (s, &vm->seen, VM_STATUS, &vm->status);
  if (name_is (name, len, "memory"))
    return vm_scalar (s, &vm->seen, VM_MEMORY, &vm->memory);
  if (name_is (name, len, "next_run_configuration_exists"))
    return vm_scalar (s, &vm->seen, VM_NEXT_RUN, &vm->next_run);
  if (name_is (name, len, "run_once"))
    return vm_scalar (s, &vm->seen, VM_RUN_ONCE, &vm->run_once);
  if (name_is (name, len, "memory_policy"))
    return first_time (&vm->seen, VM_POLICY) && scan_fields (s, &vm->policy);
  if (name_is (name, len, "custom_compatibility_version"))
    return first_time (&vm->seen, VM_CUSTOM) && scan_fields (s, &vm->custom);
  if (name_is (name, len, "cluster"))
    {
      if (!first_time (&vm->seen, VM_CLUSTER))
        return FALSE;
      if (!next_is_object (s))
        return scan_value (s, NULL, FALSE);
      vm->cluster.object = TRUE;
      return scan_object (s, cluster_member, &vm->cluster);
    }
  return scan_value (s, NULL, FALSE);
}

/* The rules of ob-rest-json's getters, on raw values. */

static const char *
raw_string (Scan      *s,
            const Raw *v)
{
  return v->kind == RAW_STRING ? s->text->str + v->text : NULL;
}

static gboolean
raw_boolean (Scan      *s,
             const Raw *v,
             gboolean  *out)
{
  if (v->kind == RAW_BOOL)
    {
      *out = v->boolean;
      return TRUE;
    }
  if (v->kind == RAW_STRING)
    return ob_wire_boolean_parse (raw_string (s, v), out);
  return FALSE;
}

static gboolean
raw_uint64 (Scan      *s,
            const Raw *v,
            guint64   *out)
{
  if (v->kind == RAW_INT)
    {
      if (v->integer < 0)
        return FALSE;
      *out = (guint64) v->integer;
      return TRUE;
    }
  if (v->kind == RAW_STRING)
    return ob_rest_json_text_to_uint64 (raw_string (s, v), out);
  return FALSE;
}

static char *
version_text (Scan             *s,
              const FieldsScan *v)
{
  guint64 major, minor;

  if (!v->object || !raw_uint64 (s, &v->values[0], &major) || !raw_uint64 (s, &v->values[1], &minor))
    return NULL;
  return ob_rest_json_format_version (major, minor);
}

static ObVm *
scan_vm (Scan *s)
{
  VmScan vm = {
    .policy = { { "ballooning", NULL } },
    .custom = { { "major", "minor" } },
    .cluster = { .version = { { "major", "minor" } }, .cpu = { { "architecture", NULL } } },
  };
  ObVmWire wire = { NULL };
  g_autofree char *custom = NULL;
  g_autofree char *cluster_level = NULL;
  gboolean ballooning;

  g_string_truncate (s->text, 0);
  if (!scan_object (s, vm_member, &vm))
    return NULL;

  wire.id = raw_string (s, &vm.id);
  if (wire.id == NULL || *wire.id == '\0')
    return NULL;
  wire.name = raw_string (s, &vm.name);
  wire.description = raw_string (s, &vm.description);
  wire.status = raw_string (s, &vm.status);
  wire.has_memory = raw_uint64 (s, &vm.memory, &wire.memory);
  /* Absent (list responses without All-Content): unknown, never off. */
  if (!vm.policy.object || !raw_boolean (s, &vm.policy.values[0], &ballooning))
    wire.ballooning = OB_BALLOON_STATE_UNKNOWN;
  else
    wire.ballooning = ballooning ? OB_BALLOON_STATE_ON : OB_BALLOON_STATE_OFF;
  wire.has_next_run = raw_boolean (s, &vm.next_run, &wire.next_run);
  if (!raw_boolean (s, &vm.run_once, &wire.run_once))
    wire.run_once = FALSE;
  custom = version_text (s, &vm.custom);
  wire.custom_level = custom;
  if (vm.cluster.object)
    {
      wire.cluster_id = raw_string (s, &vm.cluster.id);
      wire.cluster_followed = (vm.cluster.seen & (CLUSTER_VERSION | CLUSTER_NAME)) != 0;
      wire.cluster_name = raw_string (s, &vm.cluster.name);
      cluster_level = version_text (s, &vm.cluster.version);
      wire.cluster_level = cluster_level;
      wire.cpu_arch = vm.cluster.cpu.object ? raw_string (s, &vm.cluster.cpu.values[0]) : NULL;
    }
  return ob_vm_json_build_vm (&wire);
}

static gboolean
scan_vm_array (Scan      *s,
               GPtrArray *vms)
{
  if (!eat (s, '['))
    return FALSE;
  skip_ws (s);
  if (at (s, ']'))
    {
      s->p++;
      return TRUE;
    }
  for (;;)
    {
      ObVm *vm;

      if (!next_is_object (s) || (vm = scan_vm (s)) == NULL)
        return FALSE;
      g_ptr_array_add (vms, vm);
      skip_ws (s);
      if (at (s, ','))
        {
          s->p++;
          continue;
        }
      return eat (s, ']');
    }
}

typedef struct
{
  gboolean seen_vm;
  GPtrArray *vms;
} RootScan;

static gboolean
root_member (Scan         *s,
             const guchar *name,
             gsize         len,
             gpointer      data)
{
  RootScan *root = data;

  if (!name_is (name, len, "vm"))
    return scan_value (s, NULL, FALSE);
  if (root->seen_vm)
    return FALSE;
  root->seen_vm = TRUE;
  /* Anything but an array (null, a fault...) is the tree reader's case. */
  skip_ws (s);
  return at (s, '[') && scan_vm_array (s, root->vms);
}

GPtrArray *
ob_vm_list_scan (const char *data,
                 gsize       length)
{
  Scan s = { (const guchar *) data, (const guchar *) data + length, g_string_sized_new (512) };
  RootScan root = { FALSE, g_ptr_array_new_with_free_func (g_object_unref) };
  gboolean ok;

  ok = scan_object (&s, root_member, &root);
  if (ok)
    {
      skip_ws (&s);
      /* No "vm" at all: `{}` or a fault, the tree reader's too. */
      ok = root.seen_vm && s.p == s.end;
    }
  g_string_free (s.text, TRUE);
  if (!ok)
    g_clear_pointer (&root.vms, g_ptr_array_unref);
  return root.vms;
}
