/* test-ovf-flavour.c: the reader's rules for files from the wild: oVirt or
 * foreign, which ovf:version is a level, vApps, DMTF names, namespaces of
 * new elements, OVF 2.0 and compressed archives.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "ob-error.h"
#include "ob-ovf-document.h"

#define RASD "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData"
#define HW_ITEM "<Item><rasd:ResourceType>3</rasd:ResourceType><rasd:InstanceID>1</rasd:InstanceID></Item>"

static ObOvfDocument *
doc_from (const char  *text,
          GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return ob_ovf_document_new_from_bytes (bytes, "wild.ovf", error);
}

/* A VMware-style DMTF file: VirtualSystem, ovf:version 1.0, RASD only. */
static const char vmware[] =
  "<?xml version='1.0' encoding='UTF-8'?>\n"
  "<Envelope xmlns='http://schemas.dmtf.org/ovf/envelope/1' xmlns:ovf='http://schemas.dmtf.org/ovf/envelope/1' "
  "xmlns:rasd='" RASD "' xmlns:vmw='http://www.vmware.com/schema/ovf' ovf:version='1.0'>\n"
  "  <VirtualSystem ovf:id='photon'>\n"
  "    <VirtualHardwareSection>\n      " HW_ITEM "\n    </VirtualHardwareSection>\n"
  "  </VirtualSystem>\n</Envelope>\n";

static void
test_foreign (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ObOvfDocument) doc = doc_from (vmware, &error);
  g_autoptr(GBytes) after = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (ob_ovf_document_get_flavour (doc), ==, OB_OVF_FLAVOUR_FOREIGN);
  g_assert_cmpstr (ob_ovf_flavour_to_string (OB_OVF_FLAVOUR_FOREIGN), ==, "foreign");
  /* The DMTF envelope version is no cluster level. */
  g_assert_null (ob_ovf_document_get_compat_level (doc));
  g_assert_null (ob_ovf_document_get_compat_level_text (doc));
  /* No <Name>: the VirtualSystem's ovf:id. */
  g_assert_cmpstr (ob_ovf_document_get_name (doc), ==, "photon");

  g_assert_false (ob_ovf_document_set_balloon_enabled (doc, TRUE, TRUE, &error));
  g_assert_error (error, OB_ERROR, OB_ERROR_BAD_INPUT);
  g_assert_nonnull (strstr (error->message, "not an oVirt OVF"));
  g_assert_false (ob_ovf_document_get_modified (doc));
  after = ob_ovf_document_get_ovf_bytes (doc);
  g_assert_cmpmem (g_bytes_get_data (after, NULL), g_bytes_get_size (after), vmware, strlen (vmware));
}

typedef struct
{
  const char *name;
  const char *text;
  ObOvfFlavour flavour;
  const char *level;
} FlavourCase;

static const FlavourCase flavours[] = {
  { "engine-content",
    "<ovf:Envelope xmlns:ovf='http://schemas.dmtf.org/ovf/envelope/1/' xmlns:rasd='" RASD "' "
    "xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance' ovf:version='4.1.0.0'><Content>"
    "<Section xsi:type='ovf:VirtualHardwareSection_Type'>" HW_ITEM "</Section></Content></ovf:Envelope>",
    OB_OVF_FLAVOUR_ENGINE, "4.1.0.0" },
  { "ova-ovirt-namespace",
    "<Envelope xmlns='http://schemas.dmtf.org/ovf/envelope/1' xmlns:ovf='http://schemas.dmtf.org/ovf/envelope/1' "
    "xmlns:ovirt='http://www.ovirt.org/ovf' xmlns:rasd='" RASD "' ovf:version='4.4.0.0'><VirtualSystem ovf:id='x'>"
    "<VirtualHardwareSection>" HW_ITEM "</VirtualHardwareSection></VirtualSystem></Envelope>",
    OB_OVF_FLAVOUR_OVA, NULL },
  { "ova-cluster-level",
    "<Envelope xmlns='http://schemas.dmtf.org/ovf/envelope/1' xmlns:rasd='" RASD "'><VirtualSystem>"
    "<ClusterCompatibilityVersion>4.6</ClusterCompatibilityVersion>"
    "<VirtualHardwareSection>" HW_ITEM "</VirtualHardwareSection></VirtualSystem></Envelope>",
    OB_OVF_FLAVOUR_OVA, "4.6" },
  { "ova-device-items",
    "<Envelope xmlns='http://schemas.dmtf.org/ovf/envelope/1' xmlns:rasd='" RASD "'><VirtualSystem>"
    "<VirtualHardwareSection><Item><rasd:ResourceType>17</rasd:ResourceType><Type>disk</Type>"
    "<Device>disk</Device></Item></VirtualHardwareSection></VirtualSystem></Envelope>",
    OB_OVF_FLAVOUR_OVA, NULL },
};

