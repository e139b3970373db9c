/* build.c — one pack build and the input check: the pipeline end to end.
 * read → model → compute → compose → paginate → render, then export the
 * computed figures. Nothing in the output folder changes unless the whole
 * build succeeded. */
#include "build.h"

#include "chart.h"
#include "compute.h"
#include "export_csv.h"
#include "export_xlsx.h"
#include "fonts.h"
#include "layout.h"
#include "model.h"
#include "compose.h"
#include "input.h"
#include "render_pdf.h"
#include "render_html.h"
#include "template.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void build_options_default(build_options *o)
{
    memset(o, 0, sizeof *o);
    o->template_path = "templates/integrated-performance.yaml";
    o->input_dir = "input/sample";
    o->out_dir = "output";
}

void build_result_free(build_result *r)
{
    free(r->pdf_path);
    free(r->figures_dir);
    free(r->html_path);
    memset(r, 0, sizeof *r);
}

/* Adds the error and returns -1 when a stop was requested. */
static int stopped(rp_errors *errs) { return rp_interrupted(errs) ? -1 : 0; }

char *build_pack_stem(const char *template_path, rp_period p)
{
    char per[32];
    rp_period_format(p, per, sizeof per);      /* "2023/24 Q3" */
    for (char *c = per; *c; c++)
        if (*c == '/' || *c == ' ')
            *c = '-';
    char *tstem = build_template_stem(template_path);
    char *stem = rp_xasprintf("%s-%s", tstem, per);
    free(tstem);
    return stem;
}

char *build_default_fonts_dir(const char *template_path)
{
    const char *slash = strrchr(template_path, '/');
    if (slash) {
        char *cand = rp_xasprintf("%.*s/../fonts",
                                  (int)(slash - template_path), template_path);
        if (rp_is_dir(cand))
            return cand;
        free(cand);
    }
    if (!rp_is_dir("fonts")) {
        char *data = build_data_dir();
        char *cand = data ? rp_xasprintf("%s/fonts", data) : NULL;
        free(data);
        if (cand && rp_is_dir(cand))
            return cand;
        free(cand);
    }
    return rp_xstrdup("fonts");
}

char *build_data_dir(void)
{
    const char *env = getenv("RAGPACK_DATA_DIR");
    if (env && *env)
        return rp_xstrdup(env);
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return NULL;
    *slash = '\0';
    char *dir = rp_xasprintf("%s/../share/ragpack", exe);
    if (rp_is_dir(dir))
        return dir;
    free(dir);
    return NULL;
}

char *build_find_template(const char *name)
{
    struct stat st;
    if (stat(name, &st) == 0)
        return rp_xstrdup(name);
    char *data = build_data_dir();
    if (!data)
        return rp_xstrdup(name);
    /* the default "templates/x.yaml" or a bare "x" / "x.yaml" */
    const char *base = strncmp(name, "templates/", 10) == 0 ? name + 10 : name;
    char *found = NULL;
    if (!strchr(base, '/')) {
        size_t n = strlen(base);
        int has_ext = n > 5 && rp_strcaseeq(base + n - 5, ".yaml");
        char *cand = rp_xasprintf("%s/templates/%s%s", data, base,
                                  has_ext ? "" : ".yaml");
        if (stat(cand, &st) == 0)
            found = cand;
        else
            free(cand);
    }
    free(data);
    return found ? found : rp_xstrdup(name);
}

char *build_template_stem(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot > base ? (size_t)(dot - base) : strlen(base);
    return rp_xstrndup(base, n);
}

rp_chart_files build_chart_choice(rp_chart_files option, const pack_template *t)
{
    if (option != RP_CHART_FILES_DEFAULT)
        return option;
    return t->chart_files != RP_CHART_FILES_DEFAULT ? t->chart_files
                                                    : RP_CHART_FILES_ALL;
}

char *build_html_path(const char *pdf_path)
{
    size_t n = strlen(pdf_path);
    return n > 4 && strcmp(pdf_path + n - 4, ".pdf") == 0
               ? rp_xasprintf("%.*s.html", (int)(n - 4), pdf_path)
               : rp_xasprintf("%s.html", pdf_path);
}

