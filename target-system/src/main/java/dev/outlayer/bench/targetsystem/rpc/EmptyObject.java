package dev.outlayer.bench.targetsystem.rpc;

/**
 * nearcore's {@code {}}: a struct without members, or whose members are all skipped when serialised, such as
 * RpcSandboxPatchStateResponse, RpcSandboxFastForwardResponse, and the info of UNKNOWN_BLOCK and
 * INVALID_TRANSACTION (their {@code error_message} and context are {@code #[serde(skip_serializing)]}).
 * Jackson writes a record without components as an empty object.
 */
public record EmptyObject() {
    public static final EmptyObject INSTANCE = new EmptyObject();
}
