/* render_pdf.h — render the paginated pack as a PDF with libharu: embedded
 * TrueType fonts (UTF-8), outline (bookmarks), internal links from the
 * contents, document info, compressed streams. Written to a temp file in
 * the same directory and renamed, so a failed run never leaves a partial
 * file or replaces the last good one. With SOURCE_DATE_EPOCH set, the
 * output is byte-identical for identical inputs. */
#ifndef RAGPACK_RENDER_PDF_H
#define RAGPACK_RENDER_PDF_H

#include "layout.h"

int render_pdf_write(const layout_pages *pages, const document *doc,
                 const pack_template *t, fonts *fonts, const char *path,
                 rp_errors *errs);

#endif
