#!/bin/sh
# benchmark.sh — import-ees benchmarking on the real DfE files: the rank
# and quartile among all local authorities, the statistical neighbours'
# average and the region's name reach the pack's table and the trend
# chart; several --column in one call; -o makes its folder; a missing
# filter is reported by its filter column, with no false warnings.
# Expected figures are worked out here from the source CSV with awk,
# independently of the program.
#   sh tests/integration/benchmark.sh BUILD_DIR
. tests/integration/lib.sh "$@"
it_setup benchmark

SH=${RAGPACK_SHARED:-../shared}
R=$SH/realdata/uk/dfe_childrens_social_care
if [ ! -d "$R" ]; then
    skip benchmark "../shared is absent"
    exit 0
fi
CLA=$R/cla_number_and_rate_per_10k_children.csv
POP="Children looked after on 31 March each year"

# ---- a missing filter: named with its values, nothing else ---------------
"$RAGPACK" import-ees "$CLA" --la Staffordshire -c rate_per_10000 -o "$W/nf" \
    >/dev/null 2>"$W/err"; rc=$?
if [ "$rc" = 1 ] && [ "$(wc -l <"$W/err")" = 1 ] &&
   grep -q "population_type (.*\"$POP\"" "$W/err" &&
   ! grep -q "children_count\|population_estimate\|no National row" "$W/err"; then
    ok missing-filter-names-filters
else
    fail missing-filter-names-filters "rc=$rc: $(cat "$W/err")"
fi

# ---- Staffordshire's neighbours, from DfE's statistical-neighbour model ----
awk -F, '$1 == "860" { for (i = 5; i <= 23; i += 2) print $i }' \
    "$R/sn_model_2025_wide.csv" >"$W/nb.txt"
[ "$(wc -l <"$W/nb.txt")" = 10 ] || { fail neighbours-list "$(cat "$W/nb.txt")"; exit 1; }

# into a copy of the sample (a quarterly pack for 2023/24 Q3), with two
# columns in one call and a folder that does not exist yet
D=$W/in/new/folder
mkdir -p "$W/in"
cp -r input/sample "$W/in/sample"
if "$RAGPACK" import-ees "$CLA" --la Staffordshire --filter "population_type=$POP" \
        -c rate_per_10000 -m CLA_DFE --title "Children looked after per 10,000 (DfE)" -u rate \
        -c children_count -m CLA_DFE_N --title "Children looked after (DfE)" -u count \
        --polarity lower --neighbours "$W/nb.txt" -a "Children and Families" \
        -o "$D" >"$W/out" 2>"$W/err" && [ -f "$D/kpi.csv" ] &&
   [ "$(grep -c '^import-ees: ' "$W/out")" = 2 ] &&
   [ "$(grep -c '^CLA_DFE,' "$D/kpi.csv")" -ge 5 ] &&
   [ "$(grep -c '^CLA_DFE_N,' "$D/kpi.csv")" -ge 5 ]; then
    ok several-columns-new-folder
else
    fail several-columns-new-folder "$(cat "$W/err" "$W/out")"
fi
grep -q "no National row\|no Regional row" "$W/err" \
    && fail no-false-warnings "$(cat "$W/err")" || ok no-false-warnings

# the year the Q3 2023/24 pack shows: a yearly figure is used when it was
# measured by the end of the pack's period (contract), and reporting year
# 2024 (children looked after on 31 March 2024) ends after December 2023,
# so reporting year 2023 (2022/23)
"$RAGPACK" import-ees "$CLA" --la Staffordshire --filter "population_type=$POP" \
    -c rate_per_10000 -m CLA_DFE --title "Children looked after per 10,000 (DfE)" \
    -u rate --polarity lower --neighbours "$W/nb.txt" -a "Children and Families" \
    -o "$W/in/sample" >/dev/null 2>"$W/err" || fail import-sample "$(cat "$W/err")"

