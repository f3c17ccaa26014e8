package dev.outlayer.bench.targetsystem.keystore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.testing.HangGuard;
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
        assertThat(lock.denialMessage(0, other))
                .isEqualTo(AccessCondition.DENIED + ": this secret is locked to build " + build
                        + " and the running build is " + other);
        assertThat(lock.denialMessage(0, null))
                .as("a request that named no build blames no build")
                .isEqualTo(AccessCondition.DENIED);
        AccessCondition orOfBuilds = parse("{\"Logic\":{\"operator\":\"Or\",\"conditions\":[" + json
                + ",{\"WasmHash\":{\"hash\":\"" + "33".repeat(32) + "\"}}]}}");
        assertThat(orOfBuilds.denialMessage(0, other))
                .as("every branch refused over a build: the first")
                .contains(build);
        AccessCondition orWithAName = parse("{\"Logic\":{\"operator\":\"Or\",\"conditions\":["
                + "{\"Whitelist\":{\"accounts\":[\"bob.near\"]}}," + json + "]}}");
        assertThat(orWithAName.denialMessage(0, other))
                .as("a branch that says nothing of builds refused for its own reason")
                .isEqualTo(AccessCondition.DENIED);
        AccessCondition lockedAndLapsed = parse("{\"Logic\":{\"operator\":\"And\",\"conditions\":["
                + "{\"ValidUntil\":{\"until_ns\":\"1\"}}," + json + "]}}");
        assertThat(lockedAndLapsed.denialMessage(AccessCondition.nowNs(), other))
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
        assertThatThrownBy(() -> parse("{\"AccountPattern\":{\"pattern\":\"(a\"}}"))
                .hasMessageContaining("not a valid RE2");
        assertThatThrownBy(() -> parse("{\"AccountPattern\":{\"pattern\":\"(a)\\\\1\"}}"))
                .hasMessageContaining("not a valid RE2");
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
                .hasMessageContaining("NEAR account id");
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
}
