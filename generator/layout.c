/* layout.c — the block tree and the layout engine.
 *
 * Pagination works in two steps. Each block is first broken into
 * unbreakable chunks (a paragraph line, a table row, a whole figure, a
 * heading) whose boxes are positioned relative to the chunk's top; then
 * the chunks are placed down the pages, honouring the keep rules: a
 * heading keeps with the first unit of what follows, an H1 starts a page,
 * a table repeats its header rows after a break. Geometry is in points,
 * y measured down from the top of the page.
 *
 * Conventions the renderers rely on (layout.h leaves them open):
 *  - LAYOUT_RULE is a thin filled rectangle (x, y, w, h): h is the thickness
 *    of a horizontal rule.
 *  - LAYOUT_RECT with radius > 0 has rounded corners of that radius.
 *  - LAYOUT_TEXT has w = advance width and h = font size.
 */
#include "layout.h"
#include "chart.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------- */
/* layout state                                                            */

/* Tables need more air after them than lines do. */
#define TABLE_GAP 6.0

typedef struct chunk {
    layout_box *v; size_t n, cap;
    double h;           /* height */
    double sb;          /* space before, dropped at the top of a page */
    const doc_block *mark;   /* heading to record in marks when placed */
} chunk;

typedef struct bchunks {
    chunk *c; size_t n, cap;
    chunk head, cont;   /* tables: header rows and the "(continued)" line */
    int table;
    size_t keep;        /* chunks in the first unit (kept together) */
    int widow;          /* paragraph: last two chunks kept together */
    int whole;          /* table: short enough never to split */
    double shrink;      /* figure: points its drawing may lose */
} bchunks;

typedef struct metrics {
    double body, lead, small, h[4], tsize, tlead;
} metrics;

typedef struct L {
    const document *d;
    const pack_template *t;
    const template_palette *pal;
    fonts *f;
    layout_pages *out;
    rp_errors *errs;
    int stopped;            /* a stop was requested: pages are partial */
    metrics m;
    double x0, x1, top, bottom;
    double y;
    int body;               /* the current page has content */
    double gap;             /* extra space owed before the next chunk */
    int spaced;             /* the table being built is a RAG table whose
                               columns' words are kept a type size apart
                               (see rag_table) */
    unsigned char *cover; size_t covcap;
    size_t pagecap;         /* out->pages' capacity */
    /* the table whose flags are known (table_flags): whether it is a RAG
     * table, and which of its columns draw marks */
    const doc_table *ft;
    int ft_rag;
    unsigned char *ft_marked;
} L;

/* The boxes of a contents entry (layout_box.part): its page number, and
 * the others (title lines, leaders), which link to the same page. */
enum { TOC_ENTRY = 1, TOC_NUMBER };

static const char *keep_str(layout_pages *o, char *s)
{
    rp_grow((void **)&o->strings, &o->scap, o->nstrings + 1,
            sizeof *o->strings);
    o->strings[o->nstrings++] = s;
    return s;
}

static layout_box *cbox(chunk *c, layout_box_kind k, layout_role r, const doc_block *b)
{
    rp_grow((void **)&c->v, &c->cap, c->n + 1, sizeof *c->v);
    layout_box *x = &c->v[c->n++];
    memset(x, 0, sizeof *x);
    x->kind = k;
    x->role = r;
    x->block = b;
    x->row = x->col = -1;
    return x;
}

static void chunk_free(chunk *c) { free(c->v); memset(c, 0, sizeof *c); }

static chunk *bc_new(bchunks *bc)
{
    rp_grow((void **)&bc->c, &bc->cap, bc->n + 1, sizeof *bc->c);
    chunk *c = &bc->c[bc->n++];
    memset(c, 0, sizeof *c);
    return c;
}

static void bc_free(bchunks *bc)
{
    for (size_t i = 0; i < bc->n; i++)
        chunk_free(&bc->c[i]);
    free(bc->c);
    chunk_free(&bc->head);
    chunk_free(&bc->cont);
}

static layout_box *text_box(L *l, chunk *c, layout_role r, const doc_block *b,
                        double x, double base, fonts_face face, double size,
                        template_rgb color, const char *s)
{
    layout_box *x_ = cbox(c, LAYOUT_TEXT, r, b);
    x_->x = x;
    x_->y = base;
    x_->text = s;
    x_->face = face;
    x_->size = size;
    x_->color = color;
    x_->w = fonts_width(l->f, face, size, s);
    x_->h = size;
    return x_;
}

static layout_box *rect_box(chunk *c, layout_box_kind k, layout_role r,
                            const doc_block *b, double x, double y, double w,
                            double h, template_rgb color, double radius)
{
    layout_box *x_ = cbox(c, k, r, b);
    x_->x = x; x_->y = y; x_->w = w; x_->h = h;
    x_->color = color;
    x_->radius = radius;
    return x_;
}

/* A RAG shape or a direction arrow in the box (x, y, w, h). */
static void mark_box(chunk *c, layout_box_kind k, layout_role r,
                     const doc_block *b, double x, double y, double s,
                     template_rgb color, rp_rag rag, rp_direction dir)
{
    layout_box *x_ = rect_box(c, k, r, b, x, y, s, s, color, 0);
    x_->rag = rag;
    x_->dir = dir;
}

/* Baseline that centres the face's ascent+descent in a line of `lead`. */
static double baseline(L *l, fonts_face face, double size, double lead)
{
    double a = fonts_ascent(l->f, face, size), d = fonts_descent(l->f, face, size);
    return (lead + a - d) / 2;
}

/* "heading \"first words…\"" for warnings. */
static char *where_of(const char *what, const char *text)
{
    size_t n = 0, len = strlen(text ? text : "");
    const char *s = text ? text : "";
    while (n < len && n < 40) {
        const char *p = s + n;
        fonts_utf8_next(&p, s + len);
        n = (size_t)(p - s);
    }
    return rp_xasprintf("%s \"%.*s%s\"", what, (int)n, s,
                        n < len ? "…" : "");
}

/* Warns about characters of s missing from face, naming where they came
 * from; the words of "where" are made only when one is missing. */
static void check(fonts *f, rp_errors *errs, fonts_face face, const char *s,
                  const char *what)
{
    if (!s || !*s || fonts_missing(f, face, s) == 0)
        return;
    char *w = where_of(what, s);
    fonts_check_text(f, face, s, w, errs);
    free(w);
}

/* ---------------------------------------------------------------------- */
/* line breaking                                                           */

/* An atom is a run of non-space text in one face. brk says what comes
 * before it: 0 glued to the previous atom (a span boundary inside a word),
 * 1 a space (break allowed), 2 a break allowed without a space (a long
 * word cut by code point), 3 a forced line break. */
typedef struct atom {
    const char *s; size_t n; fonts_face face; int brk; double w;
    const char *href;       /* the span's link target, or NULL */
} atom;

typedef struct wrap {
    atom *a; size_t n, cap;
    size_t *lb; size_t nl, lcap;   /* line k = atoms [lb[k], lb[k+1]) */
    double *lw; size_t lwcap;      /* line widths */
    double size;
} wrap;

static void wrap_free(wrap *w) { free(w->a); free(w->lb); free(w->lw); }

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void add_atom(wrap *w, const char *s, size_t n, fonts_face face, int brk,
                     double width)
{
    rp_grow((void **)&w->a, &w->cap, w->n + 1, sizeof *w->a);
    w->a[w->n++] = (atom){ s, n, face, brk, width, NULL };
}

static void add_line(wrap *w, size_t start)
{
    rp_grow((void **)&w->lb, &w->lcap, w->nl + 2, sizeof *w->lb);
    w->lb[w->nl++] = start;
}

