package dev.outlayer.bench.targetsystem.contracts;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * nearcore's AccessKey: the nonce of the last transaction signed with it and what it may do. A gas
 * key (core/primitives-core/src/account.rs, GasKeys at protocol 85) has its own balance, which
 * pays the gas of the transactions it signs, and {@code num_nonces} nonce slots, each its own trie
 * entry in nearcore (TrieKey::GasKeyNonce); its own nonce stays 0.
 *
 * @param nonce the highest nonce used; a transaction must use a larger one (0 for a gas key)
 * @param gasKeyNonces a stored gas key's nonce slots, by index; empty for other keys and for the
 *     key an AddKey action carries
 */
public record AccessKey(long nonce, Permission permission, List<Long> gasKeyNonces) {
    /** nearcore's AccessKeyPermission::MAX_NONCES_FOR_GAS_KEY. */
    public static final int MAX_NONCES_FOR_GAS_KEY = 1024;

    /** nearcore's GasKeyInfo::MAX_BALANCE_TO_BURN: deleting a gas key (or its account) burns at most 1 NEAR. */
    public static final BigInteger MAX_GAS_KEY_BALANCE_TO_BURN = BigInteger.TEN.pow(24);

    public AccessKey {
        if (permission == null) {
            throw new IllegalArgumentException("permission is required");
        }
        gasKeyNonces = List.copyOf(gasKeyNonces);
    }

    public AccessKey(long nonce, Permission permission) {
        this(nonce, permission, List.of());
    }

    public static AccessKey fullAccess(long nonce) {
        return new AccessKey(nonce, new FullAccess());
    }

    public AccessKey withNonce(long newNonce) {
        return new AccessKey(newNonce, permission, gasKeyNonces);
    }

    /** The gas key's balance and nonce count, or null for a key that is no gas key. */
    public GasKeyInfo gasKey() {
        if (permission instanceof GasKeyFullAccess g) {
            return g.gasKey();
        }
        if (permission instanceof GasKeyFunctionCall g) {
            return g.gasKey();
        }
        return null;
    }

    /** nearcore's function_call_permission(): a function-call key's or a function-call gas key's limits; else null. */
    public FunctionCallPermission functionCall() {
        if (permission instanceof FunctionCallPermission p) {
            return p;
        }
        if (permission instanceof GasKeyFunctionCall g) {
            return g.call();
        }
        return null;
    }

    /** A gas key as nearcore's add_gas_key stores it: nonce 0 and every slot at {@code slotNonce}. */
    public AccessKey storedGasKey(long slotNonce) {
        List<Long> slots = new ArrayList<>();
        for (int i = 0; i < gasKey().numNonces(); i++) {
            slots.add(slotNonce);
        }
        return new AccessKey(0, permission, slots);
    }

    /** This gas key with another balance. */
    public AccessKey withGasKeyBalance(BigInteger balance) {
        GasKeyInfo info = new GasKeyInfo(balance, gasKey().numNonces());
        Permission changed = permission instanceof GasKeyFunctionCall g
                ? new GasKeyFunctionCall(info, g.call())
                : new GasKeyFullAccess(info);
        return new AccessKey(nonce, changed, gasKeyNonces);
    }

    /** What a key may sign. */
    public sealed interface Permission
            permits FullAccess, FunctionCallPermission, GasKeyFullAccess, GasKeyFunctionCall {}

    public record FullAccess() implements Permission {}

    /**
     * May sign only function calls without deposit to {@code receiverId}, to one of
     * {@code methodNames} (empty: any), paying fees from {@code allowance} (null: unlimited).
     */
    public record FunctionCallPermission(BigInteger allowance, String receiverId, List<String> methodNames)
            implements Permission {
        public FunctionCallPermission {
            methodNames = List.copyOf(methodNames);
        }

        public FunctionCallPermission withAllowance(BigInteger left) {
            return new FunctionCallPermission(left, receiverId, methodNames);
        }

        public boolean allowsMethod(String method) {
            return methodNames.isEmpty() || methodNames.contains(method);
        }
    }

    /**
     * nearcore's GasKeyInfo: the yoctoNEAR that pays the key's gas and how many nonce slots it has
     * (a u16; 1 to {@link #MAX_NONCES_FOR_GAS_KEY} for a key an AddKey may add).
     */
    public record GasKeyInfo(BigInteger balance, int numNonces) {
        public GasKeyInfo {
            if (balance == null || balance.signum() < 0 || numNonces < 0 || numNonces > 0xFFFF) {
                throw new IllegalArgumentException("a gas key has a u128 balance and a u16 nonce count");
            }
        }
    }

    /** A gas key with full access (nearcore's AccessKeyPermission::GasKeyFullAccess). */
    public record GasKeyFullAccess(GasKeyInfo gasKey) implements Permission {}

    /** A gas key limited as a function-call key, whose allowance is always null (GasKeyFunctionCall). */
    public record GasKeyFunctionCall(GasKeyInfo gasKey, FunctionCallPermission call) implements Permission {}
}
