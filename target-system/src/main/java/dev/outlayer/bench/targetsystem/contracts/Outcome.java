package dev.outlayer.bench.targetsystem.contracts;

import java.util.List;
import java.util.Map;

/**
 * The result of one contract call: NEAR's VMOutcome plus what the API reports.
 *
 * @param errorKind    null on success; else the runtime's GuestPanic, GasExceeded, GasLimitExceeded,
 *                     HostError, WasmTrap, MethodNotFound (the message names MethodEmptyName or
 *                     MethodInvalidSignature when it is one of those), CompilationError, LinkError or
 *                     ExecutionTimeout; from {@link ContractSimulator#firstCall} also the receipt's
 *                     ActionErrorKind when it failed before the call ran or after it succeeded
 *                     (LackBalanceForState: the storage stake is the receipt's, checked after all its actions)
 * @param vmError      for a HostError (GuestPanic included) or WasmTrap, nearcore's typed error, whose
 *                     Display and Debug the transaction outcome and the view call's error show; else null
 * @param stateChanges the call's writes (a null value is a removal); empty on failure
 * @param profile      gas per cost kind and the trie nodes storage touched
 */
public record Outcome(
        boolean success,
        byte[] result,
        List<String> logs,
        long gasBurnt,
        long gasUsed,
        long instructions,
        String errorKind,
        String errorMessage,
        VmError vmError,
        Map<Bytes, byte[]> stateChanges,
        PromiseLog promises,
        long storageUsage,
        java.math.BigInteger balance,
        long instantiateNanos,
        long execNanos,
        GasProfile profile) {}
