package dev.outlayer.bench.targetsystem.linux;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.keystore.AccessCondition;
import dev.outlayer.bench.targetsystem.keystore.SecretsRef;
import java.util.Map;

/**
 * Turns a request's {@code secrets} reference into plaintext environment variables for the account
 * that asked for the execution. The keystore integration provides it; the emulator then adds the
 * result with {@link ProcessEnvironment#withSecrets}, which refuses reserved NEAR_* / OUTLAYER_*
 * names. A refusal is an {@link ApiException} whose kind and message the client gets.
 */
@FunctionalInterface
public interface SecretsResolver {
    /** Used until the keystore is wired in: a request naming secrets is refused, never run without them. */
    SecretsResolver NONE = (reference, userAccountId, facts) -> {
        throw new ApiException(
                ApiException.Kind.UNAVAILABLE, "secrets need the keystore, which this coordinator is not connected to");
    };

    /**
     * The variables of {@code reference} for {@code userAccountId} (the signer), for the run {@code
     * facts} describe: the SHA-256 (hex) of the module it runs, which OutLayer's worker measures on the
     * bytes it loaded, and the account that called the contract, which it reads off the job; both
     * sent with every decrypt, for access conditions locked to one build or to a calling account.
     */
    Map<String, String> resolve(SecretsRef reference, String userAccountId, AccessCondition.RunFacts facts);
}
