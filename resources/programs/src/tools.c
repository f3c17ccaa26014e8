// tools: a tiny multi-call userland for pipelines, like busybox.
//   tools cat          copy stdin to stdout
//   tools upper        copy stdin to stdout in upper case
//   tools wc           print "<lines> <bytes>" of stdin
//   tools yes N        print N numbered lines (a producer that outruns a pipe's buffer)
//   tools head N       copy the first N lines, then exit without reading the rest
//   tools exit N       consume stdin and exit with status N
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int copy(int upper) {
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
        if (upper) {
            for (size_t i = 0; i < n; i++) buf[i] = (char) toupper((unsigned char) buf[i]);
        }
        if (fwrite(buf, 1, n, stdout) != n) return 1;
    }
    return 0;
}

int main(int argc, char **argv) {
    const char *cmd = argc > 1 ? argv[1] : "cat";
    long arg = argc > 2 ? atol(argv[2]) : 0;
    if (strcmp(cmd, "cat") == 0) return copy(0);
    if (strcmp(cmd, "upper") == 0) return copy(1);
    if (strcmp(cmd, "wc") == 0) {
        long lines = 0, bytes = 0;
        int c;
        while ((c = getchar()) != EOF) {
            bytes++;
            if (c == '\n') lines++;
        }
        printf("%ld %ld\n", lines, bytes);
        return 0;
    }
    if (strcmp(cmd, "yes") == 0) {
        for (long i = 1; i <= arg; i++) {
            if (printf("line %ld\n", i) < 0) return 1;
        }
        return 0;
    }
    if (strcmp(cmd, "head") == 0) {
        char line[4096];
        for (long i = 0; i < arg && fgets(line, sizeof line, stdin); i++) fputs(line, stdout);
        return 0;
    }
    if (strcmp(cmd, "exit") == 0) {
        char buf[4096];
        while (fread(buf, 1, sizeof buf, stdin) > 0) {
        }
        return (int) arg;
    }
    fprintf(stderr, "tools: unknown command %s\n", cmd);
    return 2;
}