static void csv_field(FILE *f, const char *s, const char *end)
{
    fputc('"', f);
    for (; s && *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
    fputs(end, f);
}

/* The charts for reuse in slides and web pages: each SVG with real text,
 * a <title> and a <desc> (the PDF's /Alt), replacing cairo's outline-only
 * SVG; and charts.csv, an index of file, title and alt text. */
static int chart_files_accessible(const document *doc, const pack_template *t,
                                  fonts *fonts, const char *dir,
                                  rp_errors *errs)
{
    char *index = rp_xasprintf("%s/charts.csv", dir);
    rp_atomic a;
    if (rp_atomic_open(&a, index, errs) != 0) {
        free(index);
        return -1;
    }
    fputs("file,title,alt_text\r\n", a.f);
    int rc = 0;
    double w = t->page_w - t->margin_left - t->margin_right;
    for (size_t i = 0; i < doc->nblocks && rc == 0; i++) {
        const doc_block *b = &doc->blocks[i];
        if (b->kind != DOC_FIGURE || !b->as.figure.chart)
            continue;
        const doc_figure *f = &b->as.figure;
        char *alt = doc_figure_alt(f);
        char *name = rp_xasprintf("%s.svg", f->id);
        char *path = rp_xasprintf("%s/%s", dir, name);
        rc = chart_write_svg_text(f->chart, t, fonts, w,
                                  f->height > 0 ? f->height : 200, "chart",
                                  f->title ? f->title : "Chart", alt, path,
                                  errs);
        csv_field(a.f, name, ",");
        csv_field(a.f, f->title ? f->title : "", ",");
        csv_field(a.f, alt, "\r\n");
        free(path);
        free(name);
        free(alt);
    }
    int ok = rc == 0 && !ferror(a.f);
    if (rp_atomic_commit(&a, ok, errs) != 0)
        rc = -1;
    free(index);
    return rc;
}

int build_chart_files(const document *doc, const pack_template *t,
                      fonts *fonts, const char *dir, rp_chart_files which,
                      rp_errors *errs)
{
    chart_file *files = rp_xcalloc(doc->nblocks + 1, sizeof *files);
    size_t n = 0;
    for (size_t i = 0; i < doc->nblocks; i++) {
        const doc_block *b = &doc->blocks[i];
        if (b->kind == DOC_FIGURE && b->as.figure.chart)
            files[n++] = (chart_file){ b->as.figure.chart, b->as.figure.id,
                                       b->as.figure.height };
    }
    int png = which != RP_CHART_FILES_SVG && which != RP_CHART_FILES_NONE;
    int svg = which != RP_CHART_FILES_PNG && which != RP_CHART_FILES_NONE;
    /* PNGs only: the SVGs are the accessible ones below, so cairo's
     * outline SVG would only be written to be replaced */
    int rc = chart_write_files_as(files, n, png ? RP_CHART_FILES_PNG
                                                : RP_CHART_FILES_NONE,
                                  t, fonts, dir, errs);
    free(files);
    if (rc == 0 && svg)
        rc = chart_files_accessible(doc, t, fonts, dir, errs);
    return rc;
}

/* ---- publish: lock, journal, renames ------------------------------------ */

/* Lexical clean-up ("a/./b//c/../d" → "a/b/d"). */
char *build_path_norm(const char *p)
{
    size_t n = strlen(p);
    char *out = rp_xmalloc(n + 2);
    size_t len = 0;
    int abs = p[0] == '/';
    if (abs)
        out[len++] = '/';
    size_t keep = len;   /* ".." may not climb above here */
    const char *s = p;
    while (*s) {
        while (*s == '/')
            s++;
        const char *e = s;
        while (*e && *e != '/')
            e++;
        size_t cl = (size_t)(e - s);
        if (cl == 0)
            break;
        if (cl == 1 && s[0] == '.') {
            /* skip */
        } else if (cl == 2 && s[0] == '.' && s[1] == '.' && len > keep) {
            while (len > keep && out[len - 1] != '/')
                len--;
            if (len > keep)
                len--;
        } else {
            if (cl == 2 && s[0] == '.' && s[1] == '.')
                keep = len + 3;   /* a leading "..": keep it */
            if (len > 0 && out[len - 1] != '/')
                out[len++] = '/';
            memcpy(out + len, s, cl);
            len += cl;
        }
        s = e;
    }
    if (len == 0)
        out[len++] = '.';
    out[len] = '\0';
    return out;
}

char *build_state_base(const char *out_dir, const char *state_dir,
                       const char *key)
{
    if (!state_dir || !*state_dir)
        return rp_xasprintf("%s/" BUILD_STATE_DIR "/%s", out_dir, key);
    char cwd[4096];
    char *abs = out_dir[0] == '/' || !getcwd(cwd, sizeof cwd)
                    ? build_path_norm(out_dir) : NULL;
    if (!abs) {
        char *j = rp_xasprintf("%s/%s", cwd, out_dir);
        abs = build_path_norm(j);
        free(j);
    }
    struct sha256_ctx ctx;
    uint8_t d[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, strlen(abs), (const uint8_t *)abs);
    sha256_digest(&ctx, SHA256_DIGEST_SIZE, d);
    free(abs);
    char hex[13];
    for (int i = 0; i < 6; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
    return rp_xasprintf("%s/%s-%s", state_dir, hex, key);
}

static const char *name_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

int build_lock_pack(const char *lock, rp_errors *errs)
{
    char *dir = rp_dirname(lock);
    int fd = rp_mkdir_p(dir) == 0
                 ? open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644) : -1;
    free(dir);
    if (fd < 0) {
        rp_err(errs, lock, 0, NULL, "cannot open the lock file: %s",
               strerror(errno));
        return -1;
    }
    /* Another run (build, trend or batch) holds it: wait, polling so a
     * SIGINT or SIGTERM still stops this one. */
    int said = 0;
    while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK && errno != EINTR) {
            rp_err(errs, lock, 0, NULL, "cannot lock: %s", strerror(errno));
            close(fd);
            return -1;
        }
        if (!said++)
            fprintf(stderr, "%s: waiting for another ragpack run writing "
                    "this pack\n", lock);
        if (stopped(errs)) {
            close(fd);
            return -1;
        }
        struct timespec ts = { 0, 50 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    return fd;
}

/* One publish: the three pieces (figures folder, PDF, HTML twin) as names
 * in the output folder, and the temporary folder that holds the new ones
 * under the same names, and the replaced ones in old/. */
typedef struct publish_set {
    char *parent;       /* the output folder */
    char *tmp;          /* parent/.<stem>.tmpXXXXXX */
    char *name[3];      /* figures folder, PDF, HTML */
} publish_set;

static void publish_set_free(publish_set *s)
{
    free(s->parent);
    free(s->tmp);
    for (int i = 0; i < 3; i++)
        free(s->name[i]);
    memset(s, 0, sizeof *s);
}

/* Is the lock the caller holds this one? By inode, not spelling: taking
 * it again from a worker would wait for its own parent for ever. */
static int same_file(const char *a, const char *b)
{
    struct stat x, y;
    if (!a || !b)
        return 0;
    if (strcmp(a, b) == 0)
        return 1;
    return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev &&
           x.st_ino == y.st_ino;
}

static int exists(const char *p)
{
    struct stat st;
    return lstat(p, &st) == 0;
}

/* Test hook, documented in docs/batch.md: RAGPACK_TEST_PUBLISH_FAULT=
 * "fail:N" makes the N-th rename of a publish fail (EIO), "kill:N" sends
 * the build SIGKILL just before it. Only a fresh publish counts, not the
 * replay of a journal. */
static int publish_fault(int step)
{
    const char *f = getenv("RAGPACK_TEST_PUBLISH_FAULT");
    const char *colon = f ? strchr(f, ':') : NULL;
    if (!colon || atoi(colon + 1) != step)
        return 0;
    if (strncmp(f, "kill:", 5) == 0)
        raise(SIGKILL);
    if (strncmp(f, "fail:", 5) == 0) {
        errno = EIO;
        return -1;
    }
    return 0;
}

/* Moves every old piece aside into tmp/old/, then every new one in, so a
 * reader sees the old pack, some pieces missing for the time of a few
 * renames, or the new pack: never old and new pieces together. Each step
 * is decided by what exists, so the next run can redo it after a kill.
 * On failure *what names the piece. */
static int publish_forward(const publish_set *s, int hooks, const char **what)
{
    int step = 0, rc = 0;
    char *old = rp_xasprintf("%s/old", s->tmp);
    if (mkdir(old, 0700) != 0 && errno != EEXIST) {
        *what = s->name[0];
        free(old);
        return -1;
    }
    for (int pass = 0; pass < 2 && rc == 0; pass++)
        for (int i = 0; i < 3 && rc == 0; i++) {
            char *nw = rp_xasprintf("%s/%s", s->tmp, s->name[i]);
            char *dst = rp_xasprintf("%s/%s", s->parent, s->name[i]);
            char *od = rp_xasprintf("%s/%s", old, s->name[i]);
            if (pass == 0 && exists(nw) && exists(dst) && !exists(od)) {
                if ((hooks && publish_fault(++step)) || rename(dst, od) != 0)
                    rc = -1;
            } else if (pass == 1 && exists(nw)) {
                if ((hooks && publish_fault(++step)) || rename(nw, dst) != 0)
                    rc = -1;
            }
            if (rc != 0)
                *what = s->name[i];
            free(nw);
            free(dst);
            free(od);
        }
    free(old);
    return rc;
}

/* Undoes publish_forward: the new pieces back into tmp, the old ones back
 * in place. */
static int publish_back(const publish_set *s)
{
    int rc = 0;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < 3; i++) {
            char *nw = rp_xasprintf("%s/%s", s->tmp, s->name[i]);
            char *dst = rp_xasprintf("%s/%s", s->parent, s->name[i]);
            char *od = rp_xasprintf("%s/old/%s", s->tmp, s->name[i]);
            if (pass == 0 && !exists(nw) && exists(dst) && rename(dst, nw) != 0)
                rc = -1;
            if (pass == 1 && exists(od) && rename(od, dst) != 0)
                rc = -1;
            free(nw);
            free(dst);
            free(od);
        }
    return rc;
}

