/* render_pdf_tags.c — tagged PDF (PDF/UA-1) on libharu 2.3.0, which has no
 * tagging API. Marked content is written straight into each page's content
 * stream between libharu's own drawing calls (its graphics-mode tracking
 * is untouched: we only write while it is in page-description mode); the
 * structure tree is built with libharu's dict/array/xref objects. Traps
 * (../shared/notes/stack-facts.md §8): an indirect object must go through
 * HPDF_Xref_Add before it is put anywhere; the XMP is our own stream (not
 * HPDF_PDFA_SetPDFAConformance), uncompressed.
 *
 * The tree follows the laid-out boxes in page order, which is document
 * order: an element is made when its first box is met, so the stream
 * order of each page is the reading order of the structure. */
#include "render_pdf_tags.h"

#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ART_NONE = 0, ART_HEADER, ART_FOOTER, ART_PAGINATION, ART_LAYOUT };

/* Element classes for the per-block cache (besides layout roles). */
enum { CLS_TABLE = 100, CLS_THEAD, CLS_TBODY, CLS_TR, CLS_CELL, CLS_TOCI };

typedef struct elem {
    HPDF_Dict d;
    HPDF_Array k;
    const char *type;
    int cls, row, col, part;
} elem;

typedef struct open_list {
    int list, level;
    elem l, li, lbody;
} open_list;

struct pdf_tags {
    HPDF_Doc pdf;
    const document *doc_tree;       /* for heading levels, or NULL */
    int *levels;                    /* doc_outline_levels(doc_tree) */
    HPDF_MMgr mmgr;
    HPDF_Xref xref;
    HPDF_Encoder utf8;
    HPDF_Page *pages;
    size_t npages;
    double page_h;
    HPDF_Dict root;
    elem doc, sect;
    const doc_block *sect_block;
    HPDF_Array *ptree;              /* per page: parent of each MCID */
    int *nmcid;
    HPDF_Dict *links; size_t nlinks, lcap;  /* ParentTree np + i */
    const doc_block *block;         /* the block whose elements are cached */
    elem *els; size_t nels, ecap;
    size_t *row_first;              /* a table block's rows: 1 + the index in
                                       els of the row's first cell (its TR
                                       follows its ncols cells), 0 = none */
    elem toc;                        /* open TOC, d == NULL when none */
    elem link;                       /* Link of the last contents box */
    const doc_block *link_block;
    /* open lists of a text section, outermost first: each L with its
     * current LI and that item's LBody (where a nested L goes) */
    open_list lists[16];
    int nlists;
    elem uri;                        /* Link of the last web-link box */
    const char *uri_href;            /* its target (the span's string) */
    HPDF_Dict uri_parent;
    /* the open marked-content sequence */
    int open;                       /* 0 none, 1 element, 2 artifact */
    HPDF_Dict open_el;
    int open_art;
    size_t page;
    int notes;
    int failed;
};

/* ---- objects ------------------------------------------------------------ */

static HPDF_String ustr(pdf_tags *g, const char *s)
{
    return HPDF_String_New(g->mmgr, s ? s : "", g->utf8);
}

/* A StructElem of type `type` appended to parent's /K. */
static elem new_elem(pdf_tags *g, const char *type, const elem *parent)
{
    elem e = { 0 };
    e.type = type;
    e.d = HPDF_Dict_New(g->mmgr);
    if (!e.d || HPDF_Xref_Add(g->xref, e.d) != HPDF_OK) {
        g->failed = 1;
        e.d = NULL;
        return e;
    }
    HPDF_Dict_AddName(e.d, "Type", "StructElem");
    HPDF_Dict_AddName(e.d, "S", type);
    HPDF_Dict_Add(e.d, "P", parent->d);
    e.k = HPDF_Array_New(g->mmgr);
    HPDF_Dict_Add(e.d, "K", e.k);
    HPDF_Array_Add(parent->k, e.d);
    return e;
}

static elem *cache_find(pdf_tags *g, int cls, int row, int col, int part)
{
    for (size_t i = 0; i < g->nels; i++) {
        elem *e = &g->els[i];
        if (e->cls == cls && e->row == row && e->col == col && e->part == part)
            return e;
    }
    return NULL;
}

