package dev.outlayer.bench.targetsystem.contracts;

import java.math.BigInteger;
import java.util.List;

/** nearcore's actions, as a transaction or a promise carries them in a receipt. */
public sealed interface Action
        permits Action.CreateAccount,
                Action.DeployContract,
                Action.FunctionCall,
                Action.Transfer,
                Action.Stake,
                Action.AddKey,
                Action.DeleteKey,
                Action.DeleteAccount,
                Action.Delegate,
                Action.DeployGlobalContract,
                Action.UseGlobalContract {

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

    /**
     * NEP-591's DeployGlobalContractAction (core/primitives/src/action/mod.rs): the code, published by
     * its hash ({@code CodeHash}) or under the deploying account ({@code AccountId}, redeployable).
     */
    record DeployGlobalContract(byte[] code, boolean byAccountId) implements Action {
        /** The identifier this deploy publishes on {@code deployerId}: sha256 of the code, or the deployer. */
        public GlobalContractId contractId(String deployerId) {
            return byAccountId
                    ? GlobalContractId.byAccount(deployerId)
                    : GlobalContractId.byHash(ReceiptEngine.sha256().digest(code));
        }
    }

    /** NEP-591's UseGlobalContractAction: the receiver runs the global contract {@code contractId}. */
    record UseGlobalContract(GlobalContractId contractId) implements Action {}

    /**
     * NEP-366's SignedDelegateAction (core/primitives/src/action/delegate.rs): actions the sender
     * signed for a relayer to put into its own transaction to the sender.
     *
     * @param actions        the inner actions (never a Delegate)
     * @param signature      near-crypto's text form of the signature
     * @param signatureValid whether the signature is the public key's over the NEP-461 hash of the
     *     Borsh DelegateAction, checked where the bytes were read; nearcore fails the action (not the
     *     transaction) when it is not
     */
    record Delegate(
            String senderId,
            String receiverId,
            List<Action> actions,
            long nonce,
            long maxBlockHeight,
            PublicKey publicKey,
            String signature,
            boolean signatureValid)
            implements Action {
        public Delegate {
            actions = List.copyOf(actions);
        }

        /** nearcore's total_deposit: the relayer pays the inner deposits. */
        @Override
        public BigInteger deposit() {
            BigInteger total = BigInteger.ZERO;
            for (Action action : actions) {
                total = total.add(action.deposit());
            }
            return total;
        }
    }
}
