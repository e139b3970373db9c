/* template.h — templates: a pack is defined in templates/<name>.yaml, not in code.
 * Read with libcyaml against a schema; errors carry file and line. */
#ifndef RAGPACK_TEMPLATE_H
#define RAGPACK_TEMPLATE_H

#include "base.h"

typedef struct template_rgb { double r, g, b; } template_rgb;   /* 0..1 */

typedef struct template_palette {
    template_rgb text, secondary, rule, fill, accent, accent_dark, accent2, accent3;
    template_rgb red, amber, green, none;     /* RAG fills */
    template_rgb amber_text;                  /* text drawn on amber (dark) */
    template_rgb badge_outline;               /* outline of a RAG fill that
                                                 has less than 3:1 against
                                                 the page */
    template_rgb series[6];                   /* chart series, colour-blind safe */
} template_palette;

typedef enum {
    TEMPLATE_SECTION_COVER = 1, TEMPLATE_SECTION_CONTENTS, TEMPLATE_SECTION_SUMMARY, TEMPLATE_SECTION_FINANCE,
    TEMPLATE_SECTION_SERVICE_AREA, TEMPLATE_SECTION_TRENDS, TEMPLATE_SECTION_DATA_QUALITY,
    TEMPLATE_SECTION_TEXT       /* a Markdown file from the input folder */
} template_section_kind;

typedef struct template_section {
    template_section_kind kind;
    char *title;            /* heading; NULL = default for the kind */
    char *service_area;     /* TEMPLATE_SECTION_SERVICE_AREA: name; NULL = one
                               section per service area in data order */
    char **measures; size_t nmeasures;   /* TEMPLATE_SECTION_TRENDS: measure ids;
                                            SERVICE_AREA: the measures chosen */
    char **tags; size_t ntags;           /* SERVICE_AREA: measures with any
                                            of these tags (measures.csv) */
    int flow;               /* SERVICE_AREA: sections flow on from the one
                               before instead of each starting a page */
    char *file;             /* TEMPLATE_SECTION_TEXT: Markdown file name,
                               relative to the input folder */
    int years;              /* TEMPLATE_SECTION_TRENDS: financial years (default 3) */
    long line;              /* template line, for error messages */
} template_section;

typedef struct pack_template {
    char *path;
    /* page, in points (1 mm = 72/25.4 pt) */
    double page_w, page_h;                  /* A4 portrait default */
    double margin_top, margin_bottom, margin_left, margin_right;
    double body_size, body_leading;         /* 11 / 14 */
    double h1_size, h2_size, h3_size;       /* 20 / 15 / 12 */
    double small_size;                      /* furniture, 8.5 */
    char *font_regular, *font_bold;         /* file names under fonts dir */
    template_palette palette;
    /* words on the cover and furniture */
    char *authority, *title, *committee, *meeting_date, *author, *subject;
    char *region;           /* the region's name for the regional
                               comparator ("East Midlands"); NULL = say
                               "Regional" unless the data name it */
    char *lang;             /* BCP 47 language of the pack; NULL = en-GB */
    /* roll-up */
    rp_rollup rollup;
    rp_num green_at, amber_at;
    int stale_quarters;
    rp_chart_files chart_files;             /* key chart_files; default all */
    int small_denominator;  /* a denominator below this is volatile (30) */
    template_section *sections; size_t nsections;
} pack_template;

/* Read and validate a template. Unknown keys, wrong types, bad colours
 * ("#RRGGBB") and unknown section kinds are errors with file and line.
 * Returns 0, or -1 with errors added. */
int template_load(const char *path, pack_template *t, rp_errors *errs);
void template_free(pack_template *t);
/* Defaults only (what a template that sets nothing gets). */
void template_defaults(pack_template *t);
/* WCAG 2 contrast ratio of two colours, 1 to 21. Text needs 4.5 against
 * what it is drawn on (1.4.3); chart series and badge outlines 3 against
 * the page (1.4.11). Templates below these are refused. */
double template_contrast(template_rgb a, template_rgb b);
#define TEMPLATE_TEXT_CONTRAST 4.5
#define TEMPLATE_GRAPHIC_CONTRAST 3.0
/* "#RRGGBB" of a colour, into buf (at least 8 bytes). */
const char *template_hex(template_rgb c, char *buf);

#endif
