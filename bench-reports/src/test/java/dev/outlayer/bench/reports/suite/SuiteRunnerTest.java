package dev.outlayer.bench.reports.suite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.reports.Fixtures;
import dev.outlayer.bench.reports.ReportsCli;
import dev.outlayer.bench.results.ResultsFiles;
import dev.outlayer.bench.results.RunMetadata;
import dev.outlayer.bench.results.RunResults;
import dev.outlayer.bench.results.names.Measured.Counter;
import dev.outlayer.bench.results.names.Measured.Secrets;
import dev.outlayer.bench.results.names.ServerPhase;
import dev.outlayer.bench.results.names.SimulationName;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner with a stand-in for Gatling's JVM that behaves as Gatling does: it creates the run folder, the
 * simulation writes results.json into it, Gatling prints its assertion lines and exits 2 when one is false;
 * or the run dies before writing anything.
 */
class SuiteRunnerTest {

    @TempDir
    Path dir;

    private final List<List<String>> launched = new ArrayList<>();
    /** "Simulation repetition" of runs whose first attempt fails and whose next passes. */
    private final java.util.Set<String> flakyOnce = new java.util.HashSet<>();

    private final java.util.Map<String, Integer> attempts = new java.util.HashMap<>();
    private final List<Duration> slept = new ArrayList<>();
    private int stamp;

    /** A project tree as the build leaves it: the simulations' classes and their classpath file. */
    private Path project() throws java.io.IOException {
        Path module = dir.resolve("project/gatling-simulations");
        Files.createDirectories(module.resolve("target"));
        Files.writeString(module.resolve("target/suite-classpath.txt"), "/m2/gatling-app.jar:/m2/target-system.jar\n");
        return dir.resolve("project");
    }

    /** A CI-form runner of {@code simulations} without cooldown, on the stand-in for Gatling. */
    private SuiteRunner ciRunner(
            String suite,
            List<String> simulations,
            int repetitions,
            int retries,
            Path project,
            ByteArrayOutputStream console) {
        return new SuiteRunner(
                new SuiteRunner.Config(
                        suite,
                        simulations,
                        List.of(),
                        repetitions,
                        Duration.ZERO,
                        true,
                        Map.of(),
                        dir.resolve("gatling"),
                        dir.resolve("logs"),
                        project,
                        "1.2.3",
                        retries),
                this::fakeGatling,
                slept::add,
                new PrintStream(console, true, StandardCharsets.UTF_8));
    }

    private static String property(List<String> args, String name) {
        return args.stream()
                .filter(a -> a.startsWith("-D" + name + "="))
                .map(a -> a.substring(name.length() + 3))
                .findFirst()
                .orElse(null);
    }

    /**
     * Counter passes; Secrets' repetition 2 breaks a Gatling assertion; MemoryProfile's repetition 1 dies before
     * recording anything, its repetition 2 passes (recording no memory value: the cell stays failed, by repetition 1).
     */
    private int fakeGatling(List<String> args, Path log) throws java.io.IOException {
        launched.add(args);
        String simulation = property(args, "gatling.simulationClass").replace("dev.outlayer.bench.simulations.", "");
        int repetition = Integer.parseInt(property(args, "suite.repetition"));
        Path gatling = dir.resolve("gatling");
        if (simulation.equals("MemoryProfileSimulation") && repetition == 1) {
            Files.writeString(log, "[ERROR] java.lang.IllegalStateException: the target system did not print READY\n");
            return 1;
        }
        Path run = Files.createDirectories(
                gatling.resolve(simulation.toLowerCase() + "-2026120300000" + (stamp++) + "000"));
        Files.writeString(run.resolve("simulation.log"), "log");
        Files.writeString(run.resolve("index.html"), "<html></html>");
        long p95 = 1_000L + 100L * repetition;
        RunResults results = new RunResults(
                RunResults.SCHEMA,
                simulation,
                run.getFileName().toString(),
                "2026-12-03T00:0" + stamp + ":00Z",
                "2026-12-03T00:0" + stamp + ":30Z",
                Fixtures.metadata(
                        "true".equals(property(args, "ci")) ? RunMetadata.CI : RunMetadata.FULL,
                        property(args, "suite.id"),
                        repetition,
                        Integer.parseInt(property(args, "suite.repetitions"))),
                Map.of(),
                switch (simulation) {
                    case "CounterSimulation" -> List.of(Fixtures.client(Counter.WARM_SINGLE.name(), 1_000, p95, p95));
                    case "SecretsSimulation" ->
                        List.of(Fixtures.phase(Secrets.WITH_2.name(), ServerPhase.DECRYPT, 1_000, p95, p95));
                    default -> List.of();
                },
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                null); // as the simulation writes it: Gatling's assertions not known yet
        ResultsFiles.write(results, run);
        int attempt = attempts.merge(simulation + " " + repetition, 1, Integer::sum);
        boolean broken = simulation.equals("SecretsSimulation") && repetition == 2
                || flakyOnce.contains(simulation + " " + repetition) && attempt == 1;
        Files.writeString(
                log,
                "Reports generated, please open the following file: file:///x/index.html\n"
                        + "Global: percentage of successful events is greater than or equal to 99.0 : "
                        + (broken ? "false (actual : 97.5)" : "true (actual : 100.0)") + "\n"
                        + (broken ? "Please open the report\n" : ""));
        return broken ? 2 : 0;
    }

