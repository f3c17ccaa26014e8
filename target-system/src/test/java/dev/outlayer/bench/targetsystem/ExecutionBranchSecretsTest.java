package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.keystore.Ecies;
import dev.outlayer.bench.targetsystem.testing.FakeGitHub;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A GitHub source's secrets bound to one branch, as OutLayer's worker opens them (worker main.rs: {@code
 * api_client.resolve_branch(repo, commit)}, then {@code decrypt_secrets_from_contract(repo, branch, ...)},
 * "using wildcard (branch=None)" when the coordinator cannot resolve it): the in-process worker resolves the
 * commit's branch with the coordinator's resolver and injects the profile stored for that branch, and only
 * for it. A commit that names a branch needs no GitHub; a SHA is asked of a local GitHub stand-in.
 */
class ExecutionBranchSecretsTest {
    private static final String OWNER = "alice.test.near";
    private static final String REPO = "github.com/alice/env_json";
    private static final String SECRET = "BRANCH_SECRET";

    @TempDir
    Path dir;

    private static String request(String commit) {
        return "{\"source\":{\"GitHub\":{\"repo\":\"" + REPO + "\",\"commit\":\"" + commit
                + "\",\"build_target\":\"wasm32-wasip1\"}},\"resource_limits\":{\"max_instructions\":100000000,"
                + "\"max_execution_seconds\":5},\"input_data\":\"{}\",\"secrets_ref\":{\"profile\":\"ci\","
                + "\"account_id\":\"" + OWNER + "\"},\"response_format\":\"Json\"}";
    }

    /** The environment the program printed (env_json) for a request of {@code commit}. */
    private static JsonNode environmentOf(LifecycleClient client, String commit) throws Exception {
        JsonNode outcome = client.finalOutcome(client.requestExecutionWith(request(commit)));
        assertThat(outcome.path("status").has("SuccessValue"))
                .as("the run succeeded: %s", outcome)
                .isTrue();
        return JsonCodec.MAPPER.readTree(new String(
                Base64.getDecoder()
                        .decode(outcome.path("status").path("SuccessValue").asText()),
                StandardCharsets.UTF_8));
    }

    /** alice's profile {@code ci} of the repository, bound to {@code main}, as her dashboard stores it. */
    private static void storeMainOnlyProfile(LifecycleClient client) throws Exception {
        ObjectNode keyRequest =
                JsonCodec.object().put("repo", REPO).put("owner", OWNER).put("branch", "main");
        JsonNode key = JsonCodec.MAPPER.readTree(
                ExecutionSecretsTest.send("POST", client.system.keystoreUrl() + "/pubkey", null, keyRequest));
        ObjectNode store = JsonCodec.object()
                .put("repo", key.path("repo_normalized").asText())
                .put("branch", "main")
                .put(
                        "encrypted_secrets_base64",
                        Base64.getEncoder()
                                .encodeToString(Ecies.encrypt(
                                        HexFormat.of()
                                                .parseHex(key.path("pubkey").asText()),
                                        ("{\"" + SECRET + "\":\"only-main\"}").getBytes(StandardCharsets.UTF_8))))
                .put("access", "AllowAll");
        ExecutionSecretsTest.send(
                "PUT", client.system.keystoreUrl() + "/secrets/" + OWNER + "/ci", "test-api-key-123", store);
    }

    @Test
    void aBranchBoundProfileIsInjectedForItsBranchOnly() throws Exception {
        try (FakeGitHub github = FakeGitHub.start()) {
            TargetOptions options = LifecycleClient.fastBlocks(1);
            LifecycleClient.withKeystore(options, dir.resolve("ks"));
            options.githubApiUrl = github.url();
            try (LifecycleClient client = new LifecycleClient(options)) {
                client.upload("env_json");
                storeMainOnlyProfile(client);

                assertThat(environmentOf(client, "main").path(SECRET).asText())
                        .as("a commit naming the branch: its profile")
                        .isEqualTo("only-main");
                assertThat(environmentOf(client, "dev").has(SECRET))
                        .as("another branch: no profile for it, the program runs without")
                        .isFalse();
                assertThat(github.calls()).as("branch names are no calls").isEmpty();

                String onMain = "4242424242424242424242424242424242424242";
                github.answer(
                        "/repos/alice/env_json/commits/" + onMain + "/branches-where-head?per_page=100",
                        200,
                        "[{\"name\":\"main\"}]");
                assertThat(environmentOf(client, onMain).path(SECRET).asText())
                        .as("a SHA GitHub places on main")
                        .isEqualTo("only-main");

                String failing = "5151515151515151515151515151515151515151";
                github.answer(
                        "/repos/alice/env_json/commits/" + failing + "/branches-where-head?per_page=100",
                        500,
                        "{\"message\":\"Server Error\"}");
                assertThat(environmentOf(client, failing).has(SECRET))
                        .as("GitHub failed: no branch, so a main-only profile is not found")
                        .isFalse();
                assertThat(github.paths()).hasSize(2);
            }
        }
    }
}
