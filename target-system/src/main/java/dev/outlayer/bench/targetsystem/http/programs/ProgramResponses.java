package dev.outlayer.bench.targetsystem.http.programs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.outlayer.bench.targetsystem.linux.Execution;
import dev.outlayer.bench.targetsystem.linux.OutlayerResult;
import dev.outlayer.bench.targetsystem.linux.ProcessOutcome;
import dev.outlayer.bench.targetsystem.linux.ProcessProfile;
import dev.outlayer.bench.targetsystem.linux.RunRequest;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** The answers of the programs API (docs/linux-emulator.md); absent fields are left out. */
final class ProgramResponses {
    private ProgramResponses() {}

    /**
     * One process's result: a whole run's answer, or one stage of a pipeline (then with its
     * {@code program} and without {@code stdout}, which went into the next stage).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Run(
            String status,
            LimitExceeded error,
            int exitCode,
            String stdout,
            String stdoutBase64,
            String stderr,
            String stderrBase64,
            long instructions,
            long wasmInstructions,
            long kernelInstructions,
            Map<String, Long> syscalls,
            Map<String, Double> syscallTimeUs,
            long wallTimeUs,
            int pid,
            int worker,
            boolean coldStart,
            String trap,
            Boolean outputTruncated,
            String program,
            String profile,
            Outlayer outlayer) {

        /** A whole run; with the outlayer profile also what OutLayer's worker would report of it. */
        static Run of(Execution execution, ProcessProfile profile, RunRequest request) {
            Run run = of(execution, true);
            if (profile != ProcessProfile.OUTLAYER) {
                return run;
            }
            OutlayerResult result = OutlayerResult.of(execution, request.stdin(), request.limits());
            return run.withProfile(
                    profile.apiName(), new Outlayer(result.success(), result.error(), result.instructions()));
        }

        static Run stageOf(Execution execution) {
            return of(execution, false);
        }

        private Run withProfile(String name, Outlayer result) {
            return new Run(
                    status,
                    error,
                    exitCode,
                    stdout,
                    stdoutBase64,
                    stderr,
                    stderrBase64,
                    instructions,
                    wasmInstructions,
                    kernelInstructions,
                    syscalls,
                    syscallTimeUs,
                    wallTimeUs,
                    pid,
                    worker,
                    coldStart,
                    trap,
                    outputTruncated,
                    program,
                    name,
                    result);
        }

        private static Run of(Execution execution, boolean wholeRun) {
            ProcessOutcome outcome = execution.outcome();
            LimitExceeded error = outcome.limitHit()
                    ? new LimitExceeded(
                            outcome.limitName(),
                            null,
                            "process " + outcome.pid() + " (" + execution.program() + ") exceeded "
                                    + outcome.limitName() + " and was killed")
                    : null;
            Output stdout = wholeRun ? Output.of(execution.stdout()) : Output.NONE;
            Output stderr = Output.of(execution.stderr());
            return new Run(
                    error == null ? null : "failure",
                    error,
                    outcome.exitCode(),
                    stdout.text(),
                    stdout.base64(),
                    stderr.text(),
                    stderr.base64(),
                    outcome.instructions(),
                    outcome.wasmInstructions(),
                    outcome.kernelInstructions(),
                    outcome.syscalls(),
                    outcome.syscallTimesMicros(),
                    outcome.wallNanos() / 1000,
                    outcome.pid(),
                    execution.workerId(),
                    execution.coldStart(),
                    outcome.trap(),
                    execution.outputTruncated() ? Boolean.TRUE : null,
                    wholeRun ? null : execution.program(),
                    null,
                    null);
        }
    }

    /**
     * {@code outlayer}: the run as OutLayer's worker reports it (its {@code ExecutionResult}):
     * success, its error text, and the fuel consumed (0 on failure).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Outlayer(boolean success, String error, long instructions) {}

    /**
     * A pipeline's result. Like a shell, its {@code exit_code} is the last stage's, and
     * {@code pipefail_exit_code} the last non-zero one.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Pipeline(
            String status,
            LimitExceeded error,
            int exitCode,
            int pipefailExitCode,
            String stdout,
            String stdoutBase64,
            long instructions,
            long wallTimeUs,
            List<Run> stages) {

        static Pipeline of(List<Execution> results, long wallNanos) {
            Execution last = results.get(results.size() - 1);
            LimitExceeded error = null;
            for (int i = 0; i < results.size() && error == null; i++) {
                Execution stage = results.get(i);
                if (stage.outcome().limitHit()) {
                    String limit = stage.outcome().limitName();
                    error = new LimitExceeded(
                            limit,
                            i,
                            "stage " + i + " (" + stage.program() + ") exceeded " + limit + " and was killed");
                }
            }
            int pipefail = 0;
            for (Execution stage : results) {
                if (stage.outcome().exitCode() != 0) {
                    pipefail = stage.outcome().exitCode();
                }
            }
            Output stdout = Output.of(last.stdout());
            return new Pipeline(
                    error == null ? null : "failure",
                    error,
                    last.outcome().exitCode(),
                    pipefail,
                    stdout.text(),
                    stdout.base64(),
                    results.stream().mapToLong(e -> e.outcome().instructions()).sum(),
                    wallNanos / 1000,
                    results.stream().map(Run::stageOf).toList());
        }

        boolean limitHit() {
            return error != null;
        }
    }

    /** {@code error} of a run or pipeline killed by a limit ({@code stage} only for pipelines). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record LimitExceeded(String kind, String limit, Integer stage, String message) {
        LimitExceeded(String limit, Integer stage, String message) {
            this("limit_exceeded", limit, stage, message);
        }
    }

    /** Output as text when it is UTF-8; otherwise the lossy text and the bytes in base64 as well. */
    private record Output(String text, String base64) {
        static final Output NONE = new Output(null, null);

        static Output of(byte[] bytes) {
            try {
                String text = StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes))
                        .toString();
                return new Output(text, null);
            } catch (CharacterCodingException e) {
                return new Output(
                        new String(bytes, StandardCharsets.UTF_8),
                        Base64.getEncoder().encodeToString(bytes));
            }
        }
    }
}
