/* fuzz_input.c — libFuzzer target for a whole input folder. The input is
 * split on the byte 0x1E (ASCII record separator, never in a real export)
 * into measures.csv, kpi.csv, finance.csv and commentary.csv, in that
 * order; a file with no piece is left absent. They are written to a
 * private temp folder and run through input_read → model_build →
 * compute_results_build → compose_pack → layout_paginate, stopping at the first stage that
 * fails, as `ragpack build` does. Each figure's chart is drawn into a
 * sink that only checks the text positions are finite (the geometry the
 * PDF, PNG and SVG outputs get). A model that builds also goes through
 * the trend pack's path (`ragpack trend`: compute_trend_measure,
 * compose_trend, layout_paginate) over its first measures. Rendering the PDF is left out: it costs
 * far more than the rest and takes only laid-out pages, which a template
 * fuzz run exercises with fixed data.
 *
 * The shipped template and the fonts are loaded once. The template's
 * trends section names four real measures; so that fuzzed data reaches
 * the trends code, each run uses a copy whose trends section names the
 * run's own first measures instead. */
#include "chart.h"
#include "compute.h"
#include "fonts.h"
#include "layout.h"
#include "model.h"
#include "compose.h"
#include "input.h"
#include "template.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef RP_FUZZ_ROOT
#define RP_FUZZ_ROOT "."
#endif
#define SEP 0x1E

static const char *const names[] = {
    "measures.csv", "kpi.csv", "finance.csv", "commentary.csv"
};
static char dir[64];
static pack_template tmpl;
static fonts *the_fonts;

static void cleanup(void)
{
    fonts_destroy(the_fonts);
    template_free(&tmpl);
}

/* The folder is made and removed by each run: libFuzzer ends a process
 * with _Exit, so atexit would not tidy it. */
static void remove_dir(void)
{
    for (size_t i = 0; i < 4; i++) {
        char *p = rp_xasprintf("%s/%s", dir, names[i]);
        unlink(p);
        free(p);
    }
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    rp_errors errs;
    rp_errors_init(&errs);
    if (template_load(RP_FUZZ_ROOT "/templates/integrated-performance.yaml",
                         &tmpl, &errs) != 0)
        goto fail;
    the_fonts = fonts_create(RP_FUZZ_ROOT "/fonts", tmpl.font_regular,
                            tmpl.font_bold, &errs);
    if (!the_fonts)
        goto fail;
    atexit(cleanup);
    rp_errors_free(&errs);
    return 0;
fail:
    rp_errors_print(&errs, stderr);
    exit(1);
}

static void write_pieces(const uint8_t *data, size_t size)
{
    snprintf(dir, sizeof dir, "/tmp/rp-fuzz-input-XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        exit(1);
    }
    size_t start = 0, piece = 0;
    for (size_t i = 0; i <= size && piece < 4; i++) {
        if (i < size && data[i] != SEP)
            continue;
        char *p = rp_xasprintf("%s/%s", dir, names[piece]);
        FILE *f = fopen(p, "wb");
        if (!f || fwrite(data + start, 1, i - start, f) != i - start) {
            perror(p);
            exit(1);
        }
        fclose(f);
        free(p);
        start = i + 1;
        piece++;
    }
}

static void no_fill(void *ctx, const cairo_path_t *path, template_rgb color)
{
    (void)ctx; (void)path; (void)color;
}

static void no_stroke(void *ctx, const cairo_path_t *path, template_rgb color,
                      double width, const double *dash, int ndash)
{
    (void)ctx; (void)path; (void)color; (void)width; (void)dash; (void)ndash;
}

static void check_text(void *ctx, double x, double y, fonts_face face,
                       double size, template_rgb color, double angle,
                       const char *utf8)
{
    (void)ctx; (void)face; (void)color; (void)angle;
    if (!isfinite(x) || !isfinite(y) || !isfinite(size) || !utf8)
        abort();
}

static void draw_figures(const document *doc, const pack_template *t)
{
    chart_sink sink = { NULL, no_fill, no_stroke, check_text };
    for (size_t i = 0; i < doc->nblocks; i++) {
        const doc_block *b = &doc->blocks[i];
        if (b->kind == DOC_FIGURE && b->as.figure.chart)
            chart_draw(b->as.figure.chart, t, the_fonts, 50, 50, 480, b->as.figure.height,
                    &sink);
    }
}

