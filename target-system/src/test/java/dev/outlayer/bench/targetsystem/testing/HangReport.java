package dev.outlayer.bench.targetsystem.testing;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;

/**
 * What a test JVM is doing when something in it hangs: every thread's stack (the embedded target
 * runs in the test's JVM, so its handlers are among them) and, when this JVM's PostgreSQL server
 * runs, the sessions that are not idle and the locks they wait for. Printed to stderr and kept in
 * {@code target/hangs/<pid>.txt}, which {@code .ci/run} prints at the end of a failed {@code mvn verify}.
 */
public final class HangReport {
    private HangReport() {}

    /** Reports what hangs now, under {@code title} (what was seen to hang). */
    public static void print(String title) {
        // the end of a failed CI log is what it shows first: the sessions and the title come last
        String report = "\n" + threads() + postgres() + "[hang] " + title + ", at " + Instant.now() + "\n";
        System.err.print(report);
        System.err.flush();
        try {
            ReportFiles.append("hangs", report);
        } catch (IOException e) {
            System.err.println("[hang] cannot write its report: " + e);
        }
    }

    /** Every thread of this JVM, its state and stack; those in the project's code last. */
    static String threads() {
        StringBuilder out = new StringBuilder("Threads:\n");
        Thread.getAllStackTraces().entrySet().stream()
                .sorted(Comparator.comparing(entry -> Arrays.stream(entry.getValue())
                        .anyMatch(frame -> frame.getClassName().startsWith("dev.outlayer."))))
                .forEach(entry -> {
                    Thread thread = entry.getKey();
                    out.append("  \"")
                            .append(thread.getName())
                            .append('"')
                            .append(thread.isDaemon() ? " daemon " : " ")
                            .append(thread.getState())
                            .append('\n');
                    for (StackTraceElement frame : entry.getValue()) {
                        out.append("      at ").append(frame).append('\n');
                    }
                });
        return out.toString();
    }

    /** The server's sessions that are not idle: what each runs and waits on, and who blocks it. */
    private static String postgres() {
        if (PostgresServer.sharedProcess().isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("PostgreSQL sessions not idle:\n");
        try (Connection admin = PostgresServer.shared().connect("postgres");
                Statement statement = admin.createStatement();
                ResultSet rs = statement.executeQuery("""
                        SELECT pid, datname, state, wait_event_type, wait_event, pg_blocking_pids(pid),
                               now() - xact_start, left(query, 200)
                        FROM pg_stat_activity
                        WHERE backend_type = 'client backend' AND state <> 'idle' AND pid <> pg_backend_pid()
                        ORDER BY xact_start""")) {
            while (rs.next()) {
                out.append("  pid ").append(rs.getInt(1));
                for (int column = 2; column <= 8; column++) {
                    out.append(" | ").append(rs.getString(column));
                }
                out.append('\n');
            }
        } catch (IOException | SQLException e) {
            out.append("  (not read: ").append(e).append(")\n");
        }
        return out.toString();
    }
}
