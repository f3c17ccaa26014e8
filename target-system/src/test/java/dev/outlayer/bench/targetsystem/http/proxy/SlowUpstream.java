package dev.outlayer.bench.targetsystem.http.proxy;

import dev.outlayer.bench.targetsystem.http.HttpServer;
import io.undertow.server.HttpServerExchange;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** A JSON-RPC upstream that holds every request until released: for in-flight, timeout and shutdown tests. */
final class SlowUpstream implements AutoCloseable {
    private final CountDownLatch release = new CountDownLatch(1);
    private final Semaphore arrived = new Semaphore(0);
    private final HttpServer server;

    SlowUpstream() {
        server = HttpServer.start("slow-upstream", "127.0.0.1", 0, this::hold, 100);
    }

    private void hold(HttpServerExchange exchange) {
        exchange.dispatch(() -> {
            arrived.release();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.getResponseSender()
                    .send(ByteBuffer.wrap("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"slow\"}".getBytes()));
        });
    }

    String url() {
        return server.url();
    }

    void awaitArrivals(int count) throws InterruptedException {
        if (!arrived.tryAcquire(count, 10, TimeUnit.SECONDS)) {
            throw new AssertionError("upstream saw fewer than " + count + " requests");
        }
    }

    void releaseAll() {
        release.countDown();
    }

    @Override
    public void close() {
        releaseAll();
        server.close();
    }
}
