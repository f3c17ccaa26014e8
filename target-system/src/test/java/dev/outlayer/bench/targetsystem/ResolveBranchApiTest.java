package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outlayer.bench.targetsystem.testing.ErrorBodies;
import dev.outlayer.bench.targetsystem.testing.FakeGitHub;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * OutLayer's {@code GET /github/resolve-branch} (coordinator handlers/github.rs {@code resolve_branch}, a
 * worker route) through a running coordinator whose {@code --github-api-url} is a local GitHub stand-in:
 * OutLayer's {@code ResolveBranchResponse}, its 400 and 404 in its words, the worker token first.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResolveBranchApiTest {
    private static final String TOKEN = "resolve-branch-worker-token-0123";
    private static final String SHA = "fedcba9876543210fedcba9876543210fedcba98";
    private static final String HEADS = "/repos/alice/agent/commits/" + SHA + "/branches-where-head?per_page=100";

    private FakeGitHub github;
    private TargetSystem system;

    @BeforeAll
    void start() {
        github = FakeGitHub.start();
        TargetOptions options = LifecycleClient.options(0);
        options.workerToken = TOKEN;
        options.githubApiUrl = github.url();
        system = TargetSystem.start(options);
    }

    @AfterAll
    void stop() {
        if (system != null) {
            system.close();
        }
        github.close();
    }

    private HttpResponse<String> get(String query, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(system.coordinatorUrl() + "/github/resolve-branch" + query))
                .timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return LifecycleClient.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> resolve(String repo, String commit) throws Exception {
        return get(
                "?repo=" + URLEncoder.encode(repo, StandardCharsets.UTF_8) + "&commit="
                        + URLEncoder.encode(commit, StandardCharsets.UTF_8),
                TOKEN);
    }

    private static String error(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return ErrorBodies.message(response.body());
    }

    @Test
    void aBranchNameIsAnsweredAsItIsAndKept() throws Exception {
        int calls = github.calls().size();
        HttpResponse<String> first = resolve("https://github.com/alice/agent.git", "release-1");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.body())
                .isEqualTo(
                        "{\"branch\":\"release-1\",\"repo_normalized\":\"github.com/alice/agent\",\"cached\":false}");
        assertThat(resolve("alice/agent", "release-1").body())
                .isEqualTo("{\"branch\":\"release-1\",\"repo_normalized\":\"github.com/alice/agent\",\"cached\":true}");
        assertThat(github.calls()).as("a branch name is no call").hasSize(calls);
    }

    @Test
    void aShaIsAskedOfGitHubAndOneItDoesNotKnowHasANullBranch() throws Exception {
        github.answer(HEADS, 200, "[{\"name\":\"dev\"},{\"name\":\"main\"}]");
        assertThat(resolve("alice/agent", SHA).body())
                .isEqualTo("{\"branch\":\"main\",\"repo_normalized\":\"github.com/alice/agent\",\"cached\":false}");
        assertThat(github.calls())
                .contains(new FakeGitHub.Call(HEADS, "offchainvm-coordinator", "application/vnd.github.v3+json"));

        String unknown = "0000000";
        assertThat(resolve("github.com/alice/agent", unknown).body())
                .isEqualTo("{\"branch\":null,\"repo_normalized\":\"github.com/alice/agent\",\"cached\":false}");
    }

    @Test
    void aFailingGitHubIsOutLayers404AndABadRepositoryIts400() throws Exception {
        String sha = "1111111111111111111111111111111111111111";
        github.answer(
                "/repos/bob/tool/commits/" + sha + "/branches-where-head?per_page=100",
                502,
                "<html>bad gateway</html>");
        assertThat(error(resolve("bob/tool", sha), 404))
                .isEqualTo("Failed to resolve branch: GitHub API error 502 Bad Gateway: <html>bad gateway</html>");
        assertThat(error(resolve("https://gitlab.com/bob/tool", sha), 404))
                .isEqualTo("Failed to resolve branch: Only github.com is supported, got: gitlab.com");
        assertThat(error(resolve("not-a-repo", "main"), 400))
                .startsWith("Invalid repo format: Invalid repository format: not-a-repo");
        assertThat(error(resolve("", "main"), 400)).isEqualTo("Invalid repo format: Repository URL cannot be empty");
    }

    @Test
    void aGitHubApiUrlThatIsNoHttpUrlStopsTheStart() {
        for (String url : new String[] {"ftp://api.github.com", "api.github.com", "https://", "https://x/?a=1"}) {
            TargetOptions options = LifecycleClient.options(0);
            options.githubApiUrl = url;
            assertThatThrownBy(() -> TargetSystem.start(options).close())
                    .as(url)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("--github-api-url must be an http(s) URL such as https://api.github.com, not '" + url
                            + "'");
        }
    }

    @Test
    void aFinishedKeptBelowOneStopsTheStart() {
        TargetOptions options = LifecycleClient.options(0);
        options.finishedKept = 0;
        assertThatThrownBy(() -> TargetSystem.start(options).close())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--finished-kept must be at least 1, not 0");
    }

    @Test
    void theWorkerTokenComesFirstThenAxumsQuery() throws Exception {
        error(get("?repo=alice/agent&commit=main", null), 401);
        error(get("?repo=alice/agent&commit=main", "not-the-token"), 401);
        error(get("", null), 401);
        assertThat(error(get("?commit=main", TOKEN), 400))
                .isEqualTo("Failed to deserialize query string: missing field `repo`");
        assertThat(error(get("?repo=alice/agent", TOKEN), 400))
                .isEqualTo("Failed to deserialize query string: missing field `commit`");
        assertThat(error(get("?repo=a/b&repo=a/c&commit=main", TOKEN), 400))
                .isEqualTo("Failed to deserialize query string: duplicate field `repo`");
    }
}
