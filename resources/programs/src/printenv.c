// printenv: like coreutils printenv. With names, prints each one's value on its own line and
// exits 1 if any is unset; without, prints every NAME=value of the environment.
#include <stdio.h>
#include <stdlib.h>

extern char **environ;

int main(int argc, char **argv) {
    if (argc < 2) {
        for (char **e = environ; *e; e++) puts(*e);
        return 0;
    }
    int missing = 0;
    for (int i = 1; i < argc; i++) {
        const char *value = getenv(argv[i]);
        if (value) {
            puts(value);
        } else {
            missing = 1;
        }
    }
    return missing;
}
