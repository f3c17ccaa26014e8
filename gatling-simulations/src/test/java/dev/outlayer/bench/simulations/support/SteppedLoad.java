package dev.outlayer.bench.simulations.support;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;

import dev.outlayer.bench.results.recorder.NoSamplesException;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.OpenInjectionStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * An open-model load whose arrival rate steps up ({@code startRps}, then times {@code factor} each
 * {@code step}), judged step by step: a step holds when the p99 client time of the calls that arrived in it is
 * under {@code sloMs} and under {@code maxErrorPercent} of them failed. The load breaks at the first step that
 * did not hold and whose next step did not hold either (or that is the last): one step's tail is its slowest
 * one or two calls, so a single pause (a GC, a JIT deoptimisation) must not end the curve, and two failing
 * steps in a row are a trend. The knee is the last step that held before the break. Once two steps in a row
 * failed, no more calls are sent (the arrivals go on, idle), so an overloaded target is not buried for the
 * rest of the plan.
 */
public final class SteppedLoad {
    /** One step's outcome: offered and completed rates, latency, errors, and whether it held. */
    public record Step(
            int index,
            double offeredRps,
            long arrived,
            long ok,
            double p50Ms,
            double p99Ms,
            double errorPercent,
            double completedRps,
            boolean held) {}

    private final String path;
    private final double startRps;
    private final double factor;
    private final Duration step;
    private final double sloMs;
    private final double maxErrorPercent;
    private final ConcurrentHistogram[] micros;
    private final AtomicLongArray arrived;
    private final AtomicLongArray ok;
    private final AtomicLong startNanos = new AtomicLong(Long.MIN_VALUE);
    private volatile boolean stopped;

    public SteppedLoad(
            String path,
            double startRps,
            double factor,
            int steps,
            Duration step,
            double sloMs,
            double maxErrorPercent) {
        this.path = path;
        this.startRps = startRps;
        this.factor = factor;
        this.step = step;
        this.sloMs = sloMs;
        this.maxErrorPercent = maxErrorPercent;
        this.micros = new ConcurrentHistogram[steps];
        for (int i = 0; i < steps; i++) {
            micros[i] = new ConcurrentHistogram(3);
        }
        this.arrived = new AtomicLongArray(steps);
        this.ok = new AtomicLongArray(steps);
    }

    public String path() {
        return path;
    }

    public double sloMs() {
        return sloMs;
    }

    /** The arrival rate of step {@code i}. */
    public double offeredRps(int i) {
        return startRps * Math.pow(factor, i);
    }

    /** The injection profile: one constant-rate block per step. */
    public OpenInjectionStep[] injection() {
        OpenInjectionStep[] steps = new OpenInjectionStep[micros.length];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = constantUsersPerSec(offeredRps(i)).during(step);
        }
        return steps;
    }

    /** {@code call} for each arrival, unless the load broke (two steps failed in a row); its outcome counts in its step. */
    public ChainBuilder measured(ChainBuilder call) {
        return exec(session -> session.set("step", stepOfArrival(System.nanoTime())))
                .doIf(session -> !stopped(session.getInt("step")))
                .then(exec(session -> {
                            arrived.incrementAndGet(session.getInt("step"));
                            return session;
                        })
                        .exec(call)
                        .exec(session -> {
                            Observation last = Observed.last(session);
                            int i = session.getInt("step");
                            if (last.ok()) {
                                ok.incrementAndGet(i);
                            }
                            micros[i].recordValue(Math.max(0, last.receivedNanos() - last.sentNanos()) / 1000);
                            return session;
                        }));
    }

    private int stepOfArrival(long nanos) {
        startNanos.compareAndSet(Long.MIN_VALUE, nanos);
        long index = (nanos - startNanos.get()) / step.toNanos();
        return (int) Math.min(index, micros.length - 1);
    }

    /** Whether the two steps before the previous one (their calls are done by now) both failed. */
    private boolean stopped(int i) {
        if (!stopped && i >= 3 && !step(i - 3).held() && !step(i - 2).held()) {
            stopped = true;
        }
        return stopped;
    }

    /** Step {@code i} as measured. */
    public Step step(int i) {
        long n = arrived.get(i);
        long good = ok.get(i);
        double p50 = micros[i].getTotalCount() == 0 ? Double.NaN : micros[i].getValueAtPercentile(50) / 1000.0;
        double p99 = micros[i].getTotalCount() == 0 ? Double.NaN : micros[i].getValueAtPercentile(99) / 1000.0;
        double errors = n == 0 ? Double.NaN : 100.0 * (n - good) / n;
        boolean held = n > 0 && p99 < sloMs && errors < maxErrorPercent;
        return new Step(i, offeredRps(i), n, good, p50, p99, errors, good / (step.toNanos() / 1e9), held);
    }

    /** Every step that received calls, in order. */
    public List<Step> steps() {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < micros.length && arrived.get(i) > 0; i++) {
            steps.add(step(i));
        }
        return steps;
    }

    /** The last step that held before the break (or the last step, if the load never broke). */
    public Step knee() {
        List<Step> steps = steps();
        Step broke = breakingStep();
        Step knee = null;
        for (Step s : steps) {
            if (broke != null && s.index() >= broke.index()) {
                break;
            }
            if (s.held()) {
                knee = s;
            }
        }
        if (knee == null) {
            throw new NoSamplesException("a step of the " + path + " load that held (p99 < " + number(sloMs)
                    + " ms, errors < " + number(maxErrorPercent) + "%): "
                    + (steps.isEmpty() ? "no calls" : "it broke at the first step"));
        }
        return knee;
    }

    /** Percentage of failed calls over every step that received calls. */
    public double errorPercent() {
        List<Step> steps = steps();
        long arrived = steps.stream().mapToLong(Step::arrived).sum();
        if (arrived == 0) {
            throw new NoSamplesException("calls of the " + path + " load");
        }
        return 100.0 * (arrived - steps.stream().mapToLong(Step::ok).sum()) / arrived;
    }

    /** The first step that did not hold whose next step did not hold either (or that is the last), or null. */
    public Step breakingStep() {
        List<Step> steps = steps();
        for (int i = 0; i < steps.size(); i++) {
            if (!steps.get(i).held()
                    && (i + 1 == steps.size() || !steps.get(i + 1).held())) {
                return steps.get(i);
            }
        }
        return null;
    }

    /** The curve as console lines, one per step, and the knee. */
    public String table() {
        StringBuilder out = new StringBuilder(String.format(
                Locale.ROOT,
                "%s (p99 SLO %s ms):%n  offered rps | completed rps | p50 ms | p99 ms | errors%n",
                path,
                number(sloMs)));
        for (Step s : steps()) {
            out.append(String.format(
                    Locale.ROOT,
                    "  %11.1f | %13.1f | %6.2f | %6.2f | %5.2f%% %s%n",
                    s.offeredRps(),
                    s.completedRps(),
                    s.p50Ms(),
                    s.p99Ms(),
                    s.errorPercent(),
                    s.held() ? "" : "did not hold"));
        }
        return out.toString();
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.3f", value).replaceAll("\\.?0+$", "");
    }
}
