package dev.outlayer.bench.targetsystem.throttle;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.outlayer.bench.targetsystem.redis.LettuceClients;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.BucketExceptions;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token buckets in Redis, shared by every coordinator that points at the same server: bucket4j's
 * Lettuce proxy manager does a compare-and-swap per decision, so N coordinators together admit a
 * client at its tier's rate, not N times it.
 *
 * <p>Keys are {@code outlayer:throttle:<rate>r<burst>b:<client>}: versioned by the tier's limits
 * (see {@link #keyFor}), with API keys hashed so that Redis never holds one, and they expire once
 * the bucket would be full again. When Redis fails or is slower than the timeout, the
 * {@link StoreFailurePolicy} decides; a {@link StoreCircuit} stops asking a dead server until a
 * background probe finds it answering again.
 */
public final class RedisRateLimitStore implements RateLimitStore {
    private static final Logger LOG = LoggerFactory.getLogger(RedisRateLimitStore.class);
    static final String KEY_PREFIX = "outlayer:throttle:";
    /** A key outlives its bucket's refill by this much, so coordinators with slightly skewed clocks agree. */
    private static final Duration KEEP_AFTER_REFILL = Duration.ofSeconds(5);

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    /** Commands queued while Redis is slow; past this they fail at once instead of piling up. */
    private static final int REQUEST_QUEUE_SIZE = 10_000;
    /** At most one "deciding without Redis" log line per this many seconds; the rest are counted. */
    private static final int LOG_EVERY_SECONDS = 10;

    /** Everything the store is configured with; every value comes from a flag. */
    public record Settings(
            String url,
            StoreFailurePolicy policy,
            Duration timeout,
            Duration retryAfterFailure,
            int maxCasRetries,
            long maxClients) {}

    /** How long closing waits for each of the prober and Lettuce's threads to stop. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

    private final Settings settings;
    private final RedisURI uri;
    private final long timeoutNanos;
    private final ClientResources resources;
    private final RedisClient redis;
    private final StoreCircuit circuit;
    private final Cache<String, AsyncBucketProxy> buckets;
    private final ScheduledExecutorService prober;
    private final Timer latencyOk;
    private final Timer latencyFailed;
    private final Counter failures;
    private final Counter fallbackDecisions;
    private final Counter contended;
    private final Bucket logBudget = Bucket.builder()
            .addLimit(limit -> limit.capacity(1).refillIntervally(1, Duration.ofSeconds(LOG_EVERY_SECONDS)))
            .build();
    private final AtomicLong unloggedFallbacks = new AtomicLong();
    private volatile StatefulRedisConnection<String, byte[]> connection;
    private volatile AsyncProxyManager<String> proxies;

    public RedisRateLimitStore(Settings settings, MeterRegistry registry) {
        this.settings = settings;
        this.uri = RedisURI.create(settings.url());
        this.timeoutNanos = settings.timeout().toNanos();
        this.circuit = new StoreCircuit(settings.retryAfterFailure().toNanos(), System::nanoTime);
        // Lettuce reconnects by itself; never wait longer than our probe interval to do so.
        this.resources = LettuceClients.resources(2, settings.retryAfterFailure());
        this.redis = RedisClient.create(resources, uri);
        redis.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // While disconnected, fail at once so the failure policy applies instead of a queue that waits.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(REQUEST_QUEUE_SIZE)
                .timeoutOptions(TimeoutOptions.enabled(settings.timeout()))
                .socketOptions(
                        SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build())
                .build());
        this.buckets = Caffeine.newBuilder()
                .maximumSize(settings.maxClients())
                .expireAfterAccess(Duration.ofMinutes(1))
                .build();

        this.latencyOk = latency(registry, "ok");
        this.latencyFailed = latency(registry, "failed");
        this.failures = Counter.builder("outlayer_throttle_store_failures")
                .description("Calls to the shared throttle store that failed or timed out")
                .tag("store", "redis")
                .register(registry);
        this.fallbackDecisions = Counter.builder("outlayer_throttle_store_fallback_decisions")
                .description("Throttle decisions made without the shared store, by failure policy")
                .tag("store", "redis")
                .tag("policy", settings.policy().name())
                .register(registry);
        this.contended = Counter.builder("outlayer_throttle_store_contended")
                .description(
                        "Requests rejected because their bucket stayed contended past the compare-and-swap retries")
                .tag("store", "redis")
                .register(registry);
        Gauge.builder("outlayer_throttle_store_up", circuit, c -> c.isOpen() ? 0 : 1)
                .description("1 while the shared throttle store answers, 0 while decisions follow the failure policy")
                .tag("store", "redis")
                .register(registry);

        if (!connect()) {
            LOG.warn(
                    "Redis throttle store {} unreachable at start ({}); failing {} until it answers",
                    describe(uri),
                    circuit.lastError(),
                    settings.policy());
        }
        this.prober = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "throttle-store-probe");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(10, settings.retryAfterFailure().toMillis() / 4);
        prober.scheduleWithFixedDelay(this::probe, period, period, TimeUnit.MILLISECONDS);
    }

    private static Timer latency(MeterRegistry registry, String outcome) {
        return Timer.builder("outlayer_throttle_store_latency")
                .description("Time the shared throttle store took to answer one call")
                .tag("store", "redis")
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(20_000))
                .maximumExpectedValue(Duration.ofSeconds(1))
                .register(registry);
    }

    @Override
    public ConsumptionProbe tryConsume(ClientState client) {
        return await(tryConsumeAsync(client));
    }

    @Override
    public CompletableFuture<ConsumptionProbe> tryConsumeAsync(ClientState client) {
        return ask(
                client,
                bucket -> bucket.tryConsumeAndReturnRemaining(1).exceptionally(failure -> {
                    if (isCasRetryLimit(failure)) {
                        // Contention, not an outage: refuse this one request rather than admit it uncounted.
                        contended.increment();
                        Tier tier = client.tier();
                        return ConsumptionProbe.rejected(
                                0, 1_000_000_000L / tier.ratePerSecond(), tier.fullRefillNanos());
                    }
                    throw failure instanceof CompletionException
                            ? (CompletionException) failure
                            : new CompletionException(failure);
                }),
                why -> decideWithoutStore(client, why));
    }

    @Override
    public long available(ClientState client) {
        return await(availableAsync(client));
    }

    /** Only feeds the headers of a concurrency rejection, so without Redis the local count will do. */
    @Override
    public CompletableFuture<Long> availableAsync(ClientState client) {
        return ask(
                client,
                AsyncBucketProxy::getAvailableTokens,
                why -> CompletableFuture.completedFuture(client.localBucket().getAvailableTokens()));
    }

    /** Runs one command against the client's Redis bucket, or {@code withoutStore} when Redis is down or late. */
    private <T> CompletableFuture<T> ask(
            ClientState client,
            Function<AsyncBucketProxy, CompletableFuture<T>> command,
            Function<String, CompletableFuture<T>> withoutStore) {
        AsyncProxyManager<String> manager = proxies;
        if (manager == null || !circuit.allowsCalls()) {
            String last = circuit.lastError();
            return withoutStore.apply("circuit open after: " + (last == null ? "no connection" : last));
        }
        long start = System.nanoTime();
        CompletableFuture<T> reply;
        try {
            reply = command.apply(bucket(manager, client));
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        return reply.orTimeout(timeoutNanos, TimeUnit.NANOSECONDS)
                .handle((value, failure) -> {
                    long took = System.nanoTime() - start;
                    if (failure == null) {
                        latencyOk.record(took, TimeUnit.NANOSECONDS);
                        if (circuit.succeeded()) {
                            LOG.info("Redis throttle store {} answers again: shared limits resumed", describe(uri));
                        }
                        return CompletableFuture.completedFuture(value);
                    }
                    latencyFailed.record(took, TimeUnit.NANOSECONDS);
                    failures.increment();
                    String why = explain(failure);
                    if (circuit.failed(why)) {
                        LOG.warn(
                                "Redis throttle store {} failing ({}): circuit open, failing {} and probing every {} ms",
                                describe(uri),
                                why,
                                settings.policy(),
                                settings.retryAfterFailure().toMillis());
                    }
                    return withoutStore.apply(why);
                })
                .thenCompose(Function.identity());
    }

    private CompletableFuture<ConsumptionProbe> decideWithoutStore(ClientState client, String why) {
        fallbackDecisions.increment();
        long unlogged = unloggedFallbacks.incrementAndGet();
        if (logBudget.tryConsume(1)) {
            unloggedFallbacks.addAndGet(-unlogged);
            LOG.warn(
                    "throttle store unavailable ({}): {} decision(s) failed {} since the last report",
                    why,
                    unlogged,
                    settings.policy() == StoreFailurePolicy.open ? "open to local buckets" : "closed with 503");
        }
        if (settings.policy() == StoreFailurePolicy.open) {
            return CompletableFuture.completedFuture(client.localBucket().tryConsumeAndReturnRemaining(1));
        }
        long retryNanos =
                Math.max(circuit.nanosUntilProbe(), settings.retryAfterFailure().toNanos() / 4);
        // The cause (Redis's own error text) is logged above and in /health, not told to clients.
        return CompletableFuture.failedFuture(new StoreUnavailableException(
                "rate-limit store unavailable; the coordinator's log and /health say why", retryNanos));
    }

    /** One proxy per key and process, so bucket4j's batching merges this process's concurrent requests into one CAS. */
    private AsyncBucketProxy bucket(AsyncProxyManager<String> manager, ClientState client) {
        Tier tier = client.tier();
        return buckets.get(keyFor(client), key -> {
            CompletableFuture<BucketConfiguration> configuration =
                    CompletableFuture.completedFuture(tier.bucketConfiguration());
            return manager.builder().withOptimization(Optimizations.batching()).build(key, () -> configuration);
        });
    }

    /**
     * The client's Redis key. The tier's rate and burst are part of it: when a reload changes a
     * tier's limits, every coordinator moves to a fresh bucket with the new configuration as soon
     * as it reloads, and the old key simply expires. Replacing the configuration in place instead
     * would make coordinators that have and have not reloaded yet overwrite each other's bucket
     * configuration on every request; the cost of versioned keys is that a change of limits
     * starts the client with a full bucket rather than carrying its fill level over.
     */
    static String keyFor(ClientState client) {
        Tier tier = client.tier();
        String id = client.id();
        String clientPart = id.startsWith("key:") ? "key:" + sha256(id.substring(4)) : id;
        return KEY_PREFIX + tier.ratePerSecond() + "r" + tier.burst() + "b:" + clientPart;
    }

    private static String sha256(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /** Background check while the circuit is open: connect if never connected, then PING. */
    private void probe() {
        try {
            if (!circuit.probeDue()) {
                return;
            }
            if (connection == null && !connect()) {
                return;
            }
            String pong = connection
                    .async()
                    .ping()
                    .toCompletableFuture()
                    .get(Math.max(timeoutNanos, CONNECT_TIMEOUT.toNanos()), TimeUnit.NANOSECONDS);
            if ("PONG".equals(pong) && circuit.succeeded()) {
                LOG.info("Redis throttle store {} answers again: shared limits resumed", describe(uri));
            }
        } catch (Exception e) {
            circuit.failed(explain(e));
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized boolean connect() {
        if (connection != null) {
            return true;
        }
        try {
            StatefulRedisConnection<String, byte[]> opened =
                    redis.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
            proxies = Bucket4jLettuce.casBasedBuilder(opened)
                    .expirationAfterWrite(
                            ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_REFILL))
                    .maxRetries(settings.maxCasRetries())
                    .build()
                    .asAsync();
            connection = opened;
            warmUp();
            return true;
        } catch (RuntimeException e) {
            circuit.forceOpen(explain(e));
            return false;
        }
    }

    /**
     * One throwaway decision on a key of its own, so that the first client's request does not pay
     * for loading bucket4j's and Lettuce's classes (a few hundred ms on the request thread).
     */
    private void warmUp() {
        BucketConfiguration oneToken = BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(1).refillGreedy(1, Duration.ofSeconds(1)))
                .build();
        try {
            proxies.builder()
                    .build("outlayer:warm-up", () -> CompletableFuture.completedFuture(oneToken))
                    .tryConsumeAndReturnRemaining(1)
                    .get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // Only a warm-up: the first real decision will meet the same problem and report it.
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean isCasRetryLimit(Throwable failure) {
        Throwable cause = unwrap(failure);
        // bucket4j signals an exhausted retry budget with a bare BucketExecutionException; its
        // timeouts are a subclass and Redis errors arrive as Lettuce exceptions.
        return cause instanceof BucketExceptions.BucketExecutionException
                && !(cause instanceof io.github.bucket4j.TimeoutException)
                && cause.getCause() == null;
    }

    private String explain(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof TimeoutException || cause instanceof io.github.bucket4j.TimeoutException) {
            return "no reply within " + settings.timeout().toMillis() + " ms";
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof java.util.concurrent.ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw e;
        }
    }

    private static String describe(RedisURI uri) {
        return LettuceClients.describe(uri);
    }

    @Override
    public Object health() {
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("store", "redis");
        health.put("redis", describe(uri));
        health.put("state", circuit.isOpen() ? "degraded" : "up");
        health.put("failure_policy", settings.policy().name());
        health.put("timeout_ms", settings.timeout().toMillis());
        health.put("connected", connection != null && connection.isOpen());
        if (circuit.lastError() != null) {
            health.put("last_error", circuit.lastError());
            health.put("last_error_at", circuit.lastErrorAt().toString());
        }
        if (circuit.isOpen()) {
            health.put("next_probe_ms", TimeUnit.NANOSECONDS.toMillis(circuit.nanosUntilProbe()));
        }
        health.put("fallback_decisions", (long) fallbackDecisions.count());
        return health;
    }

    /**
     * Returns once Lettuce's threads have stopped: resources we pass to the client are ours to shut
     * down, and their shutdown only starts when asked (its future says when it is done).
     */
    @Override
    public void close() {
        prober.shutdownNow();
        boolean interrupted = false;
        try {
            // a probe in progress may still open a connection: the client's shutdown closes it
            prober.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        LettuceClients.shutdown(connection, redis, resources, CLOSE_TIMEOUT, "Redis throttle store");
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether Lettuce's event loops have terminated (after {@link #close()}). */
    boolean threadsStopped() {
        return resources.eventExecutorGroup().isTerminated();
    }
}
