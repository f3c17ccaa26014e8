package dev.outlayer.bench.targetsystem.tee;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.executions.ManualClock;
import dev.outlayer.bench.targetsystem.rpc.Base58;
import dev.outlayer.bench.targetsystem.tee.TeeRegistration.Outcome;
import dev.outlayer.bench.targetsystem.tee.TeeRegistration.Refusal;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OutLayer's TEE session handshake (handlers/workers.rs, the tee_auth crate): each refusal in its words and
 * order, the challenge used up by any attempt, and a session for a key on the register-contract's account.
 */
class TeeRegistrationTest {
    private static final String TOKEN = "1".repeat(64);
    private static final String REGISTER = "register.test.near";

    private final Ed25519PrivateKeyParameters key = TeeTestKeys.newKey();
    private final byte[] publicKey = TeeTestKeys.publicKey(key);
    private final String nearKey = TeeTestKeys.nearKey(key);
    private ManualClock clock;
    private TeeSessions sessions;
    private TeeRegistration registration;

    @BeforeEach
    void open() {
        clock = new ManualClock(Instant.parse("2026-03-01T12:00:00Z"));
        sessions = new InMemoryTeeSessions();
        registration = new TeeRegistration(sessions, REGISTER, this::onRegisterAccount, clock);
    }

    private boolean onRegisterAccount(String account, byte[] candidate) {
        return account.equals(REGISTER) && Arrays.equals(candidate, publicKey);
    }

    private String sign(String challenge) {
        return TeeTestKeys.sign(key, challenge);
    }

    private static void assertRefused(Outcome outcome, Refusal refusal, String message) {
        assertThat(outcome.sessionId()).isNull();
        assertThat(outcome.refusal()).isEqualTo(refusal);
        assertThat(outcome.message()).isEqualTo(message);
    }

    @Test
    void aSignedFreshChallengeOfARegisteredKeyOpensASession() {
        String challenge = registration.challenge(TOKEN);
        assertThat(challenge).matches("[0-9a-f]{64}");
        assertThat(registration.challenge(TOKEN)).as("random").isNotEqualTo(challenge);

        Outcome outcome = registration.register(TOKEN, nearKey, challenge, sign(challenge));
        assertThat(outcome.refusal()).as(outcome.message()).isNull();
        TeeSessions.Session session = registration.session(outcome.sessionId()).orElseThrow();
        assertThat(session.active()).isTrue();
        assertThat(session.workerPublicKey()).isEqualTo(nearKey);
        assertThat(session.tokenHash()).isEqualTo(TOKEN);

        assertRefused(
                registration.register(TOKEN, nearKey, challenge, sign(challenge)),
                Refusal.BAD_CHALLENGE,
                "Invalid or expired challenge");
        String next = registration.challenge(TOKEN);
        String hexKey = HexFormat.of().formatHex(publicKey);
        Outcome again = registration.register(TOKEN, hexKey, next, sign(next));
        assertThat(again.refusal()).as("the key in hex, as tee_auth takes it").isNull();
        assertThat(registration.session(outcome.sessionId()).orElseThrow().active())
                .as("the token's new session ended the old one")
                .isFalse();
    }

    @Test
    void aChallengeIsTheTokensOwnAndUsedUpByAFailedAttempt() {
        String challenge = registration.challenge(TOKEN);
        assertRefused(
                registration.register("2".repeat(64), nearKey, challenge, sign(challenge)),
                Refusal.BAD_CHALLENGE,
                "Invalid or expired challenge");
        assertRefused(
                registration.register(TOKEN, nearKey, challenge, "00".repeat(64)),
                Refusal.FORBIDDEN,
                "Signature verification failed: signature verification failed");
        assertRefused(
                registration.register(TOKEN, nearKey, challenge, sign(challenge)),
                Refusal.BAD_CHALLENGE,
                "Invalid or expired challenge");
    }

    @Test
    void aChallengeOlderThanAMinuteHasExpired() {
        String challenge = registration.challenge(TOKEN);
        clock.advance(Duration.ofSeconds(60).plusMillis(999));
        assertThat(registration
                        .register(TOKEN, nearKey, challenge, sign(challenge))
                        .refusal())
                .as("60.999 s: num_seconds() is 60, not more")
                .isNull();
        String late = registration.challenge(TOKEN);
        clock.advance(Duration.ofSeconds(61));
        assertRefused(
                registration.register(TOKEN, nearKey, late, sign(late)), Refusal.BAD_CHALLENGE, "Challenge expired");
        String dropped = registration.challenge(TOKEN);
        clock.advance(Duration.ofSeconds(61));
        registration.challenge(TOKEN);
        assertRefused(
                registration.register(TOKEN, nearKey, dropped, sign(dropped)),
                Refusal.BAD_CHALLENGE,
                "Invalid or expired challenge");
    }

    @Test
    void keysAndSignaturesAreRefusedInTeeAuthsWords() {
        String prefix = "Signature verification failed: ";
        String[][] cases = {
            {
                "ed25519:0OIl",
                "00",
                "invalid public key: base58 decode: provided string contained invalid character '0' at byte 0"
            },
            {
                "ed25519:1é",
                "00",
                "invalid public key: base58 decode: provided string contained non-ascii character starting at byte 1"
            },
            {"ed25519:" + Base58.encode(new byte[31]), "00", "invalid public key: expected 32 bytes, got 31"},
            {"zz".repeat(32), "00", "invalid public key: hex decode: Invalid character 'z' at position 0"},
            {"short", "00", "invalid public key: unrecognized format (expected 'ed25519:...' or 64 hex chars): short"},
            {nearKey, "0", "invalid signature: hex decode error: Odd number of digits"},
            {nearKey, "0g", "invalid signature: hex decode error: Invalid character 'g' at position 1"},
            {nearKey, "00", "invalid signature: expected 64 bytes, got 1"},
        };
        for (String[] c : cases) {
            String challenge = registration.challenge(TOKEN);
            assertRefused(registration.register(TOKEN, c[0], challenge, c[1]), Refusal.FORBIDDEN, prefix + c[2]);
        }
    }

    @Test
    void aKeyNotOnTheRegisterAccountIsRefusedAndNoAccountMeansNotConfigured() {
        Ed25519PrivateKeyParameters stranger = TeeTestKeys.newKey();
        String challenge = registration.challenge(TOKEN);
        assertRefused(
                registration.register(
                        TOKEN, TeeTestKeys.nearKey(stranger), challenge, TeeTestKeys.sign(stranger, challenge)),
                Refusal.FORBIDDEN,
                "Public key not registered on contract");

        TeeRegistration unconfigured = new TeeRegistration(sessions, "", this::onRegisterAccount, clock);
        String next = unconfigured.challenge(TOKEN);
        assertRefused(
                unconfigured.register(TOKEN, nearKey, next, sign(next)),
                Refusal.NOT_CONFIGURED,
                "TEE verification not configured");
        String third = unconfigured.challenge(TOKEN);
        assertRefused(
                unconfigured.register(TOKEN, nearKey, third, "00".repeat(64)),
                Refusal.FORBIDDEN,
                "Signature verification failed: signature verification failed");
    }
}
