#!/bin/sh
# batch.sh — integration test of `ragpack batch`: incremental skips and
# rebuilds (input, template, font, --force), isolation of a failing pack,
# lock contention, SIGTERM mid-run, and the JSON Lines log.
#   sh tests/integration/batch.sh BUILD_DIR     ($RAGPACK overrides BUILD_DIR/ragpack)
# Prints "ok NAME", "FAIL NAME: why" or "skip NAME: why" per check.
. tests/integration/lib.sh "$@"
case $RAGPACK in /*) ;; *) RAGPACK=$(pwd)/$RAGPACK ;; esac
ROOT=$(pwd)
if [ ! -x "$RAGPACK" ]; then
    echo "skip it_batch: $RAGPACK is not built"
    exit 0
fi
W=$(mktemp -d /tmp/it_batch.XXXXXX)
trap 'rm -rf "$W"' EXIT
fails=0
fail() { echo "FAIL $1: $2"; fails=$((fails + 1)); }   # also counted for the exit status

mkdir -p "$W/templates"
cp "$ROOT/templates/integrated-performance.yaml" "$W/templates/"
cp -r "$ROOT/fonts" "$W/fonts"
cp -r "$ROOT/input/sample" "$W/in1"
cp -r "$ROOT/input/sample" "$W/in2"
cp -r "$ROOT/input/sample" "$W/bad"
printf 'measure,period,value\nEHCP_TOTAL,2023/24 Q3,12..5\n' >"$W/bad/kpi.csv"

T=templates/integrated-performance.yaml
cat >"$W/all.csv" <<EOF
name,template,input,out
cabinet,$T,in1,out1
second,$T,in2,out2
broken,$T,bad,out3
EOF
cat >"$W/good.csv" <<EOF
name,template,input,out
cabinet,$T,in1,out1
second,$T,in2,out2
EOF

run() {   # run MANIFEST [args]: output in $W/stdout $W/stderr, status in $rc
    m=$1; shift
    (cd "$W" && "$RAGPACK" batch "$m" -j 2 "$@" >"$W/stdout" 2>"$W/stderr" </dev/null)
    rc=$?
}
count() { grep -c "^$1 " "$W/stdout"; }
pdfs() { ls "$W/$1"/*.pdf 2>/dev/null | wc -l; }

# --- isolation: one failing pack never stops the others ------------------
run all.csv --log "$W/log.jsonl"
if [ "$rc" = 1 ] && [ "$(pdfs out1)" = 1 ] && [ "$(pdfs out2)" = 1 ] \
   && [ "$(pdfs out3)" = 0 ] && grep -q "FAILED broken" "$W/stderr"; then
    ok isolation
else
    fail isolation "rc=$rc, pdfs $(pdfs out1)/$(pdfs out2)/$(pdfs out3): $(cat "$W/stderr" | head -5)"
fi

# --- the JSON Lines log ------------------------------------------------------
if command -v python3 >/dev/null 2>&1; then
    if python3 - "$W/log.jsonl" "$W" <<'PY'
import json, sys, hashlib
recs = [json.loads(l) for l in open(sys.argv[1])]
assert len(recs) == 3, recs
by = {r["name"]: r for r in recs}
for r in recs:
    for k in ("name", "status", "seconds", "pages", "bytes", "sha256", "error"):
        assert k in r, (k, r)
    assert r["status"] in ("built", "skipped", "failed"), r
    assert isinstance(r["seconds"], (int, float)) and r["seconds"] >= 0
assert by["broken"]["status"] == "failed" and by["broken"]["error"], by["broken"]
for n in ("cabinet", "second"):
    r = by[n]
    assert r["status"] == "built" and r["error"] is None and r["pages"] > 0, r
    pdf = r["pdf"] if r["pdf"].startswith("/") else sys.argv[2] + "/" + r["pdf"]
    data = open(pdf, "rb").read()
    assert hashlib.sha256(data).hexdigest() == r["sha256"], n
    assert len(data) == r["bytes"], (n, len(data), r["bytes"])
PY
    then ok json-log; else fail json-log "records incomplete or wrong"; fi
else
    skip json-log "python3 is absent"
fi

# --- incremental: unchanged inputs are skipped ------------------------------
run good.csv
if [ "$rc" = 0 ] && [ "$(count skipped)" = 2 ] && [ "$(count built)" = 0 ]; then
    ok skip-unchanged
else
    fail skip-unchanged "rc=$rc: $(cat "$W/stdout")"
fi

# An input change rebuilds only the pack that reads it. A blank line at
# the end of a CSV changes the bytes, not the figures.
echo >>"$W/in1/kpi.csv"
run good.csv
if [ "$rc" = 0 ] && grep -q '^built *cabinet' "$W/stdout" \
   && grep -q '^skipped *second' "$W/stdout"; then
    ok rebuild-input
else
    fail rebuild-input "rc=$rc: $(cat "$W/stdout")"
fi

echo "# edited" >>"$W/$T"
run good.csv
if [ "$rc" = 0 ] && [ "$(count built)" = 2 ]; then
    ok rebuild-template
else
    fail rebuild-template "rc=$rc: $(cat "$W/stdout")"
fi

echo "a new file in the fonts folder" >"$W/fonts/NOTES.txt"
run good.csv
if [ "$rc" = 0 ] && [ "$(count built)" = 2 ]; then
    ok rebuild-font
else
    fail rebuild-font "rc=$rc: $(cat "$W/stdout")"
fi

run good.csv --force
if [ "$rc" = 0 ] && [ "$(count built)" = 2 ]; then
    ok rebuild-forced
else
    fail rebuild-forced "rc=$rc: $(cat "$W/stdout")"
fi

# --- lock contention: a second run on the same outputs is refused --------
if command -v flock >/dev/null 2>&1; then
    lock="$W/out1/.integrated-performance-latest.lock"
    flock "$lock" sleep 5 &
    holder=$!
    i=0
    # wait until the holder has the lock (flock -n fails while it is held)
    while flock -n "$lock" true 2>/dev/null && [ $i -lt 50 ]; do
        sleep 0.1; i=$((i + 1))
    done
    run good.csv --force
    kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null
    if [ "$rc" = 1 ] && grep -q "another ragpack batch run" "$W/stderr" \
       && [ "$(count built)" = 0 ]; then
        ok lock-contention
    else
        fail lock-contention "rc=$rc: $(cat "$W/stderr" "$W/stdout")"
    fi
else
    skip lock-contention "flock(1) is absent"
fi

# --- SIGTERM mid-run: stops cleanly, no partial files ----------------------
{
    echo "name,template,input,out"
    i=1
    while [ $i -le 16 ]; do echo "p$i,$T,in1,many/o$i"; i=$((i + 1)); done
} >"$W/many.csv"
(cd "$W" && exec "$RAGPACK" batch many.csv -j 1 --force >"$W/stdout" 2>"$W/stderr" </dev/null) &
pid=$!
i=0
while ! grep -q '^built ' "$W/stdout" 2>/dev/null && [ $i -lt 300 ]; do
    sleep 0.1; i=$((i + 1))
done
kill -TERM "$pid" 2>/dev/null
wait "$pid"; rc=$?
partial=$(find "$W/many" \( -name '*.tmp*' -o -name '.*.old' \) | wc -l)
bad=0; n=0
for st in "$W"/many/o*/.*.ragpack-state; do
    [ -f "$st" ] || continue
    n=$((n + 1))
    set -- $(cat "$st")
    sum=$(cd "$(dirname "$st")" && sha256sum "$7" | cut -d' ' -f1)
    [ "$sum" = "$4" ] || bad=$((bad + 1))
done
npdf=$(find "$W/many" -name '*.pdf' | wc -l)
if [ "$rc" != 0 ] && [ "$partial" = 0 ] && [ "$bad" = 0 ] && [ "$n" = "$npdf" ] \
   && [ "$npdf" -ge 1 ] && [ "$npdf" -lt 16 ] && grep -q "not started" "$W/stdout"; then
    ok sigterm-clean
else
    fail sigterm-clean "rc=$rc partial=$partial bad=$bad states=$n pdfs=$npdf: $(tail -2 "$W/stdout")"
fi

[ "$fails" = 0 ]
