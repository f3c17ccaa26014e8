package dev.outlayer.bench.targetsystem.payments;

import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.amount;
import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.execute;
import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.instant;
import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.numeric;
import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.one;
import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.timestamp;

import dev.outlayer.bench.targetsystem.persistence.PostgresDatabase;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The payment keys in PostgreSQL, OutLayer's {@code payment_keys} and {@code payment_key_balances}
 * (migration V8): a coordinator restart keeps them, and coordinators sharing the database share
 * them. A metadata change reads the row {@code FOR UPDATE} and writes it in the same transaction; a
 * reservation is one conditional {@code UPDATE} (the row lock orders concurrent reservations of
 * every coordinator, and each re-checks the balance it would leave), so no key is overspent.
 */
public final class PostgresPaymentKeyStore implements PaymentKeyStore {
    private static final String COLUMNS =
            "key_hash, initial_balance, project_ids, max_per_call, is_grant, deleted_at IS NOT NULL AS deleted";

    /** Both take the key's metadata, when, whether deleted (and when), the key's owner and nonce; an insert its creation time. */
    private static final String INSERT_KEY = """
            INSERT INTO payment_keys (key_hash, initial_balance, project_ids, max_per_call, is_grant, updated_at,
                                      deleted_at, owner, nonce, created_at)
            VALUES (?, ?, ?, ?, ?, ?, CASE WHEN ? THEN CAST(? AS TIMESTAMP) END, ?, ?, ?)
            ON CONFLICT (owner, nonce) DO NOTHING""";

    private static final String UPDATE_KEY = """
            UPDATE payment_keys SET key_hash = ?, initial_balance = ?, project_ids = ?, max_per_call = ?, is_grant = ?,
                                    updated_at = ?,
                                    deleted_at = CASE WHEN ? THEN COALESCE(deleted_at, ?) END
            WHERE owner = ? AND nonce = ?""";

    /**
     * OutLayer's try_reserve_balance as one statement: a new row reserves when the balance covers
     * the amount; an existing row only when initial - spent - reserved still covers it once its lock
     * is held (PostgreSQL re-checks the WHERE on the row a concurrent reservation left).
     */
    static final String RESERVE = """
            INSERT INTO payment_key_balances AS b (owner, nonce, spent, reserved, last_reserved_at, created_at)
            SELECT ?, ?, 0, ?, ?, ? WHERE ? >= ?
            ON CONFLICT (owner, nonce) DO UPDATE SET reserved = b.reserved + EXCLUDED.reserved,
                                                     last_reserved_at = EXCLUDED.last_reserved_at
            WHERE ? - b.spent - b.reserved >= EXCLUDED.reserved
            RETURNING 1""";

    static final String RELEASE = """
            UPDATE payment_key_balances SET reserved = GREATEST(0, reserved - ?), last_reserved_at = ?
            WHERE owner = ? AND nonce = ?""";

    static final String SETTLE = """
            INSERT INTO payment_key_balances AS b (owner, nonce, spent, reserved, last_used_at, created_at)
            VALUES (?, ?, ?, 0, ?, ?)
            ON CONFLICT (owner, nonce) DO UPDATE SET spent = b.spent + EXCLUDED.spent,
                                                     reserved = GREATEST(0, b.reserved - ?),
                                                     last_used_at = EXCLUDED.last_used_at""";

    /**
     * OutLayer's cleanup_stuck_reservations (background_jobs.rs), its cutoff from the coordinator's
     * clock (OutLayer: {@code NOW() - INTERVAL '1 second' * threshold}), which wrote last_reserved_at.
     */
    static final String CLEAR_STALE = """
            UPDATE payment_key_balances SET reserved = 0, last_reserved_at = NULL
            WHERE reserved <> 0 AND last_reserved_at IS NOT NULL AND last_reserved_at < ?""";

    /** OutLayer's list_grant_keys query (grant_keys.rs), ties in a fixed order. */
    static final String GRANT_KEYS = """
            SELECT pk.owner, pk.nonce, pk.initial_balance, pk.project_ids, pk.max_per_call, pk.created_at,
                   COALESCE(b.spent, 0) AS spent, COALESCE(b.reserved, 0) AS reserved
            FROM payment_keys pk
            LEFT JOIN payment_key_balances b ON pk.owner = b.owner AND pk.nonce = b.nonce
            WHERE pk.is_grant AND pk.deleted_at IS NULL
            ORDER BY pk.created_at DESC, pk.owner, pk.nonce""";

    private final PostgresDatabase db;
    private final Clock clock;

