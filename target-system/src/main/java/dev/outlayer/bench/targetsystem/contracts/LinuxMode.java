package dev.outlayer.bench.targetsystem.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.identity.Caller;
import dev.outlayer.bench.targetsystem.timing.PhaseTimer;
import java.util.Map;

/**
 * {@code mode: "linux"} on a call: the Linux emulator runs the call as a process whose env.*
 * imports go through its kernel's NEAR syscalls (see dev.outlayer.bench.targetsystem.linux). The
 * contract, its state and the gas are the simulator's, so only the response's accounting differs.
 */
public interface LinuxMode {

    /**
     * A binding for one call by {@code caller}; {@code coldStart} asks for a newly booted task
     * worker. The call's {@code secrets} block (null for none) is fetched from the keystore for the
     * caller's verified account (never the body's signer_id) and injected into the process
     * environment, its phases (decrypt, inject) recorded in {@code timing}; throws
     * {@link SecretsRefused} when they cannot be.
     */
    Call start(CallRequest request, boolean coldStart, JsonNode secrets, Caller caller, PhaseTimer timing);

    /** A call's secrets could not be injected: the keystore's refusal or its absence, said for the client. */
    final class SecretsRefused extends ApiException {
        public SecretsRefused(Kind kind, String message) {
            super(kind, message);
        }
    }

    /** One linux-mode call: the host binding plus, once the call is over, the process's accounting. */
    interface Call extends HostBinding {
        /** Whether the call runs on a newly booted task worker. */
        boolean coldStart();

        /** What the process did; complete after {@link #exit()}. */
        Accounting accounting();
    }

    /**
     * The kernel's side of a linux-mode call, added to its response.
     *
     * @param workerNanos             getting a task worker (booting one on a cold start)
     * @param translationInstructions what translating the contract's host calls into syscalls cost
     * @param syscalls                the NEAR syscalls made, by name
     * @param syscallTimesMicros      time spent in each syscall, by name
     */
    record Accounting(
            boolean coldStart,
            long workerNanos,
            long translationInstructions,
            Map<String, Long> syscalls,
            Map<String, Double> syscallTimesMicros,
            int pid,
            int worker) {}
}
