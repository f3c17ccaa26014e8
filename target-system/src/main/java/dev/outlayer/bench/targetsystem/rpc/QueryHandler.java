package dev.outlayer.bench.targetsystem.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;

/**
 * The {@code query} method: reads the request as nearcore's {@code RpcQueryRequest} (object
 * form: a block reference and a {@link QueryRequest} tagged by {@code request_type}; or the legacy
 * {@code [path, base58 data]} form), resolves the
 * block, reads the {@link ChainView} and answers in nearcore's shapes ({@link QueryViews}), including its legacy
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

    QueryViews.QueryResponse handle(JsonNode params) {
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
        Object kind;
        if (request instanceof QueryRequest.ViewAccount viewAccount) {
            kind = QueryViews.AccountView.of(existing(viewAccount.accountId(), height));
        } else if (request instanceof QueryRequest.ViewCode viewCode) {
            kind = viewCode(viewCode, height);
        } else if (request instanceof QueryRequest.ViewState viewState) {
            kind = viewState(viewState, height);
        } else if (request instanceof QueryRequest.CallFunction call) {
            kind = callFunction(call, height);
        } else if (request instanceof QueryRequest.ViewGlobalContractCode byHash) {
            kind = globalCode(byHash.codeHash(), null, height);
        } else if (request instanceof QueryRequest.ViewGlobalContractCodeByAccountId byAccount) {
            kind = globalCode(null, byAccount.accountId(), height);
        } else if (request instanceof QueryRequest.ViewAccessKey viewAccessKey) {
            // the view is immutable: whatever the port keeps, the answer cannot change it
            kind = keys.accessKey(viewAccessKey.accountId(), viewAccessKey.publicKey())
                    .<Object>map(view -> view)
                    .orElseGet(() -> noAccessKey(viewAccessKey));
        } else if (request instanceof QueryRequest.ViewGasKeyNonces gasKey) {
            kind = gasKeyNonces(gasKey, height);
        } else {
            kind = new QueryViews.AccessKeyList(keys.accessKeys(request.accountId()));
        }
        return new QueryViews.QueryResponse(kind, height, clock.hash(height));
    }

    /**
     * view_global_contract_code(_by_account_id): the ContractCodeView of a global contract, or nearcore's
     * NO_GLOBAL_CONTRACT_CODE with the identifier (serde's {"CodeHash": ...} / {"AccountId": ...}).
     */
    private QueryViews.ContractCodeView globalCode(byte[] codeHash, String accountId, long height) {
        byte[] code = chain.globalCode(codeHash, accountId).orElseThrow(() -> {
            Object identifier;
            String debug;
            if (codeHash != null) {
                identifier = new QueryViews.CodeHashIdentifier(Base58.encode(codeHash));
                debug = "CodeHash(" + Base58.encode(codeHash) + ")";
            } else {
                identifier = new QueryViews.AccountIdIdentifier(accountId);
                debug = "AccountId(AccountId(\"" + accountId + "\"))";
            }
            return RpcException.handlerError(
                    "NO_GLOBAL_CONTRACT_CODE",
                    new QueryViews.NoGlobalContractCode(identifier, at(height)),
                    "Global contract code with identifier " + debug + " has never been observed on the node");
        });
        return QueryViews.ContractCodeView.of(code);
    }

    private QueryViews.ContractCodeView viewCode(QueryRequest.ViewCode query, long height) {
        existing(query.accountId(), height);
        byte[] code = chain.code(query.accountId())
                .orElseThrow(() -> RpcException.handlerError(
                        "NO_CONTRACT_CODE",
                        new QueryViews.ContractAccount(query.accountId(), at(height)),
                        "Contract code for contract ID #" + query.accountId()
                                + " has never been observed on the node"));
        return QueryViews.ContractCodeView.of(code);
    }

    private QueryViews.ViewStateResult viewState(QueryRequest.ViewState query, long height) {
        ChainView.Account account = existing(query.accountId(), height);
        if (account.storageUsage() > VIEW_STATE_SIZE_LIMIT) {
            // nearcore subtracts the account's own code only (a global contract's is not its storage).
            long codeBytes = !account.hasLocalCode()
                    ? 0L
                    : chain.code(query.accountId())
                            .map(code -> (long) code.length)
                            .orElse(0L);
            if (account.storageUsage() - codeBytes > VIEW_STATE_SIZE_LIMIT) {
                throw RpcException.handlerError(
                        "TOO_LARGE_CONTRACT_STATE",
                        new QueryViews.ContractAccount(query.accountId(), at(height)),
                        "State of contract " + query.accountId() + " is too large to be viewed");
            }
        }
        Base64.Encoder base64 = Base64.getEncoder();
        List<QueryViews.StateItem> values = new ArrayList<>();
        for (ChainView.StateEntry entry : chain.state(query.accountId(), query.prefix())) {
            values.add(
                    new QueryViews.StateItem(base64.encodeToString(entry.key()), base64.encodeToString(entry.value())));
        }
        // ViewStateResult.proof: base64 trie nodes, only when asked for (left out when empty)
        List<String> proof = query.includeProof()
                ? chain.stateProof(query.accountId(), query.prefix()).stream()
                        .map(base64::encodeToString)
                        .toList()
                : null;
        return new QueryViews.ViewStateResult(values, proof);
    }

    private Object callFunction(QueryRequest.CallFunction query, long height) {
        ChainView.Account account = existing(query.accountId(), height);
        ChainView.ViewOutcome outcome = account.hasCode()
                ? chain.view(
                        query.accountId(),
                        query.methodName(),
                        query.args(),
                        new ChainView.BlockContext(height, clock.timestampNanos(height), clock.epochHeight(height)))
                : new ChainView.ViewOutcome.Failure(
                        "CompilationError(CodeDoesNotExist { account_id: AccountId(\"" + query.accountId() + "\") })");
        if (outcome instanceof ChainView.ViewOutcome.Success success) {
            return QueryViews.CallResult.of(success.result(), success.logs());
        }
        return new QueryViews.QueryError(
                "wasm execution failed with error: " + ((ChainView.ViewOutcome.Failure) outcome).vmError());
    }

    /**
     * view_client_actor.rs handle_query: the header of a collected block is still known (GC keeps
     * headers), its ChunkExtra is not, so below gc_stop_height a query is GARBAGE_COLLECTED_BLOCK
     * (jsonrpc-primitives query.rs RpcQueryError), a handler error answered with HTTP 200.
     */
    private RpcException garbageCollected(long height) {
        return RpcException.handlerError(
                "GARBAGE_COLLECTED_BLOCK",
                at(height),
                "The data for block #" + height
                        + " is garbage collected on this node, use an archival node to fetch historical data");
    }

    /** nearcore reports a missing key as a result with an error (its legacy UNKNOWN_ACCESS_KEY compatibility). */
    private static QueryViews.QueryError noAccessKey(QueryRequest.ViewAccessKey query) {
        return new QueryViews.QueryError("access key " + query.publicKey() + " does not exist while viewing");
    }

    /**
     * view_gas_key_nonces: {@code {"nonces": [u64...]}}, one per slot in slot order; a key that is no
     * gas key of the account is nearcore's UNKNOWN_GAS_KEY.
     */
    private QueryViews.GasKeyNonces gasKeyNonces(QueryRequest.ViewGasKeyNonces query, long height) {
        List<Long> nonces = keys.gasKeyNonces(query.accountId(), query.publicKey())
                .orElseThrow(() -> RpcException.handlerError(
                        "UNKNOWN_GAS_KEY",
                        new QueryViews.UnknownGasKey(query.publicKey(), at(height)),
                        "gas key " + query.publicKey() + " does not exist while viewing"));
        return new QueryViews.GasKeyNonces(nonces.stream()
                .map(n -> new BigInteger(Long.toUnsignedString(n)))
                .toList());
    }

    private ChainView.Account existing(String accountId, long height) {
        return chain.account(accountId)
                .orElseThrow(() -> RpcException.handlerError(
                        "UNKNOWN_ACCOUNT",
                        new QueryViews.UnknownAccount(accountId, at(height)),
                        "account " + accountId + " does not exist while viewing"));
    }

    private QueryViews.BlockAt at(long height) {
        return new QueryViews.BlockAt(height, clock.hash(height));
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
