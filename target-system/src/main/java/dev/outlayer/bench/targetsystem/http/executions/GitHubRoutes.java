package dev.outlayer.bench.targetsystem.http.executions;

import static dev.outlayer.bench.targetsystem.http.executions.CoordinatorRequests.requireWorker;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.outlayer.bench.targetsystem.github.BranchResolver;
import dev.outlayer.bench.targetsystem.http.ErrorHandler;
import dev.outlayer.bench.targetsystem.http.Responses;
import dev.outlayer.bench.targetsystem.http.Routes;
import dev.outlayer.bench.targetsystem.keystore.WorkerTokens;
import io.undertow.util.Methods;

/**
 * OutLayer's {@code GET /github/resolve-branch?repo=...&commit=...} (coordinator handlers/github.rs
 * {@code resolve_branch}; in its current router a worker-protected route, "only workers need it"):
 * the branch of a commit, {@code {branch, repo_normalized, cached}}.
 */
public final class GitHubRoutes {
    private GitHubRoutes() {}

    /** OutLayer's {@code ResolveBranchResponse}: {@code branch} is null when GitHub does not know the commit. */
    record Answer(
            @JsonProperty("branch") String branch,
            @JsonProperty("repo_normalized") String repoNormalized,
            @JsonProperty("cached") boolean cached) {}

    public static void register(Routes routes, BranchResolver branches, WorkerTokens workerTokens) {
        routes.route(Methods.GET, "/github/resolve-branch", exchange -> {
            requireWorker(exchange, workerTokens);
            String repo = AxumQuery.required(exchange, "repo");
            String commit = AxumQuery.required(exchange, "commit");
            // GitHub's API on a SHA: off the IO thread
            ErrorHandler.dispatch(exchange, () -> {
                BranchResolver.Resolution resolution = branches.resolve(repo, commit);
                Responses.json(
                        exchange,
                        200,
                        new Answer(resolution.branch(), resolution.repoNormalized(), resolution.cached()));
            });
        });
    }
}
