/* test_model.c — model: order of areas, series and points, the latest
 * quarter, look-ups, and the four cross-row errors with their lines. */
#include "testutil.h"
#include "fixture_input.h"

#include "model.h"

/* ---- an in-memory input_folder (tests/fixture_input.h); the tests give
 * each row's line so the errors can be checked against it ---- */
typedef fi_input fx;

static void fx_init(fx *f)
{
    fi_init(f, "in/measures.csv", "in/kpi.csv", "in/finance.csv");
}

static void fx_kpi(fx *f, long line, const char *id, rp_period p,
                   rp_value v, const char *bd)
{
    fi_kpi(f, line, id, p, v, rp_value_missing(RP_MISS_EMPTY), bd);
}

static void fx_fin(fx *f, long line, const char *area, rp_period p)
{
    fi_fin(f, line, area, p, rp_value_of(1), rp_value_of(1));
}

/* commentary.csv rows from line 2 */
static void fx_comment(fx *f, const char *scope, rp_period p, const char *t)
{
    fi_comment(f, (long)f->in.ncomments + 2, scope, p, t);
}

#define Q rp_quarter
#define NOV rp_value_missing(RP_MISS_EMPTY)

static void test_model_order(void **st)
{
    (void)st;
    fx f;
    fx_init(&f);
    fi_measure(&f, 2, "B1", "Place");
    fi_measure(&f, 3, "A1", "Adults");
    fi_measure(&f, 4, "B2", "Place");
    fi_measure(&f, 5, "E1", "Place");          /* no kpi rows */
    /* breakdown rows first, out of period order, with spaces */
    fx_kpi(&f, 2, "B1", Q(2023, 2), rp_value_of(5), "North");
    fx_kpi(&f, 3, "B1", Q(2023, 1), rp_value_of(4), " North ");
    fx_kpi(&f, 4, "B1", Q(2023, 3), rp_value_of(7), "");
    fx_kpi(&f, 5, "B1", Q(2022, 4), rp_value_of(6), "");
    fx_kpi(&f, 6, "B1", rp_fyear(2022), rp_value_of(20), "");
    fx_kpi(&f, 7, "B1", Q(2023, 3), rp_value_of(1), "South");
    fx_kpi(&f, 8, "A1", Q(2023, 4), NOV, "");   /* later, but no value */
    fx_fin(&f, 2, "Corporate", Q(2023, 3));
    fx_fin(&f, 3, "adults", Q(2023, 3));        /* same area, other case */
    fx_fin(&f, 4, "Public Health", Q(2023, 3));

    model m;
    rp_errors e;
    rp_errors_init(&e);
    assert_int_equal(model_build(&f.in, &m, &e), 0);
    assert_int_equal(e.n, 0);

    /* areas: measures.csv order, then finance-only in finance.csv order */
    assert_int_equal(m.nareas, 4);
    assert_string_equal(m.areas[0].name, "Place");
    assert_string_equal(m.areas[1].name, "Adults");
    assert_string_equal(m.areas[2].name, "Corporate");
    assert_string_equal(m.areas[3].name, "Public Health");
    assert_int_equal(m.areas[0].nmeasures, 3);
    assert_int_equal(m.areas[0].measures[1], 2);   /* B2 */
    assert_int_equal(m.areas[1].nfinance, 1);
    assert_int_equal(m.areas[1].finance[0]->line, 3);
    assert_int_equal(model_find_area(&m, "PUBLIC HEALTH"), 3);
    assert_int_equal(model_find_area(&m, "Nowhere"), -1);

    /* series: whole first, then breakdowns by first appearance */
    const model_measure *b1 = model_find_measure(&m, "B1");
    assert_non_null(b1);
    assert_int_equal(b1->area, 0);
    assert_int_equal(b1->nseries, 3);
    assert_ptr_equal(b1->whole, &b1->series[0]);
    assert_string_equal(b1->series[0].breakdown, "");
    assert_string_equal(b1->series[1].breakdown, "North");
    assert_string_equal(b1->series[2].breakdown, "South");
    assert_int_equal(b1->series[1].nquarters, 2);   /* " North " joined */
    assert_int_equal(b1->series[1].quarters[0].line, 3);   /* Q1 first */
    const model_series *w = b1->whole;
    assert_int_equal(w->nquarters, 2);
    assert_int_equal(w->quarters[0].period.fy, 2022);
    assert_int_equal(w->quarters[1].period.q, 3);
    assert_int_equal(w->nyears, 1);
    assert_int_equal(w->years[0].value.num, 20);
    assert_ptr_equal(w->measure, b1);

    assert_ptr_equal(model_series_at(w, Q(2023, 3)), &w->quarters[1]);
    assert_ptr_equal(model_series_at(w, rp_fyear(2022)), &w->years[0]);
    assert_null(model_series_at(w, Q(2023, 2)));
    assert_null(model_series_at(w, rp_fyear(2023)));

    /* a measure without rows still has an (empty) whole series */
    const model_measure *e1 = model_find_measure(&m, "E1");
    assert_int_equal(e1->nseries, 1);
    assert_int_equal(e1->whole->nquarters, 0);
    assert_null(model_find_measure(&m, "ZZ"));

    /* A1's 2023/24 Q4 row has no value: latest is 2023/24 Q3 */
    assert_int_equal(m.latest_quarter.kind, RP_PER_QUARTER);
    assert_int_equal(m.latest_quarter.fy, 2023);
    assert_int_equal(m.latest_quarter.q, 3);

    model_free(&m);
    rp_errors_free(&e);
    fi_free(&f);
}

