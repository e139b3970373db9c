/* chart_draw.c — chart geometry. Paths are built on a throw-away cairo
 * context whose matrix maps chart space (box-local, y down) to page space,
 * copied out in device space and handed to the sink; text goes straight to
 * the sink, so no text is ever drawn while a path is being built. */
#include "chart_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define AXIS_PT 8.0      /* pack-design.model: axis labels 8 pt */
#define TITLE_PT 10.0    /* titles 10 pt bold */
#define TITLE_LEAD 12.5
#define ROW_PT 12.0      /* legend row */
#define COS45 0.70710678118654752
#define PI 3.14159265358979323846

typedef struct dc {
    cairo_t *cr;
    double scale;           /* page points per chart unit (widths, dashes) */
    const chart_sink *sink;
    const template_palette *pal;
    fonts *fonts;
    double w, h;            /* the chart box */
} dc;

enum { AL_L = 0, AL_R, AL_C };
enum { MK_NONE = 0, MK_CIRCLE, MK_SQUARE, MK_TRIANGLE, MK_DIAMOND };

static const double DASH_TARGET[] = { 5, 3 };
static const double DASH_NATIONAL[] = { 1.5, 2 };
static const double DASH_REGIONAL[] = { 6, 2, 1.5, 2 };
static const double DASH_NEIGHBOURS[] = { 3, 1.5 };

static template_rgb mix(template_rgb a, template_rgb b, double t)
{
    template_rgb r = { a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t,
                 a.b + (b.b - a.b) * t };
    return r;
}

static const template_rgb WHITE = { 1, 1, 1 };

static template_rgb grid_col(const dc *d) { return mix(d->pal->rule, WHITE, 0.55); }

/* ---- emitting --------------------------------------------------------- */

static cairo_path_t *device_path(dc *d)
{
    cairo_save(d->cr);
    cairo_identity_matrix(d->cr);
    cairo_path_t *p = cairo_copy_path(d->cr);
    cairo_restore(d->cr);
    return p;
}

static void emit_fill(dc *d, template_rgb col)
{
    cairo_path_t *p = device_path(d);
    if (p->status == CAIRO_STATUS_SUCCESS && p->num_data > 0)
        d->sink->fill(d->sink->ctx, p, col);
    cairo_path_destroy(p);
    cairo_new_path(d->cr);
}

/* cairo_copy_path transforms coordinates only: widths and dashes are
 * scaled here. */
static void emit_stroke(dc *d, template_rgb col, double width, const double *dash,
                        int ndash)
{
    double ds[8];
    if (ndash > 8)
        ndash = 8;
    for (int i = 0; i < ndash; i++)
        ds[i] = dash[i] * d->scale;
    cairo_path_t *p = device_path(d);
    if (p->status == CAIRO_STATUS_SUCCESS && p->num_data > 0)
        d->sink->stroke(d->sink->ctx, p, col, width * d->scale,
                        ndash ? ds : NULL, ndash);
    cairo_path_destroy(p);
    cairo_new_path(d->cr);
}

static double tw(const dc *d, fonts_face f, double size, const char *s)
{
    return fonts_width(d->fonts, f, size, s);
}

static double asc(const dc *d, fonts_face f, double size)
{
    return fonts_ascent(d->fonts, f, size);
}

/* Text with its baseline at (x, y) in chart space, aligned along the
 * baseline; angle counter-clockwise. */
static void text(dc *d, double x, double y, fonts_face f, double size,
                 template_rgb col, double angle, int align, const char *s)
{
    if (!s || !*s)
        return;
    double w = tw(d, f, size, s);
    double off = align == AL_R ? w : align == AL_C ? w / 2 : 0;
    x -= off * cos(angle);
    y += off * sin(angle);
    cairo_user_to_device(d->cr, &x, &y);
    d->sink->text(d->sink->ctx, x, y, f, size * d->scale, col, angle, s);
}

/* s cut by code points with "…" so it is at most maxw wide. */
static void fit(const dc *d, fonts_face f, double size, const char *s,
                double maxw, char *buf, size_t len)
{
    snprintf(buf, len, "%s", s);
    if (tw(d, f, size, buf) <= maxw)
        return;
    size_t n = strlen(buf);
    while (n > 0) {
        n--;
        while (n > 0 && ((unsigned char)buf[n] & 0xC0) == 0x80)
            n--;                                /* code point start */
        while (n > 0 && buf[n - 1] == ' ')
            n--;
        if (n + 4 > len)
            continue;
        memcpy(buf + n, "\xE2\x80\xA6", 4);     /* … */
        if (tw(d, f, size, buf) <= maxw)
            return;
    }
    buf[0] = '\0';
}

/* ---- small shapes ----------------------------------------------------- */

static void marker_path(cairo_t *cr, int kind, double x, double y, double r)
{
    switch (kind) {
    case MK_CIRCLE:
        cairo_new_sub_path(cr);
        cairo_arc(cr, x, y, r, 0, 2 * PI);
        cairo_close_path(cr);
        break;
    case MK_SQUARE:
        cairo_rectangle(cr, x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8);
        break;
    case MK_TRIANGLE:
        cairo_move_to(cr, x, y - r * 1.15);
        cairo_line_to(cr, x + r * 1.1, y + r * 0.8);
        cairo_line_to(cr, x - r * 1.1, y + r * 0.8);
        cairo_close_path(cr);
        break;
    case MK_DIAMOND:
        cairo_move_to(cr, x, y - r * 1.25);
        cairo_line_to(cr, x + r * 1.05, y);
        cairo_line_to(cr, x, y + r * 1.25);
        cairo_line_to(cr, x - r * 1.05, y);
        cairo_close_path(cr);
        break;
    default:
        break;
    }
}

/* A rating as its shape: ● green, ▲ amber, ■ red, ○ not rated, so a
 * rating never depends on colour alone. */
static void rag_mark(dc *d, rp_rag k, double x, double y, double r,
                     template_rgb col)
{
    static const int shape[RP_RAG_COUNT] = {
        [RP_RAG_NONE] = MK_CIRCLE, [RP_RAG_GREEN] = MK_CIRCLE,
        [RP_RAG_AMBER] = MK_TRIANGLE, [RP_RAG_RED] = MK_SQUARE };
    marker_path(d->cr, shape[k], x, y, r);
    if (k == RP_RAG_NONE)
        emit_stroke(d, col, 1.0, NULL, 0);
    else
        emit_fill(d, col);
}

static template_rgb rag_col(const dc *d, rp_rag k)
{
    switch (k) {
    case RP_RAG_GREEN: return d->pal->green;
    case RP_RAG_AMBER: return d->pal->amber;
    case RP_RAG_RED:   return d->pal->red;
    default:           return d->pal->none;
    }
}

/* Text colour readable on a RAG fill (amber takes dark text). */
static template_rgb rag_text_col(const dc *d, rp_rag k)
{
    return k == RP_RAG_AMBER ? d->pal->amber_text
         : k == RP_RAG_NONE ? d->pal->text : WHITE;
}

