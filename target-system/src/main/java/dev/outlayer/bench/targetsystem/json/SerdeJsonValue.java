package dev.outlayer.bench.targetsystem.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;

/**
 * Text OutLayer did not write, read as {@code serde_json::from_slice::<serde_json::Value>} reads it: a program's
 * stdout under the {@code Json} response format (worker executor/mod.rs). One value with whitespace around it,
 * 127 levels of nesting, numbers an f64 holds ({@code 1e400} is refused), strings of UTF-8 without lone
 * surrogate escapes; a member given twice keeps its last value, as serde_json's map insert does (request bodies
 * refuse one instead, {@link JsonCodec}). Jackson parses it once; a refusal is worded as serde_json words it, at
 * its position ({@link SerdeJsonErrors}, run on that path only). What Jackson alone would take and serde_json
 * refuses (an escaped lone surrogate, an overlong UTF-8 form) is looked for by a scan of the bytes, not a parse.
 * The tree is written back as serde_json writes it by {@link SerdeJsonText}.
 */
public final class SerdeJsonValue {
    private static final ObjectReader READER = JsonCodec.MAPPER.reader().with(FiniteNodes.INSTANCE);

    private SerdeJsonValue() {}

    /** Why serde_json refuses the text: its error's {@code Display}, e.g. {@code expected value at line 1 column 1}. */
    public static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** The value {@code json} holds. */
    public static JsonNode read(byte[] json) throws Refused {
        JsonNode value;
        try (JsonParser parser = JsonCodec.MAPPER.getFactory().createParser(json)) {
            // the mapper's factory refuses a duplicate key (and a reader's override of it does not reach the parser)
            parser.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            value = READER.readTree(parser);
        } catch (IOException | FiniteNodes.OutOfRange e) {
            throw refused(json, e);
        }
        if (value == null) {
            throw refused(json, null); // nothing but whitespace: serde's EOF while parsing a value
        }
        if (JsonCodec.mayHoldSurrogateEscape(json) || !JsonCodec.isUtf8(json)) {
            String serde = SerdeJsonErrors.syntaxError(json);
            if (serde != null) {
                throw new Refused(serde);
            }
        }
        return value;
    }

    private static Refused refused(byte[] json, Exception jackson) {
        String serde = SerdeJsonErrors.syntaxError(json);
        if (serde != null) {
            return new Refused(serde);
        }
        // serde_json reads what Jackson would not (a number past Jackson's length limit): Jackson's reason
        if (jackson instanceof JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            return new Refused(e.getOriginalMessage()
                    + (at == null ? "" : " at line " + at.getLineNr() + " column " + at.getColumnNr()));
        }
        return new Refused(jackson == null ? "EOF while parsing a value" : jackson.getMessage());
    }
}
