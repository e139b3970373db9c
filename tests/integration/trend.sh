#!/bin/sh
# Integration: `ragpack trend` with the real binary. Trend pack from
# input/sample (EHCP_TOTAL, POTHOLES_CAT3), --service-area, --by, errors,
# atomic output and reproducibility; then a real pack from DfE open data
# for Staffordshire (skipped when ../shared is absent). One line per check:
#   ok NAME | FAIL NAME: why | skip NAME: why
# Expected figures come from the trends.csv the run wrote, or from the DfE
# source rows (awk), never typed in.
. tests/integration/lib.sh "$@"
# absolute, as one check runs from another folder
case $RAGPACK in /*) ;; */*) RAGPACK=$PWD/$RAGPACK ;; esac
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export SOURCE_DATE_EPOCH=1707868800

# text of a PDF on one line, spaces squeezed (tables wrap cells)
flat() { pdftotext -layout "$1" - 2>/dev/null | tr '\n' ' ' | tr -s ' '; }
has()  { grep -qF -- "$2" "$1"; }

# ---- sample: two measures ------------------------------------------------
PDF=$T/t/ehcp.pdf
STEM=$T/t/ehcp
if "$RAGPACK" trend -i input/sample -m EHCP_TOTAL -m POTHOLES_CAT3 -o "$PDF" \
        >"$T/out" 2>"$T/err"; then
    ok trend-build
else
    fail trend-build "$(cat "$T/err")"
    exit 1
fi
flat "$PDF" >"$T/flat.txt"
for title in "Education, Health and Care Plans in place" "Category 3 potholes repaired"; do
    has "$T/flat.txt" "$title" && ok "title: $title" || fail "title: $title" "not in the text"
done
[ -s "$STEM/trends.csv" ] && ok trends-csv || fail trends-csv "missing $STEM/trends.csv"
ids=$(tail -n +2 "$STEM/trends.csv" | cut -d, -f1 | sort -u | tr '\n' ' ')
[ "$ids" = "EHCP_TOTAL POTHOLES_CAT3 " ] && ok trends-csv-measures || fail trends-csv-measures "$ids"
missing=""
for y in $(tail -n +2 "$STEM/trends.csv" | cut -d, -f2 | sort -u); do
    has "$T/flat.txt" "$y" || missing="$missing $y"
