package dev.outlayer.bench.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.results.MetricResult;
import dev.outlayer.bench.results.NamedValue;
import dev.outlayer.bench.results.ResultsFiles;
import dev.outlayer.bench.results.RunMetadata;
import dev.outlayer.bench.results.RunResults;
import dev.outlayer.bench.results.names.Measured.Counter;
import dev.outlayer.bench.results.names.Measured.MemoryProfile;
import dev.outlayer.bench.results.names.Measured.ThrottleOverhead;
import dev.outlayer.bench.results.names.ServerPhase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The site over suite runs: one suite per matrix, median + spread + n, inconclusive, failed, origins, trends, form. */
class SuiteSiteTest {

    @TempDir
    Path dir;

    private int stamp;

    /** Stores a run in the site as reports/build would have collected it. */
    private void store(RunResults run) {
        ResultsFiles.write(
                run,
                dir.resolve("site").resolve(run.simulation()).resolve(String.format("2026112805%04d000", stamp++)));
    }

    private static MetricResult warm(long p95Micros) {
        return Fixtures.client(Counter.WARM_SINGLE.name(), 1_000, p95Micros, p95Micros);
    }

    private static MetricResult throttle(long p95Micros) {
        return Fixtures.phase(ThrottleOverhead.PROXIED.name(), ServerPhase.THROTTLE, 1_000, p95Micros, p95Micros);
    }

    private static List<NamedValue> memory(double mb) {
        return List.of(new NamedValue(MemoryProfile.MEMORY_PER_CONTRACT_MB.name(), "MB", mb, NamedValue.Merge.MAX));
    }

    /** One suite: counter warm p95s, throttle p95s, memory values; {@code memoryFails} fails memory's repetition 2. */
    private void suite(String id, String form, Instant start, long[] warm, long[] throttle, boolean memoryFails) {
        for (int r = 0; r < 3; r++) {
            String at = start.plusSeconds(60L * r).toString();
            store(Fixtures.suiteRun(
                    "CounterSimulation", at, id, r + 1, form, List.of(), List.of(warm(warm[r])), List.of()));
            store(Fixtures.suiteRun(
                    "ThrottleOverheadSimulation",
                    at,
                    id,
                    r + 1,
                    form,
                    List.of(),
                    List.of(throttle(throttle[r])),
                    List.of()));
            List<String> failed = memoryFails && r == 1 ? List.of("heap growth over 1000 executions") : List.of();
            store(Fixtures.suiteRun("MemoryProfileSimulation", at, id, r + 1, form, failed, List.of(), memory(3 + r)));
        }
    }

