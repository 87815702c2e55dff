/* ob-cli-ovf.c: `ovirt-balloon-cli ovf show|set-balloon`, offline editing
 * of OVF files and OVA archives over ObOvfDocument.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "ob-balloon-policy.h"
#include "ob-cli.h"
#include "ob-error.h"
#include "ob-ovf-document.h"

static void
print_ovf_usage (FILE *out)
{
  fprintf (out, "%s",
           _("Usage:\n"
             "  ovirt-balloon-cli ovf show FILE [--json] [--member NAME]\n"
             "  ovirt-balloon-cli ovf set-balloon FILE on|off [--output OUT] [--force] [--backup]\n"
             "                                   [--drop-signature] [--member NAME]\n"
             "\n"
             "FILE is an oVirt OVF file or an OVA archive (a tar holding vm.ovf or template.ovf).\n"
             "\n"
             "show          print the VM name, compatibility level and balloon state\n"
             "  --json      one JSON object: path, format, flavour (engine, ova, foreign), name,\n"
             "              cluster_compatibility_version, balloon_enabled (null when foreign),\n"
             "              balloon_source,\n"
             "              device_present, manifest (none, updated-on-save, signed), member\n"
             "              (for an OVA); for hosted-engine files engine_xml_balloon (the model\n"
             "              of the libvirt XML's memballoon, \"absent\" or \"unusable\"),\n"
             "              engine_xml_balloon_effective (what libvirt uses: absent is virtio)\n"
             "              and engine_xml_problem (why it is unusable: edits are refused);\n"
             "              an array of these for an OVA of several .ovf\n"
             "set-balloon   turn the memory balloon on or off; only the balloon lines change\n"
             "  --output    write to OUT instead of replacing FILE\n"
             "  --force     enable even below compatibility level 3.1\n"
             "  --backup    keep the replaced file as FILE.bak\n"
             "  --member    the .ovf member of an OVA holding several (show lists them all)\n"
             "  --drop-signature  remove the .cert of a signed OVA (the edit breaks it);\n"
             "              without it a signed OVA is refused (exit 3)\n"
             "\n"
             "Exit status: 0 ok, 1 failed, 2 usage error, 3 refused by validation, 5 bad input file.\n"));
}

static int
usage_error (const char *message)
{
  g_autoptr(GError) error = g_error_new_literal (OB_ERROR, OB_ERROR_USAGE, message);

  return ob_error_report (error);
}

/* The level as scripts want it: "4.2" when it parses, else the raw text. */
static char *
level_for_display (ObOvfDocument *doc)
{
  const ObCompatVersion *level = ob_ovf_document_get_compat_level (doc);
  const char *text = ob_ovf_document_get_compat_level_text (doc);

  if (level != NULL)
    return ob_compat_version_to_string (level);
  return g_strdup (text);
}

/* One "note:" line on stderr per line of the document's note. */
static void
print_note (ObOvfDocument *doc)
{
  const char *note = ob_ovf_document_get_note (doc);
  g_auto(GStrv) lines = note ? g_strsplit (note, "\n", -1) : NULL;

  for (guint i = 0; lines != NULL && lines[i] != NULL; i++)
    g_printerr ("%s %s\n", _("note:"), lines[i]);
}

static ObOvfDocument *
load (const char  *path,
      const char  *member,
      GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  ObOvfDocument *doc = ob_ovf_document_load_member (file, member, NULL, error);

  if (doc != NULL)
    print_note (doc);
  return doc;
}

/* The .ovf members of an OVA that holds more than one, else NULL. */
static char **
several_members (ObOvfDocument *doc)
{
  g_auto(GStrv) members = ob_ovf_document_dup_ova_members (doc);

  return members != NULL && g_strv_length (members) > 1 ? g_steal_pointer (&members) : NULL;
}

