/* test_layout.c — layout: wrapping, table breaks with repeated headers,
 * keep-with-next for headings and figures, contents page numbers, running
 * footer. Expected positions come from the template's geometry and from
 * the text itself, not from earlier runs. */
#include "testutil.h"
#include "fixture_template.h"
#include "layout.h"

#include <math.h>

typedef fxt_page fx;

static int setup(void **state)
{
    fx *x = fxt_page_create();
    x->d = doc_create();
    *state = x;
    return x->f ? 0 : -1;
}

static int teardown(void **state)
{
    fxt_page_destroy(*state);
    return 0;
}

static double x0(const fx *x) { return x->t.margin_left; }
static double x1(const fx *x) { return x->t.page_w - x->t.margin_right; }
static double ybot(const fx *x) { return x->t.page_h - x->t.margin_bottom; }

static int is_heading(layout_role r) { return r == ROLE_H1 || r == ROLE_H2 || r == ROLE_H3; }

/* Page holding a TEXT box with exactly this text and role test, or -1. */
static long find_text(const layout_pages *p, const char *s, int (*ok)(layout_role))
{
    for (size_t i = 0; i < p->npages; i++)
        for (size_t k = 0; k < p->pages[i].nboxes; k++) {
            const layout_box *b = &p->pages[i].boxes[k];
            if (b->kind == LAYOUT_TEXT && b->text && !strcmp(b->text, s) &&
                (!ok || ok(b->role)))
                return (long)i;
        }
    return -1;
}

static const char *LOREM =
    "The council's forecast position has improved since the last quarter, "
    "mainly because of lower than expected demand for residential "
    "placements and additional grant income. Pressures remain in home to "
    "school transport and in temporary agency staffing, where recruitment "
    "to permanent posts continues to be difficult across the county.";

static void filler(document *d, int n)
{
    for (int i = 0; i < n; i++)
        doc_add_paragraph(d, i % 2 ? "A one line note." : LOREM);
}

static void test_wrap_within_column(void **state)
{
    fx *x = *state;
    doc_block *b = doc_add_paragraph(x->d, LOREM);
    doc_span_add(b, " Bold words", 1);
    doc_span_add(b, " and a long code ", 0);
    char longw[301];
    memset(longw, 'W', 300);
    longw[300] = '\0';
    doc_add_paragraph(x->d, longw);
    assert_int_equal(layout_paginate(x->d, &x->t, x->f, &x->p, &x->e), 0);
    rp_buf words;
    rp_buf_init(&words);
    size_t wchars = 0, lines = 0;
    double lasty = -1;
    for (size_t k = 0; k < x->p.pages[0].nboxes; k++) {
        const layout_box *bx = &x->p.pages[0].boxes[k];
        if (bx->kind != LAYOUT_TEXT || bx->role != ROLE_P)
            continue;
        assert_true(bx->x >= x0(x) - 1e-9);
        assert_true(bx->x + fonts_width(x->f, bx->face, bx->size, bx->text)
                    <= x1(x) + 1e-6);
        if (bx->block == &x->d->blocks[0]) {
            /* Runs never start with a space, and no line ends with one:
             * breaks were at spaces. The space between two runs of a line
             * ends the first (so the words read apart, "Bold words and"). */
            assert_true(bx->text[0] != ' ');
            int sp = words.len && words.s[words.len - 1] == ' ';
            if (bx->y != lasty) {
                assert_false(sp);
                if (words.len)
                    rp_buf_add(&words, " ", 1);
                lines++;
            } else {
                assert_true(sp);
            }
            lasty = bx->y;
            rp_buf_puts(&words, bx->text);
        } else {
            assert_true(strspn(bx->text, "W") == strlen(bx->text));
            wchars += strlen(bx->text);
        }
    }
    /* The lines put back together are the text, word for word. */
    char *want = rp_xasprintf("%s Bold words and a long code", LOREM);
    assert_string_equal(words.s, want);
    assert_true(lines >= 3);
    /* The long word was cut by code point, none lost. */
    assert_int_equal(wchars, 300);
    free(want);
    rp_buf_free(&words);
}

static int is_td(layout_role r) { return r == ROLE_TD; }

