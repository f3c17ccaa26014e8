package dev.outlayer.bench.targetsystem.bench;

import dev.outlayer.bench.targetsystem.keystore.Ecies;
import dev.outlayer.bench.targetsystem.keystore.ScopeKeys;
import dev.outlayer.bench.targetsystem.keystore.SecretsPayload;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The keystore's crypto in process, without HTTP: where a decrypt's time goes.
 * Run: {@code mvn -q -pl target-system test-compile exec:exec@jmh -Djmh.args=EciesBench}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx256m"})
public class EciesBench {
    private ScopeKeys.KeyPair scope;
    private byte[] blob;
    private byte[] plaintext;

    @Setup
    public void setUp() throws Exception {
        byte[] master = new byte[32];
        new SecureRandom().nextBytes(master);
        scope = new ScopeKeys(master).forSeed("github.com/bench/agent:bench.near");
        Map<String, String> variables = BenchProfiles.variables(12);
        plaintext = dev.outlayer.bench.targetsystem.json.JsonCodec.MAPPER
                .writeValueAsString(variables)
                .getBytes(StandardCharsets.UTF_8);
        blob = Ecies.encrypt(scope.publicKey(), plaintext);
    }

    @Benchmark
    public byte[] decrypt() throws Exception {
        return Ecies.decrypt(scope.privateKey(), blob);
    }

    @Benchmark
    public byte[] encrypt() {
        return Ecies.encrypt(scope.publicKey(), plaintext);
    }

    @Benchmark
    public Map<String, String> parsePayload() {
        return SecretsPayload.parse(plaintext);
    }
}
