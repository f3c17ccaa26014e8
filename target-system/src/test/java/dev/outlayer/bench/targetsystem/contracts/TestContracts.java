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

    public static ContractSimulator simulator(boolean metered) {
        return new ContractSimulator(metered, BlockClock.startingNow(1000));
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
