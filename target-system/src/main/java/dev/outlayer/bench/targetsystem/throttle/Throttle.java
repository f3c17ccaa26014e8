package dev.outlayer.bench.targetsystem.throttle;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.outlayer.bench.targetsystem.threads.OwnedThreads;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's throttle: finds the client's tier and bucket, checks its in-flight cap, then
 * takes a token. Lock-free on the request path: the configuration is an immutable snapshot read
 * through a volatile field, client state sits in a Caffeine cache, buckets are bucket4j's
 * lock-free ones (or a shared store).
 */
public final class Throttle implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Throttle.class);

    private final ConcurrentMap<String, TierStats> statsByTier = new ConcurrentHashMap<>();
    private final MeterRegistry registry;
    private final RateLimitStore store;
    private final Cache<Object, ClientState> clients;
    private final ConfigReloader reloader;
    private final long idleGraceNanos;
    private final OwnedThreads sweeperThread = OwnedThreads.named("throttle-idle-sweeper");
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(sweeperThread);
    private final ThrottleKeying keying;
    private final String keyedTier;
    /** What the in-process buckets refill by: monotonic, never the wall clock ({@link ClientState#CLOCK}). */
    private final TimeMeter clock;

    private volatile ThrottleConfig config;

    /**
     * @param idleGraceNanos how long past a full refill an idle client is kept; at least the
     *                       upstream timeout, so a slow in-flight request keeps its slot counted
     */
    public Throttle(
            Path tiersFile,
            Path keysFile,
            MeterRegistry registry,
            RateLimitStore store,
            long maxClients,
            long idleGraceNanos) {
        this(tiersFile, keysFile, registry, store, maxClients, idleGraceNanos, ThrottleKeying.PER_CLIENT, null);
    }

    /**
     * As above, keyed as {@code keying} says; with {@link ThrottleKeying#OUTLAYER} the keyed class
     * draws on the tier named {@code keyedTier} (the anonymous class on the anonymous tier).
     */
    public Throttle(
            Path tiersFile,
            Path keysFile,
            MeterRegistry registry,
            RateLimitStore store,
            long maxClients,
            long idleGraceNanos,
            ThrottleKeying keying,
            String keyedTier) {
        this(tiersFile, keysFile, registry, store, maxClients, idleGraceNanos, keying, keyedTier, ClientState.CLOCK);
    }

    /** As above, the in-process buckets refilling by {@code clock} (tests drive a fake one). */
    Throttle(
            Path tiersFile,
            Path keysFile,
            MeterRegistry registry,
            RateLimitStore store,
            long maxClients,
            long idleGraceNanos,
            ThrottleKeying keying,
            String keyedTier,
            TimeMeter clock) {
        this.clock = clock;
        this.keying = keying;
        this.keyedTier = keyedTier;
        this.registry = registry;
        this.store = store;
        this.idleGraceNanos = idleGraceNanos;
        this.config = ThrottleConfig.load(tiersFile, keysFile, this::stats);
        this.reloader = new ConfigReloader(
                tiersFile,
                keysFile,
                () -> {
                    ThrottleConfig loaded = ThrottleConfig.load(tiersFile, keysFile, this::stats);
                    if (keying == ThrottleKeying.OUTLAYER) {
                        keyedTier(loaded); // refused as at start: the previous configuration stays
                    }
                    return loaded;
                },
                c -> this.config = c);
        // Idle clients are swept in the background rather than by Caffeine's expiry policies: any of
        // them (variable or access-order) tripled the decision's p99 in ThrottleBench. The size
        // bound stays Caffeine's, so a flood of addresses evicts rarely seen clients first.
        this.clients = Caffeine.newBuilder().maximumSize(maxClients).build();
        this.sweeper.scheduleWithFixedDelay(this::sweepIdle, 1, 1, TimeUnit.SECONDS);
        if (keying == ThrottleKeying.OUTLAYER) {
            keyedTier(config);
        }
    }

    public ThrottleKeying keying() {
        return keying;
    }

    private Tier keyedTier(ThrottleConfig current) {
        Tier tier = keyedTier == null ? null : current.tiers().get(keyedTier);
        if (tier == null) {
            throw new IllegalArgumentException("the keyed class of --throttle-keying outlayer draws on tier '"
                    + keyedTier + "', which the tiers file does not define");
        }
        return tier;
    }

    /** Starts watching the configuration files for changes. */
    public Throttle watch(long intervalMillis) {
        reloader.start(intervalMillis);
        return this;
    }

    /** Applies any change of the files now; returns whether a new configuration was loaded. */
    public boolean reloadIfChanged() {
        return reloader.check();
    }

    /**
     * Decides one request. {@code apiKey} null means anonymous, bucketed by {@code address}.
     * An admitted decision must be released when the response is done. Blocks while a shared
     * store answers; request handlers use {@link #decideAsync}.
     */
    public Decision decide(String apiKey, InetAddress address) {
        if (!store.synchronous()) {
            return decideAsync(apiKey, address).join();
        }
        // The in-process store answers at once: no futures on the hot path.
        ClientState client = lookup(apiKey, address);
        return client == null ? Decision.unknownKey() : decide(client);
    }

    /**
     * OutLayer's keying: one shared bucket for {@code route} and the caller's class; nothing is
     * refused as an unknown key. As {@link #decide}, an admitted decision must be released.
     */
    public Decision decideShared(String route, boolean keyed) {
        ClientState client = sharedClient(route, keyed);
        return store.synchronous() ? decide(client) : decideAsync(client).join();
    }

    /** {@link #decideShared} for request handlers: completes when the store has answered. */
    public CompletableFuture<Decision> decideSharedAsync(String route, boolean keyed) {
        ClientState client = sharedClient(route, keyed);
        return store.synchronous() ? CompletableFuture.completedFuture(decide(client)) : decideAsync(client);
    }

    private ClientState sharedClient(String route, boolean keyed) {
        ThrottleConfig current = config;
        Tier tier = keyed ? keyedTier(current) : current.anonymous();
        // OutLayer's bucket key, "{route}:{auth_level}"; the prefix keeps it apart from per-client ones.
        String bucket = "route:" + route + ":" + (keyed ? "keyed" : "anon");
        ClientState client = clients.get(bucket, k -> new ClientState(bucket, tier, clock));
        client.retier(tier);
        client.touch(System.nanoTime());
        return client;
    }

    private Decision decide(ClientState client) {
        Tier tier = client.tier();
        if (!client.tryEnter(tier.maxInFlight())) {
            return concurrencyRejected(client, tier, store.available(client));
        }
        ConsumptionProbe probe;
        try {
            probe = store.tryConsume(client);
        } catch (RuntimeException e) {
            return storeFailed(client, tier, e);
        }
        return afterConsume(client, tier, probe);
    }

    /**
     * The same, completing when the store has answered: at once for the in-process store. It
     * never completes exceptionally; a store that cannot decide and fails closed yields
     * {@link Decision.Outcome#STORE_UNAVAILABLE}.
     */
    public CompletableFuture<Decision> decideAsync(String apiKey, InetAddress address) {
        if (store.synchronous()) {
            return CompletableFuture.completedFuture(decide(apiKey, address));
        }
        ClientState client = lookup(apiKey, address);
        return client == null ? CompletableFuture.completedFuture(Decision.unknownKey()) : decideAsync(client);
    }

    private CompletableFuture<Decision> decideAsync(ClientState client) {
        Tier tier = client.tier();
        if (!client.tryEnter(tier.maxInFlight())) {
            return store.availableAsync(client)
                    .handle((available, failure) -> concurrencyRejected(
                            client,
                            tier,
                            failure == null ? available : client.localBucket().getAvailableTokens()));
        }
        CompletableFuture<ConsumptionProbe> probe;
        try {
            probe = store.tryConsumeAsync(client);
        } catch (RuntimeException e) {
            probe = CompletableFuture.failedFuture(e);
        }
        return probe.handle(
                (p, failure) -> failure == null ? afterConsume(client, tier, p) : storeFailed(client, tier, failure));
    }

    /** The client's state under its current tier, or null for an unknown API key. */
    private ClientState lookup(String apiKey, InetAddress address) {
        ThrottleConfig current = config;
        Tier tier;
        Object clientKey;
        if (apiKey == null) {
            tier = current.anonymous();
            clientKey = address;
        } else {
            ApiKey key = current.key(apiKey);
            if (key == null) {
                return null;
            }
            tier = key.tier();
            clientKey = apiKey;
        }
        ClientState client = clients.getIfPresent(clientKey);
        if (client == null) {
            client = clients.get(clientKey, k -> new ClientState(clientId(k), tier, clock));
        }
        client.retier(tier);
        client.touch(System.nanoTime());
        return client;
    }

    private static Decision concurrencyRejected(ClientState client, Tier tier, long available) {
        tier.stats().rejectedConcurrency.increment();
        long nanosToFull = (tier.burst() - Math.min(available, tier.burst())) * 1_000_000_000L / tier.ratePerSecond();
        return new Decision(Decision.Outcome.REJECTED_CONCURRENCY, client, tier, available, 0, nanosToFull);
    }

    private static Decision afterConsume(ClientState client, Tier tier, ConsumptionProbe probe) {
        if (!probe.isConsumed()) {
            client.exit();
            tier.stats().rejectedRate.increment();
            return new Decision(
                    Decision.Outcome.REJECTED_RATE,
                    client,
                    tier,
                    probe.getRemainingTokens(),
                    probe.getNanosToWaitForRefill(),
                    probe.getNanosToWaitForReset());
        }
        tier.stats().admitted.increment();
        tier.stats().inFlight.incrementAndGet();
        return new Decision(
                Decision.Outcome.ADMITTED, client, tier, probe.getRemainingTokens(), 0, probe.getNanosToWaitForReset());
    }

    private static Decision storeFailed(ClientState client, Tier tier, Throwable failure) {
        client.exit();
        tier.stats().storeUnavailable.increment();
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        long retryNanos = cause instanceof StoreUnavailableException
                ? ((StoreUnavailableException) cause).retryAfterNanos()
                : 1_000_000_000L;
        String detail;
        if (cause instanceof StoreUnavailableException) {
            detail = cause.getMessage(); // worded for clients by the store
        } else {
            LOG.error("the rate-limit store failed unexpectedly; the request is refused (fail closed)", cause);
            detail = "rate-limit store failed; the coordinator's log says why";
        }
        return Decision.storeUnavailable(tier, detail, retryNanos);
    }

    /** The key's owner account, or null for an unknown key. */
    public String ownerOf(String apiKey) {
        ApiKey key = config.key(apiKey);
        return key == null ? null : key.owner();
    }

    public ThrottleConfig config() {
        return config;
    }

    /** Clients currently held; idle ones are swept every second and the count is capped, so this stays bounded. */
    public long clientCount() {
        clients.cleanUp();
        return clients.estimatedSize();
    }

    /** Per tier: limits, requests in flight, admitted and rejected so far (GET /throttle/metrics). */
    public Map<String, Object> tierMetrics() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Tier tier : config.tiers().values()) {
            TierStats s = tier.stats();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("rate_per_second", tier.ratePerSecond());
            row.put("burst", tier.burst());
            row.put("in_flight_limit", tier.maxInFlight());
            row.put("in_flight", s.inFlight());
            row.put("admitted", s.admitted());
            row.put("rejected", s.rejected());
            row.put("rejected_rate", (long) s.rejectedRate.count());
            row.put("rejected_concurrency", (long) s.rejectedConcurrency.count());
            row.put("store_unavailable", (long) s.storeUnavailable.count());
            out.put(tier.name(), row);
        }
        return out;
    }

    public RateLimitStore store() {
        return store;
    }

    private TierStats stats(String tier) {
        return statsByTier.computeIfAbsent(tier, name -> new TierStats(name, registry));
    }

    private static String clientId(Object key) {
        return key instanceof InetAddress ? "ip:" + ((InetAddress) key).getHostAddress() : "key:" + key;
    }

    /**
     * Drops clients with nothing in flight that have been idle long enough for their bucket to be
     * full again (so dropping them loses nothing), plus the grace for slow requests.
     */
    void sweepIdle() {
        long now = System.nanoTime();
        clients.asMap()
                .values()
                .removeIf(client -> client.inFlight() == 0
                        && now - client.lastSeenNanos() > client.tier().fullRefillNanos() + idleGraceNanos);
    }

    @Override
    public void close() {
        sweeperThread.stopNow(sweeper); // before the store: a sweep reads the clients' buckets
        reloader.close();
        store.close();
    }
}
