/* test_compute.c — compute: the RAG, direction and roll-up rules at their
 * edges, then a whole computation over an in-memory input (ratings,
 * areas, finance, trends, data quality). Expected figures are worked out
 * by hand in the comments, not taken from the program. */
#include "testutil.h"
#include "fixture_input.h"

#include "compute.h"

#define D fi_dec             /* "12.5" → rp_num */
static rp_value V(const char *s) { return rp_value_of(D(s)); }
#define NOV rp_value_missing(RP_MISS_EMPTY)

/* ---- in-memory input_folder (tests/fixture_input.h); rows numbered from
 * line 2 of each file, as under a header ---- */
typedef fi_input fx;

static void fx_init(fx *f)
{
    fi_init(f, "measures.csv", "kpi.csv", "finance.csv");
    f->lm = f->lk = f->lf = 2;
}

static void fx_measure(fx *f, const char *id, const char *area,
                       input_polarity pol, int rel, const char *tol,
                       input_annual annual)
{
    input_measure_row *m = fi_measure(f, f->lm++, id, area);
    m->polarity = pol;
    m->tol_relative = rel;
    m->tolerance = D(tol);
    m->annual = annual;
}

static void fx_kpi(fx *f, const char *id, rp_period p, rp_value v,
                   rp_value t, const char *bd)
{
    fi_kpi(f, f->lk++, id, p, v, t, bd);
}

static void fx_fin(fx *f, const char *area, rp_period p, const char *b,
                   const char *fc, rp_value st, rp_value sf)
{
    input_finance_row *r = fi_fin(f, f->lf++, area, p, V(b), V(fc));
    r->savings_target = st;
    r->savings_forecast = sf;
}

#define Q rp_quarter
#define Y rp_fyear

/* ---- RAG rule ---------------------------------------------------------- */

static rp_rag rag(const char *v, const char *t, input_polarity p, int rel,
                  const char *tol)
{
    return compute_rag(V(v), V(t), p, rel, D(tol));
}

static void test_rag_relative_edges(void **st)
{
    (void)st;
    /* higher is better, target 80, 5% → amber down to 80 − 4 = 76 */
    assert_int_equal(rag("80", "80", INPUT_POL_HIGHER, 1, "5"), RP_RAG_GREEN);
    assert_int_equal(rag("80.5", "80", INPUT_POL_HIGHER, 1, "5"), RP_RAG_GREEN);
    assert_int_equal(rag("79.999999", "80", INPUT_POL_HIGHER, 1, "5"), RP_RAG_AMBER);
    assert_int_equal(rag("76", "80", INPUT_POL_HIGHER, 1, "5"), RP_RAG_AMBER);
    assert_int_equal(rag("75.999999", "80", INPUT_POL_HIGHER, 1, "5"), RP_RAG_RED);
    /* lower is better, target 10, 5% → amber up to 10.5 */
    assert_int_equal(rag("10", "10", INPUT_POL_LOWER, 1, "5"), RP_RAG_GREEN);
    assert_int_equal(rag("9", "10", INPUT_POL_LOWER, 1, "5"), RP_RAG_GREEN);
    assert_int_equal(rag("10.5", "10", INPUT_POL_LOWER, 1, "5"), RP_RAG_AMBER);
    assert_int_equal(rag("10.500001", "10", INPUT_POL_LOWER, 1, "5"), RP_RAG_RED);
}

static void test_rag_absolute_edges(void **st)
{
    (void)st;
    /* tolerance 2 in the measure's unit */
    assert_int_equal(rag("50", "50", INPUT_POL_HIGHER, 0, "2"), RP_RAG_GREEN);
    assert_int_equal(rag("48", "50", INPUT_POL_HIGHER, 0, "2"), RP_RAG_AMBER);
    assert_int_equal(rag("47.999999", "50", INPUT_POL_HIGHER, 0, "2"), RP_RAG_RED);
    assert_int_equal(rag("52", "50", INPUT_POL_LOWER, 0, "2"), RP_RAG_AMBER);
    assert_int_equal(rag("52.000001", "50", INPUT_POL_LOWER, 0, "2"), RP_RAG_RED);
    assert_int_equal(rag("49", "50", INPUT_POL_LOWER, 0, "2"), RP_RAG_GREEN);
    /* zero tolerance: any miss is red */
    assert_int_equal(rag("49.999999", "50", INPUT_POL_HIGHER, 0, "0"), RP_RAG_RED);
}

static void test_rag_negative_target(void **st)
{
    (void)st;
    /* 5% of |−10| is 0.5 */
    assert_int_equal(rag("-9", "-10", INPUT_POL_HIGHER, 1, "5"), RP_RAG_GREEN);
    assert_int_equal(rag("-10.5", "-10", INPUT_POL_HIGHER, 1, "5"), RP_RAG_AMBER);
    assert_int_equal(rag("-10.500001", "-10", INPUT_POL_HIGHER, 1, "5"), RP_RAG_RED);
    assert_int_equal(rag("-11", "-10", INPUT_POL_LOWER, 1, "5"), RP_RAG_GREEN);
    assert_int_equal(rag("-9.5", "-10", INPUT_POL_LOWER, 1, "5"), RP_RAG_AMBER);
    assert_int_equal(rag("-9.499999", "-10", INPUT_POL_LOWER, 1, "5"), RP_RAG_RED);
    /* target 0 with a relative tolerance: no room, any miss is red */
    assert_int_equal(rag("0", "0", INPUT_POL_LOWER, 1, "5"), RP_RAG_GREEN);
    assert_int_equal(rag("0.000001", "0", INPUT_POL_LOWER, 1, "5"), RP_RAG_RED);
}

static void test_rag_binary_float_case(void **st)
{
    (void)st;
    /* 0.7 − 0.665 = 0.035 = 5% of 0.7 exactly; in doubles the miss is
     * 0.03500000000000003 > 0.034999999999999996, which would say red. */
    assert_int_equal(rag("0.665", "0.7", INPUT_POL_HIGHER, 1, "5"), RP_RAG_AMBER);
    assert_int_equal(rag("0.664999", "0.7", INPUT_POL_HIGHER, 1, "5"), RP_RAG_RED);
    assert_int_equal(rag("0.735", "0.7", INPUT_POL_LOWER, 1, "5"), RP_RAG_AMBER);
    /* 0.1 + 0.2 style: target 0.3, absolute tolerance 0.1, value 0.2 */
    assert_int_equal(rag("0.2", "0.3", INPUT_POL_HIGHER, 0, "0.1"), RP_RAG_AMBER);
}

static void test_rag_not_rated(void **st)
{
    (void)st;
    assert_int_equal(rag("1", "100", INPUT_POL_NONE, 1, "5"), RP_RAG_NONE);
    assert_int_equal(compute_rag(NOV, V("5"), INPUT_POL_HIGHER, 1, D("5")),
                     RP_RAG_NONE);
    assert_int_equal(compute_rag(V("5"), NOV, INPUT_POL_HIGHER, 1, D("5")),
                     RP_RAG_NONE);
    assert_int_equal(compute_rag(rp_value_missing(RP_MISS_C), V("5"),
                                 INPUT_POL_LOWER, 0, D("1")), RP_RAG_NONE);
    assert_string_equal(rp_rag_name(RP_RAG_NONE), "none");
    assert_string_equal(rp_rag_label(RP_RAG_AMBER), "Amber");
}

/* ---- direction ------------------------------------------------------------ */

static void test_direction(void **st)
{
    (void)st;
    assert_int_equal(compute_direction(V("5"), V("4"), INPUT_POL_HIGHER), RP_DIR_IMPROVING);
    assert_int_equal(compute_direction(V("5"), V("4"), INPUT_POL_LOWER), RP_DIR_WORSENING);
    assert_int_equal(compute_direction(V("3"), V("4"), INPUT_POL_LOWER), RP_DIR_IMPROVING);
    assert_int_equal(compute_direction(V("3"), V("4"), INPUT_POL_HIGHER), RP_DIR_WORSENING);
    /* 12.50 and 12.5: same number typed with different places */
    rp_value a = V("12.50"), b = V("12.5");
    a.decimals = 2;
    b.decimals = 1;
    assert_int_equal(compute_direction(a, b, INPUT_POL_HIGHER), RP_DIR_NO_CHANGE);
    assert_int_equal(compute_direction(V("5"), NOV, INPUT_POL_HIGHER), RP_DIR_NONE);
    assert_int_equal(compute_direction(NOV, V("5"), INPUT_POL_LOWER), RP_DIR_NONE);
    assert_int_equal(compute_direction(V("5"), V("4"), INPUT_POL_NONE), RP_DIR_NONE);
    assert_string_equal(rp_direction_name(RP_DIR_NO_CHANGE), "no_change");
}

/* ---- roll-up ------------------------------------------------------------- */

static rp_rag roll(rp_rollup rule, size_t g, size_t a, size_t r)
{
    compute_options o;
    compute_options_default(&o);
    o.rollup = rule;
    size_t c[4] = { 7, g, a, r };   /* unrated count must not matter */
    return compute_rollup(&o, c);
}

static void test_rollup_score(void **st)
{
    (void)st;
    /* green+amber: (3+2)/2 = 2.5 = green_at → green */
    assert_int_equal(roll(RP_ROLLUP_SCORE, 1, 1, 0), RP_RAG_GREEN);
    /* 3 amber + 1 red: 7/4 = 1.75 = amber_at → amber */
    assert_int_equal(roll(RP_ROLLUP_SCORE, 0, 3, 1), RP_RAG_AMBER);
    /* 2 green + 1 amber + 3 red: 11/6 = 1.833 → amber; 1g 1a 3r: 8/5 → red */
    assert_int_equal(roll(RP_ROLLUP_SCORE, 2, 1, 3), RP_RAG_AMBER);
    assert_int_equal(roll(RP_ROLLUP_SCORE, 1, 1, 3), RP_RAG_RED);
    /* 2 green + 1 red: 7/3 = 2.333 → amber (not rounded up to 2.5) */
    assert_int_equal(roll(RP_ROLLUP_SCORE, 2, 0, 1), RP_RAG_AMBER);
    assert_int_equal(roll(RP_ROLLUP_SCORE, 0, 0, 0), RP_RAG_NONE);
    compute_options o;
    compute_options_default(&o);
    assert_int_equal(o.green_at, D("2.5"));
    assert_int_equal(o.amber_at, D("1.75"));
    assert_int_equal(o.trend_years, 3);
    assert_int_equal(o.stale_quarters, 2);
}

