/* ob-ovf-document.h: an oVirt OVF (plain file or the OVF member of an OVA)
 * and the memory balloon setting it carries, edited surgically.
 *
 * The CLI (`ovirt-balloon-cli ovf ...`) and the GTK OVF editor both use this
 * API and nothing else, so they behave the same.
 *
 * Reading (oVirt engine OvfReader semantics):
 *  - a <BalloonEnabled> element in Content/VirtualSystem decides when present
 *    (case-insensitive "true" is on, anything else off): source ELEMENT;
 *  - else the balloon is on iff a balloon device <Item> exists (ResourceType
 *    0, Type balloon, Device memballoon, matched by local name): DEVICE;
 *  - neither: off, source ABSENT (VMs from before the feature).
 *
 * Writing changes only the bytes of the elements concerned; everything else
 * (declaration, prefixes, whitespace, quoting, comments, order) is kept.
 * Flag era (has <BalloonEnabled>): sets the element and makes sure the device
 * Item exists. Device era: enabling adds the Item as the engine writes it,
 * disabling removes it.
 *
 * Errors: OB_ERROR_BAD_INPUT for anything wrong with the file (the message
 * names the file and, for XML errors, the line), OB_ERROR_REFUSED when the
 * cluster level forbids enabling, OB_ERROR_IO for file system failures,
 * OB_ERROR_CONFLICT when a save finds that the file changed on disk since
 * it was loaded or last saved (a lost update: nothing is written; offer to
 * reload or to save elsewhere).
 *
 * Threads: a document is not thread-safe; the _async variants take a
 * snapshot of what they need, so do not edit a document while it saves.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ob-compat-version.h"

G_BEGIN_DECLS

/* Files (and OVF members of an OVA) larger than this are refused before
 * they are read. */
#define OB_OVF_MAX_SIZE (64 * 1024 * 1024)

/* Peak memory of a load (and of one edit) stays under this many times the
 * OVF's size, plus a fixed 64 MiB. */
#define OB_OVF_MEMORY_FACTOR 3

typedef enum
{
  OB_OVF_FORMAT_OVF,
  OB_OVF_FORMAT_OVA,
} ObOvfFormat;

typedef enum
{
  OB_OVF_BALLOON_SOURCE_ELEMENT,  /* <BalloonEnabled> decided (oVirt >= 4.4.6) */
  OB_OVF_BALLOON_SOURCE_DEVICE,   /* the balloon device Item is present */
  OB_OVF_BALLOON_SOURCE_ABSENT,   /* neither: disabled */
} ObOvfBalloonSource;

/* Who wrote the OVF, decided once by the reader. */
typedef enum
{
  OB_OVF_FLAVOUR_ENGINE,   /* the engine's export / OVF_STORE flavour (Content), or virt-v2v -o ovirt */
  OB_OVF_FLAVOUR_OVA,      /* oVirt's OVA export or virt-v2v -o vdsm: a VirtualSystem with oVirt evidence
                            * (the ovirt namespace, ClusterCompatibilityVersion, BalloonEnabled, or
                            * device Items with Type/Device) */
  OB_OVF_FLAVOUR_FOREIGN,  /* anything else (VMware, VirtualBox, DMTF samples): read, never edited */
} ObOvfFlavour;

/* The manifest of an OVA. */
typedef enum
{
  OB_OVF_MANIFEST_NONE,             /* a plain OVF, or an OVA without "*.mf" */
  OB_OVF_MANIFEST_UPDATED_ON_SAVE,  /* its lines naming the OVF member get the new digest */
  OB_OVF_MANIFEST_SIGNED,           /* a "*.cert" signs it: saving needs drop_signature */
} ObOvfManifestState;

/* The balloon of the hosted engine's libvirt XML, in <EngineXml>. */
typedef enum
{
  OB_OVF_ENGINE_XML_NONE,      /* no <EngineXml>, or an empty one */
  OB_OVF_ENGINE_XML_SET,       /* a <memballoon>: its model is ob_ovf_document_get_engine_xml_balloon() */
  OB_OVF_ENGINE_XML_ABSENT,    /* <devices> without <memballoon>: libvirt adds a virtio balloon */
  OB_OVF_ENGINE_XML_UNUSABLE,  /* no <devices>, or XML that cannot be read: balloon edits are refused */
} ObOvfEngineXmlState;

/* OB_TYPE_OVF_FORMAT, OB_TYPE_OVF_FLAVOUR, OB_TYPE_OVF_BALLOON_SOURCE, ... */
#include "ob-ovf-enums.h"

