// fsenv: exercises files, directories and environment variables and prints what it saw as one
// JSON object. Every check is a "name": value pair, so a test can assert each one.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int first = 1;

static void key(const char *name) {
    printf("%s\"%s\":", first ? "" : ",", name);
    first = 0;
}

static void str(const char *name, const char *value) {
    key(name);
    if (!value) {
        printf("null");
        return;
    }
    putchar('"');
    for (const char *p = value; *p; p++) {
        if (*p == '"' || *p == '\\') putchar('\\');
        if (*p == '\n') { fputs("\\n", stdout); continue; }
        putchar(*p);
    }
    putchar('"');
}

static void num(const char *name, long value) {
    key(name);
    printf("%ld", value);
}

static void err(const char *name, int ok) {
    str(name, ok ? "ok" : strerror(errno));
}

static char *slurp(const char *path) {
    static char buf[4096];
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

int main(int argc, char **argv) {
    putchar('{');
    // Environment.
    const char *vars[] = {"HOME", "USER", "PATH", "SHELL", "TERM", "TZ", "LANG", "LC_ALL",
                          "NEAR_SENDER_ID", "NEAR_CONTRACT_ID", "NEAR_BLOCK_HEIGHT", "NEAR_BLOCK_TIMESTAMP",
                          "NEAR_MAX_INSTRUCTIONS", "NEAR_MAX_MEMORY_MB", "NEAR_MAX_EXECUTION_SECONDS",
                          "NEAR_REQUEST_ID", "GREETING"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) str(vars[i], getenv(vars[i]));
    num("argc", argc);
    str("argv0", argv[0]);
    str("argv1", argc > 1 ? argv[1] : NULL);
    // The image.
    str("hostname", slurp("/etc/hostname"));
    char *passwd = slurp("/etc/passwd");
    str("passwd_has_wasm", passwd && strstr(passwd, "wasm:x:1000") ? "yes" : "no");
    struct stat st;
    err("stat_home", stat("/home/wasm", &st) == 0 && S_ISDIR(st.st_mode));
    // Isolation: a file left by an earlier run must not be here.
    str("leftover_from_earlier_run", access("/tmp/marker", F_OK) == 0 ? "present" : "absent");
    FILE *marker = fopen("/tmp/marker", "w");
    err("create_marker", marker != NULL);
    if (marker) fclose(marker);
    // Directories and files under /tmp.
    err("mkdir", mkdir("/tmp/work", 0755) == 0);
    err("mkdir_nested", mkdir("/tmp/work/sub", 0755) == 0);
    FILE *f = fopen("/tmp/work/data.txt", "w");
    err("fopen_write", f != NULL);
    if (f) {
        for (int i = 0; i < 100; i++) fprintf(f, "row %d\n", i);
        fclose(f);
    }
    err("stat_file", stat("/tmp/work/data.txt", &st) == 0);
    num("file_size", (long) st.st_size);
    f = fopen("/tmp/work/data.txt", "a");
    if (f) {
        fputs("appended\n", f);
        fclose(f);
    }
    char *contents = slurp("/tmp/work/data.txt");
    num("size_after_append", contents ? (long) strlen(contents) : -1);
    str("ends_with_appended", contents && strstr(contents, "row 99\nappended\n") ? "yes" : "no");
    int fd = open("/tmp/work/data.txt", O_RDONLY);
    char word[8] = {0};
    lseek(fd, 4, SEEK_SET);
    read(fd, word, 1);
    str("seek_read", word);
    close(fd);
    err("rename", rename("/tmp/work/data.txt", "/tmp/work/sub/moved.txt") == 0);
    str("old_name_after_rename", access("/tmp/work/data.txt", F_OK) == 0 ? "present" : "absent");
    DIR *dir = opendir("/tmp/work/sub");
    char names[256] = "";
    if (dir) {
        struct dirent *e;
        while ((e = readdir(dir)) != NULL) {
            strcat(names, e->d_name);
            strcat(names, " ");
        }
        closedir(dir);
    }
    str("readdir", names);
    err("rmdir_nonempty", rmdir("/tmp/work/sub") == 0);
    err("unlink", unlink("/tmp/work/sub/moved.txt") == 0);
    err("rmdir", rmdir("/tmp/work/sub") == 0);
    // What must be refused.
    err("write_etc", fopen("/etc/hostname", "w") != NULL);
    err("create_in_home", fopen("/home/wasm/notes.txt", "w") != NULL);
    err("mkdir_root", mkdir("/newdir", 0755) == 0);
    err("open_missing", fopen("/tmp/nope.txt", "r") != NULL);
    // Positional I/O, truncation, links, times, sync.
    fd = open("/tmp/p.bin", O_RDWR | O_CREAT, 0644);
    err("pwrite", pwrite(fd, "abcdef", 6, 10) == 6);
    char pbuf[4] = {0};
    err("pread", pread(fd, pbuf, 3, 11) == 3);
    str("pread_data", pbuf);
    err("ftruncate", ftruncate(fd, 4) == 0);
    struct stat pst;
    fstat(fd, &pst);
    num("size_after_ftruncate", (long) pst.st_size);
    err("fsync", fsync(fd) == 0);
    err("futimens", futimens(fd, NULL) == 0);
    close(fd);
    err("link", link("/tmp/p.bin", "/tmp/p-link.bin") == 0);
    stat("/tmp/p-link.bin", &pst);
    num("link_size", (long) pst.st_size);
    err("symlink", symlink("/tmp/p.bin", "/tmp/p-sym") == 0);
    char target[64];
    err("readlink", readlink("/tmp/p.bin", target, sizeof target) >= 0);
    err("utimensat_etc", utimensat(AT_FDCWD, "/etc/hostname", NULL, 0) == 0);
    // Randomness, scheduling, sockets.
    unsigned char entropy[16] = {0};
    err("getentropy", getentropy(entropy, sizeof entropy) == 0);
    int nonzero = 0;
    for (int i = 0; i < 16; i++) nonzero |= entropy[i];
    str("entropy_nonzero", nonzero ? "yes" : "no");
    err("sched_yield", sched_yield() == 0);
    err("send_on_stdout", send(1, "x", 1, 0) >= 0);
    // Clocks.
    struct timespec res;
    err("clock_getres", clock_getres(CLOCK_MONOTONIC, &res) == 0);
    struct timespec nap = {0, 2000000};
    struct timespec before, after;
    clock_gettime(CLOCK_MONOTONIC, &before);
    err("nanosleep", nanosleep(&nap, NULL) == 0);
    clock_gettime(CLOCK_MONOTONIC, &after);
    long slept = (after.tv_sec - before.tv_sec) * 1000000000L + (after.tv_nsec - before.tv_nsec);
    str("slept_2ms", slept >= 2000000 ? "yes" : "no");
    time_t now = time(NULL);
    str("clock_realtime", now > 1600000000 ? "ok" : "bad");
    struct timespec mono;
    clock_gettime(CLOCK_MONOTONIC, &mono);
    str("clock_monotonic", mono.tv_sec > 0 || mono.tv_nsec > 0 ? "ok" : "bad");
    puts("}");
    return 0;
}
