/* test_compose.c — compose: the block tree built from hand-made results.
 * Expected sentences are rebuilt here from the input figures with the
 * test's own integer arithmetic, not copied from compose's output. */
#include "testutil.h"
#include "fixture_input.h"

#include "compose.h"
#include "chart.h"
#include "compose_internal.h"

#include <unistd.h>

#define M(x) ((rp_num)(x) * RP_SCALE)          /* whole units → rp_num */
#define V(x) rp_value_of(M(x))
#define VD(num, den) rp_value_of(rp_num_muldiv(M(num), 1, (den)))  /* num/den */

/* ---- helpers over the block tree ---------------------------------------- */

static const char *block_text(const doc_block *b)
{
    static char buf[4096];
    buf[0] = '\0';
    for (size_t i = 0; i < b->nspans; i++)
        strncat(buf, b->spans[i].text, sizeof buf - strlen(buf) - 1);
    return buf;
}

/* Index of the first block of kind k at or after `from` whose text
 * contains `needle`, or -1. */
static long find_block(const document *d, size_t from, doc_block_kind k,
                       const char *needle)
{
    for (size_t i = from; i < d->nblocks; i++)
        if (d->blocks[i].kind == k && strstr(block_text(&d->blocks[i]), needle))
            return (long)i;
    return -1;
}

static const doc_block *table_after(const document *d, long from)
{
    for (size_t i = from < 0 ? 0 : (size_t)from; i < d->nblocks; i++)
        if (d->blocks[i].kind == DOC_TABLE)
            return &d->blocks[i];
    return NULL;
}

static const doc_cell *cellat(const doc_block *t, size_t row, size_t col)
{
    assert_true(row < t->as.table.nrows && col < t->as.table.ncols);
    return &t->as.table.cells[row * t->as.table.ncols + col];
}

/* Row whose first cell starts with text, or -1. */
static long row_of(const doc_block *t, const char *text)
{
    for (size_t r = 0; r < t->as.table.nrows; r++)
        if (strncmp(cellat(t, r, 0)->text, text, strlen(text)) == 0)
            return (long)r;
    return -1;
}

/* "£5.4m" from whole pounds, for the expected sentences (m range only). */
static void money_m(long long pounds, char *buf, size_t len)
{
    long long a = pounds < 0 ? -pounds : pounds;
    long long tenths = (a + 50000) / 100000;
    snprintf(buf, len, "\u00a3%lld.%lldm", tenths / 10, tenths % 10);
}

/* ---- fixture: a model from rows, results by hand ------------------------- */

enum { NMEAS = 4, NKPI = 6 };

typedef struct fixture {
    input_measure_row meas[NMEAS];
    input_kpi_row kpi[NKPI];
    input_comment_row com[2];
    input_folder in;
    model m;
    compute_rating rat[6];
    size_t area_idx[3][3];
    compute_area areas[3];
    compute_finance fin[3];
    compute_year years[3];
    compute_trend trend;
    compute_results r;
    template_section sec[8];
    char *trend_ids[2];
    pack_template t;
    rp_errors errs;
    document *doc;
} fixture;

static input_measure_row mrow(long line, const char *id, const char *title,
                           const char *area, rp_unit u, const char *label,
                           input_polarity p)
{
    input_measure_row r;
    memset(&r, 0, sizeof r);
    r.line = line;
    r.id = (char *)id;
    r.title = (char *)title;
    r.service_area = (char *)area;
    r.unit = u;
    r.unit_label = (char *)label;
    r.polarity = p;
    r.tol_relative = 1;
    r.tolerance = M(5);
    r.decimals = -1;
    return r;
}

static input_kpi_row krow(const char *id, rp_period p, const char *bd)
{
    input_kpi_row r;
    memset(&r, 0, sizeof r);
    r.measure = (char *)id;
    r.period = p;
    r.value = rp_value_missing(RP_MISS_EMPTY);
    r.target = r.national = r.regional = r.value;
    r.breakdown = (char *)bd;
    return r;
}

/* Finance rows are given as budget, forecast and the previous quarter's
 * forecast in whole pounds; variance, % and change are worked out here. */
static compute_finance frow(const char *name, rp_period per, long long budget,
                       long long forecast, long long prev_forecast,
                       long long st, long long sf)
{
    compute_finance f;
    memset(&f, 0, sizeof f);
    f.service_area = name;
    f.period = per;
    f.budget = V(budget);
    f.forecast = V(forecast);
    f.variance = V(forecast - budget);
    f.variance_pct = rp_value_of(rp_num_muldiv(M(forecast - budget), 100, budget));
    if (per.q > 1) {
        f.prev_variance = V(prev_forecast - budget);
        f.change = V(forecast - prev_forecast);
    } else {
        f.prev_variance = rp_value_missing(RP_MISS_EMPTY);
        f.change = rp_value_missing(RP_MISS_EMPTY);
    }
    f.savings_target = V(st);
    f.savings_forecast = V(sf);
    f.savings_gap = V(st - sf);
    f.savings_target_both = f.savings_target;
    f.savings_forecast_both = f.savings_forecast;
    return f;
}

/* Finance figures (whole pounds) shared by setup and the expectations. */
static const long long BUD[2] = { 400100000, 200100000 };
static const long long FC[2] = { 403700000, 201900000 };     /* +3.6m, +1.8m */
static const long long PFC[2] = { 404000000, 202600000 };    /* +3.9m, +2.5m */
static const long long ST[2] = { 7300000, 4000000 };
static const long long SF[2] = { 6300000, 3500000 };

static void set_finance(fixture *f, rp_period per, const long long *fc,
                        const long long *pfc)
{
    const char *names[2] = { "Children and Families", "Health and Care" };
    long long tb = 0, tf = 0, tp = 0, ts = 0, tsf = 0;
    for (int i = 0; i < 2; i++) {
        f->fin[i] = frow(names[i], per, BUD[i], fc[i], pfc[i], ST[i], SF[i]);
        tb += BUD[i];
        tf += fc[i];
        tp += pfc[i];
        ts += ST[i];
        tsf += SF[i];
    }
    f->fin[2] = frow("Total", per, tb, tf, tp, ts, tsf);
    f->r.finance = f->fin;
    f->r.nfinance = 3;
}

