package dev.outlayer.bench.targetsystem.keystore;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every {@code AccountPattern} of one condition, compiled once before the condition is evaluated
 * and keyed by its text, as OutLayer's keystore does ({@code types.rs} {@code compile_patterns}): a
 * pattern is compiled once however many branches name it, and the first one that cannot be compiled,
 * wherever it sits (under {@code Not}, beside an {@code AllowAll} under {@code Or}, inside a {@code
 * Predecessor}), refuses the whole condition for everyone before anything is judged. Its owner
 * hears which pattern, and why, in a bounded sentence ({@link UnreadablePattern}).
 *
 * <p>Each pattern is anchored as OutLayer anchors it ({@code \A(?:pattern)\z}) and compiled by RE2/J
 * within {@link PatternCost}'s budget, this keystore's counterpart of OutLayer's {@code
 * REGEX_SIZE_LIMIT}.
 */
public final class CompiledPatterns {
    /** Bytes of pattern, and of the compiler's reason, a refusal quotes (OutLayer's {@code UnreadablePattern::CLIP}). */
    static final int CLIP = 256;

    private final Map<String, Pattern> byText;

    private CompiledPatterns(Map<String, Pattern> byText) {
        this.byText = byText;
    }

    /**
     * Every pattern of {@code condition}, compiled.
     *
     * @throws UnreadablePattern for the first pattern, in the order written, that cannot be compiled
     */
    public static CompiledPatterns of(AccessCondition condition) {
        Map<String, Pattern> compiled = new HashMap<>();
        collect(condition, compiled);
        return new CompiledPatterns(compiled);
    }

    private static void collect(AccessCondition condition, Map<String, Pattern> into) {
        if (condition instanceof AccessCondition.AccountPattern leaf) {
            if (!into.containsKey(leaf.pattern())) {
                into.put(leaf.pattern(), compile(leaf.pattern()));
            }
        } else if (condition instanceof AccessCondition.Logic logic) {
            logic.conditions().forEach(c -> collect(c, into));
        } else if (condition instanceof AccessCondition.Not not) {
            collect(not.condition(), into);
        } else if (condition instanceof AccessCondition.Predecessor via) {
            collect(via.condition(), into);
        }
    }

    /** The compiled form of {@code pattern}, if this set holds it. */
    Pattern get(String pattern) {
        return byText.get(pattern);
    }

    /** How many distinct patterns were compiled. */
    int size() {
        return byText.size();
    }

    /**
     * {@code pattern} anchored ({@code \A(?:pattern)\z}, so that it matches whole ids, and a top-level
     * alternation stays inside the anchors) and compiled.
     *
     * @throws UnreadablePattern when RE2/J refuses it or its program would exceed the budget
     */
    static Pattern compile(String pattern) {
        String anchored = "\\A(?:" + pattern + ")\\z";
        Optional<String> tooBig = PatternCost.whyTooBig(anchored);
        if (tooBig.isPresent()) {
            throw new UnreadablePattern(pattern, tooBig.get());
        }
        Pattern compiled;
        try {
            compiled = Pattern.compile(anchored);
        } catch (PatternSyntaxException e) {
            throw new UnreadablePattern(pattern, reason(pattern, e));
        }
        tooBig = PatternCost.whyTooBig(compiled.programSize());
        if (tooBig.isPresent()) {
            throw new UnreadablePattern(pattern, tooBig.get());
        }
        return compiled;
    }

    /**
     * Why RE2/J refused the anchored pattern, in terms of what the owner wrote: the reason for the
     * pattern alone when it is refused alone too (the anchors are ours, and a fragment quoting them
     * would only confuse), else the anchored form's. RE2/J's internal error for a ')' that closes
     * nothing is given Go's words for it.
     */
    private static String reason(String pattern, PatternSyntaxException anchored) {
        PatternSyntaxException refused = anchored;
        if (PatternCost.whyTooBig(pattern).isEmpty()) {
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException alone) {
                refused = alone;
            }
        }
        String what = refused.getDescription();
        if (what.contains("internal error")) {
            return PatternCost.closesAnUnopenedGroup(pattern) ? "unexpected )" : "the pattern cannot be parsed";
        }
        String where = refused.getPattern();
        if (where == null || where.isEmpty() || where.contains("\\A(?:")) {
            return what;
        }
        return what + ": `" + where + "`";
    }

    /**
     * An {@code AccountPattern} that cannot be compiled: the whole condition refuses everyone (403,
     * where OutLayer answers 401), in OutLayer's sentence with the pattern and the reason each
     * clipped to {@value #CLIP} bytes.
     */
    public static final class UnreadablePattern extends ApiException {
        private final String pattern;
        private final String why;

        UnreadablePattern(String pattern, String why) {
            super(
                    Kind.FORBIDDEN,
                    AccessCondition.DENIED + ": its AccountPattern `" + clip(pattern, CLIP)
                            + "` cannot be compiled as a regular expression (" + clip(why, CLIP) + ")");
            this.pattern = clip(pattern, CLIP);
            this.why = clip(why, CLIP);
        }

        /** The pattern, as quoted (clipped). */
        public String pattern() {
            return pattern;
        }

        /** The compiler's reason, as quoted (clipped). */
        public String why() {
            return why;
        }
    }

    /**
     * The first {@code maxBytes} bytes of {@code text} (UTF-8) on a character boundary, with an
     * ellipsis when anything was cut (OutLayer's {@code clip}).
     */
    static String clip(String text, int maxBytes) {
        int bytes = 0;
        int end = 0;
        while (end < text.length()) {
            int codePoint = text.codePointAt(end);
            int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes + size > maxBytes) {
                return text.substring(0, end) + "…";
            }
            bytes += size;
            end += Character.charCount(codePoint);
        }
        return text;
    }
}
