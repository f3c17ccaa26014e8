package dev.outlayer.bench.targetsystem.executions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** OutLayer's detailed health rules (handlers/health.rs) over the stand-in's components, on a clock the test moves. */
class CoordinatorHealthTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-04T05:00:00Z"));
    private final InMemoryJobStore store = new InMemoryJobStore(Duration.ofSeconds(30), clock);
    private final List<EventMonitor.Progress> monitors = new ArrayList<>();
    private CoordinatorHealth.Probe keystore = () -> 200;

    private CoordinatorHealth.Report check(JobStore jobs) {
        return new CoordinatorHealth(jobs, keystore, () -> monitors, () -> 100_000_500L, clock).check();
    }

    private CoordinatorHealth.Report check() {
        return check(store);
    }

    /** One live worker and a monitor that just read the feed: what a healthy coordinator shows. */
    private void healthy() {
        store.recordWorkerHeartbeat("w1", "worker one", "online", null);
        monitors.add(new EventMonitor.Progress("coordinator-events", clock.instant(), 100_000_400L));
    }

    @Test
    void aCoordinatorWithALiveWorkerAndAFreshMonitorIsHealthy() throws Exception {
        healthy();
        CoordinatorHealth.Report report = check();
        assertThat(report.status()).isEqualTo("healthy");
        assertThat(report.httpStatus()).isEqualTo(200);
        assertThat(report.timestamp()).isEqualTo(clock.instant().getEpochSecond());
        String monitor = JsonCodec.MAPPER.writeValueAsString(report.checks().eventMonitor());
        assertThat(monitor)
                .as("OutLayer's EventMonitorCheck, blocks_behind absent")
                .isEqualTo("{\"status\":\"ok\",\"chain_tip_block\":100000500,\"workers\":[{\"worker_id\":"
                        + "\"coordinator-events\",\"current_block\":100000400,\"last_update_secs_ago\":0}]}");
        assertThat(report.checks().database())
                .isEqualTo(new CoordinatorHealth.ServiceCheck(
                        "skipped", null, "no database: the jobs are kept in memory (no --jobs-db-url)"));
    }

    @Test
    void workersAreActiveWhileOnlineOrBusyWithAHeartbeatUnderTwoMinutes() {
        healthy();
        store.recordWorkerHeartbeat("w2", "worker two", "busy", 7L);
        store.recordWorkerHeartbeat("w3", "worker three", "offline", null);
        clock.advance(Duration.ofSeconds(119));
        CoordinatorHealth.WorkersCheck workers = check().checks().workers();
        assertThat(workers.status()).isEqualTo("ok");
        assertThat(workers.active()).isEqualTo(2);
        assertThat(workers.total()).isEqualTo(3);
        assertThat(workers.details())
                .extracting(CoordinatorHealth.WorkerDetail::lastHeartbeatSecsAgo)
                .containsOnly(119L);

        clock.advance(Duration.ofSeconds(1));
        monitors.set(0, new EventMonitor.Progress("coordinator-events", clock.instant(), null));
        CoordinatorHealth.Report report = check();
        assertThat(report.checks().workers().status())
                .as("no active worker at all: critical")
                .isEqualTo("critical");
        assertThat(report.checks().workers().total()).isEqualTo(3);
        assertThat(report.status()).isEqualTo("unhealthy");
        assertThat(report.httpStatus()).isEqualTo(503);
    }

    @Test
    void aWorkerSilentForADayIsNoLongerListed() {
        store.recordWorkerHeartbeat("old", "old", "online", null);
        clock.advance(Duration.ofHours(24));
        healthy();
        assertThat(check().checks().workers().details())
                .extracting(CoordinatorHealth.WorkerDetail::workerId)
                .containsExactly("w1");
    }

    @Test
    void aKeystoreThatFailsOrCannotBeReachedDegradesTheCoordinator() {
        healthy();
        keystore = () -> 500;
        CoordinatorHealth.Report unhealthy = check();
        assertThat(unhealthy.checks().keystore().status()).isEqualTo("error");
        assertThat(unhealthy.checks().keystore().error()).isEqualTo("keystore unhealthy");
        assertThat(unhealthy.checks().keystore().latencyMs()).isNotNull();
        assertThat(unhealthy.status()).isEqualTo("degraded");
        assertThat(unhealthy.httpStatus()).isEqualTo(200);

        keystore = () -> {
            throw new IOException("connection refused");
        };
        assertThat(check().checks().keystore())
                .isEqualTo(new CoordinatorHealth.ServiceCheck("error", null, "keystore unreachable"));
    }

    @Test
    void aDatabaseThatCannotBeReachedMakesItUnhealthy() {
        healthy();
        JobStore down = new ForwardingJobStore(store) {
            @Override
            public boolean database() {
                return true;
            }

            @Override
            public void ping() {
                throw new IllegalStateException("connection refused");
            }
        };
        CoordinatorHealth.Report report = check(down);
        assertThat(report.checks().database())
                .isEqualTo(new CoordinatorHealth.ServiceCheck("error", null, "database unavailable"));
        assertThat(report.status()).isEqualTo("unhealthy");

        JobStore up = new ForwardingJobStore(store) {
            @Override
            public boolean database() {
                return true;
            }
        };
        assertThat(check(up).checks().database().status()).isEqualTo("ok");
    }

    @Test
    void aMonitorThatHasNotReadTheFeedForFiveMinutesIsAWarning() {
        healthy();
        monitors.set(0, new EventMonitor.Progress("coordinator-events", clock.instant(), null));
        monitors.add(new EventMonitor.Progress("coordinator2-events", null, null));
        clock.advance(Duration.ofSeconds(299));
        store.recordWorkerHeartbeat("w1", "worker one", "online", null);
        CoordinatorHealth.EventMonitorCheck fresh = check().checks().eventMonitor();
        assertThat(fresh.status()).isEqualTo("ok");
        assertThat(fresh.workers())
                .as("a monitor that never read reports nothing")
                .containsExactly(new CoordinatorHealth.MonitorDetail("coordinator-events", null, null, 299L));

        clock.advance(Duration.ofSeconds(1));
        CoordinatorHealth.Report report = check();
        assertThat(report.checks().eventMonitor().status()).isEqualTo("warning");
        assertThat(report.status()).isEqualTo("degraded");

        monitors.clear();
        assertThat(check().checks().eventMonitor().status())
                .as("no monitor reporting")
                .isEqualTo("unknown");
    }

    @Test
    void secondsAreRoundedAsPostgresRoundsAnEpochToABigint() {
        Instant then = clock.instant();
        assertThat(CoordinatorHealth.secondsBetween(then, then.plusMillis(1499)))
                .isEqualTo(1);
        assertThat(CoordinatorHealth.secondsBetween(then, then.plusMillis(1500)))
                .isEqualTo(2);
        assertThat(CoordinatorHealth.secondsBetween(then, then.minusMillis(1500)))
                .isEqualTo(-2);
    }
}
