#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# TAP crash test of in-place OVA edits (suite 'slow'): `ovirt-balloon-cli ovf
# set-balloon` on a 2 GiB OVA is SIGKILLed at random moments, over and
# over; after each kill `ovf show` must undo any half-done edit (saying so
# on stderr) and find the old or the new balloon state, the archive must
# list the same members, and the disk member's bytes must be unchanged.
#
# Two archives: the OVF first (pack_ova.py's layout, Python's tarfile in GNU
# format; edits there fit in place or insert blocks) and the OVF last (GNU
# tar; edits rewrite the tail). Now and then the first one is put back as
# it was built, so that the next enabling edit has to insert blocks again.
#
#   ova-crash.py [KILLS]     KILLS defaults to 160 ($OB_CRASH_KILLS)
import ctypes
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time

CLI = os.path.join(os.environ['OB_BUILD_DIR'], 'src', 'ovirt-balloon-cli')
UPSTREAM = os.path.join(os.environ['OB_SOURCE_DIR'], 'tests', 'data', 'upstream')
DISK_SIZE = 2 * 1024 ** 3
KILLS = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get('OB_CRASH_KILLS', '160'))
FALLOC_FL_COLLAPSE_RANGE = 0x08

n = 0
failed = 0


def tap(ok, name):
    global n, failed
    n += 1
    if not ok:
        failed += 1
    print('%s %d - %s' % ('ok' if ok else 'not ok', n, name), flush=True)


def diag(text):
    for line in str(text).splitlines():
        print('# ' + line, flush=True)


def make_disk(path):
    rng = random.Random(12)
    chunk = 16 * 1024 * 1024
    digest = hashlib.sha256()
    with open(path, 'wb') as f:
        for _ in range(DISK_SIZE // chunk):
            data = rng.randbytes(chunk)
            digest.update(data)
            f.write(data)
    return digest.hexdigest()


def members(path):
    with tarfile.open(path) as t:
        return [(m.name, m.size, m.offset_data) for m in t.getmembers()]


def disk_digest(path, whole):
    """SHA-256 of the disk member: all of it, or its first and last MiB."""
    with tarfile.open(path) as t:
        m = t.getmember('disk.img')
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        if whole:
            f.seek(m.offset_data)
            left = m.size
            while left:
                data = f.read(min(left, 8 * 1024 * 1024))
                digest.update(data)
                left -= len(data)
        else:
            f.seek(m.offset_data)
            digest.update(f.read(1 << 20))
            f.seek(m.offset_data + m.size - (1 << 20))
            digest.update(f.read(1 << 20))
    return digest.hexdigest()


def show(path):
    p = subprocess.run([CLI, 'ovf', 'show', '--json', path], capture_output=True, text=True)
    state = json.loads(p.stdout)['balloon_enabled'] if p.returncode == 0 else None
    return p.returncode, state, p.stderr


def pack_ovf_first(src, ovf, out):
    """Like pack_ova.py: the OVF first, GNU format, then the disk."""
    with tarfile.open(out, 'w', format=tarfile.GNU_FORMAT) as t:
        t.add(ovf, arcname='vm.ovf')
        t.add(os.path.join(src, 'disk.img'), arcname='disk.img')


def journal_of(path):
    return os.path.join(os.path.dirname(path), '.%s.ova-undo' % os.path.basename(path))


class Archive:
    def __init__(self, path):
        self.path = path
        self.size = os.path.getsize(path)
        self.members = members(path)
        disk = [m for m in self.members if m[0] == 'disk.img'][0]
        self.head_len = disk[2] - 512  # everything before the disk's header
        with open(path, 'rb') as f:
            self.head = f.read(self.head_len) if self.head_len > 0 else b''

    def reset(self):
        """Back to the bytes it was built with (collapsing inserted blocks)."""
        size = os.path.getsize(self.path)
        fd = os.open(self.path, os.O_RDWR)
        try:
            if size > self.size:
                libc = ctypes.CDLL(None, use_errno=True)
                libc.fallocate.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int64, ctypes.c_int64]
                at = self.head_len // 4096 * 4096
                if libc.fallocate(fd, FALLOC_FL_COLLAPSE_RANGE, at, size - self.size) != 0:
                    raise OSError(ctypes.get_errno(), 'fallocate collapse')
            os.pwrite(fd, self.head, 0)
            os.fsync(fd)
        finally:
            os.close(fd)
        assert members(self.path) == self.members


def main():
    base = tempfile.mkdtemp(prefix='ob-ova-crash-', dir=os.environ.get('OB_CRASH_DIR'))
    try:
        free = shutil.disk_usage(base).free
        if free < 7 * 1024 ** 3:
            print('1..0 # SKIP needs 7 GiB free in %s, has %.1f GiB' % (base, free / 1024 ** 3))
            return 0
        run(base)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    print('1..%d' % n)
    return 1 if failed else 0


