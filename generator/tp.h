/* tp.h — templates: a pack is defined in templates/<name>.yaml, not in code.
 * Read with libcyaml against a schema; errors carry file and line. */
#ifndef TP_H
#define TP_H

#include "rp.h"

typedef struct tp_rgb { double r, g, b; } tp_rgb;   /* 0..1 */

typedef struct tp_palette {
    tp_rgb text, secondary, rule, fill, accent, accent_dark, accent2, accent3;
    tp_rgb red, amber, green, none;     /* RAG fills */
    tp_rgb amber_text;                  /* text drawn on amber (dark) */
    tp_rgb series[6];                   /* chart series, colour-blind safe */
} tp_palette;

typedef enum {
    TP_SEC_COVER = 1, TP_SEC_CONTENTS, TP_SEC_SUMMARY, TP_SEC_FINANCE,
    TP_SEC_SERVICE_AREA, TP_SEC_TRENDS, TP_SEC_DATA_QUALITY
} tp_section_kind;

typedef struct tp_section {
    tp_section_kind kind;
    char *title;            /* heading; NULL = default for the kind */
    char *service_area;     /* TP_SEC_SERVICE_AREA: name; NULL = one
                               section per service area in data order */
    char **measures; size_t nmeasures;   /* TP_SEC_TRENDS: measure ids */
    int years;              /* TP_SEC_TRENDS: financial years (default 3) */
    long line;              /* template line, for error messages */
} tp_section;

typedef struct tp_template {
    char *path;
    /* page, in points (1 mm = 72/25.4 pt) */
    double page_w, page_h;                  /* A4 portrait default */
    double margin_top, margin_bottom, margin_left, margin_right;
    double body_size, body_leading;         /* 11 / 14 */
    double h1_size, h2_size, h3_size;       /* 20 / 15 / 12 */
    double small_size;                      /* furniture, 8.5 */
    char *font_regular, *font_bold;         /* file names under fonts dir */
    tp_palette palette;
    /* words on the cover and furniture */
    char *authority, *title, *committee, *meeting_date, *author, *subject;
    /* roll-up */
    int rollup;             /* cp_rollup_rule value */
    rp_num green_at, amber_at;
    int stale_quarters;
    tp_section *sections; size_t nsections;
} tp_template;

/* Read and validate a template. Unknown keys, wrong types, bad colours
 * ("#RRGGBB") and unknown section kinds are errors with file and line.
 * Returns 0, or -1 with errors added. */
int tp_template_load(const char *path, tp_template *t, rp_errors *errs);
void tp_template_free(tp_template *t);
/* Defaults only (what a template that sets nothing gets). */
void tp_template_defaults(tp_template *t);

#endif
