package dev.outlayer.bench.targetsystem.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.http.HttpServer;
import dev.outlayer.bench.targetsystem.json.JsonCodec;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The emulator on a free port with a hand-driven clock: tests move time with {@link #advanceBlocks}
 * instead of sleeping.
 */
final class RpcTestServer implements AutoCloseable {
    static final long GENESIS_MILLIS = 1_700_000_000_000L;
    static final long BLOCK_MILLIS = 1_000;

    final AtomicLong nowMillis = new AtomicLong(GENESIS_MILLIS + 10 * BLOCK_MILLIS + 500);
    final BlockClock clock = new BlockClock(GENESIS_MILLIS, BLOCK_MILLIS, nowMillis::get);
    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    final String url;

    RpcTestServer(ChainView chain) {
        server = HttpServer.start("near-rpc-test", "127.0.0.1", 0, new NearRpcEmulator(clock, "outlayer-test", chain), 1_000);
        url = "http://127.0.0.1:" + server.port();
    }

    RpcTestServer() {
        this(EmptyChain.INSTANCE);
    }

    void advanceBlocks(int blocks) {
        nowMillis.addAndGet(blocks * BLOCK_MILLIS);
    }

    /** One JSON-RPC call; {@code params} is JSON text. */
    Reply call(String method, String params) {
        return post("{\"jsonrpc\":\"2.0\",\"id\":\"t1\",\"method\":\"" + method + "\",\"params\":" + params + "}");
    }

    Reply post(String body) {
        return send(HttpRequest.newBuilder(URI.create(url + "/")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Reply get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url + path)).GET().build());
    }

    private Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), JsonCodec.MAPPER.readTree(response.body()), response);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record Reply(int status, JsonNode body, HttpResponse<String> raw) {
        JsonNode result() {
            return body.get("result");
        }

        JsonNode error() {
            return body.get("error");
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
