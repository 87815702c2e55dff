/* test-ovf-document.c: reading, surgical editing and atomic saving of OVF
 * documents (ObOvfDocument, ObAtomicFile)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>

#include <glib/gstdio.h>

#include "ob-atomic-file.h"
#include "ob-error.h"
#include "ovf-test-util.h"
#include "ob-ovf-document.h"
#include "ob-test-tmpdir.h"

/* ---- helpers --------------------------------------------------------- */

static char *
upstream_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "upstream", name, NULL);
}

static char *
copy_to (const char *dir,
         const char *source,
         const char *name)
{
  g_autoptr(GBytes) bytes = ovf_test_read_bytes (source);
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  return ovf_test_write_temp (dir, name, data, len);
}

static ObOvfDocument *
load_path (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  ObOvfDocument *doc = ob_ovf_document_load (file, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (doc);
  return doc;
}

static ObOvfDocument *
doc_from_string (const char *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  ObOvfDocument *doc = ob_ovf_document_new_from_bytes (bytes, "test.ovf", &error);

  g_assert_no_error (error);
  g_assert_nonnull (doc);
  return doc;
}

static char *
doc_text (ObOvfDocument *doc)
{
  g_autoptr(GBytes) bytes = ob_ovf_document_get_ovf_bytes (doc);
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  return g_strndup (data, len);
}

/* The output must parse again with the full checks. */
static void
assert_reparses (ObOvfDocument *doc)
{
  g_autoptr(GBytes) bytes = ob_ovf_document_get_ovf_bytes (doc);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObOvfDocument) again = ob_ovf_document_new_from_bytes (bytes, "again", &error);

  g_assert_no_error (error);
  g_assert_cmpint (ob_ovf_document_get_balloon_enabled (again), ==, ob_ovf_document_get_balloon_enabled (doc));
  g_assert_cmpint (ob_ovf_document_get_balloon_source (again), ==, ob_ovf_document_get_balloon_source (doc));
  g_assert_cmpint (ob_ovf_document_get_device_present (again), ==, ob_ovf_document_get_device_present (doc));
}

/* The balloon Item of @text with its leading line break and indentation:
 * [*from, *to). */
static gboolean
find_balloon_item (const char *text,
                   gsize      *from,
                   gsize      *to)
{
  const char *type = strstr (text, "<Type>balloon</Type>");
  const char *start, *end;

  if (type == NULL)
    return FALSE;
  start = type;
  while (start > text && strncmp (start, "<Item>", 6) != 0)
    start--;
  end = strstr (type, "</Item>");
  g_assert_nonnull (end);
  end += strlen ("</Item>");
  while (start > text && (start[-1] == ' ' || start[-1] == '\t'))
    start--;
  if (start > text && start[-1] == '\n')
    start--;
  *from = start - text;
  *to = end - text;
  return TRUE;
}

static char *
without_range (const char *text,
               gsize       from,
               gsize       to)
{
  GString *s = g_string_new_len (text, from);

  g_string_append (s, text + to);
  return g_string_free (s, FALSE);
}

/* ---- reading the fixtures (agrees with tests/data/PROVENANCE.md) ------ */

typedef struct
{
  const char *file;
  const char *name;
  const char *level;          /* major.minor, NULL when unknown */
  gboolean from_cluster;
  gboolean enabled;
  ObOvfBalloonSource source;
  gboolean device;
} Expectation;

static const Expectation fixtures[] = {
  { "ovirt-engine_vmOvfData.ovf.xml", "exporttedVM", "3.3", FALSE, TRUE, OB_OVF_BALLOON_SOURCE_DEVICE, TRUE },
  { "ovirt-engine_vmOvfData2.ovf.xml", "sevenofnine", "0.9", FALSE, FALSE, OB_OVF_BALLOON_SOURCE_ABSENT, FALSE },
  { "hosted-engine-ha_ovf_test_v4.2.ovf.xml", "HostedEngine", "4.2", TRUE, FALSE, OB_OVF_BALLOON_SOURCE_ABSENT, FALSE },
  { "virt-v2v_test-o-ovirt.ovf.expected", "windows", "0.9", FALSE, TRUE, OB_OVF_BALLOON_SOURCE_DEVICE, TRUE },
  /* A VirtualSystem (OVA flavour): its ovf:version "0.9" is no cluster level. */
  { "virt-v2v_test-o-vdsm-options.ovf.expected", "windows", NULL, FALSE, TRUE, OB_OVF_BALLOON_SOURCE_DEVICE, TRUE },
  { "../flag-era-4.5.ovf", "flagvm", "4.7", TRUE, FALSE, OB_OVF_BALLOON_SOURCE_ELEMENT, TRUE },
};

static void
assert_expectation (ObOvfDocument     *doc,
                    const Expectation *e)
{
  const ObCompatVersion *level = ob_ovf_document_get_compat_level (doc);
  g_autofree char *level_text = level ? ob_compat_version_to_string (level) : NULL;

  g_assert_cmpstr (ob_ovf_document_get_name (doc), ==, e->name);
  g_assert_cmpstr (level_text, ==, e->level);
  g_assert_cmpint (ob_ovf_document_get_compat_level_from_cluster (doc), ==, e->from_cluster);
  g_assert_cmpint (ob_ovf_document_get_balloon_enabled (doc), ==, e->enabled);
  g_assert_cmpint (ob_ovf_document_get_balloon_source (doc), ==, e->source);
  g_assert_cmpint (ob_ovf_document_get_device_present (doc), ==, e->device);
  g_assert_false (ob_ovf_document_get_modified (doc));
}

static void
test_fixture_show (gconstpointer data)
{
  const Expectation *e = data;
  g_autofree char *path = upstream_path (e->file);
  g_autoptr(ObOvfDocument) doc = load_path (path);

  g_assert_cmpint (ob_ovf_document_get_format (doc), ==, OB_OVF_FORMAT_OVF);
  g_assert_null (ob_ovf_document_get_ova_member (doc));
  assert_expectation (doc, e);
}

/* on -> off -> on and off -> on -> off, with --force semantics where the
 * level is below 3.1; every intermediate output parses again. */
