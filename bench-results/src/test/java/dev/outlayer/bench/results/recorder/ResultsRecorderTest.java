package dev.outlayer.bench.results.recorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.outlayer.bench.results.HistogramCodec;
import dev.outlayer.bench.results.MetricResult;
import dev.outlayer.bench.results.MetricResult.Attempt;
import dev.outlayer.bench.results.MetricResult.Source;
import dev.outlayer.bench.results.NamedValue;
import dev.outlayer.bench.results.ResultsFiles;
import dev.outlayer.bench.results.RunMerger;
import dev.outlayer.bench.results.RunMetadata;
import dev.outlayer.bench.results.RunResults;
import dev.outlayer.bench.results.VerdictResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsRecorderTest {

    private static final Instant START = Instant.parse("2026-11-28T05:00:00Z");
    private static final RunMetadata METADATA = new RunMetadata(
            "abc", "http://127.0.0.1:1", "Test 17", 2, "h", "Linux", null, null, null, null, null, null, null, null);

    private static RunResults results(ResultsRecorder recorder) {
        return recorder.results(
                "CounterSimulation",
                "countersimulation-1",
                START.plusSeconds(10),
                METADATA,
                Map.of("users", "1"),
                List.of());
    }

    /** A recorder whose nanoTime origin is {@link #START}, so that a response ending at epoch ms E has nanos (E - START) ms. */
    private static ResultsRecorder recorder() {
        return new ResultsRecorder(START, 0);
    }

    /** One response of {@code micros} that ended at epoch millisecond {@code endEpochMs}. */
    private static void record(
            ResultsRecorder recorder,
            String request,
            int status,
            boolean ok,
            long micros,
            long endEpochMs,
            String serverTiming) {
        long end = (endEpochMs - START.toEpochMilli()) * 1_000_000;
        recorder.record(request, status, ok, end - micros * 1_000, end, serverTiming);
    }

    @Test
    void clientTimesAndServerPhasesOfKnownInputs() {
        ResultsRecorder recorder = recorder();
        long t0 = START.toEpochMilli();
        // 100 first attempts of 1..100 ms, one ending every 10 ms; the last ten fail with 429.
        for (int i = 1; i <= 100; i++) {
            boolean ok = i <= 90;
            record(
                    recorder,
                    "status",
                    ok ? 200 : 429,
                    ok,
                    i * 1_000L,
                    t0 + 100 + i * 10L,
                    "throttle;dur=0." + String.format("%03d", i) + ", upstream;dur=1.000");
        }
        record(recorder, "status (retry)", 200, true, 7_000, t0 + 2_000, null);

        RunResults run = results(recorder);
        MetricResult first = run.metric("status").orElseThrow();
        assertThat(first.source()).isEqualTo(Source.CLIENT);
        assertThat(first.attempt()).isEqualTo(Attempt.FIRST);
        assertThat(first.count()).isEqualTo(100);
        assertThat(first.ok()).isEqualTo(90);
        assertThat(first.ko()).isEqualTo(10);
        assertThat(first.statusCounts()).containsEntry("200", 90L).containsEntry("429", 10L);
        assertThat(first.meanMs()).isEqualTo(50.5);
        assertThat(first.minMs()).isEqualTo(1.0);
        assertThat(first.maxMs()).isEqualTo(100.0);
        // Above 2048 us HdrHistogram's buckets are a few microseconds wide (3 significant digits).
        assertThat(first.p50Ms()).isBetween(50.0, 50.05);
        assertThat(first.p90Ms()).isBetween(90.0, 90.09);
        assertThat(first.p95Ms()).isBetween(95.0, 95.1);
        assertThat(first.p99Ms()).isBetween(99.0, 99.1);
        // The first exchange started at t0 + 110 - 1 ms, the last ended at t0 + 1100: 100 in 0.991 s.
        assertThat(first.throughputRps()).isEqualTo(100.908);

        MetricResult retry = run.metric("status (retry)").orElseThrow();
        assertThat(retry.attempt()).isEqualTo(Attempt.RETRY);
        assertThat(retry.request()).isEqualTo("status");
        assertThat(retry.count()).isEqualTo(1);
        assertThat(retry.p95Ms()).isEqualTo(7.0);

        MetricResult throttle = run.metric("status | throttle").orElseThrow();
        assertThat(throttle.source()).isEqualTo(Source.SERVER);
        assertThat(throttle.count()).isEqualTo(100);
        assertThat(throttle.minMs()).isEqualTo(0.001);
        assertThat(throttle.p50Ms()).isEqualTo(0.050);
        assertThat(throttle.p95Ms()).isEqualTo(0.095);
        assertThat(throttle.maxMs()).isEqualTo(0.100);
        assertThat(throttle.meanMs()).isEqualTo(0.051);
        MetricResult sum = run.metric("status | sum").orElseThrow();
        assertThat(sum.minMs()).isEqualTo(1.001);
        assertThat(sum.maxMs()).isEqualTo(1.100);
        assertThat(run.metrics())
                .extracting(MetricResult::id)
                .containsExactly("status", "status (retry)", "status | sum", "status | throttle", "status | upstream");
    }

    @Test
    void valuesAndSeries() {
        ResultsRecorder recorder = recorder();
        recorder.value("sustained_rate_rps", "rps", 98.5, NamedValue.Merge.SUM);
        recorder.point("heap_after_gc_mb", "MB", "executions", 200, 31);
        recorder.point("heap_after_gc_mb", "MB", "executions", 100, 30);
        RunResults run = results(recorder);
        assertThat(run.value("sustained_rate_rps").orElseThrow().value()).isEqualTo(98.5);
        assertThat(run.series("heap_after_gc_mb").orElseThrow().points())
                .extracting(p -> p.x())
                .containsExactly(100.0, 200.0);
    }

    @Test
    void theSimulationsReadWhatTheyRecordedWhileTheyRun() {
        ResultsRecorder recorder = recorder();
        // Ten calls of 2 ms, back to back from 1 s after the start, the last one failing its checks.
        for (int i = 0; i < 10; i++) {
            recorder.record(
                    "counter: increment (sequential)",
                    200,
                    i < 9,
                    1_000_000_000L + i * 2_000_000L,
                    1_000_000_000L + (i + 1) * 2_000_000L,
                    "queue;dur=0.010, exec;dur=0.500");
        }
        record(recorder, "status (retry)", 200, true, 3_000, START.toEpochMilli() + 5_000, null);

        assertThat(recorder.clientMicros("counter: increment (sequential)").getTotalCount())
                .isEqualTo(10);
        assertThat(recorder.clientMillis("counter: increment (sequential)", 50)).isEqualTo(2.0);
        assertThat(recorder.phaseMillis("counter: increment (sequential)", "exec", 95))
                .isEqualTo(0.5);
        assertThat(recorder.succeeded("counter: increment (sequential)")).isEqualTo(9);
        // 20 ms from the first sent to the last answered, measured to the microsecond.
        assertThat(recorder.spanSeconds("counter: increment (sequential)")).isEqualTo(0.020);
        assertThat(recorder.perSecond("counter: increment (sequential)")).isCloseTo(450.0, within(1e-9));
        // Retries are their own metric, found by the name Gatling gives them; nothing recorded is empty, not an error.
        assertThat(recorder.clientMillis("status (retry)", 100)).isCloseTo(3.0, within(0.002));
        assertThat(recorder.clientMicros("status").getTotalCount()).isZero();
        assertThat(recorder.spanSeconds("never sent")).isNaN();
    }

    @Test
    void aStatisticOfNothingIsNoNumberButAnErrorNamingWhatIsMissing() {
        ResultsRecorder recorder = recorder();
        recorder.record("run with secrets", 200, true, 1_000_000L, 2_000_000L, null);

        assertThatThrownBy(() -> recorder.phaseMillis("run with secrets", "decrypt", 95))
                .isInstanceOf(NoSamplesException.class)
                .hasMessageContaining("server phase 'decrypt' of 'run with secrets'");
        assertThatThrownBy(() -> recorder.clientMillis("never sent", 50))
                .isInstanceOf(NoSamplesException.class)
                .hasMessageContaining("client time of 'never sent'");
        assertThatThrownBy(() -> recorder.perSecond("never sent"))
                .isInstanceOf(NoSamplesException.class)
                .hasMessageContaining("never sent");
    }

    @Test
    void manyThreadsLoseNothing() throws Exception {
        ResultsRecorder recorder = recorder();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            done.add(pool.submit(() -> {
                for (int i = 1; i <= 10_000; i++) {
                    record(recorder, "status", 200, true, i, START.toEpochMilli() + i, "throttle;dur=0.002");
                }
            }));
        }
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        RunResults run = results(recorder);
        MetricResult status = run.metric("status").orElseThrow();
        assertThat(status.count()).isEqualTo(80_000);
        assertThat(status.sumUs()).isEqualTo(8L * 10_000 * 10_001 / 2);
        assertThat(HistogramCodec.decode(status.histogram()).getTotalCount()).isEqualTo(80_000);
        assertThat(run.metric("status | throttle").orElseThrow().count()).isEqualTo(80_000);
    }

    @Test
    void twoGeneratorsMergedEqualOneThatRecordedEverything() {
        ResultsRecorder a = recorder();
        ResultsRecorder b = new ResultsRecorder(START.plusSeconds(1), 1_000_000_000L);
        ResultsRecorder together = recorder();
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            String name = random.nextInt(10) == 0 ? "status (retry)" : "status";
            int status = random.nextInt(5) == 0 ? 429 : 200;
            long micros = 50 + (long) (random.nextDouble() * random.nextDouble() * 400_000);
            long end = START.toEpochMilli() + 500 + i;
            String timing = "throttle;dur=" + (random.nextInt(900) / 1000.0) + ", upstream;dur=" + (micros / 2000.0);
            record(i % 3 == 0 ? a : b, name, status, status == 200, micros, end, timing);
            record(together, name, status, status == 200, micros, end, timing);
        }
        RunResults merged = RunMerger.merge(List.of(results(a), results(b)));
        RunResults expected = results(together);

        assertThat(merged.metrics()).hasSameSizeAs(expected.metrics());
        for (MetricResult want : expected.metrics()) {
            MetricResult got = merged.metric(want.id()).orElseThrow();
            assertThat(got)
                    .usingRecursiveComparison()
                    .ignoringFields("histogram")
                    .isEqualTo(want);
            assertThat(HistogramCodec.decode(got.histogram())).isEqualTo(HistogramCodec.decode(want.histogram()));
        }
    }

    @Test
    void writesBesideTheGatlingRunOfThisSimulationOrApart(@TempDir Path gatling) throws Exception {
        Instant started = Instant.now();
        Path old = Files.createDirectories(gatling.resolve("countersimulation-20200101000000000"));
        Files.writeString(old.resolve("simulation.log"), "old");
        Files.setLastModifiedTime(old.resolve("simulation.log"), FileTime.from(started.minusSeconds(3_600)));
        Path other = Files.createDirectories(gatling.resolve("secretssimulation-20991231000000000"));
        Files.writeString(other.resolve("simulation.log"), "other simulation");

        RunFolder apart = RunFolder.find(gatling, "CounterSimulation", started);
        assertThat(apart.path().getParent()).isEqualTo(gatling.resolve(RunFolder.FALLBACK_DIR));
        assertThat(apart.runId()).startsWith("CounterSimulation-");

        Path current = Files.createDirectories(gatling.resolve("countersimulation-20261128050000123"));
        Files.writeString(current.resolve("simulation.log"), "this run");
        RunFolder beside = RunFolder.find(gatling, "CounterSimulation", started);
        assertThat(beside.path()).isEqualTo(current);
        assertThat(beside.runId()).isEqualTo("countersimulation-20261128050000123");

        ResultsRecorder recorder = recorder();
        record(recorder, "status", 200, true, 1_500, START.toEpochMilli() + 100, "throttle;dur=0.004");
        List<VerdictResult> verdicts = List.of(
                new VerdictResult("rate after the burst", 4.2, "rps", 4.5, 5.5, false),
                new VerdictResult("proxy overhead p50", null, "ms", null, 20.0, false));
        ResultsFiles.write(
                recorder.results("CounterSimulation", beside.runId(), Instant.now(), METADATA, Map.of(), verdicts),
                beside.path());
        RunResults written = ResultsFiles.read(current.resolve("results.json"));
        assertThat(written.metric("status | throttle").orElseThrow().p95Ms()).isEqualTo(0.004);
        assertThat(written.verdicts()).isEqualTo(verdicts);
        assertThat(Files.readString(current.resolve("results.csv")))
                .startsWith("simulation,run_id,kind,id,request,source,attempt,phase,count")
                .contains(
                        "CounterSimulation,countersimulation-20261128050000123,metric,status | throttle,status,server,all,throttle,1,1,0,0.004")
                .contains("CounterSimulation,countersimulation-20261128050000123,verdict,rate after the burst,"
                        + ",,,,,,,,,,,,,,,4.200,rps,false");
    }

    @Test
    void percentilesOverSeveralRequestsMergeTheirTimesAndMissingOnesAreNoSamples() {
        ResultsRecorder recorder = new ResultsRecorder(START, 0);
        long ms = 1_000_000;
        for (int i = 1; i <= 4; i++) {
            recorder.record("a", 200, true, 0, i * ms, "exec;dur=" + i + ".000");
            recorder.record("b", 200, true, 0, (10 + i) * ms, "exec;dur=" + (10 + i) + ".000");
        }
        // a: 1-4 ms, b: 11-14 ms; together the p50 is a's slowest, the p100 b's
        assertThat(recorder.clientMillis(50, "a", "b")).isCloseTo(4.0, within(0.01));
        assertThat(recorder.clientMillis(100, "a", "b")).isCloseTo(14.0, within(0.02));
        assertThat(recorder.phaseMillis("exec", 100, "a", "b")).isCloseTo(14.0, within(0.02));
        assertThat(recorder.clientMeanMillis("b")).isCloseTo(12.5, within(0.02));
        assertThatThrownBy(() -> recorder.clientMillis(95, "nobody", "nobody else"))
                .isInstanceOf(NoSamplesException.class);
        assertThatThrownBy(() -> recorder.clientMeanMillis("nobody")).isInstanceOf(NoSamplesException.class);
        assertThatThrownBy(() -> recorder.phaseMillis("exec", 95, "nobody")).isInstanceOf(NoSamplesException.class);
    }
}
