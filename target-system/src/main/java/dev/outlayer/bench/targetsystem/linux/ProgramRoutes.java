package dev.outlayer.bench.targetsystem.linux;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.http.Routes;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.http.Responses;
import dev.outlayer.bench.targetsystem.http.TooLarge;
import dev.outlayer.bench.targetsystem.http.ServerTiming;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;
import io.undertow.util.PathTemplateMatch;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The emulator's HTTP API on the coordinator: {@code PUT /programs/{name}},
 * {@code POST /programs/{name}/run} and {@code POST /pipelines/run}. Bodies are read on the IO
 * thread; compiling and running happen on the emulator's process threads.
 */
public final class ProgramRoutes {
    private final LinuxEmulator emulator;
    private final long maxWasmBytes;
    private final long maxBodyBytes;

    private ProgramRoutes(LinuxEmulator emulator, long maxWasmBytes, long maxBodyBytes) {
        this.emulator = emulator;
        this.maxWasmBytes = maxWasmBytes;
        this.maxBodyBytes = maxBodyBytes;
    }

    public static void register(Routes coordinator, LinuxEmulator emulator, long maxWasmBytes, long maxBodyBytes) {
        ProgramRoutes routes = new ProgramRoutes(emulator, maxWasmBytes, maxBodyBytes);
        coordinator.route(Methods.PUT, "/programs/{name}", routes::upload);
        coordinator.route(Methods.POST, "/programs/{name}/run", routes::run);
        coordinator.route(Methods.POST, "/pipelines/run", routes::pipeline);
        coordinator.health("linux", emulator::health);
    }

    private void upload(HttpServerExchange exchange) {
        String name = pathParam(exchange, "name");
        receive(exchange, maxWasmBytes, body -> {
            long start = System.nanoTime();
            LinuxEmulator.ProgramInfo info = emulator.deploy(name, body);
            ServerTiming.of(exchange).since("compile", start);
            ObjectNode json = JsonCodec.object();
            json.put("name", info.name());
            json.put("sha256", info.sha256());
            json.put("size", info.size());
            Responses.json(exchange, 201, json);
        });
    }

    private void run(HttpServerExchange exchange) {
        String name = pathParam(exchange, "name");
        receive(exchange, maxBodyBytes, body -> {
            long start = System.nanoTime();
            RunRequest request = RunRequest.parse(parseJson(body), emulator.defaultLimits());
            ServerTiming.of(exchange).since("parse", start);
            Execution execution = emulator.run(name, request, ServerTiming.of(exchange));
            ServerTiming.of(exchange).add(execution.coldStart() ? "boot" : "queue", execution.queueNanos())
                    .add("exec", execution.outcome().wallNanos());
            ObjectNode json = describe(execution);
            Responses.json(exchange, execution.outcome().limitHit() ? 422 : 200, json);
        });
    }

    /** {@code {stages:[{program, argv, env, limits}], stdin | stdin_base64, secrets?, context?}}. */
    private void pipeline(HttpServerExchange exchange) {
        receive(exchange, maxBodyBytes, body -> {
            long start = System.nanoTime();
            JsonNode json = parseJson(body);
            JsonNode stagesNode = json.path("stages");
            if (!stagesNode.isArray() || stagesNode.isEmpty()) {
                throw new IllegalArgumentException("stages must be a non-empty array of {program, argv, env, limits}");
            }
            List<String> names = new ArrayList<>();
            List<RunRequest> stages = new ArrayList<>();
            for (JsonNode stage : stagesNode) {
                if (!stage.path("program").isTextual()) {
                    throw new IllegalArgumentException("every stage needs a program name");
                }
                names.add(stage.get("program").asText());
                ObjectNode merged = stage.deepCopy();
                // Secrets and NEAR context are the pipeline's, shared by its stages.
                if (json.has("secrets")) {
                    merged.set("secrets", json.get("secrets"));
                }
                if (json.has("context")) {
                    merged.set("context", json.get("context"));
                }
                stages.add(RunRequest.parse(merged, emulator.defaultLimits()));
            }
            byte[] stdin = RunRequest.stdin(json);
            ServerTiming.of(exchange).since("parse", start);
            long execStart = System.nanoTime();
            List<Execution> results = emulator.runPipeline(names, stages, stdin, ServerTiming.of(exchange));
            ServerTiming.of(exchange).add(results.get(0).coldStart() ? "boot" : "queue", results.get(0).queueNanos())
                    .since("exec", execStart);
            Responses.json(exchange, anyLimitHit(results) ? 422 : 200, describePipeline(results, System.nanoTime() - execStart));
        });
    }

    private static boolean anyLimitHit(List<Execution> results) {
        return results.stream().anyMatch(e -> e.outcome().limitHit());
    }