done
[ -z "$missing" ] && ok year-labels || fail year-labels "not in the text:$missing"
has "$T/flat.txt" "year to date" && ok year-to-date || fail year-to-date "\"year to date\" not in the text"
# year-on-year changes as the table prints them (both measures are
# counts): the absolute change, with thousands separators, then the
# relative one in brackets, "+472 (+7.8%)"
bad=""
n=0
for row in $(tail -n +2 "$STEM/trends.csv" | awk -F, '$5 != "" { print $5 ":" $6 }'); do
    want=$(awk -v v="${row%%:*}" -v a="${row##*:}" 'BEGIN {
        s = (a > 0) ? "+" : ((a < 0) ? "-" : ""); x = sprintf("%d", (a < 0) ? -a : a)
        while (x ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", x)
        p = (v > 0) ? "+" : ""
        printf "%s%s (%s%.1f%%)", s, x, p, v }')
    n=$((n + 1))
    [ -n "$want" ] && has "$T/flat.txt" "$want" || bad="$bad ${want:-($row)}"
done
[ "$n" -ge 4 ] && [ -z "$bad" ] && ok yoy-figures || fail yoy-figures "$n figures; not in the text:$bad"
# trends.csv means the same in both packs: the main pack's rows for these
# measures (same input, same quarter, same years) are identical, the year
# to date's change included (against the whole year before, complete=no)
if "$RAGPACK" build -i input/sample -o "$T/main" >/dev/null 2>"$T/err"; then
    MAIN=$(ls -d "$T"/main/*/ | head -n1)
    grep -E '^(EHCP_TOTAL|POTHOLES_CAT3),' "$MAIN/trends.csv" >"$T/main.rows"
    tail -n +2 "$STEM/trends.csv" >"$T/trend.rows"
    [ -s "$T/main.rows" ] && cmp -s "$T/main.rows" "$T/trend.rows" && ok trends-csv-same-as-main-pack \
        || fail trends-csv-same-as-main-pack "$(diff "$T/main.rows" "$T/trend.rows" | head -n 6)"
else
    fail trends-csv-same-as-main-pack "main pack failed: $(head -c 300 "$T/err")"
fi
# a year to date shows both changes, each named: the one in trends.csv
# "compared with a full year" and the like-for-like one
ytd=$(awk -F, '$4 == "no" && $5 != "" { s = $5 > 0 ? "+" : ""; printf "(%s%.1f%%) compared with a full year; \n", s, $5 }' "$STEM/trends.csv")
py=$(awk -F, '$4 == "no" { print p; exit } { p = $2 }' "$STEM/trends.csv")
bad=""
while IFS= read -r want; do
    [ -n "$want" ] && { has "$T/flat.txt" "$want" || bad="$bad \"$want\""; }
done <<EOF_YTD
$ytd
EOF_YTD
[ -n "$ytd" ] && [ -z "$bad" ] && has "$T/flat.txt" "on the same quarters of $py" && ok ytd-both-changes \
    || fail ytd-both-changes "not in the text:$bad (or \"on the same quarters of $py\")"
if qpdf --check "$PDF" >"$T/qpdf" 2>&1; then ok qpdf-check; else fail qpdf-check "$(head -c 400 "$T/qpdf")"; fi
nimg=$(pdfimages -list "$PDF" 2>/dev/null | tail -n +3 | wc -l)
[ "$nimg" = 0 ] && ok no-raster-images || fail no-raster-images "$nimg images"
# PNG and SVG for every chart: the annual bars and quarterly line of each
bad=""
for id in ehcp-total potholes-cat3; do
    for kind in annual quarterly; do
        for ext in png svg; do
            [ -s "$STEM/charts/$id-$kind.$ext" ] || bad="$bad $id-$kind.$ext"
        done
    done
done
for f in "$STEM"/charts/*.png; do
    [ -s "${f%.png}.svg" ] || bad="$bad ${f##*/}(no svg)"
done
[ -z "$bad" ] && ok charts-png-svg || fail charts-png-svg "missing:$bad"

# ---- default name, reproducible --------------------------------------------
mkdir -p "$T/wd" && cp -r templates fonts "$T/wd/" 2>/dev/null
(cd "$T/wd" && "$RAGPACK" trend -i "$OLDPWD/input/sample" -m EHCP_TOTAL >"$T/out" 2>"$T/err")
per=$(tail -n1 "$STEM/trends.csv" | cut -d, -f2 | tr '/' '-')
dflt=$(ls "$T"/wd/output/trend-ehcp_total-*.pdf 2>/dev/null | head -n1)
case "$dflt" in
    */trend-ehcp_total-"$per"-Q[1-4].pdf) ok default-name ;;
    *) fail default-name "got \"$dflt\" $(cat "$T/err")" ;;
esac
"$RAGPACK" trend -i input/sample -m EHCP_TOTAL -m POTHOLES_CAT3 -o "$T/t/again.pdf" >/dev/null 2>&1
cmp -s "$PDF" "$T/t/again.pdf" && ok reproducible || fail reproducible "two runs differ"

# -o DIR with a relative --pdf FILE: FILE goes in DIR (neither is dropped);
# what the command prints names the three pieces it wrote
"$RAGPACK" trend -i input/sample -m EHCP_TOTAL -o "$T/both" --pdf named.pdf >"$T/out" 2>"$T/err"
if [ -s "$T/both/named.pdf" ] && [ -s "$T/both/named.html" ] && [ -d "$T/both/named/charts" ] &&
   grep -qx "$T/both/named.html (the HTML twin)" "$T/out" &&
   grep -qx "$T/both/named/ (trends.csv, charts/)" "$T/out"; then
    ok out-dir-and-pdf-name
else
    fail out-dir-and-pdf-name "$(ls -R "$T/both" 2>&1 | head -n 5) $(cat "$T/out" "$T/err")"
