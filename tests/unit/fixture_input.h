/* fixture_input.h — input for the tests of later stages: an input_folder
 * built in memory row by row (no CSV files), or CSV text written into a
 * folder for tests that go through input_read. Shared so that every
 * test builds rows the same way and frees exactly what it owns. */
#ifndef FIXTURE_INPUT_H
#define FIXTURE_INPUT_H

#include "testutil.h"

#include "compute.h"
#include "input.h"

/* ---- figures ---- */

/* "-12.5" → rp_num: the tests' own decimal reader (not rp_num_parse, so
 * they do not depend on the code they check). */
static inline rp_num fi_dec(const char *s)
{
    int neg = *s == '-';
    if (neg)
        s++;
    rp_num ip = 0, fp = 0;
    int fd = 0;
    for (; *s && *s != '.'; s++)
        ip = ip * 10 + (*s - '0');
    if (*s == '.')
        for (s++; *s; s++, fd++)
            fp = fp * 10 + (*s - '0');
    for (; fd < RP_SCALE_DIGITS; fd++)
        fp *= 10;
    rp_num v = ip * RP_SCALE + fp;
    return neg ? -v : v;
}

/* ---- in memory ---- */

typedef struct fi_input {
    input_folder in;
    size_t cm, ck, cf, cc;   /* capacities of the four row arrays */
    long lm, lk, lf;         /* next line per file, for tests that number
                                rows as they add them (unused otherwise) */
} fi_input;

/* Append a zeroed row to one of the input's arrays. */
static inline void *fi_push(void **rows, size_t *n, size_t *cap, size_t size)
{
    rp_grow(rows, cap, *n + 1, size);
    void *r = (char *)*rows + (*n)++ * size;
    memset(r, 0, size);
    return r;
}

/* The paths are borrowed string literals (input_folder's fields are not
 * const), never written or freed: errors name them. */
static inline void fi_init(fi_input *f, char *measures, char *kpi,
                           char *finance)
{
    memset(f, 0, sizeof *f);
    f->in.measures_path = measures;
    f->in.kpi_path = kpi;
    f->in.finance_path = finance;
}

/* A measure with title = id and no unit label; everything else is zero
 * for the caller to set (polarity, tolerance, annual rule...). */
static inline input_measure_row *fi_measure(fi_input *f, long line,
                                         const char *id, const char *area)
{
    input_measure_row *m = fi_push((void **)&f->in.measures,
                                &f->in.nmeasures, &f->cm, sizeof *m);
    m->line = line;
    m->id = rp_xstrdup(id);
    m->title = rp_xstrdup(id);
    m->service_area = rp_xstrdup(area);
    m->unit_label = rp_xstrdup("");
    m->decimals = -1;
    return m;
}

/* No national or regional comparator; bd NULL or "" = whole authority. */
static inline input_kpi_row *fi_kpi(fi_input *f, long line, const char *id,
                                 rp_period p, rp_value v, rp_value t,
                                 const char *bd)
{
    input_kpi_row *k = fi_push((void **)&f->in.kpis,
                            &f->in.nkpis, &f->ck, sizeof *k);
    k->line = line;
    k->measure = rp_xstrdup(id);
    k->period = p;
    k->value = v;
    k->target = t;
    k->national = k->regional = rp_value_missing(RP_MISS_EMPTY);
    k->extra = NULL;    /* no benchmarking or volume columns */
    k->breakdown = rp_xstrdup(bd ? bd : "");
    return k;
}

/* No savings figures unless the caller sets them. */
static inline input_finance_row *fi_fin(fi_input *f, long line,
                                     const char *area, rp_period p,
                                     rp_value budget, rp_value forecast)
{
    input_finance_row *r = fi_push((void **)&f->in.finance,
                                &f->in.nfinance, &f->cf, sizeof *r);
    r->line = line;
    r->service_area = rp_xstrdup(area);
    r->period = p;
    r->budget = budget;
    r->forecast = forecast;
    r->savings_target = r->savings_forecast = rp_value_missing(RP_MISS_EMPTY);
    return r;
}

static inline input_comment_row *fi_comment(fi_input *f, long line,
                                         const char *scope, rp_period p,
                                         const char *text)
{
    input_comment_row *c = fi_push((void **)&f->in.comments,
                                &f->in.ncomments, &f->cc, sizeof *c);
    c->line = line;
    c->scope = rp_xstrdup(scope);
    c->period = p;
    c->text = rp_xstrdup(text);
    return c;
}

/* Frees the rows, not the borrowed paths (so not input_free). */
static inline void fi_free(fi_input *f)
{
    for (size_t i = 0; i < f->in.nmeasures; i++) {
        free(f->in.measures[i].id);
        free(f->in.measures[i].title);
        free(f->in.measures[i].service_area);
        free(f->in.measures[i].unit_label);
    }
    for (size_t i = 0; i < f->in.nkpis; i++) {
        free(f->in.kpis[i].measure);
        free(f->in.kpis[i].breakdown);
    }
    for (size_t i = 0; i < f->in.nfinance; i++)
        free(f->in.finance[i].service_area);
    for (size_t i = 0; i < f->in.ncomments; i++) {
        free(f->in.comments[i].scope);
        free(f->in.comments[i].text);
    }
    free(f->in.measures);
    free(f->in.kpis);
    free(f->in.finance);
    free(f->in.comments);
}

/* The input with the model and results the tests build from it. */
typedef struct fi_world {
    fi_input f;
    model m;
    compute_results r;
    rp_errors e;
} fi_world;

static inline void fi_world_free(fi_world *w)
{
    compute_results_free(&w->r);
    model_free(&w->m);
    rp_errors_free(&w->e);
    fi_free(&w->f);
}

/* ---- on disk ---- */

/* Write dir/name with the given text (a CSV of the input folder). */
static inline void fi_put(const char *dir, const char *name, const char *text)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

#endif
