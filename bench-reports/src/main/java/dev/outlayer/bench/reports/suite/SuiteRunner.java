package dev.outlayer.bench.reports.suite;

import dev.outlayer.bench.results.Assertions;
import dev.outlayer.bench.results.ResultsFiles;
import dev.outlayer.bench.results.RunMetadata;
import dev.outlayer.bench.results.RunMetadata.TargetInfo;
import dev.outlayer.bench.results.RunResults;
import dev.outlayer.bench.results.recorder.RunEnvironment;
import dev.outlayer.bench.results.recorder.RunFolder;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs every simulation of the suite in a fixed order, each {@code repetitions} times, each run in a
 * fresh Gatling JVM (which starts a fresh embedded target-system JVM), with a cooldown between runs.
 * Maven builds once and writes the simulations' classpath; each run then starts Gatling's JVM as
 * {@code mvn gatling:test} does (gatling-maven-plugin's JVM options, the pom's properties, the same
 * classpath and main class) without a Maven start per run (3-5 s each on a 2-core machine). Unlike
 * Gatling's {@code runMultipleSimulations}, a failed run does not stop the suite: it is recorded as failed
 * in its results.json (or in one written for it, if it wrote none) and the suite goes on. Each run's
 * results.json learns what only this process knows: whether Gatling's assertions held (its exit status
 * and the assertion lines it printed).
 */
public final class SuiteRunner {

    /** Runs {@code command} from the project root, its output into {@code log}; returns its exit status. */
    @FunctionalInterface
    public interface Launcher {
        int run(List<String> command, Path log) throws IOException, InterruptedException;
    }

    /** Waits between runs; tests pass one that does not sleep. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /**
     * @param suiteId     names the suite in every run's results.json; the site builds a matrix per suite
     * @param simulations the simulations to run (empty: all), in the suite's order whatever the order given
     * @param skipped     simulations to leave out
     * @param properties  {@code -D} system properties passed to every simulation (target, parameters)
     * @param version     this tree's version, recorded as the embedded target's
     * @param retries     how many times a failed run is run again (its failed attempts are kept apart)
     */
    public record Config(
            String suiteId,
            List<String> simulations,
            List<String> skipped,
            int repetitions,
            Duration cooldown,
            boolean ci,
            Map<String, String> properties,
            Path gatlingRoot,
            Path logDir,
            Path projectRoot,
            String version,
            int retries) {

        public Config {
            if (repetitions < 1) {
                throw new IllegalArgumentException("--repetitions must be at least 1, got " + repetitions);
            }
            if (retries < 0) {
                throw new IllegalArgumentException("--retries must not be negative, got " + retries);
            }
            if (cooldown.isNegative()) {
                throw new IllegalArgumentException("--cooldown must not be negative");
            }
            properties = Map.copyOf(properties);
            simulations = List.copyOf(simulations);
            skipped = List.copyOf(skipped);
        }
    }

    /** One run of the suite: what happened to it and where its results are. */
    public record RunRecord(
            String simulation,
            int repetition,
            int exitStatus,
            Assertions assertions,
            Path folder,
            Duration wall,
            List<FailedAttempt> failedAttempts) {

        RunRecord withFailedAttempts(List<FailedAttempt> attempts) {
            return new RunRecord(simulation, repetition, exitStatus, assertions, folder, wall, List.copyOf(attempts));
        }
    }

    /** A failed attempt of a run that was run again: what failed, and where its results were moved. */
    public record FailedAttempt(List<String> failed, Path folder) {}

    /** A Gatling assertion line: {@code <path>: <condition> : false (actual : 0.0)}. */
    private static final Pattern FAILED_ASSERTION = Pattern.compile("^(.+) : false( \\(actual : .*\\))?\\s*$");

