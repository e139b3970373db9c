/* number.c — exact fixed-point arithmetic and formatting. Parsing of cells
 * lives in parse.c. */
#include "base.h"

#include <stdlib.h>
#include <string.h>

rp_value rp_value_of(rp_num n)
{
    rp_value v = { .miss = RP_MISS_NONE, .num = n, .decimals = -1 };
    return v;
}

rp_value rp_value_missing(rp_miss why)
{
    rp_value v = { .miss = why == RP_MISS_NONE ? RP_MISS_EMPTY : why,
                   .num = 0, .decimals = -1 };
    return v;
}

rp_num rp_num_muldiv(rp_num a, rp_num b, rp_num c)
{
    if (c == 0)
        return 0;
    __int128 p = (__int128)a * b;
    int neg = (p < 0) != (c < 0);
    unsigned __int128 up = p < 0 ? -(unsigned __int128)p : (unsigned __int128)p;
    unsigned __int128 uc = c < 0 ? -(unsigned __int128)c : (unsigned __int128)c;
    unsigned __int128 q = up / uc, r = up % uc;
    if (r * 2 >= uc)        /* half away from zero */
        q++;
    return neg ? -(rp_num)q : (rp_num)q;
}

double rp_num_to_double(rp_num n) { return (double)n / (double)RP_SCALE; }

/* Round n (millionths) to `decimals` places, half away from zero; returns
 * the value in units of 10^-decimals. */
static int64_t round_to(rp_num n, int decimals)
{
    int64_t div = 1;
    for (int i = decimals; i < RP_SCALE_DIGITS; i++)
        div *= 10;
    /* unsigned, so INT64_MIN (what llround gives for an out-of-range
     * double) has a magnitude instead of overflowing on negation */
    uint64_t a = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
    uint64_t q = a / (uint64_t)div, r = a % (uint64_t)div;
    if (r * 2 >= (uint64_t)div)
        q++;
    return n < 0 ? (int64_t)((uint64_t)0 - q) : (int64_t)q;
}

char *rp_num_format(rp_num n, int decimals, int thousands, char *buf,
                    size_t len)
{
    if (decimals < 0)
        decimals = 0;
    if (decimals > RP_SCALE_DIGITS)
        decimals = RP_SCALE_DIGITS;
    int64_t v = round_to(n, decimals);
    int neg = v < 0;
    uint64_t a = neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    char digits[32];
    int nd = 0;
    do {
        digits[nd++] = (char)('0' + a % 10);
        a /= 10;
    } while (a);
    while (nd <= decimals)
        digits[nd++] = '0';
    char tmp[64];
    size_t k = 0;
    if (neg)                /* v != 0 here, so never "-0.0" */
        tmp[k++] = '-';
    for (int i = nd - 1; i >= decimals; i--) {
        tmp[k++] = digits[i];
        int left = i - decimals;   /* integer digits still to write */
        if (thousands && left > 0 && left % 3 == 0)
            tmp[k++] = ',';
    }
    if (decimals > 0) {
        tmp[k++] = '.';
        for (int i = decimals - 1; i >= 0; i--)
            tmp[k++] = digits[i];
    }
    tmp[k] = '\0';
    snprintf(buf, len, "%s", tmp);
    return buf;
}

char *rp_num_plain(rp_num n, char *buf, size_t len)
{
    int dec = RP_SCALE_DIGITS;
    rp_num a = rp_num_abs(n);
    while (dec > 0 && a % 10 == 0) {
        a /= 10;
        dec--;
    }
    return rp_num_format(n, dec, 0, buf, len);
}
