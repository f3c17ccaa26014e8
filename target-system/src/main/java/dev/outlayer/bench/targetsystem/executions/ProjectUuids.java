package dev.outlayer.bench.targetsystem.executions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * OutLayer's project UUID resolution for workers (coordinator handlers/projects.rs): a project id
 * ({@code owner.near/name}) to the uuid its storage is keyed by and its active version, from the
 * contract's {@code get_project}. A project's uuid never changes, so an answer is kept until it is
 * invalidated (OutLayer keeps it in Redis, forever); only projects that exist are kept.
 */
public final class ProjectUuids {
    /** The answer, and whether it came from what was kept. */
    public record Resolution(String projectId, String uuid, String activeVersion, boolean cached) {}

    private record Known(String uuid, String activeVersion) {}

    private final ContractViews views;
    private final Map<String, Known> known = new ConcurrentHashMap<>();

    public ProjectUuids(ContractViews views) {
        this.views = views;
    }

    /** 404 for a project the contract does not hold; 502 when the contract cannot be read. */
    public Resolution resolve(String projectId) {
        Known kept = known.get(projectId);
        if (kept != null) {
            return new Resolution(projectId, kept.uuid(), kept.activeVersion(), true);
        }
        JsonNode project = views.view(
                        "get_project",
                        JsonCodec.object().put("project_id", projectId).toString())
                .orElseThrow(() -> new ApiException(
                        ApiException.Kind.BAD_GATEWAY, "Contract query failed: the contract cannot be read"));
        if (!project.isObject()) {
            throw ApiException.notFound("Project not found: " + projectId);
        }
        Known fresh = new Known(
                project.path("uuid").asText(), project.path("active_version").asText());
        known.put(projectId, fresh);
        return new Resolution(projectId, fresh.uuid(), fresh.activeVersion(), false);
    }

    /** OutLayer's {@code invalidate_project_cache}, called when a project is deleted. */
    public void invalidate(String projectId) {
        known.remove(projectId);
    }
}
