#!/bin/sh
# Run every unit test binary in $1/tests and every tests/integration/*.sh
# integration script; print one closing line "tests: N passed, N failed,
# N skipped". With VALGRIND=1 unit tests run under valgrind memcheck.
B=${1:-build}
pass=0; fail=0; skip=0
log=$(mktemp); trap 'rm -f "$log"' EXIT
export RAGPACK="$B/ragpack"
for t in "$B"/tests/test_*; do
    [ -x "$t" ] || continue
    if [ "${VALGRIND:-0}" = 1 ]; then
        valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
            "$t" >"$log" 2>&1; rc=$?
    else
        "$t" >"$log" 2>&1; rc=$?
    fi
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n1)
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n1)
    s=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$log" | tail -n1)
    p=${p:-0}; f=${f:-0}; s=${s:-0}
    if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi    # crashed or leaked
    if [ "$f" != 0 ] || [ "$rc" != 0 ]; then
        echo "FAIL $(basename "$t")"; cat "$log"
    else
        echo "ok   $(basename "$t") ($p passed${s:+, $s skipped})"
    fi
    grep -E '^\[  SKIPPED \]|skipped:' "$log" | grep -v '^\[  SKIPPED \] [0-9]' | sed 's/^/     /'
    pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
done
for it in tests/integration/*.sh; do
    [ "$(basename "$it")" = lib.sh ] && continue
    [ -f "$it" ] || continue
    sh "$it" "$B" >"$log" 2>&1; rc=$?
    cat "$log"
    p=$(grep -c '^ok ' "$log"); f=$(grep -c '^FAIL ' "$log"); s=$(grep -c '^skip ' "$log")
    if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; echo "FAIL $it exited $rc"; fi
    pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
done
echo "tests: $pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
