package dev.outlayer.bench.simulations.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;

/** Blocking HTTP calls made before or after the load (setup, audits): not measured. */
public final class SetupHttp {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private SetupHttp() {}

    public static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** {@code response}, when its status is {@code status}; else an exception naming {@code what}. */
    public static HttpResponse<String> expect(HttpResponse<String> response, int status, String what) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(what + " -> " + response.statusCode() + " " + response.body());
        }
        return response;
    }

    public static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * The stand-in's code source for OutLayer's executions: resources/programs/echo_json.wasm registered with
     * {@code PUT /programs} and named by its sha256, as OutLayer's WasmUrl source names a pre-compiled wasm.
     */
    public static String registerEchoProgram() {
        byte[] wasm = ContractCode.read(ContractCode.resolve("resources/programs/echo_json.wasm"));
        String url = Target.coordinatorUrl() + "/programs/echo_json";
        expect(
                send(HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/wasm")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(wasm))
                        .build()),
                201,
                "PUT /programs/echo_json");
        return "{\"WasmUrl\":{\"url\":\"" + url + "\",\"hash\":\""
                + HexFormat.of().formatHex(SignedCall.sha256(wasm)) + "\",\"build_target\":\"wasm32-wasip1\"}}";
    }
}
