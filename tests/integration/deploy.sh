#!/bin/sh
# deploy.sh — the shipped deployment files run as shipped: the cron line
# (deploy/cron.example), run by sh with /srv/ragpack moved to a temporary
# folder, creates its log folder and writes a JSON Lines log; the
# logrotate snippet (deploy/logrotate/ragpack) rotates those logs. The
# systemd units are checked in install.sh (installed paths), Kubernetes
# and the Containerfile in tests/unit/test_deploy.c, Slurm by make test-slurm.
#   sh tests/integration/deploy.sh BUILD_DIR
. tests/integration/lib.sh "$@"
it_setup deploy

# /srv/ragpack as an operator lays it out: input/batch.csv and sample/,
# templates/, fonts/ (the manifest's paths are relative to input/).
S=$W/srv
mkdir -p "$S/input" "$W/bin"
cp -r "$ROOT/templates" "$ROOT/fonts" "$S/"
cp -r "$ROOT/input/sample" "$S/input/sample"
cp "$ROOT/input/batch.csv" "$S/input/batch.csv"
ln -s "$RAGPACK" "$W/bin/ragpack"

line=$(grep -E '^[0-9*]' deploy/cron.example)
n=$(grep -cE '^[0-9*]' deploy/cron.example)
cmd=$(printf '%s\n' "$line" | cut -d' ' -f6- | sed "s|/srv/ragpack|$S|g")
if [ "$n" != 1 ] || [ -z "$cmd" ]; then
    fail cron-line "expected one crontab entry, found $n"
else
    npacks=$(($(grep -c . "$S/input/batch.csv") - 1))   # every row of the manifest
    PATH="$W/bin:$PATH" sh -c "$cmd"; rc=$?
    if [ "$rc" = 0 ] && [ -s "$S/log/batch.jsonl" ] && [ -f "$S/log/cron.log" ] &&
       grep -q "\"event\":\"summary\".*\"built\":$npacks," "$S/log/batch.jsonl" &&
       [ -f "$S/output/integrated-performance-2023-24-Q3.pdf" ]; then
        ok cron-line
    else
        fail cron-line "rc=$rc: $(cat "$S/log/cron.log" 2>/dev/null | tail -3)"
    fi
fi

if command -v logrotate >/dev/null 2>&1 && [ -f "$S/log/batch.jsonl" ]; then
    me=$(id -un); grp=$(id -gn)
    sed -e "s|/srv/ragpack|$S|g" -e "s|/var/log/ragpack|$W/varlog|g" \
        -e "s|ragpack ragpack|$me $grp|g" deploy/logrotate/ragpack >"$W/logrotate.conf"
    chmod 644 "$W/logrotate.conf"
    if logrotate -f -s "$W/logrotate.state" "$W/logrotate.conf" >"$W/lr.out" 2>&1 &&
       ! grep -q '^error' "$W/lr.out" && [ -s "$S/log/batch.jsonl.1" ] &&
       [ -f "$S/log/batch.jsonl" ] && [ ! -s "$S/log/batch.jsonl" ]; then
        ok logrotate
    else
        fail logrotate "$(cat "$W/lr.out"; ls "$S/log")"
    fi
else
    skip logrotate "logrotate is absent (apt-get install logrotate) or no log to rotate"
fi
[ "$fails" = 0 ]
