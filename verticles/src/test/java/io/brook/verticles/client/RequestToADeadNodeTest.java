package io.brook.verticles.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.client.internals.Rpc;
import io.brook.cluster.BrookCluster;
import io.brook.cluster.ClusterConfig;
import io.brook.cluster.MemberRole;
import io.brook.verticles.LoopbackCluster;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.time.Duration;
import org.apache.kafka.common.errors.NetworkException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The client's requests to a broker whose event bus node leaves the cluster fail at once (retriable),
 * not at their timeout: the clustered event bus never answers a request whose recipient died, and
 * a producer waiting on a dead leader would otherwise look for the new one only after
 * request.timeout.ms (30 s).
 */
@Tag("integration")
class RequestToADeadNodeTest {

  @Test
  void aRequestWaitingOnANodeThatLeavesFailsWithinAFewSecondsNotAtItsTimeout() throws Exception {
    ClusterConfig config = LoopbackCluster.config("rpc");
    Vertx broker = BrookCluster.start(config, MemberRole.BROKER).await();
    Vertx client = BrookCluster.start(config, MemberRole.CLIENT).await();
    try {
      broker.eventBus().consumer("test.never-answers", message -> { }).completion().await();
      String brokerNode = ((VertxInternal) broker).clusterManager().getNodeId();
      Rpc rpc = new Rpc(client);
      Future<String> known = await().atMost(Duration.ofSeconds(30)).until(
          () -> rpc.request("test.never-answers", "hello", 60_000, String.class, brokerNode), f -> !f.isComplete());
      Future<String> unknown = rpc.request("test.never-answers", "hello", 60_000, String.class, null);

      long closedAt = System.nanoTime();
      broker.close().await(); // leaves the cluster with the requests unanswered
      await().atMost(Duration.ofSeconds(10)).until(known::isComplete);
      assertThat((System.nanoTime() - closedAt) / 1_000_000).isLessThan(10_000);
      assertThat(known.cause()).isInstanceOf(NetworkException.class).hasMessageContaining(brokerNode);
      assertThat(unknown.isComplete()).as("without a target node the request waits for its timeout").isFalse();
    } finally {
      client.close().await();
    }
  }
}
