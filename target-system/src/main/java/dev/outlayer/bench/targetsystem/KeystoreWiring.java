package dev.outlayer.bench.targetsystem;

import dev.outlayer.bench.targetsystem.keystore.KeystoreConfig;
import dev.outlayer.bench.targetsystem.keystore.SecretsClient;
import dev.outlayer.bench.targetsystem.keystore.WorkerTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Turns the target system's flags into the keystore's configuration and the coordinator's client. */
final class KeystoreWiring {
    private KeystoreWiring() {}

    static KeystoreConfig config(TargetOptions options) {
        List<String> hashes = new ArrayList<>(options.workerTokenHashes);
        if (!options.workerTokenHashesFile.isBlank()) {
            try {
                hashes.addAll(WorkerTokens.readHashFile(Path.of(options.workerTokenHashesFile)));
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot read --worker-token-hashes-file " + options.workerTokenHashesFile, e);
            }
        }
        return new KeystoreConfig(
                options.keystoreDirectory(),
                options.keystoreMasterSecret,
                hashes,
                options.apiKeysFile,
                options.reloadIntervalMillis,
                options.keystoreMaxProfilesPerOwner);
    }

    /** The coordinator's worker token: the configured one, or a random one for an embedded keystore. */
    static String workerToken(TargetOptions options) {
        if (!options.workerToken.isBlank()) {
            return options.workerToken;
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** The client the coordinator uses; {@code embeddedUrl} is null when no keystore runs in this JVM. */
    static SecretsClient client(TargetOptions options, String workerToken, String embeddedUrl, String loopbackHost) {
        String url = !options.keystoreUrl.isBlank()
                ? options.keystoreUrl
                : embeddedUrl != null ? embeddedUrl : "http://" + loopbackHost + ":" + options.keystorePort;
        return new SecretsClient(url, workerToken, Duration.ofMillis(options.keystoreTimeoutMillis));
    }
}
