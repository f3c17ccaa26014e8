package dev.outlayer.bench.simulations.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.results.VerdictResult;
import dev.outlayer.bench.results.names.SimulationName;
import dev.outlayer.bench.results.recorder.Results;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * No check passes on missing data: each simulation, built against a deployment that answers nothing, judges
 * its verdicts on a recorder that holds no sample, and every verdict must fail (a percentile of nothing is
 * no number, a rate of no calls is not the tier's, a counter that cannot be read proves nothing).
 */
class VerdictsOnAnEmptyRunTest {
    /** Nothing listens on the discard port: any call the verdicts make is refused at once. */
    private static final String NOWHERE = "http://127.0.0.1:9";

    private static final Map<String, String> TARGET = Map.of(
            "target.url", NOWHERE,
            "target.upstreamUrl", NOWHERE,
            "target.keystoreUrl", NOWHERE,
            "warmUp.calls", "0",
            "outlayer.root", "..");

    @BeforeAll
    static void pointAtNothing() {
        TARGET.forEach(System::setProperty);
        // What Gatling's runner does before it builds a simulation: its DSL reads this configuration.
        io.gatling.core.Predef$.MODULE$._configuration_$eq(io.gatling.core.config.GatlingConfiguration$.MODULE$.load());
    }

    @AfterAll
    static void restore() {
        TARGET.keySet().forEach(System::clearProperty);
        Target.stop();
    }

    @ParameterizedTest
    @EnumSource(SimulationName.class)
    void everyVerdictFailsWhenNothingWasMeasured(SimulationName name) throws Exception {
        Results.begin();
        BenchSimulation simulation =
                (BenchSimulation) Class.forName("dev.outlayer.bench.simulations." + name.className())
                        .getDeclaredConstructor()
                        .newInstance();

        List<VerdictResult> verdicts = simulation.verdicts.results();

        assertThat(verdicts).as("%s judges something", name.className()).isNotEmpty();
        assertThat(verdicts)
                .as("%s's verdicts on an empty run", name.className())
                .allSatisfy(verdict -> assertThat(verdict.passed())
                        .as("%s passed with %s", verdict.name(), verdict.value())
                        .isFalse());
    }
}
