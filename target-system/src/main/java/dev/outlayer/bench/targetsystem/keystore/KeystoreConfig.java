package dev.outlayer.bench.targetsystem.keystore;

import java.nio.file.Path;
import java.util.List;

/**
 * What the keystore needs to start.
 *
 * @param dataDir              where master.key and profiles.mv.db live; null keeps profiles in memory only
 *                             (then masterSecretHex is required)
 * @param masterSecretHex      the master secret as 64 hex characters, or null/blank to use dataDir/master.key
 * @param workerTokenHashes    hex SHA-256 of each token allowed to call /decrypt
 * @param apiKeysFile          the coordinator's keys file (api_key,tier,owner) naming who owns which key
 * @param reloadIntervalMillis how often the keys file is checked for changes
 * @param maxProfilesPerOwner  most profiles one owner may store; one more is refused with 409
 * @param coordinatorTokenHashes hex SHA-256 of each coordinator token allowed to call the coordinator
 *                             routes ({@code /add_generated_secret}, {@code /update_user_secrets}):
 *                             OutLayer's {@code ALLOWED_COORDINATOR_TOKEN_HASHES}, a set apart from the
 *                             workers'
 * @param outlayerContract     the OutLayer contract whose {@code get_project} and {@code get_version} the
 *                             keystore reads to serve a project run's declared keys (OutLayer's
 *                             {@code NEAR_CONTRACT_ID})
 */
public record KeystoreConfig(
        Path dataDir,
        String masterSecretHex,
        List<String> workerTokenHashes,
        Path apiKeysFile,
        long reloadIntervalMillis,
        int maxProfilesPerOwner,
        List<String> coordinatorTokenHashes,
        String outlayerContract) {
    public static final int DEFAULT_MAX_PROFILES_PER_OWNER = 1_000;
    public static final String DEFAULT_OUTLAYER_CONTRACT = "outlayer.test.near";

    public KeystoreConfig {
        workerTokenHashes = List.copyOf(workerTokenHashes);
        coordinatorTokenHashes = List.copyOf(coordinatorTokenHashes);
        if (maxProfilesPerOwner < 1) {
            throw new IllegalArgumentException("the profile cap per owner must be at least 1");
        }
        if (outlayerContract == null || outlayerContract.isBlank()) {
            outlayerContract = DEFAULT_OUTLAYER_CONTRACT;
        }
    }

    /** Without coordinator tokens (only an embedded coordinator's own token, if any, then calls its routes). */
    public KeystoreConfig(
            Path dataDir,
            String masterSecretHex,
            List<String> workerTokenHashes,
            Path apiKeysFile,
            long reloadIntervalMillis,
            int maxProfilesPerOwner) {
        this(
                dataDir,
                masterSecretHex,
                workerTokenHashes,
                apiKeysFile,
                reloadIntervalMillis,
                maxProfilesPerOwner,
                List.of(),
                DEFAULT_OUTLAYER_CONTRACT);
    }

    /** With the default cap per owner. */
    public KeystoreConfig(
            Path dataDir,
            String masterSecretHex,
            List<String> workerTokenHashes,
            Path apiKeysFile,
            long reloadIntervalMillis) {
        this(
                dataDir,
                masterSecretHex,
                workerTokenHashes,
                apiKeysFile,
                reloadIntervalMillis,
                DEFAULT_MAX_PROFILES_PER_OWNER);
    }
}
