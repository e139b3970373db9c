/* test_export_csv.c — export: the three CSVs are parsed back and checked against
 * the computed results; quoting, empty cells for missing values, and the
 * atomic write into a directory that does not exist yet. */
#include "testutil.h"
#include "fixture_input.h"

#include "export_csv.h"

#include <dirent.h>
#include <unistd.h>

/* ---- fixture: an in-memory input_folder (tests/fixture_input.h) ---- */
typedef fi_input fx;

static rp_value V(rp_num units_millionths) { return rp_value_of(units_millionths); }
#define U(x) ((rp_num)(x) * RP_SCALE)

/* measures.csv and finance.csv rows from line 2, kpi.csv rows from 1 */
static void fx_measure(fx *f, const char *id, const char *area,
                       input_polarity pol)
{
    input_measure_row *m = fi_measure(f, (long)f->in.nmeasures + 2, id, area);
    m->polarity = pol;
    m->tol_relative = 1;
    m->tolerance = U(5);
    m->annual = INPUT_ANNUAL_LAST;
}

static input_kpi_row *fx_kpi(fx *f, const char *id, rp_period p, rp_value v,
                          rp_value t, const char *bd)
{
    return fi_kpi(f, ++f->lk, id, p, v, t, bd);
}

static void fx_fin(fx *f, const char *area, rp_period p, rp_num b, rp_num fc)
{
    fi_fin(f, (long)f->in.nfinance + 2, area, p, V(b), V(fc));
}

typedef fi_world world;

#define AREA "Adults, Older People"

static int setup(void **st)
{
    world *w = calloc(1, sizeof *w);
    fx *f = &w->f;
    fx_measure(f, "M1", AREA, INPUT_POL_HIGHER);
    fx_measure(f, "Y1", "Place", INPUT_POL_LOWER);
    fx_kpi(f, "M1", rp_quarter(2023, 2), V(U(10)), V(U(12)), "");
    input_kpi_row *k = fx_kpi(f, "M1", rp_quarter(2023, 3), V(12500000),
                           V(U(12)), "");
    k->national = V(11250000);
    fx_kpi(f, "M1", rp_quarter(2023, 3), rp_value_missing(RP_MISS_C),
           V(U(12)), "Hull, East");
    fx_kpi(f, "Y1", rp_fyear(2022), V(U(3)), V(U(4)), "");
    fx_fin(f, AREA, rp_quarter(2023, 3), U(1000), 1010500000);
    fx_fin(f, "Corporate", rp_quarter(2023, 3), U(200), U(190));
    rp_errors_init(&w->e);
    assert_int_equal(model_build(&f->in, &w->m, &w->e), 0);
    rp_period none = { 0, 0, 0 };
    assert_int_equal(compute_results_build(&w->m, NULL, none, &w->r, &w->e), 0);
    *st = w;
    return 0;
}

static int teardown(void **st)
{
    fi_world_free(*st);
    free(*st);
    return 0;
}

/* ---- a small RFC 4180 reader for checking the output ---- */
typedef struct table {
    char *cell[16][16];
    int ncols[16];
    int nrows;
} table;

static void parse_csv(const char *s, table *t)
{
    memset(t, 0, sizeof *t);
    rp_buf b;
    rp_buf_init(&b);
    int row = 0, col = 0;
    while (*s) {
        rp_buf_add(&b, "", 0);
        b.len = 0;
        b.s[0] = '\0';
        if (*s == '"') {
            for (s++; *s; s++) {
                if (*s == '"' && s[1] == '"')
                    rp_buf_add(&b, s++, 1);
                else if (*s == '"')
                    break;
                else
                    rp_buf_add(&b, s, 1);
            }
            if (*s)
                s++;
        } else {
            while (*s && *s != ',' && *s != '\n')
                rp_buf_add(&b, s++, 1);
        }
        assert_true(row < 16 && col < 16);
        t->cell[row][col++] = rp_xstrdup(b.s);
        if (*s == ',') {
            s++;
        } else {
            assert_true(*s == '\n');   /* LF line ends only */
            s++;
            t->ncols[row++] = col;
            col = 0;
        }
    }
    t->nrows = row;
    rp_buf_free(&b);
}

