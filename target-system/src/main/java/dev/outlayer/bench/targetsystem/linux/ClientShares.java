package dev.outlayer.bench.targetsystem.linux;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each client's fair share of the task workers: at most {@code perClient} workers held at once
 * per fairness key (API key, else address), so that one client's slow runs cannot hold the whole
 * pool. A client holding none may always start one request, even a pipeline wider than its share
 * (the pool's own size still bounds it). Beyond its share a client gets 429 with Retry-After at
 * once; the pool being full for everyone stays a 503 after the queue timeout.
 */
final class ClientShares {
    private final int perClient;
    private final ConcurrentHashMap<String, Integer> held = new ConcurrentHashMap<>();

    ClientShares(int perClient) {
        if (perClient < 1) {
            throw new IllegalArgumentException("the Linux runs per client must be at least 1");
        }
        this.perClient = perClient;
    }

    /** Half the pool, at least one: two clients can always run side by side. */
    static int defaultFor(int maxWorkers) {
        return Math.max(1, maxWorkers / 2);
    }

    int perClient() {
        return perClient;
    }

    /** Takes {@code count} workers of {@code client}'s share, or refuses with TOO_MANY_REQUESTS; null: no client. */
    void take(String client, int count) {
        if (client == null) {
            return;
        }
        held.compute(client, (key, current) -> {
            int now = current == null ? 0 : current;
            if (now > 0 && now + count > perClient) {
                throw new ShareExhausted(now, perClient);
            }
            return now + count;
        });
    }

    void give(String client, int count) {
        if (client == null) {
            return;
        }
        held.computeIfPresent(client, (key, current) -> current - count <= 0 ? null : current - count);
    }

    /** Clients holding workers now. */
    int clients() {
        return held.size();
    }

    /** The caller already holds its share of the workers. */
    static final class ShareExhausted extends ApiException {
        ShareExhausted(int held, int perClient) {
            super(
                    Kind.TOO_MANY_REQUESTS,
                    "this client already has " + held + " Linux runs in flight and may have " + perClient
                            + " at once; retry when one has ended",
                    1);
        }
    }
}
