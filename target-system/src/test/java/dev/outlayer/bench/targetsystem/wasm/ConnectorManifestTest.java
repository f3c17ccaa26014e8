package dev.outlayer.bench.targetsystem.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dylibso.chicory.wasm.Parser;
import dev.outlayer.bench.targetsystem.keystore.DeclaredKeys.Binding;
import dev.outlayer.bench.targetsystem.keystore.DeclaredKeys.Caller;
import dev.outlayer.bench.targetsystem.keystore.DeclaredKeys.KeyType;
import dev.outlayer.bench.targetsystem.linux.TestPrograms;
import dev.outlayer.bench.targetsystem.wasm.ConnectorManifest.AuthorSecretsRef;
import dev.outlayer.bench.targetsystem.wasm.ConnectorManifest.EncryptionKey;
import dev.outlayer.bench.targetsystem.wasm.ConnectorManifest.SigningKey;
import dev.outlayer.bench.targetsystem.wasm.ManifestCallers.Door;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The {@code outlayer.manifest} custom section as OutLayer's worker reads it (connector_manifest.rs {@code
 * manifest_from_wasm}, {@code ProjectManifest}, {@code author_secrets_ref}).
 */
class ConnectorManifestTest {

    private static ConnectorManifest.Reading read(String json) {
        return ConnectorManifest.read(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aModuleWithoutTheSectionHasNoManifest() {
        byte[] wasm = TestPrograms.withCustomSection(TestPrograms.wasm("env_json"), "other", "{\"x\":1}".getBytes());
        assertThat(ConnectorManifest.of(Parser.parse(wasm))).isSameAs(ConnectorManifest.Reading.NONE);
    }

    @Test
    void theSectionIsReadFromTheModule() {
        byte[] wasm = TestPrograms.withCustomSection(
                TestPrograms.wasm("env_json"),
                ConnectorManifest.SECTION,
                "{\"connector_id\":\"pm\",\"author_secrets\":{\"profile\":\"prod\"}}".getBytes(StandardCharsets.UTF_8));
        ConnectorManifest.Reading reading = ConnectorManifest.of(Parser.parse(wasm));
        assertThat(reading.unreadable()).isFalse();
        assertThat(reading.manifest().connectorId()).isEqualTo("pm");
        assertThat(reading.manifest().authorSecretsRef("connectors.outlayer.near/pm"))
                .contains(new AuthorSecretsRef("connectors.outlayer.near", "prod"));
    }

    @Test
    void everyMemberOutLayerDefinesIsAccepted() {
        ConnectorManifest.Reading reading = read("{\"connector_id\":\"pm\",\"capabilities\":{\"network\":[\"api.x\"],"
                + "\"later\":1},\"network\":[\"api.y\"],\"limits\":[{\"operation\":\"send\",\"window\":\"day\","
                + "\"max_count\":5}],\"author_secrets\":{\"owner\":\"a.near\",\"profile\":\"p\",\"note\":true},"
                + "\"signing_keys\":[{\"path\":\"k\",\"type\":\"ed25519\"}],\"encryption_keys\":[],\"storage_account\":\"predecessor\","
                + "\"tasks\":true,\"callers\":{\"contract\":\"deny\"},"
                + "\"operations\":[\"send\"],\"display\":{\"name\":\"PM\"},\"describe\":{}}");
        assertThat(reading.problem()).isNull();
        assertThat(reading.manifest().limits().get(0).applies())
                .as("an undeclared audience is the strictest")
                .isEqualTo("everyone");
        assertThat(reading.manifest().capabilities().network()).containsExactly("api.x");
        assertThat(reading.manifest().tasks()).isTrue();
        assertThat(reading.manifest().callers().contract()).isEqualTo(Door.DENY);
        assertThat(reading.manifest().signingKeys())
                .as("an undeclared binding is the project, an undeclared caller the signer")
                .containsExactly(new SigningKey("k", KeyType.ED25519, Binding.PROJECT, Caller.SIGNER, null));
        assertThat(reading.manifest().encryptionKeys()).isEmpty();
        ConnectorManifest keys = read("{\"signing_keys\":[{\"path\":\"votes\",\"type\":\"secp256k1\",\"bind\":\"wasm\","
                        + "\"caller\":\"predecessor\",\"vault\":null}],\"encryption_keys\":[{\"path\":\"records\","
                        + "\"vault\":\"vault.a.near\"}]}")
                .manifest();
        assertThat(keys.signingKeys())
                .containsExactly(new SigningKey("votes", KeyType.SECP256K1, Binding.WASM, Caller.PREDECESSOR, null));
        assertThat(keys.encryptionKeys())
                .containsExactly(new EncryptionKey("records", Binding.PROJECT, Caller.SIGNER, "vault.a.near"));
        assertThat(read("{\"signing_keys\":null,\"encryption_keys\":null}")
                        .manifest()
                        .signingKeys())
                .isNull();
    }

    @Test
    void anUnknownMemberIsRefusedNamingTheOnesThatExist() {
        assertThat(read("{\"connector_id\":\"pm\",\"netwrk\":[\"api.x\"]}").problem())
                .isEqualTo("the outlayer.manifest section does not parse as a manifest: unknown field `netwrk`,"
                        + " expected one of `connector_id`, `capabilities`, `network`, `limits`, `author_secrets`,"
                        + " `signing_keys`, `encryption_keys`, `storage_account`, `tasks`, `callers`, `operations`,"
                        + " `display`, `describe`");
    }

    @Test
    void aCallersBlockTakesOutLayersDefaults() {
        assertThat(read("{\"callers\":{}}").manifest().callers())
                .as("every door open but meta-transactions")
                .isEqualTo(new ManifestCallers(Door.ALLOW, Door.ALLOW, null, Door.ALLOW, Door.DENY));
        assertThat(read("{\"callers\":null}").manifest().callers())
                .as("null is no block")
                .isNull();
        ManifestCallers only = read("{\"callers\":{\"contract\":{\"only\":[\"relay.near\",\"game.near\"]},"
                        + "\"https\":\"deny\",\"meta_tx\":null}}")
                .manifest()
                .callers();
        assertThat(only.only()).containsExactly("relay.near", "game.near");
        assertThat(only.admitsDirect()).isFalse();
        assertThat(only.admitsHttps()).isFalse();
        assertThat(read("{\"tasks\":false}").manifest().tasks()).isFalse();
    }

    @Test
    void aCallersBlockThatBreaksARuleDoesNotParse() {
        String prefix = "the outlayer.manifest section does not parse as a manifest: ";
        assertThat(read("{\"callers\":{\"direct\":\"maybe\",\"contract\":{\"only\":[]}}}")
                        .problem())
                .as("the first bad member, in the order written")
                .isEqualTo(prefix + "unknown variant `maybe`, expected `allow` or `deny`");
        assertThat(read("{\"callers\":{\"relay\":\"allow\"}}").problem())
                .isEqualTo(prefix + "unknown field `relay`, expected one of `direct`, `contract`, `https`, `meta_tx`");
        assertThat(read("{\"callers\":{\"contract\":\"some\"}}").problem())
                .isEqualTo(prefix + "unknown variant `some`, expected one of `allow`, `deny`, `only`");
        assertThat(read("{\"callers\":{\"contract\":{\"only\":[]}}}").problem())
                .isEqualTo(prefix + "callers.contract.only admits nobody: write \"deny\" instead");
        assertThat(read("{\"callers\":{\"contract\":{\"only\":[\"a.near\",\"Bad\"]}}}")
                        .problem())
                .isEqualTo(prefix + "callers.contract.only: \"Bad\" is not a NEAR account id");
        assertThat(read("{\"callers\":{\"contract\":{\"only\":[\"a.near\",\"a.near\"]}}}")
                        .problem())
                .isEqualTo(prefix + "callers.contract.only names a.near twice");
        String many = "\"a0.near\"";
        for (int i = 1; i <= ManifestCallers.MAX_ALLOWLIST; i++) {
            many += ",\"a" + i + ".near\"";
        }
        assertThat(read("{\"callers\":{\"contract\":{\"only\":[" + many + "]}}}")
                        .problem())
                .isEqualTo(prefix + "callers.contract.only names 33 accounts, at most 32 are allowed");
        assertThat(read("{\"callers\":{\"https\":\"allow\",\"contract\":{\"only\":[\"a.near\"]}}}")
                        .problem())
                .isEqualTo(prefix + "callers.contract.only admits only the accounts it names, so callers.https:"
                        + " \"allow\" would never apply: remove it");
        assertThat(read("{\"tasks\":true,\"callers\":{\"https\":\"deny\"}}").problem())
                .isEqualTo(prefix + "the manifest declares tasks, which the platform carries out in a call of the"
                        + " agent's over HTTPS, and its callers block does not admit calls over HTTPS");
        assertThat(read("{\"tasks\":true,\"callers\":{\"direct\":\"deny\"}}").problem())
                .isEqualTo(prefix + "the manifest declares tasks, whose owner opens them for a new device with a"
                        + " direct call of their own, and its callers block does not admit direct calls");
        assertThat(read("{\"tasks\":\"yes\"}").problem()).isEqualTo(prefix + "'tasks' must be true or false");
        assertThat(read("{\"callers\":{\"contract\":{\"only\":\"a.near\"}}}").problem())
                .isEqualTo(prefix + "'callers.contract.only' must be an array of strings");
    }

    @Test
    void whatCannotBeReadIsARefusalWithItsReason() {
        assertThat(read("{\"author_secrets\":{\"profile\":5}}").problem())
                .isEqualTo("the outlayer.manifest section does not parse as a manifest:"
                        + " 'author_secrets.profile' must be a string");
        assertThat(read("{\"connector_id\":").problem())
                .startsWith("the outlayer.manifest section does not parse as a manifest: EOF while parsing a value");
        assertThat(read("[1]").problem()).endsWith("invalid type: array, expected a JSON object");
        assertThat(read("{\"storage_account\":\"owner\"}").problem())
                .endsWith("unknown variant `owner` of storage_account, expected `signer` or `predecessor`");
        assertThat(read("{\"limits\":[{\"operation\":\"send\",\"max_count\":1}]}")
                        .problem())
                .endsWith("missing field `window`");
        // null where serde's type is no Option: defaulted when absent (an enum, a String), refused when null
        assertThat(read("{\"storage_account\":null}").problem())
                .endsWith("'storage_account' must be a string, not null");
        assertThat(read("{\"limits\":[{\"operation\":\"send\",\"window\":\"day\",\"max_count\":1,\"applies\":null}]}")
                        .problem())
                .endsWith("'limits[0].applies' must be a string, not null");
        assertThat(read("{\"limits\":[null]}").problem()).endsWith("'limits[0]' must be an object, not null");
        assertThat(read("{\"capabilities\":{\"network\":[\"api.x\",null]}}").problem())
                .endsWith("'capabilities.network[1]' must be a string, not null");
        assertThat(read("{\"network\":[null]}").problem()).endsWith("'network[0]' must be a string, not null");
        assertThat(read("{\"limits\":[{\"operation\":null,\"window\":\"day\",\"max_count\":1}]}")
                        .problem())
                .as("present, so not missing")
                .endsWith("'limits[0].operation' must be a string, not null");
        assertThat(read("{\"limits\":[{\"operation\":\"send\",\"window\":null,\"max_count\":1}]}")
                        .problem())
                .endsWith("'limits[0].window' must be a string, not null");
        assertThat(read("{\"display\":1,\"display\":2}").problem())
                .startsWith("the outlayer.manifest section does not parse as a manifest: duplicate field `display`");
        assertThat(ConnectorManifest.read(new byte[ConnectorManifest.MAX_BYTES + 1])
                        .problem())
                .isEqualTo("the outlayer.manifest section is 65537 bytes, over the 65536-byte limit");
    }

    @Test
    void aDeclaredKeyOfTheWrongShapeDoesNotParse() {
        String prefix = "the outlayer.manifest section does not parse as a manifest: ";
        assertThat(read("{\"signing_keys\":[null]}").problem())
                .isEqualTo(prefix + "'signing_keys[0]' must be an object, not null");
        assertThat(read("{\"encryption_keys\":[{\"path\":\"k\"},null]}").problem())
                .isEqualTo(prefix + "'encryption_keys[1]' must be an object, not null");
        assertThat(read("{\"signing_keys\":[\"k\"]}").problem())
                .isEqualTo(prefix + "'signing_keys[0]' must be an object");
        assertThat(read("{\"encryption_keys\":{\"path\":\"k\"}}").problem())
                .isEqualTo(prefix + "'encryption_keys' must be an array");
        assertThat(read("{\"signing_keys\":[{\"path\":\"k\"}]}").problem()).isEqualTo(prefix + "missing field `type`");
        assertThat(read("{\"encryption_keys\":[{}]}").problem()).isEqualTo(prefix + "missing field `path`");
        assertThat(read("{\"signing_keys\":[{\"path\":null,\"type\":\"ed25519\"}]}")
                        .problem())
                .isEqualTo(prefix + "'signing_keys[0].path' must be a string, not null");
        assertThat(read("{\"signing_keys\":[{\"path\":\"k\",\"type\":\"rsa\"}]}")
                        .problem())
                .isEqualTo(prefix + "unknown variant `rsa`, expected `ed25519` or `secp256k1`");
        assertThat(read("{\"encryption_keys\":[{\"path\":\"k\",\"bind\":\"hash\"}]}")
                        .problem())
                .isEqualTo(prefix + "unknown variant `hash`, expected `project` or `wasm`");
        assertThat(read("{\"encryption_keys\":[{\"path\":\"k\",\"caller\":\"sender\"}]}")
                        .problem())
                .isEqualTo(prefix + "unknown variant `sender`, expected `signer` or `predecessor`");
        assertThat(read("{\"signing_keys\":[{\"path\":\"k\",\"type\":\"ed25519\",\"bind\":null}]}")
                        .problem())
                .as("defaulted when absent, but no Option")
                .isEqualTo(prefix + "'signing_keys[0].bind' must be one of [project, wasm], not null");
        assertThat(read("{\"signing_keys\":[{\"path\":\"k\",\"type\":\"ed25519\",\"valut\":\"v.near\"}]}")
                        .problem())
                .isEqualTo(prefix + "unknown field `valut`, expected one of `path`, `type`, `bind`, `caller`, `vault`");
        assertThat(read("{\"signing_keys\":[{\"path\":\"k\",\"tpye\":\"ed25519\"}]}")
                        .problem())
                .as("the misspelling is named, where serde meets it, not the member it leaves missing")
                .isEqualTo(prefix + "unknown field `tpye`, expected one of `path`, `type`, `bind`, `caller`, `vault`");
        assertThat(read("{\"signing_keys\":[{\"path\":\"k\",\"type\":1}]}").problem())
                .isEqualTo(prefix + "'signing_keys[0].type' must be one of [ed25519, secp256k1]");
        assertThat(read("{\"encryption_keys\":[{\"path\":\"k\",\"type\":\"ed25519\"}]}")
                        .problem())
                .as("an encryption key has no type")
                .isEqualTo(prefix + "unknown field `type`, expected one of `path`, `bind`, `caller`, `vault`");
        assertThat(read("{\"signing_keys\":[{\"path\":\"k\",\"type\":\"ed25519\",\"vault\":5}]}")
                        .problem())
                .isEqualTo(prefix + "'signing_keys[0].vault' must be a string");
    }

    /** {@code n} keys {@code k0}, {@code k1}, ... written as entries of a list ({@code type} for a signing key). */
    private static String keys(int n, String type) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            out.append(i == 0 ? "" : ",").append("{\"path\":\"k").append(i).append('"');
            out.append(type == null ? "" : ",\"type\":\"" + type + '"').append('}');
        }
        return out.append(']').toString();
    }

