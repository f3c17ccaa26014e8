package dev.outlayer.bench.simulations.support;

import dev.outlayer.bench.results.RunMetadata.TargetInfo;
import dev.outlayer.bench.results.recorder.RunEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The system under test. With {@code -Dtarget.url=URL} (and optionally {@code -Dtarget.upstreamUrl=URL} and
 * {@code -Dtarget.keystoreUrl=URL}) the simulations hit that deployment. Without it, the target system is
 * started lazily in its own JVM on free ports and stopped when the run ends: by {@link #stop()} from a
 * simulation's {@code after()}, by a shutdown hook, and, should this JVM be killed outright, by the child
 * itself, which exits when the stdin pipe we hold open closes ({@code --exit-on-stdin-eof}). The embedded
 * target keeps its state in a fresh directory of its own ({@code -Dtarget.dataDir=DIR} names one to reuse), so
 * no run inherits what a target started by hand, or an earlier run, stored; it exits on OutOfMemoryError.
 * {@code -Dtarget.classpath} and {@code -Dtarget.cdsArchive} (the suite's) start it from its own jar with
 * shared classes ({@link ClassDataArchive}).
 */
public final class Target {
    private static final long START_TIMEOUT_MS = Params.integer("target.startTimeoutSeconds", 60) * 1000L;
    private static final Pattern READY = Pattern.compile("(?m)^READY (.*)\\R");
    private static Target current;

    /**
     * The embedded coordinator's worker token ({@code --worker-token}, given as {@code OUTLAYER_WORKER_TOKEN}): the bearer of its worker routes, which
     * fund a payment key ({@code POST /topup/complete}) as OutLayer's worker does after a top-up on chain. Random
     * per JVM, so no token is written down anywhere; a deployment's is not ours to know.
     */
    private static final String WORKER_TOKEN = randomToken();

    /** The URLs of the target's READY line (coordinator, rpc, keystore), or of the -Dtarget.* properties. */
    private final Map<String, String> urls;

    private final Process process;

    /** The class-data archive this target writes when it exits ({@code -Dtarget.cdsArchive}), or null. */
    private final ClassDataArchive dumping;

    /** What results.json records about the target: embedded or external, version, commit, flags. */
    private final TargetInfo info;

    private Target(Map<String, String> urls, Process process, TargetInfo info, ClassDataArchive dumping) {
        this.urls = urls;
        this.process = process;
        this.info = info;
        this.dumping = dumping;
        if (process != null) {
            Runtime.getRuntime().addShutdownHook(new Thread(this::close, "stop-target-system"));
        }
    }

    /** The coordinator's base URL, e.g. {@code http://127.0.0.1:41234}; starts the embedded target if needed. */
    public static String coordinatorUrl() {
        return get().urls.get("coordinator");
    }

    /** The NEAR RPC endpoint behind the proxy, for direct baselines; null when a deployment did not name one. */
    public static String upstreamUrl() {
        return get().urls.get("rpc");
    }

    /** The keystore's base URL: {@code -Dtarget.keystoreUrl=URL} for a deployment, else the embedded target's. */
    public static String keystoreUrl() {
        return Optional.ofNullable(get().urls.get("keystore"))
                .orElseThrow(() ->
                        new IllegalStateException("no keystore URL: pass -Dtarget.keystoreUrl=URL with -Dtarget.url"));
    }

    /** The embedded target's worker token; empty against a deployment ({@code -Dtarget.url}), which keeps its own. */
    public static Optional<String> workerToken() {
        return get().process == null ? Optional.empty() : Optional.of(WORKER_TOKEN);
    }

    /** The target as results.json describes it; starts the embedded target if needed. */
    public static TargetInfo info() {
        return get().info;
    }

    /** Stops the embedded target system, if one was started; a later call to a URL starts a fresh one. */
    public static synchronized void stop() {
        if (current != null && current.process != null) {
            current.close(); // its shutdown hook then finds nothing left to stop
        }
        current = null;
    }

    private static synchronized Target get() {
        if (current == null) {
            String url = property("target.url");
            if (url == null) {
                current = startEmbedded();
            } else {
                Map<String, String> urls = new HashMap<>(Map.of("coordinator", url));
                Optional.ofNullable(property("target.upstreamUrl")).ifPresent(upstream -> urls.put("rpc", upstream));
                Optional.ofNullable(property("target.keystoreUrl"))
                        .ifPresent(keystore -> urls.put("keystore", keystore));
                // A deployment says what it runs only if told: -Dtarget.version/-Dtarget.commit/-Dtarget.flags.
                current = new Target(
                        urls,
                        null,
                        new TargetInfo(
                                TargetInfo.EXTERNAL,
                                System.getProperty("target.version", "unknown"),
                                System.getProperty("target.commit", "unknown"),
                                System.getProperty("target.flags", "unknown")),
                        null);
            }
        }
        return current;
    }

    private static String randomToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String property(String name) {
        String value = System.getProperty(name, "").strip();
        return value.isEmpty() ? null : value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }

    private static Target startEmbedded() {
        Path root = Path.of(System.getProperty("outlayer.root", "."))
                .toAbsolutePath()
                .normalize();
        Path log = root.resolve("gatling-simulations/target/target-system-" + System.currentTimeMillis() + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(System.getProperty("target.jvmArgs", "-Xms512m -Xmx512m -XX:+UseSerialGC")
                .strip()
                .split("\\s+")));
        // A JVM that ran out of memory may keep its ports and serve nothing: better dead, and seen.
        command.add("-XX:+ExitOnOutOfMemoryError");
        // Chicory's 9 KB validator would stay interpreted: every deploy validates 4x slower (README).
        command.add("-XX:-DontCompileHugeMethods");
        Path logbackConfig = root.resolve("target-system/src/main/resources/logback.xml");
        if (Files.isRegularFile(logbackConfig)) {
            // The simulations' classpath also holds their own, quieter logback-test.xml.
            command.add("-Dlogback.configurationFile=" + logbackConfig);
        }
        // The suite names the target's own jar: a shorter classpath than Gatling's, and one class-data sharing can map.
        String classpath =
                Optional.ofNullable(property("target.classpath")).orElse(System.getProperty("java.class.path"));
        ClassDataArchive archive = Optional.ofNullable(property("target.cdsArchive"))
                .map(path -> new ClassDataArchive(Path.of(path)))
                .orElse(null);
        if (archive != null) {
            command.addAll(archive.flags());
        }
        command.addAll(List.of(
                "-cp",
                classpath,
                "dev.outlayer.bench.targetsystem.Main",
                "--host",
                "127.0.0.1",
                "--coordinator-port",
                "0",
                "--rpc-port",
                "0",
                "--keystore-port",
                "0",
                "--exit-on-stdin-eof",
                "--admin",
                "--api-keys-file",
                root.resolve("feeders/api-keys.csv").toString(),
                "--tiers-file",
                root.resolve("feeders/tiers.csv").toString(),
                "--throttle-keying",
                ExpectedThrottle.EXPECTED.flag(),
                "--accounts-file",
                root.resolve("feeders/accounts.csv").toString()));
        try {
            Files.createDirectories(log.getParent());
            Path dataDir = dataDir(root);
            command.addAll(
                    List.of("--keystore-data-dir", dataDir.resolve("keystore").toString()));
            // Our end of the child's stdin stays open for as long as this JVM lives.
            ProcessBuilder builder = new ProcessBuilder(command);
            // --worker-token's environment form: kept out of the command line that results.json records
            builder.environment().put("OUTLAYER_WORKER_TOKEN", WORKER_TOKEN);
            Process process = builder.directory(root.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            // Built from this tree: the simulations' own version and commit are the target's.
            TargetInfo info = new TargetInfo(
                    TargetInfo.EMBEDDED,
                    System.getProperty("outlayer.version", "unknown"),
                    RunEnvironment.gitCommit(),
                    String.join(" ", command.subList(1, command.size())).replace(classpath, "<classpath>"));
            Target target = new Target(
                    awaitReady(process, log), process, info, archive != null && archive.dumps() ? archive : null);
            System.out.println(
                    "Target system started (pid " + process.pid() + "): coordinator " + target.urls.get("coordinator")
                            + ", NEAR RPC " + target.urls.get("rpc") + "; its log: " + root.relativize(log)
                            + "; its data: " + dataDir);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the target system: " + e.getMessage(), e);
        }
    }

    /** {@code -Dtarget.dataDir} as given, else a new directory under gatling-simulations/target (kept for a look after). */
    private static Path dataDir(Path root) throws IOException {
        String given = property("target.dataDir");
        if (given != null) {
            return Path.of(given).toAbsolutePath();
        }
        Path parent = Files.createDirectories(root.resolve("gatling-simulations/target/target-data"));
        return Files.createTempDirectory(parent, "run-");
    }

    /** The URLs of the READY line the child prints once every listener is up (it logs to {@code log}). */
    private static Map<String, String> awaitReady(Process process, Path log) throws IOException {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (process.isAlive() && System.currentTimeMillis() < deadline) {
            // Only a whole line: the child may be halfway through writing it.
            Matcher ready = READY.matcher(new String(Files.readAllBytes(log), StandardCharsets.UTF_8));
            if (ready.find()) {
                Map<String, String> urls = new HashMap<>();
                for (String pair : ready.group(1).strip().split("\\s+")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        urls.put(pair.substring(0, eq), pair.substring(eq + 1));
                    }
                }
                if (urls.containsKey("coordinator")) {
                    return urls;
                }
                break;
            }
            try {
                Thread.sleep(50); // polling the log while the server comes up
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("the target system did not print READY with its coordinator URL"
                + (process.isAlive() ? " within " + START_TIMEOUT_MS / 1000 + " s" : "") + "; see " + log);
    }

    /** Closing stdin asks the child to exit; SIGTERM then SIGKILL if it lingers. */
    private void close() {
        try {
            stopProcess();
        } finally {
            if (dumping != null) {
                dumping.keepIfWritten(process);
            }
        }
    }

    private void stopProcess() {
        if (!process.isAlive()) {
            return;
        }
        try {
            process.getOutputStream().close();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (IOException brokenPipe) {
            process.destroy(); // the child saw EOF already, or cannot: SIGTERM it
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Class-data sharing for the embedded target ({@code -Dtarget.cdsArchive=FILE}, which the suite passes with
     * {@code -Dtarget.classpath} naming the target's jar: JDK 17 archives classes from jars only). The first
     * target writes the classes it loaded when it exits (JDK 17's dynamic archive) to a file beside FILE, kept as
     * FILE only if that JVM ended cleanly; each target after maps FILE and starts about a second sooner. A JVM
     * that cannot use the file (another JDK, another jar) starts without it, as -Xshare:auto does.
     */
    private record ClassDataArchive(Path file) {
        Path written() {
            return file.resolveSibling(file.getFileName() + ".writing");
        }

        boolean dumps() {
            return !Files.isRegularFile(file);
        }

        List<String> flags() {
            return dumps()
                    ? List.of("-XX:ArchiveClassesAtExit=" + written(), "-XX:ErrorFile=" + file + "-hs_err_%p.log")
                    : List.of("-XX:SharedArchiveFile=" + file, "-Xshare:auto");
        }

        /** Keeps what the exited JVM wrote, if it exited cleanly; a crashed dump leaves no archive to map. */
        void keepIfWritten(Process process) {
            try {
                if (!process.isAlive() && process.exitValue() == 0 && Files.isRegularFile(written())) {
                    Files.move(written(), file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                } else {
                    Files.deleteIfExists(written());
                }
            } catch (IOException e) {
                System.out.println("the target's class-data archive was not kept: " + e.getMessage());
            }
        }
    }
}
