/* layout.h — layout. A pack is a tree of typed blocks (heading with level,
 * paragraph, table with header rows, figure with alt text, page breaks,
 * contents, cover) built by compose and then paginated here into pages of
 * positioned boxes that renderers (PDF now; tagged PDF and HTML later)
 * walk. No drawing happens outside a renderer.
 *
 * Coordinates in layout_page boxes are points with y measured DOWN from the top
 * of the page; renderers flip as they need. */
#ifndef RAGPACK_DOCUMENT_H
#define RAGPACK_DOCUMENT_H

#include "base.h"
#include "template.h"

struct chart;           /* charts (chart.h); a figure block may carry one */

/* ---- the block tree (what compose builds) -------------------------------- */
typedef enum {
    DOC_HEADING = 1,   /* level 1..3; level 1 and 2 go to contents + outline */
    DOC_PARAGRAPH,     /* spans; wraps on word boundaries */
    DOC_TABLE,         /* header rows repeat on every page it spans */
    DOC_FIGURE,        /* a chart: never split, kept with its heading */
    DOC_PAGE_BREAK,
    DOC_CONTENTS,      /* contents list with page numbers, filled by layout */
    DOC_COVER,         /* cover page: authority, title, period, badge */
    DOC_BADGE          /* a labelled RAG badge ("Overall: Amber") inline */
} doc_block_kind;

typedef enum { DOC_LEFT = 0, DOC_RIGHT, DOC_CENTER } doc_align;

typedef struct doc_span {
    char *text;
    int bold;
} doc_span;

/* A table cell. rag > 0 draws a RAG mark: fill colour + shape symbol +
 * word (rp_rag values: 1 green, 2 amber, 3 red; 4 = not rated). dir > 0
 * draws a direction mark (rp_direction: 1 better, 2 same, 3 worse) before the
 * word in text. */
typedef struct doc_cell {
    char *text;
    doc_align align;
    int bold;
    int rag;
    int dir;
    int footnote;           /* > 0: superscript-like marker "[n]" appended */
    struct chart *spark; /* optional sparkline drawn in the cell (owned) */
} doc_cell;

typedef struct doc_table {
    size_t ncols;
    double *widths;         /* relative column widths, ncols entries */
    size_t nheader;         /* leading rows that are header rows */
    size_t nrows;           /* including header rows */
    doc_cell *cells;         /* nrows × ncols, row-major */
    int total_last;         /* last row is a total: bold with a rule above */
    char *summary;          /* one sentence for screen readers (later PDF/UA) */
} doc_table;

typedef struct doc_figure {
    char *id;               /* "ehcp-annual" */
    char *title;            /* chart title */
    char *alt;              /* one sentence from the data: caption + alt text */
    double height;          /* points, for the drawing area */
    double min_height;      /* layout may shrink the drawing area towards
                             * this (never below 75% of height) to keep
                             * the figure on the page; 0 = 75% of height */
    struct chart *chart; /* owned; drawn by the renderer via chart */
} doc_figure;

typedef struct doc_cover {
    char *authority, *title, *period, *committee, *meeting;
    char *badge_label;      /* "Overall assessment" */
    int badge_rag;          /* rp_rag value, 4 = not rated */
} doc_cover;

typedef struct doc_block {
    doc_block_kind kind;
    int level;              /* headings */
    char *anchor;           /* headings: id for contents/outline */
    doc_span *spans; size_t nspans;      /* heading / paragraph / badge */
    int badge_rag;          /* DOC_BADGE */
    int small;              /* paragraph in the small size (notes) */
    int keep_with_prev;     /* never separated from the end of the block
                             * before it (a table's notes go with at least
                             * its last row) */
    doc_table table;
    doc_figure figure;
    doc_cover cover;
} doc_block;

typedef struct document {
    doc_block *blocks; size_t nblocks, cap;
    /* running header/footer and document info */
    char *header_text;      /* "Authority · Title · Period" */
    char *footer_text;      /* "Committee, meeting date" (Page X of Y added) */
    char *title, *author, *subject, *keywords;
} document;

document *doc_create(void);
void doc_destroy(document *d);

/* Builders: each appends a block and returns it for further filling. All
 * strings are copied. */
doc_block *doc_add_heading(document *d, int level, const char *anchor,
                         const char *text);
doc_block *doc_add_paragraph(document *d, const char *text);
void doc_span_add(doc_block *b, const char *text, int bold);
doc_block *doc_add_table(document *d, size_t ncols, const double *widths,
                       size_t nheader);
/* Appends a row; returns its first cell (ncols cells, zeroed). */
doc_cell *doc_table_add_row(doc_block *table);
void doc_cell_set(doc_cell *c, const char *text, doc_align align);
doc_block *doc_add_figure(document *d, const char *id, const char *title,
                        const char *alt, double height,
                        struct chart *chart /* owned */);
doc_block *doc_add_page_break(document *d);
doc_block *doc_add_contents(document *d);
doc_block *doc_add_cover(document *d);
doc_block *doc_add_badge(document *d, int rag, const char *text);
void doc_set_text(char **field, const char *text);   /* replace a string */

#endif
