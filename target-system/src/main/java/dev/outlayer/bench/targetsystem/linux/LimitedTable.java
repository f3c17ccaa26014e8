package dev.outlayer.bench.targetsystem.linux;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.TableFactory;
import com.dylibso.chicory.runtime.TableInstance;
import com.dylibso.chicory.wasm.types.Table;
import dev.outlayer.bench.targetsystem.wasm.TableTypes;

/**
 * A table of a process, its elements counted against one budget for all of the process's tables.
 * Chicory keeps an int and a reference per element on the heap, outside the linear memory that
 * max_memory_mb caps, and grows a table to whatever {@code table.grow} asks (a module that declares
 * no maximum has 2^32 - 1): one call could ask for gigabytes of heap, and a size that overflows an
 * int made Chicory throw (TableInstance.grow). Beyond the budget wasm's {@code table.grow} says -1.
 */
final class LimitedTable extends TableInstance {
    /**
     * The elements all of a process's tables may hold: 8 to 12 MiB of heap. Programs keep their
     * function pointers in one table of a few thousand (wasmtime's pooling allocator allows 20,000).
     */
    static final long MAX_ELEMENTS = 1 << 20;

    /** The elements a process's tables hold. */
    private static final class Budget {
        long used;
    }

    private final Budget budget;

    private LimitedTable(Table table, int initialValue, Budget budget) {
        // A copy of the table type: Chicory grows the type it was given, the module's (TableTypes).
        super(TableTypes.ownCopy(table), initialValue);
        this.budget = budget;
    }

    /**
     * Tables for one process's instance. A module whose tables start beyond the budget is not run:
     * the process is killed as for a linear memory that starts beyond max_memory_mb.
     */
    static TableFactory factory(Runnable onLimitHit) {
        Budget budget = new Budget();
        return (table, initialValue) -> {
            long initial = table.limits().min();
            if (initial > MAX_ELEMENTS - budget.used) {
                onLimitHit.run();
                throw new ProcessKilled(ProcessKilled.Reason.MEMORY);
            }
            budget.used += initial;
            return new LimitedTable(table, initialValue, budget);
        };
    }

    @Override
    public int grow(int size, int value, Instance instance) {
        // size is wasm's u32: negative here is 2^31 or more, past any budget.
        if (size < 0 || size > MAX_ELEMENTS - budget.used) {
            return -1;
        }
        int previous = super.grow(size, value, instance);
        if (previous >= 0) {
            budget.used += size;
        }
        return previous;
    }
}
