/* ob-client.h: the balloon operations against an oVirt engine, async
 * (GTask), over one opened ObConnection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ob-cluster.h"
#include "ob-connection.h"
#include "ob-template.h"
#include "ob-vm.h"
#include "ob-vm-json.h"

G_BEGIN_DECLS

/* Most requests in flight at once for bulk operations. */
#define OB_CLIENT_MAX_IN_FLIGHT 8
/* VMs per page when listing. */
#define OB_CLIENT_DEFAULT_PAGE_SIZE 500

/* @done items handled so far, @total expected (0 when unknown). Called on
 * the thread-default main context of the call. */
typedef void (*ObProgressFunc) (guint    done,
                                guint    total,
                                gpointer user_data);

typedef enum
{
  OB_LIST_NONE        = 0,
  /* Ask for all content so list rows carry the balloon state on engines
   * older than 4.4.6 (which omit it otherwise: then it is UNKNOWN). */
  OB_LIST_ALL_CONTENT = 1 << 0,
} ObListFlags;

typedef enum
{
  OB_SET_BALLOON_NONE     = 0,
  /* Overwrite even if the balloon changed on the server since the VM was
   * loaded. */
  OB_SET_BALLOON_FORCE    = 1 << 0,
  /* Ask the engine to apply at the next run even if the VM is down. */
  OB_SET_BALLOON_NEXT_RUN = 1 << 1,
} ObSetBalloonFlags;

typedef enum
{
  OB_RUN_ONCE_NONE     = 0,
  /* On an engine that ignores the override: set, start, store the original
   * back as the next-run configuration. */
  OB_RUN_ONCE_EMULATE  = 1 << 0,
  /* The start action's `volatile`. */
  OB_RUN_ONCE_VOLATILE = 1 << 1,
} ObRunOnceFlags;

typedef enum
{
  OB_CHANGE_APPLIED,    /* the VM is down: in effect now */
  OB_CHANGE_NEXT_RUN,   /* stored as the next-run configuration */
  OB_CHANGE_UNCHANGED,  /* it already had that value (nothing sent, or the
                         * engine already held it when it refused) */
  OB_CHANGE_SKIPPED,    /* the policy forbids it; @error says why */
  OB_CHANGE_FAILED,     /* @error says what the engine or network did */
  /* A running VM's waiting next-run change went back to the value it runs
   * with: the engine dropped the next-run configuration. */
  OB_CHANGE_PENDING_CANCELLED,
} ObChangeOutcome;

#define OB_CHANGE_N_OUTCOMES (OB_CHANGE_PENDING_CANCELLED + 1)

/* "applied", "next-run", "unchanged", "skipped", "failed",
 * "pending-cancelled" (untranslated). */
const char *ob_change_outcome_to_string (ObChangeOutcome outcome);

typedef struct
{
  ObVm            *vm;       /* the VM as the engine now shows it (or as given) */
  ObChangeOutcome  outcome;
  char            *message;  /* translated one-line summary, never NULL */
  GError          *error;    /* set for SKIPPED and FAILED */
} ObBalloonResult;

/* Takes @message and @error; refs @vm. */
ObBalloonResult *ob_balloon_result_new  (ObVm            *vm,
                                         ObChangeOutcome  outcome,
                                         char            *message,
                                         GError          *error);
void             ob_balloon_result_free (ObBalloonResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ObBalloonResult, ob_balloon_result_free)

#define OB_TYPE_CLIENT (ob_client_get_type ())
G_DECLARE_FINAL_TYPE (ObClient, ob_client, OB, CLIENT, GObject)

/* @connection must have been opened (ob_connection_open_async()).
 * Property "connection" (construct-only). */
ObClient     *ob_client_new            (ObConnection *connection);
ObConnection *ob_client_get_connection (ObClient     *self);
/* Page size for VM lists (default OB_CLIENT_DEFAULT_PAGE_SIZE). */
void          ob_client_set_page_size  (ObClient     *self,
                                        guint         page_size);

