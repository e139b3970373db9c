/* rn.h — render the paginated pack as a PDF with libharu: embedded
 * TrueType fonts (UTF-8), outline (bookmarks), internal links from the
 * contents, document info, compressed streams. Written to a temp file in
 * the same directory and renamed, so a failed run never leaves a partial
 * file or replaces the last good one. With SOURCE_DATE_EPOCH set, the
 * output is byte-identical for identical inputs. */
#ifndef RN_H
#define RN_H

#include "ly.h"

int rn_pdf_write(const ly_pages *pages, const ly_doc *doc,
                 const tp_template *t, fm_fonts *fonts, const char *path,
                 rp_errors *errs);

#endif
