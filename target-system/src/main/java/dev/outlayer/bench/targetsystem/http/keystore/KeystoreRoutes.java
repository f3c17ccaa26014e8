package dev.outlayer.bench.targetsystem.http.keystore;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.http.BodyReader;
import dev.outlayer.bench.targetsystem.http.ErrorHandler;
import dev.outlayer.bench.targetsystem.http.Responses;
import dev.outlayer.bench.targetsystem.http.Routes;
import dev.outlayer.bench.targetsystem.http.ServerTiming;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.keystore.AccessCondition;
import dev.outlayer.bench.targetsystem.keystore.DeclaredKeys;
import dev.outlayer.bench.targetsystem.keystore.KeystoreService;
import dev.outlayer.bench.targetsystem.keystore.SecretAccessor;
import dev.outlayer.bench.targetsystem.keystore.SecretsPayload;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.PathTemplateMatch;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Deque;
import java.util.HexFormat;

/**
 * The keystore's HTTP API (docs/keystore.md) on its own listener. Credentials are checked before
 * a body is parsed. Quick CPU-only routes (decrypt, pubkey, reads) answer on the IO thread that
 * read the body, which saves a thread handoff per request; routes that write the profiles file
 * (and fsync it) run on a worker thread.
 */
public final class KeystoreRoutes {
    private final KeystoreService keystore;
    private final BodyReader bodies;

    private KeystoreRoutes(KeystoreService keystore, BodyReader bodies) {
        this.keystore = keystore;
        this.bodies = bodies;
    }

    /**
     * Adds the keystore's routes. /health tells no counts (how many profiles or worker tokens there
     * are is nobody's business without a credential): only whether records were quarantined at start.
     */
    public static void register(Routes routes, KeystoreService keystore, BodyReader bodies) {
        KeystoreRoutes api = new KeystoreRoutes(keystore, bodies);
        routes.health("profile_store", () -> keystore.quarantinedCount() == 0 ? "ok" : "records quarantined");
        // OutLayer keystore-worker's HealthResponse {status, tee_mode}: this one runs outside any TEE,
        // which its config.rs TeeMode::None displays as "none".
        routes.health("tee_mode", () -> "none");
        routes.route(Methods.POST, "/pubkey", api::publicKey);
        routes.route(Methods.GET, "/pubkey", api::publicKeyForSeed);
        routes.route(Methods.GET, "/secrets/{owner}", api::list);
        routes.route(Methods.PUT, "/secrets/{owner}/{profile}", api::store);
        routes.route(Methods.GET, "/secrets/{owner}/{profile}", api::show);
        routes.route(Methods.DELETE, "/secrets/{owner}/{profile}", api::delete);
        routes.route(Methods.POST, "/decrypt", api::decrypt);
        routes.route(Methods.POST, "/encrypt", api::sealForSeed);
        routes.route(Methods.POST, "/decrypt-raw", api::openForSeed);
        routes.route(Methods.POST, "/storage/encrypt", api::storageSeal);
        routes.route(Methods.POST, "/storage/decrypt", api::storageOpen);
        routes.route(Methods.POST, "/vrf/generate", api::vrfGenerate);
        routes.route(Methods.GET, "/vrf/pubkey", api::vrfPublicKey);
        routes.route(Methods.POST, "/add_generated_secret", api::addGeneratedSecret);
        routes.route(Methods.POST, "/update_user_secrets", api::updateUserSecrets);
    }

    /**
     * {@code POST /add_generated_secret} (coordinator token): PROTECTED_ secrets generated here and
     * merged into the blob, which stays sealed under the seed; CPU only (no store, no chain).
     */
    private void addGeneratedSecret(HttpServerExchange exchange) {
        keystore.requireCoordinator(bearer(exchange));
        bodies.axumJson(exchange, KeystoreRequests.AddGeneratedSecret.class, (ex, request) -> {
            KeystoreService.Generated generated =
                    keystore.addGeneratedSecrets(request.seed(), request.encryptedSecretsBase64(), request.specs());
            Responses.json(
                    ex,
                    200,
                    new KeystoreResponses.GeneratedSecrets(generated.encryptedDataBase64(), generated.allKeys()));
        });
    }

