package dev.outlayer.bench.targetsystem.rpc;

import static dev.outlayer.bench.targetsystem.rpc.NearRpcEmulatorTest.assertHandlerError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** {@code query}: every request type against the empty chain and against a chain with one contract. */
class QueryTest {
    private static final long HEAD = BlockClock.GENESIS_HEIGHT + 10;
    private static final byte[] WASM = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};

    private RpcTestNode rpc;

    @Test
    void everyAccountQueryOnTheEmptyChainIsUnknownAccount() {
        rpc = new RpcTestNode();
        String[] queries = {
            "{\"request_type\":\"view_account\",\"finality\":\"final\",\"account_id\":\"nobody.near\"}",
            "{\"request_type\":\"view_code\",\"finality\":\"final\",\"account_id\":\"nobody.near\"}",
            "{\"request_type\":\"view_state\",\"finality\":\"final\",\"account_id\":\"nobody.near\",\"prefix_base64\":\"\"}",
            "{\"request_type\":\"call_function\",\"finality\":\"final\",\"account_id\":\"nobody.near\","
                    + "\"method_name\":\"get_num\",\"args_base64\":\"e30=\"}",
        };
        for (String query : queries) {
            RpcTestNode.Reply reply = rpc.call("query", query);
            assertThat(reply.status()).as(query).isEqualTo(200);
            assertThat(reply.body().get("id").asText()).isEqualTo("t1");
            JsonNode error = reply.error();
            assertHandlerError(error, "UNKNOWN_ACCOUNT", "account nobody.near does not exist while viewing");
            assertThat(error.at("/cause/info/requested_account_id").asText()).isEqualTo("nobody.near");
            assertThat(error.at("/cause/info/block_height").asLong()).isEqualTo(HEAD - 2);
            assertThat(error.at("/cause/info/block_hash").asText()).isEqualTo(rpc.clock.hash(HEAD - 2));
        }
    }

    @Test
    void legacyPathQueriesWork() {
        rpc = new RpcTestNode();

        JsonNode error = rpc.call("query", "[\"account/nobody.near\", \"\"]").error();

        assertHandlerError(error, "UNKNOWN_ACCOUNT", "account nobody.near does not exist while viewing");
        assertThat(error.at("/cause/info/block_height").asLong()).isEqualTo(HEAD);
        assertThat(rpc.call("query", "[\"call/nobody.near\", \"\"]")
                        .error()
                        .get("data")
                        .asText())
                .isEqualTo("Method name is missing");
        assertThat(rpc.call("query", "[\"bogus/nobody.near\", \"\"]")
                        .error()
                        .get("data")
                        .asText())
                .isEqualTo("Unknown path bogus");
    }

    @Test
    void invalidAccountIdsAreParseErrorsAsInNearcore() {
        rpc = new RpcTestNode();

        RpcTestNode.Reply reply = rpc.call(
                "query", "{\"request_type\":\"view_account\",\"finality\":\"final\",\"account_id\":\"Bad!Id\"}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error().get("name").asText()).isEqualTo("REQUEST_VALIDATION_ERROR");
        assertThat(reply.error().at("/cause/name").asText()).isEqualTo("PARSE_ERROR");
        assertThat(reply.error().get("data").asText())
                .isEqualTo(
                        "Failed parsing args: invalid value: \"Bad!Id\", the Account ID contains an invalid character 'B' at index 0");
    }

    @Test
    void queryParamsAreValidated() {
        rpc = new RpcTestNode();

        assertThat(rpc.call("query", "{\"request_type\":\"view_account\",\"account_id\":\"a.near\"}")
                        .error()
                        .get("data")
                        .asText())
                .isEqualTo("Failed parsing args: no variant of enum BlockReference found in flattened data");
        assertThat(rpc.call(
                                "query",
                                "{\"request_type\":\"view_everything\",\"finality\":\"final\",\"account_id\":\"A!\"}")
                        .error()
                        .get("data")
                        .asText())
                .startsWith("Failed parsing args: unknown variant `view_everything`");
        assertThat(rpc.call(
                                "query",
                                "{\"request_type\":\"view_state\",\"finality\":\"final\",\"account_id\":\"a.near\"}")
                        .error()
                        .get("data")
                        .asText())
                .isEqualTo("Failed parsing args: missing field `prefix_base64`");
        // serde_with's Base64 passes the crate's error on; padding is optional there.
        String viewState = "{\"request_type\":\"view_state\",\"finality\":\"final\",\"account_id\":\"a.near\","
                + "\"prefix_base64\":";
        assertThat(rpc.call("query", viewState + "\"AAAA-AAAAAAAAAAA\"}")
                        .error()
                        .get("data")
                        .asText())
                .isEqualTo("Failed parsing args: Invalid byte 45, offset 4.");
        assertThat(rpc.call("query", viewState + "\"AAAAAAAAA\"}")
                        .error()
                        .get("data")
                        .asText())
                .isEqualTo("Failed parsing args: Encoded text cannot have a 6-bit remainder.");
        assertThat(rpc.call("query", viewState + "\"A=AA\"}")
                        .error()
                        .get("data")
                        .asText())
                .isEqualTo("Failed parsing args: Invalid byte 61, offset 1.");
        assertThat(rpc.call("query", viewState + "\"AB\"}").error().get("data").asText())
                .isEqualTo("Failed parsing args: Invalid last symbol 66, offset 1.");
        assertThat(rpc.call(
                                "query",
                                "{\"request_type\":\"call_function\",\"finality\":\"final\",\"account_id\":\"a.near\","
                                        + "\"method_name\":\"m\",\"args_base64\":\"%%%\"}")
                        .error()
                        .at("/cause/name")
                        .asText())
                .isEqualTo("PARSE_ERROR");
    }

    @Test
    void queryParamsHaveSerdesTypesAndTexts() {
        rpc = new RpcTestNode();

        assertThat(queryError("{\"finality\":\"final\",\"account_id\":\"a.near\"}"))
                .isEqualTo("Failed parsing args: missing field `request_type`");
        assertThat(queryError(
                        "{\"request_type\":\"view_access_key\",\"finality\":\"final\",\"public_key\":\"ed25519:x\"}"))
                .isEqualTo("Failed parsing args: missing field `account_id`");
        assertThat(queryError("{\"request_type\":\"view_account\",\"finality\":\"final\",\"account_id\":null}"))
                .isEqualTo("Failed parsing args: invalid type: null, expected a string");
        assertThat(queryError("{\"request_type\":\"call_function\",\"finality\":\"final\",\"account_id\":\"a.near\","
                        + "\"method_name\":5,\"args_base64\":\"\"}"))
                .isEqualTo("Failed parsing args: invalid type: integer `5`, expected a string");
        assertThat(queryError("{\"request_type\":\"call_function\",\"finality\":\"final\",\"account_id\":\"a.near\","
                        + "\"method_name\":[\"m\"],\"args_base64\":\"\"}"))
                .isEqualTo("Failed parsing args: invalid type: sequence, expected a string");
        assertThat(queryError("{\"request_type\":\"call_function\",\"finality\":\"final\",\"account_id\":\"a.near\","
                        + "\"method_name\":\"m\"}"))
                .isEqualTo("Failed parsing args: missing field `args_base64`");
        assertThat(queryError("{\"request_type\":\"view_access_key\",\"finality\":\"final\",\"account_id\":\"a.near\","
                        + "\"public_key\":\"ed25519:xyz\"}"))
                .isEqualTo(
                        "Failed parsing args: invalid value: \"ed25519:xyz\", expected a public key as ed25519:<base58>");
        assertThat(queryError("\"x\""))
                .isEqualTo("Failed parsing args: invalid type: string \"x\", expected struct RpcQueryRequest");
        assertThat(queryError("null")).isEqualTo("Require at least one parameter");
    }

    private String queryError(String params) {
        RpcTestNode.Reply reply = rpc.call("query", params);
        assertThat(reply.status()).as(params).isEqualTo(400);
        return reply.error().get("data").asText();
    }

    @Test
    void queryAtAFutureBlockIsUnknownBlockWithTheReference() {
        rpc = new RpcTestNode();

        JsonNode error = rpc.call(
                        "query",
                        "{\"request_type\":\"view_account\",\"block_id\":" + (HEAD + 9) + ",\"account_id\":\"a.near\"}")
                .error();

        assertHandlerError(
                error, "UNKNOWN_BLOCK", "DB Not Found Error: BLOCK HEIGHT: " + (HEAD + 9) + " \n Cause: Unknown");
        assertThat(error.at("/cause/info/block_reference/block_id").asLong()).isEqualTo(HEAD + 9);

        // by hash, nearcore's process_query_response writes the text without the cause
        String unknownHash = rpc.clock.hash(HEAD + 9);
        JsonNode byHash = rpc.call(
                        "query",
                        "{\"request_type\":\"view_account\",\"block_id\":\"" + unknownHash
                                + "\",\"account_id\":\"a.near\"}")
                .error();
        assertHandlerError(byHash, "UNKNOWN_BLOCK", "DB Not Found Error: BLOCK HEADER: " + unknownHash);
        assertThat(byHash.at("/cause/info/block_reference/block_id").asText()).isEqualTo(unknownHash);
    }

    @Test
    void accountsAndContractsRenderInNearcoreShapes() {
        rpc = new RpcTestNode(new OneContractChain());

        JsonNode account = rpc.call(
                        "query",
                        "{\"request_type\":\"view_account\",\"block_id\":" + HEAD
                                + ",\"account_id\":\"counter.test.near\"}")
                .result();
        assertThat(account.get("amount").asText()).isEqualTo("5000000000000000000000000");
        assertThat(account.get("locked").asText()).isEqualTo("0");
        assertThat(account.get("code_hash").asText()).isEqualTo(Base58.encode(BlockClock.sha256(WASM)));
        assertThat(account.get("storage_usage").asLong()).isEqualTo(350);
        assertThat(account.get("storage_paid_at").asLong()).isZero();
        assertThat(account.get("block_height").asLong()).isEqualTo(HEAD);
        assertThat(account.get("block_hash").asText()).isEqualTo(rpc.clock.hash(HEAD));

        JsonNode code = rpc.call(
                        "query",
                        "{\"request_type\":\"view_code\",\"finality\":\"optimistic\",\"account_id\":\"counter.test.near\"}")
                .result();
        assertThat(Base64.getDecoder().decode(code.get("code_base64").asText())).isEqualTo(WASM);
        assertThat(code.get("hash").asText()).isEqualTo(account.get("code_hash").asText());

        JsonNode state = rpc.call(
                        "query",
                        "{\"request_type\":\"view_state\",\"finality\":\"final\","
                                + "\"account_id\":\"counter.test.near\",\"prefix_base64\":\"" + b64("STATE") + "\"}")
                .result();
        assertThat(state.get("values")).hasSize(1);
        assertThat(state.at("/values/0/key").asText()).isEqualTo(b64("STATE"));
        assertThat(state.at("/values/0/value").asText()).isEqualTo(b64("42"));
        assertThat(rpc.call(
                                "query",
                                "{\"request_type\":\"view_state\",\"finality\":\"final\","
                                        + "\"account_id\":\"counter.test.near\",\"prefix_base64\":\"\"}")
                        .result()
                        .get("values"))
                .hasSize(2);

        JsonNode call = rpc.call(
                        "query",
                        "{\"request_type\":\"call_function\",\"finality\":\"final\","
                                + "\"account_id\":\"counter.test.near\",\"method_name\":\"get_num\",\"args_base64\":\""
                                + b64("{}") + "\"}")
                .result();
        assertThat(call.get("result").isArray()).isTrue();
        byte[] result = new byte[call.get("result").size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = (byte) call.get("result").get(i).asInt();
        }
        assertThat(new String(result, StandardCharsets.UTF_8)).isEqualTo("42");
        assertThat(call.at("/logs/0").asText()).isEqualTo("get_num at " + (HEAD - 2));
        assertThat(call.get("block_height").asLong()).isEqualTo(HEAD - 2);
    }

    /**
     * Every kind of answer {@code query} gives, byte for byte (member order and absent members included):
     * what the view records render must stay what clients parse today.
     */
    @Test
    void everyQueryKindAnswersInItsExactJson() {
        rpc = new RpcTestNode(new PinnedChain());
        // nearcore sends each result as a serde_json Value: every object sorted by key
        String block = "\"block_hash\":\"" + rpc.clock.hash(HEAD) + "\",\"block_height\":" + HEAD;
        String hash = Base58.encode(BlockClock.sha256(WASM));
        Map<String, String> answers = new java.util.LinkedHashMap<>();
        answers.put(
                "\"request_type\":\"view_account\",\"account_id\":\"counter.test.near\"",
                "\"result\":{\"amount\":\"5000000000000000000000000\"," + block + ",\"code_hash\":\"" + hash
                        + "\",\"locked\":\"1\",\"storage_paid_at\":0,\"storage_usage\":350}");
        answers.put(
                "\"request_type\":\"view_account\",\"account_id\":\"global.test.near\"",
                "\"result\":{\"amount\":\"5000000000000000000000000\"," + block
                        + ",\"code_hash\":\"11111111111111111111111111111111\",\"global_contract_hash\":\"" + hash
                        + "\",\"locked\":\"0\",\"storage_paid_at\":0,\"storage_usage\":182}");
        answers.put(
                "\"request_type\":\"view_account\",\"account_id\":\"byid.test.near\"",
                "\"result\":{\"amount\":\"5000000000000000000000000\"," + block
                        + ",\"code_hash\":\"11111111111111111111111111111111\",\"global_contract_account_id\":\"counter.test.near\",\"locked\":\"0\",\"storage_paid_at\":0,\"storage_usage\":182}");
        answers.put(
                "\"request_type\":\"view_account\",\"account_id\":\"nobody.near\"",
                "\"error\":{\"name\":\"HANDLER_ERROR\",\"cause\":{\"info\":{" + block
                        + ",\"requested_account_id\":\"nobody.near\"},\"name\":\"UNKNOWN_ACCOUNT\"},\"code\":-32000,\"message\":\"Server error\",\"data\":\"account nobody.near does not exist while viewing\"}");
        answers.put(
                "\"request_type\":\"view_code\",\"account_id\":\"counter.test.near\"",
                "\"result\":{" + block + ",\"code_base64\":\"AGFzbQEAAAA=\",\"hash\":\"" + hash + "\"}");
        answers.put(
                "\"request_type\":\"view_code\",\"account_id\":\"alice.test.near\"",
                "\"error\":{\"name\":\"HANDLER_ERROR\",\"cause\":{\"info\":{" + block
                        + ",\"contract_account_id\":\"alice.test.near\"},\"name\":\"NO_CONTRACT_CODE\"},\"code\":-32000,\"message\":\"Server error\",\"data\":\"Contract code for contract ID #alice.test.near has never been observed on the node\"}");
        answers.put(
                "\"request_type\":\"view_state\",\"account_id\":\"counter.test.near\",\"prefix_base64\":\"\"",
                "\"result\":{" + block
                        + ",\"values\":[{\"key\":\"U1RBVEU=\",\"value\":\"NDI=\"},{\"key\":\"/wA=\",\"value\":\"\"}]}");
        answers.put(
                "\"request_type\":\"view_state\",\"account_id\":\"counter.test.near\",\"prefix_base64\":\"\",\"include_proof\":true",
                "\"result\":{" + block
                        + ",\"proof\":[\"AQID\",\"/g==\"],\"values\":[{\"key\":\"U1RBVEU=\",\"value\":\"NDI=\"},{\"key\":\"/wA=\",\"value\":\"\"}]}");
        answers.put(
                "\"request_type\":\"view_state\",\"account_id\":\"big.test.near\",\"prefix_base64\":\"\"",
                "\"error\":{\"name\":\"HANDLER_ERROR\",\"cause\":{\"info\":{" + block
                        + ",\"contract_account_id\":\"big.test.near\"},\"name\":\"TOO_LARGE_CONTRACT_STATE\"},\"code\":-32000,\"message\":\"Server error\",\"data\":\"State of contract big.test.near is too large to be viewed\"}");
        answers.put(
                "\"request_type\":\"call_function\",\"account_id\":\"counter.test.near\",\"method_name\":\"get_num\",\"args_base64\":\"\"",
                "\"result\":{" + block + ",\"logs\":[\"get_num \\\"é\\\"\",\"line\\n2\"],\"result\":[52,50,255]}");
        answers.put(
                "\"request_type\":\"call_function\",\"account_id\":\"counter.test.near\",\"method_name\":\"nope\",\"args_base64\":\"\"",
                "\"result\":{" + block
                        + ",\"error\":\"wasm execution failed with error: MethodResolveError(MethodNotFound)\",\"logs\":[]}");
        answers.put(
                "\"request_type\":\"call_function\",\"account_id\":\"alice.test.near\",\"method_name\":\"get_num\",\"args_base64\":\"\"",
                "\"result\":{" + block
                        + ",\"error\":\"wasm execution failed with error: CompilationError(CodeDoesNotExist { account_id: AccountId(\\\"alice.test.near\\\") })\",\"logs\":[]}");
        answers.put(
                "\"request_type\":\"view_global_contract_code\",\"code_hash\":\"" + hash + "\"",
                "\"result\":{" + block + ",\"code_base64\":\"AGFzbQEAAAA=\",\"hash\":\"" + hash + "\"}");
        answers.put(
                "\"request_type\":\"view_global_contract_code\",\"code_hash\":\"11111111111111111111111111111111\"",
                "\"error\":{\"name\":\"HANDLER_ERROR\",\"cause\":{\"info\":{" + block
                        + ",\"identifier\":{\"CodeHash\":\"11111111111111111111111111111111\"}},\"name\":\"NO_GLOBAL_CONTRACT_CODE\"},\"code\":-32000,\"message\":\"Server error\",\"data\":\"Global contract code with identifier CodeHash(11111111111111111111111111111111) has never been observed on the node\"}");
        answers.put(
                "\"request_type\":\"view_global_contract_code_by_account_id\",\"account_id\":\"counter.test.near\"",
                "\"result\":{" + block + ",\"code_base64\":\"AGFzbQEAAAA=\",\"hash\":\"" + hash + "\"}");
        answers.put(
                "\"request_type\":\"view_global_contract_code_by_account_id\",\"account_id\":\"alice.test.near\"",
                "\"error\":{\"name\":\"HANDLER_ERROR\",\"cause\":{\"info\":{" + block
                        + ",\"identifier\":{\"AccountId\":\"alice.test.near\"}},\"name\":\"NO_GLOBAL_CONTRACT_CODE\"},\"code\":-32000,\"message\":\"Server error\",\"data\":\"Global contract code with identifier AccountId(AccountId(\\\"alice.test.near\\\")) has never been observed on the node\"}");
        answers.put(
                "\"request_type\":\"view_access_key\",\"account_id\":\"alice.test.near\",\"public_key\":\"ed25519:11111111111111111111111111111111\"",
                "\"result\":{" + block
                        + ",\"error\":\"access key ed25519:11111111111111111111111111111111 does not exist while viewing\",\"logs\":[]}");
        answers.put(
                "\"request_type\":\"view_access_key_list\",\"account_id\":\"alice.test.near\"",
                "\"result\":{" + block + ",\"keys\":[]}");
        answers.put(
                "\"request_type\":\"view_gas_key_nonces\",\"account_id\":\"alice.test.near\",\"public_key\":\"ed25519:11111111111111111111111111111111\"",
                "\"error\":{\"name\":\"HANDLER_ERROR\",\"cause\":{\"info\":{" + block
                        + ",\"public_key\":\"ed25519:11111111111111111111111111111111\"},\"name\":\"UNKNOWN_GAS_KEY\"},\"code\":-32000,\"message\":\"Server error\",\"data\":\"gas key ed25519:11111111111111111111111111111111 does not exist while viewing\"}");
        answers.forEach((query, answer) -> assertThat(rpc.raw("query", "{\"block_id\":" + HEAD + "," + query + "}"))
                .as(query)
                .isEqualTo("{\"jsonrpc\":\"2.0\"," + answer + ",\"id\":\"t1\"}"));
        long collected = HEAD - 6;
        assertThat(rpc.raw(
                        "query",
                        "{\"block_id\":" + collected
                                + ",\"request_type\":\"view_account\",\"account_id\":\"counter.test.near\"}"))
                .isEqualTo(
                        "{\"jsonrpc\":\"2.0\",\"error\":{\"name\":\"HANDLER_ERROR\",\"cause\":{\"info\":{\"block_hash\":\""
                                + rpc.clock.hash(collected) + "\",\"block_height\":" + collected
                                + "},\"name\":\"GARBAGE_COLLECTED_BLOCK\"},\"code\":-32000,\"message\":\"Server error\",\"data\":\"The data for block #"
                                + collected
                                + " is garbage collected on this node, use an archival node to fetch historical data\"},\"id\":\"t1\"}");
    }

    @Test
    void contractFailuresUseNearcoresLegacyResultWithError() {
        rpc = new RpcTestNode(new OneContractChain());

        RpcTestNode.Reply reply = rpc.call(
                "query",
                "{\"request_type\":\"call_function\",\"finality\":\"final\","
                        + "\"account_id\":\"counter.test.near\",\"method_name\":\"nope\",\"args_base64\":\"\"}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().has("error")).isFalse();
        assertThat(reply.result().get("error").asText())
                .isEqualTo("wasm execution failed with error: MethodResolveError(MethodNotFound)");
        assertThat(reply.result().get("logs")).isEmpty();
        assertThat(reply.result().get("block_hash").asText()).isEqualTo(rpc.clock.hash(HEAD - 2));
    }

    @Test
    void accountsWithoutCodeReportMissingCodeAsNearcoreDoes() {
        rpc = new RpcTestNode(new OneContractChain());

        assertThat(rpc.call(
                                "query",
                                "{\"request_type\":\"call_function\",\"finality\":\"final\","
                                        + "\"account_id\":\"alice.test.near\",\"method_name\":\"m\",\"args_base64\":\"\"}")
                        .result()
                        .get("error")
                        .asText())
                .isEqualTo(
                        "wasm execution failed with error: CompilationError(CodeDoesNotExist { account_id: AccountId(\"alice.test.near\") })");
        JsonNode error = rpc.call(
                        "query",
                        "{\"request_type\":\"view_code\",\"finality\":\"final\",\"account_id\":\"alice.test.near\"}")
                .error();
        assertHandlerError(
                error,
                "NO_CONTRACT_CODE",
                "Contract code for contract ID #alice.test.near has never been observed on the node");
        assertThat(error.at("/cause/info/contract_account_id").asText()).isEqualTo("alice.test.near");
        assertThat(rpc.call(
                                "query",
                                "{\"request_type\":\"view_account\",\"finality\":\"final\",\"account_id\":\"alice.test.near\"}")
                        .result()
                        .get("code_hash")
                        .asText())
                .isEqualTo("11111111111111111111111111111111");
    }

    @Test
    void accessKeysDoNotExistOnTheEmulatedChain() {
        rpc = new RpcTestNode(new OneContractChain());
        String key = "ed25519:" + Base58.encode(BlockClock.sha256("key"));

        JsonNode missing = rpc.call(
                        "query",
                        "{\"request_type\":\"view_access_key\",\"finality\":\"final\","
                                + "\"account_id\":\"alice.test.near\",\"public_key\":\"" + key + "\"}")
                .result();
        assertThat(missing.get("error").asText()).isEqualTo("access key " + key + " does not exist while viewing");
        assertThat(rpc.call(
                                "query",
                                "{\"request_type\":\"view_access_key_list\",\"finality\":\"final\","
                                        + "\"account_id\":\"alice.test.near\"}")
                        .result()
                        .get("keys"))
                .isEmpty();
    }

    @Test
    void aFailingChainViewIsAnInternalErrorAndTheServerKeepsServing() {
        rpc = new RpcTestNode(new ChainView() {
            @Override
            public Optional<Account> account(String accountId) {
                throw new IllegalStateException("simulator exploded");
            }

            @Override
            public Optional<byte[]> code(String accountId) {
                return Optional.empty();
            }

            @Override
            public List<StateEntry> state(String accountId, byte[] prefix) {
                return List.of();
            }

            @Override
            public ViewOutcome view(String accountId, String method, byte[] args, BlockContext block) {
                return new ViewOutcome.Failure("unreachable");
            }
        });

        RpcTestNode.Reply reply = rpc.call(
                "query", "{\"request_type\":\"view_account\",\"finality\":\"final\",\"account_id\":\"a.near\"}");

        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.error().get("name").asText()).isEqualTo("INTERNAL_ERROR");
        assertThat(reply.error().at("/cause/name").asText()).isEqualTo("INTERNAL_ERROR");
        assertThat(reply.error().at("/cause/info/error_message").asText())
                .as("the exception's text stays in the log")
                .isEqualTo("the emulator failed to answer this call; see its log");
        assertThat(reply.error().toString())
                .doesNotContain("simulator exploded")
                .doesNotContain("Exception");
        assertThat(rpc.call("health", "[]").status()).isEqualTo(200);
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * One of each account {@code query} tells apart: local code, a global contract by hash and by
     * account id, no code, state too large to view; state with a proof; blocks below HEAD - 5 collected.
     */
    private static final class PinnedChain implements ChainView {
        private static final byte[] HASH = BlockClock.sha256(WASM);

        @Override
        public Optional<Account> account(String accountId) {
            BigInteger amount = new BigInteger("5000000000000000000000000");
            return switch (accountId) {
                case "counter.test.near" -> Optional.of(new Account(amount, BigInteger.ONE, HASH, 350));
                case "global.test.near" ->
                    Optional.of(new Account(amount, BigInteger.ZERO, Account.NO_CODE, 182, HASH, null));
                case "byid.test.near" ->
                    Optional.of(new Account(amount, BigInteger.ZERO, Account.NO_CODE, 182, null, "counter.test.near"));
                case "big.test.near" -> Optional.of(new Account(amount, BigInteger.ZERO, HASH, 60_000));
                case "alice.test.near" ->
                    Optional.of(new Account(BigInteger.TEN, BigInteger.ZERO, Account.NO_CODE, 182));
                default -> Optional.empty();
            };
        }

        @Override
        public Optional<byte[]> code(String accountId) {
            return accountId.equals("alice.test.near") ? Optional.empty() : Optional.of(WASM);
        }

        @Override
        public Optional<byte[]> globalCode(byte[] codeHash, String accountId) {
            boolean known = codeHash != null ? Arrays.equals(codeHash, HASH) : accountId.equals("counter.test.near");
            return known ? Optional.of(WASM) : Optional.empty();
        }

        @Override
        public List<StateEntry> state(String accountId, byte[] prefix) {
            return List.of(
                    new StateEntry("STATE".getBytes(StandardCharsets.UTF_8), "42".getBytes(StandardCharsets.UTF_8)),
                    new StateEntry(new byte[] {(byte) 0xff, 0}, new byte[0]));
        }

        @Override
        public List<byte[]> stateProof(String accountId, byte[] prefix) {
            return List.of(new byte[] {1, 2, 3}, new byte[] {(byte) 0xfe});
        }

        @Override
        public long firstKeptBlock() {
            return HEAD - 5;
        }

        @Override
        public ViewOutcome view(String accountId, String method, byte[] args, BlockContext block) {
            return method.equals("get_num")
                    ? new ViewOutcome.Success(new byte[] {'4', '2', (byte) 0xff}, List.of("get_num \"é\"", "line\n2"))
                    : new ViewOutcome.Failure("MethodResolveError(MethodNotFound)");
        }
    }

    /** A stand-in for the contract simulator: one contract account with two state entries, one plain account. */
    private static final class OneContractChain implements ChainView {
        private final Map<String, byte[]> state =
                new TreeMap<>(Map.of("STATE", "42".getBytes(), "other", "x".getBytes()));

        @Override
        public Optional<Account> account(String accountId) {
            return switch (accountId) {
                case "counter.test.near" ->
                    Optional.of(new Account(
                            new BigInteger("5000000000000000000000000"),
                            BigInteger.ZERO,
                            BlockClock.sha256(WASM),
                            350));
                case "alice.test.near" ->
                    Optional.of(new Account(BigInteger.TEN, BigInteger.ZERO, Account.NO_CODE, 182));
                default -> Optional.empty();
            };
        }

        @Override
        public Optional<byte[]> code(String accountId) {
            return accountId.equals("counter.test.near") ? Optional.of(WASM) : Optional.empty();
        }

        @Override
        public List<StateEntry> state(String accountId, byte[] prefix) {
            List<StateEntry> entries = new ArrayList<>();
            state.forEach((key, value) -> {
                byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
                if (keyBytes.length >= prefix.length
                        && Arrays.equals(keyBytes, 0, prefix.length, prefix, 0, prefix.length)) {
                    entries.add(new StateEntry(keyBytes, value));
                }
            });
            return entries;
        }

        @Override
        public ViewOutcome view(String accountId, String method, byte[] args, BlockContext block) {
            if (method.equals("get_num")) {
                return new ViewOutcome.Success(state.get("STATE"), List.of("get_num at " + block.height()));
            }
            return new ViewOutcome.Failure("MethodResolveError(MethodNotFound)");
        }
    }
}
