/* compose_format.c — the helpers both packs compose with: figures as
 * words and cells, footnotes, header rows, anchors, figure ids and
 * blocks (see compose_internal.h). */
#include "compose_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *or_empty(const char *s) { return s ? s : ""; }

/* ---- values ------------------------------------------------------------- */

char *compose_money(rp_num n, char *buf, size_t len)
{
    /* Round at each scale first and promote when rounding reaches the
     * next one, so £999,960 reads "£1.0m", never "£1,000k". In 128 bits:
     * |INT64_MIN| and the rounding of figures near the int64 limits do
     * not fit in an rp_num. */
    unsigned __int128 a = n < 0 ? (unsigned __int128)(-(__int128)n)
                                : (unsigned __int128)n;
    const unsigned __int128 S = RP_SCALE, k = 1000 * S, mn = 1000 * k,
                            bn = 1000 * mn;
    unsigned long long pounds = (unsigned long long)((a + S / 2) / S);
    if (pounds < 1000) {
        snprintf(buf, len, "\u00a3%llu", pounds);
        return buf;
    }
    unsigned long long ks = (unsigned long long)((a + k / 2) / k);
    if (ks < 1000) {
        snprintf(buf, len, "\u00a3%lluk", ks);
        return buf;
    }
    unsigned long long tenths_m = (unsigned long long)((a + mn / 20) /
                                                       (mn / 10));
    if (tenths_m < 10000) {
        snprintf(buf, len, "\u00a3%llu.%llum", tenths_m / 10, tenths_m % 10);
        return buf;
    }
    /* at most 92,233.7bn: tenths of a billion fit an rp_num many times */
    rp_num tenths_b = (rp_num)((a + bn / 20) / (bn / 10));
    char num[40];
    /* thousands of billions still get separators ("£1,234.5bn") */
    rp_num_format(tenths_b * (RP_SCALE / 10), 1, 1, num, sizeof num);
    snprintf(buf, len, "\u00a3%sbn", num);
    return buf;
}

static int unit_default_decimals(rp_unit u)
{
    return u == RP_UNIT_COUNT || u == RP_UNIT_GBP ? 0 : 1;
}

char *compose_fmt_value(const input_measure_row *def, rp_num n, char *buf,
                        size_t len)
{
    if (def->unit == RP_UNIT_GBP) {
        char m[48];
        compose_money(n, m, sizeof m);
        snprintf(buf, len, "%s%s", n < 0 ? "-" : "", m);
        return buf;
    }
    int dec = def->decimals >= 0 ? def->decimals
                                 : unit_default_decimals(def->unit);
    char num[48];
    rp_num_format(n, dec, 1, num, sizeof num);
    snprintf(buf, len, "%s%s", num, def->unit == RP_UNIT_PERCENT ? "%" : "");
    return buf;
}

char *compose_fmt_pct(rp_num n, int sign, char *buf, size_t len)
{
    char num[32];           /* ±9,223,372,036,854.8 at most */
    rp_num_format(n, 1, 1, num, sizeof num);
    snprintf(buf, len, "%s%s%%", sign && n > 0 ? "+" : "", num);
    return buf;
}

/* "+" before a figure that shows as non-zero and has no sign. */
static const char *plus_if(const char *shown)
{
    if (shown[0] == '-')
        return "";
    for (const char *p = shown; *p; p++)
        if (*p >= '1' && *p <= '9')
            return "+";
    return "";
}

int compose_fmt_change(const input_measure_row *def, rp_value change,
                       rp_value pct, char *buf, size_t len)
{
    if (!rp_has(change) || change.num == INT64_MIN) {
        snprintf(buf, len, "%s", COMPOSE_NA);
        return 0;
    }
    char num[64];
    if (def->unit == RP_UNIT_PERCENT) {
        rp_num_format(change.num, def->decimals >= 0 ? def->decimals : 1, 1,
                      num, sizeof num);
        snprintf(buf, len, "%s%s pts", plus_if(num), num);
        return 1;
    }
    compose_fmt_value(def, change.num, num, sizeof num);
    if (rp_has(pct)) {
        char p[48];
        compose_fmt_pct(pct.num, 1, p, sizeof p);
        snprintf(buf, len, "%s%s (%s)", plus_if(num), num, p);
    } else {
        snprintf(buf, len, "%s%s", plus_if(num), num);
    }
    return 1;
}

