package dev.outlayer.bench.targetsystem.timing;

/**
 * Where domain code records how long its phases took (a keystore roundtrip, a decrypt), without
 * knowing who reads them: the HTTP edge passes its {@code Server-Timing}, which implements this.
 */
public interface PhaseTimer {
    /** Records nothing: for callers that do not time their requests. */
    PhaseTimer NONE = new PhaseTimer() {
        @Override
        public PhaseTimer add(String phase, long nanos) {
            return this;
        }
    };

    /** Records a phase that took {@code nanos}; repeated names add up. */
    PhaseTimer add(String phase, long nanos);

    /** Records a phase that started at {@code startNanos} (System.nanoTime) and ends now. */
    default PhaseTimer since(String phase, long startNanos) {
        return add(phase, System.nanoTime() - startNanos);
    }
}
