package dev.outlayer.bench.targetsystem.linux;

import static dev.outlayer.bench.targetsystem.linux.SyscallTable.sig;
import static dev.outlayer.bench.targetsystem.linux.WasiProcessCalls.WASI;

/** WASI socket syscalls: the worker has no network, and no preopened sockets, so none is a socket. */
final class WasiSocketCalls {
    private WasiSocketCalls() {}

    static void register(SyscallTable.Builder table) {
        table.add(70, WASI, "sock_accept", sig("iii", "i"), KernelCosts.SIMPLE, (p, m, a) -> notSocket(p, a[0]));
        table.add(71, WASI, "sock_recv", sig("iiiiii", "i"), KernelCosts.SIMPLE, (p, m, a) -> notSocket(p, a[0]));
        table.add(72, WASI, "sock_send", sig("iiiii", "i"), KernelCosts.SIMPLE, (p, m, a) -> notSocket(p, a[0]));
        table.add(73, WASI, "sock_shutdown", sig("ii", "i"), KernelCosts.SIMPLE, (p, m, a) -> notSocket(p, a[0]));
    }

    private static long notSocket(Process process, long fd) {
        process.fd(fd);
        return Errno.NOTSOCK;
    }
}
