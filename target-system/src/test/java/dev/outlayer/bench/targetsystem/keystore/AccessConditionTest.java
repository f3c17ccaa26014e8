package dev.outlayer.bench.targetsystem.keystore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.testing.HangGuard;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class AccessConditionTest {

    static AccessCondition parse(String json) throws Exception {
        return AccessCondition.parse(JsonCodec.MAPPER.readTree(json));
    }

    @Test
    void allowAllInEveryFormNearSdkWrites() throws Exception {
        for (String json : new String[] {"\"AllowAll\"", "{\"AllowAll\":null}", "{\"AllowAll\":{}}"}) {
            assertThat(parse(json).allows("anyone.near")).as(json).isTrue();
        }
    }

    @Test
    void whitelistAllowsOnlyItsAccounts() throws Exception {
        AccessCondition whitelist = parse("{\"Whitelist\":{\"accounts\":[\"alice.near\",\"bob.near\"]}}");
        assertThat(whitelist.allows("alice.near")).isTrue();
        assertThat(whitelist.allows("bob.near")).isTrue();
        assertThat(whitelist.allows("mallory.near")).isFalse();
        assertThat(whitelist.allows("alice.near.evil")).isFalse();
    }

    @Test
    void accountPatternMatchesWholeIdsLikeOutLayersAnchoredRegex() throws Exception {
        AccessCondition gov = parse("{\"AccountPattern\":{\"pattern\":\".*\\\\.gov\\\\.near\"}}");
        assertThat(gov.allows("treasury.gov.near")).isTrue();
        assertThat(gov.allows("alice.near")).isFalse();
        AccessCondition anchored = parse("{\"AccountPattern\":{\"pattern\":\"^[a-z]+\\\\.testnet$\"}}");
        assertThat(anchored.allows("bob.testnet")).isTrue();
        assertThat(anchored.allows("x.bob.testnet")).isFalse();
    }

    @Test
    void notAndLogicCompose() throws Exception {
        AccessCondition condition = parse("""
                {"Logic":{"operator":"And","conditions":[
                  {"AccountPattern":{"pattern":".*\\\\.near"}},
                  {"Not":{"condition":{"Whitelist":{"accounts":["blocked.near"]}}}}]}}""");
        assertThat(condition.allows("alice.near")).isTrue();
        assertThat(condition.allows("blocked.near")).isFalse();
        assertThat(condition.allows("alice.testnet")).isFalse();
        AccessCondition either = parse("""
                {"Logic":{"operator":"Or","conditions":[
                  {"Whitelist":{"accounts":["bob.near"]}},{"AccountPattern":{"pattern":"alice\\\\..*"}}]}}""");
        assertThat(either.allows("alice.testnet")).isTrue();
        assertThat(either.allows("bob.near")).isTrue();
        assertThat(either.allows("carol.near")).isFalse();
    }

    @Test
    void jsonRoundTripsInOutLayersShape() throws Exception {
        String json = "{\"Logic\":{\"operator\":\"Or\",\"conditions\":[\"AllowAll\",{\"Not\":{\"condition\":"
                + "{\"AccountPattern\":{\"pattern\":\"x\"}}}},{\"Whitelist\":{\"accounts\":[\"a.near\",\"b.near\"]}}]}}";
        JsonNode written = parse(json).toJson();
        assertThat(written).isEqualTo(JsonCodec.MAPPER.readTree(json));
        assertThat(parse(written.toString()).toJson()).isEqualTo(written);
    }

    /** What the door tells a refused {@code caller} (alice.near unless named) on this host's clock. */
    private static String denial(AccessCondition condition, String executedWasmSha256) {
        return denial(condition, "alice.near", executedWasmSha256);
    }

    private static String denial(AccessCondition condition, String caller, String executedWasmSha256) {
        return denialFor(condition, caller, built(executedWasmSha256));
    }

    private static String denialFor(AccessCondition condition, String caller, AccessCondition.RunFacts facts) {
        return AccessDoor.denialMessage(condition, caller, CompiledPatterns.of(condition), facts, Clock.systemUTC());
    }

    private static AccessCondition.RunFacts built(String executedWasmSha256) {
        return new AccessCondition.RunFacts(executedWasmSha256, null);
    }

    @Test
    void aBuildLockAdmitsOneBuildAndRoundTripsInTheContractsShape() throws Exception {
        String build = "11".repeat(32);
        String other = "22".repeat(32);
        String json = "{\"WasmHash\":{\"hash\":\"" + build + "\"}}";
        AccessCondition lock = parse(json);
        assertThat(lock.toJson()).isEqualTo(JsonCodec.MAPPER.readTree(json));
        assertThat(lock.allows("alice.near", ChainView.NONE, built(build))).isTrue();
        assertThat(lock.allows("alice.near", ChainView.NONE, built(build.toUpperCase())))
                .isTrue();
        assertThat(lock.allows("alice.near", ChainView.NONE, built(other))).isFalse();
        assertThatThrownBy(() -> lock.allows("alice.near")).hasMessageContaining("reports no executing wasm hash");
        assertThat(denial(lock, other))
                .isEqualTo(AccessCondition.DENIED + ": this secret is locked to build " + build
                        + " and the running build is " + other);
        assertThat(denial(lock, null))
                .as("a request that named no build blames no build")
                .isEqualTo(AccessCondition.DENIED);
        AccessCondition orOfBuilds = parse("{\"Logic\":{\"operator\":\"Or\",\"conditions\":[" + json
                + ",{\"WasmHash\":{\"hash\":\"" + "33".repeat(32) + "\"}}]}}");
        assertThat(denial(orOfBuilds, other))
                .as("every branch refused over a build: the first")
                .contains(build);
        AccessCondition orWithAName = parse("{\"Logic\":{\"operator\":\"Or\",\"conditions\":["
                + "{\"Whitelist\":{\"accounts\":[\"bob.near\"]}}," + json + "]}}");
        assertThat(denial(orWithAName, other))
                .as("a branch that says nothing of builds refused for its own reason")
                .isEqualTo(AccessCondition.DENIED);
        AccessCondition lockedAndLapsed = parse("{\"Logic\":{\"operator\":\"And\",\"conditions\":["
                + "{\"ValidUntil\":{\"until_ns\":\"1\"}}," + json + "]}}");
        assertThat(denial(lockedAndLapsed, other))
                .as("the build is named before a lapsed limit")
                .contains("locked to build");
    }

    @Test
    void pathologicalPatternRunsInLinearTime() throws Exception {
        AccessCondition evil = parse("{\"AccountPattern\":{\"pattern\":\"^(a+)+$\"}}");
        String attack = "a".repeat(20_000) + "b";
        // java.util.regex needs ~2^n steps here; RE2/J is linear. The timeout only guards the build.
        boolean allowed = HangGuard.ends(() -> evil.allows(attack));
        assertThat(allowed).isFalse();
        assertThat(evil.allows("aaaa")).isTrue();
    }

    @Test
    void badConditionsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> parse("{\"Whitelist\":{}}")).hasMessageContaining("accounts");
        assertThatThrownBy(() -> parse("{\"AccountPattern\":{\"pattern\":[\"a\"]}}"))
                .hasMessageContaining("AccountPattern.pattern must be a string");
        assertThatThrownBy(() -> parse("{\"Logic\":{\"operator\":\"Xor\",\"conditions\":[\"AllowAll\"]}}"))
                .hasMessageContaining("And");
        assertThatThrownBy(() -> parse("{\"Logic\":{\"operator\":\"And\",\"conditions\":{}}}"))
                .hasMessageContaining("must be an array");
        assertThatThrownBy(() -> parse("{\"NearBalance\":{\"operator\":\"Gte\",\"value\":\"1.5\"}}"))
                .hasMessageContaining("unsigned 128-bit");
        assertThatThrownBy(() -> parse("{\"NearBalance\":{\"operator\":\">=\",\"value\":\"1\"}}"))
                .hasMessageContaining("Gte, Lte, Gt, Lt, Eq or Ne");
        assertThatThrownBy(() ->
                        parse("{\"FtBalance\":{\"contract\":\"Not An Account\",\"operator\":\"Gte\",\"value\":\"1\"}}"))
                .hasMessage("Failed to deserialize input from JSON. Error: `invalid value: \"Not An Account\", the"
                        + " Account ID contains an invalid character 'N' at index 0`");
        assertThatThrownBy(() -> parse("\"DenyAll\"")).hasMessageContaining("unknown access condition");
        assertThatThrownBy(() -> parse("{\"AllowAll\":{},\"Whitelist\":{}}")).hasMessageContaining("exactly one key");
        assertThatThrownBy(() -> AccessCondition.parse(null)).hasMessageContaining("access is required");
    }

    @Test
    void deepNestingIsRefusedBeforeItCanExhaustTheStack() {
        // 60 conditions are 120 JSON levels: within serde_json's 127, far past the parser's own limit
        String deep = "{\"Not\":{\"condition\":".repeat(60) + "\"AllowAll\"" + "}}".repeat(60);
        assertThatThrownBy(() -> parse(deep)).hasMessageContaining("deeper than");
    }

    // OutLayer keystore-worker types.rs, its tests a_lapsed_limit_is_named_to_the_caller_it_bound,
    // iso8601_renders_known_instants, clip_cuts_on_a_character_boundary and the module
    // a_condition_that_cannot_be_read_refuses_wherever_the_unreadable_leaf_sits, on this keystore.

    static final long T = 1_760_000_000_000_000_000L; // 2025-10-09T08:53:20Z

    private static String wl(String account) {
        return "{\"Whitelist\":{\"accounts\":[\"" + account + "\"]}}";
    }

    private static String until(long ns) {
        return "{\"ValidUntil\":{\"until_ns\":\"" + Long.toUnsignedString(ns) + "\"}}";
    }

    private static String logic(String operator, String... conditions) {
        return "{\"Logic\":{\"operator\":\"" + operator + "\",\"conditions\":[" + String.join(",", conditions) + "]}}";
    }

    private static String not(String condition) {
        return "{\"Not\":{\"condition\":" + condition + "}}";
    }

    private static String dated(String account, long ns) {
        return logic("And", wl(account), until(ns));
    }

    private static java.util.OptionalLong lapsedFor(String json, String caller, long now) throws Exception {
        AccessCondition condition = parse(json);
        return AccessDoor.lapsedGrant(condition, caller, now, CompiledPatterns.of(condition));
    }

    @Test
    void aLapsedLimitIsNamedToTheCallerItBound() throws Exception {
        var none = java.util.OptionalLong.empty();
        var lapsed = java.util.OptionalLong.of(T);
        String grants = logic("Or", wl("owner.near"), dated("agent.near", T), dated("other.near", T + 100));
        assertThat(lapsedFor(grants, "agent.near", T + 5))
                .as("the agent's own grant lapsed")
                .isEqualTo(lapsed);
        assertThat(lapsedFor(grants, "agent.near", T - 5))
                .as("a live limit is not lapsed")
                .isEqualTo(none);
        assertThat(lapsedFor(grants, "other.near", T + 5))
                .as("the other agent's grant is live")
                .isEqualTo(none);
        assertThat(lapsedFor(grants, "stranger.near", T + 5))
                .as("refused for not being named")
                .isEqualTo(none);
        assertThat(lapsedFor(dated("bob.near", T), "alice.near", T + 5)).isEqualTo(none);
        assertThat(lapsedFor(dated("bob.near", T), "bob.near", T + 5)).isEqualTo(lapsed);
        assertThat(lapsedFor(until(T), "anyone.near", T))
                .as("a limit that binds everyone")
                .isEqualTo(lapsed);
        assertThat(lapsedFor(logic("And", "\"AllowAll\"", until(T)), "anyone.near", T + 1))
                .isEqualTo(lapsed);
        String byPattern = logic("And", "{\"AccountPattern\":{\"pattern\":\".*\\\\.agents\\\\.near\"}}", until(T));
        assertThat(lapsedFor(byPattern, "x.agents.near", T + 1))
                .as("a pattern names whom it matches")
                .isEqualTo(lapsed);
        assertThat(lapsedFor(byPattern, "x.near", T + 1)).isEqualTo(none);
        assertThat(lapsedFor(logic("And", "\"AllowAll\"", grants), "agent.near", T + 5))
                .as("the caller's dated branch under an outer And")
                .isEqualTo(lapsed);
        String balance = "{\"NearBalance\":{\"operator\":\"Gte\",\"value\":\"1\"}}";
        String regranted = logic(
                "And", balance, logic("Or", wl("owner.near"), dated("agent.near", T), dated("agent.near", T + 100)));
        assertThat(lapsedFor(regranted, "agent.near", T + 5))
                .as("the re-grant is live")
                .isEqualTo(none);
        String lapsedBesideAName = logic("And", balance, logic("Or", until(T), wl("alice.near")));
        assertThat(lapsedFor(lapsedBesideAName, "alice.near", T + 5))
                .as("the Or admits alice by name")
                .isEqualTo(none);
        String bobs = logic("And", wl("bob.near"), logic("Or", until(T)));
        assertThat(lapsedFor(bobs, "alice.near", T + 5)).isEqualTo(none);
        assertThat(lapsedFor(bobs, "bob.near", T + 5))
                .as("bob's own grant, lapsed")
                .isEqualTo(lapsed);
        String everyoneButBob = logic("And", until(T), not(wl("bob.near")));
        assertThat(lapsedFor(everyoneButBob, "alice.near", T + 5)).isEqualTo(lapsed);
        assertThat(lapsedFor(everyoneButBob, "bob.near", T + 5))
                .as("bob is refused by name")
                .isEqualTo(none);
        String excludedThenDated =
                logic("Or", logic("And", "\"AllowAll\"", not(wl("alice.near"))), dated("alice.near", T));
        assertThat(lapsedFor(excludedThenDated, "alice.near", T + 5))
                .as("her own dated grant")
                .isEqualTo(lapsed);
        String selfContradictory = logic("And", wl("alice.near"), until(T), not(wl("alice.near")));
        assertThat(lapsedFor(selfContradictory, "alice.near", T + 5))
                .as("re-granting the date would not admit her")
                .isEqualTo(none);
        assertThat(lapsedFor(not(until(1)), "anyone.near", T))
                .as("under Not a passed limit admits")
                .isEqualTo(none);
        assertThat(lapsedFor("\"AllowAll\"", "anyone.near", T)).isEqualTo(none);
        assertThat(lapsedFor("{\"Predecessor\":{\"condition\":" + dated("dao.near", T) + "}}", "dao.near", T + 5))
                .as("a Predecessor names the calling account, never the caller: OutLayer's wording stops there")
                .isEqualTo(none);

        assertThat(denial(parse(until(1)), "anyone.near", null))
                .isEqualTo("Access denied by access condition: its time limit passed at 1970-01-01T00:00:00Z");
        assertThat(denial(parse(dated("bob.near", 1)), "alice.near", null))
                .as("alice is told nothing about bob's date")
                .isEqualTo("Access denied by access condition");
    }

    /**
     * OutLayer's keystore-worker types.rs (out-layer/outlayer 802bf37) {@code denial_message_in}: a
     * tree that holds a Predecessor anywhere under Logic or Not gets the run's two accounts appended,
     * when the request reported the calling account; a build lock is named alone; no leaf is blamed.
     */
    @Test
    void aRefusalOfATreeThatJudgesTheCallingAccountNamesTheRunsTwoAccounts() throws Exception {
        String viaDao = "{\"Predecessor\":{\"condition\":" + wl("dao.near") + "}}";
        AccessCondition.RunFacts fromRelay = new AccessCondition.RunFacts(null, "relay.near");
        String facts = " \u2014 signer alice.near, called from relay.near";
        assertThat(denialFor(parse(viaDao), "alice.near", fromRelay)).isEqualTo(AccessCondition.DENIED + facts);
        assertThat(denialFor(parse(logic("Or", wl("bob.near"), not(viaDao))), "alice.near", fromRelay))
                .as("found under Or and Not")
                .isEqualTo(AccessCondition.DENIED + facts);
        assertThat(denialFor(parse(logic("And", wl("alice.near"), until(1), viaDao)), "alice.near", fromRelay))
                .as("after the caller's lapsed limit")
                .isEqualTo(AccessCondition.DENIED + ": its time limit passed at 1970-01-01T00:00:00Z" + facts);
        assertThat(denialFor(parse(viaDao), "alice.near", AccessCondition.RunFacts.NONE))
                .as("no calling account reported: nothing to append")
                .isEqualTo(AccessCondition.DENIED);
        assertThat(denialFor(parse(wl("bob.near")), "alice.near", fromRelay))
                .as("a tree without a Predecessor")
                .isEqualTo(AccessCondition.DENIED);
        String build = "11".repeat(32);
        String running = "22".repeat(32);
        AccessCondition locked = parse(logic("And", "{\"WasmHash\":{\"hash\":\"" + build + "\"}}", viaDao));
        assertThat(denialFor(locked, "alice.near", new AccessCondition.RunFacts(running, "relay.near")))
                .as("a build lock is named alone")
                .isEqualTo(AccessCondition.DENIED + ": this secret is locked to build " + build
                        + " and the running build is " + running);
    }

    @Test
    void iso8601RendersKnownInstantsAsOutLayerDoes() {
        assertThat(AccessDoor.iso8601Utc(0)).isEqualTo("1970-01-01T00:00:00Z");
        assertThat(AccessDoor.iso8601Utc(1_700_000_000L * 1_000_000_000L)).isEqualTo("2023-11-14T22:13:20Z");
        assertThat(AccessDoor.iso8601Utc(T)).isEqualTo("2025-10-09T08:53:20Z");
        assertThat(AccessDoor.iso8601Utc(951_782_400L * 1_000_000_000L))
                .as("a leap day")
                .isEqualTo("2000-02-29T00:00:00Z");
        assertThat(AccessDoor.iso8601Utc(1_500_000_001L))
                .as("whole seconds only")
                .isEqualTo("1970-01-01T00:00:01Z");
        assertThat(AccessDoor.iso8601Utc(-1L)).as("u64::MAX").isEqualTo("2554-07-21T23:34:33Z");
    }

    /**
     * A clock before the epoch cannot judge a time limit: unknown, never a verdict (lapsed would
     * admit everyone under Not, live every dated grant); a branch that decides on its own still
     * does; and the refusal names no lapsed limit.
     */
    @Test
    void aClockBeforeTheEpochJudgesNoTimeLimit() throws Exception {
        Clock before = Clock.fixed(java.time.Instant.ofEpochSecond(-1), java.time.ZoneOffset.UTC);
        for (String json : new String[] {until(1), not(until(1)), dated("bob.near", -1L)}) {
            assertThatThrownBy(() -> AccessDoor.judge(
                            parse(json), "bob.near", ChainView.NONE, AccessCondition.RunFacts.NONE, before))
                    .as(json)
                    .isInstanceOfSatisfying(
                            dev.outlayer.bench.targetsystem.errors.ApiException.class,
                            e -> assertThat(e.kind())
                                    .isEqualTo(dev.outlayer.bench.targetsystem.errors.ApiException.Kind.UNPROCESSABLE))
                    .hasMessage("access condition cannot be evaluated: ValidUntil: the host clock reads before the"
                            + " epoch; no time limit can be judged");
        }
        AccessDoor.judge(
                parse(logic("Or", "\"AllowAll\"", until(1))),
                "bob.near",
                ChainView.NONE,
                AccessCondition.RunFacts.NONE,
                before);
        assertThatThrownBy(() -> AccessDoor.judge(
                        parse(logic("And", wl("carol.near"), until(1))),
                        "bob.near",
                        ChainView.NONE,
                        AccessCondition.RunFacts.NONE,
                        before))
                .as("refused by name, and no lapse named on such a clock")
                .hasMessage("Access denied by access condition");
    }

    @Test
    void anUnreadablePatternAnywhereRefusesEveryoneBeforeAnythingIsJudged() throws Exception {
        String bad = "{\"AccountPattern\":{\"pattern\":\"(\"}}";
        for (String json : new String[] {
            bad,
            not(bad),
            logic("And", "\"AllowAll\"", bad),
            logic("Or", wl("bob.near"), bad),
            logic("Or", "\"AllowAll\"", bad),
            not(logic("Or", bad)),
            "{\"Predecessor\":{\"condition\":" + bad + "}}"
        }) {
            assertThatThrownBy(() -> AccessDoor.judge(
                            parse(json), "bob.near", ChainView.NONE, AccessCondition.RunFacts.NONE, Clock.systemUTC()))
                    .as(json)
                    .isInstanceOfSatisfying(CompiledPatterns.UnreadablePattern.class, e -> {
                        assertThat(e.pattern()).isEqualTo("(");
                        assertThat(e.why()).isEqualTo("missing closing ): `(`").doesNotContain("\\A");
                    })
                    .hasMessage("Access denied by access condition: its AccountPattern `(` cannot be compiled as a"
                            + " regular expression (missing closing ): `(`)");
        }
        String p = "{\"AccountPattern\":{\"pattern\":\".*\\\\.near\"}}";
        AccessCondition tree = parse(logic("Or", p, not(p), logic("And", p, p)));
        assertThat(CompiledPatterns.of(tree).size()).as("one text, one regex").isEqualTo(1);
        assertThat(tree.allows("alice.near")).isTrue();
    }

    @Test
    void theReasonNamesTheOwnersTextAndIsClipped() {
        assertThat(CompiledPatterns.clip("abc", 3)).isEqualTo("abc");
        assertThat(CompiledPatterns.clip("abcd", 3)).isEqualTo("abc…");
        assertThat(CompiledPatterns.clip("жжж", 3)).isEqualTo("ж…");
        for (String[] vector : new String[][] {
            {")", "unexpected )"},
            {"[invalid", "missing closing ]: `[invalid`"},
            {"(a)\\1", "invalid escape sequence: `\\1`"},
            {"(?=a)", "invalid or unsupported Perl syntax: `(?=`"},
            {"a{1001}", "invalid repeat count: `{1001}`"},
            {"\\pL{64}{64}", "compiled regex exceeds size limit of 4096 instructions"},
            {"(".repeat(250) + "a" + ")".repeat(250), "pattern exceeds the nest limit of 250"}
        }) {
            assertThatThrownBy(() -> CompiledPatterns.compile(vector[0]))
                    .as(vector[0])
                    .isInstanceOfSatisfying(
                            CompiledPatterns.UnreadablePattern.class,
                            e -> assertThat(e.why()).isEqualTo(vector[1]));
        }
        assertThat(CompiledPatterns.compile("(".repeat(249) + "a" + ")".repeat(249))
                        .matcher("a")
                        .matches())
                .as("249 groups and the anchors' own: within Rust regex's nest limit")
                .isTrue();
        String huge = "(".repeat(100_000);
        assertThatThrownBy(() -> CompiledPatterns.compile(huge))
                .isInstanceOfSatisfying(
                        CompiledPatterns.UnreadablePattern.class,
                        e -> assertThat(e.getMessage()).contains("…").hasSizeLessThan(2 * CompiledPatterns.CLIP + 200));
    }

    /**
     * OutLayer's bounds are applied at the door before a pattern is compiled or the chain asked: a
     * condition past one refuses everyone (a row stored before the bounds existed, say).
     */
    @Test
    void aConditionPastTheBoundsIsRefusedWholeAtTheDoor() throws Exception {
        String[] seventeen = new String[17];
        for (int i = 0; i < 17; i++) {
            seventeen[i] = "{\"AccountPattern\":{\"pattern\":\"" + (i == 16 ? "(" : "a" + i) + "\"}}";
        }
        assertThatThrownBy(() -> AccessDoor.judge(
                        parse(logic("Or", "\"AllowAll\"", logic("Or", seventeen))),
                        "bob.near",
                        ChainView.NONE,
                        AccessCondition.RunFacts.NONE,
                        Clock.systemUTC()))
                .as("the bound is judged before the unreadable seventeenth is compiled")
                .hasMessage("Access denied by access condition: it holds 17 AccountPattern leaves; at most 16 are"
                        + " judged");
        String balance = "{\"NearBalance\":{\"operator\":\"Gte\",\"value\":\"1\"}}";
        String sixReads = "{\"Predecessor\":{\"condition\":"
                + not(logic("And", balance, balance, balance, balance, balance, balance)) + "}}";
        assertThatThrownBy(() -> AccessDoor.judge(
                        parse(sixReads),
                        "bob.near",
                        ChainView.NONE,
                        new AccessCondition.RunFacts(null, "dao.near"),
                        Clock.systemUTC()))
                .hasMessage("Access denied by access condition: it asks the chain 6 times; at most 5 such leaves are"
                        + " judged");
        String cyrillic = "{\"AccountPattern\":{\"pattern\":\"" + "ж".repeat(2049) + "\"}}";
        assertThat(AccessBounds.of(parse(cyrillic)).exceeded())
                .as("bytes, not characters")
                .contains("its AccountPattern text is 4098 bytes in all; at most 4096 are judged");
        assertThat(AccessBounds.of(parse(cyrillic)).exceededForStore())
                .contains("the condition's AccountPattern text is 4098 bytes in all; at most 4096 are judged");
    }

    /**
     * The deadline on the whole evaluation (api.rs ACCESS_EVALUATION_DEADLINE): once 15 s have passed
     * no further chain read is made and no branch decides after it; a verdict reached late is not
     * given either. 422 here (OutLayer: 500), never an admission.
     */
    @Test
    void anEvaluationPastTheDeadlineIsNeverAVerdict() throws Exception {
        long[] now = {0};
        int[] reads = {0};
        ChainView slow = new ChainView() {
            @Override
            public java.util.Optional<java.math.BigInteger> balance(String accountId) {
                reads[0]++;
                now[0] += java.time.Duration.ofSeconds(16).toNanos();
                return java.util.Optional.of(java.math.BigInteger.ZERO);
            }

            @Override
            public byte[] viewCall(String contractId, String method, byte[] args) {
                throw new AssertionError("not asked");
            }

            @Override
            public java.util.Optional<java.util.List<String>> accessKeys(String accountId) {
                throw new AssertionError("not asked");
            }
        };
        String balance = "{\"NearBalance\":{\"operator\":\"Gte\",\"value\":\"1\"}}";
        for (String json :
                new String[] {logic("Or", balance, balance, "\"AllowAll\""), logic("Or", balance, "\"AllowAll\"")}) {
            reads[0] = 0;
            assertThatThrownBy(() -> AccessDoor.judge(
                            parse(json),
                            "bob.near",
                            slow,
                            AccessCondition.RunFacts.NONE,
                            Clock.systemUTC(),
                            () -> now[0]))
                    .as(json)
                    .isInstanceOf(Judgement.DeadlinePassed.class)
                    .hasMessageStartingWith("Access condition could not be evaluated within 15s");
            assertThat(reads[0]).as("no read after the deadline").isEqualTo(1);
        }
    }

    /**
     * What OutLayer's contract reads as near-sdk AccountIds (types.rs), a store reads so too, wherever it sits,
     * and refuses in near-sdk's words; what a store of an older keystore held still parses when it is loaded
     * (a whitelist of any non-empty strings) and is judged as before.
     */
    @Test
    void aStoreReadsAccountIdsAsOutLayersContractAndALoadReadsWhatWasStored() throws Exception {
        String[][] cases = {
            {
                "{\"Whitelist\":{\"accounts\":[\"alice.near\",\"Alice.near\"]}}",
                "Alice.near",
                "the Account ID contains an invalid character 'A' at index 0"
            },
            {
                "{\"Not\":{\"condition\":{\"Whitelist\":{\"accounts\":[\"alice.\"]}}}}",
                "alice.",
                "the Account ID has a redundant separator '.' at index 5"
            },
            {
                "{\"Predecessor\":{\"condition\":{\"Whitelist\":{\"accounts\":[\"x\"]}}}}",
                "x",
                "the Account ID is too short"
            },
            {
                "{\"Logic\":{\"operator\":\"And\",\"conditions\":[{\"Whitelist\":{\"accounts\":[\"a__b.near\"]}}]}}",
                "a__b.near",
                "the Account ID has a redundant separator '_' at index 2"
            },
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> AccessCondition.parseForStore(JsonCodec.MAPPER.readTree(c[0])))
                    .as(c[0])
                    .hasMessage("Failed to deserialize input from JSON. Error: `invalid value: \"" + c[1] + "\", "
                            + c[2] + "`");
            assertThat(parse(c[0])).as("loaded as stored before: " + c[0]).isNotNull();
        }
        AccessCondition loaded = parse("{\"Whitelist\":{\"accounts\":[\"Alice.near\",\"bob.near\"]}}");
        assertThat(loaded.allows("bob.near")).isTrue();
        assertThat(loaded.allows("alice.near")).isFalse();
        AccessCondition stored = AccessCondition.parseForStore(JsonCodec.MAPPER.readTree(
                "{\"Whitelist\":{\"accounts\":[\"alice.near\",\"a-b_c.near\",\"" + "0".repeat(64) + "\"]}}"));
        assertThat(stored.allows("a-b_c.near")).isTrue();
    }
}