def run(base):
    src = os.path.join(base, 'src')
    os.mkdir(src)
    ovf = os.path.join(src, 'vm.ovf')
    shutil.copy(os.path.join(UPSTREAM, 'ovirt-engine_vmOvfData2.ovf.xml'), ovf)
    t0 = time.monotonic()
    whole_digest = make_disk(os.path.join(src, 'disk.img'))
    first = os.path.join(base, 'first.ova')
    last = os.path.join(base, 'last.ova')
    pack_ovf_first(src, ovf, first)
    subprocess.run(['tar', '--format=gnu', '-cf', last, '-C', src, 'disk.img', 'vm.ovf'], check=True)
    os.unlink(os.path.join(src, 'disk.img'))
    diag('built two 2 GiB OVAs in %.1f s' % (time.monotonic() - t0))

    # Written back and out of the page cache, as an OVA usually is: an
    # insertion drops the cached pages after it, which would dominate.
    os.sync()
    for path in (first, last):
        fd = os.open(path, os.O_RDONLY)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        os.close(fd)
    archives = [Archive(first), Archive(last)]
    ends = {a.path: disk_digest(a.path, False) for a in archives}

    # How long an uninterrupted edit takes (the median of six).
    spans = []
    for a in archives * 3:
        for state in ('on', 'off'):
            t0 = time.monotonic()
            subprocess.run([CLI, 'ovf', 'set-balloon', a.path, state, '--force'], capture_output=True, check=True)
            spans.append(time.monotonic() - t0)
        if a is archives[0]:
            a.reset()
    span = sorted(spans)[len(spans) // 2]
    diag('one edit of a 2 GiB OVA takes %.3f s (median; %.3f to %.3f s)' % (span, min(spans), max(spans)))

    rng = random.Random(int(os.environ.get('OB_CRASH_SEED', '7')))
    outcome = {'old': 0, 'new': 0, 'undone': 0, 'record cut short': 0}
    killed = 0
    for i in range(KILLS):
        a = archives[i % 2]
        if a is archives[0] and rng.random() < 0.4:
            a.reset()
        rc, before, _ = show(a.path)
        target = not before
        p = subprocess.Popen([CLI, 'ovf', 'set-balloon', a.path, 'on' if target else 'off', '--force'],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Half the kills anywhere in the run, half in its last part, where
        # the archive is written (the start is loading and checking).
        time.sleep(rng.uniform(0, span * 1.2) if i % 4 < 2 else rng.uniform(span * 0.5, span * 1.05))
        alive = p.poll() is None
        p.kill()
        p.wait()
        killed += alive
        had_record = os.path.exists(journal_of(a.path))

        rc, state, err = show(a.path)
        problems = []
        if rc != 0:
            problems.append('show failed (%d): %s' % (rc, err.strip()))
        if state not in (before, target):
            problems.append('state %r' % state)
        undone = 'interrupted edit was undone' in err
        if undone and state != before:
            problems.append('undone, yet the new state')
        if undone and not had_record:
            problems.append('undone without a record')
        if os.path.exists(journal_of(a.path)):
            problems.append('the record is still there')
        now = members(a.path)
        if [(m[0], m[1]) for m in now if m[0] != 'vm.ovf'] != [(m[0], m[1]) for m in a.members if m[0] != 'vm.ovf'] \
                or [m[0] for m in now] != [m[0] for m in a.members]:
            problems.append('members %r' % now)
        if disk_digest(a.path, False) != ends[a.path]:
            problems.append('the disk bytes changed')
        if undone:
            outcome['undone'] += 1
        elif had_record:
            outcome['record cut short'] += 1
        else:
            outcome['new' if state == target else 'old'] += 1
        tap(not problems, 'kill %d (%s, after %s): %s' % (
            i + 1, os.path.basename(a.path), 'undone' if undone else 'old' if state == before else 'new',
            '; '.join(problems) or 'recovered'))

    diag('outcomes: %s' % json.dumps(outcome))
    tap(killed >= 100, '%d of %d kills hit a running edit' % (killed, KILLS))
    tap(outcome['undone'] >= 10, 'at least 10 kills landed inside an edit (%d did)' % outcome['undone'])
    for a in archives:
        tap(disk_digest(a.path, True) == whole_digest, '%s: the whole disk member is unchanged (SHA-256)'
            % os.path.basename(a.path))
        p = subprocess.run(['tar', '-tvf', a.path], capture_output=True, text=True)
        names = [line.split()[5] for line in p.stdout.splitlines()]
        tap(p.returncode == 0 and not p.stderr and names == [m[0] for m in a.members],
            '%s: GNU tar lists the same members' % os.path.basename(a.path))


if __name__ == '__main__':
    sys.exit(main())
