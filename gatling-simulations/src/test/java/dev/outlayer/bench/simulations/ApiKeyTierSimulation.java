package dev.outlayer.bench.simulations;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import dev.outlayer.bench.results.names.Measured.ApiKeyTier;
import dev.outlayer.bench.simulations.support.BenchSimulation;
import dev.outlayer.bench.simulations.support.ExpectedThrottle;
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
 * then sequential calls with a standard-tier key from feeders/api-keys.csv (20 rps, burst 40). The spec's
 * durations: 50 anonymous calls in about 10 s (asserted in [8, 11] s: 40 after the burst at 5 rps, up to
 * 50 / 5 + 1 s slack), the first 50 keyed calls in about 2.5 s ([0.5, 3.5] s). 50 keyed calls are over
 * before the keyed bucket has refilled much (40 pass at once), so the keyed client goes on to 160 calls: about
 * 6 s of refills at 20 rps are measured, not inferred. After each burst the bucket admits its tier's rate
 * (within 10%, measured between the client's first and last refusal for the rate), and the keyed rate is 4
 * times the anonymous one. The CI form makes the same calls. With {@code -Dthrottle.keying=outlayer}
 * (OutLayer's coordinator: one keyed bucket for every key, retries after a fixed 5 s) see
 * {@link #seconds}.
 */
public class ApiKeyTierSimulation extends BenchSimulation {
    private static final int ANONYMOUS_REQUESTS = Params.integer("tiers.anonymous.requests", 50);
    /** The spec's count, whose durations are asserted. */
    private static final int SPEC_REQUESTS = 50;

    private static final int KEYED_REQUESTS = Params.integer("tiers.keyed.requests", 160);

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
        boolean outlayer = ExpectedThrottle.outlayer();
        double anonymousRate = outlayer
                ? Tiers.outlayerSequentialRate(Tiers.ANONYMOUS_RATE, Tiers.ANONYMOUS_BURST)
                : Tiers.ANONYMOUS_RATE;
        double keyedRate =
                outlayer ? Tiers.outlayerSequentialRate(Tiers.KEYED_RATE, Tiers.KEYED_BURST) : Tiers.KEYED_RATE;
        double[] anonymousSeconds = seconds(ANONYMOUS_REQUESTS, Tiers.ANONYMOUS_RATE, Tiers.ANONYMOUS_BURST);
        double[] keyedSeconds = seconds(SPEC_REQUESTS, Tiers.KEYED_RATE, Tiers.KEYED_BURST);
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
                        anonymousRate,
                        Tiers.TOLERANCE,
                        "rps")
                .near("keyed rate after the burst", keyed::rateAfterBurst, keyedRate, Tiers.TOLERANCE, "rps")
                .between(
                        "anonymous time for " + ANONYMOUS_REQUESTS + " calls",
                        anonymous::totalSeconds,
                        anonymousSeconds[0],
                        anonymousSeconds[1],
                        "s")
                .between(
                        "keyed time for the first " + SPEC_REQUESTS + " calls",
                        () -> keyed.secondsUntilAdmitted(SPEC_REQUESTS),
                        keyedSeconds[0],
                        keyedSeconds[1],
                        "s")
                .near(
                        "keyed to anonymous rate ratio",
                        () -> keyed.rateAfterBurst() / anonymous.rateAfterBurst(),
                        keyedRate / anonymousRate,
                        Tiers.TOLERANCE,
                        "x");

        setUp(WarmUp.then(
                        anonymousClient.injectOpen(atOnceUsers(1)),
                        keyedClient.injectOpen(atOnceUsers(1)),
                        verdicts.population()))
                .protocols(protocol)
                .assertions(verdicts.assertions());
    }

    /**
     * Bounds on the time of {@code calls} sequential calls. Per client: at least what the bucket needs after
     * its burst, at most the spec's {@code calls / rate} plus the slack. Under OutLayer's keying a refused
     * client waits the fixed 5 s and finds the bucket refilled by min(burst, 5 s of rate), so it is admitted
     * that many every 5 s (anonymous 10, keyed 40: 2 and 8 rps, still 4 apart) and takes a whole number of
     * waits: at least those, less than one more (the calls themselves take the rest; no warm-up runs then).
     */
    private static double[] seconds(int calls, double rate, int burst) {
        if (ExpectedThrottle.outlayer()) {
            double waits = Tiers.outlayerSequentialSeconds(calls, rate, burst);
            return new double[] {waits, waits + ExpectedThrottle.OUTLAYER_RETRY_AFTER_SECONDS};
        }
        return new double[] {Tiers.leastSeconds(calls, rate, burst), Tiers.specSecondsWithSlack(calls, rate)};
    }

    @Override
    protected void report() {
        System.out.println(anonymous.summary());
        System.out.println(keyed.summary());
    }
}
