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
import java.util.List;
import java.util.Set;

/**
 * near-sandbox's {@code sandbox_patch_state}: {@code {"records": [StateRecord...]}} in nearcore's
 * StateRecord JSON. {@code Account} records create an account or set its balance; {@code
 * AccessKey} records add or replace a key, so that a test can bring its own keys. Every record is
 * read and checked before any is applied: a refused patch changes nothing. Contract code and data
 * records are refused by name (deploy code through the coordinator's {@code /contracts} API).
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

    private record Change(String accountId, BigInteger balance, PublicKey key, AccessKey accessKey) {}

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
        for (Change change : changes) {
            if (change.balance() != null) {
                chain.putAccount(change.accountId(), change.balance());
            } else {
                chain.putAccessKey(change.accountId(), change.key(), change.accessKey());
            }
        }
    }

    private Change change(JsonNode record, Set<String> created) {
        if (record == null || !record.isObject() || record.size() != 1) {
            throw RpcException.badParams("a state record is an object with one member, e.g. {\"Account\": {...}}");
        }
        String kind = record.fieldNames().next();
        JsonNode body = record.get(kind);
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
            default ->
                throw RpcException.badParams(
                        "state record `" + kind + "` is not supported here; supported: Account, AccessKey");
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
