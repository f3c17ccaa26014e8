package dev.outlayer.bench.targetsystem.executions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.errors.TransientFailure;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.testing.HangGuard;
import dev.outlayer.bench.targetsystem.timing.RetryPause;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/** The event monitor reads OutLayer's execution_requested event and queues each request once, however many monitors see it. */
class EventMonitorTest {
    private static final String CONTRACT = "outlayer.test.near";

    /** How a store that is restarting fails: transiently (PostgresDatabase.UnavailableException is one). */
    private static final class StoreDown extends RuntimeException implements TransientFailure {
        StoreDown() {
            super("the database is restarting");
        }
    }

    /** A monitor following a chain of its own into an in-memory store. */
    private static final class Watched {
        final ListSource chain = new ListSource();
        final InMemoryJobStore store = new InMemoryJobStore(Duration.ofSeconds(30));
        final PhaseClock phases = new PhaseClock(new SimpleMeterRegistry(), 100);
        final EventMonitor monitor = new EventMonitor("m", chain, CONTRACT, store, phases);
    }

    /** The chain as a list of outcomes (the test's side of the port). */
    static final class ListSource implements ReceiptSource {
        final List<ReceiptOutcome> outcomes = new ArrayList<>();

        @Override
        public synchronized Batch after(long cursor, int max, long waitMillis) {
            return new Batch(
                    outcomes.stream()
                            .filter(o -> o.cursor() > cursor)
                            .limit(max)
                            .toList(),
                    0);
        }

        synchronized void add(String receiver, String predecessor, String tx, List<String> logs) {
            add(receiver, predecessor, tx, logs, true);
        }

        /** A receipt's outcome, failed unless {@code success}. */
        synchronized void add(String receiver, String predecessor, String tx, List<String> logs, boolean success) {
            outcomes.add(new ReceiptOutcome(
                    outcomes.size() + 1,
                    tx,
                    "r" + outcomes.size(),
                    receiver,
                    predecessor,
                    "ed25519:x",
                    7,
                    10,
                    logs,
                    success,
                    PhaseClock.nowMicros()));
        }
    }

    /** The bundled contract's event for a request (the shape OutlayerContractTest pins). */
    static String event(long requestId) throws Exception {
        return event(requestId, "");
    }

    /** The same with {@code extra} members at the end of its request data. */
    static String event(long requestId, String extra) throws Exception {
        String dataId = IntStream.range(0, 32)
                .mapToObj(i -> Integer.toString(i + (int) requestId))
                .collect(Collectors.joining(","));
        return requested(requestData(requestId) + extra + "}", "\"data_id\":[" + dataId + "],\"timestamp\":5");
    }

    /** The bundled contract's request data for a request, without its closing brace. */
    private static String requestData(long requestId) {
        return "{\"request_id\":" + requestId + ",\"sender_id\":\"alice.test.near\","
                + "\"predecessor_id\":\"alice.test.near\",\"code_source\":{\"WasmUrl\":{\"url\":\"https://x/e.wasm\","
                + "\"hash\":\"" + "ab".repeat(32) + "\",\"build_target\":null}},\"resource_limits\":"
                + "{\"max_instructions\":1000,\"max_memory_mb\":null,\"max_execution_seconds\":5},\"input_data\":\"hi\","
                + "\"input_data_in_state\":false,\"secrets_ref\":{\"profile\":\"default\",\"account_id\":\"alice.test.near\"},"
                + "\"response_format\":\"Text\",\"payment\":\"10000\",\"attached_usd\":\"0\",\"timestamp\":5";
    }

    /** An execution_requested log with {@code requestData} (as its string) and the data's other members. */
    private static String requested(String requestData, String dataMembers) throws Exception {
        return "EVENT_JSON:{\"standard\":\"near-outlayer\",\"version\":\"1.0.0\",\"event\":\"execution_requested\","
                + "\"data\":[{\"request_data\":" + JsonCodec.MAPPER.writeValueAsString(requestData) + ","
                + dataMembers + "}]}";
    }

