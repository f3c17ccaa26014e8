package dev.outlayer.bench.targetsystem.keystore;

import dev.outlayer.bench.targetsystem.keystore.DeclaredKeys.Binding;
import dev.outlayer.bench.targetsystem.keystore.DeclaredKeys.Caller;
import dev.outlayer.bench.targetsystem.keystore.DeclaredKeys.Family;
import dev.outlayer.bench.targetsystem.rpc.AccountIds;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What a declaration of keys must say on its own, whatever run it is in: at most {@link DeclaredKeys#MAX_KEYS} of a
 * family, every path of the one shape {@code [a-z0-9][a-z0-9_-]{0,31}} and declared once within its family, a vault
 * only on a {@code project} key and only an account id. OutLayer writes these rules twice, and so do its two readers
 * of a declaration: the worker when it reads a manifest (worker {@code signing_keys/mod.rs} {@code
 * check_family_declarations}, which {@code deserialize_declared} of both families applies) and the keystore when a
 * {@code /decrypt} names keys ({@code keystore-worker/src/signing_keys.rs} {@code validate_request}, {@code
 * KeyPath::parse}), both at out-layer/outlayer 635d273, both with three keys a family ({@code MAX_SIGNING_KEYS}, {@code
 * MAX_ENCRYPTION_KEYS}). The stand-in writes them once, here: the keystore ({@link DeclaredKeys}) and the worker
 * ({@code ConnectorManifest}) each call the rules in its own order and word a refusal through its own {@link Words}.
 * So are the run rules both apply to each key ({@link #checkAgainstRun}: its {@code bind} matching how the run was
 * started, a predecessor for a {@code predecessor} key; worker {@code check_family_against_run}, keystore {@code
 * validate_request}); the worker's one rule the keystore cannot apply, no key for code built from GitHub, is the
 * worker's alone.
 */
public final class KeyDeclarations {
    private KeyDeclarations() {}

    /** What the rules read off one declared key, in either family (OutLayer's {@code Declared} trait). */
    public interface Declaration {
        String path();

        Binding bind();

        Caller caller();

        String vault();
    }

    /** Why a path is not of the one shape: the keystore names each, the worker says the shape. */
    public enum PathProblem {
        EMPTY,
        TOO_LONG,
        SHAPE
    }

    /** How one reader of a declaration words each refusal. */
    public interface Words {
        String tooMany(Family family, int count, int most);

        /** {@code index}: the key's place in its family's list. */
        String badPath(Family family, int index, String path, PathProblem problem);

        String twice(Family family, String path);

        String vaultOnBuild(Family family, String path);

        /** {@code problem}: why near-account-id refuses it, in its words ({@link AccountIds#problem}). */
        String vaultNotAccount(Family family, String path, String vault, String problem);

        /** A {@code project} key on a direct run, which has no project. */
        String projectKeyOnDirectRun(Family family, String path);

        /** A {@code wasm} key on a run through {@code projectId}. */
        String wasmKeyOnProjectRun(Family family, String path, String projectId);

        /** A {@code predecessor} key on a run that carries no predecessor. */
        String noPredecessor(Family family, String path);
    }

    /**
     * Every rule, in the worker's order ({@code check_family_declarations}): the count, then key by key its path,
     * whether an earlier key has it, its vault. The first broken rule throws {@link IllegalArgumentException}.
     */
    public static void check(Family family, List<? extends Declaration> keys, Words words) {
        checkCount(family, keys, words);
        for (int i = 0; i < keys.size(); i++) {
            checkPath(family, keys, i, words);
            checkVault(family, keys.get(i), words);
        }
    }

    /** At most {@link DeclaredKeys#MAX_KEYS} keys of one family: each family counts apart. */
    static void checkCount(Family family, List<? extends Declaration> keys, Words words) {
        if (keys.size() > DeclaredKeys.MAX_KEYS) {
            throw new IllegalArgumentException(words.tooMany(family, keys.size(), DeclaredKeys.MAX_KEYS));
        }
    }

    /** The path of key {@code index}: of the one shape, and named by no earlier key of its family. */
    static void checkPath(Family family, List<? extends Declaration> keys, int index, Words words) {
        String path = keys.get(index).path();
        PathProblem problem = pathProblem(path);
        if (problem != null) {
            throw new IllegalArgumentException(words.badPath(family, index, path, problem));
        }
        for (Declaration earlier : keys.subList(0, index)) {
            if (earlier.path().equals(path)) {
                throw new IllegalArgumentException(words.twice(family, path));
            }
        }
    }

    /** A vault only on a {@code project} key (a build has no owner to own one), and only a NEAR account id. */
    static void checkVault(Family family, Declaration key, Words words) {
        if (key.vault() == null) {
            return;
        }
        if (key.bind() == Binding.WASM) {
            throw new IllegalArgumentException(words.vaultOnBuild(family, key.path()));
        }
        String problem = AccountIds.problem(key.vault());
        if (problem != null) {
            throw new IllegalArgumentException(words.vaultNotAccount(family, key.path(), key.vault(), problem));
        }
    }

    /**
     * One key against how the run was started: a {@code project} key only on a run through a project ({@code
     * projectId} not null), a {@code wasm} key only on a direct run, then a {@code predecessor} key only on a run
     * that carries a predecessor. The order of both OutLayer's readers, the worker's and the keystore's.
     */
    public static void checkAgainstRun(
            Family family, Declaration key, String projectId, boolean hasPredecessor, Words words) {
        if (key.bind() == Binding.PROJECT && projectId == null) {
            throw new IllegalArgumentException(words.projectKeyOnDirectRun(family, key.path()));
        }
        if (key.bind() == Binding.WASM && projectId != null) {
            throw new IllegalArgumentException(words.wasmKeyOnProjectRun(family, key.path(), projectId));
        }
        if (key.caller() == Caller.PREDECESSOR && !hasPredecessor) {
            throw new IllegalArgumentException(words.noPredecessor(family, key.path()));
        }
    }

    /** {@code [a-z0-9][a-z0-9_-]{0,31}}, counted in bytes as Rust counts a {@code str}; null when it fits. */
    private static PathProblem pathProblem(String path) {
        if (path.isEmpty()) {
            return PathProblem.EMPTY;
        }
        if (path.getBytes(StandardCharsets.UTF_8).length > DeclaredKeys.MAX_KEY_PATH_LEN) {
            return PathProblem.TOO_LONG;
        }
        return path.matches("[a-z0-9][a-z0-9_-]*") ? null : PathProblem.SHAPE;
    }
}
