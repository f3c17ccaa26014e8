package dev.outlayer.bench.targetsystem.executions;

/**
 * One repository of OutLayer's {@code get_popular_repos}: its finished jobs counted by outcome, and
 * the commit of the latest to end.
 */
public record RepoStats(String githubRepo, JobStats.Outcomes outcomes, String lastCommit) {
    /** OutLayer's {@code ORDER BY total_executions DESC}; ours: repositories with as many jobs by name. */
    public static final java.util.Comparator<RepoStats> MOST_JOBS_FIRST = java.util.Comparator.comparingLong(
                    (RepoStats r) -> r.outcomes().total())
            .reversed()
            .thenComparing(RepoStats::githubRepo);
}
