package dev.outlayer.bench.targetsystem.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/** Wraps a route so that every exchange is counted and timed by route and status. */
public final class RouteMetrics {
    private final MeterRegistry registry;
    private final String component;

    public RouteMetrics(MeterRegistry registry, String component) {
        this.registry = registry;
        this.component = component;
    }

    public HttpHandler timed(String route, HttpHandler next) {
        ConcurrentMap<Integer, Timer> byStatus = new ConcurrentHashMap<>();
        return exchange -> {
            long start = System.nanoTime();
            exchange.addExchangeCompleteListener(
                    (HttpServerExchange ex,
                            io.undertow.server.ExchangeCompletionListener.NextListener nextListener) -> {
                        try {
                            byStatus.computeIfAbsent(ex.getStatusCode(), status -> timer(route, status))
                                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                        } finally {
                            nextListener.proceed();
                        }
                    });
            next.handleRequest(exchange);
        };
    }

    private Timer timer(String route, int status) {
        return Timer.builder("outlayer_http_requests")
                .description("HTTP requests by component, route and status")
                .tag("component", component)
                .tag("route", route)
                .tag("status", Integer.toString(status))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }
}