static compute_rating rating(const model_measure *x, const model_series *s, rp_period p,
                        rp_value v, rp_value t, rp_rag rag)
{
    compute_rating r;
    memset(&r, 0, sizeof r);
    r.measure = x;
    r.series = s;
    r.period = p;
    r.value = v;
    r.target = t;
    r.rag = rag;
    r.national = r.regional = rp_value_missing(RP_MISS_EMPTY);
    r.prev_value = r.year_value = r.national;
    r.neighbours = r.numerator = r.denominator = r.national;
    return r;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    rp_period q3 = rp_quarter(2023, 3);
    f->meas[0] = mrow(2, "EHCP_20WK", "EHC plans issued within 20 weeks",
                      "Children and Families", RP_UNIT_PERCENT, "", INPUT_POL_HIGHER);
    f->meas[1] = mrow(3, "CIC_RATE", "Children in care", "Children and Families",
                      RP_UNIT_RATE, "per 10,000 children", INPUT_POL_LOWER);
    f->meas[2] = mrow(4, "OBESITY_Y6", "Year 6 obesity", "Health and Care",
                      RP_UNIT_PERCENT, "", INPUT_POL_LOWER);
    f->meas[3] = mrow(5, "BUS_STARTUP", "Business start-up rate",
                      "Economy, Infrastructure and Skills", RP_UNIT_RATE,
                      "per 10,000 adults", INPUT_POL_HIGHER);
    f->kpi[0] = krow("EHCP_20WK", q3, "");
    f->kpi[1] = krow("CIC_RATE", q3, "");
    f->kpi[2] = krow("OBESITY_Y6", q3, "");
    f->kpi[3] = krow("OBESITY_Y6", q3, "Northmere");
    f->kpi[4] = krow("OBESITY_Y6", q3, "Saltcombe");
    f->kpi[5] = krow("BUS_STARTUP", rp_fyear(2022), "");
    for (int i = 0; i < NKPI; i++)
        f->kpi[i].line = i + 2;
    f->com[0].scope = (char *)"overall";
    f->com[0].period = q3;
    f->com[0].text = (char *)"First paragraph.\n\nSecond \u2013 with \u00a3.";
    f->com[1].scope = (char *)"Children and Families";
    f->com[1].period = q3;
    f->com[1].text = (char *)"Area note.";
    f->in.measures = f->meas;
    f->in.nmeasures = NMEAS;
    f->in.kpis = f->kpi;
    f->in.nkpis = NKPI;
    f->in.comments = f->com;
    f->in.ncomments = 2;
    rp_errors_init(&f->errs);
    assert_int_equal(model_build(&f->in, &f->m, &f->errs), 0);
    assert_int_equal(f->m.nareas, 3);

    const model_measure *e = model_find_measure(&f->m, "EHCP_20WK");
    const model_measure *c = model_find_measure(&f->m, "CIC_RATE");
    const model_measure *o = model_find_measure(&f->m, "OBESITY_Y6");
    const model_measure *b = model_find_measure(&f->m, "BUS_STARTUP");
    assert_non_null(o);
    assert_int_equal(o->nseries, 3);

    /* 52.3 against 60 (red); CIC suppressed; obesity 22.9 vs 22 (amber) */
    f->rat[0] = rating(e, e->whole, q3, VD(523, 10), V(60), RP_RAG_RED);
    f->rat[0].vs_prev = RP_DIR_WORSENING;
    f->rat[0].vs_year = RP_DIR_IMPROVING;
    f->rat[0].national = VD(502, 10);
    f->rat[1] = rating(c, c->whole, q3, rp_value_missing(RP_MISS_C), V(62),
                       RP_RAG_NONE);
    f->rat[2] = rating(o, o->whole, q3, VD(229, 10), V(22), RP_RAG_AMBER);
    f->rat[3] = rating(o, &o->series[1], q3, VD(214, 10), V(22), RP_RAG_GREEN);
    f->rat[4] = rating(o, &o->series[2], q3, rp_value_missing(RP_MISS_C), V(22),
                       RP_RAG_NONE);
    f->rat[5] = rating(b, b->whole, rp_fyear(2022), VD(482, 10), V(50),
                       RP_RAG_AMBER);
    f->rat[5].yearly = 1;
    f->r.ratings = f->rat;
    f->r.nratings = 6;
    f->r.period = q3;
    compute_options_default(&f->r.opt);

    /* areas in model order; counts worked out from the whole ratings */
    for (size_t a = 0; a < 3; a++) {
        f->areas[a].area = &f->m.areas[a];
        f->areas[a].ratings = f->area_idx[a];
        for (size_t i = 0; i < 6; i++) {
            const compute_rating *x = &f->rat[i];
            if (x->series != x->measure->whole || x->measure->area != a)
                continue;
            f->area_idx[a][f->areas[a].nratings++] = i;
            f->areas[a].counts[x->rag]++;
            f->r.counts[x->rag]++;
        }
        f->areas[a].rag = f->areas[a].counts[RP_RAG_RED] ? RP_RAG_RED
                                                         : RP_RAG_AMBER;
    }
    f->r.areas = f->areas;
    f->r.nareas = 3;
    f->r.overall = RP_RAG_AMBER;
    set_finance(f, q3, FC, PFC);

    /* trend: 2021/22 and 2022/23 complete, 2023/24 to Q3 */
    rp_value none = rp_value_missing(RP_MISS_EMPTY);
    f->years[0] = (compute_year){ .fy = 2021, .period = { RP_PER_FYEAR, 2021, 0 },
                             .value = VD(580, 10), .complete = 1,
                             .quarters = 4, .lastq = 4, .yoy_pct = none,
                             .yoy_change = none,
                             .ytd_prev = none, .ytd_yoy_pct = none,
                             .ytd_change = none };
    f->years[1] = (compute_year){ .fy = 2022, .period = { RP_PER_FYEAR, 2022, 0 },
                             .value = V(55), .complete = 1,
                             .quarters = 4, .lastq = 4,
                             .yoy_pct = rp_value_of(rp_num_muldiv(M(55 - 58), 100, 58)),
                             .yoy_change = compute_change(V(55), VD(580, 10)),
                             .ytd_prev = none, .ytd_yoy_pct = none,
                             .ytd_change = none };
    /* the year to date also has a like-for-like figure: 2022/23 Q1–Q3
     * gave 52 */
    f->years[2] = (compute_year){ .fy = 2023, .period = { RP_PER_FYEAR, 2023, 0 },
                             .value = V(53), .complete = 0,
                             .quarters = 3, .lastq = 3,
                             .yoy_pct = rp_value_of(rp_num_muldiv(M(53 - 55), 100, 55)),
                             .ytd_prev = V(52),
                             .yoy_change = compute_change(V(53), V(55)),
                             .ytd_yoy_pct = rp_value_of(rp_num_muldiv(M(53 - 52), 100, 52)),
                             .ytd_change = compute_change(V(53), V(52)) };
    f->trend.measure = e;
    f->trend.series = e->whole;
    f->trend.years = f->years;
    f->trend.nyears = 3;
    f->r.trends = &f->trend;
    f->r.ntrends = 1;
    f->r.opt.trend_years = 3;

    /* template: every section kind */
    f->t.path = (char *)"templates/x.yaml";
    f->t.authority = (char *)"Northshire County Council";
    f->t.title = (char *)"Integrated Performance Report";
    f->t.committee = (char *)"Cabinet";
    f->t.meeting_date = (char *)"6 March 2024";
    f->t.author = (char *)"Northshire County Council";
    f->t.subject = (char *)"Quarterly performance and finance";
    template_section_kind kinds[7] = { TEMPLATE_SECTION_COVER, TEMPLATE_SECTION_CONTENTS, TEMPLATE_SECTION_SUMMARY,
                                 TEMPLATE_SECTION_FINANCE, TEMPLATE_SECTION_SERVICE_AREA,
                                 TEMPLATE_SECTION_TRENDS, TEMPLATE_SECTION_DATA_QUALITY };
    for (int i = 0; i < 7; i++) {
        f->sec[i].kind = kinds[i];
        f->sec[i].line = 10 + i;
    }
    f->trend_ids[0] = (char *)"EHCP_20WK";
    f->sec[5].measures = f->trend_ids;
    f->sec[5].nmeasures = 1;
    f->t.sections = f->sec;
    f->t.nsections = 7;
    f->doc = doc_create();
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    doc_destroy(f->doc);
    model_free(&f->m);
    rp_errors_free(&f->errs);
    free(f);
    return 0;
}