    /**
     * {@code POST /update_user_secrets} (coordinator token, NEP-413 signed by the owner): reads the
     * owner's keys from the chain and rewrites the profile (a synced store), so on a worker thread.
     */
    private void updateUserSecrets(HttpServerExchange exchange) {
        keystore.requireCoordinator(bearer(exchange));
        bodies.axumJson(
                exchange,
                KeystoreRequests.UpdateUserSecrets.class,
                (ex, request) -> ErrorHandler.dispatch(ex, () -> {
                    KeystoreService.Updated updated = keystore.updateUserSecrets(request.update());
                    Responses.json(
                            ex,
                            200,
                            new KeystoreResponses.UpdatedSecrets(
                                    updated.encryptedSecretsBase64(), KeystoreResponses.Summary.of(updated.summary())));
                }));
    }

    /**
     * {@code POST /pubkey {repo, owner, branch?} | {accessor, owner, profile?}} -> the scope's X25519
     * public key, hex; or OutLayer keystore-worker's {@code {seed, secrets_json}} -> that seed's key,
     * once the secrets' names pass its checks.
     */
    private void publicKey(HttpServerExchange exchange) {
        bodies.axumJson(exchange, KeystoreRequests.PublicKey.class, (ex, request) -> {
            long start = System.nanoTime();
            if (request.bySeed()) {
                SecretsPayload.checkNamesBeforeEncryption(request.secretsJson());
                String pubkey = keystore.publicKeyHexForSeed(request.seed());
                ServerTiming.of(ex).since("derive", start);
                Responses.json(ex, 200, new KeystoreResponses.SeedPublicKey(pubkey, pubkey, request.seed()));
                return;
            }
            var scope = request.scope();
            String pubkey = keystore.publicKeyHex(scope);
            ServerTiming.of(ex).since("derive", start);
            Responses.json(
                    ex,
                    200,
                    new KeystoreResponses.PublicKey(
                            pubkey, scope.seed(), scope.repo(), scope.accessor().toJson()));
        });
    }

    /** {@code GET /pubkey?seed=repo:owner[:branch]}: OutLayer keystore-worker's own form, for its scripts. */
    private void publicKeyForSeed(HttpServerExchange exchange) {
        Deque<String> seed = exchange.getQueryParameters().get("seed");
        if (seed == null || seed.isEmpty() || seed.getFirst().isBlank()) {
            throw ApiException.invalid(
                    "query parameter 'seed' (repo:owner[:branch]) is required; or POST /pubkey {repo, owner, branch?}");
        }
        long start = System.nanoTime();
        String pubkey = keystore.publicKeyHexForSeed(seed.getFirst());
        ServerTiming.of(exchange).since("derive", start);
        Responses.json(exchange, 200, new KeystoreResponses.SeedPublicKey(pubkey, pubkey, seed.getFirst()));
    }

    /** {@code PUT /secrets/{owner}/{profile}}: the owner's API key stores a ciphertext (201 new, 200 replaced). */
    private void store(HttpServerExchange exchange) {
        String owner = pathParam(exchange, "owner");
        String profile = pathParam(exchange, "profile");
        keystore.requireOwner(bearer(exchange), owner);
        bodies.bytes(
                exchange,
                (ex, body) -> ErrorHandler.dispatch(ex, () -> {
                    var request = JsonCodec.read(body, KeystoreRequests.StoreProfile.class);
                    KeystoreService.Stored stored = keystore.store(
                            owner,
                            profile,
                            request.scope(owner, profile),
                            request.encryptedSecretsBase64(),
                            request.access(),
                            ServerTiming.of(ex));
                    Responses.json(ex, stored.created() ? 201 : 200, KeystoreResponses.Profile.of(stored.profile()));
                }));
    }

    /** {@code GET /secrets/{owner}}: the owner's profiles, without ciphertexts or plaintext. */
    private void list(HttpServerExchange exchange) {
        String owner = pathParam(exchange, "owner");
        keystore.requireOwner(bearer(exchange), owner);
        Responses.json(exchange, 200, KeystoreResponses.Profiles.of(owner, keystore.list(owner)));
    }

