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
 * Reads nearcore's AccessKeyView JSON ({@code {"nonce", "permission"}}) back into the shared
 * {@link AccessKey}, as strictly as nearcore's serde: the nonce a u64 integer, the permission
 * {@code "FullAccess"} or {@code {"FunctionCall": {allowance, receiver_id, method_names}}} with the
 * allowance a u128 (decimal string) or null and the method names an array of strings. Anything else
 * is a PARSE_ERROR, so that a patch never stores a value nearcore would not have read.
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
        JsonNode call = permission.isObject() && permission.size() == 1 ? permission.get("FunctionCall") : null;
        if (call == null || !call.isObject()) {
            throw RpcException.badParams(
                    "access_key.permission must be \"FullAccess\" or {\"FunctionCall\": {allowance, receiver_id, method_names}}");
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
        return new AccessKey(
                nonce,
                new AccessKey.FunctionCallPermission(
                        allowanceValue, function.receiverId().asText(), methods));
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
