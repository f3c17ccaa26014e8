package dev.outlayer.bench.targetsystem.keystore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.timing.PhaseTimer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keystore without a server: credentials, store, access-checked decrypt, restarts; refusals are typed. */
class KeystoreServiceTest {
    static final String REPO = "github.com/alice/agent";
    static final String SECRET_VALUE = "sk-live-very-secret-4242";
    static final String SECRETS = "{\"API_KEY\":\"" + SECRET_VALUE + "\"}";
    static final Scope SCOPE = new Scope(REPO, "alice.near", null);

    @TempDir
    Path dir;

    KeystoreService keystore;

    /** Records the phase names it is given. */
    static final class Phases implements PhaseTimer {
        final List<String> names = new ArrayList<>();

        @Override
        public PhaseTimer add(String phase, long nanos) {
            names.add(phase);
            return this;
        }
    }

    @AfterEach
    void stop() {
        keystore.close();
    }

    @BeforeEach
    void start() throws Exception {
        Files.writeString(dir.resolve("api-keys.csv"), "api_key,tier,owner\nalice-key,standard,alice.near\n");
        keystore = open("");
    }

    KeystoreService open(String masterSecretHex) {
        return openWithCap(masterSecretHex, KeystoreConfig.DEFAULT_MAX_PROFILES_PER_OWNER);
    }

    String encrypt(KeystoreService service, Scope scope, String plaintext) {
        byte[] publicKey = HexFormat.of().parseHex(service.publicKeyHex(scope));
        return Base64.getEncoder().encodeToString(Ecies.encrypt(publicKey, plaintext.getBytes(StandardCharsets.UTF_8)));
    }

    KeystoreService.Stored store(String profile, String access) throws Exception {
        return keystore.store(
                "alice.near", profile, SCOPE, encrypt(keystore, SCOPE, SECRETS), json(access), PhaseTimer.NONE);
    }

    static JsonNode json(String text) throws Exception {
        return JsonCodec.MAPPER.readTree(text);
    }

