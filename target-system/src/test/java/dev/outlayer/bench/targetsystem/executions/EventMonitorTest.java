package dev.outlayer.bench.targetsystem.executions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The event monitor reads OutLayer's execution_requested event and queues each request once, however many monitors see it. */
class EventMonitorTest {
    private static final String CONTRACT = "outlayer.test.near";

    /** The chain as a list of outcomes (the test's side of the port). */
    private static final class ListSource implements ReceiptSource {
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
                    true,
                    PhaseClock.nowMicros()));
        }
    }

    /** The bundled contract's event for a request (the shape OutlayerContractTest pins). */
    static String event(long requestId) throws Exception {
        return event(requestId, "");
    }

    /** The same with {@code extra} members at the end of its request data. */
    static String event(long requestId, String extra) throws Exception {
        String requestData = "{\"request_id\":" + requestId + ",\"sender_id\":\"alice.test.near\","
                + "\"predecessor_id\":\"alice.test.near\",\"code_source\":{\"WasmUrl\":{\"url\":\"https://x/e.wasm\","
                + "\"hash\":\"" + "ab".repeat(32) + "\",\"build_target\":null}},\"resource_limits\":"
                + "{\"max_instructions\":1000,\"max_memory_mb\":null,\"max_execution_seconds\":5},\"input_data\":\"hi\","
                + "\"input_data_in_state\":false,\"secrets_ref\":{\"profile\":\"default\",\"account_id\":\"alice.test.near\"},"
                + "\"response_format\":\"Text\",\"payment\":\"10000\",\"attached_usd\":\"0\",\"timestamp\":5" + extra
                + "}";
        String dataId = IntStream.range(0, 32)
                .mapToObj(i -> Integer.toString(i + (int) requestId))
                .collect(Collectors.joining(","));
        return "EVENT_JSON:{\"standard\":\"near-outlayer\",\"version\":\"1.0.0\",\"event\":\"execution_requested\","
                + "\"data\":[{\"request_data\":" + JsonCodec.MAPPER.writeValueAsString(requestData) + ",\"data_id\":["
                + dataId + "],\"timestamp\":5}]}";
    }

    @Test
    void theEventBecomesATaskWithOutLayersFields() throws Exception {
        ListSource chain = new ListSource();
        InMemoryJobStore store = new InMemoryJobStore(Duration.ofSeconds(30));
        PhaseClock phases = new PhaseClock(new SimpleMeterRegistry(), 100);
        EventMonitor monitor = new EventMonitor("m", chain, CONTRACT, store, phases);
        chain.add(CONTRACT, "alice.test.near", "tx1", List.of("a plain log", event(4)));
        chain.add("other.test.near", "alice.test.near", "tx2", List.of(event(5)));
        monitor.poll(0);

        ExecutionTask task = store.poll(Duration.ZERO).orElseThrow();
        assertThat(store.poll(Duration.ZERO))
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
        assertThat(phases.view(4).orElseThrow().phasesMs()).containsKeys("event_seen", "job_created");
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
        ListSource chain = new ListSource();
        InMemoryJobStore store = new InMemoryJobStore(Duration.ofSeconds(30));
        PhaseClock phases = new PhaseClock(new SimpleMeterRegistry(), 100);
        EventMonitor monitor = new EventMonitor("m", chain, CONTRACT, store, phases);
        chain.add(CONTRACT, "alice.test.near", "tx1", List.of(event(1)));
        chain.add(CONTRACT, "alice.test.near", "tx2", List.of(event(2)));
        chain.add(
                CONTRACT,
                CONTRACT,
                "tx1",
                List.of(
                        "EVENT_JSON:{\"standard\":\"near-outlayer\",\"version\":\"1.0.0\",\"event\":\"execution_completed\","
                                + "\"data\":[{\"success\":false}]}"));
        chain.add(CONTRACT, CONTRACT, "tx2", List.of());
        monitor.poll(0);
        assertThat(phases.view(1).orElseThrow().status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(phases.view(2).orElseThrow().status()).isEqualTo(ExecutionStatus.RESOLVED);
        assertThat(phases.view(2).orElseThrow().phasesMs()).containsKey("callback_done");
        assertThat(phases.view(3)).isEmpty();
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
}
