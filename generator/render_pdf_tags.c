/* render_pdf_tags.c — tagged PDF (PDF/UA-1) on libharu 2.3.0, which has no
 * tagging API. Marked content is written straight into each page's content
 * stream between libharu's own drawing calls (its graphics-mode tracking
 * is untouched: we only write while it is in page-description mode). Traps
 * (../shared/notes/stack-facts.md §8): an indirect object must go through
 * HPDF_Xref_Add before it is put anywhere; the XMP is our own stream (not
 * HPDF_PDFA_SetPDFAConformance), uncompressed.
 *
 * The structure tree of a large pack is millions of elements (one per
 * table cell). Built from libharu's dicts, names and arrays each element
 * cost about 1.5 KB (every dict entry and name carries a 128-byte buffer):
 * three quarters of the 19,400-measure build's memory. So an element here
 * is a small record of object numbers, and its libharu object an empty
 * dict in the xref (for its number and file offset) whose write_fn writes
 * the record out when the PDF is saved; only the rare entries that hold
 * strings (/Alt, /ID, a table's /Summary), which must be encrypted with
 * the document, stay libharu entries. The ParentTree is written the same
 * way. The tagger therefore lives until the PDF is saved.
 *
 * The tree follows the laid-out boxes in page order, which is document
 * order: an element is made when its first box is met, so the stream
 * order of each page is the reading order of the structure. */
#include "render_pdf_tags.h"

#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ART_NONE = 0, ART_HEADER, ART_FOOTER, ART_PAGINATION, ART_LAYOUT };

/* Element classes for the per-block cache (besides layout roles). */
enum { CLS_TABLE = 100, CLS_THEAD, CLS_TBODY, CLS_TR, CLS_CELL, CLS_TOCI };

/* An element: index + 1 in the tagger's store; 0 is none (and, as a
 * parent, the StructTreeRoot). */
typedef uint32_t eid;

/* What an element's write_fn writes besides /Type /S /P /Pg /K. */
enum { EX_NONE = 0, EX_SCOPE_COLUMN, EX_SCOPE_ROW };

typedef struct selem {
    pdf_tags *g;                /* the kids, when it is written */
    HPDF_Dict d;                /* its object: number, rare entries */
    const char *type;           /* a static name: "TD", "P"… */
    uint32_t parent;            /* object numbers: its parent, */
    uint32_t pg;                /* the page of its first content (0: none) */
    uint32_t kid_head, kid_tail;    /* its /K in g->kids: index + 1 */
    uint32_t extra;             /* EX_ */
} selem;

/* An item of an element's /K: an element; a marked-content id, bare on
 * the element's /Pg and an MCR naming its page elsewhere; an annotation
 * (OBJR). */
enum { KID_ELEM, KID_MCID, KID_OBJR };
typedef struct kid {
    uint32_t next;              /* index + 1 in g->kids; 0 ends */
    uint32_t kind;
    uint32_t a;                 /* object number, or the MCID */
    uint32_t pg;                /* page object number (MCID, OBJR) */
} kid;

/* The per-block cache: the elements made for the block being tagged. */
typedef struct cached {
    eid e;
    int cls, row, col, part;
} cached;

typedef struct open_list {
    int list, level;
    eid l, li, lbody;
} open_list;

/* A ParentTree dict written by write_fn: keys [from, to), with /Limits
 * when it is a leaf under /Kids. */
typedef struct ptree_part {
    pdf_tags *g;
    size_t from, to;
    int leaf;
} ptree_part;

enum { SE_BLOCK = 4096 };       /* elements per block: addresses stay put */

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
    uint32_t root_id;
    /* the elements, in blocks of SE_BLOCK, and their kids */
    selem **blk; size_t nblk, blkcap;
    uint32_t nel;
    kid *kids; size_t nkids, kcap;
    rp_buf out;                     /* a record's text, while it is saved */
    eid doc, sect;
    const doc_block *sect_block;
    /* the ParentTree's page entries: page p's MCIDs 0… have the parents
     * mcpar[mcfirst[p] …], pages being tagged in order */
    uint32_t *mcpar; size_t nmc, mccap;
    size_t *mcfirst;
    int *nmcid;
    uint32_t *links; size_t nlinks, lcap;   /* ParentTree npages + i */
    ptree_part *parts; size_t nparts;
    const doc_block *block;         /* the block whose elements are cached */
    cached *els; size_t nels, ecap;
    size_t *row_first;              /* a table block's rows: 1 + the index in
                                       els of the row's first cell (its TR
                                       follows its ncols cells), 0 = none */
    eid toc;                         /* open TOC, 0 when none */
    eid link;                        /* Link of the last contents box */
    const doc_block *link_block;
    /* open lists of a text section, outermost first: each L with its
     * current LI and that item's LBody (where a nested L goes) */
    open_list lists[16];
    int nlists;
    eid uri;                         /* Link of the last web-link box */
    const char *uri_href;            /* its target (the span's string) */
    eid uri_parent;
    /* the open marked-content sequence */
    int open;                       /* 0 none, 1 element, 2 artifact */
    eid open_el;
    int open_art;
    size_t page;
    int notes;
    int failed;
};

