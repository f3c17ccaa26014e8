package dev.outlayer.bench.targetsystem.github;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.executions.ManualClock;
import dev.outlayer.bench.targetsystem.testing.FakeGitHub;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * OutLayer's branch resolution (coordinator handlers/github.rs {@code resolve_branch} and {@code
 * fetch_branch_from_github}) against a local stand-in for GitHub's REST API.
 */
class BranchResolverTest {
    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    private static final String REPO = "/repos/alice/agent";
    private static final String HEADS = REPO + "/commits/" + SHA + "/branches-where-head?per_page=100";
    private static final String LIST = REPO + "/branches?per_page=100";

    private final FakeGitHub github = FakeGitHub.start();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

    @AfterEach
    void stop() {
        github.close();
    }

    private BranchResolver resolver(int capacity) {
        return new BranchResolver(new GitHubApi(URI.create(github.url()), Duration.ofSeconds(10)), clock, capacity);
    }

    private BranchResolver resolver() {
        return resolver(BranchResolver.DEFAULT_CAPACITY);
    }

    private static String compare(String branch) {
        return REPO + "/compare/" + SHA + "..." + branch;
    }

    private static String failure(BranchResolver resolver, String repo, String commit, ApiException.Kind kind) {
        try {
            resolver.resolve(repo, commit);
        } catch (ApiException e) {
            assertThat(e.kind()).as(e.getMessage()).isEqualTo(kind);
            return e.getMessage();
        }
        throw new AssertionError("resolved " + repo + " " + commit);
    }

    @Test
    void aShaIsFortyOrSevenOrEightHexDigitsAndAnythingElseIsABranchName() {
        assertThat(BranchResolver.isSha(SHA)).isTrue();
        assertThat(BranchResolver.isSha(SHA.toUpperCase())).isTrue();
        assertThat(BranchResolver.isSha("abcdef0")).isTrue();
        assertThat(BranchResolver.isSha("abcdef01")).isTrue();
        for (String name :
                List.of("main", "c0ffee", "abcdef012", SHA + "0", SHA.substring(1), "abcdefg", "", "ａｂｃｄｅｆ０")) {
            assertThat(BranchResolver.isSha(name)).as(name).isFalse();
        }
    }

    @Test
    void aBranchNameIsTheAnswerWithoutACallAndIsKept() {
        BranchResolver resolver = resolver();
        assertThat(resolver.resolve("https://github.com/alice/agent.git", "main"))
                .isEqualTo(new BranchResolver.Resolution("main", "github.com/alice/agent", false));
        assertThat(resolver.resolve("alice/agent", "main"))
                .as("the same repository, normalised as OutLayer's parse_github_repo")
                .isEqualTo(new BranchResolver.Resolution("main", "github.com/alice/agent", true));
        assertThat(resolver.resolve("gitlab.com/alice/agent", "feature/x"))
                .as("any host: a branch name is no call")
                .isEqualTo(new BranchResolver.Resolution("feature/x", "gitlab.com/alice/agent", false));
        assertThat(github.calls()).isEmpty();
    }

    @Test
    void aRepositoryOutLayerCannotParseIsA400InItsWords() {
        BranchResolver resolver = resolver();
        assertThat(failure(resolver, "not-a-repo", "main", ApiException.Kind.INVALID))
                .startsWith("Invalid repo format: Invalid repository format: not-a-repo");
        assertThat(failure(resolver, "  ", "main", ApiException.Kind.INVALID))
                .isEqualTo("Invalid repo format: Repository URL cannot be empty");
        assertThat(failure(resolver, "https://github.com/alice/agent/", SHA, ApiException.Kind.INVALID))
                .startsWith("Invalid repo format: ");
        assertThat(github.calls()).isEmpty();
    }

