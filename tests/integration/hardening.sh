#!/bin/sh
# hardening.sh — inputs that once hung a build or ran without limit:
# anything that is not a regular file (a FIFO, a device, a folder) given as
# an input, a template size the page cannot hold, YAML nested 100,000
# deep, a trends list of 1,000 repeats, and a 10 MB CSV field. Each must
# end within seconds with a clear error (or, for the field, be read).
#   sh tests/integration/hardening.sh BUILD_DIR
. tests/integration/lib.sh "$@"
W=$(mktemp -d /tmp/it_hard.XXXXXX)
trap 'rm -rf "$W"' EXIT
S=input/sample
TPL=templates/integrated-performance.yaml
ROOTDIR=$(pwd)

# expect NAME SECONDS ERE CMD... : CMD exits 1 within SECONDS and its
# stderr matches ERE
expect() {
    name=$1; secs=$2; ere=$3; shift 3
    timeout "$secs" "$@" >"$W/$name.out" 2>"$W/$name.err" </dev/null; rc=$?
    if [ "$rc" = 124 ]; then
        fail "$name" "still running after ${secs}s: $*"
    elif [ "$rc" != 1 ]; then
        fail "$name" "exit $rc, want 1: $(head -c 300 "$W/$name.err")"
    elif ! grep -q -E -- "$ere" "$W/$name.err"; then
        fail "$name" "stderr lacks /$ere/: $(head -c 300 "$W/$name.err")"
    else
        ok "$name"
    fi
}
fresh() { rm -rf "$W/$1"; cp -r "$S" "$W/$1"; }

fresh fifo; rm "$W/fifo/kpi.csv"; mkfifo "$W/fifo/kpi.csv"
expect fifo-kpi 20 'kpi\.csv: cannot read: is a pipe \(FIFO\)' "$RAGPACK" check -i "$W/fifo"
fresh zero; ln -sf /dev/zero "$W/zero/commentary.csv"
expect dev-zero-commentary 20 'commentary\.csv: cannot read: is a device' \
    "$RAGPACK" build -i "$W/zero" -o "$W/zero.out"
fresh dir; rm "$W/dir/kpi.csv"; mkdir "$W/dir/kpi.csv"
expect folder-as-kpi 20 'kpi\.csv: cannot read: is a folder' "$RAGPACK" check -i "$W/dir"
mkdir -p "$W/fonts"; cp fonts/*.ttf "$W/fonts/"; rm "$W/fonts/LiberationSans-Bold.ttf"
mkfifo "$W/fonts/LiberationSans-Bold.ttf"
expect fifo-font 20 'LiberationSans-Bold\.ttf: cannot load the bold font: is a pipe' \
    "$RAGPACK" build -o "$W/ff.out" --fonts "$W/fonts"
expect import-dev-zero 20 'cannot read: is a device' \
    "$RAGPACK" import-ees /dev/zero --la X --column c -o "$W/imp"

sed 's/^\( *body:\).*/\1 0.000001/' "$TPL" >"$W/tiny.yaml"
expect tiny-body 20 'tiny\.yaml:[0-9]+: type\.body: .* out of range' \
    "$RAGPACK" build -t "$W/tiny.yaml" -o "$W/tiny.out"
python3 -c "print('sections: ' + '['*100000 + ']'*100000)" >"$W/deep.yaml"
expect deep-yaml 20 'deep\.yaml:1: nested more than' \
    "$RAGPACK" check -i "$S" -t "$W/deep.yaml"
python3 - "$W/rep.yaml" <<'PY'
import sys
with open(sys.argv[1], 'w') as f:
    f.write('sections:\n  - kind: trends\n    measures: [' + ', '.join(['EHCP_TOTAL'] * 1000) + ']\n')
PY
expect repeated-measures 20 'rep\.yaml:[0-9]+: sections\[1\]\.measures\[2\]: measure "EHCP_TOTAL" is listed twice' \
    "$RAGPACK" check -i "$S" -t "$W/rep.yaml"

