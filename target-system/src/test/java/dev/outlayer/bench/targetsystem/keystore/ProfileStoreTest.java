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
    /** Stored by an earlier version, before patterns were bounded: it kept ~200 MB per profile. */
    static final String HOSTILE_ACCESS = "{\"AccountPattern\":{\"pattern\":\"(.{0,1000}){1000}x\"}}";

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
        ObjectNode record = profile(owner, name).toStoredJson();
        try {
            record.set("access", JsonCodec.MAPPER.readTree(HOSTILE_ACCESS));
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
            records.put("bob.near/garbage", "{not json");
            raw.commit();
        }

        try (ProfileStore store = ProfileStore.open(dir, 10)) {
            assertThat(store.get("alice.near", "good")).isPresent();
            assertThat(store.get("alice.near", "bomb")).isEmpty();
            assertThat(store.size()).isEqualTo(1);
            assertThat(store.quarantined()).isEqualTo(2);
        }
        try (MVStore raw = MVStore.open(file.toString())) {
            MVMap<String, String> quarantine = raw.openMap(ProfileStore.QUARANTINE);
            assertThat(quarantine.get("alice.near/bomb"))
                    .contains("AccountPattern.pattern repeats more than 64 times")
                    .contains("(.{0,1000}){1000}x");
            assertThat(raw.<String, String>openMap(ProfileStore.RECORDS).keySet())
                    .containsExactly("alice.near/good");
        }
        // And the next start has nothing left to set aside.
        try (ProfileStore store = ProfileStore.open(dir, 10)) {
            assertThat(store.size()).isEqualTo(1);
            assertThat(store.quarantined()).isEqualTo(2);
        }
    }

    @Test
    void profilesJsonOfEarlierVersionsIsMigratedOnceBadRecordsQuarantined() throws Exception {
        Path legacy = dir.resolve(ProfileStore.LEGACY_FILE_NAME);
        Files.writeString(
                legacy,
                "{\"version\":1,\"profiles\":[" + profile("alice.near", "a").toStoredJson() + ","
                        + profile("bob.near", "b").toStoredJson() + "," + hostileRecord("eve.near", "bomb") + "]}");

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
