package dev.outlayer.bench.targetsystem.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * p256_verify against nearcore's logic.rs (protocol 86, NEP-635): RFC 6979 A.2.5's P-256 vector
 * (the key nearcore's own tests and estimator use), signed over the prehash SHA-256("sample").
 */
class P256VerifyTest {
    private static final HexFormat HEX = HexFormat.of();
    // RFC 6979 A.2.5: key C9AFA9D8...; compressed: 03 (Uy is odd) || Ux.
    private static final byte[] PUBLIC_KEY =
            HEX.parseHex("0360fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6");
    // With SHA-256, message "sample": r || s.
    private static final byte[] SIGNATURE =
            HEX.parseHex("efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716"
                    + "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8");

    private final Memory memory = new ByteArrayMemory(new MemoryLimits(1));
    private final VmLogic logic = TestContracts.hostFunctionLogic();

    private static byte[] prehash() throws Exception {
        return MessageDigest.getInstance("SHA-256").digest("sample".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private long verify(byte[] signature, byte[] message, byte[] publicKey) {
        memory.write(0, signature);
        memory.write(200, message);
        memory.write(400, publicKey);
        return logic.p256Verify(memory, signature.length, 0, message.length, 200, publicKey.length, 400);
    }

    @Test
    void aValidSignatureVerifiesAndChargesBaseAndPerByte() throws Exception {
        assertThat(verify(SIGNATURE, prehash(), PUBLIC_KEY)).isEqualTo(1);
        assertThat(logic.profile().gas(ExtCost.p256_verify_base)).isEqualTo(1_300_000_000_000L);
        assertThat(logic.profile().gas(ExtCost.p256_verify_byte)).isEqualTo(32 * 13_000_000L);
    }

    @Test
    void aWrongSignatureOrMessageReturnsZero() throws Exception {
        byte[] tampered = SIGNATURE.clone();
        tampered[63] ^= 1;
        assertThat(verify(tampered, prehash(), PUBLIC_KEY)).isZero();
        byte[] otherMessage = prehash();
        otherMessage[0] ^= 1;
        assertThat(verify(SIGNATURE, otherMessage, PUBLIC_KEY)).isZero();
        // Shorter than half the field: RustCrypto's bits2field refuses it.
        assertThat(verify(SIGNATURE, new byte[15], PUBLIC_KEY)).isZero();
    }

    @Test
    void aSignatureThatDoesNotParseReturnsZeroBeforeTheMessageIsRead() throws Exception {
        assertThat(verify(new byte[64], prehash(), PUBLIC_KEY)).isZero();
        assertThat(logic.profile().gas(ExtCost.p256_verify_base)).isEqualTo(ExtCost.p256_verify_base.gas);
        assertThat(logic.profile().gas(ExtCost.p256_verify_byte))
                .as("message not read")
                .isZero();
    }

    @Test
    void aMalformedKeyReturnsZeroAndWrongLengthsAreHostErrors() throws Exception {
        assertThat(verify(SIGNATURE, prehash(), new byte[33]))
                .as("all-zero key")
                .isZero();
        byte[] offCurve = PUBLIC_KEY.clone();
        offCurve[0] = 0x04; // an uncompressed tag on 33 bytes
        assertThat(verify(SIGNATURE, prehash(), offCurve)).isZero();
        byte[] xTooLarge = new byte[33];
        java.util.Arrays.fill(xTooLarge, (byte) 0xFF);
        xTooLarge[0] = 0x02;
        assertThat(verify(SIGNATURE, prehash(), xTooLarge)).as("x >= p").isZero();

        assertThatThrownBy(() -> verify(java.util.Arrays.copyOf(SIGNATURE, 63), prehash(), PUBLIC_KEY))
                .isInstanceOf(HostError.class)
                .hasMessage("invalid signature length")
                .extracting(e -> ((HostError) e).variant())
                .isEqualTo("P256VerifyInvalidInput");
        assertThatThrownBy(() -> verify(SIGNATURE, prehash(), java.util.Arrays.copyOf(PUBLIC_KEY, 32)))
                .isInstanceOf(HostError.class)
                .hasMessage("invalid public key length");
    }
}
