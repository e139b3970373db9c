/* test_build.c — one build end to end through build_pack: outputs named by
 * template and quarter, a clean stop that leaves the last good pack and no
 * temporary files; build_check as a dry run of the same options; trend
 * pack names from every option. */
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
 * "." and ".." and the state folder .ragpack (the pack's lock). */
static int hidden_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] == '.' && strcmp(e->d_name, ".") &&
            strcmp(e->d_name, "..") && strcmp(e->d_name, ".ragpack"))
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

/* check = build without writing: the same names, and every problem a
 * build would meet, even after an earlier stage failed. */
static void test_check_is_dry_build(void **state)
{
    (void)state;
    char *out = tmpdir_new();
    char *sub = rp_xasprintf("%s/packs", out);
    build_options o;
    build_options_default(&o);
    o.out_dir = sub;
    o.period = "2023/24 Q2";
    rp_errors e;
    rp_errors_init(&e);
    build_result res;
    assert_int_equal(build_check(&o, &res, &e), 0);
    char *want = rp_xasprintf("%s/integrated-performance-2023-24-Q2.pdf", sub);
    assert_string_equal(res.pdf_path, want);
    assert_int_equal(res.period.fy, 2023);
    assert_int_equal(res.period.q, 2);
    assert_int_equal(res.pages, 0);         /* composed, not laid out */
    char *html = rp_xasprintf("%s/integrated-performance-2023-24-Q2.html", sub);
    assert_string_equal(res.html_path, html);
    free(html);
    assert_false(rp_is_dir(sub));           /* nothing written */
    build_result_free(&res);
    /* a quarter without data and a missing fonts folder: both reported */
    o.period = "2019/20 Q1";
    o.fonts_dir = "/nonexistent-fonts";
    assert_int_equal(build_check(&o, &res, &e), -1);
    int period = 0, font = 0;
    for (size_t i = 0; i < e.n; i++) {
        period |= strstr(e.v[i].message, "2019/20 Q1") != NULL;
        font |= e.v[i].file && strstr(e.v[i].file, "/nonexistent-fonts/") != NULL;
    }
    assert_true(period);
    assert_true(font);
    /* build fails on the same options */
    rp_errors_free(&e);
    rp_errors_init(&e);
    assert_int_equal(build_pack(&o, &res, &e), -1);
    assert_false(rp_is_dir(sub));
    rp_errors_free(&e);
    free(want);
    free(sub);
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

static void test_trend_stem(void **state)
{
    (void)state;
    build_trend_options o;
    build_trend_options_default(&o);
    const char *ids[] = { "EHCP_TOTAL", "POTHOLES_CAT3" };
    o.measures = ids;
    o.nmeasures = 1;
    rp_period q3 = rp_quarter(2023, 3);
    char *s = build_trend_stem(&o, q3);
    assert_string_equal(s, "trend-ehcp_total-2023-24-Q3");   /* as before */
    free(s);
    o.nmeasures = 2;
    o.years = 5;
    o.by = build_trend_by("quarter");
    o.service_area = "Children and Families";
    o.template_path = "my/briefing.yaml";
    s = build_trend_stem(&o, rp_fyear(2023));
    assert_string_equal(s, "trend-ehcp_total+potholes_cat3-area-children-and-"
                           "families-2023-24-5y-by-quarter-briefing");
    free(s);
    /* many ids: shortened, and two lists of the same length still differ */
    const char *many[12], *other[12];
    char buf[12][16], buf2[12][16];
    for (int i = 0; i < 12; i++) {
        snprintf(buf[i], sizeof buf[i], "MEASURE_%02d", i);
        snprintf(buf2[i], sizeof buf2[i], "MEASURE_%02d", i + 1);
        many[i] = buf[i];
        other[i] = buf2[i];
    }
    build_trend_options_default(&o);
    o.measures = many;
    o.nmeasures = 12;
    char *a = build_trend_stem(&o, q3);
    o.measures = other;
    char *b = build_trend_stem(&o, q3);
    assert_true(strlen(a) < 60);
    assert_non_null(strstr(a, "trend-measure_00-and-11-more-"));
    assert_string_not_equal(a, b);
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_build_and_stop),
        cmocka_unit_test(test_chart_files_choice),
        cmocka_unit_test(test_chart_files_words),
        cmocka_unit_test(test_check_is_dry_build),
        cmocka_unit_test(test_trend_stem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
