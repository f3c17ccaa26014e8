package dev.outlayer.bench.targetsystem.transactions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.contracts.AccessKey;
import dev.outlayer.bench.targetsystem.contracts.Action;
import dev.outlayer.bench.targetsystem.contracts.ExtCost;
import dev.outlayer.bench.targetsystem.contracts.StakingKeys;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * nearcore's {@code validate_actions} (runtime/runtime/src/verifier.rs, action_validation.rs): the
 * checks a transaction's actions pass before any state is read, each failure an
 * {@code ActionsValidation} error. The receipts contracts create pass the same checks in the
 * receipt engine ({@code contracts.ReceiptValidation}).
 */
final class ActionsValidation {
    private ActionsValidation() {}

    static void check(List<Action> actions, TransactionLimits limits) {
        if (actions.size() > limits.maxActionsPerReceipt()) {
            throw fail(
                    "TotalNumberOfActionsExceeded",
                    JsonCodec.object()
                            .put("total_number_of_actions", actions.size())
                            .put("limit", limits.maxActionsPerReceipt()));
        }
        // validate_number_of_deploy_actions: global deploys count too.
        long deploys = actions.stream()
                .filter(a -> a instanceof Action.DeployContract || a instanceof Action.DeployGlobalContract)
                .count();
        if (deploys > ExtCost.MAX_DEPLOY_ACTIONS_PER_RECEIPT) {
            throw fail(
                    "TotalNumberOfDeployActionsExceeded",
                    JsonCodec.object()
                            .put("number_of_deploy_actions", deploys)
                            .put("limit", ExtCost.MAX_DEPLOY_ACTIONS_PER_RECEIPT));
        }
        boolean deleteSeen = false;
        boolean delegateSeen = false;
        long totalPrepaidGas = 0;
        for (Action action : actions) {
            if (deleteSeen) {
                throw fail("DeleteActionMustBeFinal", null);
            }
            deleteSeen = action instanceof Action.DeleteAccount;
            if (action instanceof Action.Delegate delegate) {
                if (delegateSeen) {
                    throw fail("DelegateActionMustBeOnlyOne", null);
                }
                delegateSeen = true;
                check(delegate.actions(), limits); // nearcore's validate_delegate_action
            }
            checkOne(action, limits);
            try {
                totalPrepaidGas = addGas(totalPrepaidGas, prepaidGas(action));
            } catch (ArithmeticException e) {
                throw fail("IntegerOverflow", null);
            }
        }
        if (Long.compareUnsigned(totalPrepaidGas, limits.maxTotalPrepaidGas()) > 0) {
            throw fail(
                    "TotalPrepaidGasExceeded",
                    JsonCodec.object()
                            .put("total_prepaid_gas", new BigInteger(Long.toUnsignedString(totalPrepaidGas)))
                            .put("limit", limits.maxTotalPrepaidGas()));
        }
    }

    /**
     * nearcore's total_prepaid_gas of one action: a call's gas, a delegate's inner calls' gas. Gas
     * is a u64 (a Java long's bits), so the sum is unsigned and overflows past 2^64 - 1, not 2^63 - 1.
     */
    private static long prepaidGas(Action action) {
        if (action instanceof Action.Delegate delegate) {
            long gas = 0;
            for (Action inner : delegate.actions()) {
                gas = addGas(gas, prepaidGas(inner));
            }
            return gas;
        }
        return action instanceof Action.FunctionCall call ? call.gas() : 0;
    }

    /** u64 addition as nearcore's safe_add_gas: ArithmeticException past 2^64 - 1. */
    private static long addGas(long a, long b) {
        long sum = a + b;
        if (Long.compareUnsigned(sum, a) < 0) {
            throw new ArithmeticException("u64 overflow");
        }
        return sum;
    }

    private static void checkOne(Action action, TransactionLimits limits) {
        if (action instanceof Action.DeployContract deploy && deploy.code().length > limits.maxContractSize()) {
            throw fail(
                    "ContractSizeExceeded",
                    JsonCodec.object().put("size", deploy.code().length).put("limit", limits.maxContractSize()));
        } else if (action instanceof Action.DeployGlobalContract deploy
                && deploy.code().length > limits.maxContractSize()) {
            // validate_deploy_global_contract_action
            throw fail(
                    "ContractSizeExceeded",
                    JsonCodec.object().put("size", deploy.code().length).put("limit", limits.maxContractSize()));
        } else if (action instanceof Action.FunctionCall call) {
            if (call.gas() == 0) {
                throw fail("FunctionCallZeroAttachedGas", null);
            }
            int nameLength = call.methodName().getBytes(StandardCharsets.UTF_8).length;
            if (nameLength > limits.maxLengthMethodName()) {
                throw fail(
                        "FunctionCallMethodNameLengthExceeded",
                        JsonCodec.object().put("length", nameLength).put("limit", limits.maxLengthMethodName()));
            }
            if (call.args().length > limits.maxArgumentsLength()) {
                throw fail(
                        "FunctionCallArgumentsLengthExceeded",
                        JsonCodec.object().put("length", call.args().length).put("limit", limits.maxArgumentsLength()));
            }
        } else if (action instanceof Action.Stake stake && !StakingKeys.valid(stake.publicKey())) {
            throw fail(
                    "UnsuitableStakingKey",
                    JsonCodec.object().put("public_key", stake.publicKey().toString()));
        } else if (action instanceof Action.AddKey add
                && add.accessKey().permission() instanceof AccessKey.FunctionCallPermission call) {
            long totalBytes = 0;
            for (String name : call.methodNames()) {
                int length = name.getBytes(StandardCharsets.UTF_8).length;
                if (length > limits.maxLengthMethodName()) {
                    throw fail(
                            "AddKeyMethodNameLengthExceeded",
                            JsonCodec.object().put("length", length).put("limit", limits.maxLengthMethodName()));
                }
                // nearcore counts a separator byte per name
                totalBytes += length + 1;
            }
            if (totalBytes > limits.maxNumberBytesMethodNames()) {
                throw fail(
                        "AddKeyMethodNamesNumberOfBytesExceeded",
                        JsonCodec.object()
                                .put("total_number_of_bytes", totalBytes)
                                .put("limit", limits.maxNumberBytesMethodNames()));
            }
        }
    }

    private static RuntimeException fail(String variant, ObjectNode fields) {
        return InvalidTx.actionsValidation(variant, fields);
    }
}
