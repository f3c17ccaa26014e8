package dev.outlayer.bench.targetsystem.contracts;

import java.math.BigInteger;

/**
 * What NEAR's {@code VMContext} tells a contract about the call: accounts, block, balances,
 * input, whether this is a read-only view, the code the account runs ({@code account_contract}) and
 * where the receipt's balance refunds go ({@code refund_to_account_id}: its refund_to, else the
 * predecessor).
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
        AccountContract accountContract,
        String refundToAccountId) {}