/* ---- objects ------------------------------------------------------------ */

static uint32_t objnum(const void *obj)
{
    return ((const HPDF_Obj_Header *)obj)->obj_id & 0x00FFFFFF;
}

static selem *el(const pdf_tags *g, eid e)
{
    return &g->blk[(e - 1) / SE_BLOCK][(e - 1) % SE_BLOCK];
}

static HPDF_String ustr(pdf_tags *g, const char *s)
{
    return HPDF_String_New(g->mmgr, s ? s : "", g->utf8);
}

static void add_kid(pdf_tags *g, eid e, uint32_t kind, uint32_t a,
                    uint32_t pg)
{
    if (!e)
        return;
    rp_grow((void **)&g->kids, &g->kcap, g->nkids + 1, sizeof *g->kids);
    g->kids[g->nkids] = (kid){ 0, kind, a, pg };
    uint32_t k = (uint32_t)++g->nkids;
    selem *x = el(g, e);
    if (x->kid_tail)
        g->kids[x->kid_tail - 1].next = k;
    else
        x->kid_head = k;
    x->kid_tail = k;
}

/* ---- writing what the records hold (while the PDF is saved) ----------- */

/* Text for a record's entries: the tagger's one buffer (g->out), reused
 * for every object and handed to libharu's stream in one write. */
static void w_num(rp_buf *b, uint32_t v)
{
    char t[12];
    int i = (int)sizeof t;
    do
        t[--i] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    rp_buf_add(b, t + i, sizeof t - (size_t)i);
}

static void w_ref(rp_buf *b, uint32_t obj)
{
    w_num(b, obj);
    rp_buf_puts(b, " 0 R");
}

static HPDF_STATUS w_done(rp_buf *b, HPDF_Stream s)
{
    HPDF_STATUS st = HPDF_Stream_Write(s, (const HPDF_BYTE *)b->s,
                                       (HPDF_UINT)b->len);
    b->len = 0;
    return st;
}

/* An element's entries, after any libharu ones (/Alt, /A, /ID). */
static HPDF_STATUS elem_write(HPDF_Dict d, HPDF_Stream s)
{
    const selem *x = d->attr;
    pdf_tags *g = x->g;
    rp_buf *w = &g->out;
    rp_buf_puts(w, "/Type /StructElem\n/S /");
    rp_buf_puts(w, x->type);
    rp_buf_puts(w, "\n/P ");
    w_ref(w, x->parent);
    if (x->pg) {
        rp_buf_puts(w, "\n/Pg ");
        w_ref(w, x->pg);
    }
    if (x->extra)
        rp_buf_puts(w, x->extra == EX_SCOPE_COLUMN
                      ? "\n/A <</O /Table /Scope /Column>>"
                      : "\n/A <</O /Table /Scope /Row>>");
    rp_buf_puts(w, "\n/K [");
    for (uint32_t k = x->kid_head, n = 0; k; k = g->kids[k - 1].next, n++) {
        const kid *c = &g->kids[k - 1];
        if (n)
            rp_buf_puts(w, n % 16 ? " " : "\n");
        if (c->kind == KID_ELEM) {
            w_ref(w, c->a);
        } else if (c->kind == KID_MCID && c->pg == x->pg) {
            w_num(w, c->a);
        } else if (c->kind == KID_MCID) {
            rp_buf_puts(w, "<</Type /MCR /Pg ");
            w_ref(w, c->pg);
            rp_buf_puts(w, " /MCID ");
            w_num(w, c->a);
            rp_buf_puts(w, ">>");
        } else {
            rp_buf_puts(w, "<</Type /OBJR /Obj ");
            w_ref(w, c->a);
            rp_buf_puts(w, " /Pg ");
            w_ref(w, c->pg);
            rp_buf_puts(w, ">>");
        }
    }
    rp_buf_puts(w, "]\n");
    return w_done(w, s);
}

