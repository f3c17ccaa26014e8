/*
 * outlayer.test.near: the execution lifecycle of OutLayer's contract (fastnear/near-outlayer,
 * contract/src/execution.rs, events.rs, views.rs on branch main), our own source with its
 * method names, argument JSON, deposits and refunds, NEP-297 events and yield/resume use:
 *
 *   request_execution (payable)  -> execution_requested event + promise_yield_create
 *   resolve_execution (operator) -> promise_yield_resume(data_id, response)
 *   submit_execution_output[_and_resolve] (operator) -> large output kept in state
 *   on_execution_response (private callback) -> settles payment, returns the output
 *   cancel_stale_execution (sender, after 10 minutes) -> refunds the whole payment
 *   store_secrets, update_access (System(PaymentKey) only), ft_on_transfer, delete_payment_key -> system_event + yields
 *   resumed by the operator (resume_topup, resume_delete_payment_key), payment.rs / secrets.rs
 *   ft_on_transfer deposit_balance, request_execution's attached_usd, withdraw_developer_earnings
 *   -> stablecoin balances and developer earnings (payment.rs, execution.rs, lib.rs)
 *
 * What it leaves out is listed in README.md next to this file.
 *
 * State (integers little-endian, strings borsh: u32 length + bytes):
 *   "STATE"     owner, operator, paused u8, event standard, event version, base fee u128,
 *               per-million-instructions fee u128, per-ms fee u128, per-compile-ms fee u128,
 *               next request id u64, total executions u64, total fees collected u128
 *   "R" + u64   a pending request (see request_t)
 *   "NP", "P" + project id, "V" + uuid + version key   projects and their versions (see project_t)
 *   "K" + owner + ":" + nonce   a payment key secret, its nonce in decimal (see secret_t, canonical_profile);
 *               "PT" the payment token contract
 *   "I" + owner   the nonces of the owner's payment keys (u32 each, in no order): user_secrets_index's payment keys
 *   "B" + account   its stablecoin balance (u128); "E" + account   its developer earnings (u128)
 */
#include "../src/lib/json.h"

#define EXPORT(name) __attribute__((export_name(#name)))

/* lib.rs constants */
#define DATA_ID_REGISTER 37
#define RESULT_REGISTER 1
static const u64 MIN_RESPONSE_GAS = 50000000000000ull;       /* 50 Tgas */
static const u64 GAS_WEIGHT_DEFAULT = 1;                     /* near-sdk GasWeight::default() */
static const u64 EXECUTION_TIMEOUT = 600ull * 1000000000ull; /* 10 minutes, ns */
static const u64 MAX_INSTRUCTIONS = 500000000000ull;
static const u64 MAX_EXECUTION_SECONDS = 180;
static const u64 MAX_COMPILATION_SECONDS = 300;
static const u32 INPUT_DATA_EVENT_THRESHOLD = 10000;
static const u64 DEFAULT_MAX_INSTRUCTIONS = 1000000000ull;
static const u64 DEFAULT_MAX_MEMORY_MB = 128;
static const u64 DEFAULT_MAX_EXECUTION_SECONDS = 60;

/* ---------- binary helpers ---------- */

static u128 read_u128(reader_t *r) {
    u64 lo = reader_u64(r);
    u64 hi = reader_u64(r);
    return ((u128)hi << 64) | lo;
}

static void buf_u128_le(buf_t *b, u128 v) {
    buf_u64_le(b, (u64)v);
    buf_u64_le(b, (u64)(v >> 64));
}

/* low 128 bits of a * b, as Rust's u128 multiplication of fee by count */
static u128 mul_u128_u64(u128 a, u64 b) {
    return u128_mul_u64((u64)a, b) + ((u128)((u64)(a >> 64) * b) << 64);
}

static u128 saturating_sub(u128 a, u128 b) { return a > b ? a - b : 0; }

/* ---------- contract state ---------- */

typedef struct {
    str_t owner_id;
    str_t operator_id;
    u8 paused;
    str_t event_standard;
    str_t event_version;
    u128 base_fee;
    u128 per_million_instructions_fee;
    u128 per_ms_fee;
    u128 per_compile_ms_fee;
    u64 next_request_id;
    u64 total_executions;
    u128 total_fees_collected;
} state_t;

static const str_t STATE_KEY = STR("STATE");

static state_t load_state(void) {
    str_t raw;
    if (!rt_storage_read(STATE_KEY, &raw)) rt_panic("The contract is not initialized");
    reader_t r = {raw, 0};
    state_t s;
    s.owner_id = reader_str(&r);
    s.operator_id = reader_str(&r);
    s.paused = reader_u8(&r);
    s.event_standard = reader_str(&r);
    s.event_version = reader_str(&r);
    s.base_fee = read_u128(&r);
    s.per_million_instructions_fee = read_u128(&r);
    s.per_ms_fee = read_u128(&r);
    s.per_compile_ms_fee = read_u128(&r);
    s.next_request_id = reader_u64(&r);
    s.total_executions = reader_u64(&r);
    s.total_fees_collected = read_u128(&r);
    return s;
}

static void save_state(const state_t *s) {
    buf_t b = buf_new(256);
    buf_borsh_str(&b, s->owner_id);
    buf_borsh_str(&b, s->operator_id);
    buf_byte(&b, (char)s->paused);
    buf_borsh_str(&b, s->event_standard);
    buf_borsh_str(&b, s->event_version);
    buf_u128_le(&b, s->base_fee);
    buf_u128_le(&b, s->per_million_instructions_fee);
    buf_u128_le(&b, s->per_ms_fee);
    buf_u128_le(&b, s->per_compile_ms_fee);
    buf_u64_le(&b, s->next_request_id);
    buf_u64_le(&b, s->total_executions);
    buf_u128_le(&b, s->total_fees_collected);
    rt_storage_write(STATE_KEY, buf_view(&b));
}

/* ---------- pending requests ---------- */

enum { OUT_NONE = 0, OUT_BYTES = 1, OUT_TEXT = 2, OUT_JSON = 3 };

/* ExecutionRequest; the JSON members are kept canonical (serde's output) so views print them. */
typedef struct {
    u64 request_id;
    const char *data_id; /* 32 bytes */
    str_t sender_id;     /* the predecessor: it may cancel */
    str_t payer_account_id;
    u128 payment;
    u64 timestamp;
    str_t execution_source_json;
    str_t resolved_source_json;
    str_t resource_limits_json;
    str_t secrets_ref_json; /* "null" or the object */
    str_t response_format;  /* Bytes, Text or Json */
    u8 has_input_data;
    str_t input_data;
    u8 output_submitted;
    u8 output_kind;
    str_t output; /* Bytes: raw bytes; Text: UTF-8; Json: the value's JSON text */
    u128 attached_usd; /* taken from sender_id's stablecoin balance for the project's owner */
} request_t;

static str_t request_key(u64 request_id) {
    buf_t k = buf_new(9);
    buf_byte(&k, 'R');
    buf_u64_le(&k, request_id);
    return buf_view(&k);
}

static int load_request(u64 request_id, request_t *q) {
    str_t raw;
    if (!rt_storage_read(request_key(request_id), &raw)) return 0;
    reader_t r = {raw, 0};
    q->request_id = reader_u64(&r);
    if (r.pos + 32 > raw.len) rt_corrupt_state();
    q->data_id = raw.ptr + r.pos;
    r.pos += 32;
    q->sender_id = reader_str(&r);
    q->payer_account_id = reader_str(&r);
    q->payment = read_u128(&r);
    q->timestamp = reader_u64(&r);
    q->execution_source_json = reader_str(&r);
    q->resolved_source_json = reader_str(&r);
    q->resource_limits_json = reader_str(&r);
    q->secrets_ref_json = reader_str(&r);
    q->response_format = reader_str(&r);
    q->has_input_data = reader_u8(&r);
    q->input_data = reader_str(&r);
    q->output_submitted = reader_u8(&r);
    q->output_kind = reader_u8(&r);
    q->output = reader_str(&r);
    q->attached_usd = read_u128(&r);
    return 1;
}

static void save_request(const request_t *q) {
    buf_t b = buf_new(256 + q->input_data.len + q->output.len);
    buf_u64_le(&b, q->request_id);
    buf_bytes(&b, q->data_id, 32);
    buf_borsh_str(&b, q->sender_id);
    buf_borsh_str(&b, q->payer_account_id);
    buf_u128_le(&b, q->payment);
    buf_u64_le(&b, q->timestamp);
    buf_borsh_str(&b, q->execution_source_json);
    buf_borsh_str(&b, q->resolved_source_json);
    buf_borsh_str(&b, q->resource_limits_json);
    buf_borsh_str(&b, q->secrets_ref_json);
    buf_borsh_str(&b, q->response_format);
    buf_byte(&b, (char)q->has_input_data);
    buf_borsh_str(&b, q->input_data);
    buf_byte(&b, (char)q->output_submitted);
    buf_byte(&b, (char)q->output_kind);
    buf_borsh_str(&b, q->output);
    buf_u128_le(&b, q->attached_usd);
    rt_storage_write(request_key(q->request_id), buf_view(&b));
}

static request_t require_request(u64 request_id) {
    request_t q;
    if (!load_request(request_id, &q)) rt_panic("Execution request not found");
    return q;
}

/* ---------- host helpers ---------- */

static str_t read_register_str(u64 reg) {
    u64 len = register_len(reg);
    if (len == ~0ull) return (str_t){0, 0};
    char *p = rt_alloc((u32)len);
    read_register(reg, (u64)(u32)p);
    return (str_t){p, (u32)len};
}

static str_t rt_signer(void) {
    signer_account_id(RESULT_REGISTER);
    return read_register_str(RESULT_REGISTER);
}

static void transfer(str_t receiver, u128 amount) {
    u8 le[16];
    for (int i = 0; i < 16; i++) le[i] = (u8)(amount >> (8 * i));
    u64 promise = promise_batch_create(receiver.len, (u64)(u32)receiver.ptr);
    promise_batch_action_transfer(promise, (u64)(u32)le);
}

static void log_buf(buf_t *b) { rt_log(buf_view(b)); }

/* near-sdk's assert_eq!(left, right, msg) panic text, account ids printed with {:?} */
__attribute__((noreturn)) static void assert_eq_failed(const char *msg, str_t left, str_t right) {
    buf_t m = buf_new(128);
    buf_cstr(&m, "assertion `left == right` failed: ");
    buf_cstr(&m, msg);
    buf_cstr(&m, "\n  left: ");
    json_write_string(&m, left);
    buf_cstr(&m, "\n right: ");
    json_write_string(&m, right);
    rt_panic_str(buf_view(&m));
}

static void assert_operator(const state_t *s) {
    str_t predecessor = rt_predecessor();
    if (!str_eq(predecessor, s->operator_id)) assert_eq_failed("Only operator can call this", predecessor, s->operator_id);
}

static void assert_private(const char *method) {
    if (!str_eq(rt_predecessor(), rt_current_account())) {
        buf_t m = buf_new(64);
        buf_cstr(&m, "Method ");
        buf_cstr(&m, method);
        buf_cstr(&m, " is private");
        rt_panic_str(buf_view(&m));
    }
}

/* Rust's {:?} of a [u8; 32]: "[1, 2, 3]" */
static void buf_bytes_debug(buf_t *b, const char *bytes, u32 n) {
    buf_byte(b, '[');
    for (u32 i = 0; i < n; i++) {
        if (i) buf_cstr(b, ", ");
        buf_u64_dec(b, (u8)bytes[i]);
    }
    buf_byte(b, ']');
}

/* serde's [u8; 32]: "[1,2,3]" */
static void json_write_byte_array(buf_t *b, const char *bytes, u32 n) {
    buf_byte(b, '[');
    for (u32 i = 0; i < n; i++) {
        if (i) buf_byte(b, ',');
        buf_u64_dec(b, (u8)bytes[i]);
    }
    buf_byte(b, ']');
}

static void json_write_u128_string(buf_t *b, u128 v) {
    buf_byte(b, '"');
    buf_u128_dec(b, v);
    buf_byte(b, '"');
}

static void json_write_optional_u64(buf_t *b, int present, u64 v) {
    if (present) {
        buf_u64_dec(b, v);
    } else {
        buf_cstr(b, "null");
    }
}

static void json_write_optional_string(buf_t *b, int present, str_t s) {
    if (present) {
        json_write_string(b, s);
    } else {
        buf_cstr(b, "null");
    }
}

/* serde_json's compact form of an already validated value: whitespace outside strings dropped */
static str_t json_compact(str_t v) {
    buf_t out = buf_new(v.len);
    int in_string = 0;
    for (u32 i = 0; i < v.len; i++) {
        char c = v.ptr[i];
        if (in_string) {
            buf_byte(&out, c);
            if (c == '\\' && i + 1 < v.len) {
                buf_byte(&out, v.ptr[++i]);
            } else if (c == '"') {
                in_string = 0;
            }
        } else if (c == '"') {
            in_string = 1;
            buf_byte(&out, c);
        } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            buf_byte(&out, c);
        }
    }
    return buf_view(&out);
}

static int json_bool(str_t v, const char *field) {
    if (v.len == 4 && memcmp(v.ptr, "true", 4) == 0) return 1;
    if (v.len == 5 && memcmp(v.ptr, "false", 5) == 0) return 0;
    json_fail("invalid type: expected a boolean for field", field);
}

static int optional_bool(str_t obj, const char *key, int fallback) {
    str_t v;
    if (!json_field(obj, key, &v) || json_is_null(v)) return fallback;
    return json_bool(v, key);
}

static str_t required_value(str_t obj, const char *key) {
    str_t v;
    if (!json_field(obj, key, &v)) json_fail("missing field", key);
    return v;
}

static u64 required_u64(str_t obj, const char *key) { return json_u64(required_value(obj, key), key); }

/* An externally tagged serde enum {"Variant": {...}}: the variant name and its body. */
static str_t enum_variant_of(str_t v, const char *field, const char *const *names, u32 count, str_t *body) {
    if (!json_is_object(v)) json_fail("invalid type: expected an externally tagged enum for field", field);
    /* exactly one member */
    int found = 0;
    str_t name = {0, 0};
    for (u32 i = 0; i < count; i++) {
        str_t b;
        if (json_field(v, names[i], &b)) {
            found++;
            name = str_c(names[i]);
            *body = b;
        }
    }
    if (found != 1) json_fail("invalid value: expected exactly one known enum variant for field", field);
    return name;
}

static str_t enum_variant(str_t v, const char *field, str_t *body) {
    static const char *const names[] = {"GitHub", "WasmUrl", "Project", "Bytes", "Text", "Json"};
    return enum_variant_of(v, field, names, sizeof names / sizeof names[0], body);
}

/* ---------- argument types ---------- */

/* CodeSource, canonical: {"GitHub":{"repo","commit","build_target"}} or {"WasmUrl":{"url","hash","build_target"}} */
static str_t code_source_json(str_t v, const char *field) {
    str_t body;
    str_t kind = enum_variant(v, field, &body);
    buf_t out = buf_new(v.len + 64);
    buf_cstr(&out, "{");
    json_write_string(&out, kind);
    buf_cstr(&out, ":{");
    if (str_eq(kind, STR("GitHub"))) {
        json_write_key(&out, "repo");
        json_write_string(&out, required_string(body, "repo"));
        buf_byte(&out, ',');
        json_write_key(&out, "commit");
        json_write_string(&out, required_string(body, "commit"));
    } else if (str_eq(kind, STR("WasmUrl"))) {
        json_write_key(&out, "url");
        json_write_string(&out, required_string(body, "url"));
        buf_byte(&out, ',');
        json_write_key(&out, "hash");
        json_write_string(&out, required_string(body, "hash"));
    } else {
        json_fail("unknown variant for field", field);
    }
    buf_byte(&out, ',');
    json_write_key(&out, "build_target");
    str_t target;
    json_write_optional_string(&out, optional_string(body, "build_target", &target), target);
    buf_cstr(&out, "}}");
    return buf_view(&out);
}

typedef struct {
    int has_instructions, has_memory, has_seconds;
    u64 max_instructions, max_memory_mb, max_execution_seconds;
} limits_t;

static limits_t default_limits(void) {
    return (limits_t){1, 1, 1, DEFAULT_MAX_INSTRUCTIONS, DEFAULT_MAX_MEMORY_MB, DEFAULT_MAX_EXECUTION_SECONDS};
}

