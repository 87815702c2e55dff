/* ob-ovf-engine-xml.c: the hosted engine's libvirt XML in <EngineXml>.
 *
 * Hosted-engine OVF_STORE files carry the engine VM's libvirt domain XML as
 * the escaped text of <EngineXml>, and ovirt-hosted-engine-ha starts the VM
 * from it. Its <memballoon> must say what the OVF says. The text is decoded
 * with a map from each decoded byte back to the raw bytes it came from, so
 * an edit splices the raw text and keeps its escaping (&lt;, CDATA, &#10;).
 *
 * libvirt's rule for QEMU domains: a domain without <memballoon> gets a
 * virtio balloon. So an absent element is on; turning it off inserts
 * <memballoon model="none"/> in <devices>, written like its siblings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ob-error.h"
#include "ob-ovf-private.h"

#define ENGINE_XML_MAX (1024 * 1024)

/* The decoded text, and for each of its bytes the raw range it came from. */
typedef struct
{
  GString *text;
  GArray *from;   /* of gsize */
  GArray *to;     /* of gsize */
} Decoded;

static void
decoded_clear (Decoded *d)
{
  g_string_free (d->text, TRUE);
  g_array_unref (d->from);
  g_array_unref (d->to);
}

#define RAW_FROM(d, i) g_array_index ((d)->from, gsize, (i))
#define RAW_TO(d, i)   g_array_index ((d)->to, gsize, (i))

static void
push (Decoded    *d,
      const char *bytes,
      gsize       len,
      gsize       raw_from,
      gsize       raw_to)
{
  g_string_append_len (d->text, bytes, len);
  for (gsize i = 0; i < len; i++)
    {
      g_array_append_val (d->from, raw_from);
      g_array_append_val (d->to, raw_to);
    }
}

/* One character or entity reference at @p (before @end); the offset after
 * it, or 0 when it is not one XML allows in text. */
static gsize
decode_reference (const char *buf,
                  gsize       p,
                  gsize       end,
                  Decoded    *d)
{
  static const struct { const char *name; char c; } named[] = {
    { "lt", '<' }, { "gt", '>' }, { "amp", '&' }, { "quot", '"' }, { "apos", '\'' },
  };
  gsize semi;
  char utf8[6];
  gunichar c;

  for (semi = p + 1; semi < end && semi - p <= 10 && buf[semi] != ';'; semi++)
    ;
  if (semi >= end || buf[semi] != ';' || semi == p + 1)
    return 0;
  for (guint i = 0; i < G_N_ELEMENTS (named); i++)
    if (semi - p - 1 == strlen (named[i].name) && memcmp (buf + p + 1, named[i].name, semi - p - 1) == 0)
      {
        push (d, &named[i].c, 1, p, semi + 1);
        return semi + 1;
      }
  if (buf[p + 1] != '#')
    return 0;
  {
    g_autofree char *digits = g_strndup (buf + p + 2, semi - p - 2);
    gboolean hex = digits[0] == 'x';
    char *tail = NULL;
    guint64 v = g_ascii_strtoull (digits + (hex ? 1 : 0), &tail, hex ? 16 : 10);

    if (tail == digits + (hex ? 1 : 0) || *tail != '\0' || v == 0 || v > 0x10FFFF)
      return 0;
    c = (gunichar) v;
  }
  if (!g_unichar_validate (c))
    return 0;
  push (d, utf8, g_unichar_to_utf8 (c, utf8), p, semi + 1);
  return semi + 1;
}

/* The text of [from, to): references decoded, CDATA kept, comments
 * dropped. FALSE with *problem when it holds markup of the OVF itself. */
