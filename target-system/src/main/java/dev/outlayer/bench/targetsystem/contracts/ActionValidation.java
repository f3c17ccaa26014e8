package dev.outlayer.bench.targetsystem.contracts;

import dev.outlayer.bench.targetsystem.rpc.AccountIds;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * nearcore's {@code validate_actions} in {@code NewReceipt} mode ({@code runtime/runtime/src/action_validation.rs}),
 * the one check of a list of actions: a transaction's before it is accepted ({@code validate_transaction})
 * and the receipts a contract creates ({@link ReceiptValidation}). Checks in nearcore's order, limits
 * of protocol {@value ExtCost#PROTOCOL_VERSION}.
 */
public final class ActionValidation {
    private ActionValidation() {}

    /**
     * An {@code ActionsValidationError}: its variant and fields in nearcore's declaration order (u64s
     * as {@code Long}, account ids and keys as text); no fields for a unit variant.
     */
    public record Error(String variant, Map<String, Object> fields) {
        public Error {
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }

        /** serde's form: a unit variant is its bare name, any other {@code {variant: {fields}}}. */
        public Object serde() {
            return fields.isEmpty() ? variant : Map.of(variant, fields);
        }

        public String message() {
            return fields.isEmpty() ? variant : variant + " " + fields;
        }
    }

    /**
     * The first refusal of {@code actions} sent to {@code receiverId}, or null when they pass. The
     * receiver matters to a DeterministicStateInit, whose derived account id it must be.
     */
    public static Error validate(List<Action> actions, String receiverId) {
        if (actions.size() > ExtCost.MAX_ACTIONS_PER_RECEIPT) {
            return error(
                    "TotalNumberOfActionsExceeded", "total_number_of_actions", (long) actions.size(), "limit", (long)
                            ExtCost.MAX_ACTIONS_PER_RECEIPT);
        }
        long deploys = actions.stream()
                .filter(a -> a instanceof Action.DeployContract || a instanceof Action.DeployGlobalContract)
                .count();
        if (deploys > ExtCost.MAX_DEPLOY_ACTIONS_PER_RECEIPT) {
            return error("TotalNumberOfDeployActionsExceeded", "number_of_deploy_actions", deploys, "limit", (long)
                    ExtCost.MAX_DEPLOY_ACTIONS_PER_RECEIPT);
        }
        boolean delegateSeen = false;
        for (int i = 0; i < actions.size(); i++) {
            Action action = actions.get(i);
            if (action instanceof Action.DeleteAccount && i + 1 < actions.size()) {
                return error("DeleteActionMustBeFinal");
            }
            if (action instanceof Action.Delegate) {
                if (delegateSeen) {
                    return error("DelegateActionMustBeOnlyOne");
                }
                delegateSeen = true;
            }
            Error refused = validateAction(action, receiverId);
            if (refused != null) {
                return refused;
            }
        }
        long totalPrepaidGas;
        try {
            totalPrepaidGas = prepaidGas(actions);
        } catch (ArithmeticException overflow) {
            return error("IntegerOverflow");
        }
        if (Long.compareUnsigned(totalPrepaidGas, ExtCost.MAX_TOTAL_PREPAID_GAS) > 0) {
            return error(
                    "TotalPrepaidGasExceeded",
                    "total_prepaid_gas",
                    totalPrepaidGas,
                    "limit",
                    ExtCost.MAX_TOTAL_PREPAID_GAS);
        }
        return null;
    }

    private static Error validateAction(Action action, String receiverId) {
        if (action instanceof Action.DeployContract deploy) {
            return contractSize(deploy.code());
        }
        if (action instanceof Action.DeployGlobalContract deploy) {
            return contractSize(deploy.code());
        }
        if (action instanceof Action.UseGlobalContract use && !use.contractId().isHash()) {
            return accountId(use.contractId().accountId());
        }
        if (action instanceof Action.FunctionCall call) {
            if (call.gas() == 0) {
                return error("FunctionCallZeroAttachedGas");
            }
            long nameLength = utf8Length(call.methodName());
            if (nameLength > ExtCost.MAX_LENGTH_METHOD_NAME) {
                return error("FunctionCallMethodNameLengthExceeded", "length", nameLength, "limit", (long)
                        ExtCost.MAX_LENGTH_METHOD_NAME);
            }
            if (call.args().length > ExtCost.MAX_ARGUMENTS_LENGTH) {
                return error(
                        "FunctionCallArgumentsLengthExceeded",
                        "length",
                        (long) call.args().length,
                        "limit",
                        ExtCost.MAX_ARGUMENTS_LENGTH);
            }
            return null;
        }
        if (action instanceof Action.Stake stake && !StakingKeys.valid(stake.publicKey())) {
            return error("UnsuitableStakingKey", "public_key", stake.publicKey().toString());
        }
        if (action instanceof Action.AddKey add) {
            return validateAddKey(add.accessKey());
        }
        if (action instanceof Action.DeleteAccount delete) {
            return accountId(delete.beneficiaryId());
        }
        if (action instanceof Action.Delegate delegate) {
            // validate_delegate_action: against the delegate's receiver since FixDelegatedDeterministicStateInit (85)
            return validate(delegate.actions(), delegate.receiverId());
        }
        if (action instanceof Action.DeterministicStateInit init) {
            return validateStateInit(init, receiverId);
        }
        return null;
    }

    /**
     * nearcore's validate_deterministic_state_init: the code's account id, the receiver being the id
     * the state init derives, then each key and value within the storage limits.
     */
    private static Error validateStateInit(Action.DeterministicStateInit init, String receiverId) {
        if (!init.code().isHash()) {
            Error code = accountId(init.code().accountId());
            if (code != null) {
                return code;
            }
        }
        String derived = init.derivedAccountId();
        if (!derived.equals(receiverId)) {
            return error("InvalidDeterministicStateInitReceiver", "receiver_id", receiverId, "derived_id", derived);
        }
        for (java.util.Map.Entry<Bytes, byte[]> entry : init.data().entrySet()) {
            if (entry.getKey().length() > ExtCost.MAX_LENGTH_STORAGE_KEY) {
                return error(
                        "DeterministicStateInitKeyLengthExceeded",
                        "length",
                        (long) entry.getKey().length(),
                        "limit",
                        ExtCost.MAX_LENGTH_STORAGE_KEY);
            }
            if (entry.getValue().length > ExtCost.MAX_LENGTH_STORAGE_VALUE) {
                return error(
                        "DeterministicStateInitValueLengthExceeded",
                        "length",
                        (long) entry.getValue().length,
                        "limit",
                        ExtCost.MAX_LENGTH_STORAGE_VALUE);
            }
        }
        return null;
    }

    private static Error contractSize(byte[] code) {
        return code.length > ExtCost.MAX_CONTRACT_SIZE
                ? error("ContractSizeExceeded", "size", (long) code.length, "limit", (long) ExtCost.MAX_CONTRACT_SIZE)
                : null;
    }

    private static Error accountId(String accountId) {
        return AccountIds.isValid(accountId) ? null : error("InvalidAccountId", "account_id", accountId);
    }

    /**
     * nearcore's validate_add_key_action (runtime/runtime/src/action_validation.rs): the permission's
     * limits, then for a gas key a null allowance, 1 to 1,024 nonce slots and a zero balance.
     */
    private static Error validateAddKey(AccessKey key) {
        AccessKey.FunctionCallPermission call = key.functionCall();
        if (call != null) {
            Error permission = validatePermission(call);
            if (permission != null) {
                return permission;
            }
        }
        AccessKey.GasKeyInfo gasKey = key.gasKey();
        if (gasKey == null) {
            return null;
        }
        if (call != null && call.allowance() != null) {
            return error("GasKeyFunctionCallAllowanceNotAllowed");
        }
        if (gasKey.numNonces() == 0 || gasKey.numNonces() > AccessKey.MAX_NONCES_FOR_GAS_KEY) {
            return error(
                    "GasKeyInvalidNumNonces",
                    "requested_nonces",
                    gasKey.numNonces(),
                    "limit",
                    AccessKey.MAX_NONCES_FOR_GAS_KEY);
        }
        if (gasKey.balance().signum() != 0) {
            return error(
                    "AddGasKeyWithNonZeroBalance", "balance", gasKey.balance().toString());
        }
        return null;
    }

    /** nearcore's validate_access_key_permission (account_id_validity_rules_version 2). */
    private static Error validatePermission(AccessKey.FunctionCallPermission permission) {
        Error receiver = accountId(permission.receiverId());
        if (receiver != null) {
            return receiver;
        }
        long total = 0;
        for (String name : permission.methodNames()) {
            long length = utf8Length(name);
            if (length > ExtCost.MAX_LENGTH_METHOD_NAME) {
                return error("AddKeyMethodNameLengthExceeded", "length", length, "limit", (long)
                        ExtCost.MAX_LENGTH_METHOD_NAME);
            }
            total += length + 1; // nearcore counts a terminating byte per name
        }
        if (total > ExtCost.MAX_NUMBER_BYTES_METHOD_NAMES) {
            return error("AddKeyMethodNamesNumberOfBytesExceeded", "total_number_of_bytes", total, "limit", (long)
                    ExtCost.MAX_NUMBER_BYTES_METHOD_NAMES);
        }
        return null;
    }

    /**
     * nearcore's total_prepaid_gas: the calls' gas, a delegate's inner calls' gas. Gas is a u64 (a
     * long's bits), so the sum is unsigned and overflows past 2^64 - 1 (ArithmeticException).
     */
    private static long prepaidGas(List<Action> actions) {
        long total = 0;
        for (Action action : actions) {
            long gas = action instanceof Action.Delegate delegate
                    ? prepaidGas(delegate.actions())
                    : action instanceof Action.FunctionCall call ? call.gas() : 0;
            long sum = total + gas;
            if (Long.compareUnsigned(sum, total) < 0) {
                throw new ArithmeticException("u64 overflow");
            }
            total = sum;
        }
        return total;
    }

    private static long utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** An error with its fields given as name, value, name, value... */
    static Error error(String variant, Object... namesAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return new Error(variant, fields);
    }
}
