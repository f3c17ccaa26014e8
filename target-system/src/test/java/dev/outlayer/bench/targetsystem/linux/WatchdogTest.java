package dev.outlayer.bench.targetsystem.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The wall-time watchdog keeps no alarm once its run ended. */
class WatchdogTest {
    @Test
    void aDisarmedAlarmLeavesTheTimerAtOnce() {
        try (Watchdog watchdog = new Watchdog()) {
            for (int i = 0; i < 1_000; i++) {
                Watchdog.Alarm alarm = watchdog.arm(TimeUnit.MINUTES.toNanos(1));
                assertThat(alarm.disarm())
                        .as("an alarm disarmed before its deadline")
                        .isFalse();
            }
            // Each disarmed alarm stayed queued until its deadline, a run's whole wall-time limit.
            assertThat(watchdog.scheduledAlarms())
                    .as("alarms still queued after their runs ended")
                    .isZero();

            Watchdog.Alarm armed = watchdog.arm(TimeUnit.MINUTES.toNanos(1));
            assertThat(watchdog.scheduledAlarms()).isEqualTo(1);
            armed.disarm();
        }
    }
}
