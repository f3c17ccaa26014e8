package dev.outlayer.bench.targetsystem.executions;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.json.RawJson;
import dev.outlayer.bench.targetsystem.json.SerdeJsonText;
import dev.outlayer.bench.targetsystem.keystore.SecretsRefShape;
import dev.outlayer.bench.targetsystem.payments.InMemoryPaymentKeyRateLimit;
import dev.outlayer.bench.targetsystem.payments.InMemoryPaymentKeyUsage;
import dev.outlayer.bench.targetsystem.payments.InMemoryProjectEarnings;
import dev.outlayer.bench.targetsystem.payments.PaymentKeyHeader;
import dev.outlayer.bench.targetsystem.payments.PaymentKeyRateLimit;
import dev.outlayer.bench.targetsystem.payments.PaymentKeyUsage;
import dev.outlayer.bench.targetsystem.payments.PaymentKeys;
import dev.outlayer.bench.targetsystem.payments.ProjectEarnings;
import dev.outlayer.bench.targetsystem.threads.OwnedThreads;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 * limit per key ({@code max_concurrent_calls_per_key}) is enforced. The calls, keys, earnings and
 * system callbacks are kept by their stores ({@link Stores}): in memory, this process only, or in
 * PostgreSQL, where a call acknowledged to a client survives a restart and a worker of any
 * coordinator sharing the database may report it (see {@link #expireOverdue()} for a call whose
 * coordinator went away).
 */
public final class HttpsCalls implements HttpsCallCompletion, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpsCalls.class);

    /** OutLayer's HTTPS request ids start at 100 billion, above any on-chain request id (call.rs). */
    static final long FIRST_REQUEST_ID = 100_000_000_000L;

    /** How many finished calls are kept for {@code GET /calls/{id}} unless told (the target's {@code --finished-kept}). */
    static final int FINISHED_KEPT = InMemoryJobStore.FINISHED_KEPT;

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

    /**
     * What the caller presented: the headers of OutLayer's call. {@code walletId} ({@code X-Wallet-Id})
     * is only checked for its form: custody wallets are not modelled. {@code useOwnerSecret} is {@code
     * X-Use-Owner-Secret} ({@link AgentSecretsRef}).
     */
    public record Credentials(
            String paymentKey, String computeLimit, String attachedDeposit, String walletId, String useOwnerSecret) {
        public Credentials(String paymentKey, String computeLimit, String attachedDeposit) {
            this(paymentKey, computeLimit, attachedDeposit, null, null);
        }
    }

    /** OutLayer's {@code HttpsCallResponse}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Answer(
            @JsonProperty("call_id") String callId,
            @JsonProperty("status") String status,
            @JsonProperty("output") RawJson output,
            @JsonProperty("error") String error,
            @JsonProperty("compute_cost") String computeCost,
            @JsonProperty("instructions") Long instructions,
            @JsonProperty("time_ms") Long timeMs,
            @JsonProperty("poll_url") String pollUrl) {}

    /**
     * Where the HTTPS API keeps its state: the keys, the calls, the system-callbacks queue, the
     * owners' earnings, the keys' usage and their rate windows, all in memory or all in one
     * PostgreSQL database.
     */
    public record Stores(
            PaymentKeys keys,
            HttpsCallStore calls,
            SystemCallbacks systemCallbacks,
            ProjectEarnings earnings,
            PaymentKeyUsage usage,
            PaymentKeyRateLimit rateLimit) {
        /** Everything in this process's memory (no {@code --jobs-db-url}). */
        public static Stores inMemory(PaymentKeys keys) {
            return inMemory(keys, System::nanoTime);
        }

        /** @param nanoClock the rate windows' clock (tests move it) */
        static Stores inMemory(PaymentKeys keys, LongSupplier nanoClock) {
            ProjectEarnings earnings = new InMemoryProjectEarnings();
            PaymentKeyUsage usage = new InMemoryPaymentKeyUsage();
            return new Stores(
                    keys,
                    new InMemoryHttpsCallStore(keys, earnings, usage),
                    new InMemorySystemCallbacks(),
                    earnings,
                    usage,
                    new InMemoryPaymentKeyRateLimit(nanoClock));
        }
    }

    /** A call this process took: as stored, its result once finalized (exactly once), its waiter. */
    private static final class Call {
        final HttpsCallStore.StoredCall stored;
        final AtomicBoolean finalized = new AtomicBoolean();
        final CompletableFuture<Answer> done = new CompletableFuture<>();
        volatile Answer answer;
        volatile ScheduledFuture<?> timeout;

        Call(HttpsCallStore.StoredCall stored) {
            this.stored = stored;
            this.answer = stored.answer();
        }

        UUID id() {
            return stored.id();
        }
    }

    /** How often calls of this process waiting on a shared store look for a result another coordinator recorded. */
    static final long WATCH_MILLIS = 100;

    /** How often pending calls of a shared store are checked for their timeout (their coordinator may be gone). */
    static final long EXPIRY_MILLIS = 1_000;

    private final Settings settings;
    private final PaymentKeys keys;
    private final HttpsCallStore store;
    private final SystemCallbacks systemCallbacks;
    private final ProjectEarnings earnings;
    private final PaymentKeyUsage usage;
    private final PaymentKeyRateLimit rateLimit;
    private final ContractViews views;
    private final Map<UUID, Call> calls = new ConcurrentHashMap<>();
    /** With a shared store: this process's calls not yet finalized, whose result another coordinator may record. */
    private final Map<UUID, Call> waiting = new ConcurrentHashMap<>();

    private final ConcurrentLinkedQueue<UUID> finished = new ConcurrentLinkedQueue<>();

    private final int finishedKept;
    /** In memory: each key's calls not yet finalized (a shared store counts every coordinator's itself). */
    private final Map<PaymentKeys.Id, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    private final OwnedThreads timerThread = OwnedThreads.named("https-call-timeouts");
    /**
     * Each call's timeout, and with a shared store the watch and expiry. A timeout cancelled because its call
     * was answered leaves the queue at once: left there until its deadline (the call timeout, 300 s), each
     * kept its task and its call (answer, output, stored call) alive that long, the call even after the
     * kept calls had dropped it (at more than 333 calls a second with 100,000 kept).
     */
    private final ScheduledThreadPoolExecutor timer;

    private volatile UsdPricing pricing;

    /** Calls in this process's memory, with these keys. */
    public HttpsCalls(Settings settings, PaymentKeys keys, ContractViews views) {
        this(settings, Stores.inMemory(keys), views);
    }

    /** @param nanoClock the rate limit's clock (tests move it) */
    HttpsCalls(Settings settings, PaymentKeys keys, ContractViews views, LongSupplier nanoClock) {
        this(settings, Stores.inMemory(keys, nanoClock), views);
    }

    public HttpsCalls(Settings settings, Stores stores, ContractViews views) {
        this(settings, stores, views, FINISHED_KEPT);
    }

    /** @param finishedKept how many finished calls this process keeps for {@code GET /calls/{id}}, the newest */
    public HttpsCalls(Settings settings, Stores stores, ContractViews views, int finishedKept) {
        if (finishedKept < 1) {
            throw new IllegalArgumentException("at least one finished call must be kept");
        }
        this.finishedKept = finishedKept;
        this.settings = settings;
        this.keys = stores.keys();
        this.store = stores.calls();
        this.systemCallbacks = stores.systemCallbacks();
        this.earnings = stores.earnings();
        this.usage = stores.usage();
        this.rateLimit = stores.rateLimit();
        this.views = views;
        this.timer = new ScheduledThreadPoolExecutor(1, timerThread);
        timer.setRemoveOnCancelPolicy(true);
        if (store.shared()) {
            timer.scheduleWithFixedDelay(
                    guarded("watching waiting calls", this::watchWaiting),
                    WATCH_MILLIS,
                    WATCH_MILLIS,
                    TimeUnit.MILLISECONDS);
            timer.scheduleWithFixedDelay(
                    guarded("expiring overdue calls", this::expireOverdue), 0, EXPIRY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** A periodic task that logs its failure (the database may be down for a while) and runs again. */
    private static Runnable guarded(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("{} failed: {}", what, e.toString());
            }
        };
    }

    public PaymentKeys keys() {
        return keys;
    }

    @Override
    public Optional<SystemCallbacks> systemCallbacks() {
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
        checkWalletId(credentials.walletId());
        boolean ownerSecretAsked = AgentSecretsRef.asked(credentials.useOwnerSecret());
        if (computeLimit.compareTo(settings.minComputeLimit()) < 0) {
            throw ApiException.invalid(
                    "Compute limit too low: min=" + settings.minComputeLimit() + ", provided=" + computeLimit);
        }
        refuseUnmatchableSecretsRef(request.secretsRef());
        SecretsReference secretsRef = AgentSecretsRef.forCall(request.secretsRef(), ownerSecretAsked, header.owner());
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
        // A shared store counts the key's pending calls of every coordinator when it opens the call; a count
        // here as well would lag behind it: a call of this process finalized by another coordinator would hold
        // its slot until this process's watch saw it.
        AtomicInteger running = store.shared() ? null : inFlight.computeIfAbsent(key, k -> new AtomicInteger());
        if (running != null && running.incrementAndGet() > settings.maxConcurrentPerKey()) {
            running.decrementAndGet();
            throw new ApiException(ApiException.Kind.TOO_MANY_REQUESTS, "Too many concurrent calls");
        }
        Call call;
        try {
            UUID id = UUID.randomUUID();
            Instant now = Instant.now();
            long requestId = store.open(new HttpsCallStore.NewCall(
                    id,
                    key,
                    projectId,
                    computeLimit,
                    deposit,
                    metadata.initialBalance(),
                    settings.maxConcurrentPerKey(),
                    now));
            call = new Call(new HttpsCallStore.StoredCall(
                    id,
                    key,
                    projectId,
                    requestId,
                    computeLimit,
                    deposit,
                    now,
                    new Answer(id.toString(), "pending", null, null, null, null, null, null)));
        } catch (RuntimeException e) {
            if (running != null) {
                running.decrementAndGet();
            }
            throw e;
        }
        calls.put(call.id(), call);
        if (store.shared()) {
            waiting.put(call.id(), call);
        }
        try {
            coordinator.queueHttpsCall(task(call, project, limits, request, secretsRef, header));
        } catch (RuntimeException e) {
            // As OutLayer when its task is not created: the reservation goes back, the call fails.
            finalize(call.stored, call, failure("Failed to create execution task"), false);
            LOG.error("queueing HTTPS call {} failed", call.id(), e);
            throw new ApiException(ApiException.Kind.UNAVAILABLE, "Failed to create execution task");
        }
        call.timeout = timer.schedule(() -> timeOut(call), settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        if (request.async()) {
            return CompletableFuture.completedFuture(
                    new Answer(call.id().toString(), "pending", null, null, null, null, null, "/calls/" + call.id()));
        }
        return call.done;
    }

    /** Whether the calls, keys and earnings live in a database ({@code --jobs-db-url}), where a call of them may wait. */
    public boolean inDatabase() {
        return store.shared();
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
        HttpsCallStore.StoredCall stored =
                call != null ? call.stored : store.find(id).orElseThrow(() -> ApiException.notFound("Call not found"));
        if (!stored.key().equals(new PaymentKeys.Id(header.owner(), header.nonce()))) {
            throw new ApiException(ApiException.Kind.UNAUTHENTICATED, "Invalid payment key");
        }
        keys.validate(header);
        return call != null ? call.answer : stored.answer();
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
        // a call of another coordinator sharing the store, or of this one before a restart
        HttpsCallStore.StoredCall stored =
                call != null ? call.stored : store.find(id).orElse(null);
        if (stored == null) {
            return false;
        }
        BigInteger cost = usdPricing()
                .cost(Math.max(0, report.instructions()), Math.max(0, report.timeMs()))
                .min(stored.computeLimit());
        BigInteger refund = BigInteger.valueOf(Math.max(0, report.refundUsd())).min(stored.deposit());
        // finalize_call credits the deposit the program kept, whether the run succeeded or not
        BigInteger developerAmount = stored.deposit().subtract(refund);
        return finalize(
                stored,
                call,
                new HttpsCallStore.Finalization(
                        report.success() ? "completed" : "failed",
                        output(report.output()),
                        report.error(),
                        cost,
                        report.instructions(),
                        report.timeMs(),
                        cost.add(developerAmount),
                        developerAmount,
                        report.jobId(),
                        Instant.now()),
                false);
    }

    /**
     * The output as OutLayer's coordinator keeps and answers it ({@code complete_https_call}, {@code
     * get_call_result}): the report's {@code Option<serde_json::Value>}, a failed run's too, written as serde_json
     * writes it ({@code output_data} is {@code o.to_string()}, read back with {@code from_str} and answered): members
     * sorted by key, serde_json's numbers and escapes. A JSON {@code null} is serde's {@code None} for an {@code
     * Option}: no output.
     */
    private static RawJson output(JsonNode reported) {
        return reported == null || reported.isNull() ? null : SerdeJsonText.raw(reported);
    }

    /** A call that failed before it ran: nothing spent, nothing credited, its reservation released. */
    private static HttpsCallStore.Finalization failure(String error) {
        return new HttpsCallStore.Finalization(
                "failed", null, error, null, null, null, BigInteger.ZERO, BigInteger.ZERO, null, Instant.now());
    }

    /** What project owners earned from calls' attached deposits. */
    public ProjectEarnings earnings() {
        return earnings;
    }

    /** What each payment key paid, call by call. */
    public PaymentKeyUsage usage() {
        return usage;
    }

    /** Whether the call exists (for the worker route's 404). */
    public boolean knows(String callId) {
        UUID id;
        try {
            id = UUID.fromString(callId);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return calls.containsKey(id) || store.find(id).isPresent();
    }

    /**
     * What the call was charged (OutLayer's {@code https_calls.compute_cost}, minimal stablecoin units),
     * once it ran; empty before, for a call that failed before it ran, and for one this coordinator no
     * longer knows (it keeps the last {@link #finishedKept} finished calls).
     */
    public Optional<String> computeCost(String callId) {
        UUID id;
        try {
            id = UUID.fromString(callId);
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
        Call call = calls.get(id);
        Answer answer = call != null
                ? call.answer
                : store.find(id).map(HttpsCallStore.StoredCall::answer).orElse(null);
        return answer == null ? Optional.empty() : Optional.ofNullable(answer.computeCost());
    }

    /** OutLayer's timeout branch: the reservation released, the call failed with {@code Timeout}. */
    private void timeOut(Call call) {
        try {
            if (finalize(call.stored, call, failure("Timeout"), true)) {
                LOG.info("HTTPS call {} timed out after {}", call.id(), settings.timeout());
            }
        } catch (RuntimeException e) {
            LOG.warn(
                    "HTTPS call {} timed out, not recorded yet ({}): the expiry pass tries again",
                    call.id(),
                    e.toString());
        }
    }

    /**
     * With a shared store, what OutLayer's timeout branch would have done for a call whose
     * coordinator is gone (a restart, a crash): a call still pending past the call timeout is failed
     * with {@code Timeout} and its reservation released, by whichever coordinator looks first.
     * OutLayer leaves such a call pending and its background job resets the key's whole reservation
     * once nothing reserved for 10 minutes (background_jobs.rs); here each call ends as its timeout
     * would have ended it. A call whose worker reports before then is finalized with its result, as
     * OutLayer's complete_https_call finalizes it from the database. A call of this process whose own
     * timeout failed to record it (the database unreachable just then) is ended here too, its caller
     * answered and its slot freed.
     */
    void expireOverdue() {
        Instant before = Instant.now().minus(settings.timeout());
        for (HttpsCallStore.StoredCall stored : store.pendingSince(before, 100)) {
            Call local = calls.get(stored.id());
            if (local != null && (local.timeout == null || !local.timeout.isDone())) {
                continue; // its own timer ends it
            }
            // a call of a coordinator gone, or one of ours whose timeout could not record it (the store was down)
            if (finalize(local != null ? local.stored : stored, local, failure("Timeout"), true)) {
                LOG.info("HTTPS call {} of a coordinator gone timed out after {}", stored.id(), settings.timeout());
            }
        }
    }

    /**
     * With a shared store, a worker may report one of this process's calls to another coordinator
     * (OutLayer's sync call polls its row for the same reason): the waiting calls whose row was
     * finalized elsewhere get that answer.
     */
    void watchWaiting() {
        if (waiting.isEmpty()) {
            return;
        }
        store.finalized(List.copyOf(waiting.keySet())).forEach((id, answer) -> {
            Call call = waiting.get(id);
            if (call != null && call.finalized.compareAndSet(false, true)) {
                settledLocally(call, answer, false);
            }
        });
    }

    /**
     * The call's one finalization through the store (status and result recorded, the key charged
     * and its reservation released, the owner credited); then, for a call of this process, its
     * concurrency slot freed and its caller answered. False when it was finalized already: by
     * this process (its flag), or by another coordinator sharing the store, whose answer the local
     * caller then gets.
     */
    private boolean finalize(
            HttpsCallStore.StoredCall stored, Call call, HttpsCallStore.Finalization result, boolean timedOut) {
        if (call != null && !call.finalized.compareAndSet(false, true)) {
            return false;
        }
        boolean won;
        try {
            won = store.finalize(stored, result);
        } catch (RuntimeException e) {
            if (call != null) {
                call.finalized.set(false); // nothing changed: a later report or the timeout may finalize it
            }
            throw e;
        }
        if (call == null) {
            return won;
        }
        if (!won) {
            // finalized by another coordinator: its answer is the call's
            Optional<HttpsCallStore.StoredCall> there = store.find(stored.id());
            settledLocally(call, there.map(HttpsCallStore.StoredCall::answer).orElse(call.answer), false);
            return false;
        }
        Answer answer = new Answer(
                stored.id().toString(),
                result.status(),
                result.output(),
                result.error(),
                result.cost() == null ? null : result.cost().toString(),
                result.instructions(),
                result.timeMs(),
                null);
        settledLocally(call, answer, timedOut);
        return true;
    }

    /** A finalized call of this process: its slot freed, its timer stopped, its caller answered. */
    private void settledLocally(Call call, Answer answer, boolean timedOut) {
        AtomicInteger running = inFlight.get(call.stored.key());
        if (running != null) {
            running.decrementAndGet();
        }
        ScheduledFuture<?> timeout = call.timeout;
        if (timeout != null) {
            timeout.cancel(false);
        }
        call.answer = answer;
        if (store.shared()) {
            waiting.remove(call.id());
        }
        if (timedOut) {
            call.done.completeExceptionally(
                    new ApiException(ApiException.Kind.GATEWAY_TIMEOUT, "Timeout waiting for result"));
        } else {
            call.done.complete(answer);
        }
        finished.add(call.id());
        while (finished.size() > finishedKept) {
            UUID oldest = finished.poll();
            if (oldest != null) {
                calls.remove(oldest);
            }
        }
    }

    /**
     * OutLayer's {@code X-Wallet-Id} check (call.rs, for its custody wallets' host functions): {@code
     * <curve>:<anything>} with the curve {@code ed25519} or {@code secp256k1}. OutLayer answers a
     * malformed one 500 (its {@code InternalError}); a client's mistake is a 400 here, in its words.
     */
    private static void checkWalletId(String walletId) {
        if (walletId == null) {
            return;
        }
        String[] parts = walletId.split(":", 2);
        if (parts.length != 2 || !(parts[0].equals("ed25519") || parts[0].equals("secp256k1"))) {
            throw ApiException.invalid("Invalid X-Wallet-Id format. Expected 'ed25519:<hex>' or 'secp256k1:<hex>'");
        }
    }

    /**
     * OutLayer's newest coordinator's door check ({@code well_formed_secrets_ref}, 400 {@code
     * invalid_secrets_ref}): a reference no row of the contract could hold is refused in the rule's
     * own words (the worker's, {@link SecretsRefShape}), as the last of the checks that read only the
     * request, so a refused call counts against no rate window, reserves nothing and queues no task.
     */
    private static void refuseUnmatchableSecretsRef(SecretsReference ref) {
        if (ref == null) {
            return;
        }
        SecretsRefShape.problem(ref.profile(), ref.accountId()).ifPresent(problem -> {
            throw ApiException.coded(ApiException.Kind.INVALID, "invalid_secrets_ref", problem);
        });
    }

    /**
     * OutLayer's {@code check_payment_key_rate_limit}: at most N calls per key in a 60 s window,
     * counted before the key is checked (as OutLayer's), in the stores' window: this process's, or
     * the database's that every coordinator shares (OutLayer's Redis counter).
     */
    private void countAgainstRateLimit(PaymentKeys.Id key) {
        if (rateLimit.count(key) > settings.rateLimitPerMinute()) {
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

    /**
     * The task as OutLayer's {@code create_execution_task} queues it: Json output, the key's owner as sender, the
     * input as {@code serde_json::to_string} wrote it (its members sorted by key; {@code null} for null), the
     * secrets reference the body named or the header had built ({@link AgentSecretsRef}).
     */
    private ExecutionTask task(
            Call call,
            Resolved project,
            ResourceLimits limits,
            Request request,
            SecretsReference secretsRef,
            PaymentKeyHeader header) {
        var context = JsonCodec.object().put("sender_id", header.owner());
        HttpsCallStore.StoredCall stored = call.stored;
        return new ExecutionTask(
                stored.requestId(),
                stored.id().toString(),
                project.source(),
                limits,
                SerdeJsonText.of(request.input()),
                secretsRef,
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
                stored.id().toString(),
                stored.projectId(),
                project.uuid(),
                request.versionKey() == null || request.versionKey().isEmpty() ? null : request.versionKey(),
                header.owner(),
                header.nonce(),
                stored.computeLimit().toString(),
                stored.deposit().toString(),
                null);
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

    /**
     * Returns once the timer's thread has ended: a timeout or watch in progress writes to the call
     * stores, which the caller closes next (a PostgreSQL store's JDBC calls may block uninterruptibly
     * up to their socket timeout: then close returns after {@link OwnedThreads#STOP_BOUND}).
     */
    @Override
    public void close() {
        timerThread.stopNow(timer);
    }

    /** Tasks the timer holds (call timeouts, and the shared store's watch and expiry): the calls it keeps alive. */
    int scheduledTasks() {
        return timer.getQueue().size();
    }
}