static void test_rollup_worst_majority(void **st)
{
    (void)st;
    assert_int_equal(roll(RP_ROLLUP_WORST, 5, 0, 1), RP_RAG_RED);
    assert_int_equal(roll(RP_ROLLUP_WORST, 5, 1, 0), RP_RAG_AMBER);
    assert_int_equal(roll(RP_ROLLUP_WORST, 5, 0, 0), RP_RAG_GREEN);
    assert_int_equal(roll(RP_ROLLUP_MAJORITY, 3, 1, 1), RP_RAG_GREEN);
    assert_int_equal(roll(RP_ROLLUP_MAJORITY, 2, 2, 0), RP_RAG_AMBER); /* tie */
    assert_int_equal(roll(RP_ROLLUP_MAJORITY, 1, 1, 1), RP_RAG_RED);   /* tie */
    assert_int_equal(roll(RP_ROLLUP_MAJORITY, 0, 2, 2), RP_RAG_RED);   /* tie */
    assert_int_equal(roll(RP_ROLLUP_MAJORITY, 1, 3, 2), RP_RAG_AMBER);
    assert_int_equal(roll(RP_ROLLUP_MAJORITY, 0, 0, 0), RP_RAG_NONE);
}

/* ---- the whole computation --------------------------------------------
 * Adults: ASC1 (higher, 5%, last; breakdowns North, South), ASC2 (lower,
 * ±2, sum), NT1 (no target), ST1 (last value 2022/23 Q4: stale).
 * Children: CH1 (higher, 5%, mean; a year row for 2021/22), CH2 (polarity
 * none), YR1 (whole-year rows only). Corporate appears only in finance. */
static void build(fx *f)
{
    fx_init(f);
    fx_measure(f, "ASC1", "Adults", INPUT_POL_HIGHER, 1, "5", INPUT_ANNUAL_LAST);
    fx_measure(f, "ASC2", "Adults", INPUT_POL_LOWER, 0, "2", INPUT_ANNUAL_SUM);
    fx_measure(f, "CH1", "Children", INPUT_POL_HIGHER, 1, "5", INPUT_ANNUAL_MEAN);
    fx_measure(f, "CH2", "Children", INPUT_POL_NONE, 1, "5", INPUT_ANNUAL_LAST);
    fx_measure(f, "YR1", "Children", INPUT_POL_HIGHER, 1, "5", INPUT_ANNUAL_LAST);
    fx_measure(f, "NT1", "Adults", INPUT_POL_HIGHER, 1, "5", INPUT_ANNUAL_LAST);
    fx_measure(f, "ST1", "Adults", INPUT_POL_LOWER, 1, "5", INPUT_ANNUAL_LAST);

    /* later row first: a target set in advance, no value yet */
    fx_kpi(f, "ASC1", Q(2023, 4), NOV, V("82"), "");
    fx_kpi(f, "ASC1", Q(2023, 3), V("76"), V("80"), "");
    fx_kpi(f, "ASC1", Q(2023, 2), V("74"), V("75"), "");
    fx_kpi(f, "ASC1", Q(2022, 3), V("70"), V("75"), "");
    fx_kpi(f, "ASC1", Q(2023, 3), V("85"), V("80"), "North");
    fx_kpi(f, "ASC1", Q(2023, 2), V("85.00"), V("80"), "North");
    fx_kpi(f, "ASC1", Q(2023, 3), rp_value_missing(RP_MISS_C), V("80"), "South");
    fx_kpi(f, "ASC1", Q(2023, 2), V("60"), V("80"), "South");

    const char *asc2_21[] = { "7", "8", NULL, "9" };   /* Q3 missing [x] */
    const char *asc2_22[] = { "10", "12", "11", "9" };
    const char *asc2_23[] = { "8", "9", "13" };
    for (int q = 1; q <= 4; q++) {
        fx_kpi(f, "ASC2", Q(2021, q),
               asc2_21[q - 1] ? V(asc2_21[q - 1]) : rp_value_missing(RP_MISS_X),
               NOV, "");
        fx_kpi(f, "ASC2", Q(2022, q), V(asc2_22[q - 1]), NOV, "");
    }
    for (int q = 1; q <= 3; q++)
        fx_kpi(f, "ASC2", Q(2023, q), V(asc2_23[q - 1]),
               q == 3 ? V("11") : NOV, "");

    fx_kpi(f, "CH1", Y(2021), V("60"), NOV, "");
    fx_kpi(f, "CH1", Q(2022, 1), V("61"), NOV, "");
    fx_kpi(f, "CH1", Q(2022, 2), V("62"), NOV, "");
    fx_kpi(f, "CH1", Q(2022, 3), NOV, NOV, "");
    fx_kpi(f, "CH1", Q(2022, 4), V("64"), NOV, "");
    fx_kpi(f, "CH1", Q(2023, 1), V("65"), NOV, "");
    fx_kpi(f, "CH1", Q(2023, 2), V("66"), NOV, "");
    fx_kpi(f, "CH1", Q(2023, 3), V("67"), V("60"), "");

    fx_kpi(f, "CH2", Q(2023, 3), V("5"), V("4"), "");
    fx_kpi(f, "CH2", Q(2023, 2), V("4"), V("4"), "");

    fx_kpi(f, "YR1", Y(2021), V("50"), V("55"), "");
    fx_kpi(f, "YR1", Y(2022), V("56"), V("55"), "");
    fx_kpi(f, "YR1", Y(2023), NOV, V("55"), "");
    fx_kpi(f, "YR1", Y(2024), V("99"), V("55"), "");   /* after the pack */

    fx_kpi(f, "NT1", Q(2023, 3), V("5"), NOV, "");
    fx_kpi(f, "ST1", Q(2022, 4), V("3"), V("4"), "");

    /* finance, £ */
    fx_fin(f, "Adults", Q(2023, 1), "100000000", "101000000", NOV, NOV);
    fx_fin(f, "Adults", Q(2023, 2), "100000000", "103000000", NOV, NOV);
    fx_fin(f, "Adults", Q(2023, 3), "100000000", "102500000",
           V("5000000"), V("4000000"));
    fx_fin(f, "Corporate", Q(2023, 1), "30000000", "29500000", NOV, NOV);
    fx_fin(f, "Corporate", Q(2023, 2), "30000000", "30000000", NOV, NOV);
    fx_fin(f, "Corporate", Q(2023, 3), "30000000", "30100000", NOV, NOV);
    fx_fin(f, "Children", Q(2023, 3), "60000000", "59400000",
           V("2000000"), V("2000000"));
}

typedef fi_world world;

static void world_make(world *w, rp_period p)
{
    build(&w->f);
    rp_errors_init(&w->e);
    assert_int_equal(model_build(&w->f.in, &w->m, &w->e), 0);
    compute_options o;
    compute_options_default(&o);
    assert_int_equal(compute_results_build(&w->m, &o, p, &w->r, &w->e), 0);
    assert_int_equal(w->e.n, 0);
}

static int setup_q3(void **st)
{
    world *w = calloc(1, sizeof *w);
    rp_period none = { 0, 0, 0 };
    world_make(w, none);
    *st = w;
    return 0;
}

static int teardown(void **st)
{
    fi_world_free(*st);
    free(*st);
    return 0;
}

static void test_compute_pack_quarter(void **st)
{
    world *w = *st;
    /* Q4 has only a target, so the latest quarter with a value is Q3 */
    assert_int_equal(w->m.latest_quarter.fy, 2023);
    assert_int_equal(w->m.latest_quarter.q, 3);
    assert_int_equal(w->r.period.q, 3);
    /* 7 measures, ASC1 with two breakdowns: 9 series */
    assert_int_equal(w->r.nratings, 9);
    assert_ptr_equal(w->r.ratings[1].series->breakdown,
                     compute_find_rating(&w->r, "ASC1", "North")->series->breakdown);
}

static void test_compute_ratings(void **st)
{
    world *w = *st;
    const compute_rating *x = compute_find_rating(&w->r, "ASC1", "");
    assert_non_null(x);
    /* 76 vs 80: miss 4 = 5% of 80 → amber; 74 before, 70 a year ago */
    assert_int_equal(x->value.num, D("76"));
    assert_int_equal(x->rag, RP_RAG_AMBER);
    assert_int_equal(x->vs_prev, RP_DIR_IMPROVING);
    assert_int_equal(x->vs_year, RP_DIR_IMPROVING);
    assert_int_equal(x->prev_value.num, D("74"));
    assert_int_equal(x->year_value.num, D("70"));
    assert_int_equal(x->yearly, 0);

    x = compute_find_rating(&w->r, "ASC1", "North");
    assert_int_equal(x->rag, RP_RAG_GREEN);
    assert_int_equal(x->vs_prev, RP_DIR_NO_CHANGE);     /* 85 vs 85.00 */
    assert_int_equal(x->vs_year, RP_DIR_NONE);          /* no 2022/23 Q3 */

    x = compute_find_rating(&w->r, "ASC1", "South");   /* suppressed this quarter */
    assert_false(rp_has(x->value));
    assert_int_equal(x->value.miss, RP_MISS_C);
    assert_int_equal(x->rag, RP_RAG_NONE);
    assert_int_equal(x->vs_prev, RP_DIR_NONE);

    x = compute_find_rating(&w->r, "ASC2", NULL);   /* lower, 13 vs 11, ±2 */
    assert_int_equal(x->rag, RP_RAG_AMBER);
    assert_int_equal(x->vs_prev, RP_DIR_WORSENING);    /* 9 → 13 */
    assert_int_equal(x->vs_year, RP_DIR_WORSENING);    /* 11 → 13 */

    x = compute_find_rating(&w->r, "CH2", "");
    assert_int_equal(x->rag, RP_RAG_NONE);
    assert_int_equal(x->vs_prev, RP_DIR_NONE);

    x = compute_find_rating(&w->r, "NT1", "");
    assert_int_equal(x->rag, RP_RAG_NONE);

    x = compute_find_rating(&w->r, "ST1", "");   /* no fallback to 2022/23 Q4 */
    assert_false(rp_has(x->value));
    assert_int_equal(x->rag, RP_RAG_NONE);
}

