package dev.outlayer.bench.targetsystem.http.rpc;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;

/**
 * nearcore's permissive CORS (any origin; GET and POST; Authorization, Accept, Content-Type), so
 * near-api-js in a browser can call the emulator: the request's {@code Origin} is echoed on every
 * answer, and a preflight is answered here.
 */
final class NearcoreCors implements HttpHandler {
    private static final HttpString ALLOW_ORIGIN = HttpString.tryFromString("Access-Control-Allow-Origin");
    private static final HttpString ALLOW_METHODS = HttpString.tryFromString("Access-Control-Allow-Methods");
    private static final HttpString ALLOW_HEADERS = HttpString.tryFromString("Access-Control-Allow-Headers");
    private static final HttpString MAX_AGE = HttpString.tryFromString("Access-Control-Max-Age");

    private final HttpHandler next;

    NearcoreCors(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
        if (origin != null) {
            exchange.getResponseHeaders().put(ALLOW_ORIGIN, origin).put(Headers.VARY, "Origin");
            if (exchange.getRequestMethod().equals(Methods.OPTIONS)) {
                exchange.getResponseHeaders()
                        .put(ALLOW_METHODS, "GET, POST")
                        .put(ALLOW_HEADERS, "authorization, accept, content-type")
                        .put(MAX_AGE, "3600");
                exchange.setStatusCode(200);
                exchange.endExchange();
                return;
            }
        }
        next.handleRequest(exchange);
    }
}
