package dev.outlayer.bench.targetsystem.linux;

import dev.outlayer.bench.targetsystem.contracts.NearImports;

/**
 * The NEAR syscall family: every {@code env.*} host function of a NEAR contract, numbered from
 * 1000 in near-sys order, translated into a kernel syscall. A contract running in linux mode calls
 * these through the same {@link SyscallTable#dispatch} as WASI calls (counted, timed, charged the
 * translation cost), and each runs the contract simulator's own host-function body on the call's
 * logic, so results, logs, state changes, gas and failures are those of direct mode.
 */
final class NearSyscalls {
    static final int FIRST_NUMBER = 1000;

    private NearSyscalls() {}

    static void register(SyscallTable.Builder table) {
        int number = FIRST_NUMBER;
        for (NearImports.HostFn fn : NearImports.table().values()) {
            table.add(number++, NearImports.MODULE, fn.name(), fn.type(), KernelCosts.NEAR_TRANSLATION, (p, m, a) -> {
                if (p.near() == null) {
                    // A WASI program importing env.* links, but outside a contract call there is no NEAR context.
                    throw new com.dylibso.chicory.runtime.TrapException(
                            "NEAR syscall " + fn.name() + " outside a contract call (ENOSYS)");
                }
                return fn.invoke(p.near(), m, a);
            });
        }
    }
}
