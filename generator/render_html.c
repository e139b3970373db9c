/* render_html.c — the HTML twin of a pack: one self-contained file (CSS
 * inline, no scripts) from the same document tree the PDF is laid out
 * from, so the two always say the same thing. Headings keep their order
 * one level down (the pack title is the one h1), the contents list links
 * to the sections, tables have a caption and th scope, RAG ratings are
 * words (the shape beside them is hidden from screen readers), charts are
 * inline SVG with real text, role="img", <title> and <desc> (the PDF's
 * /Alt). Colours come from the template, whose contrast is checked on
 * load. */
#include "render_html.h"

#include <stdlib.h>
#include <string.h>

static void esc(rp_buf *b, const char *s) { rp_buf_xml(b, s); }

/* open, the text escaped, close: "<h1>", title, "</h1>\n" */
static void wrap_esc(rp_buf *b, const char *open, const char *s,
                     const char *close)
{
    rp_buf_puts(b, open);
    esc(b, s);
    rp_buf_puts(b, close);
}

static void colour(rp_buf *b, template_rgb c)
{
    char h[8];
    rp_buf_puts(b, template_hex(c, h));
}

static void spans(rp_buf *b, const doc_block *bl)
{
    for (size_t i = 0; i < bl->nspans; i++) {
        const doc_span *sp = &bl->spans[i];
        if (sp->href) {
            wrap_esc(b, "<a href=\"", sp->href, "\">");
        }
        if (sp->bold)
            rp_buf_puts(b, "<strong>");
        if (sp->emph)
            rp_buf_puts(b, "<em>");
        esc(b, sp->text);
        if (sp->emph)
            rp_buf_puts(b, "</em>");
        if (sp->bold)
            rp_buf_puts(b, "</strong>");
        if (sp->href)
            rp_buf_puts(b, "</a>");
    }
}

/* Open lists while walking list items (text sections): nested lists sit
 * inside their parent item, as HTML wants. */
typedef struct html_lists {
    struct { int list, level, ordered; } s[16];
    int n;
} html_lists;

static void lists_close_to(rp_buf *b, html_lists *L, int level)
{
    while (L->n > 0 && L->s[L->n - 1].level > level) {
        L->n--;
        rp_buf_puts(b, L->s[L->n].ordered ? "</li></ol>\n" : "</li></ul>\n");
    }
}

static void list_item(rp_buf *b, html_lists *L, const doc_block *bl)
{
    const doc_list_item *it = &bl->as.item;
    lists_close_to(b, L, it->level);
    if (L->n > 0 && L->s[L->n - 1].level == it->level &&
        L->s[L->n - 1].list != it->list)
        lists_close_to(b, L, it->level - 1);
    if (L->n > 0 && L->s[L->n - 1].list == it->list) {
        if (it->marker && *it->marker)
            rp_buf_puts(b, "</li>\n<li>");   /* next item */
        else
            rp_buf_puts(b, "<br>");          /* a further paragraph */
    } else if (L->n < 16) {
        L->s[L->n].list = it->list;
        L->s[L->n].level = it->level;
        L->s[L->n].ordered = it->ordered;
        L->n++;
        if (it->ordered)
            rp_buf_printf(b, "<ol start=\"%d\"><li>", it->number);
        else
            rp_buf_puts(b, "<ul><li>");
    }
    spans(b, bl);
}

static char *anchor_of(const doc_block *bl, size_t i)
{
    const char *a = bl->as.heading.anchor;
    if (a && *a)
        return rp_xasprintf("%s", a);
    return rp_xasprintf("section-%zu", i);
}

static const char *rag_class(rp_rag r)
{
    switch (r) {
    case RP_RAG_RED: return "red";
    case RP_RAG_AMBER: return "amber";
    case RP_RAG_GREEN: return "green";
    default: return "none";
    }
}

/* The shape (■ ▲ ● ○) for sighted readers; the word carries the rating. */
static const char *rag_shape(rp_rag r)
{
    switch (r) {
    case RP_RAG_RED: return "\xE2\x96\xA0";
    case RP_RAG_AMBER: return "\xE2\x96\xB2";
    case RP_RAG_GREEN: return "\xE2\x97\x8F";
    default: return "\xE2\x97\x8B";
    }
}

static const char *dir_arrow(rp_direction d)
{
    return d == RP_DIR_IMPROVING ? "\xE2\x86\x91"
         : d == RP_DIR_WORSENING ? "\xE2\x86\x93" : "\xE2\x86\x92";
}

