/* test_parse.c — number cells, markers and period spellings. Expected
 * figures are worked out by hand from the text (millionths = units × 10^6). */
#include "testutil.h"

#include <math.h>

#include "base.h"

#define M(units) ((rp_num)(units) * RP_SCALE)

static void num_ok(const char *text, unsigned flags, rp_num want, int dec)
{
    rp_value v;
    char why[64] = "unset";
    int rc = rp_num_parse(text, flags, &v, why, sizeof why);
    if (rc != 0)
        fail_msg("\"%s\" refused: %s", text, why);
    if (v.miss != RP_MISS_NONE)
        fail_msg("\"%s\" gave a missing value", text);
    if (v.num != want)
        fail_msg("\"%s\" → %lld, want %lld", text, (long long)v.num,
                 (long long)want);
    if (v.decimals != dec)
        fail_msg("\"%s\" decimals %d, want %d", text, v.decimals, dec);
}

static void num_bad(const char *text, unsigned flags)
{
    rp_value v;
    char why[64] = "";
    if (rp_num_parse(text, flags, &v, why, sizeof why) != -1)
        fail_msg("\"%s\" accepted as %lld", text, (long long)v.num);
    assert_string_equal(why, "is not a number");
}

static void num_missing(const char *text, rp_miss want)
{
    rp_value v;
    char why[64];
    assert_int_equal(rp_num_parse(text, 0, &v, why, sizeof why), 0);
    if (v.miss != want)
        fail_msg("\"%s\" miss %d, want %d", text, (int)v.miss, (int)want);
    assert_false(rp_has(v));
}

static void test_plain_numbers(void **state)
{
    (void)state;
    num_ok("0", 0, 0, 0);
    num_ok("5", 0, M(5), 0);
    num_ok("  42  ", 0, M(42), 0);
    num_ok("\t7\t", 0, M(7), 0);
    num_ok("12.5", 0, 12500000, 1);
    num_ok("12.50", 0, 12500000, 2);
    num_ok("0.000001", 0, 1, 6);
    num_ok(".5", 0, 500000, 1);
    num_ok("007", 0, M(7), 0);
    num_ok("-5", 0, M(-5), 0);
    num_ok("-0.25", 0, -250000, 2);
    num_ok("(5)", 0, M(-5), 0);
    num_ok("(12.5)", 0, -12500000, 1);
}

static void test_separators_pound_percent(void **state)
{
    (void)state;
    num_ok("1,234", 0, M(1234), 0);
    num_ok("1,234,567", 0, M(1234567), 0);
    num_ok("12,345.67", 0, 12345670000, 2);
    num_ok("£5", 0, M(5), 0);
    num_ok("£1,250,000", 0, M(1250000), 0);
    num_ok("-£5", 0, M(-5), 0);
    num_ok("£-5", 0, M(-5), 0);
    num_ok("(£5)", 0, M(-5), 0);
    num_ok("45.9%", 0, 45900000, 1);
    num_ok("-3%", 0, M(-3), 0);
    num_ok("(2.5%)", 0, -2500000, 1);
    /* separators must group by three */
    num_bad("1,23", 0);
    num_bad("1,2345", 0);
    num_bad("1234,567,89", 0);
    num_bad(",123", 0);
    num_bad("1,,234", 0);
    num_bad("1,234,", 0);
    num_bad("12,34.5", 0);
}

static void test_money_suffixes(void **state)
{
    (void)state;
    num_ok("£5.4m", RP_NUM_MONEY, M(5400000), 0);
    num_ok("£5.4M", RP_NUM_MONEY, M(5400000), 0);
    num_ok("£1.2bn", RP_NUM_MONEY, M(1200000000), 0);
    num_ok("1.2BN", RP_NUM_MONEY, M(1200000000), 0);
    num_ok("250k", RP_NUM_MONEY, M(250000), 0);
    num_ok("1.2345k", RP_NUM_MONEY, 1234500000, 1);   /* 1234.5 */
    num_ok("(£5.4m)", RP_NUM_MONEY, M(-5400000), 0);
    num_ok("-£0.75m", RP_NUM_MONEY, M(-750000), 0);
    num_ok("£-2k", RP_NUM_MONEY, M(-2000), 0);
    /* suffixes belong to money columns only */
    num_bad("5.4m", 0);
    num_bad("250k", 0);
    num_bad("5mm", RP_NUM_MONEY);
    num_bad("5 m", RP_NUM_MONEY);
    num_bad("5%m", RP_NUM_MONEY);
    num_bad("5b", RP_NUM_MONEY);
}

