package dev.outlayer.bench.targetsystem.transactions;

import dev.outlayer.bench.targetsystem.contracts.AccessKey;
import dev.outlayer.bench.targetsystem.contracts.Action;
import dev.outlayer.bench.targetsystem.contracts.Bytes;
import dev.outlayer.bench.targetsystem.contracts.GlobalContractId;
import dev.outlayer.bench.targetsystem.contracts.PublicKey;
import dev.outlayer.bench.targetsystem.rpc.AccountIds;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads nearcore's Borsh {@code Action} enum (core/primitives/src/action/mod.rs, tags in
 * declaration order) into the shared {@link Action} model.
 */
final class ActionBorsh {
    private ActionBorsh() {}

    static Action read(BorshReader in, boolean insideDelegate) {
        int tag = in.u8();
        return switch (tag) {
            case 0 -> new Action.CreateAccount();
            case 1 -> new Action.DeployContract(in.bytes());
            case 2 -> new Action.FunctionCall(in.string(), in.bytes(), in.u64(), in.u128());
            case 3 -> new Action.Transfer(in.u128());
            case 4 -> new Action.Stake(in.u128(), publicKey(in));
            case 5 -> new Action.AddKey(publicKey(in), accessKey(in));
            case 6 -> new Action.DeleteKey(publicKey(in));
            case 7 -> new Action.DeleteAccount(accountId(in));
            case 8 -> {
                if (insideDelegate) {
                    throw new BorshReader.BorshException("a delegate action cannot contain a delegate action");
                }
                yield delegate(in);
            }
            case 9 -> {
                // DeployGlobalContractAction { code, deploy_mode: 0 CodeHash | 1 AccountId }
                byte[] code = in.bytes();
                int mode = in.u8();
                if (mode > 1) {
                    throw new BorshReader.BorshException("invalid global contract deploy mode " + mode);
                }
                yield new Action.DeployGlobalContract(code, mode == 1);
            }
            case 10 -> new Action.UseGlobalContract(globalContractId(in));
            case 11 -> stateInit(in);
            // TransferToGasKeyAction { public_key, deposit } (GasKeys, protocol 85)
            case 12 -> new Action.TransferToGasKey(publicKey(in), in.u128());
            // WithdrawFromGasKeyAction { public_key, amount } (GasKeys, protocol 85)
            case 13 -> new Action.WithdrawFromGasKey(publicKey(in), in.u128());
            case 14 -> {
                if (insideDelegate) {
                    throw new BorshReader.BorshException("a delegate action cannot contain a delegate action");
                }
                yield delegateV2(in);
            }
            default -> throw new BorshReader.BorshException("unknown action " + tag);
        };
    }

    /** GlobalContractIdentifier: 0 CodeHash([u8; 32]) | 1 AccountId. */
    private static GlobalContractId globalContractId(BorshReader in) {
        int kind = in.u8();
        return switch (kind) {
            case 0 -> GlobalContractId.byHash(in.fixed(32));
            case 1 -> GlobalContractId.byAccount(accountId(in));
            default -> throw new BorshReader.BorshException("invalid global contract identifier " + kind);
        };
    }

    /**
     * NEP-616's DeterministicStateInitAction { state_init: DeterministicAccountStateInit (0 V1 { code,
     * data: BTreeMap<Vec<u8>, Vec<u8>> }), deposit: u128 }. The map is read as borsh collects it:
     * entries in any order, a repeated key's last value kept.
     */
    private static Action.DeterministicStateInit stateInit(BorshReader in) {
        int version = in.u8();
        if (version != 0) {
            throw new BorshReader.BorshException("invalid deterministic account state init version " + version);
        }
        GlobalContractId code = globalContractId(in);
        int count = in.count(8);
        java.util.TreeMap<Bytes, byte[]> data = new java.util.TreeMap<>();
        for (int i = 0; i < count; i++) {
            byte[] key = in.bytes();
            data.put(Bytes.wrap(key), in.bytes());
        }
        return new Action.DeterministicStateInit(code, data, in.u128());
    }

    /** NEP-461's prefix of a delegate action: 2^30 + 366 (the NEP number), a little-endian u32. */
    static final int NEP_366_DISCRIMINANT = (1 << 30) + 366;

