package dev.outlayer.bench.targetsystem.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.errors.TransientFailure;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The coordinator's PostgreSQL database ({@code --jobs-db-url}): a HikariCP pool on it, its schema
 * migrated by Flyway ({@code db/jobs}) when opened, and the JDBC plumbing every store on it uses:
 * work in one transaction (all of it commits or none does), statements with positional parameters,
 * and OutLayer's column types (UTC {@code TIMESTAMP}s, u128 amounts as {@code NUMERIC}).
 */
public final class PostgresDatabase implements AutoCloseable {
    private final DataSource dataSource;
    private final AutoCloseable pool;

    private PostgresDatabase(DataSource dataSource, AutoCloseable pool) {
        this.dataSource = dataSource;
        this.pool = pool;
    }

    /**
     * Opens a pool named {@code poolName} on the database (a {@code jdbc:postgresql:} URL, credentials
     * in it) and migrates its schema.
     */
    public static PostgresDatabase open(String jdbcUrl, String poolName, int poolSize) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("the jobs database URL must start with jdbc:postgresql:");
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName(poolName);
        config.setMaximumPoolSize(poolSize);
        // Connections open as they are needed rather than all at start (each is a server process).
        config.setMinimumIdle(Math.min(2, poolSize));
        config.setConnectionTimeout(TimeUnit.SECONDS.toMillis(10));
        HikariDataSource pool = new HikariDataSource(config);
        try {
            migrate(pool);
            return new PostgresDatabase(pool, pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** Brings the schema to the latest migration (idempotent; safe when several coordinators start at once). */
    public static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/jobs")
                .load()
                .migrate();
    }

    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    @FunctionalInterface
    public interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** Runs the work in one transaction: all of it commits or none of it does. */
    public <T> T inTransaction(String what, SqlWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw unavailable(e) ? new UnavailableException(what, e) : new RefusedException(what, e);
        }
    }

    /**
     * Whether the failure is the database's state rather than the statement's: no connection (SQLState
     * class 08, or none: the pool timed out), resources (53), an operator's shutdown or restart (57), a
     * system error (58, XX), a serialization failure or deadlock (40), a lock not available (55P03).
     * Data and integrity errors (22, 23) and bugs (42) fail the same way every time.
     */
    static boolean unavailable(SQLException e) {
        if (e instanceof java.sql.SQLTransientException || e instanceof java.sql.SQLRecoverableException) {
            return true;
        }
        String state = e.getSQLState();
        if (state == null || state.length() < 2) {
            return true;
        }
        return switch (state.substring(0, 2)) {
            case "08", "53", "57", "58", "XX", "40" -> true;
            default -> state.equals("55P03");
        };
    }

    public int update(String what, String sql, Object... parameters) {
        return inTransaction(what, connection -> execute(connection, sql, parameters));
    }

    public <T> Optional<T> queryOptional(String what, String sql, RowReader<T> reader, Object... parameters) {
        return inTransaction(what, connection -> one(connection, sql, reader, parameters));
    }

    public <T> List<T> queryList(String what, String sql, RowReader<T> reader, Object... parameters) {
        return inTransaction(what, connection -> all(connection, sql, reader, parameters));
    }

    /** The first row of the query, read, on a connection of a transaction under way. */
    public static <T> Optional<T> one(Connection connection, String sql, RowReader<T> reader, Object... parameters)
            throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters);
                ResultSet rs = statement.executeQuery()) {
            return rs.next() ? Optional.of(reader.read(rs)) : Optional.empty();
        }
    }

    /** Every row of the query, read, on a connection of a transaction under way. */
    public static <T> List<T> all(Connection connection, String sql, RowReader<T> reader, Object... parameters)
            throws SQLException {
        List<T> rows = new ArrayList<>();
        try (PreparedStatement statement = prepare(connection, sql, parameters);
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                rows.add(reader.read(rs));
            }
        }
        return rows;
    }

    public static int execute(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters)) {
            return statement.executeUpdate();
        }
    }

    public static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < parameters.length; i++) {
                Object parameter = parameters[i];
                if (parameter == null) {
                    statement.setNull(i + 1, Types.NULL);
                } else {
                    if (parameter instanceof String text) {
                        requireStorable(text);
                    }
                    statement.setObject(i + 1, parameter);
                }
            }
            return statement;
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
    }

    /** A {@code text[]} parameter, each element held to what {@code text} can store as {@link #prepare} holds text. */
    public static Array textArray(Connection connection, List<String> values) throws SQLException {
        for (String value : values) {
            if (value != null) {
                requireStorable(value);
            }
        }
        return connection.createArrayOf("text", values.toArray());
    }

    private static void requireStorable(String text) {
        String problem = StorableText.problem(text);
        if (problem != null) {
            throw new UnstorableTextException(problem);
        }
    }

    /** An instant as OutLayer's {@code TIMESTAMP} columns hold it: UTC, no zone. */
    public static LocalDateTime timestamp(Instant instant) {
        return instant == null ? null : LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    public static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toLocalDateTime().toInstant(ZoneOffset.UTC);
    }

    /** A u128 amount as a {@code NUMERIC} parameter. */
    public static BigDecimal numeric(BigInteger amount) {
        return amount == null ? null : new BigDecimal(amount);
    }

    /** A {@code NUMERIC} column as a whole amount (null stays null). */
    public static BigInteger amount(ResultSet rs, String column) throws SQLException {
        BigDecimal value = rs.getBigDecimal(column);
        return value == null ? null : value.toBigIntegerExact();
    }

    /** A value as the JSON a column keeps (a task, an output). */
    public static String json(Object value) {
        try {
            return JsonCodec.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(value.getClass().getSimpleName() + " is not serializable", e);
        }
    }

    /**
     * The JSON a column keeps, read back; a row that does not parse is a broken store, not bad input. Read
     * with {@link JsonCodec#STORED}: a row written by an earlier version, without a member added since, still reads.
     */
    public static <T> T fromJson(String json, Class<T> type) {
        try {
            return JsonCodec.STORED.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored " + type.getSimpleName() + " does not parse", e);
        }
    }

    @Override
    public void close() {
        try {
            pool.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the database pool failed", e);
        }
    }

    /**
     * A text value PostgreSQL's {@code text} cannot hold as it is ({@link StorableText}): the
     * caller's input, refused with a reason before the statement is sent. Its transaction rolls
     * back like any other failure.
     */
    public static final class UnstorableTextException extends ApiException {
        UnstorableTextException(String problem) {
            super(Kind.INVALID, "a text value holds " + problem + ", which the coordinator's database cannot store");
        }
    }

    /** The database failed or is unreachable; the cause says why (for the log, not for clients). */
    public static final class UnavailableException extends RuntimeException implements TransientFailure {
        UnavailableException(String operation, SQLException cause) {
            super("the coordinator's database failed during " + operation, cause);
        }
    }

    /**
     * The database refused the statement itself (its data, a constraint): trying it again refuses it
     * again. The cause says why (for the log, not for clients).
     */
    public static final class RefusedException extends RuntimeException {
        RefusedException(String operation, SQLException cause) {
            super("the coordinator's database refused " + operation + " (SQLState " + cause.getSQLState() + ")", cause);
        }
    }
}
