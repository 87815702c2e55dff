/* test-ovf-engine-xml.c: the hosted engine's libvirt XML in <EngineXml>
 * follows every balloon edit: a model is set, an absent <memballoon>
 * (libvirt's virtio) is inserted as "none" to turn it off, written the way
 * the text around it is, and a domain without <devices> refuses the edit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ob-error.h"
#include "ob-ovf-document.h"

#define RASD "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData"

/* A hosted-engine OVF_STORE entry around @engine_xml (the raw text of
 * <EngineXml>). */
static char *
he_ovf (const char *engine_xml)
{
  return g_strdup_printf (
    "<?xml version='1.0' encoding='UTF-8'?>"
    "<ovf:Envelope xmlns:ovf=\"http://schemas.dmtf.org/ovf/envelope/1/\" xmlns:rasd=\"" RASD "\" "
    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" ovf:version=\"4.2.0.0\">"
    "<Content ovf:id=\"out\" xsi:type=\"ovf:VirtualSystem_Type\"><Name>HostedEngine</Name>"
    "<ClusterCompatibilityVersion>4.2</ClusterCompatibilityVersion>"
    "<EngineXml>%s</EngineXml>"
    "<Section xsi:type=\"ovf:VirtualHardwareSection_Type\"><Item><rasd:ResourceType>3</rasd:ResourceType>"
    "<rasd:InstanceId>1</rasd:InstanceId></Item></Section></Content></ovf:Envelope>",
    engine_xml);
}

/* The raw text of <EngineXml> in @doc's current bytes. */
static char *
engine_xml_of (ObOvfDocument *doc)
{
  g_autoptr(GBytes) bytes = ob_ovf_document_get_ovf_bytes (doc);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  const char *from = strstr (text, "<EngineXml>");
  const char *to = strstr (text, "</EngineXml>");

  g_assert_nonnull (from);
  g_assert_nonnull (to);
  from += strlen ("<EngineXml>");
  return g_strndup (from, to - from);
}

static ObOvfDocument *
load (const char *engine_xml)
{
  g_autofree char *text = he_ovf (engine_xml);
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  ObOvfDocument *doc = ob_ovf_document_new_from_bytes (bytes, "he.ovf", &error);

  g_assert_no_error (error);
  g_assert_cmpint (ob_ovf_document_get_flavour (doc), ==, OB_OVF_FLAVOUR_ENGINE);
  return doc;
}

/* Reloads @doc's bytes through the full reader (libxml2 included). */
static ObOvfDocument *
reload (ObOvfDocument *doc)
{
  g_autoptr(GBytes) bytes = ob_ovf_document_get_ovf_bytes (doc);
  g_autoptr(GError) error = NULL;
  ObOvfDocument *again = ob_ovf_document_new_from_bytes (bytes, "he.ovf", &error);

  g_assert_no_error (error);
  return again;
}

typedef struct
{
  const char *name;
  const char *engine_xml;
  ObOvfEngineXmlState state;
  const char *model;          /* when SET */
  const char *after_off;      /* the EngineXml text after turning it off */
  const char *after_on;       /* ... after turning it on */
} Case;

#define ENGINE_DOMAIN(devices) \
  "&lt;?xml version=\"1.0\" encoding=\"UTF-8\"?&gt;&lt;domain type=\"kvm\" " \
  "xmlns:ovirt-vm=\"http://ovirt.org/vm/1.0\"&gt;&lt;name&gt;HostedEngine&lt;/name&gt;" \
  devices "&lt;metadata&gt;&lt;ovirt-vm:vm&gt;&lt;/ovirt-vm:vm&gt;&lt;/metadata&gt;&lt;/domain&gt;"
#define CONSOLE "&lt;console type=\"pty\"&gt;&lt;target type=\"virtio\" port=\"0\"&gt;&lt;/target&gt;&lt;/console&gt;"
#define BALLOON(model) "&lt;memballoon model=\"" model "\"&gt;&lt;/memballoon&gt;"
#define LEASE "&lt;lease&gt;&lt;key&gt;k&lt;/key&gt;&lt;/lease&gt;"

/* libvirt's own layout (virsh dumpxml): lines, <x/>, single quotes. */
#define DUMP_HEAD "&lt;domain type='kvm'&gt;\n  &lt;name&gt;HostedEngine&lt;/name&gt;\n  &lt;devices&gt;\n" \
  "    &lt;disk type='file' device='disk'&gt;\n      &lt;source file='/x'/&gt;\n    &lt;/disk&gt;\n" \
  "    &lt;console type='pty'/&gt;"
