package dev.outlayer.bench.targetsystem.http;

import dev.outlayer.bench.targetsystem.timing.PhaseTimer;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HttpString;

/**
 * Collects the server-side phases of one exchange and writes them as a {@code Server-Timing}
 * header (milliseconds with microsecond precision) just before the response is committed.
 */
public final class ServerTiming implements PhaseTimer {
    public static final HttpString HEADER = HttpString.tryFromString("Server-Timing");
    private static final AttachmentKey<ServerTiming> KEY = AttachmentKey.create(ServerTiming.class);
    private static final int MAX_PHASES = 12;

    private final String[] names = new String[MAX_PHASES];
    private final long[] nanos = new long[MAX_PHASES];
    private int size;

    private ServerTiming() {}

    /** The exchange's timing, created and hooked to the response on first use. */
    public static ServerTiming of(HttpServerExchange exchange) {
        ServerTiming timing = exchange.getAttachment(KEY);
        if (timing == null) {
            ServerTiming created = new ServerTiming();
            exchange.putAttachment(KEY, created);
            exchange.addResponseCommitListener(ex -> {
                String header = created.header();
                if (!header.isEmpty()) {
                    ex.getResponseHeaders().put(HEADER, header);
                }
            });
            timing = created;
        }
        return timing;
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
