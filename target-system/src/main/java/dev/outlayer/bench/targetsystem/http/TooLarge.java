package dev.outlayer.bench.targetsystem.http;

import dev.outlayer.bench.targetsystem.json.JsonCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.undertow.server.HttpServerExchange;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers 413 so that the client actually reads it. Closing while the client is still uploading makes
 * the kernel reset the connection and the client sees "connection reset" instead of the 413, so a
 * body of reasonable size is read and discarded first; a larger one is cut off. Every refusal is
 * counted ({@code outlayer_http_bodies_too_large_total} in /metrics) and logged at most once per
 * interval.
 */
public final class TooLarge {
    private static final Logger LOG = LoggerFactory.getLogger(TooLarge.class);
    /** Bodies up to this size are drained before answering. */
    static final long DRAIN_LIMIT = 64L * 1024 * 1024;
    /** At most one log line per interval, however many bodies are refused: a flood must not flood the log. */
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Every registry a running target system scrapes ({@link #countIn}). */
    private static final CompositeMeterRegistry REGISTRIES = new CompositeMeterRegistry();

    private static final Counter REFUSED = Counter.builder("outlayer_http_bodies_too_large")
            .description("Requests answered 413 because their body was over the limit, whatever the framing")
            .register(REGISTRIES);
    private static final AtomicLong NEXT_LOG = new AtomicLong(System.nanoTime());
    private static final AtomicLong UNLOGGED = new AtomicLong();

    private TooLarge() {}

    /** Counts refused bodies in {@code registry} too (its /metrics), until {@link #stopCounting}. */
    public static void countIn(MeterRegistry registry) {
        REGISTRIES.add(registry);
    }

    public static void stopCounting(MeterRegistry registry) {
        REGISTRIES.remove(registry);
    }

    /** Counts one refusal and logs, at most once per interval, how many there were; never a stack trace. */
    static void record(HttpServerExchange exchange, String message) {
        REFUSED.increment();
        long count = UNLOGGED.incrementAndGet();
        long now = System.nanoTime();
        long next = NEXT_LOG.get();
        if (now - next >= 0 && NEXT_LOG.compareAndSet(next, now + LOG_INTERVAL_NANOS)) {
            count = UNLOGGED.getAndSet(0);
            LOG.warn(
                    "413 for {} {} from {}: {} ({} such refusal(s) in the last {} s)",
                    exchange.getRequestMethod(),
                    exchange.getRequestPath(),
                    exchange.getSourceAddress() == null
                            ? "?"
                            : exchange.getSourceAddress().getAddress().getHostAddress(),
                    message,
                    count,
                    TimeUnit.NANOSECONDS.toSeconds(LOG_INTERVAL_NANOS));
        }
    }

    /** As {@link #reject(HttpServerExchange, Object)} with the usual {@code {error, status}} body. */
    public static void reject(HttpServerExchange exchange, String message) {
        var body = JsonCodec.object();
        body.put("error", message);
        body.put("status", 413);
        reject(exchange, message, body);
    }

    /** For a body that already failed to read (over the entity limit): answer at once and close. */
    public static void afterFailedRead(HttpServerExchange exchange, String message, Object body) {
        record(exchange, message);
        exchange.setPersistent(false);
        Responses.json(exchange, 413, body);
    }

    /** Sends {@code body} with status 413 once the unread request body has been discarded, then closes. */
    public static void reject(HttpServerExchange exchange, String message, Object body) {
        record(exchange, message);
        exchange.setPersistent(false);
        long length = exchange.getRequestContentLength();
        if (exchange.isRequestComplete() || length > DRAIN_LIMIT) {
            Responses.json(exchange, 413, body);
            return;
        }
        // Counted here: Undertow's entity-size check is off (see HttpServer).
        long[] drained = {0};
        exchange.getRequestReceiver()
                .receivePartialBytes(
                        (ex, chunk, last) -> {
                            if (drained[0] < 0) {
                                return; // answered already
                            }
                            drained[0] += chunk.length;
                            if (last || drained[0] > DRAIN_LIMIT) {
                                drained[0] = -1;
                                Responses.json(ex, 413, body);
                            }
                        },
                        (ex, e) -> {
                            if (drained[0] >= 0) {
                                drained[0] = -1;
                                Responses.json(ex, 413, body);
                            }
                        });
    }
}
