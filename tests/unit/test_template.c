/* test_template.c — templates: defaults, the shipped template, every key, and
 * every kind of error reported with its file and line. Expected figures
 * come from the units (mm × 72 / 25.4, hex / 255), not from the program. */
#include "testutil.h"

#include <math.h>
#include <unistd.h>

#include "compute.h"
#include "template.h"

#define DATA "tests/data/templates/"
#define SHIPPED "templates/integrated-performance.yaml"

static double mm(double v) { return v * 72.0 / 25.4; }

static void assert_near(double a, double b)
{
    if (fabs(a - b) > 1e-9) {
        print_error("%.12f != %.12f\n", a, b);
        fail();
    }
}

static void assert_rgb(template_rgb c, int r, int g, int b)
{
    assert_near(c.r, r / 255.0);
    assert_near(c.g, g / 255.0);
    assert_near(c.b, b / 255.0);
}

/* An error (not warning) at file:line whose column is path and whose
 * message contains text. */
static int has_error(const rp_errors *e, const char *file, long line,
                     const char *path, const char *text)
{
    for (size_t i = 0; i < e->n; i++) {
        const rp_error *x = &e->v[i];
        if (x->sev == RP_SEV_ERROR && x->file && strcmp(x->file, file) == 0 &&
            x->line == line &&
            ((!path && !x->column) ||
             (path && x->column && strcmp(x->column, path) == 0)) &&
            strstr(x->message, text))
            return 1;
    }
    return 0;
}

static void dump(const rp_errors *e)
{
    rp_errors_print(e, stdout);
}

#define ASSERT_ERR(e, file, line, path, text)                     \
    do {                                                          \
        if (!has_error((e), (file), (line), (path), (text))) {    \
            dump(e);                                              \
            print_error("missing %s:%ld: %s: %s\n", (file),       \
                        (long)(line), (path) ? (path) : "-", (text)); \
            fail();                                               \
        }                                                         \
    } while (0)