static void table_free(table *t)
{
    for (int r = 0; r < 16; r++)
        for (int c = 0; c < 16; c++)
            free(t->cell[r][c]);
}

static char *capture(int (*fn)(const compute_results *, FILE *),
                     const compute_results *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_non_null(out);
    assert_int_equal(fn(r, out), 0);
    fclose(out);
    return buf;
}

/* A cell is empty for a missing value, else its exact decimal (read with
 * the tests' own fi_dec, not rp_num_parse). */
static void check_num(const char *cell, rp_value v)
{
    if (!rp_has(v))
        assert_string_equal(cell, "");
    else
        assert_int_equal(fi_dec(cell), v.num);
}

static void test_ratings_csv(void **st)
{
    world *w = *st;
    char *s = capture(export_csv_ratings, &w->r);
    assert_non_null(strstr(s, "\"" AREA "\""));
    assert_null(strchr(s, '\r'));
    table t;
    parse_csv(s, &t);
    assert_int_equal(t.nrows, 4);
    assert_string_equal(t.cell[0][0], "measure");
    assert_string_equal(t.cell[0][10], "regional");
    assert_int_equal(t.ncols[0], 11);

    /* row 1: M1 whole: 12.5 vs 12 green, was 10 → improving */
    assert_string_equal(t.cell[1][0], "M1");
    assert_string_equal(t.cell[1][1], "");
    assert_string_equal(t.cell[1][2], AREA);
    assert_string_equal(t.cell[1][3], "2023/24 Q3");
    assert_string_equal(t.cell[1][4], "12.5");
    assert_string_equal(t.cell[1][5], "12");
    assert_string_equal(t.cell[1][6], "green");
    assert_string_equal(t.cell[1][7], "improving");
    assert_string_equal(t.cell[1][8], "none");
    assert_string_equal(t.cell[1][9], "11.25");
    assert_string_equal(t.cell[1][10], "");
    /* row 2: the suppressed breakdown, an empty value cell */
    assert_string_equal(t.cell[2][1], "Hull, East");
    assert_string_equal(t.cell[2][4], "");
    assert_string_equal(t.cell[2][6], "none");
    /* row 3: the yearly measure says which year */
    assert_string_equal(t.cell[3][0], "Y1");
    assert_string_equal(t.cell[3][3], "2022/23");
    assert_string_equal(t.cell[3][6], "green");   /* 3 vs 4, lower is better */

    /* every row agrees with the results */
    for (int i = 1; i < t.nrows; i++) {
        assert_int_equal(t.ncols[i], 11);
        const compute_rating *x = compute_find_rating(&w->r, t.cell[i][0], t.cell[i][1]);
        assert_non_null(x);
        check_num(t.cell[i][4], x->value);
        check_num(t.cell[i][5], x->target);
        assert_string_equal(t.cell[i][6], rp_rag_name(x->rag));
    }
    table_free(&t);
    free(s);
}

