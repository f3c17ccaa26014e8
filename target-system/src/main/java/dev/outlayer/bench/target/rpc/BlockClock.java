package dev.outlayer.bench.target.rpc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The emulated chain's clock: block heights advance every {@code blockTimeMillis} from a fixed
 * genesis, and every height has a stable hash, so the same height always reads the same block.
 */
public final class BlockClock {
    public static final long GENESIS_HEIGHT = 100_000_000L;

    private final long genesisMillis;
    private final long blockTimeMillis;

    public BlockClock(long genesisMillis, long blockTimeMillis) {
        if (blockTimeMillis <= 0) {
            throw new IllegalArgumentException("block time must be positive, was " + blockTimeMillis);
        }
        this.genesisMillis = genesisMillis;
        this.blockTimeMillis = blockTimeMillis;
    }

    public static BlockClock startingNow(long blockTimeMillis) {
        return new BlockClock(System.currentTimeMillis(), blockTimeMillis);
    }

    public long latestHeight() {
        return heightAt(System.currentTimeMillis());
    }

    public long heightAt(long epochMillis) {
        return GENESIS_HEIGHT + Math.max(0, (epochMillis - genesisMillis) / blockTimeMillis);
    }

    /** Block timestamp in nanoseconds since the Unix epoch, as NEAR reports it. */
    public long timestampNanos(long height) {
        return (genesisMillis + (height - GENESIS_HEIGHT) * blockTimeMillis) * 1_000_000L;
    }

    public long blockTimeMillis() {
        return blockTimeMillis;
    }

    /** A stable 32-byte hash for a height, base58 encoded like NEAR's CryptoHash. */
    public String hash(long height) {
        return Base58.encode(sha256("outlayer-bench/block/" + height));
    }

    /** Epochs are 43,200 blocks on NEAR mainnet. */
    public long epochHeight(long height) {
        return (height - GENESIS_HEIGHT) / 43_200L + 1;
    }

    public String epochId(long height) {
        return Base58.encode(sha256("outlayer-bench/epoch/" + epochHeight(height)));
    }

    static byte[] sha256(String input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
