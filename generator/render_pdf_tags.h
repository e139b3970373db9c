/* render_pdf_tags.h — tagged PDF (PDF/UA-1) for render_pdf.c, built from
 * the laid-out boxes: marked content in each page stream (one sequence per
 * run of boxes of one structure element, or an artifact), the structure
 * tree (Document > Sect > H1–H3, P, Note, Table…, Figure with /Alt, TOC),
 * the ParentTree, link annotations tied in by OBJR, and the catalog entries
 * (MarkInfo, Lang, ViewerPreferences, XMP metadata). Part of the renderer:
 * only render_pdf.c includes it, and it is, with render_pdf.c, the only
 * user of libharu. */
#ifndef RAGPACK_RENDER_PDF_TAGS_H
#define RAGPACK_RENDER_PDF_TAGS_H

#include "layout.h"
#include <hpdf.h>

typedef struct pdf_tags pdf_tags;

/* One tagger per document, before any page is drawn. */
pdf_tags *pdf_tags_create(HPDF_Doc pdf, const document *doc, HPDF_Page *pages,
                          size_t npages, double page_h);
/* Before box b of page `page` is painted: ends the open marked-content
 * sequence if b belongs elsewhere and opens b's (structure element with an
 * MCID, or an artifact). */
void pdf_tags_box(pdf_tags *g, size_t page, const layout_box *b);
/* After the last box of a page: close the open sequence. */
void pdf_tags_end_page(pdf_tags *g);
/* A link annotation made for the contents box just tagged: /StructParent,
 * /Contents, and an OBJR in its Link element. */
void pdf_tags_link(pdf_tags *g, HPDF_Annotation an);
/* A text section's web link: its words and target as the annotation's
 * /Contents (its alternative description). */
void pdf_tags_uri(pdf_tags *g, HPDF_Annotation an, const char *text,
                  const char *uri);
/* The structure tree root, ParentTree, page /StructParents and /Tabs,
 * catalog /MarkInfo /Lang /ViewerPreferences and the XMP stream (title,
 * language, pdfuaid:part 1); PDF 1.7. Returns 0 or -1. */
int pdf_tags_finish(pdf_tags *g, const char *title, const char *lang);
/* After the PDF is saved: the structure elements are written from the
 * tagger's records while libharu saves. */
void pdf_tags_destroy(pdf_tags *g);

#endif
