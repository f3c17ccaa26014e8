package dev.outlayer.bench.targetsystem.contracts;

import java.math.BigInteger;

/** nearcore's actions, as a transaction or a promise carries them in a receipt. */
public sealed interface Action
        permits Action.CreateAccount,
                Action.DeployContract,
                Action.FunctionCall,
                Action.Transfer,
                Action.Stake,
                Action.AddKey,
                Action.DeleteKey,
                Action.DeleteAccount {

    /** The tokens the action moves to the receiver (refunded to the predecessor if the receipt fails). */
    default BigInteger deposit() {
        return BigInteger.ZERO;
    }

    record CreateAccount() implements Action {}

    record DeployContract(byte[] code) implements Action {}

    /**
     * @param gas       prepaid gas for the call
     * @param gasWeight share of the creating call's unused gas (promises only; 0 for transactions)
     */
    record FunctionCall(String methodName, byte[] args, long gas, BigInteger deposit, long gasWeight)
            implements Action {
        public FunctionCall(String methodName, byte[] args, long gas, BigInteger deposit) {
            this(methodName, args, gas, deposit, 0);
        }

        FunctionCall withGas(long newGas) {
            return new FunctionCall(methodName, args, newGas, deposit, gasWeight);
        }
    }

    record Transfer(BigInteger deposit) implements Action {}

    record Stake(BigInteger stake, PublicKey publicKey) implements Action {}

    record AddKey(PublicKey publicKey, AccessKey accessKey) implements Action {}

    record DeleteKey(PublicKey publicKey) implements Action {}

    record DeleteAccount(String beneficiaryId) implements Action {}
}