/* A StructElem of type `type` appended to parent's /K (0: the root's). */
static eid new_elem(pdf_tags *g, const char *type, eid parent)
{
    if (g->failed)
        return 0;
    HPDF_Dict d = HPDF_Dict_New(g->mmgr);
    if (!d || HPDF_Xref_Add(g->xref, d) != HPDF_OK) {
        g->failed = 1;
        return 0;
    }
    if (g->nel % SE_BLOCK == 0) {
        rp_grow((void **)&g->blk, &g->blkcap, g->nblk + 1, sizeof *g->blk);
        g->blk[g->nblk++] = rp_xmalloc(SE_BLOCK * sizeof **g->blk);
    }
    eid e = ++g->nel;
    selem *x = el(g, e);
    *x = (selem){ .g = g, .d = d, .type = type,
                  .parent = parent ? objnum(el(g, parent)->d) : g->root_id };
    d->attr = x;
    d->write_fn = elem_write;
    add_kid(g, parent, KID_ELEM, objnum(d), 0);
    return e;
}

static HPDF_Dict dict_of(const pdf_tags *g, eid e)
{
    return e ? el(g, e)->d : NULL;
}

static cached *cache_find(pdf_tags *g, int cls, int row, int col, int part)
{
    for (size_t i = 0; i < g->nels; i++) {
        cached *e = &g->els[i];
        if (e->cls == cls && e->row == row && e->col == col && e->part == part)
            return e;
    }
    return NULL;
}

static cached *cache_add(pdf_tags *g, eid e, int cls, int row, int col,
                         int part)
{
    rp_grow((void **)&g->els, &g->ecap, g->nels + 1, sizeof *g->els);
    g->els[g->nels] = (cached){ e, cls, row, col, part };
    return &g->els[g->nels++];
}

/* The section elements go in: Document until the first section. */
static eid container(pdf_tags *g)
{
    return g->sect ? g->sect : g->doc;
}

static void new_sect(pdf_tags *g, const doc_block *b)
{
    g->sect = new_elem(g, "Sect", g->doc);
    g->sect_block = b;
}

