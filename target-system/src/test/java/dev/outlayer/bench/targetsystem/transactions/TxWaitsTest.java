package dev.outlayer.bench.targetsystem.transactions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The wait_until waits keep nothing alive once answered. */
class TxWaitsTest {
    @Test
    void anAnsweredWaitLeavesNothingScheduledBehind() {
        TxWaits waits = new TxWaits(BlockClock.startingNow(1_000));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        int before = TxWaits.scheduledTasks();

        for (int i = 0; i < 1_000; i++) {
            TransactionViews.RpcTransactionResponse answer = new TransactionViews.RpcTransactionResponse(
                    null, dev.outlayer.bench.targetsystem.rpc.TxExecutionStatus.values()[i % 6]);
            CompletableFuture<TransactionViews.RpcTransactionResponse> answered = waits.await(() -> answer, deadline);
            assertThat(answered).isCompletedWithValue(answer);
            CompletableFuture<String> done = CompletableFuture.completedFuture("x");
            CompletableFuture<String> pending = new CompletableFuture<>();
            assertThat(waits.within(done, deadline)).isSameAs(done);
            CompletableFuture<String> bounded = waits.within(pending, deadline);
            pending.complete("y");
            assertThat(bounded).isCompletedWithValue("y");
        }

        // Each cancelled timeout stayed queued for its minute, holding its wait (and so the answer).
        assertThat(TxWaits.scheduledTasks() - before)
                .as("timeouts still queued after their waits answered")
                .isLessThan(10);
    }
}
