/* batch.c — batch runs: manifest, shards, content hashes, locks, and a pool
 * of forked workers each calling build_pack. See batch.h and docs/batch.md. */
#define _XOPEN_SOURCE 700   /* realpath */
#include "batch.h"
#include "chart.h"

#include "build.h"
#include "input.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- paths ----------------------------------------------------------- */

/* Lexical clean-up so two spellings of one output folder are recognised
 * as the same when checking collisions. */
#define path_norm build_path_norm

static char *resolve(const char *base, const char *p)
{
    if (p[0] == '/' || !base || !*base || strcmp(base, ".") == 0)
        return path_norm(p);
    char *j = rp_xasprintf("%s/%s", base, p);
    char *n = path_norm(j);
    free(j);
    return n;
}

/* The folder p names with symbolic links resolved: the real path of its
 * nearest existing ancestor plus the rest, cleaned. Two spellings of one
 * folder through a link then compare equal. */
static char *real_dir(const char *p)
{
    char *head = rp_xstrdup(p);
    size_t cut = strlen(head);
    for (;;) {
        char *real = realpath(*head ? head : ".", NULL);
        if (real) {
            char *j = p[cut] ? rp_xasprintf("%s/%s", real, p + cut + 1)
                             : rp_xstrdup(real);
            free(real);
            free(head);
            char *n = path_norm(j);
            free(j);
            return n;
        }
        char *s = strrchr(head, '/');
        if (!s)
            break;
        *s = '\0';
        cut = (size_t)(s - head);
    }
    free(head);
    return path_norm(p);
}

/* The fonts build_pack will use, normalised so hashes and collisions see
 * one spelling. */
static char *default_fonts(const char *template_path)
{
    char *d = build_default_fonts_dir(template_path);
    char *n = path_norm(d);
    free(d);
    return n;
}

static char *state_base(const batch_row *r, const char *state_dir);

/* ---- manifest ---------------------------------------------------------- */

static void row_free(batch_row *r)
{
    free(r->name);
    free(r->template_path);
    free(r->input_dir);
    free(r->out_dir);
    free(r->out_real);
    free(r->fonts_dir);
    free(r->committee);
    free(r->meeting_date);
    free(r->title);
    free(r->period);
    free(r->key);
    free(r->state_base);
    free(r->state_dir);
}

void batch_manifest_free(batch_manifest *m)
{
    for (size_t i = 0; i < m->n; i++)
        row_free(&m->rows[i]);
    free(m->rows);
    free(m->path);
    memset(m, 0, sizeof *m);
}

/* qsort has no context argument; the manifest being sorted is set here. */
static const batch_manifest *g_sort_m;
static int by_name(const void *a, const void *b)
{
    int c = strcmp(g_sort_m->rows[*(const size_t *)a].name,
                   g_sort_m->rows[*(const size_t *)b].name);
    return c ? c : (*(const size_t *)a > *(const size_t *)b)
                   - (*(const size_t *)a < *(const size_t *)b);
}

/* The rows' indexes sorted by cmp (which reads g_sort_m); caller frees. */
static size_t *sorted_rows(const batch_manifest *m,
                           int (*cmp)(const void *, const void *))
{
    size_t *ix = rp_xcalloc(m->n + 1, sizeof *ix);
    for (size_t i = 0; i < m->n; i++)
        ix[i] = i;
    g_sort_m = m;
    if (m->n > 1)
        qsort(ix, m->n, sizeof *ix, cmp);
    return ix;
}

/* Sort by (out dir, template stem), rows with a period before rows
 * without, then by manifest order. */
static int by_out(const void *a, const void *b)
{
    const batch_row *x = &g_sort_m->rows[*(const size_t *)a];
    const batch_row *y = &g_sort_m->rows[*(const size_t *)b];
    int c = strcmp(x->out_real, y->out_real);
    if (c)
        return c;
    char *sx = build_template_stem(x->template_path), *sy = build_template_stem(y->template_path);
    c = strcmp(sx, sy);
    free(sx);
    free(sy);
    if (c)
        return c;
    return (x->index > y->index) - (x->index < y->index);
}

int batch_manifest_collisions(const batch_manifest *m, rp_errors *errs)
{
    size_t before = errs->nerrors;
    size_t *ix = sorted_rows(m, by_out);
    /* Within a group of one out dir and template stem: a row without a
     * period may resolve to any quarter, so it collides with every other
     * row of the group; rows with periods collide when the key matches. */
    for (size_t g = 0; g < m->n;) {
        size_t e = g + 1;
        while (e < m->n) {
            const batch_row *x = &m->rows[ix[g]], *y = &m->rows[ix[e]];
            char *sx = build_template_stem(x->template_path);
            char *sy = build_template_stem(y->template_path);
            int same = strcmp(x->out_real, y->out_real) == 0 && strcmp(sx, sy) == 0;
            free(sx);
            free(sy);
            if (!same)
                break;
            e++;
        }
        /* One message per row, naming the first earlier row it meets: a
         * manifest of n rows sharing one out folder gives n - 1 lines, not
         * one per pair. */
        for (size_t j = g + 1; j < e; j++) {
            const batch_row *y = &m->rows[ix[j]];
            for (size_t i = g; i < j; i++) {
                const batch_row *x = &m->rows[ix[i]];
                if (x->period && y->period && strcmp(x->key, y->key) != 0)
                    continue;
                int alias = strcmp(x->out_dir, y->out_dir) != 0;
                rp_err(errs, m->path, y->line, "out", "pack \"%s\" writes the "
                       "same output as \"%s\" (line %ld): %s/%s%s%s%s%s", y->name,
                       x->name, x->line, y->out_dir, y->period ? y->key : "",
                       x->period && y->period ? ".pdf"
                       : " (a row without a period builds the latest quarter, "
                         "which may be any of them)",
                       alias ? " (the same folder as " : "",
                       alias ? x->out_dir : "", alias ? ", through a symbolic link)" : "");
                break;
            }
        }
        g = e;
    }
    free(ix);
    return errs->nerrors > before ? -1 : 0;
}

