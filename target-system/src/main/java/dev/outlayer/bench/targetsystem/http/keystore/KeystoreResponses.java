package dev.outlayer.bench.targetsystem.http.keystore;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.outlayer.bench.targetsystem.keystore.KeystoreService;
import dev.outlayer.bench.targetsystem.keystore.SecretProfile;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** The keystore's answers (docs/keystore.md). None ever holds a ciphertext except as its size, nor a plaintext but /decrypt's. */
final class KeystoreResponses {
    private KeystoreResponses() {}

    /** {@code POST /pubkey}: the key, its seed, and the accessor as normalised (store the profile with that). */
    record PublicKey(
            String pubkey,
            String seed,
            @JsonProperty("repo_normalized") String repoNormalized,
            JsonNode accessor) {}

    /** {@code GET /pubkey?seed=...}: also under OutLayer keystore-worker's name for the key. */
    record SeedPublicKey(
            String pubkey, @JsonProperty("public_key_hex") String publicKeyHex, String seed) {}

    /** A profile as listed: everything but the ciphertext, and never any plaintext. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Profile(
            String owner,
            String profile,
            String repo,
            String branch,
            JsonNode accessor,
            JsonNode access,
            int ciphertextBytes,
            String createdAt,
            String updatedAt) {
        static Profile of(SecretProfile p) {
            return new Profile(
                    p.owner(),
                    p.profile(),
                    p.scope().repo(),
                    p.scope().branch(),
                    p.scope().accessor().toJson(),
                    p.access().toJson(),
                    p.ciphertextBytes(),
                    p.createdAt().toString(),
                    p.updatedAt().toString());
        }
    }

    /** {@code GET /secrets/{owner}}. */
    record Profiles(String owner, List<Profile> profiles) {
        static Profiles of(String owner, List<SecretProfile> profiles) {
            return new Profiles(owner, profiles.stream().map(Profile::of).toList());
        }
    }

    /** {@code POST /encrypt}: the ECIES v1 blob, base64. */
    record Sealed(@JsonProperty("encrypted_base64") String encryptedBase64) {}

    /** {@code POST /decrypt-raw}: the bytes, base64. */
    record Opened(@JsonProperty("plaintext_base64") String plaintextBase64) {}

    /** {@code POST /storage/encrypt}: the sealed key and value, and the key's SHA-256 (hex) to index it by. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record StorageSealed(String encryptedKeyBase64, String encryptedValueBase64, String keyHash) {}

    /** {@code POST /storage/decrypt}: the entry's key and its value, base64. */
    record StorageOpened(
            String key, @JsonProperty("value_base64") String valueBase64) {}

    /** {@code POST /vrf/generate}: the output (SHA-256 of the proof) and the proof (Ed25519 signature), hex. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Vrf(String outputHex, String signatureHex) {}

    /** {@code GET /vrf/pubkey}. */
    record VrfPublicKey(@JsonProperty("vrf_public_key_hex") String vrfPublicKeyHex) {}

    /** {@code POST /add_generated_secret}: OutLayer's AddGeneratedSecretResponse, the merged blob and every name in it. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record GeneratedSecrets(String encryptedDataBase64, List<String> allKeys) {}

    /** {@code POST /update_user_secrets}: OutLayer's UpdateUserSecretsResponse. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record UpdatedSecrets(String encryptedSecretsBase64, Summary summary) {}

    /** OutLayer's UpdateSummary. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Summary(
            List<String> protectedKeysPreserved, List<String> updatedKeys, List<String> removedKeys, int totalKeys) {
        static Summary of(KeystoreService.UpdateSummary summary) {
            return new Summary(
                    summary.protectedKeysPreserved(),
                    summary.updatedKeys(),
                    summary.removedKeys(),
                    summary.totalKeys());
        }
    }

    /** {@code POST /decrypt}: base64 of the profile's JSON object of variables. */
    record Plaintext(@JsonProperty("plaintext_secrets") String plaintextSecrets) {}

    /**
     * A keyed {@code /decrypt}'s answer, OutLayer's {@code KeyedDecryptResponse}: {@code secrets} when the request
     * named a row, {@code signing_keys} / {@code encryption_keys} (path to 32 bytes, hex) when it named keys of
     * that family, {@code task_key} ({@code {key, admitted_by_name}}) when the request asked for it and its row
     * opened.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Keyed(
            Secrets secrets,
            @JsonProperty("signing_keys") Map<String, String> signingKeys,
            @JsonProperty("encryption_keys") Map<String, String> encryptionKeys,
            @JsonProperty("task_key") TaskKey taskKey) {
        static Keyed of(KeystoreService.KeyedAnswer answer) {
            KeystoreService.RowOutcome row = answer.secrets();
            Secrets secrets = row == null
                    ? null
                    : row.plaintext() == null
                            ? new Secrets("not_found", null, row.notFound())
                            : new Secrets("decrypted", Base64.getEncoder().encodeToString(row.plaintext()), null);
            KeystoreService.TaskKeyGrant grant = answer.taskKey();
            return new Keyed(
                    secrets,
                    answer.signingKeys(),
                    answer.encryptionKeys(),
                    grant == null ? null : new TaskKey(grant.key(), grant.admittedByName()));
        }
    }

    /**
     * OutLayer's {@code TaskKeyGrant}: the key (32 bytes, hex) and whether the row's condition admitted the caller
     * by a whitelist that lists them. No {@code vault}: no row here is bound to one.
     */
    record TaskKey(
            String key, @JsonProperty("admitted_by_name") boolean admittedByName) {}

    /** What became of the row: {@code {status: "decrypted", plaintext_secrets}} or {@code {status: "not_found", error}}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Secrets(
            String status,
            @JsonProperty("plaintext_secrets") String plaintextSecrets,
            String error) {}

    /** A refusal of declared keys: OutLayer's {@code {error, code}}, with the status as every error here carries it. */
    record KeysRefused(String error, String code, int status) {}
}
