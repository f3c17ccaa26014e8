package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.contracts.AccessKey;
import dev.outlayer.bench.targetsystem.contracts.Action;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.contracts.Fee;
import dev.outlayer.bench.targetsystem.contracts.SimulatorChainView;
import dev.outlayer.bench.targetsystem.rpc.Base58;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import dev.outlayer.bench.targetsystem.rpc.NearRpcEmulator;
import dev.outlayer.bench.targetsystem.testing.HangGuard;
import dev.outlayer.bench.targetsystem.transactions.AccountsFeeder;
import dev.outlayer.bench.targetsystem.transactions.TransactionEngine;
import dev.outlayer.bench.targetsystem.transactions.TransactionLimits;
import dev.outlayer.bench.targetsystem.transactions.TransactionSigner;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * NEP-611 gas keys (GasKeys, stable at protocol 85) as access keys, through signed transactions and
 * the RPC: AddKey with a gas-key permission, TransferToGasKey, DeleteKey and DeleteAccount of gas
 * keys, their views, fees and storage as nearcore's runtime/runtime/src/access_keys.rs, config.rs
 * and action_validation.rs.
 */
class GasKeysRpcTest {
    private static final long GENESIS_MILLIS = 1_700_000_000_000L;
    private static final long BLOCK_MILLIS = 1_000;
    private static final BigInteger NEAR = new BigInteger("1000000000000000000000000");
    private static final String COUNTER = "counter.test.near";
    private static final TransactionSigner ALICE = TransactionSigner.fromSeed("alice.test.near", seed(1));
    private static final TransactionSigner GAS_KEY = TransactionSigner.fromSeed("alice.test.near", seed(5));
    private static final TransactionSigner BOB = TransactionSigner.fromSeed("bob.test.near", seed(2));

    private final AtomicLong now = new AtomicLong(GENESIS_MILLIS + 10 * BLOCK_MILLIS + 500);
    private final BlockClock clock = new BlockClock(GENESIS_MILLIS, BLOCK_MILLIS, now::get);

    @AutoClose
    private ContractSimulator simulator;

    private NearRpcEmulator rpc;
    private long aliceNonce;

