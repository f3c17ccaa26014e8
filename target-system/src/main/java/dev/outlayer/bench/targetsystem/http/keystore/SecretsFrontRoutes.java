package dev.outlayer.bench.targetsystem.http.keystore;

import static dev.outlayer.bench.targetsystem.json.SerdeFields.required;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.http.BodyReader;
import dev.outlayer.bench.targetsystem.http.ClientAddressLimit;
import dev.outlayer.bench.targetsystem.http.ErrorHandler;
import dev.outlayer.bench.targetsystem.http.Responses;
import dev.outlayer.bench.targetsystem.http.Routes;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.keystore.KeystoreFront;
import dev.outlayer.bench.targetsystem.keystore.RepoUrls;
import dev.outlayer.bench.targetsystem.keystore.SecretAccessor;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;
import java.util.List;

/**
 * OutLayer coordinator's secrets routes (handlers/github.rs), through which dashboards and SDKs reach
 * the keystore, which OutLayer never exposes: {@code POST /secrets/pubkey}, {@code
 * /secrets/add_generated_secret} and {@code /secrets/update_user_secrets}. The coordinator checks the
 * request, builds the accessor's seed and forwards to the keystore ({@link KeystoreFront}); a keystore
 * 400 is passed on, any other refusal is a 502, each with the keystore's body. The handlers' refusals are
 * OutLayer's axum {@code (StatusCode, String)}: plain text in OutLayer's words (no internal detail after
 * them, where OutLayer appends the reqwest or serde error). The three share one {@link ClientAddressLimit}
 * (10 a minute in OutLayer: the keystore runs in a TEE and may be slow).
 */
public final class SecretsFrontRoutes {
    private final KeystoreFront keystore;
    private final BodyReader bodies;

    private SecretsFrontRoutes(KeystoreFront keystore, BodyReader bodies) {
        this.keystore = keystore;
        this.bodies = bodies;
    }

    public static void register(Routes routes, KeystoreFront keystore, ClientAddressLimit limit, BodyReader bodies) {
        SecretsFrontRoutes api = new SecretsFrontRoutes(keystore, bodies);
        routes.route(Methods.POST, "/secrets/pubkey", limit.guard(api::publicKey));
        routes.route(Methods.POST, "/secrets/add_generated_secret", limit.guard(api::addGeneratedSecret));
        routes.route(Methods.POST, "/secrets/update_user_secrets", limit.guard(api::updateUserSecrets));
    }

    // ---- bodies (OutLayer coordinator's shapes) ----

    /** {@code GetPubkeyRequest}. */
    record PubkeyBody(
            @JsonProperty("accessor") CoordinatorAccessor accessor,
            @JsonProperty("owner") String owner,
            @JsonProperty("profile") String profile,
            @JsonProperty("secrets_json") String secretsJson) {
        PubkeyBody {
            required(accessor, "accessor");
            required(owner, "owner");
            required(secretsJson, "secrets_json");
        }
    }

    /** {@code AddGeneratedSecretRequest}. */
    record AddGeneratedBody(
            @JsonProperty("accessor") CoordinatorAccessor accessor,
            @JsonProperty("owner") String owner,
            @JsonProperty("profile") String profile,
            @JsonProperty("encrypted_secrets_base64") String encryptedSecretsBase64,

            @JsonProperty("new_secrets") @JsonSetter(contentNulls = Nulls.FAIL)
            List<SecretSpec> newSecrets) {
        AddGeneratedBody {
            required(accessor, "accessor");
            required(owner, "owner");
            required(newSecrets, "new_secrets");
        }
    }

    /** {@code GeneratedSecretSpec}: a name and how to generate its value. */
    record SecretSpec(
            @JsonProperty("name") String name,
            @JsonProperty("generation_type") String generationType) {
        SecretSpec {
            required(name, "name");
            required(generationType, "generation_type");
        }
    }

