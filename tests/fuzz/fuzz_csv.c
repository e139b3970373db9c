/* fuzz_csv.c — libFuzzer target for input_csv_parse_ex: the input is a whole
 * CSV file, parsed with flags 0 and INPUT_CSV_KEEP_BLANK. Checks what input.h
 * promises for any bytes: on failure the result is empty and at least one
 * error was added; on success every record has a field, lines start at 1
 * and never go backwards, and every diagnostic formats. */
#include "input.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void run(const uint8_t *data, size_t size, unsigned flags)
{
    input_csv c;
    rp_errors errs;
    rp_errors_init(&errs);
    memset(&c, 0xA5, sizeof c);          /* the parser must set every field */
    int rc = input_csv_parse_ex("fuzz.csv", (const char *)data, size, flags, &c,
                             &errs);
    if (rc != 0) {
        if (c.nrecs != 0 || errs.nerrors == 0)
            abort();
    } else {
        long last = 0;
        for (size_t i = 0; i < c.nrecs; i++) {
            const input_record *r = &c.recs[i];
            if (r->nfields == 0 || r->line < 1 || r->line < last)
                abort();
            last = r->line;
            for (size_t k = 0; k < r->nfields; k++)
                (void)strlen(r->fields[k]);
        }
        (void)input_csv_column(&c, "id");
        (void)input_csv_column(&c, " value ");
    }
    char buf[256];
    for (size_t i = 0; i < errs.n; i++)
        rp_error_format(&errs.v[i], buf, sizeof buf);
    input_csv_free(&c);
    rp_errors_free(&errs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    run(data, size, 0);
    run(data, size, INPUT_CSV_KEEP_BLANK);
    return 0;
}
