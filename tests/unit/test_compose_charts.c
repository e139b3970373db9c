/* test_compose_charts.c — compose_charts: results into figure blocks. */
#include "testutil.h"

#include "compose_charts.h"

static model_point pt(int fy, int q, rp_num v, int has)
{
    model_point p;
    memset(&p, 0, sizeof p);
    p.period = rp_quarter(fy, q);
    p.value = has ? rp_value_of(v * RP_SCALE) : rp_value_missing(RP_MISS_C);
    p.target = p.national = p.regional = rp_value_missing(RP_MISS_EMPTY);
    return p;
}

static void test_spark(void **state)
{
    (void)state;
    model_point q[3] = { pt(2023, 1, 5, 1), pt(2023, 2, 0, 0), pt(2023, 3, 7, 1) };
    model_series s;
    memset(&s, 0, sizeof s);
    s.quarters = q;
    s.nquarters = 3;
    chart *c = compose_charts_spark(&s, rp_quarter(2023, 3), 8);
    assert_non_null(c);
    chart_destroy(c);
    /* nothing in the span: no sparkline */
    assert_null(compose_charts_spark(&s, rp_quarter(2026, 1), 4));
    assert_null(compose_charts_spark(NULL, rp_quarter(2023, 3), 8));
}

static void test_summary_figure(void **state)
{
    (void)state;
    model_area areas[2] = { { .name = "Adults" }, { .name = "Highways" } };
    compute_area ca[2];
    memset(ca, 0, sizeof ca);
    size_t ix[3] = { 0, 1, 2 };
    ca[0].area = &areas[0];
    ca[0].ratings = ix;
    ca[0].nratings = 3;
    ca[0].counts[RP_RAG_GREEN] = 2;
    ca[0].counts[RP_RAG_RED] = 1;
    ca[1].area = &areas[1];            /* no measures: left out */
    compute_results r;
    memset(&r, 0, sizeof r);
    r.period = rp_quarter(2023, 3);
    r.areas = ca;
    r.nareas = 2;
    document *doc = doc_create();
    assert_int_equal(compose_charts_summary(doc, NULL, NULL, &r), 1);
    assert_int_equal(doc->nblocks, 1);
    const doc_figure *f = &doc->blocks[0].as.figure;
    assert_int_equal(doc->blocks[0].kind, DOC_FIGURE);
    assert_string_equal(f->id, "summary-ratings");
    assert_string_equal(f->alt, "Of 3 rated measures, 2 are green, 0 amber "
                                "and 1 red.");
    assert_non_null(f->chart);
    assert_true(f->height > 0);
    doc_destroy(doc);
}

/* DfE's NEET file has England's figure but no regional one for this
 * council: the comparators chart is titled for what it draws, never
 * "against England and the region". */
static void test_line_title_says_what_is_drawn(void **state)
{
    (void)state;
    input_measure_row def;
    memset(&def, 0, sizeof def);
    def.id = "NEET";
    def.title = "16-17 year olds NEET";
    def.unit = RP_UNIT_PERCENT;
    def.decimals = -1;
    model_point y[2];
    rp_period per[2];
    for (int i = 0; i < 2; i++) {
        memset(&y[i], 0, sizeof y[i]);
        per[i] = (rp_period){ RP_PER_CYEAR, 2024 + i, 0 };
        y[i].period = per[i];
        y[i].value = rp_value_of((i ? 74 : 23) * RP_SCALE / 10);
        y[i].target = y[i].regional = rp_value_missing(RP_MISS_EMPTY);
        y[i].national = rp_value_of((i ? 56 : 54) * RP_SCALE / 10);
    }
    model_series s;
    memset(&s, 0, sizeof s);
    s.years = y;
    s.nyears = 2;
    model_measure x;
    memset(&x, 0, sizeof x);
    x.def = &def;
    x.whole = &s;
    s.measure = &x;
    const char *want[2] = { "16-17 year olds NEET against England, by "
                            "calendar year",
                            "16-17 year olds NEET against England and the "
                            "region, by calendar year" };
    for (int k = 0; k < 2; k++) {
        if (k)
            y[1].regional = rp_value_of(61 * RP_SCALE / 10);
        document *doc = doc_create();
        assert_int_equal(compose_charts_line(doc, NULL, &x, per, 2), 1);
        assert_string_equal(doc->blocks[0].as.figure.title, want[k]);
        doc_destroy(doc);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spark),
        cmocka_unit_test(test_summary_figure),
        cmocka_unit_test(test_line_title_says_what_is_drawn),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
