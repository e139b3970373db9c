# lib.sh — sourced by every tests/integration/*.sh: the build folder, the binary
# under test (tests/run.sh exports RAGPACK, e.g. the ASan build), and the
# one-line results tests/run.sh counts: "ok NAME", "FAIL NAME: why",
# "skip NAME: why".
B=${1:-build}
RAGPACK=${RAGPACK:-$B/ragpack}
ok()   { echo "ok $1"; }
fail() { echo "FAIL $1: $2"; }
skip() { echo "skip $1: $2"; }
