/* ly.h — layout. A pack is a tree of typed blocks (heading with level,
 * paragraph, table with header rows, figure with alt text, page breaks,
 * contents, cover) built by pk and then paginated here into pages of
 * positioned boxes that renderers (PDF now; tagged PDF and HTML later)
 * walk. No drawing happens outside a renderer.
 *
 * Coordinates in ly_page boxes are points with y measured DOWN from the top
 * of the page; renderers flip as they need. */
#ifndef LY_H
#define LY_H

#include "rp.h"
#include "tp.h"
#include "fm.h"

struct ch_chart;           /* charts (ch.h); a figure block may carry one */

/* ---- the block tree (what pk builds) -------------------------------- */
typedef enum {
    LY_B_HEADING = 1,   /* level 1..3; level 1 and 2 go to contents + outline */
    LY_B_PARAGRAPH,     /* spans; wraps on word boundaries */
    LY_B_TABLE,         /* header rows repeat on every page it spans */
    LY_B_FIGURE,        /* a chart: never split, kept with its heading */
    LY_B_PAGE_BREAK,
    LY_B_CONTENTS,      /* contents list with page numbers, filled by ly */
    LY_B_COVER,         /* cover page: authority, title, period, badge */
    LY_B_BADGE          /* a labelled RAG badge ("Overall: Amber") inline */
} ly_block_kind;

typedef enum { LY_LEFT = 0, LY_RIGHT, LY_CENTER } ly_align;

typedef struct ly_span {
    char *text;
    int bold;
} ly_span;

/* A table cell. rag > 0 draws a RAG mark: fill colour + shape symbol +
 * word (cp_rag values: 1 green, 2 amber, 3 red; 4 = not rated). dir > 0
 * draws a direction mark (cp_dir: 1 better, 2 same, 3 worse) before the
 * word in text. */
typedef struct ly_cell {
    char *text;
    ly_align align;
    int bold;
    int rag;
    int dir;
    int footnote;           /* > 0: superscript-like marker "[n]" appended */
    struct ch_chart *spark; /* optional sparkline drawn in the cell (owned) */
} ly_cell;

typedef struct ly_table {
    size_t ncols;
    double *widths;         /* relative column widths, ncols entries */
    size_t nheader;         /* leading rows that are header rows */
    size_t nrows;           /* including header rows */
    ly_cell *cells;         /* nrows × ncols, row-major */
    int total_last;         /* last row is a total: bold with a rule above */
    char *summary;          /* one sentence for screen readers (later PDF/UA) */
} ly_table;

typedef struct ly_figure {
    char *id;               /* "ehcp-annual" */
    char *title;            /* chart title */
    char *alt;              /* one sentence from the data: caption + alt text */
    double height;          /* points, for the drawing area */
    double min_height;      /* layout may shrink the drawing area towards
                             * this (never below 75% of height) to keep
                             * the figure on the page; 0 = 75% of height */
    struct ch_chart *chart; /* owned; drawn by the renderer via ch */
} ly_figure;

typedef struct ly_cover {
    char *authority, *title, *period, *committee, *meeting;
    char *badge_label;      /* "Overall assessment" */
    int badge_rag;          /* cp_rag value, 4 = not rated */
} ly_cover;

typedef struct ly_block {
    ly_block_kind kind;
    int level;              /* headings */
    char *anchor;           /* headings: id for contents/outline */
    ly_span *spans; size_t nspans;      /* heading / paragraph / badge */
    int badge_rag;          /* LY_B_BADGE */
    int small;              /* paragraph in the small size (notes) */
    int keep_with_prev;     /* never separated from the end of the block
                             * before it (a table's notes go with at least
                             * its last row) */
    ly_table table;
    ly_figure figure;
    ly_cover cover;
} ly_block;

typedef struct ly_doc {
    ly_block *blocks; size_t nblocks, cap;
    /* running header/footer and document info */
    char *header_text;      /* "Authority · Title · Period" */
    char *footer_text;      /* "Committee, meeting date" (Page X of Y added) */
    char *title, *author, *subject, *keywords;
} ly_doc;

