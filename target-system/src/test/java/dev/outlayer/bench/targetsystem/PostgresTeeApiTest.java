package dev.outlayer.bench.targetsystem;

import dev.outlayer.bench.targetsystem.testing.JobsDatabase;
import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link TeeApiTest} with {@code --jobs-db-url}: attestations ({@code task_attestations}), challenges and sessions
 * ({@code tee_challenges}, {@code worker_tee_sessions}) answer the same on PostgreSQL.
 */
@Tag(RequiredTools.POSTGRES)
@ExtendWith(RequiredTools.class)
class PostgresTeeApiTest extends TeeApiTest {
    @RegisterExtension
    static final JobsDatabase DATABASE = new JobsDatabase();

    @Override
    protected TargetOptions options() {
        return DATABASE.on(super.options());
    }
}