/* The journal, <state base>.publish: written (atomically, synced) once
 * every new piece is complete in tmp and before the first rename, removed
 * after the last. Lines: a magic, tmp's name, the three names. */
static int journal_write(const char *path, const publish_set *s, rp_errors *errs)
{
    rp_atomic a;
    if (rp_atomic_open(&a, path, errs) != 0)
        return -1;
    fprintf(a.f, "ragpack-publish 1\n%s\n%s\n%s\n%s\n", name_of(s->tmp),
            s->name[0], s->name[1], s->name[2]);
    return rp_atomic_commit(&a, !ferror(a.f), errs);
}

/* A plain name in the output folder, not a path. */
static int plain_name(const char *n)
{
    return *n && !strchr(n, '/') && strcmp(n, ".") && strcmp(n, "..");
}

static int journal_read(const char *path, const char *parent, publish_set *s)
{
    memset(s, 0, sizeof *s);
    char why[160];
    char *text = rp_read_input(path, 1 << 16, NULL, why, sizeof why);
    if (!text)
        return -1;
    char *line[5] = { 0 }, *save = NULL;
    int n = 0;
    for (char *t = strtok_r(text, "\n", &save); t && n < 5;
         t = strtok_r(NULL, "\n", &save))
        line[n++] = t;
    int ok = n == 5 && strcmp(line[0], "ragpack-publish 1") == 0;
    for (int i = 1; ok && i < 5; i++)
        ok = plain_name(line[i]);
    if (ok) {
        s->parent = rp_xstrdup(parent);
        s->tmp = rp_xasprintf("%s/%s", parent, line[1]);
        for (int i = 0; i < 3; i++)
            s->name[i] = rp_xstrdup(line[2 + i]);
    }
    free(text);
    return ok ? 0 : -1;
}

