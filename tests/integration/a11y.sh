#!/bin/sh
# Integration: accessibility of every shipped template's pack and of the
# trend packs. Tagged PDF (PDF/UA-1 machine checks from the Matterhorn
# Protocol) read back bottom-up with pdf.js and top-down with poppler; the
# HTML twin through axe-core in headless chromium (WCAG 2.x A and AA);
# the chart folder's SVGs carry title/desc/text and charts.csv indexes them.
. tests/integration/lib.sh "$@"
case $RAGPACK in /*) ;; */*) RAGPACK=$PWD/$RAGPACK ;; esac
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export SOURCE_DATE_EPOCH=1707868800
A=tests/a11y

for t in templates/*.yaml; do
    [ "$(basename "$t")" = trend.yaml ] && continue
    if "$RAGPACK" build -t "$t" -o "$T/packs" >/dev/null 2>"$T/err"; then
        ok "a11y-build-$(basename "$t" .yaml)"
    else
        fail "a11y-build-$(basename "$t" .yaml)" "$(head -c 400 "$T/err")"
    fi
done
"$RAGPACK" trend -i input/sample -m EHCP_TOTAL -m POTHOLES_CAT3 -o "$T/packs/trend-measures.pdf" >/dev/null 2>"$T/err" \
    && ok a11y-build-trend-measures || fail a11y-build-trend-measures "$(head -c 400 "$T/err")"
"$RAGPACK" trend -i input/sample --service-area "Children and Families" -o "$T/packs/trend-area.pdf" >/dev/null 2>"$T/err" \
    && ok a11y-build-trend-area || fail a11y-build-trend-area "$(head -c 400 "$T/err")"

# Every PDF has its HTML twin.
for p in "$T"/packs/*.pdf; do
    [ -s "${p%.pdf}.html" ] && ok "html-twin-$(basename "$p" .pdf)" || fail "html-twin-$(basename "$p" .pdf)" "no ${p%.pdf}.html"
done

# The environment-scrutiny pack's report has lists (one nested) and web
# links: the checks below must have something to check there.
E=$T/packs/environment-scrutiny-2023-24-Q3.pdf
nl=$(pdfinfo -struct "$E" 2>/dev/null | tr -d '\000' | grep -c '^ *L\b')
nk=$(pdfinfo -struct-text "$E" 2>/dev/null | grep -c '^ *Link (inline)')
[ "$nl" -ge 3 ] && [ "$nk" -ge 1 ] && ok a11y-lists-links-present \
    || fail a11y-lists-links-present "$nl L elements, $nk Link elements in $(basename "$E")"

# A paragraph longer than a page: its P element's content continues on
# the next page, where it is a marked-content reference (MCR) rather than
# a bare MCID under the element's /Pg. poppler must find all its words in
# one P, and the checks below read this pack too.
mkdir -p "$T/long/in" "$T/long/out"
cp input/sample/*.csv "$T/long/in/"
words=$(awk 'BEGIN { for (i = 1; i <= 900; i++) printf "word%d ", i }')
printf 'Corporate,2023/24 Q3,"Opening. %s Closing words of the long note."\n' "$words" >>"$T/long/in/commentary.csv"
sed -i '/^Corporate,2023\/24 Q3,"Council tax collection/,/^Complaints answered/d' "$T/long/in/commentary.csv" 2>/dev/null
if "$RAGPACK" build -i "$T/long/in" -o "$T/long/out" >/dev/null 2>"$T/err"; then
    LP=$(ls "$T"/long/out/*.pdf)
    nmcr=$(qpdf --qdf --object-streams=disable "$LP" - 2>/dev/null | grep -c '/Type /MCR')
    if [ "$nmcr" -ge 1 ] && pdfinfo -struct-text "$LP" 2>/dev/null |
       awk '/^ *P /{p = 1; t = ""; next} p && /^ *"/{t = t $0} p && /^ *[A-Z]/ && !/^ *"/{p = 0} END {}
            { if (t ~ /Opening\./ && t ~ /word900/ && t ~ /Closing words of the long note/) found = 1 }
            END { exit !found }'; then
        ok "a11y-paragraph-across-pages ($nmcr marked-content references)"
    else
        fail a11y-paragraph-across-pages "$nmcr MCR; the long paragraph is not whole in one P"
    fi
    cp "$LP" "$T/packs/long-paragraph.pdf"
else
    fail a11y-paragraph-across-pages "$(head -c 400 "$T/err")"
fi

# A ParentTree of leaves under /Kids, as a pack of more than 1,024 pages
# and links has: made here on the sample with leaves of 8 keys (a test
# hook), it must read as the same structure and text as the one-leaf tree,
# and pdf.js below resolves every MCID through it.
mkdir -p "$T/leaves"
if RAGPACK_TEST_PTREE_LEAF=8 "$RAGPACK" build -o "$T/leaves" --chart-files none >/dev/null 2>"$T/err"; then
    LV=$(ls "$T"/leaves/*.pdf)
    IP=$T/packs/integrated-performance-2023-24-Q3.pdf
    nlim=$(qpdf --qdf --object-streams=disable "$LV" - 2>/dev/null | grep -c '/Limits')
    keys=$(grep -a '/ParentTreeNextKey' "$LV" | tr -dc 0-9)
    st() { pdfinfo -struct-text "$1" 2>/dev/null | sed 's/Object [0-9]* 0/Object/'; }
    if [ "$nlim" -eq $(( (keys + 7) / 8 )) ] && [ "$nlim" -ge 3 ] &&
       [ "$(st "$LV")" = "$(st "$IP")" ] &&
       [ "$(pdftotext "$LV" - 2>/dev/null)" = "$(pdftotext "$IP" - 2>/dev/null)" ]; then
        ok "a11y-parent-tree-leaves ($nlim leaves for $keys keys)"
    else
        fail a11y-parent-tree-leaves "$nlim leaves for $keys keys, or its structure or text differs from the one-leaf pack"
    fi
    cp "$LV" "$T/packs/parent-tree-leaves.pdf"
else
    fail a11y-parent-tree-leaves "$(head -c 400 "$T/err")"
fi

# poppler (top-down).
for p in "$T"/packs/*.pdf; do
    sh "$A/check-pdf-poppler.sh" "$p"
done

# Reproducible with the tags: the same pack twice is byte-identical.
"$RAGPACK" build -o "$T/again" >/dev/null 2>&1
"$RAGPACK" build -o "$T/again2" >/dev/null 2>&1
if cmp -s "$T"/again/*.pdf "$T"/again2/*.pdf && cmp -s "$T"/again/*.html "$T"/again2/*.html; then
    ok a11y-reproducible; else fail a11y-reproducible "PDF or HTML differ between two builds"; fi

# The chart folder: SVG with real text, title and desc; charts.csv.
C=$(ls -d "$T"/again/*/charts | head -n1)
n=0; badsvg=""
for s in "$C"/*.svg; do
    n=$((n + 1))
    grep -q '<title id=' "$s" && grep -q '<desc id=' "$s" && grep -q '<text ' "$s" && grep -q 'role="img"' "$s" \
        || badsvg="$badsvg $(basename "$s")"
    grep -q "^\"$(basename "$s")\"," "$C/charts.csv" || badsvg="$badsvg $(basename "$s")(not in charts.csv)"
done
[ "$n" -gt 0 ] && [ -z "$badsvg" ] && ok chart-svg-accessible || fail chart-svg-accessible "$n files;$badsvg"

# Node tooling: pdf.js (bottom-up) and axe-core in chromium.
if ! command -v node >/dev/null 2>&1; then
    skip pdfjs-checks "node is not installed (make deps-test installs it)"
    skip html-axe "node is not installed (make deps-test installs it)"
    exit 0
fi
if [ ! -d "$A/node_modules/pdfjs-dist" ] || [ ! -d "$A/node_modules/axe-core" ]; then
    (cd "$A" && npm ci --no-audit --no-fund >/dev/null 2>&1) || true
fi
if [ ! -d "$A/node_modules/pdfjs-dist" ]; then
    skip pdfjs-checks "npm ci in $A failed (offline?)"
    skip html-axe "npm ci in $A failed (offline?)"
    exit 0
fi
node "$A/check-pdf.mjs" "$T"/packs/*.pdf
# pdftotext (no -layout) reads each RAG table row by row.
node "$A/check-reading-order.mjs" "$T"/packs/*.pdf
if command -v chromium >/dev/null 2>&1 || [ -n "$CHROMIUM" ]; then
    node "$A/check-html.mjs" "$T"/packs/*.html
else
    skip html-axe "chromium is not installed (make deps-test installs it)"
fi
exit 0
