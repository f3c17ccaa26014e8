package dev.outlayer.bench.targetsystem.keystore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.json.RustDebug;
import dev.outlayer.bench.targetsystem.json.SerdeFields;
import dev.outlayer.bench.targetsystem.rpc.AccountIds;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The keys a WebAssembly artefact declares in its manifest, derived by the keystore for the one job that
 * asks (OutLayer's newest keystore-worker {@code signing_keys.rs}, {@code encryption_keys.rs}, {@code api.rs}
 * {@code authorize_keys} / {@code derive_keys}). Each key is HMAC-SHA256 of the master over a string this
 * class builds from validated fields only, under one of two bindings:
 *
 * <pre>
 * signing-key:v1:{type}:project:{project_uuid}:{caller}:{account_id}:{path}
 * signing-key:v1:{type}:wasm:{wasm_sha256}:{caller}:{account_id}:{path}
 * encryption-key:v1:project:{project_uuid}:{caller}:{account_id}:{path}
 * encryption-key:v1:wasm:{wasm_sha256}:{caller}:{account_id}:{path}
 * </pre>
 *
 * A request naming a {@code project_id} is a project run and holds {@code project} keys only, bound to the
 * project's uuid on the contract, and only when the build it runs is a WasmUrl version of that project; one
 * naming none is a direct run and holds {@code wasm} keys only, bound to the build the worker measured.
 * {@code caller} picks the job's signer ({@code user_account_id}) or its {@code predecessor_id}. No field can
 * hold a {@code :}, so every string parses back into one tuple. One key that fails refuses the whole request.
 */
public final class DeclaredKeys {
    /**
     * How many keys of one family a request, or a manifest, may name: {@code MAX_SIGNING_KEYS} and {@code
     * MAX_ENCRYPTION_KEYS}, both 3 in OutLayer's keystore and worker alike (out-layer/outlayer 635d273).
     */
    public static final int MAX_KEYS = 3;
    /** The {@code code} beside the sentence of every refusal of declared keys, whatever their family. */
    public static final String REFUSED_CODE = "signing_keys_refused";

    static final int MAX_KEY_PATH_LEN = 32;
    private static final int MAX_PROJECT_NAME_LEN = 64;
    /** Most characters of another party's text a refusal repeats. */
    private static final int MOST_QUOTED_ERROR = 200;
    /** What the worker writes for a run without a sender: refused by name, though a valid account id. */
    static final List<String> PLACEHOLDER_CALLERS = List.of("anonymous");
    /**
     * The roots of the families derived only for what a job's manifest declares (the two families and the task
     * key, {@link TaskKeys}); a seed a caller spells may not start with any.
     */
    private static final List<String> ROOTS = List.of("signing-key:", "encryption-key:", "task-key:");

    /** The two families: two namespaces, two roots; the same path in both is two unrelated keys. */
    public enum Family {
        SIGNING("signing-key:v1:", "signing key", "a signing key", "Signing keys", "signing_keys"),
        ENCRYPTION("encryption-key:v1:", "encryption key", "an encryption key", "Encryption keys", "encryption_keys");

        final String root;
        final String noun;
        final String withArticle;
        final String title;
        final String member;

        Family(String root, String noun, String withArticle, String title, String member) {
            this.root = root;
            this.noun = noun;
            this.withArticle = withArticle;
            this.title = title;
            this.member = member;
        }

        /** One key of the family, as a refusal names it: {@code signing key}. */
        public String noun() {
            return noun;
        }

        /** The list the family is declared in, in a manifest and in a request: {@code signing_keys}. */
        public String member() {
            return member;
        }
    }

    /** A signing key's algorithm: a segment of its string, so one secret never serves two algorithms. */
    @JsonDeserialize(using = SerdeFields.LowercaseVariant.class)
    public enum KeyType {
        ED25519,
        SECP256K1;

        /** As a manifest or a request spells it, and as it stands in the key's string. */
        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        public String toString() {
            return label();
        }
    }

    /** What a key belongs to besides the caller: every version of the project, or the exact build. */
    @JsonDeserialize(using = SerdeFields.LowercaseVariant.class)
    public enum Binding {
        PROJECT,
        WASM;

        /** As a manifest or a request spells it, and as it stands in the key's string. */
        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        public String toString() {
            return label();
        }
    }

