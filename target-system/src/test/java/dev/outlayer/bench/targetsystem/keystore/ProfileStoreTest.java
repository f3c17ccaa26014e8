package dev.outlayer.bench.targetsystem.keystore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The profile store: a record per profile in MVStore, quarantine of bad records, migration, the cap per owner. */
class ProfileStoreTest {
    /**
     * Stored by an earlier version, before patterns were bounded: compiled at load, it kept ~200 MB per
     * profile. Patterns are now compiled only when judged, within the budget, so it loads.
     */
    static final String HOSTILE_ACCESS = "{\"AccountPattern\":{\"pattern\":\"(.{0,1000}){1000}x\"}}";
    /** A record this version cannot read as a condition at all. */
    static final String UNREADABLE_ACCESS = "{\"Whitelist\":{\"accounts\":\"alice.near\"}}";

    @TempDir
    Path dir;

    static SecretProfile profile(String owner, String name) {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        return new SecretProfile(
                owner,
                name,
                new Scope("github.com/a/b", owner, null),
                "AAAA",
                new AccessCondition.AllowAll(),
                now,
                now);
    }

    static String hostileRecord(String owner, String name) {
        return recordWith(owner, name, HOSTILE_ACCESS);
    }

    static String unreadableRecord(String owner, String name) {
        return recordWith(owner, name, UNREADABLE_ACCESS);
    }

    private static String recordWith(String owner, String name, String access) {
        ObjectNode record = profile(owner, name).toStoredJson();
        try {
            record.set("access", JsonCodec.MAPPER.readTree(access));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return record.toString();
    }

    @Test
    void aRecordThatNoLongerLoadsIsQuarantinedAndTheRestServed() {
        Path file = dir.resolve(ProfileStore.FILE_NAME);
        try (MVStore raw = MVStore.open(file.toString())) {
            MVMap<String, String> records = raw.openMap(ProfileStore.RECORDS);
            records.put(
                    "alice.near/good",
                    profile("alice.near", "good").toStoredJson().toString());
            records.put("alice.near/bomb", hostileRecord("alice.near", "bomb"));
            records.put("alice.near/odd", unreadableRecord("alice.near", "odd"));
            records.put("bob.near/garbage", "{not json");
            raw.commit();
        }

        try (ProfileStore store = ProfileStore.open(dir, 10)) {
            assertThat(store.get("alice.near", "good")).isPresent();
            assertThat(store.get("alice.near", "bomb"))
                    .as("loaded without compiling its pattern (the door refuses it, uncompiled)")
                    .isPresent();
            assertThat(store.get("alice.near", "odd")).isEmpty();
            assertThat(store.size()).isEqualTo(2);
            assertThat(store.quarantined()).isEqualTo(2);
        }
        try (MVStore raw = MVStore.open(file.toString())) {
            MVMap<String, String> quarantine = raw.openMap(ProfileStore.QUARANTINE);
            assertThat(quarantine.get("alice.near/odd"))
                    .contains("Whitelist.accounts must be an array")
                    .contains("\\\"accounts\\\":\\\"alice.near\\\"");
            assertThat(raw.<String, String>openMap(ProfileStore.RECORDS).keySet())
                    .containsExactlyInAnyOrder("alice.near/good", "alice.near/bomb");
        }
        // And the next start has nothing left to set aside.
        try (ProfileStore store = ProfileStore.open(dir, 10)) {
            assertThat(store.size()).isEqualTo(2);
            assertThat(store.quarantined()).isEqualTo(2);
        }
    }

    @Test
    void profilesJsonOfEarlierVersionsIsMigratedOnceBadRecordsQuarantined() throws Exception {
        Path legacy = dir.resolve(ProfileStore.LEGACY_FILE_NAME);
        Files.writeString(
                legacy,
                "{\"version\":1,\"profiles\":[" + profile("alice.near", "a").toStoredJson() + ","
                        + profile("bob.near", "b").toStoredJson() + "," + unreadableRecord("eve.near", "bomb") + "]}");

        try (ProfileStore store = ProfileStore.open(dir, 10)) {
            assertThat(store.list("alice.near"))
                    .extracting(SecretProfile::profile)
                    .containsExactly("a");
            assertThat(store.list("bob.near"))
                    .extracting(SecretProfile::profile)
                    .containsExactly("b");
            assertThat(store.size()).isEqualTo(2);
            assertThat(store.quarantined()).isEqualTo(1);
        }
        assertThat(legacy).doesNotExist();
        assertThat(dir.resolve(ProfileStore.LEGACY_FILE_NAME + ".migrated")).exists();
        try (ProfileStore store = ProfileStore.open(dir, 10)) {
            assertThat(store.size()).isEqualTo(2);
        }
    }

    @Test
    void anUnreadableProfilesJsonIsMovedAsideNotFatal() throws Exception {
        Files.writeString(dir.resolve(ProfileStore.LEGACY_FILE_NAME), "{\"profiles\":[{");
        try (ProfileStore store = ProfileStore.open(dir, 10)) {
            assertThat(store.size()).isZero();
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(name -> name.startsWith(ProfileStore.LEGACY_FILE_NAME + ".unreadable-"));
        }
    }

    @Test
    void anOwnerBeyondTheCapGets409AndNothingChanges() {
        try (ProfileStore store = ProfileStore.open(dir, 2)) {
            assertThat(store.put(profile("alice.near", "one"))).isTrue();
            assertThat(store.put(profile("alice.near", "two"))).isTrue();
            assertThatThrownBy(() -> store.put(profile("alice.near", "three")))
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.kind()).isEqualTo(ApiException.Kind.CONFLICT))
                    .hasMessageContaining("alice.near already has 2 profiles");
            // Replacing one is no new profile; another owner has a cap of their own.
            assertThat(store.put(profile("alice.near", "two"))).isFalse();
            assertThat(store.put(profile("bob.near", "one"))).isTrue();
            assertThat(store.list("alice.near"))
                    .extracting(SecretProfile::profile)
                    .containsExactly("one", "two");
        }
        try (ProfileStore store = ProfileStore.open(dir, 2)) {
            assertThat(store.size()).isEqualTo(3);
            assertThatThrownBy(() -> store.put(profile("alice.near", "three"))).isInstanceOf(ApiException.class);
            assertThat(store.delete("alice.near", "one")).isTrue();
            assertThat(store.put(profile("alice.near", "three"))).isTrue();
        }
    }

    @Test
    void listingIsTheOwnersRangeOnly() {
        try (ProfileStore store = ProfileStore.open(null, 10)) {
            store.put(profile("alice", "x"));
            store.put(profile("alice.near", "y"));
            store.put(profile("alice-near", "z"));
            store.put(profile("alice0", "w"));
            assertThat(store.list("alice")).extracting(SecretProfile::profile).containsExactly("x");
            assertThat(store.list("alice.near"))
                    .extracting(SecretProfile::profile)
                    .containsExactly("y");
        }
    }
}
