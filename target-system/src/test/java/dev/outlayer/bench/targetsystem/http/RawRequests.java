package dev.outlayer.bench.targetsystem.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Requests no well-behaved client sends, written on a plain socket. */
public final class RawRequests {
    private RawRequests() {}

    /**
     * Declares {@code declaredLength} bytes of body, sends only {@code partialBody}, then closes
     * its sending side (the client went away mid-upload); returns whatever the server answered.
     */
    public static String truncated(int port, String method, String path, String partialBody, int declaredLength)
            throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + declaredLength + "\r\n\r\n" + partialBody)
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            socket.shutdownOutput();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
