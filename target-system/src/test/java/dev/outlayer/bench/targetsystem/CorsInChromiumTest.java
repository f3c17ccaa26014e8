package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.http.HttpServer;
import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator's CORS layers as a browser reads them: headless Chromium loads a page from another origin
 * (a server of the test's own, on another port), whose script calls the coordinator and reports each outcome
 * back to that server, where the test waits for all four. The HTTPS API's POST with {@code X-Payment-Key}
 * goes through a real preflight and its answer is readable; {@code GET /public/jobs} from an origin not in
 * {@code --cors-allowed-origins} is answered by the coordinator (a no-cors fetch reaches it) and withheld by
 * the browser; the same read from the listed origin (a frame of it in the page) is readable.
 *
 * <p>The test waits for the reports themselves, not for Chromium's virtual time: the listed origin's frame
 * is another site, so it runs in a renderer of its own, whose fetch virtual time does not wait for (CI once
 * dumped the page before the frame had answered).
 */
@Tag(RequiredTools.CHROMIUM)
@ExtendWith(RequiredTools.class)
class CorsInChromiumTest {
    private static final List<String> OUTCOMES = List.of("call", "jobs-reached", "jobs-stranger", "jobs-listed");

    @TempDir
    Path dir;

    @Test
    void aBrowserReadsWhatEachLayerAllowsAndNothingElse() throws Exception {
        String[] coordinator = new String[1];
        Map<String, String> outcomes = new ConcurrentHashMap<>();
        CountDownLatch reported = new CountDownLatch(OUTCOMES.size());
        HttpHandler pages = exchange -> {
            if (exchange.getRequestPath().startsWith("/outcome/")) {
                String id = exchange.getRequestPath().substring("/outcome/".length());
                exchange.getRequestReceiver().receiveFullString((done, text) -> {
                    if (OUTCOMES.contains(id) && outcomes.putIfAbsent(id, text) == null) {
                        reported.countDown();
                    }
                    done.endExchange();
                });
            } else {
                page(exchange, coordinator[0]);
            }
        };
        try (HttpServer server = HttpServer.start("pages", "127.0.0.1", 0, pages, 1000)) {
            // the page's own origin is not listed; the same server under another name is
            String page = "http://127.0.0.1:" + server.port() + "/page.html";
            TargetOptions options = LifecycleClient.options(0);
            options.corsAllowedOrigins = "http://localhost:" + server.port();
            try (TargetSystem system = TargetSystem.start(options)) {
                coordinator[0] = system.coordinatorUrl();
                Process chromium = chromium(page);
                try {
                    assertThat(reported.await(60, TimeUnit.SECONDS))
                            .as(
                                    "the page reported all of %s within 60 s; it reported %s; chromium's log: %s",
                                    OUTCOMES, outcomes, chromiumLog())
                            .isTrue();
                } finally {
                    stop(chromium);
                }

                assertThat(outcomes.get("call"))
                        .as("the HTTPS API after its preflight: the answer (no such payment key) is readable")
                        .startsWith("answered 401 ")
                        .contains("\"error\"");
                assertThat(outcomes.get("jobs-reached"))
                        .as("the coordinator answers the page's origin (an opaque no-cors answer)")
                        .isEqualTo("answered opaque");
                assertThat(outcomes.get("jobs-stranger"))
                        .as("an origin not in --cors-allowed-origins: the browser withholds the answer")
                        .isEqualTo("refused TypeError");
                assertThat(outcomes.get("jobs-listed"))
                        .as("the listed origin reads the same route")
                        .isEqualTo("answered 200 []");
            }
        }
    }

    /**
     * The page (origin 127.0.0.1) and the frame it holds (origin localhost), both calling the coordinator; the
     * page posts each outcome to its own origin (same-origin, so CORS plays no part in the report).
     */
    private static void page(HttpServerExchange exchange, String coordinator) {
        String port = Integer.toString(exchange.getDestinationAddress().getPort());
        String script = "const api = '" + coordinator + "';\n"
                + "async function outcome(request) {\n"
                + "  try { const r = await request;\n"
                + "    return r.type === 'opaque' ? 'answered opaque' : 'answered ' + r.status + ' ' + await r.text(); }\n"
                + "  catch (e) { return 'refused ' + e.name; }\n"
                + "}\n";
        String html = exchange.getRequestPath().equals("/frame.html")
                ? "<script>" + script + "outcome(fetch(api + '/public/jobs')).then((t) => parent.postMessage(t, '*'));"
                        + "</script>"
                : "<!doctype html><html><body>"
                        + "<iframe src=\"http://localhost:" + port + "/frame.html\"></iframe>"
                        + "<script>" + script
                        + "const report = (id) => (text) => fetch('/outcome/' + id, {method: 'POST', body: text});\n"
                        + "window.addEventListener('message', (e) => report('jobs-listed')(e.data));\n"
                        + "outcome(fetch(api + '/call/alice.test.near/agent', {method: 'POST', body: '{\"input\": {}}',"
                        + " headers: {'Content-Type': 'application/json', 'X-Payment-Key': 'alice.test.near:1:"
                        + "ab".repeat(32) + "'}}))"
                        + ".then(report('call'));\n"
                        + "outcome(fetch(api + '/public/jobs', {mode: 'no-cors'})).then(report('jobs-reached'));\n"
                        + "outcome(fetch(api + '/public/jobs')).then(report('jobs-stranger'));\n"
                        + "</script></body></html>";
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html; charset=utf-8");
        exchange.getResponseSender().send(html, StandardCharsets.UTF_8);
    }

    /** Chromium showing {@code url} until stopped; it writes only under the test's directory. */
    private Process chromium(String url) throws IOException {
        Path profile = Files.createDirectories(dir.resolve("profile"));
        ProcessBuilder builder = new ProcessBuilder(List.of(
                RequiredTools.CHROMIUM_BINARY.toString(),
                "--headless",
                // the test's own page only; Chromium's sandbox does not start as root (as in CI)
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile,
                url));
        builder.environment().put("HOME", profile.toString());
        builder.environment().put("XDG_CONFIG_HOME", profile.toString());
        builder.environment().put("XDG_CACHE_HOME", profile.toString());
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.redirectError(dir.resolve("chromium.log").toFile());
        return builder.start();
    }

    private String chromiumLog() throws IOException {
        return Files.readString(dir.resolve("chromium.log"));
    }

    private static void stop(Process chromium) throws InterruptedException {
        chromium.descendants().forEach(ProcessHandle::destroyForcibly);
        chromium.destroyForcibly();
        chromium.waitFor(10, TimeUnit.SECONDS);
    }
}
