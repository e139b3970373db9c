/* fuzz_parse.c — libFuzzer target for the cell parsers in parse.c:
 * rp_num_parse (plain and RP_NUM_MONEY), rp_marker and rp_period_parse.
 * The input is one cell. Beyond "no crash, leak or UB" it checks two
 * round trips that must hold for any accepted cell: a parsed number
 * printed plain parses back to itself, and a parsed period formatted
 * parses back to itself. */
#include "base.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check_number(const char *s, unsigned flags)
{
    rp_value v;
    char why[128];
    memset(&v, 0, sizeof v);
    if (rp_num_parse(s, flags, &v, why, sizeof why) != 0) {
        /* the reason must be a terminated string */
        if (strlen(why) >= sizeof why)
            abort();
        return;
    }
    if (!rp_has(v)) {
        if (v.miss < RP_MISS_EMPTY || v.miss > RP_MISS_LOW)
            abort();
        (void)rp_miss_reason(v.miss);
        return;
    }
    if (v.decimals < -1 || v.decimals > RP_SCALE_DIGITS)
        abort();
    char buf[64];
    rp_num_plain(v.num, buf, sizeof buf);
    rp_value back;
    if (rp_num_parse(buf, 0, &back, why, sizeof why) != 0 || !rp_has(back)
        || back.num != v.num)
        abort();
    /* formatting at every precision, with and without separators */
    for (int d = 0; d <= RP_SCALE_DIGITS; d++) {
        rp_num_format(v.num, d, 0, buf, sizeof buf);
        rp_num_format(v.num, d, 1, buf, sizeof buf);
    }
    char small[4];                       /* truncation must stay in bounds */
    rp_num_format(v.num, 2, 1, small, sizeof small);
    rp_num_plain(v.num, small, sizeof small);
}

static void check_period(const char *s)
{
    rp_period p;
    memset(&p, 0, sizeof p);
    if (rp_period_parse(s, &p) != 0)
        return;
    char buf[64], lng[128];
    rp_period_format(p, buf, sizeof buf);
    rp_period_long(p, lng, sizeof lng);
    rp_period back;
    memset(&back, 0, sizeof back);
    if (rp_period_parse(buf, &back) != 0 || rp_period_cmp(p, back) != 0
        || back.kind != p.kind)
        abort();
    /* neighbours are computed from parsed years: no overflow allowed */
    if (p.kind == RP_PER_QUARTER) {
        rp_period q = rp_period_prev_quarter(p);
        (void)rp_period_cmp(q, p);
        q = rp_period_year_earlier(p);
        rp_period_format(q, buf, sizeof buf);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Cells are NUL-terminated strings: a NUL inside ends the cell, as
     * it would in input's records. */
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    check_number(s, 0);
    check_number(s, RP_NUM_MONEY);
    (void)rp_marker(s);
    check_period(s);
    free(s);
    return 0;
}
