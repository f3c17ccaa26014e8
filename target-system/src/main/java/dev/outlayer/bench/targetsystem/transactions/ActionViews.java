package dev.outlayer.bench.targetsystem.transactions;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.outlayer.bench.targetsystem.contracts.Action;
import java.math.BigInteger;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * nearcore's ActionView (core/primitives/src/views.rs, near/nearcore d44e211 for the
 * shapes; priority_fee, nonce_index, the gas key and global contract variants, DelegateV2 and
 * DeterministicStateInit as current nodes send them) as records, serde's externally tagged enums as
 * {@link SerdeJson} describes. u64s held in a long's bits are shown unsigned ({@link #u64}).
 */
public final class ActionViews {
    private ActionViews() {}

    /** ActionView: {@code "CreateAccount"} or {@code {"<Variant>": {fields}}}. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.WRAPPER_OBJECT)
    public sealed interface ActionView {
        /** ActionView's unit variant. */
        enum Unit implements ActionView, SerdeJson.UnitVariant {
            CreateAccount
        }

        /** The code's hash in base64: nearcore shows the hash, not the code. */
        @JsonTypeName("DeployContract")
        record DeployContract(@JsonProperty("code") String code) implements ActionView {}

        @JsonTypeName("FunctionCall")
        record FunctionCall(
                @JsonProperty("method_name") String methodName,
                @JsonProperty("args") String args,
                @JsonProperty("gas") BigInteger gas,
                @JsonProperty("deposit") String deposit)
                implements ActionView {}

        @JsonTypeName("Transfer")
        record Transfer(@JsonProperty("deposit") String deposit) implements ActionView {}

        @JsonTypeName("Stake")
        record Stake(
                @JsonProperty("stake") String stake,
                @JsonProperty("public_key") String publicKey) implements ActionView {}

        @JsonTypeName("AddKey")
        record AddKey(
                @JsonProperty("public_key") String publicKey,
                @JsonProperty("access_key") AccessKeyView accessKey) implements ActionView {}

        @JsonTypeName("DeleteKey")
        record DeleteKey(@JsonProperty("public_key") String publicKey) implements ActionView {}

        @JsonTypeName("DeleteAccount")
        record DeleteAccount(@JsonProperty("beneficiary_id") String beneficiaryId) implements ActionView {}

        @JsonTypeName("Delegate")
        record Delegate(
                @JsonProperty("delegate_action") DelegateActionView delegateAction,
                @JsonProperty("signature") String signature)
                implements ActionView {}

        /** DelegateV2: the delegate action under {@code {"V2": ...}}. */
        @JsonTypeName("DelegateV2")
        record DelegateV2(
                @JsonProperty("delegate_action") DelegateActionV2 delegateAction,
                @JsonProperty("signature") String signature)
                implements ActionView {}

        @JsonTypeName("DeployGlobalContract")
        record DeployGlobalContract(@JsonProperty("code") String code) implements ActionView {}

        @JsonTypeName("DeployGlobalContractByAccountId")
        record DeployGlobalContractByAccountId(
                @JsonProperty("code") String code) implements ActionView {}

        @JsonTypeName("UseGlobalContract")
        record UseGlobalContract(@JsonProperty("code_hash") String codeHash) implements ActionView {}

        @JsonTypeName("UseGlobalContractByAccountId")
        record UseGlobalContractByAccountId(
                @JsonProperty("account_id") String accountId) implements ActionView {}

        @JsonTypeName("DeterministicStateInit")
        record DeterministicStateInit(@JsonValue StateInitView init) implements ActionView {}

        @JsonTypeName("TransferToGasKey")
        record TransferToGasKey(
                @JsonProperty("public_key") String publicKey,
                @JsonProperty("deposit") String deposit) implements ActionView {}

