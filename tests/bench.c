/* bench.c — speed and memory of building the sample pack, in process
 * (make bench). Not a test: it measures and prints, and fails only if a
 * build fails.
 *   bench [RUNS [OUT_DIR]]
 * First the whole build (build_pack) as the command runs it, then the same
 * pipeline stage by stage through the modules' own entry points, so the
 * cost of the PDF and of the chart files (PNG + SVG) shows separately. */
#include "build.h"
#include "chart.h"
#include "compute.h"
#include "fonts.h"
#include "layout.h"
#include "model.h"
#include "compose.h"
#include "input.h"
#include "render_pdf.h"
#include "template.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

enum { S_TEMPLATE, S_READ, S_COMPUTE, S_LAYOUT, S_PDF, S_CHARTS,
       S_CHARTS_CPU, S_PNG, S_SVG, S_N };
static const char *const stage_name[S_N] = {
    "template (YAML)", "read CSVs", "model + compute",
    "compose + paginate", "render PDF", "chart files (export, as built)",
    "  its CPU time, all processes",
    "  of which PNG, serial", "  of which SVG, serial"
};

/* CPU time of this process and of its waited-for children (the chart
 * workers): with other work on the machine, wall time alone hides
 * whether a change saved work or only spread it over more cores. */
static double cpu_ms(void)
{
    double ms = 0;
    int who[2] = { RUSAGE_SELF, RUSAGE_CHILDREN };
    for (int i = 0; i < 2; i++) {
        struct rusage ru;
        getrusage(who[i], &ru);
        ms += (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
              (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
    }
    return ms;
}

typedef struct stat_ms { double best, sum; } stat_ms;

static void note(stat_ms *s, double dt)
{
    if (dt < s->best)
        s->best = dt;
    s->sum += dt;
}

/* One staged build into out; adds each stage's time to st. Returns the
 * number of charts, or -1. */
static int staged(const build_options *o, const char *out, stat_ms *st,
                  rp_errors *errs)
{
    pack_template t;
    input_folder in;
    model m;
    compute_results r;
    memset(&in, 0, sizeof in);
    memset(&m, 0, sizeof m);
    memset(&r, 0, sizeof r);
    layout_pages pages;
    memset(&pages, 0, sizeof pages);
    fonts *fonts = NULL;
    document *doc = NULL;
    char *fdir = NULL, *cdir = NULL, *pdf = NULL;
    int have_t = 0, have_m = 0, have_r = 0, rc = -1, ncharts = 0;
    rp_period latest;
    memset(&latest, 0, sizeof latest);
    double dt[S_N] = { 0 };

    double t0 = now_ms();
    if (template_load(o->template_path, &t, errs) != 0)
        goto out;
    have_t = 1;
    double t1 = now_ms();
    dt[S_TEMPLATE] = t1 - t0;
    have_m = 1;
    if (input_read(o->input_dir, &in, errs) != 0)
        goto out;
    double t2 = now_ms();
    dt[S_READ] = t2 - t1;
    compute_options opt;
    build_compute_options(&t, &opt);
    if (model_build(&in, &m, errs) != 0 ||
        compose_check_template(&t, &m, errs) != 0 ||
        compute_results_build(&m, &opt, latest, &r, errs) != 0)
        goto out;
    have_r = 1;
    double t3 = now_ms();
    dt[S_COMPUTE] = t3 - t2;
    fdir = build_default_fonts_dir(o->template_path);
    fonts = fonts_create(fdir, t.font_regular, t.font_bold, errs);
    doc = doc_create();
    if (!fonts || compose_pack(&t, &m, &r, doc, errs) != 0 ||
        layout_paginate(doc, &t, fonts, &pages, errs) != 0)
        goto out;
    double t4 = now_ms();
    dt[S_LAYOUT] = t4 - t3;
    pdf = rp_xasprintf("%s/bench.pdf", out);
    if (render_pdf_write(&pages, doc, &t, fonts, pdf, errs) != 0)
        goto out;
    double t5 = now_ms();
    dt[S_PDF] = t5 - t4;
    cdir = rp_xasprintf("%s/bench-charts", out);
    rp_mkdir_p(cdir);
    double c5 = cpu_ms();
    if (build_chart_files(doc, &t, fonts, cdir, RP_CHART_FILES_ALL, errs) != 0)
        goto out;
    double t6 = now_ms();
    dt[S_CHARTS] = t6 - t5;
    dt[S_CHARTS_CPU] = cpu_ms() - c5;

    /* the two formats one chart at a time, in this process */
    double w = t.page_w - t.margin_left - t.margin_right;
    for (size_t i = 0; i < doc->nblocks; i++) {
        const doc_block *b = &doc->blocks[i];
        if (b->kind != DOC_FIGURE || !b->as.figure.chart)
            continue;
        double h = b->as.figure.height > 0 ? b->as.figure.height : 200;
        char *p = rp_xasprintf("%s/one.png", cdir);
        double a = now_ms();
        int bad = chart_write_png(b->as.figure.chart, &t, fonts, w, h, p, errs);
        double z = now_ms();
        dt[S_PNG] += z - a;
        free(p);
        p = rp_xasprintf("%s/one.svg", cdir);
        bad |= chart_write_svg(b->as.figure.chart, &t, fonts, w, h, p, errs);
        dt[S_SVG] += now_ms() - z;
        free(p);
        if (bad)
            goto out;
        ncharts++;
    }
    for (int s = 0; s < S_N; s++)
        note(&st[s], dt[s]);
    rc = ncharts;
out:
    if (cdir)
        rp_rm_rf(cdir);
    free(cdir);
    free(pdf);
    free(fdir);
    layout_pages_free(&pages);
    if (doc)
        doc_destroy(doc);
    if (fonts)
        fonts_destroy(fonts);
    if (have_r)
        compute_results_free(&r);
    if (have_m)
        model_free(&m);
    input_free(&in);
    if (have_t)
        template_free(&t);
    return rc;
}

static int fail(rp_errors *errs)
{
    rp_errors_print(errs, stderr);
    rp_errors_free(errs);
    return 1;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 20;
    if (n < 1)
        n = 1;
    const char *out = argc > 2 ? argv[2] : "build/bench-out";
    build_options o;
    build_options_default(&o);
    o.out_dir = out;
    stat_ms whole = { 1e30, 0 };
    long bytes = 0;
    int pages = 0;
    for (int i = 0; i < n; i++) {
        rp_errors errs;
        rp_errors_init(&errs);
        build_result res;
        double t0 = now_ms();
        if (build_pack(&o, &res, &errs) != 0)
            return fail(&errs);
        note(&whole, now_ms() - t0);
        bytes = res.bytes;
        pages = res.pages;
        build_result_free(&res);
        rp_errors_free(&errs);
    }
    stat_ms st[S_N];
    for (int s = 0; s < S_N; s++)
        st[s] = (stat_ms){ 1e30, 0 };
    int ncharts = 0;
    for (int i = 0; i < n; i++) {
        rp_errors errs;
        rp_errors_init(&errs);
        ncharts = staged(&o, out, st, &errs);
        if (ncharts < 0)
            return fail(&errs);
        rp_errors_free(&errs);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("sample pack: %d pages, %ld bytes, %d charts (%d chart files)\n",
           pages, bytes, ncharts, 2 * ncharts);
    printf("build: best %.1f ms, mean %.1f ms over %d runs\n", whole.best,
           whole.sum / n, n);
    printf("stages (best / mean ms over %d runs):\n", n);
    double pdf_best = 0, pdf_mean = 0;
    for (int s = 0; s < S_N; s++) {
        printf("  %-32s %7.1f %7.1f\n", stage_name[s], st[s].best, st[s].sum / n);
        if (s <= S_PDF) {
            pdf_best += st[s].best;
            pdf_mean += st[s].sum / n;
        }
    }
    printf("  %-32s %7.1f %7.1f\n", "= pipeline to PDF", pdf_best, pdf_mean);
    printf("  %-32s %7.1f %7.1f\n", "= chart files", st[S_CHARTS].best,
           st[S_CHARTS].sum / n);
    printf("peak RSS: %ld KiB (this process; chart workers are separate)\n",
           ru.ru_maxrss);
    return 0;
}
