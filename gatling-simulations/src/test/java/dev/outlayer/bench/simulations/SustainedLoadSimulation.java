package dev.outlayer.bench.simulations;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import dev.outlayer.bench.results.names.Measured.SustainedLoad;
import dev.outlayer.bench.results.names.ServerPhase;
import dev.outlayer.bench.results.recorder.NoSamplesException;
import dev.outlayer.bench.simulations.support.BenchSimulation;
import dev.outlayer.bench.simulations.support.CounterContract;
import dev.outlayer.bench.simulations.support.JsonRpc;
import dev.outlayer.bench.simulations.support.Params;
import dev.outlayer.bench.simulations.support.Phases;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

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
public class SustainedLoadSimulation extends BenchSimulation {
    private static final String ACCOUNT = CounterContract.ACCOUNT;
    private static final double RATE = Params.decimal("sustained.rps", 100);
    private static final int SECONDS = Params.integer("sustained.seconds", 60, 10);
    private static final int WARM_UP_CLIENTS = 10;
    private static final int WARM_UP = Params.integer("sustained.warmUp", 2000);
    private static final double MAX_ERROR_PERCENT = Params.decimal("sustained.maxErrorPercent", 1.0);
    private static final double RATE_TOLERANCE = Params.decimal("sustained.rateTolerance", 0.05);

    private static final String INCREMENT = SustainedLoad.INCREMENT.name();
    private static final String DECREMENT = SustainedLoad.DECREMENT.name();

    private final AtomicLong arrivals = new AtomicLong();

    /**
     * One pool of keep-alive connections for all arrivals: the spec's load is one process calling the
     * simulator 100 times a second, not 100 new clients a second each opening a connection.
     */
    private final HttpProtocolBuilder protocol = JsonRpc.protocol().shareConnections();

    /** The spec's methodology: warm the target and the load generator up before measuring. */
    private final ScenarioBuilder warmUp = scenario("warm-up")
            .repeat(Math.max(1, WARM_UP / WARM_UP_CLIENTS), "call")
            .on(CounterContract.incrementOrDecrement(
                    session -> session.getInt("call") % 2 == 0,
                    "counter: increment (warm-up)",
                    "counter: decrement (warm-up)",
                    ACCOUNT));

    private final ScenarioBuilder reset = scenario("reset").exec(CounterContract.reset("counter: reset", ACCOUNT));

    private final ScenarioBuilder load = scenario("sustained load")
            .exec(session -> session.set("increment", arrivals.getAndIncrement() % 2 == 0))
            .exec(CounterContract.incrementOrDecrement(
                    session -> session.getBoolean("increment"), INCREMENT, DECREMENT, ACCOUNT));

    private final ScenarioBuilder read =
            scenario("read after load").exec(CounterContract.read("counter: get_num", ACCOUNT, "after load"));

    {
        System.out.printf(Locale.ROOT, "Sustained load: %.0f calls/s for %d s on %s%n", RATE, SECONDS, ACCOUNT);
        verdicts.near(
                        "completed rate",
                        () -> recorded().perSecond(INCREMENT, DECREMENT),
                        RATE,
                        RATE_TOLERANCE,
                        "calls/s")
                .between("error rate", this::errorPercent, 0, MAX_ERROR_PERCENT, "%")
                .between(
                        "counter minus (increments - decrements)",
                        () -> CounterContract.reading("after load")
                                - (recorded().succeeded(INCREMENT) - recorded().succeeded(DECREMENT)),
                        0,
                        0,
                        "");

        setUp(Phases.inOrder(
                        warmUp.injectOpen(atOnceUsers(WARM_UP_CLIENTS)),
                        reset.injectOpen(atOnceUsers(1)),
                        load.injectOpen(constantUsersPerSec(RATE).during(Duration.ofSeconds(SECONDS))),
                        read.injectOpen(atOnceUsers(1)),
                        verdicts.population()))
                .protocols(protocol)
                .assertions(
                        verdicts.assertions(global().failedRequests().percent().lt(MAX_ERROR_PERCENT)));
    }

    /** Calls of the load that did not succeed, as a percentage of the clients that arrived. */
    private double errorPercent() {
        long arrived = arrivals.get();
        if (arrived == 0) {
            throw new NoSamplesException("arrivals of the sustained load");
        }
        return 100.0 * (arrived - recorded().succeeded(INCREMENT, DECREMENT)) / arrived;
    }

    @Override
    protected void report() {
        recorded().value(SustainedLoad.RATE_RPS, recorded().perSecond(INCREMENT, DECREMENT));
        Phases.print(INCREMENT, ServerPhase.QUEUE, ServerPhase.INSTANTIATE, ServerPhase.EXEC);
        Phases.print(DECREMENT, ServerPhase.QUEUE, ServerPhase.INSTANTIATE, ServerPhase.EXEC);
        System.out.printf(
                Locale.ROOT,
                "sustained load: %d clients arrived, %d calls succeeded (%.2f%% errors) in %.2f s:"
                        + " %.1f calls/s against a target of %.0f; counter after: %.0f%n",
                arrivals.get(),
                recorded().succeeded(INCREMENT, DECREMENT),
                errorPercent(),
                recorded().spanSeconds(INCREMENT, DECREMENT),
                recorded().perSecond(INCREMENT, DECREMENT),
                RATE,
                CounterContract.reading("after load"));
    }
}
