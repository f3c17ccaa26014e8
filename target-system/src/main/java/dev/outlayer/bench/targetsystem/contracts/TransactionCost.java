package dev.outlayer.bench.targetsystem.contracts;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * nearcore's {@code tx_cost} and access-key checks ({@code runtime/runtime/src/verifier.rs}):
 * the gas burnt converting a transaction into its receipt, what the signer pays up front
 * (send fees at the gas price, prepaid execution fees and gas at {@link Fee#RECEIPT_GAS_PRICE}, plus
 * deposits), and whether the key may sign it.
 */
record TransactionCost(long burntGas, long prepaidGas, BigInteger deposits, BigInteger total) {

    static long sendFees(String signerId, String receiverId, List<Action> actions) {
        boolean sir = signerId.equals(receiverId);
        long gas = Fee.action_receipt_creation.send(sir);
        for (Action action : actions) {
            gas = Fee.plus(gas, Fee.sendFee(action, sir, receiverId));
        }
        return gas;
    }

    static TransactionCost of(String signerId, String receiverId, List<Action> actions) {
        long burnt = sendFees(signerId, receiverId, actions);
        long attached = 0;
        long remaining = Fee.action_receipt_creation.execution;
        BigInteger deposits = BigInteger.ZERO;
        for (Action action : actions) {
            remaining = Fee.plus(remaining, Fee.prepaidExecFee(action, receiverId));
            for (Action call : action instanceof Action.Delegate d ? d.actions() : List.of(action)) {
                if (call instanceof Action.FunctionCall f) {
                    if (f.gas() < 0) {
                        throw actionsValidation("a function call attaches a negative amount of gas");
                    }
                    attached = Fee.plus(attached, f.gas());
                }
            }
            // A Delegate's inner send fees are prepaid too (burnt when its receipt is sent).
            remaining = Fee.plus(remaining, Fee.prepaidSendFees(action));
            deposits = deposits.add(action.deposit());
        }
        if (attached > ExtCost.MAX_TOTAL_PREPAID_GAS) {
            throw new InvalidTxException(
                    "ActionsValidation",
                    Map.of(
                            "kind",
                            "TotalPrepaidGasExceeded",
                            "total_prepaid_gas",
                            attached,
                            "limit",
                            ExtCost.MAX_TOTAL_PREPAID_GAS),
                    "the actions attach " + attached + " gas, the limit is " + ExtCost.MAX_TOTAL_PREPAID_GAS);
        }
        remaining = Fee.plus(remaining, attached);
        // config.rs calculate_tx_cost: the conversion's gas is burnt at the gas price, the receipts' gas
        // bought at receipt_gas_price = max(gas price, min_gas_purchase_price) (AccountCostIncrease, 85).
        BigInteger total = Fee.GAS_PRICE
                .multiply(BigInteger.valueOf(burnt))
                .add(Fee.RECEIPT_GAS_PRICE.multiply(BigInteger.valueOf(remaining)))
                .add(deposits);
        if (total.compareTo(VmLogic.U128_MAX) > 0) {
            throw new InvalidTxException("CostOverflow", Map.of(), "the transaction's cost exceeds u128");
        }
        return new TransactionCost(burnt, remaining, deposits, total);
    }

    private static InvalidTxException actionsValidation(String message) {
        return new InvalidTxException("ActionsValidation", Map.of(), message);
    }

    /**
     * The first access-key checks of verify_and_charge_tx_ephemeral: the key exists, the nonce is
     * above the key's and below {@code nonceUpperBound} (0: no bound). The balance is checked next,
     * then {@link #checkAllowance}, the storage stake and {@link #checkPermission}.
     */
    static void checkNonce(
            String signerId, PublicKey key, AccessKey accessKey, long nonce, boolean strict, long nonceUpperBound) {
        if (accessKey == null) {
            throw invalidKey(
                    "AccessKeyNotFound",
                    Map.of("account_id", signerId, "public_key", key.toString()),
                    "signer " + signerId + " has no access key " + key);
        }
        // verify_nonce: Monotonic any nonce above the key's, Strict (StrictNonce, 85) exactly the next one
        boolean wrong = strict
                ? accessKey.nonce() == -1L || nonce != accessKey.nonce() + 1
                : Long.compareUnsigned(nonce, accessKey.nonce()) <= 0;
        if (wrong) {
            throw new InvalidTxException(
                    "InvalidNonce",
                    // u64 numbers in nearcore's JSON (InvalidTx renders a Long unsigned), not strings
                    Map.of("tx_nonce", nonce, "ak_nonce", accessKey.nonce()),
                    "nonce " + Long.toUnsignedString(nonce) + " must be larger than the key's "
                            + Long.toUnsignedString(accessKey.nonce()));
        }
        if (nonceUpperBound != 0 && Long.compareUnsigned(nonce, nonceUpperBound) >= 0) {
            throw new InvalidTxException(
                    "NonceTooLarge",
                    Map.of("tx_nonce", nonce, "upper_bound", nonceUpperBound),
                    "nonce " + Long.toUnsignedString(nonce) + " is not below " + nonceUpperBound);
        }
    }

    /**
     * verifier.rs verify_and_charge_tx_ephemeral: a transaction with a plain nonce (V0, or V1 with a
     * TransactionNonce::Nonce) signed with a gas key is InvalidNonceIndex without an index, before its
     * nonce is looked at; a gas key signs a V1 whose nonce is a GasKeyNonce naming a slot.
     */
    static void checkNotGasKey(AccessKey accessKey) {
        if (accessKey != null && accessKey.gasKey() != null) {
            java.util.Map<String, Object> fields = new java.util.LinkedHashMap<>();
            fields.put("tx_nonce_index", null);
            fields.put("num_nonces", accessKey.gasKey().numNonces());
            throw new InvalidTxException(
                    "InvalidNonceIndex", fields, "a gas key signs only transactions that name one of its nonce slots");
        }
    }

    /** A function-call key's allowance must cover the cost (after the signer's balance was checked). */
    static void checkAllowance(String signerId, PublicKey key, AccessKey accessKey, BigInteger cost) {
        if (accessKey.permission() instanceof AccessKey.FunctionCallPermission permission
                && permission.allowance() != null
                && permission.allowance().compareTo(cost) < 0) {
            throw invalidKey(
                    "NotEnoughAllowance",
                    Map.of(
                            "account_id", signerId,
                            "public_key", key.toString(),
                            "allowance", permission.allowance().toString(),
                            "cost", cost.toString()),
                    "the key's allowance " + permission.allowance() + " does not cover the cost " + cost);
        }
    }

    /** What a function-call key may sign: one call, no deposit, its receiver and methods. Checked last. */
    static void checkPermission(AccessKey accessKey, String receiverId, List<Action> actions) {
        AccessKey.FunctionCallPermission permission = accessKey.functionCall();
        if (permission == null) {
            return;
        }
        if (actions.size() != 1 || !(actions.get(0) instanceof Action.FunctionCall call)) {
            throw invalidKey("RequiresFullAccess", Map.of(), "a function-call key signs exactly one function call");
        }
        if (call.deposit().signum() > 0) {
            throw invalidKey(
                    "DepositWithFunctionCall", Map.of(), "a function-call key cannot sign a call with a deposit");
        }
        if (!permission.receiverId().equals(receiverId)) {
            throw invalidKey(
                    "ReceiverMismatch",
                    Map.of("tx_receiver", receiverId, "ak_receiver", permission.receiverId()),
                    "the key may call " + permission.receiverId() + " only");
        }
        if (!permission.allowsMethod(call.methodName())) {
            throw invalidKey(
                    "MethodNameMismatch",
                    Map.of("method_name", call.methodName()),
                    "the key may not call " + call.methodName());
        }
    }

    private static InvalidTxException invalidKey(String kind, Map<String, Object> details, String message) {
        java.util.Map<String, Object> all = new java.util.LinkedHashMap<>(details);
        all.put("kind", kind);
        return new InvalidTxException("InvalidAccessKeyError", all, message);
    }
}
