# lib.sh — sourced by every tests/integration/*.sh: the build folder, the binary
# under test (tests/run.sh exports RAGPACK, e.g. the ASan build), and the
# one-line results tests/run.sh counts: "ok NAME", "FAIL NAME: why",
# "skip NAME: why".
B=${1:-build}
RAGPACK=${RAGPACK:-$B/ragpack}
ok()   { echo "ok $1"; }
fail() { echo "FAIL $1: $2"; }
skip() { echo "skip $1: $2"; }
# it_setup NAME: ROOT (the project), an absolute $RAGPACK, a scratch
# folder $W removed on exit, and fail() also counted in $fails for the
# script's exit status. Without a built binary: "skip NAME" and exit 0.
it_setup() {
    ROOT=$(pwd)
    case $RAGPACK in /*) ;; *) RAGPACK=$ROOT/$RAGPACK ;; esac
    if [ ! -x "$RAGPACK" ]; then
        skip "$1" "$RAGPACK is not built"
        exit 0
    fi
    W=$(mktemp -d "/tmp/it_$1.XXXXXX")
    trap 'rm -rf "$W"' EXIT
    fails=0
    fail() { echo "FAIL $1: $2"; fails=$((fails + 1)); }
}