static limits_t parse_limits(str_t v) {
    if (!json_is_object(v)) json_fail("invalid type: expected a map for field", "resource_limits");
    limits_t l = {0, 0, 0, 0, 0, 0};
    l.has_instructions = optional_u64(v, "max_instructions", &l.max_instructions);
    l.has_memory = optional_u64(v, "max_memory_mb", &l.max_memory_mb);
    if (l.has_memory && l.max_memory_mb > 0xFFFFFFFFull) json_fail("number out of range for field", "max_memory_mb");
    l.has_seconds = optional_u64(v, "max_execution_seconds", &l.max_execution_seconds);
    return l;
}

static str_t limits_json(const limits_t *l) {
    buf_t out = buf_new(96);
    buf_byte(&out, '{');
    json_write_key(&out, "max_instructions");
    json_write_optional_u64(&out, l->has_instructions, l->max_instructions);
    buf_byte(&out, ',');
    json_write_key(&out, "max_memory_mb");
    json_write_optional_u64(&out, l->has_memory, l->max_memory_mb);
    buf_byte(&out, ',');
    json_write_key(&out, "max_execution_seconds");
    json_write_optional_u64(&out, l->has_seconds, l->max_execution_seconds);
    buf_byte(&out, '}');
    return buf_view(&out);
}

/* estimate_cost: the worst case of the limits (defaults for absent ones) */
static u128 estimate_cost(const state_t *s, const limits_t *l) {
    u64 instructions = l->has_instructions ? l->max_instructions : DEFAULT_MAX_INSTRUCTIONS;
    u64 seconds = l->has_seconds ? l->max_execution_seconds : DEFAULT_MAX_EXECUTION_SECONDS;
    return s->base_fee + mul_u128_u64(s->per_million_instructions_fee, instructions / 1000000)
           + mul_u128_u64(s->per_ms_fee, seconds * 1000);
}

typedef struct {
    u64 instructions;
    u64 time_ms;
    int has_compile_time;
    u64 compile_time_ms;
} metrics_t;

static metrics_t parse_metrics(str_t v) {
    if (!json_is_object(v)) json_fail("invalid type: expected a map for field", "resources_used");
    metrics_t m;
    m.instructions = required_u64(v, "instructions");
    m.time_ms = required_u64(v, "time_ms");
    m.has_compile_time = optional_u64(v, "compile_time_ms", &m.compile_time_ms);
    return m;
}

static void metrics_write(buf_t *b, const metrics_t *m) {
    buf_byte(b, '{');
    json_write_key(b, "instructions");
    buf_u64_dec(b, m->instructions);
    buf_byte(b, ',');
    json_write_key(b, "time_ms");
    buf_u64_dec(b, m->time_ms);
    buf_byte(b, ',');
    json_write_key(b, "compile_time_ms");
    json_write_optional_u64(b, m->has_compile_time, m->compile_time_ms);
    buf_byte(b, '}');
}

/* calculate_cost: base + instructions + execution time + compilation time */
static u128 calculate_cost(const state_t *s, const metrics_t *m) {
    u128 cost = s->base_fee + mul_u128_u64(s->per_million_instructions_fee, m->instructions / 1000000)
                + mul_u128_u64(s->per_ms_fee, m->time_ms);
    if (m->has_compile_time) cost += mul_u128_u64(s->per_compile_ms_fee, m->compile_time_ms);
    return cost;
}

/* ExecutionOutput {"Bytes":[..]} | {"Text":".."} | {"Json":value}, kept as (kind, bytes). */
static u8 parse_output(str_t v, str_t *out) {
    str_t body;
    str_t kind = enum_variant(v, "output", &body);
    if (str_eq(kind, STR("Text"))) {
        *out = json_string(body, "Text");
        return OUT_TEXT;
    }
    if (str_eq(kind, STR("Json"))) {
        *out = json_compact(body);
        return OUT_JSON;
    }
    if (str_eq(kind, STR("Bytes"))) {
        /* a list of u8 */
        if (body.len == 0 || body.ptr[0] != '[') json_fail("invalid type: expected a sequence for field", "Bytes");
        buf_t bytes = buf_new(body.len / 2);
        u32 i = 1;
        while (i < body.len) {
            char c = body.ptr[i];
            if (c >= '0' && c <= '9') {
                u32 start = i;
                while (i < body.len && body.ptr[i] >= '0' && body.ptr[i] <= '9') i++;
                u64 n = json_u64((str_t){body.ptr + start, i - start}, "Bytes");
                if (n > 255) json_fail("number out of range for field", "Bytes");
                buf_byte(&bytes, (char)n);
            } else if (c == ',' || c == ' ' || c == ']' || c == '\n' || c == '\t' || c == '\r') {
                i++;
            } else {
                json_fail("invalid type: expected u8 for field", "Bytes");
            }
        }
        *out = buf_view(&bytes);
        return OUT_BYTES;
    }
    json_fail("unknown variant for field", "output");
}

static const char *output_kind_name(u8 kind) {
    return kind == OUT_BYTES ? "Bytes" : kind == OUT_TEXT ? "Text" : "Json";
}

/* ExecutionOutput as serde writes it */
static void output_write(buf_t *b, u8 kind, str_t data) {
    buf_byte(b, '{');
    json_write_key(b, output_kind_name(kind));
    if (kind == OUT_TEXT) {
        json_write_string(b, data);
    } else if (kind == OUT_JSON) {
        buf_str(b, data);
    } else {
        json_write_byte_array(b, data.ptr, data.len);
    }
    buf_byte(b, '}');
}

/* ---------- events (events.rs: NEP-297 with the contract's standard and version) ---------- */

static void emit_event(const state_t *s, const char *event, str_t data) {
    buf_t m = buf_new(data.len + 128);
    buf_cstr(&m, "EVENT_JSON:{\"standard\":");
    json_write_string(&m, s->event_standard);
    buf_cstr(&m, ",\"version\":");
    json_write_string(&m, s->event_version);
    buf_cstr(&m, ",\"event\":\"");
    buf_cstr(&m, event);
    buf_cstr(&m, "\",\"data\":[");
    buf_str(&m, data);
    buf_cstr(&m, "]}");
    rt_log(buf_view(&m));
}

static void emit_execution_completed(const state_t *s, str_t sender_id, str_t code_source, const metrics_t *m,
                                     int success, int has_error, str_t error, u128 charged, u128 refunded,
                                     int has_note, str_t note) {
    buf_t d = buf_new(256 + code_source.len + error.len + note.len);
    buf_byte(&d, '{');
    json_write_key(&d, "sender_id");
    json_write_string(&d, sender_id);
    buf_byte(&d, ',');
    json_write_key(&d, "code_source");
    buf_str(&d, code_source);
    buf_byte(&d, ',');
    json_write_key(&d, "resources_used");
    metrics_write(&d, m);
    buf_byte(&d, ',');
    json_write_key(&d, "success");
    buf_cstr(&d, success ? "true" : "false");
    buf_byte(&d, ',');
    json_write_key(&d, "error_message");
    json_write_optional_string(&d, has_error, error);
    buf_byte(&d, ',');
    json_write_key(&d, "payment_charged");
    json_write_u128_string(&d, charged);
    buf_byte(&d, ',');
    json_write_key(&d, "payment_refunded");
    json_write_u128_string(&d, refunded);
    buf_byte(&d, ',');
    json_write_key(&d, "compilation_note");
    json_write_optional_string(&d, has_note, note);
    buf_byte(&d, ',');
    json_write_key(&d, "timestamp");
    buf_u64_dec(&d, block_timestamp());
    buf_byte(&d, '}');
    emit_event(s, "execution_completed", buf_view(&d));
}

static void log_charged(u128 amount) {
    buf_t m = buf_new(64);
    buf_cstr(&m, "[[yNEAR charged: \"");
    buf_u128_dec(&m, amount);
    buf_cstr(&m, "\"]]");
    log_buf(&m);
}

/* ---------- init ---------- */

EXPORT(new) void outlayer_new(void) {
    rt_require_no_deposit("new");
    if (rt_storage_has(STATE_KEY)) rt_panic("The contract has already been initialized");
    str_t args = json_args(rt_input());
    state_t s;
    s.owner_id = required_account(args, "owner_id");
    str_t v;
    s.operator_id = json_field(args, "operator_id", &v) && !json_is_null(v) ? json_account(v, "operator_id") : s.owner_id;
    s.paused = 0;
    if (!optional_string(args, "event_standard", &s.event_standard)) s.event_standard = STR("near-outlayer");
    if (!optional_string(args, "event_version", &s.event_version)) s.event_version = STR("1.0.0");
    s.base_fee = u128_mul_u64(1000000000000000000ull, 1000); /* 10^21: 0.001 NEAR (does not fit a u64) */
    s.per_million_instructions_fee = 100000000000000ull;  /* 10^14 */
    s.per_ms_fee = 100000000000000000ull;                 /* 10^17: 0.0001 NEAR per second */
    s.per_compile_ms_fee = 100000000000000000ull;         /* 10^17 */
    s.next_request_id = 0;
    s.total_executions = 0;
    s.total_fees_collected = 0;
    save_state(&s);
}

/* ---------- projects (projects.rs: create_project, add_version, set_active_version, views) ---------- */

/*
 * State (ours, see the header): "NP" the last project number u64; "P" + project_id a project
 * (uuid, owner, name, active_version, created_at u64, storage_deposit u128); "V" + uuid +
 * version_key a version (source JSON, added_at u64, storage_deposit u128). uuids are 17 bytes
 * ("p" + 16 hex digits), so a version key never runs into its project's uuid.
 */
#define STORAGE_PRICE_PER_BYTE 10000000000000000000ull /* 10^19 yoctoNEAR, projects.rs */
static const u64 PROJECT_BASE_STORAGE = 200;
static const u64 VERSION_BASE_STORAGE = 150;
static const str_t NEXT_PROJECT_KEY = STR("NP");

typedef struct {
    str_t uuid, owner, name, active_version;
    u64 created_at;
    u128 storage_deposit;
} project_t;

static str_t prefixed_key(char prefix, str_t a, str_t b) {
    buf_t k = buf_new(1 + a.len + b.len);
    buf_byte(&k, prefix);
    buf_str(&k, a);
    buf_str(&k, b);
    return buf_view(&k);
}

static int load_project(str_t project_id, project_t *p) {
    str_t raw;
    if (!rt_storage_read(prefixed_key('P', project_id, STR("")), &raw)) return 0;
    reader_t r = {raw, 0};
    p->uuid = reader_str(&r);
    p->owner = reader_str(&r);
    p->name = reader_str(&r);
    p->active_version = reader_str(&r);
    p->created_at = reader_u64(&r);
    p->storage_deposit = read_u128(&r);
    return 1;
}

static void save_project(str_t project_id, const project_t *p) {
    buf_t b = buf_new(128);
    buf_borsh_str(&b, p->uuid);
    buf_borsh_str(&b, p->owner);
    buf_borsh_str(&b, p->name);
    buf_borsh_str(&b, p->active_version);
    buf_u64_le(&b, p->created_at);
    buf_u128_le(&b, p->storage_deposit);
    rt_storage_write(prefixed_key('P', project_id, STR("")), buf_view(&b));
}

static project_t require_project(str_t project_id) {
    project_t p;
    if (!load_project(project_id, &p)) rt_panic("Project not found");
    return p;
}

/* get_version_key: a WasmUrl's hash, a GitHub source's "{repo}@{commit}" */
static str_t version_key_of(str_t source_json) {
    str_t body;
    str_t kind = enum_variant(source_json, "source", &body);
    if (str_eq(kind, STR("WasmUrl"))) return required_string(body, "hash");
    buf_t k = buf_new(96);
    buf_str(&k, required_string(body, "repo"));
    buf_byte(&k, '@');
    buf_str(&k, required_string(body, "commit"));
    return buf_view(&k);
}

/* calculate_version_storage_size: the source's strings, the version key's 64, added_at, deposit */
static u64 version_storage(str_t source_json) {
    str_t body;
    str_t kind = enum_variant(source_json, "source", &body);
    u64 size = str_eq(kind, STR("WasmUrl")) ? required_string(body, "url").len + required_string(body, "hash").len
                                            : required_string(body, "repo").len + required_string(body, "commit").len;
    str_t target;
    if (optional_string(body, "build_target", &target)) size += target.len;
    return VERSION_BASE_STORAGE + size + 64 + 8 + 16;
}

static void require_storage_deposit(u128 required, u128 attached) {
    if (attached >= required) return;
    buf_t m = buf_new(128);
    buf_cstr(&m, "Insufficient storage deposit. Required: ");
    buf_u128_dec(&m, required);
    buf_cstr(&m, " yoctoNEAR, attached: ");
    buf_u128_dec(&m, attached);
    buf_cstr(&m, " yoctoNEAR");
    rt_panic_str(buf_view(&m));
}

static void save_version(str_t uuid, str_t key, str_t source_json, u128 deposit) {
    buf_t b = buf_new(source_json.len + 32);
    buf_borsh_str(&b, source_json);
    buf_u64_le(&b, block_timestamp());
    buf_u128_le(&b, deposit);
    rt_storage_write(prefixed_key('V', uuid, key), buf_view(&b));
}

static void panic_with(const char *before, str_t middle, const char *after) {
    buf_t m = buf_new(96 + middle.len);
    buf_cstr(&m, before);
    buf_str(&m, middle);
    buf_cstr(&m, after);
    rt_panic_str(buf_view(&m));
}

static str_t project_id_of(str_t owner, str_t name) {
    buf_t id = buf_new(owner.len + 1 + name.len);
    buf_str(&id, owner);
    buf_byte(&id, '/');
    buf_str(&id, name);
    return buf_view(&id);
}

/* create_project {name, source} (payable): "{predecessor}/{name}" with its first version active */
EXPORT(create_project) void create_project(void) {
    str_t args = json_args(rt_input());
    state_t s = load_state();
    if (s.paused) rt_panic("Contract is paused");
    str_t caller = rt_predecessor();
    str_t name = required_string(args, "name");
    str_t source = code_source_json(required_value(args, "source"), "source");
    str_t project_id = project_id_of(caller, name);
    if (name.len == 0) rt_panic("Project name cannot be empty");
    if (name.len > 64) rt_panic("Project name too long (max 64 chars)");
    for (u32 i = 0; i < name.len; i++) {
        u8 c = (u8)name.ptr[i];
        /* Rust's char::is_alphanumeric: non-ASCII is judged a letter here, as check_profile does */
        int ok = c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                 || c == '_';
        if (!ok) rt_panic("Project name must contain only alphanumeric, dash, or underscore");
    }
    project_t existing;
    if (load_project(project_id, &existing)) panic_with("Project '", project_id, "' already exists");

    str_t raw;
    u64 number = rt_storage_read(NEXT_PROJECT_KEY, &raw) ? le_u64(raw.ptr) : 0;
    number++;
    buf_t n = buf_new(8);
    buf_u64_le(&n, number);
    rt_storage_write(NEXT_PROJECT_KEY, buf_view(&n));
    buf_t uuid = buf_new(17);
    buf_byte(&uuid, 'p');
    for (int shift = 60; shift >= 0; shift -= 4) buf_byte(&uuid, "0123456789abcdef"[(number >> shift) & 0xf]);

    str_t version_key = version_key_of(source);
    u64 project_bytes = PROJECT_BASE_STORAGE + project_id.len + 17 + 8 + 16;
    u64 version_bytes = version_storage(source);
    u128 required = u128_mul_u64(STORAGE_PRICE_PER_BYTE, project_bytes + version_bytes);
    u128 attached = rt_attached_deposit();
    require_storage_deposit(required, attached);

    project_t p = {buf_view(&uuid), caller, name, version_key, block_timestamp(),
                   u128_mul_u64(STORAGE_PRICE_PER_BYTE, project_bytes)};
    save_project(project_id, &p);
    save_version(p.uuid, version_key, source, u128_mul_u64(STORAGE_PRICE_PER_BYTE, version_bytes));
    if (attached > required) transfer(caller, attached - required);

    buf_t m = buf_new(128);
    buf_cstr(&m, "Project created: id=");
    buf_str(&m, project_id);
    buf_cstr(&m, ", uuid=");
    buf_str(&m, p.uuid);
    buf_cstr(&m, ", owner=");
    buf_str(&m, caller);
    buf_cstr(&m, ", version=");
    buf_str(&m, version_key);
    log_buf(&m);
}

/* the caller's own project by name, as every owner method finds it */
static str_t own_project(str_t args, project_t *p) {
    str_t caller = rt_predecessor();
    str_t project_id = project_id_of(caller, required_string(args, "project_name"));
    *p = require_project(project_id);
    return project_id;
}

