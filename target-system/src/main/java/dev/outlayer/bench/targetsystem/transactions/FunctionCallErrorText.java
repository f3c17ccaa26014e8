package dev.outlayer.bench.targetsystem.transactions;

import dev.outlayer.bench.targetsystem.contracts.ExecutionStatus;

/**
 * The text of FunctionCallErrorSer's ExecutionError: nearcore collapses a HostError or WasmTrap into
 * {@code ExecutionError(err.to_string())} (runtime/runtime/src/conversions.rs, near/nearcore 00fc950), so
 * the text is the VM error's Display (runtime/near-vm-runner/src/logic/errors.rs, near/nearcore
 * 02e1c92), which the failure's typed {@link dev.outlayer.bench.targetsystem.contracts.VmError} renders.
 */
final class FunctionCallErrorText {
    private FunctionCallErrorText() {}

    /**
     * nearcore's text for a contract's failure. A LinkError's message ("Link Error: ...") and the gas
     * errors' are nearcore's already; failures nearcore has no text for (ExecutionTimeout, the host
     * running out of memory) keep the runtime's message.
     */
    static String of(ExecutionStatus.Failure failure) {
        if (failure.vmError() != null) {
            return failure.vmError().display();
        }
        return failure.message() == null ? "" : failure.message();
    }
}
