package io.brook.replication;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class DeleteRecordsWaitersTest {

    @Test
    void theLowWatermarkIsTheLowestLogStartOfTheIsrAndUnknownFollowersHoldItAtZero() {
        // proves: Kafka's lowWatermarkIfLeader over the ISR; a follower not heard from yet counts as 0
        DeleteRecordsWaiters<String> waiters = new DeleteRecordsWaiters<>(1, 10);
        assertThat(waiters.lowWatermark(50, Set.of(1))).isEqualTo(50);
        assertThat(waiters.lowWatermark(50, Set.of(1, 2, 3))).isZero();
        waiters.onFollowerLogStart(2, 40);
        waiters.onFollowerLogStart(3, 60);
        assertThat(waiters.lowWatermark(50, Set.of(1, 2, 3))).isEqualTo(40);
        assertThat(waiters.lowWatermark(50, Set.of(1, 3))).as("2 left the ISR").isEqualTo(50);
        waiters.onFollowerLogStart(2, -1); // an older follower that does not report it: the last value stays
        assertThat(waiters.lowWatermark(50, Set.of(1, 2))).isEqualTo(40);
    }

    @Test
    void waitersCompleteWhenReachedExpireAtTheirDeadlineAndAreBounded() {
        // proves: each waiter leaves exactly once, by the low watermark, its deadline or leadership lost
        DeleteRecordsWaiters<String> waiters = new DeleteRecordsWaiters<>(1, 3);
        assertThat(waiters.add(10, 1_000, "a")).isTrue();
        assertThat(waiters.add(30, 500, "b")).isTrue();
        assertThat(waiters.add(20, 2_000, "c")).isTrue();
        assertThat(waiters.add(5, 2_000, "d")).as("bounded").isFalse();
        assertThat(waiters.nextDeadlineMs()).isEqualTo(500);
        assertThat(waiters.completeReached(20)).containsExactly("a", "c");
        assertThat(waiters.expire(499)).isEmpty();
        assertThat(waiters.expire(500)).containsExactly("b");
        assertThat(waiters.isEmpty()).isTrue();
        assertThat(waiters.nextDeadlineMs()).isEqualTo(Long.MAX_VALUE);
        waiters.add(1, 10, "e");
        assertThat(waiters.removeAll()).containsExactly("e");
        assertThat(waiters.size()).isZero();
    }
}
