package dev.outlayer.bench.targetsystem.bench;

import dev.outlayer.bench.targetsystem.TargetOptions;
import dev.outlayer.bench.targetsystem.TargetSystem;
import dev.outlayer.bench.targetsystem.http.Callers;
import dev.outlayer.bench.targetsystem.http.HttpServer;
import dev.outlayer.bench.targetsystem.http.Routes;
import dev.outlayer.bench.targetsystem.http.programs.ProgramRoutes;
import dev.outlayer.bench.targetsystem.identity.ApiKeyCallers;
import dev.outlayer.bench.targetsystem.linux.LinuxEmulator;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * Scenario 3 in process: the same program run over the coordinator's HTTP API without secrets
 * (baseline), with 2 and with 12 secrets fetched from the keystore over HTTP and injected.
 * Issue target: with-secrets minus without <= 3 ms at p50, 12 keys included. Run:
 * {@code mvn -q -pl target-system test-compile exec:exec@jmh -Djmh.args=SecretsExecutionBench}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 4)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx768m"})
public class SecretsExecutionBench {
    static final String REPO = "github.com/bench/agent";
    static final String OWNER = "bench.near";

    private Path dir;
    private TargetSystem keystore;
    private LinuxEmulator emulator;
    private HttpServer coordinator;
    private HttpClient http;
    private HttpRequest withoutSecrets;
    private HttpRequest withTwoSecrets;
    private HttpRequest withTwelveSecrets;

    private static final String USER_KEY = "user-key";

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("secrets-exec-bench");
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
                        "500");
        keystore = TargetSystem.start(options);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        BenchProfiles.store(http, keystore.keystoreUrl(), "bench-key", OWNER, "two", REPO, BenchProfiles.variables(2));
        BenchProfiles.store(
                http, keystore.keystoreUrl(), "bench-key", OWNER, "twelve", REPO, BenchProfiles.variables(12));

        // The coordinator's program routes with the keystore client wired in, as the target system does.
        var defaults = LinuxEmulator.Options.defaults();
        emulator = new LinuxEmulator(
                new LinuxEmulator.Options(
                        2,
                        2,
                        defaults.maxInstructionsCap(),
                        defaults.maxMemoryMbCap(),
                        defaults.maxSecondsCap(),
                        defaults.maxOutputBytes(),
                        5_000),
                BlockClock.startingNow(1000));
        Path root = Path.of(System.getProperty("outlayer.root", ".")).toAbsolutePath();
        Path wasm = Files.exists(root.resolve("resources/programs/printenv.wasm"))
                ? root.resolve("resources/programs/printenv.wasm")
                : root.resolve("../resources/programs/printenv.wasm");
        emulator.deploy("printenv", Files.readAllBytes(wasm));
        emulator.useSecrets(keystore.secretsClient()::fetch);
        Routes routes = new Routes("coordinator", new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        // The run's account is proven by its API key, as the target system wires it from the keys file.
        ProgramRoutes.register(
                routes, emulator, 4 << 20, 1 << 20, new Callers(new ApiKeyCallers(Map.of(USER_KEY, "user.near")::get)));
        coordinator = HttpServer.start("bench-coordinator", "127.0.0.1", 0, routes.handler(), 500);

        withoutSecrets = run(null);
        withTwoSecrets = run("two");
        withTwelveSecrets = run("twelve");
        for (HttpRequest request : new HttpRequest[] {withoutSecrets, withTwoSecrets, withTwelveSecrets}) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("run failed: " + response.statusCode() + " " + response.body());
            }
        }
    }

    /** printenv SECRET_1 SECRET_2: both runs print two lines, so only the secrets differ. */
    private HttpRequest run(String profile) {
        String secrets = profile == null
                ? ""
                : ",\"secrets\":{\"owner\":\"" + OWNER + "\",\"profile\":\"" + profile + "\",\"repo\":\"" + REPO
                        + "\"}";
        String env = profile == null ? ",\"env\":{\"SECRET_1\":\"a\",\"SECRET_2\":\"b\"}" : "";
        String body =
                "{\"argv\":[\"SECRET_1\",\"SECRET_2\"],\"context\":{\"sender_id\":\"user.near\"}" + env + secrets + "}";
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + coordinator.port() + "/programs/printenv/run"))
                .header("Content-Type", "application/json")
                .header("X-API-Key", USER_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        coordinator.close();
        emulator.close();
        keystore.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public String runWithoutSecrets() throws Exception {
        return http.send(withoutSecrets, HttpResponse.BodyHandlers.ofString()).body();
    }

    @Benchmark
    public String runWithTwoSecrets() throws Exception {
        return http.send(withTwoSecrets, HttpResponse.BodyHandlers.ofString()).body();
    }

    @Benchmark
    public String runWithTwelveSecrets() throws Exception {
        return http.send(withTwelveSecrets, HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