static void
test_fixture_round_trip (gconstpointer data)
{
  const Expectation *e = data;
  g_autofree char *path = upstream_path (e->file);
  g_autoptr(ObOvfDocument) doc = load_path (path);
  g_autofree char *original = doc_text (doc);
  g_autoptr(GError) error = NULL;
  gboolean start = e->enabled;
  int i;

  for (i = 1; i <= 3; i++)
    {
      gboolean want = (i % 2 == 1) ? !start : start;

      g_assert_true (ob_ovf_document_set_balloon_enabled (doc, want, TRUE, &error));
      g_assert_no_error (error);
      g_assert_cmpint (ob_ovf_document_get_balloon_enabled (doc), ==, want);
      assert_reparses (doc);
      if (e->source == OB_OVF_BALLOON_SOURCE_ELEMENT)
        {
          g_assert_cmpint (ob_ovf_document_get_balloon_source (doc), ==, OB_OVF_BALLOON_SOURCE_ELEMENT);
          g_assert_true (ob_ovf_document_get_device_present (doc));
        }
      else
        {
          g_assert_cmpint (ob_ovf_document_get_device_present (doc), ==, want);
          g_assert_cmpint (ob_ovf_document_get_balloon_source (doc), ==,
                           want ? OB_OVF_BALLOON_SOURCE_DEVICE : OB_OVF_BALLOON_SOURCE_ABSENT);
        }
      /* An odd number of flips always differs from the original. */
      if (i % 2 == 1)
        g_assert_true (ob_ovf_document_get_modified (doc));
    }

  /* Back to the start: for an OVF without the Item (or the flag era),
   * add-then-remove gives the original bytes back exactly. */
  g_assert_true (ob_ovf_document_set_balloon_enabled (doc, start, TRUE, &error));
  if (!start || e->source == OB_OVF_BALLOON_SOURCE_ELEMENT)
    {
      g_autofree char *text = doc_text (doc);

      g_assert_cmpstr (text, ==, original);
      g_assert_false (ob_ovf_document_get_modified (doc));
    }
}

/* Removing the Item removes exactly its bytes and its own line break;
 * adding inserts exactly one Item, in the engine's child order, indented
 * like its neighbours. */
static void
test_fixture_surgical (gconstpointer data)
{
  const Expectation *e = data;
  g_autofree char *path = upstream_path (e->file);
  g_autoptr(ObOvfDocument) doc = load_path (path);
  g_autofree char *original = doc_text (doc);
  g_autoptr(GError) error = NULL;
  g_autofree char *edited = NULL;
  g_autofree char *rest = NULL;
  gsize from, to;

  g_assert_true (ob_ovf_document_set_balloon_enabled (doc, !e->enabled, TRUE, &error));
  g_assert_no_error (error);
  edited = doc_text (doc);

  if (e->enabled)
    {
      g_assert_true (find_balloon_item (original, &from, &to));
      rest = without_range (original, from, to);
      g_assert_cmpstr (edited, ==, rest);
    }
  else
    {
      const char *order[] = { "ResourceType>0<", "InstanceId>", "<Type>balloon</Type>",
                              "<Device>memballoon</Device>", "Address", "<BootOrder>0</BootOrder>",
                              "<IsPlugged>true</IsPlugged>", "<IsReadOnly>true</IsReadOnly>", "Alias",
                              "<SpecParams>", "<model>virtio</model>", "</SpecParams>", "</Item>" };
      g_autofree char *item = NULL;
      const char *p;
      guint i;

      g_assert_true (find_balloon_item (edited, &from, &to));
      rest = without_range (edited, from, to);
      if (ob_ovf_document_get_engine_xml_balloon (doc) != NULL)
        {
          /* The hosted engine's libvirt XML follows: none becomes virtio. */
          g_autofree char *engine = NULL;
          char *model = strstr (rest, "&lt;memballoon model=\"virtio\"");

          g_assert_nonnull (model);
          g_assert_cmpstr (ob_ovf_document_get_engine_xml_balloon (doc), ==, "virtio");
          engine = g_strdup_printf ("%.*s&lt;memballoon model=\"none\"%s", (int) (model - rest), rest,
                                    model + strlen ("&lt;memballoon model=\"virtio\""));
          g_free (rest);
          rest = g_steal_pointer (&engine);
        }
      g_assert_cmpstr (rest, ==, original);

      item = g_strndup (edited + from, to - from);
      p = item;
      for (i = 0; i < G_N_ELEMENTS (order); i++)
        {
          const char *next = strstr (p, order[i]);

          g_assert_nonnull (next);
          p = next + 1;
        }
      /* Same indentation as the Item before it (none in one-line files). */
      if (strchr (original, '\n') != NULL && strstr (original, "\n<Item>") == NULL)
        {
          const char *prev = g_strrstr_len (edited, from, "<Item>");
          gsize indent = 0;

          g_assert_nonnull (prev);
          while (prev - indent > edited && prev[-(gssize) indent - 1] == ' ')
            indent++;
          g_assert_cmpint (item[0], ==, '\n');
          g_assert_cmpuint (strspn (item + 1, " "), ==, indent);
        }
      else
        g_assert_null (strchr (item, '\n'));
    }
}

/* ---- flag era ---------------------------------------------------------- */

static char *
flag_era_text (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "flag-era-4.5.ovf", NULL);
  g_autoptr(GBytes) bytes = ovf_test_read_bytes (path);
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  return g_strndup (data, len);
}

static char *
replace (const char *text,
         const char *old,
         const char *new)
{
  g_auto(GStrv) parts = g_strsplit (text, old, -1);

  g_assert_cmpuint (g_strv_length (parts), >=, 2);
  return g_strjoinv (new, parts);
}

