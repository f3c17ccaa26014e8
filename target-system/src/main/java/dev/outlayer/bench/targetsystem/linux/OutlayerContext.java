package dev.outlayer.bench.targetsystem.linux;

/**
 * What OutLayer's worker knows about a job and turns into environment variables ({@code
 * merge_env_vars} in {@code worker/src/main.rs}): a request on chain (NEAR-transaction mode), or
 * an HTTPS call when {@code httpsCall} is set. Null fields are left unset, as the worker leaves
 * them when the coordinator's context lacks them.
 *
 * @param networkId       {@code mainnet} or {@code testnet}: the worker's is "mainnet" when its
 *                        RPC URL contains it, else "testnet"
 * @param senderId        the account the execution is for (the request's sender)
 * @param userAccountId   the transaction's signer, who pays
 * @param predecessorId   the account that called {@code request_execution}
 * @param signerPublicKey the signer's public key, {@code ed25519:...}
 * @param contractId      the OutLayer contract
 * @param blockHeight     the block of the request
 * @param blockTimestamp  its timestamp, nanoseconds
 * @param receiptId       the request's receipt
 * @param transactionHash the request's transaction
 * @param gasBurnt        gas the request burnt so far
 * @param requestId       the contract's request id
 * @param paymentYocto    the deposit paid, yoctoNEAR
 * @param attachedUsd     the USD attached (the worker writes "0" when there is none)
 * @param projectId       {@code owner/name} of a project run, or null
 * @param projectUuid     the project's uuid, or null
 * @param httpsCall       an HTTPS call's own members, or null for a request on chain
 */
public record OutlayerContext(
        String networkId,
        String senderId,
        String userAccountId,
        String predecessorId,
        String signerPublicKey,
        String contractId,
        Long blockHeight,
        Long blockTimestamp,
        String receiptId,
        String transactionHash,
        Long gasBurnt,
        long requestId,
        String paymentYocto,
        String attachedUsd,
        String projectId,
        String projectUuid,
        HttpsCall httpsCall) {

    /**
     * An HTTPS call of {@code POST /{owner}/{project}} (the worker's {@code is_https_call}): it runs
     * for the payment key's owner, with no block, receipt or transaction.
     *
     * @param callId     the call's id ({@code OUTLAYER_CALL_ID})
     * @param keyOwner   the payment key's owner, the run's sender
     * @param usdPayment the call's {@code X-Attached-Deposit} for the project's owner ({@code USD_PAYMENT})
     */
    public record HttpsCall(String callId, String keyOwner, String usdPayment) {}

    /** An HTTPS call's context: only the network, the project and the call itself. */
    public static OutlayerContext ofHttpsCall(
            String networkId, long requestId, String projectId, String projectUuid, HttpsCall call) {
        return new OutlayerContext(
                networkId,
                call.keyOwner(),
                call.keyOwner(),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                requestId,
                null,
                null,
                projectId,
                projectUuid,
                call);
    }

    /**
     * The account that called the contract, as OutLayer's worker sends it to the keystore ({@code
     * predecessor_id}): on chain the receipt's predecessor the job's context names, over HTTPS the
     * payer (no contract relays that call); null when the job names none.
     */
    public String callingAccount() {
        return httpsCall != null ? httpsCall.keyOwner() : predecessorId;
    }

    /** The network as the worker derives it from its RPC URL. */
    public static String networkOf(String rpcUrl) {
        return rpcUrl != null && rpcUrl.contains("mainnet") ? "mainnet" : "testnet";
    }

    /**
     * The context a plain program run can give (POST /programs/{name}/run with {@code profile:
     * "outlayer"}): sender, predecessor and contract from the request, the latest block, the
     * emulator's request id; the sender pays.
     */
    static OutlayerContext ofRun(RunRequest request, long blockHeight, long blockTimestamp, long requestId) {
        return new OutlayerContext(
                "testnet",
                request.senderId(),
                request.senderId(),
                request.predecessorId(),
                null,
                request.contractId(),
                blockHeight,
                blockTimestamp,
                null,
                null,
                null,
                requestId,
                null,
                null,
                null,
                null,
                null);
    }
}