    private static final String SIMULATION_PACKAGE = "dev.outlayer.bench.simulations.";
    private static final String SIMULATIONS_MODULE = "gatling-simulations";
    /** Where the build writes the simulations' dependencies (relative to the module, as Maven resolves it). */
    private static final String CLASSPATH_FILE = "target/suite-classpath.txt";
    /** gatling-maven-plugin 4.21's default JVM options for Gatling (its {@code jvmArgs} add to these). */
    private static final List<String> GATLING_JVM_OPTIONS = List.of(
            "-XX:+HeapDumpOnOutOfMemoryError",
            "-XX:MaxInlineLevel=20",
            "-XX:MaxTrivialSize=12",
            "-Xmx1G",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED");

    private static final String CONSOLE_LOG = "console.log";
    /** Where {@code mvn package} (and so CI's {@code mvn verify}) leaves the target system's jar. */
    static final String TARGET_JAR = "target-system/target/outlayer-target-system.jar";
    /** The caller's properties that name their own target: the suite then adds none of its own. */
    private static final Set<String> TARGET_PROPERTIES = Set.of("target.url", "target.classpath", "target.cdsArchive");
    /** The compiled classes and poms that jar must be newer than to be used. */
    private static final List<String> TARGET_SOURCES =
            List.of("target-system/target/classes", "target-system/pom.xml", "pom.xml");
    /** Where failed attempts of retried runs go, under the suite's log folder. */
    static final String RETRIED = "failed-attempts";

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(ZoneOffset.UTC);

    private final Config config;
    private final Launcher launcher;
    private final Sleeper sleeper;
    private final PrintStream out;
    private final List<SuiteOrder.Entry> order;
    private final Map<String, List<Duration>> timed = new LinkedHashMap<>();
    /** The properties that start each run's target from its own jar (none when that jar is stale). */
    private List<String> targetJar;

    public SuiteRunner(Config config, Launcher launcher, Sleeper sleeper, PrintStream out) {
        this.config = config;
        this.launcher = launcher;
        this.sleeper = sleeper;
        this.out = out;
        SuiteOrder.of(config.skipped()); // an unknown name is an error here too
        this.order = (config.simulations().isEmpty() ? SuiteOrder.all() : SuiteOrder.of(config.simulations()))
                .stream()
                        .filter(e -> !config.skipped().contains(e.simulation()))
                        .toList();
    }

    /** The default suite id: when it started, e.g. {@code suite-20261203T2330Z}. */
    public static String newSuiteId(Instant now) {
        return "suite-"
                + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                        .withZone(ZoneOffset.UTC)
                        .format(now);
    }

    /**
     * The command of one run: Gatling's JVM with the plugin's options, the pom's {@code jvmArgs} and every
     * property the plugin would propagate ({@code gatling.simulationClass}, the suite's, the caller's).
     */
    List<String> gatlingCommand(String simulation, int repetition, String classpath) {
        Path root = config.projectRoot();
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(GATLING_JVM_OPTIONS);
        command.addAll(List.of(
                "-Doutlayer.root=" + root,
                "-Doutlayer.version=" + config.version(),
                "-Doutlayer.gatling.results=" + config.gatlingRoot(),
                "-Dgatling.simulationClass=" + SIMULATION_PACKAGE + simulation,
                "-D" + RunEnvironment.SUITE_ID + "=" + config.suiteId(),
                "-D" + RunEnvironment.SUITE_REPETITION + "=" + repetition,
                "-D" + RunEnvironment.SUITE_REPETITIONS + "=" + config.repetitions()));
        if (config.ci()) {
            command.add("-Dci=true");
        }
        config.properties().forEach((k, v) -> {
            if (!k.equals("ci")) {
                command.add("-D" + k + "=" + v);
            }
        });
        command.addAll(targetJarProperties());
        command.addAll(List.of(
                "-cp",
                classpath,
                "io.gatling.app.Gatling",
                "--simulation",
                SIMULATION_PACKAGE + simulation,
                "--results-folder",
                config.gatlingRoot().toString()));
        return command;
    }

    /**
     * {@code -Dtarget.classpath} naming the target system's jar and {@code -Dtarget.cdsArchive} in this suite's
     * log folder (the simulations' {@code Target}: the first run's target writes the archive, each later one maps
     * it and reaches READY about a second sooner, 3.5 -> 2.3 s on a 2-core machine), when that jar is newer than
     * the target's compiled classes and poms. A stale or missing jar, or a caller's own target properties, leave
     * the target as {@code mvn gatling:test} starts it, on the simulations' classpath.
     */
    List<String> targetJarProperties() {
        if (targetJar == null) {
            targetJar = List.of();
            // The caller's own target (a deployment, or a classpath or archive of theirs) is left as given.
            if (config.properties().keySet().stream().noneMatch(TARGET_PROPERTIES::contains)) {
                Path jar = config.projectRoot().resolve(TARGET_JAR);
                if (Files.isRegularFile(jar) && !changedSince(jar)) {
                    targetJar = List.of(
                            "-Dtarget.classpath=" + jar,
                            "-Dtarget.cdsArchive=" + config.logDir().resolve("target-classes.jsa"));
                    out.println("Each run's target starts from " + TARGET_JAR
                            + ", its classes shared from an archive the first run writes");
                } else {
                    out.println("Each run's target starts on the simulations' classpath (" + TARGET_JAR
                            + " is missing or older than target-system's classes: mvn package makes it)");
                }
            }
        }
        return targetJar;
    }

    /** Whether a compiled class or pom the jar is built from changed after the jar was written. */
    private boolean changedSince(Path jar) {
        long built = jar.toFile().lastModified();
        for (String source : TARGET_SOURCES) {
            Path path = config.projectRoot().resolve(source);
            if (!Files.exists(path)) {
                return true;
            }
            try (Stream<Path> files = Files.walk(path)) {
                if (files.anyMatch(file -> file.toFile().lastModified() > built)) {
                    return true;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return false;
    }

    /**
     * Compiles the simulations and the target system once and writes their classpath, so that every timed
     * run starts from compiled code without Maven.
     */
    public void build() throws IOException, InterruptedException {
        Files.createDirectories(config.logDir());
        Path log = config.logDir().resolve("build.log");
        out.println("Building the simulations and the target system once (log: " + log + ") ...");
        List<String> maven = new ArrayList<>(List.of(System.getenv().getOrDefault("MVN", "mvn")));
        String extra = System.getenv("MVN_ARGS"); // e.g. -o
        if (extra != null && !extra.isBlank()) {
            maven.addAll(List.of(extra.strip().split("\\s+")));
        }
        maven.addAll(List.of(
                "-B",
                "-q",
                "-pl",
                SIMULATIONS_MODULE,
                "-am",
                "test-compile",
                "dependency:build-classpath",
                "-Dmdep.includeScope=test",
                "-Dmdep.outputFile=" + CLASSPATH_FILE));
        int status = launcher.run(maven, log);
        if (status != 0) {
            throw new IllegalStateException("the build failed (exit " + status + "); see " + log);
        }
    }

    /** The simulations' classes first, then what the build resolved (the target system's classes among them). */
    String classpath() throws IOException {
        Path module = config.projectRoot().resolve(SIMULATIONS_MODULE);
        Path dependencies = module.resolve(CLASSPATH_FILE);
        if (!Files.isRegularFile(dependencies)) {
            throw new IllegalStateException(
                    "no " + dependencies + ": the suite builds it first (run it without --no-build once)");
        }
        return String.join(
                java.io.File.pathSeparator,
                module.resolve("target/test-classes").toString(),
                module.resolve("target/classes").toString(),
                Files.readString(dependencies, StandardCharsets.UTF_8).strip());
    }

    public List<RunRecord> run() throws IOException, InterruptedException {
        Files.createDirectories(config.logDir());
        int total = order.size() * config.repetitions();
        out.printf(
                Locale.ROOT,
                "Suite %s: %d simulation(s) x %d repetition(s) = %d runs, %s, cooldown %d s; estimated %s%n",
                config.suiteId(),
                order.size(),
                config.repetitions(),
                total,
                config.ci() ? "CI form (-Dci=true)" : "full form",
                config.cooldown().toSeconds(),
                clock(remaining(0, 0)));
        String classpath = classpath();
        Instant suiteStart = Instant.now();
        List<RunRecord> records = new ArrayList<>();
        int done = 0;
        for (int s = 0; s < order.size(); s++) {
            SuiteOrder.Entry entry = order.get(s);
            for (int repetition = 1; repetition <= config.repetitions(); repetition++) {
                if (done > 0 && !config.cooldown().isZero()) {
                    sleeper.sleep(config.cooldown());
                }
                String where = String.format(
                        Locale.ROOT,
                        "[%d/%d] %s (simulation %d/%d), repetition %d/%d",
                        done + 1,
                        total,
                        entry.simulation(),
                        s + 1,
                        order.size(),
                        repetition,
                        config.repetitions());
                out.printf(
                        Locale.ROOT,
                        "%s: elapsed %s, about %s left%n",
                        where,
                        clock(Duration.between(suiteStart, Instant.now())),
                        clock(remaining(s, repetition - 1)));
                List<FailedAttempt> failedAttempts = new ArrayList<>();
                RunRecord record = runOnce(entry, repetition, where, suiteStart, s, classpath);
                while (!record.assertions().knownPassed() && failedAttempts.size() < config.retries()) {
                    failedAttempts.add(setAside(record, failedAttempts.size() + 1));
                    out.printf(
                            Locale.ROOT,
                            "    FAILED in %s: %s; running it again (retry %d of %d; the failed attempt: %s)%n",
                            clock(record.wall()),
                            String.join("; ", record.assertions().failed()),
                            failedAttempts.size(),
                            config.retries(),
                            failedAttempts.get(failedAttempts.size() - 1).folder());
                    record = runOnce(entry, repetition, where, suiteStart, s, classpath);
                }
                record = record.withFailedAttempts(failedAttempts);
                records.add(record);
                timed.computeIfAbsent(entry.simulation(), k -> new ArrayList<>())
                        .add(record.wall());
                out.printf(
                        Locale.ROOT,
                        "    %s in %s%s%n",
                        record.assertions().knownPassed()
                                ? failedAttempts.isEmpty() ? "passed" : "passed on retry " + failedAttempts.size()
                                : "FAILED",
                        clock(record.wall()),
                        record.assertions().knownPassed()
                                ? ""
                                : ": " + String.join("; ", record.assertions().failed()));
                done++;
            }
        }
        long failed =
                records.stream().filter(r -> !r.assertions().knownPassed()).count();
        List<RunRecord> retried =
                records.stream().filter(r -> !r.failedAttempts().isEmpty()).toList();
        out.printf(
                Locale.ROOT,
                "Suite %s done in %s: %d of %d runs passed%s%s%n",
                config.suiteId(),
                clock(Duration.between(suiteStart, Instant.now())),
                total - failed,
                total,
                failed == 0 ? "" : ", " + failed + " failed (recorded as failed; the matrix shows them so)",
                retried.isEmpty()
                        ? ""
                        : "; " + retried.size() + " after a failed attempt (kept in "
                                + config.logDir().resolve(RETRIED) + ", not in the site)");
        for (RunRecord r : retried) {
            for (FailedAttempt attempt : r.failedAttempts()) {
                out.printf(
                        Locale.ROOT,
                        "  %s repetition %d, failed attempt: %s%n",
                        r.simulation(),
                        r.repetition(),
                        String.join("; ", attempt.failed()));
            }
        }
        return records;
    }

    /**
     * Moves a failed attempt's run folder out of the results the site is built from, into the suite's
     * log folder: the run that replaces it is the one its repetition is judged by.
     */
    private FailedAttempt setAside(RunRecord attempt, int number) throws IOException {
        Path target = config.logDir().resolve(RETRIED).resolve(attempt.folder().getFileName() + "-attempt-" + number);
        Files.createDirectories(target.getParent());
        Files.move(attempt.folder(), target);
        return new FailedAttempt(attempt.assertions().failed(), target);
    }

    private RunRecord runOnce(
            SuiteOrder.Entry entry, int repetition, String where, Instant suiteStart, int index, String classpath)
            throws IOException, InterruptedException {
        String simulation = entry.simulation();
        Path log = config.logDir().resolve(simulation + "-" + repetition + ".log");
        Set<Path> before = runFolders(simulation);
        Instant start = Instant.now();
        Double loadStart = RunEnvironment.loadAverage();
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "suite-progress");
            t.setDaemon(true);
            return t;
        });
        heartbeat.scheduleAtFixedRate(
                () -> out.printf(
                        Locale.ROOT,
                        "    ... %s running for %s; suite elapsed %s, about %s left%n",
                        where,
                        clock(Duration.between(start, Instant.now())),
                        clock(Duration.between(suiteStart, Instant.now())),
                        clock(remaining(index, repetition - 1).minus(Duration.between(start, Instant.now())))),
                30,
                30,
                TimeUnit.SECONDS);
        int status;
        try {
            status = launcher.run(gatlingCommand(simulation, repetition, classpath), log);
        } finally {
            heartbeat.shutdownNow();
        }
        Duration wall = Duration.between(start, Instant.now());
        List<String> gatlingFailures = failedAssertions(log);
        Optional<Path> written = newRunFolder(simulation, before);
        Path folder;
        Assertions assertions;
        if (written.isPresent() && Files.exists(written.get().resolve(ResultsFiles.JSON))) {
            folder = written.get();
            RunResults results = ResultsFiles.read(folder.resolve(ResultsFiles.JSON));
            List<String> failed = new ArrayList<>(results.assertions().failed());
            gatlingFailures.stream()
                    .filter(line -> !line.startsWith("verdict: ")) // the verdict names are there already
                    .forEach(failed::add);
            if (status != 0 && failed.isEmpty()) {
                failed.add("Gatling exited " + status + " (see " + CONSOLE_LOG + ")");
            }
            assertions = new Assertions(status == 0 && failed.isEmpty(), failed, Assertions.SUITE);
            ResultsFiles.write(results.withAssertions(assertions), folder);
        } else {
            // Nothing recorded: the simulation failed before its after() (or its JVM did). Record that.
            folder = written.orElse(config.gatlingRoot()
                    .resolve(RunFolder.FALLBACK_DIR)
                    .resolve(simulation + "-" + STAMP.format(start)));
            List<String> failed = new ArrayList<>();
            failed.add("no results: the run ended before the simulation recorded any (Gatling exited " + status
                    + "; see " + CONSOLE_LOG + ")");
            failed.addAll(gatlingFailures);
            assertions = new Assertions(false, failed, Assertions.SUITE);
            ResultsFiles.write(failedRun(simulation, repetition, start, loadStart, assertions), folder);
        }
        Files.copy(log, folder.resolve(CONSOLE_LOG), StandardCopyOption.REPLACE_EXISTING);
        return new RunRecord(simulation, repetition, status, assertions, folder, wall, List.of());
    }

    private RunResults failedRun(
            String simulation, int repetition, Instant start, Double loadStart, Assertions assertions) {
        String targetUrl = config.properties().get("target.url");
        RunMetadata metadata = RunEnvironment.describe(
                targetUrl,
                new TargetInfo(
                        targetUrl == null ? TargetInfo.EMBEDDED : TargetInfo.EXTERNAL, "unknown", "unknown", "unknown"),
                loadStart,
                config.ci() ? RunMetadata.CI : RunMetadata.FULL,
                config.suiteId(),
                repetition,
                config.repetitions());
        Map<String, String> parameters = new LinkedHashMap<>(config.properties());
        if (config.ci()) {
            parameters.put("ci", "true");
        }
        return new RunResults(
                RunResults.SCHEMA,
                simulation,
                simulation + "-" + STAMP.format(start),
                start.toString(),
                Instant.now().toString(),
                metadata,
                parameters,
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                assertions);
    }

    /** The assertion lines Gatling printed as false, as it printed them. */
    static List<String> failedAssertions(Path log) throws IOException {
        if (!Files.exists(log)) {
            return List.of();
        }
        List<String> failed = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            Matcher m = FAILED_ASSERTION.matcher(line.strip());
            if (m.matches() && !line.startsWith("[")) {
                failed.add(m.group(1).strip() + " : false" + (m.group(2) == null ? "" : m.group(2)));
            }
        }
        return failed;
    }