    @Test
    void aShaThatHeadsBranchesIsMainOrMasterFirstElseTheFirst() {
        github.answer(
                HEADS, 200, "[{\"name\":\"feature\",\"commit\":{\"sha\":\"" + SHA + "\"}},{\"name\":\"master\"}]");
        BranchResolver resolver = resolver();
        assertThat(resolver.resolve("alice/agent", SHA))
                .isEqualTo(new BranchResolver.Resolution("master", "github.com/alice/agent", false));
        assertThat(github.calls())
                .containsExactly(
                        new FakeGitHub.Call(HEADS, "offchainvm-coordinator", "application/vnd.github.v3+json"));
        assertThat(resolver.resolve("alice/agent", SHA).cached()).isTrue();
        assertThat(github.calls()).as("kept: no second call").hasSize(1);

        String other = "abcdef0";
        github.answer(
                REPO + "/commits/" + other + "/branches-where-head?per_page=100",
                200,
                "[{\"name\":\"feature\"},{\"name\":\"release\"}]");
        assertThat(resolver.resolve("alice/agent", other).branch()).isEqualTo("feature");
    }

    @Test
    void aCommitGitHubDoesNotKnowHasNoBranchAndIsNotKept() {
        BranchResolver resolver = resolver();
        assertThat(resolver.resolve("alice/agent", SHA))
                .isEqualTo(new BranchResolver.Resolution(null, "github.com/alice/agent", false));
        assertThat(resolver.resolve("alice/agent", SHA).cached()).isFalse();
        assertThat(github.paths()).containsExactly(HEADS, HEADS);
    }

    @Test
    void aShaInHistoryIsFoundByComparingMainOrMasterFirstThenTheOthers() {
        github.answer(HEADS, 200, "[]");
        github.answer(LIST, 200, "[{\"name\":\"dev\"},{\"name\":\"feature/x\"},{\"name\":\"main\"}]");
        github.answer(compare("main"), 200, "{\"status\":\"ahead\",\"ahead_by\":1}");
        github.answer(compare("dev"), 404, "{\"message\":\"Not Found\"}");
        github.answer(compare("feature/x"), 200, "{\"status\":\"behind\"}");
        assertThat(resolver().resolve("alice/agent", SHA).branch()).isEqualTo("feature/x");
        assertThat(github.paths()).containsExactly(HEADS, LIST, compare("main"), compare("dev"), compare("feature/x"));

        github.clearCalls();
        github.answer(compare("main"), 200, "{\"status\":\"identical\"}");
        assertThat(resolver().resolve("alice/agent", SHA).branch()).isEqualTo("main");
        assertThat(github.paths()).containsExactly(HEADS, LIST, compare("main"));
    }

    @Test
    void noBranchHoldingItOrNoBranchListIsMain() {
        github.answer(HEADS, 200, "[]");
        github.answer(LIST, 200, "[{\"name\":\"dev\"},{\"name\":\"master\"}]");
        github.answer(compare("master"), 500, "oops");
        github.answer(compare("dev"), 200, "{\"status\":\"diverged\"}");
        assertThat(resolver().resolve("alice/agent", SHA).branch()).isEqualTo("main");

        github.answer(LIST, 403, "{\"message\":\"API rate limit exceeded\"}");
        BranchResolver resolver = resolver();
        assertThat(resolver.resolve("alice/agent", SHA))
                .isEqualTo(new BranchResolver.Resolution("main", "github.com/alice/agent", false));
        assertThat(resolver.resolve("alice/agent", SHA).cached())
                .as("an assumed main is kept as OutLayer keeps it")
                .isTrue();
    }

    @Test
    void gitHubsRefusalIsA404QuotingTheFirst200CharactersOfItsBody() {
        String body = "{\"message\":\"API rate limit exceeded for 127.0.0.1. " + "x".repeat(300) + "\"}";
        github.answer(HEADS, 403, body);
        BranchResolver resolver = resolver();
        assertThat(failure(resolver, "alice/agent", SHA, ApiException.Kind.NOT_FOUND))
                .isEqualTo("Failed to resolve branch: GitHub API error 403 Forbidden: " + body.substring(0, 200));
        assertThat(failure(resolver, "alice/agent", SHA, ApiException.Kind.NOT_FOUND))
                .as("a failure is not kept")
                .startsWith("Failed to resolve branch: GitHub API error 403");

        github.answer(HEADS, 200, "{\"name\":\"main\"}");
        assertThat(failure(resolver, "alice/agent", SHA, ApiException.Kind.NOT_FOUND))
                .isEqualTo("Failed to resolve branch: Failed to parse GitHub response: expected a JSON array of"
                        + " branches, each with a name");
        github.answer(HEADS, 200, "[]");
        github.answer(LIST, 200, "[{\"id\":1}]");
        assertThat(failure(resolver, "alice/agent", SHA, ApiException.Kind.NOT_FOUND))
                .startsWith("Failed to resolve branch: Failed to parse branches response: ");
        assertThat(resolver.branchOrNone("alice/agent", SHA))
                .as("the worker's fallback: no branch")
                .isNull();
    }

