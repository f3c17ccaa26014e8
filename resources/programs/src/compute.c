// compute: runs a size-controlled amount of work. argv[1] is the number of rounds (default
// 1000); each round is a fixed block of integer arithmetic, so instructions grow linearly with it.
// Prints {"rounds":N,"checksum":X}.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    long rounds = argc > 1 ? atol(argv[1]) : 1000;
    uint64_t x = 0x9E3779B97F4A7C15ull, sum = 0;
    for (long r = 0; r < rounds; r++) {
        for (int i = 0; i < 16; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            sum += x * (uint64_t) (i + 1);
        }
    }
    printf("{\"rounds\":%ld,\"checksum\":%llu}\n", rounds, (unsigned long long) sum);
    return 0;
}
