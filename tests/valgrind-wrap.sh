#!/bin/sh
# valgrind-wrap.sh VALGRIND-OPTIONS... -- PROGRAM ARGS...: the exe_wrapper of
# the 'valgrind' test setup. Compiled test programs run under memcheck, and so
# does every project binary they start (the CLI, the sandbox engine): children
# are traced except system programs. Shell-script tests are run as they are:
# memcheck on bash would test bash, not this project.
#
# SPDX-License-Identifier: GPL-3.0-or-later
opts=
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  opts="$opts $1"
  shift
done
[ "$1" = "--" ] && shift
prog=$1

case "$prog" in
  */bash|*/sh|*/dash|*/python3|*.sh|*.py) exec "$@" ;;
esac
if [ -f "$prog" ] && [ "$(head -c 2 "$prog")" = "#!" ]; then
  exec "$@"
fi
# shellcheck disable=SC2086
exec valgrind $opts --trace-children=yes \
  --trace-children-skip='/usr/*,/bin/*,/sbin/*,/lib/*' "$@"
