#include "json.h"

#define MAX_DEPTH 128 /* serde_json's recursion limit */

typedef struct {
    const char *s;
    u32 len;
    u32 pos;
} cursor_t;

void json_fail(const char *reason, const char *field) {
    buf_t m = buf_new(96);
    buf_cstr(&m, JSON_ARGS_ERROR);
    buf_cstr(&m, " ");
    buf_cstr(&m, reason);
    if (field) {
        buf_cstr(&m, " `");
        buf_cstr(&m, field);
        buf_cstr(&m, "`");
    }
    rt_panic_str(buf_view(&m));
}

__attribute__((noreturn)) static void fail_at(const char *reason, cursor_t *c) {
    buf_t m = buf_new(96);
    buf_cstr(&m, reason);
    buf_cstr(&m, " at byte ");
    buf_u64_dec(&m, c->pos);
    buf_byte(&m, 0);
    json_fail(m.ptr, 0);
}

static int peek(cursor_t *c) { return c->pos < c->len ? (u8)c->s[c->pos] : -1; }

static void skip_ws(cursor_t *c) {
    while (c->pos < c->len) {
        char ch = c->s[c->pos];
        if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r') break;
        c->pos++;
    }
}

static int hex_digit(int ch) {
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

static u32 read_hex4(cursor_t *c) {
    if (c->pos + 4 > c->len) fail_at("EOF while parsing a string", c);
    u32 v = 0;
    for (int i = 0; i < 4; i++) {
        int d = hex_digit((u8)c->s[c->pos++]);
        if (d < 0) fail_at("invalid escape", c);
        v = v << 4 | (u32)d;
    }
    return v;
}

static void put_utf8(buf_t *out, u32 cp) {
    if (!out) return;
    if (cp < 0x80) {
        buf_byte(out, (char)cp);
    } else if (cp < 0x800) {
        buf_byte(out, (char)(0xC0 | cp >> 6));
        buf_byte(out, (char)(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        buf_byte(out, (char)(0xE0 | cp >> 12));
        buf_byte(out, (char)(0x80 | ((cp >> 6) & 0x3F)));
        buf_byte(out, (char)(0x80 | (cp & 0x3F)));
    } else {
        buf_byte(out, (char)(0xF0 | cp >> 18));
        buf_byte(out, (char)(0x80 | ((cp >> 12) & 0x3F)));
        buf_byte(out, (char)(0x80 | ((cp >> 6) & 0x3F)));
        buf_byte(out, (char)(0x80 | (cp & 0x3F)));
    }
}

/* Length of the valid UTF-8 sequence starting at c->pos, or 0 if invalid. */
static u32 utf8_len(cursor_t *c) {
    const u8 *p = (const u8 *)c->s + c->pos;
    u32 left = c->len - c->pos;
    u8 b0 = p[0];
    u32 n, min;
    u32 cp;
    if (b0 < 0x80) return 1;
    if ((b0 & 0xE0) == 0xC0) { n = 2; cp = b0 & 0x1F; min = 0x80; }
    else if ((b0 & 0xF0) == 0xE0) { n = 3; cp = b0 & 0x0F; min = 0x800; }
    else if ((b0 & 0xF8) == 0xF0) { n = 4; cp = b0 & 0x07; min = 0x10000; }
    else return 0;
    if (left < n) return 0;
    for (u32 i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0;
        cp = cp << 6 | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return n;
}

/* Parses a string at the opening quote; decodes into `out` when given. */
static void parse_string(cursor_t *c, buf_t *out) {
    c->pos++; /* opening quote */
    for (;;) {
        if (c->pos >= c->len) fail_at("EOF while parsing a string", c);
        u8 ch = (u8)c->s[c->pos];
        if (ch == '"') {
            c->pos++;
            return;
        }
        if (ch < 0x20) fail_at("control character in string", c);
        if (ch == '\\') {
            c->pos++;
            if (c->pos >= c->len) fail_at("EOF while parsing a string", c);
            char e = c->s[c->pos++];
            u32 cp;
            switch (e) {
                case '"': cp = '"'; break;
                case '\\': cp = '\\'; break;
                case '/': cp = '/'; break;
                case 'b': cp = 8; break;
                case 'f': cp = 12; break;
                case 'n': cp = 10; break;
                case 'r': cp = 13; break;
                case 't': cp = 9; break;
                case 'u':
                    cp = read_hex4(c);
                    if (cp >= 0xDC00 && cp <= 0xDFFF) fail_at("lone trailing surrogate in hex escape", c);
                    if (cp >= 0xD800 && cp <= 0xDBFF) {
                        if (c->pos + 2 > c->len || c->s[c->pos] != '\\' || c->s[c->pos + 1] != 'u')
                            fail_at("lone leading surrogate in hex escape", c);
                        c->pos += 2;
                        u32 lo = read_hex4(c);
                        if (lo < 0xDC00 || lo > 0xDFFF) fail_at("lone leading surrogate in hex escape", c);
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    }
                    break;
                default: fail_at("invalid escape", c);
            }
            put_utf8(out, cp);
            continue;
        }
        u32 n = utf8_len(c);
        if (n == 0) fail_at("invalid unicode code point", c);
        if (out) buf_bytes(out, c->s + c->pos, n);
        c->pos += n;
    }
}

static int is_digit(int ch) { return ch >= '0' && ch <= '9'; }

static void parse_number(cursor_t *c) {
    if (peek(c) == '-') c->pos++;
    if (peek(c) == '0') {
        c->pos++;
    } else if (is_digit(peek(c))) {
        while (is_digit(peek(c))) c->pos++;
    } else {
        fail_at("invalid number", c);
    }
    if (peek(c) == '.') {
        c->pos++;
        if (!is_digit(peek(c))) fail_at("invalid number", c);
        while (is_digit(peek(c))) c->pos++;
    }
    if (peek(c) == 'e' || peek(c) == 'E') {
        c->pos++;
        if (peek(c) == '+' || peek(c) == '-') c->pos++;
        if (!is_digit(peek(c))) fail_at("invalid number", c);
        while (is_digit(peek(c))) c->pos++;
    }
}

static void parse_literal(cursor_t *c, const char *lit) {
    u32 n = rt_strlen(lit);
    if (c->pos + n > c->len || memcmp(c->s + c->pos, lit, n) != 0) fail_at("expected value", c);
    c->pos += n;
}

static void parse_value(cursor_t *c, int depth);

static void parse_container(cursor_t *c, int depth, char close, int is_object) {
    if (depth > MAX_DEPTH) fail_at("recursion limit exceeded", c);
    c->pos++; /* opening bracket */
    skip_ws(c);
    if (peek(c) == close) {
        c->pos++;
        return;
    }
    const char *eof = is_object ? "EOF while parsing an object" : "EOF while parsing a list";
    for (;;) {
        skip_ws(c);
        if (peek(c) < 0) fail_at(eof, c);
        if (is_object) {
            if (peek(c) != '"') fail_at("key must be a string", c);
            parse_string(c, 0);
            skip_ws(c);
            if (peek(c) != ':') fail_at("expected `:`", c);
            c->pos++;
        }
        parse_value(c, depth + 1);
        skip_ws(c);
        int ch = peek(c);
        if (ch < 0) fail_at(eof, c);
        if (ch == ',') {
            c->pos++;
            continue;
        }
        if (ch == close) {
            c->pos++;
            return;
        }
        fail_at(is_object ? "expected `,` or `}`" : "expected `,` or `]`", c);
    }
}

static void parse_value(cursor_t *c, int depth) {
    skip_ws(c);
    switch (peek(c)) {
        case '{': parse_container(c, depth, '}', 1); break;
        case '[': parse_container(c, depth, ']', 0); break;
        case '"': parse_string(c, 0); break;
        case 't': parse_literal(c, "true"); break;
        case 'f': parse_literal(c, "false"); break;
        case 'n': parse_literal(c, "null"); break;
        case -1: fail_at("EOF while parsing a value", c);
        default: parse_number(c);
    }
}

str_t json_args(str_t input) {
    cursor_t c = {input.ptr, input.len, 0};
    skip_ws(&c);
    if (c.pos == c.len) return STR("{}");
    if (peek(&c) != '{') json_fail("invalid type: expected a JSON object of named arguments", 0);
    u32 start = c.pos;
    parse_value(&c, 0);
    u32 end = c.pos;
    skip_ws(&c);
    if (c.pos != c.len) fail_at("trailing characters", &c);
    return (str_t){input.ptr + start, end - start};
}

/* One step of json_object_next / json_array_next: past the opening bracket on the first call (*pos 0), the
 * comma on later ones; 0 (with *pos at the end) when `close` or the end of the text comes next. */
static int next_member(cursor_t *c, u32 *pos, char close) {
    int first = *pos == 0;
    skip_ws(c);
    if (first || peek(c) == ',') {
        c->pos++;
        skip_ws(c);
    }
    if (peek(c) == close || peek(c) < 0) {
        *pos = c->pos;
        return 0;
    }
    return 1;
}

int json_object_next(str_t obj, u32 *pos, str_t *key, str_t *value) {
    cursor_t c = {obj.ptr, obj.len, *pos};
    if (!next_member(&c, pos, '}')) return 0;
    buf_t k = buf_new(32);
    parse_string(&c, &k);
    skip_ws(&c);
    c.pos++; /* ':' */
    skip_ws(&c);
    u32 start = c.pos;
    parse_value(&c, 1);
    *key = buf_view(&k);
    *value = (str_t){obj.ptr + start, c.pos - start};
    *pos = c.pos;
    return 1;
}

int json_field(str_t obj, const char *key, str_t *value) {
    str_t want = str_c(key), k, v;
    u32 pos = 0;
    int found = 0;
    if (!json_is_object(obj)) return 0;
    while (json_object_next(obj, &pos, &k, &v)) {
        if (!str_eq(k, want)) continue;
        if (found) json_fail("duplicate field", key); /* as serde does */
        *value = v;
        found = 1;
    }
    return found;
}

int json_is_null(str_t v) { return v.len == 4 && memcmp(v.ptr, "null", 4) == 0; }

int json_is_object(str_t v) { return v.len > 0 && v.ptr[0] == '{'; }

int json_is_array(str_t v) { return v.len > 0 && v.ptr[0] == '['; }

int json_array_next(str_t array, u32 *pos, str_t *element) {
    cursor_t c = {array.ptr, array.len, *pos};
    if (!next_member(&c, pos, ']')) return 0;
    u32 start = c.pos;
    parse_value(&c, 1);
    *element = (str_t){array.ptr + start, c.pos - start};
    *pos = c.pos;
    return 1;
}

str_t json_string(str_t v, const char *field) {
    if (v.len == 0 || v.ptr[0] != '"') json_fail("invalid type: expected a string for field", field);
    cursor_t c = {v.ptr, v.len, 0};
    buf_t out = buf_new(v.len);
    parse_string(&c, &out);
    return buf_view(&out);
}

static u64 parse_digits(str_t v, u32 from, const char *field, const char *what) {
    if (from >= v.len) json_fail(what, field);
    u64 acc = 0;
    for (u32 i = from; i < v.len; i++) {
        char ch = v.ptr[i];
        if (!is_digit(ch)) json_fail(what, field);
        u64 d = (u64)(ch - '0');
        if (acc > (~0ull - d) / 10) json_fail("number out of range for field", field);
        acc = acc * 10 + d;
    }
    return acc;
}

i64 json_i64(str_t v, const char *field) {
    int neg = v.len > 0 && v.ptr[0] == '-';
    u64 mag = parse_digits(v, neg ? 1 : 0, field, "invalid type: expected an integer for field");
    if (neg) {
        if (mag > (1ull << 63)) json_fail("number out of range for field", field);
        return (i64)(0 - mag);
    }
    if (mag > 0x7FFFFFFFFFFFFFFFull) json_fail("number out of range for field", field);
    return (i64)mag;
}

u64 json_u64(str_t v, const char *field) {
    return parse_digits(v, 0, field, "invalid type: expected a non-negative integer for field");
}

u128 json_u128_string(str_t v, const char *field) {
    str_t s = json_string(v, field);
    if (s.len == 0 || s.len > 39) json_fail("invalid U128 decimal string for field", field);
    u128 acc = 0;
    for (u32 i = 0; i < s.len; i++) {
        if (!is_digit(s.ptr[i])) json_fail("invalid U128 decimal string for field", field);
        /* u128::MAX = 10 * MAX_DIV_10 + 5; checked without 128-bit division (no compiler-rt) */
        const u128 max_div_10 = ((u128)0x1999999999999999ull << 64) | 0x9999999999999999ull;
        u32 d = (u32)(s.ptr[i] - '0');
        if (acc > max_div_10 || (acc == max_div_10 && d > 5)) json_fail("number out of range for field", field);
        acc = u128_mul_u64((u64)acc, 10) + ((u128)((u64)(acc >> 64) * 10) << 64) + d;
    }
    return acc;
}

str_t required_string(str_t obj, const char *key) {
    str_t v;
    if (!json_field(obj, key, &v)) json_fail("missing field", key);
    return json_string(v, key);
}

/* near-sdk's AccountId rules: 2..=64 bytes of [a-z0-9] parts joined by single '-', '_' or '.' */
str_t json_account(str_t value, const char *field) {
    str_t id = json_string(value, field);
    int ok = id.len >= 2 && id.len <= 64;
    int last_sep = 1;
    for (u32 i = 0; ok && i < id.len; i++) {
        char c = id.ptr[i];
        int alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        int sep = c == '-' || c == '_' || c == '.';
        if (alnum) {
            last_sep = 0;
        } else if (sep && !last_sep) {
            last_sep = 1;
        } else {
            ok = 0;
        }
    }
    if (!ok || last_sep) json_fail("invalid account id for field", field);
    return id;
}

str_t required_account(str_t obj, const char *key) {
    str_t v;
    if (!json_field(obj, key, &v)) json_fail("missing field", key);
    return json_account(v, key);
}

int optional_string(str_t obj, const char *key, str_t *out) {
    str_t v;
    if (!json_field(obj, key, &v) || json_is_null(v)) return 0;
    *out = json_string(v, key);
    return 1;
}

int optional_i64(str_t obj, const char *key, i64 *out) {
    str_t v;
    if (!json_field(obj, key, &v) || json_is_null(v)) return 0;
    *out = json_i64(v, key);
    return 1;
}

int optional_u64(str_t obj, const char *key, u64 *out) {
    str_t v;
    if (!json_field(obj, key, &v) || json_is_null(v)) return 0;
    *out = json_u64(v, key);
    return 1;
}

int optional_u128_string(str_t obj, const char *key, u128 *out) {
    str_t v;
    if (!json_field(obj, key, &v) || json_is_null(v)) return 0;
    *out = json_u128_string(v, key);
    return 1;
}

void json_write_string(buf_t *b, str_t s) {
    static const char hex[] = "0123456789abcdef";
    buf_byte(b, '"');
    for (u32 i = 0; i < s.len; i++) {
        u8 ch = (u8)s.ptr[i];
        switch (ch) {
            case '"': buf_cstr(b, "\\\""); break;
            case '\\': buf_cstr(b, "\\\\"); break;
            case '\n': buf_cstr(b, "\\n"); break;
            case '\r': buf_cstr(b, "\\r"); break;
            case '\t': buf_cstr(b, "\\t"); break;
            case 8: buf_cstr(b, "\\b"); break;
            case 12: buf_cstr(b, "\\f"); break;
            default:
                if (ch < 0x20) {
                    buf_cstr(b, "\\u00");
                    buf_byte(b, hex[ch >> 4]);
                    buf_byte(b, hex[ch & 15]);
                } else {
                    buf_byte(b, (char)ch);
                }
        }
    }
    buf_byte(b, '"');
}

void json_write_key(buf_t *b, const char *key) {
    json_write_string(b, str_c(key));
    buf_byte(b, ':');
}