static void
add_json_object (JsonBuilder   *builder,
                 ObOvfDocument *doc,
                 const char    *path)
{
  g_autofree char *level = level_for_display (doc);
  const char *name = ob_ovf_document_get_name (doc);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, path);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, ob_ovf_format_to_string (ob_ovf_document_get_format (doc)));
  json_builder_set_member_name (builder, "flavour");
  json_builder_add_string_value (builder, ob_ovf_flavour_to_string (ob_ovf_document_get_flavour (doc)));
  json_builder_set_member_name (builder, "name");
  if (name != NULL)
    json_builder_add_string_value (builder, name);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "cluster_compatibility_version");
  if (level != NULL)
    json_builder_add_string_value (builder, level);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "balloon_enabled");
  if (ob_ovf_document_get_flavour (doc) == OB_OVF_FLAVOUR_FOREIGN)
    json_builder_add_null_value (builder);   /* the importer decides */
  else
    json_builder_add_boolean_value (builder, ob_ovf_document_get_balloon_enabled (doc));
  json_builder_set_member_name (builder, "balloon_source");
  json_builder_add_string_value (builder,
                                 ob_ovf_balloon_source_to_string (ob_ovf_document_get_balloon_source (doc)));
  json_builder_set_member_name (builder, "device_present");
  json_builder_add_boolean_value (builder, ob_ovf_document_get_device_present (doc));
  json_builder_set_member_name (builder, "manifest");
  json_builder_add_string_value (builder,
                                 ob_ovf_manifest_state_to_string (ob_ovf_document_get_manifest_state (doc)));
  switch (ob_ovf_document_get_engine_xml_state (doc))
    {
    case OB_OVF_ENGINE_XML_SET:
    case OB_OVF_ENGINE_XML_ABSENT:
      {
        const char *model = ob_ovf_document_get_engine_xml_balloon (doc);

        json_builder_set_member_name (builder, "engine_xml_balloon");
        json_builder_add_string_value (builder, model ? model : "absent");
        /* libvirt gives a QEMU domain without <memballoon> a virtio one. */
        json_builder_set_member_name (builder, "engine_xml_balloon_effective");
        json_builder_add_string_value (builder, model ? model : "virtio");
      }
      break;
    case OB_OVF_ENGINE_XML_UNUSABLE:
      json_builder_set_member_name (builder, "engine_xml_balloon");
      json_builder_add_string_value (builder, "unusable");
      json_builder_set_member_name (builder, "engine_xml_balloon_effective");
      json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "engine_xml_problem");
      json_builder_add_string_value (builder, ob_ovf_document_get_engine_xml_problem (doc));
      break;
    case OB_OVF_ENGINE_XML_NONE:
    default:
      break;
    }
  if (ob_ovf_document_get_format (doc) == OB_OVF_FORMAT_OVA)
    {
      json_builder_set_member_name (builder, "member");
      json_builder_add_string_value (builder, ob_ovf_document_get_ova_member (doc));
    }
  json_builder_end_object (builder);

}

/* One object, or for an OVA of several .ovf members an array of them. */
static void
print_json (GPtrArray  *docs,
            const char *path)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  if (docs->len > 1)
    json_builder_begin_array (builder);
  for (guint i = 0; i < docs->len; i++)
    add_json_object (builder, g_ptr_array_index (docs, i), path);
  if (docs->len > 1)
    json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static const char *
source_description (ObOvfBalloonSource source)
{
  switch (source)
    {
    case OB_OVF_BALLOON_SOURCE_ELEMENT:
      return _("decided by the BalloonEnabled element");
    case OB_OVF_BALLOON_SOURCE_DEVICE:
      return _("decided by the balloon device Item");
    case OB_OVF_BALLOON_SOURCE_ABSENT:
    default:
      return _("no BalloonEnabled element and no balloon device Item");
    }
}