    static ObjectNode describe(Execution execution) {
        ProcessOutcome outcome = execution.outcome();
        ObjectNode json = JsonCodec.object();
        if (outcome.limitHit()) {
            json.put("status", "failure");
            ObjectNode error = json.putObject("error");
            error.put("kind", "limit_exceeded");
            error.put("limit", outcome.killedBy().limitName);
            error.put("message", "process " + outcome.pid() + " (" + execution.program() + ") exceeded "
                    + outcome.killedBy().limitName + " and was killed");
        }
        json.put("exit_code", outcome.exitCode());
        putOutput(json, "stdout", execution.stdout());
        putOutput(json, "stderr", execution.stderr());
        json.put("instructions", outcome.instructions());
        json.put("wasm_instructions", outcome.wasmInstructions());
        json.put("kernel_instructions", outcome.kernelInstructions());
        json.set("syscalls", JsonCodec.MAPPER.valueToTree(outcome.syscalls()));
        json.set("syscall_time_us", JsonCodec.MAPPER.valueToTree(outcome.syscallTimesMicros()));
        json.put("wall_time_us", outcome.wallNanos() / 1000);
        json.put("pid", outcome.pid());
        json.put("worker", execution.workerId());
        json.put("cold_start", execution.coldStart());
        if (outcome.trap() != null) {
            json.put("trap", outcome.trap());
        }
        if (execution.outputTruncated()) {
            json.put("output_truncated", true);
        }
        return json;
    }

    private static ObjectNode describePipeline(List<Execution> results, long wallNanos) {
        Execution last = results.get(results.size() - 1);
        ObjectNode json = JsonCodec.object();
        Execution killed = results.stream().filter(e -> e.outcome().limitHit()).findFirst().orElse(null);
        if (killed != null) {
            json.put("status", "failure");
            ObjectNode error = json.putObject("error");
            error.put("kind", "limit_exceeded");
            error.put("limit", killed.outcome().killedBy().limitName);
            error.put("stage", results.indexOf(killed));
            error.put("message", "stage " + results.indexOf(killed) + " (" + killed.program() + ") exceeded "
                    + killed.outcome().killedBy().limitName + " and was killed");
        }
        // Like a shell: the pipeline's status is the last stage's; pipefail is the last non-zero one.
        json.put("exit_code", last.outcome().exitCode());
        int pipefail = 0;
        for (Execution e : results) {
            if (e.outcome().exitCode() != 0) {
                pipefail = e.outcome().exitCode();
            }
        }
        json.put("pipefail_exit_code", pipefail);
        putOutput(json, "stdout", last.stdout());
        json.put("instructions", results.stream().mapToLong(e -> e.outcome().instructions()).sum());
        json.put("wall_time_us", wallNanos / 1000);
        ArrayNode stages = json.putArray("stages");
        for (Execution e : results) {
            ObjectNode stage = describe(e);
            stage.remove("stdout");
            stage.remove("stdout_base64");
            stage.put("program", e.program());
            stages.add(stage);
        }
        return json;
    }

    /** Text when the bytes are UTF-8; otherwise base64 in {@code <field>_base64}. */
    private static void putOutput(ObjectNode json, String field, byte[] bytes) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            json.put(field, text);
        } catch (CharacterCodingException e) {
            json.put(field, new String(bytes, StandardCharsets.UTF_8));
            json.put(field + "_base64", Base64.getEncoder().encodeToString(bytes));
        }
    }

    private static JsonNode parseJson(byte[] body) {
        if (body.length == 0) {
            return JsonCodec.object();
        }
        try {
            return JsonCodec.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("the body is not valid JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
    }

    static String pathParam(HttpServerExchange exchange, String name) {
        return exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY).getParameters().get(name);
    }

    /** What a handler does with the full body, on a process thread; its exceptions become JSON errors. */
    @FunctionalInterface
    interface BodyHandler {
        void handle(byte[] body) throws Exception;
    }

    private void receive(HttpServerExchange exchange, long maxBytes, BodyHandler handler) {
        if (exchange.getRequestContentLength() > maxBytes) {
            TooLarge.reject(exchange, "the body is larger than " + maxBytes + " bytes");
            return;
        }
        exchange.setMaxEntitySize(maxBytes);
        exchange.getRequestReceiver().receiveFullBytes(
                (ex, body) -> ex.dispatch(emulator.processThreads(), () -> respond(ex, handler, body)),
                (ex, error) -> Responses.error(ex, 413, "the body is larger than " + maxBytes + " bytes or could not be read: " + error.getMessage()));
    }

    private static void respond(HttpServerExchange exchange, BodyHandler handler, byte[] body) {
        try {
            handler.handle(body);
        } catch (InvalidProgram | IllegalArgumentException e) {
            Responses.error(exchange, 400, e.getMessage());
        } catch (LinuxEmulator.NoSuchProgram e) {
            Responses.error(exchange, 404, e.getMessage());
        } catch (LinuxEmulator.WorkersBusy e) {
            Responses.error(exchange, 503, e.getMessage());
        } catch (UnsupportedOperationException e) {
            Responses.error(exchange, 501, e.getMessage());
        } catch (LinuxEmulator.SecretsUnavailable e) {
            Responses.error(exchange, e.status, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Responses.error(exchange, 503, "the coordinator is shutting down");
        } catch (Exception e) {
            Responses.error(exchange, 500, "internal error: " + e);
        }
    }
}