/* Greedy first-fit wrapping of spans into lines of at most maxw. */
static void wrap_spans(L *l, wrap *w, const doc_span *sp, size_t nsp,
                       int all_bold, double size, double maxw)
{
    memset(w, 0, sizeof *w);
    w->size = size;
    int pend = 0;
    for (size_t i = 0; i < nsp; i++) {
        fonts_face face = (all_bold || sp[i].bold || sp[i].emph) ? FONTS_BOLD
                                                                  : FONTS_REGULAR;
        const char *s = sp[i].text ? sp[i].text : "";
        size_t first = w->n;
        while (*s) {
            if (is_space((unsigned char)*s)) {
                if (*s == '\n' && pend < 3)
                    pend = 3;
                else if (pend < 1)
                    pend = 1;
                s++;
                continue;
            }
            const char *e = s;
            while (*e && !is_space((unsigned char)*e))
                e++;
            size_t n = (size_t)(e - s);
            double aw = fonts_width_n(l->f, face, size, s, n);
            if (aw <= maxw) {
                add_atom(w, s, n, face, pend, aw);
            } else {
                /* Cut an over-long word by code point. */
                const char *p = s;
                int brk = pend;
                while (p < e) {
                    const char *q = p, *fit = NULL;
                    while (q < e) {
                        const char *r = q;
                        fonts_utf8_next(&r, e);
                        if (fonts_width_n(l->f, face, size, p, (size_t)(r - p))
                                > maxw && fit)
                            break;
                        fit = q = r;
                    }
                    add_atom(w, p, (size_t)(q - p), face, brk,
                             fonts_width_n(l->f, face, size, p, (size_t)(q - p)));
                    brk = 2;
                    p = q;
                }
            }
            pend = 0;
            s = e;
        }
        for (size_t k = first; k < w->n; k++)
            w->a[k].href = sp[i].href;
    }
    /* Break into lines. */
    size_t i = 0;
    while (i < w->n) {
        size_t start = i;
        double x = 0;
        add_line(w, start);
        while (i < w->n) {
            size_t g = i, ge = i + 1;
            while (ge < w->n && w->a[ge].brk == 0)
                ge++;
            double gw = 0;
            for (size_t k = g; k < ge; k++)
                gw += w->a[k].w;
            int empty = (g == start);
            if (!empty && w->a[g].brk == 3)
                break;
            double sp_w = (!empty && w->a[g].brk == 1)
                ? fonts_width(l->f, w->a[g].face, size, " ") : 0;
            if (!empty && x + sp_w + gw > maxw + 1e-9)
                break;
            if (empty && gw > maxw + 1e-9) {
                /* A glued group wider than the line: break between its
                 * atoms (each fits on its own). */
                size_t k = g;
                for (; k < ge; k++) {
                    if (k > g && x + w->a[k].w > maxw + 1e-9)
                        break;
                    x += w->a[k].w;
                }
                i = k;
                if (k < ge) {
                    w->a[k].brk = 2;
                    break;
                }
                continue;
            }
            x += sp_w + gw;
            i = ge;
        }
    }
    rp_grow((void **)&w->lb, &w->lcap, w->nl + 1, sizeof *w->lb);
    w->lb[w->nl] = w->n;        /* sentinel */
    w->lw = rp_xcalloc(w->nl ? w->nl : 1, sizeof *w->lw);
    for (size_t k = 0; k < w->nl; k++) {
        double x = 0;
        for (size_t j = w->lb[k]; j < w->lb[k + 1]; j++) {
            if (j > w->lb[k] && w->a[j].brk == 1)
                x += fonts_width(l->f, w->a[j].face, size, " ");
            x += w->a[j].w;
        }
        w->lw[k] = x;
    }
}

static void wrap_text(L *l, wrap *w, const char *s, int bold, double size,
                      double maxw)
{
    doc_span sp = { .text = (char *)(s ? s : ""), .bold = bold };
    wrap_spans(l, w, &sp, 1, bold, size, maxw);
}

/* A link's text box carries its target; a thin rule under it says
 * "link" without relying on colour alone (WCAG 1.4.1). */
static void link_box(L *l, chunk *c, layout_box *x, const char *href)
{
    if (!href)
        return;
    x->href = href;
    double xx = x->x, yy = x->y + x->size * 0.15, ww = x->w;
    rect_box(c, LAYOUT_RULE, ROLE_ARTIFACT, x->block, xx, yy, ww, 0.6,
             l->pal->accent, 0);
}

/* Emit line k at x (left edge) and baseline: one text box per run of
 * atoms in the same face. Returns the line width. */
static double emit_line(L *l, chunk *c, const wrap *w, size_t k, double x,
                        double base, template_rgb color, layout_role role,
                        const doc_block *b)
{
    rp_buf run;
    rp_buf_init(&run);
    double rx = x, cx = x;
    fonts_face rf = FONTS_REGULAR;
    const char *rh = NULL;      /* the run's link target */
    for (size_t j = w->lb[k]; j < w->lb[k + 1]; j++) {
        const atom *a = &w->a[j];
        int space = j > w->lb[k] && a->brk == 1;
        int lead = 0;       /* the new run starts with the space */
        if (run.len && (a->face != rf || a->href != rh)) {
            /* The space between two runs is text too (extraction and
             * the tags would read "notethe"): it ends the run before,
             * unless that is a link (its underline stops at its words). */
            if (space && !rh)
                rp_buf_add(&run, " ", 1);
            else
                lead = space;
            link_box(l, c, text_box(l, c, role, b, rx, base, rf, w->size,
                              rh ? l->pal->accent : color,
                              keep_str(l->out, rp_xstrndup(run.s, run.len))),
                     rh);
            run.len = 0;
            if (space && !lead) {
                cx += fonts_width(l->f, a->face, w->size, " ");
                space = 0;
            }
        }
        if (lead) {
            rx = cx;
            rf = a->face;
            rh = a->href;
            rp_buf_add(&run, " ", 1);
            cx += fonts_width(l->f, a->face, w->size, " ");
            space = 0;
        }
        if (space) {
            double sw = fonts_width(l->f, a->face, w->size, " ");
            if (run.len)
                rp_buf_add(&run, " ", 1);
            cx += sw;
        }
        if (!run.len) {
            rx = cx;
            rf = a->face;
            rh = a->href;
        }
        rp_buf_add(&run, a->s, a->n);
        cx += a->w;
    }
    if (run.len)
        link_box(l, c, text_box(l, c, role, b, rx, base, rf, w->size,
                          rh ? l->pal->accent : color,
                          keep_str(l->out, rp_xstrndup(run.s, run.len))),
                 rh);
    rp_buf_free(&run);
    return cx - x;
}

/* ---------------------------------------------------------------------- */
/* RAG words and colours                                                   */

static template_rgb rag_fill(const template_palette *p, rp_rag rag)
{
    switch (rag) {
    case RP_RAG_GREEN: return p->green;
    case RP_RAG_AMBER: return p->amber;
    case RP_RAG_RED:   return p->red;
    default:           return p->none;
    }
}

/* Ink on a RAG fill: white on red and green; dark on amber and on the
 * light grey of "not rated" (white on #B1B4B6 fails WCAG contrast). */
static template_rgb rag_ink(const template_palette *p, rp_rag rag)
{
    if (rag == RP_RAG_GREEN || rag == RP_RAG_RED)
        return (template_rgb){ 1, 1, 1 };
    return rag == RP_RAG_AMBER ? p->amber_text : p->text;
}

/* A RAG fill: a fill that stands out from the page by less than 3:1
 * (amber, "not rated" in the default palette) gets an outline in
 * palette.badge_outline (WCAG 2.2 1.4.11), as in the HTML twin. */
static void rag_rect(L *l, chunk *c, layout_role role, const doc_block *b,
                     double x, double y, double w, double h, double radius,
                     rp_rag rag)
{
    template_rgb fill = rag_fill(l->pal, rag);
    layout_box *r = rect_box(c, LAYOUT_RECT, role, b, x, y, w, h, fill,
                             radius);
    if (template_contrast(fill, (template_rgb){ 1, 1, 1 }) < 3.0) {
        r->line = 0.75;
        r->outline = l->pal->badge_outline;
    }
}

/* ---------------------------------------------------------------------- */
/* chunk builders                                                          */

static double heading_size(const metrics *m, int level) { return m->h[level]; }

