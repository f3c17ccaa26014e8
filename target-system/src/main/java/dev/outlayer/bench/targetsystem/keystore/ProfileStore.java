package dev.outlayer.bench.targetsystem.keystore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stored profiles: parsed in memory for reads, one record per profile in an H2 MVStore file for
 * restarts. A profile is one row of OutLayer's contract, keyed as its {@code SecretKey} is: (accessor,
 * profile, owner), so one owner may have a {@code default} for each repository, project and wasm hash.
 * A change writes only its own record and commits it (MVStore's commits are atomic:
 * a crash leaves the state before or after it) and syncs the file before the change is
 * acknowledged; memory changes only after that. A stored record that no longer loads (an access
 * condition a newer rule refuses, a damaged record) is moved to the {@code quarantine} map, logged,
 * and the rest is served: one bad record never stops a start. A {@code profiles.json} of earlier
 * versions is migrated on first start and renamed {@code profiles.json.migrated}. Records of versions that
 * keyed a profile by owner and name ({@code owner/profile}) carry their accessor: they are filed under their
 * row's key when the store opens, as are rows of versions that keyed a row by its spelling as written (see
 * {@link #load}).
 */
final class ProfileStore implements AutoCloseable {
    static final String FILE_NAME = "profiles.mv.db";
    static final String LEGACY_FILE_NAME = "profiles.json";
    static final String RECORDS = "profiles";
    static final String QUARANTINE = "quarantine";
    private static final Logger LOG = LoggerFactory.getLogger(ProfileStore.class);

    private final MVStore store;
    private final MVMap<String, String> records;
    private final MVMap<String, String> quarantine;
    private final boolean durable;
    private final int maxPerOwner;
    private final NavigableMap<String, SecretProfile> profiles = new ConcurrentSkipListMap<>();
    private final Map<String, Integer> perOwner = new HashMap<>();

    private ProfileStore(MVStore store, boolean durable, int maxPerOwner) {
        this.store = store;
        this.durable = durable;
        this.maxPerOwner = maxPerOwner;
        this.records = store.openMap(RECORDS);
        this.quarantine = store.openMap(QUARANTINE);
    }

    /** Opens the store in {@code dataDir}, or a memory-only store when it is null. */
    static ProfileStore open(Path dataDir, int maxPerOwner) {
        if (dataDir == null) {
            return new ProfileStore(new MVStore.Builder().autoCommitDisabled().open(), false, maxPerOwner);
        }
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the keystore directory " + dataDir, e);
        }
        Path file = dataDir.resolve(FILE_NAME);
        MVStore store = new MVStore.Builder()
                .fileName(file.toString())
                .autoCommitDisabled()
                .open();
        ProfileStore profiles = new ProfileStore(store, true, maxPerOwner);
        try {
            ownerOnly(file);
            profiles.migrate(dataDir.resolve(LEGACY_FILE_NAME));
            profiles.load();
        } catch (RuntimeException e) {
            store.closeImmediately();
            throw e;
        }
        LOG.info(
                "keystore: {} stored profiles loaded from {} ({} quarantined)",
                profiles.profiles.size(),
                file,
                profiles.quarantine.size());
        return profiles;
    }

    /**
     * Parses every record; one that fails is quarantined, the rest served. A record filed under another key than
     * its row's is moved to its row's key: an earlier version's {@code owner/profile}, or a row an earlier version
     * keyed by another spelling than the contract's one ({@link SecretProfile#canonical}: an upper-case wasm hash,
     * a nonce {@code 01}), re-spelled and keeping the seed its ciphertext was sealed to. Each row keeps one record:
     * the one filed under it already (written by this version), else the one updated last (the first in key order
     * of equals); every other record of the row is quarantined.
     */
    private void load() {
        boolean changed = false;
        Map<String, Refiled> refiled = new LinkedHashMap<>();
        for (Map.Entry<String, String> record : records.entrySet()) {
            try {
                SecretProfile stored = SecretProfile.fromStoredJson(JsonCodec.MAPPER.readTree(record.getValue()));
                SecretProfile row = stored.canonical();
                if (row != stored || !key(row).equals(record.getKey())) {
                    refiled.put(record.getKey(), new Refiled(row, row != stored));
                    continue;
                }
                profiles.put(record.getKey(), row);
                perOwner.merge(row.owner(), 1, Integer::sum);
            } catch (IOException | RuntimeException e) {
                quarantineRecord(record.getKey(), record.getValue(), reason(e));
                changed = true;
            }
        }
        Map<String, String> kept = new HashMap<>();
        refiled.forEach((from, stale) -> {
            String key = key(stale.row());
            String best = kept.get(key);
            if (!profiles.containsKey(key)
                    && (best == null
                            || refiled.get(best)
                                    .row()
                                    .updatedAt()
                                    .isBefore(stale.row().updatedAt()))) {
                kept.put(key, from);
            }
        });
        for (Map.Entry<String, Refiled> stale : refiled.entrySet()) {
            SecretProfile row = stale.getValue().row();
            String key = key(row);
            String raw = records.get(stale.getKey());
            changed = true;
            if (!stale.getKey().equals(kept.get(key))) {
                quarantineRecord(
                        stale.getKey(),
                        raw,
                        "an earlier version's record of the row " + key + ", which "
                                + (kept.containsKey(key)
                                        ? "the record of it updated last holds"
                                        : "a record of this version holds"));
                continue;
            }
            records.remove(stale.getKey());
            records.put(key, stale.getValue().respelled() ? row.toStoredJson().toString() : raw);
            profiles.put(key, row);
            perOwner.merge(row.owner(), 1, Integer::sum);
        }
        if (changed) {
            commit();
        }
    }

    /** A record to move to its row's key: the row, and whether its key was spelled otherwise in the record. */
    private record Refiled(SecretProfile row, boolean respelled) {}

    private static String reason(Exception cause) {
        return cause instanceof ApiException
                ? cause.getMessage()
                : cause.getClass().getSimpleName();
    }

    private void quarantineRecord(String key, String raw, String reason) {
        LOG.warn(
                "keystore: stored profile {} cannot be loaded ({}); moved to quarantine, the rest is served",
                key,
                reason);
        ObjectNode entry = JsonCodec.object();
        entry.put("reason", reason);
        entry.put("quarantined_at", Instant.now().toString());
        entry.put("record", raw);
        quarantine.put(key, entry.toString());
        records.remove(key);
    }

    /** Moves the records of a profiles.json (versions before the MVStore) in, once. */
    private void migrate(Path legacy) {
        if (!Files.exists(legacy)) {
            return;
        }
        JsonNode root;
        try {
            root = JsonCodec.MAPPER.readTree(legacy.toFile());
        } catch (IOException | RuntimeException e) {
            Path aside = legacy.resolveSibling(LEGACY_FILE_NAME + ".unreadable-" + System.currentTimeMillis());
            LOG.warn(
                    "keystore: {} cannot be read ({}); moved to {}",
                    legacy,
                    e.getClass().getSimpleName(),
                    aside);
            moveAside(legacy, aside);
            return;
        }
        int migrated = 0;
        for (JsonNode node : root.path("profiles")) {
            // Filed as that version keyed it (owner/profile): load() moves each to its row's key.
            String key =
                    node.path("owner").asText() + "/" + node.path("profile").asText();
            if (!records.containsKey(key)) {
                records.put(key, node.toString());
                migrated++;
            }
        }
        commit();
        moveAside(legacy, legacy.resolveSibling(LEGACY_FILE_NAME + ".migrated"));
        LOG.info("keystore: {} profiles migrated from {}", migrated, legacy);
    }

    /** Only ciphertexts are stored, but nobody else needs to read them. */
    private static void ownerOnly(Path file) {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot restrict " + file + " to its owner", e);
            }
        }
    }

    private static void moveAside(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + from + " aside", e);
        }
    }

    /** The row (accessor, profile, owner), exactly. */
    Optional<SecretProfile> get(String owner, String profile, SecretAccessor accessor) {
        return Optional.ofNullable(profiles.get(key(owner, profile, accessor)));
    }

    /** Every row of {@code owner} named {@code profile}, one per accessor, in key order. */
    List<SecretProfile> named(String owner, String profile) {
        // Profile names hold no '/' either: the rows of one name are one range too.
        String prefix = owner + "/" + profile;
        return List.copyOf(profiles.subMap(prefix + "/", prefix + "0").values());
    }

    List<SecretProfile> list(String owner) {
        // '/' sorts before '0', and account ids hold no '/': the owner's records are one range.
        return List.copyOf(profiles.subMap(owner + "/", owner + "0").values());
    }

    int size() {
        return profiles.size();
    }

    /** Stored records set aside at load. */
    int quarantined() {
        return quarantine.size();
    }

    /**
     * Stores or replaces; returns true when the profile is new. A new profile beyond the owner's
     * cap is refused (CONFLICT, 409: it holds until the owner deletes one) and nothing changes.
     */
    synchronized boolean put(SecretProfile profile) {
        String key = key(profile);
        boolean created = !profiles.containsKey(key);
        int owned = perOwner.getOrDefault(profile.owner(), 0);
        if (created && owned >= maxPerOwner) {
            throw new ApiException(
                    ApiException.Kind.CONFLICT,
                    profile.owner() + " already has " + owned + " profiles, the most one owner may store;"
                            + " delete one or replace an existing one");
        }
        records.put(key, profile.toStoredJson().toString());
        commitOrUndo();
        profiles.put(key, profile);
        if (created) {
            perOwner.merge(profile.owner(), 1, Integer::sum);
        }
        return created;
    }

    /**
     * Replaces {@code expected} with {@code replacement} only if it is still the stored record
     * (a read-modify-write such as /update_user_secrets): a profile changed or deleted meanwhile is
     * a CONFLICT (409) and nothing is written, so no concurrent change is lost. A replacement for another
     * accessor moves the row: it leaves {@code expected}'s key and takes its own, replacing a row stored
     * there, as OutLayer's {@code store_secrets} replaces the row of the key it writes.
     */
    synchronized void replace(SecretProfile expected, SecretProfile replacement) {
        String key = key(expected);
        if (profiles.get(key) != expected) {
            throw new ApiException(
                    ApiException.Kind.CONFLICT,
                    "profile '" + expected.profile() + "' of " + expected.owner()
                            + " changed while it was being updated; send the update again");
        }
        String target = key(replacement);
        boolean displaces = !target.equals(key) && profiles.containsKey(target);
        records.remove(key);
        records.put(target, replacement.toStoredJson().toString());
        commitOrUndo();
        profiles.remove(key);
        profiles.put(target, replacement);
        if (displaces) {
            perOwner.merge(expected.owner(), -1, (a, b) -> a + b == 0 ? null : a + b);
        }
    }

    synchronized boolean delete(SecretProfile row) {
        String key = key(row);
        if (!profiles.containsKey(key)) {
            return false;
        }
        records.remove(key);
        commitOrUndo();
        profiles.remove(key);
        perOwner.merge(row.owner(), -1, (a, b) -> a + b == 0 ? null : a + b);
        return true;
    }

    /** A failed commit leaves the map as it was, so a failed call changes no state. */
    private void commitOrUndo() {
        try {
            commit();
        } catch (RuntimeException e) {
            store.rollback();
            throw e;
        }
    }

    private void commit() {
        store.commit();
        if (durable) {
            store.sync();
        }
    }

    @Override
    public synchronized void close() {
        if (!store.isClosed()) {
            store.close();
        }
    }

    private static String key(SecretProfile profile) {
        return key(profile.owner(), profile.profile(), profile.scope().accessor());
    }

    /**
     * A row's key, OutLayer's {@code SecretKey} (accessor, profile, owner): {@code owner/profile/accessor}, the
     * accessor in its JSON form (the owner and the name hold no '/', so an owner's rows, and the rows of one
     * name, are each one range of keys).
     */
    static String key(String owner, String profile, SecretAccessor accessor) {
        return owner + "/" + profile + "/" + accessor.toJson();
    }
}
