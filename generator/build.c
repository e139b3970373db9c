/* build.c — one pack build and the input check: the pipeline end to end.
 * read → model → compute → compose → paginate → render, then export the
 * computed figures. Nothing in the output folder changes unless the whole
 * build succeeded. */
#include "build.h"

#include "chart.h"
#include "compute.h"
#include "export_csv.h"
#include "export_xlsx.h"
#include "fonts.h"
#include "layout.h"
#include "model.h"
#include "compose.h"
#include "input.h"
#include "render_pdf.h"
#include "render_html.h"
#include "template.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void build_options_default(build_options *o)
{
    memset(o, 0, sizeof *o);
    o->template_path = "templates/integrated-performance.yaml";
    o->input_dir = "input/sample";
    o->out_dir = "output";
}

void build_result_free(build_result *r)
{
    free(r->pdf_path);
    free(r->figures_dir);
    free(r->html_path);
    memset(r, 0, sizeof *r);
}

/* Adds the error and returns -1 when a stop was requested. */
static int stopped(rp_errors *errs) { return rp_interrupted(errs) ? -1 : 0; }

char *build_default_fonts_dir(const char *template_path)
{
    const char *slash = strrchr(template_path, '/');
    if (slash) {
        char *cand = rp_xasprintf("%.*s/../fonts",
                                  (int)(slash - template_path), template_path);
        if (rp_is_dir(cand))
            return cand;
        free(cand);
    }
    if (!rp_is_dir("fonts")) {
        char *data = build_data_dir();
        char *cand = data ? rp_xasprintf("%s/fonts", data) : NULL;
        free(data);
        if (cand && rp_is_dir(cand))
            return cand;
        free(cand);
    }
    return rp_xstrdup("fonts");
}

char *build_data_dir(void)
{
    const char *env = getenv("RAGPACK_DATA_DIR");
    if (env && *env)
        return rp_xstrdup(env);
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return NULL;
    *slash = '\0';
    char *dir = rp_xasprintf("%s/../share/ragpack", exe);
    if (rp_is_dir(dir))
        return dir;
    free(dir);
    return NULL;
}

char *build_find_template(const char *name)
{
    struct stat st;
    if (stat(name, &st) == 0)
        return rp_xstrdup(name);
    char *data = build_data_dir();
    if (!data)
        return rp_xstrdup(name);
    /* the default "templates/x.yaml" or a bare "x" / "x.yaml" */
    const char *base = strncmp(name, "templates/", 10) == 0 ? name + 10 : name;
    char *found = NULL;
    if (!strchr(base, '/')) {
        size_t n = strlen(base);
        int has_ext = n > 5 && rp_strcaseeq(base + n - 5, ".yaml");
        char *cand = rp_xasprintf("%s/templates/%s%s", data, base,
                                  has_ext ? "" : ".yaml");
        if (stat(cand, &st) == 0)
            found = cand;
        else
            free(cand);
    }
    free(data);
    return found ? found : rp_xstrdup(name);
}

char *build_template_stem(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot > base ? (size_t)(dot - base) : strlen(base);
    return rp_xstrndup(base, n);
}

rp_chart_files build_chart_choice(rp_chart_files option, const pack_template *t)
{
    if (option != RP_CHART_FILES_DEFAULT)
        return option;
    return t->chart_files != RP_CHART_FILES_DEFAULT ? t->chart_files
                                                    : RP_CHART_FILES_ALL;
}

