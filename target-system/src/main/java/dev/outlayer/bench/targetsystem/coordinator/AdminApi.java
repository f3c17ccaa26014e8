package dev.outlayer.bench.targetsystem.coordinator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.http.Responses;
import dev.outlayer.bench.targetsystem.http.Routes;
import io.undertow.util.Methods;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Admin routes for the memory profile simulation, registered only with {@code --admin}:
 * {@code POST /admin/gc} runs a full GC and reports the heap in use after it, and
 * {@code GET /admin/heap} reports the heap without collecting.
 */
public final class AdminApi {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    public void register(Routes coordinator) {
        coordinator.route(Methods.POST, "/admin/gc", exchange -> exchange.dispatch(() -> {
            long before = memory.getHeapMemoryUsage().getUsed();
            long start = System.nanoTime();
            // Two passes: the first may only queue finalizable and weakly reachable objects.
            System.gc();
            System.gc();
            ObjectNode body = heap();
            body.put("heap_used_before_bytes", before);
            body.put("gc_ms", (System.nanoTime() - start) / 1_000_000.0);
            Responses.json(exchange, 200, body);
        }));
        coordinator.route(Methods.GET, "/admin/heap", exchange -> Responses.json(exchange, 200, heap()));
    }

    private ObjectNode heap() {
        var usage = memory.getHeapMemoryUsage();
        ObjectNode body = JsonCodec.object();
        body.put("heap_used_bytes", usage.getUsed());
        body.put("heap_committed_bytes", usage.getCommitted());
        body.put("heap_max_bytes", usage.getMax());
        return body;
    }
}