    /**
     * The coordinator's {@code SecretAccessor}, internally tagged: {@code {"type":"Repo","repo":...,
     * "branch"?}}, {@code {"type":"WasmHash","hash":...}}, {@code {"type":"Project","project_id":...}}
     * or {@code {"type":"System","PaymentKey":{}}} (its system kind flattened, an enum of one variant).
     */
    record CoordinatorAccessor(
            @JsonProperty("type") String type,
            @JsonProperty("repo") String repo,
            @JsonProperty("branch") String branch,
            @JsonProperty("hash") String hash,
            @JsonProperty("project_id") String projectId,
            @JsonProperty("PaymentKey") JsonNode paymentKey) {
        CoordinatorAccessor {
            required(type, "type");
            switch (type) {
                case "Repo" -> required(repo, "repo");
                case "WasmHash" -> required(hash, "hash");
                case "Project" -> required(projectId, "project_id");
                case "System" -> {
                    if (paymentKey == null || !paymentKey.isObject()) {
                        throw new IllegalArgumentException("accessor: System needs its kind, {\"PaymentKey\":{}}");
                    }
                }
                default ->
                    throw new IllegalArgumentException("unknown variant `" + truncate(type)
                            + "`, expected one of `Repo`, `WasmHash`, `Project`, `System`");
            }
        }

        /** The keystore's accessor for the seed, after the handler's checks (each a 400, in OutLayer's words). */
        SecretAccessor resolve(String profile) {
            return switch (type) {
                case "Repo" -> new SecretAccessor.Repo(normalized(repo), branch);
                case "WasmHash" -> new SecretAccessor.WasmHash(hash);
                case "Project" -> {
                    if (!projectId.contains("/")) {
                        throw ApiException.invalid("Invalid project_id format: must be 'account/name'");
                    }
                    yield new SecretAccessor.Project(projectId);
                }
                default -> {
                    if (profile == null) {
                        throw ApiException.invalid("Profile (nonce) is required for System secrets");
                    }
                    yield new SecretAccessor.System(SecretAccessor.System.PAYMENT_KEY);
                }
            };
        }

        private static String normalized(String repo) {
            try {
                return RepoUrls.forEncryption(repo);
            } catch (ApiException e) {
                throw ApiException.invalid("Invalid repo format: " + e.getMessage());
            }
        }
    }

