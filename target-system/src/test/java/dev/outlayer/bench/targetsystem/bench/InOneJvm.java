package dev.outlayer.bench.targetsystem.bench;

import java.io.FileOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs benchmark steps one after another in this JVM, for {@code bench/contract-calls.sh --quick}:
 * each JVM start costs the smoke its start and the JIT warm-up of the deploy path again. Steps are
 * separated by {@code ;}, each {@code <stdout file> <main class or "jmh"> [args...]}: a main
 * class of this package gets its args with its stdout in the file; {@code jmh} runs JMH with
 * command-line options (without forking, {@code -f 0}, it runs here; with {@code -foe true} a
 * failing benchmark fails the step). Between steps, a full collection, so a step does not pay for the last one's
 * garbage. The first failing step ends the run (exit 1).
 */
public final class InOneJvm {
    private InOneJvm() {}

    public static void main(String[] args) throws Exception {
        PrintStream console = System.out;
        for (List<String> step : steps(args)) {
            if (step.size() < 2) {
                throw new IllegalArgumentException("a step is <stdout file> <main class or jmh> [args...]: " + step);
            }
            String[] stepArgs = step.subList(2, step.size()).toArray(String[]::new);
            long start = System.nanoTime();
            try (PrintStream out = new PrintStream(new FileOutputStream(step.get(0)), true)) {
                System.setOut(out);
                if ("jmh".equals(step.get(1))) {
                    jmh(stepArgs);
                } else {
                    Class.forName(InOneJvm.class.getPackageName() + "." + step.get(1))
                            .getMethod("main", String[].class)
                            .invoke(null, (Object) stepArgs);
                }
            } finally {
                System.setOut(console);
            }
            System.err.printf(
                    "in-one-jvm %s: %.1f s%n",
                    String.join(" ", step.subList(1, Math.min(3, step.size()))), (System.nanoTime() - start) / 1e9);
            System.gc();
        }
    }

    private static void jmh(String[] args) throws Exception {
        // With -foe true a failing benchmark ends the run; without it JMH goes on to the next.
        if (new Runner(new CommandLineOptions(args)).run().isEmpty()) {
            throw new IllegalStateException("JMH gave no result: " + Arrays.toString(args));
        }
    }

    private static List<List<String>> steps(String[] args) {
        List<List<String>> steps = new ArrayList<>();
        List<String> step = new ArrayList<>();
        for (String arg : args) {
            if (";".equals(arg)) {
                steps.add(step);
                step = new ArrayList<>();
            } else {
                step.add(arg);
            }
        }
        if (!step.isEmpty()) {
            steps.add(step);
        }
        return steps;
    }
}
