package dev.outlayer.bench.target.contracts;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code mode: "linux"} on a call: the Linux emulator runs the call as a process whose env.*
 * imports go through its kernel's NEAR syscalls (see dev.outlayer.bench.target.linux). The
 * contract, its state and the gas are the simulator's, so only the response's accounting differs.
 */
public interface LinuxMode {

    /** A binding for one call; {@code coldStart} asks for a newly booted task worker. */
    Call start(CallRequest request, boolean coldStart);

    /** One linux-mode call: the host binding plus what it adds to the response. */
    interface Call extends HostBinding {
        /**
         * Adds the linux-mode accounting to a call's response: {@code instructions} becomes the
         * wasm instructions plus the syscall translation cost, both also given on their own.
         */
        void describe(ObjectNode body, Outcome outcome);

        /** Time spent getting a task worker (booting one on a cold start). */
        long workerNanos();

        boolean coldStart();
    }
}
