/* test_render_html.c — the HTML twin, read back as text: lang and one h1,
 * headings in document order without skipped levels, every table with a
 * caption (its summary) and every th with a scope, charts as inline SVG
 * with role="img", <title>, <desc> (the figure's alt text) and real
 * <text>, RAG ratings as words, lists nested inside their items, links,
 * no scripts. The expectations come from the document built here. */
#define _GNU_SOURCE 1     /* memmem, strcasestr */
#include "testutil.h"
#include "fixture_template.h"
#include "render_html.h"
#include "chart.h"

static const char *const AREAS[4] = { "Health and Care",
                                      "Children and Families",
                                      "Economy, Infrastructure and Skills",
                                      "Corporate" };
static const rp_rag RAGS[4] = { RP_RAG_GREEN, RP_RAG_AMBER, RP_RAG_RED,
                                RP_RAG_NONE };

/* Cover, contents, two sections (the second with a level-3 heading
 * straight under its level 1), a RAG table, a chart, a nested list and a
 * link. */
static document *sample(void)
{
    document *d = doc_create();
    doc_set_text(&d->title, "Integrated Performance Report");
    doc_set_text(&d->header_text, "Northshire County Council \xC2\xB7 "
                                  "Integrated Performance Report");
    doc_set_text(&d->footer_text, "Cabinet \xC2\xB7 14 February 2024");
    doc_block *cv = doc_add_cover(d);
    doc_set_text(&cv->as.cover.authority, "Northshire County Council");
    doc_set_text(&cv->as.cover.title, "Integrated Performance Report");
    doc_set_text(&cv->as.cover.period, "Quarter 3 2023/24");
    cv->as.cover.badge_rag = RP_RAG_AMBER;
    doc_add_contents(d);
    doc_add_heading(d, 1, "summary", "Executive summary");
    double w[3] = { 3, 1, 1.5 };
    doc_block *tb = doc_add_table(d, 3, w, 1);
    doc_set_text(&tb->as.table.summary,
                 "Service areas with their overall assessment.");
    doc_cell *c = doc_table_add_row(tb);
    doc_cell_set(&c[0], "Service area", DOC_LEFT);
    doc_cell_set(&c[1], "Measures", DOC_RIGHT);
    doc_cell_set(&c[2], "Assessment", DOC_LEFT);
    for (int r = 0; r < 4; r++) {
        c = doc_table_add_row(tb);
        doc_cell_set(&c[0], AREAS[r], DOC_LEFT);
        char n[8];
        snprintf(n, sizeof n, "%d", 5 + r);
        doc_cell_set(&c[1], n, DOC_RIGHT);
        c[2].show_rag = 1;
        c[2].rag = RAGS[r];
    }
    const char *cats[2] = { "Health and Care", "Corporate" };
    rp_value v[2] = { rp_value_of(2900000), rp_value_of(-1200000) };
    doc_add_figure(d, "variance", "Forecast variance by service area",
                   "Forecast variance is largest in Health and Care.", 180,
                   chart_variance_create("variance", "Forecast variance",
                                         2, cats, v, rp_value_of(1700000)));
    doc_add_heading(d, 1, "report", "Report to the committee");
    doc_add_heading(d, 3, NULL, "Recommendations");
    doc_block *li = doc_add_list_item(d, 1, 1, 1, 1, "1.");
    doc_span_add(li, "note the performance;", 0);
    li = doc_add_list_item(d, 1, 1, 1, 2, "2.");
    doc_span_add(li, "comment on the strategy, including:", 0);
    li = doc_add_list_item(d, 2, 2, 0, 0, "\xE2\x80\x93");
    doc_span_add(li, "recycling targets;", 0);
    doc_block *p = doc_add_paragraph(d, "See the ");
    doc_span_add_ex(p, "terms of reference", 0, 0,
                    "https://www.example.gov.uk/terms");
    doc_span_add(p, ".", 0);
    return d;
}

typedef struct fx {
    fxt_page *pg;
    char *html;
} fx;

static int setup(void **state)
{
    fx *x = calloc(1, sizeof *x);
    x->pg = fxt_page_create();
    if (!x->pg->f)
        return -1;
    x->pg->d = sample();
    x->html = render_html(x->pg->d, &x->pg->t, x->pg->f);
    *state = x;
    return x->html ? 0 : -1;
}

static int teardown(void **state)
{
    fx *x = *state;
    free(x->html);
    fxt_page_destroy(x->pg);
    free(x);
    return 0;
}

static size_t count(const char *s, const char *what)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, what)) != NULL; p += strlen(what))
        n++;
    return n;
}

/* The text of the element whose start tag begins at p, up to its end
 * tag, without the tags inside (<strong>, <a>). */
static char *inner_text(const char *p)
{
    assert_true(p[0] == '<');
    size_t n = strcspn(p + 1, " >");
    char *close = rp_xasprintf("</%.*s>", (int)n, p + 1);
    const char *s = strchr(p, '>');
    const char *e = strstr(p, close);
    free(close);
    assert_non_null(s);
    assert_non_null(e);
    rp_buf b;
    rp_buf_init(&b);
    rp_buf_add(&b, "", 0);
    for (int in = 0; ++s < e;) {
        if (*s == '<')
            in = 1;
        else if (*s == '>')
            in = 0;
        else if (!in)
            rp_buf_add(&b, s, 1);
    }
    return b.s;
}

static void test_lang_and_one_h1(void **state)
{
    fx *x = *state;
    assert_non_null(strstr(x->html, "<html lang=\"en-GB\">"));
    assert_int_equal(count(x->html, "<h1"), 1);
    char *t = inner_text(strstr(x->html, "<h1"));
    assert_string_equal(t, "Integrated Performance Report");
    free(t);
    assert_null(strcasestr(x->html, "<script"));
}

