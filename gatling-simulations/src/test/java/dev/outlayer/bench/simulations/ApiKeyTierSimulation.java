package dev.outlayer.bench.simulations;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import dev.outlayer.bench.results.names.Measured.ApiKeyTier;
import dev.outlayer.bench.simulations.support.BenchSimulation;
import dev.outlayer.bench.simulations.support.JsonRpc;
import dev.outlayer.bench.simulations.support.Params;
import dev.outlayer.bench.simulations.support.Tally;
import dev.outlayer.bench.simulations.support.Throttled;
import dev.outlayer.bench.simulations.support.Tiers;
import dev.outlayer.bench.simulations.support.WarmUp;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;

/**
 * Spec "Test: API Key Tier Performance": 50 sequential calls without a key (anonymous: 5 rps, burst 10),
 * then 50 with a standard-tier key from feeders/api-keys.csv (20 rps, burst 40). After each burst the
 * bucket sustains its tier's rate (within 10%), and the keyed rate is 4 times the anonymous one.
 */
public class ApiKeyTierSimulation extends BenchSimulation {
    private static final int ANONYMOUS_REQUESTS = Params.integer("tiers.anonymous.requests", 50);
    /**
     * The keyed client empties its bucket only if its 50 calls take under 0.5 s (40 burst + 20 rps), about
     * 10 ms a call: a shared CI machine can be slower, so the CI form makes 100 calls (under 3 s).
     */
    private static final int KEYED_REQUESTS = Params.integer("tiers.keyed.requests", 50, 100);

    private final Tally anonymous = new Tally("anonymous");
    private final Tally keyed = new Tally("keyed (" + Tiers.KEYED_TIER + ")");

    private final HttpProtocolBuilder protocol = JsonRpc.protocol();

    private final ScenarioBuilder anonymousClient = scenario("anonymous client")
            .repeat(ANONYMOUS_REQUESTS)
            .on(Throttled.call(ApiKeyTier.ANONYMOUS.name(), anonymous, JsonRpc::status));

    private final ScenarioBuilder keyedClient = scenario("keyed client")
            .feed(JsonRpc.apiKeyFeeder(Tiers.KEYED_TIER))
            .repeat(KEYED_REQUESTS)
            .on(Throttled.call(ApiKeyTier.KEYED.name(), keyed, JsonRpc::keyedStatus));

    {
        verdicts.between(
                        "anonymous calls finally admitted",
                        anonymous::callsAdmitted,
                        ANONYMOUS_REQUESTS,
                        ANONYMOUS_REQUESTS,
                        "calls")
                .between("keyed calls finally admitted", keyed::callsAdmitted, KEYED_REQUESTS, KEYED_REQUESTS, "calls")
                .near(
                        "anonymous rate after the burst",
                        anonymous::rateAfterBurst,
                        Tiers.ANONYMOUS_RATE,
                        Tiers.TOLERANCE,
                        "rps")
                .near("keyed rate after the burst", keyed::rateAfterBurst, Tiers.KEYED_RATE, Tiers.TOLERANCE, "rps")
                .near(
                        "keyed to anonymous rate ratio",
                        () -> keyed.rateAfterBurst() / anonymous.rateAfterBurst(),
                        Tiers.KEYED_RATE / Tiers.ANONYMOUS_RATE,
                        Tiers.TOLERANCE,
                        "x");

        setUp(WarmUp.then(
                        anonymousClient.injectOpen(atOnceUsers(1)),
                        keyedClient.injectOpen(atOnceUsers(1)),
                        verdicts.population()))
                .protocols(protocol)
                .assertions(verdicts.assertions());
    }

    @Override
    protected void report() {
        System.out.println(anonymous.summary());
        System.out.println(keyed.summary());
    }
}
