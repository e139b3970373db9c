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
    assert text(r.get('C%d' % i, ('n', None, 0))) == row['breakdown'], (i, row['breakdown'])
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
# formula-like text stays text
assert '=1+2' in sst and '@Corporate' in sst, 'injected text missing'
# finance: money with a £ format, variance % as a fraction
f = cells(2)
fin = list(csv.DictReader(open(finance, encoding='utf-8')))
for i, row in enumerate(fin, start=2):
    assert text(f['A%d' % i]) == row['service_area']
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
