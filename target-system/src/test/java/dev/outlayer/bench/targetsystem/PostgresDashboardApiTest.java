package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.testing.JobsDatabase;
import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link DashboardApiTest} with {@code --jobs-db-url}: the same numbers computed in SQL, and the
 * database checked by {@code /health/detailed}.
 */
@Tag(RequiredTools.POSTGRES)
@ExtendWith(RequiredTools.class)
class PostgresDashboardApiTest extends DashboardApiTest {
    @RegisterExtension
    static final JobsDatabase DATABASE = new JobsDatabase();

    @Override
    protected TargetOptions options() {
        return DATABASE.on(super.options());
    }

    @Override
    protected void assertDatabaseCheck(JsonNode check) {
        assertThat(check.path("status").asText()).isEqualTo("ok");
        assertThat(check.path("latency_ms").isIntegralNumber()).isTrue();
        assertThat(check.has("error")).isFalse();
    }
}
