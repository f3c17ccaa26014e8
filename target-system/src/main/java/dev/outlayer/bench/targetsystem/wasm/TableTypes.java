package dev.outlayer.bench.targetsystem.wasm;

import com.dylibso.chicory.wasm.types.Table;
import com.dylibso.chicory.wasm.types.TableLimits;

/** Table types an instance may grow without changing the module's. */
public final class TableTypes {
    private TableTypes() {}

    /**
     * A copy of {@code table} with limits of its own. Chicory 1.7.5's {@code TableInstance.grow}
     * raises the minimum of the table type it was built with, the module's, so every instance built
     * from the module afterwards starts with the grown table: a {@code table.grow} leaked into every
     * later call of the same code, across accounts, and without bound.
     */
    public static Table ownCopy(Table table) {
        TableLimits limits = table.limits();
        return new Table(
                table.elementType(), new TableLimits(limits.min(), limits.max(), limits.shared()), table.initialize());
    }
}
