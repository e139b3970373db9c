/* bench_csv.c — the yardstick for ingest in make bench: a bare libcsv
 * parse of a file (1 MiB fread chunks, callbacks that only count), the
 * least any CSV reader built on libcsv can cost.
 *   bench_csv FILE     prints "<records> records, <fields> fields" */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>

static size_t nfields, nrecs;

static void on_field(void *s, size_t len, void *data)
{
    (void)s; (void)len; (void)data;
    nfields++;
}

static void on_row(int term, void *data)
{
    (void)term; (void)data;
    nrecs++;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fputs("usage: bench_csv FILE\n", stderr);
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
        return 1;
    static char buf[1 << 20];
    size_t n;
    int rc = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        if (csv_parse(&p, buf, n, on_field, on_row, NULL) != n) {
            rc = 1;
            break;
        }
    csv_fini(&p, on_field, on_row, NULL);
    csv_free(&p);
    fclose(f);
    printf("%zu records, %zu fields\n", nrecs, nfields);
    return rc;
}
