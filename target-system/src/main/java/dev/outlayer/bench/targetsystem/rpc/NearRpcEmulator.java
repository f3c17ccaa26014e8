package dev.outlayer.bench.targetsystem.rpc;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.outlayer.bench.targetsystem.contracts.RuntimeConfigView;
import dev.outlayer.bench.targetsystem.json.RawJson;
import dev.outlayer.bench.targetsystem.json.RpcJson;
import dev.outlayer.bench.targetsystem.transactions.TransactionLimits;
import dev.outlayer.bench.targetsystem.transactions.TransactionViews.RpcTransactionResponse;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local NEAR node's JSON-RPC: the coordinator's default upstream. Answers {@code status},
 * {@code block}, {@code gas_price}, {@code health}, {@code network_info}, {@code query}, the
 * transaction methods ({@code send_tx}, {@code broadcast_tx_commit}, {@code broadcast_tx_async},
 * {@code tx}, {@code EXPERIMENTAL_tx_status}), the chain's configuration ({@code EXPERIMENTAL_protocol_config},
 * {@code EXPERIMENTAL_genesis_config}), a block's state changes ({@code EXPERIMENTAL_changes_in_block},
 * {@code EXPERIMENTAL_changes}) and near-sandbox's {@code sandbox_patch_state} and
 * {@code sandbox_fast_forward} in the
 * result and error shapes of nearcore so that near-api-js works against it. Takes a request body,
 * returns the answer and the HTTP status nearcore pairs with it; the transport is the HTTP
 * adapter's business ({@code http.rpc}).
 */
public final class NearRpcEmulator {
    private static final Logger LOG = LoggerFactory.getLogger(NearRpcEmulator.class);
    public static final String VALIDATOR_ACCOUNT = "validator.test.near";
    /** The protocol version the emulated node reports in {@code status}. */
    public static final int PROTOCOL_VERSION = BlockViews.PROTOCOL_VERSION;

    private final BlockClock clock;
    private final BlockViews views;
    private final QueryHandler queries;
    private final StateChangesHandler changes;
    private final TransactionPort transactions;
    /**
     * EXPERIMENTAL_protocol_config's and EXPERIMENTAL_genesis_config's results, rendered once: one protocol
     * version, whose parameters do not change while the node runs. Only ever serialised.
     */
    private final RawJson protocolConfig;

    private final RawJson genesisConfig;
    /** The congestion control limits EXPERIMENTAL_congestion_level measures a chunk's congestion info against. */
    private final Map<String, Object> congestionControl;

    private final ValidatorKey validator;

    /** @param chain the accounts and contracts {@code query} reads; {@link EmptyChain} for none */
    public NearRpcEmulator(BlockClock clock, String chainId, ChainView chain) {
        this(clock, chainId, chain, TransactionPort.NONE);
    }

    /** @param transactions signed transactions and access keys; {@link TransactionPort#NONE} for none */
    public NearRpcEmulator(BlockClock clock, String chainId, ChainView chain, TransactionPort transactions) {
        this.clock = clock;
        ValidatorKey validator = new ValidatorKey(VALIDATOR_ACCOUNT, chainId);
        this.views = new BlockViews(clock, chainId, validator, chain);
        this.validator = validator;
        TransactionLimits limits = transactions.limits();
        RuntimeConfigView runtime = RuntimeConfigView.pinned(limits.maxTransactionSize());
        this.congestionControl = runtime.congestionControlConfig();
        this.protocolConfig = RpcJson.rendered(
                ChainConfigViews.render(false, clock, chainId, validator, limits.transactionValidityPeriod(), runtime));
        this.genesisConfig = RpcJson.rendered(
                ChainConfigViews.render(true, clock, chainId, validator, limits.transactionValidityPeriod(), runtime));
        this.queries = new QueryHandler(clock, chain, transactions);
        this.changes = new StateChangesHandler(clock, chain);
        this.transactions = transactions;
    }

    public BlockClock clock() {
        return clock;
    }

    /** A JSON-RPC response body and the HTTP status nearcore sends it with. */
    public record Response(int httpStatus, byte[] body) {}

