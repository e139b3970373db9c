#!/bin/sh
# robust.sh — bad input never crashes, leaks or leaves partial files.
# A corpus of broken inputs is made on the fly from input/sample; for each,
# `ragpack check` and `ragpack build` must exit 0 or 1 (never a signal or a
# sanitizer abort), print no sanitizer report, name the file and line of the
# fault where a line applies, and leave no temporary files (and, on failure,
# nothing at all) in the output folder. Under `make sanitize` $RAGPACK is the
# ASan/UBSan binary, so the same corpus runs under the sanitizers.
#   sh tests/integration/robust.sh BUILD_DIR     ($RAGPACK overrides BUILD_DIR/ragpack)
# Prints "ok NAME", "FAIL NAME: why" or "skip NAME: why" per check.
. tests/integration/lib.sh "$@"
if [ ! -x "$RAGPACK" ]; then
    echo "skip it_robust: $RAGPACK is not built"
    exit 0
fi
W=$(mktemp -d /tmp/it_robust.XXXXXX)
trap '[ -n "$KEEP" ] || rm -rf "$W"' EXIT
export SOURCE_DATE_EPOCH=1707868800
TPL=templates/integrated-performance.yaml
S=input/sample


# A fresh copy of the sample to break.
mk() { rm -rf "$W/$1"; cp -r "$S" "$W/$1"; }
# Line number (1-based, physical) of the first line of FILE matching ERE.
lineof() { grep -n -E -m1 -- "$2" "$1" | cut -d: -f1; }

