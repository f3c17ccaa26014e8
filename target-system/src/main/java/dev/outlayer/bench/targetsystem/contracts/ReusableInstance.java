package dev.outlayer.bench.targetsystem.contracts;

import com.dylibso.chicory.runtime.GlobalInstance;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.AnnotatedInstruction;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionBody;
import com.dylibso.chicory.wasm.types.OpCode;
import dev.outlayer.bench.targetsystem.wasm.CowMemory;
import java.util.EnumSet;
import java.util.Set;

/**
 * One thread's instance of a compiled contract, reset between calls instead of built anew. Chicory's
 * {@code Instance.Builder} links every import by name, checks its signature and creates globals,
 * tables and the machine on every build: about a third of a warm counter call. A reset gives the
 * next call what a new instance would have: linear memory back to the module's image ({@link
 * CowMemory#reset}, proportional to the pages the last call wrote) and every global back to its
 * value after instantiation. Tables, elements and data segments are not reset, so only modules
 * whose code never changes them reuse instances ({@link #supports}).
 */
final class ReusableInstance {
    /** What changes a table, an element segment or a data segment after instantiation. */
    private static final Set<OpCode> CHANGES_TABLES_OR_SEGMENTS = EnumSet.of(
            OpCode.TABLE_SET,
            OpCode.TABLE_GROW,
            OpCode.TABLE_FILL,
            OpCode.TABLE_COPY,
            OpCode.TABLE_INIT,
            OpCode.ELEM_DROP,
            OpCode.DATA_DROP);

    private final Instance instance;
    private final CowMemory memory;
    private final GlobalInstance[] globals;
    private final long[] initialLow;
    private final long[] initialHigh;
    private boolean inUse;

    /**
     * @param instance just built on compiled code (globals, tables and memory initialised; nothing run yet)
     * @param memory   its linear memory, a view of the contract's image (null: it has none)
     */
    ReusableInstance(Instance instance, CowMemory memory) {
        this.instance = instance;
        this.memory = memory;
        int count = instance.module().globalSection().globalCount();
        this.globals = new GlobalInstance[count];
        this.initialLow = new long[count];
        this.initialHigh = new long[count];
        for (int i = 0; i < count; i++) {
            globals[i] = instance.global(i);
            initialLow[i] = globals[i].getValueLow();
            initialHigh[i] = globals[i].getValueHigh();
        }
    }

    /**
     * True when instances of {@code module} can be reset rather than rebuilt: it imports only
     * functions and memory (a contract imports NEAR's host functions only: a memory import is refused at
     * deploy, PrepareError::Memory) and none of its code changes a table or a segment.
     */
    static boolean supports(WasmModule module) {
        if (module.importSection().stream()
                .anyMatch(i -> i.importType() != ExternalType.FUNCTION && i.importType() != ExternalType.MEMORY)) {
            return false;
        }
        for (FunctionBody body : module.codeSection().functionBodies()) {
            for (AnnotatedInstruction instruction : body.instructions()) {
                if (CHANGES_TABLES_OR_SEGMENTS.contains(instruction.opcode())) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The instance for a call, as a new one would be; null while a call on this thread still uses it
     * (no NEAR call nests another, but a second call then simply builds its own).
     */
    Instance take() {
        if (inUse) {
            return null;
        }
        inUse = true;
        return instance;
    }

    /**
     * The call that took it is over, however it ended: reset now, so that an idle instance holds no
     * page the call wrote (a thread keeps one per contract it ran).
     */
    void release() {
        if (memory != null) {
            memory.reset();
        }
        for (int i = 0; i < globals.length; i++) {
            globals[i].setValueLow(initialLow[i]);
            globals[i].setValueHigh(initialHigh[i]);
        }
        inUse = false;
    }
}