static void badge(rp_buf *b, rp_rag r)
{
    rp_buf_printf(b, "<span class=\"rag rag-%s\"><span aria-hidden=\"true\">"
                  "%s</span> %s</span>", rag_class(r), rag_shape(r),
                  rp_rag_label(r));
}

/* The stylesheet, with palette colours named by key ("@text", "@red"…),
 * each written as the template's #RRGGBB. */
static const char css[] =
    "html{font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"
    "font-size:@bodypt;line-height:1.35;color:@text;background:#FFFFFF}\n"
    "body{margin:0 auto;max-width:48rem;padding:1rem 1.25rem}\n"
    "h1,h2,h3,h4{line-height:1.2;margin:1.6em 0 .5em}\n"
    "h1{font-size:2rem;color:@accent_dark}\n"
    "h2{font-size:1.6rem;color:@accent_dark;border-bottom:3px solid @accent;"
    "padding-bottom:.2em}\nh3{font-size:1.25rem}\n"
    "h4{font-size:1.05rem}\n"
    "a{color:@accent_dark}\na:focus{outline:3px solid #FFDD00;"
    "background:#FFDD00}\n"
    ".meta,.note,figcaption,.continued{color:@secondary}\n"
    ".note{font-size:.85rem}\n"
    "table{border-collapse:collapse;width:100%;margin:1em 0;"
    "font-size:.92rem}\n"
    "caption{text-align:left;font-weight:bold;padding:.3em 0}\n"
    "th,td{padding:.3em .4em;vertical-align:top;text-align:left;"
    "border-bottom:1px solid @rule}\n"
    "thead th{background:@fill;border-bottom:2px solid @secondary}\n"
    "tbody th{font-weight:normal}\n"
    ".num{text-align:right;font-variant-numeric:tabular-nums}\n"
    "tr.total th,tr.total td{font-weight:bold;border-top:2px solid @text}\n"
    ".rag{display:inline-block;padding:.1em .45em;"
    "border-radius:.3em;font-weight:bold;border:1px solid @badge_outline}\n"
    ".rag-red{background:@red;color:#FFFFFF}\n"
    ".rag-green{background:@green;color:#FFFFFF}\n"
    ".rag-amber{background:@amber;color:@amber_text}\n"
    ".rag-none{background:@none;color:@text}\n"
    ".spark{display:block;width:4rem;height:1rem}\n"
    "figure{margin:1.2em 0}\nfigure svg{width:100%;height:auto}\n"
    "nav ol{padding-left:1.2em}\nnav li{margin:.2em 0}\n"
    "header.cover{border-top:8px solid @accent;padding-top:1em}\n"
    "@media print{body{max-width:none;padding:0}"
    "h2{break-before:page}h2,h3,h4{break-after:avoid}"
    "figure,tr{break-inside:avoid}thead{display:table-header-group}"
    "a{color:inherit;text-decoration:none}}\n";

static void style(rp_buf *b, const pack_template *t)
{
    const template_palette *p = &t->palette;
    const struct { const char *key; template_rgb c; } named[] = {
        { "text", p->text }, { "secondary", p->secondary },
        { "rule", p->rule }, { "fill", p->fill }, { "accent_dark", p->accent_dark },
        { "accent", p->accent }, { "badge_outline", p->badge_outline },
        { "red", p->red }, { "green", p->green }, { "amber_text", p->amber_text },
        { "amber", p->amber }, { "none", p->none },
    };
    rp_buf_puts(b, "<style>\n");
    for (const char *c = css; *c; c++) {
        if (*c != '@') {
            rp_buf_add(b, c, 1);
            continue;
        }
        if (!strncmp(c + 1, "bodypt", 6)) {
            rp_buf_printf(b, "%.1fpt", t->body_size > 0 ? t->body_size : 12);
            c += 6;
            continue;
        }
        size_t k = 0, n = sizeof named / sizeof named[0];
        /* the longest key that matches: "amber_text" before "amber" */
        while (k < n && strncmp(c + 1, named[k].key, strlen(named[k].key)))
            k++;
        if (k == n) {           /* "@media": not a colour */
            rp_buf_add(b, c, 1);
            continue;
        }
        colour(b, named[k].c);
        c += strlen(named[k].key);
    }
    rp_buf_puts(b, "</style>\n");
}

