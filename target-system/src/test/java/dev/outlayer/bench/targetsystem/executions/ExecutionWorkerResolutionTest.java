package dev.outlayer.bench.targetsystem.executions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.testing.HangGuard;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What an {@link ExecutionWorker} tells the contract, against OutLayer's worker (main.rs
 * handle_execute_job, near_client.rs submit_execution_result, executor/mod.rs): the
 * compilation note and compile time, compile-only requests, output conversion, long errors.
 */
@Timeout(HangGuard.BOUND_SECONDS) // a hang guard: a worker that never ends its job
class ExecutionWorkerResolutionTest {
    private static final String CHECKSUM = "ab".repeat(32); // the checksum of JobStoreContractTest.task

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-04T05:00:00.123456789Z"));
    private final PhaseClock phases = new PhaseClock(new SimpleMeterRegistry(), 100);
    private final ExecutionWorkerTakeoverTest.RecordingChannel chain =
            new ExecutionWorkerTakeoverTest.RecordingChannel();
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService unused = Executors.newCachedThreadPool();
    private final InMemoryJobStore store = new InMemoryJobStore(Duration.ofSeconds(30), clock);

    @AfterEach
    void stop() {
        heartbeats.shutdownNow();
        unused.shutdownNow();
    }

    /**
     * Queues the task and works it as far as the worker goes: a compile moves it to the execute
     * queue, where the worker's next poll takes it (as OutLayer's complete_job pushes it).
     */
    private void handle(ExecutionTask task, CodeRunner runner) throws Exception {
        store.enqueue(task);
        ExecutionWorker worker =
                new ExecutionWorker("worker-a", store, runner, chain, phases, heartbeats, Duration.ZERO);
        for (Optional<ExecutionTask> next = store.poll(Duration.ZERO);
                next.isPresent();
                next = store.poll(Duration.ZERO)) {
            worker.handle(next.get());
        }
    }

    /** The last resolution's arguments. */
    private JsonNode sent() throws Exception {
        assertThat(chain.sent).isNotEmpty();
        return JsonCodec.MAPPER.readTree(chain.sent.get(chain.sent.size() - 1).argsJson());
    }

    private static ExecutionTask task(long id, String format, boolean compileOnly) {
        ExecutionTask t = JobStoreContractTest.task(id);
        return new ExecutionTask(
                t.requestId(),
                t.dataId(),
                t.codeSource(),
                t.resourceLimits(),
                compileOnly ? "" : t.inputData(),
                null,
                format,
                t.context(),
                t.userAccountId(),
                t.nearPaymentYocto(),
                t.transactionHash(),
                t.blockHeight(),
                compileOnly,
                false,
                false,
                null,
                null,
                null,
                null);
    }

    @Test
    void aFreshCompileIsChargedAndNotedAndACacheHitNamesTheCacheEntrysTime() throws Exception {
        Program program = new Program("hello".getBytes(StandardCharsets.UTF_8));
        handle(task(1, "Text", false), program);
        JsonNode fresh = sent().path("response");
        assertThat(fresh.path("compilation_note").asText()).isEqualTo("Freshly compiled");
        assertThat(fresh.path("resources_used").path("compile_time_ms").isIntegralNumber())
                .isTrue();
        assertThat(fresh.has("refund_usd") && fresh.get("refund_usd").isNull())
                .as("OutLayer's worker sends refund_usd: null (and counts it in the 1024-byte payload)")
                .isTrue();
        assertThat(fresh.path("output").path("Text").asText()).isEqualTo("hello");

        handle(task(2, "Text", false), program);
        JsonNode hit = sent().path("response");
        // OutLayer: "Cached WASM from {wasm_cache.created_at as chrono's to_rfc3339}"
        assertThat(hit.path("compilation_note").asText())
                .isEqualTo("Cached WASM from 2026-12-04T05:00:00.123456+00:00");
        assertThat(hit.path("resources_used").path("compile_time_ms").isNull()).isTrue();
    }

    @Test
    void aFailedCompileIsReportedWithOutLayersNoteAndNoCompileTime() throws Exception {
        handle(task(3, "Text", false), new ExecutionWorkerTakeoverTest.NoProgramRunner());
        JsonNode response = sent().path("response");
        assertThat(response.path("success").asBoolean(true)).isFalse();
        assertThat(response.path("error").asText())
                .isEqualTo("Compilation failed: no program in the registry for wasm hash " + CHECKSUM);
        assertThat(response.path("compilation_note").asText()).isEqualTo("Compilation failed");
        assertThat(response.path("resources_used").path("compile_time_ms").isNull())
                .as("OutLayer's executor reports a compile error with compile_time_ms None")
                .isTrue();
        assertThat(response.path("resources_used").path("time_ms").asLong()).isZero();
    }