static void compose(fixture *f)
{
    assert_int_equal(compose_pack(&f->t, &f->m, &f->r, f->doc, &f->errs), 0);
    assert_int_equal(f->errs.nerrors, 0);
}

/* ---- changes: points for a percentage, else absolute and relative ------ */

static void test_change_by_unit(void **state)
{
    (void)state;
    input_measure_row pct = { .unit = RP_UNIT_PERCENT, .decimals = -1 };
    input_measure_row cnt = { .unit = RP_UNIT_COUNT, .decimals = -1 };
    input_measure_row gbp = { .unit = RP_UNIT_GBP, .decimals = -1 };
    input_measure_row rate = { .unit = RP_UNIT_RATE, .decimals = -1 };
    char b[96];
    rp_value none = rp_value_missing(RP_MISS_EMPTY);
    /* NEET 2.3% → 7.4%: 5.1 points, never the relative +221.7% */
    rp_value was = VD(23, 10), now = VD(74, 10);
    assert_int_equal(compose_fmt_change(&pct, compute_change(now, was),
                                        compute_pct_change(now, was), b, sizeof b), 1);
    assert_string_equal(b, "+5.1 pts");
    /* recycling 57.2% → 53.6%: down 3.6 points */
    was = VD(572, 10); now = VD(536, 10);
    compose_fmt_change(&pct, compute_change(now, was),
                       compute_pct_change(now, was), b, sizeof b);
    assert_string_equal(b, "-3.6 pts");
    /* no change, and a change that rounds to none, have no sign */
    compose_fmt_change(&pct, VD(4, 100), none, b, sizeof b);
    assert_string_equal(b, "0.0 pts");
    /* the measure's own decimals */
    input_measure_row pct2 = pct;
    pct2.decimals = 2;
    compose_fmt_change(&pct2, VD(-125, 100), none, b, sizeof b);
    assert_string_equal(b, "-1.25 pts");
    /* a count: 6,016 → 6,488 is +472, and 472 / 6,016 = 7.845…% */
    was = V(6016); now = V(6488);
    compose_fmt_change(&cnt, compute_change(now, was),
                       compute_pct_change(now, was), b, sizeof b);
    assert_string_equal(b, "+472 (+7.8%)");
    /* money in the pack's £ style: £25.2m → £24.0m */
    was = V(25200000); now = V(24000000);
    compose_fmt_change(&gbp, compute_change(now, was),
                       compute_pct_change(now, was), b, sizeof b);
    assert_string_equal(b, "-\u00a31.2m (-4.8%)");
    /* from 0 there is no relative change: the absolute one alone */
    compose_fmt_change(&rate, compute_change(VD(15, 10), V(0)),
                       compute_pct_change(VD(15, 10), V(0)), b, sizeof b);
    assert_string_equal(b, "+1.5");
    /* nothing to compare */
    assert_int_equal(compose_fmt_change(&cnt, compute_change(V(3), none),
                                        none, b, sizeof b), 0);
    assert_string_equal(b, "n/a");
}

/* A cumulative measure's year to date is compared with the same quarter
 * of the year before only, never with the whole year (84.1% at Q3
 * against 97.6% for all of 2022/23 is no fall). */
static void test_cumulative_year_change(void **state)
{
    (void)state;
    input_measure_row ct = { .unit = RP_UNIT_PERCENT, .decimals = -1,
                             .cumulative = 1 };
    compute_year y = { .fy = 2023, .period = rp_fyear(2023), .complete = 0,
                       .quarters = 1, .lastq = 3, .value = VD(841, 10) };
    y.before = VD(976, 10);
    y.yoy_change = compute_change(y.value, y.before);
    y.yoy_pct = compute_pct_change(y.value, y.before);
    y.ytd_prev = VD(843, 10);
    y.ytd_change = compute_change(y.value, y.ytd_prev);      /* −0.2 */
    y.ytd_yoy_pct = compute_pct_change(y.value, y.ytd_prev);
    char b[320];
    assert_int_equal(compose_fmt_year_change(&ct, &y, b, sizeof b), 1);
    assert_string_equal(b, "-0.2 pts on 2022/23 Q3; a year to date is not "
                           "compared with a full year");
    assert_null(strstr(b, "13.5"));             /* 84.1 − 97.6 never shown */
    y.ytd_change = y.ytd_prev = y.ytd_yoy_pct = rp_value_missing(RP_MISS_EMPTY);
    compose_fmt_year_change(&ct, &y, b, sizeof b);
    assert_string_equal(b, "no figure on 2022/23 Q3; a year to date is not "
                           "compared with a full year");
    /* a complete year: its Q4 against the Q4 before, 97.6 − 97.9 */
    compute_year c = { .fy = 2022, .period = rp_fyear(2022), .complete = 1,
                       .quarters = 1, .lastq = 4, .value = VD(976, 10) };
    c.yoy_change = compute_change(c.value, VD(979, 10));
    compose_fmt_year_change(&ct, &c, b, sizeof b);
    assert_string_equal(b, "-0.3 pts");
}

/* ---- compose_money ------------------------------------------------------------ */

static void test_money_edges(void **state)
{
    (void)state;
    struct { rp_num n; const char *want; } cases[] = {
        { 0, "\u00a30" },
        { M(950), "\u00a3950" },
        { M(999), "\u00a3999" },
        { M(999) + RP_SCALE / 2 - 1, "\u00a3999" },   /* 999.499999 */
        { M(999) + RP_SCALE / 2, "\u00a31k" },        /* rounds to £1,000 */
        { M(1000), "\u00a31k" },
        { M(640000), "\u00a3640k" },
        { M(640499), "\u00a3640k" },
        { M(640500), "\u00a3641k" },                  /* half away from zero */
        { M(999499), "\u00a3999k" },
        { M(999500), "\u00a31.0m" },                  /* never "£1,000k" */
        { M(5400000), "\u00a35.4m" },
        { M(5450000), "\u00a35.5m" },
        { M(5449999), "\u00a35.4m" },
        { -M(5400000), "\u00a35.4m" },                /* sign dropped */
        { M(600200000), "\u00a3600.2m" },
        { M(999949999), "\u00a3999.9m" },
        { M(999950000), "\u00a31.0bn" },              /* never "£1,000.0m" */
        { M(1200000000), "\u00a31.2bn" },
        { M(1234567890123LL), "\u00a31,234.6bn" },
        /* the ends of the range: no signed overflow (UBSan) */
        { INT64_MAX, "\u00a39,223.4bn" },
        { INT64_MIN, "\u00a39,223.4bn" },
        { INT64_MAX - RP_SCALE / 2 + 1, "\u00a39,223.4bn" },
    };
    char buf[64];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_string_equal(compose_money(cases[i].n, buf, sizeof buf), cases[i].want);
}

/* ---- headline finance sentence ----------------------------------------- */

static void expected_headline(const long long *fc, const long long *pfc,
                              int q, char *out, size_t len)
{
    long long b = BUD[0] + BUD[1], v = fc[0] + fc[1] - b;
    long long pv = pfc[0] + pfc[1] - b, ch = v - pv;
    long long av = v < 0 ? -v : v;
    long long pct10 = (av * 1000 * 2 + b) / (2 * b);    /* tenths of %, rounded */
    char vm[32], bm[32], cm[32];
    money_m(v, vm, sizeof vm);
    money_m(b, bm, sizeof bm);
    money_m(ch, cm, sizeof cm);
    int n = snprintf(out, len, "Forecast %s of %s (%lld.%lld%%) against a net "
                     "budget of %s", v > 0 ? "overspend" : "underspend", vm,
                     pct10 / 10, pct10 % 10, bm);
    if (q > 1) {
        long long apv = pv < 0 ? -pv : pv;
        n += snprintf(out + n, len - (size_t)n, ", %s of %s since Quarter %d",
                      av > apv ? "an increase" : "a reduction", cm, q - 1);
    }
    snprintf(out + n, len - (size_t)n, ".");
}