static void
test_flavour (gconstpointer data)
{
  const FlavourCase *fc = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ObOvfDocument) doc = doc_from (fc->text, &error);

  g_assert_no_error (error);
  g_assert_cmpint (ob_ovf_document_get_flavour (doc), ==, fc->flavour);
  g_assert_cmpstr (ob_ovf_document_get_compat_level_text (doc), ==, fc->level);
  g_assert_true (ob_ovf_document_set_balloon_enabled (doc, TRUE, TRUE, &error));
  g_assert_no_error (error);
}

static void
test_vapp (void)
{
  static const char text[] =
    "<Envelope xmlns='http://schemas.dmtf.org/ovf/envelope/1' xmlns:ovf='http://schemas.dmtf.org/ovf/envelope/1'>"
    "<VirtualSystemCollection ovf:id='vapp'><VirtualSystem ovf:id='a'/><VirtualSystem ovf:id='b'/>"
    "<VirtualSystem ovf:id='c'/></VirtualSystemCollection></Envelope>";
  g_autoptr(GError) error = NULL;
  g_autoptr(ObOvfDocument) doc = doc_from (text, &error);

  g_assert_null (doc);
  g_assert_error (error, OB_ERROR, OB_ERROR_BAD_INPUT);
  g_assert_nonnull (strstr (error->message, "a VirtualSystemCollection of 3 VMs: only single-VM OVFs are supported"));
}

static void
test_ovf2 (void)
{
  static const char text[] =
    "<Envelope xmlns='http://schemas.dmtf.org/ovf/envelope/2'><VirtualSystem/></Envelope>";
  g_autoptr(GError) error = NULL;
  g_autoptr(ObOvfDocument) doc = doc_from (text, &error);

  g_assert_null (doc);
  g_assert_error (error, OB_ERROR, OB_ERROR_BAD_INPUT);
  g_assert_nonnull (strstr (error->message, "OVF 2.0"));
  g_assert_nonnull (strstr (error->message, "envelope/2"));
}

/* No default namespace, everything ovf:-prefixed: the new Item and its
 * oVirt children take the ovf: prefix of their siblings. */
static void
test_new_elements_namespace (void)
{
  static const char text[] =
    "<ovf:Envelope xmlns:ovf='http://schemas.dmtf.org/ovf/envelope/1' xmlns:ovirt='http://www.ovirt.org/ovf' "
    "xmlns:rasd='" RASD "'><ovf:VirtualSystem ovf:id='x'><ovf:VirtualHardwareSection>"
    "<ovf:Item><rasd:ResourceType>3</rasd:ResourceType></ovf:Item>"
    "</ovf:VirtualHardwareSection></ovf:VirtualSystem></ovf:Envelope>";
  g_autoptr(GError) error = NULL;
  g_autoptr(ObOvfDocument) doc = doc_from (text, &error);
  g_autoptr(GBytes) out = NULL;
  const char *edited;

  g_assert_no_error (error);
  g_assert_true (ob_ovf_document_set_balloon_enabled (doc, TRUE, TRUE, &error));
  g_assert_no_error (error);
  out = ob_ovf_document_get_ovf_bytes (doc);
  edited = g_bytes_get_data (out, NULL);
  g_assert_nonnull (strstr (edited, "<ovf:Item><rasd:ResourceType>0</rasd:ResourceType>"));
  g_assert_nonnull (strstr (edited, "<ovf:Type>balloon</ovf:Type><ovf:Device>memballoon</ovf:Device>"));
  g_assert_nonnull (strstr (edited, "<ovf:SpecParams><ovf:model>virtio</ovf:model></ovf:SpecParams>"));
  g_assert_true (ob_ovf_document_get_balloon_enabled (doc));
}

static void
test_compressed (void)
{
  static const guint8 gzip_head[] = { 0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 3 };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ob-flavour-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "vm.ova", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ObOvfDocument) doc = NULL;

  g_assert_true (g_file_set_contents (path, (const char *) gzip_head, sizeof gzip_head, NULL));
  doc = ob_ovf_document_load (file, NULL, &error);
  g_assert_null (doc);
  g_assert_error (error, OB_ERROR, OB_ERROR_BAD_INPUT);
  g_assert_nonnull (strstr (error->message, "compressed archive (gzip): unpack it first"));
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ovf/wild/foreign", test_foreign);
  for (guint i = 0; i < G_N_ELEMENTS (flavours); i++)
    {
      g_autofree char *name = g_strdup_printf ("/ovf/wild/flavour/%s", flavours[i].name);

      g_test_add_data_func (name, &flavours[i], test_flavour);
    }
  g_test_add_func ("/ovf/wild/vapp", test_vapp);
  g_test_add_func ("/ovf/wild/ovf2", test_ovf2);
  g_test_add_func ("/ovf/wild/new-elements-namespace", test_new_elements_namespace);
  g_test_add_func ("/ovf/wild/compressed", test_compressed);

  return g_test_run ();
}
