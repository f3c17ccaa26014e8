package dev.outlayer.bench.simulations.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The system under test. With {@code -Dtarget.url=URL} (and optionally {@code -Dtarget.upstreamUrl=URL})
 * the simulations hit that deployment. Without it, the target system is started lazily in its own JVM on
 * free ports and stopped when the run ends: by {@link #stop()} from a simulation's {@code after()}, by a
 * shutdown hook, and, should this JVM be killed outright, by the child itself, which exits when the stdin
 * pipe we hold open closes ({@code --exit-on-stdin-eof}).
 */
public final class Target {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(Params.integer("target.startTimeoutSeconds", 60));
    private static Target current;
    private static volatile String embeddedKeystoreUrl;

    private final String coordinatorUrl;
    private final String upstreamUrl;
    private final Process process;
    private final OutputStream stdin;
    private final Thread shutdownHook;

    private Target(String coordinatorUrl, String upstreamUrl, Process process, OutputStream stdin) {
        this.coordinatorUrl = coordinatorUrl;
        this.upstreamUrl = upstreamUrl;
        this.process = process;
        this.stdin = stdin;
        this.shutdownHook = process == null ? null : new Thread(this::close, "stop-target-system");
        if (shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /** The coordinator's base URL, e.g. {@code http://127.0.0.1:41234}; starts the embedded target if needed. */
    public static String coordinatorUrl() {
        return get().coordinatorUrl;
    }

    /**
     * The keystore's base URL: {@code -Dtarget.keystoreUrl=URL} for a deployment, else the embedded target's
     * (started if needed).
     */
    public static String keystoreUrl() {
        String url = System.getProperty("target.keystoreUrl", "").strip();
        if (!url.isEmpty()) {
            return trimSlash(url);
        }
        get();
        if (embeddedKeystoreUrl == null) {
            throw new IllegalStateException("no keystore URL: pass -Dtarget.keystoreUrl=URL with -Dtarget.url");
        }
        return embeddedKeystoreUrl;
    }

    /** The NEAR RPC endpoint behind the proxy, for direct baselines; null when a deployment did not name one. */
    public static String upstreamUrl() {
        return get().upstreamUrl;
    }

    /** Stops the embedded target system, if one was started; a later call to a URL starts a fresh one. */
    public static synchronized void stop() {
        if (current != null) {
            current.close();
            if (current.shutdownHook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(current.shutdownHook);
                } catch (IllegalStateException alreadyShuttingDown) {
                    // The hook is running or has run; nothing left to do.
                }
            }
            current = null;
        }
    }

    private static synchronized Target get() {
        if (current == null) {
            String url = System.getProperty("target.url", "").strip();
            current = url.isEmpty() ? startEmbedded() : new Target(trimSlash(url), upstreamFromProperty(), null, null);
        }
        return current;
    }

    private static String upstreamFromProperty() {
        String upstream = System.getProperty("target.upstreamUrl", "").strip();
        return upstream.isEmpty() ? null : trimSlash(upstream);
    }

    private static Target startEmbedded() {
        Path root = Path.of(System.getProperty("outlayer.root", ".")).toAbsolutePath().normalize();
        Path log = root.resolve("gatling-simulations/target/target-system-" + System.currentTimeMillis() + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(System.getProperty("target.jvmArgs", "-Xmx512m -XX:+UseSerialGC").strip().split("\\s+")));
        Path logbackConfig = root.resolve("target-system/src/main/resources/logback.xml");
        if (Files.isRegularFile(logbackConfig)) {
            // The simulations' classpath also holds their own, quieter logback-test.xml.
            command.add("-Dlogback.configurationFile=" + logbackConfig);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.outlayer.bench.targetsystem.Main",
                "--host", "127.0.0.1", "--coordinator-port", "0", "--rpc-port", "0", "--keystore-port", "0",
                "--exit-on-stdin-eof", "--admin",
                "--api-keys-file", root.resolve("feeders/api-keys.csv").toString(),
                "--tiers-file", root.resolve("feeders/tiers.csv").toString()));
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command)
                    .directory(root.toFile())
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            // Our end of the child's stdin stays open for as long as this JVM lives.
            Target target;
            try {
                Map<String, String> urls = awaitReady(process, log);
                embeddedKeystoreUrl = urls.get("keystore");
                target = new Target(urls.get("coordinator"), urls.get("rpc"), process, process.getOutputStream());
            } catch (RuntimeException e) {
                process.destroyForcibly();
                throw e;
            }
            awaitHealthy(target.coordinatorUrl + "/health", process, log);
            System.out.println("Target system started (pid " + process.pid() + "): coordinator " + target.coordinatorUrl
                    + ", NEAR RPC " + target.upstreamUrl + "; its log: " + root.relativize(log));
            return target;
        } catch (IOException e) {
            throw new IllegalStateException("could not start the target system: " + e.getMessage(), e);
        }
    }

    /** Copies the child's stdout to the log file and hands back the URLs of its READY line. */
    private static Map<String, String> awaitReady(Process process, Path log) throws IOException {
        CompletableFuture<String> ready = new CompletableFuture<>();
        PrintStream logFile = new PrintStream(Files.newOutputStream(log, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND), true, StandardCharsets.UTF_8);
        Thread copier = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    logFile.println(line);
                    if (line.startsWith("READY ")) {
                        ready.complete(line);
                    }
                }
            } catch (IOException ignored) {
                // The child is gone; its exit is noticed below.
            } finally {
                ready.complete(null);
                logFile.close();
            }
        }, "target-system-stdout");
        copier.setDaemon(true);
        copier.start();
        String line;
        try {
            line = ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            line = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            line = null;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        if (line == null) {
            throw new IllegalStateException("the target system did not print READY"
                    + (process.isAlive() ? " within " + START_TIMEOUT.toSeconds() + " s" : " (it exited)") + "; see " + log);
        }
        Map<String, String> urls = new HashMap<>();
        for (String pair : line.substring("READY ".length()).trim().split("\\s+")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                urls.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        if (!urls.containsKey("coordinator")) {
            throw new IllegalStateException("the target system's READY line names no coordinator: " + line);
        }
        return urls;
    }

    private static void awaitHealthy(String healthUrl, Process process, Path log) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(healthUrl)).timeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        String last = "no answer";
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = "HTTP " + response.statusCode() + ": " + response.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            try {
                Thread.sleep(100); // polling interval while the server comes up
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException(healthUrl + " did not answer 200 (" + last + "); see " + log);
    }

    /** Closing stdin asks the child to exit; SIGTERM then SIGKILL if it lingers. */
    private void close() {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            stdin.close();
        } catch (IOException ignored) {
            // The pipe is already broken: the child sees EOF either way.
        }
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
