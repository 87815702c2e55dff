#!/bin/sh
# valgrind-wrap.sh VALGRIND-OPTIONS... -- PROGRAM ARGS...: the exe_wrapper of
# the 'valgrind' test setup.
#  - A compiled test program runs under memcheck, and so does every project
#    binary it starts (the CLI, the sandbox engine): children are traced,
#    system programs are not.
#  - A shell-script test runs unwrapped (memcheck on bash would test bash),
#    but with OB_BUILD_DIR pointing at a shadow of the build directory whose
#    src/ovirt-balloon-cli runs the real CLI under memcheck: the scripts'
#    CLI runs are checked too. A memcheck error makes that CLI run exit 1
#    with the report on its stderr, so the script's checks fail. Runs given
#    an explicit --timeout are the scripts' timing checks ("times out within
#    N s"): memcheck's start-up and exit leak scan add seconds they cannot
#    absorb, so those runs are left native (the compiled tests still cover
#    the timeout path under memcheck).
#
# SPDX-License-Identifier: GPL-3.0-or-later
opts=
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  opts="$opts $1"
  shift
done
[ "$1" = "--" ] && shift
prog=$1

is_script=no
case "$prog" in
  */bash|*/sh|*/dash|*/python3|*.sh|*.py) is_script=yes ;;
esac
if [ -f "$prog" ] && [ "$(head -c 2 "$prog")" = "#!" ]; then
  is_script=yes
fi

if [ "$is_script" = yes ]; then
  real=${OB_BUILD_DIR:-}
  if [ -z "$real" ] || [ ! -x "$real/src/ovirt-balloon-cli" ]; then
    exec "$@"
  fi
  shadow=$(mktemp -d)
  for e in "$real"/* "$real"/.[!.]*; do
    [ -e "$e" ] && ln -s "$e" "$shadow/"
  done
  rm "$shadow/src"
  mkdir "$shadow/src"
  for e in "$real"/src/*; do
    ln -s "$e" "$shadow/src/"
  done
  rm "$shadow/src/ovirt-balloon-cli"
  cat > "$shadow/src/ovirt-balloon-cli" <<EOF
#!/bin/sh
for a in "\$@"; do
  case "\$a" in --timeout|--timeout=*) exec "$real/src/ovirt-balloon-cli" "\$@" ;; esac
done
exec valgrind $opts -- "$real/src/ovirt-balloon-cli" "\$@"
EOF
  chmod +x "$shadow/src/ovirt-balloon-cli"
  OB_BUILD_DIR=$shadow "$@"
  rc=$?
  rm -rf "$shadow"
  exit $rc
fi

# shellcheck disable=SC2086
exec valgrind $opts --trace-children=yes \
  --trace-children-skip='/usr/*,/bin/*,/sbin/*,/lib/*' "$@"
