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

/* export_xlsx.c's lxw_tmpfile (libxlsxwriter's part files in memory)
 * behaves as a file does for what libxlsxwriter asks of it: write, seek,
 * tell, rewind, read back to the end (feof), and a workbook made through
 * it is a zip. */
FILE *lxw_tmpfile(char *tmpdir);
static void test_parts_in_memory(void **state)
{
    (void)state;
    FILE *f = lxw_tmpfile((char *)"/nonexistent");  /* never touched */
    assert_non_null(f);
    char big[10000];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (char)('a' + i % 26);
    assert_int_equal(fwrite(big, 1, sizeof big, f), sizeof big);
    fprintf(f, "<end %d/>", 42);
    assert_int_equal(ftell(f), (long)sizeof big + 9);
    assert_int_equal(fseek(f, 3, SEEK_SET), 0);
    fputc('X', f);
    big[3] = 'X';
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    assert_int_equal(ftell(f), (long)sizeof big + 9);
    fflush(f);
    rewind(f);
    char back[sizeof big + 64];
    size_t got = fread(back, 1, sizeof back, f);
    assert_int_equal(got, sizeof big + 9);
    assert_true(feof(f));
    assert_memory_equal(back, big, sizeof big);
    assert_memory_equal(back + sizeof big, "<end 42/>", 9);
    assert_int_equal(fclose(f), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_period_end),
        cmocka_unit_test(test_unwritable),
        cmocka_unit_test(test_parts_in_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
