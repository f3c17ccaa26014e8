package dev.outlayer.bench.targetsystem.throttle;

import io.github.bucket4j.TimeMeter;
import java.util.concurrent.atomic.AtomicLong;

/** A bucket clock that moves only when told to: refills a test can count on, however loaded the machine. */
final class FakeClock implements TimeMeter {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    void advance(long byNanos) {
        nanos.addAndGet(byNanos);
    }

    @Override
    public long currentTimeNanos() {
        return nanos.get();
    }

    @Override
    public boolean isWallClockBased() {
        return false;
    }
}
