package dev.outlayer.bench.targetsystem.contracts;

import static dev.outlayer.bench.targetsystem.contracts.TestContracts.text;
import static dev.outlayer.bench.targetsystem.contracts.TestContracts.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * OutLayer's stablecoin payments for executions on the bundled contract (contract/src/payment.rs
 * handle_deposit_balance, execution.rs attached_usd and return_attached_usd, lib.rs
 * withdraw_developer_earnings, views.rs): a deposit by {@code ft_transfer_call} of the FT stand-in,
 * a request's {@code attached_usd} taken from the caller's balance, paid to the project's owner on
 * success less the program's {@code refund_usd}, returned on failure, timeout or cancel, and the
 * owner's withdrawal by {@code ft_transfer} with its restore when the transfer fails.
 */
class OutlayerStablecoinTest {
    private static final String OUTLAYER = ContractSimulator.OUTLAYER_ACCOUNT;
    private static final String OPERATOR = ContractSimulator.OUTLAYER_OPERATOR;
    private static final String USDC = ContractSimulator.PAYMENT_TOKEN;
    private static final String ALICE = "alice.test.near";
    private static final String BOB = "bob.test.near";
    private static final String PROJECT = "bob.test.near/echo";
    private static final BigInteger DEPOSIT = new BigInteger("10000000000000000000000"); // 0.01 NEAR
    private static final String V1 = "{\"WasmUrl\":{\"url\":\"https://example.org/echo.wasm\",\"hash\":\"ab12\"}}";
    private static final String LIMITS = "{\"max_instructions\":1000000000,\"max_execution_seconds\":10}";

    private final AtomicLong now = new AtomicLong(1_000_000L);

    @AutoClose
    private ContractSimulator simulator;

    private void start(long blockTimeMillis) throws IOException {
        simulator = new ContractSimulator(true, new BlockClock(0, blockTimeMillis, now::get));
        for (String account : List.of(ALICE, BOB, OPERATOR)) {
            simulator.putAccount(account, ContractSimulator.DEFAULT_BALANCE);
        }
        TestContracts.outlayerWithPaymentToken(simulator, OPERATOR, ALICE);
        ok(call(OUTLAYER, BOB, "create_project", "{\"name\":\"echo\",\"source\":" + V1 + "}", DEPOSIT));
    }

    private TxOutcome call(String contract, String caller, String method, String args, BigInteger deposit) {
        return TestContracts.call(simulator, contract, caller, method, args, deposit);
    }

    private static void ok(TxOutcome tree) {
        assertThat(tree.finalStatus()).as(tree.toString()).isInstanceOf(ExecutionStatus.SuccessValue.class);
    }

    private String view(String contract, String method, String args) {
        Outcome out = simulator.execute(CallRequest.view(contract, method, utf8(args)));
        assertThat(out.success()).as(out.errorMessage()).isTrue();
        return text(out.result());
    }

    private String balance(String account) {
        return view(OUTLAYER, "get_user_stablecoin_balance", "{\"account_id\":\"" + account + "\"}");
    }

    private String earnings(String account) {
        return view(OUTLAYER, "get_developer_earnings", "{\"account_id\":\"" + account + "\"}");
    }

    private String tokens(String token, String account) {
        return view(token, "ft_balance_of", "{\"account_id\":\"" + account + "\"}");
    }

    private static List<String> logs(TxOutcome tree) {
        return tree.receiptsOutcome().stream().flatMap(o -> o.logs().stream()).toList();
    }

    private static String failure(TxOutcome tree) {
        ExecutionStatus status = tree.firstReceipt().status();
        assertThat(status).isInstanceOf(ExecutionStatus.Failure.class);
        return ((ExecutionStatus.Failure) status).message();
    }

    private static String value(TxOutcome tree) {
        assertThat(tree.finalStatus()).as(tree.toString()).isInstanceOf(ExecutionStatus.SuccessValue.class);
        return text(((ExecutionStatus.SuccessValue) tree.finalStatus()).value());
    }

