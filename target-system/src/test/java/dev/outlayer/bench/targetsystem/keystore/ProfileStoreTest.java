package dev.outlayer.bench.targetsystem.keystore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.io.InputStream;
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

    static final SecretAccessor REPO = new SecretAccessor.Repo("github.com/a/b", null);

    static SecretProfile profile(String owner, String name) {
        return profile(owner, name, REPO);
    }

    static SecretProfile profile(String owner, String name, SecretAccessor accessor) {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        return new SecretProfile(
                owner, name, new Scope(accessor, owner, name), "AAAA", new AccessCondition.AllowAll(), now, now);
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

    /**
     * Writes the fixture's records, as a version that keyed a profile by owner and name wrote them ({@code
     * owner/profile}), into {@code dataDir}'s store file; the fixture (its master secret seals the ciphertexts).
     */
    static JsonNode ownerAndNameKeyedFixture(Path dataDir) throws Exception {
        return recordsFixture(dataDir, "records-keyed-by-owner-and-name.json");
    }

    /**
     * Writes the records of the fixture {@code resource} (under {@code /keystore/}) into {@code dataDir}'s store
     * file, each under the key it gives; the fixture (its master secret seals the ciphertexts).
     */
    static JsonNode recordsFixture(Path dataDir, String resource) throws Exception {
        JsonNode fixture;
        try (InputStream in = ProfileStoreTest.class.getResourceAsStream("/keystore/" + resource)) {
            fixture = JsonCodec.MAPPER.readTree(in);
        }
        Files.createDirectories(dataDir);
        try (MVStore raw = MVStore.open(dataDir.resolve(ProfileStore.FILE_NAME).toString())) {
            MVMap<String, String> records = raw.openMap(ProfileStore.RECORDS);
            fixture.path("records")
                    .fields()
                    .forEachRemaining(record ->
                            records.put(record.getKey(), record.getValue().toString()));
            raw.commit();
        }
        return fixture;
    }

    @Test
    void recordsKeyedByOwnerAndNameAreFiledUnderTheirRowsWhenTheStoreOpens() throws Exception {
        ownerAndNameKeyedFixture(dir);
        SecretAccessor repo = new SecretAccessor.Repo("github.com/alice/agent", null);
        SecretAccessor main = new SecretAccessor.Repo("github.com/alice/agent", "main");
        SecretAccessor project = new SecretAccessor.Project("alice.near/agent");
        try (ProfileStore store = ProfileStore.open(dir, 10)) {
            assertThat(store.quarantined()).isZero();
            assertThat(store.get("alice.near", "default", repo)).isPresent();
            assertThat(store.get("alice.near", "main-only", main)).isPresent();
            assertThat(store.get("alice.near", "main-only", repo))
                    .as("a row is its accessor's")
                    .isEmpty();
            assertThat(store.get("alice.near", "agent", project))
                    .get()
                    .extracting(
                            p -> p.access().toJson().toString(),
                            p -> p.createdAt().toString())
                    .containsExactly("{\"Whitelist\":{\"accounts\":[\"bob.near\"]}}", "2026-01-02T03:04:06Z");
            assertThat(store.put(profile("alice.near", "default", project)))
                    .as("a name of the earlier store is free for another accessor")
                    .isTrue();
            assertThat(store.named("alice.near", "default"))
                    .extracting(p -> p.scope().accessor())
                    .containsExactly(project, repo);
        }
        try (MVStore raw = MVStore.open(dir.resolve(ProfileStore.FILE_NAME).toString())) {
            assertThat(raw.<String, String>openMap(ProfileStore.RECORDS).keySet())
                    .containsExactlyInAnyOrder(
                            ProfileStore.key("alice.near", "default", repo),
                            ProfileStore.key("alice.near", "default", project),
                            ProfileStore.key("alice.near", "main-only", main),
                            ProfileStore.key("alice.near", "agent", project));
        }
        try (ProfileStore store = ProfileStore.open(dir, 10)) {
            assertThat(store.size()).isEqualTo(4);
            assertThat(store.list("alice.near")).hasSize(4);
        }
    }

    /**
     * Rows an earlier version keyed as their store request spelled them (the fixture: an upper-case wasm hash, a
     * nonce {@code 01}) are filed under OutLayer's contract spelling of their key when the store opens, each keeping
     * the seed its ciphertext was sealed to. Of two spellings of one row the one already filed under it is kept (as
     * for an earlier version's record of a row this one holds), else the one updated last; the other is quarantined.
     */
    @Test
    void rowsKeyedByAnotherSpellingAreFiledUnderTheContractsKeepingTheSeedTheyWereSealedTo() throws Exception {
        recordsFixture(dir, "records-keyed-as-spelled.json");
        SecretAccessor paymentKey = new SecretAccessor.System(SecretAccessor.System.PAYMENT_KEY);
        SecretAccessor ab = new SecretAccessor.WasmHash("ab".repeat(32));
        SecretAccessor cd = new SecretAccessor.WasmHash("cd".repeat(32));
        for (int start = 0; start < 2; start++) {
            try (ProfileStore store = ProfileStore.open(dir, 10)) {
                SecretProfile upper = store.get("alice.near", "default", ab).orElseThrow();
                assertThat(upper.scope().accessor()).isEqualTo(ab);
                assertThat(upper.seed()).isEqualTo("wasm_hash:" + "AB".repeat(32) + ":alice.near");
                SecretProfile one = store.get("alice.near", "1", paymentKey).orElseThrow();
                assertThat(one.profile()).isEqualTo("1");
                assertThat(one.seed()).isEqualTo("system:payment_key:alice.near:01");
                assertThat(store.get("alice.near", "2", paymentKey)
                                .orElseThrow()
                                .seed())
                        .as("of two spellings, the one updated last")
                        .isEqualTo("system:payment_key:alice.near:002");
                assertThat(store.get("alice.near", "other", cd).orElseThrow().seed())
                        .as("the one filed under the row already, though updated before the other")
                        .isEqualTo("wasm_hash:" + "cd".repeat(32) + ":alice.near");
                assertThat(store.named("alice.near", "01")).isEmpty();
                assertThat(store.list("alice.near")).hasSize(4);
                assertThat(store.quarantined()).isEqualTo(2);
            }
        }
        try (MVStore raw = MVStore.open(dir.resolve(ProfileStore.FILE_NAME).toString())) {
            assertThat(raw.<String, String>openMap(ProfileStore.RECORDS).keySet())
                    .containsExactlyInAnyOrder(
                            ProfileStore.key("alice.near", "default", ab),
                            ProfileStore.key("alice.near", "1", paymentKey),
                            ProfileStore.key("alice.near", "2", paymentKey),
                            ProfileStore.key("alice.near", "other", cd));
            MVMap<String, String> quarantine = raw.openMap(ProfileStore.QUARANTINE);
            assertThat(quarantine.get(ProfileStore.key("alice.near", "02", paymentKey)))
                    .contains("the record of it updated last holds");
            assertThat(quarantine.get(
                            ProfileStore.key("alice.near", "other", new SecretAccessor.WasmHash("CD".repeat(32)))))
                    .contains("a record of this version holds");
        }
    }

    /** A store opened by an earlier version again after this one: its older record of a row this one holds is set aside. */
    @Test
    void anEarlierVersionsRecordOfARowThisVersionHoldsIsQuarantined() {
        SecretProfile current = profile("alice.near", "default");
        try (MVStore raw = MVStore.open(dir.resolve(ProfileStore.FILE_NAME).toString())) {
            MVMap<String, String> records = raw.openMap(ProfileStore.RECORDS);
            records.put(
                    ProfileStore.key("alice.near", "default", REPO),
                    current.toStoredJson().toString());
            records.put(
                    "alice.near/default",
                    current.toStoredJson()
                            .put("encrypted_secrets_base64", "BBBB")
                            .toString());
            raw.commit();
        }
        try (ProfileStore store = ProfileStore.open(dir, 10)) {
            assertThat(store.size()).isEqualTo(1);
            assertThat(store.get("alice.near", "default", REPO).orElseThrow().encryptedSecretsBase64())
                    .isEqualTo("AAAA");
            assertThat(store.quarantined()).isEqualTo(1);
        }
        try (MVStore raw = MVStore.open(dir.resolve(ProfileStore.FILE_NAME).toString())) {
            assertThat(raw.<String, String>openMap(ProfileStore.QUARANTINE).get("alice.near/default"))
                    .contains("an earlier version's record of the row");
        }
    }

    @Test
    void aNameIsARowPerAccessorAndTheCapCountsRows() {
        SecretAccessor other = new SecretAccessor.Repo("github.com/a/c", null);
        SecretAccessor project = new SecretAccessor.Project("alice.near/p");
        try (ProfileStore store = ProfileStore.open(dir, 3)) {
            assertThat(store.put(profile("alice.near", "default", REPO))).isTrue();
            assertThat(store.put(profile("alice.near", "default", other))).isTrue();
            assertThat(store.put(profile("alice.near", "default", project))).isTrue();
            assertThatThrownBy(() -> store.put(profile("alice.near", "other", REPO)))
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.kind()).isEqualTo(ApiException.Kind.CONFLICT))
                    .hasMessageContaining("alice.near already has 3 profiles");
            assertThat(store.put(profile("alice.near", "default", other))).isFalse();
            assertThat(store.delete(profile("alice.near", "default", other))).isTrue();
            assertThat(store.get("alice.near", "default", other)).isEmpty();
            assertThat(store.named("alice.near", "default")).hasSize(2);
            assertThat(store.put(profile("alice.near", "other", REPO))).isTrue();
        }
    }

    /** A move (/update_user_secrets' new_accessor) leaves its row and replaces a row stored at the target. */
    @Test
    void aMovedRowReplacesTheRowAtItsNewAccessor() {
        SecretAccessor target = new SecretAccessor.Project("alice.near/p");
        try (ProfileStore store = ProfileStore.open(dir, 2)) {
            SecretProfile moving = profile("alice.near", "default", REPO);
            store.put(moving);
            store.put(profile("alice.near", "default", target));
            SecretProfile moved = profile("alice.near", "default", target);
            store.replace(moving, moved);
            assertThat(store.named("alice.near", "default")).containsExactly(moved);
            assertThat(store.put(profile("alice.near", "second", REPO)))
                    .as("the row the move replaced no longer counts")
                    .isTrue();
        }
        try (ProfileStore store = ProfileStore.open(dir, 2)) {
            assertThat(store.size()).isEqualTo(2);
            assertThat(store.get("alice.near", "default", REPO)).isEmpty();
        }
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
            assertThat(store.get("alice.near", "good", REPO)).isPresent();
            assertThat(store.get("alice.near", "bomb", REPO))
                    .as("loaded without compiling its pattern (the door refuses it, uncompiled)")
                    .isPresent();
            assertThat(store.get("alice.near", "odd", REPO)).isEmpty();
            assertThat(store.size()).isEqualTo(2);
            assertThat(store.quarantined()).isEqualTo(2);
        }
        try (MVStore raw = MVStore.open(file.toString())) {
            MVMap<String, String> quarantine = raw.openMap(ProfileStore.QUARANTINE);
            assertThat(quarantine.get("alice.near/odd"))
                    .contains("Whitelist.accounts must be an array")
                    .contains("\\\"accounts\\\":\\\"alice.near\\\"");
            assertThat(raw.<String, String>openMap(ProfileStore.RECORDS).keySet())
                    .as("filed under their rows' keys")
                    .containsExactlyInAnyOrder(
                            ProfileStore.key("alice.near", "good", REPO), ProfileStore.key("alice.near", "bomb", REPO));
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
            assertThat(store.delete(profile("alice.near", "one"))).isTrue();
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
