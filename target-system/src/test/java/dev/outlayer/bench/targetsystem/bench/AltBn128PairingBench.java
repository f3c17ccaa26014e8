package dev.outlayer.bench.targetsystem.bench;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import dev.outlayer.bench.targetsystem.contracts.TestContracts;
import dev.outlayer.bench.targetsystem.contracts.VmLogic;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * alt_bn128_pairing_check through VmLogic (decoding, G2 subgroup checks, Miller loop, final
 * exponentiation), to set next to nearcore's gas for it: base + pairs * element.
 * Run: {@code mvn -q -pl target-system test-compile exec:exec@jmh -Djmh.args=AltBn128PairingBench}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx256m"})
public class AltBn128PairingBench {
    // e(G1, G2) e(-G1, G2) = 1, in nearcore's encoding (32-byte little-endian; G2's Fq2 real first).
    private static final String G1 = "01" + "00".repeat(31) + "02" + "00".repeat(31);
    private static final String MINUS_G1 =
            "01" + "00".repeat(31) + "45fd7cd8168c203c8dca7168916a81975d588181b64550b829a031e1724e6430";
    private static final String G2 = "edf692d95cbdde46ddda5ef7d422436779445c5e66006a42761e1f12efde0018"
            + "c212f3aeb785e49712e7a9353349aaf1255dfb31b7bf60723a480d9293938e19"
            + "aa7dfa6601cce64c7bd3430c69e7d1e38f40cb8d8071ab4aeb6d8cdba55ec812"
            + "5b9722d1dcdaac55f38eb37033314bbc95330c69ad999eec75f05f58d0890609";

    @Param({"1", "2"})
    public int pairs;

    private final Memory memory = new ByteArrayMemory(new MemoryLimits(1));
    private int length;

    @Setup
    public void setUp() {
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < pairs; i++) {
            input.append(i % 2 == 0 ? G1 : MINUS_G1).append(G2);
        }
        byte[] bytes = HexFormat.of().parseHex(input);
        memory.write(0, bytes);
        length = bytes.length;
        if (pairingCheck() != (pairs % 2 == 0 ? 1 : 0)) {
            throw new IllegalStateException("the pairing check got the wrong answer");
        }
    }

    @Benchmark
    public long pairingCheck() {
        // A fresh VmLogic each time: one holds 300 Tgas, some 15 checks.
        VmLogic logic = TestContracts.hostFunctionLogic();
        return logic.altBn128PairingCheck(memory, length, 0);
    }
}