/* A publish a killed run left half done: finished if it can be, else
 * rolled back; then its journal and temporary folder go. */
static int publish_replay(const char *journal, const char *parent,
                          rp_errors *errs)
{
    if (!exists(journal))
        return 0;
    publish_set s;
    if (journal_read(journal, parent, &s) != 0) {
        rp_err(errs, journal, 0, NULL, "cannot read the publish journal a "
               "stopped build left; remove it if the pack looks right");
        return -1;
    }
    int rc = 0;
    const char *what = NULL;
    if (exists(s.tmp) && publish_forward(&s, 0, &what) != 0 &&
        publish_back(&s) != 0) {
        rp_err(errs, journal, 0, NULL, "a stopped build of this pack can be "
               "neither finished nor rolled back (%s/%s: %s); the pack may "
               "mix two builds until this is fixed", parent, what,
               strerror(errno));
        rc = -1;
    }
    if (rc == 0) {
        unlink(journal);
        rp_rm_rf(s.tmp);
    }
    publish_set_free(&s);
    return rc;
}

/* "<prefix>" followed by exactly six characters (mkstemp's XXXXXX). */
static int is_temp(const char *name, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(name, prefix, n) == 0 && strlen(name + n) == 6;
}

/* Temporaries a killed build of this pack left: its folders
 * .<stem>.tmpXXXXXX and .<stem>.old, the files <pdf>.tmpXXXXXX,
 * <html>.tmpXXXXXX, and in the state folder <key>.{publish,state}.tmpXXXXXX.
 * Called with the pack's lock held, so none is another run's; names are
 * matched exactly, so no other pack's are touched. */
