package dev.outlayer.bench.targetsystem.transactions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.rpc.Base58;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One action of a transaction, as nearcore's {@code Action} enum encodes it in Borsh (tag u8 in
 * declaration order) and shows it in views ({@code ActionView}). Delegate and the global-contract
 * actions are read so that a transaction carrying them decodes; executing them is refused.
 */
public sealed interface TransactionAction {
    /** nearcore's ActionView JSON. */
    JsonNode view();

    /** The deposit this action moves from the signer (0 for most). */
    default BigInteger deposit() {
        return BigInteger.ZERO;
    }

    /** The gas this action prepays (FunctionCall only). */
    default long prepaidGas() {
        return 0;
    }

    record CreateAccount() implements TransactionAction {
        @Override
        public JsonNode view() {
            return TextNode.valueOf("CreateAccount");
        }
    }

    record DeployContract(byte[] code) implements TransactionAction {
        /** nearcore shows the code's hash, not the code: {@code code} is base64 of sha256(code). */
        @Override
        public JsonNode view() {
            ObjectNode view = JsonCodec.object();
            view.putObject("DeployContract").put("code", base64(sha256(code)));
            return view;
        }
    }

    record FunctionCall(String methodName, byte[] args, long gas, BigInteger deposit) implements TransactionAction {
        @Override
        public JsonNode view() {
            ObjectNode view = JsonCodec.object();
            view.putObject("FunctionCall")
                    .put("method_name", methodName)
                    .put("args", base64(args))
                    .put("gas", gas)
                    .put("deposit", deposit.toString());
            return view;
        }

        @Override
        public long prepaidGas() {
            return gas;
        }
    }

    record Transfer(BigInteger deposit) implements TransactionAction {
        @Override
        public JsonNode view() {
            ObjectNode view = JsonCodec.object();
            view.putObject("Transfer").put("deposit", deposit.toString());
            return view;
        }
    }

    record Stake(BigInteger stake, PublicKey publicKey) implements TransactionAction {
        @Override
        public JsonNode view() {
            ObjectNode view = JsonCodec.object();
            view.putObject("Stake").put("stake", stake.toString()).put("public_key", publicKey.toString());
            return view;
        }
    }

    record AddKey(PublicKey publicKey, AccessKey accessKey) implements TransactionAction {
        @Override
        public JsonNode view() {
            ObjectNode view = JsonCodec.object();
            ObjectNode add = view.putObject("AddKey").put("public_key", publicKey.toString());
            add.set("access_key", AccessKeyViews.accessKey(accessKey));
            return view;
        }
    }

    record DeleteKey(PublicKey publicKey) implements TransactionAction {
        @Override
        public JsonNode view() {
            ObjectNode view = JsonCodec.object();
            view.putObject("DeleteKey").put("public_key", publicKey.toString());
            return view;
        }
    }

    record DeleteAccount(String beneficiaryId) implements TransactionAction {
        @Override
        public JsonNode view() {
            ObjectNode view = JsonCodec.object();
            view.putObject("DeleteAccount").put("beneficiary_id", beneficiaryId);
            return view;
        }
    }

    /** A meta transaction (NEP-366): read, shown, not executed by this emulator. */
    record Delegate(
            String senderId,
            String receiverId,
            List<TransactionAction> actions,
            long nonce,
            long maxBlockHeight,
            PublicKey publicKey,
            Signature signature)
            implements TransactionAction {
        @Override
        public JsonNode view() {
            ObjectNode view = JsonCodec.object();
            ObjectNode delegate = view.putObject("Delegate");
            ObjectNode action = delegate.putObject("delegate_action")
                    .put("sender_id", senderId)
                    .put("receiver_id", receiverId);
            actions.forEach(inner -> action.withArray("actions").add(inner.view()));
            action.put("nonce", Long.toUnsignedString(nonce))
                    .put("max_block_height", Long.toUnsignedString(maxBlockHeight))
                    .put("public_key", publicKey.toString());
            delegate.put("signature", signature.toString());
            return view;
        }
    }

    /** NEP-591 global contracts: read, shown, not executed by this emulator. */
    record DeployGlobalContract(byte[] code, boolean byAccountId) implements TransactionAction {
        @Override
        public JsonNode view() {
            ObjectNode view = JsonCodec.object();
            view.putObject(byAccountId ? "DeployGlobalContractByAccountId" : "DeployGlobalContract")
                    .put("code", base64(sha256(code)));
            return view;
        }
    }

    record UseGlobalContract(String codeHashOrAccountId, boolean byAccountId) implements TransactionAction {
        @Override
        public JsonNode view() {
            ObjectNode view = JsonCodec.object();
            if (byAccountId) {
                view.putObject("UseGlobalContractByAccountId").put("account_id", codeHashOrAccountId);
            } else {
                view.putObject("UseGlobalContract").put("code_hash", codeHashOrAccountId);
            }
            return view;
        }
    }

    static TransactionAction read(BorshReader in, boolean insideDelegate) {
        int tag = in.u8();
        return switch (tag) {
            case 0 -> new CreateAccount();
            case 1 -> new DeployContract(in.bytes());
            case 2 -> new FunctionCall(in.string(), in.bytes(), in.u64(), in.u128());
            case 3 -> new Transfer(in.u128());
            case 4 -> new Stake(in.u128(), PublicKey.read(in));
            case 5 -> new AddKey(PublicKey.read(in), AccessKey.read(in));
            case 6 -> new DeleteKey(PublicKey.read(in));
            case 7 -> new DeleteAccount(in.string());
            case 8 -> {
                if (insideDelegate) {
                    throw new BorshReader.BorshException("a delegate action cannot contain a delegate action");
                }
                String sender = in.string();
                String receiver = in.string();
                int count = in.count(1);
                List<TransactionAction> inner = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    inner.add(read(in, true));
                }
                yield new Delegate(sender, receiver, inner, in.u64(), in.u64(), PublicKey.read(in), Signature.read(in));
            }
            case 9 -> {
                byte[] code = in.bytes();
                int mode = in.u8();
                if (mode > 1) {
                    throw new BorshReader.BorshException("invalid global contract deploy mode " + mode);
                }
                yield new DeployGlobalContract(code, mode == 1);
            }
            case 10 -> {
                int kind = in.u8();
                yield switch (kind) {
                    case 0 -> new UseGlobalContract(Base58.encode(in.fixed(32)), false);
                    case 1 -> new UseGlobalContract(in.string(), true);
                    default -> throw new BorshReader.BorshException("invalid global contract identifier " + kind);
                };
            }
            default -> throw new BorshReader.BorshException("unknown action " + tag);
        };
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