static void test_long_table_breaks_and_repeats_header(void **state)
{
    fx *x = *state;
    doc_add_heading(x->d, 1, "t", "Ratings");
    double w[3] = { 3, 1, 1 };
    doc_block *tb = doc_add_table(x->d, 3, w, 1);
    doc_cell *c = doc_table_add_row(tb);
    doc_cell_set(&c[0], "Measure", DOC_LEFT);
    doc_cell_set(&c[1], "Latest", DOC_RIGHT);
    doc_cell_set(&c[2], "RAG", DOC_LEFT);
    const int N = 90;
    for (int r = 0; r < N; r++) {
        c = doc_table_add_row(tb);
        char a[40], b2[40];
        snprintf(a, sizeof a, "Measure number %d with a name", r);
        snprintf(b2, sizeof b2, "%d.5%%", r);
        doc_cell_set(&c[0], a, DOC_LEFT);
        doc_cell_set(&c[1], b2, DOC_RIGHT);
        c[2].show_rag = 1;
        c[2].rag = (rp_rag)(1 + r % 3);
    }
    assert_int_equal(layout_paginate(x->d, &x->t, x->f, &x->p, &x->e), 0);
    assert_true(x->p.npages >= 3);
    for (size_t i = 0; i < x->p.npages; i++) {
        size_t th = 0, cont = 0;
        for (size_t k = 0; k < x->p.pages[i].nboxes; k++) {
            const layout_box *b = &x->p.pages[i].boxes[k];
            if (b->kind == LAYOUT_TEXT && !strcmp(b->text, "Measure") &&
                b->role == ROLE_TH)
                th++;
            if (b->kind == LAYOUT_TEXT && !strcmp(b->text, "(continued)"))
                cont++;
            if (b->role == ROLE_TD)
                assert_true(b->y <= ybot(x) + 0.01);
        }
        assert_int_equal(th, 1);                 /* header on every page */
        assert_int_equal(cont, i == 0 ? 0 : 1);  /* continued after a break */
    }
    /* A row never splits: its cells share a page; rows stay in order. */
    long prev = 0;
    for (int r = 0; r < N; r++) {
        char a[40], b2[40];
        snprintf(a, sizeof a, "Measure number %d with a name", r);
        snprintf(b2, sizeof b2, "%d.5%%", r);
        long pa = find_text(&x->p, a, is_td), pb = find_text(&x->p, b2, is_td);
        assert_true(pa >= 0);
        assert_int_equal(pa, pb);
        assert_true(pa >= prev);
        prev = pa;
    }
    /* A table with RAG cells is set left (so pdftotext finds its grid):
     * the figures' left edges coincide, and every name ends more than a
     * type size before the figure beside it starts. */
    double left = -1, name_end = 0;
    for (size_t k = 0; k < x->p.pages[0].nboxes; k++) {
        const layout_box *b = &x->p.pages[0].boxes[k];
        if (b->kind != LAYOUT_TEXT || b->role != ROLE_TD)
            continue;
        if (b->col == 0 && b->x + b->w > name_end)
            name_end = b->x + b->w;
        if (strchr(b->text, '%')) {
            if (left < 0)
                left = b->x;
            assert_true(fabs(b->x - left) < 1e-6);
        }
    }
    assert_true(left > 0);
    assert_true(left - name_end > x->t.body_size);   /* tables are smaller */
}

/* For every amount of filler before it, a heading never ends a page. */
static void test_heading_never_last_on_page(void **state)
{
    fx *x = *state;
    for (int n = 0; n < 24; n++) {
        document *d = doc_create();
        doc_add_heading(d, 1, "a", "Section");
        filler(d, n);
        doc_add_heading(d, 2, "b", "Subsection two");
        doc_add_heading(d, 3, NULL, "Detail three");
        filler(d, 3);
        doc_add_heading(d, 2, "c", "Another subsection");
        double w[2] = { 1, 1 };
        doc_block *tb = doc_add_table(d, 2, w, 1);
        doc_cell *c = doc_table_add_row(tb);
        doc_cell_set(&c[0], "Head", DOC_LEFT);
        for (int r = 0; r < 12; r++) {
            c = doc_table_add_row(tb);
            doc_cell_set(&c[0], "cell", DOC_LEFT);
        }
        filler(d, n % 5);
        layout_pages p;
        assert_int_equal(layout_paginate(d, &x->t, x->f, &p, &x->e), 0);
        for (size_t i = 0; i < p.npages; i++) {
            const layout_box *last = NULL;
            for (size_t k = 0; k < p.pages[i].nboxes; k++) {
                const layout_box *b = &p.pages[i].boxes[k];
                if (b->role == ROLE_ARTIFACT || b->kind != LAYOUT_TEXT)
                    continue;
                if (!last || b->y >= last->y)
                    last = b;
                assert_true(b->y <= ybot(x) + 0.01);
            }
            assert_non_null(last);
            assert_false(is_heading(last->role));
        }
        layout_pages_free(&p);
        doc_destroy(d);
    }
}

