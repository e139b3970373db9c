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
T=$(mktemp -d)
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

# ---- issue 11: ingest at scale, chart-file switch, batch, analyst script ----
# Whole commands timed by tests/bench_run.c (CPU = user + sys, peak RSS);
# inputs generated deterministically by tests/bench_gen.c. BENCH_SIZES
# (measures; 167 kpi rows each) defaults to 194 1940 19400 (32 k, 324 k,
# 3.24 M rows); BENCH_BUILD_SIZES (build --chart-files none) to 194 1940.
G=$(mktemp -d /tmp/ragpack-bench.XXXXXX); trap 'rm -rf "$T" "$G"' EXIT
cc -O2 -o "$G/gen" tests/bench_gen.c && cc -O2 -o "$G/csv" tests/bench_csv.c -lcsv &&
    cc -O2 -o "$G/run" tests/bench_run.c || exit 1
# "cpu_s wall_s peak_MiB" of one run of the command (tests/bench_run.c);
# The large council's template: the shipped one with its trends section
# naming the generated measures (made here, so it never drifts from it).
L=$G/large.yaml
sed 's/^\(    measures: \)\[EHCP_TOTAL[^]]*\]/\1[M000000, M000001, M000002, M000003]/' \
    templates/integrated-performance.yaml >"$L"
grep -q 'M000000' "$L" || { echo "bench: cannot make the large template" >&2; exit 1; }
# a command that fails stops the benchmark with its messages: a figure
# of a failed run would be a figure of nothing
tm() { set -- $("$G/run" "$G/err" "$@") || exit 1
       if [ "$4" != 0 ]; then
           echo "bench: a timed command failed (exit $4):" >&2
           head -n 5 "$G/err" >&2
           kill -TERM $$; exit 1
       fi
       printf '%.4f %.4f %s' "$1" "$2" "$3"; }
# the run with the median CPU time of three: one run of a command of
# seconds moves by 10 % on this shared machine
tm3() { { tm "$@"; echo; tm "$@"; echo; tm "$@"; echo; } | sort -n | sed -n 2p; }
echo "ingest: ragpack check against a bare libcsv parse of the same kpi.csv (median of 3)"
printf '  %8s %9s | %-22s | %-22s | %s\n' measures rows "libcsv cpu/wall/MiB" "check cpu/wall/MiB" "cpu ratio"
prev= prevn=1
for n in ${BENCH_SIZES:-194 1940 19400}; do
    mkdir -p "$G/m$n" && "$G/gen" "$G/m$n" "$n" || exit 1
    rows=$(( $(wc -l <"$G/m$n/kpi.csv") - 1 ))
    set -- $(tm3 "$G/csv" "$G/m$n/kpi.csv"); c0=$1 w0=$2 r0=$3
    set -- $(tm3 "$B/ragpack" check -t "$L" -f fonts -i "$G/m$n"); c1=$1 w1=$2 r1=$3
    printf '  %8s %9s | %6s s %6s s %5s | %6s s %6s s %5s | %s\n' "$n" "$rows" \
        "$c0" "$w0" "$r0" "$c1" "$w1" "$r1" "$(echo "scale=1; $c1 / ($c0 + 0.0005)" | bc)"
    [ -n "$prev" ] && [ $((n / prevn)) = 10 ] &&
        echo "  10x the rows ($prevn -> $n measures): check costs $(echo "scale=2; $c1 / $prev" | bc)x"
    prev=$c1 prevn=$n
done
echo "build --chart-files none of the large council (the shipped template, trends on generated measures; median of 3)"
for n in ${BENCH_BUILD_SIZES:-194 1940}; do
    [ -d "$G/m$n" ] || { mkdir -p "$G/m$n" && "$G/gen" "$G/m$n" "$n"; } || exit 1
    set -- $(tm3 "$B/ragpack" build -t "$L" -f fonts -i "$G/m$n" -o "$G/o$n" --chart-files none)
    echo "  $n measures: $1 s CPU, $2 s wall, $3 MiB"
    rm -rf "$G/o$n"