static void table(rp_buf *b, const doc_block *bl)
{
    const doc_table *t = &bl->as.table;
    rp_buf_puts(b, "<table>\n");
    if (t->summary && *t->summary) {
        wrap_esc(b, "<caption>", t->summary, "</caption>\n");
    }
    for (size_t r = 0; r < t->nrows; r++) {
        int head = r < t->nheader;
        if (r == 0 && head)
            rp_buf_puts(b, "<thead>\n");
        if (r == t->nheader)
            rp_buf_puts(b, "<tbody>\n");
        int total = t->total_last && r + 1 == t->nrows && !head;
        rp_buf_puts(b, total ? "<tr class=\"total\">" : "<tr>");
        for (size_t k = 0; k < t->ncols; k++) {
            const doc_cell *c = &t->cells[r * t->ncols + k];
            int th = head || doc_table_row_header(t, r, k);
            const char *tag = th ? "th" : "td";
            rp_buf_printf(b, "<%s", tag);
            if (th)
                rp_buf_printf(b, " scope=\"%s\"", head ? "col" : "row");
            if (c->align == DOC_RIGHT)
                rp_buf_puts(b, " class=\"num\"");
            rp_buf_puts(b, ">");
            if (c->show_rag) {
                badge(b, c->rag);
            } else {
                if (c->dir != RP_DIR_NONE)
                    rp_buf_printf(b, "<span aria-hidden=\"true\">%s</span> ",
                                  dir_arrow(c->dir));
                if (c->bold && !th)
                    rp_buf_puts(b, "<strong>");
                esc(b, c->text);
                if (c->bold && !th)
                    rp_buf_puts(b, "</strong>");
            }
            if (c->footnote > 0)
                rp_buf_printf(b, " <sup>[%d]</sup>", c->footnote);
            rp_buf_printf(b, "</%s>", tag);
        }
        rp_buf_puts(b, "</tr>\n");
        if (head && r + 1 == t->nheader)
            rp_buf_puts(b, "</thead>\n");
    }
    if (t->nrows > t->nheader)
        rp_buf_puts(b, "</tbody>\n");
    rp_buf_puts(b, "</table>\n");
}

static void figure(rp_buf *b, const doc_block *bl, const pack_template *t,
                   fonts *fonts, size_t i)
{
    const doc_figure *f = &bl->as.figure;
    rp_buf_puts(b, "<figure>\n");
    if (f->chart) {
        double w = t->page_w - t->margin_left - t->margin_right;
        double h = f->height > 0 ? f->height : 200;
        char *id = rp_xasprintf("fig%zu", i);
        char *alt = doc_figure_alt(f);
        char *svg = chart_svg(f->chart, t, fonts, w, h, id,
                              f->title ? f->title : "Chart", alt, 0);
        rp_buf_puts(b, svg);
        free(svg);
        free(alt);
        free(id);
    }
    if (f->alt && *f->alt) {
        wrap_esc(b, "<figcaption>", f->alt, "</figcaption>\n");
    }
    rp_buf_puts(b, "</figure>\n");
}

static void contents(rp_buf *b, const document *d)
{
    rp_buf_puts(b, "<nav aria-labelledby=\"pack-contents\">\n"
                   "<h2 id=\"pack-contents\">Contents</h2>\n<ol>\n");
    int open2 = 0, any1 = 0;
    for (size_t i = 0; i < d->nblocks; i++) {
        const doc_block *h = &d->blocks[i];
        if (h->kind != DOC_HEADING || h->as.heading.level > 2)
            continue;
        int lv = h->as.heading.level;
        if (lv <= 1) {
            if (open2)
                rp_buf_puts(b, "</ol>");
            if (any1)
                rp_buf_puts(b, "</li>\n");
            open2 = 0;
            any1 = 1;
        } else if (!open2 && any1) {
            rp_buf_puts(b, "\n<ol>\n");
            open2 = 1;
        }
        char *a = anchor_of(h, i);
        rp_buf_printf(b, "<li><a href=\"#%s\">", a);
        free(a);
        spans(b, h);
        rp_buf_puts(b, "</a>");
        if (lv > 1 && any1)
            rp_buf_puts(b, "</li>\n");
        else if (lv > 1)
            rp_buf_puts(b, "</li>\n");
    }
    if (open2)
        rp_buf_puts(b, "</ol>");
    if (any1)
        rp_buf_puts(b, "</li>\n");
    rp_buf_puts(b, "</ol>\n</nav>\n");
}

