package dev.outlayer.bench.targetsystem.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.errors.TransientFailure;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/**
 * Which database failures are the database's state (tried again as long as it takes) and which are
 * the statement's (refused the same way every time), by SQLState as PostgreSQL and its driver set them.
 */
class PostgresFailureKindsTest {
    private static boolean unavailable(String sqlState) {
        return PostgresDatabase.unavailable(new SQLException("failed", sqlState));
    }

    @Test
    void theDatabaseDownOrBusyIsTransient() {
        assertThat(unavailable("08006")).as("connection failure").isTrue();
        assertThat(unavailable("08001")).as("cannot connect").isTrue();
        assertThat(unavailable("57P01")).as("admin shutdown (a restart)").isTrue();
        assertThat(unavailable("57P03")).as("cannot connect now (starting up)").isTrue();
        assertThat(unavailable("53300")).as("too many connections").isTrue();
        assertThat(unavailable("40001")).as("serialization failure").isTrue();
        assertThat(unavailable("40P01")).as("deadlock").isTrue();
        assertThat(unavailable("55P03")).as("lock not available").isTrue();
        assertThat(unavailable(null)).as("no state: the pool gave up waiting").isTrue();
        assertThat(PostgresDatabase.unavailable(new SQLTransientConnectionException("pool timed out")))
                .isTrue();
    }

    @Test
    void whatTheStatementCarriesIsRefusedForGood() {
        assertThat(unavailable("22P05"))
                .as("jsonb: \\u0000 cannot be converted to text")
                .isFalse();
        assertThat(unavailable("22021")).as("a NUL byte in text").isFalse();
        assertThat(unavailable("23505")).as("unique violation").isFalse();
        assertThat(unavailable("42P01")).as("no such table: a bug").isFalse();
        assertThat(unavailable("55000")).as("object not in prerequisite state").isFalse();
    }

    @Test
    void onlyTheTransientKindSaysSo() {
        SQLException down = new SQLException("down", "08006");
        SQLException refused = new SQLException("refused", "22P05");
        assertThat(TransientFailure.in(new PostgresDatabase.UnavailableException("enqueue", down)))
                .isTrue();
        assertThat(TransientFailure.in(new RuntimeException(new PostgresDatabase.UnavailableException("x", down))))
                .as("wrapped")
                .isTrue();
        assertThat(TransientFailure.in(new PostgresDatabase.RefusedException("enqueue", refused)))
                .isFalse();
        assertThat(new PostgresDatabase.RefusedException("enqueue", refused).getMessage())
                .isEqualTo("the coordinator's database refused enqueue (SQLState 22P05)");
    }
}
