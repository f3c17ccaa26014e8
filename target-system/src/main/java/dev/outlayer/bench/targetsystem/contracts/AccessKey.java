package dev.outlayer.bench.targetsystem.contracts;

import java.math.BigInteger;
import java.util.List;

/**
 * nearcore's AccessKey: the nonce of the last transaction signed with it and what it may do.
 *
 * @param nonce the highest nonce used; a transaction must use a larger one
 */
public record AccessKey(long nonce, Permission permission) {
    public AccessKey {
        if (permission == null) {
            throw new IllegalArgumentException("permission is required");
        }
    }

    public static AccessKey fullAccess(long nonce) {
        return new AccessKey(nonce, new FullAccess());
    }

    public AccessKey withNonce(long newNonce) {
        return new AccessKey(newNonce, permission);
    }

    /** What a key may sign. */
    public sealed interface Permission permits FullAccess, FunctionCallPermission {}

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
}
