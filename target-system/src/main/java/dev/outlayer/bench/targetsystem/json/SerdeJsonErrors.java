package dev.outlayer.bench.targetsystem.json;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * Why serde_json refuses a body, in its words and at its position: the texts nearcore's JSON-RPC
 * answers a malformed request with ("EOF while parsing an object at line 1 column 1", "expected value
 * at line 1 column 1", "key must be a string at ..."). Jackson's own messages name Java features and
 * read differently, so a body Jackson refused is scanned again here as serde_json's {@code from_slice}
 * reads one JSON value (serde_json 1.x {@code de.rs}: its error for each place, a line counted from 1
 * and a column counted in bytes, the recursion limit of 128). Only ever run on a body that was already
 * refused: a body that parses never pays for it.
 */
public final class SerdeJsonErrors {
    private static final int RECURSION_LIMIT = 128;

    private SerdeJsonErrors() {}

    /**
     * Why {@code body} is refused.
     *
     * @param message serde's text, with its position
     * @param duplicateDepth when serde_json reads the body as one value but Jackson refused a duplicate key: the
     *     depth of its object (1 for the top level), else 0
     */
    public record Refusal(String message, int duplicateDepth) {}

    /**
     * serde_json's first error for {@code body}; failing that (serde reads it, Jackson refused it) the first
     * duplicate key in serde's words for a struct, or else a serde-styled "invalid value" at the byte Jackson
     * stopped at ({@code jacksonByteOffset}, -1 when unknown).
     */
    public static Refusal refusal(byte[] body, long jacksonByteOffset) {
        Scan scan = new Scan(body);
        try {
            scan.document();
        } catch (Refused syntax) {
            return new Refusal(syntax.getMessage(), 0);
        }
        if (scan.duplicate != null) {
            return new Refusal(scan.duplicate, scan.duplicateDepth);
        }
        int at = (int) Math.max(0, Math.min(body.length, jacksonByteOffset));
        return new Refusal("invalid value at " + position(body, at), 0);
    }

    /** serde_json's error for {@code body} read as one JSON value, or null when serde_json reads it. */
    public static String syntaxError(byte[] body) {
        try {
            new Scan(body).document();
            return null;
        } catch (Refused syntax) {
            return syntax.getMessage();
        }
    }

    /** serde_json's {@code line L column C} for a byte index: the column is the count of bytes before it on its line. */
    static String position(byte[] s, int index) {
        int line = 1;
        int startOfLine = 0;
        for (int i = 0; i < index; i++) {
            if (s[i] == '\n') {
                line++;
                startOfLine = i + 1;
            }
        }
        return "line " + line + " column " + (index - startOfLine);
    }

    private static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** One pass of serde_json's deserializer over the bytes, keeping nothing but where it stands. */
    private static final class Scan {
        private final byte[] s;
        private final int n;
        private int i;
        private int depthLeft = RECURSION_LIMIT;
        private int objectDepth;
        private String duplicate;
        private int duplicateDepth;

        Scan(byte[] s) {
            this.s = s;
            this.n = s.length;
        }

        void document() {
            value();
            if (whitespace() >= 0) {
                throw peekError("trailing characters");
            }
        }

        /** The next byte that is not JSON whitespace, not consumed; -1 at the end. */
        private int whitespace() {
            while (i < n && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r')) {
                i++;
            }
            return i < n ? s[i] & 0xFF : -1;
        }

        /** serde's {@code error}: at the byte just consumed. */
        private Refused error(String code) {
            return new Refused(code + " at " + position(s, i));
        }

        /** serde's {@code peek_error}: at the byte looked at, not yet consumed. */
        private Refused peekError(String code) {
            return new Refused(code + " at " + position(s, Math.min(n, i + 1)));
        }

        private void value() {
            int peek = whitespace();
            if (peek < 0) {
                throw peekError("EOF while parsing a value");
            }
            switch (peek) {
                case 'n' -> ident("null");
                case 't' -> ident("true");
                case 'f' -> ident("false");
                case '-' -> {
                    i++;
                    number(i - 1);
                }
                case '"' -> {
                    i++;
                    string();
                }
                case '[' -> {
                    enter();
                    list();
                    depthLeft++;
                }
                case '{' -> {
                    enter();
                    object();
                    depthLeft++;
                }
                default -> {
                    if (peek >= '0' && peek <= '9') {
                        number(i);
                    } else {
                        throw peekError("expected value");
                    }
                }
            }
        }

        private void enter() {
            if (--depthLeft == 0) {
                throw peekError("recursion limit exceeded");
            }
            i++;
        }

        private void ident(String word) {
            i++;
            for (int k = 1; k < word.length(); k++) {
                if (i >= n) {
                    throw error("EOF while parsing a value");
                }
                if (s[i++] != word.charAt(k)) {
                    throw error("expected ident");
                }
            }
        }

        private boolean digitAt(int at) {
            return at < n && s[at] >= '0' && s[at] <= '9';
        }

        /** After an optional '-': digits, fraction, exponent; a value beyond f64 is out of range. */
        private void number(int start) {
            if (i >= n) {
                throw error("EOF while parsing a value");
            }
            int first = s[i++];
            if (first == '0') {
                if (digitAt(i)) {
                    throw peekError("invalid number");
                }
            } else if (first >= '1' && first <= '9') {
                while (digitAt(i)) {
                    i++;
                }
            } else {
                throw error("invalid number");
            }
            boolean zeroSignificand = true;
            for (int k = start; k < i; k++) {
                zeroSignificand &= s[k] == '0' || s[k] == '-';
            }
            if (i < n && s[i] == '.') {
                i++;
                int digits = 0;
                while (digitAt(i)) {
                    zeroSignificand &= s[i] == '0';
                    i++;
                    digits++;
                }
                if (digits == 0) {
                    throw peekError(i < n ? "invalid number" : "EOF while parsing a value");
                }
            }
            if (i < n && (s[i] == 'e' || s[i] == 'E')) {
                exponent(zeroSignificand);
            }
            double value = Double.parseDouble(new String(s, start, i - start, StandardCharsets.US_ASCII));
            if (Double.isInfinite(value)) {
                throw error("number out of range");
            }
        }

        private void exponent(boolean zeroSignificand) {
            i++;
            boolean positive = true;
            if (i < n && (s[i] == '+' || s[i] == '-')) {
                positive = s[i++] == '+';
            }
            if (i >= n) {
                throw error("EOF while parsing a value");
            }
            int first = s[i++];
            if (first < '0' || first > '9') {
                throw error("invalid number");
            }
            long exp = first - '0';
            while (digitAt(i)) {
                int digit = s[i++] - '0';
                // serde keeps the exponent in an i32: past it, a non-zero number grows out of range there.
                if (exp > Integer.MAX_VALUE / 10 || (exp == Integer.MAX_VALUE / 10 && digit > Integer.MAX_VALUE % 10)) {
                    if (!zeroSignificand && positive) {
                        throw error("number out of range");
                    }
                    while (digitAt(i)) {
                        i++;
                    }
                    return;
                }
                exp = exp * 10 + digit;
            }
        }

        /** After the opening quote, through the closing one. */
        private void string() {
            int start = i;
            while (true) {
                if (i >= n) {
                    throw error("EOF while parsing a string");
                }
                int b = s[i] & 0xFF;
                if (b == '"') {
                    int end = i++;
                    if (!utf8(start, end)) {
                        throw error("invalid unicode code point");
                    }
                    return;
                }
                i++;
                if (b == '\\') {
                    escape();
                } else if (b < 0x20) {
                    throw error("control character (\\u0000-\\u001F) found while parsing a string");
                }
            }
        }

        private boolean utf8(int start, int end) {
            try {
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(s, start, end - start));
                return true;
            } catch (CharacterCodingException e) {
                return false;
            }
        }

        private void escape() {
            if (i >= n) {
                throw error("EOF while parsing a string");
            }
            switch (s[i++]) {
                case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {}
                case 'u' -> unicodeEscape();
                default -> throw error("invalid escape");
            }
        }

        /** A UTF-16 unit; a leading surrogate must be followed by an escaped trailing one. */
        private void unicodeEscape() {
            int unit = hex4();
            if (unit >= 0xDC00 && unit <= 0xDFFF) {
                throw error("lone leading surrogate in hex escape");
            }
            if (unit < 0xD800 || unit > 0xDBFF) {
                return;
            }
            for (char expected : new char[] {'\\', 'u'}) {
                if (i >= n) {
                    throw error("EOF while parsing a string");
                }
                if (s[i++] != expected) {
                    throw error("unexpected end of hex escape");
                }
            }
            int trailing = hex4();
            if (trailing < 0xDC00 || trailing > 0xDFFF) {
                throw error("lone leading surrogate in hex escape");
            }
        }

        private int hex4() {
            if (n - i < 4) {
                i = n;
                throw error("EOF while parsing a string");
            }
            int unit = 0;
            boolean valid = true;
            for (int k = 0; k < 4; k++) {
                int digit = Character.digit(s[i + k], 16);
                valid &= digit >= 0;
                unit = unit * 16 + Math.max(digit, 0);
            }
            i += 4;
            if (!valid) {
                throw error("invalid escape");
            }
            return unit;
        }

        private void list() {
            boolean first = true;
            while (true) {
                int peek = whitespace();
                if (peek < 0) {
                    throw peekError("EOF while parsing a list");
                }
                if (peek == ']') {
                    i++;
                    return;
                }
                if (first) {
                    first = false;
                } else if (peek == ',') {
                    i++;
                    int next = whitespace();
                    if (next == ']') {
                        throw peekError("trailing comma");
                    }
                    if (next < 0) {
                        throw peekError("EOF while parsing a value");
                    }
                } else {
                    throw peekError("expected `,` or `]`");
                }
                value();
            }
        }

        private void object() {
            objectDepth++;
            Set<String> keys = new HashSet<>();
            boolean first = true;
            while (true) {
                int peek = whitespace();
                if (peek == '}') {
                    i++;
                    objectDepth--;
                    return;
                }
                if (peek == ',' && !first) {
                    i++;
                    peek = whitespace();
                } else if (peek < 0) {
                    throw peekError("EOF while parsing an object");
                } else if (first) {
                    first = false;
                } else {
                    throw peekError("expected `,` or `}`");
                }
                if (peek == '}') {
                    throw peekError("trailing comma");
                }
                if (peek < 0) {
                    throw peekError("EOF while parsing a value");
                }
                if (peek != '"') {
                    throw peekError("key must be a string");
                }
                key(keys);
                int colon = whitespace();
                if (colon < 0) {
                    throw peekError("EOF while parsing an object");
                }
                if (colon != ':') {
                    throw peekError("expected `:`");
                }
                i++;
                value();
            }
        }

        /** A key; the first one repeated is kept as serde's struct words for it, where its key ends. */
        private void key(Set<String> keys) {
            int start = ++i;
            string();
            String key = new String(s, start, i - 1 - start, StandardCharsets.UTF_8);
            if (!keys.add(key) && duplicate == null) {
                int at = i;
                while (at < n && (s[at] == ' ' || s[at] == '\n' || s[at] == '\t' || s[at] == '\r')) {
                    at++;
                }
                duplicate = "duplicate field `" + key + "` at " + position(s, at);
                duplicateDepth = objectDepth;
            }
        }
    }
}
