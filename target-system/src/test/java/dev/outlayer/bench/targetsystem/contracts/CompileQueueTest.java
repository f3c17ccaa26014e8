package dev.outlayer.bench.targetsystem.contracts;

import static dev.outlayer.bench.targetsystem.contracts.TestContracts.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wasm.Parser;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import dev.outlayer.bench.targetsystem.testing.HangGuard;
import dev.outlayer.bench.targetsystem.testing.LeakGuard;
import dev.outlayer.bench.targetsystem.wasm.CompiledCodeCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compilation order (waited-for modules first, at once) and compiled classes kept on disk. */
class CompileQueueTest {
    @TempDir
    Path cacheDir;

    private final CountDownLatch started = new CountDownLatch(1);

    /** The first compilation, holding the only thread until {@code gate} opens. */
    private Runnable holding(List<String> order, String name, CountDownLatch gate) {
        Runnable inner = recording(order, name, gate);
        return () -> {
            started.countDown();
            inner.run();
        };
    }

    private static Runnable recording(List<String> order, String name, CountDownLatch gate) {
        return () -> {
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            order.add(name);
        };
    }

    @Test
    void aModuleACallWaitsForIsCompiledBeforeModulesNobodyCalls() throws Exception {
        CompileQueue queue = new CompileQueue(1, 0); // no urgent threads: only the order can help
        CountDownLatch busy = new CountDownLatch(1);
        List<String> order = new CopyOnWriteArrayList<>();
        queue.submit(holding(order, "running", busy));
        started.await(10, TimeUnit.SECONDS);
        CountDownLatch open = new CountDownLatch(0);
        queue.submit(recording(order, "a", open));
        queue.submit(recording(order, "b", open));
        CompileQueue.Job called = queue.submit(recording(order, "called", open));
        queue.submit(recording(order, "c", open));
        AutoCloseable waiting = called.callWaiting();
        busy.countDown();
        waitFor(() -> order.size() == 5);
        waiting.close();
        assertThat(order).containsExactly("running", "called", "a", "b", "c");
    }

    @Test
    void whenEveryCompilerThreadIsBusyAModuleACallKeepsWaitingForGetsAThreadOfItsOwn() throws Exception {
        CompileQueue queue = new CompileQueue(1, 1);
        CountDownLatch busy = new CountDownLatch(1);
        List<String> order = new CopyOnWriteArrayList<>();
        queue.submit(holding(order, "long deploy", busy));
        started.await(10, TimeUnit.SECONDS);
        for (int i = 0; i < 10; i++) {
            queue.submit(recording(order, "other " + i, new CountDownLatch(0)));
        }
        CompileQueue.Job called = queue.submit(recording(order, "called", new CountDownLatch(0)));
        AutoCloseable waiting = called.callWaiting();
        waitFor(() -> order.contains("called"));
        waiting.close();
        assertThat(order).containsExactly("called"); // the others still wait behind the long one
        busy.countDown();
        waitFor(() -> order.size() == 12);
        assertThat(queue.pending()).isZero();
    }

    /**
     * A compilation nobody waits for ({@code background}), reaching its pause point while one a call
     * waits for ({@code called}) runs on a thread of its own until {@code calledMayEnd} opens.
     */
    private final class PauseScene {
        final CompileQueue queue = new CompileQueue(1, 1);
        final List<String> order = new CopyOnWriteArrayList<>();
        final CountDownLatch calledMayEnd = new CountDownLatch(1);
        final CompileQueue.Job background;
        final AutoCloseable callWaiting;

        PauseScene() throws Exception {
            CountDownLatch atPausePoint = new CountDownLatch(1);
            CountDownLatch calledStarted = new CountDownLatch(1);
            background = queue.submit(() -> {
                started.countDown();
                await(atPausePoint);
                CompileQueue.pausePoint();
                order.add("background");
            });
            started.await(10, TimeUnit.SECONDS);
            CompileQueue.Job called = queue.submit(() -> {
                calledStarted.countDown();
                await(calledMayEnd);
                CompileQueue.pausePoint(); // its call has ended by now: still never paused
                order.add("called");
            });
            callWaiting = called.callWaiting();
            assertThat(calledStarted.await(10, TimeUnit.SECONDS))
                    .as("escalated")
                    .isTrue();
            atPausePoint.countDown();
            Thread.sleep(CompileQueue.ESCALATE_AFTER_MS * 5);
        }
    }

