// env_json: writes its whole environment as one JSON object on stdout, {"NAME":"value",...}, in
// the order the environment lists it, and ignores stdin. Lets a test see the variables a worker
// gave a job through a response_format that must be JSON (HTTPS calls answer Json).
#include <stdio.h>
#include <string.h>

extern char **environ;

static void put_escaped(const char *s, size_t len) {
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            putchar('\\');
            putchar(c);
        } else if (c < 0x20) {
            printf("\\u%04x", c);
        } else {
            putchar(c);
        }
    }
}

int main(void) {
    putchar('{');
    int first = 1;
    for (char **e = environ; *e; e++) {
        const char *eq = strchr(*e, '=');
        if (!eq) continue;
        if (!first) putchar(',');
        first = 0;
        putchar('"');
        put_escaped(*e, (size_t)(eq - *e));
        fputs("\":\"", stdout);
        put_escaped(eq + 1, strlen(eq + 1));
        putchar('"');
    }
    fputs("}\n", stdout);
    return 0;
}
