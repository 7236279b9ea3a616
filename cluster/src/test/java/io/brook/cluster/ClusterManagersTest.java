package io.brook.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The failure-detection settings Brook sets on both cluster managers (controller-election.md §4, §5; cluster-manager-outages.md). */
class ClusterManagersTest {

  @Test
  void hazelcastDetectsAFrozenMemberInSixSecondsAndMergesItBackSoon() {
    Config hz = ClusterManagers.hazelcastConfig(ClusterConfig.defaults(), MemberRole.BROKER);
    assertThat(hz.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("6");
    assertThat(hz.getProperty("hazelcast.heartbeat.interval.seconds")).isEqualTo("1");
    assertThat(hz.getProperty("hazelcast.merge.first.run.delay.seconds")).isEqualTo("10");
    assertThat(hz.getProperty("hazelcast.merge.next.run.delay.seconds")).isEqualTo("5");
    assertThat(hz.getProperty("hazelcast.operation.call.timeout.millis")).isEqualTo("15000"); // no look-up blocked for minutes
    assertThat(hz.getProperty("hazelcast.invocation.max.retry.count")).isEqualTo("40");

    Config slower = ClusterManagers.hazelcastConfig(new ClusterConfig(Map.of(
        ClusterConfig.HAZELCAST_MAX_NO_HEARTBEAT_SECONDS, 9)), MemberRole.BROKER);
    assertThat(slower.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("9");
  }

  @Test
  void hazelcastKeepsTwoBackupsOfCountersAndLocks() {
    Config hz = ClusterManagers.hazelcastConfig(ClusterConfig.defaults(), MemberRole.BROKER);
    // the names vertx-hazelcast 5.0.7 uses (HazelcastObjectProviderImpl)
    assertThat(hz.findMapConfig("__vertx.map.counter").getBackupCount()).isEqualTo(2);
    assertThat(hz.findMapConfig("__vertx.map.lock").getBackupCount()).isEqualTo(2);
    assertThat(hz.findMapConfig("some.other.map").getBackupCount()).isEqualTo(1);
    assertThat(hz.getMetricsConfig().isEnabled()).as("Hazelcast's Management Center metrics").isFalse();
    // vertx-hazelcast's own settings survive
    assertThat(hz.getMultiMapConfig("__vertx.subs").getValueCollectionType().name()).isEqualTo("SET");
  }

  @Test
  void zookeeperSessionDefaultsToSixSeconds() {
    assertThat(ClusterManagers.zookeeperConfig(ClusterConfig.defaults()).getInteger("sessionTimeout")).isEqualTo(6000);
  }
}
