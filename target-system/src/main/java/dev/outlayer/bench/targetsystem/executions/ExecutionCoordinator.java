package dev.outlayer.bench.targetsystem.executions;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
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
    private volatile Pricing pricing;

    public ExecutionCoordinator(
            Settings settings,
            JobStore store,
            ReceiptSource receipts,
            CodeRunner runner,
            OperatorChannel chain,
            ContractViews views,
            MeterRegistry registry) {
        this.settings = settings;
        this.store = store;
        this.views = views;
        this.phases = new PhaseClock(registry, settings.phaseCapacity());
        this.monitor =
                new EventMonitor(settings.name() + "-events", receipts, settings.contractId(), store, phases, views);
        this.workers = new ExecutionWorkers(
                settings.name() + "-worker", settings.workers(), store, runner, chain, phases, settings.pollTimeout());
    }

    public ExecutionCoordinator start() {
        monitor.start();
        workers.start();
        return this;
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
     * The contract's pricing, as OutLayer's coordinator sends it with every claim: read from the
     * contract's views once, or OutLayer's default pricing while they cannot be read (as its
     * coordinator falls back to {@code get_default_pricing}).
     */
    public Pricing pricing() {
        Pricing known = pricing;
        if (known != null) {
            return known;
        }
        Optional<Pricing> read = views.view("get_pricing")
                .flatMap(fees -> views.view("get_max_limits").flatMap(limits -> Pricing.of(fees, limits)));
        read.ifPresent(p -> pricing = p);
        return read.orElse(Pricing.DEFAULT);
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
