package dev.outlayer.bench.targetsystem.throttle;

import java.util.Locale;

/**
 * Whose bucket a request draws on. {@link #PER_CLIENT} (the default) gives every API key and every
 * anonymous address its own bucket and in-flight cap, and refuses unknown keys.
 * {@link #OUTLAYER} is OutLayer's coordinator ({@code coordinator/src/middleware/throttle.rs}): one
 * bucket per route and class, anonymous or keyed, shared by every caller of that class; any
 * {@code Authorization: Bearer} header (or an {@code api_key=}/{@code apikey=} query) makes a
 * request keyed, valid key or not; a refusal is a plain-text 429 with a fixed {@code Retry-After: 5}.
 */
public enum ThrottleKeying {
    PER_CLIENT("per-client"),
    OUTLAYER("outlayer");

    private final String flag;

    ThrottleKeying(String flag) {
        this.flag = flag;
    }

    /** The name {@code --throttle-keying} takes. */
    public String flag() {
        return flag;
    }

    public static ThrottleKeying named(String name) {
        for (ThrottleKeying keying : values()) {
            if (keying.flag.equals(name.strip().toLowerCase(Locale.ROOT))) {
                return keying;
            }
        }
        throw new IllegalArgumentException("--throttle-keying must be 'per-client' or 'outlayer', not '" + name + "'");
    }
}
