package dev.outlayer.bench.targetsystem.contracts;

import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Loads the test contracts (src/test/resources/wat, rebuilt by build.sh) and makes simulators. */
public final class TestContracts {
    private TestContracts() {}

    public static byte[] wasm(String name) {
        try (InputStream in = TestContracts.class.getResourceAsStream("/wat/" + name + ".wasm")) {
            if (in == null) {
                throw new IllegalArgumentException("no test contract " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A VmLogic for calling host functions directly: a function call on c.test.near with the default gas. */
    static VmLogic hostFunctionLogic() {
        return new VmLogic(
                callContext("c.test.near", CallRequest.DEFAULT_GAS),
                new dev.outlayer.bench.targetsystem.wasm.GasMeter(CallRequest.DEFAULT_GAS),
                new StateOverlay(new java.util.TreeMap<>()));
    }

    /** A function call on {@code accountId} with {@code gas}, signed by signer.test.near for pred.test.near. */
    static CallContext callContext(String accountId, long gas) {
        return new CallContext(
                accountId,
                "signer.test.near",
                new byte[33],
                "pred.test.near",
                new byte[0],
                7,
                1_700_000_000_000_000_000L,
                3,
                ContractSimulator.DEFAULT_BALANCE,
                java.math.BigInteger.ZERO,
                java.math.BigInteger.ZERO,
                gas,
                new byte[32],
                1000,
                false,
                AccountContract.NONE,
                "pred.test.near");
    }

    public static ContractSimulator simulator(boolean metered) {
        return new ContractSimulator(metered, BlockClock.startingNow(1000));
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The i32 a test contract returned little-endian at {@code offset} of its result. */
    public static int le32(byte[] b, int offset) {
        return java.nio.ByteBuffer.wrap(b, offset, 4)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .getInt();
    }

    public static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