    static void assertRefused(Runnable call, ApiException.Kind kind, String message) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.kind()).isEqualTo(kind))
                .hasMessageContaining(message)
                .hasMessageNotContaining(SECRET_VALUE);
    }

    @Test
    void credentialsAreCheckedAndRefusalsAreTyped() {
        keystore.requireOwner("alice-key", "alice.near");
        assertRefused(
                () -> keystore.requireOwner(null, "alice.near"),
                ApiException.Kind.UNAUTHENTICATED,
                "API key is required");
        assertRefused(
                () -> keystore.requireOwner("nope", "alice.near"),
                ApiException.Kind.UNAUTHENTICATED,
                "unknown API key");
        assertRefused(
                () -> keystore.requireOwner("alice-key", "bob.near"),
                ApiException.Kind.FORBIDDEN,
                "belongs to alice.near");
        keystore.requireWorker("worker");
        assertRefused(() -> keystore.requireWorker("alice-key"), ApiException.Kind.UNAUTHENTICATED, "worker token");
    }

    @Test
    void storeThenDecryptChecksTheAccessConditionAndTimesItsPhases() throws Exception {
        Phases storing = new Phases();
        KeystoreService.Stored stored = keystore.store(
                "alice.near",
                "team",
                SCOPE,
                encrypt(keystore, SCOPE, SECRETS),
                json("{\"Whitelist\":{\"accounts\":[\"bob.near\"]}}"),
                storing);
        assertThat(stored.created()).isTrue();
        assertThat(storing.names).containsExactly("verify", "store");
        assertThat(store("team", "\"AllowAll\"").created()).isFalse();
        store("team", "{\"Whitelist\":{\"accounts\":[\"bob.near\"]}}");

        Phases decrypting = new Phases();
        assertThat(new String(keystore.decrypt(SCOPE, "team", "bob.near", decrypting), StandardCharsets.UTF_8))
                .isEqualTo(SECRETS);
        assertThat(decrypting.names).containsExactly("lookup", "access", "decrypt");
        assertRefused(
                () -> keystore.decrypt(SCOPE, "team", "mallory.near", PhaseTimer.NONE),
                ApiException.Kind.FORBIDDEN,
                "Access denied by access condition");
        assertRefused(
                () -> keystore.decrypt(SCOPE, "nope", "bob.near", PhaseTimer.NONE),
                ApiException.Kind.NOT_FOUND,
                "no profile");
        assertRefused(
                () -> keystore.decrypt(SCOPE, "team", "Not An Account", PhaseTimer.NONE),
                ApiException.Kind.INVALID,
                "user_account_id");
    }

    @Test
    void badStoresAreInvalidAndStoreNothing() throws Exception {
        String other = encrypt(keystore, new Scope("github.com/alice/other", "alice.near", null), SECRETS);
        assertRefused(() -> storeQuietly("p", other, "\"AllowAll\""), ApiException.Kind.INVALID, "another scope");
        assertRefused(() -> storeQuietly("p", "%%%", "\"AllowAll\""), ApiException.Kind.INVALID, "not valid base64");
        String reserved = encrypt(keystore, SCOPE, "{\"NEAR_SENDER_ID\":\"" + SECRET_VALUE + "\"}");
        assertRefused(() -> storeQuietly("p", reserved, "\"AllowAll\""), ApiException.Kind.INVALID, "reserved");
        String good = encrypt(keystore, SCOPE, SECRETS);
        assertRefused(() -> storeQuietly("p", good, "{\"NearBalance\":{}}"), ApiException.Kind.INVALID, "operator");
        assertRefused(
                () -> storeQuietly("bad name!", good, "\"AllowAll\""),
                ApiException.Kind.INVALID,
                "profile must be 1\u201364 bytes of letters, digits, '-' or '_' (it contains ' ')");
        assertThat(keystore.list("alice.near")).isEmpty();
    }

    private void storeQuietly(String profile, String ciphertext, String access) {
        try {
            keystore.store("alice.near", profile, SCOPE, ciphertext, json(access), PhaseTimer.NONE);
        } catch (ApiException e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Closes the keystore, writes alice's rows (profile to access condition, each a ciphertext of {@link
     * #SECRETS} for {@link #SCOPE}) straight to its profile store, as the store of an older keystore held
     * them, and opens it again.
     */
    private KeystoreService reopenWithRowsStoredBefore(Map<String, String> rows) throws Exception {
        String ciphertext = encrypt(keystore, SCOPE, SECRETS);
        keystore.close();
        ProfileStore store = ProfileStore.open(dir.resolve("keystore"), 1000);
        java.time.Instant now = java.time.Instant.now();
        for (Map.Entry<String, String> row : rows.entrySet()) {
            store.put(new SecretProfile(
                    "alice.near",
                    row.getKey(),
                    SCOPE.withProfile(row.getKey()),
                    ciphertext,
                    AccessCondition.parse(json(row.getValue())),
                    now,
                    now));
        }
        store.close();
        keystore = open("");
        return keystore;
    }

    /**
     * A row stored before OutLayer's bounds (here: written straight to the profile store, as a store
     * of an older keystore held it) still loads, and is refused whole at the door, before a pattern
     * is compiled, with the keystore's sentence (api.rs judge_access, access_limits).
     */
    @Test
    void aRowPastTheBoundsStoredBeforeThemIsRefusedAtTheDoor() throws Exception {
        StringBuilder wide = new StringBuilder("{\"Logic\":{\"operator\":\"Or\",\"conditions\":[\"AllowAll\"");
        for (int i = 0; i < 17; i++) {
            wide.append(",{\"AccountPattern\":{\"pattern\":\"a").append(i).append("\"}}");
        }
        wide.append("]}}");
        assertThatThrownBy(() -> store("wide", wide.toString()))
                .as("OutLayer's contract refuses to store it")
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.kind()).isEqualTo(ApiException.Kind.INVALID))
                .hasMessage("the condition holds 17 AccountPattern leaves; at most 16 are judged");
        KeystoreService reopened = reopenWithRowsStoredBefore(Map.of("wide", wide.toString()));
        assertThat(reopened.list("alice.near"))
                .extracting(SecretProfile::profile)
                .containsExactly("wide");
        assertRefused(
                () -> reopened.decrypt(SCOPE, "wide", "bob.near", PhaseTimer.NONE),
                ApiException.Kind.FORBIDDEN,
                "Access denied by access condition: it holds 17 AccountPattern leaves; at most 16 are judged");
    }

    /** A keystore of this directory whose owners may store {@code cap} rows each. */
    KeystoreService openWithCap(String masterSecretHex, int cap) {
        return KeystoreService.create(
                new KeystoreConfig(
                        dir.resolve("keystore"),
                        masterSecretHex,
                        List.of(WorkerTokens.sha256Hex("worker")),
                        dir.resolve("api-keys.csv"),
                        0,
                        cap),
                null);
    }

    String value(Scope scope, String profile) throws Exception {
        return json(new String(keystore.decrypt(scope, profile, "bob.near", PhaseTimer.NONE), StandardCharsets.UTF_8))
                .path("API_KEY")
                .asText();
    }

    KeystoreService.Stored storeFor(Scope scope, String profile, String value) throws Exception {
        return keystore.store(
                "alice.near",
                profile,
                scope,
                encrypt(keystore, scope.withProfile(profile), "{\"API_KEY\":\"" + value + "\"}"),
                json("\"AllowAll\""),
                PhaseTimer.NONE);
    }

    /** The cap per owner counts rows, OutLayer's (accessor, profile, owner): one name for two scopes is two. */
    @Test
    void theCapPerOwnerCountsRowsAndARefusedStoreChangesNothing() throws Exception {
        keystore.close();
        keystore = openWithCap("", 2);
        Scope other = new Scope("github.com/alice/other", "alice.near", null);
        Scope third = new Scope(new SecretAccessor.Project("alice.near/agent"), "alice.near", null);
        assertThat(storeFor(SCOPE, "default", "one").created()).isTrue();
        assertThat(storeFor(other, "default", "two").created()).isTrue();
        assertThatThrownBy(() -> storeFor(third, "default", "three"))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.kind()).isEqualTo(ApiException.Kind.CONFLICT))
                .hasMessageContaining("alice.near already has 2 profiles");
        assertThat(storeFor(SCOPE, "default", "one, rotated").created())
                .as("replacing a row is no new row")
                .isFalse();
        assertThat(value(SCOPE, "default")).isEqualTo("one, rotated");
        assertThat(value(other, "default")).isEqualTo("two");
        assertThat(keystore.list("alice.near")).hasSize(2);
        assertRefused(
                () -> keystore.decrypt(third, "default", "bob.near", PhaseTimer.NONE),
                ApiException.Kind.NOT_FOUND,
                "owner alice.near has no profile 'default' for accessor");
    }

    /**
     * A store of a version that keyed a profile by owner and name (the fixture: its records as that version wrote
     * them, keyed {@code owner/profile}) opens: every record is served under its scope, and the name it holds is
     * free for other scopes.
     */
    @Test
    void recordsOfTheOwnerAndNameKeyedStoreStillOpen() throws Exception {
        keystore.close();
        JsonNode fixture = ProfileStoreTest.ownerAndNameKeyedFixture(dir.resolve("keystore"));
        String master = fixture.path("master_secret_hex").asText();
        keystore = open(master);
        Scope agentProject = new Scope(new SecretAccessor.Project("alice.near/agent"), "alice.near", null);
        assertThat(value(SCOPE, "default")).isEqualTo("from-the-old-store");
        assertThat(value(new Scope(REPO, "alice.near", "main"), "main-only")).isEqualTo("main-branch-row");
        assertThat(value(agentProject, "agent")).isEqualTo("project-row-from-the-old-store");
        assertRefused(
                () -> keystore.decrypt(agentProject, "agent", "carol.near", PhaseTimer.NONE),
                ApiException.Kind.FORBIDDEN,
                "Access denied by access condition");

        assertThat(storeFor(agentProject, "default", "the-projects-default").created())
                .as("the project's default is a row of its own beside the repository's")
                .isTrue();
        assertThat(value(agentProject, "default")).isEqualTo("the-projects-default");
        assertThat(value(SCOPE, "default")).isEqualTo("from-the-old-store");

        keystore.close();
        keystore = open(master);
        assertThat(keystore.list("alice.near")).hasSize(4);
        assertThat(value(SCOPE, "default")).isEqualTo("from-the-old-store");
        assertThat(value(agentProject, "default")).isEqualTo("the-projects-default");
        assertThat(keystore.quarantinedCount()).isZero();
    }

    /**
     * Rows an earlier version keyed as spelled (the fixture: an upper-case wasm hash, a nonce {@code 01}) are served
     * under the contract's one spelling, whichever spelling a request uses, and open with the seed they were sealed
     * to, as they opened before: OutLayer's keystore would derive the seed of the spelling it is asked with (the
     * worker's lower-case hash), which opens no such blob.
     */
    @Test
    void rowsKeyedAsSpelledAreServedUnderTheContractsSpellingAndOpenAsBefore() throws Exception {
        keystore.close();
        JsonNode fixture = ProfileStoreTest.recordsFixture(dir.resolve("keystore"), "records-keyed-as-spelled.json");
        keystore = open(fixture.path("master_secret_hex").asText());
        for (String hash : List.of("ab".repeat(32), "AB".repeat(32))) {
            Scope byHash = new Scope(new SecretAccessor.WasmHash(hash), "alice.near", null);
            assertThat(value(byHash, "default")).isEqualTo("sealed-to-the-upper-case-hash");
        }
        Scope paymentKey = new Scope(new SecretAccessor.System(SecretAccessor.System.PAYMENT_KEY), "alice.near", "1");
        for (String nonce : List.of("1", "01")) {
            assertThat(new String(
                            keystore.decrypt(paymentKey.withProfile(nonce), nonce, "bob.near", PhaseTimer.NONE),
                            StandardCharsets.UTF_8))
                    .contains("3e".repeat(32), "\"project_ids\":[\"alice.near/app\"]");
        }
        assertThat(keystore.list("alice.near"))
                .extracting(SecretProfile::profile)
                .containsExactlyInAnyOrder("1", "2", "default", "other");
        assertThat(keystore.quarantinedCount()).isEqualTo(2);
    }

    @Test
    void restartKeepsTheMasterKeyAndProfiles() throws Exception {
        String before = keystore.publicKeyHex(SCOPE);
        store("durable", "{\"Whitelist\":{\"accounts\":[\"bob.near\"]}}");
        Path masterFile = dir.resolve("keystore").resolve(MasterSecret.FILE_NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(masterFile)))
                .isEqualTo("rw-------");
        assertThat(Files.readString(
                        dir.resolve("keystore").resolve(ProfileStore.FILE_NAME), StandardCharsets.ISO_8859_1))
                .doesNotContain(SECRET_VALUE);

        keystore.close();
        KeystoreService restarted = open("");
        keystore = restarted;
        assertThat(restarted.publicKeyHex(SCOPE)).isEqualTo(before);
        assertThat(new String(restarted.decrypt(SCOPE, "durable", "bob.near", PhaseTimer.NONE), StandardCharsets.UTF_8))
                .isEqualTo(SECRETS);
        assertRefused(
                () -> restarted.decrypt(SCOPE, "durable", "eve.near", PhaseTimer.NONE),
                ApiException.Kind.FORBIDDEN,
                "Access denied by access condition");
    }

    @Test
    void aDifferentMasterSecretCannotOpenStoredProfiles() throws Exception {
        store("orphan", "\"AllowAll\"");
        keystore.close();
        KeystoreService other = open("ab".repeat(32));
        keystore = other;
        assertRefused(
                () -> other.decrypt(SCOPE, "orphan", "alice.near", PhaseTimer.NONE),
                ApiException.Kind.INVALID,
                "failed authentication");
    }

    /**
     * Rows stored before this keystore refused what OutLayer's contract refuses at store (a whitelist naming
     * something that is no account id, a profile with a '.', a profile under an agent's name stored by another
     * owner), written here straight to the profile store as an older keystore held them, still load and are
     * judged as before: the whitelist admits the accounts it names, the planted agent's row is refused to the
     * agent at decrypt (OutLayer's keystore, api.rs enforce_agent_secret).
     */
    @Test
    void rowsStoredBeforeTheContractsStoreRulesAreJudgedAsBefore() throws Exception {
        String agent = "ab".repeat(32);
        String whitelist = "{\"Whitelist\":{\"accounts\":[\"Bob.near\",\"bob.near\"]}}";
        assertRefused(
                () -> storeQuietly("team.v1", encrypt(keystore, SCOPE, SECRETS), whitelist),
                ApiException.Kind.INVALID,
                "invalid value: \"Bob.near\"");
        assertRefused(
                () -> storeQuietly(agent, encrypt(keystore, SCOPE, SECRETS), "\"AllowAll\""),
                ApiException.Kind.INVALID,
                "names an AGENT");
        assertThat(keystore.list("alice.near")).isEmpty();

        KeystoreService reopened = reopenWithRowsStoredBefore(Map.of("team.v1", whitelist, agent, "\"AllowAll\""));
        assertThat(reopened.list("alice.near"))
                .extracting(SecretProfile::profile)
                .containsExactlyInAnyOrder("team.v1", agent);
        assertThat(new String(reopened.decrypt(SCOPE, "team.v1", "bob.near", PhaseTimer.NONE), StandardCharsets.UTF_8))
                .isEqualTo(SECRETS);
        assertRefused(
                () -> reopened.decrypt(SCOPE, "team.v1", "mallory.near", PhaseTimer.NONE),
                ApiException.Kind.FORBIDDEN,
                "Access denied by access condition");
        assertRefused(
                () -> reopened.decrypt(SCOPE, agent, agent, PhaseTimer.NONE),
                ApiException.Kind.FORBIDDEN,
                "This secret was not left by the agent itself");
    }
}
