package dev.outlayer.bench.targetsystem.http.executions;

import static dev.outlayer.bench.targetsystem.http.executions.CoordinatorRequests.requireWorker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.http.BodyReader;
import dev.outlayer.bench.targetsystem.http.ClientAddressLimit;
import dev.outlayer.bench.targetsystem.http.ErrorHandler;
import dev.outlayer.bench.targetsystem.http.Responses;
import dev.outlayer.bench.targetsystem.http.Routes;
import dev.outlayer.bench.targetsystem.json.SerdeBytes;
import dev.outlayer.bench.targetsystem.json.SerdeFields;
import dev.outlayer.bench.targetsystem.keystore.WorkerTokens;
import dev.outlayer.bench.targetsystem.persistence.StorableText;
import dev.outlayer.bench.targetsystem.storage.ProjectStorage;
import dev.outlayer.bench.targetsystem.storage.ProjectStorage.Entry;
import dev.outlayer.bench.targetsystem.storage.ProjectStorage.Slot;
import dev.outlayer.bench.targetsystem.storage.ProjectStorage.Stored;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OutLayer's project storage API (coordinator handlers/storage.rs, public.rs): for workers (worker token) {@code
 * POST /storage/set}, {@code set-if-absent}, {@code set-if-equals}, {@code get}, {@code get-by-version}, {@code
 * has}, {@code delete}, {@code clear-all}, {@code clear-version}, {@code clear-project}, {@code get-public}, {@code
 * GET /storage/list} and {@code /storage/usage}; for anyone {@code GET /public/storage/get}, {@code POST
 * /public/storage/batch} and {@code GET /public/projects/storage}. Bytes travel as serde's {@code Vec<u8>}: JSON
 * arrays of numbers ({@link SerdeBytes}); the public reads give them in base64, as OutLayer's do.
 */
public final class StorageRoutes {
    /** OutLayer's {@code batch_get_public_storage} limits. */
    static final int MAX_BATCH_KEYS = 50;

    static final int MAX_KEY_LENGTH = 1024;

    /** OutLayer's {@code storage_list}: {@code limit} 100 by default, at most 1000. */
    static final long DEFAULT_LIST_LIMIT = 100;

    static final long MAX_LIST_LIMIT = 1000;

    private final ProjectStorage storage;
    private final WorkerTokens workerTokens;
    private final BodyReader workerBodies;
    private final BodyReader publicBodies;

    private StorageRoutes(
            ProjectStorage storage, WorkerTokens workerTokens, BodyReader workerBodies, BodyReader publicBodies) {
        this.storage = storage;
        this.workerTokens = workerTokens;
        this.workerBodies = workerBodies;
        this.publicBodies = publicBodies;
    }

    /**
     * @param workerBodies the body limit of the worker routes (OutLayer's protected router takes 10 MB)
     * @param publicBodies the body limit of the public batch read
     * @param publicLimit OutLayer's per-address limit of the two public storage reads (100 a minute there)
     */
    public static void register(
            Routes routes,
            ProjectStorage storage,
            WorkerTokens workerTokens,
            BodyReader workerBodies,
            BodyReader publicBodies,
            ClientAddressLimit publicLimit) {
        StorageRoutes api = new StorageRoutes(storage, workerTokens, workerBodies, publicBodies);
        api.worker(routes, "/storage/set", SetBody.class, api::set);
        api.worker(routes, "/storage/set-if-absent", SetIfAbsentBody.class, api::setIfAbsent);
        api.worker(routes, "/storage/set-if-equals", SetIfEqualsBody.class, api::setIfEquals);
        api.worker(
                routes,
                "/storage/get",
                SlotBody.class,
                (ex, b) -> Responses.json(ex, 200, found(storage.get(b.slot()))));
        api.worker(
                routes,
                "/storage/get-by-version",
                VersionSlotBody.class,
                (ex, b) ->
                        Responses.json(ex, 200, found(storage.getByVersion(b.wasmHash(), b.accountId(), b.keyHash()))));
        api.worker(
                routes,
                "/storage/has",
                SlotBody.class,
                (ex, b) -> Responses.json(ex, 200, new Has(storage.get(b.slot()).isPresent())));
        api.worker(routes, "/storage/delete", SlotBody.class, api::delete);
        api.worker(routes, "/storage/clear-all", ClearBody.class, (ex, b) -> {
            storage.clearAll(b.projectUuid(), b.accountId());
            ok(ex);
        });
        api.worker(routes, "/storage/clear-version", ClearVersionBody.class, (ex, b) -> {
            storage.clearVersion(b.wasmHash(), b.accountId());
            ok(ex);
        });
        api.worker(routes, "/storage/clear-project", ClearProjectBody.class, (ex, b) -> {
            storage.clearProject(b.projectUuid());
            ok(ex);
        });
        api.worker(routes, "/storage/get-public", PublicSlotBody.class, api::getPublic);
        routes.route(Methods.GET, "/storage/list", api::list);
        routes.route(Methods.GET, "/storage/usage", api::usage);
        routes.route(Methods.GET, "/public/storage/get", publicLimit.guard(api::publicGet));
        routes.route(Methods.POST, "/public/storage/batch", publicLimit.guard(api::publicBatch));
        routes.route(Methods.GET, "/public/projects/storage", api::projectStorage);
    }

