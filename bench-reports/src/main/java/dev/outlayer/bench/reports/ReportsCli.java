package dev.outlayer.bench.reports;

import dev.outlayer.bench.reports.compare.BaselineComparison;
import dev.outlayer.bench.reports.compare.MetricChange;
import dev.outlayer.bench.reports.matrix.Verdict;
import dev.outlayer.bench.reports.results.ResultsFinder;
import dev.outlayer.bench.reports.site.Comparison;
import dev.outlayer.bench.reports.site.ReportSite;
import dev.outlayer.bench.reports.site.RunCollector;
import dev.outlayer.bench.reports.site.Summary;
import dev.outlayer.bench.reports.suite.SuiteRunner;
import dev.outlayer.bench.results.ResultsFiles;
import dev.outlayer.bench.results.RunMerger;
import dev.outlayer.bench.results.RunResults;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The reports tool: run the {@code suite}, {@code build} the site, {@code compare} with a baseline,
 * {@code merge} generators.
 */
@Command(
        name = "reports",
        mixinStandardHelpOptions = true,
        description = "OutLayer Bench results: report site, baseline comparison, merging of load generators.",
        subcommands = {ReportsCli.Suite.class, ReportsCli.Build.class, ReportsCli.Compare.class, ReportsCli.Merge.class
        })
public final class ReportsCli {

    /** Exit status when a regression is found and --fail-on-regression is set. */
    public static final int REGRESSION = 3;

    /** Exit status of {@code suite} when a run failed (the suite still ran every other one and built the site). */
    public static final int RUN_FAILED = 4;

    static Path root() {
        return Path.of(System.getProperty("outlayer.root", "."))
                .toAbsolutePath()
                .normalize();
    }

    public static void main(String[] args) {
        int status = run(args);
        // exec:java runs inside Maven: only exit on failure so that Maven can finish its own work.
        if (status != 0) {
            System.exit(status);
        }
    }

    public static int run(String... args) {
        return new CommandLine(new ReportsCli()).execute(args.length == 0 ? new String[] {"build"} : args);
    }

    /** Where runs come from and the site goes: options shared by build and suite. */
    static class SiteDirs {
        @Option(
                names = "--gatling-dir",
                description = "Gatling results folder (default gatling-simulations/target/gatling).")
        Path gatlingDir;

        @Option(names = "--reports-dir", description = "Report site folder (default reports/).")
        Path reportsDir;

        @Option(
                names = "--keep-runs",
                defaultValue = "0",
                description = "Keep only the newest N runs of each simulation in the site (default 0: keep all).")
        int keepRuns;

        Path gatling() {
            return gatlingDir != null ? gatlingDir : root().resolve("gatling-simulations/target/gatling");
        }

        Path reports() {
            return reportsDir != null ? reportsDir : root().resolve("reports");
        }
    }

    /** Options shared by build and compare. */
    static class Thresholds {
        @Option(
                names = "--threshold",
                defaultValue = "20",
                description = "Percent by which p95 may grow or throughput fall (default ${DEFAULT-VALUE}).")
        double thresholdPercent;

        @Option(
                names = "--min-delta-ms",
                defaultValue = "0.05",
                description = "p95 changes smaller than this are noise, never regressions (default ${DEFAULT-VALUE}).")
        double minDeltaMs;

        @Option(names = "--fail-on-regression", description = "Exit with status 3 when a metric regressed (a CI gate).")
        boolean failOnRegression;

        BaselineComparison comparison() {
            return new BaselineComparison(thresholdPercent, minDeltaMs);
        }
    }

    @Command(
            name = "build",
            mixinStandardHelpOptions = true,
            description =
                    "Collect runs from Gatling's results folder into reports/<Simulation>/<timestamp>/ and regenerate index.html, summary.html, summary.md and summary.json.")
    static final class Build implements Callable<Integer> {
        @CommandLine.Mixin
        SiteDirs dirs = new SiteDirs();

        @Option(
                names = "--baseline",
                description =
                        "A results.json or a folder of them (e.g. a previous report site) to compare the latest runs with.")
        Path baseline;

        @Option(
                names = "--suite",
                description = "The suite invocation whose runs the matrices show (default: the newest).")
        String suite;

        @CommandLine.Mixin
        Thresholds thresholds = new Thresholds();

