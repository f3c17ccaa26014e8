package dev.outlayer.bench.targetsystem.transactions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.contracts.AccessKey;
import dev.outlayer.bench.targetsystem.rpc.RpcException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** Reads nearcore's AccessKeyView JSON ({@code {"nonce", "permission"}}) back into the shared {@link AccessKey}. */
final class AccessKeyJson {
    private AccessKeyJson() {}

    static AccessKey read(JsonNode view) {
        if (view == null || !view.isObject()) {
            throw RpcException.badParams("missing field `access_key`");
        }
        JsonNode nonce = view.get("nonce");
        long nonceValue = nonce == null ? 0 : nonce.canConvertToLong() && nonce.asLong() >= 0 ? nonce.asLong() : -1;
        if (nonceValue < 0) {
            throw RpcException.badParams("invalid access_key.nonce, expected a u64");
        }
        JsonNode permission = view.get("permission");
        if (permission != null && permission.isTextual() && permission.asText().equals("FullAccess")) {
            return new AccessKey(nonceValue, new AccessKey.FullAccess());
        }
        JsonNode call = permission == null ? null : permission.get("FunctionCall");
        if (call == null || !call.isObject()) {
            throw RpcException.badParams(
                    "access_key.permission must be \"FullAccess\" or {\"FunctionCall\": {allowance, receiver_id, method_names}}");
        }
        JsonNode allowance = call.get("allowance");
        JsonNode receiver = call.get("receiver_id");
        JsonNode names = call.get("method_names");
        if (receiver == null || !receiver.isTextual()) {
            throw RpcException.badParams("missing field `receiver_id`");
        }
        List<String> methods = new ArrayList<>();
        if (names != null && names.isArray()) {
            for (JsonNode name : names) {
                if (!name.isTextual()) {
                    throw RpcException.badParams("method_names must be strings");
                }
                methods.add(name.asText());
            }
        } else if (names != null && !names.isNull()) {
            throw RpcException.badParams("method_names must be an array of strings");
        }
        BigInteger allowanceValue =
                allowance == null || allowance.isNull() ? null : StatePatch.amount(allowance.asText());
        return new AccessKey(
                nonceValue, new AccessKey.FunctionCallPermission(allowanceValue, receiver.asText(), methods));
    }
}
