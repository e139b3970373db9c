/* build_trend.c — `ragpack trend`: an ad hoc trend pack for chosen measures.
 * read → model → (compute, for a quarterly pack's data-quality notes) →
 * compose (compose_trend) → paginate → render, with trends.csv and the charts
 * beside the PDF. Nothing at the output path changes unless the whole
 * build succeeded. */
#define _DEFAULT_SOURCE 1       /* realpath under strict C17 */
#include "build.h"

#include "chart.h"
#include "compute.h"
#include "export_csv.h"
#include "fonts.h"
#include "layout.h"
#include "model.h"
#include "compose.h"
#include "input.h"
#include "render_pdf.h"
#include "template.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void build_trend_options_default(build_trend_options *o)
{
    memset(o, 0, sizeof *o);
    o->template_path = "templates/trend.yaml";
    o->input_dir = "input/sample";
}

int build_trend_by(const char *text)
{
    if (text && rp_strcaseeq(text, "quarter"))
        return COMPOSE_BY_QUARTER;
    if (text && rp_strcaseeq(text, "year"))
        return COMPOSE_BY_YEAR;
    return -1;
}

/* ---- closest ids ---------------------------------------------------------- */

char *build_closest_ids(const char *unknown, const char *const *ids, size_t n,
                     size_t max)
{
    return rp_closest(unknown, ids, n, max);
}

/* ---- files ------------------------------------------------------------------ */

/* trends.csv in the main pack's columns; the year column keeps each
 * measure's own kind of year ("2023/24", "2024", "AY 2024/25"). */
static int write_trends(const char *path, const compute_trend *ts, size_t n,
                        rp_errors *errs)
{
    rp_atomic a;
    if (rp_atomic_open(&a, path, errs) != 0)
        return -1;
    FILE *f = a.f;
    fputs("measure,year,value,complete,yoy_change_pct,yoy_change\n", f);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < ts[i].nyears; k++) {
            const compute_year *y = &ts[i].years[k];
            char per[32], v[48], c[48], a[48];
            rp_csv_field(f, ts[i].measure->def->id);
            fputc(',', f);
            rp_csv_field(f, rp_period_format(y->period, per, sizeof per));
            fprintf(f, ",%s,%s,%s,%s\n",
                    rp_has(y->value) ? rp_num_plain(y->value.num, v, sizeof v) : "",
                    y->complete ? "yes" : "no",
                    rp_has(y->yoy_pct) ? rp_num_plain(y->yoy_pct.num, c, sizeof c)
                                       : "",
                    rp_has(y->yoy_change)
                        ? rp_num_plain(y->yoy_change.num, a, sizeof a) : "");
        }
    int ok = !ferror(f);
    if (!ok)
        rp_err(errs, path, 0, NULL, "cannot write: %s", strerror(errno));
    return rp_atomic_commit(&a, ok, errs);
}

typedef struct trend_csv {
    const compute_trend *ts;
    size_t n;
} trend_csv;

static int write_figures(const char *dir, const void *ctx, rp_errors *errs)
{
    const trend_csv *tc = ctx;
    char *path = rp_xasprintf("%s/trends.csv", dir);
    int rc = write_trends(path, tc->ts, tc->n, errs);
    free(path);
    return rc;
}

/* ---- measure selection -------------------------------------------------------- */

static void add_measure(const model_measure ***v, size_t *n, size_t *cap,
                        const model_measure *x)
{
    for (size_t i = 0; i < *n; i++)
        if ((*v)[i] == x)
            return;
    rp_grow((void **)v, cap, *n + 1, sizeof **v);
    (*v)[(*n)++] = x;
}

