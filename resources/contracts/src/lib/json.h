/*
 * Minimal JSON for contract arguments and results. Arguments are validated once as a whole
 * (json_args), then fields are looked up as raw text spans and converted on demand. Any error
 * panics with near-sdk's message "Failed to deserialize input from JSON." plus the reason.
 */
#ifndef JSON_H
#define JSON_H

#include "rt.h"

#define JSON_ARGS_ERROR "Failed to deserialize input from JSON."

/* Validates `input` as one JSON object (empty input counts as {}); returns its text. */
str_t json_args(str_t input);

/* Raw text of `key`'s value inside a validated object; 0 when absent. */
int json_field(str_t obj, const char *key, str_t *value);

int json_is_null(str_t value);
int json_is_object(str_t value);
int json_is_array(str_t value);

/*
 * Walks a validated array's elements: start with *pos = 0; each call puts the next element's raw text in
 * `element` and returns 1, then 0 after the last. `array` must be an array (json_is_array).
 */
int json_array_next(str_t array, u32 *pos, str_t *element);

/* The same over a validated object's members: each call puts the next member's decoded key and raw value. */
int json_object_next(str_t obj, u32 *pos, str_t *key, str_t *value);

/* Converters: panic naming `field` when the value has the wrong type. */
str_t json_string(str_t value, const char *field);
i64 json_i64(str_t value, const char *field);
u64 json_u64(str_t value, const char *field);
u128 json_u128_string(str_t value, const char *field); /* near-sdk U128: a decimal string */

/* Field shortcuts. `required_*` panic "missing field `x`"; `optional_*` return 0 when absent or null. */
str_t required_string(str_t obj, const char *key);
str_t json_account(str_t value, const char *field);     /* a near-sdk AccountId */
str_t required_account(str_t obj, const char *key);
int optional_string(str_t obj, const char *key, str_t *out);
int optional_i64(str_t obj, const char *key, i64 *out);
int optional_u64(str_t obj, const char *key, u64 *out);
int optional_u128_string(str_t obj, const char *key, u128 *out);

__attribute__((noreturn)) void json_fail(const char *reason, const char *field);

/* Writer helpers (serde_json's escaping: quote, backslash and control characters). */
void json_write_string(buf_t *b, str_t s);
void json_write_key(buf_t *b, const char *key); /* "key": */

#endif