/* Write yaml to a fresh temporary file; its name goes into path. */
static void write_tmp(const char *yaml, char *path, size_t len)
{
    snprintf(path, len, "/tmp/test_tp_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t n = strlen(yaml);
    assert_int_equal(write(fd, yaml, n), (ssize_t)n);
    close(fd);
}

/* Load inline YAML; returns the load's result. */
static int load_text(const char *yaml, pack_template *t, rp_errors *e,
                     char *path, size_t len)
{
    write_tmp(yaml, path, len);
    int rc = template_load(path, t, e);
    unlink(path);
    return rc;
}

/* 1-based line of the first occurrence of needle in file (0 if none). */
static long line_with(const char *file, const char *needle)
{
    char *text = tu_slurp(file, NULL);
    assert_non_null(text);
    long line = 1, found = 0;
    size_t n = strlen(needle);
    for (char *p = text; *p && !found; p++) {
        if (strncmp(p, needle, n) == 0)
            found = line;
        if (*p == '\n')
            line++;
    }
    free(text);
    return found;
}

static void check_defaults(const pack_template *t)
{
    assert_near(t->page_w, mm(210));
    assert_near(t->page_h, mm(297));
    assert_near(t->margin_top, mm(18));
    assert_near(t->margin_bottom, mm(18));
    assert_near(t->margin_left, mm(20));
    assert_near(t->margin_right, mm(20));
    assert_near(t->body_size, 12);      /* GOV.UK minimum on screen */
    assert_near(t->body_leading, 15.5);
    assert_near(t->h1_size, 20);
    assert_near(t->h2_size, 15);
    assert_near(t->h3_size, 12);
    assert_near(t->small_size, 8.5);
    assert_string_equal(t->font_regular, "LiberationSans-Regular.ttf");
    assert_string_equal(t->font_bold, "LiberationSans-Bold.ttf");
    const template_palette *p = &t->palette;
    assert_rgb(p->text, 0x0B, 0x0C, 0x0C);
    assert_rgb(p->secondary, 0x50, 0x5A, 0x5F);
    assert_rgb(p->rule, 0xB1, 0xB4, 0xB6);
    assert_rgb(p->fill, 0xF3, 0xF2, 0xF1);
    assert_rgb(p->accent, 0x1D, 0x70, 0xB8);
    assert_rgb(p->accent_dark, 0x00, 0x30, 0x78);
    assert_rgb(p->accent2, 0x28, 0xA1, 0x97);
    assert_rgb(p->accent3, 0x4C, 0x2C, 0x92);
    assert_rgb(p->red, 0xD4, 0x35, 0x1C);
    assert_rgb(p->amber, 0xF4, 0x77, 0x38);
    assert_rgb(p->green, 0x00, 0x70, 0x3C);
    assert_rgb(p->none, 0xB1, 0xB4, 0xB6);
    assert_rgb(p->amber_text, 0x0B, 0x0C, 0x0C);
    assert_rgb(p->series[0], 0x00, 0x72, 0xB2);   /* Okabe–Ito blue */
    assert_rgb(p->series[4], 0xA6, 0x6E, 0x00);   /* darkened orange */
    assert_rgb(p->series[5], 0x7A, 0x51, 0x95);   /* purple: 3:1 on white */
    assert_rgb(p->badge_outline, 0x50, 0x5A, 0x5F);
    assert_string_equal(t->lang, "en-GB");
    assert_int_equal(t->rollup, RP_ROLLUP_SCORE);
    assert_int_equal(t->green_at, 5 * RP_SCALE / 2);
    assert_int_equal(t->amber_at, 7 * RP_SCALE / 4);
    assert_int_equal(t->stale_quarters, 2);
}

static void test_defaults(void **state)
{
    (void)state;
    pack_template t;
    template_defaults(&t);
    check_defaults(&t);
    static const template_section_kind want[] = {
        TEMPLATE_SECTION_COVER, TEMPLATE_SECTION_CONTENTS, TEMPLATE_SECTION_SUMMARY, TEMPLATE_SECTION_FINANCE,
        TEMPLATE_SECTION_SERVICE_AREA, TEMPLATE_SECTION_DATA_QUALITY,
    };
    assert_int_equal(t.nsections, 6);
    for (size_t i = 0; i < 6; i++) {
        assert_int_equal(t.sections[i].kind, want[i]);
        assert_null(t.sections[i].service_area);
        assert_null(t.sections[i].title);
    }
    template_free(&t);
    assert_null(t.sections);
    template_free(&t);           /* freeing twice is harmless */
}

static void test_shipped(void **state)
{
    (void)state;
    pack_template t;
    rp_errors e;
    rp_errors_init(&e);
    int rc = template_load(SHIPPED, &t, &e);
    dump(&e);
    assert_int_equal(rc, 0);
    assert_int_equal(e.n, 0);
    check_defaults(&t);             /* it spells out the defaults */
    assert_string_equal(t.path, SHIPPED);
    assert_string_equal(t.authority, "Northshire County Council");
    assert_string_equal(t.title, "Integrated Performance Report");
    assert_string_equal(t.committee, "Cabinet");
    assert_string_equal(t.meeting_date, "14 February 2024");
    assert_string_equal(t.author, "Northshire County Council Performance Team");
    assert_string_equal(t.subject,
                        "Quarterly integrated performance and finance report");
    assert_int_equal(t.nsections, 7);
    assert_int_equal(t.sections[4].kind, TEMPLATE_SECTION_SERVICE_AREA);
    assert_null(t.sections[4].service_area);
    const template_section *tr = &t.sections[5];
    assert_int_equal(tr->kind, TEMPLATE_SECTION_TRENDS);
    assert_int_equal(tr->years, 3);
    assert_int_equal(tr->nmeasures, 5);
    assert_string_equal(tr->measures[0], "EHCP_TOTAL");
    assert_string_equal(tr->measures[1], "EHCP_20WK");
    assert_string_equal(tr->measures[2], "POTHOLES_CAT3");
    assert_string_equal(tr->measures[3], "CIC_RATE");
    assert_string_equal(tr->measures[4], "CTAX_COLLECT");   /* cumulative */
    assert_int_equal(t.sections[6].kind, TEMPLATE_SECTION_DATA_QUALITY);

    /* Section lines point at the "- kind:" line in the file. */
    long trends_line = line_with(SHIPPED, "- kind: trends");
    assert_true(trends_line > 0);
    assert_int_equal(tr->line, trends_line);
    template_free(&t);
    rp_errors_free(&e);
}

static void test_every_key(void **state)
{
    (void)state;
    pack_template t;
    rp_errors e;
    rp_errors_init(&e);
    const char *f = DATA "all-keys.yaml";
    int rc = template_load(f, &t, &e);
    dump(&e);
    assert_int_equal(rc, 0);
    assert_int_equal(e.n, 0);
    /* A3 landscape: 420 × 297 mm. */
    assert_near(t.page_w, mm(420));
    assert_near(t.page_h, mm(297));
    assert_near(t.margin_top, mm(10));
    assert_near(t.margin_bottom, mm(12.5));
    assert_near(t.margin_left, mm(15));
    assert_near(t.margin_right, mm(25));
    assert_near(t.body_size, 12);
    assert_near(t.body_leading, 16);
    assert_near(t.h1_size, 24);
    assert_near(t.h2_size, 18);
    assert_near(t.h3_size, 14);
    assert_near(t.small_size, 9);
    assert_string_equal(t.font_regular, "Arial.ttf");
    assert_string_equal(t.font_bold, "Arial-Bold.ttf");
    const template_palette *p = &t.palette;
    assert_rgb(p->text, 0, 0, 0);
    assert_rgb(p->secondary, 0x11, 0x11, 0x11);
    assert_rgb(p->rule, 0x22, 0x22, 0x22);
    assert_rgb(p->fill, 0xEE, 0xEE, 0xEE);
    assert_rgb(p->accent, 0x44, 0x44, 0x44);
    assert_rgb(p->accent_dark, 0x55, 0x55, 0x55);
    assert_rgb(p->accent2, 0x66, 0x66, 0x66);
    assert_rgb(p->accent3, 0x77, 0x77, 0x77);
    assert_rgb(p->red, 0xAA, 0, 0);
    assert_rgb(p->amber, 255, 191, 0);
    assert_rgb(p->green, 0, 0x64, 0);
    assert_rgb(p->none, 0xCC, 0xCC, 0xCC);
    assert_rgb(p->amber_text, 0x1A, 0x1A, 0x1A);
    assert_rgb(p->badge_outline, 0x33, 0x33, 0x33);
    assert_rgb(p->series[0], 1, 2, 3);
    assert_rgb(p->series[1], 0x5A, 0x6B, 0x7C);     /* lower-case hex */
    assert_rgb(p->series[2], 0x2F, 0x4F, 0x4F);
    assert_rgb(p->series[3], 0x12, 0x34, 0x56);
    assert_rgb(p->series[4], 0x65, 0x43, 0x21);
    assert_rgb(p->series[5], 15, 15, 15);
    assert_string_equal(t.authority, "Testshire");
    assert_string_equal(t.title, "Quarterly Report");
    assert_string_equal(t.committee, "Scrutiny");
    assert_string_equal(t.meeting_date, "1 April 2024");
    assert_string_equal(t.author, "Test Team");
    assert_string_equal(t.subject, "A subject");
    assert_string_equal(t.lang, "cy");
    assert_int_equal(t.rollup, RP_ROLLUP_MAJORITY);
    assert_int_equal(t.green_at, 2 * RP_SCALE + 3 * RP_SCALE / 4);   /* 2.75 */
    assert_int_equal(t.amber_at, RP_SCALE + 1);                  /* 1.000001 */
    assert_int_equal(t.stale_quarters, 4);
    assert_int_equal(t.nsections, 3);
    assert_int_equal(t.sections[0].kind, TEMPLATE_SECTION_SUMMARY);
    assert_string_equal(t.sections[0].title, "At a glance");
    assert_int_equal(t.sections[0].line, line_with(f, "- kind: summary"));
    assert_int_equal(t.sections[1].kind, TEMPLATE_SECTION_SERVICE_AREA);
    assert_string_equal(t.sections[1].service_area, "Children and Families");
    assert_int_equal(t.sections[1].line,
                     line_with(f, "- kind: service_area"));
    assert_int_equal(t.sections[2].kind, TEMPLATE_SECTION_TRENDS);
    assert_int_equal(t.sections[2].nmeasures, 2);
    assert_string_equal(t.sections[2].measures[1], "B_2");
    assert_int_equal(t.sections[2].years, 5);
    assert_int_equal(t.sections[2].line, line_with(f, "- kind: trends"));
    template_free(&t);
    rp_errors_free(&e);
}

static void test_rollup_rules(void **state)
{
    (void)state;
    static const struct { const char *word; int want; } rules[] = {
        { "score", RP_ROLLUP_SCORE }, { "worst", RP_ROLLUP_WORST },
        { "majority", RP_ROLLUP_MAJORITY },
    };
    for (size_t i = 0; i < 3; i++) {
        char yaml[128], path[64];
        snprintf(yaml, sizeof yaml, "rollup: {rule: %s}\n", rules[i].word);
        pack_template t;
        rp_errors e;
        rp_errors_init(&e);
        assert_int_equal(load_text(yaml, &t, &e, path, sizeof path), 0);
        assert_int_equal(t.rollup, rules[i].want);
        /* Unset keys keep their defaults. */
        assert_int_equal(t.nsections, 6);
        assert_int_equal(t.green_at, 5 * RP_SCALE / 2);
        template_free(&t);
        rp_errors_free(&e);
    }
}

/* Several structural problems at once, each at its own line. */
static void test_structural_errors(void **state)
{
    (void)state;
    const char *f = DATA "structural.yaml";
    pack_template t;
    rp_errors e;
    rp_errors_init(&e);
    assert_int_equal(template_load(f, &t, &e), -1);
    ASSERT_ERR(&e, f, 3, "page", "unknown key \"colour\"");
    ASSERT_ERR(&e, f, 5, "palette.red", "\"#D4351\" is not a colour");
    ASSERT_ERR(&e, f, 6, "palette.green", "\"green\" is not a colour");
    ASSERT_ERR(&e, f, 8, "type.body", "expected a number, found a list");
    ASSERT_ERR(&e, f, 10, "rollup.rule", "unknown value \"best\"");
    ASSERT_ERR(&e, f, 13, "sections[2].kind", "unknown value \"appendix\"");
    ASSERT_ERR(&e, f, 14, "sections[3]", "missing key \"kind\"");
    assert_int_equal(e.nerrors, 7);
    /* A failed load leaves nothing to free. */
    assert_null(t.sections);
    assert_null(t.path);
    template_free(&t);
    rp_errors_free(&e);
}

static void test_range_errors(void **state)
{
    (void)state;
    const char *f = DATA "ranges.yaml";
    pack_template t;
    rp_errors e;
    rp_errors_init(&e);
    assert_int_equal(template_load(f, &t, &e), -1);
    ASSERT_ERR(&e, f, 2, "type.body", "-11 pt is out of range");
    ASSERT_ERR(&e, f, 3, "type.h1", "0 pt is out of range");
    ASSERT_ERR(&e, f, 6, "page.margins_mm.left", "-5 mm is negative");
    ASSERT_ERR(&e, f, 8, "rollup", "amber_at 2, green_at 1.5");
    ASSERT_ERR(&e, f, 11, "data_quality.stale_quarters", "0 is out of range");
    ASSERT_ERR(&e, f, 14, "sections[1].measures", "only apply to trends");
    ASSERT_ERR(&e, f, 15, "sections[2]", "needs measures");
    ASSERT_ERR(&e, f, 16, "sections[2].years", "1 is out of range");
    assert_int_equal(e.nerrors, 8);
    template_free(&t);
    rp_errors_free(&e);
}

static void test_margins_leave_room(void **state)
{
    (void)state;
    const char *f = DATA "margins.yaml";
    pack_template t;
    rp_errors e;
    rp_errors_init(&e);
    assert_int_equal(template_load(f, &t, &e), -1);
    /* 210 − 100 − 70 = 40 mm wide: too narrow. */
    ASSERT_ERR(&e, f, 2, "page.margins_mm", "leave 40 × 261 mm");
    rp_errors_free(&e);

    /* The same margins fit once the page is landscape (297 wide). */
    char path[64];
    rp_errors_init(&e);
    assert_int_equal(load_text("page:\n  orientation: landscape\n"
                               "  margins_mm: {left: 100, right: 70}\n",
                               &t, &e, path, sizeof path), 0);
    assert_near(t.page_w, mm(297));
    assert_near(t.margin_left, mm(100));
    template_free(&t);
    rp_errors_free(&e);
}

static void test_syntax_error(void **state)
{
    (void)state;
    const char *f = DATA "syntax.yaml";
    pack_template t;
    rp_errors e;
    rp_errors_init(&e);
    assert_int_equal(template_load(f, &t, &e), -1);
    /* The flow mapping opened on line 3 is never closed; libyaml notices
     * at the ':' after "sections" on line 4. */
    ASSERT_ERR(&e, f, 4, NULL, "YAML syntax");
    template_free(&t);
    rp_errors_free(&e);
}

static void test_empty_and_missing(void **state)
{
    (void)state;
    pack_template t;
    rp_errors e;
    rp_errors_init(&e);
    assert_int_equal(template_load(DATA "empty.yaml", &t, &e), -1);
    ASSERT_ERR(&e, DATA "empty.yaml", 0, NULL, "empty");
    assert_int_equal(template_load(DATA "no-such.yaml", &t, &e), -1);
    ASSERT_ERR(&e, DATA "no-such.yaml", 0, NULL, "cannot read");
    assert_int_equal(e.nerrors, 2);
    rp_errors_free(&e);
}

/* Small inline cases: each YAML gives one error at line/path. */
static void test_inline_errors(void **state)
{
    (void)state;
    static const struct {
        const char *yaml;
        long line;
        const char *path, *text;
    } cases[] = {
        { "page: A4\n", 1, "page", "expected a mapping of keys, found \"A4\"" },
        { "sections:\n  - kind: cover\n  - kind: cover\n    kind: summary\n",
          4, "sections[2]", "key \"kind\" is given twice" },
        { "document: &d {title: x}\nfonts: *d\n", 2, "fonts",
          "aliases" },
        { "type:\n  body: nan\n", 2, "type.body", "expected a number" },
        { "type:\n  h2: 0x10\n", 2, "type.h2", "expected a number" },
        { "data_quality:\n  stale_quarters: 2.5\n", 2,
          "data_quality.stale_quarters", "expected a whole number" },
        { "rollup:\n  green_at: 2.5000001\n", 2, "rollup.green_at",
          "at most 6 places" },
        { "rollup:\n  green_at: 1e0\n", 2, "rollup.green_at",
          "not a plain decimal" },
        { "palette:\n  series: [\"#000000\"]\n", 2, "palette.series",
          "exactly 6 entries, found 1" },
        { "sections: []\n", 1, "sections", "at least 1 entry" },
        { "sections:\n  - kind: trends\n    measures: []\n", 3,
          "sections[1].measures", "at least 1 entry" },
        { "sections:\n  - kind: cover\n    name: X\n", 3, "sections[1].name",
          "only applies to service_area" },
        { "sections:\n  - kind: trends\n    measures: [A]\n    years: many\n",
          4, "sections[1].years", "expected a whole number" },
        { "fonts:\n  regular:\n", 2, "fonts.regular",
          "expected text, found nothing" },
        { "type: {body: 12, leading: 11}\n", 1, "type.leading",
          "less than the body size" },
        { "page: {size: A5}\n", 1, "page.size", "unknown value \"A5\"" },
        { "Page: {size: A4}\n", 1, NULL, "unknown key \"Page\"" },
        { "---\npage: {}\n---\npage: {}\n", 3, NULL,
          "more than one YAML document" },
        { "palette:\n  red: #D4351C\n", 2, "palette.red",
          "quote colours" },
        { "palette:\n  series: [\"#000000\", \"#000000\", \"#000000\",\n"
          "           \"#000000\", \"#000000\", \"#00000G\"]\n", 3,
          "palette.series[6]", "\"#00000G\" is not a colour" },
        { "- kind: cover\n", 1, NULL, "expected a mapping of keys, found a list" },
        /* committee packs (issue 12) */
        { "sections:\n  - kind: text\n", 2, "sections[1]",
          "a text section needs file" },
        { "sections:\n  - kind: text\n    file: ../x.md\n", 3,
          "sections[1].file", "not a file name in the input folder" },
        { "sections:\n  - kind: cover\n    file: a.md\n", 3,
          "sections[1].file", "only applies to text" },
        { "sections:\n  - kind: summary\n    measures: [A]\n", 3,
          "sections[1].measures", "trends and service_area" },
        { "sections:\n  - kind: trends\n    measures: [A]\n    tags: [x]\n",
          4, "sections[1].tags", "only apply to service_area" },
        { "sections:\n  - kind: service_area\n    tags: [\"\"]\n", 3,
          "sections[1].tags[1]", "tag is empty" },
        { "sections:\n  - kind: service_area\n    flow: yes please\n", 3,
          "sections[1].flow", "expected true or false" },
        { "sections:\n  - kind: finance\n    flow: true\n", 3,
          "sections[1].flow", "only applies to service_area" },
        { "data_quality:\n  small_denominator: 0\n", 2,
          "data_quality.small_denominator", "out of range" },
        /* Contrast (WCAG 2.2 1.4.3 / 1.4.11): both colours and the ratio. */
        { "palette:\n  secondary: \"#777777\"\n", 2, "palette.secondary",
          "secondary #777777 on the page #FFFFFF has a contrast of 4.48:1" },
        { "palette:\n  fill: \"#000000\"\n", 2, "palette.fill",
          "text #0B0C0C on fill #000000 has a contrast of 1.07:1" },
        { "palette:\n  amber: \"#FFBF00\"\n  amber_text: \"#808080\"\n", 3,
          "palette.amber_text", "amber_text #808080 on amber #FFBF00" },
        { "palette:\n  green: \"#00FF00\"\n", 2, "palette.green",
          "white text #FFFFFF on green #00FF00 has a contrast of 1.37:1" },
        { "palette:\n  series: [\"#000000\", \"#000000\", \"#000000\",\n"
          "           \"#000000\", \"#000000\", \"#56B4E9\"]\n", 3,
          "palette.series[6]", "#56B4E9 on the page #FFFFFF has a contrast "
          "of 2.31:1; a chart series or badge outline needs at least 3.0:1" },
        { "palette:\n  badge_outline: \"#CCCCCC\"\n", 2,
          "palette.badge_outline", "#CCCCCC on the page #FFFFFF has a "
          "contrast of 1.61:1" },
        { "document:\n  lang: english!\n", 2, "document.lang",
          "\"english!\" is not a language tag" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[64];
        pack_template t;
        rp_errors e;
        rp_errors_init(&e);
        int rc = load_text(cases[i].yaml, &t, &e, path, sizeof path);
        if (rc != -1 || e.nerrors != 1) {
            dump(&e);
            print_error("case %zu: rc %d, %zu errors\n", i, rc, e.nerrors);
            fail();
        }
        ASSERT_ERR(&e, path, cases[i].line, cases[i].path, cases[i].text);
        template_free(&t);
        rp_errors_free(&e);
    }
}

/* The keys committee packs add: chosen measures and tags, flow, text
 * sections, the region's name, the small-denominator threshold. */
static void test_committee_keys(void **state)
{
    (void)state;
    char path[64];
    pack_template t;
    rp_errors e;
    rp_errors_init(&e);
    int rc = load_text("document: {region: East Midlands}\n"
                       "data_quality: {small_denominator: 50}\n"
                       "sections:\n"
                       "  - kind: service_area\n"
                       "    title: Highways\n"
                       "    tags: [highways, environment]\n"
                       "    flow: true\n"
                       "  - kind: service_area\n"
                       "    measures: [A, B]\n"
                       "  - kind: text\n"
                       "    file: report.md\n",
                       &t, &e, path, sizeof path);
    if (rc != 0)
        dump(&e);
    assert_int_equal(rc, 0);
    assert_string_equal(t.region, "East Midlands");
    assert_int_equal(t.small_denominator, 50);
    assert_int_equal(t.nsections, 3);
    assert_int_equal(t.sections[0].ntags, 2);
    assert_string_equal(t.sections[0].tags[1], "environment");
    assert_true(t.sections[0].flow);
    assert_false(t.sections[1].flow);
    assert_int_equal(t.sections[1].nmeasures, 2);
    assert_int_equal(t.sections[2].kind, TEMPLATE_SECTION_TEXT);
    assert_string_equal(t.sections[2].file, "report.md");
    template_free(&t);
    rp_errors_free(&e);

    /* defaults: no region name, volatile under 30 */
    template_defaults(&t);
    assert_null(t.region);
    assert_int_equal(t.small_denominator, 30);
    template_free(&t);
}

static void test_warning_small_body(void **state)
{
    (void)state;
    char path[64];
    pack_template t;
    rp_errors e;
    rp_errors_init(&e);
    assert_int_equal(load_text("type:\n  body: 9\n  leading: 12\n", &t, &e,
                               path, sizeof path), 0);
    assert_int_equal(e.nerrors, 0);
    assert_int_equal(e.nwarnings, 1);
    assert_int_equal(e.v[0].line, 2);
    assert_near(t.body_size, 9);
    template_free(&t);
    rp_errors_free(&e);
}

/* Reuse of one template struct across failed and good loads: under ASan
 * or valgrind a leak on any error path fails the run. */
static void test_error_paths_reuse(void **state)
{
    (void)state;
    static const char *files[] = {
        DATA "structural.yaml", DATA "ranges.yaml", DATA "syntax.yaml",
        DATA "empty.yaml", DATA "margins.yaml", SHIPPED,
    };
    pack_template t;
    rp_errors e;
    rp_errors_init(&e);
    int ok = 0;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        if (template_load(files[i], &t, &e) == 0)
            ok++;
        template_free(&t);
    }
    assert_int_equal(ok, 1);
    rp_errors_free(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_shipped),
        cmocka_unit_test(test_every_key),
        cmocka_unit_test(test_rollup_rules),
        cmocka_unit_test(test_structural_errors),
        cmocka_unit_test(test_range_errors),
        cmocka_unit_test(test_margins_leave_room),
        cmocka_unit_test(test_syntax_error),
        cmocka_unit_test(test_empty_and_missing),
        cmocka_unit_test(test_inline_errors),
        cmocka_unit_test(test_committee_keys),
        cmocka_unit_test(test_warning_small_body),
        cmocka_unit_test(test_error_paths_reuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
