package dev.outlayer.bench.targetsystem.contracts;

import static dev.outlayer.bench.targetsystem.contracts.TestContracts.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The feed keeps the outcomes of receipts on watched accounts only, as an indexer filtered to its
 * readers' accounts: calls nobody follows leave nothing behind, and a watched account's receipts
 * are all there, in order, with their logs.
 */
class ReceiptFeedTest {
    private static final String WATCHED = "watched.test.near";
    private static final String OTHER = "other.test.near";

    @Test
    void keepsTheReceiptsOfWatchedAccountsOnly() throws Exception {
        try (ContractSimulator simulator = TestContracts.simulator(true)) {
            simulator.deploy(WATCHED, TestContracts.wasm("counter"));
            simulator.deploy(OTHER, TestContracts.wasm("counter"));
            ReceiptFeed feed = simulator.receiptFeed();

            simulator.execute(CallRequest.call(WATCHED, "increment", utf8("{}")));
            assertThat(feed.head()).as("nobody watches yet").isZero();

            feed.watch(WATCHED);
            for (int i = 0; i < 3; i++) {
                assertThat(simulator
                                .execute(CallRequest.call(OTHER, "increment", utf8("{}")))
                                .success())
                        .isTrue();
                assertThat(simulator
                                .execute(CallRequest.call(WATCHED, "increment", utf8("{}")))
                                .success())
                        .isTrue();
            }

            ReceiptFeed.Page page = feed.after(0, 16, 0);
            assertThat(page.missed()).isZero();
            assertThat(page.entries()).hasSize(3).allSatisfy(entry -> {
                assertThat(entry.receiverId()).isEqualTo(WATCHED);
                assertThat(entry.success()).isTrue();
                assertThat(entry.logs()).isNotEmpty();
            });
            assertThat(page.entries()).extracting(ReceiptFeed.Entry::seq).containsExactly(1L, 2L, 3L);
            assertThat(feed.watches(OTHER)).isFalse();
        }
    }
}
