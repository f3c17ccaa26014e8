package dev.outlayer.bench.targetsystem.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NumericNode;
import com.fasterxml.jackson.databind.node.ValueNode;
import java.io.IOException;
import java.math.BigInteger;

/**
 * JSON trees whose numbers are what serde_json reads: every number an f64 can hold. serde_json refuses
 * {@code 1e400} (or an integer of 400 digits) while it parses ("number out of range"), where Jackson's
 * tree holds Infinity or a BigInteger. Jackson hands the factory each number it has already converted,
 * so the check is one comparison on a double (a BigInteger only past a long), with no second pass over
 * the body. Used for the trees read from request bodies, not for trees the target system builds itself.
 */
final class FiniteNodes extends JsonNodeFactory {
    static final FiniteNodes INSTANCE = new FiniteNodes();

    private FiniteNodes() {
        super(false);
    }

    /** A number beyond f64 in a request body; the reader that sees it answers in serde_json's words. */
    static final class OutOfRange extends RuntimeException {
        OutOfRange() {
            super("number out of range", null, false, false);
        }
    }

    @Override
    public NumericNode numberNode(double value) {
        if (Double.isInfinite(value)) {
            throw new OutOfRange();
        }
        return super.numberNode(value);
    }

    @Override
    public ValueNode numberNode(Double value) {
        return value == null ? nullNode() : numberNode(value.doubleValue());
    }

    @Override
    public ValueNode numberNode(BigInteger value) {
        if (value != null && Double.isInfinite(value.doubleValue())) {
            throw new OutOfRange();
        }
        return super.numberNode(value);
    }

    /** The same check for a number the parser stands on, read without a tree (a kept-as-text JSON-RPC id). */
    static void requireInRange(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            if (Double.isInfinite(parser.getDoubleValue())) {
                throw new OutOfRange();
            }
        } else if (token == JsonToken.VALUE_NUMBER_INT
                && parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                && Double.isInfinite(parser.getBigIntegerValue().doubleValue())) {
            throw new OutOfRange();
        }
    }
}
