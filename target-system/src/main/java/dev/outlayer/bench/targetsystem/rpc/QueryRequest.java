package dev.outlayer.bench.targetsystem.rpc;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/**
 * What a {@code query} asks: nearcore's {@code QueryRequest}, tagged by {@code request_type} in
 * the params object (beside the block reference), or built from the legacy path form. Each
 * variant is read from JSON by its factory, which checks its members in nearcore's order (the
 * account id first) and with nearcore's texts; the variants are listed in nearcore's order, which
 * the "unknown variant" error repeats.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "request_type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = QueryRequest.ViewAccount.class, name = "view_account"),
    @JsonSubTypes.Type(value = QueryRequest.ViewCode.class, name = "view_code"),
    @JsonSubTypes.Type(value = QueryRequest.ViewState.class, name = "view_state"),
    @JsonSubTypes.Type(value = QueryRequest.ViewAccessKey.class, name = "view_access_key"),
    @JsonSubTypes.Type(value = QueryRequest.ViewAccessKeyList.class, name = "view_access_key_list"),
    @JsonSubTypes.Type(value = QueryRequest.ViewGasKeyNonces.class, name = "view_gas_key_nonces"),
    @JsonSubTypes.Type(value = QueryRequest.CallFunction.class, name = "call_function"),
    @JsonSubTypes.Type(value = QueryRequest.ViewGlobalContractCode.class, name = "view_global_contract_code"),
    @JsonSubTypes.Type(
            value = QueryRequest.ViewGlobalContractCodeByAccountId.class,
            name = "view_global_contract_code_by_account_id"),
})
sealed interface QueryRequest {
    String accountId();

    record ViewAccount(String accountId) implements QueryRequest {
        @JsonCreator
        static ViewAccount fromJson(
                @JsonProperty("account_id") @JsonDeserialize(using = RpcParams.Text.class) String accountId) {
            return new ViewAccount(RpcParams.accountId(accountId));
        }
    }

    record ViewCode(String accountId) implements QueryRequest {
        @JsonCreator
        static ViewCode fromJson(
                @JsonProperty("account_id") @JsonDeserialize(using = RpcParams.Text.class) String accountId) {
            return new ViewCode(RpcParams.accountId(accountId));
        }
    }

    /**
     * The account's storage entries whose key starts with {@code prefix}; {@code includeProof} (serde
     * default false) asks for the trie nodes read.
     */
    record ViewState(String accountId, byte[] prefix, boolean includeProof) implements QueryRequest {
        ViewState(String accountId, byte[] prefix) {
            this(accountId, prefix, false);
        }

        @JsonCreator
        static ViewState fromJson(
                @JsonProperty("account_id") @JsonDeserialize(using = RpcParams.Text.class) String accountId,
                @JsonProperty("prefix_base64") @JsonDeserialize(using = RpcParams.Text.class) String prefixBase64,
                @JsonProperty("include_proof") com.fasterxml.jackson.databind.JsonNode includeProof) {
            String account = RpcParams.accountId(accountId);
            byte[] prefix = RpcParams.base64(prefixBase64, "prefix_base64");
            if (includeProof != null && !includeProof.isBoolean()) { // #[serde(default)] bool: null is refused
                throw RpcException.badParams(
                        "invalid type: " + RpcParams.describe(includeProof) + ", expected a boolean");
            }
            return new ViewState(account, prefix, includeProof != null && includeProof.asBoolean());
        }
    }

    record ViewAccessKey(String accountId, String publicKey) implements QueryRequest {
        @JsonCreator
        static ViewAccessKey fromJson(
                @JsonProperty("account_id") @JsonDeserialize(using = RpcParams.Text.class) String accountId,
                @JsonProperty("public_key") @JsonDeserialize(using = RpcParams.Text.class) String publicKey) {
            String account = RpcParams.accountId(accountId);
            if (!isPublicKey(RpcParams.required(publicKey, "public_key"))) {
                throw RpcException.badParams(
                        "invalid value: \"" + publicKey + "\", expected a public key as ed25519:<base58>");
            }
            return new ViewAccessKey(account, publicKey);
        }
    }

    /** A gas key's nonce slots (GasKeys, protocol 85). */
    record ViewGasKeyNonces(String accountId, String publicKey) implements QueryRequest {
        @JsonCreator
        static ViewGasKeyNonces fromJson(
                @JsonProperty("account_id") @JsonDeserialize(using = RpcParams.Text.class) String accountId,
                @JsonProperty("public_key") @JsonDeserialize(using = RpcParams.Text.class) String publicKey) {
            ViewAccessKey key = ViewAccessKey.fromJson(accountId, publicKey);
            return new ViewGasKeyNonces(key.accountId(), key.publicKey());
        }
    }

    record ViewAccessKeyList(String accountId) implements QueryRequest {
        @JsonCreator
        static ViewAccessKeyList fromJson(
                @JsonProperty("account_id") @JsonDeserialize(using = RpcParams.Text.class) String accountId) {
            return new ViewAccessKeyList(RpcParams.accountId(accountId));
        }
    }

    /** A view call: {@code methodName} of the account's contract with {@code args}. */
    record CallFunction(String accountId, String methodName, byte[] args) implements QueryRequest {
        @JsonCreator
        static CallFunction fromJson(
                @JsonProperty("account_id") @JsonDeserialize(using = RpcParams.Text.class) String accountId,
                @JsonProperty("method_name") @JsonDeserialize(using = RpcParams.Text.class) String methodName,
                @JsonProperty("args_base64") @JsonDeserialize(using = RpcParams.Text.class) String argsBase64) {
            String account = RpcParams.accountId(accountId);
            String method = RpcParams.required(methodName, "method_name");
            return new CallFunction(account, method, RpcParams.base64(argsBase64, "args_base64"));
        }
    }

    /** A global contract's code by its code hash (NEP-591); no account is involved. */
    record ViewGlobalContractCode(byte[] codeHash) implements QueryRequest {
        @JsonCreator
        static ViewGlobalContractCode fromJson(
                @JsonProperty("code_hash") @JsonDeserialize(using = RpcParams.Text.class) String codeHash) {
            RpcParams.required(codeHash, "code_hash");
            byte[] hash;
            try {
                hash = Base58.decode(codeHash);
            } catch (IllegalArgumentException e) {
                hash = null;
            }
            if (hash == null || hash.length != 32) {
                throw RpcException.badParams("invalid value: \"" + codeHash + "\", expected a base58 hash of 32 bytes");
            }
            return new ViewGlobalContractCode(hash);
        }

        @Override
        public String accountId() {
            return null;
        }
    }

    /** A global contract's code by the account that deployed it by account id (NEP-591). */
    record ViewGlobalContractCodeByAccountId(String accountId) implements QueryRequest {
        @JsonCreator
        static ViewGlobalContractCodeByAccountId fromJson(
                @JsonProperty("account_id") @JsonDeserialize(using = RpcParams.Text.class) String accountId) {
            return new ViewGlobalContractCodeByAccountId(RpcParams.accountId(accountId));
        }
    }

    /** NEAR's key text: {@code ed25519:} (optional) or {@code secp256k1:} and base58 of 32 or 64 bytes. */
    static boolean isPublicKey(String text) {
        boolean secp = text.startsWith("secp256k1:");
        String base58 = secp
                ? text.substring("secp256k1:".length())
                : text.startsWith("ed25519:") ? text.substring("ed25519:".length()) : text;
        try {
            return Base58.decode(base58).length == (secp ? 64 : 32);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
