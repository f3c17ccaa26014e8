package dev.outlayer.bench.targetsystem.keystore;

import java.util.Optional;

/**
 * What an {@code AccountPattern} may cost, checked on its text before RE2/J sees it: RE2/J expands
 * {@code x{n,m}} into copies of {@code x}, so nested counts multiply ({@code ((a{1000}){1000}){1000}}
 * is 10^9 instructions, which fills any heap while compiling). This walks RE2's syntax once and
 * computes an upper bound of the compiled program's size; anything over the budget is not compiled.
 * The compiled program's real size is checked after. This budget is this keystore's counterpart of
 * OutLayer's {@code REGEX_SIZE_LIMIT} (256 KiB of Rust {@code regex} program): a different engine
 * counts differently, so the two refuse different patterns at the edges (see docs/keystore.md).
 *
 * <p>Evaluation time needs no clock: RE2 runs in time linear in program size times input length,
 * and the input is an account id of at most {@link #MAX_INPUT_CHARS} characters.
 */
final class PatternCost {
    /** The longest input a pattern is ever run against. */
    static final int MAX_INPUT_CHARS = 64;
    /** Instructions a pattern may compile to (estimated before, measured after compiling). */
    static final int MAX_PROGRAM_SIZE = 4_096;
    /** Why a pattern is not compiled, worded as the compiler's reason is. */
    static final String TOO_BIG = "compiled regex exceeds size limit of " + MAX_PROGRAM_SIZE + " instructions";
    /**
     * Groups a pattern may nest (the anchors' group included): Rust {@code regex}'s default nest limit,
     * which OutLayer's keystore compiles with. Deeper, a recursive walk (this one, RE2/J's compiler)
     * could exhaust the stack.
     */
    static final int MAX_NEST = 250;
    /** Why a pattern nested deeper than {@link #MAX_NEST} is not compiled. */
    static final String TOO_DEEP = "pattern exceeds the nest limit of " + MAX_NEST;

    private final String pattern;
    private int pos;
    private boolean tooDeep;

    private PatternCost(String pattern) {
        this.pattern = pattern;
    }

    /**
     * {@link #TOO_DEEP} or {@link #TOO_BIG} when the program of {@code pattern} (the whole regular
     * expression, anchors included) nests too deep or could exceed the budget; empty when it cannot,
     * or when RE2/J will refuse its syntax anyway (an unbalanced ')').
     */
    static Optional<String> whyTooBig(String pattern) {
        PatternCost walk = new PatternCost(pattern);
        long size = walk.alternation(0);
        if (walk.tooDeep) {
            return Optional.of(TOO_DEEP);
        }
        if (walk.pos < pattern.length()) {
            return Optional.empty();
        }
        return whyTooBig(size);
    }

    /** Whether {@code pattern} closes a group it never opened (RE2/J refuses it with an internal error). */
    static boolean closesAnUnopenedGroup(String pattern) {
        PatternCost walk = new PatternCost(pattern);
        walk.alternation(0);
        return walk.pos < pattern.length();
    }

    /** {@link #TOO_BIG} when a program of {@code size} instructions is over the budget. */
    static Optional<String> whyTooBig(long size) {
        return size > MAX_PROGRAM_SIZE ? Optional.of(TOO_BIG) : Optional.empty();
    }

    /** {@code a|b|c} up to an unmatched ')' or the end. */
    private long alternation(int depth) {
        long size = concatenation(depth);
        while (pos < pattern.length() && pattern.charAt(pos) == '|') {
            pos++;
            size = add(size, add(concatenation(depth), 1));
        }
        return size;
    }

    private long concatenation(int depth) {
        long size = 0;
        while (pos < pattern.length()) {
            char c = pattern.charAt(pos);
            if (c == '|' || c == ')') {
                break;
            }
            long atom = atom(depth);
            size = add(size, quantified(atom));
        }
        return size;
    }

