package io.brook.storage;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MockTimeTest {

    @Test
    void movesOnlyWhenTold() {
        // proves: sleep advances both clocks without waiting; set moves the wall clock
        MockTime time = new MockTime(1000);
        long startNs = time.nanoseconds();
        assertThat(time.milliseconds()).isEqualTo(1000);
        time.sleep(250);
        assertThat(time.milliseconds()).isEqualTo(1250);
        assertThat(time.nanoseconds() - startNs).isEqualTo(250_000_000L);
        time.setCurrentTimeMs(5000);
        assertThat(time.milliseconds()).isEqualTo(5000);
        time.setCurrentTimeMs(10);
        assertThat(time.milliseconds()).isEqualTo(10);
        assertThat(time.nanoseconds() - startNs).as("monotonic clock never goes back").isEqualTo(4_000_000_000L);
        assertThatThrownBy(() -> time.sleep(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void systemTimeIsTheRealClock() {
        // proves: Time.SYSTEM reads System.currentTimeMillis
        long before = System.currentTimeMillis();
        long now = Time.SYSTEM.milliseconds();
        assertThat(now).isBetween(before, System.currentTimeMillis());
    }
}
