package dev.outlayer.bench.targetsystem.executions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.systemlogs.SystemLogs;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One coordinator of the execution lifecycle: its event monitor, its phase clock, its in-process
 * workers, and the decisions of OutLayer's worker API ({@code handlers/jobs.rs}) for external
 * workers. Several coordinators may share one {@link JobStore} and one chain: nothing here is
 * static.
 */
public final class ExecutionCoordinator implements AutoCloseable {
    /** Settings: the contract watched, worker count and naming, how long a worker's poll waits. */
    public record Settings(String name, String contractId, int workers, Duration pollTimeout, int phaseCapacity) {}

    private final Settings settings;
    private final JobStore store;
    private final PhaseClock phases;
    private final EventMonitor monitor;
    private final ExecutionWorkers workers;
    private final ContractViews views;
    private final ContractPricing pricing;
    private final SystemCallbacks systemCallbacks;
    /** The wasm cache's eviction checked after each upload; null: none. */
    private volatile WasmCacheEviction wasmEviction;

    public ExecutionCoordinator(
            Settings settings,
            JobStore store,
            ReceiptSource receipts,
            CodeRunner runner,
            OperatorChannel chain,
            ContractViews views,
            MeterRegistry registry) {
        this(settings, store, receipts, runner, chain, views, HttpsCallCompletion.NONE, registry);
    }

    /** @param calls where its workers report HTTPS calls (one for every coordinator of a process) */
    public ExecutionCoordinator(
            Settings settings,
            JobStore store,
            ReceiptSource receipts,
            CodeRunner runner,
            OperatorChannel chain,
            ContractViews views,
            HttpsCallCompletion calls,
            MeterRegistry registry) {
        this.settings = settings;
        this.store = store;
        this.views = views;
        this.pricing = new ContractPricing(views, java.time.Clock.systemUTC());
        this.phases = new PhaseClock(registry, settings.phaseCapacity());
        this.monitor =
                new EventMonitor(settings.name() + "-events", receipts, settings.contractId(), store, phases, views);
        this.systemCallbacks = calls == null ? null : calls.systemCallbacks().orElse(null);
        if (systemCallbacks != null) {
            monitor.withSystemCallbacks(systemCallbacks);
        }
        this.workers = new ExecutionWorkers(
                settings.name() + "-worker",
                settings.workers(),
                store,
                runner,
                chain,
                calls,
                phases,
                settings.pollTimeout());
    }

    /**
     * Its workers store each failed compile's output in {@code logs} (OutLayer's hidden system logs, read with
     * {@code GET /admin/compile-logs/{job_id}}); call before {@link #start}.
     */
    public ExecutionCoordinator keepCompileLogs(SystemLogs logs) {
        workers.workers().forEach(worker -> worker.keepCompileLogs(logs));
        return this;
    }

    /**
     * Uploads (the worker API's and its workers' own) are followed by {@code eviction}'s check, as
     * OutLayer's {@code upload_wasm} runs its LRU eviction after each upload; call before {@link #start}.
     */
    public ExecutionCoordinator evictWasmWith(WasmCacheEviction eviction) {
        this.wasmEviction = eviction;
        workers.workers().forEach(worker -> worker.evictWasmWith(eviction));
        return this;
    }

    /**
     * OutLayer's {@code upload_wasm}: the wasm stored under its checksum (see {@link JobStore#storeWasm}),
     * then the cache's LRU eviction checked (a failure of the check is logged; the upload stands).
     */
    public void uploadWasm(WasmFile file) {
        store.storeWasm(file);
        WasmCacheEviction eviction = wasmEviction;
        if (eviction != null) {
            eviction.afterUpload();
        }
    }

    public ExecutionCoordinator start() {
        monitor.start();
        workers.start();
        return this;
    }

    /** The system-callbacks queue its monitor fills (payment-key TopUp / DeletePaymentKey tasks), if it has one. */
    public Optional<SystemCallbacks> systemCallbacks() {
        return Optional.ofNullable(systemCallbacks);
    }

    public JobStore store() {
        return store;
    }

    public PhaseClock phases() {
        return phases;
    }

    public EventMonitor monitor() {
        return monitor;
    }

    public List<ExecutionWorker> workers() {
        return workers.workers();
    }

    // ---- the worker API (OutLayer's handlers/tasks.rs and jobs.rs) ----

    /** {@code GET /executions/poll}: the next task of these queues, waiting up to {@code timeout}. */
    public Optional<ExecutionTask> pollTask(Set<TaskQueue> queues, Duration timeout) throws InterruptedException {
        return store.poll(queues, timeout);
    }

