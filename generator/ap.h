/* ap.h — the application: one pack build, a check, as called by the
 * command line (ragpack.c) and by batch runs. */
#ifndef AP_H
#define AP_H

#include "rp.h"

typedef struct ap_build_opts {
    const char *template_path;  /* default templates/integrated-performance.yaml */
    const char *input_dir;      /* default input/sample */
    const char *period;         /* "2023/24 Q3"; NULL = latest quarter */
    const char *out_dir;        /* default output */
    const char *fonts_dir;      /* default: fonts/ beside the template dir,
                                   else ./fonts */
} ap_build_opts;

typedef struct ap_build_result {
    char *pdf_path;             /* out_dir/<stem>.pdf */
    char *figures_dir;          /* out_dir/<stem>/ (CSVs, charts/) */
    int pages;
    long bytes;
    size_t warnings;
} ap_build_result;

void ap_build_opts_default(ap_build_opts *o);
/* Build one pack: read, model, compute, compose, paginate, render, export.
 * The PDF and the figures are written atomically; on failure nothing in
 * out_dir changes. The stem is "<template stem>-<yyyy-yy>-Q<n>", e.g.
 * integrated-performance-2023-24-Q3. Returns 0, or -1 with errors. */
int ap_build(const ap_build_opts *o, ap_build_result *res, rp_errors *errs);
void ap_build_result_free(ap_build_result *r);

/* Read and validate everything in input_dir (and the template if given);
 * every problem is added to errs. Returns 0 when there is no error. */
int ap_check(const char *input_dir, const char *template_path,
             rp_errors *errs);

#endif