/* Properties (all read-only, notified on change): "file" (GFile),
 * "format" (ObOvfFormat), "name" (string), "balloon-enabled" (boolean),
 * "balloon-source" (ObOvfBalloonSource), "device-present" (boolean),
 * "modified" (boolean). */
#define OB_TYPE_OVF_DOCUMENT (ob_ovf_document_get_type ())
G_DECLARE_FINAL_TYPE (ObOvfDocument, ob_ovf_document, OB, OVF_DOCUMENT, GObject)

/* Loads @file: an OVA (detected by a tar header, or the .ova extension) or
 * a plain OVF. Refuses at once anything but a regular file (a FIFO, a
 * device), files over OB_OVF_MAX_SIZE (for an OVA: an OVF member over it),
 * OVAs holding two members of one name, DTDs declaring entities or loading
 * external DTDs, and markup that libxml2 and the byte scanner the edits rely
 * on read differently (the root, or any element the reader looks at, at
 * different offsets). Never touches the network. Remembers the file's
 * identity (device, inode, size, mtime, SHA-256 of the OVF read) for the
 * lost-update check of ob_ovf_document_save(). */
ObOvfDocument      *ob_ovf_document_load                  (GFile               *file,
                                                           GCancellable        *cancellable,
                                                           GError             **error);
/* The same, for an OVA holding several .ovf members: reads @member_name
 * (NULL: the default choice). OB_ERROR_USAGE, naming the members, when
 * there is no such .ovf member. */
ObOvfDocument      *ob_ovf_document_load_member           (GFile               *file,
                                                           const char          *member_name,
                                                           GCancellable        *cancellable,
                                                           GError             **error);