    @Test
    void compilationsNobodyWaitsForPauseWhileAWaitedForOneHasAThreadOfItsOwn() throws Exception {
        PauseScene scene = new PauseScene();
        assertThat(scene.order)
                .as("the background compilation waits at its pause point")
                .isEmpty();
        scene.callWaiting.close();
        scene.calledMayEnd.countDown();
        waitFor(() -> scene.order.size() == 2);
        assertThat(scene.order).containsExactly("called", "background");
    }

    @Test
    void aPausedCompilationGoesOnOnceACallWaitsForIt() throws Exception {
        PauseScene scene = new PauseScene();
        AutoCloseable waitingToo = scene.background.callWaiting();
        waitFor(() -> scene.order.contains("background"));
        assertThat(scene.order).containsExactly("background");
        waitingToo.close();
        scene.callWaiting.close();
        scene.calledMayEnd.countDown();
        waitFor(() -> scene.order.size() == 2);
    }

    @Test
    void aCallThatEndedBeforeEscalationStartsNoThread() throws Exception {
        CompileQueue queue = new CompileQueue(1, 1);
        CountDownLatch busy = new CountDownLatch(1);
        List<String> order = new CopyOnWriteArrayList<>();
        queue.submit(holding(order, "long deploy", busy));
        started.await(10, TimeUnit.SECONDS);
        CompileQueue.Job called = queue.submit(recording(order, "called", new CountDownLatch(0)));
        called.callWaiting().close(); // a short call: done on the interpreter
        Thread.sleep(CompileQueue.ESCALATE_AFTER_MS * 5);
        assertThat(order).isEmpty();
        assertThat(queue.pending()).isEqualTo(1);
        busy.countDown();
        waitFor(() -> order.size() == 2);
    }

    @Test
    void compiledClassesAreKeptOnDiskAndARestartedSimulatorRunsCompiledFromItsFirstCall() throws Exception {
        byte[] code = wasm("nearsdk_layout");
        try (ContractSimulator first =
                new ContractSimulator(true, ContractCompiler.Path.TIERED, clock(), new CompiledCodeCache(cacheDir))) {
            first.deploy("a.test.near", code);
            assertThat(first.account("a.test.near").orElseThrow().contract().awaitCompiled(60, TimeUnit.SECONDS))
                    .isTrue();
        }
        assertThat(entries()).hasSize(1);

        try (ContractSimulator restarted =
                new ContractSimulator(true, ContractCompiler.Path.TIERED, clock(), new CompiledCodeCache(cacheDir))) {
            restarted.deploy("a.test.near", code);
            CompiledContract contract =
                    restarted.account("a.test.near").orElseThrow().contract();
            assertThat(contract.isCompiled())
                    .as("loaded from the cache during deploy")
                    .isTrue();
            assertThat(contract.module().codeSection().functionBodies())
                    .as("a loaded entry, like a fresh compile, keeps no parsed bodies")
                    .allSatisfy(body -> assertThat(body.instructions()).isEmpty());
            Outcome outcome = restarted.execute(CallRequest.call("a.test.near", "increment", new byte[0]));
            assertThat(text(outcome.result())).isEqualTo("1");
        }
    }

    @Test
    void aCacheThatCannotBeWrittenLeavesContractsCompiledAndRunning() throws Exception {
        // The cache's directory gone (an unmounted or full disk fails the same way): the classes
        // are compiled, only not kept for the next start.
        CompiledCodeCache cache = new CompiledCodeCache(cacheDir.resolve("gone"));
        Files.delete(cache.dir());
        for (ContractCompiler.Path path : List.of(ContractCompiler.Path.TIERED, ContractCompiler.Path.COMPILED)) {
            try (ContractSimulator simulator = new ContractSimulator(true, path, clock(), cache)) {
                simulator.deploy("a.test.near", wasm("nearsdk_layout"));
                CompiledContract contract =
                        simulator.account("a.test.near").orElseThrow().contract();
                assertThat(contract.awaitCompiled(60, TimeUnit.SECONDS))
                        .as(path.name())
                        .isTrue();
                assertThat(contract.brokenReason()).as(path.name()).isNull();
                Outcome outcome = simulator.execute(CallRequest.call("a.test.near", "increment", new byte[0]));
                assertThat(outcome.success()).as(outcome.errorMessage()).isTrue();
                assertThat(text(outcome.result())).isEqualTo("1");
            }
        }
        assertThat(cache.dir()).doesNotExist();
    }