static void build_heading(L *l, const doc_block *b, bchunks *bc)
{
    int lv = b->as.heading.level < 1 ? 1 : b->as.heading.level > 3 ? 3 : b->as.heading.level;
    double size = heading_size(&l->m, lv), lead = size * 1.25;
    static const double above[4] = { 0, 20, 16, 12 };
    static const double below[4] = { 0, 10, 6, 4 };
    layout_role role = lv == 1 ? ROLE_H1 : lv == 2 ? ROLE_H2 : ROLE_H3;
    wrap w;
    wrap_spans(l, &w, b->spans, b->nspans, 1, size, l->x1 - l->x0);
    chunk *c = bc_new(bc);
    c->sb = above[lv];
    c->mark = b;
    double y = 0;
    template_rgb col = lv == 1 ? l->pal->accent_dark : l->pal->text;
    for (size_t k = 0; k < w.nl; k++, y += lead)
        emit_line(l, c, &w, k, l->x0, y + baseline(l, FONTS_BOLD, size, lead),
                  col, role, b);
    if (w.nl == 0)
        y = lead;
    if (lv == 1) {
        /* A short accent rule under H1 marks the start of a section. */
        rect_box(c, LAYOUT_RULE, role, b, l->x0, y + 2, 48, 2,
                 l->pal->accent, 0);
        y += 4;
    }
    c->h = y + below[lv];
    bc->keep = 1;
    wrap_free(&w);
}

static void build_paragraph(L *l, const doc_block *b, bchunks *bc)
{
    double size = b->as.paragraph.small ? l->m.small : l->m.body;
    double lead = b->as.paragraph.small ? l->m.small * 1.35 : l->m.lead;
    wrap w;
    wrap_spans(l, &w, b->spans, b->nspans, 0, size, l->x1 - l->x0);
    template_rgb col = b->as.paragraph.small ? l->pal->secondary : l->pal->text;
    for (size_t k = 0; k < w.nl; k++) {
        chunk *c = bc_new(bc);
        c->sb = k == 0 ? (b->as.paragraph.small ? 4 : 7) : 0;
        c->h = lead;
        emit_line(l, c, &w, k, l->x0, baseline(l, FONTS_REGULAR, size, lead),
                  col, ROLE_P, b);
    }
    /* No lone line at the foot of a page (the first two lines go
     * together) nor at the head of one (nor the last two): a paragraph
     * of up to three lines therefore moves whole. */
    bc->keep = w.nl <= 3 ? w.nl : 2;
    bc->widow = w.nl > 3;
    wrap_free(&w);
}

/* A list item: its text indented by level, the marker ("•", "3.") hung
 * in the indent on the first line; paragraph keep rules. A continuation
 * (no marker) sits at the same indent. Items of one list keep little
 * space between them. */
static void build_list_item(L *l, const doc_block *b, bchunks *bc)
{
    const doc_list_item *it = &b->as.item;
    double size = l->m.body, lead = l->m.lead;
    double step = size * 1.6;
    double indent = step * (it->level < 1 ? 1 : it->level);
    double x = l->x0 + indent;
    wrap w;
    wrap_spans(l, &w, b->spans, b->nspans, 0, size, l->x1 - x);
    double base = baseline(l, FONTS_REGULAR, size, lead);
    size_t nl = w.nl ? w.nl : 1;
    for (size_t k = 0; k < nl; k++) {
        chunk *c = bc_new(bc);
        c->sb = k == 0 ? 3 : 0;
        c->h = lead;
        if (k == 0 && it->marker && *it->marker) {
            double mw = fonts_width(l->f, FONTS_REGULAR, size, it->marker);
            text_box(l, c, ROLE_LBL, b, x - mw - size * 0.5, base,
                     FONTS_REGULAR, size, l->pal->text, it->marker);
        }
        if (k < w.nl)
            emit_line(l, c, &w, k, x, base, l->pal->text, ROLE_LI, b);
    }
    bc->keep = nl <= 3 ? nl : 2;
    bc->widow = nl > 3;
    wrap_free(&w);
}

/* One laid-out cell: its wrapped text and the height it needs. */
typedef struct cellw {
    wrap w;
    const char *text;
    double indent;      /* room for a mark before the text */
    double fnw;         /* footnote marker width */
    char *fn;
    double h;
    size_t lo, hi;      /* the lines of this slice of the row */
    int spark;          /* the sparkline is drawn in this slice */
} cellw;

/* A header cell lines up with its column: the alignment of the first body
 * cell below it (numbers right, words left). */
static doc_align column_align(const doc_table *t, size_t col)
{
    for (size_t r = t->nheader; r < t->nrows; r++) {
        const doc_cell *c = &t->cells[r * t->ncols + col];
        if (c->text && *c->text)
            return c->align;
    }
    return t->nheader ? t->cells[col].align : DOC_LEFT;
}

/* A table with RAG cells has one row per measure, each in its own unit,
 * read across rather than compared down a column. Its cells are all set
 * left (header words over a column of marks start where the body words
 * do), and the text of neighbouring columns is kept more than a type size
 * apart: poppler's text extraction (pdftotext without -layout) then finds
 * the grid (it matches cells by shared left edges and tops, and joins
 * words less than a type size apart into one block) and reads the table
 * row by row, each row left to right, instead of a measure's name after
 * its figures or a column at a time.
 *
 * Whether t's body has RAG cells, and which of its columns' body cells
 * draw a mark (a RAG shape or an arrow) before their words, are found in
 * one scan per table: asked for each row and cell, a scan each time was
 * quadratic in the rows (a 16,000-row table took 6 s). */
static void table_flags(L *l, const doc_table *t)
{
    if (l->ft == t)
        return;
    free(l->ft_marked);
    l->ft = t;
    l->ft_rag = 0;
    l->ft_marked = rp_xcalloc(t->ncols ? t->ncols : 1, 1);
    for (size_t r = t->nheader; r < t->nrows; r++)
        for (size_t k = 0; k < t->ncols; k++) {
            const doc_cell *c = &t->cells[r * t->ncols + k];
            l->ft_rag |= c->show_rag != 0;
            if (c->show_rag || c->dir != RP_DIR_NONE)
                l->ft_marked[k] = 1;
        }
}

static int rag_table(L *l, const doc_table *t)
{
    table_flags(l, t);
    return l->ft_rag;
}

/* Whether the body cells of column col draw a mark before their words. */
static int column_marked(L *l, const doc_table *t, size_t col)
{
    table_flags(l, t);
    return col < t->ncols && l->ft_marked[col];
}

/* Padding left of a cell's text: 4 pt, 3.5 in a RAG table (room for
 * the wider gaps below). */
static double cell_padl(const L *l, int rag)
{
    return rag && l->spaced ? 3.5 : 4;
}

/* Padding right of a cell's text: 4 pt; in a RAG table, where the next
 * column's words start straight after the edge (no mark between), enough
 * that the words of the two columns are always more than a type size
 * apart. Closer, pdftotext joins them into one block in some rows and
 * not in others (or joins a figure to a line of a wrapped name), and
 * loses the grid. */
static double cell_padr(L *l, const doc_table *t, int rag, size_t col)
{
    double r = l->m.tsize + 0.25 - cell_padl(l, rag);
    if (!rag || !l->spaced || col + 1 >= t->ncols ||
        column_marked(l, t, col + 1) || r < 4)
        return 4;
    return r;
}

/* Row r, or the slice of it from line `from` (at most maxl lines of each
 * cell): a row taller than a page continues on the next one, so no text
 * is lost. Returns how many lines are still to come (0: row complete). */
