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
 * cluster level forbids enabling, OB_ERROR_IO for file system failures.
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

/* OB_TYPE_OVF_FORMAT, OB_TYPE_OVF_BALLOON_SOURCE */
#include "ob-ovf-enums.h"

/* Properties (all read-only, notified on change): "file" (GFile),
 * "format" (ObOvfFormat), "name" (string), "balloon-enabled" (boolean),
 * "balloon-source" (ObOvfBalloonSource), "device-present" (boolean),
 * "modified" (boolean). */
#define OB_TYPE_OVF_DOCUMENT (ob_ovf_document_get_type ())
G_DECLARE_FINAL_TYPE (ObOvfDocument, ob_ovf_document, OB, OVF_DOCUMENT, GObject)

/* Loads @file: an OVA (detected by a tar header, or the .ova extension) or
 * a plain OVF. Refuses files over OB_OVF_MAX_SIZE (for an OVA: an OVF member
 * over it), DTDs declaring entities or loading external DTDs, and never
 * touches the network. */
ObOvfDocument      *ob_ovf_document_load                  (GFile               *file,
                                                           GCancellable        *cancellable,
                                                           GError             **error);
/* The same, parsing in a worker thread. */
void                ob_ovf_document_load_async            (GFile               *file,
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
/* The VM or template name (<Name>), or NULL. */
const char         *ob_ovf_document_get_name              (ObOvfDocument       *self);

/* The level the cluster rule uses: ClusterCompatibilityVersion, else the
 * envelope's ovf:version. NULL when missing or unparseable. */
const ObCompatVersion *ob_ovf_document_get_compat_level   (ObOvfDocument       *self);
/* The raw text it came from, or NULL when neither is present. */
const char         *ob_ovf_document_get_compat_level_text (ObOvfDocument       *self);
/* TRUE when the level came from ClusterCompatibilityVersion. */
gboolean            ob_ovf_document_get_compat_level_from_cluster (ObOvfDocument *self);

gboolean            ob_ovf_document_get_balloon_enabled   (ObOvfDocument       *self);
ObOvfBalloonSource  ob_ovf_document_get_balloon_source    (ObOvfDocument       *self);
gboolean            ob_ovf_document_get_device_present    (ObOvfDocument       *self);

/* Edits the OVF in memory. Enabling asks ob_balloon_policy_check_enable()
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

/* Writes atomically (temp file in the target directory, fsync, rename,
 * permissions kept). @destination NULL means in place; in place and not
 * modified writes nothing. For an OVA the other members are streamed from
 * the original archive, never read into memory. @backup keeps the previous
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
/* "ovf", "ova". */
const char         *ob_ovf_format_to_string               (ObOvfFormat          format);

G_END_DECLS
