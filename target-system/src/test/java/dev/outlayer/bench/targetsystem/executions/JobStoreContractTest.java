package dev.outlayer.bench.targetsystem.executions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rules every {@link JobStore} keeps (see its javadoc), run against each implementation: a
 * subclass says how to make a fresh, empty store on a given clock.
 */
public abstract class JobStoreContractTest {
    protected static final Duration STALE = Duration.ofSeconds(30);
    protected final ManualClock clock = new ManualClock(Instant.parse("2026-12-04T05:00:00Z"));
    protected JobStore store;

    /** A fresh store with no tasks or jobs, judging staleness by {@code clock}. */
    protected abstract JobStore newStore(Duration staleClaimTimeout, ManualClock clock);

    @BeforeEach
    void open() {
        store = newStore(STALE, clock);
    }

    @AfterEach
    void close() throws Exception {
        store.close();
    }

    protected static ExecutionTask task(long requestId) {
        return new ExecutionTask(
                requestId,
                "data-" + requestId,
                CodeSource.wasmUrl("program://abc", "ab".repeat(32), "wasm32-wasip1"),
                new ResourceLimits(1_000_000, 64, 10),
                "{\"n\":" + requestId + "}",
                new SecretsReference("default", "alice.test.near"),
                "Text",
                JsonNodeFactory.instance.objectNode().put("sender_id", "alice.test.near"),
                "alice.test.near",
                "1000",
                "tx" + requestId,
                42);
    }

    private static ClaimRequest claimOf(long requestId, JobType type, String worker) {
        return new ClaimRequest(requestId, "data-" + requestId, type, worker, "ab".repeat(32));
    }

    @Test
    void aTaskIsQueuedOnceAndComesBackWhole() throws Exception {
        assertThat(store.enqueue(task(1))).isTrue();
        assertThat(store.enqueue(task(1))).isFalse();

        Optional<ExecutionTask> polled = store.poll(Duration.ZERO);
        assertThat(polled).contains(task(1));
        assertThat(store.poll(Duration.ZERO)).isEmpty();
        // the JSON a worker gets from /tasks/poll reads back into the same task
        assertThat(JsonCodec.read(JsonCodec.bytes(task(1)), ExecutionTask.class))
                .isEqualTo(task(1));
    }

    @Test
    void aTaskWhoseInputHoldsANulCharacterIsQueuedAndComesBackWhole() throws Exception {
        // A request_execution's input_data is any JSON string the caller sent, "\u0000" included: a store
        // that cannot keep it would refuse the event every time it is handed in (PostgreSQL's jsonb does).
        ExecutionTask task = task(7);
        ExecutionTask withNul = new ExecutionTask(
                task.requestId(),
                task.dataId(),
                task.codeSource(),
                task.resourceLimits(),
                "{\"text\":\"a\u0000b\"}\u0000",
                task.secretsRef(),
                task.responseFormat(),
                task.context(),
                task.userAccountId(),
                task.nearPaymentYocto(),
                task.transactionHash(),
                task.blockHeight());
        assertThat(store.enqueue(withNul)).isTrue();
        assertThat(store.poll(Duration.ZERO)).contains(withNul);
    }

    @Test
    void tasksComeOutInArrivalOrder() throws Exception {
        for (long id = 1; id <= 3; id++) {
            store.enqueue(task(id));
        }
        assertThat(store.poll(Duration.ZERO).map(ExecutionTask::requestId)).contains(1L);
        assertThat(store.poll(Duration.ZERO).map(ExecutionTask::requestId)).contains(2L);
        assertThat(store.poll(Duration.ZERO).map(ExecutionTask::requestId)).contains(3L);
    }