    // ---- bodies (OutLayer's shapes; every member required unless said) ----

    /**
     * A required {@code String}: serde refuses a body without it, or with null. One PostgreSQL's text cannot hold
     * (a NUL) is refused in memory too, so that both stores answer alike (OutLayer's database refuses it).
     */
    static String required(String value, String name) {
        SerdeFields.required(value, name);
        String problem = StorableText.problem(value);
        if (problem != null) {
            throw new IllegalArgumentException("'" + name + "' cannot hold " + problem);
        }
        return value;
    }

    private static byte[] required(byte[] value, String name) {
        return SerdeFields.required(value, name);
    }

    /** The members both of OutLayer's write requests require. */
    private static void requireWrite(
            String projectUuid, String wasmHash, String accountId, String keyHash, byte[] key, byte[] value) {
        required(projectUuid, "project_uuid");
        required(wasmHash, "wasm_hash");
        required(accountId, "account_id");
        required(keyHash, "key_hash");
        required(key, "encrypted_key");
        required(value, "encrypted_value");
    }

    /** OutLayer's {@code StorageSetRequest}: {@code is_encrypted} defaults to true. */
    record SetBody(
            @JsonProperty("project_uuid") String projectUuid,
            @JsonProperty("wasm_hash") String wasmHash,
            @JsonProperty("account_id") String accountId,
            @JsonProperty("key_hash") String keyHash,

            @JsonProperty("encrypted_key") @JsonDeserialize(using = SerdeBytes.Reader.class)
            byte[] encryptedKey,

            @JsonProperty("encrypted_value") @JsonDeserialize(using = SerdeBytes.Reader.class)
            byte[] encryptedValue,

            @JsonProperty(value = "is_encrypted", defaultValue = "true")
            boolean isEncrypted) {
        SetBody {
            requireWrite(projectUuid, wasmHash, accountId, keyHash, encryptedKey, encryptedValue);
        }

        Entry entry() {
            return new Entry(
                    new Slot(projectUuid, accountId, keyHash), wasmHash, encryptedKey, encryptedValue, isEncrypted);
        }
    }

    /** OutLayer's {@code StorageSetIfAbsentRequest} (no {@code is_encrypted}: its insert stores the default). */
    record SetIfAbsentBody(
            @JsonProperty("project_uuid") String projectUuid,
            @JsonProperty("wasm_hash") String wasmHash,
            @JsonProperty("account_id") String accountId,
            @JsonProperty("key_hash") String keyHash,

            @JsonProperty("encrypted_key") @JsonDeserialize(using = SerdeBytes.Reader.class)
            byte[] encryptedKey,

            @JsonProperty("encrypted_value") @JsonDeserialize(using = SerdeBytes.Reader.class)
            byte[] encryptedValue) {
        SetIfAbsentBody {
            requireWrite(projectUuid, wasmHash, accountId, keyHash, encryptedKey, encryptedValue);
        }

        Entry entry() {
            return new Entry(new Slot(projectUuid, accountId, keyHash), wasmHash, encryptedKey, encryptedValue, true);
        }
    }

