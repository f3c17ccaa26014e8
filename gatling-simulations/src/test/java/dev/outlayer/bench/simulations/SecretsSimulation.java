package dev.outlayer.bench.simulations;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.csv;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import dev.outlayer.bench.results.NamedValue;
import dev.outlayer.bench.results.names.Measured.Secrets;
import dev.outlayer.bench.results.names.ServerPhase;
import dev.outlayer.bench.simulations.support.BenchSimulation;
import dev.outlayer.bench.simulations.support.ContractCode;
import dev.outlayer.bench.simulations.support.Json;
import dev.outlayer.bench.simulations.support.Observed;
import dev.outlayer.bench.simulations.support.Params;
import dev.outlayer.bench.simulations.support.Phases;
import dev.outlayer.bench.simulations.support.Target;
import dev.outlayer.bench.targetsystem.Main;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;

/**
 * Spec Scenario 3, "Encrypted Secrets Access": request -> decrypt secrets -> inject environment
 * variables -> execute. The same program ({@code printenv}) runs over the coordinator's API without
 * secrets (baseline), with a profile of 2 secrets and with a large one (12), from
 * {@code feeders/secrets.csv}; each run with secrets makes the coordinator call the keystore's
 * {@code /decrypt} over HTTP. Reports the decrypt roundtrip (the {@code decrypt} phase of
 * {@code Server-Timing}), the inject phase, and the total overhead (client-side p50 with minus
 * without). Asserts the spec's decryption target (p95 < 100 ms; every one < 200 ms, the acceptable
 * bound), ours (decrypt p50 <= 2 ms, total overhead p50 <= 3 ms with 12 keys; looser in the CI form)
 * and that every run succeeds.
 */
public class SecretsSimulation extends BenchSimulation {
    private static final int CALLS = Params.integer("secrets.calls", 300, 100);
    /** Rounds before measuring (the spec's warm-up), enough for the JIT to compile the crypto. */
    private static final int WARM_UP = Params.integer("secrets.warmUp", 500, 200);
    // The spec's "Secrets decryption" row: < 100 ms target, < 200 ms acceptable.
    private static final double DECRYPT_TARGET_P95_MS = Params.decimal("secrets.decryptTargetP95Ms", 100);
    private static final double DECRYPT_ACCEPTABLE_MAX_MS = Params.decimal("secrets.decryptAcceptableMaxMs", 200);
    // Ours (issue 6): decrypt p50 <= 2 ms, total overhead p50 <= 3 ms. The short CI form runs beside other
    // jobs on a small machine, so its defaults only catch gross regressions.
    private static final double MAX_DECRYPT_P50_MS = Params.decimal("secrets.maxDecryptP50Ms", Params.ci() ? 10 : 2);
    private static final double MAX_OVERHEAD_P50_MS = Params.decimal("secrets.maxOverheadP50Ms", Params.ci() ? 10 : 3);

    private static final String BASELINE = Secrets.WITHOUT.name();
    private static final String WITH_SECRETS = Secrets.WITH_2.name();
    private static final String LARGE = Secrets.WITH_12.name();
    private static final String LINUX_CALL = Secrets.LINUX_CALL.name();
    private static final String COUNTER = "counter.test.near";
    /** The Complete Summary Table's "With secrets" Target, both modes. */
    private static final double WITH_SECRETS_P95_MS = Params.decimal("secrets.withSecretsP95Ms", 200);

    private static final Map<String, Profile> PROFILES = loadProfiles();
    private static final Profile SMALL_PROFILE = require("secrets");
    private static final Profile LARGE_PROFILE = require("large");

    /**
     * One row of {@code feeders/secrets.csv} (case, owner, api_key, profile, repo, branch, variables, access,
     * user_account_id): a profile of {@code variables} secrets SECRET_1..SECRET_n, stored by its owner.
     */
    private record Profile(
            String useCase,
            String owner,
            String apiKey,
            String profile,
            String repo,
            String branch,
            int variables,
            String access,
            String userAccountId) {}

    /** printenv's run request (docs/target-system-api.md); the absent one of secrets and env is left out. */
    private record Run(List<String> argv, Map<String, String> context, SecretsBlock secrets, Map<String, String> env) {}

    /** A contract call (docs/target-system-api.md) in linux mode with secrets. */
    private record LinuxCall(
            String method,
            Map<String, Object> args,
            String mode,
            String signerId,
            String predecessorId,
            String attachedDeposit,
            SecretsBlock secrets) {}

    /** Which stored profile a run's secrets come from; a null branch is left out. */
    private record SecretsBlock(String owner, String profile, String repo, String branch) {}

    private final HttpProtocolBuilder protocol = http.baseUrl(Target.coordinatorUrl())
            .contentTypeHeader("application/json")
            .acceptHeader("application/json")
            .shareConnections();

    private final ScenarioBuilder secrets = scenario("secrets access")
            .repeat(WARM_UP)
            .on(round("warm-up " + BASELINE, "warm-up " + WITH_SECRETS, "warm-up " + LARGE))
            .repeat(CALLS)
            .on(round(BASELINE, WITH_SECRETS, LARGE))
            .repeat(WARM_UP / 5)
            .on(linuxCallWithSecrets("warm-up " + LINUX_CALL))
            .repeat(CALLS)
            .on(linuxCallWithSecrets(LINUX_CALL));

