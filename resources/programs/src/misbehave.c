// misbehave: a program that breaks the rules, one way per argv[1]:
//   loop     spins forever (hits max_instructions, or max_seconds)
//   hog      allocates 1 MiB blocks until malloc fails (hits max_memory_mb)
//   escape   tries to write outside /tmp and to climb out of the root; prints what happened as JSON
//   sleep    sleeps 3600 s (hits max_seconds)
//   abort    calls abort() (a wasm trap)
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile unsigned long sink;
static char *volatile held; // keeps every block reachable so the compiler cannot drop the allocations

static void try_write(const char *path, int last) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
        write(fd, "pwned\n", 6);
        close(fd);
        printf("\"%s\":\"written\"%s", path, last ? "" : ",");
    } else {
        printf("\"%s\":\"%s\"%s", path, strerror(errno), last ? "" : ",");
    }
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "loop";
    if (strcmp(mode, "loop") == 0) {
        for (unsigned long i = 0;; i++) sink += i;
    }
    if (strcmp(mode, "hog") == 0) {
        size_t total = 0;
        for (;;) {
            char *block = malloc(1 << 20);
            if (!block) {
                fprintf(stderr, "malloc failed after %zu MiB\n", total);
                return 1;
            }
            memset(block, 1, 1 << 20);
            *(char **) block = held;
            held = block;
            total++;
        }
    }
    if (strcmp(mode, "escape") == 0) {
        printf("{");
        try_write("/etc/passwd", 0);
        try_write("/etc/new-file", 0);
        try_write("/home/wasm/.profile", 0);
        try_write("/usr/bin/evil", 0);
        try_write("/tmp/../etc/shadow", 0);
        try_write("../../../../host-file", 0);
        try_write("/tmp/allowed.txt", 1);
        printf("}\n");
        return 0;
    }
    if (strcmp(mode, "sleep") == 0) {
        sleep(3600);
        return 0;
    }
    if (strcmp(mode, "abort") == 0) {
        abort();
    }
    fprintf(stderr, "misbehave: unknown mode %s\n", mode);
    return 2;
}
