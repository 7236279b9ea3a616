package io.brook.verticles.partition;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Two appends on their way at most; what comes meanwhile is written together; the bound holds. */
class ProduceQueueTest {
  @Test
  void twoAppendsGoAtOnceTheRestWaitsAndGoesTogether() {
    ProduceQueue<String> queue = new ProduceQueue<>(10);
    queue.offer("a");
    assertThat(queue.drainForAppend()).containsExactly("a");
    queue.offer("b");
    assertThat(queue.drainForAppend()).containsExactly("b"); // written while a's answer travels
    queue.offer("c");
    queue.offer("d");
    assertThat(queue.drainForAppend()).isEmpty(); // two in flight: c and d wait
    queue.onAppendDone();
    assertThat(queue.drainForAppend()).containsExactly("c", "d"); // group commit
    assertThat(queue.drainForAppend()).isEmpty();
    queue.onAppendDone();
    queue.onAppendDone();
    assertThat(queue.drainForAppend()).isEmpty(); // nothing waits
  }

  @Test
  void offersBeyondTheBoundAreRefused() {
    ProduceQueue<Integer> queue = new ProduceQueue<>(2);
    assertThat(queue.offer(1)).isTrue();
    assertThat(queue.offer(2)).isTrue();
    assertThat(queue.offer(3)).isFalse();
    assertThat(queue.drainAll()).containsExactly(1, 2);
    assertThat(queue.size()).isZero();
  }
}
