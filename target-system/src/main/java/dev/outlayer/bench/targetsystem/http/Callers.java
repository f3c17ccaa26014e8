package dev.outlayer.bench.targetsystem.http;

import dev.outlayer.bench.targetsystem.http.proxy.ClientIdentity;
import dev.outlayer.bench.targetsystem.identity.Caller;
import dev.outlayer.bench.targetsystem.identity.CallerIdentities;
import io.undertow.server.HttpServerExchange;
import java.net.InetSocketAddress;

/** Who sent an exchange, from its API key (as the proxy reads it) and its peer address. */
public final class Callers {
    private final CallerIdentities identities;

    public Callers(CallerIdentities identities) {
        this.identities = identities;
    }

    /** The caller; an unknown API key is refused (401) by the identities. */
    public Caller of(HttpServerExchange exchange) {
        InetSocketAddress peer = (InetSocketAddress) exchange.getSourceAddress();
        String address = peer == null || peer.getAddress() == null
                ? "unknown"
                : peer.getAddress().getHostAddress();
        return identities.identify(ClientIdentity.apiKey(exchange), address);
    }
}
