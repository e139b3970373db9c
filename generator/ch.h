/* ch.h — charts. Geometry is built with cairo on a context whose matrix
 * maps chart space to page space; each finished path is handed to a sink.
 * The PDF renderer's sink replays it as libharu path operators (vectors,
 * never pictures); the PNG and SVG sinks paint it with cairo. Chart text
 * goes to the sink as text, so in the PDF it is real, selectable text.
 *
 * Coordinates given to sinks are page points, y measured DOWN from the top
 * of the page (like ly boxes). */
#ifndef CH_H
#define CH_H

#include <cairo.h>
#include "rp.h"
#include "tp.h"
#include "fm.h"

typedef struct ch_chart ch_chart;

typedef struct ch_sink {
    void *ctx;
    /* Fill the path (device = page coordinates, y down). */
    void (*fill)(void *ctx, const cairo_path_t *path, tp_rgb color);
    /* Stroke the path; width and dash lengths already in page points. */
    void (*stroke)(void *ctx, const cairo_path_t *path, tp_rgb color,
                   double width, const double *dash, int ndash);
    /* One line of text with its baseline starting at (x, y), rotated by
     * angle radians counter-clockwise about that point. */
    void (*text)(void *ctx, double x, double y, fm_face face, double size,
                 tp_rgb color, double angle, const char *utf8);
} ch_sink;

void ch_chart_destroy(ch_chart *c);
/* Draw chart c into the box (x, y, w, h) of a page. */
void ch_draw(const ch_chart *c, const tp_template *t, fm_fonts *fonts,
             double x, double y, double w, double h, const ch_sink *sink);

#endif