static void clean_temporaries(const publish_set *s, const char *state_base)
{
    char *tmp_prefix = rp_xasprintf(".%s.tmp", s->name[0]);
    char *old_name = rp_xasprintf(".%s.old", s->name[0]);
    char *pdf_prefix = rp_xasprintf("%s.tmp", s->name[1]);
    char *html_prefix = rp_xasprintf("%s.tmp", s->name[2]);
    DIR *d = opendir(s->parent);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (is_temp(e->d_name, tmp_prefix) || !strcmp(e->d_name, old_name) ||
            is_temp(e->d_name, pdf_prefix) || is_temp(e->d_name, html_prefix)) {
            char *p = rp_xasprintf("%s/%s", s->parent, e->d_name);
            rp_rm_rf(p);
            free(p);
        }
    }
    if (d)
        closedir(d);
    free(tmp_prefix);
    free(old_name);
    free(pdf_prefix);
    free(html_prefix);
    char *sdir = rp_dirname(state_base);
    const char *key = name_of(state_base);
    char *j_prefix = rp_xasprintf("%s.publish.tmp", key);
    char *s_prefix = rp_xasprintf("%s.state.tmp", key);
    d = opendir(sdir);
    while (d && (e = readdir(d))) {
        if (is_temp(e->d_name, j_prefix) || is_temp(e->d_name, s_prefix)) {
            char *p = rp_xasprintf("%s/%s", sdir, e->d_name);
            unlink(p);
            free(p);
        }
    }
    if (d)
        closedir(d);
    free(j_prefix);
    free(s_prefix);
    free(sdir);
}

