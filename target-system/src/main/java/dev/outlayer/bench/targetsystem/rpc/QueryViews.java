package dev.outlayer.bench.targetsystem.rpc;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.outlayer.bench.targetsystem.transactions.AccessKeyInfoView;
import java.math.BigInteger;
import java.util.Base64;
import java.util.List;

/**
 * What {@code query} answers, as records serialised as nearcore serialises its views: the kinds of
 * core/primitives/src/views.rs and the RpcQueryResponse envelope and RpcQueryError infos of
 * chain/jsonrpc-primitives/src/types/query.rs (near/nearcore, read at d44e2115 and 4cd62c6; the
 * global-contract and gas-key members are newer than both and stay as the emulator has written them).
 * Components are in serde's member order; immutable, so an answer built once can be sent any number of times.
 */
final class QueryViews {
    private QueryViews() {}

    /**
     * RpcQueryResponse: the kind's members flattened into it (serde's {@code #[serde(flatten)]} of the
     * untagged QueryResponseKind), then {@code block_height} and {@code block_hash}.
     *
     * @param kind one of the records below, or an {@link dev.outlayer.bench.targetsystem.transactions.AccessKeyView}
     */
    record QueryResponse(
            @JsonUnwrapped Object kind,
            @JsonProperty("block_height") long blockHeight,
            @JsonProperty("block_hash") String blockHash) {}

    /**
     * AccountView: balances as decimal strings, {@code storage_paid_at} always 0 (deprecated in nearcore);
     * the global contract the account uses, when it uses one (absent otherwise, as serde skips a None there).
     */
    record AccountView(
            String amount,
            String locked,
            @JsonProperty("code_hash") String codeHash,
            @JsonProperty("storage_usage") long storageUsage,
            @JsonProperty("storage_paid_at") long storagePaidAt,

            @JsonProperty("global_contract_hash") @JsonInclude(JsonInclude.Include.NON_NULL)
            String globalContractHash,

            @JsonProperty("global_contract_account_id") @JsonInclude(JsonInclude.Include.NON_NULL)
            String globalContractAccountId) {
        static AccountView of(ChainView.Account account) {
            return new AccountView(
                    account.amount().toString(),
                    account.locked().toString(),
                    Base58.encode(account.codeHash()),
                    account.storageUsage(),
                    0,
                    account.globalContractHash() == null ? null : Base58.encode(account.globalContractHash()),
                    account.globalContractAccountId());
        }
    }

    /** ContractCodeView: the code in base64 and its sha256 in base58. */
    record ContractCodeView(@JsonProperty("code_base64") String code, String hash) {
        static ContractCodeView of(byte[] code) {
            return new ContractCodeView(
                    Base64.getEncoder().encodeToString(code), Base58.encode(BlockClock.sha256(code)));
        }
    }

    /** StateItem: a key and its value, base64. */
    record StateItem(String key, String value) {}

    /** ViewStateResult: {@code proof} (base64 trie nodes) is left out when empty, as serde's skip_serializing_if. */
    record ViewStateResult(
            List<StateItem> values,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> proof) {}

    /** CallResult: the returned bytes as an array of numbers (serde's Vec<u8>), and the logs. */
    record CallResult(int[] result, List<String> logs) {
        static CallResult of(byte[] bytes, List<String> logs) {
            int[] result = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                result[i] = bytes[i] & 0xff;
            }
            return new CallResult(result, logs);
        }
    }

    /**
     * QueryError: nearcore's legacy result for a failed view call or an unknown access key (no logs are
     * kept for either).
     */
    record QueryError(String error, List<String> logs) {
        QueryError(String error) {
            this(error, List.of());
        }
    }

    /** AccessKeyList. */
    record AccessKeyList(List<AccessKeyInfoView> keys) {}

    /** view_gas_key_nonces: a gas key's nonce slots in slot order, each a u64. */
    record GasKeyNonces(List<BigInteger> nonces) {}

    // ---- RpcQueryError infos: what names the missing thing, then the block ----

    /** The block an error was met at: GARBAGE_COLLECTED_BLOCK's whole info, the others' last two members. */
    record BlockAt(
            @JsonProperty("block_height") long blockHeight,
            @JsonProperty("block_hash") String blockHash) {}

    /** UNKNOWN_ACCOUNT. */
    record UnknownAccount(
            @JsonProperty("requested_account_id") String requestedAccountId,
            @JsonUnwrapped BlockAt at) {}

    /** NO_CONTRACT_CODE and TOO_LARGE_CONTRACT_STATE. */
    record ContractAccount(
            @JsonProperty("contract_account_id") String contractAccountId,
            @JsonUnwrapped BlockAt at) {}

    /** UNKNOWN_GAS_KEY, shaped as UNKNOWN_ACCESS_KEY. */
    record UnknownGasKey(
            @JsonProperty("public_key") String publicKey,
            @JsonUnwrapped BlockAt at) {}

    /**
     * NO_GLOBAL_CONTRACT_CODE: the identifier as serde writes GlobalContractIdentifier, {@code {"CodeHash": base58}}
     * or {@code {"AccountId": id}}.
     */
    record NoGlobalContractCode(
            Object identifier, @JsonUnwrapped BlockAt at) {}

    record CodeHashIdentifier(@JsonProperty("CodeHash") String codeHash) {}

    record AccountIdIdentifier(@JsonProperty("AccountId") String accountId) {}
}
