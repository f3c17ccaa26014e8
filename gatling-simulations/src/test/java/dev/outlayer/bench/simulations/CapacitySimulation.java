package dev.outlayer.bench.simulations;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.status;

import dev.outlayer.bench.results.NamedValue;
import dev.outlayer.bench.results.names.Measured.Capacity;
import dev.outlayer.bench.results.names.RequestName;
import dev.outlayer.bench.results.names.ValueName;
import dev.outlayer.bench.results.recorder.NoSamplesException;
import dev.outlayer.bench.simulations.support.BenchSimulation;
import dev.outlayer.bench.simulations.support.ContractApi;
import dev.outlayer.bench.simulations.support.ContractCode;
import dev.outlayer.bench.simulations.support.JsonRpc;
import dev.outlayer.bench.simulations.support.Observed;
import dev.outlayer.bench.simulations.support.Params;
import dev.outlayer.bench.simulations.support.SteppedLoad;
import dev.outlayer.bench.simulations.support.WarmUp;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The capacity knee of each hot path: how much load a coordinator takes before it breaks, not whether it
 * takes 100 rps. Per path an open model whose arrival rate steps up 25% every 20 s (from a start rate per
 * path, 20 steps: 69x, so even the proxy's plan ends far above what one 2-core machine serves); a step holds while the p99 client time of its calls stays under the path's SLO and
 * under 1% of them fail. Reported per path: the completed rate of the last step that held (the knee, what the
 * matrix's "Concurrent requests" row shows), the latency curve per step, and the step where it broke; two
 * steps after a break the path sends nothing more and the next path starts.
 *
 * <p>Paths ({@code -Dcapacity.paths}, default all, in this order):
 * <ul>
 *   <li>{@code proxy}: NEAR {@code status} through the throttled proxy with an unlimited-tier key
 *       (SLO: the spec's "RPC proxy latency" target, 20 ms);
 *   <li>{@code contract-one}: warm counter calls on one account (SLO: "Direct WASM execution", 10 ms);
 *   <li>{@code contract-many}: the same calls spread over {@code capacity.accounts} accounts, each with the
 *       counter deployed (10 ms);
 *   <li>{@code linux}: the counter call in linux mode (SLO: "Warm execution" in every mode, 10 ms);
 *   <li>{@code secrets}: SecretsSimulation's printenv run with its 2-secret profile (SLO: "With secrets",
 *       200 ms).
 * </ul>
 * Each SLO is {@code -Dcapacity.<path>.sloMs}, each start rate {@code -Dcapacity.<path>.startRps}. Asserted:
 * a knee exists (the first step held) and, for the proxy and contract paths, it is at least the spec's
 * Acceptable 50 rps ({@code -Dcapacity.<path>.minRps}), and that the plan reached a break: a load that never broke
 * measured only its plan's top, not a knee, so it fails rather than report a knee (raise the start rate). The CI
 * form, too short for a p99 per step, asserts only that every path ran with under 1% failed calls. Each path is
 * warmed up first ({@code capacity.warmUp} calls from 4 clients: enough for the JIT to compile the path). Counter calls alternate increment
 * and decrement per account, so an {@code i8} counter never overflows. CI form: 3 steps of 2 s, +50% each
 * (5.1x) from a quarter of each start rate, about 10 s per path.
 */
public class CapacitySimulation extends BenchSimulation {
    private static final List<String> PATHS = Arrays.stream(
                    Params.string("capacity.paths", "proxy,contract-one,contract-many,linux,secrets")
                            .split(","))
            .map(String::strip)
            .toList();
    private static final int STEPS = Params.integer("capacity.steps", 20, 3);
    private static final int STEP_SECONDS = Params.integer("capacity.stepSeconds", 20, 2);
    private static final double FACTOR = Params.decimal("capacity.factor", Params.ci() ? 1.5 : 1.25);
    private static final double MAX_ERROR_PERCENT = Params.decimal("capacity.maxErrorPercent", 1);
    private static final int ACCOUNTS = Params.integer("capacity.accounts", 100, 20);
    private static final int WARM_UP = Params.integer("capacity.warmUp", 4000, 100);
    private static final int WARM_UP_CLIENTS = 4;
    private static final String COUNTER = "counter.test.near";
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    /** A hot path: its SLO and start rate defaults, the name its calls and its knee are recorded under. */
    private record Path(String key, double sloMs, double startRps, double minRps, RequestName request, ValueName knee) {
        SteppedLoad load() {
            return new SteppedLoad(
                    key,
                    Params.decimal("capacity." + key + ".startRps", Params.ci() ? startRps / 4 : startRps),
                    FACTOR,
                    STEPS,
                    Duration.ofSeconds(STEP_SECONDS),
                    Params.decimal("capacity." + key + ".sloMs", sloMs),
                    MAX_ERROR_PERCENT);
        }
    }

    private static final List<Path> ALL = List.of(
            new Path("proxy", 20, 100, 50, Capacity.PROXY, Capacity.PROXY_KNEE_RPS),
            new Path("contract-one", 10, 50, 50, Capacity.CONTRACT_ONE, Capacity.CONTRACT_ONE_KNEE_RPS),
            new Path("contract-many", 10, 50, 50, Capacity.CONTRACT_MANY, Capacity.CONTRACT_MANY_KNEE_RPS),
            new Path("linux", 10, 20, 0, Capacity.LINUX, Capacity.LINUX_KNEE_RPS),
            // Secrets from 100: from 20 its plan topped out at 1,388 rps on a 2-core machine without breaking.
            new Path("secrets", 200, 100, 0, Capacity.SECRETS, Capacity.SECRETS_KNEE_RPS));

    private final List<Path> paths =
            ALL.stream().filter(p -> PATHS.contains(p.key())).toList();
    private final List<SteppedLoad> loads = paths.stream().map(Path::load).toList();
    private final AtomicLong arrivals = new AtomicLong();

    /**
     * One pool of keep-alive connections, as one load generator calling the coordinator; sized
     * ({@code capacity.connections}) so that the client's pool is not the knee being measured.
     */
    private final HttpProtocolBuilder protocol =
            JsonRpc.protocol().shareConnections().maxConnectionsPerHost(Params.integer("capacity.connections", 256));

    {
        if (paths.size() != PATHS.size()) {
            throw new IllegalArgumentException("-Dcapacity.paths: known paths are "
                    + ALL.stream().map(Path::key).toList() + ", got " + PATHS);
        }
        List<PopulationBuilder> phases = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            Path path = paths.get(i);
            SteppedLoad load = loads.get(i);
            if (path.key().equals("contract-many")) {
                phases.add(deployAccounts().injectOpen(atOnceUsers(1)));
            }
            phases.add(scenario("capacity warm-up: " + path.key())
                    .repeat(WARM_UP / WARM_UP_CLIENTS)
                    .on(call(path, "warm-up " + path.request().name()))
                    .injectOpen(atOnceUsers(WARM_UP_CLIENTS)));
            phases.add(scenario("capacity: " + path.key())
                    .exec(load.measured(call(path, path.request().name())))
                    .injectOpen(load.injection()));
            if (Params.ci()) {
                // About 10 to 110 calls a step: a step's p99 is its slowest call, so a knee would measure warm-up
                // pauses. The CI form checks that every path ran its steps and they were answered; the knee is
                // judged in full form.
                verdicts.atMost(
                        path.key() + " failed calls over all steps (CI form)",
                        load::errorPercent,
                        MAX_ERROR_PERCENT,
                        "%");
            } else {
                verdicts.atLeast(
                        path.key() + " plan reached a break (1 = yes)",
                        () -> load.breakingStep() == null ? 0 : 1,
                        1,
                        "");
                verdicts.atLeast(
                        path.key() + " knee (completed rps)",
                        () -> load.knee().completedRps(),
                        Params.decimal("capacity." + path.key() + ".minRps", path.minRps()),
                        "rps");
            }
        }
        phases.add(verdicts.population());

        setUp(WarmUp.then(phases.toArray(PopulationBuilder[]::new)))
                .protocols(protocol)
                .assertions(verdicts.assertions());
    }

    @Override
    public void before() {
        super.before();
        if (PATHS.contains("secrets")) {
            SecretsSimulation.storeProfiles();
        }
    }

    /** The one call of a path, named {@code name}. */
    private ChainBuilder call(Path path, String name) {
        return switch (path.key()) {
            case "proxy" ->
                feed(JsonRpc.apiKeyFeeder("unlimited"))
                        .exec(Observed.send(
                                name,
                                JsonRpc.keyedStatus(name)
                                        .check(
                                                status().is(200),
                                                jsonPath("$.result").exists())));
            case "contract-one" -> counterCall(name, n -> COUNTER, 1, "direct");
            case "contract-many" -> counterCall(name, CapacitySimulation::account, ACCOUNTS, "direct");
            case "linux" -> counterCall(name, n -> COUNTER, 1, "linux");
            case "secrets" -> SecretsSimulation.runWithSecrets(name);
            default -> throw new IllegalArgumentException(path.key());
        };
    }

    /** Increment or decrement, in turn per account, of the counter on the account arrival n falls on. */
    private ChainBuilder counterCall(String name, Function<Long, String> account, int accounts, String mode) {
        return exec(session -> {
                    long n = arrivals.getAndIncrement();
                    return session.set("account", account.apply(n % accounts))
                            .set("method", (n / accounts) % 2 == 0 ? "increment" : "decrement");
                })
                .doIfOrElse(session -> session.getString("method").equals("increment"))
                .then(ContractApi.call(
                        name,
                        "#{account}",
                        "increment",
                        ContractApi.noArgs(),
                        ContractApi.CALLER,
                        BigInteger.ZERO,
                        mode,
                        false))
                .orElse(ContractApi.call(
                        name,
                        "#{account}",
                        "decrement",
                        ContractApi.noArgs(),
                        ContractApi.CALLER,
                        BigInteger.ZERO,
                        mode,
                        false));
    }

    private static String account(long i) {
        return "capacity-" + i + "-" + RUN + ".test.near";
    }

    /** The counter deployed to each account of the many-accounts path, one after another. */
    private static ScenarioBuilder deployAccounts() {
        byte[] code = ContractCode.read(ContractCode.resolve("resources/contracts/counter.wasm"));
        return scenario("capacity: deploy accounts")
                .repeat(ACCOUNTS, "i")
                .on(ContractApi.deploy("capacity: deploy", session -> account(session.getInt("i")), session -> code));
    }

    @Override
    protected void report() {
        for (int i = 0; i < paths.size(); i++) {
            SteppedLoad load = loads.get(i);
            Path path = paths.get(i);
            System.out.print(load.table());
            for (SteppedLoad.Step step : load.steps()) {
                recorded().point("capacity_p99_ms_" + path.key(), "ms", "offered rps", step.offeredRps(), step.p99Ms());
            }
            SteppedLoad.Step broke = load.breakingStep();
            if (broke != null) {
                recorded()
                        .value("capacity_broke_at_rps_" + path.key(), "rps", broke.offeredRps(), NamedValue.Merge.MAX);
            }
            String broken = broke == null
                    ? "it never broke: raise -Dcapacity." + path.key() + ".startRps or capacity.steps"
                    : String.format(Locale.ROOT, "broke at %.1f offered rps", broke.offeredRps());
            try {
                SteppedLoad.Step knee = load.knee();
                System.out.printf(
                        Locale.ROOT,
                        "%s knee: %.1f rps completed at %.1f offered (p99 %.2f ms); %s%n",
                        path.key(),
                        knee.completedRps(),
                        knee.offeredRps(),
                        knee.p99Ms(),
                        broken);
                if (broke != null && !Params.ci()) {
                    // Without a break the last step is the plan's top, not a knee; and the CI form's steps are
                    // too short for one (above): no value for the matrix in either case.
                    recorded().value(path.knee(), knee.completedRps());
                }
            } catch (NoSamplesException e) {
                System.out.println(path.key() + ": no knee, " + e.getMessage());
            }
        }
    }
}
