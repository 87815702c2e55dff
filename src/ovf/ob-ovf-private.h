/* ob-ovf-private.h: what the parts of the OVF document share, inside the
 * ob-ovf library only.
 *
 *  - ob-ovf-scanner.c: the byte scanner (element spans over the original
 *    bytes) and the helpers that read text and attributes from them;
 *  - ob-ovf-xml-guard.c: the libxml2 pass (well-formedness, DTD refusal);
 *  - ob-ovf-reader.c: reading files and what a document says (the era
 *    rules), with the offsets an edit needs;
 *  - ob-ovf-writer.c: surgical edits at those offsets;
 *  - ob-ovf-engine-xml.c: the hosted engine's libvirt XML in <EngineXml>,
 *    read and edited in its escaped form;
 *  - ob-ovf-document.c: the GObject, loading and saving.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ob-compat-version.h"
#include "ob-ovf-document.h"

G_BEGIN_DECLS

#define OVF_URI  "http://schemas.dmtf.org/ovf/envelope/1"
#define RASD_URI "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData"
#define OVIRT_URI "http://www.ovirt.org/ovf"
#define OVF2_URI_PREFIX "http://schemas.dmtf.org/ovf/envelope/2"

/* ------------------------------------------------------------------ */
/* Element spans (ob-ovf-scanner.c)                                    */

/* Only what the analysis looks at is recorded: elements down to the
 * children of device Items (Envelope 0, Content 1, Section 2, Item 3, its
 * children 4). Offsets fit in 32 bits: documents are capped at 64 MiB. */
#define MAX_RECORDED_DEPTH 4

/* A document recording more spans than this is refused: it caps the span
 * array at 9 MiB whatever the file holds. */
#define OB_OVF_MAX_SPANS (256 * 1024)

typedef struct
{
  guint32 start;        /* the '<' of the start tag */
  guint32 stag_end;     /* just after the start tag's '>' */
  guint32 etag_start;   /* the '<' of the end tag; stag_end for <x/> */
  guint32 end;          /* just after the element */
  guint32 name_len;     /* the qualified name is at start + 1 */
  gint32 parent;
  gint32 first_child;
  gint32 last_child;
  gint32 next_sibling;
} ObOvfSpan;

typedef struct
{
  const char *buf;
  gsize len;
  GArray *spans;      /* of ObOvfSpan, in document order */
} ObOvfScan;

#define OB_OVF_SPAN(scan, i) (&g_array_index ((scan)->spans, ObOvfSpan, (i)))

/* Whether the reader looks at an element at @depth (the root is 0) whose
 * parent it looks at. The scanner and the libxml2 pass both list these
 * elements; the lists must be identical. */
gboolean     ob_ovf_element_of_interest (guint        depth,
                                         const char  *qname,
                                         gsize        len);
guint        ob_ovf_span_depth        (ObOvfScan   *scan,
                                       int          index);
gssize       ob_ovf_find_str          (const char  *buf,
                                       gsize        len,
                                       gsize        from,
                                       const char  *needle);
gboolean     ob_ovf_scan_markup       (ObOvfScan   *scan,
                                       const char  *display,
                                       GError     **error);
const char  *ob_ovf_span_qname        (ObOvfScan   *scan,
                                       int          index,
                                       gsize       *len);
gboolean     ob_ovf_qname_local_is    (const char  *qname,
                                       gsize        len,
                                       const char  *local);
gboolean     ob_ovf_span_is           (ObOvfScan   *scan,
                                       int          index,
                                       const char  *local);
int          ob_ovf_find_child        (ObOvfScan   *scan,
                                       int          parent,
                                       const char  *local);
guint        ob_ovf_line_of           (ObOvfScan   *scan,
                                       gsize        offset);
char        *ob_ovf_span_text         (ObOvfScan   *scan,
                                       int          index);
gboolean     ob_ovf_span_text_equals  (ObOvfScan   *scan,
                                       int          index,
                                       const char  *expected);
GPtrArray   *ob_ovf_span_attributes   (ObOvfScan   *scan,
                                       int          index);
const char  *ob_ovf_attr_lookup       (GPtrArray   *attrs,
                                       const char  *name);
const char  *ob_ovf_attr_lookup_local (GPtrArray   *attrs,
                                       const char  *local);
gboolean     ob_ovf_is_ovf_uri        (const char  *uri);
/* The namespace the root's start tag binds for its own prefix, or NULL. */
char        *ob_ovf_root_namespace    (ObOvfScan   *scan);
gsize        ob_ovf_lead_start        (const char  *buf,
                                       gsize        offset);
