package dev.outlayer.bench.targetsystem.bench;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import dev.outlayer.bench.targetsystem.contracts.TestContracts;
import dev.outlayer.bench.targetsystem.contracts.VmLogic;
import java.math.BigInteger;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One element of bls12381_map_fp_to_g1 / bls12381_map_fp2_to_g2 through VmLogic, next to nearcore's
 * element cost (1 Tgas ~ 1 ms): 252 Ggas for G1, 900 Ggas for G2. Each call gets a fresh VmLogic
 * (its gas would run out), measured alone as {@code freshLogic}.
 * Run: {@code mvn -o -q -pl target-system test-compile exec:exec@jmh -Djmh.args=Bls12381MapBench}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx256m"})
public class Bls12381MapBench {
    private static final BigInteger P = new BigInteger(
            "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab", 16);
    private static final int G1_INPUT = 0;
    private static final int G2_INPUT = 64;

    private final Memory memory = new ByteArrayMemory(new MemoryLimits(1));

    @Setup
    public void setUp() {
        Random random = new Random(1);
        memory.write(G1_INPUT, fp(new BigInteger(400, random).mod(P)));
        memory.write(G2_INPUT, fp(new BigInteger(400, random).mod(P)));
        memory.write(G2_INPUT + 48, fp(new BigInteger(400, random).mod(P)));
    }

    private static byte[] fp(BigInteger value) {
        byte[] be = value.toByteArray();
        byte[] out = new byte[48];
        int n = Math.min(be.length, 48);
        System.arraycopy(be, be.length - n, out, 48 - n, n);
        return out;
    }

    @Benchmark
    public long mapFpToG1() {
        return TestContracts.hostFunctionLogic().bls12381MapFpToG1(memory, 48, G1_INPUT, 1);
    }

    @Benchmark
    public long mapFp2ToG2() {
        return TestContracts.hostFunctionLogic().bls12381MapFp2ToG2(memory, 96, G2_INPUT, 1);
    }

    @Benchmark
    public VmLogic freshLogic() {
        return TestContracts.hostFunctionLogic();
    }
}
