package dev.outlayer.bench.targetsystem.bench;

import dev.outlayer.bench.targetsystem.TargetOptions;
import dev.outlayer.bench.targetsystem.TargetSystem;
import dev.outlayer.bench.targetsystem.contracts.CallRequest;
import dev.outlayer.bench.targetsystem.contracts.Outcome;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.keystore.SecretsClient;
import dev.outlayer.bench.targetsystem.keystore.SecretsRef;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
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
import picocli.CommandLine;

/**
 * Keystore decrypt roundtrip over loopback HTTP (issue targets: p50 <= 2 ms, p99 <= 10 ms), with
 * the same HTTP client's roundtrip to the keystore's /health as the baseline measured in the same
 * run (SecretsExecutionBench measures the whole execution with and without secrets). Run:
 * {@code mvn -q -pl target-system test-compile exec:exec@jmh -Djmh.args=KeystoreBench}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 4)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx512m"})
public class KeystoreBench {
    static final String REPO = "github.com/bench/agent";
    static final String OWNER = "bench.near";

    private Path dir;
    private TargetSystem system;
    private SecretsClient secrets;
    private HttpClient http;
    private HttpRequest health;
    private HttpRequest pubkey;
    private final SecretsRef small = new SecretsRef(OWNER, "small", REPO, null);
    private final SecretsRef large = new SecretsRef(OWNER, "large", REPO, null);
    private final SecretsRef nftHolders = new SecretsRef(OWNER, "nft-holders", REPO, null);

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("keystore-bench");
        Path keys = dir.resolve("api-keys.csv");
        Files.writeString(keys, "api_key,tier,owner\nbench-key,unlimited,bench.near\n");
        Path tiers = dir.resolve("tiers.csv");
        Files.writeString(
                tiers, "tier,rate_per_second,burst,max_in_flight\nanonymous,5,10,4\nunlimited,1000000,1000000,4096\n");
        TargetOptions options = new TargetOptions();
        new CommandLine(options)
                .parseArgs(
                        "--components",
                        "keystore,coordinator",
                        "--host",
                        "127.0.0.1",
                        "--coordinator-port",
                        "0",
                        "--keystore-port",
                        "0",
                        "--keystore-data-dir",
                        dir.resolve("ks").toString(),
                        "--api-keys-file",
                        keys.toString(),
                        "--tiers-file",
                        tiers.toString(),
                        "--upstream-rpc",
                        "http://127.0.0.1:9",
                        "--shutdown-grace-ms",
                        "500",
                        "--contracts-dir",
                        Path.of(System.getProperty("outlayer.root", ".."), "resources", "contracts")
                                .toString());
        system = TargetSystem.start(options);
        // An NFT held by the decrypting user: the on-chain condition's view call has a token to find.
        Outcome mint = system.contracts()
                .execute(CallRequest.call(
                                "nft.test.near",
                                "nft_mint",
                                "{\"token_id\":\"pass\",\"token_owner_id\":\"user.near\",\"token_metadata\":{}}"
                                        .getBytes(StandardCharsets.UTF_8))
                        .withCaller("nft.test.near", "nft.test.near")
                        .withDeposit(BigInteger.TEN.pow(23)));
        if (!mint.success()) {
            throw new IllegalStateException("nft_mint failed: " + mint.errorMessage());
        }
        secrets = system.secretsClient();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        health = HttpRequest.newBuilder(URI.create(system.keystoreUrl() + "/health"))
                .build();
        pubkey = HttpRequest.newBuilder(URI.create(system.keystoreUrl() + "/pubkey"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"repo\":\"" + REPO + "\",\"owner\":\"" + OWNER + "\"}"))
                .build();
        BenchProfiles.store(http, system.keystoreUrl(), "bench-key", OWNER, "small", REPO, BenchProfiles.variables(2));
        BenchProfiles.store(http, system.keystoreUrl(), "bench-key", OWNER, "large", REPO, BenchProfiles.variables(12));
        BenchProfiles.store(
                http,
                system.keystoreUrl(),
                "bench-key",
                OWNER,
                "nft-holders",
                REPO,
                BenchProfiles.variables(2),
                JsonCodec.MAPPER.readTree("{\"NftOwned\":{\"contract\":\"nft.test.near\",\"token_id\":\"pass\"}}"));
        if (secrets.fetch(nftHolders, "user.near").size() != 2) {
            throw new IllegalStateException("nft-holders profile did not decrypt for the token's owner");
        }
        if (secrets.fetch(large, "user.near").size() != 12) {
            throw new IllegalStateException("large profile did not decrypt to 12 variables");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        system.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Baseline: one HTTP roundtrip to the keystore doing no crypto. */
    @Benchmark
    public int baselineHealthRoundtrip() throws Exception {
        return http.send(health, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
    }

    /** Baseline with a JSON body: POST /pubkey, whose scope key is cached, so no X25519 runs. */
    @Benchmark
    public int baselinePubkeyRoundtrip() throws Exception {
        return http.send(pubkey, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
    }

    /** POST /decrypt: token check, lookup, access check, X25519 + HKDF + ChaCha20-Poly1305, 2 keys. */
    @Benchmark
    public Map<String, String> decryptRoundtrip() throws Exception {
        return secrets.fetch(small, "user.near");
    }

    /**
     * 2 keys behind OutLayer's NftOwned: the access check runs nft_token on the simulator's NFT
     * contract (and the decrypt moves to a worker thread). Against decryptRoundtrip, its cost.
     */
    @Benchmark
    public Map<String, String> decryptRoundtripNftOwned() throws Exception {
        return secrets.fetch(nftHolders, "user.near");
    }

    /** The same with 12 keys. */
    @Benchmark
    public Map<String, String> decryptRoundtripTwelveKeys() throws Exception {
        return secrets.fetch(large, "user.near");
    }
}
