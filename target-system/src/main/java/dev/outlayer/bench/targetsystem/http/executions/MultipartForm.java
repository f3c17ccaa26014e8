package dev.outlayer.bench.targetsystem.http.executions;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A {@code multipart/form-data} body (RFC 7578), as OutLayer's worker sends {@code POST
 * /wasm/upload} (reqwest's multipart form): each part's name, file name and bytes. Unreadable
 * bodies are refused with {@link IllegalArgumentException}, whose message a client may see.
 */
final class MultipartForm {
    /** One part: {@code filename} is null for a plain field. */
    record Part(String name, String filename, byte[] data) {
        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] HEADERS_END = {'\r', '\n', '\r', '\n'};

    private MultipartForm() {}

    /** The parts by name (a name sent twice: the last one, as OutLayer's handler keeps it). */
    static Map<String, Part> parse(String contentType, byte[] body) {
        byte[] delimiter = ("--" + boundary(contentType)).getBytes(StandardCharsets.ISO_8859_1);
        Map<String, Part> parts = new HashMap<>();
        int at = indexOf(body, delimiter, 0);
        if (at < 0) {
            throw new IllegalArgumentException("the multipart body has no boundary line");
        }
        while (true) {
            int after = at + delimiter.length;
            if (startsWith(body, after, new byte[] {'-', '-'})) {
                return parts; // the closing delimiter
            }
            if (!startsWith(body, after, CRLF)) {
                throw new IllegalArgumentException("the multipart body is malformed after a boundary line");
            }
            int headersStart = after + CRLF.length;
            int headersEnd = indexOf(body, HEADERS_END, headersStart);
            if (headersEnd < 0) {
                throw new IllegalArgumentException("a multipart part has no end of its headers");
            }
            String headers = new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8);
            int dataStart = headersEnd + HEADERS_END.length;
            byte[] next = concat(CRLF, delimiter);
            int dataEnd = indexOf(body, next, dataStart);
            if (dataEnd < 0) {
                throw new IllegalArgumentException("the multipart body ends inside a part (no closing boundary)");
            }
            Part part = part(headers, Arrays.copyOfRange(body, dataStart, dataEnd));
            parts.put(part.name(), part);
            at = dataEnd + CRLF.length;
        }
    }

    private static String boundary(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw new IllegalArgumentException("Content-Type must be multipart/form-data");
        }
        for (String parameter : contentType.split(";")) {
            String trimmed = parameter.trim();
            if (trimmed.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String value = trimmed.substring("boundary=".length());
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                if (!value.isEmpty() && value.length() <= 70) {
                    return value;
                }
            }
        }
        throw new IllegalArgumentException("Content-Type multipart/form-data needs a boundary (1 to 70 characters)");
    }

    private static Part part(String headers, byte[] data) {
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Disposition")) {
                String name = null;
                String filename = null;
                for (String parameter : line.substring(colon + 1).split(";")) {
                    String trimmed = parameter.trim();
                    if (trimmed.startsWith("name=")) {
                        name = unquote(trimmed.substring("name=".length()));
                    } else if (trimmed.startsWith("filename=")) {
                        filename = unquote(trimmed.substring("filename=".length()));
                    }
                }
                if (name == null) {
                    throw new IllegalArgumentException("a multipart part's Content-Disposition names no field");
                }
                return new Part(name, filename, data);
            }
        }
        throw new IllegalArgumentException("a multipart part has no Content-Disposition");
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1)
                : value;
    }

    private static boolean startsWith(byte[] body, int at, byte[] prefix) {
        if (at + prefix.length > body.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (body[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] body, byte[] needle, int from) {
        for (int i = Math.max(0, from); i + needle.length <= body.length; i++) {
            if (startsWith(body, i, needle)) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
