/* period.c — financial-year periods: order, neighbours, formatting.
 * Parsing of the accepted spellings lives in parse.c. */
#include "base.h"

#include <stdio.h>

rp_period rp_quarter(int fy, int q)
{
    rp_period p = { RP_PER_QUARTER, fy, q };
    return p;
}

rp_period rp_fyear(int fy)
{
    rp_period p = { RP_PER_FYEAR, fy, 0 };
    return p;
}

/* Start month counted from January of year 0, plus a tie-break so a whole
 * financial year sorts after its Q4 and kinds never compare equal. */
static long sort_key(rp_period p)
{
    long m;
    switch (p.kind) {
    case RP_PER_QUARTER: m = (long)p.fy * 12 + 3 + (p.q - 1) * 3; return m * 8 + 1;
    case RP_PER_FYEAR:   m = (long)p.fy * 12 + 3 + 9;             return m * 8 + 2;
    case RP_PER_AYEAR:   m = (long)p.fy * 12 + 8;                 return m * 8 + 3;
    case RP_PER_CYEAR:   m = (long)p.fy * 12;                     return m * 8 + 4;
    default:             return 0;
    }
}

int rp_period_cmp(rp_period a, rp_period b)
{
    long ka = sort_key(a), kb = sort_key(b);
    return ka < kb ? -1 : ka > kb;
}

rp_period rp_period_prev_quarter(rp_period p)
{
    if (p.kind != RP_PER_QUARTER) {
        p.fy--;
        return p;
    }
    return p.q == 1 ? rp_quarter(p.fy - 1, 4) : rp_quarter(p.fy, p.q - 1);
}

rp_period rp_period_year_earlier(rp_period p)
{
    p.fy--;
    return p;
}

char *rp_period_format(rp_period p, char *buf, size_t len)
{
    switch (p.kind) {
    case RP_PER_QUARTER:
        snprintf(buf, len, "%04d/%02d Q%d", p.fy, (p.fy + 1) % 100, p.q);
        break;
    case RP_PER_FYEAR:
        snprintf(buf, len, "%04d/%02d", p.fy, (p.fy + 1) % 100);
        break;
    case RP_PER_AYEAR:
        snprintf(buf, len, "AY %04d/%02d", p.fy, (p.fy + 1) % 100);
        break;
    case RP_PER_CYEAR:
        snprintf(buf, len, "%04d", p.fy);
        break;
    default:
        snprintf(buf, len, "%s", "");
    }
    return buf;
}

char *rp_period_long(rp_period p, char *buf, size_t len)
{
    static const char *span[5] = {
        "", "April\u2013June", "July\u2013September",
        "October\u2013December", "January\u2013March"
    };
    if (p.kind != RP_PER_QUARTER || p.q < 1 || p.q > 4)
        return rp_period_format(p, buf, len);
    snprintf(buf, len, "Quarter %d %04d/%02d (%s %d)", p.q, p.fy,
             (p.fy + 1) % 100, span[p.q], p.q == 4 ? p.fy + 1 : p.fy);
    return buf;
}
