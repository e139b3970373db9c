/* test_fonts.c — font metrics: widths add up, bold is wider, UTF-8 decoding,
 * missing-glyph warnings once per code point. */
#include "testutil.h"
#include "fonts.h"

#include <math.h>

static fonts *load(rp_errors *e)
{
    return fonts_create("fonts", "LiberationSans-Regular.ttf",
                           "LiberationSans-Bold.ttf", e);
}

static void test_widths_add_up(void **state)
{
    (void)state;
    rp_errors e;
    rp_errors_init(&e);
    fonts *f = load(&e);
    assert_non_null(f);
    double i1 = fonts_width(f, FONTS_REGULAR, 10, "i");
    assert_true(i1 > 0);
    assert_true(fabs(fonts_width(f, FONTS_REGULAR, 10, "ii") - 2 * i1) < 1e-9);
    /* Width scales linearly with size. */
    assert_true(fabs(fonts_width(f, FONTS_REGULAR, 20, "Hello") -
                     2 * fonts_width(f, FONTS_REGULAR, 10, "Hello")) < 1e-9);
    /* Liberation Sans is metric-compatible with Arial: digits are 0.556 em
     * (1139/2048) in both faces, so figures line up in tables. */
    assert_true(fabs(fonts_width(f, FONTS_REGULAR, 1, "0") - 1139.0 / 2048) < 1e-9);
    assert_true(fabs(fonts_width(f, FONTS_BOLD, 1, "8") - 1139.0 / 2048) < 1e-9);
    /* Bold is wider than regular for ordinary text. */
    assert_true(fonts_width(f, FONTS_BOLD, 11, "Children and Families") >
                fonts_width(f, FONTS_REGULAR, 11, "Children and Families"));
    /* fonts_width_n measures a prefix. */
    assert_true(fabs(fonts_width_n(f, FONTS_REGULAR, 10, "iiX", 2) - 2 * i1) < 1e-9);
    /* A non-Latin-1 character (outside the cache) measures > 0: € */
    assert_true(fonts_width(f, FONTS_REGULAR, 10, "\xE2\x82\xAC") > 0);
    assert_true(fonts_ascent(f, FONTS_REGULAR, 10) > 7);
    assert_true(fonts_descent(f, FONTS_REGULAR, 10) > 1);
    assert_int_equal(e.n, 0);
    fonts_destroy(f);
    rp_errors_free(&e);
}

static void test_utf8(void **state)
{
    (void)state;
    const char *s = "\xC2\xA3" "a" "\xE2\x80\x93" "\xF0\x9F\x98\x80" "\xC0\xAF" "\xE2\x82";
    const char *end = s + strlen(s), *p = s;
    assert_int_equal(fonts_utf8_next(&p, end), 0xA3);
    assert_int_equal(fonts_utf8_next(&p, end), 'a');
    assert_int_equal(fonts_utf8_next(&p, end), 0x2013);
    assert_int_equal(fonts_utf8_next(&p, end), 0x1F600);
    assert_int_equal(fonts_utf8_next(&p, end), 0xFFFD);   /* overlong '/' */
    assert_int_equal(fonts_utf8_next(&p, end), 0xFFFD);   /* truncated */
    assert_int_equal(fonts_utf8_next(&p, end), 0xFFFD);   /* its tail byte */
    assert_ptr_equal(p, end);
}

static void test_missing_glyph_warned_once(void **state)
{
    (void)state;
    rp_errors e;
    rp_errors_init(&e);
    fonts *f = load(&e);
    assert_non_null(f);
    assert_false(fonts_has_glyph(f, FONTS_REGULAR, 0x2713));
    assert_true(fonts_has_glyph(f, FONTS_REGULAR, 0xA3));
    /* Two ticks in one string and one more elsewhere: one warning. */
    assert_int_equal(fonts_check_text(f, FONTS_REGULAR, "\xE2\x9C\x93 done \xE2\x9C\x93",
                                   "table cell \"x\"", &e), 2);
    assert_int_equal(fonts_check_text(f, FONTS_BOLD, "ok \xE2\x9C\x93",
                                   "heading \"y\"", &e), 1);
    assert_int_equal(e.nwarnings, 1);
    assert_int_equal(e.nerrors, 0);
    assert_non_null(strstr(e.v[0].message, "U+2713"));
    assert_non_null(strstr(e.v[0].message, "\xE2\x9C\x93"));
    assert_non_null(strstr(e.v[0].message, "table cell \"x\""));
    /* Ordinary text with £ – ’ is fine. */
    assert_int_equal(fonts_check_text(f, FONTS_REGULAR,
                                   "\xC2\xA3" "5m \xE2\x80\x93 council\xE2\x80\x99s",
                                   "p", &e), 0);
    assert_int_equal(e.n, 1);
    fonts_destroy(f);
    rp_errors_free(&e);
}

static void test_missing_font_is_error(void **state)
{
    (void)state;
    rp_errors e;
    rp_errors_init(&e);
    fonts *f = fonts_create("fonts", "NoSuchFont.ttf",
                                  "LiberationSans-Bold.ttf", &e);
    assert_null(f);
    assert_int_equal(e.nerrors, 1);
    assert_non_null(strstr(e.v[0].file, "NoSuchFont.ttf"));
    rp_errors_free(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_widths_add_up),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_missing_glyph_warned_once),
        cmocka_unit_test(test_missing_font_is_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
