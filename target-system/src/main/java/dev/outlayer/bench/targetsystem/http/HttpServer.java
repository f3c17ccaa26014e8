package dev.outlayer.bench.targetsystem.http;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.DefaultResponseListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.ResponseCommitListener;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.util.StatusCodes;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Options;

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

    /** Starts a listener with the default {@link ServerLimits}; port 0 picks a free port (see {@link #port()}). */
    public static HttpServer start(String name, String host, int port, HttpHandler handler, long shutdownGraceMillis) {
        return start(name, host, port, handler, shutdownGraceMillis, ServerLimits.DEFAULTS);
    }

    /** Starts a listener; port 0 picks a free port (see {@link #port()}). */
    public static HttpServer start(
            String name, String host, int port, HttpHandler handler, long shutdownGraceMillis, ServerLimits limits) {
        GracefulShutdownHandler graceful = new GracefulShutdownHandler(handler);
        Undertow undertow = Undertow.builder()
                .addHttpListener(port, host)
                .setServerOption(UndertowOptions.ALWAYS_SET_DATE, true)
                .setServerOption(UndertowOptions.RECORD_REQUEST_START_TIME, false)
                // Bodies are bounded by whoever reads them (BodyReader counts as the bytes arrive, whatever the
                // framing); a body nobody reads is never drained (CLOSE_IF_BODY_UNREAD). Undertow's own entity
                // check stays off: it cuts the connection before a 413 can be read and prints a stack trace.
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, 0L)
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, limits.requestParseTimeoutMillis())
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, limits.idleTimeoutMillis())
                .setServerOption(UndertowOptions.IDLE_TIMEOUT, limits.idleTimeoutMillis())
                .setSocketOption(Options.READ_TIMEOUT, limits.readTimeoutMillis())
                // A bodiless error (the 503 while shutting down) still gets a JSON body.
                .setHandler(exchange -> {
                    exchange.addDefaultResponseListener(EMPTY_ERROR_AS_JSON);
                    exchange.addResponseCommitListener(CLOSE_IF_BODY_UNREAD);
                    graceful.handleRequest(exchange);
                })
                .build();
        undertow.start();
        HttpServer server = new HttpServer(name, undertow, graceful, shutdownGraceMillis);
        LOG.info("{} listening on http://{}:{}", name, host, server.port());
        return server;
    }

    /**
     * Answered without reading the whole body (an unknown route, a GET with a body, a refusal up
     * front): close the connection rather than read and discard an upload of any size to keep it.
     */
    private static final ResponseCommitListener CLOSE_IF_BODY_UNREAD = exchange -> {
        if (!exchange.isRequestComplete()) {
            exchange.setPersistent(false);
        }
    };

    /** Gives an error that ended without a body (Undertow's own 503 while shutting down) the usual JSON body. */
    private static final DefaultResponseListener EMPTY_ERROR_AS_JSON = exchange -> {
        int status = exchange.getStatusCode();
        if (exchange.isResponseStarted() || status < 400) {
            return false;
        }
        String message = status == 503 ? "the server is shutting down; retry later" : StatusCodes.getReason(status);
        exchange.setPersistent(false);
        Responses.error(exchange, status, message);
        return true;
    };

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
