package dev.outlayer.bench.targetsystem.http.executions;

import static dev.outlayer.bench.targetsystem.http.executions.CoordinatorRequests.requireWorker;
import static dev.outlayer.bench.targetsystem.json.SerdeFields.required;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.http.BodyReader;
import dev.outlayer.bench.targetsystem.http.ErrorHandler;
import dev.outlayer.bench.targetsystem.http.Responses;
import dev.outlayer.bench.targetsystem.http.Routes;
import dev.outlayer.bench.targetsystem.keystore.WorkerTokens;
import dev.outlayer.bench.targetsystem.locks.LockStore;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * OutLayer's distributed locks for workers (coordinator handlers/locks.rs, worker token): {@code POST
 * /locks/acquire {lock_key, worker_id, ttl_seconds}} -> 200 {@code {"acquired": bool}} (false while another
 * worker, or the same one, holds the key), and {@code DELETE /locks/release/{lock_key}} -> 200, no body, whoever
 * holds it and whether or not anyone does, as OutLayer's {@code DEL}. Ours: {@code ?worker_id=} on the release
 * frees the lock only for its holder, 409 for another worker's lock.
 */
public final class LockRoutes {
    private static final BigInteger U64_LIMIT = BigInteger.ONE.shiftLeft(64);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private LockRoutes() {}

    /** OutLayer's {@code AcquireLockRequest}: every member required, {@code ttl_seconds} a u64. */
    record AcquireBody(
            @JsonProperty("lock_key") String lockKey,
            @JsonProperty("worker_id") String workerId,
            @JsonProperty("ttl_seconds") BigInteger ttlSeconds) {
        AcquireBody {
            required(lockKey, "lock_key");
            required(workerId, "worker_id");
            required(ttlSeconds, "ttl_seconds");
            if (ttlSeconds.signum() < 0 || ttlSeconds.compareTo(U64_LIMIT) >= 0) {
                throw new IllegalArgumentException("invalid value: integer `" + ttlSeconds + "`, expected u64");
            }
        }
    }

    /** OutLayer's {@code AcquireLockResponse}. */
    record Acquired(@JsonProperty("acquired") boolean acquired) {}

    /** @param bodies the worker routes' body limit (OutLayer's protected router takes 10 MB) */
    public static void register(Routes routes, LockStore locks, WorkerTokens workerTokens, BodyReader bodies) {
        routes.route(Methods.POST, "/locks/acquire", exchange -> {
            requireWorker(exchange, workerTokens);
            bodies.axumJson(
                    exchange,
                    AcquireBody.class,
                    (ex, body) -> ErrorHandler.dispatch(ex, () -> {
                        // a u64 past i64 is a time-to-live Redis refuses: OutLayer answers "not acquired"
                        boolean acquired = body.ttlSeconds().compareTo(LONG_MAX) <= 0
                                && locks.acquire(
                                        body.lockKey(),
                                        body.workerId(),
                                        body.ttlSeconds().longValueExact());
                        Responses.json(ex, 200, new Acquired(acquired));
                    }));
        });
        routes.route(Methods.DELETE, "/locks/release/{lock_key}", exchange -> {
            requireWorker(exchange, workerTokens);
            String key = lockKeyInPath(exchange);
            String holder = AxumQuery.value(exchange, "worker_id");
            ErrorHandler.dispatch(exchange, () -> {
                if (holder == null) {
                    locks.release(key);
                } else if (locks.releaseIfHeldBy(key, holder) == LockStore.Release.HELD_BY_ANOTHER) {
                    throw new ApiException(ApiException.Kind.CONFLICT, "lock '" + key + "' is held by another worker");
                }
                exchange.setStatusCode(200);
                exchange.endExchange();
            });
        });
    }

    /**
     * The {@code {lock_key}} segment as axum's {@code Path<String>} gives it: the raw segment (OutLayer's worker
     * percent-encodes the key, slashes included, which the listener would leave encoded) percent-decoded, a
     * {@code %} without two hex digits kept as it is, {@code +} not a space; 400 when the bytes are not UTF-8.
     */
    static String lockKeyInPath(HttpServerExchange exchange) {
        String raw = exchange.getRequestURI();
        String segment = raw.substring(raw.lastIndexOf('/') + 1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        byte[] ascii = segment.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < ascii.length; i++) {
            int high = i + 2 < ascii.length ? Character.digit(ascii[i + 1], 16) : -1;
            int low = i + 2 < ascii.length ? Character.digit(ascii[i + 2], 16) : -1;
            if (ascii[i] == '%' && high >= 0 && low >= 0) {
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                bytes.write(ascii[i]);
            }
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiException.invalid("Invalid URL: Invalid UTF-8 in `lock_key`");
        }
    }
}
