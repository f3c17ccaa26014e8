package dev.outlayer.bench.simulations.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.UnknownCustomSection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

class ContractCodeTest {
    private final byte[] counter = ContractCode.read(ContractCode.resolve("../resources/contracts/counter.wasm"));

    @Test
    void taggedCodeParsesToTheSameModuleWithOneMoreCustomSection() {
        byte[] tagged = ContractCode.tagged(counter, "counter-" + "x".repeat(200) + ".test.near");

        WasmModule original = Parser.parse(counter);
        WasmModule module = Parser.parse(tagged);

        assertThat(module.functionSection().functionCount())
                .isEqualTo(original.functionSection().functionCount());
        assertThat(module.exportSection().exportCount())
                .isEqualTo(original.exportSection().exportCount());
        assertThat(module.customSection("outlayer-bench"))
                .isInstanceOfSatisfying(
                        UnknownCustomSection.class,
                        section -> assertThat(new String(section.bytes(), StandardCharsets.UTF_8))
                                .isEqualTo("counter-" + "x".repeat(200) + ".test.near"));
    }

    @Test
    void eachTagGivesAnotherCodeHash() throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        assertThat(sha256.digest(ContractCode.tagged(counter, "a")))
                .isNotEqualTo(sha256.digest(ContractCode.tagged(counter, "b")))
                .isNotEqualTo(sha256.digest(counter));
    }
}
