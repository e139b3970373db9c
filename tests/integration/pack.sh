#!/bin/sh
# Integration: build the sample pack with the real binary and check it with
# qpdf, poppler and the computed CSVs. One line per check:
#   ok NAME | FAIL NAME: why | skip NAME: why
# Expected figures are read from the computed CSVs the build writes, never
# typed in here.
. tests/integration/lib.sh "$@"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export SOURCE_DATE_EPOCH=1707868800   # 14 Feb 2024, the sample meeting

check() { name=$1; shift; if "$@" >"$T/out" 2>&1; then ok "$name"; else fail "$name" "$(head -c 600 "$T/out")"; fi; }

# ---- build ---------------------------------------------------------------
if ! "$RAGPACK" build -o "$T/a" >"$T/build.out" 2>"$T/build.err"; then
    fail build "$(cat "$T/build.err")"
    exit 1
fi
ok build
PDF=$(ls "$T"/a/*.pdf | head -n1)
STEM=${PDF%.pdf}
[ -f "$PDF" ] && ok "pdf-written" || fail pdf-written "no PDF in $T/a"
for f in ratings.csv finance.csv trends.csv; do
    [ -s "$STEM/$f" ] && ok "figures-$f" || fail "figures-$f" "missing $STEM/$f"
done

# ---- the file is sound ---------------------------------------------------
check qpdf-check qpdf --check "$PDF"
pdffonts "$PDF" >"$T/fonts" 2>/dev/null
nfonts=$(tail -n +3 "$T/fonts" | wc -l)
notemb=$(tail -n +3 "$T/fonts" | awk '{ for (i = 1; i <= NF; i++) if ($i == "yes" || $i == "no") { print $i; break } }' | grep -c '^no$')
if [ "$nfonts" -ge 2 ] && [ "$notemb" = 0 ]; then ok fonts-embedded; else fail fonts-embedded "$(cat "$T/fonts")"; fi
nimg=$(pdfimages -list "$PDF" 2>/dev/null | tail -n +3 | wc -l)
[ "$nimg" = 0 ] && ok no-raster-images || fail no-raster-images "$nimg images"

pdfinfo "$PDF" >"$T/info" 2>/dev/null
grep -q '^Title: *Integrated Performance Report' "$T/info" && ok info-title || fail info-title "$(cat "$T/info")"
grep -q '^Author: *[^ ]' "$T/info" && ok info-author || fail info-author "$(cat "$T/info")"
grep -q '^Subject: *[^ ]' "$T/info" && ok info-subject || fail info-subject "$(cat "$T/info")"
pages=$(sed -n 's/^Pages: *//p' "$T/info")

# ---- text: headline figures from the computed finance.csv ----------------
pdftotext -layout "$PDF" "$T/pack.txt" 2>/dev/null
# finance.csv: service_area,period,budget,forecast,variance,variance_pct,change,...
total=$(tail -n1 "$STEM/finance.csv")
case "$total" in Total,*) ok finance-total-row ;; *) fail finance-total-row "$total" ;; esac
var=$(echo "$total" | cut -d, -f5)
pct=$(echo "$total" | cut -d, -f6)
bud=$(echo "$total" | cut -d, -f3)
chg=$(echo "$total" | cut -d, -f7)
head_var=$(awk -v v="$var" 'BEGIN { v = v < 0 ? -v : v; printf "£%.1fm", v / 1e6 }')
head_pct=$(awk -v v="$pct" 'BEGIN { v = v < 0 ? -v : v; printf "(%.1f%%)", v }')
head_bud=$(awk -v v="$bud" 'BEGIN { printf "£%.1fm", v / 1e6 }')
word=$(awk -v v="$var" 'BEGIN { print (v > 0 ? "overspend" : "underspend") }')
tr '\n' ' ' <"$T/pack.txt" | tr -s ' ' >"$T/flat.txt"
grep -q "$word of $head_var $head_pct" "$T/flat.txt" \
    && ok headline-variance || fail headline-variance "\"$word of $head_var $head_pct\" not in the text"
grep -q "net budget of $head_bud" "$T/flat.txt" \
    && ok headline-budget || fail headline-budget "\"net budget of $head_bud\" not in the text"
if [ -n "$chg" ]; then
    head_chg=$(awk -v v="$chg" 'BEGIN { v = v < 0 ? -v : v; printf "£%.1fm", v / 1e6 }')
    grep -q "$head_chg since Quarter" "$T/flat.txt" \
        && ok headline-change || fail headline-change "\"$head_chg since Quarter\" not in the text"
fi
# every red whole-authority measure is named in the pack
reds=$(awk -F, 'NR > 1 && $2 == "" && $7 == "red" { print $1 }' "$STEM/ratings.csv" | head -n 3)
[ -n "$reds" ] && ok has-red-measures || fail has-red-measures "sample data has no red measure"
grep -q "Page 1 of $pages" "$T/flat.txt" || grep -q "Page 2 of $pages" "$T/flat.txt" \
    && ok page-x-of-y || fail page-x-of-y "no \"Page X of $pages\""
grep -q "Page $pages of $pages" "$T/flat.txt" && ok last-page-numbered || fail last-page-numbered "no \"Page $pages of $pages\""
for w in Green Amber Red; do
    grep -q "$w" "$T/flat.txt" && ok "rag-word-$w" || fail "rag-word-$w" "RAG word $w missing"
done

# ---- outline (bookmarks) -------------------------------------------------
if qpdf --qdf --object-streams=disable "$PDF" "$T/qdf.pdf" 2>/dev/null; then
    n=$(grep -a -c '/Title' "$T/qdf.pdf")
    grep -a -q '/Outlines' "$T/qdf.pdf" && [ "$n" -ge 5 ] \
        && ok outline || fail outline "outline missing or short ($n titles)"
