#!/bin/sh
# Integration: yearly data as first-class (issue 8 points 5, 6, 7, 10 and
# "nothing silently lost"). Fixtures are written here, shaped like an
# import-ees folder made from DfE files (../shared/realdata): calendar-year
# EHCP timeliness, academic-year plans in place, the NEET "2025" figure
# (December 2024–February 2025, so year_ends Feb) with England's figure
# but no regional one, and a district's quarterly KPIs with Q4 targets set
# in advance. Expected figures are the fixture's own.
. tests/integration/lib.sh "$@"
it_setup yearly
export SOURCE_DATE_EPOCH=1707868800
# the HTML twin's text (table cells unwrapped), one line
flat() { sed 's/<[^>]*>/ /g' "${1%.pdf}.html" | tr '\n' ' ' | tr -s ' '; }
has()  { grep -qF -- "$2" "$1"; }
# the ratings.csv row of measure $2 in $1, as "period,value,...,vs_prev,vs_year"
rating() { awk -F, -v m="$2" '$1 == m && $2 == "" { print $4 "," $5 "," $8 "," $9 }' "$1"; }

# ---- an import-ees folder: yearly figures only, finance.csv header only ----
D=$W/ees
mkdir -p "$D"
cat >"$D/measures.csv" <<'E'
id,title,service_area,unit,polarity,annual,year_ends
NEET_16_17,16-17 year olds NEET or activity not known,Children,percent,lower,last,Feb
EHCP_20WK,EHC plans issued within 20 weeks,Children,percent,higher,last,
EHCP_PLANS,EHC plans in place,Children,count,none,last,Jan
SEND_APPEALS,SEND tribunal appeal rate,Children,percent,none,last,
E
cat >"$D/kpi.csv" <<'E'
measure,period,value,target,national,regional,breakdown
NEET_16_17,2023,2.9,,5.2,,
NEET_16_17,2024,2.3,,5.4,,
NEET_16_17,2025,7.4,5.0,5.6,,
EHCP_20WK,2022,37,,49.2,48.9,
EHCP_20WK,2023,40.1,,50.3,44.6,
EHCP_20WK,2024,35.3,,45.9,41,
EHCP_PLANS,AY 2022/23,6830,,517048,52986,
EHCP_PLANS,AY 2023/24,7490,,576474,59551,
EHCP_PLANS,AY 2024/25,8461,,638745,66710,
SEND_APPEALS,2021,2.5,,2.3,,
SEND_APPEALS,2022,2.9,,2.5,,
E
printf 'service_area,period,budget,forecast,savings_target,savings_forecast\n' >"$D/finance.csv"
sed 's/measures: \[EHCP_TOTAL.*/measures: [NEET_16_17, EHCP_20WK, EHCP_PLANS]/' \
    templates/integrated-performance.yaml >"$W/t.yaml"

# check passes on the folder as import-ees leaves it (default: latest year)
if "$RAGPACK" check -t "$W/t.yaml" -i "$D" --fonts fonts >"$W/out" 2>&1; then
    ok check-ees-folder
else
    fail check-ees-folder "$(cat "$W/out")"
fi