    /**
     * SignedDelegateAction: the DelegateAction (sender, receiver, actions, nonce, max_block_height,
     * public key) and its signature, which must be the key's over sha256 of NEP-461's prefix and the
     * DelegateAction's bytes.
     */
    private static Action.Delegate delegate(BorshReader in) {
        int start = in.position();
        String senderId = accountId(in);
        String receiverId = accountId(in);
        int count = in.count(1);
        List<Action> actions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            actions.add(read(in, true));
        }
        long nonce = in.u64();
        long maxBlockHeight = in.u64();
        PublicKey publicKey = publicKey(in);
        byte[] signed = in.slice(start, in.position());
        Signature signature = Signature.read(in);
        boolean valid = signedWithPrefix(signature, publicKey, NEP_366_DISCRIMINANT, signed);
        return new Action.Delegate(
                senderId, receiverId, actions, nonce, maxBlockHeight, publicKey, signature.toString(), valid);
    }

    /** Whether {@code signature} is the key's over sha256 of the u32 {@code discriminant} and {@code signed}. */
    private static boolean signedWithPrefix(Signature signature, PublicKey publicKey, int discriminant, byte[] signed) {
        byte[] prefixed = java.nio.ByteBuffer.allocate(4 + signed.length)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putInt(discriminant)
                .put(signed)
                .array();
        return signature.verifies(publicKey, SignedTransaction.sha256(prefixed));
    }

    /** NEP-611's prefix of a DelegateV2: 2^30 + 611. */
    static final int NEP_611_DISCRIMINANT = (1 << 30) + 611;

    /**
     * VersionedSignedDelegateAction (core/primitives/src/action/delegate.rs): the versioned payload (0
     * V2: DelegateActionV2 {sender, receiver, actions, nonce: TransactionNonce, max_block_height,
     * public key}) and its signature, which must be the key's over sha256 of NEP-611's prefix and the
     * payload's bytes, its version tag included.
     */
    private static Action.Delegate delegateV2(BorshReader in) {
        int start = in.position();
        int version = in.u8();
        if (version != 0) {
            throw new BorshReader.BorshException("invalid delegate action version " + version);
        }
        String senderId = accountId(in);
        String receiverId = accountId(in);
        int count = in.count(1);
        List<Action> actions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            actions.add(read(in, true));
        }
        int nonceKind = in.u8();
        if (nonceKind > 1) {
            throw new BorshReader.BorshException("invalid transaction nonce " + nonceKind);
        }
        long nonce = in.u64();
        int nonceIndex = nonceKind == 1 ? in.u8() | in.u8() << 8 : -1;
        long maxBlockHeight = in.u64();
        PublicKey publicKey = publicKey(in);
        byte[] signed = in.slice(start, in.position());
        Signature signature = Signature.read(in);
        boolean valid = signedWithPrefix(signature, publicKey, NEP_611_DISCRIMINANT, signed);
        return new Action.Delegate(
                senderId,
                receiverId,
                actions,
                nonce,
                maxBlockHeight,
                publicKey,
                signature.toString(),
                valid,
                true,
                nonceIndex);
    }

    static PublicKey publicKey(BorshReader in) {
        int curve = in.u8();
        return switch (curve) {
            case PublicKey.ED25519 -> PublicKey.ed25519(in.fixed(32));
            case PublicKey.SECP256K1 -> new PublicKey(curve, in.fixed(64));
            default -> throw new BorshReader.BorshException("invalid key type " + curve);
        };
    }

    /** An AccountId, validated while read as nearcore's deserialiser does. */
    static String accountId(BorshReader in) {
        String id = in.string();
        String problem = AccountIds.problem(id);
        if (problem != null) {
            throw new BorshReader.BorshException(problem);
        }
        return id;
    }

    /**
     * AccessKey: nonce u64, then the permission (0 FunctionCall {allowance?, receiver, methods}, 1
     * FullAccess, 2 GasKeyFunctionCall(GasKeyInfo, FunctionCall), 3 GasKeyFullAccess(GasKeyInfo);
     * GasKeyInfo is {balance u128, num_nonces u16}).
     */
    static AccessKey accessKey(BorshReader in) {
        long nonce = in.u64();
        int tag = in.u8();
        return switch (tag) {
            case 0 -> new AccessKey(nonce, functionCall(in));
            case 1 -> AccessKey.fullAccess(nonce);
            case 2 -> {
                AccessKey.GasKeyInfo gasKey = gasKeyInfo(in);
                yield new AccessKey(nonce, new AccessKey.GasKeyFunctionCall(gasKey, functionCall(in)));
            }
            case 3 -> new AccessKey(nonce, new AccessKey.GasKeyFullAccess(gasKeyInfo(in)));
            default -> throw new BorshReader.BorshException("invalid access key permission " + tag);
        };
    }

    private static AccessKey.FunctionCallPermission functionCall(BorshReader in) {
        java.math.BigInteger allowance = in.option() ? in.u128() : null;
        String receiver = in.string();
        int count = in.count(4);
        List<String> methods = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            methods.add(in.string());
        }
        return new AccessKey.FunctionCallPermission(allowance, receiver, methods);
    }

    private static AccessKey.GasKeyInfo gasKeyInfo(BorshReader in) {
        java.math.BigInteger balance = in.u128();
        int numNonces = in.u8() | (in.u8() << 8);
        return new AccessKey.GasKeyInfo(balance, numNonces);
    }
}
