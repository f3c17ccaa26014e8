package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.http.admin.AdminAuth;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Without {@code --admin-token} the admin read takes OutLayer's fallback token ({@code change-this-in-production}),
 * as OutLayer's coordinator does without {@code ADMIN_BEARER_TOKEN}, and refuses any other; the workers' store route
 * needs no token at all.
 */
class CompileLogsWithTheDefaultAdminTokenTest {
    @Test
    void onlyOutLayersFallbackTokenReadsTheLogs() throws Exception {
        TargetOptions options = LifecycleClient.options(0);
        try (LifecycleClient client = new LifecycleClient(options)) {
            HttpResponse<String> stored = LifecycleClient.HTTP.send(
                    HttpRequest.newBuilder(URI.create(client.system.coordinatorUrl() + "/internal/system-logs"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"request_id\":1,\"job_id\":5,\"log_type\":\"compilation\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);

            for (String token : new String[] {"anything", AdminAuth.OUTLAYER_DEFAULT_TOKEN + "x"}) {
                assertThat(read(client, token).statusCode()).as(token).isEqualTo(403);
            }
            HttpResponse<String> read = read(client, AdminAuth.OUTLAYER_DEFAULT_TOKEN);
            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
            assertThat(read.body()).contains("\"job_id\":5").contains("\"log_type\":\"compilation\"");
        }
    }

    private static HttpResponse<String> read(LifecycleClient client, String token) throws Exception {
        return LifecycleClient.HTTP.send(
                HttpRequest.newBuilder(URI.create(client.system.coordinatorUrl() + "/admin/compile-logs/5"))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
