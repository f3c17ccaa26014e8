package dev.outlayer.bench.targetsystem.http;

import dev.outlayer.bench.targetsystem.json.JsonCodec;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.server.HttpHandler;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** A listener's routes: health, metrics, and whatever each component's adapter registers; timed per route. */
public final class Routes {
    /** A registered route: its method and Undertow template. */
    public record Route(String method, String template) {}

    private final RoutingHandler routes = new RoutingHandler(false);
    private final List<Route> registered = new ArrayList<>();
    private final RouteMetrics metrics;
    private final Map<String, Supplier<Object>> healthChecks = new LinkedHashMap<>();

    public Routes(String component, PrometheusMeterRegistry registry) {
        this.metrics = new RouteMetrics(registry, component);
        route(Methods.GET, "/health", exchange -> {
            var body = JsonCodec.object();
            body.put("status", "ok");
            healthChecks.forEach((name, check) -> body.set(name, JsonCodec.MAPPER.valueToTree(check.get())));
            Responses.json(exchange, 200, body);
        });
        route(Methods.GET, "/metrics", exchange -> {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            exchange.getResponseSender().send(registry.scrape());
        });
        routes.setFallbackHandler(exchange -> Responses.error(
                exchange, 404, "no route for " + exchange.getRequestMethod() + " " + exchange.getRequestPath()));
        routes.setInvalidMethodHandler(exchange -> Responses.error(
                exchange, 405, exchange.getRequestMethod() + " is not allowed on " + exchange.getRequestPath()));
    }

    /** Adds a timed route; {@code template} uses Undertow's {name} placeholders. */
    public Routes route(HttpString method, String template, HttpHandler handler) {
        routes.add(method, template, metrics.timed(template, handler));
        registered.add(new Route(method.toString(), template));
        return this;
    }

    /** Every route added so far, in the order added. */
    public List<Route> registered() {
        return List.copyOf(registered);
    }

    /** Adds a named section to the /health body. */
    public Routes health(String name, Supplier<Object> check) {
        healthChecks.put(name, check);
        return this;
    }

    /** The root handler: every route behind the one {@link ErrorHandler}. */
    public HttpHandler handler() {
        return new ErrorHandler(routes);
    }
}
