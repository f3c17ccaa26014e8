package dev.outlayer.bench.targetsystem.http.keystore;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.json.SerdeFields;
import dev.outlayer.bench.targetsystem.keystore.AccessCondition;
import dev.outlayer.bench.targetsystem.keystore.DeclaredKeys;
import dev.outlayer.bench.targetsystem.keystore.GeneratedSecrets;
import dev.outlayer.bench.targetsystem.keystore.KeystoreService;
import dev.outlayer.bench.targetsystem.keystore.RepoUrls;
import dev.outlayer.bench.targetsystem.keystore.Scope;
import dev.outlayer.bench.targetsystem.keystore.SecretAccessor;
import dev.outlayer.bench.targetsystem.keystore.StoreRules;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** The keystore's request bodies (docs/keystore.md), read by Jackson; required fields are checked here. */
final class KeystoreRequests {
    private KeystoreRequests() {}

    /**
     * {@code POST /pubkey}, in either of two forms. OutLayer keystore-worker's own ({@code api.rs}
     * {@code PubkeyRequest}, what its coordinator forwards from the dashboard): {@code {seed,
     * secrets_json, vault_id?}}, the seed taken as written and the secrets the owner is about to
     * encrypt checked by name first. Or the scope's fields, {@code {repo, owner, branch?}} or
     * {@code {accessor, owner, profile?}}: where a client asks for a key to encrypt with, so OutLayer's
     * coordinator normalisation applies ({@code alice/agent} is {@code github.com/alice/agent}). A
     * System accessor needs the profile (its nonce).
     */
    record PublicKey(
            String repo,
            String owner,
            String branch,
            JsonNode accessor,
            String profile,
            String seed,
            @JsonProperty("secrets_json") String secretsJson,
            @JsonProperty("vault_id") String vaultId) {

        /** Whether this is OutLayer keystore-worker's {@code {seed, secrets_json}} form. */
        boolean bySeed() {
            if (seed == null) {
                return false;
            }
            if (repo != null || owner != null || accessor != null && !accessor.isNull()) {
                throw ApiException.invalid(
                        "give either seed (with secrets_json) or the scope's repo/accessor and" + " owner, not both");
            }
            required(seed, "seed");
            if (secretsJson == null) {
                throw ApiException.invalid("'secrets_json' is required with 'seed': the JSON object of secrets"
                        + " about to be encrypted, checked by name before the key is given");
            }
            if (vaultId != null && !vaultId.isBlank()) {
                // Per-vault masters come from MPC key derivation inside a TEE (mpc_ckd.rs): not modelled.
                throw ApiException.invalid("vault_id is not supported: this keystore has one master secret"
                        + " (per-vault masters need OutLayer's MPC network)");
            }
            return true;
        }

        Scope scope() {
            required(owner, "owner");
            return Scope.of(repo, branch, accessor, owner, profile, RepoUrls::forEncryption);
        }
    }