static size_t build_row(L *l, const doc_block *b, size_t r, chunk *c,
                        int header, const double *colws, size_t from,
                        size_t maxl)
{
    const doc_table *t = &b->as.table;
    const metrics *m = &l->m;
    int rag = rag_table(l, t);
    const double padx = cell_padl(l, rag), pady = 4;
    double cw = l->x1 - l->x0;
    int total_row = t->total_last && r + 1 == t->nrows && !header;
    int row_bold = header || total_row;
    layout_role role = header ? ROLE_TH : ROLE_TD;
    cellw *cs = rp_xcalloc(t->ncols, sizeof *cs);
    size_t row_start = c->n, left = 0;
    double rowh = from ? 0 : m->tlead;
    double cx = l->x0;
    double markw = m->tsize * 0.85;
    for (size_t k = 0; k < t->ncols; k++) {
        const doc_cell *cell = &t->cells[r * t->ncols + k];
        double colw = colws[k];
        cellw *x = &cs[k];
        int bold = row_bold || cell->bold || cell->show_rag;
        x->text = cell->text ? cell->text : "";
        if (cell->show_rag && !*x->text)
            x->text = rp_rag_label(cell->rag);
        if (cell->show_rag || cell->dir != RP_DIR_NONE ||
            (header && rag && column_marked(l, t, k)))
            x->indent = markw + 3;
        if (cell->footnote > 0) {
            x->fn = rp_xasprintf("[%d]", cell->footnote);
            x->fnw = fonts_width(l->f, FONTS_REGULAR, m->small, x->fn) + 1;
        }
        double padr = cell_padr(l, t, rag, k);
        double avail = colw - padx - padr - x->indent - x->fnw;
        if (avail < 4)
            avail = 4;
        wrap_text(l, &x->w, x->text, bold, m->tsize, avail);
        x->lo = from < x->w.nl ? from : x->w.nl;
        x->hi = x->w.nl - x->lo > maxl ? x->lo + maxl : x->w.nl;
        if (x->w.nl > x->hi && x->w.nl - x->hi > left)
            left = x->w.nl - x->hi;
        size_t nl = x->hi - x->lo;
        if (!nl && !from)
            nl = 1;
        x->h = nl * m->tlead;
        /* the sparkline goes under the cell's last line */
        x->spark = cell->spark && x->hi == x->w.nl && (from < x->w.nl ||
                                                       (!from && !x->w.nl));
        if (x->spark)
            x->h = (x->hi > x->lo ? x->h : 0) + 16;
        if (x->h > rowh)
            rowh = x->h;
        cx += colw;
    }
    double h = rowh + 2 * pady;
    if (header && !from)
        rect_box(c, LAYOUT_RECT, ROLE_ARTIFACT, b, l->x0, 0, cw, h,
                 l->pal->fill, 0);
    if (total_row && !from)
        rect_box(c, LAYOUT_RULE, ROLE_ARTIFACT, b, l->x0, 0, cw, 1,
                 l->pal->text, 0);
    cx = l->x0;
    for (size_t k = 0; k < t->ncols; k++) {
        const doc_cell *cell = &t->cells[r * t->ncols + k];
        double colw = colws[k];
        cellw *x = &cs[k];
        size_t cell_start = c->n;
        template_rgb col = l->pal->text;
        if (from) {
            /* marks and fills belong to the row's first slice */
        } else if (cell->show_rag) {
            /* The fill hugs the word, not the whole (maybe tall) row. */
            double fh = (x->w.nl ? x->w.nl : 1) * m->tlead + 2 * pady - 4;
            rag_rect(l, c, role, b, cx + 2, 2, colw - 4, fh, 3, cell->rag);
            col = rag_ink(l->pal, cell->rag);
            mark_box(c, LAYOUT_RAGMARK, role, b, cx + padx,
                     pady + (m->tlead - markw) / 2, markw, col, cell->rag,
                     RP_DIR_NONE);
        } else if (cell->dir != RP_DIR_NONE) {
            template_rgb ac = cell->dir == RP_DIR_IMPROVING ? l->pal->green
                      : cell->dir == RP_DIR_WORSENING ? l->pal->red
                      : l->pal->secondary;
            mark_box(c, LAYOUT_DIRMARK, role, b, cx + padx,
                     pady + (m->tlead - markw) / 2, markw, ac, RP_RAG_NONE,
                     cell->dir);
        }
        double inner = colw - padx - cell_padr(l, t, rag, k) - x->indent;
        for (size_t ln = x->lo; ln < x->hi; ln++) {
            double lw = x->w.lw[ln];
            double extra = ln + 1 == x->w.nl ? x->fnw : 0;
            double off = 0;
            doc_align al = rag ? DOC_LEFT
                         : header ? column_align(t, k) : cell->align;
            if (al == DOC_RIGHT)
                off = inner - lw - extra;
            else if (al == DOC_CENTER)
                off = (inner - lw - extra) / 2;
            if (off < 0)
                off = 0;
            double lx = cx + padx + x->indent + off;
            double base = pady + (ln - x->lo) * m->tlead
                        + baseline(l, FONTS_REGULAR, m->tsize, m->tlead);
            emit_line(l, c, &x->w, ln, lx, base, col, role, b);
            if (extra > 0) {
                /* Footnote marker, small and raised like a superscript. */
                text_box(l, c, role, b, lx + lw + 1,
                         base - m->tsize * 0.35, FONTS_REGULAR, m->small, col,
                         keep_str(l->out, x->fn));
                x->fn = NULL;
            }
        }
        if (x->fn && x->w.nl == 0 && !from) {
            double off = cell->align == DOC_RIGHT && !rag ? inner - x->fnw : 0;
            text_box(l, c, role, b, cx + padx + x->indent + off,
                     pady + baseline(l, FONTS_REGULAR, m->tsize, m->tlead)
                         - m->tsize * 0.35,
                     FONTS_REGULAR, m->small, col, keep_str(l->out, x->fn));
            x->fn = NULL;
        }
        if (x->spark) {
            layout_box *s = cbox(c, LAYOUT_SPARK, ROLE_FIGURE, b);
            s->x = cx + padx;
            s->y = pady + (x->hi - x->lo) * m->tlead + 1;
            s->w = colw - 2 * padx;
            s->h = 14;
            s->chart = cell->spark;
        }
        free(x->fn);
        wrap_free(&x->w);
        for (size_t i = cell_start; i < c->n; i++)
            c->v[i].col = (int)k;
        cx += colw;
    }
    /* Thin rules between rows rather than a grid of boxes; a firmer rule
     * under the header. */
    if (header)
        rect_box(c, LAYOUT_RULE, ROLE_ARTIFACT, b, l->x0, h - 0.8, cw, 0.8,
                 l->pal->secondary, 0);
    else
        rect_box(c, LAYOUT_RULE, ROLE_ARTIFACT, b, l->x0, h - 0.4, cw, 0.4,
                 l->pal->rule, 0);
    for (size_t i = row_start; i < c->n; i++)
        c->v[i].row = (int)r;
    c->h += h;
    free(cs);
    return left;
}

/* Longest unbreakable word of s in face at size. */
static double longest_word(L *l, fonts_face face, double size, const char *s)
{
    double best = 0;
    while (s && *s) {
        while (*s && is_space((unsigned char)*s))
            s++;
        const char *e = s;
        while (*e && !is_space((unsigned char)*e))
            e++;
        double w = fonts_width_n(l->f, face, size, s, (size_t)(e - s));
        if (w > best)
            best = w;
        s = e;
    }
    return best;
}

/* The narrowest each column may be (its longest word, marks and
 * padding); returns their sum. */
static double col_mins(L *l, const doc_table *t, int rag, double *minw)
{
    double sum = 0;
    for (size_t k = 0; k < t->ncols; k++) {
        minw[k] = 0;
        for (size_t r = 0; r < t->nrows; r++) {
            const doc_cell *c = &t->cells[r * t->ncols + k];
            int bold = r < t->nheader || c->bold || c->show_rag ||
                       (t->total_last && r + 1 == t->nrows);
            const char *s = c->text && *c->text ? c->text
                          : c->show_rag ? rp_rag_label(c->rag) : "";
            double w = longest_word(l, bold ? FONTS_BOLD : FONTS_REGULAR,
                                    l->m.tsize, s)
                     + cell_padl(l, rag) + cell_padr(l, t, rag, k) + 0.1;
            if (c->show_rag || c->dir != RP_DIR_NONE ||
                (r < t->nheader && rag && column_marked(l, t, k)))
                w += l->m.tsize * 0.85 + 3;
            if (c->footnote > 0)
                w += fonts_width(l->f, FONTS_REGULAR, l->m.small, "[00]") + 1;
            if (c->spark && w < 48)
                w = 48;
            if (w > minw[k])
                minw[k] = w;
        }
        sum += minw[k];
    }
    return sum;
}

/* Column widths: the template's proportions, then widened where a word
 * would otherwise be cut ("Bette|r"), taking the room from columns with
 * slack in proportion to it. A RAG table keeps its columns' words a type
 * size apart (l->spaced) unless that leaves no room for its words. */
