package dev.outlayer.bench.targetsystem.http.proxy;

import io.undertow.protocols.ssl.UndertowXnioSsl;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.proxy.LoadBalancingProxyClient;
import io.undertow.server.handlers.proxy.ProxyHandler;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import javax.net.ssl.SSLContext;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;

/**
 * Forwards admitted requests to the upstream NEAR RPC with Undertow's non-blocking reverse proxy
 * and its pooled connections: no thread waits on the upstream.
 */
public final class UpstreamProxy {
    private static final HttpString X_API_KEY = HttpString.tryFromString("X-API-Key");
    /** No Nagle on pooled upstream connections: a request is one small write that must leave at once. */
    private static final OptionMap UPSTREAM_SOCKETS = OptionMap.create(Options.TCP_NODELAY, true);

    private final URI uri;
    private final String path;
    private final HttpHandler proxy;

    public UpstreamProxy(String url, long timeoutMillis) {
        this.uri = URI.create(url);
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("upstream RPC must be an absolute http(s) URL, was " + url);
        }
        this.path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        URI host = URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
        LoadBalancingProxyClient client = new LoadBalancingProxyClient()
                .setConnectionsPerThread(64)
                .setMaxQueueSize(4096)
                .setProblemServerRetry(1);
        if ("https".equalsIgnoreCase(uri.getScheme())) {
            try {
                client.addHost(
                        host,
                        null,
                        new UndertowXnioSsl(Xnio.getInstance(), OptionMap.EMPTY, SSLContext.getDefault()),
                        UPSTREAM_SOCKETS);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("no TLS available for " + url, e);
            }
        } else {
            client.addHost(host, null, null, UPSTREAM_SOCKETS);
        }
        this.proxy = ProxyHandler.builder()
                .setProxyClient(client)
                .setMaxRequestTime((int) Math.min(Integer.MAX_VALUE, timeoutMillis))
                .setRewriteHostHeader(true)
                .build();
    }

    /**
     * Sends the exchange upstream as-is but for what the upstream must not see: the coordinator's
     * own path and query, and the caller's API key.
     */
    public void forward(HttpServerExchange exchange) throws Exception {
        exchange.setRequestURI(path);
        exchange.setRequestPath(path);
        exchange.setRelativePath(path);
        exchange.setResolvedPath("");
        exchange.setQueryString("");
        exchange.getQueryParameters().clear();
        exchange.getRequestHeaders().remove(Headers.AUTHORIZATION);
        exchange.getRequestHeaders().remove(X_API_KEY);
        proxy.handleRequest(exchange);
    }

    public URI uri() {
        return uri;
    }
}
