package dev.outlayer.bench.targetsystem.transactions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.contracts.AccessKey;
import dev.outlayer.bench.targetsystem.contracts.Action;
import dev.outlayer.bench.targetsystem.contracts.InvalidTxException;
import dev.outlayer.bench.targetsystem.contracts.PublicKey;
import dev.outlayer.bench.targetsystem.contracts.SignedActions;
import dev.outlayer.bench.targetsystem.contracts.TxOutcome;
import dev.outlayer.bench.targetsystem.contracts.WaitMode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import dev.outlayer.bench.targetsystem.rpc.EmptyChain;
import dev.outlayer.bench.targetsystem.rpc.NearRpcEmulator;
import dev.outlayer.bench.targetsystem.testing.HangGuard;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * What the transaction engine refuses before the receipt engine sees a transaction (params, Borsh,
 * block hash expiry, size, actions, signature, nonce bound), each in nearcore's JSON-RPC error
 * shape, and how the receipt engine's refusals are shown. The chain here records what reaches
 * it and refuses as told; the end-to-end path with the real simulator is {@code TransactionsRpcTest}.
 */
class TransactionChecksTest {
    private static final long GENESIS_MILLIS = 1_700_000_000_000L;
    private static final long HEAD = BlockClock.GENESIS_HEIGHT + 10;
    private static final TransactionSigner ALICE = TransactionSigner.fromSeed("alice.test.near", seed(3));
    private static final List<Action> INCREMENT = List.of(new Action.FunctionCall(
            "increment", "{}".getBytes(StandardCharsets.UTF_8), 30_000_000_000_000L, BigInteger.ZERO));

    private final AtomicLong now = new AtomicLong(GENESIS_MILLIS + 10 * 1_000 + 500);
    private final BlockClock clock = new BlockClock(GENESIS_MILLIS, 1_000, now::get);
    private final RecordingChain chain = new RecordingChain();
    private final NearRpcEmulator rpc = new NearRpcEmulator(
            clock,
            "outlayer-test",
            EmptyChain.INSTANCE,
            new TransactionEngine(clock, chain, TransactionLimits.PINNED.withValidityPeriod(100), 50));

