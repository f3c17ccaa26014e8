package dev.outlayer.bench.targetsystem.storage;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * OutLayer's project storage (its coordinator's {@code storage_data} and {@code storage_usage}, handlers/storage.rs):
 * rows of bytes the keystore encrypted, one per (project, account, key hash), written by the version ({@code
 * wasm_hash}) that wrote them last; and per (project, account) a usage row that each write recomputes. In memory
 * ({@link InMemoryProjectStorage}) or in PostgreSQL ({@link PostgresProjectStorage}). Each call is all or nothing.
 *
 * <p>The usage rows are OutLayer's, quirks included: {@link #set}, an inserting {@link #setIfAbsent}, an updating
 * {@link #setIfEquals} and a {@link #delete} that deleted recompute them; {@link #clearAll} zeroes an existing one;
 * {@link #clearVersion} leaves them as they were; {@link #clearProject} deletes them.
 */
public interface ProjectStorage {
    /** The account of a program's own storage, the one public reads see. */
    String WORKER_ACCOUNT = "@worker";

    /** Where a row lives: its project, account and key hash. */
    record Slot(String projectUuid, String accountId, String keyHash) {}

    /** What a write stores: {@code encrypted} false for public storage (plaintext key and value). */
    record Entry(Slot slot, String wasmHash, byte[] encryptedKey, byte[] encryptedValue, boolean encrypted) {}

    /** A stored row. */
    record Stored(String keyHash, byte[] encryptedKey, byte[] encryptedValue, String wasmHash, boolean encrypted) {
        long bytes() {
            return (long) encryptedKey.length + encryptedValue.length;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Stored s
                    && keyHash.equals(s.keyHash)
                    && Arrays.equals(encryptedKey, s.encryptedKey)
                    && Arrays.equals(encryptedValue, s.encryptedValue)
                    && wasmHash.equals(s.wasmHash)
                    && encrypted == s.encrypted;
        }

        @Override
        public int hashCode() {
            return keyHash.hashCode() * 31 + Arrays.hashCode(encryptedValue);
        }

        @Override
        public String toString() {
            return "Stored[" + keyHash + ", " + encryptedValue.length + " bytes by " + wasmHash + "]";
        }
    }

    /** A compare-and-swap's outcome: when not updated, the row as it is (empty when there is none). */
    record Swap(boolean updated, Optional<Stored> current) {}

    /** A page of a listing, oldest row first, and how many rows the project's account has. */
    record Listing(java.util.List<Stored> keys, long total) {}

    /** A usage row: the bytes of keys and values, and the number of keys. */
    record Usage(long totalBytes, int keyCount) {
        public static final Usage NONE = new Usage(0, 0);
    }

    /**
     * OutLayer's {@code storage_set}: inserts the row, or updates an existing one's value, version and public flag;
     * the key it was first stored with stays.
     */
    void set(Entry entry);

    /** OutLayer's {@code storage_set_if_absent}: inserts an encrypted row unless the slot has one; whether it did. */
    boolean setIfAbsent(Entry entry);

    /**
     * OutLayer's {@code storage_set_if_equals}: replaces key, value and version when the stored value is {@code
     * expected}; otherwise changes nothing and tells what is stored.
     */
    Swap setIfEquals(Slot slot, String wasmHash, byte[] expected, byte[] newKey, byte[] newValue);

    Optional<Stored> get(Slot slot);

    /**
     * OutLayer's {@code storage_get_by_version}: the row an account's key has under a version, in whichever project
     * (OutLayer's query names none); the oldest such row when several projects have one.
     */
    Optional<Stored> getByVersion(String wasmHash, String accountId, String keyHash);

    /** The rows of these key hashes that the slot's project and account have, by key hash. */
    Map<String, Stored> getAll(String projectUuid, String accountId, Collection<String> keyHashes);

    /** Deletes the row; whether there was one. */
    boolean delete(Slot slot);

    /** The account's rows in the project, oldest first, {@code limit} from {@code offset} (both at least 0). */
    Listing list(String projectUuid, String accountId, long limit, long offset);

    /** The usage row of the project's account ({@link Usage#NONE} without one). */
    Usage usage(String projectUuid, String accountId);

    /** The sums of the project's usage rows, all accounts. */
    Usage projectUsage(String projectUuid);

    /** Deletes the account's rows in the project; zeroes its usage row. */
    void clearAll(String projectUuid, String accountId);

    /** Deletes the account's rows written by the version, in every project; usage rows stay as they were. */
    void clearVersion(String wasmHash, String accountId);

    /** Deletes the project's rows and usage rows, every account's. */
    void clearProject(String projectUuid);
}
