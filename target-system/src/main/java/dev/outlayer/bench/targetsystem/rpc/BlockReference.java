package dev.outlayer.bench.targetsystem.rpc;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.OptionalLong;

/**
 * Which block a request means, parsed as nearcore's {@code BlockReference}: {@code {"finality":
 * "optimistic"|"near-final"|"final"}}, {@code {"block_id": height|hash}} or {@code
 * {"sync_checkpoint": "genesis"|"earliest_available"}}, or a bare block id.
 */
final class BlockReference {
    private enum Kind {
        FINALITY,
        HEIGHT,
        HASH,
        CHECKPOINT
    }

    private static final String BLOCK_ID_MISMATCH = "data did not match any variant of untagged enum BlockId";

    private static final java.math.BigInteger U64_LIMIT = java.math.BigInteger.ONE.shiftLeft(64);

    private final Kind kind;
    private final String text; // finality, base58 hash or checkpoint name
    private final long height; // a u64 in a long's bits: 2^63 and above read negative

    private BlockReference(Kind kind, String text, long height) {
        this.kind = kind;
        this.text = text;
        this.height = height;
    }

    /** The newest block, what nearcore uses for legacy path-style queries. */
    static BlockReference optimistic() {
        return new BlockReference(Kind.FINALITY, "optimistic", 0);
    }

    /** A bare block id: a u64 height (every one of them, as nearcore's BlockHeight) or a base58 32-byte hash. */
    static BlockReference blockId(JsonNode id) {
        if (id.isIntegralNumber()
                && id.bigIntegerValue().signum() >= 0
                && id.bigIntegerValue().compareTo(U64_LIMIT) < 0) {
            return new BlockReference(Kind.HEIGHT, null, id.bigIntegerValue().longValue());
        }
        if (id.isTextual() && decodesToHash(id.asText())) {
            return new BlockReference(Kind.HASH, id.asText(), 0);
        }
        throw RpcException.badParams(BLOCK_ID_MISMATCH);
    }

    /**
     * The block members of a params object, which may carry other members too (query's request sits
     * beside them). {@code block_id} is a height or a hash, so it stays a JSON value; a JSON null
     * member counts as absent. A finality or checkpoint is an enum's name: anything but a string is
     * serde's "invalid type" (never its text read as a name: {@code 5} is not {@code "5"}).
     */
    record Selector(
            @JsonProperty("block_id") JsonNode blockId,
            JsonNode finality,
            @JsonProperty("sync_checkpoint") JsonNode syncCheckpoint) {}

    /** The reference inside a params object, the first of block_id, finality and sync_checkpoint that is set. */
    static BlockReference fromObject(JsonNode params) {
        Selector selector = RpcParams.read(params, Selector.class);
        if (selector.blockId() != null && !selector.blockId().isNull()) {
            return blockId(selector.blockId());
        }
        String finality = variantName(selector.finality());
        if (finality != null) {
            if (!(finality.equals("optimistic") || finality.equals("near-final") || finality.equals("final"))) {
                throw RpcException.badParams(
                        "unknown variant `" + finality + "`, expected one of `optimistic`, `near-final`, `final`");
            }
            return new BlockReference(Kind.FINALITY, finality, 0);
        }
        String checkpoint = variantName(selector.syncCheckpoint());
        if (checkpoint != null) {
            if (!(checkpoint.equals("genesis") || checkpoint.equals("earliest_available"))) {
                throw RpcException.badParams(
                        "unknown variant `" + checkpoint + "`, expected `genesis` or `earliest_available`");
            }
            return new BlockReference(Kind.CHECKPOINT, checkpoint, 0);
        }
        throw RpcException.badParams("no variant of enum BlockReference found in flattened data");
    }

