package dev.outlayer.bench.targetsystem.storage;

import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.all;
import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.execute;
import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.one;

import dev.outlayer.bench.targetsystem.persistence.PostgresDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Project storage in PostgreSQL (migration V12), OutLayer's statements: each call in one transaction, where
 * OutLayer runs the write and the usage update as two (a crash between them cannot leave a stale usage row here).
 */
public final class PostgresProjectStorage implements ProjectStorage {
    private static final String COLUMNS = "key_hash, encrypted_key, encrypted_value, wasm_hash, is_encrypted";

    private static final String UPSERT = """
            INSERT INTO storage_data (project_uuid, wasm_hash, account_id, key_hash, encrypted_key, encrypted_value,
                                      is_encrypted)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (project_uuid, account_id, key_hash)
            DO UPDATE SET encrypted_value = EXCLUDED.encrypted_value, wasm_hash = EXCLUDED.wasm_hash,
                          is_encrypted = EXCLUDED.is_encrypted, updated_at = NOW()""";

    private static final String INSERT_IF_ABSENT = """
            INSERT INTO storage_data (project_uuid, wasm_hash, account_id, key_hash, encrypted_key, encrypted_value)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (project_uuid, account_id, key_hash) DO NOTHING""";

    private static final String SWAP = """
            UPDATE storage_data SET encrypted_key = ?, encrypted_value = ?, wasm_hash = ?, updated_at = NOW()
            WHERE project_uuid = ? AND account_id = ? AND key_hash = ? AND encrypted_value = ?""";

    private static final String IN_SLOT = " WHERE project_uuid = ? AND account_id = ? AND key_hash = ?";

    /** OutLayer's {@code update_project_usage}. */
    private static final String RECOUNT = """
            INSERT INTO storage_usage (project_uuid, account_id, total_bytes, key_count, updated_at)
            SELECT ?, ?, COALESCE(SUM(LENGTH(encrypted_key) + LENGTH(encrypted_value)), 0), COUNT(*)::INT, NOW()
            FROM storage_data WHERE project_uuid = ? AND account_id = ?
            ON CONFLICT (project_uuid, account_id)
            DO UPDATE SET total_bytes = EXCLUDED.total_bytes, key_count = EXCLUDED.key_count, updated_at = NOW()""";

    private final PostgresDatabase db;

