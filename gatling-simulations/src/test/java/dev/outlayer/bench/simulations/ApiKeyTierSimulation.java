package dev.outlayer.bench.simulations;

import dev.outlayer.bench.simulations.support.JsonRpc;
import dev.outlayer.bench.simulations.support.Params;
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
    private static final int REQUESTS = Params.integer("tiers.requests", 50);

    private static final Tally ANONYMOUS = new Tally("anonymous");
    private static final Tally KEYED = new Tally("keyed (" + Tiers.KEYED_TIER + ")");
    private static final HttpProtocolBuilder PROTOCOL = JsonRpc.protocol();

    private static final ScenarioBuilder ANONYMOUS_CLIENT = scenario("anonymous client")
            .repeat(REQUESTS).on(Throttled.call("anonymous status", ANONYMOUS,
                    name -> http(name).post(JsonRpc.PROXY_PATH).body(JsonRpc.status())));

    private static final ScenarioBuilder KEYED_CLIENT = scenario("keyed client")
            .feed(JsonRpc.apiKeyFeeder(Tiers.KEYED_TIER))
            .repeat(REQUESTS).on(Throttled.call("keyed status", KEYED,
                    name -> http(name).post(JsonRpc.PROXY_PATH)
                            .header("Authorization", "Bearer #{" + JsonRpc.API_KEY + "}")
                            .body(JsonRpc.status())));

    private static final Verdicts VERDICTS = new Verdicts()
            .between("anonymous calls finally admitted", ANONYMOUS::callsAdmitted, REQUESTS, REQUESTS, "calls")
            .between("keyed calls finally admitted", KEYED::callsAdmitted, REQUESTS, REQUESTS, "calls")
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
        Target.stop();
    }
}