static void col_widths(L *l, const doc_table *t, double *out)
{
    double total = 0, cw = l->x1 - l->x0;
    int rag = rag_table(l, t);
    for (size_t k = 0; k < t->ncols; k++)
        total += t->widths[k];
    double *minw = rp_xcalloc(t->ncols, sizeof *minw);
    l->spaced = rag;
    if (col_mins(l, t, rag, minw) > cw && rag) {
        /* Without the gaps the words fit: give up the gaps. Where they
         * do not fit either (words will be cut anyway), keep the gaps
         * for the reading order. */
        l->spaced = 0;
        if (col_mins(l, t, rag, minw) > cw) {
            l->spaced = 1;
            col_mins(l, t, rag, minw);
        }
    }
    for (size_t k = 0; k < t->ncols; k++)
        out[k] = cw * t->widths[k] / total;
    double need = 0, slack = 0;
    for (size_t k = 0; k < t->ncols; k++) {
        if (minw[k] > out[k])
            need += minw[k] - out[k];
        else
            slack += out[k] - minw[k];
    }
    if (need > 0 && slack > 0) {
        double f = need < slack ? need / slack : 1;
        for (size_t k = 0; k < t->ncols; k++) {
            if (minw[k] > out[k])
                out[k] = need < slack ? minw[k]
                       : out[k] + (minw[k] - out[k]) * slack / need;
            else
                out[k] -= (out[k] - minw[k]) * f;
        }
    }
    free(minw);
}

static void build_table(L *l, const doc_block *b, bchunks *bc)
{
    const doc_table *t = &b->as.table;
    bc->table = 1;
    double *cw = rp_xcalloc(t->ncols, sizeof *cw);
    col_widths(l, t, cw);
    size_t nh = t->nheader < t->nrows ? t->nheader : t->nrows;
    /* Header rows as one chunk, stacked. */
    for (size_t r = 0; r < nh; r++) {
        chunk row = { 0 };
        build_row(l, b, r, &row, 1, cw, 0, SIZE_MAX);
        for (size_t i = 0; i < row.n; i++) {
            layout_box *x = cbox(&bc->head, row.v[i].kind, row.v[i].role, b);
            *x = row.v[i];
            x->y += bc->head.h;
        }
        bc->head.h += row.h;
        chunk_free(&row);
    }
    bc->head.sb = 8;
    double s = l->m.small, lead = s * 1.6;
    /* the most lines of a row one page holds under the repeated header */
    double room = l->bottom - l->top - bc->head.h - lead - 8 - 2;
    size_t maxl = room > l->m.tlead ? (size_t)(room / l->m.tlead) : 1;
    for (size_t r = nh; r < t->nrows; r++)
        for (size_t from = 0, left = 1; left; from += maxl)
            left = build_row(l, b, r, bc_new(bc), 0, cw, from, maxl);
    chunk *k = &bc->cont;
    text_box(l, k, ROLE_ARTIFACT, b, l->x0,
             baseline(l, FONTS_REGULAR, s, lead), FONTS_REGULAR, s,
             l->pal->secondary, "(continued)");
    k->v[k->n - 1].repeat = 1;
    k->h = lead;
    bc->keep = bc->n ? 1 : 0;
    /* A short table split over two pages reads worse than a gap. */
    double all = bc->head.h;
    for (size_t i = 0; i < bc->n; i++)
        all += bc->c[i].h;
    bc->whole = all <= (l->bottom - l->top) / 5;
    free(cw);
}

static void build_figure(L *l, const doc_block *b, bchunks *bc)
{
    const doc_figure *fg = &b->as.figure;
    chunk *c = bc_new(bc);
    c->sb = 10;
    double y = 0, cw = l->x1 - l->x0;
    if (!fg->chart && fg->title && *fg->title) {
        /* Charts draw their own title; without one, say what belongs
         * here so the gap is not mysterious. */
        double s = 10, lead = 13;
        wrap w;
        wrap_text(l, &w, fg->title, 1, s, cw);
        for (size_t k = 0; k < w.nl; k++, y += lead)
            emit_line(l, c, &w, k, l->x0,
                      y + baseline(l, FONTS_BOLD, s, lead), l->pal->text,
                      ROLE_CAPTION, b);
        wrap_free(&w);
    }
    double s = l->m.small, lead = s * 1.35;
    wrap cap;
    wrap_text(l, &cap, fg->alt, 0, s, cw);
    double fh = fg->height > 0 ? fg->height : 200;
    double maxh = (l->bottom - l->top) - y - cap.nl * lead - 60;
    if (fh > maxh)
        fh = maxh > 40 ? maxh : 40;
    /* Up to a quarter of the drawing may go to keep the figure on the
     * page with what leads up to it, rather than on a page of its own. */
    double minh = fh * 0.75;
    if (fg->min_height > minh)
        minh = fg->min_height < fh ? fg->min_height : fh;
    bc->shrink = fh - minh;
    layout_box *x = cbox(c, LAYOUT_FIGURE, ROLE_FIGURE, b);
    x->x = l->x0; x->y = y; x->w = cw; x->h = fh;
    x->chart = fg->chart;
    y += fh + 4;
    for (size_t k = 0; k < cap.nl; k++, y += lead)
        emit_line(l, c, &cap, k, l->x0, y + baseline(l, FONTS_REGULAR, s, lead),
                  l->pal->secondary, ROLE_CAPTION, b);
    wrap_free(&cap);
    c->h = y + 2;
    bc->keep = 1;
}

/* A pill: rounded RAG fill, shape mark, word. Returns its width. */
static double pill(L *l, chunk *c, const doc_block *b, layout_role role,
                   double x, double y, double size, rp_rag rag)
{
    double h = size * 2, mk = size * 0.9, pad = size * 0.6;
    const char *word = rp_rag_label(rag);
    double ww = fonts_width(l->f, FONTS_BOLD, size, word);
    double w = pad + mk + size * 0.45 + ww + pad;
    template_rgb ink = rag_ink(l->pal, rag);
    rag_rect(l, c, role, b, x, y, w, h, (int)(size * 0.35 + 1), rag);
    mark_box(c, LAYOUT_RAGMARK, role, b, x + pad, y + (h - mk) / 2, mk, ink,
             rag, RP_DIR_NONE);
    text_box(l, c, role, b, x + pad + mk + size * 0.45,
             y + baseline(l, FONTS_BOLD, size, h), FONTS_BOLD, size, ink, word);
    return w;
}

static void build_badge(L *l, const doc_block *b, bchunks *bc)
{
    chunk *c = bc_new(bc);
    c->sb = 8;
    double size = l->m.body, h = size * 2, x = l->x0;
    for (size_t i = 0; i < b->nspans; i++) {
        const char *s = b->spans[i].text;
        if (!s || !*s)
            continue;
        layout_box *t = text_box(l, c, ROLE_P, b, x,
                             baseline(l, FONTS_BOLD, size, h), FONTS_BOLD, size,
                             l->pal->text, s);
        x += t->w + 8;
    }
    pill(l, c, b, ROLE_P, x, 0, size, b->as.badge.rag);
    c->h = h + 2;
    bc->keep = 1;
}