/* Every id checked, so one run names every unknown one. */
static int select_measures(const build_trend_options *o, const pack_template *t,
                           const model *m, const model_measure ***out,
                           size_t *nout, rp_errors *errs)
{
    const model_measure **v = NULL;
    size_t n = 0, cap = 0;
    int bad = 0;
    const char **ids = rp_xcalloc(m->nmeasures ? m->nmeasures : 1, sizeof *ids);
    for (size_t i = 0; i < m->nmeasures; i++)
        ids[i] = m->measures[i].def->id;
    for (size_t i = 0; i < o->nmeasures; i++) {
        const model_measure *x = model_find_measure(m, o->measures[i]);
        if (!x) {   /* ids are matched case-insensitively as a courtesy */
            for (size_t k = 0; k < m->nmeasures && !x; k++)
                if (rp_strcaseeq(ids[k], o->measures[i]))
                    x = &m->measures[k];
        }
        if (x) {
            add_measure(&v, &n, &cap, x);
            continue;
        }
        char *near = build_closest_ids(o->measures[i], ids, m->nmeasures, 3);
        if (near)
            rp_err(errs, NULL, 0, "-m", "unknown measure \"%s\"; did you mean %s?",
                   o->measures[i], near);
        else
            rp_err(errs, NULL, 0, "-m", "unknown measure \"%s\"; no measure id "
                   "is close (see %s)", o->measures[i],
                   m->in && m->in->measures_path ? m->in->measures_path
                                                 : "measures.csv");
        free(near);
        bad = 1;
    }
    if (o->service_area) {
        long a = model_find_area(m, o->service_area);
        if (a < 0) {
            rp_buf known;
            rp_buf_init(&known);
            for (size_t k = 0; k < m->nareas; k++)
                rp_buf_printf(&known, "%s\"%s\"", k ? ", " : "", m->areas[k].name);
            rp_err(errs, NULL, 0, "--service-area",
                   "unknown service area \"%s\" (known: %s)", o->service_area,
                   known.s ? known.s : "none");
            rp_buf_free(&known);
            bad = 1;
        } else {
            for (size_t k = 0; k < m->areas[a].nmeasures; k++)
                add_measure(&v, &n, &cap,
                            &m->measures[m->areas[a].measures[k]]);
        }
    }
    /* the template's trends sections only when nothing was chosen on the
     * command line, so -m always means exactly those measures */
    if (!o->nmeasures && !o->service_area)
        for (size_t s = 0; s < t->nsections; s++) {
            const template_section *sec = &t->sections[s];
            if (sec->kind != TEMPLATE_SECTION_TRENDS)
                continue;
            for (size_t k = 0; k < sec->nmeasures; k++) {
                const model_measure *x = model_find_measure(m, sec->measures[k]);
                if (x)
                    add_measure(&v, &n, &cap, x);
                else {
                    char *near = build_closest_ids(sec->measures[k], ids,
                                                m->nmeasures, 3);
                    rp_err(errs, t->path, sec->line, "sections",
                           "unknown measure \"%s\"%s%s%s", sec->measures[k],
                           near ? "; did you mean " : "", near ? near : "",
                           near ? "?" : "");
                    free(near);
                    bad = 1;
                }
            }
        }
    free(ids);
    *out = v;
    *nout = n;
    return bad ? -1 : 0;
}

static int template_years(const pack_template *t)
{
    for (size_t s = 0; s < t->nsections; s++)
        if (t->sections[s].kind == TEMPLATE_SECTION_TRENDS && t->sections[s].years > 0)
            return t->sections[s].years;
    return 3;
}

/* ---- names: a pack of other options is never replaced by accident ---- */

static void slug_add(rp_buf *b, const char *s)
{
    int dash = b->len > 0 && b->s[b->len - 1] == '-';
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (isalnum(c) || c == '_' || c == '.' || c == '+') {
            char l = (char)tolower(c);
            rp_buf_add(b, &l, 1);
            dash = 0;
        } else if (!dash) {
            rp_buf_add(b, "-", 1);
            dash = 1;
        }
    }
    while (b->len && b->s[b->len - 1] == '-')
        b->s[--b->len] = '\0';
}

/* FNV-1a, only to shorten a long list of ids in a file name. */
static unsigned long name_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return (unsigned long)h;
}

char *build_trend_stem(const build_trend_options *o, rp_period want)
{
    rp_buf what, b;
    rp_buf_init(&what);
    for (size_t i = 0; i < o->nmeasures; i++) {
        if (i)
            rp_buf_puts(&what, "+");
        slug_add(&what, o->measures[i]);
    }
    if (o->service_area && *o->service_area) {
        if (what.len)
            rp_buf_puts(&what, "-");
        rp_buf_puts(&what, "area-");
        slug_add(&what, o->service_area);
    }
    char *tstem = build_template_stem(o->template_path);
    if (!what.len)
        slug_add(&what, tstem);      /* the template's own trends */
    rp_buf_init(&b);
    rp_buf_puts(&b, "trend-");
    if (what.len > 80) {
        /* many ids: the first, how many more, and a hash of them all */
        size_t first = strcspn(what.s, "+-");
        rp_buf_printf(&b, "%.*s-and-%zu-more-%08lx", (int)first, what.s,
                      o->nmeasures > 1 ? o->nmeasures - 1 : 0, name_hash(what.s));
    } else {
        rp_buf_puts(&b, what.s);
    }
    char per[32];
    rp_period_format(want, per, sizeof per);
    for (char *c = per; *c; c++)       /* "2023/24 Q3" → "2023-24-Q3" */
        if (*c == '/' || *c == ' ')
            *c = '-';
    rp_buf_printf(&b, "-%s", per);
    if (o->years)
        rp_buf_printf(&b, "-%dy", o->years);
    if (o->by == COMPOSE_BY_QUARTER)
        rp_buf_puts(&b, "-by-quarter");
    else if (o->by == COMPOSE_BY_YEAR)
        rp_buf_puts(&b, "-by-year");
    if (what.len && strcmp(tstem, "trend") != 0 &&
        (o->nmeasures || (o->service_area && *o->service_area))) {
        rp_buf_puts(&b, "-");
        slug_add(&b, tstem);
    }
    free(tstem);
    rp_buf_free(&what);
    return b.s;
}

