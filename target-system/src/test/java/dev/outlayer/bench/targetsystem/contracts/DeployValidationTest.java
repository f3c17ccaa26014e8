package dev.outlayer.bench.targetsystem.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dylibso.chicory.wasm.Parser;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The deploy validates on a second core while it checks NEAR's rules and instruments the
 * unvalidated parse: an invalid module still fails with Chicory's validating parse's message,
 * also when the module trips the checks or the instrumenter first (a call to a function that does
 * not exist, a branch to a label that does not exist).
 */
class DeployValidationTest {
    private static final byte[] HEADER = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
    private static final byte[] ONE_TYPE = {0x01, 0x04, 0x01, 0x60, 0x00, 0x00};
    private static final byte[] ONE_FUNCTION = {0x03, 0x02, 0x01, 0x00};

    static Stream<Arguments> invalidModules() {
        return Stream.of(
                Arguments.of("i32.add of an i64", module(ONE_TYPE, ONE_FUNCTION, new byte[] {
                    0x0a, 0x0a, 0x01, 0x08, 0x00, 0x42, 0x00, 0x41, 0x00, 0x6a, 0x1a, 0x0b
                })),
                Arguments.of(
                        "call of function 5 of 1",
                        module(ONE_TYPE, ONE_FUNCTION, new byte[] {0x0a, 0x06, 0x01, 0x04, 0x00, 0x10, 0x05, 0x0b})),
                Arguments.of("one function, no body", module(ONE_TYPE, ONE_FUNCTION, new byte[] {0x0a, 0x01, 0x00})),
                Arguments.of("cut short", module(new byte[] {0x01, 0x04, 0x01, 0x60})),
                Arguments.of(
                        "br to label 3 of 1",
                        module(ONE_TYPE, ONE_FUNCTION, new byte[] {0x0a, 0x06, 0x01, 0x04, 0x00, 0x0c, 0x03, 0x0b})));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidModules")
    void theErrorIsTheValidatingParsersOnEveryPath(String what, byte[] code) {
        String parserSays = parserError(code);
        for (ContractCompiler.Path path : ContractCompiler.Path.values()) {
            ContractCompiler compiler = new ContractCompiler(true, path, new CompileQueue(1, 1), null);
            assertThatThrownBy(() -> compiler.compile(code))
                    .as(what + " on " + path)
                    .isInstanceOf(InvalidContractException.class)
                    .hasMessage("invalid wasm: " + parserSays);
        }
    }

    @org.junit.jupiter.api.Test
    void anImportOfATypeTheModuleDoesNotDeclareIsAClearErrorOnEveryPath() {
        byte[] importPanicOfType5 = {0x02, 0x0d, 0x01, 0x03, 'e', 'n', 'v', 0x05, 'p', 'a', 'n', 'i', 'c', 0x00, 0x05};
        byte[] code = module(ONE_TYPE, importPanicOfType5);
        for (ContractCompiler.Path path : ContractCompiler.Path.values()) {
            ContractCompiler compiler = new ContractCompiler(true, path, new CompileQueue(1, 1), null);
            assertThatThrownBy(() -> compiler.compile(code))
                    .as(path.toString())
                    .isInstanceOf(InvalidContractException.class)
                    .hasMessageContaining("type 5");
        }
    }

    private static String parserError(byte[] code) {
        try {
            Parser.parse(code);
        } catch (RuntimeException e) {
            assertThat(e.getMessage()).isNotBlank();
            return e.getMessage();
        }
        throw new AssertionError("Chicory accepts the module");
    }

    private static byte[] module(byte[]... sections) {
        var out = new java.io.ByteArrayOutputStream();
        out.writeBytes(HEADER);
        for (byte[] section : sections) {
            out.writeBytes(section);
        }
        return out.toByteArray();
    }
}
