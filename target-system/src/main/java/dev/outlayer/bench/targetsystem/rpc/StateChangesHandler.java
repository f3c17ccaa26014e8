package dev.outlayer.bench.targetsystem.rpc;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.transactions.AccessKeyView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * {@code EXPERIMENTAL_changes_in_block} (alias {@code block_effects}) and {@code EXPERIMENTAL_changes}
 * (alias {@code changes}) as nearcore's view client answers them (chain/chain's
 * get_state_changes_in_block and get_state_changes_with_cause_in_block, core/primitives/src/views.rs
 * StateChangesKindsView and StateChangesView) from the writes {@link ChainView#stateChanges} keeps per
 * block: nearcore stores them per block and trie key, so a block's keys come in the order of their trie
 * key bytes and each key's writes in the order they were made. The answers are records in serde's member
 * order (near/nearcore d44e2115, core/primitives/src/views.rs StateChangeWithCauseView,
 * StateChangeValueView, StateChangeCauseView).
 */
final class StateChangesHandler {
    private static final String CHANGE_TYPES =
            "`account_changes`, `single_access_key_changes`, `all_access_key_changes`, `contract_code_changes`,"
                    + " `data_changes`";

    private final BlockClock clock;
    private final ChainView chain;

    StateChangesHandler(BlockClock clock, ChainView chain) {
        this.clock = clock;
        this.chain = chain;
    }

    /** StateChangeKindView: one per trie key the block wrote, {@code {"type": "<kind>_touched", "account_id"}}. */
    record KindView(
            @JsonProperty("type") String type,
            @JsonProperty("account_id") String accountId) {}

    record KindsResponse(
            @JsonProperty("block_hash") String blockHash,
            @JsonProperty("changes") List<KindView> changes) {}

    /** StateChangeCauseView: {@code {"type", "tx_hash" | "receipt_hash"}}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record CauseView(
            @JsonProperty("type") String type,
            @JsonProperty("tx_hash") String txHash,
            @JsonProperty("receipt_hash") String receiptHash) {}

    /**
     * StateChangeWithCauseView: the cause and the flattened StateChangeValueView, serde's adjacently tagged
     * enum ({@code tag = "type", content = "change"}): the variant's snake_case name, then its members.
     */
    record ChangeView(
            @JsonProperty("cause") CauseView cause,
            @JsonProperty("type") String type,
            @JsonProperty("change") ChangeValue change) {}

    /** A variant's members (its tag is ChangeView's {@code type}). */
    sealed interface ChangeValue {}

    /** AccountUpdate: the account id, then AccountView's members (serde's flatten). */
    record AccountUpdate(
            @JsonProperty("account_id") String accountId,
            @JsonUnwrapped QueryViews.AccountView account) implements ChangeValue {}

    /** AccountDeletion and ContractCodeDeletion: the account id alone. */
    record AccountIdOnly(@JsonProperty("account_id") String accountId) implements ChangeValue {}

    record AccessKeyUpdate(
            @JsonProperty("account_id") String accountId,
            @JsonProperty("public_key") String publicKey,
            @JsonProperty("access_key") AccessKeyView accessKey)
            implements ChangeValue {}

    record AccessKeyDeletion(
            @JsonProperty("account_id") String accountId,
            @JsonProperty("public_key") String publicKey) implements ChangeValue {}

    /** DataUpdate: the key and value base64 ({@code key_base64}, {@code value_base64}). */
    record DataUpdate(
            @JsonProperty("account_id") String accountId,
            @JsonProperty("key_base64") String key,
            @JsonProperty("value_base64") String value)
            implements ChangeValue {}

    record DataDeletion(
            @JsonProperty("account_id") String accountId,
            @JsonProperty("key_base64") String key) implements ChangeValue {}

    record ContractCodeUpdate(
            @JsonProperty("account_id") String accountId,
            @JsonProperty("code_base64") String code) implements ChangeValue {}

    record ChangesResponse(
            @JsonProperty("block_hash") String blockHash,
            @JsonProperty("changes") List<ChangeView> changes) {}

    /** EXPERIMENTAL_changes_in_block's params: a flattened BlockReference. */
    KindsResponse changesInBlock(JsonNode params) {
        long height = height(params, "struct RpcStateChangesInBlockRequest");
        List<KindView> kinds = new ArrayList<>();
        for (List<ChainView.StateChange> key : byTrieKey(chain.stateChanges(height))) {
            ChainView.StateChange first = key.get(0);
            kinds.add(new KindView(first.kind() + "_touched", first.accountId()));
        }
        return new KindsResponse(clock.hash(height), kinds);
    }

    /** The members of StateChangesRequestView beside the block reference. */
    private record Request(
            @JsonProperty("changes_type") JsonNode changesType,
            @JsonProperty("account_ids") JsonNode accountIds,
            @JsonProperty("keys") JsonNode keys,
            @JsonProperty("key_prefix_base64") JsonNode keyPrefix) {}

    /** EXPERIMENTAL_changes: a flattened BlockReference and StateChangesRequestView (tag {@code changes_type}). */
    ChangesResponse changes(JsonNode params) {
        if (params.isNull()) {
            throw RpcException.parseError("Require at least one parameter");
        }
        if (!params.isObject()) {
            throw RpcException.badParams("invalid type: " + RpcParams.describe(params)
                    + ", expected struct RpcStateChangesInBlockByTypeRequest");
        }
        Request request = RpcParams.read(params, Request.class);
        if (request.changesType() == null) {
            throw RpcException.badParams("missing field `changes_type`");
        }
        String type = request.changesType().isTextual() ? request.changesType().asText() : "";
        List<ChainView.StateChange> selected;
        java.util.function.Function<List<ChainView.StateChange>, List<ChainView.StateChange>> select;
        switch (type) {
            case "account_changes" -> select = ofAccounts(accountIds(request.accountIds()), "account", false);
            case "contract_code_changes" ->
                select = ofAccounts(accountIds(request.accountIds()), "contract_code", false);
            case "all_access_key_changes" -> select = ofAccounts(accountIds(request.accountIds()), "access_key", true);
            case "data_changes" -> {
                List<String> accounts = accountIds(request.accountIds());
                if (request.keyPrefix() == null) {
                    throw RpcException.badParams("missing field `key_prefix_base64`");
                }
                if (!request.keyPrefix().isTextual()) {
                    throw RpcException.badParams(
                            "invalid type: " + RpcParams.describe(request.keyPrefix()) + ", expected a string");
                }
                byte[] prefix = RpcParams.base64(request.keyPrefix().asText(), "key_prefix_base64");
                select = all -> {
                    List<ChainView.StateChange> out = new ArrayList<>();
                    for (String account : accounts) {
                        prefixed(
                                all,
                                out,
                                c -> c.kind().equals("data")
                                        && c.accountId().equals(account)
                                        && startsWith(c.dataKey(), prefix));
                    }
                    return out;
                };
            }
            case "single_access_key_changes" -> {
                List<String[]> keys = accountKeys(request.keys());
                select = all -> {
                    List<ChainView.StateChange> out = new ArrayList<>();
                    for (String[] key : keys) {
                        exact(
                                all,
                                out,
                                c -> c.kind().equals("access_key")
                                        && c.accountId().equals(key[0])
                                        && c.publicKey().equals(key[1]));
                    }
                    return out;
                };
            }
            default ->
                throw RpcException.badParams(
                        request.changesType().isTextual()
                                ? "unknown variant `" + type + "`, expected one of " + CHANGE_TYPES
                                : "invalid type: " + RpcParams.describe(request.changesType()) + ", expected a string");
        }
        long height = height(params, "struct RpcStateChangesInBlockByTypeRequest");
        selected = select.apply(chain.stateChanges(height));
        List<ChangeView> views = new ArrayList<>(selected.size());
        for (ChainView.StateChange change : selected) {
            views.add(view(change));
        }
        return new ChangesResponse(clock.hash(height), views);
    }

    /** The block's writes grouped by trie key, the keys in their byte order and each key's writes in order. */
    private static List<List<ChainView.StateChange>> byTrieKey(List<ChainView.StateChange> changes) {
        Map<String, List<ChainView.StateChange>> grouped = new LinkedHashMap<>();
        for (ChainView.StateChange change : changes) {
            grouped.computeIfAbsent(java.util.HexFormat.of().formatHex(change.trieKey()), k -> new ArrayList<>())
                    .add(change);
        }
        List<List<ChainView.StateChange>> keys = new ArrayList<>(grouped.values());
        keys.sort(Comparator.comparing(key -> key.get(0).trieKey(), Arrays::compareUnsigned));
        return keys;
    }

    /**
     * The writes of one kind for each account in turn: an exact key lookup ({@code prefixed} false: the account,
     * its code) or every key under the account's prefix (its access keys).
     */
    private static java.util.function.Function<List<ChainView.StateChange>, List<ChainView.StateChange>> ofAccounts(
            List<String> accounts, String kind, boolean prefixed) {
        return all -> {
            List<ChainView.StateChange> out = new ArrayList<>();
            for (String account : accounts) {
                java.util.function.Predicate<ChainView.StateChange> key =
                        c -> c.kind().equals(kind) && c.accountId().equals(account);
                if (prefixed) {
                    prefixed(all, out, key);
                } else {
                    exact(all, out, key);
                }
            }
            return out;
        };
    }

    /** One trie key's writes (nearcore's exact lookup of a key). */
    private static void exact(
            List<ChainView.StateChange> all,
            List<ChainView.StateChange> out,
            java.util.function.Predicate<ChainView.StateChange> key) {
        for (ChainView.StateChange change : all) {
            if (key.test(change)) {
                out.add(change);
            }
        }
    }

    /** The writes of every key under a prefix, key by key in their byte order (nearcore's prefix iteration). */
    private static void prefixed(
            List<ChainView.StateChange> all,
            List<ChainView.StateChange> out,
            java.util.function.Predicate<ChainView.StateChange> key) {
        for (List<ChainView.StateChange> writes : byTrieKey(all)) {
            if (key.test(writes.get(0))) {
                out.addAll(writes);
            }
        }
    }

    /** StateChangeValueView: {@code <kind>_update} with the value, {@code <kind>_deletion} without. */
    private static ChangeView view(ChainView.StateChange change) {
        String account = change.accountId();
        boolean removed = change.removed();
        Base64.Encoder base64 = Base64.getEncoder();
        ChangeValue value = switch (change.kind()) {
            case "account" ->
                removed
                        ? new AccountIdOnly(account)
                        : new AccountUpdate(account, QueryViews.AccountView.of(change.account()));
            case "access_key" ->
                removed
                        ? new AccessKeyDeletion(account, change.publicKey())
                        : new AccessKeyUpdate(account, change.publicKey(), change.accessKey());
            case "data" -> {
                String key = base64.encodeToString(change.dataKey());
                yield removed
                        ? new DataDeletion(account, key)
                        : new DataUpdate(account, key, base64.encodeToString(change.bytes()));
            }
            default -> // contract_code
                removed
                        ? new AccountIdOnly(account)
                        : new ContractCodeUpdate(account, base64.encodeToString(change.bytes()));
        };
        boolean transaction = change.causeType().equals("transaction_processing");
        CauseView cause = new CauseView(
                change.causeType(), transaction ? change.causeHash() : null, transaction ? null : change.causeHash());
        return new ChangeView(cause, change.kind() + (removed ? "_deletion" : "_update"), value);
    }

    private long height(JsonNode params, String expected) {
        if (params.isNull()) {
            throw RpcException.parseError("Require at least one parameter");
        }
        if (!params.isObject()) {
            throw RpcException.badParams("invalid type: " + RpcParams.describe(params) + ", expected " + expected);
        }
        BlockReference block = BlockReference.fromObject(params);
        OptionalLong height = block.resolve(clock);
        if (height.isEmpty()) {
            throw block.unknownBlockAsData(clock);
        }
        java.util.Optional<String> notKept = chain.stateChangesNotKept(height.getAsLong());
        if (notKept.isPresent()) {
            // nearcore's RpcStateChangesError::InternalError, serialised as the error itself: the emulator
            // bounds the writes it keeps, and an empty list would say the block wrote nothing.
            RpcException.ErrorMessage info = new RpcException.ErrorMessage(notKept.get());
            throw RpcException.handlerErrorWithData(
                    "INTERNAL_ERROR", info, new RpcException.NamedError("INTERNAL_ERROR", info));
        }
        return height.getAsLong();
    }

    private static List<String> accountIds(JsonNode ids) {
        if (ids == null) {
            throw RpcException.badParams("missing field `account_ids`");
        }
        if (!ids.isArray()) {
            throw RpcException.badParams("invalid type: " + RpcParams.describe(ids) + ", expected a sequence");
        }
        List<String> accounts = new ArrayList<>();
        for (JsonNode id : ids) {
            if (!id.isTextual()) {
                throw RpcException.badParams("invalid type: " + RpcParams.describe(id) + ", expected a string");
            }
            accounts.add(RpcParams.accountId(id.asText()));
        }
        return accounts;
    }

    /** AccountWithPublicKey entries: {@code [account_id, public_key text]}, the key as NEAR's text form. */
    private static List<String[]> accountKeys(JsonNode keys) {
        if (keys == null) {
            throw RpcException.badParams("missing field `keys`");
        }
        if (!keys.isArray()) {
            throw RpcException.badParams("invalid type: " + RpcParams.describe(keys) + ", expected a sequence");
        }
        List<String[]> pairs = new ArrayList<>();
        for (JsonNode key : keys) {
            if (!key.isObject()) {
                throw RpcException.badParams(
                        "invalid type: " + RpcParams.describe(key) + ", expected struct AccountWithPublicKey");
            }
            JsonNode account = key.get("account_id");
            JsonNode publicKey = key.get("public_key");
            if (account == null) {
                throw RpcException.badParams("missing field `account_id`");
            }
            if (publicKey == null) {
                throw RpcException.badParams("missing field `public_key`");
            }
            if (!account.isTextual() || !publicKey.isTextual()) {
                throw RpcException.badParams("invalid type: "
                        + RpcParams.describe(account.isTextual() ? publicKey : account) + ", expected a string");
            }
            pairs.add(new String[] {RpcParams.accountId(account.asText()), publicKey(publicKey.asText())});
        }
        return pairs;
    }

    /** A public key's text as the chain writes it ({@code ed25519:} when no curve is named, as near-crypto reads it). */
    private static String publicKey(String text) {
        if (!QueryRequest.isPublicKey(text)) {
            throw RpcException.badParams("invalid value: \"" + text + "\", expected a public key as ed25519:<base58>");
        }
        return text.contains(":") ? text : "ed25519:" + text;
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }
}
