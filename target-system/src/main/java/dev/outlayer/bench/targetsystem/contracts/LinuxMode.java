package dev.outlayer.bench.targetsystem.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.http.ServerTiming;

/**
 * {@code mode: "linux"} on a call: the Linux emulator runs the call as a process whose env.*
 * imports go through its kernel's NEAR syscalls (see dev.outlayer.bench.targetsystem.linux). The
 * contract, its state and the gas are the simulator's, so only the response's accounting differs.
 */
public interface LinuxMode {

    /** A binding for one call; {@code coldStart} asks for a newly booted task worker. */
    Call start(CallRequest request, boolean coldStart);

    /**
     * As {@link #start(CallRequest, boolean)}, with the call's {@code secrets} block (null for none)
     * fetched from the keystore for the signer and injected into the process environment, timed in
     * {@code timing}; throws {@link SecretsRefused} when they cannot be.
     */
    default Call start(CallRequest request, boolean coldStart, JsonNode secrets, ServerTiming timing) {
        if (secrets != null) {
            throw new SecretsRefused(501, "this linux mode cannot inject secrets");
        }
        return start(request, coldStart);
    }

    /** A call's secrets could not be injected; {@code status} is the HTTP answer (400, 403, 404, 501, 502, 504). */
    final class SecretsRefused extends RuntimeException {
        public final int status;

        public SecretsRefused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

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
