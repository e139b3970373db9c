#!/bin/sh
# Integration: committee packs (issue 12) — text sections from Markdown,
# the figures workbook, chosen measures, run-time words, benchmarking.
# Expected figures come from the inputs and the computed CSVs.
. tests/integration/lib.sh "$@"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export SOURCE_DATE_EPOCH=1707868800

# ---- a text section from Markdown ------------------------------------------
cat >"$T/text.yaml" <<'Y'
document: {authority: Sample County Council, title: Report shell}
sections:
  - kind: cover
  - kind: text
    title: The report
    file: environment-scrutiny.md
Y
if "$RAGPACK" build -t "$T/text.yaml" -o "$T/text" --fonts fonts >"$T/out" 2>&1; then
    ok text-build
    PDF=$(ls "$T"/text/*.pdf)
    pdftotext -layout "$PDF" "$T/text.txt"
    # every heading of the Markdown, and a numbered item with its number
    missing=""
    for h in "Recommendations" "Reasons for the recommendations" "Background papers" \
             "Equalities"; do
        grep -q "$h" "$T/text.txt" || missing="$missing [$h]"
    done
    [ -z "$missing" ] && ok text-headings || fail text-headings "missing:$missing"
    grep -Eq '^ *2\. ask officers to report back' "$T/text.txt" \
        && ok text-numbered-list || fail text-numbered-list "$(head -40 "$T/text.txt")"
    # links become URI annotations with the target from the Markdown
    qpdf --qdf --object-streams=disable "$PDF" "$T/q.pdf" 2>/dev/null
    grep -a -q 'https://www.example.gov.uk/scrutiny/terms-of-reference' "$T/q.pdf" \
        && ok text-link-annotation || fail text-link-annotation "no /URI"
    qpdf --check "$PDF" >/dev/null 2>&1 && ok text-qpdf || fail text-qpdf "qpdf --check"
    # the HTML twin: real lists (nested inside their item) and links
    H=${PDF%.pdf}.html
    if grep -q '<ol start="1"><li><strong>note</strong>' "$H" &&
       grep -q 'including:<ul><li>recycling targets' "$H" &&
       grep -q '<a href="https://www.example.gov.uk/scrutiny/terms-of-reference">terms of reference</a>' "$H" &&
       grep -q '<em>road condition</em>' "$H"; then
        ok text-html-lists-links
    else
        fail text-html-lists-links "no list/link markup in $H"
    fi
else
    fail text-build "$(cat "$T/out")"
fi

# a missing text file is an error naming the template line
cat >"$T/missing.yaml" <<'Y'
sections:
  - kind: cover
  - kind: text
    file: no-such.md
Y
if "$RAGPACK" build -t "$T/missing.yaml" -o "$T/m" --fonts fonts >"$T/out" 2>&1; then
    fail text-missing-file "built"
else
    grep -q "missing.yaml:3: sections: text file \"no-such.md\"" "$T/out" \
        && ok text-missing-file || fail text-missing-file "$(cat "$T/out")"
fi

# ---- the figures workbook --------------------------------------------------
# An input whose free text begins with = + - @: a service area, a breakdown.
mkdir -p "$T/inj"
cp input/sample/*.csv "$T/inj/"
sed -i 's/Corporate/@Corporate/g' "$T/inj/measures.csv" "$T/inj/finance.csv" "$T/inj/commentary.csv"
sed -i 's/,Northmere$/,=1+2/' "$T/inj/kpi.csv"
if "$RAGPACK" build -i "$T/inj" -o "$T/x" >"$T/out" 2>&1; then
    ok xlsx-build
    STEM=$(ls -d "$T"/x/*/ | head -n1); STEM=${STEM%/}
    X="$STEM/$(basename "$STEM").xlsx"
    [ -s "$X" ] && ok xlsx-written || fail xlsx-written "no $X"
    if python3 - "$X" "$STEM/ratings.csv" "$STEM/finance.csv" >"$T/py" 2>&1 <<'PY'
