package dev.outlayer.bench.targetsystem.executions;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OutLayer's {@code GET /health/detailed} (coordinator handlers/health.rs): each component of the
 * coordinator checked, and an overall {@code healthy}, {@code degraded} or {@code unhealthy} (503)
 * by OutLayer's rules. Mapped to what the stand-in has:
 *
 * <ul>
 *   <li>{@code database}: the job store's PostgreSQL ({@code SELECT 1}, its latency); {@code skipped}
 *       when the jobs are in memory;
 *   <li>{@code redis}: {@code skipped}, always: OutLayer's Redis holds its task queues, which the
 *       stand-in keeps in the job store;
 *   <li>{@code keystore}: its {@code /health}, as OutLayer's;
 *   <li>{@code workers}: {@code worker_status} as OutLayer's (external workers' heartbeats and the
 *       in-process workers', which heartbeat into it as OutLayer's workers do);
 *   <li>{@code event_monitor}: the coordinators' own event monitors (OutLayer's workers run theirs
 *       and report a block height): each one's last receipt block and when it last read the chain's
 *       receipt feed; the chain tip from the chain; no {@code blocks_behind} (a monitor that read the
 *       whole feed has seen every receipt, however many blocks passed since the last one);
 *   <li>{@code tee_attestation}: {@code skipped}: the stand-in's workers attest nothing.
 * </ul>
 */