        @JsonTypeName("WithdrawFromGasKey")
        record WithdrawFromGasKey(
                @JsonProperty("public_key") String publicKey,
                @JsonProperty("amount") String amount) implements ActionView {}
    }

    /** DelegateAction; {@code nonce_index} (a gas key's slot) only in a V2 one that names it. */
    public record DelegateActionView(
            @JsonProperty("sender_id") String senderId,
            @JsonProperty("receiver_id") String receiverId,
            @JsonProperty("actions") List<ActionView> actions,
            @JsonProperty("nonce") BigInteger nonce,

            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("nonce_index")
            Integer nonceIndex,

            @JsonProperty("max_block_height") BigInteger maxBlockHeight,
            @JsonProperty("public_key") String publicKey) {}

    public record DelegateActionV2(@JsonProperty("V2") DelegateActionView v2) {}

    static ActionView view(Action action) {
        if (action instanceof Action.CreateAccount) {
            return ActionView.Unit.CreateAccount;
        } else if (action instanceof Action.DeployContract deploy) {
            return new ActionView.DeployContract(base64(SignedTransaction.sha256(deploy.code())));
        } else if (action instanceof Action.FunctionCall call) {
            return new ActionView.FunctionCall(
                    call.methodName(),
                    base64(call.args()),
                    u64(call.gas()),
                    call.deposit().toString());
        } else if (action instanceof Action.Transfer transfer) {
            return new ActionView.Transfer(transfer.deposit().toString());
        } else if (action instanceof Action.Stake stake) {
            return new ActionView.Stake(
                    stake.stake().toString(), stake.publicKey().toString());
        } else if (action instanceof Action.AddKey add) {
            return new ActionView.AddKey(add.publicKey().toString(), AccessKeyView.of(add.accessKey()));
        } else if (action instanceof Action.DeleteKey delete) {
            return new ActionView.DeleteKey(delete.publicKey().toString());
        } else if (action instanceof Action.Delegate delegate) {
            // views.rs: Delegate {delegate_action, signature}; DelegateV2 {delegate_action: {"V2": ...},
            // signature}, whose nonce carries the gas key slot as nonce_index
            DelegateActionView inner = new DelegateActionView(
                    delegate.senderId(),
                    delegate.receiverId(),
                    delegate.actions().stream().map(ActionViews::view).toList(), // [] when it has none
                    u64(delegate.nonce()),
                    delegate.nonceIndex() >= 0 ? delegate.nonceIndex() : null,
                    u64(delegate.maxBlockHeight()),
                    delegate.publicKey().toString());
            return delegate.v2()
                    ? new ActionView.DelegateV2(new DelegateActionV2(inner), delegate.signature())
                    : new ActionView.Delegate(inner, delegate.signature());
        } else if (action instanceof Action.DeployGlobalContract deploy) {
            // views.rs: the code's hash, as for DeployContract, under the deploy mode's variant
            String code = base64(SignedTransaction.sha256(deploy.code()));
            return deploy.byAccountId()
                    ? new ActionView.DeployGlobalContractByAccountId(code)
                    : new ActionView.DeployGlobalContract(code);
        } else if (action instanceof Action.UseGlobalContract use) {
            return use.contractId().isHash()
                    ? new ActionView.UseGlobalContract(use.contractId().value())
                    : new ActionView.UseGlobalContractByAccountId(
                            use.contractId().accountId());
        } else if (action instanceof Action.DeterministicStateInit init) {
            return new ActionView.DeterministicStateInit(StateInitView.of(init));
        } else if (action instanceof Action.TransferToGasKey transfer) {
            return new ActionView.TransferToGasKey(
                    transfer.publicKey().toString(), transfer.deposit().toString());
        } else if (action instanceof Action.WithdrawFromGasKey withdraw) {
            // views.rs ActionView::WithdrawFromGasKey { public_key, amount }
            return new ActionView.WithdrawFromGasKey(
                    withdraw.publicKey().toString(), withdraw.amount().toString());
        }
        return new ActionView.DeleteAccount(((Action.DeleteAccount) action).beneficiaryId());
    }

    /**
     * views.rs's ActionView::DeterministicStateInit: the code as GlobalContractIdentifierView ({@code
     * {"hash": base58}} or {@code {"account_id": id}}), the data as base64 keys and values in key order,
     * the deposit as a decimal string.
     */
    record StateInitView(
            @JsonProperty("code") Map<String, String> code,
            @JsonProperty("data") Map<String, String> data,
            @JsonProperty("deposit") String deposit) {
        static StateInitView of(Action.DeterministicStateInit init) {
            Map<String, String> code = init.code().isHash()
                    ? Map.of("hash", init.code().value())
                    : Map.of("account_id", init.code().accountId());
            Map<String, String> data = new LinkedHashMap<>();
            init.data().forEach((key, value) -> data.put(base64(key.array()), base64(value)));
            return new StateInitView(code, data, init.deposit().toString());
        }
    }

    /** A u64 held in a long's bits, as the number it is (2^64 - 1, not -1). */
    static BigInteger u64(long value) {
        return value >= 0 ? BigInteger.valueOf(value) : new BigInteger(Long.toUnsignedString(value));
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
