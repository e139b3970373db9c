#!/bin/sh
# cli.sh — the command line: every subcommand's --help describes each
# option it accepts (short and long), and the man page, bash completion
# and README/docs name every long option; a usage error is one line plus
# a pointer to --help, exit 2; `--opt=value` works everywhere (batch
# --shard=1/1); check is a dry run of build (same defaults, fails where
# build fails, writes nothing, --json); trend pack names reflect their
# options and a pack of other options is not replaced without --force.
#   sh tests/integration/cli.sh BUILD_DIR
. tests/integration/lib.sh "$@"
it_setup cli

docs_of() {   # the documents that must name a command's long options
    case $1 in
    batch) echo README.md docs/batch.md ;;
    trend) echo README.md docs/trend.md ;;
    import-ees) echo README.md docs/import-ees.md ;;
    *) echo README.md ;;
    esac
}

for cmd in build check trend batch import-ees; do
    "$RAGPACK" "$cmd" --help >"$W/help" 2>&1; rc=$?
    longs=$(grep -oE '^ +(-[a-zA-Z], )?--[a-z-]+' "$W/help" | grep -oE -- '--[a-z-]+' | sort -u)
    if [ "$rc" != 0 ] || [ -z "$longs" ] || ! head -1 "$W/help" | grep -q "^usage: ragpack $cmd"; then
        fail "help-$cmd" "rc=$rc: $(head -2 "$W/help")"; continue
    fi
    bad=
    for o in $longs; do
        [ "$o" = --help ] && continue
        # the parser knows it: never "unknown option"
        "$RAGPACK" "$cmd" "$o" >/dev/null 2>"$W/err" </dev/null
        grep -q "unknown option" "$W/err" && bad="$bad parser:$o"
        roff=$(printf '%s' "$o" | sed 's/-/\\-/g')   # --dry-run → \-\-dry\-run
        grep -qF -- "$roff" man/ragpack.1 || bad="$bad man:$o"
        grep -q -- " $o " completion/ragpack.bash || grep -q -- " $o\"" completion/ragpack.bash \
            || bad="$bad completion:$o"
        for d in $(docs_of "$cmd"); do
            grep -q -- "$o" "$d" || bad="$bad $d:$o"
        done
    done
    # every short option in the help is accepted too
    for s in $(grep -oE '^ +-[a-zA-Z],' "$W/help" | grep -oE -- '-[a-zA-Z]'); do
        [ "$s" = -h ] && continue
        "$RAGPACK" "$cmd" "$s" >/dev/null 2>"$W/err" </dev/null
        grep -q "unknown option" "$W/err" && bad="$bad parser:$s"
    done
    [ -z "$bad" ] && ok "help-$cmd" || fail "help-$cmd" "not agreed:$bad"
done

# a usage error: one line and the pointer, exit 2
"$RAGPACK" build --frobnicate >"$W/out" 2>"$W/err"; rc=$?
if [ "$rc" = 2 ] && [ "$(wc -l <"$W/err")" = 2 ] && [ ! -s "$W/out" ] &&
   grep -q "^ragpack build: unknown option '--frobnicate'$" "$W/err" &&
   grep -q "^Try 'ragpack build --help'.$" "$W/err"; then
    ok usage-one-line
else
    fail usage-one-line "rc=$rc: $(cat "$W/err")"
fi
"$RAGPACK" batch -j >/dev/null 2>"$W/err"; rc=$?
if [ "$rc" = 2 ] && [ "$(wc -l <"$W/err")" = 2 ] && grep -q "'-j' needs a value" "$W/err"; then
    ok usage-missing-value
else
    fail usage-missing-value "rc=$rc: $(cat "$W/err")"
fi
"$RAGPACK" nosuch >/dev/null 2>"$W/err"; rc=$?
[ "$rc" = 2 ] && [ "$(wc -l <"$W/err")" = 2 ] && ok usage-unknown-command \
    || fail usage-unknown-command "rc=$rc: $(cat "$W/err")"

# --opt=value everywhere (batch and import-ees parsed by hand before)
printf 'name,template,input,out\nc,%s/templates/integrated-performance.yaml,%s/input/sample,%s/b\n' \
    "$ROOT" "$ROOT" "$W" >"$W/m.csv"
if "$RAGPACK" batch --shard=1/1 --jobs=1 --dry-run "$W/m.csv" >"$W/out" 2>"$W/err" &&
   grep -q "^would build c " "$W/out"; then
    ok long-option-equals
else
    fail long-option-equals "$(cat "$W/err")"
fi

