package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OutLayer's execution lifecycle end to end in the embedded stand-in: a user signs
 * request_execution and sends it with send_tx; the coordinator's event monitor sees the event,
 * a worker claims, compiles (or takes the cache), runs the bundled echo_json WASI program and
 * resolves with the operator's signed transaction; the contract's callback returns the output
 * to the user's transaction. Every phase is on the phase API and in /metrics.
 */
class ExecutionLifecycleTest {
    private static LifecycleClient client;
    private static String echo;

    @BeforeAll
    static void start() throws Exception {
        client = new LifecycleClient(LifecycleClient.fastBlocks(2));
        echo = client.upload("echo_json");
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    private static String requestExecution(String input) throws Exception {
        return client.requestExecution(echo, input, 10);
    }

    private static JsonNode finalOutcome(String tx) throws Exception {
        return client.finalOutcome(tx);
    }

    private static long requestIdOf(JsonNode outcome) throws Exception {
        return client.requestIdOf(outcome);
    }

    private static JsonNode resolvedView(long requestId) throws Exception {
        return client.resolvedView(requestId);
    }

    @Test
    void aSignedRequestIsExecutedByAWorkerAndItsOutputReturnedToTheUser() throws Exception {
        String tx = requestExecution("{\"answer\":42}");
        JsonNode outcome = finalOutcome(tx);

        String value = new String(
                Base64.getDecoder()
                        .decode(outcome.path("status").path("SuccessValue").asText()),
                StandardCharsets.UTF_8);
        JsonNode output = JsonCodec.MAPPER.readTree(value);
        assertThat(output.path("program").asText()).isEqualTo("echo_json");
        assertThat(output.path("input").path("answer").asInt()).isEqualTo(42);
        assertThat(output.path("sender").asText()).isEqualTo(client.user.signerId());

        long requestId = requestIdOf(outcome);
        JsonNode view = resolvedView(requestId);
        assertThat(view.path("status").asText()).isEqualTo("resolved");
        assertThat(view.path("request_id").asLong()).isEqualTo(requestId);
        assertThat(view.path("worker_id").asText()).startsWith("coordinator-worker-");
        assertThat(view.path("compile_cache").asText()).isIn("hit", "miss");
        List<String> phases =
                List.of("event_seen", "job_created", "claimed", "compile", "execute", "resolve_tx", "callback_done");
        for (String phase : phases) {
            assertThat(view.path("phases_ms").has(phase))
                    .as("phase %s in %s", phase, view)
                    .isTrue();
            assertThat(view.path("phases_ms").path(phase).asDouble()).isGreaterThanOrEqualTo(0);
        }
        List<String> moments = List.of(
                "tx_included",
                "event_seen",
                "job_created",
                "claimed",
                "compile_done",
                "execute_done",
                "resolve_tx_included",
                "callback_done");
        long previous = 0;
        for (String moment : moments) {
            long at = view.path("timestamps_us").path(moment).asLong();
            assertThat(at).as("%s in %s", moment, view).isGreaterThanOrEqualTo(previous);
            previous = at;
        }
        assertThat(client.system.executions().store().resolutions(requestId)).isEqualTo(1);
        System.out.printf("lifecycle phases of request %d (ms): %s%n", requestId, view.path("phases_ms"));
    }

    /**
     * The user's transaction returns the program's Json output as OutLayer's worker writes it into its resolution
     * (serde_json without preserve_order, worker/Cargo.toml: members sorted by key, a member given twice its last
     * value, ryu's numbers, serde's escapes), which the contract keeps in that order (its serde_json has
     * preserve_order): not the program's own text. echo_json writes its members as program, input_bytes, sender,
     * input, and the input as the contract holds it.
     */
    @Test
    void theOutputIsReturnedAsOutLayersWorkerWritesIt() throws Exception {
        String input = "{\"z\":[1e-7,2e3,1.50],\"m\":1,\"m\":{\"y\":100000000000000000000,\"x\":\"\\u00e9\\u001F\"}}";
        JsonNode outcome = finalOutcome(requestExecution(input));
        assertThat(successValue(outcome))
                .isEqualTo("{\"input\":{\"m\":{\"x\":\"\u00e9\\u001f\",\"y\":1e20},\"z\":[1e-7,2000.0,1.5]},"
                        + "\"input_bytes\":78,\"program\":\"echo_json\",\"sender\":\"lifecycle-user.test.near\"}");
    }

    /**
     * Output serde_json cannot read fails the run with OutLayer's executor's sentence and serde_json's reason at its
     * position, which the user finds in the execution_completed event; a number beyond f64 is such output (Jackson
     * alone read it as Infinity).
     */
    @Test
    void outputSerdeJsonCannotReadFailsTheRunInItsWords() throws Exception {
        String prefix =
                "{\"program\":\"echo_json\",\"input_bytes\":%d,\"sender\":\"lifecycle-user.test.near\",\"input\":";
        String[][] cases = {
            {"nope", "expected ident at line 1 column 85"}, {"[1e400]", "number out of range at line 1 column 89"},
        };
        for (String[] c : cases) {
            JsonNode outcome = finalOutcome(requestExecution(c[0]));
            assertThat(successValue(outcome)).as(c[0]).isEqualTo("null");
            JsonNode completed = LifecycleClient.completedEvent(outcome);
            assertThat(completed.path("success").asBoolean(true)).isFalse();
            assertThat(completed.path("error_message").asText())
                    .as(c[0])
                    .isEqualTo("Failed to parse output as JSON: " + c[1] + ". Output was: "
                            + String.format(prefix, c[0].length()) + c[0] + "}\n");
        }
    }

    private static String successValue(JsonNode outcome) {
        return new String(
                Base64.getDecoder()
                        .decode(outcome.path("status").path("SuccessValue").asText()),
                StandardCharsets.UTF_8);
    }

    @Test
    void theSecondRequestForTheSameWasmTakesTheCompileCache() throws Exception {
        long first = requestIdOf(finalOutcome(requestExecution("{\"n\":1}")));
        long second = requestIdOf(finalOutcome(requestExecution("{\"n\":2}")));
        resolvedView(first);
        JsonNode view = resolvedView(second);
        assertThat(view.path("compile_cache").asText()).isEqualTo("hit");
        assertThat(client.system.executions().store().jobs(second))
                .extracting(job -> job.jobType().wire())
                .containsExactly("execute");
    }

    @Test
    void anInputTooLargeForTheEventIsReadFromTheContractAndALargeOutputResolvesInOneTransaction() throws Exception {
        // 10,000 bytes or more: the contract leaves input_data out of the event (input_data_in_state), and
        // OutLayer's monitor reads it with get_request; the echo of it is over 1024 bytes, so the worker
        // resolves with submit_execution_output_and_resolve
        String pad = "x".repeat(12_000);
        String input = "{\"pad\":\"" + pad + "\",\"b\":2e3}";
        JsonNode outcome = finalOutcome(requestExecution(input));
        String value = successValue(outcome);
        JsonNode output = JsonCodec.MAPPER.readTree(value);
        assertThat(output.path("input_bytes").asInt()).isEqualTo(input.length());
        assertThat(output.path("input").path("pad").asText()).hasSize(12_000);
        assertThat(value)
                .as("the large output's method carries it as OutLayer's worker writes it too")
                .isEqualTo("{\"input\":{\"b\":2000.0,\"pad\":\"" + pad + "\"},\"input_bytes\":" + input.length()
                        + ",\"program\":\"echo_json\",\"sender\":\"lifecycle-user.test.near\"}");
    }

    @Test
    void metricsCarryThePhasesAndNoDoubleExecution() throws Exception {
        resolvedView(requestIdOf(finalOutcome(requestExecution("{\"m\":1}"))));
        HttpResponse<String> metrics = LifecycleClient.HTTP.send(
                HttpRequest.newBuilder(URI.create(client.system.coordinatorUrl() + "/metrics"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body())
                .contains("outlayer_execution_phase_seconds_count{phase=\"execute\"}")
                .contains("outlayer_execution_phase_seconds{phase=\"callback_done\",quantile=\"0.95\"}")
                .contains("outlayer_execution_requests_resolved_total")
                .contains("outlayer_execution_executed_twice_total 0.0");
    }

    @Test
    void anUnknownRequestIs404AndABadIdIs400() throws Exception {
        assertThat(client.get("/executions/987654321").path("http_status").asInt())
                .isEqualTo(404);
        assertThat(client.get("/executions/not-a-number").path("http_status").asInt())
                .isEqualTo(400);
    }
}
