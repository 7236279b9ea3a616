package io.brook.verticles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.cluster.BrookCluster;
import io.brook.cluster.ClusterConfig;
import io.brook.cluster.MemberRole;
import io.brook.protocol.ClusterView;
import io.vertx.core.Vertx;
import io.vertx.core.spi.cluster.NodeListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** One membership view per member, shared by every subscriber: real Hazelcast members on loopback. */
class ClusterViewTest {

  @Test
  void anUnclusteredVertxHasOneMemberAndNoId() {
    Vertx vertx = Vertx.vertx();
    try {
      ClusterView view = ClusterView.of(vertx);
      assertThat(view.clustered()).isFalse();
      assertThat(view.members()).isNull();
      assertThat(view.size()).isEqualTo(1);
      assertThat(view.selfIdOr("7")).isEqualTo("local-7");
      assertThat(view.managerName()).isEqualTo("none");
      assertThat(ClusterView.of(vertx)).isSameAs(view);
    } finally {
      vertx.close().await();
    }
  }

  @Test
  @Tag("integration")
  void everySubscriberHearsAMemberLeaveNotOnlyTheLast() throws Exception {
    ClusterConfig config = LoopbackCluster.config("view");
    Vertx first = BrookCluster.start(config, MemberRole.BROKER).await();
    Vertx second = BrookCluster.start(config, MemberRole.CLIENT).await();
    try {
      ClusterView view = ClusterView.of(first);
      String leaving = ClusterView.of(second).selfId();
      await().atMost(Duration.ofSeconds(30)).until(() -> view.consistentMembers() != null
          && view.consistentMembers().containsAll(List.of(view.selfId(), leaving)));
      assertThat(view.managerName()).isEqualTo("hazelcast");
      assertThat(view.size()).isEqualTo(2);
      List<String> heardByOne = new CopyOnWriteArrayList<>();
      List<String> heardByOther = new CopyOnWriteArrayList<>();
      view.onChange(leftInto(heardByOne));
      ClusterView.of(first).onChange(leftInto(heardByOther)); // a second subscriber does not replace the first

      second.close().await();

      await().atMost(Duration.ofSeconds(30)).until(() -> heardByOne.contains(leaving) && heardByOther.contains(leaving));
      assertThat(view.members()).containsExactly(view.selfId());
    } finally {
      first.close().await();
    }
  }

  private static NodeListener leftInto(List<String> heard) {
    return new NodeListener() {
      @Override
      public void nodeAdded(String nodeId) {}

      @Override
      public void nodeLeft(String nodeId) {
        heard.add(nodeId);
      }
    };
  }
}