    @Test
    void everyRunIsRecordedAndAFailedOneNeitherStopsTheSuiteNorCountsAsAValue() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        SuiteRunner runner = new SuiteRunner(
                new SuiteRunner.Config(
                        "suite-test",
                        List.of(),
                        List.of(
                                "ThrottleBurstSimulation",
                                "RateLimitEnforcementSimulation",
                                "ApiKeyTierSimulation",
                                "ThrottleOverheadSimulation",
                                "BurstCapacitySimulation",
                                "NftMintSimulation",
                                "TransactionSimulation",
                                "ExecutionModeSimulation",
                                "SustainedLoadSimulation",
                                "ExecutionLifecycleSimulation",
                                "HttpsCallSimulation",
                                "CapacitySimulation"),
                        2,
                        Duration.ofSeconds(5),
                        false,
                        Map.of("target.jvmArgs", "-Xmx256m"),
                        dir.resolve("gatling"),
                        dir.resolve("logs"),
                        project(),
                        "1.2.3",
                        0),
                this::fakeGatling,
                slept::add,
                new PrintStream(console, true, StandardCharsets.UTF_8));

        List<SuiteRunner.RunRecord> records = runner.run();

        // All but the skipped, in the fixed order (Secrets before MemoryProfile), every repetition, a fresh JVM each.
        assertThat(records)
                .extracting(r -> r.simulation() + " " + r.repetition())
                .containsExactly(
                        "CounterSimulation 1",
                        "CounterSimulation 2",
                        "SecretsSimulation 1",
                        "SecretsSimulation 2",
                        "MemoryProfileSimulation 1",
                        "MemoryProfileSimulation 2");
        assertThat(launched.get(0))
                .contains(
                        "io.gatling.app.Gatling",
                        "--simulation",
                        "dev.outlayer.bench.simulations.CounterSimulation",
                        "-Doutlayer.version=1.2.3",
                        "-Doutlayer.gatling.results=" + dir.resolve("gatling"),
                        "-Dsuite.id=suite-test",
                        "-Dsuite.repetition=1",
                        "-Dsuite.repetitions=2",
                        "-Dtarget.jvmArgs=-Xmx256m")
                .doesNotContain("-Dci=true");
        // The simulations' own classes first, then what the build resolved.
        assertThat(launched.get(0).get(launched.get(0).indexOf("-cp") + 1))
                .startsWith(dir.resolve("project/gatling-simulations/target/test-classes") + ":")
                .endsWith(":/m2/gatling-app.jar:/m2/target-system.jar");
        assertThat(slept).hasSize(5).allMatch(d -> d.equals(Duration.ofSeconds(5)));

        // Passed runs: results.json now says so, judged by the suite.
        RunResults counter = ResultsFiles.read(records.get(0).folder().resolve(ResultsFiles.JSON));
        assertThat(counter.assertions().passed()).isTrue();
        assertThat(counter.assertions().checkedBy()).isEqualTo("suite");
        assertThat(records.get(0).folder().resolve("console.log")).exists();
        // A false Gatling assertion: failed, with the line Gatling printed.
        RunResults secrets = ResultsFiles.read(records.get(3).folder().resolve(ResultsFiles.JSON));
        assertThat(secrets.assertions().passed()).isFalse();
        assertThat(secrets.assertions().failed())
                .containsExactly(
                        "Global: percentage of successful events is greater than or equal to 99.0 : false (actual : 97.5)");
        // A run that recorded nothing: a results.json written for it, failed, in its suite and repetition.
        RunResults memory = ResultsFiles.read(records.get(4).folder().resolve(ResultsFiles.JSON));
        assertThat(memory.simulation()).isEqualTo("MemoryProfileSimulation");
        assertThat(memory.metadata().suite()).isEqualTo("suite-test");
        assertThat(memory.metadata().repetition()).isEqualTo(1);
        assertThat(memory.assertions().passed()).isFalse();
        assertThat(memory.assertions().failed().get(0)).startsWith("no results: the run ended before");

