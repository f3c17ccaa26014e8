package dev.outlayer.bench.targetsystem.linux;

import com.dylibso.chicory.runtime.ImportValues;
import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.contracts.CallRequest;
import dev.outlayer.bench.targetsystem.contracts.LinuxMode;
import dev.outlayer.bench.targetsystem.contracts.VmLogic;
import dev.outlayer.bench.targetsystem.errors.ApiException.Kind;
import dev.outlayer.bench.targetsystem.timing.PhaseTimer;

/** The emulator's side of {@code mode: "linux"} on {@code /contracts/{account_id}/call}. */
public final class LinuxContractMode implements LinuxMode {
    private final LinuxEmulator emulator;

    public LinuxContractMode(LinuxEmulator emulator) {
        this.emulator = emulator;
    }

    @Override
    public Call start(CallRequest request, boolean coldStart, JsonNode secrets, PhaseTimer timing) {
        try {
            return new ProcessCall(emulator.contractProcess(
                    request.accountId(),
                    request.method(),
                    request.signerId(),
                    request.predecessorId(),
                    coldStart,
                    secrets,
                    timing));
        } catch (LinuxEmulator.SecretsUnavailable e) {
            throw new SecretsRefused(kind(e.status), e.getMessage());
        } catch (IllegalArgumentException e) {
            // A malformed secrets block, or a secret named like a reserved variable.
            throw new SecretsRefused(Kind.INVALID, e.getMessage());
        } catch (UnsupportedOperationException e) {
            // No keystore to ask: refused rather than run without its secrets.
            throw new SecretsRefused(Kind.UNAVAILABLE, e.getMessage());
        }
    }

    /** The keystore's answer (or the failure to get one), kept in its own terms. */
    private static Kind kind(int status) {
        return switch (status) {
            case 400 -> Kind.INVALID;
            case 401 -> Kind.UNAUTHENTICATED;
            case 403 -> Kind.FORBIDDEN;
            case 404 -> Kind.NOT_FOUND;
            case 503 -> Kind.UNAVAILABLE;
            case 504 -> Kind.GATEWAY_TIMEOUT;
            default -> Kind.BAD_GATEWAY;
        };
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
        public void enter(VmLogic logic) {
            process.enter(logic);
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