/* The path as the same folder is named from any working folder. */
static void record_path_line(rp_buf *b, const char *key, const char *path)
{
    char *real = path && *path ? realpath(path, NULL) : NULL;
    rp_buf_printf(b, "%s=%s\n", key, real ? real : path ? path : "");
    free(real);
}

/* Everything that decides a trend pack's content, one "key=value" a line. */
static char *options_record(const build_trend_options *o, rp_period want)
{
    rp_buf b;
    rp_buf_init(&b);
    char per[32];
    rp_buf_printf(&b, "ragpack-trend 1\nversion=%s\n", RP_VERSION);
    record_path_line(&b, "input", o->input_dir);
    record_path_line(&b, "template", o->template_path);
    rp_buf_printf(&b, "period=%s\n", rp_period_format(want, per, sizeof per));
    for (size_t i = 0; i < o->nmeasures; i++)
        rp_buf_printf(&b, "measure=%s\n", o->measures[i]);
    rp_buf_printf(&b, "service_area=%s\nyears=%d\nby=%d\n",
                  o->service_area ? o->service_area : "", o->years, o->by);
    record_path_line(&b, "fonts", o->fonts_dir);
    return b.s;
}

/* <folder of the PDF>/.ragpack/<PDF name>.trend */
static char *record_path(const char *pdf_path)
{
    const char *slash = strrchr(pdf_path, '/');
    if (!slash)
        return rp_xasprintf(".ragpack/%s.trend", pdf_path);
    return rp_xasprintf("%.*s/.ragpack/%s.trend", (int)(slash - pdf_path),
                        pdf_path, slash + 1);
}

static int refuse_other_options(const char *pdf_path, const char *record,
                                rp_errors *errs)
{
    struct stat st;
    if (stat(pdf_path, &st) != 0)
        return 0;
    char *path = record_path(pdf_path);
    char why[200];
    char *had = rp_read_input(path, (size_t)1 << 20, NULL, why, sizeof why);
    int rc = 0;
    if (had && strcmp(had, record) != 0) {
        rp_err(errs, pdf_path, 0, NULL, "exists and was built with other "
               "options (%s); give --force to replace it, or --pdf FILE or "
               "-o DIR for another name", path);
        rc = -1;
    }
    free(had);
    free(path);
    return rc;
}

static int record_options(const char *pdf_path, const char *record,
                          rp_errors *errs)
{
    char *path = record_path(pdf_path);
    char *dir = rp_xstrndup(path, (size_t)(strrchr(path, '/') - path));
    rp_atomic a;
    int rc = -1;
    if (rp_mkdir_p(dir) == 0 && rp_atomic_open(&a, path, errs) == 0) {
        int ok = fputs(record, a.f) >= 0;
        rc = rp_atomic_commit(&a, ok, errs);
    }
    free(dir);
    free(path);
    return rc;
}

/* ---- the build --------------------------------------------------------------------- */