/* Why there is no level: ovf:version counts in the engine flavour only. */
static const char *
no_level_reason (ObOvfDocument *doc)
{
  if (ob_ovf_document_get_flavour (doc) == OB_OVF_FLAVOUR_ENGINE)
    return _("no ClusterCompatibilityVersion, no ovf:version");
  return _("no ClusterCompatibilityVersion; ovf:version is an engine level only in engine exports");
}

static const char *
flavour_description (ObOvfFlavour flavour)
{
  switch (flavour)
    {
    case OB_OVF_FLAVOUR_ENGINE:
      return _("oVirt engine export or OVF_STORE");
    case OB_OVF_FLAVOUR_OVA:
      return _("oVirt OVA export or virt-v2v output");
    case OB_OVF_FLAVOUR_FOREIGN:
    default:
      return _("not written by oVirt; read only");
    }
}

static void
print_human (ObOvfDocument *doc,
             const char    *path)
{
  g_autofree char *level = level_for_display (doc);
  const char *name = ob_ovf_document_get_name (doc);
  const char *level_text = ob_ovf_document_get_compat_level_text (doc);
  g_autofree char *engine_xml = ob_ovf_document_dup_engine_xml_summary (doc);

  g_print (_("File:                %s\n"), path);
  if (ob_ovf_document_get_format (doc) == OB_OVF_FORMAT_OVA)
    g_print (_("Format:              OVA (OVF member %s)\n"), ob_ovf_document_get_ova_member (doc));
  else
    g_print (_("Format:              OVF\n"));
  if (ob_ovf_document_get_manifest_state (doc) == OB_OVF_MANIFEST_SIGNED)
    g_print (_("Manifest:            %s, signed by %s (an edit needs --drop-signature)\n"),
             ob_ovf_document_get_manifest_member (doc) ? ob_ovf_document_get_manifest_member (doc) : _("none"),
             ob_ovf_document_get_signature_member (doc));
  else if (ob_ovf_document_get_manifest_state (doc) == OB_OVF_MANIFEST_UPDATED_ON_SAVE)
    g_print (_("Manifest:            %s (its digest of the OVF is updated on save)\n"),
             ob_ovf_document_get_manifest_member (doc));
  g_print (_("Flavour:             %s (%s)\n"), ob_ovf_flavour_to_string (ob_ovf_document_get_flavour (doc)),
           flavour_description (ob_ovf_document_get_flavour (doc)));
  g_print (_("Name:                %s\n"), name ? name : _("(none)"));
  if (level_text == NULL)
    g_print (_("Compatibility level: unknown (%s)\n"), no_level_reason (doc));
  else if (ob_ovf_document_get_compat_level (doc) == NULL)
    g_print (_("Compatibility level: unparseable (“%s”)\n"), level_text);
  else
    g_print (_("Compatibility level: %s (from %s)\n"), level,
             ob_ovf_document_get_compat_level_from_cluster (doc)
               ? "ClusterCompatibilityVersion" : "ovf:version");
  /* oVirt's rules do not read a foreign file: the importer decides. */
  if (ob_ovf_document_get_flavour (doc) == OB_OVF_FLAVOUR_FOREIGN)
    g_print (_("Memory balloon:      not set by this file (oVirt sets it when the VM is imported)\n"));
  else
    g_print (_("Memory balloon:      %s (%s)\n"),
             ob_ovf_document_get_balloon_enabled (doc) ? _("enabled") : _("disabled"),
             source_description (ob_ovf_document_get_balloon_source (doc)));
  g_print (_("Balloon device Item: %s\n"),
           ob_ovf_document_get_device_present (doc) ? _("present") : _("absent"));
  if (engine_xml != NULL && ob_ovf_document_get_engine_xml_state (doc) == OB_OVF_ENGINE_XML_UNUSABLE)
    g_print (_("EngineXml balloon:   %s\n"), engine_xml);
  else if (engine_xml != NULL)
    g_print (_("EngineXml balloon:   %s; edits keep the hosted engine's libvirt XML in step\n"), engine_xml);
}

