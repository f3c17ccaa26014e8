package dev.outlayer.bench.targetsystem.throttle;

import dev.outlayer.bench.targetsystem.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A coordinator in its own JVM, as a second instance behind a load balancer would be: started
 * from the test classpath, ports chosen by the OS and read back from its READY line.
 */
final class CoordinatorProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("READY .*coordinator=(\\S+)");

    private final Process process;
    private final Path log;
    private final String url;

    private CoordinatorProcess(Process process, Path log, String url) {
        this.process = process;
        this.log = log;
        this.url = url;
    }

    static CoordinatorProcess start(Path dir, String name, String... flags) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                classpath,
                Main.class.getName(),
                "--host",
                "127.0.0.1",
                "--components",
                "coordinator,rpc",
                "--coordinator-port",
                "0",
                "--rpc-port",
                "0",
                "--exit-on-stdin-eof"));
        command.addAll(List.of(flags));
        Path log = dir.resolve(name + ".log");
        Process process =
                new ProcessBuilder(command).redirectError(log.toFile()).start();
        BufferedReader stdout =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = stdout.readLine()) != null; ) {
                    Matcher m = READY.matcher(line);
                    if (m.find()) {
                        return m.group(1);
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        String url;
        try {
            url = ready.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            url = null;
        }
        if (url == null) {
            process.destroyForcibly();
            throw new IOException(name + " did not start: " + Files.readString(log));
        }
        // Keep draining stdout so the child never blocks on a full pipe.
        Thread drain = new Thread(
                () -> {
                    try {
                        while (stdout.readLine() != null) {
                            // Only the READY line matters.
                        }
                    } catch (IOException ignored) {
                        // The child is gone.
                    }
                },
                name + "-stdout");
        drain.setDaemon(true);
        drain.start();
        return new CoordinatorProcess(process, log, url);
    }

    String url() {
        return url;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    /** Closing stdin makes it exit (--exit-on-stdin-eof); killed if it lingers. */
    @Override
    public void close() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