    /** Gatling's run folders of this simulation, and the recorder's folders apart. */
    private Set<Path> runFolders(String simulation) throws IOException {
        Set<Path> folders = new HashSet<>();
        String gatlingPrefix = simulation.toLowerCase(Locale.ROOT) + "-";
        folders.addAll(list(config.gatlingRoot(), gatlingPrefix));
        folders.addAll(list(config.gatlingRoot().resolve(RunFolder.FALLBACK_DIR), simulation + "-"));
        return folders;
    }

    /** The folder this run created: the one with results.json if there are several. */
    private Optional<Path> newRunFolder(String simulation, Set<Path> before) throws IOException {
        List<Path> created = runFolders(simulation).stream()
                .filter(p -> !before.contains(p))
                .sorted()
                .toList();
        return created.stream()
                .filter(p -> Files.exists(p.resolve(ResultsFiles.JSON)))
                .reduce((a, b) -> b)
                .or(() -> created.stream().reduce((a, b) -> b));
    }

    private static List<Path> list(Path dir, String prefix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory)
                    .filter(p -> p.getFileName().toString().startsWith(prefix))
                    .toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * What is left after {@code repetitionsDone} repetitions of simulation {@code index}: each remaining
     * run takes what this suite measured for its simulation, else its typical time scaled by how this
     * machine compared with the typical times so far; plus the cooldowns.
     */
    Duration remaining(int index, int repetitionsDone) {
        double scale = speed();
        double seconds = 0;
        int runs = 0;
        for (int s = index; s < order.size(); s++) {
            SuiteOrder.Entry entry = order.get(s);
            int left = config.repetitions() - (s == index ? repetitionsDone : 0);
            List<Duration> measured = timed.get(entry.simulation());
            double each = measured == null || measured.isEmpty()
                    ? entry.seconds(config.ci()) * scale
                    : measured.stream().mapToLong(Duration::toMillis).average().orElse(0) / 1000.0;
            seconds += left * each;
            runs += left;
        }
        seconds += Math.max(0, runs - 1) * config.cooldown().toSeconds();
        return Duration.ofMillis((long) (seconds * 1000));
    }

    /** Measured over typical, for the simulations timed so far (1 before any). */
    private double speed() {
        double measured = 0;
        double typical = 0;
        for (SuiteOrder.Entry entry : order) {
            List<Duration> times = timed.get(entry.simulation());
            if (times != null) {
                for (Duration d : times) {
                    measured += d.toMillis() / 1000.0;
                    typical += entry.seconds(config.ci());
                }
            }
        }
        return typical == 0 ? 1 : measured / typical;
    }

    static String clock(Duration d) {
        long seconds = Math.max(0, d.toSeconds());
        return seconds >= 3600
                ? String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }

    /** Runs each command from the project root. */
    public static Launcher processes(Path root) {
        return (command, log) -> {
            Process process = new ProcessBuilder(command)
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            try {
                return process.waitFor();
            } catch (InterruptedException e) {
                process.destroy();
                throw e;
            }
        };
    }
}