static void
test_flag_era_toggle (void)
{
  g_autofree char *text = flag_era_text ();
  g_autoptr(ObOvfDocument) doc = doc_from_string (text);
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = replace (text, "<BalloonEnabled>false</BalloonEnabled>",
                                       "<BalloonEnabled>true</BalloonEnabled>");
  g_autofree char *edited = NULL;

  g_assert_true (ob_ovf_document_set_balloon_enabled (doc, TRUE, FALSE, &error));
  g_assert_no_error (error);
  edited = doc_text (doc);
  /* Only the element's text changed; the Item stays. */
  g_assert_cmpstr (edited, ==, expected);
  g_assert_true (ob_ovf_document_get_balloon_enabled (doc));
  g_assert_cmpint (ob_ovf_document_get_balloon_source (doc), ==, OB_OVF_BALLOON_SOURCE_ELEMENT);
  g_assert_true (ob_ovf_document_get_device_present (doc));
}

static void
test_flag_era_adds_missing_item (void)
{
  g_autofree char *text = flag_era_text ();
  g_autoptr(ObOvfDocument) full G_GNUC_UNUSED = doc_from_string (text);
  g_autoptr(GError) error = NULL;
  g_autofree char *no_item = NULL;
  g_autoptr(ObOvfDocument) doc = NULL;
  g_autofree char *edited = NULL;
  g_autofree char *rest = NULL;
  gsize from, to;

  /* The flag without the device: remove the Item from the text. */
  g_assert_true (find_balloon_item (text, &from, &to));
  no_item = without_range (text, from, to);
  doc = doc_from_string (no_item);
  g_assert_false (ob_ovf_document_get_device_present (doc));
  g_assert_false (ob_ovf_document_get_balloon_enabled (doc));

  /* Disabling an already disabled flag-era VM still adds the device. */
  g_assert_true (ob_ovf_document_set_balloon_enabled (doc, FALSE, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (ob_ovf_document_get_device_present (doc));
  g_assert_false (ob_ovf_document_get_balloon_enabled (doc));
  g_assert_true (ob_ovf_document_get_modified (doc));
  edited = doc_text (doc);
  g_assert_true (find_balloon_item (edited, &from, &to));
  rest = without_range (edited, from, to);
  g_assert_cmpstr (rest, ==, no_item);
  assert_reparses (doc);
}

static void
test_flag_era_values (void)
{
  g_autofree char *text = flag_era_text ();
  struct { const char *element; gboolean enabled; } cases[] = {
    { "<BalloonEnabled>true</BalloonEnabled>", TRUE },
    { "<BalloonEnabled>TRUE</BalloonEnabled>", TRUE },
    { "<BalloonEnabled>True</BalloonEnabled>", TRUE },
    { "<BalloonEnabled>yes</BalloonEnabled>", FALSE },
    { "<BalloonEnabled>1</BalloonEnabled>", FALSE },
    { "<BalloonEnabled></BalloonEnabled>", FALSE },
    { "<BalloonEnabled/>", FALSE },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *variant = replace (text, "<BalloonEnabled>false</BalloonEnabled>", cases[i].element);
      g_autoptr(ObOvfDocument) doc = doc_from_string (variant);
      g_autoptr(GError) error = NULL;
      g_autofree char *edited = NULL;

      g_test_message ("%s", cases[i].element);
      g_assert_cmpint (ob_ovf_document_get_balloon_enabled (doc), ==, cases[i].enabled);
      g_assert_cmpint (ob_ovf_document_get_balloon_source (doc), ==, OB_OVF_BALLOON_SOURCE_ELEMENT);

      /* Writing the other value: the element (even an empty one) gets it. */
      g_assert_true (ob_ovf_document_set_balloon_enabled (doc, !cases[i].enabled, FALSE, &error));
      g_assert_no_error (error);
      edited = doc_text (doc);
      g_assert_nonnull (strstr (edited, cases[i].enabled ? "<BalloonEnabled>false</BalloonEnabled>"
                                                         : "<BalloonEnabled>true</BalloonEnabled>"));
      g_assert_cmpint (ob_ovf_document_get_balloon_enabled (doc), ==, !cases[i].enabled);
      assert_reparses (doc);
    }
}

/* ---- flavours, namespaces, spellings ----------------------------------- */

static const char *ova_flavour =
  "<?xml version='1.0' encoding='UTF-8'?>\n"
  "<Envelope xmlns=\"http://schemas.dmtf.org/ovf/envelope/1\" xmlns:ovf=\"http://schemas.dmtf.org/ovf/envelope/1\"\n"
  "          xmlns:r=\"http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData\"\n"
  "          xmlns:ovirt=\"http://www.ovirt.org/ovf\" ovf:version=\"4.3.0.0\">\n"
  "\t<!-- comment kept: <Item> -->\n"
  "\t<VirtualSystem ovf:id=\"vm\">\n"
  "\t\t<Name>tabbed &amp; escaped</Name>\n"
  "\t\t<VirtualHardwareSection>\n"
  "\t\t\t<Info>1 CPU</Info>\n"
  "\t\t\t<Item>\n"
  "\t\t\t\t<r:InstanceID>1</r:InstanceID>\n"
  "\t\t\t\t<r:ResourceType>3</r:ResourceType>\n"
  "\t\t\t</Item>\n"
  "\t\t</VirtualHardwareSection>\n"
  "\t</VirtualSystem>\n"
  "</Envelope>\n";

static void
test_ova_flavour_spelling (void)
{
  g_autoptr(ObOvfDocument) doc = doc_from_string (ova_flavour);
  g_autoptr(GError) error = NULL;
  g_autofree char *edited = NULL;
  g_autofree char *rest = NULL;
  g_autofree char *item = NULL;
  gsize from, to;

  g_assert_cmpstr (ob_ovf_document_get_name (doc), ==, "tabbed & escaped");
  /* ovf:version is a cluster level in the engine flavour only. */
  g_assert_cmpint (ob_ovf_document_get_flavour (doc), ==, OB_OVF_FLAVOUR_OVA);
  g_assert_null (ob_ovf_document_get_compat_level_text (doc));
  g_assert_false (ob_ovf_document_get_balloon_enabled (doc));

  g_assert_true (ob_ovf_document_set_balloon_enabled (doc, TRUE, FALSE, &error));
  g_assert_no_error (error);
  edited = doc_text (doc);
  g_assert_true (find_balloon_item (edited, &from, &to));
  rest = without_range (edited, from, to);
  g_assert_cmpstr (rest, ==, ova_flavour);

  item = g_strndup (edited + from, to - from);
  /* The file's prefix for rasd, its InstanceID spelling, its tabs. */
  g_assert_nonnull (strstr (item, "\n\t\t\t<Item>\n\t\t\t\t<r:ResourceType>0</r:ResourceType>\n\t\t\t\t<r:InstanceID>"));
  g_assert_nonnull (strstr (item, "\t\t\t\t<SpecParams>\n\t\t\t\t\t<model>virtio</model>\n\t\t\t\t</SpecParams>\n\t\t\t</Item>"));
  g_assert_null (strstr (item, "InstanceId"));
  assert_reparses (doc);
}

static void
test_namespace_slash (void)
{
  const char *uris[] = { "http://schemas.dmtf.org/ovf/envelope/1", "http://schemas.dmtf.org/ovf/envelope/1/" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (uris); i++)
    {
      g_autofree char *text = g_strdup_printf (
        "<ovf:Envelope xmlns:ovf='%s' xmlns:rasd='http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData'>"
        "<Content><Section xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance' xsi:type='ovf:VirtualHardwareSection_Type'>"
        "</Section></Content></ovf:Envelope>", uris[i]);
      g_autoptr(ObOvfDocument) doc = doc_from_string (text);
      g_autoptr(GError) error = NULL;
      g_autofree char *edited = NULL;
      g_autofree char *expected_ns = g_strdup_printf ("xmlns:ovf='%s'", uris[i]);

      g_assert_true (ob_ovf_document_set_balloon_enabled (doc, TRUE, FALSE, &error));
      g_assert_no_error (error);
      edited = doc_text (doc);
      g_assert_true (g_str_has_prefix (edited, "<ovf:Envelope "));
      g_assert_nonnull (strstr (edited, expected_ns));
      /* No Items at all: the new one is the section's only child. */
      g_assert_nonnull (strstr (edited, "_Type'><Item><rasd:ResourceType>0</rasd:ResourceType>"));
      assert_reparses (doc);
    }
}

static void
test_self_closing_section (void)
{
  const char *text =
    "<ovf:Envelope xmlns:ovf='http://schemas.dmtf.org/ovf/envelope/1/'><Content>"
    "<Section xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance' xsi:type='ovf:VirtualHardwareSection_Type' />"
    "</Content></ovf:Envelope>";
  g_autoptr(ObOvfDocument) doc = doc_from_string (text);
  g_autoptr(GError) error = NULL;
  g_autofree char *edited = NULL;

  g_assert_true (ob_ovf_document_set_balloon_enabled (doc, TRUE, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (ob_ovf_document_get_device_present (doc));
  edited = doc_text (doc);
  g_assert_nonnull (strstr (edited, "_Type' ><Item xmlns:rasd="));
  g_assert_nonnull (strstr (edited, "</Item></Section></Content>"));
  assert_reparses (doc);
  g_assert_true (ob_ovf_document_set_balloon_enabled (doc, FALSE, FALSE, &error));
  g_assert_false (ob_ovf_document_get_device_present (doc));
  assert_reparses (doc);
}

static void
test_no_rasd_prefix (void)
{
  const char *text =
    "<Envelope xmlns='http://schemas.dmtf.org/ovf/envelope/1'><VirtualSystem><VirtualHardwareSection>"
    "<Item><Type>disk</Type></Item></VirtualHardwareSection></VirtualSystem></Envelope>";
  g_autoptr(ObOvfDocument) doc = doc_from_string (text);
  g_autoptr(GError) error = NULL;
  g_autofree char *edited = NULL;

  g_assert_true (ob_ovf_document_set_balloon_enabled (doc, TRUE, FALSE, &error));
  g_assert_no_error (error);
  edited = doc_text (doc);
  /* The rasd namespace is declared on the new Item itself. */
  g_assert_nonnull (strstr (edited, "<Item xmlns:rasd=\"http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData\">"));
  assert_reparses (doc);
}

/* A balloon elsewhere (snapshots, escaped EngineXml) is not the device. */
static void
test_balloon_lookalikes (void)
{
  const char *text =
    "<ovf:Envelope xmlns:ovf='http://schemas.dmtf.org/ovf/envelope/1/' "
    "xmlns:rasd='http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData'>"
    "<Content><EngineXml>&lt;memballoon model=\"virtio\"/&gt;</EngineXml>"
    "<VirtualHardwareSection><Item><rasd:ResourceType>0</rasd:ResourceType><Type>balloon</Type><Device>none</Device></Item>"
    "<Item><rasd:ResourceType>5</rasd:ResourceType><Type>balloon</Type><Device>memballoon</Device></Item>"
    "<!-- <Item><rasd:ResourceType>0</rasd:ResourceType><Type>balloon</Type><Device>memballoon</Device></Item> -->"
    "</VirtualHardwareSection>"
    "<Section><Item><rasd:ResourceType>0</rasd:ResourceType><Type>balloon</Type><Device>memballoon</Device></Item></Section>"
    "</Content></ovf:Envelope>";
  g_autoptr(ObOvfDocument) doc = doc_from_string (text);

  g_assert_false (ob_ovf_document_get_device_present (doc));
  g_assert_false (ob_ovf_document_get_balloon_enabled (doc));
  g_assert_cmpint (ob_ovf_document_get_balloon_source (doc), ==, OB_OVF_BALLOON_SOURCE_ABSENT);
}

/* ---- the cluster rule ------------------------------------------------- */

static ObOvfDocument *
doc_with_levels (const char *ovf_version,
                 const char *cluster)
{
  g_autofree char *version_attr = ovf_version ? g_strdup_printf (" ovf:version='%s'", ovf_version) : g_strdup ("");
  g_autofree char *cluster_elem = cluster ? g_strdup_printf ("<ClusterCompatibilityVersion>%s</ClusterCompatibilityVersion>", cluster)
                                          : g_strdup ("");
  g_autofree char *text = g_strdup_printf (
    "<ovf:Envelope xmlns:ovf='http://schemas.dmtf.org/ovf/envelope/1/'%s "
    "xmlns:rasd='http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData'>"
    "<Content>%s<VirtualHardwareSection>\n  <Item>\n    <rasd:ResourceType>3</rasd:ResourceType>\n  </Item>\n"
    "</VirtualHardwareSection></Content></ovf:Envelope>", version_attr, cluster_elem);

  return doc_from_string (text);
}

static void
test_policy (void)
{
  struct { const char *ovf_version; const char *cluster; gboolean allowed; const char *named; } cases[] = {
    { "3.0.0.0", NULL, FALSE, "3.0" },
    { "3.1.0.0", NULL, TRUE, NULL },
    { "0.9", NULL, FALSE, "0.9" },
    { "4.1.0.0", "3.0", FALSE, "3.0" },     /* ClusterCompatibilityVersion wins */
    { "3.0.0.0", "4.2", TRUE, NULL },
    { NULL, "3.10", TRUE, NULL },            /* 3.10 > 3.9 > 3.1 */
    { NULL, "3.9", TRUE, NULL },
    { NULL, "2.10", FALSE, "2.10" },
    { NULL, NULL, TRUE, NULL },              /* unknown: allowed, caller warns */
    { "garbage", NULL, TRUE, NULL },         /* unparseable: allowed */
    { NULL, "four.two", TRUE, NULL },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ObOvfDocument) doc = doc_with_levels (cases[i].ovf_version, cases[i].cluster);
      g_autoptr(ObOvfDocument) forced = doc_with_levels (cases[i].ovf_version, cases[i].cluster);
      g_autoptr(GError) error = NULL;
      gboolean ok;

      g_test_message ("ovf:version %s, cluster %s", cases[i].ovf_version, cases[i].cluster);
      ok = ob_ovf_document_set_balloon_enabled (doc, TRUE, FALSE, &error);
      g_assert_cmpint (ok, ==, cases[i].allowed);
      if (!cases[i].allowed)
        {
          g_autofree char *named = g_strdup_printf ("is %s", cases[i].named);

          g_assert_error (error, OB_ERROR, OB_ERROR_REFUSED);
          g_assert_nonnull (strstr (error->message, named));
          g_assert_nonnull (strstr (error->message, "test.ovf"));
          /* Refused means untouched. */
          g_assert_false (ob_ovf_document_get_modified (doc));
          g_assert_false (ob_ovf_document_get_balloon_enabled (doc));
        }
      else
        g_assert_true (ob_ovf_document_get_balloon_enabled (doc));

      g_assert_true (ob_ovf_document_set_balloon_enabled (forced, TRUE, TRUE, NULL));
      g_assert_true (ob_ovf_document_get_balloon_enabled (forced));
      /* Disabling is always allowed. */
      g_assert_true (ob_ovf_document_set_balloon_enabled (forced, FALSE, FALSE, NULL));
      g_assert_false (ob_ovf_document_get_balloon_enabled (forced));
    }
}

/* ---- bad input ---------------------------------------------------------- */

typedef struct
{
  const char *name;
  const char *text;
  const char *message_part;
} BadInput;

static const BadInput bad_inputs[] = {
  { "not-xml", "this is not XML at all\n", "line 1" },
  { "truncated", "<?xml version='1.0'?>\n<ovf:Envelope xmlns:ovf='http://schemas.dmtf.org/ovf/envelope/1/'>\n<Content>\n<Name>x", "line 4" },
  { "not-ovf", "<?xml version='1.0'?>\n<html><body>hello</body></html>\n", "not an OVF" },
  { "wrong-namespace", "<ovf:Envelope xmlns:ovf='http://example.com/ovf'><Content/></ovf:Envelope>", "not an OVF" },
  { "no-virtual-system", "<ovf:Envelope xmlns:ovf='http://schemas.dmtf.org/ovf/envelope/1/'><References/></ovf:Envelope>", "no Content or VirtualSystem" },
  { "no-hardware-section", "<ovf:Envelope xmlns:ovf='http://schemas.dmtf.org/ovf/envelope/1/'><Content><Name>x</Name></Content></ovf:Envelope>", "virtual hardware section" },
  { "two-balloons",
    "<ovf:Envelope xmlns:ovf='http://schemas.dmtf.org/ovf/envelope/1/' xmlns:rasd='http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData'>\n"
    "<Content><Section xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance' xsi:type='ovf:VirtualHardwareSection_Type'>\n"
    "<Item><rasd:ResourceType>0</rasd:ResourceType><Type>balloon</Type><Device>memballoon</Device></Item>\n"
    "<Item><rasd:ResourceType>0</rasd:ResourceType><Type>balloon</Type><Device>memballoon</Device></Item>\n"
    "</Section></Content></ovf:Envelope>", "lines 3 and 4" },
  { "xxe",
    "<?xml version='1.0'?>\n<!DOCTYPE e [<!ENTITY xxe SYSTEM 'file:///etc/passwd'>]>\n"
    "<ovf:Envelope xmlns:ovf='http://schemas.dmtf.org/ovf/envelope/1/'><Content><Name>&xxe;</Name></Content></ovf:Envelope>",
    "entity" },
  { "entity-bomb",
    "<?xml version='1.0'?>\n<!DOCTYPE e [\n<!ENTITY a 'aaaaaaaaaa'>\n<!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>\n"
    "<!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'>\n<!ENTITY d '&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;'>\n]>\n"
    "<ovf:Envelope xmlns:ovf='http://schemas.dmtf.org/ovf/envelope/1/'><Content><Name>&d;&d;&d;</Name></Content></ovf:Envelope>",
    "line 3" },
  { "network-dtd",
    "<?xml version='1.0'?>\n<!DOCTYPE Envelope SYSTEM 'http://192.0.2.1/ovf.dtd'>\n"
    "<ovf:Envelope xmlns:ovf='http://schemas.dmtf.org/ovf/envelope/1/'><Content/></ovf:Envelope>",
    "external DTD" },
  { "undeclared-entity",
    "<ovf:Envelope xmlns:ovf='http://schemas.dmtf.org/ovf/envelope/1/'><Content><Name>&nope;</Name></Content></ovf:Envelope>",
    "nope" },
  { "utf16", "\xff\xfe<\0?\0x\0m\0l\0", "UTF-8" },
  { "empty", "", "empty" },
};

static void
test_bad_input (gconstpointer data)
{
  const BadInput *bad = data;
  g_autofree char *dir = ob_test_tmpdir_new ("ob-ovf");
  gsize len = strcmp (bad->name, "utf16") == 0 ? 12 : strlen (bad->text);
  g_autofree char *path = ovf_test_write_temp (dir, "bad.ovf", bad->text, len);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObOvfDocument) doc = ob_ovf_document_load (file, NULL, &error);
  g_autoptr(GBytes) after = NULL;

  g_assert_null (doc);
  g_assert_error (error, OB_ERROR, OB_ERROR_BAD_INPUT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, bad->message_part));
  g_assert_null (strchr (error->message, '\n'));

  after = ovf_test_read_bytes (path);
  g_assert_cmpmem (g_bytes_get_data (after, NULL), g_bytes_get_size (after), bad->text, len);
  ob_test_tmpdir_remove (dir);
}

static void
test_too_large (void)
{
  g_autofree char *dir = ob_test_tmpdir_new ("ob-ovf");
  g_autofree char *path = g_build_filename (dir, "big.ovf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObOvfDocument) doc = NULL;
  FILE *f = fopen (path, "w");

  /* Sparse: the size check must refuse it before reading anything. */
  g_assert_nonnull (f);
  g_assert_cmpint (ftruncate (fileno (f), OB_OVF_MAX_SIZE + 1), ==, 0);
  fclose (f);

  doc = ob_ovf_document_load (file, NULL, &error);
  g_assert_null (doc);
  g_assert_error (error, OB_ERROR, OB_ERROR_BAD_INPUT);
  g_assert_nonnull (strstr (error->message, "64 MiB"));
  ob_test_tmpdir_remove (dir);
}

static void
test_missing_file (void)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/nonexistent-ob-dir/vm.ovf");
  g_autoptr(GError) error = NULL;
  g_autoptr(ObOvfDocument) doc = ob_ovf_document_load (file, NULL, &error);

  g_assert_null (doc);
  g_assert_error (error, OB_ERROR, OB_ERROR_BAD_INPUT);
  g_assert_nonnull (strstr (error->message, "/nonexistent-ob-dir/vm.ovf"));
}

/* ---- saving ------------------------------------------------------------- */

static void
test_save_in_place_keeps_mode_and_backup (void)
{
  g_autofree char *dir = ob_test_tmpdir_new ("ob-ovf");
  g_autofree char *src = upstream_path ("ovirt-engine_vmOvfData.ovf.xml");
  g_autofree char *path = copy_to (dir, src, "vm.ovf");
  g_autofree char *bak = g_strconcat (path, ".bak", NULL);
  g_autoptr(GBytes) before = ovf_test_read_bytes (path);
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GBytes) saved_backup = NULL;
  g_autoptr(ObOvfDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  g_assert_cmpint (g_chmod (path, 0640), ==, 0);
  doc = load_path (path);
  g_assert_true (ob_ovf_document_set_balloon_enabled (doc, FALSE, FALSE, &error));
  g_assert_true (ob_ovf_document_get_modified (doc));
  g_assert_true (ob_ovf_document_save (doc, NULL, TRUE, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (ob_ovf_document_get_modified (doc));

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 07777, ==, 0640);
  after = ovf_test_read_bytes (path);
  {
    g_autoptr(GBytes) current = ob_ovf_document_get_ovf_bytes (doc);

    g_assert_true (g_bytes_equal (after, current));
  }
  saved_backup = ovf_test_read_bytes (bak);
  g_assert_true (g_bytes_equal (saved_backup, before));
  /* vm.ovf and vm.ovf.bak, no temp file left behind. */
  g_assert_cmpuint (ob_test_tmpdir_count (dir), ==, 2);
  ob_test_tmpdir_remove (dir);
}

static void
test_save_no_change_writes_nothing (void)
{
  g_autofree char *dir = ob_test_tmpdir_new ("ob-ovf");
  g_autofree char *src = upstream_path ("ovirt-engine_vmOvfData.ovf.xml");
  g_autofree char *path = copy_to (dir, src, "vm.ovf");
  g_autoptr(ObOvfDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf before, after;
  struct utimbuf old_times = { 1000000000, 1000000000 };

  /* An old mtime makes any rewrite visible. */
  g_assert_cmpint (g_utime (path, &old_times), ==, 0);
  g_assert_cmpint (g_stat (path, &before), ==, 0);

  doc = load_path (path);
  g_assert_true (ob_ovf_document_set_balloon_enabled (doc, TRUE, FALSE, &error));
  g_assert_no_error (error);
  g_assert_false (ob_ovf_document_get_modified (doc));
  g_assert_true (ob_ovf_document_save (doc, NULL, TRUE, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (g_stat (path, &after), ==, 0);
  g_assert_cmpint (after.st_mtime, ==, before.st_mtime);
  g_assert_cmpint (after.st_ino, ==, before.st_ino);
  g_assert_cmpuint (ob_test_tmpdir_count (dir), ==, 1);
  ob_test_tmpdir_remove (dir);
}

static void
test_save_read_only_target (void)
{
  g_autofree char *dir = ob_test_tmpdir_new ("ob-ovf");
  g_autofree char *src = upstream_path ("ovirt-engine_vmOvfData.ovf.xml");
  g_autofree char *path = copy_to (dir, src, "vm.ovf");
  g_autoptr(GBytes) before = ovf_test_read_bytes (path);
  g_autoptr(GBytes) after = NULL;
  g_autoptr(ObOvfDocument) doc = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_chmod (path, 0444), ==, 0);
  doc = load_path (path);
  g_assert_true (ob_ovf_document_set_balloon_enabled (doc, FALSE, FALSE, &error));
  g_assert_false (ob_ovf_document_save (doc, NULL, FALSE, NULL, &error));
  g_assert_error (error, OB_ERROR, OB_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "read-only"));
  g_assert_nonnull (strstr (error->message, path));
  g_assert_true (ob_ovf_document_get_modified (doc));

  after = ovf_test_read_bytes (path);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_cmpuint (ob_test_tmpdir_count (dir), ==, 1);
  ob_test_tmpdir_remove (dir);
}

static void
test_save_missing_directory (void)
{
  g_autofree char *dir = ob_test_tmpdir_new ("ob-ovf");
  g_autofree char *src = upstream_path ("ovirt-engine_vmOvfData.ovf.xml");
  g_autofree char *path = copy_to (dir, src, "vm.ovf");
  g_autofree char *target = g_build_filename (dir, "no-such-dir", "out.ovf", NULL);
  g_autoptr(GFile) dest = g_file_new_for_path (target);
  g_autoptr(ObOvfDocument) doc = load_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (ob_ovf_document_set_balloon_enabled (doc, FALSE, FALSE, &error));
  g_assert_false (ob_ovf_document_save (doc, dest, FALSE, NULL, &error));
  g_assert_error (error, OB_ERROR, OB_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "does not exist"));
  g_assert_cmpuint (ob_test_tmpdir_count (dir), ==, 1);
  ob_test_tmpdir_remove (dir);
}

/* No space left, simulated with the file size limit: the write fails with
 * EFBIG part way, like ENOSPC would. */
static void
test_save_disk_full (void)
{
  g_autofree char *dir = ob_test_tmpdir_new ("ob-ovf");
  g_autofree char *src = upstream_path ("ovirt-engine_vmOvfData.ovf.xml");
  g_autofree char *path = copy_to (dir, src, "vm.ovf");
  g_autoptr(GBytes) before = ovf_test_read_bytes (path);
  g_autoptr(GBytes) after = NULL;
  g_autoptr(ObOvfDocument) doc = load_path (path);
  g_autoptr(GError) error = NULL;
  struct rlimit saved, small;
  void (*old_handler) (int);
  gboolean ok;

  g_assert_true (ob_ovf_document_set_balloon_enabled (doc, FALSE, FALSE, &error));

  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  small = saved;
  small.rlim_cur = 4096;
  old_handler = signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &small), ==, 0);
  ok = ob_ovf_document_save (doc, NULL, FALSE, NULL, &error);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  signal (SIGXFSZ, old_handler);

  g_assert_false (ok);
  g_assert_error (error, OB_ERROR, OB_ERROR_IO);
  g_test_message ("%s", error->message);
  after = ovf_test_read_bytes (path);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_cmpuint (ob_test_tmpdir_count (dir), ==, 1);
  ob_test_tmpdir_remove (dir);
}

