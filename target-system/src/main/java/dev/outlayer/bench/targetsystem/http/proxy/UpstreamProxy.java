package dev.outlayer.bench.targetsystem.http.proxy;

import io.undertow.client.ClientCallback;
import io.undertow.client.ClientConnection;
import io.undertow.client.ClientExchange;
import io.undertow.client.ClientRequest;
import io.undertow.client.ClientResponse;
import io.undertow.client.UndertowClient;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.protocols.ssl.UndertowXnioSsl;
import io.undertow.server.AbstractServerConnection;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.SameThreadExecutor;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioExecutor;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.channels.StreamSourceChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;
import org.xnio.conduits.StreamSourceConduit;
import org.xnio.ssl.XnioSsl;

/**
 * Forwards an admitted request to the upstream NEAR RPC over keep-alive connections of Undertow's
 * HTTP client, entirely on the exchange's I/O thread: each I/O thread keeps its own idle
 * connections (no locks, no handoff), the already-read body is written as it is, and the answer
 * is read into one pooled buffer and sent back with the upstream's status and headers. This
 * replaced Undertow's {@code ProxyHandler}, whose general machinery (connection pool with
 * queueing, header copies both ways, streaming transfer with trailer listeners, a second
 * dispatch) cost about as much CPU per request as all the rest of the coordinator's work.
 */
public final class UpstreamProxy {
    private static final HttpString X_API_KEY = HttpString.tryFromString("X-API-Key");
    /**
     * Not forwarded either way (RFC 9110 7.6.1), or set here: framing, the upstream's host, and
     * Expect (the body is already read and goes along at once).
     */
    private static final Set<HttpString> HOP_BY_HOP = Set.of(
            Headers.CONNECTION,
            Headers.KEEP_ALIVE,
            Headers.PROXY_AUTHENTICATE,
            Headers.PROXY_AUTHORIZATION,
            Headers.TE,
            Headers.TRAILER,
            Headers.TRANSFER_ENCODING,
            Headers.UPGRADE,
            Headers.CONTENT_LENGTH,
            Headers.HOST,
            Headers.EXPECT);
    /** No Nagle on upstream connections: a request is one small write that must leave at once. */
    private static final OptionMap UPSTREAM_SOCKETS = OptionMap.create(Options.TCP_NODELAY, true);
    /** Idle keep-alive connections an I/O thread keeps; more are closed when they come back. */
    private static final int MAX_IDLE_PER_THREAD = 64;
    /** The caller's read listener while its call is upstream: see {@link #keepCallerReadsArmed}. */
    private static final ChannelListener<ConduitStreamSourceChannel> SUSPEND_READS = StreamSourceChannel::suspendReads;
    /** An answer larger than this is not buffered: the call fails with a 502 instead of exhausting the heap. */
    static final int MAX_ANSWER_BYTES = 64 << 20;

    /** How a forward that got no upstream answer ends; the caller answers in its own shape. */
    @FunctionalInterface
    public interface Failure {
        /** @param timedOut the upstream did not answer in time (else: unreachable or broke the connection) */
        void answer(HttpServerExchange exchange, boolean timedOut);
    }

    private final URI uri;
    private final URI host;
    private final String path;
    private final String authority;
    private final XnioSsl ssl;
    private final long timeoutMillis;
    private final UndertowClient client = UndertowClient.getInstance();
    /** Each I/O thread's idle connections; only ever touched on that thread. */
    private final ThreadLocal<ArrayDeque<ClientConnection>> idle = ThreadLocal.withInitial(ArrayDeque::new);

