package dev.outlayer.bench.targetsystem.identity;

/**
 * Who made a request: the key its fair share of the Linux workers is counted under (its API key,
 * or its address when it has none) and, when a credential proved one, its account.
 *
 * @param fairnessKey {@code key:<api key>} or {@code addr:<client address>}; null for the server's own work
 * @param account     the proven account, or null for an anonymous caller or a key that names none
 */
public record Caller(String fairnessKey, VerifiedAccount account) {
    /** Work the server starts itself (tests, benchmarks): no client, so no share to count; no account. */
    public static final Caller INTERNAL = new Caller(null, null);

    public static Caller anonymous(String clientAddress) {
        return new Caller("addr:" + clientAddress, null);
    }

    public static Caller withApiKey(String apiKey, VerifiedAccount account) {
        return new Caller("key:" + apiKey, account);
    }
}