static int
cmd_show (int    argc,
          char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ObOvfDocument) doc = NULL;
  g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(GStrv) members = NULL;
  g_autofree char *member = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object"), NULL },
    { "member", 0, 0, G_OPTION_ARG_STRING, &member, N_("The .ovf member of an OVA to read"), N_("NAME") },
    { NULL }
  };

  context = g_option_context_new (_("FILE — show the balloon state of an OVF or OVA"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);
  if (argc != 2)
    return usage_error (_("ovf show takes exactly one FILE"));

  doc = load (argv[1], member, &error);
  if (doc == NULL)
    return ob_error_report (error);

  /* Several VMs in one archive (an OVF_STORE, say): every one of them. */
  members = member == NULL ? several_members (doc) : NULL;
  if (members == NULL)
    g_ptr_array_add (docs, g_steal_pointer (&doc));
  for (guint i = 0; members != NULL && members[i] != NULL; i++)
    {
      ObOvfDocument *one = load (argv[1], members[i], &error);

      if (one == NULL)
        return ob_error_report (error);
      g_ptr_array_add (docs, one);
    }

  if (json)
    print_json (docs, argv[1]);
  else
    for (guint i = 0; i < docs->len; i++)
      {
        if (i > 0)
          g_print ("\n");
        print_human (g_ptr_array_index (docs, i), argv[1]);
      }
  return OB_EXIT_OK;
}

