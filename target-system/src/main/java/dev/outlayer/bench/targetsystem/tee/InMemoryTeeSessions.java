package dev.outlayer.bench.targetsystem.tee;

import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * TEE challenges and sessions in this process's memory. Expired challenges are dropped as new ones are made
 * (OutLayer deletes them every minute); at most {@value #MAX_SESSIONS} sessions are kept, the oldest forgotten
 * first (OutLayer keeps every row; a restart forgets them all here).
 */
public final class InMemoryTeeSessions implements TeeSessions {
    static final int MAX_CHALLENGES = 100_000;
    static final int MAX_SESSIONS = 100_000;

    /** By challenge, oldest first. */
    private final LinkedHashMap<String, Challenge> challenges = new LinkedHashMap<>();

    private final Map<UUID, Session> sessions = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Session> eldest) {
            return size() > MAX_SESSIONS;
        }
    };

    @Override
    public synchronized void addChallenge(Challenge challenge, Instant expiredBefore) {
        for (Iterator<Challenge> it = challenges.values().iterator(); it.hasNext(); ) {
            Challenge oldest = it.next();
            if (!oldest.createdAt().isBefore(expiredBefore) && challenges.size() < MAX_CHALLENGES) {
                break;
            }
            it.remove();
        }
        challenges.put(challenge.challenge(), challenge);
    }

    @Override
    public synchronized Optional<Instant> takeChallenge(String challenge, String tokenHash) {
        Challenge found = challenges.get(challenge);
        if (found == null || !found.tokenHash().equals(tokenHash)) {
            return Optional.empty();
        }
        challenges.remove(challenge);
        return Optional.of(found.createdAt());
    }

    @Override
    public synchronized UUID openSession(String tokenHash, String publicKey, Instant at) {
        sessions.replaceAll((id, s) -> s.active() && s.tokenHash().equals(tokenHash)
                ? new Session(id, s.tokenHash(), s.workerPublicKey(), s.createdAt(), false)
                : s);
        UUID id = UUID.randomUUID();
        sessions.put(id, new Session(id, tokenHash, publicKey, at, true));
        return id;
    }

    @Override
    public synchronized Optional<Session> session(UUID sessionId) {
        return Optional.ofNullable(sessions.get(sessionId));
    }
}