else
    fail outline "qpdf --qdf failed"
fi

# ---- computed CSV headers --------------------------------------------------
[ "$(head -n1 "$STEM/ratings.csv")" = "measure,breakdown,service_area,period,value,target,rag,vs_previous_quarter,vs_last_year,national,regional" ] \
    && ok ratings-header || fail ratings-header "$(head -n1 "$STEM/ratings.csv")"
[ "$(head -n1 "$STEM/finance.csv")" = "service_area,period,budget,forecast,variance,variance_pct,change_since_previous,savings_target,savings_forecast" ] \
    && ok finance-header || fail finance-header "$(head -n1 "$STEM/finance.csv")"
[ "$(head -n1 "$STEM/trends.csv")" = "measure,year,value,complete,yoy_change_pct,yoy_change" ] \
    && ok trends-header || fail trends-header "$(head -n1 "$STEM/trends.csv")"

# ---- reproducible ----------------------------------------------------------
"$RAGPACK" build -o "$T/b" >/dev/null 2>&1
if cmp -s "$PDF" "$T/b/$(basename "$PDF")"; then ok reproducible; else fail reproducible "two builds differ"; fi

# ---- a failed build leaves the last good pack untouched -------------------
cp -r input/sample "$T/bad"
# corrupt one value on the third line of kpi.csv
awk -F, 'BEGIN { OFS = FS } NR == 3 { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9.]+$/) { $i = "12..5"; break } } { print }' \
    input/sample/kpi.csv >"$T/bad/kpi.csv"
per=$(sed -n 2p "$STEM/finance.csv" | cut -d, -f2)
sum_before=$(cksum <"$PDF")
if "$RAGPACK" build -i "$T/bad" -p "$per" -o "$T/a" >/dev/null 2>"$T/bad.err"; then
    fail failed-build-exit "build with a bad value succeeded"
else
    ok failed-build-exit
fi
grep -q 'kpi.csv:3: [a-z_]*: "12..5" is not a number' "$T/bad.err" \
    && ok error-names-file-line-column || fail error-names-file-line-column "$(cat "$T/bad.err")"
[ "$(cksum <"$PDF")" = "$sum_before" ] && ok last-good-pack-kept || fail last-good-pack-kept "PDF changed"
leftover=$(ls -A "$T/a" | grep -v -e '\.pdf$' -e '\.html$' -e '^\.ragpack$' -e "^$(basename "$STEM")\$")
[ -z "$leftover" ] && ok no-temp-files || fail no-temp-files "$leftover"

# ---- SIGTERM mid-build: a clean stop, the last good pack kept ------------
# A large breakdown makes the build take long enough to be interrupted.
cp -r input/sample "$T/big"
awk 'BEGIN { for (i = 1; i <= 2000; i++) printf "OBESITY_Y6,2023/24 Q3,%d.%d,22.0,,,District %04d\n", 15 + i % 10, i % 10, i }' \
    >>"$T/big/kpi.csv"
"$RAGPACK" build -i "$T/big" -o "$T/sig" >/dev/null 2>&1 || fail sig-first-build "big build failed"
sum_before=$(cksum <"$T/sig/$(basename "$PDF")")
"$RAGPACK" build -i "$T/big" -o "$T/sig" >/dev/null 2>"$T/sig.err" &
pid=$!
sleep 0.15
kill -TERM "$pid" 2>/dev/null
wait "$pid"; rc=$?
hidden=$(ls -A "$T/sig" | grep '^\.' | grep -v '^\.ragpack$' || true)
if [ "$rc" = 0 ]; then
    skip sigterm-clean-stop "the build finished before the signal"
elif [ "$rc" = 1 ] && grep -q interrupted "$T/sig.err" && [ -z "$hidden" ] &&
     [ "$(cksum <"$T/sig/$(basename "$PDF")")" = "$sum_before" ]; then
    ok sigterm-clean-stop
else
    fail sigterm-clean-stop "exit $rc, left: $hidden, $(cat "$T/sig.err")"
fi

# ---- check and usage --------------------------------------------------------
# every shipped template is valid against the sample data
for tpl in templates/*.yaml; do
    if "$RAGPACK" check -i input/sample -t "$tpl" >/dev/null 2>"$T/tpl.err"; then
        ok "template-$(basename "$tpl" .yaml)"
    else
        fail "template-$(basename "$tpl" .yaml)" "$(cat "$T/tpl.err")"
    fi
done
"$RAGPACK" check -i input/sample >/dev/null 2>&1 && ok check-sample || fail check-sample "check failed on the sample"
# two problems in two files: both reported
cp "$T/bad/kpi.csv" "$T/bad2.kpi"; cp -r "$T/bad" "$T/bad2"
awk -F, 'BEGIN { OFS = FS } NR == 2 { $2 = "2023/24 Q7" } { print }' input/sample/finance.csv >"$T/bad2/finance.csv"
"$RAGPACK" check -i "$T/bad2" >/dev/null 2>"$T/check.err"; rc=$?
[ "$rc" = 1 ] && ok check-exit-1 || fail check-exit-1 "exit $rc"
n=$(grep -c -e 'kpi.csv:3:' -e 'finance.csv:2:' "$T/check.err")
[ "$n" -ge 2 ] && ok check-reports-every-problem || fail check-reports-every-problem "$(cat "$T/check.err")"
"$RAGPACK" build --no-such-flag >/dev/null 2>&1; rc=$?
[ "$rc" = 2 ] && ok usage-exit-2 || fail usage-exit-2 "exit $rc"
"$RAGPACK" --version | grep -q '^ragpack [0-9]' && ok version || fail version "no version"
"$RAGPACK" --help | grep -q 'usage: ragpack' && ok help || fail help "no usage"
exit 0
