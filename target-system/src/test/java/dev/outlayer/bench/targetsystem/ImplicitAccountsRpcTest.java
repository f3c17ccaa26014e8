package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.contracts.AccountType;
import dev.outlayer.bench.targetsystem.contracts.Action;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.contracts.Fee;
import dev.outlayer.bench.targetsystem.contracts.TestContracts;
import dev.outlayer.bench.targetsystem.rpc.Base58;
import dev.outlayer.bench.targetsystem.transactions.TransactionSigner;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Implicit accounts as nearcore makes them (runtime/runtime/src/actions.rs
 * action_implicit_account_creation_transfer, check_account_existence; core/parameters cost.rs
 * transfer_send_fee / transfer_exec_fee), through signed transactions over JSON-RPC. Every fee is
 * worked out by hand from protocol 86's fee table.
 */
class ImplicitAccountsRpcTest {
    private static final BigInteger NEAR = new BigInteger("1000000000000000000000000");
    private static final BigInteger MILLINEAR = new BigInteger("1000000000000000000000");
    private static final BigInteger GAS_PRICE = BigInteger.valueOf(100_000_000L);
    private static final TransactionSigner ALICE = TransactionSigner.fromSeed("alice.test.near", RpcNode.seed(1));
    private static final String PAYER = "payer.test.near";
    /** account_creation_charge less the create_account execution fee burnt at 10^8: 7 x 10^21 - 7.2 x 10^20. */
    private static final BigInteger CREATION_CHARGE_BEYOND_GAS = new BigInteger("6280000000000000000000");

    @AutoClose
    private RpcNode node;

    private ContractSimulator simulator;
    private long aliceNonce;

    /** The signer of the NEAR-implicit account its seed's ed25519 key spells. */
    private static TransactionSigner implicitSigner(int seed) {
        byte[] key = TransactionSigner.fromSeed("any.test.near", RpcNode.seed(seed))
                .publicKey()
                .data();
        return TransactionSigner.fromSeed(HexFormat.of().formatHex(key), RpcNode.seed(seed));
    }

    @BeforeEach
    void start() {
        node = new RpcNode(List.of(RpcNode.account(ALICE, NEAR.multiply(BigInteger.TEN))));
        simulator = node.simulator;
        simulator.deploy(PAYER, TestContracts.wasm("implicit"));
    }

    private JsonNode call(String method, String params) {
        return node.call(method, params);
    }

    private byte[] finalBlock() {
        return node.finalBlock();
    }

    /** Sends and waits for every receipt, refunds included; the result. */
    private JsonNode send(byte[] signed) {
        JsonNode reply = node.send(signed, "EXECUTED_OPTIMISTIC");
        assertThat(reply.has("result")).as("%s", reply).isTrue();
        return reply.get("result");
    }

    private JsonNode alice(String receiverId, Action... actions) {
        return send(ALICE.sign(receiverId, ++aliceNonce, finalBlock(), List.of(actions)));
    }

    private JsonNode query(String requestType, String accountId, String extra) {
        return call(
                "query",
                "{\"request_type\":\"" + requestType + "\",\"finality\":\"optimistic\",\"account_id\":\"" + accountId
                        + "\"" + extra + "}");
    }

    private JsonNode viewAccount(String accountId) {
        return query("view_account", accountId, "");
    }

    private BigInteger balance(String accountId) {
        return simulator.account(accountId).orElseThrow().balance();
    }

    private long heightOf(String blockHash) {
        return node.heightOf(blockHash);
    }

    private static BigInteger tokensBurnt(JsonNode outcome) {
        return new BigInteger(outcome.at("/outcome/tokens_burnt").asText());
    }