static void test_compute_yearly(void **st)
{
    world *w = *st;
    const compute_rating *x = compute_find_rating(&w->r, "YR1", "");
    /* 2023/24 is blank and 2024/25 is after the pack: 2022/23 is used */
    assert_int_equal(x->yearly, 1);
    assert_int_equal(x->period.kind, RP_PER_FYEAR);
    assert_int_equal(x->period.fy, 2022);
    assert_int_equal(x->value.num, D("56"));
    assert_int_equal(x->rag, RP_RAG_GREEN);
    /* a year's change is on the year before, reported as "vs last
     * year" and never as "vs last quarter" (contract) */
    assert_int_equal(x->vs_year, RP_DIR_IMPROVING);   /* 50 → 56 */
    assert_int_equal(x->year_value.num, D("50"));
    assert_int_equal(x->vs_prev, RP_DIR_NONE);
    assert_false(rp_has(x->prev_value));
}

static void test_compute_areas(void **st)
{
    world *w = *st;
    assert_int_equal(w->r.nareas, 3);
    const compute_area *a = &w->r.areas[0];
    assert_string_equal(a->area->name, "Adults");
    /* ASC1 amber, ASC2 amber, NT1 and ST1 unrated; breakdowns not counted */
    assert_int_equal(a->nratings, 4);
    assert_int_equal(a->counts[RP_RAG_AMBER], 2);
    assert_int_equal(a->counts[RP_RAG_GREEN], 0);
    assert_int_equal(a->counts[RP_RAG_NONE], 2);
    assert_int_equal(a->rag, RP_RAG_AMBER);
    a = &w->r.areas[1];
    assert_string_equal(a->area->name, "Children");
    assert_int_equal(a->counts[RP_RAG_GREEN], 2);   /* CH1, YR1 */
    assert_int_equal(a->rag, RP_RAG_GREEN);
    a = &w->r.areas[2];
    assert_string_equal(a->area->name, "Corporate");
    assert_int_equal(a->nratings, 0);
    assert_int_equal(a->rag, RP_RAG_NONE);
    /* overall: 2 green + 2 amber → 10/4 = 2.5 → green */
    assert_int_equal(w->r.counts[RP_RAG_GREEN], 2);
    assert_int_equal(w->r.counts[RP_RAG_AMBER], 2);
    assert_int_equal(w->r.overall, RP_RAG_GREEN);
}

static void test_compute_finance_q3(void **st)
{
    world *w = *st;
    assert_int_equal(w->r.nfinance, 4);
    const compute_finance *f = &w->r.finance[0];
    assert_string_equal(f->service_area, "Adults");
    assert_int_equal(f->variance.num, D("2500000"));
    assert_int_equal(f->variance_pct.num, D("2.5"));
    /* Q2 variance 3m → change −0.5m */
    assert_int_equal(f->prev_variance.num, D("3000000"));
    assert_int_equal(f->change.num, D("-500000"));
    assert_int_equal(f->savings_gap.num, D("1000000"));
    f = &w->r.finance[1];
    assert_string_equal(f->service_area, "Children");
    assert_int_equal(f->variance.num, D("-600000"));
    assert_int_equal(f->variance_pct.num, D("-1"));
    assert_false(rp_has(f->change));     /* no Q2 row */
    assert_int_equal(f->savings_gap.num, 0);
    f = &w->r.finance[2];
    assert_string_equal(f->service_area, "Corporate");
    assert_int_equal(f->change.num, D("100000"));
    assert_false(rp_has(f->savings_gap));
    f = compute_finance_total(&w->r);
    assert_ptr_equal(f, &w->r.finance[3]);
    assert_string_equal(f->service_area, "Total");
    assert_int_equal(f->budget.num, D("190000000"));
    assert_int_equal(f->forecast.num, D("192000000"));
    assert_int_equal(f->variance.num, D("2000000"));
    /* 2/190 × 100 = 1.0526315… → 1.052632 */
    assert_int_equal(f->variance_pct.num, D("1.052632"));
    assert_false(rp_has(f->change));          /* Children had no Q2 */
    /* savings (contract): summed over the areas that have the figure;
     * Corporate's are blank, so Adults 5m + Children 2m against 4m + 2m */
    assert_int_equal(f->savings_target.num, D("5000000") + D("2000000"));
    assert_int_equal(f->savings_forecast.num, D("4000000") + D("2000000"));
    assert_int_equal(f->savings_target_both.num, f->savings_target.num);
    assert_int_equal(f->savings_gap.num, D("1000000"));
}

static void test_compute_finance_q1_q2(void **st)
{
    (void)st;
    world w;
    world_make(&w, Q(2023, 2));
    /* Q2: Adults (var 3m, was 1m) and Corporate (0, was −0.5m) */
    assert_int_equal(w.r.nfinance, 3);
    assert_int_equal(w.r.finance[0].change.num, D("2000000"));
    assert_int_equal(w.r.finance[1].change.num, D("500000"));
    const compute_finance *t = compute_finance_total(&w.r);
    assert_int_equal(t->variance.num, D("3000000"));
    assert_int_equal(t->change.num, D("2500000"));
    fi_world_free(&w);

    world_make(&w, Q(2023, 1));
    t = compute_finance_total(&w.r);
    assert_int_equal(t->variance.num, D("500000"));
    assert_false(rp_has(t->change));
    assert_false(rp_has(w.r.finance[0].change));   /* none at Q1 */
    /* Q1 vs the prior year's Q4: ASC2 8 vs 9 (lower is better) */
    const compute_rating *x = compute_find_rating(&w.r, "ASC2", "");
    assert_int_equal(x->prev_value.num, D("9"));
    assert_int_equal(x->vs_prev, RP_DIR_IMPROVING);
    assert_int_equal(x->year_value.num, D("10"));
    assert_int_equal(x->vs_year, RP_DIR_IMPROVING);
    fi_world_free(&w);
}

static void test_compute_trends(void **st)
{
    world *w = *st;
    /* ASC2 sum: 2021/22 has a missing Q3 → missing; 2022/23 = 42;
     * 2023/24 to Q3 = 30, incomplete; yoy (30−42)/42 = −28.5714285…% */
    const compute_trend *t = compute_find_trend(&w->r, "ASC2");
    assert_non_null(t);
    assert_int_equal(t->nyears, 3);
    assert_int_equal(t->years[0].fy, 2021);
    assert_false(rp_has(t->years[0].value));
    assert_int_equal(t->years[0].value.miss, RP_MISS_X);
    assert_int_equal(t->years[1].value.num, D("42"));
    assert_int_equal(t->years[1].complete, 1);
    assert_int_equal(t->years[1].quarters, 4);
    assert_false(rp_has(t->years[1].yoy_pct));
    assert_int_equal(t->years[2].value.num, D("30"));
    assert_int_equal(t->years[2].complete, 0);
    assert_int_equal(t->years[2].quarters, 3);
    assert_int_equal(t->years[2].yoy_pct.num, D("-28.571429"));
    /* the absolute change beside it, in the measure's unit: 30 − 42 */
    assert_int_equal(t->years[2].yoy_change.num, D("-12"));
    assert_false(rp_has(t->years[1].yoy_change));  /* 2021/22 missing */
    assert_false(rp_has(t->years[0].yoy_change));  /* first year */

    /* CH1 mean: 2021/22 from the year row (60); 2022/23 = (61+62+64)/3 =
     * 62.333333; 2023/24 = (65+66+67)/3 = 66.
     * yoy: 2.333333/60 = 3.8888883…% → 3.888888;
     *      3.666667/62.333333 = 5.8823535…% → 5.882354 */
    t = compute_find_trend(&w->r, "CH1");
    assert_int_equal(t->years[0].from_year_row, 1);
    assert_int_equal(t->years[0].value.num, D("60"));
    assert_int_equal(t->years[1].from_year_row, 0);
    assert_int_equal(t->years[1].quarters, 3);
    assert_int_equal(t->years[1].value.num, D("62.333333"));
    assert_int_equal(t->years[2].value.num, D("66"));
    assert_int_equal(t->years[1].yoy_pct.num, D("3.888888"));
    assert_int_equal(t->years[2].yoy_pct.num, D("5.882354"));
    assert_int_equal(t->years[1].yoy_change.num, D("2.333333"));  /* 62.333333 − 60 */
    assert_int_equal(t->years[2].yoy_change.num, D("3.666667"));  /* 66 − 62.333333 */

    /* ASC1 last: it starts in 2022/23, so 2021/22 is left out (no n/a
     * bar before a series starts); 2022/23 has no Q4 row → missing;
     * 2023/24 = Q3 = 76 */
    t = compute_find_trend(&w->r, "ASC1");
    assert_int_equal(t->nyears, 2);
    assert_int_equal(t->years[0].fy, 2022);
    assert_false(rp_has(t->years[0].value));
    assert_int_equal(t->years[1].value.num, D("76"));
    assert_false(rp_has(t->years[1].yoy_pct));

    /* YR1 from year rows only, by its own years as the trend pack has
     * them: cut where the pack's quarter ends (2023/24 has not ended in
     * December 2023), and 2020/21 is before the data starts */
    t = compute_find_trend(&w->r, "YR1");
    assert_int_equal(t->nyears, 2);
    assert_int_equal(t->years[0].value.num, D("50"));
    assert_int_equal(t->years[1].value.num, D("56"));
    assert_int_equal(t->years[1].yoy_pct.num, D("12"));
    assert_int_equal(w->r.ntrends, 7);
}

