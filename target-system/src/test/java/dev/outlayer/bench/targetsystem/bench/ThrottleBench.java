package dev.outlayer.bench.targetsystem.bench;

import dev.outlayer.bench.targetsystem.throttle.Decision;
import dev.outlayer.bench.targetsystem.throttle.LocalRateLimitStore;
import dev.outlayer.bench.targetsystem.throttle.Throttle;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The in-process throttle decision, client lookup included (issue target: p99 <= 2 us).
 * Run: {@code mvn -q -pl target-system test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.openjdk.jmh.Main -Dexec.args=ThrottleBench}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class ThrottleBench {
    private static final int CLIENTS = 1024;
    private Throttle throttle;
    private String[] keys;
    private InetAddress[] addresses;
    private Path dir;
    private io.github.bucket4j.Bucket[] buckets;
    private final java.util.Map<String, java.util.concurrent.atomic.AtomicLong> baseline =
            new java.util.concurrent.ConcurrentHashMap<>();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("throttle-bench");
        Path tiers = dir.resolve("tiers.csv");
        Path keysFile = dir.resolve("keys.csv");
        // Limits high enough that every decision admits: the admitted path is the common one.
        Files.writeString(
                tiers,
                "tier,rate_per_second,burst,max_in_flight\n"
                        + "anonymous,1000000000,1000000000,1000000\nbench,1000000000,1000000000,1000000\n");
        StringBuilder csv = new StringBuilder("api_key,tier,owner\n");
        keys = new String[CLIENTS];
        addresses = new InetAddress[CLIENTS];
        for (int i = 0; i < CLIENTS; i++) {
            keys[i] = "key-" + i;
            csv.append(keys[i]).append(",bench,owner").append(i).append(".near\n");
            addresses[i] = InetAddress.getByAddress(new byte[] {10, 1, (byte) (i >> 8), (byte) i});
        }
        Files.writeString(keysFile, csv);
        buckets = new io.github.bucket4j.Bucket[CLIENTS];
        for (int i = 0; i < CLIENTS; i++) {
            baseline.put(keys[i], new java.util.concurrent.atomic.AtomicLong());
            buckets[i] = io.github.bucket4j.Bucket.builder()
                    .addLimit(limit -> limit.capacity(1_000_000_000L)
                            .refillGreedy(1_000_000_000L, java.time.Duration.ofSeconds(1)))
                    .build();
        }
        throttle = new Throttle(
                tiers, keysFile, new SimpleMeterRegistry(), new LocalRateLimitStore(), 100_000, 60_000_000_000L);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        throttle.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @State(Scope.Thread)
    public static class Cursor {
        int next;
    }

    /**
     * The machine's floor: a hash lookup and a counter, timed the same way. On a shared 2-core VM its
     * p99 shows how much of the decision's tail is scheduling noise rather than the throttle.
     */
    @Benchmark
    public long baselineLookup(Cursor cursor) {
        String key = keys[cursor.next++ & (CLIENTS - 1)];
        return baseline.get(key).incrementAndGet();
    }

    /** bucket4j alone: the token bucket of the decision without lookup, caps or metrics. */
    @Benchmark
    public io.github.bucket4j.ConsumptionProbe bucketOnly(Cursor cursor) {
        return buckets[cursor.next++ & (CLIENTS - 1)].tryConsumeAndReturnRemaining(1);
    }

    @Benchmark
    public Decision keyedClient(Cursor cursor) {
        Decision d = throttle.decide(keys[cursor.next++ & (CLIENTS - 1)], null);
        d.release();
        return d;
    }

    @Benchmark
    public Decision anonymousClient(Cursor cursor) {
        Decision d = throttle.decide(null, addresses[cursor.next++ & (CLIENTS - 1)]);
        d.release();
        return d;
    }
}