/* Temp files of a killed save are removed by the next save once their
 * writer is gone (no lock) and they are old; others are left alone. */
static void
test_save_removes_stale_temps (void)
{
  g_autofree char *dir = ob_test_tmpdir_new ("ob-ovf");
  g_autofree char *src = upstream_path ("ovirt-engine_vmOvfData.ovf.xml");
  g_autofree char *path = copy_to (dir, src, "vm.ovf");
  const char *names[] = { ".vm.ovf.AAAAAA", ".vm.ovf.BBBBBB", ".vm.ovf.CCCCCC", ".vm.ovf.toolong7", ".other.ovf.DDDDDD" };
  gboolean expect_kept[] = { FALSE, TRUE, TRUE, TRUE, TRUE };
  struct utimbuf old_times = { 1000000000, 1000000000 };
  g_autoptr(ObOvfDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  int locked_fd;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *temp = ovf_test_write_temp (dir, names[i], "partial", -1);

      /* BBBBBB stays young: it could be a save that has not locked yet. */
      if (i != 1)
        g_assert_cmpint (g_utime (temp, &old_times), ==, 0);
    }
  /* CCCCCC is held by a live writer. */
  {
    g_autofree char *held = g_build_filename (dir, names[2], NULL);

    locked_fd = g_open (held, O_RDWR, 0);
    g_assert_cmpint (locked_fd, >=, 0);
    g_assert_cmpint (flock (locked_fd, LOCK_EX), ==, 0);
  }

  doc = load_path (path);
  g_assert_true (ob_ovf_document_set_balloon_enabled (doc, FALSE, FALSE, &error));
  g_assert_true (ob_ovf_document_save (doc, NULL, FALSE, NULL, &error));
  g_assert_no_error (error);
  close (locked_fd);

  for (i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *temp = g_build_filename (dir, names[i], NULL);

      g_test_message ("%s", names[i]);
      g_assert_cmpint (g_file_test (temp, G_FILE_TEST_EXISTS), ==, expect_kept[i]);
    }
  ob_test_tmpdir_remove (dir);
}