/* The same, parsing in a worker thread. */
void                ob_ovf_document_load_async            (GFile               *file,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
/* ob_ovf_document_load_member() in a worker thread; finish with
 * ob_ovf_document_load_finish(). */
void                ob_ovf_document_load_member_async     (GFile               *file,
                                                           const char          *member_name,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
ObOvfDocument      *ob_ovf_document_load_finish           (GAsyncResult        *result,
                                                           GError             **error);

/* An OVF held in memory (tests, fuzzing). @display_name is used in error
 * messages. The document has no file: save it with an explicit destination. */
ObOvfDocument      *ob_ovf_document_new_from_bytes        (GBytes              *bytes,
                                                           const char          *display_name,
                                                           GError             **error);

/* Owned by the document. NULL for a document made from bytes. */
GFile              *ob_ovf_document_get_file              (ObOvfDocument       *self);
ObOvfFormat         ob_ovf_document_get_format            (ObOvfDocument       *self);
/* For an OVA: the archive member holding the OVF ("vm.ovf"); else NULL. */
const char         *ob_ovf_document_get_ova_member        (ObOvfDocument       *self);
/* What the last load or save has to tell the user, one line each, or
 * NULL: that an interrupted in-place edit of the OVA was undone on
 * opening it, or why a save had to write a whole copy of the archive. */
const char         *ob_ovf_document_get_note              (ObOvfDocument       *self);
/* Every .ovf member of the OVA, in archive order (NULL for a plain OVF);
 * free with g_strfreev(). More than one: an OVF_STORE-like archive, where
 * the caller should let the user pick with ob_ovf_document_load_member(). */
char              **ob_ovf_document_dup_ova_members       (ObOvfDocument       *self);
/* The VM or template name (<Name>; for a VirtualSystem without one, its
 * ovf:id), or NULL. */
const char         *ob_ovf_document_get_name              (ObOvfDocument       *self);
ObOvfFlavour        ob_ovf_document_get_flavour           (ObOvfDocument       *self);

/* Hosted-engine OVFs carry the engine VM's libvirt XML in <EngineXml>.
 * Every balloon edit keeps it in step: on sets a "none" model to "virtio"
 * (an absent <memballoon> already means virtio to libvirt), off sets the
 * model to "none" or inserts <memballoon model="none"/> in <devices>. An
 * UNUSABLE one makes balloon edits fail with OB_ERROR_BAD_INPUT. */
ObOvfEngineXmlState ob_ovf_document_get_engine_xml_state  (ObOvfDocument       *self);
/* The model of its <memballoon> ("virtio", "none"...) when SET, else NULL. */
const char         *ob_ovf_document_get_engine_xml_balloon (ObOvfDocument      *self);
/* Why it is UNUSABLE (a clause), else NULL. */
const char         *ob_ovf_document_get_engine_xml_problem (ObOvfDocument      *self);
/* One line for people: "model none", "absent (libvirt default: virtio)",
 * "unusable: ..."; NULL for NONE. */
char               *ob_ovf_document_dup_engine_xml_summary (ObOvfDocument      *self);
ObOvfManifestState  ob_ovf_document_get_manifest_state    (ObOvfDocument       *self);
/* The OVA's "*.mf" and "*.cert" members, or NULL. */
const char         *ob_ovf_document_get_manifest_member   (ObOvfDocument       *self);
const char         *ob_ovf_document_get_signature_member  (ObOvfDocument       *self);
/* Lets the next saves of a signed OVA drop the "*.cert" member (an edit
 * breaks the signature); without it they fail with OB_ERROR_REFUSED. */
void                ob_ovf_document_set_drop_signature    (ObOvfDocument       *self,
                                                           gboolean             drop);

/* The level the cluster rule uses: ClusterCompatibilityVersion, else (in
 * the engine flavour only) the envelope's ovf:version. NULL when missing or
 * unparseable. */
const ObCompatVersion *ob_ovf_document_get_compat_level   (ObOvfDocument       *self);
/* The raw text it came from, or NULL when neither is present. */
const char         *ob_ovf_document_get_compat_level_text (ObOvfDocument       *self);
/* TRUE when the level came from ClusterCompatibilityVersion. */
gboolean            ob_ovf_document_get_compat_level_from_cluster (ObOvfDocument *self);

gboolean            ob_ovf_document_get_balloon_enabled   (ObOvfDocument       *self);
ObOvfBalloonSource  ob_ovf_document_get_balloon_source    (ObOvfDocument       *self);
gboolean            ob_ovf_document_get_device_present    (ObOvfDocument       *self);

/* Edits the OVF in memory. A foreign OVF is refused (OB_ERROR_BAD_INPUT):
 * oVirt decides the balloon of an imported foreign VM itself. Enabling asks ob_balloon_policy_check_enable()
 * with the document's level and fails with OB_ERROR_REFUSED (naming the
 * level) unless @force. Disabling is always allowed. Setting the current
 * state changes nothing (except a flag-era OVF missing its device Item,
 * which gets it). Returns FALSE only on error. */
gboolean            ob_ovf_document_set_balloon_enabled   (ObOvfDocument       *self,
                                                           gboolean             enabled,
                                                           gboolean             force,
                                                           GError             **error);
/* TRUE when the in-memory OVF differs from what was loaded or last saved. */
gboolean            ob_ovf_document_get_modified          (ObOvfDocument       *self);

/* Writes atomically (temp file in the target directory with the final
 * permissions from the start, fsync, rename). @destination NULL means in
 * place; in place and not modified writes nothing. A save that replaces the
 * loaded file, or reads it (every OVA save streams the original), first
 * checks that it is still the file that was loaded: OB_ERROR_CONFLICT if
 * not. An OVA without a manifest or signature saved over itself is edited
 * in place under an undo journal where it can be (ob-ova-inplace.h);
 * otherwise the other members are streamed from the original archive,
 * never read into memory, and the note says why; the lines
 * of its manifest naming the OVF member get the new digest (same algorithm,
 * same line format), and a signed OVA is refused (OB_ERROR_REFUSED) unless
 * ob_ovf_document_set_drop_signature(), which leaves the "*.cert" out. @backup keeps the previous
 * destination as "DESTINATION.bak". After an in-place save (or a save to
 * another file, which then becomes the document's file) modified is FALSE. */
gboolean            ob_ovf_document_save                  (ObOvfDocument       *self,
                                                           GFile               *destination,
                                                           gboolean             backup,
                                                           GCancellable        *cancellable,
                                                           GError             **error);
void                ob_ovf_document_save_async            (ObOvfDocument       *self,
                                                           GFile               *destination,
                                                           gboolean             backup,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gboolean            ob_ovf_document_save_finish           (ObOvfDocument       *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);

/* The current OVF text (edited or not); a new reference, unref it. */
GBytes             *ob_ovf_document_get_ovf_bytes         (ObOvfDocument       *self);

/* Stable names for scripts: "BalloonEnabled", "device", "absent". */
const char         *ob_ovf_balloon_source_to_string       (ObOvfBalloonSource   source);
/* "none", "updated-on-save", "signed". */
const char         *ob_ovf_manifest_state_to_string       (ObOvfManifestState   state);
/* "engine", "ova", "foreign". */
const char         *ob_ovf_flavour_to_string              (ObOvfFlavour         flavour);
/* "ovf", "ova". */
const char         *ob_ovf_format_to_string               (ObOvfFormat          format);

G_END_DECLS
