/* chart_svg.c — a chart as SVG markup with real <text> labels (cairo's SVG
 * surface writes glyph outlines, which nobody can read, select or search,
 * and whose symbol ids collide when several charts share a page). A sink
 * that writes each path as <path> and each label as <text>; the chart gets
 * role="img", a <title> and a <desc> (its alternative text). Used inline
 * by the HTML twin and for the charts/ folder's SVG files. */
#include "chart.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct svg_ctx {
    rp_buf *b;
} svg_ctx;

static void colour(rp_buf *b, template_rgb c)
{
    rp_buf_printf(b, "#%02X%02X%02X", (unsigned)lround(c.r * 255),
                  (unsigned)lround(c.g * 255), (unsigned)lround(c.b * 255));
}

/* Path data by rp_buf_fixed2: printf's float conversion made it 5% of a
 * pack's instructions. */
static void svg_op(void *ctx, char op, const double *xy)
{
    rp_buf *b = ctx;
    rp_buf_add(b, &op, 1);
    if (op == 'Z')
        return;
    int n = op == 'C' ? 6 : 2;
    for (int i = 0; i < n; i++) {
        if (i)
            rp_buf_add(b, " ", 1);
        rp_buf_fixed2(b, xy[i]);
    }
}

static int path_d(rp_buf *b, const cairo_path_t *p)
{
    return chart_path_walk(p, svg_op, b);
}

/* '<path d="…"' for a path with something in it; 0 when it is empty */
static int path_open(rp_buf *b, const cairo_path_t *p)
{
    if (!p || !p->num_data)
        return 0;
    rp_buf_puts(b, "<path d=\"");
    path_d(b, p);
    return 1;
}

static void s_fill(void *ctx, const cairo_path_t *p, template_rgb c)
{
    svg_ctx *s = ctx;
    if (!path_open(s->b, p))
        return;
    rp_buf_puts(s->b, "\" fill=\"");
    colour(s->b, c);
    rp_buf_puts(s->b, "\"/>\n");
}

static void s_stroke(void *ctx, const cairo_path_t *p, template_rgb c,
                     double width, const double *dash, int ndash)
{
    svg_ctx *s = ctx;
    if (!path_open(s->b, p))
        return;
    rp_buf_puts(s->b, "\" fill=\"none\" stroke=\"");
    colour(s->b, c);
    rp_buf_printf(s->b, "\" stroke-width=\"%.2f\"", width > 0 ? width : 0.5);
    for (int i = 0; dash && i < ndash; i++)
        rp_buf_printf(s->b, "%s%.2f", i ? "," : " stroke-dasharray=\"",
                      dash[i]);
    if (dash && ndash > 0)
        rp_buf_puts(s->b, "\"");
    rp_buf_puts(s->b, "/>\n");
}

static void s_text(void *ctx, double x, double y, fonts_face face, double size,
                   template_rgb c, double angle, const char *utf8)
{
    svg_ctx *s = ctx;
    if (!utf8 || !*utf8)
        return;
    rp_buf_printf(s->b, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.2f\"%s "
                  "fill=\"", x, y, size,
                  face == FONTS_BOLD ? " font-weight=\"bold\"" : "");
    colour(s->b, c);
    rp_buf_puts(s->b, "\"");
    if (angle != 0)
        rp_buf_printf(s->b, " transform=\"rotate(%.2f %.2f %.2f)\"",
                      -angle * 57.29577951308232, x, y);   /* degrees */
    rp_buf_puts(s->b, ">");
    rp_buf_xml(s->b, utf8);
    rp_buf_puts(s->b, "</text>\n");
}

char *chart_svg(const chart *c, const pack_template *t, fonts *fonts,
                double w, double h, const char *id, const char *title,
                const char *desc, int standalone)
{
    rp_buf b;
    rp_buf_init(&b);
    rp_buf_printf(&b, "<svg%s role=\"img\" viewBox=\"0 0 %.2f %.2f\" "
                  "width=\"%.2fpt\" height=\"%.2fpt\" aria-labelledby=\"%s-title "
                  "%s-desc\" font-family=\"'Liberation Sans', Arial, "
                  "Helvetica, sans-serif\">\n",
                  standalone ? " xmlns=\"http://www.w3.org/2000/svg\"" : "",
                  w, h, w, h, id, id);
    rp_buf_printf(&b, "<title id=\"%s-title\">", id);
    rp_buf_xml(&b, title);
    rp_buf_printf(&b, "</title>\n<desc id=\"%s-desc\">", id);
    rp_buf_xml(&b, desc);
    rp_buf_puts(&b, "</desc>\n");
    if (standalone)     /* files are viewed on their own: a white page */
        rp_buf_printf(&b, "<rect width=\"%.2f\" height=\"%.2f\" "
                      "fill=\"#FFFFFF\"/>\n", w, h);
    svg_ctx s = { &b };
    chart_sink sink = { &s, s_fill, s_stroke, s_text };
    chart_draw(c, t, fonts, 0, 0, w, h, &sink);
    rp_buf_puts(&b, "</svg>\n");
    return b.s;
}

int chart_write_svg_text(const chart *c, const pack_template *t, fonts *fonts,
                         double w, double h, const char *id,
                         const char *title, const char *desc,
                         const char *path, rp_errors *errs)
{
    char *svg = chart_svg(c, t, fonts, w, h, id, title, desc, 1);
    rp_atomic a;
    if (rp_atomic_open(&a, path, errs) != 0) {
        free(svg);
        return -1;
    }
    int ok = fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", a.f) >= 0 &&
             fputs(svg, a.f) >= 0;
    free(svg);
    if (!ok)
        rp_err(errs, path, 0, NULL, "cannot write the SVG");
    return rp_atomic_commit(&a, ok, errs);
}
