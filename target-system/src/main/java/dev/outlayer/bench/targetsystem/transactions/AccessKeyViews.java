package dev.outlayer.bench.targetsystem.transactions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;

/** nearcore's AccessKeyView JSON: {@code {"nonce": n, "permission": "FullAccess" | {"FunctionCall": {...}}}}. */
final class AccessKeyViews {
    private AccessKeyViews() {}

    static ObjectNode accessKey(AccessKey key) {
        ObjectNode view = JsonCodec.object();
        view.put("nonce", key.nonce());
        if (key.permission() instanceof AccessKey.FunctionCall call) {
            ObjectNode function = view.putObject("permission").putObject("FunctionCall");
            if (call.allowance() == null) {
                function.putNull("allowance");
            } else {
                function.put("allowance", call.allowance().toString());
            }
            function.put("receiver_id", call.receiverId());
            call.methodNames().forEach(function.putArray("method_names")::add);
        } else {
            view.put("permission", "FullAccess");
        }
        return view;
    }
}
