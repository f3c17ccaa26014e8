package dev.outlayer.bench.targetsystem.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The {@code query} method: parses the request as nearcore's {@code RpcQueryRequest} (object
 * form with {@code request_type}, or the legacy {@code [path, base58 data]} form), resolves the
 * block, reads the {@link ChainView} and answers in nearcore's shapes, including its legacy
 * quirk of reporting contract failures and unknown access keys as a result with an
 * {@code error} member ({@code process_query_response} in nearcore's {@code chain/jsonrpc}).
 */
final class QueryHandler {
    /** nearcore's {@code trie_viewer_state_size_limit} default: bigger states are refused by view_state. */
    static final long VIEW_STATE_SIZE_LIMIT = 50_000;
    private static final int LEGACY_QUERY_MAX_SIZE = 10 * 1024;
    private static final Set<String> REQUEST_TYPE_NAMES = Set.of("view_account", "view_code",
            "view_state", "view_access_key", "view_access_key_list", "call_function");
    private static final String REQUEST_TYPES = "`view_account`, `view_code`, `view_state`, `view_access_key`, "
            + "`view_access_key_list`, `call_function`";

    private final BlockClock clock;
    private final ChainView chain;

    QueryHandler(BlockClock clock, ChainView chain) {
        this.clock = clock;
        this.chain = chain;
    }

    /** What was asked, once parsed: the request type, its account, and its type-specific argument. */
    private record Query(BlockReference block, String type, String accountId, String method, byte[] data, String publicKey) {
    }

    ObjectNode handle(JsonNode params) {
        Query query = parse(params);
        OptionalLong resolved = query.block().resolve(clock);
        if (resolved.isEmpty()) {
            throw query.block().unknownBlockInQuery(clock);
        }
        long height = resolved.getAsLong();
        ObjectNode result = switch (query.type()) {
            case "view_account" -> viewAccount(query, height);
            case "view_code" -> viewCode(query, height);
            case "view_state" -> viewState(query, height);
            case "call_function" -> callFunction(query, height);
            case "view_access_key" -> noAccessKey(query);
            case "view_access_key_list" -> emptyKeyList();
            default -> throw new IllegalStateException("unparsed request type " + query.type());
        };
        result.put("block_height", height);
        result.put("block_hash", clock.hash(height));
        return result;
    }

    private ObjectNode viewAccount(Query query, long height) {
        ChainView.Account account = existing(query.accountId(), height);
        ObjectNode view = JsonCodec.object();
        view.put("amount", account.amount().toString());
        view.put("locked", account.locked().toString());
        view.put("code_hash", Base58.encode(account.codeHash()));
        view.put("storage_usage", account.storageUsage());
        view.put("storage_paid_at", 0);
        return view;
    }

    private ObjectNode viewCode(Query query, long height) {
        existing(query.accountId(), height);
        byte[] code = chain.code(query.accountId()).orElseThrow(() -> {
            ObjectNode info = JsonCodec.object();
            info.put("contract_account_id", query.accountId());
            putBlock(info, height);
            return RpcException.handlerError("NO_CONTRACT_CODE", info,
                    "Contract code for contract ID #" + query.accountId() + " has never been observed on the node");
        });
        ObjectNode view = JsonCodec.object();
        view.put("code_base64", Base64.getEncoder().encodeToString(code));
        view.put("hash", Base58.encode(BlockClock.sha256(code)));
        return view;
    }

    private ObjectNode viewState(Query query, long height) {
        ChainView.Account account = existing(query.accountId(), height);
        if (account.storageUsage() > VIEW_STATE_SIZE_LIMIT) {
            long codeBytes = chain.code(query.accountId()).map(code -> (long) code.length).orElse(0L);
            if (account.storageUsage() - codeBytes > VIEW_STATE_SIZE_LIMIT) {
                ObjectNode info = JsonCodec.object();
                info.put("contract_account_id", query.accountId());
                putBlock(info, height);
                throw RpcException.handlerError("TOO_LARGE_CONTRACT_STATE", info,
                        "State of contract " + query.accountId() + " is too large to be viewed");
            }
        }
        ObjectNode view = JsonCodec.object();
        ArrayNode values = view.putArray("values");
        Base64.Encoder base64 = Base64.getEncoder();
        for (ChainView.StateEntry entry : chain.state(query.accountId(), query.data())) {
            values.addObject()
                    .put("key", base64.encodeToString(entry.key()))
                    .put("value", base64.encodeToString(entry.value()));
        }
        return view;
    }

    private ObjectNode callFunction(Query query, long height) {
        ChainView.Account account = existing(query.accountId(), height);
        ChainView.ViewOutcome outcome = account.hasCode()
                ? chain.view(query.accountId(), query.method(), query.data(),
                        new ChainView.BlockContext(height, clock.timestampNanos(height), clock.epochHeight(height)))
                : new ChainView.ViewOutcome.Failure("CompilationError(CodeDoesNotExist { account_id: AccountId(\"" + query.accountId() + "\") })");
        ObjectNode view = JsonCodec.object();
        if (outcome instanceof ChainView.ViewOutcome.Success success) {
            ArrayNode bytes = view.putArray("result");
            for (byte b : success.result()) {
                bytes.add(b & 0xff);
            }
            ArrayNode logs = view.putArray("logs");
            success.logs().forEach(logs::add);
        } else {
            view.put("error", "wasm execution failed with error: " + ((ChainView.ViewOutcome.Failure) outcome).vmError());
            view.putArray("logs");
        }
        return view;
    }

    /** The emulated chain holds no access keys; nearcore reports a missing key as a result with an error. */
    private ObjectNode noAccessKey(Query query) {
        ObjectNode view = JsonCodec.object();
        view.put("error", "access key " + query.publicKey() + " does not exist while viewing");
        view.putArray("logs");
        return view;
    }

    private ObjectNode emptyKeyList() {
        ObjectNode view = JsonCodec.object();
        view.putArray("keys");
        return view;
    }

    private ChainView.Account existing(String accountId, long height) {
        return chain.account(accountId).orElseThrow(() -> {
            ObjectNode info = JsonCodec.object();
            info.put("requested_account_id", accountId);
            putBlock(info, height);
            return RpcException.handlerError("UNKNOWN_ACCOUNT", info, "account " + accountId + " does not exist while viewing");
        });
    }

    private void putBlock(ObjectNode info, long height) {
        info.put("block_height", height);
        info.put("block_hash", clock.hash(height));
    }

    // ---- parsing, in nearcore's order: the legacy array form first, then the object form ----

    private static Query parse(JsonNode params) {
        if (params == null || params.isNull()) {
            throw RpcException.parseError("Require at least one parameter");
        }
        if (params.isArray() && params.size() == 2 && params.get(0).isTextual() && params.get(1).isTextual()) {
            return parseLegacy(params.get(0).asText(), params.get(1).asText());
        }
        if (!params.isObject()) {
            throw RpcException.badParams("invalid type: " + describe(params) + ", expected struct RpcQueryRequest");
        }
        BlockReference block = BlockReference.fromObject(params);
        JsonNode typeNode = params.get("request_type");
        if (typeNode == null) {
            throw RpcException.badParams("missing field `request_type`");
        }
        String type = typeNode.asText();
        if (!REQUEST_TYPE_NAMES.contains(type)) {
            throw RpcException.badParams("unknown variant `" + type + "`, expected one of " + REQUEST_TYPES);
        }
        String accountId = accountId(requiredText(params, "account_id"));
        return switch (type) {
            case "view_account", "view_code", "view_access_key_list" -> new Query(block, type, accountId, null, null, null);
            case "view_state" -> new Query(block, type, accountId, null, base64(requiredText(params, "prefix_base64")), null);
            case "call_function" -> new Query(block, type, accountId, requiredText(params, "method_name"),
                    base64(requiredText(params, "args_base64")), null);
            case "view_access_key" -> new Query(block, type, accountId, null, null, publicKey(requiredText(params, "public_key")));
            default -> throw RpcException.badParams("unknown variant `" + type + "`, expected one of " + REQUEST_TYPES);
        };
    }

    /** {@code ["account/alice.near", ""]}, {@code ["call/counter.near/get_num", "<base58 args>"]}... */
    private static Query parseLegacy(String path, String base58Data) {
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
        BlockReference latest = BlockReference.optimistic();
        return switch (parts[0]) {
            case "account" -> new Query(latest, "view_account", accountId, null, null, null);
            case "code" -> new Query(latest, "view_code", accountId, null, null, null);
            case "contract" -> new Query(latest, "view_state", accountId, null, data, null);
            case "access_key" -> extra == null
                    ? new Query(latest, "view_access_key_list", accountId, null, null, null)
                    : new Query(latest, "view_access_key", accountId, null, null, legacyPublicKey(extra));
            case "call" -> {
                if (extra == null) {
                    throw RpcException.parseError("Method name is missing");
                }
                yield new Query(latest, "call_function", accountId, extra, data, null);
            }
            default -> throw RpcException.parseError("Unknown path " + parts[0]);
        };
    }

    private static String requiredText(JsonNode params, String field) {
        JsonNode value = params.get(field);
        if (value == null) {
            throw RpcException.badParams("missing field `" + field + "`");
        }
        if (!value.isTextual()) {
            throw RpcException.badParams("invalid type: " + describe(value) + ", expected a string");
        }
        return value.asText();
    }

    private static String accountId(String id) {
        String problem = AccountIds.problem(id);
        if (problem != null) {
            throw RpcException.badParams("invalid value: \"" + id + "\", " + problem);
        }
        return id;
    }

    private static byte[] base64(String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw RpcException.badParams("invalid base64 \"" + text + "\": " + e.getMessage());
        }
    }

    private static String publicKey(String text) {
        if (!isPublicKey(text)) {
            throw RpcException.badParams("invalid value: \"" + text + "\", expected a public key as ed25519:<base58>");
        }
        return text;
    }

    private static String legacyPublicKey(String text) {
        if (!isPublicKey(text)) {
            throw RpcException.parseError("Invalid public key");
        }
        return text;
    }

    /** NEAR's key text: {@code ed25519:} (optional) or {@code secp256k1:} and base58 of 32 or 64 bytes. */
    private static boolean isPublicKey(String text) {
        boolean secp = text.startsWith("secp256k1:");
        String base58 = secp ? text.substring("secp256k1:".length())
                : text.startsWith("ed25519:") ? text.substring("ed25519:".length()) : text;
        try {
            return Base58.decode(base58).length == (secp ? 64 : 32);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "sequence";
            case OBJECT -> "map";
            case NUMBER -> "integer `" + node.asText() + "`";
            case BOOLEAN -> "boolean `" + node.asText() + "`";
            case STRING -> "string \"" + node.asText() + "\"";
            default -> "null";
        };
    }
}
