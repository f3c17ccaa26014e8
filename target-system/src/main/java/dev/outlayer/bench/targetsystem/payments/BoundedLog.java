package dev.outlayer.bench.targetsystem.payments;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory history that keeps its newest {@code capacity} entries (the oldest are dropped) and
 * counts every entry ever added, without a lock: what the in-memory stores keep of OutLayer's
 * history tables, so that a busy key or owner cannot grow the process's memory without bound.
 */
final class BoundedLog<T> {
    private final ConcurrentLinkedDeque<T> entries = new ConcurrentLinkedDeque<>();
    private final AtomicInteger kept = new AtomicInteger();
    private final AtomicLong total = new AtomicLong();
    private final int capacity;

    BoundedLog(int capacity) {
        this.capacity = capacity;
    }

    void add(T entry) {
        entries.addFirst(entry);
        total.incrementAndGet();
        if (kept.incrementAndGet() > capacity && entries.pollLast() != null) {
            kept.decrementAndGet();
        }
    }

    /** The newest entries from {@code request.offset()}; the total counts all ever added. */
    Page<T> page(Page.Request request) {
        return new Page<>(
                entries.stream().skip(request.offset()).limit(request.limit()).toList(), total.get());
    }

    /** How many entries are kept now. */
    int size() {
        return kept.get();
    }
}
