package dev.outlayer.bench.targetsystem.contracts;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

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
     * A refusal: {@code variant} names nearcore's ReceiptValidationError variant, or for
     * {@code ActionsValidation} the ActionsValidationError inside it; {@code serde} is the whole
     * ReceiptValidationError in serde's form ({@code {"ActionsValidation": ...}}, {@code
     * {"ReceiptSizeExceeded": {"size", "limit"}}}), what NewReceiptValidationError carries.
     */
    record Violation(String variant, Map<String, Object> serde, String message) {
        static Violation of(String variant, Object... namesAndValues) {
            ActionValidation.Error error = ActionValidation.error(variant, namesAndValues);
            return new Violation(variant, Map.of(variant, error.fields()), error.message());
        }

        static Violation actions(ActionValidation.Error error) {
            return new Violation(error.variant(), Map.of("ActionsValidation", error.serde()), error.message());
        }
    }

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
                return Violation.of("ReceiptSizeExceeded", "size", size, "limit", ExtCost.MAX_RECEIPT_SIZE);
            }
            if (inputs > ExtCost.MAX_NUMBER_INPUT_DATA_DEPENDENCIES) {
                return Violation.of(
                        "NumberInputDataDependenciesExceeded",
                        "number_of_input_data_dependencies",
                        (long) inputs,
                        "limit",
                        (long) ExtCost.MAX_NUMBER_INPUT_DATA_DEPENDENCIES);
            }
            ActionValidation.Error actions = ActionValidation.validate(receipt.actions(), receipt.receiverId());
            if (actions != null) {
                return Violation.actions(actions);
            }
        }
        return null;
    }

    /**
     * {@code borsh::object_length} of the receipt nearcore builds from a call's new receipt
     * (function_call.rs, since DeterministicAccountIds at 82): ReceiptV0 { predecessor_id, receiver_id,
     * receipt_id, ReceiptEnum::ActionV2(ActionReceiptV2 { signer_id, refund_to: Option<AccountId>,
     * signer_public_key, gas_price, output_data_receivers, input_data_ids, actions }) }.
     */
    static long receiptSize(
            String predecessorId,
            String signerId,
            PublicKey signerKey,
            PromiseLog.NewReceipt receipt,
            long outputReceiversSize,
            int inputDataIds) {
        long size = borshString(predecessorId) + borshString(receipt.receiverId()) + 32 + 1;
        size += borshString(signerId) + 1 + (receipt.refundTo() == null ? 0 : borshString(receipt.refundTo()));
        size += keySize(signerKey) + 16;
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
            if (add.accessKey().gasKey() != null) {
                size += 18; // GasKeyInfo: balance u128, num_nonces u16
            }
            AccessKey.FunctionCallPermission permission = add.accessKey().functionCall();
            if (permission != null) {
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
        if (action instanceof Action.TransferToGasKey transfer) {
            return keySize(transfer.publicKey()) + 16;
        }
        if (action instanceof Action.WithdrawFromGasKey withdraw) {
            return keySize(withdraw.publicKey()) + 16;
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
        if (action instanceof Action.DeterministicStateInit init) {
            return init.stateInitBorsh().length + 16L; // the state init, then the u128 deposit
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
