/* nftw and FTW_PHYS are XSI */
#define _XOPEN_SOURCE 700
/* test_build_trend.c — trend packs: the closest-id suggestion, --by, the years
 * a measure's trend covers (quarterly by financial year, a year to date
 * compared with the whole year before as trends.csv has it and like for
 * like in the pack's text; annual-only by its own kind of year, cut at
 * the pack's period), the pack's period, and build_trend's option handling
 * and atomic output. Figures are worked by hand from the fixture CSVs. */
#include "testutil.h"
#include "fixture_input.h"

#include "build.h"
#include "model.h"
#include "compose.h"
#include "input.h"

#include <ftw.h>
#include <unistd.h>

#define U(x) ((rp_num)(x) * RP_SCALE)

/* ---- closest ids ------------------------------------------------------ */

static const char *const IDS[] = { "DELAYED_DISCHARGE", "EHCP_TOTAL",
                                   "EHCP_20WK", "POTHOLES_CAT3", "CIC_RATE" };
#define NIDS (sizeof IDS / sizeof IDS[0])

static void closest_issue_example(void **st)
{
    (void)st;
    /* EHCP_TOTL: one insertion from EHCP_TOTAL; four substitutions
     * (T→2, O→0, T→W, L→K) from EHCP_20WK; the rest are far. */
    char *s = build_closest_ids("EHCP_TOTL", IDS, NIDS, 3);
    assert_non_null(s);
    assert_string_equal(s, "EHCP_TOTAL, EHCP_20WK");
    free(s);
}

static void closest_case_insensitive(void **st)
{
    (void)st;
    char *s = build_closest_ids("potholes_cat1", IDS, NIDS, 3);
    assert_non_null(s);
    assert_string_equal(s, "POTHOLES_CAT3");      /* one substitution */
    free(s);
    s = build_closest_ids("ehcp_total", IDS, NIDS, 1);
    assert_string_equal(s, "EHCP_TOTAL");         /* distance 0, max 1 */
    free(s);
}

static void closest_none(void **st)
{
    (void)st;
    assert_null(build_closest_ids("ZZZ", IDS, NIDS, 3));
    assert_null(build_closest_ids("EHCP_TOTAL", IDS, 0, 3));
}

static void by_words(void **st)
{
    (void)st;
    assert_int_equal(build_trend_by("quarter"), COMPOSE_BY_QUARTER);
    assert_int_equal(build_trend_by("YEAR"), COMPOSE_BY_YEAR);
    assert_int_equal(build_trend_by("month"), -1);
    assert_int_equal(build_trend_by(NULL), -1);
}

/* ---- fixture: a small input folder ---------------------------------------- */

typedef struct fx {
    char dir[64];
    input_folder in;
    model m;
    rp_errors errs;
} fx;

static const char *MEASURES =
    "id,title,service_area,unit,polarity,annual\n"
    "Q_SUM,Quarterly total,Area A,count,higher,sum\n"
    "Q_PCT,Quarterly share,Area A,percent,higher,last\n"
    "Q_MEAN,Quarterly mean,Area A,percent,higher,mean\n"
    "AY_COUNT,Academic count,Area B,count,none,last\n"
    "CY_PCT,Calendar share,Area B,percent,higher,last\n";

static const char *KPI =
    "measure,period,value,target,national,regional,breakdown\n"
    "Q_SUM,2021/22 Q1,1,,,,\n"
    "Q_SUM,2021/22 Q2,2,,,,\n"
    "Q_SUM,2021/22 Q3,3,,,,\n"
    "Q_SUM,2021/22 Q4,4,,,,\n"
    "Q_SUM,2022/23 Q1,2,,,,\n"
    "Q_SUM,2022/23 Q2,2,,,,\n"
    "Q_SUM,2022/23 Q3,2,,,,\n"
    "Q_SUM,2022/23 Q4,2,,,,\n"
    "Q_SUM,2023/24 Q1,3,,,,\n"
    "Q_SUM,2023/24 Q2,3,,,,\n"
    "Q_PCT,2022/23 Q2,40,,50,45,\n"
    "Q_PCT,2023/24 Q2,44,,52,47,\n"
    "Q_MEAN,2023/24 Q1,10,,50,40,\n"
    "Q_MEAN,2023/24 Q2,20,,54,,\n"
    "AY_COUNT,AY 2021/22,100,,9000,800,\n"
    "AY_COUNT,AY 2023/24,120,,9900,880,\n"
    "CY_PCT,2023,30,,40,35,\n"
    "CY_PCT,2024,33,,41,36,\n";

