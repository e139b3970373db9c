/* document.h — the pack as a tree of typed blocks (heading with level,
 * paragraph, table with header rows, figure with its chart and alt text,
 * page break, contents, cover, badge), built by compose and paginated by
 * layout. Each block carries only its own kind's fields (a tagged union),
 * so every walker (layout now; tagged PDF and HTML later) switches on the
 * kind. The document owns everything in it, charts included. */
#ifndef RAGPACK_DOCUMENT_H
#define RAGPACK_DOCUMENT_H

#include "base.h"
#include "chart.h"
#include "template.h"

/* ---- the block tree (what compose builds) -------------------------------- */
typedef enum {
    DOC_HEADING = 1,   /* level 1..3; level 1 and 2 go to contents + outline */
    DOC_PARAGRAPH,     /* spans; wraps on word boundaries */
    DOC_TABLE,         /* header rows repeat on every page it spans */
    DOC_FIGURE,        /* a chart: never split, kept with its heading */
    DOC_PAGE_BREAK,
    DOC_CONTENTS,      /* contents list with page numbers, filled by layout */
    DOC_COVER,         /* cover page: authority, title, period, badge */
    DOC_BADGE,         /* a labelled RAG badge ("Overall: Amber") inline */
    DOC_LIST_ITEM      /* one item of a bulleted or numbered list: spans
                          like a paragraph, with a marker (tagged L/LI) */
} doc_block_kind;

typedef enum { DOC_LEFT = 0, DOC_RIGHT, DOC_CENTER } doc_align;

typedef struct doc_span {
    char *text;
    int bold;
    int emph;               /* Markdown *emphasis*: drawn bold (the pack's
                               fonts have no italic, and GOV.UK style avoids
                               italics); tagged renderers can say Em */
    char *href;             /* a link's target (owned), or NULL: drawn in
                               the accent colour with a URI annotation */
} doc_span;

/* A table cell. With show_rag the cell is a RAG mark: fill colour, shape
 * and word for rag (RP_RAG_NONE reads "Not rated"). A dir other than
 * RP_DIR_NONE draws its arrow before the word in text. */
typedef struct doc_cell {
    char *text;
    doc_align align;
    int bold;
    int show_rag;
    rp_rag rag;
    rp_direction dir;
    int footnote;           /* > 0: superscript-like marker "[n]" appended */
    chart *spark;           /* optional sparkline drawn in the cell (owned) */
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
    chart *chart;           /* owned; drawn by the renderers */
} doc_figure;

typedef struct doc_cover {
    char *authority, *title, *period, *committee, *meeting;
    char *badge_label;      /* "Overall assessment" */
    rp_rag badge_rag;
} doc_cover;

typedef struct doc_heading {
    int level;              /* 1..3; 1 and 2 go to contents and outline */
    char *anchor;           /* id for contents and outline, or NULL */
    int flow;               /* level 1 only: 1 = flows on from what came
                               before instead of starting a new page */
} doc_heading;

/* One list item. Items with the same list id in a row form one list
 * (tagged L); nested lists have a deeper level and their own id. */
typedef struct doc_list_item {
    int list;               /* list id, unique within the document, > 0 */
    int level;              /* 1 = outermost */
    int ordered;            /* 1: numbered */
    int number;             /* ordered: this item's number */
    char *marker;           /* "•" or "3." (owned): tagged Lbl */
} doc_list_item;

typedef struct doc_block {
    doc_block_kind kind;
    doc_span *spans; size_t nspans;     /* the words of a heading, paragraph
                                           or badge; none for other kinds */
    int keep_with_prev;     /* never separated from the end of the block
                             * before it (a table's notes go with at least
                             * its last row) */
    union {
        doc_heading heading;                    /* DOC_HEADING */
        struct { int small; } paragraph;        /* DOC_PARAGRAPH: small =
                                                   notes in the small size */
        doc_table table;                        /* DOC_TABLE */
        doc_figure figure;                      /* DOC_FIGURE */
        doc_cover cover;                        /* DOC_COVER */
        struct { rp_rag rag; } badge;           /* DOC_BADGE */
        doc_list_item item;                     /* DOC_LIST_ITEM */
    } as;
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
/* A span with emphasis and/or a link target (href may be NULL). */
doc_span *doc_span_add_ex(doc_block *b, const char *text, int bold, int emph,
                          const char *href);
/* A list item (no spans yet); marker copied. */
doc_block *doc_add_list_item(document *d, int list, int level, int ordered,
                             int number, const char *marker);
doc_block *doc_add_table(document *d, size_t ncols, const double *widths,
                       size_t nheader);
/* Appends a row; returns its first cell (ncols cells, zeroed). */
doc_cell *doc_table_add_row(doc_block *table);
void doc_cell_set(doc_cell *c, const char *text, doc_align align);
doc_block *doc_add_figure(document *d, const char *id, const char *title,
                        const char *alt, double height,
                        chart *chart /* owned */);
doc_block *doc_add_page_break(document *d);
doc_block *doc_add_contents(document *d);
doc_block *doc_add_cover(document *d);
doc_block *doc_add_badge(document *d, rp_rag rag, const char *text);
void doc_set_text(char **field, const char *text);   /* replace a string */
/* The words of a heading, paragraph or badge, spans joined (caller frees). */
char *doc_block_text(const doc_block *b);

/* ---- reading the tree (renderers: tagged PDF, HTML) ---------------------- */

/* Whether cell (row, col) heads its row: the first column of a body row in
 * a table with header rows and more than one column (the measure or
 * service area the row is about). Header rows head their columns. */
int doc_table_row_header(const doc_table *t, size_t row, size_t col);
/* The level each heading block has in the structure (tagged PDF, HTML):
 * its level, but never more than one below the heading before it, so the
 * outline skips no level (a breakdown's level-3 heading straight under a
 * section's level 1 reads as level 2); 0 for a block that is no heading.
 * One pass: an array of d->nblocks levels (owned; at least one entry). */
int *doc_outline_levels(const document *d);
/* The alternative text of a figure, from the data: "Chart: <title>. <what
 * the caption says> Values: <category> <value>; …" (the key values of the
 * main series, with the target where there is one). Caller frees. */
char *doc_figure_alt(const doc_figure *f);

#endif