    @Test
    void aTransferCreatesTheNearImplicitAccountWithTheKeyItsIdSpellsAndChargesNearcoresFees() {
        TransactionSigner owner = implicitSigner(21);
        String id = owner.signerId();
        assertThat(AccountType.of(id)).isEqualTo(AccountType.NEAR_IMPLICIT);
        BigInteger before = balance(ALICE.signerId());
        BigInteger deposit = MILLINEAR.multiply(BigInteger.valueOf(5));

        JsonNode result = alice(id, new Action.Transfer(deposit));

        assertThat(result.at("/status/SuccessValue").asText()).as("%s", result).isEmpty();
        JsonNode account = viewAccount(id).get("result");
        assertThat(account.get("amount").asText()).isEqualTo(deposit.toString());
        assertThat(account.get("locked").asText()).isEqualTo("0");
        assertThat(account.get("storage_usage").asLong())
                .as("num_bytes_account 100 + the ed25519 key's 33 bytes + a full-access key's 9 + 40 a record")
                .isEqualTo(182);
        assertThat(account.get("code_hash").asText()).isEqualTo("11111111111111111111111111111111");
        assertThat(account.has("global_contract_hash")).isFalse();

        JsonNode created = result.at("/receipts_outcome/0");
        long height = heightOf(created.get("block_hash").asText());
        JsonNode keys = query("view_access_key_list", id, "").at("/result/keys");
        assertThat(keys).as("%s", keys).hasSize(1);
        assertThat(keys.at("/0/public_key").asText())
                .as("the ed25519 key the 64 hex characters spell")
                .isEqualTo(owner.publicKey().toString())
                .isEqualTo("ed25519:" + Base58.encode(HexFormat.of().parseHex(id)));
        assertThat(keys.at("/0/access_key/permission").asText()).isEqualTo("FullAccess");
        assertThat(keys.at("/0/access_key/nonce").asLong())
                .as("(height - 1) x 10^6, as nearcore sets an implicit account's key")
                .isEqualTo((height - 1) * 1_000_000L);

        // cost.rs transfer_send_fee / transfer_exec_fee for a NEAR-implicit receiver: new_action_receipt
        // 108,059,500,000 + transfer 115,123,062,500 + create_account 500,000,000,000 (send) / 7.2 Tgas
        // (execution) + add_full_access_key 101,765,125,000.
        long sendGas = 108_059_500_000L + 115_123_062_500L + 500_000_000_000L + 101_765_125_000L;
        long execGas = 108_059_500_000L + 115_123_062_500L + 7_200_000_000_000L + 101_765_125_000L;
        assertThat(result.at("/transaction_outcome/outcome/gas_burnt").asLong()).isEqualTo(sendGas);
        assertThat(created.at("/outcome/gas_burnt").asLong()).isEqualTo(execGas);
        assertThat(tokensBurnt(created))
                .as("its gas at 10^8, and account_creation_charge (AccountCostIncrease) beyond its create_account fee")
                .isEqualTo(GAS_PRICE.multiply(BigInteger.valueOf(execGas)).add(CREATION_CHARGE_BEYOND_GAS));
        assertThat(before.subtract(balance(ALICE.signerId())))
                .as("the deposit, all gas at 10^8 (the price surplus came back less the charge), the charge")
                .isEqualTo(deposit.add(GAS_PRICE.multiply(BigInteger.valueOf(sendGas + execGas)))
                        .add(CREATION_CHARGE_BEYOND_GAS));
    }

    @Test
    void theCreatedKeySignsTheImplicitAccountsTransactions() {
        TransactionSigner owner = implicitSigner(22);
        JsonNode created = alice(owner.signerId(), new Action.Transfer(NEAR));
        long keyNonce = (heightOf(created.at("/receipts_outcome/0/block_hash").asText()) - 1) * 1_000_000L;

        JsonNode stale = node.send(
                owner.sign(ALICE.signerId(), keyNonce, finalBlock(), List.of(new Action.Transfer(MILLINEAR))),
                "INCLUDED");
        assertThat(stale.at("/error/data/TxExecutionError/InvalidTxError/InvalidNonce/ak_nonce")
                        .asLong())
                .as("%s", stale)
                .isEqualTo(keyNonce);

        BigInteger aliceBefore = balance(ALICE.signerId());
        JsonNode paid =
                send(owner.sign(ALICE.signerId(), keyNonce + 1, finalBlock(), List.of(new Action.Transfer(MILLINEAR))));

        assertThat(paid.at("/status/SuccessValue").asText()).as("%s", paid).isEmpty();
        assertThat(paid.at("/transaction/signer_id").asText()).isEqualTo(owner.signerId());
        assertThat(balance(ALICE.signerId())).isEqualTo(aliceBefore.add(MILLINEAR));
        // A plain transfer to a named account: receipt creation and transfer only, send and execution.
        long gas = 2 * (108_059_500_000L + 115_123_062_500L);
        assertThat(balance(owner.signerId()))
                .isEqualTo(NEAR.subtract(MILLINEAR).subtract(GAS_PRICE.multiply(BigInteger.valueOf(gas))));
        assertThat(query("view_access_key", owner.signerId(), ",\"public_key\":\"" + owner.publicKey() + "\"")
                        .at("/result/nonce")
                        .asLong())
                .isEqualTo(keyNonce + 1);
    }