/* add_version {project_name, source, set_active} (payable) */
EXPORT(add_version) void add_version(void) {
    str_t args = json_args(rt_input());
    state_t s = load_state();
    if (s.paused) rt_panic("Contract is paused");
    str_t source = code_source_json(required_value(args, "source"), "source");
    int set_active = json_bool(required_value(args, "set_active"), "set_active");
    project_t p;
    str_t project_id = own_project(args, &p);
    str_t version_key = version_key_of(source);
    u128 required = u128_mul_u64(STORAGE_PRICE_PER_BYTE, version_storage(source));
    u128 attached = rt_attached_deposit();
    require_storage_deposit(required, attached);
    if (rt_storage_has(prefixed_key('V', p.uuid, version_key)))
        panic_with("Version '", version_key, "' already exists in project");
    save_version(p.uuid, version_key, source, required);
    if (set_active) {
        p.active_version = version_key;
        save_project(project_id, &p);
    }
    if (attached > required) transfer(rt_predecessor(), attached - required);
    buf_t m = buf_new(128);
    buf_cstr(&m, "Version added: project=");
    buf_str(&m, project_id);
    buf_cstr(&m, ", version=");
    buf_str(&m, version_key);
    buf_cstr(&m, set_active ? ", active=true" : ", active=false");
    log_buf(&m);
}

/* set_active_version {project_name, version_key} */
EXPORT(set_active_version) void set_active_version(void) {
    str_t args = json_args(rt_input());
    str_t version_key = required_string(args, "version_key");
    project_t p;
    str_t project_id = own_project(args, &p);
    if (!rt_storage_has(prefixed_key('V', p.uuid, version_key)))
        panic_with("Version '", version_key, "' not found in project");
    p.active_version = version_key;
    save_project(project_id, &p);
    buf_t m = buf_new(128);
    buf_cstr(&m, "Active version changed: project=");
    buf_str(&m, project_id);
    buf_cstr(&m, ", version=");
    buf_str(&m, version_key);
    log_buf(&m);
}

/* get_project {project_id} -> ProjectView or null */
EXPORT(get_project) void get_project(void) {
    str_t project_id = required_string(json_args(rt_input()), "project_id");
    project_t p;
    if (!load_project(project_id, &p)) {
        rt_return(STR("null"));
        return;
    }
    buf_t b = buf_new(256);
    buf_byte(&b, '{');
    json_write_key(&b, "uuid");
    json_write_string(&b, p.uuid);
    buf_byte(&b, ',');
    json_write_key(&b, "owner");
    json_write_string(&b, p.owner);
    buf_byte(&b, ',');
    json_write_key(&b, "name");
    json_write_string(&b, p.name);
    buf_byte(&b, ',');
    json_write_key(&b, "project_id");
    json_write_string(&b, project_id);
    buf_byte(&b, ',');
    json_write_key(&b, "active_version");
    json_write_string(&b, p.active_version);
    buf_byte(&b, ',');
    json_write_key(&b, "created_at");
    buf_u64_dec(&b, p.created_at);
    buf_byte(&b, ',');
    json_write_key(&b, "storage_deposit");
    json_write_u128_string(&b, p.storage_deposit);
    buf_byte(&b, '}');
    rt_return(buf_view(&b));
}

/* get_version {project_id, version_key} -> VersionView or null */
EXPORT(get_version) void get_version(void) {
    str_t args = json_args(rt_input());
    str_t project_id = required_string(args, "project_id");
    str_t version_key = required_string(args, "version_key");
    project_t p;
    str_t raw;
    if (!load_project(project_id, &p) || !rt_storage_read(prefixed_key('V', p.uuid, version_key), &raw)) {
        rt_return(STR("null"));
        return;
    }
    reader_t r = {raw, 0};
    str_t source = reader_str(&r);
    u64 added_at = reader_u64(&r);
    buf_t b = buf_new(source.len + version_key.len + 96);
    buf_byte(&b, '{');
    json_write_key(&b, "wasm_hash");
    json_write_string(&b, version_key);
    buf_byte(&b, ',');
    json_write_key(&b, "source");
    buf_str(&b, source);
    buf_byte(&b, ',');
    json_write_key(&b, "added_at");
    buf_u64_dec(&b, added_at);
    buf_byte(&b, ',');
    json_write_key(&b, "is_active");
    buf_cstr(&b, str_eq(p.active_version, version_key) ? "true" : "false");
    buf_byte(&b, '}');
    rt_return(buf_view(&b));
}

/* Rust's {:?} of a CodeSource, for the resolution's log line */
static void buf_source_debug(buf_t *b, str_t source_json) {
    str_t body;
    str_t kind = enum_variant(source_json, "source", &body);
    int wasm_url = str_eq(kind, STR("WasmUrl"));
    buf_str(b, kind);
    buf_cstr(b, wasm_url ? " { url: " : " { repo: ");
    json_write_string(b, required_string(body, wasm_url ? "url" : "repo"));
    buf_cstr(b, wasm_url ? ", hash: " : ", commit: ");
    json_write_string(b, required_string(body, wasm_url ? "hash" : "commit"));
    buf_cstr(b, ", build_target: ");
    str_t target;
    if (optional_string(body, "build_target", &target)) {
        buf_cstr(b, "Some(");
        json_write_string(b, target);
        buf_byte(b, ')');
    } else {
        buf_cstr(b, "None");
    }
    buf_cstr(b, " }");
}

/*
 * execution.rs resolve_execution_source for a {"Project":{project_id, version_key?}} source: the
 * version asked for, or the active one, as the code the worker runs; the project's uuid and id go
 * into the request. Returns the resolved source; *canonical is the Project source as stored.
 */
static str_t resolve_project_source(str_t body, str_t *canonical, str_t *project_id, str_t *project_uuid) {
    *project_id = required_string(body, "project_id");
    str_t version_key;
    int has_version = optional_string(body, "version_key", &version_key);
    buf_t c = buf_new(project_id->len + (has_version ? version_key.len : 0) + 64);
    buf_cstr(&c, "{\"Project\":{");
    json_write_key(&c, "project_id");
    json_write_string(&c, *project_id);
    buf_byte(&c, ',');
    json_write_key(&c, "version_key");
    json_write_optional_string(&c, has_version, version_key);
    buf_cstr(&c, "}}");
    *canonical = buf_view(&c);

    project_t p = require_project(*project_id);
    str_t version = has_version ? version_key : p.active_version;
    if (version.len == 0) rt_panic("Project has no active version");
    str_t raw;
    if (!rt_storage_read(prefixed_key('V', p.uuid, version), &raw)) rt_panic("Version not found");
    reader_t r = {raw, 0};
    str_t source = reader_str(&r);
    *project_uuid = p.uuid;

    buf_t m = buf_new(source.len + project_id->len + 96);
    buf_cstr(&m, "Resolved project: ");
    buf_str(&m, *project_id);
    buf_cstr(&m, ", version: ");
    buf_str(&m, version);
    buf_cstr(&m, ", source: ");
    buf_source_debug(&m, source);
    buf_cstr(&m, ", uuid: ");
    buf_str(&m, p.uuid);
    log_buf(&m);
    return source;
}

/* ---------- stablecoin balances and developer earnings (payment.rs, execution.rs, lib.rs) ---------- */

enum { USER_BALANCE = 'B', DEVELOPER_EARNINGS = 'E' };

/* a LookupMap<AccountId, u128> read: 0 when the account has no entry */
static u128 ledger_get(char ledger, str_t account) {
    str_t raw;
    if (!rt_storage_read(prefixed_key(ledger, account, STR("")), &raw)) return 0;
    if (raw.len != 16) rt_corrupt_state();
    reader_t r = {raw, 0};
    return read_u128(&r);
}

static void ledger_put(char ledger, str_t account, u128 amount) {
    buf_t b = buf_new(16);
    buf_u128_le(&b, amount);
    rt_storage_write(prefixed_key(ledger, account, STR("")), buf_view(&b));
}

/* "{verb} {amount} stablecoin {to} {account}" and what follows: the shape of payment.rs's ledger logs */
static void log_stablecoin(const char *verb, u128 amount, const char *to, str_t account, str_t tail) {
    buf_t m = buf_new(128 + account.len);
    buf_cstr(&m, verb);
    buf_byte(&m, ' ');
    buf_u128_dec(&m, amount);
    buf_cstr(&m, " stablecoin ");
    buf_cstr(&m, to);
    buf_byte(&m, ' ');
    buf_str(&m, account);
    buf_str(&m, tail);
    log_buf(&m);
}

/* execution.rs return_attached_usd: always to sender_id (the predecessor admission debited) */
static void return_attached_usd(str_t account, u128 amount, const char *reason) {
    if (amount == 0) return;
    ledger_put(USER_BALANCE, account, ledger_get(USER_BALANCE, account) + amount);
    buf_t tail = buf_new(64);
    buf_cstr(&tail, " (");
    buf_cstr(&tail, reason);
    buf_byte(&tail, ')');
    log_stablecoin("Returned", amount, "to", account, buf_view(&tail));
}

/* ---------- request_execution ---------- */

/*
 * Rust's <char as Debug> ('{c:?}', char::escape_debug_ext with grapheme extenders and ' escaped, " not) of an
 * ASCII character, the only kind the rule below refuses: \0 \t \r \n \\ \' escaped, the other controls (not
 * is_printable) as \u{hex}, lower case without leading zeros, the rest as they are. Checked against rustc for all
 * 128. Non-ASCII (C1 controls, U+00A0, U+00AD, format characters, combining marks ...) never reaches it.
 */
static void buf_ascii_char_debug(buf_t *b, u8 c) {
    static const char digits[] = "0123456789abcdef";
    buf_byte(b, '\'');
    if (c == 0) buf_cstr(b, "\\0");
    else if (c == '\t') buf_cstr(b, "\\t");
    else if (c == '\r') buf_cstr(b, "\\r");
    else if (c == '\n') buf_cstr(b, "\\n");
    else if (c == '\\' || c == '\'') {
        buf_byte(b, '\\');
        buf_byte(b, (char)c);
    } else if (c < 0x20 || c == 0x7f) {
        buf_cstr(b, "\\u{");
        if (c >= 0x10) buf_byte(b, digits[c >> 4]);
        buf_byte(b, digits[c & 15]);
        buf_byte(b, '}');
    } else {
        buf_byte(b, (char)c);
    }
    buf_byte(b, '\'');
}

/* secrets::profile_shape_error: 1-64 bytes; ASCII must be alphanumeric, '-' or '_' */
static void check_profile(str_t profile) {
    buf_t m = buf_new(160);
    buf_cstr(&m, "secrets_ref.profile must be 1\xe2\x80\x93" "64 bytes of letters, digits, '-' or '_' (");
    if (profile.len < 1 || profile.len > 64) {
        buf_cstr(&m, "got ");
        buf_u64_dec(&m, profile.len);
        buf_cstr(&m, " bytes");
    } else {
        u32 i = 0;
        for (; i < profile.len; i++) {
            u8 c = (u8)profile.ptr[i];
            int ok = c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                     || c == '-' || c == '_';
            if (!ok) break;
        }
        if (i == profile.len) return;
        buf_cstr(&m, "it contains ");
        buf_ascii_char_debug(&m, (u8)profile.ptr[i]);
    }
    buf_cstr(&m, "); the contract stores no such profile");
    rt_panic_str(buf_view(&m));
}

static str_t secrets_ref_json(str_t args) {
    str_t v;
    if (!json_field(args, "secrets_ref", &v) || json_is_null(v)) return STR("null");
    if (!json_is_object(v)) json_fail("invalid type: expected a map for field", "secrets_ref");
    str_t profile = required_string(v, "profile");
    str_t account = required_account(v, "account_id");
    check_profile(profile);
    buf_t out = buf_new(profile.len + account.len + 40);
    buf_byte(&out, '{');
    json_write_key(&out, "profile");
    json_write_string(&out, profile);
    buf_byte(&out, ',');
    json_write_key(&out, "account_id");
    json_write_string(&out, account);
    buf_byte(&out, '}');
    return buf_view(&out);
}

static str_t response_format_arg(str_t args) {
    str_t format;
    if (!optional_string(args, "response_format", &format)) return STR("Text");
    if (!str_eq(format, STR("Bytes")) && !str_eq(format, STR("Text")) && !str_eq(format, STR("Json")))
        json_fail("unknown variant, expected one of `Bytes`, `Text`, `Json` for field", "response_format");
    return format;
}