    /** {@code PubkeyResponseAccessor}: what the coordinator made of the accessor. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AnsweredAccessor(
            @JsonProperty("type") String type,
            @JsonProperty("repo_normalized") String repoNormalized,
            @JsonProperty("branch") String branch,
            @JsonProperty("hash") String hash,
            @JsonProperty("project_id") String projectId,
            @JsonProperty("kind") String kind,
            @JsonProperty("profile") String profile) {
        static AnsweredAccessor of(SecretAccessor accessor, String profile) {
            if (accessor instanceof SecretAccessor.Repo r) {
                return new AnsweredAccessor("Repo", r.repo(), r.branch(), null, null, null, null);
            }
            if (accessor instanceof SecretAccessor.WasmHash w) {
                return new AnsweredAccessor("WasmHash", null, null, w.hash(), null, null, null);
            }
            if (accessor instanceof SecretAccessor.Project p) {
                return new AnsweredAccessor("Project", null, null, null, p.projectId(), null, null);
            }
            SecretAccessor.System system = (SecretAccessor.System) accessor;
            return new AnsweredAccessor("System", null, null, null, null, system.secretType(), profile);
        }
    }

    record PubkeyAnswer(
            @JsonProperty("accessor") AnsweredAccessor accessor,
            @JsonProperty("owner") String owner,
            @JsonProperty("pubkey") String pubkey) {}

    record GeneratedAnswer(
            @JsonProperty("encrypted_data_base64") String encryptedDataBase64,
            @JsonProperty("all_keys") JsonNode allKeys,
            @JsonProperty("accessor") AnsweredAccessor accessor) {}

    /** What the keystore's {@code /pubkey} and {@code /add_generated_secret} take. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SeedRequest(
            @JsonProperty("seed") String seed,
            @JsonProperty("secrets_json") String secretsJson,
            @JsonProperty("encrypted_secrets_base64") String encryptedSecretsBase64,
            @JsonProperty("new_secrets") List<SecretSpec> newSecrets) {}

    // ---- handlers ----

    private void publicKey(HttpServerExchange exchange) {
        bodies.axumJson(
                exchange,
                PubkeyBody.class,
                (ex, body) -> refusingInPlainText(ex, () -> {
                    requireOwner(body.owner());
                    SecretAccessor accessor = body.accessor().resolve(body.profile());
                    KeystoreFront.Answer answer = keystore.publicKey(new SeedRequest(
                            accessor.seed(body.owner(), body.profile()), body.secretsJson(), null, null));
                    requireSucceeded(answer);
                    Responses.json(
                            ex,
                            200,
                            new PubkeyAnswer(
                                    AnsweredAccessor.of(accessor, body.profile()),
                                    body.owner(),
                                    requiredText(answer.json(), "pubkey")));
                }));
    }

    private void addGeneratedSecret(HttpServerExchange exchange) {
        bodies.axumJson(
                exchange,
                AddGeneratedBody.class,
                (ex, body) -> refusingInPlainText(ex, () -> {
                    requireOwner(body.owner());
                    if (body.newSecrets().isEmpty()) {
                        throw ApiException.invalid("At least one new secret must be specified");
                    }
                    SecretAccessor accessor = body.accessor().resolve(body.profile());
                    KeystoreFront.Answer answer = keystore.addGeneratedSecret(new SeedRequest(
                            accessor.seed(body.owner(), body.profile()),
                            null,
                            body.encryptedSecretsBase64(),
                            body.newSecrets()));
                    requireSucceeded(answer);
                    JsonNode generated = answer.json();
                    JsonNode allKeys = generated.get("all_keys");
                    if (allKeys == null || !allKeys.isArray()) {
                        throw new ApiException(ApiException.Kind.BAD_GATEWAY, "Failed to parse keystore response");
                    }
                    Responses.json(
                            ex,
                            200,
                            new GeneratedAnswer(
                                    requiredText(generated, "encrypted_data_base64"),
                                    allKeys,
                                    AnsweredAccessor.of(accessor, body.profile())));
                }));
    }

    /**
     * OutLayer takes any JSON here ({@code Json<Value>}), checks the members it needs in order and
     * forwards the body as it came; the keystore verifies the owner's NEP-413 signature. Its answer,
     * refusals included, is passed on with its status.
     */
    private void updateUserSecrets(HttpServerExchange exchange) {
        bodies.axumJson(
                exchange,
                JsonNode.class,
                (ex, body) -> refusingInPlainText(ex, () -> {
                    // JSON null is a value too (Json<Value>): it has no owner
                    JsonNode payload = body == null ? NullNode.getInstance() : body;
                    requireNonEmptyText(payload, "owner");
                    requireNonEmptyText(payload, "profile");
                    JsonNode accessor = payload.get("accessor");
                    if (accessor == null) {
                        throw ApiException.invalid("accessor is required");
                    }
                    checkAccessor(accessor, "accessor");
                    JsonNode newAccessor = payload.get("new_accessor");
                    if (newAccessor != null) {
                        checkAccessor(newAccessor, "new_accessor");
                    }
                    for (String member : List.of("signature", "public_key", "nonce", "signed_message")) {
                        if (payload.get(member) == null) {
                            throw ApiException.invalid(member + " is required");
                        }
                    }
                    KeystoreFront.Answer answer = keystore.updateUserSecrets(payload);
                    Responses.json(ex, answer.status(), JsonCodec.bytes(answer.json()));
                }));
    }

