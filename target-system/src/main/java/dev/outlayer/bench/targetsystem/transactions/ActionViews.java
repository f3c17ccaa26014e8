package dev.outlayer.bench.targetsystem.transactions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.outlayer.bench.targetsystem.contracts.AccessKey;
import dev.outlayer.bench.targetsystem.contracts.Action;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.math.BigInteger;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** nearcore's ActionView and AccessKeyView JSON (core/primitives/src/views.rs). */
public final class ActionViews {
    private ActionViews() {}

    static JsonNode view(Action action) {
        ObjectNode view = JsonCodec.object();
        if (action instanceof Action.CreateAccount) {
            return TextNode.valueOf("CreateAccount");
        } else if (action instanceof Action.DeployContract deploy) {
            // nearcore shows the code's hash, not the code
            view.putObject("DeployContract").put("code", base64(SignedTransaction.sha256(deploy.code())));
        } else if (action instanceof Action.FunctionCall call) {
            view.putObject("FunctionCall")
                    .put("method_name", call.methodName())
                    .put("args", base64(call.args()))
                    .put("gas", u64(call.gas()))
                    .put("deposit", call.deposit().toString());
        } else if (action instanceof Action.Transfer transfer) {
            view.putObject("Transfer").put("deposit", transfer.deposit().toString());
        } else if (action instanceof Action.Stake stake) {
            view.putObject("Stake")
                    .put("stake", stake.stake().toString())
                    .put("public_key", stake.publicKey().toString());
        } else if (action instanceof Action.AddKey add) {
            ObjectNode body =
                    view.putObject("AddKey").put("public_key", add.publicKey().toString());
            body.set("access_key", accessKey(add.accessKey()));
        } else if (action instanceof Action.DeleteKey delete) {
            view.putObject("DeleteKey").put("public_key", delete.publicKey().toString());
        } else if (action instanceof Action.Delegate delegate) {
            // views.rs: Delegate {delegate_action, signature}; DelegateV2 {delegate_action: {"V2": ...},
            // signature}, whose nonce carries the gas key slot as nonce_index
            ObjectNode body = view.putObject(delegate.v2() ? "DelegateV2" : "Delegate");
            ObjectNode inner = (delegate.v2()
                            ? body.putObject("delegate_action").putObject("V2")
                            : body.putObject("delegate_action"))
                    .put("sender_id", delegate.senderId())
                    .put("receiver_id", delegate.receiverId());
            ArrayNode actions = inner.putArray("actions"); // [] when it has none
            delegate.actions().forEach(a -> actions.add(view(a)));
            inner.put("nonce", u64(delegate.nonce()));
            if (delegate.nonceIndex() >= 0) {
                inner.put("nonce_index", delegate.nonceIndex());
            }
            inner.put("max_block_height", u64(delegate.maxBlockHeight()))
                    .put("public_key", delegate.publicKey().toString());
            body.put("signature", delegate.signature());
        } else if (action instanceof Action.DeployGlobalContract deploy) {
            // views.rs: the code's hash, as for DeployContract, under the deploy mode's variant
            view.putObject(deploy.byAccountId() ? "DeployGlobalContractByAccountId" : "DeployGlobalContract")
                    .put("code", base64(SignedTransaction.sha256(deploy.code())));
        } else if (action instanceof Action.UseGlobalContract use) {
            if (use.contractId().isHash()) {
                view.putObject("UseGlobalContract")
                        .put("code_hash", use.contractId().value());
            } else {
                view.putObject("UseGlobalContractByAccountId")
                        .put("account_id", use.contractId().accountId());
            }
        } else if (action instanceof Action.DeterministicStateInit init) {
            view.set("DeterministicStateInit", JsonCodec.MAPPER.valueToTree(StateInitView.of(init)));
        } else if (action instanceof Action.TransferToGasKey transfer) {
            view.putObject("TransferToGasKey")
                    .put("public_key", transfer.publicKey().toString())
                    .put("deposit", transfer.deposit().toString());
        } else if (action instanceof Action.WithdrawFromGasKey withdraw) {
            // views.rs ActionView::WithdrawFromGasKey { public_key, amount }
            view.putObject("WithdrawFromGasKey")
                    .put("public_key", withdraw.publicKey().toString())
                    .put("amount", withdraw.amount().toString());
        } else {
            view.putObject("DeleteAccount").put("beneficiary_id", ((Action.DeleteAccount) action).beneficiaryId());
        }
        return view;
    }

    /**
     * views.rs's ActionView::DeterministicStateInit: the code as GlobalContractIdentifierView ({@code
     * {"hash": base58}} or {@code {"account_id": id}}), the data as base64 keys and values in key order,
     * the deposit as a decimal string.
     */
    record StateInitView(Map<String, String> code, Map<String, String> data, String deposit) {
        static StateInitView of(Action.DeterministicStateInit init) {
            Map<String, String> code = init.code().isHash()
                    ? Map.of("hash", init.code().value())
                    : Map.of("account_id", init.code().accountId());
            Map<String, String> data = new LinkedHashMap<>();
            init.data().forEach((key, value) -> data.put(base64(key.array()), base64(value)));
            return new StateInitView(code, data, init.deposit().toString());
        }
    }

    /** views.rs's AccessKeyView as a tree, for the views that hold one (AddKey actions, state changes). */
    public static ObjectNode accessKey(AccessKey key) {
        return JsonCodec.MAPPER.valueToTree(AccessKeyView.of(key));
    }

    /** A u64 held in a long's bits, as the number it is (2^64 - 1, not -1). */
    static BigInteger u64(long value) {
        return new BigInteger(Long.toUnsignedString(value));
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
