package dev.outlayer.bench.targetsystem.executions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The in-memory store keeps the newest K finished jobs and the dashboard's aggregates as running
 * totals: over thousands of random jobs (users, repositories, outcomes, instructions, times,
 * payments, resolutions that replace a job's details) its stats and popular repositories are what
 * the old scan over every job computes (done here by the test over all jobs), its history is the
 * newest K, and it keeps K finished jobs.
 */
class InMemoryJobHistoryBoundTest {
    private static final int KEPT = 37;
    private static final String[] USERS = {"alice.near", "bob.near", "carol.near", "dave.near", "erin.near", null};
    private static final String[] CATEGORIES = {
        "failed", "compilation_failed", "execution_failed", "access_denied", "insufficient_payment", "custom", "odd"
    };
    private static final Comparator<JobHistoryEntry> NEWEST_FIRST = Comparator.comparing(
                    (JobHistoryEntry e) -> e.job().completedAt())
            .thenComparingLong(e -> e.job().jobId())
            .reversed();

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-04T05:00:00Z"));

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void statsAndPopularReposStayExactOverAllJobsAndTheHistoryIsTheNewestK(long seed) throws Exception {
        Random random = new Random(seed);
        InMemoryJobStore store = new InMemoryJobStore(Duration.ofSeconds(30), clock, KEPT);
        store.recordWorkerHeartbeat("w1", "compiler", "online", null);
        store.recordWorkerHeartbeat("w2", "executor", "online", null);
        Map<Long, JobHistoryEntry> all = new HashMap<>();
        for (long id = 1; id <= 3000; id++) {
            ExecutionTask task = randomTask(random, id);
            run(store, random, task);
            for (Job job : store.jobs(id)) {
                assertThat(job.status().finished()).isTrue();
                all.put(job.jobId(), new JobHistoryEntry(job, JobOrigin.of(task)));
            }
            if (id % 500 == 0) {
                assertMatches(store, all);
            }
        }
        assertThat(all.size())
                .as("some requests compiled, so more jobs than requests")
                .isGreaterThan(3000);
        assertMatches(store, all);

        InMemoryJobStore.Retained kept = store.retained();
        assertThat(kept.finishedInWindow()).isEqualTo(KEPT);
        assertThat(kept.jobs())
                .as("nothing in progress, nothing pinned: the window")
                .isEqualTo(KEPT);
        assertThat(kept.origins()).isEqualTo(KEPT);
        assertThat(kept.pinnedCompiles()).isZero();
        assertThat(kept.requestsIndexed()).isLessThanOrEqualTo(KEPT);
        InMemoryJobStore.Bookkeeping book = store.bookkeeping();
        assertThat(book.settledTasks())
                .as("every request settled; the newest K are remembered")
                .isEqualTo(KEPT);
        assertThat(book.knownTasks()).as("only unfinished tasks are kept whole").isZero();
        assertThat(book.jobIds())
                .as("at most a compile and an execute job each")
                .isBetween(KEPT, 2 * KEPT);
        assertThat(book.resolvedRequests()).isLessThanOrEqualTo(KEPT);
        assertThat(book.resolutionCounts()).isLessThanOrEqualTo(KEPT);
        assertThat(store.history(null, 100, KEPT - 5))
                .as("an offset past the window gives fewer rows")
                .hasSize(5);
        assertThat(store.history(null, 100, KEPT)).isEmpty();
        store.close();
    }

    private void assertMatches(InMemoryJobStore store, Map<Long, JobHistoryEntry> all) {
        for (String user : USERS) {
            assertThat(store.stats(user)).as("stats of " + user).isEqualTo(referenceStats(all.values(), user));
        }
        assertThat(store.stats("nobody.near")).isEqualTo(referenceStats(List.of(), null));
        assertThat(store.popularRepos(100)).isEqualTo(referencePopularRepos(all.values(), 100));
        assertThat(store.popularRepos(2)).isEqualTo(referencePopularRepos(all.values(), 2));
        assertThat(store.workers()).hasSize(2);
        for (WorkerStatus worker : store.workers()) {
            List<JobHistoryEntry> ofWorker = all.values().stream()
                    .filter(e -> e.job().workerId().equals(worker.workerId()))
                    .toList();
            long succeeded = ofWorker.stream().filter(JobHistoryEntry::success).count();
            assertThat(worker.totalTasksCompleted()).as(worker.workerId()).isEqualTo(succeeded);
            assertThat(worker.totalTasksFailed()).as(worker.workerId()).isEqualTo(ofWorker.size() - succeeded);
        }

        List<JobHistoryEntry> newest =
                all.values().stream().sorted(NEWEST_FIRST).limit(KEPT).toList();
        assertThat(store.history(null, 1000, 0)).isEqualTo(newest);
        assertThat(store.history(null, 10, 3)).isEqualTo(newest.subList(3, 13));
        for (String user : USERS) {
            if (user != null) {
                List<JobHistoryEntry> ofUser = newest.stream()
                        .filter(e -> user.equals(e.origin().userAccountId()))
                        .toList();
                assertThat(store.history(user, 1000, 0))
                        .as("history of " + user)
                        .isEqualTo(ofUser);
                assertThat(store.history(user, 2, 1))
                        .isEqualTo(ofUser.subList(Math.min(1, ofUser.size()), Math.min(3, ofUser.size())));
            }
        }
    }

    /** The old store's scan over every finished job. */
    private static JobStats referenceStats(Iterable<JobHistoryEntry> all, String user) {
        JobStats.Outcomes outcomes = JobStats.Outcomes.NONE;
        long instructions = 0;
        long executions = 0;
        long executionMs = 0;
        BigInteger paid = BigInteger.ZERO;
        Set<String> users = new HashSet<>();
        for (JobHistoryEntry entry : all) {
            if (user != null && !user.equals(entry.origin().userAccountId())) {
                continue;
            }
            outcomes = outcomes.plus(entry.status());
            if (entry.job().instructions() != null) {
                instructions += entry.job().instructions();
            }
            if (entry.executionTimeMs() != null) {
                executions++;
                executionMs += entry.executionTimeMs();
            }
            if (entry.origin().nearPaymentYocto() != null) {
                paid = paid.add(new BigInteger(entry.origin().nearPaymentYocto()));
            }
            if (entry.origin().userAccountId() != null) {
                users.add(entry.origin().userAccountId());
            }
        }
        return new JobStats(outcomes, instructions, JobStats.average(executionMs, executions), paid, users.size());
    }

    private static List<RepoStats> referencePopularRepos(Iterable<JobHistoryEntry> all, int limit) {
        Map<String, JobStats.Outcomes> outcomes = new TreeMap<>();
        Map<String, JobHistoryEntry> latest = new HashMap<>();
        List<JobHistoryEntry> sorted = new ArrayList<>();
        all.forEach(sorted::add);
        sorted.sort(NEWEST_FIRST);
        for (JobHistoryEntry e : sorted) {
            String repo = e.origin().githubRepo();
            if (repo != null) {
                outcomes.merge(repo, JobStats.Outcomes.NONE.plus(e.status()), (a, b) -> a.plus(e.status()));
                latest.putIfAbsent(repo, e);
            }
        }
        return outcomes.entrySet().stream()
                .map(e -> new RepoStats(
                        e.getKey(),
                        e.getValue(),
                        latest.get(e.getKey()).origin().githubCommit()))
                .sorted(RepoStats.MOST_JOBS_FIRST)
                .limit(limit)
                .toList();
    }

    private static ExecutionTask randomTask(Random random, long id) {
        String user = USERS[random.nextInt(USERS.length)];
        CodeSource source = random.nextInt(10) < 7
                ? CodeSource.gitHub("github.com/o/repo-" + random.nextInt(5), "c" + random.nextInt(40), "wasm32-wasip1")
                : CodeSource.wasmUrl("https://example.org/p.wasm", "ab".repeat(31) + "0" + random.nextInt(4), "wasm32");
        String payment = random.nextInt(5) == 0 ? null : new BigInteger(80, random).toString();
        return new ExecutionTask(
                id,
                "data-" + id,
                source,
                new ResourceLimits(1_000_000, 64, 10),
                "{}",
                null,
                "Json",
                JsonNodeFactory.instance.objectNode().put("sender_id", String.valueOf(user)),
                user,
                payment,
                "tx-" + id,
                42,
                false,
                false,
                false,
                null,
                null,
                null,
                null);
    }

    private static JobOutcome randomOutcome(Random random) {
        return random.nextInt(3) == 0
                ? JobOutcome.failed(CATEGORIES[random.nextInt(CATEGORIES.length)], "boom", random.nextInt(50))
                : JobOutcome.succeeded(random.nextInt(1000), random.nextInt(1_000_000_000), null);
    }

    /** The request through the lifecycle: its compile if its wasm is not cached, its execute, its resolution. */
    private void run(InMemoryJobStore store, Random random, ExecutionTask task) throws InterruptedException {
        String checksum = task.codeSource().wasmChecksum();
        assertThat(store.enqueue(task)).isTrue();
        if (store.poll(Set.of(TaskQueue.COMPILE), Duration.ZERO).isPresent()) {
            JobClaim compile = store.claim(
                            new ClaimRequest(task.requestId(), task.dataId(), JobType.COMPILE, "w1", checksum))
                    .orElseThrow();
            tick(random);
            assertThat(store.complete(
                            compile,
                            random.nextInt(8) == 0
                                    ? JobOutcome.failed("compilation_failed", "no", random.nextInt(100))
                                    : JobOutcome.compiled(random.nextInt(100), checksum, "7000", null)))
                    .isTrue();
        }
        store.poll(Set.of(TaskQueue.EXECUTE), Duration.ZERO).orElseThrow();
        JobClaim execute = store.claim(
                        new ClaimRequest(task.requestId(), task.dataId(), JobType.EXECUTE, "w2", checksum))
                .orElseThrow();
        tick(random);
        JobOutcome ran = randomOutcome(random);
        assertThat(store.complete(execute, ran)).isTrue();
        String tx = "resolution-" + task.requestId();
        switch (random.nextInt(4)) {
            case 0 -> {} // not recorded yet
            case 1 -> { // the worker's own record: the job ends again, as the resolution
                tick(random);
                store.recordResolution(AcceptedResolution.reported(execute, tx, ran));
            }
            default -> { // the chain's first (other details), then the worker's report replacing them
                tick(random);
                store.recordResolution(AcceptedResolution.readFromChain(
                        task.requestId(), task.dataId(), tx, "w2", randomOutcome(random)));
                if (random.nextBoolean()) {
                    tick(random);
                    store.recordResolution(AcceptedResolution.reported(execute, tx, ran));
                }
            }
        }
    }

    /** Time goes on by 0 (jobs ending together), 1 or 2 seconds. */
    private void tick(Random random) {
        clock.advance(Duration.ofSeconds(random.nextInt(3)));
    }

    @Test
    void aCompileJobStaysWhileItsTaskAwaitsItsExecuteJobAndTheBookkeepingOfResolutionsIsKept() throws Exception {
        InMemoryJobStore store = new InMemoryJobStore(Duration.ofSeconds(30), clock, 3);
        Random random = new Random(7);
        ExecutionTask waiting = randomTask(random, 1_000_000);
        ExecutionTask github = new ExecutionTask(
                waiting.requestId(),
                waiting.dataId(),
                CodeSource.gitHub("github.com/o/slow", "c1", "wasm32-wasip1"),
                waiting.resourceLimits(),
                "{}",
                null,
                "Json",
                null,
                "alice.near",
                "5",
                "tx-waiting",
                42,
                false,
                false,
                false,
                null,
                null,
                null,
                null);
        String checksum = github.codeSource().wasmChecksum();
        store.enqueue(github);
        store.poll(Set.of(TaskQueue.COMPILE), Duration.ZERO).orElseThrow();
        JobClaim compile = store.claim(
                        new ClaimRequest(github.requestId(), github.dataId(), JobType.COMPILE, "w1", checksum))
                .orElseThrow();
        clock.advance(Duration.ofSeconds(1));
        store.complete(compile, JobOutcome.compiled(5, checksum, "7000", null));
        // the executor has not taken it yet; ten other requests run through their execute jobs meanwhile
        // (their tasks are queued behind it, so they are claimed straight from their keys)
        for (long id = 1; id <= 10; id++) {
            ExecutionTask other = randomTask(random, id);
            store.enqueue(other);
            JobClaim claim = store.claim(new ClaimRequest(id, other.dataId(), JobType.EXECUTE, "w3", null))
                    .orElseThrow();
            clock.advance(Duration.ofSeconds(1));
            store.complete(claim, JobOutcome.succeeded(1, 1, null));
        }
        assertThat(store.history(null, 100, 0))
                .extracting(e -> e.job().requestId())
                .containsExactly(10L, 9L, 8L);
        assertThat(store.jobs(github.requestId()))
                .as("what the executor reads of its compile is kept")
                .extracting(Job::jobType)
                .containsExactly(JobType.COMPILE);
        assertThat(store.retained().pinnedCompiles()).isEqualTo(1);

        store.poll(Set.of(TaskQueue.EXECUTE), Duration.ZERO).orElseThrow();
        JobClaim execute = store.claim(
                        new ClaimRequest(github.requestId(), github.dataId(), JobType.EXECUTE, "w2", checksum))
                .orElseThrow();
        clock.advance(Duration.ofSeconds(1));
        store.complete(execute, JobOutcome.succeeded(1, 1, checksum));
        assertThat(store.jobs(github.requestId()))
                .as("once the execute job ended, the compile job that left the window is forgotten")
                .extracting(Job::jobType)
                .containsExactly(JobType.EXECUTE);
        assertThat(store.retained()).isEqualTo(new InMemoryJobStore.Retained(3, 3, 3, 3, 0));
        assertThat(store.stats("alice.near").outcomes().total())
                .as("both of its jobs count, the one forgotten too")
                .isGreaterThanOrEqualTo(2);

        assertThat(store.claim(new ClaimRequest(github.requestId(), github.dataId(), JobType.COMPILE, "w9", checksum)))
                .as("its compile job left the window, but its request is remembered: not claimed again")
                .isEmpty();
        assertThat(store.enqueue(randomTask(random, 8)))
                .as("request 8 left the window and three requests settled after it: forgotten")
                .isTrue();
        store.close();
    }

    @Test
    void theExactlyOnceBookkeepingKeepsTheNewestKSettledRequestsAndForgetsOlderOnes() throws Exception {
        InMemoryJobStore store = new InMemoryJobStore(Duration.ofSeconds(30), clock, 5);
        Random random = new Random(11);
        ExecutionTask first = randomTask(random, 1);
        JobClaim firstExecute = runExecute(store, first);
        store.recordResolution(AcceptedResolution.reported(firstExecute, "first-a", JobOutcome.succeeded(1, 1, null)));
        for (long id = 2; id <= 5; id++) { // four more settle: the first is still among the newest five
            runExecute(store, randomTask(random, id));
        }
        assertThat(store.enqueue(first)).as("its event again queues nothing").isFalse();
        assertThat(store.recordResolution(AcceptedResolution.reported(firstExecute, "first-a", null)))
                .as("the same transaction again counts nothing")
                .isEqualTo(new AcceptedResolution.Recorded(1, false));
        assertThat(store.recordResolution(AcceptedResolution.readFromChain(1, first.dataId(), "first-b", "w3", null))
                        .executedTwice())
                .as("a second transaction of a remembered request is caught")
                .isTrue();

        for (long id = 6; id <= 10; id++) { // five more settle after its last resolution: it is forgotten
            runExecute(store, randomTask(random, id));
        }
        assertThat(store.bookkeeping()).isEqualTo(new InMemoryJobStore.Bookkeeping(0, 5, 0, 0, 5));
        assertThat(store.resolutions(1)).isZero();
        assertThat(store.enqueue(first))
                .as("a forgotten request's event queues it as if never seen")
                .isTrue();
        store.close();
    }

    @Test
    void anUnfinishedTaskKeepsItsBookkeepingWhileThousandsSettle() throws Exception {
        InMemoryJobStore store = new InMemoryJobStore(Duration.ofSeconds(30), clock, 4);
        Random random = new Random(5);
        ExecutionTask slow = randomTask(random, 1);
        assertThat(store.enqueue(slow)).isTrue();
        JobClaim running = store.claim(new ClaimRequest(1, slow.dataId(), JobType.EXECUTE, "w1", null))
                .orElseThrow();
        for (long id = 2; id <= 2000; id++) {
            runExecute(store, randomTask(random, id));
            if (id % 100 == 0) {
                assertThat(store.heartbeat(running)).isTrue();
            }
        }
        assertThat(store.bookkeeping().settledTasks()).isEqualTo(4);
        assertThat(store.bookkeeping().knownTasks()).as("the one still running").isEqualTo(1);
        assertThat(store.enqueue(slow)).isFalse();
        assertThat(store.claim(new ClaimRequest(1, slow.dataId(), JobType.EXECUTE, "w2", null)))
                .as("its live claim holds the job")
                .isEmpty();
        assertThat(store.recordResolution(
                        AcceptedResolution.reported(running, "slow", JobOutcome.succeeded(1, 1, null))))
                .isEqualTo(new AcceptedResolution.Recorded(1, true));
        assertThat(store.jobs(1)).singleElement().extracting(Job::status).isEqualTo(JobStatus.COMPLETED);
        store.close();
    }

    /** A request whose wasm is cached through its execute job, claimed by its key; returns the claim. */
    private JobClaim runExecute(InMemoryJobStore store, ExecutionTask task) {
        assertThat(store.enqueue(task)).isTrue();
        JobClaim claim = store.claim(new ClaimRequest(task.requestId(), task.dataId(), JobType.EXECUTE, "w3", null))
                .orElseThrow();
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.complete(claim, JobOutcome.succeeded(1, 1, null))).isTrue();
        return claim;
    }
}