static void test_figure_whole_and_with_heading(void **state)
{
    fx *x = *state;
    for (int n = 0; n < 12; n++) {
        document *d = doc_create();
        filler(d, n);
        doc_add_heading(d, 2, "f", "EHCPs in place");
        doc_add_figure(d, "ehcp", "EHCPs", "EHCPs rose from 6,120 to 7,480.",
                      320, NULL);
        layout_pages p;
        assert_int_equal(layout_paginate(d, &x->t, x->f, &p, &x->e), 0);
        long hp = find_text(&p, "EHCPs in place", is_heading), fp = -1;
        const layout_box *fig = NULL;
        for (size_t i = 0; i < p.npages; i++)
            for (size_t k = 0; k < p.pages[i].nboxes; k++)
                if (p.pages[i].boxes[k].kind == LAYOUT_FIGURE) {
                    fig = &p.pages[i].boxes[k];
                    fp = (long)i;
                }
        assert_non_null(fig);
        assert_int_equal(hp, fp);
        /* squeezed by at most a quarter, to stay with its heading */
        assert_true(fig->h >= 240 - 1e-9 && fig->h <= 320);
        assert_true(fig->y >= x->t.margin_top - 1e-9);
        assert_true(fig->y + fig->h <= ybot(x));      /* never split */
        /* Caption in small type below the drawing. */
        long cp = find_text(&p, "EHCPs rose from 6,120 to 7,480.", NULL);
        assert_int_equal(cp, fp);
        layout_pages_free(&p);
        doc_destroy(d);
    }
}