    private int build(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of(
                "build",
                "--gatling-dir",
                dir.resolve("no-gatling").toString(),
                "--reports-dir",
                dir.resolve("site").toString()));
        args.addAll(List.of(more));
        return ReportsCli.run(args.toArray(String[]::new));
    }

    @Test
    void aCellIsTheMedianOfOneSuitesRunsWithItsSpreadCountVerdictAndThresholdOrigin() throws Exception {
        suite(
                "suite-a",
                RunMetadata.FULL,
                Instant.parse("2026-11-27T05:00:00Z"),
                new long[] {9_000, 9_500, 9_900},
                new long[] {300, 300, 300},
                false);
        suite(
                "suite-b",
                RunMetadata.FULL,
                Instant.parse("2026-11-28T05:00:00Z"),
                new long[] {2_000, 4_000, 3_000},
                new long[] {900, 1_000, 1_200},
                true);
        // A lone run outside any suite, newer than both, with a value that must not appear anywhere.
        store(Fixtures.run("CounterSimulation", "2026-11-29T05:00:00Z", List.of(warm(40_000))));

        assertThat(build()).isZero();
        Path site = dir.resolve("site");
        String index = Files.readString(site.resolve("index.html"));

        // The newest suite: counter p95s 2, 3, 4 ms -> median 3 ms, min-max 2-4, n=3; far from 10 ms: green.
        assertThat(index).contains("suite suite-b (3 repetitions)").contains("full form");
        assertThat(Fixtures.row(index, "Direct WASM execution"))
                .contains("class=\"green\"")
                .contains("3.000 ms")
                .contains("min-max 2.000–4.000 ms, n=3")
                .contains("thresholds: target spec, acceptable spec")
                .doesNotContain("40.0");
        // Throttle p95s 0.9, 1.0, 1.2 ms: the median sits on the 1 ms Target and the spread covers it: inconclusive.
        assertThat(Fixtures.row(index, "Throttle check time"))
                .contains("class=\"inconclusive\"")
                .contains("1.000 ms");
        // Memory's repetition 2 failed: the cell is failed, never a value, and says what failed.
        assertThat(Fixtures.row(index, "Memory per contract"))
                .contains("class=\"failed\"")
                .contains("failed (1 of 3 runs)")
                .contains("repetition 2: heap growth over 1000 executions")
                .doesNotContain("4.0 MB");

        // The summary table marks Acceptable as this project's: the spec gives none there.
        String summary = Files.readString(site.resolve("summary.html"));
        assertThat(Fixtures.row(summary, "Warm execution")).contains("(ours)");
        assertThat(Fixtures.row(summary, "Instance size")).contains("class=\"failed\"");

        JsonNode json =
                ResultsFiles.MAPPER.readTree(site.resolve("summary.json").toFile());
        assertThat(json.at("/run_set/id").asText()).isEqualTo("suite-b");
        assertThat(json.at("/target_matrix/0/cells/0/median").asDouble()).isEqualTo(3.0);
        assertThat(json.at("/target_matrix/0/cells/0/min").asDouble()).isEqualTo(2.0);
        assertThat(json.at("/target_matrix/0/cells/0/n").asInt()).isEqualTo(3);
        assertThat(json.at("/target_matrix/0/acceptable_origin").asText()).isEqualTo("spec");
        assertThat(json.at("/summary_table/0/acceptable_origin").asText()).isEqualTo("ours");

        // The trends: one point per suite (a, then b) for the counter row; memory's failed suite is a cross.
        String trends = Files.readString(site.resolve("trends.html"));
        assertThat(section(trends, "target-0")).containsPattern("(?s)(<circle class=\"median\".*){2}");
        assertThat(section(trends, "target-0")).contains("abc123 11-27").contains("abc123 11-28");
        assertThat(section(trends, "target-4")).contains("class=\"failed-point\"");

        // --suite picks an older suite: its own numbers.
        assertThat(build("--suite", "suite-a")).isZero();
        assertThat(Fixtures.row(Files.readString(site.resolve("index.html")), "Direct WASM execution"))
                .contains("9.500 ms")
                .contains("class=\"inconclusive\""); // 9-9.9 ms against the 10 ms target: 0.9 > 0.5
    }

    @Test
    void aCiFormSuiteIsLabelledSoOnEveryPage() throws Exception {
        suite(
                "suite-ci",
                RunMetadata.CI,
                Instant.parse("2026-11-28T05:00:00Z"),
                new long[] {2_000, 2_000, 2_000},
                new long[] {300, 300, 300},
                false);
        assertThat(build()).isZero();
        for (String page : List.of("index.html", "summary.html", "trends.html")) {
            assertThat(Files.readString(dir.resolve("site").resolve(page)))
                    .as(page)
                    .contains("class=\"set ci-form\"")
                    .contains("CI FORM")
                    .contains("CI form (-Dci=true)");
        }
        assertThat(Files.readString(dir.resolve("site/summary.md"))).startsWith("## OutLayer Bench summary (CI FORM)");
        assertThat(ResultsFiles.MAPPER
                        .readTree(dir.resolve("site/summary.json").toFile())
                        .at("/run_set/ci_form")
                        .asBoolean())
                .isTrue();
    }

    /** MemoryProfileSimulation records each mode's memory per contract and growth: each fills its own column. */
    @Test
    void bothModesMemoryRowsComeFromTheirOwnValues() throws Exception {
        Instant start = Instant.parse("2026-11-28T05:00:00Z");
        for (int r = 0; r < 3; r++) {
            store(Fixtures.suiteRun(
                    "MemoryProfileSimulation",
                    start.plusSeconds(60L * r).toString(),
                    "suite-memory",
                    r + 1,
                    RunMetadata.FULL,
                    List.of(),
                    List.of(),
                    List.of(
                            new NamedValue(
                                    MemoryProfile.MEMORY_PER_CONTRACT_MB.name(), "MB", 0.7 + r, NamedValue.Merge.MAX),
                            new NamedValue(MemoryProfile.GROWTH_MB.name(), "MB", 0.1, NamedValue.Merge.MAX),
                            new NamedValue(
                                    MemoryProfile.LINUX_MEMORY_PER_CONTRACT_MB.name(),
                                    "MB",
                                    30 + r,
                                    NamedValue.Merge.MAX),
                            new NamedValue(MemoryProfile.LINUX_GROWTH_MB.name(), "MB", 25, NamedValue.Merge.MAX))));
        }
        assertThat(build()).isZero();

        JsonNode rows = ResultsFiles.MAPPER
                .readTree(dir.resolve("site/summary.json").toFile())
                .at("/summary_table");
        JsonNode instance = row(rows, "Instance size");
        assertThat(instance.at("/cells/0/median").asDouble()).isEqualTo(1.7);
        assertThat(instance.at("/cells/2/column").asText()).isEqualTo("Linux Mode (Prod)");
        assertThat(instance.at("/cells/2/median").asDouble()).isEqualTo(31.0);
        assertThat(instance.at("/cells/2/verdict").asText()).isEqualTo("green"); // < 50 MB
        JsonNode growth = row(rows, "Growth (1000 exec)");
        assertThat(growth.at("/cells/0/median").asDouble()).isEqualTo(0.1);
        assertThat(growth.at("/cells/2/median").asDouble()).isEqualTo(25.0);
        assertThat(growth.at("/cells/2/verdict").asText()).isEqualTo("amber"); // Acceptable (< 40 MB) only
    }

    private static JsonNode row(JsonNode rows, String metric) {
        for (JsonNode row : rows) {
            if (row.path("metric").asText().equals(metric)) {
                return row;
            }
        }
        throw new AssertionError("no summary row " + metric + " in " + rows);
    }

    private static String section(String html, String id) {
        Matcher section = Pattern.compile("<section class=\"trend\" id=\"" + id + "\">.*?</section>", Pattern.DOTALL)
                .matcher(html);
        assertThat(section.find()).as("trend %s", id).isTrue();
        return section.group();
    }
}