static void rect(dc *d, double x0, double y0, double x1, double y1)
{
    double l = fmin(x0, x1), t = fmin(y0, y1);
    cairo_rectangle(d->cr, l, t, fabs(x1 - x0), fabs(y1 - y0));
}

/* 45° hatching inside a rectangle, computed (sinks have no clipping). */
static void hatch(dc *d, double l, double t, double r, double b,
                  double gap, template_rgb col)
{
    double bw = r - l, bh = b - t;
    for (double k = gap; k < bw + bh; k += gap) {
        double u1 = fmax(0, k - bh), u2 = fmin(bw, k);
        cairo_move_to(d->cr, l + u1, b - (k - u1));
        cairo_line_to(d->cr, l + u2, b - (k - u2));
    }
    emit_stroke(d, col, 0.75, NULL, 0);
}

/* ---- title and legend ---------------------------------------------------- */

/* Wraps the title on spaces (at most 3 lines, the last cut with "…").
 * Returns the y below it. */
static double draw_title(dc *d, const char *title)
{
    if (!title || !*title)
        return 0;
    double y = asc(d, FONTS_BOLD, TITLE_PT);
    const char *p = title;
    char line[512], cut[1100];
    for (int ln = 0; ln < 3 && *p; ln++) {
        while (*p == ' ')
            p++;
        size_t take = 0, n = strlen(p);
        for (size_t i = 0; i <= n; i++) {
            if (p[i] != ' ' && p[i] != '\0')
                continue;
            if (i >= sizeof line)
                break;
            if (take && fonts_width_n(d->fonts, FONTS_BOLD, TITLE_PT, p, i) > d->w)
                break;
            take = i;
        }
        if (!take)                      /* one word wider than the box */
            take = n < sizeof line - 1 ? n : sizeof line - 1;
        memcpy(line, p, take);
        line[take] = '\0';
        p += take;
        while (*p == ' ')
            p++;
        if (ln == 2 && *p) {            /* more left: mark the cut */
            snprintf(cut, sizeof cut, "%s %s", line, p);
            fit(d, FONTS_BOLD, TITLE_PT, cut, d->w, line, sizeof line);
        } else {
            fit(d, FONTS_BOLD, TITLE_PT, line, d->w, cut, sizeof line);
            memcpy(line, cut, sizeof line);
        }
        text(d, 0, y, FONTS_BOLD, TITLE_PT, d->pal->text, 0, AL_L, line);
        y += TITLE_LEAD;
    }
    return y - TITLE_LEAD + fonts_descent(d->fonts, FONTS_BOLD, TITLE_PT) + 6;
}

typedef enum { LG_LINE, LG_BOX, LG_HATCH, LG_RAG } lg_kind;

typedef struct leg {
    lg_kind kind;
    template_rgb col;
    double width;
    const double *dash; int ndash;
    int marker;
    rp_rag rag;
    char text[128];
} leg;

/* Items flow left to right and wrap. Returns the y below the legend. */
static double draw_legend(dc *d, const leg *it, size_t n, double top)
{
    if (!n)
        return top;
    double x = 0, base = top + asc(d, FONTS_REGULAR, AXIS_PT);
    for (size_t i = 0; i < n; i++) {
        double sw = it[i].kind == LG_LINE ? 20 : 9;
        double iw = sw + 4 + tw(d, FONTS_REGULAR, AXIS_PT, it[i].text);
        if (x > 0 && x + iw > d->w) {
            x = 0;
            base += ROW_PT;
        }
        double cy = base - 2.8;         /* half the cap height of 8 pt */
        switch (it[i].kind) {
        case LG_LINE:
            cairo_move_to(d->cr, x, cy);
            cairo_line_to(d->cr, x + sw, cy);
            emit_stroke(d, it[i].col, it[i].width, it[i].dash, it[i].ndash);
            if (it[i].marker) {
                marker_path(d->cr, it[i].marker, x + sw / 2, cy, 2.4);
                emit_fill(d, it[i].col);
            }
            break;
        case LG_BOX:
            rect(d, x, cy - 4.5, x + 9, cy + 4.5);
            emit_fill(d, it[i].col);
            break;
        case LG_HATCH:
            rect(d, x, cy - 4.5, x + 9, cy + 4.5);
            emit_fill(d, mix(it[i].col, WHITE, 0.82));
            hatch(d, x, cy - 4.5, x + 9, cy + 4.5, 3, it[i].col);
            rect(d, x, cy - 4.5, x + 9, cy + 4.5);
            emit_stroke(d, it[i].col, 0.75, NULL, 0);
            break;
        case LG_RAG:
            rag_mark(d, it[i].rag, x + 4.5, cy, 4, it[i].col);
            break;
        }
        text(d, x + sw + 4, base, FONTS_REGULAR, AXIS_PT, d->pal->text, 0, AL_L,
             it[i].text);
        x += iw + 12;
    }
    return base + fonts_descent(d->fonts, FONTS_REGULAR, AXIS_PT) + 6;
}

/* ---- axes ----------------------------------------------------------------- */

typedef struct axis {
    double lo, hi, step;
    int nt;
    double a, b;            /* positions of lo and hi */
    double span;            /* largest |tick|, for the label scale */
} axis;

static void axis_make(axis *ax, double lo, double hi, int maxint)
{
    double first;
    ax->nt = chart_ticks(lo, hi, maxint, &first, &ax->step);
    ax->lo = first;
    ax->hi = first + (ax->nt - 1) * ax->step;
    ax->span = fmax(fabs(ax->lo), fabs(ax->hi));
}

/* Counts: never a tick between whole numbers. */
static void axis_whole(axis *ax)
{
    if (ax->step >= 1)
        return;
    ax->step = 1;
    ax->lo = floor(ax->lo);
    ax->hi = ceil(ax->hi);
    if (ax->hi <= ax->lo)
        ax->hi = ax->lo + 1;
    ax->nt = (int)(ax->hi - ax->lo) + 1;
}

static double ax_pos(const axis *ax, double v)
{
    return ax->a + (v - ax->lo) / (ax->hi - ax->lo) * (ax->b - ax->a);
}

static double ax_tick(const axis *ax, int i) { return ax->lo + i * ax->step; }

static double axis_label_w(const dc *d, const axis *ax, rp_unit u)
{
    char b[64];
    double m = 0;
    for (int i = 0; i < ax->nt; i++)
        m = fmax(m, tw(d, FONTS_REGULAR, AXIS_PT,
                       chart_axis_label(ax_tick(ax, i), ax->step, ax->span, u, b,
                                     sizeof b)));
    return m;
}

static int max_intervals(double len, double per)
{
    int n = (int)(len / per);
    return n < 2 ? 2 : n > 6 ? 6 : n;
}

/* A line across the plot at axis position p, from a to b on the other
 * axis: horizontal for a vertical value axis (across_y), else vertical. */
static void across(dc *d, int across_y, double p, double a, double b)
{
    cairo_move_to(d->cr, across_y ? a : p, across_y ? p : a);
    cairo_line_to(d->cr, across_y ? b : p, across_y ? p : b);
}

