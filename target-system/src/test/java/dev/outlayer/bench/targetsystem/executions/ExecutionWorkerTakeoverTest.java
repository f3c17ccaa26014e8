package dev.outlayer.bench.targetsystem.executions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertAll;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.testing.HangGuard;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Takeovers between {@link ExecutionWorker}s sharing one {@link InMemoryJobStore}: staleness is
 * judged by a {@link ManualClock}, heartbeats run on a real scheduler.
 */
@Timeout(HangGuard.BOUND_SECONDS) // a hang guard: a worker that never ends its job
class ExecutionWorkerTakeoverTest {
    private static final String CHECKSUM = "ab".repeat(32); // the checksum of JobStoreContractTest.task

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-04T05:00:00Z"));
    private final PhaseClock phases = new PhaseClock(new SimpleMeterRegistry(), 100);
    private final RecordingChannel chain = new RecordingChannel();
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService workerThreads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        heartbeats.shutdownNow();
        workerThreads.shutdownNow();
    }

    private ExecutionWorker worker(String id, JobStore store, CodeRunner runner) {
        return new ExecutionWorker(id, store, runner, chain, phases, heartbeats, Duration.ZERO);
    }

    @Test
    void aRequestWhoseCompileFailedIsResolvedByTheWorkerThatTakesItOver() throws Exception {
        Duration stale = Duration.ofSeconds(30);
        InMemoryJobStore store = new InMemoryJobStore(stale, clock);
        CodeRunner noWasm = new NoProgramRunner();
        store.enqueue(JobStoreContractTest.task(7));

        // worker-a fails the compile (the wasm hash was never uploaded): the task moves to the execute
        // queue, where worker-a takes it to report the failure, and dies before its resolution is out
        chain.dying.add("worker-a");
        ExecutionTask first = store.poll(Duration.ZERO).orElseThrow();
        worker("worker-a", store, noWasm).handle(first);
        assertThat(chain.sent).isEmpty();
        ExecutionTask toReport =
                store.poll(Set.of(TaskQueue.EXECUTE), Duration.ZERO).orElseThrow();
        assertThatThrownBy(() -> worker("worker-a", store, noWasm).handle(toReport))
                .hasMessageContaining("worker-a died");
        assertThat(chain.sent).isEmpty();

        clock.advance(stale.plusSeconds(1));
        ExecutionTask again = store.poll(Duration.ZERO).orElseThrow(); // worker-a's claims went stale
        worker("worker-b", store, noWasm).handle(again);

        String compileError = "Compilation failed: no program in the registry for wasm hash " + CHECKSUM;
        assertThat(chain.sent)
                .as("resolutions sent for request 7")
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.workerId()).isEqualTo("worker-b");
                    assertThat(r.method()).isEqualTo("resolve_execution");
                    JsonNode args = JsonCodec.MAPPER.readTree(r.argsJson());
                    assertThat(args.path("request_id").asLong()).isEqualTo(7);
                    assertThat(args.path("response").path("success").asBoolean(true))
                            .isFalse();
                    assertThat(args.path("response").path("error").asText()).isEqualTo(compileError);
                });
        assertThat(store.resolutions(7)).isEqualTo(1);
        Job execute = store.jobs(7).stream()
                .filter(j -> j.jobType() == JobType.EXECUTE)
                .findFirst()
                .orElseThrow();
        assertThat(execute.status()).isEqualTo(JobStatus.FAILED);
        assertThat(execute.workerId()).isEqualTo("worker-b");
        assertThat(execute.errorCategory()).isEqualTo("compilation_failed");
        // the request is finished: it is not handed out again after another stale period
        clock.advance(stale.plusSeconds(1));
        assertThat(store.poll(Duration.ZERO)).isEmpty();
    }

    @Test
    void aResolutionTheChainRefusedFailsTheExecuteJobAsOutLayersWorkerReportsIt() throws Exception {
        InMemoryJobStore store = new InMemoryJobStore(Duration.ofSeconds(30), clock);
        store.cacheWasm(CHECKSUM);
        store.enqueue(JobStoreContractTest.task(9));
        chain.refusing.add("worker-a");
        SlowFirstRunRunner runner = new SlowFirstRunRunner();
        runner.releaseFirstRun.countDown(); // runs at once

        worker("worker-a", store, runner).handle(store.poll(Duration.ZERO).orElseThrow());

        assertThat(chain.sent).extracting(Resolution::workerId).containsExactly("worker-a");
        assertThat(store.resolutions(9)).as("resolutions recorded").isZero();
        Job execute = store.jobs(9).stream()
                .filter(j -> j.jobType() == JobType.EXECUTE)
                .findFirst()
                .orElseThrow();
        // The run succeeded, but the request was never resolved: a completed job would say otherwise.
        assertThat(execute.status()).isEqualTo(JobStatus.FAILED);
        assertThat(execute.errorCategory()).isEqualTo("failed");
        // OutLayer's worker: "Failed to submit to NEAR: {:#}" of near_client's ChainRefused
        assertThat(execute.errorDetails())
                .isEqualTo("Failed to submit to NEAR: the chain did not take resolve_execution (tx tx-1): the"
                        + " transaction failed: " + RecordingChannel.REFUSAL);
    }

    @Test
    void aHeartbeatThatThrowsDoesNotStopTheLaterOnesSoNoOtherWorkerTakesTheRunningJobOver() throws Exception {
        // beats every 100 ms of real time; staleness is judged on the manual clock only
        Duration stale = Duration.ofMillis(300);
        Duration step = Duration.ofMillis(100);
        BlippingStore store = new BlippingStore(new InMemoryJobStore(stale, clock));
        SlowFirstRunRunner runner = new SlowFirstRunRunner();
        store.cacheWasm(CHECKSUM); // compiled already: the only claim is the execute job
        store.enqueue(JobStoreContractTest.task(8));

        ExecutionTask task = store.poll(Duration.ZERO).orElseThrow();
        Future<?> a = workerThreads.submit(() -> {
            worker("worker-a", store, runner).handle(task);
            return null;
        });
        // Waits for what must happen, bounded well inside the class's hang guard, not timings.
        assertThat(runner.firstRunStarted.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(store.blipped.await(10, TimeUnit.SECONDS))
                .as("the first heartbeat threw")
                .isTrue();

        // while worker-a runs, the clock moves twice the stale timeout, a step (a third of it) at a time,
        // each step followed by a heartbeat (a beat that read the clock just before the step may count:
        // the claim's last sign of life is then two steps old at most, still not stale)
        int beatsAfterBlip = 0;
        boolean beating = true;
        for (int i = 0; i < 6; i++) {
            store.beats.drainPermits();
            clock.advance(step);
            if (beating && store.beats.tryAcquire(10, TimeUnit.SECONDS)) {
                beatsAfterBlip++;
            } else {
                beating = false;
            }
        }
        // worker-b polls now, as any idle worker would, while worker-a is still running
        Optional<ExecutionTask> handedOutAgain = store.poll(Duration.ZERO);
        if (handedOutAgain.isPresent()) {
            worker("worker-b", store, runner).handle(handedOutAgain.get());
        }

        runner.releaseFirstRun.countDown();
        a.get(10, TimeUnit.SECONDS);

        Job execute = store.jobs(8).stream()
                .filter(j -> j.jobType() == JobType.EXECUTE)
                .findFirst()
                .orElseThrow();
        int beats = beatsAfterBlip;
        // every failure reported at once: beats stopping is the cause, the rest what it led to
        assertAll(
                () -> assertThat(beats)
                        .as("heartbeats after the one that threw")
                        .isEqualTo(6),
                () -> assertThat(handedOutAgain)
                        .as("task handed out again while worker-a runs it")
                        .isEmpty(),
                () -> assertThat(runner.runs.get()).as("times the program ran").isEqualTo(1),
                () -> assertThat(chain.sent)
                        .as("workers whose resolution was sent")
                        .extracting(Resolution::workerId)
                        .containsExactly("worker-a"),
                () -> assertThat(store.resolutions(8))
                        .as("resolutions recorded")
                        .isEqualTo(1),
                () -> assertThat(execute.workerId()).as("execute job's worker").isEqualTo("worker-a"),
                () -> assertThat(execute.attempt())
                        .as("claims of the execute job")
                        .isEqualTo(1),
                () -> assertThat(execute.status()).isEqualTo(JobStatus.COMPLETED));
    }

    /**
     * The take-over race under load: worker-a's resolution is accepted by the chain, then its
     * thread starves (no heartbeat, not yet back from the send) past the stale timeout; worker-b
     * takes the job over, runs it and resolves, which the contract refuses, and records the failure;
     * then worker-a comes back. The chain resolved the request once, by worker-a: so does the job.
     */
    @Test
    void aResolutionTheChainAcceptedCompletesTheJobThoughTheClaimWasTakenOverWhileItWasSent() throws Exception {
        Duration stale = Duration.ofSeconds(30);
        InMemoryJobStore store = new InMemoryJobStore(stale, clock);
        store.cacheWasm(CHECKSUM);
        store.enqueue(JobStoreContractTest.task(10));
        SlowFirstRunRunner runner = new SlowFirstRunRunner();
        runner.releaseFirstRun.countDown(); // every run ends at once
        CountDownLatch releaseA = new CountDownLatch(1);
        chain.stalled.put("worker-a", releaseA);
        // worker-a's heartbeat thread is starved too: its scheduler is busy with something else
        ScheduledExecutorService starved = Executors.newSingleThreadScheduledExecutor();
        CountDownLatch unstarve = new CountDownLatch(1);
        starved.execute(() -> {
            try {
                unstarve.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            ExecutionWorker a = new ExecutionWorker("worker-a", store, runner, chain, phases, starved, Duration.ZERO);
            ExecutionTask task = store.poll(Duration.ZERO).orElseThrow();
            Future<?> aResolving = workerThreads.submit(() -> {
                a.handle(task);
                return null;
            });
            assertThat(chain.stalledSendAnswered.await(3, TimeUnit.SECONDS)).isTrue();

            clock.advance(stale.plusSeconds(1));
            ExecutionTask again = store.poll(Duration.ZERO).orElseThrow();
            worker("worker-b", store, runner).handle(again);
            Job afterB = store.jobs(10).get(0);

            releaseA.countDown();
            aResolving.get(3, TimeUnit.SECONDS);

            Job execute = store.jobs(10).stream()
                    .filter(j -> j.jobType() == JobType.EXECUTE)
                    .findFirst()
                    .orElseThrow();
            assertAll(
                    () -> assertThat(chain.sent)
                            .as("workers whose resolution was sent")
                            .extracting(Resolution::workerId)
                            .containsExactly("worker-a", "worker-b"),
                    () -> assertThat(afterB.status())
                            .as("the job once worker-b's resolution was refused")
                            .isEqualTo(JobStatus.FAILED),
                    () -> assertThat(store.resolutions(10))
                            .as("resolutions recorded")
                            .isEqualTo(1),
                    () -> assertThat(execute.status()).isEqualTo(JobStatus.COMPLETED),
                    () -> assertThat(execute.workerId()).isEqualTo("worker-a"),
                    () -> assertThat(execute.attempt())
                            .as("claims of the execute job")
                            .isEqualTo(2),
                    () -> assertThat(execute.errorDetails()).isNull(),
                    () -> assertThat(phases.executedTwiceCount()).isZero());
            // finished: not handed out again
            clock.advance(stale.plusSeconds(1));
            assertThat(store.poll(Duration.ZERO)).isEmpty();
        } finally {
            unstarve.countDown();
            starved.shutdownNow();
        }
    }

    /** A resolution transaction sent on the operator's behalf. */
    record Resolution(String workerId, String method, byte[] argsJson) {}

    /**
     * Signs for every worker but the dying ones (they crash at signing), and accepts what it is sent
     * but the refusing workers' resolutions (the chain's failure in their place) and, as the
     * contract does, a second resolution of a request. A stalled worker's send returns only once
     * the test releases it, after the chain took (or refused) its transaction: the worker's thread
     * starved between the chain's answer and its next step.
     */
    static final class RecordingChannel implements OperatorChannel {
        static final String REFUSAL =
                "{\"ActionError\":{\"index\":0,\"kind\":{\"FunctionCallError\":{\"ExecutionError\":\"Exceeded the prepaid gas.\"}}}}";
        static final String ALREADY_RESOLVED =
                "{\"ActionError\":{\"index\":0,\"kind\":{\"FunctionCallError\":{\"ExecutionError\":\"Smart contract panicked: Execution request not found\"}}}}";
        final Set<String> dying = ConcurrentHashMap.newKeySet();
        final Set<String> refusing = ConcurrentHashMap.newKeySet();
        final Map<String, CountDownLatch> stalled = new ConcurrentHashMap<>();
        final CountDownLatch stalledSendAnswered = new CountDownLatch(1);
        final List<Resolution> sent = new CopyOnWriteArrayList<>();
        final Set<Long> resolved = ConcurrentHashMap.newKeySet();
        private final Map<String, Resolution> signed = new ConcurrentHashMap<>();
        private final AtomicInteger txs = new AtomicInteger();

        @Override
        public SignedCall sign(String workerId, String method, byte[] argsJson) {
            if (dying.contains(workerId)) {
                throw new IllegalStateException(workerId + " died");
            }
            String txHash = "tx-" + txs.incrementAndGet();
            signed.put(txHash, new Resolution(workerId, method, argsJson));
            return new SignedCall(txHash, argsJson);
        }

        @Override
        public Sent send(SignedCall call) {
            Resolution resolution = signed.get(call.txHash());
            sent.add(resolution);
            Sent answer;
            if (refusing.contains(resolution.workerId())) {
                answer = new Sent(call.txHash(), false, REFUSAL);
            } else if (!resolved.add(requestId(resolution))) {
                answer = new Sent(call.txHash(), false, ALREADY_RESOLVED);
            } else {
                answer = new Sent(call.txHash(), true, null);
            }
            CountDownLatch release = stalled.get(resolution.workerId());
            if (release != null) {
                stalledSendAnswered.countDown();
                try {
                    assertThat(release.await(5, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return answer;
        }

        private static long requestId(Resolution resolution) {
            try {
                return JsonCodec.MAPPER
                        .readTree(resolution.argsJson())
                        .path("request_id")
                        .asLong();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The program registry without the request's wasm: every compile fails. */
    static final class NoProgramRunner implements CodeRunner {
        @Override
        public boolean compiled(String checksum) {
            return false;
        }

        @Override
        public void compile(String checksum, CodeSource source) {
            throw new CompileFailed("no program in the registry for wasm hash " + source.hash());
        }

        @Override
        public RunResult run(String checksum, ExecutionTask task, String workerId) {
            throw new AssertionError("nothing was compiled, yet " + workerId + " ran it");
        }
    }

    /** A compiled program whose first run lasts until the test releases it; later runs end at once. */
    static final class SlowFirstRunRunner implements CodeRunner {
        final AtomicInteger runs = new AtomicInteger();
        final CountDownLatch firstRunStarted = new CountDownLatch(1);
        final CountDownLatch releaseFirstRun = new CountDownLatch(1);

        @Override
        public boolean compiled(String checksum) {
            return true;
        }

        @Override
        public void compile(String checksum, CodeSource source) {}

        @Override
        public RunResult run(String checksum, ExecutionTask task, String workerId) throws InterruptedException {
            if (runs.incrementAndGet() == 1) {
                firstRunStarted.countDown();
                releaseFirstRun.await(5, TimeUnit.SECONDS);
            }
            return new RunResult(true, ("ran by " + workerId).getBytes(), null, null, 1000, 1);
        }
    }

    /**
     * The store with one blip of the jobs database: its first heartbeat throws. Every heartbeat that
     * went through releases a permit of {@code beats}.
     */
    static final class BlippingStore extends ForwardingJobStore {
        private final AtomicBoolean blip = new AtomicBoolean(true);
        final CountDownLatch blipped = new CountDownLatch(1);
        final Semaphore beats = new Semaphore(0);

        BlippingStore(JobStore store) {
            super(store);
        }

        @Override
        public boolean heartbeat(JobClaim claim) {
            if (blip.compareAndSet(true, false)) {
                blipped.countDown();
                throw new IllegalStateException("jobs database unreachable");
            }
            boolean live = store.heartbeat(claim);
            if (live) {
                beats.release();
            }
            return live;
        }
    }
}