static void test_trend_series_direct(void **st)
{
    world *w = *st;
    /* breakdown South, rule last, Q3 suppressed → 2023/24 missing [c] */
    const compute_rating *x = compute_find_rating(&w->r, "ASC1", "South");
    compute_trend t;
    compute_trend_series(x->series, Q(2023, 3), 2, &t);
    assert_int_equal(t.nyears, 2);
    assert_int_equal(t.years[1].fy, 2023);
    assert_int_equal(t.years[1].value.miss, RP_MISS_C);
    compute_trend_free(&t);

    /* pack at 2022/23 Q4: that year is complete, sum 42 */
    x = compute_find_rating(&w->r, "ASC2", "");
    compute_trend_series(x->series, Q(2022, 4), 1, &t);
    assert_int_equal(t.nyears, 1);
    assert_int_equal(t.years[0].complete, 1);
    assert_int_equal(t.years[0].value.num, D("42"));
    compute_trend_free(&t);

    /* pack at 2022/23 Q2 for a sum: Q1+Q2 only, later quarters ignored */
    compute_trend_series(x->series, Q(2022, 2), 1, &t);
    assert_int_equal(t.years[0].value.num, D("22"));
    assert_int_equal(t.years[0].complete, 0);
    compute_trend_free(&t);
}

static const compute_quality *find_dq(const compute_results *r, compute_quality_kind k,
                            const char *id, const char *bd)
{
    for (size_t i = 0; i < r->ndq; i++)
        if (r->dq[i].kind == k && strcmp(r->dq[i].measure->def->id, id) == 0 &&
            strcmp(r->dq[i].breakdown, bd) == 0)
            return &r->dq[i];
    return NULL;
}

static void test_compute_quality(void **st)
{
    world *w = *st;
    const compute_quality *d = find_dq(&w->r, COMPUTE_QUALITY_SUPPRESSED, "ASC1", "South");
    assert_non_null(d);
    assert_int_equal(d->miss, RP_MISS_C);
    assert_non_null(strstr(d->note, "2023/24 Q3"));
    assert_non_null(strstr(d->note, "[c]"));
    d = find_dq(&w->r, COMPUTE_QUALITY_MISSING, "ST1", "");
    assert_non_null(d);
    d = find_dq(&w->r, COMPUTE_QUALITY_STALE, "ST1", "");
    assert_non_null(d);
    assert_non_null(strstr(d->note, "2022/23 Q4"));
    assert_int_equal(d->period.fy, 2022);
    d = find_dq(&w->r, COMPUTE_QUALITY_NO_TARGET, "NT1", "");
    assert_non_null(d);
    d = find_dq(&w->r, COMPUTE_QUALITY_YEARLY, "YR1", "");
    assert_non_null(d);
    assert_non_null(strstr(d->note, "2022/23"));
    /* read but not used: ASC1's 2023/24 Q4 target set in advance; YR1's
     * 2023/24 (target only) and 2024/25 rows, after December 2023 */
    d = find_dq(&w->r, COMPUTE_QUALITY_NOT_USED, "ASC1", "");
    assert_non_null(d);
    assert_string_equal(d->note, "Read but not used, as later than 2023/24 "
                        "Q3: 2023/24 Q4 (target only).");
    d = find_dq(&w->r, COMPUTE_QUALITY_NOT_USED, "YR1", "");
    assert_non_null(d);
    assert_string_equal(d->note, "Read but not used, as later than 2023/24 "
                        "Q3: 2023/24 (target only), 2024/25 (value).");
    /* nothing else: CH2 is unrated by polarity, not by a gap */
    assert_null(find_dq(&w->r, COMPUTE_QUALITY_NO_TARGET, "CH2", ""));
    assert_int_equal(w->r.ndq, 7);
}

static void test_compute_stale_threshold(void **st)
{
    (void)st;
    /* ST1's last value is 2022/23 Q4: at 2023/24 Q2 it is 2 quarters old
     * (not stale with the default 2), at Q3 3 quarters (stale). */
    world w;
    world_make(&w, Q(2023, 2));
    assert_null(find_dq(&w.r, COMPUTE_QUALITY_STALE, "ST1", ""));
    assert_non_null(find_dq(&w.r, COMPUTE_QUALITY_MISSING, "ST1", ""));
    fi_world_free(&w);
}

/* Quartile bands of a rank: the first quarter of positions is the 1st. */
static void test_compute_quartile(void **st)
{
    (void)st;
    assert_int_equal(compute_quartile(1, 152), 1);
    assert_int_equal(compute_quartile(38, 152), 1);     /* 152 / 4 = 38 */
    assert_int_equal(compute_quartile(39, 152), 2);
    assert_int_equal(compute_quartile(41, 152), 2);
    assert_int_equal(compute_quartile(76, 152), 2);
    assert_int_equal(compute_quartile(77, 152), 3);
    assert_int_equal(compute_quartile(115, 152), 4);
    assert_int_equal(compute_quartile(152, 152), 4);
    assert_int_equal(compute_quartile(1, 1), 1);
    assert_int_equal(compute_quartile(0, 152), 0);      /* not given */
    assert_int_equal(compute_quartile(153, 152), 0);
}

/* A pack of chosen measures computes only them; a denominator under the
 * threshold is volatile. */
static void test_compute_include_and_volatile(void **st)
{
    (void)st;
    fx f;
    build(&f);
    /* ASC1's Q3 value 76 is 19 of 25 */
    input_kpi_extra asc1_x = { .neighbours = rp_value_missing(RP_MISS_EMPTY),
                               .region = "" };
    asc1_x.numerator = V("19");
    asc1_x.denominator = V("25");
    for (size_t i = 0; i < f.in.nkpis; i++) {
        input_kpi_row *k = &f.in.kpis[i];
        if (strcmp(k->measure, "ASC1") == 0 && !k->breakdown[0] &&
            rp_period_cmp(k->period, Q(2023, 3)) == 0) {
            k->extra = &asc1_x;
        }
    }
    model m;
    rp_errors e;
    rp_errors_init(&e);
    assert_int_equal(model_build(&f.in, &m, &e), 0);
    unsigned char *inc = calloc(m.nmeasures, 1);
    const model_measure *asc1 = model_find_measure(&m, "ASC1");
    const model_measure *ch1 = model_find_measure(&m, "CH1");
    inc[asc1 - m.measures] = 1;
    inc[ch1 - m.measures] = 1;
    compute_options o;
    compute_options_default(&o);
    assert_int_equal(o.small_denominator, 30);
    o.include = inc;
    compute_results r;
    assert_int_equal(compute_results_build(&m, &o, Q(2023, 3), &r, &e), 0);
    for (size_t i = 0; i < r.nratings; i++)
        assert_true(r.ratings[i].measure == asc1 || r.ratings[i].measure == ch1);
    for (size_t i = 0; i < r.ntrends; i++)
        assert_true(r.trends[i].measure == asc1 || r.trends[i].measure == ch1);
    for (size_t i = 0; i < r.ndq; i++)
        assert_true(r.dq[i].measure == asc1 || r.dq[i].measure == ch1);
    /* roll-up of only the chosen: the whole-authority ratings counted */
    size_t rated = 0;
    for (int k = 0; k < RP_RAG_COUNT; k++)
        rated += r.counts[k];
    assert_int_equal(rated, 2);
    const compute_rating *x = compute_find_rating(&r, "ASC1", "");
    assert_int_equal(x->denominator.num, 25 * RP_SCALE);
    const compute_quality *q = find_dq(&r, COMPUTE_QUALITY_VOLATILE, "ASC1", "");
    assert_non_null(q);
    assert_non_null(strstr(q->note, "25 cases (fewer than 30)"));
    compute_results_free(&r);
    /* at a threshold of 25 it is not volatile: below, not at */
    o.small_denominator = 25;
    assert_int_equal(compute_results_build(&m, &o, Q(2023, 3), &r, &e), 0);
    assert_null(find_dq(&r, COMPUTE_QUALITY_VOLATILE, "ASC1", ""));
    compute_results_free(&r);
    free(inc);
    model_free(&m);
    rp_errors_free(&e);
    fi_free(&f);
}

static void test_compute_bad_period(void **st)
{
    (void)st;
    fx f;
    build(&f);
    model m;
    rp_errors e;
    rp_errors_init(&e);
    assert_int_equal(model_build(&f.in, &m, &e), 0);
    compute_results r;
    assert_int_equal(compute_results_build(&m, NULL, Q(2019, 1), &r, &e), -1);
    assert_int_equal(e.nerrors, 1);
    assert_non_null(strstr(e.v[0].message, "2019/20 Q1"));
    compute_results_free(&r);
    /* a year is a yearly pack now; one with no value at all is an error */
    assert_int_equal(compute_results_build(&m, NULL, Y(2015), &r, &e), -1);
    assert_int_equal(e.nerrors, 2);
    assert_non_null(strstr(e.v[1].message, "no value for 2015/16"));
    compute_results_free(&r);
    model_free(&m);
    rp_errors_free(&e);
    fi_free(&f);
}