    /** OutLayer's {@code StorageSetIfEqualsRequest}. */
    record SetIfEqualsBody(
            @JsonProperty("project_uuid") String projectUuid,
            @JsonProperty("wasm_hash") String wasmHash,
            @JsonProperty("account_id") String accountId,
            @JsonProperty("key_hash") String keyHash,

            @JsonProperty("expected_encrypted_value") @JsonDeserialize(using = SerdeBytes.Reader.class)
            byte[] expectedEncryptedValue,

            @JsonProperty("new_encrypted_key") @JsonDeserialize(using = SerdeBytes.Reader.class)
            byte[] newEncryptedKey,

            @JsonProperty("new_encrypted_value") @JsonDeserialize(using = SerdeBytes.Reader.class)
            byte[] newEncryptedValue) {
        SetIfEqualsBody {
            required(projectUuid, "project_uuid");
            required(wasmHash, "wasm_hash");
            required(accountId, "account_id");
            required(keyHash, "key_hash");
            required(expectedEncryptedValue, "expected_encrypted_value");
            required(newEncryptedKey, "new_encrypted_key");
            required(newEncryptedValue, "new_encrypted_value");
        }
    }

    /** OutLayer's {@code StorageGetRequest} (also its has and delete requests). */
    record SlotBody(
            @JsonProperty("project_uuid") String projectUuid,
            @JsonProperty("account_id") String accountId,
            @JsonProperty("key_hash") String keyHash) {
        SlotBody {
            required(projectUuid, "project_uuid");
            required(accountId, "account_id");
            required(keyHash, "key_hash");
        }

        Slot slot() {
            return new Slot(projectUuid, accountId, keyHash);
        }
    }

    /** OutLayer's {@code StorageGetByVersionRequest}. */
    record VersionSlotBody(
            @JsonProperty("wasm_hash") String wasmHash,
            @JsonProperty("account_id") String accountId,
            @JsonProperty("key_hash") String keyHash) {
        VersionSlotBody {
            required(wasmHash, "wasm_hash");
            required(accountId, "account_id");
            required(keyHash, "key_hash");
        }
    }

    /** OutLayer's {@code StorageClearRequest}. */
    record ClearBody(
            @JsonProperty("project_uuid") String projectUuid,
            @JsonProperty("account_id") String accountId) {
        ClearBody {
            required(projectUuid, "project_uuid");
            required(accountId, "account_id");
        }
    }

    /** OutLayer's {@code StorageClearVersionRequest}. */
    record ClearVersionBody(
            @JsonProperty("wasm_hash") String wasmHash,
            @JsonProperty("account_id") String accountId) {
        ClearVersionBody {
            required(wasmHash, "wasm_hash");
            required(accountId, "account_id");
        }
    }

    /** OutLayer's {@code StorageClearProjectRequest}. */
    record ClearProjectBody(@JsonProperty("project_uuid") String projectUuid) {
        ClearProjectBody {
            required(projectUuid, "project_uuid");
        }
    }

    /**
     * What OutLayer's worker sends to {@code /storage/get-public} (its storage client's {@code get_worker_public}):
     * the other project's uuid and the key hash.
     */
    record PublicSlotBody(
            @JsonProperty("project_uuid") String projectUuid,
            @JsonProperty("key_hash") String keyHash) {
        PublicSlotBody {
            required(projectUuid, "project_uuid");
            required(keyHash, "key_hash");
        }
    }

    /** OutLayer's {@code PublicStorageBatchRequest}. */
    record BatchBody(
            @JsonProperty("project_uuid") String projectUuid,
            @JsonProperty("keys") List<String> keys) {
        BatchBody {
            required(projectUuid, "project_uuid");
            if (keys == null) {
                throw new IllegalArgumentException("missing field `keys`");
            }
            if (keys.contains(null)) {
                throw new IllegalArgumentException("'keys' must be an array of strings");
            }
        }
    }

