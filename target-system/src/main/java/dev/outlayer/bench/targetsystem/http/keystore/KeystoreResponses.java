package dev.outlayer.bench.targetsystem.http.keystore;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.outlayer.bench.targetsystem.keystore.KeystoreService;
import dev.outlayer.bench.targetsystem.keystore.SecretProfile;
import java.util.List;

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
}