static elem *cache_add(pdf_tags *g, elem e, int cls, int row, int col, int part)
{
    rp_grow((void **)&g->els, &g->ecap, g->nels + 1, sizeof *g->els);
    e.cls = cls; e.row = row; e.col = col; e.part = part;
    g->els[g->nels] = e;
    return &g->els[g->nels++];
}

/* The section elements go in: Document until the first section. */
static const elem *container(pdf_tags *g)
{
    return g->sect.d ? &g->sect : &g->doc;
}

static void new_sect(pdf_tags *g, const doc_block *b)
{
    g->sect.d = NULL;
    g->sect = new_elem(g, "Sect", &g->doc);
    g->sect_block = b;
}

pdf_tags *pdf_tags_create(HPDF_Doc pdf, const document *doc, HPDF_Page *pages,
                          size_t npages, double page_h)
{
    pdf_tags *g = rp_xcalloc(1, sizeof *g);
    g->doc_tree = doc;
    g->levels = doc ? doc_outline_levels(doc) : NULL;
    g->pdf = pdf;
    g->mmgr = pdf->mmgr;
    g->xref = pdf->xref;
    g->utf8 = HPDF_GetEncoder(pdf, "UTF-8");
    g->pages = pages;
    g->npages = npages;
    g->page_h = page_h;
    g->ptree = rp_xcalloc(npages ? npages : 1, sizeof *g->ptree);
    g->nmcid = rp_xcalloc(npages ? npages : 1, sizeof *g->nmcid);
    g->root = HPDF_Dict_New(g->mmgr);
    if (!g->root || HPDF_Xref_Add(g->xref, g->root) != HPDF_OK) {
        g->failed = 1;
        return g;
    }
    HPDF_Dict_AddName(g->root, "Type", "StructTreeRoot");
    /* The Document element hangs from the root: /K is the element itself. */
    g->doc.type = "Document";
    g->doc.d = HPDF_Dict_New(g->mmgr);
    if (!g->doc.d || HPDF_Xref_Add(g->xref, g->doc.d) != HPDF_OK) {
        g->failed = 1;
        return g;
    }
    HPDF_Dict_AddName(g->doc.d, "Type", "StructElem");
    HPDF_Dict_AddName(g->doc.d, "S", "Document");
    HPDF_Dict_Add(g->doc.d, "P", g->root);
    g->doc.k = HPDF_Array_New(g->mmgr);
    HPDF_Dict_Add(g->doc.d, "K", g->doc.k);
    HPDF_Dict_Add(g->root, "K", g->doc.d);
    for (size_t i = 0; i < npages; i++) {
        g->ptree[i] = HPDF_Array_New(g->mmgr);
        if (!g->ptree[i] || HPDF_Xref_Add(g->xref, g->ptree[i]) != HPDF_OK)
            g->failed = 1;
    }
    return g;
}

/* ---- which element a box belongs to ---------------------------------- */

static int artifact_of(const pdf_tags *g, const layout_box *b)
{
    if (b->repeat)
        return ART_PAGINATION;
    if (!b->block)          /* running header and footer */
        return b->y < g->page_h / 2 ? ART_HEADER : ART_FOOTER;
    if (b->role == ROLE_ARTIFACT || b->role == ROLE_NONE)
        return ART_LAYOUT;
    switch (b->kind) {
    case LAYOUT_RECT:       /* fills and badge shapes: the word is text */
    case LAYOUT_RULE:
    case LAYOUT_RAGMARK:
    case LAYOUT_DIRMARK:
    case LAYOUT_SPARK:      /* its values are already in the row */
        return ART_LAYOUT;
    default:
        return ART_NONE;
    }
}

/* A table row's element and its cells (all of them, so every row has the
 * full set of cells even where one is empty). */
/* The elements of a table row, made on its first box: the index in els
 * of its first cell (cells in column order, then the TR). Found by row,
 * not by searching els: a table of thousands of rows was quadratic. */
