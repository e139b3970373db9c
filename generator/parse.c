/* parse.c — cell parsers: numbers as the input contract spells them,
 * suppression markers, and period spellings. */
#include "base.h"

#include <ctype.h>
#include <string.h>

/* Surrounding spaces and tabs are not part of a cell's meaning. */
static void trim(const char **s, size_t *n)
{
    const char *p = *s;
    size_t len = *n;
    while (len && (*p == ' ' || *p == '\t')) {
        p++;
        len--;
    }
    while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
        len--;
    *s = p;
    *n = len;
}

static int ci_eqn(const char *s, size_t n, const char *word)
{
    size_t wl = strlen(word);
    if (n != wl)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)s[i]) != tolower((unsigned char)word[i]))
            return 0;
    return 1;
}

/* ---- markers ---------------------------------------------------------- */

rp_miss rp_marker(const char *text)
{
    const char *s = text ? text : "";
    size_t n = strlen(s);
    trim(&s, &n);
    if (n == 0)
        return RP_MISS_EMPTY;
    if (s[0] >= '0' && s[0] <= '9')   /* no marker starts with a digit */
        return RP_MISS_NONE;
    /* DfE / ONS codes may be written bare or in square brackets. */
    const char *c = s;
    size_t cn = n;
    if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
        c = s + 1;
        cn = n - 2;
    }
    if (ci_eqn(c, cn, "c"))   return RP_MISS_C;
    if (ci_eqn(c, cn, "x"))   return RP_MISS_X;
    if (ci_eqn(c, cn, "z"))   return RP_MISS_Z;
    if (ci_eqn(c, cn, "u"))   return RP_MISS_U;
    if (ci_eqn(c, cn, "low")) return RP_MISS_LOW;
    if (c != s)               /* only the letter codes take brackets */
        return RP_MISS_NONE;
    static const char *const na[] = { "..", ":", "-", "*", "N/A", "NA" };
    for (size_t i = 0; i < sizeof na / sizeof na[0]; i++)
        if (ci_eqn(s, n, na[i]))
            return RP_MISS_X;
    if (ci_eqn(s, n, "~"))    /* DfE's older "rounds to zero" symbol */
        return RP_MISS_LOW;
    return RP_MISS_NONE;
}

const char *rp_miss_reason(rp_miss m)
{
    switch (m) {
    case RP_MISS_NONE:  return "";
    case RP_MISS_EMPTY: return "not provided";
    case RP_MISS_C:     return "suppressed [c]";
    case RP_MISS_X:     return "not available [x]";
    case RP_MISS_Z:     return "not applicable [z]";
    case RP_MISS_U:     return "low reliability [u]";
    case RP_MISS_LOW:   return "rounds to zero [low]";
    }
    return "not available";
}

/* ---- numbers ------------------------------------------------------------ */

static int not_a_number(char *why, size_t whylen)
{
    if (why && whylen)
        snprintf(why, whylen, "%s", "is not a number");
    return -1;
}

static int starts_pound(const char *s, size_t n)
{
    return n >= 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA3;
}

/* The usual cell, "-12" or "52.3" (at most 12 integer digits and 6
 * fraction digits, nothing else), straight to fixed point: the general
 * path below costs ~400 instructions a cell, a third of reading kpi.csv.
 * 0 when the text is anything else (the general path decides). */
static int plain_number(const char *s, rp_value *out)
{
    int neg = *s == '-';
    s += neg;
    int64_t ip = 0, fp = 0;
    int ni = 0, nf = 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        if (++ni > 12)
            return 0;
        ip = ip * 10 + (*s - '0');
    }
    if (ni == 0)
        return 0;
    if (*s == '.') {
        for (s++; *s >= '0' && *s <= '9'; s++) {
            if (++nf > RP_SCALE_DIGITS)
                return 0;
            fp = fp * 10 + (*s - '0');
        }
        if (nf == 0)
            return 0;   /* "5." is not a number: the general path says so */
    }
    if (*s)
        return 0;
    for (int k = nf; k < RP_SCALE_DIGITS; k++)
        fp *= 10;
    out->miss = RP_MISS_NONE;
    out->num = neg ? -(ip * RP_SCALE + fp) : ip * RP_SCALE + fp;
    out->decimals = (int8_t)nf;
    return 1;
}

