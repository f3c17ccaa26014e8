package dev.outlayer.bench.targetsystem.transactions;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * What a transaction costs its signer before it runs, as nearcore's {@code tx_cost}
 * (runtime/runtime/src/config.rs): the gas burnt converting it into its action receipt (receipt
 * creation and each action's send fee) plus the gas prepaid for the receipt (its exec fees and the
 * function calls' gas), at the gas price, plus the deposits. The pinned protocol's
 * {@code pessimistic_gas_price_inflation} is 1/1, so the receipt's gas price is the block's.
 *
 * @param gasBurnt gas burnt by the conversion, the transaction outcome's {@code gas_burnt}
 * @param totalCost yoctoNEAR the signer needs (NotEnoughBalance / NotEnoughAllowance compare it)
 */
public record TransactionCost(long gasBurnt, long prepaidGas, BigInteger totalCost) {

    /**
     * The send and exec fees of the pinned protocol (nearcore core/parameters/res/runtime_configs,
     * parameters.snap): {@code send_sir} applies when the signer is the receiver.
     */
    enum Fee {
        ACTION_RECEIPT_CREATION(108_059_500_000L, 108_059_500_000L, 108_059_500_000L),
        CREATE_ACCOUNT(3_850_000_000_000L, 3_850_000_000_000L, 3_850_000_000_000L),
        DELETE_ACCOUNT(147_489_000_000L, 147_489_000_000L, 147_489_000_000L),
        DEPLOY_CONTRACT(184_765_750_000L, 184_765_750_000L, 184_765_750_000L),
        DEPLOY_CONTRACT_PER_BYTE(6_812_999L, 47_683_715L, 64_572_944L),
        FUNCTION_CALL(200_000_000_000L, 200_000_000_000L, 780_000_000_000L),
        FUNCTION_CALL_PER_BYTE(2_235_934L, 47_683_715L, 2_235_934L),
        TRANSFER(115_123_062_500L, 115_123_062_500L, 115_123_062_500L),
        STAKE(141_715_687_500L, 141_715_687_500L, 102_217_625_000L),
        ADD_FULL_ACCESS_KEY(101_765_125_000L, 101_765_125_000L, 101_765_125_000L),
        ADD_FUNCTION_CALL_KEY(102_217_625_000L, 102_217_625_000L, 102_217_625_000L),
        ADD_FUNCTION_CALL_KEY_PER_BYTE(1_925_331L, 47_683_715L, 1_925_331L),
        DELETE_KEY(94_946_625_000L, 94_946_625_000L, 94_946_625_000L),
        DELEGATE(200_000_000_000L, 200_000_000_000L, 200_000_000_000L),
        DEPLOY_GLOBAL_CONTRACT(184_765_750_000L, 184_765_750_000L, 184_765_750_000L),
        DEPLOY_GLOBAL_CONTRACT_PER_BYTE(6_812_999L, 47_683_715L, 70_000_000L),
        USE_GLOBAL_CONTRACT(184_765_750_000L, 184_765_750_000L, 184_765_750_000L),
        USE_GLOBAL_CONTRACT_PER_IDENTIFIER_BYTE(6_812_999L, 47_683_715L, 64_572_944L);

        final long sendSir;
        final long sendNotSir;
        final long execution;

        Fee(long sendSir, long sendNotSir, long execution) {
            this.sendSir = sendSir;
            this.sendNotSir = sendNotSir;
            this.execution = execution;
        }

        long send(boolean signerIsReceiver) {
            return signerIsReceiver ? sendSir : sendNotSir;
        }
    }

    /** @throws ArithmeticException when the sums overflow u64 (nearcore's CostOverflow) */
    static TransactionCost of(SignedTransaction tx, BigInteger gasPrice) {
        boolean sir = tx.signerId().equals(tx.receiverId());
        long burnt = Fee.ACTION_RECEIPT_CREATION.send(sir);
        long prepaid = Fee.ACTION_RECEIPT_CREATION.execution;
        for (TransactionAction action : tx.actions()) {
            burnt = Math.addExact(burnt, send(action, sir));
            prepaid = Math.addExact(prepaid, exec(action));
            prepaid = Math.addExact(prepaid, action.prepaidGas());
        }
        BigInteger gas = BigInteger.valueOf(burnt).add(BigInteger.valueOf(prepaid));
        return new TransactionCost(burnt, prepaid, gas.multiply(gasPrice).add(tx.totalDeposit()));
    }

    private static long send(TransactionAction action, boolean sir) {
        return fee(action, sir, true);
    }

    private static long exec(TransactionAction action) {
        return fee(action, false, false);
    }

    private static long fee(TransactionAction action, boolean sir, boolean send) {
        if (action instanceof TransactionAction.CreateAccount) {
            return one(Fee.CREATE_ACCOUNT, sir, send);
        } else if (action instanceof TransactionAction.DeployContract deploy) {
            return one(Fee.DEPLOY_CONTRACT, sir, send)
                    + Math.multiplyExact(one(Fee.DEPLOY_CONTRACT_PER_BYTE, sir, send), deploy.code().length);
        } else if (action instanceof TransactionAction.FunctionCall call) {
            long bytes = (long) call.methodName().getBytes(StandardCharsets.UTF_8).length + call.args().length;
            return one(Fee.FUNCTION_CALL, sir, send)
                    + Math.multiplyExact(one(Fee.FUNCTION_CALL_PER_BYTE, sir, send), bytes);
        } else if (action instanceof TransactionAction.Transfer) {
            return one(Fee.TRANSFER, sir, send);
        } else if (action instanceof TransactionAction.Stake) {
            return one(Fee.STAKE, sir, send);
        } else if (action instanceof TransactionAction.AddKey add) {
            if (add.accessKey().permission() instanceof AccessKey.FunctionCall call) {
                long bytes = call.methodNames().stream()
                        .mapToLong(name -> name.getBytes(StandardCharsets.UTF_8).length)
                        .sum();
                return one(Fee.ADD_FUNCTION_CALL_KEY, sir, send)
                        + Math.multiplyExact(one(Fee.ADD_FUNCTION_CALL_KEY_PER_BYTE, sir, send), bytes);
            }
            return one(Fee.ADD_FULL_ACCESS_KEY, sir, send);
        } else if (action instanceof TransactionAction.DeleteKey) {
            return one(Fee.DELETE_KEY, sir, send);
        } else if (action instanceof TransactionAction.DeleteAccount) {
            return one(Fee.DELETE_ACCOUNT, sir, send);
        } else if (action instanceof TransactionAction.Delegate) {
            return one(Fee.DELEGATE, sir, send);
        } else if (action instanceof TransactionAction.DeployGlobalContract deploy) {
            return one(Fee.DEPLOY_GLOBAL_CONTRACT, sir, send)
                    + Math.multiplyExact(one(Fee.DEPLOY_GLOBAL_CONTRACT_PER_BYTE, sir, send), deploy.code().length);
        } else {
            TransactionAction.UseGlobalContract use = (TransactionAction.UseGlobalContract) action;
            long bytes = use.byAccountId() ? use.codeHashOrAccountId().length() : 32;
            return one(Fee.USE_GLOBAL_CONTRACT, sir, send)
                    + Math.multiplyExact(one(Fee.USE_GLOBAL_CONTRACT_PER_IDENTIFIER_BYTE, sir, send), bytes);
        }
    }

    private static long one(Fee fee, boolean sir, boolean send) {
        return send ? fee.send(sir) : fee.execution;
    }
}
