package dev.outlayer.bench.targetsystem.rpc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.time.Instant;

/**
 * Renders the emulated chain in nearcore's view shapes ({@code core/primitives/src/views.rs}):
 * StatusResponse, BlockView with its BlockHeaderView and one ChunkHeaderView (a single shard),
 * GasPriceView. Everything is a pure function of the height, so repeated reads agree.
 *
 * <p>A block never changes once produced, so recent ones are kept rendered (signing is most of the
 * cost), and so is the head's sync_info; shared trees are only ever serialised, never modified.
 */
final class BlockViews {
    /** The pinned protocol version whose parameters the contract simulator charges. */
    static final int PROTOCOL_VERSION = dev.outlayer.bench.targetsystem.contracts.ExtCost.PROTOCOL_VERSION;

    static final String NODE_VERSION = "2.3.0";
    /** NEAR's minimum gas price, yoctoNEAR per gas; the emulated chain is never congested. */
    static final String GAS_PRICE = "100000000";

    static final String TOTAL_SUPPLY = "1200000000000000000000000000000000";
    static final long CHUNK_GAS_LIMIT = 1_000_000_000_000_000L;
    /** CryptoHash::default(), the all-zero hash. */
    static final String ZERO_HASH = "11111111111111111111111111111111";

    private final BlockClock clock;
    private final String chainId;
    private final ValidatorKey validator;
    private final ChainView chain;
    private final Cache<Long, ObjectNode> recentBlocks =
            Caffeine.newBuilder().maximumSize(1_024).build();
    private final ObjectNode version = JsonCodec.object();
    private final ArrayNode validators = JsonCodec.MAPPER.createArrayNode();
    private final String genesisHash;
    private volatile SyncInfo latestSync;

    BlockViews(BlockClock clock, String chainId, ValidatorKey validator, ChainView chain) {
        this.clock = clock;
        this.chain = chain;
        this.chainId = chainId;
        this.validator = validator;
        this.genesisHash = clock.hash(BlockClock.GENESIS_HEIGHT);
        version.put("version", NODE_VERSION);
        version.put("build", "outlayer-bench");
        version.put("rustc_version", "none (emulated)");
        validators.addObject().put("account_id", validator.accountId());
    }

    ObjectNode status(String rpcAddr) {
        long height = clock.latestHeight();
        ObjectNode status = JsonCodec.object();
        status.set("version", version);
        status.put("chain_id", chainId);
        status.put("protocol_version", PROTOCOL_VERSION);
        status.put("latest_protocol_version", PROTOCOL_VERSION);
        if (rpcAddr != null) {
            status.put("rpc_addr", rpcAddr);
        }
        status.set("validators", validators);
        status.set("sync_info", syncInfo(height));
        status.put("validator_account_id", validator.accountId());
        status.put("validator_public_key", validator.publicKey());
        status.put("node_public_key", validator.publicKey());
        status.putNull("node_key");
        status.put("uptime_sec", clock.millisSinceGenesis() / 1000);
        status.put("genesis_hash", genesisHash);
        return status;
    }

    /** The head's sync_info, rendered once per block: status is the proxy benchmarks' hot call. */
    private ObjectNode syncInfo(long height) {
        // nearcore's earliest_block_*: the block at the chain's tail, the oldest GC kept (genesis before any)
        long earliest = Math.max(chain.firstKeptBlock(), BlockClock.GENESIS_HEIGHT);
        SyncInfo current = latestSync;
        if (current != null && current.height() == height && current.earliest() == earliest) {
            return current.node();
        }
        ObjectNode sync = JsonCodec.object();
        sync.put("latest_block_hash", clock.hash(height));
        sync.put("latest_block_height", height);
        // nearcore reports the latest header's prev_state_root: the state after the block before.
        sync.put("latest_state_root", stateRoot(height - 1));
        sync.put("latest_block_time", isoTime(height));
        sync.put("syncing", false);
        sync.put("earliest_block_hash", clock.hash(earliest));
        sync.put("earliest_block_height", earliest);
        sync.put("earliest_block_time", isoTime(earliest));
        sync.put("epoch_id", clock.epochId(height));
        sync.put("epoch_start_height", clock.epochStartHeight(height));
        latestSync = new SyncInfo(height, earliest, sync);
        return sync;
    }