int rp_num_parse(const char *text, unsigned flags, rp_value *out, char *why,
                 size_t whylen)
{
    if (why && whylen)
        why[0] = '\0';
    if (plain_number(text, out))
        return 0;
    rp_miss m = rp_marker(text);
    if (m != RP_MISS_NONE) {
        *out = rp_value_missing(m);
        return 0;
    }
    const char *s = text;
    size_t n = strlen(s);
    trim(&s, &n);

    int neg = 0;
    if (n >= 2 && s[0] == '(' && s[n - 1] == ')') {   /* accounting negative */
        neg = 1;
        s++;
        n -= 2;
    }
    /* Sign and pound in either order: "-£5", "£-5", "£5", "-5". */
    int seen_minus = 0, seen_pound = 0;
    for (;;) {
        if (n && s[0] == '-' && !seen_minus && !neg) {
            seen_minus = 1;
            s++;
            n--;
        } else if (starts_pound(s, n) && !seen_pound) {
            seen_pound = 1;
            s += 2;
            n -= 2;
        } else {
            break;
        }
    }
    neg |= seen_minus;

    /* Integer digits (leading zeros dropped) and the first fraction
     * digits; only the first 6 + 9 + 1 fraction places can matter. */
    char idig[24], fdig[16];
    size_t ni = 0, nfrac = 0;
    size_t i = 0, group = 0;
    int seen_comma = 0, seen_dot = 0;
    for (; i < n; i++) {
        char ch = s[i];
        if (ch >= '0' && ch <= '9') {
            if (seen_dot) {
                if (nfrac < sizeof fdig)
                    fdig[nfrac] = ch;
                nfrac++;
            } else {
                group++;
                if (ni == 0 && ch == '0')
                    continue;
                if (ni >= sizeof idig)
                    return not_a_number(why, whylen);   /* beyond int64 */
                idig[ni++] = ch;
            }
        } else if (ch == ',' && !seen_dot) {
            /* first group 1–3 digits, then groups of exactly three */
            if (group == 0 || group > 3 || (seen_comma && group != 3))
                return not_a_number(why, whylen);
            seen_comma = 1;
            group = 0;
        } else if (ch == '.' && !seen_dot) {
            if (seen_comma && group != 3)
                return not_a_number(why, whylen);
            seen_dot = 1;
        } else {
            break;
        }
    }
    if (seen_comma && !seen_dot && group != 3)
        return not_a_number(why, whylen);
    if (group == 0 && nfrac == 0)          /* no digit at all */
        return not_a_number(why, whylen);
    if (seen_dot && nfrac == 0)            /* "5." */
        return not_a_number(why, whylen);

    /* Suffix: '%' or (money only) k / m / bn. */
    int shift = 0;
    const char *rest = s + i;
    size_t rn = n - i;
    if (rn == 0) {
        /* plain number */
    } else if (rn == 1 && rest[0] == '%') {
        /* a percentage is held as typed: 5% → 5 */
    } else if ((flags & RP_NUM_MONEY) && ci_eqn(rest, rn, "k")) {
        shift = 3;
    } else if ((flags & RP_NUM_MONEY) && ci_eqn(rest, rn, "m")) {
        shift = 6;
    } else if ((flags & RP_NUM_MONEY) && ci_eqn(rest, rn, "bn")) {
        shift = 9;
    } else {
        return not_a_number(why, whylen);
    }

    /* millionths = integer digits then the first `need` fraction digits
     * (zero-padded); the next fraction digit rounds half away from zero. */
    size_t need = (size_t)(RP_SCALE_DIGITS + shift);
    unsigned __int128 v = 0;
    const unsigned __int128 lim = (unsigned __int128)INT64_MAX;
    for (size_t k = 0; k < ni + need; k++) {
        int d = 0;
        if (k < ni)
            d = idig[k] - '0';
        else if (k - ni < nfrac && k - ni < sizeof fdig)
            d = fdig[k - ni] - '0';
        v = v * 10 + (unsigned)d;
        if (v > lim)
            return not_a_number(why, whylen);
    }
    if (nfrac > need && need < sizeof fdig && fdig[need] >= '5' && ++v > lim)
        return not_a_number(why, whylen);

    int dec = (int)nfrac - shift;
    if (dec < 0)
        dec = 0;
    out->miss = RP_MISS_NONE;
    out->num = neg ? -(rp_num)v : (rp_num)v;
    out->decimals = dec > RP_SCALE_DIGITS ? -1 : (int8_t)dec;
    return 0;
}

