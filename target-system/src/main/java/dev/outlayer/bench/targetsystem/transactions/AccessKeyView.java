package dev.outlayer.bench.targetsystem.transactions;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.outlayer.bench.targetsystem.contracts.AccessKey;
import java.math.BigInteger;
import java.util.List;

/**
 * nearcore's AccessKeyView (core/primitives/src/views.rs, read at near/nearcore d44e2115): {@code {"nonce":
 * u64, "permission": AccessKeyPermissionView}}, the permission serde's externally tagged enum: the unit
 * variant {@code "FullAccess"} as a string, the others as a one-member object named after the variant.
 * The gas-key variants (NEP-611) are newer than the views.rs stored there; their members are in the order
 * the emulator has always written them (docs/rpc-emulator.md, contracts.md "Gas keys").
 *
 * @param permission {@link #FULL_ACCESS}, {@link FunctionCall}, {@link GasKeyFullAccess} or {@link GasKeyFunctionCall}
 */
public record AccessKeyView(BigInteger nonce, Object permission) {
    /** The unit variant, which serde writes as its name. */
    public static final String FULL_ACCESS = "FullAccess";

    /** {@code {"FunctionCall": {...}}}. */
    public record FunctionCall(@JsonProperty("FunctionCall") FunctionCallPermission body) {}

    /** {@code {"GasKeyFullAccess": {...}}}. */
    public record GasKeyFullAccess(
            @JsonProperty("GasKeyFullAccess") GasKeyInfo body) {}

    /** {@code {"GasKeyFunctionCall": {...}}}: the gas key's members, then the function-call permission's. */
    public record GasKeyFunctionCall(
            @JsonProperty("GasKeyFunctionCall") GasKeyFunctionCallPermission body) {}

    /** A function-call permission; a null allowance is written as null (serde's Option, not skipped). */
    public record FunctionCallPermission(
            @JsonInclude(JsonInclude.Include.ALWAYS) String allowance,
            @JsonProperty("receiver_id") String receiverId,
            @JsonProperty("method_names") List<String> methodNames) {}

    /** A gas key's balance (yoctoNEAR, decimal) and how many nonce slots it has. */
    public record GasKeyInfo(
            String balance, @JsonProperty("num_nonces") int numNonces) {}

    public record GasKeyFunctionCallPermission(
            String balance,
            @JsonProperty("num_nonces") int numNonces,
            @JsonInclude(JsonInclude.Include.ALWAYS) String allowance,
            @JsonProperty("receiver_id") String receiverId,
            @JsonProperty("method_names") List<String> methodNames) {}

    /** The view of a stored key. */
    public static AccessKeyView of(AccessKey key) {
        AccessKey.GasKeyInfo gasKey = key.gasKey();
        AccessKey.FunctionCallPermission call = key.functionCall();
        String allowance = call == null || call.allowance() == null
                ? null
                : call.allowance().toString();
        Object permission;
        if (gasKey == null && call == null) {
            permission = FULL_ACCESS;
        } else if (gasKey == null) {
            permission = new FunctionCall(new FunctionCallPermission(allowance, call.receiverId(), call.methodNames()));
        } else if (call == null) {
            permission = new GasKeyFullAccess(new GasKeyInfo(gasKey.balance().toString(), gasKey.numNonces()));
        } else {
            permission = new GasKeyFunctionCall(new GasKeyFunctionCallPermission(
                    gasKey.balance().toString(), gasKey.numNonces(), allowance, call.receiverId(), call.methodNames()));
        }
        return new AccessKeyView(ActionViews.u64(key.nonce()), permission);
    }
}