    /** The chain's state root after {@code height}, base58 as nearcore renders a CryptoHash. */
    private String stateRoot(long height) {
        return Base58.encode(chain.stateRoot(height));
    }

    private record SyncInfo(long height, long earliest, ObjectNode node) {}

    /**
     * The block at a produced height, or null when it is garbage-collected: the state its parent ended
     * with is no longer kept (nearcore never collects genesis, whose parent state is the empty root).
     * Callers must not modify the returned tree.
     */
    ObjectNode block(long height) {
        if (chain.collected(height) || chain.stateRoot(height - 1) == null) {
            return null; // collected, also when its view is still cached
        }
        return recentBlocks.get(height, this::renderBlock);
    }

    private ObjectNode renderBlock(long height) {
        byte[] hash = clock.hashBytes(height);
        boolean genesis = height == BlockClock.GENESIS_HEIGHT;
        ObjectNode block = JsonCodec.object();
        block.put("author", validator.accountId());
        ObjectNode header = block.putObject("header");
        header.put("height", height);
        if (genesis) {
            header.putNull("prev_height");
        } else {
            header.put("prev_height", height - 1);
        }
        header.put("epoch_id", clock.epochId(height));
        header.put("next_epoch_id", clock.nextEpochId(height));
        header.put("hash", Base58.encode(hash));
        header.put("prev_hash", genesis ? ZERO_HASH : clock.hash(height - 1));
        header.put("prev_state_root", stateRoot(height - 1));
        header.put("block_body_hash", clock.derivedHash("body", height));
        header.put("chunk_receipts_root", clock.derivedHash("receipts", height));
        header.put("chunk_headers_root", clock.derivedHash("chunk-headers", height));
        header.put("chunk_tx_root", clock.derivedHash("tx", height));
        header.put("outcome_root", clock.derivedHash("outcome", height));
        header.put("chunks_included", 1);
        header.put("challenges_root", ZERO_HASH);
        header.put("timestamp", clock.timestampNanos(height));
        header.put("timestamp_nanosec", Long.toString(clock.timestampNanos(height)));
        header.put("random_value", clock.derivedHash("random", height));
        header.putArray("validator_proposals");
        header.putArray("chunk_mask").add(true);
        header.put("gas_price", GAS_PRICE);
        header.put("block_ordinal", height - BlockClock.GENESIS_HEIGHT + 1);
        header.put("rent_paid", "0");
        header.put("validator_reward", "0");
        header.put("total_supply", TOTAL_SUPPLY);
        header.putArray("challenges_result");
        header.put("last_final_block", clock.hash(Math.max(BlockClock.GENESIS_HEIGHT, height - 2)));
        header.put("last_ds_final_block", clock.hash(Math.max(BlockClock.GENESIS_HEIGHT, height - 1)));
        header.put("next_bp_hash", clock.derivedHash("next-bp", clock.epochHeight(height)));
        header.put("block_merkle_root", clock.derivedHash("block-merkle", height));
        header.putNull("epoch_sync_data_hash");
        ArrayNode approvals = header.putArray("approvals");
        if (!genesis) {
            approvals.add(validator.sign(clock.hashBytes(height - 1)));
        }
        header.put("signature", validator.sign(hash));
        header.put("latest_protocol_version", PROTOCOL_VERSION);
        block.putArray("chunks").add(chunk(height));
        return block;
    }

