package dev.outlayer.bench.targetsystem.identity;

/**
 * The port the HTTP edge asks who a caller is; the wiring implements it from the API keys file.
 * An unknown API key is refused (ApiException UNAUTHENTICATED), never treated as anonymous.
 */
@FunctionalInterface
public interface CallerIdentities {
    /** {@code apiKey} null for a request without one; {@code clientAddress} is the peer's address. */
    Caller identify(String apiKey, String clientAddress);
}
