/*
 * nft.test.near: NEP-171 core, NEP-177 metadata and NEP-181 enumeration with the interface of
 * near-sdk-rs's examples/non-fungible-token (near-contract-standards), JSON in and out,
 * near-sdk panic messages and NEP-297 events. Approvals (NEP-178) are not implemented:
 * tokens report "approved_account_ids": {} as the example does before any nft_approve.
 *
 * State (keys are bytes; integers little-endian; strings borsh: u32 length + bytes):
 *   "STATE"                       owner_id string, total_supply u64
 *   "M"                           contract metadata, canonical JSON
 *   "T" + token_id                owner_id string, index in owner's list u64, token metadata JSON string
 *   "I" + u64 index               token_id of the index-th minted token (mint order)
 *   "C" + owner_id                number of tokens the owner holds, u64
 *   "O" + borsh(owner_id) + u64 i token_id at position i of the owner's list (swap-remove on transfer)
 */
#include "lib/json.h"

#define EXPORT(name) __attribute__((export_name(#name)))

static const u64 STORAGE_PRICE_PER_BYTE = 10000000000000000000ull; /* 10^19 yoctoNEAR */
static const char NFT_METADATA_SPEC[] = "nft-1.0.0";

typedef struct {
    str_t owner_id;
    u64 total_supply;
} state_t;

typedef struct {
    str_t owner_id;
    u64 owner_index;
    str_t metadata_json;
} token_t;

/* ---------- byte helpers ---------- */


static str_t key1(char prefix, str_t rest) {
    buf_t k = buf_new(rest.len + 1);
    buf_byte(&k, prefix);
    buf_str(&k, rest);
    return buf_view(&k);
}

static str_t key_index(u64 index) {
    buf_t k = buf_new(9);
    buf_byte(&k, 'I');
    buf_u64_le(&k, index);
    return buf_view(&k);
}

static str_t key_owner_slot(str_t owner, u64 index) {
    buf_t k = buf_new(owner.len + 13);
    buf_byte(&k, 'O');
    buf_borsh_str(&k, owner);
    buf_u64_le(&k, index);
    return buf_view(&k);
}

static void write_u64_value(str_t key, u64 v) {
    buf_t b = buf_new(8);
    buf_u64_le(&b, v);
    rt_storage_write(key, buf_view(&b));
}

static u64 read_u64_value(str_t key) {
    str_t v;
    if (!rt_storage_read(key, &v)) return 0;
    if (v.len != 8) rt_corrupt_state();
    return le_u64(v.ptr);
}

static str_t read_required(str_t key) {
    str_t v;
    if (!rt_storage_read(key, &v)) rt_corrupt_state();
    return v;
}

/* ---------- state ---------- */

static const str_t STATE_KEY = STR("STATE");

static state_t load_state(void) {
    str_t raw;
    if (!rt_storage_read(STATE_KEY, &raw)) rt_panic("The contract is not initialized");
    reader_t r = {raw, 0};
    state_t s;
    s.owner_id = reader_str(&r);
    s.total_supply = reader_u64(&r);
    return s;
}

static void save_state(const state_t *s) {
    buf_t b = buf_new(s->owner_id.len + 12);
    buf_borsh_str(&b, s->owner_id);
    buf_u64_le(&b, s->total_supply);
    rt_storage_write(STATE_KEY, buf_view(&b));
}

static int load_token(str_t token_id, token_t *t) {
    str_t raw;
    if (!rt_storage_read(key1('T', token_id), &raw)) return 0;
    reader_t r = {raw, 0};
    t->owner_id = reader_str(&r);
    t->owner_index = reader_u64(&r);
    t->metadata_json = reader_str(&r);
    return 1;
}

static void save_token(str_t token_id, const token_t *t) {
    buf_t b = buf_new(t->owner_id.len + t->metadata_json.len + 16);
    buf_borsh_str(&b, t->owner_id);
    buf_u64_le(&b, t->owner_index);
    buf_borsh_str(&b, t->metadata_json);
    rt_storage_write(key1('T', token_id), buf_view(&b));
}

/* Enumeration: an unordered set per owner, as near-sdk's UnorderedSet (swap-remove). */
static void owner_add(str_t owner, str_t token_id, token_t *t) {
    str_t count_key = key1('C', owner);
    u64 n = read_u64_value(count_key);
    rt_storage_write(key_owner_slot(owner, n), token_id);
    write_u64_value(count_key, n + 1);
    t->owner_index = n;
}

