package dev.outlayer.bench.targetsystem.executions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What OutLayer's public dashboard reads (coordinator handlers/public.rs: {@code list_jobs}, {@code
 * get_stats}, {@code get_popular_repos}, {@code get_wasm_info}, {@code get_user_earnings}), over the
 * job store ({@link JobStore#history} and its kin) and the HTTPS calls' costs.
 */
public final class PublicDashboard {
    /** OutLayer's {@code list_jobs}: 50 rows unless asked, at most 100. */
    public static final long DEFAULT_LIMIT = 50;

    public static final long MAX_LIMIT = 100;

    /** OutLayer's {@code get_popular_repos}: {@code LIMIT 10}. */
    public static final int POPULAR_REPOS = 10;

    /** OutLayer's {@code get_stats}: an active worker heartbeated in the last 5 minutes. */
    public static final Duration ACTIVE_WORKER = Duration.ofMinutes(5);

    /** A row of {@code GET /public/jobs}: the history entry, and an HTTPS call's cost (OutLayer's {@code compute_cost_usd}). */
    public record JobRow(JobHistoryEntry entry, String computeCostUsd) {}

    /** {@code GET /public/stats}: the jobs' stats and how many workers are active. */
    public record Stats(JobStats jobs, long activeWorkers) {}

    private final JobStore store;
    private final Function<String, Optional<String>> callCosts;
    private final Clock clock;

    /** @param callCosts an HTTPS call's compute cost by its call id ({@link HttpsCalls#computeCost}) */
    public PublicDashboard(JobStore store, Function<String, Optional<String>> callCosts, Clock clock) {
        this.store = store;
        this.callCosts = callCosts;
        this.clock = clock;
    }

    /**
     * The history, newest first, of one user or (null) everyone's: {@code limit} rows (at most
     * {@link #MAX_LIMIT}) after {@code offset}.
     */
    public List<JobRow> jobs(String userAccountId, long limit, long offset) {
        if (limit < 0 || offset < 0) {
            throw new IllegalArgumentException("limit and offset must not be negative");
        }
        return store.history(userAccountId, Math.min(limit, MAX_LIMIT), offset).stream()
                .map(entry -> new JobRow(
                        entry,
                        entry.httpsCall() ? callCosts.apply(entry.callId()).orElse(null) : null))
                .toList();
    }

    /**
     * Everyone's stats, and the workers whose status is {@code online} or {@code busy} with a
     * heartbeat in the last {@link #ACTIVE_WORKER}.
     */
    public Stats stats() {
        Instant since = clock.instant().minus(ACTIVE_WORKER);
        long active = store.workers().stream()
                .filter(w -> CoordinatorHealth.live(w.status())
                        && w.lastHeartbeatAt().isAfter(since))
                .count();
        return new Stats(store.stats(null), active);
    }

    /** OutLayer's {@code get_user_earnings}: the user's stats (what the user spent, in fact). */
    public JobStats userEarnings(String userAccountId) {
        return store.stats(userAccountId);
    }

    public List<RepoStats> popularRepos() {
        return store.popularRepos(POPULAR_REPOS);
    }

    public Optional<WasmInfo> wasmInfo(String repoUrl, String commitHash, String buildTarget) {
        return store.wasmInfo(repoUrl, commitHash, buildTarget);
    }
}
