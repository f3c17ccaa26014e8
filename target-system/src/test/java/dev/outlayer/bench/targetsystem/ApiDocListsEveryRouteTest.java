package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.http.Routes;
import dev.outlayer.bench.targetsystem.linux.TestPrograms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/target-system-api.md is the external interface: every route the coordinator and the keystore
 * register is named there, as its template ({@code /calls/{call_id}}), so a route added without its
 * documentation fails here.
 */
class ApiDocListsEveryRouteTest {
    @Test
    void everyRegisteredRouteIsNamedInTheApiDoc(@TempDir Path dir) throws Exception {
        String doc = Files.readString(TestPrograms.root().resolve("docs/target-system-api.md"));
        TargetOptions options = LifecycleClient.options(0);
        LifecycleClient.withKeystore(options, dir.resolve("ks"));
        options.compileCacheDir = dir.resolve("compiled").toString();
        try (TargetSystem system = TargetSystem.start(options)) {
            List<Routes.Route> routes = new ArrayList<>(system.coordinatorRoutes());
            routes.addAll(system.keystoreRoutes());
            assertThat(routes).as("registered routes").hasSizeGreaterThan(50);
            assertThat(routes)
                    .as("routes not named in docs/target-system-api.md")
                    .filteredOn(route -> !doc.contains(route.template()))
                    .isEmpty();
        }
    }
}