/* Clusters, templates: GPtrArray of new references. */
void       ob_client_list_clusters_async   (ObClient            *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GPtrArray *ob_client_list_clusters_finish  (ObClient            *self,
                                            GAsyncResult        *result,
                                            GError             **error);
void       ob_client_list_templates_async  (ObClient            *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GPtrArray *ob_client_list_templates_finish (ObClient            *self,
                                            GAsyncResult        *result,
                                            GError             **error);

/* VMs matching @search (oVirt search syntax, NULL for all), page by page,
 * each with its cluster's name, level and architecture filled in.
 * @progress is called after each page. */
void       ob_client_list_vms_async   (ObClient            *self,
                                       const char          *search,
                                       ObListFlags          flags,
                                       ObProgressFunc       progress,
                                       gpointer             progress_data,
                                       GDestroyNotify       progress_destroy,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
GPtrArray *ob_client_list_vms_finish  (ObClient            *self,
                                       GAsyncResult        *result,
                                       GError             **error);

/* Called with the VMs a page added (in list order, clusters attached) so
 * that a caller can show them while the rest loads; @done and @total as
 * for ObProgressFunc. @vms and its VMs are borrowed: take references to
 * keep them. Called on the thread-default main context of the call. */
typedef void (*ObListPageFunc) (GPtrArray *vms,
                                guint      done,
                                guint      total,
                                gpointer   user_data);

/* ob_client_list_vms_async() reporting each page's VMs as it arrives.
 * The pages' bodies are parsed, and their models built, in a worker
 * thread. Finish with ob_client_list_vms_finish(): the same full list. */
void       ob_client_list_vms_paged_async (ObClient            *self,
                                           const char          *search,
                                           ObListFlags          flags,
                                           ObListPageFunc       page,
                                           gpointer             page_data,
                                           GDestroyNotify       page_destroy,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);

/* One VM by id or by exact name, read individually (so its balloon state is
 * known), with its cluster. OB_ERROR_NOT_FOUND when absent. */
void       ob_client_get_vm_async     (ObClient            *self,
                                       const char          *id_or_name,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
ObVm      *ob_client_get_vm_finish    (ObClient            *self,
                                       GAsyncResult        *result,
                                       GError             **error);

/* The configuration a running VM will have at its next run (GET
 * vms/{id}?next_run=true): the VM's own values when none is waiting. A
 * new ObVm; its cluster is not filled in. */
void       ob_client_get_vm_next_run_async  (ObClient            *self,
                                             const char          *id,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
ObVm      *ob_client_get_vm_next_run_finish (ObClient            *self,
                                             GAsyncResult        *result,
                                             GError             **error);

/* The balloon a running VM got from its Run Once start is not in any
 * oVirt answer. TRUE when it is unknown for @vm and this engine can say
 * it (OB_ENGINE_CAP_HOST_PAYLOAD); then the load reads it and sets
 * @vm's run-ballooning. Without the capability the load does nothing;
 * an override sent by ob_client_run_once_async() is known without it. */
gboolean   ob_client_needs_run_ballooning       (ObClient            *self,
                                                 ObVm                *vm);
void       ob_client_load_run_ballooning_async  (ObClient            *self,
                                                 ObVm                *vm,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean   ob_client_load_run_ballooning_finish (ObClient            *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* Sets memory_policy.ballooning of @vm (as it was loaded: its ballooning
 * is what the user saw). Checks the policy before sending anything
 * (OB_ERROR_REFUSED), re-reads the VM and refuses with OB_ERROR_CONFLICT if
 * the balloon changed on the server meanwhile to something else than
 * @enable (unless FORCE); a server that already holds @enable is no
 * conflict, nor is a 409 answer after which the engine shows it. 404 on
 * the re-read is OB_ERROR_NOT_FOUND. On success @vm is refreshed in place
 * and the result says APPLIED, NEXT_RUN, PENDING_CANCELLED (a running VM
 * already had @enable and its waiting next-run change went away) or
 * UNCHANGED. On failure: NULL and @error (nothing was changed). */
void             ob_client_set_balloon_async  (ObClient            *self,
                                               ObVm                *vm,
                                               gboolean             enable,
                                               ObSetBalloonFlags    flags,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
ObBalloonResult *ob_client_set_balloon_finish (ObClient            *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* Edits @vm (as it was loaded) with ONE PUT of the fields of @update that
 * differ from the engine's current values. The balloon part keeps
 * ob_client_set_balloon_async()'s rules: the policy is checked before
 * anything is sent (OB_ERROR_REFUSED) and a balloon changed on the server
 * since @vm was loaded is OB_ERROR_CONFLICT unless FORCE. A running VM
 * keeps cold changes (memory, balloon) for its next run: NEXT_RUN. A bad
 * name or memory is OB_ERROR_USAGE before anything is sent. */
void             ob_client_update_vm_async  (ObClient            *self,
                                             ObVm                *vm,
                                             const ObVmUpdate    *update,
                                             ObSetBalloonFlags    flags,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
ObBalloonResult *ob_client_update_vm_finish (ObClient            *self,
                                             GAsyncResult        *result,
                                             GError             **error);

/* The same for many VMs, at most OB_CLIENT_MAX_IN_FLIGHT at a time. VMs
 * whose level forbids enabling are SKIPPED. Returns a GPtrArray of
 * ObBalloonResult in the order of @vms; only cancellation fails the whole
 * call. @progress is called after each VM. */
void       ob_client_set_balloon_many_async  (ObClient            *self,
                                              GPtrArray           *vms,
                                              gboolean             enable,
                                              ObSetBalloonFlags    flags,
                                              ObProgressFunc       progress,
                                              gpointer             progress_data,
                                              GDestroyNotify       progress_destroy,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
GPtrArray *ob_client_set_balloon_many_finish (ObClient            *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* Creates a VM. @template_name NULL means "Blank"; @memory 0 keeps the
 * template's. @balloon UNKNOWN means the default: on, unless the cluster's
 * level forbids it, then off and @note_out says so. An explicit ON on such
 * a cluster is OB_ERROR_REFUSED before anything is sent. */
void       ob_client_add_vm_async     (ObClient            *self,
                                       const char          *name,
                                       const char          *cluster,
                                       const char          *template_name,
                                       guint64              memory,
                                       ObBalloonState       balloon,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
ObVm      *ob_client_add_vm_finish    (ObClient            *self,
                                       GAsyncResult        *result,
                                       char               **note_out,
                                       GError             **error);

/* Starts @vm once with the balloon @enable. Engines that honour the
 * override (ob_connection_honours_run_once_balloon()) get it in the start
 * action. Others: without EMULATE, OB_ERROR_REFUSED explaining why;
 * with EMULATE the value is set, the VM started and the original stored
 * back as the next-run configuration; if a step fails the original is
 * restored and the error says exactly what happened. The result's
 * message says how the override was applied. */
void             ob_client_run_once_async  (ObClient            *self,
                                            ObVm                *vm,
                                            gboolean             enable,
                                            ObRunOnceFlags       flags,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
ObBalloonResult *ob_client_run_once_finish (ObClient            *self,
                                            GAsyncResult        *result,
                                            GError             **error);

/* Sets memory_policy.ballooning of @template with one PUT. Only engines
 * of the flag era (ob_connection_get_balloon_era()) take it: on others
 * OB_ERROR_REFUSED before anything is sent. Returns the template as the
 * engine now shows it (new reference). */
void        ob_client_set_template_balloon_async  (ObClient            *self,
                                                   ObTemplate          *template,
                                                   gboolean             enable,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
ObTemplate *ob_client_set_template_balloon_finish (ObClient            *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

G_END_DECLS