static void
test_atomic_file_abort (void)
{
  g_autofree char *dir = ob_test_tmpdir_new ("ob-ovf");
  g_autofree char *path = g_build_filename (dir, "out.bin", NULL);
  g_autoptr(GError) error = NULL;
  ObAtomicFile *file = ob_atomic_file_new (path, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (ob_atomic_file_write (file, "abc", 3, &error));
  g_assert_true (g_file_test (ob_atomic_file_get_temp_path (file), G_FILE_TEST_EXISTS));
  g_assert_cmpuint (ob_test_tmpdir_count (dir), ==, 1);
  /* Dropped without commit: the temp file goes, nothing appears. */
  g_object_unref (file);
  g_assert_cmpuint (ob_test_tmpdir_count (dir), ==, 0);
  ob_test_tmpdir_remove (dir);
}

static void
test_atomic_file_holes (void)
{
  g_autofree char *dir = ob_test_tmpdir_new ("ob-ovf");
  g_autofree char *path = g_build_filename (dir, "sparse.bin", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ObAtomicFile) file = ob_atomic_file_new (path, NULL, &error);
  g_autofree guint8 *zeros = g_malloc0 (1024 * 1024);
  g_autoptr(GBytes) content = NULL;
  GStatBuf st;
  int i;

  g_assert_true (ob_atomic_file_write (file, "head", 4, &error));
  for (i = 0; i < 16; i++)
    g_assert_true (ob_atomic_file_write (file, zeros, 1024 * 1024, &error));
  g_assert_true (ob_atomic_file_commit (file, FALSE, &error));
  g_assert_no_error (error);

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, 4 + 16 * 1024 * 1024);
  content = ovf_test_read_bytes (path);
  g_assert_cmpmem (g_bytes_get_data (content, NULL), 4, "head", 4);
  g_assert_cmpmem ((const guint8 *) g_bytes_get_data (content, NULL) + 4, 1024 * 1024, zeros, 1024 * 1024);
  ob_test_tmpdir_remove (dir);
}

