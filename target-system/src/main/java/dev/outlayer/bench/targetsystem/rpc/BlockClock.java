package dev.outlayer.bench.targetsystem.rpc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * The emulated chain's clock: one block every {@code blockTimeMillis} from a fixed genesis, and
 * every height has a stable hash, so the same height always reads the same block.
 *
 * <p>A hash carries its height in its last 8 bytes (the rest is a SHA-256 of the height), so a
 * lookup by hash is a recomputation rather than a table that would grow with every block.
 */
public final class BlockClock {
    public static final long GENESIS_HEIGHT = 100_000_000L;
    /** Blocks per epoch, as on NEAR mainnet. */
    public static final long EPOCH_LENGTH = 43_200L;

    static final int HASH_BYTES = 32;

    private final long genesisMillis;
    private final long blockTimeMillis;
    private final LongSupplier nowMillis;
    /** Blocks produced ahead of the wall clock by receipts that ran (see {@link #advanceTo}). */
    private final java.util.concurrent.atomic.AtomicLong producedAhead = new java.util.concurrent.atomic.AtomicLong();
    /**
     * The head's jumps ahead of the clock, by their last height, for the timestamps of the blocks they
     * produced; the oldest are dropped once their blocks are long collected (see {@link #timestampNanos}).
     */
    private final java.util.concurrent.ConcurrentSkipListMap<Long, Jump> jumps =
            new java.util.concurrent.ConcurrentSkipListMap<>();

    /** Heights {@code (from, to]} produced at once at {@code nanos}, leaving the head {@code ahead} blocks ahead. */
    private record Jump(long from, long to, long ahead, long nanos) {}

    /** The newest of {@link #jumps}, or null before the first. */
    private volatile Jump lastJump;

    /** Jumps kept: far more heights than the blocks kept (1,024), so a block anyone can read has its own. */
    private static final int JUMPS_KEPT = 8_192;

    /**
     * Blocks near-sandbox's {@code sandbox_fast_forward} moved the chain on (see {@link #fastForward}):
     * they count as blocks of the clock too, as a fast-forwarded sandbox's blocks are blocks of its time.
     */
    private final java.util.concurrent.atomic.AtomicLong fastForwarded = new java.util.concurrent.atomic.AtomicLong();

    public BlockClock(long genesisMillis, long blockTimeMillis, LongSupplier nowMillis) {
        if (blockTimeMillis <= 0) {
            throw new IllegalArgumentException("block time must be positive, was " + blockTimeMillis);
        }
        this.genesisMillis = genesisMillis;
        this.blockTimeMillis = blockTimeMillis;
        this.nowMillis = nowMillis;
    }

    public BlockClock(long genesisMillis, long blockTimeMillis) {
        this(genesisMillis, blockTimeMillis, System::currentTimeMillis);
    }

    public static BlockClock startingNow(long blockTimeMillis) {
        return new BlockClock(System.currentTimeMillis(), blockTimeMillis);
    }

    /** The newest block ("optimistic" finality). */
    public long latestHeight() {
        return clockHeight() + producedAhead.get();
    }

    /**
     * Makes {@code height} produced: receipts run one block after the receipt that created them,
     * so a tree of receipts moves the chain on at least as far as its deepest receipt, and
     * block-dependent code sees time pass. Trees running at once share these blocks.
     */
    public synchronized void advanceTo(long height) {
        long now = nowMillis.getAsLong();
        long ahead = producedAhead.get();
        long head = heightAt(now) + fastForwarded.get() + ahead;
        long missing = height - head;
        if (missing <= 0) {
            return;
        }
        // The blocks are produced now, so they carry the wall time (nanosecond steps apart, strictly
        // increasing as nearcore's), not the time their height would have on the clock.
        long nanos = Math.max(now * 1_000_000L, timestampNanos(head) + 1);
        Jump jump = new Jump(head, height, ahead + missing, nanos);
        jumps.put(height, jump);
        lastJump = jump;
        producedAhead.set(ahead + missing);
        if (jumps.size() > JUMPS_KEPT) {
            jumps.pollFirstEntry();
        }
    }

    /**
     * The height the wall clock has reached, with the blocks fast-forwarded: the head without the blocks
     * receipts produced ahead of it. Limits nearcore counts in blocks of its block time (a yield's
     * timeout) are also held to it here, where a load of receipts runs blocks faster than the clock; a
     * fast-forward passes them as it does on near-sandbox.
     */
    public long clockHeight() {
        return heightAt(nowMillis.getAsLong()) + fastForwarded.get();
    }

    /**
     * near-sandbox's fast-forward (nearcore's client {@code sandbox_process_fast_forward}): moves the head
     * and the clock height on by {@code delta} blocks at once. They count as blocks of the clock, so the
     * blocks from there on lie that many block times ahead (the clock's start of block time of their
     * height), as nearcore's {@code sandbox_delta_time} shifts a fast-forwarded sandbox's timestamps.
     * Refused (false, nothing changes) when the landing block's timestamp would not fit a long of
     * nanoseconds (nearcore's u64).
     */
    public synchronized boolean fastForward(long delta) {
        if (delta < 0) {
            throw new IllegalArgumentException("a fast-forward is a number of blocks, was " + delta);
        }
        long maxHeight = GENESIS_HEIGHT + (Long.MAX_VALUE / 1_000_000L - genesisMillis) / blockTimeMillis;
        if (delta > maxHeight - latestHeight()) {
            return false;
        }
        fastForwarded.addAndGet(delta);
        return true;
    }

