package dev.outlayer.bench.targetsystem.http.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.outlayer.bench.targetsystem.contracts.Outcome;
import dev.outlayer.bench.targetsystem.contracts.TxOutcome;
import dev.outlayer.bench.targetsystem.transactions.OutcomeViews;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * An outcome tree in the shape of NEAR's {@code broadcast_tx_commit} result
 * (FinalExecutionOutcomeView): {@code status}, {@code transaction}, {@code transaction_outcome},
 * {@code receipts_outcome}; each outcome adds this simulator's {@code block_height} and, for a
 * contract call, its {@code timings}. Statuses are rendered by {@link OutcomeViews}, as the RPC
 * emulator's transaction results are.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record NearOutcome(
        OutcomeViews.FinalExecutionStatus status,
        Transaction transaction,
        OutcomeWithId transactionOutcome,
        List<OutcomeWithId> receiptsOutcome,
        @com.fasterxml.jackson.annotation.JsonIgnore long totalGasBurnt,
        @com.fasterxml.jackson.annotation.JsonIgnore String totalTokensBurnt) {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Transaction(String hash, String signerId, String receiverId) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record OutcomeWithId(String id, long blockHeight, OutcomeView outcome) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record OutcomeView(
            List<String> logs,
            List<String> receiptIds,
            long gasBurnt,
            String tokensBurnt,
            String executorId,
            OutcomeViews.ExecutionStatusView status,
            @JsonInclude(JsonInclude.Include.NON_NULL) Timings timings) {}

    /** This simulator's timings of a contract call, microseconds. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Timings(long instantiateUs, long execUs) {
        static Timings of(Outcome call) {
            return call == null ? null : new Timings(call.instantiateNanos() / 1000, call.execNanos() / 1000);
        }
    }

    static NearOutcome of(TxOutcome tree) {
        List<TxOutcome.ExecutionOutcome> receipts = tree.receiptsOutcome();
        List<OutcomeWithId> views = new ArrayList<>(receipts.size());
        long gas = tree.transactionOutcome().gasBurnt();
        BigInteger tokens = tree.transactionOutcome().tokensBurnt();
        for (TxOutcome.ExecutionOutcome r : receipts) {
            views.add(view(r));
            gas += r.gasBurnt();
            tokens = tokens.add(r.tokensBurnt());
        }
        return new NearOutcome(
                OutcomeViews.finalStatus(tree.finalStatus()),
                new Transaction(tree.txHash(), tree.signerId(), tree.receiverId()),
                view(tree.transactionOutcome()),
                views,
                gas,
                tokens.toString());
    }

    private static OutcomeWithId view(TxOutcome.ExecutionOutcome o) {
        return new OutcomeWithId(
                o.id(),
                o.blockHeight(),
                new OutcomeView(
                        o.logs(),
                        o.receiptIds(),
                        o.gasBurnt(),
                        o.tokensBurnt().toString(),
                        o.executorId(),
                        OutcomeViews.status(o.status()),
                        Timings.of(o.call())));
    }
}