# expected: rank (lower is better, ties shared, suppressed left out),
# quartile, and the neighbours' mean, from the CSV (quoted names with
# commas split by hand: mawk has no FPAT)
set -- $(awk -v pop="$POP" -v year=2023 -v nbf="$W/nb.txt" '
    function split_csv(line, f,    n, i, c, q, cur) {
        n = 0; cur = ""; q = 0
        for (i = 1; i <= length(line); i++) {
            c = substr(line, i, 1)
            if (c == "\"") q = !q
            else if (c == "," && !q) { f[++n] = cur; cur = "" }
            else cur = cur c
        }
        f[++n] = cur; return n
    }
    function num(s) { return s ~ /^-?[0-9]+(\.[0-9]+)?$/ }
    BEGIN { while ((getline l < nbf) > 0) nb[l] = 1 }
    { sub(/\r$/, "") }
    NR == 1 { sub(/^\357\273\277/, ""); n = split_csv($0, h); for (i = 1; i <= n; i++) c[h[i]] = i; next }
    { split_csv($0, f) }
    f[c["geographic_level"]] != "Local authority" || f[c["time_period"]] != year ||
        f[c["population_type"]] != pop { next }
    { v = f[c["rate_per_10000"]] }
    f[c["la_name"]] == "Staffordshire" { me = v }
    num(v) { vals[++k] = v + 0; if (f[c["old_la_code"]] in nb) { s += v; m++ } }
    END {
        r = 1; for (i = 1; i <= k; i++) if (vals[i] < me + 0) r++
        q = int((r - 1) * 4 / k) + 1
        printf "%d %d %d %.1f\n", r, k, q, s / m
    }' "$CLA")
rank=$1 ranked=$2 quart=$3 nbmean=$4
ord() { case $1 in *1[123]) echo "${1}th" ;; *1) echo "${1}st" ;; *2) echo "${1}nd" ;; *3) echo "${1}rd" ;; *) echo "${1}th" ;; esac; }
want="$(ord "$quart") quartile, $(ord "$rank") of $ranked"

if "$RAGPACK" build -i "$W/in/sample" -f fonts -o "$W/pack" >"$W/out" 2>"$W/err"; then
    pdf=$(ls "$W"/pack/*.pdf)
    pdftotext "$pdf" - 2>/dev/null | tr '\n' ' ' | tr -s ' ' >"$W/text"
    grep -qF -- "$want" "$W/text" && ok "pack-rank-quartile ($want)" \
        || fail pack-rank-quartile "\"$want\" not in the text"
    # the row: ... national regional neighbours rank
    grep -qF -- " $nbmean $want" "$W/text" && ok "pack-neighbours ($nbmean)" \
        || fail pack-neighbours "\"$nbmean\" before \"$want\" not in the text"
    # headings from the HTML twin (the PDF's narrow columns wrap them)
    html=${pdf%.pdf}.html
    grep -q '<th[^>]*>Neighbours</th>' "$html" && grep -q '<th[^>]*>West Midlands</th>' "$html" \
        && ok pack-region-named || fail pack-region-named "no Neighbours / West Midlands heading in $html"
else
    fail pack-build "$(cat "$W/err")"
fi

# the trend chart draws the neighbour line and names the region
if "$RAGPACK" trend -i "$W/in/sample" -m CLA_DFE -f fonts -o "$W/trend" >"$W/out" 2>"$W/err"; then
    svg=$(ls "$W"/trend/*/charts/cla-dfe-comparators.svg 2>/dev/null)
    if [ -n "$svg" ] && grep -q ">Neighbours<" "$svg" && grep -q ">West Midlands<" "$svg" &&
       ! grep -q ">Region<" "$svg"; then
        ok trend-chart-neighbours-region
    else
        fail trend-chart-neighbours-region "no Neighbours / West Midlands legend in ${svg:-no chart}"
    fi
else
    fail trend-build "$(cat "$W/err")"
fi
exit $((fails > 0))