static gboolean
decode (const char  *buf,
        gsize        from,
        gsize        to,
        Decoded     *d,
        char       **problem)
{
  gsize p = from;

  while (p < to)
    {
      if (buf[p] == '&')
        {
          gsize next = decode_reference (buf, p, to, d);

          if (next == 0)
            {
              *problem = g_strdup (_("its text holds an entity reference that is not XML's"));
              return FALSE;
            }
          p = next;
        }
      else if (buf[p] == '<' && to - p >= 9 && memcmp (buf + p, "<![CDATA[", 9) == 0)
        {
          gssize close = ob_ovf_find_str (buf, to, p + 9, "]]>");

          if (close < 0)
            break;
          for (gsize i = p + 9; i < (gsize) close; i++)
            push (d, buf + i, 1, i, i + 1);
          p = close + 3;
        }
      else if (buf[p] == '<' && to - p >= 4 && memcmp (buf + p, "<!--", 4) == 0)
        {
          gssize close = ob_ovf_find_str (buf, to, p + 4, "-->");

          if (close < 0)
            break;
          p = close + 3;
        }
      else if (buf[p] == '<')
        {
          *problem = g_strdup (_("it holds elements instead of the escaped text of a libvirt domain"));
          return FALSE;
        }
      else
        {
          push (d, buf + p, 1, p, p + 1);
          p++;
        }
    }
  return TRUE;
}

/* What a walk over the decoded domain found. */
typedef struct
{
  gboolean root;
  gboolean devices;
  gboolean devices_done;
  gsize devices_lt;       /* '<' of <devices> */
  gsize devices_gt;       /* its '>' */
  gsize devices_slash;    /* the '/' of <devices/>, or 0 */
  gsize devices_etag;     /* '<' of </devices> */
  gboolean has_child;
  gsize sibling_end;      /* just after <devices> or its last child so far */
  gsize lead_from;        /* the text before the last child of <devices> */
  gsize child_lt;
  gsize child_end;        /* just after the last child */
  guint balloons;
  gboolean has_model;
  gsize model_from;
  gsize model_to;
  gboolean empty_tags;    /* some element is written <x/> */
  gboolean has_quote;
  gsize quote;            /* an attribute's opening quote, before </devices> */
} Walk;

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static gboolean
name_is (const char *s,
         gsize       len,
         const char *name)
{
  return len == strlen (name) && memcmp (s, name, len) == 0;
}

/* A start tag at @p ('<'); the offset after it, or 0 when malformed.
 * @depth is the number of open elements before it. */
static gsize
walk_start_tag (const char *t,
                gsize       n,
                gsize       p,
                guint       depth,
                GArray     *stack,
                Walk       *w)
{
  gsize name = p + 1;
  gsize q = name;
  gsize name_end;
  gboolean in_devices = w->devices && !w->devices_done && depth == 2;
  gboolean balloon;

  while (q < n && !is_space (t[q]) && t[q] != '/' && t[q] != '>')
    q++;
  if (q == name || q >= n)
    return 0;
  name_end = q;
  balloon = in_devices && name_is (t + name, q - name, "memballoon");
  if (depth == 0)
    w->root = name_is (t + name, q - name, "domain");
  if (depth == 1 && !w->devices && name_is (t + name, q - name, "devices"))
    {
      w->devices = TRUE;
      w->devices_lt = p;
    }
  if (in_devices)
    {
      w->has_child = TRUE;
      w->lead_from = w->sibling_end;
      w->child_lt = p;
    }
  if (balloon)
    w->balloons++;

  for (;;)
    {
      gsize an, av;
      char quote;

      while (q < n && is_space (t[q]))
        q++;
      if (q >= n)
        return 0;
      if (t[q] == '>' || (t[q] == '/' && q + 1 < n && t[q + 1] == '>'))
        break;
      an = q;
      while (q < n && !is_space (t[q]) && t[q] != '=' && t[q] != '>' && t[q] != '/')
        q++;
      if (q == an)
        return 0;
      av = q;
      while (q < n && is_space (t[q]))
        q++;
      if (q >= n || t[q] != '=')
        return 0;
      q++;
      while (q < n && is_space (t[q]))
        q++;
      if (q >= n || (t[q] != '"' && t[q] != '\''))
        return 0;
      quote = t[q];
      if (!w->devices_done)
        {
          w->has_quote = TRUE;
          w->quote = q;
        }
      q++;
      if (balloon && w->balloons == 1 && name_is (t + an, av - an, "model"))
        {
          w->has_model = TRUE;
          w->model_from = q;
        }
      while (q < n && t[q] != quote && t[q] != '<')
        q++;
      if (q >= n || t[q] != quote)
        return 0;
      if (balloon && w->balloons == 1 && w->has_model && w->model_to == 0)
        w->model_to = q;
      q++;
    }

  if (t[q] == '/')
    {
      w->empty_tags = TRUE;
      if (depth == 1 && w->devices && w->devices_lt == p)
        {
          w->devices_slash = q;
          w->devices_gt = q + 1;
          w->devices_etag = p;
          w->devices_done = TRUE;
        }
      if (in_devices)
        w->child_end = w->sibling_end = q + 2;
      return q + 2;
    }
  if (depth == 1 && w->devices && w->devices_lt == p)
    {
      w->devices_gt = q;
      w->sibling_end = q + 1;
    }
  {
    gsize open[2] = { name, name_end - name };

    g_array_append_vals (stack, open, 2);
  }
  return q + 1;
}