/* options as `ragpack build` takes them from the template */
static void options_of(const pack_template *t, compute_options *o)
{
    compute_options_default(o);
    o->rollup = (rp_rollup)t->rollup;
    o->green_at = t->green_at;
    o->amber_at = t->amber_at;
    o->stale_quarters = t->stale_quarters;
    for (size_t i = 0; i < t->nsections; i++)
        if (t->sections[i].kind == TEMPLATE_SECTION_TRENDS
            && t->sections[i].years > o->trend_years)
            o->trend_years = t->sections[i].years;
}

static void compose_and_paginate(const model *m, const compute_results *r,
                                 rp_errors *errs)
{
    /* shallow copy: only the sections array and the trend ids are ours */
    pack_template t = tmpl;
    template_section *secs = rp_xcalloc(tmpl.nsections, sizeof *secs);
    size_t nids = m->nmeasures < 4 ? m->nmeasures : 4;
    char **ids = rp_xcalloc(nids + 1, sizeof *ids);
    for (size_t i = 0; i < nids; i++)
        ids[i] = m->measures[i].def->id;
    for (size_t i = 0; i < tmpl.nsections; i++) {
        secs[i] = tmpl.sections[i];
        if (secs[i].kind == TEMPLATE_SECTION_TRENDS) {
            secs[i].measures = ids;
            secs[i].nmeasures = nids;
        }
    }
    t.sections = secs;

    document *doc = doc_create();
    if (compose_pack(&t, m, r, doc, errs) == 0) {
        draw_figures(doc, &t);
        layout_pages pages;
        memset(&pages, 0, sizeof pages);
        if (layout_paginate(doc, &t, the_fonts, &pages, errs) == 0 && pages.npages == 0)
            abort();                    /* a pack always has a cover */
        layout_pages_free(&pages);
    }
    doc_destroy(doc);
    free(ids);
    free(secs);
}

/* `ragpack trend` over the first measures, at their latest period, with
 * the pack's results when the data rates that quarter (r may be NULL). */
static void trend_pack(const model *m, const compute_results *r, int by,
                       rp_errors *errs)
{
    enum { MAXM = 6 };
    const model_measure *ms[MAXM];
    size_t n = m->nmeasures < MAXM ? m->nmeasures : MAXM;
    for (size_t i = 0; i < n; i++)
        ms[i] = &m->measures[i];
    if (n == 0)
        return;
    compose_trend_options po;
    memset(&po, 0, sizeof po);
    po.measures = ms;
    po.nmeasures = n;
    po.years = 3;
    po.by = by;
    po.period = compute_latest_period(ms, n);
    if (!po.period.kind)
        return;
    if (po.period.kind == RP_PER_QUARTER && r
        && rp_period_cmp(r->period, po.period) == 0)
        po.r = r;
    compute_trend ts[MAXM];
    int any = 0;
    for (size_t i = 0; i < n; i++) {
        compute_trend_measure(ms[i], po.period, po.years, &ts[i]);
        for (size_t k = 0; k < ts[i].nyears; k++)
            any |= rp_has(ts[i].years[k].value);
    }
    po.trends = ts;
    document *doc = any ? doc_create() : NULL;  /* the app stops at none */
    if (doc && compose_trend(&tmpl, m, &po, doc, errs) == 0) {
        draw_figures(doc, &tmpl);
        layout_pages pages;
        memset(&pages, 0, sizeof pages);
        (void)layout_paginate(doc, &tmpl, the_fonts, &pages, errs);
        layout_pages_free(&pages);
    }
    for (size_t i = 0; i < n; i++)
        compute_trend_free(&ts[i]);
    doc_destroy(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    write_pieces(data, size);
    rp_errors errs;
    rp_errors_init(&errs);
    input_folder in;
    if (input_read(dir, &in, &errs) == 0) {
        model m;
        memset(&m, 0, sizeof m);
        if (model_build(&in, &m, &errs) == 0) {
            compute_options opt;
            options_of(&tmpl, &opt);
            compute_results r;
            memset(&r, 0, sizeof r);
            rp_period latest = { 0, 0, 0 };
            int have_r = compute_results_build(&m, &opt, latest, &r, &errs) == 0;
            if (have_r)
                compose_and_paginate(&m, &r, &errs);
            /* the length picks how the trend pack groups years */
            trend_pack(&m, have_r ? &r : NULL, (int)(size % 3), &errs);
            if (have_r)
                compute_results_free(&r);
        }
        model_free(&m);
    }
    input_free(&in);
    remove_dir();
    char buf[512];
    for (size_t i = 0; i < errs.n; i++)
        rp_error_format(&errs.v[i], buf, sizeof buf);
    rp_errors_free(&errs);
    return 0;
}