    private long atom(int depth) {
        char c = pattern.charAt(pos);
        switch (c) {
            case '(' -> {
                if (depth + 1 > MAX_NEST) {
                    tooDeep = true;
                    pos = pattern.length();
                    return 0;
                }
                pos++;
                if (pos < pattern.length() && pattern.charAt(pos) == '?') {
                    // (?flags) sets flags and has no body; (?flags:...) and (?P<name>...) have one.
                    while (pos < pattern.length() && ":)>".indexOf(pattern.charAt(pos)) < 0) {
                        pos++;
                    }
                    if (pos < pattern.length() && pattern.charAt(pos) == ')') {
                        pos++;
                        return 0;
                    }
                    pos++;
                }
                long inner = alternation(depth + 1);
                if (pos < pattern.length()) {
                    pos++; // ')'
                }
                return add(inner, 2);
            }
            case '[' -> {
                skipClass();
                return 1;
            }
            case '\\' -> {
                return escape();
            }
            default -> {
                pos++;
                return 1;
            }
        }
    }

    /** Applies any number of quantifiers following an atom. */
    private long quantified(long atom) {
        long size = atom;
        while (pos < pattern.length()) {
            char c = pattern.charAt(pos);
            if (c == '*' || c == '+' || c == '?') {
                pos++;
                size = add(size, 1);
            } else if (c == '{' && repeat()) {
                size = add(multiply(size, Math.max(1, maxCount)), add(maxCount, 1));
            } else {
                break;
            }
            if (pos < pattern.length() && pattern.charAt(pos) == '?') {
                pos++; // non-greedy
            }
        }
        return size;
    }

    private long maxCount;

    /**
     * Reads {@code {n}}, {@code {n,}} or {@code {n,m}} at pos, as RE2 does: anything else is a
     * literal '{'. Sets {@link #maxCount} (an unbounded {@code {n,}} costs like {@code n + 1}). A
     * count is never refused here: its cost is (RE2/J refuses one above 1000 with its own reason),
     * and a count past the longest account id is legal, only unmatchable, as in OutLayer's engine.
     */
    private boolean repeat() {
        int start = pos;
        int i = pos + 1;
        int minStart = i;
        while (i < pattern.length() && Character.isDigit(pattern.charAt(i))) {
            i++;
        }
        if (i == minStart || i >= pattern.length()) {
            return false;
        }
        long min = count(pattern.substring(minStart, i));
        long max = min;
        if (pattern.charAt(i) == ',') {
            i++;
            int maxStart = i;
            while (i < pattern.length() && Character.isDigit(pattern.charAt(i))) {
                i++;
            }
            max = i == maxStart ? min + 1 : count(pattern.substring(maxStart, i));
        }
        if (i >= pattern.length() || pattern.charAt(i) != '}') {
            pos = start;
            return false;
        }
        pos = i + 1;
        maxCount = Math.max(min, max);
        return true;
    }

    private static long count(String digits) {
        return digits.length() > 6 ? Long.MAX_VALUE / 4 : Long.parseLong(digits);
    }

    private void skipClass() {
        pos++; // '['
        if (pos < pattern.length() && pattern.charAt(pos) == '^') {
            pos++;
        }
        if (pos < pattern.length() && pattern.charAt(pos) == ']') {
            pos++; // a leading ']' is a literal
        }
        while (pos < pattern.length() && pattern.charAt(pos) != ']') {
            if (pattern.charAt(pos) == '\\') {
                pos++;
            } else if (pattern.startsWith("[:", pos)) {
                int end = pattern.indexOf(":]", pos + 2);
                if (end > 0) {
                    pos = end + 1;
                }
            }
            pos++;
        }
        pos++; // ']'
    }

    /** {@code \Q...\E} costs a literal per character; {@code \p{...}} and {@code \x{...}} one each. */
    private long escape() {
        pos++;
        if (pos >= pattern.length()) {
            return 1;
        }
        char c = pattern.charAt(pos++);
        if (c == 'Q') {
            int end = pattern.indexOf("\\E", pos);
            int stop = end < 0 ? pattern.length() : end;
            long literals = stop - pos;
            pos = end < 0 ? stop : end + 2;
            return literals;
        }
        if ((c == 'p' || c == 'P' || c == 'x') && pos < pattern.length() && pattern.charAt(pos) == '{') {
            int end = pattern.indexOf('}', pos);
            pos = end < 0 ? pattern.length() : end + 1;
        } else if (c == 'p' || c == 'P') {
            pos = Math.min(pattern.length(), pos + 1);
        }
        return 1;
    }

    private static long add(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    private static long multiply(long a, long b) {
        return a != 0 && b > Long.MAX_VALUE / a ? Long.MAX_VALUE : a * b;
    }
}