    @Test
    void aTransferToAnImplicitAccountThatExistsIsOrdinaryButStillPaysForTheCreation() {
        TransactionSigner owner = implicitSigner(23);
        JsonNode first = alice(owner.signerId(), new Action.Transfer(MILLINEAR));
        long keyNonce = query("view_access_key", owner.signerId(), ",\"public_key\":\"" + owner.publicKey() + "\"")
                .at("/result/nonce")
                .asLong();
        BigInteger before = balance(ALICE.signerId());

        JsonNode second = alice(owner.signerId(), new Action.Transfer(MILLINEAR));

        assertThat(second.at("/status/SuccessValue").asText()).as("%s", second).isEmpty();
        assertThat(balance(owner.signerId())).isEqualTo(MILLINEAR.multiply(BigInteger.TWO));
        assertThat(viewAccount(owner.signerId()).at("/result/storage_usage").asLong())
                .isEqualTo(182);
        assertThat(query("view_access_key", owner.signerId(), ",\"public_key\":\"" + owner.publicKey() + "\"")
                        .at("/result/nonce")
                        .asLong())
                .as("the key is not made again")
                .isEqualTo(keyNonce);
        // nearcore prices a transfer by its receiver's id, not its state: the same gas as the creation...
        assertThat(second.at("/transaction_outcome/outcome/gas_burnt"))
                .isEqualTo(first.at("/transaction_outcome/outcome/gas_burnt"));
        long execGas = second.at("/receipts_outcome/0/outcome/gas_burnt").asLong();
        assertThat(execGas)
                .isEqualTo(first.at("/receipts_outcome/0/outcome/gas_burnt").asLong());
        // ... but no account_creation_charge: nothing was created.
        assertThat(tokensBurnt(second.at("/receipts_outcome/0")))
                .isEqualTo(GAS_PRICE.multiply(BigInteger.valueOf(execGas)));
        long sendGas = second.at("/transaction_outcome/outcome/gas_burnt").asLong();
        assertThat(before.subtract(balance(ALICE.signerId())))
                .isEqualTo(MILLINEAR.add(GAS_PRICE.multiply(BigInteger.valueOf(sendGas + execGas))));
    }

    /**
     * Alice's 1 milliNEAR to {@code id}, an ETH-implicit or deterministic id that does not exist: the
     * account made, without a key, and paid for with create_account's fees but no add_full_access_key's;
     * its view.
     */
    private JsonNode createdWithoutKey(String id) {
        BigInteger before = balance(ALICE.signerId());

        JsonNode result = alice(id, new Action.Transfer(MILLINEAR));

        assertThat(result.at("/status/SuccessValue").asText()).as("%s", result).isEmpty();
        JsonNode account = viewAccount(id).get("result");
        assertThat(account.get("amount").asText()).isEqualTo(MILLINEAR.toString());
        assertThat(query("view_access_key_list", id, "").at("/result/keys")).isEmpty();
        long sendGas = 108_059_500_000L + 115_123_062_500L + 500_000_000_000L;
        long execGas = 108_059_500_000L + 115_123_062_500L + 7_200_000_000_000L;
        assertThat(result.at("/transaction_outcome/outcome/gas_burnt").asLong()).isEqualTo(sendGas);
        assertThat(result.at("/receipts_outcome/0/outcome/gas_burnt").asLong()).isEqualTo(execGas);
        assertThat(before.subtract(balance(ALICE.signerId())))
                .isEqualTo(MILLINEAR
                        .add(GAS_PRICE.multiply(BigInteger.valueOf(sendGas + execGas)))
                        .add(CREATION_CHARGE_BEYOND_GAS));
        return account;
    }