    @Test
    void theEventBecomesATaskWithOutLayersFields() throws Exception {
        Watched w = new Watched();
        w.chain.add(CONTRACT, "alice.test.near", "tx1", List.of("a plain log", event(4)));
        w.chain.add("other.test.near", "alice.test.near", "tx2", List.of(event(5)));
        w.monitor.poll(0);

        ExecutionTask task = w.store.poll(Duration.ZERO).orElseThrow();
        assertThat(w.store.poll(Duration.ZERO))
                .as("an event of another account is not ours")
                .isEmpty();
        assertThat(task.requestId()).isEqualTo(4);
        assertThat(task.dataId()).hasSize(64).startsWith("0405060708");
        assertThat(task.codeSource().type()).isEqualTo("WasmUrl");
        assertThat(task.codeSource().wasmChecksum()).isEqualTo("ab".repeat(32));
        assertThat(task.codeSource().buildTarget()).isEqualTo("wasm32-wasi");
        assertThat(task.resourceLimits()).isEqualTo(new ResourceLimits(1000, 128, 5));
        assertThat(task.inputData()).isEqualTo("hi");
        assertThat(task.secretsRef()).isEqualTo(new SecretsReference("default", "alice.test.near"));
        assertThat(task.userAccountId()).isEqualTo("alice.test.near");
        assertThat(task.nearPaymentYocto()).isEqualTo("10000");
        assertThat(task.transactionHash()).isEqualTo("tx1");
        assertThat(task.context().path("block_height").asLong()).isEqualTo(7);
        assertThat(w.phases.view(4).orElseThrow().phasesMs()).containsKeys("event_seen", "job_created");
    }

    @Test
    void theRequestsParametersReachTheTaskAsOutLayersExecutionRequestCarriesThem() throws Exception {
        ListSource chain = new ListSource();
        InMemoryJobStore store = new InMemoryJobStore(Duration.ofSeconds(30));
        EventMonitor monitor =
                new EventMonitor("m", chain, CONTRACT, store, new PhaseClock(new SimpleMeterRegistry(), 100));
        chain.add(
                CONTRACT,
                "alice.test.near",
                "tx1",
                List.of(event(6, ",\"compile_only\":true,\"force_rebuild\":true,\"store_on_fastfs\":true")));
        chain.add(CONTRACT, "alice.test.near", "tx2", List.of(event(7)));
        monitor.poll(0);

        ExecutionTask compileOnly = store.poll(Duration.ZERO).orElseThrow();
        assertThat(compileOnly.compileOnly()).isTrue();
        assertThat(compileOnly.forceRebuild()).isTrue();
        assertThat(compileOnly.storeOnFastfs()).isTrue();
        JsonNode json = JsonCodec.MAPPER.valueToTree(compileOnly);
        assertThat(json.path("compile_only").asBoolean()).isTrue();
        assertThat(json.path("force_rebuild").asBoolean()).isTrue();
        ExecutionTask plain = store.poll(Duration.ZERO).orElseThrow();
        assertThat(plain.compileOnly() || plain.forceRebuild() || plain.storeOnFastfs())
                .isFalse();
    }

    @Test
    void twoMonitorsOverOneChainQueueEachRequestOnce() throws Exception {
        ListSource chain = new ListSource();
        InMemoryJobStore store = new InMemoryJobStore(Duration.ofSeconds(30));
        EventMonitor first =
                new EventMonitor("a", chain, CONTRACT, store, new PhaseClock(new SimpleMeterRegistry(), 100));
        EventMonitor second =
                new EventMonitor("b", chain, CONTRACT, store, new PhaseClock(new SimpleMeterRegistry(), 100));
        for (long id = 0; id < 20; id++) {
            chain.add(CONTRACT, "alice.test.near", "tx" + id, List.of(event(id)));
        }
        first.start();
        second.start();
        try {
            List<Long> polled = new ArrayList<>();
            while (polled.size() < 20) {
                polled.add(store.poll(Duration.ofSeconds(10)).orElseThrow().requestId());
            }
            assertThat(polled).doesNotHaveDuplicates().hasSize(20);
            assertThat(store.poll(Duration.ofMillis(300))).isEmpty();
            assertThat((long) first.health().get("events_seen")
                            + (long) second.health().get("events_seen"))
                    .isEqualTo(40);
        } finally {
            first.close();
            second.close();
        }
    }

