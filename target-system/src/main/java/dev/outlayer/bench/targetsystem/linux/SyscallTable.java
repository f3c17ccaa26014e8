package dev.outlayer.bench.targetsystem.linux;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.TrapException;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import dev.outlayer.bench.targetsystem.wasm.GasMeter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emulated kernel's one syscall table. Every import a process can call (the WASI preview1
 * functions and, for contracts in linux mode, the numbered NEAR syscalls) is an entry here, and
 * every call goes through {@link #dispatch}: it is counted and timed per syscall, charged its
 * instruction cost, and a {@link SyscallError} becomes the errno it returns; any other exception
 * of a WASI process's syscall traps the process.
 */
final class SyscallTable {
    private static final Logger LOG = LoggerFactory.getLogger(SyscallTable.class);

    /** One syscall's implementation; returns its single result (an errno for WASI calls). */
    @FunctionalInterface
    interface Handler {
        long call(Process process, Memory memory, long[] args);
    }

    /** One entry: number (as in a Linux syscall table), import module and name, wasm type, cost. */
    record Syscall(int number, String module, String name, FunctionType type, long cost, Handler handler) {}

    private final Syscall[] entries;
    private final Map<String, Integer> indexByImport = new HashMap<>();

    private SyscallTable(List<Syscall> entries) {
        this.entries = entries.toArray(Syscall[]::new);
        for (int i = 0; i < this.entries.length; i++) {
            if (indexByImport.put(key(this.entries[i].module(), this.entries[i].name()), i) != null) {
                throw new IllegalStateException("duplicate syscall " + this.entries[i].name());
            }
        }
    }

    static Builder builder() {
        return new Builder();
    }

    int size() {
        return entries.length;
    }

    Syscall get(int index) {
        return entries[index];
    }

    /** The wasm type of an import, or null if the kernel does not provide it. */
    FunctionType typeOf(String module, String name) {
        Integer index = indexByImport.get(key(module, name));
        return index == null ? null : entries[index].type();
    }

    /**
     * Host functions for every syscall, bound to whichever process {@code current} names when the
     * call arrives: a task worker binds once at boot and swaps the process per run.
     */
    ImportValues bind(Supplier<Process> current) {
        List<ImportFunction> functions = new ArrayList<>(entries.length);
        for (int i = 0; i < entries.length; i++) {
            int index = i;
            Syscall syscall = entries[i];
            boolean returnsValue = !syscall.type().returns().isEmpty();
            functions.add(new HostFunction(
                    syscall.module(), syscall.name(), syscall.type(), (Instance instance, long... args) -> {
                        long result = dispatch(index, current.get(), instance.memory(), args);
                        return returnsValue ? new long[] {result} : null;
                    }));
        }
        return ImportValues.builder().withFunctions(functions).build();
    }

    long dispatch(int index, Process process, Memory memory, long[] args) {
        Syscall syscall = entries[index];
        long start = System.nanoTime();
        process.stats.calls[index]++;
        try {
            process.chargeKernel(syscall.cost());
            return syscall.handler().call(process, memory, args);
        } catch (SyscallError e) {
            return e.errno;
        } catch (ChicoryException | ProcessKilled | GasMeter.OutOfGasException e) {
            throw e; // how a process ends: proc_exit, a trap, a limit
        } catch (RuntimeException e) {
            if (process.near() != null) {
                throw e; // a contract's host function: the contract runtime judges it, as in direct mode
            }
            throw kernelFault(syscall, process, e);
        } finally {
            process.stats.nanos[index] += System.nanoTime() - start;
        }
    }

    /**
     * A syscall failed in a way none should (a bug of the kernel's): the process traps, as on a
     * machine fault, with a message that names the syscall and nothing of the exception (that is
     * logged), and its worker serves the next process as after any trap.
     */
    private static TrapException kernelFault(Syscall syscall, Process process, RuntimeException cause) {
        LOG.error("syscall {} of pid {} failed; the process traps", syscall.name(), process.pid, cause);
        return new TrapException("internal error in syscall " + syscall.name());
    }

    private static String key(String module, String name) {
        return module + '\u0000' + name;
    }

    /** Collects entries; each family of syscalls registers itself. */
    static final class Builder {
        private final List<Syscall> entries = new ArrayList<>();

        Builder add(int number, String module, String name, FunctionType type, long cost, Handler handler) {
            entries.add(new Syscall(number, module, name, type, cost, handler));
            return this;
        }

        SyscallTable build() {
            return new SyscallTable(entries);
        }
    }

    /** Shorthand for wasm signatures: {@code sig("iiI", "i")} is (i32, i32, i64) -> i32. */
    static FunctionType sig(String params, String results) {
        return FunctionType.of(types(params), types(results));
    }

    private static ValType[] types(String letters) {
        ValType[] types = new ValType[letters.length()];
        for (int i = 0; i < letters.length(); i++) {
            types[i] = letters.charAt(i) == 'I' ? ValType.I64 : ValType.I32;
        }
        return types;
    }
}