static void test_contents_pages_and_footer(void **state)
{
    fx *x = *state;
    document *d = x->d;
    doc_set_text(&d->header_text, "Northshire \xC2\xB7 Report \xC2\xB7 Q3");
    doc_set_text(&d->footer_text, "Cabinet, 14 February 2024");
    doc_block *cv = doc_add_cover(d);
    doc_set_text(&cv->as.cover.title, "Integrated Performance Report");
    cv->as.cover.badge_rag = 2;
    doc_add_contents(d);
    const char *titles[] = { "Executive summary", "Finance", "Budget detail",
                             "Health and Care", "Children and Families",
                             "Placements", "Data quality" };
    const int levels[] = { 1, 1, 2, 1, 1, 2, 1 };
    for (int i = 0; i < 7; i++) {
        doc_add_heading(d, levels[i], NULL, titles[i]);
        filler(d, 3 + 4 * (i % 3));
    }
    assert_int_equal(layout_paginate(d, &x->t, x->f, &x->p, &x->e), 0);
    assert_int_equal(x->p.nmarks, 7);
    for (int i = 0; i < 7; i++) {
        /* Where the heading really landed... */
        long hp = find_text(&x->p, titles[i], is_heading);
        assert_true(hp >= 2);                 /* after cover and contents */
        assert_int_equal(x->p.marks[i].page, (size_t)hp);
        assert_string_equal(x->p.marks[i].title, titles[i]);
        /* ...is what the contents entry says and links to. */
        const layout_box *entry = NULL, *num = NULL;
        for (size_t k = 0; k < x->p.pages[1].nboxes; k++) {
            const layout_box *b = &x->p.pages[1].boxes[k];
            if (b->role == ROLE_TOC && b->kind == LAYOUT_TEXT &&
                !strcmp(b->text, titles[i]))
                entry = b;
        }
        assert_non_null(entry);
        for (size_t k = 0; k < x->p.pages[1].nboxes; k++) {
            const layout_box *b = &x->p.pages[1].boxes[k];
            if (b->role == ROLE_TOC && b->y == entry->y && b != entry &&
                strspn(b->text, "0123456789") == strlen(b->text))
                num = b;
        }
        assert_non_null(num);
        assert_int_equal(atol(num->text), hp + 1);
        assert_int_equal(entry->link_page, hp + 1);
        assert_int_equal(num->link_page, hp + 1);
        /* level 1 entries bold, level 2 regular (a heading's own words
         * are bold spans), the number in the face of its title */
        assert_int_equal(entry->face,
                         levels[i] <= 1 ? FONTS_BOLD : FONTS_REGULAR);
        assert_int_equal(num->face, entry->face);
        /* the dot leaders between them link there too */
        size_t leaders = 0;
        for (size_t k = 0; k < x->p.pages[1].nboxes; k++) {
            const layout_box *b = &x->p.pages[1].boxes[k];
            if (b->role == ROLE_ARTIFACT && b->kind == LAYOUT_TEXT &&
                b->y == entry->y && !strncmp(b->text, " .", 2)) {
                assert_int_equal(b->link_page, hp + 1);
                leaders++;
            }
        }
        assert_int_equal(leaders, 1);
        /* Page numbers right-aligned at the margin. */
        assert_true(fabs(num->x + num->w - x1(x)) < 1e-6);
    }
    assert_true(find_text(&x->p, "Contents", NULL) == 1);
    /* Running footer: "Page X of Y" on every page but the cover. */
    for (size_t i = 0; i < x->p.npages; i++) {
        char want[64];
        snprintf(want, sizeof want, "Page %zu of %zu", i + 1, x->p.npages);
        size_t found = 0, any = 0;
        for (size_t k = 0; k < x->p.pages[i].nboxes; k++) {
            const layout_box *b = &x->p.pages[i].boxes[k];
            if (b->kind == LAYOUT_TEXT && !strncmp(b->text, "Page ", 5) &&
                strstr(b->text, " of ")) {
                any++;
                found += !strcmp(b->text, want) && b->role == ROLE_ARTIFACT &&
                         b->y > ybot(x);
            }
        }
        assert_int_equal(any, i == 0 ? 0 : 1);
        assert_int_equal(found, i == 0 ? 0 : 1);
    }
    /* Cover page carries the badge word and the mark. */
    assert_int_equal(find_text(&x->p, "Amber", NULL), 0);
}

static void test_rag_cells_and_warnings(void **state)
{
    fx *x = *state;
    doc_add_heading(x->d, 2, NULL, "Checks \xE2\x9C\x93");
    double w[2] = { 2, 1 };
    doc_block *tb = doc_add_table(x->d, 2, w, 1);
    doc_cell *c = doc_table_add_row(tb);
    doc_cell_set(&c[0], "Measure", DOC_LEFT);
    doc_cell_set(&c[1], "RAG", DOC_LEFT);
    static const rp_rag rated[4] = { RP_RAG_GREEN, RP_RAG_AMBER, RP_RAG_RED,
                                     RP_RAG_NONE };
    for (int r = 0; r < 4; r++) {
        c = doc_table_add_row(tb);
        doc_cell_set(&c[0], "m", DOC_LEFT);
        c[1].show_rag = 1;
        c[1].rag = rated[r];
    }
    c = doc_table_add_row(tb);
    doc_cell_set(&c[0], "n/a", DOC_RIGHT);
    c[0].footnote = 2;
    doc_cell_set(&c[1], "Better", DOC_LEFT);
    c[1].dir = RP_DIR_IMPROVING;
    assert_int_equal(layout_paginate(x->d, &x->t, x->f, &x->p, &x->e), 0);
    const char *words[RP_RAG_COUNT] = { "Not rated", "Green", "Amber", "Red" };
    int marks[RP_RAG_COUNT] = { 0 };
    int dirs = 0, fn = 0, outlined[2] = { 0 }, plain[2] = { 0 };
    const layout_page *pg = &x->p.pages[0];
    for (size_t k = 0; k < pg->nboxes; k++) {
        const layout_box *b = &pg->boxes[k];
        if (b->kind == LAYOUT_RAGMARK)
            marks[b->rag]++;
        if (b->kind == LAYOUT_DIRMARK && b->dir == RP_DIR_IMPROVING)
            dirs++;
        if (b->kind == LAYOUT_TEXT && !strcmp(b->text, "[2]"))
            fn++;
        if (b->kind == LAYOUT_TEXT && !strcmp(b->text, "Red")) {
            assert_true(b->color.r == 1 && b->color.g == 1 && b->color.b == 1);
        }
        /* A RAG fill below 3:1 on the white page carries the badge
         * outline (WCAG 1.4.11); one that stands out has none. */
        if (b->kind == LAYOUT_RECT && b->role == ROLE_TD) {
            double cr = template_contrast(b->color, (template_rgb){ 1, 1, 1 });
            outlined[cr < 3.0] += b->line > 0;
            plain[cr < 3.0] += b->line == 0;
            if (b->line > 0)
                assert_memory_equal(&b->outline, &x->t.palette.badge_outline,
                                    sizeof b->outline);
        }
    }
    assert_int_equal(outlined[0], 0);
    assert_int_equal(plain[1], 0);
    assert_true(outlined[1] >= 1);
    for (int r = 0; r < RP_RAG_COUNT; r++) {
        assert_int_equal(marks[r], 1);
        assert_true(find_text(&x->p, words[r], is_td) == 0);
    }
    assert_int_equal(dirs, 1);
    assert_int_equal(fn, 1);
    /* The tick is reported once, naming the heading. */
    assert_int_equal(x->e.nwarnings, 1);
    assert_non_null(strstr(x->e.v[0].message, "U+2713"));
    assert_non_null(strstr(x->e.v[0].message, "heading \"Checks"));
}

