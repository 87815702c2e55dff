/* ob-sandbox-host-payload.c: what a start sends to the host (recorded by
 * the actions) and the sandbox-only endpoint that shows it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ob-host-payload.h"
#include "ob-sandbox-resources.h"

gboolean
ob_vm_record_host_payload (ObSandboxRequest *req,
                           const ObVmInfo   *vm,
                           gboolean          balloon,
                           gboolean          run_once,
                           gboolean          volatile_run,
                           GError          **error)
{
  gboolean flag_era = req->router->flag_era;
  /* From 4.4.6 the device always goes to the host; the flag travels in
   * the domain metadata and VDSM stops ballooning when it is false. */
  gboolean device = balloon || flag_era;
  g_autofree char *vdsm = ob_host_payload_vdsm_balloon (device);
  /* The engine's libvirt alias is "ua-" + the balloon device's id. */
  g_autofree char *alias = ob_sandbox_store_get_balloon_device_id (req->router->store, vm->id);
  g_autofree char *libvirt = ob_host_payload_libvirt_memballoon (device, device ? alias : NULL);
  g_autofree char *metadata = flag_era ? g_strdup_printf ("<ovirt-vm:ballooningEnabled>%s</ovirt-vm:ballooningEnabled>",
                                                          balloon ? "true" : "false")
                                       : NULL;
  g_autoptr(JsonArray) devices = json_array_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  g_autofree char *devices_json = NULL;
  ObSandboxHostPayload payload = { 0, };

  /* The device list the engine would send to VDSM; the sandbox models
   * only the balloon device. */
  json_array_add_string_element (devices, vdsm);
  json_node_set_array (node, devices);
  devices_json = json_to_string (node, FALSE);

  payload.recorded_at = g_get_real_time () / 1000;
  payload.run_once = run_once;
  payload.volatile_run = volatile_run;
  payload.balloon = balloon;
  payload.stored_balloon = vm->balloon;
  payload.vdsm_devices = devices_json;
  payload.libvirt_memballoon = libvirt;
  payload.libvirt_metadata = metadata;
  return ob_sandbox_store_record_host_payload (req->router->store, vm->id, &payload, error);
}

/* GET /ovirt-engine/sandbox/vms/{id}/host-payload: what the last start
 * sent to the host. Sandbox-only; always JSON. */
void
ob_sandbox_router_handle_sandbox (ObSandboxRouter   *router,
                                  SoupServerMessage *msg,
                                  const char        *subpath)
{
  ObSandboxRequest req;
  g_auto(GStrv) seg = NULL;
  g_autoptr(GError) error = NULL;
  ObSandboxHostPayload payload = { 0, };
  ObReprWriter *w;
  guint n = 0;

  ob_request_init (&req, router, msg);
  req.format = OB_REPR_JSON;
  seg = ob_request_split_path (subpath, &n);

  if (n != 3 || !g_str_equal (seg[0], "vms") || !g_str_equal (seg[2], "host-payload"))
    {
      ob_request_not_found (&req);
      goto out;
    }
  if (!ob_request_is_get (&req))
    {
      ob_request_method_not_allowed (&req, "GET");
      goto out;
    }
  if (!ob_sandbox_store_get_host_payload (router->store, seg[1], &payload, &error))
    {
      if (error != NULL)
        ob_request_internal_error (&req, error);
      else
        ob_request_not_found (&req);
      goto out;
    }

  w = ob_repr_writer_new (OB_REPR_JSON, 1024);
  ob_repr_begin (w, "host_payload", NULL, NULL);
  ob_repr_string (w, "vm_id", seg[1]);
  ob_repr_date (w, "recorded_at", payload.recorded_at);
  ob_repr_bool (w, "run_once", payload.run_once);
  ob_repr_bool (w, "volatile", payload.volatile_run);
  ob_repr_bool (w, "ballooning", payload.balloon);
  ob_repr_bool (w, "stored_ballooning", payload.stored_balloon);
  {
    g_autoptr(JsonParser) parser = json_parser_new ();

    ob_repr_begin_list (w, "vdsm_devices");
    if (json_parser_load_from_data (parser, payload.vdsm_devices, -1, NULL) &&
        JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
      {
        JsonArray *array = json_node_get_array (json_parser_get_root (parser));

        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            /* A list of strings: written as a one-member object would be
             * wrong, so write the raw JSON string items. */
            ob_repr_string (w, "device", json_array_get_string_element (array, i));
          }
      }
    ob_repr_end_list (w);
  }
  ob_repr_string (w, "libvirt_memballoon", payload.libvirt_memballoon);
  ob_repr_string (w, "libvirt_metadata", payload.libvirt_metadata);
  ob_repr_end (w);
  ob_sandbox_respond_writer (msg, SOUP_STATUS_OK, w);

out:
  ob_sandbox_host_payload_clear (&payload);
  ob_request_clear (&req);
}
