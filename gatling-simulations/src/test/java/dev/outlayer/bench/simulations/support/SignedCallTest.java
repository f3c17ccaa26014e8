package dev.outlayer.bench.simulations.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.contracts.Action;
import dev.outlayer.bench.targetsystem.rpc.Base58;
import dev.outlayer.bench.targetsystem.transactions.SignedTransaction;
import dev.outlayer.bench.targetsystem.transactions.TransactionSigner;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SignedCallTest {
    private static final TransactionSigner SIGNER = TransactionSigner.fromSeed("user0.test.near", new byte[32]);
    private static final String BLOCK_HASH = Base58.encode(new byte[] {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30,
        31, 32
    });

    @BeforeAll
    static void gatlingConfiguration() {
        // csv() reads Gatling's configuration, as when its runner builds a simulation
        io.gatling.core.Predef$.MODULE$._configuration_$eq(io.gatling.core.config.GatlingConfiguration$.MODULE$.load());
    }

    @Test
    void theTransactionDecodesAsSignedWithAValidSignatureAndTheHashTheRpcReports() {
        SignedCall call = SignedCall.sign(
                SIGNER, "counter.test.near", 42, BLOCK_HASH, "increment", "{}", 30_000_000_000_000L, BigInteger.TEN);

        SignedTransaction decoded = SignedTransaction.decode(Base64.getDecoder().decode(call.base64()));

        assertThat(decoded.signatureValid()).isTrue();
        assertThat(call.hash()).isEqualTo(decoded.hashText());
        assertThat(decoded.signerId()).isEqualTo("user0.test.near");
        assertThat(decoded.receiverId()).isEqualTo("counter.test.near");
        assertThat(decoded.nonce()).isEqualTo(42);
        assertThat(Base58.encode(decoded.blockHash())).isEqualTo(BLOCK_HASH);
        assertThat(decoded.actions()).singleElement().isInstanceOfSatisfying(Action.FunctionCall.class, call1 -> {
            assertThat(call1.methodName()).isEqualTo("increment");
            assertThat(new String(call1.args(), StandardCharsets.UTF_8)).isEqualTo("{}");
            assertThat(call1.gas()).isEqualTo(30_000_000_000_000L);
            assertThat(call1.deposit()).isEqualTo(BigInteger.TEN);
        });
    }

    @Test
    void signerRowsAreThePrefixedAccountsWithAPrivateKeyAndSignAsTheirPublicKey() {
        List<Map<String, Object>> rows = SignedCall.signerRows("accounts.csv", "user");

        assertThat(rows).isNotEmpty().allSatisfy(row -> {
            assertThat(String.valueOf(row.get("account_id"))).startsWith("user");
            assertThat(SignedCall.signer(row).publicKey().toString())
                    .isEqualTo(String.valueOf(row.get("public_key")).strip());
        });
        assertThat(SignedCall.signerRows("accounts.csv", "no-such-prefix")).isEmpty();
    }
}