    public UpstreamProxy(String url, long timeoutMillis) {
        this.uri = URI.create(url);
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("upstream RPC must be an absolute http(s) URL, was " + url);
        }
        this.path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        this.authority = uri.getRawAuthority();
        this.host = URI.create(uri.getScheme() + "://" + authority);
        this.timeoutMillis = timeoutMillis;
        if ("https".equalsIgnoreCase(uri.getScheme())) {
            try {
                ssl = new UndertowXnioSsl(Xnio.getInstance(), OptionMap.EMPTY, SSLContext.getDefault());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("no TLS available for " + url, e);
            }
        } else {
            ssl = null;
        }
    }

    /**
     * Sends {@code body} upstream with the caller's headers but for what the upstream must not
     * see (hop-by-hop headers, the caller's API key and credentials) to the upstream's own path,
     * and answers the exchange with what comes back, or through {@code failure}.
     */
    public void forward(HttpServerExchange exchange, byte[] body, Failure failure) {
        Forward forward = new Forward(exchange, body, failure);
        // Held open past the handler's return; the rest runs on this I/O thread as events arrive.
        exchange.dispatch(SameThreadExecutor.INSTANCE, forward::start);
    }

    public URI uri() {
        return uri;
    }

    /** One request's way through: connection, request, answer; every step on the exchange's I/O thread. */
    private final class Forward
            implements ClientCallback<ClientExchange>, ChannelListener<StreamSourceChannel>, Runnable, IoCallback {
        private final HttpServerExchange exchange;
        private final byte[] body;
        private final Failure failure;
        private ClientConnection connection;
        private ClientExchange upstream;
        private XnioExecutor.Key timeout;
        private PooledByteBuffer pooled;
        /** The answer so far: the pooled buffer, or a heap copy once the answer outgrew it. */
        private ByteBuffer answer;

        private boolean requestSent;
        private boolean done;

        Forward(HttpServerExchange exchange, byte[] body, Failure failure) {
            this.exchange = exchange;
            this.body = body;
            this.failure = failure;
        }

        void start() {
            if (Thread.currentThread() != exchange.getIoThread()) {
                exchange.getIoThread().execute(this::start);
                return;
            }
            timeout = exchange.getIoThread().executeAfter(this, timeoutMillis, TimeUnit.MILLISECONDS);
            keepCallerReadsArmed(exchange);
            ArrayDeque<ClientConnection> pool = idle.get();
            ClientConnection pooledConnection;
            while ((pooledConnection = pool.pollLast()) != null) {
                if (pooledConnection.isOpen()) {
                    send(pooledConnection);
                    return;
                }
                IoUtils.safeClose(pooledConnection);
            }
            client.connect(
                    new ClientCallback<ClientConnection>() {
                        @Override
                        public void completed(ClientConnection opened) {
                            if (done) {
                                release(opened);
                            } else {
                                send(opened);
                            }
                        }

                        @Override
                        public void failed(IOException e) {
                            fail(false);
                        }
                    },
                    host,
                    exchange.getIoThread(),
                    ssl,
                    exchange.getConnection().getByteBufferPool(),
                    UPSTREAM_SOCKETS);
        }

        private void send(ClientConnection opened) {
            connection = opened;
            ClientRequest request = new ClientRequest().setMethod(Methods.POST).setPath(path);
            HeaderMap headers = request.getRequestHeaders();
            for (HeaderValues values : exchange.getRequestHeaders()) {
                HttpString name = values.getHeaderName();
                if (!HOP_BY_HOP.contains(name) && !name.equals(Headers.AUTHORIZATION) && !name.equals(X_API_KEY)) {
                    headers.putAll(name, values);
                }
            }
            headers.put(Headers.HOST, authority);
            headers.put(Headers.CONTENT_LENGTH, body.length);
            opened.sendRequest(request, this);
        }

        @Override
        public void completed(ClientExchange result) {
            if (!requestSent) {
                requestSent = true;
                upstream = result;
                result.setResponseListener(this);
                writeBody(result.getRequestChannel());
            } else if (!done) {
                pooled = exchange.getConnection().getByteBufferPool().allocate();
                answer = pooled.getBuffer();
                answer.clear();
                handleEvent(result.getResponseChannel());
            }
        }

        private void writeBody(StreamSinkChannel channel) {
            ByteBuffer buffer = ByteBuffer.wrap(body);
            try {
                while (buffer.hasRemaining() && channel.write(buffer) > 0) {
                    // the client's conduit gathers the request head and the body into one write
                }
                if (!buffer.hasRemaining()) {
                    channel.shutdownWrites();
                    if (channel.flush()) {
                        return;
                    }
                }
            } catch (IOException e) {
                fail(false);
                return;
            }
            // The socket is full (a large body): go on when it drains.
            channel.getWriteSetter().set(ch -> {
                try {
                    while (buffer.hasRemaining()) {
                        if (ch.write(buffer) == 0) {
                            return;
                        }
                    }
                    ch.shutdownWrites();
                    if (ch.flush()) {
                        ch.suspendWrites();
                    }
                } catch (IOException e) {
                    ch.suspendWrites();
                    fail(false);
                }
            });
            channel.resumeWrites();
        }

        /** Reads the answer's body as it arrives; at its end, sends it on. */
        @Override
        public void handleEvent(StreamSourceChannel channel) {
            if (done) {
                return;
            }
            try {
                int read;
                while ((read = channel.read(answer)) >= 0) {
                    if (read == 0) {
                        if (answer.hasRemaining()) {
                            channel.getReadSetter().set(this);
                            channel.resumeReads();
                            return;
                        }
                        grow();
                    }
                }
            } catch (IOException e) {
                fail(false);
                return;
            }
            // No suspendReads: the connection's client took its reads back to notice a close while idle.
            finish();
        }

        private void grow() throws IOException {
            if (answer.capacity() >= MAX_ANSWER_BYTES) {
                throw new IOException("the upstream's answer is over " + MAX_ANSWER_BYTES + " bytes");
            }
            ByteBuffer larger = ByteBuffer.allocate(Math.min(MAX_ANSWER_BYTES, answer.capacity() * 4));
            answer.flip();
            larger.put(answer);
            answer = larger;
            freePooled();
        }

        private void finish() {
            done = true;
            timeout.remove();
            release(connection);
            answer.flip();
            ClientResponse response = upstream.getResponse();
            exchange.setStatusCode(response.getResponseCode());
            HeaderMap out = exchange.getResponseHeaders();
            for (HeaderValues values : response.getResponseHeaders()) {
                if (!HOP_BY_HOP.contains(values.getHeaderName())) {
                    out.putAll(values.getHeaderName(), values);
                }
            }
            out.put(Headers.CONTENT_LENGTH, answer.remaining());
            Sender sender = exchange.getResponseSender();
            sender.send(answer, this);
        }

        /** The upstream timed out. */
        @Override
        public void run() {
            fail(true);
        }

        private void fail(boolean timedOut) {
            if (done) {
                return;
            }
            done = true;
            if (!timedOut) {
                timeout.remove();
            }
            if (connection != null) {
                IoUtils.safeClose(connection);
            }
            freePooled();
            if (exchange.isResponseStarted()) {
                IoUtils.safeClose(exchange.getConnection());
                return;
            }
            failure.answer(exchange, timedOut);
        }

        @Override
        public void failed(IOException e) {
            fail(false);
        }

        @Override
        public void onComplete(HttpServerExchange ex, Sender sender) {
            freePooled();
            ex.endExchange();
        }

        @Override
        public void onException(HttpServerExchange ex, Sender sender, IOException exception) {
            freePooled();
            IoCallback.END_EXCHANGE.onException(ex, sender, exception);
        }

        private void freePooled() {
            if (pooled != null) {
                pooled.close();
                pooled = null;
            }
        }
    }

    /**
     * Undertow suspends the caller's reads while a request runs and resumes them when it ends; on
     * the JDK's selector that is an epoll_ctl to drop the socket and another to add it back, for
     * every request, while the exchange only waits for the upstream. Resumed again here, in the
     * same event-loop turn as the suspension, the selector sees no change and makes neither call.
     * Bytes that arrive meanwhile (a pipelined request, the caller closing) suspend them as
     * Undertow would have: the listener below leaves the bytes for Undertow to read once this
     * exchange is over.
     */
    private static void keepCallerReadsArmed(HttpServerExchange exchange) {
        if (exchange.getConnection() instanceof AbstractServerConnection server) {
            // Below the request's body conduit, which turns a resume after the body's end into a wake-up.
            StreamSourceConduit socket = server.getOriginalSourceConduit();
            if (!socket.isReadResumed()) {
                server.getChannel().getSourceChannel().setReadListener(SUSPEND_READS);
                socket.resumeReads();
            }
        }
    }

    /** Keeps a connection whose last exchange completed for the next request on this I/O thread. */
    private void release(ClientConnection connection) {
        ArrayDeque<ClientConnection> pool = idle.get();
        if (connection.isOpen() && pool.size() < MAX_IDLE_PER_THREAD) {
            pool.addLast(connection);
        } else {
            IoUtils.safeClose(connection);
        }
    }
}
