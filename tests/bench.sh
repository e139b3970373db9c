#!/bin/sh
# make bench: in-process build timings and peak memory with a per-stage
# breakdown (pipeline to PDF, chart files), then the whole command as a
# user runs it (process start, font loading and all).
# The chart files are written by one worker process per CPU; the second
# run shows them written in this process alone (RAGPACK_CHART_JOBS=1).
B=${1:-build}
echo "CPUs available: $(nproc 2>/dev/null || echo ?)"
"$B/bench" 20 "$B/bench-out" || exit 1
echo "-- the same with chart files in one process (RAGPACK_CHART_JOBS=1):"
RAGPACK_CHART_JOBS=1 "$B/bench" 10 "$B/bench-out" | grep -E '^build:|chart files \(export|its CPU' || exit 1
start=$(date +%s%N)
for i in 1 2 3 4 5 6 7 8 9 10; do "$B/ragpack" build -o "$B/bench-out" >/dev/null || exit 1; done
end=$(date +%s%N)
echo "ragpack build (whole command): $(( (end - start) / 10000000 )) ms per run (mean of 10)"
# the ad hoc trend pack an officer runs while on the phone
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
start=$(date +%s%N)
for i in 1 2 3 4 5; do
    "$B/ragpack" trend -i input/sample -m EHCP_TOTAL -m POTHOLES_CAT3 -o "$T/t.pdf" >/dev/null || exit 1
done
end=$(date +%s%N)
echo "ragpack trend, 2 measures (whole command): $(( (end - start) / 5000000 )) ms per run (mean of 5)"
start=$(date +%s%N)
"$B/ragpack" trend -i input/sample --service-area "Children and Families" -o "$T/a.pdf" >/dev/null || exit 1
end=$(date +%s%N)
echo "ragpack trend, a whole service area (9 measures): $(( (end - start) / 1000000 )) ms"