    @Test
    void aCompileOnlyRequestIsCompiledAndNeverRunAndWithoutACompileResultNobodyResolvesIt() throws Exception {
        Program program = new Program("must not run".getBytes(StandardCharsets.UTF_8));
        handle(task(4, "Json", true), program);
        assertThat(program.runs.get()).as("runs of a compile-only request").isZero();
        assertThat(store.wasmCached(CHECKSUM)).isTrue();
        // OutLayer's worker leaves a compile result only when it published the wasm to FastFS (the
        // stand-in has none): its coordinator then queues nothing to execute, and the request waits
        // out its yield
        assertThat(chain.sent).as("resolutions").isEmpty();
        assertThat(store.jobs(4)).extracting(Job::jobType).containsExactly(JobType.COMPILE);
        assertThat(store.queueOf(4, task(4, "Json", true).dataId()))
                .as("finished")
                .isEmpty();
    }

    @Test
    void aCompileOnlyRequestWhoseCompilerLeftAResultIsResolvedWithItByTheExecutor() throws Exception {
        ExecutionTask compileOnly = task(10, "Json", true);
        store.enqueue(compileOnly);
        // an external compiler (the worker API) compiles and publishes to FastFS
        JobClaim compile = store.claim(
                        new ClaimRequest(10, compileOnly.dataId(), JobType.COMPILE, "ext-compiler", CHECKSUM))
                .orElseThrow();
        String published = "https://operator.test.near.fastfs.io/fastfs.near/" + CHECKSUM + ".wasm";
        assertThat(store.complete(compile, JobOutcome.compiled(12, CHECKSUM, "12000", published)))
                .isTrue();
        Program program = new Program("must not run".getBytes(StandardCharsets.UTF_8));
        ExecutionWorker worker =
                new ExecutionWorker("worker-a", store, program, chain, phases, heartbeats, Duration.ZERO);
        ExecutionTask moved =
                store.poll(Set.of(TaskQueue.EXECUTE), Duration.ZERO).orElseThrow();
        assertThat(moved.compileResult()).isEqualTo(published);
        worker.handle(moved);

        assertThat(program.runs.get()).isZero();
        JsonNode response = sent().path("response");
        // OutLayer worker's result-only branch: the compile result as Text, "Published to <url>"
        assertThat(response.path("success").asBoolean()).isTrue();
        assertThat(response.path("output").path("Text").asText()).isEqualTo(published);
        assertThat(response.path("compilation_note").asText()).isEqualTo("Published to " + published);
        assertThat(response.path("resources_used").path("instructions").asLong())
                .isZero();
        assertThat(response.path("resources_used").path("time_ms").asLong()).isZero();
        assertThat(response.path("resources_used").path("compile_time_ms").isNull())
                .isTrue();
        assertThat(store.jobs(10)).extracting(Job::status).containsExactly(JobStatus.COMPLETED, JobStatus.COMPLETED);
    }

