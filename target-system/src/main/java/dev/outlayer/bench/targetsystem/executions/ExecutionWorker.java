package dev.outlayer.bench.targetsystem.executions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.json.SerdeJsonText;
import dev.outlayer.bench.targetsystem.json.SerdeJsonValue;
import dev.outlayer.bench.targetsystem.systemlogs.SystemLogs;
import dev.outlayer.bench.targetsystem.timing.RetryPause;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker as OutLayer's: polls a task, claims its compile job unless the wasm is cached
 * (cache by checksum), claims its execute job, runs it while heartbeating, and resolves the
 * request with a signed transaction ({@code resolve_execution}, or {@code
 * submit_execution_output_and_resolve} when the response is 1024 bytes or more, as OutLayer's
 * worker near_client.rs decides). A worker whose claim was taken over (it went silent past the
 * stale timeout) does not resolve; should the two race anyway, the contract refuses the second
 * resolution, and the job ends as the accepted one's ({@link JobStore#recordResolution}).
 */
public final class ExecutionWorker implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutionWorker.class);
    /** OutLayer worker's PAYLOAD_LIMIT: a response this long goes through the large-output method. */
    static final int PAYLOAD_LIMIT = 1024;
    /** How much of a failure's error text fits the small response (OutLayer truncates it too). */
    static final int MAX_ERROR_BYTES = 512;

    private final String workerId;
    private final JobStore store;
    private final CodeRunner runner;
    private final OperatorChannel chain;
    private final HttpsCallCompletion calls;
    private final PhaseClock phases;
    private final ScheduledExecutorService heartbeats;
    private final Duration pollTimeout;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile boolean busy;
    private volatile Thread thread;
    /** Where a failed compile's output goes (OutLayer's POST /internal/system-logs); null: nowhere. */
    private volatile SystemLogs compileLogs;
    /** The wasm cache's eviction checked after this worker's uploads; null: none. */
    private volatile WasmCacheEviction wasmEviction;

    public ExecutionWorker(
            String workerId,
            JobStore store,
            CodeRunner runner,
            OperatorChannel chain,
            PhaseClock phases,
            ScheduledExecutorService heartbeats,
            Duration pollTimeout) {
        this(workerId, store, runner, chain, HttpsCallCompletion.NONE, phases, heartbeats, pollTimeout);
    }

    /** @param calls where HTTPS calls are reported (OutLayer's {@code complete_https_call}) */
    public ExecutionWorker(
            String workerId,
            JobStore store,
            CodeRunner runner,
            OperatorChannel chain,
            HttpsCallCompletion calls,
            PhaseClock phases,
            ScheduledExecutorService heartbeats,
            Duration pollTimeout) {
        this.workerId = workerId;
        this.store = store;
        this.runner = runner;
        this.chain = chain;
        this.calls = calls;
        this.phases = phases;
        this.heartbeats = heartbeats;
        this.pollTimeout = pollTimeout;
    }

    public String id() {
        return workerId;
    }

    /**
     * Stores each failed compile's output in {@code logs} from now on, as OutLayer's worker does with its default
     * {@code SAVE_SYSTEM_HIDDEN_LOGS_TO_DEBUG=true} (handle_compile_job: {@code store_system_log}, then the job's
     * complete), so that {@code GET /admin/compile-logs/{job_id}} shows it.
     */
    public void keepCompileLogs(SystemLogs logs) {
        this.compileLogs = logs;
    }

    /** Checks {@code eviction} after each wasm this worker uploads, as OutLayer's coordinator does after an upload. */
    public void evictWasmWith(WasmCacheEviction eviction) {
        this.wasmEviction = eviction;
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        int failuresInARow = 0;
        while (running.get()) {
            try {
                Optional<ExecutionTask> task = store.poll(pollTimeout);
                if (task.isPresent()) {
                    work(task.get());
                }
                failuresInARow = 0;
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                failuresInARow++;
                LOG.warn("{}: {} (failure {} in a row)", workerId, e.toString(), failuresInARow);
                if (!RetryPause.sleep(failuresInARow)) {
                    return;
                }
            }
        }
    }

    /**
     * One task handled, busy meanwhile, and reported as OutLayer's worker reports it ({@code POST
     * /workers/task-completion}: success unless its handling failed, whatever the run did).
     */
    private void work(ExecutionTask task) throws InterruptedException {
        busy = true;
        boolean handled = false;
        try {
            handle(task);
            handled = true;
        } finally {
            busy = false;
            if (running.get()) {
                reportCompletion(handled);
            }
        }
    }

    private void reportCompletion(boolean success) {
        try {
            store.recordTaskCompletion(workerId, success);
        } catch (RuntimeException e) {
            LOG.warn("{}: its task completion was not recorded: {}", workerId, e.toString());
        }
    }

    /**
     * OutLayer's worker heartbeat ({@code POST /workers/heartbeat}, every 30 s): this worker's row of
     * {@code worker_status}, {@code busy} while it works a task, else {@code online}; nothing once
     * it was killed or stopped (its row ages as a dead worker's does).
     */
    public void sayAlive() {
        if (!running.get()) {
            return;
        }
        try {
            store.recordWorkerHeartbeat(workerId, workerId, busy ? "busy" : "online", null);
        } catch (RuntimeException e) {
            LOG.warn("{}: its heartbeat was not recorded: {}", workerId, e.toString());
        }
    }

    /**
     * Stops at once, mid-job if it is in one: no heartbeat, no complete, no resolution (a crash,
     * as far as the store can tell). Its claims go stale and another worker takes them over.
     */
    public void kill() {
        running.set(false);
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    /**
     * What became of the request's wasm before its execute job: compiled here or by another
     * worker of the request ({@code compileMs} is charged), taken from the cache, or failed.
     *
     * @param note OutLayer's {@code compilation_note} for it
     * @param error the failure the execute job reports instead of running (null when the wasm is ready)
     */
    private record Wasm(boolean cacheHit, Long compileMs, String note, String error, String errorCategory) {}

    /** OutLayer worker's notes (main.rs handle_execute_job). */
    static final String FRESHLY_COMPILED = "Freshly compiled";

    static final String COMPILATION_FAILED = "Compilation failed";

    /** Works one task through to its resolution (or gives it up when its claim is lost). */
    void handle(ExecutionTask task) throws InterruptedException {
        String checksum = task.codeSource().wasmChecksum();
        long requestId = task.requestId();
        Optional<Wasm> prepared;
        if (task.compileOnly() && task.compileResult() != null) {
            // OutLayer's result-only execute task: the compiler left a result to send, nothing runs
            prepared = Optional.of(new Wasm(false, null, null, null, null));
        } else {
            prepared = prepare(task, checksum);
            if (task.compileOnly()) {
                return; // compiled at most: without a compile result there is nothing to resolve with
            }
        }
        if (prepared.isEmpty()) {
            return; // compiled here (the task moved to the execute queue), or another worker holds the compile
        }
        Wasm wasm = prepared.get();
        Optional<JobClaim> execute =
                store.claim(new ClaimRequest(requestId, task.dataId(), JobType.EXECUTE, workerId, checksum));
        if (execute.isEmpty()) {
            return;
        }
        long now = PhaseClock.nowMicros();
        if (wasm.cacheHit() || execute.get().attempt() > 1) {
            phases.claimed(requestId, workerId, now); // the request's first claim, or a takeover
        } else {
            phases.executedBy(requestId, workerId);
        }
        phases.mark(requestId, Phase.COMPILE_DONE, now);
        phases.compileCache(requestId, wasm.cacheHit());
        phases.status(requestId, ExecutionStatus.EXECUTING);
        try (Heartbeat beat = heartbeat(execute.get())) {
            Resolution resolution;
            JobOutcome ran;
            if (wasm.error() != null) {
                // OutLayer's executor reports the compile (or download) failure without running anything
                resolution = Resolution.failed(
                        wasm.error(),
                        0,
                        0,
                        null,
                        wasm.errorCategory().equals("compilation_failed") ? COMPILATION_FAILED : null);
                ran = JobOutcome.failed(wasm.errorCategory(), wasm.error(), 0);
            } else if (task.compileOnly()) {
                // OutLayer worker's result-only branch (handle_execute_job): the compiler's result as
                // Text, nothing run, nothing but the base fee
                String result = task.compileResult();
                ObjectNode output = JsonCodec.object().put("Text", result);
                String note =
                        result.startsWith("http") ? "Published to " + result : "Result from compilation: " + result;
                resolution = new Resolution(true, output, null, 0, 0, null, note);
                ran = JobOutcome.succeeded(0, 0, null);
            } else {
                CodeRunner.RunResult result = run(checksum, task);
                resolution = Resolution.of(task, result, wasm);
                ran = resolution.success()
                        ? JobOutcome.succeeded(result.timeMs(), result.instructions(), checksum)
                        : JobOutcome.failed(
                                result.errorCategory() != null ? result.errorCategory() : "execution_failed",
                                resolution.error(),
                                result.timeMs());
            }
            phases.mark(requestId, Phase.EXECUTE_DONE, PhaseClock.nowMicros());
            stopIfKilled();
            if (!store.heartbeat(execute.get())) {
                LOG.info("{}: lost the claim on request {} while executing; not resolving", workerId, requestId);
                return;
            }
            if (task.httpsCall()) {
                completeCall(task, resolution, execute.get(), ran);
                return;
            }
            phases.status(requestId, ExecutionStatus.RESOLVING);
            Submitted submitted = resolve(task, resolution);
            if (submitted.sent().accepted()) {
                // The chain took it: the job ends as the run did, recorded with the resolution even if
                // the claim was taken over while this worker resolved (the new owner's resolution is
                // then refused by the contract, and its failure replaced). Should this worker die before
                // this line, the event monitor records it from the callback (EventMonitor).
                String txHash = submitted.sent().txHash();
                AcceptedResolution.Recorded recorded =
                        store.recordResolution(AcceptedResolution.reported(execute.get(), txHash, ran));
                phases.resolutionRecorded(txHash);
                if (recorded.executedTwice()) {
                    phases.executedTwice();
                    LOG.error("request {} was resolved twice (second by {})", requestId, workerId);
                }
                return;
            }
            // Killed while resolving (the interrupt stopped the contract call, which the contract then
            // refused): completing the job would leave nobody to resolve the request.
            stopIfKilled();
            // As OutLayer's worker reports a resolution the chain did not take: the job failed, whatever
            // the run did, since the request was never resolved by it. Refused because another worker's
            // resolution landed first, this failure lasts until that worker records its own (above).
            complete(
                    execute.get(),
                    JobOutcome.failed(
                            "failed",
                            "Failed to submit to NEAR: the chain did not take " + submitted.method() + " (tx "
                                    + submitted.sent().txHash() + "): the transaction failed: "
                                    + submitted.sent().error(),
                            ran.timeMs()));
        }
    }

    /**
     * The request's wasm made ready for its execute job, as OutLayer's worker and coordinator do:
     * the request's own compile job when it has ended (its time charged, or its failure reported),
     * else the cache ({@code force_rebuild} skips it), else the request's compile job, claimed and
     * run here. Empty when this worker compiled (the store then moves the task to the execute
     * queue, where the next poll takes it, as OutLayer's {@code complete_job} pushes it), or
     * another worker holds the compile job.
     */
    private Optional<Wasm> prepare(ExecutionTask task, String checksum) throws InterruptedException {
        long requestId = task.requestId();
        Optional<Job> finished = finishedCompile(requestId, task.dataId());
        Wasm wasm;
        if (finished.isPresent()) {
            if (finished.get().status() == JobStatus.FAILED) {
                // the execute job reports the compile's failure, as the worker API's claim does
                String details = finished.get().errorDetails();
                wasm = new Wasm(
                        false, null, null, details != null ? details : COMPILATION_FAILED, "compilation_failed");
            } else {
                // compiled for this request (here or by another worker): its time is charged, as
                // OutLayer's executor takes compile_time_ms from the claim
                wasm = new Wasm(false, finished.get().timeMs(), FRESHLY_COMPILED, null, null);
            }
        } else if (!task.forceRebuild() && store.wasmCached(checksum)) {
            wasm = new Wasm(
                    true,
                    null,
                    store.wasmCachedAt(checksum)
                            .map(at -> "Cached WASM from " + cachedAt(at))
                            .orElse(null),
                    null,
                    null);
        } else {
            Optional<JobClaim> compile =
                    store.claim(new ClaimRequest(requestId, task.dataId(), JobType.COMPILE, workerId, checksum));
            if (compile.isPresent()) {
                compileJob(task, checksum, compile.get());
            }
            return Optional.empty();
        }
        if (wasm.error() == null && !runner.compiled(checksum)) {
            // compiled by another worker (of another coordinator, or external): OutLayer's executor
            // downloads it from the coordinator (GET /wasm/{checksum}; no compile job, nothing charged);
            // a wasm compiled in-process without an upload is loaded from the program registry
            try {
                Optional<byte[]> shared = store.wasmBytes(checksum);
                if (shared.isPresent()) {
                    load(checksum, shared.get(), task);
                } else {
                    compile(checksum, task);
                }
            } catch (CodeRunner.CompileFailed e) {
                wasm = new Wasm(wasm.cacheHit(), null, null, "Failed to download WASM: " + e.getMessage(), "failed");
            }
        }
        return Optional.of(wasm);
    }

    /**
     * Works the request's compile job (OutLayer's handle_compile_job): compiles, and completes the
     * job with its time or its failure. No compile result: the stand-in publishes nothing to
     * FastFS, so a compile-only request is not resolved (as OutLayer's, it waits out its yield).
     */
    private void compileJob(ExecutionTask task, String checksum, JobClaim claim) throws InterruptedException {
        long requestId = task.requestId();
        phases.claimed(requestId, workerId, PhaseClock.nowMicros());
        phases.compileCache(requestId, false);
        phases.status(requestId, ExecutionStatus.COMPILING);
        long start = System.nanoTime();
        JobOutcome outcome;
        try (Heartbeat beat = heartbeat(claim)) {
            try {
                compile(checksum, task);
                long compileMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                share(checksum, task.codeSource());
                outcome = JobOutcome.compiled(compileMs, checksum, null, null);
            } catch (CodeRunner.CompileFailed e) {
                outcome = JobOutcome.failed(
                        "compilation_failed",
                        "Compilation failed: " + e.getMessage(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                storeCompileLog(claim, e.getMessage());
            }
            stopIfKilled();
            if (complete(claim, outcome)) {
                phases.mark(requestId, Phase.COMPILE_DONE, PhaseClock.nowMicros());
            }
        }
    }

    /**
     * A failed compile's output as OutLayer's worker stores it ({@code log_type} compilation, the job's ids): the
     * stand-in's compile has no process, so stderr is why it failed, stdout empty and no exit code. A log that
     * cannot be stored is logged here and the job goes on (OutLayer: "Don't fail the job if logging fails").
     */
    private void storeCompileLog(JobClaim claim, String why) {
        SystemLogs logs = compileLogs;
        if (logs == null) {
            return;
        }
        try {
            logs.store(new SystemLogs.Entry(
                    claim.requestId(), claim.jobId(), SystemLogs.COMPILATION, why, "", null, null));
        } catch (RuntimeException e) {
            LOG.warn("{}: storing the compile log of job {} failed: {}", workerId, claim.jobId(), e.toString());
        }
    }

    /**
     * Uploads the compiled wasm to the coordinator before the compile job completes, as OutLayer's
     * worker does (POST /wasm/upload), so that an executor of another process can download it. A
     * failed upload is logged and the compile goes on (OutLayer: "Continue anyway").
     */
    private void share(String checksum, CodeSource source) {
        try {
            Optional<byte[]> wasm = runner.wasm(source);
            if (wasm.isPresent()) {
                boolean gitHub = source.repo() != null;
                store.storeWasm(new WasmFile(
                        checksum,
                        wasm.get(),
                        gitHub ? source.repo() : source.url(),
                        gitHub ? source.commit() : source.hash(),
                        source.buildTarget()));
                WasmCacheEviction eviction = wasmEviction;
                if (eviction != null) {
                    eviction.afterUpload();
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: sharing the wasm {} with the coordinator failed: {}", workerId, checksum, e.toString());
        }
    }

    /** The runner's load of a downloaded wasm; a fault of the runner itself fails it without its text, see {@link #compile}. */
    private void load(String checksum, byte[] wasm, ExecutionTask task) {
        try {
            runner.load(checksum, wasm);
        } catch (CodeRunner.CompileFailed e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.error("{}: loading {} for request {} failed", workerId, checksum, task.requestId(), e);
            throw new CodeRunner.CompileFailed("internal error");
        }
    }

    /**
     * The runner's compile; a fault of the runner itself (anything but {@link
     * CodeRunner.CompileFailed}) fails the compile without its text, logged here: left to escape, it
     * left the compile job claimed, and every worker that took the request over hit it again, the
     * task handed out forever.
     */
    private void compile(String checksum, ExecutionTask task) {
        try {
            runner.compile(checksum, task.codeSource());
        } catch (CodeRunner.CompileFailed e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.error("{}: compiling {} for request {} failed", workerId, checksum, task.requestId(), e);
            throw new CodeRunner.CompileFailed("internal error");
        }
    }

    /** The runner's run; a fault of the runner itself fails the run (as OutLayer's "Execution failed: ..."), see {@link #compile}. */
    private CodeRunner.RunResult run(String checksum, ExecutionTask task) throws InterruptedException {
        try {
            return runner.run(checksum, task, workerId);
        } catch (RuntimeException e) {
            LOG.error("{}: running request {} failed", workerId, task.requestId(), e);
            return new CodeRunner.RunResult(
                    false, new byte[0], "Execution failed: internal error", "execution_failed", 0, 0);
        }
    }

    /**
     * A cache entry's time as OutLayer's coordinator writes it: chrono's {@code to_rfc3339} of a
     * UTC time from PostgreSQL (microseconds), {@code +00:00} and as many fraction digits (none,
     * 3, 6) as the time needs.
     */
    public static String cachedAt(Instant at) {
        Instant micros = at.truncatedTo(ChronoUnit.MICROS);
        String seconds = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").format(micros.atOffset(ZoneOffset.UTC));
        int nanos = micros.getNano();
        String fraction = nanos == 0
                ? ""
                : nanos % 1_000_000 == 0
                        ? String.format(".%03d", nanos / 1_000_000)
                        : String.format(".%06d", nanos / 1_000);
        return seconds + fraction + "+00:00";
    }

    /** A killed worker finishes nothing, even when what it was doing ignored the interrupt. */
    private void stopIfKilled() throws InterruptedException {
        if (!running.get()) {
            throw new InterruptedException(workerId + " was killed");
        }
    }

    /** The request's compile job if it has ended (completed or failed). */
    private Optional<Job> finishedCompile(long requestId, String dataId) {
        return store.jobs(requestId).stream()
                .filter(j -> j.jobType() == JobType.COMPILE
                        && j.dataId().equals(dataId)
                        && (j.status() == JobStatus.COMPLETED || j.status() == JobStatus.FAILED))
                .findFirst();
    }

    private boolean complete(JobClaim claim, JobOutcome outcome) {
        if (store.complete(claim, outcome)) {
            return true;
        }
        LOG.info("{}: job {} was taken over; its completion is refused", workerId, claim.jobId());
        return false;
    }

    /**
     * What the worker tells the contract (OutLayer's {@code ExecutionResult}): {@code output} as
     * OutLayer's {@code ExecutionOutput} JSON, null on failure.
     */
    record Resolution(
            boolean success,
            JsonNode output,
            String error,
            long instructions,
            long timeMs,
            Long compileMs,
            String compilationNote) {

        static Resolution failed(String error, long instructions, long timeMs, Long compileMs, String note) {
            return new Resolution(false, null, error, instructions, timeMs, compileMs, note);
        }

        /** A run's result in the request's response format, as OutLayer's executor converts stdout. */
        static Resolution of(ExecutionTask task, CodeRunner.RunResult result, Wasm wasm) {
            if (!result.success()) {
                // OutLayer's executor reports a failed run with instructions 0 and its time
                return failed(result.error(), 0, result.timeMs(), wasm.compileMs(), wasm.note());
            }
            JsonNode output;
            try {
                output = ExecutionWorker.output(task.responseFormat(), result.stdout());
            } catch (SerdeJsonValue.Refused why) {
                // OutLayer's executor: "Failed to parse output as JSON: {serde error}. Output was: {output}"
                return failed(
                        "Failed to parse output as JSON: " + why.getMessage() + ". Output was: "
                                + new String(result.stdout(), StandardCharsets.UTF_8),
                        result.instructions(),
                        result.timeMs(),
                        wasm.compileMs(),
                        wasm.note());
            }
            return new Resolution(
                    true, output, null, result.instructions(), result.timeMs(), wasm.compileMs(), wasm.note());
        }
    }

    /**
     * An HTTPS call's result reported to the coordinator instead of the chain (OutLayer worker's
     * {@code complete_https_call}): the output as the JSON value OutLayer's worker makes of it (the parsed
     * stdout of the call's {@code Json} format, a Text's string, a Bytes' standard base64), then the job
     * completed. A call already finalized (timed out) keeps its first result; the job completes all the same.
     */
    private void completeCall(ExecutionTask task, Resolution resolution, JobClaim claim, JobOutcome ran) {
        JsonNode output = resolution.success() ? httpsOutput(resolution.output()) : null;
        boolean finalized = calls.complete(new HttpsCallCompletion.Report(
                task.callId(),
                resolution.success(),
                output,
                resolution.error(),
                resolution.instructions(),
                resolution.timeMs(),
                0,
                claim.jobId()));
        if (!finalized) {
            LOG.info("{}: HTTPS call {} was already finalized; its result is dropped", workerId, task.callId());
        }
        phases.status(task.requestId(), resolution.success() ? ExecutionStatus.RESOLVED : ExecutionStatus.FAILED);
        complete(claim, ran);
    }

    /** OutLayer worker's {@code ExecutionOutput} to {@code serde_json::Value} of an HTTPS call's completion. */
    static JsonNode httpsOutput(JsonNode executionOutput) {
        if (executionOutput == null || executionOutput.size() != 1) {
            return null;
        }
        JsonNode value = executionOutput.elements().next();
        if (executionOutput.has("Bytes")) {
            byte[] bytes = new byte[value.size()];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) value.get(i).intValue();
            }
            return TextNode.valueOf(Base64.getEncoder().encodeToString(bytes));
        }
        return value;
    }

    /** A resolution transaction sent: which method, and what the chain said. */
    private record Submitted(String method, OperatorChannel.Sent sent) {}

    /**
     * Signs and sends the resolution as OutLayer's worker does (near_client.rs {@code
     * submit_execution_result}).
     */
    private Submitted resolve(ExecutionTask task, Resolution resolution) {
        ObjectNode resources = JsonCodec.object();
        resources.put("instructions", resolution.instructions());
        resources.put("time_ms", resolution.timeMs());
        if (resolution.compileMs() != null) {
            resources.put("compile_time_ms", resolution.compileMs());
        } else {
            resources.putNull("compile_time_ms");
        }
        // the output as OutLayer's worker writes it (serde_json without preserve_order: members sorted by key,
        // ryu's numbers), which the contract keeps in that order (its serde_json has preserve_order) and returns
        RawValue output = resolution.output() == null ? null : new RawValue(SerdeJsonText.of(resolution.output()));
        ObjectNode response = JsonCodec.object();
        response.put("success", resolution.success());
        if (output == null) {
            response.putNull("output");
        } else {
            response.putRawValue("output", output);
        }
        response.put("error", resolution.error());
        response.set("resources_used", resources);
        response.put("compilation_note", resolution.compilationNote());
        response.putNull("refund_usd");
        String method;
        ObjectNode args = JsonCodec.object();
        args.put("request_id", task.requestId());
        if (JsonCodec.bytes(response).length < PAYLOAD_LIMIT) {
            method = "resolve_execution";
            args.set("response", response);
        } else if (resolution.success() && resolution.output() != null) {
            method = "submit_execution_output_and_resolve";
            args.putRawValue("output", output);
            args.put("success", true);
            args.putNull("error");
            args.set("resources_used", resources);
            args.put("compilation_note", resolution.compilationNote());
            args.putNull("refund_usd");
        } else {
            method = "resolve_execution";
            if (resolution.error() != null) {
                response.put("error", truncate(resolution.error()));
            }
            args.set("response", response);
        }
        OperatorChannel.SignedCall call = chain.sign(workerId, method, JsonCodec.bytes(args));
        phases.resolveTxSent(task.requestId(), call.txHash(), workerId);
        OperatorChannel.Sent sent = chain.send(call);
        if (!sent.accepted()) {
            LOG.info("{}: the contract refused {} of request {}: {}", workerId, method, task.requestId(), sent.error());
        }
        return new Submitted(method, sent);
    }

    /**
     * OutLayer's ExecutionOutput by the request's response_format: Text (stdout as UTF-8; stdout
     * that is not is the text {@code Invalid UTF-8 output: ...}, as Rust's from_utf8 error reads),
     * Json (stdout parsed as serde_json parses a Value, refused in its words) or Bytes.
     */
    static JsonNode output(String format, byte[] stdout) throws SerdeJsonValue.Refused {
        ObjectNode output = JsonCodec.object();
        switch (format == null ? "Text" : format) {
            case "Json" -> output.set("Json", SerdeJsonValue.read(stdout));
            case "Bytes" -> {
                ArrayNode bytes = output.putArray("Bytes");
                for (byte b : stdout) {
                    bytes.add(b & 0xff);
                }
            }
            default -> output.put("Text", text(stdout));
        }
        return output;
    }

    /** stdout as UTF-8, or Rust's {@code String::from_utf8} error as OutLayer's executor words it. */
    static String text(byte[] stdout) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(stdout);
        CharBuffer out = CharBuffer.allocate(stdout.length);
        CoderResult result = decoder.decode(in, out, false);
        if (result.isError()) {
            return "Invalid UTF-8 output: invalid utf-8 sequence of " + result.length() + " bytes from index "
                    + in.position();
        }
        if (in.hasRemaining()) {
            return "Invalid UTF-8 output: incomplete utf-8 byte sequence from index " + in.position();
        }
        return out.flip().toString();
    }

    /**
     * OutLayer worker's {@code truncate_error_for_chain}: the first {@value #MAX_ERROR_BYTES} bytes
     * cut on a character boundary, saying it was cut and how long it was.
     */
    static String truncate(String error) {
        byte[] bytes = error.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_ERROR_BYTES) {
            return error;
        }
        int end = MAX_ERROR_BYTES;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--; // a continuation byte: the cut would split a character
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8) + "... (truncated, original size: " + bytes.length
                + " bytes)";
    }

    private Heartbeat heartbeat(JobClaim claim) {
        long every = Math.max(1, store.staleClaimTimeout().toMillis() / 3);
        ScheduledFuture<?> beat = heartbeats.scheduleAtFixedRate(
                () -> {
                    if (running.get()) {
                        try {
                            store.heartbeat(claim);
                        } catch (RuntimeException e) {
                            // A thrown beat would cancel every later one (scheduleAtFixedRate): a blip of
                            // the jobs database must not let a live claim go stale and be taken over.
                            LOG.warn("{}: heartbeat of job {} failed: {}", workerId, claim.jobId(), e.toString());
                        }
                    }
                },
                every,
                every,
                TimeUnit.MILLISECONDS);
        return () -> beat.cancel(false);
    }

    /** The heartbeat of one claim, stopped when the work on it ends. */
    private interface Heartbeat extends AutoCloseable {
        @Override
        void close();
    }
}
