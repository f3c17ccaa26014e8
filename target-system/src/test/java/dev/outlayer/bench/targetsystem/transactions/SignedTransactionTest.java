package dev.outlayer.bench.targetsystem.transactions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outlayer.bench.targetsystem.contracts.AccessKey;
import dev.outlayer.bench.targetsystem.contracts.Action;
import dev.outlayer.bench.targetsystem.contracts.PublicKey;
import dev.outlayer.bench.targetsystem.rpc.Base58;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignedTransactionTest {
    private static final byte[] BLOCK_HASH = new byte[32];
    private static final TransactionSigner ALICE = TransactionSigner.fromSeed("alice.test.near", seed(7));

    private static byte[] seed(int value) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) value);
        return seed;
    }

    /** nearcore's own change checker (transaction.rs, test_serialize_transaction): every action, one known hash. */
    @Test
    void decodesNearcoresReferenceTransactionToItsKnownHash() {
        PublicKey key = PublicKey.parse("22skMptHjFWNyuEWY22ftn2AbLPSYpmYwGJRGwpNHbTV");
        List<Action> actions = List.of(
                new Action.CreateAccount(),
                new Action.DeployContract(new byte[] {1, 2, 3}),
                new Action.FunctionCall("qqq", new byte[] {1, 2, 3}, 1_000, BigInteger.valueOf(1_000_000)),
                new Action.Transfer(BigInteger.valueOf(123)),
                new Action.Stake(BigInteger.valueOf(1_000_000), key),
                new Action.AddKey(
                        key, new AccessKey(0, new AccessKey.FunctionCallPermission(null, "zzz", List.of("www")))),
                new Action.DeleteKey(key),
                new Action.DeleteAccount("123"));
        BorshWriter out = new BorshWriter().string("test.near").u8(0).fixed(key.data());
        out.u64(1).string("123").fixed(BLOCK_HASH).u32(actions.size());
        actions.forEach(action -> TransactionSigner.writeAction(out, action));
        byte[] signed = out.u8(0).fixed(new byte[64]).toByteArray();

        SignedTransaction tx = SignedTransaction.decode(signed);

        assertThat(tx.hashText()).isEqualTo("4GXvjMFN6wSxnU9jEVT8HbXP5Yk6yELX9faRSKp6n9fX");
        assertThat(tx.version()).isZero();
        assertThat(tx.signerId()).isEqualTo("test.near");
        assertThat(tx.receiverId()).isEqualTo("123");
        assertThat(tx.nonce()).isEqualTo(1);
        assertThat(tx.actions()).hasSize(8);
        assertThat(tx.actions().get(2)).isInstanceOfSatisfying(Action.FunctionCall.class, call -> {
            assertThat(call.methodName()).isEqualTo("qqq");
            assertThat(call.gas()).isEqualTo(1_000);
            assertThat(call.deposit()).isEqualTo(BigInteger.valueOf(1_000_000));
        });
        assertThat(tx.actions().get(5))
                .isInstanceOfSatisfying(
                        Action.AddKey.class,
                        add -> assertThat(add.accessKey().permission())
                                .isEqualTo(new AccessKey.FunctionCallPermission(null, "zzz", List.of("www"))));
        assertThat(tx.signatureValid()).isFalse();
        assertThat(dev.outlayer.bench.targetsystem.json.JsonCodec.MAPPER
                        .<com.fasterxml.jackson.databind.JsonNode>valueToTree(tx.view())
                        .get("actions")
                        .get(0)
                        .asText())
                .isEqualTo("CreateAccount");
        assertThat(dev.outlayer.bench.targetsystem.json.JsonCodec.MAPPER
                        .<com.fasterxml.jackson.databind.JsonNode>valueToTree(tx.view())
                        .get("actions")
                        .get(1)
                        .get("DeployContract")
                        .get("code")
                        .asText())
                .as("views show the code's sha256, base64")
                .isEqualTo("A5BYxvLAy0ksUzsKTRTvd8wPeKvMztUofYShogEc+4E=");
    }

    @Test
    void v0AndV1SignedByAKeyVerifyAndKeepTheirFields() {
        List<Action> call =
                List.of(new Action.FunctionCall("increment", new byte[0], 30_000_000_000_000L, BigInteger.ZERO));
        SignedTransaction v0 = SignedTransaction.decode(ALICE.sign("counter.test.near", 5, BLOCK_HASH, call));
        SignedTransaction v1 =
                SignedTransaction.decode(ALICE.signV1("counter.test.near", 6, -1, true, BLOCK_HASH, call));
        SignedTransaction slot =
                SignedTransaction.decode(ALICE.signV1("counter.test.near", 7, 513, false, BLOCK_HASH, call));

        assertThat(v0.version()).isZero();
        assertThat(v1.version()).isEqualTo(1);
        assertThat(v1.nonce()).isEqualTo(6);
        assertThat(v1.nonceIndex()).as("a plain TransactionNonce").isEqualTo(-1);
        assertThat(v1.strictNonce()).isTrue();
        assertThat(slot.nonce()).isEqualTo(7);
        assertThat(slot.nonceIndex()).as("GasKeyNonce's u16 index").isEqualTo(513);
        assertThat(slot.strictNonce()).isFalse();
        assertThat(dev.outlayer.bench.targetsystem.json.JsonCodec.MAPPER
                        .<com.fasterxml.jackson.databind.JsonNode>valueToTree(slot.view())
                        .get("nonce_index")
                        .asInt())
                .isEqualTo(513);
        assertThat(dev.outlayer.bench.targetsystem.json.JsonCodec.MAPPER
                        .<com.fasterxml.jackson.databind.JsonNode>valueToTree(slot.view())
                        .get("nonce_mode")
                        .asText())
                .isEqualTo("monotonic");
        assertThat(dev.outlayer.bench.targetsystem.json.JsonCodec.MAPPER
                                .<com.fasterxml.jackson.databind.JsonNode>valueToTree(v0.view())
                                .has("nonce_index")
                        || dev.outlayer.bench.targetsystem.json.JsonCodec.MAPPER
                                .<com.fasterxml.jackson.databind.JsonNode>valueToTree(v0.view())
                                .has("nonce_mode"))
                .isFalse();
        assertThat(v0.signatureValid()).isTrue();
        assertThat(v1.signatureValid()).isTrue();
        assertThat(v0.publicKey()).isEqualTo(ALICE.publicKey());
        assertThat(v0.hashText()).isNotEqualTo(v1.hashText());
        assertThat(dev.outlayer.bench.targetsystem.json.JsonCodec.MAPPER
                        .<com.fasterxml.jackson.databind.JsonNode>valueToTree(v1.view())
                        .get("priority_fee")
                        .asLong())
                .as("kept for compatibility, always 0")
                .isZero();
        assertThat(dev.outlayer.bench.targetsystem.json.JsonCodec.MAPPER
                        .<com.fasterxml.jackson.databind.JsonNode>valueToTree(v1.view())
                        .get("nonce_mode")
                        .asText())
                .isEqualTo("strict");
    }

    @Test
    void aSignatureOverOtherBytesOrByAnotherKeyIsInvalid() {
        List<Action> transfer = List.of(new Action.Transfer(BigInteger.ONE));
        byte[] tx = ALICE.transaction("bob.test.near", 1, BLOCK_HASH, transfer);
        byte[] otherTx = ALICE.transaction("bob.test.near", 2, BLOCK_HASH, transfer);
        TransactionSigner mallory = TransactionSigner.fromSeed("alice.test.near", seed(9));

        assertThat(SignedTransaction.decode(ALICE.withSignature(tx, ALICE.signature(otherTx)))
                        .signatureValid())
                .isFalse();
        assertThat(SignedTransaction.decode(ALICE.withSignature(tx, mallory.signature(tx)))
                        .signatureValid())
                .isFalse();
    }

    @Test
    void truncatedTrailingOrUnknownInputIsRefusedWithAReason() {
        byte[] signed = ALICE.sign("bob.test.near", 1, BLOCK_HASH, List.of(new Action.Transfer(BigInteger.ONE)));

        assertThatThrownBy(() -> SignedTransaction.decode(Arrays.copyOf(signed, signed.length - 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unexpected end of input");
        assertThatThrownBy(() -> SignedTransaction.decode(Arrays.copyOf(signed, signed.length + 1)))
                .hasMessage("Not all bytes read");
        byte[] hugeVector = ALICE.transaction("bob.test.near", 1, BLOCK_HASH, List.of());
        // the action count (last 4 bytes) claims 2^31-1 actions in an input of a few dozen bytes
        hugeVector[hugeVector.length - 1] = 0x7f;
        hugeVector[hugeVector.length - 2] = (byte) 0xff;
        hugeVector[hugeVector.length - 3] = (byte) 0xff;
        hugeVector[hugeVector.length - 4] = (byte) 0xff;
        assertThatThrownBy(() -> SignedTransaction.decode(hugeVector)).hasMessageContaining("exceeds the input");
        byte[] badAccount = new BorshWriter().string("Alice!").toByteArray();
        assertThatThrownBy(() -> SignedTransaction.decode(badAccount)).hasMessageContaining("invalid character");
        assertThatThrownBy(() -> SignedTransaction.decode(new byte[] {1})).hasMessageContaining("end of input");
    }

    @Test
    void aDelegateActionDecodesWithItsNep461SignatureChecked() {
        BorshWriter out = new BorshWriter()
                .string("relayer.test.near")
                .u8(0)
                .fixed(ALICE.publicKey().data());
        out.u64(1).string("alice.test.near").fixed(BLOCK_HASH).u32(1);
        out.u8(8).string("alice.test.near").string("counter.test.near").u32(1);
        TransactionSigner.writeAction(out, new Action.Transfer(BigInteger.TEN));
        out.u64(3).u64(1_000).u8(0).fixed(ALICE.publicKey().data()).u8(0).fixed(new byte[64]);
        byte[] signed = out.u8(0).fixed(new byte[64]).toByteArray();

        SignedTransaction tx = SignedTransaction.decode(signed);

        Action.Delegate delegate = (Action.Delegate) tx.actions().get(0);
        assertThat(delegate.senderId()).isEqualTo("alice.test.near");
        assertThat(delegate.receiverId()).isEqualTo("counter.test.near");
        assertThat(delegate.actions()).containsExactly(new Action.Transfer(BigInteger.TEN));
        assertThat(delegate.nonce()).isEqualTo(3);
        assertThat(delegate.maxBlockHeight()).isEqualTo(1_000);
        assertThat(delegate.deposit()).isEqualTo(BigInteger.TEN);
        assertThat(delegate.signatureValid())
                .as("64 zero bytes are no signature")
                .isFalse();
        assertThat(Base58.decode(tx.hashText())).hasSize(32);

        // The same delegate action signed by Alice over NEP-461's hash round-trips with a valid signature.
        Action.Delegate real =
                ALICE.delegate("counter.test.near", 3, 1_000, List.of(new Action.Transfer(BigInteger.TEN)));
        SignedTransaction relayed =
                SignedTransaction.decode(TransactionSigner.fromSeed("relayer.test.near", new byte[32])
                        .sign("alice.test.near", 1, BLOCK_HASH, List.of(real)));
        assertThat(((Action.Delegate) relayed.actions().get(0)).signatureValid())
                .isTrue();
        assertThat(((Action.Delegate) relayed.actions().get(0)).signature()).isEqualTo(real.signature());
    }
}
