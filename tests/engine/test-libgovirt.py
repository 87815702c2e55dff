#!/usr/bin/python3
# test-libgovirt.py: GNOME's libgovirt (the oVirt library of virt-viewer's
# remote-viewer) against ovirt-balloon-sandbox, over HTTPS with an SSO
# token, as it talks to a real engine. TAP output.
#
# libgovirt parses every VM strictly: a VM without a <display> is dropped
# from its lists (a real engine writes one for every VM, with no <type> for
# a headless one, which libgovirt accepts). So every demo VM must be there.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import os
import ssl
import subprocess
import sys
import urllib.parse
import urllib.request

PLAN = 9
results = []


def report(ok, name, diag=None):
    results.append(ok)
    print("%s %d - %s" % ("ok" if ok else "not ok", len(results), name))
    if diag and not ok:
        for line in str(diag).splitlines():
            print("# " + line)
    sys.stdout.flush()


def bail(reason):
    print("Bail out! " + reason)
    sys.exit(1)


print("1..%d" % PLAN)
sys.stdout.flush()

try:
    import gi
    gi.require_version("GoVirt", "1.0")
    from gi.repository import GLib, GoVirt  # noqa: E402
except (ImportError, ValueError) as e:
    bail("libgovirt's introspection data (gir1.2-govirt-1.0, python3-gi) is missing: %s" % e)

build = os.environ["OB_BUILD_DIR"]
data = os.path.join(os.environ["G_TEST_SRCDIR"], "data", "tls")
ca_file = os.path.join(data, "ca.pem")

sandbox = subprocess.Popen(
    [os.path.join(build, "src", "ovirt-balloon-sandbox"), "--in-memory", "--seed", "demo",
     "--tls-cert", os.path.join(data, "server.pem"),
     "--tls-key", os.path.join(data, "server-key.pem")],
    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
try:
    base = sandbox.stdout.readline().strip()
    if not base.startswith("https://"):
        bail("the sandbox did not print its URL: %r %s" % (base, sandbox.stderr.read()))
    parts = urllib.parse.urlsplit(base)
    root = "%s://%s" % (parts.scheme, parts.netloc)
    context = ssl.create_default_context(cafile=ca_file)

    # The SSO token, as any oVirt client gets it.
    form = urllib.parse.urlencode({"grant_type": "password", "scope": "ovirt-app-api",
                                   "username": "admin@internal", "password": "sandbox"})
    req = urllib.request.Request(root + "/ovirt-engine/sso/oauth/token", data=form.encode(),
                                 headers={"Accept": "application/json",
                                          "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(req, context=context) as resp:
        token = json.load(resp)["access_token"]

    # What the engine itself says about its VMs, to check libgovirt against.
    req = urllib.request.Request(base + "/vms", headers={"Accept": "application/json",
                                                         "Authorization": "Bearer " + token})
    with urllib.request.urlopen(req, context=context) as resp:
        rest_vms = json.load(resp).get("vm", [])
    consoles = {vm["name"]: vm.get("display", {}).get("type") for vm in rest_vms}

    proxy = GoVirt.Proxy.new(parts.netloc)
    proxy.set_property("ssl-ca-file", ca_file)
    proxy.set_property("sso-token", token)

    try:
        api = proxy.fetch_api()
        report(api is not None, "fetch the API root with an SSO token")
    except GLib.Error as e:
        report(False, "fetch the API root with an SSO token", e.message)
        bail("no API root")

    vms = api.get_vms()
    try:
        vms.fetch(proxy)
        parsed = vms.get_resources()
        report(len(parsed) > 0, "list VMs")
    except GLib.Error as e:
        report(False, "list VMs", e.message)
        bail("no VM list")

    kinds = {t for t in consoles.values()}
    report({"spice", "vnc", None} <= kinds,
           "the demo has SPICE, VNC and headless VMs",
           "display types seen: %s" % sorted(str(k) for k in kinds))
    report(len(consoles) > 0 and set(parsed.keys()) == set(consoles.keys()),
           "libgovirt parsed every demo VM (%d of %d)" % (len(parsed), len(consoles)),
           "missing: %s\nunexpected: %s" % (sorted(set(consoles.keys()) - set(parsed.keys())),
                                             sorted(set(parsed.keys()) - set(consoles.keys()))))

    spice = [n for n in sorted(consoles) if consoles[n] == "spice"]
    display = parsed[spice[0]].get_property("display") if spice else None
    report(display is not None and display.get_property("type") == GoVirt.VmDisplayType.SPICE
           and display.get_property("monitor-count") >= 1,
           "a SPICE VM's display is read (type, monitors)")

    # Look a VM up by name through the engine's search, as remote-viewer does.
    name = "ci-runner-01"
    found = api.search_vms("name=%s" % name)
    try:
        found.fetch(proxy)
        vm = found.lookup_resource(name)
        report(vm is not None and vm.get_property("state") == GoVirt.VmState.DOWN,
               "look up the VM %s by name" % name)
    except GLib.Error as e:
        vm = None
        report(False, "look up the VM %s by name" % name, e.message)

    try:
        cluster = vm.get_cluster()
        cluster.refresh(proxy)
        report(cluster.get_property("name") == "Default", "read the VM's cluster",
               "cluster name: %r" % cluster.get_property("name"))
    except (GLib.Error, AttributeError) as e:
        report(False, "read the VM's cluster", e)

    try:
        report(vm.start(proxy), "start the VM")
    except (GLib.Error, AttributeError) as e:
        report(False, "start the VM", e)

    try:
        vm.refresh(proxy)
        report(vm.get_property("state") == GoVirt.VmState.UP, "the VM is up after start",
               "state: %s" % vm.get_property("state"))
    except (GLib.Error, AttributeError) as e:
        report(False, "the VM is up after start", e)
finally:
    sandbox.terminate()
    sandbox.wait(timeout=30)

if len(results) != PLAN:
    bail("ran %d of %d checks" % (len(results), PLAN))
sys.exit(0 if all(results) else 1)
