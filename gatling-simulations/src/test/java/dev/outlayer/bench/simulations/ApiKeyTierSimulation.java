package dev.outlayer.bench.simulations;

import dev.outlayer.bench.simulations.support.JsonRpc;
import dev.outlayer.bench.simulations.support.Params;
import dev.outlayer.bench.simulations.support.results.Results;
import dev.outlayer.bench.simulations.support.Tally;
import dev.outlayer.bench.simulations.support.Target;
import dev.outlayer.bench.simulations.support.Throttled;
import dev.outlayer.bench.simulations.support.Tiers;
import dev.outlayer.bench.simulations.support.Verdicts;
import dev.outlayer.bench.simulations.support.WarmUp;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;

/**
 * Spec "Test: API Key Tier Performance": 50 sequential calls without a key (anonymous: 5 rps, burst 10),
 * then 50 with a standard-tier key from feeders/api-keys.csv (20 rps, burst 40). After each burst the
 * bucket sustains its tier's rate (within 10%), and the keyed rate is 4 times the anonymous one.
 */
public class ApiKeyTierSimulation extends Simulation {
    private static final int ANONYMOUS_REQUESTS = Params.integer("tiers.anonymous.requests", 50);
    /**
     * The keyed client empties its bucket only if its 50 calls take under 0.5 s (40 burst + 20 rps), about
     * 10 ms a call: a shared CI machine can be slower, so the CI form makes 100 calls (under 3 s).
     */
    private static final int KEYED_REQUESTS = Params.integer("tiers.keyed.requests", 50, 100);

    private static final Tally ANONYMOUS = new Tally("anonymous");
    private static final Tally KEYED = new Tally("keyed (" + Tiers.KEYED_TIER + ")");
    private static final HttpProtocolBuilder PROTOCOL = JsonRpc.protocol();

    private static final ScenarioBuilder ANONYMOUS_CLIENT = scenario("anonymous client")
            .repeat(ANONYMOUS_REQUESTS).on(Throttled.call("anonymous status", ANONYMOUS,
                    name -> http(name).post(JsonRpc.PROXY_PATH).body(JsonRpc.status())));

    private static final ScenarioBuilder KEYED_CLIENT = scenario("keyed client")
            .feed(JsonRpc.apiKeyFeeder(Tiers.KEYED_TIER))
            .repeat(KEYED_REQUESTS).on(Throttled.call("keyed status", KEYED,
                    name -> http(name).post(JsonRpc.PROXY_PATH)
                            .header("Authorization", "Bearer #{" + JsonRpc.API_KEY + "}")
                            .body(JsonRpc.status())));

    private static final Verdicts VERDICTS = new Verdicts()
            .between("anonymous calls finally admitted", ANONYMOUS::callsAdmitted, ANONYMOUS_REQUESTS, ANONYMOUS_REQUESTS, "calls")
            .between("keyed calls finally admitted", KEYED::callsAdmitted, KEYED_REQUESTS, KEYED_REQUESTS, "calls")
            .near("anonymous rate after the burst", ApiKeyTierSimulation::anonymousRate,
                    Tiers.ANONYMOUS_RATE, Tiers.TOLERANCE, "rps")
            .near("keyed rate after the burst", ApiKeyTierSimulation::keyedRate,
                    Tiers.KEYED_RATE, Tiers.TOLERANCE, "rps")
            .near("keyed to anonymous rate ratio", () -> keyedRate() / anonymousRate(),
                    Tiers.KEYED_RATE / Tiers.ANONYMOUS_RATE, Tiers.TOLERANCE, "x");

    private static double anonymousRate() {
        return ANONYMOUS.rateAfterBurst();
    }

    private static double keyedRate() {
        return KEYED.rateAfterBurst();
    }

    {
        setUp(WarmUp.before(ANONYMOUS_CLIENT.injectOpen(atOnceUsers(1))
                .andThen(KEYED_CLIENT.injectOpen(atOnceUsers(1))
                        .andThen(VERDICTS.population()))))
                .protocols(PROTOCOL)
                .assertions(VERDICTS.assertions());
    }

    @Override
    public void after() {
        System.out.println("Parameters: " + Params.describe());
        System.out.println(ANONYMOUS.summary());
        System.out.println(KEYED.summary());
        Results.finish(getClass(), Target.coordinatorUrl(), Params.describe());
        Target.stop();
    }
}
