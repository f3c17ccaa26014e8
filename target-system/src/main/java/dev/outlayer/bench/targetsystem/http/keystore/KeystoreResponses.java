package dev.outlayer.bench.targetsystem.http.keystore;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
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

    /** {@code POST /decrypt}: base64 of the profile's JSON object of variables. */
    record Plaintext(@JsonProperty("plaintext_secrets") String plaintextSecrets) {}
}
