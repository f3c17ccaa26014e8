package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.executions.CodeSource;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.linux.TestPrograms;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Compiled wasm shared through the coordinator, as OutLayer's workers share it (coordinator
 * handlers/wasm.rs, worker main.rs): a compiler elsewhere uploads the wasm of a GitHub source the
 * program registry does not have; the in-process executor downloads it from the coordinator and
 * runs it, with no compile job.
 */
class WasmSharingTest {
    private static final String TOKEN = "wasm-sharing-worker-token-012345";

    @Test
    void anExecutorRunsTheWasmAnotherWorkerUploadedForItsRequestsSource() throws Exception {
        TargetOptions options = LifecycleClient.fastBlocks(1);
        options.workerToken = TOKEN;
        try (LifecycleClient client = new LifecycleClient(options)) {
            String repo = "https://github.com/alice/shared-program";
            String commit = "5a7e0f2c";
            String checksum = CodeSource.gitHub(repo, commit, "wasm32-wasip1").wasmChecksum();
            String boundary = "b0undary";
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (String[] field : new String[][] {
                {"checksum", checksum}, {"repo_url", repo}, {"commit_hash", commit}, {"build_target", "wasm32-wasip1"}
            }) {
                body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field[0]
                                + "\"\r\n\r\n" + field[1] + "\r\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            body.writeBytes(("--" + boundary
                            + "\r\nContent-Disposition: form-data; name=\"wasm_file\"; filename=\"p.wasm\"\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.writeBytes(TestPrograms.wasm("echo_json"));
            body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> uploaded = LifecycleClient.HTTP.send(
                    HttpRequest.newBuilder(URI.create(client.system.coordinatorUrl() + "/wasm/upload"))
                            .header("Authorization", "Bearer " + TOKEN)
                            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);

            String tx = client.requestExecutionWith("{\"source\":{\"GitHub\":{\"repo\":\"" + repo + "\",\"commit\":\""
                    + commit + "\",\"build_target\":\"wasm32-wasip1\"}},\"resource_limits\":{\"max_instructions\":"
                    + "100000000000,\"max_memory_mb\":64,\"max_execution_seconds\":10},\"input_data\":"
                    + "\"{\\\"shared\\\":true}\",\"response_format\":\"Json\"}");
            JsonNode outcome = client.finalOutcome(tx);
            JsonNode output = JsonCodec.MAPPER.readTree(new String(
                    Base64.getDecoder()
                            .decode(outcome.path("status").path("SuccessValue").asText()),
                    StandardCharsets.UTF_8));
            assertThat(output.path("program").asText()).as("%s", outcome).isEqualTo("echo_json");
            assertThat(output.path("input").path("shared").asBoolean()).isTrue();
            long requestId = client.requestIdOf(outcome);
            assertThat(client.resolvedView(requestId).path("compile_cache").asText())
                    .isEqualTo("hit");
            assertThat(client.system.executions().store().jobs(requestId))
                    .as("no compile job: the wasm came from the coordinator")
                    .allSatisfy(job -> assertThat(job.jobType().wire()).isEqualTo("execute"));
        }
    }

    @Test
    void anInProcessCompileUploadsItsWasmForExecutorsElsewhere() throws Exception {
        TargetOptions options = LifecycleClient.fastBlocks(1);
        options.workerToken = TOKEN;
        try (LifecycleClient client = new LifecycleClient(options)) {
            String echo = client.upload("echo_json");
            long requestId = client.requestIdOf(client.finalOutcome(client.requestExecution(echo, "{}", 10)));
            assertThat(client.resolvedView(requestId).path("compile_cache").asText())
                    .isEqualTo("miss");
            // as OutLayer's compiler uploads before it completes the compile job
            HttpResponse<byte[]> download = LifecycleClient.HTTP.send(
                    HttpRequest.newBuilder(URI.create(client.system.coordinatorUrl() + "/wasm/" + echo))
                            .header("Authorization", "Bearer " + TOKEN)
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat(download.body()).isEqualTo(TestPrograms.wasm("echo_json"));
        }
    }
}
