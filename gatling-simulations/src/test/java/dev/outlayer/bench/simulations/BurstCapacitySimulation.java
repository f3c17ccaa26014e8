package dev.outlayer.bench.simulations;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import dev.outlayer.bench.results.names.Measured.BurstCapacity;
import dev.outlayer.bench.simulations.support.BenchSimulation;
import dev.outlayer.bench.simulations.support.ExpectedThrottle;
import dev.outlayer.bench.simulations.support.JsonRpc;
import dev.outlayer.bench.simulations.support.Params;
import dev.outlayer.bench.simulations.support.Tally;
import dev.outlayer.bench.simulations.support.Throttled;
import dev.outlayer.bench.simulations.support.WarmUp;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;

/**
 * Spec "Stress Testing / Burst Capacity": a massive anonymous burst, 200 requests at once, each virtual user on
 * its own connection (Gatling's default: connections are not shared), and its recovery. The coordinator's
 * in-flight cap (4 for the anonymous tier) answers most of them 429 {@code reason: "concurrency"}, the bucket
 * the rest 429 {@code reason: "rate"}; every request retries after {@code Retry-After} until admitted. All
 * succeed; between the first and last refusal for the rate the bucket admits 5 rps (within 10%); the whole
 * takes the spec's "about 40 s": between (200 - 10 burst) / 5 = 38 s and 200 / 5 + 1 s slack = 41 s. The
 * concurrency refusals are counted and recorded. CI form: 60 requests (10.0 to 13.0 s).
 *
 * <p>With {@code -Dthrottle.keying=outlayer} (OutLayer's coordinator: one anonymous bucket for every caller,
 * plain-text refusals, retries after a fixed 5 s) the verdicts are {@link ExpectedThrottle#outlayerBurst}'s.
 */
public class BurstCapacitySimulation extends BenchSimulation {
    private static final int REQUESTS = Params.integer("capacity.requests", 200, 60);

    private final Tally anonymous = new Tally("anonymous");

    private final HttpProtocolBuilder protocol = JsonRpc.protocol();

    private final ScenarioBuilder burst =
            scenario("anonymous burst").exec(Throttled.call("status", anonymous, JsonRpc::status));

    {
        ExpectedThrottle.anonymousAtOnce(verdicts, anonymous, REQUESTS);

        setUp(WarmUp.then(burst.injectOpen(atOnceUsers(REQUESTS)), verdicts.population()))
                .protocols(protocol)
                .assertions(verdicts.assertions());
    }

    @Override
    protected void report() {
        System.out.println(anonymous.summary());
        recorded().value(BurstCapacity.CONCURRENCY_REJECTIONS, anonymous.concurrencyRejections());
        recorded().value(BurstCapacity.TOTAL_SECONDS, anonymous.totalSeconds());
        recorded().value(BurstCapacity.RATE_AFTER_BURST_RPS, anonymous.rateAfterBurst());
    }
}