import csv, re, sys, zipfile
x, ratings, finance = sys.argv[1:4]
z = zipfile.ZipFile(x)
wb = z.read('xl/workbook.xml').decode()
names = re.findall(r'<sheet name="([^"]+)"', wb)
assert names == ['ratings', 'finance', 'trends'], names
sst = re.findall(r'<si><t[^>]*>(.*?)</t></si>', z.read('xl/sharedStrings.xml').decode(), re.S)
styles = z.read('xl/styles.xml').decode()
numfmts = dict(re.findall(r'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"', styles))
xfs = re.findall(r'<xf [^>]*?/>|<xf [^>]*?>.*?</xf>', styles.split('<cellXfs')[1].split('</cellXfs>')[0], re.S)
fills = re.findall(r'<fill>(.*?)</fill>', styles, re.S)
def cells(n):
    s = z.read('xl/worksheets/sheet%d.xml' % n).decode()
    assert 'state="frozen"' in s and 'ySplit="1"' in s, 'header row not frozen'
    assert '<autoFilter ref="A1:' in s, 'no autofilter'
    assert '<f>' not in s, 'a formula was written'
    rows = {}
    for r, attrs, body in re.findall(r'<c r="([A-Z]+\d+)"([^>]*?)(?:/>|>(.*?)</c>)', s, re.S):
        st = re.search(r's="(\d+)"', attrs); t = re.search(r't="(\w+)"', attrs)
        v = re.search(r'<v>(.*?)</v>', body or '')
        rows[r] = (t.group(1) if t else 'n', v.group(1) if v else None, int(st.group(1)) if st else 0)
    return rows
def fmt(style):
    m = re.search(r'numFmtId="(\d+)"', xfs[style]); return numfmts.get(m.group(1), m.group(1)) if m else ''
def text(c): return sst[int(c[1])] if c[0] == 's' else '' if c[1] is None else None
# ratings: row for row with ratings.csv; values numbers, % as fractions
r = cells(1)
rows = list(csv.DictReader(open(ratings, encoding='utf-8')))
for i, row in enumerate(rows, start=2):
    assert text(r['A%d' % i]) == row['measure'], (i, r['A%d' % i], row['measure'])
    # the CSV guards formula-like text with a leading ' (OWASP); the
    # workbook holds it as a text cell, unchanged
    bd = row['breakdown']
    if bd[:2] in ("'=", "'+", "'-", "'@"):
        bd = bd[1:]
    assert text(r.get('C%d' % i, ('n', None, 0))) == bd, (i, row['breakdown'])
    if row['value']:
        c = r['G%d' % i]
        assert c[0] == 'n', ('value not a number', i)
        f = fmt(c[2])
        want = float(row['value']) / (100 if '%' in f else 1)
        assert abs(float(c[1]) - want) < 1e-9, (i, c, row['value'])
    rag = text(r['I%d' % i])
    assert rag == {'green': 'Green', 'amber': 'Amber', 'red': 'Red', 'none': 'Not rated'}[row['rag']]
    fid = int(re.search(r'fillId="(\d+)"', xfs[r['I%d' % i][2]]).group(1))
    rgb = re.search(r'rgb="FF([0-9A-F]{6})"', fills[fid]).group(1)
    assert rgb == {'Green': '00703C', 'Amber': 'F47738', 'Red': 'D4351C', 'Not rated': 'B1B4B6'}[rag], (rag, rgb)
    # period end is a date (a serial number with a date format)
    assert r['F%d' % i][0] == 'n' and 'yy' in fmt(r['F%d' % i][2])
# formula-like text stays text; the CSVs prefix it with '
assert '=1+2' in sst and '@Corporate' in sst, 'injected text missing'
assert any(r['breakdown'] == "'=1+2" for r in rows), 'ratings.csv not guarded'
assert "'@Corporate" in open(finance, encoding='utf-8').read(), 'finance.csv not guarded'
# finance: money with a £ format, variance % as a fraction
f = cells(2)
fin = list(csv.DictReader(open(finance, encoding='utf-8')))
for i, row in enumerate(fin, start=2):
    sa = row['service_area']
    assert text(f['A%d' % i]) == (sa[1:] if sa[:2] == "'@" else sa), (i, sa)
    assert '£' in fmt(f['D%d' % i][2]) and abs(float(f['D%d' % i][1]) - float(row['budget'])) < 1e-6
    if row['variance_pct']:
        assert '%' in fmt(f['G%d' % i][2])
        assert abs(float(f['G%d' % i][1]) - float(row['variance_pct']) / 100) < 1e-9
