package dev.outlayer.bench.targetsystem.rpc;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.outlayer.bench.targetsystem.json.RawJson;
import dev.outlayer.bench.targetsystem.json.RpcJson;
import java.time.Instant;
import java.util.List;

/**
 * Renders the emulated chain in nearcore's view shapes as records, serialised as serde serialises them
 * (components in serde's member order; near/nearcore d44e2115, core/primitives/src/views.rs and
 * chain/jsonrpc-primitives): StatusResponse, BlockView with its BlockHeaderView and one ChunkHeaderView (a
 * single shard), ChunkView, EpochValidatorInfo, GasPriceView, NetworkInfoView. Everything is a pure function
 * of the height, so repeated reads agree.
 *
 * <p>A block never changes once produced, so recent ones are kept rendered (signing is most of the cost),
 * as their record and its JSON, and so is the head's sync_info; the records are immutable, so a kept one
 * is written as it is.
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

    private static final Version VERSION = new Version(NODE_VERSION, "outlayer-bench", "none (emulated)");
    private static final GasPriceView GAS_PRICE_VIEW = new GasPriceView(GAS_PRICE);
    private static final CongestionInfoView NO_CONGESTION = new CongestionInfoView("0", "0", 0, 0);

    private final BlockClock clock;
    private final String chainId;
    private final ValidatorKey validator;
    private final ChainView chain;
    private final Cache<Long, Rendered> recentBlocks =
            Caffeine.newBuilder().maximumSize(1_024).build();
    private final List<AccountIdView> validators;
    private final String genesisHash;
    private volatile SyncInfo latestSync;

    BlockViews(BlockClock clock, String chainId, ValidatorKey validator, ChainView chain) {
        this.clock = clock;
        this.chain = chain;
        this.chainId = chainId;
        this.validator = validator;
        this.genesisHash = clock.hash(BlockClock.GENESIS_HEIGHT);
        this.validators = List.of(new AccountIdView(validator.accountId()));
    }

    /** StatusResponse's {@code version}: nearcore's Version. */
    record Version(
            String version,
            String build,
            @JsonProperty("rustc_version") String rustcVersion) {}

    /** ValidatorInfo: {@code {"account_id"}}. */
    record AccountIdView(@JsonProperty("account_id") String accountId) {}

    /** StatusSyncInfo. */
    record SyncInfoView(
            @JsonProperty("latest_block_hash") String latestBlockHash,
            @JsonProperty("latest_block_height") long latestBlockHeight,
            @JsonProperty("latest_state_root") String latestStateRoot,
            @JsonProperty("latest_block_time") String latestBlockTime,
            boolean syncing,
            @JsonProperty("earliest_block_hash") String earliestBlockHash,
            @JsonProperty("earliest_block_height") long earliestBlockHeight,
            @JsonProperty("earliest_block_time") String earliestBlockTime,
            @JsonProperty("epoch_id") String epochId,
            @JsonProperty("epoch_start_height") long epochStartHeight) {}

    /**
     * StatusResponse; {@code rpc_addr} is skipped when the listener's address is not known (serde's
     * skip_serializing_if on the Option), {@code node_key} always null.
     */
    record StatusResponse(
            Version version,
            @JsonProperty("chain_id") String chainId,
            @JsonProperty("protocol_version") int protocolVersion,
            @JsonProperty("latest_protocol_version") int latestProtocolVersion,

            @JsonProperty("rpc_addr") @JsonInclude(JsonInclude.Include.NON_NULL)
            String rpcAddr,

            List<AccountIdView> validators,
            @JsonProperty("sync_info") SyncInfoView syncInfo,
            @JsonProperty("validator_account_id") String validatorAccountId,
            @JsonProperty("validator_public_key") String validatorPublicKey,
            @JsonProperty("node_public_key") String nodePublicKey,
            @JsonProperty("node_key") String nodeKey,
            @JsonProperty("uptime_sec") long uptimeSec,
            @JsonProperty("genesis_hash") String genesisHash) {}

    StatusResponse status(String rpcAddr) {
        long height = clock.latestHeight();
        return new StatusResponse(
                VERSION,
                chainId,
                PROTOCOL_VERSION,
                PROTOCOL_VERSION,
                rpcAddr,
                validators,
                syncInfo(height),
                validator.accountId(),
                validator.publicKey(),
                validator.publicKey(),
                null,
                clock.millisSinceGenesis() / 1000,
                genesisHash);
    }

    /** The head's sync_info, rendered once per block: status is the proxy benchmarks' hot call. */
    private SyncInfoView syncInfo(long height) {
        // nearcore's earliest_block_*: the block at the chain's tail, the oldest GC kept (genesis before any)
        long earliest = Math.max(chain.firstKeptBlock(), BlockClock.GENESIS_HEIGHT);
        SyncInfo current = latestSync;
        if (current != null && current.height() == height && current.earliest() == earliest) {
            return current.view();
        }
        SyncInfoView sync = new SyncInfoView(
                clock.hash(height),
                height,
                // nearcore reports the latest header's prev_state_root: the state after the block before.
                stateRoot(height - 1),
                isoTime(height),
                false,
                clock.hash(earliest),
                earliest,
                isoTime(earliest),
                clock.epochId(height),
                clock.epochStartHeight(height));
        latestSync = new SyncInfo(height, earliest, sync);
        return sync;
    }

    /** The chain's state root after {@code height}, base58 as nearcore renders a CryptoHash. */
    private String stateRoot(long height) {
        return Base58.encode(chain.stateRoot(height));
    }

    private record SyncInfo(long height, long earliest, SyncInfoView view) {}

    /** BlockView. */
    record BlockView(String author, BlockHeaderView header, List<ChunkHeaderView> chunks) {}

    /**
     * BlockHeaderView; {@code prev_height} null at genesis, {@code epoch_sync_data_hash} always null, both
     * Options serde writes as null. Proposals and challenges are always empty.
     */
    record BlockHeaderView(
            long height,
            @JsonProperty("prev_height") Long prevHeight,
            @JsonProperty("epoch_id") String epochId,
            @JsonProperty("next_epoch_id") String nextEpochId,
            String hash,
            @JsonProperty("prev_hash") String prevHash,
            @JsonProperty("prev_state_root") String prevStateRoot,
            @JsonProperty("block_body_hash") String blockBodyHash,
            @JsonProperty("chunk_receipts_root") String chunkReceiptsRoot,
            @JsonProperty("chunk_headers_root") String chunkHeadersRoot,
            @JsonProperty("chunk_tx_root") String chunkTxRoot,
            @JsonProperty("outcome_root") String outcomeRoot,
            @JsonProperty("chunks_included") long chunksIncluded,
            @JsonProperty("challenges_root") String challengesRoot,
            long timestamp,
            @JsonProperty("timestamp_nanosec") String timestampNanosec,
            @JsonProperty("random_value") String randomValue,
            @JsonProperty("validator_proposals") List<Object> validatorProposals,
            @JsonProperty("chunk_mask") List<Boolean> chunkMask,
            @JsonProperty("gas_price") String gasPrice,
            @JsonProperty("block_ordinal") long blockOrdinal,
            @JsonProperty("rent_paid") String rentPaid,
            @JsonProperty("validator_reward") String validatorReward,
            @JsonProperty("total_supply") String totalSupply,
            @JsonProperty("challenges_result") List<Object> challengesResult,
            @JsonProperty("last_final_block") String lastFinalBlock,
            @JsonProperty("last_ds_final_block") String lastDsFinalBlock,
            @JsonProperty("next_bp_hash") String nextBpHash,
            @JsonProperty("block_merkle_root") String blockMerkleRoot,
            @JsonProperty("epoch_sync_data_hash") String epochSyncDataHash,
            List<String> approvals,
            String signature,
            @JsonProperty("latest_protocol_version") int latestProtocolVersion) {}

    /** ChunkHeaderView. */
    record ChunkHeaderView(
            @JsonProperty("chunk_hash") String chunkHash,
            @JsonProperty("prev_block_hash") String prevBlockHash,
            @JsonProperty("outcome_root") String outcomeRoot,
            @JsonProperty("prev_state_root") String prevStateRoot,
            @JsonProperty("encoded_merkle_root") String encodedMerkleRoot,
            @JsonProperty("encoded_length") long encodedLength,
            @JsonProperty("height_created") long heightCreated,
            @JsonProperty("height_included") long heightIncluded,
            @JsonProperty("shard_id") long shardId,
            @JsonProperty("gas_used") long gasUsed,
            @JsonProperty("gas_limit") long gasLimit,
            @JsonProperty("rent_paid") String rentPaid,
            @JsonProperty("validator_reward") String validatorReward,
            @JsonProperty("balance_burnt") String balanceBurnt,
            @JsonProperty("outgoing_receipts_root") String outgoingReceiptsRoot,
            @JsonProperty("tx_root") String txRoot,
            @JsonProperty("validator_proposals") List<Object> validatorProposals,
            @JsonProperty("congestion_info") CongestionInfoView congestionInfo,
            String signature) {}

    /** CongestionInfoView: the gas amounts as decimal strings (u128), the others numbers. */
    record CongestionInfoView(
            @JsonProperty("delayed_receipts_gas") String delayedReceiptsGas,
            @JsonProperty("buffered_receipts_gas") String bufferedReceiptsGas,
            @JsonProperty("receipt_bytes") long receiptBytes,
            @JsonProperty("allowed_shard") int allowedShard) {}

    /**
     * The block at a produced height, or null when it is garbage-collected: the state its parent ended
     * with is no longer kept (nearcore never collects genesis, whose parent state is the empty root).
     */
    Rendered block(long height) {
        if (chain.collected(height) || chain.stateRoot(height - 1) == null) {
            return null; // collected, also when its view is still cached
        }
        return recentBlocks.get(height, h -> {
            BlockView view = renderBlock(h);
            return new Rendered(view, RpcJson.rendered(view));
        });
    }

    /**
     * A kept block: its view (the chunk answers take its chunk header) and that view's JSON, which the block
     * answer writes as it is: fewer bytes allocated per answer than serialising the record each time
     * (BlockAnswersBench, docs/performance.md).
     */
    record Rendered(BlockView view, RawJson json) {}

    private BlockView renderBlock(long height) {
        byte[] hash = clock.hashBytes(height);
        boolean genesis = height == BlockClock.GENESIS_HEIGHT;
        long timestamp = clock.timestampNanos(height);
        BlockHeaderView header = new BlockHeaderView(
                height,
                genesis ? null : height - 1,
                clock.epochId(height),
                clock.nextEpochId(height),
                Base58.encode(hash),
                genesis ? ZERO_HASH : clock.hash(height - 1),
                stateRoot(height - 1),
                clock.derivedHash("body", height),
                clock.derivedHash("receipts", height),
                clock.derivedHash("chunk-headers", height),
                clock.derivedHash("tx", height),
                clock.derivedHash("outcome", height),
                1,
                ZERO_HASH,
                timestamp,
                Long.toString(timestamp),
                clock.derivedHash("random", height),
                List.of(),
                List.of(true),
                GAS_PRICE,
                height - BlockClock.GENESIS_HEIGHT + 1,
                "0",
                "0",
                TOTAL_SUPPLY,
                List.of(),
                clock.hash(Math.max(BlockClock.GENESIS_HEIGHT, height - 2)),
                clock.hash(Math.max(BlockClock.GENESIS_HEIGHT, height - 1)),
                clock.derivedHash("next-bp", clock.epochHeight(height)),
                clock.derivedHash("block-merkle", height),
                null,
                genesis ? List.of() : List.of(validator.sign(clock.hashBytes(height - 1))),
                validator.sign(hash),
                PROTOCOL_VERSION);
        return new BlockView(validator.accountId(), header, List.of(chunk(height)));
    }

    private ChunkHeaderView chunk(long height) {
        return new ChunkHeaderView(
                clock.chunkHash(height),
                height == BlockClock.GENESIS_HEIGHT ? ZERO_HASH : clock.hash(height - 1),
                clock.derivedHash("outcome", height),
                stateRoot(height - 1),
                clock.derivedHash("encoded", height),
                8,
                height,
                height,
                0,
                0,
                CHUNK_GAS_LIMIT,
                "0",
                "0",
                "0",
                clock.derivedHash("outgoing", height),
                ZERO_HASH,
                List.of(),
                NO_CONGESTION,
                validator.sign(clock.chunkHashBytes(height)));
    }

    /**
     * ChunkView: its author, the header the block shows, the SignedTransactionViews and ReceiptViews as the
     * transaction engine keeps them (their JSON, written as it is).
     */
    record ChunkView(String author, ChunkHeaderView header, List<RawJson> transactions, List<RawJson> receipts) {}

    /**
     * nearcore's ChunkView of the one chunk of a produced block: its author, the header the block
     * shows, the transactions included at that height and the receipts it received (those the chunk
     * before created); null when the block is garbage-collected.
     */
    ChunkView chunkView(long height, List<RawJson> transactions, List<RawJson> receipts) {
        Rendered block = block(height);
        if (block == null) {
            return null;
        }
        return new ChunkView(validator.accountId(), block.view().chunks().get(0), transactions, receipts);
    }

    /** The stake the one validator shows in {@code validators}: 1M NEAR, a constant of this emulator. */
    static final String VALIDATOR_STAKE = "1000000000000000000000000000000";

    /** CurrentEpochValidatorInfo: the per-shard counts as one-element lists (a single shard). */
    record CurrentEpochValidatorInfo(
            @JsonProperty("account_id") String accountId,
            @JsonProperty("public_key") String publicKey,
            @JsonProperty("is_slashed") boolean isSlashed,
            String stake,
            List<Long> shards,
            @JsonProperty("num_produced_blocks") long numProducedBlocks,
            @JsonProperty("num_expected_blocks") long numExpectedBlocks,
            @JsonProperty("num_produced_chunks") long numProducedChunks,
            @JsonProperty("num_expected_chunks") long numExpectedChunks,
            @JsonProperty("num_produced_chunks_per_shard") List<Long> numProducedChunksPerShard,
            @JsonProperty("num_expected_chunks_per_shard") List<Long> numExpectedChunksPerShard) {}

    /** NextEpochValidatorInfo. */
    record NextEpochValidatorInfo(
            @JsonProperty("account_id") String accountId,
            @JsonProperty("public_key") String publicKey,
            String stake,
            List<Long> shards) {}

    /** EpochValidatorInfo; no fishermen, proposals or kickouts. */
    record EpochValidatorInfo(
            @JsonProperty("current_validators") List<CurrentEpochValidatorInfo> currentValidators,
            @JsonProperty("next_validators") List<NextEpochValidatorInfo> nextValidators,
            @JsonProperty("current_fishermen") List<Object> currentFishermen,
            @JsonProperty("next_fishermen") List<Object> nextFishermen,
            @JsonProperty("current_proposals") List<Object> currentProposals,
            @JsonProperty("prev_epoch_kickout") List<Object> prevEpochKickout,
            @JsonProperty("epoch_start_height") long epochStartHeight,
            @JsonProperty("epoch_height") long epochHeight) {}

    /**
     * nearcore's EpochValidatorInfo of epoch {@code epochHeight} (counted from 1): the one validator,
     * which produced every block and chunk of it up to {@code lastHeight}; no fishermen, proposals or
     * kickouts.
     */
    EpochValidatorInfo validators(long epochHeight, long lastHeight) {
        long start = BlockClock.GENESIS_HEIGHT + (epochHeight - 1) * BlockClock.EPOCH_LENGTH;
        long blocks = lastHeight - start + 1;
        List<Long> shards = List.of(0L);
        CurrentEpochValidatorInfo current = new CurrentEpochValidatorInfo(
                validator.accountId(),
                validator.publicKey(),
                false,
                VALIDATOR_STAKE,
                shards,
                blocks,
                blocks,
                blocks,
                blocks,
                List.of(blocks),
                List.of(blocks));
        NextEpochValidatorInfo next =
                new NextEpochValidatorInfo(validator.accountId(), validator.publicKey(), VALIDATOR_STAKE, shards);
        return new EpochValidatorInfo(
                List.of(current), List.of(next), List.of(), List.of(), List.of(), List.of(), start, epochHeight);
    }

    /** GasPriceView. */
    record GasPriceView(@JsonProperty("gas_price") String gasPrice) {}

    GasPriceView gasPrice() {
        return GAS_PRICE_VIEW;
    }

    /** KnownProducerView: {@code addr} an Option, written as null. */
    record KnownProducerView(
            @JsonProperty("account_id") String accountId,
            String addr,
            @JsonProperty("peer_id") String peerId) {}

    /** NetworkInfoResponse of a node with no peers. */
    record NetworkInfoView(
            @JsonProperty("active_peers") List<Object> activePeers,
            @JsonProperty("num_active_peers") int numActivePeers,
            @JsonProperty("peer_max_count") int peerMaxCount,
            @JsonProperty("sent_bytes_per_sec") long sentBytesPerSec,
            @JsonProperty("received_bytes_per_sec") long receivedBytesPerSec,
            @JsonProperty("known_producers") List<KnownProducerView> knownProducers) {}

    /** A node with no peers: the emulator is a network of one. */
    NetworkInfoView networkInfo() {
        return new NetworkInfoView(
                List.of(),
                0,
                40,
                0,
                0,
                List.of(new KnownProducerView(validator.accountId(), null, validator.publicKey())));
    }

    private String isoTime(long height) {
        long nanos = clock.timestampNanos(height);
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L))
                .toString();
    }
}
