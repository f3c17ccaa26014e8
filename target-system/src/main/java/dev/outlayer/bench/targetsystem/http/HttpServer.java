package dev.outlayer.bench.targetsystem.http;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.DefaultResponseListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.ResponseCommitListener;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.server.protocol.http.HttpOpenListener;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

/** One Undertow listener with graceful shutdown: stop accepting, let in-flight requests finish. */
public final class HttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

    private final String name;
    private final XnioWorker worker;
    private final AcceptingChannel<? extends StreamConnection> channel;
    private final GracefulShutdownHandler graceful;
    private final long shutdownGraceMillis;
    private final OpenConnections connections;

    private HttpServer(
            String name,
            XnioWorker worker,
            AcceptingChannel<? extends StreamConnection> channel,
            GracefulShutdownHandler graceful,
            long shutdownGraceMillis,
            OpenConnections connections) {
        this.name = name;
        this.worker = worker;
        this.channel = channel;
        this.graceful = graceful;
        this.shutdownGraceMillis = shutdownGraceMillis;
        this.connections = connections;
    }

    /** Starts a listener with the default {@link ServerLimits}; port 0 picks a free port (see {@link #port()}). */
    public static HttpServer start(String name, String host, int port, HttpHandler handler, long shutdownGraceMillis) {
        return start(name, host, port, handler, shutdownGraceMillis, ServerLimits.DEFAULTS);
    }

    /**
     * Starts a listener; port 0 picks a free port (see {@link #port()}). Assembled as
     * {@code Undertow.builder()} assembles an HTTP listener (same threads, buffers and options),
     * with one addition it has no hook for: {@link ProtocolErrorBody} under every connection.
     */
    public static HttpServer start(
            String name, String host, int port, HttpHandler handler, long shutdownGraceMillis, ServerLimits limits) {
        GracefulShutdownHandler graceful = new GracefulShutdownHandler(handler);
        OptionMap serverOptions = OptionMap.builder()
                .set(UndertowOptions.ALWAYS_SET_DATE, true)
                .set(UndertowOptions.RECORD_REQUEST_START_TIME, false)
                // Bodies are bounded by whoever reads them (BodyReader counts as the bytes arrive, whatever the
                // framing); a body nobody reads is never drained (CLOSE_IF_BODY_UNREAD). Undertow's own entity
                // check stays off: it cuts the connection before a 413 can be read and prints a stack trace.
                .set(UndertowOptions.MAX_ENTITY_SIZE, 0L)
                .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, limits.requestParseTimeoutMillis())
                .set(UndertowOptions.NO_REQUEST_TIMEOUT, limits.idleTimeoutMillis())
                .set(UndertowOptions.IDLE_TIMEOUT, limits.idleTimeoutMillis())
                .set(BodyDeadline.READ_TIMEOUT_MILLIS, limits.readTimeoutMillis())
                .getMap();
        OptionMap socketOptions = OptionMap.builder()
                .set(Options.BACKLOG, 1000)
                .set(Options.REUSE_ADDRESSES, true)
                .set(Options.TCP_NODELAY, true)
                // The backstop, past BodyDeadline's 408: XNIO's read timeout only closes the socket.
                .set(Options.READ_TIMEOUT, backstop(limits.readTimeoutMillis()))
                .getMap();
        int ioThreads = Math.max(Runtime.getRuntime().availableProcessors(), 2);
        XnioWorker worker;
        try {
            worker = Xnio.getInstance(Undertow.class.getClassLoader())
                    .createWorker(OptionMap.builder()
                            .set(Options.WORKER_IO_THREADS, ioThreads)
                            .set(Options.CONNECTION_HIGH_WATER, 1_000_000)
                            .set(Options.CONNECTION_LOW_WATER, 1_000_000)
                            .set(Options.WORKER_TASK_CORE_THREADS, ioThreads * 8)
                            .set(Options.WORKER_TASK_MAX_THREADS, ioThreads * 8)
                            .set(Options.TCP_NODELAY, true)
                            .set(Options.CORK, true)
                            .getMap());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the " + name + " listener's threads", e);
        }
        HttpOpenListener open = new HttpOpenListener(bufferPool(), serverOptions);
        // A bodiless error (the 503 while shutting down) still gets a JSON body.
        open.setRootHandler(exchange -> {
            ServerTiming.start(exchange); // every response carries Server-Timing (docs/target-system-api.md)
            exchange.addDefaultResponseListener(EMPTY_ERROR_AS_JSON);
            exchange.addResponseCommitListener(CLOSE_IF_BODY_UNREAD);
            graceful.handleRequest(exchange);
        });
        OpenConnections connections = new OpenConnections();
        ChannelListener<StreamConnection> withJsonProtocolErrors = connection -> {
            connections.add(connection);
            connection
                    .getSinkChannel()
                    .setConduit(
                            new ProtocolErrorBody(connection.getSinkChannel().getConduit()));
            open.handleEvent(connection);
        };
        AcceptingChannel<? extends StreamConnection> channel;
        try {
            channel = worker.createStreamConnectionServer(
                    new InetSocketAddress(InetAddress.getByName(host), port),
                    acceptEach(withJsonProtocolErrors),
                    socketOptions);
        } catch (IOException e) {
            worker.shutdownNow();
            throw new UncheckedIOException("cannot listen on " + host + ":" + port + " (" + name + ")", e);
        }
        channel.resumeAccepts();
        HttpServer server = new HttpServer(name, worker, channel, graceful, shutdownGraceMillis, connections);
        LOG.info("{} listening on http://{}:{}", name, host, server.port());
        return server;
    }

    /**
     * XNIO's {@code ChannelListeners.openListenerAdapter}, quiet about the one failure that is no
     * failure: an accept task that finds the socket closed because the server is stopping.
     */
    private static ChannelListener<AcceptingChannel<StreamConnection>> acceptEach(
            ChannelListener<StreamConnection> open) {
        return server -> {
            StreamConnection connection;
            try {
                connection = server.accept();
            } catch (ClosedChannelException stopping) {
                return;
            } catch (IOException e) {
                LOG.warn("failed to accept a connection: {}", e.toString());
                return;
            }
            if (connection != null) {
                open.handleEvent(connection);
            }
        };
    }

    /** Twice the read timeout, at least a second more, within an int. */
    private static int backstop(int readTimeoutMillis) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(2L * readTimeoutMillis, readTimeoutMillis + 1000L));
    }

    /** Undertow.builder()'s choice of buffers for the heap this JVM has. */
    private static ByteBufferPool bufferPool() {
        long maxMemory = Runtime.getRuntime().maxMemory();
        if (maxMemory < 64L * 1024 * 1024) {
            return new DefaultByteBufferPool(false, 512, -1, 4);
        }
        if (maxMemory < 128L * 1024 * 1024) {
            return new DefaultByteBufferPool(true, 1024, -1, 4);
        }
        return new DefaultByteBufferPool(true, 1024 * 16 - 20, -1, 4);
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
        return address().getPort();
    }

    public String url() {
        InetSocketAddress address = address();
        String host = address.getAddress().isAnyLocalAddress() ? "127.0.0.1" : address.getHostString();
        return "http://" + host + ":" + port();
    }

    private InetSocketAddress address() {
        return channel.getLocalAddress(InetSocketAddress.class);
    }

    public String name() {
        return name;
    }

    /**
     * Stops accepting work, waits up to the grace period for in-flight requests, closes the
     * connections, then stops the threads. The order matters: Undertow counts an exchange done
     * before that exchange's completion has run on its I/O thread (it re-arms the connection's read
     * timer), accepts and the listening socket's close queue tasks on the I/O threads, and a
     * keep-alive caller may send again; a stopping I/O thread refuses all of these, and each refusal
     * was logged as an error for a call that had been answered. So each I/O thread finishes its queue
     * after each step (closing the socket, closing its connections), and only then do the threads stop.
     */
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
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warn("{}: closing the listening socket: {}", name, e.toString());
        }
        drainIoThreads();
        connections.closeAll();
        drainIoThreads();
        worker.shutdownNow();
        try {
            worker.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("{} stopped", name);
    }

    /** Returns once every I/O thread has run the tasks queued on it so far (at most 2 s). */
    private void drainIoThreads() {
        int threads = worker.getIoThreadCount();
        CountDownLatch drained = new CountDownLatch(threads);
        for (int i = 0; i < threads; i++) {
            XnioIoThread thread = worker.getIoThread(i);
            if (thread == Thread.currentThread()) {
                drained.countDown(); // closed from one of its own I/O threads: that queue runs after this returns
            } else {
                thread.execute(drained::countDown);
            }
        }
        try {
            if (!drained.await(2, TimeUnit.SECONDS)) {
                LOG.warn("{}: an I/O thread is still busy after 2 s; stopping anyway", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