pdf_tags *pdf_tags_create(HPDF_Doc pdf, const document *doc, HPDF_Page *pages,
                          size_t npages, double page_h)
{
    pdf_tags *g = rp_xcalloc(1, sizeof *g);
    rp_buf_init(&g->out);
    g->doc_tree = doc;
    g->levels = doc ? doc_outline_levels(doc) : NULL;
    g->pdf = pdf;
    g->mmgr = pdf->mmgr;
    g->xref = pdf->xref;
    g->utf8 = HPDF_GetEncoder(pdf, "UTF-8");
    g->pages = pages;
    g->npages = npages;
    g->page_h = page_h;
    g->mcfirst = rp_xcalloc(npages ? npages : 1, sizeof *g->mcfirst);
    g->nmcid = rp_xcalloc(npages ? npages : 1, sizeof *g->nmcid);
    g->root = HPDF_Dict_New(g->mmgr);
    if (!g->root || HPDF_Xref_Add(g->xref, g->root) != HPDF_OK) {
        g->root = NULL;
        g->failed = 1;
        return g;
    }
    g->root_id = objnum(g->root);
    HPDF_Dict_AddName(g->root, "Type", "StructTreeRoot");
    /* The Document element hangs from the root: /K is the element itself. */
    g->doc = new_elem(g, "Document", 0);
    if (g->doc)
        HPDF_Dict_Add(g->root, "K", el(g, g->doc)->d);
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

/* The elements of a table row, made on its first box (all its cells, so
 * every row has the full set even where one is empty): the index in els
 * of its first cell (cells in column order, then the TR). Found by row,
 * not by searching els: a table of thousands of rows was quadratic. */
static size_t table_row(pdf_tags *g, const doc_block *b, int row)
{
    const doc_table *t = &b->as.table;
    if (g->row_first[row])
        return g->row_first[row] - 1;
    cached *tab = cache_find(g, CLS_TABLE, -1, -1, 0);
    if (!tab) {
        eid e = new_elem(g, "Table", container(g));
        if (e && t->summary && *t->summary) {
            HPDF_Dict a = HPDF_Dict_New(g->mmgr);
            HPDF_Dict_AddName(a, "O", "Table");
            HPDF_Dict_Add(a, "Summary", ustr(g, t->summary));
            HPDF_Dict_Add(dict_of(g, e), "A", a);
        }
        tab = cache_add(g, e, CLS_TABLE, -1, -1, 0);
    }
    int head = (size_t)row < t->nheader;
    int gcls = head ? CLS_THEAD : CLS_TBODY;
    cached *grp = cache_find(g, gcls, -1, -1, 0);
    if (!grp) {
        eid parent = tab->e;
        grp = cache_add(g, new_elem(g, head ? "THead" : "TBody", parent),
                        gcls, -1, -1, 0);
    }
    eid tr = new_elem(g, "TR", grp->e);
    size_t first = g->nels;
    for (size_t k = 0; k < t->ncols; k++) {
        int th = head || doc_table_row_header(t, (size_t)row, k);
        eid c = new_elem(g, th ? "TH" : "TD", tr);
        if (th && c)
            el(g, c)->extra = head ? EX_SCOPE_COLUMN : EX_SCOPE_ROW;
        cache_add(g, c, CLS_CELL, row, (int)k, 0);
    }
    cache_add(g, tr, CLS_TR, row, -1, 0);
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
        eid parent = n >= 1 && n <= cap ? g->lists[n - 1].lbody
                                        : container(g);
        eid l = new_elem(g, "L", parent);
        if (l) {
            HPDF_Dict a = HPDF_Dict_New(g->mmgr);
            HPDF_Dict_AddName(a, "O", "List");
            HPDF_Dict_AddName(a, "ListNumbering",
                              it->ordered ? "Decimal"
                              : it->level % 2 ? "Disc" : "None");
            HPDF_Dict_Add(dict_of(g, l), "A", a);
        }
        g->lists[n].list = it->list;
        g->lists[n].level = it->level;
        g->lists[n].l = l;
        g->nlists = n + 1;
    }
    open_list *top = &g->lists[g->nlists - 1];
    top->li = new_elem(g, "LI", top->l);
    eid lbl = 0;
    if (marked)
        lbl = new_elem(g, "Lbl", top->li);
    top->lbody = new_elem(g, "LBody", top->li);
    cache_add(g, lbl, ROLE_LBL, -1, -1, 0);
}

static eid block_element(pdf_tags *g, const layout_box *b);

/* The element a box's content goes in; a web link's words go in a Link
 * inside it (one Link per run of boxes with the same target). */
static eid element_of(pdf_tags *g, const layout_box *b)
{
    eid e = block_element(g, b);
    if (!e || !b->href || !*b->href) {
        g->uri_href = NULL;
        return e;
    }
    if (g->uri_href == b->href && g->uri_parent == e && g->uri)
        return g->uri;
    g->uri = new_elem(g, "Link", e);
    g->uri_href = b->href;
    g->uri_parent = e;
    return g->uri;
}

