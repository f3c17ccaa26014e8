package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.http.HttpServer;
import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator's CORS layers as a browser reads them: headless Chromium loads a page from another origin
 * (a server of the test's own, on another port), whose script calls the coordinator and writes what it got
 * into the page, which Chromium prints. The HTTPS API's POST with {@code X-Payment-Key} goes through a real
 * preflight and its answer is readable; {@code GET /public/jobs} from an origin not in {@code
 * --cors-allowed-origins} is answered by the coordinator (a no-cors fetch reaches it) and withheld by the
 * browser; the same read from the listed origin (a frame of it in the page) is readable.
 */
@Tag(RequiredTools.CHROMIUM)
@ExtendWith(RequiredTools.class)
class CorsInChromiumTest {
    private static final Pattern OUTCOME = Pattern.compile("<p id=\"([a-z-]+)\">(.*?)</p>", Pattern.DOTALL);

    @TempDir
    Path dir;

    @Test
    void aBrowserReadsWhatEachLayerAllowsAndNothingElse() throws Exception {
        String[] coordinator = new String[1];
        try (HttpServer pages =
                HttpServer.start("pages", "127.0.0.1", 0, exchange -> page(exchange, coordinator[0]), 1000)) {
            // the page's own origin is not listed; the same server under another name is
            String page = "http://127.0.0.1:" + pages.port() + "/page.html";
            TargetOptions options = LifecycleClient.options(0);
            options.corsAllowedOrigins = "http://localhost:" + pages.port();
            try (TargetSystem system = TargetSystem.start(options)) {
                coordinator[0] = system.coordinatorUrl();
                Map<String, String> outcomes = outcomes(chromium(page));

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

    /** The page (origin 127.0.0.1) and the frame it holds (origin localhost), both calling the coordinator. */
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
                        + "<p id=\"call\">pending</p><p id=\"jobs-reached\">pending</p>"
                        + "<p id=\"jobs-stranger\">pending</p><p id=\"jobs-listed\">pending</p>"
                        + "<iframe src=\"http://localhost:" + port + "/frame.html\"></iframe>"
                        + "<script>" + script
                        + "const show = (id) => (text) => { document.getElementById(id).textContent = text; };\n"
                        + "window.addEventListener('message', (e) => show('jobs-listed')(e.data));\n"
                        + "outcome(fetch(api + '/call/alice.test.near/agent', {method: 'POST', body: '{\"input\": {}}',"
                        + " headers: {'Content-Type': 'application/json', 'X-Payment-Key': 'alice.test.near:1:"
                        + "ab".repeat(32) + "'}}))"
                        + ".then(show('call'));\n"
                        + "outcome(fetch(api + '/public/jobs', {mode: 'no-cors'})).then(show('jobs-reached'));\n"
                        + "outcome(fetch(api + '/public/jobs')).then(show('jobs-stranger'));\n"
                        + "</script></body></html>";
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html; charset=utf-8");
        exchange.getResponseSender().send(html, StandardCharsets.UTF_8);
    }

    /** Chromium's DOM of {@code url} once the page is idle; it writes only under the test's directory. */
    private String chromium(String url) throws IOException, InterruptedException {
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
                // virtual time runs ahead while the page is idle and waits while its fetches are out
                "--virtual-time-budget=10000",
                "--dump-dom",
                url));
        builder.environment().put("HOME", profile.toString());
        builder.environment().put("XDG_CONFIG_HOME", profile.toString());
        builder.environment().put("XDG_CACHE_HOME", profile.toString());
        builder.redirectError(dir.resolve("chromium.log").toFile());
        Process process = builder.start();
        try {
            byte[] dom = process.getInputStream().readAllBytes();
            assertThat(process.waitFor(60, TimeUnit.SECONDS))
                    .as("chromium ended")
                    .isTrue();
            assertThat(process.exitValue())
                    .as("chromium's exit; its log: %s", Files.readString(dir.resolve("chromium.log")))
                    .isZero();
            return new String(dom, StandardCharsets.UTF_8);
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Map<String, String> outcomes(String dom) {
        Map<String, String> outcomes = new HashMap<>();
        Matcher matcher = OUTCOME.matcher(dom);
        while (matcher.find()) {
            outcomes.put(
                    matcher.group(1),
                    matcher.group(2)
                            .replace("&lt;", "<")
                            .replace("&gt;", ">")
                            .replace("&quot;", "\"")
                            .replace("&amp;", "&"));
        }
        assertThat(outcomes).as("the page's outcomes in %s", dom).hasSize(4);
        return outcomes;
    }
}