/* ---- keep rules, checked at every position down a page ----------------
 * A fixed-height spacer (a figure that may not shrink) pushes what follows
 * down the page a few points at a time; the rules must hold at each. */
static void spacer(document *d, double h)
{
    doc_block *b = doc_add_figure(d, "spacer", NULL, "", h, NULL);
    b->as.figure.min_height = h;
}

static int paginate_fresh(fx *x)
{
    layout_pages_free(&x->p);
    return layout_paginate(x->d, &x->t, x->f, &x->p, &x->e);
}

static void new_doc(fx *x)
{
    doc_destroy(x->d);
    x->d = doc_create();
}

/* A table of n body rows "Row 1".."Row n" (the last "Total" if total). */
static void rows_table(document *d, int n, int total)
{
    doc_block *t = doc_add_table(d, 2, (double[]){ 3, 1 }, 1);
    doc_cell *c = doc_table_add_row(t);
    doc_cell_set(&c[0], "Measure", DOC_LEFT);
    doc_cell_set(&c[1], "Value", DOC_RIGHT);
    for (int i = 1; i <= n; i++) {
        char name[32];
        if (total && i == n)
            snprintf(name, sizeof name, "Total");
        else
            snprintf(name, sizeof name, "Row %d", i);
        c = doc_table_add_row(t);
        doc_cell_set(&c[0], name, DOC_LEFT);
        doc_cell_set(&c[1], "1", DOC_RIGHT);
    }
    t->as.table.total_last = total;
}

static void test_notes_keep_with_table(void **state)
{
    fx *x = *state;
    int split[2] = { 0, 0 };
    for (int kwp = 0; kwp < 2; kwp++)
        for (int h = 400; h <= 679; h += 3) {
            new_doc(x);
            spacer(x->d, h);
            rows_table(x->d, 12, 0);
            doc_block *n = doc_add_paragraph(x->d, "[1] Not provided.");
            n->as.paragraph.small = 1;
            n->keep_with_prev = kwp;
            assert_int_equal(paginate_fresh(x), 0);
            long pn = find_text(&x->p, "[1] Not provided.", NULL);
            long pr = find_text(&x->p, "Row 12", is_td);
            assert_true(pn >= 0 && pr >= 0);
            split[kwp] += pn != pr;
        }
    /* Without the flag some positions strand the note; with it, none. */
    assert_true(split[0] > 0);
    assert_int_equal(split[1], 0);
}

