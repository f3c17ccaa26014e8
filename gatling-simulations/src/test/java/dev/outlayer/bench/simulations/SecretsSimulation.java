package dev.outlayer.bench.simulations;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.reports.results.NamedValue;
import dev.outlayer.bench.simulations.support.Latencies;
import dev.outlayer.bench.simulations.support.Observed;
import dev.outlayer.bench.simulations.support.Params;
import dev.outlayer.bench.simulations.support.SecretProfiles;
import dev.outlayer.bench.simulations.support.SecretProfiles.Profile;
import dev.outlayer.bench.simulations.support.Target;
import dev.outlayer.bench.simulations.support.Verdicts;
import dev.outlayer.bench.simulations.support.results.Results;
import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

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
public class SecretsSimulation extends Simulation {
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

    private static final String BASELINE = "run without secrets";
    private static final String WITH_SECRETS = "run with secrets";
    private static final String LARGE = "run with 12 secrets";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Profile> PROFILES = SecretProfiles.load();
    private static final Profile SMALL_PROFILE = require("secrets");
    private static final Profile LARGE_PROFILE = require("large");
    private static final Latencies LATENCIES = new Latencies("decrypt", "inject", "exec");

    static {
        Observed.listen(LATENCIES);
    }

    private static final HttpProtocolBuilder PROTOCOL = http.baseUrl(Target.coordinatorUrl())
            .contentTypeHeader("application/json").acceptHeader("application/json").shareConnections();

    /** printenv with the same number of names in both runs, so that only the secrets differ. */
    private static String body(Profile profile, boolean withSecrets) {
        ObjectNode body = JSON.createObjectNode();
        var argv = body.putArray("argv");
        profile.names().forEach(argv::add);
        body.putObject("context").put("sender_id", profile.userAccountId());
        if (withSecrets) {
            body.set("secrets", profile.secretsBlock());
        } else {
            // The baseline passes the same variables in the request's env: same output, no keystore.
            ObjectNode env = body.putObject("env");
            SecretProfiles.variables(profile.variables()).forEach(env::put);
        }
        return body.toString();
    }

    private static ChainBuilder run(String name, Profile profile, boolean withSecrets) {
        String expectedFirstLine = SecretProfiles.variables(profile.variables()).values().iterator().next();
        return Observed.send(name, http(name).post("/programs/printenv/run").body(StringBody(body(profile, withSecrets)))
                .check(status().is(200), jsonPath("$.exit_code").ofInt().is(0),
                        jsonPath("$.stdout").transform(out -> out.split("\n")[0]).is(expectedFirstLine)));
    }

    /** Baseline, small, large in turn, so drift in the machine's load touches all three alike. */
    private static ChainBuilder round(String baseline, String small, String large) {
        return exec(run(baseline, LARGE_PROFILE, false), run(small, SMALL_PROFILE, true), run(large, LARGE_PROFILE, true));
    }

    private static final ScenarioBuilder SECRETS = scenario("secrets access")
            .repeat(WARM_UP).on(round("warm-up " + BASELINE, "warm-up " + WITH_SECRETS, "warm-up " + LARGE))
            .repeat(CALLS).on(round(BASELINE, WITH_SECRETS, LARGE));

    private static final Verdicts VERDICTS = new Verdicts()
            .atMost("decrypt roundtrip p95 (12 keys)", () -> phaseMillis(LARGE, "decrypt", 95), DECRYPT_TARGET_P95_MS, "ms")
            .atMost("decrypt roundtrip max (any)", () -> Math.max(phaseMillis(LARGE, "decrypt", 100),
                    phaseMillis(WITH_SECRETS, "decrypt", 100)), DECRYPT_ACCEPTABLE_MAX_MS, "ms")
            .atMost("decrypt roundtrip p50 (12 keys)", () -> phaseMillis(LARGE, "decrypt", 50), MAX_DECRYPT_P50_MS, "ms")
            .atMost("secrets overhead p50 (12 keys)", () -> overheadMillis(LARGE, 50), MAX_OVERHEAD_P50_MS, "ms");

    @Override
    public void before() {
        Results.begin();
        SecretProfiles.uploadPrintenv(Target.coordinatorUrl());
        SecretProfiles.store(Target.keystoreUrl(), PROFILES.values());
    }

    {
        List<Assertion> assertions = new ArrayList<>(List.of(VERDICTS.assertions()));
        for (String name : new String[] {BASELINE, WITH_SECRETS, LARGE}) {
            assertions.add(details(name).successfulRequests().percent().is(100.0));
        }
        setUp(SECRETS.injectOpen(atOnceUsers(1)).andThen(VERDICTS.population()))
                .protocols(PROTOCOL)
                .assertions(assertions);
    }

    private static double phaseMillis(String request, String phase, double percentile) {
        return LATENCIES.phase(request, phase).getValueAtPercentile(percentile) / 1000.0;
    }

    /** Client-side p{@code percentile} of {@code request} minus the baseline's, in ms. */
    private static double overheadMillis(String request, double percentile) {
        return (LATENCIES.elapsed(request).getValueAtPercentile(percentile)
                - LATENCIES.elapsed(BASELINE).getValueAtPercentile(percentile)) / 1000.0;
    }

    @Override
    public void after() {
        System.out.println("Parameters: " + Params.describe());
        for (String name : new String[] {BASELINE, WITH_SECRETS, LARGE}) {
            System.out.println(line(name + " (client)", LATENCIES.elapsed(name)));
        }
        System.out.println(line("decrypt roundtrip, 2 keys (Server-Timing)", LATENCIES.phase(WITH_SECRETS, "decrypt")));
        System.out.println(line("decrypt roundtrip, 12 keys (Server-Timing)", LATENCIES.phase(LARGE, "decrypt")));
        System.out.println(line("inject, 12 keys (Server-Timing)", LATENCIES.phase(LARGE, "inject")));
        System.out.printf(Locale.ROOT, "total overhead (with - without, client): 2 keys p50 %.3f ms p95 %.3f ms;"
                        + " 12 keys p50 %.3f ms p95 %.3f ms%n", overheadMillis(WITH_SECRETS, 50), overheadMillis(WITH_SECRETS, 95),
                overheadMillis(LARGE, 50), overheadMillis(LARGE, 95));
        Results.value("secrets_decrypt_p50_ms", "ms", phaseMillis(LARGE, "decrypt", 50), NamedValue.Merge.MAX);
        Results.value("secrets_decrypt_p95_ms", "ms", phaseMillis(LARGE, "decrypt", 95), NamedValue.Merge.MAX);
        Results.value("secrets_overhead_p50_ms", "ms", overheadMillis(LARGE, 50), NamedValue.Merge.MAX);
        Results.finish(getClass(), Target.coordinatorUrl(), Params.describe());
        Target.stop();
    }

    private static Profile require(String useCase) {
        Profile profile = PROFILES.get(useCase);
        if (profile == null) {
            throw new IllegalArgumentException("feeders/secrets.csv needs a row with case=" + useCase);
        }
        return profile;
    }

    private static String line(String what, Histogram micros) {
        return String.format(Locale.ROOT, "%s: %d, p50 %.3f ms, p95 %.3f ms, p99 %.3f ms, max %.3f ms", what,
                micros.getTotalCount(), micros.getValueAtPercentile(50) / 1000.0, micros.getValueAtPercentile(95) / 1000.0,
                micros.getValueAtPercentile(99) / 1000.0, micros.getMaxValue() / 1000.0);
    }
}
