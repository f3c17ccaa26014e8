package dev.outlayer.bench.targetsystem.contracts;

import static dev.outlayer.bench.targetsystem.contracts.TestContracts.text;
import static dev.outlayer.bench.targetsystem.contracts.TestContracts.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * The bundled OutLayer-compatible contract (resources/contracts/outlayer) on the simulator: the
 * request's event and parked yield, resolution by the operator only, the callback's result and
 * payment, the yield timeout's refund, cancel_stale_execution and the large-output flow, with
 * OutLayer's messages, event shapes and fees (contract/src/execution.rs, lib.rs on main).
 */
class OutlayerContractTest {
    private static final String OUTLAYER = ContractSimulator.OUTLAYER_ACCOUNT;
    private static final String OPERATOR = ContractSimulator.OUTLAYER_OPERATOR;
    private static final String ALICE = "alice.test.near";
    private static final String BOB = "bob.test.near";
    private static final BigInteger DEPOSIT = new BigInteger("10000000000000000000000"); // 0.01 NEAR
    private static final BigInteger BASE_FEE = new BigInteger("1000000000000000000000"); // 0.001 NEAR
    private static final String SOURCE = "{\"WasmUrl\":{\"url\":\"https://example.org/echo.wasm\",\"hash\":\"ab12\"}}";
    private static final String LIMITS = "{\"max_instructions\":1000000000,\"max_execution_seconds\":10}";

    private final AtomicLong now = new AtomicLong(1_000_000L);

    @AutoClose
    private ContractSimulator simulator;

    private void start(long blockTimeMillis) {
        simulator = new ContractSimulator(true, new BlockClock(0, blockTimeMillis, now::get));
        simulator.deploy(OUTLAYER, bundled());
        BigInteger hundred = ContractSimulator.DEFAULT_BALANCE;
        for (String account : List.of(ALICE, BOB, OPERATOR)) {
            simulator.putAccount(account, hundred);
        }
        TxOutcome init = call(
                OUTLAYER,
                "new",
                "{\"owner_id\":\"" + OUTLAYER + "\",\"operator_id\":\"" + OPERATOR + "\"}",
                BigInteger.ZERO);
        assertThat(init.finalStatus()).isInstanceOf(ExecutionStatus.SuccessValue.class);
    }