    /**
     * Runs a handler off the I/O thread; its refusals ({@link ApiException}) are answered as OutLayer's handlers
     * answer theirs, axum's {@code (StatusCode, String)}: the status, {@code text/plain; charset=utf-8} and the
     * words, no {@code Retry-After}. Anything else is the {@link ErrorHandler}'s (a 500 naming no detail).
     */
    private static void refusingInPlainText(HttpServerExchange exchange, ErrorHandler.Task handler) {
        ErrorHandler.dispatch(exchange, () -> {
            try {
                handler.run();
            } catch (ApiException refused) {
                if (exchange.isResponseStarted()) {
                    throw refused;
                }
                Responses.text(exchange, ErrorHandler.status(refused.kind()), refused.getMessage());
            }
        });
    }

    // ---- checks ----

    private static void requireOwner(String owner) {
        if (owner.isEmpty()) {
            throw ApiException.invalid("Owner account ID is required");
        }
    }

    /**
     * A keystore 400 (its checks of the secrets) is the client's; any other refusal is a bad gateway. Either way
     * the body is the keystore's, as it came (OutLayer: "Return raw error message from keystore").
     */
    private static void requireSucceeded(KeystoreFront.Answer answer) {
        if (answer.succeeded()) {
            return;
        }
        throw new ApiException(
                answer.status() == 400 ? ApiException.Kind.INVALID : ApiException.Kind.BAD_GATEWAY, answer.text());
    }

    private static String requiredText(JsonNode body, String member) {
        JsonNode value = body.get(member);
        if (value == null || !value.isTextual()) {
            throw new ApiException(ApiException.Kind.BAD_GATEWAY, "Failed to parse keystore response");
        }
        return value.textValue();
    }

    private static void requireNonEmptyText(JsonNode payload, String member) {
        JsonNode value = payload.get(member);
        if (value == null || !value.isTextual()) {
            throw ApiException.invalid(member + " is required");
        }
        if (value.textValue().isEmpty()) {
            throw ApiException.invalid(member + " cannot be empty");
        }
    }

    /**
     * update_user_secrets' own checks of an accessor (no System type there), in OutLayer's words: those of
     * {@code accessor} name the type ("accessor.repo is required for Repo type"), those of {@code new_accessor}
     * do not; an empty repo or project id "cannot be empty", an empty hash is not 64 hex characters.
     */
    private static void checkAccessor(JsonNode accessor, String name) {
        JsonNode type = accessor.get("type");
        if (type == null || !type.isTextual()) {
            throw ApiException.invalid(name + ".type is required");
        }
        String forType = name.equals("accessor") ? " for " + type.textValue() + " type" : "";
        switch (type.textValue()) {
            case "Repo" -> {
                String repo = nonEmpty(name, "repo", textMember(accessor, name, "repo", forType));
                try {
                    RepoUrls.forEncryption(repo);
                } catch (ApiException e) {
                    String which = name.equals("accessor") ? "" : name + " ";
                    throw ApiException.invalid("Invalid " + which + "repo format: " + e.getMessage());
                }
            }
            case "WasmHash" -> {
                if (!textMember(accessor, name, "hash", forType).matches("[0-9a-fA-F]{64}")) {
                    throw ApiException.invalid(name + ".hash must be 64 hex characters");
                }
            }
            case "Project" -> nonEmpty(name, "project_id", textMember(accessor, name, "project_id", forType));
            default -> throw ApiException.invalid("Unknown " + name + " type: " + truncate(type.textValue()));
        }
    }

    /** A member that must be a string: absent or of another type "is required". */
    private static String textMember(JsonNode accessor, String name, String member, String forType) {
        JsonNode value = accessor.get(member);
        if (value == null || !value.isTextual()) {
            throw ApiException.invalid(name + "." + member + " is required" + forType);
        }
        return value.textValue();
    }

    private static String nonEmpty(String name, String member, String value) {
        if (value.isEmpty()) {
            throw ApiException.invalid(name + "." + member + " cannot be empty");
        }
        return value;
    }

    private static String truncate(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "..." : text;
    }
}
