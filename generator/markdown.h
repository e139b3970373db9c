/* markdown.h — a text section's Markdown (CommonMark, parsed with Debian's
 * libcmark, never by hand) → document blocks in the pack's style:
 * headings, paragraphs, bulleted and numbered lists (nested), strong and
 * emphasis, links, block quotes and code as plain paragraphs. CommonMark
 * has no tables (libcmark 0.30 has no table extension), so a pipe table
 * reads as a paragraph; raw HTML is left out with a warning. */
#ifndef RAGPACK_MARKDOWN_H
#define RAGPACK_MARKDOWN_H

#include "base.h"
#include "document.h"

/* top: the document level a Markdown "#" heading becomes (1 when the
 * text is a section of its own, 2 under a section heading); deeper
 * headings follow, never beyond 3. name is used in messages. Invalid
 * UTF-8 is an error naming line and byte column. Returns 0 or -1. */
int markdown_append(document *d, const char *name, const char *text,
                    size_t len, int top, rp_errors *errs);
/* The same from a file. */
int markdown_append_file(document *d, const char *path, int top,
                         rp_errors *errs);

#endif