fi
"$RAGPACK" trend -i input/sample -m EHCP_TOTAL -o "$T/nocharts" --chart-files none >"$T/out" 2>&1
if grep -q '/ (trends.csv)$' "$T/out" && ! ls -d "$T"/nocharts/*/charts >/dev/null 2>&1; then
    ok no-chart-files-said
else
    fail no-chart-files-said "$(cat "$T/out")"
fi

# ---- --by ------------------------------------------------------------------
"$RAGPACK" trend -i input/sample -m POTHOLES_CAT3 --by quarter -o "$T/q/q.pdf" >/dev/null 2>"$T/err"
flat "$T/q/q.pdf" >"$T/q.txt"
q=$(grep '^POTHOLES_CAT3,' "$STEM/trends.csv" | tail -n1 | cut -d, -f2)
has "$T/q.txt" "By quarter" && has "$T/q.txt" "$q Q1" && ok by-quarter-table \
    || fail by-quarter-table "no quarterly table $(cat "$T/err")"
"$RAGPACK" trend -i input/sample -m POTHOLES_CAT3 --by year -o "$T/y/y.pdf" >/dev/null 2>"$T/err"
if [ -s "$T/y/y/charts/potholes-cat3-annual.svg" ] && [ ! -e "$T/y/y/charts/potholes-cat3-quarterly.svg" ]; then
    ok by-year-annual-only
else
    fail by-year-annual-only "$(ls "$T/y/y/charts" 2>&1) $(cat "$T/err")"
fi

# ---- --service-area ----------------------------------------------------------
AREA="Children and Families"
"$RAGPACK" trend -i input/sample --service-area "$AREA" -o "$T/s/s.pdf" >/dev/null 2>"$T/err"
want=$(grep -F ",$AREA," input/sample/measures.csv | cut -d, -f1 | sort | tr '\n' ' ')
got=$(tail -n +2 "$T/s/s/trends.csv" 2>/dev/null | cut -d, -f1 | sort -u | tr '\n' ' ')
[ -n "$want" ] && [ "$want" = "$got" ] && ok service-area-measures \
    || fail service-area-measures "want \"$want\" got \"$got\" $(cat "$T/err")"

# ---- errors --------------------------------------------------------------------
cp "$PDF" "$T/before.pdf"
"$RAGPACK" trend -i input/sample -m EHCP_TOTL -o "$PDF" >/dev/null 2>"$T/err"
rc=$?
[ "$rc" = 1 ] && grep -q 'unknown measure "EHCP_TOTL"; did you mean EHCP_TOTAL, EHCP_20WK?' "$T/err" \
    && ok unknown-id-suggests || fail unknown-id-suggests "exit $rc: $(cat "$T/err")"
cmp -s "$PDF" "$T/before.pdf" && ok failed-run-keeps-pdf || fail failed-run-keeps-pdf "PDF changed"
"$RAGPACK" trend -i input/sample >/dev/null 2>"$T/err"
rc=$?
[ "$rc" = 2 ] && ok no-measures-usage || fail no-measures-usage "exit $rc: $(head -c 300 "$T/err")"
"$RAGPACK" trend -i input/sample -m EHCP_TOTAL --by month >/dev/null 2>&1
rc=$?
[ "$rc" = 2 ] && ok bad-by-usage || fail bad-by-usage "exit $rc"

# ---- real data: Staffordshire from DfE open data ------------------------------
SH=${RAGPACK_SHARED:-../shared}
R=$SH/realdata/uk
if [ ! -d "$R" ]; then
    skip dfe-staffordshire "../shared is absent"
    exit 0
fi
D=$T/dfe
mkdir -p "$D"
imp() { "$RAGPACK" import-ees "$@" --la Staffordshire --service-area "$AREA" -o "$D" >>"$T/imp" 2>&1; }
imp "$R/dfe_ehcp_sen2_2025/caseload__subset_All_EHC_plans.csv" --column ehcplans \
    --measure EHCP_PLANS --title "Education, health and care plans in place" --unit count
imp "$R/dfe_ehcp_sen2_2025/timeliness_20_week__subset_All_EHC_plans_issued.csv" \
    --column pc_plans_issued_within_20_weeks --measure EHCP_20WK \
    --title "EHC plans issued within 20 weeks" --unit percent --polarity higher
imp "$R/dfe_childrens_social_care/cla_number_and_rate_per_10k_children.csv" \
    --column rate_per_10000 --measure CLA_RATE \
    --filter "population_type=Children looked after on 31 March each year" \
    --title "Children looked after per 10,000 children" --unit rate
# import-ees makes a complete input folder: finance.csv with its header only
if [ "$(cat "$D/finance.csv" 2>/dev/null)" = "service_area,period,budget,forecast,savings_target,savings_forecast" ]; then
    ok dfe-finance-header
else
    fail dfe-finance-header "import-ees left no header-only finance.csv"
fi
sed 's/^  authority: .*/  authority: Staffordshire County Council/' templates/trend.yaml >"$T/staffs.yaml"
if "$RAGPACK" trend -i "$D" -t "$T/staffs.yaml" --fonts fonts -m EHCP_PLANS -m EHCP_20WK \
        -m CLA_RATE -o "$T/dfe/pack.pdf" >"$T/out" 2>"$T/err"; then
    ok dfe-build