    private TxOutcome depositBalance(long amount) {
        return call(
                USDC,
                ALICE,
                "ft_transfer_call",
                "{\"receiver_id\":\"" + OUTLAYER + "\",\"amount\":\"" + amount
                        + "\",\"msg\":\"{\\\"action\\\":\\\"deposit_balance\\\"}\"}",
                BigInteger.ONE);
    }

    private TxOutcome requestWithUsd(String source, long attachedUsd) {
        return call(
                OUTLAYER,
                ALICE,
                "request_execution",
                "{\"source\":" + source + ",\"resource_limits\":" + LIMITS + ",\"input_data\":\"hi\","
                        + "\"params\":{\"attached_usd\":\"" + attachedUsd + "\"}}",
                DEPOSIT);
    }

    private TxOutcome requestProject(long attachedUsd) {
        return requestWithUsd("{\"Project\":{\"project_id\":\"" + PROJECT + "\"}}", attachedUsd);
    }

    /** 5,000,000 deposited by Alice, then 2,000,000 of it attached to a request of Bob's project. */
    private TxOutcome depositAndRequest() {
        ok(depositBalance(5_000_000));
        return requestProject(2_000_000);
    }

    private TxOutcome resolve(boolean success, String refundUsd) {
        TxOutcome resolved = call(
                OUTLAYER,
                OPERATOR,
                "resolve_execution",
                "{\"request_id\":0,\"response\":{\"success\":" + success + ",\"output\":"
                        + (success ? "{\"Text\":\"hi\"}" : "null") + ",\"error\":"
                        + (success ? "null" : "\"trap: unreachable\"")
                        + ",\"resources_used\":{\"instructions\":1000,\"time_ms\":3,\"compile_time_ms\":null},"
                        + "\"compilation_note\":null,\"refund_usd\":" + refundUsd + "}}",
                BigInteger.ZERO);
        ok(resolved);
        return resolved;
    }

    @Test
    void aDepositByFtTransferCallCreditsTheSendersBalanceAndKeepsTheTokens() throws IOException {
        start(1000);

        TxOutcome first = depositBalance(3_000_000);
        TxOutcome second = depositBalance(2_000_000);

        assertThat(logs(first)).contains("Deposited 3000000 stablecoin to alice.test.near (new balance: 3000000)");
        assertThat(logs(second)).contains("Deposited 2000000 stablecoin to alice.test.near (new balance: 5000000)");
        assertThat(value(second)).as("ft_resolve_transfer: all of it was used").isEqualTo("\"2000000\"");
        assertThat(balance(ALICE)).isEqualTo("\"5000000\"");
        assertThat(balance(BOB)).isEqualTo("\"0\"");
        assertThat(tokens(USDC, OUTLAYER)).isEqualTo("\"5000000\"");
        assertThat(tokens(USDC, ALICE)).isEqualTo("\"995000000\"");
        assertThat(failure(call(
                        OUTLAYER,
                        ALICE,
                        "ft_on_transfer",
                        "{\"sender_id\":\"" + ALICE + "\",\"amount\":\"5\",\"msg\":\"{\\\"action\\\":"
                                + "\\\"deposit_balance\\\"}\"}",
                        BigInteger.ZERO)))
                .as("only the payment token credits a balance")
                .contains("Invalid token contract. Expected: usdc.test.near, got: alice.test.near");
        assertThat(balance(ALICE)).isEqualTo("\"5000000\"");
    }

