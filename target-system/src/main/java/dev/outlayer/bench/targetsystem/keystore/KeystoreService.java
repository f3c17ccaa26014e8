package dev.outlayer.bench.targetsystem.keystore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.rpc.AccountIds;
import dev.outlayer.bench.targetsystem.timing.PhaseTimer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ObjLongConsumer;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keystore (target-system-api.md, "Keystore"): scope public keys, stored profiles written by
 * their owner's API key, and access-checked decryption for worker tokens. Callers check the
 * credential first ({@link #requireOwner}, {@link #requireWorker}), so that nothing of an
 * unauthenticated request is parsed. Refusals are {@link ApiException}s whose messages name
 * fields and variables, never a secret value.
 */
public final class KeystoreService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KeystoreService.class);
    /** The seed of the VRF key in OutLayer's keystore (crypto.rs). */
    static final String VRF_SEED = "vrf-key";

    private final ScopeKeys keys;
    private final ProfileStore store;
    private final ApiKeyOwners apiKeys;
    private final WorkerTokens workers;
    private final WorkerTokens coordinators;
    private final ChainView chain;
    private final DeclaredKeys declaredKeys;
    /** The OutLayer contract whose {@code get_project} a store of a project's secret reads. */
    private final String outlayerContract;
    /** This host's clock, as ValidUntil conditions read it. */
    private final Clock clock = Clock.systemUTC();

    private final List<PaymentKeySecret.Listener> paymentKeyListeners = new CopyOnWriteArrayList<>();

    private KeystoreService(
            ScopeKeys keys,
            ProfileStore store,
            ApiKeyOwners apiKeys,
            WorkerTokens workers,
            WorkerTokens coordinators,
            ChainView chain,
            String outlayerContract) {
        this.keys = keys;
        this.store = store;
        this.apiKeys = apiKeys;
        this.workers = workers;
        this.coordinators = coordinators;
        this.chain = chain;
        this.declaredKeys = new DeclaredKeys(keys, chain, outlayerContract);
        this.outlayerContract = outlayerContract;
    }

    /** Builds the keystore from its configuration; fails fast on a bad master secret or token hash. */
    public static KeystoreService create(KeystoreConfig config, WorkerTokens extraWorkers) {
        return create(config, extraWorkers, ChainView.NONE);
    }

    /**
     * As above, reading NearBalance, FtBalance, NftOwned and DaoMember conditions from {@code chain}
     * (the root wires the contract simulator in; {@link ChainView#NONE} without one).
     */
    public static KeystoreService create(KeystoreConfig config, WorkerTokens extraWorkers, ChainView chain) {
        return create(config, extraWorkers, null, chain);
    }

    /**
     * As above, also accepting {@code extraCoordinators} on the coordinator routes (the embedded
     * coordinator's own token, as {@code extraWorkers} holds its worker token).
     */
    public static KeystoreService create(
            KeystoreConfig config, WorkerTokens extraWorkers, WorkerTokens extraCoordinators, ChainView chain) {
        byte[] master = MasterSecret.resolve(config.masterSecretHex(), config.dataDir());
        WorkerTokens workers = WorkerTokens.ofHashes(config.workerTokenHashes());
        if (extraWorkers != null) {
            workers = workers.plusAll(extraWorkers);
        }
        WorkerTokens coordinators = WorkerTokens.ofHashes(config.coordinatorTokenHashes(), "coordinator");
        if (extraCoordinators != null) {
            coordinators = coordinators.plusAll(extraCoordinators);
        }
        return new KeystoreService(
                new ScopeKeys(master),
                ProfileStore.open(config.dataDir(), config.maxProfilesPerOwner()),
                new ApiKeyOwners(config.apiKeysFile(), config.reloadIntervalMillis()),
                workers,
                coordinators,
                chain,
                config.outlayerContract());
    }

    /** What a store did: the profile as stored, and whether it is new (else it replaced one). */
    public record Stored(SecretProfile profile, boolean created) {}

    /** The scope's X25519 public key, hex. */
    public String publicKeyHex(Scope scope) {
        return keys.forScope(scope).publicKeyHex();
    }

    /** The public key of a seed {@code repo:owner[:branch]} as given (OutLayer keystore-worker's form). */
    public String publicKeyHexForSeed(String seed) {
        DeclaredKeys.refuseReservedSeed(seed);
        return keys.forSeed(seed).publicKeyHex();
    }

    /** The API key must belong to {@code owner}: none or an unknown one is UNAUTHENTICATED, another owner's FORBIDDEN. */
    public void requireOwner(String apiKey, String owner) {
        if (apiKey == null || apiKey.isEmpty()) {
            throw new ApiException(
                    ApiException.Kind.UNAUTHENTICATED,
                    "an API key is required: 'Authorization: Bearer KEY' or 'X-API-Key: KEY'");
        }
        String keyOwner = apiKeys.ownerOf(apiKey)
                .orElseThrow(() -> new ApiException(ApiException.Kind.UNAUTHENTICATED, "unknown API key"));
        if (!keyOwner.equals(owner)) {
            throw new ApiException(
                    ApiException.Kind.FORBIDDEN, "this API key belongs to " + keyOwner + ", not to " + owner);
        }
    }

    /** Only a worker token this keystore knows may decrypt. */
    public void requireWorker(String token) {
        if (!workers.accepts(token)) {
            throw new ApiException(
                    ApiException.Kind.UNAUTHENTICATED,
                    "POST /decrypt needs 'Authorization: Bearer <worker token>' with a token this keystore knows");
        }
    }

    /**
     * Only a coordinator token this keystore knows may call the coordinator routes: OutLayer's
     * {@code coordinator_auth_middleware} and its words. A worker's token is not one (OutLayer keeps
     * the two sets apart: a worker cannot mint secrets, a coordinator cannot decrypt).
     */
    public void requireCoordinator(String token) {
        if (token == null || token.isEmpty()) {
            throw new ApiException(ApiException.Kind.UNAUTHENTICATED, "Missing Authorization header");
        }
        if (!coordinators.accepts(token)) {
            throw new ApiException(ApiException.Kind.UNAUTHENTICATED, "Invalid coordinator token");
        }
    }

    /** What {@link #addGeneratedSecrets} answers: the merged blob and every name in it, sorted. */
    public record Generated(String encryptedDataBase64, List<String> allKeys) {}

    /**
     * OutLayer keystore-worker's {@code add_generated_secret_handler}: opens the existing blob under
     * {@code seed} (none: start empty) as any JSON object, refuses it if it holds a {@code PROTECTED_} name (that prefix
     * is only ever generated here, in this call, so a name already there is refused), generates the
     * new secrets and seals the merged object under the same seed, ECIES v1. Nothing is stored and no
     * value leaves the keystore in plaintext: the answer holds the blob and the names.
     */
    public Generated addGeneratedSecrets(String seed, String existingBase64, List<GeneratedSecrets.Spec> specs) {
        DeclaredKeys.refuseReservedSeed(seed);
        if (specs.isEmpty()) {
            throw ApiException.invalid("At least one new secret must be specified");
        }
        GeneratedSecrets.check(specs);
        TreeMap<String, JsonNode> secrets = new TreeMap<>();
        if (existingBase64 != null) {
            // As OutLayer's handler reads it (a serde_json Map): any JSON object, its values as written.
            secrets = SecretsPayload.anyObject(open(seed, existingBase64, "encrypted_secrets_base64"));
            // OutLayer's first check on the existing blob; it also refuses every name already there,
            // since only PROTECTED_ names are generated (its collision check comes after and never fires).
            SecretsPayload.refuseProtected(secrets.keySet());
        }
        requireRoomFor(secrets.size() + specs.size());
        for (GeneratedSecrets.Spec spec : specs) {
            secrets.put(spec.name(), TextNode.valueOf(GeneratedSecrets.generate(spec)));
        }
        // OutLayer's final check, on the merged names: the worker sets the reserved ones itself.
        SecretsPayload.refuseReserved(secrets.keySet());
        byte[] plaintext = JsonCodec.bytes(secrets);
        return new Generated(encryptForSeed(seed, plaintext), List.copyOf(secrets.keySet()));
    }

    /** NEP-413 proof that the owner asked for an update: OutLayer's UpdateUserSecretsRequest fields. */
    public record SignedRequest(
            String signedMessage, String signature, String publicKey, String nonce, String recipient) {}

    /**
     * An update of a stored profile's secrets, OutLayer's {@code UpdateUserSecretsRequest}: the
     * profile's accessor (and {@code newAccessor} to move it), {@code reset} (replace every secret
     * but the {@code PROTECTED_} ones) or append, the secrets to set, {@code PROTECTED_} ones to
     * generate, and the owner's signature over all of it.
     */
    public record SecretsUpdate(
            String owner,
            String profile,
            SecretAccessor accessor,
            SecretAccessor newAccessor,
            boolean reset,
            Map<String, JsonNode> secrets,
            List<GeneratedSecrets.Spec> generateProtected,
            SignedRequest signed) {}

    /** OutLayer's UpdateSummary. */
    public record UpdateSummary(
            List<String> protectedKeysPreserved, List<String> updatedKeys, List<String> removedKeys, int totalKeys) {}

    /** What {@link #updateUserSecrets} answers: the new blob (as stored) and the summary. */
    public record Updated(String encryptedSecretsBase64, UpdateSummary summary) {}

    /**
     * OutLayer keystore-worker's {@code update_user_secrets_handler}, its checks in its order: the names set
     * may not be reserved (400, every one named; only the names being written), the
     * signed message must spell out the request ({@link #expectedUpdateMessage}, else 400), its
     * NEP-413 signature must verify (401) with a key of the owner's account (401; read from the
     * chain, {@code view_access_key_list}, as the access conditions read it), and set secrets may not
     * be {@code PROTECTED_} (400); their values may be any JSON, as OutLayer's. Then the stored profile (OutLayer
     * reads it from its contract; here the store plays the contract) is opened (any JSON object, as OutLayer's
     * keystore reads it), the update applied, and the result sealed under
     * the new accessor's seed (or the same) and stored in its place, with its access condition, as the
     * contract's {@code store_secrets} of that blob would store it: rows keyed by the contract's one
     * spelling, a payment key written once. A payment key's row that moves away deletes the key its listeners
     * know, one moved onto a payment key's row creates it (OutLayer's worker reports the contract's events so).
     * A refused call changes nothing and tells no listener.
     */
    public Updated updateUserSecrets(SecretsUpdate update) {
        // OutLayer's first check, on the names being written only: a name already stored must not block the update
        // that would remove it.
        SecretsPayload.refuseReserved(update.secrets().keySet());
        SecretProfile.checkAccountId("owner", update.owner());
        SecretProfile.checkProfileName(update.profile());
        String expected = expectedUpdateMessage(update);
        if (!expected.equals(update.signed().signedMessage())) {
            // OutLayer quotes both; neither holds a secret's value, only names.
            throw ApiException.invalid("Invalid message format. Expected payload to match request data. Expected: '"
                    + expected + "', Got: '" + abbreviate(update.signed().signedMessage()) + "'");
        }
        try {
            Nep413.verify(
                    update.signed().signedMessage(),
                    update.signed().signature(),
                    update.signed().publicKey(),
                    update.signed().nonce(),
                    update.signed().recipient());
        } catch (Nep413.InvalidSignatureException e) {
            throw new ApiException(ApiException.Kind.UNAUTHENTICATED, "Invalid signature: " + e.getMessage());
        }
        requireKeyOfAccount(update.owner(), update.signed().publicKey());
        List<String> protectedSet = update.secrets().keySet().stream()
                .filter(name -> name.startsWith(SecretsPayload.PROTECTED_PREFIX))
                .sorted()
                .toList();
        if (!protectedSet.isEmpty()) {
            throw ApiException.invalid(
                    "User secrets cannot use 'PROTECTED_' prefix: " + String.join(", ", protectedSet));
        }
        List<GeneratedSecrets.Spec> generate =
                update.generateProtected() == null ? List.of() : update.generateProtected();
        for (GeneratedSecrets.Spec spec : generate) {
            if (spec != null && spec.name() != null && !spec.name().startsWith(SecretsPayload.PROTECTED_PREFIX)) {
                throw ApiException.invalid(
                        "Generated secret '" + abbreviate(spec.name()) + "' must start with 'PROTECTED_' prefix");
            }
        }
        GeneratedSecrets.check(generate);

        String owner = update.owner();
        RowKey from = RowKey.of(update.accessor(), update.profile());
        SecretProfile stored = store.get(owner, from.profile(), from.accessor())
                .orElseThrow(() -> ApiException.notFound("owner " + owner + " has no profile '" + update.profile()
                        + "' for " + describe(update.accessor())));
        // OutLayer's keystore reads any JSON object here (a payment key's metadata too), as it does what it merges in.
        TreeMap<String, JsonNode> secrets = SecretsPayload.anyObject(
                open(stored.seed(), stored.encryptedSecretsBase64(), "encrypted_secrets_base64"));

        List<String> removed = new ArrayList<>();
        if (update.reset()) {
            secrets.keySet().stream()
                    .filter(name -> !name.startsWith(SecretsPayload.PROTECTED_PREFIX))
                    .forEach(removed::add);
            removed.forEach(secrets::remove);
        }
        List<String> preserved = secrets.keySet().stream()
                .filter(name -> name.startsWith(SecretsPayload.PROTECTED_PREFIX))
                .toList();
        List<String> updated = new ArrayList<>(new TreeMap<>(update.secrets()).keySet());
        update.secrets().forEach((name, value) -> secrets.put(name, value == null ? NullNode.getInstance() : value));
        List<String> regenerated = GeneratedSecrets.collisions(generate, secrets.keySet());
        if (!regenerated.isEmpty()) {
            throw ApiException.invalid("Cannot regenerate existing PROTECTED_ secret: " + String.join(", ", regenerated)
                    + ". These secrets are immutable once created.");
        }
        requireRoomFor(secrets.size() + generate.size());
        for (GeneratedSecrets.Spec spec : generate) {
            secrets.put(spec.name(), TextNode.valueOf(GeneratedSecrets.generate(spec)));
            updated.add(spec.name());
        }
        byte[] plaintext = JsonCodec.bytes(secrets);

        Scope scope = stored.scope();
        String profile = stored.profile();
        if (update.newAccessor() != null) {
            RowKey to = RowKey.of(update.newAccessor(), update.profile());
            profile = to.profile();
            scope = new Scope(to.accessor(), owner, profile);
        }
        PaymentKeySecret key = paymentKeyAt(scope, plaintext);
        String blob = encryptForSeed(scope.seed(), plaintext);
        SecretProfile replacement =
                new SecretProfile(owner, profile, scope, blob, stored.access(), stored.createdAt(), Instant.now());
        store.replace(stored, replacement);
        // As OutLayer's worker reports the contract's events: the payment key that left its row is deleted, the one
        // stored at its row is created.
        if (stored.scope().accessor() instanceof SecretAccessor.System) {
            tellPaymentKeyListeners(owner, stored.profile(), (listener, nonce) -> listener.deleted(owner, nonce));
        }
        if (key != null) {
            tellPaymentKeyListeners(
                    owner, replacement.profile(), (listener, nonce) -> listener.stored(owner, nonce, key));
        }
        return new Updated(
                blob,
                new UpdateSummary(List.copyOf(preserved), List.copyOf(updated), List.copyOf(removed), secrets.size()));
    }

    /**
     * The message the owner signs for an update, as OutLayer's dashboard writes it and its keystore
     * rebuilds it: {@code Update Outlayer secrets for <owner>:<profile>}, then {@code \nkeys:} and
     * the set secrets' names sorted and comma-separated, then {@code \nprotected:} and the names
     * to generate, sorted (each line only when it has names). So a signature covers which names
     * change, never their values.
     */
    public static String expectedUpdateMessage(SecretsUpdate update) {
        StringBuilder message = new StringBuilder("Update Outlayer secrets for ")
                .append(update.owner())
                .append(':')
                .append(update.profile());
        List<String> keys = update.secrets().keySet().stream().sorted().toList();
        if (!keys.isEmpty()) {
            message.append("\nkeys:").append(String.join(",", keys));
        }
        if (update.generateProtected() != null) {
            List<String> names = update.generateProtected().stream()
                    .filter(spec -> spec != null && spec.name() != null)
                    .map(GeneratedSecrets.Spec::name)
                    .sorted()
                    .toList();
            if (!names.isEmpty()) {
                message.append("\nprotected:").append(String.join(",", names));
            }
        }
        return message.toString();
    }

    /**
     * The signing key must be one of the owner's access keys, as OutLayer's keystore checks it
     * ({@code near.rs verify_access_key_owner}: {@code view_access_key_list}). Without a chain this
     * keystore cannot tell, and says so (422) rather than skip the check as OutLayer's does without
     * a NEAR client.
     */
    private void requireKeyOfAccount(String owner, String publicKey) {
        if (!chain.available()) {
            throw new ApiException(
                    ApiException.Kind.UNPROCESSABLE,
                    "Public key " + publicKey + " cannot be checked against account " + owner
                            + ": this keystore reads no chain (start it with --keystore-chain-rpc)");
        }
        Optional<List<String>> keysOfOwner;
        try {
            keysOfOwner = chain.accessKeys(owner);
        } catch (ChainView.ViewFailedException e) {
            throw new ApiException(
                    ApiException.Kind.UNPROCESSABLE,
                    "Public key " + publicKey + " cannot be checked against account " + owner + ": " + e.getMessage());
        }
        if (keysOfOwner.isEmpty()) {
            throw new ApiException(
                    ApiException.Kind.UNAUTHENTICATED,
                    "Public key " + publicKey + " does not belong to account " + owner + ": the account does not"
                            + " exist");
        }
        if (!keysOfOwner.get().contains(publicKey)) {
            throw new ApiException(
                    ApiException.Kind.UNAUTHENTICATED,
                    "Public key " + publicKey + " does not belong to account " + owner
                            + ": it is not one of its access keys");
        }
    }

    private static void requireRoomFor(int variables) {
        if (variables > SecretsPayload.MAX_VARIABLES) {
            throw ApiException.invalid(
                    "secrets would hold " + variables + " variables; at most " + SecretsPayload.MAX_VARIABLES);
        }
    }

    private static String clip(String text) {
        return text == null || text.length() <= 256 ? text : text.substring(0, 256) + "\u2026";
    }

    private static String abbreviate(String text) {
        return text.length() > 512 ? text.substring(0, 512) + "..." : text;
    }

    /**
     * Stores a ciphertext for {@code owner} (authenticated by the caller). First what OutLayer's contract
     * refuses to store, in its order and words ({@link StoreRules}; the accessor's fields are checked where the
     * request is read): the condition's account ids, its bounds, a payment key's nonce, a project the contract
     * does not hold, the profile's name, an empty blob, an agent's name for another owner, a payment key
     * already stored. Then the ciphertext is opened once, so that a blob for another scope, a tampered one or
     * reserved names fail now, not later inside somebody's execution. A refused store changes nothing.
     * Phases: {@code verify}, {@code store}.
     */
    public Stored store(
            String owner, String profileName, Scope scope, String ciphertextBase64, JsonNode access, PhaseTimer timer) {
        long start = System.nanoTime();
        // OutLayer's contract keys the row by one spelling, decided before anything is checked or stored
        RowKey row = RowKey.of(scope.accessor(), profileName);
        profileName = row.profile();
        scope = new Scope(row.accessor(), owner, profileName);
        AccessCondition condition = AccessCondition.parseForStore(access);
        // OutLayer's contract refuses to store a condition its keystore would refuse to judge.
        AccessBounds.of(condition).exceededForStore().ifPresent(why -> {
            throw ApiException.invalid(why);
        });
        boolean paymentKey = scope.accessor() instanceof SecretAccessor.System;
        if (paymentKey) {
            StoreRules.checkPaymentKeyNonce(profileName);
        }
        if (scope.accessor() instanceof SecretAccessor.Project project) {
            requireProjectOnContract(project.projectId());
        }
        StoreRules.checkProfile(profileName);
        StoreRules.checkCiphertextPresent(ciphertextBase64);
        StoreRules.checkAgentProfile(profileName, owner);
        if (paymentKey && store.get(owner, profileName, scope.accessor()).isPresent()) {
            throw StoreRules.paymentKeyExists();
        }
        scope = scope.withProfile(profileName);
        PaymentKeySecret key = null;
        if (paymentKey) {
            // OutLayer's payment key: its metadata, not environment variables (see PaymentKeySecret)
            PaymentKeySecret.nonceOf(profileName);
            key = PaymentKeySecret.parse(open(scope, ciphertextBase64));
        } else {
            SecretsPayload.parseManual(open(scope, ciphertextBase64));
        }
        timer.since("verify", start);

        long storeStart = System.nanoTime();
        Instant now = Instant.now();
        Instant createdAt = store.get(owner, profileName, scope.accessor())
                .map(SecretProfile::createdAt)
                .orElse(now);
        SecretProfile profile =
                new SecretProfile(owner, profileName, scope, ciphertextBase64, condition, createdAt, now);
        boolean created = store.put(profile);
        timer.since("store", storeStart);
        if (key != null) {
            PaymentKeySecret stored = key;
            tellPaymentKeyListeners(owner, profileName, (listener, nonce) -> listener.stored(owner, nonce, stored));
        }
        return new Stored(profile, created);
    }

    /**
     * The contract stores a project's secret only for a project it holds ({@code Project '...' does not
     * exist}); this keystore asks the contract's {@code get_project} when it reads a chain. Without one it
     * cannot tell, and stores (a keystore started alone); a chain that cannot answer is a 502, as for the keys
     * a job declares.
     */
    private void requireProjectOnContract(String projectId) {
        if (!chain.available()) {
            return;
        }
        JsonNode project;
        try {
            byte[] answer =
                    chain.viewCall(outlayerContract, "get_project", JsonCodec.bytes(Map.of("project_id", projectId)));
            project = JsonCodec.MAPPER.readTree(answer);
        } catch (ChainView.ViewFailedException e) {
            throw new ApiException(
                    ApiException.Kind.BAD_GATEWAY,
                    "Project '" + projectId + "' could not be looked up on " + outlayerContract + ": "
                            + clip(e.getMessage()));
        } catch (java.io.IOException | RuntimeException e) {
            throw new ApiException(
                    ApiException.Kind.BAD_GATEWAY,
                    "Project '" + projectId + "' could not be looked up on " + outlayerContract
                            + ": its answer is not JSON");
        }
        if (project == null || !project.isObject()) {
            throw StoreRules.noSuchProject(projectId);
        }
    }

    /**
     * Tells {@code listener} of every payment key stored or deleted from now on: what OutLayer's
     * worker learns from the contract's events after store_secrets and reports to its coordinator.
     */
    public void addPaymentKeyListener(PaymentKeySecret.Listener listener) {
        paymentKeyListeners.add(listener);
    }

    /**
     * Opens a payment key's blob as it stands on the contract (a TopUp event's {@code
     * encrypted_data}) with the key of its System scope {@code system:payment_key:{owner}:{nonce}},
     * as OutLayer's keystore does for its worker's system callbacks; 400 when it does not open
     * under that scope or is no payment key.
     */
    public PaymentKeySecret openPaymentKey(String owner, long nonce, String ciphertextBase64) {
        return PaymentKeySecret.parse(open(paymentKeyScope(owner, nonce), ciphertextBase64));
    }

    /** Seals a payment key's plaintext to its System scope: the new blob a top-up writes back on chain. */
    public String sealPaymentKey(String owner, long nonce, PaymentKeySecret secret) {
        return encryptForSeed(paymentKeyScope(owner, nonce).seed(), secret.toJson());
    }

    private static Scope paymentKeyScope(String owner, long nonce) {
        return new Scope(
                new SecretAccessor.System(SecretAccessor.System.PAYMENT_KEY), owner, Long.toUnsignedString(nonce));
    }

    /** The owner's profiles: every row, one per (accessor, profile), in key order. */
    public List<SecretProfile> list(String owner) {
        return store.list(owner);
    }

    /**
     * The owner's row named {@code profileName} for {@code accessor}; with no accessor named, the one row of that
     * name (404 when there is none, 409 when rows of that name are stored for several accessors: the request
     * must say which).
     */
    public SecretProfile show(String owner, String profileName, SecretAccessor accessor) {
        if (accessor != null) {
            RowKey row = RowKey.of(accessor, profileName);
            return store.get(owner, row.profile(), row.accessor())
                    .orElseThrow(() -> ApiException.notFound(
                            "owner " + owner + " has no profile '" + profileName + "' for " + describe(accessor)));
        }
        List<SecretProfile> rows = store.named(owner, profileName);
        if (rows.isEmpty()) {
            throw noProfile(owner, profileName);
        }
        if (rows.size() > 1) {
            throw new ApiException(
                    ApiException.Kind.CONFLICT,
                    "owner " + owner + " has " + rows.size() + " profiles named '" + profileName + "', one for each"
                            + " of "
                            + String.join(
                                    ", ",
                                    rows.stream()
                                            .map(row -> describe(row.scope().accessor()))
                                            .toList())
                            + ": name one with ?repo=...[&branch=...] or ?accessor=<JSON>");
        }
        return rows.get(0);
    }

    /** Deletes the row {@link #show} finds (404 none, 409 several and no accessor named). */
    public void delete(String owner, String profileName, SecretAccessor accessor) {
        SecretProfile row = show(owner, profileName, accessor);
        if (!store.delete(row)) {
            throw noProfile(owner, profileName);
        }
        if (row.scope().accessor() instanceof SecretAccessor.System) {
            tellPaymentKeyListeners(owner, row.profile(), (listener, nonce) -> listener.deleted(owner, nonce));
        }
    }

    /**
     * Tells each payment key listener what happened to the key of nonce {@code profile} (a listener that fails is
     * logged, and the others are told).
     */
    private void tellPaymentKeyListeners(
            String owner, String profile, ObjLongConsumer<PaymentKeySecret.Listener> event) {
        long nonce = PaymentKeySecret.nonceOf(profile);
        for (PaymentKeySecret.Listener listener : paymentKeyListeners) {
            try {
                event.accept(listener, nonce);
            } catch (RuntimeException e) {
                LOG.warn("a payment key listener failed on {}/{}: {}", owner, profile, e.toString());
            }
        }
    }

    /**
     * A row's key as OutLayer's contract spells it before it reads or writes one ({@code secrets.rs
     * canonical_accessor}, {@code canonical_profile}): a wasm hash in lower case, a payment key's nonce as its
     * number ({@code 01} is {@code 1}); anything else as given.
     */
    private record RowKey(SecretAccessor accessor, String profile) {
        static RowKey of(SecretAccessor accessor, String profile) {
            SecretAccessor canonical = accessor.canonical();
            return new RowKey(canonical, canonical.canonicalProfile(profile));
        }
    }

    /**
     * As below, for a request that reports neither a build nor a calling account: a {@code WasmHash}
     * or {@code Predecessor} leaf cannot be judged for it.
     */
    public byte[] decrypt(Scope requested, String profileName, String userAccountId, PhaseTimer timer) {
        return decrypt(requested, profileName, userAccountId, AccessCondition.RunFacts.NONE, timer);
    }

    /**
     * Finds the profile, checks its access condition against {@code userAccountId} (the signer) and
     * what the worker reports of the run ({@code facts}: the build it runs, 64 hex characters, and the
     * account that called the contract; each null when not reported), and opens the ciphertext with
     * the scope key: the plaintext JSON of variables. As in OutLayer, the row of the requested accessor
     * is served, else (a branch asked for and no row of it) the repository's row stored without a branch,
     * which serves every branch; the stored branch picks the key. Phases: {@code lookup}, {@code access},
     * {@code decrypt}.
     */
    public byte[] decrypt(
            Scope requested,
            String profileName,
            String userAccountId,
            AccessCondition.RunFacts facts,
            PhaseTimer timer) {
        return opened(requested, profileName, userAccountId, facts, timer).plaintext();
    }

    /** A row that admitted the caller and decrypted, and whether its condition admitted them by name. */
    private record Opened(byte[] plaintext, boolean admittedByName) {}

    private Opened opened(
            Scope requested,
            String profileName,
            String userAccountId,
            AccessCondition.RunFacts facts,
            PhaseTimer timer) {
        long lookupStart = System.nanoTime();
        SecretProfile.checkAccountId("user_account_id", userAccountId);
        checkBuild(facts.executedWasmSha256());
        if (facts.predecessorId() != null) {
            SecretProfile.checkAccountId("predecessor_id", facts.predecessorId());
        }
        String owner = requested.owner();
        SecretProfile profile = served(requested, profileName)
                .orElseThrow(() -> ApiException.notFound("owner " + owner + " has no profile '" + profileName + "' for "
                        + describe(requested.accessor())));
        timer.since("lookup", lookupStart);

        long accessStart = System.nanoTime();
        requireAgentsOwnSecret(profileName, owner, userAccountId);
        // OutLayer's judge_access: bounds, patterns, verdict, and its sentence on a refusal, which its
        // worker and dashboard recognise ("Access denied") and pass on to the caller.
        try {
            AccessDoor.judge(profile.access(), userAccountId, chain, facts, clock);
        } finally {
            timer.since("access", accessStart);
        }

        long decryptStart = System.nanoTime();
        byte[] plaintext = open(profile.seed(), profile.encryptedSecretsBase64(), "encrypted_secrets_base64");
        if (profile.scope().accessor() instanceof SecretAccessor.System) {
            PaymentKeySecret.parse(plaintext); // a payment key's metadata, for the worker that funds it
        } else {
            SecretsPayload.parse(plaintext);
        }
        timer.since("decrypt", decryptStart);
        return new Opened(plaintext, admittedByName(profile.access(), userAccountId, facts));
    }

    /**
     * OutLayer's {@code admitted_by_name}: whether the condition, which admitted {@code caller}, admitted them by
     * a whitelist that lists them; a clock before the epoch or a pattern that cannot be read answers false.
     */
    private boolean admittedByName(AccessCondition condition, String caller, AccessCondition.RunFacts facts) {
        java.util.OptionalLong now = Judgement.nowNs(clock);
        if (now.isEmpty()) {
            return false;
        }
        try {
            return TaskKeys.admitsByName(condition, caller, now.getAsLong(), CompiledPatterns.of(condition), facts);
        } catch (CompiledPatterns.UnreadablePattern unreadable) {
            return false;
        }
    }

    /**
     * A {@code /decrypt} that names declared keys (OutLayer's {@code KeyedDecryptRequest}): the job's secret row
     * if it has one ({@code row} null otherwise), the job's facts, its project ({@code null} for a direct run of
     * a wasm URL), and the signing and encryption keys the running artefact's manifest declares.
     */
    public record KeyedRequest(
            Scope row,
            String profile,
            String userAccountId,
            AccessCondition.RunFacts facts,
            String projectId,
            List<DeclaredKeys.Declared> signingKeys,
            List<DeclaredKeys.Declared> encryptionKeys,
            boolean taskKey) {}

    /** The run's task key (32 bytes, hex) and whether the row's condition admitted the caller by name. */
    public record TaskKeyGrant(String key, boolean admittedByName) {}

    /** What became of a keyed request's row: its plaintext, or (no such profile) the keystore's reason. */
    public record RowOutcome(byte[] plaintext, String notFound) {}

    /** A keyed answer: each part present exactly when the request named it. Keys by path, 32 bytes hex. */
    public record KeyedAnswer(
            RowOutcome secrets,
            Map<String, String> signingKeys,
            Map<String, String> encryptionKeys,
            TaskKeyGrant taskKey) {}

    /**
     * OutLayer's {@code decrypt_with_keys}: the keys are judged first and in full, both families together, and a
     * refusal ({@link DeclaredKeys.Refused}) answers the whole request before the row is read, so no secret
     * leaves beside a refused key. Then the row, judged by its own access condition exactly as {@link #decrypt}
     * judges it: a profile that does not exist is reported beside the keys (the outcome a run continues past),
     * any other refusal of the row refuses the request as it would without keys. Only then are the keys
     * derived. Nothing is stored. Phases: {@code keys}, the row's, {@code derive}.
     *
     * <p>A request may also ask for the run's task key ({@link TaskKeys}), with declared keys or without, as
     * OutLayer's: what it says of the run is validated first (400, {@code Task key refused: }); the project is
     * established on the contract by the reads the declared keys need, or by the same reads for a request that
     * names none; the key is derived only beside a row that opened. A request for the task key alone whose caller
     * or predecessor is no account is served its row without one, as is a row that does not exist.
     */
    public KeyedAnswer decryptKeyed(KeyedRequest request, PhaseTimer timer) {
        long keysStart = System.nanoTime();
        AccessCondition.RunFacts facts = request.facts();
        TaskKeys.Run taskRun = request.taskKey() ? validateTaskKey(request) : null;
        boolean namesKeys =
                !request.signingKeys().isEmpty() || !request.encryptionKeys().isEmpty();
        DeclaredKeys.Authorized authorized = null;
        if (namesKeys || taskRun == null) {
            authorized = declaredKeys.authorize(
                    new DeclaredKeys.Run(
                            request.projectId(),
                            request.userAccountId(),
                            facts.predecessorId(),
                            facts.executedWasmSha256()),
                    request.signingKeys(),
                    request.encryptionKeys());
        } else {
            Optional<String> withheld = TaskKeys.notRealCallers(request.userAccountId(), facts.predecessorId());
            if (withheld.isPresent()) {
                LOG.warn("task key withheld for project {}: {}", taskRun.projectId(), withheld.get());
                taskRun = null;
            }
        }
        String taskProject = null;
        if (taskRun != null) {
            taskProject = authorized != null
                    ? authorized.projectUuid()
                    : declaredKeys.publishedProject(
                            "Task key",
                            taskRun.projectId(),
                            DeclaredKeys.projectOwner(taskRun.projectId()),
                            taskRun.wasm());
        }
        timer.since("keys", keysStart);
        RowOutcome secrets = null;
        boolean admittedByName = false;
        if (request.row() != null) {
            try {
                Opened opened = opened(request.row(), request.profile(), request.userAccountId(), facts, timer);
                secrets = new RowOutcome(opened.plaintext(), null);
                admittedByName = opened.admittedByName();
            } catch (ApiException refused) {
                if (refused.kind() != ApiException.Kind.NOT_FOUND) {
                    throw refused;
                }
                secrets = new RowOutcome(null, refused.getMessage());
            }
        }
        long deriveStart = System.nanoTime();
        TaskKeyGrant taskKey = taskRun != null && taskProject != null && secrets != null && secrets.plaintext() != null
                ? new TaskKeyGrant(declaredKeys.taskKey(taskProject, taskRun.owner()), admittedByName)
                : null;
        KeyedAnswer answer = new KeyedAnswer(
                secrets,
                authorized == null ? null : declaredKeys.derive(authorized, DeclaredKeys.Family.SIGNING),
                authorized == null ? null : declaredKeys.derive(authorized, DeclaredKeys.Family.ENCRYPTION),
                taskKey);
        timer.since("derive", deriveStart);
        return answer;
    }

    /** What a request says of its task key, before any chain read (OutLayer's {@code task_keys::validate_request}). */
    private static TaskKeys.Run validateTaskKey(KeyedRequest request) {
        String rowProject = request.row() != null && request.row().accessor() instanceof SecretAccessor.Project p
                ? p.projectId()
                : null;
        try {
            return TaskKeys.validate(
                    request.projectId(),
                    request.facts().executedWasmSha256(),
                    rowProject,
                    request.row() == null ? null : request.row().owner());
        } catch (IllegalArgumentException refused) {
            throw new DeclaredKeys.Refused(ApiException.Kind.INVALID, "Task key refused: " + refused.getMessage());
        }
    }

    /**
     * The build a worker reports is a SHA-256 it measured: 64 hex characters (OutLayer's keystore
     * compares whatever it is sent; one of another shape could never equal a stored build, and would
     * be quoted back in a refusal, so it is refused here as the worker's mistake it is).
     */
    private static void checkBuild(String executedWasmSha256) {
        if (executedWasmSha256 != null && !executedWasmSha256.matches("[0-9a-fA-F]{64}")) {
            throw ApiException.invalid("executed_wasm_sha256 must be the SHA-256 of the wasm being run, 64 hex"
                    + " characters (or absent)");
        }
    }

    /**
     * OutLayer's rule for a secret named after an agent (api.rs {@code enforce_agent_secret}): a
     * profile whose name is an implicit account (64 lowercase hex) is that agent's alone, whatever
     * its access condition says. Only that account may read it, and only if it stored it itself:
     * anyone may store under any name, so without the second half a stranger could plant a
     * credential of their own for the agent to run on.
     */
    private static void requireAgentsOwnSecret(String profileName, String owner, String userAccountId) {
        if (!AccountIds.isNearImplicit(profileName)) {
            return;
        }
        if (!profileName.equals(userAccountId)) {
            throw new ApiException(
                    ApiException.Kind.FORBIDDEN,
                    "This secret is addressed to a different agent. A secret named after an agent can only be read"
                            + " by that agent.");
        }
        if (!profileName.equals(owner)) {
            throw new ApiException(
                    ApiException.Kind.FORBIDDEN,
                    "This secret was not left by the agent itself. A secret an agent may read has to be stored by"
                            + " its own account.");
        }
    }

    /**
     * The row a decrypt is served, as OutLayer's contract looks it up ({@code get_secrets}): the row of the
     * requested accessor; for a repository asked for with a branch and no row of that branch, the repository's
     * row stored without one, which serves every branch.
     */
    private Optional<SecretProfile> served(Scope requested, String profileName) {
        RowKey row = RowKey.of(requested.accessor(), profileName);
        Optional<SecretProfile> exact = store.get(requested.owner(), row.profile(), row.accessor());
        if (exact.isPresent() || !(row.accessor() instanceof SecretAccessor.Repo repo) || repo.branch() == null) {
            return exact;
        }
        return store.get(requested.owner(), row.profile(), new SecretAccessor.Repo(repo.repo(), null));
    }

    /**
     * What the contract's {@code store_secrets} of an update's blob at {@code target} would refuse, checked before
     * anything changes. At a payment key's row: its nonce rules, the write-once rule ({@code Payment key already
     * exists for this nonce}, a 409 here: also the row the update started from, as storing its blob back would be)
     * and, as this keystore's store requires, a payment key's metadata, answered; elsewhere nothing (null): OutLayer's
     * keystore checks the names an update writes, never the object it seals.
     */
    private PaymentKeySecret paymentKeyAt(Scope target, byte[] plaintext) {
        if (!(target.accessor() instanceof SecretAccessor.System)) {
            return null;
        }
        StoreRules.checkPaymentKeyNonce(target.profile());
        if (store.get(target.owner(), target.profile(), target.accessor()).isPresent()) {
            throw new ApiException(
                    ApiException.Kind.CONFLICT, StoreRules.paymentKeyExists().getMessage());
        }
        return PaymentKeySecret.parse(plaintext);
    }

    private static String describe(SecretAccessor accessor) {
        if (accessor instanceof SecretAccessor.Repo r) {
            return "repo " + r.repo() + (r.branch() == null ? "" : " branch " + r.branch());
        }
        return "accessor " + accessor.toJson();
    }

    /**
     * Whether decrypting the profile a request names (the row {@link #decrypt} would be served) may read the
     * chain (its access condition has an on-chain leaf), so that the HTTP layer runs it off the IO thread; false
     * for an unknown profile.
     */
    public boolean decryptReadsChain(Scope requested, String profileName) {
        return served(requested, profileName).map(p -> p.access().readsChain()).orElse(false);
    }

    /** Stored records set aside at start because they no longer load (logged when it happened). */
    public int quarantinedCount() {
        return store.quarantined();
    }

    @Override
    public void close() {
        store.close();
    }

    private byte[] open(Scope scope, String ciphertextBase64) {
        return open(scope.seed(), ciphertextBase64, "encrypted_secrets_base64");
    }

    /**
     * Seals bytes under a seed's key, ECIES v1, as OutLayer's keystore encrypts for its workers
     * ({@code POST /encrypt}, the storage routes): base64 of the blob.
     */
    public String encryptForSeed(String seed, byte[] plaintext) {
        return Base64.getEncoder()
                .encodeToString(Ecies.encrypt(keys.forSeed(seed).publicKey(), plaintext));
    }

    /** A VRF answer: SHA-256 of the proof, and the proof, an Ed25519 signature of alpha; both hex. */
    public record VrfOutput(String outputHex, String signatureHex) {}

    /**
     * OutLayer's verifiable randomness (crypto.rs {@code vrf_generate}): the proof is the Ed25519
     * signature of {@code alpha} by the key of the seed {@code "vrf-key"} (deterministic, RFC 8032),
     * the output its SHA-256. Anyone checks it with {@link #vrfPublicKeyHex()}, a contract with
     * {@code ed25519_verify}.
     */
    public VrfOutput vrf(byte[] alpha) {
        if (alpha.length == 0) {
            throw ApiException.invalid("alpha must not be empty");
        }
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, keys.signingKey(VRF_SEED));
        signer.update(alpha, 0, alpha.length);
        byte[] signature = signer.generateSignature();
        byte[] output;
        try {
            output = MessageDigest.getInstance("SHA-256").digest(signature);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
        return new VrfOutput(HexFormat.of().formatHex(output), HexFormat.of().formatHex(signature));
    }

    /** The VRF public key (Ed25519, hex): the same for every keystore with this master secret. */
    public String vrfPublicKeyHex() {
        return HexFormat.of()
                .formatHex(keys.signingKey(VRF_SEED).generatePublicKey().getEncoded());
    }

    /** Opens a base64 blob sealed under a seed's key (either of OutLayer's formats); 400 when it does not open. */
    public byte[] decryptForSeed(String seed, String ciphertextBase64, String field) {
        return open(seed, ciphertextBase64, field);
    }

    /**
     * The seed of a program's persistent storage, OutLayer's (api.rs storage handlers): per project
     * and account, {@code storage:<project_uuid>:<account>}, or for code outside a project
     * {@code storage:wasm:<wasm_hash>:<account>} (the account may be {@code @worker}, the program's
     * private store).
     */
    public static String storageSeed(String projectUuid, String wasmHash, String accountId) {
        return projectUuid != null
                ? "storage:" + projectUuid + ":" + accountId
                : "storage:wasm:" + wasmHash + ":" + accountId;
    }

    private byte[] open(String seed, String ciphertextBase64, String field) {
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(ciphertextBase64.trim());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(field + " is not valid base64");
        }
        try {
            return Ecies.open(keys.forSeed(seed).privateKey(), () -> keys.legacySymmetricKey(seed), blob);
        } catch (BadCiphertextException e) {
            throw ApiException.invalid(e.getMessage() + " (scope " + seed + ")");
        }
    }

    private static ApiException noProfile(String owner, String profileName) {
        return ApiException.notFound("owner " + owner + " has no profile '" + profileName + "'");
    }
}