    @Test
    void theCallbackFinishesTheRequestWithItsExecutionOutcome() throws Exception {
        Watched w = new Watched();
        w.chain.add(CONTRACT, "alice.test.near", "tx1", List.of(event(1)));
        w.chain.add(CONTRACT, "alice.test.near", "tx2", List.of(event(2)));
        w.chain.add(CONTRACT, CONTRACT, "tx1", List.of(completed(RAN + "\"success\":false}")));
        w.chain.add(CONTRACT, CONTRACT, "tx2", List.of(completed(RAN + "\"success\":true}")));
        w.monitor.poll(0);
        assertThat(w.phases.view(1).orElseThrow().status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(w.phases.view(2).orElseThrow().status()).isEqualTo(ExecutionStatus.RESOLVED);
        assertThat(w.phases.view(2).orElseThrow().phasesMs()).containsKey("callback_done");
        assertThat(w.phases.view(3)).isEmpty();
    }

    @Test
    void aMalformedEventIsSkippedAndTheMonitorGoesOn() throws Exception {
        ListSource chain = new ListSource();
        InMemoryJobStore store = new InMemoryJobStore(Duration.ofSeconds(30));
        EventMonitor monitor =
                new EventMonitor("m", chain, CONTRACT, store, new PhaseClock(new SimpleMeterRegistry(), 100));
        chain.add(
                CONTRACT,
                "alice.test.near",
                "tx1",
                List.of(
                        "EVENT_JSON:{not json",
                        "EVENT_JSON:{\"standard\":\"near-outlayer\",\"event\":\"execution_requested\",\"data\":[{\"request_data\":\"{}\"}]}"));
        chain.add(CONTRACT, "alice.test.near", "tx2", List.of(event(9)));
        monitor.poll(0);
        assertThat(store.poll(Duration.ZERO).map(ExecutionTask::requestId)).contains(9L);
        assertThat(store.poll(Duration.ZERO)).isEmpty();
    }

    /** The monitor's warnings, captured while {@code run} runs. */
    private static List<String> warnings(ThrowingRunnable run) throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(EventMonitor.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            run.run();
        } finally {
            logger.detachAppender(appender);
        }
        return appender.list.stream()
                .filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /**
     * Request data whose member OutLayer's worker requires (RequestData, ExecutionRequestedEvent at out-layer/outlayer
     * b65db3a event_monitor.rs) is missing or of another type: the event is unreadable, logged and skipped, and the
     * request after it is queued. The hand walk (JsonNode.path with defaults) read each as a default (no payment, request 0, the default
     * limits, false, 0) and queued it.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "payment missing|\"payment\":\"10000\",|",
                "request_id a string|\"request_id\":4,|\"request_id\":\"4\",",
                "resource_limits missing|\"resource_limits\":{\"max_instructions\":1000,\"max_memory_mb\":null,\"max_execution_seconds\":5},|",
                "a limit a string|\"max_memory_mb\":null|\"max_memory_mb\":\"lots\"",
                "sender_id a number|\"sender_id\":\"alice.test.near\"|\"sender_id\":7",
                "response_format no variant|\"response_format\":\"Text\"|\"response_format\":\"Html\"",
                "secrets_ref without account_id|,\"account_id\":\"alice.test.near\"}|}",
                "compile_only a string|\"input_data_in_state\":false|\"input_data_in_state\":false,\"compile_only\":\"yes\"",
                "code_source repo-less GitHub|{\"WasmUrl\":{\"url\":\"https://x/e.wasm\",|{\"GitHub\":{\"commit\":\"c\",\"url\":\"u\",",
            })
    void aRequestMissingARequiredMemberOrMistypedIsLoggedAndSkippedAndTheNextIsQueued(
            String why, String member, String replacement) throws Exception {
        String bad = requestData(4).replace(member, replacement == null ? "" : replacement) + "}";
        assertThat(bad).as(why).isNotEqualTo(requestData(4) + "}");
        assertSkippedAndNextQueued(requested(bad, "\"data_id\":[" + ONES + "],\"timestamp\":5"));
    }

    /** The same for the event's own data (ExecutionRequestedEvent: request_data, data_id, timestamp all required). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "timestamp missing|\"data_id\":[" + ONES + "]",
                "timestamp a string|\"data_id\":[" + ONES + "],\"timestamp\":\"5\"",
                "data_id of strings|\"data_id\":[" + QUOTED_ONES + "],\"timestamp\":5",
            })
    void anEventMissingARequiredMemberOrMistypedIsLoggedAndSkippedAndTheNextIsQueued(String why, String members)
            throws Exception {
        assertSkippedAndNextQueued(requested(requestData(4) + "}", members));
    }

    private static final String ONES = "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1";
    private static final String QUOTED_ONES = "\"1\",\"1\",\"1\",\"1\",\"1\",\"1\",\"1\",\"1\",\"1\",\"1\",\"1\","
            + "\"1\",\"1\",\"1\",\"1\",\"1\",\"1\",\"1\",\"1\",\"1\",\"1\",\"1\",\"1\",\"1\",\"1\",\"1\",\"1\","
            + "\"1\",\"1\",\"1\",\"1\",\"1\"";

    private static void assertSkippedAndNextQueued(String malformed) throws Exception {
        Watched w = new Watched();
        w.chain.add(CONTRACT, "alice.test.near", "tx1", List.of(malformed));
        w.chain.add(CONTRACT, "alice.test.near", "tx2", List.of(event(9)));
        List<String> warned = warnings(() -> w.monitor.poll(0));
        assertThat(w.store.poll(Duration.ZERO).map(ExecutionTask::requestId)).contains(9L);
        assertThat(w.store.poll(Duration.ZERO)).isEmpty();
        assertThat(warned)
                .singleElement()
                .asString()
                .contains("an execution_requested event in receipt r0 does not parse, skipped");
        assertThat(w.monitor.health()).containsEntry("events_seen", 1L).containsEntry("cursor", 2L);
    }

    /**
     * A TopUpPaymentKey or DeletePaymentKey whose nonce (a u32, required) is missing, a string or beyond a u32 is
     * logged and skipped (the hand walk read 0, 7 or the long itself), and the system_event after it is handled.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "TopUpPaymentKey|,\"amount\":\"0\",\"encrypted_data\":\"blob\"",
                "TopUpPaymentKey|\"nonce\":\"7\",\"amount\":\"0\",\"encrypted_data\":\"blob\"",
                "DeletePaymentKey|\"nonce\":4294967296",
            })
    void aPaymentKeyEventWithABadNonceIsLoggedAndSkippedAndTheNextIsHandled(String variant, String members)
            throws Exception {
        Watched w = new Watched();
        InMemorySystemCallbacks queue = new InMemorySystemCallbacks();
        w.monitor.withSystemCallbacks(queue);
        w.chain.add(CONTRACT, "alice.test.near", "tx1", List.of(systemEvent(variant, members)));
        w.chain.add(CONTRACT, "alice.test.near", "tx2", List.of(systemEvent("DeletePaymentKey", "\"nonce\":8")));
        List<String> warned = warnings(() -> w.monitor.poll(0));

        SystemCallbacks.Task task = queue.poll().orElseThrow();
        assertThat(task.taskType()).isEqualTo(SystemCallbacks.Task.DELETE_PAYMENT_KEY);
        assertThat(task.nonce()).isEqualTo(8L);
        assertThat(queue.poll()).isEmpty();
        assertThat(warned).singleElement().asString().contains("a system_event in receipt r0 does not parse, skipped");
        assertThat(w.monitor.health()).containsEntry("events_seen", 1L).containsEntry("cursor", 2L);
    }

    /** A payment key's system_event with data_id, owner and {@code members} (the members after the owner). */
    private static String systemEvent(String variant, String members) {
        String comma = members.startsWith(",") ? "" : ",";
        return "EVENT_JSON:{\"standard\":\"near-outlayer\",\"version\":\"1.0.0\",\"event\":\"system_event\","
                + "\"data\":[{\"" + variant + "\":{\"data_id\":[" + ONES + "],\"owner\":\"alice.test.near\"" + comma
                + members + "}}]}";
    }

    /**
     * A callback whose execution_completed does not bind (success a string) is taken as one without a resolution,
     * logged: the hand walk read "true" as true and the request as resolved.
     */
    @Test
    void anExecutionCompletedThatDoesNotParseIsLoggedAndResolvesNothing() throws Exception {
        Watched w = new Watched();
        w.chain.add(CONTRACT, "alice.test.near", "tx1", List.of(event(1)));
        w.chain.add(CONTRACT, CONTRACT, "tx1", List.of(completed(RAN + "\"success\":\"true\"}")));
        List<String> warned = warnings(() -> w.monitor.poll(0));
        assertThat(w.phases.view(1).orElseThrow().status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(warned)
                .singleElement()
                .asString()
                .contains("an execution_completed event in receipt r1 does not parse, skipped");
    }

    /** The start of an execution_completed's data: the run's resources_used (required, as the contract writes it). */
    private static final String RAN =
            "{\"resources_used\":{\"instructions\":1,\"time_ms\":1,\"compile_time_ms\":null},";

    /** The callback's {@code execution_completed} log with {@code data} (one JSON object). */
    private static String completed(String data) {
        return "EVENT_JSON:{\"standard\":\"near-outlayer\",\"version\":\"1.0.0\",\"event\":\"execution_completed\","
                + "\"data\":[" + data + "]}";
    }

    /** The hex data id {@link #event} gives a request. */
    private static String dataId(long requestId) {
        return IntStream.range(0, 32)
                .mapToObj(i -> String.format("%02x", (i + (int) requestId) & 0xff))
                .collect(Collectors.joining());
    }

    private static String resolving(long requestId) {
        return "Resolving execution for request_id: " + requestId + ", data_id: [..], success: false";
    }

    @Test
    void aFailedRunReadFromTheCallbackEndsTheJobAndAResolutionAcceptedAfterItIsCountedOnly() throws Exception {
        Watched w = new Watched();
        w.chain.add(CONTRACT, "alice.test.near", "tx6", List.of(event(6)));
        w.monitor.poll(0);
        w.store
                .claim(new ClaimRequest(6, dataId(6), JobType.EXECUTE, "w1", "ab".repeat(32)))
                .orElseThrow();
        // both workers of this coordinator resolved and died before recording; nearcore took both resumes
        w.phases.resolveTxSent(6, "rtx-1", "w1");
        w.phases.resolveTxSent(6, "rtx-2", "w2");
        w.chain.add(CONTRACT, "operator.test.near", "rtx-1", List.of(resolving(6)));
        w.chain.add(CONTRACT, "operator.test.near", "rtx-2", List.of(resolving(6)));
        w.chain.add(
                CONTRACT,
                CONTRACT,
                "tx6",
                List.of(completed("{\"resources_used\":{\"instructions\":0,\"time_ms\":4,\"compile_time_ms\":null},"
                        + "\"success\":false,\"error_message\":\"Compilation failed: no such crate\","
                        + "\"compilation_note\":\"Compilation failed\"}")));

        w.monitor.poll(0);

        Job job = w.store.jobs(6).get(0);
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.workerId())
                .as("the worker whose resume reached the callback")
                .isEqualTo("w1");
        assertThat(job.errorCategory()).isEqualTo("compilation_failed");
        assertThat(job.errorDetails()).isEqualTo("Compilation failed: no such crate");
        assertThat(job.timeMs()).isEqualTo(4L);
        assertThat(w.store.resolutions(6)).as("accepted resolutions").isEqualTo(2);
        assertThat(w.phases.executedTwiceCount()).isEqualTo(1);
        assertThat(w.monitor.health()).containsEntry("resolutions_from_chain", 2L);
    }

    @Test
    void aCallbackWithoutExecutionCompletedRecordsNoResolutionNorAnotherCoordinatorsOne() throws Exception {
        Watched w = new Watched();
        w.chain.add(CONTRACT, "alice.test.near", "tx7", List.of(event(7)));
        w.chain.add(CONTRACT, "alice.test.near", "tx8", List.of(event(8)));
        w.phases.resolveTxSent(7, "rtx-7", "w1");
        w.chain.add(CONTRACT, "operator.test.near", "rtx-7", List.of(resolving(7)));
        // the yield of request 7 timed out; request 8 was resolved by another coordinator's worker
        w.chain.add(CONTRACT, CONTRACT, "tx7", List.of("Execution promise failed: Failed. Refunded 9 yoctoNEAR"));
        w.chain.add(CONTRACT, "operator.test.near", "rtx-8", List.of(resolving(8)));
        w.chain.add(CONTRACT, CONTRACT, "tx8", List.of(completed(RAN + "\"success\":true}")));

        w.monitor.poll(0);

        assertThat(w.store.resolutions(7)).isZero();
        assertThat(w.store.resolutions(8)).isZero();
        assertThat(w.monitor.health()).containsEntry("resolutions_from_chain", 0L);
        assertThat(w.phases.view(7).orElseThrow().status())
                .as("a yield that timed out was refunded, not resolved")
                .isEqualTo(ExecutionStatus.FAILED);
        assertThat(w.phases.view(8).orElseThrow().status()).isEqualTo(ExecutionStatus.RESOLVED);
    }

    @Test
    void aStoreThatFailsIsTriedAgainAfterGrowingPausesAndNothingIsLost() throws Exception {
        ListSource chain = new ListSource();
        InMemoryJobStore jobs = new InMemoryJobStore(Duration.ofSeconds(30));
        AtomicInteger attempts = new AtomicInteger();
        AtomicBoolean down = new AtomicBoolean(true);
        JobStore failing = new ForwardingJobStore(jobs) {
            @Override
            public boolean enqueue(ExecutionTask task) {
                attempts.incrementAndGet();
                if (down.get()) {
                    throw new StoreDown();
                }
                return super.enqueue(task);
            }
        };
        EventMonitor monitor =
                new EventMonitor("m", chain, CONTRACT, failing, new PhaseClock(new SimpleMeterRegistry(), 100));
        chain.add(CONTRACT, "alice.test.near", "tx1", List.of(event(1)));
        monitor.start();
        try {
            HangGuard.until(() -> attempts.get() >= 3);
            Thread.sleep(1_000);
            // pauses of 100, 200, 400, 800 ms...: a handful of tries in the first second and a half, where a
            // loop without them makes thousands (a busy machine makes fewer, never more)
            assertThat(attempts.get()).as("tries while the store is down").isLessThan(10);
            assertThat((int) monitor.health().get("failures_in_a_row"))
                    .as("a stalled monitor shows in /health")
                    .isGreaterThanOrEqualTo(3);
            assertThat(monitor.health()).containsEntry("cursor", 0L);
            down.set(false);
            HangGuard.until(() -> jobs.poll(Duration.ZERO).isPresent());
            HangGuard.until(() -> (int) monitor.health().get("failures_in_a_row") == 0);
        } finally {
            monitor.close();
        }
        assertThat(RetryPause.millis(1)).isEqualTo(100);
        assertThat(RetryPause.millis(3)).isEqualTo(400);
        assertThat(RetryPause.millis(40)).isEqualTo(5_000);
    }

    @Test
    void aReceiptTheStoreRefusesForGoodIsGivenUpAfterAFewTriesAndTheRequestsAfterItStillRun() throws Exception {
        ListSource chain = new ListSource();
        InMemoryJobStore jobs = new InMemoryJobStore(Duration.ofSeconds(30));
        AtomicInteger refusals = new AtomicInteger();
        JobStore refusing = new ForwardingJobStore(jobs) {
            @Override
            public boolean enqueue(ExecutionTask task) {
                if (task.requestId() == 1) {
                    refusals.incrementAndGet();
                    // not transient: what PostgreSQL answers a value it cannot keep, every time
                    throw new IllegalArgumentException("the store refuses this task");
                }
                return super.enqueue(task);
            }
        };
        EventMonitor monitor =
                new EventMonitor("m", chain, CONTRACT, refusing, new PhaseClock(new SimpleMeterRegistry(), 100));
        chain.add(CONTRACT, "alice.test.near", "tx1", List.of(event(1)));
        chain.add(CONTRACT, "alice.test.near", "tx2", List.of(event(2)));
        monitor.start();
        try {
            HangGuard.until(() ->
                    jobs.poll(Duration.ZERO).map(task -> task.requestId() == 2).orElse(false));
            assertThat(refusals.get()).isEqualTo(EventMonitor.REFUSALS_BEFORE_SKIPPING);
            assertThat(monitor.health()).containsEntry("skipped", 1L).containsEntry("failures_in_a_row", 0);
            assertThat(jobs.poll(Duration.ZERO))
                    .as("the refused request has no task")
                    .isEmpty();
        } finally {
            monitor.close();
        }
    }

    @Test
    void aCallbackWhoseResolutionCannotBeRecordedYetIsHandedInAgainUntilItIs() throws Exception {
        ListSource chain = new ListSource();
        InMemoryJobStore jobs = new InMemoryJobStore(Duration.ofSeconds(30));
        AtomicBoolean down = new AtomicBoolean(false);
        JobStore store = new ForwardingJobStore(jobs) {
            @Override
            public AcceptedResolution.Recorded recordResolution(AcceptedResolution resolution) {
                if (down.get()) {
                    throw new StoreDown();
                }
                return super.recordResolution(resolution);
            }
        };
        PhaseClock phases = new PhaseClock(new SimpleMeterRegistry(), 100);
        EventMonitor monitor = new EventMonitor("m", chain, CONTRACT, store, phases);
        chain.add(CONTRACT, "alice.test.near", "tx6", List.of(event(6)));
        monitor.poll(0);
        jobs.claim(new ClaimRequest(6, dataId(6), JobType.EXECUTE, "w1", "ab".repeat(32)))
                .orElseThrow();
        // the worker resolved and died before recording it; the store is down when the callback is read
        phases.resolveTxSent(6, "rtx-1", "w1");
        chain.add(CONTRACT, "operator.test.near", "rtx-1", List.of(resolving(6)));
        chain.add(
                CONTRACT,
                CONTRACT,
                "tx6",
                List.of(completed("{\"resources_used\":{\"instructions\":12,\"time_ms\":3},\"success\":true}")));
        down.set(true);

        assertThatThrownBy(() -> monitor.poll(0))
                .as("the failure reaches the monitor's loop, which keeps its cursor on the callback")
                .hasMessageContaining("restarting");
        assertThat(jobs.jobs(6).get(0).status()).isEqualTo(JobStatus.IN_PROGRESS);
        assertThatThrownBy(() -> monitor.poll(0)).hasMessageContaining("restarting");

        down.set(false);
        monitor.poll(0);

        Job job = jobs.jobs(6).get(0);
        assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(job.workerId()).isEqualTo("w1");
        assertThat(jobs.resolutions(6)).isEqualTo(1);
        assertThat(monitor.health()).containsEntry("resolutions_from_chain", 1L).containsEntry("cursor", 3L);
        assertThat(phases.view(6).orElseThrow().status()).isEqualTo(ExecutionStatus.RESOLVED);
        assertThat(phases.executedTwiceCount()).isZero();
    }

    @Test
    void aSystemEventWhoseTaskCannotBeStoredYetIsHandedInAgainUntilItIs() throws Exception {
        ListSource chain = new ListSource();
        InMemorySystemCallbacks queue = new InMemorySystemCallbacks();
        AtomicBoolean down = new AtomicBoolean(true);
        SystemCallbacks callbacks = new SystemCallbacks() {
            @Override
            public Created create(String identity, LongFunction<Task> task) {
                if (down.get()) {
                    throw new StoreDown();
                }
                return queue.create(identity, task);
            }

            @Override
            public Optional<Task> poll() {
                return queue.poll();
            }

            @Override
            public Optional<Task> poll(Duration wait) throws InterruptedException {
                return queue.poll(wait);
            }

            @Override
            public int queued() {
                return queue.queued();
            }
        };
        EventMonitor monitor = new EventMonitor(
                        "m",
                        chain,
                        CONTRACT,
                        new InMemoryJobStore(Duration.ofSeconds(30)),
                        new PhaseClock(new SimpleMeterRegistry(), 100))
                .withSystemCallbacks(callbacks);
        String zeros = IntStream.range(0, 32).mapToObj(i -> "0").collect(Collectors.joining(","));
        chain.add(
                CONTRACT,
                "alice.test.near",
                "tx1",
                List.of("EVENT_JSON:{\"standard\":\"near-outlayer\",\"version\":\"1.0.0\",\"event\":\"system_event\","
                        + "\"data\":[{\"TopUpPaymentKey\":{\"data_id\":[" + zeros + "],\"owner\":\"alice.test.near\","
                        + "\"nonce\":7,\"amount\":\"0\",\"encrypted_data\":\"blob\"}}]}"));

        assertThatThrownBy(() -> monitor.poll(0)).hasMessageContaining("restarting");
        assertThat(monitor.health()).containsEntry("events_seen", 0L).containsEntry("cursor", 0L);

        down.set(false);
        monitor.poll(0);

        SystemCallbacks.Task task = queue.poll().orElseThrow();
        assertThat(task.taskType()).isEqualTo(SystemCallbacks.Task.TOP_UP);
        assertThat(task.owner()).isEqualTo("alice.test.near");
        assertThat(task.nonce()).isEqualTo(7L);
        assertThat(queue.poll()).isEmpty();
        assertThat(monitor.health()).containsEntry("events_seen", 1L).containsEntry("cursor", 1L);
    }
}
