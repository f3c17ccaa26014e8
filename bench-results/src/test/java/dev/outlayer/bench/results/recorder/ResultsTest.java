package dev.outlayer.bench.results.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.results.NamedValue;
import dev.outlayer.bench.results.ResultsFiles;
import dev.outlayer.bench.results.RunMetadata;
import dev.outlayer.bench.results.RunMetadata.TargetInfo;
import dev.outlayer.bench.results.RunResults;
import dev.outlayer.bench.results.VerdictResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsTest {

    @AfterEach
    void clear() {
        System.clearProperty("outlayer.gatling.results");
    }

    @Test
    void theStaticApiWritesOneRunWithParametersAndMetadata(@TempDir Path gatling) {
        System.setProperty("outlayer.gatling.results", gatling.toString());
        Results.begin();
        long now = System.nanoTime();
        Results.recorder().record("increment warm", 200, true, now - 812_000, now, "queue;dur=0.010, exec;dur=0.450");
        Results.recorder().record("increment warm", 200, true, now - 1_250_000, now, "queue;dur=0.020, exec;dur=0.550");
        Results.recorder().value("memory_per_contract_mb", "MB", 3.5, NamedValue.Merge.MAX);

        System.setProperty("ci", "true");
        System.setProperty(RunEnvironment.SUITE_ID, "suite-test");
        System.setProperty(RunEnvironment.SUITE_REPETITION, "2");
        Path folder;
        try {
            folder = Results.finish(
                    "CounterSimulation",
                    "http://127.0.0.1:1",
                    new TargetInfo(TargetInfo.EMBEDDED, "0.1.0", "abc", "--admin"),
                    Map.of("ci", "true", "counter.calls", "100"),
                    List.of(
                            new VerdictResult("sequential throughput", 1234.5, "ops/s", 100.0, null, true),
                            new VerdictResult("counter consistent", 0.0, "", 1.0, null, false)));
        } finally {
            System.clearProperty("ci");
            System.clearProperty(RunEnvironment.SUITE_ID);
            System.clearProperty(RunEnvironment.SUITE_REPETITION);
        }

        // No Gatling run folder in this test: the results go apart, for reports/build to pair.
        assertThat(folder.getParent()).isEqualTo(gatling.resolve(RunFolder.FALLBACK_DIR));
        RunResults run = ResultsFiles.read(folder.resolve(ResultsFiles.JSON));
        assertThat(run.simulation()).isEqualTo("CounterSimulation");
        assertThat(run.parameters()).containsEntry("ci", "true").containsEntry("counter.calls", "100");
        assertThat(run.metadata().targetUrl()).isEqualTo("http://127.0.0.1:1");
        assertThat(run.metadata().cpuCount()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(run.metadata().gitCommit()).isNotBlank();
        assertThat(run.metric("increment warm").orElseThrow().maxMs()).isEqualTo(1.25);
        assertThat(run.metric("increment warm | exec").orElseThrow().meanMs()).isEqualTo(0.5);
        assertThat(run.metric("increment warm | sum").orElseThrow().maxMs()).isEqualTo(0.57);
        assertThat(run.value("memory_per_contract_mb")).isPresent();
        assertThat(run.verdicts())
                .extracting(VerdictResult::name)
                .containsExactly("sequential throughput", "counter consistent");
        // What makes the run count or not: form, suite, repetition, target, load, and its failed verdict.
        assertThat(run.metadata().form()).isEqualTo(RunMetadata.CI);
        assertThat(run.form()).isEqualTo(RunMetadata.CI);
        assertThat(run.metadata().suite()).isEqualTo("suite-test");
        assertThat(run.metadata().repetition()).isEqualTo(2);
        assertThat(run.metadata().target().kind()).isEqualTo(TargetInfo.EMBEDDED);
        assertThat(run.metadata().target().flags()).isEqualTo("--admin");
        assertThat(run.metadata().jvm()).contains("max heap");
        if (RunEnvironment.loadAverage() != null) {
            assertThat(run.metadata().loadStart()).isNotNull();
            assertThat(run.metadata().loadEnd()).isNotNull();
        }
        assertThat(run.assertions().passed()).isFalse();
        assertThat(run.assertions().failed()).containsExactly("counter consistent");
        assertThat(folder.resolve(ResultsFiles.CSV)).exists();
    }
}
