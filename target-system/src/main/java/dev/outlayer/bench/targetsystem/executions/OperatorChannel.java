package dev.outlayer.bench.targetsystem.executions;

/**
 * The operator account's transactions: a worker signs a call on the contract with its own key
 * of the operator account, then sends it with {@code send_tx}. The root wires it to the RPC
 * emulator.
 */
public interface OperatorChannel {

    /** A signed transaction ready to send: its hash is known before it is sent. */
    record SignedCall(String txHash, byte[] signedTransaction) {}

    /**
     * What the chain said: {@code accepted} when the call's receipt succeeded; else the
     * contract's (or the node's) refusal in {@code error}.
     */
    record Sent(String txHash, boolean accepted, String error) {}

    SignedCall sign(String workerId, String method, byte[] argsJson);

    Sent send(SignedCall call);
}
