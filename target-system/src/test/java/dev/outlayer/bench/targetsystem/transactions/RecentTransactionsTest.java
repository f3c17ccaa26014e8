package dev.outlayer.bench.targetsystem.transactions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.json.RpcJson;
import java.util.ArrayList;
import java.util.List;
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

    /** A counter call's ReceiptView as the engine renders it (ReceiptViews.view), about 600 bytes of JSON. */
    private static ObjectNode receiptView(int i) {
        ObjectNode view = JsonCodec.object()
                .put("predecessor_id", "user" + (i % 32) + ".test.near")
                .put("receiver_id", "counter.test.near")
                .put("receipt_id", "8Qy1bZKSbxXDcYb3cE9K9oS5nPEkNQyf2W2ZrTbqJ" + i)
                .put("priority", 0);
        ObjectNode action = view.putObject("receipt").putObject("Action");
        action.put("signer_id", "user" + (i % 32) + ".test.near")
                .put("signer_public_key", "ed25519:6E8sCci9badyRkXb3JoRpBj5p8C6Tw41ELDZoiihKEtp")
                .put("gas_price", "100000000");
        action.putArray("output_data_receivers");
        action.putArray("input_data_ids");
        action.putArray("actions")
                .addObject()
                .putObject("FunctionCall")
                .put("method_name", "increment")
                .put("args", "e30=")
                .put("gas", 30_000_000_000_000L)
                .put("deposit", "0");
        action.put("is_promise_yield", false);
        return view;
    }

    @Test
    void keptViewsTakeAboutTheHeapTheByteBudgetCounts() {
        int count = 20_000;
        RecentTransactions recent = new RecentTransactions(count, Long.MAX_VALUE);
        List<String> hashes = new ArrayList<>(count);
        long json = 0;
        for (int i = 0; i < count; i++) {
            hashes.add("receipt-" + i);
            json += JsonCodec.bytes(receiptView(i)).length;
        }
        long before = usedHeapAfterGc();
        for (int i = 0; i < count; i++) {
            recent.add(hashes.get(i), 100 + i / 16, receiptView(i));
        }
        long retained = usedHeapAfterGc() - before;

        assertThat(recent.size()).isEqualTo(count);
        // Kept as the RPC answers send it: sorted by key, as nearcore's Values (RpcJson).
        assertThat(recent.view("receipt-7").text())
                .isEqualTo(new String(RpcJson.bytes(receiptView(7)), java.nio.charset.StandardCharsets.UTF_8));
        // As Jackson trees they took about 2.3 KB each, four times their JSON.
        assertThat(retained)
                .as("heap kept by %d views of %d bytes of JSON", count, json)
                .isLessThan(2 * json);
    }

    @Test
    void aViewIsAnsweredAsTheJsonItWasKeptAs() {
        RecentTransactions recent = new RecentTransactions(10, Long.MAX_VALUE);
        recent.add("h", 5, view(1, 0));
        assertThat(recent.view("h").text()).isEqualTo("{\"args\":\"\",\"hash\":\"h1\"}");
        assertThat(recent.includedAt(5)).containsExactly(recent.view("h"));
    }

    private static long usedHeapAfterGc() {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Runtime runtime = Runtime.getRuntime();
            least = Math.min(least, runtime.totalMemory() - runtime.freeMemory());
        }
        return least;
    }
}