int build_trend(const build_trend_options *o, build_result *res, rp_errors *errs)
{
    memset(res, 0, sizeof *res);
    build_run run;
    build_run_init(&run);
    int rc = -1;
    const model_measure **ms = NULL;
    size_t nms = 0;
    compute_trend *ts = NULL;
    rp_period want;
    memset(&want, 0, sizeof want);

    if (o->years && (o->years < 2 || o->years > 10)) {
        rp_err(errs, NULL, 0, "--years", "%d is out of range; give 2 to 10",
               o->years);
        return -1;
    }
    if (o->period && *o->period && rp_period_parse(o->period, &want) != 0) {
        rp_err(errs, NULL, 0, "period", "\"%s\" is not a quarter or a year "
               "(e.g. \"2023/24 Q3\", \"2023/24\", \"2024\", \"AY 2024/25\")",
               o->period);
        return -1;
    }
    if (build_run_load(&run, o->template_path, o->input_dir, errs) != 0)
        goto out;
    if (select_measures(o, &run.t, &run.m, &ms, &nms, errs) != 0)
        goto out;
    if (nms == 0) {
        rc = BUILD_TREND_NO_MEASURES;
        goto out;
    }
    if (!want.kind)
        want = compute_latest_period(ms, nms);
    if (!want.kind) {
        rp_err(errs, run.in.kpi_path, 0, NULL, "the chosen measures have no values");
        goto out;
    }

    compose_trend_options po;
    memset(&po, 0, sizeof po);
    po.measures = ms;
    po.nmeasures = nms;
    po.years = o->years ? o->years : template_years(&run.t);
    po.by = o->by;
    po.period = want;
    if (want.kind == RP_PER_QUARTER) {
        /* the pack's own data-quality findings; a quarter the rest of the
         * data cannot rate just means fewer notes */
        compute_options opt;
        compute_options_default(&opt);
        opt.stale_quarters = run.t.stale_quarters;
        rp_errors quiet;
        rp_errors_init(&quiet);
        run.have_r = compute_results_build(&run.m, &opt, want, &run.r, &quiet) == 0;
        rp_errors_free(&quiet);
        po.r = run.have_r ? &run.r : NULL;
    }

    ts = rp_xcalloc(nms, sizeof *ts);
    int any = 0;
    for (size_t i = 0; i < nms; i++) {
        compute_trend_measure(ms[i], want, po.years, &ts[i]);
        for (size_t k = 0; k < ts[i].nyears; k++)
            any |= rp_has(ts[i].years[k].value);
    }
    if (!any) {
        char per[32];
        rp_err(errs, run.in.kpi_path, 0, NULL, "no value for the chosen measures "
               "in the %d years up to %s", po.years,
               rp_period_format(want, per, sizeof per));
        goto out;
    }

    po.trends = ts;
    if (build_run_fonts(&run, o->fonts_dir, o->template_path, errs) != 0)
        goto out;
    run.doc = doc_create();
    if (compose_trend(&run.t, &run.m, &po, run.doc, errs) != 0)
        goto out;
    if (layout_paginate(run.doc, &run.t, run.fonts, &run.pages, errs) != 0)
        goto out;

    /* names: the PDF, and its stem as the figures folder */
    if (o->out_path && *o->out_path) {
        res->pdf_path = rp_xstrdup(o->out_path);
    } else {
        char *stem = build_trend_stem(o, want);
        res->pdf_path = rp_xasprintf("%s/%s.pdf", o->out_dir && *o->out_dir
                                     ? o->out_dir : "output", stem);
        free(stem);
    }
    size_t pl = strlen(res->pdf_path);
    const char *base = strrchr(res->pdf_path, '/');
    base = base ? base + 1 : res->pdf_path;
    if (pl > 4 && rp_strcaseeq(res->pdf_path + pl - 4, ".pdf") &&
        res->pdf_path + pl - 4 > base)
        res->figures_dir = rp_xstrndup(res->pdf_path, pl - 4);
    else
        res->figures_dir = rp_xasprintf("%s.figures", res->pdf_path);
    char *record = options_record(o, want);
    if (!o->force && refuse_other_options(res->pdf_path, record, errs) != 0) {
        free(record);
        goto out;
    }
    trend_csv tc = { ts, nms };
    res->html_path = build_html_path(res->pdf_path);
    res->chart_files = build_chart_choice(o->chart_files, &run.t);
    if (build_publish(run.doc, &run.pages, &run.t, run.fonts, res->pdf_path,
                   res->figures_dir, NULL, write_figures, &tc,
                   res->chart_files, errs) != 0) {
        free(record);
        goto out;
    }
    if (record_options(res->pdf_path, record, errs) != 0)
        rp_warn(errs, res->pdf_path, 0, NULL, "cannot record the options it "
                "was built with; the next trend pack of this name will not "
                "be checked against them");
    free(record);

    struct stat st;
    res->bytes = stat(res->pdf_path, &st) == 0 ? (long)st.st_size : 0;
    res->pages = (int)run.pages.npages;
    res->warnings = errs->nwarnings;
    rc = 0;
out:
    for (size_t i = 0; ts && i < nms; i++)
        compute_trend_free(&ts[i]);
    free(ts);
    free(ms);
    build_run_free(&run);
    if (rc != 0)
        build_result_free(res);
    return rc;
}
