package dev.outlayer.bench.targetsystem.transactions;

import java.math.BigInteger;
import java.util.List;

/**
 * nearcore's AccessKey: the nonce of the last transaction signed with it and what it may do.
 * Borsh: nonce u64, then the permission's tag (0 FunctionCall, 1 FullAccess).
 */
public record AccessKey(long nonce, Permission permission) {

    public AccessKey withNonce(long newNonce) {
        return new AccessKey(newNonce, permission);
    }

    public sealed interface Permission permits FullAccess, FunctionCall {}

    public record FullAccess() implements Permission {
        public static final FullAccess INSTANCE = new FullAccess();
    }

    /**
     * Calls to {@code receiverId} only, of {@code methodNames} (any method when empty), paying at most
     * {@code allowance} yoctoNEAR of gas (null: unlimited), attaching no deposit.
     */
    public record FunctionCall(BigInteger allowance, String receiverId, List<String> methodNames)
            implements Permission {
        public FunctionCall {
            methodNames = List.copyOf(methodNames);
        }

        public FunctionCall withAllowance(BigInteger newAllowance) {
            return new FunctionCall(newAllowance, receiverId, methodNames);
        }
    }

    static AccessKey read(BorshReader in) {
        long nonce = in.u64();
        int tag = in.u8();
        return switch (tag) {
            case 0 -> {
                BigInteger allowance = in.option() ? in.u128() : null;
                String receiver = in.string();
                int count = in.count(4);
                String[] methods = new String[count];
                for (int i = 0; i < count; i++) {
                    methods[i] = in.string();
                }
                yield new AccessKey(nonce, new FunctionCall(allowance, receiver, List.of(methods)));
            }
            case 1 -> new AccessKey(nonce, FullAccess.INSTANCE);
            default -> throw new BorshReader.BorshException("invalid access key permission " + tag);
        };
    }
}
