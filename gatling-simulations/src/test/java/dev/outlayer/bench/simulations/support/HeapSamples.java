package dev.outlayer.bench.simulations.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * The target system's heap after a full GC, sampled through its admin endpoint (on only when the target runs
 * with {@code --admin}, as the embedded one does): {@code -Dmemory.adminPath} (default {@code POST /admin/gc})
 * answers JSON whose {@code -Dmemory.heapField} is the heap used after GC, in bytes.
 */
public final class HeapSamples {
    private static final String PATH = Params.string("memory.adminPath", "/admin/gc");
    private static final String FIELD = Params.string("memory.heapField", "heap_used_bytes");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One sample: after how many executions, and the heap used after GC then. */
    public record Sample(long executions, long heapUsedBytes) {
    }

    private final List<Sample> samples = new ArrayList<>();

    /** Runs a GC in the target and records the heap used after it, labelled with {@code executions} so far. */
    public ChainBuilder sample(String name, Function<Session, Long> executions) {
        return Observed.send(name, http(name).post(PATH).body(StringBody("{}"))
                .check(status().is(200), bodyString().transformWithSession((body, session) -> {
                    long heap = heapUsed(body);
                    synchronized (samples) {
                        samples.add(new Sample(executions.apply(session), heap));
                    }
                    return heap;
                }).gt(0L)));
    }

    private static long heapUsed(String body) {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(PATH + " did not answer JSON: " + body);
        }
        JsonNode value = node.path(FIELD);
        if (!value.isIntegralNumber()) {
            throw new IllegalStateException(PATH + " answered no integer " + FIELD + ": " + body);
        }
        return value.asLong();
    }

    public List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** Heap used after the last sample minus after the first, in bytes; NaN with fewer than two samples. */
    public double growthBytes() {
        List<Sample> all = samples();
        return all.size() < 2 ? Double.NaN : all.get(all.size() - 1).heapUsedBytes() - all.get(0).heapUsedBytes();
    }

    /** The samples as the spec prints them: executions, heap used after GC. */
    public String table() {
        StringBuilder table = new StringBuilder("Executions | Heap used after GC\n-----------|-------------------\n");
        for (Sample sample : samples()) {
            table.append(String.format(Locale.ROOT, "%10d | %12.2f MB%n", sample.executions(),
                    sample.heapUsedBytes() / 1024.0 / 1024.0));
        }
        return table.toString();
    }
}
