/* bench_run.c — times one run of a command for make bench, as a whole
 * process: CPU (user + sys of it and its children, from wait4, to the
 * microsecond where /usr/bin/time gives hundredths), wall time and peak
 * RSS. Its output goes to /dev/null, its stderr to ERRFILE.
 *   bench_run ERRFILE CMD [ARG...]   prints "<cpu_s> <wall_s> <peak_MiB> <exit>" */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_run ERRFILE CMD [ARG...]\n");
        return 2;
    }
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    pid_t p = fork();
    if (p < 0) {
        perror("fork");
        return 2;
    }
    if (p == 0) {
        int out = open("/dev/null", O_WRONLY);
        int err = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (out < 0 || err < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
            _exit(127);
        execvp(argv[2], argv + 2);
        perror(argv[2]);
        _exit(127);
    }
    int st;
    struct rusage ru;
    if (wait4(p, &st, 0, &ru) != p) {
        perror("wait4");
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    double cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                 (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    double wall = (double)(b.tv_sec - a.tv_sec) +
                  (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    printf("%.4f %.4f %.0f %d\n", cpu, wall, (double)ru.ru_maxrss / 1024, code);
    return 0;
}
