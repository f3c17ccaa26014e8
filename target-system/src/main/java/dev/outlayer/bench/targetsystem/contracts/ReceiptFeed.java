package dev.outlayer.bench.targetsystem.contracts;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The outcomes of receipts on the watched accounts, in execution order, each with a sequence
 * number: what an indexer filtered to the accounts its readers follow serves (OutLayer's event
 * monitor reads neardata.xyz blocks and looks only at receipts on its contract). A reader
 * {@link #watch watches} an account before it reads; receipts on accounts nobody watches are not
 * kept, so a simulator without readers (a load test of plain calls) holds no outcomes. Readers
 * keep their own cursor, so any number of monitors follow it independently. Bounded: a reader
 * that falls more than {@link #CAPACITY} entries behind is told how many it missed.
 */
public final class ReceiptFeed {
    public static final int CAPACITY = 16_384;

    /**
     * One receipt's outcome.
     *
     * @param seq the entry's position in the feed (1, 2, ...)
     * @param txHash the transaction whose tree the receipt belongs to
     * @param executedAtMicros wall-clock time (epoch microseconds) the outcome was recorded
     */
    public record Entry(
            long seq,
            String txHash,
            String receiptId,
            String receiverId,
            String predecessorId,
            String signerId,
            String signerPublicKey,
            long blockHeight,
            long gasBurnt,
            List<String> logs,
            boolean success,
            long executedAtMicros) {}

    /** What a reader gets: the entries after its cursor, and how many it missed by falling behind. */
    public record Page(List<Entry> entries, long missed) {}

    private final Entry[] ring = new Entry[CAPACITY];
    private long last;
    /** Read on every receipt without the lock: replaced, never changed. */
    private volatile Set<String> watched = Set.of();

    /** Keeps the outcomes of receipts on {@code accountId} from now on (for every reader). */
    public synchronized void watch(String accountId) {
        Set<String> more = new HashSet<>(watched);
        more.add(accountId);
        watched = Set.copyOf(more);
    }

    /** Whether outcomes of receipts on {@code receiverId} are kept. */
    public boolean watches(String receiverId) {
        return watched.contains(receiverId);
    }

    synchronized void append(
            String txHash,
            String receiptId,
            String receiverId,
            String predecessorId,
            String signerId,
            String signerPublicKey,
            long blockHeight,
            long gasBurnt,
            List<String> logs,
            boolean success) {
        long seq = ++last;
        long micros = java.time.temporal.ChronoUnit.MICROS.between(java.time.Instant.EPOCH, java.time.Instant.now());
        ring[(int) (seq % CAPACITY)] = new Entry(
                seq,
                txHash,
                receiptId,
                receiverId,
                predecessorId,
                signerId,
                signerPublicKey,
                blockHeight,
                gasBurnt,
                logs,
                success,
                micros);
        notifyAll();
    }

    /** The sequence number of the newest entry (0 when empty): a cursor that reads only what comes next. */
    public synchronized long head() {
        return last;
    }

    /**
     * Up to {@code max} entries after {@code cursor}, waiting up to {@code waitMillis} for the
     * first one when there is none yet.
     */
    public synchronized Page after(long cursor, int max, long waitMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        while (last <= cursor) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return new Page(List.of(), 0);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        long oldest = Math.max(1, last - CAPACITY + 1);
        long from = Math.max(cursor + 1, oldest);
        long missed = from - (cursor + 1);
        long to = Math.min(last, from + max - 1);
        List<Entry> entries = new ArrayList<>((int) (to - from + 1));
        for (long seq = from; seq <= to; seq++) {
            entries.add(ring[(int) (seq % CAPACITY)]);
        }
        return new Page(entries, missed);
    }
}
