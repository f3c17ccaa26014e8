#include "rt.h"

/* Scratch register for host results; near-sdk uses ids near u64::MAX, any id works. */
#define REG 0

extern unsigned char __heap_base;
static u32 heap_top;

/* ---- memory: the compiler lowers struct copies and loops to these, so they must exist ---- */

/* Word-at-a-time when both pointers are 4-byte aligned: these run on every buffer copy. */
void *memcpy(void *dst, const void *src, unsigned long n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    if ((((u32)d | (u32)s) & 3) == 0) {
        for (; n >= 4; n -= 4, d += 4, s += 4) *(u32 *)d = *(const u32 *)s;
    }
    while (n--) *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, unsigned long n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d < s) return memcpy(dst, src, n);
    while (n--) d[n] = s[n];
    return dst;
}

void *memset(void *dst, int c, unsigned long n) {
    unsigned char *d = dst;
    u32 word = (u8)c * 0x01010101u;
    while (n && ((u32)d & 3)) {
        *d++ = (unsigned char)c;
        n--;
    }
    for (; n >= 4; n -= 4, d += 4) *(u32 *)d = word;
    while (n--) *d++ = (unsigned char)c;
    return dst;
}

int memcmp(const void *a, const void *b, unsigned long n) {
    const unsigned char *x = a, *y = b;
    for (unsigned long i = 0; i < n; i++) {
        if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
    }
    return 0;
}

void *rt_alloc(u32 n) {
    if (heap_top == 0) heap_top = (u32)&__heap_base;
    u32 start = (heap_top + 7u) & ~7u;
    u32 end = start + n;
    if (end < start) rt_panic("out of memory");
    u32 have = (u32)__builtin_wasm_memory_size(0) * 65536u;
    if (end > have) {
        u32 pages = (end - have + 65535u) / 65536u;
        /* memory.grow returns -1 when the host refuses (NEAR caps memory at 2048 pages) */
        if (__builtin_wasm_memory_grow(0, pages) == (unsigned long)-1) rt_panic("out of memory");
    }
    heap_top = end;
    return (void *)start;
}

u32 rt_strlen(const char *s) {
    u32 n = 0;
    while (s[n]) n++;
    return n;
}

int str_eq(str_t a, str_t b) {
    return a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0;
}

str_t str_c(const char *s) {
    return (str_t){s, rt_strlen(s)};
}

/* ---- buffer ---- */

buf_t buf_new(u32 cap) {
    if (cap < 16) cap = 16;
    return (buf_t){rt_alloc(cap), 0, cap};
}

static void buf_reserve(buf_t *b, u32 extra) {
    if (b->len + extra <= b->cap) return;
    u32 cap = b->cap * 2;
    while (cap < b->len + extra) cap *= 2;
    char *p = rt_alloc(cap);
    memcpy(p, b->ptr, b->len);
    b->ptr = p;
    b->cap = cap;
}

void buf_bytes(buf_t *b, const void *p, u32 n) {
    buf_reserve(b, n);
    memcpy(b->ptr + b->len, p, n);
    b->len += n;
}

void buf_byte(buf_t *b, char c) {
    buf_reserve(b, 1);
    b->ptr[b->len++] = c;
}

void buf_cstr(buf_t *b, const char *s) { buf_bytes(b, s, rt_strlen(s)); }

void buf_str(buf_t *b, str_t s) { buf_bytes(b, s.ptr, s.len); }

void buf_u64_dec(buf_t *b, u64 v) {
    char tmp[20];
    int i = 20;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    buf_bytes(b, tmp + i, (u32)(20 - i));
}

void buf_i64_dec(buf_t *b, i64 v) {
    if (v < 0) {
        buf_byte(b, '-');
        buf_u64_dec(b, (u64)0 - (u64)v);
    } else {
        buf_u64_dec(b, (u64)v);
    }
}

void buf_u128_dec(buf_t *b, u128 v) {
    /* long division by 10 over four 32-bit limbs: 128-bit division would need compiler-rt */
    u32 limb[4] = {(u32)v, (u32)(v >> 32), (u32)(v >> 64), (u32)(v >> 96)};
    char tmp[40];
    int i = 40;
    for (;;) {
        u64 rem = 0;
        int nonzero = 0;
        for (int k = 3; k >= 0; k--) {
            u64 cur = (rem << 32) | limb[k];
            limb[k] = (u32)(cur / 10);
            rem = cur % 10;
            nonzero |= limb[k] != 0;
        }
        tmp[--i] = (char)('0' + rem);
        if (!nonzero) break;
    }
    buf_bytes(b, tmp + i, (u32)(40 - i));
}

