package dev.outlayer.bench.targetsystem.keystore;

import dev.outlayer.bench.targetsystem.keystore.AccessCondition.AccountPattern;
import dev.outlayer.bench.targetsystem.keystore.AccessCondition.AllowAll;
import dev.outlayer.bench.targetsystem.keystore.AccessCondition.Logic;
import dev.outlayer.bench.targetsystem.keystore.AccessCondition.Not;
import dev.outlayer.bench.targetsystem.keystore.AccessCondition.Operator;
import dev.outlayer.bench.targetsystem.keystore.AccessCondition.RunFacts;
import dev.outlayer.bench.targetsystem.keystore.AccessCondition.ValidUntil;
import dev.outlayer.bench.targetsystem.keystore.AccessCondition.WasmHash;
import dev.outlayer.bench.targetsystem.keystore.AccessCondition.Whitelist;
import dev.outlayer.bench.targetsystem.rpc.AccountIds;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The task key: the key a project's tasks for one owner are sealed under (OutLayer's newest keystore-worker
 * {@code task_keys.rs}, api.rs {@code decrypt_with_keys}, crypto.rs {@code derive_task_key}). A run of a project
 * whose manifest declares {@code "tasks": true} and that names a secret row asks for it with {@code "task_key":
 * true} in its keyed {@code /decrypt}; it is
 *
 * <pre>
 * HMAC-SHA256(master, "task-key:v1:{project_uuid}:{owner}")
 * </pre>
 *
 * <p>{@code project_uuid} being the uuid the contract holds for the run's project (established by the reads the
 * declared keys make) and {@code owner} the account whose row the run named. It is issued only beside a row of
 * the run's own project that opened, with whether the row's condition admitted the caller by name.
 */
public final class TaskKeys {
    /** The root of every task key's derivation string. */
    static final String LABEL = "task-key:v1:";

    private TaskKeys() {}

    /** What a request that asks for a task key says of its run, validated before any chain read. */
    public record Run(String projectId, String wasm, String owner) {}

    /**
     * OutLayer's {@code validate_request}: refused (the sentence, without the {@code Task key refused: } prefix)
     * for a direct run, a malformed project id, a missing or malformed build hash, no row of a project or a row of
     * another project, an owner that is a placeholder or no NEAR account id. {@code rowProject} is the project the
     * named row's {@code Project} accessor spells, null for no row or a row of another kind.
     *
     * @throws IllegalArgumentException with the refusal
     */
    static Run validate(String projectId, String executedWasmSha256, String rowProject, String rowOwner) {
        if (projectId == null) {
            throw new IllegalArgumentException(
                    "a task key is issued only to a run through a project, and this is a direct run with none");
        }
        DeclaredKeys.projectOwner(projectId);
        if (executedWasmSha256 == null) {
            throw new IllegalArgumentException(
                    "a task key needs the running build's executed_wasm_sha256, and the request names none");
        }
        DeclaredKeys.checkWasm(executedWasmSha256);
        if (rowProject == null || rowOwner == null) {
            throw new IllegalArgumentException("a task key belongs to the owner of the secret row a run names, and the"
                    + " request names no row of a project");
        }
        if (!rowProject.equals(projectId)) {
            throw new IllegalArgumentException("the secret row is project " + DeclaredKeys.quoted(rowProject)
                    + "'s and the run is project " + projectId + "'s; a task key is issued for the run's own"
                    + " project's row");
        }
        if (DeclaredKeys.PLACEHOLDER_CALLERS.contains(rowOwner)) {
            throw new IllegalArgumentException("the owner " + DeclaredKeys.quoted(rowOwner)
                    + " is the worker's placeholder for a missing account, not an account");
        }
        String problem = AccountIds.problem(rowOwner);
        if (problem != null) {
            throw new IllegalArgumentException(
                    "the owner " + DeclaredKeys.quoted(rowOwner) + " is not a valid NEAR account id (" + problem + ")");
        }
        return new Run(projectId, executedWasmSha256, rowOwner);
    }

