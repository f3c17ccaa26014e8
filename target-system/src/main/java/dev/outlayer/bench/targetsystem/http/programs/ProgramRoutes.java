package dev.outlayer.bench.targetsystem.http.programs;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.http.BodyReader;
import dev.outlayer.bench.targetsystem.http.Callers;
import dev.outlayer.bench.targetsystem.http.ErrorHandler;
import dev.outlayer.bench.targetsystem.http.Responses;
import dev.outlayer.bench.targetsystem.http.Routes;
import dev.outlayer.bench.targetsystem.http.ServerTiming;
import dev.outlayer.bench.targetsystem.identity.Caller;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.linux.Execution;
import dev.outlayer.bench.targetsystem.linux.LinuxEmulator;
import dev.outlayer.bench.targetsystem.linux.ProcessProfile;
import dev.outlayer.bench.targetsystem.linux.RunRequest;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;
import io.undertow.util.PathTemplateMatch;
import java.util.List;

/**
 * The Linux emulator's HTTP API on the coordinator: {@code PUT /programs/{name}},
 * {@code POST /programs/{name}/run} and {@code POST /pipelines/run}. Bodies are read on the IO
 * thread; parsing, compiling and running happen on the emulator's process threads (compiled wasm
 * needs their large stacks). Refusals are the emulator's ApiExceptions, answered by the listener's
 * ErrorHandler.
 */
public final class ProgramRoutes {
    private final LinuxEmulator emulator;
    private final BodyReader bodies;
    private final long maxWasmBytes;
    private final Callers callers;

    private ProgramRoutes(LinuxEmulator emulator, BodyReader bodies, long maxWasmBytes, Callers callers) {
        this.emulator = emulator;
        this.bodies = bodies;
        this.maxWasmBytes = maxWasmBytes;
        this.callers = callers;
    }

    /**
     * Adds the routes and the {@code linux} section of /health; run bodies up to {@code
     * maxBodyBytes}. {@code callers} says who runs (their share of the workers, and the verified
     * account their secrets are fetched for).
     */
    public static void register(
            Routes routes, LinuxEmulator emulator, long maxWasmBytes, long maxBodyBytes, Callers callers) {
        ProgramRoutes programs = new ProgramRoutes(emulator, new BodyReader(maxBodyBytes), maxWasmBytes, callers);
        routes.route(Methods.PUT, "/programs/{name}", programs::upload);
        routes.route(Methods.POST, "/programs/{name}/run", programs::run);
        routes.route(Methods.POST, "/pipelines/run", programs::pipeline);
        routes.health("linux", emulator::health);
    }

    private void upload(HttpServerExchange exchange) {
        String name = pathParam(exchange, "name");
        bodies.bytes(
                exchange,
                maxWasmBytes,
                (ex, wasm) -> onProcessThread(ex, () -> {
                    long start = System.nanoTime();
                    LinuxEmulator.ProgramInfo info = emulator.deploy(name, wasm);
                    ServerTiming.of(ex).since("compile", start);
                    Responses.json(ex, 201, info);
                }));
    }

    private void run(HttpServerExchange exchange) {
        String name = pathParam(exchange, "name");
        Caller caller = callers.of(exchange);
        bodies.bytes(
                exchange,
                (ex, body) -> onProcessThread(ex, () -> {
                    ServerTiming timing = ServerTiming.of(ex);
                    long start = System.nanoTime();
                    // An empty body is a run with no arguments, no input and the default limits.
                    ProgramRequests.Run parsed = body.length == 0
                            ? ProgramRequests.Run.EMPTY
                            : JsonCodec.read(body, ProgramRequests.Run.class);
                    RunRequest request = parsed.toRequest(emulator.defaultLimits());
                    ProcessProfile profile = parsed.processProfile();
                    timing.since("parse", start);
                    Execution execution = emulator.run(name, request, profile, caller, timing);
                    timing.add(execution.coldStart() ? "boot" : "queue", execution.queueNanos())
                            .add("exec", execution.outcome().wallNanos());
                    Responses.json(
                            ex,
                            execution.outcome().limitHit() ? 422 : 200,
                            ProgramResponses.Run.of(execution, profile, request));
                }));
    }

    private void pipeline(HttpServerExchange exchange) {
        Caller caller = callers.of(exchange);
        bodies.bytes(
                exchange,
                (ex, body) -> onProcessThread(ex, () -> {
                    ServerTiming timing = ServerTiming.of(ex);
                    long start = System.nanoTime();
                    ProgramRequests.Pipeline parsed = JsonCodec.read(body, ProgramRequests.Pipeline.class);
                    List<RunRequest> stages = parsed.toRequests(emulator.defaultLimits());
                    byte[] stdin = parsed.stdinBytes();
                    timing.since("parse", start);
                    long execStart = System.nanoTime();
                    List<Execution> results = emulator.runPipeline(parsed.programs(), stages, stdin, caller, timing);
                    timing.add(
                                    results.get(0).coldStart() ? "boot" : "queue",
                                    results.get(0).queueNanos())
                            .since("exec", execStart);
                    ProgramResponses.Pipeline response =
                            ProgramResponses.Pipeline.of(results, System.nanoTime() - execStart);
                    Responses.json(ex, response.limitHit() ? 422 : 200, response);
                }));
    }

    /** Runs {@code task} on a process thread; a run cut short by shutdown is a 503. */
    private void onProcessThread(HttpServerExchange exchange, ErrorHandler.Task task) {
        ErrorHandler.dispatch(exchange, emulator.processThreads(), () -> {
            try {
                task.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiException(ApiException.Kind.UNAVAILABLE, "the coordinator is shutting down");
            }
        });
    }

    private static String pathParam(HttpServerExchange exchange, String name) {
        return exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY)
                .getParameters()
                .get(name);
    }
}