    // ---- answers ----

    /** OutLayer's {@code StorageGetResponse}: when nothing is found, nulls and {@code is_encrypted} true. */
    record Found(
            @JsonProperty("exists") boolean exists,

            @JsonProperty("encrypted_key") @JsonSerialize(using = SerdeBytes.Writer.class)
            byte[] encryptedKey,

            @JsonProperty("encrypted_value") @JsonSerialize(using = SerdeBytes.Writer.class)
            byte[] encryptedValue,

            @JsonProperty("wasm_hash") String wasmHash,
            @JsonProperty("is_encrypted") boolean isEncrypted) {}

    private static Found found(Optional<Stored> row) {
        return row.map(r -> new Found(true, r.encryptedKey(), r.encryptedValue(), r.wasmHash(), r.encrypted()))
                .orElse(new Found(false, null, null, null, true));
    }

    record Has(@JsonProperty("exists") boolean exists) {}

    record Inserted(@JsonProperty("inserted") boolean inserted) {}

    /** OutLayer's {@code StorageSetIfEqualsResponse}. */
    record Swapped(
            @JsonProperty("updated") boolean updated,

            @JsonProperty("current_encrypted_value") @JsonSerialize(using = SerdeBytes.Writer.class)
            byte[] currentEncryptedValue,

            @JsonProperty("current_encrypted_key") @JsonSerialize(using = SerdeBytes.Writer.class)
            byte[] currentEncryptedKey) {}

    /** OutLayer's {@code StorageKeyInfo}. */
    record KeyInfo(
            @JsonProperty("key_hash") String keyHash,

            @JsonProperty("encrypted_key") @JsonSerialize(using = SerdeBytes.Writer.class)
            byte[] encryptedKey,

            @JsonProperty("encrypted_value") @JsonSerialize(using = SerdeBytes.Writer.class)
            byte[] encryptedValue,

            @JsonProperty("wasm_hash") String wasmHash) {}

    record Listing(
            @JsonProperty("keys") List<KeyInfo> keys,
            @JsonProperty("total") long total) {}

    record Usage(
            @JsonProperty("total_bytes") long totalBytes,
            @JsonProperty("key_count") int keyCount) {}

    /** OutLayer's {@code StorageGetPublicResponse}. */
    record PublicValue(
            @JsonProperty("exists") boolean exists,

            @JsonProperty("value") @JsonSerialize(using = SerdeBytes.Writer.class)
            byte[] value) {}

    /** OutLayer's {@code PublicStorageResponse} and {@code PublicStorageBatchItem}: the value in base64. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PublicItem(
            @JsonProperty("exists") boolean exists,
            @JsonProperty("value") String value,
            @JsonProperty("error") String error) {}

    record Batch(@JsonProperty("results") Map<String, PublicItem> results) {}

    record ProjectUsage(
            @JsonProperty("project_uuid") String projectUuid,
            @JsonProperty("total_bytes") long totalBytes,
            @JsonProperty("key_count") int keyCount) {}

    // ---- handlers ----

    @FunctionalInterface
    private interface Handler<T> {
        void handle(HttpServerExchange exchange, T body) throws Exception;
    }

    /** A worker route taking axum's {@code Json<T>}: the token first, then the body, then the store off the IO thread. */
    private <T> void worker(Routes routes, String path, Class<T> type, Handler<T> handler) {
        routes.route(Methods.POST, path, exchange -> {
            requireWorker(exchange, workerTokens);
            workerBodies.axumJson(
                    exchange, type, (ex, body) -> ErrorHandler.dispatch(ex, () -> handler.handle(ex, body)));
        });
    }

    /** axum's {@code StatusCode::OK}: no body. */
    private static void ok(HttpServerExchange exchange) {
        exchange.setStatusCode(200);
        exchange.endExchange();
    }