/* ---- periods ---------------------------------------------------------- */

static int digits_at(const char *s, size_t n, size_t k)
{
    if (n < k)
        return 0;
    for (size_t i = 0; i < k; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

static int num_of(const char *s, size_t k)
{
    int v = 0;
    for (size_t i = 0; i < k; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* A financial/academic year "2023/24", "2023-24", "2023/2024" filling
 * exactly s[0..n). The second year must follow the first. */
static int parse_year_pair(const char *s, size_t n, int *fy)
{
    if (!digits_at(s, n, 4) || n < 7 || (s[4] != '/' && s[4] != '-'))
        return -1;
    int a = num_of(s, 4);
    const char *t = s + 5;
    size_t tn = n - 5;
    if (tn == 2 && digits_at(t, tn, 2)) {
        if (num_of(t, 2) != (a + 1) % 100)
            return -1;
    } else if (tn == 4 && digits_at(t, tn, 4)) {
        if (num_of(t, 4) != a + 1)
            return -1;
    } else {
        return -1;
    }
    *fy = a;
    return 0;
}

/* "Q3" or "Quarter 3" filling exactly s[0..n). */
static int parse_quarter_word(const char *s, size_t n, int *q)
{
    size_t i;
    if (n >= 7 && ci_eqn(s, 7, "quarter")) {
        i = 7;
        while (i < n && s[i] == ' ')
            i++;
    } else if (n >= 1 && (s[0] == 'q' || s[0] == 'Q')) {
        i = 1;
    } else {
        return -1;
    }
    if (n - i != 1 || s[i] < '1' || s[i] > '4')
        return -1;
    *q = s[i] - '0';
    return 0;
}

int rp_period_parse(const char *text, rp_period *out)
{
    const char *s = text ? text : "";
    size_t n = strlen(s);
    trim(&s, &n);
    rp_period p = { 0, 0, 0 };
    int fy, q;

    if (n == 4 && digits_at(s, n, 4)) {           /* calendar year */
        p.kind = RP_PER_CYEAR;
        p.fy = num_of(s, 4);
    } else if (parse_year_pair(s, n, &fy) == 0) {  /* whole financial year */
        p.kind = RP_PER_FYEAR;
        p.fy = fy;
    } else if (n > 3 && ci_eqn(s, 2, "ay") && s[2] == ' ') {
        const char *t = s + 2;
        size_t tn = n - 2;
        trim(&t, &tn);
        if (parse_year_pair(t, tn, &fy) != 0)
            return -1;
        p.kind = RP_PER_AYEAR;
        p.fy = fy;
    } else {
        /* a quarter: the year and the quarter word either way round,
         * separated by spaces */
        const char *sp = memchr(s, ' ', n);
        if (!sp)
            return -1;
        size_t an = (size_t)(sp - s);
        const char *b = sp;
        size_t bn = n - an;
        trim(&b, &bn);
        if (parse_year_pair(s, an, &fy) == 0 &&
            parse_quarter_word(b, bn, &q) == 0) {
            /* "2023/24 Q3", "2023/24 Quarter 3" */
        } else {
            /* "Q3 2023/24", "Quarter 3 2023/24": the year is the last word */
            const char *ls = s + n;
            while (ls > s && ls[-1] != ' ')
                ls--;
            size_t yn = (size_t)(s + n - ls);
            const char *w = s;
            size_t wn = (size_t)(ls - s);
            trim(&w, &wn);
            if (parse_year_pair(ls, yn, &fy) != 0 ||
                parse_quarter_word(w, wn, &q) != 0)
                return -1;
        }
        p.kind = RP_PER_QUARTER;
        p.fy = fy;
        p.q = q;
    }
    *out = p;
    return 0;
}