# run NAME EXPECT [TEMPLATE]
#   EXPECT: an ERE the diagnostics of check must contain (e.g. the file and
#   line of the fault), or "" when any clean outcome will do.
# Sets $brc (build exit), $PDF (built PDF or empty) for extra checks.
run() {
    name=$1; expect=$2; tpl=${3:-$TPL}
    in=$W/$name; out=$W/$name.out
    "$RAGPACK" check -i "$in" -t "$tpl" >"$W/$name.cout" 2>"$W/$name.cerr"; crc=$?
    "$RAGPACK" build -i "$in" -t "$tpl" -o "$out" >"$W/$name.bout" 2>"$W/$name.berr"; brc=$?
    bad=""
    case $crc in 0|1) ;; *) bad="$bad check exited $crc;" ;; esac
    case $brc in 0|1) ;; *) bad="$bad build exited $brc;" ;; esac
    if grep -q -E 'Sanitizer|runtime error:|LeakSanitizer|Assertion|Segmentation' \
            "$W/$name.cerr" "$W/$name.berr"; then
        bad="$bad sanitizer: $(grep -h -m2 -E 'Sanitizer|runtime error:|Assertion' "$W/$name.cerr" "$W/$name.berr" | head -c 300);"
    fi
    # Every diagnostic is "file[:line]: ..." or a closing "ragpack: ..." line.
    odd=$(cat "$W/$name.cerr" "$W/$name.berr" | grep -v -E '^ragpack: |^[^ :][^:]*(:[0-9]+)?: ' | head -n2)
    [ -z "$odd" ] || bad="$bad unformatted message: $odd;"
    if [ -n "$expect" ] && ! grep -q -E -- "$expect" "$W/$name.cerr"; then
        bad="$bad no message matching /$expect/ (got: $(head -c 300 "$W/$name.cerr"));"
    fi
    left=$(find "$out" \( -name '*.tmp*' -o -name '.*tmp*' \) 2>/dev/null | head -n3)
    [ -z "$left" ] || bad="$bad temp files left: $left;"
    PDF=""
    if [ "$brc" = 0 ]; then
        PDF=$(ls "$out"/*.pdf 2>/dev/null | head -n1)
        if [ -z "$PDF" ] || [ ! -s "$PDF" ]; then bad="$bad build succeeded but wrote no PDF;"
        elif ! qpdf --check "$PDF" >/dev/null 2>&1; then bad="$bad qpdf --check fails;"; fi
    elif [ -n "$(ls -A "$out" 2>/dev/null)" ]; then
        bad="$bad failed build left: $(ls -A "$out" | head -n3 | tr '\n' ' ');"
    fi
    if [ -z "$bad" ]; then ok "robust-$name"; else fail "robust-$name" "$bad"; fi
}
pages() { pdfinfo "$1" 2>/dev/null | sed -n 's/^Pages: *//p'; }

# ---- the sample itself, for comparison --------------------------------------
mk sample
run sample ""
base_pages=$(pages "$W/sample.out"/*.pdf)
base_stem=$(ls -d "$W/sample.out"/*/ 2>/dev/null | head -n1)
# the sample's one red measure without commentary is a warning, not an error
grep -q 'commentary\.csv: scope: warning: measure "COMPLAINTS_ONTIME" is rated red for 2023/24 Q3 but has no commentary' "$W/sample.cerr" \
    && [ "$(grep -c 'rated red' "$W/sample.cerr")" = 1 ] \
    && ok check-red-without-commentary \
    || fail check-red-without-commentary "$(head -c 300 "$W/sample.cerr")"

# ---- commentary that would be lost ------------------------------------------
mk comment-typo
printf 'EHCP_20WKS,2023/24 Q3,A slip of the keyboard.\n' >>"$W/comment-typo/commentary.csv"
run comment-typo "commentary\\.csv:[0-9]+: scope: \"EHCP_20WKS\" is not a measure id, a service area or \"overall\" \\(did you mean EHCP_20WK[,?]"
mk comment-dup
printf 'CIC_RATE,2023/24 Q3,Said twice.\n' >>"$W/comment-dup/commentary.csv"
run comment-dup "commentary\\.csv:[0-9]+: scope: duplicate commentary for scope \"CIC_RATE\", period \"2023/24 Q3\" \\(first on line [0-9]+\\)"

# ---- files that are missing, empty or cut short ----------------------------
for f in kpi measures finance; do
    mk "missing-$f"; rm "$W/missing-$f/$f.csv"
    run "missing-$f" "$f\\.csv: "
    mk "empty-$f"; : >"$W/empty-$f/$f.csv"
    run "empty-$f" "$f\\.csv"
    mk "bom-only-$f"; printf '\357\273\277' >"$W/bom-only-$f/$f.csv"
    run "bom-only-$f" "$f\\.csv"
done
mk header-only; head -n1 "$S/kpi.csv" >"$W/header-only/kpi.csv"
run header-only ""
mk empty-commentary; : >"$W/empty-commentary/commentary.csv"
run empty-commentary ""
mk truncated
n=$(wc -c <"$S/kpi.csv"); head -c $((n / 2)) "$S/kpi.csv" >"$W/truncated/kpi.csv"
run truncated ""
mk truncated-measures
n=$(wc -c <"$S/measures.csv"); head -c $((n / 2 + 7)) "$S/measures.csv" >"$W/truncated-measures/measures.csv"
run truncated-measures ""

# ---- malformed CSV -----------------------------------------------------------
mk unterminated-quote
n=$(($(wc -l <"$S/kpi.csv") + 1))
printf 'EHCP_TOTAL,"2023/24 Q3,5\nEHCP_TOTAL,2023/24 Q2,6\n' >>"$W/unterminated-quote/kpi.csv"
run unterminated-quote "kpi\\.csv:$n: "
mk ragged
awk 'NR == 3 { print $0 ",1,2,3"; next } NR == 5 { print "EHCP_TOTAL"; next } { print }' \
    "$S/kpi.csv" >"$W/ragged/kpi.csv"
run ragged "kpi\\.csv:(3|5): "
mk bad-utf8
awk 'NR == 2 { sub(/,/, ",Bad \377\376 title ", $0) } { print }' "$S/measures.csv" \
    >"$W/bad-utf8/measures.csv"
run bad-utf8 "measures\\.csv:2: "
mk crlf
for f in "$W"/crlf/*.csv; do sed 's/$/\r/' "$f" >"$f.x" && mv "$f.x" "$f"; done
run crlf ""
if [ "$brc" = 0 ] && [ -n "$base_stem" ]; then
    cmp -s "$base_stem/ratings.csv" "$(ls -d "$W/crlf.out"/*/ | head -n1)/ratings.csv" \
        && ok crlf-same-ratings || fail crlf-same-ratings "ratings.csv differs from the LF build"
else
    fail crlf-same-ratings "CRLF input did not build"
fi

