package dev.outlayer.bench.targetsystem.executions;

import java.math.BigInteger;

/**
 * What OutLayer's {@code get_stats} and {@code get_user_earnings} (handlers/public.rs) compute over
 * {@code execution_history}: here over the finished jobs ({@link JobHistoryEntry}), of everyone or
 * of one user.
 *
 * @param totalInstructions the sum of the execute jobs' instructions
 * @param averageExecutionTimeMs the execute jobs' mean time, rounded half away from zero as
 *     PostgreSQL's {@code AVG(...)::BIGINT}; 0 when there is none
 * @param totalNearPaidYocto the sum of the rows' {@code near_payment_yocto} (a request's payment counts
 *     once per job, its compile's and its execution's, as OutLayer sums it)
 * @param uniqueUsers how many distinct {@code user_account_id}s the rows name
 */
public record JobStats(
        Outcomes outcomes,
        long totalInstructions,
        long averageExecutionTimeMs,
        BigInteger totalNearPaidYocto,
        long uniqueUsers) {

    /**
     * A mean of whole milliseconds rounded as PostgreSQL's {@code AVG(bigint)::BIGINT} rounds it (half
     * away from zero); 0 of no value, as OutLayer's {@code COALESCE(AVG(...), 0)}.
     */
    public static long average(long sum, long count) {
        return count == 0
                ? 0
                : java.math.BigDecimal.valueOf(sum)
                        .divide(java.math.BigDecimal.valueOf(count), 0, java.math.RoundingMode.HALF_UP)
                        .longValueExact();
    }

    /**
     * Rows counted by outcome: {@code successful} (the job completed) and by the failure statuses
     * of OutLayer's jobs table ({@code failed} alone being what it calls infrastructure errors).
     */
    public record Outcomes(
            long total,
            long successful,
            long failed,
            long accessDenied,
            long compilationFailed,
            long executionFailed,
            long insufficientPayment,
            long custom) {

        public static final Outcomes NONE = new Outcomes(0, 0, 0, 0, 0, 0, 0, 0);

        /** These counts and one more row of {@code status}. */
        public Outcomes plus(String status) {
            return counting(status, 1);
        }

        /** These counts less one row of {@code status} (a running total whose row changed). */
        public Outcomes minus(String status) {
            return counting(status, -1);
        }

        private Outcomes counting(String status, long rows) {
            return new Outcomes(
                    total + rows,
                    successful + ("completed".equals(status) ? rows : 0),
                    failed + ("failed".equals(status) ? rows : 0),
                    accessDenied + ("access_denied".equals(status) ? rows : 0),
                    compilationFailed + ("compilation_failed".equals(status) ? rows : 0),
                    executionFailed + ("execution_failed".equals(status) ? rows : 0),
                    insufficientPayment + ("insufficient_payment".equals(status) ? rows : 0),
                    custom + ("custom".equals(status) ? rows : 0));
        }
    }
}
