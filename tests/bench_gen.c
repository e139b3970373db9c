/* bench_gen.c — a deterministic large council for make bench (no clock,
 * no randomness beyond a fixed LCG, so the same arguments give the same
 * bytes).
 *   bench_gen OUT_DIR MEASURES [BREAKDOWNS]
 * Each measure gets a whole-authority series and BREAKDOWNS (default 14)
 * breakdown series over 11 quarters (2021/22 Q1 … 2023/24 Q3), plus two
 * whole-year rows: 15 × 11 + 2 = 167 kpi rows per measure, so 19,400
 * measures give the 3.24 M rows. Values carry 0–2 decimals, some
 * cells are blank or suppressed, as council exports are. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long long lcg = 88172645463325252ULL;

static unsigned rnd(unsigned n)
{
    lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((lcg >> 33) % n);
}

static const char *const areas[] = {
    "Health and Care", "Children and Families",
    "Economy, Infrastructure and Skills", "Communities", "Environment",
    "Housing", "Public Health", "Resources",
};
#define NAREAS (sizeof areas / sizeof *areas)
static const char *const units[] = { "percent", "count", "rate", "days",
                                     "number", "gbp" };

static FILE *open_out(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(1);
    }
    return f;
}

static void value(FILE *f)
{
    unsigned r = rnd(100);
    if (r < 2)
        return;                         /* blank */
    if (r < 3) {
        fputs("c", f);                  /* suppressed */
        return;
    }
    fprintf(f, "%u.%u", rnd(1000), rnd(10));
}

static void row(FILE *f, unsigned m, const char *per, const char *bd)
{
    fprintf(f, "M%06u,%s,", m, per);
    value(f);
    fprintf(f, ",%u,", 400 + rnd(200));
    if (rnd(4) == 0)
        value(f);
    fputs(",,", f);
    fputs(bd, f);
    fputc('\n', f);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fputs("usage: bench_gen OUT_DIR MEASURES [BREAKDOWNS]\n", stderr);
        return 2;
    }
    const char *dir = argv[1];
    unsigned nm = (unsigned)strtoul(argv[2], NULL, 10);
    unsigned nb = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : 14;
    FILE *f = open_out(dir, "measures.csv");
    fputs("id,title,service_area,unit,unit_label,polarity,tolerance,annual,"
          "decimals\n", f);
    for (unsigned m = 0; m < nm; m++)
        fprintf(f, "M%06u,Measure number %u,\"%s\",%s,,%s,,mean,1\n", m, m,
                areas[m % NAREAS], units[m % 6], m % 3 ? "higher" : "lower");
    fclose(f);
    f = open_out(dir, "kpi.csv");
    fputs("measure,period,value,target,national,regional,breakdown\n", f);
    for (unsigned m = 0; m < nm; m++)
        for (unsigned b = 0; b <= nb; b++)
            for (int fy = 2021; fy <= 2023; fy++)
                for (int q = 1; q <= 4 && !(fy == 2023 && q == 4); q++) {
                    char per[16], bd[32] = "";
                    snprintf(per, sizeof per, "%d/%02d Q%d", fy,
                             (fy + 1) % 100, q);
                    if (b)
                        snprintf(bd, sizeof bd, "Ward %u", b);
                    row(f, m, per, bd);
                    if (b == 0 && q == 4)
                        row(f, m, fy == 2021 ? "2021/22" : "2022/23", "");
                }
    fclose(f);
    f = open_out(dir, "finance.csv");
    fputs("service_area,period,budget,forecast,savings_target,"
          "savings_forecast\n", f);
    for (int fy = 2021; fy <= 2023; fy++)
        for (int q = 1; q <= 4 && !(fy == 2023 && q == 4); q++)
            for (size_t a = 0; a < NAREAS; a++)
                fprintf(f, "\"%s\",%d/%02d Q%d,%u00000,%u00000,,\n",
                        areas[a], fy, (fy + 1) % 100, q, 1000 + rnd(100),
                        1000 + rnd(100));
    fclose(f);
    return 0;
}