/* A scratch input folder made from dir ("/tmp/name.XXXXXX", filled in)
 * with these measures and kpi rows and no finance, read and modelled. */
static void folder_load(char *dir, const char *measures, const char *kpi,
                        input_folder *in, model *m, rp_errors *e)
{
    assert_non_null(mkdtemp(dir));
    fi_put(dir, "measures.csv", measures);
    fi_put(dir, "kpi.csv", kpi);
    fi_put(dir, "finance.csv", "service_area,period,budget,forecast\n");
    rp_errors_init(e);
    assert_int_equal(input_read(dir, in, e), 0);
    assert_int_equal(model_build(in, m, e), 0);
}

static int fx_setup(void **st)
{
    fx *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/test_trend.XXXXXX");
    folder_load(f->dir, MEASURES, KPI, &f->in, &f->m, &f->errs);
    *st = f;
    return 0;
}

static int rm_one(const char *p, const struct stat *s, int fl, struct FTW *w)
{
    (void)s; (void)fl; (void)w;
    return remove(p);
}

static int fx_teardown(void **st)
{
    fx *f = *st;
    model_free(&f->m);
    input_free(&f->in);
    rp_errors_free(&f->errs);
    nftw(f->dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

static rp_period per(const char *s)
{
    rp_period p;
    assert_int_equal(rp_period_parse(s, &p), 0);
    return p;
}

static void quarterly_sum_years(void **st)
{
    fx *f = *st;
    compute_trend ts;
    compute_trend_measure(model_find_measure(&f->m, "Q_SUM"), per("2023/24 Q2"), 3, &ts);
    assert_true(ts.quarterly);
    assert_int_equal(ts.nyears, 3);
    assert_int_equal(ts.years[0].period.kind, RP_PER_FYEAR);
    assert_int_equal(ts.years[0].period.fy, 2021);
    assert_int_equal(ts.years[0].value.num, U(10));     /* 1+2+3+4 */
    assert_false(rp_has(ts.years[0].yoy_pct));
    assert_int_equal(ts.years[1].value.num, U(8));      /* 2×4 */
    assert_int_equal(ts.years[1].yoy_pct.num, U(-20));  /* (8−10)/10 */
    assert_true(ts.years[1].complete);
    /* year to date Q1–Q2: 3+3 = 6; its change is the contract's, on the
     * whole of 2022/23 (8): (6−8)/8 = −25%, as trends.csv writes it */
    assert_false(ts.years[2].complete);
    assert_int_equal(ts.years[2].lastq, 2);
    assert_int_equal(ts.years[2].value.num, U(6));
    assert_int_equal(ts.years[2].before.num, U(8));
    assert_int_equal(ts.years[2].yoy_pct.num, U(-25));
    compute_trend_free(&ts);
}

/* The pack's words for that year to date: both changes, each named; the
 * like-for-like one is 6 against 2022/23 Q1–Q2 = 2+2 = 4, +50%. The
 * caption says "up", never that a part year fell against a full one. */
static void ytd_both_changes_in_pack(void **st)
{
    fx *f = *st;
    const model_measure *x = model_find_measure(&f->m, "Q_SUM");
    const model_measure *ms[1] = { x };
    pack_template t;
    memset(&t, 0, sizeof t);
    compute_trend tr;
    compute_trend_measure(x, per("2023/24 Q2"), 3, &tr);
    compose_trend_options o = { .measures = ms, .nmeasures = 1, .trends = &tr,
                        .years = 3, .by = COMPOSE_BY_DEFAULT,
                        .period = per("2023/24 Q2") };
    document *d = doc_create();
    rp_errors e;
    rp_errors_init(&e);
    assert_int_equal(compose_trend(&t, &f->m, &o, d, &e), 0);
    int cell = 0, caption = 0, lead = 0;
    for (size_t i = 0; i < d->nblocks; i++) {
        const doc_block *b = &d->blocks[i];
        if (b->kind == DOC_TABLE)
            for (size_t k = 0; k < b->as.table.nrows * b->as.table.ncols; k++) {
                const char *c = b->as.table.cells[k].text;
                /* 6 − 8 = −2, −2 / 8 = −25%; 6 − 4 = +2, 2 / 4 = +50% */
                cell += c && !strcmp(c, "-2 (-25.0%) compared with a full year; "
                                        "+2 (+50.0%) on the same quarters of 2022/23");
            }
        if (b->kind == DOC_FIGURE && b->as.figure.alt &&
            !strcmp(b->as.figure.alt, "Quarterly total: 6 in 2023/24 to date "
                                   "(Q1\u2013Q2), up 50.0% on the same "
                                   "quarters of 2022/23; 8 in the whole of "
                                   "2022/23."))
            caption++;
        for (size_t k = 0; b->kind == DOC_PARAGRAPH && k < b->nspans; k++)
            lead += strstr(b->spans[k].text, "is 6, 50.0% higher than in the "
                                             "same quarters of 2022/23; the "
                                             "whole of 2022/23 was 8.") != NULL;
    }
    assert_int_equal(cell, 2);          /* the By year table and page one */
    assert_int_equal(caption, 1);
    assert_int_equal(lead, 1);
    rp_errors_free(&e);
    doc_destroy(d);
    compute_trend_free(&tr);
}

static void quarterly_last_comparators(void **st)
{
    fx *f = *st;
    compute_trend ts;
    /* annual rule "last": the year-end quarter's comparators are like for
     * like, so they go in the annual table */
    compute_trend_measure(model_find_measure(&f->m, "Q_PCT"), per("2023/24 Q2"), 2, &ts);
    assert_int_equal(ts.nyears, 2);
    assert_false(rp_has(ts.years[0].value));            /* no 2022/23 Q4 */
    assert_int_equal(ts.years[1].value.num, U(44));
    assert_int_equal(ts.years[1].national.num, U(52));
    assert_int_equal(ts.years[1].regional.num, U(47));
    /* no 2022/23 figure (no Q4), so no change on the year before; like
     * for like (compute): 2022/23 Q2 = 40 → +10% */
    assert_false(rp_has(ts.years[1].yoy_pct));
    compute_trend ct;
    compute_trend_series(model_find_measure(&f->m, "Q_PCT")->whole, per("2023/24 Q2"),
                    2, &ct);
    assert_int_equal(ct.years[1].ytd_prev.num, U(40));
    assert_int_equal(ct.years[1].ytd_yoy_pct.num, U(10));
    compute_trend_free(&ct);
    compute_trend_free(&ts);
    /* asked for 3 years: 2021/22 has no row at all, so the trend starts
     * where the data does, in 2022/23 */
    compute_trend_measure(model_find_measure(&f->m, "Q_PCT"), per("2023/24 Q2"), 3, &ts);
    assert_int_equal(ts.nyears, 2);
    assert_int_equal(ts.years[0].period.fy, 2022);
    assert_false(rp_has(ts.years[0].yoy_pct));
    compute_trend_free(&ts);
}

static void quarterly_mean_comparators(void **st)
{
    fx *f = *st;
    compute_trend ts;
    compute_trend_measure(model_find_measure(&f->m, "Q_MEAN"), per("2023/24 Q2"), 2, &ts);
    assert_int_equal(ts.nyears, 1);                      /* data starts 2023/24 */
    assert_int_equal(ts.years[0].value.num, U(15));      /* (10+20)/2 */
    assert_int_equal(ts.years[0].national.num, U(52));   /* (50+54)/2 */
    /* the region lacks Q2: no average of one quarter against two */
    assert_false(rp_has(ts.years[0].regional));
    compute_trend_free(&ts);
}

static void academic_years_kept(void **st)
{
    fx *f = *st;
    compute_trend ts;
    compute_trend_measure(model_find_measure(&f->m, "AY_COUNT"), per("AY 2023/24"), 3, &ts);
    assert_false(ts.quarterly);
    assert_int_equal(ts.nyears, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(ts.years[i].period.kind, RP_PER_AYEAR);
        assert_int_equal(ts.years[i].period.fy, 2021 + (int)i);
        assert_true(ts.years[i].complete);
    }
    assert_int_equal(ts.years[0].value.num, U(100));
    assert_int_equal(ts.years[0].national.num, U(9000));
    assert_false(rp_has(ts.years[1].value));             /* gap year */
    assert_int_equal(ts.years[2].value.num, U(120));
    assert_false(rp_has(ts.years[2].yoy_pct));           /* year before gap */
    compute_trend_free(&ts);
}

static void calendar_year_cut_at_pack(void **st)
{
    fx *f = *st;
    compute_trend ts;
    /* a pack for 2023/24 Q4 ends March 2024: calendar 2024 (to December)
     * has not ended, so 2023 is the latest year shown */
    compute_trend_measure(model_find_measure(&f->m, "CY_PCT"), per("2023/24 Q4"), 2, &ts);
    assert_int_equal(ts.nyears, 1);             /* 2022 precedes the data */
    assert_int_equal(ts.years[0].period.kind, RP_PER_CYEAR);
    assert_int_equal(ts.years[0].period.fy, 2023);
    assert_int_equal(ts.years[0].value.num, U(30));
    compute_trend_free(&ts);
    compute_trend_measure(model_find_measure(&f->m, "CY_PCT"), per("2024"), 2, &ts);
    assert_int_equal(ts.years[1].value.num, U(33));
    /* (33 − 30) / 30 = 10% */
    assert_int_equal(ts.years[1].yoy_pct.num, U(10));
    compute_trend_free(&ts);
}

/* The trend pack follows the committee pack's rules: a count's England
 * and region are totals of other populations and are not drawn (AY_COUNT
 * has comparators and no target, so no comparator line at all), and every
 * footnote is kept with the end of its table (the 2022/23 gap is n/a with
 * a note). */
static void trend_pack_shares_pack_rules(void **st)
{
    fx *f = *st;
    const model_measure *x = model_find_measure(&f->m, "AY_COUNT");
    const model_measure *ms[1] = { x };
    compute_trend tr;
    compute_trend_measure(x, per("AY 2023/24"), 3, &tr);
    pack_template t;
    memset(&t, 0, sizeof t);
    compose_trend_options o = { .measures = ms, .nmeasures = 1, .trends = &tr,
                                .years = 3, .period = per("AY 2023/24") };
    document *d = doc_create();
    rp_errors e;
    rp_errors_init(&e);
    assert_int_equal(compose_trend(&t, &f->m, &o, d, &e), 0);
    int lines = 0, notes = 0;
    for (size_t i = 0; i < d->nblocks; i++) {
        const doc_block *b = &d->blocks[i];
        lines += b->kind == DOC_FIGURE &&
                 !strcmp(b->as.figure.id, "ay-count-comparators");
        if (b->kind == DOC_PARAGRAPH && b->as.paragraph.small) {
            assert_true(b->keep_with_prev);
            notes++;
        }
    }
    assert_int_equal(lines, 0);
    assert_true(notes > 0);
    rp_errors_free(&e);
    doc_destroy(d);
    compute_trend_free(&tr);
}

static void latest_period(void **st)
{
    fx *f = *st;
    const model_measure *q[2] = { model_find_measure(&f->m, "AY_COUNT"),
                               model_find_measure(&f->m, "Q_SUM") };
    rp_period p = compute_latest_period(q, 2);
    assert_int_equal(p.kind, RP_PER_QUARTER);            /* one is quarterly */
    assert_int_equal(p.fy, 2023);
    assert_int_equal(p.q, 2);
    /* AY 2023/24 ends August 2024, calendar 2024 ends December 2024 */
    const model_measure *a[2] = { model_find_measure(&f->m, "AY_COUNT"),
                               model_find_measure(&f->m, "CY_PCT") };
    p = compute_latest_period(a, 2);
    assert_int_equal(p.kind, RP_PER_CYEAR);
    assert_int_equal(p.fy, 2024);
}

/* ---- build_trend ----------------------------------------------------------------- */

static int has_error(const rp_errors *e, const char *needle)
{
    for (size_t i = 0; i < e->n; i++)
        if (strstr(e->v[i].message, needle))
            return 1;
    return 0;
}

static void trend_options(void **st)
{
    fx *f = *st;
    build_trend_options o;
    build_result res;
    rp_errors e;

    /* nothing selected: a usage error, not a data error */
    build_trend_options_default(&o);
    o.input_dir = f->dir;
    rp_errors_init(&e);
    assert_int_equal(build_trend(&o, &res, &e), BUILD_TREND_NO_MEASURES);
    rp_errors_free(&e);

    /* unknown ids are all reported, each with its closest ids */
    const char *bad[2] = { "Q_SUN", "NOPE_NOPE_NOPE" };
    o.measures = bad;
    o.nmeasures = 2;
    rp_errors_init(&e);
    assert_int_equal(build_trend(&o, &res, &e), -1);
    assert_true(has_error(&e, "unknown measure \"Q_SUN\"; did you mean Q_SUM"));
    assert_true(has_error(&e, "unknown measure \"NOPE_NOPE_NOPE\""));
    rp_errors_free(&e);

    const char *good[1] = { "Q_SUM" };
    o.measures = good;
    o.nmeasures = 1;
    o.years = 11;
    rp_errors_init(&e);
    assert_int_equal(build_trend(&o, &res, &e), -1);
    assert_true(has_error(&e, "out of range"));
    rp_errors_free(&e);

    o.years = 0;
    o.period = "Q7 sometime";
    rp_errors_init(&e);
    assert_int_equal(build_trend(&o, &res, &e), -1);
    assert_true(has_error(&e, "is not a quarter or a year"));
    rp_errors_free(&e);

    /* a period after the data: no pack of empty years */
    o.period = "2031/32 Q1";
    rp_errors_init(&e);
    assert_int_equal(build_trend(&o, &res, &e), -1);
    assert_true(has_error(&e, "no value for the chosen measures in the 3 years"));
    rp_errors_free(&e);

    o.period = NULL;
    o.service_area = "Area Z";
    o.nmeasures = 0;
    rp_errors_init(&e);
    assert_int_equal(build_trend(&o, &res, &e), -1);
    assert_true(has_error(&e, "unknown service area \"Area Z\""));
    rp_errors_free(&e);
}

static void trend_output_atomic(void **st)
{
    fx *f = *st;
    char pdf[128], csv[160];
    snprintf(pdf, sizeof pdf, "%s/out/pack.pdf", f->dir);
    snprintf(csv, sizeof csv, "%s/out/pack/trends.csv", f->dir);

    build_trend_options o;
    build_trend_options_default(&o);
    o.input_dir = f->dir;
    o.service_area = "Area B";          /* AY_COUNT and CY_PCT */
    o.out_path = pdf;
    build_result res;
    rp_errors e;
    rp_errors_init(&e);
    int rc = build_trend(&o, &res, &e);
    if (rc != 0)
        rp_errors_print(&e, stderr);
    assert_int_equal(rc, 0);
    assert_string_equal(res.pdf_path, pdf);
    assert_true(res.pages >= 3);        /* overview + one per measure */
    build_result_free(&res);
    rp_errors_free(&e);

    /* trends.csv keeps each measure's own years; the annual-only pack's
     * period is the latest year (calendar 2024), so AY 2023/24 is last */
    char *text = tu_slurp(csv, NULL);
    assert_non_null(text);
    assert_non_null(strstr(text, "measure,year,value,complete,yoy_change_pct,"
                                 "yoy_change\n"));
    assert_non_null(strstr(text, "AY_COUNT,AY 2023/24,120,yes,,\n"));
    /* (33 − 30) / 30 = 10%, and 33 − 30 = 3 points */
    assert_non_null(strstr(text, "CY_PCT,2024,33,yes,10,3\n"));
    assert_null(strstr(text, ",2023/24,"));     /* never relabelled FY */
    free(text);
    char png[192];
    snprintf(png, sizeof png, "%s/out/pack/charts/cy-pct-annual.png", f->dir);
    assert_int_equal(access(png, F_OK), 0);
    snprintf(png, sizeof png, "%s/out/pack/charts/cy-pct-comparators.svg", f->dir);
    assert_int_equal(access(png, F_OK), 0);

    /* a failed run leaves the last good PDF as it was */
    size_t before_len, after_len;
    char *before = tu_slurp(pdf, &before_len);
    const char *bad[1] = { "Q_SUN" };
    o.service_area = NULL;
    o.measures = bad;
    o.nmeasures = 1;
    rp_errors_init(&e);
    assert_int_equal(build_trend(&o, &res, &e), -1);
    rp_errors_free(&e);
    char *after = tu_slurp(pdf, &after_len);
    assert_int_equal(before_len, after_len);
    assert_memory_equal(before, after, before_len);
    free(before);
    free(after);
}

/* trends.csv from a trend pack means what the main pack's does: the
 * year to date against the whole year before, flagged complete=no. */
static void trends_csv_ytd(void **st)
{
    fx *f = *st;
    char pdf[128], csv[160];
    snprintf(pdf, sizeof pdf, "%s/sum/pack.pdf", f->dir);
    snprintf(csv, sizeof csv, "%s/sum/pack/trends.csv", f->dir);
    const char *ids[1] = { "Q_SUM" };
    build_trend_options o;
    build_trend_options_default(&o);
    o.input_dir = f->dir;
    o.measures = ids;
    o.nmeasures = 1;
    o.out_path = pdf;
    build_result res;
    rp_errors e;
    rp_errors_init(&e);
    int rc = build_trend(&o, &res, &e);
    if (rc != 0)
        rp_errors_print(&e, stderr);
    assert_int_equal(rc, 0);
    build_result_free(&res);
    rp_errors_free(&e);
    char *text = tu_slurp(csv, NULL);
    assert_non_null(text);
    /* 10, then (8−10)/10 = −20% (−2), then (6−8)/8 = −25% (−2) */
    assert_non_null(strstr(text, "Q_SUM,2021/22,10,yes,,\n"
                                 "Q_SUM,2022/23,8,yes,-20,-2\n"
                                 "Q_SUM,2023/24,6,no,-25,-2\n"));
    free(text);
}

/* Fuzz regression (tests/fuzz/fuzz_input.c): a trend's sums and changes of
 * figures that each fit rp_num (±9.22e12 units) but whose result does not
 * are not available, never wrapped around (signed overflow). */
static void edge_overflow_not_available(void **st)
{
    (void)st;
    char dir[64];
    snprintf(dir, sizeof dir, "/tmp/test_trend_edge.XXXXXX");
    rp_errors e;
    input_folder in;
    model m;
    folder_load(dir,
        "id,title,service_area,unit,polarity,annual\n"
        "BIG,Big total,Area A,count,higher,sum\n"
        "CYB,Big year,Area A,count,higher,last\n"
        "CYS,Big rise,Area A,count,higher,last\n",
        "measure,period,value,target,national,regional,breakdown\n"
        "BIG,2023/24 Q1,1,,5000000000000,5000000000000,\n"
        "BIG,2023/24 Q2,2,,5000000000000,1,\n"
        "CYB,2023,-9000000000000,,,,\n"
        "CYB,2024,9000000000000,,,,\n"
        "CYS,2023,0.000001,,,,\n"
        "CYS,2024,9000000000000,,,,\n", &in, &m, &e);

    /* national 5e12 + 5e12 = 1e13 does not fit; regional 5e12 + 1 does */
    compute_trend ts;
    compute_trend_measure(model_find_measure(&m, "BIG"), per("2023/24 Q2"), 1, &ts);
    assert_int_equal(ts.nyears, 1);
    assert_int_equal(ts.years[0].value.num, U(3));
    assert_false(rp_has(ts.years[0].national));
    assert_int_equal(ts.years[0].regional.num, U(5000000000001));
    compute_trend_free(&ts);

    /* 9e12 - (-9e12) = 1.8e13 does not fit: no % change */
    compute_trend_measure(model_find_measure(&m, "CYB"), per("2024"), 2, &ts);
    assert_int_equal(ts.nyears, 2);
    assert_int_equal(ts.years[1].value.num, U(9000000000000));
    assert_int_equal(ts.years[1].before.num, -U(9000000000000));
    assert_false(rp_has(ts.years[1].yoy_pct));
    compute_trend_free(&ts);

    /* from 0.000001 to 9e12 is a rise of 9e20 %, beyond rp_num: n/a */
    compute_trend_measure(model_find_measure(&m, "CYS"), per("2024"), 2, &ts);
    assert_int_equal(ts.nyears, 2);
    assert_int_equal(ts.years[1].before.num, 1);
    assert_false(rp_has(ts.years[1].yoy_pct));
    compute_trend_free(&ts);

    model_free(&m);
    input_free(&in);
    rp_errors_free(&e);
    nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

/* The trend tables carry the committee pack's benchmarks: the region by
 * name, the neighbours' average and the rank among authorities, from each
 * row's own kpi row (a year's from its whole-year row, a quarter's from
 * its quarter); a row without a rank says why. */
static const doc_block *nth_table(const document *d, int n)
{
    for (size_t i = 0; i < d->nblocks; i++)
        if (d->blocks[i].kind == DOC_TABLE && n-- == 0)
            return &d->blocks[i];
    return NULL;
}

static const char *cell(const doc_block *t, size_t r, size_t c)
{
    return t->as.table.cells[r * t->as.table.ncols + c].text;
}

static void benchmarks_in_tables(void **st)
{
    (void)st;
    char dir[64];
    snprintf(dir, sizeof dir, "/tmp/test_trend_bench.XXXXXX");
    rp_errors e;
    input_folder in;
    model m;
    folder_load(dir,
        "id,title,service_area,unit,polarity,annual\n"
        "CYR,Plans on time,Area A,percent,higher,last\n"
        "QR,Calls answered,Area A,percent,higher,last\n",
        "measure,period,value,target,national,regional,breakdown,neighbours,region,rank,ranked\n"
        "CYR,2022,37,,47.7,48.9,,44.1,West Midlands,101,147\n"
        "CYR,2023,28.1,,49.1,48.4,,45.2,West Midlands,,\n"
        "CYR,2024,35.3,,45.9,41,,43.0,West Midlands,106,153\n"
        "QR,2023/24 Q1,80,,82,81,,,North East,,\n"
        "QR,2023/24 Q2,81,,83,80,,,North East,12,150\n", &in, &m, &e);
    pack_template t;
    memset(&t, 0, sizeof t);

    const model_measure *x = model_find_measure(&m, "CYR");
    const model_measure *ms[1] = { x };
    compute_trend tr;
    compute_trend_measure(x, per("2024"), 3, &tr);
    compose_trend_options o = { .measures = ms, .nmeasures = 1, .trends = &tr,
                                .years = 3, .period = per("2024") };
    document *d = doc_create();
    assert_int_equal(compose_trend(&t, &m, &o, d, &e), 0);
    const doc_block *yt = NULL;   /* the By year table: headed "Year" */
    for (int k = 0; (yt = nth_table(d, k)) && strcmp(cell(yt, 0, 0), "Year"); k++)
        ;
    assert_non_null(yt);
    assert_int_equal(yt->as.table.ncols, 7);
    assert_string_equal(cell(yt, 0, 3), "England");
    assert_string_equal(cell(yt, 0, 4), "West Midlands");
    assert_string_equal(cell(yt, 0, 5), "Neighbours");
    assert_string_equal(cell(yt, 0, 6), "Rank among authorities");
    assert_string_equal(cell(yt, 1, 5), "44.1%");
    char want[64];
    /* 101 of 147: (101 - 1) * 4 / 147 = 2, so the 3rd quartile */
    snprintf(want, sizeof want, "%drd quartile, 101st of 147",
             compute_quartile(101, 147));
    assert_string_equal(cell(yt, 1, 6), want);
    assert_string_equal(cell(yt, 2, 6), "n/a");      /* no rank in 2023 */
    assert_true(yt->as.table.cells[2 * 7 + 6].footnote > 0);
    snprintf(want, sizeof want, "%drd quartile, 106th of 153",
             compute_quartile(106, 153));
    assert_string_equal(cell(yt, 3, 6), want);
    doc_destroy(d);
    compute_trend_free(&tr);

    /* quarters: the quarter table shows the quarter's own rank */
    x = model_find_measure(&m, "QR");
    ms[0] = x;
    compute_trend_measure(x, per("2023/24 Q2"), 2, &tr);
    o.trends = &tr;
    o.years = 2;
    o.period = per("2023/24 Q2");
    o.by = COMPOSE_BY_QUARTER;
    d = doc_create();
    assert_int_equal(compose_trend(&t, &m, &o, d, &e), 0);
    const doc_block *qt = NULL;
    for (int k = 0; (qt = nth_table(d, k)) && strcmp(cell(qt, 0, 0), "Quarter"); k++)
        ;
    assert_non_null(qt);
    size_t nc = qt->as.table.ncols;
    assert_string_equal(cell(qt, 0, nc - 2), "North East");
    assert_string_equal(cell(qt, 0, nc - 1), "Rank among authorities");
    int found = 0;
    for (size_t r = 1; r < qt->as.table.nrows; r++)
        if (!strcmp(cell(qt, r, 0), "2023/24 Q2")) {
            snprintf(want, sizeof want, "%dst quartile, 12th of 150",
                     compute_quartile(12, 150));
            assert_string_equal(cell(qt, r, nc - 1), want);
            found = 1;
        }
    assert_true(found);
    doc_destroy(d);
    compute_trend_free(&tr);

    /* two regions named: the template's word, else "Region" */
    model_free(&m);
    input_free(&in);
    fi_put(dir, "kpi.csv",
        "measure,period,value,target,national,regional,breakdown,region\n"
        "CYR,2023,28.1,,49.1,48.4,,West Midlands\n"
        "CYR,2024,35.3,,45.9,41,,East Midlands\n");
    assert_int_equal(input_read(dir, &in, &e), 0);
    assert_int_equal(model_build(&in, &m, &e), 0);
    x = model_find_measure(&m, "CYR");
    ms[0] = x;
    compute_trend_measure(x, per("2024"), 2, &tr);
    o.trends = &tr;
    o.period = per("2024");
    o.by = COMPOSE_BY_DEFAULT;
    d = doc_create();
    assert_int_equal(compose_trend(&t, &m, &o, d, &e), 0);
    for (int k = 0; (yt = nth_table(d, k)) && strcmp(cell(yt, 0, 0), "Year"); k++)
        ;
    assert_non_null(yt);
    assert_int_equal(yt->as.table.ncols, 5);
    assert_string_equal(cell(yt, 0, 4), "Region");
    doc_destroy(d);
    compute_trend_free(&tr);

    model_free(&m);
    input_free(&in);
    rp_errors_free(&e);
    nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(closest_issue_example),
        cmocka_unit_test(closest_case_insensitive),
        cmocka_unit_test(closest_none),
        cmocka_unit_test(by_words),
        cmocka_unit_test_setup_teardown(quarterly_sum_years, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(ytd_both_changes_in_pack, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(trends_csv_ytd, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(quarterly_last_comparators, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(quarterly_mean_comparators, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(academic_years_kept, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(calendar_year_cut_at_pack, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(trend_pack_shares_pack_rules, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(latest_period, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(trend_options, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(trend_output_atomic, fx_setup, fx_teardown),
        cmocka_unit_test(edge_overflow_not_available),
        cmocka_unit_test(benchmarks_in_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
