package dev.outlayer.bench.simulations.support;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.regex;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * The target system's heap after a full GC. A sample asks the admin endpoint (on only when the target runs
 * with {@code --admin}, as the embedded one does) to collect: {@code POST /admin/gc} (-Dmemory.adminPath)
 * answers {@code heap_used_bytes}, the heap in use when it replied. That figure also counts whatever other
 * threads allocated between the end of the GC and the reply (a fresh TLAB is enough to add megabytes), so the
 * sample then reads {@code jvm_gc_live_data_size_bytes} from {@code GET /metrics}: Micrometer's size of the
 * old generation right after that full collection, which holds every live object. Measured on an idle target,
 * the first varies by about 3 MB from one GC to the next, the second by about 10 KB. Without the metric the
 * sample falls back to {@code heap_used_bytes}.
 */
public final class HeapSamples {
    private static final String ADMIN_PATH = Params.string("memory.adminPath", "/admin/gc");
    private static final String USED = "heap.usedBytes";
    private static final String LIVE = "heap.liveBytes";

    /** One sample: after how many executions, the live heap after GC, and the heap used as the GC reply saw it. */
    public record Sample(long executions, long liveBytes, long usedBytes) {
    }

    private final List<Sample> samples = new ArrayList<>();
    private volatile boolean fellBack;

    /**
     * A full GC in the target whose result is not recorded. Objects that need finalizing or cleaning survive
     * the GC that finds them unreachable and go at the next one, once their finalizer has run: a GC before
     * the baseline sample lets the baseline start without them.
     */
    public ChainBuilder settle() {
        return Observed.send("admin: gc (settle)", http("admin: gc (settle)").post(ADMIN_PATH).body(StringBody("{}"))
                .check(status().is(200)));
    }

    /** Runs a full GC in the target and records the heap after it, labelled with the {@code executions} so far. */
    public ChainBuilder sample(Function<Session, Long> executions) {
        return exec(session -> session.remove(USED).remove(LIVE))
                .exec(Observed.send("admin: gc", http("admin: gc").post(ADMIN_PATH).body(StringBody("{}"))
                        .check(status().is(200), jsonPath("$.heap_used_bytes").ofLong().saveAs(USED))))
                .exec(Observed.send("metrics: live heap after GC", http("metrics: live heap after GC").get("/metrics")
                        .check(status().is(200),
                                regex("(?m)^jvm_gc_live_data_size_bytes\\s+(\\S+)").optional().saveAs(LIVE))))
                .exec(session -> {
                    if (session.contains(USED)) {
                        long used = session.getLong(USED);
                        long live = used;
                        if (session.contains(LIVE)) {
                            live = (long) Double.parseDouble(session.getString(LIVE));
                        } else {
                            fellBack = true;
                        }
                        synchronized (samples) {
                            samples.add(new Sample(executions.apply(session), live, used));
                        }
                    }
                    return session;
                });
    }

    public List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** Live heap after the last sample minus after the first, in bytes; NaN with fewer than two samples. */
    public double growthBytes() {
        List<Sample> all = samples();
        return all.size() < 2 ? Double.NaN : all.get(all.size() - 1).liveBytes() - all.get(0).liveBytes();
    }

    /** The samples as the spec prints them: executions, heap after GC. */
    public String table() {
        StringBuilder table = new StringBuilder(String.format(
                "Executions | Live heap after GC | Heap used at the GC's reply%n"
                        + "-----------|--------------------|----------------------------%n"));
        for (Sample sample : samples()) {
            table.append(String.format(Locale.ROOT, "%10d | %15.3f MB | %15.3f MB%n", sample.executions(),
                    sample.liveBytes() / 1024.0 / 1024.0, sample.usedBytes() / 1024.0 / 1024.0));
        }
        if (fellBack) {
            table.append(String.format(
                    "(/metrics has no jvm_gc_live_data_size_bytes: live heap = heap used at the reply)%n"));
        }
        return table.toString();
    }
}
