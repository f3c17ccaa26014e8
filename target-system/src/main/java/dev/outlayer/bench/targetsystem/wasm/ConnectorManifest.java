package dev.outlayer.bench.targetsystem.wasm;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.CustomSection;
import com.dylibso.chicory.wasm.types.UnknownCustomSection;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.json.RustDebug;
import dev.outlayer.bench.targetsystem.json.SerdeFields;
import dev.outlayer.bench.targetsystem.json.SerdeJsonErrors;
import dev.outlayer.bench.targetsystem.keystore.DeclaredKeys.Binding;
import dev.outlayer.bench.targetsystem.keystore.DeclaredKeys.Caller;
import dev.outlayer.bench.targetsystem.keystore.DeclaredKeys.Family;
import dev.outlayer.bench.targetsystem.keystore.DeclaredKeys.KeyType;
import dev.outlayer.bench.targetsystem.keystore.KeyDeclarations;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The manifest a wasm carries in its own {@code outlayer.manifest} custom section (OutLayer's worker
 * {@code connector_manifest.rs} {@code ProjectManifest}): JSON read out of the very bytes that run, so
 * covered by the build's hash. The members OutLayer defines, and only those: any other member refuses
 * the run, naming it and the ones that exist (serde's {@code deny_unknown_fields}), so that a misspelling
 * never quietly becomes the default it was written to override. The nested objects ignore members they
 * do not know, as OutLayer's do, but a declared key, which refuses them as the manifest does. JSON {@code null} is read as serde reads it for the member's Rust type: a
 * member that is an {@code Option} takes it as absent ({@code connector_id}, {@code capabilities} and its
 * {@code network}, {@code network}, {@code limits}, {@code author_secrets} and its members, {@code
 * signing_keys}, {@code encryption_keys}, {@code callers} and its doors, {@code operations}, {@code display},
 * {@code describe}, a declared key's {@code vault}); one that is not refuses it, though serde defaults it when
 * absent ({@code storage_account}, an enum; {@code tasks}, a bool; a limit's {@code applies}; a declared key's
 * {@code bind} and {@code caller}, enums), and so does an entry of a list ({@code network}, {@code limits}, {@code
 * signing_keys}, {@code encryption_keys}) and a required member ({@code String} {@code operation} and {@code
 * window}, a key's {@code path}, its {@code type}): named by its path ("'limits[0].window' must be a string, not
 * null"), where serde says "invalid type: null, expected a string" (or "expected value" for an enum). A required
 * member left out is serde's "missing field `window`"; an unknown member of a key, or an unknown word of one of its
 * enums, serde's "unknown field `valut`, expected one of ..." and "unknown variant `rsa`, expected `ed25519` or
 * `secp256k1`".
 *
 * <p>Of these the stand-in acts on {@code author_secrets} and {@code callers} ({@link ManifestCallers}: who
 * may run the project, with its own rules, and with {@code "tasks": true} it must admit HTTPS and direct
 * calls); the network allowlist ({@code capabilities.network}, {@code network}), the declared {@code
 * limits}, {@code signing_keys}, {@code encryption_keys}, {@code storage_account} and {@code tasks} are read
 * (a value of the wrong type refuses the run, and so does a key declaration that breaks a rule) and not enforced. A declared key is typed as OutLayer's worker types
 * it ({@link SigningKey}, {@link EncryptionKey}: {@code signing_keys.rs} {@code ManifestKey}, {@code
 * encryption_keys.rs} {@code EncryptionManifestKey} as stored at 635d273, whose manifest predates d88a798's {@code
 * tasks} and {@code callers}; neither file is stored at d88a798), and held to the rules its {@code
 * deserialize_declared} applies besides ({@link Declarations}: at most three keys of a family, the path's shape, a
 * path declared twice, a vault only on a project key and only an account id; the keystore's rules, {@link
 * KeyDeclarations}, in the worker's words), which refuse the run as a manifest that does not parse; the worker then
 * holds them against how the run was started ({@link #checkKeysAgainstRun}). Not modelled: serde's reading of a key written as an array of its members in order, which the stand-in refuses. Members as OutLayer's worker's
 * {@code connector_manifest.rs} stored at out-layer/outlayer d88a798, the one whose {@code callers} 516d136's
 * main.rs reads (both newer than 802bf37, which has {@code tasks} and no {@code callers}).
 */
public record ConnectorManifest(
        @JsonProperty("connector_id") String connectorId,
        Capabilities capabilities,
        @JsonSetter(contentNulls = Nulls.FAIL) List<String> network,
        @JsonSetter(contentNulls = Nulls.FAIL) List<Limit> limits,
        @JsonProperty("author_secrets") AuthorSecrets authorSecrets,

        @JsonProperty("signing_keys")
        @JsonSetter(contentNulls = Nulls.FAIL)
        @JsonDeserialize(using = SigningDeclarations.class)
        List<SigningKey> signingKeys,

        @JsonProperty("encryption_keys")
        @JsonSetter(contentNulls = Nulls.FAIL)
        @JsonDeserialize(using = EncryptionDeclarations.class)
        List<EncryptionKey> encryptionKeys,

        @JsonProperty("storage_account") @JsonDeserialize(using = SerdeFields.Defaulted.class)
        String storageAccount,

        @JsonProperty(value = "tasks", defaultValue = "false")
        boolean tasks,

        ManifestCallers callers,
        JsonNode operations,
        JsonNode display,
        JsonNode describe) {

    /** OutLayer's {@code MANIFEST_SECTION}. */
    public static final String SECTION = "outlayer.manifest";

    /** OutLayer's {@code MAX_MANIFEST_BYTES}: a manifest is a few hundred bytes. */
    static final int MAX_BYTES = 64 * 1024;

    /** The members, in OutLayer's order (its refusal of an unknown one lists them so). */
    static final List<String> MEMBERS = List.of(
            "connector_id",
            "capabilities",
            "network",
            "limits",
            "author_secrets",
            "signing_keys",
            "encryption_keys",
            "storage_account",
            "tasks",
            "callers",
            "operations",
            "display",
            "describe");

    public ConnectorManifest {
        if (storageAccount != null && !storageAccount.equals("signer") && !storageAccount.equals("predecessor")) {
            throw new IllegalArgumentException(
                    "unknown variant `" + storageAccount + "` of storage_account, expected `signer` or `predecessor`");
        }
        // OutLayer's ProjectManifest::read, once the members are read: the run that answers a task is an HTTPS
        // call of the agent's, and the owner opens tasks for a new device with a direct call
        if (tasks && callers != null && !callers.admitsHttps()) {
            throw new IllegalArgumentException("the manifest declares tasks, which the platform carries out in a call"
                    + " of the agent's over HTTPS, and its callers block does not admit calls over HTTPS");
        }
        if (tasks && callers != null && !callers.admitsDirect()) {
            throw new IllegalArgumentException("the manifest declares tasks, whose owner opens them for a new device"
                    + " with a direct call of their own, and its callers block does not admit direct calls");
        }
    }

    /** {@code capabilities}: the network allowlist (read, not enforced). */
    public record Capabilities(
            @JsonSetter(contentNulls = Nulls.FAIL) List<String> network) {}

    /** One declared rate limit (read, not enforced): OutLayer's {@code ManifestLimit}. */
    public record Limit(
            @JsonDeserialize(using = SerdeFields.Defaulted.class)
            String operation,

            @JsonDeserialize(using = SerdeFields.Defaulted.class)
            String window,

            @JsonProperty("max_count") long maxCount,

            @JsonDeserialize(using = SerdeFields.Defaulted.class)
            String applies) {
        public Limit {
            SerdeFields.required(operation, "operation");
            SerdeFields.required(window, "window");
            if (maxCount < 0 || maxCount > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("limits[].max_count must be a u32, got " + maxCount);
            }
            applies = applies == null ? "everyone" : applies;
        }
    }

    /**
     * One declared signing key (read, not acted on): OutLayer's worker {@code signing_keys.rs} {@code ManifestKey},
     * {@code deny_unknown_fields}. {@code path} and {@code type} are required, {@code bind} and {@code caller}
     * default when absent and refuse null (enums, no {@code Option}), {@code vault} is an {@code Option}.
     */
    public record SigningKey(
            String path, @JsonProperty("type") KeyType type, Binding bind, Caller caller, String vault)
            implements KeyDeclarations.Declaration {
        @JsonCreator
        static SigningKey declared(
                @JsonProperty("path") @JsonDeserialize(using = SerdeFields.Defaulted.class) String path,
                @JsonProperty("type") @JsonDeserialize(using = SerdeFields.Defaulted.class) KeyType type,
                @JsonProperty("bind") @JsonDeserialize(using = SerdeFields.Defaulted.class) Binding bind,
                @JsonProperty("caller") @JsonDeserialize(using = SerdeFields.Defaulted.class) Caller caller,
                @JsonProperty("vault") String vault,
                @JsonAnySetter Map<String, JsonNode> unknown) {
            // serde refuses an unknown member where it meets it: before any missing one is noticed
            SerdeFields.denyUnknown(unknown, SigningKey.class);
            return new SigningKey(
                    SerdeFields.required(path, "path"),
                    SerdeFields.required(type, "type"),
                    bind == null ? Binding.PROJECT : bind,
                    caller == null ? Caller.SIGNER : caller,
                    vault);
        }
    }

    /**
     * One declared encryption key (read, not acted on): OutLayer's worker {@code encryption_keys.rs} {@code
     * EncryptionManifestKey}, a signing key without {@code type} (which it refuses as an unknown field).
     */
    public record EncryptionKey(String path, Binding bind, Caller caller, String vault)
            implements KeyDeclarations.Declaration {
        @JsonCreator
        static EncryptionKey declared(
                @JsonProperty("path") @JsonDeserialize(using = SerdeFields.Defaulted.class) String path,
                @JsonProperty("bind") @JsonDeserialize(using = SerdeFields.Defaulted.class) Binding bind,
                @JsonProperty("caller") @JsonDeserialize(using = SerdeFields.Defaulted.class) Caller caller,
                @JsonProperty("vault") String vault,
                @JsonAnySetter Map<String, JsonNode> unknown) {
            SerdeFields.denyUnknown(unknown, EncryptionKey.class);
            return new EncryptionKey(
                    SerdeFields.required(path, "path"),
                    bind == null ? Binding.PROJECT : bind,
                    caller == null ? Caller.SIGNER : caller,
                    vault);
        }
    }

    /**
     * A family's list as OutLayer's worker reads it ({@code deserialize_with = deserialize_declared} in {@code
     * signing_keys/mod.rs} and {@code encryption_keys/mod.rs} at out-layer/outlayer 635d273): the entries as ever,
     * then the declaration rules ({@link KeyDeclarations#check}, {@code check_family_declarations}); a broken rule
     * is serde's custom error, so the manifest does not parse, refused where the member stands in the document.
     */
    private static class Declarations extends StdDeserializer<List<?>> implements ContextualDeserializer {
        private final Family family;
        private final JsonDeserializer<Object> entries;

        Declarations(Family family, JsonDeserializer<Object> entries) {
            super(List.class);
            this.family = family;
            this.entries = entries;
        }

        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext context, BeanProperty property)
                throws JsonMappingException {
            // the list's own reader, with the member's settings (a null entry refused)
            return new Declarations(family, context.findContextualValueDeserializer(property.getType(), property));
        }

        @Override
        public List<?> deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            @SuppressWarnings("unchecked")
            List<? extends KeyDeclarations.Declaration> keys =
                    (List<? extends KeyDeclarations.Declaration>) entries.deserialize(parser, context);
            try {
                KeyDeclarations.check(family, keys, WORKER_WORDS);
            } catch (IllegalArgumentException refused) {
                throw new SerdeFields.Custom(parser, refused.getMessage());
            }
            return keys;
        }
    }

    /** {@code signing_keys}, read by {@link Declarations}. */
    static final class SigningDeclarations extends Declarations {
        SigningDeclarations() {
            super(Family.SIGNING, null);
        }
    }

    /** {@code encryption_keys}, read by {@link Declarations}. */
    static final class EncryptionDeclarations extends Declarations {
        EncryptionDeclarations() {
            super(Family.ENCRYPTION, null);
        }
    }

    /**
     * How a run was started, as the job the worker was given says (OutLayer's worker {@code signing_keys/mod.rs}
     * {@code RunSource}, read by {@code RunSource::of_job}): its project (null for a direct run of a wasm URL),
     * whether its resolved code source is a GitHub build (directly or as the project's version), and its
     * predecessor (null when it carries none). Never anything the guest or the manifest says.
     */
    public record RunSource(String projectId, boolean builtFromGithub, String predecessorId) {}

    /**
     * The run rules of one family's declared keys (OutLayer's worker {@code check_family_against_run}, called by
     * {@code declared_signing_keys} and {@code declared_encryption_keys} at out-layer/outlayer 635d273): no key for
     * code built from GitHub (the one rule the keystore cannot apply: it sees only the build's hash), then key by key
     * its {@code bind} against the run and a predecessor for a {@code predecessor} key ({@link
     * KeyDeclarations#checkAgainstRun}). A family declared empty or not at all passes on any run. The declaration
     * rules {@code check_family_against_run} applies first were applied when the manifest was read. A broken rule
     * throws {@link IllegalArgumentException} with the worker's sentence.
     */
    public void checkKeysAgainstRun(Family family, RunSource run) {
        List<? extends KeyDeclarations.Declaration> keys = family == Family.SIGNING ? signingKeys : encryptionKeys;
        if (keys == null || keys.isEmpty()) {
            return;
        }
        String noun = family.noun();
        if (run.builtFromGithub()) {
            throw new IllegalArgumentException(
                    run.projectId() != null
                            ? "this project version is built from a GitHub repository, and code built from a"
                                    + " repository gets no " + noun + "s; publish the build as a WasmUrl version of the"
                                    + " project"
                            : "this run builds its code from a GitHub repository, and code built from a repository"
                                    + " gets no " + noun + "s; run a wasm URL directly for bind \"wasm\" keys, or"
                                    + " publish it as a project version for bind \"project\" keys");
        }
        for (KeyDeclarations.Declaration key : keys) {
            KeyDeclarations.checkAgainstRun(family, key, run.projectId(), run.predecessorId() != null, WORKER_WORDS);
        }
    }

    /**
     * The declaration rules as OutLayer's worker words them ({@code check_family_declarations}, {@code
     * validate_key_path} in {@code signing_keys/mod.rs} at 635d273): one sentence for any path that is not of the
     * shape, after the entry it is in; what the manifest wrote quoted as {@code {:?}} after {@code shown}'s cut to 64
     * characters.
     */
    private static final KeyDeclarations.Words WORKER_WORDS = new KeyDeclarations.Words() {
        private static final int SHOWN = 64;

        @Override
        public String tooMany(Family family, int count, int most) {
            return "the manifest declares " + count + " " + family.noun() + "s; at most " + most + " are allowed";
        }

        @Override
        public String badPath(Family family, int index, String path, KeyDeclarations.PathProblem problem) {
            return family.member() + "[" + index + "]: key path " + RustDebug.shown(path, SHOWN)
                    + " must match [a-z0-9][a-z0-9_-]{0,31}";
        }

        @Override
        public String twice(Family family, String path) {
            return "the manifest declares the " + family.noun() + " path " + RustDebug.string(path) + " twice";
        }

        @Override
        public String vaultOnBuild(Family family, String path) {
            return "the " + family.noun() + " " + RustDebug.string(path) + " is bound to the build (bind \"wasm\") and"
                    + " names a vault; a build has no owner to own a vault";
        }

        @Override
        public String vaultNotAccount(Family family, String path, String vault, String problem) {
            return "the " + family.noun() + " " + RustDebug.string(path) + " names vault "
                    + RustDebug.shown(vault, SHOWN) + ", which is not an account id (" + problem + ")";
        }

        @Override
        public String projectKeyOnDirectRun(Family family, String path) {
            return "the " + family.noun() + " " + RustDebug.string(path) + " is bound to the project (bind"
                    + " \"project\"), and this run is a direct run with no project; run it through its project, or"
                    + " declare the key with bind \"wasm\"";
        }

        @Override
        public String wasmKeyOnProjectRun(Family family, String path, String projectId) {
            // the worker names no project here, the keystore does
            return "the " + family.noun() + " " + RustDebug.string(path) + " is bound to the build (bind \"wasm\"),"
                    + " and this run goes through a project; a wasm key is issued only to a direct run of the wasm"
                    + " URL \u2014 run it directly, or declare the key with bind \"project\"";
        }

        @Override
        public String noPredecessor(Family family, String path) {
            return "the " + family.noun() + " " + RustDebug.string(path) + " belongs to the predecessor (caller"
                    + " \"predecessor\"), and this run carries no predecessor to bind it to; a predecessor key is"
                    + " issued only to a run some account called the contract for";
        }
    };

    /**
     * {@code author_secrets}: the author's own credential, named by the artefact. Both members optional at
     * the parse, as OutLayer's: a block without a profile is refused with a reason by {@link #authorSecretsRef}.
     */
    public record AuthorSecrets(String owner, String profile) {}

    /** Where the author's secrets are stored: OutLayer's {@code AuthorSecretsRef}. */
    public record AuthorSecretsRef(String owner, String profile) {}

    /** A manifest that names what cannot be resolved: the run is refused with this reason. */
    public static final class Refused extends RuntimeException {
        public Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * The author secrets this manifest asks for, resolved against the project the run is of (OutLayer's
     * {@code author_secrets_ref}): empty when it names none; the owner defaults to the owner half of the
     * project id. A blank profile, or no owner and no owner half to default to, is {@link Refused}, never
     * a guess.
     */
    public Optional<AuthorSecretsRef> authorSecretsRef(String projectId) {
        if (authorSecrets == null) {
            return Optional.empty();
        }
        String profile =
                authorSecrets.profile() == null ? "" : authorSecrets.profile().strip();
        if (profile.isEmpty()) {
            throw new Refused("the manifest's author_secrets.profile must be a non-empty string");
        }
        String owner =
                authorSecrets.owner() == null ? "" : authorSecrets.owner().strip();
        if (owner.isEmpty()) {
            int slash = projectId == null ? -1 : projectId.indexOf('/');
            if (slash <= 0) {
                throw new Refused("the manifest's author_secrets names no owner and the project id '" + projectId
                        + "' has none to default to");
            }
            owner = projectId.substring(0, slash);
        }
        return Optional.of(new AuthorSecretsRef(owner, profile));
    }

    /**
     * What a module's manifest section says, read once when the module is loaded: no section ({@link
     * #NONE}), a manifest, or the reason a section that is there cannot be read (which refuses every run of
     * the module: a declaration nobody can read must not become "no declaration").
     */
    public record Reading(ConnectorManifest manifest, String problem) {
        public static final Reading NONE = new Reading(null, null);

        public boolean unreadable() {
            return problem != null;
        }
    }

    /** The manifest of a parsed module: its first {@code outlayer.manifest} custom section, if any. */
    public static Reading of(WasmModule module) {
        for (CustomSection section : module.customSections()) {
            if (SECTION.equals(section.name()) && section instanceof UnknownCustomSection custom) {
                return read(custom.bytes());
            }
        }
        return Reading.NONE;
    }

    /** A manifest section's bytes read as OutLayer's {@code manifest_from_wasm} reads them; never throws. */
    static Reading read(byte[] section) {
        if (section.length > MAX_BYTES) {
            return new Reading(
                    null,
                    "the " + SECTION + " section is " + section.length + " bytes, over the " + MAX_BYTES
                            + "-byte limit");
        }
        String prefix = "the " + SECTION + " section does not parse as a manifest: ";
        if (!JsonCodec.isUtf8(section)) {
            return new Reading(null, prefix + "it is not valid UTF-8");
        }
        String syntax = SerdeJsonErrors.syntaxError(section);
        if (syntax != null) {
            return new Reading(null, prefix + syntax);
        }
        try {
            JsonNode tree = JsonCodec.MAPPER.readTree(section);
            if (!tree.isObject()) {
                return new Reading(
                        null,
                        prefix + "invalid type: " + tree.getNodeType().name().toLowerCase()
                                + ", expected a JSON object");
            }
            for (Iterator<String> names = tree.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!MEMBERS.contains(name)) {
                    return new Reading(
                            null,
                            prefix + "unknown field `" + name + "`, expected one of "
                                    + MEMBERS.stream().map(m -> "`" + m + "`").collect(Collectors.joining(", ")));
                }
            }
            return new Reading(JsonCodec.read(section, ConnectorManifest.class), null);
        } catch (ApiException e) {
            return new Reading(null, prefix + e.getMessage().replace("the body ", "the manifest "));
        } catch (IOException e) {
            // serde_json read it as one value, Jackson did not: a duplicate member, in serde's words
            return new Reading(
                    null, prefix + SerdeJsonErrors.refusal(section, -1).message());
        }
    }
}
