#!/bin/sh
# batch.sh — integration test of `ragpack batch`: incremental skips and
# rebuilds (input, template, font, --force), isolation of a failing pack,
# lock contention, SIGTERM mid-run, the JSON Lines log (timestamps, run id,
# host, period, errors with file and line, not_started and summary
# records, an unwritable log), state kept out of published folders,
# --dry-run's names and --state DIR.
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
import json, sys, hashlib, re, socket
recs = [json.loads(l) for l in open(sys.argv[1])]
packs = [r for r in recs if r["event"] == "pack"]
assert [r["event"] for r in recs] == ["start", "pack", "pack", "pack", "summary"], recs
assert len({r["run"] for r in recs}) == 1 and recs[0]["run"], recs
for r in recs:
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", r["time"]), r
    assert r["host"] == socket.gethostname(), r
    assert r["shard"] == "1/1", r
by = {r["name"]: r for r in packs}
for r in packs:
    for k in ("name", "period", "status", "seconds", "pages", "bytes", "sha256", "error", "errors"):
        assert k in r, (k, r)
    assert r["status"] in ("built", "skipped", "failed"), r
    assert isinstance(r["seconds"], (int, float)) and r["seconds"] >= 0
b = by["broken"]
assert b["status"] == "failed" and b["error"], b
# the failure names the file and line: bad/kpi.csv line 2
assert any(e["file"].endswith("bad/kpi.csv") and e["line"] == 2 for e in b["errors"]), b
for n in ("cabinet", "second"):
    r = by[n]
    assert r["status"] == "built" and r["error"] is None and r["pages"] > 0, r
    assert r["period"] == "2023/24 Q3" and r["pdf"].endswith("-2023-24-Q3.pdf"), r
    pdf = r["pdf"] if r["pdf"].startswith("/") else sys.argv[2] + "/" + r["pdf"]
    data = open(pdf, "rb").read()
    assert hashlib.sha256(data).hexdigest() == r["sha256"], n
    assert len(data) == r["bytes"], (n, len(data), r["bytes"])
s = recs[-1]
assert (s["built"], s["skipped"], s["failed"], s["packs"], s["exit"]) == (2, 0, 1, 3, 1), s
assert s["status"] == "failed" and s["seconds"] >= 0, s
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
    lock="$W/out1/.ragpack/integrated-performance-latest.lock"
    flock "$lock" sleep 5 &
    holder=$!
    i=0
    # wait until the holder has the lock (flock -n fails while it is held)
    while flock -n "$lock" true 2>/dev/null && [ $i -lt 50 ]; do
        sleep 0.1; i=$((i + 1))
    done
    run good.csv --force --log "$W/locked.jsonl"
    kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null
    if [ "$rc" = 3 ] && grep -q "another ragpack run" "$W/stderr" \
       && [ "$(count built)" = 0 ] && [ "$(wc -l <"$W/locked.jsonl")" = 1 ] \
       && grep -q '"event":"not_started".*"reason":"locked"' "$W/locked.jsonl"; then
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
for st in "$W"/many/o*/.ragpack/*.state; do
    [ -f "$st" ] || continue
    n=$((n + 1))
    set -- $(cat "$st")
    # ragpack-state 3 INPUTS PDF_SHA PAGES BYTES KIND FY Q PDF
    sum=$(cd "$(dirname "$st")/.." && sha256sum "${10}" | cut -d' ' -f1)
    [ "$sum" = "$4" ] || bad=$((bad + 1))
done
npdf=$(find "$W/many" -name '*.pdf' | wc -l)
if [ "$rc" != 0 ] && [ "$partial" = 0 ] && [ "$bad" = 0 ] && [ "$n" = "$npdf" ] \
   && [ "$npdf" -ge 1 ] && [ "$npdf" -lt 16 ] && grep -q "not started" "$W/stdout"; then
    ok sigterm-clean
else
    fail sigterm-clean "rc=$rc partial=$partial bad=$bad states=$n pdfs=$npdf: $(tail -2 "$W/stdout")"
fi

# --- nothing of ours beside the published PDFs -------------------------------
extra=$(find "$W/out1" "$W/out2" -maxdepth 1 -name '.*' ! -name .ragpack | wc -l)
if [ "$extra" = 0 ] && [ -f "$W/out1/.ragpack/integrated-performance-latest.state" ]; then
    ok state-hidden-folder
else
    fail state-hidden-folder "$(ls -a "$W/out1")"
fi

# --- --dry-run names what a build would write, and writes nothing ---------
cp -r "$ROOT/input/sample" "$W/in3"
printf 'name,template,input,out\nthird,%s,in3,out4\n' "$T" >"$W/third.csv"
run third.csv --dry-run --log "$W/dry.jsonl"
if [ "$rc" = 0 ] && grep -q "^would build third  out4/integrated-performance-2023-24-Q3.pdf  out4/integrated-performance-2023-24-Q3.html  out4/integrated-performance-2023-24-Q3/  out4/.ragpack/integrated-performance-latest.state" "$W/stdout" \
   && [ ! -e "$W/out4" ] && [ ! -e "$W/dry.jsonl" ]; then
    ok dry-run-names
else
    fail dry-run-names "rc=$rc: $(cat "$W/stdout" "$W/stderr")"
fi

# --- --state DIR keeps locks and state out of the output folder ------------
run third.csv --state "$W/state"
if [ "$rc" = 0 ] && [ ! -e "$W/out4/.ragpack" ] && [ "$(ls "$W/state"/*-integrated-performance-latest.state | wc -l)" = 1 ]; then
    run third.csv --state "$W/state"
    if [ "$rc" = 0 ] && [ "$(count skipped)" = 1 ]; then ok state-dir; else fail state-dir "second run: rc=$rc $(cat "$W/stdout")"; fi
else
    fail state-dir "rc=$rc: $(ls -a "$W/out4") $(cat "$W/stderr")"
fi
run third.csv --state "$W/state" --log "$W/logs/new/batch.jsonl"
if [ "$rc" = 0 ] && grep -q '"event":"summary"' "$W/logs/new/batch.jsonl"; then
    ok log-folder-made
else
    fail log-folder-made "rc=$rc: $(cat "$W/stderr")"
fi

# --- a log that cannot be written fails the run ------------------------------
run third.csv --state "$W/state" --log "$W/third.csv/log.jsonl"   # under a file
if [ "$rc" = 1 ] && grep -q "cannot open the log" "$W/stderr"; then
    ok log-unwritable
else
    fail log-unwritable "rc=$rc: $(cat "$W/stderr")"
fi
if [ -w /dev/full ]; then
    run third.csv --state "$W/state" --log /dev/full
    if [ "$rc" = 1 ] && grep -q "cannot write the log" "$W/stderr"; then
        ok log-write-error
    else
        fail log-write-error "rc=$rc: $(cat "$W/stderr")"
    fi
else
    skip log-write-error "/dev/full is absent"
fi

[ "$fails" = 0 ]
