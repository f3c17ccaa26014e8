package dev.outlayer.bench.targetsystem.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.Test;

/**
 * status, block, gas_price, health and the protocol-level errors in nearcore's shapes, called in
 * process (the HTTP side is {@code http.rpc.NearRpcHandlerTest}).
 */
class NearRpcEmulatorTest {
    private static final long HEAD = BlockClock.GENESIS_HEIGHT + 10;

    private final RpcTestNode rpc = new RpcTestNode();

    @Test
    void statusHasNearcoreShape() {
        RpcTestNode.Reply reply = rpc.call("status", "[]");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().get("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(reply.body().get("id").asText()).isEqualTo("t1");
        JsonNode status = reply.result();
        assertThat(status.get("chain_id").asText()).isEqualTo("outlayer-test");
        assertThat(status.get("protocol_version").asInt()).isPositive();
        assertThat(status.get("latest_protocol_version").asInt())
                .isEqualTo(status.get("protocol_version").asInt());
        assertThat(status.at("/version/version").asText()).isNotEmpty();
        assertThat(status.at("/version/build").asText()).isNotEmpty();
        assertThat(status.at("/validators/0/account_id").asText()).isEqualTo(NearRpcEmulator.VALIDATOR_ACCOUNT);
        assertThat(status.get("validator_public_key").asText()).startsWith("ed25519:");
        assertThat(status.get("genesis_hash").asText()).isEqualTo(rpc.clock.hash(BlockClock.GENESIS_HEIGHT));
        assertThat(status.get("rpc_addr").asText()).isEqualTo(RpcTestNode.RPC_ADDR);

        JsonNode sync = status.get("sync_info");
        assertThat(sync.get("latest_block_height").asLong()).isEqualTo(HEAD);
        assertThat(sync.get("latest_block_hash").asText()).isEqualTo(rpc.clock.hash(HEAD));
        assertThat(sync.get("latest_block_time").asText()).isEqualTo("2023-11-14T22:13:30Z");
        assertThat(sync.get("syncing").asBoolean()).isFalse();
        assertThat(sync.get("earliest_block_height").asLong()).isEqualTo(BlockClock.GENESIS_HEIGHT);
        assertThat(sync.get("epoch_id").asText()).isEqualTo(rpc.clock.epochId(HEAD));
        assertThat(sync.get("epoch_start_height").asLong()).isEqualTo(BlockClock.GENESIS_HEIGHT);
    }

    @Test
    void heightsAdvanceWithTheClockAndHashesStayStable() {
        String hashAtHead = rpc.call("block", "{\"finality\":\"optimistic\"}")
                .result()
                .at("/header/hash")
                .asText();

        rpc.advanceBlocks(3);

        assertThat(rpc.call("status", "[]")
                        .result()
                        .at("/sync_info/latest_block_height")
                        .asLong())
                .isEqualTo(HEAD + 3);
        assertThat(rpc.call("block", "{\"block_id\":" + HEAD + "}")
                        .result()
                        .at("/header/hash")
                        .asText())
                .isEqualTo(hashAtHead);
        assertThat(rpc.call("block", "[" + HEAD + "]")
                        .result()
                        .at("/header/hash")
                        .asText())
                .isEqualTo(hashAtHead);
        assertThat(rpc.call("block", "{\"block_id\":\"" + hashAtHead + "\"}")
                        .result()
                        .at("/header/height")
                        .asLong())
                .isEqualTo(HEAD);
    }

    @Test
    void blockHeaderHasNearcoreShape() {
        JsonNode block = rpc.call("block", "{\"block_id\":" + HEAD + "}").result();
        JsonNode header = block.get("header");

        assertThat(block.get("author").asText()).isEqualTo(NearRpcEmulator.VALIDATOR_ACCOUNT);
        assertThat(header.get("height").asLong()).isEqualTo(HEAD);
        assertThat(header.get("prev_height").asLong()).isEqualTo(HEAD - 1);
        assertThat(header.get("hash").asText()).isEqualTo(rpc.clock.hash(HEAD));
        assertThat(header.get("prev_hash").asText()).isEqualTo(rpc.clock.hash(HEAD - 1));
        assertThat(header.get("timestamp").asLong()).isEqualTo(rpc.clock.timestampNanos(HEAD));
        assertThat(header.get("timestamp_nanosec").isTextual()).isTrue();
        assertThat(header.get("timestamp_nanosec").asText()).isEqualTo(Long.toString(rpc.clock.timestampNanos(HEAD)));
        assertThat(header.get("epoch_id").asText()).isEqualTo(rpc.clock.epochId(HEAD));
        assertThat(header.get("next_epoch_id").asText())
                .isNotEqualTo(header.get("epoch_id").asText());
        assertThat(header.get("gas_price").asText()).isEqualTo("100000000");
        assertThat(header.get("total_supply").asText()).matches("[0-9]+");
        assertThat(header.get("last_final_block").asText()).isEqualTo(rpc.clock.hash(HEAD - 2));
        assertThat(header.get("last_ds_final_block").asText()).isEqualTo(rpc.clock.hash(HEAD - 1));
        assertThat(header.get("chunk_mask").size()).isEqualTo(1);
        assertThat(header.get("latest_protocol_version").asInt()).isPositive();
        for (String hashField : new String[] {
            "prev_state_root",
            "chunk_receipts_root",
            "chunk_headers_root",
            "chunk_tx_root",
            "outcome_root",
            "random_value",
            "block_merkle_root",
            "next_bp_hash"
        }) {
            assertThat(Base58.decode(header.get(hashField).asText()))
                    .as(hashField)
                    .hasSize(32);
        }
        JsonNode chunk = block.at("/chunks/0");
        assertThat(chunk.get("shard_id").asInt()).isZero();
        assertThat(chunk.get("height_included").asLong()).isEqualTo(HEAD);
        assertThat(chunk.get("prev_block_hash").asText()).isEqualTo(rpc.clock.hash(HEAD - 1));
        assertThat(chunk.get("gas_limit").asLong()).isPositive();
    }

    @Test
    void blockSignatureVerifiesAgainstTheValidatorKeyInStatus() {
        String publicKey =
                rpc.call("status", "[]").result().get("validator_public_key").asText();
        JsonNode header =
                rpc.call("block", "{\"block_id\":" + HEAD + "}").result().get("header");

        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(
                false, new Ed25519PublicKeyParameters(Base58.decode(publicKey.substring("ed25519:".length())), 0));
        byte[] hash = Base58.decode(header.get("hash").asText());
        verifier.update(hash, 0, hash.length);

        assertThat(verifier.verifySignature(
                        Base58.decode(header.get("signature").asText().substring("ed25519:".length()))))
                .isTrue();
    }

    @Test
    void finalityLagsTheHeadLikeNear() {
        assertThat(rpc.call("block", "{\"finality\":\"optimistic\"}")
                        .result()
                        .at("/header/height")
                        .asLong())
                .isEqualTo(HEAD);
        assertThat(rpc.call("block", "{\"finality\":\"near-final\"}")
                        .result()
                        .at("/header/height")
                        .asLong())
                .isEqualTo(HEAD - 1);
        assertThat(rpc.call("block", "{\"finality\":\"final\"}")
                        .result()
                        .at("/header/height")
                        .asLong())
                .isEqualTo(HEAD - 2);
        assertThat(rpc.call("block", "{\"sync_checkpoint\":\"genesis\"}")
                        .result()
                        .at("/header/height")
                        .asLong())
                .isEqualTo(BlockClock.GENESIS_HEIGHT);
    }

    @Test
    void genesisBlockHasNoParent() {
        JsonNode header = rpc.call("block", "[" + BlockClock.GENESIS_HEIGHT + "]")
                .result()
                .get("header");

        assertThat(header.get("prev_height").isNull()).isTrue();
        assertThat(header.get("prev_hash").asText()).isEqualTo("11111111111111111111111111111111");
    }

    @Test
    void futureHeightsAndUnknownHashesAreUnknownBlocks() {
        RpcTestNode.Reply future = rpc.call("block", "{\"block_id\":" + (HEAD + 1) + "}");

        assertThat(future.status()).isEqualTo(200);
        assertHandlerError(
                future.error(),
                "UNKNOWN_BLOCK",
                "DB Not Found Error: BLOCK HEIGHT: " + (HEAD + 1) + " \n Cause: Unknown");
        assertThat(future.error().at("/cause/info").isObject()).isTrue();

        String futureHash = rpc.clock.hash(HEAD + 5);
        // nearcore reads a block by hash with get_block: its DBNotFoundErr says "BLOCK: <hash>"
        assertHandlerError(
                rpc.call("block", "{\"block_id\":\"" + futureHash + "\"}").error(),
                "UNKNOWN_BLOCK",
                "DB Not Found Error: BLOCK: " + futureHash + " \n Cause: Unknown");
        // a u64 height past i64 is a height like any other, never produced
        RpcTestNode.Reply farFuture = rpc.call("block", "[18446744073709551615]");
        assertThat(farFuture.status()).isEqualTo(200);
        assertHandlerError(
                farFuture.error(),
                "UNKNOWN_BLOCK",
                "DB Not Found Error: BLOCK HEIGHT: 18446744073709551615 \n Cause: Unknown");
        assertThat(rpc.call("block", "[18446744073709551616]")
                        .error()
                        .get("data")
                        .asText())
                .isEqualTo("Failed parsing args: data did not match any variant of untagged enum BlockId");
        String neverProduced = Base58.encode(BlockClock.sha256("not a block"));
        assertThat(rpc.call("block", "[\"" + neverProduced + "\"]")
                        .error()
                        .at("/cause/name")
                        .asText())
                .isEqualTo("UNKNOWN_BLOCK");
        // nearcore 2.4+: a missing block below the head is 422, one from the future stays 200.
        RpcTestNode.Reply belowHead = rpc.call("block", "[" + (BlockClock.GENESIS_HEIGHT - 1) + "]");
        assertThat(belowHead.status()).isEqualTo(422);
        assertThat(belowHead.error().at("/cause/name").asText()).isEqualTo("UNKNOWN_BLOCK");

        rpc.advanceBlocks(1);
        assertThat(rpc.call("block", "{\"block_id\":" + (HEAD + 1) + "}")
                        .result()
                        .at("/header/height")
                        .asLong())
                .isEqualTo(HEAD + 1);
    }

    @Test
    void gasPriceAcceptsNullHeightAndHash() {
        assertThat(rpc.call("gas_price", "[null]").result().get("gas_price").asText())
                .isEqualTo("100000000");
        assertThat(rpc.call("gas_price", "[" + HEAD + "]")
                        .result()
                        .get("gas_price")
                        .asText())
                .isEqualTo("100000000");
        assertThat(rpc.call("gas_price", "[\"" + rpc.clock.hash(HEAD) + "\"]")
                        .result()
                        .get("gas_price")
                        .asText())
                .isEqualTo("100000000");
        assertThat(rpc.call("gas_price", "{\"block_id\":null}")
                        .result()
                        .get("gas_price")
                        .asText())
                .isEqualTo("100000000");
        assertHandlerError(
                rpc.call("gas_price", "[" + (HEAD + 100) + "]").error(),
                "UNKNOWN_BLOCK",
                "DB Not Found Error: BLOCK HEIGHT: " + (HEAD + 100) + " \n Cause: Unknown");
    }

    @Test
    void healthIsANullResultAndNetworkInfoHasNoPeers() {
        RpcTestNode.Reply health = rpc.call("health", "[]");
        assertThat(health.body().has("result")).isTrue();
        assertThat(health.result().isNull()).isTrue();

        assertThat(rpc.call("network_info", "[]")
                        .result()
                        .get("num_active_peers")
                        .asInt())
                .isZero();
    }

    @Test
    void unknownMethodIsMethodNotFound() {
        RpcTestNode.Reply reply =
                rpc.post("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"no_such_method\",\"params\":[]}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body().get("id").asInt()).isEqualTo(7);
        JsonNode error = reply.error();
        assertThat(error.get("name").asText()).isEqualTo("REQUEST_VALIDATION_ERROR");
        assertThat(error.at("/cause/name").asText()).isEqualTo("METHOD_NOT_FOUND");
        assertThat(error.at("/cause/info/method_name").asText()).isEqualTo("no_such_method");
        assertThat(error.get("code").asInt()).isEqualTo(-32601);
        assertThat(error.get("message").asText()).isEqualTo("Method not found");
        assertThat(error.get("data").asText()).isEqualTo("no_such_method");
    }

    @Test
    void garbageGetsAParseErrorAndTheServerKeepsServing() {
        RpcTestNode.Reply garbage = rpc.post("{this is not json");

        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.body().get("id").isNull()).isTrue();
        assertThat(garbage.error().get("name").asText()).isEqualTo("REQUEST_VALIDATION_ERROR");
        assertThat(garbage.error().at("/cause/name").asText()).isEqualTo("PARSE_ERROR");
        assertThat(garbage.error().get("code").asInt()).isEqualTo(-32700);
        assertThat(garbage.error().get("message").asText()).isEqualTo("Parse error");
        assertThat(garbage.error().at("/cause/info/error_message").asText()).isNotEmpty();

        assertThat(rpc.post("").error().get("code").asInt()).isEqualTo(-32700);
        assertThat(rpc.call("status", "[]").result().get("chain_id").asText()).isEqualTo("outlayer-test");
    }

    @Test
    void validJsonThatIsNotARequestIsAParseErrorAsInNearcore() {
        for (String body : new String[] {
            "{\"method\":\"status\",\"id\":1}", // no jsonrpc
            "{\"jsonrpc\":\"1.0\",\"method\":\"status\",\"id\":1}", // wrong version
            "{\"jsonrpc\":2.0,\"method\":\"status\",\"id\":1}", // version not a string
            "{\"jsonrpc\":\"2.0\",\"method\":\"status\"}", // notification
            "{\"jsonrpc\":\"2.0\",\"method\":\"status\",\"id\":1,\"extra\":true}", // unknown member
            "[{\"jsonrpc\":\"2.0\",\"method\":\"status\",\"id\":1}]", // batch
            "42"
        }) {
            RpcTestNode.Reply reply = rpc.post(body);
            assertThat(reply.status()).as(body).isEqualTo(400);
            assertThat(reply.error().at("/cause/name").asText()).as(body).isEqualTo("PARSE_ERROR");
            assertThat(reply.error().get("data").asText()).as(body).isEqualTo("JSON RPC Request format was expected");
        }
    }

    @Test
    void malformedJsonIsAParseErrorInSerdeJsonsWords() {
        assertThat(data(rpc.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\",\"params\":[1,}")))
                .isEqualTo("expected value at line 1 column 55");
        assertThat(data(rpc.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\"} {}")))
                .isEqualTo("trailing characters at line 1 column 44");
        assertThat(data(rpc.post(""))).isEqualTo("EOF while parsing a value at line 1 column 0");
        assertThat(data(rpc.post("  "))).isEqualTo("EOF while parsing a value at line 1 column 2");
        // What the fuzz found Jackson's text in, answered as nearcore's serde_json words it.
        assertThat(data(rpc.post("{"))).isEqualTo("EOF while parsing an object at line 1 column 1");
        assertThat(data(rpc.post("NaN"))).isEqualTo("expected value at line 1 column 1");
        assertThat(data(rpc.post("[1,"))).isEqualTo("EOF while parsing a value at line 1 column 3");
        byte[] invalidUtf8 = concat("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"", new byte[] {(byte) 0xEF}, "\"}");
        RpcTestNode.Reply reply = rpc.post(invalidUtf8);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error().at("/cause/name").asText()).isEqualTo("PARSE_ERROR");
        assertThat(data(reply)).isEqualTo("invalid unicode code point at line 1 column 36");
        // the overlong C0 AF, which Jackson alone would read as '/'
        byte[] overlong = concat(
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"sta", new byte[] {(byte) 0xC0, (byte) 0xAF}, "tus\"}");
        assertThat(data(rpc.post(overlong))).isEqualTo("invalid unicode code point at line 1 column 43");
        // serde reads the whole body before it looks at the members: a syntax error after an unknown one comes first.
        assertThat(data(rpc.post("{\"extra\":1,\"jsonrpc\":\"2.0\",\"id\":1,")))
                .isEqualTo("EOF while parsing a value at line 1 column 34");
        for (String notARequest : new String[] {
            "{\"jsonrpc\":\"2.0\",\"method\":5,\"id\":1}",
            "{\"jsonrpc\":\"2.0\",\"method\":null,\"id\":1}",
            "null",
            // A repeated member: nearcore's untagged Message falls through to UnmatchedSub, no syntax error.
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"id\":2,\"method\":\"status\"}"
        }) {
            assertThat(data(rpc.post(notARequest))).as(notARequest).isEqualTo("JSON RPC Request format was expected");
        }
    }

    /**
     * nearcore's server reads the whole body as serde_json reads it: the 128th nested level is refused (its
     * remaining_depth starts at 128) and so is a number beyond f64, in params or in the id. Jackson alone read
     * 256 levels and held 1e400 as Infinity.
     */
    @Test
    void nestingAndNumbersAreRefusedWhereSerdeJsonRefusesThem() {
        String head = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\",\"params\":";
        // The request object is level 1: 126 arrays in params are the deepest serde_json reads.
        RpcTestNode.Reply deepest = rpc.post(head + "[".repeat(126) + "]".repeat(126) + "}");
        assertThat(deepest.status()).isEqualTo(200);
        assertThat(deepest.result().path("chain_id").isTextual()).isTrue();
        RpcTestNode.Reply deeper = rpc.post(head + "[".repeat(127) + "]".repeat(127) + "}");
        assertThat(deeper.error().at("/cause/name").asText()).isEqualTo("PARSE_ERROR");
        assertThat(data(deeper)).isEqualTo("recursion limit exceeded at line 1 column " + (head.length() + 127));

        String status = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\",\"params\":[";
        assertThat(data(rpc.post(status + "1e400]}")))
                .isEqualTo("number out of range at line 1 column " + (status.length() + 5));
        assertThat(data(rpc.post(status + "{\"a\":-2e308}]}")))
                .isEqualTo("number out of range at line 1 column " + (status.length() + 11));
        assertThat(data(rpc.post("{\"jsonrpc\":\"2.0\",\"id\":1e400,\"method\":\"status\"}")))
                .isEqualTo("number out of range at line 1 column 27");
        assertThat(data(rpc.post("{\"jsonrpc\":\"2.0\",\"id\":[1,{\"a\":1e999}],\"method\":\"status\"}")))
                .isEqualTo("number out of range at line 1 column 35");
        RpcTestNode.Reply small = rpc.post("{\"jsonrpc\":\"2.0\",\"id\":1e-400,\"method\":\"status\",\"params\":[]}");
        assertThat(small.status()).as("an underflow is 0 for serde_json too").isEqualTo(200);
        assertThat(small.body().has("result")).isTrue();
    }

    private static String data(RpcTestNode.Reply reply) {
        return reply.error().get("data").asText();
    }

    private static byte[] concat(String before, byte[] middle, String after) {
        byte[] head = before.getBytes(StandardCharsets.UTF_8);
        byte[] tail = after.getBytes(StandardCharsets.UTF_8);
        byte[] all = java.util.Arrays.copyOf(head, head.length + middle.length + tail.length);
        System.arraycopy(middle, 0, all, head.length, middle.length);
        System.arraycopy(tail, 0, all, head.length + middle.length, tail.length);
        return all;
    }

    @Test
    void answersAreNearcoresEnvelopesKeyForKey() {
        assertThat(new String(rpc.emulator
                        .handle("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"health\"}".getBytes(), RpcTestNode.RPC_ADDR)
                        .body()))
                .isEqualTo("{\"jsonrpc\":\"2.0\",\"result\":null,\"id\":1}");
        assertThat(new String(rpc.emulator
                        .handle("{\"jsonrpc\":\"2.0\",\"id\":[1],\"method\":\"nope\"}".getBytes(), RpcTestNode.RPC_ADDR)
                        .body()))
                .isEqualTo("{\"jsonrpc\":\"2.0\",\"error\":{\"name\":\"REQUEST_VALIDATION_ERROR\","
                        + "\"cause\":{\"name\":\"METHOD_NOT_FOUND\",\"info\":{\"method_name\":\"nope\"}},\"code\":-32601,"
                        + "\"message\":\"Method not found\",\"data\":\"nope\"},\"id\":[1]}");
    }

    @Test
    void gasPriceParamsMustNameABlock() {
        // RpcGasPriceRequest's block_id is an Option: serde reads it absent as None, the latest block
        assertThat(rpc.call("gas_price", "{}").result().get("gas_price").asText())
                .isEqualTo("100000000");
        String unknownHash = rpc.clock.hash(HEAD + 5);
        assertHandlerError(
                rpc.call("gas_price", "{\"block_id\":\"" + unknownHash + "\"}").error(),
                "UNKNOWN_BLOCK",
                "DB Not Found Error: BLOCK HEADER: " + unknownHash + " \n Cause: Unknown");
        assertThat(rpc.call("gas_price", "[]").error().get("data").asText())
                .isEqualTo("Failed parsing args: invalid type: expected [block_id] or {\"block_id\": ...}");
        assertThat(rpc.call("gas_price", "{\"block_id\":\"nothash\"}")
                        .error()
                        .get("data")
                        .asText())
                .isEqualTo("Failed parsing args: data did not match any variant of untagged enum BlockId");
    }

    @Test
    void badBlockParamsAreParseErrors() {
        assertThat(rpc.call("block", "{\"finality\":\"soon\"}")
                        .error()
                        .get("data")
                        .asText())
                .isEqualTo(
                        "Failed parsing args: unknown variant `soon`, expected one of `optimistic`, `near-final`, `final`");
        assertThat(rpc.call("block", "{}").error().get("data").asText())
                .isEqualTo("Failed parsing args: no variant of enum BlockReference found in flattened data");
        assertThat(rpc.call("block", "[\"not-a-hash\"]")
                        .error()
                        .at("/cause/name")
                        .asText())
                .isEqualTo("PARSE_ERROR");
        assertThat(rpc.call("block", "null").error().get("data").asText()).isEqualTo("Require at least one parameter");
    }

    @Test
    void stringAndNumericIdsAreEchoed() {
        assertThat(rpc.post("{\"jsonrpc\":\"2.0\",\"id\":\"dontcare\",\"method\":\"health\"}")
                        .body()
                        .get("id")
                        .asText())
                .isEqualTo("dontcare");
        assertThat(rpc.post("{\"jsonrpc\":\"2.0\",\"id\":12345678901,\"method\":\"health\"}")
                        .body()
                        .get("id")
                        .asLong())
                .isEqualTo(12345678901L);
        assertThat(rpc.post("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"health\"}")
                        .body()
                        .get("id")
                        .isNull())
                .isTrue();
    }

    @Test
    void chunkIsFoundByItsHashOrByBlockAndShard() {
        JsonNode header = rpc.call("block", "[" + HEAD + "]").result().at("/chunks/0");
        String chunkHash = header.get("chunk_hash").asText();

        for (String params : List.of(
                "[\"" + chunkHash + "\"]",
                "{\"chunk_id\":\"" + chunkHash + "\"}",
                "{\"block_id\":" + HEAD + ",\"shard_id\":0}",
                "{\"block_id\":\"" + rpc.clock.hash(HEAD) + "\",\"shard_id\":0}",
                "[[" + HEAD + ",0]]")) {
            RpcTestNode.Reply reply = rpc.call("chunk", params);
            assertThat(reply.status()).as(params).isEqualTo(200);
            JsonNode chunk = reply.result();
            assertThat(chunk.get("author").asText()).as(params).isEqualTo(NearRpcEmulator.VALIDATOR_ACCOUNT);
            assertThat(chunk.get("header")).as(params).isEqualTo(header);
            assertThat(chunk.get("transactions").isArray()).isTrue();
            assertThat(chunk.get("receipts").isArray()).isTrue();
        }

        // the next block's chunk, not produced yet
        rpc.advanceBlocks(1);
        String next = rpc.call("block", "[" + (HEAD + 1) + "]")
                .result()
                .at("/chunks/0/chunk_hash")
                .asText();
        rpc.nowMillis.addAndGet(-RpcTestNode.BLOCK_MILLIS);
        assertThat(next).isNotEqualTo(chunkHash);
        RpcTestNode.Reply unknown = rpc.call("chunk", "[\"" + next + "\"]");
        assertHandlerError(
                unknown.error(),
                "UNKNOWN_CHUNK",
                "Chunk Missing (unavailable on the node): ChunkHash(`" + next + "`) \n Cause: Unknown");
        assertThat(unknown.error().at("/cause/info/chunk_hash").asText()).isEqualTo(next);

        assertHandlerError(
                rpc.call("chunk", "{\"block_id\":" + HEAD + ",\"shard_id\":3}").error(),
                "INVALID_SHARD_ID",
                "Shard id 3 does not exist");
        assertHandlerError(
                rpc.call("chunk", "{\"block_id\":" + (HEAD + 5) + ",\"shard_id\":0}")
                        .error(),
                "UNKNOWN_BLOCK",
                "DB Not Found Error: BLOCK HEIGHT: " + (HEAD + 5) + " \n Cause: Unknown");
        assertThat(rpc.call("chunk", "{\"chunk_id\":\"nothash\"}")
                        .error()
                        .at("/cause/name")
                        .asText())
                .isEqualTo("PARSE_ERROR");
        assertThat(rpc.call("chunk", "{}").error().get("data").asText())
                .isEqualTo("Failed parsing args: data did not match any variant of untagged enum ChunkReference");
    }

    @Test
    void validatorsListTheOneValidatorOfTheEpoch() {
        long epochStart = BlockClock.GENESIS_HEIGHT;
        for (String params : List.of("[null]", "{\"epoch_id\":\"" + rpc.clock.epochId(HEAD) + "\"}")) {
            JsonNode info = rpc.call("validators", params).result();
            assertThat(info.get("epoch_height").asLong()).as(params).isEqualTo(1);
            assertThat(info.get("epoch_start_height").asLong()).isEqualTo(epochStart);
            JsonNode validator = info.at("/current_validators/0");
            assertThat(validator.get("account_id").asText()).isEqualTo(NearRpcEmulator.VALIDATOR_ACCOUNT);
            assertThat(validator.get("public_key").asText())
                    .isEqualTo(rpc.call("status", "[]")
                            .result()
                            .get("validator_public_key")
                            .asText());
            assertThat(validator.get("is_slashed").asBoolean()).isFalse();
            assertThat(validator.get("stake").isTextual()).isTrue();
            assertThat(validator.get("shards").toString()).isEqualTo("[0]");
            assertThat(validator.get("num_produced_blocks").asLong()).isEqualTo(HEAD - epochStart + 1);
            assertThat(validator.get("num_expected_chunks_per_shard").toString())
                    .isEqualTo("[" + (HEAD - epochStart + 1) + "]");
            assertThat(info.at("/next_validators/0/account_id").asText()).isEqualTo(NearRpcEmulator.VALIDATOR_ACCOUNT);
            for (String empty :
                    List.of("current_fishermen", "next_fishermen", "current_proposals", "prev_epoch_kickout")) {
                assertThat(info.get(empty).isArray() && info.get(empty).isEmpty())
                        .as(empty)
                        .isTrue();
            }
        }
        // by block: only the last block of an epoch has the epoch's final info, as in nearcore
        JsonNode unavailable = rpc.call("validators", "[" + (HEAD - 1) + "]").error();
        assertHandlerError(unavailable, "VALIDATOR_INFO_UNAVAILABLE", "Validator info unavailable");
        assertThat(unavailable.at("/cause").has("info")).isFalse();
        assertHandlerError(
                rpc.call("validators", "{\"epoch_id\":\"" + rpc.clock.hash(HEAD) + "\"}")
                        .error(),
                "UNKNOWN_EPOCH",
                "Unknown Epoch");
        // the head has no next block yet, a future block no header: nearcore's DBNotFound, UNKNOWN_EPOCH
        assertHandlerError(rpc.call("validators", "[" + HEAD + "]").error(), "UNKNOWN_EPOCH", "Unknown Epoch");
        assertHandlerError(rpc.call("validators", "[" + (HEAD + 9) + "]").error(), "UNKNOWN_EPOCH", "Unknown Epoch");

        rpc.advanceBlocks((int) BlockClock.EPOCH_LENGTH);
        long lastOfFirst = BlockClock.GENESIS_HEIGHT + BlockClock.EPOCH_LENGTH - 1;
        JsonNode first =
                rpc.call("validators", "{\"block_id\":" + lastOfFirst + "}").result();
        assertThat(first.get("epoch_height").asLong()).isEqualTo(1);
        assertThat(first.at("/current_validators/0/num_produced_blocks").asLong())
                .isEqualTo(BlockClock.EPOCH_LENGTH);
        assertThat(rpc.call("validators", "[null]").result().get("epoch_height").asLong())
                .isEqualTo(2);
    }

    static void assertHandlerError(JsonNode error, String cause, String data) {
        assertThat(error.get("name").asText()).isEqualTo("HANDLER_ERROR");
        assertThat(error.at("/cause/name").asText()).isEqualTo(cause);
        assertThat(error.get("code").asInt()).isEqualTo(-32000);
        assertThat(error.get("message").asText()).isEqualTo("Server error");
        assertThat(error.get("data").asText()).isEqualTo(data);
    }
}
