package dev.outlayer.bench.targetsystem.contracts;

import dev.outlayer.bench.targetsystem.rpc.AccountIds;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * nearcore's {@code validate_receipt} in {@code NewReceipt} mode ({@code runtime/runtime/src/verifier.rs},
 * {@code validate_action_receipt}; {@code validate_actions} of {@code action_validation.rs}) for the
 * receipts a function call created, in nearcore's order: the receipt's Borsh size, its input data
 * dependencies, then its actions. nearcore runs it after each successful action
 * ({@code apply_action_receipt}); a refusal fails that action with {@code NewReceiptValidationError},
 * so the call's state changes are dropped while its gas stays burnt. Limits of protocol
 * {@value ExtCost#PROTOCOL_VERSION} (the 86 snapshot's {@code limit_config}).
 */
final class ReceiptValidation {
    private ReceiptValidation() {}

    /**
     * A refusal: nearcore's ReceiptValidationError variant, or for {@code ActionsValidation} the
     * ActionsValidationError variant inside it.
     */
    record Violation(String variant, String message) {}

    /**
     * Validates the receipts one call created, in creation order; the first refusal, or null.
     *
     * @param predecessorId the account whose call created them
     * @param receipts      the call's receipts; their dependencies index this list
     */
    static Violation validateNew(
            String predecessorId, String signerId, PublicKey signerKey, List<PromiseLog.NewReceipt> receipts) {
        long[] outputReceiversSize = new long[receipts.size()];
        for (PromiseLog.NewReceipt receipt : receipts) {
            for (int dependency : receipt.dependencies()) {
                // DataReceiver { data_id, receiver_id } on the receipt whose result this one waits for.
                outputReceiversSize[dependency] += 32 + borshString(receipt.receiverId());
            }
        }
        for (int i = 0; i < receipts.size(); i++) {
            PromiseLog.NewReceipt receipt = receipts.get(i);
            int inputs = receipt.yieldDataId() != null ? 1 : receipt.dependencies().length;
            long size = receiptSize(predecessorId, signerId, signerKey, receipt, outputReceiversSize[i], inputs);
            if (size > ExtCost.MAX_RECEIPT_SIZE) {
                return new Violation(
                        "ReceiptSizeExceeded",
                        "a new receipt to " + receipt.receiverId() + " is " + size + " bytes, the limit is "
                                + ExtCost.MAX_RECEIPT_SIZE);
            }
            if (inputs > ExtCost.MAX_NUMBER_INPUT_DATA_DEPENDENCIES) {
                return new Violation(
                        "NumberInputDataDependenciesExceeded",
                        "a new receipt waits for " + inputs + " data receipts, the limit is "
                                + ExtCost.MAX_NUMBER_INPUT_DATA_DEPENDENCIES);
            }
            Violation actions = validateActions(receipt.receiverId(), receipt.actions());
            if (actions != null) {
                return actions;
            }
        }
        return null;
    }

    /** nearcore's validate_actions (NewReceipt mode) for the actions of a receipt to {@code receiverId}. */
    static Violation validateActions(String receiverId, List<Action> actions) {
        if (actions.size() > ExtCost.MAX_ACTIONS_PER_RECEIPT) {
            return new Violation(
                    "TotalNumberOfActionsExceeded",
                    "a new receipt to " + receiverId + " has " + actions.size() + " actions, the limit is "
                            + ExtCost.MAX_ACTIONS_PER_RECEIPT);
        }
        // action_validation.rs validate_number_of_deploy_actions: global deploys count too.
        long deploys = actions.stream()
                .filter(a -> a instanceof Action.DeployContract || a instanceof Action.DeployGlobalContract)
                .count();
        if (deploys > ExtCost.MAX_DEPLOY_ACTIONS_PER_RECEIPT) {
            return new Violation(
                    "TotalNumberOfDeployActionsExceeded",
                    "a new receipt to " + receiverId + " has " + deploys + " deploy actions, the limit is "
                            + ExtCost.MAX_DEPLOY_ACTIONS_PER_RECEIPT);
        }
        long totalPrepaidGas = 0;
        for (int i = 0; i < actions.size(); i++) {
            Action action = actions.get(i);
            if (action instanceof Action.DeleteAccount && i + 1 < actions.size()) {
                return new Violation("DeleteActionMustBeFinal", "DeleteAccount must be a receipt's last action");
            }
            Violation violation = validateAction(action);
            if (violation != null) {
                return violation;
            }
            if (action instanceof Action.FunctionCall call) {
                totalPrepaidGas += call.gas(); // each at most the creating call's prepaid gas (1 Pgas)
            }
        }
        if (Long.compareUnsigned(totalPrepaidGas, ExtCost.MAX_TOTAL_PREPAID_GAS) > 0) {
            return new Violation(
                    "TotalPrepaidGasExceeded",
                    "a new receipt attaches " + Long.toUnsignedString(totalPrepaidGas) + " gas, the limit is "
                            + ExtCost.MAX_TOTAL_PREPAID_GAS);
        }
        return null;
    }

    private static Violation validateAction(Action action) {
        if (action instanceof Action.DeployContract deploy && deploy.code().length > ExtCost.MAX_CONTRACT_SIZE) {
            return new Violation(
                    "ContractSizeExceeded",
                    "a contract of " + deploy.code().length + " bytes, the limit is " + ExtCost.MAX_CONTRACT_SIZE);
        }
        if (action instanceof Action.DeployGlobalContract deploy && deploy.code().length > ExtCost.MAX_CONTRACT_SIZE) {
            return new Violation(
                    "ContractSizeExceeded",
                    "a global contract of " + deploy.code().length + " bytes, the limit is "
                            + ExtCost.MAX_CONTRACT_SIZE);
        }
        if (action instanceof Action.UseGlobalContract use
                && !use.contractId().isHash()
                && !AccountIds.isValid(use.contractId().accountId())) {
            return new Violation("InvalidAccountId", "the global contract's account id is not a valid account id");
        }
        if (action instanceof Action.FunctionCall call) {
            if (call.gas() == 0) {
                return new Violation("FunctionCallZeroAttachedGas", "a function call attaches no gas");
            }
            int nameLength = utf8Length(call.methodName());
            if (nameLength > ExtCost.MAX_LENGTH_METHOD_NAME) {
                return new Violation(
                        "FunctionCallMethodNameLengthExceeded",
                        "a method name of " + nameLength + " bytes, the limit is " + ExtCost.MAX_LENGTH_METHOD_NAME);
            }
            if (call.args().length > ExtCost.MAX_ARGUMENTS_LENGTH) {
                return new Violation(
                        "FunctionCallArgumentsLengthExceeded",
                        "arguments of " + call.args().length + " bytes, the limit is " + ExtCost.MAX_ARGUMENTS_LENGTH);
            }
        }
        if (action instanceof Action.Stake stake && !StakingKeys.valid(stake.publicKey())) {
            return new Violation(
                    "UnsuitableStakingKey", "the stake's key " + stake.publicKey() + " is not a valid staking key");
        }
        if (action instanceof Action.AddKey add
                && add.accessKey().permission() instanceof AccessKey.FunctionCallPermission permission) {
            return validatePermission(permission);
        }
        if (action instanceof Action.DeleteAccount delete && !AccountIds.isValid(delete.beneficiaryId())) {
            return new Violation("InvalidAccountId", "the beneficiary is not a valid account id");
        }
        return null;
    }

    /** nearcore's validate_access_key_permission (account_id_validity_rules_version 2). */
    private static Violation validatePermission(AccessKey.FunctionCallPermission permission) {
        if (!AccountIds.isValid(permission.receiverId())) {
            return new Violation("InvalidAccountId", "the key's receiver is not a valid account id");
        }
        long total = 0;
        for (String name : permission.methodNames()) {
            int length = utf8Length(name);
            if (length > ExtCost.MAX_LENGTH_METHOD_NAME) {
                return new Violation(
                        "AddKeyMethodNameLengthExceeded",
                        "a key's method name of " + length + " bytes, the limit is " + ExtCost.MAX_LENGTH_METHOD_NAME);
            }
            total += length + 1; // nearcore counts a terminating byte per name
        }
        if (total > ExtCost.MAX_NUMBER_BYTES_METHOD_NAMES) {
            return new Violation(
                    "AddKeyMethodNamesNumberOfBytesExceeded",
                    "a key's method names take " + total + " bytes, the limit is "
                            + ExtCost.MAX_NUMBER_BYTES_METHOD_NAMES);
        }
        return null;
    }

    /**
     * {@code borsh::object_length} of the receipt nearcore builds from a call's new receipt:
     * ReceiptV0 { predecessor_id, receiver_id, receipt_id, ReceiptEnum::Action(ActionReceipt {
     * signer_id, signer_public_key, gas_price, output_data_receivers, input_data_ids, actions }) }.
     */
    static long receiptSize(
            String predecessorId,
            String signerId,
            PublicKey signerKey,
            PromiseLog.NewReceipt receipt,
            long outputReceiversSize,
            int inputDataIds) {
        long size = borshString(predecessorId) + borshString(receipt.receiverId()) + 32 + 1;
        size += borshString(signerId) + keySize(signerKey) + 16;
        size += 4 + outputReceiversSize;
        size += 4 + 32L * inputDataIds;
        size += 4;
        for (Action action : receipt.actions()) {
            size += 1 + actionSize(action);
        }
        return size;
    }

    /** An action's Borsh size after its enum tag. */
    private static long actionSize(Action action) {
        if (action instanceof Action.DeployContract deploy) {
            return 4L + deploy.code().length;
        }
        if (action instanceof Action.FunctionCall call) {
            return borshString(call.methodName()) + 4L + call.args().length + 8 + 16;
        }
        if (action instanceof Action.Transfer) {
            return 16;
        }
        if (action instanceof Action.Stake stake) {
            return 16 + keySize(stake.publicKey());
        }
        if (action instanceof Action.AddKey add) {
            long size = keySize(add.publicKey()) + 8 + 1;
            if (add.accessKey().permission() instanceof AccessKey.FunctionCallPermission permission) {
                size += 1 + (permission.allowance() == null ? 0 : 16) + borshString(permission.receiverId()) + 4;
                for (String name : permission.methodNames()) {
                    size += borshString(name);
                }
            }
            return size;
        }
        if (action instanceof Action.DeleteKey delete) {
            return keySize(delete.publicKey());
        }
        if (action instanceof Action.DeleteAccount delete) {
            return borshString(delete.beneficiaryId());
        }
        if (action instanceof Action.DeployGlobalContract deploy) {
            return 4L + deploy.code().length + 1; // the code, then the deploy mode
        }
        if (action instanceof Action.UseGlobalContract use) {
            return use.contractId().toBorsh().length;
        }
        return 0; // CreateAccount; a contract creates no Delegate
    }

    private static long keySize(PublicKey key) {
        return key == null || key.curve() == PublicKey.ED25519 ? 33 : 65;
    }

    private static long borshString(String s) {
        return 4L + utf8Length(s);
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