    public long heightAt(long epochMillis) {
        return GENESIS_HEIGHT + Math.max(0, (epochMillis - genesisMillis) / blockTimeMillis);
    }

    /** Whether {@code height} has been produced by now. */
    public boolean isProduced(long height) {
        return height >= GENESIS_HEIGHT && height <= latestHeight();
    }

    /**
     * Block timestamp in nanoseconds since the Unix epoch, as NEAR reports it: the wall time at which the
     * block was produced, as a nearcore block producer stamps it. A block the clock produced has the start
     * of its block time; blocks that receipts produced ahead of the clock have the moment they were
     * produced, a nanosecond apart, so block time under a load of receipts stays with the wall clock
     * (height x block time ran into the future: a contract's timestamp-based limits, such as OutLayer's
     * stale-execution timeout, passed thousands of times too fast).
     */
    public long timestampNanos(long height) {
        Jump latest = lastJump;
        if (latest == null) {
            return onTheClock(height, 0);
        }
        if (height > latest.to()) { // the head's blocks, most asked for: no lookup, no allocation
            long lastOfJump = latest.nanos() + (latest.to() - latest.from() - 1);
            return Math.max(onTheClock(height, latest.ahead()), lastOfJump + (height - latest.to()));
        }
        java.util.Map.Entry<Long, Jump> within = jumps.ceilingEntry(height);
        if (within != null && within.getValue().from() < height) {
            Jump jump = within.getValue();
            return jump.nanos() + (height - jump.from() - 1);
        }
        java.util.Map.Entry<Long, Jump> before = jumps.lowerEntry(height);
        if (before == null) {
            return onTheClock(height, 0);
        }
        Jump jump = before.getValue();
        long lastOfJump = jump.nanos() + (jump.to() - jump.from() - 1);
        return Math.max(onTheClock(height, jump.ahead()), lastOfJump + (height - jump.to()));
    }

    /** The start of the block time in which the clock makes {@code height} the head, {@code ahead} blocks on. */
    private long onTheClock(long height, long ahead) {
        return (genesisMillis + (height - ahead - GENESIS_HEIGHT) * blockTimeMillis) * 1_000_000L;
    }

    public long blockTimeMillis() {
        return blockTimeMillis;
    }

    /** Milliseconds since genesis, for the node's uptime. */
    public long millisSinceGenesis() {
        return Math.max(0, nowMillis.getAsLong() - genesisMillis);
    }

    /** A stable 32-byte hash for a height, base58 encoded like NEAR's CryptoHash. */
    public String hash(long height) {
        return Base58.encode(hashBytes(height));
    }

    byte[] hashBytes(long height) {
        return stamped("block", height);
    }

    /** The height of a block this chain has produced with that hash, or empty. */
    public OptionalLong heightOf(byte[] hash) {
        return producedHeight("block", hash);
    }

    /** The hash of the one chunk of the block at {@code height}, base58; like a block hash it carries its height. */
    public String chunkHash(long height) {
        return Base58.encode(chunkHashBytes(height));
    }

    byte[] chunkHashBytes(long height) {
        return stamped("chunk", height);
    }

    /** The height of the block whose chunk has that hash, if that block has been produced. */
    public OptionalLong chunkHeightOf(byte[] hash) {
        return producedHeight("chunk", hash);
    }

    /** A SHA-256 of the kind and height, with the height in its last 8 bytes: found again without a table. */
    private static byte[] stamped(String kind, long height) {
        byte[] hash = sha256("outlayer-bench/" + kind + "/" + height);
        ByteBuffer.wrap(hash).putLong(HASH_BYTES - Long.BYTES, height);
        return hash;
    }

    private OptionalLong producedHeight(String kind, byte[] hash) {
        if (hash.length != HASH_BYTES) {
            return OptionalLong.empty();
        }
        long height = ByteBuffer.wrap(hash).getLong(HASH_BYTES - Long.BYTES);
        if (!isProduced(height) || !MessageDigest.isEqual(stamped(kind, height), hash)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(height);
    }

    /** Epochs count from 1 at genesis. */
    public long epochHeight(long height) {
        return (height - GENESIS_HEIGHT) / EPOCH_LENGTH + 1;
    }

    public long epochStartHeight(long height) {
        return GENESIS_HEIGHT + (epochHeight(height) - 1) * EPOCH_LENGTH;
    }

    public String epochId(long height) {
        return epochIdOf(epochHeight(height));
    }

    public String nextEpochId(long height) {
        return epochIdOf(epochHeight(height) + 1);
    }

    /** A stable hash standing for another per-height root (state, chunk, outcome...). */
    public String derivedHash(String kind, long height) {
        return Base58.encode(sha256("outlayer-bench/" + kind + "/" + height));
    }

    private static String epochIdOf(long epochHeight) {
        return Base58.encode(sha256("outlayer-bench/epoch/" + epochHeight));
    }

    static byte[] sha256(String input) {
        return sha256(input.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
