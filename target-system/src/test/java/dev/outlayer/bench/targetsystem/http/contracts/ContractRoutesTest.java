package dev.outlayer.bench.targetsystem.http.contracts;

import static dev.outlayer.bench.targetsystem.contracts.TestContracts.wasm;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.TargetOptions;
import dev.outlayer.bench.targetsystem.TargetSystem;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.throttle.ThrottleFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The /contracts API over HTTP against a real coordinator with the bundled contracts deployed. */
class ContractRoutesTest {
    @TempDir
    static Path dir;

    private static TargetSystem system;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        ThrottleFixture fixture = new ThrottleFixture(dir);
        TargetOptions options = new TargetOptions();
        options.host = "127.0.0.1";
        options.coordinatorPort = 0;
        options.rpcPort = 0;
        options.components = EnumSet.of(TargetOptions.Component.coordinator, TargetOptions.Component.rpc);
        options.tiersFile = fixture.tiers;
        options.apiKeysFile = fixture.keys;
        options.contractsDir = Path.of(System.getProperty("outlayer.root", ".."), "resources", "contracts");
        options.shutdownGraceMillis = 2000;
        system = TargetSystem.start(options);
    }

    @AfterAll
    static void stop() {
        system.close();
    }

    private static HttpResponse<String> send(
            String method, String path, HttpRequest.BodyPublisher body, String contentType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(system.coordinatorUrl() + path))
                .method(method, body);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> deploy(String account, byte[] code) throws Exception {
        return send("PUT", "/contracts/" + account, HttpRequest.BodyPublishers.ofByteArray(code), "application/wasm");
    }

    private static HttpResponse<String> post(String path, String json) throws Exception {
        return send("POST", path, HttpRequest.BodyPublishers.ofString(json), "application/json");
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JsonCodec.MAPPER.readTree(response.body());
    }

    @Test
    void bundledCounterAnswersInTheSpecShape() throws Exception {
        HttpResponse<String> response =
                post("/contracts/counter.test.near/call", "{\"method\":\"increment\",\"args\":{}}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.path("status").asText()).isEqualTo("success");
        assertThat(body.path("mode").asText()).isEqualTo("direct");
        assertThat(body.path("gas_burnt").asLong()).isPositive();
        assertThat(body.path("instructions").asLong()).isPositive();
        assertThat(body.path("logs").get(0).asText()).startsWith("Increased number to ");
        assertThat(body.path("state_changes").get(0).path("type").asText()).isEqualTo("data_update");
        assertThat(body.has("result_base64")).isTrue();
        assertThat(body.has("execution_time_us")).isTrue();
        assertThat(response.headers().firstValue("Server-Timing"))
                .hasValueSatisfying(v -> assertThat(v)
                        .contains("queue;dur=")
                        .contains("instantiate;dur=")
                        .contains("exec;dur="));

        JsonNode view = json(post("/contracts/counter.test.near/view", "{\"method\":\"get_num\"}"));
        assertThat(view.path("result").isNumber()).isTrue();

        JsonNode summary = json(send("GET", "/contracts/counter.test.near", HttpRequest.BodyPublishers.noBody(), null));
        assertThat(summary.path("code_hash").asText()).isNotBlank();
        assertThat(summary.path("methods").toString()).contains("increment");
    }

    @Test
    void bundledNftIsInitialisedAndMints() throws Exception {
        String mint =
                "{\"method\":\"nft_mint\",\"signer_id\":\"nft.test.near\",\"attached_deposit\":\"100000000000000000000000\","
                        + "\"args\":{\"token_id\":\"api-1\",\"token_owner_id\":\"alice.test.near\",\"token_metadata\":{\"title\":\"One\"}}}";
        HttpResponse<String> minted = post("/contracts/nft.test.near/call", mint);
        assertThat(minted.statusCode()).as(minted.body()).isEqualTo(200);
        assertThat(json(minted).path("result").path("owner_id").asText()).isEqualTo("alice.test.near");
        JsonNode tree = json(minted).path("final_execution_outcome");
        assertThat(tree.path("status").has("SuccessValue")).as(minted.body()).isTrue();
        assertThat(tree.path("transaction_outcome")
                        .path("outcome")
                        .path("executor_id")
                        .asText())
                .isEqualTo("nft.test.near");
        JsonNode first = tree.path("receipts_outcome").get(0);
        assertThat(first.path("outcome").path("executor_id").asText()).isEqualTo("nft.test.near");
        assertThat(first.path("outcome").path("gas_burnt").asLong()).isPositive();
        assertThat(first.path("outcome").path("logs").get(0).asText()).startsWith("EVENT_JSON:");
        assertThat(first.path("outcome").has("timings")).isTrue();
        assertThat(json(minted).path("wait_mode").asText()).isEqualTo("all_receipts");
        JsonNode token = json(
                post("/contracts/nft.test.near/view", "{\"method\":\"nft_token\",\"args\":{\"token_id\":\"api-1\"}}"));
        assertThat(token.path("result").path("metadata").path("title").asText()).isEqualTo("One");

        HttpResponse<String> notOwner = post(
                "/contracts/nft.test.near/call",
                mint.replace("\"nft.test.near\",\"attached", "\"bob.test.near\",\"attached")
                        .replace("api-1", "api-2"));
        assertThat(notOwner.statusCode()).isEqualTo(422);
        JsonNode failure = json(notOwner);
        assertThat(failure.path("status").asText()).isEqualTo("failure");
        assertThat(failure.path("error").path("kind").asText()).isEqualTo("GuestPanic");
        assertThat(failure.path("error").path("message").asText()).contains("Unauthorized");
        assertThat(failure.has("gas_burnt")).isTrue();
    }

    @Test
    void bundledComputeContractIsMeteredByItsInstructions() throws Exception {
        HttpResponse<String> small =
                post("/contracts/compute.test.near/call", "{\"method\":\"compute\",\"args\":{\"n\":10}}");
        assertThat(small.statusCode()).as(small.body()).isEqualTo(200);
        byte[] digest = new byte[32];
        java.security.MessageDigest sha256 = java.security.MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < 10; i++) {
            digest = sha256.digest(digest);
        }
        JsonNode body = json(small);
        assertThat(body.path("result").path("result").asText())
                .isEqualTo(java.util.HexFormat.of().formatHex(digest));
        long perRound = body.path("instructions").asLong() / 10;
        assertThat(perRound).as("about 9,500 instructions per SHA-256 round").isBetween(5_000L, 15_000L);

        HttpResponse<String> tooBig =
                post("/contracts/compute.test.near/call", "{\"method\":\"compute\",\"args\":{\"n\":100000}}");
        assertThat(tooBig.statusCode()).isEqualTo(422);
        assertThat(json(tooBig).path("error").path("kind").asText()).isEqualTo("GasExceeded");
    }

    @Test
    void failedCallIs422AndRollsBack() throws Exception {
        assertThat(deploy("limits.test.near", wasm("limits")).statusCode()).isEqualTo(201);
        HttpResponse<String> failed = post("/contracts/limits.test.near/call", "{\"method\":\"write_then_panic\"}");
        assertThat(failed.statusCode()).isEqualTo(422);
        assertThat(json(failed).path("error").path("message").asText()).isEqualTo("Smart contract panicked: boom");
        // nearcore's FinalExecutionStatus of a panic, as the RPC emulator renders it (OutcomeViews)
        assertThat(json(failed)
                        .path("final_execution_outcome")
                        .path("status")
                        .path("Failure")
                        .path("ActionError")
                        .path("kind")
                        .path("FunctionCallError")
                        .path("ExecutionError")
                        .asText())
                .isEqualTo("Smart contract panicked: boom");
        JsonNode read = json(post("/contracts/limits.test.near/view", "{\"method\":\"read\"}"));
        assertThat(read.path("result").isNull()).isTrue();

        HttpResponse<String> loop = post("/contracts/limits.test.near/call", "{\"method\":\"loop_forever\"}");
        assertThat(loop.statusCode()).isEqualTo(422);
        assertThat(json(loop).path("error").path("kind").asText()).isEqualTo("GasExceeded");
        assertThat(json(loop).path("gas_burnt").asLong()).isEqualTo(300_000_000_000_000L);

        // A call that leaves its account short of its storage stake: the receipt's failure after all its
        // actions (nearcore's apply_action_receipt), not the call's.
        assertThat(deploy("table.test.near", wasm("gas_table")).statusCode()).isEqualTo(201);
        HttpResponse<String> drained = post("/contracts/table.test.near/call", "{\"method\":\"drain\"}");
        assertThat(drained.statusCode()).isEqualTo(422);
        JsonNode error = json(drained).path("error");
        assertThat(error.path("action_error").asText()).as("%s", error).isEqualTo("LackBalanceForState");
        assertThat(error.has("action_index")).as("%s", error).isFalse();
    }

    @Test
    void hostileWasmIsRefusedAndTheServerKeepsServing() throws Exception {
        HttpResponse<String> garbage = deploy("bad.test.near", "definitely not wasm".getBytes());
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(json(garbage).path("error").asText()).isNotBlank();

        // A type section that claims 4 GiB of content.
        byte[] hugeSection = {
            0, 'a', 's', 'm', 1, 0, 0, 0, 1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F, 0
        };
        assertThat(deploy("bad.test.near", hugeSection).statusCode()).isEqualTo(400);
        // A function section that claims 2^32-1 entries in 5 bytes.
        byte[] hugeCount = {0, 'a', 's', 'm', 1, 0, 0, 0, 3, 5, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F
        };
        assertThat(deploy("bad.test.near", hugeCount).statusCode()).isEqualTo(400);

        HttpResponse<String> foreign = deploy("bad.test.near", wasm("foreign_import"));
        assertThat(foreign.statusCode()).isEqualTo(400);
        assertThat(json(foreign).path("error").asText()).contains("wasi_snapshot_preview1");
        assertThat(deploy("bad.test.near", wasm("wrong_signature")).statusCode())
                .isEqualTo(400);

        assertThat(deploy("start.test.near", wasm("start_loop")).statusCode()).isEqualTo(201);
        HttpResponse<String> start = post("/contracts/start.test.near/call", "{\"method\":\"run\"}");
        assertThat(start.statusCode()).isEqualTo(422);
        assertThat(json(start).path("error").path("kind").asText()).isEqualTo("GasExceeded");

        assertThat(deploy("limits.test.near", wasm("limits")).statusCode()).isEqualTo(201);
        assertThat(post("/contracts/limits.test.near/call", "{\"method\":\"recurse\"}")
                        .statusCode())
                .isEqualTo(422);
        assertThat(post("/contracts/limits.test.near/call", "{\"method\":\"grow_past_limit\"}")
                        .statusCode())
                .isEqualTo(422);

        HttpResponse<String> health = send("GET", "/health", HttpRequest.BodyPublishers.noBody(), null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(post("/contracts/limits.test.near/call", "{\"method\":\"write\"}")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void badRequestsGetClearJsonErrors() throws Exception {
        assertThat(post("/contracts/counter.test.near/call", "not json").statusCode())
                .isEqualTo(400);
        assertThat(post("/contracts/counter.test.near/call", "{}").statusCode()).isEqualTo(400);
        assertThat(post("/contracts/counter.test.near/call", "{\"method\":\"increment\",\"gas\":\"1000000000000001\"}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(post("/contracts/nobody.test.near/call", "{\"method\":\"increment\"}")
                        .statusCode())
                .isEqualTo(404);
        assertThat(send("GET", "/contracts/nobody.test.near", HttpRequest.BodyPublishers.noBody(), null)
                        .statusCode())
                .isEqualTo(404);
        assertThat(deploy("BAD_ID", wasm("counter")).statusCode()).isEqualTo(400);
        HttpResponse<String> tooBig = deploy("big.test.near", new byte[5 * 1024 * 1024]);
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(json(tooBig).path("status").asInt()).isEqualTo(413);
    }

    /** Each refusal names what was wrong, in the {error, status} body, and nothing of the server's insides. */
    @Test
    void eachRefusalSaysWhatWasWrong() throws Exception {
        String call = "/contracts/counter.test.near/call";
        assertError(post(call, "{}"), 400, "method is required");
        assertError(post(call, "[1]"), 400, "must be an object");
        assertError(post(call, "{\"method\":\"get_num\",\"mode\":\"wasi\"}"), 400, "mode \"wasi\" is not available");
        assertError(post(call, "{\"method\":\"get_num\",\"args\":{},\"args_base64\":\"e30=\"}"), 400, "not both");
        assertError(
                post(call, "{\"method\":\"get_num\",\"args_base64\":\"e30-\"}"),
                400,
                "args_base64 is not base64: Invalid byte 45, offset 3.");
        assertError(
                post(call, "{\"method\":\"get_num\",\"args_base64\":\"e30=e\"}"),
                400,
                "args_base64 is not base64: Encoded text cannot have a 6-bit remainder.");
        assertError(
                post(call, "{\"method\":\"get_num\",\"args_base64\":\"e3=0\"}"),
                400,
                "args_base64 is not base64: Invalid byte 61, offset 2.");
        assertError(post(call, "{\"method\":\"get_num\",\"signer_id\":\"NOT VALID\"}"), 400, "invalid NEAR account id");
        assertError(
                post(call, "{\"method\":\"get_num\",\"attached_deposit\":-1}"),
                400,
                "attached_deposit must be between 0 and");
        assertError(post(call, "{\"method\":\"get_num\",\"gas\":1.5}"), 400, "gas must be a non-negative integer");
        assertError(post(call, "{\"method\":\"get_num\",\"cold_start\":\"maybe\"}"), 400, "cold_start");
        assertError(
                post(call, "{\"method\":\"get_num\",\"secrets\":{\"owner\":\"a.near\"}}"), 400, "\"mode\": \"linux\"");
        assertError(
                post("/contracts/counter.test.near/view", "{\"method\":\"get_num\",\"attached_deposit\":\"1\"}"),
                400,
                "a view cannot attach a deposit");
        assertError(
                post("/contracts/nobody.test.near/view", "{\"method\":\"get_num\"}"),
                404,
                "account nobody.test.near has no contract deployed");
        assertError(
                send("GET", "/contracts/nobody.test.near", HttpRequest.BodyPublishers.noBody(), null),
                404,
                "unknown account nobody.test.near");
        assertError(deploy("BAD_ID", wasm("counter")), 400, "invalid NEAR account id: BAD_ID");
        assertError(
                post(call, "{\"method\":\"get_num\",\"args\":\"" + "x".repeat(1_100_000) + "\"}"), 413, "larger than");
    }

    private static void assertError(HttpResponse<String> response, int status, String says) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = json(response);
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("error").asText()).contains(says).doesNotContain("Exception", "dev.outlayer");
    }

    @Test
    void argumentsAndAmountsComeInEitherForm() throws Exception {
        // args_base64 "{}" and a deposit as a decimal string or a number: the same call.
        HttpResponse<String> base64 =
                post("/contracts/counter.test.near/view", "{\"method\":\"get_num\",\"args_base64\":\"e30=\"}");
        assertThat(base64.statusCode()).as(base64.body()).isEqualTo(200);
        assertThat(json(base64).path("result").isNumber()).isTrue();
        String mint =
                "{\"method\":\"nft_mint\",\"signer_id\":\"nft.test.near\",\"gas\":\"300000000000000\",\"attached_deposit\":DEPOSIT,"
                        + "\"args\":{\"token_id\":\"ID\",\"token_owner_id\":\"alice.test.near\",\"token_metadata\":{}}}";
        assertThat(post(
                                "/contracts/nft.test.near/call",
                                mint.replace("DEPOSIT", "\"100000000000000000000000\"")
                                        .replace("ID", "forms-1"))
                        .statusCode())
                .isEqualTo(200);
        assertThat(post(
                                "/contracts/nft.test.near/call",
                                mint.replace("DEPOSIT", "100000000000000000000000")
                                        .replace("ID", "forms-2"))
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void linuxModeAddsTheKernelsAccountingAndPhases() throws Exception {
        HttpResponse<String> warm =
                post("/contracts/counter.test.near/call", "{\"method\":\"increment\",\"mode\":\"linux\"}");
        assertThat(warm.statusCode()).as(warm.body()).isEqualTo(200);
        JsonNode body = json(warm);
        assertThat(body.path("mode").asText()).isEqualTo("linux");
        assertThat(body.path("instructions").asLong())
                .isEqualTo(body.path("wasm_instructions").asLong()
                        + body.path("translation_instructions").asLong());
        assertThat(body.path("translation_instructions").asLong()).isPositive();
        assertThat(body.path("syscalls").path("storage_write").asLong()).isEqualTo(1);
        assertThat(body.path("syscall_time_us").has("storage_write")).isTrue();
        assertThat(body.path("pid").asInt()).isPositive();
        assertThat(body.has("worker")).isTrue();
        assertThat(body.path("cold_start").asBoolean()).isFalse();
        assertThat(body.path("state_changes").size()).isEqualTo(1);
        assertThat(warm.headers().firstValue("Server-Timing"))
                .hasValueSatisfying(
                        v -> assertThat(v).contains("queue;dur=", "worker;dur=", "instantiate;dur=", "exec;dur="));

        HttpResponse<String> cold = post(
                "/contracts/counter.test.near/view", "{\"method\":\"get_num\",\"mode\":\"linux\",\"cold_start\":true}");
        assertThat(cold.statusCode()).as(cold.body()).isEqualTo(200);
        assertThat(json(cold).path("cold_start").asBoolean()).isTrue();
        assertThat(cold.headers().firstValue("Server-Timing"))
                .hasValueSatisfying(v -> assertThat(v).contains("boot;dur="));

        HttpResponse<String> failed =
                post("/contracts/counter.test.near/call", "{\"method\":\"no_such_method\",\"mode\":\"linux\"}");
        assertThat(failed.statusCode()).isEqualTo(422);
        assertThat(json(failed).path("error").path("kind").asText()).isEqualTo("MethodNotFound");
        assertThat(json(failed).path("mode").asText()).isEqualTo("linux");
        assertThat(json(failed).has("wasm_instructions")).isTrue();
    }

    @Test
    void largeContractWithinTheLimitDeploys() throws Exception {
        // 3 MiB: over Undertow's 2 MiB default entity limit, under NEAR's 4 MiB contract limit.
        byte[] base = wasm("counter");
        byte[] big = new byte[3 * 1024 * 1024];
        System.arraycopy(base, 0, big, 0, base.length);
        // A custom section (id 0) named "pad" fills the rest.
        int at = base.length;
        int payload = big.length - at - 1 - 4;
        big[at++] = 0;
        big[at++] = (byte) (0x80 | (payload & 0x7F));
        big[at++] = (byte) (0x80 | ((payload >> 7) & 0x7F));
        big[at++] = (byte) (0x80 | ((payload >> 14) & 0x7F));
        big[at++] = (byte) ((payload >> 21) & 0x7F);
        big[at++] = 3;
        big[at++] = 'p';
        big[at++] = 'a';
        big[at] = 'd';
        HttpResponse<String> response = deploy("big.test.near", big);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(json(response).path("code_size").asInt()).isEqualTo(big.length);
    }

    private static JsonNode rpc(String requestType, String params) throws Exception {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":\"t\",\"method\":\"query\",\"params\":{\"request_type\":\""
                + requestType + "\",\"finality\":\"final\"," + params + "}}";
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(system.rpcUrl()))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return json(response);
    }

    @Test
    void rpcQueryAnswersFromTheSimulator() throws Exception {
        post("/contracts/counter.test.near/call", "{\"method\":\"increment\",\"args\":{}}");
        JsonNode call = rpc(
                "call_function",
                "\"account_id\":\"counter.test.near\",\"method_name\":\"get_num\",\"args_base64\":\"e30=\"");
        StringBuilder value = new StringBuilder();
        call.path("result").path("result").forEach(b -> value.append((char) b.asInt()));
        assertThat(Long.parseLong(value.toString())).as(call.toString()).isPositive();

        JsonNode account = rpc("view_account", "\"account_id\":\"counter.test.near\"");
        JsonNode summary = json(send("GET", "/contracts/counter.test.near", HttpRequest.BodyPublishers.noBody(), null));
        assertThat(account.path("result").path("code_hash").asText())
                .isEqualTo(summary.path("code_hash").asText());

        JsonNode state = rpc("view_state", "\"account_id\":\"counter.test.near\",\"prefix_base64\":\"\"");
        assertThat(state.path("result").path("values").size())
                .as(state.toString())
                .isPositive();

        JsonNode code = rpc("view_code", "\"account_id\":\"counter.test.near\"");
        assertThat(code.path("result").path("code_base64").asText()).isNotEmpty();

        JsonNode write = rpc(
                "call_function",
                "\"account_id\":\"counter.test.near\",\"method_name\":\"increment\",\"args_base64\":\"e30=\"");
        assertThat(write.toString()).contains("ProhibitedInView");
    }
}
