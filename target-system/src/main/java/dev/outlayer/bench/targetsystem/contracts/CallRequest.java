package dev.outlayer.bench.targetsystem.contracts;

import java.math.BigInteger;

/** One function call (or view) as the API receives it. */
public record CallRequest(
        String accountId,
        String method,
        byte[] args,
        String signerId,
        String predecessorId,
        BigInteger attachedDeposit,
        long gas,
        boolean view) {

    /** The prepaid gas of a call that names none: 300 Tgas (the most may be {@link ExtCost#MAX_TOTAL_PREPAID_GAS}). */
    public static final long DEFAULT_GAS = 300_000_000_000_000L;

    public static final String DEFAULT_SIGNER = "bench.test.near";

    public static CallRequest call(String accountId, String method, byte[] args) {
        return new CallRequest(
                accountId, method, args, DEFAULT_SIGNER, DEFAULT_SIGNER, BigInteger.ZERO, DEFAULT_GAS, false);
    }

    public static CallRequest view(String accountId, String method, byte[] args) {
        return new CallRequest(
                accountId, method, args, accountId, accountId, BigInteger.ZERO, ExtCost.MAX_GAS_BURNT_VIEW, true);
    }

    public CallRequest withDeposit(BigInteger deposit) {
        return new CallRequest(accountId, method, args, signerId, predecessorId, deposit, gas, view);
    }

    public CallRequest withGas(long prepaid) {
        return new CallRequest(accountId, method, args, signerId, predecessorId, attachedDeposit, prepaid, view);
    }

    public CallRequest withCaller(String signer, String predecessor) {
        return new CallRequest(accountId, method, args, signer, predecessor, attachedDeposit, gas, view);
    }
}