    private ObjectNode chunk(long height) {
        ObjectNode chunk = JsonCodec.object();
        String chunkHash = clock.chunkHash(height);
        chunk.put("chunk_hash", chunkHash);
        chunk.put("prev_block_hash", height == BlockClock.GENESIS_HEIGHT ? ZERO_HASH : clock.hash(height - 1));
        chunk.put("outcome_root", clock.derivedHash("outcome", height));
        chunk.put("prev_state_root", stateRoot(height - 1));
        chunk.put("encoded_merkle_root", clock.derivedHash("encoded", height));
        chunk.put("encoded_length", 8);
        chunk.put("height_created", height);
        chunk.put("height_included", height);
        chunk.put("shard_id", 0);
        chunk.put("gas_used", 0);
        chunk.put("gas_limit", CHUNK_GAS_LIMIT);
        chunk.put("rent_paid", "0");
        chunk.put("validator_reward", "0");
        chunk.put("balance_burnt", "0");
        chunk.put("outgoing_receipts_root", clock.derivedHash("outgoing", height));
        chunk.put("tx_root", ZERO_HASH);
        chunk.putArray("validator_proposals");
        ObjectNode congestion = chunk.putObject("congestion_info");
        congestion.put("delayed_receipts_gas", "0");
        congestion.put("buffered_receipts_gas", "0");
        congestion.put("receipt_bytes", 0);
        congestion.put("allowed_shard", 0);
        chunk.put("signature", validator.sign(clock.chunkHashBytes(height)));
        return chunk;
    }

    /**
     * nearcore's ChunkView of the one chunk of a produced block: its author, the header the block
     * shows, the transactions included at that height and the receipts it received (those the chunk
     * before created); null when the block is garbage-collected.
     */
    ObjectNode chunkView(long height, java.util.List<ObjectNode> transactions, java.util.List<ObjectNode> receipts) {
        ObjectNode block = block(height);
        if (block == null) {
            return null;
        }
        ObjectNode view = JsonCodec.object();
        view.put("author", validator.accountId());
        view.set("header", block.get("chunks").get(0));
        ArrayNode list = view.putArray("transactions");
        transactions.forEach(list::add);
        ArrayNode received = view.putArray("receipts");
        receipts.forEach(received::add);
        return view;
    }

    /** The stake the one validator shows in {@code validators}: 1M NEAR, a constant of this emulator. */
    static final String VALIDATOR_STAKE = "1000000000000000000000000000000";

    /**
     * nearcore's EpochValidatorInfo of epoch {@code epochHeight} (counted from 1): the one validator,
     * which produced every block and chunk of it up to {@code lastHeight}; no fishermen, proposals or
     * kickouts.
     */
    ObjectNode validators(long epochHeight, long lastHeight) {
        long start = BlockClock.GENESIS_HEIGHT + (epochHeight - 1) * BlockClock.EPOCH_LENGTH;
        long blocks = lastHeight - start + 1;
        ObjectNode info = JsonCodec.object();
        ObjectNode current = info.putArray("current_validators").addObject();
        current.put("account_id", validator.accountId());
        current.put("public_key", validator.publicKey());
        current.put("is_slashed", false);
        current.put("stake", VALIDATOR_STAKE);
        current.putArray("shards").add(0);
        current.put("num_produced_blocks", blocks);
        current.put("num_expected_blocks", blocks);
        current.put("num_produced_chunks", blocks);
        current.put("num_expected_chunks", blocks);
        current.putArray("num_produced_chunks_per_shard").add(blocks);
        current.putArray("num_expected_chunks_per_shard").add(blocks);
        ObjectNode next = info.putArray("next_validators").addObject();
        next.put("account_id", validator.accountId());
        next.put("public_key", validator.publicKey());
        next.put("stake", VALIDATOR_STAKE);
        next.putArray("shards").add(0);
        info.putArray("current_fishermen");
        info.putArray("next_fishermen");
        info.putArray("current_proposals");
        info.putArray("prev_epoch_kickout");
        info.put("epoch_start_height", start);
        info.put("epoch_height", epochHeight);
        return info;
    }

    ObjectNode gasPrice() {
        ObjectNode price = JsonCodec.object();
        price.put("gas_price", GAS_PRICE);
        return price;
    }

    /** A node with no peers: the emulator is a network of one. */
    ObjectNode networkInfo() {
        ObjectNode info = JsonCodec.object();
        info.putArray("active_peers");
        info.put("num_active_peers", 0);
        info.put("peer_max_count", 40);
        info.put("sent_bytes_per_sec", 0);
        info.put("received_bytes_per_sec", 0);
        info.putArray("known_producers")
                .addObject()
                .put("account_id", validator.accountId())
                .putNull("addr")
                .put("peer_id", validator.publicKey());
        return info;
    }

    private String isoTime(long height) {
        long nanos = clock.timestampNanos(height);
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L))
                .toString();
    }
}