/* Light gridlines at every tick. */
static void grid(dc *d, const axis *ax, int across_y, double a, double b)
{
    for (int i = 0; i < ax->nt; i++)
        across(d, across_y, ax_pos(ax, ax_tick(ax, i)), a, b);
    emit_stroke(d, grid_col(d), 0.5, NULL, 0);
}

/* A darker zero line when zero is on the axis and bars stand on it. */
static void zero_rule(dc *d, const axis *ax, int across_y, double a,
                      double b, int zero_line)
{
    if (zero_line && ax->lo <= 0 && ax->hi >= 0) {
        across(d, across_y, ax_pos(ax, 0), a, b);
        emit_stroke(d, d->pal->secondary, 0.75, NULL, 0);
    }
}

/* Horizontal gridlines and tick labels of a vertical value axis. */
static void draw_vaxis(dc *d, const axis *ax, rp_unit u, double left,
                       double right, int zero_line)
{
    char b[64];
    grid(d, ax, 1, left, right);
    for (int i = 0; i < ax->nt; i++) {
        double v = ax_tick(ax, i), y = ax_pos(ax, v);
        text(d, left - 5, y + 2.8, FONTS_REGULAR, AXIS_PT, d->pal->secondary, 0,
             AL_R, chart_axis_label(v, ax->step, ax->span, u, b, sizeof b));
    }
    zero_rule(d, ax, 1, left, right, zero_line);
}

/* Vertical gridlines and labels of a horizontal value axis, labels under
 * `bottom`; labels that would touch are skipped. */
static void draw_haxis(dc *d, const axis *ax, rp_unit u, double top,
                       double bottom, int zero_line)
{
    char b[64];
    grid(d, ax, 0, top, bottom);
    double maxw = axis_label_w(d, ax, u);
    double gap = ax->nt > 1 ? fabs(ax_pos(ax, ax_tick(ax, 1)) - ax->a) : 1e9;
    int every = (int)ceil((maxw + 6) / gap);
    if (every < 1)
        every = 1;
    for (int i = 0; i < ax->nt; i++) {
        if (i % every)
            continue;
        double v = ax_tick(ax, i), x = ax_pos(ax, v);
        chart_axis_label(v, ax->step, ax->span, u, b, sizeof b);
        double w = tw(d, FONTS_REGULAR, AXIS_PT, b);
        x = fmin(fmax(x, w / 2), d->w - w / 2);     /* inside the box */
        text(d, x, bottom + 4 + asc(d, FONTS_REGULAR, AXIS_PT), FONTS_REGULAR,
             AXIS_PT, d->pal->secondary, 0, AL_C, b);
    }
    zero_rule(d, ax, 0, top, bottom, zero_line);
}

/* Category labels under a horizontal category axis: level when they fit,
 * else every k-th, else rotated 45° (abbreviated, every k-th if dense).
 * The last category is always labelled (it is the latest). */
typedef struct xplan {
    int rotated, every;
    double height;
} xplan;

static xplan xplan_make(const dc *d, char *const *labels, size_t n,
                        double slot, double maxh)
{
    xplan p = { 0, 1, 0 };
    double maxw = 0, a = asc(d, FONTS_REGULAR, AXIS_PT),
           de = fonts_descent(d->fonts, FONTS_REGULAR, AXIS_PT);
    for (size_t i = 0; i < n; i++)
        maxw = fmax(maxw, tw(d, FONTS_REGULAR, AXIS_PT, labels[i]));
    int every = (int)ceil((maxw + 4) / slot);
    if (every < 1)
        every = 1;
    if (every == 1 || (every <= 3 && (double)n / every >= 2)) {
        p.every = every;
        p.height = a + de + 4;
        return p;
    }
    p.rotated = 1;
    p.every = (int)ceil((a + de + 1) / (slot * COS45));
    if (p.every < 1)
        p.every = 1;
    double lw = fmin(maxw, 90);
    p.height = 2 + (a + de + lw) * COS45 + 1;
    if (p.height > maxh)
        p.height = fmax(maxh, (a + de) * COS45 + 12);
    return p;
}

static int xplan_shows(const xplan *p, size_t i, size_t n)
{
    return (n - 1 - i) % (size_t)p->every == 0;
}

static void draw_xlabels(dc *d, const xplan *p, char *const *labels,
                         size_t n, const double *xs, double y0)
{
    double a = asc(d, FONTS_REGULAR, AXIS_PT),
           de = fonts_descent(d->fonts, FONTS_REGULAR, AXIS_PT);
    char b[256];
    for (size_t i = 0; i < n; i++) {
        if (!xplan_shows(p, i, n))
            continue;
        if (!p->rotated) {
            double w = tw(d, FONTS_REGULAR, AXIS_PT, labels[i]);
            double x = fmin(fmax(xs[i], w / 2), d->w - w / 2);
            text(d, x, y0 + 4 + a, FONTS_REGULAR, AXIS_PT, d->pal->secondary, 0,
                 AL_C, labels[i]);
            continue;
        }
        /* baseline ends just under the tick, text rising to the right; the
         * glyphs lie above-left of the baseline */
        double ex = xs[i] + a * COS45 / 2, ey = y0 + 2 + a * COS45;
        double room = fmin((ex - a * COS45) / COS45,
                           (y0 + p->height - ey - de * COS45) / COS45);
        fit(d, FONTS_REGULAR, AXIS_PT, labels[i], room, b, sizeof b);
        double w = tw(d, FONTS_REGULAR, AXIS_PT, b);
        text(d, ex - w * COS45, ey + w * COS45, FONTS_REGULAR, AXIS_PT,
             d->pal->secondary, PI / 4, AL_L, b);
    }
}

/* ---- series styles ------------------------------------------------------- */

typedef struct style {
    template_rgb col;
    double width;
    const double *dash; int ndash;
    int marker;
} style;

static style role_style(const dc *d, chart_role r)
{
    style s = { d->pal->series[0], 2.0, NULL, 0, MK_CIRCLE };
    switch (r) {
    case CHART_TARGET:
        s.col = d->pal->text; s.width = 1.25;
        s.dash = DASH_TARGET; s.ndash = 2; s.marker = MK_NONE;
        break;
    case CHART_NATIONAL:
        s.col = d->pal->secondary; s.width = 1.25;
        s.dash = DASH_NATIONAL; s.ndash = 2; s.marker = MK_SQUARE;
        break;
    case CHART_REGIONAL:
        s.col = mix(d->pal->secondary, d->pal->rule, 0.35); s.width = 1.25;
        s.dash = DASH_REGIONAL; s.ndash = 4; s.marker = MK_TRIANGLE;
        break;
    case CHART_NEIGHBOURS:  /* grey like the other comparators, own dash */
        s.col = mix(d->pal->secondary, d->pal->text, 0.3); s.width = 1.25;
        s.dash = DASH_NEIGHBOURS; s.ndash = 2; s.marker = MK_DIAMOND;
        break;
    default:
        break;
    }
    return s;
}

