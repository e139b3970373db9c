/* test_build.c — one build end to end through build_pack: outputs named by
 * template and quarter, a clean stop that leaves the last good pack and no
 * temporary files. */
#include "testutil.h"

#include <dirent.h>
#include <signal.h>
#include <unistd.h>

#include "build.h"

static char *tmpdir_new(void)
{
    char *d = rp_xstrdup("/tmp/ragpack-ap.XXXXXX");
    assert_non_null(mkdtemp(d));
    return d;
}

/* Entries of dir whose name starts with '.' (temporaries), other than
 * "." and "..". */
static int hidden_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] == '.' && strcmp(e->d_name, ".") &&
            strcmp(e->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

static void test_build_and_stop(void **state)
{
    (void)state;
    char *out = tmpdir_new();
    build_options o;
    build_options_default(&o);
    o.out_dir = out;
    rp_errors e;
    rp_errors_init(&e);
    build_result res;
    assert_int_equal(build_pack(&o, &res, &e), 0);
    assert_int_equal(e.nerrors, 0);
    /* the name comes from the template and the data's latest quarter */
    char *want = rp_xasprintf("%s/integrated-performance-2023-24-Q3.pdf", out);
    assert_string_equal(res.pdf_path, want);
    assert_true(res.pages > 1);
    size_t len0;
    char why[160];
    char *pdf0 = rp_read_input(res.pdf_path, RP_MAX_DATA_BYTES, &len0, why, sizeof why);
    assert_non_null(pdf0);
    assert_int_equal((long)len0, res.bytes);
    build_result_free(&res);

    /* a stop requested (as by the SIGTERM handler): the build fails,
     * says why, and leaves the last good pack and no temporaries */
    rp_request_stop(SIGTERM);
    assert_int_equal(rp_stop_requested(), SIGTERM);
    assert_int_equal(build_pack(&o, &res, &e), -1);
    assert_true(e.nerrors >= 1);
    assert_non_null(strstr(e.v[e.n - 1].message, "interrupted"));
    size_t len1;
    char *pdf1 = rp_read_input(want, RP_MAX_DATA_BYTES, &len1, why, sizeof why);
    assert_non_null(pdf1);
    assert_int_equal(len1, len0);
    assert_memory_equal(pdf1, pdf0, len0);
    assert_int_equal(hidden_entries(out), 0);
    free(pdf1);

    /* cleared, the next build works again */
    rp_request_stop(0);
    rp_errors_free(&e);
    rp_errors_init(&e);
    assert_int_equal(build_pack(&o, &res, &e), 0);
    build_result_free(&res);
    assert_int_equal(hidden_entries(out), 0);

    rp_errors_free(&e);
    free(pdf0);
    free(want);
    rp_rm_rf(out);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_build_and_stop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