static void test_model_commentary(void **st)
{
    (void)st;
    fx f;
    fx_init(&f);
    fi_measure(&f, 2, "A1", "Adults");
    fx_comment(&f, "overall", Q(2023, 2), "old");
    fx_comment(&f, "Overall", Q(2023, 3), "new");
    fx_comment(&f, "adults", Q(2023, 3), "area");
    model m;
    rp_errors e;
    rp_errors_init(&e);
    assert_int_equal(model_build(&f.in, &m, &e), 0);
    const input_comment_row *c = model_commentary(&m, "OVERALL", Q(2023, 3));
    assert_non_null(c);
    assert_string_equal(c->text, "new");
    assert_string_equal(model_commentary(&m, "Adults", Q(2023, 3))->text, "area");
    assert_null(model_commentary(&m, "Adults", Q(2023, 2)));
    assert_int_equal(m.latest_quarter.kind, 0);   /* no kpi values at all */
    model_free(&m);
    rp_errors_free(&e);
    fi_free(&f);
}

/* commentary.csv is checked against the model: a scope that names
 * nothing would drop its text silently, so it is an error with the
 * closest names; two rows for one scope and period are an error. */
static void test_model_commentary_scopes(void **st)
{
    (void)st;
    fx f;
    fx_init(&f);
    f.in.commentary_path = "in/commentary.csv";
    fi_measure(&f, 2, "EHCP_20WK", "Children and Families");
    fi_measure(&f, 3, "CIC_RATE", "Children and Families");
    fx_comment(&f, "EHCP_20WK", Q(2023, 3), "ok");        /* line 2 */
    fx_comment(&f, "ehcp_20wk", Q(2023, 2), "ok, other quarter");
    fx_comment(&f, "EHCP_20WKS", Q(2023, 3), "typo");     /* line 4 */
    fx_comment(&f, "Children & Families", Q(2023, 3), "x");  /* line 5 */
    fx_comment(&f, "children and families", Q(2023, 3), "a");
    fx_comment(&f, "Children and Families ", Q(2023, 3), "b");  /* line 7 */
    fx_comment(&f, "Overall", Q(2023, 3), "fine");
    model m;
    rp_errors e;
    rp_errors_init(&e);
    assert_int_equal(model_build(&f.in, &m, &e), -1);
    assert_int_equal(e.nerrors, 3);
    char buf[512];
    rp_error_format(&e.v[0], buf, sizeof buf);
    assert_string_equal(buf, "in/commentary.csv:4: scope: \"EHCP_20WKS\" is "
                        "not a measure id, a service area or \"overall\" "
                        "(did you mean EHCP_20WK?)");
    rp_error_format(&e.v[1], buf, sizeof buf);
    assert_non_null(strstr(buf, "in/commentary.csv:5: scope: \"Children & "
                                "Families\""));
    assert_non_null(strstr(buf, "did you mean Children and Families"));
    rp_error_format(&e.v[2], buf, sizeof buf);
    assert_string_equal(buf, "in/commentary.csv:7: scope: duplicate "
                        "commentary for scope \"Children and Families \", "
                        "period \"2023/24 Q3\" (first on line 6)");
    model_free(&m);
    rp_errors_free(&e);
    fi_free(&f);
}

static const rp_error *find_err(const rp_errors *e, const char *needle)
{
    for (size_t i = 0; i < e->n; i++)
        if (strstr(e->v[i].message, needle))
            return &e->v[i];
    return NULL;
}

