package dev.outlayer.bench.simulations;

import dev.outlayer.bench.reports.results.NamedValue;
import dev.outlayer.bench.simulations.support.CounterContract;
import dev.outlayer.bench.simulations.support.JsonRpc;
import dev.outlayer.bench.simulations.support.Latencies;
import dev.outlayer.bench.simulations.support.Observed;
import dev.outlayer.bench.simulations.support.Params;
import dev.outlayer.bench.simulations.support.Phases;
import dev.outlayer.bench.simulations.support.Target;
import dev.outlayer.bench.simulations.support.Throughput;
import dev.outlayer.bench.simulations.support.Verdicts;
import dev.outlayer.bench.simulations.support.results.Results;
import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;

/**
 * Spec "Stress Testing: Sustained Load": an open model, new clients arriving at a constant rate (default
 * the spec's 100 per second for 60 s; {@code -Dci=true}: 10 s), each making one counter call. Calls
 * alternate {@code increment} and {@code decrement} so that the counter stays near zero whatever the
 * duration (a near-examples counter is an {@code i8}); afterwards {@code get_num} must equal increments
 * minus decrements, so no update was lost or doubled under load.
 * <p>
 * A warm-up ({@code -Dsustained.warmUp} calls from 10 clients, the spec's methodology) comes first.
 * <p>
 * Assertions: errors &lt; 1% and the completed rate within 5% of the target (the spec's "actual RPS
 * ~95-100"), both computed over the load's calls only.
 */
public class SustainedLoadSimulation extends Simulation {
    private static final String ACCOUNT = CounterContract.ACCOUNT;
    private static final double RATE = Params.decimal("sustained.rps", 100);
    private static final int SECONDS = Params.integer("sustained.seconds", 60, 10);
    private static final int WARM_UP_CLIENTS = 10;
    private static final int WARM_UP = Params.integer("sustained.warmUp", 2000);
    private static final double MAX_ERROR_PERCENT = Params.decimal("sustained.maxErrorPercent", 1.0);
    private static final double RATE_TOLERANCE = Params.decimal("sustained.rateTolerance", 0.05);

    private static final String INCREMENT = "counter: increment (sustained)";
    private static final String DECREMENT = "counter: decrement (sustained)";

    /**
     * One pool of keep-alive connections for all arrivals: the spec's load is one process calling the
     * simulator 100 times a second, not 100 new clients a second each opening a connection.
     */
    private static final HttpProtocolBuilder PROTOCOL = JsonRpc.protocol().shareConnections();
    private static final Latencies LATENCIES = new Latencies("queue", "instantiate", "exec");
    private static final Throughput THROUGHPUT = new Throughput();
    private static final AtomicLong ARRIVALS = new AtomicLong();

    static {
        Observed.listen(LATENCIES);
        Observed.listen(THROUGHPUT);
    }

    /** The spec's methodology: warm the target and the load generator up before measuring. */
    private static final ScenarioBuilder WARM_UP_CALLS = scenario("warm-up")
            .repeat(Math.max(1, WARM_UP / WARM_UP_CLIENTS), "call").on(CounterContract.incrementOrDecrement(
                    session -> session.getInt("call") % 2 == 0,
                    "counter: increment (warm-up)", "counter: decrement (warm-up)", ACCOUNT));

    private static final ScenarioBuilder RESET = scenario("reset")
            .exec(CounterContract.reset("counter: reset", ACCOUNT));

    private static final ScenarioBuilder LOAD = scenario("sustained load")
            .exec(session -> session.set("increment", ARRIVALS.getAndIncrement() % 2 == 0))
            .exec(CounterContract.incrementOrDecrement(session -> session.getBoolean("increment"),
                    INCREMENT, DECREMENT, ACCOUNT));

    private static final ScenarioBuilder READ = scenario("read after load")
            .exec(CounterContract.read("counter: get_num", ACCOUNT, "after load"));

    private static final Verdicts VERDICTS = new Verdicts()
            .near("completed rate", () -> THROUGHPUT.perSecond(INCREMENT, DECREMENT), RATE, RATE_TOLERANCE, "calls/s")
            .between("error rate", SustainedLoadSimulation::errorPercent, 0, MAX_ERROR_PERCENT, "%")
            .between("counter minus (increments - decrements)", () -> CounterContract.reading("after load")
                    - (THROUGHPUT.succeeded(INCREMENT) - THROUGHPUT.succeeded(DECREMENT)), 0, 0, "");

    /** Calls of the load that did not succeed, as a percentage of the clients that arrived. */
    private static double errorPercent() {
        long arrived = ARRIVALS.get();
        return arrived == 0 ? Double.NaN : 100.0 * (arrived - THROUGHPUT.succeeded(INCREMENT, DECREMENT)) / arrived;
    }

    {
        System.out.printf(Locale.ROOT, "Sustained load: %.0f calls/s for %d s on %s%n", RATE, SECONDS, ACCOUNT);
        List<Assertion> assertions = new ArrayList<>(List.of(VERDICTS.assertions()));
        assertions.add(global().failedRequests().percent().lt(MAX_ERROR_PERCENT));
        setUp(Phases.inOrder(List.of(
                WARM_UP_CALLS.injectOpen(atOnceUsers(WARM_UP_CLIENTS)),
                RESET.injectOpen(atOnceUsers(1)),
                LOAD.injectOpen(constantUsersPerSec(RATE).during(Duration.ofSeconds(SECONDS))),
                READ.injectOpen(atOnceUsers(1)),
                VERDICTS.population())))
                .protocols(PROTOCOL)
                .assertions(assertions);
    }

    @Override
    public void after() {
        Results.value("sustained_rate_rps", "rps", THROUGHPUT.perSecond(INCREMENT, DECREMENT), NamedValue.Merge.SUM);
        System.out.println("Parameters: " + Params.describe());
        Phases.print(LATENCIES, INCREMENT, "queue", "instantiate", "exec");
        Phases.print(LATENCIES, DECREMENT, "queue", "instantiate", "exec");
        long succeeded = THROUGHPUT.succeeded(INCREMENT, DECREMENT);
        System.out.printf(Locale.ROOT, "sustained load: %d clients arrived, %d calls succeeded (%.2f%% errors) in %.2f s:"
                        + " %.1f calls/s against a target of %.0f; counter after: %.0f%n",
                ARRIVALS.get(), succeeded, errorPercent(), THROUGHPUT.spanSeconds(INCREMENT, DECREMENT),
                THROUGHPUT.perSecond(INCREMENT, DECREMENT), RATE, CounterContract.reading("after load"));
        Results.finish(getClass(), Target.coordinatorUrl(), Params.describe());
        Target.stop();
    }
}
