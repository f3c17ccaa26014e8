package dev.outlayer.bench.targetsystem.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL server (the Debian package's binaries) in a temporary directory on a free
 * loopback port, one per test JVM, started on first use and removed when the JVM exits. Each test
 * gets its own database from {@link #freshDatabase()}, dropped on close.
 *
 * <p>PostgreSQL refuses to run as root (as CI and containers do): then initdb and the server run
 * as the unprivileged {@code postgres} user the Debian package creates, through {@code setpriv},
 * which execs (no fork), so the process we hold is the server itself.
 *
 * <p>Durability is off ({@code fsync}, {@code synchronous_commit}): the tests check concurrency
 * rules, not crash recovery of the disk.
 */
public final class PostgresServer {
    public static final String MISSING =
            "PostgreSQL binaries (initdb, postgres) not found on PATH nor in /usr/lib/postgresql/*/bin";
    private static final String SUPERUSER = "postgres";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final Set<String> TEMPLATES = new HashSet<>();
    private static PostgresServer shared;

    private final Path dataDir;
    private final int port;
    private final Process process;

    private PostgresServer(Path dataDir, int port, Process process) {
        this.dataDir = dataDir;
        this.port = port;
        this.process = process;
    }

    /** The directory holding initdb and postgres, if PostgreSQL is installed. */
    public static Optional<Path> binDir() {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir));
            }
        }
        // Debian keeps the server binaries off PATH, one directory per major version: newest first.
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                versions.map(v -> v.resolve("bin"))
                        .sorted(Comparator.comparing(PostgresServer::majorVersion)
                                .reversed())
                        .forEach(candidates::add);
            } catch (IOException e) {
                // unreadable: as if absent
            }
        }
        for (Path dir : candidates) {
            Path initdb = dir.resolve("initdb");
            if (Files.isExecutable(initdb) && Files.isExecutable(dir.resolve("postgres"))) {
                try {
                    return Optional.of(initdb.toRealPath().getParent());
                } catch (IOException e) {
                    return Optional.of(dir);
                }
            }
        }
        return Optional.empty();
    }

    /** Whether a server can be started here: the binaries, and when root an unprivileged user to run them. */
    public static boolean available() {
        return binDir().isPresent() && (!runningAsRoot() || userExists(SUPERUSER));
    }

    /** The server of this JVM, started on first call. */
    public static synchronized PostgresServer shared() throws IOException {
        if (shared == null) {
            shared = start();
            PostgresServer started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "postgres-reaper"));
        }
        return shared;
    }

    /**
     * This JVM's server, if started: it and its processes (backends, checkpointer, ...) live as long
     * as the JVM by design ({@link LeakGuard} does not count them).
     */
    static synchronized Optional<ProcessHandle> sharedProcess() {
        return shared == null ? Optional.empty() : Optional.of(shared.process.toHandle());
    }

    /** A new empty database on the shared server; dropped (its connections ended) on close. */
    public static Database freshDatabase() throws IOException, SQLException {
        return freshDatabase("template1");
    }

    /**
     * A new database holding what {@code prepare} put in a template database (prepared once per
     * JVM, then copied per test: a file copy, much faster than migrating each time).
     */
    public static Database freshDatabase(String templateName, Consumer<DataSource> prepare)
            throws IOException, SQLException {
        PostgresServer server = shared();
        synchronized (TEMPLATES) {
            if (TEMPLATES.add(templateName)) {
                try (Connection admin = server.connect("postgres");
                        Statement statement = admin.createStatement()) {
                    statement.execute("CREATE DATABASE " + templateName);
                }
                PGSimpleDataSource dataSource = new PGSimpleDataSource();
                dataSource.setURL(server.jdbcUrl(templateName));
                prepare.accept(dataSource);
            }
        }
        return freshDatabase(templateName);
    }

    private static Database freshDatabase(String template) throws IOException, SQLException {
        PostgresServer server = shared();
        String name = "test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection admin = server.connect("postgres");
                Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name + " TEMPLATE " + template);
        }
        return new Database(server, name);
    }

    private static PostgresServer start() throws IOException {
        Path bin = binDir().orElseThrow(() -> new IllegalStateException(MISSING));
        Path dataDir = Files.createTempDirectory("postgres-test");
        if (runningAsRoot()) {
            UserPrincipalLookupService users = dataDir.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(dataDir, users.lookupPrincipalByName(SUPERUSER));
        }
        Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        run(
                log,
                bin.resolve("initdb").toString(),
                "-D",
                dataDir.toString(),
                "-U",
                SUPERUSER,
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync");
        int port = freePort();
        Process process = new ProcessBuilder(asServerUser(List.of(
                        bin.resolve("postgres").toString(),
                        "-D",
                        dataDir.toString(),
                        "-p",
                        String.valueOf(port),
                        "-c",
                        "listen_addresses=127.0.0.1",
                        "-c",
                        "unix_socket_directories=",
                        "-c",
                        "fsync=off",
                        "-c",
                        "synchronous_commit=off",
                        "-c",
                        "full_page_writes=off",
                        "-c",
                        "max_connections=200")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        PostgresServer server = new PostgresServer(dataDir, port, process);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            if (!process.isAlive()) {
                server.deleteFiles();
                throw new IOException("postgres exited: " + Files.readString(log));
            }
            try (Connection ignored = server.connect("postgres")) {
                return server;
            } catch (SQLException notYet) {
                if (System.nanoTime() > deadline) {
                    server.stop();
                    throw new IOException("postgres did not accept connections on port " + port, notYet);
                }
                sleep(50);
            }
        }
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + SUPERUSER;
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database));
    }

    /** Fast shutdown (SIGINT: ends the sessions, no waiting for clients), then the files go. */
    private synchronized void stop() {
        try {
            if (process.isAlive()) {
                new ProcessBuilder("kill", "-INT", String.valueOf(process.pid()))
                        .start()
                        .waitFor(5, TimeUnit.SECONDS);
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
            deleteFiles();
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void deleteFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        Files.deleteIfExists(dataDir.resolveSibling(dataDir.getFileName() + ".log"));
    }

    /** One test's database. */
    public record Database(PostgresServer server, String name) implements AutoCloseable {
        public String jdbcUrl() {
            return server.jdbcUrl(name);
        }

        public Connection connect() throws SQLException {
            return server.connect(name);
        }

        @Override
        public void close() throws SQLException {
            try (Connection admin = server.connect("postgres");
                    Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
    }

    private static void run(Path log, String... command) throws IOException {
        Process process = new ProcessBuilder(asServerUser(List.of(command)))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException(command[0] + " failed: " + Files.readString(log));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(command[0] + " interrupted", e);
        }
    }

    private static List<String> asServerUser(List<String> command) {
        if (!runningAsRoot()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(
                List.of("setpriv", "--reuid=" + SUPERUSER, "--regid=" + SUPERUSER, "--init-groups", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static boolean userExists(String user) {
        try {
            FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(user);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
