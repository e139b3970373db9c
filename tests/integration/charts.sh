#!/bin/sh
# charts.sh — integration test of the charts in the sample pack: every
# chart has a caption in the PDF text, trend captions carry the first and
# last annual values of the computed trends.csv, year labels are text, the
# PDF holds no raster images, every chart id has a non-empty 300 dpi PNG
# and an SVG, and two builds give identical chart bytes.
#   sh tests/integration/charts.sh BUILD_DIR     ($RAGPACK overrides BUILD_DIR/ragpack)
# Prints "ok NAME", "FAIL NAME: why" or "skip NAME: why" per check.
# Expected figures are derived here from the input and computed CSVs with
# exact decimal string arithmetic, never copied from the program's output.
. tests/integration/lib.sh "$@"
if [ ! -x "$RAGPACK" ]; then
    echo "skip it_charts: $RAGPACK is not built"
    exit 0
fi
T=$(mktemp -d /tmp/it_charts.XXXXXX)
trap 'rm -rf "$T"' EXIT
export SOURCE_DATE_EPOCH=1707868800
TPL=templates/integrated-performance.yaml
IN=input/sample


# Shared awk helpers: a quote-aware CSV splitter and exact decimal
# formatting (half away from zero, thousands separators) done on the
# decimal string scaled to millionths, so no binary rounding creeps in.
AWKLIB='
function csv(line, f,    n, i, c, q, cur) {
    n = 0; cur = ""; q = 0
    for (i = 1; i <= length(line); i++) {
        c = substr(line, i, 1)
        if (q) {
            if (c == "\"") {
                if (substr(line, i + 1, 1) == "\"") { cur = cur "\""; i++ }
                else q = 0
            } else cur = cur c
        } else if (c == "\"") q = 1
        else if (c == ",") { f[++n] = cur; cur = "" }
        else if (c != "\r") cur = cur c
    }
    f[++n] = cur
    return n
}
function grp(s,    out) {
    out = ""
    while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) }
    return s out
}
function fmt(v, d,    neg, ip, fp, n, q, r, rem, s, i) {
    neg = (substr(v, 1, 1) == "-"); if (neg) v = substr(v, 2)
    ip = v; fp = ""
    if (index(v, ".")) { ip = substr(v, 1, index(v, ".") - 1); fp = substr(v, index(v, ".") + 1) }
    while (length(fp) < 6) fp = fp "0"
    n = ip * 1000000 + substr(fp, 1, 6)
    q = 1; for (i = 0; i < 6 - d; i++) q *= 10
    rem = n % q; r = (n - rem) / q
    if (rem * 2 >= q) r++
    s = sprintf("%.0f", r)
    while (length(s) <= d) s = "0" s
    if (d > 0) s = grp(substr(s, 1, length(s) - d)) "." substr(s, length(s) - d + 1)
    else s = grp(s)
    if (neg && r != 0) s = "-" s
    return s
}
function shift(v, k,    neg, ip, fp) {
    neg = (substr(v, 1, 1) == "-"); if (neg) v = substr(v, 2)
    ip = v; fp = ""
    if (index(v, ".")) { ip = substr(v, 1, index(v, ".") - 1); fp = substr(v, index(v, ".") + 1) }
    while (length(ip) <= k) ip = "0" ip
    return (neg ? "-" : "") substr(ip, 1, length(ip) - k) "." substr(ip, length(ip) - k + 1) fp
}
# pounds as the pack shows them: rounded figure decides bn / m / k / whole
function gbp(v,    a, neg, s) {
    neg = (substr(v, 1, 1) == "-"); a = neg ? substr(v, 2) : v
    if (a + 0 >= 999950000) s = fmt(shift(a, 9), 1) "bn"
    else if (a + 0 >= 999500) s = fmt(shift(a, 6), 1) "m"
    else if (a + 0 >= 1000) s = fmt(shift(a, 3), 0) "k"
    else s = fmt(a, 0)
    return (neg ? "-" : "") "\302\243" s
}
function unitfmt(v, unit, dec,    d) {
    d = dec == "" ? ((unit == "count" || unit == "gbp") ? 0 : 1) : dec
    return fmt(v, d) (unit == "percent" ? "%" : "")
}
'

