package dev.outlayer.bench.targetsystem.tee;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Attestations in this process's memory: the newest {@value #MAX_ATTESTATIONS}, and of them no more than
 * {@value #MAX_QUOTE_BYTES} bytes of quotes, the oldest forgotten first (OutLayer's table keeps every row; a
 * real quote is 5 to 8 KB, and a process's heap cannot keep one per job of a long run).
 */
public final class InMemoryAttestations implements Attestations {
    static final int MAX_ATTESTATIONS = 100_000;
    static final long MAX_QUOTE_BYTES = 64L * 1024 * 1024;

    private final Clock clock;
    private final int maxAttestations;
    private final long maxQuoteBytes;
    /** Every kept attestation, oldest first. */
    private final ArrayDeque<Stored> kept = new ArrayDeque<>();
    /** Each task's kept attestations, oldest first. */
    private final Map<Long, ArrayDeque<Stored>> byTask = new HashMap<>();

    private long nextId = 1;
    private long quoteBytes;

    public InMemoryAttestations(Clock clock) {
        this(clock, MAX_ATTESTATIONS, MAX_QUOTE_BYTES);
    }

    InMemoryAttestations(Clock clock, int maxAttestations, long maxQuoteBytes) {
        this.clock = clock;
        this.maxAttestations = maxAttestations;
        this.maxQuoteBytes = maxQuoteBytes;
    }

    @Override
    public synchronized long store(Entry entry, Instant time) {
        Instant at = time != null ? time : Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
        Stored stored = new Stored(nextId++, entry, at);
        kept.addLast(stored);
        byTask.computeIfAbsent(entry.taskId(), t -> new ArrayDeque<>(1)).addLast(stored);
        quoteBytes += entry.tdxQuote().length;
        while (kept.size() > maxAttestations || (quoteBytes > maxQuoteBytes && kept.size() > 1)) {
            forget(kept.removeFirst());
        }
        return stored.id();
    }

    private void forget(Stored oldest) {
        quoteBytes -= oldest.entry().tdxQuote().length;
        ArrayDeque<Stored> ofTask = byTask.get(oldest.entry().taskId());
        ofTask.removeFirst(); // the oldest of all is the oldest of its task
        if (ofTask.isEmpty()) {
            byTask.remove(oldest.entry().taskId());
        }
    }

    @Override
    public synchronized Optional<Stored> first(long taskId) {
        ArrayDeque<Stored> ofTask = byTask.get(taskId);
        return ofTask == null ? Optional.empty() : Optional.of(ofTask.peekFirst());
    }
}
