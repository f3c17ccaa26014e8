package dev.outlayer.bench.targetsystem.keystore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.re2j.Pattern;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * AccountPattern: anchored as OutLayer anchors it, and bounded in what it may cost, so that no
 * pattern an owner stores can fill the heap while compiling (issue 15, item 1). Stored as written, as
 * OutLayer's contract stores it; compiled when judged, where one that cannot be is unreadable.
 */
class AccountPatternTest {

    static AccessCondition pattern(String regex) {
        var body = JsonCodec.object();
        body.putObject("AccountPattern").put("pattern", regex);
        return AccessCondition.parse(body);
    }

    /** OutLayer keystore-worker types.rs: test_pattern_is_anchored_full_match and its neighbours. */
    @Example
    void outLayersAnchoringVectors() {
        AccessCondition team = pattern("team\\.near");
        assertThat(team.allows("team.near")).isTrue();
        for (String bypass : new String[] {"xteam.near", "team.near.attacker.near", "team.nearx", "team.near\n"}) {
            assertThat(team.allows(bypass)).as(bypass).isFalse();
        }
        AccessCondition unescaped = pattern("team.near");
        assertThat(unescaped.allows("teamXnear")).isTrue();
        assertThat(unescaped.allows("teamXnear.attacker.near")).isFalse();
        AccessCondition either = pattern("alice\\.near|bob\\.near");
        assertThat(either.allows("alice.near")).isTrue();
        assertThat(either.allows("alice.near.evil.near")).isFalse();
        assertThat(either.allows("evil.bob.near")).isFalse();
        AccessCondition multiline = pattern("(?m)^team\\.near$");
        assertThat(multiline.allows("evil.near\nteam.near")).isFalse();
        assertThat(multiline.allows("team.near")).isTrue();
        AccessCondition gov = pattern(".*\\.gov\\.near");
        assertThat(gov.allows("treasury.gov.near")).isTrue();
        assertThat(gov.allows("alice.near")).isFalse();
        // test_metachar_injection_cannot_escape_the_anchors: \A(?:a)(b)\z is still exactly "ab".
        AccessCondition injected = pattern("a)(b");
        assertThat(injected.allows("ab")).isTrue();
        assertThat(injected.allows("xabx")).isFalse();
        assertThatThrownBy(() -> pattern(")").allows("anything.near"))
                .isInstanceOf(CompiledPatterns.UnreadablePattern.class);
        // test_empty_pattern_denies_instead_of_granting_everyone
        assertThat(pattern("").allows("anyone.near")).isFalse();
    }

    @Example
    void aNameGrantsThatAccountOnlyNotEveryIdContainingIt() {
        AccessCondition alice = pattern("alice");
        assertThat(alice.allows("alice")).isTrue();
        assertThat(alice.allows("malice.near")).isFalse();
        assertThat(alice.allows("alice.near")).isFalse();
        // An alternation stays inside the anchors: \A(?:alice|bob)\z, not \Aalice|bob\z.
        AccessCondition either = pattern("alice.near|bob.near");
        assertThat(either.allows("bob.near")).isTrue();
        assertThat(either.allows("bob.near.evil")).isFalse();
        assertThat(either.allows("evil.alice.near")).isFalse();
        AccessCondition suffix = pattern(".*\\.gov\\.near");
        assertThat(suffix.allows("treasury.gov.near")).isTrue();
        assertThat(suffix.allows("treasury.gov.near.evil")).isFalse();
    }

