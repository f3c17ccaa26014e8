package dev.outlayer.bench.targetsystem.transactions;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.outlayer.bench.targetsystem.contracts.ReceiptRecord;
import java.util.Base64;
import java.util.List;

/**
 * nearcore's ReceiptView JSON (core/primitives/src/views.rs): {@code predecessor_id},
 * {@code receiver_id}, {@code receipt_id}, {@code receipt} as ReceiptEnumView's {@code Action} or
 * {@code Data} variant and {@code priority} (0: no priority, as every receipt before priority fees).
 */
final class ReceiptViews {
    private ReceiptViews() {}

    /** near_crypto's PublicKey::empty(ED25519), the key of balance refunds: 32 zero bytes. */
    static final String EMPTY_ED25519_KEY = "ed25519:11111111111111111111111111111111";

    record ReceiptView(
            @JsonProperty("predecessor_id") String predecessorId,
            @JsonProperty("receiver_id") String receiverId,
            @JsonProperty("receipt_id") String receiptId,
            @JsonProperty("receipt") ReceiptEnumView receipt,
            @JsonProperty("priority") long priority) {}

    /** ReceiptEnumView, externally tagged: one of the two members is set. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ReceiptEnumView(
            @JsonProperty("Action") ActionReceiptView action,
            @JsonProperty("Data") DataReceiptView data) {}

    /** ReceiptEnumView::Data: the value in base64, null for a failed result or a timed-out yield. */
    record DataReceiptView(
            @JsonProperty("data_id") String dataId,

            @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("data")
            String data,

            @JsonProperty("is_promise_resume") boolean isPromiseResume) {}

    record ActionReceiptView(
            @JsonProperty("signer_id") String signerId,
            @JsonProperty("signer_public_key") String signerPublicKey,
            @JsonProperty("gas_price") String gasPrice,
            @JsonProperty("output_data_receivers") List<DataReceiverView> outputDataReceivers,
            @JsonProperty("input_data_ids") List<String> inputDataIds,
            @JsonProperty("actions") List<ActionViews.ActionView> actions,
            @JsonProperty("is_promise_yield") boolean isPromiseYield) {}

    record DataReceiverView(
            @JsonProperty("data_id") String dataId,
            @JsonProperty("receiver_id") String receiverId) {}

    /** The view of {@code receipt}; a deploy shows its code's hash, as every ActionView does. */
    static ReceiptView view(ReceiptRecord receipt) {
        ReceiptRecord.Data data = receipt.data();
        if (data != null) {
            DataReceiptView body = new DataReceiptView(
                    data.dataId(),
                    data.value() == null ? null : Base64.getEncoder().encodeToString(data.value()),
                    data.promiseResume());
            return new ReceiptView(
                    receipt.predecessorId(),
                    receipt.receiverId(),
                    receipt.receiptId(),
                    new ReceiptEnumView(null, body),
                    0);
        }
        ActionReceiptView action = new ActionReceiptView(
                receipt.signerId(),
                receipt.signerPublicKey() == null
                        ? EMPTY_ED25519_KEY
                        : receipt.signerPublicKey().toString(),
                receipt.gasPrice().toString(),
                receipt.outputDataReceivers().stream()
                        .map(d -> new DataReceiverView(d.dataId(), d.receiverId()))
                        .toList(),
                receipt.inputDataIds(),
                receipt.actions().stream().map(ActionViews::view).toList(),
                receipt.promiseYield());
        return new ReceiptView(
                receipt.predecessorId(),
                receipt.receiverId(),
                receipt.receiptId(),
                new ReceiptEnumView(action, null),
                0);
    }
}
