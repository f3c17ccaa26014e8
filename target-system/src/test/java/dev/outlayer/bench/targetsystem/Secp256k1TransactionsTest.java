package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.contracts.PublicKey;
import dev.outlayer.bench.targetsystem.contracts.Secp256k1;
import dev.outlayer.bench.targetsystem.contracts.SimulatorChainView;
import dev.outlayer.bench.targetsystem.linux.TestPrograms;
import dev.outlayer.bench.targetsystem.rpc.Base58;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import dev.outlayer.bench.targetsystem.rpc.NearRpcEmulator;
import dev.outlayer.bench.targetsystem.transactions.AccountsFeeder;
import dev.outlayer.bench.targetsystem.transactions.TransactionEngine;
import dev.outlayer.bench.targetsystem.transactions.TransactionLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Transactions signed with a secp256k1 access key, as near-crypto verifies them: a key pair made
 * here, its 64-byte public key seeded as bob's access key, a transaction signed over its sha256
 * hash with a 65-byte r || s || v signature, sent through send_tx; view_access_key shows the key.
 */
class Secp256k1TransactionsTest {
    private static final long GENESIS_MILLIS = 1_700_000_000_000L;
    private static final long BLOCK_MILLIS = 1_000;
    private static final String COUNTER = "counter.test.near";
    private static final String BOB = "bob.test.near";
    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
    private static final ECDomainParameters DOMAIN =
            new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());

    private final AtomicLong now = new AtomicLong(GENESIS_MILLIS + 10 * BLOCK_MILLIS + 500);
    private final BlockClock clock = new BlockClock(GENESIS_MILLIS, BLOCK_MILLIS, now::get);
    private ECPrivateKeyParameters privateKey;
    private PublicKey publicKey;

    @AutoClose
    private ContractSimulator simulator;

    private NearRpcEmulator rpc;

    @BeforeEach
    void start() throws IOException {
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(DOMAIN, new SecureRandom()));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        privateKey = (ECPrivateKeyParameters) pair.getPrivate();
        byte[] uncompressed = ((ECPublicKeyParameters) pair.getPublic()).getQ().getEncoded(false);
        publicKey = new PublicKey(PublicKey.SECP256K1, Arrays.copyOfRange(uncompressed, 1, 65));

        simulator = new ContractSimulator(true, clock);
        simulator.deploy(COUNTER, Files.readAllBytes(TestPrograms.root().resolve("resources/contracts/counter.wasm")));
        SimulatorTransactionChain chain = new SimulatorTransactionChain(simulator);
        AccountsFeeder.seed(
                List.of(new AccountsFeeder.Seed(BOB, publicKey, new BigInteger("10000000000000000000000000"))), chain);
        rpc = new NearRpcEmulator(
                clock,
                "outlayer-test",
                new SimulatorChainView(simulator),
                // The wait timeout bounds waits that answer as soon as they can: 100 ms ran out on a loaded machine.
                new TransactionEngine(clock, chain, TransactionLimits.PINNED, 2_000));
    }

    @Test
    void aSecp256k1SignedFunctionCallRunsAndTheKeyIsViewable() throws Exception {
        JsonNode key = accessKey();
        assertThat(key.at("/result/permission").asText()).as("%s", key).isEqualTo("FullAccess");
        assertThat(key.at("/result/nonce").asLong()).isZero();
        assertThat(publicKey.toString()).startsWith("secp256k1:");

        byte[] transaction = incrementTransaction(1);
        JsonNode result = send(signed(transaction, sign(sha256(transaction)))).get("result");
        assertThat(result.at("/status/SuccessValue").isTextual())
                .as("%s", result)
                .isTrue();
        assertThat(result.at("/transaction/public_key").asText()).isEqualTo(publicKey.toString());
        assertThat(result.at("/transaction/signature").asText()).startsWith("secp256k1:");
        assertThat(result.at("/receipts_outcome/0/outcome/logs/0").asText()).isEqualTo("Increased number to 1");
        assertThat(accessKey().at("/result/nonce").asLong()).isEqualTo(1);
    }

    @Test
    void aTamperedHighSOrForeignSignatureIsInvalidAndChangesNothing() throws Exception {
        byte[] transaction = incrementTransaction(1);
        byte[] hash = sha256(transaction);
        byte[] good = sign(hash);

        byte[] tampered = good.clone();
        tampered[10] ^= 1;
        byte[] highS = good.clone(); // the same signature with s' = n - s: valid ECDSA, refused as malleable
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(good, 32, 64));
        System.arraycopy(fixed32(CURVE.getN().subtract(s)), 0, highS, 32, 32);
        highS[64] ^= 1;
        byte[] badRecoveryId = good.clone();
        badRecoveryId[64] = 4;
        byte[] otherHash = hash.clone();
        otherHash[0] ^= 1;

        for (byte[] signature : List.of(tampered, highS, badRecoveryId, sign(otherHash))) {
            JsonNode reply = send(signed(transaction, signature));
            assertThat(reply.at("/error/data/TxExecutionError/InvalidTxError").asText())
                    .as("%s", reply)
                    .isEqualTo("InvalidSignature");
        }
        assertThat(accessKey().at("/result/nonce").asLong())
                .as("no refusal used the nonce")
                .isZero();
        assertThat(send(signed(transaction, good))
                        .at("/result/status/SuccessValue")
                        .isTextual())
                .isTrue();
    }

    /** r || s || v with a deterministic (RFC 6979) k, s normalised to the lower half, v the recovery id. */
    private byte[] sign(byte[] hash) {
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, privateKey);
        BigInteger[] rs = signer.generateSignature(hash);
        BigInteger r = rs[0];
        BigInteger s = rs[1].min(CURVE.getN().subtract(rs[1]));
        for (int v = 0; v < 4; v++) {
            if (Arrays.equals(Secp256k1.recover(hash, r, s, v), publicKey.data())) {
                byte[] signature = new byte[65];
                System.arraycopy(fixed32(r), 0, signature, 0, 32);
                System.arraycopy(fixed32(s), 0, signature, 32, 32);
                signature[64] = (byte) v;
                return signature;
            }
        }
        throw new IllegalStateException("no recovery id gives the key back");
    }

    private static byte[] fixed32(BigInteger value) {
        byte[] bytes = value.toByteArray();
        byte[] out = new byte[32];
        int copy = Math.min(32, bytes.length);
        System.arraycopy(bytes, bytes.length - copy, out, 32 - copy, copy);
        return out;
    }

    /** nearcore's Transaction V0, Borsh: signer, key (tag 1 + 64 bytes), nonce, receiver, block hash, one FunctionCall. */
    private byte[] incrementTransaction(long nonce) {
        Borsh out = new Borsh();
        out.string(BOB);
        out.u8(PublicKey.SECP256K1).raw(publicKey.data());
        out.u64(nonce).string(COUNTER).raw(Base58.decode(clock.hash(clock.latestHeight() - 2)));
        out.u32(1).u8(2).string("increment").bytes("{}".getBytes(StandardCharsets.UTF_8));
        out.u64(30_000_000_000_000L).raw(new byte[16]); // gas, deposit (u128 zero)
        return out.toByteArray();
    }

    private static byte[] signed(byte[] transaction, byte[] signature) {
        return new Borsh()
                .raw(transaction)
                .u8(PublicKey.SECP256K1)
                .raw(signature)
                .toByteArray();
    }

    private JsonNode send(byte[] signed) {
        return call(
                "send_tx",
                "{\"signed_tx_base64\":\"" + Base64.getEncoder().encodeToString(signed)
                        + "\",\"wait_until\":\"EXECUTED_OPTIMISTIC\"}");
    }

    private JsonNode accessKey() {
        return call(
                "query",
                "{\"request_type\":\"view_access_key\",\"finality\":\"final\",\"account_id\":\"" + BOB
                        + "\",\"public_key\":\"" + publicKey + "\"}");
    }

    private JsonNode call(String method, String params) {
        return RpcNode.call(rpc, method, params);
    }

    private static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }

    /** Little-endian Borsh writing, enough for one transaction. */
    private static final class Borsh {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Borsh u8(int value) {
            out.write(value);
            return this;
        }

        Borsh u32(long value) {
            for (int i = 0; i < 4; i++) {
                out.write((int) (value >>> (8 * i)));
            }
            return this;
        }

        Borsh u64(long value) {
            for (int i = 0; i < 8; i++) {
                out.write((int) (value >>> (8 * i)));
            }
            return this;
        }

        Borsh raw(byte[] bytes) {
            out.write(bytes, 0, bytes.length);
            return this;
        }

        Borsh bytes(byte[] bytes) {
            return u32(bytes.length).raw(bytes);
        }

        Borsh string(String text) {
            return bytes(text.getBytes(StandardCharsets.UTF_8));
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