EXPORT(request_execution) void request_execution(void) {
    str_t args = json_args(rt_input());
    state_t s = load_state();
    if (s.paused) rt_panic("Contract is paused");

    str_t secrets_ref = secrets_ref_json(args);
    str_t source_arg = required_value(args, "source");
    str_t source_body;
    int is_project = str_eq(enum_variant(source_arg, "source", &source_body), STR("Project"));
    str_t execution_source, resolved_project_id, resolved_project_uuid;
    str_t source = is_project ? resolve_project_source(source_body, &execution_source, &resolved_project_id,
                                                       &resolved_project_uuid)
                              : code_source_json(source_arg, "source");
    if (!is_project) execution_source = source;
    str_t v;
    int has_limits = json_field(args, "resource_limits", &v) && !json_is_null(v);
    limits_t limits = has_limits ? parse_limits(v) : default_limits();

    str_t params = STR("{}");
    if (json_field(args, "params", &v) && !json_is_null(v)) {
        if (!json_is_object(v)) json_fail("invalid type: expected a map for field", "params");
        params = v;
    }
    int force_rebuild = optional_bool(params, "force_rebuild", 0);
    int store_on_fastfs = optional_bool(params, "store_on_fastfs", 0);
    int use_bound_identity = optional_bool(params, "use_bound_identity", 0);
    str_t project_uuid;
    int has_project_uuid = optional_string(params, "project_uuid", &project_uuid);
    if (is_project) {
        /* the resolved project's uuid overrides the one in params, as execution.rs does */
        project_uuid = resolved_project_uuid;
        has_project_uuid = 1;
    }
    u128 attached_usd = 0;
    optional_u128_string(params, "attached_usd", &attached_usd);
    int compile_only = optional_bool(params, "compile_only", 0) || !has_limits;

    str_t input_data;
    int has_input = optional_string(args, "input_data", &input_data);
    if (!has_input) input_data = STR("");
    str_t format = response_format_arg(args);
    str_t payer;
    int has_payer = json_field(args, "payer_account_id", &v) && !json_is_null(v);
    if (has_payer) payer = json_account(v, "payer_account_id");

    int wasm_url = source.len > 10 && memcmp(source.ptr, "{\"WasmUrl\"", 10) == 0;
    if (wasm_url && force_rebuild) rt_panic("force_rebuild is not applicable for WasmUrl code source");
    if (store_on_fastfs && !force_rebuild)
        rt_panic("store_on_fastfs requires force_rebuild to ensure fresh compilation and upload");
    if (compile_only && input_data.len > 0)
        rt_panic("input_data must be empty for compile_only mode - compilation does not use input_data");

    if (!compile_only) {
        u64 instructions = limits.has_instructions ? limits.max_instructions : 0;
        u64 seconds = limits.has_seconds ? limits.max_execution_seconds : 0;
        if (instructions > MAX_INSTRUCTIONS) {
            buf_t m = buf_new(96);
            buf_cstr(&m, "Requested max_instructions ");
            buf_u64_dec(&m, instructions);
            buf_cstr(&m, " exceeds hard limit of ");
            buf_u64_dec(&m, MAX_INSTRUCTIONS);
            rt_panic_str(buf_view(&m));
        }
        if (seconds > MAX_EXECUTION_SECONDS) {
            buf_t m = buf_new(96);
            buf_cstr(&m, "Requested max_execution_seconds ");
            buf_u64_dec(&m, seconds);
            buf_cstr(&m, " exceeds hard limit of ");
            buf_u64_dec(&m, MAX_EXECUTION_SECONDS);
            buf_cstr(&m, " seconds");
            rt_panic_str(buf_view(&m));
        }
    }
    u128 estimated = compile_only ? s.base_fee : estimate_cost(&s, &limits);
    /* attached_usd pays a Project's owner in stablecoin, out of the caller's balance (deposit_balance) */
    if (attached_usd > 0) {
        if (!is_project) rt_panic("attached_usd is only valid for Project execution source");
        str_t caller = rt_predecessor();
        u128 available = ledger_get(USER_BALANCE, caller);
        if (available < attached_usd) {
            buf_t m = buf_new(128);
            buf_cstr(&m, "Insufficient stablecoin balance. Required: ");
            buf_u128_dec(&m, attached_usd);
            buf_cstr(&m, ", available: ");
            buf_u128_dec(&m, available);
            rt_panic_str(buf_view(&m));
        }
        ledger_put(USER_BALANCE, caller, available - attached_usd);
        buf_t tail = buf_new(64);
        buf_cstr(&tail, " for developer payment (remaining: ");
        buf_u128_dec(&tail, available - attached_usd);
        buf_byte(&tail, ')');
        log_stablecoin("Deducted", attached_usd, "from", caller, buf_view(&tail));
    }

    u128 payment = rt_attached_deposit();
    if (payment < estimated) {
        buf_t m = buf_new(128);
        buf_cstr(&m, "Insufficient payment: required ");
        buf_u128_dec(&m, estimated);
        buf_cstr(&m, " yoctoNEAR for compute, got ");
        buf_u128_dec(&m, payment);
        buf_cstr(&m, " yoctoNEAR");
        rt_panic_str(buf_view(&m));
    }

    u64 request_id = s.next_request_id++;
    str_t predecessor = rt_predecessor();
    str_t signer = rt_signer();
    if (!has_payer) payer = predecessor;
    int input_in_state = input_data.len >= INPUT_DATA_EVENT_THRESHOLD;
    u64 now = block_timestamp();
    str_t limits_text = limits_json(&limits);

    /* The request data handed to the worker, in execution.rs's key order (serde_json preserve_order). */
    buf_t d = buf_new(512 + (input_in_state ? 0 : input_data.len) + source.len);
    buf_byte(&d, '{');
    json_write_key(&d, "request_id");
    buf_u64_dec(&d, request_id);
    buf_byte(&d, ',');
    json_write_key(&d, "sender_id");
    json_write_string(&d, signer);
    buf_byte(&d, ',');
    json_write_key(&d, "predecessor_id");
    json_write_string(&d, predecessor);
    buf_byte(&d, ',');
    json_write_key(&d, "code_source");
    buf_str(&d, source);
    buf_byte(&d, ',');
    json_write_key(&d, "resource_limits");
    buf_str(&d, limits_text);
    buf_byte(&d, ',');
    json_write_key(&d, "input_data");
    json_write_string(&d, input_in_state ? STR("") : input_data);
    buf_byte(&d, ',');
    json_write_key(&d, "input_data_in_state");
    buf_cstr(&d, input_in_state ? "true" : "false");
    buf_byte(&d, ',');
    json_write_key(&d, "secrets_ref");
    buf_str(&d, secrets_ref);
    buf_byte(&d, ',');
    json_write_key(&d, "response_format");
    json_write_string(&d, format);
    buf_byte(&d, ',');
    json_write_key(&d, "payment");
    json_write_u128_string(&d, payment);
    buf_byte(&d, ',');
    json_write_key(&d, "attached_usd");
    json_write_u128_string(&d, attached_usd);
    buf_byte(&d, ',');
    json_write_key(&d, "timestamp");
    buf_u64_dec(&d, now);
    buf_byte(&d, ',');
    json_write_key(&d, "compile_only");
    buf_cstr(&d, compile_only ? "true" : "false");
    buf_byte(&d, ',');
    json_write_key(&d, "force_rebuild");
    buf_cstr(&d, force_rebuild ? "true" : "false");
    buf_byte(&d, ',');
    json_write_key(&d, "store_on_fastfs");
    buf_cstr(&d, store_on_fastfs ? "true" : "false");
    buf_byte(&d, ',');
    json_write_key(&d, "use_bound_identity");
    buf_cstr(&d, use_bound_identity ? "true" : "false");
    buf_byte(&d, ',');
    json_write_key(&d, "project_uuid");
    json_write_optional_string(&d, has_project_uuid, project_uuid);
    buf_byte(&d, ',');
    json_write_key(&d, "project_id");
    json_write_optional_string(&d, is_project, resolved_project_id);
    buf_byte(&d, '}');
    str_t request_data = buf_view(&d);

    static const char callback[] = "on_execution_response";
    u64 promise = promise_yield_create(sizeof callback - 1, (u64)(u32)callback, request_data.len,
                                       (u64)(u32)request_data.ptr, MIN_RESPONSE_GAS, GAS_WEIGHT_DEFAULT,
                                       DATA_ID_REGISTER);
    str_t data_id = read_register_str(DATA_ID_REGISTER);
    if (data_id.ptr == 0) rt_panic("Register is empty");
    if (data_id.len != 32) rt_panic("Wrong register length");

    request_t q = {request_id, data_id.ptr, predecessor, payer, payment, now, execution_source, source, limits_text,
                   secrets_ref, format, (u8)has_input, input_data, 0, OUT_NONE, STR(""), attached_usd};
    save_request(&q);
    save_state(&s);

    /* execution_requested: {"request_data": <the JSON above as a string>, "data_id": [32 bytes], "timestamp"} */
    buf_t e = buf_new(request_data.len * 2 + 160);
    buf_byte(&e, '{');
    json_write_key(&e, "request_data");
    json_write_string(&e, request_data);
    buf_byte(&e, ',');
    json_write_key(&e, "data_id");
    json_write_byte_array(&e, data_id.ptr, 32);
    buf_byte(&e, ',');
    json_write_key(&e, "timestamp");
    buf_u64_dec(&e, now);
    buf_byte(&e, '}');
    emit_event(&s, "execution_requested", buf_view(&e));

    promise_return(promise);
}

/* ---------- resolution by the operator ---------- */

typedef struct {
    int success;
    int has_output;
    u8 output_kind;
    str_t output;
    int has_error;
    str_t error;
    metrics_t resources_used;
    int has_note;
    str_t note;
    int has_refund_usd;
    u64 refund_usd;
} response_t;

static response_t parse_response(str_t v) {
    if (!json_is_object(v)) json_fail("invalid type: expected a map for field", "response");
    response_t r;
    r.success = json_bool(required_value(v, "success"), "success");
    str_t o;
    r.has_output = json_field(v, "output", &o) && !json_is_null(o);
    r.output_kind = r.has_output ? parse_output(o, &r.output) : OUT_NONE;
    r.has_error = optional_string(v, "error", &r.error);
    r.resources_used = parse_metrics(required_value(v, "resources_used"));
    r.has_note = optional_string(v, "compilation_note", &r.note);
    r.has_refund_usd = optional_u64(v, "refund_usd", &r.refund_usd);
    return r;
}

/* serde_json::to_vec(&ExecutionResponse): every field, None as null */
static str_t response_json(const response_t *r) {
    buf_t b = buf_new(256 + r->output.len * 4 + r->error.len + r->note.len);
    buf_byte(&b, '{');
    json_write_key(&b, "success");
    buf_cstr(&b, r->success ? "true" : "false");
    buf_byte(&b, ',');
    json_write_key(&b, "output");
    if (r->has_output) {
        output_write(&b, r->output_kind, r->output);
    } else {
        buf_cstr(&b, "null");
    }
    buf_byte(&b, ',');
    json_write_key(&b, "error");
    json_write_optional_string(&b, r->has_error, r->error);
    buf_byte(&b, ',');
    json_write_key(&b, "resources_used");
    metrics_write(&b, &r->resources_used);
    buf_byte(&b, ',');
    json_write_key(&b, "compilation_note");
    json_write_optional_string(&b, r->has_note, r->note);
    buf_byte(&b, ',');
    json_write_key(&b, "refund_usd");
    json_write_optional_u64(&b, r->has_refund_usd, r->refund_usd);
    buf_byte(&b, '}');
    return buf_view(&b);
}

static void submit_output_internal(u64 request_id, u8 kind, str_t output) {
    request_t q = require_request(request_id);
    if (q.output_submitted) rt_panic("Output already submitted for this request");
    q.output_kind = kind;
    q.output = output;
    q.output_submitted = 1;
    save_request(&q);
    buf_t m = buf_new(200);
    buf_cstr(&m, "Stored pending output for request_id: ");
    buf_u64_dec(&m, request_id);
    buf_cstr(&m, ", data_id: ");
    buf_bytes_debug(&m, q.data_id, 32);
    log_buf(&m);
}

static void resolve_internal(const state_t *s, u64 request_id, const response_t *r) {
    request_t q = require_request(request_id);
    u128 estimated = calculate_cost(s, &r->resources_used);
    buf_t m = buf_new(320);
    buf_cstr(&m, "Resolving execution for request_id: ");
    buf_u64_dec(&m, request_id);
    buf_cstr(&m, ", data_id: ");
    buf_bytes_debug(&m, q.data_id, 32);
    buf_cstr(&m, ", success: ");
    buf_cstr(&m, r->success ? "true" : "false");
    buf_cstr(&m, ", output_submitted: ");
    buf_cstr(&m, q.output_submitted ? "true" : "false");
    buf_cstr(&m, ", resources_used: { instructions: ");
    buf_u64_dec(&m, r->resources_used.instructions);
    buf_cstr(&m, ", time_ms: ");
    buf_u64_dec(&m, r->resources_used.time_ms);
    buf_cstr(&m, ", compile_time_ms: ");
    if (r->resources_used.has_compile_time) {
        buf_cstr(&m, "Some(");
        buf_u64_dec(&m, r->resources_used.compile_time_ms);
        buf_byte(&m, ')');
    } else {
        buf_cstr(&m, "None");
    }
    buf_cstr(&m, " }");
    log_buf(&m);
    log_charged(estimated);
    /* Only metadata travels through the resume (at most 1024 bytes); large output stays in state. */
    str_t payload = response_json(r);
    if (!promise_yield_resume(32, (u64)(u32)q.data_id, payload.len, (u64)(u32)payload.ptr))
        rt_panic("Unable to resume execution promise");
}

EXPORT(resolve_execution) void resolve_execution(void) {
    rt_require_no_deposit("resolve_execution");
    str_t args = json_args(rt_input());
    u64 request_id = required_u64(args, "request_id");
    response_t r = parse_response(required_value(args, "response"));
    state_t s = load_state();
    assert_operator(&s);
    resolve_internal(&s, request_id, &r);
}

EXPORT(submit_execution_output) void submit_execution_output(void) {
    rt_require_no_deposit("submit_execution_output");
    str_t args = json_args(rt_input());
    u64 request_id = required_u64(args, "request_id");
    str_t output;
    u8 kind = parse_output(required_value(args, "output"), &output);
    state_t s = load_state();
    assert_operator(&s);
    submit_output_internal(request_id, kind, output);
}

EXPORT(submit_execution_output_and_resolve) void submit_execution_output_and_resolve(void) {
    rt_require_no_deposit("submit_execution_output_and_resolve");
    str_t args = json_args(rt_input());
    u64 request_id = required_u64(args, "request_id");
    str_t output;
    u8 kind = parse_output(required_value(args, "output"), &output);
    response_t r;
    r.success = json_bool(required_value(args, "success"), "success");
    r.has_output = 0;
    r.output_kind = OUT_NONE;
    r.output = STR("");
    r.has_error = optional_string(args, "error", &r.error);
    if (!r.has_error) r.error = STR("");
    r.resources_used = parse_metrics(required_value(args, "resources_used"));
    r.has_note = optional_string(args, "compilation_note", &r.note);
    if (!r.has_note) r.note = STR("");
    r.has_refund_usd = 0; /* the large-output flow carries no refund */
    r.refund_usd = 0;
    state_t s = load_state();
    assert_operator(&s);
    submit_output_internal(request_id, kind, output);
    buf_t m = buf_new(96);
    buf_cstr(&m, "Resolving execution for request_id: ");
    buf_u64_dec(&m, request_id);
    buf_cstr(&m, " (combined flow)");
    log_buf(&m);
    resolve_internal(&s, request_id, &r);
}

/* ---------- the callback ---------- */

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static str_t base64(str_t in) {
    buf_t out = buf_new((in.len + 2) / 3 * 4 + 1);
    for (u32 i = 0; i < in.len; i += 3) {
        u32 n = (u32)(u8)in.ptr[i] << 16;
        if (i + 1 < in.len) n |= (u32)(u8)in.ptr[i + 1] << 8;
        if (i + 2 < in.len) n |= (u8)in.ptr[i + 2];
        buf_byte(&out, B64[n >> 18 & 63]);
        buf_byte(&out, B64[n >> 12 & 63]);
        buf_byte(&out, i + 1 < in.len ? B64[n >> 6 & 63] : '=');
        buf_byte(&out, i + 2 < in.len ? B64[n & 63] : '=');
    }
    return buf_view(&out);
}

/* the first n characters (not bytes) of UTF-8 text, and whether that is all of it */
static str_t utf8_prefix(str_t s, u32 chars) {
    u32 i = 0;
    for (u32 c = 0; i < s.len && c < chars; c++) {
        i++;
        while (i < s.len && ((u8)s.ptr[i] & 0xC0) == 0x80) i++;
    }
    return (str_t){s.ptr, i};
}

static void preview(buf_t *m, const char *kind, str_t text) {
    buf_cstr(m, kind);
    if (text.len > 100) {
        buf_byte(m, '(');
        buf_u64_dec(m, text.len);
        buf_cstr(m, " bytes): ");
        buf_str(m, utf8_prefix(text, 100));
        buf_cstr(m, "...");
    } else {
        buf_cstr(m, ": ");
        buf_str(m, text);
    }
}

static void resources_log(buf_t *m, const metrics_t *r, u128 cost, u128 refund) {
    buf_cstr(m, "Resources: { instructions: ");
    buf_u64_dec(m, r->instructions);
    buf_cstr(m, ", time_ms: ");
    buf_u64_dec(m, r->time_ms);
    buf_cstr(m, " }, Cost: ");
    buf_u128_dec(m, cost);
    buf_cstr(m, " yoctoNEAR, Refund: ");
    buf_u128_dec(m, refund);
    buf_cstr(m, " yoctoNEAR");
}

/*
 * A successful run's attached_usd (execution.rs with payment.rs settle_attached, for a project without
 * per-operation pricing, whose price is what was attached): the program's refund_usd, at most that,
 * goes back to the caller, the rest to the project's owner, or back too when the project is gone.
 */
static void settle_attached_usd(const request_t *q, u64 refund_usd) {
    u128 guest_refund = refund_usd < q->attached_usd ? refund_usd : q->attached_usd;
    u128 developer_amount = q->attached_usd - guest_refund;
    return_attached_usd(q->sender_id, guest_refund, "change and guest refund");
    if (developer_amount == 0) return;
    str_t source_body;
    enum_variant(q->execution_source_json, "execution_source", &source_body);
    str_t project_id = required_string(source_body, "project_id");
    project_t p;
    if (!load_project(project_id, &p)) {
        return_attached_usd(q->sender_id, developer_amount, "the project no longer exists");
        return;
    }
    ledger_put(DEVELOPER_EARNINGS, p.owner, ledger_get(DEVELOPER_EARNINGS, p.owner) + developer_amount);
    buf_t tail = buf_new(128 + project_id.len);
    buf_cstr(&tail, " for project ");
    buf_str(&tail, project_id);
    buf_cstr(&tail, " (attached=");
    buf_u128_dec(&tail, q->attached_usd);
    buf_cstr(&tail, ", refund=");
    buf_u128_dec(&tail, guest_refund);
    buf_byte(&tail, ')');
    log_stablecoin("Credited", developer_amount, "to developer", p.owner, buf_view(&tail));
}

