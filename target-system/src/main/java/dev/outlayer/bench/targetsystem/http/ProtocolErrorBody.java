package dev.outlayer.bench.targetsystem.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.xnio.conduits.AbstractStreamSinkConduit;
import org.xnio.conduits.Conduits;
import org.xnio.conduits.StreamSinkConduit;

/**
 * Undertow answers a request it cannot parse (a malformed request line or header) with a fixed,
 * bodiless 400 written straight to the socket, before any handler runs. This conduit sits under
 * every connection's output and swaps exactly those bytes for the same 400 with the usual JSON
 * error body; every other write passes through untouched.
 */
final class ProtocolErrorBody extends AbstractStreamSinkConduit<StreamSinkConduit> {
    /** Undertow's own answer (HttpReadListener.BAD_REQUEST in 2.3). */
    private static final ByteBuffer UNDERTOW_400 =
            ascii("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

    private static final byte[] JSON_400;

    static {
        byte[] body = "{\"error\":\"the request line or headers could not be parsed\",\"status\":400}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] head = ("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        JSON_400 = new byte[head.length + body.length];
        System.arraycopy(head, 0, JSON_400, 0, head.length);
        System.arraycopy(body, 0, JSON_400, head.length, body.length);
    }

    /** The JSON answer still to be written, after Undertow's was swallowed. */
    private ByteBuffer pending;

    ProtocolErrorBody(StreamSinkConduit next) {
        super(next);
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (pending == null && src.remaining() == UNDERTOW_400.remaining() && src.equals(UNDERTOW_400)) {
            int swallowed = src.remaining();
            src.position(src.limit());
            pending = ByteBuffer.wrap(JSON_400);
            drain();
            return swallowed;
        }
        return drain() ? next.write(src) : 0;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offs, int len) throws IOException {
        return drain() ? next.write(srcs, offs, len) : 0;
    }

    @Override
    public int writeFinal(ByteBuffer src) throws IOException {
        return Conduits.writeFinalBasic(this, src);
    }

    @Override
    public long writeFinal(ByteBuffer[] srcs, int offs, int len) throws IOException {
        return Conduits.writeFinalBasic(this, srcs, offs, len);
    }

    @Override
    public boolean flush() throws IOException {
        return drain() && next.flush();
    }

    /** Writes what is pending; true when nothing is left. */
    private boolean drain() throws IOException {
        if (pending == null) {
            return true;
        }
        while (pending.hasRemaining()) {
            if (next.write(pending) == 0) {
                return false;
            }
        }
        pending = null;
        return true;
    }
}