    {
        verdicts.atMost("decrypt roundtrip p95 (12 keys)", () -> decryptMillis(LARGE, 95), DECRYPT_TARGET_P95_MS, "ms")
                // as the report's "Secrets decryption" cell takes it: both profiles' decrypt phases together
                .atMost(
                        "decrypt roundtrip p95 (2 and 12 keys)",
                        () -> recorded().phaseMillis(ServerPhase.DECRYPT, 95, WITH_SECRETS, LARGE),
                        DECRYPT_TARGET_P95_MS,
                        "ms")
                .atMost(
                        "decrypt roundtrip max (any)",
                        () -> Math.max(decryptMillis(LARGE, 100), decryptMillis(WITH_SECRETS, 100)),
                        DECRYPT_ACCEPTABLE_MAX_MS,
                        "ms")
                .atMost("decrypt roundtrip p50 (12 keys)", () -> decryptMillis(LARGE, 50), MAX_DECRYPT_P50_MS, "ms")
                .atMost("secrets overhead p50 (12 keys)", () -> overheadMillis(LARGE, 50), MAX_OVERHEAD_P50_MS, "ms")
                // The Complete Summary Table's "With secrets" < 200 ms, client p95 as the report's cells take it.
                .atMost(
                        "with secrets, direct mode: client p95 (2 and 12 keys)",
                        () -> recorded().clientMillis(95, WITH_SECRETS, LARGE),
                        WITH_SECRETS_P95_MS,
                        "ms")
                .atMost(
                        "with secrets, linux mode: client p95",
                        () -> recorded().clientMillis(LINUX_CALL, 95),
                        WITH_SECRETS_P95_MS,
                        "ms");

        setUp(Phases.inOrder(secrets.injectOpen(atOnceUsers(1)), verdicts.population()))
                .protocols(protocol)
                .assertions(verdicts.assertions(
                        details(BASELINE).successfulRequests().percent().is(100.0),
                        details(WITH_SECRETS).successfulRequests().percent().is(100.0),
                        details(LARGE).successfulRequests().percent().is(100.0),
                        details(LINUX_CALL).successfulRequests().percent().is(100.0)));
    }

    /**
     * The setup, done as a user would: {@code printenv} uploaded to the coordinator, and each profile encrypted
     * for its scope with the keystore's public key and stored with its owner's API key by the target system's
     * own {@code encrypt-secrets} command. It fails loudly: the scenario means nothing without them.
     */
    @Override
    public void before() {
        super.before();
        storeProfiles();
    }

    /** The setup above; {@code CapacitySimulation}'s secrets path needs the same. */
    static void storeProfiles() {
        uploadPrintenv();
        for (Profile p : PROFILES.values()) {
            List<String> args = new ArrayList<>(List.of(
                    "encrypt-secrets",
                    "--keystore",
                    Target.keystoreUrl(),
                    "--repo",
                    p.repo(),
                    "--owner",
                    p.owner(),
                    "--secrets",
                    Json.write(variables(p.variables())),
                    "--profile",
                    p.profile(),
                    "--api-key",
                    p.apiKey(),
                    "--access",
                    p.access()));
            if (p.branch() != null) {
                args.addAll(List.of("--branch", p.branch()));
            }
            StringWriter errors = new StringWriter();
            if (new CommandLine(new Main())
                            .setOut(new PrintWriter(Writer.nullWriter()))
                            .setErr(new PrintWriter(errors))
                            .execute(args.toArray(String[]::new))
                    != 0) {
                throw new IllegalStateException("cannot store the secret profile " + p.profile() + ": " + errors);
            }
        }
    }

    /**
     * The matrix's "With secrets" in linux mode: the counter's {@code get_num} called in linux mode with the
     * 2-secret profile, signed by the profile's user and sent with that user's API key (the keystore checks access for the key's owner): the
     * coordinator decrypts the secrets and starts the contract's process with them as environment variables.
     */
    private static ChainBuilder linuxCallWithSecrets(String name) {
        Profile p = SMALL_PROFILE;
        LinuxCall call = new LinuxCall(
                "get_num",
                Map.of(),
                "linux",
                p.userAccountId(),
                p.userAccountId(),
                "0",
                new SecretsBlock(p.owner(), p.profile(), p.repo(), p.branch()));
        return Observed.send(
                name,
                http(name)
                        .post("/contracts/" + COUNTER + "/call")
                        // Secrets go to the owner of the API key only: signer_id alone proves nothing.
                        .header("X-API-Key", p.apiKey())
                        .body(StringBody(Json.write(call)))
                        .check(status().is(200), jsonPath("$.status").is("success")));
    }

    /** A printenv run with the 2-secret profile, named {@code name}: {@code CapacitySimulation}'s secrets path. */
    static ChainBuilder runWithSecrets(String name) {
        return run(name, SMALL_PROFILE, true);
    }