EXPORT(on_execution_response) void on_execution_response(void) {
    assert_private("on_execution_response");
    rt_require_no_deposit("on_execution_response");
    str_t args = json_args(rt_input());
    u64 request_id = required_u64(args, "request_id");
    str_t sender_id = required_account(args, "sender_id");
    str_t code_source = code_source_json(required_value(args, "code_source"), "code_source");
    parse_limits(required_value(args, "resource_limits"));
    u128 payment = json_u128_string(required_value(args, "payment"), "payment");

    if (promise_results_count() != 1) rt_panic("Expected 1 promise result.");
    int resumed = promise_result(0, RESULT_REGISTER) == 1;
    response_t r;
    if (resumed) {
        str_t value = read_register_str(RESULT_REGISTER);
        r = parse_response(json_args(value));
    }

    state_t s = load_state();
    request_t q;
    if (!load_request(request_id, &q)) {
        buf_t m = buf_new(96);
        buf_cstr(&m, "Warning: Execution request ");
        buf_u64_dec(&m, request_id);
        buf_cstr(&m, " not found in pending requests");
        log_buf(&m);
        rt_return(STR("null"));
        return;
    }
    rt_storage_remove(request_key(request_id));
    s.total_executions++;

    if (!resumed) {
        /* The yield timed out (or its resume failed): everything but the base fee comes back. */
        u128 refund = saturating_sub(payment, s.base_fee);
        if (refund > 0) transfer(q.payer_account_id, refund);
        return_attached_usd(q.sender_id, q.attached_usd, "the execution promise failed");
        s.total_fees_collected += s.base_fee;
        save_state(&s);
        log_charged(s.base_fee);
        buf_t m = buf_new(96);
        buf_cstr(&m, "Execution promise failed: Failed. Refunded ");
        buf_u128_dec(&m, refund);
        buf_cstr(&m, " yoctoNEAR");
        log_buf(&m);
        rt_return(STR("null"));
        return;
    }

    if (q.output_submitted && r.success && q.output_kind != OUT_NONE) {
        buf_t m = buf_new(96);
        buf_cstr(&m, "Retrieving large output from storage for request_id: ");
        buf_u64_dec(&m, request_id);
        log_buf(&m);
        r.has_output = 1;
        r.output_kind = q.output_kind;
        r.output = q.output;
    }

    if (!r.success) {
        u128 refund = saturating_sub(payment, s.base_fee);
        if (refund > 0) transfer(q.payer_account_id, refund);
        return_attached_usd(q.sender_id, q.attached_usd, "execution failed");
        s.total_fees_collected += s.base_fee;
        save_state(&s);
        log_charged(s.base_fee);
        str_t error = r.has_error ? r.error : STR("Unknown error");
        emit_execution_completed(&s, sender_id, code_source, &r.resources_used, 0, 1, error, s.base_fee, refund,
                                 r.has_note, r.note);
        buf_t m = buf_new(160 + error.len);
        buf_cstr(&m, "Execution failed: ");
        buf_str(&m, error);
        buf_cstr(&m, ". Resources: { instructions: ");
        buf_u64_dec(&m, r.resources_used.instructions);
        buf_cstr(&m, ", time_ms: ");
        buf_u64_dec(&m, r.resources_used.time_ms);
        buf_cstr(&m, " }. Refunded ");
        buf_u128_dec(&m, refund);
        buf_cstr(&m, " yoctoNEAR");
        log_buf(&m);
        rt_return(STR("null"));
        return;
    }

    u128 cost = calculate_cost(&s, &r.resources_used);
    if (q.attached_usd > 0) settle_attached_usd(&q, r.has_refund_usd ? r.refund_usd : 0);
    u128 refund = saturating_sub(payment, cost);
    if (refund > 0) transfer(q.payer_account_id, refund);
    s.total_fees_collected += cost;
    save_state(&s);
    log_charged(cost);
    emit_execution_completed(&s, sender_id, code_source, &r.resources_used, 1, 0, STR(""), cost, refund, r.has_note,
                             r.note);

    buf_t m = buf_new(256);
    str_t value;
    if (r.has_output) {
        buf_cstr(&m, "Execution completed successfully. Output: ");
        if (r.output_kind == OUT_BYTES) {
            buf_cstr(&m, "Bytes(");
            buf_u64_dec(&m, r.output.len);
            buf_cstr(&m, " bytes)");
            buf_t v = buf_new(r.output.len * 2 + 4);
            json_write_string(&v, base64(r.output));
            value = buf_view(&v);
        } else if (r.output_kind == OUT_TEXT) {
            preview(&m, "Text", r.output);
            buf_t v = buf_new(r.output.len + 8);
            json_write_string(&v, r.output);
            value = buf_view(&v);
        } else {
            preview(&m, "Json", r.output);
            value = r.output;
        }
        buf_cstr(&m, ", ");
    } else {
        buf_cstr(&m, "Execution has no output value. ");
        value = STR("null");
    }
    resources_log(&m, &r.resources_used, cost, refund);
    if (r.has_note) {
        buf_cstr(&m, ", ");
        buf_str(&m, r.note);
    }
    log_buf(&m);
    rt_return(value);
}

/* ---------- cancel_stale_execution ---------- */

EXPORT(cancel_stale_execution) void cancel_stale_execution(void) {
    rt_require_no_deposit("cancel_stale_execution");
    str_t args = json_args(rt_input());
    u64 request_id = required_u64(args, "request_id");
    load_state();
    request_t q = require_request(request_id);
    str_t predecessor = rt_predecessor();
    if (!str_eq(predecessor, q.sender_id))
        assert_eq_failed("Only the sender can cancel this execution", predecessor, q.sender_id);
    if (!(block_timestamp() > q.timestamp + EXECUTION_TIMEOUT)) rt_panic("Execution is not yet stale, please wait");
    rt_storage_remove(request_key(request_id));
    transfer(q.payer_account_id, q.payment);
    return_attached_usd(q.sender_id, q.attached_usd, "the execution was cancelled as stale");
    buf_t m = buf_new(128);
    buf_cstr(&m, "Cancelled stale execution ");
    buf_u64_dec(&m, request_id);
    buf_cstr(&m, " and refunded payer ");
    buf_str(&m, q.payer_account_id);
    log_buf(&m);
}

/* ---------- views (views.rs) ---------- */

static u64 request_id_arg(void) { return required_u64(json_args(rt_input()), "request_id"); }

EXPORT(get_request) void get_request(void) {
    u64 request_id = request_id_arg();
    request_t q;
    if (!load_request(request_id, &q)) {
        rt_return(STR("null"));
        return;
    }
    buf_t b = buf_new(512 + q.input_data.len + q.output.len * 4);
    buf_byte(&b, '{');
    json_write_key(&b, "request_id");
    buf_u64_dec(&b, q.request_id);
    buf_byte(&b, ',');
    json_write_key(&b, "data_id");
    json_write_byte_array(&b, q.data_id, 32);
    buf_byte(&b, ',');
    json_write_key(&b, "sender_id");
    json_write_string(&b, q.sender_id);
    buf_byte(&b, ',');
    json_write_key(&b, "execution_source");
    buf_str(&b, q.execution_source_json);
    buf_byte(&b, ',');
    json_write_key(&b, "resolved_source");
    buf_str(&b, q.resolved_source_json);
    buf_byte(&b, ',');
    json_write_key(&b, "resource_limits");
    buf_str(&b, q.resource_limits_json);
    buf_byte(&b, ',');
    json_write_key(&b, "payment");
    buf_u128_dec(&b, q.payment); /* a Balance (u128): serde writes a plain number */
    buf_byte(&b, ',');
    json_write_key(&b, "timestamp");
    buf_u64_dec(&b, q.timestamp);
    buf_byte(&b, ',');
    json_write_key(&b, "secrets_ref");
    buf_str(&b, q.secrets_ref_json);
    buf_byte(&b, ',');
    json_write_key(&b, "response_format");
    json_write_string(&b, q.response_format);
    buf_byte(&b, ',');
    json_write_key(&b, "input_data");
    json_write_optional_string(&b, q.has_input_data, q.input_data);
    buf_byte(&b, ',');
    json_write_key(&b, "payer_account_id");
    json_write_string(&b, q.payer_account_id);
    buf_byte(&b, ',');
    json_write_key(&b, "attached_usd");
    buf_u128_dec(&b, q.attached_usd); /* a u128: serde writes a plain number */
    buf_byte(&b, ',');
    json_write_key(&b, "pending_output");
    if (q.output_kind == OUT_NONE) {
        buf_cstr(&b, "null");
    } else {
        /* StoredOutput keeps every kind as bytes */
        buf_byte(&b, '{');
        json_write_key(&b, output_kind_name(q.output_kind));
        json_write_byte_array(&b, q.output.ptr, q.output.len);
        buf_byte(&b, '}');
    }
    buf_byte(&b, ',');
    json_write_key(&b, "output_submitted");
    buf_cstr(&b, q.output_submitted ? "true" : "false");
    buf_byte(&b, '}');
    rt_return(buf_view(&b));
}

EXPORT(get_pending_output) void get_pending_output(void) {
    u64 request_id = request_id_arg();
    request_t q;
    if (!load_request(request_id, &q) || q.output_kind == OUT_NONE) {
        rt_return(STR("null"));
        return;
    }
    buf_t b = buf_new(q.output.len * 4 + 16);
    output_write(&b, q.output_kind, q.output);
    rt_return(buf_view(&b));
}

EXPORT(has_pending_output) void has_pending_output(void) {
    u64 request_id = request_id_arg();
    request_t q;
    rt_return(load_request(request_id, &q) && q.output_submitted ? STR("true") : STR("false"));
}

EXPORT(get_stats) void get_stats(void) {
    state_t s = load_state();
    buf_t b = buf_new(64);
    buf_byte(&b, '[');
    buf_u64_dec(&b, s.total_executions);
    buf_byte(&b, ',');
    json_write_u128_string(&b, s.total_fees_collected);
    buf_byte(&b, ']');
    rt_return(buf_view(&b));
}

EXPORT(get_pricing) void get_pricing(void) {
    state_t s = load_state();
    buf_t b = buf_new(128);
    buf_byte(&b, '[');
    json_write_u128_string(&b, s.base_fee);
    buf_byte(&b, ',');
    json_write_u128_string(&b, s.per_million_instructions_fee);
    buf_byte(&b, ',');
    json_write_u128_string(&b, s.per_ms_fee);
    buf_byte(&b, ',');
    json_write_u128_string(&b, s.per_compile_ms_fee);
    buf_byte(&b, ']');
    rt_return(buf_view(&b));
}

/*
 * get_pricing_full: the NEAR prices and OutLayer's USD prices for HTTPS calls (minimal units of a
 * 6-decimal stablecoin: lib.rs new's base_fee_usd 1,000, per_million_instructions_fee_usd 1,
 * per_sec_fee_usd 1, per_compile_ms_fee_usd 10), fixed here as set_pricing is not reproduced.
 */
EXPORT(get_pricing_full) void get_pricing_full(void) {
    state_t s = load_state();
    buf_t b = buf_new(320);
    buf_byte(&b, '{');
    json_write_key(&b, "base_fee");
    json_write_u128_string(&b, s.base_fee);
    buf_byte(&b, ',');
    json_write_key(&b, "per_million_instructions_fee");
    json_write_u128_string(&b, s.per_million_instructions_fee);
    buf_byte(&b, ',');
    json_write_key(&b, "per_ms_fee");
    json_write_u128_string(&b, s.per_ms_fee);
    buf_byte(&b, ',');
    json_write_key(&b, "per_compile_ms_fee");
    json_write_u128_string(&b, s.per_compile_ms_fee);
    buf_cstr(&b, ",\"base_fee_usd\":\"1000\",\"per_million_instructions_fee_usd\":\"1\",\"per_sec_fee_usd\":\"1\","
                 "\"per_compile_ms_fee_usd\":\"10\"}");
    rt_return(buf_view(&b));
}

EXPORT(estimate_execution_cost) void estimate_execution_cost(void) {
    str_t args = json_args(rt_input());
    state_t s = load_state();
    str_t v;
    limits_t limits = json_field(args, "resource_limits", &v) && !json_is_null(v) ? parse_limits(v) : default_limits();
    buf_t b = buf_new(48);
    json_write_u128_string(&b, estimate_cost(&s, &limits));
    rt_return(buf_view(&b));
}

EXPORT(get_max_limits) void get_max_limits(void) {
    buf_t b = buf_new(48);
    buf_byte(&b, '[');
    buf_u64_dec(&b, MAX_INSTRUCTIONS);
    buf_byte(&b, ',');
    buf_u64_dec(&b, MAX_EXECUTION_SECONDS);
    buf_byte(&b, ',');
    buf_u64_dec(&b, MAX_COMPILATION_SECONDS);
    buf_byte(&b, ']');
    rt_return(buf_view(&b));
}

EXPORT(is_paused) void is_paused(void) { rt_return(load_state().paused ? STR("true") : STR("false")); }

EXPORT(get_config) void get_config(void) {
    state_t s = load_state();
    buf_t b = buf_new(160);
    buf_byte(&b, '[');
    json_write_string(&b, s.owner_id);
    buf_byte(&b, ',');
    json_write_string(&b, s.operator_id);
    buf_byte(&b, ']');
    rt_return(buf_view(&b));
}

/* ---------- payment keys (secrets.rs store_secrets for SecretAccessor::System(PaymentKey)) ---------- */

/*
 * Only the System(PaymentKey) accessor is kept on chain here: OutLayer's other accessors (Repo, WasmHash,
 * Project) are the keystore's own store in the stand-in (PUT /secrets), see README.md.
 * State: "K" + owner + ":" + canonical profile -> encrypted secrets, access JSON, created_at u64, updated_at u64,
 * storage deposit u128 (the SecretProfile of secrets.rs).
 */
typedef struct {
    str_t encrypted, access;
    u64 created_at, updated_at;
    u128 storage_deposit;
} secret_t;

static const u64 SECRET_BASE_STORAGE_OVERHEAD = 40; /* LookupMap entry overhead */
static const u64 SECRET_INDEX_ENTRY_OVERHEAD = 64;  /* UnorderedSet entry overhead */

/* prefix + owner + ":" + profile: an account id holds no ':', so the owner ends there */
static str_t row_key(char prefix, str_t owner, str_t profile) {
    buf_t k = buf_new(2 + owner.len + profile.len);
    buf_byte(&k, prefix);
    buf_str(&k, owner);
    buf_byte(&k, ':');
    buf_str(&k, profile);
    return buf_view(&k);
}

static str_t secret_key(str_t owner, str_t profile) { return row_key('K', owner, profile); }

static int load_secret(str_t owner, str_t profile, secret_t *s) {
    str_t raw;
    if (!rt_storage_read(secret_key(owner, profile), &raw)) return 0;
    reader_t r = {raw, 0};
    s->encrypted = reader_str(&r);
    s->access = reader_str(&r);
    s->created_at = reader_u64(&r);
    s->updated_at = reader_u64(&r);
    s->storage_deposit = read_u128(&r);
    return 1;
}

static void save_secret(str_t owner, str_t profile, const secret_t *s) {
    buf_t b = buf_new(s->encrypted.len + s->access.len + 48);
    buf_borsh_str(&b, s->encrypted);
    buf_borsh_str(&b, s->access);
    buf_u64_le(&b, s->created_at);
    buf_u64_le(&b, s->updated_at);
    buf_u128_le(&b, s->storage_deposit);
    rt_storage_write(secret_key(owner, profile), buf_view(&b));
}

/* SecretAccessor as serde's JSON: the tuple variant System(SystemSecretType::PaymentKey) is {"System":"PaymentKey"} */
static void require_payment_key_accessor(str_t args) {
    static const char *const accessors[] = {"Repo", "WasmHash", "Project", "System"};
    str_t body;
    str_t kind = enum_variant_of(required_value(args, "accessor"), "accessor", accessors, 4, &body);
    if (str_eq(kind, STR("System"))) {
        if (!str_eq(json_string(body, "accessor"), STR("PaymentKey")))
            json_fail("unknown variant, expected `PaymentKey` for field", "accessor");
        return;
    }
    if (str_eq(kind, STR("Repo")) || str_eq(kind, STR("WasmHash")) || str_eq(kind, STR("Project")))
        rt_panic("This contract keeps only System(PaymentKey) secrets; other secrets are stored with the keystore");
    json_fail("unknown variant, expected one of `Repo`, `WasmHash`, `Project`, `System` for field", "accessor");
}

/* Rust's str::parse::<u32>: an optional '+', then ASCII digits (leading zeros allowed), at most u32::MAX.
 * 0 with *out set, or the ParseIntError kind: 1 InvalidDigit, 2 PosOverflow (a digit is judged before the overflow). */
enum { U32_OK, U32_INVALID_DIGIT, U32_POS_OVERFLOW };
static int parse_u32(str_t text, u32 *out) {
    u64 v = 0;
    u32 i = text.len > 0 && text.ptr[0] == '+' ? 1 : 0;
    if (i == text.len) return U32_INVALID_DIGIT;
    for (; i < text.len; i++) {
        char c = text.ptr[i];
        if (c < '0' || c > '9') return U32_INVALID_DIGIT;
        v = v * 10 + (u64)(c - '0');
        if (v > 0xFFFFFFFFull) return U32_POS_OVERFLOW;
    }
    *out = (u32)v;
    return U32_OK;
}

/*
 * store_secrets_internal's accessor check for System(PaymentKey) (secrets.rs, out-layer/outlayer b65db3a): the
 * profile is the nonce, a u32; 0 is the coordinator's own free-trial keys' row (owner, 0), and from 2^31 up the
 * coordinator's signed 32-bit column would read it negative.
 */
static u32 payment_key_nonce(str_t profile) {
    u32 nonce = 0;
    if (parse_u32(profile, &nonce) != U32_OK) rt_panic("A payment key's profile is its nonce and must be a number");
    if (nonce < 1)
        rt_panic("Payment key nonce 0 is reserved. The first nonce is 1 \xe2\x80\x94 ask the contract with "
                 "get_next_payment_key_nonce.");
    if (nonce > 2147483647u) rt_panic("Payment key nonce is too large (maximum 2147483647)");
    return nonce;
}