    private static byte[] seed(int value) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) value);
        return seed;
    }

    private byte[] head() {
        return dev.outlayer.bench.targetsystem.rpc.Base58.decode(clock.hash(HEAD));
    }

    private JsonNode sendTx(byte[] signed) {
        return call("send_tx", "{\"signed_tx_base64\":\"" + Base64.getEncoder().encodeToString(signed) + "\"}");
    }

    private JsonNode call(String method, String params) {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}";
        try {
            return JsonCodec.MAPPER.readTree(
                    rpc.handle(body.getBytes(StandardCharsets.UTF_8), null).body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode invalidTx(JsonNode reply) {
        assertThat(reply.at("/error/name").asText()).isEqualTo("HANDLER_ERROR");
        assertThat(reply.at("/error/cause/name").asText()).isEqualTo("INVALID_TRANSACTION");
        assertThat(reply.at("/error/cause/info").isEmpty()).isTrue();
        assertThat(reply.at("/error/code").asInt()).isEqualTo(-32000);
        return reply.at("/error/data/TxExecutionError/InvalidTxError");
    }

    @Test
    void aValidTransactionReachesTheReceiptEngineAsSignedActions() {
        byte[] signed = ALICE.sign("counter.test.near", 7, head(), INCREMENT);
        chain.refuseWith(new InvalidTxException(
                "InvalidNonce", Map.of("tx_nonce", 7L, "ak_nonce", 9L), "nonce 7 is not above 9"));

        JsonNode error = invalidTx(sendTx(signed));

        SignedActions reached = chain.submitted.get();
        assertThat(reached.signerId()).isEqualTo("alice.test.near");
        assertThat(reached.signerPublicKey()).isEqualTo(ALICE.publicKey());
        assertThat(reached.nonce()).isEqualTo(7);
        assertThat(reached.receiverId()).isEqualTo("counter.test.near");
        assertThat(reached.actions()).hasSize(1);
        assertThat(reached.txHash()).isEqualTo(SignedTransaction.decode(signed).hashText());
        assertThat(error.at("/InvalidNonce/tx_nonce").asLong()).isEqualTo(7);
        assertThat(error.at("/InvalidNonce/ak_nonce").asLong()).isEqualTo(9);
    }

    @Test
    void aCopyOfATransactionStillRunningWaitsNoLongerThanAnyWaitAndAnswersTimeout() throws Exception {
        byte[] signed = ALICE.sign("counter.test.near", 1, head(), INCREMENT);
        chain.hold = new java.util.concurrent.CountDownLatch(1);
        // Two threads of its own: the first call blocks until released, and the default async pool may
        // have a single thread (Java 25 on two cores), where the copy would wait behind it.
        var callers = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> sendTx(signed), callers);
            try {
                assertThat(HangGuard.until(() -> chain.submissions > 0))
                        .as("the first call reached the chain")
                        .isTrue();
                JsonNode copy = java.util.concurrent.CompletableFuture.supplyAsync(() -> sendTx(signed), callers)
                        .get(HangGuard.BOUND_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(copy.at("/error/cause/name").asText()).isEqualTo("TIMEOUT_ERROR");
                assertThat(chain.submissions)
                        .as("the copy never reached the chain")
                        .isEqualTo(1);
            } finally {
                chain.hold.countDown();
            }
            assertThat(invalidTx(first.get(HangGuard.BOUND_SECONDS, java.util.concurrent.TimeUnit.SECONDS))
                            .has("SignerDoesNotExist"))
                    .isTrue();
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void accessKeyRefusalsNestTheirKindAndBalancesAreDecimalStrings() {
        chain.refuseWith(new InvalidTxException(
                "InvalidAccessKeyError",
                Map.of(
                        "kind",
                        "NotEnoughAllowance",
                        "account_id",
                        "alice.test.near",
                        "public_key",
                        ALICE.publicKey().toString(),
                        "allowance",
                        BigInteger.TEN,
                        "cost",
                        new BigInteger("1000000000000000000000")),
                "allowance"));

        JsonNode error = invalidTx(sendTx(ALICE.sign("counter.test.near", 1, head(), INCREMENT)));

        JsonNode allowance = error.at("/InvalidAccessKeyError/NotEnoughAllowance");
        assertThat(allowance.get("allowance").isTextual()).isTrue();
        assertThat(allowance.get("cost").asText()).isEqualTo("1000000000000000000000");
        assertThat(allowance.get("account_id").asText()).isEqualTo("alice.test.near");

        chain.refuseWith(new InvalidTxException("InvalidAccessKeyError", Map.of("kind", "RequiresFullAccess"), "full"));
        assertThat(invalidTx(sendTx(ALICE.sign("counter.test.near", 2, head(), INCREMENT)))
                        .at("/InvalidAccessKeyError")
                        .asText())
                .isEqualTo("RequiresFullAccess");
    }

    @Test
    void anUnknownOrTooOldBlockHashIsExpired() {
        byte[] unknownHash = new byte[32];
        assertThat(invalidTx(sendTx(ALICE.sign("counter.test.near", 1, unknownHash, INCREMENT)))
                        .asText())
                .isEqualTo("Expired");

        byte[] base = head();
        now.addAndGet(100 * 1_000);
        assertThat(invalidTx(sendTx(ALICE.sign("counter.test.near", 1, base, INCREMENT)))
                        .isMissingNode())
                .as("100 blocks later the hash is still inside the validity period")
                .isFalse();
        now.addAndGet(1_000);
        assertThat(invalidTx(sendTx(ALICE.sign("counter.test.near", 2, base, INCREMENT)))
                        .asText())
                .isEqualTo("Expired");
        assertThat(chain.submissions).isEqualTo(1);
    }

    @Test
    void aSignatureByAnotherKeyIsInvalidAndNeverReachesState() {
        TransactionSigner mallory = TransactionSigner.fromSeed("alice.test.near", seed(4));
        byte[] tx = ALICE.transaction("counter.test.near", 1, head(), INCREMENT);

        assertThat(invalidTx(sendTx(ALICE.withSignature(tx, mallory.signature(tx))))
                        .asText())
                .isEqualTo("InvalidSignature");
        assertThat(chain.submissions).isZero();
    }

    @Test
    void aSignerKeyThatIsNoCurvePointIsAnInvalidSignatureNotAServerError() {
        byte[] tx = ALICE.transaction("counter.test.near", 1, head(), INCREMENT);
        byte[] key = ALICE.publicKey().data();
        int at = indexOf(tx, key);
        assertThat(at).as("the signer's key in the transaction").isPositive();
        Arrays.fill(tx, at, at + key.length, (byte) 0xFF); // y = 2^255 - 1 encodes no point
        JsonNode reply = sendTx(ALICE.withSignature(tx, new byte[64]));

        assertThat(invalidTx(reply).asText()).as(reply.toString()).isEqualTo("InvalidSignature");
        assertThat(chain.submissions).isZero();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void actionsAreValidatedAsNearcoreDoes() {
        List<Action> zeroGas = List.of(new Action.FunctionCall("increment", new byte[0], 0, BigInteger.ZERO));
        assertThat(invalidTx(sendTx(ALICE.sign("counter.test.near", 1, head(), zeroGas)))
                        .at("/ActionsValidation")
                        .asText())
                .isEqualTo("FunctionCallZeroAttachedGas");

        List<Action> deleteFirst =
                List.of(new Action.DeleteAccount("bob.test.near"), new Action.Transfer(BigInteger.ONE));
        assertThat(invalidTx(sendTx(ALICE.sign("alice.test.near", 1, head(), deleteFirst)))
                        .at("/ActionsValidation")
                        .asText())
                .isEqualTo("DeleteActionMustBeFinal");

        List<Action> tooMuchGas = List.of(
                new Action.FunctionCall(
                        "a",
                        new byte[0],
                        dev.outlayer.bench.targetsystem.contracts.ExtCost.MAX_TOTAL_PREPAID_GAS,
                        BigInteger.ZERO),
                new Action.FunctionCall("b", new byte[0], 1, BigInteger.ZERO));
        JsonNode exceeded = invalidTx(sendTx(ALICE.sign("counter.test.near", 1, head(), tooMuchGas)))
                .at("/ActionsValidation/TotalPrepaidGasExceeded");
        assertThat(exceeded.get("limit").asLong())
                .isEqualTo(dev.outlayer.bench.targetsystem.contracts.ExtCost.MAX_TOTAL_PREPAID_GAS);

        // Since protocol 84 at most 10 deploys (max_deploy_actions_per_receipt); a stake key must be an
        // ed25519 point of the prime-order subgroup (near-crypto's is_valid_staking_key), not all zeros.
        List<Action> elevenDeploys = java.util.Collections.nCopies(11, new Action.DeployContract(new byte[1]));
        JsonNode deploys = invalidTx(sendTx(ALICE.sign("alice.test.near", 1, head(), elevenDeploys)))
                .at("/ActionsValidation/TotalNumberOfDeployActionsExceeded");
        assertThat(deploys.get("number_of_deploy_actions").asInt()).isEqualTo(11);
        assertThat(deploys.get("limit").asInt()).isEqualTo(10);
        List<Action> zeroKeyStake = List.of(new Action.Stake(
                BigInteger.ONE, dev.outlayer.bench.targetsystem.contracts.PublicKey.ed25519(new byte[32])));
        assertThat(invalidTx(sendTx(ALICE.sign("alice.test.near", 1, head(), zeroKeyStake)))
                        .at("/ActionsValidation/UnsuitableStakingKey")
                        .isMissingNode())
                .isFalse();

        List<Action> longName = List.of(new Action.FunctionCall("m".repeat(257), new byte[0], 1, BigInteger.ZERO));
        assertThat(invalidTx(sendTx(ALICE.sign("counter.test.near", 1, head(), longName)))
                        .at("/ActionsValidation/FunctionCallMethodNameLengthExceeded/length")
                        .asInt())
                .isEqualTo(257);
        assertThat(chain.submissions).isZero();
    }

    private static java.util.SortedMap<dev.outlayer.bench.targetsystem.contracts.Bytes, byte[]> entries(
            String... keysAndValues) {
        java.util.TreeMap<dev.outlayer.bench.targetsystem.contracts.Bytes, byte[]> data = new java.util.TreeMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            data.put(
                    dev.outlayer.bench.targetsystem.contracts.Bytes.wrap(
                            keysAndValues[i].getBytes(StandardCharsets.UTF_8)),
                    keysAndValues[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return data;
    }

    @Test
    void deterministicStateInitIsNearcoresBorshActionElevenAndItsView() {
        // core/primitives/src/action/mod.rs: Action::DeterministicStateInit = 11 { state_init:
        // DeterministicAccountStateInit::V1 (0) { code: GlobalContractIdentifier, data: BTreeMap }, deposit: u128 }
        byte[] hash = new byte[32];
        Arrays.fill(hash, (byte) 5);
        Action.DeterministicStateInit init = new Action.DeterministicStateInit(
                dev.outlayer.bench.targetsystem.contracts.GlobalContractId.byHash(hash),
                entries("b", "22", "a", "1"),
                BigInteger.TEN);
        BorshWriter out = new BorshWriter();
        TransactionSigner.writeAction(out, init);
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        expected.writeBytes(new byte[] {11, 0, 0});
        expected.writeBytes(hash);
        expected.writeBytes(
                new byte[] {2, 0, 0, 0, 1, 0, 0, 0, 'a', 1, 0, 0, 0, '1', 1, 0, 0, 0, 'b', 2, 0, 0, 0, '2', '2'});
        expected.writeBytes(new byte[] {10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        assertThat(out.toByteArray()).as("entries in key order").isEqualTo(expected.toByteArray());

        byte[] signed = ALICE.sign(init.derivedAccountId(), 1, head(), List.of(init));
        Action read = SignedTransaction.decode(signed).actions().get(0);
        assertThat(read).isInstanceOfSatisfying(Action.DeterministicStateInit.class, r -> {
            assertThat(r.code()).isEqualTo(init.code());
            assertThat(r.deposit()).isEqualTo(BigInteger.TEN);
            assertThat(r.data().keySet()).containsExactlyElementsOf(init.data().keySet());
            assertThat(r.derivedAccountId()).isEqualTo(init.derivedAccountId());
        });

        assertThat(JsonCodec.MAPPER.valueToTree(ActionViews.view(init)).toString())
                .as("views.rs ActionView::DeterministicStateInit with a GlobalContractIdentifierView")
                .isEqualTo("{\"DeterministicStateInit\":{\"code\":{\"hash\":\""
                        + dev.outlayer.bench.targetsystem.rpc.Base58.encode(hash)
                        + "\"},\"data\":{\"YQ==\":\"MQ==\",\"Yg==\":\"MjI=\"},\"deposit\":\"10\"}}");
        Action.DeterministicStateInit byAccount = new Action.DeterministicStateInit(
                dev.outlayer.bench.targetsystem.contracts.GlobalContractId.byAccount("lib.test.near"),
                entries(),
                BigInteger.ZERO);
        assertThat(JsonCodec.MAPPER
                        .valueToTree(ActionViews.view(byAccount))
                        .at("/DeterministicStateInit/code/account_id")
                        .asText())
                .isEqualTo("lib.test.near");

        byte[] badVersion = out.toByteArray();
        badVersion[1] = 1;
        assertThat(call(
                                "send_tx",
                                "{\"signed_tx_base64\":\""
                                        + Base64.getEncoder()
                                                .encodeToString(
                                                        ALICE.withSignature(withAction(badVersion), new byte[64]))
                                        + "\"}")
                        .at("/error/cause/name")
                        .asText())
                .as("a DeterministicAccountStateInit version other than V1")
                .isEqualTo("PARSE_ERROR");
    }

    /** A V0 transaction of ALICE's to lib.test.near carrying {@code action}'s Borsh as its one action. */
    private byte[] withAction(byte[] action) {
        BorshWriter out = new BorshWriter()
                .string("alice.test.near")
                .u8(0)
                .fixed(ALICE.publicKey().data())
                .u64(1)
                .string("lib.test.near")
                .fixed(head())
                .u32(1)
                .fixed(action);
        return out.toByteArray();
    }

    @Test
    void aStateInitMustGoToTheAccountItDerives() {
        Action.DeterministicStateInit init = new Action.DeterministicStateInit(
                dev.outlayer.bench.targetsystem.contracts.GlobalContractId.byAccount("lib.test.near"),
                entries("k", "v"),
                BigInteger.ONE);
        JsonNode wrong = invalidTx(sendTx(ALICE.sign("lib.test.near", 1, head(), List.of(init))))
                .at("/ActionsValidation/InvalidDeterministicStateInitReceiver");
        assertThat(wrong.get("receiver_id").asText()).isEqualTo("lib.test.near");
        assertThat(wrong.get("derived_id").asText()).isEqualTo(init.derivedAccountId());

        Action.DeterministicStateInit longKey =
                new Action.DeterministicStateInit(init.code(), entries("k".repeat(2049), "v"), BigInteger.ONE);
        assertThat(invalidTx(sendTx(ALICE.sign(longKey.derivedAccountId(), 1, head(), List.of(longKey))))
                        .at("/ActionsValidation/DeterministicStateInitKeyLengthExceeded/length")
                        .asInt())
                .as("max_length_storage_key 2,048")
                .isEqualTo(2049);

        // FixDelegatedDeterministicStateInit (85): a delegate's actions are checked against its receiver
        TransactionSigner bob = TransactionSigner.fromSeed("bob.test.near", seed(4));
        Action.Delegate relayed = bob.delegate(init.derivedAccountId(), 1, 1_000, List.of(init));
        assertThat(sendTx(ALICE.sign("bob.test.near", 2, head(), List.of(relayed)))
                        .has("error"))
                .as("refused only by the recording chain, past validation: %s", chain.submitted.get())
                .isTrue();
        assertThat(chain.submitted.get().actions()).singleElement().isInstanceOfSatisfying(Action.Delegate.class, d -> {
            assertThat(d.receiverId()).isEqualTo(init.derivedAccountId());
            assertThat(d.signatureValid()).isTrue();
            assertThat(d.actions()).singleElement().isInstanceOf(Action.DeterministicStateInit.class);
        });
        Action.Delegate misaddressed = bob.delegate("lib.test.near", 2, 1_000, List.of(init));
        assertThat(invalidTx(sendTx(ALICE.sign("bob.test.near", 3, head(), List.of(misaddressed))))
                        .at("/ActionsValidation/InvalidDeterministicStateInitReceiver/receiver_id")
                        .asText())
                .isEqualTo("lib.test.near");
    }

    @Test
    void attachedGasIsAU64AsInNearcore() {
        // 2^64 - 1 and 1: the u64 sum overflows (nearcore's IntegerOverflow); as signed longs it was 0 and passed
        List<Action> overflow = List.of(
                new Action.FunctionCall("a", new byte[0], -1L, BigInteger.ZERO),
                new Action.FunctionCall("b", new byte[0], 1, BigInteger.ZERO));
        JsonNode reply = sendTx(ALICE.sign("counter.test.near", 1, head(), overflow));
        assertThat(invalidTx(reply).at("/ActionsValidation").asText())
                .as("%s", reply)
                .isEqualTo("IntegerOverflow");

        // 2^63: over the limit, and shown as the u64 it is, not as a negative number
        List<Action> huge = List.of(new Action.FunctionCall("a", new byte[0], Long.MIN_VALUE, BigInteger.ZERO));
        JsonNode exceeded = invalidTx(sendTx(ALICE.sign("counter.test.near", 1, head(), huge)))
                .at("/ActionsValidation/TotalPrepaidGasExceeded/total_prepaid_gas");
        assertThat(exceeded.isIntegralNumber()).as("%s", exceeded).isTrue();
        assertThat(exceeded.bigIntegerValue()).isEqualTo(BigInteger.ONE.shiftLeft(63));
        assertThat(chain.submissions).isZero();
    }

    @Test
    void theNonceBoundIsHeightTimesAMillionAndShownAsNumbers() {
        long bound = HEAD * 1_000_000L;
        byte[] signed = ALICE.sign("counter.test.near", bound, head(), INCREMENT);
        chain.refuseWith(new InvalidTxException(
                "NonceTooLarge", Map.of("tx_nonce", bound, "upper_bound", bound), "nonce too large"));

        JsonNode error = invalidTx(sendTx(signed));

        // checked by the state (after the signer, its key and the key's nonce), as nearcore does
        assertThat(chain.submitted.get().nonceUpperBound()).isEqualTo(bound);
        assertThat(error.at("/NonceTooLarge/upper_bound").asLong()).isEqualTo(bound);
        assertThat(error.at("/NonceTooLarge/tx_nonce").isIntegralNumber()).isTrue();
    }

    @Test
    void malformedParamsAndBytesAreParseErrors() {
        JsonNode notBase64 = call("send_tx", "{\"signed_tx_base64\":\"***\"}");
        assertThat(notBase64.at("/error/cause/name").asText()).isEqualTo("PARSE_ERROR");
        // The Rust base64 crate's words, the offending byte and offset as it finds them (not java.util.Base64's).
        String couldNot = "Failed parsing args: the value could not decoded from base64 due to: ";
        for (String[] sent : new String[][] {
            {"{\"signed_tx_base64\":\"AAA-AAAA\"}", couldNot + "Invalid byte 45, offset 3."},
            {"{\"signed_tx_base64\":\"AAAAA\"}", couldNot + "Encoded text cannot have a 6-bit remainder."},
            {"{\"signed_tx_base64\":\"AAA\"}", couldNot + "Invalid padding"},
            {"{\"signed_tx_base64\":\"AB==\"}", couldNot + "Invalid last symbol 66, offset 1."},
            {"[\"\u00e9AA\"]", "Failed to decode transaction: Invalid byte 195, offset 0."}
        }) {
            assertThat(call("send_tx", sent[0]).at("/error/data").asText())
                    .as(sent[0])
                    .isEqualTo(sent[1]);
        }

        JsonNode notBorsh =
                call("broadcast_tx_commit", "[\"" + Base64.getEncoder().encodeToString(new byte[] {9, 9, 9}) + "\"]");
        assertThat(notBorsh.at("/error/cause/name").asText()).isEqualTo("PARSE_ERROR");
        assertThat(notBorsh.at("/error/data").asText()).startsWith("Failed to decode transaction: ");

        JsonNode badWait = call("send_tx", "{\"signed_tx_base64\":\"AAAA\",\"wait_until\":\"SOON\"}");
        assertThat(badWait.at("/error/data").asText()).contains("unknown variant `SOON`");

        JsonNode missing = call("send_tx", "{}");
        assertThat(missing.at("/error/data").asText()).contains("missing field `signed_tx_base64`");

        JsonNode unknown = call(
                "tx",
                "{\"tx_hash\":\"" + clock.hash(HEAD) + "\",\"sender_account_id\":\"alice.test.near\","
                        + "\"wait_until\":\"NONE\"}");
        assertThat(unknown.at("/error/cause/name").asText()).isEqualTo("UNKNOWN_TRANSACTION");
        assertThat(unknown.at("/error/cause/info/requested_transaction_hash").asText())
                .isEqualTo(clock.hash(HEAD));
        // Waiting for more than NONE, nearcore's tx_status_fetch polls for it until its timeout.
        assertThat(call("tx", "[\"" + clock.hash(HEAD) + "\", \"alice.test.near\"]")
                        .at("/error/cause/name")
                        .asText())
                .isEqualTo("TIMEOUT_ERROR");
        assertThat(chain.submissions).isZero();
    }

    /** Records what reaches it and refuses as told; no state, no receipts. */
    private static final class RecordingChain implements TransactionChain {
        final AtomicReference<SignedActions> submitted = new AtomicReference<>();
        volatile int submissions;
        private volatile InvalidTxException refusal =
                new InvalidTxException("SignerDoesNotExist", Map.of("signer_id", "nobody"), "no signer");

        void refuseWith(InvalidTxException refusal) {
            this.refusal = refusal;
        }

        /** While set, a submission waits for it first (a chain call that takes its time). */
        volatile java.util.concurrent.CountDownLatch hold;

        @Override
        public TxOutcome submit(SignedActions transaction, WaitMode wait) {
            submitted.set(transaction);
            submissions++;
            if (hold != null) {
                try {
                    hold.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            throw refusal;
        }

        @Override
        public void check(SignedActions transaction) {
            throw refusal;
        }

        @Override
        public Optional<TxOutcome> outcome(String transactionHash) {
            return Optional.empty();
        }

        @Override
        public boolean accountExists(String accountId) {
            return false;
        }

        @Override
        public void putAccount(String accountId, BigInteger balance) {}

        @Override
        public void putAccessKey(String accountId, PublicKey key, AccessKey accessKey) {}

        @Override
        public Optional<AccessKey> accessKey(String accountId, PublicKey key) {
            return Optional.empty();
        }

        @Override
        public Map<PublicKey, AccessKey> accessKeys(String accountId) {
            return Map.of();
        }
    }
}
