/* ob-sandbox-store-impl.h: what the store files share. Internal to the store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "ob-sandbox-store.h"

G_BEGIN_DECLS

struct _ObSandboxStore
{
  sqlite3    *db;
  GHashTable *statements;   /* SQL text -> sqlite3_stmt*, prepared once */
  gboolean    fail_next_commit;
  gboolean    flag_era;     /* schema at OB_SANDBOX_STORE_FLAG_ERA_VERSION */
};

/* Device era: the balloon is on iff this managed device row exists in
 * @table (vm_device or template_device) for the entity @col names. */
#define BALLOON_DEVICE_EXISTS(table, id_col, col) \
  "EXISTS (SELECT 1 FROM " table " b WHERE b." id_col " = " col \
  " AND b.type = 'balloon' AND b.device = 'memballoon' AND b.is_managed = 1" \
  " AND json_valid (b.spec_params) AND json_extract (b.spec_params, '$.model') = 'virtio')"
#define BALLOON_EXISTS(vm_col) BALLOON_DEVICE_EXISTS ("vm_device", "vm_id", vm_col)

/* The console an entity has: SPICE before VNC, as the engine's
 * DisplayHelper picks; NULL when headless. */
#define GRAPHICS_OF(table, id_col, col) \
  "(SELECT g.device FROM " table " g WHERE g." id_col " = " col \
  " AND g.type = 'graphics' ORDER BY g.device = 'spice' DESC LIMIT 1)"

/* A random version 4 UUID, in SQL. */
#define NEW_UUID \
  "lower (hex (randomblob (4)) || '-' || hex (randomblob (2)) || '-4'" \
  " || substr (hex (randomblob (2)), 2) || '-' || substr ('89ab', 1 + abs (random ()) % 4, 1)" \
  " || substr (hex (randomblob (2)), 2) || '-' || hex (randomblob (6)))"

/* Fills @error from @rc and the connection's message; returns FALSE. */
gboolean      ob_store_set_error    (ObSandboxStore *store,
                                     int             rc,
                                     GError        **error);
/* A cached prepared statement, reset and unbound. @sql must be a literal. */
sqlite3_stmt *ob_store_prepare      (ObSandboxStore *store,
                                     const char     *sql,
                                     GError        **error);
/* Binds NULL for a NULL @text. */
void          ob_store_bind_text    (sqlite3_stmt   *stmt,
                                     int             index,
                                     const char     *text);
/* Steps a statement that returns no rows. */
gboolean      ob_store_step_done    (ObSandboxStore *store,
                                     sqlite3_stmt   *stmt,
                                     GError        **error);
/* Runs a no-row statement whose only parameter is an id. */
gboolean      ob_store_exec_with_id (ObSandboxStore *store,
                                     const char     *sql,
                                     const char     *id,
                                     GError        **error);
const char   *ob_store_column_text  (sqlite3_stmt   *stmt,
                                     int             col);

G_END_DECLS