# a 10 MB quoted field is read (libcsv grows its buffer in big steps)
fresh big
python3 - "$W/big/commentary.csv" <<'PY'
import sys
with open(sys.argv[1], 'w') as f:
    f.write('scope,period,text\noverall,2023/24 Q3,"' + 'word ' * 2000000 + '"\n')
PY
timeout 120 "$RAGPACK" check -i "$W/big" >"$W/big.out" 2>"$W/big.err"; rc=$?
if [ "$rc" = 124 ]; then fail big-field "10 MB field not read in 120 s"
elif grep -q -E 'Sanitizer|runtime error' "$W/big.err"; then fail big-field "$(head -c 300 "$W/big.err")"
else ok big-field; fi

# a font path in a template cannot leave the fonts folder
sed 's#^\( *regular:\).*#\1 ../../../../tmp/x.ttf#' "$TPL" >"$W/escape.yaml"
expect font-path-confined 20 'escape\.yaml:[0-9]+: fonts\.regular: "\.\./\.\./\.\./\.\./tmp/x\.ttf" is not a file name' \
    "$RAGPACK" build -t "$W/escape.yaml" -o "$W/escape.out"

# every problem in one run: an unknown key, a bad size and a bad data cell
fresh many
awk -F, 'NR == 2 { $3 = "12..5" } 1' OFS=, "$S/kpi.csv" >"$W/many/kpi.csv"
{ sed 's/^\( *body:\).*/\1 99/' "$TPL"; echo "bogus: 1"; } >"$W/many.yaml"
"$RAGPACK" check -i "$W/many" -t "$W/many.yaml" >/dev/null 2>"$W/many.err"
if grep -q 'unknown key "bogus"' "$W/many.err" && grep -q 'type\.body: 99 pt is out of range' "$W/many.err" \
   && grep -q 'kpi\.csv:2: value: "12\.\.5" is not a number' "$W/many.err"; then
    ok all-problems-one-run
else
    fail all-problems-one-run "$(cat "$W/many.err")"
fi

# a column given twice is an error: which one is meant cannot be known
fresh dup
awk 'NR == 1 { print $0 ",VALUE"; next } { print $0 ",1" }' "$S/kpi.csv" >"$W/dup/kpi.csv"
expect duplicate-column 20 'kpi\.csv:1: value: the column is given twice \(columns 3 and 8\)' \
    "$RAGPACK" check -i "$W/dup"

# a period far from the rest of the data is named (a warning, not an error)
fresh far
echo "EHCP_TOTAL,2099/00 Q1,5,,,," >>"$W/far/kpi.csv"
n=$(wc -l <"$W/far/kpi.csv")
"$RAGPACK" check -i "$W/far" >/dev/null 2>"$W/far.err"; rc=$?
if [ "$rc" = 0 ] && grep -q "kpi\.csv:$n: period: warning: \"2099/00 Q1\" is [0-9]* years after most of the data" "$W/far.err"; then
    ok far-period-warned
else
    fail far-period-warned "rc=$rc $(cat "$W/far.err")"
fi

# SIGTERM while a long step runs (30,000 measures: seconds of computing,
# laying out and rendering 4,000 pages): the build stops within moments,
# not at its next step, and leaves nothing behind
fresh long
# the first eight columns as the sample's header has them, the rest empty
nf=$(head -1 "$S/measures.csv" | awk -F, '{ print NF }')
awk -v nf="$nf" 'BEGIN { for (i = 1; i <= 30000; i++) {
    printf "BIG%05d,Generated measure number %d with a long enough title,Big area,percent,,higher,5%%,last", i, i
    for (k = 8; k < nf; k++) printf ","
    printf "\n" } }' >>"$W/long/measures.csv"
awk 'BEGIN { for (i = 1; i <= 30000; i++) for (q = 1; q <= 4; q++)
    printf "BIG%05d,2023/24 Q%d,%d.%d,50.0,,,\n", i, q, 40 + (i + q) % 20, i % 10 }' \
    >>"$W/long/kpi.csv"