static void test_total_row_not_alone(void **state)
{
    fx *x = *state;
    int broke = 0;
    for (int h = 400; h <= 679; h += 3) {
        new_doc(x);
        spacer(x->d, h);
        rows_table(x->d, 12, 1);
        assert_int_equal(paginate_fresh(x), 0);
        long pt = find_text(&x->p, "Total", is_td);
        long pp = find_text(&x->p, "Row 11", is_td);
        assert_true(pt >= 0);
        assert_int_equal(pt, pp);
        broke |= find_text(&x->p, "Row 1", is_td) != pt;
    }
    assert_true(broke);             /* the table did split somewhere */
}

static void test_short_table_moves_whole(void **state)
{
    fx *x = *state;
    int moved = 0;
    for (int h = 500; h <= 679; h += 3) {
        new_doc(x);
        spacer(x->d, h);
        rows_table(x->d, 3, 0);
        assert_int_equal(paginate_fresh(x), 0);
        long a = find_text(&x->p, "Row 1", is_td);
        assert_int_equal(find_text(&x->p, "Row 3", is_td), a);
        moved |= a == 1;
    }
    assert_true(moved);
}

static void test_no_widow_or_orphan_lines(void **state)
{
    fx *x = *state;
    static const char *ln[5] = { "Line one", "Line two", "Line three",
                                 "Line four", "Line five" };
    int splits = 0;
    for (int nl = 3; nl <= 5; nl++)
        for (int h = 600; h <= 679; h += 2) {
            new_doc(x);
            spacer(x->d, h);
            char text[128] = "";
            for (int i = 0; i < nl; i++) {
                strcat(text, ln[i]);
                strcat(text, i + 1 < nl ? "\n" : "");
            }
            doc_add_paragraph(x->d, text);
            assert_int_equal(paginate_fresh(x), 0);
            long pg[5];
            for (int i = 0; i < nl; i++) {
                pg[i] = find_text(&x->p, ln[i], NULL);
                assert_true(pg[i] >= 0);
            }
            /* Each page holding part of the paragraph holds two lines or
             * more: the first two and the last two share a page. */
            assert_int_equal(pg[0], pg[1]);
            assert_int_equal(pg[nl - 2], pg[nl - 1]);
            if (nl == 3)
                assert_int_equal(pg[0], pg[2]);
            splits += pg[0] != pg[nl - 1];
        }
    assert_true(splits > 0);        /* the 4- and 5-line ones did split */
}

static const layout_box *figure_box(const layout_pages *p, const char *id, long *page)
{
    for (size_t i = 0; i < p->npages; i++)
        for (size_t k = 0; k < p->pages[i].nboxes; k++) {
            const layout_box *b = &p->pages[i].boxes[k];
            if (b->kind == LAYOUT_FIGURE && b->block &&
                !strcmp(b->block->as.figure.id, id)) {
                *page = (long)i;
                return b;
            }
        }
    return NULL;
}

static void test_figure_shrinks_to_stay(void **state)
{
    fx *x = *state;
    int shrunk = 0, moved = 0;
    for (int h = 100; h <= 500; h += 4) {
        new_doc(x);
        spacer(x->d, h);
        doc_add_heading(x->d, 3, NULL, "Savings chart");
        doc_add_figure(x->d, "fig", NULL, "A caption under the chart.", 300,
                      NULL);
        assert_int_equal(paginate_fresh(x), 0);
        long pf = -1;
        const layout_box *b = figure_box(&x->p, "fig", &pf);
        assert_non_null(b);
        /* at most a quarter smaller, inside the page, with its heading
         * and its caption */
        assert_true(b->h >= 225 - 1e-6 && b->h <= 300 + 1e-6);
        assert_true(b->y + b->h <= ybot(x) + 0.01);
        assert_int_equal(find_text(&x->p, "Savings chart", is_heading), pf);
        assert_int_equal(find_text(&x->p, "A caption under the chart.", NULL),
                         pf);
        if (pf == 0 && b->h < 300 - 1e-6)
            shrunk++;
        if (pf == 1) {
            moved++;
            assert_true(fabs(b->h - 300) < 1e-6);   /* no need to shrink */
        }
    }
    assert_true(shrunk > 0);
    assert_true(moved > 0);
    /* min_height caps the shrinking */
    new_doc(x);
    spacer(x->d, 380);
    doc_block *f = doc_add_figure(x->d, "fig", NULL, "", 300, NULL);
    f->as.figure.min_height = 290;
    assert_int_equal(paginate_fresh(x), 0);
    long pf = -1;
    const layout_box *b = figure_box(&x->p, "fig", &pf);
    assert_true(b->h >= 290 - 1e-6);
}