    /** Which account of the job the key belongs to. */
    @JsonDeserialize(using = SerdeFields.LowercaseVariant.class)
    public enum Caller {
        SIGNER,
        PREDECESSOR;

        /** As a manifest or a request spells it, and as it stands in the key's string. */
        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        public String toString() {
            return label();
        }
    }

    /** One key as the worker asks for it, copied from the manifest; {@code type} is null for an encryption key. */
    public record Declared(String path, KeyType type, Binding bind, Caller caller, String vault)
            implements KeyDeclarations.Declaration {}

    /** The job's facts, from the worker on the trust of its attestation: project, signer, predecessor, build. */
    public record Run(String projectId, String userAccountId, String predecessorId, String executedWasmSha256) {}

    /** A refusal of the declared keys: answered with its status, its sentence and {@link #REFUSED_CODE}. */
    public static final class Refused extends ApiException {
        Refused(Kind kind, String message) {
            super(kind, message);
        }
    }

    /** One key, validated, with the account it is bound to. */
    record Key(Declared declared, String account) {}

    /** One family's keys, validated against the run. */
    record Validated(Family family, String projectId, String projectOwner, String wasm, List<Key> keys) {}

    /** The keys of a request that passed every check, by family, with the project's uuid for a project run. */
    public record Authorized(List<Validated> families, String projectUuid) {}

    private final ScopeKeys master;
    private final ChainView chain;
    private final String contract;

    DeclaredKeys(ScopeKeys master, ChainView chain, String contract) {
        this.master = master;
        this.chain = chain;
        this.contract = contract;
    }

    /**
     * Every check before anything is derived, both families together (OutLayer's {@code authorize_keys}): each
     * family's fields against the run (400), then for a project run the contract's {@code get_version} (the
     * build must be a WasmUrl version of the project) and {@code get_project} (it exists, is owned by the id's
     * owner, has a uuid) (403), then each vault (403 when it is not named under the owner). A direct run needs no
     * chain: its {@code wasm} keys are bound to the build the worker reports.
     */
    public Authorized authorize(Run run, List<Declared> signing, List<Declared> encryption) {
        String what = named(signing, encryption);
        List<Validated> families = new ArrayList<>();
        if (!signing.isEmpty()) {
            families.add(validate(Family.SIGNING, run, signing));
        }
        if (!encryption.isEmpty()) {
            families.add(validate(Family.ENCRYPTION, run, encryption));
        }
        if (families.isEmpty()) {
            throw new Refused(
                    ApiException.Kind.INVALID,
                    what + " refused: the request names neither signing_keys nor encryption_keys");
        }
        Validated first = families.get(0);
        if (first.projectId() == null) {
            return new Authorized(families, null);
        }
        String owner = first.projectOwner();
        String uuid = publishedProject(what, first.projectId(), owner, first.wasm());
        for (Validated family : families) {
            for (Key key : family.keys()) {
                String vault = key.declared().vault();
                if (vault != null && !isDirectSubAccount(vault, owner)) {
                    throw new Refused(
                            ApiException.Kind.FORBIDDEN,
                            what + " refused: vault " + vault + " does not belong to " + owner
                                    + ", the project's owner: it is not a direct sub-account of " + owner);
                }
            }
        }
        for (Validated family : families) {
            for (Key key : family.keys()) {
                if (key.declared().vault() != null) {
                    // OutLayer reads the vault's get_state and loads its master through MPC CKD; a keystore
                    // without MPC (OutLayer's outside a TEE, this one) has only the default master, never
                    // used in a vault's place.
                    throw new ApiException(
                            ApiException.Kind.UNPROCESSABLE,
                            what + ": vault " + key.declared().vault() + " is not available: this keystore has one"
                                    + " master secret (per-vault masters need OutLayer's MPC network)");
                }
            }
        }
        return new Authorized(families, uuid);
    }