print('ok')
PY
    then ok xlsx-typed-cells; else fail xlsx-typed-cells "$(tail -5 "$T/py")"; fi
else
    fail xlsx-build "$(cat "$T/out")"
fi

# ---- chosen measures: the shipped scrutiny packs -----------------------------
ids() { tail -n +2 "$1" | cut -d, -f1 | sort -u | tr '\n' ' '; }
if "$RAGPACK" build -o "$T/cab" >"$T/out" 2>&1 &&
   "$RAGPACK" build -t templates/environment-scrutiny.yaml -o "$T/env" >>"$T/out" 2>&1 &&
   "$RAGPACK" build -t templates/resources-scrutiny.yaml -o "$T/res" >>"$T/out" 2>&1; then
    ok scrutiny-build
    E="$T/env/environment-scrutiny-2023-24-Q3"
    # by tag: exactly the measures measures.csv tags highways or environment
    want=$(awk -F, 'NR > 1 && $NF ~ /(^|;)(highways|environment)(;|$)/ { print $1 }' \
           input/sample/measures.csv | sort -u | tr '\n' ' ')
    got=$(ids "$E/ratings.csv")
    [ -n "$want" ] && [ "$got" = "$want" ] && ok scrutiny-tag-ratings \
        || fail scrutiny-tag-ratings "want [$want] got [$got]"
    # trends.csv and charts only for what the pack shows
    tr_ids=$(ids "$E/trends.csv")
    extra=""
    for id in $tr_ids; do case " $want POTHOLES_CAT3 RECYCLING " in *" $id "*) ;; *) extra="$extra $id";; esac; done
    [ -z "$extra" ] && ok scrutiny-trends-only-shown || fail scrutiny-trends-only-shown "$extra"
    n_ch=$(ls "$E/charts" | grep -v '^charts.csv$' | grep -vc -e '^potholes-cat3' -e '^recycling' -e '^bus-startup' \
           -e '^carbon' -e '^potholes-cat1')
    [ "$n_ch" = 0 ] && ok scrutiny-charts-only-shown || fail scrutiny-charts-only-shown "$(ls "$E/charts")"
    # its appendix names no measure outside the pack (LIBRARY_VISITS is missing in the cabinet pack)
    pdftotext -layout "$T/env/environment-scrutiny-2023-24-Q3.pdf" "$T/env.txt"
    pdftotext -layout "$T/cab/integrated-performance-2023-24-Q3.pdf" "$T/cab.txt"
    if grep -q "Library visits" "$T/cab.txt" && ! grep -q "Library visits" "$T/env.txt"; then
        ok scrutiny-appendix-only-shown
    else
        fail scrutiny-appendix-only-shown "library visits in env pack or not in cabinet"
    fi
    grep -q "Environment and Highways: assessment" "$T/env.txt" \
        && ok scrutiny-cover-badge || fail scrutiny-cover-badge "no badge label"
    # by listed ids: those ids, across service areas
    R="$T/res/resources-scrutiny-2023-24-Q3"
    want=$(sed -n '/measures:/,/]/p' templates/resources-scrutiny.yaml | tr -d '[]\n' \
           | sed 's/measures://' | tr ',' '\n' | tr -d ' ' | grep . | sort -u | tr '\n' ' ')
    got=$(ids "$R/ratings.csv")
    [ "$got" = "$want" ] && ok scrutiny-ids-ratings || fail scrutiny-ids-ratings "want [$want] got [$got]"
    # the cabinet pack is unchanged by the tags column and the scrutiny
    # templates: its figures equal a build from the input without tags
    mkdir -p "$T/notags"
    cp input/sample/*.csv "$T/notags/"
    python3 - "$T/notags/measures.csv" <<'PY'
import csv, sys
p = sys.argv[1]
rows = list(csv.reader(open(p, encoding='utf-8-sig')))
i = rows[0].index('tags')
csv.writer(open(p, 'w', encoding='utf-8', newline=''), lineterminator='\n').writerows(
    [r[:i] + r[i + 1:] for r in rows])
PY
    "$RAGPACK" build -i "$T/notags" -o "$T/cab0" >/dev/null 2>&1
    same=1
    for f in ratings.csv finance.csv trends.csv; do
        cmp -s "$T/cab/integrated-performance-2023-24-Q3/$f" \
               "$T/cab0/integrated-performance-2023-24-Q3/$f" || same=0
    done
    cmp -s "$T/cab/integrated-performance-2023-24-Q3.pdf" \
           "$T/cab0/integrated-performance-2023-24-Q3.pdf" || same=0
    [ "$same" = 1 ] && ok cabinet-unchanged-by-tags || fail cabinet-unchanged-by-tags "differs"
    # and every measure of the input is in the cabinet pack's ratings
    all=$(tail -n +2 input/sample/measures.csv | cut -d, -f1 | sort -u | tr '\n' ' ')
    [ "$(ids "$T/cab/integrated-performance-2023-24-Q3/ratings.csv")" = "$all" ] \
        && ok cabinet-all-measures || fail cabinet-all-measures "not every measure"
else
    fail scrutiny-build "$(cat "$T/out")"
fi

# a section that selects nothing is an error naming the section
cat >"$T/none.yaml" <<'Y'
sections:
  - kind: cover
  - kind: service_area
    title: Nothing here
    tags: [no-such-tag]
Y
if "$RAGPACK" build -t "$T/none.yaml" -o "$T/n" >"$T/out" 2>&1; then
    fail select-nothing "built"
else
    grep -q 'none.yaml:3: sections: section 2 (Nothing here) selects no measures: tags "no-such-tag"' "$T/out" \
        && ok select-nothing || fail select-nothing "$(cat "$T/out")"
    [ ! -e "$T/n" ] || [ -z "$(ls "$T/n")" ] && ok select-nothing-writes-nothing \
        || fail select-nothing-writes-nothing "$(ls "$T/n")"
fi

# ---- numerator and denominator -----------------------------------------------
# REABLEMENT_91 at 2023/24 Q3 given as 158 of 190; CQC_GOOD as 24 of 28
# (fewer than 30: volatile).
mkdir -p "$T/nd"
cp input/sample/*.csv "$T/nd/"
python3 - "$T/nd/kpi.csv" <<'PY'
import csv, sys
p = sys.argv[1]
rows = list(csv.reader(open(p, encoding='utf-8-sig')))
rows[0] += ['numerator', 'denominator']
for r in rows[1:]:
    nd = {('REABLEMENT_91', ''): ['158', '190'], ('CQC_GOOD', ''): ['24', '28']}
    r += nd.get((r[0], r[6]), ['', '']) if r[1] == '2023/24 Q3' else ['', '']
csv.writer(open(p, 'w', encoding='utf-8', newline=''), lineterminator='\n').writerows(rows)
PY
if "$RAGPACK" build -i "$T/nd" -o "$T/ndo" >"$T/out" 2>&1; then
    pdftotext -layout "$T/ndo/integrated-performance-2023-24-Q3.pdf" "$T/nd.txt"
    v=$(awk -F, '$1 == "REABLEMENT_91" && $2 == "" { print $5 }' "$T/ndo/integrated-performance-2023-24-Q3/ratings.csv")
    # the value, and under it what it is made of
    grep -A1 "$v%" "$T/nd.txt" | sed 's/\xc2\xa0/ /g' | grep -q "(158 of 190)" && ok numerator-denominator-shown \
        || fail numerator-denominator-shown "no \"$v%\" over \"(158 of 190)\""
    # appendix: CQC_GOOD volatile (28 < 30), REABLEMENT_91 not (190)
    pdftotext "$T/ndo/integrated-performance-2023-24-Q3.pdf" - | tr '\n' ' ' \
        | sed 's/.*Small numbers (volatile)//' >"$T/vol.txt"
    if grep -q "Based on 28 cases" "$T/vol.txt" && ! grep -q "Based on 190" "$T/vol.txt"; then
        ok small-denominator-volatile
    else
        fail small-denominator-volatile "$(head -20 "$T/vol.txt")"
    fi
    # the threshold comes from the template
    sed 's/^  stale_quarters: 2/  stale_quarters: 2\n  small_denominator: 200/' \
        templates/integrated-performance.yaml >"$T/ip.yaml"
    if "$RAGPACK" build -t "$T/ip.yaml" -i "$T/nd" -o "$T/nd2" --fonts fonts >"$T/out" 2>&1; then
        pdftotext "$T"/nd2/*.pdf - | tr '\n' ' ' >"$T/nd2.txt"
        grep -q "Based on 190 cases (fewer than 200)" "$T/nd2.txt" && ok small-denominator-template \
            || fail small-denominator-template "not flagged at 200"
    else
        fail small-denominator-template "$(cat "$T/out")"
    fi
else
    fail numerator-denominator-build "$(cat "$T/out")"
fi

# ---- compact layout ---------------------------------------------------------
# empty comparator columns left out with a note; flow puts areas on shared pages
pdftotext "$T/cab/integrated-performance-2023-24-Q3.pdf" - | tr '\n' ' ' \
    | grep -q "No national or regional comparators were provided for these measures" \
    && ok compact-empty-comparators-noted || fail compact-empty-comparators-noted "no note"
cat >"$T/paged.yaml" <<'Y'
sections:
  - kind: cover
  - kind: service_area
Y
sed 's/- kind: service_area/- kind: service_area\n    flow: true/' "$T/paged.yaml" >"$T/flow.yaml"
"$RAGPACK" build -t "$T/paged.yaml" -o "$T/pg" --fonts fonts >/dev/null 2>&1
"$RAGPACK" build -t "$T/flow.yaml" -o "$T/fl" --fonts fonts >/dev/null 2>&1
p1=$(pdfinfo "$T"/pg/*.pdf 2>/dev/null | sed -n 's/^Pages: *//p')
p2=$(pdfinfo "$T"/fl/*.pdf 2>/dev/null | sed -n 's/^Pages: *//p')
pdftotext "$T"/fl/*.pdf "$T/fl.txt" 2>/dev/null
pdftotext "$T"/pg/*.pdf "$T/pg.txt" 2>/dev/null
if [ -n "$p1" ] && [ -n "$p2" ] && [ "$p2" -lt "$p1" ] && \
   [ "$(grep -c . "$T/fl.txt")" -gt 0 ] && \
   [ "$(grep -o 'Of [0-9]* rated measures' "$T/pg.txt")" = "$(grep -o 'Of [0-9]* rated measures' "$T/fl.txt")" ]; then
    ok compact-flow "$p1 -> $p2 pages"
else
    fail compact-flow "paged $p1, flow $p2"
fi

# ---- run-time words ---------------------------------------------------------
if "$RAGPACK" build -t templates/environment-scrutiny.yaml -o "$T/rt" \
       --committee "Place Scrutiny Committee" --meeting-date "9 April 2024" \
       --title "Place Performance" >"$T/out" 2>&1; then
    P=$(ls "$T"/rt/*.pdf)
    pdftotext "$P" "$T/rt.txt"
    sed -n '1,/Page 1 of/p' "$T/rt.txt" >/dev/null
    t=$(pdfinfo "$P" | sed -n 's/^Title: *//p')
    if [ "$t" = "Place Performance" ] && grep -q "^Place Scrutiny Committee$" "$T/rt.txt" &&
       grep -q "^9 April 2024$" "$T/rt.txt" &&
       grep -q "Northshire County Council · Place Performance · Quarter 3 2023/24" "$T/rt.txt" &&
       grep -q "Place Scrutiny Committee · 9 April 2024" "$T/rt.txt" &&
       ! grep -q "12 March 2024" "$T/rt.txt"; then
        ok runtime-words-cli
    else
        fail runtime-words-cli "title [$t]; $(head -12 "$T/rt.txt")"
    fi
else
    fail runtime-words-cli "$(cat "$T/out")"
fi
# the same from a batch manifest's columns
mkdir -p "$T/bm"
cat >"$T/bm/m.csv" <<M
name,template,input,out,committee,meeting_date,title
env,$PWD/templates/environment-scrutiny.yaml,$PWD/input/sample,$T/bm/out,Place Scrutiny Committee,9 April 2024,
M
if "$RAGPACK" batch "$T/bm/m.csv" >"$T/out" 2>&1; then
    P=$(ls "$T"/bm/out/*.pdf | head -n1)
    pdftotext "$P" "$T/bm.txt"
    t=$(pdfinfo "$P" | sed -n 's/^Title: *//p')
    grep -q "Place Scrutiny Committee · 9 April 2024" "$T/bm.txt" &&
        [ "$t" = "Environment and Highways Performance Report" ] \
        && ok runtime-words-batch || fail runtime-words-batch "title [$t]"
else
    fail runtime-words-batch "$(cat "$T/out")"
fi