int compose_fmt_year_change(const input_measure_row *def,
                            const compute_year *y, char *buf, size_t len)
{
    char full[128];
    int has = compose_fmt_change(def, y->yoy_change, y->yoy_pct, full,
                                 sizeof full);
    if (!compute_year_is_ytd(y)) {
        snprintf(buf, len, "%s", full);
        return has;
    }
    char p[32], same[224];
    rp_period_format(rp_fyear(y->fy - 1), p, sizeof p);
    if (def->cumulative) {
        /* a running total against a whole year always "falls": only the
         * same point of the year before compares (contract) */
        char lp[128];
        if (rp_has(y->ytd_change))
            compose_fmt_change(def, y->ytd_change, y->ytd_yoy_pct, lp,
                               sizeof lp);
        else
            snprintf(lp, sizeof lp, "no figure");
        snprintf(buf, len, "%s on %s Q%d; a year to date is not compared "
                 "with a full year", lp, p, y->lastq);
        return 1;
    }
    if (rp_has(y->ytd_change)) {
        char lp[128];
        compose_fmt_change(def, y->ytd_change, y->ytd_yoy_pct, lp, sizeof lp);
        snprintf(same, sizeof same, "%s on the same quarters of %s", lp, p);
    } else {
        snprintf(same, sizeof same, "no figure for the same quarters of %s", p);
    }
    snprintf(buf, len, "%s compared with a full year; %s", full, same);
    return 1;
}

const char *compose_year_kind_words(int kind)
{
    switch (kind) {
    case RP_PER_CYEAR: return "calendar year";
    case RP_PER_AYEAR: return "academic year";
    default:           return "financial year";
    }
}

/* ---- footnotes ------------------------------------------------------------ */

int compose_note_ref(compose_notes *ns, const char *reason)
{
    for (size_t i = 0; i < ns->n; i++)
        if (strcmp(ns->text[i], reason) == 0)
            return (int)i + 1;
    if (ns->n == sizeof ns->text / sizeof ns->text[0])
        return (int)ns->n;          /* more reasons than any table needs */
    ns->text[ns->n++] = rp_xstrdup(reason);
    return (int)ns->n;
}

void compose_notes_flush(document *d, compose_notes *ns)
{
    for (size_t i = 0; i < ns->n; i++) {
        char *t = ns->text[i];
        if (t[0])
            t[0] = (char)toupper((unsigned char)t[0]);
        char *line = rp_xasprintf("[%zu] %s.", i + 1, t);
        doc_block *b = doc_add_paragraph(d, line);
        b->as.paragraph.small = 1;
        b->keep_with_prev = 1;      /* notes go with their table's end */
        free(line);
        free(t);
    }
    ns->n = 0;
}

/* ---- table cells ------------------------------------------------------------ */

void compose_cell_value(doc_cell *c, compose_notes *ns,
                        const input_measure_row *def, rp_value v,
                        const char *blank_reason)
{
    if (!rp_has(v)) {
        rp_miss why = v.miss == RP_MISS_NONE ? RP_MISS_EMPTY : v.miss;
        doc_cell_set(c, COMPOSE_NA, DOC_RIGHT);
        c->footnote = compose_note_ref(ns, why == RP_MISS_EMPTY && blank_reason
                                               ? blank_reason
                                               : rp_miss_reason(why));
        return;
    }
    char buf[64];
    doc_cell_set(c, compose_fmt_value(def, v.num, buf, sizeof buf), DOC_RIGHT);
}

void compose_header_row(doc_block *t, const char *const *names, size_t n)
{
    doc_cell *c = doc_table_add_row(t);
    for (size_t i = 0; i < n; i++) {
        doc_cell_set(&c[i], names[i], i == 0 ? DOC_LEFT : DOC_RIGHT);
        c[i].bold = 1;
    }
}

/* ---- names ------------------------------------------------------------------ */