#define DUMP_TAIL "\n  &lt;/devices&gt;\n&lt;/domain&gt;\n"

static const Case cases[] = {
  { "present-virtio",
    ENGINE_DOMAIN ("&lt;devices&gt;" CONSOLE BALLOON ("virtio") LEASE "&lt;/devices&gt;"),
    OB_OVF_ENGINE_XML_SET, "virtio",
    ENGINE_DOMAIN ("&lt;devices&gt;" CONSOLE BALLOON ("none") LEASE "&lt;/devices&gt;"),
    ENGINE_DOMAIN ("&lt;devices&gt;" CONSOLE BALLOON ("virtio") LEASE "&lt;/devices&gt;") },
  { "present-none",
    ENGINE_DOMAIN ("&lt;devices&gt;" CONSOLE BALLOON ("none") LEASE "&lt;/devices&gt;"),
    OB_OVF_ENGINE_XML_SET, "none",
    ENGINE_DOMAIN ("&lt;devices&gt;" CONSOLE BALLOON ("none") LEASE "&lt;/devices&gt;"),
    ENGINE_DOMAIN ("&lt;devices&gt;" CONSOLE BALLOON ("virtio") LEASE "&lt;/devices&gt;") },
  /* A virtio variant is on already; off replaces the whole value. */
  { "present-virtio-transitional",
    ENGINE_DOMAIN ("&lt;devices&gt;" BALLOON ("virtio-transitional") "&lt;/devices&gt;"),
    OB_OVF_ENGINE_XML_SET, "virtio-transitional",
    ENGINE_DOMAIN ("&lt;devices&gt;" BALLOON ("none") "&lt;/devices&gt;"),
    ENGINE_DOMAIN ("&lt;devices&gt;" BALLOON ("virtio-transitional") "&lt;/devices&gt;") },
  /* The engine's writer: one line, <x></x>, double quotes. */
  { "absent-engine-style",
    ENGINE_DOMAIN ("&lt;devices&gt;" CONSOLE LEASE "&lt;/devices&gt;"),
    OB_OVF_ENGINE_XML_ABSENT, NULL,
    ENGINE_DOMAIN ("&lt;devices&gt;" CONSOLE LEASE BALLOON ("none") "&lt;/devices&gt;"),
    ENGINE_DOMAIN ("&lt;devices&gt;" CONSOLE LEASE "&lt;/devices&gt;") },
  { "absent-libvirt-style",
    DUMP_HEAD DUMP_TAIL,
    OB_OVF_ENGINE_XML_ABSENT, NULL,
    DUMP_HEAD "\n    &lt;memballoon model='none'/&gt;" DUMP_TAIL,
    DUMP_HEAD DUMP_TAIL },
  /* Newlines as character references, quotes as entities. */
  { "absent-references",
    "&lt;domain type=&quot;kvm&quot;&gt;&#10;&lt;devices&gt;&#10;  &lt;disk/&gt;&#10;&lt;/devices&gt;&#10;&lt;/domain&gt;",
    OB_OVF_ENGINE_XML_ABSENT, NULL,
    "&lt;domain type=&quot;kvm&quot;&gt;&#10;&lt;devices&gt;&#10;  &lt;disk/&gt;&#10;  "
    "&lt;memballoon model=&quot;none&quot;/&gt;&#10;&lt;/devices&gt;&#10;&lt;/domain&gt;",
    "&lt;domain type=&quot;kvm&quot;&gt;&#10;&lt;devices&gt;&#10;  &lt;disk/&gt;&#10;&lt;/devices&gt;&#10;&lt;/domain&gt;" },
  { "absent-cdata",
    "<![CDATA[<domain type=\"kvm\"><devices><disk/></devices></domain>]]>",
    OB_OVF_ENGINE_XML_ABSENT, NULL,
    "<![CDATA[<domain type=\"kvm\"><devices><disk/><memballoon model=\"none\"/></devices></domain>]]>",
    "<![CDATA[<domain type=\"kvm\"><devices><disk/></devices></domain>]]>" },
  { "absent-no-device-yet",
    "&lt;domain type=\"kvm\"&gt;&lt;devices&gt;&lt;/devices&gt;&lt;/domain&gt;",
    OB_OVF_ENGINE_XML_ABSENT, NULL,
    "&lt;domain type=\"kvm\"&gt;&lt;devices&gt;&lt;memballoon model=\"none\"&gt;&lt;/memballoon&gt;"
    "&lt;/devices&gt;&lt;/domain&gt;",
    "&lt;domain type=\"kvm\"&gt;&lt;devices&gt;&lt;/devices&gt;&lt;/domain&gt;" },
  { "absent-empty-devices",
    "&lt;domain type=\"kvm\"&gt;&lt;devices/&gt;&lt;/domain&gt;",
    OB_OVF_ENGINE_XML_ABSENT, NULL,
    "&lt;domain type=\"kvm\"&gt;&lt;devices&gt;&lt;memballoon model=\"none\"/&gt;&lt;/devices&gt;&lt;/domain&gt;",
    "&lt;domain type=\"kvm\"&gt;&lt;devices/&gt;&lt;/domain&gt;" },
  /* A memballoon in a comment, or outside <devices>, is no device. */
  { "absent-commented",
    "&lt;domain type=\"kvm\"&gt;&lt;!-- &lt;memballoon model=\"none\"/&gt; --&gt;&lt;devices&gt;&lt;disk/&gt;"
    "&lt;/devices&gt;&lt;/domain&gt;",
    OB_OVF_ENGINE_XML_ABSENT, NULL,
    "&lt;domain type=\"kvm\"&gt;&lt;!-- &lt;memballoon model=\"none\"/&gt; --&gt;&lt;devices&gt;&lt;disk/&gt;"
    "&lt;memballoon model=\"none\"/&gt;&lt;/devices&gt;&lt;/domain&gt;",
    "&lt;domain type=\"kvm\"&gt;&lt;!-- &lt;memballoon model=\"none\"/&gt; --&gt;&lt;devices&gt;&lt;disk/&gt;"
    "&lt;/devices&gt;&lt;/domain&gt;" },
  /* An empty EngineXml: nothing to keep in step. */
  { "empty", "", OB_OVF_ENGINE_XML_NONE, NULL, "", "" },
};