    /**
     * {@code PUT /secrets/{owner}/{profile} {repo, branch? | accessor, encrypted_secrets_base64, access}}.
     * {@code access} stays a JSON tree: a tagged union that AccessConditionParser walks with depth
     * and size limits. The repository is normalised as the keystore looks it up when it decrypts. The
     * accessor's fields are first checked as OutLayer's contract checks them when it stores a row ({@link
     * StoreRules#checkAccessor}); an empty ciphertext is the store's to refuse, in the contract's words.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record StoreProfile(String repo, String branch, JsonNode accessor, String encryptedSecretsBase64, JsonNode access) {
        StoreProfile {
            if (encryptedSecretsBase64 == null) {
                required(null, "encrypted_secrets_base64");
            }
        }

        Scope scope(String owner, String profile) {
            StoreRules.checkAccessor(repo, branch, accessor);
            return Scope.of(repo, branch, accessor, owner, profile, RepoUrls::forDecryption);
        }
    }

    /**
     * Which of an owner's rows of one name {@code GET} and {@code DELETE /secrets/{owner}/{profile}} mean: the
     * query's {@code repo} (and {@code branch}) or {@code accessor} (OutLayer keystore-worker's JSON form), read
     * as {@code PUT} reads its body's; neither: {@code null}, the one row of that name.
     */
    record RowQuery(String repo, String branch, String accessor) {
        SecretAccessor accessor(String owner, String profile) {
            if (branch != null && repo == null) {
                throw ApiException.invalid("query parameter 'branch' is a repository's: give 'repo' with it");
            }
            if (repo == null && accessor == null) {
                return null;
            }
            JsonNode node = null;
            if (accessor != null) {
                try {
                    node = JsonCodec.MAPPER.readTree(accessor);
                } catch (IOException e) {
                    throw ApiException.invalid("query parameter 'accessor' must be JSON, e.g."
                            + " {\"type\":\"Project\",\"project_id\":\"alice.near/agent\"}");
                }
            }
            return Scope.of(repo, branch, node, owner, profile, RepoUrls::forDecryption)
                    .accessor();
        }
    }