int batch_manifest_parse(const char *name, const char *buf, size_t len,
                      const char *base_dir, batch_manifest *m, rp_errors *errs)
{
    memset(m, 0, sizeof *m);
    m->path = rp_xstrdup(name);
    size_t before = errs->nerrors;
    input_csv c;
    if (input_csv_parse(name, buf, len, &c, errs) != 0)
        return -1;
    if (c.nrecs == 0) {
        rp_err(errs, name, 0, NULL, "the manifest is empty");
        input_csv_free(&c);
        return -1;
    }
    int col[10];
    static const char *const names[10] = { "name", "template", "input", "out",
                                           "period", "fonts", "committee",
                                           "meeting_date", "title",
                                           "chart_files" };
    for (int k = 0; k < 10; k++) {
        col[k] = input_csv_column(&c, names[k]);
        if (k < 4 && col[k] < 0)
            rp_err(errs, name, c.recs[0].line, names[k],
                   "required column is missing (columns: name,template,input,"
                   "out and optional period,fonts,committee,meeting_date,title)");
    }
    if (errs->nerrors > before) {
        input_csv_free(&c);
        return -1;
    }
    size_t cap = 0;
    for (size_t i = 1; i < c.nrecs; i++) {
        const input_record *r = &c.recs[i];
        char *cell[10];
        for (int k = 0; k < 10; k++)
            cell[k] = rp_xstrdup_trim(col[k] >= 0 && (size_t)col[k] < r->nfields
                                   ? r->fields[col[k]] : "");
        if (cell[0][0] == '#') {   /* a commented-out pack */
            for (int k = 0; k < 10; k++)
                free(cell[k]);
            continue;
        }
        int bad = 0;
        for (int k = 0; k < 4; k++)
            if (!cell[k][0]) {
                rp_err(errs, name, r->line, names[k], "is empty");
                bad = 1;
            }
        if (cell[0][0] && !rp_valid_id(cell[0])) {
            rp_err(errs, name, r->line, "name", "\"%s\" may use only letters, "
                   "digits, _ - .", cell[0]);
            bad = 1;
        }
        rp_period p = { 0, 0, 0 };
        if (cell[4][0] && rp_period_parse(cell[4], &p) != 0) {
            rp_err(errs, name, r->line, "period", "\"%s\" is not a quarter "
                   "such as 2024/25 Q3 or a year such as 2024/25, AY 2024/25 "
                   "or 2025 (leave it empty for the default quarter)",
                   cell[4]);
            bad = 1;
        }
        int charts = cell[9][0] ? rp_chart_files_parse(cell[9])
                                : RP_CHART_FILES_DEFAULT;
        if (charts < 0) {
            rp_err(errs, name, r->line, "chart_files", "\"%s\" is not all, "
                   "png, svg or none (leave it empty for the template's)",
                   cell[9]);
            bad = 1;
        }
        if (!bad) {
            rp_grow((void **)&m->rows, &cap, m->n + 1, sizeof *m->rows);
            batch_row *row = &m->rows[m->n];
            memset(row, 0, sizeof *row);
            row->line = r->line;
            row->index = m->n;
            row->name = rp_xstrdup(cell[0]);
            row->template_path = resolve(base_dir, cell[1]);
            row->input_dir = resolve(base_dir, cell[2]);
            row->out_dir = resolve(base_dir, cell[3]);
            row->out_real = real_dir(row->out_dir);
            row->fonts_dir = cell[5][0] ? resolve(base_dir, cell[5])
                                        : default_fonts(row->template_path);
            row->period = cell[4][0] ? rp_xstrdup(cell[4]) : NULL;
            row->committee = cell[6][0] ? rp_xstrdup(cell[6]) : NULL;
            row->meeting_date = cell[7][0] ? rp_xstrdup(cell[7]) : NULL;
            row->title = cell[8][0] ? rp_xstrdup(cell[8]) : NULL;
            row->chart_files = (rp_chart_files)charts;
            if (row->period) {
                row->key = build_pack_stem(row->template_path, p);
            } else {
                char *ts = build_template_stem(row->template_path);
                row->key = rp_xasprintf("%s-latest", ts);
                free(ts);
            }
            row->state_base = state_base(row, NULL);
            m->n++;
        }
        for (int k = 0; k < 10; k++)
            free(cell[k]);
    }
    input_csv_free(&c);
    if (m->n == 0 && errs->nerrors == before)
        rp_err(errs, name, 0, NULL, "the manifest lists no packs");

    /* Names identify packs in logs and progress: they must be unique. */
    size_t *ix = sorted_rows(m, by_name);
    for (size_t i = 1; i < m->n; i++) {
        const batch_row *a = &m->rows[ix[i - 1]], *b = &m->rows[ix[i]];
        if (strcmp(a->name, b->name) == 0)
            rp_err(errs, name, b->line, "name", "\"%s\" is already used on "
                   "line %ld", b->name, a->line);
    }
    free(ix);
    batch_manifest_collisions(m, errs);
    return errs->nerrors > before ? -1 : 0;
}

int batch_manifest_read(const char *path, batch_manifest *m, rp_errors *errs)
{
    /* a folder, FIFO or device is refused with what it is, as any input */
    size_t len = 0;
    char why[160];
    char *buf = rp_read_input(path, RP_MAX_DATA_BYTES, &len, why, sizeof why);
    if (!buf) {
        memset(m, 0, sizeof *m);
        rp_err(errs, path, 0, NULL, "cannot read the manifest: %s", why);
        return -1;
    }
    char *base = rp_dirname(path);
    int rc = batch_manifest_parse(path, buf, len, base, m, errs);
    free(base);
    free(buf);
    return rc;
}

/* ---- shards -------------------------------------------------------------- */

int batch_shard_parse(const char *text, int *k, int *n)
{
    char *end;
    errno = 0;
    long a = strtol(text, &end, 10);
    if (end == text || *end != '/' || errno)
        return -1;
    const char *s = end + 1;
    long b = strtol(s, &end, 10);
    if (end == s || *end || errno || b < 1 || b > 1000000 || a < 1 || a > b)
        return -1;
    *k = (int)a;
    *n = (int)b;
    return 0;
}

