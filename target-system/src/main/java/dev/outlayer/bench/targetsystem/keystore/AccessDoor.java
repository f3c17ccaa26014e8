package dev.outlayer.bench.targetsystem.keystore;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.keystore.AccessCondition.AccountPattern;
import dev.outlayer.bench.targetsystem.keystore.AccessCondition.AllowAll;
import dev.outlayer.bench.targetsystem.keystore.AccessCondition.Logic;
import dev.outlayer.bench.targetsystem.keystore.AccessCondition.Not;
import dev.outlayer.bench.targetsystem.keystore.AccessCondition.Operator;
import dev.outlayer.bench.targetsystem.keystore.AccessCondition.RunFacts;
import dev.outlayer.bench.targetsystem.keystore.AccessCondition.ValidUntil;
import dev.outlayer.bench.targetsystem.keystore.AccessCondition.Whitelist;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * OutLayer keystore's door for one stored condition and one caller ({@code api.rs} {@code
 * judge_access}, with {@code types.rs}' refusal wording), in its order: the bounds first ({@link
 * AccessBounds}: a condition past one refuses everyone, {@code Access denied by access condition: it
 * holds 17 AccountPattern leaves; ...}); then every pattern compiled ({@link CompiledPatterns}: one
 * that cannot be compiled refuses everyone, naming it); then the verdict, within {@link
 * Judgement#DEADLINE}; then, for a denial, its sentence ({@link #denialMessage}).
 *
 * <p>Every refusal is a 403 (ApiException FORBIDDEN; OutLayer answers 401); a condition that cannot
 * be evaluated a 422 (UNPROCESSABLE; OutLayer answers 500). Nothing is ever admitted on an error.
 */
public final class AccessDoor {
    private static final DateTimeFormatter ISO8601_UTC =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private AccessDoor() {}

    /**
     * Returns when {@code condition} admits {@code caller} for the run {@code facts} describe.
     *
     * @throws ApiException FORBIDDEN with OutLayer's sentence when it refuses; UNPROCESSABLE when
     *     it cannot be evaluated
     */
    public static void judge(AccessCondition condition, String caller, ChainView chain, RunFacts facts, Clock clock) {
        judge(condition, caller, chain, facts, clock, System::nanoTime);
    }

    static void judge(
            AccessCondition condition,
            String caller,
            ChainView chain,
            RunFacts facts,
            Clock clock,
            LongSupplier ticker) {
        Optional<String> past = AccessBounds.of(condition).exceeded();
        if (past.isPresent()) {
            throw new ApiException(ApiException.Kind.FORBIDDEN, AccessCondition.DENIED + ": " + past.get());
        }
        CompiledPatterns patterns = CompiledPatterns.of(condition);
        Judgement judgement = Judgement.starting(chain, facts, patterns, clock, ticker);
        boolean admitted = condition.evaluate(caller, judgement);
        judgement.requireWithinDeadline();
        if (!admitted) {
            throw new ApiException(
                    ApiException.Kind.FORBIDDEN, denialMessage(condition, caller, patterns, facts, clock));
        }
    }

    /**
     * What a refused caller is told (OutLayer's {@code denial_message_in}, keystore-worker {@code
     * types.rs} at out-layer/outlayer 802bf37): the build the secret is locked to, when a build refused
     * the run, and nothing more; else the caller's own lapsed time limit, when that is what refused
     * them ({@link #lapsedGrant}), by this host's clock (none on a clock before the epoch); else {@link
     * AccessCondition#DENIED}. Both are refusals the owner fixes (by moving the lock, by granting
     * again), not the caller by asking. A condition that holds a {@code Predecessor} anywhere (under
     * {@code Logic} or {@code Not}) gets the run's facts appended when the request reported the
     * calling account, {@code — signer <caller>, called from <predecessor>}, and no more: which leaf
     * refused the calling account is not searched for.
     */
    static String denialMessage(
            AccessCondition condition, String caller, CompiledPatterns patterns, RunFacts facts, Clock clock) {
        if (facts.executedWasmSha256() != null) {
            Optional<String> build = condition.buildRefusal(facts.executedWasmSha256());
            if (build.isPresent()) {
                return build.get();
            }
        }
        OptionalLong now = Judgement.nowNs(clock);
        OptionalLong lapsed = now.isPresent() ? lapsedGrant(condition, caller, now.getAsLong(), patterns) : now;
        String sentence = lapsed.isEmpty()
                ? AccessCondition.DENIED
                : AccessCondition.DENIED + ": its time limit passed at " + iso8601Utc(lapsed.getAsLong());
        if (facts.predecessorId() != null && judgesCallingAccount(condition)) {
            return sentence + " \u2014 signer " + caller + ", called from " + facts.predecessorId();
        }
        return sentence;
    }

    /** Whether a {@code Predecessor} sits anywhere in the tree (OutLayer's {@code judges_calling_account}). */
    private static boolean judgesCallingAccount(AccessCondition condition) {
        if (condition instanceof AccessCondition.Predecessor) {
            return true;
        }
        if (condition instanceof Logic logic) {
            return logic.conditions().stream().anyMatch(AccessDoor::judgesCallingAccount);
        }
        return condition instanceof Not not && judgesCallingAccount(not.condition());
    }

    /**
     * The time limit that stands between THIS caller and admission, if that is what refused them
     * (OutLayer's {@code lapsed_grant_in}): a lapsed {@code ValidUntil} in a branch that names the
     * caller ({@code And[..., Whitelist[caller], ..., ValidUntil]}), searched through {@code Or}s and
     * nested {@code And}s, or a lapsed limit that binds everyone (top level, or beside {@code
     * AllowAll}). A lapsed limit beside a name that is not the caller's is not their reason, nor is
     * one under an {@code Or} with a live branch naming them; never under {@code Not}, where a passed
     * limit admits. Every other condition ({@code Predecessor} included, whose names are another
     * account's) says nothing of time, as in OutLayer's.
     */
    static OptionalLong lapsedGrant(AccessCondition condition, String caller, long nowNs, CompiledPatterns patterns) {
        if (condition instanceof ValidUntil limit) {
            return lapsedLimit(limit, nowNs);
        }
        if (!(condition instanceof Logic logic)) {
            return OptionalLong.empty();
        }
        if (logic.operator() == Operator.Or) {
            // A branch that names the caller and has not lapsed: time did not refuse them.
            for (AccessCondition c : logic.conditions()) {
                if (namesWithoutLapse(c, caller, nowNs, patterns)) {
                    return OptionalLong.empty();
                }
            }
            for (AccessCondition c : logic.conditions()) {
                OptionalLong lapsed = lapsedGrant(c, caller, nowNs, patterns);
                if (lapsed.isPresent()) {
                    return lapsed;
                }
            }
            return OptionalLong.empty();
        }
        // And: a leaf that names people and not this caller refused them by name.
        boolean namesCaller = false;
        OptionalLong lapsedHere = OptionalLong.empty();
        for (AccessCondition c : logic.conditions()) {
            if (isNamingLeaf(c) && !names(c, caller, patterns)) {
                return OptionalLong.empty();
            }
            namesCaller |= names(c, caller, patterns);
            if (lapsedHere.isEmpty()) {
                lapsedHere = lapsedLimit(c, nowNs);
            }
        }
        if (namesCaller && lapsedHere.isPresent()) {
            return lapsedHere;
        }
        // The caller's own dated branch may sit deeper.
        for (AccessCondition c : logic.conditions()) {
            if (c instanceof Logic) {
                OptionalLong lapsed = lapsedGrant(c, caller, nowNs, patterns);
                if (lapsed.isPresent()) {
                    return lapsed;
                }
            }
        }
        return OptionalLong.empty();
    }

    /** A branch that names the caller with no lapsed limit: a leaf naming them, or an And naming them beside live limits. */
    private static boolean namesWithoutLapse(
            AccessCondition condition, String caller, long nowNs, CompiledPatterns patterns) {
        if (condition instanceof Logic logic && logic.operator() == Operator.And) {
            boolean named = false;
            for (AccessCondition c : logic.conditions()) {
                if ((isNamingLeaf(c) && !names(c, caller, patterns))
                        || lapsedLimit(c, nowNs).isPresent()) {
                    return false;
                }
                named |= names(c, caller, patterns);
            }
            return named;
        }
        return names(condition, caller, patterns);
    }

    /** A leaf whose whole job is to say who, or the negation of one. */
    private static boolean isNamingLeaf(AccessCondition condition) {
        if (condition instanceof AllowAll || condition instanceof Whitelist || condition instanceof AccountPattern) {
            return true;
        }
        return condition instanceof Not not && isNamingLeaf(not.condition());
    }

    /** Whether this leaf admits the caller by name: the half of a dated grant that says whose it is. */
    static boolean names(AccessCondition condition, String caller, CompiledPatterns patterns) {
        if (condition instanceof AllowAll) {
            return true;
        }
        if (condition instanceof Whitelist whitelist) {
            return whitelist.accounts().contains(caller);
        }
        if (condition instanceof AccountPattern leaf) {
            var compiled = patterns.get(leaf.pattern());
            return compiled != null && AccountPattern.matches(compiled, caller);
        }
        // "Everyone but bob" names alice.
        return condition instanceof Not not
                && isNamingLeaf(not.condition())
                && !names(not.condition(), caller, patterns);
    }

    /** This leaf, lapsed at {@code nowNs}. */
    private static OptionalLong lapsedLimit(AccessCondition condition, long nowNs) {
        return condition instanceof ValidUntil limit && limit.lapsedAt(nowNs)
                ? OptionalLong.of(limit.untilNs())
                : OptionalLong.empty();
    }

    /** {@code ns} since the epoch (unsigned) as {@code YYYY-MM-DDTHH:MM:SSZ} (OutLayer's {@code iso8601_utc}). */
    static String iso8601Utc(long ns) {
        return ISO8601_UTC.format(Instant.ofEpochSecond(Long.divideUnsigned(ns, 1_000_000_000L)));
    }
}
