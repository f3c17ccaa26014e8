package dev.outlayer.bench.targetsystem.executions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the dashboard reads of a {@link JobStore} (OutLayer's execution_history: {@link JobStore#history},
 * {@link JobStore#stats}, {@link JobStore#popularRepos}, {@link JobStore#wasmInfo}), the same from each
 * implementation: a subclass says how to make a fresh, empty store on a given clock.
 */
public abstract class JobHistoryContractTest {
    private static final String CHECKSUM = "ab".repeat(32);
    protected final ManualClock clock = new ManualClock(Instant.parse("2026-12-04T05:00:00Z"));
    protected JobStore store;

    protected abstract JobStore newStore(Duration staleClaimTimeout, ManualClock clock);

    @BeforeEach
    void open() {
        store = newStore(Duration.ofSeconds(30), clock);
    }

    @AfterEach
    void close() throws Exception {
        store.close();
    }

    /** An on-chain request of {@code user} paying {@code payment}, from GitHub when {@code repo} is named. */
    private static ExecutionTask onChain(long id, String user, String payment, String repo, String commit) {
        CodeSource source = repo != null
                ? CodeSource.gitHub(repo, commit, "wasm32-wasip1")
                : CodeSource.wasmUrl("https://example.org/p.wasm", CHECKSUM, "wasm32-wasip1");
        return new ExecutionTask(
                id,
                "data-" + id,
                source,
                new ResourceLimits(1_000_000, 64, 10),
                "{}",
                null,
                "Json",
                JsonNodeFactory.instance.objectNode().put("sender_id", user),
                user,
                payment,
                "tx-" + id,
                42,
                false,
                false,
                false,
                null,
                repo != null ? null : "alice.near/app",
                null,
                null);
    }

    /** An HTTPS call of {@code owner}'s payment key to {@code project}: no payment in NEAR, no transaction. */
    private static ExecutionTask httpsCall(long id, String owner, String project) {
        String callId = "00000000-0000-0000-0000-" + String.format("%012d", id);
        return new ExecutionTask(
                id,
                callId,
                CodeSource.wasmUrl("https://example.org/p.wasm", CHECKSUM, "wasm32-wasip1"),
                new ResourceLimits(1_000_000, 64, 10),
                "{}",
                null,
                "Json",
                JsonNodeFactory.instance.objectNode().put("sender_id", owner),
                owner,
                null,
                null,
                0,
                false,
                false,
                false,
                null,
                true,
                callId,
                project,
                "p0000000000000001",
                null,
                owner,
                0L,
                "10000",
                "0",
                null);
    }

    private JobClaim claim(ExecutionTask task, JobType type, String worker) {
        return store.claim(new ClaimRequest(task.requestId(), task.dataId(), type, worker, CHECKSUM))
                .orElseThrow();
    }

    /** The task queued, its job claimed by {@code worker} and, a second later, ended as {@code outcome}. */
    private JobClaim finish(ExecutionTask task, JobType type, String worker, JobOutcome outcome) {
        store.enqueue(task);
        JobClaim claim = claim(task, type, worker);
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.complete(claim, outcome)).isTrue();
        return claim;
    }

    @Test
    void theHistoryIsTheFinishedJobsNewestFirstWithWhatTheyTookFromTheirTasks() {
        ExecutionTask a = onChain(1, "alice.near", "1000", "github.com/o/one", "c1");
        JobClaim compile = finish(a, JobType.COMPILE, "w1", JobOutcome.compiled(7, CHECKSUM, "7000000", null));
        JobClaim execute = claim(a, JobType.EXECUTE, "w2");
        clock.advance(Duration.ofSeconds(1));
        store.complete(execute, JobOutcome.succeeded(20, 5000, CHECKSUM));
        ExecutionTask b = onChain(2, "bob.near", "2000", null, null);
        finish(b, JobType.EXECUTE, "w1", JobOutcome.failed("execution_failed", "boom", 30));
        ExecutionTask c = httpsCall(3, "carol.near", "carol.near/api");
        finish(c, JobType.EXECUTE, "w2", JobOutcome.succeeded(10, 100, CHECKSUM));
        ExecutionTask inProgress = onChain(4, "alice.near", "1000", "github.com/o/one", "c2");
        store.enqueue(inProgress);
        claim(inProgress, JobType.EXECUTE, "w3");

        List<JobHistoryEntry> history = store.history(null, 100, 0);
        assertThat(history)
                .extracting(e -> e.job().requestId() + "/" + e.job().jobType().wire())
                .as("the in-progress job is in no history")
                .containsExactly("3/execute", "2/execute", "1/execute", "1/compile");

        JobHistoryEntry compiled = history.get(3);
        assertThat(compiled.job().jobId()).isEqualTo(compile.jobId());
        assertThat(compiled.job().workerId()).isEqualTo("w1");
        assertThat(compiled.success()).isTrue();
        assertThat(compiled.status()).isEqualTo("completed");
        assertThat(compiled.compileTimeMs()).isEqualTo(7L);
        assertThat(compiled.executionTimeMs()).isNull();
        assertThat(compiled.job().instructions()).as("a compile job's").isNull();
        assertThat(compiled.job().compileCostYocto()).isEqualTo("7000000");
        assertThat(compiled.job().completedAt()).isEqualTo(Instant.parse("2026-12-04T05:00:01Z"));
        assertThat(compiled.origin())
                .isEqualTo(new JobOrigin("alice.near", "1000", "github.com/o/one", "c1", "tx-1", null));
        assertThat(compiled.httpsCall()).isFalse();
        assertThat(compiled.callId()).isNull();

        JobHistoryEntry ran = history.get(2);
        assertThat(ran.executionTimeMs()).isEqualTo(20L);
        assertThat(ran.compileTimeMs()).isNull();
        assertThat(ran.job().instructions()).isEqualTo(5000L);
        assertThat(ran.job().compileCostYocto()).isNull();

        JobHistoryEntry failed = history.get(1);
        assertThat(failed.success()).isFalse();
        assertThat(failed.status()).isEqualTo("execution_failed");
        assertThat(failed.job().errorDetails()).isEqualTo("boom");
        assertThat(failed.executionTimeMs()).isEqualTo(30L);
        assertThat(failed.job().instructions()).isZero();
        assertThat(failed.origin().projectId()).isEqualTo("alice.near/app");
        assertThat(failed.origin().githubRepo()).isNull();

        JobHistoryEntry call = history.get(0);
        assertThat(call.httpsCall()).isTrue();
        assertThat(call.callId()).isEqualTo(c.callId());
        assertThat(call.origin()).isEqualTo(new JobOrigin("carol.near", null, null, null, null, "carol.near/api"));
    }

    @Test
    void theHistoryIsPagedAndFilteredByUser() {
        for (long id = 1; id <= 5; id++) {
            finish(
                    onChain(id, id % 2 == 0 ? "bob.near" : "alice.near", "1", null, null),
                    JobType.EXECUTE,
                    "w1",
                    JobOutcome.succeeded(id, id, CHECKSUM));
        }
        assertThat(store.history("alice.near", 100, 0))
                .extracting(e -> e.job().requestId())
                .containsExactly(5L, 3L, 1L);
        assertThat(store.history("alice.near", 1, 1))
                .extracting(e -> e.job().requestId())
                .containsExactly(3L);
        assertThat(store.history(null, 2, 0))
                .extracting(e -> e.job().requestId())
                .containsExactly(5L, 4L);
        assertThat(store.history(null, 10, 4))
                .extracting(e -> e.job().requestId())
                .containsExactly(1L);
        assertThat(store.history(null, 0, 0)).isEmpty();
        assertThat(store.history(null, 10, 5)).isEmpty();
        assertThat(store.history("nobody.near", 10, 0)).isEmpty();
    }

    @Test
    void jobsEndedTogetherAreListedTheLaterJobFirst() {
        ExecutionTask a = onChain(1, "alice.near", "1", null, null);
        ExecutionTask b = onChain(2, "alice.near", "1", null, null);
        store.enqueue(a);
        store.enqueue(b);
        JobClaim first = claim(a, JobType.EXECUTE, "w1");
        JobClaim second = claim(b, JobType.EXECUTE, "w1");
        store.complete(second, JobOutcome.succeeded(1, 1, CHECKSUM));
        store.complete(first, JobOutcome.succeeded(1, 1, CHECKSUM));
        assertThat(store.history(null, 10, 0))
                .extracting(e -> e.job().jobId())
                .containsExactly(second.jobId(), first.jobId());
    }

    @Test
    void aJobEndedByItsAcceptedResolutionIsInTheHistoryWithWhatItsWorkerReported() {
        ExecutionTask task = onChain(1, "alice.near", "1000", "github.com/o/one", "c1");
        store.enqueue(task);
        JobClaim execute = claim(task, JobType.EXECUTE, "w1");
        clock.advance(Duration.ofSeconds(1));
        store.recordResolution(AcceptedResolution.reported(execute, "resolve-1", JobOutcome.succeeded(40, 7000, null)));

        JobHistoryEntry entry = store.history(null, 10, 0).get(0);
        assertThat(entry.job().workerId()).isEqualTo("w1");
        assertThat(entry.success()).isTrue();
        assertThat(entry.executionTimeMs()).isEqualTo(40L);
        assertThat(entry.job().instructions()).isEqualTo(7000L);
        assertThat(entry.origin().userAccountId()).isEqualTo("alice.near");
    }

    @Test
    void aJobTakenOverIsOneRowOfTheWorkerThatFinishedIt() {
        ExecutionTask task = onChain(1, "alice.near", "1000", null, null);
        store.enqueue(task);
        JobClaim first = claim(task, JobType.EXECUTE, "w1");
        clock.advance(Duration.ofSeconds(31));
        JobClaim second = claim(task, JobType.EXECUTE, "w2");
        assertThat(store.complete(first, JobOutcome.succeeded(1, 1, CHECKSUM))).isFalse();
        assertThat(store.complete(second, JobOutcome.succeeded(2, 2, CHECKSUM))).isTrue();

        assertThat(store.history(null, 10, 0)).singleElement().satisfies(e -> {
            assertThat(e.job().workerId()).isEqualTo("w2");
            assertThat(e.job().instructions()).isEqualTo(2L);
            assertThat(e.origin().userAccountId()).isEqualTo("alice.near");
        });
    }

    /** OutLayer's list_workers: a worker's completed and failed tasks are its rows in execution_history. */
    @Test
    void aWorkersCountsAreItsFinishedJobsNotItsCompletionNotices() {
        store.recordWorkerHeartbeat("w1", "one", "online", null);
        store.recordWorkerHeartbeat("w2", "two", "online", null);
        finish(onChain(1, "a.near", "1", null, null), JobType.COMPILE, "w1", JobOutcome.succeeded(5, 0, CHECKSUM));
        finish(onChain(2, "a.near", "1", null, null), JobType.EXECUTE, "w1", JobOutcome.failed("custom", "x", 1));
        finish(onChain(3, "a.near", "1", null, null), JobType.EXECUTE, "w1", JobOutcome.succeeded(1, 1, CHECKSUM));
        assertThat(store.recordTaskCompletion("w2", false)).isTrue();
        // a job taken over counts for the worker that finished it; one still running counts for nobody
        ExecutionTask taken = onChain(4, "a.near", "1", null, null);
        store.enqueue(taken);
        JobClaim stale = claim(taken, JobType.EXECUTE, "w1");
        clock.advance(Duration.ofSeconds(31));
        JobClaim takeover = claim(taken, JobType.EXECUTE, "w2");
        assertThat(store.complete(stale, JobOutcome.succeeded(1, 1, CHECKSUM))).isFalse();
        assertThat(store.complete(takeover, JobOutcome.succeeded(1, 1, CHECKSUM)))
                .isTrue();
        ExecutionTask running = onChain(5, "a.near", "1", null, null);
        store.enqueue(running);
        claim(running, JobType.EXECUTE, "w2");

        assertThat(store.workers())
                .extracting(w -> w.workerId() + ":" + w.totalTasksCompleted() + "/" + w.totalTasksFailed())
                .containsExactlyInAnyOrder("w1:2/1", "w2:1/0");
    }

    @Test
    void aFailureOutsideOutLayersCategoriesIsAPlainFailure() {
        finish(onChain(1, "a.near", "1", null, null), JobType.EXECUTE, "w1", JobOutcome.failed("weird", "x", 1));
        finish(onChain(2, "a.near", "1", null, null), JobType.EXECUTE, "w1", JobOutcome.failed(null, "y", 1));
        assertThat(store.history(null, 10, 0))
                .extracting(JobHistoryEntry::status)
                .containsExactly("failed", "failed");
        assertThat(store.stats(null).outcomes()).isEqualTo(new JobStats.Outcomes(2, 0, 2, 0, 0, 0, 0, 0));
    }

    @Test
    void aJobOfATaskTheStoreDoesNotKnowHasNoOrigin() {
        JobClaim claim = store.claim(new ClaimRequest(9, "data-9", JobType.EXECUTE, "w1", CHECKSUM))
                .orElseThrow();
        store.complete(claim, JobOutcome.succeeded(1, 1, CHECKSUM));
        JobHistoryEntry entry = store.history(null, 10, 0).get(0);
        assertThat(entry.origin()).isEqualTo(JobOrigin.NONE);
        assertThat(entry.httpsCall()).as("OutLayer's rule: no transaction hash").isTrue();
    }

    @Test
    void statsCountSumAndAverageTheFinishedJobs() {
        ExecutionTask a = onChain(1, "alice.near", "1000", "github.com/o/one", "c1");
        finish(a, JobType.COMPILE, "w1", JobOutcome.compiled(500, CHECKSUM, null, null));
        JobClaim execute = claim(a, JobType.EXECUTE, "w1");
        store.complete(execute, JobOutcome.succeeded(1, 5000, CHECKSUM));
        finish(
                onChain(2, "bob.near", "2000", null, null),
                JobType.EXECUTE,
                "w1",
                JobOutcome.failed("access_denied", "no", 2));
        finish(
                httpsCall(3, "carol.near", "carol.near/api"),
                JobType.EXECUTE,
                "w1",
                JobOutcome.succeeded(2, 100, CHECKSUM));
        finish(onChain(4, "alice.near", "3", null, null), JobType.EXECUTE, "w1", JobOutcome.failed("custom", "c", 1));
        ExecutionTask pending = onChain(5, "dave.near", "99", null, null);
        store.enqueue(pending);
        claim(pending, JobType.EXECUTE, "w1");

        JobStats all = store.stats(null);
        assertThat(all.outcomes()).isEqualTo(new JobStats.Outcomes(5, 3, 0, 1, 0, 0, 0, 1));
        assertThat(all.totalInstructions()).isEqualTo(5100);
        assertThat(all.averageExecutionTimeMs())
                .as("the execute jobs' times 1, 2, 2, 1: 1.5 rounds to 2; the compile's 500 is no execution")
                .isEqualTo(2);
        assertThat(all.totalNearPaidYocto())
                .as("the request's payment on its compile row and its execute row, as OutLayer sums it")
                .isEqualTo(BigInteger.valueOf(1000 + 1000 + 2000 + 3));
        assertThat(all.uniqueUsers()).isEqualTo(3);

        JobStats alice = store.stats("alice.near");
        assertThat(alice.outcomes()).isEqualTo(new JobStats.Outcomes(3, 2, 0, 0, 0, 0, 0, 1));
        assertThat(alice.totalInstructions()).isEqualTo(5000);
        assertThat(alice.averageExecutionTimeMs()).isEqualTo(1);
        assertThat(alice.totalNearPaidYocto()).isEqualTo(BigInteger.valueOf(2003));
        assertThat(alice.uniqueUsers()).isEqualTo(1);

        assertThat(store.stats("nobody.near"))
                .isEqualTo(new JobStats(JobStats.Outcomes.NONE, 0, 0, BigInteger.ZERO, 0));
    }

    @Test
    void aPaymentBeyondALongIsSummedWhole() {
        String yocto = "340282366920938463463374607431768211455"; // u128::MAX
        finish(onChain(1, "a.near", yocto, null, null), JobType.EXECUTE, "w1", JobOutcome.succeeded(1, 1, CHECKSUM));
        finish(onChain(2, "a.near", yocto, null, null), JobType.EXECUTE, "w1", JobOutcome.succeeded(1, 1, CHECKSUM));
        assertThat(store.stats(null).totalNearPaidYocto()).isEqualTo(new BigInteger(yocto).shiftLeft(1));
    }

    @Test
    void popularReposAreTheMostRunFirstWithTheirLatestCommit() {
        finish(
                onChain(1, "a.near", "1", "github.com/o/one", "c1"),
                JobType.COMPILE,
                "w1",
                JobOutcome.compiled(1, CHECKSUM, null, null));
        finish(
                onChain(2, "a.near", "1", "github.com/o/two", "t1"),
                JobType.EXECUTE,
                "w1",
                JobOutcome.succeeded(1, 1, CHECKSUM));
        finish(
                onChain(3, "a.near", "1", "github.com/o/one", "c3"),
                JobType.EXECUTE,
                "w1",
                JobOutcome.failed("compilation_failed", "x", 1));
        finish(
                onChain(4, "a.near", "1", "github.com/o/one", "c2"),
                JobType.EXECUTE,
                "w1",
                JobOutcome.succeeded(1, 1, CHECKSUM));
        finish(onChain(5, "a.near", "1", null, null), JobType.EXECUTE, "w1", JobOutcome.succeeded(1, 1, CHECKSUM));
        finish(
                onChain(6, "a.near", "1", "github.com/o/Alpha", "a1"),
                JobType.EXECUTE,
                "w1",
                JobOutcome.succeeded(1, 1, CHECKSUM));

        assertThat(store.popularRepos(10))
                .containsExactly(
                        new RepoStats("github.com/o/one", new JobStats.Outcomes(3, 2, 0, 0, 1, 0, 0, 0), "c2"),
                        new RepoStats("github.com/o/Alpha", new JobStats.Outcomes(1, 1, 0, 0, 0, 0, 0, 0), "a1"),
                        new RepoStats("github.com/o/two", new JobStats.Outcomes(1, 1, 0, 0, 0, 0, 0, 0), "t1"));
        assertThat(store.popularRepos(1)).extracting(RepoStats::githubRepo).containsExactly("github.com/o/one");
    }

    @Test
    void wasmInfoFindsAnUploadByWhereItWasBuiltFrom() {
        String other = "cd".repeat(32);
        store.storeWasm(new WasmFile(CHECKSUM, new byte[10], "https://example.org/p.wasm", "h1", "wasm32-wasip1"));
        clock.advance(Duration.ofMillis(1500));
        // a second upload replaces the bytes; the first origin and cache time stay
        store.storeWasm(new WasmFile(CHECKSUM, new byte[12], "https://example.org/q.wasm", "h9", "wasm32-wasip2"));
        store.storeWasm(new WasmFile(other, new byte[3], "github.com/o/one", "c1", null));
        store.cacheWasm("ef".repeat(32)); // compiled without an upload: no origin

        assertThat(store.wasmInfo("https://example.org/p.wasm", "h1", "wasm32-wasip1"))
                .contains(new WasmInfo(CHECKSUM, 12, Instant.parse("2026-12-04T05:00:00Z")));
        assertThat(store.wasmInfo("https://example.org/q.wasm", "h9", "wasm32-wasip2"))
                .isEmpty();
        assertThat(store.wasmInfo("https://example.org/p.wasm", "h1", "wasm32-wasi"))
                .isEmpty();
        assertThat(store.wasmInfo("github.com/o/one", "c1", "wasm32-wasip1"))
                .as("an upload that named no build target matches none")
                .isEmpty();
    }

    @Test
    void ofTwoUploadsFromOneOriginTheEarliestCachedIsFound() {
        String later = "01".repeat(32);
        store.storeWasm(new WasmFile(CHECKSUM, new byte[4], "github.com/o/one", "c1", "wasm32-wasip1"));
        clock.advance(Duration.ofSeconds(1));
        store.storeWasm(new WasmFile(later, new byte[5], "github.com/o/one", "c1", "wasm32-wasip1"));
        assertThat(store.wasmInfo("github.com/o/one", "c1", "wasm32-wasip1"))
                .map(WasmInfo::checksum)
                .contains(CHECKSUM);
    }
}