static void owner_remove(str_t owner, u64 index) {
    str_t count_key = key1('C', owner);
    u64 n = read_u64_value(count_key);
    if (n == 0 || index >= n) rt_corrupt_state();
    u64 last = n - 1;
    if (index != last) {
        str_t moved_id = read_required(key_owner_slot(owner, last));
        rt_storage_write(key_owner_slot(owner, index), moved_id);
        token_t moved;
        if (!load_token(moved_id, &moved)) rt_corrupt_state();
        moved.owner_index = index;
        save_token(moved_id, &moved);
    }
    rt_storage_remove(key_owner_slot(owner, last));
    if (last == 0) {
        rt_storage_remove(count_key);
    } else {
        write_u64_value(count_key, last);
    }
}

/* ---------- argument parsing ---------- */

static int is_base64(str_t s) {
    if (s.len % 4 != 0) return 0;
    u32 pad = 0;
    for (u32 i = 0; i < s.len; i++) {
        char c = s.ptr[i];
        int alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
        if (c == '=') {
            pad++;
        } else if (!alpha || pad) {
            return 0;
        }
    }
    return pad <= 2;
}

typedef enum { F_STRING, F_U64, F_BASE64 } field_kind;

typedef struct {
    const char *name;
    field_kind kind;
    int required;
} field_t;

/* Re-serializes a metadata object with serde's field order; absent optional fields become null. */
static str_t canonical_object(str_t obj, const char *what, const field_t *fields, u32 n, str_t *values) {
    if (!json_is_object(obj)) json_fail("invalid type: expected a map for field", what);
    buf_t out = buf_new(obj.len + 160);
    buf_byte(&out, '{');
    for (u32 i = 0; i < n; i++) {
        const field_t *f = &fields[i];
        if (i) buf_byte(&out, ',');
        json_write_key(&out, f->name);
        str_t raw;
        int present = json_field(obj, f->name, &raw) && !json_is_null(raw);
        values[i] = (str_t){0, 0};
        if (!present) {
            if (f->required) json_fail("missing field", f->name);
            buf_cstr(&out, "null");
            continue;
        }
        if (f->kind == F_U64) {
            buf_u64_dec(&out, json_u64(raw, f->name));
            values[i] = raw;
            continue;
        }
        str_t s = json_string(raw, f->name);
        if (f->kind == F_BASE64 && !is_base64(s)) json_fail("invalid base64 for field", f->name);
        json_write_string(&out, s);
        values[i] = s;
    }
    buf_byte(&out, '}');
    return buf_view(&out);
}

static const field_t TOKEN_METADATA_FIELDS[] = {
    {"title", F_STRING, 0},      {"description", F_STRING, 0}, {"media", F_STRING, 0},
    {"media_hash", F_BASE64, 0}, {"copies", F_U64, 0},          {"issued_at", F_STRING, 0},
    {"expires_at", F_STRING, 0}, {"starts_at", F_STRING, 0},    {"updated_at", F_STRING, 0},
    {"extra", F_STRING, 0},      {"reference", F_STRING, 0},    {"reference_hash", F_BASE64, 0},
};
#define TOKEN_METADATA_N (sizeof TOKEN_METADATA_FIELDS / sizeof TOKEN_METADATA_FIELDS[0])

static const field_t CONTRACT_METADATA_FIELDS[] = {
    {"spec", F_STRING, 1},      {"name", F_STRING, 1},      {"symbol", F_STRING, 1},
    {"icon", F_STRING, 0},      {"base_uri", F_STRING, 0},  {"reference", F_STRING, 0},
    {"reference_hash", F_BASE64, 0},
};
#define CONTRACT_METADATA_N (sizeof CONTRACT_METADATA_FIELDS / sizeof CONTRACT_METADATA_FIELDS[0])

static u32 base64_decoded_len(str_t s) {
    u32 pad = 0;
    while (pad < s.len && s.ptr[s.len - 1 - pad] == '=') pad++;
    return s.len / 4 * 3 - pad;
}

/* NFTContractMetadata::assert_valid */
static str_t contract_metadata(str_t obj) {
    str_t v[CONTRACT_METADATA_N];
    str_t json = canonical_object(obj, "metadata", CONTRACT_METADATA_FIELDS, CONTRACT_METADATA_N, v);
    if (!str_eq(v[0], STR(NFT_METADATA_SPEC))) rt_panic("Spec is not NFT metadata");
    if ((v[5].ptr != 0) != (v[6].ptr != 0)) rt_panic("Reference and reference hash must be present");
    if (v[6].ptr && base64_decoded_len(v[6]) != 32) rt_panic("Hash has to be 32 bytes");
    return json;
}

/* ---------- output ---------- */

static void write_token(buf_t *b, str_t token_id, const token_t *t) {
    buf_byte(b, '{');
    json_write_key(b, "token_id");
    json_write_string(b, token_id);
    buf_byte(b, ',');
    json_write_key(b, "owner_id");
    json_write_string(b, t->owner_id);
    buf_byte(b, ',');
    json_write_key(b, "metadata");
    buf_str(b, t->metadata_json);
    buf_byte(b, ',');
    json_write_key(b, "approved_account_ids");
    buf_cstr(b, "{}}");
}