static void test_compute_breakdown_without_target(void **st)
{
    (void)st;
    /* Breakdowns are detail: a district without its own target is normal,
     * so only a whole-authority series without one is a finding. */
    fx f;
    fx_init(&f);
    fx_measure(&f, "M", "Place", INPUT_POL_HIGHER, 1, "5", INPUT_ANNUAL_LAST);
    fx_measure(&f, "N", "Place", INPUT_POL_HIGHER, 1, "5", INPUT_ANNUAL_LAST);
    fx_kpi(&f, "M", Q(2023, 3), V("5"), V("4"), "");
    fx_kpi(&f, "M", Q(2023, 3), V("3"), NOV, "East");
    fx_kpi(&f, "N", Q(2023, 3), V("5"), NOV, "");
    fx_kpi(&f, "N", Q(2023, 3), V("3"), NOV, "East");
    model m;
    rp_errors e;
    rp_errors_init(&e);
    assert_int_equal(model_build(&f.in, &m, &e), 0);
    compute_results r;
    assert_int_equal(compute_results_build(&m, NULL, Q(2023, 3), &r, &e), 0);
    assert_null(find_dq(&r, COMPUTE_QUALITY_NO_TARGET, "M", ""));
    assert_null(find_dq(&r, COMPUTE_QUALITY_NO_TARGET, "M", "East"));
    assert_non_null(find_dq(&r, COMPUTE_QUALITY_NO_TARGET, "N", ""));
    assert_null(find_dq(&r, COMPUTE_QUALITY_NO_TARGET, "N", "East"));
    compute_results_free(&r);
    model_free(&m);
    rp_errors_free(&e);
    fi_free(&f);
}

static void test_compute_calendar_years(void **st)
{
    (void)st;
    /* calendar 2023 ends Dec 2023, inside 2023/24; 2024 ends after it */
    fx f;
    fx_init(&f);
    fx_measure(&f, "CY", "Place", INPUT_POL_HIGHER, 1, "5", INPUT_ANNUAL_LAST);
    fx_measure(&f, "Q", "Place", INPUT_POL_HIGHER, 1, "5", INPUT_ANNUAL_LAST);
    rp_period c23 = { RP_PER_CYEAR, 2023, 0 }, c24 = { RP_PER_CYEAR, 2024, 0 };
    fx_kpi(&f, "CY", c24, V("9"), V("1"), "");
    fx_kpi(&f, "CY", c23, V("2"), V("1"), "");
    fx_kpi(&f, "Q", Q(2023, 4), V("1"), NOV, "");
    model m;
    rp_errors e;
    rp_errors_init(&e);
    assert_int_equal(model_build(&f.in, &m, &e), 0);
    compute_results r;
    assert_int_equal(compute_results_build(&m, NULL, Q(2023, 4), &r, &e), 0);
    const compute_rating *x = compute_find_rating(&r, "CY", "");
    assert_int_equal(x->yearly, 1);
    assert_int_equal(x->period.kind, RP_PER_CYEAR);
    assert_int_equal(x->period.fy, 2023);
    assert_int_equal(x->value.num, D("2"));
    compute_results_free(&r);
    model_free(&m);
    rp_errors_free(&e);
    fi_free(&f);
}

/* ---- year to date, like for like ----------------------------------------
 * Three measures, one per annual rule, with hand-made quarters:
 *   S (sum):  2022/23 Q1..Q4 = 10, 20, 30, 100; 2023/24 Q1..Q3 = 12, 21, 30
 *   M (mean): 2022/23 Q1..Q4 = 50, 60, 70, 90;  2023/24 Q1..Q3 = 55, 65, 75
 *   L (last): 2022/23 Q1..Q4 = 5, 6, 8, 9;      2023/24 Q1..Q3 = 7, 7, 10
 *   G (sum):  2022/23 Q2 blank, others 10;      2023/24 Q1..Q3 = 10 each
 *   R (sum):  2022/23 from a year row only;     2023/24 Q1..Q3 = 1 each */
typedef struct ytd_world { fx f; model m; rp_errors e; } ytd_world;

static void ytd_make(ytd_world *w)
{
    fx_init(&w->f);
    fx *f = &w->f;
    static const struct { const char *id; input_annual a; const char *v[7]; } m[] = {
        { "S", INPUT_ANNUAL_SUM,  { "10", "20", "30", "100", "12", "21", "30" } },
        { "M", INPUT_ANNUAL_MEAN, { "50", "60", "70", "90", "55", "65", "75" } },
        { "L", INPUT_ANNUAL_LAST, { "5", "6", "8", "9", "7", "7", "10" } },
        { "G", INPUT_ANNUAL_SUM,  { "10", NULL, "10", "10", "10", "10", "10" } },
    };
    for (size_t i = 0; i < 4; i++) {
        fx_measure(f, m[i].id, "A", INPUT_POL_HIGHER, 0, "0", m[i].a);
        for (int k = 0; k < 7; k++)
            fx_kpi(f, m[i].id, Q(2022 + k / 4, k % 4 + 1),
                   m[i].v[k] ? V(m[i].v[k]) : NOV, NOV, "");
    }
    fx_measure(f, "R", "A", INPUT_POL_HIGHER, 0, "0", INPUT_ANNUAL_SUM);
    fx_kpi(f, "R", Y(2022), V("4"), NOV, "");
    for (int q = 1; q <= 3; q++)
        fx_kpi(f, "R", Q(2023, q), V("1"), NOV, "");
    rp_errors_init(&w->e);
    assert_int_equal(model_build(&f->in, &w->m, &w->e), 0);
}

static void ytd_free(ytd_world *w)
{
    model_free(&w->m);
    rp_errors_free(&w->e);
    fi_free(&w->f);
}

static void ytd_trend(ytd_world *w, const char *id, rp_period pack, int years,
                      compute_trend *t)
{
    const model_measure *x = model_find_measure(&w->m, id);
    assert_non_null(x);
    compute_trend_series(x->whole, pack, years, t);
    assert_int_equal(t->nyears, (size_t)years);
}

/* A cumulative (year-to-date) measure: council tax collected, percent,
 * higher is better, resetting each April. Its own annual rule says `sum`
 * here on purpose: a cumulative figure's year is its Q4 value whatever
 * the rule, since adding running totals means nothing. */
static void test_cumulative(void **st)
{
    (void)st;
    fx f;
    fx_init(&f);
    fx_measure(&f, "CTAX", "Corporate", INPUT_POL_HIGHER, 1, "3",
               INPUT_ANNUAL_SUM);
    f.in.measures[f.in.nmeasures - 1].cumulative = 1;
    /* the same series, not cumulative, to show what it would have said */
    fx_measure(&f, "PLAIN", "Corporate", INPUT_POL_HIGHER, 1, "3",
               INPUT_ANNUAL_LAST);
    static const char *const v[6] = { "33.0", "66.1", "98.1", "98.5",
                                       "33.6", "66.3" };
    for (int k = 0; k < 6; k++) {
        fx_kpi(&f, "CTAX", Q(2022 + k / 4, k % 4 + 1), V(v[k]), V("30"), "");
        fx_kpi(&f, "PLAIN", Q(2022 + k / 4, k % 4 + 1), V(v[k]), V("30"), "");
    }
    model m;
    rp_errors e;
    rp_errors_init(&e);
    assert_int_equal(model_build(&f.in, &m, &e), 0);
    compute_results r;

    /* Q1 after the April reset: 98.5% at Q4 → 33.6% at Q1 is no
     * "worsening"; against 2022/23 Q1 (33.0%) it is improving */
    assert_int_equal(compute_results_build(&m, NULL, Q(2023, 1), &r, &e), 0);
    const compute_rating *x = compute_find_rating(&r, "CTAX", "");
    assert_int_equal(x->vs_prev, RP_DIR_NONE);
    assert_false(rp_has(x->prev_value));
    assert_int_equal(x->vs_year, RP_DIR_IMPROVING);
    assert_int_equal(x->year_value.num, D("33"));
    const compute_rating *p = compute_find_rating(&r, "PLAIN", "");
    assert_int_equal(p->vs_prev, RP_DIR_WORSENING);    /* what it said */
    /* the year's figure is the Q4 value, 98.5, never 33+66.1+98.1+98.5;
     * the year to date is Q1's 33.6, compared like for like with 2022/23
     * Q1: 33.6 − 33 = 0.6 points, 0.6 / 33 = 1.818182% */
    const compute_trend *t = compute_find_trend(&r, "CTAX");
    const compute_year *y = &t->years[t->nyears - 1];
    assert_int_equal(t->years[t->nyears - 2].value.num, D("98.5"));
    assert_int_equal(y->value.num, D("33.6"));
    assert_int_equal(y->complete, 0);
    assert_int_equal(y->ytd_prev.num, D("33"));
    assert_int_equal(y->ytd_change.num, D("0.6"));
    assert_int_equal(y->ytd_yoy_pct.num, D("1.818182"));
    compute_results_free(&r);

    /* Q2: still never against the previous quarter; the year to date is
     * Q2's own value (66.3), like for like on 2022/23 Q2 (66.1) */
    assert_int_equal(compute_results_build(&m, NULL, Q(2023, 2), &r, &e), 0);
    x = compute_find_rating(&r, "CTAX", "");
    assert_int_equal(x->vs_prev, RP_DIR_NONE);
    assert_int_equal(x->vs_year, RP_DIR_IMPROVING);
    t = compute_find_trend(&r, "CTAX");
    y = &t->years[t->nyears - 1];
    assert_int_equal(y->value.num, D("66.3"));
    assert_int_equal(y->ytd_prev.num, D("66.1"));
    assert_int_equal(y->ytd_change.num, D("0.2"));
    compute_results_free(&r);
    model_free(&m);
    rp_errors_free(&e);
    fi_free(&f);
}

