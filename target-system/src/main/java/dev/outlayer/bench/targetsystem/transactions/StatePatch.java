package dev.outlayer.bench.targetsystem.transactions;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.contracts.AccessKey;
import dev.outlayer.bench.targetsystem.contracts.PublicKey;
import dev.outlayer.bench.targetsystem.rpc.AccountIds;
import dev.outlayer.bench.targetsystem.rpc.RpcException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * near-sandbox's {@code sandbox_patch_state}: {@code {"records": [StateRecord...]}} in nearcore's
 * StateRecord JSON (core/primitives/src/state_record.rs). {@code Account} records create an account or
 * set its balance; {@code AccessKey} records add or replace a key, gas keys included, so that a test
 * can bring its own keys; {@code GasKeyNonce {account_id, public_key, index, nonce}} records set a gas
 * key's nonce slot. Here a stored gas key holds one nonce per slot, so every slot of a patched gas key
 * must have a nonce, from a {@code GasKeyNonce} record of the same patch (in any order) or from the
 * gas key it replaces; a slot record for a key that is no gas key, or past its slots, is refused
 * (nearcore would store it as an orphan trie record). Every record is read and checked before any is
 * applied: a refused patch changes nothing. Contract code and data records are refused by name (deploy
 * code through the coordinator's {@code /contracts} API).
 */
final class StatePatch {
    private final TransactionChain chain;

    StatePatch(TransactionChain chain) {
        this.chain = chain;
    }

    private record Params(List<JsonNode> records) {}

    private record AccountRecord(@JsonProperty("account_id") String accountId, AccountView account) {}

    /** The members of nearcore's AccountView read here; the others (code_hash, storage_usage...) are ignored. */
    private record AccountView(JsonNode amount, JsonNode locked) {}

    private record AccessKeyRecord(
            @JsonProperty("account_id") String accountId,
            @JsonProperty("public_key") String publicKey,
            @JsonProperty("access_key") JsonNode accessKey) {}

    private record GasKeyNonceRecord(
            @JsonProperty("account_id") String accountId,
            @JsonProperty("public_key") String publicKey,
            JsonNode index,
            JsonNode nonce) {}

    /** One record, read: an account's balance, a key, or (accessKey null, slot set) one gas key slot's nonce. */
    private record Change(
            String accountId, BigInteger balance, PublicKey key, AccessKey accessKey, int slot, long slotNonce) {
        Change(String accountId, BigInteger balance, PublicKey key, AccessKey accessKey) {
            this(accountId, balance, key, accessKey, -1, 0);
        }

        boolean isSlot() {
            return slot >= 0;
        }
    }

    /** An account's key, as the patch names it. */
    private record KeyId(String accountId, PublicKey key) {}

    void apply(JsonNode params) {
        if (params == null || !params.isObject()) {
            throw RpcException.badParams("expected {\"records\": [...]}");
        }
        Params read = read(params, Params.class);
        if (read.records() == null) {
            throw RpcException.badParams("missing field `records`");
        }
        List<Change> changes = new ArrayList<>();
        Set<String> created = new HashSet<>();
        for (JsonNode record : read.records()) {
            changes.add(change(record, created));
        }
        Map<KeyId, AccessKey> keys = withGasKeySlots(changes);
        for (Change change : changes) {
            if (change.balance() != null) {
                chain.putAccount(change.accountId(), change.balance());
            }
        }
        keys.forEach((id, key) -> chain.putAccessKey(id.accountId(), id.key(), key));
    }

    /**
     * The keys the patch leaves, by account and public key (the last AccessKey record of a key wins, as
     * nearcore applies records in order), each gas key with its slots' nonces: a GasKeyNonce record's,
     * else the nonce of the same slot of the gas key stored under that public key. A key that only slot
     * records name is the stored gas key with those slots changed.
     */
    private Map<KeyId, AccessKey> withGasKeySlots(List<Change> changes) {
        Map<KeyId, AccessKey> keys = new LinkedHashMap<>();
        Map<KeyId, Map<Integer, Long>> slots = new LinkedHashMap<>();
        for (Change change : changes) {
            if (change.balance() != null) {
                continue;
            }
            KeyId id = new KeyId(change.accountId(), change.key());
            if (change.isSlot()) {
                slots.computeIfAbsent(id, k -> new TreeMap<>()).put(change.slot(), change.slotNonce());
            } else {
                keys.put(id, change.accessKey());
            }
        }
        for (KeyId id : slots.keySet()) {
            if (!keys.containsKey(id)) {
                AccessKey stored = chain.accessKey(id.accountId(), id.key()).orElse(null);
                if (stored == null || stored.gasKey() == null) {
                    throw RpcException.badParams("GasKeyNonce: " + id.accountId() + " has no gas key " + id.key()
                            + "; patch its AccessKey record with the slots");
                }
                keys.put(id, stored);
            }
        }
        for (Map.Entry<KeyId, AccessKey> entry : keys.entrySet()) {
            KeyId id = entry.getKey();
            AccessKey key = entry.getValue();
            Map<Integer, Long> given = slots.getOrDefault(id, Map.of());
            if (key.gasKey() == null) {
                if (!given.isEmpty()) {
                    throw RpcException.badParams(
                            "GasKeyNonce: the key " + id.key() + " of " + id.accountId() + " is no gas key");
                }
                continue;
            }
            int numNonces = key.gasKey().numNonces();
            List<Long> stored = chain.accessKey(id.accountId(), id.key())
                    .map(AccessKey::gasKeyNonces)
                    .orElse(List.of());
            List<Long> nonces = new ArrayList<>();
            for (int i = 0; i < numNonces; i++) {
                Long nonce = given.containsKey(i) ? given.get(i) : i < stored.size() ? stored.get(i) : null;
                if (nonce == null) {
                    throw RpcException.badParams("the gas key " + id.key() + " of " + id.accountId()
                            + " has no nonce for slot " + i + "; add a GasKeyNonce record for it");
                }
                nonces.add(nonce);
            }
            for (int index : given.keySet()) {
                if (index >= numNonces) {
                    throw RpcException.badParams("GasKeyNonce: slot " + index + " is past the " + numNonces
                            + " slots of the gas key " + id.key() + " of " + id.accountId());
                }
            }
            entry.setValue(new AccessKey(key.nonce(), key.permission(), nonces));
        }
        return keys;
    }

    private Change change(JsonNode record, Set<String> created) {
        if (record == null || !record.isObject() || record.size() != 1) {
            throw RpcException.badParams("a state record is an object with one member, e.g. {\"Account\": {...}}");
        }
        String kind = record.fieldNames().next();
        JsonNode body = record.get(kind);
        if (!body.isObject()) {
            throw RpcException.badParams(
                    "invalid type: " + body.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + ", expected the `"
                            + kind + "` record as an object");
        }
        switch (kind) {
            case "Account" -> {
                AccountRecord account = read(body, AccountRecord.class);
                String id = accountId(account.accountId());
                if (account.account() == null || account.account().amount() == null) {
                    throw RpcException.badParams("missing field `account.amount`");
                }
                if (account.account().locked() != null
                        && !account.account().locked().isNull()) {
                    u128(account.account().locked(), "account.locked"); // read as nearcore would; not applied
                }
                created.add(id);
                return new Change(id, u128(account.account().amount(), "account.amount"), null, null);
            }
            case "AccessKey" -> {
                AccessKeyRecord key = read(body, AccessKeyRecord.class);
                String id = accountId(key.accountId());
                if (!created.contains(id) && !chain.accountExists(id)) {
                    throw RpcException.badParams(
                            "account " + id + " does not exist; patch an Account record for it first");
                }
                PublicKey publicKey = PublicKey.parse(key.publicKey());
                if (publicKey == null) {
                    throw RpcException.badParams("invalid public_key, expected ed25519:<base58> or secp256k1:<base58>");
                }
                return new Change(id, null, publicKey, AccessKeyJson.read(key.accessKey()));
            }
            case "GasKeyNonce" -> {
                GasKeyNonceRecord slot = read(body, GasKeyNonceRecord.class);
                String id = accountId(slot.accountId());
                PublicKey publicKey = PublicKey.parse(slot.publicKey());
                if (publicKey == null) {
                    throw RpcException.badParams("invalid public_key, expected ed25519:<base58> or secp256k1:<base58>");
                }
                long index = AccessKeyJson.u64(slot.index(), "index");
                if (index < 0 || index > 0xFFFF) {
                    throw RpcException.badParams("invalid `index` " + slot.index() + ", expected a u16");
                }
                long nonce = AccessKeyJson.u64(slot.nonce(), "nonce");
                return new Change(id, null, publicKey, null, (int) index, nonce);
            }
            default ->
                throw RpcException.badParams("state record `" + kind
                        + "` is not supported here; supported: Account, AccessKey, GasKeyNonce");
        }
    }

    private static String accountId(String id) {
        if (id == null) {
            throw RpcException.badParams("missing field `account_id`");
        }
        String problem = AccountIds.problem(id);
        if (problem != null) {
            throw RpcException.badParams("invalid value: \"" + id + "\", " + problem);
        }
        return id;
    }

    /** A u128 balance as nearcore's dec_format reads it: a decimal string (or a JSON integer). */
    static BigInteger u128(JsonNode value, String field) {
        try {
            BigInteger amount = value.isTextual()
                    ? new BigInteger(value.asText())
                    : value.isIntegralNumber() ? value.bigIntegerValue() : null;
            if (amount == null || amount.signum() < 0 || amount.bitLength() > 128) {
                throw new NumberFormatException();
            }
            return amount;
        } catch (NumberFormatException e) {
            throw RpcException.badParams("invalid `" + field + "` " + value + ", expected a u128 as a decimal string");
        }
    }

    private static <T> T read(JsonNode node, Class<T> type) {
        return AccessKeyJson.bind(node, type);
    }
}