    private void set(HttpServerExchange exchange, SetBody body) {
        storage.set(body.entry());
        ok(exchange);
    }

    private void setIfAbsent(HttpServerExchange exchange, SetIfAbsentBody body) {
        Responses.json(exchange, 200, new Inserted(storage.setIfAbsent(body.entry())));
    }

    private void setIfEquals(HttpServerExchange exchange, SetIfEqualsBody b) {
        ProjectStorage.Swap swap = storage.setIfEquals(
                new Slot(b.projectUuid(), b.accountId(), b.keyHash()),
                b.wasmHash(),
                b.expectedEncryptedValue(),
                b.newEncryptedKey(),
                b.newEncryptedValue());
        Stored current = swap.current().orElse(null);
        Responses.json(
                exchange,
                200,
                new Swapped(
                        swap.updated(),
                        current == null ? null : current.encryptedValue(),
                        current == null ? null : current.encryptedKey()));
    }

    /** OutLayer's {@code storage_delete}: 200, or 404 when there was nothing to delete. */
    private void delete(HttpServerExchange exchange, SlotBody body) {
        if (!storage.delete(body.slot())) {
            throw ApiException.notFound("storage key not found");
        }
        ok(exchange);
    }

    /**
     * OutLayer's {@code storage_get_public}: a program's public ({@code is_encrypted} false) {@code @worker} value
     * in another project; 403 when the key is stored encrypted.
     */
    private void getPublic(HttpServerExchange exchange, PublicSlotBody body) {
        Optional<Stored> row = storage.get(new Slot(body.projectUuid(), ProjectStorage.WORKER_ACCOUNT, body.keyHash()));
        if (row.isPresent() && row.get().encrypted()) {
            throw new ApiException(ApiException.Kind.FORBIDDEN, "storage key is encrypted (not public)");
        }
        Responses.json(
                exchange,
                200,
                new PublicValue(row.isPresent(), row.map(Stored::encryptedValue).orElse(null)));
    }

    /** OutLayer's {@code StorageListQuery}, which its usage route reads too. */
    private record ListQuery(String projectUuid, String accountId, Long limit, Long offset) {
        static ListQuery of(HttpServerExchange exchange) {
            String projectUuid = storedQuery(exchange, "project_uuid");
            String accountId = storedQuery(exchange, "account_id");
            AxumQuery.value(exchange, "prefix_hash");
            return new ListQuery(
                    projectUuid,
                    accountId,
                    AxumQuery.integer(exchange, "limit"),
                    AxumQuery.integer(exchange, "offset"));
        }
    }

    /**
     * OutLayer's {@code storage_list}: {@code limit} 100 by default, at most 1000; a negative limit or offset lists
     * no keys (its query fails and it answers the keys it has: none) but still counts them.
     */
    private void list(HttpServerExchange exchange) {
        requireWorker(exchange, workerTokens);
        ListQuery query = ListQuery.of(exchange);
        long limit = Math.min(query.limit() == null ? DEFAULT_LIST_LIMIT : query.limit(), MAX_LIST_LIMIT);
        long offset = query.offset() == null ? 0 : query.offset();
        ErrorHandler.dispatch(exchange, () -> {
            boolean refused = limit < 0 || offset < 0;
            ProjectStorage.Listing listing =
                    storage.list(query.projectUuid(), query.accountId(), refused ? 0 : limit, refused ? 0 : offset);
            Responses.json(
                    exchange,
                    200,
                    new Listing(
                            listing.keys().stream()
                                    .map(r -> new KeyInfo(
                                            r.keyHash(), r.encryptedKey(), r.encryptedValue(), r.wasmHash()))
                                    .toList(),
                            listing.total()));
        });
    }

    private void usage(HttpServerExchange exchange) {
        requireWorker(exchange, workerTokens);
        ListQuery query = ListQuery.of(exchange);
        ErrorHandler.dispatch(exchange, () -> {
            ProjectStorage.Usage usage = storage.usage(query.projectUuid(), query.accountId());
            Responses.json(exchange, 200, new Usage(usage.totalBytes(), usage.keyCount()));
        });
    }

