package dev.outlayer.bench.targetsystem.throttle;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server (the Debian package) on a free loopback port, without persistence, for tests
 * and benchmarks. It can be killed and started again on the same port.
 */
public final class RedisServerProcess implements AutoCloseable {
    public static final String MISSING = "redis-server not found on PATH: install the Debian package redis-server";

    private final Path binary;
    private final int port;
    private final Path workDir;
    private Process process;

    private RedisServerProcess(Path binary, int port, Path workDir) {
        this.binary = binary;
        this.port = port;
        this.workDir = workDir;
    }

    /** The redis-server binary, if installed. */
    public static Optional<Path> binary() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/usr/local/bin");
        for (String dir : (path + ":/usr/bin:/usr/sbin:/usr/local/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    public static RedisServerProcess start() throws IOException {
        Path binary = binary().orElseThrow(() -> new IllegalStateException(MISSING));
        RedisServerProcess redis = new RedisServerProcess(binary, freePort(), Files.createTempDirectory("redis-test"));
        redis.startAgain();
        return redis;
    }

    /** Starts the server (again) on its port and waits until it answers PING. */
    public void startAgain() throws IOException {
        if (process != null && process.isAlive()) {
            return;
        }
        process = new ProcessBuilder(List.of(
                        binary.toString(),
                        "--port",
                        String.valueOf(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--dir",
                        workDir.toString(),
                        "--loglevel",
                        "warning"))
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("redis.log").toFile())
                .start();
        // A JVM that exits without close() (a failed benchmark fork) must not leave the server behind.
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, "redis-server-reaper"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited: " + Files.readString(workDir.resolve("redis.log")));
            }
            if (ping()) {
                return;
            }
            sleep(Duration.ofMillis(20));
        }
        throw new IOException("redis-server did not answer PING on port " + port);
    }

    /** SIGKILL, as a crash or an OOM kill would. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Sends one inline command and returns the first reply line, e.g. {@code +PONG}. */
    public String command(String line) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder reply = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                if (b != '\r') {
                    reply.append((char) b);
                }
            }
            return reply.toString();
        }
    }

    private boolean ping() {
        try {
            return "+PONG".equals(command("PING"));
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException, IOException {
        kill();
        try (var files = Files.walk(workDir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }
}