/* Walks the decoded domain; FALSE with *problem when it is not well-formed
 * enough to tell where its devices are. */
static gboolean
walk (const char  *t,
      gsize        n,
      Walk        *w,
      char       **problem)
{
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (gsize));
  gsize p = 0;
  gboolean seen_root = FALSE;

  memset (w, 0, sizeof *w);
  while (p < n)
    {
      const char *close = NULL;
      guint depth = stack->len / 2;

      if (t[p] != '<')
        {
          if (depth == 0 && !is_space (t[p]))
            break;
          p++;
          continue;
        }
      if (g_str_has_prefix (t + p, "<!--"))
        close = "-->";
      else if (g_str_has_prefix (t + p, "<![CDATA["))
        close = "]]>";
      else if (g_str_has_prefix (t + p, "<?"))
        close = "?>";
      else if (g_str_has_prefix (t + p, "<!"))
        break;  /* a DOCTYPE: libvirt never writes one */
      if (close != NULL)
        {
          const char *end = strstr (t + p, close);

          if (end == NULL)
            break;
          p = end - t + strlen (close);
          continue;
        }
      if (t[p + 1] == '/')
        {
          gsize name = p + 2, q = name;
          gsize open_name, open_len;

          while (q < n && !is_space (t[q]) && t[q] != '>')
            q++;
          if (depth == 0)
            break;
          open_name = g_array_index (stack, gsize, stack->len - 2);
          open_len = g_array_index (stack, gsize, stack->len - 1);
          if (q - name != open_len || memcmp (t + name, t + open_name, open_len) != 0)
            break;
          while (q < n && is_space (t[q]))
            q++;
          if (q >= n || t[q] != '>')
            break;
          g_array_set_size (stack, stack->len - 2);
          if (depth == 3 && w->devices && !w->devices_done)
            w->child_end = w->sibling_end = q + 1;
          if (depth == 2 && w->devices && !w->devices_done)
            {
              w->devices_etag = p;
              w->devices_done = TRUE;
            }
          p = q + 1;
          if (stack->len == 0)
            seen_root = TRUE;
          continue;
        }
      if (seen_root)
        break;
      p = walk_start_tag (t, n, p, depth, stack, w);
      if (p == 0)
        break;
      if (stack->len == 0)
        seen_root = TRUE;
    }
  if (p < n || stack->len != 0 || !seen_root)
    {
      *problem = g_strdup (_("its libvirt XML is not well-formed"));
      return FALSE;
    }
  return TRUE;
}