int batch_in_shard(size_t index, int k, int n)
{
    return n <= 1 || (int)(index % (size_t)n) + 1 == k;
}

/* ---- hashing ------------------------------------------------------------- */

static void hex_of(const uint8_t *d, char hex[65])
{
    static const char x[] = "0123456789abcdef";
    for (int i = 0; i < SHA256_DIGEST_SIZE; i++) {
        hex[2 * i] = x[d[i] >> 4];
        hex[2 * i + 1] = x[d[i] & 15];
    }
    hex[64] = '\0';
}

static int hash_file_into(struct sha256_ctx *ctx, const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return -1;
    uint8_t buf[65536];
    size_t r;
    while ((r = fread(buf, 1, sizeof buf, fp)) > 0)
        sha256_update(ctx, r, buf);
    int bad = ferror(fp);
    fclose(fp);
    return bad ? -1 : 0;
}

int batch_sha256_file(const char *path, char hex[65])
{
    struct sha256_ctx ctx;
    uint8_t d[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    if (hash_file_into(&ctx, path) != 0)
        return -1;
    sha256_digest(&ctx, SHA256_DIGEST_SIZE, d);
    hex_of(d, hex);
    return 0;
}

/* Names are framed with their length so "ab"+"c" never hashes like
 * "a"+"bc". */
static void hash_str(struct sha256_ctx *ctx, const char *tag, const char *s)
{
    char head[64];
    int n = snprintf(head, sizeof head, "%s %zu:", tag, strlen(s));
    sha256_update(ctx, (size_t)n, (const uint8_t *)head);
    sha256_update(ctx, strlen(s), (const uint8_t *)s);
}

static int no_hidden(const struct dirent *d)
{
    return d->d_name[0] != '.';
}

/* Every regular file in dir (not hidden, not recursive), in name order. */
static int hash_dir(struct sha256_ctx *ctx, const char *tag, const char *dir,
                    rp_errors *errs)
{
    struct dirent **list;
    int n = scandir(dir, &list, no_hidden, alphasort);
    if (n < 0) {
        rp_err(errs, dir, 0, NULL, "cannot list the folder: %s", strerror(errno));
        return -1;
    }
    int rc = 0;
    for (int i = 0; i < n; i++) {
        char *p = rp_xasprintf("%s/%s", dir, list[i]->d_name);
        struct stat st;
        if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
            hash_str(ctx, tag, list[i]->d_name);
            char sz[32];
            int k = snprintf(sz, sizeof sz, " %lld:", (long long)st.st_size);
            sha256_update(ctx, (size_t)k, (const uint8_t *)sz);
            if (hash_file_into(ctx, p) != 0) {
                rp_err(errs, p, 0, NULL, "cannot read: %s", strerror(errno));
                rc = -1;
            }
        }
        free(p);
        free(list[i]);
    }
    free(list);
    return rc;
}

/* The fonts folder is the same for most packs of a run and megabytes of
 * font files: its digest is taken once per run and reused while every
 * file keeps its name, size, inode and times; the packs' hashes take the
 * digest. Workers are forked after the parent's skip check, so they
 * inherit it. */
enum { FONT_DIGESTS = 8 };
static struct font_digest {
    char *dir, *sig;
    uint8_t d[SHA256_DIGEST_SIZE];
} font_digests[FONT_DIGESTS];

/* The folder's files as "name size ino mtime ctime;" into sig. Returns 1
 * when a file changed in the last 2 s: a rewrite within the clock's
 * granularity could keep its times, so such a digest is not kept. */
static int dir_sig(const char *dir, rp_buf *sig)
{
    struct dirent **list;
    int n = scandir(dir, &list, no_hidden, alphasort), fresh = 0;
    time_t now = time(NULL);
    for (int i = 0; i < n; i++) {
        char *p = rp_xasprintf("%s/%s", dir, list[i]->d_name);
        struct stat st;
        if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
            rp_buf_printf(sig, "%s %lld %llu %lld.%09ld %lld.%09ld;",
                          list[i]->d_name, (long long)st.st_size,
                          (unsigned long long)st.st_ino,
                          (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
                          (long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
            fresh |= now - st.st_mtim.tv_sec < 2 || now - st.st_ctim.tv_sec < 2;
        }
        free(p);
        free(list[i]);
    }
    if (n >= 0)
        free(list);
    rp_buf_puts(sig, "");
    return fresh;
}

static int hash_fonts(struct sha256_ctx *ctx, const char *dir, rp_errors *errs)
{
    rp_buf sig;
    rp_buf_init(&sig);
    int fresh = dir_sig(dir, &sig);
    int k = 0;
    for (; k < FONT_DIGESTS && font_digests[k].dir; k++)
        if (strcmp(font_digests[k].dir, dir) == 0 &&
            strcmp(font_digests[k].sig, sig.s) == 0)
            break;
    uint8_t d[SHA256_DIGEST_SIZE];
    if (k < FONT_DIGESTS && font_digests[k].dir) {
        memcpy(d, font_digests[k].d, sizeof d);
    } else {
        struct sha256_ctx fc;
        sha256_init(&fc);
        if (hash_dir(&fc, "font", dir, errs) != 0) {
            rp_buf_free(&sig);
            return -1;
        }
        sha256_digest(&fc, SHA256_DIGEST_SIZE, d);
        if (!fresh) {
            if (k == FONT_DIGESTS) {    /* full: the last slot is reused */
                k--;
                free(font_digests[k].dir);
                free(font_digests[k].sig);
            }
            font_digests[k].dir = rp_xstrdup(dir);
            font_digests[k].sig = sig.s;
            sig.s = NULL;
            memcpy(font_digests[k].d, d, sizeof d);
        }
    }
    rp_buf_free(&sig);
    sha256_update(ctx, SHA256_DIGEST_SIZE, d);
    return 0;
}

int batch_inputs_hash(const batch_row *r, char hex[65], rp_errors *errs)
{
    struct sha256_ctx ctx;
    uint8_t d[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    hash_str(&ctx, "version", RP_VERSION);
    hash_str(&ctx, "period", r->period ? r->period : "latest");
    /* run-time words change the PDF, so they are inputs too */
    hash_str(&ctx, "committee", r->committee ? r->committee : "");
    hash_str(&ctx, "meeting_date", r->meeting_date ? r->meeting_date : "");
    hash_str(&ctx, "title", r->title ? r->title : "");
    /* only when set, so manifests without the column keep their hashes */
    if (r->chart_files != RP_CHART_FILES_DEFAULT)
        hash_str(&ctx, "chart_files", rp_chart_files_name(r->chart_files));
    hash_str(&ctx, "template", "");
    if (hash_file_into(&ctx, r->template_path) != 0) {
        rp_err(errs, r->template_path, 0, NULL, "cannot read the template: %s",
               strerror(errno));
        return -1;
    }
    if (hash_dir(&ctx, "input", r->input_dir, errs) != 0)
        return -1;
    /* A missing fonts folder is build_pack's error to report; hash what is
     * there. */
    if (rp_is_dir(r->fonts_dir) && hash_fonts(&ctx, r->fonts_dir, errs) != 0)
        return -1;
    sha256_digest(&ctx, SHA256_DIGEST_SIZE, d);
    hex_of(d, hex);
    return 0;
}

/* ---- state: one hidden folder per output root ---------------------------- */

/* "<out>/.ragpack/<key>", or with a shared state folder
 * "<dir>/<12 hex of the out folder's absolute path>-<key>", so packs of
 * two output roots never share a lock or a state file. */
static char *state_base(const batch_row *r, const char *state_dir)
{
    return build_state_base(r->out_dir, state_dir, r->key);
}

void batch_manifest_use_state_dir(batch_manifest *m, const char *state_dir)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->rows[i].state_base);
        m->rows[i].state_base = state_base(&m->rows[i], state_dir);
        free(m->rows[i].state_dir);
        m->rows[i].state_dir = state_dir && *state_dir ? rp_xstrdup(state_dir)
                                                       : NULL;
    }
}