"$RAGPACK" build -i "$W/long" -o "$W/long.out" --chart-files none >/dev/null 2>"$W/long.err" &
pid=$!
sleep 1
t0=$(date +%s.%N)
kill -TERM "$pid" 2>/dev/null
wait "$pid"; rc=$?
secs=$(echo "$(date +%s.%N) - $t0" | bc)
left=$(ls -A "$W/long.out" 2>/dev/null | grep -v '^\.ragpack$')
if [ "$rc" = 0 ]; then
    skip sigterm-in-long-step "the build finished within a second"
elif [ "$rc" = 1 ] && grep -q interrupted "$W/long.err" && [ -z "$left" ] &&
     [ "$(echo "$secs < 5" | bc)" = 1 ]; then
    ok "sigterm-in-long-step (stopped ${secs}s after the signal)"
else
    fail sigterm-in-long-step "exit $rc after ${secs}s, left: $left, $(head -c 300 "$W/long.err")"
fi

# a table row taller than a page (a 2,000-character measure title) is
# split across pages under the repeated header: every word is in the PDF
fresh tall
python3 - "$W/tall/measures.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='')))
h = rows[0]; t = h.index('title')
words = ' '.join('word%04d' % i for i in range(250))   # 2,249 characters
rows[1][t] = words
csv.writer(open(sys.argv[1], 'w', newline='')).writerows(rows)
PY
if "$RAGPACK" build -i "$W/tall" -o "$W/tall.out" >/dev/null 2>"$W/tall.err"; then
    pdftotext "$W"/tall.out/*.pdf "$W/tall.txt"
    missing=0
    for i in $(seq 0 249); do
        grep -q "word$(printf %04d "$i")" "$W/tall.txt" || missing=$((missing + 1))
    done
    pages=$(grep -c "(continued)" "$W/tall.txt")
    if [ "$missing" = 0 ] && [ "$pages" -gt 0 ]; then
        ok "tall-row-split (all 250 words, continued $pages times)"
    else
        fail tall-row-split "$missing of 250 words missing; continued $pages times"
    fi
else
    fail tall-row-split "$(head -c 300 "$W/tall.err")"
fi

# 4,000 manifest rows sharing one out: one message per row (3,999), not
# one per pair (8 million)
python3 - "$W/many-rows.csv" "$ROOTDIR" <<'PY'
import sys
with open(sys.argv[1], 'w') as f:
    f.write('name,template,input,period,out\n')
    for i in range(4000):
        f.write('p%d,%s/templates/integrated-performance.yaml,%s/input/sample,2023/24 Q3,out\n'
                % (i, sys.argv[2], sys.argv[2]))
PY
timeout 60 "$RAGPACK" batch -n "$W/many-rows.csv" >/dev/null 2>"$W/many-rows.err"; rc=$?
n=$(grep -c 'writes the same output as "p0" (line 2)' "$W/many-rows.err")
all=$(wc -l <"$W/many-rows.err")
if [ "$rc" = 1 ] && [ "$n" = 3999 ] && [ "$all" -lt 4010 ]; then
    ok "manifest-collisions-one-per-row ($n messages)"
else
    fail manifest-collisions-one-per-row "exit $rc, $n of $all lines: $(head -c 300 "$W/many-rows.err")"
fi

# say what is actually wrong: a folder as the manifest; two outs that are
# one folder through a symbolic link (this run, not another one); a log
# that cannot be written
mkdir -p "$W/mdir"
expect manifest-is-folder 20 'mdir: cannot read the manifest: is a folder' \
    "$RAGPACK" batch "$W/mdir"
mkdir -p "$W/alias/real" && ln -s real "$W/alias/link"
printf 'name,template,input,period,out\na,%s/%s,%s/%s,2023/24 Q3,real\nb,%s/%s,%s/%s,2023/24 Q3,link\n' \
    "$ROOTDIR" "$TPL" "$ROOTDIR" "$S" "$ROOTDIR" "$TPL" "$ROOTDIR" "$S" >"$W/alias/m.csv"
expect outs-aliased-by-symlink 20 'm\.csv:3: out: pack "b" writes the same output as "a" \(line 2\).*through a symbolic link' \
    "$RAGPACK" batch "$W/alias/m.csv"
head -n 2 "$W/alias/m.csv" >"$W/alias/one.csv"
if [ -w /dev/full ]; then
    expect log-unwritable 60 '/dev/full: cannot write the log: No space left' \
        "$RAGPACK" batch -l /dev/full "$W/alias/one.csv"
else
    skip log-unwritable "no /dev/full"
fi

# ---- publishing: a pack is replaced whole, or not at all ------------------
# Two inputs give two different packs (PDF, HTML, ratings.csv); after any
# failure, kill or race the output folder must hold all of one of them.
export SOURCE_DATE_EPOCH=1700000000
STEM=integrated-performance-2023-24-Q3
fresh pubA; fresh pubB
awk -F, 'BEGIN { OFS = "," } $2 == "2023/24 Q3" && !done { $3 = $3 + 7; done = 1 } 1' \
    "$S/kpi.csv" >"$W/pubB/kpi.csv"
"$RAGPACK" build -i "$W/pubA" -p "2023/24 Q3" -o "$W/refA" >/dev/null 2>&1
"$RAGPACK" build -i "$W/pubB" -p "2023/24 Q3" -o "$W/refB" >/dev/null 2>&1
# same_as OUT REF: every piece of OUT is REF's
same_as() {
    cmp -s "$1/$STEM.pdf" "$2/$STEM.pdf" && cmp -s "$1/$STEM.html" "$2/$STEM.html" &&
        cmp -s "$1/$STEM/ratings.csv" "$2/$STEM/ratings.csv" &&
        cmp -s "$1/$STEM/finance.csv" "$2/$STEM/finance.csv"
}
# differs OUT REF: the pieces of OUT that are not REF's (for messages)
differs() {
    for f in "$STEM.pdf" "$STEM.html" "$STEM/ratings.csv" "$STEM/finance.csv"; do
        cmp -s "$1/$f" "$2/$f" || printf ' %s' "$f"
    done
}
# leftovers OUT: anything but the three pieces and the lock
leftovers() {
    { ls -A "$1" | grep -v -x -e "$STEM" -e "$STEM.pdf" -e "$STEM.html" -e .ragpack
      ls -A "$1/.ragpack" 2>/dev/null | grep -v -x "$STEM.lock"; } | tr '\n' ' '
}
build_into() {   # build_into INPUT OUT [env...]
    in=$1; out=$2; shift 2
    env "$@" "$RAGPACK" build -i "$in" -p "2023/24 Q3" -o "$out" >"$out.log" 2>&1
}
if cmp -s "$W/refA/$STEM.pdf" "$W/refB/$STEM.pdf" ||
   cmp -s "$W/refA/$STEM/ratings.csv" "$W/refB/$STEM/ratings.csv"; then
    fail publish-setup "the two inputs give the same pack"
fi

# a rename of the publish fails (an immutable or occupied path): the
# last good pack stays whole, nothing is left behind
bad=
for n in 1 2 3 4 5 6; do
    rm -rf "$W/pf"; cp -r "$W/refA" "$W/pf"
    build_into "$W/pubB" "$W/pf" RAGPACK_TEST_PUBLISH_FAULT=fail:$n; rc=$?
    if [ "$rc" != 1 ] || ! grep -q 'the last good pack is unchanged' "$W/pf.log"; then
        bad="$bad step $n: exit $rc $(head -c 200 "$W/pf.log");"
    elif ! same_as "$W/pf" "$W/refA"; then
        bad="$bad step $n: pack mixed or changed;"
    elif [ -n "$(leftovers "$W/pf")" ]; then
        bad="$bad step $n: left $(leftovers "$W/pf");"
    fi
done
[ -z "$bad" ] && ok publish-failure-rolls-back || fail publish-failure-rolls-back "$bad"

# an occupied name (a file where the figures folder goes) is refused
# before anything moves
rm -rf "$W/occ"; mkdir -p "$W/occ"; echo x >"$W/occ/$STEM"
build_into "$W/pubB" "$W/occ"; rc=$?
if [ "$rc" = 1 ] && grep -q "$STEM: cannot replace: a file is in the way" "$W/occ.log" &&
   [ ! -e "$W/occ/$STEM.pdf" ]; then
    ok publish-occupied-path
else
    fail publish-occupied-path "exit $rc $(head -c 200 "$W/occ.log")"
fi

# SIGKILL at each rename: the next run finishes the killed publish (a next
# run whose own publish then fails shows what the replay left), and the
# run after that publishes its own pack; no temporaries survive
bad=
for n in 1 2 3 4 5 6; do
    rm -rf "$W/pk"; cp -r "$W/refA" "$W/pk"
    build_into "$W/pubB" "$W/pk" RAGPACK_TEST_PUBLISH_FAULT=kill:$n; rc=$?
    [ "$rc" = 137 ] || bad="$bad step $n: killed build exit $rc;"
    [ -e "$W/pk/.ragpack/$STEM.publish" ] || bad="$bad step $n: no journal;"
    build_into "$W/pubA" "$W/pk" RAGPACK_TEST_PUBLISH_FAULT=fail:1
    same_as "$W/pk" "$W/refB" || bad="$bad step $n: not finished by the next run;"
    [ -z "$(leftovers "$W/pk")" ] || bad="$bad step $n: left $(leftovers "$W/pk");"
    build_into "$W/pubA" "$W/pk"; rc=$?
    same_as "$W/pk" "$W/refA" || bad="$bad step $n: the next build not published (exit $rc; differs from A in:$(differs "$W/pk" "$W/refA"); $(head -c 300 "$W/pk.log"));"
done
[ -z "$bad" ] && ok publish-kill-at-each-rename || fail publish-kill-at-each-rename "$bad"

# temporaries of a killed build (made by hand, and by a real kill -9 mid
# build) are removed by the next build of the same pack; another pack's
# are left alone (its build may be running)
rm -rf "$W/tmps"; cp -r "$W/refA" "$W/tmps"
mkdir "$W/tmps/.$STEM.tmpAbC123" "$W/tmps/.$STEM.old" "$W/tmps/.other-2023-24-Q3.tmpAbC123"
touch "$W/tmps/$STEM.pdf.tmpXyZ789" "$W/tmps/$STEM.html.tmpXyZ789" \
      "$W/tmps/other-2023-24-Q3.pdf.tmpXyZ789" "$W/tmps/.ragpack/$STEM.state.tmpQwE456"
build_into "$W/pubB" "$W/tmps" &
pid=$!; sleep 0.3; kill -9 "$pid" 2>/dev/null; { wait "$pid"; } 2>/dev/null
build_into "$W/pubB" "$W/tmps"; rc=$?
left=$(leftovers "$W/tmps")
if [ "$rc" = 0 ] && same_as "$W/tmps" "$W/refB" &&
   [ "$left" = ".other-2023-24-Q3.tmpAbC123 other-2023-24-Q3.pdf.tmpXyZ789 " ]; then
    ok temporaries-removed-by-next-build
else
    fail temporaries-removed-by-next-build "exit $rc, left: $left"
fi

# two builds at once into one folder, 8 times, one of them sometimes
# failing after its PDF is written: the pack is always all of one input
bad=
rm -rf "$W/race"
for i in 1 2 3 4 5 6 7 8; do
    f=; [ $((i % 3)) = 0 ] && f=RAGPACK_TEST_PUBLISH_FAULT=fail:6
    build_into "$W/pubA" "$W/race" & a=$!
    build_into "$W/pubB" "$W/race" $f & b=$!
    wait "$a"; ra=$?; wait "$b"; rb=$?
    [ "$ra" = 0 ] || bad="$bad round $i: A exit $ra;"
    [ -n "$f" ] || [ "$rb" = 0 ] || bad="$bad round $i: B exit $rb;"
    if same_as "$W/race" "$W/refA"; then :
    elif [ -z "$f" ] && same_as "$W/race" "$W/refB"; then :
    else bad="$bad round $i: mixed pack;"; fi
    [ -z "$(leftovers "$W/race")" ] || bad="$bad round $i: left $(leftovers "$W/race");"
done
[ -z "$bad" ] && ok concurrent-builds-one-pack || fail concurrent-builds-one-pack "$bad"

# a batch run and a build of the same pack at once (the batch row without
# a period resolves to the same quarter): the build waits, the pack is whole
bad=
rm -rf "$W/brace"
printf 'name,template,input,out\nb,%s/%s,%s,brace\n' "$ROOTDIR" "$TPL" "$W/pubB" >"$W/brace.csv"
for i in 1 2 3 4; do
    "$RAGPACK" batch --force -j 1 "$W/brace.csv" >"$W/brace.blog" 2>&1 & b=$!
    build_into "$W/pubA" "$W/brace" & a=$!
    wait "$a"; ra=$?; wait "$b"; rb=$?
    [ "$ra" = 0 ] || bad="$bad round $i: build exit $ra $(head -c 200 "$W/brace.log");"
    # the batch may find the build's lock taken at its start (exit 3)
    [ "$rb" = 0 ] || [ "$rb" = 3 ] || bad="$bad round $i: batch exit $rb;"
    same_as "$W/brace" "$W/refA" || same_as "$W/brace" "$W/refB" ||
        bad="$bad round $i: mixed pack (build exit $ra, batch exit $rb; differs from A in:$(differs "$W/brace" "$W/refA"), from B in:$(differs "$W/brace" "$W/refB"); $(head -c 300 "$W/brace.blog"));"
done
[ -z "$bad" ] && ok batch-and-build-one-pack || fail batch-and-build-one-pack "$bad"
unset SOURCE_DATE_EPOCH

# a finance figure that cannot be computed exactly (beyond ±9.2 trillion)
# is an error naming the cell, not a silently missing figure
# fin_set DIR BUDGET FORECAST: Health and Care's 2023/24 Q3 row; prints its line
fin_set() {
    python3 - "$S/finance.csv" "$W/$1/finance.csv" "$2" "$3" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='')))
for i, r in enumerate(rows):
    if r[0] == 'Health and Care' and r[1] == '2023/24 Q3':
        r[2], r[3] = sys.argv[3], sys.argv[4]
        print(i + 1)
csv.writer(open(sys.argv[2], 'w', newline='')).writerows(rows)
PY
}
fresh fin1; n=$(fin_set fin1 0 9223372036854)
expect finance-total-overflow 20 "finance\.csv:$((n + 1)): forecast: the total forecast cannot be computed: 9223372036854 \+ [0-9]+ is beyond" \
    "$RAGPACK" build -i "$W/fin1" -o "$W/fin1.out"
fresh fin2; n=$(fin_set fin2 0.000001 900000000000)
expect finance-variance-pct-overflow 20 "finance\.csv:$n: budget: the variance as a % of the budget cannot be computed" \
    "$RAGPACK" build -i "$W/fin2" -o "$W/fin2.out"
fresh fin3; n=$(fin_set fin3 -9223372036854 9223372036854)
expect finance-variance-overflow 20 "finance\.csv:$n: forecast: the variance \(forecast − budget\) cannot be computed: 9223372036854 − -9223372036854" \
    "$RAGPACK" check -i "$W/fin3"

# a year whose quarters add up beyond ±9.2 trillion is an error naming the
# row that pushed it over, not a silent gap in the trend
fresh sumover
nf=$(head -1 "$S/measures.csv" | awk -F, '{ print NF }')
awk -v nf="$nf" 'BEGIN { printf "BIGSUM,Huge flow,Corporate,count,,higher,5%%,sum"
    for (k = 8; k < nf; k++) printf ","; printf "\n" }' >>"$W/sumover/measures.csv"
for q in 1 2 3; do echo "BIGSUM,2023/24 Q$q,5000000000000,,,," >>"$W/sumover/kpi.csv"; done
q2=$(grep -n '^BIGSUM,2023/24 Q2,' "$W/sumover/kpi.csv" | cut -d: -f1)
expect trend-sum-overflow 20 "kpi\.csv:$q2: value: BIGSUM: the total of 2023/24's quarters is beyond" \
    "$RAGPACK" check -i "$W/sumover"
