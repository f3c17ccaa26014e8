package dev.outlayer.bench.targetsystem.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.identity.Caller;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.timing.PhaseTimer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The outlayer profile against OutLayer's worker (wasi_p1.rs, merge_env_vars): env, WASI setup, fuel, timeout. */
class OutlayerProfileTest {
    private static final ProcessLimits LIMITS = new ProcessLimits(1_000_000_000L, 128, 60);
    private static LinuxEmulator emulator;

    @BeforeAll
    static void boot() {
        emulator = TestPrograms.emulator(2);
        emulator.deploy("printenv", TestPrograms.wasm("printenv"));
    }

    @AfterAll
    static void shutdown() {
        emulator.close();
    }

    private static OutlayerContext context() {
        return new OutlayerContext(
                "testnet",
                "alice.test.near",
                "alice.test.near",
                "dapp.test.near",
                "ed25519:6E8sCci9badyRkXb3JoRpBj5p8C6Tw41ELDZoiihKEtp",
                "outlayer.test.near",
                1234L,
                1_700_000_000_000_000_000L,
                "9ReceiptId",
                "7TxHash",
                2_428_000_000_000L,
                42,
                "10000000000000000000000",
                null,
                "alice.test.near/weather",
                "3f2b-uuid",
                null);
    }

    /** The environment printenv sees under the outlayer profile with {@link #LIMITS}: its NAME=value lines. */
    private static Map<String, String> environmentOf(Map<String, String> secrets, OutlayerContext context)
            throws Exception {
        OutlayerResult result = emulator.runOutlayer("printenv", new byte[0], secrets, LIMITS, context);
        assertThat(result.success()).as(result.error()).isTrue();
        return Arrays.stream(new String(result.output(), StandardCharsets.UTF_8).split("\n"))
                .filter(line -> !line.isEmpty())
                .collect(Collectors.toMap(
                        line -> line.substring(0, line.indexOf('=')),
                        line -> line.substring(line.indexOf('=') + 1),
                        (a, b) -> b,
                        LinkedHashMap::new));
    }

    /**
     * {@code entries} and what the worker writes for every job whatever its mode: the limits of
     * {@link #LIMITS} and the job's project.
     */
    @SafeVarargs
    private static Map<String, String> ofLimitsAndProject(
            String projectId,
            String projectOwner,
            String projectName,
            String projectUuid,
            Map.Entry<String, String>... entries) {
        Map<String, String> expected = new LinkedHashMap<>(Map.ofEntries(entries));
        expected.put("NEAR_MAX_INSTRUCTIONS", "1000000000");
        expected.put("NEAR_MAX_MEMORY_MB", "128");
        expected.put("NEAR_MAX_EXECUTION_SECONDS", "60");
        expected.put("OUTLAYER_PROJECT_ID", projectId);
        expected.put("OUTLAYER_PROJECT_OWNER", projectOwner);
        expected.put("OUTLAYER_PROJECT_NAME", projectName);
        expected.put("OUTLAYER_PROJECT_UUID", projectUuid);
        return expected;
    }

    @Test
    void theEnvironmentIsTheWorkersSystemVariablesOverTheSecretsAndNothingElse() throws Exception {
        Map<String, String> secrets = Map.of("API_TOKEN", "s3cret", "NEAR_SENDER_ID", "mallory.near", "WALLET_ID", "x");
        Map<String, String> env = environmentOf(secrets, context());

        assertThat(env)
                .containsExactlyInAnyOrderEntriesOf(ofLimitsAndProject(
                        "alice.test.near/weather",
                        "alice.test.near",
                        "weather",
                        "3f2b-uuid",
                        Map.entry("API_TOKEN", "s3cret"),
                        Map.entry("NEAR_NETWORK_ID", "testnet"),
                        Map.entry("OUTLAYER_EXECUTION_TYPE", "NEAR"),
                        Map.entry("NEAR_SENDER_ID", "alice.test.near"),
                        Map.entry("NEAR_CONTRACT_ID", "outlayer.test.near"),
                        Map.entry("NEAR_BLOCK_HEIGHT", "1234"),
                        Map.entry("NEAR_BLOCK_TIMESTAMP", "1700000000000000000"),
                        Map.entry("NEAR_RECEIPT_ID", "9ReceiptId"),
                        Map.entry("NEAR_PREDECESSOR_ID", "dapp.test.near"),
                        Map.entry("NEAR_SIGNER_PUBLIC_KEY", "ed25519:6E8sCci9badyRkXb3JoRpBj5p8C6Tw41ELDZoiihKEtp"),
                        Map.entry("NEAR_GAS_BURNT", "2428000000000"),
                        Map.entry("NEAR_USER_ACCOUNT_ID", "alice.test.near"),
                        Map.entry("NEAR_PAYMENT_YOCTO", "10000000000000000000000"),
                        Map.entry("ATTACHED_USD", "0"),
                        Map.entry("NEAR_TRANSACTION_HASH", "7TxHash"),
                        Map.entry("NEAR_REQUEST_ID", "42"),
                        Map.entry("USD_PAYMENT", "0"),
                        Map.entry("OUTLAYER_CALL_ID", "")));
        // 24 of the worker's 26 system names are written here; WALLET_ID and NEAR_RPC_PROXY_AVAILABLE only by
        // its preview-2 executor, and a secret of either name is dropped all the same.
        assertThat(OutlayerEnvironment.SYSTEM_NAMES).hasSize(26).doesNotHaveDuplicates();
        assertThat(env.keySet())
                .filteredOn(OutlayerEnvironment.SYSTEM_NAMES::contains)
                .hasSize(24);
    }

