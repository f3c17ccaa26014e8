package dev.outlayer.bench.targetsystem.http;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;

/**
 * The connections a listener has accepted, so that stopping it can close them on their own I/O
 * threads before the threads stop (see {@link HttpServer#close}). Added once per connection, not per
 * request; closed ones are dropped every {@value #PRUNE_EVERY} additions, so the set stays about as
 * large as the connections that are open.
 */
final class OpenConnections {
    private static final int PRUNE_EVERY = 1024;

    private final Set<StreamConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger added = new AtomicInteger();

    void add(StreamConnection connection) {
        connections.add(connection);
        if (added.incrementAndGet() % PRUNE_EVERY == 0) {
            connections.removeIf(open -> !open.isOpen());
        }
    }

    /** Closes each connection on its I/O thread, once that thread is done with what it is doing now. */
    void closeAll() {
        for (StreamConnection connection : connections) {
            connection.getIoThread().execute(() -> IoUtils.safeClose(connection));
        }
        connections.clear();
    }
}