    /** OutLayer's {@code get_public_storage}: {@code format=raw} gives the bytes, 404 when there are none. */
    private void publicGet(HttpServerExchange exchange) {
        String projectUuid = storedQuery(exchange, "project_uuid");
        String key = AxumQuery.required(exchange, "key");
        boolean raw = "raw".equals(AxumQuery.value(exchange, "format"));
        ErrorHandler.dispatch(exchange, () -> {
            Optional<Stored> row = storage.get(new Slot(projectUuid, ProjectStorage.WORKER_ACCOUNT, keyHash(key)));
            if (row.isPresent() && row.get().encrypted()) {
                throw new ApiException(ApiException.Kind.FORBIDDEN, "Storage key exists but is encrypted (not public)");
            }
            if (!raw) {
                Responses.json(exchange, 200, publicItem(row.orElse(null)));
            } else if (row.isEmpty()) {
                throw ApiException.notFound("Key not found");
            } else {
                exchange.setStatusCode(200);
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/octet-stream");
                exchange.getResponseSender().send(ByteBuffer.wrap(row.get().encryptedValue()));
            }
        });
    }

    /** OutLayer's {@code batch_get_public_storage}: at most 50 keys of at most 1024 bytes, each answered once. */
    private void publicBatch(HttpServerExchange exchange) {
        publicBodies.axumJson(exchange, BatchBody.class, (ex, body) -> {
            if (body.keys().isEmpty()) {
                throw ApiException.invalid("No keys provided");
            }
            if (body.keys().size() > MAX_BATCH_KEYS) {
                throw ApiException.invalid("Maximum " + MAX_BATCH_KEYS + " keys allowed per request");
            }
            for (String key : body.keys()) {
                int length = key.getBytes(StandardCharsets.UTF_8).length;
                if (length > MAX_KEY_LENGTH) {
                    throw ApiException.invalid("Key too long: " + length + " bytes (max " + MAX_KEY_LENGTH + ")");
                }
            }
            ErrorHandler.dispatch(ex, () -> {
                Map<String, String> hashes = new LinkedHashMap<>();
                for (String key : new LinkedHashSet<>(body.keys())) {
                    hashes.put(key, keyHash(key));
                }
                Map<String, Stored> rows =
                        storage.getAll(body.projectUuid(), ProjectStorage.WORKER_ACCOUNT, hashes.values());
                Map<String, PublicItem> results = new LinkedHashMap<>();
                hashes.forEach((key, hash) -> results.put(key, publicItem(rows.get(hash))));
                Responses.json(ex, 200, new Batch(results));
            });
        });
    }

    /** A public read's item: the value in base64, or {@code error: "encrypted"} for a key stored encrypted. */
    private static PublicItem publicItem(Stored row) {
        if (row == null) {
            return new PublicItem(false, null, null);
        }
        return row.encrypted()
                ? new PublicItem(true, null, "encrypted")
                : new PublicItem(true, Base64.getEncoder().encodeToString(row.encryptedValue()), null);
    }

    /** OutLayer's {@code get_project_storage}: the project's usage rows summed, every account's. */
    private void projectStorage(HttpServerExchange exchange) {
        String projectUuid = storedQuery(exchange, "project_uuid");
        ErrorHandler.dispatch(exchange, () -> {
            ProjectStorage.Usage usage = storage.projectUsage(projectUuid);
            Responses.json(exchange, 200, new ProjectUsage(projectUuid, usage.totalBytes(), usage.keyCount()));
        });
    }

    /** What OutLayer's public reads look a plaintext key up by: its sha256, lower-case hex. */
    static String keyHash(String key) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** A required member that names a row (not a plaintext key, which is hashed): held to what the store holds. */
    private static String storedQuery(HttpServerExchange exchange, String name) {
        String value = AxumQuery.required(exchange, name);
        String problem = StorableText.problem(value);
        if (problem != null) {
            throw ApiException.invalid("'" + name + "' cannot hold " + problem);
        }
        return value;
    }
}
