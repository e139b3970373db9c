/* document.c — the block tree that compose builds and layout paginates:
 * builders that append blocks, and the one destroy that frees them. */
#include "document.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------- */
/* block tree                                                              */

document *doc_create(void) { return rp_xcalloc(1, sizeof(document)); }

static void free_spans(doc_block *b)
{
    for (size_t i = 0; i < b->nspans; i++) {
        free(b->spans[i].text);
        free(b->spans[i].href);
    }
    free(b->spans);
}

static void free_block(doc_block *b)
{
    free_spans(b);
    switch (b->kind) {
    case DOC_HEADING:
        free(b->as.heading.anchor);
        break;
    case DOC_TABLE: {
        doc_table *t = &b->as.table;
        for (size_t c = 0; c < t->nrows * t->ncols; c++) {
            free(t->cells[c].text);
            chart_destroy(t->cells[c].spark);
        }
        free(t->cells);
        free(t->widths);
        free(t->summary);
        break;
    }
    case DOC_FIGURE:
        free(b->as.figure.id);
        free(b->as.figure.title);
        free(b->as.figure.alt);
        chart_destroy(b->as.figure.chart);
        break;
    case DOC_COVER: {
        doc_cover *c = &b->as.cover;
        free(c->authority); free(c->title); free(c->period);
        free(c->committee); free(c->meeting); free(c->badge_label);
        break;
    }
    case DOC_LIST_ITEM:
        free(b->as.item.marker);
        break;
    default:
        break;
    }
}

void doc_destroy(document *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->nblocks; i++)
        free_block(&d->blocks[i]);
    free(d->blocks);
    free(d->header_text); free(d->footer_text);
    free(d->title); free(d->author); free(d->subject); free(d->keywords);
    free(d);
}

void doc_set_text(char **field, const char *text)
{
    free(*field);
    *field = text ? rp_xstrdup(text) : NULL;
}