/* The raw bytes of decoded [from, to). */
static void
append_raw (GString       *out,
            const char    *buf,
            const Decoded *d,
            gsize          from,
            gsize          to)
{
  gsize last = G_MAXSIZE;

  for (gsize i = from; i < to; i++)
    {
      /* The bytes of one multi-byte reference share their raw range. */
      if (RAW_FROM (d, i) == last)
        continue;
      last = RAW_FROM (d, i);
      g_string_append_len (out, buf + RAW_FROM (d, i), RAW_TO (d, i) - RAW_FROM (d, i));
    }
}

/* @text (markup, ASCII) written the way the raw text writes the '<' at
 * decoded @lt, the '>' at @gt and the quote at @quote. */
static void
append_encoded (GString       *out,
                const char    *buf,
                const Decoded *d,
                const char    *text,
                gsize          lt,
                gsize          gt,
                const Walk    *w)
{
  for (const char *c = text; *c != '\0'; c++)
    {
      if (*c == '<')
        append_raw (out, buf, d, lt, lt + 1);
      else if (*c == '>')
        append_raw (out, buf, d, gt, gt + 1);
      else if ((*c == '"' || *c == '\'') && w->has_quote)
        append_raw (out, buf, d, w->quote, w->quote + 1);
      else
        g_string_append_c (out, *c);
    }
}

/* Where and what to insert to turn the balloon off: <memballoon
 * model="none"/> after the last device, on a line of its own when the
 * devices are on lines of their own. */
static void
plan_insert (const char    *buf,
             const Decoded *d,
             const Walk    *w,
             ObOvfAnalysis *a)
{
  const char *t = d->text->str;
  GString *out = g_string_new (NULL);
  char q = w->has_quote ? t[w->quote] : '"';
  g_autofree char *element = g_strdup_printf (w->empty_tags ? "<memballoon model=%cnone%c/>"
                                                            : "<memballoon model=%cnone%c></memballoon>", q, q);

  if (w->devices_slash != 0)
    {
      /* <devices/> becomes <devices><memballoon .../></devices>. */
      g_autofree char *text = g_strdup_printf (">%s</devices>", element);

      append_encoded (out, buf, d, text, w->devices_lt, w->devices_gt, w);
      a->engine_xml_insert_at = RAW_FROM (d, w->devices_slash);
      a->engine_xml_insert_end = RAW_TO (d, w->devices_gt);
    }
  else if (w->has_child)
    {
      gboolean blank = TRUE;

      for (gsize i = w->lead_from; i < w->child_lt; i++)
        blank = blank && is_space (t[i]);
      if (blank)
        append_raw (out, buf, d, w->lead_from, w->child_lt);
      append_encoded (out, buf, d, element, w->child_lt, w->child_end - 1, w);
      a->engine_xml_insert_at = a->engine_xml_insert_end = RAW_TO (d, w->child_end - 1);
    }
  else
    {
      append_encoded (out, buf, d, element, w->devices_etag, w->devices_gt, w);
      a->engine_xml_insert_at = a->engine_xml_insert_end = RAW_FROM (d, w->devices_etag);
    }
  a->engine_xml_insert = g_string_free (out, FALSE);
}

static void
unusable (ObOvfAnalysis *a,
          char          *problem)
{
  a->engine_xml_state = OB_OVF_ENGINE_XML_UNUSABLE;
  a->engine_xml_problem = problem;
}

