#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""OVAs holding the tar records libarchive's reader drops, for the tests
of the streamed rewrite (test-ova-stream.c, cli-ovf.sh).

  make-pax-ova.py build KIND OVF OUT
      KIND python:      Python's tarfile, records written one by one: a pax
                        global header (comment), the OVF with a pax comment,
                        a disk with a pax comment, a member with a GNU long
                        name ('L'), a second global header, a manifest
      KIND pax-size:    the same, the OVF's size also in a pax "size" record
      KIND small:       as python, with disks of a few hundred bytes (a fuzz seed)
      KIND pax-global:  an OVF whose size is in a pax header separated from it
                        by a global header (the pax header still applies)
      KIND gnutar:      GNU tar --format=pax with a global comment, a comment
                        in every member's header and a path over 100 bytes
  make-pax-ova.py describe OVA
      What Python's tarfile reads: one line per member, fields separated by
      tabs (name, type, size, mode, mtime, owner, group, pax records but
      "size", SHA-256 of the content), then the archive's global records.
"""
import hashlib
import io
import os
import subprocess
import sys
import tarfile
import tempfile

LONG_NAME = 'images/' + 'a-disk-with-a-name-longer-than-one-hundred-bytes-' * 3 + '.img'
MTIME = 1700000000


def disk(size):
    """Not all zeros, with a zero run in the middle."""
    return bytes(0 if size // 3 <= i < 2 * size // 3 else (i * 2654435761 >> 13) & 0xff
                 for i in range(size))


def manifest(members):
    return ''.join('SHA256(%s)= %s\n' % (name, hashlib.sha256(data).hexdigest())
                   for name, data in members).encode()


def record(name, data, fmt, pax=None):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = MTIME
    info.mode = 0o644
    info.uid = info.gid = 36
    info.uname = info.gname = 'vdsm'
    if pax:
        info.pax_headers = dict(pax)
    head = info.tobuf(fmt, 'utf-8', 'surrogateescape')
    return head + data + b'\0' * (-len(data) % 512)


def global_header(pax):
    # tarfile writes a global header only at the start; this is its own
    # encoder, used for one in the middle too.
    return tarfile.TarInfo._create_pax_generic_header(pax, tarfile.XGLTYPE, 'utf-8')


def build_python(ovf, out, pax_size, small=False):
    one = disk(700 if small else 200 * 1024)
    two = disk(100 if small else 3000)
    ovf_pax = {'comment': 'the descriptor'}
    if pax_size:
        ovf_pax['size'] = str(len(ovf))
    body = (global_header({'comment': 'made for the streamed rewrite test', 'ovirt.test': 'first'}) +
            record('vm.ovf', ovf, tarfile.PAX_FORMAT, ovf_pax) +
            record('disk1.img', one, tarfile.PAX_FORMAT, {'comment': 'disk one'}) +
            record(LONG_NAME, two, tarfile.GNU_FORMAT) +
            global_header({'comment': 'a second global header'}) +
            record('vm.mf', manifest([('vm.ovf', ovf), ('disk1.img', one), (LONG_NAME, two)]),
                   tarfile.USTAR_FORMAT))
    body += b'\0' * 1024
    body += b'\0' * (-len(body) % 10240)
    with open(out, 'wb') as f:
        f.write(body)


def build_pax_global(ovf, out):
    head = record('vm.ovf', ovf, tarfile.PAX_FORMAT, {'size': str(len(ovf)), 'comment': 'split'})
    own = len(head) - (len(ovf) + -len(ovf) % 512) - 512
    body = head[:own] + global_header({'comment': 'in between'}) + head[own:] + b'\0' * 1024
    body += b'\0' * (-len(body) % 10240)
    with open(out, 'wb') as f:
        f.write(body)


def build_gnutar(ovf, out):
    with tempfile.TemporaryDirectory() as tmp:
        one = disk(100 * 1024)
        files = [('vm.ovf', ovf), ('disk1.img', one),
                 (LONG_NAME, disk(5000))]
        for name, data in files:
            path = os.path.join(tmp, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, 'wb') as f:
                f.write(data)
        with open(os.path.join(tmp, 'vm.mf'), 'wb') as f:
            f.write(manifest(files))
        subprocess.run(['tar', '--format=pax', '--pax-option=comment=made by GNU tar',
                        '--pax-option=comment:=a member comment', '--pax-option=delete=atime,delete=ctime',
                        '--mtime=@%d' % MTIME, '--owner=36', '--group=36', '-C', tmp,
                        '-cf', os.path.abspath(out), 'vm.ovf', 'disk1.img', LONG_NAME, 'vm.mf'],
                       check=True)


def describe(path):
    with tarfile.open(path) as tar:
        for m in tar:
            pax = sorted((k, v) for k, v in m.pax_headers.items() if k != 'size')
            data = tar.extractfile(m).read() if m.isfile() else b''
            print(m.name, m.type, m.size, oct(m.mode), m.mtime, m.uname, m.gname, pax,
                  hashlib.sha256(data).hexdigest(), sep='\t')
        print('global', sorted(tar.pax_headers.items()), sep='\t')


def main(argv):
    if argv[1] == 'describe':
        describe(argv[2])
        return 0
    kind, ovf_path, out = argv[2:5]
    with open(ovf_path, 'rb') as f:
        ovf = f.read()
    if kind == 'gnutar':
        build_gnutar(ovf, out)
    elif kind == 'pax-global':
        build_pax_global(ovf, out)
    else:
        build_python(ovf, out, kind == 'pax-size', kind == 'small')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
