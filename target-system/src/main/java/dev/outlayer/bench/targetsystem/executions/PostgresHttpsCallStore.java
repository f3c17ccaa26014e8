package dev.outlayer.bench.targetsystem.executions;

import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.all;
import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.amount;
import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.execute;
import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.instant;
import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.numeric;
import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.one;
import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.timestamp;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.json.RawJson;
import dev.outlayer.bench.targetsystem.payments.PaymentKeys;
import dev.outlayer.bench.targetsystem.payments.PostgresPaymentKeyStore;
import dev.outlayer.bench.targetsystem.payments.PostgresPaymentKeyUsage;
import dev.outlayer.bench.targetsystem.payments.PostgresProjectEarnings;
import dev.outlayer.bench.targetsystem.persistence.PostgresDatabase;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * HTTPS calls in PostgreSQL, OutLayer's {@code https_calls} (migration V8), charged in the same
 * transactions as OutLayer's {@code payment_key_balances}, {@code payment_key_usage} and {@code
 * project_owner_earnings}:
 *
 * <ul>
 *   <li>opening a call takes its key's balance row lock, counts the key's pending calls against
 *       its concurrency limit (so the limit holds across coordinators), reserves on the key (one
 *       conditional statement, see {@link PostgresPaymentKeyStore}) and inserts its pending row with a request id of OutLayer's
 *       {@code https_request_id_seq}, in one transaction: a refused reservation records nothing, and
 *       no reservation is left without its call;
 *   <li>finalizing it is one transaction that first moves the row out of {@code pending} ({@code
 *       UPDATE ... WHERE status = 'pending'}: of two coordinators, reports or timeouts only one
 *       gets the row), then charges the key, records the usage row and credits the owner. OutLayer
 *       updates the call and charges in two transactions; here a crash between them cannot leave
 *       a completed call uncharged.
 * </ul>
 */
public final class PostgresHttpsCallStore implements HttpsCallStore {
    private static final String COLUMNS = "call_id, owner, nonce, project_id, request_id, status, output_data,"
            + " error_message, instructions, time_ms, compute_cost, compute_limit, attached_deposit, created_at";

    private static final String INSERT = """
            INSERT INTO https_calls (call_id, owner, nonce, project_id, request_id, status, compute_limit,
                                     attached_deposit, created_at)
            VALUES (?, ?, ?, ?, nextval('https_request_id_seq'), 'pending', ?, ?, ?)
            RETURNING request_id""";

    private static final String FINALIZE = """
            UPDATE https_calls SET status = ?, output_data = ?, error_message = ?, instructions = ?, time_ms = ?,
                                   compute_cost = ?, completed_at = ?
            WHERE call_id = ? AND status = 'pending'""";

    /** Takes the key's balance row lock (making the row if need be): what orders the key's openings. */
    private static final String LOCK_KEY = """
            INSERT INTO payment_key_balances AS b (owner, nonce, created_at) VALUES (?, ?, ?)
            ON CONFLICT (owner, nonce) DO UPDATE SET owner = b.owner""";

    private static final String IN_FLIGHT =
            "SELECT count(*) FROM https_calls WHERE owner = ? AND nonce = ? AND status = 'pending'";

    private final PostgresDatabase db;

    public PostgresHttpsCallStore(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public long open(NewCall call) {
        return db.inTransaction("https call", connection -> {
            // the concurrency limit across coordinators: the key's pending calls counted under its row
            // lock, which every opening of the key takes first, so two cannot both see a free slot
            execute(connection, LOCK_KEY, call.key().owner(), call.key().nonce(), timestamp(call.createdAt()));
            long inFlight = one(
                            connection,
                            IN_FLIGHT,
                            rs -> rs.getLong(1),
                            call.key().owner(),
                            call.key().nonce())
                    .orElse(0L);
            if (inFlight >= call.maxInFlight()) {
                throw new ApiException(ApiException.Kind.TOO_MANY_REQUESTS, "Too many concurrent calls");
            }
            if (!PostgresPaymentKeyStore.reserve(
                    connection, call.key(), call.initialBalance(), call.reserved(), call.createdAt())) {
                throw PaymentKeys.insufficient(
                        PostgresPaymentKeyStore.available(connection, call.key(), call.initialBalance()),
                        call.reserved());
            }
            return one(
                            connection,
                            INSERT,
                            rs -> rs.getLong(1),
                            call.id(),
                            call.key().owner(),
                            call.key().nonce(),
                            call.projectId(),
                            numeric(call.computeLimit()),
                            numeric(call.deposit()),
                            timestamp(call.createdAt()))
                    .orElseThrow();
        });
    }

    @Override
    public Optional<StoredCall> find(UUID id) {
        return db.queryOptional(
                "https call", "SELECT " + COLUMNS + " FROM https_calls WHERE call_id = ?", this::call, id);
    }

    @Override
    public boolean finalize(StoredCall call, Finalization f) {
        return db.inTransaction("https call finalize", connection -> {
            int moved = execute(
                    connection,
                    FINALIZE,
                    f.status(),
                    f.output() == null ? null : f.output().text(),
                    f.error(),
                    f.instructions(),
                    f.timeMs(),
                    numeric(f.cost()),
                    timestamp(f.at()),
                    call.id());
            if (moved == 0) {
                return false;
            }
            PostgresPaymentKeyStore.settle(connection, call.key(), call.reserved(), f.spent(), f.at());
            if (f.cost() != null) {
                // a call that ran is charged and recorded; one that timed out or never queued is not
                PostgresPaymentKeyUsage.record(connection, call.key(), f.usage(call), f.error());
            }
            PostgresProjectEarnings.credit(connection, f.credit(call));
            return true;
        });
    }

    @Override
    public List<StoredCall> pendingSince(Instant before, int limit) {
        return db.queryList(
                "https calls pending",
                "SELECT " + COLUMNS + " FROM https_calls WHERE status = 'pending' AND created_at < ?"
                        + " ORDER BY created_at LIMIT ?",
                this::call,
                timestamp(before),
                limit);
    }

    @Override
    public Map<UUID, HttpsCalls.Answer> finalized(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return db.inTransaction("https calls finalized", connection -> {
            Map<UUID, HttpsCalls.Answer> answers = new HashMap<>();
            for (StoredCall call : all(
                    connection,
                    "SELECT " + COLUMNS + " FROM https_calls WHERE call_id = ANY(?) AND status <> 'pending'",
                    this::call,
                    connection.createArrayOf("uuid", ids.toArray()))) {
                answers.put(call.id(), call.answer());
            }
            return answers;
        });
    }

    @Override
    public boolean shared() {
        return true;
    }

    private StoredCall call(ResultSet rs) throws SQLException {
        UUID id = rs.getObject("call_id", UUID.class);
        BigInteger cost = amount(rs, "compute_cost");
        String output = rs.getString("output_data");
        HttpsCalls.Answer answer = new HttpsCalls.Answer(
                id.toString(),
                rs.getString("status"),
                output == null ? null : RawJson.written(output), // as it was written (SerdeJsonText)
                rs.getString("error_message"),
                cost == null ? null : cost.toString(),
                rs.getObject("instructions", Long.class),
                rs.getObject("time_ms", Long.class),
                null);
        return new StoredCall(
                id,
                new PaymentKeys.Id(rs.getString("owner"), rs.getLong("nonce")),
                rs.getString("project_id"),
                rs.getLong("request_id"),
                amount(rs, "compute_limit"),
                amount(rs, "attached_deposit"),
                instant(rs.getTimestamp("created_at")),
                answer);
    }
}
