#!/bin/sh
# structure.sh — the shape DEVELOPERS.md promises: data flows one way (no
# module includes the header of a module below it in DEVELOPERS.md's
# table), files and functions are named for what they are (no two-letter
# module codes), and only the command-line front end reads argv.
#   sh tests/integration/structure.sh BUILD_DIR
. tests/integration/lib.sh "$@"

# module of each file, in pipeline order, from DEVELOPERS.md's table
order=$(awk -F'|' '/^## The modules/ {on=1} on && /^\| [a-z_ ]+ \| [a-z_.]+[a-z_. ]*\|/ {
            gsub(/^ +| +$/, "", $2); gsub(/^ +| +$/, "", $3);
            if ($2 != "module") { n++; split($3, f, " "); for (i in f) print n, f[i] } }' DEVELOPERS.md)
if [ -z "$order" ]; then
    fail module-table "no module table found in DEVELOPERS.md"
else
    ok module-table
fi
rank() { echo "$order" | awk -v f="$1" '$2 == f { print $1 }'; }

# every source file is in the table
missing=""
for f in generator/*.[ch]; do
    b=$(basename "$f")
    [ -n "$(rank "$b")" ] || missing="$missing $b"
done
if [ -z "$missing" ]; then ok every-file-mapped; else fail every-file-mapped "not in DEVELOPERS.md:$missing"; fi

# no include of a later module's header
back=""
for f in generator/*.[ch]; do
    me=$(rank "$(basename "$f")")
    [ -n "$me" ] || continue
    for h in $(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f"); do
        r=$(rank "$h")
        [ -n "$r" ] && [ "$r" -gt "$me" ] && back="$back $(basename "$f")->$h"
    done
done
if [ -z "$back" ]; then ok one-way; else fail one-way "includes reaching back:$back"; fi

# no file or exported function named by a two-letter module code
codes='rd|md|cp|pk|ly|rn|ch|ex|tp|fm|ap|bt|ee'
bad=$(ls generator | grep -E "^($codes)(_|\.)" ; grep -hoE "^[a-z_ ]*\b($codes)_[a-z0-9_]+\(" generator/*.c | head -5)
if [ -z "$bad" ]; then ok no-module-codes; else fail no-module-codes "$bad"; fi
