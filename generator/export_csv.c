/* export_csv.c — export the computed figures as CSV beside the PDF: ratings.csv,
 * finance.csv and trends.csv, so a reader can check every figure. */
#include "export_csv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A value cell: plain full precision, empty when missing. */
static void num_field(FILE *out, rp_value v)
{
    char buf[48];
    if (rp_has(v))
        fputs(rp_num_plain(v.num, buf, sizeof buf), out);
}

static void period_field(FILE *out, rp_period p)
{
    char buf[32];
    rp_csv_field(out, rp_period_format(p, buf, sizeof buf));
}

static int finish(FILE *out)
{
    return ferror(out) ? -1 : 0;
}

static const char *area_name(const compute_results *r, const compute_rating *x)
{
    if (x->measure->area < r->nareas && r->areas[x->measure->area].area)
        return r->areas[x->measure->area].area->name;
    return x->measure->def->service_area;
}

int export_csv_ratings(const compute_results *r, FILE *out)
{
    fputs("measure,breakdown,service_area,period,value,target,rag,"
          "vs_previous_quarter,vs_last_year,national,regional\n", out);
    for (size_t i = 0; i < r->nratings; i++) {
        const compute_rating *x = &r->ratings[i];
        rp_csv_field(out, x->measure->def->id);
        fputc(',', out);
        rp_csv_field(out, x->series->breakdown);
        fputc(',', out);
        rp_csv_field(out, area_name(r, x));
        fputc(',', out);
        period_field(out, x->period);
        fputc(',', out);
        num_field(out, x->value);
        fputc(',', out);
        num_field(out, x->target);
        fprintf(out, ",%s,%s,%s,", rp_rag_name(x->rag),
                rp_direction_name(x->vs_prev), rp_direction_name(x->vs_year));
        num_field(out, x->national);
        fputc(',', out);
        num_field(out, x->regional);
        fputc('\n', out);
    }
    return finish(out);
}

int export_csv_finance(const compute_results *r, FILE *out)
{
    fputs("service_area,period,budget,forecast,variance,variance_pct,"
          "change_since_previous,savings_target,savings_forecast\n", out);
    for (size_t i = 0; i < r->nfinance; i++) {
        const compute_finance *f = &r->finance[i];
        rp_csv_field(out, f->service_area);
        fputc(',', out);
        period_field(out, f->period);
        const rp_value v[] = { f->budget, f->forecast, f->variance,
                               f->variance_pct, f->change, f->savings_target,
                               f->savings_forecast };
        for (size_t k = 0; k < sizeof v / sizeof v[0]; k++) {
            fputc(',', out);
            num_field(out, v[k]);
        }
        fputc('\n', out);
    }
    return finish(out);
}

int export_csv_trends(const compute_results *r, FILE *out)
{
    fputs("measure,year,value,complete,yoy_change_pct,yoy_change\n", out);
    for (size_t i = 0; i < r->ntrends; i++) {
        const compute_trend *t = &r->trends[i];
        if (!t->measure)
            continue;
        for (size_t k = 0; k < t->nyears; k++) {
            const compute_year *y = &t->years[k];
            rp_csv_field(out, t->measure->def->id);
            fputc(',', out);
            period_field(out, y->period);
            fputc(',', out);
            num_field(out, y->value);
            fputs(y->complete ? ",yes," : ",no,", out);
            num_field(out, y->yoy_pct);
            fputc(',', out);
            num_field(out, y->yoy_change);
            fputc('\n', out);
        }
    }
    return finish(out);
}

/* One file through rp_atomic: a reader never sees half a file, and an
 * old one survives a failed run. */
static int write_atomic(const char *dir, const char *name,
                        int (*fn)(const compute_results *, FILE *),
                        const compute_results *r, rp_errors *errs)
{
    char *path = rp_xasprintf("%s/%s", dir, name);
    rp_atomic a;
    int rc = rp_atomic_open(&a, path, errs);
    if (rc == 0) {
        int ok = fn(r, a.f) == 0;
        if (!ok)
            rp_err(errs, path, 0, NULL, "cannot write: %s", strerror(errno));
        rc = rp_atomic_commit(&a, ok, errs);
    }
    free(path);
    return rc;
}

int export_csv_write_all(const compute_results *r, const char *dir, rp_errors *errs)
{
    if (!dir || !*dir)
        dir = ".";
    if (rp_mkdir_p(dir) != 0) {
        rp_err(errs, dir, 0, NULL, "cannot create directory: %s",
               strerror(errno));
        return -1;
    }
    int rc = 0;
    rc |= write_atomic(dir, "ratings.csv", export_csv_ratings, r, errs);
    rc |= write_atomic(dir, "finance.csv", export_csv_finance, r, errs);
    rc |= write_atomic(dir, "trends.csv", export_csv_trends, r, errs);
    return rc ? -1 : 0;
}
