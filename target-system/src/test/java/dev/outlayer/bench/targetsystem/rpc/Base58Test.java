package dev.outlayer.bench.targetsystem.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The in-place encoder gives what the textbook big-number encoding gives, and decodes back. */
class Base58Test {
    private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    private static String reference(byte[] bytes) {
        BigInteger value = new BigInteger(1, bytes);
        StringBuilder sb = new StringBuilder();
        while (value.signum() > 0) {
            BigInteger[] qr = value.divideAndRemainder(BigInteger.valueOf(58));
            sb.append(ALPHABET.charAt(qr[1].intValue()));
            value = qr[0];
        }
        for (int i = 0; i < bytes.length && bytes[i] == 0; i++) {
            sb.append('1');
        }
        return sb.reverse().toString();
    }

    @Test
    void textLongerThanAnyRpcInputIsRefusedBeforeItIsDecoded() {
        // a legacy query's largest args (10 KiB) still decode; 100,000 characters took a second of CPU
        byte[] largestArgs = new byte[10 * 1024];
        new Random(7).nextBytes(largestArgs);
        assertThat(Base58.decode(Base58.encode(largestArgs))).isEqualTo(largestArgs);
        assertThatThrownBy(() -> Base58.decode("a".repeat(100_000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("base58 text of 100000 characters: at most 14000 are decoded");
    }

    @Test
    void matchesTheBigNumberEncodingAndRoundTrips() {
        Random random = new Random(42);
        for (int n = 0; n < 2_000; n++) {
            byte[] bytes = new byte[random.nextInt(40)];
            random.nextBytes(bytes);
            for (int z = random.nextInt(4); z > 0 && z <= bytes.length; z--) {
                bytes[z - 1] = 0;
            }
            String encoded = Base58.encode(bytes);
            assertThat(encoded).isEqualTo(reference(bytes));
            assertThat(Base58.decode(encoded)).isEqualTo(bytes);
        }
        assertThat(Base58.encode(new byte[32])).isEqualTo("1".repeat(32));
    }
}