char *render_html(const document *d, const pack_template *t, fonts *fonts)
{
    rp_buf b;
    rp_buf_init(&b);
    const char *lang = t->lang && *t->lang ? t->lang : "en-GB";
    rp_buf_printf(&b, "<!DOCTYPE html>\n<html lang=\"");
    esc(&b, lang);
    rp_buf_puts(&b, "\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, "
                "initial-scale=1\">\n<title>");
    esc(&b, d->header_text && *d->header_text ? d->header_text : d->title);
    rp_buf_puts(&b, "</title>\n");
    if (d->author && *d->author) {
        wrap_esc(&b, "<meta name=\"author\" content=\"", d->author, "\">\n");
    }
    style(&b, t);
    rp_buf_puts(&b, "</head>\n<body>\n");
    int *levels = doc_outline_levels(d);
    /* The one h1: the cover's title, else the document's. */
    int has_cover = 0;
    for (size_t i = 0; i < d->nblocks; i++)
        has_cover |= d->blocks[i].kind == DOC_COVER;
    if (!has_cover) {
        wrap_esc(&b, "<header class=\"cover\">\n<h1>", d->title, "</h1>\n");
        if (d->header_text && *d->header_text) {
            wrap_esc(&b, "<p class=\"meta\">", d->header_text, "</p>\n");
        }
        rp_buf_puts(&b, "</header>\n");
    }
    rp_buf_puts(&b, "<main>\n");
    html_lists lists = { .n = 0 };
    for (size_t i = 0; i < d->nblocks; i++) {
        const doc_block *bl = &d->blocks[i];
        if (bl->kind != DOC_LIST_ITEM)
            lists_close_to(&b, &lists, 0);
        switch (bl->kind) {
        case DOC_LIST_ITEM:
            list_item(&b, &lists, bl);
            break;
        case DOC_COVER: {
            const doc_cover *c = &bl->as.cover;
            rp_buf_puts(&b, "<header class=\"cover\">\n");
            if (c->authority && *c->authority) {
                wrap_esc(&b, "<p><strong>", c->authority, "</strong></p>\n");
            }
            wrap_esc(&b, "<h1>", c->title && *c->title ? c->title : d->title, "</h1>\n");
            const char *lines[3] = { c->period, c->committee, c->meeting };
            for (int k = 0; k < 3; k++)
                if (lines[k] && *lines[k]) {
                    wrap_esc(&b, "<p class=\"meta\">", lines[k], "</p>\n");
                }
            wrap_esc(&b, "<p><strong>", c->badge_label && *c->badge_label ? c->badge_label
                                                      : "Overall assessment", ":</strong> ");
            badge(&b, c->badge_rag);
            rp_buf_puts(&b, "</p>\n</header>\n");
            break;
        }
        case DOC_CONTENTS:
            contents(&b, d);
            break;
        case DOC_HEADING: {
            int lv = levels[i];
            char *a = anchor_of(bl, i);
            rp_buf_printf(&b, "<h%d id=\"%s\">", lv + 1, a);
            free(a);
            spans(&b, bl);
            rp_buf_printf(&b, "</h%d>\n", lv + 1);
            break;
        }
        case DOC_PARAGRAPH:
            rp_buf_puts(&b, bl->as.paragraph.small ? "<p class=\"note\">"
                                                  : "<p>");
            spans(&b, bl);
            rp_buf_puts(&b, "</p>\n");
            break;
        case DOC_BADGE:
            rp_buf_puts(&b, "<p><strong>");
            spans(&b, bl);
            rp_buf_puts(&b, ":</strong> ");
            badge(&b, bl->as.badge.rag);
            rp_buf_puts(&b, "</p>\n");
            break;
        case DOC_TABLE:
            table(&b, bl);
            break;
        case DOC_FIGURE:
            figure(&b, bl, t, fonts, i);
            break;
        default:
            break;
        }
    }
    lists_close_to(&b, &lists, 0);
    rp_buf_puts(&b, "</main>\n");
    if (d->footer_text && *d->footer_text) {
        wrap_esc(&b, "<footer><p class=\"meta\">", d->footer_text, "</p></footer>\n");
    }
    rp_buf_puts(&b, "</body>\n</html>\n");
    free(levels);
    return b.s;
}

int render_html_write(const document *d, const pack_template *t,
                      fonts *fonts, const char *path, rp_errors *errs)
{
    if (!d || !t || !path)
        return -1;
    char *html = render_html(d, t, fonts);
    rp_atomic a;
    if (rp_atomic_open(&a, path, errs) != 0) {
        free(html);
        return -1;
    }
    int ok = fputs(html, a.f) >= 0;
    free(html);
    if (!ok)
        rp_err(errs, path, 0, NULL, "cannot write the HTML");
    return rp_atomic_commit(&a, ok, errs);
}