/* ---- async API and notifications ---------------------------------------- */

typedef struct
{
  GMainLoop *loop;
  GAsyncResult *result;
} AsyncData;

static void
async_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  AsyncData *data = user_data;

  data->result = g_object_ref (result);
  g_main_loop_quit (data->loop);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  GHashTable *counts = user_data;
  const char *name = g_param_spec_get_name (pspec);

  g_hash_table_insert (counts, (gpointer) name,
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, name)) + 1));
}

static void
test_async_and_notify (void)
{
  g_autofree char *dir = ob_test_tmpdir_new ("ob-ovf");
  g_autofree char *src = upstream_path ("ovirt-engine_vmOvfData2.ovf.xml");
  g_autofree char *path = copy_to (dir, src, "vm.ovf");
  g_autofree char *out_path = g_build_filename (dir, "out.ovf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) out = g_file_new_for_path (out_path);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(ObOvfDocument) doc = NULL;
  g_autoptr(ObOvfDocument) reread = NULL;
  g_autoptr(GError) error = NULL;
  AsyncData data = { loop, NULL };
  gboolean enabled = FALSE;

  ob_ovf_document_load_async (file, NULL, async_done, &data);
  g_main_loop_run (loop);
  doc = ob_ovf_document_load_finish (data.result, &error);
  g_clear_object (&data.result);
  g_assert_no_error (error);
  g_assert_cmpstr (ob_ovf_document_get_name (doc), ==, "sevenofnine");

  g_signal_connect (doc, "notify", G_CALLBACK (count_notify), counts);
  /* Level 0.9: refused without force, then forced. */
  g_assert_false (ob_ovf_document_set_balloon_enabled (doc, TRUE, FALSE, &error));
  g_assert_error (error, OB_ERROR, OB_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_cmpuint (g_hash_table_size (counts), ==, 0);
  g_assert_true (ob_ovf_document_set_balloon_enabled (doc, TRUE, TRUE, &error));
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "balloon-enabled")), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "balloon-source")), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "device-present")), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "modified")), ==, 1);
  g_object_get (doc, "balloon-enabled", &enabled, NULL);
  g_assert_true (enabled);

  ob_ovf_document_save_async (doc, out, FALSE, NULL, async_done, &data);
  g_main_loop_run (loop);
  g_assert_true (ob_ovf_document_save_finish (doc, data.result, &error));
  g_clear_object (&data.result);
  g_assert_no_error (error);
  g_assert_false (ob_ovf_document_get_modified (doc));
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "modified")), ==, 2);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "file")), ==, 1);
  g_assert_true (g_file_equal (ob_ovf_document_get_file (doc), out));

  reread = load_path (out_path);
  g_assert_true (ob_ovf_document_get_balloon_enabled (reread));
  ob_test_tmpdir_remove (dir);
}