    /**
     * The project a run goes through, as the contract knows it (OutLayer's {@code published_project}): the
     * running build must be a WasmUrl version of it ({@code get_version}) and the project must exist, be owned by
     * {@code owner} and carry a uuid ({@code get_project}), 403 otherwise; its uuid. Step 2 of {@link
     * #authorize}, and the whole of the chain's part for a request that asks for a task key alone. {@code what}
     * names the keys of the request in refusals.
     */
    String publishedProject(String what, String projectId, String owner, String wasm) {
        JsonNode version =
                view(what, "the project version", "get_version", Map.of("project_id", projectId, "version_key", wasm));
        if (!versionMatches(version, wasm)) {
            throw new Refused(
                    ApiException.Kind.FORBIDDEN,
                    what + " refused: the running build (sha256 " + wasm + ") is not a WasmUrl version of project "
                            + projectId + " on the contract. A project run gets keys only when its code is published"
                            + " under the project as a WasmUrl version whose hash is this build's; a version built"
                            + " from a GitHub repository gets none.");
        }
        JsonNode project = view(what, "the project", "get_project", Map.of("project_id", projectId));
        return projectUuid(what, project, projectId, owner);
    }

    /** The task key of {@code owner} under the project {@code projectUuid}: 32 bytes, hex ({@link TaskKeys}). */
    String taskKey(String projectUuid, String owner) {
        return HexFormat.of().formatHex(master.declaredKey(TaskKeys.input(projectUuid, owner)));
    }

    /**
     * The keys of one family that passed {@link #authorize}, by path: 32 bytes each, hex. Null when the request
     * named none of that family, so the answer carries the member exactly when it was asked for.
     */
    public Map<String, String> derive(Authorized authorized, Family family) {
        for (Validated validated : authorized.families()) {
            if (validated.family() != family) {
                continue;
            }
            Map<String, String> out = new TreeMap<>();
            for (Key key : validated.keys()) {
                String input = input(validated, key, authorized.projectUuid());
                out.put(key.declared().path(), HexFormat.of().formatHex(master.declaredKey(input)));
            }
            return out;
        }
        return null;
    }

    /**
     * The derivation string of one key: {@code {root}{type:}?{bind}:{bound_to}:{caller}:{account}:{path}}, every
     * part checked once more to be non-empty and free of {@code :} where the string is made.
     */
    static String input(Family family, Declared key, String account, String boundTo) {
        List<String> parts = new ArrayList<>();
        if (family == Family.SIGNING) {
            parts.add(key.type().label());
        }
        parts.add(key.bind().label());
        parts.add(boundTo);
        parts.add(key.caller().label());
        parts.add(account);
        parts.add(key.path());
        for (String part : parts) {
            if (part == null || part.isEmpty() || part.indexOf(':') >= 0) {
                throw new IllegalStateException("a declared-key field is empty or holds ':'");
            }
        }
        return family.root + String.join(":", parts);
    }

    private static String input(Validated validated, Key key, String projectUuid) {
        String boundTo = key.declared().bind() == Binding.PROJECT ? projectUuid : validated.wasm();
        return input(validated.family(), key.declared(), key.account(), boundTo);
    }

    /**
     * A seed a caller spells ({@code /pubkey}, {@code /encrypt}, {@code /decrypt-raw}, {@code
     * /add_generated_secret}) may not start at a declared key's root: it would spell a declared key's string.
     */
    public static void refuseReservedSeed(String seed) {
        for (String root : ROOTS) {
            if (seed != null && seed.startsWith(root)) {
                throw ApiException.invalid("a seed cannot start with `" + root
                        + "`: that root is reserved for the keys a job's manifest declares");
            }
        }
    }

    /** A repository whose {@code {repo}:} would start at a declared key's root is no repository URL. */
    static void refuseReservedRepo(String normalizedRepo) {
        String seedStart = normalizedRepo + ":";
        for (String root : ROOTS) {
            if (seedStart.startsWith(root)) {
                throw ApiException.invalid(
                        "`" + RustDebug.cut(normalizedRepo, 64) + "` is not a repository URL: a repo cannot"
                                + " start with `" + root + "`, a root reserved for the keys a job's manifest declares");
            }
        }
    }

    /** How a refusal names the keys of a request. */
    private static String named(List<Declared> signing, List<Declared> encryption) {
        if (!signing.isEmpty() && !encryption.isEmpty()) {
            return "Signing and encryption keys";
        }
        if (!signing.isEmpty()) {
            return Family.SIGNING.title;
        }
        return encryption.isEmpty() ? "Keys" : Family.ENCRYPTION.title;
    }