void buf_u32_le(buf_t *b, u32 v) {
    char t[4];
    for (int i = 0; i < 4; i++) t[i] = (char)(v >> (8 * i));
    buf_bytes(b, t, 4);
}

void buf_u64_le(buf_t *b, u64 v) {
    char t[8];
    for (int i = 0; i < 8; i++) t[i] = (char)(v >> (8 * i));
    buf_bytes(b, t, 8);
}

void buf_borsh_str(buf_t *b, str_t s) {
    buf_u32_le(b, s.len);
    buf_str(b, s);
}

str_t buf_view(const buf_t *b) { return (str_t){b->ptr, b->len}; }

u32 le_u32(const char *p) {
    const u8 *q = (const u8 *)p;
    return (u32)q[0] | (u32)q[1] << 8 | (u32)q[2] << 16 | (u32)q[3] << 24;
}

u64 le_u64(const char *p) { return (u64)le_u32(p) | (u64)le_u32(p + 4) << 32; }

u128 u128_mul_u64(u64 a, u64 b) {
    u64 a_lo = (u32)a, a_hi = a >> 32, b_lo = (u32)b, b_hi = b >> 32;
    u64 lo_lo = a_lo * b_lo, hi_lo = a_hi * b_lo, lo_hi = a_lo * b_hi, hi_hi = a_hi * b_hi;
    u64 cross = (lo_lo >> 32) + (u32)hi_lo + lo_hi;
    u64 lo = (cross << 32) | (u32)lo_lo;
    u64 hi = (hi_lo >> 32) + (cross >> 32) + hi_hi;
    return ((u128)hi << 64) | lo;
}

/* ---- stored values ---- */

void rt_corrupt_state(void) { rt_panic("Cannot deserialize the contract state."); }

u8 reader_u8(reader_t *r) {
    if (r->pos + 1 > r->data.len) rt_corrupt_state();
    return (u8)r->data.ptr[r->pos++];
}

u64 reader_u64(reader_t *r) {
    if (r->pos + 8 > r->data.len) rt_corrupt_state();
    u64 v = le_u64(r->data.ptr + r->pos);
    r->pos += 8;
    return v;
}

str_t reader_str(reader_t *r) {
    if (r->pos + 4 > r->data.len) rt_corrupt_state();
    u32 n = le_u32(r->data.ptr + r->pos);
    r->pos += 4;
    if (n > r->data.len - r->pos) rt_corrupt_state();
    str_t s = {r->data.ptr + r->pos, n};
    r->pos += n;
    return s;
}

/* ---- host wrappers ---- */

static str_t read_reg(void) {
    u64 len = register_len(REG);
    if (len == ~0ull) return (str_t){0, 0};
    char *p = rt_alloc((u32)len);
    read_register(REG, (u64)(u32)p);
    return (str_t){p, (u32)len};
}

str_t rt_input(void) {
    input(REG);
    return read_reg();
}

void rt_return(str_t v) { value_return(v.len, (u64)(u32)v.ptr); }

void rt_panic_str(str_t msg) { panic_utf8(msg.len, (u64)(u32)msg.ptr); }

void rt_panic(const char *msg) { rt_panic_str(str_c(msg)); }

void rt_log(str_t msg) { log_utf8(msg.len, (u64)(u32)msg.ptr); }

str_t rt_predecessor(void) {
    predecessor_account_id(REG);
    return read_reg();
}

str_t rt_current_account(void) {
    current_account_id(REG);
    return read_reg();
}

u128 rt_attached_deposit(void) {
    u8 le[16];
    attached_deposit((u64)(u32)le);
    u128 v = 0;
    for (int i = 15; i >= 0; i--) v = (v << 8) | le[i];
    return v;
}

u64 rt_storage_usage(void) { return storage_usage(); }

int rt_storage_read(str_t key, str_t *value) {
    if (storage_read(key.len, (u64)(u32)key.ptr, REG) != 1) return 0;
    *value = read_reg();
    return 1;
}

int rt_storage_write(str_t key, str_t value) {
    return storage_write(key.len, (u64)(u32)key.ptr, value.len, (u64)(u32)value.ptr, REG) == 1;
}

int rt_storage_remove(str_t key) {
    return storage_remove(key.len, (u64)(u32)key.ptr, REG) == 1;
}

int rt_storage_has(str_t key) { return storage_has_key(key.len, (u64)(u32)key.ptr) == 1; }

void rt_require_no_deposit(const char *method) {
    if (rt_attached_deposit() != 0) {
        buf_t m = buf_new(64);
        buf_cstr(&m, "Method ");
        buf_cstr(&m, method);
        buf_cstr(&m, " doesn't accept deposit");
        rt_panic_str(buf_view(&m));
    }
}
