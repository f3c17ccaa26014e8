package dev.outlayer.bench.targetsystem.linux;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The emulated kernel's one syscall table. Every import a process can call (the WASI preview1
 * functions and, for contracts in linux mode, the numbered NEAR syscalls) is an entry here, and
 * every call goes through {@link #dispatch}: it is counted and timed per syscall, charged its
 * instruction cost, and a {@link SyscallError} becomes the errno it returns.
 */
final class SyscallTable {

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
        } finally {
            process.stats.nanos[index] += System.nanoTime() - start;
        }
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