    @Test
    void aSuccessfulRunPaysTheProjectOwnerLessTheProgramsRefundUsd() throws IOException {
        start(1000);
        ok(depositBalance(5_000_000));

        TxOutcome requested = requestProject(2_000_000);

        assertThat(requested.firstReceipt().logs())
                .contains("Deducted 2000000 stablecoin from alice.test.near for developer payment (remaining: 3000000)")
                .anyMatch(l -> l.startsWith("EVENT_JSON:") && l.contains("\\\"attached_usd\\\":\\\"2000000\\\""));
        assertThat(balance(ALICE)).isEqualTo("\"3000000\"");
        JsonNode request = JsonCodec.MAPPER.readTree(view(OUTLAYER, "get_request", "{\"request_id\":0}"));
        assertThat(request.path("attached_usd").isIntegralNumber()).isTrue();
        assertThat(request.path("attached_usd").asLong()).isEqualTo(2_000_000);

        resolve(true, "500000");

        assertThat(value(requested)).isEqualTo("\"hi\"");
        List<String> settled = logs(requested);
        assertThat(settled)
                .containsSubsequence(
                        "Returned 500000 stablecoin to alice.test.near (change and guest refund)",
                        "Credited 1500000 stablecoin to developer bob.test.near for project bob.test.near/echo"
                                + " (attached=2000000, refund=500000)",
                        "[[yNEAR charged: \"1000300000000000000000\"]]"); // base fee + 3 ms
        assertThat(earnings(BOB)).isEqualTo("\"1500000\"");
        assertThat(earnings(ALICE)).isEqualTo("\"0\"");
        assertThat(balance(ALICE)).isEqualTo("\"3500000\"");
        assertThat(tokens(USDC, OUTLAYER)).as("the tokens stay on the contract").isEqualTo("\"5000000\"");
    }

    @Test
    void aRefundUsdAboveTheAttachmentReturnsAllOfItAndPaysNobody() throws IOException {
        start(1000);
        TxOutcome requested = depositAndRequest();

        resolve(true, "9000000");

        assertThat(logs(requested))
                .contains("Returned 2000000 stablecoin to alice.test.near (change and guest refund)")
                .noneMatch(l -> l.startsWith("Credited"));
        assertThat(earnings(BOB)).isEqualTo("\"0\"");
        assertThat(balance(ALICE)).isEqualTo("\"5000000\"");
    }

    @Test
    void aFailedRunReturnsTheAttachmentToTheCaller() throws IOException {
        start(1000);
        TxOutcome requested = depositAndRequest();

        resolve(false, "null");

        assertThat(value(requested)).isEqualTo("null");
        assertThat(logs(requested))
                .containsSubsequence(
                        "Returned 2000000 stablecoin to alice.test.near (execution failed)",
                        "[[yNEAR charged: \"1000000000000000000000\"]]")
                .noneMatch(l -> l.startsWith("Credited"));
        assertThat(earnings(BOB)).isEqualTo("\"0\"");
        assertThat(balance(ALICE)).isEqualTo("\"5000000\"");
    }

    @Test
    void aYieldThatTimesOutReturnsTheAttachment() throws IOException {
        start(1000);
        TxOutcome requested = depositAndRequest();

        now.addAndGet((Fee.YIELD_TIMEOUT_LENGTH_IN_BLOCKS + 1) * 1000);
        simulator.runDueYields();

        assertThat(value(requested)).isEqualTo("null");
        assertThat(logs(requested))
                .contains("Returned 2000000 stablecoin to alice.test.near (the execution promise failed)");
        assertThat(balance(ALICE)).isEqualTo("\"5000000\"");
        assertThat(earnings(BOB)).isEqualTo("\"0\"");
    }

    @Test
    void cancelStaleExecutionReturnsTheAttachmentWithThePayment() throws IOException {
        // Five-second blocks: the yield's 200 blocks outlast the 600 s after which cancel is allowed.
        start(5000);
        depositAndRequest();
        now.addAndGet(605_000);

        TxOutcome cancelled = call(OUTLAYER, ALICE, "cancel_stale_execution", "{\"request_id\":0}", BigInteger.ZERO);

        assertThat(cancelled.firstReceipt().logs())
                .containsExactly(
                        "Returned 2000000 stablecoin to alice.test.near (the execution was cancelled as stale)",
                        "Cancelled stale execution 0 and refunded payer alice.test.near");
        assertThat(balance(ALICE)).isEqualTo("\"5000000\"");
    }