char *batch_state_path(const batch_row *r)
{
    return rp_xasprintf("%s.state", r->state_base);
}

char *batch_lock_path(const batch_row *r)
{
    return rp_xasprintf("%s.lock", r->state_base);
}

void batch_state_free(batch_state *s)
{
    free(s->pdf_path);
    s->pdf_path = NULL;
}

/* One line: "ragpack-state 3 <inputs> <pdf sha> <pages> <bytes> <period
 * kind> <fy> <q> <pdf name>", written to a temporary file and renamed, like every output. */
int batch_state_write(const batch_row *r, const batch_state *s)
{
    char *path = batch_state_path(r);
    char *dir = rp_dirname(path);
    char *tmp = rp_xasprintf("%s.XXXXXX", path);
    int rc = -1, fd = rp_mkdir_p(dir) == 0 ? mkstemp(tmp) : -1;
    if (fd >= 0) {
        fchmod(fd, 0644);
        FILE *fp = fdopen(fd, "w");
        if (fp) {
            /* The PDF's name only: the run may start from another
             * working directory next time. */
            const char *base = strrchr(s->pdf_path, '/');
            fprintf(fp, "ragpack-state 3 %s %s %d %ld %d %d %d %s\n",
                    s->inputs, s->pdf_sha, s->pages, s->bytes, s->period.kind,
                    s->period.fy, s->period.q, base ? base + 1 : s->pdf_path);
            int bad = fflush(fp) != 0 || fsync(fd) != 0;
            bad |= fclose(fp) != 0;
            if (!bad && rename(tmp, path) == 0)
                rc = 0;
        } else {
            close(fd);
        }
        if (rc != 0)
            unlink(tmp);
    }
    if (rc == 0) {
        /* ragpack 0.1.0 kept its state beside the PDFs: tidy it away */
        char *legacy = rp_xasprintf("%s/.%s.ragpack-state", r->out_dir, r->key);
        unlink(legacy);
        free(legacy);
    }
    free(tmp);
    free(dir);
    free(path);
    return rc;
}

static int state_read(const batch_row *r, batch_state *s)
{
    memset(s, 0, sizeof *s);
    char *path = batch_state_path(r);
    FILE *fp = fopen(path, "r");
    free(path);
    if (!fp)
        return -1;
    char line[8192];
    int rc = -1;
    if (fgets(line, sizeof line, fp)) {
        line[strcspn(line, "\n")] = '\0';
        int off = 0, kind = 0;
        /* a state of another format is no state: the pack is rebuilt */
        if (sscanf(line, "ragpack-state 3 %64s %64s %d %ld %d %d %d %n",
                   s->inputs, s->pdf_sha, &s->pages, &s->bytes, &kind,
                   &s->period.fy, &s->period.q, &off) == 7 && off > 0
            && line[off] && kind >= RP_PER_QUARTER && kind <= RP_PER_AYEAR
            && (kind == RP_PER_QUARTER) == (s->period.q >= 1 &&
                                           s->period.q <= 4)) {
            s->period.kind = kind;
            s->pdf_path = rp_xasprintf("%s/%s", r->out_dir, line + off);
            rc = 0;
        }
    }
    fclose(fp);
    return rc;
}

int batch_up_to_date(const batch_row *r, const char *inputs_hash, batch_state *st)
{
    if (state_read(r, st) != 0)
        return 0;
    char sha[65];
    if (strcmp(st->inputs, inputs_hash) != 0
        || batch_sha256_file(st->pdf_path, sha) != 0
        || strcmp(sha, st->pdf_sha) != 0) {
        batch_state_free(st);
        return 0;
    }
    return 1;
}

/* ---- the run ----------------------------------------------------------- */

enum { ST_BUILT = 0, ST_SKIPPED = 1, ST_FAILED = 2 };
static const char *const st_name[] = { "built", "skipped", "failed" };