static size_t table_row(pdf_tags *g, const doc_block *b, int row)
{
    const doc_table *t = &b->as.table;
    if (g->row_first[row])
        return g->row_first[row] - 1;
    elem *tab = cache_find(g, CLS_TABLE, -1, -1, 0);
    if (!tab) {
        elem e = new_elem(g, "Table", container(g));
        if (e.d && t->summary && *t->summary) {
            HPDF_Dict a = HPDF_Dict_New(g->mmgr);
            HPDF_Dict_AddName(a, "O", "Table");
            HPDF_Dict_Add(a, "Summary", ustr(g, t->summary));
            HPDF_Dict_Add(e.d, "A", a);
        }
        tab = cache_add(g, e, CLS_TABLE, -1, -1, 0);
    }
    int head = (size_t)row < t->nheader;
    int gcls = head ? CLS_THEAD : CLS_TBODY;
    elem *grp = cache_find(g, gcls, -1, -1, 0);
    if (!grp) {
        elem parent = *tab;
        grp = cache_add(g, new_elem(g, head ? "THead" : "TBody", &parent),
                        gcls, -1, -1, 0);
    }
    elem gp = *grp;
    elem e = new_elem(g, "TR", &gp);
    size_t first = g->nels;
    for (size_t k = 0; k < t->ncols; k++) {
        int th = head || doc_table_row_header(t, (size_t)row, k);
        elem c = new_elem(g, th ? "TH" : "TD", &e);
        if (th && c.d) {
            HPDF_Dict a = HPDF_Dict_New(g->mmgr);
            HPDF_Dict_AddName(a, "O", "Table");
            HPDF_Dict_AddName(a, "Scope", head ? "Column" : "Row");
            HPDF_Dict_Add(c.d, "A", a);
        }
        cache_add(g, c, CLS_CELL, row, (int)k, 0);
    }
    cache_add(g, e, CLS_TR, row, -1, 0);
    g->row_first[row] = first + 1;
    return first;
}

/* A new list item block: L > LI > (Lbl) LBody. Items with the list id of
 * the innermost open list add an LI to it (or, without a marker, continue
 * its LBody: a further paragraph of the item); a deeper level opens a
 * nested L inside the open item's LBody; a shallower one closes lists. */
static void list_enter(pdf_tags *g, const doc_block *bl)
{
    const doc_list_item *it = &bl->as.item;
    int marked = it->marker && *it->marker;
    int n = g->nlists;
    const int cap = (int)(sizeof g->lists / sizeof g->lists[0]);
    while (n > 0 && g->lists[n - 1].level > it->level)
        n--;
    if (n > 0 && g->lists[n - 1].level == it->level &&
        g->lists[n - 1].list != it->list)
        n--;
    g->nlists = n;
    if (n > 0 && g->lists[n - 1].list == it->list && !marked)
        return;                     /* continuation: same LBody */
    if (n == 0 || g->lists[n - 1].list != it->list) {
        if (n >= cap)
            n = cap - 1;            /* deeper than 16: flattened */
        const elem *parent = n >= 1 && n <= cap ? &g->lists[n - 1].lbody
                                                : container(g);
        elem l = new_elem(g, "L", parent);
        if (l.d) {
            HPDF_Dict a = HPDF_Dict_New(g->mmgr);
            HPDF_Dict_AddName(a, "O", "List");
            HPDF_Dict_AddName(a, "ListNumbering",
                              it->ordered ? "Decimal"
                              : it->level % 2 ? "Disc" : "None");
            HPDF_Dict_Add(l.d, "A", a);
        }
        g->lists[n].list = it->list;
        g->lists[n].level = it->level;
        g->lists[n].l = l;
        g->nlists = n + 1;
    }
    open_list *top = &g->lists[g->nlists - 1];
    top->li = new_elem(g, "LI", &top->l);
    elem lbl = { 0 };
    if (marked)
        lbl = new_elem(g, "Lbl", &top->li);
    top->lbody = new_elem(g, "LBody", &top->li);
    cache_add(g, lbl, ROLE_LBL, -1, -1, 0);
}

static HPDF_Dict block_element(pdf_tags *g, const layout_box *b);

/* The element a box's content goes in; a web link's words go in a Link
 * inside it (one Link per run of boxes with the same target). */
static HPDF_Dict element_of(pdf_tags *g, const layout_box *b)
{
    HPDF_Dict e = block_element(g, b);
    if (!e || !b->href || !*b->href) {
        g->uri_href = NULL;
        return e;
    }
    if (g->uri_href == b->href && g->uri_parent == e && g->uri.d)
        return g->uri.d;
    elem parent = { .d = e, .k = HPDF_Dict_GetItem(e, "K", HPDF_OCLASS_ARRAY) };
    g->uri = new_elem(g, "Link", &parent);
    g->uri_href = b->href;
    g->uri_parent = e;
    return g->uri.d;
}