        // Progress: which run, elapsed, what is left; and the tally at the end.
        String out = console.toString(StandardCharsets.UTF_8);
        assertThat(out)
                .contains("Suite suite-test: 3 simulation(s) x 2 repetition(s) = 6 runs, full form, cooldown 5 s")
                .contains("[1/6] CounterSimulation (simulation 1/3), repetition 1/2: elapsed")
                .contains("[6/6] MemoryProfileSimulation (simulation 3/3), repetition 2/2")
                .contains("left")
                .contains("4 of 6 runs passed, 2 failed");

        // The site built from the suite: the failed simulation shows failed, the passed ones their median of 2.
        Path site = dir.resolve("site");
        assertThat(ReportsCli.run(
                        "build", "--gatling-dir", dir.resolve("gatling").toString(), "--reports-dir", site.toString()))
                .isZero();
        String index = Files.readString(site.resolve("index.html"));
        assertThat(Fixtures.row(index, "Direct WASM execution"))
                .contains("1.150 ms")
                .contains("n=2");
        assertThat(Fixtures.row(index, "Memory per contract"))
                .contains("class=\"failed\"")
                .contains("failed (1 of 2 runs)");
        // Both memory runs are in the site, each its own: the one recorded apart did not swallow the next.
        try (var runs = Files.list(site.resolve("MemoryProfileSimulation"))) {
            assertThat(runs.map(r -> ResultsFiles.read(r.resolve(ResultsFiles.JSON))
                            .metadata()
                            .repetition()))
                    .containsExactlyInAnyOrder(1, 2);
        }
        assertThat(Fixtures.row(index, "Secrets decryption"))
                .contains("class=\"failed\"")
                .contains("repetition 2");
    }

    @Test
    void theCiFormIsPassedOnAndTheEstimateLearnsFromTheRunsTimed() throws Exception {
        SuiteRunner runner =
                ciRunner("suite-ci", List.of("CounterSimulation"), 3, 0, project(), new ByteArrayOutputStream());
        // Before any run: the typical CI time of three counter runs.
        assertThat(runner.remaining(0, 0)).isEqualTo(Duration.ofSeconds(3L * 30));
        runner.run();
        assertThat(launched).allMatch(args -> args.contains("-Dci=true"));
        assertThat(slept).isEmpty();
        assertThat(ResultsFiles.read(dir.resolve("gatling")
                                .resolve("countersimulation-20261203000000000")
                                .resolve(ResultsFiles.JSON))
                        .form())
                .isEqualTo(RunMetadata.CI);
    }

    @Test
    void eachRunsTargetStartsFromTheTargetsJarOnlyWhileItIsNewerThanItsClassesAndPoms() throws Exception {
        Path project = project();
        Path classes = Files.createDirectories(project.resolve("target-system/target/classes/dev"));
        Files.writeString(classes.resolve("Main.class"), "classes");
        Files.writeString(project.resolve("target-system/pom.xml"), "<project/>");
        Files.writeString(project.resolve("pom.xml"), "<project/>");
        Path jar = project.resolve(SuiteRunner.TARGET_JAR);
        Files.writeString(jar, "jar");
        java.nio.file.attribute.FileTime built = java.nio.file.attribute.FileTime.fromMillis(2_000_000_000_000L);
        Files.setLastModifiedTime(jar, built);
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        ciRunner("suite-jar", List.of("CounterSimulation"), 2, 0, project, console)
                .run();
        assertThat(launched)
                .hasSize(2)
                .allSatisfy(args -> assertThat(args)
                        .contains(
                                "-Dtarget.classpath=" + jar,
                                "-Dtarget.cdsArchive=" + dir.resolve("logs").resolve("target-classes.jsa")));
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("from " + SuiteRunner.TARGET_JAR);

        // A class compiled after the jar was built: the jar is stale, the target runs on the simulations' classpath.
        Files.setLastModifiedTime(
                classes.resolve("Main.class"), java.nio.file.attribute.FileTime.fromMillis(built.toMillis() + 1000));
        launched.clear();
        ByteArrayOutputStream stale = new ByteArrayOutputStream();
        ciRunner("suite-stale", List.of("CounterSimulation"), 1, 0, project, stale)
                .run();
        assertThat(launched.get(0))
                .noneMatch(arg -> arg.startsWith("-Dtarget.classpath=") || arg.startsWith("-Dtarget.cdsArchive="));
        assertThat(stale.toString(StandardCharsets.UTF_8)).contains("older than target-system's classes");
    }

    @Test
    void aFailedRunIsRunAgainUpToTheRetriesAndItsFailedAttemptIsKeptApartFromTheSite() throws Exception {
        flakyOnce.add("CounterSimulation 1");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        SuiteRunner runner =
                ciRunner("suite-retry", List.of("CounterSimulation", "SecretsSimulation"), 2, 1, project(), console);

        List<SuiteRunner.RunRecord> records = runner.run();

        assertThat(launched).as("counter 1 twice, secrets 2 twice").hasSize(6);
        assertThat(records)
                .extracting(r -> r.simulation() + " " + r.repetition() + " "
                        + r.assertions().knownPassed() + " "
                        + r.failedAttempts().size())
                .containsExactly(
                        "CounterSimulation 1 true 1",
                        "CounterSimulation 2 true 0",
                        "SecretsSimulation 1 true 0",
                        "SecretsSimulation 2 false 1");
        // The failed attempt left the results the site reads, with its results.json saying it failed.
        SuiteRunner.FailedAttempt counterAttempt =
                records.get(0).failedAttempts().get(0);
        assertThat(counterAttempt.folder()).startsWith(dir.resolve("logs").resolve(SuiteRunner.RETRIED));
        assertThat(ResultsFiles.read(counterAttempt.folder().resolve(ResultsFiles.JSON))
                        .assertions()
                        .passed())
                .isFalse();
        try (var runs = Files.list(dir.resolve("gatling"))) {
            assertThat(runs.filter(p -> p.getFileName().toString().startsWith("countersimulation")))
                    .hasSize(2);
        }
        String out = console.toString(StandardCharsets.UTF_8);
        assertThat(out)
                .contains("running it again (retry 1 of 1")
                .contains("passed on retry 1")
                .contains("3 of 4 runs passed, 1 failed")
                .contains("2 after a failed attempt")
                .contains("CounterSimulation repetition 1, failed attempt: Global: percentage of successful events");
    }

    @Test
    void theDefaultSuiteRunsEverySimulationInItsPlaceAndANamedOneInTheSameOrder() {
        assertThat(SuiteOrder.all())
                .extracting(SuiteOrder.Entry::simulation)
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(SimulationName.values())
                        .map(SimulationName::className)
                        .toList())
                .containsSubsequence("ExecutionLifecycleSimulation", "HttpsCallSimulation", "CapacitySimulation")
                .endsWith("MemoryProfileSimulation");
        assertThat(SuiteOrder.of(List.of("HttpsCallSimulation", "CounterSimulation")))
                .extracting(SuiteOrder.Entry::simulation)
                .containsExactly("CounterSimulation", "HttpsCallSimulation");
    }

    @Test
    void anUnknownSimulationOrNoRepetitionIsAnError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SuiteOrder.of(List.of("NoSuchSimulation")))
                .hasMessageContaining("no simulation NoSuchSimulation");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SuiteRunner.Config(
                        "s", List.of(), List.of(), 0, Duration.ZERO, false, Map.of(), dir, dir, dir, "1", 0))
                .hasMessageContaining("--repetitions must be at least 1");
    }

    @Test
    void withoutABuildsClasspathNothingRunsAndTheMessageSaysWhy() {
        SuiteRunner runner = ciRunner(
                "s", List.of("CounterSimulation"), 1, 0, dir.resolve("never-built"), new ByteArrayOutputStream());
        org.assertj.core.api.Assertions.assertThatThrownBy(runner::run)
                .hasMessageContaining("suite-classpath.txt")
                .hasMessageContaining("without --no-build");
        assertThat(launched).isEmpty();
    }
}
