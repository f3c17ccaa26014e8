package dev.outlayer.bench.targetsystem.http.admin;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.outlayer.bench.targetsystem.http.ErrorHandler;
import dev.outlayer.bench.targetsystem.http.Responses;
import dev.outlayer.bench.targetsystem.http.Routes;
import io.undertow.util.Methods;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;

/**
 * Admin routes for the memory profile simulation, registered only with {@code --admin}:
 * {@code POST /admin/gc} runs a full GC and reports the heap in use after it, and
 * {@code GET /admin/heap} reports the heap without collecting.
 */
public final class AdminRoutes {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

    /** {@code GET /admin/heap}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Heap(long heapUsedBytes, long heapCommittedBytes, long heapMaxBytes) {
        static Heap of(MemoryUsage usage) {
            return new Heap(usage.getUsed(), usage.getCommitted(), usage.getMax());
        }
    }

    /** {@code POST /admin/gc}: the heap after the collection, the heap before it and how long it took. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Collected(
            long heapUsedBytes, long heapCommittedBytes, long heapMaxBytes, long heapUsedBeforeBytes, double gcMs) {}

    public void register(Routes coordinator) {
        // A full GC takes long enough that it must not stall an IO thread.
        coordinator.route(
                Methods.POST,
                "/admin/gc",
                exchange -> ErrorHandler.dispatch(exchange, () -> {
                    long before = memory.getHeapMemoryUsage().getUsed();
                    long start = System.nanoTime();
                    // Two passes: the first may only queue finalizable and weakly reachable objects.
                    System.gc();
                    System.gc();
                    double gcMs = (System.nanoTime() - start) / 1_000_000.0;
                    Heap after = Heap.of(memory.getHeapMemoryUsage());
                    Responses.json(
                            exchange,
                            200,
                            new Collected(
                                    after.heapUsedBytes(),
                                    after.heapCommittedBytes(),
                                    after.heapMaxBytes(),
                                    before,
                                    gcMs));
                }));
        coordinator.route(
                Methods.GET,
                "/admin/heap",
                exchange -> Responses.json(exchange, 200, Heap.of(memory.getHeapMemoryUsage())));
    }
}
