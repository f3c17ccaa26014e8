package dev.outlayer.bench.targetsystem.keystore;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Durable profile writes per second with {@code profiles} already stored (issue 15, item 7: the
 * whole-file store fell from 200/s to 37/s at 7,000). {@code wholeFileRewrite} is the anchor: the
 * store before the MVStore, which serialized every profile, wrote a temporary file, synced it and
 * renamed it over profiles.json on each change; {@code recordCommit} is ProfileStore now (one
 * record, an MVStore commit, a sync). Both replace an existing profile, so the size stays put. Run:
 * {@code mvn -q -pl target-system test-compile exec:exec@jmh -Djmh.args=ProfileStoreBench}
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx512m"})
public class ProfileStoreBench {
    @Param({"1", "7000"})
    int profiles;

    private Path dir;
    private ProfileStore store;
    private final Map<String, SecretProfile> wholeFile = new HashMap<>();
    private long next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("profile-store-bench");
        store = ProfileStore.open(dir.resolve("mvstore"), profiles);
        for (int i = 0; i < profiles; i++) {
            SecretProfile profile = profile(i);
            store.put(profile);
            wholeFile.put(profile.owner() + "/" + profile.profile(), profile);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** 100 profiles per owner, a ciphertext of a typical size (two variables). */
    private static SecretProfile profile(long i) {
        String owner = "owner" + (i / 100) + ".near";
        Instant now = Instant.now();
        return new SecretProfile(
                owner,
                "p" + (i % 100),
                new Scope("github.com/bench/agent", owner, null),
                "A".repeat(300),
                new AccessCondition.AllowAll(),
                now,
                now);
    }

    @Benchmark
    public boolean recordCommit() {
        return store.put(profile(next++ % profiles));
    }

    @Benchmark
    public int wholeFileRewrite() throws IOException {
        SecretProfile profile = profile(next++ % profiles);
        wholeFile.put(profile.owner() + "/" + profile.profile(), profile);
        return rewrite(dir.resolve("profiles.json"), wholeFile);
    }

    /** The anchor: what every change cost before (the previous ProfileStore.write). */
    private static int rewrite(Path file, Map<String, SecretProfile> all) throws IOException {
        ObjectNode root = JsonCodec.object();
        root.put("version", 1);
        ArrayNode list = root.putArray("profiles");
        all.values().stream()
                .sorted(Comparator.comparing(SecretProfile::owner).thenComparing(SecretProfile::profile))
                .forEach(p -> list.add(p.toStoredJson()));
        byte[] bytes = JsonCodec.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        Path temp = file.resolveSibling("profiles.json.tmp");
        try (FileChannel channel = FileChannel.open(
                temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return bytes.length;
    }
}