static void csv_field(FILE *f, const char *s, const char *end)
{
    fputc('"', f);
    for (; s && *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
    fputs(end, f);
}

/* The charts for reuse in slides and web pages: each SVG with real text,
 * a <title> and a <desc> (the PDF's /Alt), replacing cairo's outline-only
 * SVG; and charts.csv, an index of file, title and alt text. */
static int chart_files_accessible(const document *doc, const pack_template *t,
                                  fonts *fonts, const char *dir,
                                  rp_errors *errs)
{
    char *index = rp_xasprintf("%s/charts.csv", dir);
    rp_atomic a;
    if (rp_atomic_open(&a, index, errs) != 0) {
        free(index);
        return -1;
    }
    fputs("file,title,alt_text\r\n", a.f);
    int rc = 0;
    double w = t->page_w - t->margin_left - t->margin_right;
    for (size_t i = 0; i < doc->nblocks && rc == 0; i++) {
        const doc_block *b = &doc->blocks[i];
        if (b->kind != DOC_FIGURE || !b->as.figure.chart)
            continue;
        const doc_figure *f = &b->as.figure;
        char *alt = doc_figure_alt(f);
        char *name = rp_xasprintf("%s.svg", f->id);
        char *path = rp_xasprintf("%s/%s", dir, name);
        rc = chart_write_svg_text(f->chart, t, fonts, w,
                                  f->height > 0 ? f->height : 200, "chart",
                                  f->title ? f->title : "Chart", alt, path,
                                  errs);
        csv_field(a.f, name, ",");
        csv_field(a.f, f->title ? f->title : "", ",");
        csv_field(a.f, alt, "\r\n");
        free(path);
        free(name);
        free(alt);
    }
    int ok = rc == 0 && !ferror(a.f);
    if (rp_atomic_commit(&a, ok, errs) != 0)
        rc = -1;
    free(index);
    return rc;
}

int build_chart_files(const document *doc, const pack_template *t,
                      fonts *fonts, const char *dir, rp_chart_files which,
                      rp_errors *errs)
{
    chart_file *files = rp_xcalloc(doc->nblocks + 1, sizeof *files);
    size_t n = 0;
    for (size_t i = 0; i < doc->nblocks; i++) {
        const doc_block *b = &doc->blocks[i];
        if (b->kind == DOC_FIGURE && b->as.figure.chart)
            files[n++] = (chart_file){ b->as.figure.chart, b->as.figure.id,
                                       b->as.figure.height };
    }
    int png = which != RP_CHART_FILES_SVG && which != RP_CHART_FILES_NONE;
    int svg = which != RP_CHART_FILES_PNG && which != RP_CHART_FILES_NONE;
    /* PNGs only: the SVGs are the accessible ones below, so cairo's
     * outline SVG would only be written to be replaced */
    int rc = chart_write_files_as(files, n, png ? RP_CHART_FILES_PNG
                                                : RP_CHART_FILES_NONE,
                                  t, fonts, dir, errs);
    free(files);
    if (rc == 0 && svg)
        rc = chart_files_accessible(doc, t, fonts, dir, errs);
    return rc;
}

int build_publish(const document *doc, const layout_pages *pages, const pack_template *t,
               fonts *fonts, const char *pdf_path, const char *figures_dir,
               build_figures_fn figures, const void *ctx,
               rp_chart_files which, rp_errors *errs)
{
    const char *slash = strrchr(figures_dir, '/');
    char *parent = slash ? rp_xstrndup(figures_dir, (size_t)(slash - figures_dir))
                         : rp_xstrdup(".");
    if (!*parent) {
        free(parent);
        parent = rp_xstrdup("/");
    }
    const char *base = slash ? slash + 1 : figures_dir;
    char *tmpdir = rp_xasprintf("%s/.%s.tmpXXXXXX", parent, base);
    char *olddir = rp_xasprintf("%s/.%s.old", parent, base);
    char *chartdir = NULL, *html_path = NULL;
    int rc = -1;
    if (rp_mkdir_p(parent) != 0) {
        rp_err(errs, parent, 0, NULL, "cannot create folder: %s", strerror(errno));
        free(tmpdir);
        tmpdir = NULL;
        goto out;
    }
    if (!mkdtemp(tmpdir)) {
        rp_err(errs, parent, 0, NULL, "cannot create a temporary folder: %s",
               strerror(errno));
        free(tmpdir);
        tmpdir = NULL;
        goto out;
    }
    /* mkdtemp makes 0700; the published folder gets the usual mode */
    mode_t um = umask(0);
    umask(um);
    if (chmod(tmpdir, 0777 & ~um) != 0) { /* mode only: not fatal */ }
    if (stopped(errs) || (figures && figures(tmpdir, ctx, errs) != 0))
        goto out;
    chartdir = rp_xasprintf("%s/charts", tmpdir);
    /* no charts/ folder at all when no chart files are wanted */
    if (which != RP_CHART_FILES_NONE && rp_mkdir_p(chartdir) != 0) {
        rp_err(errs, figures_dir, 0, NULL, "cannot create charts/: %s",
               strerror(errno));
        goto out;
    }
    if (stopped(errs) ||
        build_chart_files(doc, t, fonts, chartdir, which, errs) != 0)
        goto out;
    /* The HTML twin beside the PDF: <stem>.html. */
    size_t plen = strlen(pdf_path);
    html_path = plen > 4 && strcmp(pdf_path + plen - 4, ".pdf") == 0
              ? rp_xasprintf("%.*s.html", (int)(plen - 4), pdf_path)
              : rp_xasprintf("%s.html", pdf_path);
    /* written in the temporary folder, moved beside the PDF only once the
     * PDF is in place: a failed or stopped build leaves the old pair */
    char *html_tmp = rp_xasprintf("%s/.twin.html", tmpdir);
    int html_ok = !stopped(errs) &&
                  render_html_write(doc, t, fonts, html_tmp, errs) == 0;
    /* the last point where a stop leaves everything as it was */
    if (!html_ok || stopped(errs) ||
        render_pdf_write(pages, doc, t, fonts, pdf_path, errs) != 0 ||
        rename(html_tmp, html_path) != 0) {
        if (html_ok && errs->nerrors == 0)
            rp_err(errs, html_path, 0, NULL, "cannot write: %s",
                   strerror(errno));
        free(html_tmp);
        goto out;
    }
    free(html_tmp);
    rp_rm_rf(olddir);
    if (rp_is_dir(figures_dir) && rename(figures_dir, olddir) != 0) {
        rp_err(errs, figures_dir, 0, NULL, "cannot replace: %s", strerror(errno));
        goto out;
    }
    if (rename(tmpdir, figures_dir) != 0) {
        rp_err(errs, figures_dir, 0, NULL, "cannot create: %s", strerror(errno));
        goto out;
    }
    free(tmpdir);
    tmpdir = NULL;
    rp_rm_rf(olddir);
    rc = 0;
out:
    rp_rm_rf(tmpdir);
    free(tmpdir);
    free(olddir);
    free(chartdir);
    free(html_path);
    free(parent);
    return rc;
}

/* What a pack's figures folder holds: the CSVs and <stem>.xlsx. */
typedef struct figures_ctx {
    const compute_results *r;
    const char *stem;
} figures_ctx;

static int write_figures(const char *dir, const void *ctx, rp_errors *errs)
{
    const figures_ctx *fc = ctx;
    if (export_csv_write_all(fc->r, dir, errs) != 0)
        return -1;
    char *x = rp_xasprintf("%s/%s.xlsx", dir, fc->stem);
    int rc = export_xlsx_write(fc->r, x, errs);
    free(x);
    return rc;
}

void build_apply_overrides(const build_options *o, pack_template *t)
{
    const char *v[3] = { o->committee, o->meeting_date, o->title };
    char **dst[3] = { &t->committee, &t->meeting_date, &t->title };
    for (int i = 0; i < 3; i++)
        if (v[i] && *v[i]) {
            free(*dst[i]);
            *dst[i] = rp_xstrdup(v[i]);
        }
}

void build_compute_options(const pack_template *t, compute_options *o)
{
    compute_options_default(o);
    o->rollup = (rp_rollup)t->rollup;
    o->green_at = t->green_at;
    o->amber_at = t->amber_at;
    o->stale_quarters = t->stale_quarters;
    o->small_denominator = t->small_denominator > 0 ? t->small_denominator : 30;
    for (size_t i = 0; i < t->nsections; i++)
        if (t->sections[i].kind == TEMPLATE_SECTION_TRENDS &&
            t->sections[i].years > o->trend_years)
            o->trend_years = t->sections[i].years;
}

/* The pack's quarter from -p: must be a quarter. */
static int parse_pack_period(const char *text, rp_period *p, rp_errors *errs)
{
    memset(p, 0, sizeof *p);
    if (!text || !*text)
        return 0;
    if (rp_period_parse(text, p) != 0 || p->kind != RP_PER_QUARTER) {
        rp_err(errs, NULL, 0, "period",
               "\"%s\" is not a quarter (e.g. \"2023/24 Q3\")", text);
        return -1;
    }
    return 0;
}

void build_run_init(build_run *run)
{
    memset(run, 0, sizeof *run);
}

void build_run_free(build_run *run)
{
    free(run->include);
    layout_pages_free(&run->pages);
    if (run->doc)
        doc_destroy(run->doc);
    if (run->fonts)
        fonts_destroy(run->fonts);
    if (run->have_r)
        compute_results_free(&run->r);
    if (run->have_m)
        model_free(&run->m);
    input_free(&run->in);
    if (run->have_t)
        template_free(&run->t);
    memset(run, 0, sizeof *run);
}

int build_run_load(build_run *run, const char *template_path, const char *input_dir,
                rp_errors *errs)
{
    run->have_t = template_load(template_path, &run->t, errs) == 0;
    if (input_read(input_dir, &run->in, errs) != 0)
        return -1;
    /* a failed model build still owns memory: freed by build_run_free */
    run->have_m = 1;
    if (model_build(&run->in, &run->m, errs) != 0)
        return -1;
    run->model_ok = 1;
    return run->have_t ? 0 : -1;
}

int build_run_fonts(build_run *run, const char *fonts_dir, const char *template_path,
                 rp_errors *errs)
{
    char *dir = fonts_dir ? rp_xstrdup(fonts_dir)
                          : build_default_fonts_dir(template_path);
    run->fonts = fonts_create(dir, run->t.font_regular, run->t.font_bold,
                                 errs);
    free(dir);
    return run->fonts ? 0 : -1;
}

/* The pipeline up to the laid-out pages, and the names it would write.
 * keep_going (check): after a failed stage, still try the fonts so one
 * run reports every problem a build would meet. */
static int build_prepare(const build_options *o, build_run *run,
                         build_result *res, int keep_going, rp_errors *errs)
{
    rp_period want;
    if (parse_pack_period(o->period, &want, errs) != 0 && !keep_going)
        return -1;
    int bad = build_run_load(run, o->template_path, o->input_dir, errs) != 0;
    if (run->have_t)
        build_apply_overrides(o, &run->t);
    if (!bad || (keep_going && run->have_t && run->model_ok))
        bad |= compose_check_template(&run->t, &run->m, errs) != 0;
    /* a pack of chosen measures computes only them */
    if (!bad)
        bad = compose_select(&run->t, &run->m, &run->include, errs) != 0;
    if (!bad) {
        compute_options opt;
        build_compute_options(&run->t, &opt);
        opt.include = run->include;
        bad = compute_results_build(&run->m, &opt, want, &run->r, errs) != 0;
        run->have_r = !bad;
    }
    if ((!bad || (keep_going && run->have_t)) &&
        (stopped(errs) || build_run_fonts(run, o->fonts_dir, o->template_path,
                                          errs) != 0))
        bad = 1;
    if (bad)
        return -1;
    run->doc = doc_create();
    if (compose_pack(&run->t, &run->m, &run->r, run->doc, errs) != 0)
        return -1;
    if (layout_paginate(run->doc, &run->t, run->fonts, &run->pages, errs) != 0 ||
        stopped(errs))
        return -1;

    /* Output names: <out>/<stem>.pdf and <out>/<stem>/ */
    char per[32];
    rp_period_format(run->r.period, per, sizeof per);  /* "2023/24 Q3" */
    for (char *c = per; *c; c++)
        if (*c == '/' || *c == ' ')
            *c = '-';
    char *tstem = build_template_stem(o->template_path);
    res->pdf_path = rp_xasprintf("%s/%s-%s.pdf", o->out_dir, tstem, per);
    res->figures_dir = rp_xasprintf("%s/%s-%s", o->out_dir, tstem, per);
    res->html_path = rp_xasprintf("%s/%s-%s.html", o->out_dir, tstem, per);
    free(tstem);
    res->period = run->r.period;
    res->pages = (int)run->pages.npages;
    return 0;
}

int build_pack(const build_options *o, build_result *res, rp_errors *errs)
{
    memset(res, 0, sizeof *res);
    build_run run;
    build_run_init(&run);
    int rc = -1;
    if (build_prepare(o, &run, res, 0, errs) != 0)
        goto out;
    const char *stem = strrchr(res->figures_dir, '/');
    figures_ctx fc = { &run.r, stem ? stem + 1 : res->figures_dir };
    if (build_publish(run.doc, &run.pages, &run.t, run.fonts, res->pdf_path,
                   res->figures_dir, write_figures, &fc,
                   build_chart_choice(o->chart_files, &run.t), errs) != 0)
        goto out;
    struct stat st;
    res->bytes = stat(res->pdf_path, &st) == 0 ? (long)st.st_size : 0;
    res->warnings = errs->nwarnings;
    rc = 0;
out:
    build_run_free(&run);
    if (rc != 0)
        build_result_free(res);
    return rc;
}

/* Would the output folder take the files? The folder, or the nearest
 * folder above it that exists, must be writable. */
static int check_out_dir(const char *out_dir, rp_errors *errs)
{
    char *p = rp_xstrdup(out_dir);
    for (;;) {
        if (rp_is_dir(p)) {
            int ok = access(p, W_OK | X_OK) == 0;
            if (!ok)
                rp_err(errs, out_dir, 0, NULL, "cannot write there: %s%s%s",
                       strerror(errno), strcmp(p, out_dir) ? " in " : "",
                       strcmp(p, out_dir) ? p : "");
            free(p);
            return ok ? 0 : -1;
        }
        char *slash = strrchr(p, '/');
        if (!slash || slash == p) {
            const char *top = slash ? "/" : ".";
            int ok = access(top, W_OK | X_OK) == 0;
            if (!ok)
                rp_err(errs, out_dir, 0, NULL, "cannot create the folder: %s",
                       strerror(errno));
            free(p);
            return ok ? 0 : -1;
        }
        *slash = '\0';
    }
}

/* What check says beyond errors: a red measure without commentary is
 * publishable but a committee will ask why, so it is named. */
static void check_warnings(const input_folder *in, const compute_results *r,
                           rp_errors *errs)
{
    for (size_t i = 0; i < r->ndq; i++) {
        const compute_quality *q = &r->dq[i];
        if (q->kind != COMPUTE_QUALITY_NO_COMMENTARY)
            continue;
        char per[32];
        rp_period_format(q->period, per, sizeof per);
        char *cpath = in->commentary_path
                          ? rp_xstrdup(in->commentary_path)
                          : rp_xasprintf("%s/commentary.csv", in->dir);
        rp_warn(errs, cpath, 0, "scope",
                "measure \"%s\" is rated red for %s but has no commentary",
                q->measure->def->id, per);
        free(cpath);
    }
}

int build_check(const build_options *o, build_result *res, rp_errors *errs)
{
    memset(res, 0, sizeof *res);
    build_run run;
    build_run_init(&run);
    int rc = build_prepare(o, &run, res, 1, errs);
    if (run.have_r)
        check_warnings(&run.in, &run.r, errs);
    rc |= check_out_dir(o->out_dir, errs);
    build_run_free(&run);
    if (rc != 0 || errs->nerrors)
        build_result_free(res);
    return errs->nerrors ? -1 : 0;
}