static int
cmd_set_balloon (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ObOvfDocument) doc = NULL;
  g_autoptr(GFile) destination = NULL;
  g_autofree char *output = NULL;
  g_autofree char *level = NULL;
  gboolean force = FALSE;
  gboolean backup = FALSE;
  gboolean drop_signature = FALSE;
  g_autofree char *signature = NULL;
  g_autofree char *member = NULL;
  g_auto(GStrv) members = NULL;
  gboolean enable;
  gboolean was_enabled;
  const char *path;
  const char *target;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write to OUT instead of replacing FILE"), N_("OUT") },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, N_("Enable even below compatibility level 3.1"), NULL },
    { "backup", 0, 0, G_OPTION_ARG_NONE, &backup, N_("Keep the replaced file as FILE.bak"), NULL },
    { "drop-signature", 0, 0, G_OPTION_ARG_NONE, &drop_signature,
      N_("Remove the signature (.cert) of a signed OVA, which the edit breaks"), NULL },
    { "member", 0, 0, G_OPTION_ARG_STRING, &member, N_("The .ovf member of an OVA to edit"), N_("NAME") },
    { NULL }
  };

  context = g_option_context_new (_("FILE on|off — turn the memory balloon on or off"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);
  if (argc != 3)
    return usage_error (_("ovf set-balloon takes a FILE and on or off"));

  path = argv[1];
  if (strcmp (argv[2], "on") == 0)
    enable = TRUE;
  else if (strcmp (argv[2], "off") == 0)
    enable = FALSE;
  else
    {
      g_autofree char *message = g_strdup_printf (_("expected on or off, not “%s”"), argv[2]);

      return usage_error (message);
    }

  doc = load (path, member, &error);
  if (doc == NULL)
    return ob_error_report (error);
  members = member == NULL ? several_members (doc) : NULL;
  if (members != NULL)
    {
      g_autofree char *names = g_strjoinv (", ", members);
      g_autofree char *message = g_strdup_printf (_("“%s” holds several OVFs (%s): choose one with --member NAME"),
                                                  path, names);

      return usage_error (message);
    }

  was_enabled = ob_ovf_document_get_balloon_enabled (doc);
  level = level_for_display (doc);

  /* A foreign OVF is refused by the edit itself; no level warning first. */
  if (enable && !was_enabled && ob_ovf_document_get_flavour (doc) != OB_OVF_FLAVOUR_FOREIGN)
    {
      /* An OVF does not carry the cluster's CPU architecture. */
      const ObCompatVersion *known = ob_ovf_document_get_compat_level (doc);
      ObBalloonVerdict verdict = ob_balloon_policy_verdict (ob_level_from_version (known), NULL);

      if (verdict == OB_BALLOON_LEVEL_UNKNOWN)
        {
          ObCompatVersion min_level = OB_BALLOON_MIN_LEVEL;
          g_autofree char *min_text = ob_compat_version_to_string (&min_level);

          if (level != NULL)
            g_printerr (_("warning: “%s”: the compatibility level “%s” cannot be parsed; "
                          "cannot check that it is %s or higher, enabling anyway\n"), path, level, min_text);
          else
            g_printerr (_("warning: “%s”: no compatibility level (%s); cannot check that it is %s or "
                          "higher, enabling anyway\n"),
                        path, no_level_reason (doc), min_text);
        }
      else if (verdict != OB_BALLOON_ALLOWED && force)
        {
          g_autofree char *reason = ob_balloon_policy_describe (verdict, ob_level_from_version (known), NULL);

          g_printerr (_("warning: “%s”: %s Enabling it anyway because of --force.\n"), path, reason);
        }
    }

  if (!ob_ovf_document_set_balloon_enabled (doc, enable, force, &error))
    {
      if (g_error_matches (error, OB_ERROR, OB_ERROR_REFUSED))
        {
          g_autofree char *message = g_strdup_printf (_("%s Use --force to enable it anyway."), error->message);

          g_free (error->message);
          error->message = g_steal_pointer (&message);
        }
      return ob_error_report (error);
    }

  if (output != NULL)
    destination = g_file_new_for_commandline_arg (output);
  target = output ? output : path;

  if (output == NULL && !ob_ovf_document_get_modified (doc))
    {
      g_print (_("“%s”: the memory balloon is already %s; nothing written\n"), path,
               enable ? _("enabled") : _("disabled"));
      return OB_EXIT_OK;
    }

  signature = g_strdup (ob_ovf_document_get_signature_member (doc));
  ob_ovf_document_set_drop_signature (doc, drop_signature);
  if (!ob_ovf_document_save (doc, destination, backup, NULL, &error))
    return ob_error_report (error);
  print_note (doc);

  if (was_enabled == enable)
    g_print (_("“%s”: the memory balloon stays %s; written to “%s”\n"), path,
             enable ? _("enabled") : _("disabled"), target);
  else
    g_print (_("“%s”: memory balloon %s; written to “%s”\n"), path,
             enable ? _("enabled") : _("disabled"), target);
  if (signature != NULL)
    g_print (_("“%s”: the signature “%s” was removed (--drop-signature)\n"), target, signature);
  if (ob_ovf_document_get_manifest_member (doc) != NULL)
    g_print (_("“%s”: manifest “%s” updated\n"), target, ob_ovf_document_get_manifest_member (doc));
  return OB_EXIT_OK;
}

int
ob_cli_ovf_main (int    argc,
                 char **argv)
{
  /* A write over the file size limit must fail with EFBIG and leave the
   * original in place, not kill the process halfway. */
  signal (SIGXFSZ, SIG_IGN);

  if (argc < 2)
    {
      print_ovf_usage (stderr);
      return OB_EXIT_USAGE;
    }

  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 || strcmp (argv[1], "help") == 0)
    {
      print_ovf_usage (stdout);
      return OB_EXIT_OK;
    }
  if (strcmp (argv[1], "show") == 0)
    return cmd_show (argc - 1, argv + 1);
  if (strcmp (argv[1], "set-balloon") == 0)
    return cmd_set_balloon (argc - 1, argv + 1);

  {
    g_autofree char *message = g_strdup_printf (_("unknown ovf command “%s” (expected show or set-balloon)"),
                                                argv[1]);
    int code = usage_error (message);

    print_ovf_usage (stderr);
    return code;
  }
}