# csvset CASE FILE KEYCOL KEYRE COL VALUE: in rows (after the header) whose
# field KEYCOL matches KEYRE, set field COL to VALUE; quote-aware, so money
# written "£240,400,000" stays one field.
csvset() {
    awk -v kc="$3" -v kre="$4" -v c="$5" -v v="$6" '
    function csv(line, f,    n, i, ch, q, cur) {
        n = 0; cur = ""; q = 0
        for (i = 1; i <= length(line); i++) {
            ch = substr(line, i, 1)
            if (q) {
                if (ch == "\"") { if (substr(line, i + 1, 1) == "\"") { cur = cur "\""; i++ } else q = 0 }
                else cur = cur ch
            } else if (ch == "\"") q = 1
            else if (ch == ",") { f[++n] = cur; cur = "" }
            else cur = cur ch
        }
        f[++n] = cur
        return n
    }
    function quote(x) { if (x ~ /[",]/) { gsub(/"/, "\"\"", x); return "\"" x "\"" } return x }
    NR == 1 { print; next }
    { n = csv($0, f); if (f[kc] ~ kre) f[c] = v
      out = quote(f[1]); for (i = 2; i <= n; i++) out = out "," quote(f[i]); print out }
    ' "$S/$2" >"$W/$1/$2"
}
# ---- bad values ---------------------------------------------------------------
# A row is replaced on a known line so the message can be checked for it.
setrow() {   # setrow CASE FILE LINE TEXT
    awk -v n="$3" -v t="$4" 'NR == n { print t; next } { print }' "$S/$2" >"$W/$1/$2"
}
mk huge-value;   setrow huge-value kpi.csv 2 'DELAYED_DISCHARGE,2021/22 Q1,1000000000000000000000000000000,45.0,,,'
run huge-value "kpi\\.csv:2: "
mk huge-budget;  setrow huge-budget finance.csv 2 'Health and Care,2021/22 Q1,999999999999999999999999,216800000,3900000,3900000'
run huge-budget "finance\\.csv:2: "
mk huge-exp;     setrow huge-exp kpi.csv 2 'DELAYED_DISCHARGE,2021/22 Q1,1e30,45.0,,,'
run huge-exp "kpi\\.csv:2: "
# values that fit but whose sums and products overflow if done carelessly
mk big-sum
csvset big-sum kpi.csv 1 '^POTHOLES_CAT3$' 3 9000000000000
run big-sum ""
mk seven-decimals; setrow seven-decimals kpi.csv 2 'DELAYED_DISCHARGE,2021/22 Q1,50.1234567,45.0,,,'
run seven-decimals ""
mk negative-budget
l=$(lineof "$S/finance.csv" '^Corporate,2023/24 Q3'); setrow negative-budget finance.csv "$l" 'Corporate,2023/24 Q3,-79700000,78807300,1500000,1450000'
run negative-budget ""
mk zero-budget
csvset zero-budget finance.csv 1 '^Corporate$' 3 0
run zero-budget ""
if [ "$brc" = 0 ]; then
    zs=$(ls -d "$W/zero-budget.out"/*/ | head -n1)
    grep -q -i -E '(^|,)-?(inf|nan)(,|$)' "$zs/finance.csv" \
        && fail zero-budget-no-divide "variance % is inf/nan: $(grep -i -E '(^|,)-?(inf|nan)(,|$)' "$zs/finance.csv" | head -n1)" \
        || ok zero-budget-no-divide
fi
mk all-zero-budget
csvset all-zero-budget finance.csv 1 '.' 3 0
run all-zero-budget ""
mk duplicate-row
awk 'NR == 2 { print; print; next } { print }' "$S/kpi.csv" >"$W/duplicate-row/kpi.csv"
run duplicate-row "kpi\\.csv:3: "
mk duplicate-measure
awk 'NR == 2 { print; print; next } { print }' "$S/measures.csv" >"$W/duplicate-measure/measures.csv"
run duplicate-measure "measures\\.csv:3: "
mk unknown-measure; setrow unknown-measure kpi.csv 4 'NO_SUCH_MEASURE,2021/22 Q3,47.8,45.0,,,'
run unknown-measure "kpi\\.csv:4: "
mk period-q5; setrow period-q5 kpi.csv 3 'DELAYED_DISCHARGE,2021/22 Q5,47.8,45.0,,,'
run period-q5 "kpi\\.csv:3: "
mk finance-q5; setrow finance-q5 finance.csv 2 'Health and Care,2021/22 Q5,215600000,216800000,3900000,3900000'
run finance-q5 "finance\\.csv:2: "
mk bad-polarity
awk -F, 'BEGIN { OFS = FS } NR == 2 { sub(/,lower,/, ",sideways,") } { print }' "$S/measures.csv" >"$W/bad-polarity/measures.csv"
run bad-polarity "measures\\.csv:2: "
mk no-rows
printf 'EMPTY_MEASURE,A measure with no rows at all,Corporate,count,,higher,,sum,,,\n' >>"$W/no-rows/measures.csv"
run no-rows ""
[ "$brc" = 0 ] && ok no-rows-builds || fail no-rows-builds "a measure with no rows stopped the build: $(head -c 300 "$W/no-rows.berr")"
mk trend-no-rows
# a trend measure of the template with every row gone
grep -v '^EHCP_TOTAL,' "$S/kpi.csv" >"$W/trend-no-rows/kpi.csv"
run trend-no-rows ""
mk all-missing
csvset all-missing kpi.csv 1 '.' 3 '[x]'
run all-missing ""

# ---- size ------------------------------------------------------------------
# 50,000 kpi rows: 500 extra measures x 100 quarters (1998/99 Q4 .. 2023/24 Q3).
mk big
awk 'BEGIN { for (m = 1; m <= 500; m++)
             printf "BIG_%03d,Generated measure %d,Corporate,number,,%s,,mean,,,\n", m, m, m % 2 ? "higher" : "lower" }' \
    >>"$W/big/measures.csv"
awk 'BEGIN { for (m = 1; m <= 500; m++) for (i = 0; i < 100; i++) {
                 y = 1998 + int((i + 3) / 4); q = (i + 3) % 4 + 1
                 printf "BIG_%03d,%d/%02d Q%d,%d.%d,%d,,,\n", m, y, (y + 1) % 100, q, 50 + (m * 7 + i * 3) % 40, i % 10, 60 } }' \
    >>"$W/big/kpi.csv"
rows=$(($(wc -l <"$W/big/kpi.csv") - 1))
[ "$rows" -ge 50000 ] && ok big-rows-generated || fail big-rows-generated "$rows rows"
run big ""
[ "$brc" = 0 ] && ok big-builds || fail big-builds "$(head -c 300 "$W/big.berr")"

# 1,000 districts in one breakdown: the chart is taller than a cairo image
# surface may be at 300 dpi, and must still build.
mk many-parts
awk 'BEGIN { for (i = 1; i <= 1000; i++) printf "OBESITY_Y6,2023/24 Q3,%d.%d,20,,,District %04d\n", 10 + i % 30, i % 10, i }' \
    >>"$W/many-parts/kpi.csv"
run many-parts ""
[ "$brc" = 0 ] && ok many-parts-builds || fail many-parts-builds "$(head -c 300 "$W/many-parts.berr")"

# ---- text ------------------------------------------------------------------
mk long-commentary
awk 'BEGIN { printf "overall,2023/24 Q3,\""
             for (i = 1; i <= 200; i++) printf "%sParagraph %d of a very long commentary. The council continues to monitor the position closely and will report again next quarter.", (i > 1 ? "\n" : ""), i
             print "\"" }' >"$W/long-commentary/c.tmpl"
# keep the header and every other scope; replace the overall Q3 text
awk 'NR == 1 { print; next } /^overall,2023\/24 Q3,/ { skip = 1 } skip { if (/"$/) skip = 0; next } { print }' \
    "$S/commentary.csv" >"$W/long-commentary/commentary.csv"
cat "$W/long-commentary/c.tmpl" >>"$W/long-commentary/commentary.csv"; rm "$W/long-commentary/c.tmpl"
run long-commentary ""
if [ "$brc" = 0 ]; then
    p=$(pages "$PDF")
    pdftotext "$PDF" "$W/long.txt" 2>/dev/null
    [ -n "$base_pages" ] && [ "$p" -gt $((base_pages + 3)) ] && grep -q 'Paragraph 200 of' "$W/long.txt" \
        && ok long-commentary-paginates || fail long-commentary-paginates "$p pages (sample $base_pages), last paragraph in text: $(grep -c 'Paragraph 200 of' "$W/long.txt")"
fi
mk long-title
t=$(awk 'BEGIN { for (i = 0; i < 30; i++) printf "Longtitle%d ", i % 10 }')   # 300 characters
awk -F, -v t="$t" 'BEGIN { OFS = FS } $1 == "EHCP_20WK" { $2 = t } { print }' "$S/measures.csv" >"$W/long-title/measures.csv"
run long-title ""
[ "$brc" = 0 ] && ok long-title-builds || fail long-title-builds "$(head -c 300 "$W/long-title.berr")"
mk long-word
t=$(awk 'BEGIN { for (i = 0; i < 300; i++) printf "W" }')   # one 300-character word
awk -F, -v t="$t" 'BEGIN { OFS = FS } $1 == "EHCP_20WK" { $2 = t } { print }' "$S/measures.csv" >"$W/long-word/measures.csv"
run long-word ""
mk emoji
# U+1F600 and U+4E2D U+6587 inside a service area's commentary
e=$(printf '\360\237\230\200 \344\270\255\346\226\207')
sed "s/^\(Children and Families,2023\/24 Q3,\"Demand\)/\1 $e/" "$S/commentary.csv" >"$W/emoji/commentary.csv"
grep -q "$e" "$W/emoji/commentary.csv" || fail emoji-setup "sample commentary changed; no emoji inserted"
run emoji ""
[ "$brc" = 0 ] && ok emoji-builds || fail emoji-builds "$(head -c 300 "$W/emoji.berr")"
grep -q -i 'warning.*U+1F600\|U+1F600.*warning' "$W/emoji.berr" && grep -q 'U+4E2D' "$W/emoji.berr" \
    && ok emoji-warning-names-character || fail emoji-warning-names-character "$(head -c 300 "$W/emoji.berr")"

# ---- templates -----------------------------------------------------------------
mkdir -p "$W/tpl"
mk tpl-unknown-key
awk '{ print } /^document:/ { print "  no_such_key: 1" }' "$TPL" >"$W/tpl/unknown.yaml"
l=$(lineof "$W/tpl/unknown.yaml" 'no_such_key')
run tpl-unknown-key "unknown\\.yaml:$l: " "$W/tpl/unknown.yaml"
mk tpl-bad-colour
sed 's/^\(  red: \).*/\1"#XYZ12"/' "$TPL" >"$W/tpl/colour.yaml"
l=$(lineof "$W/tpl/colour.yaml" '^  red: ')
run tpl-bad-colour "colour\\.yaml:$l: " "$W/tpl/colour.yaml"
mk tpl-bad-kind
sed 's/- kind: finance/- kind: nonsense/' "$TPL" >"$W/tpl/kind.yaml"
l=$(lineof "$W/tpl/kind.yaml" 'kind: nonsense')
run tpl-bad-kind "kind\\.yaml:$l: " "$W/tpl/kind.yaml"
mk tpl-broken-yaml
printf 'document:\n  title: [unclosed\n' >"$W/tpl/broken.yaml"
run tpl-broken-yaml "broken\\.yaml:[0-9]+: " "$W/tpl/broken.yaml"
mk tpl-empty
: >"$W/tpl/empty.yaml"
run tpl-empty "" "$W/tpl/empty.yaml"
mk tpl-missing
run tpl-missing "nope\\.yaml" "$W/tpl/nope.yaml"
mk tpl-unknown-trend
sed 's/measures: \[EHCP_TOTAL,/measures: [NO_SUCH, EHCP_TOTAL,/' "$TPL" >"$W/tpl/trend.yaml"
run tpl-unknown-trend "trend\\.yaml" "$W/tpl/trend.yaml"

# ---- a failed build next to a good pack ---------------------------------------
# The out dir already holds a pack; a failing build must leave it as it was.
mk keep-good
cp -r "$W/sample.out" "$W/keep-good.out"
before=$(cd "$W/keep-good.out" && find . -type f | sort | xargs cksum)
setrow keep-good kpi.csv 2 'DELAYED_DISCHARGE,2021/22 Q1,12..5,45.0,,,'
"$RAGPACK" build -i "$W/keep-good" -t "$TPL" -o "$W/keep-good.out" -p "2023/24 Q3" >/dev/null 2>&1; rc=$?
after=$(cd "$W/keep-good.out" && find . -type f | sort | xargs cksum)
[ "$rc" = 1 ] && [ "$before" = "$after" ] && ok failed-build-keeps-pack \
    || fail failed-build-keeps-pack "exit $rc; out dir changed: $(ls -A "$W/keep-good.out")"
exit 0