int build_publish(const document *doc, const layout_pages *pages,
                  const pack_template *t, fonts *fonts, const char *pdf_path,
                  const char *figures_dir, const build_publish_options *po,
                  build_figures_fn figures, const void *ctx,
                  rp_chart_files which, rp_errors *errs)
{
    publish_set s = { 0 };
    s.parent = rp_dirname(figures_dir);
    s.name[0] = rp_xstrdup(name_of(figures_dir));
    s.name[1] = rp_xstrdup(name_of(pdf_path));
    s.name[2] = build_html_path(s.name[1]);
    char *base = build_state_base(s.parent, po ? po->state_dir : NULL,
                                  s.name[0]);
    char *lock = rp_xasprintf("%s.lock", base);
    char *journal = rp_xasprintf("%s.publish", base);
    char *path = NULL;
    int fd = -1, rc = -1;
    const char *what = NULL;
    if (rp_mkdir_p(s.parent) != 0) {
        rp_err(errs, s.parent, 0, NULL, "cannot create folder: %s", strerror(errno));
        goto out;
    }
    /* one run at a time per pack: build, trend and batch share the lock */
    if (!same_file(po ? po->held_lock : NULL, lock) &&
        (fd = build_lock_pack(lock, errs)) < 0)
        goto out;
    if (publish_replay(journal, s.parent, errs) != 0)
        goto out;
    clean_temporaries(&s, base);
    /* an occupied name is reported before anything moves */
    for (int i = 0; i < 3; i++) {
        struct stat st;
        free(path);
        path = rp_xasprintf("%s/%s", s.parent, s.name[i]);
        if (lstat(path, &st) == 0 && !S_ISDIR(st.st_mode) != (i > 0)) {
            rp_err(errs, path, 0, NULL, "cannot replace: a %s is in the way",
                   i ? "folder" : "file");
            goto out;
        }
    }
    s.tmp = rp_xasprintf("%s/.%s.tmpXXXXXX", s.parent, s.name[0]);
    if (!mkdtemp(s.tmp)) {
        rp_err(errs, s.parent, 0, NULL, "cannot create a temporary folder: %s",
               strerror(errno));
        free(s.tmp);
        s.tmp = NULL;
        goto out;
    }
    /* the new pieces, under their published names, in tmp */
    free(path);
    path = rp_xasprintf("%s/%s", s.tmp, s.name[0]);
    if (rp_mkdir_p(path) != 0) {
        rp_err(errs, figures_dir, 0, NULL, "cannot create: %s", strerror(errno));
        goto out;
    }
    if (stopped(errs) || (figures && figures(path, ctx, errs) != 0))
        goto out;
    char *chartdir = rp_xasprintf("%s/charts", path);
    /* no charts/ folder at all when no chart files are wanted */
    int bad = which != RP_CHART_FILES_NONE && rp_mkdir_p(chartdir) != 0;
    if (bad)
        rp_err(errs, figures_dir, 0, NULL, "cannot create charts/: %s",
               strerror(errno));
    bad = bad || stopped(errs) ||
          build_chart_files(doc, t, fonts, chartdir, which, errs) != 0;
    free(chartdir);
    if (bad)
        goto out;
    free(path);
    path = rp_xasprintf("%s/%s", s.tmp, s.name[2]);
    if (stopped(errs) || render_html_write(doc, t, fonts, path, errs) != 0)
        goto out;
    free(path);
    path = rp_xasprintf("%s/%s", s.tmp, s.name[1]);
    /* the last point where a stop leaves everything as it was */
    if (stopped(errs) || render_pdf_write(pages, doc, t, fonts, path, errs) != 0)
        goto out;
    if (journal_write(journal, &s, errs) != 0)
        goto out;
    if (publish_forward(&s, 1, &what) != 0) {
        int e = errno;
        free(path);
        path = rp_xasprintf("%s/%s", s.parent, what);
        if (publish_back(&s) == 0) {
            rp_err(errs, path, 0, NULL, "cannot replace: %s; the last good "
                   "pack is unchanged", strerror(e));
            unlink(journal);
        } else {
            rp_err(errs, path, 0, NULL, "cannot replace: %s, nor put the "
                   "last pack back; the next build of this pack finishes or "
                   "undoes it (%s)", strerror(e), journal);
            free(s.tmp);   /* kept for the next run */
            s.tmp = NULL;
        }
        goto out;
    }
    unlink(journal);
    rc = 0;
out:
    if (s.tmp)
        rp_rm_rf(s.tmp);
    if (fd >= 0)
        close(fd);
    free(path);
    free(base);
    free(lock);
    free(journal);
    publish_set_free(&s);
    return rc;
}

/* What a pack's figures folder holds: the CSVs and <stem>.xlsx. */
typedef struct figures_ctx {
    const compute_results *r;
    const char *stem;
} figures_ctx;

static int write_figures(const char *dir, const void *ctx, rp_errors *errs)
{
    const figures_ctx *fc = ctx;
    if (export_csv_write_all(fc->r, dir, errs) != 0)
        return -1;
    char *x = rp_xasprintf("%s/%s.xlsx", dir, fc->stem);
    int rc = export_xlsx_write(fc->r, x, errs);
    free(x);
    return rc;
}

void build_apply_overrides(const build_options *o, pack_template *t)
{
    const char *v[3] = { o->committee, o->meeting_date, o->title };
    char **dst[3] = { &t->committee, &t->meeting_date, &t->title };
    for (int i = 0; i < 3; i++)
        if (v[i] && *v[i]) {
            free(*dst[i]);
            *dst[i] = rp_xstrdup(v[i]);
        }
}