    /**
     * {@code GET /secrets/{owner}/{profile}[?repo=...[&branch=...] | ?accessor=<JSON>]}: one row; without a
     * scope, the one row of that name (409 when there are several).
     */
    private void show(HttpServerExchange exchange) {
        String owner = pathParam(exchange, "owner");
        String profile = pathParam(exchange, "profile");
        keystore.requireOwner(bearer(exchange), owner);
        Responses.json(
                exchange,
                200,
                KeystoreResponses.Profile.of(keystore.show(owner, profile, rowQuery(exchange, owner, profile))));
    }

    /** {@code DELETE /secrets/{owner}/{profile}}, the row named as {@link #show} names it. */
    private void delete(HttpServerExchange exchange) {
        String owner = pathParam(exchange, "owner");
        String profile = pathParam(exchange, "profile");
        keystore.requireOwner(bearer(exchange), owner);
        SecretAccessor accessor = rowQuery(exchange, owner, profile);
        ErrorHandler.dispatch(exchange, () -> {
            keystore.delete(owner, profile, accessor);
            exchange.setStatusCode(204);
            exchange.endExchange();
        });
    }

    /**
     * {@code POST /decrypt} (worker token): the plaintext, if the profile's access condition allows the user; or,
     * for a body naming {@code signing_keys} or {@code encryption_keys} (OutLayer's keyed request, told apart on
     * its bytes), the job's declared keys beside its row.
     */
    private void decrypt(HttpServerExchange exchange) {
        long start = System.nanoTime();
        keystore.requireWorker(bearer(exchange));
        ServerTiming.of(exchange).since("auth", start);
        bodies.axumJson(exchange, DeclaredKeyEntries::shapeOf, (ex, body) -> {
            if (body instanceof KeystoreRequests.KeyedDecrypt keyed) {
                decryptKeyed(ex, keyed.keyed());
                return;
            }
            KeystoreRequests.Decrypt request = (KeystoreRequests.Decrypt) body;
            ErrorHandler.Task answer = () -> {
                byte[] plaintext = keystore.decrypt(
                        request.scope(),
                        request.profile(),
                        request.userAccountId(),
                        new AccessCondition.RunFacts(request.executedWasmSha256(), request.predecessorId()),
                        ServerTiming.of(ex));
                Responses.json(
                        ex,
                        200,
                        new KeystoreResponses.Plaintext(Base64.getEncoder().encodeToString(plaintext)));
            };
            // An on-chain condition runs a contract's view (and may wait for its account's lock): not on the IO thread.
            if (keystore.decryptReadsChain(request.scope(), request.profile())) {
                ErrorHandler.dispatch(ex, answer);
            } else {
                answer.run();
            }
        });
    }

    /**
     * A keyed {@code /decrypt}: a project run reads the contract and a row may read the chain, so on a worker
     * thread. A refusal of the keys is OutLayer's {@code {error, code: "signing_keys_refused"}} with its status.
     */
    private void decryptKeyed(HttpServerExchange exchange, KeystoreService.KeyedRequest request) {
        ErrorHandler.dispatch(exchange, () -> {
            KeystoreService.KeyedAnswer answer;
            try {
                answer = keystore.decryptKeyed(request, ServerTiming.of(exchange));
            } catch (DeclaredKeys.Refused refused) {
                int status = ErrorHandler.status(refused.kind());
                Responses.json(
                        exchange,
                        status,
                        new KeystoreResponses.KeysRefused(refused.getMessage(), DeclaredKeys.REFUSED_CODE, status));
                return;
            }
            Responses.json(exchange, 200, KeystoreResponses.Keyed.of(answer));
        });
    }

    /**
     * {@code POST /encrypt {seed, plaintext_base64}} (worker token): OutLayer's workers re-seal a
     * System secret (a payment key's balance after a top-up) under its seed. ECIES v1, answered as
     * {@code {encrypted_base64}}.
     */
    private void sealForSeed(HttpServerExchange exchange) {
        keystore.requireWorker(bearer(exchange));
        bodies.axumJson(exchange, KeystoreRequests.SealForSeed.class, (ex, request) -> {
            DeclaredKeys.refuseReservedSeed(request.seed());
            Responses.json(
                    ex,
                    200,
                    new KeystoreResponses.Sealed(keystore.encryptForSeed(request.seed(), request.plaintext())));
        });
    }