    /** Baseline, small, large in turn, so drift in the machine's load touches all three alike. */
    private static ChainBuilder round(String baseline, String small, String large) {
        return exec(
                run(baseline, LARGE_PROFILE, false), run(small, SMALL_PROFILE, true), run(large, LARGE_PROFILE, true));
    }

    /**
     * printenv of every variable of {@code profile}: from the keystore with secrets, else from the request's
     * env (same output, no keystore), so that only where the values come from differs.
     */
    private static ChainBuilder run(String name, Profile profile, boolean withSecrets) {
        Map<String, String> variables = variables(profile.variables());
        Run run = new Run(
                List.copyOf(variables.keySet()),
                Map.of("sender_id", profile.userAccountId()),
                withSecrets
                        ? new SecretsBlock(profile.owner(), profile.profile(), profile.repo(), profile.branch())
                        : null,
                withSecrets ? null : variables);
        return Observed.send(
                name,
                http(name)
                        .post("/programs/printenv/run")
                        // The key's owner is the account the profile's access condition sees (sender_id proves
                        // nothing).
                        .header("X-API-Key", profile.apiKey())
                        .body(StringBody(Json.write(run)))
                        .check(
                                status().is(200),
                                jsonPath("$.exit_code").ofInt().is(0),
                                jsonPath("$.stdout")
                                        .transform(out -> out.split("\n")[0])
                                        .is(variables.values().iterator().next())));
    }

    private static double decryptMillis(String request, double percentile) {
        return recorded().phaseMillis(request, ServerPhase.DECRYPT, percentile);
    }

    /** Client-side p{@code percentile} of {@code request} minus the baseline's, in ms. */
    private static double overheadMillis(String request, double percentile) {
        return recorded().clientMillis(request, percentile) - recorded().clientMillis(BASELINE, percentile);
    }

    /** SECRET_1..SECRET_n with 40-character values. */
    private static Map<String, String> variables(int count) {
        Map<String, String> variables = new LinkedHashMap<>();
        for (int i = 1; i <= count; i++) {
            variables.put("SECRET_" + i, "value-" + i + "-" + "s".repeat(32));
        }
        return variables;
    }

    private static Map<String, Profile> loadProfiles() {
        Map<String, Profile> profiles = new LinkedHashMap<>();
        for (Map<String, Object> row : csv("secrets.csv").readRecords()) {
            String branch = String.valueOf(row.get("branch")).strip();
            Profile profile = new Profile(
                    text(row, "case"),
                    text(row, "owner"),
                    text(row, "api_key"),
                    text(row, "profile"),
                    text(row, "repo"),
                    branch.isEmpty() ? null : branch,
                    Integer.parseInt(text(row, "variables")),
                    text(row, "access"),
                    text(row, "user_account_id"));
            profiles.put(profile.useCase(), profile);
        }
        return profiles;
    }

    private static String text(Map<String, Object> row, String column) {
        Object value = row.get(column);
        if (value == null || String.valueOf(value).isBlank()) {
            throw new IllegalArgumentException("feeders/secrets.csv: column " + column + " is empty");
        }
        return String.valueOf(value).strip();
    }

    private static Profile require(String useCase) {
        Profile profile = PROFILES.get(useCase);
        if (profile == null) {
            throw new IllegalArgumentException("feeders/secrets.csv needs a row with case=" + useCase);
        }
        return profile;
    }

    @Override
    protected void report() {
        Phases.print(BASELINE);
        Phases.print(WITH_SECRETS, ServerPhase.DECRYPT, ServerPhase.INJECT);
        Phases.print(LARGE, ServerPhase.DECRYPT, ServerPhase.INJECT);
        Phases.print(LINUX_CALL, ServerPhase.DECRYPT, ServerPhase.INJECT);
        System.out.printf(
                Locale.ROOT,
                "total overhead (with - without, client): 2 keys p50 %.3f ms p95 %.3f ms;"
                        + " 12 keys p50 %.3f ms p95 %.3f ms%n",
                overheadMillis(WITH_SECRETS, 50),
                overheadMillis(WITH_SECRETS, 95),
                overheadMillis(LARGE, 50),
                overheadMillis(LARGE, 95));
        recorded().value("secrets_decrypt_p50_ms", "ms", decryptMillis(LARGE, 50), NamedValue.Merge.MAX);
        recorded().value("secrets_decrypt_p95_ms", "ms", decryptMillis(LARGE, 95), NamedValue.Merge.MAX);
        recorded().value("secrets_overhead_p50_ms", "ms", overheadMillis(LARGE, 50), NamedValue.Merge.MAX);
    }

    /** Uploads resources/programs/printenv.wasm as {@code printenv}. */
    private static void uploadPrintenv() {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(Target.coordinatorUrl() + "/programs/printenv"))
                                    .header("Content-Type", "application/wasm")
                                    .PUT(HttpRequest.BodyPublishers.ofFile(
                                            ContractCode.resolve("resources/programs/printenv.wasm")))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new IllegalStateException(
                        "PUT /programs/printenv -> " + response.statusCode() + " " + response.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot upload printenv: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
