/* bench.c — speed and memory of building the sample pack, in process
 * (make bench). Not a test: it measures and prints, and fails only if a
 * build fails. */
#include "ap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 20;
    const char *out = argc > 2 ? argv[2] : "build/bench-out";
    ap_build_opts o;
    ap_build_opts_default(&o);
    o.out_dir = out;
    double best = 1e30, total = 0;
    long bytes = 0;
    int pages = 0;
    for (int i = 0; i < n; i++) {
        rp_errors errs;
        rp_errors_init(&errs);
        ap_build_result res;
        double t0 = now_ms();
        int rc = ap_build(&o, &res, &errs);
        double dt = now_ms() - t0;
        if (rc != 0) {
            rp_errors_print(&errs, stderr);
            rp_errors_free(&errs);
            return 1;
        }
        bytes = res.bytes;
        pages = res.pages;
        ap_build_result_free(&res);
        rp_errors_free(&errs);
        total += dt;
        if (dt < best)
            best = dt;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("sample pack: %d pages, %ld bytes\n", pages, bytes);
    printf("build: best %.1f ms, mean %.1f ms over %d runs\n", best, total / n, n);
    printf("peak RSS: %ld KiB\n", ru.ru_maxrss);
    return 0;
}
