package dev.outlayer.bench.targetsystem.http.executions;

import static dev.outlayer.bench.targetsystem.http.executions.CoordinatorRequests.requireWorker;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.outlayer.bench.targetsystem.executions.ProjectUuids;
import dev.outlayer.bench.targetsystem.http.ErrorHandler;
import dev.outlayer.bench.targetsystem.http.Responses;
import dev.outlayer.bench.targetsystem.http.Routes;
import dev.outlayer.bench.targetsystem.keystore.WorkerTokens;
import io.undertow.util.Methods;

/**
 * OutLayer's project routes for workers (coordinator handlers/projects.rs, worker token): {@code GET
 * /projects/uuid?project_id=owner.near/name}, the uuid a project's storage is keyed by, and {@code
 * DELETE /projects/cache?project_id=...}, which forgets it (204).
 */
public final class ProjectRoutes {
    private ProjectRoutes() {}

    /** OutLayer's {@code ProjectUuidResponse}. */
    record Answer(
            @JsonProperty("project_id") String projectId,
            @JsonProperty("uuid") String uuid,
            @JsonProperty("active_version") String activeVersion,
            @JsonProperty("cached") boolean cached) {}

    public static void register(Routes routes, ProjectUuids projects, WorkerTokens workerTokens) {
        routes.route(Methods.GET, "/projects/uuid", exchange -> {
            requireWorker(exchange, workerTokens);
            String projectId = AxumQuery.required(exchange, "project_id");
            // a contract view on a miss: off the IO thread
            ErrorHandler.dispatch(exchange, () -> {
                ProjectUuids.Resolution project = projects.resolve(projectId);
                Responses.json(
                        exchange,
                        200,
                        new Answer(project.projectId(), project.uuid(), project.activeVersion(), project.cached()));
            });
        });
        routes.route(Methods.DELETE, "/projects/cache", exchange -> {
            requireWorker(exchange, workerTokens);
            projects.invalidate(AxumQuery.required(exchange, "project_id"));
            exchange.setStatusCode(204);
            exchange.endExchange();
        });
    }
}
