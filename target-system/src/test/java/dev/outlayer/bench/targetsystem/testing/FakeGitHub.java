package dev.outlayer.bench.targetsystem.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local stand-in for GitHub's REST API (JDK HttpServer on the loopback address): each path and
 * query answers what the test said ({@link #answer}), anything else GitHub's 404. Every call is
 * recorded with the headers OutLayer's coordinator sends, so a test sees which calls were made.
 */
public final class FakeGitHub implements AutoCloseable {
    /** One call: its raw path and query, and its {@code User-Agent} and {@code Accept}. */
    public record Call(String pathAndQuery, String userAgent, String accept) {}

    private record Reply(int status, String body) {}

    private static final Reply NOT_FOUND = new Reply(
            404,
            "{\"message\":\"Not Found\",\"documentation_url\":\"https://docs.github.com/rest\",\"status\":\"404\"}");

    private final HttpServer server;
    private final String prefix;
    private final Map<String, Reply> replies = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    private FakeGitHub(String prefix) throws IOException {
        this.prefix = prefix;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                String raw = exchange.getRequestURI().getRawPath()
                        + (exchange.getRequestURI().getRawQuery() == null
                                ? ""
                                : "?" + exchange.getRequestURI().getRawQuery());
                String pathAndQuery = raw.startsWith(prefix) ? raw.substring(prefix.length()) : raw;
                calls.add(new Call(
                        pathAndQuery,
                        exchange.getRequestHeaders().getFirst("User-Agent"),
                        exchange.getRequestHeaders().getFirst("Accept")));
                Reply reply = replies.getOrDefault(pathAndQuery, NOT_FOUND);
                byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
                exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
                if (bytes.length > 0) {
                    exchange.getResponseBody().write(bytes);
                }
            }
        });
        server.start();
    }

    /** GitHub's API at the root of a local address. */
    public static FakeGitHub start() {
        return start("");
    }

    /** Under {@code prefix}, as a GitHub Enterprise's {@code /api/v3}: calls are recorded without it. */
    public static FakeGitHub start(String prefix) {
        try {
            return new FakeGitHub(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The API's base URL, {@code http://127.0.0.1:PORT} and the prefix. */
    public String url() {
        return "http://" + server.getAddress().getHostString() + ":"
                + server.getAddress().getPort() + prefix;
    }

    /** {@code pathAndQuery} (as sent, e.g. {@code /repos/o/r/branches?per_page=100}) answers {@code status} and {@code body}. */
    public void answer(String pathAndQuery, int status, String body) {
        replies.put(pathAndQuery, new Reply(status, body));
    }

    /** The calls so far, oldest first. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The paths and queries called so far, oldest first. */
    public List<String> paths() {
        return calls.stream().map(Call::pathAndQuery).toList();
    }

    public void clearCalls() {
        calls.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
