/* export_xlsx.c — ratings, finance and trends as one workbook beside the
 * CSVs. The same rows as the CSVs (compute_results), typed for a
 * spreadsheet: percentages are stored as fractions with a % format (52.3%
 * is 0.523), money with a £ format, periods as text with their end date
 * beside them. */
#define _GNU_SOURCE     /* fopencookie: libxlsxwriter's parts in memory */
#include "export_xlsx.h"

#include <xlsxwriter.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__GLIBC__)
/* ---- libxlsxwriter's temporary files ---------------------------------------
 * libxlsxwriter writes each part of the workbook (sheets, styles, shared
 * strings, a dozen of them) to a temporary file it creates and unlinks in
 * tmpdir, then copies it into the zip: a dozen file creations per pack,
 * 7% of a build without chart files. Debian builds it without its
 * in-memory option, but it makes them all through the exported
 * lxw_tmpfile, called through its PLT: this definition replaces it for the
 * process (as render_pdf.c does for libharu's glyph lookup) with a
 * read-write stream in memory (fopencookie). The workbook's bytes are the
 * same; if the stream cannot be made, libxlsxwriter's own tmpfileplus. */
typedef struct mem_file { char *b; size_t len, cap, pos; } mem_file;

static ssize_t mem_read(void *c, char *buf, size_t n)
{
    mem_file *m = c;
    size_t k = m->pos < m->len ? m->len - m->pos : 0;
    if (k > n)
        k = n;
    memcpy(buf, m->b + m->pos, k);
    m->pos += k;
    return (ssize_t)k;
}

static ssize_t mem_write(void *c, const char *buf, size_t n)
{
    mem_file *m = c;
    if (m->pos + n > m->cap) {
        size_t nc = m->cap ? m->cap : 4096;
        while (nc < m->pos + n)
            nc *= 2;
        char *nb = realloc(m->b, nc);
        if (!nb)
            return 0;   /* a short write: libxlsxwriter reports it */
        m->b = nb;
        m->cap = nc;
    }
    if (m->pos > m->len)    /* a seek past the end reads back as zeros */
        memset(m->b + m->len, 0, m->pos - m->len);
    memcpy(m->b + m->pos, buf, n);
    m->pos += n;
    if (m->pos > m->len)
        m->len = m->pos;
    return (ssize_t)n;
}

static int mem_seek(void *c, off64_t *off, int whence)
{
    mem_file *m = c;
    off64_t base = whence == SEEK_SET ? 0
                 : whence == SEEK_CUR ? (off64_t)m->pos
                 : whence == SEEK_END ? (off64_t)m->len : -1;
    if (base < 0 || base + *off < 0)
        return -1;
    m->pos = (size_t)(base + *off);
    *off = (off64_t)m->pos;
    return 0;
}

static int mem_close(void *c)
{
    mem_file *m = c;
    free(m->b);
    free(m);
    return 0;
}

FILE *tmpfileplus(const char *dir, const char *prefix, char **pathname,
                  int keep);

FILE *lxw_tmpfile(char *tmpdir)
{
    mem_file *m = calloc(1, sizeof *m);
    cookie_io_functions_t io = { mem_read, mem_write, mem_seek, mem_close };
    FILE *f = m ? fopencookie(m, "w+", io) : NULL;
    if (f)
        return f;
    free(m);
    return tmpfileplus(tmpdir, NULL, NULL, 0);
}
#endif

int export_xlsx_period_end(rp_period p, int *y, int *m, int *d)
{
    switch (p.kind) {
    case RP_PER_QUARTER: {
        static const int em[5] = { 0, 6, 9, 12, 3 }, ed[5] = { 0, 30, 30, 31, 31 };
        if (p.q < 1 || p.q > 4)
            return 0;
        *y = p.q == 4 ? p.fy + 1 : p.fy;
        *m = em[p.q];
        *d = ed[p.q];
        return 1;
    }
    case RP_PER_FYEAR: *y = p.fy + 1; *m = 3; *d = 31; return 1;
    case RP_PER_CYEAR: *y = p.fy; *m = 12; *d = 31; return 1;
    case RP_PER_AYEAR: *y = p.fy + 1; *m = 8; *d = 31; return 1;
    default: return 0;
    }
}