static void test_headline_overspend(void **state)
{
    fixture *f = *state;
    compose(f);
    char want[256];
    expected_headline(FC, PFC, 3, want, sizeof want);
    /* with these inputs: £5.4m (0.9%) of £600.2m, down £1.0m */
    assert_non_null(strstr(want, "reduction"));
    long s = find_block(f->doc, 0, DOC_HEADING, "Executive summary");
    assert_true(s >= 0);
    long p = find_block(f->doc, (size_t)s, DOC_PARAGRAPH, "Forecast ");
    assert_true(p >= 0);
    assert_non_null(strstr(block_text(&f->doc->blocks[p]), want));

    /* savings: target − forecast worked out here */
    long long st = ST[0] + ST[1], sf = SF[0] + SF[1];
    char a[32], b[32], c[32], sv[256];
    money_m(sf, a, sizeof a);
    money_m(st, b, sizeof b);
    money_m(st - sf, c, sizeof c);
    snprintf(sv, sizeof sv, "%s of the %s savings target is forecast to be "
             "delivered, a shortfall of %s.", a, b, c);
    assert_non_null(strstr(block_text(&f->doc->blocks[p]), sv));

    /* the finance section repeats the headline */
    long fh = find_block(f->doc, 0, DOC_HEADING, "Finance");
    assert_true(fh > s);
    assert_true(find_block(f->doc, (size_t)fh, DOC_PARAGRAPH, want) > fh);
}

static void test_headline_underspend_increase(void **state)
{
    fixture *f = *state;
    /* underspend that grew since Q2: the underspend "increased" */
    static const long long fc[2] = { 398000000, 199500000 };
    static const long long pfc[2] = { 399000000, 199900000 };
    set_finance(f, f->r.period, fc, pfc);
    compose(f);
    char want[256];
    expected_headline(fc, pfc, 3, want, sizeof want);
    assert_non_null(strstr(want, "underspend"));
    assert_non_null(strstr(want, "an increase"));
    assert_true(find_block(f->doc, 0, DOC_PARAGRAPH, want) >= 0);
    assert_int_equal(find_block(f->doc, 0, DOC_PARAGRAPH, "overspend"), -1);
}

static void test_headline_overspend_increase(void **state)
{
    fixture *f = *state;
    static const long long pfc[2] = { 401000000, 201000000 };
    set_finance(f, f->r.period, FC, pfc);
    compose(f);
    char want[256];
    expected_headline(FC, pfc, 3, want, sizeof want);
    assert_non_null(strstr(want, "an increase"));
    assert_true(find_block(f->doc, 0, DOC_PARAGRAPH, want) >= 0);
}

static void test_headline_q1_no_change(void **state)
{
    fixture *f = *state;
    rp_period q1 = rp_quarter(2023, 1);
    f->r.period = q1;
    set_finance(f, q1, FC, PFC);
    compose(f);
    char want[256];
    expected_headline(FC, PFC, 1, want, sizeof want);
    long p = find_block(f->doc, 0, DOC_PARAGRAPH, want);
    assert_true(p >= 0);
    assert_null(strstr(block_text(&f->doc->blocks[p]), "since"));
    /* the change column is n/a with a note saying why */
    const doc_block *t = table_after(f->doc, find_block(f->doc, 0, DOC_HEADING,
                                                       "Finance"));
    assert_non_null(t);
    long tr = row_of(t, "Total");
    assert_true(tr > 0);
    assert_string_equal(cellat(t, (size_t)tr, 5)->text, "n/a");
    assert_true(cellat(t, (size_t)tr, 5)->footnote > 0);
    assert_true(find_block(f->doc, 0, DOC_PARAGRAPH, "[1] No earlier quarter") >= 0);
}

/* ---- tables ------------------------------------------------------------------ */

static void test_summary_table(void **state)
{
    fixture *f = *state;
    compose(f);
    const doc_block *t = table_after(f->doc, find_block(f->doc, 0, DOC_HEADING,
                                                       "Executive summary"));
    assert_non_null(t);
    assert_int_equal(t->as.table.ncols, 6);
    assert_int_equal(t->as.table.nheader, 1);
    assert_string_equal(cellat(t, 0, 0)->text, "Service area");
    assert_string_equal(cellat(t, 0, 1)->text, "Green");
    assert_string_equal(cellat(t, 0, 4)->text, "Not rated");
    assert_string_equal(cellat(t, 0, 5)->text, "Assessment");
    assert_int_equal(t->as.table.nrows, 1 + 3 + 1);
    assert_true(t->as.table.total_last);
    size_t last = t->as.table.nrows - 1;
    assert_string_equal(cellat(t, last, 0)->text, "All services");
    assert_int_equal(cellat(t, last, 5)->rag, RP_RAG_AMBER);
    /* Children and Families: one red (EHCP), one not rated (CIC) */
    long cf = row_of(t, "Children and Families");
    assert_true(cf > 0);
    assert_string_equal(cellat(t, (size_t)cf, 3)->text, "1");
    assert_string_equal(cellat(t, (size_t)cf, 4)->text, "1");
    assert_int_equal(cellat(t, (size_t)cf, 5)->rag, RP_RAG_RED);
    /* the areas of risk list the red measure only */
    long risk = find_block(f->doc, 0, DOC_HEADING, "Areas of risk");
    const doc_block *rt = table_after(f->doc, risk);
    assert_int_equal(rt->as.table.nrows, 2);
    assert_string_equal(cellat(rt, 1, 0)->text, "EHC plans issued within 20 weeks");
    assert_string_equal(cellat(rt, 1, 2)->text, "52.3%");
    /* overall commentary, one paragraph per line, blank lines dropped */
    long c1 = find_block(f->doc, 0, DOC_PARAGRAPH, "First paragraph.");
    assert_true(c1 > risk);
    assert_string_equal(block_text(&f->doc->blocks[c1 + 1]),
                        "Second \u2013 with \u00a3.");
}

static void test_finance_table(void **state)
{
    fixture *f = *state;
    compose(f);
    const doc_block *t = table_after(f->doc, find_block(f->doc, 0, DOC_HEADING,
                                                       "Finance"));
    assert_non_null(t);
    assert_int_equal(t->as.table.ncols, 8);
    assert_string_equal(cellat(t, 0, 1)->text, "Budget \u00a3m");
    assert_string_equal(cellat(t, 0, 3)->text, "Variance \u00a3m");
    assert_string_equal(cellat(t, 0, 5)->text,
                        "Change since last quarter \u00a3m");
    assert_true(t->as.table.total_last);
    size_t last = t->as.table.nrows - 1;
    assert_string_equal(cellat(t, last, 0)->text, "Total");
    /* £m with one place: budget 400.1 + 200.1 */
    char want[32];
    long long tb = BUD[0] + BUD[1];
    snprintf(want, sizeof want, "%lld.%lld", tb / 1000000,
             (tb % 1000000 + 50000) / 100000);
    assert_string_equal(cellat(t, last, 1)->text, want);
    assert_int_equal(cellat(t, last, 1)->align, DOC_RIGHT);
    /* change in the total: (fc − pfc) summed = −1.0 */
    long long ch = FC[0] + FC[1] - PFC[0] - PFC[1];
    snprintf(want, sizeof want, "-%lld.%lld", -ch / 1000000,
             (-ch % 1000000 + 50000) / 100000);
    assert_string_equal(cellat(t, last, 5)->text, want);
    /* the largest overspend is named first */
    long p = find_block(f->doc, 0, DOC_PARAGRAPH, "Overspends are forecast in");
    assert_true(p >= 0);
    const char *s = block_text(&f->doc->blocks[p]);
    assert_true(strstr(s, "Children and Families") < strstr(s, "Health and Care"));
}

