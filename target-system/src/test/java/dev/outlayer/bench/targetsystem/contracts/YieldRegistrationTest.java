package dev.outlayer.bench.targetsystem.contracts;

import static dev.outlayer.bench.targetsystem.contracts.TestContracts.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A yield exists as soon as the receipt that created it is applied (nearcore stores it with
 * that receipt): whoever reads the receipt's outcome, as an event monitor does, can resume it at
 * once, and the feed carries the outcome for it.
 */
class YieldRegistrationTest {
    private static final String OUTLAYER = ContractSimulator.OUTLAYER_ACCOUNT;
    private static final String OPERATOR = ContractSimulator.OUTLAYER_OPERATOR;
    private static final String ALICE = "alice.test.near";

    @Test
    void theYieldIsWaitingWhenTheCreatingReceiptsOutcomeIsOut() throws Exception {
        try (ContractSimulator simulator =
                new ContractSimulator(true, new BlockClock(0, 1000, new AtomicLong(1_000_000L)::get))) {
            simulator.receiptFeed().watch(OUTLAYER);
            simulator.deploy(
                    OUTLAYER,
                    Files.readAllBytes(Path.of(
                            System.getProperty("outlayer.root", ".."), "resources/contracts/outlayer/outlayer.wasm")));
            simulator.putAccount(ALICE, ContractSimulator.DEFAULT_BALANCE);
            simulator.putAccount(OPERATOR, ContractSimulator.DEFAULT_BALANCE);
            simulator.call(
                    CallRequest.call(
                                    OUTLAYER,
                                    "new",
                                    utf8("{\"owner_id\":\"" + OUTLAYER + "\",\"operator_id\":\"" + OPERATOR + "\"}"))
                            .withCaller(OUTLAYER, OUTLAYER),
                    WaitMode.ALL_RECEIPTS,
                    HostBinding.DIRECT);
            long before = simulator.receiptFeed().head();

            // FIRST_RECEIPT: only the creating receipt's block has run when this returns
            simulator.call(
                    CallRequest.call(
                                    OUTLAYER,
                                    "request_execution",
                                    utf8("{\"source\":{\"WasmUrl\":{\"url\":\"https://x/e.wasm\",\"hash\":\"ab12\"}},"
                                            + "\"resource_limits\":{\"max_instructions\":1000000000,"
                                            + "\"max_execution_seconds\":10}}"))
                            .withCaller(ALICE, ALICE)
                            .withDeposit(new BigInteger("10000000000000000000000")),
                    WaitMode.FIRST_RECEIPT,
                    HostBinding.DIRECT);

            ReceiptFeed.Page page = simulator.receiptFeed().after(before, 16, 0);
            assertThat(page.entries())
                    .anySatisfy(entry -> assertThat(entry.logs()).anyMatch(log -> log.contains("execution_requested")));
            assertThat(simulator.waitingYields()).isEqualTo(1);
        }
    }
}