else
    fail dfe-build "$(cat "$T/imp" "$T/err")"
    exit 0
fi
flat "$T/dfe/pack.pdf" >"$T/dfe.txt"
# latest Staffordshire and England values of COL in a DfE CSV, found by
# header name; prints "period la england"
latest() {
    awk -F, -v col="$2" '
        NR == 1 { for (i = 1; i <= NF; i++) { h = $i; gsub(/^\357\273\277|"/, "", h); c[h] = i }; next }
        $c["geographic_level"] == "Local authority" && $c["la_name"] == "Staffordshire" && $c["time_period"] > p { p = $c["time_period"]; la = $c[col] }
        $c["geographic_level"] == "National" { en[$c["time_period"]] = $c[col] }
        END { print p, la, en[p] }' "$1"
}
# "8461" → "8,461"; with dec > 0 one fixed place
fmt() { awk -v v="$1" -v d="$2" -v s="$3" 'BEGIN {
    x = sprintf("%." d "f", v); i = index(x, "."); w = i ? substr(x, 1, i - 1) : x; f = i ? substr(x, i) : ""
    while (length(w) > 3) { f = "," substr(w, length(w) - 2) f; w = substr(w, 1, length(w) - 3) }
    print w f s }'; }
set -- $(latest "$R/dfe_ehcp_sen2_2025/caseload__subset_All_EHC_plans.csv" ehcplans)
ay="AY $(echo "$1" | cut -c1-4)/$(echo "$1" | cut -c5-6)"
la=$(fmt "$2" 0); en=$(fmt "$3" 0)
has "$T/dfe.txt" "$ay $la" && has "$T/dfe.txt" "$en" && ok "dfe-ehcp-latest ($ay $la, England $en)" \
    || fail dfe-ehcp-latest "\"$ay $la\" or \"$en\" not in the text"
set -- $(latest "$R/dfe_ehcp_sen2_2025/timeliness_20_week__subset_All_EHC_plans_issued.csv" pc_plans_issued_within_20_weeks)
la=$(fmt "$2" 1 %); en=$(fmt "$3" 1 %)
has "$T/dfe.txt" "$1 $la" && has "$T/dfe.txt" "$en" && ok "dfe-20wk-latest ($1 $la, England $en)" \
    || fail dfe-20wk-latest "\"$1 $la\" or \"$en\" not in the text"
# the trend table benchmarks like the committee pack: the region by name
# and the latest year's rank, as import-ees wrote them to kpi.csv (the
# quartile by the contract's rule: the first quarter of positions, rounded
# up, is the 1st); read from the HTML twin, where a cell is never wrapped
set -- $(awk -F, '$1 == "EHCP_20WK" && $10 != "" { p = $2; r = $9; n = $10; g = $8 } END { print p, r, n, g }' "$D/kpi.csv")
q=$(( ($2 - 1) * 4 / $3 + 1 ))
ord() { case $(( $1 % 100 )) in 11|12|13) echo "$1th";; *) case $(( $1 % 10 )) in 1) echo "$1st";; 2) echo "$1nd";; 3) echo "$1rd";; *) echo "$1th";; esac;; esac; }
rank="$(ord "$q") quartile, $(ord "$2") of $3"
region=$(awk -F, '$1 == "EHCP_20WK" { g = $8 } END { print g }' "$D/kpi.csv")
if has "$T/dfe/pack.html" ">$rank</td>" && has "$T/dfe/pack.html" ">$region</th>"; then
    ok "dfe-rank-and-region ($1: $rank; $region)"
else
    fail dfe-rank-and-region "\"$rank\" or a \"$region\" heading not in the HTML twin"
fi
if qpdf --check "$T/dfe/pack.pdf" >/dev/null 2>&1; then ok dfe-qpdf-check; else fail dfe-qpdf-check "qpdf --check failed"; fi
# academic and calendar years keep their own labels in trends.csv
grep -q '^EHCP_PLANS,AY [0-9]\{4\}/[0-9]\{2\},' "$T/dfe/pack/trends.csv" && \
    grep -q '^EHCP_20WK,[0-9]\{4\},' "$T/dfe/pack/trends.csv" && ok dfe-year-labels \
    || fail dfe-year-labels "$(cat "$T/dfe/pack/trends.csv")"