static HPDF_Dict block_element(pdf_tags *g, const layout_box *b)
{
    const doc_block *bl = b->block;
    if (b->role != ROLE_TOC)
        g->toc.d = NULL;            /* the contents list has ended */
    if (bl->kind != DOC_LIST_ITEM)
        g->nlists = 0;              /* any list has ended */
    if (bl != g->block) {
        g->block = bl;
        g->nels = 0;
        free(g->row_first);
        g->row_first = bl->kind == DOC_TABLE && bl->as.table.nrows
            ? rp_xcalloc(bl->as.table.nrows, sizeof *g->row_first) : NULL;
        if (bl->kind == DOC_LIST_ITEM)
            list_enter(g, bl);
    }
    switch (bl->kind) {
    case DOC_LIST_ITEM: {
        if (!g->nlists)
            return NULL;
        elem *lbl = b->role == ROLE_LBL ? cache_find(g, ROLE_LBL, -1, -1, 0)
                                        : NULL;
        return lbl && lbl->d ? lbl->d : g->lists[g->nlists - 1].lbody.d;
    }
    case DOC_COVER: {
        if (g->sect_block != bl)
            new_sect(g, bl);
        elem *e = cache_find(g, 0, -1, -1, b->part);
        if (!e)
            e = cache_add(g, new_elem(g, b->role == ROLE_H1 ? "H1" : "P",
                                      container(g)), 0, -1, -1, b->part);
        return e->d;
    }
    case DOC_CONTENTS: {
        if (g->sect_block != bl)
            new_sect(g, bl);
        elem *e = cache_find(g, b->role, -1, -1, 0);
        if (!e)
            e = cache_add(g, new_elem(g, "H1", container(g)), b->role, -1, -1,
                          0);
        return e->d;
    }
    case DOC_HEADING: {
        if (b->role == ROLE_TOC) {
            if (!g->toc.d)
                g->toc = new_elem(g, "TOC", container(g));
            elem *e = cache_find(g, CLS_TOCI, -1, -1, 0);
            if (!e) {
                elem toci = new_elem(g, "TOCI", &g->toc);
                cache_add(g, toci, CLS_TOCI, -1, -1, 0);
                e = cache_add(g, new_elem(g, "Link", &toci), ROLE_TOC, -1,
                              -1, 0);
            }
            g->link = *e;
            g->link_block = bl;
            return e->d;
        }
        elem *e = cache_find(g, b->role, -1, -1, 0);
        if (!e) {
            int lv = g->levels ? g->levels[bl - g->doc_tree->blocks]
                               : bl->as.heading.level;
            if (lv <= 1)
                new_sect(g, bl);
            e = cache_add(g, new_elem(g, lv <= 1 ? "H1" : lv == 2 ? "H2" : "H3",
                                      container(g)), b->role, -1, -1, 0);
        }
        return e->d;
    }
    case DOC_PARAGRAPH:
    case DOC_BADGE: {
        elem *e = cache_find(g, 0, -1, -1, 0);
        if (!e) {
            int note = bl->kind == DOC_PARAGRAPH && bl->as.paragraph.small;
            elem x = new_elem(g, note ? "Note" : "P", container(g));
            if (note && x.d) {
                /* PDF/UA: every Note has a unique /ID. */
                char id[32];
                snprintf(id, sizeof id, "note-%d", ++g->notes);
                HPDF_Dict_Add(x.d, "ID", HPDF_String_New(g->mmgr, id, NULL));
            }
            e = cache_add(g, x, 0, -1, -1, 0);
        }
        return e->d;
    }
    case DOC_FIGURE: {
        int fig = b->role == ROLE_FIGURE;
        elem *e = cache_find(g, fig, -1, -1, 0);
        if (!e) {
            elem x = new_elem(g, fig ? "Figure" : "P", container(g));
            if (fig && x.d) {
                char *alt = doc_figure_alt(&bl->as.figure);
                HPDF_Dict_Add(x.d, "Alt", ustr(g, alt));
                free(alt);
                HPDF_Dict a = HPDF_Dict_New(g->mmgr);
                HPDF_Dict_AddName(a, "O", "Layout");
                HPDF_Dict_AddName(a, "Placement", "Block");
                HPDF_Array bb = HPDF_Array_New(g->mmgr);
                HPDF_Array_AddReal(bb, (HPDF_REAL)b->x);
                HPDF_Array_AddReal(bb, (HPDF_REAL)(g->page_h - b->y - b->h));
                HPDF_Array_AddReal(bb, (HPDF_REAL)(b->x + b->w));
                HPDF_Array_AddReal(bb, (HPDF_REAL)(g->page_h - b->y));
                HPDF_Dict_Add(a, "BBox", bb);
                HPDF_Dict_Add(x.d, "A", a);
            }
            e = cache_add(g, x, fig, -1, -1, 0);
        }
        return e->d;
    }
    case DOC_TABLE: {
        if (b->row < 0 || b->col < 0 || !g->row_first ||
            (size_t)b->row >= bl->as.table.nrows ||
            (size_t)b->col >= bl->as.table.ncols)
            return NULL;
        size_t i = table_row(g, bl, b->row) + (size_t)b->col;  /* may grow els */
        return g->els[i].d;
    }
    default:
        return NULL;
    }
}