static void test_rounding_and_overflow(void **state)
{
    (void)state;
    /* 7th place decides, half away from zero */
    num_ok("0.0000005", 0, 1, -1);
    num_ok("0.0000004", 0, 0, -1);
    num_ok("-0.0000005", 0, -1, -1);
    num_ok("1.2345675", 0, 1234568, -1);
    num_ok("2.99999999", 0, M(3), -1);
    num_ok("0.00000049999999999999999999999", 0, 0, -1);
    num_ok("1.1234565k", RP_NUM_MONEY, 1123456500, 4);   /* 1123.4565 */
    /* the largest millionths an int64 holds is 9,223,372,036,854.775807 */
    num_ok("9223372036854.775807", 0, INT64_MAX, 6);
    num_bad("9223372036854.775808", 0);
    num_bad("9223372036855", 0);
    num_bad("£9,300bn", RP_NUM_MONEY);
    num_bad("123456789012345678901234567890", 0);
    num_ok("0000000000000000000000000000001", 0, M(1), 0);
}

static void test_not_numbers(void **state)
{
    (void)state;
    static const char *bad[] = {
        "12..5", "1.2.3", "abc", "5 5", "£", "%", "£%", "5.", "--5",
        "-(5)", "(-5)", "(5", "5)", "+5", "5£", "£ 5", "1e3", "0x10",
        "five", "5%%", "£-£5", "- 5", "12.5.", "[5]",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        num_bad(bad[i], RP_NUM_MONEY);
}

static void test_markers(void **state)
{
    (void)state;
    num_missing("", RP_MISS_EMPTY);
    num_missing("   ", RP_MISS_EMPTY);
    num_missing("c", RP_MISS_C);
    num_missing("C", RP_MISS_C);
    num_missing("[c]", RP_MISS_C);
    num_missing("x", RP_MISS_X);
    num_missing("[X]", RP_MISS_X);
    num_missing("z", RP_MISS_Z);
    num_missing("[z]", RP_MISS_Z);
    num_missing("u", RP_MISS_U);
    num_missing("[U]", RP_MISS_U);
    num_missing("low", RP_MISS_LOW);
    num_missing("LOW", RP_MISS_LOW);
    num_missing("[low]", RP_MISS_LOW);
    num_missing(" [Low] ", RP_MISS_LOW);
    num_missing("~", RP_MISS_LOW);
    num_missing("..", RP_MISS_X);
    num_missing(":", RP_MISS_X);
    num_missing("-", RP_MISS_X);
    num_missing(" - ", RP_MISS_X);   /* padded code in spreadsheet exports */
    num_missing("*", RP_MISS_X);
    num_missing("N/A", RP_MISS_X);
    num_missing("n/a", RP_MISS_X);
    num_missing("NA", RP_MISS_X);
    num_missing("na", RP_MISS_X);
    assert_int_equal(rp_marker("5"), RP_MISS_NONE);
    assert_int_equal(rp_marker("[..]"), RP_MISS_NONE);
    assert_int_equal(rp_marker("[n/a]"), RP_MISS_NONE);
    assert_int_equal(rp_marker("cc"), RP_MISS_NONE);
    assert_int_equal(rp_marker("[c"), RP_MISS_NONE);
    assert_int_equal(rp_marker(NULL), RP_MISS_EMPTY);
    /* a marker-like word that is not on the list is not a number either */
    num_bad("[cx]", 0);
    num_bad("n.a.", 0);
    num_bad("lowish", 0);
}

static void test_miss_reason(void **state)
{
    (void)state;
    assert_string_equal(rp_miss_reason(RP_MISS_EMPTY), "not provided");
    assert_string_equal(rp_miss_reason(RP_MISS_C), "suppressed [c]");
    assert_string_equal(rp_miss_reason(RP_MISS_X), "not available [x]");
    assert_string_equal(rp_miss_reason(RP_MISS_Z), "not applicable [z]");
    assert_string_equal(rp_miss_reason(RP_MISS_U), "low reliability [u]");
    assert_string_equal(rp_miss_reason(RP_MISS_LOW), "rounds to zero [low]");
}

static void per_ok(const char *text, int kind, int fy, int q)
{
    rp_period p = { -1, -1, -1 };
    if (rp_period_parse(text, &p) != 0)
        fail_msg("period \"%s\" refused", text);
    if (p.kind != kind || p.fy != fy || p.q != q)
        fail_msg("period \"%s\" → kind %d fy %d q %d, want %d %d %d", text,
                 p.kind, p.fy, p.q, kind, fy, q);
}

static void per_bad(const char *text)
{
    rp_period p = { 7, 7, 7 };
    if (rp_period_parse(text, &p) != -1)
        fail_msg("period \"%s\" accepted", text);
    /* a refused period leaves *out as it was */
    assert_int_equal(p.kind, 7);
}

static void test_periods(void **state)
{
    (void)state;
    per_ok("2023/24 Q3", RP_PER_QUARTER, 2023, 3);
    per_ok("2023-24 Q3", RP_PER_QUARTER, 2023, 3);
    per_ok("Q3 2023/24", RP_PER_QUARTER, 2023, 3);
    per_ok("Q1 2023-24", RP_PER_QUARTER, 2023, 1);
    per_ok("2023/24 Quarter 3", RP_PER_QUARTER, 2023, 3);
    per_ok("2023/24 quarter 4", RP_PER_QUARTER, 2023, 4);
    per_ok("Quarter 2 2024/25", RP_PER_QUARTER, 2024, 2);
    per_ok("2023/24 q2", RP_PER_QUARTER, 2023, 2);
    per_ok("q4 2023/24", RP_PER_QUARTER, 2023, 4);
    per_ok("  2023/24   Q1 ", RP_PER_QUARTER, 2023, 1);
    per_ok("2023/2024 Q3", RP_PER_QUARTER, 2023, 3);
    per_ok("2023-2024 Q3", RP_PER_QUARTER, 2023, 3);
    per_ok("2099/00 Q1", RP_PER_QUARTER, 2099, 1);   /* century wrap */
    per_ok("2023/24", RP_PER_FYEAR, 2023, 0);
    per_ok("2023-24", RP_PER_FYEAR, 2023, 0);
    per_ok("2023/2024", RP_PER_FYEAR, 2023, 0);
    per_ok(" 2019-20 ", RP_PER_FYEAR, 2019, 0);
    per_ok("2024", RP_PER_CYEAR, 2024, 0);
    per_ok("AY 2024/25", RP_PER_AYEAR, 2024, 0);
    per_ok("ay 2024-25", RP_PER_AYEAR, 2024, 0);
    per_ok("AY 2024/2025", RP_PER_AYEAR, 2024, 0);
}

static void test_period_rejections(void **state)
{
    (void)state;
    static const char *bad[] = {
        "", "   ", "2023/25", "2023/23", "2023/2025", "2023/24 Q5",
        "2023/24 Q0", "2023/24 Q", "Q3", "Quarter 3", "2023/24Q3",
        "2023/24 Q3 Q4", "2023 Q3", "Q3 2023", "2023/4", "23/24",
        "2023/024", "2023.24", "2023 / 24", "FY 2023/24", "202425",
        "AY 2024", "AY2024/25", "AY 2024/26", "2024 Q1 2023/24", "Q3/2023/24",
        "2023/24 Quarter", "2023/24 Qtr 3", "abcd", "20245", "2023/24 Q33",
        "Q3 Q3 2023/24",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        per_bad(bad[i]);
}

/* What rp_period_format writes must read back as the same period. */
static void test_period_round_trip(void **state)
{
    (void)state;
    rp_period ps[] = { { RP_PER_QUARTER, 2023, 3 }, { RP_PER_FYEAR, 2024, 0 },
                       { RP_PER_CYEAR, 2019, 0 }, { RP_PER_AYEAR, 2021, 0 } };
    for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++) {
        char buf[32];
        rp_period back;
        rp_period_format(ps[i], buf, sizeof buf);
        assert_int_equal(rp_period_parse(buf, &back), 0);
        assert_int_equal(rp_period_cmp(back, ps[i]), 0);
        assert_int_equal(back.q, ps[i].q);
    }
}

/* rp_num_parse reads plain cells ("52.3", "-12") by a short path; a cell
 * with spaces round it takes the general one (which trims them). Both
 * must agree on the value, its decimals and what is not a number, at the
 * short path's edges (12 integer digits, 6 decimals) and past them. */
static void test_plain_path_agrees(void **state)
{
    (void)state;
    static const char *const cells[] = {
        "0", "-0", "7", "007", "-12", "52.3", "52.30", "-0.5", "0.000001",
        "0.0000015", "1.1234567", "999999999999", "999999999999.999999",
        "1000000000000", "-999999999999.5", "9223372036854", "5.", ".5",
        "-", "--5", "1.2.3", "12a", "1e3", "00000000000000000001",
        "123456789012.1234564", "123456789012.1234565"
    };
    for (size_t i = 0; i < sizeof cells / sizeof *cells; i++) {
        char padded[64];
        snprintf(padded, sizeof padded, " %s ", cells[i]);
        rp_value a, b;
        memset(&a, 0x55, sizeof a);
        memset(&b, 0x55, sizeof b);
        char wa[64], wb[64];
        int ra = rp_num_parse(cells[i], 0, &a, wa, sizeof wa);
        int rb = rp_num_parse(padded, 0, &b, wb, sizeof wb);
        assert_int_equal(ra, rb);
        if (ra == 0) {
            assert_int_equal(a.miss, b.miss);
            assert_true(a.num == b.num);
            assert_int_equal(a.decimals, b.decimals);
        }
    }
    /* and the short path's own answers, by hand */
    num_ok("52.3", 0, 52300000, 1);
    num_ok("-12", 0, -12000000, 0);
    num_ok("999999999999.999999", 0, INT64_C(999999999999999999), 6);
}

/* rp_buf_fixed2 writes what "%.2f" writes: the edges (ties in binary and
 * in decimal, negative zero, values that round to zero from below, the
 * ±10^12 limit, NaN and infinities) and 200,000 values of every size,
 * a fifth of them with three decimals (so near ties come up). */
static void test_fixed2_matches_printf(void **state)
{
    (void)state;
    static const double edge[] = {
        0, -0.0, 0.125, -0.125, 0.005, 0.015, 0.001, -0.001, -0.004999,
        1.005, 2.675, 0.994999, 0.995, 123456.785, 1e11, -1e11,
        999999999999.99, 1e12, -1e12, 1e300, NAN, INFINITY, -INFINITY
    };
    char want[400];
    unsigned long long x = 42;
    for (size_t i = 0; i < 200000 + sizeof edge / sizeof *edge; i++) {
        double v;
        if (i < sizeof edge / sizeof *edge) {
            v = edge[i];
        } else {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            double u = (double)(x >> 11) / 9007199254740992.0 - 0.5;
            v = u * (i % 3 == 0 ? 2e3 : i % 3 == 1 ? 2e7 : 1.0);
            if (i % 5 == 0)
                v = round(v * 1000) / 1000;
        }
        rp_buf b;
        rp_buf_init(&b);
        rp_buf_fixed2(&b, v);
        snprintf(want, sizeof want, "%.2f", v);
        if (strcmp(b.s, want) != 0)
            fail_msg("%.17g: \"%s\", printf \"%s\"", v, b.s, want);
        rp_buf_free(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_numbers),
        cmocka_unit_test(test_plain_path_agrees),
        cmocka_unit_test(test_fixed2_matches_printf),
        cmocka_unit_test(test_separators_pound_percent),
        cmocka_unit_test(test_money_suffixes),
        cmocka_unit_test(test_rounding_and_overflow),
        cmocka_unit_test(test_not_numbers),
        cmocka_unit_test(test_markers),
        cmocka_unit_test(test_miss_reason),
        cmocka_unit_test(test_periods),
        cmocka_unit_test(test_period_rejections),
        cmocka_unit_test(test_period_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