    /**
     * OutLayer's {@code real_callers}, for a request that asks for the task key and names no declared key: why
     * the caller or the predecessor is no account a task is made or answered by, or empty when both are.
     */
    static Optional<String> notRealCallers(String userAccountId, String predecessorId) {
        List<String[]> roles = new ArrayList<>();
        roles.add(new String[] {"caller", userAccountId});
        if (predecessorId != null) {
            roles.add(new String[] {"predecessor", predecessorId});
        }
        for (String[] role : roles) {
            if (DeclaredKeys.PLACEHOLDER_CALLERS.contains(role[1])) {
                return Optional.of("the " + role[0] + " " + DeclaredKeys.quoted(role[1]) + " is the worker's"
                        + " placeholder for a run without one, not an account; a task is made and answered by an"
                        + " account, so a run without one gets no task key");
            }
            String problem = AccountIds.problem(role[1]);
            if (problem != null) {
                return Optional.of("the " + role[0] + " " + DeclaredKeys.quoted(role[1])
                        + " is not a valid NEAR account id (" + problem + "); a task is made and answered by one");
            }
        }
        return Optional.empty();
    }

    /** The derivation string, {@code task-key:v1:{project_uuid}:{owner}}: neither part can hold a {@code :}. */
    static String input(String projectUuid, String owner) {
        for (String part : new String[] {projectUuid, owner}) {
            if (part == null || part.isEmpty() || part.indexOf(':') >= 0) {
                throw new IllegalStateException("a task-key field is empty or holds ':'");
            }
        }
        return LABEL + projectUuid + ":" + owner;
    }

    /**
     * Whether {@code condition}, which admitted {@code caller}, admitted them by name (OutLayer's {@code
     * admits_by_name}): a {@code Whitelist} that lists the account on the path that let them in. Under an {@code
     * And} known to hold, one branch naming the caller is enough; under an {@code Or}, a branch counts only when it
     * names the caller and every restriction beside the name holds on what can be read without the chain. Never
     * under {@code Not} or {@code Predecessor}. Reads no chain; errs towards {@code false}.
     */
    static boolean admitsByName(
            AccessCondition condition, String caller, long nowNs, CompiledPatterns patterns, RunFacts facts) {
        return namesOnAnAdmittingPath(condition, caller, nowNs, patterns, facts, true);
    }

    private static boolean namesOnAnAdmittingPath(
            AccessCondition condition,
            String caller,
            long nowNs,
            CompiledPatterns patterns,
            RunFacts facts,
            boolean knownToHold) {
        if (condition instanceof Whitelist whitelist) {
            return whitelist.accounts().contains(caller);
        }
        if (!(condition instanceof Logic logic)) {
            return false;
        }
        List<AccessCondition> conditions = logic.conditions();
        if (logic.operator() == Operator.Or) {
            return conditions.stream().anyMatch(c -> namesOnAnAdmittingPath(c, caller, nowNs, patterns, facts, false));
        }
        for (int at = 0; at < conditions.size(); at++) {
            if (!namesOnAnAdmittingPath(conditions.get(at), caller, nowNs, patterns, facts, knownToHold)) {
                continue;
            }
            boolean othersHold = true;
            for (int other = 0; other < conditions.size() && !knownToHold; other++) {
                if (other != at
                        && holdsWithoutTheChain(conditions.get(other), caller, nowNs, patterns, facts)
                                != Boolean.TRUE) {
                    othersHold = false;
                    break;
                }
            }
            if (othersHold) {
                return true;
            }
        }
        return false;
    }

    /** The verdict where it can be read without the chain; null where it cannot (OutLayer's {@code holds_without_the_chain}). */
    private static Boolean holdsWithoutTheChain(
            AccessCondition condition, String caller, long nowNs, CompiledPatterns patterns, RunFacts facts) {
        if (condition instanceof AllowAll || condition instanceof Whitelist || condition instanceof AccountPattern) {
            return AccessDoor.names(condition, caller, patterns); // the patterns are this condition's own
        }
        if (condition instanceof ValidUntil limit) {
            return !limit.lapsedAt(nowNs);
        }
        if (condition instanceof WasmHash leaf) {
            return facts.executedWasmSha256() == null ? null : leaf.admits(facts.executedWasmSha256());
        }
        if (condition instanceof Not not) {
            Boolean held = holdsWithoutTheChain(not.condition(), caller, nowNs, patterns, facts);
            return held == null ? null : !held;
        }
        if (condition instanceof Logic logic) {
            boolean and = logic.operator() == Operator.And;
            boolean unknown = false;
            for (AccessCondition c : logic.conditions()) {
                Boolean verdict = holdsWithoutTheChain(c, caller, nowNs, patterns, facts);
                if (verdict == null) {
                    unknown = true;
                } else if (verdict != and) {
                    return !and; // a false under And, a true under Or, settles it
                }
            }
            return unknown ? null : and;
        }
        return null; // a balance, a token, a role, the calling contract
    }
}