static leg leg_line(style s, const char *name)
{
    leg l = { LG_LINE, s.col, s.width, s.dash, s.ndash, s.marker, 0, "" };
    snprintf(l.text, sizeof l.text, "%s", name);
    return l;
}

static leg leg_box(template_rgb col, lg_kind k, const char *name)
{
    leg l = { k, col, 0, NULL, 0, 0, 0, "" };
    snprintf(l.text, sizeof l.text, "%s", name);
    return l;
}

/* ---- line chart ------------------------------------------------------------ */

static void draw_line(dc *d, const chart *c, double top)
{
    leg items[5];
    size_t nl = 0;
    double lo = INFINITY, hi = -INFINITY;
    int has_target = 0;
    for (size_t s = 0; s < c->nseries; s++) {
        const chart_series *se = &c->series[s];
        if (nl < 5)
            items[nl++] = leg_line(role_style(d, se->role), se->name);
        has_target |= se->role == CHART_TARGET;
        for (size_t i = 0; i < c->ncat; i++)
            if (rp_has(se->v[i])) {
                double v = rp_num_to_double(se->v[i].num);
                lo = fmin(lo, v);
                hi = fmax(hi, v);
            }
    }
    if (nl > 1)
        top = draw_legend(d, items, nl, top);
    if (!isfinite(lo)) {
        lo = 0;
        hi = 1;
    }
    /* start at zero when the data come near it anyway */
    if (lo >= 0 && hi > 0 && lo < hi * 0.4)
        lo = 0;
    top += 10;                                  /* room for the latest label */
    double xlab_h = 2 * (AXIS_PT + 4) + 4;
    double est = d->h - top - xlab_h;
    axis ay;
    axis_make(&ay, lo, hi, max_intervals(est, 32));
    if (c->unit == RP_UNIT_COUNT && c->decimals == 0)
        axis_whole(&ay);        /* 27, 28: never "27.25" or "28.0" */
    double left = axis_label_w(d, &ay, c->unit) + 7;
    double rmargin = has_target ? tw(d, FONTS_REGULAR, AXIS_PT, "Target") + 7 : 4;
    double pw = d->w - left - rmargin;
    if (pw < 20 || est < 20 || !c->ncat)
        return;
    double slot = pw / (double)c->ncat;
    xplan xp = xplan_make(d, c->cats, c->ncat, slot, 40);
    double gh = c->groups ? AXIS_PT + 5 : 0;
    double bottom = d->h - xp.height - gh;
    ay.a = bottom;
    ay.b = top;
    double *xs = rp_xcalloc(c->ncat, sizeof *xs);
    for (size_t i = 0; i < c->ncat; i++)
        xs[i] = left + (i + 0.5) * slot;

    draw_vaxis(d, &ay, c->unit, left, d->w - rmargin, 0);
    draw_xlabels(d, &xp, c->cats, c->ncat, xs, bottom);
    if (c->groups) {        /* one year label under each run of quarters */
        double gy = bottom + xp.height + asc(d, FONTS_REGULAR, AXIS_PT) + 1;
        char b[128];
        for (size_t i = 0, j; i < c->ncat; i = j) {
            for (j = i + 1; j < c->ncat && !strcmp(c->groups[j], c->groups[i]);
                 j++)
                ;
            double l = left + i * slot, r = left + j * slot;
            if (i > 0) {
                cairo_move_to(d->cr, l, bottom);
                cairo_line_to(d->cr, l, d->h);
                emit_stroke(d, grid_col(d), 0.5, NULL, 0);
            }
            fit(d, FONTS_BOLD, AXIS_PT, c->groups[i], r - l - 4, b, sizeof b);
            text(d, (l + r) / 2, gy, FONTS_BOLD, AXIS_PT, d->pal->secondary, 0,
                 AL_C, b);
        }
    }

    /* comparators first, the measure last so it sits on top */
    static const chart_role order[] = { CHART_NEIGHBOURS, CHART_REGIONAL,
                                     CHART_NATIONAL, CHART_TARGET, CHART_MAIN };
    for (size_t o = 0; o < 5; o++)
        for (size_t s = 0; s < c->nseries; s++) {
            const chart_series *se = &c->series[s];
            if (se->role != order[o])
                continue;
            style st = role_style(d, se->role);
            for (size_t i = 0; i < c->ncat; i++) {
                if (!rp_has(se->v[i]))
                    continue;
                double y = ax_pos(&ay, rp_num_to_double(se->v[i].num));
                int starts = i == 0 || !rp_has(se->v[i - 1]);
                int alone = starts && (i + 1 == c->ncat || !rp_has(se->v[i + 1]));
                if (alone && !st.marker) {  /* a lone point needs a mark */
                    cairo_move_to(d->cr, xs[i] - 4, y);
                    cairo_line_to(d->cr, xs[i] + 4, y);
                } else if (starts) {        /* after a gap: new subpath */
                    cairo_move_to(d->cr, xs[i], y);
                } else {
                    cairo_line_to(d->cr, xs[i], y);
                }
            }
            emit_stroke(d, st.col, st.width, st.dash, st.ndash);
            if (st.marker) {
                double r = se->role == CHART_MAIN ? 2.3 : 2.1;
                for (size_t i = 0; i < c->ncat; i++)
                    if (rp_has(se->v[i]))
                        marker_path(d->cr, st.marker, xs[i],
                                    ax_pos(&ay, rp_num_to_double(se->v[i].num)),
                                    r);
                emit_fill(d, st.col);
            }
        }

    /* "Target" at the end of the target line; the latest value above its
     * point, or below when that would meet the Target label */
    double tbox[4] = { 0, 0, 0, 0 };
    for (size_t s = 0; s < c->nseries; s++) {
        const chart_series *se = &c->series[s];
        if (se->role != CHART_TARGET)
            continue;
        for (size_t i = c->ncat; i-- > 0;)
            if (rp_has(se->v[i])) {
                double y = ax_pos(&ay, rp_num_to_double(se->v[i].num));
                double x = xs[i] + (i + 1 == c->ncat ? 6 : 5);
                text(d, x, y + 2.8, FONTS_REGULAR, AXIS_PT, d->pal->text, 0, AL_L,
                     "Target");
                tbox[0] = x; tbox[1] = y - 6;
                tbox[2] = x + tw(d, FONTS_REGULAR, AXIS_PT, "Target");
                tbox[3] = y + 5;
                break;
            }
    }
    const chart_series *m = NULL;
    for (size_t s = 0; s < c->nseries; s++)
        if (c->series[s].role == CHART_MAIN)
            m = &c->series[s];
    for (size_t i = c->ncat; m && i-- > 0;)
        if (rp_has(m->v[i])) {
            char b[64];
            chart_format(m->v[i].num, c->unit, c->decimals, b, sizeof b);
            double y = ax_pos(&ay, rp_num_to_double(m->v[i].num));
            double w = tw(d, FONTS_BOLD, AXIS_PT, b);
            double x = fmin(fmax(xs[i], w / 2), d->w - w / 2);
            double by = y - 6;
            if (x + w / 2 > tbox[0] && x - w / 2 < tbox[2] &&
                by > tbox[1] && by - 8 < tbox[3])
                by = y + 6 + asc(d, FONTS_BOLD, AXIS_PT);
            marker_path(d->cr, MK_CIRCLE, xs[i], y, 3.6);
            emit_fill(d, d->pal->series[0]);
            marker_path(d->cr, MK_CIRCLE, xs[i], y, 1.6);
            emit_fill(d, WHITE);
            text(d, x, by, FONTS_BOLD, AXIS_PT, d->pal->text, 0, AL_C, b);
            break;
        }
    free(xs);
}

