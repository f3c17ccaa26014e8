package dev.outlayer.bench.targetsystem.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.outlayer.bench.targetsystem.executions.AcceptedResolution;
import dev.outlayer.bench.targetsystem.executions.ClaimRequest;
import dev.outlayer.bench.targetsystem.executions.CodeSource;
import dev.outlayer.bench.targetsystem.executions.ExecutionTask;
import dev.outlayer.bench.targetsystem.executions.InMemoryJobStore;
import dev.outlayer.bench.targetsystem.executions.JobClaim;
import dev.outlayer.bench.targetsystem.executions.JobOutcome;
import dev.outlayer.bench.targetsystem.executions.JobType;
import dev.outlayer.bench.targetsystem.executions.ResourceLimits;
import dev.outlayer.bench.targetsystem.executions.TaskQueue;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * What the in-memory job store keeps per request of the execution lifecycle, and what one dashboard
 * read costs under its monitor, after N requests (10k, 100k, 300k: past the 100k finished jobs it
 * keeps; or the sizes given as the first argument, comma-separated): each request enqueued, polled, its
 * compile claimed and completed when its wasm is not cached yet (350 distinct GitHub sources), its
 * execute claimed and completed, its resolution recorded, as the worker does it. Prints the heap
 * retained per request after full GCs, the share of each of the store's maps and collections
 * (the heap freed when that one alone is cleared), and the median time of {@code stats}, {@code
 * history(limit 50)} and {@code popularRepos}, everyone's and one user's.
 * Run: {@code mvn -q -pl target-system test-compile exec:exec -Dexec.executable=java
 * -Dexec.classpathScope=test "-Dexec.args=-Xmx2g -cp %classpath
 * dev.outlayer.bench.targetsystem.bench.JobHistoryFootprint"}
 */
public final class JobHistoryFootprint {
    private static final int USERS = 100;
    private static final int REPOS = 50;
    private static final int COMMITS = 7;

    private JobHistoryFootprint() {}

    public static void main(String[] args) throws Exception {
        System.out.println("== In-memory job store: heap per request and dashboard reads ==");
        System.out.println("java " + System.getProperty("java.version") + ", "
                + Runtime.getRuntime().availableProcessors() + " CPUs, max heap "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
        String sizes = args.length > 0 ? args[0] : "10000,100000,300000";
        for (String n : sizes.split(",")) {
            run(Integer.parseInt(n.trim()));
        }
    }

    private static void run(int n) throws Exception {
        long before = retainedHeap();
        InMemoryJobStore store = new InMemoryJobStore(Duration.ofSeconds(30));
        long started = System.nanoTime();
        for (long id = 1; id <= n; id++) {
            request(store, id);
        }
        double pushSeconds = (System.nanoTime() - started) / 1e9;
        long after = retainedHeap();
        System.out.printf(
                Locale.ROOT,
                "%nN = %,d requests (%.1f s, %.0f requests/s): %,d bytes retained, %.0f bytes per request%n",
                n,
                pushSeconds,
                n / pushSeconds,
                after - before,
                (after - before) / (double) n);
        time("stats (everyone)", () -> store.stats(null));
        time("stats (one user)", () -> store.stats("user-7.near"));
        time("history limit 50 (everyone)", () -> store.history(null, 50, 0));
        time("history limit 50 (one user)", () -> store.history("user-7.near", 50, 0));
        time("popularRepos (10)", () -> store.popularRepos(10));
        shares(store, after, n);
    }

    /** One request's way through the store, as the worker and the coordinator take it. */
    private static void request(InMemoryJobStore store, long id) throws InterruptedException {
        String repo = "github.com/org/repo-" + (id % REPOS);
        String commit = "commit-" + (id % COMMITS);
        ExecutionTask task = new ExecutionTask(
                id,
                "data-" + id,
                CodeSource.gitHub(repo, commit, "wasm32-wasip1"),
                new ResourceLimits(1_000_000, 64, 10),
                "{}",
                null,
                "Json",
                JsonNodeFactory.instance.objectNode().put("sender_id", "user-" + (id % USERS) + ".near"),
                "user-" + (id % USERS) + ".near",
                "1000000000000000000000",
                "tx-" + id,
                id,
                false,
                false,
                false,
                null,
                null,
                null,
                null);
        store.enqueue(task);
        String checksum = task.codeSource().wasmChecksum();
        var compile = store.poll(Set.of(TaskQueue.COMPILE), Duration.ZERO);
        if (compile.isPresent()) {
            JobClaim claim = store.claim(new ClaimRequest(id, task.dataId(), JobType.COMPILE, "worker-1", checksum))
                    .orElseThrow();
            store.complete(claim, JobOutcome.compiled(100, checksum, "1000", null));
        }
        store.poll(Set.of(TaskQueue.EXECUTE), Duration.ZERO).orElseThrow();
        JobClaim claim = store.claim(new ClaimRequest(id, task.dataId(), JobType.EXECUTE, "worker-1", checksum))
                .orElseThrow();
        JobOutcome outcome = id % 10 == 0
                ? JobOutcome.failed("execution_failed", "trap", 3 + id % 5)
                : JobOutcome.succeeded(5 + id % 17, 1_000_000 + id, checksum);
        store.complete(claim, outcome);
        store.recordResolution(AcceptedResolution.reported(claim, "resolution-" + id, outcome));
    }

    private static void time(String what, Callable<?> read) throws Exception {
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            long start = System.nanoTime();
            read.call();
            micros.add((System.nanoTime() - start) / 1000);
        }
        micros.sort(null);
        System.out.printf(Locale.ROOT, "  %-30s median %,8d us (first %,d us)%n", what, micros.get(4), micros.get(0));
    }

    /** The heap each of the store's maps and collections holds: freed when it alone is cleared. */
    private static void shares(InMemoryJobStore store, long retained, int n) throws Exception {
        long last = retained;
        for (Field field : InMemoryJobStore.class.getDeclaredFields()) {
            if (java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            field.setAccessible(true);
            Object value = field.get(store);
            int size;
            if (value instanceof Map<?, ?> map) {
                size = map.size();
                map.clear();
            } else if (value instanceof Collection<?> collection) {
                size = collection.size();
                collection.clear();
            } else {
                continue;
            }
            long now = retainedHeap();
            System.out.printf(
                    Locale.ROOT,
                    "  %-20s %,9d entries %,12d bytes (%.0f per request)%n",
                    field.getName(),
                    size,
                    last - now,
                    (last - now) / (double) n);
            last = now;
        }
    }

    private static long retainedHeap() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(
                    used,
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
