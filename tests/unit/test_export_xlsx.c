/* test_export_xlsx.c — export_xlsx: period end dates and the failure path
 * (the cells themselves are checked against the CSVs in
 * tests/integration/committee.sh). */
#include "testutil.h"

#include "export_xlsx.h"

#include <unistd.h>

static void end_of(rp_period p, int y, int m, int d)
{
    int yy = 0, mm = 0, dd = 0;
    assert_true(export_xlsx_period_end(p, &yy, &mm, &dd));
    assert_int_equal(yy, y);
    assert_int_equal(mm, m);
    assert_int_equal(dd, d);
}

static void test_period_end(void **state)
{
    (void)state;
    end_of(rp_quarter(2023, 1), 2023, 6, 30);
    end_of(rp_quarter(2023, 2), 2023, 9, 30);
    end_of(rp_quarter(2023, 3), 2023, 12, 31);
    end_of(rp_quarter(2023, 4), 2024, 3, 31);   /* Q4 ends in the next year */
    end_of(rp_fyear(2023), 2024, 3, 31);
    rp_period cy = { RP_PER_CYEAR, 2024, 0 }, ay = { RP_PER_AYEAR, 2024, 0 };
    end_of(cy, 2024, 12, 31);
    end_of(ay, 2025, 8, 31);                    /* AY 2024/25 ends August */
    rp_period none = { 0, 0, 0 };
    int y, m, d;
    assert_false(export_xlsx_period_end(none, &y, &m, &d));
}

static void test_unwritable(void **state)
{
    (void)state;
    compute_results r;
    memset(&r, 0, sizeof r);
    rp_errors e;
    rp_errors_init(&e);
    assert_int_equal(export_xlsx_write(&r, "/nonexistent/dir/x.xlsx", &e), -1);
    assert_int_equal(e.nerrors, 1);
    assert_string_equal(e.v[0].file, "/nonexistent/dir/x.xlsx");
    rp_errors_free(&e);

    /* an empty result still makes a workbook of three sheets */
    char dir[] = "/tmp/test_xlsx_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *path = rp_xasprintf("%s/empty.xlsx", dir);
    rp_errors_init(&e);
    assert_int_equal(export_xlsx_write(&r, path, &e), 0);
    size_t n = 0;
    char *b = tu_slurp(path, &n);
    assert_non_null(b);
    assert_true(n > 100 && memcmp(b, "PK", 2) == 0);   /* a zip */
    free(b);
    unlink(path);
    rmdir(dir);
    free(path);
    rp_errors_free(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_period_end),
        cmocka_unit_test(test_unwritable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