    @Test
    void outputIsConvertedAsOutLayersExecutorConvertsIt() throws Exception {
        handle(task(5, "Json", false), new Program("not json".getBytes(StandardCharsets.UTF_8)));
        JsonNode response = sent().path("response");
        assertThat(response.path("success").asBoolean(true)).isFalse();
        assertThat(response.path("error").asText())
                .as("serde_json's words and position, as OutLayer's executor reports them")
                .isEqualTo("Failed to parse output as JSON: expected ident at line 1 column 2. Output was: not json")
                .doesNotContain("Source")
                .doesNotContain("REDACTED");

        handle(task(6, "Json", false), new Program(new byte[0]));
        assertThat(sent().path("response").path("error").asText())
                .as("empty stdout is no JSON value")
                .isEqualTo(
                        "Failed to parse output as JSON: EOF while parsing a value at line 1 column 0. Output was: ");

        handle(
                task(11, "Json", false),
                new Program(
                        "{\"b\":2e3,\"a\":{\"d\":1e-7,\"c\":[1.50,\"\\u001F\"]}}\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(new String(chain.sent.get(chain.sent.size() - 1).argsJson(), StandardCharsets.UTF_8))
                .as("the output as OutLayer's worker writes it (serde_json: sorted members, ryu's numbers)")
                .contains("\"output\":{\"Json\":{\"a\":{\"c\":[1.5,\"\\u001f\"],\"d\":1e-7},\"b\":2000.0}},");

        handle(task(7, "Text", false), new Program(new byte[] {'o', 'k', (byte) 0xff, 'x'}));
        assertThat(sent().path("response").path("output").path("Text").asText())
                .as("Rust's String::from_utf8 error, as OutLayer's executor words it")
                .isEqualTo("Invalid UTF-8 output: invalid utf-8 sequence of 1 bytes from index 2");
    }

    @Test
    void aLongErrorIsCutOnACharacterBoundaryAndSaysHowLongItWas() throws Exception {
        String error = "ж".repeat(600); // 1,200 bytes: byte 512 falls inside a letter
        handle(task(8, "Text", false), new Program(null, error));
        JsonNode args = sent();
        assertThat(chain.sent.get(chain.sent.size() - 1).method()).isEqualTo("resolve_execution");
        String cut = args.path("response").path("error").asText();
        assertThat(cut).isEqualTo("ж".repeat(256) + "... (truncated, original size: 1200 bytes)");
        assertThat(cut).doesNotContain("\uFFFD");
        assertThat(args.path("response")
                        .path("resources_used")
                        .path("instructions")
                        .asLong())
                .as("OutLayer's executor reports a failed run with instructions 0")
                .isZero();
        assertThat(args.path("response").path("resources_used").path("time_ms").asLong())
                .isEqualTo(1);
    }

    @Test
    void aFaultOfTheRunnerResolvesTheRequestInsteadOfLeavingItToBeHandedOutForever() throws Exception {
        CodeRunner faulty = new Program(new byte[0]) {
            @Override
            public RunResult run(String checksum, ExecutionTask task, String workerId) {
                throw new IllegalStateException("emulator bug at 0xdeadbeef");
            }
        };
        handle(task(9, "Text", false), faulty);
        JsonNode response = sent().path("response");
        assertThat(response.path("success").asBoolean(true)).isFalse();
        assertThat(response.path("error").asText())
                .isEqualTo("Execution failed: internal error")
                .doesNotContain("0xdeadbeef");
        assertThat(store.jobs(9))
                .filteredOn(j -> j.jobType() == JobType.EXECUTE)
                .singleElement()
                .satisfies(job -> {
                    assertThat(job.status()).isEqualTo(JobStatus.FAILED);
                    assertThat(job.errorCategory()).isEqualTo("execution_failed");
                });
        clock.advance(Duration.ofMinutes(1));
        assertThat(store.poll(Duration.ZERO)).as("the request is finished").isEmpty();

        CodeRunner brokenCompiler = new Program(new byte[0]) {
            @Override
            public void compile(String checksum, CodeSource source) {
                throw new IllegalArgumentException("unexpected section id 0x42");
            }
        };
        ExecutionTask other = new ExecutionTask(
                10,
                "data-10",
                CodeSource.wasmUrl("program://x", "cd".repeat(32), "wasm32-wasip1"),
                new ResourceLimits(1_000_000, 64, 10),
                "",
                null,
                "Text",
                context(),
                "alice.test.near",
                "1000",
                "tx10",
                42);
        handle(other, brokenCompiler);
        assertThat(sent().path("response").path("error").asText()).isEqualTo("Compilation failed: internal error");
    }

    /** A compiled program whose runs print {@code stdout}, or fail with {@code error}. */
    @Test
    void aStoreThatFailsIsPolledAgainAfterGrowingPausesNotAtOnce() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        AtomicBoolean down = new AtomicBoolean(true);
        JobStore failing = new ForwardingJobStore(store) {
            @Override
            public Optional<ExecutionTask> poll(Set<TaskQueue> queues, Duration timeout) throws InterruptedException {
                polls.incrementAndGet();
                if (down.get()) {
                    throw new IllegalStateException("the database is restarting");
                }
                return super.poll(queues, timeout);
            }
        };
        ExecutionWorker worker = new ExecutionWorker(
                "worker-a", failing, new Program(new byte[0]), chain, phases, heartbeats, Duration.ofMillis(10));
        Thread thread = new Thread(worker, "worker-a");
        thread.start();
        try {
            HangGuard.until(() -> polls.get() >= 3);
            Thread.sleep(1_000);
            // pauses of 100, 200, 400, 800 ms...: a handful of polls, where a loop without them makes
            // thousands (a busy machine makes fewer, never more)
            assertThat(polls.get()).as("polls while the store is down").isLessThan(10);
            down.set(false);
            int before = polls.get();
            HangGuard.until(() -> polls.get() > before + 5);
        } finally {
            worker.kill();
            thread.join(HangGuard.BOUND.toMillis());
        }
        assertThat(thread.isAlive()).isFalse();
    }

    static class Program implements CodeRunner {
        final AtomicInteger runs = new AtomicInteger();
        private final byte[] stdout;
        private final String error;
        private boolean compiled;

        Program(byte[] stdout) {
            this(stdout, null);
        }

        Program(byte[] stdout, String error) {
            this.stdout = stdout;
            this.error = error;
        }

        @Override
        public boolean compiled(String checksum) {
            return compiled;
        }

        @Override
        public void compile(String checksum, CodeSource source) {
            compiled = true;
        }

        @Override
        public RunResult run(String checksum, ExecutionTask task, String workerId) {
            runs.incrementAndGet();
            return error != null
                    ? new RunResult(false, new byte[0], error, "execution_failed", 10, 1)
                    : new RunResult(true, stdout, null, null, 1000, 2);
        }
    }

    static JsonNode context() {
        return JsonNodeFactory.instance.objectNode();
    }
}