ly_doc *ly_doc_create(void);
void ly_doc_destroy(ly_doc *d);

/* Builders: each appends a block and returns it for further filling. All
 * strings are copied. */
ly_block *ly_add_heading(ly_doc *d, int level, const char *anchor,
                         const char *text);
ly_block *ly_add_paragraph(ly_doc *d, const char *text);
void ly_span_add(ly_block *b, const char *text, int bold);
ly_block *ly_add_table(ly_doc *d, size_t ncols, const double *widths,
                       size_t nheader);
/* Appends a row; returns its first cell (ncols cells, zeroed). */
ly_cell *ly_table_add_row(ly_block *table);
void ly_cell_set(ly_cell *c, const char *text, ly_align align);
ly_block *ly_add_figure(ly_doc *d, const char *id, const char *title,
                        const char *alt, double height,
                        struct ch_chart *chart /* owned */);
ly_block *ly_add_page_break(ly_doc *d);
ly_block *ly_add_contents(ly_doc *d);
ly_block *ly_add_cover(ly_doc *d);
ly_block *ly_add_badge(ly_doc *d, int rag, const char *text);
void ly_doc_set_text(char **field, const char *text);   /* replace a string */

/* ---- the paginated result (what renderers walk) ---------------------- */
typedef enum {
    LY_X_TEXT = 1,      /* a single line of text at baseline (x, y) */
    LY_X_RECT,          /* filled rectangle */
    LY_X_RULE,          /* horizontal/vertical line, width = w or h */
    LY_X_RAGMARK,       /* RAG shape (■ ▲ ● ○) centred in the box */
    LY_X_DIRMARK,       /* direction arrow centred in the box */
    LY_X_FIGURE,        /* chart drawn into the box */
    LY_X_SPARK          /* sparkline drawn into the box */
} ly_box_kind;

/* Structural role, kept for the tagged-PDF and HTML renderers. */
typedef enum {
    LY_R_NONE = 0, LY_R_ARTIFACT, LY_R_H1, LY_R_H2, LY_R_H3, LY_R_P,
    LY_R_TH, LY_R_TD, LY_R_FIGURE, LY_R_CAPTION, LY_R_TOC
} ly_role;

typedef struct ly_box {
    ly_box_kind kind;
    ly_role role;
    double x, y, w, h;      /* TEXT: (x, y) is the baseline start */
    const char *text;       /* borrowed from the doc (or ly_pages strings) */
    fm_face face;
    double size;
    tp_rgb color;
    int value;              /* RAGMARK: cp_rag; DIRMARK: cp_dir */
    const ly_block *block;  /* owning block */
    const struct ch_chart *chart;
    int link_page;          /* TEXT in contents: target page index + 1 */
} ly_box;

typedef struct ly_page {
    ly_box *boxes; size_t nboxes, cap;
} ly_page;

typedef struct ly_mark {          /* outline / contents entry */
    const char *title;
    int level;
    size_t page;                  /* 0-based page index */
    double y;                     /* top of the heading */
} ly_mark;

typedef struct ly_pages {
    double page_w, page_h;
    ly_page *pages; size_t npages;
    ly_mark *marks; size_t nmarks;
    char **strings; size_t nstrings, scap;  /* strings made during layout */
} ly_pages;

/* Paginate the doc with the template's page, type scale and palette.
 * Paragraphs wrap on word boundaries (long words break by code point);
 * tables break between rows and repeat header rows with "(continued)";
 * a heading is never the last thing on a page; figures never split but
 * may shrink (see ly_figure.min_height) to stay with what precedes them;
 * a paragraph never leaves one line alone at the foot or the head of a
 * page (paragraphs of up to three lines move whole); a total row never
 * starts a page alone; a keep_with_prev block goes with the end of the
 * block before it.
 * Adds running header and footer "Page X of Y" to every page but the
 * cover. Warns (via fm_check_text) about characters missing from the
 * fonts. Returns 0 or -1. */
int ly_paginate(const ly_doc *d, const tp_template *t, fm_fonts *fonts,
                ly_pages *out, rp_errors *errs);
void ly_pages_free(ly_pages *p);

#endif
