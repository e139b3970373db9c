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