/* a payment key's row as delete_payment_key and the top-up paths name it: nonce.to_string() */
static str_t nonce_profile(u32 nonce) {
    buf_t p = buf_new(12);
    buf_u64_dec(&p, nonce);
    return buf_view(&p);
}

/*
 * secrets.rs canonical_profile (out-layer/outlayer b65db3a): a payment key's profile is its nonce, so "01",
 * "+1" and "0001" are row "1", the one delete_payment_key and a top-up look up; a profile that is not a u32
 * stays as given, for store_secrets to refuse and a view to find nothing under. OutLayer applies it first on
 * every method that names a row, before any check. (canonical_accessor only lower-cases a WasmHash, an
 * accessor this contract does not keep.)
 */
static str_t canonical_profile(str_t profile) {
    u32 nonce = 0;
    return parse_u32(profile, &nonce) == U32_OK ? nonce_profile(nonce) : profile;
}

/*
 * calculate_secret_storage_size for the System accessor (2 bytes: two enum discriminants): the row's total,
 * the owner's index entry counted always, as b65db3a counts it: the total a row occupies, whatever is stored
 * already, so estimate_storage_cost quotes an existing row as store_secrets priced it.
 */
static u64 secret_key_size(str_t owner, str_t profile) { return 2 + 4 + profile.len + 4 + owner.len; }

static u64 secret_storage(str_t owner, str_t profile, str_t encrypted, str_t access_json) {
    u64 key_size = secret_key_size(owner, profile);
    u64 value_size = (4 + encrypted.len) + (access_json.len + 10) + 8 + 8 + 16;
    return SECRET_BASE_STORAGE_OVERHEAD + key_size + value_size + SECRET_INDEX_ENTRY_OVERHEAD;
}

/*
 * The owner's payment-key nonces, the part of secrets.rs's user_secrets_index (UnorderedSet<SecretKey> per owner)
 * that get_next_payment_key_nonce and list_user_secrets read: NEAR offers no prefix scan of "K" + owner, so the set
 * is kept beside the rows, an entry added by store_secrets and dropped with the row, the record removed with its
 * last entry. Kept in the order near-sdk's collections::UnorderedSet keeps its elements (insert appends, remove
 * swap-removes: the last entry takes the removed one's place), so list_user_secrets pages the keys in the order
 * OutLayer's set iterates them.
 */
static str_t nonce_index_key(str_t owner) { return prefixed_key('I', owner, STR("")); }

static str_t nonce_index(str_t owner) {
    str_t raw;
    if (!rt_storage_read(nonce_index_key(owner), &raw)) return STR("");
    if (raw.len % 4 != 0) rt_corrupt_state();
    return raw;
}

static void nonce_index_add(str_t owner, u32 nonce) {
    str_t now = nonce_index(owner);
    buf_t b = buf_new(now.len + 4);
    buf_str(&b, now);
    buf_u32_le(&b, nonce);
    rt_storage_write(nonce_index_key(owner), buf_view(&b));
}

/* UnorderedSet::remove_raw: the last entry moves into the removed one's slot (Vector::swap_remove_raw) */
static void nonce_index_remove(str_t owner, u32 nonce) {
    str_t now = nonce_index(owner);
    buf_t b = buf_new(now.len);
    buf_str(&b, now);
    for (u32 i = 0; i < b.len; i += 4)
        if (le_u32(b.ptr + i) == nonce) {
            memmove(b.ptr + i, b.ptr + b.len - 4, 4);
            b.len -= 4;
            break;
        }
    if (b.len == 0) rt_storage_remove(nonce_index_key(owner));
    else rt_storage_write(nonce_index_key(owner), buf_view(&b));
}

/*
 * The access condition as near-sdk reads the argument before the method runs: serde's derive of types.rs
 * AccessConditionV1 at out-layer/outlayer b65db3a, externally tagged. A condition it cannot read refuses the
 * call in the argument-parsing words the other bad arguments get, so nothing is written. Deliberately stricter
 * than serde in one corner: a struct variant's fields as a JSON array (serde's visit_seq) are refused. Fields
 * serde ignores (unknown names) are ignored here too; the stored text is the given one.
 */
static const char *const ACCESS_VARIANTS[] = {"Logic",       "Not",      "AllowAll",  "Whitelist", "AccountPattern",
                                              "NearBalance", "FtBalance", "NftOwned", "DaoMember", "ValidUntil"};
enum { AC_LOGIC, AC_NOT, AC_ALLOW_ALL, AC_WHITELIST, AC_PATTERN, AC_NEAR, AC_FT, AC_NFT, AC_DAO, AC_VALID_UNTIL };
static const char *const LOGIC_OPERATORS[] = {"And", "Or"};
static const char *const COMPARISON_OPERATORS[] = {"Gte", "Lte", "Gt", "Lt", "Eq", "Ne"};

/*
 * serde_json's two spellings of an enum value: "Name", or {"Name": body} with exactly one member. The index of
 * Name in `names` (-1 when unknown); *body is empty for the string form.
 */
static int tagged_variant(str_t v, const char *field, const char *const *names, u32 count, str_t *body) {
    str_t name;
    *body = STR("");
    if (v.len > 0 && v.ptr[0] == '"') {
        name = json_string(v, field);
    } else {
        u32 pos = 0;
        str_t extra_key, extra_value;
        if (!json_is_object(v) || !json_object_next(v, &pos, &name, body) ||
            json_object_next(v, &pos, &extra_key, &extra_value))
            json_fail("invalid type: expected an externally tagged enum for field", field);
    }
    for (u32 i = 0; i < count; i++)
        if (str_eq(name, str_c(names[i]))) return (int)i;
    return -1;
}

/* a unit variant also reads as {"Name": null}, nothing else under it */
static void require_unit_body(str_t body, const char *field) {
    if (body.len > 0 && !json_is_null(body)) json_fail("invalid type: expected a unit variant for field", field);
}

static void unit_enum(str_t v, const char *field, const char *const *names, u32 count, const char *unknown) {
    str_t body;
    if (tagged_variant(v, field, names, count, &body) < 0) json_fail(unknown, field);
    require_unit_body(body, field);
}

static str_t required_array(str_t obj, const char *key) {
    str_t v = required_value(obj, key);
    if (!json_is_array(v)) json_fail("invalid type: expected a sequence for field", key);
    return v;
}

static void comparison_and_value(str_t body) {
    unit_enum(required_value(body, "operator"), "operator", COMPARISON_OPERATORS, 6,
              "unknown variant, expected one of `Gte`, `Lte`, `Gt`, `Lt`, `Eq`, `Ne` for field");
    json_u128_string(required_value(body, "value"), "value"); /* NearToken: yoctoNEAR as a decimal string */
}

static void check_access_condition(str_t v, const char *field) {
    str_t body, each, text;
    u32 pos = 0;
    int kind = tagged_variant(v, field, ACCESS_VARIANTS, 10, &body);
    if (kind < 0)
        json_fail("unknown variant, expected one of `Logic`, `Not`, `AllowAll`, `Whitelist`, `AccountPattern`, "
                  "`NearBalance`, `FtBalance`, `NftOwned`, `DaoMember`, `ValidUntil` for field",
                  field);
    if (kind == AC_ALLOW_ALL) {
        require_unit_body(body, ACCESS_VARIANTS[kind]);
        return;
    }
    if (!json_is_object(body)) json_fail("invalid type: expected a map for field", ACCESS_VARIANTS[kind]);
    switch (kind) {
    case AC_LOGIC: {
        unit_enum(required_value(body, "operator"), "operator", LOGIC_OPERATORS, 2,
                  "unknown variant, expected `And` or `Or` for field");
        str_t conditions = required_array(body, "conditions");
        while (json_array_next(conditions, &pos, &each)) check_access_condition(each, "conditions");
        break;
    }
    case AC_NOT: check_access_condition(required_value(body, "condition"), "condition"); break;
    case AC_WHITELIST: {
        str_t accounts = required_array(body, "accounts");
        while (json_array_next(accounts, &pos, &each)) json_account(each, "accounts");
        break;
    }
    case AC_PATTERN: required_string(body, "pattern"); break;
    case AC_NEAR: comparison_and_value(body); break;
    case AC_FT:
        required_account(body, "contract");
        comparison_and_value(body);
        break;
    case AC_NFT:
        required_account(body, "contract");
        optional_string(body, "token_id", &text); /* Option<String>: absent or null is None */
        break;
    case AC_DAO:
        required_account(body, "dao_contract");
        required_string(body, "role");
        break;
    default: /* AC_VALID_UNTIL: near-sdk's U64, a decimal string */
        if (json_u128_string(required_value(body, "until_ns"), "until_ns") > 0xFFFFFFFFFFFFFFFFull)
            json_fail("number out of range for field", "until_ns");
    }
}

/* the condition argument `key`, refused as near-sdk would refuse it, in serde_json's compact form */
static str_t required_access_condition(str_t args, const char *key) {
    str_t v = required_value(args, key);
    check_access_condition(v, key);
    return json_compact(v);
}

/*
 * secrets.rs assert_account_pattern_bounds (out-layer/outlayer b65db3a): the keystore compiles every
 * AccountPattern of a condition before judging a decrypt and refuses one past 16 patterns or 4,096 bytes of
 * pattern text, so a row it would refuse to judge is not stored. account_pattern_count walks the leaves under
 * Logic.conditions and Not.condition (types.rs AccessConditionV1, externally tagged); a pattern's bytes are
 * Rust's String::len, the UTF-8 length of the decoded text, not of its JSON escapes. Anything else counts 0.
 */
#define MAX_ACCOUNT_PATTERNS 16
#define MAX_ACCOUNT_PATTERN_BYTES 4096

static void account_pattern_count(str_t condition, u64 *leaves, u64 *bytes) {
    str_t body;
    if (json_field(condition, "AccountPattern", &body)) {
        *leaves += 1;
        *bytes += required_string(body, "pattern").len;
    } else if (json_field(condition, "Logic", &body)) {
        str_t conditions = required_value(body, "conditions");
        if (!json_is_array(conditions)) json_fail("invalid type: expected a sequence for field", "conditions");
        u32 pos = 0;
        str_t each;
        while (json_array_next(conditions, &pos, &each)) account_pattern_count(each, leaves, bytes);
    } else if (json_field(condition, "Not", &body)) {
        account_pattern_count(required_value(body, "condition"), leaves, bytes);
    }
}

/* panics "<before><value><after><bound> are judged" when value passes bound: both bounds' messages */
static void refuse_past_bound(u64 value, u64 bound, const char *before, const char *after) {
    if (value <= bound) return;
    buf_t m = buf_new(96);
    buf_cstr(&m, before);
    buf_u64_dec(&m, value);
    buf_cstr(&m, after);
    buf_u64_dec(&m, bound);
    buf_cstr(&m, " are judged");
    rt_panic_str(buf_view(&m));
}

static void assert_account_pattern_bounds(str_t access) {
    u64 leaves = 0, bytes = 0;
    account_pattern_count(access, &leaves, &bytes);
    refuse_past_bound(leaves, MAX_ACCOUNT_PATTERNS, "the condition holds ", " AccountPattern leaves; at most ");
    refuse_past_bound(bytes, MAX_ACCOUNT_PATTERN_BYTES, "the condition's AccountPattern text is ",
                      " bytes in all; at most ");
}

/*
 * secrets.rs's secret_vault_bindings (out-layer/outlayer b65db3a): LookupMap<SecretKey, AccountId>, the vault whose
 * master sealed the secret; none means OutLayer's default master. Kept here as "V" + owner + ":" + canonical profile
 * -> the vault's account id, beside the row it binds.
 */
static str_t vault_binding_key(str_t owner, str_t profile) { return row_key('V', owner, profile); }

/* store_secrets' and estimate_storage_cost's vault_id: Option<AccountId>, absent or null being None */
static int vault_id_arg(str_t args, str_t *vault) {
    str_t v;
    if (!json_field(args, "vault_id", &v) || json_is_null(v)) return 0;
    *vault = json_account(v, "vault_id");
    return 1;
}

/*
 * calculate_secret_storage_size's binding_overhead: BASE 40 + the key again + an AccountId (4 + 64), counted when
 * the row is bound after the call: a vault_id given, or a binding already there (a vault_id of null leaves one).
 */
static u64 vault_binding_storage(str_t owner, str_t profile, int vault_given) {
    if (!vault_given && !rt_storage_has(vault_binding_key(owner, profile))) return 0;
    return SECRET_BASE_STORAGE_OVERHEAD + secret_key_size(owner, profile) + 4 + 64;
}

/* store_secrets_internal: Some(v) sets or overwrites the binding, None leaves it as it is */
static void vault_binding_store(str_t owner, str_t profile, int vault_given, str_t vault) {
    if (vault_given) rt_storage_write(vault_binding_key(owner, profile), vault);
}

/* delete_secrets_internal drops the binding with the secret; a missing one is no matter */
static void vault_binding_drop(str_t owner, str_t profile) { rt_storage_remove(vault_binding_key(owner, profile)); }

/*
 * delete_secrets_internal (secrets.rs at out-layer/outlayer b65db3a): the owner's row goes with its vault binding and
 * its entry in the owner's index, and its storage deposit is refunded to the owner ("Refunded N yoctoNEAR"); no row,
 * "Secrets not found" and nothing changed. Both doors kept here (delete_secrets, on_delete_payment_key_response)
 * refund the owner: b65db3a's other refund_to, the payer of store_agent_secret, never holds a payment key.
 */
static void delete_secrets_internal(str_t owner, str_t profile) {
    secret_t sec;
    if (!load_secret(owner, profile, &sec)) rt_panic("Secrets not found");
    rt_storage_remove(secret_key(owner, profile));
    vault_binding_drop(owner, profile);
    u32 nonce = 0;
    parse_u32(profile, &nonce); /* a stored row's profile is its nonce in decimal */
    nonce_index_remove(owner, nonce);
    if (sec.storage_deposit > 0) {
        transfer(owner, sec.storage_deposit);
        buf_t m = buf_new(64);
        buf_cstr(&m, "Refunded ");
        buf_u128_dec(&m, sec.storage_deposit);
        buf_cstr(&m, " yoctoNEAR");
        log_buf(&m);
    }
}

/* the binding as Option<AccountId>: the vault's id, or null */
static int write_vault_id(buf_t *b, str_t owner, str_t profile) {
    str_t vault;
    if (!rt_storage_read(vault_binding_key(owner, profile), &vault)) {
        buf_cstr(b, "null");
        return 0;
    }
    json_write_string(b, vault);
    return 1;
}

/* SystemEvent::TopUpPaymentKey as the contract's "system_event" */
static void emit_top_up_event(const state_t *s, const u8 *data_id, str_t owner, u32 nonce, u128 amount,
                              str_t encrypted) {
    buf_t d = buf_new(encrypted.len + owner.len + 256);
    buf_cstr(&d, "{\"TopUpPaymentKey\":{\"data_id\":");
    json_write_byte_array(&d, (const char *)data_id, 32);
    buf_cstr(&d, ",\"owner\":");
    json_write_string(&d, owner);
    buf_cstr(&d, ",\"nonce\":");
    buf_u64_dec(&d, nonce);
    buf_cstr(&d, ",\"amount\":");
    json_write_u128_string(&d, amount);
    buf_cstr(&d, ",\"encrypted_data\":");
    json_write_string(&d, encrypted);
    buf_cstr(&d, "}}");
    emit_event(s, "system_event", buf_view(&d));
}