static void test_headings_in_order(void **state)
{
    fx *x = *state;
    /* What the document says, in its order: the title, the contents, then
     * each heading one level down (a level 3 straight under a level 1
     * reads as the level below it). */
    const char *want[] = { "Integrated Performance Report", "Contents",
                           "Executive summary", "Report to the committee",
                           "Recommendations" };
    const int level[] = { 1, 2, 2, 2, 3 };
    size_t n = 0;
    int prev = 0;
    for (const char *p = x->html; (p = strstr(p, "<h")) != NULL; p += 2) {
        if (p[2] < '1' || p[2] > '6')
            continue;
        int lv = p[2] - '0';
        assert_true(n < sizeof want / sizeof want[0]);
        assert_int_equal(lv, level[n]);
        assert_true(lv <= prev + 1);          /* no level skipped */
        char *t = inner_text(p);
        assert_string_equal(t, want[n]);
        free(t);
        prev = lv;
        n++;
    }
    assert_int_equal(n, sizeof want / sizeof want[0]);
    /* the contents links every level-1 section to its heading */
    const char *a = strstr(x->html, "<a href=\"#summary\">");
    assert_non_null(a);
    char *t = inner_text(a);
    assert_string_equal(t, "Executive summary");
    free(t);
    assert_non_null(strstr(x->html, "<h2 id=\"summary\">"));
    assert_non_null(strstr(x->html, "<a href=\"#report\">"));
}

static void test_table_caption_and_scope(void **state)
{
    fx *x = *state;
    const doc_table *t = &x->pg->d->blocks[3].as.table;
    assert_int_equal(count(x->html, "<table"), 1);
    const char *tab = strstr(x->html, "<table");
    const char *cap = strstr(tab, "<caption>");
    assert_non_null(cap);
    assert_true(cap < strstr(tab, "<tr"));        /* first in the table */
    char *c = inner_text(cap);
    assert_string_equal(c, t->summary);
    free(c);
    /* header cells head their columns, the first cell of each body row
     * its row; every th has a scope */
    assert_int_equal(count(tab, "<th scope=\"col\""), t->ncols);
    assert_int_equal(count(tab, "<th scope=\"row\""), t->nrows - t->nheader);
    assert_int_equal(count(tab, "<th ") + count(tab, "<th>"),
                     count(tab, "<th scope="));
    assert_non_null(strstr(tab, "<thead>"));
    assert_non_null(strstr(tab, "<tbody>"));
    for (int r = 0; r < 4; r++) {
        char *row = rp_xasprintf("<th scope=\"row\">%s</th>", AREAS[r]);
        assert_non_null(strstr(tab, row));
        free(row);
    }
}

static void test_rag_words_in_text(void **state)
{
    fx *x = *state;
    const char *tab = strstr(x->html, "<table");
    const char *end = strstr(tab, "</table>");
    /* Each row's rating is a word beside its aria-hidden shape, in row
     * order. */
    const char *p = tab;
    for (int r = 0; r < 4; r++) {
        char *want = rp_xasprintf("</span> %s</span>", rp_rag_label(RAGS[r]));
        p = strstr(p, want);
        assert_non_null(p);
        assert_true(p < end);
        free(want);
    }
    assert_int_equal(count(tab, "<span aria-hidden=\"true\">") -
                         count(end, "<span aria-hidden=\"true\">"), 4);
    /* the cover's badge too */
    assert_non_null(strstr(x->html, "</span> Amber</span>"));
}

static void test_figure_svg(void **state)
{
    fx *x = *state;
    const char *fig = strstr(x->html, "<figure>");
    assert_non_null(fig);
    const char *end = strstr(fig, "</figure>");
    const char *svg = strstr(fig, "<svg");
    assert_non_null(svg);
    assert_true(svg < end);
    const char *open_end = strchr(svg, '>');
    char *tag = rp_xstrndup(svg, (size_t)(open_end - svg));
    assert_non_null(strstr(tag, "role=\"img\""));
    assert_non_null(strstr(tag, "aria-labelledby="));
    free(tag);
    const char *title = strstr(svg, "<title");
    const char *desc = strstr(svg, "<desc");
    assert_true(title && title < end && desc && desc < end);
    /* the desc is the PDF's /Alt, written from the data */
    char *alt = doc_figure_alt(&x->pg->d->blocks[4].as.figure);
    char *d = inner_text(desc);
    assert_string_equal(d, alt);
    free(d);
    free(alt);
    const char *text = strstr(svg, "<text");
    assert_true(text && text < end);             /* real text, not outlines */
    char *cap = rp_xasprintf("<figcaption>%s</figcaption>",
                             x->pg->d->blocks[4].as.figure.alt);
    assert_non_null(strstr(fig, cap));
    free(cap);
}

static void test_lists_and_links(void **state)
{
    fx *x = *state;
    /* the nested list sits inside the second item of the numbered list */
    const char *ol = strstr(x->html, "<ol start=\"1\"><li>");
    assert_non_null(ol);
    const char *second = strstr(ol, "</li>\n<li>comment on the strategy");
    const char *ul = strstr(ol, "<ul><li>recycling targets;");
    const char *close = strstr(ol, "</li></ul>\n</li></ol>");
    assert_true(second && ul && close && second < ul && ul < close);
    assert_non_null(strstr(x->html,
        "<a href=\"https://www.example.gov.uk/terms\">terms of reference</a>"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_lang_and_one_h1, setup, teardown),
        cmocka_unit_test_setup_teardown(test_headings_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_caption_and_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rag_words_in_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_figure_svg, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lists_and_links, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