    public PostgresProjectStorage(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public void set(Entry e) {
        db.inTransaction("storage set", connection -> {
            Slot s = e.slot();
            execute(
                    connection,
                    UPSERT,
                    s.projectUuid(),
                    e.wasmHash(),
                    s.accountId(),
                    s.keyHash(),
                    e.encryptedKey(),
                    e.encryptedValue(),
                    e.encrypted());
            recount(connection, s);
            return null;
        });
    }

    @Override
    public boolean setIfAbsent(Entry e) {
        return db.inTransaction("storage set-if-absent", connection -> {
            Slot s = e.slot();
            return recountIfChanged(
                    connection,
                    s,
                    execute(
                            connection,
                            INSERT_IF_ABSENT,
                            s.projectUuid(),
                            e.wasmHash(),
                            s.accountId(),
                            s.keyHash(),
                            e.encryptedKey(),
                            e.encryptedValue()));
        });
    }

    @Override
    public Swap setIfEquals(Slot s, String wasmHash, byte[] expected, byte[] newKey, byte[] newValue) {
        return db.inTransaction("storage set-if-equals", connection -> {
            int swapped = execute(
                    connection,
                    SWAP,
                    newKey,
                    newValue,
                    wasmHash,
                    s.projectUuid(),
                    s.accountId(),
                    s.keyHash(),
                    expected);
            if (recountIfChanged(connection, s, swapped)) {
                return new Swap(true, Optional.empty());
            }
            return new Swap(false, find(connection, s));
        });
    }

    @Override
    public Optional<Stored> get(Slot slot) {
        return db.inTransaction("storage get", connection -> find(connection, slot));
    }

    private static Optional<Stored> find(Connection connection, Slot s) throws SQLException {
        return one(
                connection,
                "SELECT " + COLUMNS + " FROM storage_data" + IN_SLOT,
                PostgresProjectStorage::stored,
                s.projectUuid(),
                s.accountId(),
                s.keyHash());
    }

    @Override
    public Optional<Stored> getByVersion(String wasmHash, String accountId, String keyHash) {
        return db.queryOptional(
                "storage get-by-version",
                "SELECT " + COLUMNS + " FROM storage_data WHERE wasm_hash = ? AND account_id = ? AND key_hash = ?"
                        + " ORDER BY id LIMIT 1",
                PostgresProjectStorage::stored,
                wasmHash,
                accountId,
                keyHash);
    }

    @Override
    public Map<String, Stored> getAll(String projectUuid, String accountId, Collection<String> keyHashes) {
        return db.inTransaction("storage batch", connection -> {
            Map<String, Stored> found = new HashMap<>();
            for (Stored row : all(
                    connection,
                    "SELECT " + COLUMNS
                            + " FROM storage_data WHERE project_uuid = ? AND account_id = ? AND key_hash = ANY(?)",
                    PostgresProjectStorage::stored,
                    projectUuid,
                    accountId,
                    PostgresDatabase.textArray(connection, List.copyOf(keyHashes)))) {
                found.put(row.keyHash(), row);
            }
            return found;
        });
    }

    @Override
    public boolean delete(Slot s) {
        return db.inTransaction(
                "storage delete",
                connection -> recountIfChanged(
                        connection,
                        s,
                        execute(
                                connection,
                                "DELETE FROM storage_data" + IN_SLOT,
                                s.projectUuid(),
                                s.accountId(),
                                s.keyHash())));
    }

    @Override
    public Listing list(String projectUuid, String accountId, long limit, long offset) {
        return db.inTransaction("storage list", connection -> {
            long total = one(
                            connection,
                            "SELECT count(*) FROM storage_data WHERE project_uuid = ? AND account_id = ?",
                            rs -> rs.getLong(1),
                            projectUuid,
                            accountId)
                    .orElse(0L);
            List<Stored> keys = all(
                    connection,
                    "SELECT " + COLUMNS + " FROM storage_data WHERE project_uuid = ? AND account_id = ?"
                            + " ORDER BY created_at, id LIMIT ? OFFSET ?",
                    PostgresProjectStorage::stored,
                    projectUuid,
                    accountId,
                    limit,
                    offset);
            return new Listing(keys, total);
        });
    }

    @Override
    public Usage usage(String projectUuid, String accountId) {
        return db.queryOptional(
                        "storage usage",
                        "SELECT total_bytes, key_count FROM storage_usage WHERE project_uuid = ? AND account_id = ?",
                        PostgresProjectStorage::usage,
                        projectUuid,
                        accountId)
                .orElse(Usage.NONE);
    }

    @Override
    public Usage projectUsage(String projectUuid) {
        return db.queryOptional(
                        "project storage usage",
                        "SELECT COALESCE(SUM(total_bytes), 0)::BIGINT, COALESCE(SUM(key_count), 0)::INT"
                                + " FROM storage_usage WHERE project_uuid = ?",
                        PostgresProjectStorage::usage,
                        projectUuid)
                .orElse(Usage.NONE);
    }

    @Override
    public void clearAll(String projectUuid, String accountId) {
        db.inTransaction("storage clear-all", connection -> {
            execute(
                    connection,
                    "DELETE FROM storage_data WHERE project_uuid = ? AND account_id = ?",
                    projectUuid,
                    accountId);
            execute(
                    connection,
                    "UPDATE storage_usage SET total_bytes = 0, key_count = 0, updated_at = NOW()"
                            + " WHERE project_uuid = ? AND account_id = ?",
                    projectUuid,
                    accountId);
            return null;
        });
    }

    @Override
    public void clearVersion(String wasmHash, String accountId) {
        db.update(
                "storage clear-version",
                "DELETE FROM storage_data WHERE wasm_hash = ? AND account_id = ?",
                wasmHash,
                accountId);
    }

    @Override
    public void clearProject(String projectUuid) {
        db.inTransaction("storage clear-project", connection -> {
            execute(connection, "DELETE FROM storage_data WHERE project_uuid = ?", projectUuid);
            execute(connection, "DELETE FROM storage_usage WHERE project_uuid = ?", projectUuid);
            return null;
        });
    }

    /** Recounts the slot's usage row when the statement changed a row, as OutLayer's handlers do; whether it did. */
    private static boolean recountIfChanged(Connection connection, Slot s, int changedRows) throws SQLException {
        if (changedRows > 0) {
            recount(connection, s);
        }
        return changedRows > 0;
    }

    private static void recount(Connection connection, Slot s) throws SQLException {
        execute(connection, RECOUNT, s.projectUuid(), s.accountId(), s.projectUuid(), s.accountId());
    }

    private static Stored stored(ResultSet rs) throws SQLException {
        return new Stored(
                rs.getString("key_hash"),
                rs.getBytes("encrypted_key"),
                rs.getBytes("encrypted_value"),
                rs.getString("wasm_hash"),
                rs.getBoolean("is_encrypted"));
    }

    private static Usage usage(ResultSet rs) throws SQLException {
        return new Usage(rs.getLong(1), rs.getInt(2));
    }
}