# -p 2024/25, "AY 2024/25" and 2025 each build, named for the year
for p in "2024/25:t-2024-25" "AY 2024/25:t-AY-2024-25" "2025:t-2025"; do
    per=${p%%:*}; stem=${p#*:}
    if "$RAGPACK" build -t "$W/t.yaml" -i "$D" -p "$per" -o "$W/o" --fonts fonts \
            >"$W/out" 2>&1 && [ -s "$W/o/$stem.pdf" ] && [ -s "$W/o/$stem/ratings.csv" ]; then
        ok "yearly-pack-$stem"
    else
        fail "yearly-pack-$stem" "$(cat "$W/out")"
    fi
done
R=$W/o/t-2024-25/ratings.csv
# NEET 2025 was measured up to February 2025: it leads 2024/25
r=$(rating "$R" NEET_16_17)
[ "$r" = "2025,7.4,none,worsening" ] && ok "neet-2025-in-2024-25 ($r)" \
    || fail neet-2025-in-2024-25 "got \"$r\""
# AY 2024/25 plans in place, counted in January 2025 (year_ends Jan)
r=$(rating "$R" EHCP_PLANS)
[ "$r" = "AY 2024/25,8461,none,none" ] && ok "plans-ay-2024-25 ($r)" \
    || fail plans-ay-2024-25 "got \"$r\""
# calendar 2025's 20-week figure is not published: 2024 is used
r=$(rating "$R" EHCP_20WK)
[ "$r" = "2024,35.3,none,worsening" ] && ok "20wk-2024 ($r)" || fail 20wk-2024 "got \"$r\""
flat "$W/o/t-2024-25.pdf" >"$W/y.txt"
has "$W/y.txt" "There is no outturn for 2024/25: finance.csv has no position for 2024/25 Q4." \
    && ok no-outturn-sentence || fail no-outturn-sentence "no sentence saying there is no outturn"
has "$W/y.txt" "this quarter" && fail yearly-words "a yearly pack says \"this quarter\"" \
    || ok yearly-words
# stale: calendar 2022 is older than the year before 2024/25, named with its period
has "$W/y.txt" "Latest figure is for 2022, older than the year before 2024/25." \
    && ok stale-yearly-named || fail stale-yearly-named "no stale finding for SEND_APPEALS"
has "$W/y.txt" "Rated on 2022" && fail stale-not-rated-on "\"Rated on\" for an unrated measure" \
    || ok stale-not-rated-on
# trends: no n/a year before NEET starts (2023), years in its own kind
grep -q '^NEET_16_17,2022,' "$W/o/t-2024-25/trends.csv" \
    && fail trend-starts-with-data "NEET has a 2022 row" || ok trend-starts-with-data
grep -q '^NEET_16_17,2025,7.4,' "$W/o/t-2024-25/trends.csv" \
    && ok trend-own-years || fail trend-own-years "$(cat "$W/o/t-2024-25/trends.csv")"
# the comparators chart (a trend pack) says only what it draws: England
# for NEET (no regional figure), England and the region for EHCP_20WK
"$RAGPACK" trend -i "$D" -f fonts -m NEET_16_17 -m EHCP_20WK -o "$W/tr" >"$W/out" 2>&1
flat "$(ls "$W"/tr/*.pdf | head -n1)" >"$W/y.txt"
if has "$W/y.txt" "NEET or activity not known against England and"; then
    fail chart-title-england "NEET titled against the region"
elif has "$W/y.txt" "NEET or activity not known against England, by calendar year" &&
     has "$W/y.txt" "within 20 weeks against England and the region, by calendar year"; then
    ok chart-title-england
else
    fail chart-title-england "no NEET comparators chart title"
fi

# ---- a 2024/25 Q4 pack with a quarterly measure: NEET 2025 leads it ---------
Q=$W/q
cp -r "$D" "$Q"
cat >>"$Q/measures.csv" <<'E'
FLY,Fly-tipping incidents cleared,Place,count,lower,sum,
BIN,Households in temporary accommodation,Place,count,lower,last,
E
cat >>"$Q/kpi.csv" <<'E'
FLY,2024/25 Q1,120,100,,,
FLY,2024/25 Q2,110,100,,,
FLY,2024/25 Q3,100,100,,,
FLY,2024/25 Q4,90,100,,,
FLY,2025/26 Q1,,100,,,
BIN,2023/24 Q4,26,30,,,
BIN,2024/25 Q3,27,30,,,
BIN,2024/25 Q4,28,30,,,
E
cat >"$Q/finance.csv" <<'E'
service_area,period,budget,forecast,savings_target,savings_forecast
Place,2024/25 Q3,"£12,154k",£12.4m,,
Place,2024/25 Q4,"£12,154k",£12.3m,,
Place,2025/26 Q1,£12.9m,£12.9m,,
E
sed 's/measures: \[EHCP_TOTAL.*/measures: [NEET_16_17, FLY, BIN]/' \
    templates/integrated-performance.yaml >"$W/t.yaml"
if "$RAGPACK" build -t "$W/t.yaml" -i "$Q" -p "2024/25 Q4" -o "$W/qo" --fonts fonts >"$W/out" 2>&1; then
    ok q4-build
    r=$(rating "$W/qo/t-2024-25-Q4/ratings.csv" NEET_16_17)
    [ "$r" = "2025,7.4,none,worsening" ] && ok "neet-leads-q4 ($r)" || fail neet-leads-q4 "got \"$r\""
    flat "$W/qo/t-2024-25-Q4.pdf" >"$W/q.txt"
    # targets set in advance and next year's finance: named, not lost
    has "$W/q.txt" "Read but not used, as later than 2024/25 Q4: 2025/26 Q1 (target only)." \
        && ok not-used-target || fail not-used-target "no finding for FLY's 2025/26 Q1 target"
    has "$W/q.txt" "finance.csv line 4 (Place): read but not used" \
        && ok not-used-finance || fail not-used-finance "no finding for the 2025/26 Q1 finance row"
    # a count is never "28.0" (the BIN chart barely moves: 26, 27, 28)
    if grep -ho '>[0-9,]*\.[0-9]*<' "$W/qo/t-2024-25-Q4/charts/bin-quarterly.svg" | grep -q .; then
        fail count-whole "$(grep -ho '>[0-9,]*\.[0-9]*<' "$W/qo/t-2024-25-Q4/charts/bin-quarterly.svg" | head -3)"
    else
        ok count-whole
    fi
else
    fail q4-build "$(cat "$W/out")"
fi
# the yearly pack of the same folder: the annual figure and the outturn
if "$RAGPACK" build -t "$W/t.yaml" -i "$Q" -p 2024/25 -o "$W/qo" --fonts fonts >"$W/out" 2>&1; then
    r=$(rating "$W/qo/t-2024-25/ratings.csv" FLY)
    # sum of the four quarters; against the year before: none (no 2023/24)
    [ "$r" = "2024/25,420,none,none" ] && ok "annual-sum ($r)" || fail annual-sum "got \"$r\""
    r=$(rating "$W/qo/t-2024-25/ratings.csv" BIN)
    [ "$r" = "2024/25,28,none,worsening" ] && ok "annual-last ($r)" || fail annual-last "got \"$r\""
    flat "$W/qo/t-2024-25.pdf" >"$W/qy.txt"
    has "$W/qy.txt" "The outturn for 2024/25: the position at 2024/25 Q4." \
        && ok outturn-shown || fail outturn-shown "no outturn sentence"
    grep -q '^Place,2024/25 Q4,12154000,12300000,' "$W/qo/t-2024-25/finance.csv" \
        && ok outturn-q4-row || fail outturn-q4-row "$(cat "$W/qo/t-2024-25/finance.csv")"
else
    fail yearly-with-quarters "$(cat "$W/out")"
fi
# a period that is neither a quarter nor a year
"$RAGPACK" build -t "$W/t.yaml" -i "$D" -p "2024/25 Q5" -o "$W/bad" >"$W/out" 2>&1
grep -q '"2024/25 Q5" is not a quarter or a year' "$W/out" && ok bad-period \
    || fail bad-period "$(cat "$W/out")"
exit $fails
