package dev.outlayer.bench.targetsystem.http.programs;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.keystore.SecretsRef;
import dev.outlayer.bench.targetsystem.linux.ProcessLimits;
import dev.outlayer.bench.targetsystem.linux.ProcessProfile;
import dev.outlayer.bench.targetsystem.linux.RunRequest;
import dev.outlayer.bench.targetsystem.rpc.AccountIds;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The bodies of the programs API (docs/linux-emulator.md), read by Jackson; each checks what
 * it can on its own and becomes the emulator's {@link RunRequest}s with the server's default limits.
 * Ours (no OutLayer counterpart): an optional member may be absent or null alike ({@code cold_start}
 * null is false, as it always was).
 */
final class ProgramRequests {
    private ProgramRequests() {}

    /**
     * {@code POST /programs/{name}/run}: {@code {argv, env, stdin | stdin_base64, secrets?,
     * limits:{max_instructions, max_memory_mb, max_seconds}, context?:{sender_id, predecessor_id,
     * contract_id}, cold_start?, profile?}}. {@code stdin} may be any JSON value: a string is passed as is,
     * anything else as its JSON text (stdin is usually JSON).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Run(
            List<String> argv,
            Map<String, String> env,
            JsonNode stdin,
            String stdinBase64,
            SecretsRef secrets,
            Limits limits,
            Context context,
            @JsonSetter(nulls = Nulls.AS_EMPTY) boolean coldStart,
            String profile) {
        /** An empty body: run with no arguments, no input and the default limits. */
        static final Run EMPTY = new Run(null, null, null, null, null, null, null, false, null);

        Run {
            requireOneStdin(stdin, stdinBase64);
        }

        /** {@code profile}: "linux" (the default) or "outlayer" (OutLayer's worker: no argv, no directory). */
        ProcessProfile processProfile() {
            return ProcessProfile.named(profile, ProcessProfile.LINUX);
        }

        RunRequest toRequest(ProcessLimits defaults) {
            Context ctx = context == null ? Context.NONE : context;
            return new RunRequest(
                    argv,
                    env,
                    decodeStdin(stdin, stdinBase64),
                    secrets,
                    Limits.orDefaults(limits, defaults),
                    ctx.senderId(),
                    ctx.predecessorId(),
                    ctx.contractId(),
                    coldStart);
        }
    }

    /**
     * {@code POST /pipelines/run}: {@code {stages:[{program, argv, env, limits}], stdin |
     * stdin_base64, secrets?, context?, cold_start?}}. The secrets and the NEAR context are the
     * pipeline's, shared by its stages; stdin goes to the first stage.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Pipeline(
            List<Stage> stages,
            JsonNode stdin,
            String stdinBase64,
            SecretsRef secrets,
            Context context,
            @JsonSetter(nulls = Nulls.AS_EMPTY) boolean coldStart) {
        Pipeline {
            if (stages == null || stages.isEmpty()) {
                throw ApiException.invalid("stages must be a non-empty array of {program, argv, env, limits}");
            }
            if (stages.stream().anyMatch(Objects::isNull)) {
                throw ApiException.invalid("every stage needs a program name");
            }
            requireOneStdin(stdin, stdinBase64);
        }

        List<String> programs() {
            return stages.stream().map(Stage::program).toList();
        }

        byte[] stdinBytes() {
            return decodeStdin(stdin, stdinBase64);
        }

        List<RunRequest> toRequests(ProcessLimits defaults) {
            Context ctx = context == null ? Context.NONE : context;
            // cold_start on the first stage is the form earlier versions read; the pipeline's is documented.
            boolean cold = coldStart || stages.get(0).coldStart();
            List<RunRequest> requests = new ArrayList<>(stages.size());
            for (Stage stage : stages) {
                requests.add(new RunRequest(
                        stage.argv(),
                        stage.env(),
                        null,
                        secrets,
                        Limits.orDefaults(stage.limits(), defaults),
                        ctx.senderId(),
                        ctx.predecessorId(),
                        ctx.contractId(),
                        cold));
            }
            return requests;
        }
    }

    /** One stage of a pipeline: {@code {program, argv, env, limits}}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Stage(
            String program,
            List<String> argv,
            Map<String, String> env,
            Limits limits,
            @JsonSetter(nulls = Nulls.AS_EMPTY) boolean coldStart) {
        Stage {
            if (program == null || program.isEmpty()) {
                throw ApiException.invalid("every stage needs a program name");
            }
        }
    }

    /** {@code limits}: each one optional (the server's default), each positive; the server's caps apply after. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Limits(Long maxInstructions, Long maxMemoryMb, Double maxSeconds) {
        Limits {
            if (maxInstructions != null && maxInstructions <= 0) {
                throw ApiException.invalid("limits.max_instructions must be a positive integer");
            }
            if (maxMemoryMb != null && maxMemoryMb <= 0) {
                throw ApiException.invalid("limits.max_memory_mb must be a positive integer");
            }
            if (maxSeconds != null && !(maxSeconds > 0)) {
                throw ApiException.invalid("limits.max_seconds must be a positive number");
            }
        }

        static ProcessLimits orDefaults(Limits limits, ProcessLimits defaults) {
            if (limits == null) {
                return defaults;
            }
            return new ProcessLimits(
                    limits.maxInstructions() != null ? limits.maxInstructions() : defaults.maxInstructions(),
                    limits.maxMemoryMb() != null
                            ? (int) Math.min(limits.maxMemoryMb(), Integer.MAX_VALUE)
                            : defaults.maxMemoryMb(),
                    limits.maxSeconds() != null ? limits.maxSeconds() : defaults.maxSeconds());
        }
    }

    /** {@code context}: the NEAR context the worker passes as environment variables. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Context(String senderId, String predecessorId, String contractId) {
        static final Context NONE = new Context(null, null, null);

        Context {
            requireAccountId("context.sender_id", senderId);
            requireAccountId("context.predecessor_id", predecessorId);
            requireAccountId("context.contract_id", contractId);
        }

        /** They become the process's NEAR_* variables: account ids, as the worker sets them. */
        private static void requireAccountId(String field, String id) {
            String problem = id == null || id.isEmpty() ? null : AccountIds.problem(id);
            if (problem != null) {
                throw ApiException.invalid(field + " must be a NEAR account id: " + problem);
            }
        }
    }

    private static boolean present(Object value) {
        return value != null && !(value instanceof JsonNode node && node.isNull());
    }

    private static void requireOneStdin(JsonNode stdin, String stdinBase64) {
        if (present(stdin) && present(stdinBase64)) {
            throw ApiException.invalid("give stdin or stdin_base64, not both");
        }
    }

    private static byte[] decodeStdin(JsonNode stdin, String stdinBase64) {
        if (present(stdinBase64)) {
            try {
                return Base64.getDecoder().decode(stdinBase64);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("stdin_base64 is not valid base64");
            }
        }
        if (present(stdin)) {
            return (stdin.isTextual() ? stdin.textValue() : stdin.toString()).getBytes(StandardCharsets.UTF_8);
        }
        return new byte[0];
    }
}
