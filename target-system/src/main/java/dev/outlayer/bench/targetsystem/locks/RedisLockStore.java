package dev.outlayer.bench.targetsystem.locks;

import dev.outlayer.bench.targetsystem.errors.TransientFailure;
import dev.outlayer.bench.targetsystem.redis.LettuceClients;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Locks in Redis, OutLayer's commands on OutLayer's keys ({@code lock:<key>}, the holder's worker id as the value):
 * {@code SET NX EX} to take one, so Redis expires it, and {@code DEL} to release it. Every coordinator on the
 * server (OutLayer's included) sees the same locks. The holder-checked release is a Lua compare-and-delete, one
 * atomic step in Redis. The connection opens on first use and Lettuce reconnects by itself; while Redis cannot be
 * reached a call fails at once ({@link Unavailable}: a 500, as OutLayer's handler answers when it gets no
 * connection).
 */
public final class RedisLockStore implements LockStore {
    private static final Logger LOG = LoggerFactory.getLogger(RedisLockStore.class);
    /** OutLayer's key: {@code format!("lock:{}", lock_key)}. */
    static final String KEY_PREFIX = "lock:";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

    /** 1 released, 0 no one held it, -1 another holds it. */
    private static final String RELEASE_IF_HELD = """
            local holder = redis.call('GET', KEYS[1])
            if not holder then return 0 end
            if holder == ARGV[1] then redis.call('DEL', KEYS[1]) return 1 end
            return -1""";

    /** Redis could not be reached, or did not answer in time. */
    public static final class Unavailable extends RuntimeException implements TransientFailure {
        Unavailable(String what, Throwable cause) {
            super("the Redis lock store failed during " + what + ": " + cause, cause);
        }
    }

    private final RedisURI uri;
    private final ClientResources resources;
    private final RedisClient redis;
    private volatile StatefulRedisConnection<String, String> connection;

    /** @param url {@code redis://host:port[/db]} ({@code rediss://} for TLS, a password as {@code redis://:pw@host}) */
    public RedisLockStore(String url) {
        this.uri = RedisURI.create(url);
        // Lettuce reconnects by itself: after an outage, within a second of Redis answering again
        this.resources = LettuceClients.resources(1, Duration.ofSeconds(1));
        this.redis = RedisClient.create(resources, uri);
        redis.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // while disconnected a call fails at once rather than waiting in a queue
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .socketOptions(
                        SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build())
                .build());
        try {
            commands();
        } catch (Unavailable e) {
            LOG.warn("Redis lock store {} unreachable at start ({}); lock calls fail until it answers", describe(), e);
        }
    }

    private RedisCommands<String, String> commands() {
        StatefulRedisConnection<String, String> open = connection;
        if (open == null) {
            synchronized (this) {
                open = connection;
                if (open == null) {
                    try {
                        open = redis.connect();
                    } catch (RedisException e) {
                        throw new Unavailable("connect", e);
                    }
                    connection = open;
                }
            }
        }
        return open.sync();
    }

    @Override
    public boolean acquire(String key, String holder, long ttlSeconds) {
        if (ttlSeconds <= 0) {
            return false; // Redis refuses EX 0 ("invalid expire time"); not worth a round trip
        }
        try {
            return "OK"
                    .equals(commands()
                            .set(KEY_PREFIX + key, holder, SetArgs.Builder.nx().ex(ttlSeconds)));
        } catch (RedisCommandExecutionException e) {
            // Redis answered with an error (an expire time it refuses): OutLayer's unwrap_or(false)
            return false;
        } catch (RedisException e) {
            throw new Unavailable("acquire", e);
        }
    }

    @Override
    public void release(String key) {
        try {
            commands().del(KEY_PREFIX + key);
        } catch (RedisException e) {
            throw new Unavailable("release", e);
        }
    }

    @Override
    public Release releaseIfHeldBy(String key, String holder) {
        long outcome;
        try {
            outcome =
                    commands().eval(RELEASE_IF_HELD, ScriptOutputType.INTEGER, new String[] {KEY_PREFIX + key}, holder);
        } catch (RedisException e) {
            throw new Unavailable("release", e);
        }
        return outcome == 1 ? Release.RELEASED : outcome == 0 ? Release.NOT_HELD : Release.HELD_BY_ANOTHER;
    }

    /** host:port/db, never the password a redis:// URL may carry. */
    @Override
    public String describe() {
        return "Redis " + LettuceClients.describe(uri);
    }

    /** Returns once Lettuce's threads have stopped. */
    @Override
    public void close() {
        LettuceClients.shutdown(connection, redis, resources, CLOSE_TIMEOUT, "Redis lock store");
    }
}
