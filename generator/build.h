/* build.h — one pack or trend pack end to end (load, compute, compose,
 * lay out, publish) and check, its dry run; called by the command line
 * and by batch runs. */
#ifndef RAGPACK_BUILD_H
#define RAGPACK_BUILD_H

#include "base.h"
#include "compute.h"
#include "layout.h"
#include "template.h"

typedef struct build_options {
    const char *template_path;  /* default templates/integrated-performance.yaml */
    const char *input_dir;      /* default input/sample */
    const char *period;         /* "2023/24 Q3", or a year ("2024/25",
                                   "AY 2024/25", "2025"); NULL = the
                                   default quarter (compute) */
    const char *out_dir;        /* default output */
    const char *fonts_dir;      /* default: fonts/ beside the template dir,
                                   else ./fonts */
    rp_chart_files chart_files; /* --chart-files; DEFAULT = the template's
                                   chart_files key (all when unset) */
    /* run-time words over the template's document: (NULL = the
     * template's): cover, running header and footer, PDF properties */
    const char *committee;      /* --committee */
    const char *meeting_date;   /* --meeting-date, free text */
    const char *title;          /* --title */
    /* where the pack's lock and publish journal live: NULL = <out>/.ragpack
     * (build_state_base); batch --state DIR passes DIR */
    const char *state_dir;
    const char *held_lock;      /* a lock the caller holds already (batch:
                                   the row's); not taken again */
} build_options;

/* The run-time words of o over t's document keys (a non-NULL, non-empty
 * value wins). */
void build_apply_overrides(const build_options *o, pack_template *t);

typedef struct build_result {
    char *pdf_path;             /* out_dir/<stem>.pdf */
    char *figures_dir;          /* out_dir/<stem>/ (CSVs, charts/) */
    char *html_path;            /* out_dir/<stem>.html, the HTML twin */
    rp_chart_files chart_files; /* the chart files written (the option,
                                   else the template's key) */
    rp_period period;           /* the period built (the default rule's
                                   choice when none was asked for) */
    int pages;
    long bytes;
    size_t warnings;
} build_result;

void build_options_default(build_options *o);
/* Build one pack: read, model, compute, compose, paginate, render, export.
 * The PDF and the figures are written atomically; on failure nothing in
 * out_dir changes. The stem is "<template stem>-<yyyy-yy>-Q<n>", e.g.
 * integrated-performance-2023-24-Q3. Returns 0, or -1 with errors. */
int build_pack(const build_options *o, build_result *res, rp_errors *errs);
void build_result_free(build_result *r);


/* What one build holds, from the template to the laid-out pages, freed
 * in one place (build_run_free) whatever step failed. Used by build_pack and
 * build_trend. */
typedef struct build_run {
    pack_template t;  int have_t;
    input_folder in;
    model m;     int have_m, model_ok;
    unsigned char *include;     /* compose_select: the measures a pack of
                                   chosen measures computes; NULL = all */
    compute_results r;   int have_r;
    fonts *fonts;
    document *doc;
    layout_pages pages;
} build_run;
void build_run_init(build_run *run);
void build_run_free(build_run *run);
/* Load the template, read the input folder (even when the template
 * failed, so one run reports every problem) and build the model. */
int build_run_load(build_run *run, const char *template_path, const char *input_dir,
                rp_errors *errs);
/* Fonts from fonts_dir, or the template's default folder when NULL. */
int build_run_fonts(build_run *run, const char *fonts_dir, const char *template_path,
                 rp_errors *errs);

/* The computation options a template sets (roll-up rule and thresholds,
 * stale quarters, the longest trends span). */
void build_compute_options(const pack_template *t, compute_options *o);

/* fonts/ beside the template's folder (templates/../fonts) if it exists,
 * else ./fonts. Caller frees. */
char *build_default_fonts_dir(const char *template_path);
/* "templates/integrated-performance.yaml" → "integrated-performance". */
char *build_template_stem(const char *template_path);
/* A pack's name: the template stem and the period with '/' and ' ' as
 * '-': "integrated-performance-2023-24-Q3", and for yearly packs
 * "…-2024-25", "…-AY-2024-25", "…-2025". Caller frees. */
char *build_pack_stem(const char *template_path, rp_period p);

/* The hidden state folder in each output root: locks, build state and
 * publish journals, never beside the published PDFs. */
#define BUILD_STATE_DIR ".ragpack"

/* Lexical clean-up of a path ("a/./b//c/../d" → "a/b/d"). Caller frees. */
char *build_path_norm(const char *p);
/* Lock, state and journal path of a pack, less the extension:
 * "<out>/.ragpack/<key>", or with a shared state folder
 * "<state_dir>/<12 hex of the out folder's absolute path>-<key>". */
char *build_state_base(const char *out_dir, const char *state_dir,
                       const char *key);
/* Takes the exclusive flock on lock (made with its folder); while another
 * run holds it, says so once on stderr and waits (a SIGINT/SIGTERM stops
 * the wait with an error). Returns the fd (close to release) or -1. */
int build_lock_pack(const char *lock, rp_errors *errs);

