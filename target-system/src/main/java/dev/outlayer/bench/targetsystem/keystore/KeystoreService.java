package dev.outlayer.bench.targetsystem.keystore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.http.Responses;
import dev.outlayer.bench.targetsystem.http.RouteMetrics;
import dev.outlayer.bench.targetsystem.http.ServerTiming;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.PathTemplateMatch;

import java.time.Instant;
import java.util.Base64;
import java.util.Deque;
import java.util.Objects;

/**
 * The keystore's HTTP interface (target-system-api.md, "Keystore"): scope public keys, stored
 * profiles written by their owner's API key, and access-checked decryption for worker tokens.
 */
public final class KeystoreService {
    private final ScopeKeys keys;
    private final ProfileStore store;
    private final ApiKeyOwners apiKeys;
    private final WorkerTokens workers;
    private final long maxBodyBytes;
    private final RoutingHandler routes = new RoutingHandler(false);
    private final RouteMetrics metrics;

    private KeystoreService(ScopeKeys keys, ProfileStore store, ApiKeyOwners apiKeys, WorkerTokens workers,
                            long maxBodyBytes, PrometheusMeterRegistry registry) {
        this.keys = keys;
        this.store = store;
        this.apiKeys = apiKeys;
        this.workers = workers;
        this.maxBodyBytes = maxBodyBytes;
        this.metrics = new RouteMetrics(registry, "keystore");
        route(Methods.GET, "/health", (exchange, body) -> {
            ObjectNode health = JsonCodec.object();
            health.put("status", "ok");
            health.put("profiles", store.size());
            health.put("worker_tokens", workers.size());
            Responses.json(exchange, 200, health);
        });
        route(Methods.GET, "/metrics", (exchange, body) -> {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            exchange.getResponseSender().send(registry.scrape());
        });
        route(Methods.POST, "/pubkey", this::publicKey);
        route(Methods.GET, "/pubkey", this::publicKeyForSeed);
        route(Methods.GET, "/secrets/{owner}", this::list);
        // Writes fsync the profiles file: a worker thread, never an IO thread.
        route(Methods.PUT, "/secrets/{owner}/{profile}", this::store, JsonExchange.Threading.WORKER);
        route(Methods.GET, "/secrets/{owner}/{profile}", this::show);
        route(Methods.DELETE, "/secrets/{owner}/{profile}", this::delete, JsonExchange.Threading.WORKER);
        route(Methods.POST, "/decrypt", this::decrypt);
        routes.setFallbackHandler(exchange -> Responses.error(exchange, 404,
                "no route for " + exchange.getRequestMethod() + " " + exchange.getRequestPath()));
        routes.setInvalidMethodHandler(exchange -> Responses.error(exchange, 405,
                exchange.getRequestMethod() + " is not allowed on " + exchange.getRequestPath()));
    }

    /** Builds the keystore from its configuration; fails fast on a bad master secret or token hash. */
    public static KeystoreService create(KeystoreConfig config, WorkerTokens extraWorkers, PrometheusMeterRegistry registry) {
        byte[] master = MasterSecret.resolve(config.masterSecretHex(), config.dataDir());
        WorkerTokens workers = WorkerTokens.ofHashes(config.workerTokenHashes());
        if (extraWorkers != null) {
            workers = workers.plusAll(extraWorkers);
        }
        return new KeystoreService(new ScopeKeys(master), ProfileStore.open(config.dataDir()),
                new ApiKeyOwners(config.apiKeysFile(), config.reloadIntervalMillis()), workers,
                config.maxBodyBytes(), registry);
    }

    public HttpHandler handler() {
        return routes;
    }

    private void route(HttpString method, String template, JsonExchange.Route route) {
        route(method, template, route, JsonExchange.Threading.IO_THREAD);
    }

    private void route(HttpString method, String template, JsonExchange.Route route, JsonExchange.Threading threading) {
        routes.add(method, template, metrics.timed(template, JsonExchange.handler(route, maxBodyBytes, threading)));
    }

