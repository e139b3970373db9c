/* files.c — the few file-system helpers every stage shares: folders,
 * whole-file reads and atomic writes. */
#define _XOPEN_SOURCE 700   /* nftw, FTW_PHYS */
#include "base.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
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

char *rp_dirname(const char *path)
{
    const char *s = strrchr(path, '/');
    if (!s)
        return rp_xstrdup(".");
    if (s == path)
        return rp_xstrdup("/");
    return rp_xstrndup(path, (size_t)(s - path));
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

/* Why path cannot be read as an input (NULL when it can), from its stat:
 * a FIFO or a device would block or never end, so only regular files
 * (or links to them) are read, and none larger than max. */
static const char *refuse(const struct stat *st, size_t max)
{
    if (S_ISDIR(st->st_mode))
        return "is a folder, not a file";
    if (S_ISFIFO(st->st_mode))
        return "is a pipe (FIFO), not a regular file";
    if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
        return "is a device, not a regular file";
    if (S_ISSOCK(st->st_mode))
        return "is a socket, not a regular file";
    if (!S_ISREG(st->st_mode))
        return "is not a regular file";
    if ((uintmax_t)st->st_size > (uintmax_t)max)
        return "is larger than the limit for this kind of file";
    return NULL;
}

/* The reason for st, with the size and limit for a file too large. */
static void reason(const struct stat *st, size_t max, const char *r,
                   char *why, size_t len)
{
    if (S_ISREG(st->st_mode))
        snprintf(why, len, "is %jd bytes, more than the %zu MiB limit for "
                 "this kind of file", (intmax_t)st->st_size, max >> 20);
    else
        snprintf(why, len, "%s", r);
}

int rp_input_check(const char *path, size_t max, char *why, size_t len)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(why, len, "%s", strerror(errno));
        return -1;
    }
    const char *r = refuse(&st, max);
    if (r)
        reason(&st, max, r, why, len);
    return r ? -1 : 0;
}

char *rp_read_input(const char *path, size_t max, size_t *len, char *why,
                    size_t whylen)
{
    /* O_NONBLOCK: a FIFO must not block the open; fstat refuses it */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    const char *r = NULL;
    if (fd < 0 || fstat(fd, &st) != 0 || (r = refuse(&st, max))) {
        if (r)
            reason(&st, max, r, why, whylen);
        else
            snprintf(why, whylen, "%s", strerror(errno));
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    size_t n = (size_t)st.st_size, got = 0;
    char *buf = rp_xmalloc(n + 1);
    while (got < n) {
        ssize_t k = read(fd, buf + got, n - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    int bad = got < n;
    int err = errno;
    close(fd);
    if (bad) {  /* shrank while read, or an I/O error */
        free(buf);
        snprintf(why, whylen, "%s", strerror(err ? err : EIO));
        return NULL;
    }
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
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

/* "-12", "+3.5", "0.25": a number a spreadsheet may read as one. */
static int csv_plain_number(const char *s)
{
    if (*s == '-' || *s == '+')
        s++;
    int digits = 0;
    while (*s >= '0' && *s <= '9') {
        s++;
        digits++;
    }
    if (*s == '.')
        for (s++; *s >= '0' && *s <= '9'; s++)
            digits++;
    return digits > 0 && *s == '\0';
}

void rp_csv_field(FILE *out, const char *s)
{
    if (!s)
        s = "";
    size_t n = strlen(s);
    /* OWASP CSV injection: a text cell starting = + - @ (or tab, CR) is
     * run as a formula by spreadsheets, so it gets a leading ' (shown by
     * none of them as a formula). Numbers ("-5") and the contract's
     * missing-value markers ("-") stay as they are. */
    int guard = n && strchr("=+-@\t\r", s[0]) && !csv_plain_number(s) &&
                !(s[0] == '-' && rp_marker(s) != RP_MISS_NONE);
    if (!guard && !strpbrk(s, ",\"\r\n") &&
        !(n && (s[0] == ' ' || s[n - 1] == ' '))) {
        fputs(s, out);
        return;
    }
    if (guard && !strpbrk(s, ",\"\r\n") && s[n - 1] != ' ') {
        fputc('\'', out);
        fputs(s, out);
        return;
    }
    fputc('"', out);
    if (guard)
        fputc('\'', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

char *rp_read_named(const char *path, size_t max, size_t *len,
                    const char *what, rp_errors *errs)
{
    char why[160];
    char *text = rp_read_input(path, max, len, why, sizeof why);
    if (!text)
        rp_err(errs, path, 0, NULL, "cannot read the %s: %s", what, why);
    return text;
}