/* The last step of every build, shared by packs and trend packs, under
 * the pack's lock (<state base of the figures folder's name>.lock):
 * first a publish a killed run left half done is finished or rolled back
 * (its journal), and that pack's temporaries are removed; then the figures
 * (by `figures`, with charts/ from the doc), the HTML twin and the PDF are
 * written complete into a temporary folder; a journal is written; the old
 * pieces are moved aside and the new ones in; the journal goes. A reader
 * never sees pieces of two builds; on failure nothing changes (see
 * docs/batch.md, "Publishing"). */
typedef struct build_publish_options {
    const char *state_dir;      /* NULL = <out>/.ragpack */
    const char *held_lock;      /* not taken again when it is the pack's */
} build_publish_options;
typedef int (*build_figures_fn)(const char *dir, const void *ctx,
                             rp_errors *errs);
int build_publish(const document *doc, const layout_pages *pages,
                  const pack_template *t, fonts *fonts,
               const char *pdf_path, const char *figures_dir,
               const build_publish_options *po,
               build_figures_fn figures, const void *ctx,
               rp_chart_files which, rp_errors *errs);
/* The chart files a build writes: the option when set, else the
 * template's key. */
rp_chart_files build_chart_choice(rp_chart_files option, const pack_template *t);
/* The HTML twin's path beside a PDF: "x.pdf" → "x.html", else
 * "<pdf_path>.html". Owned. */
char *build_html_path(const char *pdf_path);

/* The charts that compose put in the document's figures, written into
 * dir (which must exist) as <figure id>.png and/or .svg (which) at the
 * template's text width × the figure's height. */
int build_chart_files(const document *doc, const pack_template *t,
                      fonts *fonts, const char *dir, rp_chart_files which,
                      rp_errors *errs);

/* A dry run of build_pack with the same options: read, validate, compute,
 * load the fonts, compose and lay out, and check that out_dir can take
 * the files, writing nothing. Every problem a build would meet is added
 * to errs (a failed stage does not hide the fonts' problems). On success
 * res holds the names a build would write, the period and the pages.
 * Returns 0 when there is no error. */
int build_check(const build_options *o, build_result *res, rp_errors *errs);

/* Where an installed ragpack keeps its templates and fonts:
 * $RAGPACK_DATA_DIR if set, else <dir of the running binary>/../share/ragpack
 * when that folder exists; NULL otherwise. Caller frees. */
char *build_data_dir(void);
/* A template as the user names it: the path if it exists; else, for a
 * bare name ("trend" or "trend.yaml"), templates/NAME.yaml in the data
 * folder; else the path as given (the build then reports it missing).
 * Caller frees. */
char *build_find_template(const char *name);

/* ---- trend packs (build_trend.c): `ragpack trend` ------------------------ */
typedef struct build_trend_options {
    const char *template_path;  /* default templates/trend.yaml */
    const char *input_dir;      /* default input/sample */
    const char *period;         /* a quarter or a whole year; NULL = latest */
    const char *const *measures; size_t nmeasures;  /* -m ids */
    const char *service_area;   /* adds that area's measures; may be NULL */
    int years;                  /* 0 = the template's trends years, else 3 */
    int by;                     /* COMPOSE_BY_* (compose.h): 0 default, 1 quarter, 2 year */
    const char *out_path;       /* the PDF; NULL = <out_dir>/<build_trend_stem>.pdf */
    const char *out_dir;        /* NULL = output */
    const char *fonts_dir;      /* as build_options */
    rp_chart_files chart_files; /* as build_options */
    int force;                  /* replace a pack built with other options */
} build_trend_options;

#define BUILD_TREND_NO_MEASURES (-2)

void build_trend_options_default(build_trend_options *o);
/* Build a trend pack: PDF at out_path (atomically) and beside it a folder
 * of the same stem with trends.csv and charts/. Measures come from -m,
 * the service area and the template's trends sections, in that order,
 * without repeats. Returns 0, -1 with errors, or BUILD_TREND_NO_MEASURES. */
int build_trend(const build_trend_options *o, build_result *res, rp_errors *errs);
/* The default name of a trend pack, from every option that changes its
 * content: "trend-<ids joined by +>[-area-<area>]-<period>[-<N>y]
 * [-by-quarter|-by-year][-<template stem>]", ids and area in lower case
 * (the template's stem stands for its own trends when no -m or area is
 * given; a long list of ids becomes "<first>-and-<n>-more-<hash>"). E.g.
 * trend-ehcp_total-2023-24-Q3. A pack of that name built with other
 * options (another input folder, say) is refused without force: the
 * options are recorded in <folder>/.ragpack/<name>.pdf.trend. Caller frees. */
char *build_trend_stem(const build_trend_options *o, rp_period want);
/* "quarter" → 1, "year" → 2 (case-insensitive); -1 otherwise. */
int build_trend_by(const char *text);
/* Up to max of ids closest to `unknown` by case-insensitive edit
 * distance, nearest first (ties in the given order), joined by ", ";
 * NULL when none is close. Caller frees. */
char *build_closest_ids(const char *unknown, const char *const *ids, size_t n,
                     size_t max);

#endif