static void test_trend_ytd_like_for_like(void **st)
{
    (void)st;
    ytd_world w;
    ytd_make(&w);
    compute_trend t;

    /* sum: 12+21+30 = 63 against 10+20+30 = 60 → +5%; against the whole
     * of 2022/23 (160) it is (63−160)/160 = −60.625% */
    ytd_trend(&w, "S", Q(2023, 3), 2, &t);
    assert_int_equal(t.years[1].value.num, D("63"));
    assert_int_equal(t.years[1].yoy_pct.num, D("-60.625"));
    assert_int_equal(t.years[1].ytd_prev.num, D("60"));
    assert_int_equal(t.years[1].ytd_yoy_pct.num, D("5"));
    assert_int_equal(t.years[1].yoy_change.num, D("-97"));     /* 63 − 160 */
    assert_int_equal(t.years[1].ytd_change.num, D("3"));       /* 63 − 60 */
    assert_false(rp_has(t.years[0].ytd_change));
    /* the complete year has no like-for-like figure */
    assert_false(rp_has(t.years[0].ytd_prev));
    assert_false(rp_has(t.years[0].ytd_yoy_pct));
    compute_trend_free(&t);

    /* mean: (55+65+75)/3 = 65 against (50+60+70)/3 = 60 → 8.333333%
     * (25/3 rounded to 6 places); the whole year's mean is 67.5 */
    ytd_trend(&w, "M", Q(2023, 3), 2, &t);
    assert_int_equal(t.years[1].value.num, D("65"));
    assert_int_equal(t.years[1].ytd_prev.num, D("60"));
    assert_int_equal(t.years[1].ytd_yoy_pct.num, D("8.333333"));
    assert_int_equal(t.years[0].value.num, D("67.5"));
    compute_trend_free(&t);

    /* last: Q3 10 against 2022/23 Q3 8 → +25%; at Q2: 7 against 6 →
     * 16.666667% (100/6 rounded half away from zero) */
    ytd_trend(&w, "L", Q(2023, 3), 2, &t);
    assert_int_equal(t.years[1].ytd_prev.num, D("8"));
    assert_int_equal(t.years[1].ytd_yoy_pct.num, D("25"));
    assert_int_equal(t.years[1].yoy_pct.num, D("11.111111"));   /* 1/9 */
    compute_trend_free(&t);
    ytd_trend(&w, "L", Q(2023, 2), 2, &t);
    assert_int_equal(t.years[1].ytd_prev.num, D("6"));
    assert_int_equal(t.years[1].ytd_yoy_pct.num, D("16.666667"));
    compute_trend_free(&t);

    /* sum with a missing quarter among the previous year's Q1–Q3: no
     * like-for-like figure; at Q1 only Q1 is needed, so there is one */
    ytd_trend(&w, "G", Q(2023, 3), 2, &t);
    assert_int_equal(t.years[1].value.num, D("30"));
    assert_false(rp_has(t.years[1].ytd_prev));
    assert_false(rp_has(t.years[1].ytd_yoy_pct));
    compute_trend_free(&t);
    ytd_trend(&w, "G", Q(2023, 1), 2, &t);
    assert_int_equal(t.years[1].ytd_prev.num, D("10"));
    assert_int_equal(t.years[1].ytd_yoy_pct.num, D("0"));
    compute_trend_free(&t);

    /* a year row cannot be split into quarters: no like-for-like figure,
     * though the contract's change on the whole year is there (3 vs 4) */
    ytd_trend(&w, "R", Q(2023, 3), 2, &t);
    assert_int_equal(t.years[1].yoy_pct.num, D("-25"));
    assert_false(rp_has(t.years[1].ytd_prev));
    compute_trend_free(&t);

    /* a complete pack year (Q4) has none either */
    ytd_trend(&w, "S", Q(2022, 4), 1, &t);
    assert_int_equal(t.years[0].complete, 1);
    assert_false(rp_has(t.years[0].ytd_prev));
    assert_false(rp_has(t.years[0].ytd_yoy_pct));
    compute_trend_free(&t);

    /* the first year shown still gets it: the year before exists */
    ytd_trend(&w, "S", Q(2023, 2), 1, &t);
    assert_int_equal(t.years[0].ytd_prev.num, D("30"));         /* 10+20 */
    assert_int_equal(t.years[0].ytd_yoy_pct.num, D("10"));      /* 33/30 */
    assert_false(rp_has(t.years[0].yoy_pct));
    compute_trend_free(&t);
    ytd_free(&w);
}

/* The default quarter (contract): the latest quarter in which at least
 * half of the rated quarterly measures have a value. One early Q4 figure
 * (and targets set in advance) must not make a nearly empty Q4 pack; the
 * later quarter is named in a warning. Ten measures like a district's,
 * one monitored (polarity none, not counted). */
static void test_compute_default_quarter(void **st)
{
    (void)st;
    fi_input f;
    fi_init(&f, "in/measures.csv", "in/kpi.csv", "in/finance.csv");
    char id[16];
    for (int i = 0; i < 10; i++) {
        snprintf(id, sizeof id, "KPI%02d", i);
        input_measure_row *m = fi_measure(&f, 2 + i, id, "Housing");
        m->polarity = i == 9 ? INPUT_POL_NONE : INPUT_POL_HIGHER;
        for (int q = 1; q <= 3; q++)
            fi_kpi(&f, 0, id, Q(2023, q), V("10"), V("9"), NULL);
        /* targets for Q4 set in advance, no value */
        fi_kpi(&f, 0, id, Q(2023, 4), NOV, V("9"), NULL);
    }
    /* one early Q4 figure, and the monitored one's */
    f.in.kpis[3].value = V("11");
    f.in.kpis[39].value = V("11");
    model m;
    rp_errors e;
    rp_errors_init(&e);
    assert_int_equal(model_build(&f.in, &m, &e), 0);
    assert_int_equal(m.latest_quarter.q, 4);     /* any value */
    rp_period p = compute_default_period(&m, &e);
    assert_int_equal(p.kind, RP_PER_QUARTER);
    assert_int_equal(p.fy, 2023);
    assert_int_equal(p.q, 3);
    assert_int_equal(e.nwarnings, 1);
    char buf[512];
    rp_error_format(&e.v[0], buf, sizeof buf);
    assert_string_equal(buf, "in/kpi.csv: period: warning: 2023/24 Q4 has "
                        "values for only 1 of the 9 rated quarterly measures, "
                        "so the pack is for 2023/24 Q3 (ask for -p "
                        "\"2023/24 Q4\" to make the later one)");
    rp_errors_free(&e);
    /* with five of nine (at least half) Q4 qualifies, no warning */
    for (int i = 0; i < 5; i++)
        f.in.kpis[i * 4 + 3].value = V("12");
    model_free(&m);
    rp_errors_init(&e);
    assert_int_equal(model_build(&f.in, &m, &e), 0);
    p = compute_default_period(&m, &e);
    assert_int_equal(p.q, 4);
    assert_int_equal(e.nwarnings, 0);
    model_free(&m);
    rp_errors_free(&e);
    /* no quarter has a value: the latest year with one */
    fi_free(&f);
    fi_init(&f, "in/measures.csv", "in/kpi.csv", "in/finance.csv");
    fi_measure(&f, 2, "NEET", "Children")->polarity = INPUT_POL_LOWER;
    fi_kpi(&f, 2, "NEET", rp_fyear(2023), V("5.1"), NOV, NULL);
    fi_kpi(&f, 3, "NEET", rp_fyear(2024), V("5.6"), NOV, NULL);
    rp_errors_init(&e);
    assert_int_equal(model_build(&f.in, &m, &e), 0);
    p = compute_default_period(&m, &e);
    assert_int_equal(p.kind, RP_PER_FYEAR);
    assert_int_equal(p.fy, 2024);
    model_free(&m);
    rp_errors_free(&e);
    fi_free(&f);
}

/* ---- shared arithmetic: months and percentage change ------------------ */

static void test_end_month_and_quarter(void **st)
{
    (void)st;
    /* months since year 0, January = 0: 2023/24 Q3 is October–December
     * 2023; FY 2023/24 ends March 2024; AY 2023/24 ends August 2024;
     * calendar 2024 ends December 2024 */
    assert_int_equal(compute_end_month(Q(2023, 3)), 2023L * 12 + 11);
    assert_int_equal(compute_end_month(Y(2023)), 2024L * 12 + 2);
    rp_period ay = { .kind = RP_PER_AYEAR, .fy = 2023 };
    rp_period cy = { .kind = RP_PER_CYEAR, .fy = 2024 };
    assert_int_equal(compute_end_month(ay), 2024L * 12 + 7);
    assert_int_equal(compute_end_month(cy), 2024L * 12 + 11);
    /* January 2024 is in 2023/24 Q4, April 2024 opens 2024/25 */
    rp_period q = compute_quarter_of(2024L * 12 + 0);
    assert_int_equal(q.fy, 2023);
    assert_int_equal(q.q, 4);
    q = compute_quarter_of(2024L * 12 + 3);
    assert_int_equal(q.fy, 2024);
    assert_int_equal(q.q, 1);
    /* a year's end month lies in its own last quarter */
    q = compute_quarter_of(compute_end_month(Y(2023)));
    assert_int_equal(rp_period_cmp(q, Q(2023, 4)), 0);
}

static void test_pct_change(void **st)
{
    (void)st;
    /* (8 − 10) / 10 = −20%; (−5 − (−10)) / |−10| = +50% */
    assert_int_equal(compute_pct_change(V("8"), V("10")).num, D("-20"));
    assert_int_equal(compute_pct_change(V("-5"), V("-10")).num, D("50"));
    assert_false(rp_has(compute_pct_change(V("8"), V("0"))));
    assert_false(rp_has(compute_pct_change(NOV, V("10"))));
    assert_false(rp_has(compute_pct_change(V("8"), NOV)));
    /* 9e12 − (−9e12) does not fit rp_num: missing, never wrapped */
    assert_false(rp_has(compute_pct_change(V("9000000000000"),
                                           V("-9000000000000"))));
}

/* A yearly recycling rate (a district's corporate-plan indicator, by
 * financial year, no target): its change is against the year before, as
 * "vs last year"; with no target it is not rated, so the appendix never
 * says "Rated on". */
