package dev.outlayer.bench.targetsystem.contracts;

import static dev.outlayer.bench.targetsystem.contracts.TestContracts.text;
import static dev.outlayer.bench.targetsystem.contracts.TestContracts.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The chain half of OutLayer's payment keys on the bundled contract (contract/src/secrets.rs
 * store_secrets with the System(PaymentKey) accessor, payment.rs ft_on_transfer / on_top_up_response /
 * resume_topup / delete_payment_key): the storage deposit, the system_event a worker turns into
 * coordinator work, the yields the operator resumes, the FT stand-in's tokens kept or refunded.
 */
class OutlayerPaymentKeysTest {
    private static final String OUTLAYER = ContractSimulator.OUTLAYER_ACCOUNT;
    private static final String OPERATOR = "operator.test.near";
    private static final String USDC = ContractSimulator.PAYMENT_TOKEN;
    private static final String ALICE = "alice.test.near";
    private static final BigInteger PER_BYTE = new BigInteger("10000000000000000000");
    private static final BigInteger DEPOSIT = new BigInteger("10000000000000000000000"); // 0.01 NEAR
    private static final String SYSTEM = "{\"System\":\"PaymentKey\"}";
    private static final String BLOB = "c2VhbGVkLWtleQ==";

    private final AtomicLong now = new AtomicLong(1_000_000L);

    @AutoClose
    private ContractSimulator simulator;

    @BeforeEach
    void start() throws IOException {
        simulator = new ContractSimulator(true, new BlockClock(0, 1000, now::get));
        for (String account : List.of(ALICE, OPERATOR)) {
            simulator.putAccount(account, ContractSimulator.DEFAULT_BALANCE);
        }
        TestContracts.outlayerWithPaymentToken(simulator, OPERATOR, ALICE);
    }

    private TxOutcome call(String contract, String caller, String method, String args, BigInteger deposit) {
        return TestContracts.call(simulator, contract, caller, method, args, deposit);
    }

    private static void ok(TxOutcome tree) {
        assertThat(tree.finalStatus()).as(tree.toString()).isInstanceOf(ExecutionStatus.SuccessValue.class);
    }

    private String view(String contract, String method, String args) {
        Outcome out = simulator.execute(CallRequest.view(contract, method, utf8(args)));
        assertThat(out.success()).as(out.errorMessage()).isTrue();
        return text(out.result());
    }

    private static List<String> logs(TxOutcome tree) {
        return tree.receiptsOutcome().stream().flatMap(o -> o.logs().stream()).toList();
    }

    private static JsonNode systemEvent(TxOutcome tree) throws IOException {
        for (String log : logs(tree)) {
            if (log.startsWith("EVENT_JSON:") && log.contains("\"event\":\"system_event\"")) {
                return JsonCodec.MAPPER.readTree(log.substring("EVENT_JSON:".length()));
            }
        }
        throw new AssertionError("no system_event in " + logs(tree));
    }

    private static String failure(TxOutcome tree) {
        ExecutionStatus status = tree.firstReceipt().status();
        assertThat(status).isInstanceOf(ExecutionStatus.Failure.class);
        return ((ExecutionStatus.Failure) status).message();
    }

    private TxOutcome storeKey(String profile, BigInteger deposit) {
        return storeKey(profile, "\"AllowAll\"", "", deposit);
    }

    private TxOutcome storeKey(String profile, String access, BigInteger deposit) {
        return storeKey(profile, access, "", deposit);
    }

    /** store_secrets of ALICE's key at {@code profile} under {@code access}, {@code more} (further members) added to its arguments */
    private TxOutcome storeKey(String profile, String access, String more, BigInteger deposit) {
        return call(
                OUTLAYER,
                ALICE,
                "store_secrets",
                "{\"accessor\":" + SYSTEM + ",\"profile\":\"" + profile + "\",\"encrypted_secrets_base64\":\"" + BLOB
                        + "\",\"access\":" + access + more + "}",
                deposit);
    }

    /** An AccountPattern condition; {@code pattern} is JSON string content, escapes included. */
    private static String accountPattern(String pattern) {
        return "{\"AccountPattern\":{\"pattern\":\"" + pattern + "\"}}";
    }

    private static String logic(String operator, List<String> conditions) {
        return "{\"Logic\":{\"operator\":\"" + operator + "\",\"conditions\":[" + String.join(",", conditions) + "]}}";
    }

    private static String not(String condition) {
        return "{\"Not\":{\"condition\":" + condition + "}}";
    }

