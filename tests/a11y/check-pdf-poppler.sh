#!/bin/sh
# check-pdf-poppler.sh FILE.pdf — PDF/UA machine checks read top-down with
# poppler (pdfinfo -struct / -struct-text / -meta, pdffonts), the other
# half of check-pdf.mjs (pdf.js, bottom-up through the ParentTree).
# Prints "ok NAME" / "FAIL NAME: why" per check; exits 1 on any failure.
f=$1
n=$(basename "$f")
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
bad=0
res() { if [ -z "$2" ]; then echo "ok $n:$1"; else echo "FAIL $n:$1: $2"; bad=1; fi; }

pdfinfo "$f" >"$t/info" 2>/dev/null
pdfinfo -struct "$f" 2>/dev/null | tr -d '\000' >"$t/struct"
pdfinfo -struct-text "$f" >"$t/text" 2>/dev/null
pdfinfo -meta "$f" >"$t/meta" 2>/dev/null
pdffonts "$f" >"$t/fonts" 2>/dev/null

why=""
grep -q '^Tagged: *yes' "$t/info" || why="$why not tagged;"
grep -q '^PDF version: *1\.7' "$t/info" || why="$why not PDF 1.7;"
grep -q '^Title: *[^ ]' "$t/info" || why="$why no Info title;"
res info "$why"

why=""
grep -q '<dc:title>.*<rdf:li[^>]*>[^<][^<]*</rdf:li>' "$t/meta" || why="$why XMP without dc:title;"
grep -q '<pdfuaid:part>1</pdfuaid:part>' "$t/meta" || why="$why XMP without pdfuaid:part 1;"
grep -q '<dc:language>' "$t/meta" || why="$why XMP without dc:language;"
res xmp "$why"

# The tree from the root: a Document with content.
head -n1 "$t/struct" | grep -q '^Document' && [ "$(wc -l <"$t/text")" -gt 5 ] \
    && res struct-tree "" || res struct-tree "no Document root or no text: $(head -n3 "$t/struct")"

# Headings in order without skipped levels, starting at H1 (Matterhorn 14-002/003).
why=$(sed -n 's/^ *\(H[1-6]\)\b.*/\1/p' "$t/struct" | awk '
    { l = substr($1, 2) + 0
      if (NR == 1 && l != 1) { print "first heading is H" l; exit }
      if (l > prev + 1) { print "H" l " after H" prev " (heading " NR ")"; exit }
      prev = l }')
[ "$(grep -c '^ *H[1-6]\b' "$t/struct")" -gt 0 ] || why="no headings"
res headings "$why"

# Every TH has a /Scope (Matterhorn 15-003).
why=$(awk '
    pend { if ($0 !~ /\/Scope \/(Column|Row|Both)/) { print "TH without /Scope at line " pl; exit } pend = 0 }
    /^ *TH(:| |$)/ { pend = 1; pl = NR }
    END { if (pend) print "TH without /Scope at the end" }' "$t/struct")
res th-scope "$why"

# Tables: TR only in Table/THead/TBody, TH/TD only in TR (09-*): by indent.
why=$(awk '
    { match($0, /^ */); d = RLENGTH; s = substr($0, d + 1); sub(/[ :(].*/, "", s)
      if (s ~ /^\//) next
      par[d] = s
      p = par[d - 2]
      if ((s == "TH" || s == "TD") && p != "TR") { print s " inside " p; exit }
      if (s == "TR" && p != "Table" && p != "THead" && p != "TBody" && p != "TFoot") { print "TR inside " p; exit }
      if (s == "TOCI" && p != "TOC") { print "TOCI inside " p; exit }
      if (s == "LI" && p != "L") { print "LI inside " p; exit }
      if ((s == "Lbl" || s == "LBody") && p != "LI") { print s " inside " p; exit } }' "$t/struct")
res table-nesting "$why"

# Lists (16-*): every marker the page shows at the start of a line ("•",
# "–", "3.") is an Lbl in the tree, and each Lbl is the text of a marker.
pdftotext "$f" - 2>/dev/null >"$t/plain"
nm=$(grep -cE '^(•|–|[0-9]+\.) ' "$t/plain")
nlbl=$(grep -c '^ *Lbl\b' "$t/struct")
why=$(awk '
    { match($0, /^ */); d = RLENGTH; s = substr($0, d + 1) }
    s ~ /^"/ { if (s ~ /^"(•|–|[0-9]+\.)"$/ && par[d - 2] != "Lbl") { print "marker " s " in " par[d - 2]; exit }
               if (par[d - 2] == "Lbl" && s !~ /^"(•|–|[0-9]+\.)"$/) { print "Lbl reads " s; exit }
               next }
    { sub(/[ :(].*/, "", s); par[d] = s }' "$t/text")
[ "$nlbl" -ge "$nm" ] || why="$why $nm list markers in the text, $nlbl Lbl elements;"
res lists "$why"

# Every link in the contents carries its annotation (OBJR).
nl=$(grep -c '^ *Link' "$t/struct")
no=$(grep -c '^ *Object [0-9]* 0' "$t/text")
if [ "$nl" -gt 0 ] && [ "$no" -lt "$nl" ]; then res link-objr "$nl Links, $no OBJRs"; else res link-objr ""; fi

# Fonts embedded with a Unicode map (31-*, 10-001).
why=$(tail -n +3 "$t/fonts" | awk '{ n = NF; if ($(n-4) != "yes") print "not embedded: " $1; else if ($(n-2) != "yes") print "no ToUnicode: " $1 }' | head -n3 | tr '\n' ' ')
[ "$(tail -n +3 "$t/fonts" | wc -l)" -ge 1 ] || why="no fonts"
res fonts-embedded "$why"
exit $bad
