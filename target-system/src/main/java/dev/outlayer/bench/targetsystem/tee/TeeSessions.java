package dev.outlayer.bench.targetsystem.tee;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * OutLayer's TEE sessions on the coordinator (tables {@code tee_challenges} and {@code worker_tee_sessions}): the
 * one-time challenges handed to a worker token, and the sessions a signed challenge opens, one active per token.
 * In memory ({@link InMemoryTeeSessions}) or in PostgreSQL ({@link PostgresTeeSessions}). {@link TeeRegistration}
 * holds the rules.
 */
public interface TeeSessions {
    /** A challenge handed out: to whom (the worker token's sha256, hex) and when. */
    record Challenge(String challenge, String tokenHash, Instant createdAt) {}

    /** A session: the worker token it belongs to, the key that signed, when, and whether it is still the token's. */
    record Session(UUID sessionId, String tokenHash, String workerPublicKey, Instant createdAt, boolean active) {}

    /** Keeps {@code challenge} for the token; challenges older than {@code expiredBefore} are dropped. */
    void addChallenge(Challenge challenge, Instant expiredBefore);

    /** Takes the challenge if it was handed to this token (it is gone either way after a match); when it was made. */
    Optional<Instant> takeChallenge(String challenge, String tokenHash);

    /** Deactivates the token's active sessions and opens a new one for {@code publicKey}; its id. */
    UUID openSession(String tokenHash, String publicKey, Instant at);

    Optional<Session> session(UUID sessionId);

    /** OutLayer's {@code tee_auth::generate_challenge}: 32 random bytes in lower-case hex. */
    static String newChallenge(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
