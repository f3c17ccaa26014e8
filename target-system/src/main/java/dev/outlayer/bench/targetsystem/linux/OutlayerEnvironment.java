package dev.outlayer.bench.targetsystem.linux;

import dev.outlayer.bench.targetsystem.keystore.SecretsPayload;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment OutLayer's worker gives a job (its {@code merge_env_vars}, NEAR-transaction or
 * HTTPS mode): the job's secrets with every system name taken out first, then the system variables.
 * No defaults (PATH, HOME, TZ...): the preview-1 executor builds its WASI context from this map
 * alone.
 */
public final class OutlayerEnvironment {
    /**
     * The worker's {@code SYSTEM_ENV_VARS}: every name the worker owns. A secret of one of these
     * names is dropped, never passed on, whether or not the worker then writes the name.
     * {@code WALLET_ID} and {@code NEAR_RPC_PROXY_AVAILABLE} are written only by the preview-2
     * executor, {@code OUTLAYER_CALL_ID} and {@code USD_PAYMENT} carry values only for HTTPS calls.
     */
    public static final List<String> SYSTEM_NAMES = SecretsPayload.RESERVED_NAMES; // the keystore refuses the same 26

    /** What an HTTPS call has no value for: the worker writes them as empty strings. */
    private static final List<String> ON_CHAIN_ONLY = List.of(
            "NEAR_CONTRACT_ID",
            "NEAR_BLOCK_HEIGHT",
            "NEAR_BLOCK_TIMESTAMP",
            "NEAR_RECEIPT_ID",
            "NEAR_PREDECESSOR_ID",
            "NEAR_SIGNER_PUBLIC_KEY",
            "NEAR_GAS_BURNT",
            "NEAR_TRANSACTION_HASH",
            "NEAR_REQUEST_ID");

    private OutlayerEnvironment() {}

    /** The job's environment, in the order the worker writes it. */
    public static Map<String, String> of(Map<String, String> secrets, OutlayerContext context, ProcessLimits limits) {
        Map<String, String> env = new LinkedHashMap<>(secrets);
        SYSTEM_NAMES.forEach(env::remove);
        env.put("NEAR_NETWORK_ID", context.networkId());
        OutlayerContext.HttpsCall https = context.httpsCall();
        if (https != null) {
            // HTTPS mode: the key's owner is the sender; the chain's variables are there, empty
            env.put("OUTLAYER_EXECUTION_TYPE", "HTTPS");
            putIfPresent(env, "NEAR_SENDER_ID", https.keyOwner());
            putIfPresent(env, "NEAR_USER_ACCOUNT_ID", https.keyOwner());
            for (String onChainOnly : ON_CHAIN_ONLY) {
                env.put(onChainOnly, "");
            }
            env.put("NEAR_PAYMENT_YOCTO", "0");
            env.put("ATTACHED_USD", "0");
            env.put("USD_PAYMENT", https.usdPayment() != null ? https.usdPayment() : "0");
            env.put("OUTLAYER_CALL_ID", https.callId() != null ? https.callId() : "");
        } else {
            env.put("OUTLAYER_EXECUTION_TYPE", "NEAR");
            putIfPresent(env, "NEAR_SENDER_ID", context.senderId());
            putIfPresent(env, "NEAR_CONTRACT_ID", context.contractId());
            putIfPresent(env, "NEAR_BLOCK_HEIGHT", context.blockHeight());
            putIfPresent(env, "NEAR_BLOCK_TIMESTAMP", context.blockTimestamp());
            putIfPresent(env, "NEAR_RECEIPT_ID", context.receiptId());
            putIfPresent(env, "NEAR_PREDECESSOR_ID", context.predecessorId());
            putIfPresent(env, "NEAR_SIGNER_PUBLIC_KEY", context.signerPublicKey());
            putIfPresent(env, "NEAR_GAS_BURNT", context.gasBurnt());
            putIfPresent(env, "NEAR_USER_ACCOUNT_ID", context.userAccountId());
            putIfPresent(env, "NEAR_PAYMENT_YOCTO", context.paymentYocto());
            env.put("ATTACHED_USD", context.attachedUsd() != null ? context.attachedUsd() : "0");
            putIfPresent(env, "NEAR_TRANSACTION_HASH", context.transactionHash());
            env.put("NEAR_REQUEST_ID", Long.toString(context.requestId()));
            env.put("USD_PAYMENT", "0");
            env.put("OUTLAYER_CALL_ID", "");
        }
        env.put("NEAR_MAX_INSTRUCTIONS", Long.toString(limits.maxInstructions()));
        env.put("NEAR_MAX_MEMORY_MB", Integer.toString(limits.maxMemoryMb()));
        // The worker's limit is whole seconds (u64).
        env.put("NEAR_MAX_EXECUTION_SECONDS", Long.toString((long) Math.ceil(limits.maxSeconds())));
        String project = context.projectId();
        if (project != null) {
            env.put("OUTLAYER_PROJECT_ID", project);
            int slash = project.indexOf('/');
            if (slash >= 0) {
                env.put("OUTLAYER_PROJECT_OWNER", project.substring(0, slash));
                env.put("OUTLAYER_PROJECT_NAME", project.substring(slash + 1));
            }
        }
        putIfPresent(env, "OUTLAYER_PROJECT_UUID", context.projectUuid());
        return env;
    }

    private static void putIfPresent(Map<String, String> env, String name, Object value) {
        if (value != null) {
            env.put(name, value.toString());
        }
    }
}
