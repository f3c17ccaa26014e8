package dev.outlayer.bench.targetsystem.payments;

import dev.outlayer.bench.targetsystem.testing.CoordinatorDatabases;
import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import java.time.Clock;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every rule of {@link PaymentKeyCleanupTest} on PostgreSQL (OutLayer's {@code UPDATE payment_key_balances}). */
@Tag(RequiredTools.POSTGRES)
@ExtendWith(RequiredTools.class)
class PostgresPaymentKeyCleanupTest extends PaymentKeyCleanupTest {
    @RegisterExtension
    final CoordinatorDatabases databases = new CoordinatorDatabases();

    @Override
    protected PaymentKeys newKeys(Clock clock) {
        return new PaymentKeys(
                new PostgresPaymentKeyStore(databases.pool(databases.fresh(), "payment-key-cleanup-test"), clock));
    }
}