static eid block_element(pdf_tags *g, const layout_box *b)
{
    const doc_block *bl = b->block;
    if (b->role != ROLE_TOC)
        g->toc = 0;                 /* the contents list has ended */
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
            return 0;
        cached *lbl = b->role == ROLE_LBL ? cache_find(g, ROLE_LBL, -1, -1, 0)
                                          : NULL;
        return lbl && lbl->e ? lbl->e : g->lists[g->nlists - 1].lbody;
    }
    case DOC_COVER: {
        if (g->sect_block != bl)
            new_sect(g, bl);
        cached *e = cache_find(g, 0, -1, -1, b->part);
        if (!e)
            e = cache_add(g, new_elem(g, b->role == ROLE_H1 ? "H1" : "P",
                                      container(g)), 0, -1, -1, b->part);
        return e->e;
    }
    case DOC_CONTENTS: {
        if (g->sect_block != bl)
            new_sect(g, bl);
        cached *e = cache_find(g, b->role, -1, -1, 0);
        if (!e)
            e = cache_add(g, new_elem(g, "H1", container(g)), b->role, -1, -1,
                          0);
        return e->e;
    }
    case DOC_HEADING: {
        if (b->role == ROLE_TOC) {
            if (!g->toc)
                g->toc = new_elem(g, "TOC", container(g));
            cached *e = cache_find(g, CLS_TOCI, -1, -1, 0);
            if (!e) {
                eid toci = new_elem(g, "TOCI", g->toc);
                cache_add(g, toci, CLS_TOCI, -1, -1, 0);
                e = cache_add(g, new_elem(g, "Link", toci), ROLE_TOC, -1,
                              -1, 0);
            }
            g->link = e->e;
            g->link_block = bl;
            return e->e;
        }
        cached *e = cache_find(g, b->role, -1, -1, 0);
        if (!e) {
            int lv = g->levels ? g->levels[bl - g->doc_tree->blocks]
                               : bl->as.heading.level;
            if (lv <= 1)
                new_sect(g, bl);
            e = cache_add(g, new_elem(g, lv <= 1 ? "H1" : lv == 2 ? "H2" : "H3",
                                      container(g)), b->role, -1, -1, 0);
        }
        return e->e;
    }
    case DOC_PARAGRAPH:
    case DOC_BADGE: {
        cached *e = cache_find(g, 0, -1, -1, 0);
        if (!e) {
            int note = bl->kind == DOC_PARAGRAPH && bl->as.paragraph.small;
            eid x = new_elem(g, note ? "Note" : "P", container(g));
            if (note && x) {
                /* PDF/UA: every Note has a unique /ID. */
                char id[32];
                snprintf(id, sizeof id, "note-%d", ++g->notes);
                HPDF_Dict_Add(dict_of(g, x), "ID",
                              HPDF_String_New(g->mmgr, id, NULL));
            }
            e = cache_add(g, x, 0, -1, -1, 0);
        }
        return e->e;
    }
    case DOC_FIGURE: {
        int fig = b->role == ROLE_FIGURE;
        cached *e = cache_find(g, fig, -1, -1, 0);
        if (!e) {
            eid x = new_elem(g, fig ? "Figure" : "P", container(g));
            if (fig && x) {
                HPDF_Dict xd = dict_of(g, x);
                char *alt = doc_figure_alt(&bl->as.figure);
                HPDF_Dict_Add(xd, "Alt", ustr(g, alt));
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
                HPDF_Dict_Add(xd, "A", a);
            }
            e = cache_add(g, x, fig, -1, -1, 0);
        }
        return e->e;
    }
    case DOC_TABLE: {
        if (b->row < 0 || b->col < 0 || !g->row_first ||
            (size_t)b->row >= bl->as.table.nrows ||
            (size_t)b->col >= bl->as.table.ncols)
            return 0;
        size_t i = table_row(g, bl, b->row) + (size_t)b->col;  /* may grow els */
        return g->els[i].e;
    }
    default:
        return 0;
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
    g->open_el = 0;
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

