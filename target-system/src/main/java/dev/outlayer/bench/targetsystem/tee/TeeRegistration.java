package dev.outlayer.bench.targetsystem.tee;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * OutLayer's TEE session handshake on the coordinator (handlers/workers.rs {@code tee_challenge} and {@code
 * register_tee}): a worker token asks for a one-time challenge, signs its bytes with the key its TEE registered,
 * and gets a session when the challenge is its own and fresh, the signature holds and the key is an access key of
 * the register-contract's account. The coordinator verifies no TDX quote: the register-contract did, on chain,
 * before adding the key. Here the account is one of the simulated chain's ({@code --tee-register-account}); no
 * contract there verifies quotes, so its keys are whatever was added to it.
 */
public final class TeeRegistration {
    /** OutLayer's challenge lifetime: older than this (in whole seconds) is expired. */
    public static final Duration CHALLENGE_LIFETIME = Duration.ofSeconds(60);

    /** Whether an Ed25519 key (32 bytes) is an access key of the account, on the chain as it is now. */
    @FunctionalInterface
    public interface AccessKeys {
        boolean has(String accountId, byte[] ed25519Key);
    }

    /** Why a registration was refused; OutLayer answers 400, 403 and 500 for them, each with a line of text. */
    public enum Refusal {
        /** The challenge is unknown, another token's, used or expired (400). */
        BAD_CHALLENGE,
        /** The signature does not hold, or the key is not on the register-contract's account (403). */
        FORBIDDEN,
        /** No register-contract account is configured (500). */
        NOT_CONFIGURED
    }

    /** What a registration ends with: a session, or a refusal in OutLayer's words. */
    public record Outcome(UUID sessionId, Refusal refusal, String message) {
        static Outcome refused(Refusal refusal, String message) {
            return new Outcome(null, refusal, message);
        }
    }

    private final TeeSessions sessions;
    private final String registerAccount;
    private final AccessKeys keys;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /** @param registerAccount OutLayer's {@code REGISTER_CONTRACT_ID}, or null when none is configured */
    public TeeRegistration(TeeSessions sessions, String registerAccount, AccessKeys keys, Clock clock) {
        this.sessions = sessions;
        this.registerAccount = registerAccount == null || registerAccount.isBlank() ? null : registerAccount;
        this.keys = keys;
        this.clock = clock;
    }

    /** {@code tee_challenge}: a new challenge for the worker token (its sha256, hex). */
    public String challenge(String tokenHash) {
        Instant now = clock.instant();
        String challenge = TeeSessions.newChallenge(random);
        sessions.addChallenge(new TeeSessions.Challenge(challenge, tokenHash, now), now.minus(CHALLENGE_LIFETIME));
        return challenge;
    }

    /**
     * {@code register_tee}, in its order: the challenge is taken (used up whatever follows), then its age, the
     * signature, the configuration, the key on the account; then the token's other sessions end and a new one
     * opens. OutLayer asks the RPC up to three times, three seconds apart, before it calls a key unknown (finality
     * lag); the simulated chain shows a key at once, so the refusal comes at once here.
     */
    public Outcome register(String tokenHash, String publicKey, String challenge, String signature) {
        Optional<Instant> made = sessions.takeChallenge(challenge, tokenHash);
        if (made.isEmpty()) {
            return Outcome.refused(Refusal.BAD_CHALLENGE, "Invalid or expired challenge");
        }
        if (Duration.between(made.get(), clock.instant()).getSeconds() > CHALLENGE_LIFETIME.getSeconds()) {
            return Outcome.refused(Refusal.BAD_CHALLENGE, "Challenge expired");
        }
        byte[] key;
        try {
            TeeAuth.verifySignature(publicKey, challenge, signature);
            key = TeeAuth.publicKeyBytes(publicKey);
        } catch (TeeAuth.TeeAuthException e) {
            return Outcome.refused(Refusal.FORBIDDEN, "Signature verification failed: " + e.getMessage());
        }
        if (registerAccount == null) {
            return Outcome.refused(Refusal.NOT_CONFIGURED, "TEE verification not configured");
        }
        if (!keys.has(registerAccount, key)) {
            return Outcome.refused(Refusal.FORBIDDEN, "Public key not registered on contract");
        }
        return new Outcome(sessions.openSession(tokenHash, publicKey, clock.instant()), null, null);
    }

    /** A session opened here, for whoever checks {@code X-TEE-Session} (nothing in the stand-in requires one). */
    public Optional<TeeSessions.Session> session(UUID sessionId) {
        return sessions.session(sessionId);
    }
}