/* ---- marked content ----------------------------------------------------- */

static HPDF_Stream stream_of(pdf_tags *g)
{
    return ((HPDF_PageAttr)g->pages[g->page]->attr)->stream;
}

static void close_open(pdf_tags *g)
{
    if (g->open)
        HPDF_Stream_WriteStr(stream_of(g), "EMC\n");
    g->open = 0;
    g->open_el = NULL;
    g->open_art = 0;
}

static void open_artifact(pdf_tags *g, int art)
{
    static const char *const what[] = {
        "", "/Artifact <</Type /Pagination /Subtype /Header>> BDC\n",
        "/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n",
        "/Artifact <</Type /Pagination>> BDC\n",
        "/Artifact <</Type /Layout>> BDC\n" };
    HPDF_Stream_WriteStr(stream_of(g), what[art]);
    g->open = 2;
    g->open_art = art;
}

static const char *type_of(HPDF_Dict e)
{
    HPDF_Name n = HPDF_Dict_GetItem(e, "S", HPDF_OCLASS_NAME);
    return n ? n->value : "Span";
}

static void open_element(pdf_tags *g, HPDF_Dict e)
{
    HPDF_Stream s = stream_of(g);
    int mcid = g->nmcid[g->page]++;
    char buf[96];
    snprintf(buf, sizeof buf, "/%.40s <</MCID %d>> BDC\n", type_of(e), mcid);
    HPDF_Stream_WriteStr(s, buf);
    HPDF_Array_Add(g->ptree[g->page], e);
    HPDF_Array kids = HPDF_Dict_GetItem(e, "K", HPDF_OCLASS_ARRAY);
    /* The element's first page is its /Pg, and content on that page is a
     * bare MCID in /K; content on another page needs a marked-content
     * reference naming its page. A dict per MCID was three quarters of
     * the structure tree's memory on a large council. */
    HPDF_Dict pg = HPDF_Dict_GetItem(e, "Pg", HPDF_OCLASS_DICT);
    if (!pg) {
        HPDF_Dict_Add(e, "Pg", g->pages[g->page]);
        pg = g->pages[g->page];
    }
    if (kids && pg == g->pages[g->page]) {
        HPDF_Array_AddNumber(kids, mcid);
    } else if (kids) {
        HPDF_Dict mcr = HPDF_Dict_New(g->mmgr);
        HPDF_Dict_AddName(mcr, "Type", "MCR");
        HPDF_Dict_Add(mcr, "Pg", g->pages[g->page]);
        HPDF_Dict_AddNumber(mcr, "MCID", mcid);
        HPDF_Array_Add(kids, mcr);
    }
    g->open = 1;
    g->open_el = e;
}

void pdf_tags_box(pdf_tags *g, size_t page, const layout_box *b)
{
    if (!g || g->failed || page >= g->npages)
        return;
    if (page != g->page) {
        close_open(g);
        g->page = page;
    }
    int art = artifact_of(g, b);
    HPDF_Dict e = NULL;
    if (!art) {
        e = element_of(g, b);
        if (!e)
            art = ART_LAYOUT;
    }
    if (art) {
        if (g->open == 2 && g->open_art == art)
            return;
        close_open(g);
        open_artifact(g, art);
        return;
    }
    if (g->open == 1 && g->open_el == e)
        return;
    close_open(g);
    open_element(g, e);
}

void pdf_tags_end_page(pdf_tags *g)
{
    if (g)
        close_open(g);
}