        @Override
        public Integer call() {
            Optional<Comparison> comparison =
                    buildSite(dirs.gatling(), dirs.reports(), dirs.keepRuns, suite, baseline, thresholds);
            return comparison.map(c -> report(c.regressions(), thresholds)).orElse(0);
        }
    }

    /** Collects the runs, renders the site for {@code suite} (null: the newest) and prints its matrix. */
    static Optional<Comparison> buildSite(
            Path gatling, Path reports, int keepRuns, String suite, Path baseline, Thresholds thresholds) {
        List<String> collected = RunCollector.collect(gatling, reports);
        int pruned = RunCollector.prune(reports, keepRuns);
        if (pruned > 0) {
            System.out.println("Deleted " + pruned + " old run(s) beyond --keep-runs " + keepRuns);
        }
        Optional<Comparison> comparison = Optional.empty();
        if (baseline != null) {
            List<RunResults> current = ResultsFinder.load(reports);
            List<MetricChange> changes = thresholds.comparison().compare(ResultsFinder.load(baseline), current);
            comparison = Optional.of(new Comparison(baseline.toString(), thresholds.thresholdPercent, changes));
        }
        Summary summary = ReportSite.render(reports, suite, comparison);
        System.out.printf(
                "Collected %d run(s) from %s; %d run(s) in %s%nMatrix built from: %s%n",
                collected.size(), gatling, summary.catalog().runs().size(), reports, summary.setDescription());
        summary.targetMatrix()
                .forEach(row -> System.out.printf(
                        "  %-4s %-24s %s  %s%n",
                        row.cells().get(0).verdict().emoji(),
                        row.row().metric(),
                        row.cells().get(0).display(),
                        row.cells().get(0).detail()));
        System.out.println("Open " + reports.resolve(ReportSite.INDEX));
        return comparison;
    }

    @Command(
            name = "suite",
            mixinStandardHelpOptions = true,
            description = {
                "Run every simulation in a fixed order, each --repetitions times in a fresh Gatling JVM started as"
                        + " mvn gatling:test starts it (and a fresh target-system JVM), --cooldown seconds apart, then build the site"
                        + " from this suite's runs. A failed run is recorded as failed and the suite goes on.",
                "-Dci=true runs the short CI form (labelled so on every page); other -Dname=value properties go to"
                        + " every simulation (e.g. -Dtarget.url=... for a deployment)."
            })
    static final class Suite implements Callable<Integer> {
        @Option(
                names = "--repetitions",
                defaultValue = "3",
                description = "Runs of each simulation (default ${DEFAULT-VALUE}, the spec's).")
        int repetitions;

        @Option(
                names = "--cooldown",
                defaultValue = "5",
                description = "Seconds between runs (default ${DEFAULT-VALUE}, the spec's).")
        int cooldownSeconds;

        @Option(
                names = "--retries",
                defaultValue = "0",
                description = "Run a failed run again up to this many times (default ${DEFAULT-VALUE}); a failed"
                        + " attempt is printed and kept in the suite's log folder, not in the site.")
        int retries;

        @Option(names = "--ci", description = "The short CI form (same as -Dci=true).")
        boolean ci;

        @Option(names = "-D", mapFallbackValue = "", description = "A system property for every simulation.")
        Map<String, String> properties = new LinkedHashMap<>();

        @Option(
                names = "--simulations",
                split = ",",
                description = "Only these simulations (class simple names), still in the suite's order.")
        List<String> simulations = new ArrayList<>();

        @Option(
                names = "--skip",
                split = ",",
                description = "Leave these simulations out (e.g. CapacitySimulation, which takes the longest).")
        List<String> skipped = new ArrayList<>();

        @Option(names = "--suite", description = "The suite's id (default suite-<UTC time>).")
        String suite;

        @Option(
                names = "--no-build",
                description = "Do not compile first: run what the last build left (its classes and classpath).")
        boolean noBuild;

        @CommandLine.Mixin
        SiteDirs dirs = new SiteDirs();