# ---- two builds ---------------------------------------------------------
if ! "$RAGPACK" build -t "$TPL" -i "$IN" -o "$T/a" >"$T/a.out" 2>"$T/a.err"; then
    fail build "$(head -c 600 "$T/a.err")"
    exit 0
fi
ok build
PDF=$(ls "$T"/a/*.pdf | head -n1)
STEM=${PDF%.pdf}
CH=$STEM/charts
if [ ! -d "$CH" ] || [ -z "$(ls "$CH"/*.svg 2>/dev/null)" ]; then
    fail charts-written "no SVG charts in $CH"
    exit 0
fi
ok charts-written
pdftotext "$PDF" "$T/pack.txt" 2>/dev/null
tr '\n' ' ' <"$T/pack.txt" | tr -s ' ' >"$T/flat.txt"

# measure id -> chart base, unit, decimals, title, annual rule, cumulative
# (tab separated)
awk "$AWKLIB"'
NR == 1 { sub(/^\357\273\277/, ""); n = csv($0, h); for (i = 1; i <= n; i++) col[h[i]] = i; next }
{ csv($0, f); id = f[col["id"]]; base = tolower(id); gsub(/_/, "-", base)
  a = f[col["annual"]]; if (a == "") a = "last"
  printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", id, base, f[col["unit"]], f[col["decimals"]], f[col["title"]], tolower(a),
         ("cumulative" in col) ? tolower(f[col["cumulative"]]) : "" }
' "$IN/measures.csv" >"$T/measures.tsv"

# ---- caption under every chart ------------------------------------------
has() { grep -F -q -- "$1" "$T/flat.txt"; }
hasre() { grep -E -q -- "$1" "$T/flat.txt"; }
# A title as an ERE literal.
re() { printf '%s' "$1" | sed 's/[][\.*^$+?(){}|/]/\\&/g'; }
for svg in "$CH"/*.svg; do
    id=$(basename "$svg" .svg)
    case $id in
    summary-ratings)
        # Whole-authority ratings at the pack quarter, counted from ratings.csv.
        exp=$(awk "$AWKLIB"'NR > 1 { csv($0, f); if (f[2] != "") next
                  if (f[7] == "green") g++; else if (f[7] == "amber") a++
                  else if (f[7] == "red") r++ }
              END { n = g + a + r; printf "Of %d rated measure%s, %d %s green, %d amber and %d red", n, n == 1 ? "" : "s", g, g == 1 ? "is" : "are", a, r }' "$STEM/ratings.csv")
        has "$exp" && ok "caption-$id" || fail "caption-$id" "\"$exp\" not in the text" ;;
    finance-variance)
        exp=$(awk "$AWKLIB"'/^Total,/ { csv($0, f); v = f[5]; neg = substr(v, 1, 1) == "-"; if (neg) v = substr(v, 2)
                  if (v + 0 == 0) print "The forecast is on budget in total"
                  else printf "The forecast is an %s of %s in total\n", neg ? "underspend" : "overspend", gbp(v) }' "$STEM/finance.csv")
        has "$exp" && ok "caption-$id" || fail "caption-$id" "\"$exp\" not in the text" ;;
    finance-savings)
        # savings_target is column 8, savings_forecast column 9; the chart
        # compares the areas that report both (contract: the pack names the
        # areas a total leaves out), summed here from the area rows
        exp=$(awk "$AWKLIB"'NR > 1 && !/^Total,/ { csv($0, f); if (f[8] == "" || f[9] == "") next
                  t += f[8]; s += f[9]; n++ }
              END { if (n) print "Savings of " gbp(s) " are forecast at " "\t" " against a target of " gbp(t) }' "$STEM/finance.csv")
        a=$(printf '%s' "$exp" | cut -f1); z=$(printf '%s' "$exp" | cut -f2)
        [ -n "$a" ] && has "$a" && has "$z" && ok "caption-$id" || fail "caption-$id" "\"$a … $z\" not in the text" ;;
    *-annual|*-quarterly|*-breakdown)
        base=${id%-*}; kind=${id##*-}
        title=$(awk -F'\t' -v b="$base" '$2 == b { print $5 }' "$T/measures.tsv")
        if [ -z "$title" ]; then fail "caption-$id" "no measure for chart id $id"; continue; fi
        t=$(re "$title")
        case $kind in
        # a complete last year: first against last; a year to date: its
        # figure "to date", never a rise or fall against a full year
        annual)    pat="$t( (rose from|fell from|was) .{1,40} in [0-9]{4}/[0-9]{2}|: .{1,40} in [0-9]{4}/[0-9]{2} to date)" ;;
        quarterly) pat="$t (rose from|fell from|was) .{1,60} in [0-9]{4}/[0-9]{2} Q[1-4]"
            # a cumulative (year-to-date) line: the latest quarter against
            # the same quarter a year earlier, never a rise across Aprils
            if [ "$(awk -F'\t' -v b="$base" '$2 == b { print $7 }' "$T/measures.tsv")" = yes ]; then
                pat="$t was .{1,20} at [0-9]{4}/[0-9]{2} (Q[1-4]) \(year to date\)(, (up|down) .{1,40} on .{1,20} at [0-9]{4}/[0-9]{2} \1|, the same as at [0-9]{4}/[0-9]{2} \1)?"
            fi ;;
        breakdown) pat="$t (ranged from|totalled|was) " ;;
        esac
        hasre "$pat" && ok "caption-$id" || fail "caption-$id" "no caption for \"$title\" ($kind)" ;;
    *)
        fail "caption-$id" "unknown chart id; teach charts.sh its caption" ;;
    esac
done

# ---- trend captions carry the annual values -------------------------------
# Complete last year: "T rose from A in Y1 to Z in Yn." from trends.csv.
# Year to date (complete=no): "T: Z in Yn to date (Q1–Qq), up P% on the
# same quarters of Yp; W in the whole of Yp." where Z and W come from
# trends.csv and the like-for-like change is worked here from kpi.csv: the
# same quarters of Yp combined by the measure's annual rule, then
# (Z − that) × 100 / |that| rounded half away from zero to 6 places and
# shown to 1 (points for a percentage measure), with bc for exact integers.
# the pack's quarter, from the output's name (…-2023-24-Q3)
pq=${STEM##*-Q}
# decimal string → integer millionths (exact; commas, %, £ dropped)
MICRO='function mic(v,    neg, ip, fp) {
    gsub(/[,%]|\302\243| /, "", v); if (v == "") return ""
    neg = (substr(v, 1, 1) == "-"); if (neg) v = substr(v, 2)
    ip = v; fp = ""
    if (index(v, ".")) { ip = substr(v, 1, index(v, ".") - 1); fp = substr(v, index(v, ".") + 1) }
    fp = substr(fp "000000", 1, 6); sub(/^0+/, "", ip)
    v = ip fp; sub(/^0+/, "", v); if (v == "") v = "0"
    return (neg && v != "0" ? "-" : "") v
}'
# like-for-like change for measure $1 (rule $2, unit $3) with year-to-date
# value $4 against year $5's Q1..Q$6: prints ", up 2.1% on the same quarters
# of Yp" or nothing when a needed quarter is missing
lfl() {
    prev=$(awk -v m="$1" -v rule="$2" -v py="$5" -v q="$6" "$AWKLIB$MICRO"'
        NR == 1 { sub(/^\357\273\277/, ""); n = csv($0, h); for (i = 1; i <= n; i++) c[h[i]] = i; next }
        { csv($0, f); if (f[c["measure"]] != m || f[c["breakdown"]] != "") next
          for (k = 1; k <= q; k++) if (f[c["period"]] == py " Q" k) v[k] = mic(f[c["value"]]) }
        END {
          if (rule == "sum") { for (k = 1; k <= q; k++) { if (v[k] == "") exit; s = s (k > 1 ? "+" : "") v[k] } print s }
          else if (rule == "mean") { n = 0; for (k = 1; k <= q; k++) if (v[k] != "") { s = s (n ? "+" : "") v[k]; n++ }
                                     if (n) print "m(" s "," n ")" }
          else if (v[q] != "") print v[q] }' "$IN/kpi.csv")
    [ -n "$prev" ] || return 0
    z=$(awk "$MICRO"' BEGIN { print mic(ARGV[1]) }' "$4")
    # r(a, b): a / b rounded half away from zero (integers)
    BC='define r(a, b) { auto q, s; s = 1; if ((a < 0) != (b < 0)) s = -1
            if (a < 0) a = -a; if (b < 0) b = -b
            q = a / b; if (2 * (a - q * b) >= b) q = q + 1; return s * q }
        define m(s, n) { return r(s, n) }
        define abs(x) { if (x < 0) return -x; return x }'
    if [ "$3" = percent ]; then
        d=$(printf '%s\nscale=0\np=%s\nr(%s - p, 100000)\n' "$BC" "$prev" "$z" | bc)
        what="percentage points"
    else
        d=$(printf '%s\nscale=0\np=%s\nif (p == 0) halt\nx=r((%s - p) * 100000000, abs(p))\nr(x, 100000)\n' "$BC" "$prev" "$z" | bc)
        what="%"
    fi
    [ -n "$d" ] || return 0
    a=${d#-}; a=$(printf '%02d' "$a"); a="${a%?}.${a#${a%?}}"
    if [ "$d" = 0 ]; then printf ', the same as in the same quarters of %s' "$5"
    elif [ "$what" = "%" ]; then printf ', %s %s%% on the same quarters of %s' "$( [ "${d#-}" = "$d" ] && echo up || echo down)" "$a" "$5"
    else printf ', %s %s percentage points on the same quarters of %s' "$( [ "${d#-}" = "$d" ] && echo up || echo down)" "$a" "$5"
    fi
}
tm=$(sed -n 's/^ *measures: *\[\(.*\)\].*/\1/p' "$TPL" | head -n1 | tr -d ' ' | tr ',' ' ')
[ -n "$tm" ] && ok trend-measures-listed || fail trend-measures-listed "no measures: [..] in $TPL"
for m in $tm; do
    line=$(awk -F'\t' -v m="$m" '$1 == m' "$T/measures.tsv")
    if [ -z "$line" ]; then fail "trend-$m" "not in measures.csv"; continue; fi
    base=$(echo "$line" | cut -f2)
    [ -s "$CH/$base-annual.svg" ] && ok "trend-chart-$m" || fail "trend-chart-$m" "no $base-annual.svg"
    unit=$(echo "$line" | cut -f3); dec=$(echo "$line" | cut -f4); title=$(echo "$line" | cut -f5)
    rule=$(echo "$line" | cut -f6)
    # the last row, and the one before it, as trends.csv has them
    last=$(awk -v m="$m" "$AWKLIB"'{ csv($0, f); if (f[1] != m) next; py = ly; pv = lv; ly = f[2]; lv = f[3]; lc = f[4] }
        END { printf "%s\t%s\t%s\t%s\t%s\n", ly, lv, lc, py, pv }' "$STEM/trends.csv")
    ly=$(echo "$last" | cut -f1); lv=$(echo "$last" | cut -f2); lc=$(echo "$last" | cut -f3)
    py=$(echo "$last" | cut -f4); pv=$(echo "$last" | cut -f5)
    if [ "$lc" = no ] && [ -n "$lv" ]; then
        z=$(awk -v v="$lv" -v unit="$unit" -v dec="$dec" "$AWKLIB"'BEGIN { print unitfmt(v, unit, dec) }')
        qs=$(printf 'Q1\342\200\223Q%s' "$pq"); [ "$pq" = 1 ] && qs=Q1
        exp="$title: $z in $ly to date ($qs)$(lfl "$m" "$rule" "$unit" "$lv" "$py" "$pq")"
        if [ -n "$py" ] && [ -n "$pv" ]; then
            w=$(awk -v v="$pv" -v unit="$unit" -v dec="$dec" "$AWKLIB"'BEGIN { print unitfmt(v, unit, dec) }')
            exp="$exp; $w in the whole of $py"
        fi
        exp="$exp."
    else
        # first and last years with a value
        exp=$(awk -v m="$m" -v unit="$unit" -v dec="$dec" -v title="$title" "$AWKLIB"'
            { csv($0, f); if (f[1] != m || f[3] == "") next
              if (fy == "") { fy = f[2]; fv = f[3] } ly = f[2]; lv = f[3] }
            END { if (fy == "") exit
                  a = unitfmt(fv, unit, dec); z = unitfmt(lv, unit, dec)
                  if (fy == ly) s = title " was " z " in " ly
                  else if (a == z) s = title " was " z " in " ly ", the same as in " fy
                  else s = title " " ((lv + 0 > fv + 0) ? "rose" : "fell") " from " a " in " fy " to " z " in " ly
                  print s "." }
            ' "$STEM/trends.csv")
    fi
    if [ -z "$exp" ]; then fail "trend-caption-$m" "no values for $m in trends.csv"; continue; fi
    [ -n "$DEBUG" ] && echo "# $exp"
    has "$exp" && ok "trend-caption-$m" || fail "trend-caption-$m" "\"$exp\" not in the text"
    # a year to date is never said to have fallen against a full year
    if [ "$lc" = no ] && hasre "$(re "$title") fell from .{1,40} in $(re "$ly")( \(year to date\))?\."; then
        fail "trend-caption-no-part-year-fall-$m" "a part year \"fell\" against a full year"
    fi
done

# ---- year labels are text (the trends section's measures: an annual-only
# measure elsewhere keeps its own years in trends.csv) ----------------------
for y in $(awk -F, -v tm=" $tm " 'NR > 1 && index(tm, " " $1 " ") { print $2 }' "$STEM/trends.csv" | sort -u); do
    has "$y" && ok "year-label-$y" || fail "year-label-$y" "\"$y\" not in the text"
done
has "year to date" && ok year-to-date-label || fail year-to-date-label "\"year to date\" not in the text"

# ---- vectors only ----------------------------------------------------------
nimg=$(pdfimages -list "$PDF" 2>/dev/null | tail -n +3 | wc -l)
[ "$nimg" = 0 ] && ok no-raster-images || fail no-raster-images "$nimg images"

# ---- files per chart id ----------------------------------------------------
# The text column of the template's page: width minus left and right margins.
colpt=$(awk '
    /^ *size:/ { sz = $2 } /^ *orientation:/ { o = $2 }
    /margins_mm:/ { s = $0; sub(/.*left: */, "", s); l = s + 0; s = $0; sub(/.*right: */, "", s); r = s + 0 }
    END { w = (sz == "A4") ? 210 : 215.9; if (o == "landscape") w = (sz == "A4") ? 297 : 279.4
          printf "%.4f", (w - l - r) / 25.4 * 72 }' "$TPL")
for f in "$CH"/*.svg "$CH"/*.png; do
    id=$(basename "$f"); id=${id%.*}
    echo "$id"
done | sort -u >"$T/ids"
while read -r id; do
    png=$CH/$id.png; svg=$CH/$id.svg
    if [ ! -s "$png" ] || [ ! -s "$svg" ]; then
        fail "files-$id" "PNG or SVG missing or empty"; continue
    fi
    head -c 5 "$svg" | grep -q '^<?xml' && grep -q '<svg' "$svg" \
        && ok "svg-$id" || fail "svg-$id" "not an SVG document"
    sig=$(od -An -tx1 -N8 "$png" | tr -d ' \n')
    [ "$sig" = 89504e470d0a1a0a ] || { fail "png-$id" "no PNG signature"; continue; }
    wpx=$(od -An -tu1 -j16 -N4 "$png" | awk '{ print (($1 * 256 + $2) * 256 + $3) * 256 + $4 }')
    hpx=$(od -An -tu1 -j20 -N4 "$png" | awk '{ print (($1 * 256 + $2) * 256 + $3) * 256 + $4 }')
    # the SVG states the figure size in pt
    wpt=$(head -c 600 "$svg" | tr '\n' ' ' | sed -n 's/.*<svg[^>]* width="\([0-9.]*\)pt".*/\1/p')
    hpt=$(head -c 600 "$svg" | tr '\n' ' ' | sed -n 's/.*<svg[^>]* height="\([0-9.]*\)pt".*/\1/p')
    if [ -z "$wpt" ] || [ -z "$hpt" ]; then fail "png-300dpi-$id" "SVG has no width/height in pt"; continue; fi
    awk -v w="$wpx" -v h="$hpx" -v wp="$wpt" -v hp="$hpt" -v col="$colpt" 'BEGIN {
        ew = wp * 300 / 72; eh = hp * 300 / 72
        exit !(w >= ew - 1 && w <= ew + 1.5 && h >= eh - 1 && h <= eh + 1.5 && wp <= col + 0.5 && wp > 50) }' \
        && ok "png-300dpi-$id" \
        || fail "png-300dpi-$id" "PNG ${wpx}x${hpx} px for a ${wpt}x${hpt} pt figure (column ${colpt} pt)"
done <"$T/ids"

# ---- reproducible chart files ---------------------------------------------
if "$RAGPACK" build -t "$TPL" -i "$IN" -o "$T/b" >/dev/null 2>&1; then
    CH2=$T/b/$(basename "$STEM")/charts
    bad=""
    while read -r id; do
        for e in png svg; do
            cmp -s "$CH/$id.$e" "$CH2/$id.$e" || bad="$bad $id.$e"
        done
    done <"$T/ids"
    [ -z "$bad" ] && ok reproducible-charts || fail reproducible-charts "differ:$bad"
else
    fail reproducible-charts "second build failed"
fi

# ---- --chart-files: which files, same PDF, bad word is a usage error ------
nids=$(wc -l <"$T/ids")
for w in png svg none; do
    if "$RAGPACK" build -t "$TPL" -i "$IN" -o "$T/$w" --chart-files "$w" >/dev/null 2>&1; then
        D=$T/$w/$(basename "$STEM")
        np=$(ls "$D/charts" 2>/dev/null | grep -c '\.png$')
        ns=$(ls "$D/charts" 2>/dev/null | grep -c '\.svg$')
        case $w in
            png) wp=$nids; ws=0 ;; svg) wp=0; ws=$nids ;; none) wp=0; ws=0 ;;
        esac
        if [ "$np" = "$wp" ] && [ "$ns" = "$ws" ] && cmp -s "$D.pdf" "$T/b/$(basename "$STEM").pdf"; then
            ok "chart-files-$w"
        else
            fail "chart-files-$w" "$np PNG, $ns SVG (want $wp, $ws), or the PDF differs"
        fi
    else
        fail "chart-files-$w" "build failed"
    fi
done
"$RAGPACK" trend -i "$IN" -m EHCP_TOTAL -o "$T/tr/t.pdf" --chart-files none >/dev/null 2>&1
[ -f "$T/tr/t.pdf" ] && [ ! -d "$T/tr/t/charts" ] && ok chart-files-trend-none \
    || fail chart-files-trend-none "no PDF, or charts/ was written"
# the template's chart_files key: no charts/, and the command says so
{ grep -v '^chart_files:' "$TPL"; echo "chart_files: none"; } >"$T/nocharts.yaml"
"$RAGPACK" build -t "$T/nocharts.yaml" --fonts fonts -i "$IN" -o "$T/tk" >"$T/tk.out" 2>&1
if grep -q 'the .xlsx workbook)$' "$T/tk.out" && ! grep -q 'charts/' "$T/tk.out" &&
   ! ls -d "$T"/tk/*/charts >/dev/null 2>&1; then
    ok chart-files-template-key
else
    fail chart-files-template-key "$(cat "$T/tk.out")"
fi
"$RAGPACK" build -o "$T/x" --chart-files jpeg >/dev/null 2>&1
[ $? -eq 2 ] && ok chart-files-bad-word || fail chart-files-bad-word "exit status not 2"
exit 0
