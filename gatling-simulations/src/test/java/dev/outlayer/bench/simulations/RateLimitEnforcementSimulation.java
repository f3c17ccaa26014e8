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
 * Spec "Test: Rate Limit Enforcement": 20 anonymous requests fired at once. The burst of 10 passes, the
 * others retry after {@code Retry-After}; all succeed, and after the burst they are admitted at the
 * anonymous tier's 5 rps (within 10%). CI form: 40 requests, so that the rate is measured over
 * more than two refills' worth of tokens rather than one.
 */
public class RateLimitEnforcementSimulation extends BenchSimulation {
    private static final int REQUESTS = Params.integer("enforcement.requests", 20, 40);

    private final Tally anonymous = new Tally("anonymous");

    private final HttpProtocolBuilder protocol = JsonRpc.protocol();

    private final ScenarioBuilder atOnce = Throttled.anonymousBurst("anonymous requests at once", anonymous);

    {
        verdicts.between("calls finally admitted", anonymous::callsAdmitted, REQUESTS, REQUESTS, "calls")
                .near("rate after the burst", anonymous::rateAfterBurst, Tiers.ANONYMOUS_RATE, Tiers.TOLERANCE, "rps");

        setUp(WarmUp.then(atOnce.injectOpen(atOnceUsers(REQUESTS)), verdicts.population()))
                .protocols(protocol)
                .assertions(verdicts.assertions());
    }

    @Override
    protected void report() {
        System.out.println(anonymous.summary());
    }
}