void build_compute_options(const pack_template *t, compute_options *o)
{
    compute_options_default(o);
    o->rollup = (rp_rollup)t->rollup;
    o->green_at = t->green_at;
    o->amber_at = t->amber_at;
    o->stale_quarters = t->stale_quarters;
    o->small_denominator = t->small_denominator > 0 ? t->small_denominator : 30;
    for (size_t i = 0; i < t->nsections; i++)
        if (t->sections[i].kind == TEMPLATE_SECTION_TRENDS &&
            t->sections[i].years > o->trend_years)
            o->trend_years = t->sections[i].years;
}

/* The pack's period from -p: a quarter, or a whole year (financial,
 * calendar or academic) for a yearly pack. */
static int parse_pack_period(const char *text, rp_period *p, rp_errors *errs)
{
    memset(p, 0, sizeof *p);
    if (!text || !*text)
        return 0;
    if (rp_period_parse(text, p) != 0) {
        rp_err(errs, NULL, 0, "period",
               "\"%s\" is not a quarter or a year (e.g. \"2023/24 Q3\", "
               "\"2024/25\", \"AY 2024/25\", \"2025\")", text);
        return -1;
    }
    return 0;
}

void build_run_init(build_run *run)
{
    memset(run, 0, sizeof *run);
}

void build_run_free(build_run *run)
{
    free(run->include);
    layout_pages_free(&run->pages);
    if (run->doc)
        doc_destroy(run->doc);
    if (run->fonts)
        fonts_destroy(run->fonts);
    if (run->have_r)
        compute_results_free(&run->r);
    if (run->have_m)
        model_free(&run->m);
    input_free(&run->in);
    if (run->have_t)
        template_free(&run->t);
    memset(run, 0, sizeof *run);
}

int build_run_load(build_run *run, const char *template_path, const char *input_dir,
                rp_errors *errs)
{
    run->have_t = template_load(template_path, &run->t, errs) == 0;
    if (input_read(input_dir, &run->in, errs) != 0)
        return -1;
    /* a failed model build still owns memory: freed by build_run_free */
    run->have_m = 1;
    if (model_build(&run->in, &run->m, errs) != 0)
        return -1;
    input_release_kpis(&run->in);
    run->model_ok = 1;
    return run->have_t ? 0 : -1;
}

int build_run_fonts(build_run *run, const char *fonts_dir, const char *template_path,
                 rp_errors *errs)
{
    char *dir = fonts_dir ? rp_xstrdup(fonts_dir)
                          : build_default_fonts_dir(template_path);
    run->fonts = fonts_create(dir, run->t.font_regular, run->t.font_bold,
                                 errs);
    free(dir);
    return run->fonts ? 0 : -1;
}

/* The pipeline up to the laid-out pages, and the names it would write.
 * keep_going (check): after a failed stage, still try the fonts so one
 * run reports every problem a build would meet. */
static int build_prepare(const build_options *o, build_run *run,
                         build_result *res, int keep_going, rp_errors *errs)
{
    rp_period want;
    if (parse_pack_period(o->period, &want, errs) != 0 && !keep_going)
        return -1;
    int bad = build_run_load(run, o->template_path, o->input_dir, errs) != 0;
    if (run->have_t)
        build_apply_overrides(o, &run->t);
    if (!bad || (keep_going && run->have_t && run->model_ok))
        bad |= compose_check_template(&run->t, &run->m, errs) != 0;
    /* a pack of chosen measures computes only them */
    if (!bad)
        bad = compose_select(&run->t, &run->m, &run->include, errs) != 0;
    if (!bad) {
        compute_options opt;
        build_compute_options(&run->t, &opt);
        opt.include = run->include;
        bad = compute_results_build(&run->m, &opt, want, &run->r, errs) != 0;
        run->have_r = !bad;
    }
    if ((!bad || (keep_going && run->have_t)) &&
        (stopped(errs) || build_run_fonts(run, o->fonts_dir, o->template_path,
                                          errs) != 0))
        bad = 1;
    if (bad)
        return -1;
    run->doc = doc_create();
    if (compose_pack(&run->t, &run->m, &run->r, run->doc, errs) != 0)
        return -1;
    /* check stops short of laying out pages, which would be half its time
     * and two thirds of its memory on a large council (docs/performance.md):
     * it still warns about every character the fonts lack */
    if (keep_going)
        layout_check_text(run->doc, run->fonts, errs);
    else if (layout_paginate(run->doc, &run->t, run->fonts, &run->pages,
                             errs) != 0)
        return -1;
    if (stopped(errs))
        return -1;

    /* Output names: <out>/<stem>.pdf, .html and <out>/<stem>/ */
    char *stem = build_pack_stem(o->template_path, run->r.period);
    res->pdf_path = rp_xasprintf("%s/%s.pdf", o->out_dir, stem);
    res->figures_dir = rp_xasprintf("%s/%s", o->out_dir, stem);
    res->html_path = build_html_path(res->pdf_path);
    free(stem);
    res->period = run->r.period;
    res->pages = (int)run->pages.npages;
    return 0;
}

