package dev.outlayer.bench.targetsystem.contracts;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * The promises a call created, recorded as NEAR would turn them into receipts. This simulator
 * does not execute receipts; the outcome lists them with {@code receipts_executed: false}.
 */
public final class PromiseLog {
    private final List<ObjectNode> promises = new ArrayList<>();
    private Long returned;

    static ObjectNode action(String type) {
        ObjectNode node = JsonCodec.object();
        node.put("type", type);
        return node;
    }

    long batch(String receiverId, Long after) {
        if (after != null) {
            checkIndex(after);
        }
        if (promises.size() >= ExtCost.MAX_PROMISES_PER_CALL) {
            throw new HostError("NumberPromisesExceeded", "more than " + ExtCost.MAX_PROMISES_PER_CALL + " promises");
        }
        ObjectNode promise = JsonCodec.object();
        promise.put("index", promises.size());
        promise.put("receiver_id", receiverId);
        ArrayNode deps = promise.putArray("after");
        if (after != null) {
            deps.add(after);
        }
        promise.putArray("actions");
        promises.add(promise);
        return promises.size() - 1;
    }

    long and(long[] indices) {
        for (long index : indices) {
            checkIndex(index);
        }
        ObjectNode promise = JsonCodec.object();
        promise.put("index", promises.size());
        promise.put("kind", "and");
        ArrayNode deps = promise.putArray("after");
        for (long index : indices) {
            deps.add(index);
        }
        promises.add(promise);
        return promises.size() - 1;
    }

    void action(long index, ObjectNode action) {
        ObjectNode promise = promise(index);
        if (!promise.has("actions")) {
            throw new HostError("CannotAppendActionToJointPromise", "promise " + index + " was made by promise_and");
        }
        ((ArrayNode) promise.get("actions")).add(action);
    }

    void returned(long index) {
        checkIndex(index);
        returned = index;
    }

    private ObjectNode promise(long index) {
        checkIndex(index);
        return promises.get((int) index);
    }

    private void checkIndex(long index) {
        if (index < 0 || index >= promises.size()) {
            throw new HostError(
                    "InvalidPromiseIndex", "promise index " + Long.toUnsignedString(index) + " does not exist");
        }
    }

    public boolean isEmpty() {
        return promises.isEmpty();
    }

    public List<ObjectNode> promises() {
        return promises;
    }

    /** The promise the method returned with promise_return, or null. */
    public Long returnedPromise() {
        return returned;
    }
}
