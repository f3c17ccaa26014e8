package dev.outlayer.bench.targetsystem.tee;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rules every {@link TeeSessions} store keeps (OutLayer's tee_challenges and worker_tee_sessions). */
public abstract class TeeSessionsContractTest {
    protected static final Instant START = Instant.parse("2026-03-01T12:00:00Z");
    private static final String TOKEN_A = "a".repeat(64);
    private static final String TOKEN_B = "b".repeat(64);

    protected TeeSessions sessions;

    protected abstract TeeSessions newSessions();

    @BeforeEach
    void open() {
        sessions = newSessions();
    }

    private void add(String challenge, String token, Instant at) {
        sessions.addChallenge(new TeeSessions.Challenge(challenge, token, at), at.minusSeconds(60));
    }

    @Test
    void aChallengeIsTakenOnceAndOnlyByItsToken() {
        add("c1", TOKEN_A, START);
        assertThat(sessions.takeChallenge("c1", TOKEN_B)).as("another token's").isEmpty();
        assertThat(sessions.takeChallenge("c1", TOKEN_A)).contains(START);
        assertThat(sessions.takeChallenge("c1", TOKEN_A)).as("used up").isEmpty();
        assertThat(sessions.takeChallenge("unknown", TOKEN_A)).isEmpty();
    }

    @Test
    void expiredChallengesAreDroppedAsNewOnesAreMade() {
        add("old", TOKEN_A, START);
        add("fresh", TOKEN_A, START.plusSeconds(30));
        add("newest", TOKEN_A, START.plus(Duration.ofSeconds(61)));
        assertThat(sessions.takeChallenge("old", TOKEN_A))
                .as("older than a minute when 'newest' came")
                .isEmpty();
        assertThat(sessions.takeChallenge("fresh", TOKEN_A)).contains(START.plusSeconds(30));
    }

    @Test
    void aNewSessionEndsTheTokensOthers() {
        UUID first = sessions.openSession(TOKEN_A, "ed25519:first", START);
        UUID other = sessions.openSession(TOKEN_B, "ed25519:other", START);
        UUID second = sessions.openSession(TOKEN_A, "ed25519:second", START.plusSeconds(5));
        assertThat(second).isNotEqualTo(first);
        assertThat(sessions.session(first))
                .hasValue(new TeeSessions.Session(first, TOKEN_A, "ed25519:first", START, false));
        assertThat(sessions.session(second))
                .hasValue(new TeeSessions.Session(second, TOKEN_A, "ed25519:second", START.plusSeconds(5), true));
        assertThat(sessions.session(other).orElseThrow().active())
                .as("another token's session stays")
                .isTrue();
        assertThat(sessions.session(UUID.randomUUID())).isEmpty();
    }
}