/* One diagnostic as a worker reports it to the parent. */
typedef struct batch_err {
    long line;
    int warning;
    char file[512], column[64], message[512];
} batch_err;
#define BATCH_MSG_ERRS 8

/* What a worker tells the parent: one write of ~10 KB, well under the
 * pipe's capacity (64 KiB on Linux), so it never blocks (the parent reads
 * after the worker exits). */
typedef struct batch_msg {
    int status, pages;
    long bytes;
    rp_period period;       /* built or recorded; kind 0 when unknown */
    char sha[65];
    char pdf[1024];
    int nerrs, more;        /* errs[] used, and errors left out */
    batch_err errs[BATCH_MSG_ERRS];
} batch_msg;

static volatile sig_atomic_t g_signals;

static void on_signal(int sig)
{
    (void)sig;
    g_signals++;
}

static void msg_error(batch_msg *m, const char *file, long line,
                      const char *column, const char *message)
{
    if (m->nerrs == BATCH_MSG_ERRS) {
        m->more++;
        return;
    }
    batch_err *e = &m->errs[m->nerrs++];
    e->line = line;
    snprintf(e->file, sizeof e->file, "%s", file ? file : "");
    snprintf(e->column, sizeof e->column, "%s", column ? column : "");
    snprintf(e->message, sizeof e->message, "%s", message);
}

static void msg_errors(batch_msg *m, const rp_errors *e)
{
    for (size_t i = 0; i < e->n; i++)
        if (e->v[i].sev == RP_SEV_ERROR)
            msg_error(m, e->v[i].file, e->v[i].line, e->v[i].column,
                      e->v[i].message);
    if (!m->nerrs)
        msg_error(m, NULL, 0, NULL, "the build failed");
}

/* "file:line: column: message", as every ragpack diagnostic. */
static void err_format(const batch_err *e, char *buf, size_t len)
{
    rp_error x = { RP_SEV_ERROR, e->file[0] ? (char *)e->file : NULL, e->line,
                   e->column[0] ? (char *)e->column : NULL, (char *)e->message };
    rp_error_format(&x, buf, len);
}

static void build_opts_of(const batch_row *r, build_options *o)
{
    build_options_default(o);
    o->template_path = r->template_path;
    o->input_dir = r->input_dir;
    o->period = r->period;
    o->out_dir = r->out_dir;
    o->fonts_dir = r->fonts_dir;
    o->committee = r->committee;
    o->meeting_date = r->meeting_date;
    o->title = r->title;
    o->state_dir = r->state_dir;
    o->chart_files = r->chart_files;
}

/* A pack built or skipped: its status and what the state records. */
static void msg_done(batch_msg *m, int status, const batch_state *st,
                     int pages, rp_period period, const char *pdf)
{
    m->status = status;
    m->pages = pages;
    m->bytes = st->bytes;
    m->period = period;
    memcpy(m->sha, st->pdf_sha, sizeof m->sha);
    snprintf(m->pdf, sizeof m->pdf, "%s", pdf);
}

/* 1 when the pack r is up to date (m filled as for a skip). */
static int skip_msg(const batch_row *r, const char *h, batch_msg *m)
{
    batch_state st;
    if (!batch_up_to_date(r, h, &st))
        return 0;
    msg_done(m, ST_SKIPPED, &st, st.pages, st.period, st.pdf_path);
    batch_state_free(&st);
    return 1;
}

/* Checked in the parent: a pack that is up to date costs no worker
 * process (a rerun with nothing to do was ~5 ms a pack). Problems are
 * left to the worker, which reports them. */
static int skip_in_parent(const batch_row *r, int force, batch_msg *m)
{
    char h[65];
    rp_errors errs;
    rp_errors_init(&errs);
    memset(m, 0, sizeof *m);
    int skip = !force && batch_inputs_hash(r, h, &errs) == 0 &&
               skip_msg(r, h, m);
    rp_errors_free(&errs);
    return skip;
}

/* The worker: hash, skip if unchanged, else build, record the state. */
static void work(const batch_row *r, int force, batch_msg *m)
{
    rp_errors errs;
    rp_errors_init(&errs);
    char h[65];
    batch_state st;
    memset(m, 0, sizeof *m);
    m->status = ST_FAILED;
    if (batch_inputs_hash(r, h, &errs) != 0)
        goto out;
    if (!force && skip_msg(r, h, m))
        goto out;
    build_options o;
    build_opts_of(r, &o);
    /* the run holds the row's lock; a row without a period locks the
     * quarter it resolves to as well (build_publish) */
    char *held = batch_lock_path(r);
    o.held_lock = held;
    build_result res;
    memset(&res, 0, sizeof res);
    int built = build_pack(&o, &res, &errs) == 0;
    free(held);
    if (built) {
        memset(&st, 0, sizeof st);
        memcpy(st.inputs, h, sizeof st.inputs);
        st.pdf_path = res.pdf_path;
        st.pages = res.pages;
        st.period = res.period;
        /* The size on disk, not what the renderer thinks it wrote. */
        struct stat sb;
        st.bytes = stat(res.pdf_path, &sb) == 0 ? (long)sb.st_size : res.bytes;
        if (batch_sha256_file(res.pdf_path, st.pdf_sha) != 0) {
            rp_err(&errs, res.pdf_path, 0, NULL, "cannot read back the PDF");
        } else {
            if (batch_state_write(r, &st) != 0)
                rp_warn(&errs, r->state_base, 0, NULL, "cannot record the "
                        "build state; the next run will rebuild");
            msg_done(m, ST_BUILT, &st, res.pages, res.period, res.pdf_path);
        }
    }
    build_result_free(&res);
out:
    if (m->status == ST_FAILED)
        msg_errors(m, &errs);
    rp_errors_free(&errs);
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---- the JSON Lines log -------------------------------------------------- */

typedef struct batch_log {
    FILE *fp;           /* NULL: no log */
    int bad;            /* a write failed */
    char run_id[64], host[256], shard[32];
    const char *manifest;
} batch_log;

/* ISO 8601 UTC with milliseconds: 2024-01-31T02:30:00.123Z */
static void utc_now(char *buf, size_t len)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    struct tm tm;
    gmtime_r(&t.tv_sec, &tm);
    size_t n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf + n, len - n, ".%03ldZ", t.tv_nsec / 1000000);
}