public final class CoordinatorHealth {
    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorHealth.class);

    /** OutLayer's thresholds: a worker is active with a heartbeat under 2 minutes, a monitor stale from 5. */
    static final long WORKER_HEARTBEAT_WARNING_SECS = 120;

    static final long EVENT_MONITOR_WARNING_SECS = 300;

    /** Workers whose last heartbeat is older are not listed (OutLayer's {@code INTERVAL '24 hours'}). */
    static final Duration WORKERS_LISTED = Duration.ofHours(24);

    /** The keystore's {@code /health} status; throws when it cannot be reached. */
    @FunctionalInterface
    public interface Probe {
        int status() throws Exception;
    }

    /** OutLayer's {@code ServiceCheck}. */
    public record ServiceCheck(
            @JsonProperty("status") String status,
            @JsonProperty("latency_ms") Long latencyMs,

            @JsonProperty("error") @JsonInclude(JsonInclude.Include.NON_NULL)
            String error) {}

    /** OutLayer's {@code WorkerDetail}. */
    public record WorkerDetail(
            @JsonProperty("worker_id") String workerId,
            @JsonProperty("worker_name") String workerName,
            @JsonProperty("status") String status,
            @JsonProperty("last_heartbeat_secs_ago") long lastHeartbeatSecsAgo) {}

    /** OutLayer's {@code WorkersCheck}. */
    public record WorkersCheck(
            @JsonProperty("status") String status,
            @JsonProperty("active") long active,
            @JsonProperty("total") long total,
            @JsonProperty("details") List<WorkerDetail> details) {}

    /** OutLayer's {@code EventMonitorWorkerDetail}: absent members are unknown. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MonitorDetail(
            @JsonProperty("worker_id") String workerId,
            @JsonProperty("current_block") Long currentBlock,
            @JsonProperty("blocks_behind") Long blocksBehind,
            @JsonProperty("last_update_secs_ago") Long lastUpdateSecsAgo) {}

    /** OutLayer's {@code EventMonitorCheck}. */
    public record EventMonitorCheck(
            @JsonProperty("status") String status,

            @JsonProperty("chain_tip_block") @JsonInclude(JsonInclude.Include.NON_NULL)
            Long chainTipBlock,

            @JsonProperty("workers") List<MonitorDetail> workers) {}

    /** OutLayer's {@code TeeAttestationCheck}. */
    public record TeeCheck(
            @JsonProperty("status") String status,
            @JsonProperty("workers") List<Object> workers) {}

    public record Checks(
            @JsonProperty("database") ServiceCheck database,
            @JsonProperty("redis") ServiceCheck redis,
            @JsonProperty("keystore") ServiceCheck keystore,
            @JsonProperty("workers") WorkersCheck workers,
            @JsonProperty("event_monitor") EventMonitorCheck eventMonitor,
            @JsonProperty("tee_attestation") TeeCheck teeAttestation) {}

    /** OutLayer's {@code DetailedHealth}: {@code timestamp} in unix seconds. */
    public record Report(
            @JsonProperty("status") String status,
            @JsonProperty("timestamp") long timestamp,
            @JsonProperty("checks") Checks checks) {
        /** OutLayer's answer: 503 when unhealthy, else 200. */
        public int httpStatus() {
            return status.equals("unhealthy") ? 503 : 200;
        }
    }

    private final JobStore store;
    private final Probe keystore;
    private final Supplier<List<EventMonitor.Progress>> monitors;
    private final LongSupplier chainTip;
    private final Clock clock;

    /**
     * @param keystore the keystore's health, or null when the coordinator has none configured
     * @param monitors where the event monitors of the coordinators sharing the store stand
     * @param chainTip the chain's latest block height
     */
    public CoordinatorHealth(
            JobStore store,
            Probe keystore,
            Supplier<List<EventMonitor.Progress>> monitors,
            LongSupplier chainTip,
            Clock clock) {
        this.store = store;
        this.keystore = keystore;
        this.monitors = monitors;
        this.chainTip = chainTip;
        this.clock = clock;
    }

    public Report check() {
        ServiceCheck database = database();
        ServiceCheck redis = new ServiceCheck("skipped", null, "no Redis: the task queues are kept in the job store");
        ServiceCheck keystore = keystore();
        WorkersCheck workers = workers();
        EventMonitorCheck monitor = eventMonitor();
        TeeCheck tee = new TeeCheck("skipped", List.of());
        boolean unhealthy = database.status().equals("error")
                || redis.status().equals("error")
                || workers.status().equals("critical")
                || workers.status().equals("error");
        boolean degraded = keystore.status().equals("error")
                || workers.status().equals("warning")
                || List.of("error", "critical", "warning").contains(monitor.status())
                || List.of("error", "warning").contains(tee.status());
        return new Report(
                unhealthy ? "unhealthy" : degraded ? "degraded" : "healthy",
                clock.instant().getEpochSecond(),
                new Checks(database, redis, keystore, workers, monitor, tee));
    }

    private ServiceCheck database() {
        if (!store.database()) {
            return new ServiceCheck("skipped", null, "no database: the jobs are kept in memory (no --jobs-db-url)");
        }
        long start = System.nanoTime();
        try {
            store.ping();
            return new ServiceCheck("ok", millisSince(start), null);
        } catch (RuntimeException e) {
            LOG.error("Health check: database error: {}", e.toString());
            return new ServiceCheck("error", null, "database unavailable");
        }
    }

    private ServiceCheck keystore() {
        if (keystore == null) {
            return new ServiceCheck("skipped", null, "no keystore configured");
        }
        long start = System.nanoTime();
        int status;
        try {
            status = keystore.status();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ServiceCheck("error", null, "keystore unreachable");
        } catch (Exception e) {
            LOG.error("Health check: keystore unreachable: {}", e.toString());
            return new ServiceCheck("error", null, "keystore unreachable");
        }
        long latency = millisSince(start);
        if (status < 200 || status > 299) {
            LOG.warn("Health check: keystore returned HTTP {}", status);
            return new ServiceCheck("error", latency, "keystore unhealthy");
        }
        return new ServiceCheck("ok", latency, null);
    }

    private WorkersCheck workers() {
        Instant now = clock.instant();
        List<WorkerStatus> rows;
        try {
            rows = store.workers();
        } catch (RuntimeException e) {
            LOG.error("Health check: failed to query workers: {}", e.toString());
            return new WorkersCheck("error", 0, 0, List.of());
        }
        List<WorkerDetail> details = new ArrayList<>();
        long active = 0;
        for (WorkerStatus worker : rows) {
            if (!worker.lastHeartbeatAt().isAfter(now.minus(WORKERS_LISTED))) {
                continue;
            }
            long ago = secondsBetween(worker.lastHeartbeatAt(), now);
            if (live(worker.status()) && ago < WORKER_HEARTBEAT_WARNING_SECS) {
                active++;
            }
            details.add(new WorkerDetail(worker.workerId(), worker.workerName(), worker.status(), ago));
        }
        // OutLayer's rule: critical only with no active worker at all (stale ones are normal in a rotation)
        return new WorkersCheck(active == 0 ? "critical" : "ok", active, details.size(), details);
    }

    /** OutLayer counts a worker that says {@code online} or {@code busy}. */
    static boolean live(String status) {
        return status.equals("online") || status.equals("busy");
    }

    private EventMonitorCheck eventMonitor() {
        Instant now = clock.instant();
        Long tip;
        try {
            tip = chainTip.getAsLong();
        } catch (RuntimeException e) {
            LOG.warn("Health check: failed to read the chain tip: {}", e.toString());
            tip = null;
        }
        List<MonitorDetail> details = new ArrayList<>();
        boolean stale = false;
        for (EventMonitor.Progress monitor : monitors.get()) {
            if (monitor.lastReadAt() == null) {
                continue; // not reporting yet, as a worker whose monitor has no block height in OutLayer
            }
            long ago = secondsBetween(monitor.lastReadAt(), now);
            stale |= ago >= EVENT_MONITOR_WARNING_SECS;
            details.add(new MonitorDetail(monitor.name(), monitor.lastBlockHeight(), null, ago));
        }
        String status = details.isEmpty() ? "unknown" : stale ? "warning" : "ok";
        return new EventMonitorCheck(status, tip, details);
    }

    /** PostgreSQL's {@code EXTRACT(EPOCH FROM (now - then))::BIGINT}: whole seconds, half away from zero. */
    static long secondsBetween(Instant then, Instant now) {
        Duration between = Duration.between(then, now);
        return new BigDecimal(between.getSeconds())
                .add(BigDecimal.valueOf(between.getNano(), 9))
                .setScale(0, RoundingMode.HALF_UP)
                .longValueExact();
    }

    private static long millisSince(long startNanos) {
        return java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
