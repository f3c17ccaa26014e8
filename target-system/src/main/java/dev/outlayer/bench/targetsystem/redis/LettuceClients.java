package dev.outlayer.bench.targetsystem.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the coordinator's Redis stores (the throttle's buckets, the workers' locks) do alike with Lettuce. */
public final class LettuceClients {
    private static final Logger LOG = LoggerFactory.getLogger(LettuceClients.class);

    private LettuceClients() {}

    /**
     * One store's own Lettuce threads ({@code threads} I/O and as many computation threads), which reconnect by
     * themselves after an outage, waiting from 10 ms up to {@code maxReconnectDelay} between tries.
     */
    public static ClientResources resources(int threads, Duration maxReconnectDelay) {
        return ClientResources.builder()
                .ioThreadPoolSize(threads)
                .computationThreadPoolSize(threads)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10), maxReconnectDelay, 2, TimeUnit.MILLISECONDS))
                .build();
    }

    /** host:port/db, never the password a redis:// URL may carry. */
    public static String describe(RedisURI uri) {
        return uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase();
    }

    /**
     * Closes {@code connection} (null: none was opened), shuts {@code client} down, and returns once the threads
     * of {@code resources} (ours to shut down: Lettuce only starts to when asked) have stopped, or logs that they
     * did not within twice {@code timeout}. An interrupt is kept for the caller.
     */
    public static void shutdown(
            StatefulConnection<?, ?> connection,
            RedisClient client,
            ClientResources resources,
            Duration timeout,
            String what) {
        if (connection != null) {
            connection.close();
        }
        client.shutdown(Duration.ZERO, timeout);
        try {
            resources
                    .shutdown(0, timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .get(2 * timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("{}: Lettuce's threads did not stop in time: {}", what, e.toString());
        }
    }
}
