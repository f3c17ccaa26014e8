package dev.outlayer.bench.results.recorder;

import dev.outlayer.bench.results.RunMetadata;
import java.io.File;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The run metadata results.json carries: commit, target, JVM, CPUs, host. */
final class RunEnvironment {

    private RunEnvironment() {}

    static RunMetadata describe(String targetUrl) {
        return new RunMetadata(
                gitCommit(),
                targetUrl,
                System.getProperty("java.vendor") + " " + System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                host(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    }

    /** CI sets GITHUB_SHA; otherwise ask git in the project root. */
    static String gitCommit() {
        String sha = System.getenv("GITHUB_SHA");
        if (sha != null && !sha.isBlank()) {
            return sha;
        }
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "HEAD")
                    .directory(new File(System.getProperty("outlayer.root", ".")))
                    .redirectErrorStream(true)
                    .start();
            if (git.waitFor(5, TimeUnit.SECONDS) && git.exitValue() == 0) {
                return new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            git.destroy();
        } catch (Exception e) {
            // No git (e.g. a source tarball): the commit is simply unknown.
        }
        return "unknown";
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
