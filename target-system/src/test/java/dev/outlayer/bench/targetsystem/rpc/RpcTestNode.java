package dev.outlayer.bench.targetsystem.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The emulator in process, no server, with a hand-driven clock: tests move time with
 * {@link #advanceBlocks} instead of sleeping, and call JSON-RPC as a client would send it.
 */
final class RpcTestNode {
    static final long GENESIS_MILLIS = 1_700_000_000_000L;
    static final long BLOCK_MILLIS = 1_000;
    /** What {@code status} reports as {@code rpc_addr}. */
    static final String RPC_ADDR = "127.0.0.1:3030";

    final AtomicLong nowMillis = new AtomicLong(GENESIS_MILLIS + 10 * BLOCK_MILLIS + 500);
    final BlockClock clock = new BlockClock(GENESIS_MILLIS, BLOCK_MILLIS, nowMillis::get);
    final NearRpcEmulator emulator;

    RpcTestNode(ChainView chain) {
        emulator = new NearRpcEmulator(clock, "outlayer-test", chain);
    }

    RpcTestNode() {
        this(EmptyChain.INSTANCE);
    }

    void advanceBlocks(int blocks) {
        nowMillis.addAndGet(blocks * BLOCK_MILLIS);
    }

    /** One JSON-RPC call; {@code params} is JSON text. */
    Reply call(String method, String params) {
        return post("{\"jsonrpc\":\"2.0\",\"id\":\"t1\",\"method\":\"" + method + "\",\"params\":" + params + "}");
    }

    /** One JSON-RPC call: the answer's bytes as sent, as text. */
    String raw(String method, String params) {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":\"t1\",\"method\":\"" + method + "\",\"params\":" + params + "}";
        return new String(
                emulator.handle(body.getBytes(StandardCharsets.UTF_8), RPC_ADDR).body(), StandardCharsets.UTF_8);
    }

    /** A request body as sent. */
    Reply post(String body) {
        return post(body.getBytes(StandardCharsets.UTF_8));
    }

    /** A request body as sent, byte for byte (not necessarily UTF-8). */
    Reply post(byte[] body) {
        NearRpcEmulator.Response response = emulator.handle(body, RPC_ADDR);
        try {
            return new Reply(response.httpStatus(), JsonCodec.MAPPER.readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The answer and the HTTP status nearcore sends it with. */
    record Reply(int status, JsonNode body) {
        JsonNode result() {
            return body.get("result");
        }

        JsonNode error() {
            return body.get("error");
        }
    }
}