char *compose_slug(const char *prefix, const char *s)
{
    rp_buf b;
    rp_buf_init(&b);
    rp_buf_puts(&b, prefix);
    int dash = 1;
    for (const unsigned char *p = (const unsigned char *)or_empty(s); *p; p++) {
        if (isalnum(*p)) {
            char c = (char)tolower(*p);
            rp_buf_add(&b, &c, 1);
            dash = 0;
        } else if (!dash) {
            rp_buf_add(&b, "-", 1);
            dash = 1;
        }
    }
    if (b.len > 0 && b.s[b.len - 1] == '-')
        b.s[--b.len] = '\0';
    if (!b.s)
        rp_buf_puts(&b, "");
    return b.s;
}

char *compose_measure_name(const model_measure *x)
{
    const input_measure_row *d = x->def;
    if (d->unit_label && d->unit_label[0])
        return rp_xasprintf("%s (%s)", or_empty(d->title), d->unit_label);
    return rp_xstrdup(or_empty(d->title));
}

/* ---- figures ------------------------------------------------------------------ */

char *compose_fig_id(const char *base, const char *suffix)
{
    char *s = rp_xasprintf("%s-%s", base, suffix);
    for (char *p = s; *p; p++)
        *p = isalnum((unsigned char)*p) ? (char)tolower((unsigned char)*p)
                                        : '-';
    return s;
}

void compose_add_figure(document *d, chart *c, double h)
{
    doc_add_figure(d, chart_id(c), chart_title(c), chart_summary(c), h, c);
}

size_t compose_quarters(int first_fy, rp_period last, rp_period **out)
{
    size_t n = (size_t)(last.fy - first_fy) * 4 + (size_t)last.q;
    rp_period *p = rp_xcalloc(n, sizeof *p);
    for (size_t i = 0; i < n; i++)
        p[i] = rp_quarter(first_fy + (int)(i / 4), (int)(i % 4) + 1);
    *out = p;
    return n;
}

void compose_running_words(const pack_template *t, const char *per,
                           document *doc)
{
    const char *auth = t->authority ? t->authority : "";
    const char *title = t->title ? t->title : "";
    char *h = rp_xasprintf("%s \u00b7 %s \u00b7 %s", auth, title, per);
    doc_set_text(&doc->header_text, h);
    free(h);
    const char *fc = t->committee ? t->committee : "";
    const char *fm = t->meeting_date ? t->meeting_date : "";
    char *f = *fc || *fm
        ? rp_xasprintf("%s%s%s", fc, *fc && *fm ? " \u00b7 " : "", fm)
        : rp_xstrdup(auth);
    doc_set_text(&doc->footer_text, f);
    free(f);
    doc_set_text(&doc->title, title);
    doc_set_text(&doc->author, t->author && *t->author ? t->author : auth);
    char *subj = t->subject && *t->subject ? rp_xstrdup(t->subject)
                                           : rp_xasprintf("%s, %s", title, per);
    doc_set_text(&doc->subject, subj);
    free(subj);
    doc_set_text(&doc->keywords, per);
}

const char *compose_no_change_why(const compute_year *y, int first)
{
    return first ? "first year shown"
         : !rp_has(y->value) ? "no value for this year"
         : !rp_has(y->before) ? "no value for the year before"
         : "cannot be compared with the year before";
}

/* ---- benchmarks ----------------------------------------------------------- */

/* "1st", "2nd", "41st", "112th". */
static const char *ordinal_suffix(int n)
{
    int h = n % 100, t = n % 10;
    if (h >= 11 && h <= 13)
        return "th";
    return t == 1 ? "st" : t == 2 ? "nd" : t == 3 ? "rd" : "th";
}

void compose_rank_text(int rank, int ranked, char *buf, size_t len)
{
    int q = compute_quartile(rank, ranked);
    snprintf(buf, len, "%d%s quartile, %d%s of %d", q, ordinal_suffix(q),
             rank, ordinal_suffix(rank), ranked);
}

void compose_region_add(compose_region *r, const char *name)
{
    if (!name || !*name)
        return;
    if (r->name && strcmp(r->name, name) != 0)
        r->mixed = 1;
    r->name = name;
}

const char *compose_region_heading(const compose_region *r,
                                   const pack_template *t,
                                   const char *fallback)
{
    if (r->name && !r->mixed)
        return r->name;
    return t && t->region ? t->region : fallback;
}