    @Test
    void aShortBalanceRefusesTheRequestAndChangesNothing() throws IOException {
        start(1000);
        ok(depositBalance(1_000_000));

        String short_ = failure(requestProject(2_000_000));
        String notProject = failure(requestWithUsd(V1, 1));

        assertThat(short_).contains("Insufficient stablecoin balance. Required: 2000000, available: 1000000");
        assertThat(notProject).contains("attached_usd is only valid for Project execution source");
        assertThat(balance(ALICE)).isEqualTo("\"1000000\"");
        assertThat(simulator.waitingYields()).isZero();
        assertThat(view(OUTLAYER, "get_request", "{\"request_id\":0}")).isEqualTo("null");
        assertThat(view(OUTLAYER, "get_stats", "{}")).startsWith("[0,");
    }

    @Test
    void withdrawDeveloperEarningsTransfersThemAllOnThePaymentToken() throws IOException {
        start(1000);
        TxOutcome requested = depositAndRequest();
        resolve(true, "500000");
        ok(requested);
        assertThat(failure(call(OUTLAYER, BOB, "withdraw_developer_earnings", "{}", BigInteger.ZERO)))
                .contains("Requires attached deposit of at least 1 yoctoNEAR");
        assertThat(failure(call(OUTLAYER, ALICE, "withdraw_developer_earnings", "{}", BigInteger.ONE)))
                .contains("No earnings to withdraw");

        TxOutcome withdrawn = call(OUTLAYER, BOB, "withdraw_developer_earnings", "{}", BigInteger.ONE);

        ok(withdrawn);
        assertThat(logs(withdrawn))
                .containsSubsequence(
                        "Developer bob.test.near initiating withdrawal of 1500000 stablecoin",
                        "Developer bob.test.near successfully withdrew 1500000 stablecoin");
        assertThat(withdrawn.receiptsOutcome())
                .as("ft_transfer ran on the payment token")
                .anyMatch(o -> o.executorId().equals(USDC) && o.predecessorId().equals(OUTLAYER));
        assertThat(tokens(USDC, BOB)).isEqualTo("\"1500000\"");
        assertThat(tokens(USDC, OUTLAYER)).isEqualTo("\"3500000\"");
        assertThat(earnings(BOB)).isEqualTo("\"0\"");
        assertThat(failure(call(OUTLAYER, BOB, "withdraw_developer_earnings", "{}", BigInteger.ONE)))
                .contains("No earnings to withdraw");
    }

    @Test
    void aFailedFtTransferRestoresTheEarnings() throws IOException {
        start(1000);
        depositAndRequest();
        resolve(true, "null");
        // The owner moves to another token the contract holds none of: the transfer cannot pay.
        String usdt = "usdt.test.near";
        Path contracts = Path.of(System.getProperty("outlayer.root", ".."), "resources/contracts");
        simulator.deploy(usdt, Files.readAllBytes(contracts.resolve("ft.wasm")));
        ok(call(
                usdt,
                usdt,
                "new_default_meta",
                "{\"owner_id\":\"" + ALICE + "\",\"total_supply\":\"1000000000\"}",
                BigInteger.ZERO));
        ok(call(
                OUTLAYER,
                OUTLAYER,
                "set_payment_token_contract",
                "{\"token_contract\":\"" + usdt + "\"}",
                BigInteger.ZERO));

        TxOutcome withdrawn = call(OUTLAYER, BOB, "withdraw_developer_earnings", "{}", BigInteger.ONE);

        assertThat(withdrawn.receiptsOutcome())
                .anyMatch(o -> o.executorId().equals(usdt) && o.status() instanceof ExecutionStatus.Failure);
        assertThat(logs(withdrawn))
                .containsSubsequence(
                        "Developer bob.test.near initiating withdrawal of 2000000 stablecoin",
                        "ft_transfer failed, restored 2000000 stablecoin to developer bob.test.near");
        assertThat(earnings(BOB)).isEqualTo("\"2000000\"");
        assertThat(tokens(usdt, BOB)).isEqualTo("\"0\"");
        assertThat(tokens(USDC, BOB)).isEqualTo("\"0\"");
    }
}
