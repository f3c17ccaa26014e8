package dev.outlayer.bench.targetsystem.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;

/**
 * The {@code query} method: reads the request as nearcore's {@code RpcQueryRequest} (object
 * form: a block reference and a {@link QueryRequest} tagged by {@code request_type}; or the legacy
 * {@code [path, base58 data]} form), resolves the
 * block, reads the {@link ChainView} and answers in nearcore's shapes, including its legacy
 * quirk of reporting contract failures and unknown access keys as a result with an
 * {@code error} member ({@code process_query_response} in nearcore's {@code chain/jsonrpc}).
 */
final class QueryHandler {
    /** nearcore's {@code trie_viewer_state_size_limit} default: bigger states are refused by view_state. */
    static final long VIEW_STATE_SIZE_LIMIT = 50_000;

    private static final int LEGACY_QUERY_MAX_SIZE = 10 * 1024;

    private final BlockClock clock;
    private final ChainView chain;
    private final TransactionPort keys;

    QueryHandler(BlockClock clock, ChainView chain, TransactionPort keys) {
        this.clock = clock;
        this.chain = chain;
        this.keys = keys;
    }

    /** What was asked, once read: at which block, and what. */
    private record Query(BlockReference block, QueryRequest request) {}

    ObjectNode handle(JsonNode params) {
        Query query = parse(params);
        OptionalLong resolved = query.block().resolve(clock);
        if (resolved.isEmpty()) {
            throw query.block().unknownBlockInQuery(clock);
        }
        long height = resolved.getAsLong();
        if (chain.collected(height)) {
            throw garbageCollected(height);
        }
        QueryRequest request = query.request();
        ObjectNode result;
        if (request instanceof QueryRequest.ViewAccount viewAccount) {
            result = viewAccount(viewAccount, height);
        } else if (request instanceof QueryRequest.ViewCode viewCode) {
            result = viewCode(viewCode, height);
        } else if (request instanceof QueryRequest.ViewState viewState) {
            result = viewState(viewState, height);
        } else if (request instanceof QueryRequest.CallFunction call) {
            result = callFunction(call, height);
        } else if (request instanceof QueryRequest.ViewGlobalContractCode byHash) {
            result = globalCode(byHash.codeHash(), null, height);
        } else if (request instanceof QueryRequest.ViewGlobalContractCodeByAccountId byAccount) {
            result = globalCode(null, byAccount.accountId(), height);
        } else if (request instanceof QueryRequest.ViewAccessKey viewAccessKey) {
            result = keys.accessKey(viewAccessKey.accountId(), viewAccessKey.publicKey())
                    .map(ObjectNode::deepCopy)
                    .orElseGet(() -> noAccessKey(viewAccessKey));
        } else if (request instanceof QueryRequest.ViewGasKeyNonces gasKey) {
            result = gasKeyNonces(gasKey, height);
        } else {
            result = keyList(request.accountId());
        }
        result.put("block_height", height);
        result.put("block_hash", clock.hash(height));
        return result;
    }

    private ObjectNode viewAccount(QueryRequest.ViewAccount query, long height) {
        ChainView.Account account = existing(query.accountId(), height);
        ObjectNode view = JsonCodec.object();
        view.put("amount", account.amount().toString());
        view.put("locked", account.locked().toString());
        view.put("code_hash", Base58.encode(account.codeHash()));
        view.put("storage_usage", account.storageUsage());
        view.put("storage_paid_at", 0);
        // views.rs AccountView: only for an account using a global contract (serde skips None).
        if (account.globalContractHash() != null) {
            view.put("global_contract_hash", Base58.encode(account.globalContractHash()));
        }
        if (account.globalContractAccountId() != null) {
            view.put("global_contract_account_id", account.globalContractAccountId());
        }
        return view;
    }

    /**
     * view_global_contract_code(_by_account_id): the ContractCodeView of a global contract, or nearcore's
     * NO_GLOBAL_CONTRACT_CODE with the identifier (serde's {"CodeHash": ...} / {"AccountId": ...}).
     */
    private ObjectNode globalCode(byte[] codeHash, String accountId, long height) {
        byte[] code = chain.globalCode(codeHash, accountId).orElseThrow(() -> {
            ObjectNode info = JsonCodec.object();
            ObjectNode identifier = info.putObject("identifier");
            String debug;
            if (codeHash != null) {
                identifier.put("CodeHash", Base58.encode(codeHash));
                debug = "CodeHash(" + Base58.encode(codeHash) + ")";
            } else {
                identifier.put("AccountId", accountId);
                debug = "AccountId(AccountId(\"" + accountId + "\"))";
            }
            putBlock(info, height);
            return RpcException.handlerError(
                    "NO_GLOBAL_CONTRACT_CODE",
                    info,
                    "Global contract code with identifier " + debug + " has never been observed on the node");
        });
        ObjectNode view = JsonCodec.object();
        view.put("code_base64", Base64.getEncoder().encodeToString(code));
        view.put("hash", Base58.encode(BlockClock.sha256(code)));
        return view;
    }

