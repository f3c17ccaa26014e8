package dev.outlayer.bench.targetsystem.http;

import dev.outlayer.bench.targetsystem.json.JsonCodec;
import io.undertow.server.handlers.HostHeaderHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.xnio.conduits.AbstractStreamSinkConduit;
import org.xnio.conduits.Conduits;
import org.xnio.conduits.StreamSinkConduit;

/**
 * Undertow answers a request it cannot parse (a malformed request line or header) with a fixed,
 * bodiless 400 written straight to the socket, before any handler runs; and a request whose Host
 * header its {@code HostHeaderHandler} refuses (which it puts in front of every root handler) with a
 * bodiless 400 whose reason phrase says why. This conduit sits under every connection's output and
 * swaps exactly those answers for the same 400 with the usual JSON error body; every other write
 * passes through untouched.
 */
final class ProtocolErrorBody extends AbstractStreamSinkConduit<StreamSinkConduit> {
    /** Undertow's own answer (HttpReadListener.BAD_REQUEST in 2.3). */
    private static final ByteBuffer UNDERTOW_400 =
            ascii("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

    private static final byte[] JSON_400 = json400("the request line or headers could not be parsed");

    /** The status line HostHeaderHandler's refusals start with; the reason phrase follows. */
    private static final byte[] STATUS_400 = "HTTP/1.1 400 ".getBytes(StandardCharsets.US_ASCII);

    /** Each reason HostHeaderHandler gives, and our answer for it. */
    private static final Map<String, byte[]> HOST_REFUSALS = Stream.of(
                    HostHeaderHandler.STATUS_NO_HOST_HEADER,
                    HostHeaderHandler.STATUS_TOO_MANY_HOST_HEADERS,
                    HostHeaderHandler.STATUS_MALFORMED_PORT,
                    HostHeaderHandler.STATUS_MALFORMED_IP_LITERAL,
                    HostHeaderHandler.STATUS_MALFORMED_IP_LITERAL_BAD_CHARS,
                    HostHeaderHandler.STATUS_HOST_NO_MATCH)
            .collect(Collectors.toUnmodifiableMap(
                    reason -> reason, reason -> json400("the Host header was refused: " + reason)));

    /** A 400 that closes the connection, with the JSON error body every error of the API has. */
    private static byte[] json400(String message) {
        byte[] body = JsonCodec.bytes(Responses.errorBody(400, message));
        byte[] head = ("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] answer = new byte[head.length + body.length];
        System.arraycopy(head, 0, answer, 0, head.length);
        System.arraycopy(body, 0, answer, head.length, body.length);
        return answer;
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
        if (pending == null) {
            byte[] answer = replacement(src);
            if (answer != null) {
                int swallowed = src.remaining();
                src.position(src.limit());
                pending = ByteBuffer.wrap(answer);
                drain();
                return swallowed;
            }
        }
        return drain() ? next.write(src) : 0;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offs, int len) throws IOException {
        if (pending == null && len == 1) {
            return write(srcs[offs]);
        }
        return drain() ? next.write(srcs, offs, len) : 0;
    }

    /** Our answer instead of {@code src}, when it is one of the bodiless 400s above (and all of it); else null. */
    private static byte[] replacement(ByteBuffer src) {
        int length = src.remaining();
        if (length == UNDERTOW_400.remaining() && src.equals(UNDERTOW_400)) {
            return JSON_400;
        }
        if (length > 512 || length < STATUS_400.length || !startsWith(src, STATUS_400)) {
            return null; // every other answer: one comparison of a few bytes
        }
        // A 400 head of ours or Undertow's, rare: read it as text.
        String head = StandardCharsets.US_ASCII.decode(src.duplicate()).toString();
        if (!head.endsWith("\r\n\r\n") || !head.contains("\r\nContent-Length: 0\r\n")) {
            return null;
        }
        return HOST_REFUSALS.get(head.substring(STATUS_400.length, head.indexOf('\r')));
    }

    private static boolean startsWith(ByteBuffer src, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (src.get(src.position() + i) != prefix[i]) {
                return false;
            }
        }
        return true;
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
