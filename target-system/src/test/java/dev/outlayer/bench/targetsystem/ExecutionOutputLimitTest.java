package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import org.junit.jupiter.api.Test;

/**
 * Output beyond what the stand-in keeps of a run's stdout ({@code --linux-max-output-bytes}) is
 * not delivered as the program's output: OutLayer's executor caps stdout too, and a write past
 * the cap fails in the program (worker executor/wasi_p1.rs, a MemoryOutputPipe of max_memory_mb).
 */
class ExecutionOutputLimitTest {
    @Test
    void aRunWhoseStdoutWasCutFailsInsteadOfResolvingWithPartOfIt() throws Exception {
        TargetOptions options = LifecycleClient.fastBlocks(1);
        options.linuxMaxOutputBytes = 4096;
        try (LifecycleClient client = new LifecycleClient(options)) {
            String cat = client.upload("tools"); // without arguments: cat, stdin to stdout
            String args = "{\"source\":{\"WasmUrl\":{\"url\":\"https://example.org/t.wasm\",\"hash\":\"" + cat
                    + "\",\"build_target\":\"wasm32-wasip1\"}},\"resource_limits\":{\"max_instructions\":100000000,"
                    + "\"max_execution_seconds\":5},\"input_data\":"
                    + JsonCodec.MAPPER.writeValueAsString("y".repeat(6000)) + ",\"response_format\":\"Text\"}";
            JsonNode outcome = client.finalOutcome(client.requestExecutionWith(args));
            JsonNode event = LifecycleClient.completedEvent(outcome);
            assertThat(event.path("success").asBoolean(true))
                    .as("4,096 of 6,000 bytes are not the program's output: %s", event)
                    .isFalse();
            assertThat(event.path("error_message").asText()).isEqualTo("Execution failed: stdout exceeded 4096 bytes");
        }
    }
}
