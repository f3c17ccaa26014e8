package dev.outlayer.bench.simulations.support;

import dev.outlayer.bench.results.recorder.Results;
import io.gatling.javaapi.core.PopulationBuilder;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** Helpers for simulations made of phases that run one after another. */
public final class Phases {
    private Phases() {}

    /**
     * The populations chained so that each starts when the one before it has finished. ({@code a.andThen(b)
     * .andThen(c)} would start b and c together; nesting from the end keeps them in order.)
     */
    public static PopulationBuilder inOrder(List<PopulationBuilder> populations) {
        PopulationBuilder chain = populations.get(populations.size() - 1);
        for (int i = populations.size() - 2; i >= 0; i--) {
            chain = populations.get(i).andThen(chain);
        }
        return chain;
    }

    public static PopulationBuilder inOrder(PopulationBuilder... populations) {
        return inOrder(List.of(populations));
    }

    /** One console line for a microsecond histogram: count, p50, p95, p99 and max in ms. */
    public static String line(String what, Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return what + ": no calls";
        }
        return String.format(
                Locale.ROOT,
                "%s: %d calls, p50 %.3f ms, p95 %.3f ms, p99 %.3f ms, max %.3f ms",
                what,
                micros.getTotalCount(),
                micros.getValueAtPercentile(50) / 1000.0,
                micros.getValueAtPercentile(95) / 1000.0,
                micros.getValueAtPercentile(99) / 1000.0,
                micros.getMaxValue() / 1000.0);
    }

    /** The client-side line of {@code request} and one per {@code Server-Timing} phase it reported. */
    public static void print(String request, String... serverPhases) {
        System.out.println(line(request, Results.recorder().clientMicros(request)));
        for (String phase : serverPhases) {
            Histogram histogram = Results.recorder().phaseMicros(request, phase);
            if (histogram.getTotalCount() > 0) {
                System.out.println(line("    server " + phase, histogram));
            }
        }
    }
}