    /**
     * One job claimed for a worker, as OutLayer's {@code claim_job} decides: the compile job when
     * the wasm needs compiling (not cached, or {@code force_rebuild}) and the worker can compile
     * (none when the request's compile job exists); else the execute job when it can execute (for
     * a compile-only request, only with a compile result to report) and the wasm is cached or its
     * compile failed (to report that). With {@code force_rebuild}, an executor waits while the
     * request's compile job is in progress. Empty when it gets nothing.
     */
    public Optional<JobClaim> claimForWorker(
            long requestId,
            String dataId,
            String workerId,
            CodeSource source,
            boolean canCompile,
            boolean canExecute,
            boolean forceRebuild,
            boolean compileOnly,
            boolean hasCompileResult) {
        String checksum = source.wasmChecksum();
        boolean cached = store.wasmCached(checksum);
        if ((forceRebuild || !cached) && canCompile && !hasCompileResult) {
            Optional<JobClaim> claim =
                    store.claim(new ClaimRequest(requestId, dataId, JobType.COMPILE, workerId, checksum));
            claim.ifPresent(c -> {
                phases.claimed(requestId, workerId, PhaseClock.nowMicros());
                phases.compileCache(requestId, false);
                phases.status(requestId, ExecutionStatus.COMPILING);
            });
            return claim;
        }
        if (!canExecute || (compileOnly && !hasCompileResult)) {
            return Optional.empty();
        }
        Optional<Job> compile = store.jobs(requestId).stream()
                .filter(j -> j.jobType() == JobType.COMPILE && j.dataId().equals(dataId))
                .findFirst();
        boolean compileFailed = compile.isPresent() && compile.get().status() == JobStatus.FAILED;
        if (!cached && !compileFailed && !hasCompileResult) {
            return Optional.empty();
        }
        if (forceRebuild && compile.isPresent() && !compile.get().status().finished()) {
            return Optional.empty(); // the fresh build is on its way: the executor must not run the old one
        }
        Optional<JobClaim> claim =
                store.claim(new ClaimRequest(requestId, dataId, JobType.EXECUTE, workerId, checksum));
        claim.ifPresent(c -> {
            if (compile.isEmpty()) {
                long now = PhaseClock.nowMicros();
                phases.claimed(requestId, workerId, now);
                phases.mark(requestId, Phase.COMPILE_DONE, now);
                phases.compileCache(requestId, true);
            } else {
                phases.executedBy(requestId, workerId);
            }
            phases.status(requestId, ExecutionStatus.EXECUTING);
        });
        return claim;
    }

    /**
     * OutLayer's {@code POST /executions/create} (handlers/tasks.rs {@code create_task}), which its
     * workers' event monitors call: queues the task unless it is known (false). Ours: the task must
     * be the contract's pending request as {@code get_request} shows it (same data id, sender, code,
     * input, secrets reference, response format, {@code attached_usd} and project); OutLayer's coordinator trusts its workers'
     * monitors, but here a token holder could otherwise have the in-process workers run other code
     * or input with a user's secrets and resolve the user's request with it.
     *
     * @throws ApiException CONFLICT when the contract has no such pending request or it differs,
     *     UNAVAILABLE when the contract cannot be read
     */
    public boolean createTask(ExecutionTask task) {
        String id = Long.toUnsignedString(task.requestId());
        JsonNode pending = views.view("get_request", "{\"request_id\":" + id + "}")
                .orElseThrow(() -> new ApiException(
                        ApiException.Kind.UNAVAILABLE,
                        "the contract's pending requests cannot be read to check request " + id));
        if (pending.isNull() || !pending.isObject()) {
            throw new ApiException(
                    ApiException.Kind.CONFLICT, "request " + id + " is not pending on " + settings.contractId());
        }
        JsonNode dataIdBytes = pending.path("data_id");
        byte[] dataId = new byte[dataIdBytes.size()];
        for (int i = 0; i < dataId.length; i++) {
            dataId[i] = (byte) dataIdBytes.get(i).asInt();
        }
        mustMatch(id, "data_id", HexFormat.of().formatHex(dataId), task.dataId());
        String sender = pending.path("sender_id").asText(null);
        if (task.userAccountId() != null) {
            mustMatch(id, "user_account_id", sender, task.userAccountId());
        }
        if (task.context() != null && task.context().hasNonNull("sender_id")) {
            mustMatch(
                    id,
                    "context.sender_id",
                    sender,
                    task.context().path("sender_id").asText());
        }
        JsonNode source = pending.path("resolved_source").isObject()
                ? pending.path("resolved_source")
                : pending.path("execution_source");
        mustMatch(
                id,
                "code_source",
                EventMonitor.codeSource(source).wasmChecksum(),
                task.codeSource().wasmChecksum());
        if (pending.path("input_data").isTextual()) {
            mustMatch(id, "input_data", pending.path("input_data").asText(), task.inputData());
        }
        mustMatch(id, "response_format", pending.path("response_format").asText(null), task.responseFormat());
        JsonNode secrets = pending.path("secrets_ref");
        String pendingSecrets = secrets.isObject()
                ? secrets.path("account_id").asText() + "/"
                        + secrets.path("profile").asText()
                : null;
        String taskSecrets = task.secretsRef() == null
                ? null
                : task.secretsRef().accountId() + "/" + task.secretsRef().profile();
        mustMatch(id, "secrets_ref", pendingSecrets, taskSecrets);
        // what the worker gives the program as ATTACHED_USD and OUTLAYER_PROJECT_*
        if (pending.path("attached_usd").isNumber()) {
            mustMatch(
                    id,
                    "attached_usd",
                    pending.path("attached_usd").asText(),
                    task.attachedUsd() == null ? "0" : task.attachedUsd());
        }
        mustMatch(
                id,
                "project_id",
                pending.path("execution_source")
                        .path("Project")
                        .path("project_id")
                        .textValue(),
                task.projectId());
        boolean created = store.enqueue(task);
        if (created) {
            phases.mark(task.requestId(), Phase.JOB_CREATED, PhaseClock.nowMicros());
        }
        return created;
    }