/* ---- vertical bars: annual, savings, stacked ----------------------------- */

typedef struct vframe {
    axis ay;
    double left, right, bottom, slot;
    double *xs;
    xplan xp;
} vframe;

/* Lays out a zero-based vertical value axis over [lo, hi], with
 * `label_room` above the bars and `below` extra lines under the
 * category labels. Returns 0 when the box is too small. */
static int vframe_make(dc *d, const chart *c, vframe *f, double top,
                       double lo, double hi, double label_room,
                       double rmargin, double below)
{
    lo = fmin(lo, 0);
    hi = fmax(hi, 0);
    top += label_room;
    double est = d->h - top - (AXIS_PT + 8) - below;
    axis_make(&f->ay, lo, hi, max_intervals(est, 32));
    if (c->unit == RP_UNIT_COUNT && c->decimals == 0)
        axis_whole(&f->ay);
    f->left = axis_label_w(d, &f->ay, c->unit) + 7;
    f->right = d->w - rmargin;
    double pw = f->right - f->left;
    if (pw < 20 || est < 20 || !c->ncat)
        return 0;
    f->slot = pw / (double)c->ncat;
    f->xp = xplan_make(d, c->cats, c->ncat, f->slot, 40);
    f->bottom = d->h - f->xp.height - below;
    /* negative bars carry their labels below them */
    double neg_room = lo < 0 ? label_room : 0;
    f->ay.a = f->bottom - neg_room;
    f->ay.b = top;
    f->xs = rp_xcalloc(c->ncat, sizeof *f->xs);
    for (size_t i = 0; i < c->ncat; i++)
        f->xs[i] = f->left + (i + 0.5) * f->slot;
    draw_vaxis(d, &f->ay, c->unit, f->left, f->right, 1);
    draw_xlabels(d, &f->xp, c->cats, c->ncat, f->xs, f->bottom);
    return 1;
}

static void value_range(const rp_value *v, size_t n, double *lo, double *hi)
{
    for (size_t i = 0; i < n; i++)
        if (rp_has(v[i])) {
            double x = rp_num_to_double(v[i].num);
            *lo = fmin(*lo, x);
            *hi = fmax(*hi, x);
        }
}

/* A white patch behind a centred label at baseline y, so a light
 * gridline passing just above a bar never runs through its value. */
static void knockout(dc *d, double x, double y, fonts_face face, const char *s)
{
    double w = tw(d, face, AXIS_PT, s), a = asc(d, face, AXIS_PT);
    rect(d, x - w / 2 - 1.5, y - a - 1, x + w / 2 + 1.5, y + 1.5);
    emit_fill(d, WHITE);
}

static void draw_annual(dc *d, const chart *c, double top)
{
    const rp_value *v = c->series[0].v;
    char b[64];
    int any_ytd = 0, any_yoy = 0;
    for (size_t i = 0; i < c->ncat; i++) {
        any_ytd |= !c->complete[i] && rp_has(v[i]);
        any_yoy |= chart_annual_change(c, i, b, sizeof b);
    }
    if (any_ytd) {
        leg l[2] = { leg_box(d->pal->series[0], LG_BOX, "Full year"),
                     leg_box(d->pal->series[0], LG_HATCH, "Year to date") };
        top = draw_legend(d, l, 2, top);
    }
    double lo = 0, hi = 0;
    value_range(v, c->ncat, &lo, &hi);
    vframe f;
    double room = any_yoy ? 24 : 13;
    if (!vframe_make(d, c, &f, top, lo, hi, room, 2, any_ytd ? AXIS_PT + 3 : 0))
        return;
    double bw = fmin(f.slot * 0.58, 64), a = asc(d, FONTS_REGULAR, AXIS_PT);
    double zero = ax_pos(&f.ay, 0);
    for (size_t i = 0; i < c->ncat; i++) {
        double x = f.xs[i];
        if (!c->complete[i] && any_ytd && xplan_shows(&f.xp, i, c->ncat))
            text(d, x, f.bottom + f.xp.height + a, FONTS_REGULAR, AXIS_PT,
                 d->pal->secondary, 0, AL_C, "year to date");
        if (!rp_has(v[i])) {
            text(d, x, zero - 4, FONTS_REGULAR, AXIS_PT, d->pal->secondary, 0,
                 AL_C, "n/a");
            continue;
        }
        double y = ax_pos(&f.ay, rp_num_to_double(v[i].num));
        template_rgb col = d->pal->series[0];
        if (c->complete[i]) {
            rect(d, x - bw / 2, zero, x + bw / 2, y);
            emit_fill(d, col);
        } else {            /* year to date: pale, hatched and outlined */
            double t = fmin(y, zero), bt = fmax(y, zero);
            rect(d, x - bw / 2, t, x + bw / 2, bt);
            emit_fill(d, mix(col, WHITE, 0.82));
            hatch(d, x - bw / 2, t, x + bw / 2, bt, 5, col);
            rect(d, x - bw / 2 + 0.5, t + 0.5, x + bw / 2 - 0.5, bt - 0.5);
            emit_stroke(d, col, 1.0, NULL, 0);
        }
        int neg = v[i].num < 0;
        double ly = neg ? y + 4 + a : y - 4;
        chart_format(v[i].num, c->unit, c->decimals, b, sizeof b);
        knockout(d, x, ly, FONTS_BOLD, b);
        text(d, x, ly, FONTS_BOLD, AXIS_PT, d->pal->text, 0, AL_C, b);
        if (chart_annual_change(c, i, b, sizeof b))
            text(d, x, neg ? ly + 11 : ly - 11, FONTS_REGULAR, AXIS_PT,
                 d->pal->secondary, 0, AL_C, b);
    }
    free(f.xs);
}

/* Clear of a horizontal line at ly (half width hw) with a margin: the
 * label whose baseline is at y spans y - a (ascent) to y + 1 (digits and
 * "£" barely descend). */
static int clear_of(double y, double a, double ly, double hw)
{
    return y + 1 + 1.5 < ly - hw || y - a - 1.5 > ly + hw;
}