    /** {@code POST /pubkey {repo, owner, branch?}} -> the scope's X25519 public key, hex. */
    private void publicKey(HttpServerExchange exchange, byte[] bytes) {
        JsonNode body = JsonExchange.parseObject(bytes);
        long start = System.nanoTime();
        Scope scope = new Scope(JsonExchange.text(body, "repo"), JsonExchange.text(body, "owner"),
                JsonExchange.optionalText(body, "branch"));
        String pubkey = keys.forScope(scope).publicKeyHex();
        ServerTiming.of(exchange).since("derive", start);
        ObjectNode response = JsonCodec.object();
        response.put("pubkey", pubkey);
        response.put("seed", scope.seed());
        Responses.json(exchange, 200, response);
    }

    /** {@code GET /pubkey?seed=repo:owner[:branch]}: OutLayer keystore-worker's own form, for its scripts. */
    private void publicKeyForSeed(HttpServerExchange exchange, byte[] ignored) {
        Deque<String> seed = exchange.getQueryParameters().get("seed");
        if (seed == null || seed.isEmpty() || seed.getFirst().isBlank()) {
            throw new HttpError(400, "query parameter 'seed' (repo:owner[:branch]) is required; or POST /pubkey {repo, owner, branch?}");
        }
        long start = System.nanoTime();
        String pubkey = keys.forSeed(seed.getFirst()).publicKeyHex();
        ServerTiming.of(exchange).since("derive", start);
        ObjectNode response = JsonCodec.object();
        response.put("pubkey", pubkey);
        response.put("public_key_hex", pubkey);
        response.put("seed", seed.getFirst());
        Responses.json(exchange, 200, response);
    }

    /**
     * {@code PUT /secrets/{owner}/{profile}}: the owner's API key stores a ciphertext. It is opened
     * once here so that a blob for another scope, a tampered one or reserved names fail now with a
     * 400, not later inside somebody's execution.
     */
    private void store(HttpServerExchange exchange, byte[] bytes) throws Exception {
        String owner = pathParam(exchange, "owner");
        String profileName = pathParam(exchange, "profile");
        requireOwnerKey(exchange, owner);
        SecretProfile.checkProfileName(profileName);
        JsonNode body = JsonExchange.parseObject(bytes);
        long start = System.nanoTime();
        Scope scope = new Scope(JsonExchange.text(body, "repo"), owner, JsonExchange.optionalText(body, "branch"));
        String ciphertextBase64 = JsonExchange.text(body, "encrypted_secrets_base64");
        AccessCondition access = AccessCondition.parse(body.get("access"));
        SecretsPayload.parse(open(scope, ciphertextBase64));
        ServerTiming.of(exchange).since("verify", start);

        long storeStart = System.nanoTime();
        Instant now = Instant.now();
        Instant createdAt = store.get(owner, profileName).map(SecretProfile::createdAt).orElse(now);
        SecretProfile profile = new SecretProfile(owner, profileName, scope, ciphertextBase64, access, createdAt, now);
        boolean created = store.put(profile);
        ServerTiming.of(exchange).since("store", storeStart);
        Responses.json(exchange, created ? 201 : 200, profile.summary());
    }

    /** {@code GET /secrets/{owner}}: the owner's profiles, without ciphertexts or plaintext. */
    private void list(HttpServerExchange exchange, byte[] ignored) {
        String owner = pathParam(exchange, "owner");
        requireOwnerKey(exchange, owner);
        ObjectNode response = JsonCodec.object();
        response.put("owner", owner);
        ArrayNode profiles = response.putArray("profiles");
        store.list(owner).forEach(p -> profiles.add(p.summary()));
        Responses.json(exchange, 200, response);
    }

    private void show(HttpServerExchange exchange, byte[] ignored) {
        String owner = pathParam(exchange, "owner");
        String profileName = pathParam(exchange, "profile");
        requireOwnerKey(exchange, owner);
        SecretProfile profile = store.get(owner, profileName)
                .orElseThrow(() -> new HttpError(404, "owner " + owner + " has no profile '" + profileName + "'"));
        Responses.json(exchange, 200, profile.summary());
    }

