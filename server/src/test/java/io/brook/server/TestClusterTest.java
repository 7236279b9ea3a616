package io.brook.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Test JVMs running side by side pick ports from ranges that never overlap, with a Hazelcast member's headroom. */
class TestClusterTest {
  @Test
  void eachForkHasItsOwnPortsBelowTheEphemeralRange() {
    int[] first = TestCluster.portRange(32_768, 1, 2);
    int[] second = TestCluster.portRange(32_768, 2, 2);
    assertThat(first).containsExactly(10_000, 21_284);
    assertThat(second).containsExactly(21_384, 32_668);
    assertThat(second[0] - first[1]).as("headroom for the ports a Hazelcast member counts up").isGreaterThanOrEqualTo(100);
    assertThat(TestCluster.portRange(32_768, 1, 1)).containsExactly(10_000, 32_668);
  }

  @Test
  void aPortOfThisForkIsInItsRange() {
    if (Integer.getInteger("brook.test.forks", 1) > 1) {
      assertThat(System.getProperty("brook.test.fork")).as("surefire's fork number").matches("[1-9][0-9]*");
    }
    int[] range = TestCluster.portRange(TestCluster.ephemeralRangeStart(), Integer.getInteger("brook.test.fork", 1),
        Integer.getInteger("brook.test.forks", 1));
    for (int i = 0; i < 20; i++) {
      assertThat(TestCluster.freePort()).isBetween(range[0], range[1] - 1);
    }
  }
}