    private static byte[] seed(int value) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) value);
        return seed;
    }

    @BeforeEach
    void start() throws IOException {
        simulator = new ContractSimulator(true, clock);
        simulator.deploy(
                COUNTER,
                java.nio.file.Files.readAllBytes(dev.outlayer.bench.targetsystem.linux.TestPrograms.root()
                        .resolve("resources/contracts/counter.wasm")));
        SimulatorTransactionChain chain = new SimulatorTransactionChain(simulator);
        AccountsFeeder.seed(
                List.of(
                        new AccountsFeeder.Seed(ALICE.signerId(), ALICE.publicKey(), NEAR.multiply(BigInteger.TEN)),
                        new AccountsFeeder.Seed(BOB.signerId(), BOB.publicKey(), NEAR.multiply(BigInteger.TEN))),
                chain);
        rpc = new NearRpcEmulator(
                clock,
                "outlayer-test",
                new SimulatorChainView(simulator),
                // The wait timeout bounds waits that answer as soon as they can: 100 ms ran out on a loaded machine.
                new TransactionEngine(clock, chain, TransactionLimits.PINNED, 2_000));
    }

    private byte[] finalBlock() {
        return Base58.decode(clock.hash(clock.latestHeight() - 2));
    }

    private JsonNode call(String method, String params) {
        return RpcNode.call(rpc, method, params);
    }

    /** Alice signs {@code actions} to {@code receiver} with her full-access key; the whole result. */
    private JsonNode alice(String receiver, Action... actions) {
        return send(ALICE.sign(receiver, ++aliceNonce, finalBlock(), List.of(actions)));
    }

    private JsonNode send(byte[] signed) {
        return call(
                "send_tx",
                "{\"signed_tx_base64\":\"" + Base64.getEncoder().encodeToString(signed)
                        + "\",\"wait_until\":\"EXECUTED_OPTIMISTIC\"}");
    }

    private JsonNode accessKey(PublicKeyHolder key) {
        return call(
                "query",
                "{\"request_type\":\"view_access_key\",\"finality\":\"optimistic\",\"account_id\":\"alice.test.near\","
                        + "\"public_key\":\"" + key.text + "\"}");
    }

    private record PublicKeyHolder(String text) {}

    private static final PublicKeyHolder GAS_PK =
            new PublicKeyHolder(GAS_KEY.publicKey().toString());

    private long storageUsage(String account) {
        return call(
                        "query",
                        "{\"request_type\":\"view_account\",\"finality\":\"optimistic\",\"account_id\":\"" + account
                                + "\"}")
                .at("/result/storage_usage")
                .asLong();
    }

    private BigInteger balance(String account) {
        return simulator.account(account).orElseThrow().balance();
    }

    private static AccessKey gasKeyFullAccess(int numNonces) {
        return new AccessKey(0, new AccessKey.GasKeyFullAccess(new AccessKey.GasKeyInfo(BigInteger.ZERO, numNonces)));
    }

    private static void succeeded(JsonNode reply) {
        assertThat(reply.at("/result/status/SuccessValue").isTextual())
                .as("%s", reply)
                .isTrue();
    }

    private static JsonNode actionError(JsonNode reply) {
        JsonNode error = reply.at("/result/status/Failure/ActionError/kind");
        assertThat(error.isObject()).as("%s", reply).isTrue();
        return error;
    }

    private static JsonNode invalidTx(JsonNode reply) {
        assertThat(reply.at("/error/cause/name").asText()).as("%s", reply).isEqualTo("INVALID_TRANSACTION");
        return reply.at("/error/data/TxExecutionError/InvalidTxError");
    }

    private static long exec(JsonNode reply) {
        return reply.at("/result/receipts_outcome/0/outcome/gas_burnt").asLong();
    }

    @Test
    void anAddedGasKeyPaysForItsNonceSlotsTakesTheirStorageAndViewsAsNearcore() {
        long storageBefore = storageUsage(ALICE.signerId());
        JsonNode added = alice(ALICE.signerId(), new Action.AddKey(GAS_KEY.publicKey(), gasKeyFullAccess(3)));
        succeeded(added);

        // config.rs permission_send_fees: the full-access key's fee and GasKeyInfo's 18 bytes
        assertThat(added.at("/result/transaction_outcome/outcome/gas_burnt").asLong())
                .isEqualTo(Fee.action_receipt_creation.sendSir
                        + Fee.action_add_full_access_key.sendSir
                        + 18 * Fee.action_gas_key_byte.sendSir);
        // permission_exec_fees: per slot nonce_write_base and its key (1 + "alice.test.near" + 1 + 33 + 2)
        // and u64 value at gas_key_byte
        long slotBytes = 1 + 15 + 1 + 33 + 2 + 8;
        assertThat(exec(added))
                .isEqualTo(Fee.action_receipt_creation.execution
                        + Fee.action_add_full_access_key.execution
                        + 3
                                * (Fee.action_gas_key_nonce_write_base.execution
                                        + slotBytes * Fee.action_gas_key_byte.execution));
        // access_keys.rs gas_key_storage_cost: 3 slots of (33 + 2 + 8 + 40), the key (33), the
        // GasKeyFullAccess value (8 + 1 + 16 + 2) and its 40
        assertThat(storageUsage(ALICE.signerId()) - storageBefore).isEqualTo(3 * (33 + 2 + 8 + 40) + 33 + 27 + 40);

        JsonNode view = accessKey(GAS_PK).get("result");
        assertThat(view.get("nonce").asLong())
                .as("a gas key's own nonce stays 0")
                .isZero();
        assertThat(view.get("permission").toString())
                .isEqualTo("{\"GasKeyFullAccess\":{\"balance\":\"0\",\"num_nonces\":3}}");

        AccessKey.FunctionCallPermission counterOnly =
                new AccessKey.FunctionCallPermission(null, "counter.test.near", List.of("increment"));
        TransactionSigner callKey = TransactionSigner.fromSeed(ALICE.signerId(), seed(6));
        succeeded(alice(
                ALICE.signerId(),
                new Action.AddKey(
                        callKey.publicKey(),
                        new AccessKey(
                                0,
                                new AccessKey.GasKeyFunctionCall(
                                        new AccessKey.GasKeyInfo(BigInteger.ZERO, 2), counterOnly)))));
        JsonNode list = call(
                "query",
                "{\"request_type\":\"view_access_key_list\",\"finality\":\"optimistic\",\"account_id\":\"alice.test.near\"}");
        assertThat(list.at("/result/keys").toString())
                .contains("{\"access_key\":{\"nonce\":0,\"permission\":"
                        + "{\"GasKeyFunctionCall\":{\"allowance\":null,\"balance\":\"0\",\"method_names\":[\"increment\"],"
                        + "\"num_nonces\":2,\"receiver_id\":\"counter.test.near\"}}},\"public_key\":\""
                        + callKey.publicKey()
                        + "\"}")
                .contains("\"GasKeyFullAccess\"");
    }

    @Test
    void addKeyActionsValidateAGasKeyAsNearcore() {
        JsonNode none = invalidTx(alice(ALICE.signerId(), new Action.AddKey(GAS_KEY.publicKey(), gasKeyFullAccess(0))));
        assertThat(none.at("/ActionsValidation/GasKeyInvalidNumNonces/requested_nonces")
                        .asInt())
                .as("%s", none)
                .isZero();
        assertThat(none.at("/ActionsValidation/GasKeyInvalidNumNonces/limit").asInt())
                .isEqualTo(1024);
        JsonNode many =
                invalidTx(alice(ALICE.signerId(), new Action.AddKey(GAS_KEY.publicKey(), gasKeyFullAccess(1025))));
        assertThat(many.at("/ActionsValidation/GasKeyInvalidNumNonces/requested_nonces")
                        .asInt())
                .isEqualTo(1025);
        JsonNode allowance = invalidTx(alice(
                ALICE.signerId(),
                new Action.AddKey(
                        GAS_KEY.publicKey(),
                        new AccessKey(
                                0,
                                new AccessKey.GasKeyFunctionCall(
                                        new AccessKey.GasKeyInfo(BigInteger.ZERO, 1),
                                        new AccessKey.FunctionCallPermission(
                                                BigInteger.ONE, "counter.test.near", List.of()))))));
        assertThat(allowance.at("/ActionsValidation").toString())
                .isEqualTo("\"GasKeyFunctionCallAllowanceNotAllowed\"");
        JsonNode funded = invalidTx(alice(
                ALICE.signerId(),
                new Action.AddKey(
                        GAS_KEY.publicKey(),
                        new AccessKey(0, new AccessKey.GasKeyFullAccess(new AccessKey.GasKeyInfo(NEAR, 1))))));
        assertThat(funded.at("/ActionsValidation/AddGasKeyWithNonZeroBalance/balance")
                        .asText())
                .isEqualTo(NEAR.toString());
        assertThat(accessKey(GAS_PK).at("/result/error").asText()).contains("does not exist");
    }

    @Test
    void transferToGasKeyFundsTheKeyFromTheSendersBalanceAndFailsForAKeyThatIsNoGasKey() {
        succeeded(alice(ALICE.signerId(), new Action.AddKey(GAS_KEY.publicKey(), gasKeyFullAccess(2))));
        BigInteger half = NEAR.divide(BigInteger.TWO);
        BigInteger before = balance(ALICE.signerId());
        JsonNode funded = alice(ALICE.signerId(), new Action.TransferToGasKey(GAS_KEY.publicKey(), half));
        succeeded(funded);
        assertThat(funded.at("/result/transaction/actions/0").toString())
                .isEqualTo("{\"TransferToGasKey\":{\"deposit\":\"" + half + "\",\"public_key\":\"" + GAS_KEY.publicKey()
                        + "\"}}");
        // config.rs gas_key_transfer_send_fee / _exec_fee: base, gas_key_byte per byte of the key sent and,
        // executed, of the access key's trie key (1 + 15 + 1 + 33) and the smallest gas key (27)
        long burnt = funded.at("/result/transaction_outcome/outcome/gas_burnt").asLong();
        assertThat(burnt)
                .isEqualTo(Fee.action_receipt_creation.sendSir
                        + Fee.action_gas_key_transfer.sendSir
                        + 33 * Fee.action_gas_key_byte.sendSir);
        long executed = exec(funded);
        assertThat(executed)
                .isEqualTo(Fee.action_receipt_creation.execution
                        + Fee.action_gas_key_transfer.execution
                        + (50 + 27) * Fee.action_gas_key_byte.execution);
        assertThat(accessKey(GAS_PK)
                        .at("/result/permission/GasKeyFullAccess/balance")
                        .asText())
                .isEqualTo(half.toString());
        assertThat(balance(ALICE.signerId()))
                .as("the deposit and the gas from the account")
                .isEqualTo(
                        before.subtract(half).subtract(Fee.GAS_PRICE.multiply(BigInteger.valueOf(burnt + executed))));

        // Anyone may fund a gas key (check_actor_permissions lets TransferToGasKey through).
        JsonNode fromBob = send(BOB.sign(
                ALICE.signerId(), 1, finalBlock(), List.of(new Action.TransferToGasKey(GAS_KEY.publicKey(), half))));
        assertThat(fromBob.at("/result/receipts_outcome/0/outcome/status/SuccessValue")
                        .isTextual())
                .as("%s", fromBob)
                .isTrue();
        assertThat(accessKey(GAS_PK)
                        .at("/result/permission/GasKeyFullAccess/balance")
                        .asText())
                .isEqualTo(NEAR.toString());

        BigInteger aliceBefore = balance(ALICE.signerId());
        JsonNode notGas = alice(ALICE.signerId(), new Action.TransferToGasKey(ALICE.publicKey(), half));
        JsonNode kind = actionError(notGas);
        assertThat(kind.at("/GasKeyDoesNotExist/account_id").asText()).isEqualTo(ALICE.signerId());
        assertThat(kind.at("/GasKeyDoesNotExist/public_key").asText())
                .isEqualTo(ALICE.publicKey().toString());
        assertThat(balance(ALICE.signerId()))
                .as("the deposit comes back, only gas is spent")
                .isGreaterThan(aliceBefore.subtract(half));
        assertThat(accessKey(new PublicKeyHolder(ALICE.publicKey().toString()))
                        .at("/result/permission")
                        .asText())
                .isEqualTo("FullAccess");
    }

    @Test
    void withdrawFromGasKeyMovesTheKeysBalanceToItsOwnAccountOnly() {
        succeeded(alice(
                ALICE.signerId(),
                new Action.AddKey(GAS_KEY.publicKey(), gasKeyFullAccess(2)),
                new Action.TransferToGasKey(GAS_KEY.publicKey(), NEAR)));
        BigInteger part = NEAR.multiply(BigInteger.TWO).divide(BigInteger.valueOf(5));
        BigInteger before = balance(ALICE.signerId());
        JsonNode withdrawn = alice(ALICE.signerId(), new Action.WithdrawFromGasKey(GAS_KEY.publicKey(), part));
        succeeded(withdrawn);
        // views.rs ActionView::WithdrawFromGasKey { public_key, amount }
        assertThat(withdrawn.at("/result/transaction/actions/0").toString())
                .isEqualTo("{\"WithdrawFromGasKey\":{\"amount\":\"" + part + "\",\"public_key\":\""
                        + GAS_KEY.publicKey() + "\"}}");
        // config.rs: the gas_key_transfer fees, as a TransferToGasKey's
        long burnt =
                withdrawn.at("/result/transaction_outcome/outcome/gas_burnt").asLong();
        assertThat(burnt)
                .isEqualTo(Fee.action_receipt_creation.sendSir
                        + Fee.action_gas_key_transfer.sendSir
                        + 33 * Fee.action_gas_key_byte.sendSir);
        long executed = exec(withdrawn);
        assertThat(executed)
                .isEqualTo(Fee.action_receipt_creation.execution
                        + Fee.action_gas_key_transfer.execution
                        + (50 + 27) * Fee.action_gas_key_byte.execution);
        assertThat(accessKey(GAS_PK)
                        .at("/result/permission/GasKeyFullAccess/balance")
                        .asText())
                .isEqualTo(NEAR.subtract(part).toString());
        assertThat(balance(ALICE.signerId()))
                .as("the amount to the account, the gas from it")
                .isEqualTo(before.add(part).subtract(Fee.GAS_PRICE.multiply(BigInteger.valueOf(burnt + executed))));

        // More than the key holds: InsufficientGasKeyBalance, the key and the account keep their tokens
        BigInteger left = NEAR.subtract(part);
        BigInteger beforeShort = balance(ALICE.signerId());
        JsonNode tooMuch = alice(ALICE.signerId(), new Action.WithdrawFromGasKey(GAS_KEY.publicKey(), NEAR));
        JsonNode shortKind = actionError(tooMuch).get("InsufficientGasKeyBalance");
        assertThat(shortKind.toString())
                .isEqualTo("{\"account_id\":\"alice.test.near\",\"balance\":\"" + left + "\",\"public_key\":\""
                        + GAS_KEY.publicKey() + "\",\"required\":\"" + NEAR + "\"}");
        assertThat(accessKey(GAS_PK)
                        .at("/result/permission/GasKeyFullAccess/balance")
                        .asText())
                .isEqualTo(left.toString());
        assertThat(balance(ALICE.signerId()))
                .as("only the gas is spent")
                .isLessThan(beforeShort)
                .isGreaterThan(beforeShort.subtract(NEAR.divide(BigInteger.valueOf(1000))));

        // A key that is no gas key: GasKeyDoesNotExist
        JsonNode notGas = actionError(alice(ALICE.signerId(), new Action.WithdrawFromGasKey(ALICE.publicKey(), part)));
        assertThat(notGas.at("/GasKeyDoesNotExist/public_key").asText())
                .isEqualTo(ALICE.publicKey().toString());

        // Only the account itself withdraws (actions.rs check_actor_permissions): ActorNoPermission for Bob
        JsonNode fromBob = send(BOB.sign(
                ALICE.signerId(), 1, finalBlock(), List.of(new Action.WithdrawFromGasKey(GAS_KEY.publicKey(), part))));
        JsonNode denied = fromBob.at("/result/status/Failure/ActionError/kind/ActorNoPermission");
        assertThat(denied.toString())
                .as("%s", fromBob)
                .isEqualTo("{\"account_id\":\"alice.test.near\",\"actor_id\":\"bob.test.near\"}");
        assertThat(accessKey(GAS_PK)
                        .at("/result/permission/GasKeyFullAccess/balance")
                        .asText())
                .isEqualTo(left.toString());
    }

    @Test
    void aWithdrawFromGasKeyIsBorshAction13() {
        byte[] signed = ALICE.sign(
                ALICE.signerId(),
                1,
                finalBlock(),
                List.of(new Action.WithdrawFromGasKey(GAS_KEY.publicKey(), BigInteger.valueOf(258))));
        // core/primitives/src/action/mod.rs: Action::WithdrawFromGasKey is variant 13, then the
        // public key (curve byte, 32 bytes) and the u128 amount, little-endian
        byte[] expected = new byte[1 + 33 + 16];
        expected[0] = 13;
        System.arraycopy(GAS_KEY.publicKey().toBorsh(), 0, expected, 1, 33);
        expected[34] = 2;
        expected[35] = 1;
        assertThat(indexOf(signed, expected))
                .as("the action's Borsh in the signed transaction")
                .isPositive();
        // read back as a withdrawal: from a key Alice does not have
        JsonNode sent = send(signed);
        assertThat(actionError(sent).at("/GasKeyDoesNotExist/public_key").asText())
                .isEqualTo(GAS_KEY.publicKey().toString());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void deletingAGasKeyBurnsItsBalanceOfAtMostOneNearAndFreesItsSlots() {
        long storageBefore = storageUsage(ALICE.signerId());
        succeeded(alice(ALICE.signerId(), new Action.AddKey(GAS_KEY.publicKey(), gasKeyFullAccess(4))));
        BigInteger tooMuch = NEAR.add(BigInteger.ONE);
        succeeded(alice(ALICE.signerId(), new Action.TransferToGasKey(GAS_KEY.publicKey(), tooMuch)));

        JsonNode refused = actionError(alice(ALICE.signerId(), new Action.DeleteKey(GAS_KEY.publicKey())));
        assertThat(refused.at("/GasKeyBalanceTooHigh/public_key").asText())
                .isEqualTo(GAS_KEY.publicKey().toString());
        assertThat(refused.at("/GasKeyBalanceTooHigh/balance").asText()).isEqualTo(tooMuch.toString());
        assertThat(accessKey(GAS_PK)
                        .at("/result/permission/GasKeyFullAccess/num_nonces")
                        .asInt())
                .isEqualTo(4);

        // A key just at 1 NEAR: deleted, its balance burnt with the receipt's gas
        TransactionSigner smaller = TransactionSigner.fromSeed(ALICE.signerId(), seed(8));
        succeeded(alice(
                ALICE.signerId(),
                new Action.AddKey(smaller.publicKey(), gasKeyFullAccess(1)),
                new Action.TransferToGasKey(smaller.publicKey(), NEAR)));
        byte[] slot = dev.outlayer.bench.targetsystem.state.TrieKeys.gasKeyNonce(
                ALICE.signerId(), smaller.publicKey().toBorsh(), 0);
        assertThat(simulator.stateTrie().current().get(slot).value())
                .as("the slot is a trie record of its own")
                .isNotNull();
        JsonNode deleted = alice(ALICE.signerId(), new Action.DeleteKey(smaller.publicKey()));
        succeeded(deleted);
        BigInteger gasTokens = Fee.GAS_PRICE.multiply(BigInteger.valueOf(exec(deleted)));
        assertThat(deleted.at("/result/receipts_outcome/0/outcome/tokens_burnt").asText())
                .isEqualTo(NEAR.add(gasTokens).toString());
        assertThat(simulator.stateTrie().current().get(slot).value())
                .as("remove_gas_key_nonce")
                .isNull();
        assertThat(storageUsage(ALICE.signerId()) - storageBefore)
                .as("only the first gas key's storage is left")
                .isEqualTo(4 * (33 + 2 + 8 + 40) + 33 + 27 + 40);
    }

    @Test
    void aPatchedKeyOverAGasKeyTakesItsNonceSlotsAlong() {
        long storageBefore = storageUsage(ALICE.signerId());
        succeeded(alice(ALICE.signerId(), new Action.AddKey(GAS_KEY.publicKey(), gasKeyFullAccess(2))));
        byte[] slot = dev.outlayer.bench.targetsystem.state.TrieKeys.gasKeyNonce(
                ALICE.signerId(), GAS_KEY.publicKey().toBorsh(), 1);
        assertThat(simulator.stateTrie().current().get(slot).value()).isNotNull();
        JsonNode patched = call(
                "sandbox_patch_state",
                "{\"records\":[{\"AccessKey\":{\"account_id\":\"alice.test.near\",\"public_key\":\""
                        + GAS_KEY.publicKey() + "\",\"access_key\":{\"nonce\":0,\"permission\":\"FullAccess\"}}}]}");
        assertThat(patched.get("result").toString()).as("%s", patched).isEqualTo("{}");
        assertThat(simulator.stateTrie().current().get(slot).value()).isNull();
        assertThat(accessKey(GAS_PK).at("/result/permission").asText()).isEqualTo("FullAccess");
        assertThat(storageUsage(ALICE.signerId()) - storageBefore)
                .as("a full-access key's 33 + 9 + 40")
                .isEqualTo(82);
    }

    /**
     * view_access_key of each permission, view_access_key_list and view_gas_key_nonces, byte for byte
     * (member order included): what the view records render must stay what clients parse today.
     */
    @Test
    void accessKeyViewsAnswerInTheirExactJson() {
        TransactionSigner limited = TransactionSigner.fromSeed(ALICE.signerId(), seed(6));
        TransactionSigner unlimited = TransactionSigner.fromSeed(ALICE.signerId(), seed(7));
        TransactionSigner gasLimited = TransactionSigner.fromSeed(ALICE.signerId(), seed(9));
        String functionCall = "{\"receiver_id\":\"" + COUNTER + "\",\"method_names\":[\"increment\",\"get_num\"]";
        JsonNode patched = patch(
                "{\"AccessKey\":{\"account_id\":\"alice.test.near\",\"public_key\":\"" + limited.publicKey()
                        + "\",\"access_key\":{\"nonce\":18446744073709551615,\"permission\":{\"FunctionCall\":"
                        + functionCall + ",\"allowance\":\"250\"}}}}}",
                "{\"AccessKey\":{\"account_id\":\"alice.test.near\",\"public_key\":\"" + unlimited.publicKey()
                        + "\",\"access_key\":{\"nonce\":7,\"permission\":{\"FunctionCall\":{\"allowance\":null,"
                        + "\"receiver_id\":\"" + COUNTER + "\",\"method_names\":[]}}}}}",
                gasKeyRecord(GAS_KEY, "{\"GasKeyFullAccess\":{\"balance\":\"" + NEAR + "\",\"num_nonces\":2}}"),
                slotRecord(GAS_KEY, 0, 500),
                slotRecord(GAS_KEY, 1, 9_007_199_254_740_993L),
                gasKeyRecord(
                        gasLimited,
                        "{\"GasKeyFunctionCall\":[{\"balance\":\"5\",\"num_nonces\":1}," + functionCall
                                + ",\"allowance\":null}]}"),
                slotRecord(gasLimited, 0, 1));
        assertThat(patched.get("result")).as("%s", patched).hasToString("{}");
        long head = clock.latestHeight();
        // nearcore sends each result as a serde_json Value: every object sorted by key
        String block = "\"block_hash\":\"" + clock.hash(head) + "\",\"block_height\":" + head;
        assertThat(accessKeyView(ALICE)).isEqualTo("{" + block + ",\"nonce\":0,\"permission\":\"FullAccess\"}");
        assertThat(accessKeyView(limited))
                .isEqualTo(
                        "{" + block
                                + ",\"nonce\":18446744073709551615,\"permission\":{\"FunctionCall\":{\"allowance\":\"250\",\"method_names\":[\"increment\",\"get_num\"],\"receiver_id\":\"counter.test.near\"}}}");
        assertThat(accessKeyView(unlimited))
                .isEqualTo(
                        "{" + block
                                + ",\"nonce\":7,\"permission\":{\"FunctionCall\":{\"allowance\":null,\"method_names\":[],\"receiver_id\":\"counter.test.near\"}}}");
        assertThat(accessKeyView(GAS_KEY))
                .isEqualTo(
                        "{" + block
                                + ",\"nonce\":0,\"permission\":{\"GasKeyFullAccess\":{\"balance\":\"1000000000000000000000000\",\"num_nonces\":2}}}");
        assertThat(accessKeyView(gasLimited))
                .isEqualTo(
                        "{" + block
                                + ",\"nonce\":0,\"permission\":{\"GasKeyFunctionCall\":{\"allowance\":null,\"balance\":\"5\",\"method_names\":[\"increment\",\"get_num\"],\"num_nonces\":1,\"receiver_id\":\"counter.test.near\"}}}");
        assertThat(rawQuery("\"request_type\":\"view_access_key_list\",\"account_id\":\"alice.test.near\""))
                .as("in the keys' Borsh order")
                .isEqualTo("{" + block
                        + ",\"keys\":[{\"access_key\":{\"nonce\":0,\"permission\":{\"GasKeyFullAccess\":{\"balance\":\"1000000000000000000000000\",\"num_nonces\":2}}},\"public_key\":\""
                        + GAS_KEY.publicKey()
                        + "\"},{\"access_key\":{\"nonce\":18446744073709551615,\"permission\":{\"FunctionCall\":{\"allowance\":\"250\",\"method_names\":[\"increment\",\"get_num\"],\"receiver_id\":\"counter.test.near\"}}},\"public_key\":\""
                        + limited.publicKey()
                        + "\"},{\"access_key\":{\"nonce\":0,\"permission\":\"FullAccess\"},\"public_key\":\""
                        + ALICE.publicKey()
                        + "\"},{\"access_key\":{\"nonce\":7,\"permission\":{\"FunctionCall\":{\"allowance\":null,\"method_names\":[],\"receiver_id\":\"counter.test.near\"}}},\"public_key\":\""
                        + unlimited.publicKey()
                        + "\"},{\"access_key\":{\"nonce\":0,\"permission\":{\"GasKeyFunctionCall\":{\"allowance\":null,\"balance\":\"5\",\"method_names\":[\"increment\",\"get_num\"],\"num_nonces\":1,\"receiver_id\":\"counter.test.near\"}}},\"public_key\":\""
                        + gasLimited.publicKey()
                        + "\"}]}");
        assertThat(rawQuery(
                        "\"request_type\":\"view_gas_key_nonces\",\"account_id\":\"alice.test.near\",\"public_key\":\""
                                + GAS_KEY.publicKey() + "\""))
                .isEqualTo("{" + block + ",\"nonces\":[500,9007199254740993]}");
    }

    private String accessKeyView(TransactionSigner key) {
        return rawQuery("\"request_type\":\"view_access_key\",\"account_id\":\"alice.test.near\",\"public_key\":\""
                + key.publicKey() + "\"");
    }

    /** One query at the optimistic head: the result's bytes as sent, as text. */
    private String rawQuery(String request) {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"query\",\"params\":{\"finality\":\"optimistic\","
                + request + "}}";
        String answer = new String(
                rpc.handle(body.getBytes(StandardCharsets.UTF_8), null).body(), StandardCharsets.UTF_8);
        String envelope = "{\"jsonrpc\":\"2.0\",\"result\":";
        assertThat(answer).startsWith(envelope).endsWith(",\"id\":1}");
        return answer.substring(envelope.length(), answer.length() - ",\"id\":1}".length());
    }

    private JsonNode patch(String... records) {
        return call("sandbox_patch_state", "{\"records\":[" + String.join(",", records) + "]}");
    }

    private static String gasKeyRecord(TransactionSigner key, String permission) {
        return "{\"AccessKey\":{\"account_id\":\"" + key.signerId() + "\",\"public_key\":\"" + key.publicKey()
                + "\",\"access_key\":{\"nonce\":0,\"permission\":" + permission + "}}}";
    }

    private static String slotRecord(TransactionSigner key, int index, long nonce) {
        return "{\"GasKeyNonce\":{\"account_id\":\"" + key.signerId() + "\",\"public_key\":\"" + key.publicKey()
                + "\",\"index\":" + index + ",\"nonce\":" + nonce + "}}";
    }

    @Test
    void aPatchedGasKeyTakesItsSlotsFromGasKeyNonceRecordsAndSigns() {
        String fullAccess = "{\"GasKeyFullAccess\":{\"balance\":\"" + NEAR + "\",\"num_nonces\":2}}";
        // state_record.rs StateRecord::GasKeyNonce, before or after its AccessKey record
        JsonNode patched =
                patch(slotRecord(GAS_KEY, 1, 700), gasKeyRecord(GAS_KEY, fullAccess), slotRecord(GAS_KEY, 0, 500));
        assertThat(patched.get("result").toString()).as("%s", patched).isEqualTo("{}");
        assertThat(gasKeyBalance()).isEqualTo(NEAR);
        assertThat(gasKeyNonces(GAS_KEY)).containsExactly(500L, 700L);

        JsonNode signed = send(GAS_KEY.signV1(
                BOB.signerId(), 701, 1, false, finalBlock(), List.of(new Action.Transfer(BigInteger.ONE))));
        assertThat(signed.at("/result/status/SuccessValue").isTextual())
                .as("%s", signed)
                .isTrue();
        assertThat(gasKeyNonces(GAS_KEY)).containsExactly(500L, 701L);
        assertThat(gasKeyBalance()).as("the gas from the patched balance").isLessThan(NEAR);

        // A slot record alone sets that slot of the stored gas key
        assertThat(patch(slotRecord(GAS_KEY, 0, 900)).get("result").toString()).isEqualTo("{}");
        assertThat(gasKeyNonces(GAS_KEY)).containsExactly(900L, 701L);

        // GasKeyFunctionCall is serde's tuple variant: [GasKeyInfo, FunctionCallPermission]
        TransactionSigner limited = TransactionSigner.fromSeed(ALICE.signerId(), seed(9));
        String functionCall = "{\"GasKeyFunctionCall\":[{\"balance\":\"5\",\"num_nonces\":1},"
                + "{\"allowance\":null,\"receiver_id\":\"" + COUNTER + "\",\"method_names\":[\"increment\"]}]}";
        assertThat(patch(gasKeyRecord(limited, functionCall), slotRecord(limited, 0, 1))
                        .get("result")
                        .toString())
                .isEqualTo("{}");
        JsonNode view = accessKey(new PublicKeyHolder(limited.publicKey().toString()));
        assertThat(view.at("/result/permission/GasKeyFunctionCall/balance").asText())
                .as("%s", view)
                .isEqualTo("5");
        assertThat(view.at("/result/permission/GasKeyFunctionCall/receiver_id").asText())
                .isEqualTo(COUNTER);
        assertThat(gasKeyNonces(limited)).containsExactly(1L);
    }

    @Test
    void aGasKeyPatchWithoutANonceForEachSlotIsRefusedAndChangesNothing() {
        String twoSlots = "{\"GasKeyFullAccess\":{\"balance\":\"0\",\"num_nonces\":2}}";
        JsonNode missing = patch(gasKeyRecord(GAS_KEY, twoSlots), slotRecord(GAS_KEY, 0, 5));
        assertThat(missing.at("/error/cause/name").asText()).as("%s", missing).isEqualTo("PARSE_ERROR");
        assertThat(missing.toString()).contains("no nonce for slot 1");
        assertThat(accessKey(GAS_PK).at("/result/error").isTextual())
                .as("nothing stored")
                .isTrue();

        JsonNode past = patch(
                gasKeyRecord(GAS_KEY, twoSlots),
                slotRecord(GAS_KEY, 0, 5),
                slotRecord(GAS_KEY, 1, 5),
                slotRecord(GAS_KEY, 2, 5));
        assertThat(past.toString()).as("%s", past).contains("slot 2 is past the 2 slots");
        JsonNode plain = patch(slotRecord(ALICE, 0, 5));
        assertThat(plain.toString()).as("%s", plain).contains("has no gas key");
        assertThat(accessKey(GAS_PK).at("/result/error").isTextual()).isTrue();
        JsonNode badInfo = patch(gasKeyRecord(GAS_KEY, "{\"GasKeyFullAccess\":{\"balance\":5,\"num_nonces\":70000}}"));
        assertThat(badInfo.toString()).as("%s", badInfo).contains("expected a u16");
    }

    @Test
    void deletingAnAccountBurnsItsGasKeysBalancesOfAtMostOneNearInAll() {
        String sub = "sub.alice.test.near";
        TransactionSigner subKey = TransactionSigner.fromSeed(sub, seed(3));
        TransactionSigner subGas = TransactionSigner.fromSeed(sub, seed(4));
        succeeded(alice(
                sub,
                new Action.CreateAccount(),
                new Action.Transfer(NEAR),
                new Action.AddKey(subKey.publicKey(), AccessKey.fullAccess(0)),
                new Action.AddKey(subGas.publicKey(), gasKeyFullAccess(1))));
        succeeded(alice(sub, new Action.TransferToGasKey(subGas.publicKey(), NEAR.add(BigInteger.TEN))));

        long subNonce = call(
                        "query",
                        "{\"request_type\":\"view_access_key\",\"finality\":\"optimistic\",\"account_id\":\"" + sub
                                + "\",\"public_key\":\"" + subKey.publicKey() + "\"}")
                .at("/result/nonce")
                .asLong();
        JsonNode refused =
                send(subKey.sign(sub, ++subNonce, finalBlock(), List.of(new Action.DeleteAccount(ALICE.signerId()))));
        JsonNode kind = actionError(refused);
        assertThat(kind.at("/GasKeyBalanceTooHigh/public_key").isNull())
                .as("%s", kind)
                .isTrue();
        assertThat(kind.at("/GasKeyBalanceTooHigh/balance").asText())
                .isEqualTo(NEAR.add(BigInteger.TEN).toString());
        assertThat(simulator.account(sub)).isPresent();
    }

    @Test
    void aPlainTransactionSignedWithAGasKeyIsInvalidNonceIndex() {
        succeeded(alice(ALICE.signerId(), new Action.AddKey(GAS_KEY.publicKey(), gasKeyFullAccess(3))));
        succeeded(alice(ALICE.signerId(), new Action.TransferToGasKey(GAS_KEY.publicKey(), NEAR)));
        BigInteger before = balance(ALICE.signerId());

        JsonNode refused = invalidTx(send(GAS_KEY.sign(
                ALICE.signerId(), Long.MAX_VALUE / 2, finalBlock(), List.of(new Action.Transfer(BigInteger.ONE)))));
        // verify_and_charge_tx_ephemeral: before the nonce is looked at
        assertThat(refused.toString()).isEqualTo("{\"InvalidNonceIndex\":{\"num_nonces\":3,\"tx_nonce_index\":null}}");
        assertThat(balance(ALICE.signerId())).isEqualTo(before);
        assertThat(accessKey(GAS_PK)
                        .at("/result/permission/GasKeyFullAccess/balance")
                        .asText())
                .isEqualTo(NEAR.toString());

        // A (version 1) delegate action has a plain nonce too: actions.rs validate_delegate_action_key
        Action.Delegate delegated = GAS_KEY.delegate(
                BOB.signerId(), 1, clock.latestHeight() + 100, List.of(new Action.Transfer(BigInteger.ONE)));
        JsonNode relayed = send(BOB.sign(ALICE.signerId(), 1, finalBlock(), List.of(delegated)));
        JsonNode kind = relayed.at("/result/receipts_outcome/0/outcome/status/Failure/ActionError/kind");
        assertThat(kind.toString())
                .as("%s", relayed)
                .isEqualTo("{\"DelegateActionAccessKeyError\":\"DelegateActionRequiresNonGasKey\"}");
    }

    private List<Long> gasKeyNonces(TransactionSigner key) {
        JsonNode reply = call(
                "query",
                "{\"request_type\":\"view_gas_key_nonces\",\"finality\":\"optimistic\",\"account_id\":\""
                        + key.signerId() + "\",\"public_key\":\"" + key.publicKey() + "\"}");
        List<Long> nonces = new java.util.ArrayList<>();
        reply.at("/result/nonces").forEach(n -> nonces.add(n.asLong()));
        assertThat(nonces).as("%s", reply).isNotEmpty();
        return nonces;
    }

    private BigInteger gasKeyBalance() {
        return new BigInteger(accessKey(GAS_PK)
                .at("/result/permission/GasKeyFullAccess/balance")
                .asText());
    }

    private static BigInteger tokensBurnt(JsonNode reply) {
        BigInteger total = new BigInteger(
                reply.at("/result/transaction_outcome/outcome/tokens_burnt").asText());
        for (JsonNode receipt : reply.at("/result/receipts_outcome")) {
            total = total.add(new BigInteger(receipt.at("/outcome/tokens_burnt").asText()));
        }
        return total;
    }

    @Test
    void aTransactionNamingANonceSlotPaysItsGasFromTheGasKeyAndItsDepositFromTheAccount() {
        succeeded(alice(
                ALICE.signerId(),
                new Action.AddKey(GAS_KEY.publicKey(), gasKeyFullAccess(3)),
                new Action.TransferToGasKey(GAS_KEY.publicKey(), NEAR)));
        List<Long> slots = gasKeyNonces(GAS_KEY);
        assertThat(slots).hasSize(3).containsOnly(slots.get(0));
        long first = slots.get(0);

        BigInteger account = balance(ALICE.signerId());
        BigInteger key = gasKeyBalance();
        JsonNode transfer = send(GAS_KEY.signV1(
                BOB.signerId(), first + 1, 0, false, finalBlock(), List.of(new Action.Transfer(BigInteger.TEN))));
        assertThat(transfer.at("/result/receipts_outcome/0/outcome/status/SuccessValue")
                        .isTextual())
                .as("%s", transfer)
                .isTrue();
        assertThat(transfer.at("/result/transaction/nonce_index").asInt()).isZero();
        long gas = transfer.at("/result/transaction_outcome/outcome/gas_burnt").asLong()
                + transfer.at("/result/receipts_outcome/0/outcome/gas_burnt").asLong();
        assertThat(balance(ALICE.signerId())).as("only the deposit").isEqualTo(account.subtract(BigInteger.TEN));
        assertThat(gasKeyBalance())
                .as("the gas, at the gas price")
                .isEqualTo(key.subtract(Fee.GAS_PRICE.multiply(BigInteger.valueOf(gas))));
        assertThat(gasKeyNonces(GAS_KEY)).containsExactly(first + 1, first, first);

        // Another slot goes on from its own nonce: parallel senders share one key.
        JsonNode other = send(GAS_KEY.signV1(
                BOB.signerId(), first + 1, 2, false, finalBlock(), List.of(new Action.Transfer(BigInteger.ONE))));
        assertThat(other.at("/result/status/SuccessValue").isTextual())
                .as("%s", other)
                .isTrue();
        assertThat(gasKeyNonces(GAS_KEY)).containsExactly(first + 1, first, first + 1);

        JsonNode reused = invalidTx(send(GAS_KEY.signV1(
                BOB.signerId(), first + 1, 0, false, finalBlock(), List.of(new Action.Transfer(BigInteger.ONE)))));
        assertThat(reused.at("/InvalidNonce/ak_nonce").asLong())
                .as("%s", reused)
                .isEqualTo(first + 1);
        JsonNode noSlot = invalidTx(send(GAS_KEY.signV1(
                BOB.signerId(), first + 1, 3, false, finalBlock(), List.of(new Action.Transfer(BigInteger.ONE)))));
        assertThat(noSlot.toString()).isEqualTo("{\"InvalidNonceIndex\":{\"num_nonces\":3,\"tx_nonce_index\":3}}");
        JsonNode strict = invalidTx(send(GAS_KEY.signV1(
                BOB.signerId(), first + 3, 1, true, finalBlock(), List.of(new Action.Transfer(BigInteger.ONE)))));
        assertThat(strict.at("/InvalidNonce/ak_nonce").asLong())
                .as("strict: exactly the slot's next nonce")
                .isEqualTo(first);

        BigInteger keyBefore = gasKeyBalance();
        BigInteger accountBefore = balance(ALICE.signerId());
        JsonNode poor = invalidTx(send(GAS_KEY.signV1(
                BOB.signerId(),
                first + 1,
                1,
                false,
                finalBlock(),
                List.of(new Action.Transfer(NEAR.multiply(BigInteger.valueOf(100)))))));
        assertThat(poor.at("/NotEnoughBalanceForDeposit/reason").asText())
                .as("%s", poor)
                .isEqualTo("NotEnoughBalance");
        assertThat(poor.at("/NotEnoughBalanceForDeposit/cost").asText())
                .isEqualTo(NEAR.multiply(BigInteger.valueOf(100)).toString());
        assertThat(gasKeyBalance()).isEqualTo(keyBefore);
        assertThat(balance(ALICE.signerId())).isEqualTo(accountBefore);
        assertThat(gasKeyNonces(GAS_KEY)).containsExactly(first + 1, first, first + 1);

        JsonNode regular = invalidTx(send(ALICE.signV1(
                BOB.signerId(), 1_000, 0, false, finalBlock(), List.of(new Action.Transfer(BigInteger.ONE)))));
        assertThat(regular.at("/InvalidAccessKeyError/AccessKeyNotFound/public_key")
                        .asText())
                .as("a key that is no gas key has no slots: %s", regular)
                .isEqualTo(ALICE.publicKey().toString());
    }

    @Test
    void aShortGasKeyIsNotEnoughGasKeyBalanceAndUnusedGasGoesBackToTheKey() {
        succeeded(alice(
                ALICE.signerId(),
                new Action.AddKey(GAS_KEY.publicKey(), gasKeyFullAccess(1)),
                new Action.TransferToGasKey(GAS_KEY.publicKey(), BigInteger.valueOf(1000))));
        long first = gasKeyNonces(GAS_KEY).get(0);
        List<Action> increment = List.of(new Action.FunctionCall(
                "increment", "{}".getBytes(StandardCharsets.UTF_8), 30_000_000_000_000L, BigInteger.ZERO));
        JsonNode short_ = invalidTx(send(GAS_KEY.signV1(COUNTER, first + 1, 0, false, finalBlock(), increment)));
        assertThat(short_.at("/NotEnoughGasKeyBalance/balance").asText())
                .as("%s", short_)
                .isEqualTo("1000");
        assertThat(short_.at("/NotEnoughGasKeyBalance/signer_id").asText()).isEqualTo(ALICE.signerId());

        succeeded(alice(ALICE.signerId(), new Action.TransferToGasKey(GAS_KEY.publicKey(), NEAR)));
        BigInteger key = gasKeyBalance();
        BigInteger account = balance(ALICE.signerId());
        JsonNode called = send(GAS_KEY.signV1(COUNTER, first + 1, 0, false, finalBlock(), increment));
        assertThat(called.at("/result/status/SuccessValue").isTextual())
                .as("%s", called)
                .isTrue();
        assertThat(called.at("/result/receipts_outcome").size())
                .as("the call and its gas refund")
                .isEqualTo(2);
        assertThat(balance(ALICE.signerId())).as("the account pays nothing").isEqualTo(account);
        // lib.rs try_refund_gas_key_balance: the unused gas comes back to the key, which so paid the
        // tokens the tree burnt
        assertThat(gasKeyBalance()).isEqualTo(key.subtract(tokensBurnt(called)));

        JsonNode missing = call(
                "query",
                "{\"request_type\":\"view_gas_key_nonces\",\"finality\":\"optimistic\",\"account_id\":\"alice.test.near\","
                        + "\"public_key\":\"" + ALICE.publicKey() + "\"}");
        assertThat(missing.at("/error/cause/name").asText()).as("%s", missing).isEqualTo("UNKNOWN_GAS_KEY");
    }

    /** Pool order per nonce slot: a gap in one slot waits for the next block, another slot runs at once. */
    @Test
    void aGapInOneSlotWaitsForTheNextBlockWhileAnotherSlotRuns() throws Exception {
        TransactionEngine engine = new TransactionEngine(
                clock, new SimulatorTransactionChain(simulator), TransactionLimits.PINNED, 30_000);
        rpc = new NearRpcEmulator(clock, "outlayer-test", new SimulatorChainView(simulator), engine);
        succeeded(alice(
                ALICE.signerId(),
                new Action.AddKey(GAS_KEY.publicKey(), gasKeyFullAccess(2)),
                new Action.TransferToGasKey(GAS_KEY.publicKey(), NEAR)));
        long first = gasKeyNonces(GAS_KEY).get(0);
        List<Action> transfer = List.of(new Action.Transfer(BigInteger.ONE));
        String gap = Base64.getEncoder()
                .encodeToString(GAS_KEY.signV1(BOB.signerId(), first + 2, 0, false, finalBlock(), transfer));
        call("broadcast_tx_async", "[\"" + gap + "\"]");
        assertThat(engine.pooledTransactions())
                .as("slot 0's nonce leaves a gap")
                .isEqualTo(1);

        JsonNode slotOne = send(GAS_KEY.signV1(BOB.signerId(), first + 1, 1, false, finalBlock(), transfer));
        assertThat(slotOne.at("/result/status/SuccessValue").isTextual())
                .as("%s", slotOne)
                .isTrue();
        JsonNode slotZero = send(GAS_KEY.signV1(BOB.signerId(), first + 1, 0, false, finalBlock(), transfer));
        assertThat(slotZero.at("/result/status/SuccessValue").isTextual())
                .as("%s", slotZero)
                .isTrue();

        now.addAndGet(BLOCK_MILLIS); // the next block takes the pool
        HangGuard.until(() -> gasKeyNonces(GAS_KEY).get(0) >= first + 2);
        assertThat(gasKeyNonces(GAS_KEY)).containsExactly(first + 2, first + 1);
        assertThat(engine.pooledTransactions()).isZero();
    }

    /** NEP-611's DelegateV2: a relayer's transaction carries a delegate action naming a gas key's slot. */
    @Test
    void aDelegateV2NamingASlotRunsAtTheRelayersExpenseAndAdvancesThatSlot() {
        succeeded(alice(
                ALICE.signerId(),
                new Action.AddKey(GAS_KEY.publicKey(), gasKeyFullAccess(2)),
                new Action.TransferToGasKey(GAS_KEY.publicKey(), NEAR)));
        long first = gasKeyNonces(GAS_KEY).get(0);
        BigInteger key = gasKeyBalance();
        List<Action> increment = List.of(new Action.FunctionCall(
                "increment", "{}".getBytes(StandardCharsets.UTF_8), 30_000_000_000_000L, BigInteger.ZERO));
        long height = clock.latestHeight();
        long bobNonce = 0;
        JsonNode relayed = send(BOB.sign(
                ALICE.signerId(),
                ++bobNonce,
                finalBlock(),
                List.of(GAS_KEY.delegateV2(COUNTER, first + 1, 1, height + 100, increment))));
        assertThat(relayed.at("/result/status/SuccessValue").isTextual())
                .as("%s", relayed)
                .isTrue();
        assertThat(relayed.at("/result/transaction/actions/0/DelegateV2/delegate_action/V2/nonce_index")
                        .asInt())
                .isEqualTo(1);
        assertThat(gasKeyNonces(GAS_KEY)).containsExactly(first, first + 1);
        assertThat(gasKeyBalance()).as("the relayer pays").isEqualTo(key);

        JsonNode plain = send(BOB.sign(
                ALICE.signerId(),
                ++bobNonce,
                finalBlock(),
                List.of(ALICE.delegateV2(COUNTER, ++aliceNonce, -1, height + 100, increment))));
        assertThat(plain.at("/result/status/SuccessValue").isTextual())
                .as("%s", plain)
                .isTrue();

        JsonNode noGasKey = send(BOB.sign(
                ALICE.signerId(),
                ++bobNonce,
                finalBlock(),
                List.of(ALICE.delegateV2(COUNTER, 2, 0, height + 100, increment))));
        assertThat(noGasKey.at("/result/receipts_outcome/0/outcome/status/Failure/ActionError/kind")
                        .toString())
                .as("%s", noGasKey)
                .isEqualTo("{\"DelegateActionAccessKeyError\":\"DelegateActionRequiresGasKey\"}");
        JsonNode noSlot = send(BOB.sign(
                ALICE.signerId(),
                ++bobNonce,
                finalBlock(),
                List.of(GAS_KEY.delegateV2(COUNTER, first + 1, 2, height + 100, increment))));
        assertThat(noSlot.at("/result/receipts_outcome/0/outcome/status/Failure/ActionError/kind")
                        .toString())
                .as("%s", noSlot)
                .isEqualTo("{\"DelegateActionInvalidNonceIndex\":{\"nonce_index\":2,\"num_nonces\":2}}");
        JsonNode stale = send(BOB.sign(
                ALICE.signerId(),
                ++bobNonce,
                finalBlock(),
                List.of(GAS_KEY.delegateV2(COUNTER, first + 1, 1, height + 100, increment))));
        assertThat(stale.at(
                                "/result/receipts_outcome/0/outcome/status/Failure/ActionError/kind/DelegateActionInvalidNonce/ak_nonce")
                        .asLong())
                .as("%s", stale)
                .isEqualTo(first + 1);
    }
}
