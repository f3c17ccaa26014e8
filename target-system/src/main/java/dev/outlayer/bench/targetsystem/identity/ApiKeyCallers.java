package dev.outlayer.bench.targetsystem.identity;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import java.util.function.UnaryOperator;

/**
 * Callers known by the API keys file: no key is an anonymous caller known by its address; a key
 * in the file is a caller whose verified account is the key's owner (none when the row names no
 * owner); any other key is refused with 401.
 */
public final class ApiKeyCallers implements CallerIdentities {
    private final UnaryOperator<String> ownerOfKey;

    /** @param ownerOfKey a key's owner: null for an unknown key, blank for a key that names none */
    public ApiKeyCallers(UnaryOperator<String> ownerOfKey) {
        this.ownerOfKey = ownerOfKey;
    }

    @Override
    public Caller identify(String apiKey, String clientAddress) {
        if (apiKey == null) {
            return Caller.anonymous(clientAddress);
        }
        String owner = ownerOfKey.apply(apiKey);
        if (owner == null) {
            throw new ApiException(ApiException.Kind.UNAUTHENTICATED, "unknown API key");
        }
        return Caller.withApiKey(apiKey, owner.isBlank() ? null : VerifiedAccount.apiKeyOwner(owner));
    }
}
