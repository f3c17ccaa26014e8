package dev.outlayer.bench.targetsystem.contracts;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.TableInstance;
import com.dylibso.chicory.wasm.types.Table;
import dev.outlayer.bench.targetsystem.wasm.TableTypes;

/**
 * A contract's table, held to {@code max_elements_per_contract_table} (10,000) as nearcore's
 * wasmtime runner limits a table's growth (its ResourceLimiter, configured from the same limit
 * that preparation applies to a table's initial size): past it {@code table.grow} answers -1.
 * Without it one call's {@code table.grow} could ask Chicory for gigabytes of heap (an int and a
 * reference per element) and take the whole server down. Each instance grows a copy of the
 * module's table type ({@link TableTypes#ownCopy}): Chicory grew the module's, so a call's growth
 * leaked into every later call of the same code.
 */
final class ContractTable extends TableInstance {
    ContractTable(Table table, int initialValue) {
        super(TableTypes.ownCopy(table), initialValue);
    }

    @Override
    public int grow(int size, int value, Instance instance) {
        // size is wasm's u32: negative here is 2^31 or more.
        if (size < 0 || size > ExtCost.MAX_ELEMENTS_PER_CONTRACT_TABLE - (long) size()) {
            return -1;
        }
        return super.grow(size, value, instance);
    }
}
