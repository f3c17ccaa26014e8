package dev.outlayer.bench.targetsystem.transactions;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.contracts.AccessKey;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.rpc.RpcException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads nearcore's AccessKey JSON ({@code {"nonce", "permission"}}, core/primitives-core/src/account.rs
 * serde) back into the shared {@link AccessKey}, as strictly as nearcore's serde: the nonce a u64
 * integer, the permission {@code "FullAccess"}, {@code {"FunctionCall": {allowance, receiver_id,
 * method_names}}} with the allowance a u128 (decimal string) or null and the method names an array of
 * strings, or a gas key: {@code {"GasKeyFullAccess": {"balance", "num_nonces"}}} or the tuple variant
 * {@code {"GasKeyFunctionCall": [{"balance", "num_nonces"}, {allowance, receiver_id, method_names}]}}
 * (GasKeyInfo: a u128 decimal string, a u16). Anything else is a PARSE_ERROR, so that a patch never
 * stores a value nearcore would not have read. A gas key comes back without its nonce slots (records of
 * their own, {@code GasKeyNonce}).
 */
final class AccessKeyJson {
    private AccessKeyJson() {}

    private static final BigInteger U64_LIMIT = BigInteger.ONE.shiftLeft(64);

    private record View(JsonNode nonce, JsonNode permission) {}

    private record FunctionCallView(
            JsonNode allowance,
            @JsonProperty("receiver_id") JsonNode receiverId,
            @JsonProperty("method_names") JsonNode methodNames) {}

    static AccessKey read(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw RpcException.badParams("missing field `access_key`");
        }
        View view = bind(json, View.class);
        long nonce = u64(view.nonce(), "access_key.nonce");
        JsonNode permission = view.permission();
        if (permission == null) {
            throw RpcException.badParams("missing field `access_key.permission`");
        }
        if (permission.isTextual() && permission.asText().equals("FullAccess")) {
            return new AccessKey(nonce, new AccessKey.FullAccess());
        }
        String variant = permission.isObject() && permission.size() == 1
                ? permission.fieldNames().next()
                : "";
        JsonNode body = permission.get(variant);
        switch (variant) {
            case "FunctionCall" -> {
                return new AccessKey(nonce, functionCall(body));
            }
            case "GasKeyFullAccess" -> {
                return new AccessKey(nonce, new AccessKey.GasKeyFullAccess(gasKeyInfo(body)));
            }
            case "GasKeyFunctionCall" -> {
                if (body == null || !body.isArray() || body.size() != 2) {
                    throw RpcException.badParams(
                            "GasKeyFunctionCall is a pair: [{balance, num_nonces}, {allowance, receiver_id, method_names}]");
                }
                return new AccessKey(
                        nonce, new AccessKey.GasKeyFunctionCall(gasKeyInfo(body.get(0)), functionCall(body.get(1))));
            }
            default ->
                throw RpcException.badParams("access_key.permission must be \"FullAccess\", {\"FunctionCall\": {...}},"
                        + " {\"GasKeyFullAccess\": {...}} or {\"GasKeyFunctionCall\": [{...}, {...}]}");
        }
    }

    private record GasKeyInfoView(
            JsonNode balance, @JsonProperty("num_nonces") JsonNode numNonces) {}

    /** GasKeyInfo {balance: u128 decimal string, num_nonces: u16}. */
    private static AccessKey.GasKeyInfo gasKeyInfo(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw RpcException.badParams("a gas key's info is {\"balance\", \"num_nonces\"}");
        }
        GasKeyInfoView info = bind(json, GasKeyInfoView.class);
        if (info.balance() == null || info.balance().isNull()) {
            throw RpcException.badParams("missing field `balance`");
        }
        BigInteger balance = StatePatch.u128(info.balance(), "balance");
        long numNonces = u64(info.numNonces(), "num_nonces");
        if (numNonces < 0 || numNonces > 0xFFFF) {
            throw RpcException.badParams("invalid `num_nonces` " + numNonces + ", expected a u16");
        }
        return new AccessKey.GasKeyInfo(balance, (int) numNonces);
    }

    private static AccessKey.FunctionCallPermission functionCall(JsonNode call) {
        if (call == null || !call.isObject()) {
            throw RpcException.badParams("a FunctionCall permission is {allowance, receiver_id, method_names}");
        }
        FunctionCallView function = bind(call, FunctionCallView.class);
        if (function.receiverId() == null || !function.receiverId().isTextual()) {
            throw RpcException.badParams("invalid or missing field `receiver_id`, expected a string");
        }
        if (function.methodNames() == null || !function.methodNames().isArray()) {
            throw RpcException.badParams("invalid or missing field `method_names`, expected an array of strings");
        }
        List<String> methods = new ArrayList<>();
        for (JsonNode name : function.methodNames()) {
            if (!name.isTextual()) {
                throw RpcException.badParams("invalid field `method_names`, expected an array of strings");
            }
            methods.add(name.asText());
        }
        JsonNode allowance = function.allowance();
        BigInteger allowanceValue =
                allowance == null || allowance.isNull() ? null : StatePatch.u128(allowance, "allowance");
        return new AccessKey.FunctionCallPermission(
                allowanceValue, function.receiverId().asText(), methods);
    }

    /** A u64 JSON integer (a float, a string, a negative number or one of 2^64 and more is not), in a long's bits. */
    static long u64(JsonNode value, String field) {
        if (value == null || value.isNull()) {
            throw RpcException.badParams("missing field `" + field + "`");
        }
        if (!value.isIntegralNumber()
                || value.bigIntegerValue().signum() < 0
                || value.bigIntegerValue().compareTo(U64_LIMIT) >= 0) {
            throw RpcException.badParams("invalid `" + field + "` " + value + ", expected a u64");
        }
        return value.bigIntegerValue().longValue();
    }

    static <T> T bind(JsonNode node, Class<T> type) {
        try {
            return JsonCodec.MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw RpcException.badParams("invalid state record");
        }
    }
}
