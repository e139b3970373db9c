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

/* Files in dir ending in ext (-1 when dir is absent). */
static int count_ext(const char *dir, const char *ext)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    struct dirent *e;
    size_t el = strlen(ext);
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        n += l > el && strcmp(e->d_name + l - el, ext) == 0;
    }
    closedir(d);
    return n;
}

/* One build with the given option (and template); the chart files found
 * are returned through png/svg, the PDF through pdf. */
static void build_with(const char *tmpl, rp_chart_files cf, int *png,
                       int *svg, char **pdf, size_t *len)
{
    char *out = tmpdir_new();
    build_options o;
    build_options_default(&o);
    o.out_dir = out;
    o.fonts_dir = "fonts";
    if (tmpl)
        o.template_path = tmpl;
    o.chart_files = cf;
    rp_errors e;
    rp_errors_init(&e);
    build_result res;
    assert_int_equal(build_pack(&o, &res, &e), 0);
    char *charts = rp_xasprintf("%s/charts", res.figures_dir);
    *png = count_ext(charts, ".png");
    *svg = count_ext(charts, ".svg");
    char why[160];
    *pdf = rp_read_input(res.pdf_path, RP_MAX_DATA_BYTES, len, why, sizeof why);
    assert_non_null(*pdf);
    free(charts);
    build_result_free(&res);
    rp_errors_free(&e);
    rp_rm_rf(out);
    free(out);
}

/* --chart-files through build_options, and the template key under it:
 * the PDF is the same whatever chart files are written. */
static void test_chart_files_choice(void **state)
{
    (void)state;
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);   /* same dates */
    int png, svg, n;
    char *all, *pdf;
    size_t alen, len;
    build_with(NULL, RP_CHART_FILES_DEFAULT, &png, &svg, &all, &alen);
    assert_true(png > 0);
    assert_int_equal(svg, png);
    n = png;
    static const struct { rp_chart_files cf; int png, svg; } want[] = {
        { RP_CHART_FILES_ALL, 1, 1 }, { RP_CHART_FILES_PNG, 1, 0 },
        { RP_CHART_FILES_SVG, 0, 1 }, { RP_CHART_FILES_NONE, -1, -1 },
    };
    for (size_t i = 0; i < 4; i++) {
        build_with(NULL, want[i].cf, &png, &svg, &pdf, &len);
        assert_int_equal(png, want[i].png < 0 ? -1 : want[i].png * n);
        assert_int_equal(svg, want[i].svg < 0 ? -1 : want[i].svg * n);
        assert_int_equal(len, alen);
        assert_memory_equal(pdf, all, alen);
        free(pdf);
    }
    /* the template's key applies when the option is not set */
    char *dir = tmpdir_new();
    char *tmpl = rp_xasprintf("%s/t.yaml", dir);
    size_t tl;
    char why[160];
    char *text = rp_read_input("templates/integrated-performance.yaml",
                               RP_MAX_DATA_BYTES, &tl, why, sizeof why);
    assert_non_null(text);
    FILE *f = fopen(tmpl, "w");
    assert_non_null(f);
    fprintf(f, "%s\nchart_files: png\n", text);
    fclose(f);
    build_with(tmpl, RP_CHART_FILES_DEFAULT, &png, &svg, &pdf, &len);
    assert_int_equal(png, n);
    assert_int_equal(svg, 0);
    free(pdf);
    build_with(tmpl, RP_CHART_FILES_SVG, &png, &svg, &pdf, &len);
    assert_int_equal(png, 0);
    assert_int_equal(svg, n);
    free(pdf);
    free(text);
    free(tmpl);
    rp_rm_rf(dir);
    free(dir);
    free(all);
    unsetenv("SOURCE_DATE_EPOCH");
}

static void test_chart_files_words(void **state)
{
    (void)state;
    assert_int_equal(rp_chart_files_parse("all"), RP_CHART_FILES_ALL);
    assert_int_equal(rp_chart_files_parse("PNG"), RP_CHART_FILES_PNG);
    assert_int_equal(rp_chart_files_parse("svg"), RP_CHART_FILES_SVG);
    assert_int_equal(rp_chart_files_parse("None"), RP_CHART_FILES_NONE);
    assert_int_equal(rp_chart_files_parse("pdf"), -1);
    assert_int_equal(rp_chart_files_parse(""), -1);
    for (int c = RP_CHART_FILES_ALL; c <= RP_CHART_FILES_NONE; c++)
        assert_int_equal(rp_chart_files_parse(rp_chart_files_name(c)), c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_build_and_stop),
        cmocka_unit_test(test_chart_files_choice),
        cmocka_unit_test(test_chart_files_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