static void draw_savings(dc *d, const chart *c, double top)
{
    const rp_value *v = c->series[0].v;
    char tl[96], b[64];
    snprintf(tl, sizeof tl, "Target %s",
             rp_has(c->total) ? chart_format(c->total.num, RP_UNIT_GBP, 0, b,
                                          sizeof b) : "");
    double lo = 0, hi = 0;
    value_range(v, c->ncat, &lo, &hi);
    value_range(&c->total, 1, &lo, &hi);
    vframe f;
    double rm = rp_has(c->total) ? tw(d, FONTS_REGULAR, AXIS_PT, tl) + 8 : 2;
    if (!vframe_make(d, c, &f, top, lo, hi, 13, rm, 0))
        return;
    double bw = fmin(f.slot * 0.55, 56), zero = ax_pos(&f.ay, 0);
    double a = asc(d, FONTS_BOLD, AXIS_PT), hw = 1.25 / 2;
    int tgt = rp_has(c->total);
    double ty = tgt ? ax_pos(&f.ay, rp_num_to_double(c->total.num)) : 0;
    /* The bars are money, not ratings: series[0] (blue), never a colour
     * that reads as red, amber or green. */
    template_rgb bar = d->pal->series[0];
    for (size_t i = 0; i < c->ncat; i++) {
        if (!rp_has(v[i]))
            continue;
        double y = ax_pos(&f.ay, rp_num_to_double(v[i].num));
        rect(d, f.xs[i] - bw / 2, zero, f.xs[i] + bw / 2, y);
        emit_fill(d, bar);
    }
    if (tgt) {
        cairo_move_to(d->cr, f.left, ty);
        cairo_line_to(d->cr, f.right + 2, ty);
        emit_stroke(d, d->pal->text, 1.25, DASH_TARGET, 2);
        text(d, f.right + 5, ty + 2.8, FONTS_REGULAR, AXIS_PT, d->pal->text, 0,
             AL_L, tl);
    }
    /* Labels last, each where the target line does not cross it: above
     * the bar, else inside its top in white, else just above the line. */
    for (size_t i = 0; i < c->ncat; i++) {
        if (!rp_has(v[i]))
            continue;
        double y = ax_pos(&f.ay, rp_num_to_double(v[i].num));
        int neg = v[i].num < 0;
        double ly = neg ? y + 4 + a : y - 4;
        template_rgb col = d->pal->text;
        if (tgt && !clear_of(ly, a, ty, hw)) {
            double in = neg ? y - 4 : y + 4 + a;
            double lo_y = neg ? y : zero, hi_y = neg ? zero : y;
            if (fabs(zero - y) >= a + 9 && clear_of(in, a, ty, hw) &&
                in - a >= hi_y && in + 1 <= lo_y) {
                ly = in;
                col = WHITE;
            } else {
                ly = neg ? ty + hw + 3 + a : ty - hw - 3;
            }
        }
        text(d, f.xs[i], ly, FONTS_BOLD, AXIS_PT, col, 0, AL_C,
             chart_format(v[i].num, RP_UNIT_GBP, 0, b, sizeof b));
    }
    free(f.xs);
}

static void draw_stacked(dc *d, const chart *c, double top)
{
    leg items[6];
    for (size_t s = 0; s < c->nseries; s++)
        items[s] = leg_box(d->pal->series[s], LG_BOX, c->series[s].name);
    top = draw_legend(d, items, c->nseries, top);
    double lo = 0, hi = 0;
    for (size_t i = 0; i < c->ncat; i++) {
        double p = 0, n = 0;
        for (size_t s = 0; s < c->nseries; s++)
            if (rp_has(c->series[s].v[i])) {
                double x = rp_num_to_double(c->series[s].v[i].num);
                if (x >= 0) p += x; else n += x;
            }
        hi = fmax(hi, p);
        lo = fmin(lo, n);
    }
    vframe f;
    if (!vframe_make(d, c, &f, top, lo, hi, 13, 2, 0))
        return;
    double bw = fmin(f.slot * 0.6, 56);
    char b[64];
    for (size_t i = 0; i < c->ncat; i++) {
        double up = 0, down = 0;
        rp_num tot = 0;
        int any = 0, over = 0;
        for (size_t s = 0; s < c->nseries; s++) {
            rp_value v = c->series[s].v[i];
            if (!rp_has(v))
                continue;
            any = 1;
            /* a total beyond int64 is labelled n/a, never wrapped */
            over |= __builtin_add_overflow(tot, v.num, &tot);
            double x = rp_num_to_double(v.num);
            double *acc = x >= 0 ? &up : &down;
            double y0 = ax_pos(&f.ay, *acc), y1 = ax_pos(&f.ay, *acc + x);
            *acc += x;
            /* a hairline of white between segments keeps them apart in
             * greyscale */
            double gapy = x >= 0 ? -0.4 : 0.4;
            rect(d, f.xs[i] - bw / 2, y0 + (*acc - x == 0 ? 0 : gapy),
                 f.xs[i] + bw / 2, y1);
            emit_fill(d, d->pal->series[s]);
        }
        double ty = any ? ax_pos(&f.ay, up) - 4 : ax_pos(&f.ay, 0) - 4;
        const char *label = any && !over
                                ? chart_format(tot, c->unit, c->decimals, b, sizeof b)
                                : "n/a";
        if (any)
            knockout(d, f.xs[i], ty, FONTS_BOLD, label);
        text(d, f.xs[i], ty, any ? FONTS_BOLD : FONTS_REGULAR, AXIS_PT,
             any ? d->pal->text : d->pal->secondary, 0, AL_C, label);
    }
    free(f.xs);
}

/* ---- horizontal bars: variance, breakdown, RAG ------------------------------ */

typedef struct hframe {
    axis ax;
    double top, bottom, row, names_w;
    size_t nrows;
    int every;              /* name every k-th row when rows are dense */
} hframe;

static double row_mid(const hframe *f, size_t r)
{
    return f->top + (r + 0.5) * f->row;
}

/* Rows of names at the left; value axis from value_left to value_right,
 * tick labels along the bottom. */
static int hframe_make(dc *d, hframe *f, double top, size_t nrows,
                       double names_w, double lo, double hi,
                       double value_left, double value_right, rp_unit u,
                       int whole, int zero_line)
{
    f->nrows = nrows;
    f->names_w = names_w;
    f->top = top;
    f->bottom = d->h - (AXIS_PT + 8);
    if (!nrows || f->bottom - f->top < 12 || value_right - value_left < 20)
        return 0;
    f->row = (f->bottom - f->top) / (double)nrows;
    f->every = (int)ceil(10.0 / f->row);
    if (f->every < 1)
        f->every = 1;
    axis_make(&f->ax, fmin(lo, 0), fmax(hi, 0),
              max_intervals(value_right - value_left, 60));
    if (whole)
        axis_whole(&f->ax);
    f->ax.a = value_left;
    f->ax.b = value_right;
    draw_haxis(d, &f->ax, u, f->top, f->bottom, zero_line);
    return 1;
}

static void row_name(dc *d, const hframe *f, size_t r, const char *name,
                     int bold)
{
    if (r % (size_t)f->every)
        return;
    char b[256];
    fonts_face face = bold ? FONTS_BOLD : FONTS_REGULAR;
    fit(d, face, AXIS_PT, name, f->names_w, b, sizeof b);
    text(d, 0, row_mid(f, r) + 2.8, face, AXIS_PT, d->pal->text, 0, AL_L, b);
}

