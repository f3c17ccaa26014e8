package dev.outlayer.bench.target.throttle;

import io.github.bucket4j.ConsumptionProbe;

/** Where token buckets live: in this process (the default) or shared between coordinators. */
public interface RateLimitStore extends AutoCloseable {

    /** Takes one token from the client's bucket if it has one. */
    ConsumptionProbe tryConsume(ClientState client);

    /** Tokens the client's bucket holds now, without taking any. */
    long available(ClientState client);

    /** A short name and state for /health. */
    Object health();

    @Override
    default void close() {
    }
}