    /**
     * A unit enum's variant as serde reads it from a flattened member: a string (its name), or null for a
     * member absent or JSON null; anything else is refused as nearcore's ContentDeserializer refuses it.
     */
    private static String variantName(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw RpcException.badParams("invalid type: " + RpcParams.describe(value) + ", expected string or map");
        }
        return value.textValue();
    }

    /**
     * The height this reference names, or empty for a block not produced (yet). Final blocks lag
     * the head by two, doomslug-final ("near-final") by one, as on NEAR.
     */
    OptionalLong resolve(BlockClock clock) {
        switch (kind) {
            case FINALITY: {
                long lag = text.equals("final") ? 2 : text.equals("near-final") ? 1 : 0;
                return OptionalLong.of(Math.max(BlockClock.GENESIS_HEIGHT, clock.latestHeight() - lag));
            }
            case CHECKPOINT:
                return OptionalLong.of(BlockClock.GENESIS_HEIGHT);
            case HEIGHT:
                return height >= 0 && clock.isProduced(height) ? OptionalLong.of(height) : OptionalLong.empty();
            default:
                return clock.heightOf(Base58.decode(text));
        }
    }

    /**
     * UNKNOWN_BLOCK as the {@code block} method reports it: nearcore reads a block by hash with
     * {@code get_block}, whose DBNotFoundErr names it "BLOCK: hash".
     */
    RpcException unknownBlock(BlockClock clock) {
        return withStatus(
                RpcException.handlerError("UNKNOWN_BLOCK", EmptyObject.INSTANCE, notFoundText("BLOCK") + CAUSE), clock);
    }

    /** UNKNOWN_BLOCK as {@code gas_price} reports it: it reads the header ("BLOCK HEADER: hash"). */
    RpcException unknownBlockHeader(BlockClock clock) {
        return withStatus(
                RpcException.handlerError("UNKNOWN_BLOCK", EmptyObject.INSTANCE, notFoundText("BLOCK HEADER") + CAUSE),
                clock);
    }

    private static final String CAUSE = " \n Cause: Unknown";

    /**
     * UNKNOWN_BLOCK as the changes methods report it (RpcStateChangesError): nearcore serialises the error
     * itself as {@code data}, {@code {"name": "UNKNOWN_BLOCK", "info": {}}} (its error_message is skipped).
     */
    RpcException unknownBlockAsData(BlockClock clock) {
        return withStatus(
                RpcException.handlerErrorWithData(
                        "UNKNOWN_BLOCK",
                        EmptyObject.INSTANCE,
                        new RpcException.NamedError("UNKNOWN_BLOCK", EmptyObject.INSTANCE)),
                clock);
    }

    /**
     * UNKNOWN_BLOCK as the view client's config and changes requests report it (RpcProtocolConfigError,
     * RpcStateChangesError): an empty {@code info} and {@code prefix} before the chain's DBNotFoundErr text,
     * "BLOCK HEIGHT: h" or, read by hash, "BLOCK HEADER: hash".
     */
    RpcException unknownBlockWithPrefix(BlockClock clock, String prefix) {
        String what = kind == Kind.HEIGHT ? "BLOCK HEIGHT: " + Long.toUnsignedString(height) : "BLOCK HEADER: " + text;
        return withStatus(RpcException.handlerError("UNKNOWN_BLOCK", EmptyObject.INSTANCE, prefix + what), clock);
    }

    /** UNKNOWN_BLOCK as {@code query} reports it: the reference echoed in {@code info}. */
    RpcException unknownBlockInQuery(BlockClock clock) {
        // a height is a u64 number, a hash its base58 text (nearcore's BlockId, untagged)
        Object blockId = kind == Kind.HEIGHT ? new java.math.BigInteger(Long.toUnsignedString(height)) : text;
        UnknownBlockInQuery info = new UnknownBlockInQuery(new BlockIdReference(blockId));
        // nearcore's process_query_response: "... \n Cause: Unknown" after a height, nothing after a hash
        String data = kind == Kind.HEIGHT ? notFoundText("BLOCK HEADER") + CAUSE : notFoundText("BLOCK HEADER");
        return withStatus(RpcException.handlerError("UNKNOWN_BLOCK", info, data), clock);
    }

    /** RpcQueryError::UnknownBlock's info: the reference asked for, {@code {"block_reference": {"block_id"}}}. */
    private record UnknownBlockInQuery(
            @JsonProperty("block_reference") BlockIdReference blockReference) {}

    private record BlockIdReference(
            @JsonProperty("block_id") Object blockId) {}

    /**
     * nearcore 2.4+ answers 422 when the missing block lies below the head (a skipped or pruned
     * height); a block from the future, or an unknown hash, stays a 200 handler error.
     */
    private RpcException withStatus(RpcException error, BlockClock clock) {
        return kind == Kind.HEIGHT && Long.compareUnsigned(height, clock.latestHeight()) < 0
                ? error.withHttpStatus(422)
                : error;
    }

    /** "DB Not Found Error: BLOCK HEIGHT: h", or with {@code byHash} ("BLOCK", "BLOCK HEADER") and the hash. */
    private String notFoundText(String byHash) {
        String what = kind == Kind.HEIGHT ? "BLOCK HEIGHT: " + Long.toUnsignedString(height) : byHash + ": " + text;
        return "DB Not Found Error: " + what;
    }

    private static boolean decodesToHash(String text) {
        try {
            return Base58.decode(text).length == BlockClock.HASH_BYTES;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
