package dev.outlayer.bench.targetsystem.throttle;

import io.github.bucket4j.ConsumptionProbe;
import java.util.Map;

/** Buckets in this process: bucket4j's lock-free local buckets, one per client. */
public final class LocalRateLimitStore implements RateLimitStore {

    @Override
    public ConsumptionProbe tryConsume(ClientState client) {
        return client.localBucket().tryConsumeAndReturnRemaining(1);
    }

    @Override
    public long available(ClientState client) {
        return client.localBucket().getAvailableTokens();
    }

    @Override
    public boolean synchronous() {
        return true;
    }

    @Override
    public Object health() {
        return Map.of("store", "local", "state", "up");
    }
}
