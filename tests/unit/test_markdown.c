/* test_markdown.c — markdown: libcmark's tree into document blocks. */
#include "testutil.h"

#include "markdown.h"

static document *md(const char *text, int top, rp_errors *e)
{
    document *d = doc_create();
    rp_errors_init(e);
    int rc = markdown_append(d, "report.md", text, strlen(text), top, e);
    assert_int_equal(rc, e->nerrors ? -1 : 0);
    return d;
}

static const doc_block *nth(const document *d, doc_block_kind k, size_t n)
{
    for (size_t i = 0; i < d->nblocks; i++)
        if (d->blocks[i].kind == k && n-- == 0)
            return &d->blocks[i];
    return NULL;
}

static void test_headings_and_paragraphs(void **state)
{
    (void)state;
    rp_errors e;
    document *d = md("# Recommendations\n\nThe committee is\nasked to note.\n\n"
                     "## Financial\n\n### Deeper\n\n#### Deepest\n\n# Reasons\n",
                     2, &e);
    const doc_block *h = nth(d, DOC_HEADING, 0);
    assert_non_null(h);
    assert_int_equal(h->as.heading.level, 2);      /* "#" under a title */
    assert_string_equal(h->spans[0].text, "Recommendations");
    assert_int_equal(nth(d, DOC_HEADING, 1)->as.heading.level, 3);
    assert_int_equal(nth(d, DOC_HEADING, 3)->as.heading.level, 3);  /* capped */
    const doc_block *p = nth(d, DOC_PARAGRAPH, 0);
    rp_buf all;
    rp_buf_init(&all);
    for (size_t i = 0; i < p->nspans; i++)
        rp_buf_puts(&all, p->spans[i].text);
    /* a soft line break is a space */
    assert_string_equal(all.s, "The committee is asked to note.");
    rp_buf_free(&all);
    doc_destroy(d);
    rp_errors_free(&e);

    /* on its own, "#" is a section: the first starts a page, later ones flow */
    d = md("# One\n\ntext\n\n# Two\n", 1, &e);
    assert_int_equal(nth(d, DOC_HEADING, 0)->as.heading.level, 1);
    assert_int_equal(nth(d, DOC_HEADING, 0)->as.heading.flow, 0);
    assert_int_equal(nth(d, DOC_HEADING, 1)->as.heading.flow, 1);
    doc_destroy(d);
    rp_errors_free(&e);
}

static void test_inlines(void **state)
{
    (void)state;
    rp_errors e;
    document *d = md("Read **the plan** and *note* the "
                     "[terms](https://example.org/t \"T\").\n", 1, &e);
    const doc_block *p = nth(d, DOC_PARAGRAPH, 0);
    int strong = 0, emph = 0, link = 0;
    for (size_t i = 0; i < p->nspans; i++) {
        const doc_span *s = &p->spans[i];
        if (strcmp(s->text, "the plan") == 0)
            strong = s->bold && !s->emph;
        if (strcmp(s->text, "note") == 0)
            emph = s->emph && !s->bold;
        if (strcmp(s->text, "terms") == 0)
            link = s->href && strcmp(s->href, "https://example.org/t") == 0;
        if (strcmp(s->text, "Read ") == 0)
            assert_null(s->href);
    }
    assert_true(strong);
    assert_true(emph);
    assert_true(link);
    doc_destroy(d);
    rp_errors_free(&e);
}

static void test_lists(void **state)
{
    (void)state;
    rp_errors e;
    document *d = md("3. first\n4. second\n   - inner a\n   - inner b\n\n"
                     "text\n\n- bullet\n", 1, &e);
    const doc_block *a = nth(d, DOC_LIST_ITEM, 0), *b = nth(d, DOC_LIST_ITEM, 1);
    const doc_block *in1 = nth(d, DOC_LIST_ITEM, 2), *in2 = nth(d, DOC_LIST_ITEM, 3);
    const doc_block *bu = nth(d, DOC_LIST_ITEM, 4);
    assert_non_null(bu);
    assert_null(nth(d, DOC_LIST_ITEM, 5));
    assert_true(a->as.item.ordered);
    assert_int_equal(a->as.item.number, 3);      /* the list's own start */
    assert_string_equal(a->as.item.marker, "3.");
    assert_string_equal(b->as.item.marker, "4.");
    assert_int_equal(a->as.item.list, b->as.item.list);
    assert_int_equal(a->as.item.level, 1);
    assert_int_equal(in1->as.item.level, 2);
    assert_false(in1->as.item.ordered);
    assert_int_equal(in1->as.item.list, in2->as.item.list);
    assert_int_not_equal(in1->as.item.list, a->as.item.list);
    assert_int_not_equal(bu->as.item.list, a->as.item.list);
    assert_int_not_equal(bu->as.item.list, in1->as.item.list);
    assert_string_equal(bu->as.item.marker, "\u2022");
    assert_string_equal(in1->spans[0].text, "inner a");
    doc_destroy(d);
    rp_errors_free(&e);
}

static void test_html_and_utf8(void **state)
{
    (void)state;
    rp_errors e;
    document *d = md("<div>raw</div>\n\nok\n", 1, &e);
    assert_int_equal(e.nerrors, 0);
    assert_true(e.nwarnings >= 1);       /* left out, and said so */
    assert_non_null(nth(d, DOC_PARAGRAPH, 0));
    doc_destroy(d);
    rp_errors_free(&e);

    d = doc_create();
    rp_errors_init(&e);
    const char bad[] = "fine\nab\xC3(\n";
    assert_int_equal(markdown_append(d, "r.md", bad, sizeof bad - 1, 1, &e), -1);
    assert_int_equal(e.nerrors, 1);
    assert_int_equal(e.v[0].line, 2);
    assert_non_null(strstr(e.v[0].column, "byte 3"));
    assert_int_equal(d->nblocks, 0);
    doc_destroy(d);
    rp_errors_free(&e);

    d = doc_create();
    rp_errors_init(&e);
    assert_int_equal(markdown_append_file(d, "/nonexistent/r.md", 1, &e), -1);
    assert_int_equal(e.nerrors, 1);
    doc_destroy(d);
    rp_errors_free(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_headings_and_paragraphs),
        cmocka_unit_test(test_inlines),
        cmocka_unit_test(test_lists),
        cmocka_unit_test(test_html_and_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
