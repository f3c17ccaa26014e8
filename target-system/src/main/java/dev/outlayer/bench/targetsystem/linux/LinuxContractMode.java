package dev.outlayer.bench.targetsystem.linux;

import com.dylibso.chicory.runtime.ImportValues;
import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.contracts.CallRequest;
import dev.outlayer.bench.targetsystem.contracts.LinuxMode;
import dev.outlayer.bench.targetsystem.contracts.VmLogic;
import dev.outlayer.bench.targetsystem.identity.Caller;
import dev.outlayer.bench.targetsystem.timing.PhaseTimer;

/** The emulator's side of {@code mode: "linux"} on {@code /contracts/{account_id}/call}. */
public final class LinuxContractMode implements LinuxMode {
    private final LinuxEmulator emulator;

    public LinuxContractMode(LinuxEmulator emulator) {
        this.emulator = emulator;
    }

    @Override
    public Call start(CallRequest request, boolean coldStart, JsonNode secrets, Caller caller, PhaseTimer timing) {
        try {
            return new ProcessCall(emulator.contractProcess(
                    request.accountId(),
                    request.method(),
                    request.signerId(),
                    request.predecessorId(),
                    coldStart,
                    secrets,
                    caller,
                    timing));
        } catch (LinuxEmulator.SecretsUnavailable e) {
            // Every way injecting secrets can fail ends here, in the keystore's own terms.
            throw new SecretsRefused(e.kind(), e.getMessage());
        }
    }

    /** A contract process that hands its accounting to the response. */
    private static final class ProcessCall implements Call {
        private final ContractProcess process;

        ProcessCall(ContractProcess process) {
            this.process = process;
        }

        @Override
        public ImportValues imports() {
            return process.imports();
        }

        @Override
        public void admit() {
            process.admit();
        }

        @Override
        public void enter(VmLogic logic) {
            process.enter(logic);
        }

        @Override
        public void endRun() {
            process.endRun();
        }

        @Override
        public void exit() {
            process.exit();
        }

        @Override
        public boolean coldStart() {
            return process.coldStart();
        }

        @Override
        public Accounting accounting() {
            return new Accounting(
                    process.coldStart(),
                    process.queueNanos(),
                    process.translationInstructions(),
                    process.syscalls(),
                    process.syscallTimesMicros(),
                    process.pid(),
                    process.workerId());
        }
    }
}
