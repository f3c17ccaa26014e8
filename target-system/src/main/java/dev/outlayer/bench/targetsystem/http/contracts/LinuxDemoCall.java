package dev.outlayer.bench.targetsystem.http.contracts;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.outlayer.bench.targetsystem.http.ErrorHandler;
import dev.outlayer.bench.targetsystem.http.Responses;
import dev.outlayer.bench.targetsystem.http.ServerTiming;
import dev.outlayer.bench.targetsystem.linux.LinuxDemo;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code mode: "linux-demo"} on {@code /contracts/{account_id}/call} and {@code /view}: the browser
 * worker's demo path as {@link LinuxDemo} reproduces it. The waits are timers on the exchange's IO
 * thread, as the browser's are {@code setTimeout}s: concurrent calls overlap and hold no thread.
 */
final class LinuxDemoCall {
    /** Says what the answer is, in every answer. */
    static final String NOTE = "a reproduction of OutLayer's browser-worker Linux demo mode (linux-executor.js):"
            + " no contract code runs; 500 ms boot once, 100 ms per execution, 1,000,000 instructions reported";

    private final LinuxDemo demo = new LinuxDemo();

    /** The answer: the browser simulator's {@code {result, gasUsed, mode}} in this API's names. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Answer(
            String status,
            Result result,
            List<String> logs,
            long gasBurnt,
            long instructions,
            long syscalls,
            String mode,
            long executionTimeUs,
            boolean coldStart,
            long bootMs,
            String demo) {}

    record Result(String error, String stdout) {}

    void answer(HttpServerExchange exchange, String method, int wasmSize, boolean coldStart) {
        long start = System.nanoTime();
        long boot = demo.bootMillis(coldStart);
        ErrorHandler.dispatch(
                exchange,
                SameThreadExecutor.INSTANCE,
                () -> exchange.getIoThread()
                        .executeAfter(
                                () -> ErrorHandler.guard(exchange, () -> {
                                    long booted = System.nanoTime();
                                    if (boot > 0) {
                                        demo.booted(coldStart);
                                    }
                                    // Always written, 0 once booted: the server time is boot + exec.
                                    ServerTiming.of(exchange).add("boot", boot > 0 ? booted - start : 0);
                                    exchange.getIoThread()
                                            .executeAfter(
                                                    () -> ErrorHandler.guard(
                                                            exchange,
                                                            () -> respond(
                                                                    exchange, method, wasmSize, coldStart, boot,
                                                                    booted)),
                                                    LinuxDemo.EXECUTION_MILLIS,
                                                    TimeUnit.MILLISECONDS);
                                }),
                                boot,
                                TimeUnit.MILLISECONDS));
    }

    private static void respond(
            HttpServerExchange exchange, String method, int wasmSize, boolean coldStart, long bootMs, long execStart) {
        long execNanos = System.nanoTime() - execStart;
        ServerTiming.of(exchange).add("exec", execNanos);
        Responses.json(
                exchange,
                200,
                new Answer(
                        "success",
                        new Result(LinuxDemo.RESULT_ERROR, LinuxDemo.stdout(method, wasmSize)),
                        List.of(),
                        LinuxDemo.INSTRUCTIONS,
                        LinuxDemo.INSTRUCTIONS,
                        LinuxDemo.SYSCALLS,
                        "linux-demo",
                        execNanos / 1000,
                        coldStart,
                        bootMs,
                        NOTE));
    }
}