static void open_element(pdf_tags *g, eid e)
{
    selem *x = el(g, e);
    size_t p = g->page;
    /* The ParentTree keeps each page's MCID parents in one run of mcpar:
     * pages are tagged in order, one after another. */
    if (!g->nmcid[p])
        g->mcfirst[p] = g->nmc;
    else if (g->mcfirst[p] + (size_t)g->nmcid[p] != g->nmc) {
        g->failed = 1;
        return;
    }
    int mcid = g->nmcid[p]++;
    rp_grow((void **)&g->mcpar, &g->mccap, g->nmc + 1, sizeof *g->mcpar);
    g->mcpar[g->nmc++] = objnum(x->d);
    char buf[96];
    snprintf(buf, sizeof buf, "/%.40s <</MCID %d>> BDC\n", x->type, mcid);
    HPDF_Stream_WriteStr(stream_of(g), buf);
    /* The element's first page is its /Pg: content there is a bare MCID
     * in /K, content on another page a marked-content reference. */
    uint32_t pg = objnum(g->pages[p]);
    if (!x->pg)
        x->pg = pg;
    add_kid(g, e, KID_MCID, (uint32_t)mcid, pg);
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
    eid e = 0;
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
static void tie_annot(pdf_tags *g, HPDF_Annotation an, eid link,
                      const char *contents)
{
    int key = (int)(g->npages + g->nlinks);
    rp_grow((void **)&g->links, &g->lcap, g->nlinks + 1, sizeof *g->links);
    g->links[g->nlinks++] = objnum(el(g, link)->d);
    HPDF_Dict_AddNumber(an, "StructParent", key);
    HPDF_Dict_Add(an, "Contents", ustr(g, contents));
    add_kid(g, link, KID_OBJR, objnum(an), objnum(g->pages[g->page]));
}

void pdf_tags_link(pdf_tags *g, HPDF_Annotation an)
{
    if (!g || g->failed || !an || !g->link)
        return;
    char *t = doc_block_text(g->link_block);
    tie_annot(g, an, g->link, t);
    free(t);
}

void pdf_tags_uri(pdf_tags *g, HPDF_Annotation an, const char *text,
                  const char *uri)
{
    if (!g || g->failed || !an)
        return;
    char *t = rp_xasprintf("%s (%s)", text ? text : "", uri ? uri : "");
    if (g->uri_href && g->uri)
        tie_annot(g, an, g->uri, t);
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

/* The ParentTree's entries [from, to): key k < npages is page k's array
 * of MCID parents, key npages + i the i-th link annotation's Link. */
static HPDF_STATUS ptree_write(HPDF_Dict d, HPDF_Stream s)
{
    const ptree_part *p = d->attr;
    pdf_tags *g = p->g;
    rp_buf *w = &g->out;
    if (p->leaf) {
        rp_buf_puts(w, "/Limits [");
        w_num(w, (uint32_t)p->from);
        rp_buf_puts(w, " ");
        w_num(w, (uint32_t)(p->to - 1));
        rp_buf_puts(w, "]\n");
    }
    rp_buf_puts(w, "/Nums [");
    for (size_t k = p->from; k < p->to; k++) {
        rp_buf_puts(w, "\n");
        w_num(w, (uint32_t)k);
        if (k >= g->npages) {
            rp_buf_puts(w, " ");
            w_ref(w, g->links[k - g->npages]);
            continue;
        }
        rp_buf_puts(w, " [");
        for (int i = 0; i < g->nmcid[k]; i++) {
            if (i)
                rp_buf_puts(w, i % 16 ? " " : "\n");
            w_ref(w, g->mcpar[g->mcfirst[k] + (size_t)i]);
        }
        rp_buf_puts(w, "]");
    }
    rp_buf_puts(w, "]\n");
    return w_done(w, s);
}

static void ptree_dict(pdf_tags *g, HPDF_Dict d, size_t from, size_t to,
                       int leaf)
{
    ptree_part *p = &g->parts[g->nparts++];
    *p = (ptree_part){ g, from, to, leaf };
    d->attr = p;
    d->write_fn = ptree_write;
}

/* The ParentTree number tree: one /Nums when it is small (every committee
 * pack), else leaves of PTREE_LEAF keys under /Kids. libharu refuses an
 * array of more than 32,767 items, which a flat /Nums of a 16,384-page
 * pack (the 19,400-measure benchmark council) would need. */
enum { PTREE_LEAF = 1024 };

/* Test hook (DEVELOPERS.md): RAGPACK_TEST_PTREE_LEAF=N (2 to 1024) makes
 * leaves of N keys, so that the readers in tests/integration/a11y.sh walk
 * the leaves of a small pack's tree. */
static size_t ptree_leaf(void)
{
    const char *v = getenv("RAGPACK_TEST_PTREE_LEAF");
    long n = v ? atol(v) : 0;
    return n >= 2 && n <= PTREE_LEAF ? (size_t)n : PTREE_LEAF;
}

static int parent_tree(pdf_tags *g, HPDF_Dict ptree)
{
    size_t n = g->npages + g->nlinks, leaf = ptree_leaf();
    g->parts = rp_xcalloc(n / leaf + 2, sizeof *g->parts);
    if (n <= leaf) {
        ptree_dict(g, ptree, 0, n, 0);
        return 0;
    }
    HPDF_Array kids = HPDF_Array_New(g->mmgr);
    if (!kids || HPDF_Dict_Add(ptree, "Kids", kids) != HPDF_OK)
        return -1;
    for (size_t from = 0; from < n; from += leaf) {
        size_t to = from + leaf < n ? from + leaf : n;
        HPDF_Dict leaf = HPDF_Dict_New(g->mmgr);
        if (!leaf || HPDF_Xref_Add(g->xref, leaf) != HPDF_OK)
            return -1;
        ptree_dict(g, leaf, from, to, 1);
        if (HPDF_Array_Add(kids, leaf) != HPDF_OK)
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
    for (size_t i = 0; i < g->nblk; i++)
        free(g->blk[i]);
    free(g->blk);
    free(g->kids);
    rp_buf_free(&g->out);
    free(g->mcpar);
    free(g->mcfirst);
    free(g->nmcid);
    free(g->links);
    free(g->parts);
    free(g->els);
    free(g->row_first);
    free(g->levels);
    free(g);
}
