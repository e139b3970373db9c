#!/bin/sh
# Build the seed corpora for the fuzz targets into $1/<target>/ (one file
# per seed). Seeds: input/sample, templates/, tests/data/templates/ and,
# when present, ../shared/realdata/csvsuites. Re-running overwrites.
set -eu
out=$1
shared=${RAGPACK_SHARED:-../shared}
mkdir -p "$out/parse" "$out/csv" "$out/input" "$out/template"

# csv: every CSV file we have
n=0
for f in input/sample/*.csv input/*.csv $(find "$shared/realdata/csvsuites" -name '*.csv' 2>/dev/null); do
    [ -f "$f" ] || continue
    n=$((n + 1)); cp "$f" "$out/csv/seed$n"
done

# parse: the distinct cells of the sample files, plus the contract's
# spellings that the sample may not use
n=0
{
    for f in input/sample/*.csv; do tr ',\r' '\n\n' <"$f"; done
    printf '%s\n' '£1,234.50' '(5)' '-5' '12.5%' '£5.4m' '640k' '1.2bn' \
        ' 7 ' '[c]' 'x' '..' ':' 'N/A' 'low' 'z' 'u' '*' \
        '2023/24 Q3' '2023-24 Q3' 'Q3 2023/24' '2023/24 Quarter 3' \
        '2023/24' '2024' 'AY 2024/25' '0.0000005' '9223372036854'
} | sort -u | while IFS= read -r cell; do
    n=$((n + 1)); printf '%s' "$cell" >"$out/parse/seed$n"
done

# input: the sample folder joined by 0x1E, and variants without
# commentary and without finance rows
rs=$(printf '\036')
s=input/sample
{ cat $s/measures.csv; printf '%s' "$rs"; cat $s/kpi.csv; printf '%s' "$rs"
  cat $s/finance.csv; printf '%s' "$rs"; cat $s/commentary.csv; } >"$out/input/sample"
{ cat $s/measures.csv; printf '%s' "$rs"; cat $s/kpi.csv; printf '%s' "$rs"
  head -n1 $s/finance.csv; } >"$out/input/no-commentary"
{ head -n4 $s/measures.csv; printf '%s' "$rs"; head -n40 $s/kpi.csv; printf '%s' "$rs"
  head -n6 $s/finance.csv; printf '%s' "$rs"; head -n5 $s/commentary.csv; } >"$out/input/small"

# template: every template we ship or test with
n=0
for f in templates/*.yaml tests/data/templates/*.yaml; do
    n=$((n + 1)); cp "$f" "$out/template/seed$n"
done

# input: figures near the int64 limit of rp_num (±9.22e12 units), so the
# fuzzer starts next to the sums and differences that can overflow
{
    printf 'id,title,service_area,unit,unit_label,polarity,tolerance,annual,decimals\n'
    printf 'P1,Pct,Area A,percent,,higher,5%%,mean,\nM1,One,Area A,gbp,,lower,,sum,\n'
    printf '%s' "$rs"
    printf 'measure,period,value,target,national,regional,breakdown\n'
    for p in '2022/23 Q1' '2022/23 Q2' '2023/24 Q1' '2023/24 Q2'; do
        printf 'P1,%s,9000000000000,-9000000000000,-9000000000000,9000000000000,\n' "$p"
        printf 'M1,%s,-9000000000000,9000000000000,9000000000000,-9000000000000,North\n' "$p"
        printf 'M1,%s,9000000000000,9000000000000,-9000000000000,9000000000000,\n' "$p"
    done
    printf '%s' "$rs"
    printf 'service_area,period,budget,forecast,savings_target,savings_forecast\n'
    printf 'Area A,2023/24 Q1,-9000000000000,9000000000000,-9000000000000,9000000000000\n'
    printf 'Area A,2023/24 Q2,9000000000000,-9000000000000,9000000000000,-9000000000000\n'
    printf 'Area B,2023/24 Q2,9000000000000,9000000000000,9000000000000,-9000000000000\n'
    printf '%s' "$rs"
    printf 'scope,period,text\noverall,2023/24 Q2,x\n'
} >"$out/input/extremes"
