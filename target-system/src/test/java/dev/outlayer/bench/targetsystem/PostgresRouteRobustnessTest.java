package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.testing.JobsDatabase;
import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RouteRobustnessTest} with jobs, payments and storage in PostgreSQL ({@code --jobs-db-url}). */
@Tag(RequiredTools.POSTGRES)
@ExtendWith(RequiredTools.class)
class PostgresRouteRobustnessTest extends RouteRobustnessTest {
    @RegisterExtension
    static final JobsDatabase DATABASE = new JobsDatabase();

    @Override
    protected TargetOptions options() {
        return DATABASE.on(super.options());
    }

    /**
     * Requests whose query waits on a lock (a table this test holds) wait on worker threads: the I/O threads,
     * which each serve many connections, go on answering. Before, GET /public/project-earnings/{owner} queried
     * on its I/O thread, and every connection of that thread waited with it. Undertow gives each new connection
     * an I/O thread at random: four waiting requests per I/O thread leave none of them free (before the fix).
     */
    @Test
    void aQueryWaitingOnALockHoldsUpNoIoThread() throws Exception {
        int ioThreads = Math.max(Runtime.getRuntime().availableProcessors(), 2); // as HttpServer sizes them
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
        try (Connection holder = DATABASE.connect();
                Statement statement = holder.createStatement()) {
            holder.setAutoCommit(false);
            statement.execute("LOCK TABLE project_owner_earnings IN ACCESS EXCLUSIVE MODE");
            for (int i = 0; i < 4 * ioThreads; i++) {
                // each on a connection of its own: none is idle while the others wait
                waiting.add(client.sendAsync(
                        HttpRequest.newBuilder(URI.create(coordinatorUrl() + "/public/project-earnings/owner" + i))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            awaitQueriesWaitingOnTheLock(holder, Math.min(ioThreads, 10)); // 10: the payments pool's size
            for (int i = 0; i < 4; i++) {
                HttpClient fresh = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build();
                HttpResponse<String> health = fresh.send(
                        HttpRequest.newBuilder(URI.create(coordinatorUrl() + "/health"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode())
                        .as("GET /health while queries wait")
                        .isEqualTo(200);
            }
            holder.rollback();
        }
        for (CompletableFuture<HttpResponse<String>> answer : waiting) {
            assertThat(answer.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }

    /** Until {@code count} of the coordinator's queries wait on a lock (at most 10 s). */
    private static void awaitQueriesWaitingOnTheLock(Connection holder, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (Statement statement = holder.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_stat_activity"
                        + " WHERE datname = current_database() AND wait_event_type = 'Lock'")) {
                    rs.next();
                    if (rs.getInt(1) >= count) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
        }
    }
}
