package dev.outlayer.bench.results.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.results.NamedValue;
import dev.outlayer.bench.results.ResultsFiles;
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

        Path folder = Results.finish(
                "CounterSimulation",
                "http://127.0.0.1:1",
                Map.of("ci", "true", "counter.calls", "100"),
                List.of(new VerdictResult("sequential throughput", 1234.5, "ops/s", 100.0, null, true)));

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
        assertThat(run.verdicts()).extracting(VerdictResult::name).containsExactly("sequential throughput");
        assertThat(folder.resolve(ResultsFiles.CSV)).exists();
    }
}