int build_pack(const build_options *o, build_result *res, rp_errors *errs)
{
    memset(res, 0, sizeof *res);
    build_run run;
    build_run_init(&run);
    int rc = -1;
    if (build_prepare(o, &run, res, 0, errs) != 0)
        goto out;
    const char *stem = strrchr(res->figures_dir, '/');
    figures_ctx fc = { &run.r, stem ? stem + 1 : res->figures_dir };
    build_publish_options po = { o->state_dir, o->held_lock };
    res->chart_files = build_chart_choice(o->chart_files, &run.t);
    if (build_publish(run.doc, &run.pages, &run.t, run.fonts, res->pdf_path,
                   res->figures_dir, &po, write_figures, &fc,
                   res->chart_files, errs) != 0)
        goto out;
    struct stat st;
    res->bytes = stat(res->pdf_path, &st) == 0 ? (long)st.st_size : 0;
    res->warnings = errs->nwarnings;
    rc = 0;
out:
    build_run_free(&run);
    if (rc != 0)
        build_result_free(res);
    return rc;
}

/* Would the output folder take the files? The folder, or the nearest
 * folder above it that exists, must be writable. */
static int check_out_dir(const char *out_dir, rp_errors *errs)
{
    char *p = rp_xstrdup(out_dir);
    for (;;) {
        if (rp_is_dir(p)) {
            int ok = access(p, W_OK | X_OK) == 0;
            if (!ok)
                rp_err(errs, out_dir, 0, NULL, "cannot write there: %s%s%s",
                       strerror(errno), strcmp(p, out_dir) ? " in " : "",
                       strcmp(p, out_dir) ? p : "");
            free(p);
            return ok ? 0 : -1;
        }
        char *slash = strrchr(p, '/');
        if (!slash || slash == p) {
            const char *top = slash ? "/" : ".";
            int ok = access(top, W_OK | X_OK) == 0;
            if (!ok)
                rp_err(errs, out_dir, 0, NULL, "cannot create the folder: %s",
                       strerror(errno));
            free(p);
            return ok ? 0 : -1;
        }
        *slash = '\0';
    }
}

/* What check says beyond errors: a red measure without commentary is
 * publishable but a committee will ask why, so it is named. */
static void check_warnings(const input_folder *in, const compute_results *r,
                           rp_errors *errs)
{
    for (size_t i = 0; i < r->ndq; i++) {
        const compute_quality *q = &r->dq[i];
        if (q->kind != COMPUTE_QUALITY_NO_COMMENTARY)
            continue;
        char per[32];
        rp_period_format(q->period, per, sizeof per);
        char *cpath = in->commentary_path
                          ? rp_xstrdup(in->commentary_path)
                          : rp_xasprintf("%s/commentary.csv", in->dir);
        rp_warn(errs, cpath, 0, "scope",
                "measure \"%s\" is rated red for %s but has no commentary",
                q->measure->def->id, per);
        free(cpath);
    }
}

int build_check(const build_options *o, build_result *res, rp_errors *errs)
{
    memset(res, 0, sizeof *res);
    build_run run;
    build_run_init(&run);
    int rc = build_prepare(o, &run, res, 1, errs);
    if (run.have_r)
        check_warnings(&run.in, &run.r, errs);
    rc |= check_out_dir(o->out_dir, errs);
    build_run_free(&run);
    if (rc != 0 || errs->nerrors)
        build_result_free(res);
    return errs->nerrors ? -1 : 0;
}
