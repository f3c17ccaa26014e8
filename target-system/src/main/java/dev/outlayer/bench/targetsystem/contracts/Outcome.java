package dev.outlayer.bench.targetsystem.contracts;

import java.util.List;
import java.util.Map;

/**
 * The result of one contract call: NEAR's VMOutcome plus what the API reports.
 *
 * @param errorKind    null on success; else GuestPanic, GasExceeded, GasLimitExceeded, HostError,
 *                     LackBalanceForState, WasmTrap,
 *                     MethodNotFound, MethodInvalidSignature or ExecutionTimeout
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
        Map<Bytes, byte[]> stateChanges,
        PromiseLog promises,
        long storageUsage,
        java.math.BigInteger balance,
        long instantiateNanos,
        long execNanos,
        GasProfile profile) {}