done
# One service area of many measures (one RAG table of thousands of rows):
# 4× the measures should cost about 4× (a scan of the table for each row
# made 16,000 measures take 6 s where 4,000 took 0.37 s).
echo "build --chart-files none, the sample plus one area of N measures (one long table)"
for n in 4000 16000; do
    mkdir -p "$G/area$n" && cp input/sample/*.csv "$G/area$n/" || exit 1
    nf=$(head -1 "$G/area$n/measures.csv" | awk -F, '{ print NF }')
    awk -v nf="$nf" -v n="$n" 'BEGIN { for (i = 1; i <= n; i++) {
        printf "BIG%05d,Generated measure number %d,Big area,percent,,higher,5%%,last", i, i
        for (k = 8; k < nf; k++) printf ","
        printf "\n" } }' >>"$G/area$n/measures.csv"
    awk -v n="$n" 'BEGIN { for (i = 1; i <= n; i++) for (q = 1; q <= 3; q++)
        printf "BIG%05d,2023/24 Q%d,%d.%d,50.0,,,\n", i, q, 40 + (i + q) % 20, i % 10 }' \
        >>"$G/area$n/kpi.csv"
    set -- $(tm "$B/ragpack" build -i "$G/area$n" -o "$G/oa$n" --chart-files none)
    echo "  $n measures in one area: $1 s CPU, $2 s wall, $3 MiB"
    rm -rf "$G/oa$n"
done
# mean CPU and wall of N runs of a command, in ms
mean() { n=$1; shift; : >"$G/acc"; i=0
         while [ $i -lt "$n" ]; do tm "$@" >>"$G/acc"; echo >>"$G/acc"; i=$((i + 1)); done
         awk -v n="$n" '{ c += $1; w += $2 } END { printf "%.1f ms CPU, %.1f ms wall", c / n * 1000, w / n * 1000 }' "$G/acc"; }
for cf in none all; do
    echo "sample pack, whole command, --chart-files $cf: $(mean 10 "$B/ragpack" build -o "$G/s" --chart-files $cf) (mean of 10)"
done
{ echo "name,template,input,out"
  for i in $(seq 1 20); do echo "p$i,$PWD/templates/integrated-performance.yaml,$PWD/input/sample,$G/b/p$i"; done
} >"$G/batch.csv"
set -- $(tm "$B/ragpack" batch "$G/batch.csv" -j 2)
echo "batch of 20 sample packs, -j 2, chart files all: $(echo "scale=3; $1 / 20" | bc) CPU-s per pack ($2 s wall)"
# the rerun on 500 packs (built first without chart files): /usr/bin/time
# counts in 10 ms steps
{ echo "name,template,input,out,chart_files"
  for i in $(seq 1 500); do echo "p$i,$PWD/templates/integrated-performance.yaml,$PWD/input/sample,$G/k/p$i,none"; done
} >"$G/rerun.csv"
"$B/ragpack" batch "$G/rerun.csv" -j 2 >/dev/null 2>&1
set -- $(tm "$B/ragpack" batch "$G/rerun.csv" -j 2)
echo "batch rerun of 500 packs, all skipped: $(echo "scale=3; $1 * 1000 / 500" | bc) ms CPU per pack ($(echo "scale=3; $2 * 1000 / 500" | bc) ms wall)"
if /usr/bin/python3 -c 'import matplotlib, reportlab, svglib' 2>/dev/null; then
    mkdir -p "$G/m300" && "$G/gen" "$G/m300" 300 0 || exit 1
    for d in input/sample "$G/m300"; do
        # the sample with its own template; the generated council with the
        # large one (the sample's trends measures are not in it). ragpack
        # takes milliseconds, so its figure is the median of 7 runs.
        : >"$G/rc"
        for i in 1 2 3 4 5 6 7; do
            if [ "$d" = input/sample ]; then
                tm "$B/ragpack" build -i "$d" -o "$G/r" --chart-files none >>"$G/rc"
            else
                tm "$B/ragpack" build -i "$d" -t "$L" -f fonts -o "$G/r" --chart-files none >>"$G/rc"
            fi
            echo >>"$G/rc"
        done
        rc=$(cut -d' ' -f1 "$G/rc" | sort -n | sed -n 4p)
        set -- $(OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 tm /usr/bin/python3 tests/bench_analyst.py "$d" "$G/a.pdf")
        echo "matplotlib + ReportLab script on $(basename "$d"): $1 s CPU against ragpack's $rc s: $(echo "scale=0; $1 / ($rc + 0.0005)" | bc)x"
    done
else
    echo "matplotlib + ReportLab script: skipped (apt-get install python3-matplotlib python3-reportlab python3-svglib)"
fi
