package dev.outlayer.bench.targetsystem;

import dev.outlayer.bench.targetsystem.contracts.ReceiptFeed;
import dev.outlayer.bench.targetsystem.executions.ReceiptSource;
import java.util.ArrayList;
import java.util.List;

/**
 * The contract simulator's receipt feed as the event monitor's source: the outcomes of receipts on
 * the monitored contract (the only ones the monitor reads), watched from the moment this exists.
 */
final class FeedReceiptSource implements ReceiptSource {
    private final ReceiptFeed feed;

    FeedReceiptSource(ReceiptFeed feed, String contractId) {
        this.feed = feed;
        feed.watch(contractId);
    }

    @Override
    public Batch after(long cursor, int max, long waitMillis) throws InterruptedException {
        ReceiptFeed.Page page = feed.after(cursor, max, waitMillis);
        List<ReceiptOutcome> outcomes = new ArrayList<>(page.entries().size());
        for (ReceiptFeed.Entry e : page.entries()) {
            outcomes.add(new ReceiptOutcome(
                    e.seq(),
                    e.txHash(),
                    e.receiptId(),
                    e.receiverId(),
                    e.predecessorId(),
                    e.signerPublicKey(),
                    e.blockHeight(),
                    e.gasBurnt(),
                    e.logs(),
                    e.success(),
                    e.executedAtMicros()));
        }
        return new Batch(outcomes, page.missed());
    }
}
