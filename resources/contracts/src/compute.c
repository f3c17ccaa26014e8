/*
 * compute.test.near: CPU-bound work of a chosen size for the "complex" workloads. All work runs
 * in wasm (no host crypto), so its cost is instructions, and each call stores its result.
 *   compute {n}  n rounds of SHA-256: d0 = 32 zero bytes, d(i+1) = sha256(d(i)); returns
 *                {"method":"compute","n":n,"result":"<hex of d(n)>"}
 *   sieve {n}    counts primes <= n with a sieve of Eratosthenes over n+1 bytes of linear memory
 *                (n <= 100,000,000); returns {"method":"sieve","n":n,"result":<count>}
 *   matmul {n}   multiplies two n x n u32 matrices (a[i][j] = i*31 + j*17 + 1,
 *                b[i][j] = i*7 + j*13 + 3, arithmetic mod 2^32; n <= 1024) and returns the
 *                FNV-1a 32-bit hash of the product's words, row-major, little-endian:
 *                {"method":"matmul","n":n,"result":<hash>}
 *   get_last     view: the last result object, or null
 * Every change method logs "<method> n=<n>" and writes its result under the key "LAST".
 */
#include "lib/json.h"
#include "lib/sha256.h"

#define EXPORT(name) __attribute__((export_name(#name)))

static const str_t LAST_KEY = STR("LAST");

static u64 size_arg(const char *method, u64 max) {
    rt_require_no_deposit(method);
    str_t args = json_args(rt_input());
    str_t raw;
    if (!json_field(args, "n", &raw)) json_fail("missing field", "n");
    u64 n = json_u64(raw, "n");
    if (n > max) {
        buf_t m = buf_new(64);
        buf_cstr(&m, "n must be at most ");
        buf_u64_dec(&m, max);
        rt_panic_str(buf_view(&m));
    }
    return n;
}

/* Stores, logs and returns {"method":..,"n":..,"result":<result_json>}. */
static void finish(const char *method, u64 n, str_t result_json) {
    buf_t out = buf_new(result_json.len + 64);
    buf_cstr(&out, "{\"method\":\"");
    buf_cstr(&out, method);
    buf_cstr(&out, "\",\"n\":");
    buf_u64_dec(&out, n);
    buf_cstr(&out, ",\"result\":");
    buf_str(&out, result_json);
    buf_byte(&out, '}');
    rt_storage_write(LAST_KEY, buf_view(&out));

    buf_t log = buf_new(48);
    buf_cstr(&log, method);
    buf_cstr(&log, " n=");
    buf_u64_dec(&log, n);
    rt_log(buf_view(&log));
    rt_return(buf_view(&out));
}

EXPORT(compute) void compute(void) {
    u64 n = size_arg("compute", ~0ull);
    u8 digest[32];
    memset(digest, 0, sizeof digest);
    for (u64 i = 0; i < n; i++) sha256_digest(digest, 32, digest);
    static const char hex[] = "0123456789abcdef";
    buf_t r = buf_new(68);
    buf_byte(&r, '"');
    for (int i = 0; i < 32; i++) {
        buf_byte(&r, hex[digest[i] >> 4]);
        buf_byte(&r, hex[digest[i] & 15]);
    }
    buf_byte(&r, '"');
    finish("compute", n, buf_view(&r));
}

EXPORT(sieve) void sieve(void) {
    u64 n = size_arg("sieve", 100000000ull);
    u32 count = 0;
    if (n >= 2) {
        u8 *composite = rt_alloc((u32)n + 1);
        memset(composite, 0, (u32)n + 1);
        for (u32 i = 2; (u64)i * i <= n; i++) {
            if (composite[i]) continue;
            for (u32 j = i * i; j <= n; j += i) composite[j] = 1;
        }
        for (u32 i = 2; i <= n; i++) count += !composite[i];
    }
    buf_t r = buf_new(16);
    buf_u64_dec(&r, count);
    finish("sieve", n, buf_view(&r));
}

EXPORT(matmul) void matmul(void) {
    u32 n = (u32)size_arg("matmul", 1024);
    u32 *a = rt_alloc(n * n * 4), *b = rt_alloc(n * n * 4);
    for (u32 i = 0; i < n; i++) {
        for (u32 j = 0; j < n; j++) {
            a[i * n + j] = i * 31 + j * 17 + 1;
            b[i * n + j] = i * 7 + j * 13 + 3;
        }
    }
    u32 hash = 2166136261u;
    for (u32 i = 0; i < n; i++) {
        for (u32 j = 0; j < n; j++) {
            u32 sum = 0;
            for (u32 k = 0; k < n; k++) sum += a[i * n + k] * b[k * n + j];
            for (int byte = 0; byte < 4; byte++) {
                hash ^= (sum >> (8 * byte)) & 0xFF;
                hash *= 16777619u;
            }
        }
    }
    buf_t r = buf_new(16);
    buf_u64_dec(&r, hash);
    finish("matmul", n, buf_view(&r));
}

EXPORT(get_last) void get_last(void) {
    str_t v;
    rt_return(rt_storage_read(LAST_KEY, &v) ? v : STR("null"));
}
