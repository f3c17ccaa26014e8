package dev.outlayer.bench.targetsystem.keystore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Live interoperability with node:crypto (src/test/node-keystore/ecies.mjs): fresh random
 * ciphertexts each way.
 */
@Tag(RequiredTools.NODE)
@ExtendWith(RequiredTools.class)
class NodeInteropTest {
    static final Path SCRIPT =
            Path.of(System.getProperty("outlayer.root", ".."), "target-system/src/test/node-keystore/ecies.mjs");
    static final String MASTER = "8f1c6bd2a1e34b7f90d2c4a6e8b0f1a3c5e7092b4d6f8a1c3e5b7d9f0a2c4e6b";
    static final String SEED = "github.com/bob/agent:bob.near:main";

    @BeforeAll
    static void scriptIsThere() {
        assertThat(SCRIPT).exists();
    }

    @Test
    void nodeDerivesTheSameScopeKey() throws Exception {
        JsonNode node = node("pubkey", MASTER, SEED);
        assertThat(node.path("pubkey_hex").asText())
                .isEqualTo(new ScopeKeys(HexFormat.of().parseHex(MASTER))
                        .forSeed(SEED)
                        .publicKeyHex());
    }

    @Test
    void aCiphertextMadeByNodeOpensHere() throws Exception {
        String plaintext = "{\"OPENAI_KEY\":\"sk-node-" + System.nanoTime() + "\",\"UNICODE_VALUE\":\"é ü 鍵\"}";
        JsonNode node = node("encrypt", MASTER, SEED, plaintext);
        byte[] opened = Ecies.decrypt(
                new ScopeKeys(HexFormat.of().parseHex(MASTER)).forSeed(SEED).privateKey(),
                Base64.getDecoder().decode(node.path("ciphertext_base64").asText()));
        assertThat(new String(opened, StandardCharsets.UTF_8)).isEqualTo(plaintext);
    }

    @Test
    void aCiphertextMadeHereOpensInNode() throws Exception {
        String plaintext = "{\"TOKEN\":\"java-" + System.nanoTime() + "\"}";
        byte[] blob = Ecies.encrypt(
                new ScopeKeys(HexFormat.of().parseHex(MASTER)).forSeed(SEED).publicKey(),
                plaintext.getBytes(StandardCharsets.UTF_8));
        JsonNode node = node("decrypt", MASTER, SEED, Base64.getEncoder().encodeToString(blob));
        assertThat(node.path("plaintext").asText()).isEqualTo(plaintext);
    }

    private static JsonNode node(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", SCRIPT.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("node exit code").isZero();
        return JsonCodec.MAPPER.readTree(out);
    }
}