char        *ob_ovf_lead_before       (const char  *buf,
                                       gsize        offset);

/* ------------------------------------------------------------------ */
/* The libxml2 pass (ob-ovf-xml-guard.c)                               */

/* What libxml2 saw: the root's namespace, and where the start tag of each
 * element of interest (ob_ovf_element_of_interest()) ends: the offset of its
 * '>', or of the '/' of "/>", in document order. */
typedef struct
{
  GArray *marks;        /* of guint32 */
  char *root_uri;
} ObOvfXmlView;

void          ob_ovf_xml_view_free    (ObOvfXmlView *view);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObOvfXmlView, ob_ovf_xml_view_free)

/* Checks @buf with libxml2; NULL with OB_ERROR_BAD_INPUT when it is not
 * well-formed or declares entities or an external DTD. */
ObOvfXmlView *ob_ovf_check_xml        (const char  *buf,
                                       gsize        len,
                                       const char  *display,
                                       GError     **error);
/* FALSE (OB_ERROR_BAD_INPUT, naming the line) unless the scanner found the
 * same root namespace and the same elements of interest at the same
 * offsets. */
gboolean      ob_ovf_xml_view_agrees  (ObOvfXmlView *view,
                                       ObOvfScan    *scan,
                                       const char   *display,
                                       GError      **error);

/* ------------------------------------------------------------------ */
/* What a document says, and where to edit it (ob-ovf-reader.c)       */

typedef struct
{
  char *name;
  char *level_text;
  gboolean level_from_cluster;
  gboolean level_valid;
  ObCompatVersion level;

  ObOvfFlavour flavour;
  gboolean balloon_enabled;
  ObOvfBalloonSource source;
  gboolean device_present;

  /* Offsets into the analysed buffer. */
  gboolean has_element;
  ObOvfSpan element;
  char *element_qname;
  gboolean has_item;
  ObOvfSpan item;
  gsize insert_at;
  gboolean hw_empty;          /* <Section .../>: the Item needs an end tag */
  gsize hw_slash;             /* offset of its '/' */
  gsize hw_end;
  char *hw_qname;
  char *item_lead;
  char *child_lead;
  char *unit;
  char *item_qname;
  char *device_prefix;        /* of Type, Device...: a sibling's, "" for none */
  char *rasd_prefix;          /* NULL: declare the namespace on the Item */
  const char *instance_id;
  const char *empty_style;    /* " />", "/>" or NULL for <x></x> */

  /* The hosted engine's <EngineXml> (ob-ovf-engine-xml.c). SET: the raw
   * range of its memballoon's model; ABSENT: [insert_at, insert_end) is
   * replaced by engine_xml_insert to turn it off. */
  ObOvfEngineXmlState engine_xml_state;
  char *engine_xml_model;
  gsize engine_xml_model_start;
  gsize engine_xml_model_end;
  gsize engine_xml_insert_at;
  gsize engine_xml_insert_end;
  char *engine_xml_insert;
  char *engine_xml_problem;   /* UNUSABLE: why, a clause */
} ObOvfAnalysis;

void            ob_ovf_analysis_free  (ObOvfAnalysis *a);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObOvfAnalysis, ob_ovf_analysis_free)

/* @check: run the libxml2 pass first (skipped after our own edits). */
ObOvfAnalysis  *ob_ovf_analyse_bytes  (GBytes        *bytes,
                                       const char    *display,
                                       gboolean       check,
                                       GError       **error);

/* Which file was read and what it held, to notice a change on disk before
 * a save overwrites it. */
typedef struct
{
  guint64 dev;
  guint64 ino;
  gint64 size;
  gint64 mtime_sec;
  gint64 mtime_nsec;
  char *sha256;               /* of the OVF read (for an OVA, its member) */
  char *member;               /* that member; NULL for a plain OVF */
} ObOvfFileIdentity;

void            ob_ovf_file_identity_clear (ObOvfFileIdentity *identity);
void            ob_ovf_file_identity_copy  (ObOvfFileIdentity       *dest,
                                            const ObOvfFileIdentity *src);

/* What travels with the OVF member of an OVA. */
typedef struct
{
  char *manifest_member;      /* "*.mf", or NULL */
  GBytes *manifest;
  char *cert_member;          /* "*.cert", or NULL */
  GPtrArray *ovf_members;     /* every "*.ovf" member, in archive order */
} ObOvfOvaSidecars;

