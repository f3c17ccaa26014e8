package dev.outlayer.bench.targetsystem;

import dev.outlayer.bench.targetsystem.testing.JobsDatabase;
import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ProjectCleanupTaskApiTest} with {@code --jobs-db-url}: the task in {@code system_callback_tasks}, the
 * storage it clears in {@code storage_data} and {@code storage_usage}.
 */
@Tag(RequiredTools.POSTGRES)
@ExtendWith(RequiredTools.class)
class PostgresProjectCleanupTaskApiTest extends ProjectCleanupTaskApiTest {
    @RegisterExtension
    static final JobsDatabase DATABASE = new JobsDatabase();

    @Override
    protected TargetOptions options() {
        return DATABASE.on(super.options());
    }
}