/* Opens a record with the fields every record carries; NULL when there
 * is no log. The caller adds fields and calls log_end. */
static FILE *log_begin(batch_log *lg, const char *event)
{
    if (!lg->fp)
        return NULL;
    char ts[40];
    utc_now(ts, sizeof ts);
    fprintf(lg->fp, "{\"time\":\"%s\",\"run\":", ts);
    rp_json_string(lg->fp, lg->run_id);
    fputs(",\"host\":", lg->fp);
    rp_json_string(lg->fp, lg->host);
    fputs(",\"manifest\":", lg->fp);
    rp_json_string(lg->fp, lg->manifest);
    fprintf(lg->fp, ",\"shard\":\"%s\",\"event\":\"%s\"", lg->shard, event);
    return lg->fp;
}

static void log_end(batch_log *lg)
{
    fputs("}\n", lg->fp);
    if (fflush(lg->fp) != 0 || ferror(lg->fp))
        lg->bad = 1;
}

static void json_errors(FILE *fp, const batch_err *e, int n, int more)
{
    fputs(",\"errors\":[", fp);
    for (int i = 0; i < n; i++) {
        fputs(i ? ",{\"file\":" : "{\"file\":", fp);
        rp_json_string(fp, e[i].file[0] ? e[i].file : NULL);
        fprintf(fp, ",\"line\":%ld,\"column\":", e[i].line);
        rp_json_string(fp, e[i].column[0] ? e[i].column : NULL);
        fputs(",\"message\":", fp);
        rp_json_string(fp, e[i].message);
        fputc('}', fp);
    }
    fprintf(fp, "],\"errors_omitted\":%d", more);
}

static void log_rp_errors(FILE *fp, const rp_errors *errs)
{
    batch_msg *m = rp_xcalloc(1, sizeof *m);
    msg_errors(m, errs);
    json_errors(fp, m->errs, m->nerrs, m->more);
    free(m);
}

/* The run could not start: one record saying why. */
static void log_not_started(batch_log *lg, const char *reason,
                            const rp_errors *errs, int exit_status)
{
    FILE *fp = log_begin(lg, "not_started");
    if (!fp)
        return;
    fputs(",\"status\":\"not_started\",\"reason\":", fp);
    rp_json_string(fp, reason);
    log_rp_errors(fp, errs);
    fprintf(fp, ",\"exit\":%d", exit_status);
    log_end(lg);
}

static void log_pack(batch_log *lg, const batch_row *r, const batch_msg *m,
                     double secs)
{
    FILE *fp = log_begin(lg, "pack");
    if (!fp)
        return;
    char per[32];
    rp_period p = m->period;
    if (!p.kind && r->period)
        rp_period_parse(r->period, &p);
    fputs(",\"name\":", fp);
    rp_json_string(fp, r->name);
    fputs(",\"period\":", fp);
    rp_json_string(fp, p.kind ? rp_period_format(p, per, sizeof per) : NULL);
    fprintf(fp, ",\"status\":\"%s\",\"seconds\":%.3f,\"pages\":%d,"
            "\"bytes\":%ld,\"sha256\":", st_name[m->status], secs, m->pages,
            m->bytes);
    rp_json_string(fp, m->sha[0] ? m->sha : NULL);
    fputs(",\"pdf\":", fp);
    rp_json_string(fp, m->pdf[0] ? m->pdf : NULL);
    if (m->status == ST_FAILED) {
        char one[1200];
        err_format(&m->errs[0], one, sizeof one);
        fputs(",\"error\":", fp);
        rp_json_string(fp, one);
        json_errors(fp, m->errs, m->nerrs, m->more);
    } else {
        fputs(",\"error\":null,\"errors\":[],\"errors_omitted\":0", fp);
    }
    log_end(lg);
}

/* ---- workers ------------------------------------------------------------- */

typedef struct slot {
    pid_t pid;
    int fd;
    const batch_row *row;
    double t0;
} slot;

typedef struct run {
    int tty;
    batch_log *log;
    size_t total, done, nbuilt, nskipped, nfailed;
    double t0;
} run;

static void print_failure(run *u, const batch_row *r, const batch_msg *m)
{
    if (u->tty)
        fputs("\r\033[K", stderr);
    fprintf(stderr, "FAILED %s:\n", r->name);
    for (int i = 0; i < m->nerrs; i++) {
        char one[1200];
        err_format(&m->errs[i], one, sizeof one);
        fprintf(stderr, "  %s\n", one);
    }
    if (m->more)
        fprintf(stderr, "  (and %d more)\n", m->more);
}

static void progress(run *u, const batch_row *r, const batch_msg *m, double secs)
{
    log_pack(u->log, r, m, secs);
    if (m->status == ST_FAILED)
        print_failure(u, r, m);
    if (u->tty) {
        double el = now_s() - u->t0;
        double eta = u->done ? el / (double)u->done
                               * (double)(u->total - u->done) : 0;
        fprintf(stderr, "\r\033[K[%zu/%zu] %zu built, %zu skipped, %zu failed"
                "  ETA %d:%02d", u->done, u->total, u->nbuilt, u->nskipped,
                u->nfailed, (int)eta / 60, (int)eta % 60);
        fflush(stderr);
    } else if (m->status != ST_FAILED) {
        printf("%-7s %s  %.2fs  %d pages  %s\n", st_name[m->status], r->name,
               secs, m->pages, m->pdf);
        fflush(stdout);
    }
}

static void count(run *u, int status)
{
    u->done++;
    if (status == ST_BUILT)
        u->nbuilt++;
    else if (status == ST_SKIPPED)
        u->nskipped++;
    else
        u->nfailed++;
}

