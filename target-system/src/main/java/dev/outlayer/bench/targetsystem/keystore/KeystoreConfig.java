package dev.outlayer.bench.targetsystem.keystore;

import java.nio.file.Path;
import java.util.List;

/**
 * What the keystore needs to start.
 *
 * @param dataDir              where master.key and profiles.json live; null keeps profiles in memory only
 *                             (then masterSecretHex is required)
 * @param masterSecretHex      the master secret as 64 hex characters, or null/blank to use dataDir/master.key
 * @param workerTokenHashes    hex SHA-256 of each token allowed to call /decrypt
 * @param apiKeysFile          the coordinator's keys file (api_key,tier,owner) naming who owns which key
 * @param reloadIntervalMillis how often the keys file is checked for changes
 */
public record KeystoreConfig(
        Path dataDir,
        String masterSecretHex,
        List<String> workerTokenHashes,
        Path apiKeysFile,
        long reloadIntervalMillis) {
    public KeystoreConfig {
        workerTokenHashes = List.copyOf(workerTokenHashes);
    }
}
