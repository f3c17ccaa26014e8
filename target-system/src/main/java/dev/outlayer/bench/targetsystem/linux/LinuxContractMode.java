package dev.outlayer.bench.targetsystem.linux;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.contracts.CallRequest;
import dev.outlayer.bench.targetsystem.contracts.LinuxMode;
import dev.outlayer.bench.targetsystem.contracts.Outcome;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.http.ServerTiming;

/** The emulator's side of {@code mode: "linux"} on {@code /contracts/{account_id}/call}. */
public final class LinuxContractMode implements LinuxMode {
    private final LinuxEmulator emulator;

    public LinuxContractMode(LinuxEmulator emulator) {
        this.emulator = emulator;
    }

    @Override
    public Call start(CallRequest request, boolean coldStart) {
        ContractProcess process = emulator.contractProcess(request.accountId(), request.method(), request.signerId(),
                request.predecessorId(), coldStart);
        return new Described(process);
    }

    @Override
    public Call start(CallRequest request, boolean coldStart, JsonNode secrets, ServerTiming timing) {
        try {
            return new Described(emulator.contractProcess(request.accountId(), request.method(), request.signerId(),
                    request.predecessorId(), coldStart, secrets, timing));
        } catch (LinuxEmulator.SecretsUnavailable e) {
            throw new SecretsRefused(e.status, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new SecretsRefused(400, e.getMessage());
        } catch (UnsupportedOperationException e) {
            throw new SecretsRefused(501, e.getMessage());
        }
    }

    /** A contract process that also writes its accounting into the response. */
    private static final class Described implements Call {
        private final ContractProcess process;

        Described(ContractProcess process) {
            this.process = process;
        }

        @Override
        public com.dylibso.chicory.runtime.ImportValues imports() {
            return process.imports();
        }

        @Override
        public void enter(dev.outlayer.bench.targetsystem.contracts.VmLogic logic) {
            process.enter(logic);
        }

        @Override
        public void exit() {
            process.exit();
        }

        @Override
        public void describe(ObjectNode body, Outcome outcome) {
            body.put("instructions", outcome.instructions() + process.translationInstructions());
            body.put("wasm_instructions", outcome.instructions());
            body.put("translation_instructions", process.translationInstructions());
            body.set("syscalls", JsonCodec.MAPPER.valueToTree(process.syscalls()));
            body.set("syscall_time_us", JsonCodec.MAPPER.valueToTree(process.syscallTimesMicros()));
            body.put("pid", process.pid());
            body.put("worker", process.workerId());
            body.put("cold_start", process.coldStart());
        }

        @Override
        public long workerNanos() {
            return process.queueNanos();
        }

        @Override
        public boolean coldStart() {
            return process.coldStart();
        }
    }
}
