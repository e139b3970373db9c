/* render_html.h — the HTML twin of a pack: one self-contained, accessible
 * HTML file (inline CSS, no scripts, prints well) from the same document
 * tree as the PDF: lang, one h1, headings in order, a linked contents
 * list, tables with caption and th scope, charts as inline SVG with real
 * text, role="img", <title> and <desc>, RAG ratings as words. */
#ifndef RAGPACK_RENDER_HTML_H
#define RAGPACK_RENDER_HTML_H

#include "layout.h"

/* The page as a string (caller frees). */
char *render_html(const document *d, const pack_template *t, fonts *fonts);
/* Written atomically to path. 0, or -1 with an error naming path. */
int render_html_write(const document *d, const pack_template *t,
                      fonts *fonts, const char *path, rp_errors *errs);

#endif