static void test_finance_csv(void **st)
{
    world *w = *st;
    char *s = capture(export_csv_finance, &w->r);
    table t;
    parse_csv(s, &t);
    assert_int_equal(t.nrows, 4);
    assert_int_equal(t.ncols[0], 9);
    assert_string_equal(t.cell[0][6], "change_since_previous");
    assert_string_equal(t.cell[1][0], AREA);
    assert_string_equal(t.cell[1][1], "2023/24 Q3");
    assert_string_equal(t.cell[1][4], "10.5");     /* 1010.5 − 1000 */
    assert_string_equal(t.cell[1][5], "1.05");     /* 10.5 / 1000 × 100 */
    assert_string_equal(t.cell[1][6], "");         /* no Q2 row */
    assert_string_equal(t.cell[2][0], "Corporate");
    assert_string_equal(t.cell[2][4], "-10");
    assert_string_equal(t.cell[2][5], "-5");
    assert_string_equal(t.cell[3][0], "Total");
    assert_string_equal(t.cell[3][2], "1200");
    assert_string_equal(t.cell[3][3], "1200.5");
    assert_string_equal(t.cell[3][4], "0.5");
    assert_string_equal(t.cell[3][5], "0.041667"); /* 0.5/1200 = 0.0416666…% */
    assert_string_equal(t.cell[3][7], "");         /* savings not given */
    for (int i = 1; i < t.nrows; i++) {
        const compute_finance *f = &w->r.finance[i - 1];
        assert_string_equal(t.cell[i][0], f->service_area);
        check_num(t.cell[i][2], f->budget);
        check_num(t.cell[i][4], f->variance);
        check_num(t.cell[i][6], f->change);
    }
    table_free(&t);
    free(s);
}

static void test_trends_csv(void **st)
{
    world *w = *st;
    char *s = capture(export_csv_trends, &w->r);
    table t;
    parse_csv(s, &t);
    /* header + one year each: years before a series starts are left out
     * (M1 starts in 2023/24, Y1 in 2022/23), as in trend packs */
    assert_int_equal(t.nrows, 3);
    assert_string_equal(t.cell[0][4], "yoy_change_pct");
    assert_string_equal(t.cell[0][5], "yoy_change");    /* contract order */
    assert_string_equal(t.cell[1][0], "M1");
    assert_string_equal(t.cell[1][1], "2023/24");
    assert_string_equal(t.cell[1][2], "12.5");
    assert_string_equal(t.cell[1][3], "no");
    assert_string_equal(t.cell[2][0], "Y1");
    assert_string_equal(t.cell[2][1], "2022/23");
    assert_string_equal(t.cell[2][2], "3");
    assert_string_equal(t.cell[2][3], "yes");
    table_free(&t);
    free(s);
}

/* A year to date of a `sum` measure: yoy_change_pct is the contract's
 * change on the whole year before (flagged complete=no), the same
 * meaning as every other row, not the like-for-like figure the PDF
 * shows beside it. 2022/23: 10+20+30+40 = 100; 2023/24 Q1–Q2: 15+25 =
 * 40 → (40−100)/100 = −60%; like for like it would be 40/30 − 1. */
static void test_trends_csv_ytd_full_year(void **st)
{
    (void)st;
    world w;
    memset(&w, 0, sizeof w);
    fx *f = &w.f;
    fx_measure(f, "S1", AREA, INPUT_POL_HIGHER);
    f->in.measures[0].annual = INPUT_ANNUAL_SUM;
    static const int v[6] = { 10, 20, 30, 40, 15, 25 };
    for (int i = 0; i < 6; i++)
        fx_kpi(f, "S1", rp_quarter(2022 + i / 4, i % 4 + 1), V(U(v[i])),
               rp_value_missing(RP_MISS_EMPTY), "");
    rp_errors_init(&w.e);
    assert_int_equal(model_build(&f->in, &w.m, &w.e), 0);
    rp_period none = { 0, 0, 0 };
    assert_int_equal(compute_results_build(&w.m, NULL, none, &w.r, &w.e), 0);
    char *s = capture(export_csv_trends, &w.r);
    table t;
    parse_csv(s, &t);
    assert_int_equal(t.nrows, 3);   /* 2021/22 is before the data starts */
    assert_string_equal(t.cell[1][1], "2022/23");
    assert_string_equal(t.cell[1][2], "100");
    assert_string_equal(t.cell[2][1], "2023/24");
    assert_string_equal(t.cell[2][2], "40");
    assert_string_equal(t.cell[2][3], "no");
    assert_string_equal(t.cell[2][4], "-60");
    assert_string_equal(t.cell[2][5], "-60");           /* 40 − 100 */
    assert_string_equal(t.cell[1][5], "");   /* 2022/23: no 2021/22 */
    table_free(&t);
    free(s);
    fi_world_free(&w);
}

