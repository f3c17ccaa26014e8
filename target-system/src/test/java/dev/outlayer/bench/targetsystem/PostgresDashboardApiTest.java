package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.testing.PostgresServer;
import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link DashboardApiTest} with {@code --jobs-db-url}: the same numbers computed in SQL, and the
 * database checked by {@code /health/detailed}.
 */
@Tag(RequiredTools.POSTGRES)
@ExtendWith(RequiredTools.class)
class PostgresDashboardApiTest extends DashboardApiTest {
    private PostgresServer.Database database;

    @Override
    protected TargetOptions options() {
        try {
            database = PostgresServer.freshDatabase();
        } catch (Exception e) {
            throw new IllegalStateException("no test database", e);
        }
        TargetOptions options = super.options();
        options.jobsDbUrl = database.jdbcUrl();
        return options;
    }

    @Override
    protected void assertDatabaseCheck(JsonNode check) {
        assertThat(check.path("status").asText()).isEqualTo("ok");
        assertThat(check.path("latency_ms").isIntegralNumber()).isTrue();
        assertThat(check.has("error")).isFalse();
    }

    @AfterAll
    void dropDatabase() throws Exception {
        database.close();
    }
}