    /**
     * The rules OutLayer's worker applies while it reads a family (signing_keys/mod.rs {@code deserialize_declared},
     * {@code check_family_declarations}; encryption_keys/mod.rs {@code deserialize_declared}; at out-layer/outlayer
     * 635d273): a manifest that breaks one does not parse, in the worker's words.
     */
    @Test
    void aDeclarationThatBreaksARuleDoesNotParse() {
        String prefix = "the outlayer.manifest section does not parse as a manifest: ";
        assertThat(read("{\"signing_keys\":" + keys(3, "ed25519") + ",\"encryption_keys\":" + keys(3, null) + "}")
                        .problem())
                .as("three of each family, counted apart; one path in both families is two keys")
                .isNull();
        assertThat(read("{\"signing_keys\":" + keys(4, "ed25519") + "}").problem())
                .isEqualTo(prefix + "the manifest declares 4 signing keys; at most 3 are allowed");
        assertThat(read("{\"encryption_keys\":" + keys(4, null) + "}").problem())
                .as("MAX_ENCRYPTION_KEYS is 3 in the worker and the keystore alike")
                .isEqualTo(prefix + "the manifest declares 4 encryption keys; at most 3 are allowed");
        for (String path : new String[] {"", "A", "a:b", "../a", "-a", "é", "a".repeat(33)}) {
            assertThat(read("{\"signing_keys\":[{\"path\":\"" + path + "\",\"type\":\"ed25519\"}]}")
                            .problem())
                    .as(path)
                    .isEqualTo(
                            prefix + "signing_keys[0]: key path \"" + path + "\" must match [a-z0-9][a-z0-9_-]{0,31}");
        }
        assertThat(read("{\"encryption_keys\":[{\"path\":\"k\"},{\"path\":\"" + "x".repeat(70) + "\\n\"}]}")
                        .problem())
                .as("the entry named by its place; a long path cut to 64 characters, quoted as {:?}")
                .isEqualTo(prefix + "encryption_keys[1]: key path \"" + "x".repeat(64) + "…\" must match"
                        + " [a-z0-9][a-z0-9_-]{0,31}");
        assertThat(
                        read("{\"signing_keys\":[{\"path\":\"k\",\"type\":\"ed25519\"},{\"path\":\"k\",\"type\":\"secp256k1\"}]}")
                                .problem())
                .as("one path is one key, whatever the type")
                .isEqualTo(prefix + "the manifest declares the signing key path \"k\" twice");
        assertThat(read("{\"encryption_keys\":[{\"path\":\"k\",\"bind\":\"wasm\",\"vault\":\"v.a.near\"}]}")
                        .problem())
                .isEqualTo(prefix + "the encryption key \"k\" is bound to the build (bind \"wasm\") and names a vault;"
                        + " a build has no owner to own a vault");
        assertThat(read("{\"signing_keys\":[{\"path\":\"k\",\"type\":\"ed25519\",\"vault\":\"\"}]}")
                        .problem())
                .isEqualTo(prefix + "the signing key \"k\" names vault \"\", which is not an account id (the Account ID"
                        + " is too short)");
        assertThat(read("{\"encryption_keys\":[{\"path\":\"k\",\"vault\":\"Vault:x\"}]}")
                        .problem())
                .isEqualTo(prefix + "the encryption key \"k\" names vault \"Vault:x\", which is not an account id (the"
                        + " Account ID contains an invalid character 'V' at index 0)");
        assertThat(read("{\"signing_keys\":" + keys(4, "ed25519") + ",\"tasks\":null}")
                        .problem())
                .as("refused where serde reads the member: before a later member's null")
                .isEqualTo(prefix + "the manifest declares 4 signing keys; at most 3 are allowed");
    }

