package dev.outlayer.bench.targetsystem.contracts;

import java.math.BigInteger;

/**
 * What NEAR's {@code VMContext} tells a contract about the call: accounts, block, balances,
 * input, whether this is a read-only view and the code the account runs ({@code account_contract}).
 */
public record CallContext(
        String currentAccountId,
        String signerAccountId,
        byte[] signerAccountPk,
        String predecessorAccountId,
        byte[] input,
        long blockIndex,
        long blockTimestampNanos,
        long epochHeight,
        BigInteger accountBalance,
        BigInteger accountLockedBalance,
        BigInteger attachedDeposit,
        long prepaidGas,
        byte[] randomSeed,
        long storageUsage,
        boolean view,
        AccountContract accountContract) {}