static void return_u64_string(u64 v) {
    buf_t b = buf_new(24);
    buf_byte(&b, '"');
    buf_u64_dec(&b, v);
    buf_byte(&b, '"');
    rt_return(buf_view(&b));
}

static void emit_event(const char *event, buf_t *data) {
    buf_t m = buf_new(data->len + 96);
    buf_cstr(&m, "EVENT_JSON:{\"standard\":\"nep171\",\"version\":\"1.0.0\",\"event\":\"");
    buf_cstr(&m, event);
    buf_cstr(&m, "\",\"data\":[");
    buf_str(&m, buf_view(data));
    buf_cstr(&m, "]}");
    rt_log(buf_view(&m));
}

/* ---------- init ---------- */

static void init(str_t owner_id, str_t metadata_json) {
    if (rt_storage_has(STATE_KEY)) rt_panic("The contract has already been initialized");
    state_t s = {owner_id, 0};
    save_state(&s);
    rt_storage_write(STR("M"), metadata_json);
}

EXPORT(new) void nft_new(void) {
    rt_require_no_deposit("new");
    str_t args = json_args(rt_input());
    str_t owner_id = required_account(args, "owner_id");
    str_t meta;
    if (!json_field(args, "metadata", &meta)) json_fail("missing field", "metadata");
    init(owner_id, contract_metadata(meta));
}

EXPORT(new_default_meta) void new_default_meta(void) {
    rt_require_no_deposit("new_default_meta");
    str_t args = json_args(rt_input());
    str_t owner_id = required_account(args, "owner_id");
    init(owner_id, contract_metadata(STR(
        "{\"spec\":\"nft-1.0.0\",\"name\":\"Example NEAR non-fungible token\",\"symbol\":\"EXAMPLE\","
        "\"icon\":\"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E"
        "%3Crect width='16' height='16' rx='3'/%3E%3C/svg%3E\"}")));
}

/* ---------- NEP-171 core ---------- */

EXPORT(nft_mint) void nft_mint(void) {
    str_t args = json_args(rt_input());
    str_t token_id = required_string(args, "token_id");
    str_t token_owner_id = required_account(args, "token_owner_id");
    str_t meta_raw;
    if (!json_field(args, "token_metadata", &meta_raw)) json_fail("missing field", "token_metadata");
    str_t unused[TOKEN_METADATA_N];
    str_t metadata_json = canonical_object(meta_raw, "token_metadata", TOKEN_METADATA_FIELDS, TOKEN_METADATA_N, unused);

    state_t state = load_state();
    str_t predecessor = rt_predecessor();
    if (!str_eq(predecessor, state.owner_id)) rt_panic("Unauthorized");

    u64 usage_before = rt_storage_usage();
    if (rt_storage_has(key1('T', token_id))) rt_panic("token_id must be unique");

    token_t token = {token_owner_id, 0, metadata_json};
    owner_add(token_owner_id, token_id, &token);
    save_token(token_id, &token);
    rt_storage_write(key_index(state.total_supply), token_id);
    state.total_supply++;
    save_state(&state);

    /* refund_deposit_to_account: the caller pays for the bytes this mint added */
    u64 added = rt_storage_usage() - usage_before;
    u128 required = u128_mul_u64(added, STORAGE_PRICE_PER_BYTE);
    u128 attached = rt_attached_deposit();
    if (required > attached) {
        buf_t m = buf_new(64);
        buf_cstr(&m, "Must attach ");
        buf_u128_dec(&m, required);
        buf_cstr(&m, " yoctoNEAR to cover storage");
        rt_panic_str(buf_view(&m));
    }
    u128 refund = attached - required;
    if (refund > 1) {
        u8 amount[16];
        for (int i = 0; i < 16; i++) amount[i] = (u8)(refund >> (8 * i));
        u64 promise = promise_batch_create(predecessor.len, (u64)(u32)predecessor.ptr);
        promise_batch_action_transfer(promise, (u64)(u32)amount);
    }

    buf_t data = buf_new(64 + token_id.len);
    buf_byte(&data, '{');
    json_write_key(&data, "owner_id");
    json_write_string(&data, token_owner_id);
    buf_byte(&data, ',');
    json_write_key(&data, "token_ids");
    buf_byte(&data, '[');
    json_write_string(&data, token_id);
    buf_cstr(&data, "]}");
    emit_event("nft_mint", &data);

    buf_t out = buf_new(metadata_json.len + 128);
    write_token(&out, token_id, &token);
    rt_return(buf_view(&out));
}