static void build_contents(L *l, const doc_block *b, bchunks *bc)
{
    const document *d = l->d;
    double size = l->m.body, lead = l->m.lead, cw = l->x1 - l->x0;
    /* Title, in H1 style but not itself an entry. */
    chunk *c = bc_new(bc);
    double hs = l->m.h[1], hl = hs * 1.25;
    text_box(l, c, ROLE_H1, b, l->x0, baseline(l, FONTS_BOLD, hs, hl), FONTS_BOLD,
             hs, l->pal->accent_dark, "Contents");
    rect_box(c, LAYOUT_RULE, ROLE_H1, b, l->x0, hl + 2, 48, 2, l->pal->accent,
             0);
    c->h = hl + 4 + 10;
    double numw = fonts_width(l->f, FONTS_BOLD, size, "0000");
    double dotw = fonts_width(l->f, FONTS_REGULAR, size, " .");
    for (size_t i = 0; i < d->nblocks; i++) {
        const doc_block *h = &d->blocks[i];
        if (h->kind != DOC_HEADING || h->as.heading.level > 2)
            continue;
        int lv1 = h->as.heading.level <= 1;
        fonts_face face = lv1 ? FONTS_BOLD : FONTS_REGULAR;
        double indent = lv1 ? 0 : 16;
        chunk *e = bc_new(bc);
        e->sb = lv1 ? 7 : 1;
        wrap w;
        wrap_spans(l, &w, h->spans, h->nspans, lv1, size,
                   cw - indent - numw - 24);
        double y = 0, lastw = 0;
        for (size_t k = 0; k < w.nl; k++, y += lead) {
            lastw = emit_line(l, e, &w, k, l->x0 + indent,
                              y + baseline(l, face, size, lead),
                              l->pal->text, ROLE_TOC, h);
        }
        if (w.nl == 0)
            y = lead;
        double base = y - lead + baseline(l, face, size, lead);
        /* the page number, and the link targets, once all pages are laid
         * out (contents_numbers) */
        layout_box *nb = text_box(l, e, ROLE_TOC, h, l->x1, base, face,
                                  size, l->pal->text, "");
        nb->part = TOC_NUMBER;
        /* Dot leaders between the title and the page number. */
        double from = l->x0 + indent + lastw + 6, to = l->x1 - numw - 6;
        int ndots = to > from ? (int)((to - from) / dotw) : 0;
        if (ndots > 0) {
            char *dots = rp_xmalloc((size_t)ndots * 2 + 1);
            for (int k = 0; k < ndots; k++) {
                dots[2 * k] = ' ';
                dots[2 * k + 1] = '.';
            }
            dots[2 * ndots] = '\0';
            keep_str(l->out, dots);
            /* Leaders are decoration: an artifact, not read aloud. */
            text_box(l, e, ROLE_ARTIFACT, h, to - ndots * dotw, base,
                     FONTS_REGULAR, size, l->pal->secondary, dots);
        }
        e->h = y;
        for (size_t k = 0; k < e->n; k++)
            if (e->v[k].kind == LAYOUT_TEXT && !e->v[k].part)
                e->v[k].part = TOC_ENTRY;
        wrap_free(&w);
    }
    bc->keep = bc->n > 1 ? 2 : 1;
}

/* ---------------------------------------------------------------------- */
/* placement                                                               */

static layout_page *cur(L *l) { return &l->out->pages[l->out->npages - 1]; }

static void new_page(L *l)
{
    layout_pages *o = l->out;
    /* grown by doubling: one page at a time was quadratic copying */
    rp_grow((void **)&o->pages, &l->pagecap, o->npages + 1, sizeof *o->pages);
    memset(&o->pages[o->npages], 0, sizeof *o->pages);
    o->npages++;
    rp_grow((void **)&l->cover, &l->covcap, o->npages, 1);
    l->cover[o->npages - 1] = 0;
    l->y = l->top;
    l->body = 0;
    l->gap = 0;
}

static void page_add(layout_page *p, const layout_box *b)
{
    rp_grow((void **)&p->boxes, &p->cap, p->nboxes + 1, sizeof *p->boxes);
    p->boxes[p->nboxes++] = *b;
}

/* A new page, unless the current one has nothing on it yet. */
static void page_if_body(L *l)
{
    if (l->body)
        new_page(l);
}

static int fits(L *l, double h)
{
    return l->y + h <= l->bottom + 0.01;
}

static double sb_of(L *l, const chunk *c) { return l->body ? c->sb + l->gap : 0; }

static void place(L *l, const chunk *c)
{
    l->y += sb_of(l, c);
    l->gap = 0;
    layout_page *p = cur(l);
    for (size_t i = 0; i < c->n; i++) {
        layout_box b = c->v[i];
        b.y += l->y;
        page_add(p, &b);
    }
    if (c->mark && c->mark->as.heading.level <= 2) {
        layout_pages *o = l->out;
        o->marks = rp_xrealloc(o->marks, (o->nmarks + 1) * sizeof *o->marks);
        o->marks[o->nmarks++] = (layout_mark){
            keep_str(o, doc_block_text(c->mark)), c->mark->as.heading.level,
            o->npages - 1, l->y };
    }
    l->y += c->h;
    l->body = 1;
}

/* Height of the first unit of a block, with its space before. */
static double first_unit(L *l, const bchunks *bc)
{
    double h = 0;
    if (bc->table) {
        h = bc->head.sb + bc->head.h;
        for (size_t i = 0; i < bc->n && (i == 0 || bc->whole); i++)
            h += bc->c[i].h;
        return h;
    }
    for (size_t i = 0; i < bc->keep && i < bc->n; i++)
        h += (i == 0 ? bc->c[i].sb : 0) + bc->c[i].h;
    (void)l;
    return h - bc->shrink;
}

/* Room the blocks that keep with block i's end need after it: all of
 * them while they are short (notes under a table), else the first unit
 * of the first. */
static double tail_need(const L *l, const bchunks *all, size_t i)
{
    const document *d = l->d;
    double full = 0;
    size_t j = i + 1;
    for (; j < d->nblocks && d->blocks[j].keep_with_prev; j++)
        for (size_t k = 0; k < all[j].n; k++)
            full += all[j].c[k].sb + all[j].c[k].h;
    if (j == i + 1)
        return 0;
    double gap = all[i].table ? TABLE_GAP : 0;
    if (full <= (l->bottom - l->top) / 4)
        return gap + full;
    const bchunks *n = &all[i + 1];
    double h = n->table ? n->head.sb + n->head.h : 0;
    return gap + h + first_unit((L *)l, n);
}

/* Room a heading needs: itself, any headings straight after it, and the
 * first unit of the block they introduce. */
static double keep_need(L *l, const bchunks *all, size_t i)
{
    const document *d = l->d;
    double need = sb_of(l, &all[i].c[0]) + all[i].c[0].h;
    size_t j = i + 1;
    while (j < d->nblocks && d->blocks[j].kind == DOC_HEADING &&
           d->blocks[j].as.heading.level > 1 && all[j].n) {
        need += all[j].c[0].sb + all[j].c[0].h;
        j++;
    }
    if (j < d->nblocks) {
        doc_block_kind k = d->blocks[j].kind;
        if (k == DOC_PARAGRAPH || k == DOC_LIST_ITEM || k == DOC_TABLE || k == DOC_FIGURE ||
            k == DOC_BADGE) {
            need += first_unit(l, &all[j]);
            /* Its notes too, when the unit is all of the block. */
            if (all[j].table ? all[j].whole || all[j].n <= 1
                             : all[j].keep >= all[j].n)
                need += tail_need(l, all, j);
        }
    }
    return need;
}

/* Place chunk c with its figure drawing d points shorter: the caption
 * under it moves up by d. */
static void place_shrunk(L *l, const chunk *c, double d)
{
    chunk t = *c;
    t.v = rp_xmalloc((c->n ? c->n : 1) * sizeof *t.v);
    memcpy(t.v, c->v, c->n * sizeof *t.v);
    double bottom = 0;
    for (size_t i = 0; i < t.n; i++)
        if (t.v[i].kind == LAYOUT_FIGURE) {
            bottom = t.v[i].y + t.v[i].h;
            t.v[i].h -= d;
        }
    for (size_t i = 0; i < t.n; i++)
        if (t.v[i].kind != LAYOUT_FIGURE && t.v[i].y >= bottom)
            t.v[i].y -= d;
    t.h -= d;
    place(l, &t);
    free(t.v);
}

