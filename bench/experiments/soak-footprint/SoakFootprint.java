import dev.outlayer.bench.targetsystem.TargetOptions;
import dev.outlayer.bench.targetsystem.TargetSystem;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;

/**
 * What the target keeps per request of the soak's lifecycle and HTTPS lanes, by field: the target started in this
 * JVM as bench/soak.sh starts it, the soak's own lanes (bench/Soak.java) drive N lifecycle requests and N HTTPS calls
 * at once, then each kept structure is cleared in turn and the heap freed after full GCs is its share (what it
 * alone kept: an object two structures share counts where the last of them is cleared). It reads private fields by
 * name (the coordinator's, the job store's, the RPC emulator's): one renamed fails with NoSuchFieldException naming it.
 *
 * <p>Run from the repository's root (the target's jar built):
 * <pre>
 * JAR=target-system/target/outlayer-target-system.jar; OUT=target/soak-footprint; mkdir -p $OUT
 * javac -cp $JAR -d $OUT bench/Soak.java bench/experiments/soak-footprint/SoakFootprint.java
 * java -Xmx2g -cp $JAR:$OUT SoakFootprint 20000
 * </pre>
 */
public final class SoakFootprint {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        Path data = Files.createTempDirectory("soak-footprint");
        TargetOptions options = new TargetOptions();
        new CommandLine(options).parseArgs("--host", "127.0.0.1", "--coordinator-port", "0", "--rpc-port", "0",
                "--keystore-port", "0", "--keystore-data-dir", data.resolve("keystore").toString(), "--admin",
                "--admin-token", "footprint", "--https-rate-per-minute", "100000000");
        TargetSystem target = TargetSystem.start(options);
        try {
            String source = Soak.upload(target.coordinatorUrl() + "/programs/echo_json",
                    Path.of("resources/programs/echo_json.wasm"));
            Soak.Chain chain = new Soak.Chain(target.rpcUrl());
            Soak.Lifecycle lifecycle = new Soak.Lifecycle(chain, source, Soak.signers("user", Soak.LIFECYCLE_CLIENTS));
            Soak.Https https = new Soak.Https(target.coordinatorUrl(),
                    Soak.Https.setUp(chain, target.coordinatorUrl(), target.keystoreUrl(), "footprint", source));
            lifecycle.warmUp();
            https.warmUp();
            long base = heapAfterGc();
            histogram("before");
            long started = System.nanoTime();
            AtomicLong lifecycleLeft = new AtomicLong(n);
            AtomicLong httpsLeft = new AtomicLong(n);
            AtomicLong failed = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < Soak.LIFECYCLE_CLIENTS; c++) {
                int client = c;
                threads.add(started(() -> {
                    while (lifecycleLeft.getAndDecrement() > 0) {
                        try {
                            if (!lifecycle.request(client).ok()) {
                                failed.incrementAndGet();
                            }
                        } catch (Exception e) {
                            failed.incrementAndGet();
                        }
                    }
                }));
            }
            for (int c = 0; c < Soak.HTTPS_CLIENTS; c++) {
                threads.add(started(() -> {
                    while (httpsLeft.getAndDecrement() > 0) {
                        try {
                            if (!https.call().ok()) {
                                failed.incrementAndGet();
                            }
                        } catch (Exception e) {
                            failed.incrementAndGet();
                        }
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            Thread.sleep(2_000); // the last callbacks' bookkeeping
            long loaded = heapAfterGc();
            System.out.printf(Locale.ROOT, "%,d lifecycle requests and %,d HTTPS calls in %.0f s (%d failed): heap after GC"
                            + " %.1f -> %.1f MB, %.0f bytes per request%n", n, n, (System.nanoTime() - started) / 1e9,
                    failed.get(), base / 1048576.0, loaded / 1048576.0, (loaded - base) / (2.0 * n));

            Object coordinator = field(target, "executions");
            Object monitor = field(coordinator, "monitor");
            Object phases = field(coordinator, "phases");
            Object calls = target.httpsCalls();
            Object store = field(coordinator, "store");
            Object engine = field(field(target, "rpcEmulator"), "transactions");
            Object simulator = target.contracts();
            System.out.printf("%-62s %12s %10s%n", "cleared (in this order)", "freed bytes", "B/entry");
            long last = loaded;
            last = clear(last, 2L * n, "PhaseClock.entries (an entry per request of either lane)", field(phases, "entries"));
            last = clear(last, n, "PhaseClock.resolveTxs (one per lifecycle request)", field(phases, "resolveTxs"));
            last = clear(last, n, "EventMonitor.requestsByTx (per lifecycle request)", field(monitor, "requestsByTx"));
            last = clear(last, n, "ChainResolutions.accepted (per lifecycle request)", field(field(monitor, "resolutions"), "accepted"));
            last = clear(last, n, "HttpsCalls.calls + finished (per HTTPS call)", field(calls, "calls"), field(calls, "finished"));
            last = clear(last, n, "payment-key usage (per HTTPS call, 1,000 a key kept)", field(field(calls, "usage"), "keys"));
            last = clear(last, n, "earnings history (per HTTPS call, 1,000 an owner kept)",
                    field(field(calls, "earnings"), "histories"));
            last = clear(last, 2L * n, "InMemoryJobStore exactly-once: knownTasks, jobIds, resolutions, resolved, settled",
                    field(store, "knownTasks"), field(store, "jobIds"), field(store, "resolutions"),
                    field(store, "resolved"), field(store, "settled"));
            last = clear(last, 2L * n, "InMemoryJobStore window: jobs, origins, window, windowByUser, jobsByRequest",
                    field(store, "jobs"), field(store, "origins"), field(store, "window"), field(store, "windowByUser"),
                    field(store, "jobsByRequest"));
            Object feed = field(simulator, "receiptFeed");
            System.out.printf(Locale.ROOT, "(the chain's windows are bounded: what they hold after %,d transactions, %,d"
                            + " receipt-feed entries; per lifecycle request below only while they fill)%n",
                    2L * n, (long) field(feed, "last"));
            last = clear(last, n, "RPC emulator: TransactionEngine.sent (4,096 transactions, 64 MiB)",
                    field(field(engine, "sent"), "byHash"), field(field(engine, "sent"), "byHeight"));
            last = clear(last, n, "RPC emulator: TransactionEngine.receipts (65,536 receipts, 64 MiB)",
                    field(field(engine, "receipts"), "byHash"), field(field(engine, "receipts"), "byHeight"));
            last = clear(last, n, "contract simulator: recent outcome trees (4,096)", field(simulator, "recent"));
            last = clear(last, n, "contract simulator: receipt feed ring (65,536)", field(feed, "ring"));
            System.out.printf(Locale.ROOT, "%-62s %,12d %10.0f%n", "left of the load after all of them", last - base, (last - base) / (2.0 * n));
            histogram("after-clearing");
        } finally {
            target.close();
        }
    }

    /** This JVM's class histogram in target/soak-footprint/histogram-NAME.txt (what is left: diff the two). */
    static void histogram(String name) throws Exception {
        java.nio.file.Files.createDirectories(Path.of("target/soak-footprint"));
        new ProcessBuilder("jcmd", String.valueOf(ProcessHandle.current().pid()), "GC.class_histogram")
                .redirectOutput(Path.of("target/soak-footprint/histogram-" + name + ".txt").toFile())
                .start()
                .waitFor();
    }

    static Thread started(Runnable body) {
        Thread thread = new Thread(body);
        thread.start();
        return thread;
    }

    /** Clears each of {@code kept} (a map, a collection or an array), then the heap freed after full GCs. */
    static long clear(long before, long per, String what, Object... kept) throws InterruptedException {
        for (Object k : kept) {
            synchronized (k) {
                if (k instanceof Map<?, ?> map) {
                    map.clear();
                } else if (k instanceof Collection<?> collection) {
                    collection.clear();
                } else {
                    for (int i = 0; i < Array.getLength(k); i++) {
                        Array.set(k, i, null);
                    }
                }
            }
        }
        long after = heapAfterGc();
        System.out.printf(Locale.ROOT, "%-62s %,12d %10.0f%n", what, before - after, (before - after) / (double) per);
        return after;
    }

    static Object field(Object owner, String name) throws ReflectiveOperationException {
        for (Class<?> type = owner.getClass(); type != null; type = type.getSuperclass()) {
            try {
                Field field = type.getDeclaredField(name);
                field.setAccessible(true);
                return field.get(owner);
            } catch (NoSuchFieldException e) {
                // a superclass's
            }
        }
        throw new NoSuchFieldException(owner.getClass().getName() + "." + name);
    }

    static long heapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
