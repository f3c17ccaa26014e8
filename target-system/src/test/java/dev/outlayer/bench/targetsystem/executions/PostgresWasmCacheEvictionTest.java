package dev.outlayer.bench.targetsystem.executions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.testing.AtOnce;
import dev.outlayer.bench.targetsystem.testing.CoordinatorDatabases;
import dev.outlayer.bench.targetsystem.testing.PostgresServer;
import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every rule of {@link WasmCacheEvictionTest} on PostgreSQL ({@code wasm_cache}'s {@code last_accessed_at}),
 * and what a shared database adds: coordinators checking at once evict no more than one check would.
 */
@Tag(RequiredTools.POSTGRES)
@ExtendWith(RequiredTools.class)
class PostgresWasmCacheEvictionTest extends WasmCacheEvictionTest {
    @RegisterExtension
    final CoordinatorDatabases databases = new CoordinatorDatabases();

    private PostgresServer.Database database;

    @Override
    protected JobStore newStore(ManualClock clock) {
        database = databases.fresh();
        return databases.closedAfter(PostgresJobStore.open(database.jdbcUrl(), Duration.ofSeconds(30), clock, 4));
    }

    @Test
    void coordinatorsCheckingAtOnceEvictOnlyTheExcess() throws Exception {
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(1));
            store.storeWasm(
                    new WasmFile(String.format("%064x", i), new byte[100], "https://github.com/a/b", "c0ffee", null));
        }
        List<JobStore> coordinators = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            coordinators.add(
                    databases.closedAfter(PostgresJobStore.open(database.jdbcUrl(), Duration.ofSeconds(30), clock, 2)));
        }
        List<String> evicted = new ArrayList<>();
        AtOnce.run(
                        coordinators.size(),
                        coordinators.size(),
                        i -> () -> new WasmCacheEviction(coordinators.get(i), 700).checkAndEvict())
                .forEach(check -> check.forEach(e -> evicted.add(e.checksum())));
        assertThat(evicted)
                .as("the three least recently used, once")
                .containsExactlyInAnyOrder(
                        String.format("%064x", 0), String.format("%064x", 1), String.format("%064x", 2));
        assertThat(store.wasmCacheBytes()).isEqualTo(700);
    }
}