    @Test
    void aDamagedCacheEntryIsReplacedAndTheContractStillRuns() throws Exception {
        byte[] code = wasm("nearsdk_layout");
        CompiledCodeCache cache = new CompiledCodeCache(cacheDir);
        try (ContractSimulator first = new ContractSimulator(true, ContractCompiler.Path.COMPILED, clock(), cache)) {
            first.deploy("a.test.near", code);
        }
        Path entry = entries().get(0);
        Files.write(entry, new byte[] {1, 2, 3});
        try (ContractSimulator restarted =
                new ContractSimulator(true, ContractCompiler.Path.COMPILED, clock(), cache)) {
            restarted.deploy("a.test.near", code);
            Outcome outcome = restarted.execute(CallRequest.call("a.test.near", "increment", new byte[0]));
            assertThat(outcome.success()).as(outcome.errorMessage()).isTrue();
        }
        assertThat(Files.size(entry)).as("rewritten").isGreaterThan(3);
    }

    @Test
    void theKeyIsTheInstrumentedModulesDigestAndTheChicoryVersion() throws Exception {
        CompiledCodeCache cache = new CompiledCodeCache(cacheDir);
        String digest = Parser.parse(wasm("counter")).digest();
        assertThat(digest).isNotBlank();
        cache.putIfAbsent(digest, new byte[] {7});
        assertThat(cache.get(digest)).containsExactly(7);
        assertThat(cache.get(digest + "0")).isNull();
        assertThat(CompiledCodeCache.CHICORY_VERSION).isEqualTo("1.7.5");
    }

    private List<Path> entries() throws Exception {
        try (Stream<Path> files = Files.list(cacheDir)) {
            return files.filter(p -> p.toString().endsWith(".classes")).toList();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static BlockClock clock() {
        return BlockClock.startingNow(1000);
    }

    @Test
    void aCancelledCompilationLeavesTheQueueOrEndsAtItsNextPausePoint() throws Exception {
        LeakGuard.Snapshot before = LeakGuard.Snapshot.take();
        CompileQueue queue = new CompileQueue(1, 0);
        AtomicBoolean stoppedAtPausePoint = new AtomicBoolean();
        CompileQueue.Job running = queue.submit(() -> {
            started.countDown();
            try {
                while (true) { // a compilation that never ends by itself
                    CompileQueue.pausePoint();
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                }
            } catch (CompileQueue.Cancelled e) {
                stoppedAtPausePoint.set(true);
            }
        });
        assertThat(started.await(HangGuard.BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
        List<String> order = new CopyOnWriteArrayList<>();
        CompileQueue.Job queued = queue.submit(recording(order, "queued", new CountDownLatch(0)));

        assertThat(queued.cancel()).as("a queued one is dropped").isTrue();
        assertThat(queue.pending()).isZero();
        assertThat(running.cancel()).as("a running one ends itself").isFalse();

        waitFor(stoppedAtPausePoint::get);
        assertThat(before.leftAfter(HangGuard.BOUND.toMillis()).threadNames())
                .noneMatch(name -> name.startsWith("contract-compiler-"));
        assertThat(order).as("the dropped one never ran").isEmpty();
    }

    @Test
    void aContractWhoseCompilationIsCancelledAtAPausePointStaysOnTheInterpreterNotBroken() throws Exception {
        CompileQueue queue = new CompileQueue(1, 1);
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch urgentHeld = new CountDownLatch(1);
        List<String> order = new CopyOnWriteArrayList<>();
        queue.submit(holding(order, "long deploy", busy));
        assertThat(started.await(HangGuard.BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
        CountDownLatch urgentRunning = new CountDownLatch(1);
        CompileQueue.Job urgent = queue.submit(() -> {
            urgentRunning.countDown();
            recording(order, "urgent", urgentHeld).run();
        });
        AutoCloseable waiting = urgent.callWaiting(); // gets a thread of its own: the others pause while it runs
        ContractCompiler compiler = new ContractCompiler(true, ContractCompiler.Path.TIERED, queue, null);
        try {
            assertThat(urgentRunning.await(HangGuard.BOUND_SECONDS, TimeUnit.SECONDS))
                    .isTrue();
            CompiledContract contract = compiler.compile(wasm("counter"));
            busy.countDown(); // the queue's thread takes the contract's compilation, which pauses at its first class
            waitFor(() -> queue.pending() == 0);

            compiler.close(); // its simulator closing: the started compilation ends at its pause point

            assertThat(contract.awaitCompiled(HangGuard.BOUND_SECONDS, TimeUnit.SECONDS))
                    .as("no compiled code")
                    .isFalse();
            assertThat(contract.brokenReason())
                    .as("a cancelled compilation is not the module's fault: calls stay on the interpreter")
                    .isNull();
        } finally {
            urgentHeld.countDown();
            waiting.close();
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws Exception {
        assertThat(HangGuard.until(condition::getAsBoolean))
                .as("condition reached")
                .isTrue();
    }
}