static void finish(run *u, slot *s, int wstatus)
{
    batch_msg *m = rp_xcalloc(1, sizeof *m);
    ssize_t got = 0, k;
    while ((size_t)got < sizeof *m
           && (k = read(s->fd, (char *)m + got, sizeof *m - (size_t)got)) != 0) {
        if (k < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        got += k;
    }
    close(s->fd);
    if ((size_t)got != sizeof *m) {
        /* Crashed or killed: isolation means only this pack fails. */
        char why[200];
        memset(m, 0, sizeof *m);
        m->status = ST_FAILED;
        if (WIFSIGNALED(wstatus))
            snprintf(why, sizeof why, "the worker was killed by signal %d (%s)",
                     WTERMSIG(wstatus), strsignal(WTERMSIG(wstatus)));
        else
            snprintf(why, sizeof why, "the worker exited with status %d "
                     "without a result", WEXITSTATUS(wstatus));
        msg_error(m, NULL, 0, NULL, why);
    }
    count(u, m->status);
    progress(u, s->row, m, now_s() - s->t0);
    free(m);
    s->pid = 0;
}

static int spawn(slot *s, const batch_row *r, int force)
{
    int p[2];
    if (pipe(p) != 0)
        return -1;
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        close(p[0]);
        close(p[1]);
        return -1;
    }
    if (pid == 0) {
        /* A first Ctrl-C or SIGTERM lets in-flight packs finish: their
         * outputs are replaced atomically, never left half-written. */
        signal(SIGINT, SIG_IGN);
        signal(SIGTERM, SIG_IGN);
        close(p[0]);
        batch_msg *m = rp_xcalloc(1, sizeof *m);
        work(r, force, m);
        ssize_t w = write(p[1], m, sizeof *m);
        _exit(w == (ssize_t)sizeof *m && m->status != ST_FAILED ? 0 : 1);
    }
    close(p[1]);
    s->pid = pid;
    s->fd = p[0];
    s->row = r;
    s->t0 = now_s();
    return 0;
}

/* Lock every output this run will write; another run holding any of them
 * stops this one before it starts. Returns the number of fds in locks[]. */
static int take_locks(const batch_row **sel, size_t n, int *locks, rp_errors *errs)
{
    int got = 0;
    for (size_t i = 0; i < n; i++) {
        const batch_row *r = sel[i];
        char *lp = batch_lock_path(r);
        char *dir = rp_dirname(lp);
        int fd = rp_mkdir_p(dir) == 0
                     ? open(lp, O_RDWR | O_CREAT | O_CLOEXEC, 0644) : -1;
        if (fd < 0) {
            rp_err(errs, lp, 0, NULL, "cannot open the lock file: %s",
                   strerror(errno));
        } else if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            rp_err(errs, lp, 0, NULL, "pack \"%s\": another ragpack run "
                   "is writing %s/%s; wait for it to finish", r->name,
                   r->out_dir, r->key);
            close(fd);
        } else {
            locks[got++] = fd;
        }
        free(dir);
        free(lp);
    }
    return got;
}

void batch_options_default(batch_options *o)
{
    memset(o, 0, sizeof *o);
    o->shard_k = o->shard_n = 1;
}

/* --dry-run: what each pack of the shard would do, with the names a
 * build would write (a full check of the pack, nothing written). */
static int dry_run(const batch_row **sel, size_t nsel, int force, rp_errors *errs)
{
    int bad = 0;
    for (size_t i = 0; i < nsel; i++) {
        const batch_row *r = sel[i];
        char h[65];
        batch_state st;
        char *sp = batch_state_path(r);
        if (batch_inputs_hash(r, h, errs) == 0 && !force
            && batch_up_to_date(r, h, &st)) {
            printf("would skip  %s  %s (unchanged)\n", r->name, st.pdf_path);
            batch_state_free(&st);
        } else {
            build_options o;
            build_opts_of(r, &o);
            build_result res;
            if (build_check(&o, &res, errs) == 0) {
                printf("would build %s  %s  %s  %s/  %s\n", r->name,
                       res.pdf_path, res.html_path, res.figures_dir, sp);
                build_result_free(&res);
            } else {
                printf("would fail  %s  (see the errors below)\n", r->name);
                bad = 1;
            }
        }
        free(sp);
    }
    return bad;
}

static void log_identity(batch_log *lg, const batch_options *o)
{
    char ts[40];
    utc_now(ts, sizeof ts);
    /* 2024-01-31T02:30:00.123Z → 20240131T023000Z-<pid> */
    snprintf(lg->run_id, sizeof lg->run_id, "%.4s%.2s%.2sT%.2s%.2s%.2sZ-%ld",
             ts, ts + 5, ts + 8, ts + 11, ts + 14, ts + 17, (long)getpid());
    if (gethostname(lg->host, sizeof lg->host) != 0)
        snprintf(lg->host, sizeof lg->host, "unknown");
    lg->host[sizeof lg->host - 1] = '\0';
    snprintf(lg->shard, sizeof lg->shard, "%d/%d", o->shard_k, o->shard_n);
    lg->manifest = o->manifest;
}

