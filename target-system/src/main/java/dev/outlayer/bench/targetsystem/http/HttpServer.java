package dev.outlayer.bench.targetsystem.http;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One Undertow listener with graceful shutdown: stop accepting, let in-flight requests finish. */
public final class HttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

    private final String name;
    private final Undertow undertow;
    private final GracefulShutdownHandler graceful;
    private final long shutdownGraceMillis;

    private HttpServer(String name, Undertow undertow, GracefulShutdownHandler graceful, long shutdownGraceMillis) {
        this.name = name;
        this.undertow = undertow;
        this.graceful = graceful;
        this.shutdownGraceMillis = shutdownGraceMillis;
    }

    /** Starts a listener; port 0 picks a free port (see {@link #port()}). */
    public static HttpServer start(String name, String host, int port, HttpHandler handler, long shutdownGraceMillis) {
        GracefulShutdownHandler graceful = new GracefulShutdownHandler(handler);
        Undertow undertow = Undertow.builder()
                .addHttpListener(port, host)
                .setServerOption(UndertowOptions.ALWAYS_SET_DATE, true)
                .setServerOption(UndertowOptions.RECORD_REQUEST_START_TIME, false)
                .setHandler(graceful)
                .build();
        undertow.start();
        HttpServer server = new HttpServer(name, undertow, graceful, shutdownGraceMillis);
        LOG.info("{} listening on http://{}:{}", name, host, server.port());
        return server;
    }

    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    public String url() {
        String host = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress())
                        .getAddress()
                        .isAnyLocalAddress()
                ? "127.0.0.1"
                : ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getHostString();
        return "http://" + host + ":" + port();
    }

    public String name() {
        return name;
    }

    /** Stops accepting work, waits up to the grace period for in-flight requests, then stops. */
    @Override
    public void close() {
        graceful.shutdown();
        try {
            if (!graceful.awaitShutdown(shutdownGraceMillis)) {
                LOG.warn(
                        "{}: in-flight requests still running after {} ms; stopping anyway", name, shutdownGraceMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        undertow.stop();
        LOG.info("{} stopped", name);
    }
}