    @Test
    void aWaitingPollWakesWhenATaskArrives() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Optional<ExecutionTask>> waiting = pool.submit(() -> store.poll(Duration.ofSeconds(10)));
            Thread.sleep(50);
            store.enqueue(task(9));
            assertThat(waiting.get(10, TimeUnit.SECONDS)).contains(task(9));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void tasksEnqueuedConcurrentlyByTwoMonitorsAreQueuedOnce() throws Exception {
        int monitors = 4;
        int tasks = 200;
        List<Callable<Integer>> seeing = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int m = 0; m < monitors; m++) {
            seeing.add(() -> {
                start.await();
                int created = 0;
                for (long id = 1; id <= tasks; id++) {
                    created += store.enqueue(task(id)) ? 1 : 0;
                }
                return created;
            });
        }
        int created = sumAll(seeing, start);
        assertThat(created).isEqualTo(tasks);
        Set<Long> polled = ConcurrentHashMap.newKeySet();
        Optional<ExecutionTask> next;
        while ((next = store.poll(Duration.ZERO)).isPresent()) {
            assertThat(polled.add(next.get().requestId())).isTrue();
        }
        assertThat(polled).hasSize(tasks);
    }

    @Test
    void concurrentClaimsOfOneJobHaveOneWinner() throws Exception {
        int workers = 8;
        int rounds = 50;
        for (long request = 1; request <= rounds; request++) {
            long id = request;
            CountDownLatch start = new CountDownLatch(1);
            List<Callable<Integer>> claims = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                String worker = "worker-" + w;
                claims.add(() -> {
                    start.await();
                    return store.claim(claimOf(id, JobType.EXECUTE, worker)).isPresent() ? 1 : 0;
                });
            }
            assertThat(sumAll(claims, start)).as("winners for request %d", id).isEqualTo(1);
            assertThat(store.jobs(id)).hasSize(1);
            assertThat(store.jobs(id).get(0).status()).isEqualTo(JobStatus.IN_PROGRESS);
        }
    }

    @Test
    void oneJobOfEachTypePerRequest() {
        JobClaim compile = store.claim(claimOf(5, JobType.COMPILE, "w1")).orElseThrow();
        JobClaim execute = store.claim(claimOf(5, JobType.EXECUTE, "w1")).orElseThrow();
        assertThat(compile.jobId()).isNotEqualTo(execute.jobId());
        assertThat(store.claim(claimOf(5, JobType.COMPILE, "w2"))).isEmpty();
        assertThat(store.complete(compile, JobOutcome.succeeded(12, 0, "ab".repeat(32))))
                .isTrue();
        // a finished job is never claimed again, even once its claim would have gone stale
        clock.advance(STALE.multipliedBy(2));
        assertThat(store.claim(claimOf(5, JobType.COMPILE, "w2"))).isEmpty();
        assertThat(store.jobs(5))
                .extracting(Job::jobType, Job::status)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(JobType.COMPILE, JobStatus.COMPLETED),
                        org.assertj.core.groups.Tuple.tuple(JobType.EXECUTE, JobStatus.IN_PROGRESS));
        assertThat(store.jobs(5).get(0).timeMs()).isEqualTo(12L);
        assertThat(store.jobs(6)).isEmpty();
    }

    @Test
    void aCompleteRecordsTheOutcomeAndASecondCompleteIsRefused() {
        JobClaim claim = store.claim(claimOf(3, JobType.EXECUTE, "w1")).orElseThrow();
        assertThat(store.complete(claim, JobOutcome.failed("execution_failed", "trap", 7)))
                .isTrue();
        assertThat(store.complete(claim, JobOutcome.succeeded(7, 1, null))).isFalse();
        Job job = store.job(claim.jobId()).orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.errorCategory()).isEqualTo("execution_failed");
        assertThat(job.errorDetails()).isEqualTo("trap");
        assertThat(job.completedAt()).isEqualTo(clock.instant());
        assertThat(store.heartbeat(claim)).isFalse();
    }

    @Test
    void aFailureWhoseErrorTextHoldsANulOrAnUnpairedSurrogateIsRecordedWithAReplacementCharacter() {
        // An error text may hold anything a program or a worker printed; PostgreSQL's text cannot
        // hold U+0000, and a refused complete would leave the job claimed until it went stale.
        JobClaim claim = store.claim(claimOf(3, JobType.EXECUTE, "w1")).orElseThrow();
        assertThat(store.complete(claim, JobOutcome.failed("execution_failed", "trap\u0000at 0x10\uD800", 7)))
                .isTrue();
        assertThat(store.job(claim.jobId()).orElseThrow().errorDetails()).isEqualTo("trap\uFFFDat 0x10\uFFFD");
    }

    @Test
    void aLiveClaimIsNotTakenOverWhileItsWorkerHeartbeats() {
        JobClaim first = store.claim(claimOf(4, JobType.EXECUTE, "w1")).orElseThrow();
        for (int i = 0; i < 5; i++) {
            clock.advance(STALE.dividedBy(2));
            assertThat(store.heartbeat(first)).isTrue();
            assertThat(store.claim(claimOf(4, JobType.EXECUTE, "w2"))).isEmpty();
        }
    }

    @Test
    void aWorkersOwnHeartbeatKeepsEveryClaimItHoldsLiveAndNoOneElses() throws Exception {
        // OutLayer's worker heartbeats itself (POST /workers/heartbeat), not its jobs
        store.enqueue(task(21));
        store.poll(Duration.ZERO).orElseThrow();
        JobClaim compile =
                store.claim(claimOf(21, JobType.COMPILE, "outlayer-1")).orElseThrow();
        JobClaim other = store.claim(claimOf(22, JobType.EXECUTE, "outlayer-1")).orElseThrow();
        JobClaim someoneElses = store.claim(claimOf(23, JobType.EXECUTE, "w9")).orElseThrow();
        for (int i = 0; i < 4; i++) {
            clock.advance(STALE.dividedBy(2));
            assertThat(store.heartbeatWorker("outlayer-1")).isEqualTo(2);
            assertThat(store.claim(claimOf(21, JobType.COMPILE, "w2"))).isEmpty();
            assertThat(store.claim(claimOf(22, JobType.EXECUTE, "w2"))).isEmpty();
            assertThat(store.poll(Duration.ZERO)).as("the task of a live claim").isEmpty();
        }
        assertThat(store.claim(claimOf(23, JobType.EXECUTE, "w2")))
                .as("another worker's claim went stale")
                .isPresent();
        assertThat(store.complete(compile, JobOutcome.succeeded(1, 0, null))).isTrue();
        assertThat(store.heartbeatWorker("outlayer-1"))
                .as("a finished job is not kept")
                .isEqualTo(1);
        assertThat(store.heartbeat(other)).isTrue();
        assertThat(store.heartbeat(someoneElses)).isFalse();
        assertThat(store.heartbeatWorker("nobody")).isZero();
    }

    @Test
    void aStaleClaimIsTakenOverAndTheStaleWorkersLateCompleteIsRefused() {
        JobClaim first = store.claim(claimOf(4, JobType.EXECUTE, "w1")).orElseThrow();
        clock.advance(STALE.minusSeconds(1));
        assertThat(store.claim(claimOf(4, JobType.EXECUTE, "w2"))).isEmpty();
        clock.advance(Duration.ofSeconds(2));

        JobClaim second = store.claim(claimOf(4, JobType.EXECUTE, "w2")).orElseThrow();
        assertThat(second.jobId()).isEqualTo(first.jobId());
        assertThat(second.attempt()).isGreaterThan(first.attempt());
        assertThat(store.heartbeat(first)).isFalse();
        assertThat(store.complete(first, JobOutcome.succeeded(1, 1, null))).isFalse();
        assertThat(store.job(first.jobId()).orElseThrow().workerId()).isEqualTo("w2");

        assertThat(store.complete(second, JobOutcome.succeeded(1, 1, null))).isTrue();
        assertThat(store.jobs(4)).hasSize(1);
    }

    @Test
    void theSameWorkerReclaimingAfterStalenessGetsANewAttempt() {
        JobClaim first = store.claim(claimOf(8, JobType.EXECUTE, "w1")).orElseThrow();
        clock.advance(STALE.plusSeconds(1));
        JobClaim again = store.claim(claimOf(8, JobType.EXECUTE, "w1")).orElseThrow();
        assertThat(store.complete(first, JobOutcome.succeeded(1, 1, null))).isFalse();
        assertThat(store.complete(again, JobOutcome.succeeded(1, 1, null))).isTrue();
    }

    @Test
    void aTaskWhoseWorkerWentSilentIsHandedOutAgainUntilItsExecuteJobFinishes() throws Exception {
        store.enqueue(task(11));
        assertThat(store.poll(Duration.ZERO)).isPresent();
        JobClaim dead = store.claim(claimOf(11, JobType.EXECUTE, "w1")).orElseThrow();
        clock.advance(STALE.minusSeconds(1));
        assertThat(store.poll(Duration.ZERO)).isEmpty();
        clock.advance(Duration.ofSeconds(2));

        assertThat(store.poll(Duration.ZERO)).contains(task(11));
        JobClaim taker = store.claim(claimOf(11, JobType.EXECUTE, "w2")).orElseThrow();
        assertThat(store.complete(taker, JobOutcome.succeeded(1, 1, null))).isTrue();
        assertThat(store.complete(dead, JobOutcome.succeeded(1, 1, null))).isFalse();

        clock.advance(STALE.multipliedBy(3));
        assertThat(store.poll(Duration.ZERO)).isEmpty();
    }

    @Test
    void aTaskWhoseClaimWentStaleComesBeforeQueuedOnes() throws Exception {
        store.enqueue(task(13));
        store.poll(Duration.ZERO).orElseThrow();
        store.claim(claimOf(13, JobType.EXECUTE, "w1")).orElseThrow();
        store.enqueue(task(14));
        clock.advance(STALE.plusSeconds(1));
        assertThat(store.poll(Duration.ZERO).map(ExecutionTask::requestId)).contains(13L);
        assertThat(store.poll(Duration.ZERO).map(ExecutionTask::requestId)).contains(14L);
    }

    @Test
    void aHeartbeatingTaskIsNotHandedOutAgain() throws Exception {
        store.enqueue(task(12));
        store.poll(Duration.ZERO).orElseThrow();
        JobClaim compile = store.claim(claimOf(12, JobType.COMPILE, "w1")).orElseThrow();
        clock.advance(STALE.dividedBy(2));
        store.complete(compile, JobOutcome.succeeded(5, 0, null));
        clock.advance(STALE.dividedBy(2));
        assertThat(store.poll(Set.of(TaskQueue.EXECUTE), Duration.ZERO))
                .as("moved to the execute queue")
                .isPresent();
        JobClaim execute = store.claim(claimOf(12, JobType.EXECUTE, "w1")).orElseThrow();
        for (int i = 0; i < 4; i++) {
            clock.advance(STALE.dividedBy(2));
            assertThat(store.heartbeat(execute)).isTrue();
            assertThat(store.poll(Duration.ZERO)).isEmpty();
        }
    }

    /** The task with another wasm and OutLayer's request flags. */
    protected static ExecutionTask variant(long requestId, String checksum, boolean compileOnly, boolean forceRebuild) {
        ExecutionTask t = task(requestId);
        return new ExecutionTask(
                t.requestId(),
                t.dataId(),
                CodeSource.wasmUrl("program://other", checksum, "wasm32-wasip1"),
                t.resourceLimits(),
                t.inputData(),
                t.secretsRef(),
                t.responseFormat(),
                t.context(),
                t.userAccountId(),
                t.nearPaymentYocto(),
                t.transactionHash(),
                t.blockHeight(),
                compileOnly,
                forceRebuild,
                false,
                null,
                null,
                null,
                null);
    }

    @Test
    void aTaskWaitsInTheCompileQueueUntilItsWasmIsCachedAndInTheExecuteQueueOnceItIs() throws Exception {
        String fresh = "c1".repeat(32);
        store.enqueue(variant(31, fresh, false, false));
        assertThat(store.queueOf(31, "data-31")).contains(TaskQueue.COMPILE);
        assertThat(store.poll(Set.of(TaskQueue.EXECUTE), Duration.ZERO))
                .as("an executor's poll")
                .isEmpty();
        assertThat(store.poll(Set.of(TaskQueue.COMPILE), Duration.ZERO).map(ExecutionTask::requestId))
                .contains(31L);

        store.cacheWasm(fresh);
        store.enqueue(variant(32, fresh, false, false));
        assertThat(store.queueOf(32, "data-32")).contains(TaskQueue.EXECUTE);
        assertThat(store.poll(Set.of(TaskQueue.COMPILE), Duration.ZERO))
                .as("a compiler's poll")
                .isEmpty();
        assertThat(store.poll(Set.of(TaskQueue.EXECUTE), Duration.ZERO).map(ExecutionTask::requestId))
                .contains(32L);

        // force_rebuild compiles a cached wasm again: the compile queue
        store.enqueue(variant(33, fresh, false, true));
        assertThat(store.queueOf(33, "data-33")).contains(TaskQueue.COMPILE);
    }

    @Test
    void aWorkerThatCompilesAndExecutesPollsTheCompileQueueFirst() throws Exception {
        String cached = "c2".repeat(32);
        store.cacheWasm(cached);
        store.enqueue(variant(34, cached, false, false)); // execute queue, queued first
        store.enqueue(variant(35, "c3".repeat(32), false, false)); // compile queue
        assertThat(store.poll(TaskQueue.ALL, Duration.ZERO).map(ExecutionTask::requestId))
                .contains(35L);
        assertThat(store.poll(TaskQueue.ALL, Duration.ZERO).map(ExecutionTask::requestId))
                .contains(34L);
    }

    @Test
    void aCompletedCompileCachesTheWasmAndMovesTheTaskToTheExecuteQueue() throws Exception {
        String fresh = "c4".repeat(32);
        store.enqueue(variant(36, fresh, false, false));
        store.poll(Set.of(TaskQueue.COMPILE), Duration.ZERO).orElseThrow();
        JobClaim compile = store.claim(new ClaimRequest(36, "data-36", JobType.COMPILE, "w1", fresh))
                .orElseThrow();
        assertThat(store.poll(Set.of(TaskQueue.EXECUTE), Duration.ZERO)).isEmpty();

        assertThat(store.complete(compile, JobOutcome.compiled(7, null, "7000000", null)))
                .isTrue();
        assertThat(store.wasmCached(fresh))
                .as("cached by the job's own checksum")
                .isTrue();
        assertThat(store.queueOf(36, "data-36")).contains(TaskQueue.EXECUTE);
        ExecutionTask moved =
                store.poll(Set.of(TaskQueue.EXECUTE), Duration.ZERO).orElseThrow();
        assertThat(moved).isEqualTo(variant(36, fresh, false, false));
        assertThat(store.job(compile.jobId()).orElseThrow().compileCostYocto()).isEqualTo("7000000");
        assertThat(store.poll(TaskQueue.ALL, Duration.ZERO))
                .as("handed out once")
                .isEmpty();
    }

    @Test
    void aFailedCompileMovesTheTaskToTheExecuteQueueForAnExecutorToReportIt() throws Exception {
        String broken = "c5".repeat(32);
        store.enqueue(variant(37, broken, true, true));
        JobClaim compile = store.claim(new ClaimRequest(37, "data-37", JobType.COMPILE, "w1", broken))
                .orElseThrow();
        assertThat(store.complete(compile, JobOutcome.failed("compilation_failed", "Compilation failed: x", 3)))
                .isTrue();
        assertThat(store.wasmCached(broken)).isFalse();
        ExecutionTask moved =
                store.poll(Set.of(TaskQueue.EXECUTE), Duration.ZERO).orElseThrow();
        // as OutLayer pushes it: neither compile-only (an executor without a result would refuse it) nor a rebuild
        assertThat(moved.compileOnly()).isFalse();
        assertThat(moved.forceRebuild()).isFalse();
        assertThat(moved.requestId()).isEqualTo(37L);
    }

    @Test
    void aCompileOnlyTaskMovesToTheExecuteQueueOnlyWithACompileResult() throws Exception {
        String a = "c6".repeat(32);
        store.enqueue(variant(38, a, true, false));
        JobClaim compile = store.claim(new ClaimRequest(38, "data-38", JobType.COMPILE, "w1", a))
                .orElseThrow();
        store.complete(compile, JobOutcome.compiled(4, a, "4", null));
        assertThat(store.queueOf(38, "data-38"))
                .as("finished: nobody resolves it")
                .isEmpty();
        clock.advance(STALE.multipliedBy(3));
        assertThat(store.poll(TaskQueue.ALL, Duration.ZERO)).isEmpty();

        String b = "c7".repeat(32);
        store.enqueue(variant(39, b, true, false));
        JobClaim published = store.claim(new ClaimRequest(39, "data-39", JobType.COMPILE, "w1", b))
                .orElseThrow();
        store.complete(published, JobOutcome.compiled(4, b, "4", "https://fastfs.example/" + b + ".wasm"));
        ExecutionTask moved =
                store.poll(Set.of(TaskQueue.EXECUTE), Duration.ZERO).orElseThrow();
        assertThat(moved.compileOnly()).isTrue();
        assertThat(moved.compileResult()).isEqualTo("https://fastfs.example/" + b + ".wasm");
    }

    @Test
    void aCompileOnlyTaskOfACachedWasmIsFinishedWhenQueued() throws Exception {
        String cached = "c8".repeat(32);
        store.cacheWasm(cached);
        assertThat(store.enqueue(variant(40, cached, true, false))).isTrue();
        assertThat(store.enqueue(variant(40, cached, true, false))).as("known").isFalse();
        assertThat(store.queueOf(40, "data-40")).isEmpty();
        assertThat(store.poll(TaskQueue.ALL, Duration.ZERO)).isEmpty();
    }

    @Test
    void aStaleTaskComesBackOnlyToPollersOfTheQueueItWasHandedOutFrom() throws Exception {
        store.enqueue(variant(41, "c9".repeat(32), false, false));
        store.poll(Set.of(TaskQueue.COMPILE), Duration.ZERO).orElseThrow();
        clock.advance(STALE.plusSeconds(1));
        assertThat(store.poll(Set.of(TaskQueue.EXECUTE), Duration.ZERO)).isEmpty();
        assertThat(store.poll(Set.of(TaskQueue.COMPILE), Duration.ZERO).map(ExecutionTask::requestId))
                .contains(41L);
    }

    @Test
    void anUploadedWasmIsStoredByChecksumEntersTheCacheAndIsDownloaded() {
        String checksum = "d1".repeat(32);
        assertThat(store.wasmBytes(checksum)).isEmpty();
        assertThat(store.wasmStoredAt(checksum)).isEmpty();
        byte[] wasm = {0, 'a', 's', 'm', 1, 0, 0, 0};
        store.storeWasm(new WasmFile(checksum, wasm, "https://github.com/a/b", "c0ffee", "wasm32-wasip1"));
        assertThat(store.wasmCached(checksum)).isTrue();
        assertThat(store.wasmBytes(checksum))
                .hasValueSatisfying(b -> assertThat(b).isEqualTo(wasm));
        Instant first = store.wasmStoredAt(checksum).orElseThrow();
        assertThat(store.wasmCachedAt(checksum)).contains(first);

        // a second upload replaces the bytes; the entry keeps the time it entered the cache
        clock.advance(Duration.ofMinutes(5));
        byte[] rebuilt = {0, 'a', 's', 'm', 1, 0, 0, 0, 9};
        store.storeWasm(new WasmFile(checksum, rebuilt, "https://github.com/a/b", "c0ffee", "wasm32-wasip1"));
        assertThat(store.wasmBytes(checksum))
                .hasValueSatisfying(b -> assertThat(b).isEqualTo(rebuilt));
        assertThat(store.wasmStoredAt(checksum)).contains(first);
    }

    @Test
    void aWasmCachedWithoutAnUploadHasNothingToDownload() {
        String checksum = "d2".repeat(32);
        store.cacheWasm(checksum); // compiled in-process from the program registry
        assertThat(store.wasmCached(checksum)).isTrue();
        assertThat(store.wasmBytes(checksum)).isEmpty();
        assertThat(store.wasmStoredAt(checksum)).isEmpty();
        // uploading it later keeps its first cache time
        Instant cachedAt = store.wasmCachedAt(checksum).orElseThrow();
        clock.advance(Duration.ofMinutes(1));
        store.storeWasm(new WasmFile(checksum, new byte[] {1}, "program://x", checksum, null));
        assertThat(store.wasmStoredAt(checksum)).contains(cachedAt);
    }

    @Test
    void aWorkersHeartbeatAndItsTaskCompletionsAreKeptAsOutLayersWorkerStatus() {
        assertThat(store.recordTaskCompletion("w9", true))
                .as("never heartbeated")
                .isFalse();
        assertThat(store.workers()).isEmpty();

        store.recordWorkerHeartbeat("w9", "worker nine", "busy", 17L);
        Instant first = clock.instant();
        clock.advance(Duration.ofSeconds(5));
        assertThat(store.recordTaskCompletion("w9", true)).isTrue();
        assertThat(store.recordTaskCompletion("w9", false)).isTrue();
        assertThat(store.workers()).singleElement().satisfies(w -> {
            assertThat(w.workerName()).isEqualTo("worker nine");
            assertThat(w.status()).as("a completion sets it online").isEqualTo("online");
            assertThat(w.currentTaskId()).isNull();
            assertThat(w.totalTasksCompleted())
                    .as("OutLayer's list_workers counts the history, not the notices")
                    .isZero();
            assertThat(w.totalTasksFailed()).isZero();
            assertThat(w.lastTaskCompletedAt()).isEqualTo(clock.instant());
            assertThat(w.lastHeartbeatAt()).isEqualTo(first);
        });
        JobClaim done = store.claim(claimOf(91, JobType.EXECUTE, "w9")).orElseThrow();
        assertThat(store.complete(done, JobOutcome.succeeded(1, 1, null))).isTrue();

        clock.advance(Duration.ofSeconds(5));
        store.recordWorkerHeartbeat("w8", "worker eight", "online", null);
        clock.advance(Duration.ofSeconds(5));
        store.recordWorkerHeartbeat("w9", "worker 9", "busy", 18L);
        assertThat(store.workers()).extracting(WorkerStatus::workerId).containsExactly("w9", "w8");
        assertThat(store.workers().get(0)).satisfies(w -> {
            assertThat(w.workerName()).isEqualTo("worker 9");
            assertThat(w.currentTaskId()).isEqualTo(18L);
            assertThat(w.totalTasksCompleted()).as("its finished job").isEqualTo(1);
            assertThat(w.createdAt()).isEqualTo(first);
        });
    }

    @Test
    void aDeletedWorkerIsNoLongerListedUntilItHeartbeatsAgain() {
        store.recordWorkerHeartbeat("w7", "worker seven", "online", null);
        store.recordWorkerHeartbeat("w6", "worker six", "busy", 3L);
        assertThat(store.recordTaskCompletion("w7", true)).isTrue();
        JobClaim done = store.claim(claimOf(71, JobType.EXECUTE, "w7")).orElseThrow();
        assertThat(store.complete(done, JobOutcome.succeeded(1, 1, null))).isTrue();

        assertThat(store.deleteWorker("w7")).isTrue();
        assertThat(store.workers()).extracting(WorkerStatus::workerId).containsExactly("w6");
        assertThat(store.deleteWorker("w7")).as("already gone").isFalse();
        assertThat(store.deleteWorker("nobody")).isFalse();
        assertThat(store.recordTaskCompletion("w7", true))
                .as("OutLayer's UPDATE finds no row")
                .isFalse();

        clock.advance(Duration.ofSeconds(1));
        store.recordWorkerHeartbeat("w7", "worker seven", "online", null);
        assertThat(store.workers()).extracting(WorkerStatus::workerId).containsExactly("w7", "w6");
        assertThat(store.workers().get(0).totalTasksCompleted())
                .as("a new row, with its finished job: the history keeps it (OutLayer deletes only the row)")
                .isEqualTo(1);
    }

    @Test
    void concurrentTakeoversOfAStaleClaimHaveOneWinner() throws Exception {
        JobClaim first = store.claim(claimOf(21, JobType.EXECUTE, "w0")).orElseThrow();
        clock.advance(STALE.plusSeconds(1));
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Integer>> takers = new ArrayList<>();
        for (int w = 1; w <= 8; w++) {
            String worker = "w" + w;
            takers.add(() -> {
                start.await();
                return store.claim(claimOf(21, JobType.EXECUTE, worker)).isPresent() ? 1 : 0;
            });
        }
        assertThat(sumAll(takers, start)).isEqualTo(1);
        assertThat(store.complete(first, JobOutcome.succeeded(1, 1, null))).isFalse();
    }

    @Test
    void theWasmCacheIsByChecksum() {
        assertThat(store.wasmCached("cd".repeat(32))).isFalse();
        store.cacheWasm("cd".repeat(32));
        store.cacheWasm("cd".repeat(32));
        assertThat(store.wasmCached("cd".repeat(32))).isTrue();
        assertThat(store.wasmCached("ef".repeat(32))).isFalse();
    }

    /** The worker holding {@code claim} records the resolution it sent in {@code txHash}. */
    private AcceptedResolution.Recorded reported(JobClaim claim, String txHash, JobOutcome outcome) {
        return store.recordResolution(AcceptedResolution.reported(claim, txHash, outcome));
    }

    /** The event monitor records, from the callback, the resolution {@code worker} sent in {@code txHash}. */
    private AcceptedResolution.Recorded fromChain(long requestId, String txHash, String worker, JobOutcome outcome) {
        return store.recordResolution(
                AcceptedResolution.readFromChain(requestId, "data-" + requestId, txHash, worker, outcome));
    }

    private static AcceptedResolution.Recorded counted(int resolutions) {
        return new AcceptedResolution.Recorded(resolutions, true);
    }

    private static AcceptedResolution.Recorded known(int resolutions) {
        return new AcceptedResolution.Recorded(resolutions, false);
    }

    @Test
    void resolutionsAreCountedPerRequestByTheirTransaction() {
        JobClaim claim = store.claim(claimOf(30, JobType.EXECUTE, "w1")).orElseThrow();
        assertThat(store.resolutions(30)).isZero();
        assertThat(reported(claim, "tx-a", JobOutcome.succeeded(1, 1, null))).isEqualTo(counted(1));
        // the same transaction again (its worker and the event monitor both record it): counted once
        assertThat(reported(claim, "tx-a", JobOutcome.succeeded(1, 1, null))).isEqualTo(known(1));
        assertThat(fromChain(30, "tx-a", "w1", JobOutcome.succeeded(1, 1, null)))
                .isEqualTo(known(1));
        assertThat(store.resolutions(30)).isEqualTo(1);
        // another transaction the chain accepted for the request: executed twice
        AcceptedResolution.Recorded second = reported(claim, "tx-b", JobOutcome.succeeded(1, 1, null));
        assertThat(second).isEqualTo(counted(2));
        assertThat(second.executedTwice()).isTrue();
        assertThat(store.resolutions(30)).isEqualTo(2);
        assertThat(store.resolutions(31)).isZero();
    }

    /** The claims of a take-over: w1's, gone silent (say, while its resolution was on its way), and w2's. */
    private record TakeOver(JobClaim first, JobClaim taker) {}

    /** The request's task handed out and its execute job claimed by w1, then handed out again and taken over by w2. */
    private TakeOver takeOver(long requestId) throws InterruptedException {
        store.enqueue(task(requestId));
        store.poll(Duration.ZERO).orElseThrow();
        JobClaim first = store.claim(claimOf(requestId, JobType.EXECUTE, "w1")).orElseThrow();
        clock.advance(STALE.plusSeconds(1));
        assertThat(store.poll(Duration.ZERO)).contains(task(requestId));
        JobClaim taker = store.claim(claimOf(requestId, JobType.EXECUTE, "w2")).orElseThrow();
        return new TakeOver(first, taker);
    }

    /** The execute job of the request (one per request here). */
    private Job executeJob(long requestId) {
        return store.jobs(requestId).stream()
                .filter(j -> j.jobType() == JobType.EXECUTE)
                .findFirst()
                .orElseThrow();
    }

    /** w2's resolution refused (w1's had landed first), as the in-process worker records it. */
    private void refused(JobClaim taker) {
        assertThat(store.complete(
                        taker, JobOutcome.failed("failed", "Failed to submit to NEAR: Execution request not found", 2)))
                .isTrue();
        assertThat(executeJob(taker.requestId()).status()).isEqualTo(JobStatus.FAILED);
    }

    /** The job is finished and so is its task: the new owner can neither keep nor finish it, nobody gets it again. */
    private void finishedForGood(TakeOver race, JobStatus status) throws InterruptedException {
        long requestId = race.taker().requestId();
        assertThat(store.heartbeat(race.taker())).isFalse();
        assertThat(store.complete(race.taker(), JobOutcome.failed("failed", "Failed to submit to NEAR: x", 1)))
                .isFalse();
        assertThat(executeJob(requestId).status()).isEqualTo(status);
        assertThat(store.queueOf(requestId, "data-" + requestId))
                .as("the task is finished")
                .isEmpty();
        clock.advance(STALE.multipliedBy(3));
        assertThat(store.poll(Duration.ZERO)).isEmpty();
    }

    @Test
    void aResolutionTheContractAcceptedFinishesTheJobThoughItsClaimWasTakenOverMeanwhile() throws Exception {
        TakeOver race = takeOver(42);
        JobClaim resolver = race.first();
        JobClaim taker = race.taker();

        assertThat(reported(resolver, "tx-42", JobOutcome.succeeded(9, 100, null)))
                .isEqualTo(counted(1));

        Job job = executeJob(42);
        assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(job.workerId()).as("the worker whose resolution landed").isEqualTo("w1");
        assertThat(job.attempt()).as("claims made").isEqualTo(taker.attempt());
        assertThat(job.timeMs()).isEqualTo(9L);
        assertThat(job.completedAt()).isEqualTo(clock.instant());
        finishedForGood(race, JobStatus.COMPLETED);
    }

    @Test
    void aResolutionTheContractAcceptedReplacesTheFailureOfTheWorkerWhoseResolutionItRefused() throws Exception {
        TakeOver race = takeOver(43);
        JobClaim resolver = race.first();
        // w2's resolution was refused and w2 recorded that before w1 recorded its own
        refused(race.taker());
        clock.advance(Duration.ofSeconds(1));

        assertThat(reported(resolver, "tx-43", JobOutcome.failed("execution_failed", "trap", 7)))
                .isEqualTo(counted(1));

        Job job = executeJob(43);
        // the run w1 reported to the contract: a failed run, resolved
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.workerId()).isEqualTo("w1");
        assertThat(job.errorCategory()).isEqualTo("execution_failed");
        assertThat(job.errorDetails()).isEqualTo("trap");
        assertThat(job.timeMs()).isEqualTo(7L);
        assertThat(job.completedAt()).isEqualTo(clock.instant());
        assertThat(store.jobs(43)).hasSize(1);
    }

    /**
     * The gap the event monitor closes: w1's resolution landed and w1 died before recording it; w2
     * took the job over and recorded its refused resolution as failed. The monitor reads w1's
     * resolution from the callback: the job ends as the chain says.
     */
    @Test
    void aResolutionReadFromTheChainEndsTheJobOfAWorkerThatDiedBeforeRecordingIt() throws Exception {
        TakeOver race = takeOver(45);
        refused(race.taker());
        clock.advance(Duration.ofSeconds(1));

        assertThat(fromChain(45, "tx-45", "w1", JobOutcome.succeeded(9, 100, null)))
                .isEqualTo(counted(1));

        Job job = executeJob(45);
        assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(job.workerId()).isEqualTo("w1");
        assertThat(job.errorCategory()).isNull();
        assertThat(job.errorDetails()).isNull();
        assertThat(job.timeMs()).isEqualTo(9L);
        assertThat(job.completedAt()).isEqualTo(clock.instant());
        assertThat(store.resolutions(45)).isEqualTo(1);
        finishedForGood(race, JobStatus.COMPLETED);
    }

    @Test
    void aResolutionReadFromTheChainWhileTheNewOwnerRunsEndsTheJobAndItsClaim() throws Exception {
        TakeOver race = takeOver(46);

        assertThat(fromChain(46, "tx-46", "w1", JobOutcome.failed("failed", "trap", 3)))
                .isEqualTo(counted(1));

        Job job = executeJob(46);
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.workerId()).isEqualTo("w1");
        assertThat(job.errorDetails()).isEqualTo("trap");
        finishedForGood(race, JobStatus.FAILED);
    }

    /**
     * The winner was only starved: it comes back after the monitor recorded its resolution from the
     * chain. Nothing is counted twice, and the job takes the details only the worker knows (the
     * failure's category, its whole error), keeping the time it ended.
     */
    @Test
    void theWinnersLateRecordOfAResolutionReadFromTheChainCountsNothingAndGivesItsDetails() throws Exception {
        TakeOver race = takeOver(47);
        refused(race.taker());
        assertThat(fromChain(47, "tx-47", "w1", JobOutcome.failed("failed", "Secrets decryption... (cut)", 5)))
                .isEqualTo(counted(1));
        Instant ended = clock.instant();
        clock.advance(Duration.ofSeconds(2));

        AcceptedResolution.Recorded late =
                reported(race.first(), "tx-47", JobOutcome.failed("access_denied", "Secrets decryption: denied", 5));

        assertThat(late).isEqualTo(known(1));
        assertThat(late.executedTwice()).isFalse();
        Job job = executeJob(47);
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.workerId()).isEqualTo("w1");
        assertThat(job.errorCategory()).isEqualTo("access_denied");
        assertThat(job.errorDetails()).isEqualTo("Secrets decryption: denied");
        assertThat(job.completedAt()).isEqualTo(ended);
        // its worker's record is the job's now: reading the chain again changes nothing
        assertThat(fromChain(47, "tx-47", "w1", JobOutcome.failed("failed", "x", 5)))
                .isEqualTo(known(1));
        assertThat(executeJob(47)).isEqualTo(job);
        finishedForGood(race, JobStatus.FAILED);
    }

    @Test
    void aResolutionReadFromTheChainAfterItsWorkerRecordedItChangesNothing() throws Exception {
        TakeOver race = takeOver(48);
        assertThat(reported(race.first(), "tx-48", JobOutcome.failed("access_denied", "denied", 4)))
                .isEqualTo(counted(1));
        Job recorded = executeJob(48);
        clock.advance(Duration.ofSeconds(1));

        assertThat(fromChain(48, "tx-48", "w1", JobOutcome.failed("failed", "denied", 4)))
                .isEqualTo(known(1));

        assertThat(executeJob(48)).isEqualTo(recorded);
        assertThat(store.resolutions(48)).isEqualTo(1);
    }

    @Test
    void aSecondAcceptedResolutionIsCountedAndChangesNoJob() throws Exception {
        JobClaim first = store.claim(claimOf(44, JobType.EXECUTE, "w1")).orElseThrow();
        clock.advance(STALE.plusSeconds(1));
        JobClaim second = store.claim(claimOf(44, JobType.EXECUTE, "w2")).orElseThrow();
        assertThat(reported(first, "tx-1", JobOutcome.succeeded(3, 30, null))).isEqualTo(counted(1));
        Job resolved = executeJob(44);

        clock.advance(Duration.ofSeconds(1));
        assertThat(reported(second, "tx-2", JobOutcome.failed("execution_failed", "trap", 4)))
                .as("a request executed twice")
                .isEqualTo(counted(2));
        assertThat(executeJob(44)).isEqualTo(resolved);
        // read from the chain, the second is counted once, and still changes no job
        assertThat(fromChain(44, "tx-2", "w2", null)).isEqualTo(known(2));
        assertThat(executeJob(44)).isEqualTo(resolved);
    }

    @Test
    void aResolutionTheChainAcceptedAfterAnotherIsCountedAndEndsNoJobWhicheverIsRecordedFirst() throws Exception {
        TakeOver race = takeOver(49);
        // the chain took w2's resume after w1's: w2's data never reached the callback
        assertThat(fromChain(49, "tx-w2", "w2", null)).isEqualTo(counted(1));
        assertThat(executeJob(49).status()).isEqualTo(JobStatus.IN_PROGRESS);

        assertThat(fromChain(49, "tx-w1", "w1", JobOutcome.succeeded(6, 60, null)))
                .isEqualTo(counted(2));

        Job job = executeJob(49);
        assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(job.workerId()).isEqualTo("w1");
        finishedForGood(race, JobStatus.COMPLETED);
    }

    /**
     * The worker and the event monitors of every coordinator record the same resolution at once,
     * while other transactions of the request (a request executed several times) are recorded too:
     * each transaction is counted once and exactly one resolution ends the job.
     */
    @Test
    void concurrentRecordsOfOneRequestCountEachTransactionOnceAndEndTheJobOnce() throws Exception {
        TakeOver race = takeOver(50);
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Integer>> records = new ArrayList<>();
        for (int r = 0; r < 8; r++) {
            String txHash = "tx-" + (r % 4);
            boolean byWorker = r < 4;
            records.add(() -> {
                start.await();
                JobOutcome outcome = JobOutcome.succeeded(1, 1, null);
                AcceptedResolution.Recorded recorded =
                        byWorker ? reported(race.first(), txHash, outcome) : fromChain(50, txHash, "w1", outcome);
                return recorded.counted() ? 1 : 0;
            });
        }

        assertThat(sumAll(records, start)).as("records that counted").isEqualTo(4);
        assertThat(store.resolutions(50)).isEqualTo(4);
        Job job = executeJob(50);
        assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(job.workerId()).isEqualTo("w1");
        finishedForGood(race, JobStatus.COMPLETED);
    }

    /** Runs the calls at once (released together by {@code start}) and sums their answers. */
    private static int sumAll(List<Callable<Integer>> calls, CountDownLatch start) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (Callable<Integer> call : calls) {
                futures.add(pool.submit(call));
            }
            start.countDown();
            int sum = 0;
            for (Future<Integer> future : futures) {
                sum += future.get(30, TimeUnit.SECONDS);
            }
            return sum;
        } finally {
            pool.shutdownNow();
        }
    }
}
