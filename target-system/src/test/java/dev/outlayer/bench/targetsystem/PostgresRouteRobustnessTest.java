package dev.outlayer.bench.targetsystem;

import dev.outlayer.bench.targetsystem.testing.JobsDatabase;
import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import org.junit.jupiter.api.Tag;
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
}