EXPORT(nft_transfer) void nft_transfer(void) {
    str_t args = json_args(rt_input());
    str_t receiver_id = required_account(args, "receiver_id");
    str_t token_id = required_string(args, "token_id");
    u64 approval_id;
    optional_u64(args, "approval_id", &approval_id);
    str_t memo;
    int has_memo = optional_string(args, "memo", &memo);

    load_state();
    if (rt_attached_deposit() != 1) rt_panic("Requires attached deposit of exactly 1 yoctoNEAR");
    str_t sender = rt_predecessor();
    token_t token;
    if (!load_token(token_id, &token)) rt_panic("Token not found");
    /* no approvals exist, so only the owner may transfer */
    if (!str_eq(sender, token.owner_id)) rt_panic("Sender not approved");
    if (str_eq(token.owner_id, receiver_id)) rt_panic("Current and next owner must differ");

    str_t old_owner = token.owner_id;
    owner_remove(old_owner, token.owner_index);
    token.owner_id = receiver_id;
    owner_add(receiver_id, token_id, &token);
    save_token(token_id, &token);

    buf_t data = buf_new(96 + token_id.len);
    buf_byte(&data, '{');
    json_write_key(&data, "old_owner_id");
    json_write_string(&data, old_owner);
    buf_byte(&data, ',');
    json_write_key(&data, "new_owner_id");
    json_write_string(&data, receiver_id);
    buf_byte(&data, ',');
    json_write_key(&data, "token_ids");
    buf_byte(&data, '[');
    json_write_string(&data, token_id);
    buf_byte(&data, ']');
    if (has_memo) {
        buf_byte(&data, ',');
        json_write_key(&data, "memo");
        json_write_string(&data, memo);
    }
    buf_byte(&data, '}');
    emit_event("nft_transfer", &data);
}

EXPORT(nft_token) void nft_token(void) {
    str_t args = json_args(rt_input());
    str_t token_id = required_string(args, "token_id");
    load_state();
    token_t token;
    if (!load_token(token_id, &token)) {
        rt_return(STR("null"));
        return;
    }
    buf_t out = buf_new(token.metadata_json.len + 128);
    write_token(&out, token_id, &token);
    rt_return(buf_view(&out));
}

/* ---------- NEP-177 metadata ---------- */

EXPORT(nft_metadata) void nft_metadata(void) {
    load_state();
    rt_return(read_required(STR("M")));
}

/* ---------- NEP-181 enumeration ---------- */

EXPORT(nft_total_supply) void nft_total_supply(void) {
    return_u64_string(load_state().total_supply);
}

EXPORT(nft_supply_for_owner) void nft_supply_for_owner(void) {
    str_t args = json_args(rt_input());
    str_t account_id = required_account(args, "account_id");
    load_state();
    return_u64_string(read_u64_value(key1('C', account_id)));
}

/* from_index (U128 string) and limit (u64) as near-contract-standards checks them */
static void page_args(str_t args, u64 len, u64 *start, u64 *limit) {
    u128 from = 0;
    optional_u128_string(args, "from_index", &from);
    *limit = ~0ull;
    optional_u64(args, "limit", limit);
    if (from > len) rt_panic("Out of bounds, please use a smaller from_index.");
    if (*limit == 0) rt_panic("Cannot provide limit of 0.");
    *start = (u64)from;
}

static void write_token_by_id(buf_t *out, str_t token_id) {
    token_t token;
    if (!load_token(token_id, &token)) rt_corrupt_state();
    write_token(out, token_id, &token);
}

EXPORT(nft_tokens) void nft_tokens(void) {
    str_t args = json_args(rt_input());
    state_t state = load_state();
    u64 start, limit;
    page_args(args, state.total_supply, &start, &limit);
    buf_t out = buf_new(512);
    buf_byte(&out, '[');
    for (u64 i = start, n = 0; i < state.total_supply && n < limit; i++, n++) {
        if (n) buf_byte(&out, ',');
        write_token_by_id(&out, read_required(key_index(i)));
    }
    buf_byte(&out, ']');
    rt_return(buf_view(&out));
}

EXPORT(nft_tokens_for_owner) void nft_tokens_for_owner(void) {
    str_t args = json_args(rt_input());
    str_t account_id = required_account(args, "account_id");
    load_state();
    u64 count = read_u64_value(key1('C', account_id));
    if (count == 0) {
        rt_return(STR("[]"));
        return;
    }
    u64 start, limit;
    page_args(args, count, &start, &limit);
    buf_t out = buf_new(512);
    buf_byte(&out, '[');
    for (u64 i = start, n = 0; i < count && n < limit; i++, n++) {
        if (n) buf_byte(&out, ',');
        write_token_by_id(&out, read_required(key_owner_slot(account_id, i)));
    }
    buf_byte(&out, ']');
    rt_return(buf_view(&out));
}
