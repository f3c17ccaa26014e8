package dev.outlayer.bench.targetsystem.bench;

import dev.outlayer.bench.targetsystem.executions.ClaimRequest;
import dev.outlayer.bench.targetsystem.executions.CodeSource;
import dev.outlayer.bench.targetsystem.executions.ExecutionTask;
import dev.outlayer.bench.targetsystem.executions.InMemoryJobStore;
import dev.outlayer.bench.targetsystem.executions.JobClaim;
import dev.outlayer.bench.targetsystem.executions.JobOutcome;
import dev.outlayer.bench.targetsystem.executions.JobStore;
import dev.outlayer.bench.targetsystem.executions.JobType;
import dev.outlayer.bench.targetsystem.executions.PostgresJobStore;
import dev.outlayer.bench.targetsystem.executions.ResourceLimits;
import dev.outlayer.bench.targetsystem.testing.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * What the jobs store costs a worker per job: one job's store calls (the event monitor's enqueue,
 * the worker's poll, claim and complete) from 4 threads, on PostgreSQL (a server this run starts,
 * durability off as in the tests) beside the in-memory store as the anchor. Prints jobs/s of each.
 * Run: {@code mvn -q -pl target-system test-compile exec:exec -Dexec.executable=java
 * -Dexec.classpathScope=test "-Dexec.args=-cp %classpath dev.outlayer.bench.targetsystem.bench.JobStoreBench"}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx1g"})
@Threads(4)
public class JobStoreBench {
    private static final String CHECKSUM = "ab".repeat(32);

    @State(Scope.Benchmark)
    public static class Store {
        @Param({"memory", "postgres"})
        public String kind;

        JobStore store;
        PostgresServer.Database database;
        final AtomicLong requests = new AtomicLong();

        /** A fresh store each iteration: the in-memory one keeps every job, ~250k a second. */
        @Setup(Level.Iteration)
        public void open() throws Exception {
            Duration stale = Duration.ofSeconds(30);
            if (kind.equals("memory")) {
                store = new InMemoryJobStore(stale);
            } else {
                database = PostgresServer.freshDatabase();
                store = PostgresJobStore.open(database.jdbcUrl(), stale, java.time.Clock.systemUTC(), 8);
            }
        }

        @TearDown(Level.Iteration)
        public void close() throws Exception {
            store.close();
            if (database != null) {
                database.close();
            }
        }
    }

    @Benchmark
    public boolean jobCycle(Store state) throws InterruptedException {
        long id = state.requests.incrementAndGet();
        JobStore store = state.store;
        store.enqueue(new ExecutionTask(
                id,
                "data-" + id,
                CodeSource.wasmUrl("program://bench", CHECKSUM, "wasm32-wasip1"),
                new ResourceLimits(1_000_000, 64, 10),
                "{}",
                null,
                "Text",
                null,
                "bench.test.near",
                "0",
                "tx" + id,
                1));
        ExecutionTask task = store.poll(Duration.ofSeconds(5)).orElseThrow();
        String worker = Thread.currentThread().getName();
        JobClaim claim = store.claim(
                        new ClaimRequest(task.requestId(), task.dataId(), JobType.EXECUTE, worker, CHECKSUM))
                .orElseThrow();
        return store.complete(claim, JobOutcome.succeeded(1, 1, CHECKSUM));
    }

    public static void main(String[] args) throws Exception {
        if (!PostgresServer.available()) {
            System.out.println("SKIPPED: " + PostgresServer.MISSING);
            return;
        }
        System.setProperty("jmh.ignoreLock", "true");
        String loadBefore = loadAverage();
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                        .include(JobStoreBench.class.getName())
                        .build())
                .run();
        double memory = 0;
        double postgres = 0;
        for (RunResult result : results) {
            double score = result.getPrimaryResult().getScore();
            if ("memory".equals(result.getParams().getParam("kind"))) {
                memory = score;
            } else {
                postgres = score;
            }
        }
        System.out.println();
        System.out.println("== Jobs store: one job's enqueue + poll + claim + complete, 4 threads ==");
        System.out.println("load average before: " + loadBefore + ", after: " + loadAverage() + " on "
                + Runtime.getRuntime().availableProcessors() + " CPUs");
        System.out.printf(Locale.ROOT, "in memory (anchor): %10.0f jobs/s%n", memory);
        System.out.printf(
                Locale.ROOT, "PostgreSQL:         %10.0f jobs/s (%.4f of the anchor)%n", postgres, postgres / memory);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