    private ObjectNode viewCode(QueryRequest.ViewCode query, long height) {
        existing(query.accountId(), height);
        byte[] code = chain.code(query.accountId()).orElseThrow(() -> {
            ObjectNode info = JsonCodec.object();
            info.put("contract_account_id", query.accountId());
            putBlock(info, height);
            return RpcException.handlerError(
                    "NO_CONTRACT_CODE",
                    info,
                    "Contract code for contract ID #" + query.accountId() + " has never been observed on the node");
        });
        ObjectNode view = JsonCodec.object();
        view.put("code_base64", Base64.getEncoder().encodeToString(code));
        view.put("hash", Base58.encode(BlockClock.sha256(code)));
        return view;
    }

    private ObjectNode viewState(QueryRequest.ViewState query, long height) {
        ChainView.Account account = existing(query.accountId(), height);
        if (account.storageUsage() > VIEW_STATE_SIZE_LIMIT) {
            // nearcore subtracts the account's own code only (a global contract's is not its storage).
            long codeBytes = !account.hasLocalCode()
                    ? 0L
                    : chain.code(query.accountId())
                            .map(code -> (long) code.length)
                            .orElse(0L);
            if (account.storageUsage() - codeBytes > VIEW_STATE_SIZE_LIMIT) {
                ObjectNode info = JsonCodec.object();
                info.put("contract_account_id", query.accountId());
                putBlock(info, height);
                throw RpcException.handlerError(
                        "TOO_LARGE_CONTRACT_STATE",
                        info,
                        "State of contract " + query.accountId() + " is too large to be viewed");
            }
        }
        ObjectNode view = JsonCodec.object();
        ArrayNode values = view.putArray("values");
        Base64.Encoder base64 = Base64.getEncoder();
        for (ChainView.StateEntry entry : chain.state(query.accountId(), query.prefix())) {
            values.addObject()
                    .put("key", base64.encodeToString(entry.key()))
                    .put("value", base64.encodeToString(entry.value()));
        }
        if (query.includeProof()) {
            // ViewStateResult.proof: base64 trie nodes, left out when empty (skip_serializing_if)
            List<byte[]> proof = chain.stateProof(query.accountId(), query.prefix());
            if (!proof.isEmpty()) {
                ArrayNode nodes = view.putArray("proof");
                proof.forEach(node -> nodes.add(base64.encodeToString(node)));
            }
        }
        return view;
    }

    private ObjectNode callFunction(QueryRequest.CallFunction query, long height) {
        ChainView.Account account = existing(query.accountId(), height);
        ChainView.ViewOutcome outcome = account.hasCode()
                ? chain.view(
                        query.accountId(),
                        query.methodName(),
                        query.args(),
                        new ChainView.BlockContext(height, clock.timestampNanos(height), clock.epochHeight(height)))
                : new ChainView.ViewOutcome.Failure(
                        "CompilationError(CodeDoesNotExist { account_id: AccountId(\"" + query.accountId() + "\") })");
        ObjectNode view = JsonCodec.object();
        if (outcome instanceof ChainView.ViewOutcome.Success success) {
            ArrayNode bytes = view.putArray("result");
            for (byte b : success.result()) {
                bytes.add(b & 0xff);
            }
            ArrayNode logs = view.putArray("logs");
            success.logs().forEach(logs::add);
        } else {
            view.put(
                    "error",
                    "wasm execution failed with error: " + ((ChainView.ViewOutcome.Failure) outcome).vmError());
            view.putArray("logs");
        }
        return view;
    }

    /**
     * view_client_actor.rs handle_query: the header of a collected block is still known (GC keeps
     * headers), its ChunkExtra is not, so below gc_stop_height a query is GARBAGE_COLLECTED_BLOCK
     * (jsonrpc-primitives query.rs RpcQueryError), a handler error answered with HTTP 200.
     */
    private RpcException garbageCollected(long height) {
        ObjectNode info = JsonCodec.object();
        info.put("block_height", height);
        info.put("block_hash", clock.hash(height));
        return RpcException.handlerError(
                "GARBAGE_COLLECTED_BLOCK",
                info,
                "The data for block #" + height
                        + " is garbage collected on this node, use an archival node to fetch historical data");
    }