/* An annotation tied into Link element `link`: /StructParent (its key
 * in the ParentTree), /Contents, and an OBJR in the element's /K. */
static void tie_annot(pdf_tags *g, HPDF_Annotation an, const elem *link,
                      const char *contents)
{
    int key = (int)(g->npages + g->nlinks);
    rp_grow((void **)&g->links, &g->lcap, g->nlinks + 1, sizeof *g->links);
    g->links[g->nlinks++] = link->d;
    HPDF_Dict_AddNumber(an, "StructParent", key);
    HPDF_Dict_Add(an, "Contents", ustr(g, contents));
    HPDF_Dict objr = HPDF_Dict_New(g->mmgr);
    HPDF_Dict_AddName(objr, "Type", "OBJR");
    HPDF_Dict_Add(objr, "Obj", an);
    HPDF_Dict_Add(objr, "Pg", g->pages[g->page]);
    HPDF_Array_Add(link->k, objr);
}

void pdf_tags_link(pdf_tags *g, HPDF_Annotation an)
{
    if (!g || g->failed || !an || !g->link.d)
        return;
    char *t = doc_block_text(g->link_block);
    tie_annot(g, an, &g->link, t);
    free(t);
}

void pdf_tags_uri(pdf_tags *g, HPDF_Annotation an, const char *text,
                  const char *uri)
{
    if (!g || g->failed || !an)
        return;
    char *t = rp_xasprintf("%s (%s)", text ? text : "", uri ? uri : "");
    if (g->uri_href && g->uri.d)
        tie_annot(g, an, &g->uri, t);
    else
        HPDF_Dict_Add(an, "Contents", ustr(g, t));
    free(t);
}

/* ---- document level ---------------------------------------------------- */

/* XMP with the title, language and the PDF/UA identification; written
 * uncompressed so that it can be found and read by any tool. */