static void
test_case (gconstpointer data)
{
  const Case *c = data;

  for (int to_on = 0; to_on <= 1; to_on++)
    {
      g_autoptr(ObOvfDocument) doc = load (c->engine_xml);
      g_autoptr(ObOvfDocument) again = NULL;
      g_autoptr(GBytes) once = NULL;
      g_autoptr(GBytes) twice = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;
      g_autofree char *summary = NULL;

      g_assert_cmpint (ob_ovf_document_get_engine_xml_state (doc), ==, c->state);
      g_assert_cmpstr (ob_ovf_document_get_engine_xml_balloon (doc), ==, c->model);
      g_assert_null (ob_ovf_document_get_engine_xml_problem (doc));
      summary = ob_ovf_document_dup_engine_xml_summary (doc);
      if (c->state == OB_OVF_ENGINE_XML_ABSENT)
        g_assert_cmpstr (summary, ==, "absent (libvirt default: virtio)");
      else if (c->state == OB_OVF_ENGINE_XML_NONE)
        g_assert_null (summary);

      g_assert_true (ob_ovf_document_set_balloon_enabled (doc, to_on, FALSE, &error));
      g_assert_no_error (error);
      g_assert_true (ob_ovf_document_get_balloon_enabled (doc) == to_on);
      text = engine_xml_of (doc);
      g_assert_cmpstr (text, ==, to_on ? c->after_on : c->after_off);

      /* Idempotent, and what the full reader (libxml2 too) reads back. */
      once = ob_ovf_document_get_ovf_bytes (doc);
      g_assert_true (ob_ovf_document_set_balloon_enabled (doc, to_on, FALSE, &error));
      twice = ob_ovf_document_get_ovf_bytes (doc);
      g_assert_true (g_bytes_equal (once, twice));
      again = reload (doc);
      if (c->state == OB_OVF_ENGINE_XML_NONE)
        g_assert_cmpint (ob_ovf_document_get_engine_xml_state (again), ==, OB_OVF_ENGINE_XML_NONE);
      else if (!to_on)
        g_assert_cmpstr (ob_ovf_document_get_engine_xml_balloon (again), ==, "none");
      else
        g_assert_cmpint (ob_ovf_document_get_engine_xml_state (again), ==, c->state);
    }
}

/* Off inserts, on then sets the inserted one to virtio: the two always
 * agree, and nothing else moves. */