    @Test
    void anHttpsCallRunsForTheKeysOwnerWithTheChainsVariablesEmpty() throws Exception {
        OutlayerContext call = OutlayerContext.ofHttpsCall(
                "testnet",
                100_000_000_007L,
                "bob.test.near/api",
                "p00000000000000a1",
                new OutlayerContext.HttpsCall("3b0c-call", "payer.test.near", "250000"));
        Map<String, String> env = environmentOf(Map.of(), call);

        // the worker's merge_env_vars with is_https_call: the key's owner as sender, the chain's names empty
        assertThat(env)
                .containsExactlyInAnyOrderEntriesOf(ofLimitsAndProject(
                        "bob.test.near/api",
                        "bob.test.near",
                        "api",
                        "p00000000000000a1",
                        Map.entry("NEAR_NETWORK_ID", "testnet"),
                        Map.entry("OUTLAYER_EXECUTION_TYPE", "HTTPS"),
                        Map.entry("NEAR_SENDER_ID", "payer.test.near"),
                        Map.entry("NEAR_USER_ACCOUNT_ID", "payer.test.near"),
                        Map.entry("NEAR_CONTRACT_ID", ""),
                        Map.entry("NEAR_BLOCK_HEIGHT", ""),
                        Map.entry("NEAR_BLOCK_TIMESTAMP", ""),
                        Map.entry("NEAR_RECEIPT_ID", ""),
                        Map.entry("NEAR_PREDECESSOR_ID", ""),
                        Map.entry("NEAR_SIGNER_PUBLIC_KEY", ""),
                        Map.entry("NEAR_GAS_BURNT", ""),
                        Map.entry("NEAR_TRANSACTION_HASH", ""),
                        Map.entry("NEAR_REQUEST_ID", ""),
                        Map.entry("NEAR_PAYMENT_YOCTO", "0"),
                        Map.entry("ATTACHED_USD", "0"),
                        Map.entry("USD_PAYMENT", "250000"),
                        Map.entry("OUTLAYER_CALL_ID", "3b0c-call")));
    }

    @Test
    void noArgumentsAndNoPreopenedDirectory() throws Exception {
        OutlayerResult result = emulator.runOutlayer("fsenv", new byte[0], Map.of(), LIMITS, context());
        assertThat(result.success()).as(result.error()).isTrue();
        JsonNode r = JsonCodec.MAPPER.readTree(result.output());
        assertThat(r.path("argc").asInt()).isZero();
        assertThat(r.path("argv0").isNull()).isTrue();
        // No defaults either: the worker's preview-1 context has only the variables it was given.
        assertThat(r.path("HOME").isNull()).isTrue();
        assertThat(r.path("PATH").isNull()).isTrue();
        // Without a preopened directory wasi-libc can resolve no path at all.
        assertThat(r.path("hostname").isNull()).isTrue();
        assertThat(r.path("stat_home").asText()).isNotEqualTo("ok");
        assertThat(r.path("create_marker").asText()).isNotEqualTo("ok");
        assertThat(result.execution().outcome().syscalls()).doesNotContainKey("path_open");
    }

    @Test
    void hostCallsAreFreeAndTheCountIsTheFuelOnly() throws Exception {
        OutlayerResult result = emulator.runOutlayer(
                "echo_json", "{\"a\":[1,2,3]}".getBytes(StandardCharsets.UTF_8), Map.of(), LIMITS, context());
        assertThat(result.success()).as(result.error()).isTrue();
        ProcessOutcome outcome = result.execution().outcome();
        assertThat(outcome.syscalls()).containsKeys("fd_read", "fd_write");
        assertThat(outcome.kernelInstructions()).isZero();
        assertThat(result.instructions()).isPositive().isEqualTo(outcome.wasmInstructions());
        // The same program under the linux profile counts every operator, block and syscalls included.
        Execution linux = emulator.run(
                "echo_json", LinuxEmulatorTest.request("{\"a\":[1,2,3]}", List.of(), Map.of(), ProcessLimits.DEFAULT));
        assertThat(linux.outcome().kernelInstructions()).isPositive();
        assertThat(linux.outcome().instructions()).isGreaterThan(result.instructions());
    }

