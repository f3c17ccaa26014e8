package dev.outlayer.bench.targetsystem.executions;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.payments.PaymentKeyHeader;
import dev.outlayer.bench.targetsystem.payments.PaymentKeys;
import dev.outlayer.bench.targetsystem.payments.ProjectEarnings;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OutLayer's HTTPS API calls (coordinator handlers/call.rs): {@code POST /{owner}/{project}} paid
 * with a payment key runs the project's code through the same queues, jobs and workers as on-chain
 * requests, and the worker reports the result here ({@code complete_https_call}) instead of
 * resolving on chain. In order, as OutLayer: the {@code X-Payment-Key} header, the compute limit
 * (at least the minimum), the key's rate limit, the key itself (sha256 against the stored hash),
 * the project allow-list, a grant key's deposit ban, {@code max_per_call}, the atomic reservation
 * of compute limit + deposit; then the call is recorded and its task queued. Ours, so that a refused
 * call changes nothing: the project and version are resolved from the contract before the
 * reservation (OutLayer resolves the project after it, its worker the version), and the concurrency
 * limit per key ({@code max_concurrent_calls_per_key}) is enforced. The calls live in memory, in
 * this process; workers of any coordinator sharing the job store report here.
 */
public final class HttpsCalls implements HttpsCallCompletion, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpsCalls.class);

    /** OutLayer's HTTPS request ids start at 100 billion, above any on-chain request id (call.rs). */
    static final long FIRST_REQUEST_ID = 100_000_000_000L;

    static final long RATE_WINDOW_NANOS = 60_000_000_000L;

    /** Past this many rate windows, expired ones are dropped before a new one is made. */
    static final int MAX_RATE_WINDOWS = 10_000;

    /** How many finished calls are kept for {@code GET /calls/{id}}. */
    static final int FINISHED_KEPT = 100_000;

    /**
     * OutLayer's coordinator config.rs: {@code DEFAULT_COMPUTE_LIMIT} 10,000 ($0.01), {@code
     * MIN_COMPUTE_LIMIT} 1,000, {@code HTTPS_CALL_TIMEOUT_SECONDS} 300, {@code
     * MAX_CONCURRENT_CALLS_PER_KEY} 10, {@code PAYMENT_KEY_RATE_LIMIT_PER_MINUTE} 1,000.
     */
    public record Settings(
            BigInteger defaultComputeLimit,
            BigInteger minComputeLimit,
            Duration timeout,
            int maxConcurrentPerKey,
            int rateLimitPerMinute) {
        public static final Settings DEFAULT =
                new Settings(BigInteger.valueOf(10_000), BigInteger.valueOf(1_000), Duration.ofSeconds(300), 10, 1_000);
    }

    /**
     * The USD prices of HTTPS calls, from the contract's {@code get_pricing_full} (minimal units of a
     * 6-decimal stablecoin); OutLayer's coordinator falls back to 1,000 / 1 / 1.
     */
    public record UsdPricing(BigInteger baseFee, BigInteger perMillionInstructions, BigInteger perSecond) {
        public static final UsdPricing DEFAULT =
                new UsdPricing(BigInteger.valueOf(1_000), BigInteger.ONE, BigInteger.ONE);

        /**
         * OutLayer's {@code complete_https_call}: base + whole millions of instructions x fee + whole
         * seconds x fee.
         */
        public BigInteger cost(long instructions, long timeMs) {
            return baseFee.add(BigInteger.valueOf(instructions / 1_000_000).multiply(perMillionInstructions))
                    .add(BigInteger.valueOf(timeMs / 1000).multiply(perSecond));
        }
    }

    /** The body's optional limits (OutLayer's {@code ResourceLimitsInput}); absent ones take 10 G instructions, 128 MB, 60 s. */
    public record Limits(Long maxInstructions, Long maxMemoryMb, Long maxExecutionSeconds) {
        ResourceLimits orDefaults() {
            return new ResourceLimits(
                    maxInstructions != null ? maxInstructions : 10_000_000_000L,
                    maxMemoryMb != null ? maxMemoryMb : 128,
                    maxExecutionSeconds != null ? maxExecutionSeconds : 60);
        }
    }

    /** OutLayer's {@code HttpsCallRequest}, checked at the HTTP edge. */
    public record Request(
            JsonNode input, Limits limits, boolean async, SecretsReference secretsRef, String versionKey) {}

    /** What the caller presented: the headers of OutLayer's call. */
    public record Credentials(String paymentKey, String computeLimit, String attachedDeposit) {}

    /** OutLayer's {@code HttpsCallResponse}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Answer(
            @JsonProperty("call_id") String callId,
            @JsonProperty("status") String status,
            @JsonProperty("output") JsonNode output,
            @JsonProperty("error") String error,
            @JsonProperty("compute_cost") String computeCost,
            @JsonProperty("instructions") Long instructions,
            @JsonProperty("time_ms") Long timeMs,
            @JsonProperty("poll_url") String pollUrl) {}

    /** One call: its key, what it reserved, and its result once finalized (exactly once). */
    private static final class Call {
        final UUID id;
        final PaymentKeys.Id key;
        final String projectId;
        final long requestId;
        final BigInteger computeLimit;
        final BigInteger deposit;
        final AtomicBoolean finalized = new AtomicBoolean();
        final CompletableFuture<Answer> done = new CompletableFuture<>();
        volatile Answer answer;
        volatile ScheduledFuture<?> timeout;

        Call(
                UUID id,
                PaymentKeys.Id key,
                String projectId,
                long requestId,
                BigInteger computeLimit,
                BigInteger deposit) {
            this.id = id;
            this.key = key;
            this.projectId = projectId;
            this.requestId = requestId;
            this.computeLimit = computeLimit;
            this.deposit = deposit;
            this.answer = new Answer(id.toString(), "pending", null, null, null, null, null, null);
        }

        BigInteger reserved() {
            return computeLimit.add(deposit);
        }
    }

    /** A key's rate window: OutLayer's Redis counter that expires 60 s after the window's first call. */
    private record Window(long startNanos, int count) {}

    private final Settings settings;
    private final PaymentKeys keys;
    private final SystemCallbacks systemCallbacks = new SystemCallbacks();
    private final ProjectEarnings earnings = new ProjectEarnings();
    private final ContractViews views;
    private final Map<UUID, Call> calls = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<UUID> finished = new ConcurrentLinkedQueue<>();
    private final Map<PaymentKeys.Id, Window> windows = new ConcurrentHashMap<>();
    private final Map<PaymentKeys.Id, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong nextRequestId = new AtomicLong(FIRST_REQUEST_ID);
    private final ScheduledExecutorService timer;
    private final LongSupplier nanoClock;
    private volatile UsdPricing pricing;

    public HttpsCalls(Settings settings, PaymentKeys keys, ContractViews views) {
        this(settings, keys, views, System::nanoTime);
    }

    /** @param nanoClock the rate limit's clock (tests move it) */
    HttpsCalls(Settings settings, PaymentKeys keys, ContractViews views, LongSupplier nanoClock) {
        this.settings = settings;
        this.keys = keys;
        this.views = views;
        this.nanoClock = nanoClock;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "https-call-timeouts");
            t.setDaemon(true);
            return t;
        });
    }

    public PaymentKeys keys() {
        return keys;
    }

    @Override
    public java.util.Optional<SystemCallbacks> systemCallbacks() {
        return java.util.Optional.of(systemCallbacks);
    }

    /**
     * {@code POST /{owner}/{project}}: checks, reserves and queues the call through {@code
     * coordinator}; an async call's answer is at once {@code pending} with its {@code poll_url}, a
     * sync call's when a worker completes it, or a 504 after the timeout (its reservation released).
     */
    public CompletableFuture<Answer> call(
            ExecutionCoordinator coordinator,
            String projectOwner,
            String projectName,
            Credentials credentials,
            Request request) {
        String projectId = projectOwner + "/" + projectName;
        PaymentKeyHeader header = PaymentKeyHeader.parse(credentials.paymentKey());
        BigInteger computeLimit = credentials.computeLimit() == null
                ? settings.defaultComputeLimit()
                : PaymentKeys.parseAmount(credentials.computeLimit().strip(), "X-Compute-Limit");
        BigInteger deposit = credentials.attachedDeposit() == null
                ? BigInteger.ZERO
                : PaymentKeys.parseAmount(credentials.attachedDeposit().strip(), "X-Attached-Deposit");
        if (computeLimit.compareTo(settings.minComputeLimit()) < 0) {
            throw ApiException.invalid(
                    "Compute limit too low: min=" + settings.minComputeLimit() + ", provided=" + computeLimit);
        }
        PaymentKeys.Id key = new PaymentKeys.Id(header.owner(), header.nonce());
        countAgainstRateLimit(key);
        PaymentKeys.Metadata metadata = keys.validate(header);
        if (!metadata.projectIds().isEmpty() && !metadata.projectIds().contains(projectId)) {
            throw new ApiException(ApiException.Kind.FORBIDDEN, "Project not allowed for this payment key");
        }
        if (metadata.grant() && deposit.signum() > 0) {
            throw new ApiException(ApiException.Kind.FORBIDDEN, "Grant keys cannot use X-Attached-Deposit");
        }
        BigInteger total = computeLimit.add(deposit);
        Optional<BigInteger> max = metadata.maxPerCallLimit();
        if (max.isPresent() && total.compareTo(max.get()) > 0) {
            throw ApiException.invalid("Max per call exceeded: max=" + max.get() + ", requested=" + total);
        }
        ResourceLimits limits =
                (request.limits() == null ? new Limits(null, null, null) : request.limits()).orDefaults();
        checkLimits(limits, coordinator.pricing());
        Resolved project = resolve(projectId, request.versionKey());
        AtomicInteger running = inFlight.computeIfAbsent(key, k -> new AtomicInteger());
        if (running.incrementAndGet() > settings.maxConcurrentPerKey()) {
            running.decrementAndGet();
            throw new ApiException(ApiException.Kind.TOO_MANY_REQUESTS, "Too many concurrent calls");
        }
        Call call;
        try {
            keys.reserve(key, metadata.initialBalance(), total);
            call = new Call(UUID.randomUUID(), key, projectId, nextRequestId.getAndIncrement(), computeLimit, deposit);
        } catch (RuntimeException e) {
            running.decrementAndGet();
            throw e;
        }
        calls.put(call.id, call);
        try {
            coordinator.queueHttpsCall(task(call, project, limits, request, header));
        } catch (RuntimeException e) {
            // As OutLayer when its task is not created: the reservation goes back, the call fails.
            finalize(call, "failed", null, "Failed to create execution task", null, null, null, BigInteger.ZERO, false);
            LOG.error("queueing HTTPS call {} failed", call.id, e);
            throw new ApiException(ApiException.Kind.UNAVAILABLE, "Failed to create execution task");
        }
        call.timeout = timer.schedule(() -> timeOut(call), settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        if (request.async()) {
            return CompletableFuture.completedFuture(
                    new Answer(call.id.toString(), "pending", null, null, null, null, null, "/calls/" + call.id));
        }
        return call.done;
    }

    /**
     * {@code GET /calls/{call_id}}: the call as it stands, for the key that made it (OutLayer
     * compares the header's owner and nonce; ours also checks the key itself, as the call did).
     */
    public Answer poll(String callId, String paymentKey) {
        PaymentKeyHeader header = PaymentKeyHeader.parse(paymentKey);
        UUID id;
        try {
            id = UUID.fromString(callId);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("call_id must be a UUID");
        }
        Call call = calls.get(id);
        if (call == null) {
            throw ApiException.notFound("Call not found");
        }
        if (!call.key.equals(new PaymentKeys.Id(header.owner(), header.nonce()))) {
            throw new ApiException(ApiException.Kind.UNAUTHENTICATED, "Invalid payment key");
        }
        keys.validate(header);
        return call.answer;
    }

    /**
     * OutLayer's {@code complete_https_call}: the call finalized once (a second report, or one after
     * the timeout, changes nothing): its cost from the run's instructions and time at the
     * contract's USD prices, capped at the call's compute limit (ours: OutLayer charges it
     * uncapped), is spent with the attached deposit less {@code refund_usd}, and the reservation
     * released, in one step. A failed run is charged as well, as OutLayer charges it.
     */
    @Override
    public boolean complete(Report report) {
        UUID id;
        try {
            id = UUID.fromString(report.callId());
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
        Call call = calls.get(id);
        if (call == null) {
            return false;
        }
        BigInteger cost = usdPricing()
                .cost(Math.max(0, report.instructions()), Math.max(0, report.timeMs()))
                .min(call.computeLimit);
        BigInteger refund = BigInteger.valueOf(Math.max(0, report.refundUsd())).min(call.deposit);
        BigInteger developerAmount = call.deposit.subtract(refund);
        boolean finalized = finalize(
                call,
                report.success() ? "completed" : "failed",
                report.success() ? report.output() : null,
                report.error(),
                cost,
                report.instructions(),
                report.timeMs(),
                cost.add(developerAmount),
                false);
        if (finalized) {
            // finalize_call credits the deposit the program kept, whether the run succeeded or not
            earnings.credit(ProjectEarnings.ownerOf(call.projectId), developerAmount);
        }
        return finalized;
    }

    /** What project owners earned from calls' attached deposits. */
    public ProjectEarnings earnings() {
        return earnings;
    }

    /** How many keys have a rate window (for tests). */
    int rateWindows() {
        return windows.size();
    }

    /** Whether the call exists (for the worker route's 404). */
    public boolean knows(String callId) {
        try {
            return calls.containsKey(UUID.fromString(callId));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** OutLayer's timeout branch: the reservation released, the call failed with {@code Timeout}. */
    private void timeOut(Call call) {
        if (finalize(call, "failed", null, "Timeout", null, null, null, BigInteger.ZERO, true)) {
            LOG.info("HTTPS call {} timed out after {}", call.id, settings.timeout());
        }
    }

    /**
     * The call's one finalization: status and result recorded, the key's reservation released and
     * {@code spent} added to what it spent, its concurrency slot freed, a sync caller answered.
     */
    private boolean finalize(
            Call call,
            String status,
            JsonNode output,
            String error,
            BigInteger cost,
            Long instructions,
            Long timeMs,
            BigInteger spent,
            boolean timedOut) {
        if (!call.finalized.compareAndSet(false, true)) {
            return false;
        }
        keys.settle(call.key, call.reserved(), spent, Instant.now());
        AtomicInteger running = inFlight.get(call.key);
        if (running != null) {
            running.decrementAndGet();
        }
        ScheduledFuture<?> timeout = call.timeout;
        if (timeout != null) {
            timeout.cancel(false);
        }
        Answer answer = new Answer(
                call.id.toString(),
                status,
                output,
                error,
                cost == null ? null : cost.toString(),
                instructions,
                timeMs,
                null);
        call.answer = answer;
        if (timedOut) {
            call.done.completeExceptionally(
                    new ApiException(ApiException.Kind.GATEWAY_TIMEOUT, "Timeout waiting for result"));
        } else {
            call.done.complete(answer);
        }
        finished.add(call.id);
        while (finished.size() > FINISHED_KEPT) {
            UUID oldest = finished.poll();
            if (oldest != null) {
                calls.remove(oldest);
            }
        }
        return true;
    }

    /**
     * OutLayer's {@code check_payment_key_rate_limit}: at most N calls per key in a 60 s window. It
     * counts before the key is checked (as OutLayer's), so any owner:nonce gets a window; expired ones
     * are dropped once there are many, as OutLayer's Redis counters expire.
     */
    private void countAgainstRateLimit(PaymentKeys.Id key) {
        long now = nanoClock.getAsLong();
        if (windows.size() >= MAX_RATE_WINDOWS) {
            windows.values().removeIf(w -> now - w.startNanos() >= RATE_WINDOW_NANOS);
        }
        Window window = windows.compute(
                key,
                (k, old) -> old == null || now - old.startNanos() >= RATE_WINDOW_NANOS
                        ? new Window(now, 1)
                        : new Window(old.startNanos(), old.count() + 1));
        if (window.count() > settings.rateLimitPerMinute()) {
            throw new ApiException(ApiException.Kind.TOO_MANY_REQUESTS, "Rate limit exceeded");
        }
    }

    /**
     * Ours: the contract's hard limits ({@code get_max_limits}) bound an HTTPS call as they bound
     * {@code request_execution}, so a call cannot hold a worker longer than an on-chain request can
     * (OutLayer's coordinator passes the call's limits on unchecked).
     */
    private static void checkLimits(ResourceLimits limits, Pricing max) {
        if (limits.maxInstructions() > max.maxInstructions()) {
            throw ApiException.invalid("resource_limits.max_instructions exceeds the maximum " + max.maxInstructions());
        }
        if (limits.maxExecutionSeconds() > max.maxExecutionSeconds()) {
            throw ApiException.invalid(
                    "resource_limits.max_execution_seconds exceeds the maximum " + max.maxExecutionSeconds());
        }
    }

    /** A project's code for the version asked for (or its active one), and its uuid. */
    private record Resolved(String uuid, String versionKey, CodeSource source) {}

    /**
     * What OutLayer's worker does with {@code fetch_project} and {@code fetch_project_version}: the
     * contract's {@code get_project}, then {@code get_version} of the key asked for (an empty one is
     * none) or of the active version. 404 when either is not there; 503 when the contract cannot be read.
     */
    private Resolved resolve(String projectId, String versionKey) {
        JsonNode project = views.view("get_project", args("project_id", projectId, null, null))
                .orElseThrow(() -> new ApiException(
                        ApiException.Kind.UNAVAILABLE, "the contract's projects cannot be read; retry later"));
        if (!project.isObject()) {
            throw ApiException.notFound("Project not found");
        }
        String version = versionKey == null || versionKey.isEmpty()
                ? project.path("active_version").asText()
                : versionKey;
        JsonNode info = views.view("get_version", args("project_id", projectId, "version_key", version))
                .orElseThrow(() -> new ApiException(
                        ApiException.Kind.UNAVAILABLE, "the contract's projects cannot be read; retry later"));
        if (!info.isObject()) {
            throw ApiException.notFound("Project version not found: " + projectId + " @ " + version);
        }
        CodeSource source;
        try {
            source = EventMonitor.codeSource(info.path("source"));
        } catch (IllegalArgumentException e) {
            throw new ApiException(ApiException.Kind.UNAVAILABLE, "the project's version names no code source");
        }
        return new Resolved(project.path("uuid").asText(), version, source);
    }

    private static String args(String k1, String v1, String k2, String v2) {
        var node = JsonCodec.object().put(k1, v1);
        if (k2 != null) {
            node.put(k2, v2);
        }
        return node.toString();
    }

    /** The task as OutLayer's {@code create_execution_task} queues it: Json output, the key's owner as sender. */
    private ExecutionTask task(
            Call call, Resolved project, ResourceLimits limits, Request request, PaymentKeyHeader header) {
        var context = JsonCodec.object().put("sender_id", header.owner());
        return new ExecutionTask(
                call.requestId,
                call.id.toString(),
                project.source(),
                limits,
                request.input().toString(),
                request.secretsRef(),
                "Json",
                context,
                header.owner(),
                null,
                null,
                0,
                false,
                false,
                false,
                null,
                true,
                call.id.toString(),
                call.projectId,
                project.uuid(),
                request.versionKey() == null || request.versionKey().isEmpty() ? null : request.versionKey(),
                header.owner(),
                header.nonce(),
                call.computeLimit.toString(),
                call.deposit.toString());
    }

    /** The contract's USD prices, read once ({@code get_pricing_full}), else OutLayer's defaults. */
    UsdPricing usdPricing() {
        UsdPricing known = pricing;
        if (known != null) {
            return known;
        }
        Optional<UsdPricing> read = views.view("get_pricing_full").flatMap(full -> {
            try {
                return Optional.of(new UsdPricing(
                        new BigInteger(full.path("base_fee_usd").asText()),
                        new BigInteger(
                                full.path("per_million_instructions_fee_usd").asText()),
                        new BigInteger(full.path("per_sec_fee_usd").asText())));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
        read.ifPresent(p -> pricing = p);
        return read.orElse(UsdPricing.DEFAULT);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