    @Test
    void anEthImplicitAccountIsCreatedWithTheWalletContractAsAGlobalContractAndNoKey() {
        String id = "0x" + "ab".repeat(20);
        assertThat(AccountType.of(id)).isEqualTo(AccountType.ETH_IMPLICIT);

        JsonNode account = createdWithoutKey(id);

        assertThat(account.get("storage_usage").asLong())
                .as("num_bytes_account 100 + the 32 bytes of the global contract's hash")
                .isEqualTo(132);
        assertThat(account.get("global_contract_hash").asText())
                .as("near-wallet-contract's eth_wallet_global_contract_hash on a chain that is not mainnet or testnet")
                .isEqualTo("FAq9tQRbwJPTV3PQLn2F7AUD3FW2Fw1V8ZeZuazfeu1v");
        // The wallet's code is not on this chain: a call finds none, as nearcore's would before it is deployed.
        JsonNode called = alice(
                id,
                new Action.FunctionCall(
                        "rlp_execute", "{}".getBytes(StandardCharsets.UTF_8), 10_000_000_000_000L, BigInteger.ZERO));
        assertThat(called.at(
                                "/status/Failure/ActionError/kind/FunctionCallError/CompilationError/CodeDoesNotExist/account_id")
                        .asText())
                .as("%s", called)
                .isEqualTo(id);
    }

    @Test
    void aTransferCreatesABareDeterministicAccount() {
        String id = "0s" + "00".repeat(20);
        assertThat(AccountType.of(id)).isEqualTo(AccountType.NEAR_DETERMINISTIC);

        JsonNode account = createdWithoutKey(id);

        assertThat(account.get("storage_usage").asLong())
                .as("num_bytes_account alone")
                .isEqualTo(100);
        assertThat(account.has("global_contract_hash")).isFalse();
        assertThat(account.get("code_hash").asText()).isEqualTo("11111111111111111111111111111111");
    }

    @Test
    void aContractsTransferCreatesTheImplicitAccountAndPaysItsFeesOnTheWay() {
        TransactionSigner owner = implicitSigner(24);
        String named = "z".repeat(64); // as long as the implicit id, so the call's own gas is the same
        assertThat(AccountType.of(named)).isEqualTo(AccountType.NAMED);

        JsonNode toNamed = payerSends("send", named);
        JsonNode toImplicit = payerSends("send", owner.signerId());

        assertThat(balance(owner.signerId())).isEqualTo(MILLINEAR);
        assertThat(viewAccount(owner.signerId()).at("/result/storage_usage").asLong())
                .isEqualTo(182);
        JsonNode transfer = findExecutedBy(toImplicit, owner.signerId());
        assertThat(transfer.at("/outcome/status/SuccessValue").asText()).isEmpty();
        assertThat(transfer.at("/outcome/gas_burnt").asLong())
                .as("receipt creation + the implicit transfer's execution fees")
                .isEqualTo(108_059_500_000L + 115_123_062_500L + 7_200_000_000_000L + 101_765_125_000L);
        assertThat(findExecutedBy(toNamed, named)
                        .at("/outcome/status/Failure/ActionError/kind/AccountDoesNotExist/account_id")
                        .asText())
                .isEqualTo(named);
        // promise_batch_action_transfer burns the send fees by the receiver's kind (logic.rs): create_account's
        // and add_full_access_key's send_not_sir on top for the implicit id.
        long callToNamed =
                findExecutedBy(toNamed, PAYER).at("/outcome/gas_burnt").asLong();
        long callToImplicit =
                findExecutedBy(toImplicit, PAYER).at("/outcome/gas_burnt").asLong();
        assertThat(callToImplicit - callToNamed).isEqualTo(500_000_000_000L + 101_765_125_000L);
    }

