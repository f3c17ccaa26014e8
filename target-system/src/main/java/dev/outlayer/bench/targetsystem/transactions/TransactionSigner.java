package dev.outlayer.bench.targetsystem.transactions;

import dev.outlayer.bench.targetsystem.contracts.AccessKey;
import dev.outlayer.bench.targetsystem.contracts.Action;
import dev.outlayer.bench.targetsystem.contracts.PublicKey;
import dev.outlayer.bench.targetsystem.rpc.Base58;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * The client side: Borsh-encodes a transaction as near-api-js does (V0, or V1 with a priority
 * fee) and signs its sha256 with an ed25519 key. What load generators and tests send.
 */
public final class TransactionSigner {
    private final String signerId;
    private final Ed25519PrivateKeyParameters privateKey;
    private final PublicKey publicKey;

    /** @param secretKey near-api-js's text form, {@code ed25519:<base58 of seed (32) and public key (32)>}, or of the seed alone */
    public TransactionSigner(String signerId, String secretKey) {
        String base58 = secretKey.startsWith("ed25519:") ? secretKey.substring("ed25519:".length()) : secretKey;
        byte[] bytes = Base58.decode(base58);
        if (bytes.length != 64 && bytes.length != 32) {
            throw new IllegalArgumentException("an ed25519 secret key has 32 or 64 bytes");
        }
        this.signerId = signerId;
        this.privateKey = new Ed25519PrivateKeyParameters(Arrays.copyOf(bytes, 32), 0);
        this.publicKey = PublicKey.ed25519(privateKey.generatePublicKey().getEncoded());
    }

    /** A signer for a fresh key from {@code seed} (32 bytes). */
    public static TransactionSigner fromSeed(String signerId, byte[] seed) {
        return new TransactionSigner(signerId, Base58.encode(seed));
    }