    /** The inputs of issue 15 and their relatives: each unreadable, none compiled to a huge program. */
    @Example
    void hostilePatternsAreRefusedBeforeTheyCompile() {
        List<String> hostile = List.of(
                "((a{1000}){1000}){1000}",
                "(.{0,1000}){1000}x",
                "(.{0,64}){64}x",
                "((a{64}){64}){64}",
                "(?:(?:(?:(?:x{10}){10}){10}){10})",
                "(a{64}|b{64}){64}",
                "(?i)(\\pL{64}){64}",
                "a{1001}",
                "a{99999999999999999999}",
                "((((((((((((a{2}){2}){2}){2}){2}){2}){2}){2}){2}){2}){2}){2}",
                "(?P<x>(?:.{1,64}){1,64}){1,64}",
                "(\\Qabcdefgh\\E{64}){64}");
        for (String regex : hostile) {
            AccessCondition stored = pattern(regex);
            assertThatThrownBy(() -> stored.allows("a"))
                    .as(regex)
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.kind()).isEqualTo(ApiException.Kind.FORBIDDEN))
                    .hasMessageContaining("cannot be compiled as a regular expression");
        }
    }

    @Example
    void ordinaryPatternsStillCompile() {
        for (String regex : List.of(
                "[a-z0-9_-]+\\.alice\\.near",
                "(?i)[A-Z]{2,64}\\.testnet",
                "(bot|agent)-[0-9]{1,8}\\.near",
                "\\Qa.b\\E\\.near",
                "[[:alpha:]]{1,64}",
                "a{2,}b",
                "[a-z0-9-]{2,64}\\.agents\\.near",
                "a".repeat(64),
                "[a-z]{65}")) {
            assertThat(CompiledPatterns.compile(regex).programSize())
                    .as(regex)
                    .isLessThanOrEqualTo(PatternCost.MAX_PROGRAM_SIZE);
        }
        assertThat(pattern("[a-z]{65}").allows("a".repeat(64)))
                .as("legal, and matches no account id")
                .isFalse();
    }

    /**
     * Nested repetitions of any depth and counts: either unreadable, or compiled to a program within
     * the budget. Nothing else (no OutOfMemoryError, no other exception).
     */
    @Property(tries = 300)
    void nestedRepetitionsAreRefusedOrCheap(@ForAll("nestedRepetitions") String regex) {
        try {
            Pattern compiled = CompiledPatterns.compile(regex);
            assertThat(compiled.programSize()).isLessThanOrEqualTo(PatternCost.MAX_PROGRAM_SIZE);
            pattern(regex).allows("a".repeat(64));
        } catch (CompiledPatterns.UnreadablePattern e) {
            assertThat(e.kind()).isEqualTo(ApiException.Kind.FORBIDDEN);
        }
    }

    @Provide
    Arbitrary<String> nestedRepetitions() {
        Arbitrary<String> atoms = Arbitraries.of("a", ".", "[a-z]", "\\pL", "(?:ab|cd)", "x*");
        Arbitrary<String> counts = Combinators.combine(
                        Arbitraries.integers().between(0, 1200),
                        Arbitraries.integers().between(0, 1200),
                        Arbitraries.integers().between(0, 2))
                .as((min, extra, form) -> switch (form) {
                    case 0 -> "{" + min + "}";
                    case 1 -> "{" + min + ",}";
                    default -> "{" + min + "," + (min + extra) + "}";
                });
        return Combinators.combine(atoms, counts.list().ofMinSize(1).ofMaxSize(6))
                .as((atom, repeats) -> {
                    String regex = atom;
                    for (String repeat : repeats) {
                        regex = "(" + regex + ")" + repeat;
                    }
                    return regex;
                });
    }

    /** For a literal account id, the pattern allows exactly that id (anchoring as a property). */
    @Property(tries = 200)
    void aLiteralPatternAllowsExactlyItsAccount(
            @ForAll("accountIds") String account,
            @ForAll("accountIds") String other,
            @ForAll @IntRange(max = 3) int pad) {
        AccessCondition condition = pattern(Pattern.quote(account));
        assertThat(condition.allows(account)).isTrue();
        assertThat(condition.allows("x".repeat(pad + 1) + account)).isFalse();
        assertThat(condition.allows(other)).isEqualTo(other.equals(account));
    }

    @Provide
    Arbitrary<String> accountIds() {
        return Arbitraries.strings().withChars("abcz09._-").ofMinLength(2).ofMaxLength(20);
    }
}
