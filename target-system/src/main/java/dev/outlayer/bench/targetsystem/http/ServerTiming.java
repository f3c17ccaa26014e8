package dev.outlayer.bench.targetsystem.http;

import dev.outlayer.bench.targetsystem.timing.PhaseTimer;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HttpString;

/**
 * Collects the server-side phases of one exchange and writes them as a {@code Server-Timing}
 * header (milliseconds with microsecond precision) just before the response is committed. Every
 * listener starts one per exchange ({@link #start}), so every response carries the header: a route
 * that records no finer phase (health, metrics, a 404) reports {@code total}, the time from the
 * start of its handling to the response.
 */
public final class ServerTiming implements PhaseTimer {
    public static final HttpString HEADER = HttpString.tryFromString("Server-Timing");
    private static final AttachmentKey<ServerTiming> KEY = AttachmentKey.create(ServerTiming.class);
    private static final int MAX_PHASES = 12;

    private final String[] names = new String[MAX_PHASES];
    private final long[] nanos = new long[MAX_PHASES];
    private int size;
    /** When the listener began handling the exchange (System.nanoTime), or 0 if unknown. */
    private final long startNanos;

    private ServerTiming(long startNanos) {
        this.startNanos = startNanos;
    }

    /** Starts the exchange's timing as its listener begins handling it (before any routing). */
    public static void start(HttpServerExchange exchange) {
        attach(exchange, System.nanoTime());
    }

    /** The exchange's timing, created and hooked to the response on first use. */
    public static ServerTiming of(HttpServerExchange exchange) {
        ServerTiming timing = exchange.getAttachment(KEY);
        return timing != null ? timing : attach(exchange, 0);
    }

    private static ServerTiming attach(HttpServerExchange exchange, long startNanos) {
        ServerTiming created = new ServerTiming(startNanos);
        exchange.putAttachment(KEY, created);
        exchange.addResponseCommitListener(ex -> {
            String header = created.header();
            if (!header.isEmpty()) {
                ex.getResponseHeaders().put(HEADER, header);
            }
        });
        return created;
    }

    /** Records a phase that took {@code durationNanos}; repeated names add up. */
    @Override
    public synchronized ServerTiming add(String name, long durationNanos) {
        for (int i = 0; i < size; i++) {
            if (names[i].equals(name)) {
                nanos[i] += durationNanos;
                return this;
            }
        }
        if (size < MAX_PHASES) {
            names[size] = name;
            nanos[size] = durationNanos;
            size++;
        }
        return this;
    }

    /** Records a phase that started at {@code startNanos} (System.nanoTime) and ends now. */
    @Override
    public ServerTiming since(String name, long startNanos) {
        return add(name, System.nanoTime() - startNanos);
    }

    /** Opens a phase that ends when the response is committed (for work finished by someone else, e.g. a proxy). */
    public synchronized ServerTiming begin(String name) {
        return add(name, -System.nanoTime());
    }

    synchronized String header() {
        long now = System.nanoTime();
        if (size == 0) {
            return startNanos == 0
                    ? ""
                    : appendMillis(new StringBuilder(24).append("total;dur="), now - startNanos)
                            .toString();
        }
        StringBuilder sb = new StringBuilder(24 * size);
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            long duration = nanos[i] < 0 ? now + nanos[i] : nanos[i];
            appendMillis(sb.append(names[i]).append(";dur="), duration);
        }
        return sb.toString();
    }

    /** {@code nanos} as milliseconds with three decimals; String.format cost more than the proxy's own work. */
    static StringBuilder appendMillis(StringBuilder sb, long nanos) {
        long micros = Math.max(0, nanos) / 1000;
        long fraction = micros % 1000;
        sb.append(micros / 1000).append('.');
        if (fraction < 100) {
            sb.append(fraction < 10 ? "00" : "0");
        }
        return sb.append(fraction);
    }
}