typedef struct fmts {
    lxw_format *head, *text, *bold, *date, *gbp, *pct, *count, *num, *total;
    lxw_format *gbp_total, *pct_total;
    lxw_format *pts;        /* a percentage's change: points, not % */
    lxw_format *rag[RP_RAG_COUNT];
} fmts;

/* Text as a string cell: never a formula, whatever it begins with. */
static void put_text(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
                     const char *s, lxw_format *f)
{
    worksheet_write_string(ws, r, c, s ? s : "", f);
}

static void put_num(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, rp_value v,
                    int percent, lxw_format *f)
{
    if (!rp_has(v)) {
        worksheet_write_blank(ws, r, c, f);
        return;
    }
    double x = rp_num_to_double(v.num);
    worksheet_write_number(ws, r, c, percent ? x / 100.0 : x, f);
}

static void put_period(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
                       rp_period p, const fmts *f)
{
    char buf[32];
    put_text(ws, r, c, rp_period_format(p, buf, sizeof buf), f->text);
    int y, m, d;
    if (export_xlsx_period_end(p, &y, &m, &d)) {
        lxw_datetime dt = { y, m, d, 0, 0, 0 };
        worksheet_write_datetime(ws, r, c + 1, &dt, f->date);
    } else {
        worksheet_write_blank(ws, r, c + 1, f->date);
    }
}

static void header(lxw_worksheet *ws, const char *const *names, size_t n,
                   const double *widths, lxw_row_t last, const fmts *f)
{
    for (size_t i = 0; i < n; i++) {
        put_text(ws, 0, (lxw_col_t)i, names[i], f->head);
        worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, widths[i], NULL);
    }
    worksheet_freeze_panes(ws, 1, 0);
    worksheet_autofilter(ws, 0, 0, last, (lxw_col_t)(n - 1));
}

static lxw_format *unit_format(const fmts *f, rp_unit u)
{
    switch (u) {
    case RP_UNIT_PERCENT: return f->pct;
    case RP_UNIT_GBP:     return f->gbp;
    case RP_UNIT_COUNT:   return f->count;
    default:              return f->num;
    }
}

static const char *area_name(const compute_results *r, const compute_rating *x)
{
    if (x->measure->area < r->nareas && r->areas[x->measure->area].area)
        return r->areas[x->measure->area].area->name;
    return x->measure->def->service_area;
}

static void sheet_ratings(lxw_workbook *wb, const compute_results *r,
                          const fmts *f)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "ratings");
    static const char *const hd[] = {
        "Measure id", "Measure", "Breakdown", "Service area", "Period",
        "Period end", "Value", "Target", "RAG", "vs previous quarter",
        "vs last year", "National", "Regional"
    };
    static const double w[] = { 18, 48, 18, 26, 12, 12, 12, 12, 11, 18, 18,
                                12, 12 };
    size_t n = sizeof hd / sizeof hd[0];
    header(ws, hd, n, w, (lxw_row_t)r->nratings, f);
    for (size_t i = 0; i < r->nratings; i++) {
        const compute_rating *x = &r->ratings[i];
        const input_measure_row *d = x->measure->def;
        lxw_row_t row = (lxw_row_t)(i + 1);
        int pct = d->unit == RP_UNIT_PERCENT;
        lxw_format *uf = unit_format(f, d->unit);
        put_text(ws, row, 0, d->id, f->text);
        put_text(ws, row, 1, d->title, f->text);
        put_text(ws, row, 2, x->series->breakdown, f->text);
        put_text(ws, row, 3, area_name(r, x), f->text);
        put_period(ws, row, 4, x->period, f);
        put_num(ws, row, 6, x->value, pct, uf);
        put_num(ws, row, 7, x->target, pct, uf);
        put_text(ws, row, 8, rp_rag_label(x->rag), f->rag[x->rag]);
        put_text(ws, row, 9, rp_direction_label(x->vs_prev), f->text);
        put_text(ws, row, 10, rp_direction_label(x->vs_year), f->text);
        put_num(ws, row, 11, x->national, pct, uf);
        put_num(ws, row, 12, x->regional, pct, uf);
    }
}