static doc_block *add_block(document *d, doc_block_kind kind)
{
    rp_grow((void **)&d->blocks, &d->cap, d->nblocks + 1, sizeof *d->blocks);
    doc_block *b = &d->blocks[d->nblocks++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    return b;
}

void doc_span_add(doc_block *b, const char *text, int bold)
{
    doc_span_add_ex(b, text, bold, 0, NULL);
}

doc_span *doc_span_add_ex(doc_block *b, const char *text, int bold, int emph,
                          const char *href)
{
    b->spans = rp_xrealloc(b->spans, (b->nspans + 1) * sizeof *b->spans);
    doc_span *sp = &b->spans[b->nspans++];
    memset(sp, 0, sizeof *sp);
    sp->text = rp_xstrdup(text ? text : "");
    sp->bold = bold;
    sp->emph = emph;
    sp->href = href ? rp_xstrdup(href) : NULL;
    return sp;
}

doc_block *doc_add_list_item(document *d, int list, int level, int ordered,
                             int number, const char *marker)
{
    doc_block *b = add_block(d, DOC_LIST_ITEM);
    b->as.item.list = list;
    b->as.item.level = level < 1 ? 1 : level;
    b->as.item.ordered = ordered;
    b->as.item.number = number;
    doc_set_text(&b->as.item.marker, marker ? marker : "");
    return b;
}

doc_block *doc_add_heading(document *d, int level, const char *anchor,
                         const char *text)
{
    doc_block *b = add_block(d, DOC_HEADING);
    b->as.heading.level = level < 1 ? 1 : level > 3 ? 3 : level;
    b->as.heading.anchor = anchor ? rp_xstrdup(anchor) : NULL;
    /* a heading's weight is its style (each renderer's), not strong
     * words: a contents entry of a level 2 heading is set regular */
    doc_span_add(b, text, 0);
    return b;
}

doc_block *doc_add_paragraph(document *d, const char *text)
{
    doc_block *b = add_block(d, DOC_PARAGRAPH);
    if (text)
        doc_span_add(b, text, 0);
    return b;
}

doc_block *doc_add_table(document *d, size_t ncols, const double *widths,
                       size_t nheader)
{
    doc_block *b = add_block(d, DOC_TABLE);
    doc_table *t = &b->as.table;
    t->ncols = ncols ? ncols : 1;
    t->widths = rp_xcalloc(t->ncols, sizeof *t->widths);
    for (size_t i = 0; i < t->ncols; i++)
        t->widths[i] = widths && i < ncols && widths[i] > 0 ? widths[i] : 1;
    t->nheader = nheader;
    return b;
}

doc_cell *doc_table_add_row(doc_block *table)
{
    doc_table *t = &table->as.table;
    t->cells = rp_xrealloc(t->cells,
                           (t->nrows + 1) * t->ncols * sizeof *t->cells);
    doc_cell *row = &t->cells[t->nrows * t->ncols];
    memset(row, 0, t->ncols * sizeof *row);
    t->nrows++;
    return row;
}

void doc_cell_set(doc_cell *c, const char *text, doc_align align)
{
    doc_set_text(&c->text, text);
    c->align = align;
}

doc_block *doc_add_figure(document *d, const char *id, const char *title,
                        const char *alt, double height,
                        chart *chart)
{
    doc_block *b = add_block(d, DOC_FIGURE);
    doc_set_text(&b->as.figure.id, id);
    doc_set_text(&b->as.figure.title, title);
    doc_set_text(&b->as.figure.alt, alt);
    b->as.figure.height = height;
    b->as.figure.chart = chart;
    return b;
}

doc_block *doc_add_page_break(document *d) { return add_block(d, DOC_PAGE_BREAK); }
doc_block *doc_add_contents(document *d) { return add_block(d, DOC_CONTENTS); }
doc_block *doc_add_cover(document *d) { return add_block(d, DOC_COVER); }

doc_block *doc_add_badge(document *d, rp_rag rag, const char *text)
{
    doc_block *b = add_block(d, DOC_BADGE);
    b->as.badge.rag = rag;
    if (text)
        doc_span_add(b, text, 1);
    return b;
}


int doc_table_row_header(const doc_table *t, size_t row, size_t col)
{
    return t && col == 0 && t->ncols > 1 && t->nheader > 0 &&
           row >= t->nheader && row < t->nrows;
}

char *doc_figure_alt(const doc_figure *f)
{
    rp_buf b;
    rp_buf_init(&b);
    rp_buf_add(&b, "", 0);
    if (!f)
        return b.s ? b.s : rp_xstrdup("");
    if (f->title && *f->title)
        rp_buf_printf(&b, "Chart: %s.", f->title);
    if (f->alt && *f->alt)
        rp_buf_printf(&b, "%s%s", b.len ? " " : "", f->alt);
    if (f->chart) {
        char *kv = chart_key_values(f->chart);
        if (*kv)
            rp_buf_printf(&b, "%s%s", b.len ? " " : "", kv);
        free(kv);
    }
    return b.s ? b.s : rp_xstrdup("");
}

int *doc_outline_levels(const document *d)
{
    size_t n = d ? d->nblocks : 0;
    int *lv = rp_xcalloc(n ? n : 1, sizeof *lv), prev = 0;
    for (size_t k = 0; k < n; k++) {
        const doc_block *b = &d->blocks[k];
        if (b->kind != DOC_HEADING)
            continue;
        int l = b->as.heading.level < 1 ? 1 : b->as.heading.level > 3
              ? 3 : b->as.heading.level;
        if (l > prev + 1)
            l = prev + 1;
        lv[k] = prev = l;
    }
    return lv;
}

char *doc_block_text(const doc_block *b)
{
    rp_buf s;
    rp_buf_init(&s);
    rp_buf_add(&s, "", 0);
    for (size_t i = 0; i < b->nspans; i++)
        rp_buf_puts(&s, b->spans[i].text);
    return s.s ? s.s : rp_xstrdup("");
}