    /** One family's fields against the run (OutLayer's {@code validate_request}); a 400 naming the family. */
    private static Validated validate(Family family, Run run, List<Declared> keys) {
        try {
            return validated(family, run, keys);
        } catch (IllegalArgumentException refused) {
            throw new Refused(ApiException.Kind.INVALID, family.title + " refused: " + refused.getMessage());
        }
    }

    private static Validated validated(Family family, Run run, List<Declared> keys) {
        KeyDeclarations.checkCount(family, keys, WORDS);
        String owner = run.projectId() == null ? null : projectOwner(run.projectId());
        String signer = realAccount(family, "caller", run.userAccountId());
        String predecessor =
                run.predecessorId() == null ? null : realAccount(family, "predecessor", run.predecessorId());
        String wasm = run.executedWasmSha256();
        if (wasm == null) {
            throw new IllegalArgumentException(
                    family.noun + "s need the running build's executed_wasm_sha256, and the" + " request names none");
        }
        checkWasm(wasm);
        List<Key> out = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            Declared key = keys.get(i);
            KeyDeclarations.checkPath(family, keys, i, WORDS);
            KeyDeclarations.checkAgainstRun(family, key, run.projectId(), predecessor != null, WORDS);
            KeyDeclarations.checkVault(family, key, WORDS);
            out.add(new Key(key, key.caller() == Caller.PREDECESSOR ? predecessor : signer));
        }
        return new Validated(family, run.projectId(), owner, wasm, List.copyOf(out));
    }

    /** The build a key is bound to: 64 lowercase hex characters. */
    static void checkWasm(String wasm) {
        if (!wasm.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException(
                    "executed_wasm_sha256 " + quoted(wasm) + " is not 64 lowercase hex characters");
        }
    }

    /**
     * The declaration rules ({@link KeyDeclarations}) as the keystore words them ({@code validate_request}, {@code
     * KeyPath::parse} in keystore-worker signing_keys.rs at out-layer/outlayer 635d273); {@link #validate} puts the
     * family's title in front.
     */
    private static final KeyDeclarations.Words WORDS = new KeyDeclarations.Words() {
        @Override
        public String tooMany(Family family, int count, int most) {
            return count + " " + family.noun + "s were requested; at most " + most + " are allowed";
        }

        @Override
        public String badPath(Family family, int index, String path, KeyDeclarations.PathProblem problem) {
            return switch (problem) {
                case EMPTY -> "a key path must not be empty";
                case TOO_LONG ->
                    "key path " + quoted(path) + " is " + path.getBytes(StandardCharsets.UTF_8).length
                            + " bytes; at most " + MAX_KEY_PATH_LEN + " are allowed";
                case SHAPE -> "key path " + quoted(path) + " must match [a-z0-9][a-z0-9_-]{0,31}";
            };
        }

        @Override
        public String twice(Family family, String path) {
            return "key path " + quoted(path) + " is requested twice";
        }

        @Override
        public String vaultOnBuild(Family family, String path) {
            return "key " + quoted(path) + ": a key bound to the build (bind \"wasm\") cannot name a vault — it has"
                    + " no project owner to own one";
        }

        @Override
        public String vaultNotAccount(Family family, String path, String vault, String problem) {
            return "key " + quoted(path) + ": vault " + quoted(vault) + " is not a valid NEAR account id (" + problem
                    + ")";
        }

        @Override
        public String projectKeyOnDirectRun(Family family, String path) {
            return "key " + quoted(path) + " is bound to the project (bind \"project\"), and this is a direct wasm run"
                    + " with no project; a project key is issued only to a run through its project";
        }

        @Override
        public String wasmKeyOnProjectRun(Family family, String path, String projectId) {
            return "key " + quoted(path) + " is bound to the build (bind \"wasm\"), and this run goes through project "
                    + projectId + "; a wasm key is issued only to a direct run of the wasm URL, and a project run holds"
                    + " only bind \"project\" keys";
        }

        @Override
        public String noPredecessor(Family family, String path) {
            return "key " + quoted(path) + " belongs to the predecessor (caller \"predecessor\"), and this run carries"
                    + " no predecessor_id to bind it to";
        }
    };

    /** {@code {owner}/{name}}: its owner a NEAR account id, its name 1 to 64 of {@code [A-Za-z0-9_-]}. */
    static String projectOwner(String projectId) {
        int slash = projectId.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException(
                    "project_id " + quoted(projectId) + " is not of the form <owner>/<name>");
        }
        String owner = projectId.substring(0, slash);
        String name = projectId.substring(slash + 1);
        String problem = AccountIds.problem(owner);
        if (problem != null) {
            throw new IllegalArgumentException(
                    "project_id " + quoted(projectId) + ": the owner is not a valid NEAR account id (" + problem + ")");
        }
        if (name.isEmpty() || name.length() > MAX_PROJECT_NAME_LEN || !name.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("project_id " + quoted(projectId) + ": the name must be 1 to "
                    + MAX_PROJECT_NAME_LEN + " of [A-Za-z0-9_-]");
        }
        return owner;
    }

    /** An account a key may belong to: no placeholder for a missing account, and a valid NEAR account id. */
    private static String realAccount(Family family, String role, String raw) {
        if (PLACEHOLDER_CALLERS.contains(raw)) {
            throw new IllegalArgumentException("the " + role + " " + quoted(raw) + " is the worker's placeholder for a"
                    + " run without one, not an account; " + family.withArticle + " needs a real caller to be bound"
                    + " to, so a run without one gets no key");
        }
        String problem = AccountIds.problem(raw);
        if (problem != null) {
            throw new IllegalArgumentException("the " + role + " " + quoted(raw) + " is not a valid NEAR account id ("
                    + problem + "); " + family.withArticle + " is bound to one");
        }
        return raw;
    }

    /** Is {@code vault} a direct sub-account of {@code owner} (near-account-id's {@code is_sub_account_of})? */
    static boolean isDirectSubAccount(String vault, String owner) {
        if (!vault.endsWith(owner) || vault.length() == owner.length()) {
            return false;
        }
        String prefix = vault.substring(0, vault.length() - owner.length());
        return prefix.indexOf('.') == prefix.length() - 1;
    }

    /** A view of the OutLayer contract; a chain that cannot answer is 502 (OutLayer's keystore answers 500). */
    private JsonNode view(String what, String subject, String method, Map<String, String> args) {
        String said;
        if (!chain.available()) {
            said = "this keystore has no NEAR client configured";
        } else {
            try {
                byte[] result = chain.viewCall(contract, method, JsonCodec.bytes(args));
                return JsonCodec.MAPPER.readTree(result);
            } catch (ChainView.ViewFailedException e) {
                said = e.getMessage();
            } catch (java.io.IOException | RuntimeException e) {
                said = "its answer is not JSON";
            }
        }
        throw new ApiException(
                ApiException.Kind.BAD_GATEWAY,
                what + ": " + subject + " could not be read: " + RustDebug.cut(said, MOST_QUOTED_ERROR));
    }

    /** A WasmUrl version whose hash is the build's: both the key it was found by and its source must say so. */
    private static boolean versionMatches(JsonNode version, String wasm) {
        return version != null
                && wasm.equals(version.path("wasm_hash").asText(null))
                && wasm.equals(
                        version.path("source").path("WasmUrl").path("hash").asText(null));
    }

    /** The project exists, is owned by the account its id names, and carries a uuid {@code p} + 16 hex. */
    private static String projectUuid(String what, JsonNode project, String projectId, String owner) {
        String refusal = null;
        if (project == null || project.isNull()) {
            refusal = "project " + projectId + " does not exist on the contract";
        } else if (!project.path("owner").isTextual()) {
            refusal = "project " + projectId + ": the contract names no owner";
        } else if (!project.path("owner").asText().equals(owner)) {
            refusal = "project " + projectId + ": the contract names "
                    + project.path("owner").asText() + " as its owner, not " + owner;
        } else if (!project.path("uuid").isTextual()) {
            refusal = "project " + projectId + ": the contract names no uuid";
        } else if (!project.path("uuid").asText().matches("p[0-9a-f]{16}")) {
            refusal = "project " + projectId + ": project uuid "
                    + quoted(project.path("uuid").asText()) + " is not 'p' followed by 16 lowercase hex digits";
        }
        if (refusal != null) {
            throw new Refused(ApiException.Kind.FORBIDDEN, what + " refused: " + refusal);
        }
        return project.path("uuid").asText();
    }

    /** A caller-written value as Rust's {@code {:?}} quotes it, cut to 80 characters. */
    static String quoted(String raw) {
        return RustDebug.shown(raw, 80);
    }
}