/* store_secrets {accessor, profile, encrypted_secrets_base64, access, vault_id?} (payable) */
EXPORT(store_secrets) void store_secrets(void) {
    str_t args = json_args(rt_input());
    state_t s = load_state();
    str_t caller = rt_predecessor();
    require_payment_key_accessor(args);
    /* canonical before any rule, as store_secrets_internal: "+1" is row "1", and is stored as it */
    str_t profile = canonical_profile(required_string(args, "profile"));
    str_t encrypted = required_string(args, "encrypted_secrets_base64");
    str_t access = required_access_condition(args, "access");
    str_t vault = STR("");
    int vault_given = vault_id_arg(args, &vault);
    /* store_secrets_internal's order (b65db3a): the condition's AccountPattern bounds, the accessor's rule (the
     * nonce), profile_shape_error, the blob.
     * profile_shape_error ("profile must be 1-64 bytes of ...") cannot refuse what the nonce rule admits, a
     * canonical nonce of 1-10 digits, so a payment key never meets it; check_profile words it for secrets_ref. */
    assert_account_pattern_bounds(access);
    u32 nonce = payment_key_nonce(profile);
    if (encrypted.len == 0) rt_panic("Encrypted secrets cannot be empty");

    u128 required = u128_mul_u64(STORAGE_PRICE_PER_BYTE, secret_storage(caller, profile, encrypted, access) +
                                                             vault_binding_storage(caller, profile, vault_given));
    /* written once: the blob holds a balance only the worker's top-up may rewrite; delete_payment_key, which the
     * coordinator sees, is the way to start over. Before the deposit check, as b65db3a orders it. */
    if (rt_storage_has(secret_key(caller, profile)))
        rt_panic("Payment key already exists for this nonce. A payment key cannot be rewritten \xe2\x80\x94 delete it "
                 "first, or use a new nonce.");
    u128 attached = rt_attached_deposit();
    require_storage_deposit(required, attached);
    if (attached > required) transfer(caller, attached - required);
    u64 now = block_timestamp();
    secret_t stored = {encrypted, access, now, now, required};
    save_secret(caller, profile, &stored);
    vault_binding_store(caller, profile, vault_given, vault);
    nonce_index_add(caller, nonce);

    buf_t m = buf_new(160);
    buf_cstr(&m, "Secrets stored: accessor=System(PaymentKey), profile=");
    buf_str(&m, profile);
    buf_cstr(&m, ", owner=");
    buf_str(&m, caller);
    buf_cstr(&m, ", deposit=");
    buf_u128_dec(&m, required);
    buf_cstr(&m, " yoctoNEAR");
    log_buf(&m);

    /* a new key's TopUp with amount 0 and no yield: the worker creates the coordinator's key with balance 0 */
    u8 no_yield[32] = {0};
    emit_top_up_event(&s, no_yield, caller, nonce, 0, encrypted);
    buf_t e = buf_new(96);
    buf_cstr(&e, "PaymentKey created event emitted: owner=");
    buf_str(&e, caller);
    buf_cstr(&e, ", nonce=");
    buf_u64_dec(&e, nonce);
    log_buf(&e);
}

/* SecretProfileView of the row, or null */
static int write_secret_view(buf_t *b, str_t owner, str_t profile) {
    secret_t sec;
    if (!load_secret(owner, profile, &sec)) {
        buf_cstr(b, "null");
        return 0;
    }
    buf_cstr(b, "{\"encrypted_secrets\":");
    json_write_string(b, sec.encrypted);
    buf_cstr(b, ",\"access\":");
    buf_str(b, sec.access);
    buf_cstr(b, ",\"created_at\":");
    buf_u64_dec(b, sec.created_at);
    buf_cstr(b, ",\"updated_at\":");
    buf_u64_dec(b, sec.updated_at);
    buf_cstr(b, ",\"storage_deposit\":");
    json_write_u128_string(b, sec.storage_deposit);
    buf_cstr(b, ",\"accessor\":{\"System\":\"PaymentKey\"}}");
    return 1;
}

/* the views' {accessor, profile, owner}: a payment key's row, by the profile's one spelling */
static str_t view_row(str_t args, str_t *owner) {
    require_payment_key_accessor(args);
    str_t profile = canonical_profile(required_string(args, "profile"));
    *owner = required_account(args, "owner");
    return profile;
}

/* a view of one row: {accessor, profile, owner} in, what `write` makes of the row out */
static void return_row_view(int (*write)(buf_t *, str_t, str_t)) {
    str_t owner;
    str_t profile = view_row(json_args(rt_input()), &owner);
    buf_t b = buf_new(256);
    write(&b, owner, profile);
    rt_return(buf_view(&b));
}

/* get_secrets {accessor, profile, owner} -> SecretProfileView or null */
EXPORT(get_secrets) void get_secrets(void) { return_row_view(write_secret_view); }

/* estimate_storage_cost {accessor, profile, owner, encrypted_secrets_base64, access, vault_id?} -> "yoctoNEAR" */
EXPORT(estimate_storage_cost) void estimate_storage_cost(void) {
    str_t args = json_args(rt_input());
    str_t owner;
    str_t profile = view_row(args, &owner);
    str_t encrypted = required_string(args, "encrypted_secrets_base64");
    str_t access = required_access_condition(args, "access");
    str_t vault;
    u64 size = secret_storage(owner, profile, encrypted, access) +
               vault_binding_storage(owner, profile, vault_id_arg(args, &vault));
    buf_t b = buf_new(48);
    json_write_u128_string(&b, u128_mul_u64(STORAGE_PRICE_PER_BYTE, size));
    rt_return(buf_view(&b));
}

/* get_secret_vault {accessor, profile, owner} -> the bound vault's account id, or null (the default master) */
EXPORT(get_secret_vault) void get_secret_vault(void) { return_row_view(write_vault_id); }

/* SecretWithVault {profile, vault_id}: the binding only beside a secret, as b65db3a reads it through get_secrets */
static int write_secret_with_vault(buf_t *b, str_t owner, str_t profile) {
    buf_cstr(b, "{\"profile\":");
    int found = write_secret_view(b, owner, profile);
    buf_cstr(b, ",\"vault_id\":");
    if (found) write_vault_id(b, owner, profile);
    else buf_cstr(b, "null");
    buf_byte(b, '}');
    return found;
}

/* get_secret_with_vault {accessor, profile, owner} -> SecretWithVault */
EXPORT(get_secret_with_vault) void get_secret_with_vault(void) { return_row_view(write_secret_with_vault); }

/* secrets_exist's answer: whether the row is there */
static int write_exists(buf_t *b, str_t owner, str_t profile) {
    int found = rt_storage_has(secret_key(owner, profile));
    buf_cstr(b, found ? "true" : "false");
    return found;
}

/* secrets_exist {accessor, profile, owner} -> bool (secrets.rs at b65db3a), by the profile's one spelling */
EXPORT(secrets_exist) void secrets_exist(void) { return_row_view(write_exists); }

/* unbind_secret_vault {accessor, profile}: the caller's own row only; the row's storage deposit is left as it is,
 * as b65db3a leaves it. Idempotent for a row without a binding. */
EXPORT(unbind_secret_vault) void unbind_secret_vault(void) {
    rt_require_no_deposit("unbind_secret_vault");
    str_t args = json_args(rt_input());
    str_t caller = rt_predecessor();
    require_payment_key_accessor(args);
    str_t profile = canonical_profile(required_string(args, "profile"));
    if (!rt_storage_has(secret_key(caller, profile))) rt_panic("secret not found or not owned by caller");
    vault_binding_drop(caller, profile);
}

/*
 * delete_secrets {accessor, profile} (no deposit): secrets.rs delete_secrets at out-layer/outlayer b65db3a, which
 * refuses no accessor, so a payment key leaves by this door too: the caller's own row by the profile's one spelling,
 * removed by delete_secrets_internal (deposit refunded to the caller, binding and index entry dropped), then
 * "Secrets deleted: ...". No system_event and no yield: unlike delete_payment_key, the coordinator is not told.
 */
EXPORT(delete_secrets) void delete_secrets(void) {
    rt_require_no_deposit("delete_secrets");
    str_t args = json_args(rt_input());
    str_t caller = rt_predecessor();
    require_payment_key_accessor(args);
    str_t profile = canonical_profile(required_string(args, "profile"));
    delete_secrets_internal(caller, profile);

    buf_t m = buf_new(128);
    buf_cstr(&m, "Secrets deleted: accessor=System(PaymentKey), profile=");
    buf_str(&m, profile);
    buf_cstr(&m, ", owner=");
    buf_str(&m, caller);
    log_buf(&m);
}

/*
 * update_access {accessor, profile, new_access} (payable): secrets.rs update_access at out-layer/outlayer b65db3a,
 * which takes every accessor, System(PaymentKey) among them. The row is the caller's own (owner = predecessor), so
 * another account's key is "Secrets not found"; the new condition is parsed with the arguments, then bounded as a
 * store bounds it, and the row re-priced with its ciphertext and the new condition: the deposit it holds counts,
 * the rest is refunded, only growth asks for more. The ciphertext, created_at and the nonce index are untouched,
 * and no system_event is emitted (b65db3a emits none).
 */
EXPORT(update_access) void update_access(void) {
    str_t args = json_args(rt_input());
    str_t caller = rt_predecessor();
    require_payment_key_accessor(args);
    str_t profile = canonical_profile(required_string(args, "profile"));
    str_t access = required_access_condition(args, "new_access");
    secret_t row;
    if (!load_secret(caller, profile, &row)) rt_panic("Secrets not found");
    assert_account_pattern_bounds(access);

    /* priced as a store prices it: the binding, which an edit never changes, counted when there is one */
    u128 required = u128_mul_u64(STORAGE_PRICE_PER_BYTE, secret_storage(caller, profile, row.encrypted, access) +
                                                             vault_binding_storage(caller, profile, 0));
    u128 attached = rt_attached_deposit();
    u128 available = attached + row.storage_deposit;
    if (available < required) {
        buf_t m = buf_new(200);
        buf_cstr(&m, "Insufficient deposit for this condition. Required: ");
        buf_u128_dec(&m, required);
        buf_cstr(&m, " yoctoNEAR, available (attached ");
        buf_u128_dec(&m, attached);
        buf_cstr(&m, " + already held ");
        buf_u128_dec(&m, row.storage_deposit);
        buf_cstr(&m, "): ");
        buf_u128_dec(&m, available);
        buf_cstr(&m, " yoctoNEAR");
        rt_panic_str(buf_view(&m));
    }
    if (available > required) transfer(caller, available - required);
    row.access = access;
    row.updated_at = block_timestamp();
    row.storage_deposit = required;
    save_secret(caller, profile, &row);

    buf_t m = buf_new(128);
    buf_cstr(&m, "Access control updated: accessor=System(PaymentKey), profile=");
    buf_str(&m, profile);
    buf_cstr(&m, ", deposit=");
    buf_u128_dec(&m, required);
    log_buf(&m);
}

static const u64 LIST_DEFAULT_LIMIT = 100;
static const u64 LIST_MAX_LIMIT = 500;

/*
 * list_user_secrets {account_id, from_index?, limit?} -> [UserSecretInfo]: secrets.rs at out-layer/outlayer b65db3a,
 * one page of the owner's user_secrets_index in the set's order (nonce_index): from_index entries skipped (absent
 * or null: 0), then at most limit (absent or null: 100, capped at 500). OutLayer casts from_index `as usize`, which
 * on wasm32 keeps its low 32 bits. UserSecretInfo is {accessor, profile, created_at, updated_at, storage_deposit,
 * access}, serde's field order.
 */
EXPORT(list_user_secrets) void list_user_secrets(void) {
    str_t args = json_args(rt_input());
    str_t owner = required_account(args, "account_id");
    u64 from = 0, limit = LIST_DEFAULT_LIMIT;
    optional_u64(args, "from_index", &from);
    optional_u64(args, "limit", &limit);
    if (limit > LIST_MAX_LIMIT) limit = LIST_MAX_LIMIT;
    u64 start = (u32)from;

    str_t nonces = nonce_index(owner);
    u64 count = nonces.len / 4;
    u64 end = start + limit < count ? start + limit : count;
    buf_t b = buf_new(256);
    buf_byte(&b, '[');
    for (u64 i = start; i < end; i++) {
        str_t profile = nonce_profile(le_u32(nonces.ptr + 4 * i));
        secret_t sec;
        if (!load_secret(owner, profile, &sec)) continue; /* filter_map: an entry without its row is left out */
        if (b.len > 1) buf_byte(&b, ',');
        buf_cstr(&b, "{\"accessor\":{\"System\":\"PaymentKey\"},\"profile\":");
        json_write_string(&b, profile);
        buf_cstr(&b, ",\"created_at\":");
        buf_u64_dec(&b, sec.created_at);
        buf_cstr(&b, ",\"updated_at\":");
        buf_u64_dec(&b, sec.updated_at);
        buf_cstr(&b, ",\"storage_deposit\":");
        json_write_u128_string(&b, sec.storage_deposit);
        buf_cstr(&b, ",\"access\":");
        buf_str(&b, sec.access);
        buf_byte(&b, '}');
    }
    buf_byte(&b, ']');
    rt_return(buf_view(&b));
}

/*
 * get_next_payment_key_nonce {account_id} -> u32: the owner's highest payment-key nonce + 1, 1 for an owner with
 * none (views.rs as of secrets.rs b65db3a, which keeps no nonce floor: a deleted highest nonce is offered again).
 * A stored nonce is at most 2^31 - 1 (payment_key_nonce), so the sum fits the u32.
 */
EXPORT(get_next_payment_key_nonce) void get_next_payment_key_nonce(void) {
    str_t owner = required_account(json_args(rt_input()), "account_id");
    str_t nonces = nonce_index(owner);
    u32 max = 0;
    for (u32 i = 0; i < nonces.len; i += 4) {
        u32 n = le_u32(nonces.ptr + i);
        if (n > max) max = n;
    }
    buf_t b = buf_new(12);
    buf_u64_dec(&b, (u64)max + 1);
    rt_return(buf_view(&b));
}

static const char *const RESULT_VARIANTS[] = {"Success", "Error"};

/* ---------- payment key top-ups and deletion (payment.rs: ft_on_transfer, yields, resume methods) ---------- */

static const u64 MIN_TOP_UP_AMOUNT = 10000; /* $0.01 of a 6-decimal stablecoin */
static const u64 TOP_UP_CALLBACK_GAS = 30000000000000ull; /* 30 Tgas */
static const u64 DELETE_CALLBACK_GAS = 30000000000000ull;
static const str_t PAYMENT_TOKEN_KEY = STR("PT");

/* set_payment_token_contract {token_contract} (owner): the stablecoin top-ups are accepted in */
EXPORT(set_payment_token_contract) void set_payment_token_contract(void) {
    str_t args = json_args(rt_input());
    state_t s = load_state();
    str_t predecessor = rt_predecessor();
    if (!str_eq(predecessor, s.owner_id)) assert_eq_failed("Only owner can call this", predecessor, s.owner_id);
    str_t token = required_account(args, "token_contract");
    rt_storage_write(PAYMENT_TOKEN_KEY, token);
    buf_t m = buf_new(96);
    buf_cstr(&m, "Payment token contract set to ");
    buf_str(&m, token);
    log_buf(&m);
}

EXPORT(get_payment_token_contract) void get_payment_token_contract(void) {
    str_t token;
    if (!rt_storage_read(PAYMENT_TOKEN_KEY, &token)) {
        rt_return(STR("null"));
        return;
    }
    buf_t b = buf_new(token.len + 2);
    json_write_string(&b, token);
    rt_return(buf_view(&b));
}

static u32 json_nonce(str_t obj) {
    u64 v = required_u64(obj, "nonce");
    if (v > 0xFFFFFFFFull) json_fail("invalid value: expected u32 for field", "nonce");
    return (u32)v;
}

static u64 yield_with(const char *callback, str_t data, u64 gas) {
    u32 len = 0;
    while (callback[len]) len++;
    u64 promise = promise_yield_create(len, (u64)(u32)callback, data.len, (u64)(u32)data.ptr, gas,
                                       GAS_WEIGHT_DEFAULT, DATA_ID_REGISTER);
    return promise;
}

static str_t yield_data_id(void) {
    str_t data_id = read_register_str(DATA_ID_REGISTER);
    if (data_id.ptr == 0 || data_id.len != 32) rt_panic("Failed to read data_id");
    return data_id;
}

static void log_owner_nonce(const char *before, str_t owner, u32 nonce, const char *after_name, str_t after) {
    buf_t m = buf_new(128 + owner.len + after.len);
    buf_cstr(&m, before);
    buf_cstr(&m, "owner=");
    buf_str(&m, owner);
    buf_cstr(&m, ", nonce=");
    buf_u64_dec(&m, nonce);
    if (after_name) {
        buf_cstr(&m, after_name);
        buf_str(&m, after);
    }
    log_buf(&m);
}