    /** {@code POST /decrypt-raw {seed, encrypted_base64}} (worker token) -> {@code {plaintext_base64}}. */
    private void openForSeed(HttpServerExchange exchange) {
        keystore.requireWorker(bearer(exchange));
        bodies.axumJson(exchange, KeystoreRequests.OpenForSeed.class, (ex, request) -> {
            DeclaredKeys.refuseReservedSeed(request.seed());
            byte[] plaintext = keystore.decryptForSeed(request.seed(), request.encryptedBase64(), "encrypted_base64");
            Responses.json(
                    ex, 200, new KeystoreResponses.Opened(Base64.getEncoder().encodeToString(plaintext)));
        });
    }

    /** {@code POST /storage/encrypt} (worker token): one entry of a program's persistent storage, sealed. */
    private void storageSeal(HttpServerExchange exchange) {
        keystore.requireWorker(bearer(exchange));
        bodies.axumJson(exchange, KeystoreRequests.StorageSeal.class, (ex, request) -> {
            byte[] key = request.key().getBytes(StandardCharsets.UTF_8);
            Responses.json(
                    ex,
                    200,
                    new KeystoreResponses.StorageSealed(
                            keystore.encryptForSeed(request.seed(), key),
                            keystore.encryptForSeed(request.seed(), request.value()),
                            sha256Hex(key)));
        });
    }

    /** {@code POST /storage/decrypt} (worker token): an entry's key and value, opened. */
    private void storageOpen(HttpServerExchange exchange) {
        keystore.requireWorker(bearer(exchange));
        bodies.axumJson(exchange, KeystoreRequests.StorageOpen.class, (ex, request) -> {
            byte[] key = keystore.decryptForSeed(request.seed(), request.encryptedKeyBase64(), "encrypted_key_base64");
            byte[] value =
                    keystore.decryptForSeed(request.seed(), request.encryptedValueBase64(), "encrypted_value_base64");
            String keyText;
            try {
                keyText = StandardCharsets.UTF_8
                        .newDecoder()
                        .decode(ByteBuffer.wrap(key))
                        .toString();
            } catch (CharacterCodingException e) {
                throw ApiException.invalid("the decrypted storage key is not valid UTF-8");
            }
            Responses.json(
                    ex,
                    200,
                    new KeystoreResponses.StorageOpened(
                            keyText, Base64.getEncoder().encodeToString(value)));
        });
    }

    /** {@code POST /vrf/generate {alpha}} (worker token): OutLayer's verifiable random output for alpha. */
    private void vrfGenerate(HttpServerExchange exchange) {
        keystore.requireWorker(bearer(exchange));
        bodies.axumJson(exchange, KeystoreRequests.VrfAlpha.class, (ex, request) -> {
            KeystoreService.VrfOutput vrf = keystore.vrf(request.alpha().getBytes(StandardCharsets.UTF_8));
            Responses.json(ex, 200, new KeystoreResponses.Vrf(vrf.outputHex(), vrf.signatureHex()));
        });
    }

    /** {@code GET /vrf/pubkey} (anyone): the key that verifies every VRF proof of this keystore. */
    private void vrfPublicKey(HttpServerExchange exchange) {
        Responses.json(exchange, 200, new KeystoreResponses.VrfPublicKey(keystore.vrfPublicKeyHex()));
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** The bearer credential, from {@code Authorization: Bearer ...} or {@code X-API-Key}. */
    private static String bearer(HttpServerExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        return exchange.getRequestHeaders().getFirst("X-API-Key");
    }

    private static SecretAccessor rowQuery(HttpServerExchange exchange, String owner, String profile) {
        return new KeystoreRequests.RowQuery(
                        queryParam(exchange, "repo"), queryParam(exchange, "branch"), queryParam(exchange, "accessor"))
                .accessor(owner, profile);
    }

    private static String queryParam(HttpServerExchange exchange, String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    private static String pathParam(HttpServerExchange exchange, String name) {
        return exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY)
                .getParameters()
                .get(name);
    }
}
