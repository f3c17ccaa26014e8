package dev.outlayer.bench.targetsystem.linux;

import com.dylibso.chicory.runtime.ImportValues;
import dev.outlayer.bench.targetsystem.contracts.HostBinding;
import dev.outlayer.bench.targetsystem.contracts.VmLogic;
import dev.outlayer.bench.targetsystem.identity.Caller;
import java.util.List;
import java.util.Map;

/**
 * One contract call in linux mode: on {@link #enter} it takes a booted task worker and starts a
 * process whose env.* imports are the kernel's NEAR syscalls; on {@link #exit} it ends the
 * process, gives the worker back and keeps the process's accounting for the response.
 * Pass it to {@code ContractSimulator.execute(request, binding)}; use it for one call only.
 */
public final class ContractProcess implements HostBinding {
    private final LinuxEmulator emulator;
    private final TaskWorker.Spec spec;
    private final boolean coldStart;
    private List<TaskWorker> workers;
    private Process process;
    private long queueNanos;
    private long wallNanos;
    private Map<String, Long> syscalls = Map.of();
    private Map<String, Double> syscallTimes = Map.of();
    private long translationInstructions;
    private int pid;
    private int workerId;

    private final Caller caller;

    ContractProcess(LinuxEmulator emulator, TaskWorker.Spec spec, boolean coldStart, Caller caller) {
        this.emulator = emulator;
        this.caller = caller;
        this.spec = spec;
        this.coldStart = coldStart;
    }

    /** Takes the task worker before the call is charged: refused here (503, 429), the call costs nothing. */
    @Override
    public void admit() {
        long start = System.nanoTime();
        try {
            workers = emulator.acquireWorkers(1, coldStart, caller);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a task worker", e);
        }
        queueNanos = System.nanoTime() - start;
    }

    @Override
    public void enter(VmLogic logic) {
        if (workers == null) {
            admit(); // a view (never charged), or a call run again after its first attempt's exit
        }
        TaskWorker worker = workers.get(0);
        workerId = worker.id;
        process = worker.startContract(logic, spec);
        pid = process.pid;
    }

    @Override
    public ImportValues imports() {
        return workers.get(0).imports();
    }

    /** Ends the run's process and keeps the worker: the call may run again on it (a tier switch). */
    @Override
    public void endRun() {
        if (process == null) { // admitted, then not run (the signer could not pay), or ended already
            return;
        }
        Process ended = process;
        process = null;
        workers.get(0).endContract(ended);
        wallNanos = ended.cpuNanos();
        syscalls = ended.stats.counts();
        syscallTimes = ended.stats.timesMicros();
        translationInstructions = ended.kernelInstructions();
    }

    @Override
    public void exit() {
        if (workers == null) {
            return;
        }
        try {
            endRun();
        } finally {
            emulator.releaseWorkers(workers, caller);
            workers = null;
        }
    }

    /** The NEAR syscalls the contract made, by name. */
    public Map<String, Long> syscalls() {
        return syscalls;
    }

    public Map<String, Double> syscallTimesMicros() {
        return syscallTimes;
    }

    /** What translating the contract's host calls into kernel syscalls cost, in instructions. */
    public long translationInstructions() {
        return translationInstructions;
    }

    public int pid() {
        return pid;
    }

    public int workerId() {
        return workerId;
    }

    /** Whether this call ran on a newly booted worker (a cold start) rather than a reused one. */
    public boolean coldStart() {
        return coldStart;
    }

    /** Waiting for (or, on a cold start, booting) the task worker. */
    public long queueNanos() {
        return queueNanos;
    }

    public long wallNanos() {
        return wallNanos;
    }
}
