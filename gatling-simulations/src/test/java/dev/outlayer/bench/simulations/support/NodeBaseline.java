package dev.outlayer.bench.simulations.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code gatling-simulations/src/test/node/bare-wasm.mjs}: a contract method as bare WebAssembly in V8,
 * a fresh {@code WebAssembly.Instance} per call, with the same no-op host as {@link BareWasm}.
 */
public final class NodeBaseline {
    private static final String SCRIPT = "gatling-simulations/src/test/node/bare-wasm.mjs";

    private NodeBaseline() {}

    /** The measured calls' nanoseconds, or null when Node is not installed. */
    public static List<Long> run(String wasm, String method, String argsJson, int warmUp, int calls) {
        Process process;
        try {
            process = new ProcessBuilder(
                            "node",
                            ContractCode.resolve(SCRIPT).toString(),
                            ContractCode.resolve(wasm).toString(),
                            method,
                            argsJson,
                            Integer.toString(warmUp),
                            Integer.toString(calls))
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException notInstalled) {
            return null;
        }
        try {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("node " + SCRIPT + " " + wasm + " " + method + " failed: " + out);
            }
            List<Long> nanos = new ArrayList<>();
            for (JsonNode n : new ObjectMapper().readTree(out).get("nanos")) {
                nanos.add(n.asLong());
            }
            return nanos;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the V8 baseline: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
