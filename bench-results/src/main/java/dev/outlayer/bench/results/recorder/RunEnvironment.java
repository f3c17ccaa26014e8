package dev.outlayer.bench.results.recorder;

import dev.outlayer.bench.results.RunMetadata;
import dev.outlayer.bench.results.RunMetadata.TargetInfo;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The run metadata results.json carries: commit, target, JVM, CPUs, host, load, and the suite
 * invocation the run belongs to. The suite runner passes {@code -Dsuite.id}, {@code
 * -Dsuite.repetition} and {@code -Dsuite.repetitions} to each simulation it starts; {@code -Dci=true}
 * is the short CI form.
 */
public final class RunEnvironment {

    public static final String SUITE_ID = "suite.id";
    public static final String SUITE_REPETITION = "suite.repetition";
    public static final String SUITE_REPETITIONS = "suite.repetitions";

    private RunEnvironment() {}

    /** This JVM's run: the suite runner's system properties say which suite and repetition. */
    static RunMetadata describe(String targetUrl, TargetInfo target, Double loadStart) {
        return describe(
                targetUrl,
                target,
                loadStart,
                Boolean.getBoolean("ci") ? RunMetadata.CI : RunMetadata.FULL,
                blankToNull(System.getProperty(SUITE_ID)),
                integer(SUITE_REPETITION),
                integer(SUITE_REPETITIONS));
    }

    /** A run described from outside (the suite runner recording a run that wrote nothing). */
    public static RunMetadata describe(
            String targetUrl,
            TargetInfo target,
            Double loadStart,
            String form,
            String suite,
            Integer repetition,
            Integer repetitions) {
        return new RunMetadata(
                gitCommit(),
                targetUrl,
                System.getProperty("java.vendor") + " " + System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                host(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                form,
                suite,
                repetition,
                repetitions,
                target,
                loadStart,
                loadAverage(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version") + ", max heap "
                        + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB");
    }

    /** The machine's 1-minute load average, or null where the OS does not tell (Windows). */
    public static Double loadAverage() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? null : load;
    }

    /** CI sets GITHUB_SHA; otherwise ask git in the project root, marking uncommitted changes. */
    public static String gitCommit() {
        String sha = System.getenv("GITHUB_SHA");
        if (sha != null && !sha.isBlank()) {
            return sha;
        }
        String head = git("rev-parse", "HEAD");
        if (head == null) {
            return "unknown"; // no git (e.g. a source tarball): the commit is simply unknown
        }
        String changes = git("status", "--porcelain", "--untracked-files=no");
        return changes == null || changes.isEmpty() ? head : head + "-dirty";
    }

    private static String git(String... args) {
        try {
            String[] command = new String[args.length + 1];
            command[0] = "git";
            System.arraycopy(args, 0, command, 1, args.length);
            Process git = new ProcessBuilder(command)
                    .directory(new File(System.getProperty("outlayer.root", ".")))
                    .redirectErrorStream(true)
                    .start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (git.waitFor(5, TimeUnit.SECONDS) && git.exitValue() == 0) {
                return out;
            }
            git.destroy();
        } catch (Exception e) {
            // git missing or failing: the caller reports "unknown".
        }
        return null;
    }

    private static Integer integer(String property) {
        String value = blankToNull(System.getProperty(property));
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + property + " must be an integer, got '" + value + "'");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String host() {
        String name = System.getenv("HOSTNAME");
        if (name != null && !name.isBlank()) {
            return name;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