void
ob_ovf_engine_xml_read (const char    *buf,
                        gsize          from,
                        gsize          to,
                        const char    *display,
                        gboolean       check,
                        ObOvfAnalysis *a)
{
  Decoded d = { g_string_new (NULL), g_array_new (FALSE, FALSE, sizeof (gsize)),
                g_array_new (FALSE, FALSE, sizeof (gsize)) };
  char *problem = NULL;
  gboolean blank = TRUE;
  Walk w;

  /* The byte map costs 16 bytes a byte; real ones are a few KiB. */
  if (to - from > ENGINE_XML_MAX)
    {
      unusable (a, g_strdup_printf (_("its text is over %d MiB, far more than any libvirt domain"),
                                    ENGINE_XML_MAX / (1024 * 1024)));
      goto out;
    }
  if (!decode (buf, from, to, &d, &problem))
    {
      unusable (a, problem);
      goto out;
    }
  for (gsize i = 0; i < d.text->len; i++)
    blank = blank && is_space (d.text->str[i]);
  if (blank)
    {
      /* Nothing to keep in step: hosted-engine-ha then uses the OVF. */
      a->engine_xml_state = OB_OVF_ENGINE_XML_NONE;
      goto out;
    }
  if (check)
    {
      g_autofree char *where = g_strdup_printf ("%s, <EngineXml>", display);
      g_autoptr(GError) local_error = NULL;
      g_autoptr(ObOvfXmlView) view = ob_ovf_check_xml (d.text->str, d.text->len, where, &local_error);

      if (view == NULL)
        {
          unusable (a, g_strdup_printf (_("its libvirt XML is not well-formed (%s)"), local_error->message));
          goto out;
        }
    }
  if (!walk (d.text->str, d.text->len, &w, &problem))
    unusable (a, problem);
  else if (!w.root)
    unusable (a, g_strdup (_("its XML is not a libvirt <domain>")));
  else if (!w.devices)
    unusable (a, g_strdup (_("its libvirt <domain> has no <devices>, so where a balloon goes is unknown")));
  else if (w.balloons > 1)
    unusable (a, g_strdup (_("its libvirt <devices> hold more than one <memballoon>")));
  else if (w.balloons == 1 && (!w.has_model || w.model_to == 0))
    unusable (a, g_strdup (_("its <memballoon> has no model")));
  else if (w.balloons == 1)
    {
      a->engine_xml_state = OB_OVF_ENGINE_XML_SET;
      a->engine_xml_model = g_strndup (d.text->str + w.model_from, w.model_to - w.model_from);
      a->engine_xml_model_start = RAW_FROM (&d, w.model_from);
      /* The closing quote's raw start: right for an empty value too. */
      a->engine_xml_model_end = RAW_FROM (&d, w.model_to);
    }
  else
    {
      a->engine_xml_state = OB_OVF_ENGINE_XML_ABSENT;
      plan_insert (buf, &d, &w, a);
    }
out:
  decoded_clear (&d);
}

gboolean
ob_ovf_engine_xml_is_on (const ObOvfAnalysis *a)
{
  return a->engine_xml_state == OB_OVF_ENGINE_XML_ABSENT ||
         (a->engine_xml_state == OB_OVF_ENGINE_XML_SET && strcmp (a->engine_xml_model, "none") != 0);
}

GBytes *
ob_ovf_edit_engine_xml (GBytes              *bytes,
                        const ObOvfAnalysis *a,
                        gboolean             enabled)
{
  if (a->engine_xml_state == OB_OVF_ENGINE_XML_ABSENT)
    {
      g_return_val_if_fail (!enabled, NULL);
      return ob_ovf_splice (bytes, a->engine_xml_insert_at, a->engine_xml_insert_end, a->engine_xml_insert);
    }
  g_return_val_if_fail (a->engine_xml_state == OB_OVF_ENGINE_XML_SET, NULL);
  return ob_ovf_splice (bytes, a->engine_xml_model_start, a->engine_xml_model_end, enabled ? "virtio" : "none");
}

char *
ob_ovf_document_dup_engine_xml_summary (ObOvfDocument *self)
{
  switch (ob_ovf_document_get_engine_xml_state (self))
    {
    case OB_OVF_ENGINE_XML_SET:
      return g_strdup_printf (_("model %s"), ob_ovf_document_get_engine_xml_balloon (self));
    case OB_OVF_ENGINE_XML_ABSENT:
      return g_strdup (_("absent (libvirt default: virtio)"));
    case OB_OVF_ENGINE_XML_UNUSABLE:
      return g_strdup_printf (_("unusable: %s; balloon edits are refused"),
                              ob_ovf_document_get_engine_xml_problem (self));
    case OB_OVF_ENGINE_XML_NONE:
    default:
      return NULL;
    }
}
