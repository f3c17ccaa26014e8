package dev.outlayer.bench.targetsystem.payments;

import java.util.List;

/** One page of a listing, newest first, and how many rows the listing has in all (OutLayer's {@code total_count}). */
public record Page<T>(List<T> items, long total) {
    /** OutLayer's paging: {@code limit} capped at 100, never below 1; {@code offset} never below 0. */
    public record Request(int limit, long offset) {
        public static Request of(Integer limit, Long offset, int defaultLimit) {
            int l = limit == null ? defaultLimit : Math.max(1, Math.min(100, limit));
            return new Request(l, offset == null ? 0 : Math.max(0, offset));
        }
    }
}
