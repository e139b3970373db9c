/* files.c — the few file-system helpers every stage shares: folders,
 * whole-file reads and atomic writes. */
#define _XOPEN_SOURCE 700   /* nftw, FTW_PHYS */
#include "base.h"

#include <ctype.h>
#include <errno.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int rp_is_dir(const char *path)
{
    struct stat st;
    return path && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int rp_mkdir_p(const char *path)
{
    if (!path || !*path) {
        errno = ENOENT;
        return -1;
    }
    char *p = rp_xstrdup(path);
    int rc = 0;
    for (char *s = p + 1; *s && rc == 0; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        rc = mkdir(p, 0777) != 0 && errno != EEXIST ? -1 : 0;
        *s = '/';
    }
    if (rc == 0)
        rc = mkdir(p, 0777) != 0 && errno != EEXIST ? -1 : 0;
    free(p);
    if (rc == 0 && !rp_is_dir(path)) {
        errno = ENOTDIR;
        rc = -1;
    }
    return rc;
}

static int rm_one(const char *path, const struct stat *st, int flag,
                  struct FTW *ftw)
{
    (void)st; (void)flag; (void)ftw;
    return remove(path);
}

void rp_rm_rf(const char *path)
{
    if (path && access(path, F_OK) == 0)
        nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *rp_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    rp_buf b;
    rp_buf_init(&b);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rp_buf_add(&b, chunk, n);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        rp_buf_free(&b);
        errno = EIO;
        return NULL;
    }
    if (!b.s)
        rp_buf_add(&b, "", 0);
    if (len)
        *len = b.len;
    return b.s;
}

int rp_valid_id(const char *s)
{
    if (!s || !*s)
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' && *s != '.')
            return 0;
    return 1;
}

int rp_atomic_open(rp_atomic *a, const char *path, rp_errors *errs)
{
    memset(a, 0, sizeof *a);
    a->path = rp_xstrdup(path);
    a->tmp = rp_xasprintf("%s.tmpXXXXXX", path);
    int fd = mkstemp(a->tmp);
    if (fd >= 0) {
        /* mkstemp makes 0600; published files get the usual mode */
        mode_t um = umask(0);
        umask(um);
        if (fchmod(fd, 0666 & ~um) != 0) { /* mode only: not fatal */ }
        a->f = fdopen(fd, "wb");
    }
    if (!a->f) {
        rp_err(errs, path, 0, NULL, "cannot create: %s", strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(a->tmp);
        }
        free(a->tmp);
        free(a->path);
        memset(a, 0, sizeof *a);
        return -1;
    }
    return 0;
}

int rp_atomic_commit(rp_atomic *a, int ok, rp_errors *errs)
{
    if (!a->f)
        return -1;
    int err = 0;
    if (ok && (fflush(a->f) != 0 || ferror(a->f) ||
               (!a->no_sync && fsync(fileno(a->f)) != 0)))
        err = errno ? errno : EIO;
    if (fclose(a->f) != 0 && ok && !err)
        err = errno ? errno : EIO;
    if (ok && err)
        rp_err(errs, a->path, 0, NULL, "cannot write: %s", strerror(err));
    else if (ok && rename(a->tmp, a->path) != 0)
        rp_err(errs, a->path, 0, NULL, "cannot replace: %s",
               strerror(err = errno));
    int rc = ok && !err ? 0 : -1;
    if (rc != 0)
        unlink(a->tmp);
    free(a->tmp);
    free(a->path);
    memset(a, 0, sizeof *a);
    return rc;
}

void rp_csv_field(FILE *out, const char *s)
{
    if (!s)
        s = "";
    size_t n = strlen(s);
    if (!strpbrk(s, ",\"\r\n") && !(n && (s[0] == ' ' || s[n - 1] == ' '))) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}
