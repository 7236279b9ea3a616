package io.brook.client.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Proves the member's clocks with time passed in: heartbeat due, backoff, session and poll expiry. */
class HeartbeatTest {
  // session 10 s, heartbeat every 3 s, poll within 60 s, backoff 100 ms
  final Heartbeat heartbeat = new Heartbeat(10_000, 3_000, 60_000, 100, 0);

  @Test
  void aHeartbeatIsDueEveryIntervalAfterTheLastOneSent() {
    assertThat(heartbeat.shouldHeartbeat(2_999)).isFalse();
    assertThat(heartbeat.shouldHeartbeat(3_000)).isTrue();
    heartbeat.sent(3_000);
    assertThat(heartbeat.inFlight()).isTrue();
    assertThat(heartbeat.timeToNextHeartbeat(4_000)).isEqualTo(2_000);
    heartbeat.received(3_010);
    assertThat(heartbeat.shouldHeartbeat(5_999)).isFalse();
    assertThat(heartbeat.shouldHeartbeat(6_000)).isTrue();
  }

  @Test
  void failedHeartbeatsBackOffDoublingUpToASecond() {
    heartbeat.failed(0);
    assertThat(heartbeat.timeToNextHeartbeat(0)).isEqualTo(100);
    heartbeat.failed(0);
    assertThat(heartbeat.timeToNextHeartbeat(0)).isEqualTo(200);
    for (int i = 0; i < 10; i++) {
      heartbeat.failed(0);
    }
    assertThat(heartbeat.timeToNextHeartbeat(0)).isEqualTo(Heartbeat.MAX_BACKOFF_MS);
    heartbeat.received(0);
    heartbeat.failed(0);
    assertThat(heartbeat.timeToNextHeartbeat(0)).as("a success resets the backoff").isEqualTo(100);
  }

  @Test
  void theSessionEndsWithoutAnAnsweredHeartbeatAndThePollIntervalWithoutAPoll() {
    assertThat(heartbeat.sessionTimeoutExpired(9_999)).isFalse();
    assertThat(heartbeat.sessionTimeoutExpired(10_000)).isTrue();
    heartbeat.received(9_000);
    assertThat(heartbeat.sessionTimeoutExpired(18_999)).isFalse();
    heartbeat.resetSessionTimeout(20_000);
    assertThat(heartbeat.sessionTimeoutExpired(29_999)).isFalse();

    assertThat(heartbeat.pollTimeoutExpired(60_000)).isTrue();
    heartbeat.poll(50_000);
    assertThat(heartbeat.pollTimeoutExpired(109_999)).isFalse();
    assertThat(heartbeat.pollTimeoutExpired(110_000)).isTrue();
    assertThat(heartbeat.timeToNextCheck(100_000)).as("the earliest deadline").isZero();
  }

  @Test
  void aNewGenerationRestartsEveryClock() {
    heartbeat.resetTimeouts(100_000);
    assertThat(heartbeat.sessionTimeoutExpired(109_999)).isFalse();
    assertThat(heartbeat.pollTimeoutExpired(159_999)).isFalse();
    assertThat(heartbeat.timeToNextCheck(100_000)).isEqualTo(3_000);
  }

  @Test
  void theIntervalMustBeBelowTheSession() {
    assertThatThrownBy(() -> new Heartbeat(3_000, 3_000, 60_000, 100, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
