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
                Action.UseGlobalContract,
                Action.DeterministicStateInit,
                Action.TransferToGasKey,
                Action.WithdrawFromGasKey {

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

    /**
     * nearcore's TransferToGasKeyAction (GasKeys, protocol 85): the deposit, taken from the sender as
     * any deposit, goes to the balance of the receiver's gas key {@code publicKey}.
     */
    record TransferToGasKey(PublicKey publicKey, BigInteger deposit) implements Action {}

    /**
     * nearcore's WithdrawFromGasKeyAction (GasKeys, protocol 85): {@code amount} leaves the balance of
     * the receiver's own gas key {@code publicKey} for the account's balance; no deposit, so nothing
     * to refund.
     */
    record WithdrawFromGasKey(PublicKey publicKey, BigInteger amount) implements Action {}

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
     * NEP-616's DeterministicStateInitAction (core/primitives/src/action/mod.rs): the account whose id
     * derives from {@code state_init} (DeterministicAccountStateInit::V1 { code, data }) is created if
     * missing and, while it has no code, given the global contract {@code code} and the entries
     * {@code data}; {@code deposit} pays its storage, the rest goes back.
     *
     * @param data the initial storage, ordered as nearcore's BTreeMap<Vec<u8>, Vec<u8>> (unsigned bytes)
     */
    record DeterministicStateInit(GlobalContractId code, java.util.SortedMap<Bytes, byte[]> data, BigInteger deposit)
            implements Action {
        public DeterministicStateInit {
            data = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(data));
        }

        /** This action with one more entry (set_state_init_data_entry), or null when the key is set already. */
        DeterministicStateInit withEntry(byte[] key, byte[] value) {
            Bytes k = Bytes.wrap(key.clone());
            if (data.containsKey(k)) {
                return null;
            }
            java.util.TreeMap<Bytes, byte[]> more = new java.util.TreeMap<>(data);
            more.put(k, value.clone());
            return new DeterministicStateInit(code, more, deposit);
        }

        /** Borsh of DeterministicAccountStateInit::V1: tag 0, the code identifier, then the map (u32 count, entries). */
        public byte[] stateInitBorsh() {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            out.write(0);
            out.writeBytes(code.toBorsh());
            writeU32(out, data.size());
            data.forEach((key, value) -> {
                writeU32(out, key.length());
                out.writeBytes(key.array());
                writeU32(out, value.length);
                out.writeBytes(value);
            });
            return out.toByteArray();
        }

        /**
         * nearcore's derive_near_deterministic_account_id (core/primitives/src/utils.rs): "0s" and the hex
         * of the last 20 bytes of keccak256 of the Borsh state init.
         */
        public String derivedAccountId() {
            byte[] borsh = stateInitBorsh();
            org.bouncycastle.crypto.digests.KeccakDigest keccak = new org.bouncycastle.crypto.digests.KeccakDigest(256);
            keccak.update(borsh, 0, borsh.length);
            byte[] hash = new byte[32];
            keccak.doFinal(hash, 0);
            return "0s" + java.util.HexFormat.of().formatHex(hash, 12, 32);
        }

        /** DeterministicAccountStateInit::len_bytes: the keys' and values' bytes summed, what the per-byte fee counts. */
        public long dataBytes() {
            long bytes = 0;
            for (java.util.Map.Entry<Bytes, byte[]> entry : data.entrySet()) {
                bytes += entry.getKey().length() + entry.getValue().length;
            }
            return bytes;
        }

        private static void writeU32(java.io.ByteArrayOutputStream out, int value) {
            for (int i = 0; i < 4; i++) {
                out.write(value >>> (8 * i));
            }
        }
    }

    /**
     * NEP-366's SignedDelegateAction (core/primitives/src/action/delegate.rs): actions the sender
     * signed for a relayer to put into its own transaction to the sender.
     *
     * @param actions        the inner actions (never a Delegate)
     * @param signature      near-crypto's text form of the signature
     * @param signatureValid whether the signature is the public key's over the NEP-461 hash of the
     *     Borsh DelegateAction, checked where the bytes were read; nearcore fails the action (not the
     *     transaction) when it is not
     * @param v2 NEP-611's DelegateV2 (action 14, DelegateActionV2 in a versioned payload, signed under
     *     the prefix 2^30 + 611): its nonce is a TransactionNonce
     * @param nonceIndex the gas key nonce slot a DelegateV2's GasKeyNonce names, else -1
     */
    record Delegate(
            String senderId,
            String receiverId,
            List<Action> actions,
            long nonce,
            long maxBlockHeight,
            PublicKey publicKey,
            String signature,
            boolean signatureValid,
            boolean v2,
            int nonceIndex)
            implements Action {
        public Delegate {
            actions = List.copyOf(actions);
        }

        /** NEP-366's delegate action (action 8): a plain nonce. */
        public Delegate(
                String senderId,
                String receiverId,
                List<Action> actions,
                long nonce,
                long maxBlockHeight,
                PublicKey publicKey,
                String signature,
                boolean signatureValid) {
            this(senderId, receiverId, actions, nonce, maxBlockHeight, publicKey, signature, signatureValid, false, -1);
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
