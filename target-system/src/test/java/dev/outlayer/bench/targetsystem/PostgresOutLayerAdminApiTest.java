package dev.outlayer.bench.targetsystem;

import dev.outlayer.bench.targetsystem.testing.JobsDatabase;
import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link OutLayerAdminApiTest} with {@code --jobs-db-url}: grants, the grant-key list (its {@code created_at}
 * from the {@code payment_keys} row), grant-key and worker deletion answer the same on PostgreSQL.
 */
@Tag(RequiredTools.POSTGRES)
@ExtendWith(RequiredTools.class)
class PostgresOutLayerAdminApiTest extends OutLayerAdminApiTest {
    @RegisterExtension
    static final JobsDatabase DATABASE = new JobsDatabase();

    @Override
    protected TargetOptions options() {
        return DATABASE.on(super.options());
    }
}