    @Test
    void authorSecretsAreResolvedAgainstTheProjectOrRefused() {
        ConnectorManifest explicit = read("{\"author_secrets\":{\"owner\":\" author.near \",\"profile\":\" prod \"}}")
                .manifest();
        assertThat(explicit.authorSecretsRef("a.near/x")).contains(new AuthorSecretsRef("author.near", "prod"));
        assertThat(read("{\"connector_id\":\"pm\"}").manifest().authorSecretsRef("a.near/x"))
                .isEqualTo(Optional.empty());
        ConnectorManifest blank = read("{\"author_secrets\":{\"owner\":\"a.near\",\"profile\":\"  \"}}")
                .manifest();
        assertThatThrownBy(() -> blank.authorSecretsRef("a.near/x"))
                .hasMessage("the manifest's author_secrets.profile must be a non-empty string");
        ConnectorManifest absent =
                read("{\"author_secrets\":{\"owner\":\"a.near\"}}").manifest();
        assertThatThrownBy(() -> absent.authorSecretsRef("a.near/x")).hasMessageContaining("profile");
        ConnectorManifest ownerless =
                read("{\"author_secrets\":{\"profile\":\"prod\"}}").manifest();
        assertThatThrownBy(() -> ownerless.authorSecretsRef("no-slash"))
                .hasMessage("the manifest's author_secrets names no owner and the project id 'no-slash' has none to"
                        + " default to");
    }
}
