/*
 * counter.test.near: the near-examples counter interface.
 *   get_num            view, returns the value as a JSON number
 *   increment {number?} adds number (default 1), logs "Increased number to N"
 *   decrement {number?} subtracts number (default 1), logs "Decreased number to N"
 *   reset              sets 0, logs "Reset counter to zero"
 * State: key "STATE" holds the value as a borsh i64 (8 bytes little-endian), the way near-sdk
 * stores a contract struct. near-examples stores an i8; see docs/bundled-contracts.md.
 */
#include "lib/json.h"

#define EXPORT(name) __attribute__((export_name(#name)))

static const str_t STATE_KEY = STR("STATE");

static i64 load(void) {
    str_t v;
    if (!rt_storage_read(STATE_KEY, &v)) return 0; /* near-sdk's Default state */
    if (v.len != 8) rt_panic("Cannot deserialize the contract state.");
    return (i64)le_u64(v.ptr);
}

static void save(i64 value) {
    buf_t b = buf_new(8);
    buf_u64_le(&b, (u64)value);
    rt_storage_write(STATE_KEY, buf_view(&b));
}

static void log_value(const char *prefix, i64 value) {
    buf_t m = buf_new(48);
    buf_cstr(&m, prefix);
    buf_i64_dec(&m, value);
    rt_log(buf_view(&m));
}

/* Optional {"number": n}; near-examples takes Option<i8>, here any i64 is accepted. */
static i64 step_arg(void) {
    str_t args = json_args(rt_input());
    i64 n = 1;
    optional_i64(args, "number", &n);
    return n;
}

EXPORT(get_num) void get_num(void) {
    buf_t b = buf_new(24);
    buf_i64_dec(&b, load());
    rt_return(buf_view(&b));
}

EXPORT(increment) void increment(void) {
    rt_require_no_deposit("increment");
    i64 n = step_arg();
    i64 value = load();
    i64 next;
    if (__builtin_add_overflow(value, n, &next)) rt_panic("attempt to add with overflow");
    save(next);
    log_value("Increased number to ", next);
}

EXPORT(decrement) void decrement(void) {
    rt_require_no_deposit("decrement");
    i64 n = step_arg();
    i64 value = load();
    i64 next;
    if (__builtin_sub_overflow(value, n, &next)) rt_panic("attempt to subtract with overflow");
    save(next);
    log_value("Decreased number to ", next);
}

EXPORT(reset) void reset(void) {
    rt_require_no_deposit("reset");
    save(0);
    rt_log(STR("Reset counter to zero"));
}
