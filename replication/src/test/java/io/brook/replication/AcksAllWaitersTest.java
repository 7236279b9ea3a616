package io.brook.replication;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AcksAllWaitersTest {

    @Test
    void completesEveryWaiterTheHighWatermarkPassed() {
        // proves: a waiter completes once the high watermark is past its last offset, in append order
        AcksAllWaiters<String> waiters = new AcksAllWaiters<>(10);
        waiters.add(4, 1_000, "a");
        waiters.add(9, 1_000, "b");
        waiters.add(12, 1_000, "c");
        assertThat(waiters.completeBelow(4)).isEmpty();
        assertThat(waiters.completeBelow(10)).containsExactly("a", "b");
        assertThat(waiters.size()).isEqualTo(1);
    }

    @Test
    void expiresByDeadlineAndFailsAllOnLeadershipLoss() {
        // proves: each waiter leaves exactly once, by whichever comes first
        AcksAllWaiters<String> waiters = new AcksAllWaiters<>(10);
        waiters.add(1, 300, "a");
        waiters.add(2, 100, "b");
        waiters.add(3, 500, "c");
        assertThat(waiters.nextDeadlineMs()).isEqualTo(100);
        assertThat(waiters.expire(300)).containsExactly("a", "b");
        assertThat(waiters.removeAll()).containsExactly("c");
        assertThat(waiters.isEmpty()).isTrue();
        assertThat(waiters.nextDeadlineMs()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void isBounded() {
        // proves: capacity + 1 is refused
        AcksAllWaiters<String> waiters = new AcksAllWaiters<>(2);
        assertThat(waiters.add(1, 100, "a")).isTrue();
        assertThat(waiters.add(2, 100, "b")).isTrue();
        assertThat(waiters.add(3, 100, "c")).isFalse();
        assertThatThrownBy(() -> new AcksAllWaiters<String>(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBatchSentAgainWaitsInItsPlace() {
        // proves: an idempotent producer's retry, answered with its first (lower) offsets, completes with them
        AcksAllWaiters<String> waiters = new AcksAllWaiters<>(10);
        waiters.add(5, 100, "a");
        waiters.add(9, 100, "b");
        waiters.add(12, 100, "c");
        waiters.add(5, 100, "a-again");
        assertThat(waiters.completeBelow(6)).containsExactly("a", "a-again");
        assertThat(waiters.completeBelow(13)).containsExactly("b", "c");
    }
}
