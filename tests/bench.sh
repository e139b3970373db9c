#!/bin/sh
# make bench: in-process build timings and peak memory, then the whole
# command as a user runs it (process start, font loading and all).
B=${1:-build}
"$B/bench" 20 "$B/bench-out" || exit 1
start=$(date +%s%N)
for i in 1 2 3 4 5 6 7 8 9 10; do "$B/ragpack" build -o "$B/bench-out" >/dev/null || exit 1; done
end=$(date +%s%N)
echo "ragpack build (whole command): $(( (end - start) / 10000000 )) ms per run (mean of 10)"