    /**
     * Queues an HTTPS call's task (OutLayer's {@code create_execution_task}, handlers/call.rs): in
     * the same queues as on-chain requests, so the same workers and phases serve it.
     */
    public void queueHttpsCall(ExecutionTask task) {
        if (!task.httpsCall()) {
            throw new IllegalArgumentException("not an HTTPS call: " + task.requestId());
        }
        if (store.enqueue(task)) {
            phases.mark(task.requestId(), Phase.JOB_CREATED, PhaseClock.nowMicros());
            phases.status(task.requestId(), ExecutionStatus.QUEUED);
        }
    }

    private static void mustMatch(String requestId, String field, String onChain, String given) {
        if (!java.util.Objects.equals(onChain, given)) {
            throw new ApiException(
                    ApiException.Kind.CONFLICT,
                    "request " + requestId + ": " + field + " differs from the contract's pending request");
        }
    }

    /**
     * The contract's pricing, as OutLayer's coordinator sends it with every claim: read from the
     * contract's views, or OutLayer's default pricing while they cannot be read (as its coordinator
     * falls back to {@code get_default_pricing}); see {@link ContractPricing}.
     */
    public Pricing pricing() {
        return pricing.current();
    }

    /** OutLayer's {@code POST /public/pricing/refresh}: see {@link ContractPricing#refresh}. */
    public Optional<Pricing> refreshPricing() {
        return pricing.refresh();
    }

    /**
     * The request's compile job once it has ended (completed or failed): what OutLayer's {@code
     * claim_job} sends with the execute job ({@code compile_error}, {@code compile_time_ms}).
     */
    public Optional<Job> finishedCompile(long requestId, String dataId) {
        return store.jobs(requestId).stream()
                .filter(j -> j.jobType() == JobType.COMPILE
                        && j.dataId().equals(dataId)
                        && j.status().finished())
                .findFirst();
    }

    /**
     * {@code POST /jobs/complete} (and {@code /jobs/fail}): false when the claim is not the job's
     * current one. A compiled wasm enters the cache and the task moves to the execute queue (see
     * {@link JobStore}); the phase clock notes the end of the job.
     */
    public boolean complete(JobClaim claim, JobOutcome outcome) {
        // The store caches a compiled wasm (the job's own checksum when the worker omitted it) and
        // moves the task to the execute queue, or finishes it, in the same step.
        if (!store.complete(claim, outcome)) {
            return false;
        }
        long now = PhaseClock.nowMicros();
        if (claim.jobType() == JobType.COMPILE) {
            phases.mark(claim.requestId(), Phase.COMPILE_DONE, now);
        } else {
            phases.mark(claim.requestId(), Phase.EXECUTE_DONE, now);
            phases.status(claim.requestId(), ExecutionStatus.RESOLVING);
        }
        return true;
    }

    /** The claim a worker names by job id, worker id and attempt (or the job's current attempt when it names none). */
    public Optional<JobClaim> claimOf(long jobId, String workerId, Integer attempt) {
        return store.job(jobId)
                .map(job -> new JobClaim(
                        job.jobId(),
                        job.requestId(),
                        job.dataId(),
                        job.jobType(),
                        workerId,
                        attempt != null ? attempt : job.attempt()));
    }

    public Map<String, Object> health() {
        return Map.of(
                "contract", settings.contractId(),
                "workers", settings.workers(),
                "monitor", monitor.health(),
                "executed_twice", phases.executedTwiceCount());
    }

    @Override
    public void close() {
        workers.close();
        monitor.close();
    }
}