    /** nearcore reports a missing key as a result with an error (its legacy UNKNOWN_ACCESS_KEY compatibility). */
    private ObjectNode noAccessKey(QueryRequest.ViewAccessKey query) {
        ObjectNode view = JsonCodec.object();
        view.put("error", "access key " + query.publicKey() + " does not exist while viewing");
        view.putArray("logs");
        return view;
    }

    /**
     * view_gas_key_nonces: {@code {"nonces": [u64...]}}, one per slot in slot order; a key that is no
     * gas key of the account is nearcore's UNKNOWN_GAS_KEY.
     */
    private ObjectNode gasKeyNonces(QueryRequest.ViewGasKeyNonces query, long height) {
        List<Long> nonces = keys.gasKeyNonces(query.accountId(), query.publicKey())
                .orElseThrow(() -> {
                    ObjectNode info = JsonCodec.object();
                    info.put("public_key", query.publicKey());
                    info.put("block_height", height);
                    info.put("block_hash", clock.hash(height));
                    return RpcException.handlerError(
                            "UNKNOWN_GAS_KEY", info, "gas key " + query.publicKey() + " does not exist while viewing");
                });
        ObjectNode view = JsonCodec.object();
        ArrayNode list = view.putArray("nonces");
        nonces.forEach(n -> list.add(new java.math.BigInteger(Long.toUnsignedString(n))));
        return view;
    }

    private ObjectNode keyList(String accountId) {
        ObjectNode view = JsonCodec.object();
        ArrayNode list = view.putArray("keys");
        keys.accessKeys(accountId).forEach(list::add);
        return view;
    }

    private ChainView.Account existing(String accountId, long height) {
        return chain.account(accountId).orElseThrow(() -> {
            ObjectNode info = JsonCodec.object();
            info.put("requested_account_id", accountId);
            putBlock(info, height);
            return RpcException.handlerError(
                    "UNKNOWN_ACCOUNT", info, "account " + accountId + " does not exist while viewing");
        });
    }

    private void putBlock(ObjectNode info, long height) {
        info.put("block_height", height);
        info.put("block_hash", clock.hash(height));
    }

    // ---- reading, in nearcore's order: the legacy array form first, then the object form ----

    private static Query parse(JsonNode params) {
        if (params == null || params.isNull()) {
            throw RpcException.parseError("Require at least one parameter");
        }
        if (params.isArray()
                && params.size() == 2
                && params.get(0).isTextual()
                && params.get(1).isTextual()) {
            return new Query(
                    BlockReference.optimistic(),
                    parseLegacy(params.get(0).asText(), params.get(1).asText()));
        }
        if (!params.isObject()) {
            throw RpcException.badParams(
                    "invalid type: " + RpcParams.describe(params) + ", expected struct RpcQueryRequest");
        }
        BlockReference block = BlockReference.fromObject(params);
        return new Query(block, RpcParams.read(params, QueryRequest.class));
    }

    /** {@code ["account/alice.near", ""]}, {@code ["call/counter.near/get_num", "<base58 args>"]}... */
    private static QueryRequest parseLegacy(String path, String base58Data) {
        byte[] data;
        try {
            data = Base58.decode(base58Data);
        } catch (IllegalArgumentException e) {
            throw RpcException.parseError(e.getMessage());
        }
        int size = path.getBytes(StandardCharsets.UTF_8).length + data.length;
        if (size > LEGACY_QUERY_MAX_SIZE) {
            throw RpcException.parseError("Query data size " + size + " is too large");
        }
        String[] parts = path.split("/", 3);
        if (parts.length < 2) {
            throw RpcException.parseError("Not enough query parameters provided");
        }
        String accountId = parts[1];
        String problem = AccountIds.problem(accountId);
        if (problem != null) {
            throw RpcException.parseError(problem);
        }
        String extra = parts.length == 3 ? parts[2] : null;
        return switch (parts[0]) {
            case "account" -> new QueryRequest.ViewAccount(accountId);
            case "code" -> new QueryRequest.ViewCode(accountId);
            case "contract" -> new QueryRequest.ViewState(accountId, data);
            case "access_key" ->
                extra == null
                        ? new QueryRequest.ViewAccessKeyList(accountId)
                        : new QueryRequest.ViewAccessKey(accountId, legacyPublicKey(extra));
            case "call" -> {
                if (extra == null) {
                    throw RpcException.parseError("Method name is missing");
                }
                yield new QueryRequest.CallFunction(accountId, extra, data);
            }
            default -> throw RpcException.parseError("Unknown path " + parts[0]);
        };
    }

    private static String legacyPublicKey(String text) {
        if (!QueryRequest.isPublicKey(text)) {
            throw RpcException.parseError("Invalid public key");
        }
        return text;
    }
}