    public PostgresPaymentKeyStore(PostgresDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public Optional<PaymentKeys.Metadata> metadata(PaymentKeys.Id id) {
        return db.queryOptional(
                "payment key",
                "SELECT " + COLUMNS + " FROM payment_keys WHERE owner = ? AND nonce = ?",
                PostgresPaymentKeyStore::metadata,
                id.owner(),
                id.nonce());
    }

    @Override
    public PaymentKeys.Metadata update(PaymentKeys.Id id, UnaryOperator<PaymentKeys.Metadata> change) {
        while (true) {
            Written written = db.inTransaction("payment key update", connection -> {
                PaymentKeys.Metadata old = one(
                                connection,
                                "SELECT " + COLUMNS + " FROM payment_keys WHERE owner = ? AND nonce = ? FOR UPDATE",
                                PostgresPaymentKeyStore::metadata,
                                id.owner(),
                                id.nonce())
                        .orElse(null);
                PaymentKeys.Metadata next = change.apply(old);
                if (next == null || next.equals(old)) {
                    return new Written(true, next);
                }
                Instant now = clock.instant();
                Object[] row = {
                    next.keyHash(),
                    numeric(next.initialBalance()),
                    array(connection, next.projectIds()),
                    next.maxPerCall(),
                    next.grant(),
                    timestamp(now),
                    next.deleted(),
                    timestamp(now),
                    id.owner(),
                    id.nonce()
                };
                int rows = old != null
                        ? execute(connection, UPDATE_KEY, row)
                        : execute(connection, INSERT_KEY, append(row, timestamp(now)));
                // another coordinator created the key between our read and insert: read it again
                return new Written(rows == 1, next);
            });
            if (written.done()) {
                return written.value();
            }
        }
    }

    /** An update's end: done with its value, or not done when a concurrent insert won (read again). */
    private record Written(boolean done, PaymentKeys.Metadata value) {}

    @Override
    public Optional<BigInteger> reserve(PaymentKeys.Id id, BigInteger initialBalance, BigInteger amount) {
        Instant now = clock.instant();
        return db.inTransaction("reserve", connection -> {
            if (reserve(connection, id, initialBalance, amount, now)) {
                return Optional.empty();
            }
            return Optional.of(available(connection, id, initialBalance));
        });
    }

    /**
     * The reservation on a connection of a transaction under way (an HTTPS call's is made with its
     * row); true when reserved, false changing nothing when the balance does not cover it.
     */
    public static boolean reserve(
            Connection connection, PaymentKeys.Id id, BigInteger initialBalance, BigInteger amount, Instant now)
            throws SQLException {
        return one(
                        connection,
                        RESERVE,
                        rs -> true,
                        id.owner(),
                        id.nonce(),
                        numeric(amount),
                        timestamp(now),
                        timestamp(now),
                        numeric(initialBalance),
                        numeric(amount),
                        numeric(initialBalance))
                .isPresent();
    }

    /** What a reservation could take now (for the refusal's message). */
    public static BigInteger available(Connection connection, PaymentKeys.Id id, BigInteger initialBalance)
            throws SQLException {
        return PaymentKeys.available(initialBalance, balance(connection, id));
    }

    @Override
    public void release(PaymentKeys.Id id, BigInteger amount) {
        db.update("release", RELEASE, numeric(amount), timestamp(clock.instant()), id.owner(), id.nonce());
    }

    @Override
    public void settle(PaymentKeys.Id id, BigInteger reserved, BigInteger spent, Instant at) {
        db.inTransaction("settle", connection -> {
            settle(connection, id, reserved, spent, at);
            return null;
        });
    }

    /** finalize_call's balance step on a connection of a transaction under way. */
    public static void settle(
            Connection connection, PaymentKeys.Id id, BigInteger reserved, BigInteger spent, Instant at)
            throws SQLException {
        execute(
                connection,
                SETTLE,
                id.owner(),
                id.nonce(),
                numeric(spent),
                timestamp(at),
                timestamp(at),
                numeric(reserved));
    }

    @Override
    public int clearStaleReservations(Instant before) {
        return db.update("stale reservations", CLEAR_STALE, timestamp(before));
    }

    @Override
    public PaymentKeys.Balance balance(PaymentKeys.Id id) {
        return db.inTransaction("balance", connection -> balance(connection, id));
    }

    private static PaymentKeys.Balance balance(Connection connection, PaymentKeys.Id id) throws SQLException {
        return one(
                        connection,
                        "SELECT spent, reserved, last_used_at, last_reserved_at FROM payment_key_balances"
                                + " WHERE owner = ? AND nonce = ?",
                        rs -> new PaymentKeys.Balance(
                                amount(rs, "spent"),
                                amount(rs, "reserved"),
                                instant(rs.getTimestamp("last_used_at")),
                                instant(rs.getTimestamp("last_reserved_at"))),
                        id.owner(),
                        id.nonce())
                .orElse(PaymentKeys.Balance.EMPTY);
    }

    @Override
    public List<PaymentKeys.GrantKey> grantKeys() {
        return db.queryList(
                "grant keys",
                GRANT_KEYS,
                rs -> new PaymentKeys.GrantKey(
                        new PaymentKeys.Id(rs.getString("owner"), rs.getLong("nonce")),
                        amount(rs, "initial_balance"),
                        amount(rs, "spent"),
                        amount(rs, "reserved"),
                        projectIds(rs),
                        rs.getString("max_per_call"),
                        instant(rs.getTimestamp("created_at"))));
    }

    private static List<String> projectIds(ResultSet rs) throws SQLException {
        Array projects = rs.getArray("project_ids");
        return projects == null ? List.of() : List.of((String[]) projects.getArray());
    }

    private static PaymentKeys.Metadata metadata(ResultSet rs) throws SQLException {
        return new PaymentKeys.Metadata(
                rs.getString("key_hash"),
                amount(rs, "initial_balance"),
                projectIds(rs),
                rs.getString("max_per_call"),
                rs.getBoolean("is_grant"),
                rs.getBoolean("deleted"));
    }

    private static Object[] append(Object[] row, Object last) {
        Object[] longer = Arrays.copyOf(row, row.length + 1);
        longer[row.length] = last;
        return longer;
    }

    private static Array array(Connection connection, List<String> values) throws SQLException {
        return PostgresDatabase.textArray(connection, Objects.requireNonNull(values));
    }
}