static void test_compute_yearly_not_rated(void **st)
{
    (void)st;
    fi_input f;
    fi_init(&f, "in/measures.csv", "in/kpi.csv", "in/finance.csv");
    input_measure_row *m = fi_measure(&f, 2, "RECYCLING", "Environment");
    m->polarity = INPUT_POL_HIGHER;
    m->unit = RP_UNIT_PERCENT;
    fi_kpi(&f, 2, "RECYCLING", rp_fyear(2021), V("44.6"), NOV, NULL);
    fi_kpi(&f, 3, "RECYCLING", rp_fyear(2022), V("41.0"), NOV, NULL);
    fi_measure(&f, 3, "Q", "Environment")->polarity = INPUT_POL_HIGHER;
    fi_kpi(&f, 4, "Q", Q(2023, 3), V("1"), V("1"), NULL);
    model mo;
    compute_results r;
    rp_errors e;
    rp_errors_init(&e);
    assert_int_equal(model_build(&f.in, &mo, &e), 0);
    assert_int_equal(compute_results_build(&mo, NULL, Q(2023, 3), &r, &e), 0);
    const compute_rating *x = compute_find_rating(&r, "RECYCLING", "");
    assert_true(x->yearly);
    assert_int_equal(x->rag, RP_RAG_NONE);
    assert_int_equal(x->vs_year, RP_DIR_WORSENING);    /* 44.6 → 41.0 */
    assert_int_equal(x->vs_prev, RP_DIR_NONE);
    int seen = 0;
    for (size_t i = 0; i < r.ndq; i++)
        if (r.dq[i].kind == COMPUTE_QUALITY_YEARLY) {
            assert_string_equal(r.dq[i].note, "Figure for 2022/23, the latest "
                                "year reported (not rated).");
            seen = 1;
        }
    assert_true(seen);
    compute_results_free(&r);
    model_free(&mo);
    rp_errors_free(&e);
    fi_free(&f);
}

/* DfE's NEET file (participation of 16-17 year olds) labels the
 * December 2024 to February 2025 average "2025", a calendar year. With
 * `year_ends: Feb` it was measured up to February 2025, before the end of
 * 2024/25 Q4, so it leads that pack (7.4%, up from 2.3%; England 5.6%);
 * without it, calendar 2025 ends in December and is too late. */
static void neet_fixture(fi_input *f, int year_ends)
{
    fi_init(f, "in/measures.csv", "in/kpi.csv", "in/finance.csv");
    input_measure_row *m = fi_measure(f, 2, "NEET_16_17", "Children");
    m->polarity = INPUT_POL_LOWER;
    m->unit = RP_UNIT_PERCENT;
    m->year_ends = year_ends;
    fi_measure(f, 3, "Q", "Children")->polarity = INPUT_POL_HIGHER;
    rp_period c24 = { RP_PER_CYEAR, 2024, 0 }, c25 = { RP_PER_CYEAR, 2025, 0 };
    fi_kpi(f, 2, "NEET_16_17", c24, V("2.3"), NOV, NULL)->national = V("5.4");
    fi_kpi(f, 3, "NEET_16_17", c25, V("7.4"), NOV, NULL)->national = V("5.6");
    fi_kpi(f, 4, "Q", Q(2024, 4), V("1"), V("1"), NULL);
    fi_kpi(f, 5, "Q", Q(2024, 3), V("1"), V("1"), NULL);
}

static void test_compute_year_ends(void **st)
{
    (void)st;
    rp_period c25 = { RP_PER_CYEAR, 2025, 0 };
    input_measure_row feb = { .year_ends = 2 };
    assert_int_equal(compute_measure_end_month(&feb, c25), 2025L * 12 + 1);
    assert_int_equal(compute_measure_end_month(NULL, c25), 2025L * 12 + 11);
    /* AY 2024/25 measured in January (a school census): January 2025 */
    input_measure_row jan = { .year_ends = 1 };
    rp_period ay = { RP_PER_AYEAR, 2024, 0 };
    assert_int_equal(compute_measure_end_month(&jan, ay), 2025L * 12 + 0);
    for (int ye = 2; ye >= 0; ye -= 2) {
        fi_input f;
        neet_fixture(&f, ye);
        model mo;
        compute_results r;
        rp_errors e;
        rp_errors_init(&e);
        assert_int_equal(model_build(&f.in, &mo, &e), 0);
        assert_int_equal(compute_results_build(&mo, NULL, Q(2024, 4), &r, &e), 0);
        const compute_rating *x = compute_find_rating(&r, "NEET_16_17", "");
        assert_int_equal(x->period.kind, RP_PER_CYEAR);
        assert_int_equal(x->period.fy, ye ? 2025 : 2024);
        assert_int_equal(x->value.num, D(ye ? "7.4" : "2.3"));
        if (ye) {
            assert_int_equal(x->national.num, D("5.6"));
            assert_int_equal(x->vs_year, RP_DIR_WORSENING);   /* 2.3 → 7.4 */
        }
        compute_results_free(&r);
        /* a Q3 pack ends in December 2024: 2025 is not yet measured */
        assert_int_equal(compute_results_build(&mo, NULL, Q(2024, 3), &r, &e), 0);
        x = compute_find_rating(&r, "NEET_16_17", "");
        assert_int_equal(x->period.fy, 2024);
        compute_results_free(&r);
        model_free(&mo);
        rp_errors_free(&e);
        fi_free(&f);
    }
}

/* A yearly pack (-p 2024/25): a district's quarterly KPIs and a DfE
 * whole-year figure. Quarterly series give their annual figure only when
 * the year is complete (a Q4 value); target: the year row's, else Q4's
 * for `last`; direction against the year before only; finance is the Q4
 * position. */
static void test_compute_yearly_pack(void **st)
{
    (void)st;
    fx f;
    fx_init(&f);
    /* stock, `last`: 2023/24 Q4 = 900, 2024/25 Q4 = 950 (target 1000) */
    fx_measure(&f, "HOMES", "Place", INPUT_POL_HIGHER, 1, "5", INPUT_ANNUAL_LAST);
    /* flow, `sum`: 2024/25 complete 10+20+30+40 = 100; 2023/24 = 4×20 */
    fx_measure(&f, "POT", "Place", INPUT_POL_HIGHER, 1, "5", INPUT_ANNUAL_SUM);
    /* `sum` with no Q4 value yet: not complete, so not available */
    fx_measure(&f, "LATE", "Place", INPUT_POL_HIGHER, 1, "5", INPUT_ANNUAL_SUM);
    fx_measure(&f, "NEET", "Place", INPUT_POL_LOWER, 1, "5", INPUT_ANNUAL_LAST);
    f.in.measures[3].year_ends = 2;
    /* cumulative (year to date) whatever its annual rule: the year is Q4's
     * figure and Q4's target */
    fx_measure(&f, "CTAX", "Place", INPUT_POL_HIGHER, 1, "5", INPUT_ANNUAL_SUM);
    f.in.measures[4].cumulative = 1;
    fx_kpi(&f, "CTAX", Q(2024, 3), V("80"), V("81"), "");
    fx_kpi(&f, "CTAX", Q(2024, 4), V("98"), V("97"), "");
    fx_kpi(&f, "HOMES", Q(2023, 4), V("900"), NOV, "");
    fx_kpi(&f, "HOMES", Q(2024, 3), V("930"), V("990"), "");
    fx_kpi(&f, "HOMES", Q(2024, 4), V("950"), V("1000"), "");
    for (int q = 1; q <= 4; q++) {
        char v[8];
        snprintf(v, sizeof v, "%d", q * 10);
        fx_kpi(&f, "POT", Q(2024, q), V(v), NOV, "");
        fx_kpi(&f, "POT", Q(2023, q), V("20"), NOV, "");
        if (q < 4)
            fx_kpi(&f, "LATE", Q(2024, q), V("5"), NOV, "");
    }
    fx_kpi(&f, "POT", Y(2024), NOV, V("90"), "");   /* the year's target */
    fx_kpi(&f, "LATE", Q(2024, 4), NOV, V("5"), "");
    rp_period c24 = { RP_PER_CYEAR, 2024, 0 }, c25 = { RP_PER_CYEAR, 2025, 0 };
    fx_kpi(&f, "NEET", c24, V("2.3"), NOV, "");
    fx_kpi(&f, "NEET", c25, V("7.4"), NOV, "");
    fx_fin(&f, "Place", Q(2024, 3), "1000", "1030", NOV, NOV);
    fx_fin(&f, "Place", Q(2024, 4), "1000", "1010", NOV, NOV);
    model m;
    rp_errors e;
    rp_errors_init(&e);
    assert_int_equal(model_build(&f.in, &m, &e), 0);
    compute_results r;
    assert_int_equal(compute_results_build(&m, NULL, Y(2024), &r, &e), 0);
    assert_int_equal(r.period.kind, RP_PER_FYEAR);
    const compute_rating *x = compute_find_rating(&r, "HOMES", "");
    assert_int_equal(x->period.kind, RP_PER_FYEAR);
    assert_int_equal(x->value.num, D("950"));
    assert_int_equal(x->target.num, D("1000"));      /* Q4's, `last` */
    assert_int_equal(x->rag, RP_RAG_AMBER);          /* 5% of 1000 = 50 */
    assert_int_equal(x->vs_prev, RP_DIR_NONE);       /* no "last quarter" */
    assert_int_equal(x->vs_year, RP_DIR_IMPROVING);  /* 900 → 950 */
    x = compute_find_rating(&r, "POT", "");
    assert_int_equal(x->value.num, D("100"));
    assert_int_equal(x->target.num, D("90"));        /* the year row's */
    assert_int_equal(x->rag, RP_RAG_GREEN);
    assert_int_equal(x->year_value.num, D("80"));
    x = compute_find_rating(&r, "LATE", "");
    assert_false(rp_has(x->value));
    assert_false(rp_has(x->target));                 /* `sum`: no Q4 target */
    const compute_quality *d = find_dq(&r, COMPUTE_QUALITY_MISSING, "LATE", "");
    assert_non_null(d);
    assert_non_null(strstr(d->note, "only when complete"));
    x = compute_find_rating(&r, "CTAX", "");
    assert_int_equal(x->value.num, D("98"));         /* Q4, not 80 + 98 */
    assert_int_equal(x->target.num, D("97"));        /* Q4's, cumulative */
    assert_int_equal(x->rag, RP_RAG_GREEN);
    x = compute_find_rating(&r, "NEET", "");        /* measured to Feb 2025 */
    assert_int_equal(x->period.fy, 2025);
    assert_int_equal(x->value.num, D("7.4"));
    /* finance: the Q4 position, the outturn */
    const compute_finance *tot = compute_finance_total(&r);
    assert_non_null(tot);
    assert_int_equal(rp_period_cmp(tot->period, Q(2024, 4)), 0);
    assert_int_equal(tot->variance.num, D("10"));
    compute_results_free(&r);
    /* a calendar-year pack reports the last financial year ended by its
     * end: 2025 → 2024/25 */
    assert_int_equal(compute_pack_fy(c25), 2024);
    rp_period ay = { RP_PER_AYEAR, 2024, 0 };
    assert_int_equal(compute_pack_fy(ay), 2024);
    assert_int_equal(compute_pack_fy(Y(2024)), 2024);
    assert_int_equal(compute_results_build(&m, NULL, c25, &r, &e), 0);
    x = compute_find_rating(&r, "HOMES", "");
    assert_int_equal(x->value.num, D("950"));
    assert_non_null(compute_finance_total(&r));
    compute_results_free(&r);
    model_free(&m);
    rp_errors_free(&e);
    fi_free(&f);
}

