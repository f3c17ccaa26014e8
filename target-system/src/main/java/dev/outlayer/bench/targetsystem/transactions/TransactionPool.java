package dev.outlayer.bench.targetsystem.transactions;

import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transactions that wait for the next block: those whose nonce leaves a gap above their access
 * key's (a lower nonce of the same key may still arrive in this block interval). At the next block
 * boundary they are run grouped by signer and key, in nonce order, as nearcore's transaction pool
 * (chain/pool: grouped by (signer, public key), each group popped in nonce order) hands a chunk
 * the transactions that arrived meanwhile. A transaction whose nonce follows its key's runs at
 * once instead, as before: no lower nonce can come after it.
 */
final class TransactionPool {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionPool.class);

    /** One thread runs the released transactions, in order; it is idle while nothing is held. */
    private static final ScheduledExecutorService RELEASER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "rpc-tx-pool");
        thread.setDaemon(true);
        return thread;
    });

    /** nearcore's pool order: signer, key (and a gas key's nonce slot), then nonce. */
    private static final Comparator<Held> POOL_ORDER = Comparator.<Held, String>comparing(h -> h.tx().signerId())
            .thenComparing(h -> h.tx().publicKey().toString())
            .thenComparingInt(h -> h.tx().nonceIndex())
            .thenComparing((a, b) -> Long.compareUnsigned(a.tx().nonce(), b.tx().nonce()));

    private record Held(SignedTransaction tx, long arrivedAt) {}

    private final BlockClock clock;
    private final Consumer<SignedTransaction> run;
    private final List<Held> held = new ArrayList<>();
    private boolean releaseScheduled;

    /** @param run runs a released transaction (its refusal is its own business: nearcore drops it) */
    TransactionPool(BlockClock clock, Consumer<SignedTransaction> run) {
        this.clock = clock;
        this.run = run;
    }

    /** Keeps {@code tx} for the block after this one. */
    synchronized void hold(SignedTransaction tx) {
        held.add(new Held(tx, clock.latestHeight()));
        scheduleRelease();
    }

    synchronized int size() {
        return held.size();
    }

    private void scheduleRelease() {
        if (releaseScheduled || held.isEmpty()) {
            return;
        }
        releaseScheduled = true;
        long blockTime = clock.blockTimeMillis();
        long untilNextBlock = blockTime - clock.millisSinceGenesis() % blockTime + 1;
        // At the boundary, and every quarter block after it for a clock moved by hand.
        RELEASER.schedule(this::release, Math.max(1, Math.min(untilNextBlock, blockTime / 4)), TimeUnit.MILLISECONDS);
    }

    /** Runs, in pool order, what arrived before the current block. */
    private void release() {
        List<Held> due = new ArrayList<>();
        synchronized (this) {
            releaseScheduled = false;
            long height = clock.latestHeight();
            held.removeIf(h -> {
                if (h.arrivedAt() < height) {
                    due.add(h);
                    return true;
                }
                return false;
            });
            scheduleRelease();
        }
        due.sort(POOL_ORDER);
        for (Held h : due) {
            try {
                run.accept(h.tx());
            } catch (RuntimeException e) {
                LOG.debug("pooled transaction {} dropped: {}", h.tx().hashText(), e.getMessage());
            }
        }
    }
}