static void test_area_table(void **state)
{
    fixture *f = *state;
    compose(f);
    long h = find_block(f->doc, 0, DOC_HEADING, "Children and Families");
    assert_true(h >= 0);
    assert_int_equal(f->doc->blocks[h].as.heading.level, 1);
    assert_int_equal(f->doc->blocks[h + 1].kind, DOC_BADGE);
    assert_int_equal(f->doc->blocks[h + 1].as.badge.rag, RP_RAG_RED);
    assert_true(find_block(f->doc, (size_t)h, DOC_PARAGRAPH, "Area note.") > h);
    const doc_block *t = table_after(f->doc, h);
    assert_string_equal(cellat(t, 0, 3)->text, "RAG");
    long e = row_of(t, "EHC plans");
    assert_true(e > 0);
    assert_string_equal(cellat(t, (size_t)e, 1)->text, "52.3%");
    assert_string_equal(cellat(t, (size_t)e, 2)->text, "60.0%");
    assert_int_equal(cellat(t, (size_t)e, 3)->rag, RP_RAG_RED);
    assert_true(cellat(t, (size_t)e, 3)->show_rag);
    assert_string_equal(cellat(t, (size_t)e, 3)->text, "Red");
    assert_int_equal(cellat(t, (size_t)e, 4)->dir, RP_DIR_WORSENING);
    assert_int_equal(cellat(t, (size_t)e, 5)->dir, RP_DIR_IMPROVING);
    assert_string_equal(cellat(t, (size_t)e, 6)->text, "50.2%");
    /* suppressed value: n/a with a footnote whose note gives the reason */
    long c = row_of(t, "Children in care (per 10,000 children)");
    assert_true(c > 0);
    const doc_cell *lc = cellat(t, (size_t)c, 1);
    assert_string_equal(lc->text, "n/a");
    assert_true(lc->footnote > 0);
    assert_true(cellat(t, (size_t)c, 3)->show_rag);
    assert_int_equal(cellat(t, (size_t)c, 3)->rag, RP_RAG_NONE);   /* not rated */
    char note[128];
    snprintf(note, sizeof note, "[%d] ", lc->footnote);
    long np = find_block(f->doc, (size_t)h, DOC_PARAGRAPH, note);
    assert_true(np > h);
    assert_true(f->doc->blocks[np].as.paragraph.small);
    assert_non_null(strstr(block_text(&f->doc->blocks[np]), "uppressed [c]"));
}

static void test_yearly_and_breakdown(void **state)
{
    fixture *f = *state;
    compose(f);
    const doc_block *t = table_after(f->doc, find_block(f->doc, 0, DOC_HEADING,
                                                       "Economy, Infrastructure"));
    long b = row_of(t, "Business start-up rate");
    assert_true(b > 0);
    assert_string_equal(cellat(t, (size_t)b, 1)->text, "48.2 (2022/23)");

    long h3 = find_block(f->doc, 0, DOC_HEADING, "Year 6 obesity: breakdown");
    assert_true(h3 >= 0);
    assert_int_equal(f->doc->blocks[h3].as.heading.level, 3);
    const doc_block *bt = table_after(f->doc, h3);
    assert_int_equal(bt->as.table.nrows, 1 + 3);
    assert_true(bt->as.table.total_last);
    assert_string_equal(cellat(bt, 3, 0)->text, "Whole authority");
    assert_int_equal(cellat(bt, 3, 3)->rag, RP_RAG_AMBER);
    long n = row_of(bt, "Northmere");
    assert_int_equal(cellat(bt, (size_t)n, 3)->rag, RP_RAG_GREEN);
    long s = row_of(bt, "Saltcombe");
    assert_string_equal(cellat(bt, (size_t)s, 1)->text, "n/a");
    assert_true(cellat(bt, (size_t)s, 1)->footnote > 0);
}

static void test_trends(void **state)
{
    fixture *f = *state;
    compose(f);
    long h = find_block(f->doc, 0, DOC_HEADING, "Trends");
    assert_true(h >= 0);
    const doc_block *t = table_after(f->doc, h);
    assert_int_equal(t->as.table.nrows, 4);
    assert_string_equal(cellat(t, 0, 2)->text, "Change on previous year");
    assert_string_equal(cellat(t, 1, 0)->text, "2021/22");
    assert_string_equal(cellat(t, 1, 2)->text, "n/a");
    assert_string_equal(cellat(t, 3, 0)->text,
                        "2023/24 (year to date, Q1\u2013Q3)");
    /* a percentage measure: the change on the whole year before in
     * points, 53 − 55 = −2, named as such, then like for like on the
     * same quarters: 53 − 52 = +1 (never the relative −3.6% or +1.9%) */
    assert_string_equal(cellat(t, 3, 2)->text,
                        "-2.0 pts compared with a full year; +1.0 pts on the "
                        "same quarters of 2022/23");
    assert_string_equal(cellat(t, 2, 2)->text, "-3.0 pts");     /* 55 − 58 */
    /* no like-for-like figure: said, not left out */
    f->years[2].ytd_prev = f->years[2].ytd_yoy_pct = f->years[2].ytd_change =
        rp_value_missing(RP_MISS_X);
    doc_destroy(f->doc);
    f->doc = doc_create();
    compose(f);
    t = table_after(f->doc, find_block(f->doc, 0, DOC_HEADING, "Trends"));
    assert_string_equal(cellat(t, 3, 2)->text,
                        "-2.0 pts compared with a full year; no figure for the "
                        "same quarters of 2022/23");
}

static void test_cover_and_furniture(void **state)
{
    fixture *f = *state;
    compose(f);
    assert_int_equal(f->doc->blocks[0].kind, DOC_COVER);
    const doc_cover *c = &f->doc->blocks[0].as.cover;
    assert_string_equal(c->authority, "Northshire County Council");
    assert_string_equal(c->period, "Quarter 3 2023/24 (October\u2013December 2023)");
    assert_string_equal(c->badge_label, "Overall assessment");
    assert_int_equal(c->badge_rag, RP_RAG_AMBER);
    assert_int_equal(f->doc->blocks[1].kind, DOC_CONTENTS);
    assert_string_equal(f->doc->header_text,
                        "Northshire County Council \u00b7 Integrated Performance "
                        "Report \u00b7 Quarter 3 2023/24");
    assert_string_equal(f->doc->footer_text, "Cabinet \u00b7 6 March 2024");
    assert_string_equal(f->doc->title, "Integrated Performance Report");
    assert_string_equal(f->doc->subject, "Quarterly performance and finance");
    /* data-quality appendix is last and has its four parts */
    long dq = find_block(f->doc, 0, DOC_HEADING, "Data quality");
    assert_true(dq > find_block(f->doc, 0, DOC_HEADING, "Trends"));
    assert_true(find_block(f->doc, (size_t)dq, DOC_HEADING,
                           "Measures reported by whole years") > dq);
}