static void test_csv_field(void **st)
{
    (void)st;
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    rp_csv_field(out, "plain");
    fputc('|', out);
    rp_csv_field(out, "say \"hi\"");
    fputc('|', out);
    rp_csv_field(out, "two\nlines");
    fputc('|', out);
    rp_csv_field(out, "a,b");
    fputc('|', out);
    rp_csv_field(out, NULL);
    fputc('|', out);
    rp_csv_field(out, " padded");
    fputc('|', out);
    rp_csv_field(out, "inner space");
    fclose(out);
    /* a field with an edge space is quoted so a trimming reader keeps it */
    assert_string_equal(buf, "plain|\"say \"\"hi\"\"\"|\"two\nlines\"|\"a,b\"||"
                             "\" padded\"|inner space");
    free(buf);

    /* formula-like text gets a leading ' (OWASP); numbers and markers not */
    buf = NULL;
    out = open_memstream(&buf, &len);
    const char *in[] = { "=1+2", "+SUM(A1)", "-North", "@Corporate", "\tx",
                         "=HYPERLINK(\"x\",\"y\")", "-5", "+3.25", "-",
                         "-0.5", "a=b" };
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        if (i)
            fputc('|', out);
        rp_csv_field(out, in[i]);
    }
    fclose(out);
    assert_string_equal(buf, "'=1+2|'+SUM(A1)|'-North|'@Corporate|'\tx|"
                             "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"|-5|+3.25|-|"
                             "-0.5|a=b");
    free(buf);
}

static void test_write_all(void **st)
{
    world *w = *st;
    char base[] = "/tmp/test_ex_XXXXXX";
    assert_non_null(mkdtemp(base));
    char *dir = rp_xasprintf("%s/out/sub", base);
    assert_int_equal(export_csv_write_all(&w->r, dir, &w->e), 0);
    assert_int_equal(w->e.n, 0);

    const char *names[] = { "ratings.csv", "finance.csv", "trends.csv" };
    int (*fns[])(const compute_results *, FILE *) = {
        export_csv_ratings, export_csv_finance, export_csv_trends };
    for (int i = 0; i < 3; i++) {
        char *p = rp_xasprintf("%s/%s", dir, names[i]);
        char *got = tu_slurp(p, NULL);
        assert_non_null(got);
        char *want = capture(fns[i], &w->r);
        assert_string_equal(got, want);
        free(got);
        free(want);
        free(p);
    }
    /* no temporary file left behind */
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)))
        if (de->d_name[0] != '.' || (strcmp(de->d_name, ".") &&
                                     strcmp(de->d_name, "..")))
            n++;
    closedir(d);
    assert_int_equal(n, 3);
    /* writing again replaces the files */
    assert_int_equal(export_csv_write_all(&w->r, dir, &w->e), 0);

    /* a directory that cannot exist: a path through a regular file */
    char *file = rp_xasprintf("%s/ratings.csv/x", dir);
    assert_int_equal(export_csv_write_all(&w->r, file, &w->e), -1);
    assert_int_equal(w->e.nerrors, 1);
    assert_string_equal(w->e.v[0].file, file);

    for (int i = 0; i < 3; i++) {
        char *p = rp_xasprintf("%s/%s", dir, names[i]);
        unlink(p);
        free(p);
    }
    rmdir(dir);
    char *mid = rp_xasprintf("%s/out", base);
    rmdir(mid);
    rmdir(base);
    free(mid);
    free(file);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ratings_csv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_finance_csv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trends_csv, setup, teardown),
        cmocka_unit_test(test_trends_csv_ytd_full_year),
        cmocka_unit_test(test_csv_field),
        cmocka_unit_test_setup_teardown(test_write_all, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
