package dev.outlayer.bench.targetsystem.throttle;

import io.github.bucket4j.ConsumptionProbe;
import java.util.concurrent.CompletableFuture;

/** Where token buckets live: in this process (the default) or shared between coordinators. */
public interface RateLimitStore extends AutoCloseable {

    /** Takes one token from the client's bucket if it has one. */
    ConsumptionProbe tryConsume(ClientState client);

    /**
     * The same without blocking the caller, for stores across a network. It completes
     * exceptionally with {@link StoreUnavailableException} when the store cannot decide and its
     * policy is to fail closed. In-process stores answer at once.
     */
    default CompletableFuture<ConsumptionProbe> tryConsumeAsync(ClientState client) {
        return CompletableFuture.completedFuture(tryConsume(client));
    }

    /** Tokens the client's bucket holds now, without taking any. */
    long available(ClientState client);

    default CompletableFuture<Long> availableAsync(ClientState client) {
        return CompletableFuture.completedFuture(available(client));
    }

    /** True when the store answers in the caller's thread at once, so callers can skip futures. */
    default boolean synchronous() {
        return false;
    }

    /** A short name and state for /health. */
    Object health();

    @Override
    default void close() {}
}
