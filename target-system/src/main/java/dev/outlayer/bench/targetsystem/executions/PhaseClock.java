package dev.outlayer.bench.targetsystem.executions;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * When each request reached each {@link Phase}, its status, worker and compile-cache result: the
 * phase API's data. A request's phases go into the {@code outlayer_execution_phase_seconds} timer
 * once its callback is done, so the metric only counts whole lifecycles. One per coordinator;
 * keeps the newest {@code capacity} requests.
 */
public final class PhaseClock {
    /** The phase API's view of one request. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ExecutionView(
            @JsonProperty("request_id") long requestId,
            @JsonProperty("status") ExecutionStatus status,
            @JsonProperty("worker_id") String workerId,
            @JsonProperty("compile_cache") String compileCache,
            @JsonProperty("phases_ms") Map<String, Double> phasesMs,
            @JsonProperty("timestamps_us") Map<String, Long> timestampsUs) {}

    private final int capacity;
    private final Map<Long, Entry> entries;
    private final Map<Phase, Timer> timers = new EnumMap<>(Phase.class);
    private final Counter resolved;
    private final Counter failed;
    private final Counter executedTwice;

    public PhaseClock(MeterRegistry registry, int capacity) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, PhaseClock.Entry> eldest) {
                return size() > PhaseClock.this.capacity;
            }
        };
        for (Phase phase : Phase.values()) {
            if (phase.phaseName() != null) {
                timers.put(
                        phase,
                        Timer.builder("outlayer_execution_phase")
                                .description("time of one phase of an off-chain execution, from the previous phase")
                                .tag("phase", phase.phaseName())
                                .publishPercentiles(0.5, 0.95, 0.99)
                                .register(registry));
            }
        }
        this.resolved = Counter.builder("outlayer_execution_requests_resolved")
                .description("requests whose callback returned a result")
                .register(registry);
        this.failed = Counter.builder("outlayer_execution_requests_failed")
                .description("requests whose callback reported a failure")
                .register(registry);
        this.executedTwice = Counter.builder("outlayer_execution_executed_twice")
                .description("requests the contract accepted a second resolution for (must stay 0)")
                .register(registry);
    }

    /** Wall-clock time in epoch microseconds, the unit of every timestamp here. */
    public static long nowMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }

    /** Records the moment unless the request already reached it (first monitor or worker wins). */
    public synchronized void mark(long requestId, Phase phase, long atMicros) {
        entry(requestId).at.putIfAbsent(phase, atMicros);
    }

    /**
     * A worker claimed the request's first job: a takeover after a stale claim restarts the
     * timeline from here, so the phases after it are the new worker's.
     */
    public synchronized void claimed(long requestId, String workerId, long atMicros) {
        Entry entry = entry(requestId);
        entry.at.put(Phase.CLAIMED, atMicros);
        entry.at.keySet().removeIf(p -> p.ordinal() > Phase.CLAIMED.ordinal() && p != Phase.CALLBACK_DONE);
        entry.workerId = workerId;
        entry.compileCache = null;
        if (!entry.status.finished()) {
            entry.status = ExecutionStatus.CLAIMED;
        }
    }

    /**
     * The worker that took the request's execute job after another worker's compile (the task
     * came back through the execute queue): the view names it, the timeline goes on.
     */
    public synchronized void executedBy(long requestId, String workerId) {
        entry(requestId).workerId = workerId;
    }

    public synchronized void status(long requestId, ExecutionStatus status) {
        Entry entry = entry(requestId);
        if (!entry.status.finished()) {
            entry.status = status;
        }
    }

    public synchronized void compileCache(long requestId, boolean hit) {
        entry(requestId).compileCache = hit ? "hit" : "miss";
    }

    /**
     * A resolution transaction a worker of this coordinator sent: for which request, by which
     * worker, and whether the worker recorded it as accepted yet (if not when the callback runs,
     * the event monitor records it from the chain: the worker may have died in between).
     */
    public record SentResolution(long requestId, String workerId, boolean recorded) {}

    /** A worker is about to send this resolution transaction for the request. */
    public synchronized void resolveTxSent(long requestId, String txHash, String workerId) {
        entry(requestId);
        resolveTxs.put(txHash, new SentResolution(requestId, workerId, false));
    }

    /** The worker recorded its resolution transaction as accepted by the chain. */
    public synchronized void resolutionRecorded(String txHash) {
        resolveTxs.computeIfPresent(txHash, (tx, sent) -> new SentResolution(sent.requestId(), sent.workerId(), true));
    }

    private final Map<String, SentResolution> resolveTxs = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SentResolution> eldest) {
            return size() > capacity;
        }
    };

    /** The resolution transaction, if a worker of this coordinator sent it. */
    public synchronized Optional<SentResolution> sentResolution(String txHash) {
        return Optional.ofNullable(resolveTxs.get(txHash));
    }

    /** Whether a worker of this coordinator recorded a resolution of the request that the chain accepted. */
    public synchronized boolean resolutionRecordedFor(long requestId) {
        return resolveTxs.values().stream().anyMatch(sent -> sent.requestId() == requestId && sent.recorded());
    }

    /** The request a resolution transaction was sent for, if a worker of this coordinator sent it. */
    public Optional<Long> requestOfResolveTx(String txHash) {
        return sentResolution(txHash).map(SentResolution::requestId);
    }

    /** The callback ran: the request is finished and its phases go into the metric. */
    public synchronized void callbackDone(long requestId, boolean success, long atMicros) {
        Entry entry = entry(requestId);
        if (entry.status.finished()) {
            return;
        }
        entry.at.put(Phase.CALLBACK_DONE, atMicros);
        entry.status = success ? ExecutionStatus.RESOLVED : ExecutionStatus.FAILED;
        (success ? resolved : failed).increment();
        phasesMicros(entry).forEach((phase, micros) -> timers.get(phase).record(Duration.ofNanos(micros * 1000)));
    }

    /** The contract accepted a second resolution of one request: the lifecycle's one unforgivable error. */
    public void executedTwice() {
        executedTwice.increment();
    }

    public double executedTwiceCount() {
        return executedTwice.count();
    }

    public synchronized Optional<ExecutionView> view(long requestId) {
        Entry entry = entries.get(requestId);
        if (entry == null) {
            return Optional.empty();
        }
        Map<String, Double> phases = new LinkedHashMap<>();
        phasesMicros(entry).forEach((phase, micros) -> phases.put(phase.phaseName(), micros / 1000.0));
        Map<String, Long> timestamps = new LinkedHashMap<>();
        entry.at.forEach((phase, micros) -> timestamps.put(phase.timestampName(), micros));
        return Optional.of(
                new ExecutionView(requestId, entry.status, entry.workerId, entry.compileCache, phases, timestamps));
    }

    /** Each reached moment's distance from the previous reached one; a moment not reached has no phase. */
    private static Map<Phase, Long> phasesMicros(Entry entry) {
        Map<Phase, Long> phases = new EnumMap<>(Phase.class);
        Long previous = null;
        for (Map.Entry<Phase, Long> at : entry.at.entrySet()) {
            if (previous != null && at.getKey().phaseName() != null) {
                phases.put(at.getKey(), Math.max(0, at.getValue() - previous));
            }
            previous = at.getValue();
        }
        return phases;
    }

    private Entry entry(long requestId) {
        return entries.computeIfAbsent(requestId, id -> new Entry());
    }

    private static final class Entry {
        final EnumMap<Phase, Long> at = new EnumMap<>(Phase.class);
        ExecutionStatus status = ExecutionStatus.QUEUED;
        String workerId;
        String compileCache;
    }
}