static double names_width(const dc *d, char *const *names, size_t n,
                          const char *extra)
{
    double m = extra ? tw(d, FONTS_BOLD, AXIS_PT, extra) : 0;
    for (size_t i = 0; i < n; i++)
        m = fmax(m, tw(d, FONTS_REGULAR, AXIS_PT, names[i]));
    return fmin(m, d->w * 0.32);
}

static void signed_money(rp_num v, char *b, size_t len)
{
    char t[48];
    chart_format(v, RP_UNIT_GBP, 0, t, sizeof t);
    snprintf(b, len, "%s%s", v > 0 ? "+" : "", t);
}

static void draw_variance(dc *d, const chart *c, double top)
{
    leg l[2] = { leg_box(d->pal->red, LG_BOX, "Overspend (forecast above budget)"),
                 leg_box(d->pal->accent, LG_BOX, "Underspend") };
    top = draw_legend(d, l, 2, top);
    const rp_value *v = c->series[0].v;
    double lo = 0, hi = 0, lw = 0;
    char b[64];
    size_t n = c->ncat + 1;             /* areas, then the total */
    for (size_t i = 0; i < n; i++) {
        rp_value x = i < c->ncat ? v[i] : c->total;
        if (!rp_has(x))
            continue;
        value_range(&x, 1, &lo, &hi);
        signed_money(x.num, b, sizeof b);
        lw = fmax(lw, tw(d, FONTS_BOLD, AXIS_PT, b));
    }
    lw = fmax(lw, tw(d, FONTS_REGULAR, AXIS_PT, "n/a")) + 5;
    double nw = names_width(d, c->cats, c->ncat, "Total");
    hframe f;
    double vl = nw + 8 + (lo < 0 ? lw : 0), vr = d->w - (hi > 0 ? lw : 4);
    if (!hframe_make(d, &f, top, n, nw, lo, hi, vl, vr, RP_UNIT_GBP, 0, 1))
        return;
    double zero = ax_pos(&f.ax, 0), bh = fmin(f.row * 0.62, 15);
    for (size_t i = 0; i < n; i++) {
        int total = i == c->ncat;
        rp_value x = total ? c->total : v[i];
        double ym = row_mid(&f, i);
        if (total) {            /* a rule sets the total apart */
            cairo_move_to(d->cr, 0, f.top + i * f.row);
            cairo_line_to(d->cr, d->w, f.top + i * f.row);
            emit_stroke(d, d->pal->rule, 0.75, NULL, 0);
        }
        row_name(d, &f, i, total ? "Total" : c->cats[i], total);
        if (!rp_has(x)) {
            text(d, zero + 4, ym + 2.8, FONTS_REGULAR, AXIS_PT,
                 d->pal->secondary, 0, AL_L, "n/a");
            continue;
        }
        double xe = ax_pos(&f.ax, rp_num_to_double(x.num));
        if (x.num != 0) {
            rect(d, zero, ym - bh / 2, xe, ym + bh / 2);
            emit_fill(d, x.num > 0 ? d->pal->red : d->pal->accent);
        }
        signed_money(x.num, b, sizeof b);
        if (x.num >= 0)
            text(d, xe + 4, ym + 2.8, total ? FONTS_BOLD : FONTS_REGULAR, AXIS_PT,
                 d->pal->text, 0, AL_L, b);
        else
            text(d, xe - 4, ym + 2.8, total ? FONTS_BOLD : FONTS_REGULAR, AXIS_PT,
                 d->pal->text, 0, AL_R, b);
    }
}

static void draw_breakdown(dc *d, const chart *c, double top)
{
    static const char *ref_name[3] = { "Whole authority", "England",
                                       "Region" };
    static const chart_role ref_role[3] = { CHART_TARGET, CHART_NATIONAL,
                                         CHART_REGIONAL };
    leg items[3];
    size_t nl = 0;
    char b[64];
    style rs[3];
    for (int k = 0; k < 3; k++) {
        rs[k] = role_style(d, ref_role[k]);
        rs[k].marker = MK_NONE;
        if (k == 0) {           /* the authority: solid, darkest */
            rs[k].dash = NULL;
            rs[k].ndash = 0;
            rs[k].col = d->pal->text;
        }
        if (!rp_has(c->ref[k]))
            continue;
        items[nl] = leg_line(rs[k], "");
        snprintf(items[nl].text, sizeof items[nl].text, "%s %s", ref_name[k],
                 chart_format(c->ref[k].num, c->unit, c->decimals, b, sizeof b));
        nl++;
    }
    top = draw_legend(d, items, nl, top);
    const rp_value *v = c->series[0].v;
    double lo = 0, hi = 0, lw = tw(d, FONTS_REGULAR, AXIS_PT, "n/a");
    value_range(v, c->ncat, &lo, &hi);
    value_range(c->ref, 3, &lo, &hi);
    for (size_t i = 0; i < c->ncat; i++)
        if (rp_has(v[i]))
            lw = fmax(lw, tw(d, FONTS_REGULAR, AXIS_PT,
                             chart_format(v[i].num, c->unit, c->decimals, b,
                                       sizeof b)));
    lw += 5;
    double nw = names_width(d, c->cats, c->ncat, NULL);
    hframe f;
    if (!hframe_make(d, &f, top, c->ncat, nw, lo, hi,
                     nw + 8 + (lo < 0 ? lw : 0), d->w - lw, c->unit, 0, 1))
        return;
    double zero = ax_pos(&f.ax, 0), bh = fmin(f.row * 0.62, 14);
    for (size_t i = 0; i < c->ncat; i++) {
        double ym = row_mid(&f, i);
        row_name(d, &f, i, c->cats[i], 0);
        if (!rp_has(v[i]))
            continue;
        rect(d, zero, ym - bh / 2, ax_pos(&f.ax, rp_num_to_double(v[i].num)),
             ym + bh / 2);
        emit_fill(d, d->pal->series[0]);
    }
    for (int k = 2; k >= 0; k--) {     /* reference lines over the bars */
        if (!rp_has(c->ref[k]))
            continue;
        double x = ax_pos(&f.ax, rp_num_to_double(c->ref[k].num));
        cairo_move_to(d->cr, x, f.top - 2);
        cairo_line_to(d->cr, x, f.bottom);
        emit_stroke(d, rs[k].col, k == 0 ? 1.5 : 1.25, rs[k].dash,
                    rs[k].ndash);
    }
    /* value labels last */
    for (size_t i = 0; i < c->ncat; i++) {
        double ym = row_mid(&f, i);
        if (!rp_has(v[i])) {
            text(d, zero + 4, ym + 2.8, FONTS_REGULAR, AXIS_PT,
                 d->pal->secondary, 0, AL_L, "n/a");
            continue;
        }
        if (f.row < 9 && i % (size_t)f.every)
            continue;
        double xe = ax_pos(&f.ax, rp_num_to_double(v[i].num));
        chart_format(v[i].num, c->unit, c->decimals, b, sizeof b);
        double w = tw(d, FONTS_REGULAR, AXIS_PT, b);
        int neg = v[i].num < 0;
        double x0 = neg ? xe - 4 - w : xe + 4;
        /* Step the label past any reference line that would run through
         * it (outwards from the bar end), so no line ever crosses it. */
        for (int moved = 1, guard = 0; moved && guard < 8; guard++) {
            moved = 0;
            for (int k = 0; k < 3; k++) {
                if (!rp_has(c->ref[k]))
                    continue;
                double rx = ax_pos(&f.ax, rp_num_to_double(c->ref[k].num));
                double m = (k == 0 ? 1.5 : 1.25) / 2 + 3;
                if (rx + m > x0 && rx - m < x0 + w) {
                    x0 = neg ? rx - m - w : rx + m;
                    moved = 1;
                }
            }
        }
        text(d, x0, ym + 2.8, FONTS_REGULAR, AXIS_PT, d->pal->text, 0, AL_L, b);
    }
}