    /**
     * {@code POST /decrypt {owner, profile, repo, branch? | accessor, user_account_id,
     * executed_wasm_sha256?, predecessor_id?, task_id?}}: OutLayer's DecryptRequest ({@code task_id}
     * is for its logs only and is not read here).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Decrypt(
            String owner,
            String profile,
            String repo,
            String branch,
            JsonNode accessor,
            String userAccountId,
            String executedWasmSha256,
            String predecessorId) {
        Decrypt {
            required(owner, "owner");
            required(profile, "profile");
            required(userAccountId, "user_account_id");
        }

        Scope scope() {
            return Scope.of(repo, branch, accessor, owner, profile, RepoUrls::forDecryption);
        }
    }

    /**
     * {@code POST /decrypt} naming declared keys, OutLayer's {@code KeyedDecryptRequest}: {@code {owner?, profile?,
     * repo?, branch? | accessor?, user_account_id, executed_wasm_sha256?, predecessor_id?, project_id?, task_id?,
     * signing_keys?: [{path, type, bind?, caller?, vault?}], encryption_keys?: [{path, bind?, caller?, vault?}],
     * task_key?: bool}}. A {@code null} list is an empty one, a {@code null} {@code task_key} is {@code false}.
     * The keys are read as serde reads OutLayer's (unknown members refused, the enums' spellings only): what does
     * not fit is axum's 422, before anything is judged.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record KeyedDecrypt(
            String owner,
            String profile,
            String repo,
            String branch,
            JsonNode accessor,
            String userAccountId,
            String executedWasmSha256,
            String predecessorId,
            String projectId,
            JsonNode signingKeys,
            JsonNode encryptionKeys,
            JsonNode taskKey) {
        KeyedDecrypt {
            SerdeFields.required(userAccountId, "user_account_id");
            DeclaredKeyEntries.read(signingKeys, DeclaredKeys.Family.SIGNING);
            DeclaredKeyEntries.read(encryptionKeys, DeclaredKeys.Family.ENCRYPTION);
            DeclaredKeyEntries.flag(taskKey);
        }

        /**
         * The request for the keystore. {@code accessor} (or {@code repo}), {@code profile} and {@code owner}
         * name one secret row together: all or none, else 400 in OutLayer's words.
         */
        KeystoreService.KeyedRequest keyed() {
            boolean scoped = repo != null || accessor != null && !accessor.isNull();
            int named = (scoped ? 1 : 0) + (profile != null ? 1 : 0) + (owner != null ? 1 : 0);
            if (named != 0 && named != 3) {
                throw ApiException.invalid("accessor, profile and owner name one secret row together: send all"
                        + " three, or none for a request that only derives keys");
            }
            return new KeystoreService.KeyedRequest(
                    named == 3 ? Scope.of(repo, branch, accessor, owner, profile, RepoUrls::forDecryption) : null,
                    profile,
                    userAccountId,
                    new AccessCondition.RunFacts(executedWasmSha256, predecessorId),
                    projectId,
                    DeclaredKeyEntries.read(signingKeys, DeclaredKeys.Family.SIGNING),
                    DeclaredKeyEntries.read(encryptionKeys, DeclaredKeys.Family.ENCRYPTION),
                    DeclaredKeyEntries.flag(taskKey));
        }
    }

    /** {@code POST /encrypt {seed, plaintext_base64}} (worker token), OutLayer keystore-worker's EncryptRequest. */
    record SealForSeed(
            String seed, @JsonProperty("plaintext_base64") String plaintextBase64) {
        SealForSeed {
            required(seed, "seed");
            if (plaintextBase64 == null) {
                throw ApiException.invalid("'plaintext_base64' is required");
            }
        }

        byte[] plaintext() {
            return base64(plaintextBase64, "plaintext_base64");
        }
    }

    /** {@code POST /vrf/generate {alpha}} (worker token), OutLayer's VrfGenerateRequest: {@code vrf:<request_id>:<user_seed>}. */
    record VrfAlpha(String alpha) {
        VrfAlpha {
            if (alpha == null || alpha.isEmpty()) {
                throw ApiException.invalid("alpha must not be empty");
            }
        }
    }

    /** {@code POST /decrypt-raw {seed, encrypted_base64}} (worker token), OutLayer's DecryptRawRequest. */
    record OpenForSeed(
            String seed, @JsonProperty("encrypted_base64") String encryptedBase64) {
        OpenForSeed {
            required(seed, "seed");
            required(encryptedBase64, "encrypted_base64");
        }
    }

    /**
     * {@code POST /storage/encrypt} (worker token), OutLayer's StorageEncryptRequest: one entry of a
     * program's persistent storage, its key and its value sealed under the storage seed.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record StorageSeal(String projectUuid, String wasmHash, String accountId, String key, String valueBase64) {
        StorageSeal {
            required(wasmHash, "wasm_hash");
            required(accountId, "account_id");
            if (key == null) {
                throw ApiException.invalid("'key' is required");
            }
            if (valueBase64 == null) {
                throw ApiException.invalid("'value_base64' is required");
            }
        }

        String seed() {
            return KeystoreService.storageSeed(projectUuid, wasmHash, accountId);
        }

        byte[] value() {
            return base64(valueBase64, "value_base64");
        }
    }

    /** {@code POST /storage/decrypt} (worker token), OutLayer's StorageDecryptRequest. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record StorageOpen(
            String projectUuid,
            String wasmHash,
            String accountId,
            String encryptedKeyBase64,
            String encryptedValueBase64) {
        StorageOpen {
            required(wasmHash, "wasm_hash");
            required(accountId, "account_id");
            required(encryptedKeyBase64, "encrypted_key_base64");
            required(encryptedValueBase64, "encrypted_value_base64");
        }

        String seed() {
            return KeystoreService.storageSeed(projectUuid, wasmHash, accountId);
        }
    }

    /**
     * One secret to generate, OutLayer's GeneratedSecretSpec: {@code {name, generation_type}}, both a {@code String}
     * (no {@code Option}): absent or null is axum's 422 before anything is checked. A list of them is a {@code
     * Vec<GeneratedSecretSpec>}, whose null entry serde refuses too ({@code contentNulls = FAIL} on the list).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record GeneratedSecretSpec(String name, String generationType) {
        GeneratedSecretSpec {
            SerdeFields.required(name, "name");
            SerdeFields.required(generationType, "generation_type");
        }

        GeneratedSecrets.Spec spec() {
            return new GeneratedSecrets.Spec(name, generationType);
        }

        static List<GeneratedSecrets.Spec> specs(List<GeneratedSecretSpec> specs) {
            return specs.stream().map(GeneratedSecretSpec::spec).toList();
        }
    }

    /**
     * {@code POST /add_generated_secret {seed, encrypted_secrets_base64?, new_secrets, vault_id?}}
     * (coordinator token), OutLayer keystore-worker's AddGeneratedSecretRequest.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record AddGeneratedSecret(
            String seed,
            String encryptedSecretsBase64,
            @JsonSetter(contentNulls = Nulls.FAIL) List<GeneratedSecretSpec> newSecrets,
            String vaultId) {
        AddGeneratedSecret {
            required(seed, "seed");
            if (newSecrets == null) {
                throw ApiException.invalid("'new_secrets' is required: a list of {name, generation_type}");
            }
            refuseVault(vaultId);
        }

        List<GeneratedSecrets.Spec> specs() {
            return GeneratedSecretSpec.specs(newSecrets);
        }
    }

    /**
     * {@code POST /update_user_secrets} (coordinator token), OutLayer keystore-worker's
     * UpdateUserSecretsRequest: {@code {accessor, new_accessor?, profile, owner, mode: "append" |
     * "reset", secrets, generate_protected?, signed_message, signature, public_key, nonce,
     * recipient}}. The repository of an accessor is normalised as the keystore looks profiles up. As OutLayer's,
     * {@code new_accessor} and {@code generate_protected} are {@code Option}s (null or absent: none), {@code
     * vault_id} a {@code #[serde(default)] Option}, and every other member is required (absent or null: 422).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record UpdateUserSecrets(
            JsonNode accessor,
            JsonNode newAccessor,
            String profile,
            String owner,
            String mode,
            Map<String, JsonNode> secrets,
            @JsonSetter(contentNulls = Nulls.FAIL) List<GeneratedSecretSpec> generateProtected,
            String signedMessage,
            String signature,
            String publicKey,
            String nonce,
            String recipient,
            String vaultId) {
        UpdateUserSecrets {
            if (accessor == null || accessor.isNull()) {
                throw ApiException.invalid("'accessor' is required: the profile's {type, ...}");
            }
            required(profile, "profile");
            required(owner, "owner");
            if (!"append".equals(mode) && !"reset".equals(mode)) {
                throw ApiException.invalid("'mode' must be \"append\" or \"reset\"");
            }
            if (secrets == null) {
                throw ApiException.invalid("'secrets' is required: an object of the secrets to set (may be empty)");
            }
            required(signedMessage, "signed_message");
            required(signature, "signature");
            required(publicKey, "public_key");
            required(nonce, "nonce");
            if (recipient == null) {
                throw ApiException.invalid("'recipient' is required (the NEP-413 recipient that was signed)");
            }
            refuseVault(vaultId);
        }

        KeystoreService.SecretsUpdate update() {
            return new KeystoreService.SecretsUpdate(
                    owner,
                    profile,
                    SecretAccessor.fromJson(accessor, RepoUrls::forDecryption),
                    newAccessor == null || newAccessor.isNull()
                            ? null
                            : SecretAccessor.fromJson(newAccessor, RepoUrls::forDecryption),
                    "reset".equals(mode),
                    secrets,
                    generateProtected == null ? null : GeneratedSecretSpec.specs(generateProtected),
                    new KeystoreService.SignedRequest(signedMessage, signature, publicKey, nonce, recipient));
        }
    }

    private static void refuseVault(String vaultId) {
        if (vaultId != null && !vaultId.isBlank()) {
            // Per-vault masters come from MPC key derivation inside a TEE (mpc_ckd.rs): not modelled.
            throw ApiException.invalid("vault_id is not supported: this keystore has one master secret"
                    + " (per-vault masters need OutLayer's MPC network)");
        }
    }

    private static byte[] base64(String value, String field) {
        try {
            return Base64.getDecoder().decode(value.trim());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(field + " is not valid base64");
        }
    }

    private static void required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw ApiException.invalid("'" + field + "' is required and must be a non-empty string");
        }
    }
}