static void test_model_errors(void **st)
{
    (void)st;
    fx f;
    fx_init(&f);
    fi_measure(&f, 2, "M1", "Adults");
    fi_measure(&f, 3, "M2", "Adults");
    fi_measure(&f, 4, "M1", "Children");      /* duplicate id */
    fx_kpi(&f, 2, "M1", Q(2023, 1), rp_value_of(1), "North");
    fx_kpi(&f, 3, "NOPE", Q(2023, 1), rp_value_of(1), "");
    fx_kpi(&f, 4, "M2", Q(2023, 1), rp_value_of(1), "");
    fx_kpi(&f, 5, "M1", Q(2023, 1), rp_value_of(2), "North ");  /* dup */
    fx_kpi(&f, 6, "M1", Q(2023, 1), rp_value_of(2), "");        /* fine */
    fx_fin(&f, 2, "Adults", Q(2023, 1));
    fx_fin(&f, 3, "Adults", Q(2023, 2));
    fx_fin(&f, 4, "ADULTS", Q(2023, 1));     /* duplicate area+period */

    model m;
    rp_errors e;
    rp_errors_init(&e);
    assert_int_equal(model_build(&f.in, &m, &e), -1);
    assert_int_equal(e.nerrors, 4);

    const rp_error *x = find_err(&e, "duplicate measure id");
    assert_non_null(x);
    assert_string_equal(x->file, "in/measures.csv");
    assert_int_equal(x->line, 4);
    assert_string_equal(x->message,
                        "duplicate measure id \"M1\" (first on line 2)");

    x = find_err(&e, "unknown measure");
    assert_non_null(x);
    assert_string_equal(x->file, "in/kpi.csv");
    assert_int_equal(x->line, 3);
    assert_string_equal(x->column, "measure");
    assert_non_null(strstr(x->message, "\"NOPE\""));

    x = find_err(&e, "duplicate row for measure");
    assert_non_null(x);
    assert_string_equal(x->file, "in/kpi.csv");
    assert_int_equal(x->line, 5);
    assert_non_null(strstr(x->message, "\"M1\""));
    assert_non_null(strstr(x->message, "2023/24 Q1"));
    assert_non_null(strstr(x->message, "\"North\""));
    assert_non_null(strstr(x->message, "first on line 2"));

    x = find_err(&e, "duplicate row for service area");
    assert_non_null(x);
    assert_string_equal(x->file, "in/finance.csv");
    assert_int_equal(x->line, 4);
    assert_non_null(strstr(x->message, "first on line 2"));

    /* the model is still usable: the first M1 and its first row kept */
    assert_int_equal(m.nmeasures, 2);
    const model_measure *m1 = model_find_measure(&m, "M1");
    assert_string_equal(m1->def->service_area, "Adults");
    assert_int_equal(m1->series[1].nquarters, 1);
    assert_int_equal(m1->series[1].quarters[0].value.num, 1);
    assert_int_equal(m.areas[0].nfinance, 2);

    char buf[256];
    rp_error_format(x, buf, sizeof buf);
    assert_non_null(strstr(buf, "in/finance.csv:4: "));
    model_free(&m);
    rp_errors_free(&e);
    fi_free(&f);
}

/* Fuzz regression (tests/fuzz/fuzz_input.c): areas named only in
 * finance.csv are added while the finance rows are filed. The row's area
 * pointer was taken from m->areas before area_index could grow (move) it:
 * with no measures that was an offset on NULL, with eight measure areas
 * (the first growth step) a write into the freed array. */
static void test_model_finance_only_areas(void **st)
{
    (void)st;
    rp_errors e;
    rp_errors_init(&e);

    /* minimized input: measures.csv is a header only, one finance row */
    fx f;
    fx_init(&f);
    fx_fin(&f, 2, "Ca", Q(2021, 1));
    model m;
    model_build(&f.in, &m, &e);
    assert_int_equal(m.nareas, 1);
    assert_string_equal(m.areas[0].name, "Ca");
    assert_int_equal(m.areas[0].nfinance, 1);
    assert_int_equal(m.areas[0].finance[0]->line, 2);
    model_free(&m);
    fi_free(&f);

    /* eight areas from measures fill the first allocation; the ninth,
     * from finance.csv, moves it */
    fx_init(&f);
    char id[8], area[8];
    for (int i = 0; i < 8; i++) {
        snprintf(id, sizeof id, "M%d", i);
        snprintf(area, sizeof area, "A%d", i);
        fi_measure(&f, i + 2, id, area);
    }
    fx_fin(&f, 2, "Corporate", Q(2023, 1));
    fx_fin(&f, 3, "Corporate", Q(2023, 2));
    assert_int_equal(model_build(&f.in, &m, &e), 0);
    assert_int_equal(m.nareas, 9);
    assert_string_equal(m.areas[8].name, "Corporate");
    assert_int_equal(m.areas[8].nfinance, 2);
    assert_int_equal(m.areas[8].finance[1]->line, 3);
    for (size_t i = 0; i < 8; i++)
        assert_int_equal(m.areas[i].nfinance, 0);
    model_free(&m);
    fi_free(&f);
    rp_errors_free(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model_order),
        cmocka_unit_test(test_model_commentary),
        cmocka_unit_test(test_model_commentary_scopes),
        cmocka_unit_test(test_model_errors),
        cmocka_unit_test(test_model_finance_only_areas),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
