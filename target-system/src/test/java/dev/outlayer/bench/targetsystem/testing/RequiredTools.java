package dev.outlayer.bench.targetsystem.testing;

import dev.outlayer.bench.targetsystem.throttle.RedisServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class tagged {@code needs-<tool>} only when that tool is installed. Without it the
 * class is skipped, saying which tool is missing and how to install it, so that a newcomer can run
 * {@code mvn verify} without every tool; with {@code -Drequire.tools=true} (set by .ci/run) a
 * missing tool fails the class instead, so that CI never passes by skipping.
 *
 * <pre>{@code
 * @Tag(RequiredTools.REDIS)
 * @ExtendWith(RequiredTools.class)
 * class SomeRedisTest { ... }
 * }</pre>
 */
public final class RequiredTools implements ExecutionCondition {
    public static final String REDIS = "needs-redis";
    public static final String NODE = "needs-node";
    public static final String NEAR_API_JS = "needs-near-api-js";
    public static final String WAT2WASM = "needs-wat2wasm";
    public static final String POSTGRES = "needs-postgres";
    public static final String CHROMIUM = "needs-chromium";

    /** Debian's Chromium, where the report check also looks for it ({@code CHROMIUM} names another). */
    public static final Path CHROMIUM_BINARY = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

    /** How a skip for a missing tool begins; {@link MissingToolsSummary} lists them at the end of the run. */
    static final String SKIP_REASON = "not installed: ";

    /** Set to true to make a missing tool a failure rather than a skip. */
    public static final String REQUIRE_PROPERTY = "require.tools";

    private static final Path NODE_PROJECT = Path.of(System.getProperty("basedir", "."), "src", "test", "node");

    private enum Tool {
        redis(REDIS, "redis-server", () -> RedisServerProcess.binary().isPresent(), "apt-get install redis-server"),
        node(NODE, "node", () -> runs("node", "--version"), "apt-get install nodejs"),
        nearApiJs(
                NEAR_API_JS,
                "near-api-js",
                () -> Files.isDirectory(NODE_PROJECT.resolve("node_modules/near-api-js"))
                        && Files.isDirectory(NODE_PROJECT.resolve("node_modules/near-api-js-v5")),
                "npm ci --prefix target-system/src/test/node"),
        wat2wasm(WAT2WASM, "wat2wasm", () -> runs("wat2wasm", "--version"), "apt-get install wabt"),
        postgres(POSTGRES, "postgresql", PostgresServer::available, "apt-get install postgresql"),
        chromium(CHROMIUM, "chromium", () -> Files.isExecutable(CHROMIUM_BINARY), "apt-get install chromium");

        final String tag;
        final String what;
        final BooleanSupplier installed;
        final String install;

        Tool(String tag, String what, BooleanSupplier installed, String install) {
            this.tag = tag;
            this.what = what;
            this.installed = installed;
            this.install = install;
        }
    }

    /** Each tool is looked for once per test JVM. */
    private static final Map<Tool, Boolean> INSTALLED = new ConcurrentHashMap<>();

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        List<Tool> missing = context.getTags().stream()
                .filter(tag -> tag.startsWith("needs-"))
                .map(RequiredTools::tool)
                .filter(tool -> !INSTALLED.computeIfAbsent(tool, t -> t.installed.getAsBoolean()))
                .toList();
        if (missing.isEmpty()) {
            return ConditionEvaluationResult.enabled("every tool it needs is installed");
        }
        String what = missing.stream()
                .map(tool -> tool.what + " (" + tool.install + ")")
                .collect(Collectors.joining(", "));
        if (Boolean.getBoolean(REQUIRE_PROPERTY)) {
            throw new IllegalStateException(
                    "required with -D" + REQUIRE_PROPERTY + "=true (as in CI) but not installed: " + what);
        }
        return ConditionEvaluationResult.disabled(SKIP_REASON + what);
    }

    private static Tool tool(String tag) {
        for (Tool tool : Tool.values()) {
            if (tool.tag.equals(tag)) {
                return tool;
            }
        }
        throw new IllegalArgumentException("unknown tag " + tag + ": RequiredTools knows " + REDIS + ", " + NODE + ", "
                + NEAR_API_JS + ", " + WAT2WASM + ", " + POSTGRES + " and " + CHROMIUM);
    }

    private static boolean runs(String... command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
