package dev.outlayer.bench.targetsystem.http.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.contracts.CallRequest;
import dev.outlayer.bench.targetsystem.contracts.ExtCost;
import dev.outlayer.bench.targetsystem.contracts.WaitMode;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.rpc.AccountIds;
import dev.outlayer.bench.targetsystem.rpc.StandardBase64;
import java.math.BigInteger;

/**
 * The body of {@code POST /contracts/{account_id}/call} and {@code /view}, validated: every
 * default applied, every value in range, so that only the path (account, call or view) is left
 * to add.
 *
 * @param args    the bytes the contract reads as its input
 * @param linux   {@code mode: "linux"}: run as a process of the Linux emulator
 * @param secrets the keystore reference to inject (linux mode only), or null
 * @param linuxDemo {@code mode: "linux-demo"}: the browser worker's demo path ({@link LinuxDemoCall})
 * @param waitMode what a call waits for before it answers (views: ignored)
 */
public record CallBody(
        String method,
        byte[] args,
        boolean linux,
        String signerId,
        String predecessorId,
        BigInteger attachedDeposit,
        long gas,
        JsonNode secrets,
        boolean coldStart,
        WaitMode waitMode,
        boolean linuxDemo) {
    private static final BigInteger MAX_DEPOSIT = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
    private static final BigInteger MAX_GAS = BigInteger.valueOf(ExtCost.MAX_TOTAL_PREPAID_GAS);
    private static final BigInteger DEFAULT_GAS = BigInteger.valueOf(CallRequest.DEFAULT_GAS);
    private static final byte[] NO_ARGS = new byte[0];

    public CallBody {
        if (method == null || method.isEmpty()) {
            throw ApiException.invalid("method is required and must be a non-empty string");
        }
        for (String id : new String[] {signerId, predecessorId}) {
            if (!AccountIds.isValid(id)) {
                throw ApiException.invalid("invalid NEAR account id: " + id);
            }
        }
        if (secrets != null && !linux) {
            // linux-demo too: the browser worker's demo ignores secrets.
            throw ApiException.invalid(
                    "secrets become environment variables of a linux-mode process: add \"mode\": \"linux\"");
        }
    }

    /** The JSON shape: {@code args} any JSON value (sent as its JSON text) or {@code args_base64} raw bytes. */
    @JsonCreator
    static CallBody fromJson(
            @JsonProperty("method") String method,
            @JsonProperty("args") JsonNode args,
            @JsonProperty("args_base64") String argsBase64,
            @JsonProperty("mode") String mode,
            @JsonProperty("signer_id") String signerId,
            @JsonProperty("predecessor_id") String predecessorId,
            @JsonProperty("attached_deposit") JsonNode attachedDeposit,
            @JsonProperty("gas") JsonNode gas,
            @JsonProperty("secrets") JsonNode secrets,
            @JsonProperty("cold_start") Boolean coldStart,
            @JsonProperty("wait") String wait) {
        String signer = signerId == null ? CallRequest.DEFAULT_SIGNER : signerId;
        return new CallBody(
                method,
                args(args, argsBase64),
                linux(mode),
                signer,
                predecessorId == null ? signer : predecessorId,
                unsigned(attachedDeposit, "attached_deposit", BigInteger.ZERO, MAX_DEPOSIT),
                unsigned(gas, "gas", DEFAULT_GAS, MAX_GAS).longValueExact(),
                secrets == null || secrets.isNull() ? null : secrets,
                coldStart != null && coldStart,
                waitMode(wait),
                "linux-demo".equals(mode));
    }

    /** {@code wait}: "all_receipts" (default) or "first_receipt". */
    private static WaitMode waitMode(String wait) {
        if (wait == null || wait.equals("all_receipts")) {
            return WaitMode.ALL_RECEIPTS;
        }
        if (wait.equals("first_receipt")) {
            return WaitMode.FIRST_RECEIPT;
        }
        throw ApiException.invalid("wait \"" + wait + "\" is not known; use \"all_receipts\" or \"first_receipt\"");
    }

    /** The call (or view) on {@code accountId} this body asks for. */
    public CallRequest toRequest(String accountId, boolean view) {
        if (view && attachedDeposit.signum() != 0) {
            throw ApiException.invalid("a view cannot attach a deposit");
        }
        return new CallRequest(accountId, method, args, signerId, predecessorId, attachedDeposit, gas, view);
    }

    private static boolean linux(String mode) {
        if (mode == null || mode.equals("direct") || mode.equals("linux-demo")) {
            return false;
        }
        if (mode.equals("linux")) {
            return true;
        }
        throw ApiException.invalid(
                "mode \"" + mode + "\" is not available here; use \"direct\", \"linux\" or \"linux-demo\"");
    }

    private static byte[] args(JsonNode args, String base64) {
        boolean json = args != null && !args.isNull();
        if (json && base64 != null) {
            throw ApiException.invalid("give args or args_base64, not both");
        }
        if (base64 != null) {
            try {
                return StandardBase64.decode(base64, StandardBase64.Padding.INDIFFERENT);
            } catch (StandardBase64.InvalidBase64 e) {
                throw ApiException.invalid("args_base64 is not base64: " + e.getMessage());
            }
        }
        return json ? JsonCodec.bytes(args) : NO_ARGS;
    }

    /** A u64/u128 given as a JSON number or a decimal string (NEAR sends big amounts as strings). */
    private static BigInteger unsigned(JsonNode node, String field, BigInteger fallback, BigInteger max) {
        if (node == null || node.isNull()) {
            return fallback;
        }
        BigInteger value;
        try {
            value = node.isIntegralNumber()
                    ? node.bigIntegerValue()
                    : new BigInteger(node.asText().trim());
        } catch (NumberFormatException e) {
            throw ApiException.invalid(field + " must be a non-negative integer (number or decimal string)");
        }
        if (value.signum() < 0 || value.compareTo(max) > 0) {
            throw ApiException.invalid(field + " must be between 0 and " + max);
        }
        return value;
    }
}