    @Test
    void aRelayedTransferCreatesAnImplicitAccountAtTheRelayersExpense() {
        TransactionSigner sender = implicitSigner(27);
        JsonNode created = alice(sender.signerId(), new Action.Transfer(NEAR));
        long senderNonce =
                (heightOf(created.at("/receipts_outcome/0/block_hash").asText()) - 1) * 1_000_000L;
        TransactionSigner fresh = implicitSigner(28);
        Action.Delegate delegated = sender.delegate(
                fresh.signerId(),
                senderNonce + 1,
                node.clock.latestHeight() + 100,
                List.of(new Action.Transfer(MILLINEAR)));

        JsonNode relayed = alice(sender.signerId(), delegated);

        assertThat(relayed.at("/status/SuccessValue").asText())
                .as("%s", relayed)
                .isEmpty();
        assertThat(balance(fresh.signerId())).isEqualTo(MILLINEAR);
        assertThat(query("view_access_key_list", fresh.signerId(), "")
                        .at("/result/keys/0/public_key")
                        .asText())
                .isEqualTo(fresh.publicKey().toString());
        // The relayer prepays the inner transfer's send fees by its receiver's kind (config.rs total_send_fees
        // of a Delegate): receipt creation, delegate 200 Ggas, then the implicit transfer's.
        assertThat(relayed.at("/transaction_outcome/outcome/gas_burnt").asLong())
                .isEqualTo(
                        108_059_500_000L + 200_000_000_000L + 115_123_062_500L + 500_000_000_000L + 101_765_125_000L);
        assertThat(findExecutedBy(relayed, fresh.signerId())
                        .at("/outcome/gas_burnt")
                        .asLong())
                .isEqualTo(108_059_500_000L + 115_123_062_500L + 7_200_000_000_000L + 101_765_125_000L);
    }

    @Test
    void nothingButALoneTransferCreatesAnImplicitAccount() {
        TransactionSigner owner = implicitSigner(25);
        String id = owner.signerId();
        BigInteger before = balance(ALICE.signerId());

        JsonNode two = alice(id, new Action.Transfer(MILLINEAR), new Action.Transfer(MILLINEAR));
        assertThat(two.at("/status/Failure/ActionError/kind/AccountDoesNotExist/account_id")
                        .asText())
                .as("check_account_existence: the transfer must be its receipt's one action %s", two)
                .isEqualTo(id);
        assertThat(two.at("/status/Failure/ActionError/index").asInt()).isZero();
        long sendGas = two.at("/transaction_outcome/outcome/gas_burnt").asLong();
        long execGas = two.at("/receipts_outcome/0/outcome/gas_burnt").asLong();
        assertThat(before.subtract(balance(ALICE.signerId())))
                .as("the deposits come back; the gas burnt stays paid, no creation charge")
                .isEqualTo(GAS_PRICE.multiply(BigInteger.valueOf(sendGas + execGas)));

        JsonNode create = alice(id, new Action.CreateAccount());
        assertThat(create.at("/status/Failure/ActionError/kind/OnlyImplicitAccountCreationAllowed/account_id")
                        .asText())
                .as("%s", create)
                .isEqualTo(id);
        JsonNode deterministic = alice("0s" + "11".repeat(20), new Action.CreateAccount());
        assertThat(deterministic.at("/status/Failure/ActionError/kind").has("OnlyImplicitAccountCreationAllowed"))
                .as("%s", deterministic)
                .isTrue();
        JsonNode call = alice(id, new Action.FunctionCall("any", new byte[0], 10_000_000_000_000L, BigInteger.ZERO));
        assertThat(call.at("/status/Failure/ActionError/kind/AccountDoesNotExist/account_id")
                        .asText())
                .isEqualTo(id);
        JsonNode toGasKey = alice(id, new Action.TransferToGasKey(owner.publicKey(), MILLINEAR));
        assertThat(toGasKey.at("/status/Failure/ActionError/kind/AccountDoesNotExist/account_id")
                        .asText())
                .as("TransferToGasKey creates nothing %s", toGasKey)
                .isEqualTo(id);
        JsonNode fromContract = payerSends("send_twice", id);
        assertThat(findExecutedBy(fromContract, id)
                        .at("/outcome/status/Failure/ActionError/kind/AccountDoesNotExist/account_id")
                        .asText())
                .isEqualTo(id);
        assertThat(simulator.account(id)).isEmpty();
    }

