package dev.outlayer.bench.targetsystem.executions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * stale timeout) does not resolve; should it race the new owner anyway, the contract refuses the
 * second resolution.
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
    private final PhaseClock phases;
    private final ScheduledExecutorService heartbeats;
    private final Duration pollTimeout;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile Thread thread;

    public ExecutionWorker(
            String workerId,
            JobStore store,
            CodeRunner runner,
            OperatorChannel chain,
            PhaseClock phases,
            ScheduledExecutorService heartbeats,
            Duration pollTimeout) {
        this.workerId = workerId;
        this.store = store;
        this.runner = runner;
        this.chain = chain;
        this.phases = phases;
        this.heartbeats = heartbeats;
        this.pollTimeout = pollTimeout;
    }

    public String id() {
        return workerId;
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        while (running.get()) {
            try {
                Optional<ExecutionTask> task = store.poll(pollTimeout);
                if (task.isPresent()) {
                    handle(task.get());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("{}: {}", workerId, e.toString());
            }
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

    /** Works one task through to its resolution (or gives it up when its claim is lost). */
    void handle(ExecutionTask task) throws InterruptedException {
        String checksum = task.codeSource().wasmChecksum();
        long requestId = task.requestId();
        Long compileMs = null;
        String compileError = null;
        boolean hit = store.wasmCached(checksum) && runner.compiled(checksum);
        if (!hit) {
            Optional<JobClaim> compile =
                    store.claim(new ClaimRequest(requestId, task.dataId(), JobType.COMPILE, workerId, checksum));
            if (compile.isPresent()) {
                phases.claimed(requestId, workerId, PhaseClock.nowMicros());
                phases.status(requestId, ExecutionStatus.COMPILING);
                long start = System.nanoTime();
                try (Heartbeat beat = heartbeat(compile.get())) {
                    runner.compile(checksum, task.codeSource());
                    stopIfKilled();
                    compileMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    store.cacheWasm(checksum);
                    if (!complete(compile.get(), JobOutcome.succeeded(compileMs, 0, checksum))) {
                        return; // taken over while compiling: the new owner goes on
                    }
                } catch (CodeRunner.CompileFailed e) {
                    compileMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    compileError = "Compilation failed: " + e.getMessage();
                    if (!complete(compile.get(), JobOutcome.failed("compilation_failed", compileError, compileMs))) {
                        return;
                    }
                }
            } else {
                Optional<Job> finished = finishedCompile(requestId);
                if (finished.isEmpty()) {
                    return; // another worker holds the compile job
                }
                if (finished.get().status() == JobStatus.FAILED) {
                    // Taken over after the compile failed: the execute job reports that failure, as
                    // the worker API's claim does (else the request would be handed out forever).
                    String details = finished.get().errorDetails();
                    compileError = details != null ? details : "Compilation failed";
                    compileMs = finished.get().timeMs();
                }
            }
            if (compileError == null && !runner.compiled(checksum)) {
                // compiled by a worker of another coordinator: load it here too (OutLayer recompiles a missing file)
                runner.compile(checksum, task.codeSource());
            }
        }
        Optional<JobClaim> execute =
                store.claim(new ClaimRequest(requestId, task.dataId(), JobType.EXECUTE, workerId, checksum));
        if (execute.isEmpty()) {
            return;
        }
        if (hit) {
            long now = PhaseClock.nowMicros();
            phases.claimed(requestId, workerId, now);
            phases.mark(requestId, Phase.COMPILE_DONE, PhaseClock.nowMicros());
        } else {
            phases.mark(requestId, Phase.COMPILE_DONE, PhaseClock.nowMicros());
        }
        phases.compileCache(requestId, hit);
        phases.status(requestId, ExecutionStatus.EXECUTING);
        try (Heartbeat beat = heartbeat(execute.get())) {
            CodeRunner.RunResult result = compileError != null
                    ? new CodeRunner.RunResult(false, new byte[0], compileError, "compilation_failed", 0, 0)
                    : runner.run(checksum, task, workerId);
            phases.mark(requestId, Phase.EXECUTE_DONE, PhaseClock.nowMicros());
            stopIfKilled();
            if (!store.heartbeat(execute.get())) {
                LOG.info("{}: lost the claim on request {} while executing; not resolving", workerId, requestId);
                return;
            }
            phases.status(requestId, ExecutionStatus.RESOLVING);
            OperatorChannel.Sent sent = resolve(task, result, compileMs);
            // Killed while resolving (the interrupt stopped the contract call, which the contract then
            // refused): completing the job would leave nobody to resolve the request.
            stopIfKilled();
            JobOutcome outcome;
            if (!sent.accepted()) {
                // As OutLayer's worker reports a resolution its transaction failed: the job failed,
                // whatever the run did, since the request was never resolved by it.
                outcome = JobOutcome.failed(
                        "failed", "Failed to submit result to contract: " + sent.error(), result.timeMs());
            } else if (result.success()) {
                outcome = JobOutcome.succeeded(result.timeMs(), result.instructions(), checksum);
            } else {
                outcome = JobOutcome.failed(result.errorCategory(), result.error(), result.timeMs());
            }
            complete(execute.get(), outcome);
        }
    }

    /** A killed worker finishes nothing, even when what it was doing ignored the interrupt. */
    private void stopIfKilled() throws InterruptedException {
        if (!running.get()) {
            throw new InterruptedException(workerId + " was killed");
        }
    }

    /** The request's compile job if it has ended (completed or failed). */
    private Optional<Job> finishedCompile(long requestId) {
        return store.jobs(requestId).stream()
                .filter(j -> j.jobType() == JobType.COMPILE
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

    /** Signs and sends the resolution; counts it when the contract accepted it. */
    private OperatorChannel.Sent resolve(ExecutionTask task, CodeRunner.RunResult result, Long compileMs) {
        ObjectNode resources = JsonCodec.object();
        resources.put("instructions", result.instructions());
        resources.put("time_ms", result.timeMs());
        if (compileMs != null) {
            resources.put("compile_time_ms", compileMs);
        } else {
            resources.putNull("compile_time_ms");
        }
        String error = result.error();
        JsonNode output = null;
        if (result.success()) {
            try {
                output = output(task.responseFormat(), result.stdout());
            } catch (IOException e) {
                error = "Failed to parse output as JSON: " + e.getMessage();
            }
        }
        boolean success = result.success() && error == null;
        ObjectNode response = JsonCodec.object();
        response.put("success", success);
        response.set("output", output);
        response.put("error", error);
        response.set("resources_used", resources);
        response.putNull("compilation_note");
        String method;
        ObjectNode args = JsonCodec.object();
        args.put("request_id", task.requestId());
        if (JsonCodec.bytes(response).length < PAYLOAD_LIMIT) {
            method = "resolve_execution";
            args.set("response", response);
        } else if (success && output != null) {
            method = "submit_execution_output_and_resolve";
            args.set("output", output);
            args.put("success", true);
            args.putNull("error");
            args.set("resources_used", resources);
            args.putNull("compilation_note");
        } else {
            method = "resolve_execution";
            response.put("error", truncate(error));
            args.set("response", response);
        }
        OperatorChannel.SignedCall call = chain.sign(workerId, method, JsonCodec.bytes(args));
        phases.resolveTxSent(task.requestId(), call.txHash());
        OperatorChannel.Sent sent = chain.send(call);
        if (sent.accepted()) {
            if (store.recordResolution(task.requestId()) > 1) {
                phases.executedTwice();
                LOG.error("request {} was resolved twice (second by {})", task.requestId(), workerId);
            }
        } else {
            LOG.info("{}: the contract refused {} of request {}: {}", workerId, method, task.requestId(), sent.error());
        }
        return sent;
    }

    /** OutLayer's ExecutionOutput by the request's response_format: Text, Json (stdout parsed) or Bytes. */
    static JsonNode output(String format, byte[] stdout) throws IOException {
        ObjectNode output = JsonCodec.object();
        switch (format == null ? "Text" : format) {
            case "Json" -> output.set("Json", JsonCodec.MAPPER.readTree(stdout));
            case "Bytes" -> {
                ArrayNode bytes = output.putArray("Bytes");
                for (byte b : stdout) {
                    bytes.add(b & 0xff);
                }
            }
            default -> output.put("Text", new String(stdout, StandardCharsets.UTF_8));
        }
        return output;
    }

    private static String truncate(String error) {
        byte[] bytes = error.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_ERROR_BYTES) {
            return error;
        }
        return new String(bytes, 0, MAX_ERROR_BYTES, StandardCharsets.UTF_8) + "... (truncated)";
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