/* A committee's own pack (one named service area, no summary): the cover
 * badge is that area's assessment, not the council's. */
static void test_cover_single_area(void **state)
{
    fixture *f = *state;
    template_section only[2];
    memset(only, 0, sizeof only);
    only[0].kind = TEMPLATE_SECTION_COVER;
    only[1].kind = TEMPLATE_SECTION_SERVICE_AREA;
    only[1].service_area = (char *)"Children and Families";
    f->t.sections = only;
    f->t.nsections = 2;
    long a = model_find_area(&f->m, "Children and Families");
    assert_true(a >= 0);
    /* make the area differ from the overall rating so the test can fail */
    f->areas[a].rag = f->r.overall == RP_RAG_RED ? RP_RAG_GREEN : RP_RAG_RED;
    compose(f);
    const doc_cover *c = &f->doc->blocks[0].as.cover;
    assert_string_equal(c->badge_label, "Children and Families: assessment");
    assert_int_equal(c->badge_rag, f->areas[a].rag);
    /* two areas: the whole council again */
    template_section two[3];
    memset(two, 0, sizeof two);
    two[0] = only[0];
    two[1] = only[1];
    two[2].kind = TEMPLATE_SECTION_SERVICE_AREA;
    two[2].service_area = (char *)"Health and Care";
    f->t.sections = two;
    f->t.nsections = 3;
    doc_destroy(f->doc);
    f->doc = doc_create();
    compose(f);
    c = &f->doc->blocks[0].as.cover;
    assert_string_equal(c->badge_label, "Overall assessment");
    assert_int_equal(c->badge_rag, f->r.overall);
    f->t.sections = f->sec;
    f->t.nsections = 7;
}

/* ---- template check ------------------------------------------------------ */

static void test_check_template(void **state)
{
    fixture *f = *state;
    char *ids[2] = { (char *)"EHCP_20WK", (char *)"FOO" };
    f->sec[5].measures = ids;
    f->sec[5].nmeasures = 2;
    f->sec[5].line = 23;
    f->sec[4].service_area = (char *)"Adult Services";
    f->sec[4].line = 30;
    assert_int_equal(compose_check_template(&f->t, &f->m, &f->errs), -1);
    assert_int_equal(f->errs.nerrors, 2);
    char buf[512];
    /* sections are checked in order: area (line 30) first, then trends */
    rp_error_format(&f->errs.v[1], buf, sizeof buf);
    assert_string_equal(buf, "templates/x.yaml:23: sections: unknown measure \"FOO\"");
    rp_error_format(&f->errs.v[0], buf, sizeof buf);
    assert_non_null(strstr(buf, "templates/x.yaml:30: sections: unknown service "
                                "area \"Adult Services\""));
    assert_non_null(strstr(buf, "Children and Families"));
    /* compose refuses the same template */
    assert_int_equal(compose_pack(&f->t, &f->m, &f->r, f->doc, &f->errs), -1);
    f->sec[5].measures = f->trend_ids;
    f->sec[5].nmeasures = 1;
}

static void test_check_template_ok(void **state)
{
    fixture *f = *state;
    f->sec[4].service_area = (char *)"children and families";   /* case-blind */
    assert_int_equal(compose_check_template(&f->t, &f->m, &f->errs), 0);
    assert_int_equal(f->errs.nerrors, 0);
    compose(f);
    /* only the named area gets a section */
    assert_true(find_block(f->doc, 0, DOC_HEADING, "Children and Families") >= 0);
    assert_int_equal(find_block(f->doc, 0, DOC_HEADING, "Health and Care"), -1);
}

/* ---- the sample input end to end ---------------------------------------- */

static void test_sample_headline(void **state)
{
    (void)state;
    input_folder in;
    model m;
    compute_results r;
    rp_errors errs;
    rp_errors_init(&errs);
    memset(&in, 0, sizeof in);
    memset(&r, 0, sizeof r);
    if (input_read("input/sample", &in, &errs) != 0) {
        rp_errors_print(&errs, stderr);
        fail_msg("input/sample does not read cleanly");
    }
    assert_int_equal(model_build(&in, &m, &errs), 0);
    compute_options o;
    compute_options_default(&o);
    assert_int_equal(compute_results_build(&m, &o, (rp_period){ 0, 0, 0 }, &r, &errs), 0);
    assert_int_equal(r.period.fy, 2023);
    assert_int_equal(r.period.q, 3);
    /* the sample's figures as input/sample/README.model states them:
     * budgets 240.4+170.3+109.8+79.7, variance 5.4m, 6.4m at Q2 */
    long long b = 2404 + 1703 + 1098 + 797;             /* £0.1m units */
    char want[256];
    snprintf(want, sizeof want, "Forecast overspend of \u00a35.4m (0.9%%) "
             "against a net budget of \u00a3%lld.%lldm, a reduction of "
             "\u00a31.0m since Quarter 2.", b / 10, b % 10);
    pack_template t;
    memset(&t, 0, sizeof t);
    template_section sec[3] = { { .kind = TEMPLATE_SECTION_SUMMARY }, { .kind = TEMPLATE_SECTION_SERVICE_AREA },
                          { .kind = TEMPLATE_SECTION_DATA_QUALITY } };
    t.sections = sec;
    t.nsections = 3;
    document *d = doc_create();
    assert_int_equal(compose_pack(&t, &m, &r, d, &errs), 0);
    assert_true(find_block(d, 0, DOC_PARAGRAPH, want) >= 0);
    /* Corporate's savings forecast is "x" (README): the savings sentence
     * covers the other three areas, 3.85+2.55+1.95 = 8.35 of 4.5+3.2+2.1
     * = 9.8, and names Corporate as left out */
    assert_true(find_block(d, 0, DOC_PARAGRAPH,
                           "In the service areas that report both savings "
                           "figures, \u00a38.4m of the \u00a39.8m savings "
                           "target is forecast to be delivered, a shortfall "
                           "of \u00a31.5m. Left out of the savings totals: "
                           "Corporate (savings forecast not available [x]).")
                >= 0);
    /* 17 green, 7 amber, 5 red, 4 not rated (README) */
    assert_int_equal(r.counts[RP_RAG_GREEN], 17);
    assert_int_equal(r.counts[RP_RAG_AMBER], 7);
    assert_int_equal(r.counts[RP_RAG_RED], 5);
    assert_int_equal(r.counts[RP_RAG_NONE], 4);
    doc_destroy(d);
    compute_results_free(&r);
    model_free(&m);
    input_free(&in);
    rp_errors_free(&errs);
}

/* ---- fuzz regressions: figures at the edge of int64 ------------------------
 * rp_num holds millionths in int64, so about ±9.22e12 units. The inputs
 * below are minimized from tests/fuzz/fuzz_input.c runs: sums and gaps of
 * figures that each fit but whose total does not. */

typedef struct edge_fx {
    char dir[64];
    input_folder in;
    model m;
    compute_results r;
    rp_errors errs;
    document *d;
    const char *want_error;     /* set: compute must fail saying this */
    long want_line;             /* at this finance.csv line */
} edge_fx;

/* One measure in Area A with a value at 2023/24 Q2 (the pack's quarter),
 * the given finance.csv rows, composed with the summary and finance
 * sections. */