    private static byte[] bundled() {
        try {
            return Files.readAllBytes(
                    Path.of(System.getProperty("outlayer.root", ".."), "resources/contracts/outlayer/outlayer.wasm"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TxOutcome call(String caller, String method, String args, BigInteger deposit) {
        return simulator.call(
                CallRequest.call(OUTLAYER, method, utf8(args))
                        .withCaller(caller, caller)
                        .withDeposit(deposit),
                WaitMode.ALL_RECEIPTS,
                HostBinding.DIRECT);
    }

    private TxOutcome request(String input) {
        return call(
                ALICE,
                "request_execution",
                "{\"source\":" + SOURCE + ",\"resource_limits\":" + LIMITS + ",\"input_data\":\"" + input
                        + "\",\"response_format\":\"Text\"}",
                DEPOSIT);
    }

    private String view(String method, String args) {
        Outcome out = simulator.execute(CallRequest.view(OUTLAYER, method, utf8(args)));
        assertThat(out.success()).as(out.errorMessage()).isTrue();
        return text(out.result());
    }

    private static List<String> logs(TxOutcome tree) {
        return tree.receiptsOutcome().stream().flatMap(o -> o.logs().stream()).toList();
    }

    private static JsonNode event(TxOutcome tree, String name) throws IOException {
        for (String log : logs(tree)) {
            if (log.startsWith("EVENT_JSON:")) {
                JsonNode event = JsonCodec.MAPPER.readTree(log.substring("EVENT_JSON:".length()));
                if (event.path("event").asText().equals(name)) {
                    return event;
                }
            }
        }
        throw new AssertionError("no " + name + " event in " + logs(tree));
    }

    private static String failure(TxOutcome tree) {
        ExecutionStatus status = tree.firstReceipt().status();
        assertThat(status).isInstanceOf(ExecutionStatus.Failure.class);
        return ((ExecutionStatus.Failure) status).message();
    }

    private static String value(ExecutionStatus status) {
        assertThat(status).isInstanceOf(ExecutionStatus.SuccessValue.class);
        return text(((ExecutionStatus.SuccessValue) status).value());
    }

    private static boolean refundedTo(TxOutcome tree, String account) {
        return tree.receiptsOutcome().stream()
                .anyMatch(
                        o -> o.executorId().equals(account) && o.predecessorId().equals(OUTLAYER));
    }

    private static String resolve(long requestId, boolean success, String output, String error) {
        return "{\"request_id\":" + requestId + ",\"response\":{\"success\":" + success + ",\"output\":" + output
                + ",\"error\":" + error + ",\"resources_used\":{\"instructions\":5000000,\"time_ms\":12}}}";
    }

    @Test
    void requestEmitsOutLayersEventAndParksAYield() throws IOException {
        start(1000);
        TxOutcome requested = request("hi");

        assertThat(requested.finalStatus()).as("waits for the callback").isInstanceOf(ExecutionStatus.Unknown.class);
        assertThat(simulator.waitingYields()).isEqualTo(1);
        String log = requested.firstReceipt().logs().get(0);
        assertThat(log)
                .startsWith("EVENT_JSON:{\"standard\":\"near-outlayer\",\"version\":\"1.0.0\","
                        + "\"event\":\"execution_requested\",\"data\":[{\"request_data\":\"{\\\"request_id\\\":0,");
        JsonNode data = event(requested, "execution_requested").path("data").get(0);
        assertThat(data.path("data_id")).hasSize(32);
        long blockTimestamp = data.path("timestamp").asLong();
        assertThat(blockTimestamp).isPositive();
        // The worker's request data, key for key in execution.rs's order (preserve_order).
        assertThat(data.path("request_data").asText())
                .isEqualTo("{\"request_id\":0,\"sender_id\":\"alice.test.near\",\"predecessor_id\":\"alice.test.near\","
                        + "\"code_source\":{\"WasmUrl\":{\"url\":\"https://example.org/echo.wasm\",\"hash\":\"ab12\","
                        + "\"build_target\":null}},\"resource_limits\":{\"max_instructions\":1000000000,"
                        + "\"max_memory_mb\":null,\"max_execution_seconds\":10},\"input_data\":\"hi\","
                        + "\"input_data_in_state\":false,\"secrets_ref\":null,\"response_format\":\"Text\","
                        + "\"payment\":\"" + DEPOSIT + "\",\"attached_usd\":\"0\",\"timestamp\":" + blockTimestamp
                        + ",\"compile_only\":false,\"force_rebuild\":false,\"store_on_fastfs\":false,"
                        + "\"use_bound_identity\":false,\"project_uuid\":null,\"project_id\":null}");
        JsonNode pending = JsonCodec.MAPPER.readTree(view("get_request", "{\"request_id\":0}"));
        assertThat(pending.path("payer_account_id").asText()).isEqualTo(ALICE);
        assertThat(pending.path("payment").bigIntegerValue()).isEqualTo(DEPOSIT);
        assertThat(pending.path("data_id")).isEqualTo(data.path("data_id"));
        assertThat(pending.path("output_submitted").asBoolean()).isFalse();
        assertThat(request("again").firstReceipt().logs().get(0)).contains("{\\\"request_id\\\":1,");
    }

    @Test
    void anInputHoldingANulCharacterReachesTheEventIntact() throws IOException {
        // The event monitor queues what the event carries: a store must keep this (docs/jobs-postgres.md, V11).
        start(1000);
        TxOutcome requested = request("a\\u0000b");

        JsonNode requestData = JsonCodec.MAPPER.readTree(event(requested, "execution_requested")
                .path("data")
                .get(0)
                .path("request_data")
                .asText());
        assertThat(requestData.path("input_data").asText()).isEqualTo("a\u0000b");
    }

    @Test
    void operatorResolvesAndTheCallbackReturnsTheResultAndSettlesThePayment() throws IOException {
        start(1000);
        TxOutcome requested = request("hi");

        TxOutcome resolved =
                call(OPERATOR, "resolve_execution", resolve(0, true, "{\"Text\":\"hello\"}", "null"), BigInteger.ZERO);

        assertThat(resolved.finalStatus()).isInstanceOf(ExecutionStatus.SuccessValue.class);
        BigInteger cost = BASE_FEE.add(new BigInteger("100000000000000").multiply(BigInteger.valueOf(5)))
                .add(new BigInteger("100000000000000000").multiply(BigInteger.valueOf(12)));
        assertThat(logs(resolved)).contains("[[yNEAR charged: \"" + cost + "\"]]");
        assertThat(value(requested.finalStatus()))
                .as("the caller gets the output")
                .isEqualTo("\"hello\"");
        JsonNode completed =
                event(requested, "execution_completed").path("data").get(0);
        assertThat(completed.path("success").asBoolean()).isTrue();
        assertThat(completed.path("sender_id").asText()).isEqualTo(ALICE);
        assertThat(completed.path("payment_charged").asText()).isEqualTo(cost.toString());
        assertThat(completed.path("payment_refunded").asText())
                .isEqualTo(DEPOSIT.subtract(cost).toString());
        assertThat(completed.path("resources_used").toString())
                .isEqualTo("{\"instructions\":5000000,\"time_ms\":12,\"compile_time_ms\":null}");
        assertThat(refundedTo(requested, ALICE))
                .as("the excess goes back to the payer")
                .isTrue();
        assertThat(view("get_stats", "")).isEqualTo("[1,\"" + cost + "\"]");
        assertThat(view("get_request", "{\"request_id\":0}")).isEqualTo("null");
        assertThat(simulator.waitingYields()).isZero();
        assertThat(failure(call(OPERATOR, "resolve_execution", resolve(0, true, "null", "null"), BigInteger.ZERO)))
                .as("a request resolves once")
                .contains("Execution request not found");
    }

    @Test
    void onlyTheOperatorResolves() {
        start(1000);
        TxOutcome requested = request("hi");

        TxOutcome refused =
                call(ALICE, "resolve_execution", resolve(0, true, "{\"Text\":\"forged\"}", "null"), BigInteger.ZERO);

        assertThat(failure(refused)).contains("Only operator can call this");
        assertThat(simulator.waitingYields()).isEqualTo(1);
        assertThat(requested.finalStatus()).isInstanceOf(ExecutionStatus.Unknown.class);
        assertThat(failure(call(BOB, "on_execution_response", "{}", BigInteger.ZERO)))
                .contains("Method on_execution_response is private");
    }

    @Test
    void aFailedExecutionKeepsTheBaseFeeAndRefundsTheRest() throws IOException {
        start(1000);
        TxOutcome requested = request("hi");

        call(OPERATOR, "resolve_execution", resolve(0, false, "null", "\"trap: unreachable\""), BigInteger.ZERO);

        assertThat(value(requested.finalStatus())).isEqualTo("null");
        JsonNode completed =
                event(requested, "execution_completed").path("data").get(0);
        assertThat(completed.path("success").asBoolean()).isFalse();
        assertThat(completed.path("error_message").asText()).isEqualTo("trap: unreachable");
        assertThat(completed.path("payment_charged").asText()).isEqualTo(BASE_FEE.toString());
        assertThat(logs(requested))
                .anyMatch(l -> l.startsWith("Execution failed: trap: unreachable. Resources:")
                        && l.endsWith("Refunded " + DEPOSIT.subtract(BASE_FEE) + " yoctoNEAR"));
        assertThat(refundedTo(requested, ALICE)).isTrue();
    }

    @Test
    void aYieldNobodyResolvesTimesOutAndRefundsAllButTheBaseFee() {
        start(1000);
        TxOutcome requested = request("hi");

        now.addAndGet((Fee.YIELD_TIMEOUT_LENGTH_IN_BLOCKS + 1) * 1000);
        simulator.runDueYields();

        assertThat(value(requested.finalStatus())).isEqualTo("null");
        assertThat(logs(requested))
                .contains("[[yNEAR charged: \"" + BASE_FEE + "\"]]")
                .contains("Execution promise failed: Failed. Refunded " + DEPOSIT.subtract(BASE_FEE) + " yoctoNEAR");
        assertThat(refundedTo(requested, ALICE)).isTrue();
        assertThat(failure(call(OPERATOR, "resolve_execution", resolve(0, true, "null", "null"), BigInteger.ZERO)))
                .as("a late worker cannot resolve")
                .contains("Execution request not found");
    }

    @Test
    void cancelStaleExecutionRefundsTheWholePaymentToTheSenderAfterTenMinutes() {
        // Five-second blocks: the yield's 200 blocks (1,000 s) outlast OutLayer's 600 s stale timeout.
        start(5000);
        TxOutcome requested = request("hi");

        assertThat(failure(call(ALICE, "cancel_stale_execution", "{\"request_id\":0}", BigInteger.ZERO)))
                .contains("Execution is not yet stale, please wait");
        now.addAndGet(605_000);
        assertThat(failure(call(BOB, "cancel_stale_execution", "{\"request_id\":0}", BigInteger.ZERO)))
                .contains("Only the sender can cancel this execution");
        TxOutcome cancelled = call(ALICE, "cancel_stale_execution", "{\"request_id\":0}", BigInteger.ZERO);

        assertThat(cancelled.firstReceipt().logs())
                .containsExactly("Cancelled stale execution 0 and refunded payer alice.test.near");
        assertThat(refundedTo(cancelled, ALICE)).isTrue();
        assertThat(failure(call(OPERATOR, "resolve_execution", resolve(0, true, "null", "null"), BigInteger.ZERO)))
                .as("nothing completes after a cancel")
                .contains("Execution request not found");
        now.addAndGet(400_000);
        simulator.runDueYields();
        assertThat(value(requested.finalStatus())).isEqualTo("null");
        assertThat(logs(requested)).contains("Warning: Execution request 0 not found in pending requests");
    }

    @Test
    void largeOutputIsKeptInStateAndReturnedByTheCallback() {
        start(1000);
        TxOutcome requested = request("hi");
        String big = "x".repeat(3000);

        TxOutcome resolved = call(
                OPERATOR,
                "submit_execution_output_and_resolve",
                "{\"request_id\":0,\"output\":{\"Text\":\"" + big + "\"},\"success\":true,\"error\":null,"
                        + "\"resources_used\":{\"instructions\":1,\"time_ms\":1,\"compile_time_ms\":3},"
                        + "\"compilation_note\":\"cached\"}",
                BigInteger.ZERO);

        assertThat(resolved.finalStatus()).isInstanceOf(ExecutionStatus.SuccessValue.class);
        assertThat(logs(resolved)).contains("Resolving execution for request_id: 0 (combined flow)");
        assertThat(value(requested.finalStatus())).isEqualTo("\"" + big + "\"");
        assertThat(logs(requested))
                .contains("Retrieving large output from storage for request_id: 0")
                .anyMatch(l -> l.startsWith("Execution completed successfully. Output: Text(3000 bytes): xxx")
                        && l.endsWith(", cached"));
    }

    @Test
    void paymentBelowTheEstimateIsRefusedAndCompileOnlyNeedsTheBaseFee() {
        start(1000);
        TxOutcome poor = call(
                ALICE, "request_execution", "{\"source\":" + SOURCE + ",\"resource_limits\":" + LIMITS + "}", BASE_FEE);
        assertThat(failure(poor))
                .contains("Insufficient payment: required 2000100000000000000000 yoctoNEAR for compute, got " + BASE_FEE
                        + " yoctoNEAR");
        assertThat(simulator.waitingYields()).isZero();
        assertThat(view("estimate_execution_cost", "{\"resource_limits\":" + LIMITS + "}"))
                .isEqualTo("\"2000100000000000000000\"");

        TxOutcome compileOnly = call(ALICE, "request_execution", "{\"source\":" + SOURCE + "}", BASE_FEE);
        assertThat(compileOnly.firstReceipt().logs().get(0)).contains("\\\"compile_only\\\":true");
        assertThat(failure(call(
                        ALICE,
                        "request_execution",
                        "{\"source\":{\"Project\":{\"project_id\":\"alice.near/app\"}},\"resource_limits\":" + LIMITS
                                + "}",
                        DEPOSIT)))
                .contains("Project not found");
    }

    /**
     * execution.rs (out-layer/outlayer b65db3a) refuses a secrets_ref.profile naming the character with Rust's
     * {@code {:?}} of a char (profile_shape_error): a single quote and a backslash escaped, a newline as
     * backslash-n, other controls as backslash-u and the hex code point in braces, a double quote as it is.
     */
    @Test
    void aSecretsRefProfileIsRefusedNamingItsCharacterAsRustDebugsIt() {
        start(1000);
        String[][] cases = {
            {"a'b", "'\\''"},
            {"a\\\\b", "'\\\\'"},
            {"a\\nb", "'\\n'"},
            {"a\\u0001b", "'\\u{1}'"},
            {"a\\u007fb", "'\\u{7f}'"},
            {"a\\\"b", "'\"'"},
        };
        for (String[] c : cases) {
            TxOutcome refused = call(
                    ALICE,
                    "request_execution",
                    "{\"source\":" + SOURCE + ",\"resource_limits\":" + LIMITS + ",\"secrets_ref\":{\"profile\":\""
                            + c[0] + "\",\"account_id\":\"" + ALICE + "\"}}",
                    DEPOSIT);
            assertThat(failure(refused))
                    .as(c[0])
                    .endsWith("secrets_ref.profile must be 1\u201364 bytes of letters, digits, '-' or '_' (it contains "
                            + c[1] + "); the contract stores no such profile");
        }
    }
}
