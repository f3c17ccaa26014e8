package dev.outlayer.bench.targetsystem.keystore;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * OutLayer's bounds on an access condition ({@code shared_tee_helpers::access_limits}), the same
 * where a condition is stored and where it is judged: at most {@value #MAX_CHAIN_READ_LEAVES} leaves
 * that ask the chain ({@code NearBalance}, {@code FtBalance}, {@code NftOwned}, {@code DaoMember}),
 * {@value #MAX_ACCOUNT_PATTERNS} {@code AccountPattern} leaves and {@value #MAX_ACCOUNT_PATTERN_BYTES}
 * bytes of pattern text in all, counted wherever they sit ({@code Logic}, {@code Not}, {@code
 * Predecessor}). A condition past one is refused whole, before a pattern is compiled or the chain
 * asked once.
 *
 * @param chainReads leaves that ask the chain
 * @param patterns {@code AccountPattern} leaves
 * @param patternBytes bytes (UTF-8) of their text, all together
 */
record AccessBounds(int chainReads, int patterns, long patternBytes) {
    static final int MAX_CHAIN_READ_LEAVES = 5;
    static final int MAX_ACCOUNT_PATTERNS = 16;
    static final int MAX_ACCOUNT_PATTERN_BYTES = 4096;

    /** What {@code condition} holds (OutLayer's {@code count}). */
    static AccessBounds of(AccessCondition condition) {
        if (condition instanceof AccessCondition.AccountPattern leaf) {
            return new AccessBounds(0, 1, leaf.pattern().getBytes(StandardCharsets.UTF_8).length);
        }
        if (condition instanceof AccessCondition.OnChain) {
            return new AccessBounds(1, 0, 0);
        }
        if (condition instanceof AccessCondition.Logic logic) {
            AccessBounds sum = new AccessBounds(0, 0, 0);
            for (AccessCondition c : logic.conditions()) {
                sum = sum.plus(of(c));
            }
            return sum;
        }
        if (condition instanceof AccessCondition.Not not) {
            return of(not.condition());
        }
        if (condition instanceof AccessCondition.Predecessor via) {
            return of(via.condition());
        }
        return new AccessBounds(0, 0, 0);
    }

    private AccessBounds plus(AccessBounds other) {
        return new AccessBounds(
                chainReads + other.chainReads, patterns + other.patterns, patternBytes + other.patternBytes);
    }

    /**
     * The bound this condition passes, worded as OutLayer's keystore refuses it at the door (after
     * {@code "Access denied by access condition: "}); empty when within all three.
     */
    Optional<String> exceeded() {
        if (chainReads > MAX_CHAIN_READ_LEAVES) {
            return Optional.of("it asks the chain " + chainReads + " times; at most " + MAX_CHAIN_READ_LEAVES
                    + " such leaves are judged");
        }
        if (patterns > MAX_ACCOUNT_PATTERNS) {
            return Optional.of(
                    "it holds " + patterns + " AccountPattern leaves; at most " + MAX_ACCOUNT_PATTERNS + " are judged");
        }
        if (patternBytes > MAX_ACCOUNT_PATTERN_BYTES) {
            return Optional.of("its AccountPattern text is " + patternBytes + " bytes in all; at most "
                    + MAX_ACCOUNT_PATTERN_BYTES + " are judged");
        }
        return Optional.empty();
    }

    /**
     * The bound this condition passes, worded as OutLayer's contract refuses to store it ({@code
     * secrets.rs} {@code assert_account_pattern_bounds}: "the condition holds ..."); empty when
     * within all three.
     */
    Optional<String> exceededForStore() {
        return exceeded()
                .map(why -> why.startsWith("its ")
                        ? "the condition's " + why.substring("its ".length())
                        : "the condition " + why.substring("it ".length()));
    }
}