/* layout_check_text (what ragpack check runs instead of laying out) warns
 * about each missing character once, naming the kind of block it is in,
 * and layout_paginate reports exactly the same. */
static void test_check_text_without_layout(void **state)
{
    fx *x = *state;
    /* characters Liberation Sans lacks, one per kind of block */
    static const char *const miss[5] = { "\xE2\x9C\x93", "\xE2\x9C\x85",
                                         "\xE2\x9E\xA4", "\xF0\x9F\x98\x80",
                                         "\xE2\x9C\x97" };
    for (int i = 0; i < 5; i++) {
        const char *p = miss[i];
        uint32_t cp = fonts_utf8_next(&p, miss[i] + strlen(miss[i]));
        assert_false(fonts_has_glyph(x->f, FONTS_REGULAR, cp));
        assert_false(fonts_has_glyph(x->f, FONTS_BOLD, cp));
    }
    doc_block *cv = doc_add_cover(x->d);
    char buf[64];
    snprintf(buf, sizeof buf, "Cover %s title", miss[0]);
    doc_set_text(&cv->as.cover.title, buf);
    doc_block *t = doc_add_table(x->d, 2, (const double[]){ 1, 1 }, 1);
    doc_cell *h = doc_table_add_row(t);
    doc_cell_set(&h[0], "Measure", DOC_LEFT);
    doc_cell_set(&h[1], "Value", DOC_RIGHT);
    doc_cell *r = doc_table_add_row(t);
    snprintf(buf, sizeof buf, "Cell %s", miss[1]);
    doc_cell_set(&r[0], buf, DOC_LEFT);
    doc_cell_set(&r[1], "12", DOC_RIGHT);
    doc_block *li = doc_add_list_item(x->d, 1, 1, 0, 0, miss[2]);
    doc_span_add(li, "An item", 0);
    snprintf(buf, sizeof buf, "Caption %s here", miss[3]);
    doc_add_figure(x->d, "f", "A figure", buf, 100, NULL);
    snprintf(buf, sizeof buf, "Plain %s words", miss[4]);
    doc_add_paragraph(x->d, buf);
    doc_add_paragraph(x->d, "Nothing missing here: \xC2\xA3 \xE2\x80\x93 \xC3\xA9");

    layout_check_text(x->d, x->f, &x->e);
    static const char *const where[5] = { "cover \"Cover", "table cell \"Cell",
                                          "list marker", "figure caption \"Caption",
                                          "paragraph \"Plain" };
    assert_int_equal(x->e.nwarnings, 5);
    for (int i = 0; i < 5; i++) {
        char u[16];
        const char *p = miss[i];
        snprintf(u, sizeof u, "U+%04X",
                 (unsigned)fonts_utf8_next(&p, miss[i] + strlen(miss[i])));
        assert_non_null(strstr(x->e.v[i].message, u));
        assert_non_null(strstr(x->e.v[i].message, where[i]));
    }
    /* the same document laid out by a fresh fonts: the same five */
    rp_errors e2;
    rp_errors_init(&e2);
    fonts *f2 = fxt_fonts(&e2);
    assert_non_null(f2);
    assert_int_equal(layout_paginate(x->d, &x->t, f2, &x->p, &e2), 0);
    assert_int_equal(e2.nwarnings, 5);
    for (int i = 0; i < 5; i++)
        assert_string_equal(e2.v[i].message, x->e.v[i].message);
    fonts_destroy(f2);
    rp_errors_free(&e2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_wrap_within_column, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_table_breaks_and_repeats_header, setup, teardown),
        cmocka_unit_test_setup_teardown(test_heading_never_last_on_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_figure_whole_and_with_heading, setup, teardown),
        cmocka_unit_test_setup_teardown(test_contents_pages_and_footer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rag_cells_and_warnings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_notes_keep_with_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_total_row_not_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_short_table_moves_whole, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_widow_or_orphan_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_figure_shrinks_to_stay, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_text_without_layout, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
