#!/bin/sh
# install.sh — `make install` / `make uninstall` as an operator runs them:
# into a DESTDIR, the installed binary run from another folder builds the
# sample with the installed templates and fonts (byte-identical to the
# build tree's pack), the man page renders, bash completion completes, the
# installed systemd units pass `systemd-analyze verify` against the
# installed paths, the OnFailure= unit records a failure, and uninstall
# leaves nothing.
#   sh tests/integration/install.sh BUILD_DIR
. tests/integration/lib.sh "$@"
it_setup install
# -o: install the binary under test as it is (e.g. the ASan build), never
# rebuild it with other flags
inst() { make --no-print-directory -s B="$B" -o "$B/ragpack" "$@" >"$W/make.out" 2>&1; }

D=$W/dest
if inst install DESTDIR="$D" PREFIX=/usr/local; then
    missing=
    for f in bin/ragpack share/ragpack/templates/integrated-performance.yaml \
             share/ragpack/templates/trend.yaml share/ragpack/fonts/LiberationSans-Regular.ttf \
             share/man/man1/ragpack.1 share/bash-completion/completions/ragpack \
             lib/systemd/system/ragpack-batch.service lib/systemd/system/ragpack-batch.timer \
             lib/systemd/system/ragpack-failure@.service lib/ragpack/record-failure; do
        [ -f "$D/usr/local/$f" ] || missing="$missing $f"
    done
    [ -z "$missing" ] && ok install-files || fail install-files "missing:$missing"
else
    fail install-files "$(cat "$W/make.out")"
fi

# The installed binary, from a folder with no templates/ or fonts/.
mkdir -p "$W/elsewhere"
export SOURCE_DATE_EPOCH=1700000000
if (cd "$W/elsewhere" && "$D/usr/local/bin/ragpack" build -i "$ROOT/input/sample" \
        -o out >"$W/out" 2>"$W/err") &&
   "$RAGPACK" build -o "$W/ref" >/dev/null 2>&1 &&
   cmp -s "$W/elsewhere/out/integrated-performance-2023-24-Q3.pdf" \
          "$W/ref/integrated-performance-2023-24-Q3.pdf"; then
    ok installed-build-anywhere
else
    fail installed-build-anywhere "$(cat "$W/err")"
fi
# a bare template name finds the installed template
if (cd "$W/elsewhere" && "$D/usr/local/bin/ragpack" check -t children-and-families \
        -i "$ROOT/input/sample" -o out >/dev/null 2>"$W/err"); then
    ok installed-template-by-name
else
    fail installed-template-by-name "$(cat "$W/err")"
fi
unset SOURCE_DATE_EPOCH

if command -v man >/dev/null 2>&1; then
    if man -l "$D/usr/local/share/man/man1/ragpack.1" 2>"$W/err" | grep -q "import-ees" \
       && [ ! -s "$W/err" ]; then
        ok man-page
    else
        fail man-page "$(cat "$W/err")"
    fi
else
    skip man-page "man is absent"
fi

if command -v bash >/dev/null 2>&1; then
    got=$(bash -c '. "$1"; COMP_WORDS=(ragpack batch --dr); COMP_CWORD=2; _ragpack;
                   echo "${COMPREPLY[*]}"; COMP_WORDS=(ragpack b); COMP_CWORD=1; _ragpack;
                   echo "${COMPREPLY[*]}"' _ "$D/usr/local/share/bash-completion/completions/ragpack")
    if [ "$got" = "--dry-run
build batch" ]; then ok bash-completion; else fail bash-completion "got: $got"; fi
else
    skip bash-completion "bash is absent"
fi

# systemd: installed with a real PREFIX so the units name real paths.
P=$W/prefix
if ! command -v systemd-analyze >/dev/null 2>&1; then
    skip systemd-verify "systemd-analyze is absent (apt-get install systemd)"
elif ! inst install PREFIX="$P"; then
    fail systemd-verify "$(cat "$W/make.out")"
else
    U=$P/lib/systemd/system
    if grep -q "^ExecStart=$P/bin/ragpack batch " "$U/ragpack-batch.service" &&
       (cd "$U" && MANPATH="$P/share/man:" systemd-analyze verify \
            ./ragpack-batch.service ./ragpack-batch.timer ./ragpack-failure@.service \
            >"$W/verify" 2>&1); then
        ok systemd-verify
    else
        fail systemd-verify "$(cat "$W/verify")"
    fi
    # verify can fail: a unit naming a binary that is not there
    sed "s|^ExecStart=$P/bin/ragpack|ExecStart=$P/bin/nothing|" "$U/ragpack-batch.service" \
        >"$W/ragpack-batch.service"
    if (cd "$W" && MANPATH="$P/share/man:" systemd-analyze verify ./ragpack-batch.service \
            >/dev/null 2>&1); then
        fail systemd-verify-can-fail "a missing ExecStart binary passed"
    else
        ok systemd-verify-can-fail
    fi
    # OnFailure= names the installed failure unit, which runs the recorder
    of=$(sed -n 's/^OnFailure=\(.*\)@%n\.service$/\1@.service/p' "$U/ragpack-batch.service")
    rec=$(sed -n 's/^ExecStart=\([^ ]*\) .*/\1/p' "$U/ragpack-failure@.service")
    if [ -n "$of" ] && [ -f "$U/$of" ] && [ -x "$rec" ] &&
       "$rec" ragpack-batch.service "$W/logs/batch.jsonl" &&
       python3 -c 'import json,sys; r=json.loads(open(sys.argv[1]).read()); assert r["event"]=="unit_failed" and r["unit"]=="ragpack-batch.service" and r["time"].endswith("Z"), r' "$W/logs/batch.jsonl"; then
        ok systemd-onfailure-records
    else
        fail systemd-onfailure-records "OnFailure=$of recorder=$rec"
    fi
    inst uninstall PREFIX="$P"
fi

if inst uninstall DESTDIR="$D" PREFIX=/usr/local; then
    left=$(find "$D" "$P" \( -type f -o -type l -o -name '*ragpack*' \) 2>/dev/null)
    [ -z "$left" ] && ok uninstall-leaves-nothing || fail uninstall-leaves-nothing "$left"
else
    fail uninstall-leaves-nothing "$(cat "$W/make.out")"
fi
[ "$fails" = 0 ]
