package dev.outlayer.bench.targetsystem.executions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertAll;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.executions.ExecutionWorkerTakeoverTest.SlowFirstRunRunner;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The last gap of the take-over, played step by step: worker-a's resolution is accepted by the
 * chain (its transaction ran, the yield's callback reported the execution), and worker-a dies or
 * stalls before it records it. The event monitor reads the callback and records worker-a's
 * resolution, so the job ends as the chain says whichever worker dies when, counted once. Run
 * against each {@link JobStore} (a subclass says how to make one); staleness is judged by a {@link
 * ManualClock}.
 */
@Timeout(20)
public abstract class ResolutionReconciliationTest {
    private static final String CONTRACT = "outlayer.test.near";
    private static final String OPERATOR = "operator.test.near";
    private static final String CHECKSUM = "ab".repeat(32); // EventMonitorTest.event's code source
    private static final Duration STALE = Duration.ofSeconds(30);
    private static final long REQUEST = 10;

    protected final ManualClock clock = new ManualClock(Instant.parse("2026-12-05T23:00:00Z"));
    private final PhaseClock phases = new PhaseClock(new SimpleMeterRegistry(), 100);
    private final SimulatedChain chain = new SimulatedChain();
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
    /** worker-a's heartbeat thread, starved (busy with something else) as its worker thread is. */
    private final ScheduledExecutorService starved = Executors.newSingleThreadScheduledExecutor();

    private final CountDownLatch unstarve = new CountDownLatch(1);
    private final ExecutorService workerThreads = Executors.newCachedThreadPool();
    private final SlowFirstRunRunner runner = new SlowFirstRunRunner();
    private JobStore store;
    private EventMonitor monitor;

    /** A fresh store with no tasks or jobs, judging staleness by {@code clock}. */
    protected abstract JobStore newStore(Duration staleClaimTimeout, ManualClock clock);

    @BeforeEach
    void open() throws Exception {
        store = newStore(STALE, clock);
        store.cacheWasm(CHECKSUM);
        runner.releaseFirstRun.countDown(); // every run ends at once
        starved.execute(() -> {
            try {
                unstarve.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        monitor = new EventMonitor("m", chain, CONTRACT, store, phases);
        chain.request(REQUEST);
        monitor.poll(0); // the request's event: its task is queued
    }

    @AfterEach
    void close() throws Exception {
        unstarve.countDown();
        for (CountDownLatch stall : chain.stalled.values()) {
            stall.countDown();
        }
        workerThreads.shutdownNow();
        starved.shutdownNow();
        heartbeats.shutdownNow();
        monitor.close();
        store.close();
    }

    private ExecutionWorker worker(String id, ScheduledExecutorService beats) {
        return new ExecutionWorker(id, store, runner, chain, phases, beats, Duration.ZERO);
    }

    /**
     * worker-a takes the request and resolves; the chain accepts its resolution and runs the
     * callback, then worker-a's thread (and its heartbeats) stop before it records it: stalled until
     * {@code releaseA}, or dead if killed there.
     */
    private Future<?> workerAResolvesAndStalls(ExecutionWorker a, CountDownLatch releaseA) throws Exception {
        chain.stalled.put("worker-a", releaseA);
        ExecutionTask task = store.poll(Duration.ZERO).orElseThrow();
        Future<?> resolving = workerThreads.submit(() -> {
            a.handle(task);
            return null;
        });
        assertThat(chain.stalledSendAnswered.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(chain.callbacks.get()).as("callbacks the chain ran").isEqualTo(1);
        return resolving;
    }

    /** worker-b takes the job over once worker-a's claim went stale, runs it, and resolves (refused). */
    private void workerBTakesOver() throws Exception {
        clock.advance(STALE.plusSeconds(1));
        ExecutionTask again = store.poll(Duration.ZERO).orElseThrow();
        worker("worker-b", heartbeats).handle(again);
    }

    private Job executeJob() {
        return store.jobs(REQUEST).stream()
                .filter(j -> j.jobType() == JobType.EXECUTE)
                .findFirst()
                .orElseThrow();
    }

    /** The job and the counts as the chain says: worker-a resolved the request, once. */
    private void endsAsTheChainSays(int claims) {
        Job execute = executeJob();
        assertAll(
                () -> assertThat(execute.status()).as("execute job").isEqualTo(JobStatus.COMPLETED),
                () -> assertThat(execute.workerId()).as("its worker").isEqualTo("worker-a"),
                () -> assertThat(execute.errorDetails()).isNull(),
                () -> assertThat(execute.attempt())
                        .as("claims of the execute job")
                        .isEqualTo(claims),
                () -> assertThat(store.resolutions(REQUEST))
                        .as("resolutions recorded")
                        .isEqualTo(1),
                () -> assertThat(phases.executedTwiceCount())
                        .as("executed twice")
                        .isZero(),
                () -> assertThat(store.queueOf(REQUEST, chain.dataId(REQUEST)))
                        .as("the task is finished")
                        .isEmpty());
    }

    @Test
    void theJobOfAWinnerThatDiedBeforeRecordingEndsAsTheChainSaysThoughTheNewOwnerRecordedItsRefusal()
            throws Exception {
        ExecutionWorker a = worker("worker-a", starved);
        Future<?> aResolving = workerAResolvesAndStalls(a, new CountDownLatch(1));

        workerBTakesOver();
        Job afterB = executeJob();
        kill(a, aResolving);

        monitor.poll(0); // the monitor reads the resolutions and the callback

        assertAll(
                () -> assertThat(chain.sent)
                        .as("resolutions sent")
                        .containsExactly("worker-a: accepted", "worker-b: refused"),
                () -> assertThat(afterB.status())
                        .as("the job once worker-b's resolution was refused")
                        .isEqualTo(JobStatus.FAILED),
                () -> assertThat(runner.runs.get()).as("runs").isEqualTo(2));
        endsAsTheChainSays(2);
        assertThat(monitor.health()).containsEntry("resolutions_from_chain", 1L);
        // finished for good: not handed out again after another stale period
        clock.advance(STALE.plusSeconds(1));
        assertThat(store.poll(Duration.ZERO)).isEmpty();
    }

    @Test
    void aWinnerThatDiedBeforeRecordingIsNotTakenOverOnceTheMonitorReadTheCallback() throws Exception {
        ExecutionWorker a = worker("worker-a", starved);
        Future<?> aResolving = workerAResolvesAndStalls(a, new CountDownLatch(1));
        kill(a, aResolving);

        monitor.poll(0);
        clock.advance(STALE.plusSeconds(1));

        assertThat(store.poll(Duration.ZERO))
                .as("the task handed out again for a take-over")
                .isEmpty();
        assertThat(runner.runs.get()).as("runs").isEqualTo(1);
        assertThat(chain.sent).containsExactly("worker-a: accepted");
        endsAsTheChainSays(1);
    }

    /**
     * worker-a was only starved: after the monitor recorded its resolution from the chain (and
     * worker-b's refusal came and went), it comes back and records it itself. Nothing is counted
     * twice and the job keeps worker-a's resolution.
     */
    @Test
    void aStarvedWinnersLateRecordCountsNothingTwice() throws Exception {
        CountDownLatch releaseA = new CountDownLatch(1);
        Future<?> aResolving = workerAResolvesAndStalls(worker("worker-a", starved), releaseA);
        workerBTakesOver();
        monitor.poll(0);
        endsAsTheChainSays(2);

        releaseA.countDown();
        unstarve.countDown();
        aResolving.get(5, TimeUnit.SECONDS);

        endsAsTheChainSays(2);
        assertThat(monitor.health()).containsEntry("resolutions_from_chain", 1L);
    }

    /** The usual order: the winner records before the monitor reads the callback, which then records nothing. */
    @Test
    void aResolutionItsWorkerRecordedIsNotRecordedAgainFromTheChain() throws Exception {
        worker("worker-a", heartbeats).handle(store.poll(Duration.ZERO).orElseThrow());

        monitor.poll(0);

        endsAsTheChainSays(1);
        assertThat(monitor.health()).containsEntry("resolutions_from_chain", 0L);
    }

    /** worker-a dies where it stalled, its thread interrupted: it never records its resolution. */
    private void kill(ExecutionWorker a, Future<?> resolving) throws InterruptedException {
        a.kill();
        resolving.cancel(true);
        assertThat(chain.died.await(5, TimeUnit.SECONDS)).as("worker-a died").isTrue();
    }

    /**
     * The chain as the stand-in's contract runs it, for one operator: a request's event, and for
     * every resolution sent the contract's answer with the receipts it leaves in the feed the event
     * monitor reads. The first resolution of a request is accepted: its receipt logs OutLayer's
     * "Resolving execution" line and the yield's callback runs at once, emitting {@code
     * execution_completed} with the resolution's report; a later one is refused as the contract
     * refuses it (the request is gone), a failed receipt. A stalled worker's send returns only once
     * the test releases it, after the chain ran all of that.
     */
    static final class SimulatedChain implements OperatorChannel, ReceiptSource {
        static final String ALREADY_RESOLVED =
                "{\"ActionError\":{\"index\":0,\"kind\":{\"FunctionCallError\":{\"ExecutionError\":\"Smart contract panicked: Execution request not found\"}}}}";
        final Map<String, CountDownLatch> stalled = new ConcurrentHashMap<>();
        final CountDownLatch stalledSendAnswered = new CountDownLatch(1);
        final CountDownLatch died = new CountDownLatch(1);
        final List<String> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
        final AtomicInteger callbacks = new AtomicInteger();
        private final Set<Long> resolved = ConcurrentHashMap.newKeySet();
        private final Map<String, Signed> signed = new ConcurrentHashMap<>();
        private final EventMonitorTest.ListSource feed = new EventMonitorTest.ListSource();
        private final AtomicInteger txs = new AtomicInteger();

        private record Signed(String workerId, JsonNode args) {}

        /** The contract's execution_completed event, as the bundled contract writes its members. */
        record CompletedEvent(String standard, String version, String event, List<Completed> data) {}

        record Completed(
                @JsonProperty("resources_used") JsonNode resourcesUsed,
                @JsonProperty("success") boolean success,
                @JsonProperty("error_message") String errorMessage,
                @JsonProperty("compilation_note") String compilationNote) {}

        /** A user's request_execution ran: its event is in the feed. */
        synchronized void request(long requestId) throws Exception {
            append(requestTx(requestId), CONTRACT, "alice.test.near", List.of(EventMonitorTest.event(requestId)), true);
        }

        /** The data id EventMonitorTest.event gives the request, in hex. */
        String dataId(long requestId) {
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < 32; i++) {
                hex.append(String.format("%02x", (i + (int) requestId) & 0xff));
            }
            return hex.toString();
        }

        private static String requestTx(long requestId) {
            return "request-tx-" + requestId;
        }

        @Override
        public SignedCall sign(String workerId, String method, byte[] argsJson) {
            String txHash = "tx-" + txs.incrementAndGet();
            try {
                signed.put(txHash, new Signed(workerId, JsonCodec.MAPPER.readTree(argsJson)));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return new SignedCall(txHash, argsJson);
        }

        @Override
        public Sent send(SignedCall call) {
            Signed resolution = signed.get(call.txHash());
            long requestId = resolution.args().path("request_id").asLong();
            Sent answer;
            synchronized (this) {
                if (resolved.add(requestId)) {
                    append(
                            call.txHash(),
                            CONTRACT,
                            OPERATOR,
                            List.of("Resolving execution for request_id: " + requestId + ", data_id: [..]"),
                            true);
                    append(requestTx(requestId), CONTRACT, CONTRACT, List.of(completed(resolution.args())), true);
                    callbacks.incrementAndGet();
                    answer = new Sent(call.txHash(), true, null);
                } else {
                    append(call.txHash(), CONTRACT, OPERATOR, List.of(), false);
                    answer = new Sent(call.txHash(), false, ALREADY_RESOLVED);
                }
            }
            sent.add(resolution.workerId() + ": " + (answer.accepted() ? "accepted" : "refused"));
            CountDownLatch release = stalled.get(resolution.workerId());
            if (release != null) {
                stalledSendAnswered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    died.countDown();
                    throw new IllegalStateException(resolution.workerId() + " died", e);
                }
            }
            return answer;
        }

        private static String completed(JsonNode args) {
            JsonNode response = args.path("response");
            Completed data = new Completed(
                    response.path("resources_used"),
                    response.path("success").asBoolean(false),
                    response.path("error").textValue(),
                    response.path("compilation_note").textValue());
            try {
                return EventMonitor.EVENT_PREFIX
                        + JsonCodec.MAPPER.writeValueAsString(
                                new CompletedEvent("near-outlayer", "1.0.0", "execution_completed", List.of(data)));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private void append(String txHash, String receiver, String predecessor, List<String> logs, boolean success) {
            feed.add(receiver, predecessor, txHash, logs, success);
        }

        @Override
        public Batch after(long cursor, int max, long waitMillis) {
            return feed.after(cursor, max, waitMillis);
        }
    }
}
