package dev.outlayer.bench.targetsystem.linux;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * Turns a request's {@code secrets} reference ({owner, profile, repo, branch?}) into plaintext
 * environment variables. The keystore integration provides it; the emulator then adds the result
 * with {@link ProcessEnvironment#withSecrets}, which refuses reserved NEAR_* / OUTLAYER_* names.
 */
@FunctionalInterface
public interface SecretsResolver {
    /** Used until the keystore is wired in: a request naming secrets is refused, never run without them. */
    SecretsResolver NONE = (reference, userAccountId) -> {
        throw new UnsupportedOperationException("secrets need the keystore, which this coordinator is not connected to");
    };

    Map<String, String> resolve(JsonNode reference, String userAccountId) throws Exception;
}
