# tap.sh: TAP output for the shell tests. Source it:
#   . "${OB_SOURCE_DIR:?}/tests/support/tap.sh"
#
#   tap_plan N          print the plan first (else tap_done prints it last)
#   ok NAME             a passed case
#   not_ok NAME [FILE]  a failed case; FILE (or $TAP_DIAG) shown as diagnostics
#   skip NAME REASON    a skipped case
#   result STATUS NAME [FILE]  ok when STATUS is 0, else not_ok NAME FILE
#   check NAME CMD...   runs CMD in this shell: ok if it succeeds, else not_ok
#                       with CMD's output (and $TAP_DIAG) as diagnostics
#   diag [FILE...]      FILE's lines (or stdin's) as TAP comments
#   tap_done            the plan if not printed yet; exits 1 if a case failed
#
# TAP_DIAG may name a file (e.g. the stderr of the program under test) that
# every failed case shows.
# shellcheck shell=bash

tap_n=0
tap_failed=0
tap_planned=no
TAP_DIAG=${TAP_DIAG:-}

tap_plan () { echo "1..$1"; tap_planned=yes; }
diag ()
{
  local f
  [ $# -eq 0 ] && sed 's/^/# /'
  for f in "$@"; do [ -f "$f" ] && sed 's/^/# /' "$f"; done
  true
}
ok () { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1"; }
not_ok ()
{
  tap_n=$((tap_n + 1)); tap_failed=1
  echo "not ok $tap_n - $1"
  if [ $# -gt 1 ]; then diag "$2"; else diag "$TAP_DIAG"; fi
}
skip () { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1 # SKIP ${2:-}"; }
result () { if [ "$1" -eq 0 ]; then ok "$2"; else not_ok "$2" "${3:-$TAP_DIAG}"; fi; }
check ()
{
  local name=$1 out status; shift
  out=$(mktemp)
  "$@" >"$out" 2>&1
  status=$?
  if [ $status -eq 0 ]; then ok "$name"; else not_ok "$name" "$out"; diag "$TAP_DIAG"; fi
  rm -f "$out"
  return 0
}
tap_done ()
{
  [ $tap_planned = yes ] || echo "1..$tap_n"
  exit $tap_failed
}
