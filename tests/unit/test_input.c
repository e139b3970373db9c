/* test_input.c — the four contract files into typed rows, and every
 * cell-level error named as file:line: column: message. Input folders are
 * written to a fresh temporary directory per test. */
#include "testutil.h"

#include "input.h"

#include <unistd.h>

#define M(units) ((rp_num)(units) * RP_SCALE)

typedef struct tdir { char path[64]; } tdir;

static void write_file(const tdir *d, const char *name, const char *text,
                       size_t len)
{
    char *p = rp_xasprintf("%s/%s", d->path, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    fclose(f);
    free(p);
}

static void put(const tdir *d, const char *name, const char *text)
{
    write_file(d, name, text, strlen(text));
}

static const char *const names[] = { "measures.csv", "kpi.csv", "finance.csv",
                                     "commentary.csv" };

static void tdir_make(tdir *d)
{
    snprintf(d->path, sizeof d->path, "/tmp/input_XXXXXX");
    assert_non_null(mkdtemp(d->path));
}

static void tdir_remove(tdir *d)
{
    for (size_t i = 0; i < 4; i++) {
        char *p = rp_xasprintf("%s/%s", d->path, names[i]);
        unlink(p);
        free(p);
    }
    rmdir(d->path);
}

/* A minimal valid folder: every later test breaks one file of it. */
static const char *MEASURES =
    "id,title,service_area,unit,polarity\n"
    "M1,Plans in place,Children,count,higher\n";
static const char *KPI = "measure,period,value\nM1,2023/24 Q3,10\n";
static const char *FINANCE =
    "service_area,period,budget,forecast\nChildren,2023/24 Q3,£1m,£1.1m\n";

static void put_valid(const tdir *d)
{
    put(d, "measures.csv", MEASURES);
    put(d, "kpi.csv", KPI);
    put(d, "finance.csv", FINANCE);
}

/* The formatted message list, one per line, for substring checks. */
static char *all_msgs(const rp_errors *e)
{
    rp_buf b;
    rp_buf_init(&b);
    rp_buf_add(&b, "", 0);
    for (size_t i = 0; i < e->n; i++) {
        char line[1024];
        rp_error_format(&e->v[i], line, sizeof line);
        rp_buf_printf(&b, "%s\n", line);
    }
    return b.s;
}

/* Reads d, expects an error, and checks that the formatted line
 * "<dir>/<file>:<rest>" is among the messages. */
static void expect_error(const tdir *d, const char *file, const char *rest)
{
    input_folder in;
    rp_errors e;
    rp_errors_init(&e);
    assert_int_equal(input_read(d->path, &in, &e), -1);
    char *want = rp_xasprintf("%s/%s:%s", d->path, file, rest);
    char *got = all_msgs(&e);
    if (!strstr(got, want))
        fail_msg("missing \"%s\" in:\n%s", want, got);
    free(want);
    free(got);
    input_free(&in);
    rp_errors_free(&e);
}

static void test_valid_folder(void **state)
{
    (void)state;
    tdir d;
    tdir_make(&d);
    /* BOM + CRLF, upper-case and padded headers, columns in another order,
     * an unknown column, a quoted line break and a quoted comma */
    put(&d, "measures.csv",
        "\xEF\xBB\xBF" "Polarity,ID, Title ,UNIT,Service_Area,Tolerance,"
        "annual,decimals,unit_label,notes,Cumulative\r\n"
        "Lower,EHCP_20WK.v2,\"Plans issued, 20 weeks\",Percent,Children and "
        "Families,2,SUM,1,per 100,ignored, YES \r\n"
        "higher,pot-holes,Potholes repaired,count,Highways,,,,,,\r\n");
    put(&d, "kpi.csv",
        "VALUE,Breakdown,Period,Measure,Target,National,Regional\r\n"
        "45.9%,,2023/24 Q3,EHCP_20WK.v2,50%,\"1,234.5\",[c]\r\n"
        "\r\n"
        "c,North,Q4 2023-24,pot-holes,,x,\r\n"
        "  (3) ,,2024,pot-holes,-,..,~\r\n");
    put(&d, "finance.csv",
        "period,forecast,budget,service_area,savings_forecast,savings_target\r\n"
        "2023/24 Quarter 3,(£5.4m),\"£1,250,000\",Highways,£0.9m,£1.2bn\r\n");
    put(&d, "commentary.csv",
        "scope,period,text\r\n"
        "overall,2023/24 Q3,\"First paragraph.\r\nSecond paragraph.\"\r\n");
    input_folder in;
    rp_errors e;
    rp_errors_init(&e);
    int rc = input_read(d.path, &in, &e);
    if (rc != 0) {
        char *m = all_msgs(&e);
        fail_msg("valid folder refused:\n%s", m);
    }
    assert_int_equal(e.n, 0);

    assert_int_equal(in.nmeasures, 2);
    const input_measure_row *m = &in.measures[0];
    assert_string_equal(m->id, "EHCP_20WK.v2");
    assert_string_equal(m->title, "Plans issued, 20 weeks");
    assert_string_equal(m->service_area, "Children and Families");
    assert_int_equal(m->unit, RP_UNIT_PERCENT);
    assert_string_equal(m->unit_label, "per 100");
    assert_int_equal(m->polarity, INPUT_POL_LOWER);
    assert_int_equal(m->tol_relative, 0);
    assert_int_equal(m->tolerance, M(2));
    assert_int_equal(m->annual, INPUT_ANNUAL_SUM);
    assert_int_equal(m->decimals, 1);
    assert_int_equal(m->cumulative, 1);         /* " YES ": any case, trimmed */
    assert_int_equal(m->line, 2);
    m = &in.measures[1];
    assert_string_equal(m->id, "pot-holes");
    assert_int_equal(m->tol_relative, 1);        /* default 5% of target */
    assert_int_equal(m->tolerance, M(5));
    assert_int_equal(m->annual, INPUT_ANNUAL_LAST);
    assert_int_equal(m->decimals, -1);
    assert_int_equal(m->cumulative, 0);         /* blank: no */
    assert_string_equal(m->unit_label, "");
    assert_int_equal(m->line, 3);

    assert_int_equal(in.nkpis, 3);
    const input_kpi_row *k = &in.kpis[0];
    assert_string_equal(k->measure, "EHCP_20WK.v2");
    assert_int_equal(k->period.kind, RP_PER_QUARTER);
    assert_int_equal(k->period.fy, 2023);
    assert_int_equal(k->period.q, 3);
    assert_int_equal(k->value.num, 45900000);
    assert_int_equal(k->value.decimals, 1);
    assert_int_equal(k->target.num, M(50));
    assert_int_equal(k->national.num, 1234500000);
    assert_int_equal(k->regional.miss, RP_MISS_C);
    assert_string_equal(k->breakdown, "");
    k = &in.kpis[1];
    assert_int_equal(k->line, 4);                /* after the blank line */
    assert_int_equal(k->value.miss, RP_MISS_C);
    assert_int_equal(k->target.miss, RP_MISS_EMPTY);
    assert_int_equal(k->national.miss, RP_MISS_X);
    assert_string_equal(k->breakdown, "North");
    assert_int_equal(k->period.q, 4);
    k = &in.kpis[2];
    assert_int_equal(k->value.num, M(-3));
    assert_int_equal(k->period.kind, RP_PER_CYEAR);
    assert_int_equal(k->regional.miss, RP_MISS_LOW);

    assert_int_equal(in.nfinance, 1);
    const input_finance_row *f = &in.finance[0];
    assert_string_equal(f->service_area, "Highways");
    assert_int_equal(f->period.q, 3);
    assert_int_equal(f->budget.num, M(1250000));
    assert_int_equal(f->forecast.num, M(-5400000));
    assert_int_equal(f->savings_target.num, M(1200000000));
    assert_int_equal(f->savings_forecast.num, M(900000));

    assert_int_equal(in.ncomments, 1);
    assert_string_equal(in.comments[0].scope, "overall");
    assert_string_equal(in.comments[0].text,
                        "First paragraph.\nSecond paragraph.");
    char *kp = rp_xasprintf("%s/kpi.csv", d.path);
    assert_string_equal(in.kpi_path, kp);
    free(kp);
    assert_non_null(in.commentary_path);
    input_free(&in);
    rp_errors_free(&e);
    tdir_remove(&d);
}

static void test_commentary_optional(void **state)
{
    (void)state;
    tdir d;
    tdir_make(&d);
    put_valid(&d);
    input_folder in;
    rp_errors e;
    rp_errors_init(&e);
    assert_int_equal(input_read(d.path, &in, &e), 0);
    assert_int_equal(e.n, 0);
    assert_null(in.commentary_path);
    assert_int_equal(in.ncomments, 0);
    assert_int_equal(in.nmeasures, 1);
    assert_int_equal(in.nkpis, 1);
    assert_int_equal(in.finance[0].budget.num, M(1000000));
    input_free(&in);
    rp_errors_free(&e);
    tdir_remove(&d);
}

static void test_missing_file_and_column(void **state)
{
    (void)state;
    tdir d;
    tdir_make(&d);
    put(&d, "measures.csv", MEASURES);
    put(&d, "kpi.csv", "measure,period,VALU\nM1,2023/24 Q3,10\n");
    expect_error(&d, "kpi.csv", "1: missing required column \"value\"");
    expect_error(&d, "finance.csv", " cannot read: No such file or directory");
    tdir_remove(&d);
}

static void test_bad_number_message(void **state)
{
    (void)state;
    tdir d;
    tdir_make(&d);
    put_valid(&d);
    put(&d, "kpi.csv", "measure,period,value\nM1,2023/24 Q2,10\n"
                       "M1,2023/24 Q3,12..5\n");
    expect_error(&d, "kpi.csv", "3: value: \"12..5\" is not a number");
    /* suffixes are for money only */
    put(&d, "kpi.csv", "measure,period,value,target\nM1,2023/24 Q3,1,5m\n");
    expect_error(&d, "kpi.csv", "2: target: \"5m\" is not a number");
    put(&d, "finance.csv",
        "service_area,period,budget,forecast\nChildren,2023/24 Q3,£1m,lots\n");
    expect_error(&d, "finance.csv", "2: forecast: \"lots\" is not a number");
    tdir_remove(&d);
}

/* A gbp measure's value, target and comparators are money: k/m/bn are
 * read (as a council's debt and capital KPIs are typed), and scaled
 * exactly; a count measure in the same file still refuses them. */
static void test_money_suffix_on_gbp_measure(void **state)
{
    (void)state;
    tdir d;
    tdir_make(&d);
    put_valid(&d);
    put(&d, "measures.csv",
        "id,title,service_area,unit,polarity\n"
        "DEBT,Debt outstanding,Corporate,gbp,lower\n"
        "M1,Plans in place,Children,count,higher\n");
    put(&d, "kpi.csv",
        "measure,period,value,target,national,regional\n"
        "DEBT,2023/24 Q3,\"\u00a312,154k\",\u00a39.73m,\u00a31.2bn,(\u00a35k)\n"
        "M1,2023/24 Q3,10,,,\n");
    input_folder in;
    rp_errors e;
    rp_errors_init(&e);
    assert_int_equal(input_read(d.path, &in, &e), 0);
    assert_int_equal(in.nkpis, 2);
    assert_int_equal(in.kpis[0].value.num, M(12154000));
    assert_int_equal(in.kpis[0].target.num, M(9730000));
    assert_int_equal(in.kpis[0].national.num, M(1200000000));
    assert_int_equal(in.kpis[0].regional.num, -M(5000));
    input_free(&in);
    rp_errors_free(&e);
    put(&d, "kpi.csv", "measure,period,value\nM1,2023/24 Q3,5m\n");
    expect_error(&d, "kpi.csv", "2: value: \"5m\" is not a number");
    tdir_remove(&d);
}

static void test_bad_cells(void **state)
{
    (void)state;
    tdir d;
    tdir_make(&d);
    put_valid(&d);
    put(&d, "kpi.csv", "measure,period,value\nM1,2023/24 Q5,1\n");
    expect_error(&d, "kpi.csv", "2: period: \"2023/24 Q5\" is not a period");
    put(&d, "kpi.csv", KPI);
    put(&d, "finance.csv",
        "service_area,period,budget,forecast\nChildren,2023/24,1,1\n");
    expect_error(&d, "finance.csv", "2: period: \"2023/24\" is not a quarter");
    put(&d, "finance.csv", FINANCE);

    static const struct { const char *row, *msg; } bad[] = {
        { "M1,T,A,pct,higher,", "2: unit: \"pct\" is not a unit (use count, "
          "percent, gbp, rate, days or number)" },
        { "M1,T,A,count,up,", "2: polarity: \"up\" is not a polarity (use "
          "higher, lower or none)" },
        { "M1,T,A,count,higher,5 %", "2: tolerance: \"5 %\" is not a "
          "tolerance" },
        { "M1,T,A,count,higher,-2", "2: tolerance: \"-2\" is not a tolerance" },
        { "M 1,T,A,count,higher,", "2: id: \"M 1\" is not a valid id" },
        { "M1/2,T,A,count,higher,", "2: id: \"M1/2\" is not a valid id" },
        { ",T,A,count,higher,", "2: id: is empty but a value is required" },
        { "M1, ,A,count,higher,", "2: title: is empty but a value is required" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *t = rp_xasprintf("id,title,service_area,unit,polarity,"
                               "tolerance\n%s\n", bad[i].row);
        put(&d, "measures.csv", t);
        expect_error(&d, "measures.csv", bad[i].msg);
        free(t);
    }
    put(&d, "measures.csv", "id,title,service_area,unit,polarity,decimals,"
                            "annual\nM1,T,A,count,higher,7,\n"
                            "M2,T,A,count,higher,,median\n");
    expect_error(&d, "measures.csv", "2: decimals: \"7\" is not a number of "
                 "decimal places (0 to 6)");
    expect_error(&d, "measures.csv", "3: annual: \"median\" is not an annual "
                 "rule (use last, sum or mean)");
    put(&d, "measures.csv", "id,title,service_area,unit,polarity,cumulative\n"
                            "M1,T,A,percent,higher,ytd\n");
    expect_error(&d, "measures.csv", "2: cumulative: \"ytd\" is not a "
                 "cumulative flag (use no or yes)");
    put(&d, "measures.csv", "id,title,service_area,unit,polarity,year_ends\n"
                            "M1,T,A,count,higher,February\n");
    expect_error(&d, "measures.csv", "2: year_ends: \"February\" is not a "
                 "month (use Jan, Feb, Mar, Apr, May, Jun, Jul, Aug, Sep, "
                 "Oct, Nov or Dec)");
    tdir_remove(&d);
}

/* `year_ends` as DfE's NEET measure needs it (the "2025" figure averages
 * December 2024 to February 2025): a month, any case; empty = none. */
static void test_year_ends_column(void **state)
{
    (void)state;
    tdir d;
    tdir_make(&d);
    put_valid(&d);
    put(&d, "measures.csv", "id,title,service_area,unit,polarity,year_ends\n"
                            "NEET,NEET 16-17,Children,percent,lower,feb\n"
                            "M1,T,A,count,higher,\n");
    put(&d, "kpi.csv", "measure,period,value\nNEET,2025,7.4\n");
    input_folder in;
    rp_errors e;
    rp_errors_init(&e);
    assert_int_equal(input_read(d.path, &in, &e), 0);
    assert_int_equal(in.nmeasures, 2);
    assert_int_equal(in.measures[0].year_ends, 2);
    assert_int_equal(in.measures[1].year_ends, 0);
    input_free(&in);
    rp_errors_free(&e);
    tdir_remove(&d);
}

static void test_ragged_and_bytes(void **state)
{
    (void)state;
    tdir d;
    tdir_make(&d);
    put_valid(&d);
    put(&d, "kpi.csv", "measure,period,value\nM1,2023/24 Q3,1,234\n");
    expect_error(&d, "kpi.csv", "2: the row has 4 fields but the header "
                 "has 3");
    const char latin1[] = "measure,period,value\nM1,2023/24 Q3,1\nM\xE9,2023/24 Q4,2\n";
    write_file(&d, "kpi.csv", latin1, sizeof latin1 - 1);
    expect_error(&d, "kpi.csv", "3: invalid UTF-8 (byte 0xE9) at column 2");
    put(&d, "kpi.csv", "measure,period,value\nM1,2023/24 Q3,\"1\n");
    expect_error(&d, "kpi.csv", "2: malformed quoting: a quoted field is never closed");
    tdir_remove(&d);
}

/* Several problems in one file (and in others) are all reported; good
 * rows around them are kept. */
static void test_all_errors_reported(void **state)
{
    (void)state;
    tdir d;
    tdir_make(&d);
    put_valid(&d);
    put(&d, "kpi.csv",
        "measure,period,value,target\n"
        "M1,2023/24 Q1,1,2\n"
        "M1,2023/24 Q9,abc,2\n"           /* two bad cells in one row */
        "M1,2023/24 Q2,3\n"               /* ragged */
        "M1,2023/24 Q3,4,5\n"
        "M1,2023/24 Q4,5,1.2.3\n");
    put(&d, "finance.csv",
        "service_area,period,budget,forecast\nChildren,2023,1,x\n");
    input_folder in;
    rp_errors e;
    rp_errors_init(&e);
    assert_int_equal(input_read(d.path, &in, &e), -1);
    char *got = all_msgs(&e);
    static const char *const want[] = {
        "kpi.csv:3: period: \"2023/24 Q9\" is not a period",
        "kpi.csv:3: value: \"abc\" is not a number",
        "kpi.csv:4: the row has 3 fields but the header has 4",
        "kpi.csv:6: target: \"1.2.3\" is not a number",
        "finance.csv:2: period: \"2023\" is not a quarter",
    };
    for (size_t i = 0; i < 5; i++)
        if (!strstr(got, want[i]))
            fail_msg("missing \"%s\" in:\n%s", want[i], got);
    assert_int_equal(e.nerrors, 5);
    /* rows 2 and 5 were good and are kept, in order */
    assert_int_equal(in.nkpis, 2);
    assert_int_equal(in.kpis[0].line, 2);
    assert_int_equal(in.kpis[1].line, 5);
    assert_int_equal(in.kpis[1].target.num, M(5));
    assert_int_equal(in.nfinance, 0);
    assert_int_equal(in.nmeasures, 1);
    free(got);
    input_free(&in);
    rp_errors_free(&e);
    tdir_remove(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_folder),
        cmocka_unit_test(test_commentary_optional),
        cmocka_unit_test(test_missing_file_and_column),
        cmocka_unit_test(test_bad_number_message),
        cmocka_unit_test(test_money_suffix_on_gbp_measure),
        cmocka_unit_test(test_bad_cells),
        cmocka_unit_test(test_year_ends_column),
        cmocka_unit_test(test_ragged_and_bytes),
        cmocka_unit_test(test_all_errors_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