/* Build the selected packs in a pool of workers; fills u. */
static size_t run_pool(run *u, const batch_row **sel, size_t nsel, int jobs,
                       int force)
{
    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;   /* no SA_RESTART: waitpid returns EINTR */
    sigemptyset(&sa.sa_mask);
    g_signals = 0;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    if (jobs > (int)nsel)
        jobs = nsel ? (int)nsel : 1;
    /* Packs already run in parallel: each pack's chart files are then
     * written by its own worker alone, not by a second set of processes
     * per pack (jobs × CPUs would only oversubscribe the cores). */
    if (jobs > 1)
        chart_set_export_jobs(1);
    slot *slots = rp_xcalloc((size_t)jobs, sizeof *slots);
    size_t next = 0;
    int running = 0, told = 0, killed = 0;
    for (;;) {
        while (!g_signals && running < jobs && next < nsel) {
            int k = 0;
            while (slots[k].pid)
                k++;
            batch_msg sm;
            if (skip_in_parent(sel[next], force, &sm)) {
                u->done++;
                u->nskipped++;
                progress(u, sel[next], &sm, 0);
                next++;
                continue;
            }
            if (spawn(&slots[k], sel[next], force) != 0) {
                batch_msg *fm = rp_xcalloc(1, sizeof *fm);
                char why[200];
                fm->status = ST_FAILED;
                snprintf(why, sizeof why, "cannot start a worker: %s",
                         strerror(errno));
                msg_error(fm, NULL, 0, NULL, why);
                count(u, ST_FAILED);
                progress(u, sel[next], fm, 0);
                free(fm);
            } else {
                running++;
            }
            next++;
        }
        if (g_signals && !told) {
            told = 1;
            if (u->tty)
                fputs("\r\033[K", stderr);
            fprintf(stderr, "ragpack batch: stopping: %zu packs not started, "
                    "waiting for %d in flight (signal again to kill them)\n",
                    nsel - next, running);
        }
        if (g_signals > 1 && !killed) {
            killed = 1;
            for (int k = 0; k < jobs; k++)
                if (slots[k].pid)
                    kill(slots[k].pid, SIGKILL);
        }
        if (running == 0)
            break;
        int ws;
        pid_t pid = waitpid(-1, &ws, 0);
        if (pid < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (int k = 0; k < jobs; k++)
            if (slots[k].pid == pid) {
                finish(u, &slots[k], ws);
                running--;
            }
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    free(slots);
    return next;
}

static void log_summary(batch_log *lg, const run *u, size_t not_started,
                        double secs, int rc)
{
    FILE *fp = log_begin(lg, "summary");
    if (!fp)
        return;
    const char *st = g_signals ? "interrupted" : u->nfailed ? "failed" : "ok";
    fprintf(fp, ",\"status\":\"%s\",\"packs\":%zu,\"built\":%zu,\"skipped\":%zu,"
            "\"failed\":%zu,\"not_started\":%zu,\"seconds\":%.3f,\"exit\":%d", st,
            u->total, u->nbuilt, u->nskipped, u->nfailed, not_started, secs, rc);
    log_end(lg);
}

/* The log failed at some point: say so once, and fail the run. */
static int log_closed(batch_log *lg, const char *path, int rc)
{
    if (lg->fp && fclose(lg->fp) != 0)
        lg->bad = 1;
    lg->fp = NULL;
    if (!lg->bad)
        return rc;
    fprintf(stderr, "%s: cannot write the log: %s\n", path, strerror(errno));
    return rc ? rc : BATCH_EXIT_FAILED;
}

int batch_run(const batch_options *o)
{
    batch_log lg;
    memset(&lg, 0, sizeof lg);
    log_identity(&lg, o);
    /* the log's folder is made, as for every output */
    char *logdir = o->log_path ? rp_dirname(o->log_path) : NULL;
    int dir_ok = !logdir || o->dry_run || rp_mkdir_p(logdir) == 0;
    free(logdir);
    if (o->log_path && !o->dry_run && (!dir_ok || !(lg.fp = fopen(o->log_path, "a")))) {
        fprintf(stderr, "%s: cannot open the log: %s\n", o->log_path,
                strerror(errno));
        return BATCH_EXIT_FAILED;
    }
    int jobs = o->jobs;
    if (jobs <= 0) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = c > 0 ? (int)c : 1;
    }
    rp_errors errs;
    rp_errors_init(&errs);
    batch_manifest m;
    int rc = 0;
    const batch_row **sel = NULL;
    int *locks = NULL, nlocks = 0;
    if (batch_manifest_read(o->manifest, &m, &errs) != 0) {
        rp_errors_print(&errs, stderr);
        rc = BATCH_EXIT_FAILED;
        log_not_started(&lg, "manifest", &errs, rc);
        goto done;
    }
    batch_manifest_use_state_dir(&m, o->state_dir);
    sel = rp_xcalloc(m.n + 1, sizeof *sel);
    size_t nsel = 0;
    for (size_t i = 0; i < m.n; i++)
        if (batch_in_shard(m.rows[i].index, o->shard_k, o->shard_n))
            sel[nsel++] = &m.rows[i];

    if (o->dry_run) {
        rc = dry_run(sel, nsel, o->force, &errs) ? BATCH_EXIT_FAILED : 0;
        printf("batch: dry run, %zu of %zu packs in shard %d/%d; nothing "
               "written\n", nsel, m.n, o->shard_k, o->shard_n);
        rp_errors_print(&errs, stderr);
        goto done;
    }
    locks = rp_xcalloc(nsel + 1, sizeof *locks);
    nlocks = take_locks(sel, nsel, locks, &errs);
    if (errs.nerrors) {
        rp_errors_print(&errs, stderr);
        rc = BATCH_EXIT_LOCKED;
        log_not_started(&lg, "locked", &errs, rc);
        goto done;
    }
    FILE *sfp = log_begin(&lg, "start");
    if (sfp) {
        FILE *fp = sfp;
        fprintf(fp, ",\"packs\":%zu,\"jobs\":%d,\"force\":%s", nsel, jobs,
                o->force ? "true" : "false");
        log_end(&lg);
    }
    run u = { .tty = isatty(STDERR_FILENO), .log = &lg, .total = nsel,
              .t0 = now_s() };
    size_t next = run_pool(&u, sel, nsel, jobs, o->force);
    if (u.tty)
        fputs("\r\033[K", stderr);
    double el = now_s() - u.t0;
    printf("batch: %zu built, %zu skipped, %zu failed", u.nbuilt, u.nskipped,
           u.nfailed);
    if (next < nsel)
        printf(", %zu not started (interrupted)", nsel - next);
    printf(" of %zu packs in %.1fs\n", nsel, el);
    if (u.nfailed || next < nsel || g_signals)
        rc = BATCH_EXIT_FAILED;
    log_summary(&lg, &u, nsel - next, el, lg.bad ? BATCH_EXIT_FAILED : rc);
done:
    rc = log_closed(&lg, o->log_path, rc);
    for (int i = 0; i < nlocks; i++)
        close(locks[i]);
    free(locks);
    free(sel);
    batch_manifest_free(&m);
    rp_errors_free(&errs);
    return rc;
}