static int write_xmp(pdf_tags *g, const char *title, const char *lang)
{
    HPDF_Dict m = HPDF_DictStream_New(g->mmgr, g->xref);
    if (!m)
        return -1;
    HPDF_Dict_AddName(m, "Type", "Metadata");
    HPDF_Dict_AddName(m, "Subtype", "XML");
    m->filter = HPDF_STREAM_FILTER_NONE;
    rp_buf x;
    rp_buf_init(&x);
    rp_buf_puts(&x,
        "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
        "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
        " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
        "  <rdf:Description rdf:about=\"\"\n"
        "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
        "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
        "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
        "    xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n"
        "   <dc:format>application/pdf</dc:format>\n"
        "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">");
    rp_buf_xml(&x, title);
    rp_buf_puts(&x, "</rdf:li></rdf:Alt></dc:title>\n"
                    "   <dc:language><rdf:Bag><rdf:li>");
    rp_buf_xml(&x, lang);
    rp_buf_puts(&x, "</rdf:li></rdf:Bag></dc:language>\n"
                    "   <pdf:Producer>Haru Free PDF Library 2.3.0</pdf:Producer>\n"
                    "   <xmp:CreatorTool>ragpack " RP_VERSION "</xmp:CreatorTool>\n"
                    "   <pdfuaid:part>1</pdfuaid:part>\n"
                    "  </rdf:Description>\n"
                    " </rdf:RDF>\n"
                    "</x:xmpmeta>\n"
                    "<?xpacket end=\"w\"?>\n");
    HPDF_STATUS st = HPDF_Stream_Write(m->stream, (const HPDF_BYTE *)x.s,
                                       (HPDF_UINT)x.len);
    rp_buf_free(&x);
    if (st != HPDF_OK)
        return -1;
    return HPDF_Dict_Add(g->pdf->catalog, "Metadata", m) == HPDF_OK ? 0 : -1;
}

/* The ParentTree's entries: key k is page k's array of MCID parents, then
 * key npages + i the i-th link annotation's parent. */
static HPDF_Obj_Header *ptree_value(const pdf_tags *g, size_t k)
{
    return k < g->npages ? (HPDF_Obj_Header *)g->ptree[k]
                         : (HPDF_Obj_Header *)g->links[k - g->npages];
}

/* One /Nums array of keys [from, to). */
static HPDF_Array ptree_nums(pdf_tags *g, size_t from, size_t to)
{
    HPDF_Array nums = HPDF_Array_New(g->mmgr);
    for (size_t k = from; nums && k < to; k++)
        if (HPDF_Array_AddNumber(nums, (HPDF_INT32)k) != HPDF_OK ||
            HPDF_Array_Add(nums, ptree_value(g, k)) != HPDF_OK)
            return NULL;
    return nums;
}

/* The ParentTree number tree: one /Nums when it is small (every committee
 * pack), else leaves of PTREE_LEAF keys under /Kids. libharu refuses an
 * array of more than 32,767 items, which a flat /Nums of a 16,384-page
 * pack (the 19,400-measure benchmark council) would need. */
enum { PTREE_LEAF = 1024 };
static int parent_tree(pdf_tags *g, HPDF_Dict ptree)
{
    size_t n = g->npages + g->nlinks;
    if (n <= PTREE_LEAF) {
        HPDF_Array nums = ptree_nums(g, 0, n);
        return nums && HPDF_Dict_Add(ptree, "Nums", nums) == HPDF_OK ? 0 : -1;
    }
    HPDF_Array kids = HPDF_Array_New(g->mmgr);
    if (!kids || HPDF_Dict_Add(ptree, "Kids", kids) != HPDF_OK)
        return -1;
    for (size_t from = 0; from < n; from += PTREE_LEAF) {
        size_t to = from + PTREE_LEAF < n ? from + PTREE_LEAF : n;
        HPDF_Dict leaf = HPDF_Dict_New(g->mmgr);
        if (!leaf || HPDF_Xref_Add(g->xref, leaf) != HPDF_OK)
            return -1;
        HPDF_Array lim = HPDF_Array_New(g->mmgr), nums = ptree_nums(g, from, to);
        if (!lim || !nums ||
            HPDF_Array_AddNumber(lim, (HPDF_INT32)from) != HPDF_OK ||
            HPDF_Array_AddNumber(lim, (HPDF_INT32)(to - 1)) != HPDF_OK ||
            HPDF_Dict_Add(leaf, "Limits", lim) != HPDF_OK ||
            HPDF_Dict_Add(leaf, "Nums", nums) != HPDF_OK ||
            HPDF_Array_Add(kids, leaf) != HPDF_OK)
            return -1;
    }
    return 0;
}

int pdf_tags_finish(pdf_tags *g, const char *title, const char *lang)
{
    if (!g || g->failed)
        return -1;
    if (!lang || !*lang)
        lang = "en-GB";
    if (!title || !*title)
        title = "Committee pack";
    HPDF_Dict ptree = HPDF_Dict_New(g->mmgr);
    if (!ptree || HPDF_Xref_Add(g->xref, ptree) != HPDF_OK)
        return -1;
    for (size_t i = 0; i < g->npages; i++) {
        HPDF_Dict_AddNumber(g->pages[i], "StructParents", (HPDF_INT32)i);
        HPDF_Dict_AddName(g->pages[i], "Tabs", "S");
    }
    if (parent_tree(g, ptree) != 0)
        return -1;
    HPDF_Dict_Add(g->root, "ParentTree", ptree);
    HPDF_Dict_AddNumber(g->root, "ParentTreeNextKey",
                        (HPDF_INT32)(g->npages + g->nlinks));

    HPDF_Dict cat = g->pdf->catalog;
    HPDF_Dict_Add(cat, "StructTreeRoot", g->root);
    HPDF_Dict mark = HPDF_Dict_New(g->mmgr);
    HPDF_Dict_AddBoolean(mark, "Marked", HPDF_TRUE);
    HPDF_Dict_Add(cat, "MarkInfo", mark);
    HPDF_Dict_Add(cat, "Lang", HPDF_String_New(g->mmgr, lang, NULL));
    HPDF_Dict vp = HPDF_Dict_New(g->mmgr);
    HPDF_Dict_AddBoolean(vp, "DisplayDocTitle", HPDF_TRUE);
    HPDF_Dict_Add(cat, "ViewerPreferences", vp);
    if (write_xmp(g, title, lang) != 0)
        return -1;
    g->pdf->pdf_version = HPDF_VER_17;
    return g->failed ? -1 : 0;
}

void pdf_tags_destroy(pdf_tags *g)
{
    if (!g)
        return;
    free(g->ptree);
    free(g->nmcid);
    free(g->links);
    free(g->els);
    free(g->row_first);
    free(g->levels);
    free(g);
}