    @Test
    void runningOutOfFuelFailsTheJobWithTheWorkersErrorAndNoCount() throws Exception {
        // misbehave without arguments spins forever.
        OutlayerResult result = emulator.runOutlayer(
                "misbehave", new byte[0], Map.of(), new ProcessLimits(2_000_000L, 128, 60), context());
        assertThat(result.success()).isFalse();
        assertThat(result.error()).isEqualTo("WASM execution failed: all fuel consumed by WebAssembly");
        assertThat(result.instructions()).isZero();
        assertThat(result.output()).isNull();
        assertThat(result.execution().outcome().killedBy()).isEqualTo(ProcessKilled.Reason.INSTRUCTIONS);
    }

    @Test
    void theDeadlineIsMaxExecutionSecondsButNeverUnderFive() {
        assertThat(ProcessProfile.OUTLAYER.wallSeconds(new ProcessLimits(1, 1, 0.5)))
                .isEqualTo(5);
        assertThat(ProcessProfile.OUTLAYER.wallSeconds(new ProcessLimits(1, 1, 60)))
                .isEqualTo(60);
        assertThat(ProcessProfile.LINUX.wallSeconds(new ProcessLimits(1, 1, 0.5)))
                .isEqualTo(0.5);
    }

    private static Execution ended(ProcessKilled.Reason killedBy, int exitCode, boolean procExit, String stderr) {
        ProcessOutcome outcome =
                new ProcessOutcome(7, exitCode, killedBy, null, 1234, 0, Map.of(), Map.of(), 3_000_000, procExit);
        return new Execution(
                "job", outcome, "out".getBytes(), stderr.getBytes(StandardCharsets.UTF_8), false, 1, 0, false);
    }

    @Test
    void failuresAreReportedInTheWorkersWords() {
        ProcessLimits limits = new ProcessLimits(1_000_000, 128, 2);
        byte[] input = "{\"x\":1}".getBytes(StandardCharsets.UTF_8);
        assertThat(OutlayerResult.of(ended(ProcessKilled.Reason.WALL_TIME, 137, false, ""), input, limits)
                        .error())
                .isEqualTo("WASM execution timed out after 5 seconds (consumed 1234 instructions)");
        // wasmtime reports every proc_exit as an error of the call, status 0 included.
        assertThat(OutlayerResult.of(ended(null, 0, true, ""), input, limits).error())
                .isEqualTo("WASM program exited with error status. This usually means invalid input_data or panic"
                        + " in code. Input received: {\"x\":1}. Original error: Exited with i32 exit status 0");
        assertThat(OutlayerResult.of(ended(null, 3, true, "bad input\n"), input, limits)
                        .error())
                .isEqualTo("bad input\n");
        OutlayerResult returned = OutlayerResult.of(ended(null, 0, false, "log\n"), input, limits);
        assertThat(returned.success()).isTrue();
        assertThat(returned.instructions()).isEqualTo(1234);
        assertThat(new String(returned.output())).isEqualTo("out");
    }

    @Test
    void theRunApiRefusesArgvUnderTheOutlayerProfile() {
        RunRequest withArgs = LinuxEmulatorTest.request("", List.of("x"), Map.of(), ProcessLimits.DEFAULT);
        assertThatThrownBy(() ->
                        emulator.run("printenv", withArgs, ProcessProfile.OUTLAYER, Caller.INTERNAL, PhaseTimer.NONE))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("argv is not available in the outlayer profile");
        assertThatThrownBy(() -> ProcessProfile.named("wasmtime", ProcessProfile.LINUX))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("use \"linux\" or \"outlayer\"");
    }

    @Test
    void theRunApiGivesTheRequestsContextAndEnvUnderTheSystemVariables() throws Exception {
        RunRequest request = LinuxEmulatorTest.request(
                "", List.of(), Map.of("GREETING", "hi", "NEAR_MAX_INSTRUCTIONS", "1"), ProcessLimits.DEFAULT);
        Execution execution =
                emulator.run("printenv", request, ProcessProfile.OUTLAYER, Caller.INTERNAL, PhaseTimer.NONE);
        String out = new String(execution.stdout(), StandardCharsets.UTF_8);
        assertThat(out)
                .contains("GREETING=hi\n", "NEAR_SENDER_ID=alice.test.near\n", "NEAR_MAX_INSTRUCTIONS=1000000000\n")
                .doesNotContain("PATH=", "HOME=");
    }
}
