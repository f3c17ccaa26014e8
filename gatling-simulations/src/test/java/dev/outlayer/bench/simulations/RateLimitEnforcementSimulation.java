package dev.outlayer.bench.simulations;

import dev.outlayer.bench.simulations.support.InFlightLimit;
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
 * Spec "Test: Rate Limit Enforcement": 20 anonymous requests fired at once. The burst of 10 passes, the
 * others retry after {@code Retry-After}; all succeed, and after the burst they are admitted at the
 * anonymous tier's 5 rps (within 10%). CI form: 40 requests, so that the rate is measured over
 * more than two refills' worth of tokens rather than one.
 */
public class RateLimitEnforcementSimulation extends Simulation {
    private static final int REQUESTS = Params.integer("enforcement.requests", 20, 40);

    private static final Tally ANONYMOUS = new Tally("anonymous");
    private static final InFlightLimit ONE_CLIENT = InFlightLimit.fromParams();
    private static final HttpProtocolBuilder PROTOCOL = JsonRpc.protocol();

    private static final ScenarioBuilder AT_ONCE = scenario("anonymous requests at once")
            .exec(Throttled.call("status", ANONYMOUS, ONE_CLIENT,
                    name -> http(name).post(JsonRpc.PROXY_PATH).body(JsonRpc.status())));

    private static final Verdicts VERDICTS = new Verdicts()
            .between("calls finally admitted", ANONYMOUS::callsAdmitted, REQUESTS, REQUESTS, "calls")
            .near("rate after the burst", ANONYMOUS::rateAfterBurst,
                    Tiers.ANONYMOUS_RATE, Tiers.TOLERANCE, "rps");

    {
        setUp(WarmUp.before(AT_ONCE.injectOpen(atOnceUsers(REQUESTS)).andThen(VERDICTS.population())))
                .protocols(PROTOCOL)
                .assertions(VERDICTS.assertions());
    }

    @Override
    public void after() {
        System.out.println("Parameters: " + Params.describe());
        System.out.println(ANONYMOUS.summary());
        Results.finish(getClass(), Target.coordinatorUrl(), Params.describe());
        Target.stop();
    }
}