static void place_block(L *l, const doc_block *b, const bchunks *bc, int forced,
                        double tail)
{
    if (bc->table) {
        /* Rows that must share a page with row i: a total row never
         * starts a page alone, and the last row takes the tail along. */
        size_t n = bc->n;
        int tot = b->as.table.total_last && n >= 2;
        double first = sb_of(l, &bc->head) + bc->head.h + (n ? bc->c[0].h : 0);
        if (bc->whole) {
            for (size_t i = 1; i < n; i++)
                first += bc->c[i].h;
            first += tail;
        } else if (n == 1)
            first += tail;
        else if (n == 2 && tot)
            first += bc->c[1].h + tail;
        if (!forced && l->body && !fits(l, first))
            new_page(l);
        place(l, &bc->head);
        for (size_t i = 0; i < n; i++) {
            double need = bc->c[i].h;
            if (tot && i + 2 == n)
                need += bc->c[i + 1].h + tail;
            else if (i + 1 == n && !tot)
                need += tail;
            else if (i + 1 == n)
                need = 0;       /* checked with the row before */
            if (i > 0 && need > 0 && l->body && !fits(l, need)) {
                new_page(l);
                if (bc->head.n) {
                    place(l, &bc->cont);
                    /* The repeat is pagination, not content: tagged as
                     * such by the renderers. */
                    chunk h = bc->head;
                    h.sb = 0;
                    h.v = rp_xmalloc(h.n * sizeof *h.v);
                    memcpy(h.v, bc->head.v, h.n * sizeof *h.v);
                    for (size_t k = 0; k < h.n; k++)
                        h.v[k].repeat = 1;
                    place(l, &h);
                    free(h.v);
                }
            }
            place(l, &bc->c[i]);
        }
        l->gap = TABLE_GAP;
        return;
    }
    for (size_t i = 0; i < bc->n; i++) {
        double need;
        int last = i + 1 == bc->n;
        if (i == 0) {
            need = first_unit(l, bc) + bc->shrink - bc->c[0].sb
                 + sb_of(l, &bc->c[0]);
            if (bc->keep >= bc->n)
                need += tail;
        } else if (i < bc->keep) {
            need = 0;           /* already checked with the first */
        } else if (bc->widow && i + 2 == bc->n) {
            need = bc->c[i].h + bc->c[i + 1].h + tail;
        } else if (bc->widow && last) {
            need = 0;           /* checked with the line before */
        } else {
            need = sb_of(l, &bc->c[i]) + bc->c[i].h + (last ? tail : 0);
        }
        if (i == 0 && bc->shrink > 0 && l->body && !fits(l, need)) {
            /* A figure: shrink it to fit if that is enough (always after
             * a heading, which checked the room for the shrunk size). */
            double over = l->y + need - l->bottom;
            if (over <= bc->shrink + 0.01 || forced) {
                place_shrunk(l, &bc->c[0], over < bc->shrink ? over
                                                            : bc->shrink);
                continue;
            }
        }
        if (need > 0 && !(i == 0 && forced) && l->body && !fits(l, need))
            new_page(l);
        place(l, &bc->c[i]);
    }
}

/* Number the boxes of a cover line group (those not numbered yet, from
 * index `from`): each group becomes one structure element. */
static void set_part(chunk *c, size_t from, int part)
{
    for (size_t i = from; i < c->n; i++)
        if (!c->v[i].part)
            c->v[i].part = part;
}

/* A cover's wrapped text (title or period) from baseline y, `lead` apart;
 * returns the baseline after it. */
static double cover_lines(L *l, chunk *c, const doc_block *b, const char *s,
                          int bold, double size, double lead,
                          template_rgb col, layout_role role, double y)
{
    if (!s || !*s)
        return y;
    wrap w;
    wrap_text(l, &w, s, bold, size, l->x1 - l->x0);
    for (size_t k = 0; k < w.nl; k++, y += lead)
        emit_line(l, c, &w, k, l->x0, y, col, role, b);
    wrap_free(&w);
    return y;
}

static void layout_cover(L *l, const doc_block *b)
{
    const doc_cover *cv = &b->as.cover;
    const template_palette *p = l->pal;
    chunk c = { 0 };
    double cw = l->x1 - l->x0, y;
    rect_box(&c, LAYOUT_RECT, ROLE_ARTIFACT, b, l->x0, 0, cw, 8, p->accent, 0);
    y = 48;
    if (cv->authority && *cv->authority) {
        text_box(l, &c, ROLE_P, b, l->x0, y, FONTS_BOLD, 16, p->accent_dark,
                 cv->authority);
    }
    set_part(&c, 0, 1);
    y = 150;
    y = cover_lines(l, &c, b, cv->title, 1, 30, 36, p->text, ROLE_H1, y);
    set_part(&c, 0, 2);
    y += 6;
    y = cover_lines(l, &c, b, cv->period, 0, 16, 21, p->secondary, ROLE_P, y);
    set_part(&c, 0, 3);
    y += 10;
    rect_box(&c, LAYOUT_RULE, ROLE_ARTIFACT, b, l->x0, y, cw, 1, p->rule, 0);
    y += 30;
    const char *lines[2] = { cv->committee, cv->meeting };
    for (int i = 0; i < 2; i++) {
        if (!lines[i] || !*lines[i])
            continue;
        text_box(l, &c, ROLE_P, b, l->x0, y, i ? FONTS_REGULAR : FONTS_BOLD, 13,
                 p->text, lines[i]);
        set_part(&c, 0, 4 + i);
        y += 19;
    }
    y += 40;
    const char *label = cv->badge_label && *cv->badge_label
                      ? cv->badge_label : "Overall assessment";
    text_box(l, &c, ROLE_P, b, l->x0, y, FONTS_BOLD, 12, p->secondary, label);
    y += 12;
    pill(l, &c, b, ROLE_P, l->x0, y, 22,
         cv->badge_rag);
    set_part(&c, 0, 6);
    c.h = 0;
    place(l, &c);
    chunk_free(&c);
}

/* Fit text into maxw, ending with "…" when cut (running heads). */
static const char *fit_text(L *l, fonts_face face, double size, const char *s,
                            double maxw)
{
    if (fonts_width(l->f, face, size, s) <= maxw)
        return s;
    size_t len = strlen(s), n = 0;
    double ell = fonts_width(l->f, face, size, "…");
    const char *p = s;
    while (p < s + len) {
        const char *q = p;
        fonts_utf8_next(&q, s + len);
        if (fonts_width_n(l->f, face, size, s, (size_t)(q - s)) + ell > maxw)
            break;
        p = q;
        n = (size_t)(q - s);
    }
    return keep_str(l->out, rp_xasprintf("%.*s…", (int)n, s));
}

static void furniture(L *l)
{
    layout_pages *o = l->out;
    const template_palette *p = l->pal;
    double s = l->m.small, cw = l->x1 - l->x0;
    for (size_t i = 0; i < o->npages; i++) {
        if (l->cover[i])
            continue;
        chunk c = { 0 };
        double hy = l->top - 12, fy = l->bottom + 12;
        if (l->d->header_text && *l->d->header_text) {
            text_box(l, &c, ROLE_ARTIFACT, NULL, l->x0, hy - 6, FONTS_REGULAR,
                     s, p->secondary,
                     fit_text(l, FONTS_REGULAR, s, l->d->header_text, cw));
        }
        rect_box(&c, LAYOUT_RULE, ROLE_ARTIFACT, NULL, l->x0, hy, cw, 0.5,
                 p->rule, 0);
        rect_box(&c, LAYOUT_RULE, ROLE_ARTIFACT, NULL, l->x0, fy, cw, 0.5,
                 p->rule, 0);
        char *pg = rp_xasprintf("Page %zu of %zu", i + 1, o->npages);
        keep_str(o, pg);
        double pw = fonts_width(l->f, FONTS_REGULAR, s, pg);
        text_box(l, &c, ROLE_ARTIFACT, NULL, l->x1 - pw, fy + 12, FONTS_REGULAR,
                 s, p->secondary, pg);
        if (l->d->footer_text && *l->d->footer_text)
            text_box(l, &c, ROLE_ARTIFACT, NULL, l->x0, fy + 12, FONTS_REGULAR,
                     s, p->secondary,
                     fit_text(l, FONTS_REGULAR, s, l->d->footer_text,
                              cw - pw - 12));
        for (size_t k = 0; k < c.n; k++)
            page_add(&o->pages[i], &c.v[k]);
        chunk_free(&c);
    }
}

static double or_default(double v, double d) { return v > 0 ? v : d; }