static void sheet_finance(lxw_workbook *wb, const compute_results *r,
                          const fmts *f)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "finance");
    static const char *const hd[] = {
        "Service area", "Period", "Period end", "Budget", "Forecast",
        "Variance", "Variance %", "Change since previous quarter",
        "Savings target", "Savings forecast"
    };
    static const double w[] = { 34, 12, 12, 16, 16, 14, 12, 16, 16, 16 };
    size_t n = sizeof hd / sizeof hd[0];
    header(ws, hd, n, w, (lxw_row_t)r->nfinance, f);
    const compute_finance *tot = compute_finance_total(r);
    for (size_t i = 0; i < r->nfinance; i++) {
        const compute_finance *x = &r->finance[i];
        lxw_row_t row = (lxw_row_t)(i + 1);
        int t = x == tot;
        put_text(ws, row, 0, x->service_area, t ? f->total : f->text);
        put_period(ws, row, 1, x->period, f);
        lxw_format *g = t ? f->gbp_total : f->gbp;
        put_num(ws, row, 3, x->budget, 0, g);
        put_num(ws, row, 4, x->forecast, 0, g);
        put_num(ws, row, 5, x->variance, 0, g);
        put_num(ws, row, 6, x->variance_pct, 1, t ? f->pct_total : f->pct);
        put_num(ws, row, 7, x->change, 0, g);
        put_num(ws, row, 8, x->savings_target, 0, g);
        put_num(ws, row, 9, x->savings_forecast, 0, g);
    }
}

static void sheet_trends(lxw_workbook *wb, const compute_results *r,
                         const fmts *f)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "trends");
    static const char *const hd[] = {
        "Measure id", "Measure", "Year", "Year end", "Value", "Complete",
        "Change on previous year",
        ("Change on previous year (in the measure's unit; percentage "
         "points for a percentage)")
    };
    static const double w[] = { 18, 48, 12, 12, 14, 10, 14, 18 };
    size_t rows = 0;
    for (size_t i = 0; i < r->ntrends; i++)
        rows += r->trends[i].measure ? r->trends[i].nyears : 0;
    header(ws, hd, sizeof hd / sizeof hd[0], w, (lxw_row_t)rows, f);
    lxw_row_t row = 1;
    for (size_t i = 0; i < r->ntrends; i++) {
        const compute_trend *t = &r->trends[i];
        if (!t->measure)
            continue;
        const input_measure_row *d = t->measure->def;
        for (size_t k = 0; k < t->nyears; k++, row++) {
            const compute_year *y = &t->years[k];
            put_text(ws, row, 0, d->id, f->text);
            put_text(ws, row, 1, d->title, f->text);
            put_period(ws, row, 2, y->period, f);
            put_num(ws, row, 4, y->value, d->unit == RP_UNIT_PERCENT,
                    unit_format(f, d->unit));
            put_text(ws, row, 5, y->complete ? "yes" : "no", f->text);
            put_num(ws, row, 6, y->yoy_pct, 1, f->pct);
            put_num(ws, row, 7, y->yoy_change, 0,
                    d->unit == RP_UNIT_PERCENT ? f->pts : unit_format(f, d->unit));
        }
    }
}

