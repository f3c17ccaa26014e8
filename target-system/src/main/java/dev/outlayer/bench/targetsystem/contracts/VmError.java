package dev.outlayer.bench.targetsystem.contracts;

/**
 * A contract's failure as nearcore's FunctionCallError holds it, for the failures whose text nearcore
 * derives from the error: a {@link HostError.Kind} or a {@link WasmTrap} (runtime/near-vm-runner/src/logic/errors.rs,
 * near/nearcore 02e1c92).
 */
public sealed interface VmError permits HostError.Kind, WasmTrap {
    /**
     * FunctionCallError's Display: what a transaction outcome's {@code ExecutionError} says
     * (runtime/runtime/src/conversions.rs, near/nearcore 00fc950).
     */
    String display();

    /**
     * FunctionCallError's Debug: what a view call's error says after "wasm execution failed with error: "
     * (runtime/runtime/src/state_viewer/mod.rs call_function, {@code format!("...{:?}", err)}).
     */
    String debug();
}