# check: the dry run of build
mkdir -p "$W/wd" && cp -r templates fonts "$W/wd/" && mkdir -p "$W/wd/input" && cp -r input/sample "$W/wd/input/"
if (cd "$W/wd" && "$RAGPACK" check >"$W/out" 2>"$W/err") &&
   grep -q "output/integrated-performance-2023-24-Q3.pdf" "$W/out" && [ ! -e "$W/wd/output" ]; then
    ok check-defaults-as-build
else
    fail check-defaults-as-build "$(cat "$W/out" "$W/err")"
fi
cp -r input/sample "$W/in"
sed -i 's/^EHCP_TOTAL,/EHCP_TOTL,/' "$W/in/measures.csv" 2>/dev/null
checkfail() {  # NAME WANT ARGS...: check and build both fail, with WANT in check's output
    name=$1 want=$2; shift 2
    "$RAGPACK" check "$@" -o "$W/o-$name" >"$W/out" 2>"$W/err"; crc=$?
    "$RAGPACK" build "$@" -o "$W/o-$name" >/dev/null 2>&1; brc=$?
    if [ "$crc" = 1 ] && [ "$brc" = 1 ] && grep -q -- "$want" "$W/err" && [ ! -e "$W/o-$name" ]; then
        ok "check-fails-like-build-$name"
    else
        fail "check-fails-like-build-$name" "check=$crc build=$brc: $(cat "$W/err")"
    fi
}
checkfail font "LiberationSans" -f "$W/nofonts"
checkfail period "no value for 2019/20 Q1" -p "2019/20 Q1"
printf 'title: x\n' >/dev/null
sed 's/EHCP_TOTAL/NO_SUCH_MEASURE/' templates/children-and-families.yaml >"$W/t.yaml"
checkfail measure "NO_SUCH_MEASURE" -t "$W/t.yaml" -f fonts
"$RAGPACK" check --json -f "$W/nofonts" >"$W/out" 2>"$W/err"; rc=$?
if [ "$rc" = 1 ] && [ ! -s "$W/err" ] && python3 - "$W/out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["ok"] is False and r["pdf"] is None, r
assert any("LiberationSans" in e["file"] for e in r["errors"]), r
PY
then
    "$RAGPACK" check --json >"$W/out"; rc=$?
    if [ "$rc" = 0 ] && python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["ok"] and r["period"]=="2023/24 Q3" and r["pdf"].endswith("-2023-24-Q3.pdf") and r["html"].endswith(".html") and r["errors"]==[], r' "$W/out"; then
        ok check-json
    else
        fail check-json "ok case: rc=$rc $(cat "$W/out")"
    fi
else
    fail check-json "rc=$rc: $(cat "$W/out" "$W/err")"
fi

# trend: names reflect options; other options are not replaced by accident
T="$RAGPACK trend -i input/sample -m EHCP_TOTAL -o $W/t"
$T >/dev/null 2>&1 && $T --years 4 >/dev/null 2>&1 && $T --by year >/dev/null 2>&1 &&
    $T -m POTHOLES_CAT3 >/dev/null 2>&1
n=$(ls "$W/t"/*.pdf 2>/dev/null | wc -l)
if [ "$n" = 4 ] && [ -f "$W/t/trend-ehcp_total-2023-24-Q3-4y.pdf" ] &&
   [ -f "$W/t/trend-ehcp_total+potholes_cat3-2023-24-Q3.pdf" ]; then
    ok trend-names
else
    fail trend-names "$(ls "$W/t")"
fi
cp -r input/sample "$W/in2"
sum=$(cksum <"$W/t/trend-ehcp_total-2023-24-Q3.pdf")
$RAGPACK trend -i "$W/in2" -m EHCP_TOTAL -o "$W/t" >/dev/null 2>"$W/err"; rc=$?
if [ "$rc" = 1 ] && grep -q "built with other options" "$W/err" &&
   [ "$(cksum <"$W/t/trend-ehcp_total-2023-24-Q3.pdf")" = "$sum" ]; then
    if $RAGPACK trend -i "$W/in2" -m EHCP_TOTAL -o "$W/t" --force >/dev/null 2>&1 &&
       $T >/dev/null 2>&1; [ $? = 1 ]; then
        ok trend-refuses-other-options
    else
        fail trend-refuses-other-options "--force did not replace it, or the replaced one was not guarded"
    fi
else
    fail trend-refuses-other-options "rc=$rc: $(cat "$W/err")"
fi
$T >/dev/null 2>&1 || true
if $T --force >/dev/null 2>&1 && $T >/dev/null 2>&1; then
    ok trend-same-options-rebuild
else
    fail trend-same-options-rebuild "the same options were refused"
fi
[ "$fails" = 0 ]
