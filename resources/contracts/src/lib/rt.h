/*
 * Tiny runtime shared by the bundled contracts: memory functions the compiler may call, a bump
 * allocator (NEAR gives every call a fresh instance, so nothing is ever freed), a growable byte
 * buffer, and thin wrappers over the NEAR host functions.
 */
#ifndef RT_H
#define RT_H

#include "near_env.h"

typedef struct {
    const char *ptr;
    u32 len;
} str_t;

#define STR(lit) ((str_t){(lit), sizeof(lit) - 1})

/* memory */
void *memcpy(void *dst, const void *src, unsigned long n);
void *memmove(void *dst, const void *src, unsigned long n);
void *memset(void *dst, int c, unsigned long n);
int memcmp(const void *a, const void *b, unsigned long n);
void *rt_alloc(u32 n);
u32 rt_strlen(const char *s);
int str_eq(str_t a, str_t b);
str_t str_c(const char *s);

/* growable byte buffer, used for JSON output, borsh values and storage keys */
typedef struct {
    char *ptr;
    u32 len;
    u32 cap;
} buf_t;

buf_t buf_new(u32 cap);
void buf_bytes(buf_t *b, const void *p, u32 n);
void buf_byte(buf_t *b, char c);
void buf_cstr(buf_t *b, const char *s);
void buf_str(buf_t *b, str_t s);
void buf_u64_dec(buf_t *b, u64 v);
void buf_i64_dec(buf_t *b, i64 v);
void buf_u128_dec(buf_t *b, u128 v);
void buf_u32_le(buf_t *b, u32 v);
void buf_u64_le(buf_t *b, u64 v);
void buf_borsh_str(buf_t *b, str_t s); /* u32 LE length + bytes, like borsh String */
str_t buf_view(const buf_t *b);

/* little-endian decoding */
u32 le_u32(const char *p);
u64 le_u64(const char *p);

/* u128 helpers that avoid compiler-rt (no libc, no builtins library is linked) */
u128 u128_mul_u64(u64 a, u64 b);

/* reading a stored value: fields in order, panicking on a short or malformed value */
typedef struct {
    str_t data;
    u32 pos;
} reader_t;

__attribute__((noreturn)) void rt_corrupt_state(void);
u8 reader_u8(reader_t *r);
u64 reader_u64(reader_t *r);
str_t reader_str(reader_t *r); /* borsh String: u32 LE length + bytes */

/* host wrappers */
str_t rt_input(void);
void rt_return(str_t value);
__attribute__((noreturn)) void rt_panic(const char *msg);
__attribute__((noreturn)) void rt_panic_str(str_t msg);
void rt_log(str_t msg);
str_t rt_predecessor(void);
str_t rt_current_account(void);
u128 rt_attached_deposit(void);
u64 rt_storage_usage(void);
int rt_storage_read(str_t key, str_t *value);
int rt_storage_write(str_t key, str_t value);
int rt_storage_remove(str_t key);
int rt_storage_has(str_t key);

/* near-sdk refuses a deposit on a non-payable change method with this message */
void rt_require_no_deposit(const char *method);

#endif
