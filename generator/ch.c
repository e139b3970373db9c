/* ch.c — TEMPORARY placeholder so the tree links while the charts module
 * is written; replaced by the charts work. Draws nothing. */
#include "ch.h"
#include <stdlib.h>

void ch_chart_destroy(ch_chart *c) { free(c); }

void ch_draw(const ch_chart *c, const tp_template *t, fm_fonts *fonts,
             double x, double y, double w, double h, const ch_sink *sink)
{
    (void)c; (void)t; (void)fonts; (void)x; (void)y; (void)w; (void)h;
    (void)sink;
}