static void run(L *l)
{
    const document *d = l->d;
    const pack_template *t = l->t;
    layout_pages *o = l->out;
    o->page_w = or_default(t->page_w, 595.276);
    o->page_h = or_default(t->page_h, 841.89);
    const double mm = 72 / 25.4;
    l->x0 = or_default(t->margin_left, 20 * mm);
    l->x1 = o->page_w - or_default(t->margin_right, 20 * mm);
    l->top = or_default(t->margin_top, 18 * mm);
    l->bottom = o->page_h - or_default(t->margin_bottom, 18 * mm);
    metrics *m = &l->m;
    m->body = or_default(t->body_size, 11);
    m->lead = or_default(t->body_leading, m->body * 14 / 11);
    m->h[1] = or_default(t->h1_size, 20);
    m->h[2] = or_default(t->h2_size, 15);
    m->h[3] = or_default(t->h3_size, 12);
    m->small = or_default(t->small_size, 8.5);
    /* Tables a point smaller than body to fit more columns, never below
     * 10 pt (the design's floor for reading text). */
    m->tsize = m->body > 11 ? m->body - 1 : m->body > 10 ? 10 : m->body;
    m->tlead = m->tsize * 1.3;

    bchunks *all = rp_xcalloc(d->nblocks ? d->nblocks : 1, sizeof *all);
    for (size_t i = 0; i < d->nblocks && !l->stopped; i++) {
        const doc_block *b = &d->blocks[i];
        if ((i & 63) == 0 && rp_interrupted(l->errs))
            l->stopped = 1;
        switch (b->kind) {
        case DOC_HEADING: build_heading(l, b, &all[i]); break;
        case DOC_PARAGRAPH: build_paragraph(l, b, &all[i]); break;
        case DOC_LIST_ITEM: build_list_item(l, b, &all[i]); break;
        case DOC_TABLE: build_table(l, b, &all[i]); break;
        case DOC_FIGURE: build_figure(l, b, &all[i]); break;
        case DOC_BADGE: build_badge(l, b, &all[i]); break;
        case DOC_CONTENTS: build_contents(l, b, &all[i]); break;
        default: break;
        }
    }
    new_page(l);
    int keep = 0;
    for (size_t i = 0; i < d->nblocks; i++) {
        const doc_block *b = &d->blocks[i];
        switch (b->kind) {
        case DOC_PAGE_BREAK:
            page_if_body(l);
            keep = 0;
            break;
        case DOC_COVER:
            page_if_body(l);
            layout_cover(l, b);
            l->cover[o->npages - 1] = 1;
            new_page(l);
            keep = 0;
            break;
        case DOC_CONTENTS:
            page_if_body(l);
            place_block(l, b, &all[i], 0, 0);
            keep = 0;
            break;
        case DOC_HEADING:
            if (!all[i].n)
                break;
            if (b->as.heading.level <= 1 && !b->as.heading.flow && l->body)
                new_page(l);
            else if (!keep && l->body && !fits(l, keep_need(l, all, i)))
                new_page(l);
            place(l, &all[i].c[0]);
            keep = 1;
            break;
        default:
            place_block(l, b, &all[i], keep, tail_need(l, all, i));
            keep = 0;
            break;
        }
    }
    /* A cover or break at the very end leaves an empty page behind. */
    if (o->npages > 1 && cur(l)->nboxes == 0) {
        free(cur(l)->boxes);
        o->npages--;
    }
    furniture(l);
    for (size_t i = 0; i < d->nblocks; i++)
        bc_free(&all[i]);
    free(all);
}

/* ---------------------------------------------------------------------- */
/* text against the fonts                                                  */

static void check_spans(fonts *f, rp_errors *errs, const doc_block *b,
                        int all_bold, const char *what)
{
    for (size_t i = 0; i < b->nspans; i++)
        check(f, errs, all_bold || b->spans[i].bold || b->spans[i].emph
                           ? FONTS_BOLD : FONTS_REGULAR,
              b->spans[i].text, what);
}

void layout_check_text(const document *d, fonts *f, rp_errors *errs)
{
    for (size_t i = 0; d && f && i < d->nblocks; i++) {
        const doc_block *b = &d->blocks[i];
        switch (b->kind) {
        case DOC_HEADING: check_spans(f, errs, b, 1, "heading"); break;
        case DOC_PARAGRAPH: check_spans(f, errs, b, 0, "paragraph"); break;
        case DOC_LIST_ITEM:
            check_spans(f, errs, b, 0, "list item");
            check(f, errs, FONTS_REGULAR, b->as.item.marker, "list marker");
            break;
        case DOC_BADGE: check_spans(f, errs, b, 1, "badge"); break;
        case DOC_FIGURE:
            if (!b->as.figure.chart)
                check(f, errs, FONTS_BOLD, b->as.figure.title, "figure title");
            check(f, errs, FONTS_REGULAR, b->as.figure.alt, "figure caption");
            break;
        case DOC_TABLE: {
            const doc_table *t = &b->as.table;
            for (size_t r = 0; r < t->nrows; r++) {
                int header = r < t->nheader;
                int row_bold = header || (t->total_last && r + 1 == t->nrows);
                for (size_t k = 0; k < t->ncols; k++) {
                    const doc_cell *c = &t->cells[r * t->ncols + k];
                    const char *text = c->text ? c->text : "";
                    if (c->show_rag && !*text)
                        text = rp_rag_label(c->rag);
                    check(f, errs, row_bold || c->bold || c->show_rag
                                       ? FONTS_BOLD : FONTS_REGULAR,
                          text, "table cell");
                }
            }
            break;
        }
        case DOC_COVER: {
            const doc_cover *cv = &b->as.cover;
            check(f, errs, FONTS_BOLD, cv->authority, "cover");
            check(f, errs, FONTS_BOLD, cv->title, "cover");
            check(f, errs, FONTS_REGULAR, cv->period, "cover");
            check(f, errs, FONTS_BOLD, cv->committee, "cover");
            check(f, errs, FONTS_REGULAR, cv->meeting, "cover");
            check(f, errs, FONTS_BOLD, cv->badge_label && *cv->badge_label
                                           ? cv->badge_label
                                           : "Overall assessment", "cover");
            break;
        }
        default:
            break;
        }
    }
}

/* The contents entries' page numbers and link targets, once every page
 * is laid out. An entry reserves the room of "0000" for its number and
 * its dot leaders end there, so filling the number in moves nothing (a
 * second pass over the whole document did the same at twice the cost). */
static void contents_numbers(L *l)
{
    const document *d = l->d;
    layout_pages *o = l->out;
    /* the n-th level 1–2 heading is the n-th outline mark */
    long *idx = rp_xcalloc(d->nblocks ? d->nblocks : 1, sizeof *idx);
    long n = 0;
    for (size_t i = 0; i < d->nblocks; i++)
        idx[i] = d->blocks[i].kind == DOC_HEADING &&
                 d->blocks[i].as.heading.level <= 2 ? n++ : -1;
    for (size_t p = 0; p < o->npages; p++)
        for (size_t k = 0; k < o->pages[p].nboxes; k++) {
            layout_box *b = &o->pages[p].boxes[k];
            if ((b->part != TOC_ENTRY && b->part != TOC_NUMBER) ||
                b->kind != LAYOUT_TEXT || !b->block ||
                b->block < d->blocks || b->block >= d->blocks + d->nblocks ||
                b->block->kind != DOC_HEADING)
                continue;
            long i = idx[b->block - d->blocks];
            if (i < 0 || (size_t)i >= o->nmarks)
                continue;
            size_t target = o->marks[i].page;
            b->link_page = (int)target + 1;
            if (b->part != TOC_NUMBER)
                continue;
            const char *num = keep_str(o, rp_xasprintf("%zu", target + 1));
            double right = b->x + b->w;
            b->text = num;
            b->w = fonts_width(l->f, b->face, b->size, num);
            b->x = right - b->w;
        }
    free(idx);
}

int layout_paginate(const document *d, const pack_template *t, fonts *fonts,
                layout_pages *out, rp_errors *errs)
{
    memset(out, 0, sizeof *out);
    if (!d || !t || !fonts)
        return -1;
    layout_check_text(d, fonts, errs);
    L l = { .d = d, .t = t, .pal = &t->palette, .f = fonts, .out = out,
            .errs = errs };
    run(&l);
    free(l.ft_marked);
    if (l.stopped) {
        free(l.cover);
        return -1;
    }
    contents_numbers(&l);
    free(l.cover);
    return 0;
}

void layout_pages_free(layout_pages *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->npages; i++)
        free(p->pages[i].boxes);
    free(p->pages);
    free(p->marks);
    for (size_t i = 0; i < p->nstrings; i++)
        free(p->strings[i]);
    free(p->strings);
    memset(p, 0, sizeof *p);
}