    @Test
    void idsThatAreNotQuiteImplicitAreNamedAccountsAndTheirTransfersFail() {
        String shortHex = "a".repeat(63);
        String shortEth = "0x" + "a".repeat(39);
        for (String id : List.of(shortHex, shortEth)) {
            assertThat(AccountType.of(id)).as(id).isEqualTo(AccountType.NAMED);
            JsonNode result = alice(id, new Action.Transfer(MILLINEAR));
            assertThat(result.at("/status/Failure/ActionError/kind/AccountDoesNotExist/account_id")
                            .asText())
                    .as("%s", result)
                    .isEqualTo(id);
            assertThat(result.at("/transaction_outcome/outcome/gas_burnt").asLong())
                    .as("a named receiver's transfer fees")
                    .isEqualTo(108_059_500_000L + 115_123_062_500L);
            assertThat(simulator.account(id)).isEmpty();
        }
        JsonNode upper = node.send(
                ALICE.sign("A".repeat(64), ++aliceNonce, finalBlock(), List.of(new Action.Transfer(MILLINEAR))),
                "INCLUDED");
        // An uppercase id is no account id at all: nearcore's Borsh AccountId refuses it while decoding.
        assertThat(upper.at("/error/cause/name").asText()).as("%s", upper).isEqualTo("PARSE_ERROR");
        assertThat(upper.at("/error/data").asText()).startsWith("Failed to decode transaction");
    }

    @Test
    void aRefundToADeletedImplicitAccountDoesNotMakeItAgain() {
        TransactionSigner owner = implicitSigner(26);
        JsonNode created = alice(owner.signerId(), new Action.Transfer(NEAR));
        long keyNonce = (heightOf(created.at("/receipts_outcome/0/block_hash").asText()) - 1) * 1_000_000L;
        BigInteger aliceBefore = balance(ALICE.signerId());

        JsonNode deleted = send(owner.sign(
                owner.signerId(), keyNonce + 1, finalBlock(), List.of(new Action.DeleteAccount(ALICE.signerId()))));

        assertThat(deleted.at("/status/SuccessValue").asText())
                .as("%s", deleted)
                .isEmpty();
        assertThat(simulator.account(owner.signerId())).isEmpty();
        // The gas refund goes to the deleted signer as nearcore sends it; a refund creates no account, so it
        // fails and its amount is burnt.
        JsonNode lost = null;
        for (JsonNode receipt : deleted.at("/receipts_outcome")) {
            if (receipt.at("/outcome/executor_id").asText().equals(owner.signerId())
                    && receipt.at("/outcome/status").has("Failure")) {
                lost = receipt;
            }
        }
        assertThat(lost).as("%s", deleted).isNotNull();
        assertThat(lost.at("/outcome/status/Failure/ActionError/kind/AccountDoesNotExist/account_id")
                        .asText())
                .isEqualTo(owner.signerId());
        assertThat(tokensBurnt(lost)).isZero();
        assertThat(simulator.account(owner.signerId())).isEmpty();
        long sendGas = deleted.at("/transaction_outcome/outcome/gas_burnt").asLong();
        assertThat(sendGas).isEqualTo(108_059_500_000L + 147_489_000_000L);
        // alice, the beneficiary, gets what was left after the send fees (at 10^8) and the execution fees
        // bought at 10^9; the surplus of those went to the lost refund.
        long execGas = 108_059_500_000L + 147_489_000_000L;
        assertThat(balance(ALICE.signerId()))
                .isEqualTo(aliceBefore
                        .add(NEAR)
                        .subtract(GAS_PRICE.multiply(BigInteger.valueOf(sendGas)))
                        .subtract(Fee.RECEIPT_GAS_PRICE.multiply(BigInteger.valueOf(execGas))));
    }

    private JsonNode payerSends(String method, String receiverId) {
        return alice(
                PAYER,
                new Action.FunctionCall(
                        method, receiverId.getBytes(StandardCharsets.UTF_8), 30_000_000_000_000L, BigInteger.ZERO));
    }

    /** The first receipt outcome executed by {@code executor}. */
    private static JsonNode findExecutedBy(JsonNode result, String executor) {
        for (JsonNode receipt : result.at("/receipts_outcome")) {
            if (receipt.at("/outcome/executor_id").asText().equals(executor)) {
                return receipt;
            }
        }
        throw new AssertionError("no receipt executed by " + executor + " in " + result);
    }
}