/* ft_on_transfer {sender_id, amount, msg}: msg {"action":"top_up_payment_key","nonce":N} from the payment token */
EXPORT(ft_on_transfer) void ft_on_transfer(void) {
    str_t args = json_args(rt_input());
    state_t s = load_state();
    str_t sender = required_account(args, "sender_id");
    u128 amount = json_u128_string(required_value(args, "amount"), "amount");
    str_t msg = required_string(args, "msg");
    str_t token = rt_predecessor();
    str_t configured;
    if (!rt_storage_read(PAYMENT_TOKEN_KEY, &configured)) rt_panic("Payment token contract not configured");
    if (!str_eq(token, configured)) {
        buf_t m = buf_new(128);
        buf_cstr(&m, "Invalid token contract. Expected: ");
        buf_str(&m, configured);
        buf_cstr(&m, ", got: ");
        buf_str(&m, token);
        rt_panic_str(buf_view(&m));
    }
    static const char bad_msg[] = "Invalid msg format. Expected: {\"action\": \"top_up_payment_key\", \"nonce\": 0}";
    if (!json_is_object(msg)) rt_panic(bad_msg);
    str_t action;
    if (!optional_string(msg, "action", &action)) rt_panic(bad_msg);
    if (str_eq(action, STR("deposit_balance"))) {
        /* handle_deposit_balance: the whole amount becomes the sender's balance, none goes back */
        u128 balance = ledger_get(USER_BALANCE, sender) + amount;
        ledger_put(USER_BALANCE, sender, balance);
        buf_t tail = buf_new(64);
        buf_cstr(&tail, " (new balance: ");
        buf_u128_dec(&tail, balance);
        buf_byte(&tail, ')');
        log_stablecoin("Deposited", amount, "to", sender, buf_view(&tail));
        rt_return(STR("\"0\""));
        return;
    }
    if (!str_eq(action, STR("top_up_payment_key"))) rt_panic(bad_msg);
    str_t nonce_value;
    if (!json_field(msg, "nonce", &nonce_value)) rt_panic(bad_msg);
    u32 nonce = json_nonce(msg);

    if (amount < MIN_TOP_UP_AMOUNT) rt_panic("Minimum top-up is $0.01 (10000 minimal units)");
    secret_t sec;
    if (!load_secret(sender, nonce_profile(nonce), &sec))
        rt_panic("Payment key not found. Create it first with store_secrets()");

    buf_t d = buf_new(sender.len + 96);
    buf_cstr(&d, "{\"owner\":");
    json_write_string(&d, sender);
    buf_cstr(&d, ",\"nonce\":");
    buf_u64_dec(&d, nonce);
    buf_cstr(&d, ",\"amount\":");
    json_write_u128_string(&d, amount);
    buf_byte(&d, '}');
    u64 promise = yield_with("on_top_up_response", buf_view(&d), TOP_UP_CALLBACK_GAS);
    str_t data_id = yield_data_id();
    emit_top_up_event(&s, (const u8 *)data_id.ptr, sender, nonce, amount, sec.encrypted);
    buf_t m = buf_new(128);
    buf_cstr(&m, "TopUp requested: owner=");
    buf_str(&m, sender);
    buf_cstr(&m, ", nonce=");
    buf_u64_dec(&m, nonce);
    buf_cstr(&m, ", amount=");
    buf_u128_dec(&m, amount);
    log_buf(&m);
    promise_return(promise);
}

/* the resumed result: 1 with the JSON in *value, 0 when the yield timed out */
static int yield_result(str_t *value) {
    if (promise_results_count() != 1) rt_panic("Expected 1 promise result.");
    if (promise_result(0, RESULT_REGISTER) != 1) return 0;
    *value = read_register_str(RESULT_REGISTER);
    return 1;
}

/* on_top_up_response {owner, nonce, amount} + TopUpResult: returns the amount to refund (U128) */
EXPORT(on_top_up_response) void on_top_up_response(void) {
    assert_private("on_top_up_response");
    str_t args = json_args(rt_input());
    str_t owner = required_account(args, "owner");
    u32 nonce = json_nonce(args);
    u128 amount = json_u128_string(required_value(args, "amount"), "amount");
    str_t value;
    u128 refund = amount;
    if (!yield_result(&value)) {
        log_owner_nonce("TopUp callback timeout: ", owner, nonce, 0, STR(""));
    } else {
        str_t body;
        str_t kind = enum_variant_of(json_args(value), "result", RESULT_VARIANTS, 2, &body);
        if (str_eq(kind, STR("Success"))) {
            str_t encrypted = required_string(body, "new_encrypted_data");
            str_t profile = nonce_profile(nonce);
            secret_t sec;
            if (load_secret(owner, profile, &sec)) {
                buf_t m = buf_new(160);
                buf_cstr(&m, "Updating Payment Key secret: owner=");
                buf_str(&m, owner);
                buf_cstr(&m, ", nonce=");
                buf_u64_dec(&m, nonce);
                buf_cstr(&m, ", old_len=");
                buf_u64_dec(&m, sec.encrypted.len);
                buf_cstr(&m, ", new_len=");
                buf_u64_dec(&m, encrypted.len);
                log_buf(&m);
                sec.encrypted = encrypted;
                sec.updated_at = block_timestamp();
                save_secret(owner, profile, &sec);
                buf_t a = buf_new(48);
                buf_u128_dec(&a, amount);
                log_owner_nonce("Payment key topped up: ", owner, nonce, ", amount=", buf_view(&a));
                refund = 0;
            } else {
                log_owner_nonce("Payment key not found during callback: ", owner, nonce, 0, STR(""));
            }
        } else if (str_eq(kind, STR("Error"))) {
            log_owner_nonce("TopUp failed: ", owner, nonce, ", error=", required_string(body, "message"));
        } else {
            json_fail("unknown variant, expected `Success` or `Error` for field", "result");
        }
    }
    buf_t b = buf_new(48);
    json_write_u128_string(&b, refund);
    rt_return(buf_view(&b));
}

static int hex_nibble(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* data_id as 64 hex digits (hex::decode then a [u8; 32]) */
static str_t hex_data_id(str_t hex) {
    if (hex.len % 2 != 0) rt_panic("Invalid data_id hex: OddLength");
    char *bytes = rt_alloc(hex.len / 2 + 1);
    for (u32 i = 0; i < hex.len; i += 2) {
        int hi = hex_nibble(hex.ptr[i]), lo = hex_nibble(hex.ptr[i + 1]);
        if (hi < 0 || lo < 0) rt_panic("Invalid data_id hex: InvalidHexCharacter");
        bytes[i / 2] = (char)(hi * 16 + lo);
    }
    if (hex.len != 64) rt_panic("Invalid data_id length");
    return (str_t){bytes, 32};
}

static void resume_system_yield(const char *only_operator, const char *what, str_t args, const char *result_field) {
    state_t s = load_state();
    str_t predecessor = rt_predecessor();
    if (!str_eq(predecessor, s.operator_id)) rt_panic(only_operator);
    str_t hex = required_string(args, "data_id");
    str_t data_id = hex_data_id(hex);
    str_t result = json_compact(required_value(args, result_field));
    buf_t m = buf_new(128);
    buf_cstr(&m, what);
    if (promise_yield_resume(32, (u64)(u32)data_id.ptr, result.len, (u64)(u32)result.ptr)) {
        buf_cstr(&m, " yield resumed: data_id=");
    } else {
        buf_cstr(&m, " yield resume failed (timeout?): data_id=");
    }
    buf_str(&m, hex);
    log_buf(&m);
}

/* resume_topup {data_id (hex), result: TopUpResult} (operator) */
EXPORT(resume_topup) void resume_topup(void) {
    str_t args = json_args(rt_input());
    str_t body;
    str_t kind = enum_variant_of(required_value(args, "result"), "result", RESULT_VARIANTS, 2, &body);
    if (str_eq(kind, STR("Success"))) required_string(body, "new_encrypted_data");
    else if (str_eq(kind, STR("Error"))) required_string(body, "message");
    else json_fail("unknown variant, expected `Success` or `Error` for field", "result");
    resume_system_yield("Only operator can resume topup", "TopUp", args, "result");
}

/* delete_payment_key {nonce} (1 yoctoNEAR at least): DeletePaymentKey event + yield */
EXPORT(delete_payment_key) void delete_payment_key(void) {
    str_t args = json_args(rt_input());
    state_t s = load_state();
    str_t caller = rt_predecessor();
    if (rt_attached_deposit() < 1) rt_panic("Requires attached deposit of at least 1 yoctoNEAR");
    u32 nonce = json_nonce(args);
    secret_t sec;
    if (!load_secret(caller, nonce_profile(nonce), &sec)) {
        buf_t m = buf_new(96);
        buf_cstr(&m, "Payment key not found: owner=");
        buf_str(&m, caller);
        buf_cstr(&m, ", nonce=");
        buf_u64_dec(&m, nonce);
        rt_panic_str(buf_view(&m));
    }
    buf_t d = buf_new(caller.len + 48);
    buf_cstr(&d, "{\"owner\":");
    json_write_string(&d, caller);
    buf_cstr(&d, ",\"nonce\":");
    buf_u64_dec(&d, nonce);
    buf_byte(&d, '}');
    u64 promise = yield_with("on_delete_payment_key_response", buf_view(&d), DELETE_CALLBACK_GAS);
    str_t data_id = yield_data_id();
    buf_t e = buf_new(caller.len + 200);
    buf_cstr(&e, "{\"DeletePaymentKey\":{\"data_id\":");
    json_write_byte_array(&e, data_id.ptr, 32);
    buf_cstr(&e, ",\"owner\":");
    json_write_string(&e, caller);
    buf_cstr(&e, ",\"nonce\":");
    buf_u64_dec(&e, nonce);
    buf_cstr(&e, "}}");
    emit_event(&s, "system_event", buf_view(&e));
    log_owner_nonce("DeletePaymentKey requested: ", caller, nonce, 0, STR(""));
    promise_return(promise);
}

/* on_delete_payment_key_response {owner, nonce} + DeletePaymentKeyResult: Success removes the secret, refunds its deposit */
EXPORT(on_delete_payment_key_response) void on_delete_payment_key_response(void) {
    assert_private("on_delete_payment_key_response");
    str_t args = json_args(rt_input());
    str_t owner = required_account(args, "owner");
    u32 nonce = json_nonce(args);
    str_t value;
    if (!yield_result(&value)) {
        log_owner_nonce("DeletePaymentKey callback timeout: ", owner, nonce, 0, STR(""));
        return;
    }
    str_t trimmed = json_compact(value);
    if (str_eq(trimmed, STR("\"Success\""))) {
        log_owner_nonce("Deleting Payment Key secret from storage: ", owner, nonce, 0, STR(""));
        delete_secrets_internal(owner, nonce_profile(nonce));
        log_owner_nonce("Payment key deleted: ", owner, nonce, 0, STR(""));
        return;
    }
    str_t body;
    str_t kind = enum_variant_of(json_args(value), "result", RESULT_VARIANTS, 2, &body);
    if (!str_eq(kind, STR("Error"))) json_fail("unknown variant, expected `Success` or `Error` for field", "result");
    log_owner_nonce("DeletePaymentKey failed: ", owner, nonce, ", error=", required_string(body, "message"));
}

/* resume_delete_payment_key {data_id (hex), result: "Success" | {"Error": {message}}} (operator) */
EXPORT(resume_delete_payment_key) void resume_delete_payment_key(void) {
    str_t args = json_args(rt_input());
    str_t result = json_compact(required_value(args, "result"));
    if (!str_eq(result, STR("\"Success\""))) {
        str_t body;
        str_t kind = enum_variant_of(result, "result", RESULT_VARIANTS, 2, &body);
        if (!str_eq(kind, STR("Error"))) json_fail("unknown variant, expected `Success` or `Error` for field", "result");
        required_string(body, "message");
    }
    resume_system_yield("Only operator can resume delete_payment_key", "DeletePaymentKey", args, "result");
}

/* ---------- developer earnings withdrawal and the ledgers' views (lib.rs, views.rs) ---------- */

static const u64 FT_TRANSFER_GAS = 10000000000000ull;     /* 10 Tgas */
static const u64 WITHDRAW_CALLBACK_GAS = 5000000000000ull; /* 5 Tgas */

static void function_call(u64 promise, const char *method, str_t args, u128 deposit, u64 gas, int weighted) {
    u8 le[16];
    for (int i = 0; i < 16; i++) le[i] = (u8)(deposit >> (8 * i));
    u32 len = 0;
    while (method[len]) len++;
    if (weighted) {
        promise_batch_action_function_call_weight(promise, len, (u64)(u32)method, args.len, (u64)(u32)args.ptr,
                                                  (u64)(u32)le, gas, GAS_WEIGHT_DEFAULT);
    } else {
        promise_batch_action_function_call(promise, len, (u64)(u32)method, args.len, (u64)(u32)args.ptr,
                                           (u64)(u32)le, gas);
    }
}

/*
 * withdraw_developer_earnings (>= 1 yoctoNEAR): the caller's whole earnings leave the ledger and go
 * out by ft_transfer on the payment token, then on_withdraw_developer_earnings puts them back if the
 * transfer failed. near-sdk: Promise::function_call, then Self::ext with 5 Tgas static gas (weight 1).
 */
EXPORT(withdraw_developer_earnings) void withdraw_developer_earnings(void) {
    load_state();
    if (rt_attached_deposit() < 1) rt_panic("Requires attached deposit of at least 1 yoctoNEAR");
    str_t caller = rt_predecessor();
    u128 balance = ledger_get(DEVELOPER_EARNINGS, caller);
    if (balance == 0) rt_panic("No earnings to withdraw");
    str_t token;
    if (!rt_storage_read(PAYMENT_TOKEN_KEY, &token)) rt_panic("Payment token contract not configured");
    rt_storage_remove(prefixed_key(DEVELOPER_EARNINGS, caller, STR("")));
    buf_t m = buf_new(96 + caller.len);
    buf_cstr(&m, "Developer ");
    buf_str(&m, caller);
    buf_cstr(&m, " initiating withdrawal of ");
    buf_u128_dec(&m, balance);
    buf_cstr(&m, " stablecoin");
    log_buf(&m);

    buf_t a = buf_new(caller.len + 96);
    buf_byte(&a, '{');
    json_write_key(&a, "receiver_id");
    json_write_string(&a, caller);
    buf_byte(&a, ',');
    json_write_key(&a, "amount");
    json_write_u128_string(&a, balance);
    buf_byte(&a, ',');
    json_write_key(&a, "memo");
    json_write_string(&a, STR("Developer earnings withdrawal"));
    buf_byte(&a, '}');
    u64 transfer_promise = promise_batch_create(token.len, (u64)(u32)token.ptr);
    function_call(transfer_promise, "ft_transfer", buf_view(&a), 1, FT_TRANSFER_GAS, 0);

    buf_t c = buf_new(caller.len + 64);
    buf_byte(&c, '{');
    json_write_key(&c, "developer");
    json_write_string(&c, caller);
    buf_byte(&c, ',');
    json_write_key(&c, "amount");
    json_write_u128_string(&c, balance);
    buf_byte(&c, '}');
    str_t self = rt_current_account();
    u64 callback = promise_batch_then(transfer_promise, self.len, (u64)(u32)self.ptr);
    function_call(callback, "on_withdraw_developer_earnings", buf_view(&c), 0, WITHDRAW_CALLBACK_GAS, 1);
    promise_return(callback);
}

/* on_withdraw_developer_earnings {developer, amount} + ft_transfer's Result<(), PromiseError> (private) */
EXPORT(on_withdraw_developer_earnings) void on_withdraw_developer_earnings(void) {
    assert_private("on_withdraw_developer_earnings");
    rt_require_no_deposit("on_withdraw_developer_earnings");
    str_t args = json_args(rt_input());
    str_t developer = required_account(args, "developer");
    u128 amount = json_u128_string(required_value(args, "amount"), "amount");
    if (promise_results_count() != 1) rt_panic("Expected 1 promise result.");
    if (promise_result(0, RESULT_REGISTER) == 1) {
        /* near-sdk reads () from an empty result, else as JSON */
        str_t value = read_register_str(RESULT_REGISTER);
        if (value.len > 0 && !json_is_null(json_compact(value))) rt_panic("Failed to deserialize callback using JSON");
        load_state();
        buf_t m = buf_new(96 + developer.len);
        buf_cstr(&m, "Developer ");
        buf_str(&m, developer);
        buf_cstr(&m, " successfully withdrew ");
        buf_u128_dec(&m, amount);
        buf_cstr(&m, " stablecoin");
        log_buf(&m);
        return;
    }
    load_state();
    ledger_put(DEVELOPER_EARNINGS, developer, ledger_get(DEVELOPER_EARNINGS, developer) + amount);
    buf_t m = buf_new(96 + developer.len);
    buf_cstr(&m, "ft_transfer failed, restored ");
    buf_u128_dec(&m, amount);
    buf_cstr(&m, " stablecoin to developer ");
    buf_str(&m, developer);
    log_buf(&m);
}

static void return_ledger(char ledger) {
    str_t account = required_account(json_args(rt_input()), "account_id");
    buf_t b = buf_new(48);
    json_write_u128_string(&b, ledger_get(ledger, account));
    rt_return(buf_view(&b));
}

/* get_developer_earnings {account_id} -> U128 */
EXPORT(get_developer_earnings) void get_developer_earnings(void) { return_ledger(DEVELOPER_EARNINGS); }

/* get_user_stablecoin_balance {account_id} -> U128 */
EXPORT(get_user_stablecoin_balance) void get_user_stablecoin_balance(void) { return_ledger(USER_BALANCE); }
