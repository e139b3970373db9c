/* layout.h — paginate the document (document.h) into pages of positioned
 * boxes that renderers walk. Coordinates are points with y measured DOWN
 * from the top of the page; renderers flip as they need. */
#ifndef RAGPACK_LAYOUT_H
#define RAGPACK_LAYOUT_H

#include "document.h"
#include "fonts.h"

/* ---- the paginated result (what renderers walk) ---------------------- */
typedef enum {
    LAYOUT_TEXT = 1,      /* a single line of text at baseline (x, y) */
    LAYOUT_RECT,          /* filled rectangle */
    LAYOUT_RULE,          /* horizontal/vertical line, width = w or h */
    LAYOUT_RAGMARK,       /* RAG shape (■ ▲ ● ○) centred in the box */
    LAYOUT_DIRMARK,       /* direction arrow centred in the box */
    LAYOUT_FIGURE,        /* chart drawn into the box */
    LAYOUT_SPARK          /* sparkline drawn into the box */
} layout_box_kind;

/* Structural role, kept for the tagged-PDF and HTML renderers. */
typedef enum {
    ROLE_NONE = 0, ROLE_ARTIFACT, ROLE_H1, ROLE_H2, ROLE_H3, ROLE_P,
    ROLE_TH, ROLE_TD, ROLE_FIGURE, ROLE_CAPTION, ROLE_TOC,
    ROLE_LI,                /* a list item's body text (block: its item) */
    ROLE_LBL                /* a list item's marker ("•", "3.") */
} layout_role;

typedef struct layout_box {
    layout_box_kind kind;
    layout_role role;
    double x, y, w, h;      /* TEXT: (x, y) is the baseline start */
    const char *text;       /* borrowed from the doc (or layout_pages strings) */
    fonts_face face;
    double size;
    template_rgb color;
    double radius;          /* RECT: rounded corners of this radius (0 square) */
    double line;            /* RECT: width of an outline stroked inside the
                               edge in `outline` (0: none), for a RAG fill
                               with less than 3:1 against the page */
    template_rgb outline;
    rp_rag rag;             /* RAGMARK: the rating whose shape is drawn */
    rp_direction dir;       /* DIRMARK: the arrow drawn */
    const doc_block *block;  /* owning block */
    const struct chart *chart;
    int link_page;          /* TEXT in contents: target page index + 1 */
    const char *href;       /* TEXT of a link: its URI (borrowed from the
                               doc's span), for an annotation / tagged Link */
    /* Where the box sits in its block, for the structure of tagged PDF:
     * table cells by row and column (row counts header rows too); cover
     * lines by part (one per line group; in a contents entry, part tells
     * layout its page number from its other boxes); repeat marks header rows
     * repeated on a continued page (and the "(continued)" line), which
     * are pagination artifacts, not content. */
    int row, col, part, repeat;
} layout_box;

typedef struct layout_page {
    layout_box *boxes; size_t nboxes, cap;
} layout_page;

typedef struct layout_mark {          /* outline / contents entry */
    const char *title;
    int level;
    size_t page;                  /* 0-based page index */
    double y;                     /* top of the heading */
} layout_mark;

typedef struct layout_pages {
    double page_w, page_h;
    layout_page *pages; size_t npages;
    layout_mark *marks; size_t nmarks;
    char **strings; size_t nstrings, scap;  /* strings made during layout */
} layout_pages;

/* Paginate the doc with the template's page, type scale and palette.
 * Paragraphs wrap on word boundaries (long words break by code point);
 * tables break between rows and repeat header rows with "(continued)";
 * a heading is never the last thing on a page; figures never split but
 * may shrink (see doc_figure.min_height) to stay with what precedes them;
 * a paragraph never leaves one line alone at the foot or the head of a
 * page (paragraphs of up to three lines move whole); a total row never
 * starts a page alone; a keep_with_prev block goes with the end of the
 * block before it.
 * Adds running header and footer "Page X of Y" to every page but the
 * cover. Warns about characters missing from the fonts first
 * (layout_check_text). Returns 0 or -1. */
int layout_paginate(const document *d, const pack_template *t, fonts *fonts,
                layout_pages *out, rp_errors *errs);
/* Warns (fonts_check_text) about every character of the document's text
 * that its face of the fonts lacks, naming the block it is in ("table
 * cell \"Sch\u00f6n…\""): what layout_paginate reports, without laying
 * out a page (ragpack check). Each code point once per fonts. */
void layout_check_text(const document *d, fonts *fonts, rp_errors *errs);
void layout_pages_free(layout_pages *p);

#endif
