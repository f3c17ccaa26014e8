package dev.outlayer.bench.targetsystem.coordinator;

import dev.outlayer.bench.targetsystem.http.Json;
import dev.outlayer.bench.targetsystem.http.RouteMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.server.HttpHandler;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The coordinator's routes: health, metrics, and whatever each component registers. */
public final class Coordinator {
    private final RoutingHandler routes = new RoutingHandler(false);
    private final RouteMetrics metrics;
    private final Map<String, Supplier<Object>> healthChecks = new LinkedHashMap<>();

    public Coordinator(PrometheusMeterRegistry registry) {
        this.metrics = new RouteMetrics(registry, "coordinator");
        route(Methods.GET, "/health", exchange -> {
            var body = Json.object();
            body.put("status", "ok");
            healthChecks.forEach((name, check) -> body.set(name, Json.MAPPER.valueToTree(check.get())));
            Json.send(exchange, 200, body);
        });
        route(Methods.GET, "/metrics", exchange -> {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            exchange.getResponseSender().send(registry.scrape());
        });
        routes.setFallbackHandler(exchange -> Json.sendError(exchange, 404,
                "no route for " + exchange.getRequestMethod() + " " + exchange.getRequestPath()));
        routes.setInvalidMethodHandler(exchange -> Json.sendError(exchange, 405,
                exchange.getRequestMethod() + " is not allowed on " + exchange.getRequestPath()));
    }

    /** Adds a timed route; {@code template} uses Undertow's {name} placeholders. */
    public Coordinator route(HttpString method, String template, HttpHandler handler) {
        routes.add(method, template, metrics.timed(template, handler));
        return this;
    }

    /** Adds a named section to the /health body. */
    public Coordinator health(String name, Supplier<Object> check) {
        healthChecks.put(name, check);
        return this;
    }

    public HttpHandler handler() {
        return routes;
    }
}