static void
test_absent_round_trip (void)
{
  const char *absent = ENGINE_DOMAIN ("&lt;devices&gt;" CONSOLE LEASE "&lt;/devices&gt;");
  g_autoptr(ObOvfDocument) doc = load (absent);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_true (ob_ovf_document_set_balloon_enabled (doc, FALSE, FALSE, &error));
  g_assert_true (ob_ovf_document_set_balloon_enabled (doc, TRUE, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ob_ovf_document_get_engine_xml_state (doc), ==, OB_OVF_ENGINE_XML_SET);
  g_assert_cmpstr (ob_ovf_document_get_engine_xml_balloon (doc), ==, "virtio");
  text = engine_xml_of (doc);
  g_assert_cmpstr (text, ==, ENGINE_DOMAIN ("&lt;devices&gt;" CONSOLE LEASE BALLOON ("virtio") "&lt;/devices&gt;"));
}

static const struct { const char *name; const char *engine_xml; const char *reason; } unusable[] = {
  { "no-devices", ENGINE_DOMAIN (""), "<devices>" },
  { "not-well-formed", "&lt;domain&gt;&lt;devices&gt;&lt;/domain&gt;", "not well-formed" },
  { "not-a-domain", "&lt;network&gt;&lt;devices/&gt;&lt;/network&gt;", "<domain>" },
  { "raw-elements", "<domain><devices/></domain>", "elements" },
  { "two-balloons", ENGINE_DOMAIN ("&lt;devices&gt;" BALLOON ("none") BALLOON ("virtio") "&lt;/devices&gt;"),
    "more than one" },
  { "no-model", ENGINE_DOMAIN ("&lt;devices&gt;&lt;memballoon/&gt;&lt;/devices&gt;"), "no model" },
};

static void
test_unusable (gconstpointer data)
{
  const char *engine_xml = unusable[GPOINTER_TO_UINT (data)].engine_xml;
  const char *reason = unusable[GPOINTER_TO_UINT (data)].reason;

  for (int to_on = 0; to_on <= 1; to_on++)
    {
      g_autoptr(ObOvfDocument) doc = load (engine_xml);
      g_autoptr(GBytes) before = ob_ovf_document_get_ovf_bytes (doc);
      g_autoptr(GBytes) after = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *summary = NULL;

      g_assert_cmpint (ob_ovf_document_get_engine_xml_state (doc), ==, OB_OVF_ENGINE_XML_UNUSABLE);
      g_assert_null (ob_ovf_document_get_engine_xml_balloon (doc));
      g_assert_nonnull (strstr (ob_ovf_document_get_engine_xml_problem (doc), reason));
      summary = ob_ovf_document_dup_engine_xml_summary (doc);
      g_assert_true (g_str_has_prefix (summary, "unusable: "));

      g_assert_false (ob_ovf_document_set_balloon_enabled (doc, to_on, TRUE, &error));
      g_assert_error (error, OB_ERROR, OB_ERROR_BAD_INPUT);
      g_assert_nonnull (strstr (error->message, "EngineXml"));
      g_assert_nonnull (strstr (error->message, reason));
      /* Refused before any byte changed. */
      after = ob_ovf_document_get_ovf_bytes (doc);
      g_assert_true (g_bytes_equal (before, after));
      g_assert_false (ob_ovf_document_get_modified (doc));
    }
}

/* The decoding map is bounded: an outsize EngineXml is refused, not read. */
static void
test_too_big (void)
{
  GString *big = g_string_new ("&lt;domain type=\"kvm\"&gt;&lt;devices/&gt;");
  g_autoptr(ObOvfDocument) doc = NULL;
  g_autoptr(GError) error = NULL;

  while (big->len < 1100 * 1024)
    g_string_append (big, "&lt;description&gt;x&lt;/description&gt;\n");
  g_string_append (big, "&lt;/domain&gt;");
  doc = load (big->str);
  g_string_free (big, TRUE);
  g_assert_cmpint (ob_ovf_document_get_engine_xml_state (doc), ==, OB_OVF_ENGINE_XML_UNUSABLE);
  g_assert_nonnull (strstr (ob_ovf_document_get_engine_xml_problem (doc), "MiB"));
  g_assert_false (ob_ovf_document_set_balloon_enabled (doc, FALSE, FALSE, &error));
  g_assert_error (error, OB_ERROR, OB_ERROR_BAD_INPUT);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ovf/engine-xml/%s", cases[i].name);

      g_test_add_data_func (path, &cases[i], test_case);
    }
  g_test_add_func ("/ovf/engine-xml/absent-round-trip", test_absent_round_trip);
  g_test_add_func ("/ovf/engine-xml/too-big", test_too_big);
  for (guint i = 0; i < G_N_ELEMENTS (unusable); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ovf/engine-xml/unusable/%s", unusable[i].name);

      g_test_add_data_func (path, GUINT_TO_POINTER (i), test_unusable);
    }
  return g_test_run ();
}