    private void delete(HttpServerExchange exchange, byte[] ignored) throws Exception {
        String owner = pathParam(exchange, "owner");
        String profileName = pathParam(exchange, "profile");
        requireOwnerKey(exchange, owner);
        if (!store.delete(owner, profileName)) {
            throw new HttpError(404, "owner " + owner + " has no profile '" + profileName + "'");
        }
        exchange.setStatusCode(204);
        exchange.endExchange();
    }

    /**
     * {@code POST /decrypt} (worker token): finds the profile, checks its access condition against
     * {@code user_account_id}, and opens the ciphertext with the scope key. As in OutLayer, a
     * profile stored without a branch serves every branch, and the stored branch picks the key.
     */
    private void decrypt(HttpServerExchange exchange, byte[] bytes) {
        long start = System.nanoTime();
        if (!workers.accepts(JsonExchange.bearer(exchange))) {
            throw new HttpError(401, "POST /decrypt needs 'Authorization: Bearer <worker token>' with a token this keystore knows");
        }
        ServerTiming.of(exchange).since("auth", start);
        JsonNode body = JsonExchange.parseObject(bytes);

        long lookupStart = System.nanoTime();
        String owner = JsonExchange.text(body, "owner");
        String profileName = JsonExchange.text(body, "profile");
        String userAccountId = JsonExchange.text(body, "user_account_id");
        SecretProfile.checkAccountId("user_account_id", userAccountId);
        Scope requested = new Scope(JsonExchange.text(body, "repo"), owner, JsonExchange.optionalText(body, "branch"));
        SecretProfile profile = store.get(owner, profileName)
                .filter(p -> p.scope().repo().equals(requested.repo()))
                .filter(p -> p.scope().branch() == null || Objects.equals(p.scope().branch(), requested.branch()))
                .orElseThrow(() -> new HttpError(404, "owner " + owner + " has no profile '" + profileName + "' for repo "
                        + requested.repo() + (requested.branch() == null ? "" : " branch " + requested.branch())));
        ServerTiming.of(exchange).since("lookup", lookupStart);

        long accessStart = System.nanoTime();
        boolean allowed = profile.access().allows(userAccountId);
        ServerTiming.of(exchange).since("access", accessStart);
        if (!allowed) {
            throw new HttpError(403, "access condition of " + owner + "/" + profileName + " does not allow " + userAccountId);
        }

        long decryptStart = System.nanoTime();
        byte[] plaintext = open(profile.scope(), profile.encryptedSecretsBase64());
        SecretsPayload.parse(plaintext);
        ServerTiming.of(exchange).since("decrypt", decryptStart);
        ObjectNode response = JsonCodec.object();
        response.put("plaintext_secrets", Base64.getEncoder().encodeToString(plaintext));
        Responses.json(exchange, 200, response);
    }

    private byte[] open(Scope scope, String ciphertextBase64) {
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(ciphertextBase64.trim());
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, "encrypted_secrets_base64 is not valid base64");
        }
        try {
            return Ecies.decrypt(keys.forScope(scope).privateKey(), blob);
        } catch (BadCiphertextException e) {
            throw new HttpError(400, e.getMessage() + " (scope " + scope.seed() + ")");
        }
    }

    private void requireOwnerKey(HttpServerExchange exchange, String owner) {
        String key = JsonExchange.bearer(exchange);
        if (key == null || key.isEmpty()) {
            throw new HttpError(401, "an API key is required: 'Authorization: Bearer KEY' or 'X-API-Key: KEY'");
        }
        String keyOwner = apiKeys.ownerOf(key)
                .orElseThrow(() -> new HttpError(401, "unknown API key"));
        if (!keyOwner.equals(owner)) {
            throw new HttpError(403, "this API key belongs to " + keyOwner + ", not to " + owner);
        }
    }

    private static String pathParam(HttpServerExchange exchange, String name) {
        return exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY).getParameters().get(name);
    }
}