static void edge_compose(edge_fx *f, const char *finance_rows)
{
    const char *want = f->want_error;
    long line = f->want_line;
    memset(f, 0, sizeof *f);
    f->want_error = want;
    f->want_line = line;
    snprintf(f->dir, sizeof f->dir, "/tmp/test_pk_edge.XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    fi_put(f->dir, "measures.csv",
             "id,title,service_area,unit,polarity,annual\n"
             "M1,One,Area A,count,higher,last\n");
    fi_put(f->dir, "kpi.csv", "measure,period,value,target\n"
                                "M1,2023/24 Q2,1,1\n");
    char *fin = rp_xasprintf("service_area,period,budget,forecast,"
                             "savings_target,savings_forecast\n%s",
                             finance_rows);
    fi_put(f->dir, "finance.csv", fin);
    free(fin);
    rp_errors_init(&f->errs);
    assert_int_equal(input_read(f->dir, &f->in, &f->errs), 0);
    assert_int_equal(model_build(&f->in, &f->m, &f->errs), 0);
    compute_options o;
    compute_options_default(&o);
    int rc = compute_results_build(&f->m, &o, (rp_period){ 0, 0, 0 }, &f->r,
                                   &f->errs);
    if (f->want_error) {   /* a figure that does not fit: compute refuses */
        assert_int_equal(rc, -1);
        assert_true(f->errs.nerrors >= 1);
        assert_non_null(strstr(f->errs.v[0].file, "finance.csv"));
        assert_int_equal(f->errs.v[0].line, f->want_line);
        assert_non_null(strstr(f->errs.v[0].message, f->want_error));
        return;
    }
    assert_int_equal(rc, 0);
    assert_int_equal(f->r.period.q, 2);
    pack_template t;
    memset(&t, 0, sizeof t);
    template_section sec[2] = { { .kind = TEMPLATE_SECTION_SUMMARY }, { .kind = TEMPLATE_SECTION_FINANCE } };
    t.sections = sec;
    t.nsections = 2;
    f->d = doc_create();
    assert_int_equal(compose_pack(&t, &f->m, &f->r, f->d, &f->errs), 0);
}

static void edge_free(edge_fx *f)
{
    if (f->d)
        doc_destroy(f->d);
    compute_results_free(&f->r);
    model_free(&f->m);
    input_free(&f->in);
    rp_errors_free(&f->errs);
    char path[128];
    static const char *const names[] = { "measures.csv", "kpi.csv", "finance.csv" };
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", f->dir, names[i]);
        unlink(path);
    }
    rmdir(f->dir);
}

/* ---- input folders on disk, shaped like the councils' exports ----------- */

typedef struct dk_fx {
    char dir[64];
    input_folder in;
    model m;
    compute_results r;
    rp_errors errs;
    document *d;
} dk_fx;

/* Writes the files (commentary NULL: none), reads, models, computes for
 * `period` (NULL: the default) and composes the given sections. */
