package dev.outlayer.bench.targetsystem.http;

import io.undertow.server.HttpServerExchange;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.xnio.Option;
import org.xnio.XnioExecutor;

/**
 * The read timeout of a request body, as an answer: when the client's next bytes do not come
 * within the listener's {@link #READ_TIMEOUT_MILLIS}, {@code onExpiry} answers (408) instead of
 * the socket being closed without a word, which is all XNIO's own read timeout can do (it stays
 * set, later, as the backstop). Whoever settles first (the body's end, an error, the expiry) wins;
 * the others do nothing.
 */
final class BodyDeadline implements Runnable {
    /** The listener option carrying {@code --read-timeout-ms} to the readers of its bodies; 0: none. */
    static final Option<Integer> READ_TIMEOUT_MILLIS =
            Option.simple(BodyDeadline.class, "READ_TIMEOUT_MILLIS", Integer.class);

    private final HttpServerExchange exchange;
    private final long millis;
    private final Runnable onExpiry;
    private final AtomicBoolean settled = new AtomicBoolean();
    private volatile XnioExecutor.Key timer;

    private BodyDeadline(HttpServerExchange exchange, long millis, Runnable onExpiry) {
        this.exchange = exchange;
        this.millis = millis;
        this.onExpiry = onExpiry;
    }

    static BodyDeadline of(HttpServerExchange exchange, Runnable onExpiry) {
        Integer millis = exchange.getConnection().getUndertowOptions().get(READ_TIMEOUT_MILLIS);
        return new BodyDeadline(exchange, millis == null ? 0 : millis, onExpiry);
    }

    /** (Re)starts the wait for the next bytes, unless settled. */
    void arm() {
        if (millis <= 0 || settled.get()) {
            return;
        }
        cancel();
        timer = exchange.getIoThread().executeAfter(this, millis, TimeUnit.MILLISECONDS);
    }

    /** Claims the answer; false when something else already did. */
    boolean settle() {
        if (!settled.compareAndSet(false, true)) {
            return false;
        }
        cancel();
        return true;
    }

    boolean isSettled() {
        return settled.get();
    }

    @Override
    public void run() {
        if (settled.compareAndSet(false, true)) {
            onExpiry.run();
        }
    }

    private void cancel() {
        XnioExecutor.Key current = timer;
        if (current != null) {
            current.remove();
        }
    }
}