static void draw_rag(dc *d, const chart *c, double top)
{
    /* bars and legend read best to worst, the unrated last */
    static const rp_rag rag_order[4] = { RP_RAG_GREEN, RP_RAG_AMBER,
                                         RP_RAG_RED, RP_RAG_NONE };
    size_t k[RP_RAG_COUNT] = { 0 };
    double hi = 1;
    for (size_t i = 0; i < c->ncat; i++) {
        size_t t = 0;
        for (int j = 0; j < RP_RAG_COUNT; j++) {
            k[j] += c->counts[i * RP_RAG_COUNT + (size_t)j];
            t += c->counts[i * RP_RAG_COUNT + (size_t)j];
        }
        hi = fmax(hi, (double)t);
    }
    leg items[4];
    for (int j = 0; j < 4; j++) {
        rp_rag g = rag_order[j];
        items[j] = leg_box(rag_col(d, g), LG_RAG, "");
        items[j].rag = g;
        if (g == RP_RAG_NONE)   /* the pale grey ring needs a darker edge */
            items[j].col = d->pal->secondary;
        snprintf(items[j].text, sizeof items[j].text, "%s (%zu)",
                 rp_rag_label(g), k[g]);
    }
    top = draw_legend(d, items, 4, top);
    char b[32];
    snprintf(b, sizeof b, "%.0f", hi);
    double lw = tw(d, FONTS_BOLD, AXIS_PT, b) + 5;
    double nw = names_width(d, c->cats, c->ncat, NULL);
    hframe f;
    if (!hframe_make(d, &f, top, c->ncat, nw, 0, hi, nw + 8, d->w - lw,
                     RP_UNIT_COUNT, 1, 0))
        return;
    double bh = fmin(f.row * 0.62, 15);
    for (size_t i = 0; i < c->ncat; i++) {
        double ym = row_mid(&f, i), acc = 0;
        row_name(d, &f, i, c->cats[i], 0);
        for (int j = 0; j < 4; j++) {
            rp_rag g = rag_order[j];
            size_t n = c->counts[i * RP_RAG_COUNT + (size_t)g];
            if (!n)
                continue;
            double x0 = ax_pos(&f.ax, acc), x1 = ax_pos(&f.ax, acc + (double)n);
            acc += (double)n;
            rect(d, x0, ym - bh / 2, x1 - 0.75, ym + bh / 2);
            emit_fill(d, rag_col(d, g));
            /* count and shape inside when they fit, count alone else */
            snprintf(b, sizeof b, "%zu", n);
            double cw = tw(d, FONTS_BOLD, AXIS_PT, b), seg = x1 - x0 - 0.75;
            template_rgb tc = rag_text_col(d, g);
            if (cw + 13 <= seg && bh >= 8) {
                double cx = (x0 + x1) / 2 - (cw + 8) / 2;
                rag_mark(d, g, cx + 3, ym, 3, tc);
                text(d, cx + 8, ym + 2.8, FONTS_BOLD, AXIS_PT, tc, 0, AL_L, b);
            } else if (cw + 3 <= seg && bh >= 8) {
                text(d, (x0 + x1) / 2, ym + 2.8, FONTS_BOLD, AXIS_PT, tc, 0,
                     AL_C, b);
            }
        }
        snprintf(b, sizeof b, "%.0f", acc);
        text(d, ax_pos(&f.ax, acc) + 4, ym + 2.8, FONTS_BOLD, AXIS_PT,
             d->pal->text, 0, AL_L, b);
    }
}

/* ---- sparkline ---------------------------------------------------------- */

static void draw_spark(dc *d, const chart *c)
{
    const rp_value *v = c->series[0].v;
    double lo = INFINITY, hi = -INFINITY, pad = 2.5;
    value_range(v, c->ncat, &lo, &hi);
    if (!isfinite(lo) || d->w < 2 * pad || d->h < 2 * pad)
        return;
    double step = c->ncat > 1 ? (d->w - 2 * pad) / (double)(c->ncat - 1) : 0;
    size_t last = SIZE_MAX;
    for (size_t i = 0; i < c->ncat; i++) {
        if (!rp_has(v[i]))
            continue;
        double x = pad + i * step;
        double t = hi > lo ? (rp_num_to_double(v[i].num) - lo) / (hi - lo)
                           : 0.5;
        double y = d->h - pad - t * (d->h - 2 * pad);
        if (i == 0 || !rp_has(v[i - 1]))
            cairo_move_to(d->cr, x, y);
        else
            cairo_line_to(d->cr, x, y);
        last = i;
    }
    emit_stroke(d, d->pal->series[0], 1.0, NULL, 0);
    if (last != SIZE_MAX) {
        double t = hi > lo ? (rp_num_to_double(v[last].num) - lo) / (hi - lo)
                           : 0.5;
        marker_path(d->cr, MK_CIRCLE, pad + last * step,
                    d->h - pad - t * (d->h - 2 * pad), 1.8);
        emit_fill(d, d->pal->accent_dark);
    }
}

/* ---- entry ---------------------------------------------------------------- */

void chart_draw(const chart *c, const pack_template *t, fonts *fonts,
             double x, double y, double w, double h, const chart_sink *sink)
{
    if (!c || !t || !fonts || !sink || !(w > 0) || !(h > 0))
        return;
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
    cairo_t *cr = cairo_create(surf);
    /* chart space = box-local points, y down; device space = the page */
    cairo_translate(cr, x, y);
    dc d = { cr, 1.0, sink, &t->palette, fonts, w, h };
    double top = c->kind == CHART_SPARK ? 0 : draw_title(&d, c->title);
    switch (c->kind) {
    case CHART_LINE: draw_line(&d, c, top); break;
    case CHART_ANNUAL: draw_annual(&d, c, top); break;
    case CHART_VARIANCE: draw_variance(&d, c, top); break;
    case CHART_SAVINGS: draw_savings(&d, c, top); break;
    case CHART_BREAKDOWN: draw_breakdown(&d, c, top); break;
    case CHART_STACKED: draw_stacked(&d, c, top); break;
    case CHART_RAG: draw_rag(&d, c, top); break;
    case CHART_SPARK: draw_spark(&d, c); break;
    }
    cairo_destroy(cr);
    cairo_surface_destroy(surf);
}