static void dk_compose(dk_fx *f, const char *measures, const char *kpi,
                       const char *finance, const char *commentary,
                       const char *period, const template_section_kind *kinds,
                       size_t nkinds)
{
    memset(f, 0, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/test_pk_dk.XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    fi_put(f->dir, "measures.csv", measures);
    fi_put(f->dir, "kpi.csv", kpi);
    fi_put(f->dir, "finance.csv", finance);
    if (commentary)
        fi_put(f->dir, "commentary.csv", commentary);
    rp_errors_init(&f->errs);
    assert_int_equal(input_read(f->dir, &f->in, &f->errs), 0);
    assert_int_equal(model_build(&f->in, &f->m, &f->errs), 0);
    compute_options o;
    compute_options_default(&o);
    rp_period p = { 0, 0, 0 };
    if (period)
        assert_int_equal(rp_period_parse(period, &p), 0);
    assert_int_equal(compute_results_build(&f->m, &o, p, &f->r, &f->errs), 0);
    pack_template t;
    memset(&t, 0, sizeof t);
    template_section sec[8];
    memset(sec, 0, sizeof sec);
    for (size_t i = 0; i < nkinds && i < 8; i++)
        sec[i].kind = kinds[i];
    t.sections = sec;
    t.nsections = nkinds;
    f->d = doc_create();
    assert_int_equal(compose_pack(&t, &f->m, &f->r, f->d, &f->errs), 0);
}

static void dk_free(dk_fx *f)
{
    doc_destroy(f->d);
    compute_results_free(&f->r);
    model_free(&f->m);
    input_free(&f->in);
    rp_errors_free(&f->errs);
    char path[128];
    static const char *const names[] = { "measures.csv", "kpi.csv",
                                         "finance.csv", "commentary.csv" };
    for (size_t i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/%s", f->dir, names[i]);
        unlink(path);
    }
    rmdir(f->dir);
}

/* A district council's KPI export: codes as ids, commentary by measure
 * (the way its officers write it), one red measure with a note and one
 * without. */
static const char *DISTRICT_MEASURES =
    "id,title,service_area,unit,polarity\n"
    "HP01,Homelessness cases prevented,Housing,percent,higher\n"
    "HP02,Households in temporary accommodation,Housing,count,lower\n"
    "WR01,Household waste recycled,Environment,percent,higher\n";
static const char *DISTRICT_KPI =
    "measure,period,value,target\n"
    "HP01,2024/25 Q2,41.0,55\n"           /* red: 14 points short */
    "HP02,2024/25 Q2,96,80\n"             /* red */
    "WR01,2024/25 Q2,44.2,44\n";          /* green */
static const char *DISTRICT_FINANCE =
    "service_area,period,budget,forecast\n"
    "Housing,2024/25 Q2,2100000,2230000\n";

static void test_measure_commentary_shown(void **state)
{
    (void)state;
    static const template_section_kind k[] = {
        TEMPLATE_SECTION_SUMMARY, TEMPLATE_SECTION_SERVICE_AREA,
        TEMPLATE_SECTION_DATA_QUALITY };
    dk_fx f;
    dk_compose(&f, DISTRICT_MEASURES, DISTRICT_KPI, DISTRICT_FINANCE,
               "scope,period,text\n"
               "HP01,2024/25 Q2,\"Two prevention officer posts were vacant.\n"
               "Both are filled from October.\"\n"
               "WR01,2024/25 Q2,Garden waste tonnage was high.\n"
               "HP01,2024/25 Q1,Last quarter's note.\n",
               NULL, k, 3);
    /* under Areas of risk, led by the measure's name */
    long risks = find_block(f.d, 0, DOC_HEADING, "Areas of risk");
    assert_true(risks >= 0);
    long c1 = find_block(f.d, (size_t)risks, DOC_PARAGRAPH,
                         "Homelessness cases prevented: Two prevention "
                         "officer posts were vacant.");
    assert_true(c1 > risks);
    assert_int_equal(find_block(f.d, (size_t)c1 + 1, DOC_PARAGRAPH,
                                "Both are filled from October."), c1 + 1);
    /* the red measure without a note says so there, not silently */
    assert_true(find_block(f.d, (size_t)risks, DOC_PARAGRAPH,
                           "Households in temporary accommodation: no "
                           "commentary was provided.") > risks);
    /* in its own service-area section, after the RAG table */
    long housing = find_block(f.d, 0, DOC_HEADING, "Housing");
    long env = find_block(f.d, 0, DOC_HEADING, "Environment");
    assert_true(housing > risks && env > housing);
    long in_area = find_block(f.d, (size_t)housing, DOC_PARAGRAPH,
                              "Homelessness cases prevented: Two prevention");
    assert_true(in_area > housing && in_area < env);
    assert_true(find_block(f.d, (size_t)env, DOC_PARAGRAPH,
                           "Household waste recycled: Garden waste") > env);
    /* another quarter's note is not this quarter's */
    assert_int_equal(find_block(f.d, 0, DOC_PARAGRAPH, "Last quarter"), -1);
    /* the appendix names the red measure with no commentary, only it */
    long dq = find_block(f.d, 0, DOC_HEADING, "Red measures without commentary");
    assert_true(dq > env);
    const doc_block *t = table_after(f.d, dq);
    assert_non_null(t);
    assert_int_equal(t->as.table.nrows, 2);
    assert_true(row_of(t, "Households in temporary accommodation") == 1);
    size_t nc = 0;
    for (size_t i = 0; i < f.r.ndq; i++)
        nc += f.r.dq[i].kind == COMPUTE_QUALITY_NO_COMMENTARY;
    assert_int_equal(nc, 1);
    dk_free(&f);
}

/* Totals over partial figures (contract): savings sum the areas that have
 * them and the areas left out are named; a missing forecast leaves no
 * total outturn, and the sentence says whose is missing. */
static void test_finance_partial_totals(void **state)
{
    (void)state;
    static const template_section_kind k[] = { TEMPLATE_SECTION_SUMMARY,
                                               TEMPLATE_SECTION_FINANCE };
    dk_fx f;
    /* Environment's savings suppressed, Housing's forecast blank */
    dk_compose(&f, DISTRICT_MEASURES, DISTRICT_KPI,
               "service_area,period,budget,forecast,savings_target,savings_forecast\n"
               "Housing,2024/25 Q2,\"\u00a32,100,000\",\u00a32.23m,\u00a3400k,\u00a3350k\n"
               "Environment,2024/25 Q2,\u00a35.6m,\u00a35.5m,[c],[c]\n"
               "Corporate,2024/25 Q2,\u00a33.0m,\u00a33.1m,\u00a3200k,\u00a3120k\n",
               NULL, NULL, k, 2);
    const compute_finance *t = compute_finance_total(&f.r);
    assert_non_null(t);
    assert_int_equal(t->budget.num, M(2100000 + 5600000 + 3000000));
    assert_int_equal(t->savings_target.num, M(400000 + 200000));
    assert_int_equal(t->savings_forecast.num, M(350000 + 120000));
    assert_int_equal(t->savings_gap.num, M(400000 + 200000 - 350000 - 120000));
    char tg[32], fc[32], gap[32], want[512];
    /* under £1m, prose money is in thousands */
    snprintf(fc, sizeof fc, "\u00a3%dk", (350000 + 120000) / 1000);
    snprintf(tg, sizeof tg, "\u00a3%dk", (400000 + 200000) / 1000);
    snprintf(gap, sizeof gap, "\u00a3%dk",
             (400000 + 200000 - 350000 - 120000) / 1000);
    snprintf(want, sizeof want, "In the service areas that report both "
             "savings figures, %s of the %s savings target is forecast to "
             "be delivered, a shortfall of %s. Left out of the savings "
             "totals: Environment (savings target suppressed [c]).",
             fc, tg, gap);
    assert_true(find_block(f.d, 0, DOC_PARAGRAPH, want) >= 0);
    /* the finance table's Total savings cells carry a note naming it */
    long fh = find_block(f.d, 0, DOC_HEADING, "Finance");
    const doc_block *tb = table_after(f.d, fh);
    long tr = row_of(tb, "Total");
    assert_true(tr > 0);
    assert_true(cellat(tb, (size_t)tr, 6)->footnote > 0);
    dk_free(&f);

    /* a forecast missing: no total outturn, and why */
    dk_compose(&f, DISTRICT_MEASURES, DISTRICT_KPI,
               "service_area,period,budget,forecast\n"
               "Housing,2024/25 Q2,2100000,\n"
               "Environment,2024/25 Q2,5600000,5500000\n",
               NULL, NULL, k, 2);
    t = compute_finance_total(&f.r);
    assert_false(rp_has(t->forecast));
    assert_true(find_block(f.d, 0, DOC_PARAGRAPH,
                           "The total forecast outturn cannot be given: "
                           "Housing (forecast not provided).") >= 0);
    assert_true(find_block(f.d, 0, DOC_PARAGRAPH,
                           "No savings figures were provided") >= 0);
    dk_free(&f);
}

/* No dangling "·" in the footer when the template has no meeting date. */
static void test_footer_without_meeting_date(void **state)
{
    (void)state;
    static const template_section_kind k[] = { TEMPLATE_SECTION_SUMMARY };
    dk_fx f;
    dk_compose(&f, DISTRICT_MEASURES, DISTRICT_KPI, DISTRICT_FINANCE, NULL,
               NULL, k, 1);
    /* dk_compose's template has neither committee nor date */
    assert_string_equal(f.d->footer_text ? f.d->footer_text : "", "");
    dk_free(&f);
}

/* Savings forecasts of 5e12 in each of two areas fit, their 1e13 total
 * does not: an error naming the row whose figure pushed the total over
 * (it used to become a silently missing Q2, and before that to wrap
 * around in compose_charts_finance). */
static void test_edge_savings_sum(void **state)
{
    (void)state;
    edge_fx f = { .want_error = "the total savings_forecast cannot be "
                                "computed", .want_line = 5 };
    edge_compose(&f, "Area A,2023/24 Q1,10,10,5,1\n"
                     "Area B,2023/24 Q1,10,10,5,1\n"
                     "Area A,2023/24 Q2,10,10,5,5000000000000\n"
                     "Area B,2023/24 Q2,10,10,5,5000000000000\n");
    edge_free(&f);
}

/* Target 9e12 and forecast -9e12: the gap (1.8e13) does not fit: an error
 * naming the cell (it used to be reported as the target met). */
static void test_edge_savings_gap(void **state)
{
    (void)state;
    edge_fx f = { .want_error = "the savings gap (target − forecast) cannot "
                                "be computed", .want_line = 2 };
    edge_compose(&f, "Area A,2023/24 Q2,10,10,9000000000000,-9000000000000\n");
    edge_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_money_edges),
        cmocka_unit_test(test_change_by_unit),
        cmocka_unit_test(test_cumulative_year_change),
        cmocka_unit_test_setup_teardown(test_headline_overspend, setup, teardown),
        cmocka_unit_test_setup_teardown(test_headline_underspend_increase, setup, teardown),
        cmocka_unit_test_setup_teardown(test_headline_overspend_increase, setup, teardown),
        cmocka_unit_test_setup_teardown(test_headline_q1_no_change, setup, teardown),
        cmocka_unit_test_setup_teardown(test_summary_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_finance_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_area_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_yearly_and_breakdown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trends, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cover_and_furniture, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cover_single_area, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_template, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_template_ok, setup, teardown),
        cmocka_unit_test(test_sample_headline),
        cmocka_unit_test(test_edge_savings_sum),
        cmocka_unit_test(test_measure_commentary_shown),
        cmocka_unit_test(test_finance_partial_totals),
        cmocka_unit_test(test_footer_without_meeting_date),
        cmocka_unit_test(test_edge_savings_gap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