    private static List<String> accountPatterns(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> accountPattern("p" + i + "\\\\.near"))
                .toList();
    }

    private String balance(String account) {
        return view(USDC, "ft_balance_of", "{\"account_id\":\"" + account + "\"}");
    }

    private TxOutcome topUp(long nonce, long amount) {
        return call(
                USDC,
                ALICE,
                "ft_transfer_call",
                "{\"receiver_id\":\"" + OUTLAYER + "\",\"amount\":\"" + amount
                        + "\",\"msg\":\"{\\\"action\\\":\\\"top_up_payment_key\\\",\\\"nonce\\\":" + nonce + "}\"}",
                BigInteger.ONE);
    }

    private static String dataIdHex(JsonNode event, String variant) {
        JsonNode bytes = event.path("data").path(0).path(variant).path("data_id");
        byte[] id = new byte[bytes.size()];
        for (int i = 0; i < id.length; i++) {
            id[i] = (byte) bytes.get(i).asInt();
        }
        return HexFormat.of().formatHex(id);
    }

    @Test
    void storeSecretsKeepsThePaymentKeyForItsDepositAndEmitsAZeroTopUp() throws IOException {
        TxOutcome stored = storeKey("7", DEPOSIT);

        ok(stored);
        // 40 + key (2 + 4 + 1 + 4 + 15) + value (4 + 16 + "AllowAll" 10 + 10 + 32) + index 64 = 202 bytes
        BigInteger required = PER_BYTE.multiply(BigInteger.valueOf(202));
        assertThat(logs(stored))
                .contains("Secrets stored: accessor=System(PaymentKey), profile=7, owner=alice.test.near, deposit="
                        + required + " yoctoNEAR")
                .contains("PaymentKey created event emitted: owner=alice.test.near, nonce=7");
        assertThat(systemEvent(stored).toString())
                .isEqualTo("{\"standard\":\"near-outlayer\",\"version\":\"1.0.0\",\"event\":\"system_event\",\"data\":"
                        + "[{\"TopUpPaymentKey\":{\"data_id\":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,"
                        + "0,0,0,0,0],\"owner\":\"alice.test.near\",\"nonce\":7,\"amount\":\"0\",\"encrypted_data\":\""
                        + BLOB + "\"}}]}");
        assertThat(stored.receiptsOutcome())
                .as("the deposit beyond the storage is refunded")
                .anyMatch(o -> o.executorId().equals(ALICE) && o.predecessorId().equals(OUTLAYER));
        JsonNode secret = JsonCodec.MAPPER.readTree(view(
                OUTLAYER,
                "get_secrets",
                "{\"accessor\":" + SYSTEM + ",\"profile\":\"7\",\"owner\":\"" + ALICE + "\"}"));
        assertThat(secret.path("encrypted_secrets").asText()).isEqualTo(BLOB);
        assertThat(secret.path("storage_deposit").asText()).isEqualTo(required.toString());
        assertThat(secret.path("access").asText()).isEqualTo("AllowAll");
        for (String profile : List.of("8", "7")) {
            assertThat(view(
                            OUTLAYER,
                            "estimate_storage_cost",
                            "{\"accessor\":" + SYSTEM + ",\"profile\":\"" + profile + "\",\"owner\":\"" + ALICE
                                    + "\",\"encrypted_secrets_base64\":\"" + BLOB + "\",\"access\":\"AllowAll\"}"))
                    .as("profile %s: the owner's index entry is counted for a stored row too (b65db3a)", profile)
                    .isEqualTo("\"" + required + "\"");
        }
    }

    /**
     * store_secrets_internal's refusals in its words (secrets.rs at out-layer/outlayer b65db3a): a nonce that is
     * not a u32, whatever else is wrong with it (the nonce rule comes before profile_shape_error, which a nonce
     * in decimal always passes), nonce 0 (the coordinator's free-trial row) and one above i32::MAX.
     */
    @Test
    void storeSecretsRefusesTooLittleDepositANonceItCannotHoldAndOtherAccessors() {
        assertThat(failure(storeKey("7", PER_BYTE))).contains("Insufficient storage deposit. Required: ");
        for (String notANumber : List.of("seven", "", "a b", "1".repeat(65), "4294967296", "-1")) {
            assertThat(failure(storeKey(notANumber, DEPOSIT)))
                    .as(notANumber)
                    .endsWith("A payment key's profile is its nonce and must be a number");
        }
        for (String zero : List.of("0", "00", "+0")) {
            assertThat(failure(storeKey(zero, DEPOSIT)))
                    .as(zero)
                    .endsWith("Payment key nonce 0 is reserved. The first nonce is 1 \u2014 ask the contract with"
                            + " get_next_payment_key_nonce.");
        }
        assertThat(failure(storeKey("2147483648", DEPOSIT)))
                .endsWith("Payment key nonce is too large (maximum 2147483647)");
        ok(storeKey("2147483647", DEPOSIT));
        assertThat(failure(call(
                        OUTLAYER,
                        ALICE,
                        "store_secrets",
                        "{\"accessor\":{\"WasmHash\":{\"hash\":\"ab\"}},"
                                + "\"profile\":\"p\",\"encrypted_secrets_base64\":\"" + BLOB
                                + "\",\"access\":\"AllowAll\"}",
                        DEPOSIT)))
                .contains("keeps only System(PaymentKey) secrets");
        assertThat(view(
                        OUTLAYER,
                        "get_secrets",
                        "{\"accessor\":" + SYSTEM + ",\"profile\":\"7\",\"owner\":\"" + ALICE + "\"}"))
                .as("a refused store keeps nothing")
                .isEqualTo("null");
    }

    /**
     * secrets.rs assert_account_pattern_bounds at out-layer/outlayer b65db3a, first in store_secrets_internal after
     * canonical_profile: at most 16 AccountPattern leaves, counted under Logic.conditions and Not.condition at any
     * depth, the refusal naming the count and coming before the nonce rule; a refused store keeps nothing.
     */
    @Test
    void storeSecretsJudgesAtMostSixteenAccountPatternLeavesNestedOnesCounted() {
        ok(storeKey("1", logic("Or", accountPatterns(16)), DEPOSIT));
        long storage = simulator.account(OUTLAYER).orElseThrow().read(AccountState.Snapshot::storageUsage);
        String seventeen = "the condition holds 17 AccountPattern leaves; at most 16 are judged";

        assertThat(failure(storeKey("2", logic("Or", accountPatterns(17)), DEPOSIT)))
                .endsWith(seventeen);
        String nested = not(logic(
                "And",
                List.of(
                        not(logic("Or", accountPatterns(10))),
                        logic("Or", accountPatterns(6)),
                        "\"AllowAll\"",
                        logic("And", List.of()),
                        not(not(accountPattern("deep\\\\.near"))))));
        assertThat(failure(storeKey("2", nested, DEPOSIT))).endsWith(seventeen);
        assertThat(failure(storeKey("0", nested, DEPOSIT)))
                .as("judged before the nonce rule")
                .endsWith(seventeen);

        assertThat(view(
                        OUTLAYER,
                        "get_secrets",
                        "{\"accessor\":" + SYSTEM + ",\"profile\":\"2\",\"owner\":\"" + ALICE + "\"}"))
                .isEqualTo("null");
        assertThat(nextNonce(ALICE)).isEqualTo("2");
        assertThat(simulator.account(OUTLAYER).orElseThrow().read(AccountState.Snapshot::storageUsage))
                .isEqualTo(storage);
    }

    /**
     * The other half of assert_account_pattern_bounds (b65db3a): at most 4,096 bytes of pattern text over all the
     * leaves, each Rust's String::len, the UTF-8 bytes of the decoded pattern: an é written as a JSON escape is 2
     * bytes, not the 6 of the escape. A refused store changes nothing: no row, no log, the deposit back.
     */
    @Test
    void storeSecretsJudgesAtMost4096BytesOfAccountPatternTextInAll() {
        String accented = "a".repeat(2046) + "\\u00e9"; // 2,048 bytes decoded, 2,052 as JSON
        BigInteger deposit = DEPOSIT.multiply(BigInteger.TEN); // 4 KB of condition is priced by the byte
        ok(storeKey(
                "1", logic("And", List.of(accountPattern("a".repeat(2048)), not(accountPattern(accented)))), deposit));

        long storage = simulator.account(OUTLAYER).orElseThrow().read(AccountState.Snapshot::storageUsage);
        BigInteger alice = simulator.account(ALICE).orElseThrow().balance();
        TxOutcome refused = storeKey(
                "2", logic("And", List.of(accountPattern("a".repeat(2049)), not(accountPattern(accented)))), deposit);

        assertThat(failure(refused))
                .endsWith("the condition's AccountPattern text is 4097 bytes in all; at most 4096 are judged");
        assertThat(logs(refused)).isEmpty();
        assertThat(view(
                        OUTLAYER,
                        "get_secrets",
                        "{\"accessor\":" + SYSTEM + ",\"profile\":\"2\",\"owner\":\"" + ALICE + "\"}"))
                .isEqualTo("null");
        assertThat(simulator.account(OUTLAYER).orElseThrow().read(AccountState.Snapshot::storageUsage))
                .isEqualTo(storage);
        assertThat(alice.subtract(simulator.account(ALICE).orElseThrow().balance()))
                .as("the attached deposit came back: only gas was spent")
                .isLessThan(DEPOSIT.divide(BigInteger.TEN));
    }

    private static final String PARSE = "Failed to deserialize input from JSON. ";
    private static final String UNKNOWN_CONDITION = "unknown variant, expected one of `Logic`, `Not`, `AllowAll`,"
            + " `Whitelist`, `AccountPattern`, `NearBalance`, `FtBalance`, `NftOwned`, `DaoMember`, `ValidUntil`"
            + " for field ";

    private String secretRow(String profile) {
        return view(
                OUTLAYER,
                "get_secrets",
                "{\"accessor\":" + SYSTEM + ",\"profile\":\"" + profile + "\",\"owner\":\"" + ALICE + "\"}");
    }

    private long outlayerStorage() {
        return simulator.account(OUTLAYER).orElseThrow().read(AccountState.Snapshot::storageUsage);
    }

    /**
     * near-sdk parses store_secrets' {@code access} into types.rs AccessConditionV1 (out-layer/outlayer b65db3a)
     * before the method runs: every one of its ten variants is kept as given, and a condition serde cannot read
     * (an unknown variant at any depth, a missing field, a Whitelist entry that is no AccountId, a field of the
     * wrong type) refuses the call in the argument-parsing words, before any rule, with nothing stored.
     */
    @Test
    void storeSecretsKeepsEveryAccessVariantAndRefusesOneSerdeCannotRead() throws IOException {
        List<String> variants = List.of(
                logic("Or", List.of("\"AllowAll\"", accountPattern("a\\\\.near"))),
                not("{\"Whitelist\":{\"accounts\":[\"bob.near\",\"0123456789abcdef.x-y_z\"]}}"),
                "\"AllowAll\"",
                "{\"Whitelist\":{\"accounts\":[]}}",
                accountPattern(".*\\\\.gov\\\\.near"),
                "{\"NearBalance\":{\"operator\":\"Gte\",\"value\":\"10000000000000000000000000\"}}",
                "{\"FtBalance\":{\"contract\":\"usdc.near\",\"operator\":\"Ne\",\"value\":\"1\"}}",
                "{\"NftOwned\":{\"contract\":\"nft.near\",\"token_id\":null}}",
                "{\"DaoMember\":{\"dao_contract\":\"dao.sputnik-dao.near\",\"role\":\"council\"}}",
                "{\"ValidUntil\":{\"until_ns\":\"18446744073709551615\"}}");
        for (int i = 0; i < variants.size(); i++) {
            ok(storeKey(String.valueOf(i + 1), variants.get(i), DEPOSIT));
            assertThat(JsonCodec.MAPPER
                            .readTree(secretRow(String.valueOf(i + 1)))
                            .path("access"))
                    .isEqualTo(JsonCodec.MAPPER.readTree(variants.get(i)));
        }

        long storage = outlayerStorage();
        List<List<String>> refused = List.of(
                List.of("{\"Blacklist\":{\"accounts\":[\"bob.near\"]}}", UNKNOWN_CONDITION + "`access`"),
                List.of(logic("And", List.of("\"AllowAll\"", "\"Everyone\"")), UNKNOWN_CONDITION + "`conditions`"),
                List.of(not("\"Predecessor\""), UNKNOWN_CONDITION + "`condition`"),
                List.of("{\"Whitelist\":{}}", "missing field `accounts`"),
                List.of("{\"NearBalance\":{\"operator\":\"Gte\"}}", "missing field `value`"),
                List.of("{\"Logic\":{\"conditions\":[]}}", "missing field `operator`"),
                List.of(
                        "{\"Whitelist\":{\"accounts\":[\"bob.near\",\"Bob.near\"]}}",
                        "invalid account id for field `accounts`"),
                List.of(
                        not("{\"Whitelist\":{\"accounts\":[\"bob..near\"]}}"),
                        "invalid account id for field `accounts`"),
                List.of("{\"Whitelist\":[\"bob.near\"]}", "invalid type: expected a map for field `Whitelist`"),
                List.of(
                        "{\"AllowAll\":null,\"Not\":{\"condition\":\"AllowAll\"}}",
                        "invalid type: expected an externally tagged enum for field `access`"),
                List.of(
                        "{\"Logic\":{\"operator\":\"Xor\",\"conditions\":[]}}",
                        "unknown variant, expected `And` or `Or` for field `operator`"),
                List.of(
                        "{\"ValidUntil\":{\"until_ns\":1760000000000000000}}",
                        "invalid type: expected a string for field `until_ns`"),
                List.of(
                        "{\"ValidUntil\":{\"until_ns\":\"18446744073709551616\"}}",
                        "number out of range for field `until_ns`"),
                List.of(
                        "{\"FtBalance\":{\"contract\":\"usdc.near_\",\"operator\":\"Gte\",\"value\":\"1\"}}",
                        "invalid account id for field `contract`"));
        for (List<String> pair : refused) {
            assertThat(failure(storeKey("11", pair.get(0), DEPOSIT)))
                    .as(pair.get(0))
                    .endsWith(PARSE + pair.get(1));
        }
        assertThat(failure(storeKey("0", "{\"Whitelist\":{}}", DEPOSIT)))
                .as("the argument is parsed before the nonce rule")
                .endsWith(PARSE + "missing field `accounts`");
        assertThat(secretRow("11")).isEqualTo("null");
        assertThat(nextNonce(ALICE)).isEqualTo("11");
        assertThat(outlayerStorage()).isEqualTo(storage);
    }

    /** What a row of profile "1" owned by alice costs with {@code access}: see the 202 bytes of AllowAll. */
    private static BigInteger priced(String access) {
        return PER_BYTE.multiply(BigInteger.valueOf(192 + access.length()));
    }

    private TxOutcome updateAccess(String caller, String profile, String access, BigInteger deposit) {
        return call(
                OUTLAYER,
                caller,
                "update_access",
                "{\"accessor\":" + SYSTEM + ",\"profile\":\"" + profile + "\",\"new_access\":" + access + "}",
                deposit);
    }

    private static boolean refundsAlice(TxOutcome tree) {
        return tree.receiptsOutcome().stream()
                .anyMatch(o -> o.executorId().equals(ALICE) && o.predecessorId().equals(OUTLAYER));
    }

    /**
     * secrets.rs update_access at out-layer/outlayer b65db3a, which takes a payment key like any secret: only the
     * owner's own row (another caller finds none), the new condition parsed and bounded as a store's, the row
     * re-priced with the deposit it holds counted: a same-size edit costs nothing, growth asks for the growth in
     * OutLayer's words, narrowing refunds; the ciphertext and created_at stay, a refused edit changes nothing.
     */
    @Test
    void updateAccessRepricesTheOwnersPaymentKeyForItsNewCondition() throws IOException {
        String aaa = "{\"Whitelist\":{\"accounts\":[\"aaa.near\"]}}";
        String bbb = "{\"Whitelist\":{\"accounts\":[\"bbb.near\"]}}";
        String wide = "{\"Whitelist\":{\"accounts\":[\"bbb.near\",\"ccc.near\",\"ddd.near\"]}}";
        ok(storeKey("1", aaa, DEPOSIT));
        JsonNode stored = JsonCodec.MAPPER.readTree(secretRow("1"));
        assertThat(stored.path("storage_deposit").asText())
                .isEqualTo(priced(aaa).toString());
        now.addAndGet(5_000);

        TxOutcome same = updateAccess(ALICE, "01", bbb, BigInteger.ZERO);
        ok(same);
        assertThat(logs(same))
                .containsExactly(
                        "Access control updated: accessor=System(PaymentKey), profile=1, deposit=" + priced(bbb));
        JsonNode row = JsonCodec.MAPPER.readTree(secretRow("1"));
        assertThat(row.path("access")).isEqualTo(JsonCodec.MAPPER.readTree(bbb));
        assertThat(row.path("storage_deposit").asText()).isEqualTo(priced(aaa).toString());
        assertThat(row.path("encrypted_secrets").asText()).isEqualTo(BLOB);
        assertThat(row.path("created_at")).isEqualTo(stored.path("created_at"));
        assertThat(row.path("updated_at").asLong())
                .isGreaterThan(stored.path("updated_at").asLong());
        assertThat(refundsAlice(same)).as("nothing to refund").isFalse();

        String before = secretRow("1");
        long storage = outlayerStorage();
        assertThat(failure(updateAccess(ALICE, "1", wide, BigInteger.ZERO)))
                .endsWith("Insufficient deposit for this condition. Required: " + priced(wide)
                        + " yoctoNEAR, available (attached 0 + already held " + priced(bbb) + "): " + priced(bbb)
                        + " yoctoNEAR");
        assertThat(failure(updateAccess(OPERATOR, "1", bbb, DEPOSIT)))
                .as("another account's key")
                .endsWith("Secrets not found");
        assertThat(failure(updateAccess(ALICE, "1", "{\"Whitelist\":{\"accounts\":[\"B\"]}}", DEPOSIT)))
                .endsWith(PARSE + "invalid account id for field `accounts`");
        assertThat(failure(updateAccess(ALICE, "1", "\"Everyone\"", DEPOSIT)))
                .endsWith(PARSE + UNKNOWN_CONDITION + "`new_access`");
        assertThat(failure(updateAccess(ALICE, "1", logic("Or", accountPatterns(17)), DEPOSIT)))
                .endsWith("the condition holds 17 AccountPattern leaves; at most 16 are judged");
        assertThat(secretRow("1")).isEqualTo(before);
        assertThat(outlayerStorage()).isEqualTo(storage);

        TxOutcome grown = updateAccess(ALICE, "1", wide, DEPOSIT);
        ok(grown);
        assertThat(JsonCodec.MAPPER
                        .readTree(secretRow("1"))
                        .path("storage_deposit")
                        .asText())
                .isEqualTo(priced(wide).toString());
        assertThat(refundsAlice(grown))
                .as("the attached deposit beyond the growth")
                .isTrue();

        TxOutcome narrowed = updateAccess(ALICE, "1", "\"AllowAll\"", BigInteger.ZERO);
        ok(narrowed);
        assertThat(JsonCodec.MAPPER
                        .readTree(secretRow("1"))
                        .path("storage_deposit")
                        .asText())
                .isEqualTo(priced("\"AllowAll\"").toString());
        assertThat(refundsAlice(narrowed)).as("the difference back").isTrue();
    }

    @Test
    void aTopUpByFtTransferCallYieldsUntilTheOperatorResumesItWithTheReencryptedSecret() throws IOException {
        ok(storeKey("7", DEPOSIT));

        TxOutcome transfer = topUp(7, 250_000);

        assertThat(transfer.finalStatus()).as("parked on the yield").isInstanceOf(ExecutionStatus.Unknown.class);
        JsonNode event = systemEvent(transfer);
        JsonNode topUp = event.path("data").path(0).path("TopUpPaymentKey");
        assertThat(topUp.path("amount").asText()).isEqualTo("250000");
        assertThat(topUp.path("encrypted_data").asText()).isEqualTo(BLOB);
        assertThat(logs(transfer)).contains("TopUp requested: owner=alice.test.near, nonce=7, amount=250000");
        String dataId = dataIdHex(event, "TopUpPaymentKey");
        assertThat(failure(call(
                        OUTLAYER,
                        ALICE,
                        "resume_topup",
                        "{\"data_id\":\"" + dataId
                                + "\",\"result\":{\"Success\":{\"new_encrypted_data\":\"Zm9yZ2Vk\"}}}",
                        BigInteger.ZERO)))
                .contains("Only operator can resume topup");

        TxOutcome resumed = call(
                OUTLAYER,
                OPERATOR,
                "resume_topup",
                "{\"data_id\":\"" + dataId + "\",\"result\":{\"Success\":{\"new_encrypted_data\":\"bmV3LWJsb2I=\"}}}",
                BigInteger.ZERO);

        ok(resumed);
        assertThat(logs(resumed)).contains("TopUp yield resumed: data_id=" + dataId);
        assertThat(logs(transfer)).contains("Payment key topped up: owner=alice.test.near, nonce=7, amount=250000");
        assertThat(text(((ExecutionStatus.SuccessValue) transfer.finalStatus()).value()))
                .as("ft_resolve_transfer: all of it was used")
                .isEqualTo("\"250000\"");
        assertThat(balance(OUTLAYER)).isEqualTo("\"250000\"");
        assertThat(JsonCodec.MAPPER
                        .readTree(view(
                                OUTLAYER,
                                "get_secrets",
                                "{\"accessor\":" + SYSTEM + ",\"profile\":\"7\",\"owner\":\"" + ALICE + "\"}"))
                        .path("encrypted_secrets")
                        .asText())
                .isEqualTo("bmV3LWJsb2I=");
    }

    @Test
    void aFailedTopUpRefundsTheTokensAndKeepsTheSecret() throws IOException {
        ok(storeKey("7", DEPOSIT));
        TxOutcome transfer = topUp(7, 250_000);
        String dataId = dataIdHex(systemEvent(transfer), "TopUpPaymentKey");

        ok(call(
                OUTLAYER,
                OPERATOR,
                "resume_topup",
                "{\"data_id\":\"" + dataId + "\",\"result\":{\"Error\":{\"message\":\"cannot decrypt\"}}}",
                BigInteger.ZERO));

        assertThat(logs(transfer)).contains("TopUp failed: owner=alice.test.near, nonce=7, error=cannot decrypt");
        assertThat(text(((ExecutionStatus.SuccessValue) transfer.finalStatus()).value()))
                .isEqualTo("\"0\"");
        assertThat(balance(OUTLAYER)).isEqualTo("\"0\"");
        assertThat(balance(ALICE)).isEqualTo("\"1000000000\"");
    }

    @Test
    void aTopUpOfAnUnknownKeyOrBelowTheMinimumIsRefundedAtOnce() {
        ok(storeKey("7", DEPOSIT));

        TxOutcome unknown = topUp(8, 250_000);
        TxOutcome small = topUp(7, 9_999);

        assertThat(logs(unknown)).noneMatch(l -> l.contains("system_event"));
        assertThat(text(((ExecutionStatus.SuccessValue) unknown.finalStatus()).value()))
                .isEqualTo("\"0\"");
        assertThat(text(((ExecutionStatus.SuccessValue) small.finalStatus()).value()))
                .isEqualTo("\"0\"");
        assertThat(balance(ALICE)).isEqualTo("\"1000000000\"");
    }

    @Test
    void deletePaymentKeyRemovesTheSecretOnceTheOperatorResumesWithSuccess() throws IOException {
        ok(storeKey("7", DEPOSIT));
        assertThat(failure(call(OUTLAYER, ALICE, "delete_payment_key", "{\"nonce\":7}", BigInteger.ZERO)))
                .contains("Requires attached deposit of at least 1 yoctoNEAR");

        TxOutcome deletion = call(OUTLAYER, ALICE, "delete_payment_key", "{\"nonce\":7}", BigInteger.ONE);

        JsonNode event = systemEvent(deletion);
        JsonNode body = event.path("data").path(0).path("DeletePaymentKey");
        assertThat(body.path("owner").asText()).isEqualTo(ALICE);
        assertThat(body.path("nonce").asLong()).isEqualTo(7);
        ok(call(
                OUTLAYER,
                OPERATOR,
                "resume_delete_payment_key",
                "{\"data_id\":\"" + dataIdHex(event, "DeletePaymentKey") + "\",\"result\":\"Success\"}",
                BigInteger.ZERO));
        assertThat(logs(deletion)).contains("Payment key deleted: owner=alice.test.near, nonce=7");
        assertThat(view(
                        OUTLAYER,
                        "get_secrets",
                        "{\"accessor\":" + SYSTEM + ",\"profile\":\"7\",\"owner\":\"" + ALICE + "\"}"))
                .isEqualTo("null");
    }

    private String nextNonce(String account) {
        return view(OUTLAYER, "get_next_payment_key_nonce", "{\"account_id\":\"" + account + "\"}");
    }

    /**
     * get_next_payment_key_nonce (views.rs as of out-layer/outlayer b65db3a's secrets.rs, which keeps no nonce
     * floor): the owner's highest live payment-key nonce + 1, 1 for an owner with none; a refused store adds
     * nothing, and a deleted highest nonce is offered again, its index entry gone with the row.
     */
    @Test
    void theNextNonceIsOneAboveTheOwnersHighestLiveKey() throws IOException {
        assertThat(nextNonce(ALICE)).isEqualTo("1");
        long emptyStorage = simulator.account(OUTLAYER).orElseThrow().read(AccountState.Snapshot::storageUsage);
        ok(storeKey("07", DEPOSIT));
        ok(storeKey("3", DEPOSIT));
        failure(storeKey("0", DEPOSIT));
        failure(storeKey("7", DEPOSIT));
        assertThat(nextNonce(ALICE)).isEqualTo("8");
        assertThat(nextNonce(OPERATOR))
                .as("another owner's keys are not counted")
                .isEqualTo("1");

        for (long nonce : List.of(7L, 3L)) {
            deleteKey(nonce);
            assertThat(nextNonce(ALICE)).as("after deleting %d", nonce).isEqualTo(nonce == 7 ? "4" : "1");
        }
        assertThat(simulator.account(OUTLAYER).orElseThrow().read(AccountState.Snapshot::storageUsage))
                .as("the last key's deletion leaves no index behind")
                .isEqualTo(emptyStorage);
        Outcome invalid = simulator.execute(
                CallRequest.view(OUTLAYER, "get_next_payment_key_nonce", utf8("{\"account_id\":\"A\"}")));
        assertThat(invalid.success()).isFalse();
    }

    /**
     * A payment key's profile is its nonce, filed under its decimal spelling (secrets.rs canonical_profile at
     * out-layer/outlayer b65db3a, applied before the profile rules): {@code 01} is row {@code 1}, where a top-up
     * and delete_payment_key look, and {@code +1} names that row again rather than a second key, which a key
     * written once refuses (store_secrets_internal) with nothing changed; deleted, the nonce can be stored again.
     */
    @Test
    void aNonceIsOneRowWhateverItsSpelling() throws IOException {
        TxOutcome stored = storeKey("01", DEPOSIT);

        ok(stored);
        assertThat(logs(stored))
                .contains("Secrets stored: accessor=System(PaymentKey), profile=1, owner=alice.test.near, deposit="
                        + PER_BYTE.multiply(BigInteger.valueOf(202)) + " yoctoNEAR");
        String row = "{\"accessor\":" + SYSTEM + ",\"profile\":\"1\",\"owner\":\"" + ALICE + "\"}";
        assertThat(JsonCodec.MAPPER
                        .readTree(view(OUTLAYER, "get_secrets", row))
                        .path("encrypted_secrets")
                        .asText())
                .isEqualTo(BLOB);

        String before = view(OUTLAYER, "get_secrets", row);
        AccountState contract = simulator.account(OUTLAYER).orElseThrow();
        long storage = contract.read(AccountState.Snapshot::storageUsage);
        BigInteger alice = simulator.account(ALICE).orElseThrow().balance();

        TxOutcome again = call(
                OUTLAYER,
                ALICE,
                "store_secrets",
                "{\"accessor\":" + SYSTEM + ",\"profile\":\"+1\",\"encrypted_secrets_base64\":\"bmV3LWJsb2I=\","
                        + "\"access\":\"AllowAll\"}",
                DEPOSIT);

        assertThat(failure(again))
                .endsWith(
                        "Payment key already exists for this nonce. A payment key cannot be rewritten \u2014 delete it"
                                + " first, or use a new nonce.");
        assertThat(logs(again)).isEmpty();
        assertThat(view(OUTLAYER, "get_secrets", row.replace("\"1\"", "\"0001\"")))
                .isEqualTo(before);
        assertThat(contract.read(AccountState.Snapshot::storageUsage)).isEqualTo(storage);
        assertThat(alice.subtract(simulator.account(ALICE).orElseThrow().balance()))
                .as("the attached deposit came back: only gas was spent")
                .isLessThan(DEPOSIT.divide(BigInteger.TEN));

        deleteKey(1);
        assertThat(view(OUTLAYER, "get_secrets", row.replace("\"1\"", "\"01\"")))
                .isEqualTo("null");
        ok(storeKey("1", DEPOSIT));
    }

    private static final String VAULT = "vault.alice.near";

    private TxOutcome storeKey(String profile, String vaultIdJson) {
        return storeKey(profile, "\"AllowAll\"", ",\"vault_id\":" + vaultIdJson, DEPOSIT);
    }

    private static String row(String profile) {
        return "{\"accessor\":" + SYSTEM + ",\"profile\":\"" + profile + "\",\"owner\":\"" + ALICE + "\"}";
    }

    private String estimate(String profile, String vaultIdJson) {
        return view(
                OUTLAYER,
                "estimate_storage_cost",
                "{\"accessor\":" + SYSTEM + ",\"profile\":\"" + profile + "\",\"owner\":\"" + ALICE
                        + "\",\"encrypted_secrets_base64\":\"" + BLOB + "\",\"access\":\"AllowAll\",\"vault_id\":"
                        + vaultIdJson + "}");
    }

    /** {@code method} {accessor, profile} on the caller's own payment key at {@code profile} */
    private TxOutcome ownKeyCall(String method, String caller, String profile, BigInteger deposit) {
        return call(OUTLAYER, caller, method, "{\"accessor\":" + SYSTEM + ",\"profile\":\"" + profile + "\"}", deposit);
    }

    private TxOutcome unbind(String caller, String profile, BigInteger deposit) {
        return ownKeyCall("unbind_secret_vault", caller, profile, deposit);
    }

    private void deleteKey(long nonce) throws IOException {
        TxOutcome deletion = call(OUTLAYER, ALICE, "delete_payment_key", "{\"nonce\":" + nonce + "}", BigInteger.ONE);
        ok(call(
                OUTLAYER,
                OPERATOR,
                "resume_delete_payment_key",
                "{\"data_id\":\"" + dataIdHex(systemEvent(deletion), "DeletePaymentKey") + "\",\"result\":\"Success\"}",
                BigInteger.ZERO));
    }

    /**
     * store_secrets' vault_id (secrets.rs at out-layer/outlayer b65db3a): Some(v) binds the row to vault v in
     * secret_vault_bindings, and calculate_secret_storage_size adds BASE 40 + the key + 4 + 64 bytes for the
     * binding, whether it is given or already there (estimate_storage_cost with vault_id null quotes a bound row
     * as its store priced it); null binds nothing. Views get_secret_vault (the vault or null) and
     * get_secret_with_vault ({profile, vault_id}, the vault only beside a secret), both by the profile's one
     * spelling.
     */
    @Test
    void aVaultIdBindsTheKeyAndTheDepositPaysForTheBinding() throws IOException {
        // 202 bytes unbound (see above) + binding 40 + key 26 + 4 + 64 = 336
        BigInteger bound = PER_BYTE.multiply(BigInteger.valueOf(336));
        assertThat(estimate("7", "\"" + VAULT + "\"")).isEqualTo("\"" + bound + "\"");

        TxOutcome stored = storeKey("07", "\"" + VAULT + "\"");

        ok(stored);
        assertThat(logs(stored))
                .contains("Secrets stored: accessor=System(PaymentKey), profile=7, owner=alice.test.near, deposit="
                        + bound + " yoctoNEAR");
        assertThat(view(OUTLAYER, "get_secret_vault", row("7"))).isEqualTo("\"" + VAULT + "\"");
        assertThat(view(OUTLAYER, "get_secret_vault", row("+7"))).isEqualTo("\"" + VAULT + "\"");
        JsonNode both = JsonCodec.MAPPER.readTree(view(OUTLAYER, "get_secret_with_vault", row("7")));
        assertThat(both.fieldNames()).toIterable().containsExactly("profile", "vault_id");
        assertThat(both.path("profile")).isEqualTo(JsonCodec.MAPPER.readTree(view(OUTLAYER, "get_secrets", row("7"))));
        assertThat(both.path("profile").path("storage_deposit").asText()).isEqualTo(bound.toString());
        assertThat(both.path("vault_id").asText()).isEqualTo(VAULT);
        assertThat(estimate("7", "null"))
                .as("a row already bound is priced with its binding")
                .isEqualTo("\"" + bound + "\"");
        // update_access prices the row as a store does, its binding counted: an unchanged condition costs and refunds
        // nothing
        TxOutcome sameCondition = updateAccess(ALICE, "7", "\"AllowAll\"", BigInteger.ZERO);
        ok(sameCondition);
        assertThat(logs(sameCondition))
                .containsExactly("Access control updated: accessor=System(PaymentKey), profile=7, deposit=" + bound);
        assertThat(refundsAlice(sameCondition)).isFalse();

        ok(storeKey("8", "null"));
        assertThat(view(OUTLAYER, "get_secret_vault", row("8"))).isEqualTo("null");
        assertThat(view(OUTLAYER, "get_secret_with_vault", row("8"))).endsWith(",\"vault_id\":null}");
        assertThat(view(OUTLAYER, "get_secret_with_vault", row("9"))).isEqualTo("{\"profile\":null,\"vault_id\":null}");
    }

    /**
     * A vault_id that is not an AccountId is refused as near-sdk refuses the argument, and a store refused for any
     * reason binds nothing (a failed call changes no state); unbind_secret_vault (b65db3a) takes the caller's own
     * row only ({@code secret not found or not owned by caller}), no deposit (near-sdk's non-payable refusal),
     * drops the binding and leaves the row and its deposit as they are, and is idempotent.
     */
    @Test
    void aBindingIsRefusedBadlyNamedAndUnboundOnlyByItsOwner() throws IOException {
        assertThat(failure(storeKey("7", "\"Vault.Alice\""))).contains("Failed to deserialize input from JSON.");
        assertThat(view(OUTLAYER, "get_secrets", row("7"))).isEqualTo("null");
        failure(storeKey("0", "\"" + VAULT + "\""));
        assertThat(view(OUTLAYER, "get_secret_vault", row("0"))).isEqualTo("null");
        ok(storeKey("7", "null"));
        failure(storeKey("7", "\"" + VAULT + "\""));
        assertThat(view(OUTLAYER, "get_secret_vault", row("7")))
                .as("a refused re-store binds nothing")
                .isEqualTo("null");

        ok(storeKey("5", "\"" + VAULT + "\""));
        String before = view(OUTLAYER, "get_secrets", row("5"));
        assertThat(failure(unbind(OPERATOR, "5", BigInteger.ZERO))).endsWith("secret not found or not owned by caller");
        assertThat(failure(unbind(ALICE, "6", BigInteger.ZERO))).endsWith("secret not found or not owned by caller");
        assertThat(failure(unbind(ALICE, "5", BigInteger.ONE)))
                .endsWith("Method unbind_secret_vault doesn't accept deposit");
        assertThat(view(OUTLAYER, "get_secret_vault", row("5"))).isEqualTo("\"" + VAULT + "\"");

        ok(unbind(ALICE, "05", BigInteger.ZERO));

        assertThat(view(OUTLAYER, "get_secret_vault", row("5"))).isEqualTo("null");
        assertThat(view(OUTLAYER, "get_secrets", row("5")))
                .as("the row and its deposit stay")
                .isEqualTo(before);
        ok(unbind(ALICE, "5", BigInteger.ZERO));
        ok(unbind(ALICE, "7", BigInteger.ZERO));
    }

    /**
     * on_delete_payment_key_response removes the secret through delete_secrets_internal, which drops its vault
     * binding with it (payment.rs at out-layer/outlayer 024d54b, secrets.rs at b65db3a): deleting a bound key frees
     * the binding's record too ("V" + owner + ":" + nonce, 18 bytes, its vault's 16, NEAR's 40 a record) beyond
     * what deleting an unbound one frees, and the nonce stored again without a vault_id is unbound.
     */
    @Test
    void deletingAPaymentKeyDropsItsBinding() throws IOException {
        ok(storeKey("7", "\"" + VAULT + "\""));
        ok(storeKey("8", "null"));
        ok(storeKey("9", "null")); // keeps the owner's nonce index, so each deletion shrinks it alike

        long beforeBound = outlayerStorage();
        deleteKey(7);
        long freedBound = beforeBound - outlayerStorage();
        long beforeUnbound = outlayerStorage();
        deleteKey(8);
        long freedUnbound = beforeUnbound - outlayerStorage();

        assertThat(freedBound - freedUnbound)
                .as("the binding's record went with the key")
                .isEqualTo(18 + 16 + 40);
        assertThat(view(OUTLAYER, "get_secret_vault", row("7"))).isEqualTo("null");
        ok(storeKey("7", "null"));
        assertThat(view(OUTLAYER, "get_secret_with_vault", row("7"))).endsWith(",\"vault_id\":null}");
    }

    private String listSecrets(String args) {
        return view(OUTLAYER, "list_user_secrets", args);
    }

    /** the profiles list_user_secrets answers {@code args} with, in its order */
    private List<String> listedProfiles(String args) throws IOException {
        List<String> profiles = new ArrayList<>();
        JsonCodec.MAPPER
                .readTree(listSecrets(args))
                .forEach(info -> profiles.add(info.path("profile").asText()));
        return profiles;
    }

    private static final String ALICES = "{\"account_id\":\"" + ALICE + "\"";

    /**
     * list_user_secrets (secrets.rs at out-layer/outlayer b65db3a): a page of the owner's user_secrets_index as
     * UserSecretInfo {accessor, profile, created_at, updated_at, storage_deposit, access} in serde's field order, in
     * the order near-sdk's collections::UnorderedSet iterates (insertion order, a removal moving the last entry into
     * its place); from_index and limit absent or null are 0 and 100, a from_index at or past the end is an empty
     * page, from_index is cast to wasm32's 32-bit usize, and a limit is capped at 500 before the page is counted.
     */
    @Test
    void listUserSecretsPagesTheOwnersKeysInTheirSetsOrder() throws IOException {
        assertThat(listSecrets(ALICES + "}")).isEqualTo("[]");
        String whitelist = "{\"Whitelist\":{\"accounts\":[\"bob.near\"]}}";
        ok(storeKey("1", DEPOSIT));
        ok(storeKey("02", whitelist, DEPOSIT));
        ok(storeKey("3", DEPOSIT));
        ok(storeKey("4", DEPOSIT));

        JsonNode second = JsonCodec.MAPPER.readTree(secretRow("2"));
        assertThat(listSecrets(ALICES + ",\"from_index\":1,\"limit\":1}"))
                .isEqualTo("[{\"accessor\":" + SYSTEM + ",\"profile\":\"2\",\"created_at\":"
                        + second.path("created_at") + ",\"updated_at\":" + second.path("updated_at")
                        + ",\"storage_deposit\":\"" + priced(whitelist) + "\",\"access\":" + whitelist + "}]");
        assertThat(listedProfiles(ALICES + "}")).containsExactly("1", "2", "3", "4");

        deleteKey(2);

        assertThat(listedProfiles(ALICES + "}"))
                .as("the last entry takes the removed one's place")
                .containsExactly("1", "4", "3");
        assertThat(listedProfiles(ALICES + ",\"from_index\":null,\"limit\":null}"))
                .containsExactly("1", "4", "3");
        assertThat(listedProfiles(ALICES + ",\"from_index\":2}")).containsExactly("3");
        for (String past : List.of("3", "1000")) {
            assertThat(listSecrets(ALICES + ",\"from_index\":" + past + "}")).isEqualTo("[]");
        }
        assertThat(listSecrets(ALICES + ",\"limit\":0}")).isEqualTo("[]");
        assertThat(listedProfiles(ALICES + ",\"from_index\":4294967297}"))
                .as("from_index as usize on wasm32: 2^32 + 1 is 1")
                .containsExactly("4", "3");
        assertThat(listedProfiles(ALICES + ",\"from_index\":1,\"limit\":18446744073709551615}"))
                .as("u64::MAX is capped at 500 before the page's end is counted")
                .containsExactly("4", "3");
        assertThat(listSecrets("{\"account_id\":\"" + OPERATOR + "\"}")).isEqualTo("[]");
        for (String bad :
                List.of("{}", "{\"account_id\":\"A\"}", ALICES + ",\"from_index\":\"1\"}", ALICES + ",\"limit\":-1}")) {
            Outcome refused = simulator.execute(CallRequest.view(OUTLAYER, "list_user_secrets", utf8(bad)));
            assertThat(refused.success()).as(bad).isFalse();
            assertThat(refused.errorMessage()).as(bad).contains("Failed to deserialize input from JSON.");
        }
    }

    /**
     * list_user_secrets' page sizes (b65db3a: {@code limit.unwrap_or(100).min(500)}): 100 when no limit is named,
     * the rest on the next page, and no more than 500 however many are asked for.
     */
    @Test
    void listUserSecretsGivesAHundredUnlessAskedAndNeverMoreThanFiveHundred() throws IOException {
        int keys = 501;
        for (int nonce = 1; nonce <= keys; nonce++) {
            ok(storeKey(Integer.toString(nonce), DEPOSIT));
        }

        List<String> first = listedProfiles(ALICES + "}");
        assertThat(first).hasSize(100).startsWith("1").endsWith("100");
        assertThat(listedProfiles(ALICES + ",\"from_index\":500}")).containsExactly("501");
        List<String> most = listedProfiles(ALICES + ",\"limit\":501}");
        assertThat(most).hasSize(500).startsWith("1").endsWith("500");
    }

    private TxOutcome deleteSecrets(String caller, String profile, BigInteger deposit) {
        return ownKeyCall("delete_secrets", caller, profile, deposit);
    }

    /**
     * delete_secrets (secrets.rs at out-layer/outlayer b65db3a) refuses no accessor, so it takes a payment key: the
     * caller's own row by the profile's one spelling, through delete_secrets_internal (the row, its vault binding and
     * its index entry gone, its deposit refunded, {@code Refunded N yoctoNEAR}), then {@code Secrets deleted: ...};
     * no system_event. Another account's key or a missing one is {@code Secrets not found}, a deposit near-sdk's
     * non-payable refusal, nothing changed. secrets_exist answers by the profile's one spelling.
     */
    @Test
    void deleteSecretsTakesAPaymentKeyWithItsBindingAndIndexEntryAndRefundsIt() throws IOException {
        ok(storeKey("6", "null"));
        long storage = outlayerStorage();
        ok(storeKey("5", "\"" + VAULT + "\""));
        assertThat(view(OUTLAYER, "secrets_exist", row("05"))).isEqualTo("true");
        assertThat(view(OUTLAYER, "secrets_exist", row("7"))).isEqualTo("false");
        assertThat(view(OUTLAYER, "secrets_exist", row("5").replace(ALICE, OPERATOR)))
                .isEqualTo("false");

        String before = secretRow("5");
        assertThat(failure(deleteSecrets(OPERATOR, "5", BigInteger.ZERO))).endsWith("Secrets not found");
        assertThat(failure(deleteSecrets(ALICE, "7", BigInteger.ZERO))).endsWith("Secrets not found");
        assertThat(failure(deleteSecrets(ALICE, "5", BigInteger.ONE)))
                .endsWith("Method delete_secrets doesn't accept deposit");
        assertThat(secretRow("5")).isEqualTo(before);
        assertThat(view(OUTLAYER, "get_secret_vault", row("5"))).isEqualTo("\"" + VAULT + "\"");

        TxOutcome deleted = deleteSecrets(ALICE, "+5", BigInteger.ZERO);

        ok(deleted);
        assertThat(logs(deleted))
                .containsExactly(
                        "Refunded " + PER_BYTE.multiply(BigInteger.valueOf(336)) + " yoctoNEAR",
                        "Secrets deleted: accessor=System(PaymentKey), profile=5, owner=alice.test.near");
        assertThat(refundsAlice(deleted)).isTrue();
        assertThat(view(OUTLAYER, "secrets_exist", row("5"))).isEqualTo("false");
        assertThat(view(OUTLAYER, "get_secret_vault", row("5"))).isEqualTo("null");
        assertThat(listedProfiles(ALICES + "}")).containsExactly("6");
        assertThat(nextNonce(ALICE)).isEqualTo("7");
        assertThat(outlayerStorage())
                .as("the row, its binding and its index entry are gone")
                .isEqualTo(storage);
    }
}
