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

    /** nearcore's max_total_prepaid_gas, also the default prepaid gas: 300 Tgas. */
    public static final long DEFAULT_GAS = 300_000_000_000_000L;

    public static final String DEFAULT_SIGNER = "bench.test.near";

    public static CallRequest call(String accountId, String method, byte[] args) {
        return new CallRequest(
                accountId, method, args, DEFAULT_SIGNER, DEFAULT_SIGNER, BigInteger.ZERO, DEFAULT_GAS, false);
    }

    public static CallRequest view(String accountId, String method, byte[] args) {
        return new CallRequest(accountId, method, args, accountId, accountId, BigInteger.ZERO, DEFAULT_GAS, true);
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