int
main (int    argc,
      char **argv)
{
  guint i;

  g_test_init (&argc, &argv, NULL);

  for (i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      g_autofree char *base = g_path_get_basename (fixtures[i].file);
      g_autofree char *show = g_strdup_printf ("/ovf/fixture/show/%s", base);
      g_autofree char *trip = g_strdup_printf ("/ovf/fixture/round-trip/%s", base);
      g_autofree char *surgical = g_strdup_printf ("/ovf/fixture/surgical/%s", base);

      g_test_add_data_func (show, &fixtures[i], test_fixture_show);
      g_test_add_data_func (trip, &fixtures[i], test_fixture_round_trip);
      /* The flag era's surgical edits have their own tests (/ovf/flag-era/). */
      if (fixtures[i].source != OB_OVF_BALLOON_SOURCE_ELEMENT)
        g_test_add_data_func (surgical, &fixtures[i], test_fixture_surgical);
    }
  g_test_add_func ("/ovf/flag-era/toggle", test_flag_era_toggle);
  g_test_add_func ("/ovf/flag-era/adds-missing-item", test_flag_era_adds_missing_item);
  g_test_add_func ("/ovf/flag-era/values", test_flag_era_values);
  g_test_add_func ("/ovf/flavour/ova-spelling-tabs", test_ova_flavour_spelling);
  g_test_add_func ("/ovf/flavour/namespace-slash", test_namespace_slash);
  g_test_add_func ("/ovf/flavour/no-rasd-prefix", test_no_rasd_prefix);
  g_test_add_func ("/ovf/flavour/self-closing-section", test_self_closing_section);
  g_test_add_func ("/ovf/read/balloon-lookalikes", test_balloon_lookalikes);
  g_test_add_func ("/ovf/policy", test_policy);
  for (i = 0; i < G_N_ELEMENTS (bad_inputs); i++)
    {
      g_autofree char *name = g_strdup_printf ("/ovf/bad-input/%s", bad_inputs[i].name);

      g_test_add_data_func (name, &bad_inputs[i], test_bad_input);
    }
  g_test_add_func ("/ovf/bad-input/too-large", test_too_large);
  g_test_add_func ("/ovf/bad-input/missing-file", test_missing_file);
  g_test_add_func ("/ovf/save/in-place-mode-backup", test_save_in_place_keeps_mode_and_backup);
  g_test_add_func ("/ovf/save/no-change-writes-nothing", test_save_no_change_writes_nothing);
  g_test_add_func ("/ovf/save/read-only-target", test_save_read_only_target);
  g_test_add_func ("/ovf/save/missing-directory", test_save_missing_directory);
  g_test_add_func ("/ovf/save/disk-full", test_save_disk_full);
  g_test_add_func ("/ovf/save/removes-stale-temps", test_save_removes_stale_temps);
  g_test_add_func ("/ovf/atomic-file/abort", test_atomic_file_abort);
  g_test_add_func ("/ovf/atomic-file/holes", test_atomic_file_holes);
  g_test_add_func ("/ovf/async-and-notify", test_async_and_notify);

  return g_test_run ();
}
