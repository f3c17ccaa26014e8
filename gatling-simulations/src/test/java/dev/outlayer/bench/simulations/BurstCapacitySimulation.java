package dev.outlayer.bench.simulations;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;

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
 * Spec "Stress Testing / Burst Capacity": a massive anonymous burst (200 requests at once) and its
 * recovery. Every request retries after {@code Retry-After} until admitted: all succeed, and the bucket
 * lets them through at the anonymous 5 rps (within 10%) however hard they hammer it. CI form: 60 requests.
 */
public class BurstCapacitySimulation extends BenchSimulation {
    private static final int REQUESTS = Params.integer("capacity.requests", 200, 60);

    private final Tally anonymous = new Tally("anonymous");

    private final HttpProtocolBuilder protocol = JsonRpc.protocol();

    private final ScenarioBuilder burst = Throttled.anonymousBurst("anonymous burst", anonymous);

    {
        verdicts.between("calls finally admitted", anonymous::callsAdmitted, REQUESTS, REQUESTS, "calls")
                .near("rate after the burst", anonymous::rateAfterBurst, Tiers.ANONYMOUS_RATE, Tiers.TOLERANCE, "rps");

        setUp(WarmUp.then(burst.injectOpen(atOnceUsers(REQUESTS)), verdicts.population()))
                .protocols(protocol)
                .assertions(verdicts.assertions());
    }

    @Override
    protected void report() {
        System.out.println(anonymous.summary());
    }
}