/* Stale yearly figures (a corporate-plan indicator last published for
 * 2021/22, DfE's tribunal appeal rate last for calendar 2022): older than
 * the year before the pack's year is stale, named with its period; the
 * year before is not. Not rated, so never "Rated on". */
static void test_compute_stale_yearly(void **st)
{
    (void)st;
    fx f;
    fx_init(&f);
    fx_measure(&f, "OLD", "Place", INPUT_POL_HIGHER, 1, "5", INPUT_ANNUAL_LAST);
    fx_measure(&f, "PREV", "Place", INPUT_POL_HIGHER, 1, "5", INPUT_ANNUAL_LAST);
    fx_measure(&f, "APPEALS", "Place", INPUT_POL_NONE, 1, "5", INPUT_ANNUAL_LAST);
    fx_measure(&f, "Q", "Place", INPUT_POL_HIGHER, 1, "5", INPUT_ANNUAL_LAST);
    rp_period c21 = { RP_PER_CYEAR, 2021, 0 }, c22 = { RP_PER_CYEAR, 2022, 0 };
    fx_kpi(&f, "OLD", Y(2021), V("40"), NOV, "");
    fx_kpi(&f, "PREV", Y(2022), V("40"), NOV, "");
    fx_kpi(&f, "APPEALS", c21, V("2.5"), NOV, "");
    fx_kpi(&f, "APPEALS", c22, V("2.9"), NOV, "");
    fx_kpi(&f, "Q", Q(2023, 3), V("1"), V("1"), "");
    model m;
    rp_errors e;
    rp_errors_init(&e);
    assert_int_equal(model_build(&f.in, &m, &e), 0);
    compute_results r;
    /* 2023/24 Q3: the year before is 2022/23 */
    assert_int_equal(compute_results_build(&m, NULL, Q(2023, 3), &r, &e), 0);
    const compute_quality *d = find_dq(&r, COMPUTE_QUALITY_STALE, "OLD", "");
    assert_non_null(d);
    assert_int_equal(rp_period_cmp(d->period, Y(2021)), 0);
    assert_string_equal(d->note, "Latest figure is for 2021/22, older than "
                        "the year before 2023/24.");
    assert_null(find_dq(&r, COMPUTE_QUALITY_STALE, "PREV", ""));
    /* calendar 2022 ends in December 2022, inside 2022/23: not stale */
    assert_null(find_dq(&r, COMPUTE_QUALITY_STALE, "APPEALS", ""));
    d = find_dq(&r, COMPUTE_QUALITY_YEARLY, "OLD", "");
    assert_non_null(strstr(d->note, "(not rated)"));
    compute_results_free(&r);
    /* a yearly pack for 2024/25: calendar 2022 is now older than 2023/24 */
    assert_int_equal(compute_results_build(&m, NULL, Y(2024), &r, &e), 0);
    d = find_dq(&r, COMPUTE_QUALITY_STALE, "APPEALS", "");
    assert_non_null(d);
    assert_string_equal(d->note, "Latest figure is for 2022, older than "
                        "the year before 2024/25.");
    /* the quarterly series: its last value (2023/24 Q3) is 5 quarters
     * before the year's Q4 */
    d = find_dq(&r, COMPUTE_QUALITY_STALE, "Q", "");
    assert_non_null(d);
    assert_string_equal(d->note, "Latest value is for 2023/24 Q3, 5 quarters "
                        "before 2024/25 Q4.");
    compute_results_free(&r);
    model_free(&m);
    rp_errors_free(&e);
    fi_free(&f);
}

/* Every value the pack does not use is named (issue 8): a district's
 * kpi.csv carries 2023/24 Q4 targets set in advance and a yearly figure
 * published after the pack's quarter; finance and commentary for Q4 were
 * loaded early. A Q3 pack lists each under "Read but not used". */
static void test_compute_not_used(void **st)
{
    (void)st;
    fx f;
    fx_init(&f);
    fx_measure(&f, "RECYCLING", "Place", INPUT_POL_HIGHER, 1, "5", INPUT_ANNUAL_LAST);
    fx_measure(&f, "YR", "Place", INPUT_POL_HIGHER, 1, "5", INPUT_ANNUAL_LAST);
    fx_kpi(&f, "RECYCLING", Q(2023, 3), V("41"), V("45"), "");
    fx_kpi(&f, "RECYCLING", Q(2023, 4), NOV, V("45"), "");      /* target only */
    fx_kpi(&f, "RECYCLING", Q(2024, 1), NOV, NOV, "");          /* blank: nothing lost */
    fx_kpi(&f, "YR", Y(2022), V("50"), NOV, "");
    fx_kpi(&f, "YR", Y(2023), V("52"), NOV, "");                /* ends March 2024 */
    fx_fin(&f, "Place", Q(2023, 3), "100", "101", NOV, NOV);
    fx_fin(&f, "Place", Q(2023, 4), "100", "102", NOV, NOV);
    fi_comment(&f, 7, "RECYCLING", Q(2023, 4), "Early note.");
    model m;
    rp_errors e;
    rp_errors_init(&e);
    assert_int_equal(model_build(&f.in, &m, &e), 0);
    compute_results r;
    assert_int_equal(compute_results_build(&m, NULL, Q(2023, 3), &r, &e), 0);
    const compute_quality *d = find_dq(&r, COMPUTE_QUALITY_NOT_USED, "RECYCLING", "");
    assert_non_null(d);
    assert_string_equal(d->note, "Read but not used, as later than 2023/24 "
                        "Q3: 2023/24 Q4 (target only).");
    assert_int_equal(rp_period_cmp(d->period, Q(2023, 4)), 0);
    d = find_dq(&r, COMPUTE_QUALITY_NOT_USED, "YR", "");
    assert_non_null(d);
    assert_string_equal(d->note, "Read but not used, as later than 2023/24 "
                        "Q3: 2023/24 (value).");
    int fin = 0, com = 0;
    for (size_t i = 0; i < r.ndq; i++) {
        if (r.dq[i].kind != COMPUTE_QUALITY_NOT_USED || r.dq[i].measure)
            continue;
        fin += strstr(r.dq[i].note, "finance.csv line 3 (Place)") != NULL;
        com += strstr(r.dq[i].note, "commentary.csv line 7 (RECYCLING)") != NULL;
    }
    assert_int_equal(fin, 1);
    assert_int_equal(com, 1);
    compute_results_free(&r);
    /* at Q4 everything is used: nothing listed */
    assert_int_equal(compute_results_build(&m, NULL, Q(2023, 4), &r, &e), 0);
    for (size_t i = 0; i < r.ndq; i++)
        assert_int_not_equal(r.dq[i].kind, COMPUTE_QUALITY_NOT_USED);
    compute_results_free(&r);
    model_free(&m);
    rp_errors_free(&e);
    fi_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rag_relative_edges),
        cmocka_unit_test(test_rag_absolute_edges),
        cmocka_unit_test(test_rag_negative_target),
        cmocka_unit_test(test_rag_binary_float_case),
        cmocka_unit_test(test_rag_not_rated),
        cmocka_unit_test(test_direction),
        cmocka_unit_test(test_rollup_score),
        cmocka_unit_test(test_rollup_worst_majority),
        cmocka_unit_test(test_end_month_and_quarter),
        cmocka_unit_test(test_pct_change),
        cmocka_unit_test_setup_teardown(test_compute_pack_quarter, setup_q3, teardown),
        cmocka_unit_test_setup_teardown(test_compute_ratings, setup_q3, teardown),
        cmocka_unit_test_setup_teardown(test_compute_yearly, setup_q3, teardown),
        cmocka_unit_test_setup_teardown(test_compute_areas, setup_q3, teardown),
        cmocka_unit_test_setup_teardown(test_compute_finance_q3, setup_q3, teardown),
        cmocka_unit_test(test_compute_finance_q1_q2),
        cmocka_unit_test_setup_teardown(test_compute_trends, setup_q3, teardown),
        cmocka_unit_test_setup_teardown(test_trend_series_direct, setup_q3, teardown),
        cmocka_unit_test_setup_teardown(test_compute_quality, setup_q3, teardown),
        cmocka_unit_test(test_compute_stale_threshold),
        cmocka_unit_test(test_compute_quartile),
        cmocka_unit_test(test_compute_include_and_volatile),
        cmocka_unit_test(test_compute_bad_period),
        cmocka_unit_test(test_compute_breakdown_without_target),
        cmocka_unit_test(test_compute_calendar_years),
        cmocka_unit_test(test_trend_ytd_like_for_like),
        cmocka_unit_test(test_cumulative),
        cmocka_unit_test(test_compute_default_quarter),
        cmocka_unit_test(test_compute_yearly_not_rated),
        cmocka_unit_test(test_compute_year_ends),
        cmocka_unit_test(test_compute_yearly_pack),
        cmocka_unit_test(test_compute_stale_yearly),
        cmocka_unit_test(test_compute_not_used),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