        @Override
        public Integer call() throws Exception {
            String id = suite != null ? suite : SuiteRunner.newSuiteId(Instant.now());
            boolean ciForm = ci || "true".equals(properties.get("ci")) || Boolean.getBoolean("ci");
            SuiteRunner runner = new SuiteRunner(
                    new SuiteRunner.Config(
                            id,
                            simulations,
                            skipped,
                            repetitions,
                            Duration.ofSeconds(cooldownSeconds),
                            ciForm,
                            properties,
                            dirs.gatling(),
                            root().resolve("gatling-simulations/target/suite").resolve(id),
                            root(),
                            System.getProperty("outlayer.version", "unknown"),
                            retries),
                    SuiteRunner.processes(root()),
                    duration -> Thread.sleep(duration.toMillis()),
                    System.out);
            if (!noBuild) {
                runner.build();
            }
            List<SuiteRunner.RunRecord> records = runner.run();
            buildSite(dirs.gatling(), dirs.reports(), dirs.keepRuns, id, null, new Thresholds());
            boolean allPassed = records.stream().allMatch(r -> r.assertions().knownPassed());
            return allPassed ? 0 : RUN_FAILED;
        }
    }

    @Command(
            name = "compare",
            mixinStandardHelpOptions = true,
            description =
                    "Compare the newest run of each simulation with a baseline; flag p95 growth or throughput loss beyond the threshold.")
    static final class Compare implements Callable<Integer> {
        @Option(names = "--baseline", required = true, description = "A results.json or a folder of them.")
        Path baseline;

        @Option(names = "--current", description = "A results.json or a folder of them (default reports/).")
        Path current;

        @CommandLine.Mixin
        Thresholds thresholds = new Thresholds();

        @Override
        public Integer call() {
            Path now = current != null ? current : root().resolve("reports");
            List<MetricChange> changes =
                    thresholds.comparison().compare(ResultsFinder.load(baseline), ResultsFinder.load(now));
            System.out.printf(
                    "%-28s %-40s %-15s %30s %30s %9s%n",
                    "simulation", "metric", "statistic", "baseline median [min-max] n", "current", "change");
            for (MetricChange c : changes) {
                System.out.printf(
                        "%-28s %-40s %-15s %30s %30s %9s %s%n",
                        c.simulation(),
                        c.metric(),
                        c.statistic(),
                        c.baselineRuns().describe(),
                        c.currentRuns().describe(),
                        percent(c.changePercent()),
                        c.regressed() ? Verdict.RED.emoji() + " REGRESSION" : "");
            }
            if (changes.isEmpty()) {
                System.out.println("Nothing to compare: no simulation has a run in both " + baseline + " and " + now);
            }
            return report(BaselineComparison.regressions(changes), thresholds);
        }
    }

    @Command(
            name = "merge",
            mixinStandardHelpOptions = true,
            description =
                    "Merge results.json files of one simulation run from several load generators (histograms add up exactly).")
    static final class Merge implements Callable<Integer> {
        @Parameters(arity = "2..*", description = "results.json files (or folders holding them) to merge.")
        List<Path> inputs;

        @Option(
                names = {"-o", "--output"},
                required = true,
                description = "Folder to write the merged results.json and results.csv into.")
        Path output;

        @Override
        public Integer call() {
            List<RunResults> runs = new ArrayList<>();
            inputs.forEach(input -> runs.addAll(ResultsFinder.load(input)));
            RunResults merged = RunMerger.merge(runs);
            ResultsFiles.write(merged, output);
            System.out.printf(
                    "Merged %d runs of %s (%d metrics) into %s%n",
                    runs.size(), merged.simulation(), merged.metrics().size(), output.resolve(ResultsFiles.JSON));
            return 0;
        }
    }

    private static int report(List<MetricChange> regressions, Thresholds thresholds) {
        if (regressions.isEmpty()) {
            System.out.println("No regression beyond " + thresholds.thresholdPercent + "%.");
            return 0;
        }
        System.out.println(regressions.size() + " regression(s) beyond " + thresholds.thresholdPercent + "%:");
        regressions.forEach(r -> System.out.printf(
                "  %s %s %s: %s -> %s (%s)%n",
                r.simulation(),
                r.metric(),
                r.statistic(),
                r.baselineRuns().describe(),
                r.currentRuns().describe(),
                percent(r.changePercent())));
        return thresholds.failOnRegression ? REGRESSION : 0;
    }

    private static String percent(double change) {
        return Double.isFinite(change) ? String.format(java.util.Locale.ROOT, "%+.1f%%", change) : "new";
    }
}
