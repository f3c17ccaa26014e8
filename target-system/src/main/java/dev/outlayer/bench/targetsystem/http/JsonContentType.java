package dev.outlayer.bench.targetsystem.http;

/**
 * Whether a {@code Content-Type} says JSON as axum's {@code Json<T>} extractor decides it (axum 0.7
 * {@code json_content_type}, what OutLayer's coordinator and keystore pin): the value parses as the
 * {@code mime} crate (0.3) parses a media type, its type is {@code application} and its subtype
 * {@code json} or its suffix {@code +json}, any case. Parameters are parsed but not looked at:
 * {@code application/json; charset=utf-8} and {@code application/cloudevents+json} are JSON,
 * {@code text/json}, {@code application/json ; charset=utf-8} (a space before the {@code ;}) and
 * {@code application/json; charset} (no {@code =}) are not. A few char comparisons on the header
 * Undertow already holds: nothing allocated, no regular expression (every JSON body passes here).
 */
public final class JsonContentType {
    private JsonContentType() {}

    /** @param value the request's first {@code Content-Type}, or null when there is none */
    public static boolean isJson(String value) {
        if (value == null) {
            return false;
        }
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false; // http's HeaderValue::to_str refuses anything but visible ASCII (and tab, no token char)
            }
        }
        // type: a token, then '/'
        int slash = 0;
        while (slash < length && isToken(value.charAt(slash))) {
            slash++;
        }
        if (slash == 0
                || slash == length
                || value.charAt(slash) != '/'
                || !equalsIgnoreCase(value, 0, slash, "application")) {
            return false;
        }
        // subtype: tokens up to ';' or the end; mime keeps the last '+' after its first character as the suffix's start
        int start = slash + 1;
        int plus = -1;
        int end = start;
        while (end < length) {
            char c = value.charAt(end);
            if (c == '+' && end > start) {
                plus = end;
            } else if (c == ';' && end > start) {
                break;
            } else if (!isToken(c)) {
                return false;
            }
            end++;
        }
        if (end < length && !parametersParse(value, end)) {
            return false;
        }
        return equalsIgnoreCase(value, start, plus < 0 ? end : plus, "json")
                || (plus >= 0 && equalsIgnoreCase(value, plus + 1, end, "json"));
    }

    /** mime 0.3's {@code params_from_str} from the {@code ;} at {@code semicolon}: whether the parameters parse. */
    private static boolean parametersParse(String s, int semicolon) {
        int length = s.length();
        int start = semicolon + 1;
        int i = start;
        while (start < length) {
            // name: spaces right after the ';' skipped, then a token up to '='
            while (true) {
                if (i == length) {
                    return false; // no '='
                }
                char c = s.charAt(i);
                if (c == ' ' && i == start) {
                    start = i + 1;
                } else if (c == '=' && i > start) {
                    start = i + 1;
                    i++;
                    break;
                } else if (!isToken(c)) {
                    return false;
                }
                i++;
            }
            // value: a token (up to ';' or the end), or a quoted string
            if (i < length && s.charAt(i) == '"' && i == start) {
                start = ++i;
                while (true) {
                    if (i == length) {
                        return false; // no closing quote
                    }
                    char c = s.charAt(i);
                    if (c == '"' && i > start) {
                        i++;
                        break;
                    } else if (c < 0x20 || c == 0x7F) {
                        return false;
                    }
                    i++;
                }
                // after the quote: spaces, then ';' or the end
                while (i < length && s.charAt(i) == ' ') {
                    i++;
                }
                if (i < length && s.charAt(i) != ';') {
                    return false;
                }
                start = ++i;
            } else {
                while (i < length && s.charAt(i) != ';') {
                    if (!isToken(s.charAt(i))) {
                        return false;
                    }
                    i++;
                }
                if (i < length && i == start) {
                    return false; // ";name=;": an empty value before ';'
                }
                start = ++i;
            }
        }
        return true;
    }

    /** RFC 7230 {@code tchar}, the mime crate's TOKEN_MAP. */
    private static boolean isToken(char c) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            return true;
        }
        return switch (c) {
            case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~' -> true;
            default -> false;
        };
    }

    private static boolean equalsIgnoreCase(String s, int from, int to, String lowerCase) {
        return to - from == lowerCase.length() && s.regionMatches(true, from, lowerCase, 0, lowerCase.length());
    }
}