    /**
     * Handles one JSON-RPC request body. Every answer, errors included, is a JSON-RPC response;
     * a failure inside the emulator is nearcore's INTERNAL_ERROR. Waits for a transaction's
     * {@code wait_until} on the calling thread; {@link #handleAsync} does not.
     *
     * @param rpcAddr the node's own {@code host:port}, which {@code status} reports; null to leave it out
     */
    public Response handle(byte[] body, String rpcAddr) {
        try {
            return handleAsync(body, rpcAddr).join();
        } catch (CompletionException e) {
            // handleAsync answers every failure but an Error (out of memory...), which stays one.
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /**
     * As {@link #handle}, answering when the answer is there: at once for every method but the
     * transaction methods waiting for {@code wait_until}, whose wait holds no thread (the future
     * completes when the transaction reached it, or with TIMEOUT_ERROR). The calling thread does the
     * rest of the work (a view call, checking and running a transaction). Completes exceptionally only
     * with an {@link Error}.
     */
    public CompletableFuture<Response> handleAsync(byte[] body, String rpcAddr) {
        JsonRpcRequest request;
        try {
            request = JsonRpcRequest.parse(body);
        } catch (RpcException e) {
            return CompletableFuture.completedFuture(failure(RawJson.NULL, e));
        }
        CompletableFuture<?> result;
        try {
            result = dispatch(request.method(), request.params(), rpcAddr);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.handle((value, failure) -> {
            if (failure == null) {
                return new Response(200, RpcJson.bytes(new Success(value, request.id())));
            }
            Throwable cause =
                    failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof RpcException e) {
                return failure(request.id(), e);
            }
            if (cause instanceof Error error) {
                throw error;
            }
            LOG.warn("{} failed inside the emulator; answering INTERNAL_ERROR", request.method(), cause);
            // The exception is the emulator's fault, logged above; its text stays out of the answer.
            return failure(
                    request.id(), RpcException.internalError("the emulator failed to answer this call; see its log"));
        });
    }

    /** The {@code status} result (nearcore's StatusResponse), which nearcore also serves bare on {@code GET /status}. */
    public Object status(String rpcAddr) {
        return views.status(rpcAddr);
    }

    /** The {@code network_info} result, also served bare on {@code GET /network_info}. */
    public Object networkInfo() {
        return views.networkInfo();
    }

    /**
     * nearcore's envelope of a result: {@code {"jsonrpc":"2.0","result":...,"id":...}}, a null result
     * included; the result a tree or a record (query's answers, the transaction methods' RpcTransactionResponse).
     */
    @RpcJson.StructOrder
    private record Success(String jsonrpc, Object result, RawJson id) {
        Success(Object result, RawJson id) {
            this("2.0", result, id);
        }
    }

    /** nearcore's envelope of an error: {@code {"jsonrpc":"2.0","error":{...},"id":...}}. */
    @RpcJson.StructOrder
    private record Failure(String jsonrpc, RpcException.View error, RawJson id) {
        Failure(RpcException.View error, RawJson id) {
            this("2.0", error, id);
        }
    }

    private static Response failure(RawJson id, RpcException error) {
        return new Response(error.httpStatus(), RpcJson.bytes(new Failure(error.view(), id)));
    }

    /** The transaction methods answer when their wait is over; every other method at once. */
    private CompletableFuture<?> dispatch(String method, JsonNode params, String rpcAddr) {
        return switch (method) {
            case "send_tx" -> {
                TransactionParams.Send send = TransactionParams.send(params);
                yield transactions.send(send.signedTransaction(), send.waitUntil());
            }
            // nearcore serves it as send_tx waiting for EXECUTED_OPTIMISTIC, whatever the params say.
            case "broadcast_tx_commit" ->
                transactions.send(
                        TransactionParams.send(params).signedTransaction(), TxExecutionStatus.EXECUTED_OPTIMISTIC);
            case "tx" -> txStatus(params, false);
            case "EXPERIMENTAL_tx_status" -> txStatus(params, true);
            default -> CompletableFuture.completedFuture(answerNow(method, params, rpcAddr));
        };
    }

    /** A JsonNode, or a record Jackson writes as it is (query's answers). */
    private Object answerNow(String method, JsonNode params, String rpcAddr) {
        return switch (method) {
            case "status" -> views.status(rpcAddr);
            case "health" -> NullNode.getInstance();
            case "network_info" -> views.networkInfo();
            case "block" -> block(blockParams(params));
            case "chunk" -> chunk(params);
            case "validators" -> validators(params);
            case "gas_price" -> {
                BlockReference block = gasPriceBlock(params);
                if (block != null && block.resolve(clock).isEmpty()) {
                    throw block.unknownBlockHeader(clock);
                }
                yield views.gasPrice();
            }
            case "query" -> queries.handle(params);
            case "broadcast_tx_async" ->
                TextNode.valueOf(
                        transactions.sendAsync(TransactionParams.send(params).signedTransaction()));
            case "EXPERIMENTAL_receipt" -> receipt(params);
            case "sandbox_patch_state" -> transactions.patchState(params);
            case "sandbox_fast_forward" -> fastForward(params);
            // nearcore's block_effects and changes are the non-experimental names of the same methods
            case "EXPERIMENTAL_changes_in_block", "block_effects" -> changes.changesInBlock(params);
            case "EXPERIMENTAL_changes", "changes" -> changes.changes(params);
            case "EXPERIMENTAL_protocol_config" -> protocolConfig(params);
            case "EXPERIMENTAL_validators_ordered" -> validatorsOrdered(params);
            case "EXPERIMENTAL_congestion_level" -> congestionLevel(params);
            // nearcore's genesis_config is the non-experimental name of the same method
            case "EXPERIMENTAL_genesis_config", "genesis_config" -> genesisConfig();
            default -> throw RpcException.methodNotFound(method);
        };
    }

    /** nearcore's ValidatorStakeView (V1): {@code {"validator_stake_struct_version": "V1", "account_id", "public_key", "stake"}}. */
    record ValidatorStakeView(
            @JsonProperty("validator_stake_struct_version") String version,
            @JsonProperty("account_id") String accountId,
            @JsonProperty("public_key") String publicKey,
            @JsonProperty("stake") String stake) {}

    /** EXPERIMENTAL_validators_ordered's params: nearcore's RpcValidatorsOrderedRequest, {@code block_id} optional. */
    private record ValidatorsOrderedParams(
            @JsonProperty("block_id") JsonNode blockId) {}

    /**
     * {@code EXPERIMENTAL_validators_ordered}: {@code {"block_id": id | null}} (absent or null: the head), or
     * serde's sequence form {@code [id | null]}; the block producers of that block's epoch in their order with
     * repetition (get_epoch_block_producers_ordered): the one validator and its one seat. A block not
     * produced is UNKNOWN_EPOCH, as nearcore's view client maps the missing header.
     */
    private List<ValidatorStakeView> validatorsOrdered(JsonNode params) {
        if (params.isNull()) {
            throw RpcException.parseError("Require at least one parameter");
        }
        JsonNode blockId;
        if (params.isArray()) {
            if (params.size() != 1) {
                throw RpcException.badParams("invalid length " + params.size()
                        + ", expected struct RpcValidatorsOrderedRequest with 1 element");
            }
            blockId = params.get(0);
        } else if (params.isObject()) {
            blockId = RpcParams.read(params, ValidatorsOrderedParams.class).blockId();
        } else {
            throw RpcException.badParams(
                    "invalid type: " + RpcParams.describe(params) + ", expected struct RpcValidatorsOrderedRequest");
        }
        if (blockId != null
                && !blockId.isNull()
                && BlockReference.blockId(blockId).resolve(clock).isEmpty()) {
            throw unknownEpoch();
        }
        return List.of(
                new ValidatorStakeView("V1", validator.accountId(), validator.publicKey(), BlockViews.VALIDATOR_STAKE));
    }

    /** RpcCongestionLevelResponse. */
    record CongestionLevel(@JsonProperty("congestion_level") double congestionLevel) {}

    /**
     * {@code EXPERIMENTAL_congestion_level}: a chunk reference as {@code chunk} takes it (nearcore's
     * parse_chunk_reference, its RpcChunkError errors), and nearcore's CongestionControl::congestion_level of
     * that chunk: the largest of its congestion info's delayed receipts gas, buffered receipts gas and receipt
     * bytes as fractions of protocol 86's limits, and of its missed chunks (none here: every block has its
     * chunk).
     */
    private CongestionLevel congestionLevel(JsonNode params) {
        BlockViews.CongestionInfoView info = chunk(params).header().congestionInfo();
        double incoming = fraction(info.delayedReceiptsGas(), "max_congestion_incoming_gas");
        double outgoing = fraction(info.bufferedReceiptsGas(), "max_congestion_outgoing_gas");
        double memory = fraction(Long.toString(info.receiptBytes()), "max_congestion_memory_consumption");
        return new CongestionLevel(Math.max(incoming, Math.max(outgoing, memory)));
    }

    /** nearcore's clamped_f64_fraction: value / max, at most 1. */
    private double fraction(String value, String limit) {
        double max = ((Number) congestionControl.get(limit)).doubleValue();
        return Math.min(1.0, new java.math.BigDecimal(value).doubleValue() / max);
    }

    /** sandbox_fast_forward's params: nearcore's RpcSandboxFastForwardRequest. */
    private record FastForwardParams(
            @JsonProperty("delta_height") JsonNode deltaHeight) {}

    private static final java.math.BigInteger U64_LIMIT = java.math.BigInteger.ONE.shiftLeft(64);

    /**
     * near-sandbox's {@code sandbox_fast_forward} ({@code {"delta_height": u64}}, or serde's sequence form
     * {@code [u64]}): moves the head and the clock on by that many blocks at once and answers {@code {}}
     * when it got there, as nearcore's sandbox_fast_forward waits for the client to; the yields whose
     * timeout the jump passed time out in the block it lands on. A jump whose timestamps would not fit is
     * nearcore's RpcSandboxFastForwardError::InternalError (a real node would not finish it either).
     */
    private EmptyObject fastForward(JsonNode params) {
        if (params.isNull()) {
            throw RpcException.parseError("Require at least one parameter");
        }
        JsonNode delta;
        if (params.isArray()) {
            if (params.size() != 1) {
                throw RpcException.badParams("invalid length " + params.size()
                        + ", expected struct RpcSandboxFastForwardRequest with 1 element");
            }
            delta = params.get(0);
        } else if (params.isObject()) {
            delta = RpcParams.read(params, FastForwardParams.class).deltaHeight();
            if (delta == null) {
                throw RpcException.badParams("missing field `delta_height`");
            }
        } else {
            throw RpcException.badParams(
                    "invalid type: " + RpcParams.describe(params) + ", expected struct RpcSandboxFastForwardRequest");
        }
        if (!delta.isIntegralNumber()) {
            throw RpcException.badParams("invalid type: " + RpcParams.describe(delta) + ", expected u64");
        }
        java.math.BigInteger blocks = delta.bigIntegerValue();
        if (blocks.signum() < 0 || blocks.compareTo(U64_LIMIT) >= 0) {
            throw RpcException.badParams("invalid value: integer `" + blocks + "`, expected u64");
        }
        if (blocks.bitLength() >= Long.SIZE || !clock.fastForward(blocks.longValue())) {
            String why =
                    "fast-forwarding " + blocks + " blocks would take the block timestamps past what they can hold";
            throw new RpcException(
                    RpcException.INTERNAL_ERROR,
                    RpcException.INTERNAL_ERROR,
                    new RpcException.ErrorMessage(why),
                    -32000,
                    "Server error",
                    "The node reached its limits. Try again later. More details: " + why);
        }
        transactions.fastForwarded();
        return EmptyObject.INSTANCE; // RpcSandboxFastForwardResponse {}
    }

    /**
     * {@code EXPERIMENTAL_protocol_config}: nearcore's RpcProtocolConfigRequest, a flattened BlockReference
     * ({@code {"finality"}}, {@code {"block_id"}} or {@code {"sync_checkpoint"}}); the ProtocolConfigView of
     * that block's protocol version, which is the one version the simulator charges. A block not produced is
     * UNKNOWN_BLOCK ("Block Not Found: ..."); block headers are never garbage-collected in nearcore, so any
     * produced block answers.
     */
    private RawJson protocolConfig(JsonNode params) {
        BlockReference block = objectBlockReference(params, "struct RpcProtocolConfigRequest");
        if (block.resolve(clock).isEmpty()) {
            throw block.unknownBlockWithPrefix(clock, "Block Not Found: ");
        }
        return protocolConfig;
    }

    /** {@code EXPERIMENTAL_genesis_config} / {@code genesis_config}: params ignored, as nearcore's {@code ()}. */
    private RawJson genesisConfig() {
        return genesisConfig;
    }

    /**
     * A flattened BlockReference in a params object (no legacy array form: serde reads a struct with a
     * flattened member from a map only).
     */
    private static BlockReference objectBlockReference(JsonNode params, String expected) {
        if (params.isNull()) {
            throw RpcException.parseError("Require at least one parameter");
        }
        if (!params.isObject()) {
            throw RpcException.badParams("invalid type: " + RpcParams.describe(params) + ", expected " + expected);
        }
        return BlockReference.fromObject(params);
    }

    private CompletableFuture<RpcTransactionResponse> txStatus(JsonNode params, boolean withReceipts) {
        TransactionParams.Status status = TransactionParams.status(params);
        return status.signedTransaction() != null
                ? transactions.status(status.signedTransaction(), status.waitUntil(), withReceipts)
                : transactions.status(status.hash(), status.senderAccountId(), status.waitUntil(), withReceipts);
    }

    /** {@code {finality}}, {@code {block_id}}, {@code {sync_checkpoint}}, or the legacy {@code [block_id]}. */
    private static BlockReference blockParams(JsonNode params) {
        if (params.isNull()) {
            throw RpcException.parseError("Require at least one parameter");
        }
        if (params.isArray() && params.size() == 1) {
            return BlockReference.blockId(params.get(0));
        }
        if (params.isObject()) {
            return BlockReference.fromObject(params);
        }
        throw RpcException.badParams("invalid type: "
                + (params.isArray()
                        ? "sequence"
                        : params.getNodeType().toString().toLowerCase()) + ", expected a block reference");
    }

    /** gas_price's object form: block_id is an Option, so null or absent (as serde reads it) means the latest block. */
    private record GasPriceParams(@JsonProperty("block_id") JsonNode blockId) {}

    /** {@code [null]}, {@code [height]}, {@code [hash]} or {@code {block_id}}; null means the latest block. */
    private static BlockReference gasPriceBlock(JsonNode params) {
        JsonNode blockId = null;
        if (params.isArray() && params.size() == 1) {
            blockId = params.get(0);
        } else if (params.isObject()) {
            blockId = RpcParams.read(params, GasPriceParams.class).blockId();
            if (blockId == null) {
                return null;
            }
        } else if (params.isNull()) {
            throw RpcException.parseError("Require at least one parameter");
        }
        if (blockId == null) {
            throw RpcException.badParams("invalid type: expected [block_id] or {\"block_id\": ...}");
        }
        return blockId.isNull() ? null : BlockReference.blockId(blockId);
    }

    /** chunk's object form: nearcore's untagged ChunkReference, {block_id, shard_id} or {chunk_id}. */
    private record ChunkParams(
            @JsonProperty("block_id") JsonNode blockId,
            @JsonProperty("shard_id") JsonNode shardId,
            @JsonProperty("chunk_id") JsonNode chunkId) {}

    private static final String NO_CHUNK_REFERENCE = "data did not match any variant of untagged enum ChunkReference";

    /** RpcChunkError::UnknownChunk's info. */
    private record ChunkHashInfo(@JsonProperty("chunk_hash") String chunkHash) {}

    /** RpcChunkError::InvalidShardId's info: the shard id as asked, a u64 number. */
    private record ShardIdInfo(@JsonProperty("shard_id") java.math.BigInteger shardId) {}

    /** {@code [chunk_hash]}, {@code [[block_id, shard_id]]}, {@code {"chunk_id"}} or {@code {"block_id", "shard_id"}}. */
    private BlockViews.ChunkView chunk(JsonNode params) {
        if (params.isNull()) {
            throw RpcException.parseError("Require at least one parameter");
        }
        JsonNode blockId;
        JsonNode shardId;
        JsonNode chunkId;
        if (params.isArray() && params.size() == 1) {
            JsonNode only = params.get(0);
            boolean pair = only.isArray() && only.size() == 2;
            blockId = pair ? only.get(0) : null;
            shardId = pair ? only.get(1) : null;
            chunkId = pair ? null : only;
        } else if (params.isObject()) {
            ChunkParams read = RpcParams.read(params, ChunkParams.class);
            boolean pair = read.blockId() != null && read.shardId() != null;
            blockId = pair ? read.blockId() : null;
            shardId = pair ? read.shardId() : null;
            chunkId = pair ? null : read.chunkId();
        } else {
            throw RpcException.badParams(NO_CHUNK_REFERENCE);
        }
        if (chunkId != null) {
            String hash = cryptoHash(chunkId, NO_CHUNK_REFERENCE);
            OptionalLong height = clock.chunkHeightOf(Base58.decode(hash));
            // not produced, or garbage-collected with its block
            BlockViews.ChunkView view = height.isEmpty() ? null : chunkView(height.getAsLong());
            if (view == null) {
                throw RpcException.handlerError(
                        "UNKNOWN_CHUNK",
                        new ChunkHashInfo(hash),
                        "Chunk Missing (unavailable on the node): ChunkHash(`" + hash + "`) \n Cause: Unknown");
            }
            return view;
        }
        if (blockId == null) {
            throw RpcException.badParams(NO_CHUNK_REFERENCE);
        }
        BlockReference block = BlockReference.blockId(blockId);
        if (!shardId.isIntegralNumber() || shardId.bigIntegerValue().signum() < 0) {
            throw RpcException.badParams(NO_CHUNK_REFERENCE);
        }
        long height = resolve(block);
        if (shardId.bigIntegerValue().signum() != 0) {
            throw RpcException.handlerError(
                    "INVALID_SHARD_ID",
                    new ShardIdInfo(shardId.bigIntegerValue()),
                    "Shard id " + shardId.bigIntegerValue() + " does not exist");
        }
        BlockViews.ChunkView view = chunkView(height);
        if (view == null) {
            throw block.unknownBlock(clock); // its block is garbage-collected
        }
        return view;
    }

    /**
     * {@code block}: a block not produced, or garbage-collected (older than the state the chain keeps;
     * genesis never is), is UNKNOWN_BLOCK, as nearcore answers both ("DB Not Found Error").
     */
    private RawJson block(BlockReference reference) {
        BlockViews.Rendered block = views.block(resolve(reference));
        if (block == null) {
            throw reference.unknownBlock(clock);
        }
        return block.json();
    }

    private BlockViews.ChunkView chunkView(long height) {
        return views.chunkView(
                height, transactions.transactionsIncludedAt(height), transactions.receiptsArrivingAt(height));
    }

    /** EXPERIMENTAL_receipt's params: nearcore's RpcReceiptRequest, a flattened ReceiptReference. */
    private record ReceiptParams(@JsonProperty("receipt_id") JsonNode receiptId) {}

    /**
     * {@code EXPERIMENTAL_receipt}: {@code {"receipt_id"}} (or serde's sequence form of the same
     * struct, {@code [receipt_id]}); UNKNOWN_RECEIPT, with the error itself as {@code data}, as
     * nearcore's RpcReceiptError, for a receipt not stored (a local receipt never is).
     */
    private RawJson receipt(JsonNode params) {
        if (params.isNull()) {
            throw RpcException.parseError("Require at least one parameter");
        }
        JsonNode id;
        if (params.isArray() && params.size() == 1) {
            id = params.get(0);
        } else if (params.isObject()) {
            id = RpcParams.read(params, ReceiptParams.class).receiptId();
            if (id == null) {
                throw RpcException.badParams("missing field `receipt_id`");
            }
        } else {
            throw RpcException.badParams(
                    "invalid type: " + RpcParams.describe(params) + ", expected struct RpcReceiptRequest");
        }
        String receiptId = cryptoHash(id, "invalid value: expected a base58 CryptoHash");
        return transactions.receipt(receiptId).orElseThrow(() -> RpcException.unknownReceipt(receiptId));
    }

    /** validators' object form: nearcore's EpochReference, {epoch_id}, {block_id} or {"latest": ...}. */
    private record ValidatorsParams(
            @JsonProperty("epoch_id") JsonNode epochId,
            @JsonProperty("block_id") JsonNode blockId,
            JsonNode latest) {}

    /**
     * {@code [null]} (the latest epoch), {@code [block_id]}, {@code {"block_id"}} or {@code {"epoch_id"}}, as
     * nearcore's view client answers them: the current epoch so far, or a finished one; by block only
     * for the last block of an epoch (VALIDATOR_INFO_UNAVAILABLE otherwise).
     */
    private BlockViews.EpochValidatorInfo validators(JsonNode params) {
        if (params.isNull()) {
            throw RpcException.parseError("Require at least one parameter");
        }
        long head = clock.latestHeight();
        long currentEpoch = clock.epochHeight(head);
        JsonNode blockId = null;
        JsonNode epochId = null;
        if (params.isArray() && params.size() == 1) {
            blockId = params.get(0).isNull() ? null : params.get(0);
        } else if (params.isObject()) {
            ValidatorsParams read = RpcParams.read(params, ValidatorsParams.class);
            blockId = read.blockId() == null || read.blockId().isNull() ? null : read.blockId();
            epochId = read.epochId() == null || read.epochId().isNull() ? null : read.epochId();
            if (blockId == null && epochId == null && read.latest() == null) {
                throw RpcException.badParams("no variant of enum EpochReference found in flattened data");
            }
        } else {
            throw RpcException.badParams("no variant of enum EpochReference found in flattened data");
        }
        if (blockId != null) {
            OptionalLong height = BlockReference.blockId(blockId).resolve(clock);
            // the block and the one after it must exist (nearcore reads the next block's header)
            if (height.isEmpty() || height.getAsLong() >= head) {
                throw unknownEpoch();
            }
            long epoch = clock.epochHeight(height.getAsLong());
            if (clock.epochHeight(height.getAsLong() + 1) == epoch) {
                throw RpcException.handlerError("VALIDATOR_INFO_UNAVAILABLE", null, "Validator info unavailable");
            }
            return views.validators(epoch, height.getAsLong());
        }
        if (epochId != null) {
            String id = cryptoHash(epochId, "invalid value: expected a base58 CryptoHash");
            for (long epoch = 1; epoch <= currentEpoch; epoch++) {
                long start = BlockClock.GENESIS_HEIGHT + (epoch - 1) * BlockClock.EPOCH_LENGTH;
                if (clock.epochId(start).equals(id)) {
                    long last = epoch == currentEpoch ? head : start + BlockClock.EPOCH_LENGTH - 1;
                    return views.validators(epoch, last);
                }
            }
            throw unknownEpoch();
        }
        return views.validators(currentEpoch, head);
    }

    private static RpcException unknownEpoch() {
        return RpcException.handlerError("UNKNOWN_EPOCH", null, "Unknown Epoch");
    }

    /** A base58 32-byte hash given as a JSON string, or a parse error with {@code mismatch}. */
    private static String cryptoHash(JsonNode value, String mismatch) {
        if (value.isTextual()) {
            try {
                if (Base58.decode(value.asText()).length == BlockClock.HASH_BYTES) {
                    return value.asText();
                }
            } catch (IllegalArgumentException e) {
                // not base58: answered below
            }
        }
        throw RpcException.badParams(mismatch);
    }

    private long resolve(BlockReference block) {
        OptionalLong height = block.resolve(clock);
        if (height.isEmpty()) {
            throw block.unknownBlock(clock);
        }
        return height.getAsLong();
    }
}