static lxw_format *fmt_num(lxw_workbook *wb, const char *numfmt, int bold)
{
    lxw_format *x = workbook_add_format(wb);
    if (numfmt)
        format_set_num_format(x, numfmt);
    if (bold)
        format_set_bold(x);
    return x;
}

static void make_formats(lxw_workbook *wb, fmts *f)
{
    f->head = fmt_num(wb, NULL, 1);
    format_set_bg_color(f->head, 0xF3F2F1);
    format_set_bottom(f->head, LXW_BORDER_THIN);
    format_set_text_wrap(f->head);
    f->text = fmt_num(wb, "@", 0);
    f->bold = fmt_num(wb, "@", 1);
    f->total = f->bold;
    f->date = fmt_num(wb, "dd/mm/yyyy", 0);
    f->gbp = fmt_num(wb, "\u00a3#,##0;-\u00a3#,##0", 0);
    f->gbp_total = fmt_num(wb, "\u00a3#,##0;-\u00a3#,##0", 1);
    f->pct = fmt_num(wb, "0.0%", 0);
    f->pct_total = fmt_num(wb, "0.0%", 1);
    f->count = fmt_num(wb, "#,##0", 0);
    f->num = fmt_num(wb, "#,##0.0##", 0);
    f->pts = fmt_num(wb, "+0.0\" pts\";-0.0\" pts\";0.0\" pts\"", 0);
    /* the pack's RAG fills (GOV.UK), with ink that reads on each */
    static const lxw_color_t fill[RP_RAG_COUNT] = { 0xB1B4B6, 0x00703C,
                                                    0xF47738, 0xD4351C };
    static const lxw_color_t ink[RP_RAG_COUNT] = { 0x0B0C0C, 0xFFFFFF,
                                                   0x0B0C0C, 0xFFFFFF };
    for (int k = 0; k < RP_RAG_COUNT; k++) {
        f->rag[k] = fmt_num(wb, "@", 1);
        format_set_pattern(f->rag[k], LXW_PATTERN_SOLID);
        format_set_bg_color(f->rag[k], fill[k]);
        format_set_font_color(f->rag[k], ink[k]);
    }
}

int export_xlsx_write(const compute_results *r, const char *path,
                      rp_errors *errs)
{
    char *tmp = rp_xasprintf("%s.tmp%ld", path, (long)getpid());
    const char *slash = strrchr(path, '/');
    char *dir = slash ? rp_xstrndup(path, (size_t)(slash - path))
                      : rp_xstrdup(".");
    /* libxlsxwriter's own temporary files go beside the workbook */
    lxw_workbook_options o = { .constant_memory = LXW_FALSE,
                               .tmpdir = *dir ? dir : "/" };
    lxw_workbook *wb = workbook_new_opt(tmp, &o);
    int rc = -1;
    if (!wb) {
        rp_err(errs, path, 0, NULL, "cannot create the workbook");
        goto out;
    }
    /* with SOURCE_DATE_EPOCH the workbook's date is the build's */
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    lxw_doc_properties props = { 0 };
    props.title = (char *)"Computed figures";
    props.created = sde && *sde ? (time_t)strtoll(sde, NULL, 10) : 0;
    if (props.created)
        workbook_set_properties(wb, &props);
    fmts f;
    make_formats(wb, &f);
    sheet_ratings(wb, r, &f);
    sheet_finance(wb, r, &f);
    sheet_trends(wb, r, &f);
    lxw_error e = workbook_close(wb);
    if (e != LXW_NO_ERROR) {
        rp_err(errs, path, 0, NULL, "cannot write the workbook: %s",
               lxw_strerror(e));
        unlink(tmp);
        goto out;
    }
    if (rename(tmp, path) != 0) {
        rp_err(errs, path, 0, NULL, "cannot write: %s", strerror(errno));
        unlink(tmp);
        goto out;
    }
    rc = 0;
out:
    free(tmp);
    free(dir);
    return rc;
}
