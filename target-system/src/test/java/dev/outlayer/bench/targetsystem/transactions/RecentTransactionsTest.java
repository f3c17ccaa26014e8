package dev.outlayer.bench.targetsystem.transactions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import org.junit.jupiter.api.Test;

/**
 * What {@code tx} and {@code chunk} can still find: the newest transactions, first in first out.
 * The cache it replaces (Caffeine by size) kept a scattered few of a stream of unique hashes once full
 * and dropped most of the newest, and held every transaction's whole Borsh actions (a deploy's code):
 * 700 KB deploys sent with wait_until NONE ran a 512 MiB emulator out of heap.
 */
class RecentTransactionsTest {
    private static ObjectNode view(int i, int padding) {
        return JsonCodec.object().put("hash", "h" + i).put("args", "x".repeat(padding));
    }

    @Test
    void theNewestAreKeptFirstInFirstOut() {
        RecentTransactions recent = new RecentTransactions(1_000, Long.MAX_VALUE);
        for (int i = 0; i < 3_000; i++) {
            recent.add("h" + i, 100 + i / 10, view(i, 0));
        }
        assertThat(recent.size()).isEqualTo(1_000);
        for (int i = 2_000; i < 3_000; i++) {
            assertThat(recent.view("h" + i))
                    .as("h%d, among the newest 1,000", i)
                    .isNotNull();
        }
        assertThat(recent.view("h1999")).isNull();
        assertThat(recent.includedAt(100 + 2_990 / 10)).hasSize(10);
        assertThat(recent.includedAt(100)).as("evicted with its transactions").isEmpty();
    }

    @Test
    void bigTransactionsAreKeptWithinTheByteBudgetAndTheNewestAlways() {
        RecentTransactions recent = new RecentTransactions(1_000, 100_000);
        for (int i = 0; i < 50; i++) {
            recent.add("h" + i, 7, view(i, 30_000));
        }
        assertThat(recent.size()).isEqualTo(3);
        assertThat(recent.view("h49")).isNotNull();
        assertThat(recent.includedAt(7)).hasSize(3);

        recent.add("huge", 8, view(99, 500_000));
        assertThat(recent.view("huge"))
                .as("the newest stays, even alone over the budget")
                .isNotNull();
        assertThat(recent.size()).isEqualTo(1);
        assertThat(recent.includedAt(7)).isEmpty();
    }

    @Test
    void aTransactionAddedTwiceIsKeptOnce() {
        RecentTransactions recent = new RecentTransactions(10, Long.MAX_VALUE);
        recent.add("h", 5, view(1, 0));
        recent.add("h", 5, view(1, 0));
        assertThat(recent.includedAt(5)).hasSize(1);
    }
}