    public String signerId() {
        return signerId;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** near-api-js's text form of the secret key: seed and public key, base58. */
    public String secretKeyText() {
        byte[] full = Arrays.copyOf(privateKey.getEncoded(), 64);
        System.arraycopy(publicKey.data(), 0, full, 32, 32);
        return "ed25519:" + Base58.encode(full);
    }

    /** A signed V0 transaction, Borsh. */
    public byte[] sign(String receiverId, long nonce, byte[] blockHash, List<Action> actions) {
        return signed(transaction(receiverId, nonce, blockHash, actions));
    }

    /**
     * A signed V1 transaction, Borsh: its nonce a GasKeyNonce naming slot {@code nonceIndex} of a gas
     * key, or a plain Nonce when {@code nonceIndex} is -1; NonceMode Strict or Monotonic.
     */
    public byte[] signV1(
            String receiverId, long nonce, int nonceIndex, boolean strict, byte[] blockHash, List<Action> actions) {
        BorshWriter out = new BorshWriter().u8(1).string(signerId);
        writeKey(out, publicKey);
        if (nonceIndex < 0) {
            out.u8(0).u64(nonce);
        } else {
            out.u8(1).u64(nonce).u8(nonceIndex & 0xFF).u8(nonceIndex >>> 8);
        }
        out.string(receiverId).fixed(blockHash).u32(actions.size());
        actions.forEach(action -> writeAction(out, action));
        out.u8(strict ? 1 : 0);
        return signed(out.toByteArray());
    }

    /** A signed transaction carrying {@code signature} instead of this key's (to test refusals). */
    byte[] withSignature(byte[] transaction, byte[] signature) {
        return new BorshWriter()
                .fixed(transaction)
                .u8(PublicKey.ED25519)
                .fixed(signature)
                .toByteArray();
    }

    byte[] transaction(String receiverId, long nonce, byte[] blockHash, List<Action> actions) {
        BorshWriter out = new BorshWriter();
        out.string(signerId);
        writeKey(out, publicKey);
        out.u64(nonce).string(receiverId).fixed(blockHash).u32(actions.size());
        actions.forEach(action -> writeAction(out, action));
        return out.toByteArray();
    }

    /**
     * NEP-366: this key's SignedDelegateAction of {@code actions} to {@code receiverId}, for a relayer
     * to put into its own transaction to this signer. The signature is over NEP-461's hash: sha256 of
     * the prefix 2^30 + 366 (u32) and the Borsh DelegateAction.
     */
    public Action.Delegate delegate(String receiverId, long nonce, long maxBlockHeight, List<Action> actions) {
        BorshWriter out = new BorshWriter().u32(ActionBorsh.NEP_366_DISCRIMINANT);
        writeDelegateAction(out, signerId, receiverId, actions, nonce, maxBlockHeight, publicKey);
        byte[] signature = signHash(SignedTransaction.sha256(out.toByteArray()));
        return new Action.Delegate(
                signerId,
                receiverId,
                actions,
                nonce,
                maxBlockHeight,
                publicKey,
                new Signature(PublicKey.ED25519, signature).toString(),
                true);
    }

    /**
     * NEP-611: this key's VersionedSignedDelegateAction (DelegateV2) of {@code actions} to
     * {@code receiverId}, its nonce a GasKeyNonce naming slot {@code nonceIndex} or a plain Nonce (-1).
     * The signature is over sha256 of the prefix 2^30 + 611 (u32) and the versioned payload.
     */
    public Action.Delegate delegateV2(
            String receiverId, long nonce, int nonceIndex, long maxBlockHeight, List<Action> actions) {
        BorshWriter payload = new BorshWriter();
        writeDelegateV2Payload(payload, signerId, receiverId, actions, nonce, nonceIndex, maxBlockHeight, publicKey);
        byte[] signed = new BorshWriter()
                .u32(ActionBorsh.NEP_611_DISCRIMINANT)
                .fixed(payload.toByteArray())
                .toByteArray();
        byte[] signature = signHash(SignedTransaction.sha256(signed));
        return new Action.Delegate(
                signerId,
                receiverId,
                actions,
                nonce,
                maxBlockHeight,
                publicKey,
                new Signature(PublicKey.ED25519, signature).toString(),
                true,
                true,
                nonceIndex);
    }

    private static void writeDelegateV2Payload(
            BorshWriter out,
            String senderId,
            String receiverId,
            List<Action> actions,
            long nonce,
            int nonceIndex,
            long maxBlockHeight,
            PublicKey key) {
        out.u8(0).string(senderId).string(receiverId).u32(actions.size());
        actions.forEach(action -> writeAction(out, action));
        if (nonceIndex < 0) {
            out.u8(0).u64(nonce);
        } else {
            out.u8(1).u64(nonce).u8(nonceIndex & 0xFF).u8(nonceIndex >>> 8);
        }
        out.u64(maxBlockHeight);
        writeKey(out, key);
    }

    private static void writeDelegateAction(
            BorshWriter out,
            String senderId,
            String receiverId,
            List<Action> actions,
            long nonce,
            long maxBlockHeight,
            PublicKey key) {
        out.string(senderId).string(receiverId).u32(actions.size());
        actions.forEach(action -> writeAction(out, action));
        out.u64(nonce).u64(maxBlockHeight);
        writeKey(out, key);
    }

    byte[] signature(byte[] transaction) {
        return signHash(SignedTransaction.sha256(transaction));
    }

    private byte[] signHash(byte[] hash) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, privateKey);
        signer.update(hash, 0, hash.length);
        return signer.generateSignature();
    }

    private byte[] signed(byte[] transaction) {
        return withSignature(transaction, signature(transaction));
    }

    private static void writeKey(BorshWriter out, PublicKey key) {
        out.u8(key.curve()).fixed(key.data());
    }

    static void writeAction(BorshWriter out, Action action) {
        if (action instanceof Action.CreateAccount) {
            out.u8(0);
        } else if (action instanceof Action.DeployContract deploy) {
            out.u8(1).bytes(deploy.code());
        } else if (action instanceof Action.FunctionCall call) {
            out.u8(2)
                    .string(call.methodName())
                    .bytes(call.args())
                    .u64(call.gas())
                    .u128(call.deposit());
        } else if (action instanceof Action.Transfer transfer) {
            out.u8(3).u128(transfer.deposit());
        } else if (action instanceof Action.Stake stake) {
            out.u8(4).u128(stake.stake());
            writeKey(out, stake.publicKey());
        } else if (action instanceof Action.AddKey add) {
            out.u8(5);
            writeKey(out, add.publicKey());
            out.u64(add.accessKey().nonce());
            AccessKey.Permission permission = add.accessKey().permission();
            AccessKey.GasKeyInfo gasKey = add.accessKey().gasKey();
            AccessKey.FunctionCallPermission call = add.accessKey().functionCall();
            if (permission instanceof AccessKey.FunctionCallPermission) {
                out.u8(0);
            } else if (permission instanceof AccessKey.FullAccess) {
                out.u8(1);
            } else {
                // 2 GasKeyFunctionCall(GasKeyInfo, FunctionCallPermission), 3 GasKeyFullAccess(GasKeyInfo)
                out.u8(call != null ? 2 : 3).u128(gasKey.balance());
                out.u8(gasKey.numNonces() & 0xFF).u8(gasKey.numNonces() >>> 8);
            }
            if (call != null) {
                if (call.allowance() == null) {
                    out.u8(0);
                } else {
                    out.u8(1).u128(call.allowance());
                }
                out.string(call.receiverId()).u32(call.methodNames().size());
                call.methodNames().forEach(out::string);
            }
        } else if (action instanceof Action.DeleteKey delete) {
            out.u8(6);
            writeKey(out, delete.publicKey());
        } else if (action instanceof Action.Delegate delegate && delegate.v2()) {
            out.u8(14);
            writeDelegateV2Payload(
                    out,
                    delegate.senderId(),
                    delegate.receiverId(),
                    delegate.actions(),
                    delegate.nonce(),
                    delegate.nonceIndex(),
                    delegate.maxBlockHeight(),
                    delegate.publicKey());
            String text = delegate.signature();
            boolean ed25519 = text.startsWith("ed25519:");
            out.u8(ed25519 ? PublicKey.ED25519 : PublicKey.SECP256K1)
                    .fixed(Base58.decode(text.substring(text.indexOf(':') + 1)));
        } else if (action instanceof Action.Delegate delegate) {
            out.u8(8);
            writeDelegateAction(
                    out,
                    delegate.senderId(),
                    delegate.receiverId(),
                    delegate.actions(),
                    delegate.nonce(),
                    delegate.maxBlockHeight(),
                    delegate.publicKey());
            String text = delegate.signature();
            boolean ed25519 = text.startsWith("ed25519:");
            out.u8(ed25519 ? PublicKey.ED25519 : PublicKey.SECP256K1)
                    .fixed(Base58.decode(text.substring(text.indexOf(':') + 1)));
        } else if (action instanceof Action.DeployGlobalContract deploy) {
            out.u8(9).bytes(deploy.code()).u8(deploy.byAccountId() ? 1 : 0);
        } else if (action instanceof Action.UseGlobalContract use) {
            out.u8(10).fixed(use.contractId().toBorsh());
        } else if (action instanceof Action.DeterministicStateInit init) {
            out.u8(11).fixed(init.stateInitBorsh()).u128(init.deposit());
        } else if (action instanceof Action.TransferToGasKey transfer) {
            out.u8(12);
            writeKey(out, transfer.publicKey());
            out.u128(transfer.deposit());
        } else if (action instanceof Action.WithdrawFromGasKey withdraw) {
            out.u8(13);
            writeKey(out, withdraw.publicKey());
            out.u128(withdraw.amount());
        } else {
            out.u8(7).string(((Action.DeleteAccount) action).beneficiaryId());
        }
    }
}