    @Test
    void anUnreachableGitHubIsA404InReqwestsWordsWithoutTheCause() {
        BranchResolver resolver = resolver();
        String url = github.url();
        github.close();
        String message = failure(resolver, "alice/agent", SHA, ApiException.Kind.NOT_FOUND);
        assertThat(message)
                .isEqualTo("Failed to resolve branch: GitHub API request failed: error sending request for url (" + url
                        + HEADS + ")")
                .doesNotContain("Exception")
                .doesNotContain("Connection refused");
        assertThat(resolver.branchOrNone("alice/agent", SHA)).isNull();
        assertThat(resolver.branchOrNone("alice/agent", "main"))
                .as("a branch name needs no GitHub")
                .isEqualTo("main");
    }

    @Test
    void onlyGitHubsRepositoriesAreAskedAndNamesArePercentEncoded() {
        BranchResolver resolver = resolver();
        assertThat(failure(resolver, "https://gitlab.com/alice/agent", SHA, ApiException.Kind.NOT_FOUND))
                .isEqualTo("Failed to resolve branch: Only github.com is supported, got: gitlab.com");
        assertThat(github.calls()).isEmpty();

        assertThat(resolver.resolve("alice/my agent?x#y", SHA).branch()).isNull();
        assertThat(github.paths())
                .containsExactly(
                        "/repos/alice/my%20agent%3Fx%23y/commits/" + SHA + "/branches-where-head?per_page=100");
    }

    @Test
    void aGitHubEnterpriseBaseKeepsItsPath() {
        try (FakeGitHub enterprise = FakeGitHub.start("/api/v3")) {
            enterprise.answer(HEADS, 200, "[{\"name\":\"main\"}]");
            BranchResolver resolver = new BranchResolver(
                    new GitHubApi(URI.create(enterprise.url() + "/"), Duration.ofSeconds(10)), clock, 10);
            assertThat(resolver.resolve("alice/agent", SHA).branch()).isEqualTo("main");
            assertThat(enterprise.paths()).containsExactly(HEADS);
        }
    }

    @Test
    void anAnswerIsKeptSevenDaysAndTheNewestAreKept() {
        github.answer(HEADS, 200, "[{\"name\":\"main\"}]");
        BranchResolver resolver = resolver(2);
        assertThat(resolver.resolve("alice/agent", SHA).cached()).isFalse();
        clock.advance(BranchResolver.CACHE_TTL.minusSeconds(1));
        assertThat(resolver.resolve("alice/agent", SHA).cached()).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(resolver.resolve("alice/agent", SHA).cached())
                .as("7 days on")
                .isFalse();
        assertThat(github.paths()).containsExactly(HEADS, HEADS);

        // the oldest answer goes first when more than the capacity are kept
        resolver.resolve("alice/agent", "dev");
        resolver.resolve("alice/agent", "release");
        assertThat(resolver.keptCount()).isEqualTo(2);
        assertThat(resolver.resolve("alice/agent", "dev").cached()).isTrue();
        assertThat(resolver.resolve("alice/agent", SHA).cached())
                .as("pushed out")
                .isFalse();
        assertThat(resolver.resolve("alice/agent", "release").cached()).isTrue();
        assertThat(resolver.resolve("alice/agent", "dev").cached())
                .as("the oldest, pushed out by the SHA")
                .isFalse();
    }
}