void            ob_ovf_ova_sidecars_clear (ObOvfOvaSidecars *sidecars);

/* Reads the OVF of the local file @path: the file itself or, for an OVA
 * (a tar header or the .ova extension), its OVF member (@want_member, or
 * the one ob_ova_archive_read_ovf() picks). Sets *is_ova,
 * *member (NULL for a plain OVF), *display (the name used in messages),
 * @identity and @sidecars (each when not NULL), and *note (an interrupted
 * in-place edit undone on opening, or NULL). Anything but a regular file is refused at
 * once, without blocking on it (FIFOs, devices). */
GBytes         *ob_ovf_read_path      (const char         *path,
                                       const char         *want_member,
                                       gboolean           *is_ova,
                                       char              **member,
                                       char              **display,
                                       ObOvfFileIdentity  *identity,
                                       ObOvfOvaSidecars   *sidecars,
                                       char              **note,
                                       GCancellable       *cancellable,
                                       GError            **error);

/* OB_ERROR_CONFLICT unless @path is still the file @identity describes,
 * holding the same OVF. */
gboolean        ob_ovf_file_identity_check (const ObOvfFileIdentity *identity,
                                            const char              *path,
                                            GCancellable            *cancellable,
                                            GError                 **error);
/* @identity for @path as it is now, whose OVF is @ovf. */
gboolean        ob_ovf_file_identity_take  (ObOvfFileIdentity  *identity,
                                            const char         *path,
                                            GBytes             *ovf,
                                            GError            **error);

/* ------------------------------------------------------------------ */
/* Surgical edits (ob-ovf-writer.c)                                    */

/* @bytes with [from, to) replaced by @insert. */
GBytes         *ob_ovf_splice           (GBytes              *bytes,
                                         gsize                from,
                                         gsize                to,
                                         const char          *insert);
/* Each returns the edited copy of @bytes, which @a describes. */
GBytes         *ob_ovf_edit_set_element (GBytes              *bytes,
                                         const ObOvfAnalysis *a,
                                         gboolean             enabled);
GBytes         *ob_ovf_edit_add_item    (GBytes              *bytes,
                                         const ObOvfAnalysis *a);
GBytes         *ob_ovf_edit_remove_item (GBytes              *bytes,
                                         const ObOvfAnalysis *a);
/* ------------------------------------------------------------------ */
/* The hosted engine's libvirt XML (ob-ovf-engine-xml.c)              */

/* Reads the text [from, to) of <EngineXml> into @a's engine_xml_*
 * fields; @check: also run the libxml2 pass over the decoded XML. */
void            ob_ovf_engine_xml_read  (const char          *buf,
                                         gsize                from,
                                         gsize                to,
                                         const char          *display,
                                         gboolean             check,
                                         ObOvfAnalysis       *a);
/* Whether libvirt gives the domain a balloon: a model other than "none",
 * or no <memballoon> at all. */
gboolean        ob_ovf_engine_xml_is_on (const ObOvfAnalysis *a);
/* The memballoon set to "virtio" (on) or "none" (off); for an ABSENT one,
 * only off, which inserts it. */
GBytes         *ob_ovf_edit_engine_xml  (GBytes              *bytes,
                                         const ObOvfAnalysis *a,
                                         gboolean             enabled);

/* ------------------------------------------------------------------ */
/* Saving (ob-ovf-save.c)                                              */

/* Everything a save needs, taken from the document before it starts. */
typedef struct
{
  char *source_path;
  char *dest_path;
  char *member;
  GBytes *bytes;
  ObOvfFormat format;
  gboolean backup;
  gboolean in_place;
  GFile *destination;
  /* Set when the save reads the source or replaces it: it must still be
   * the file that was loaded. */
  gboolean check_source;
  ObOvfFileIdentity source_identity;
  ObOvfOvaSidecars sidecars;     /* of the source OVA */
  gboolean drop_signature;

  /* Results, for the document once the save succeeded. */
  gboolean has_new_identity;
  ObOvfFileIdentity new_identity;
  GBytes *new_manifest;
  char *note;                    /* why a whole copy was written, or NULL */
} ObOvfSaveJob;

void            ob_ovf_save_job_free  (ObOvfSaveJob  *job);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObOvfSaveJob, ob_ovf_save_job_free)
gboolean        ob_ovf_save_job_run   (ObOvfSaveJob  *job,
                                       GCancellable  *cancellable,
                                       GError       **error);

G_END_DECLS
